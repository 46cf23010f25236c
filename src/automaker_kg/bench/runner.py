"""Run the benchmark: every figure for each size, each heavy step in a child process.

For each size the runner generates the graph (:mod:`automaker_kg.bench.generator`) into a
data folder beside a copy of ``ontology/``, then measures, each part in its own child
process (so its peak memory is its own, read with ``os.wait4``, and a run that hangs is
stopped after its time limit):

``build``      the project's build (parse, validate, write a generation) against Oxigraph's
               bare bulk load of the same files (the floor), and the validation alone;
``queries``    every library query through the project's path (:func:`queries.run`)
               against bare pyoxigraph on the same store and the same bound values;
``rdflib``     the same queries on rdflib's in-memory engine, each capped by a time limit
               (a timeout or a crash, e.g. ``RecursionError``, is recorded as the result);
``analytics``  the ownership projection, integrated ownership of every company (sparse
               LU), cross-holdings (strongly connected components), a path between two
               companies;
``views``      building a vis-network view in linear time against pyvis's own
               ``add_node``/``add_edge`` loop, and the first full render in headless
               Chromium (Debian's, by Playwright) of our page against pyvis's default page;
``endpoint``   latency percentiles of the project's SPARQL endpoint and of Virtuoso
               (``scripts/virtuoso.sh``, loopback only) on the same data and queries, the
               two up together and each query sent to them in turns (same load).

Each timing is a median over ``repeat`` runs. A part whose tool is missing (Chromium,
Virtuoso) is recorded as skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from automaker_kg.bench.generator import HELD, HUB, SECOND, generate
from automaker_kg.browser import CHROMIUM, CHROMIUM_ARGS
from automaker_kg.children import Child, watch

__all__ = ["PARTS", "SIZES", "parse_size", "run_benchmark", "bench_queries"]

#: Seconds one execution of a measured query may run (project path, bare pyoxigraph, either
#: endpoint) before its child is killed and "timeout" recorded.
QUERY_TIMEOUT = float(os.environ.get("AUTOMAKER_KG_BENCH_QUERY_TIMEOUT", "60"))
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}
PARTS = ("build", "queries", "rdflib", "analytics", "views", "endpoint", "commands")
ROOT = Path(__file__).resolve().parents[3]

#: The graph generator's anchors as query parameters (IRIs: no name lookup is timed).
_HUB, _SECOND, _HELD = (f"<{iri}>" for iri in (HUB, SECOND, HELD))
_PARAMS: dict[str, dict[str, str]] = {
    "chain-via-joint-venture": {"start": _SECOND, "end": _HELD},
    "claim-evidence": {},
    "claims-by-status": {},
    "conflicting-stakes": {"company": _HUB},
    "contributions": {"contributor": _HUB, "beneficiary": ""},
    "cross-holdings": {"as_of": "2015-01-01"},
    "facts-about": {"entity": _HUB},
    "joint-venture-partners": {"venture": ""},
    "market-strategy": {"company": _HUB},
    "stakes-as-of": {"as_of": "2015-01-01"},
    "stakes-in-company": {"company": _SECOND},
    "technologies-protected": {"company": _HUB},
    "technologies-withheld": {"company": _HUB, "from": ""},
    "technology-sharing": {"company": _HUB},
}
#: Not in the library: an ownership chain by a property path through the stake nodes (the
#: query rdflib crashes on and Virtuoso 7.2 runs out of transitive memory on).
OWNERSHIP_CHAIN = (
    "SELECT ?owner ?company WHERE { ?owner (^akg:holder/akg:target)+ ?company } ORDER BY ?owner"
)
_EXTRA = {"ownership-chain (not in the library)": (OWNERSHIP_CHAIN, {"company": HELD})}


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``2500`` -> 2500.

    >>> [parse_size(s) for s in ("10k", "1M", "2500")]
    [10000, 1000000, 2500]
    """
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    return int(float(number) * scale)


