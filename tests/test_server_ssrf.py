"""No query makes an outbound request: SERVICE spellings against a loopback listener.

A socket server on 127.0.0.1 counts the connections it accepts and answers any request
with a SPARQL JSON result holding a secret. Generated queries spell ``SERVICE`` every way
the grammar allows (any case, ``\\u`` escapes, glued to the token before it, after
comments, as a prefix name, with a variable endpoint) and go through ``/sparql``, the
``/query`` page and the CLI. The listener must see no connection, whether the guard
refuses the query or, with the guard switched off, the worker's empty network namespace
stops it.
"""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from automaker_kg import cli, server
from automaker_kg.querypool import isolate_network
from automaker_kg.sparqlguard import uses_service
from automaker_kg.store import open_store, write_generation
from serverkit import Served, http, running

SECRET = "leaked-secret-7f3a"
_ANSWER = (
    '{"head":{"vars":["leak"]},"results":{"bindings":'
    f'[{{"leak":{{"type":"literal","value":"{SECRET}"}}}}]}}}}'
).encode()


class Listener:
    """A loopback TCP server that counts connections and answers each with ``SECRET``."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/admin?token=1"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                        + f"Content-Length: {len(_ANSWER)}\r\nConnection: close\r\n\r\n".encode()
                        + _ANSWER
                    )
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    trap = Listener()
    yield trap
    trap.close()


# Data every glued form below can match, so the engine reaches the SERVICE clause.
DATA = """
INSERT DATA { GRAPH <http://e/g> {
  <http://e/a> <http://e/p> true, false, 1, 1.5e3, "x", "x"@en, <http://e/b>, _:n .
} }
"""


def _fill(store: ox.Store) -> None:
    store.update(DATA)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ssrf-store")
    write_generation(folder, _fill)
    return folder


@pytest.fixture(scope="module")
def memory_store() -> ox.Store:
    store = ox.Store()
    _fill(store)
    return store


# What may stand right before the keyword, with no space: each completes a pattern.
BEFORE = [
    "?x ?y true",
    "?x ?y false",
    "?x ?y 1",
    "?x ?y 1.5e3",
    '?x ?y "x"',
    "?x ?y 'x'",
    '?x ?y """x"""',
    '?x ?y "x"@en',
    "?x ?y <http://e/b>",
    "?x ?y ?z .",
    "?x ?y ?z ;",
    "?x ?y ?z FILTER(true)",
    "{ ?x ?y ?z }",
    "?x ?y ?z # SERVICE in a comment\n",
    "?x ?y ?z . #\r\n",
    "",
]
SPACES = ["", " ", "\t", "\n", "\r\n", " #c\n"]


def _escape(char: str, kind: int) -> str:
    return [char, f"\\u{ord(char):04X}", f"\\u{ord(char):04x}", f"\\U{ord(char):08X}"][kind]


@st.composite
def service_queries(draw: st.DrawFn, url: str) -> str:
    """A query that names ``url`` in a SERVICE clause, spelled in one of many ways."""
    letters = "".join(draw(st.sampled_from([c.upper(), c.lower()])) for c in "service")  # any case
    if draw(st.booleans()):
        letters = "".join(_escape(c, draw(st.integers(0, 3))) for c in letters)
    before = draw(st.sampled_from(BEFORE))
    space = draw(st.sampled_from(SPACES))
    silent = draw(st.sampled_from(["", " SILENT", " silent"]))
    form = draw(st.sampled_from(["iri", "var", "pname"]))
    if form == "iri":
        clause = f"{letters}{silent} <{url}> {{ ?leak ?p ?o }}"
        prologue = ""
    elif form == "var":
        clause = f"{letters}{silent} ?endpoint {{ ?leak ?p ?o }}"
        prologue = ""
        before = f"VALUES ?endpoint {{ <{url}> }} {before}"
    else:  # service:x is the keyword SERVICE, then the prefixed name :x
        clause = f"{letters}:admin {{ ?leak ?p ?o }}"
        prologue = f"PREFIX : <{url.rsplit('/', 1)[0]}/>\n"
    return f"{prologue}SELECT ?leak WHERE {{ {before}{space}{clause} }}"


def into_language_tag(query: str) -> bool:
    """The keyword glued to ``@en`` is read as part of the language tag by every parser."""
    return '"x"@en' in query and '"x"@en ' not in query and '"x"@en\t' not in query


def test_listener_is_reachable_without_the_protections(
    listener: Listener, memory_store: ox.Store
) -> None:
    """The trap works: Oxigraph in this process, unguarded, connects and reads the secret."""
    before = listener.connections
    query = f'SELECT ?leak WHERE {{ ?x ?y "x"SERVICE <{listener.url}> {{ ?leak ?p ?o }} }}'
    rows = list(memory_store.query(query, use_default_graph_as_union=True))
    assert [r["leak"].value for r in rows] == [SECRET]
    assert listener.connections == before + 1


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_guard_refuses_every_spelling_oxigraph_runs(
    data: st.DataObject, listener: Listener, memory_store: ox.Store
) -> None:
    """Every generated query is refused by the guard (but for ``"x"@enSERVICE``, a
    language tag); and each one Oxigraph itself, run in this process, sends to the
    listener is among them (the trap is real)."""
    query = data.draw(service_queries(listener.url))
    assert uses_service(query) or into_language_tag(query), query
    before = listener.connections
    try:
        list(memory_store.query(query, use_default_graph_as_union=True))
    except (SyntaxError, OSError, RuntimeError):
        pass
    if listener.connections > before:  # Oxigraph read a SERVICE clause: refused above
        assert uses_service(query)


def test_some_generated_spellings_do_reach_the_engine(
    listener: Listener, memory_store: ox.Store
) -> None:
    """The glued forms are real SERVICE clauses to Oxigraph, not syntax errors."""
    reached = 0
    for before in BEFORE:
        query = f"SELECT ?leak WHERE {{ {before}SERVICE <{listener.url}> {{ ?leak ?p ?o }} }}"
        start = listener.connections
        try:
            list(memory_store.query(query, use_default_graph_as_union=True))
        except (SyntaxError, OSError, RuntimeError):
            continue
        reached += listener.connections > start
    assert reached >= 8


@pytest.fixture(scope="module")
def guarded(small_store: Path) -> Iterator[Served]:
    """The guard alone: workers left on the host network, so only the guard protects."""
    with running(open_store(small_store), timeout=5.0, workers=1, isolate=False) as served:
        yield served


@pytest.fixture(scope="module")
def isolated(small_store: Path) -> Iterator[Served]:
    """The network namespace alone (the guard is switched off in the tests that use it)."""
    if isolate_network_available() is not None:
        pytest.skip("no network namespaces here")
    with running(open_store(small_store), timeout=5.0, workers=1) as served:
        yield served


def isolate_network_available() -> str | None:
    """Why a child process cannot get a network namespace, or None when it can."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=lambda: send.send(isolate_network()))
    child.start()
    child.join(30)
    return receive.recv() if receive.poll(1) else "the probe did not answer"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_endpoint_refuses_service_without_connecting(
    data: st.DataObject, listener: Listener, guarded: Served
) -> None:
    """/sparql by GET and POST and the /query page refuse every spelling: 403, no connection."""
    query = data.draw(service_queries(listener.url))
    assume(not into_language_tag(query))
    before = listener.connections
    get = http(guarded.endpoint + "?" + urllib.parse.urlencode({"query": query}))
    post = http(guarded.endpoint, data=query.encode(), Content_Type="application/sparql-query")
    page = http(guarded.base + "/query?" + urllib.parse.urlencode({"query": query}))
    assert (get.status, post.status) == (403, 403)
    assert "SERVICE" in get.text and SECRET not in get.text + post.text
    assert page.status == 200 and "SERVICE" in page.text and SECRET not in page.text
    assert listener.connections == before


