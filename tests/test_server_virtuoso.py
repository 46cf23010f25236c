"""Push the built graph into a real external store (Debian's Virtuoso Open Source, started on
loopback by scripts/virtuoso.sh) and check that the query library answers the same there.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from automaker_kg import queries
from automaker_kg.remote import RemoteStore, push
from automaker_kg.store import open_store
from conftest import run_cli

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "virtuoso.sh"

# Library queries whose answers differ on Virtuoso 7.2 because of a bug of that engine, each
# with the reason. Each is a strict xfail: when the difference goes away, the test says so.
VIRTUOSO_DIFFERENCES = {
    "joint-venture-partners": (
        "Virtuoso 7.2 drops rows of `?x a ?kind . ?kind rdfs:subClassOf* C` when ?kind needs "
        "a path of length > 1 (here Automaker -> Company -> FormalOrganization)"
    ),
    "facts-about": (
        "Virtuoso 7.2 returns 1 of 54 rows when the object of `?claim ?property ?entity` is "
        "bound (by VALUES or written as a constant); unbound, all 547 rows agree"
    ),
}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Virtuoso on free loopback ports; yields its base URL."""
    if shutil.which("bash") is None:  # pragma: no cover
        pytest.skip("bash is needed to run scripts/virtuoso.sh")
    installed = subprocess.run(["bash", str(SCRIPT), "install"], capture_output=True, text=True)
    if installed.returncode != 0:
        pytest.skip(f"virtuoso-opensource cannot be installed here: {installed.stderr.strip()}")
    folder = tmp_path_factory.mktemp("virtuoso")
    started = subprocess.run(
        ["bash", str(SCRIPT), "start", str(folder)], capture_output=True, text=True, timeout=300
    )
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", str(folder)], timeout=60)


@pytest.fixture(scope="module")
def pushed(virtuoso: str, built_store: Path) -> str:
    """The built store pushed by the real CLI (Graph Store Protocol, Digest auth as dba)."""
    result = run_cli(
        "push",
        "--endpoint",
        f"{virtuoso}/sparql-graph-crud-auth",
        "--user",
        "dba",
        "--password",
        "dba",
        "--store",
        built_store,
    )
    assert result.exit_code == 0, result.stderr
    assert "pushed" in result.stdout
    return virtuoso


def outcome(name: str, source: object) -> object:
    try:
        result = queries.run(name, source)
    except Exception as error:  # noqa: BLE001 - compared, not hidden
        return f"{type(error).__name__}: {error}"
    if isinstance(result, bool):
        return result
    return (tuple(result.columns), sorted(tuple(map(str, row)) for row in result.rows))


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=VIRTUOSO_DIFFERENCES[n]))
        if n in VIRTUOSO_DIFFERENCES
        else n
        for n in sorted(queries.library())
    ],
)
def test_library_query_same_on_virtuoso(name: str, pushed: str, built_store: Path) -> None:
    """Each library query gives the same answer (rows in any order) on Virtuoso."""
    local = outcome(name, open_store(built_store))
    assert not isinstance(local, str), local
    assert outcome(name, RemoteStore(f"{pushed}/sparql")) == local


def test_push_replaces_each_graph(pushed: str, built_store: Path) -> None:
    """Pushing again replaces the graphs: every graph holds exactly the store's triples."""
    store = open_store(built_store)
    push(store, f"{pushed}/sparql-graph-crud-auth", user="dba", password="dba")
    remote = RemoteStore(f"{pushed}/sparql")
    for graph in store.named_graphs():
        rows = list(
            remote.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        )
        local = len(list(store.quads_for_pattern(None, None, None, graph)))
        assert int(rows[0]["n"].value) == local, graph


def test_push_by_sparql_update_into_one_graph(pushed: str, built_store: Path) -> None:
    """--method update --graph IRI puts everything into that graph, replacing it each time."""
    store = open_store(built_store)
    graph = "urn:automaker-kg:test:merged"
    for _ in range(2):
        result = run_cli(
            "push",
            "--endpoint",
            f"{pushed}/sparql-auth",
            "--method",
            "update",
            "--batch",
            "1000",  # Virtuoso refuses requests that compile to over 10,000 lines of SQL
            "--graph",
            graph,
            "--user",
            "dba",
            "--password",
            "dba",
            "--store",
            built_store,
        )
        assert result.exit_code == 0, result.stderr
    remote = RemoteStore(f"{pushed}/sparql")
    rows = list(remote.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
    distinct = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, None)
        if not any(str(t).startswith("_:") for t in (q.subject, q.object))
    }
    blank = [
        q
        for q in store.quads_for_pattern(None, None, None, None)
        if any(str(t).startswith("_:") for t in (q.subject, q.object))
    ]
    assert int(rows[0]["n"].value) == len(distinct) + len(blank)


def test_push_with_a_wrong_password_fails_cleanly(virtuoso: str, built_store: Path) -> None:
    """A refused push exits 3 (store error) with the server's status, no traceback."""
    result = run_cli(
        "push",
        "--endpoint",
        f"{virtuoso}/sparql-graph-crud-auth",
        "--user",
        "dba",
        "--password",
        "wrong",
        "--store",
        built_store,
    )
    assert result.exit_code == 3
    assert "401" in result.stderr and "Traceback" not in result.stderr
