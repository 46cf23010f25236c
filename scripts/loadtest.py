#!/usr/bin/env python3
"""A bounded load test of a SPARQL endpoint on this machine: N clients, M queries, then stop.

    python scripts/loadtest.py http://127.0.0.1:8000/sparql --clients 32 --total 320
    python scripts/loadtest.py --generated 100000 --clients 32,128     # make loadtest

Each client thread takes the next of ``total`` queries (cycling through the query mix),
sends it by GET, checks the answer against the expected one (by default the answer of a
first, sequential round) and records its latency. It prints the throughput, latency
percentiles, the 503s (the server shedding load: busy, time or memory limit) and the
wrong answers. Only loopback endpoints are accepted: this is a test of our own server.

With ``--generated N`` it sets everything up itself: the benchmark's generated graph of
about N triples, built into a store, served by ``automaker-kg serve`` (defaults: two
workers, on disk), and the benchmark's query mix (the whole query library with its
parameters, plus the benchmark's extra queries) at each client count; then the same data
and queries on Virtuoso (``scripts/virtuoso.sh``) when it is installed. Each engine's
answers under load are checked against its own sequential answers; a query that fails
(or runs out of time) in that first round is left out of the mix and listed. Stdlib only
for a given endpoint; ``--generated`` needs the project installed.
"""

from __future__ import annotations

import argparse
import collections
import ipaddress
import json
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
    """One query by GET, or by POST (form-encoded) when the URL would pass 4,000 characters
    (Virtuoso refuses long URLs)."""
    encoded = urllib.parse.urlencode({"query": query})
    headers = {"Accept": "application/sparql-results+json"}
    if len(encoded) > 4000:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(endpoint, data=encoded.encode(), headers=headers)
    else:
        request = urllib.request.Request(endpoint + "?" + encoded, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


def run(
    endpoint: str,
    queries: Sequence[str] = DEFAULT_QUERIES,
    *,
    clients: int = 32,
    total: int = 320,
    expected: Sequence[object] | None = None,
    timeout: float = 60.0,
) -> Report:
    """Send ``total`` queries from ``clients`` threads and check every answer.

    ``expected[i]`` is :func:`canonical` of the right answer to ``queries[i]``; by default
    it is taken from one sequential round before the load starts.
    """
    check_loopback(endpoint)
    if expected is None:
        expected = [canonical(fetch(endpoint, q, timeout)) for q in queries]
    report = Report(clients, total)
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            which = index % len(queries)
            start = time.perf_counter()
            try:
                answer = canonical(fetch(endpoint, queries[which], timeout))
            except (OSError, ValueError, urllib.error.URLError) as error:
                with lock:
                    report.errors.append(f"query {which}: {error}")
                    if isinstance(error, urllib.error.HTTPError) and error.code == 503:
                        report.busy += 1
                        report.busy_latencies.append(time.perf_counter() - start)
                continue
            elapsed = time.perf_counter() - start
            with lock:
                report.latencies.append(elapsed)
                if answer == expected[which]:
                    report.ok += 1
                else:
                    report.wrong += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * total)
    report.seconds = time.perf_counter() - start
    return report


def sequential(
    endpoint: str, queries: dict[str, str], timeout: float
) -> tuple[dict[str, object], dict[str, str]]:
    """One round, one query at a time: the expected answers, and the queries that failed."""
    expected, failed = {}, {}
    for name, text in queries.items():
        try:
            expected[name] = canonical(fetch(endpoint, text, timeout))
        except (OSError, ValueError, urllib.error.URLError) as error:
            failed[name] = str(error)[:120]
    return expected, failed


def compare(
    engines: dict[str, str],
    queries: dict[str, str],
    clients: list[int],
    per_client: int,
    timeout: float,
) -> list[tuple[str, Report]]:
    """Each engine (name -> /sparql URL) at each client count over the same queries."""
    results = []
    for engine, endpoint in engines.items():
        expected, failed = sequential(endpoint, queries, timeout)
        for name, reason in failed.items():
            print(f"{engine}: {name} left out (failed alone: {reason})")
        names = sorted(expected)
        mix = [queries[n] for n in names]
        answers = [expected[n] for n in names]
        for count in clients:
            report = run(
                endpoint,
                mix,
                clients=count,
                total=count * per_client,
                expected=answers,
                timeout=timeout,
            )
            print(f"{engine:9} {report.summary()}", flush=True)
            kinds = collections.Counter(e.split(": ", 1)[-1][:80] for e in report.errors)
            for kind, n in kinds.most_common(3):
                print(f"{'':9} {n} x {kind}")
            results.append((engine, report))
    return results


