#!/usr/bin/env python3
"""A bounded load test of a SPARQL endpoint on this machine: N clients, M queries, then stop.

    python scripts/loadtest.py http://127.0.0.1:8000/sparql --clients 32 --total 320
    python scripts/loadtest.py --generated 100000 --clients 32,128     # make loadtest

Each client thread takes the next of ``total`` queries (cycling through the query mix),
sends it by POST (form-encoded, as the SPARQL 1.1 Protocol allows), checks the answer
against the expected one (by default the answer of a first, sequential round) and records
its latency. It prints the throughput, latency percentiles, the 503s (the server shedding
load: busy, time or memory limit) and the wrong answers. Only loopback endpoints are
accepted: this is a test of our own server.

With ``--generated N`` it sets everything up itself: the benchmark's generated graph of
about N triples, built into a store, served by ``automaker-kg serve`` (on disk, workers
one per core) twice -- as shipped ("ours": the result cache and the cross-holdings index)
and with ``--result-cache 0`` ("ours-nocache": every request runs) -- and by Virtuoso
(``scripts/virtuoso.sh``, buffers sized to the machine) when it is installed, all on the
same data at once. A first, sequential round asks every engine every query of the
benchmark's mix (the whole query library with its parameters, plus the benchmark's extra
queries) and compares the answers across engines (:mod:`automaker_kg.bench.answers`);
the load runs use the queries every engine answered alike, so the engines are measured on
the same mix, and list the others. Then, at each client count, each engine in turn (ours
and Virtuoso in the same minutes): throughput, p50/p99, each query's p50, the machine's
load average and the engine's CPU time. Stdlib only for a given endpoint; ``--generated``
needs the project installed.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import ipaddress
import json
import os
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

DEFAULT_QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY ?class",
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
    "ORDER BY ?s ?label LIMIT 50",
    "ASK { ?s ?p ?o }",
]


@dataclass
class Report:
    """What a load run measured."""

    clients: int
    total: int
    ok: int = 0
    wrong: int = 0
    busy: int = 0  # 503 answers: the server refused or stopped the query (load, time, memory)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of the answers (200)
    busy_latencies: list[float] = field(default_factory=list)  # how long a 503 took
    by_query: dict[int, list[float]] = field(default_factory=dict)  # answers' latencies
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at the start and end
    cpu: float | None = None  # CPU seconds the engine's processes used during the run

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def summary(self) -> str:
        mean = statistics.fmean(self.latencies) if self.latencies else float("nan")
        return (
            f"{self.total} queries, {self.clients} clients: {self.ok} right, {self.wrong} wrong, "
            f"{self.busy} answered 503, {len(self.errors) - self.busy} other errors "
            f"in {self.seconds:.2f} s = {self.throughput:.1f} queries/s; "
            f"latency ms p50 {self.percentile(50) * 1000:.1f}, "
            f"p90 {self.percentile(90) * 1000:.1f}, p99 {self.percentile(99) * 1000:.1f}, "
            f"max {max(self.latencies, default=0) * 1000:.1f}, mean {mean * 1000:.1f}"
        )


def check_loopback(url: str) -> None:
    """Refuse any endpoint that is not on this machine's loopback range."""
    host = urllib.parse.urlsplit(url).hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_loopback:
            raise SystemExit(f"refusing {url}: {address} is not a loopback address")


def canonical(body: bytes) -> object:
    """A SPARQL JSON answer in a form that ignores row order."""
    data = json.loads(body)
    if "boolean" in data:
        return data["boolean"]
    names = data["head"]["vars"]
    rows = []
    for binding in data["results"]["bindings"]:
        rows.append(tuple(json.dumps(binding.get(n), sort_keys=True) for n in names))
    return (tuple(names), tuple(sorted(rows)))


