#!/usr/bin/env python3
"""A bounded load test of a SPARQL endpoint on this machine: N clients, M queries, then stop.

    python scripts/loadtest.py http://127.0.0.1:8000/sparql --clients 32 --total 320

Each client thread takes the next of ``total`` queries (cycling through the query mix),
sends it by GET, checks the answer against the expected one (by default the answer of a
first, sequential round) and records its latency. It prints the throughput and latency
percentiles. Only loopback endpoints are accepted: this is a test of our own server.
Stdlib only, so it runs with any Python.
"""

from __future__ import annotations

import argparse
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
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

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
            f"{len(self.errors)} errors in {self.seconds:.2f} s = {self.throughput:.1f} queries/s; "
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
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint", help="the /sparql URL of a server on loopback")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--total", type=int, default=320)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    args = parser.parse_args(argv)
    report = run(args.endpoint, clients=args.clients, total=args.total, timeout=args.timeout)
    print(report.summary())
    for error in report.errors[:10]:
        print("error:", error, file=sys.stderr)
    return 0 if report.ok == report.total else 1


if __name__ == "__main__":
    sys.exit(main())
