"""Run SPARQL queries in worker processes that can be stopped.

Oxigraph cannot cancel a running query, and a thread cannot be killed, so a query that
runs past its time limit would keep a core busy for as long as it likes. Each query
therefore runs in one of a few worker processes; every worker opens the store
read-only. When a query runs out of time its worker is killed (the query is stopped,
not just abandoned) and a fresh worker takes its place, while the other workers go on
serving.

A worker answers with the result already serialized in the format the client asked
for, cut to at most ``max_rows`` rows (or triples).

The workers cannot reach the network: on Linux each moves into a network namespace of
its own (:func:`isolate_network`) before it opens the store, so even a ``SERVICE``
clause the guard in :mod:`automaker_kg.sparqlguard` missed has no network to use. Where
that cannot be set up the pool refuses to start (:class:`IsolationError`) unless asked
to run without it.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .children import Child, isolate_network, limit_memory
from .errors import AutomakerKGError, QueryError, QueryTimeout, StoreError
from .sparqlguard import bind_values, lateral_optionals

__all__ = [
    "Job",
    "WorkerDied",
    "QueryMemoryError",
    "default_worker_memory",
    "default_workers",
    "serialize_rows",
    "parse_size",
    "Outcome",
    "QueryPool",
    "PoolBusy",
    "IsolationError",
    "isolate_network",
    "TABULAR_FORMATS",
    "GRAPH_FORMATS",
]

log = logging.getLogger(__name__)

_PACKAGE_PARENT = Path(__file__).resolve().parent.parent

#: Result formats by name, for SELECT and ASK.
TABULAR_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: Result formats by name, for CONSTRUCT and DESCRIBE.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class PoolBusy(QueryError):
    """Every worker stayed busy for longer than a request may wait."""


class WorkerDied(QueryError):
    """The worker running the query died (the server's trouble, not the query's text)."""


class QueryMemoryError(WorkerDied):
    """The query needed more memory than a worker may use; its worker was stopped."""


def machine_memory() -> int | None:
    """Bytes of physical memory, or ``None`` where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def default_workers() -> int:
    """Queries that run at once by default: one per core this process may use.

    >>> default_workers() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def default_worker_memory(workers: int) -> int:
    """The address space one of ``workers`` workers may use: half the machine's memory
    shared among them, at least 1 GiB (a worker's baseline is about 0.45 GB of address
    space, most of it reserved, not used).

    >>> default_worker_memory(2) >= 1 << 30
    True
    """
    total = machine_memory() or 4 << 30
    return max(1 << 30, total // 2 // max(1, workers))


def parse_size(text: str) -> int:
    """Bytes from ``512M``, ``2G``, ``1.5GB``, ``800000k`` or plain bytes; ``0`` for no limit.

    >>> parse_size("2G"), parse_size("512m"), parse_size("0")
    (2147483648, 536870912, 0)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text.lower())
    if match is None:
        raise ValueError(f"{text!r} is not a size (such as 512M or 2G)")
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[match[2]]
    return int(float(match[1]) * scale)


@dataclass(frozen=True)
class Job:
    """One query to run: its text and how to answer it.

    ``tabular`` and ``graph`` name the formats (keys of ``TABULAR_FORMATS`` and
    ``GRAPH_FORMATS``) to use if the query turns out to be a SELECT/ASK or a
    CONSTRUCT/DESCRIBE; ``None`` means the client accepts no such format.
    """

    query: str
    tabular: str | None = "json"
    graph: str | None = "turtle"
    substitutions: dict[str, Any] = field(default_factory=dict)
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = True
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """A serialized answer: ``kind`` is ``select``, ``ask`` or ``graph``."""

    kind: str
    media_type: str
    body: bytes
    rows: int
    truncated: bool


class NotAcceptable(QueryError):
    """The client accepts no format for this kind of result."""


class IsolationError(AutomakerKGError):
    """The query workers cannot be cut off from the network."""

    exit_code = 2