def fetch(endpoint: str, query: str, timeout: float) -> bytes:
    """One query by POST (form-encoded: long queries fit, where some servers refuse long
    URLs)."""
    encoded = urllib.parse.urlencode({"query": query}).encode()
    headers = {
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    request = urllib.request.Request(endpoint, data=encoded, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` and its living descendants (Linux)."""
    if pid is None:
        return None
    try:
        tick = os.sysconf("SC_CLK_TCK")
        parents: dict[int, int] = {}
        used: dict[int, float] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            used[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    except (OSError, ValueError):
        return None
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(used.get(p, 0.0) for p in tree)


def run(
    endpoint: str,
    queries: Sequence[str] = DEFAULT_QUERIES,
    *,
    clients: int = 32,
    total: int = 320,
    expected: Sequence[object] | None = None,
    timeout: float = 60.0,
    pid: int | None = None,
) -> Report:
    """Send ``total`` queries from ``clients`` threads and check every answer.

    ``expected[i]`` is :func:`canonical` of the right answer to ``queries[i]``; by default
    it is taken from one sequential round before the load starts. ``pid``: the engine's
    process, whose CPU time (with its children's) the report records.
    """
    check_loopback(endpoint)
    if expected is None:
        expected = [canonical(fetch(endpoint, q, timeout)) for q in queries]
    report = Report(clients, total)
    lock = threading.Lock()
    counter = iter(range(total))
    # bodies already found right, by digest: the same bytes again need no second reading
    # (reading a large answer costs the client more than a cached answer costs the server)
    right: set[tuple[int, bytes]] = set()

    def client() -> None:
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            which = index % len(queries)
            start = time.perf_counter()
            try:
                body = fetch(endpoint, queries[which], timeout)
                elapsed = time.perf_counter() - start  # the answer read; checked after
                digest = (which, hashlib.sha256(body).digest())
                correct = digest in right or canonical(body) == expected[which]
            except (OSError, ValueError, urllib.error.URLError) as error:
                with lock:
                    report.errors.append(f"query {which}: {error}")
                    if isinstance(error, urllib.error.HTTPError) and error.code == 503:
                        report.busy += 1
                        report.busy_latencies.append(time.perf_counter() - start)
                continue
            with lock:
                report.latencies.append(elapsed)
                report.by_query.setdefault(which, []).append(elapsed)
                if correct:
                    report.ok += 1
                    right.add(digest)
                else:
                    report.wrong += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    load_start, cpu_start = os.getloadavg()[0], cpu_seconds(pid)
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * total)
    report.seconds = time.perf_counter() - start
    cpu_end = cpu_seconds(pid)
    report.load = (load_start, os.getloadavg()[0])
    if cpu_start is not None and cpu_end is not None:
        report.cpu = cpu_end - cpu_start
    return report


def median(values: Sequence[float]) -> float:
    """The median (``nan`` for none)."""
    return statistics.median(values) if values else float("nan")


def sequential(
    endpoint: str, queries: dict[str, str], timeout: float, seconds: dict[str, float] | None = None
) -> tuple[dict[str, bytes], dict[str, str]]:
    """One round, one query at a time: each answer's body, and the queries that failed
    (``seconds`` gets each answer's latency)."""
    answers, failed = {}, {}
    for name, text in queries.items():
        start = time.perf_counter()
        try:
            answers[name] = fetch(endpoint, text, timeout)
        except (OSError, ValueError, urllib.error.URLError) as error:
            failed[name] = str(error)[:120]
            continue
        if seconds is not None:
            seconds[name] = time.perf_counter() - start
    return answers, failed


@dataclass
class Engine:
    """An endpoint under test: its name, /sparql URL and process (for its CPU time)."""

    name: str
    endpoint: str
    pid: int | None = None


def common_mix(
    engines: list[Engine], queries: dict[str, str], timeout: float
) -> tuple[list[str], dict[str, dict[str, object]], list[str]]:
    """The queries every engine answers alike (their names), each engine's expected answer
    per query (:func:`canonical`, its own serialisation), and why the others are left out."""
    from automaker_kg.bench.answers import fingerprint_json

    forms: dict[str, dict[str, tuple[int, str]]] = {}
    expected: dict[str, dict[str, object]] = {}
    notes = []
    alone: dict[str, dict[str, float]] = {}
    for engine in engines:
        alone[engine.name] = {}
        answers, failed = sequential(engine.endpoint, queries, timeout, alone[engine.name])
        for name, reason in failed.items():
            notes.append(f"{name}: {engine.name} failed alone ({reason})")
        expected[engine.name] = {n: canonical(body) for n, body in answers.items()}
        forms[engine.name] = {n: fingerprint_json(json.loads(b)) for n, b in answers.items()}
    mix = []
    reference = forms[engines[0].name]
    for name in queries:
        answered = [e for e in engines if name in forms[e.name]]
        if len(answered) < len(engines):
            continue
        differ = [e.name for e in engines if forms[e.name][name] != reference[name]]
        if differ:
            rows = ", ".join(f"{e}: {forms[e][name][0]} rows" for e in differ)
            notes.append(
                f"{name}: answered otherwise than {engines[0].name} "
                f"({reference[name][0]} rows): {rows}"
            )
            continue
        mix.append(name)
    print("one request at a time, ms (the first round: nothing cached yet):")
    for name in queries:
        cells = [
            f"{e.name} {alone[e.name][name] * 1000:.0f}" if name in alone[e.name] else f"{e.name} -"
            for e in engines
        ]
        print(f"  {name}: " + ", ".join(cells))
    return mix, expected, notes


def compare(
    engines: list[Engine],
    queries: dict[str, str],
    clients: list[int],
    per_client: int,
    timeout: float,
) -> tuple[list[tuple[str, Report]], list[str], list[str]]:
    """Every engine at each client count over the same queries (the ones all answer alike),
    engines in turn within each client count. Returns the reports, the mix and the notes."""
    mix, expected, notes = common_mix(engines, queries, timeout)
    for note in notes:
        print("left out:", note, flush=True)
    results = []
    for count in clients:
        for engine in engines:
            report = run(
                engine.endpoint,
                [queries[n] for n in mix],
                clients=count,
                total=count * per_client,
                expected=[expected[engine.name][n] for n in mix],
                timeout=timeout,
                pid=engine.pid,
            )
            print(f"{engine.name:12} {report.summary()}", flush=True)
            kinds = collections.Counter(e.split(": ", 1)[-1][:80] for e in report.errors)
            for kind, n in kinds.most_common(3):
                print(f"{'':12} {n} x {kind}")
            results.append((engine.name, report))
    return results, mix, notes


def table(results: list[tuple[str, Report]]) -> str:
    """A markdown table of the runs."""
    lines = [
        "| engine | clients | requests | answers/s | p50 ms | p99 ms | 503s | 503 p50 ms "
        "| other errors | wrong | CPU s | load 1 min (start → end) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for engine, r in results:
        busy = sorted(r.busy_latencies)
        busy_p50 = f"{busy[len(busy) // 2] * 1000:.0f}" if busy else "-"
        cpu = "-" if r.cpu is None else f"{r.cpu:.1f}"
        lines.append(
            f"| {engine} | {r.clients} | {r.total} | {r.throughput:.1f} "
            f"| {r.percentile(50) * 1000:.0f} | {r.percentile(99) * 1000:.0f} | {r.busy} "
            f"| {busy_p50} | {len(r.errors) - r.busy} | {r.wrong} | {cpu} "
            f"| {r.load[0]:.1f} → {r.load[1]:.1f} |"
        )
    return "\n".join(lines)


def per_query(
    results: list[tuple[str, Report]], mix: list[str], library: set[str], rival: str
) -> str:
    """Each query's p50 (ms) per engine and client count, and whether every library
    query's p50 is at most ``rival``'s at each client count."""
    engines = list(dict.fromkeys(engine for engine, _ in results))
    counts = list(dict.fromkeys(r.clients for _, r in results))
    found = {(engine, r.clients): r for engine, r in results}
    head = [f"{e} @{c}" for c in counts for e in engines]
    lines = [
        "| query | library | " + " | ".join(head) + " |",
        "|---|---|" + "---:|" * len(head),
    ]
    for index, name in enumerate(mix):
        cells = []
        for count in counts:
            for engine in engines:
                report = found.get((engine, count))
                times = report.by_query.get(index, []) if report else []
                cells.append(f"{median(times) * 1000:.1f}" if times else "-")
        lines.append(f"| {name} | {'yes' if name in library else ''} | " + " | ".join(cells) + " |")
    verdicts = []
    for engine in engines:
        if engine == rival or (rival, counts[0]) not in found:
            continue
        for count in counts:
            mine, theirs = found[(engine, count)], found[(rival, count)]
            slower, unknown = [], []
            for index, name in enumerate(mix):
                if name not in library:
                    continue
                ours, other = mine.by_query.get(index), theirs.by_query.get(index)
                if not ours:
                    unknown.append(f"{name} (no answer from {engine})")
                elif not other:
                    unknown.append(f"{name} (no answer from {rival})")
                elif median(ours) > median(other):
                    slower.append(name)
            faster = mine.throughput >= theirs.throughput
            verdicts.append(
                f"{engine} vs {rival} at {count} clients: library queries with p50 above "
                f"{rival}'s: {', '.join(slower) or 'none'}"
                + (f"; not compared: {', '.join(unknown)}" if unknown else "")
                + f"; throughput {mine.throughput:.1f} vs {theirs.throughput:.1f} answers/s "
                f"({'at least' if faster else 'below'} {rival}'s)"
            )
    return "\n".join(lines + [""] + verdicts)


#: A second cross-holdings in the mix: another valid date, as known on an earlier day.
KNOWN_ON = {"as_of": "2020-01-01", "known_on": "2018-01-01"}


def generated(args: argparse.Namespace) -> int:
    """Set up the generated graph, our servers and Virtuoso; run and print the comparison."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from automaker_kg.bench.generator import generate
    from automaker_kg.bench.runner import (
        bench_queries,
        dump_timeline,
        start_virtuoso,
        stop_virtuoso,
        virtuoso_load,
    )
    from automaker_kg.build import build
    from automaker_kg.namespaces import sparql_prologue
    from automaker_kg.paths import ontology_dir
    from automaker_kg.queries import bind_params, get_query, inline
    from automaker_kg.store import current_generation, open_store, release

    work = Path(args.work or tempfile.mkdtemp(prefix="automaker-kg-loadtest-"))
    data, store_dir = work / "data", work / "store"
    if not (store_dir / "current").exists():
        shutil.rmtree(data, ignore_errors=True)
        (data / "graph").mkdir(parents=True)
        shutil.copytree(ontology_dir(), data / "ontology")
        info = generate(args.generated, seed=7, path=data / "graph" / "bench.ttl")
        print(f"generated {info.triples} triples; building the store ...", flush=True)
        build(store_dir, data_dir=data)
    dump_timeline(str(store_dir), str(work / "timeline.nt"))  # for Virtuoso
    # the conflicting-stakes index a server's first start builds in the background: built
    # here first, so the load runs do not share the CPU with it
    from automaker_kg.conflicts_index import write_index

    write_index(current_generation(store_dir))
    store = open_store(store_dir)
    queries, library = {}, set()
    mix = list(bench_queries())
    cross = get_query("cross-holdings")
    mix.append(("cross-holdings (known_on)", cross.text, KNOWN_ON, True))
    for name, text, params, in_library in mix:
        if in_library:
            query = get_query(name.split(" ")[0])
            bound = bind_params(store, query, params)
            library.add(name)
        else:
            from rdflib import URIRef

            bound = {k: URIRef(v.strip("<>")) for k, v in params.items()}
        queries[name] = sparql_prologue() + inline(text, bound)
    del store
    release()
    clients = [int(c) for c in args.clients.split(",")]
    engines: list[Engine] = []
    started: list[subprocess.Popen[str]] = []
    folder = work / "virtuoso"
    virtuoso = bool(shutil.which("virtuoso-t") and shutil.which("isql-vt")) and not args.no_virtuoso
    try:
        for name, extra in (("ours", []), ("ours-nocache", ["--result-cache", "0"])):
            serve = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "automaker_kg.cli",
                    "serve",
                    "--port",
                    "0",
                    "--store",
                    str(store_dir),
                    "--timeout",
                    str(args.query_timeout),
                    "--max-rows",
                    "1000000",
                    *(["--memory"] if args.memory else []),
                    *extra,
                ],
                stderr=subprocess.PIPE,
                text=True,
            )
            started.append(serve)
            line = serve.stderr.readline() if serve.stderr else ""
            if "serving " not in line:
                raise SystemExit(f"serve did not start: {line}")
            base = line.split("serving ", 1)[1].split("/ ", 1)[0].rstrip("/")
            engines.append(Engine(name, base + "/sparql", serve.pid))
        if virtuoso:
            base = start_virtuoso(folder)
            seconds = virtuoso_load(folder, data, print)
            print(f"virtuoso loaded in {seconds:.1f} s", flush=True)
            pid = int((folder / "virtuoso.pid").read_text().strip())
            engines.append(Engine("virtuoso", base + "/sparql", pid))
        elif args.no_virtuoso:
            print("virtuoso: not compared (--no-virtuoso)")
        else:
            print("virtuoso: not installed (scripts/virtuoso.sh install), not compared")
        results, names, notes = compare(
            engines, queries, clients, args.per_client, args.query_timeout + 5
        )
    finally:
        for serve in started:
            serve.terminate()
            serve.wait(60)
        if virtuoso:
            stop_virtuoso(folder)
    print()
    print("answers/s, p50 and p99 count the answered (200) requests; a 503 is the server")
    print("shedding load (no worker free in time) or stopping a query at its time limit.")
    print("ours: as shipped (result cache per generation; cross-holdings and conflicting-stakes")
    print("from the generation's indexes); ours-nocache: --result-cache 0 (every request runs;")
    print("those two still from the indexes). CPU s: the engine's processes, workers included.")
    print(
        f"{len(names)} of {len(queries)} queries of the benchmark's mix (those every engine "
        f"answers alike) on the generated graph of {args.generated} triples; "
        f"{args.per_client} requests per client; cores: {os.cpu_count()}"
    )
    for note in notes:
        print("left out:", note)
    print(table(results))
    print()
    print(per_query(results, names, library, "virtuoso"))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r.wrong == 0 for _, r in results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint", nargs="?", help="the /sparql URL of a server on loopback")
    parser.add_argument("--clients", default="32", help="clients, or a list: 32,128")
    parser.add_argument("--total", type=int, default=320)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--generated", type=int, help="serve a generated graph of N triples")
    parser.add_argument("--per-client", type=int, default=10, help="requests per client")
    parser.add_argument("--query-timeout", type=float, default=10.0, help="serve --timeout")
    parser.add_argument("--memory", action="store_true", help="serve --memory")
    parser.add_argument("--no-virtuoso", action="store_true", help="ours only")
    parser.add_argument("--work", help="keep data and store here (reused when present)")
    args = parser.parse_args(argv)
    if args.generated:
        return generated(args)
    if not args.endpoint:
        parser.error("give an endpoint, or --generated N")
    status = 0
    for count in [int(c) for c in args.clients.split(",")]:
        report = run(args.endpoint, clients=count, total=args.total, timeout=args.timeout)
        print(report.summary())
        for error in report.errors[:10]:
            print("error:", error, file=sys.stderr)
        status |= report.ok != report.total
    return status


if __name__ == "__main__":
    sys.exit(main())
