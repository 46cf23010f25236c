"""The endpoint under hostile load: memory, dead workers, waiting, silent clients, bad paths.

Every limit answers with a status that says whose fault it is (503 and ``Retry-After`` for
the server's own trouble), and the server goes on answering afterwards.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from automaker_kg.querypool import (
    TABULAR_FORMATS,
    Job,
    default_worker_memory,
    execute,
    parse_size,
    serialize_rows,
)
from automaker_kg.server import _ThreadingServer, remove_stale_snapshots
from automaker_kg.store import open_store
from conftest import cli_command, cli_env
from serverkit import Served, http, running

CARTESIAN = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?b . ?c ?p2 ?d . ?e ?p3 ?f . ?g ?p4 ?h . "
    "?i ?p5 ?j . ?k ?p6 ?l }"
)
LIMIT = 1 << 30


def url(served: Served, query: str) -> str:
    return served.endpoint + "?" + urllib.parse.urlencode({"query": query})


@pytest.fixture(scope="module")
def store(built_store: Path) -> ox.Store:
    return open_store(built_store)


def _peak(pid: int) -> int:
    """The process's peak address space in bytes (VmPeak), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def test_cartesian_query_ends_as_503_under_the_memory_limit(store: ox.Store) -> None:
    """The reported cartesian ORDER BY stops at the worker's memory limit: 503 with
    "too much memory" and Retry-After; the worker never passed the limit; the next query
    is answered by its replacement."""
    with running(store, workers=1, timeout=300.0, worker_memory=LIMIT) as served:
        pid = next(iter(served.app.pool._workers)).process.pid
        peaks: list[int] = []
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                peaks.append(_peak(pid))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            reply = http(url(served, CARTESIAN), timeout=300)
        finally:
            done.set()
            watcher.join()
        assert reply.status == 503, reply.text
        assert "too much memory" in reply.text and "Retry-After" in reply.headers
        assert 0 < max(peaks) <= LIMIT
        assert http(url(served, "ASK { ?s ?p ?o }")).status == 200


def test_dead_worker_is_503_with_retry_after(store: ox.Store) -> None:
    """A worker killed while it runs a query is the server's trouble: 503, not 400."""
    with running(store, workers=1, timeout=60.0) as served:
        worker = next(iter(served.app.pool._workers))
        replies: list = []
        thread = threading.Thread(target=lambda: replies.append(http(url(served, RUNAWAY))))
        thread.start()
        while served.app.pool._idle.qsize():  # until the query has its worker
            time.sleep(0.02)
        os.kill(worker.process.pid, signal.SIGKILL)
        thread.join(60)
        assert replies[0].status == 503 and "died" in replies[0].text
        assert replies[0].headers["Retry-After"]
        assert http(url(served, "ASK { ?s ?p ?o }")).status == 200


def test_waiting_for_a_worker_gives_up_and_says_so(store: ox.Store) -> None:
    """With the one worker busy, a query waits ``queue_wait`` seconds, then 503; with
    ``max_waiting`` queries already waiting, the next one is refused at once."""
    with running(store, workers=1, timeout=30.0, queue_wait=0.5) as served:
        slow = threading.Thread(target=lambda: http(url(served, RUNAWAY)))
        slow.start()
        while served.app.pool._idle.qsize():
            time.sleep(0.02)
        reply = http(url(served, "ASK { ?s ?p ?o }"))
        assert reply.status == 503 and "gave up waiting" in reply.text
        assert reply.headers["Retry-After"]
        served.app.pool.max_waiting = 0
        reply = http(url(served, "ASK { ?s ?p ?o }"))
        assert reply.status == 503 and "already waiting" in reply.text
        os.kill(next(iter(served.app.pool._workers)).process.pid, signal.SIGKILL)
        slow.join(60)