class QueryPool:
    """A fixed number of worker processes, each with the store at ``store_dir`` open.

    Parameters
    ----------
    store_dir
        An Oxigraph store folder; workers open it with ``Store.read_only``.
    size
        How many queries may run at once.
    timeout
        Seconds a query may run before its worker is killed.
    max_rows
        Most rows (or triples) in an answer; longer answers are cut and marked truncated.
    wait
        Seconds a query may wait for a free worker before ``PoolBusy`` (default 3).
    max_waiting
        Most queries waiting for a worker at once; one more is refused at once with
        ``PoolBusy`` (default 32 per worker).
    memory
        Each worker copies the store into memory when it starts (faster queries; a copy
        per worker, and a replacement worker takes the load time before it serves).
    isolate
        Each worker moves into a network namespace of its own before it opens the store
        (:func:`isolate_network`); when it cannot, the pool does not start
        (:class:`IsolationError`). ``False`` leaves the workers on the host's network.
    memory_limit
        Bytes of address space each worker may use (``RLIMIT_AS``); a query that needs
        more stops its worker and raises :class:`QueryMemoryError`. ``None``:
        :func:`default_worker_memory`; ``0``: no limit.
    """

    def __init__(
        self,
        store_dir: str | os.PathLike[str],
        *,
        size: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        wait: float | None = None,
        memory: bool = False,
        isolate: bool = True,
        memory_limit: int | None = None,
        max_waiting: int | None = None,
    ) -> None:
        if size < 1:
            raise ValueError(f"pool size must be at least 1, not {size}")
        self.store_dir = Path(store_dir)
        self.memory, self.isolate = memory, isolate
        self.size, self.timeout, self.max_rows = size, timeout, max_rows
        self.wait = 3.0 if wait is None else wait
        self.memory_limit = default_worker_memory(size) if memory_limit is None else memory_limit
        self.max_waiting = 32 * size if max_waiting is None else max_waiting
        self._waiting = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        self.killed = 0  # workers killed for running out of time (for tests and logs)
        started = [self._start_worker() for _ in range(size)]
        for worker in started:
            self._await_ready(worker)

    # -- workers -------------------------------------------------------------------------
    def _start_worker(self) -> _Worker:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["RUST_BACKTRACE"] = "0"  # an allocation failure: one line, not a backtrace
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(_PACKAGE_PARENT), env.get("PYTHONPATH", "")) if p
        )
        process = Child.spawn(
            [
                sys.executable,
                "-m",
                "automaker_kg.querypool",
                str(theirs.fileno()),
                str(self.store_dir),
                str(self.max_rows),
                "memory" if self.memory else "disk",
                "isolate" if self.isolate else "network",
                str(self.memory_limit),
            ],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=env,
        )
        theirs.close()
        worker = _Worker(process, Connection(ours.detach()))
        with self._lock:
            self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(120):
            self._discard(worker)
            raise StoreError(f"{self.store_dir}: query worker did not start")
        try:
            status, message = worker.conn.recv()
        except EOFError:
            status, message = "error", "query worker exited while opening the store"
            if self._out_of_memory(worker):
                message = (
                    f"query worker ran out of memory while opening the store (limit "
                    f"{_mb(self.memory_limit)}); raise serve --worker-memory"
                )
        if status == "isolation":
            self._discard(worker)
            raise IsolationError(
                f"cannot cut the query workers off from the network: {message}. "
                "Run as root or enable unprivileged user namespaces "
                "(sysctl kernel.unprivileged_userns_clone=1), or pass "
                "--allow-network-queries to serve anyway (SERVICE stays refused by the guard)"
            )
        if status != "ready":
            self._discard(worker)
            raise StoreError(f"{self.store_dir}: {message}")
        self._idle.put(worker)

    def _replace(self) -> None:
        def start() -> None:
            if self._closed:
                return
            try:
                self._await_ready(self._start_worker())
            except (StoreError, IsolationError):
                log.exception("could not start a replacement query worker")

        threading.Thread(target=start, name="automaker-kg-respawn", daemon=True).start()

    def _discard(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.conn.close()
        with self._lock:
            self._workers.discard(worker)

    # -- running -------------------------------------------------------------------------
    def run(self, job: Job) -> Outcome:
        """Run ``job`` on a free worker and return its serialized answer.

        Raises
        ------
        QueryError
            The query does not parse (message from Oxigraph's parser) or fails.
        QueryTimeout
            The query ran past ``timeout`` seconds and was stopped.
        PoolBusy
            No worker became free within ``wait`` seconds.
        """
        if self._closed:
            raise QueryError("the query pool is closed")
        with self._lock:
            if self._waiting >= self.max_waiting and self._idle.empty():
                raise PoolBusy(f"{self._waiting} queries are already waiting for a worker")
            self._waiting += 1
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise PoolBusy(
                f"no query worker became free within {self.wait:g} s; gave up waiting"
            ) from None
        finally:
            with self._lock:
                self._waiting -= 1
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.timeout):
                raise _Expired
            status, payload = worker.conn.recv()
        except _Expired:
            self._discard(worker)
            self.killed += 1
            self._replace()
            raise QueryTimeout(
                f"query stopped: it ran past the time limit of {self.timeout:g} s"
            ) from None
        except Exception:  # noqa: BLE001 - died, or sent what cannot be read: replace it
            out_of_memory = self._out_of_memory(worker)
            self._discard(worker)
            self._replace()
            if out_of_memory:
                raise QueryMemoryError(self._memory_message()) from None
            log.exception("query worker failed")
            raise WorkerDied("the query worker died while running the query") from None
        if status == "error" and payload[0] == "memory":  # the worker exits after sending
            self._discard(worker)
            self._replace()
            raise QueryMemoryError(self._memory_message())
        self._idle.put(worker)
        if status == "ok":
            return payload
        kind, message = payload
        raise {"syntax": QueryError, "accept": NotAcceptable}.get(kind, QueryError)(message)

    def _out_of_memory(self, worker: _Worker) -> bool:
        """Whether ``worker`` ended as an allocation failure ends (Rust and C++ abort)."""
        code = worker.process.wait(2)
        return bool(self.memory_limit) and code == -signal.SIGABRT

    def _memory_message(self) -> str:
        return (
            f"query used too much memory: it passed the limit of {_mb(self.memory_limit)} "
            "per query worker and was stopped (narrow the query, or add a LIMIT)"
        )

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 2
        for worker in workers:
            worker.process.wait(max(0.0, deadline - time.monotonic()))
            self._discard(worker)

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Expired(Exception):
    pass


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"


