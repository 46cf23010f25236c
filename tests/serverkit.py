"""Helpers for the server tests: run the real app on a free loopback port in a thread."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from automaker_kg.namespaces import PREFIXES
from automaker_kg.server import ServerSettings, SparqlApp, create_app, make_http_server

PROJECT_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items()}


@dataclass
class Served:
    """A running server: its base URL (``http://127.0.0.1:PORT``) and the app."""

    base: str
    app: SparqlApp

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"


@contextmanager
def running(store: Any, **settings: Any) -> Iterator[Served]:
    """Serve ``store`` with ``ServerSettings(**settings)`` on a free port until the block ends."""
    app = create_app(store, settings=ServerSettings(**settings))
    server = make_http_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}", app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
        app.close()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def http(
    url: str,
    *,
    data: bytes | None = None,
    method: str | None = None,
    timeout: float = 60,
    **headers: str,
) -> Reply:
    """One HTTP request; error statuses are returned, not raised."""
    request = urllib.request.Request(
        url, data=data, method=method, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


@dataclass
class Table:
    """A SELECT answer read into plain lists (pyoxigraph result iterators must not outlive
    their thread: a test that kept one could have it collected on a server thread)."""

    variables: list[ox.Variable]
    rows: list[dict[str, Any]]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read(result: Any) -> Any:
    """A pyoxigraph result as a Table, a bool, or a list of triples."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        variables = list(result.variables)
        rows = [{v.value: solution[v.value] for v in variables} for solution in result]
        return Table(variables, rows)
    return list(result)


def canonical_rows(result: Any) -> list[tuple[str, ...]]:
    """Rows of a SELECT result as sorted tuples of N-Triples strings."""
    table = result if isinstance(result, Table) else read(result)
    names = [v.value for v in table.variables]
    return sorted(tuple("" if row[n] is None else str(row[n]) for n in names) for row in table)


def direct(store: ox.Store, query: str) -> Any:
    """The query run on the store itself, as the server runs it (read into plain lists)."""
    return read(store.query(query, prefixes=PROJECT_PREFIXES, use_default_graph_as_union=True))
