"""A bounded load test: 32 concurrent clients, a few hundred queries, every answer checked.

It prints throughput and latency percentiles (a benchmark, not a timed assertion).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from automaker_kg import queries
from automaker_kg.store import open_store
from serverkit import PROJECT_PREFIXES, Served, running

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "loadtest.py"


def load_script():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["loadtest"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def served(built_store: Path) -> Iterator[Served]:
    # Queries wait for a worker as long as they may run: this test checks answers, not
    # shedding (a loaded machine would otherwise turn some into 503 after queue_wait).
    with running(open_store(built_store), timeout=30.0, workers=2, queue_wait=30.0) as served:
        yield served


def query_mix(store: ox.Store) -> list[str]:
    """The script's default queries and every parameterless library query that runs."""
    loadtest = load_script()
    mix = list(loadtest.DEFAULT_QUERIES)
    for query in queries.library().values():
        if query.parameters:
            continue
        try:
            store.query(query.text, prefixes=PROJECT_PREFIXES, use_default_graph_as_union=True)
        except (SyntaxError, OSError, RuntimeError):
            continue
        mix.append(query.text)
    return mix


def test_load_32_clients_all_answers_right(served: Served, built_store: Path, capsys) -> None:
    """320 queries from 32 clients: every answer equals the store's own, none fails."""
    loadtest = load_script()
    store = open_store(built_store)
    mix = query_mix(store)
    expected = []
    for query in mix:
        result = store.query(query, prefixes=PROJECT_PREFIXES, use_default_graph_as_union=True)
        expected.append(loadtest.canonical(result.serialize(format=ox.QueryResultsFormat.JSON)))
        del result
    report = loadtest.run(served.endpoint, mix, clients=32, total=320, expected=expected)
    with capsys.disabled():
        print(f"\nload test ({len(mix)} distinct queries): {report.summary()}")
    assert report.errors == []
    assert report.wrong == 0
    assert report.ok == 320


def test_loadtest_refuses_other_hosts() -> None:
    """The script only ever sends traffic to loopback."""
    loadtest = load_script()
    with pytest.raises(SystemExit, match="not a loopback"):
        loadtest.check_loopback("http://192.0.2.1:8000/sparql")