def size_name(n: int) -> str:
    """``1000000`` -> ``1M``, ``3000`` -> ``3k``."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def _median(values: Iterable[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    wall, _, result, _ = _timed_cpu(fn, repeat)
    return wall, result


#: A query's runs in memory (the project's, bare pyoxigraph's, rdflib's) go on past
#: ``repeat`` until they add up to this many seconds, at most :data:`MAX_RUNS`: a median of
#: three runs of 10 ms moves with every spike of the machine's load, one of 25 much less.
MEASURED_SECONDS = 1.0
MAX_RUNS = 25


def _more_runs(done: list[float], repeat: int) -> bool:
    """Whether a query measured ``done`` (seconds of each run so far) runs again.

    >>> _more_runs([0.5, 0.6], 3), _more_runs([0.5] * 3, 3), _more_runs([0.01] * 3, 3)
    (True, False, True)
    >>> _more_runs([0.01] * MAX_RUNS, 3)
    False
    """
    if len(done) < max(1, repeat):
        return True
    return sum(done) < MEASURED_SECONDS and len(done) < MAX_RUNS


def _timed_cpu(
    fn: Callable[[], Any], repeat: int, *, until_measured: bool = False
) -> tuple[float, float, Any, int]:
    """The median wall time and the median CPU time (this process, every thread) of
    ``repeat`` calls of ``fn`` (more when ``until_measured``: :func:`_more_runs`), its
    last result and the number of calls. On a shared machine the wall time moves with the
    load; the CPU time of a single-threaded engine hardly does, so engines measured
    minutes apart compare on it (their wall times are kept beside)."""
    walls: list[float] = []
    cpus: list[float] = []
    result = None
    while len(walls) < max(1, repeat) or (until_measured and _more_runs(walls, repeat)):
        cpu, start = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result, len(walls)


# ------------------------------------------------------------------------ child processes


def _run_child(
    args: list[str], timeout: float, log: Callable[[str], None]
) -> tuple[dict[str, Any] | None, float | None, str | None]:
    """Run ``python -m automaker_kg.bench.runner child ...``; its JSON, peak RSS (MB), error."""
    cmd = [sys.executable, "-m", "automaker_kg.bench.runner", "child", *args]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = Child.spawn(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        if child.finish(timeout):
            log(f"  child {args[0]} stopped after {timeout:.0f} s")
            return None, child.peak_mb, "timeout"
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        last = problem.strip().splitlines()[-1:] or [f"exit {child.returncode}"]
        log(f"  child {args[0]} failed: {last[0]}")
        return None, child.peak_mb, last[0][:300]
    lines = [line for line in text.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else None), child.peak_mb, None


#: A line a measuring child prints (flushed) as each timed execution starts; the parent
#: allows each execution ``limit`` seconds from its mark and kills the child past it.
MARK = "@start"


def _watch(
    child: Child, fd: int, limit: float, startup: float, relay: bool = False
) -> tuple[dict[str, Any] | None, float | None, str | None]:
    """Follow a child's output on ``fd`` until it exits; kill it once one execution overruns.

    The child has ``startup`` seconds before its first :data:`MARK`, then ``limit`` seconds
    from each mark (:func:`automaker_kg.children.watch`). Returns its last JSON line, its peak
    RSS (MB) and ``"timeout"`` or an error (``None`` when it exited cleanly); a child killed
    for time still gives the last JSON line it wrote (a partial result), or ``None``. With
    ``relay``, each new mark is passed on (this process prints its own :data:`MARK`), so a
    parent watching this process gives it the same time from each of the child's executions.
    """
    buffer, timed_out = watch(
        child, fd, limit, startup, MARK.encode(), _mark if relay else lambda: None
    )
    lines = [line for line in buffer.decode(errors="replace").splitlines() if line.startswith("{")]
    if timed_out:  # with the last whole JSON line it wrote before, if any
        return _last_json(lines), child.peak_mb, "timeout"
    if child.returncode != 0 and not lines:
        return None, child.peak_mb, f"exit {child.returncode}"
    return (json.loads(lines[-1]) if lines else None), child.peak_mb, None


def _last_json(lines: list[str]) -> dict[str, Any] | None:
    """The last of ``lines`` that parses as JSON (a child killed mid-line leaves a torn one).

    >>> _last_json(['{"a": 1}', '{"b": '])
    {'a': 1}
    """
    for line in reversed(lines):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def _mark() -> None:
    print(MARK, flush=True)


def _in_fork(fn: Callable[[], dict[str, Any]], limit: float, relay: bool = False) -> dict[str, Any]:
    """Run ``fn`` in a forked child (sharing what is loaded), killed past ``limit`` seconds.

    ``fn`` calls :func:`_mark` before each timed execution; each gets ``limit`` seconds.
    Returns ``fn``'s result, or ``{"result": "timeout", "limit": limit}``.
    """
    read, write = os.pipe()

    def answer() -> int:  # in the child: the JSON answer on the pipe
        os.close(read)
        try:
            os.dup2(write, 1)
            sys.stdout = os.fdopen(1, "w", buffering=1)
            print(json.dumps(fn(), default=str), flush=True)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            error = f"{type(exc).__name__}: {exc}"[:200]
            print(json.dumps({"result": "crash", "error": error}), flush=True)
            return 1
        return 0

    child = Child.fork(answer)
    os.close(write)
    result, _, error = _watch(child, read, limit, limit, relay)
    if error == "timeout":
        return {"result": "timeout", "limit": limit}
    return result or {"result": "crash", "error": error or "no answer"}


def _run_query_child(
    args: list[str], limit: float, startup: float
) -> tuple[dict[str, Any] | None, float | None, str | None]:
    """``python -m automaker_kg.bench.runner child ...`` watched by :func:`_watch`."""
    cmd = [sys.executable, "-m", "automaker_kg.bench.runner", "child", *args]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with tempfile.TemporaryFile() as err:
        child = Child.spawn(
            cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=env
        )
        assert child.stdout is not None
        fd = os.dup(child.stdout.fileno())
        child.stdout.close()
        result, peak, error = _watch(child, fd, limit, startup)
        if error and error != "timeout":
            err.seek(0)
            last = err.read().decode(errors="replace").strip().splitlines()[-1:]
            error = (last or [error])[0][:300]
    return result, peak, error


def bench_queries() -> list[tuple[str, str, dict[str, str], bool]]:
    """``(name, text, parameters, in_library)`` for every query the benchmark runs."""
    from automaker_kg.queries import library

    out = []
    for name, query in library().items():
        out.append((name, query.text, dict(_PARAMS.get(name, {})), True))
    for name, (text, params) in _EXTRA.items():
        out.append((name, text, {k: f"<{v}>" for k, v in params.items()}, False))
    return out


def _bindings(store: Any, name: str, text: str, params: dict[str, str], library: bool) -> dict:
    """The terms the project binds for ``params`` (also used as bare pyoxigraph's)."""
    from automaker_kg import queries

    if library:
        return queries.bind_params(store, queries.get_query(name), params)
    from rdflib import URIRef

    return {k: URIRef(v.strip("<>")) for k, v in params.items()}


def _child_build(data: str, store: str, floor_dir: str) -> dict[str, Any]:
    from automaker_kg.build import build

    cpu = time.process_time()
    report = build(store, data_dir=data)
    return {
        "seconds": report.seconds,
        "cpu_seconds": time.process_time() - cpu,
        "triples": report.triples,
        "claims": report.claims,
        **{f"{k}_seconds": v for k, v in report.phases.items()},
    }


def _child_floor(data: str, floor_dir: str) -> dict[str, Any]:
    """Oxigraph's bare bulk load of the same files into their named graphs."""
    import pyoxigraph as ox

    from automaker_kg.build import project_files
    from automaker_kg.namespaces import GRAPH

    root = Path(data)
    files = project_files(root)
    cpu, start = time.process_time(), time.perf_counter()
    store = ox.Store(floor_dir)
    for path in files:
        name = path.relative_to(root).as_posix()
        store.bulk_load(
            path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(GRAPH[name]))
        )
    store.flush()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "quads": len(store)}