def test_the_reported_query_is_refused(listener: Listener, guarded: Served) -> None:
    """The query of the report (``trueSERVICE``) answers 403 and reaches nothing."""
    query = f"SELECT ?leak WHERE {{ ?x ?y trueSERVICE <{listener.url}> {{ ?leak ?p ?o }} }}"
    before = listener.connections
    reply = http(guarded.endpoint + "?" + urllib.parse.urlencode({"query": query}))
    assert reply.status == 403
    assert listener.connections == before


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_isolated_workers_cannot_connect_even_unguarded(
    data: st.DataObject, listener: Listener, isolated: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the guard switched off, the worker runs the SERVICE clause in its own empty
    network namespace: the listener sees nothing and no secret comes back."""
    monkeypatch.setattr(server, "uses_service", lambda query: False)
    query = data.draw(service_queries(listener.url))
    before = listener.connections
    reply = http(isolated.endpoint + "?" + urllib.parse.urlencode({"query": query}))
    page = http(isolated.base + "/query?" + urllib.parse.urlencode({"query": query}))
    assert reply.status != 200 or SECRET not in reply.text
    assert SECRET not in page.text
    assert listener.connections == before


def test_isolated_worker_reports_unreachable(listener: Listener, isolated: Served) -> None:
    """A plain SERVICE clause reaching the isolated worker fails there (not 200 with data)."""
    query = f'SELECT ?leak WHERE {{ ?x ?y "x" SERVICE <{listener.url}> {{ ?leak ?p ?o }} }}'
    before = listener.connections
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server, "uses_service", lambda query: False)
        reply = http(isolated.endpoint + "?" + urllib.parse.urlencode({"query": query}))
    assert reply.status >= 400 and SECRET not in reply.text
    assert listener.connections == before


@pytest.mark.parametrize(
    "before", ["?x ?y true", '?x ?y "x"', "{ ?x ?y ?z }", "?x ?y ?z # c\n", "?x ?y ?z ."]
)
def test_cli_query_file_refuses_service(
    before: str, listener: Listener, small_store: Path, tmp_path: Path, capsys
) -> None:
    """``query file.rq`` refuses SERVICE with exit 4 and connects nowhere."""
    rq = tmp_path / "leak.rq"
    rq.write_text(
        f"SELECT ?leak WHERE {{ {before}SERVICE <{listener.url}> {{ ?leak ?p ?o }} }}\n",
        encoding="utf-8",
    )
    connections = listener.connections
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["query", str(rq), "--store", str(small_store)])
    assert exit_info.value.code == 4
    captured = capsys.readouterr()
    assert "SERVICE" in captured.err and SECRET not in captured.out
    assert "Traceback" not in captured.err
    assert listener.connections == connections


def test_cors_only_for_the_given_origin(small_store: Path) -> None:
    """``--cors ORIGIN`` lets that origin read answers; without it there are no CORS headers."""
    with running(open_store(small_store), workers=1, cors="https://example.org") as served:
        reply = http(served.endpoint + "?query=ASK%7B%7D")
        preflight = http(served.endpoint, method="OPTIONS", Origin="https://example.org")
    assert reply.headers["Access-Control-Allow-Origin"] == "https://example.org"
    assert preflight.status == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_dns_rebinding_is_refused(guarded: Served) -> None:
    """A request addressed to another name (a page whose domain now points at 127.0.0.1)
    answers 421; loopback names are answered."""
    ask = "/sparql?query=ASK%7B%7D"
    assert http(guarded.base + ask, Host="evil.example:8000").status == 421
    assert http(guarded.base + "/", Host="attacker.test").status == 421
    port = guarded.base.rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert http(guarded.base + ask, Host=host).status == 200, host