@dataclass(eq=False)
class _Worker:
    process: Child
    conn: Any


# -- inside a worker process -------------------------------------------------------------
def _worker_main(
    conn: Any,
    store_dir: str,
    max_rows: int,
    memory: bool = False,
    isolate: bool = True,
    memory_limit: int = 0,
) -> None:
    """Serve jobs from ``conn`` until it closes or sends ``None``."""
    if isolate:
        failure = isolate_network()
        if failure is not None:
            conn.send(("isolation", failure))
            return
    if memory_limit:
        limit_memory(memory_limit)
    try:
        if memory:
            from .store import memory_copy  # only here: the worker's imports stay light

            store = memory_copy(store_dir)
        else:
            store = ox.Store.read_only(store_dir)
    except (OSError, ValueError) as error:
        conn.send(("error", str(error)))
        return
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            conn.send(("ok", execute(store, job, max_rows)))
        except SyntaxError as error:
            conn.send(("error", ("syntax", str(error))))
        except NotAcceptable as error:
            conn.send(("error", ("accept", str(error))))
        except MemoryError:
            conn.send(("error", ("memory", "")))
            return  # a fresh worker takes over: this one may hold half-freed memory
        except Exception as error:  # noqa: BLE001 - reported to the client, worker lives on
            conn.send(("error", ("failed", f"{type(error).__name__}: {error}")))