def _child_rebuild(data: str, store_dir: str, work: str) -> dict[str, Any]:
    """``build`` after one changed fact sheet, as a user runs it: on copies of the data
    folder and the store (hard links), a small sheet about the generated companies is added
    (a build), then changed (the build timed: wall and CPU seconds, its phases)."""
    from automaker_kg.bench.generator import fact_sheet
    from automaker_kg.build import build

    here = Path(work) / "rebuild"
    shutil.rmtree(here, ignore_errors=True)
    folder, store = here / "data", here / "store"
    shutil.copytree(Path(data) / "ontology", folder / "ontology")
    shutil.copytree(Path(data) / "graph", folder / "graph", copy_function=os.link)
    skip = shutil.ignore_patterns("memory.nq", ".lock")
    shutil.copytree(store_dir, store, symlinks=True, copy_function=os.link, ignore=skip)
    sheet = folder / "graph" / "sheet.ttl"
    try:
        sheet.write_text(fact_sheet(1), encoding="utf-8")
        start = time.perf_counter()
        added = build(store, data_dir=folder)
        add_s = time.perf_counter() - start
        sheet.write_text(fact_sheet(2), encoding="utf-8")
        cpu, start = time.process_time(), time.perf_counter()
        report = build(store, data_dir=folder)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        shutil.rmtree(here, ignore_errors=True)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "add_seconds": add_s,
        "incremental": report.rebuilt is not None and added.rebuilt is not None,
        **{f"{k}_seconds": v for k, v in report.phases.items() if k != "focus"},
        "focus_nodes": report.phases.get("focus"),
    }


def _child_validate(store_dir: str) -> dict[str, Any]:
    from automaker_kg.store import open_store
    from automaker_kg.validate import validate_store

    store = open_store(store_dir)
    cpu, start = time.process_time(), time.perf_counter()
    violations = validate_store(store)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "violations": len(violations)}


def _child_query(store_dir: str, index: str, repeat: str, limit: str = "60") -> dict[str, Any]:
    """One benchmark query (by index) through the project's path and two bare baselines.

    The baselines are bare pyoxigraph on the same in-memory store: ``floor`` runs the text
    the project runs (values inlined), ``substitutions`` a plain ``Store.query(text,
    substitutions=...)`` call with the library's own text (in a forked child, killed past
    the time limit, relayed to the parent). Every engine's answer is fingerprinted
    (:mod:`automaker_kg.bench.answers`) so the parent counts a time only when it matches.
    Prints :data:`MARK` before each execution; the parent kills this process when one runs
    past the query time limit.
    """
    import pyoxigraph as ox

    from automaker_kg import queries
    from automaker_kg.bench.answers import fingerprint
    from automaker_kg.namespaces import PREFIXES
    from automaker_kg.store import current_generation, memory_copy, open_store

    disk = open_store(store_dir)
    generation = current_generation(store_dir)
    assert generation is not None  # open_store found the store
    store = memory_copy(generation, disk)  # as `serve --memory` offers
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    name, text, params, in_library = bench_queries()[int(index)]
    bound = _bindings(store, name, text, params, in_library)
    inlined = queries.oxigraph_text(text, bound)  # the text the project's path runs

    def floor() -> Any:
        _mark()
        result = store.query(inlined, prefixes=prefixes, use_default_graph_as_union=True)
        return bool(result) if isinstance(result, ox.QueryBoolean) else [tuple(s) for s in result]

    def project(on: Any) -> Callable[[], Any]:
        def run() -> Any:
            _mark()
            if in_library:
                return queries.run(name, on, params)
            return queries.run_text(on, text, _bindings(on, name, text, params, False))

        return run

    # the type pyoxigraph's query() asks for (a dict, so invariant in its values)
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): queries.to_oxigraph(v) for k, v in bound.items()
    }

    def plain_call() -> dict[str, Any]:
        def once() -> Any:
            _mark()
            result = store.query(
                text,
                substitutions=substitutions,
                prefixes=prefixes,
                use_default_graph_as_union=True,
            )
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            return [tuple(s) for s in result]

        once()  # warm-up, as every engine gets
        seconds, rows = _timed(once, int(repeat))
        count, digest = fingerprint(rows)
        return {"seconds": seconds, "rows": count, "digest": digest}

    try:
        floor()  # warm the caches once for both
        floor_s, floor_cpu, floor_rows, _ = _timed_cpu(floor, int(repeat), until_measured=True)
        project_s, project_cpu, project_rows, runs = _timed_cpu(
            project(store), int(repeat), until_measured=True
        )
        rows, digest = fingerprint(project_rows)
        floor_count, floor_digest = fingerprint(floor_rows)
        in_memory = {
            "floor": floor_s,
            "project": project_s,
            "floor_cpu": floor_cpu,
            "project_cpu": project_cpu,
            "runs": runs,
            "rows": rows,
            "digest": digest,
            "floor_rows": floor_count,
            "floor_digest": floor_digest,
            "library": in_library,
        }
        # the in-memory figures stand if the on-disk runs below overrun the time limit (the
        # parent then keeps this line: :func:`_queries`)
        print(json.dumps(in_memory), flush=True)
        project(disk)()  # warm the disk's caches
        disk_s, disk_cpu, _, _ = _timed_cpu(project(disk), int(repeat))
    except Exception as exc:  # noqa: BLE001 - recorded as the result
        return {"error": f"{type(exc).__name__}: {exc}"[:300], "library": in_library}
    # a little under the parent's limit, so this child answers before the parent kills it
    plain_result = _in_fork(plain_call, float(limit) * 0.9, relay=True)
    return {
        **in_memory,
        "project_disk": disk_s,
        "project_disk_cpu": disk_cpu,
        "substitutions": plain_result,
    }