@pytest.fixture(scope="module")
def served_site(store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site = tmp_path_factory.mktemp("site")
    (site / "a.html").write_text("<p>a</p>", encoding="utf-8")
    with running(store, workers=1, site_dir=site) as served:
        yield served


@pytest.mark.parametrize("path", ["%00", "a.html%00", "%00/../a.html", "x" * 5000, "..%2f..%2fetc"])
def test_odd_view_paths_are_404(served_site: Served, path: str) -> None:
    """NUL bytes, over-long names and traversal answer 404, never 500."""
    assert http(served_site.base + "/views/" + path).status == 404
    assert http(served_site.base + "/views/a.html").status == 200


def test_silent_connections_are_closed(served_site: Served, monkeypatch) -> None:
    """A client that connects and sends nothing is disconnected after the idle timeout,
    and the server answers others meanwhile."""
    from automaker_kg import server

    monkeypatch.setattr(server._Handler, "timeout", 0.5)
    host, port = served_site.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as silent:
        silent.settimeout(30)
        assert http(served_site.base + "/views/a.html").status == 200
        assert silent.recv(1024) == b""  # closed by the server, not by our timeout


def test_too_many_connections_answer_503(store: ox.Store) -> None:
    """With every connection slot taken, a new connection gets 503 at once; freed, the
    server answers again."""
    with running(store, workers=1) as served:
        slots = _server_of(served)._slots
        taken = 0
        while slots.acquire(blocking=False):  # as if max_connections clients were connected
            taken += 1
        try:
            reply = http(served.base + "/sparql?query=ASK%7B%7D")
        finally:
            for _ in range(taken):
                slots.release()
        assert reply.status == 503 and "too many connections" in reply.text
        assert reply.headers["Retry-After"]
        assert http(served.base + "/sparql?query=ASK%7B%7D").status == 200


def _server_of(served: Served) -> _ThreadingServer:
    return next(
        o for o in gc.get_objects() if isinstance(o, _ThreadingServer) and o.get_app() is served.app
    )


def test_worker_memory_sizes() -> None:
    """Sizes parse with units; the default leaves room for every worker."""
    assert parse_size("1.5G") == 3 << 29
    assert parse_size("800M") == 800 << 20
    with pytest.raises(ValueError):
        parse_size("lots")
    assert default_worker_memory(2) >= 1 << 30


def test_serve_removes_its_folder_on_sigterm_and_stale_ones_at_start(
    built_store: Path, tmp_path: Path
) -> None:
    """SIGTERM: the snapshot folder goes; a folder left by a SIGKILLed server goes at the
    next start; a running server's folder stays."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    stale = temp / "automaker-kg-serve-stale"
    (stale / "store").mkdir(parents=True)
    (stale / ".owner.lock").write_text("")
    env = cli_env(TMPDIR=str(temp))
    proc = subprocess.Popen(
        [*cli_command(), "serve", "--port", "0", "--store", str(built_store), "--workers", "1"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        assert "serving http://" in line, line
        folders = sorted(temp.glob("automaker-kg-serve-*"))
        assert len(folders) == 1 and folders[0] != stale  # the stale one is gone
        assert remove_stale_snapshots(temp) == []  # the live one is locked
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert list(temp.glob("automaker-kg-serve-*")) == []


def test_cli_refuses_a_bad_worker_memory(built_store: Path) -> None:
    """A size that does not parse is exit 2 with the option named."""
    result = subprocess.run(
        [*cli_command(), "serve", "--store", str(built_store), "--worker-memory", "lots"],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "--worker-memory" in result.stderr
    assert "Traceback" not in result.stderr


LEXICAL = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
TERMS = st.one_of(
    LEXICAL.map(ox.Literal),
    st.tuples(LEXICAL, st.sampled_from(["en", "fr-be"])).map(
        lambda t: ox.Literal(t[0], language=t[1])
    ),
    st.integers(-(10**6), 10**6).map(ox.Literal),
    st.floats(allow_nan=False, allow_infinity=False).map(ox.Literal),
    st.booleans().map(ox.Literal),
    st.sampled_from(["a", "b\u00e9", "c%20d"]).map(lambda x: ox.NamedNode(f"http://e/{x}")),
    st.sampled_from(["x1", "x2"]).map(ox.BlankNode),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TERMS, st.booleans()), min_size=0, max_size=12), st.integers(0, 14))
def test_answers_written_by_oxigraph_match_the_rows_written_one_by_one(values, cap) -> None:
    """A SELECT's answer, written by Oxigraph's own TSV writer and cut at ``max_rows``, is
    byte for byte what writing each row's terms one by one gives, in every format, with
    odd literals (tabs, line breaks, quotes, languages), unbound cells and blank nodes."""
    store = ox.Store()
    s, p, q = (ox.NamedNode(f"http://e/{x}") for x in ("s", "p", "q"))
    for i, (term, bound) in enumerate(values):
        row = ox.NamedNode(f"http://e/row{i:02d}")
        store.add(ox.Quad(s, p, row))
        if bound:
            store.add(ox.Quad(row, q, term))
    text = (
        "SELECT ?row ?v WHERE { <http://e/s> <http://e/p> ?row "
        "OPTIONAL { ?row <http://e/q> ?v } } ORDER BY ?row"
    )
    rows = [[str(r["row"]), None if r["v"] is None else str(r["v"])] for r in store.query(text)]
    for name, fmt in TABULAR_FORMATS.items():
        outcome = execute(store, Job(text, tabular=name), cap)
        assert outcome.body == serialize_rows(["row", "v"], rows[:cap], fmt), name
        assert (outcome.rows, outcome.truncated) == (min(cap, len(rows)), len(rows) > cap)


class _Recorder:
    """A store that notes the text of each query it runs."""

    def __init__(self, store: ox.Store) -> None:
        self.store, self.texts = store, []

    def query(self, text: str, **options):
        self.texts.append(text)
        return self.store.query(text, **options)


def test_a_worker_runs_an_optional_of_patterns_per_solution(store: ox.Store) -> None:
    """A query worker runs facts-about's evidence OPTIONAL under LATERAL, as the library's
    own path does, with the rows of the text as sent; a malformed query still gets the
    parser's error about the text as sent."""
    from automaker_kg.prefixes import sparql_prologue
    from automaker_kg.queries import get_query

    job = Job(sparql_prologue() + get_query("facts-about").text, tabular="tsv")
    recorder = _Recorder(store)
    outcome = execute(recorder, job, 100_000)  # type: ignore[arg-type]
    assert "LATERAL { OPTIONAL" in recorder.texts[0] and "LATERAL" not in job.query
    sent = store.query(job.query, use_default_graph_as_union=True)
    expected = sent.serialize(format=ox.QueryResultsFormat.TSV)
    assert outcome.rows > 0 and outcome.body == expected
    broken = Job("SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?r ; ?t ?u } FILTER (", tabular="tsv")
    with pytest.raises(SyntaxError) as raised:
        execute(store, broken, 10)
    with pytest.raises(SyntaxError) as direct:
        store.query(broken.query)
    assert str(raised.value) == str(direct.value)