def execute(store: ox.Store, job: Job, max_rows: int) -> Outcome:
    """Run ``job`` on ``store`` in this process and serialize at most ``max_rows`` rows.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")))
    >>> outcome = execute(store, Job("SELECT ?o { ?s ?p ?o }", tabular="csv"), 10)
    >>> outcome.kind, outcome.body
    ('select', b'o\\r\\nx\\r\\n')
    """
    result = _query(store, job)
    if isinstance(result, ox.QueryBoolean):
        fmt = _pick(TABULAR_FORMATS, job.tabular, "ASK")
        return Outcome("ask", fmt.media_type, result.serialize(format=fmt) or b"", 1, False)
    if isinstance(result, ox.QuerySolutions):
        fmt = _pick(TABULAR_FORMATS, job.tabular, "SELECT")
        if not result.variables:  # at most a few empty rows, and TSV cannot count them
            rows = sum(1 for _ in itertools.islice(result, max_rows + 1))
            body = _query(store, job).serialize(format=fmt) or b""
            return Outcome("select", fmt.media_type, body, min(rows, max_rows), rows > max_rows)
        tsv, count, truncated = _tsv(result, max_rows)
        if fmt == ox.QueryResultsFormat.TSV:
            return Outcome("select", fmt.media_type, tsv, count, truncated)
        again = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        body = again.serialize(format=fmt) or b""  # (None only when given a file to write)
        return Outcome("select", fmt.media_type, body, count, truncated)
    rdf = _pick(GRAPH_FORMATS, job.graph, "CONSTRUCT/DESCRIBE")
    triples = list(itertools.islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    triples = triples[:max_rows]
    prefixes = job.prefixes if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    if rdf is ox.RdfFormat.N_QUADS:
        graph = ox.serialize(
            [ox.Quad(t.subject, t.predicate, t.object) for t in triples], format=rdf
        )
    else:
        graph = ox.serialize(triples, format=rdf, prefixes=prefixes or None)
    return Outcome("graph", rdf.media_type, graph or b"", len(triples), truncated)


def _query(store: ox.Store, job: Job) -> Any:
    text, substitutions = job.query, None
    if job.substitutions:
        try:  # values written in, as the library's own query path does (same plan)
            text = bind_values(job.query, job.substitutions)
        except ValueError:  # a blank node: Oxigraph's substitutions instead
            substitutions = {ox.Variable(k): v for k, v in job.substitutions.items()}
    options: dict[str, Any] = {
        "prefixes": job.prefixes or None,
        "use_default_graph_as_union": job.union_default_graph and not job.default_graph,
        "substitutions": substitutions,
        "default_graph": [ox.NamedNode(g) for g in job.default_graph] or None,
        "named_graphs": [ox.NamedNode(g) for g in job.named_graphs] or None,
    }
    # each OPTIONAL of two or more triple patterns under LATERAL, as the library's path runs
    # it (the same answers; Oxigraph then matches it per solution, not over the whole graph)
    rewritten = lateral_optionals(text)
    try:
        return store.query(rewritten, **options)
    except SyntaxError:
        if rewritten == text:
            raise
        return store.query(text, **options)  # the error of the text as sent


def _pick(table: dict[str, Any], name: str | None, kind: str) -> Any:
    if name is None:
        raise NotAcceptable(f"no acceptable format for a {kind} result")
    return table[name]


class _Enough(Exception):
    """Raised by :class:`_Lines` to stop a serialization that has all the rows it needs."""


class _Lines(io.BytesIO):
    """A buffer to serialize SPARQL TSV into that stops after ``limit`` lines (each TSV
    line is one row: its cells are N-Triples terms, whose line breaks are escaped)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.lines, self.limit = 0, limit

    def write(self, data: Any) -> int:
        written = super().write(data)
        self.lines += bytes(data).count(b"\n")
        if self.lines > self.limit:
            raise _Enough
        return written


def _tsv(solutions: ox.QuerySolutions, max_rows: int) -> tuple[bytes, int, bool]:
    """``solutions`` as SPARQL TSV cut to at most ``max_rows`` rows, by Oxigraph's own
    writer (no Python object per cell: about 3x faster than :func:`serialize_rows` on
    a few thousand rows); the rows kept and whether some were cut.

    >>> store = ox.Store()
    >>> for i in range(3):
    ...     s, p = ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p")
    ...     store.add(ox.Quad(s, p, ox.Literal(i)))
    >>> _tsv(store.query("SELECT ?o { ?s ?p ?o } ORDER BY ?o"), 2)
    (b'?o\\n0\\n1\\n', 2, True)
    >>> _tsv(store.query("SELECT ?o { ?s ?p ?o } ORDER BY ?o"), 3)
    (b'?o\\n0\\n1\\n2\\n', 3, False)
    """
    out = _Lines(max_rows + 1)  # the header line and max_rows rows; one more stops it
    try:
        solutions.serialize(out, ox.QueryResultsFormat.TSV)
    except _Enough:
        lines = out.getvalue().split(b"\n", max_rows + 1)
        return b"\n".join(lines[: max_rows + 1]) + b"\n", max_rows, True
    return out.getvalue(), out.lines - 1, False


def serialize_rows(
    names: Sequence[str], rows: Iterable[Sequence[str | None]], fmt: ox.QueryResultsFormat
) -> bytes:
    """SELECT rows whose cells are N-Triples terms (``None`` or ``""``: unbound) in ``fmt``.

    Oxigraph writes a whole result iterator, not a part of one; so the rows are written as
    SPARQL TSV (whose cells are N-Triples terms, exactly ``str(term)``), read back into a
    result iterator, and that is serialized in the asked-for format.

    >>> serialize_rows(["x"], [['"a"'], [None]], ox.QueryResultsFormat.CSV)
    b'x\\r\\na\\r\\n\\r\\n'
    """
    lines = ["\t".join("?" + name for name in names)]
    for row in rows:
        lines.append("\t".join(cell or "" for cell in row))
    again = ox.parse_query_results("\n".join(lines) + "\n", ox.QueryResultsFormat.TSV)
    return again.serialize(format=fmt) or b""  # (None only when given a file to write)


if __name__ == "__main__":  # python -m automaker_kg.querypool FD STORE ROWS MODE NET MEMORY
    # Run the module's own copy (not __main__'s) so pickled answers name its classes.
    from automaker_kg.querypool import _worker_main as main

    main(
        Connection(int(sys.argv[1])),
        sys.argv[2],
        int(sys.argv[3]),
        sys.argv[4] == "memory",
        sys.argv[5] != "network",
        int(sys.argv[6]),
    )