def _queries(
    store_dir: Path, repeat: int, limit: float, startup: float, log: Callable[[str], None]
) -> dict[str, Any]:
    """Every benchmark query, each in its own child killed past ``limit`` seconds a run."""
    out: dict[str, Any] = {}
    for index, (name, _, _, in_library) in enumerate(bench_queries()):
        args = ["query", str(store_dir), str(index), str(repeat), str(limit)]
        result, _, error = _run_query_child(args, limit, startup)
        if error == "timeout" and result and "project" in result:
            log(f"  query {name}: on disk past the limit (> {limit:.0f} s); in memory measured")
            result = {**result, "project_disk_result": "timeout", "limit": limit}
        elif error == "timeout":
            log(f"  query {name}: timeout (> {limit:.0f} s)")
            result = {"result": "timeout", "limit": limit, "library": in_library}
        elif result is None:
            result = {"error": error or "no answer", "library": in_library}
        out[name] = result
    return out


def dump_timeline(store_dir: str, out: str) -> dict[str, Any]:
    """The built store's derived ``graph/timeline`` as N-Triples in ``out`` (for rdflib,
    which parses the data files only and would otherwise lack it)."""
    import pyoxigraph as ox

    from automaker_kg.build import TIMELINE_GRAPH
    from automaker_kg.namespaces import GRAPH
    from automaker_kg.store import open_store

    store = open_store(store_dir)
    graph = ox.NamedNode(str(GRAPH[TIMELINE_GRAPH]))
    store.dump(output=out, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    return {"bytes": Path(out).stat().st_size}


def _child_rdflib(
    data: str, repeat: str, timeout: str, timeline: str = "", store_dir: str = ""
) -> dict[str, Any]:
    """rdflib in memory: load every file (and the build's timeline) into one Graph once,
    then run each query in a forked child (sharing the loaded graph) that is killed past
    the time limit a run: a warm-up run, then the median of ``repeat``, as every engine.

    With ``store_dir`` (the built store), each query rdflib finishes is then run on the
    project's path too, in this process on the store's in-memory copy, right after
    rdflib's runs (``project_cpu``, ``project_runs``, ``project_digest``): the speed-up
    over rdflib compares two figures of the same minute of the machine's load, not of two
    children run minutes apart (the load on a shared machine moves the CPU time of the
    same query by half).
    """
    from rdflib import Graph

    from automaker_kg import queries
    from automaker_kg.bench.answers import fingerprint
    from automaker_kg.build import project_files

    sys.setrecursionlimit(10_000)
    start = time.perf_counter()
    graph = Graph()
    for path in project_files(Path(data)):
        fmt = "nt" if path.name == "bench.ttl" else "turtle"
        graph.parse(path, format=fmt)
    if timeline:
        graph.parse(timeline, format="nt")
    load = time.perf_counter() - start
    out: dict[str, Any] = {"_load": {"seconds": load, "triples": len(graph)}}
    store = None
    if store_dir:
        from automaker_kg.store import current_generation, memory_copy, open_store

        generation = current_generation(store_dir)
        assert generation is not None  # the build wrote it
        store = memory_copy(generation, open_store(store_dir))
    limit = float(timeout)
    for name, text, params, in_library in bench_queries():

        def measure(
            name: str = name, text: str = text, params: dict = params, lib: bool = in_library
        ) -> dict:
            bound = _bindings(graph, name, text, params, lib)
            times: list[float] = []
            cpus: list[float] = []
            result: Any = None
            try:
                warm = True  # the first run is the warm-up
                while warm or _more_runs(times, int(repeat)):  # as the project's (_timed_cpu)
                    _mark()
                    c0, t0 = time.process_time(), time.perf_counter()
                    result = queries.run_text(graph, text, bound)
                    if not warm:
                        times.append(time.perf_counter() - t0)
                        cpus.append(time.process_time() - c0)
                    warm = False
            except RecursionError:
                return {"result": "crash", "error": "RecursionError"}
            except Exception as exc:  # noqa: BLE001 - recorded as the result
                return {"result": "crash", "error": f"{type(exc).__name__}: {exc}"[:200]}
            rows, digest = fingerprint(result)
            return {
                "seconds": statistics.median(times),
                "cpu_seconds": statistics.median(cpus),
                "runs": len(times),
                "rows": rows,
                "digest": digest,
            }

        out[name] = _in_fork(measure, limit)
        if store is not None and "cpu_seconds" in out[name]:
            out[name].update(_paired(store, name, text, params, in_library, int(repeat)))
    return out


def _paired(
    store: Any, name: str, text: str, params: dict[str, str], in_library: bool, repeat: int
) -> dict[str, Any]:
    """The project's path on ``store`` for one query, timed as in :func:`_child_query`
    (a warm-up run, then :func:`_timed_cpu` until measured), beside rdflib's runs."""
    from automaker_kg import queries
    from automaker_kg.bench.answers import fingerprint

    def run() -> Any:
        if in_library:
            return queries.run(name, store, params)
        return queries.run_text(store, text, _bindings(store, name, text, params, False))

    run()
    _, cpu, rows, runs = _timed_cpu(run, repeat, until_measured=True)
    return {"project_cpu": cpu, "project_runs": runs, "project_digest": fingerprint(rows)[1]}


#: Above this many non-zero (holder, target) pairs the dict form is not timed (at 5M triples
#: the pairs outgrow the machine's memory; the sparse matrix is the answer there).
DICT_PAIRS_MAX = 20_000_000


def _child_analytics(store_dir: str, repeat: str, seed: str = "7") -> dict[str, Any]:
    from automaker_kg.analytics import cross_holdings, integrated_ownership
    from automaker_kg.analytics.ownership import integrated_matrix, stake_graph
    from automaker_kg.projections import project
    from automaker_kg.store import open_store

    first_s, store = _timed(lambda: open_store(store_dir, memory=True), 1)
    memory = _memory_open(store_dir)
    n = int(repeat)
    projection_s, G = _timed(lambda: project(store, "ownership"), 1)
    S = stake_graph(G)
    integrated_s, (_, matrix) = _timed(lambda: integrated_matrix(S), n)
    table_s: float | str = f"not run: {matrix.nnz:,} pairs (a dict of each runs out of memory)"
    pairs = None
    if matrix.nnz <= DICT_PAIRS_MAX:
        table_s, table = _timed(lambda: integrated_ownership(S), 1)
        pairs = len(table)
        del table
    cross_s, groups = _timed(lambda: cross_holdings(S), n)
    paths = _random_paths(G, n, int(seed))
    return {
        "load_memory_first": first_s,
        **memory,
        "projection": projection_s,
        "companies": S.number_of_nodes(),
        "stakes": S.number_of_edges(),
        "integrated": integrated_s,
        "integrated_nonzero": int(matrix.nnz),
        "integrated_dict": table_s,
        "integrated_pairs": pairs,
        "cross_holdings": cross_s,
        "cross_groups": len(groups),
        "largest_group": max((len(g) for g in groups), default=0),
        **paths,
    }


def _memory_open(store_dir: str, rounds: int = 3) -> dict[str, Any]:
    """``open_store(memory=True)`` beside a bare ``bulk_load`` of the same quads (the
    generation's N-Quads snapshot) into an empty in-memory store, alternating, in this one
    process: median wall and CPU seconds of each."""
    import pyoxigraph as ox

    from automaker_kg.store import SNAPSHOT_FILE, current_generation, open_store

    generation = current_generation(store_dir)
    assert generation is not None  # the benchmark built the store before timing it
    snapshot = generation / SNAPSHOT_FILE

    def bare() -> Any:
        store = ox.Store()
        store.bulk_load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
        return store

    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for key, fn in (
            ("load_memory_bare", bare),
            ("load_memory", lambda: open_store(store_dir, memory=True)),
        ):
            cpu = time.process_time()
            wall, store = _timed(fn, 1)
            times.setdefault(key, []).append(wall)
            times.setdefault(key + "_cpu", []).append(time.process_time() - cpu)
            del store
    return {key: _median(values) for key, values in times.items()}


#: How many (start, end) pairs the path benchmark draws.
PATH_PAIRS = 20


def _random_paths(G: Any, repeat: int, seed: int) -> dict[str, Any]:
    """Shortest explained paths between :data:`PATH_PAIRS` pairs of companies drawn at random
    (seeded), each timed (median of ``repeat``); the hop counts (``None``: no path) beside.

    ``path`` is the median time over the pairs, ``path_max`` the slowest pair.
    """
    import random

    import networkx as nx

    from automaker_kg.analytics import explain_path

    nodes = sorted(str(node) for node in G.nodes)
    rng = random.Random(seed)
    pairs, times, hops = [], [], []
    for _ in range(PATH_PAIRS if len(nodes) > 1 else 0):
        a, b = rng.sample(nodes, 2)

        def find(a: str = a, b: str = b) -> int | None:
            try:
                return len(explain_path(G, a, b, max_hops=None))
            except nx.NetworkXNoPath:
                return None

        seconds, length = _timed(find, repeat)
        pairs.append([a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1]])
        times.append(seconds)
        hops.append(length)
    found = [h for h in hops if h is not None]
    return {
        "path": _median(times),
        "path_max": max(times, default=None),
        "path_pairs": pairs,
        "path_seconds": times,
        "path_hops": hops,
        "path_hops_median": _median(found),
        "path_hops_max": max(found, default=None),
        "path_none": len(hops) - len(found),
    }