def table(results: list[tuple[str, Report]]) -> str:
    """A markdown table of the runs."""
    lines = [
        "| engine | clients | requests | answers/s | p50 ms | p99 ms | 503s | 503 p50 ms "
        "| other errors | wrong |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine, r in results:
        busy = sorted(r.busy_latencies)
        busy_p50 = f"{busy[len(busy) // 2] * 1000:.0f}" if busy else "-"
        lines.append(
            f"| {engine} | {r.clients} | {r.total} | {r.throughput:.1f} "
            f"| {r.percentile(50) * 1000:.0f} | {r.percentile(99) * 1000:.0f} | {r.busy} "
            f"| {busy_p50} | {len(r.errors) - r.busy} | {r.wrong} |"
        )
    return "\n".join(lines)


def generated(args: argparse.Namespace) -> int:
    """Set up the generated graph, our server and Virtuoso; run and print the comparison."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from automaker_kg.bench.generator import generate
    from automaker_kg.bench.runner import _virtuoso_load, bench_queries
    from automaker_kg.build import build
    from automaker_kg.namespaces import sparql_prologue
    from automaker_kg.paths import ontology_dir
    from automaker_kg.queries import bind_params, get_query, inline
    from automaker_kg.store import open_store, release

    root = Path(__file__).resolve().parent.parent
    work = Path(args.work or tempfile.mkdtemp(prefix="automaker-kg-loadtest-"))
    data, store_dir = work / "data", work / "store"
    if not (store_dir / "current").exists():
        shutil.rmtree(data, ignore_errors=True)
        (data / "graph").mkdir(parents=True)
        shutil.copytree(ontology_dir(), data / "ontology")
        info = generate(args.generated, seed=7, path=data / "graph" / "bench.ttl")
        print(f"generated {info.triples} triples; building the store ...", flush=True)
        build(store_dir, data_dir=data)
    store = open_store(store_dir)
    queries = {}
    for name, text, params, in_library in bench_queries():
        if in_library:
            bound = bind_params(store, get_query(name), params)
        else:
            from rdflib import URIRef

            bound = {k: URIRef(v.strip("<>")) for k, v in params.items()}
        queries[name] = sparql_prologue() + inline(text, bound)
    del store
    release()
    clients = [int(c) for c in args.clients.split(",")]
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
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    results = []
    try:
        line = serve.stderr.readline() if serve.stderr else ""
        if "serving " not in line:
            raise SystemExit(f"serve did not start: {line}")
        base = line.split("serving ", 1)[1].split("/ ", 1)[0].rstrip("/")
        results += compare(
            {"ours": base + "/sparql"}, queries, clients, args.per_client, args.query_timeout + 5
        )
    finally:
        serve.terminate()
        serve.wait(60)
    script = root / "scripts" / "virtuoso.sh"
    if shutil.which("virtuoso-t") and shutil.which("isql-vt") and not args.no_virtuoso:
        folder = work / "virtuoso"
        shutil.rmtree(folder, ignore_errors=True)
        try:
            started = subprocess.run(
                ["bash", str(script), "start", str(folder)],
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            )
            base = started.stdout.strip().splitlines()[-1]
            seconds = _virtuoso_load(folder, data, print)
            print(f"virtuoso loaded in {seconds:.1f} s", flush=True)
            results += compare(
                {"virtuoso": base + "/sparql"},
                queries,
                clients,
                args.per_client,
                args.query_timeout + 5,
            )
        finally:
            subprocess.run(
                ["bash", str(script), "stop", str(folder)], capture_output=True, timeout=60
            )
    elif args.no_virtuoso:
        print("virtuoso: not compared (--no-virtuoso)")
    else:
        print("virtuoso: not installed (scripts/virtuoso.sh install), not compared")
    print()
    print("answers/s, p50 and p99 count the answered (200) requests; a 503 is the server")
    print("shedding load (no worker free in time) or stopping a query at its time limit")
    print(
        f"{len(queries)} queries of the benchmark's mix on the generated graph of "
        f"{args.generated} triples; {args.per_client} requests per client"
    )
    print(table(results))
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
