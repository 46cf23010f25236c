"""RemoteStore reads a SPARQL server like the embedded store; ``serve`` from the real CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from automaker_kg import queries
from automaker_kg.remote import RemoteStore
from automaker_kg.sparqlguard import bind_values
from automaker_kg.store import open_store
from conftest import cli_command, cli_env
from serverkit import Served, canonical_rows, direct, http, running


@pytest.fixture(scope="module")
def served(built_store: Path) -> Iterator[Served]:
    with running(open_store(built_store), timeout=10.0) as served:
        yield served


def outcome(name: str, source: object) -> object:
    """A library query's answer in a comparable form (rows sorted), or its error class."""
    try:
        result = queries.run(name, source)
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return type(error).__name__
    if isinstance(result, bool):
        return result
    return (tuple(result.columns), sorted(tuple(map(str, row)) for row in result.rows))


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_library_query_same_over_http(name: str, served: Served, built_store: Path) -> None:
    """Each library query (with its default parameters) answers the same through RemoteStore."""
    local = outcome(name, open_store(built_store))
    if isinstance(local, str):
        pytest.skip(f"{name} fails on the embedded store itself ({local})")
    assert outcome(name, RemoteStore(served.endpoint)) == local


def test_remote_substitutions_bind_like_oxigraph(served: Served, built_store: Path) -> None:
    """Bound values reach the server as VALUES and restrict the answer as substitutions do."""
    query = "SELECT ?e ?l WHERE { ?e rdfs:label ?l }"
    nissan = ox.NamedNode("https://w3id.org/automaker-kg/id/nissan")
    prefixes = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    remote = RemoteStore(served.endpoint).query(
        query, prefixes=prefixes, substitutions={ox.Variable("e"): nissan}
    )
    rows = canonical_rows(remote)
    assert rows and all(row[0] == str(nissan) for row in rows)
    local = open_store(built_store).query(
        query + " VALUES ?e { <https://w3id.org/automaker-kg/id/nissan> }",
        prefixes=prefixes,
        use_default_graph_as_union=True,
    )
    assert rows == canonical_rows(local)


def test_remote_errors_look_like_oxigraph(served: Served) -> None:
    """A malformed query raises SyntaxError with the server's message; no server, OSError."""
    with pytest.raises(SyntaxError, match="error at 1:"):
        RemoteStore(served.endpoint).query("SELECT ?x WHERE {")
    with pytest.raises(OSError):
        RemoteStore("http://127.0.0.1:9/sparql", timeout=2).query("ASK {}")


def test_remote_construct_and_ask(served: Served, built_store: Path) -> None:
    """CONSTRUCT gives pyoxigraph triples, ASK a QueryBoolean."""
    query = "CONSTRUCT WHERE { ?e a <https://w3id.org/automaker-kg/ontology#Automaker> }"
    remote = sorted(map(str, RemoteStore(served.endpoint).query(query)))
    assert remote == sorted(map(str, direct(open_store(built_store), query)))
    assert bool(RemoteStore(served.endpoint).query("ASK { ?s ?p ?o }")) is True


def test_from_url_and_bind_values() -> None:
    """sparql+http URLs (even after pathlib folded the //) name the endpoint."""
    assert RemoteStore.from_url("sparql+http:/127.0.0.1:1/ds/sparql").endpoint == (
        "http://127.0.0.1:1/ds/sparql"
    )
    store = RemoteStore.from_url("sparql+https://h/sparql?default-graph-uri=urn:g&x=1")
    assert store.endpoint == "https://h/sparql?x=1" and store.default_graphs == ("urn:g",)
    text = bind_values("ASK { ?s ?p ?x }", {"x": ox.Literal('say "hi"\n} SERVICE <http://x/> {')})
    assert text == 'ASK { BIND ("say \\"hi\\"\\n} SERVICE <http://x/> {" AS ?x) ?s ?p ?x }'
    assert bind_values("CONSTRUCT WHERE { ?s ?p ?x }", {"x": ox.NamedNode("http://e/a")}) == (
        "CONSTRUCT WHERE { ?s ?p ?x }\nVALUES (?x) { (<http://e/a>) }"
    )


def test_cli_serve(built_store: Path, tmp_path: Path) -> None:
    """`automaker-kg serve --port 0` listens on loopback, answers, and stops on SIGTERM."""
    (tmp_path / "v.html").write_text("<h1>v</h1>")
    proc = subprocess.Popen(
        [
            *cli_command(),
            "serve",
            "--store",
            str(built_store),
            "--port",
            "0",
            "--timeout",
            "5",
            "--max-rows",
            "3",
            "--site",
            str(tmp_path),
        ],
        env=cli_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        assert line.startswith("serving http://127.0.0.1:"), line
        base = line.split()[1].rstrip("/")
        query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
        reply = http(f"{base}/sparql?{query}", Accept="text/csv")
        assert reply.status == 200
        assert len(reply.text.strip().splitlines()) == 1 + 3  # --max-rows
        assert http(f"{base}/views/v.html").status == 200  # --site
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        proc.stderr.close()
    assert not os.path.exists(f"/proc/{proc.pid}")


def test_a_remote_store_takes_the_stores_path_through_projections(
    served: Served, built_store: Path
) -> None:
    """RemoteStore meets the store interface, so a projection read over HTTP is the same graph."""
    from automaker_kg.graphstore import GraphStore
    from automaker_kg.projections import project

    remote = RemoteStore(served.endpoint)
    assert isinstance(remote, GraphStore)

    def edges(source: object) -> list[tuple[str, str, str]]:
        G = project(source, "ownership")
        return sorted((str(u), str(v), repr(sorted(d.items()))) for u, v, d in G.edges(data=True))

    local = edges(open_store(built_store))
    assert local and edges(remote) == local