def _view_graph(store_dir: str, nodes: int) -> Any:
    """The ownership projection cut to its ``nodes`` most connected entities."""
    from automaker_kg import render
    from automaker_kg.projections import project
    from automaker_kg.store import open_store

    G = project(open_store(store_dir), "ownership")
    H, _ = render.narrow(G, nodes)
    return G, H


def _pyvis_network(H: Any) -> Any:
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for node, attrs in H.nodes(data=True):
        net.add_node(str(node), label=str(attrs.get("label") or node))
    for u, v, data in H.edges(data=True):
        net.add_edge(str(u), str(v), title=str(data.get("label") or ""))
    return net


def _child_views(store_dir: str, out_dir: str, repeat: str) -> dict[str, Any]:
    from automaker_kg import render

    G, H = _view_graph(store_dir, 20_000)
    n = int(repeat)
    layout_s, positions = _timed(lambda: render.layout(H), n)
    ours_s, _ = _timed(lambda: render.build_network(H, positions), n)
    theirs_s, _ = _timed(lambda: _pyvis_network(H), 1)
    _, small = _view_graph(store_dir, 5_000)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    page_s, page = _timed(lambda: render.render_view(small, title="bench", max_nodes=5_000), 1)
    (folder / "ours.html").write_text(page, encoding="utf-8")
    net = _pyvis_network(small)
    (folder / "pyvis.html").write_text(net.generate_html(notebook=False), encoding="utf-8")
    full = render.render_view(G, title="bench full")
    narrowed = "Narrowed:" in full
    return {
        "nodes": H.number_of_nodes(),
        "edges": H.number_of_edges(),
        "layout": layout_s,
        "build_ours": ours_s,
        "build_pyvis": theirs_s,
        "page_nodes": small.number_of_nodes(),
        "page_seconds": page_s,
        "full_nodes": G.number_of_nodes(),
        "full_narrowed": narrowed,
        "full_max_nodes": render.DEFAULT_MAX_NODES,
    }


def _child_render(page: str, kind: str, timeout: str) -> dict[str, Any]:
    """Seconds from navigation to the first full render of a page in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.route("**/*", _offline)
        tab = context.new_page()
        start = time.perf_counter()
        tab.goto(Path(page).resolve().as_uri(), wait_until="load", timeout=120_000)
        if kind == "ours":
            ready = "window.akgReady === true"
        else:  # pyvis: physics stabilised (or no physics) and drawn
            ready = "typeof network !== 'undefined' && network.physics.stabilized === true"
        limit = float(timeout) * 1000
        try:
            tab.wait_for_function(ready, timeout=limit, polling=50)
            seconds: float | str = time.perf_counter() - start
        except Exception:  # noqa: BLE001 - playwright's TimeoutError
            seconds = "timeout"
        browser.close()
    return {"seconds": seconds, "limit": float(timeout)}


def _offline(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


# ------------------------------------------------------------------------ endpoints


def _query_texts(store_dir: str) -> dict[str, str]:
    """Each benchmark query as one text with its values written in (as the project runs it)."""
    from automaker_kg.namespaces import sparql_prologue
    from automaker_kg.queries import inline
    from automaker_kg.store import open_store

    store = open_store(store_dir)
    texts = {}
    for name, text, params, in_library in bench_queries():
        bound = _bindings(store, name, text, params, in_library)
        texts[name] = sparql_prologue() + inline(text, bound)
    del store
    return texts


def _latencies(endpoint: str, text: str, repeat: int, timeout: float) -> dict[str, Any]:
    """``repeat`` executions of ``text`` on one endpoint (:func:`_side_by_side`)."""
    return _side_by_side({"only": endpoint}, text, repeat, timeout)["only"]


def _side_by_side(
    endpoints: dict[str, str], text: str, repeat: int, timeout: float
) -> dict[str, dict[str, Any]]:
    """``repeat`` executions of ``text`` on each endpoint, taking turns (one execution on
    each in a round, the first of the round alternating), so that every endpoint meets the
    machine's load of the same minutes: percentiles, row count and the answer's
    fingerprint of each. Sent by POST (an HTML form body, as the SPARQL 1.1 Protocol
    allows; a long query in a GET URL is refused by some servers). An endpoint that fails
    or runs past ``timeout`` gets the error as its result and is sent no more."""
    from automaker_kg.bench.answers import fingerprint_json

    body = urllib.parse.urlencode({"query": text}).encode()
    times: dict[str, list[float]] = {name: [] for name in endpoints}
    answers: dict[str, bytes] = {}
    failed: dict[str, dict[str, Any]] = {}
    order = list(endpoints)
    for round_ in range(max(1, repeat)):
        for name in order if round_ % 2 == 0 else order[::-1]:
            if name in failed:
                continue
            outcome = _send(endpoints[name], body, timeout)
            if isinstance(outcome, dict):
                failed[name] = outcome
            else:
                times[name].append(outcome[0])
                answers[name] = outcome[1]
    out: dict[str, dict[str, Any]] = {}
    for name in endpoints:
        if name in failed:
            out[name] = failed[name]
            continue
        ordered = sorted(times[name])

        def pct(p: float, ordered: list[float] = ordered) -> float:
            return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

        try:
            rows, digest = fingerprint_json(json.loads(answers[name]))
        except ValueError as exc:
            out[name] = {"error": f"not SPARQL JSON: {exc}"[:300]}
            continue
        out[name] = {"p50": pct(50), "p90": pct(90), "p99": pct(99), "rows": rows, "digest": digest}
    return out


def _send(endpoint: str, body: bytes, timeout: float) -> tuple[float, bytes] | dict[str, Any]:
    """One POST of the form ``body``: ``(seconds, answer)``, or the error as a result."""
    headers = {
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    start = time.perf_counter()
    try:
        request = urllib.request.Request(endpoint, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=timeout + 5) as answer:
            answer_body = answer.read()
    except TimeoutError:  # the socket waited past the query time limit
        return {"error": f"timeout (> {timeout:.0f} s)", "result": "timeout"}
    except Exception as exc:  # noqa: BLE001 - an error is the result
        if "timed out" in str(exc):
            return {"error": f"timeout (> {timeout:.0f} s)", "result": "timeout"}
        message = getattr(exc, "read", lambda: b"")()[:200].decode("utf-8", "replace")
        getattr(exc, "close", lambda: None)()
        return {"error": f"{type(exc).__name__}: {exc} {message}".strip()[:300]}
    return time.perf_counter() - start, answer_body


def start_virtuoso(folder: Path) -> str:
    """Start a Virtuoso server in an emptied ``folder`` (``scripts/virtuoso.sh start``, loopback
    only); its base URL. Raises :class:`subprocess.SubprocessError` when it does not start."""
    shutil.rmtree(folder, ignore_errors=True)
    started = subprocess.run(
        ["bash", str(ROOT / "scripts" / "virtuoso.sh"), "start", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return started.stdout.strip().splitlines()[-1]


def stop_virtuoso(folder: Path) -> None:
    """Stop the Virtuoso server :func:`start_virtuoso` started in ``folder``."""
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "virtuoso.sh"), "stop", str(folder)],
        capture_output=True,
        timeout=60,
    )


def virtuoso_load(folder: Path, data: Path, log: Callable[[str], None]) -> float:
    """Bulk-load the data folder's files into Virtuoso (isql ``ld_dir``), with the build's
    derived timeline (``timeline.nt`` beside ``data``, when there); seconds taken."""
    from automaker_kg.build import TIMELINE_GRAPH, project_files
    from automaker_kg.namespaces import GRAPH

    ini = (folder / "virtuoso.ini").read_text()
    port = next(
        line.split(":")[-1].strip()
        for line in ini.splitlines()
        if line.startswith("ServerPort") and "127.0.0.1" in line
    )
    # absolute: Virtuoso resolves ld_dir's folder against its own working directory, so a
    # relative one (``make bench`` writes under bench-results/) silently loaded nothing
    load_dir = (folder / "load").resolve()
    load_dir.mkdir(exist_ok=True)
    commands = []
    for path in project_files(data):
        name = path.relative_to(data).as_posix()
        target = load_dir / name.replace("/", "__")
        shutil.copyfile(path, target)
        commands.append(f"ld_dir('{load_dir}', '{target.name}', '{GRAPH[name]}');")
    timeline = data.parent / "timeline.nt"
    if timeline.exists():
        shutil.copyfile(timeline, load_dir / "timeline.nt")
        commands.append(f"ld_dir('{load_dir}', 'timeline.nt', '{GRAPH[TIMELINE_GRAPH]}');")
    commands += ["rdf_loader_run();", "checkpoint;"]
    isql = ["isql-vt", port, "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"]
    start = time.perf_counter()
    subprocess.run(
        isql,
        input="\n".join(commands) + "\n",
        text=True,
        capture_output=True,
        timeout=3600,
        check=True,
    )
    seconds = time.perf_counter() - start
    # isql exits 0 whatever the loader did: read its load list, and refuse a load that
    # left a file out (the answers would then be compared against an empty database)
    listed = subprocess.run(
        isql,
        input="SELECT ll_file, ll_state, ll_error FROM DB.DBA.LOAD_LIST;\n",
        text=True,
        capture_output=True,
        timeout=300,
        check=True,
    ).stdout
    loaded = [line for line in listed.splitlines() if str(load_dir) in line]
    failed = [line for line in loaded if not line.rstrip().endswith("NULL")]
    if len(loaded) != len(commands) - 2 or failed:
        raise OSError(
            f"Virtuoso loaded {len(loaded) - len(failed)} of {len(commands) - 2} files "
            f"from {load_dir}: {' | '.join(' '.join(f.split()) for f in failed)[:200]}"
        )
    log(f"Virtuoso loaded {len(loaded)} files in {seconds:.1f} s")
    return seconds


def _endpoints(
    store_dir: Path, data: Path, work: Path, repeat: int, timeout: float, log: Callable
) -> dict[str, Any]:
    """Our endpoint and Virtuoso (when installed) up together on the same data, each query
    sent to both in turns (:func:`_side_by_side`): on a shared machine the two then meet
    the same load, where one measured minutes after the other met another."""
    from automaker_kg.server import ServerSettings, create_app, make_http_server

    texts = _query_texts(str(store_dir))
    result: dict[str, Any] = {"ours": {}, "virtuoso": {}}
    script = ROOT / "scripts" / "virtuoso.sh"
    folder = work / "virtuoso"
    virtuoso: str | None = None
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt") or not script.exists():
        result["virtuoso"] = {"skipped": "virtuoso-opensource (virtuoso-t, isql-vt) not installed"}
    else:
        try:
            base = start_virtuoso(folder)
            result["virtuoso_load"] = virtuoso_load(folder, data, log)
            ini = (folder / "virtuoso.ini").read_text()
            result["virtuoso_config"] = {
                key: value.strip()
                for key, _, value in (line.partition("=") for line in ini.splitlines())
                if key.strip() in ("NumberOfBuffers", "MaxDirtyBuffers", "MaxQueryMem")
                for key in [key.strip()]
            }
            virtuoso = base + "/sparql"
        except (subprocess.SubprocessError, OSError, StopIteration) as exc:
            result["virtuoso"] = {"skipped": f"Virtuoso did not run: {exc}"[:300]}
    try:
        # every repetition runs (no result cache: the figure is the engine's, not a cache
        # hit's); cross-holdings still answers from the generation's reciprocal-stake index
        settings = ServerSettings(
            port=0, timeout=timeout, max_rows=1_000_000, workers=2, memory=True, result_cache=0
        )
        app = create_app(str(store_dir / "current"), settings=settings)
        app.indexes_ready()  # the conflicting-stakes index, built on a first start: not timed
        server = make_http_server(app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        endpoints = {"ours": f"http://127.0.0.1:{server.server_address[1]}/sparql"}
        if virtuoso is not None:
            endpoints["virtuoso"] = virtuoso
        try:
            for name, text in texts.items():
                _side_by_side(endpoints, text, 1, timeout)  # warm
                for side, figures in _side_by_side(endpoints, text, repeat, timeout).items():
                    result[side][name] = figures
        finally:
            server.shutdown()
            server.server_close()
            app.close()
    finally:
        if virtuoso is not None or folder.exists():
            stop_virtuoso(folder)
            shutil.rmtree(folder, ignore_errors=True)
    return result


# ------------------------------------------------------------------------ one size


def _data_dir(work: Path, triples: int, seed: int) -> tuple[Path, dict[str, Any]]:
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    (data / "graph").mkdir(parents=True)
    from automaker_kg.paths import ontology_dir

    shutil.copytree(ontology_dir(), data / "ontology")
    start = time.perf_counter()
    info = generate(triples, seed=seed, path=data / "graph" / "bench.ttl")
    return data, {
        "triples": info.triples,
        "companies": info.companies,
        "claims": info.claims,
        "documents": info.documents,
        "seconds": time.perf_counter() - start,
        "bytes": (data / "graph" / "bench.ttl").stat().st_size,
    }


def run_size(
    triples: int,
    work: Path,
    *,
    repeat: int = 3,
    seed: int = 7,
    parts: Iterable[str] = PARTS,
    rdflib_timeout: float = 60.0,
    query_timeout: float | None = None,
    endpoint_repeat: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Every figure for one size; ``work`` holds its data, stores and pages.

    Each endpoint's latencies are percentiles of ``endpoint_repeat`` executions a query
    (default ``max(repeat, 5)``), after one warm-up execution.
    """
    parts = set(parts)
    query_timeout = QUERY_TIMEOUT if query_timeout is None else query_timeout
    work.mkdir(parents=True, exist_ok=True)
    data, generated = _data_dir(work, triples, seed)
    log(f"[{size_name(triples)}] generated {generated['triples']} triples")
    out: dict[str, Any] = {"triples": triples, "generated": generated}
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    limit = 600 + triples / 1000  # seconds: generous, bounded
    built, peak, error = _run_child(["build", str(data), str(store), ""], limit * 3, log)
    out["build"] = {**(built or {}), "peak_mb": peak, "error": error}
    log(f"[{size_name(triples)}] build {out['build']}")
    if error:
        return out
    if "build" in parts:
        floors = []
        for _ in range(max(1, min(repeat, 3))):
            floor_dir = work / "floor"
            shutil.rmtree(floor_dir, ignore_errors=True)
            floor, floor_peak, _ = _run_child(["floor", str(data), str(floor_dir)], limit, log)
            shutil.rmtree(floor_dir, ignore_errors=True)
            if floor:
                floors.append((floor["seconds"], floor.get("cpu_seconds")))
        out["floor"] = {
            "seconds": _median(f for f, _ in floors),
            "cpu_seconds": _median(c for _, c in floors if c is not None),
            "peak_mb": floor_peak,
        }
        validated, _, error = _run_child(["validate", str(store)], limit, log)
        out["validate"] = {**(validated or {}), "error": error}
        log(f"[{size_name(triples)}] floor {out['floor']} validate {out['validate']}")
        rebuilt, _, error = _run_child(["rebuild", str(data), str(store), str(work)], limit, log)
        out["rebuild"] = {**(rebuilt or {}), "error": error}
        log(f"[{size_name(triples)}] rebuild {out['rebuild']}")
    # the build's derived timeline graph, for the engines that read the data files only
    timeline = work / "timeline.nt"
    _run_child(["timeline", str(store), str(timeline)], limit, log)
    if "queries" in parts:
        startup = 120 + triples / 10_000  # opening the store and binding the values
        out["queries"] = _queries(store, repeat, query_timeout, startup, log)
        log(f"[{size_name(triples)}] queries done")
    if "rdflib" in parts:
        if triples > 2_000_000:
            out["rdflib"] = {"skipped": "rdflib in memory is not run above 2M triples (RAM, hours)"}
        else:
            budget = 900 + len(bench_queries()) * rdflib_timeout * (repeat + 1) + triples / 5_000
            args = ["rdflib", str(data), str(repeat), str(rdflib_timeout), str(timeline)]
            args.append(str(store))  # the project's path beside each query (_paired)
            result, peak, error = _run_child(args, budget, log)
            out["rdflib"] = result or {"error": error}
            out["rdflib_peak_mb"] = peak
        log(f"[{size_name(triples)}] rdflib done")
    if "analytics" in parts:
        args = ["analytics", str(store), str(repeat), str(seed)]
        result, peak, error = _run_child(args, limit, log)
        out["analytics"] = {**(result or {}), "peak_mb": peak, "error": error}
        log(f"[{size_name(triples)}] analytics {out['analytics']}")
    if "views" in parts:
        pages = work / "pages"
        result, _, error = _run_child(["views", str(store), str(pages), str(repeat)], limit, log)
        out["views"] = {**(result or {}), "error": error}
        if result and not CHROMIUM.exists():
            out["views"]["render"] = {"skipped": f"{CHROMIUM} is not installed"}
        elif result:
            renders: dict[str, Any] = {}
            for kind in ("ours", "pyvis"):
                times = []
                for _ in range(max(1, min(repeat, 3) if kind == "ours" else 1)):
                    page = str(pages / f"{kind}.html")
                    r, _, err = _run_child(["render", page, kind, "180"], 400, log)
                    times.append(r["seconds"] if r else (err or "error"))
                numbers = [t for t in times if isinstance(t, float)]
                renders[kind] = _median(numbers) if numbers else times[0]
            out["views"]["render"] = {**renders, "limit": 180.0}
        log(f"[{size_name(triples)}] views {out['views']}")
    if "commands" in parts:  # whole processes, as a user runs them (bench.commands)
        from automaker_kg.bench.commands import run_commands

        try:
            out["commands"] = run_commands(store, repeat, seed, log)
        except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
            out["commands"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    if "endpoint" in parts:
        try:
            runs = max(repeat, 5) if endpoint_repeat is None else endpoint_repeat
            out["endpoint"] = _endpoints(store, data, work, runs, query_timeout, log)
        except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
            out["endpoint"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        log(f"[{size_name(triples)}] endpoint done")
    return out


def run_benchmark(
    sizes: Iterable[int],
    out_dir: str | os.PathLike[str],
    *,
    repeat: int = 3,
    seed: int = 7,
    parts: Iterable[str] = PARTS,
    rdflib_timeout: float = 60.0,
    query_timeout: float | None = None,
    endpoint_repeat: int | None = None,
    keep: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run every part for each size; write ``results.json`` and ``results.md`` in ``out_dir``.

    ``endpoint_repeat``: executions of each query on each endpoint (see :func:`run_size`).

    Returns the results (the JSON document).
    """
    from automaker_kg.bench import report

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work_root = out / "work"
    results: dict[str, Any] = {
        "machine": report.machine(),
        "load_start": list(os.getloadavg()),
        "repeat": repeat,
        "seed": seed,
        "sizes": {},
    }
    for n in sizes:
        results["sizes"][size_name(n)] = run_size(
            n,
            work_root / size_name(n),
            repeat=repeat,
            seed=seed,
            parts=parts,
            rdflib_timeout=rdflib_timeout,
            query_timeout=query_timeout,
            endpoint_repeat=endpoint_repeat,
            log=log,
        )
        if not keep:
            shutil.rmtree(work_root / size_name(n), ignore_errors=True)
        results["load_end"] = list(os.getloadavg())
        (out / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
        (out / "results.md").write_text(report.markdown(results))
    if not keep:
        shutil.rmtree(work_root, ignore_errors=True)
    return results


_CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "build": _child_build,
    "floor": _child_floor,
    "validate": _child_validate,
    "rebuild": _child_rebuild,
    "query": _child_query,
    "rdflib": _child_rdflib,
    "timeline": dump_timeline,
    "analytics": _child_analytics,
    "views": _child_views,
    "render": _child_render,
}


if __name__ == "__main__":  # python -m automaker_kg.bench.runner child KIND ARGS...
    if len(sys.argv) < 3 or sys.argv[1] != "child" or sys.argv[2] not in _CHILDREN:
        sys.exit(f"usage: python -m automaker_kg.bench.runner child {{{','.join(_CHILDREN)}}} ...")
    print(json.dumps(_CHILDREN[sys.argv[2]](*sys.argv[3:]), default=str))
