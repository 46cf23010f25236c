"""A damaged store is exit 3 for every command, and generations in use outlive rebuilds.

The damage matrix: a truncated and a deleted ``.sst`` file, a truncated MANIFEST, an empty
CURRENT, flipped bytes in a table. Every command that opens the store answers exit 3,
names the generation and says to build again, never with a traceback.
"""

from __future__ import annotations

import os
import shutil
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest

from automaker_kg import cli
from automaker_kg import store as store_module
from automaker_kg.errors import StoreError
from automaker_kg.store import current_generation, open_store, write_generation
from conftest import run_cli
from serverkit import http, running


def _largest_sst(generation: Path) -> Path:
    return max(generation.glob("*.sst"), key=lambda p: p.stat().st_size)


def _truncate_sst(g: Path) -> None:
    path = _largest_sst(g)
    os.truncate(path, path.stat().st_size // 2)


def _delete_sst(g: Path) -> None:
    _largest_sst(g).unlink()


def _truncate_manifest(g: Path) -> None:
    path = next(g.glob("MANIFEST-*"))
    os.truncate(path, path.stat().st_size // 2)


def _empty_current(g: Path) -> None:
    os.truncate(g / "CURRENT", 0)


def _flip_bytes(g: Path) -> None:
    path = _largest_sst(g)
    data = bytearray(path.read_bytes())
    for offset in range(100, len(data) - 100, 97):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated-sst": _truncate_sst,
    "deleted-sst": _delete_sst,
    "truncated-manifest": _truncate_manifest,
    "empty-current": _empty_current,
    "flipped-bytes": _flip_bytes,
}

COMMANDS = [
    ["stats"],
    ["query", "cross-holdings"],
    ["query", "stakes-in-company", "-p", "company=Nissan"],
    ["facts", "Nissan"],
    ["summary"],
    ["path", "Renault", "Nissan"],
    ["ownership"],
    ["shares", "Nissan"],
    ["diff", "2023-01-01", "2024-01-01"],
    ["entities"],
    ["conflicts"],
    ["export", "-f", "nt"],
    ["export-graph", "-o", "{tmp}/g.graphml"],
    ["view", "ownership", "-o", "{tmp}/v.html"],
    ["site", "-o", "{tmp}/site"],
]


@pytest.fixture(scope="module")
def damaged_stores(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One copy of the session's store per kind of damage."""
    root = tmp_path_factory.mktemp("damaged")
    stores = {}
    for name, damage in DAMAGE.items():
        folder = root / name
        shutil.copytree(built_store, folder, symlinks=True)
        damage(current_generation(folder))
        stores[name] = folder
    return stores


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_command_on_a_damaged_store_is_exit_3(
    damaged_stores: dict[str, Path], damage: str, command: list[str], tmp_path: Path, capsys
) -> None:
    """Exit 3, the generation named, `build` suggested; no traceback (in process)."""
    folder = damaged_stores[damage]
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*argv, "--store", str(folder)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 3, err
    assert current_generation(folder).name in err and "automaker-kg build" in err


@pytest.mark.parametrize("damage", ["truncated-sst", "empty-current"])
def test_the_real_command_prints_no_traceback(damaged_stores: dict[str, Path], damage: str):
    """End to end, as a user runs it: `query` and `serve` on a damaged store."""
    for argv in (["query", "cross-holdings"], ["serve", "--port", "0"]):
        result = run_cli(*argv, "--store", damaged_stores[damage], timeout=120)
        assert result.exit_code == 3, result.stderr
        assert "damaged" in result.stderr and "Traceback" not in result.stderr


def test_a_deleted_generation_is_exit_3(built_store: Path, tmp_path: Path, capsys) -> None:
    """`current` pointing at a removed folder: no store, build first."""
    folder = tmp_path / "store"
    shutil.copytree(built_store, folder, symlinks=True)
    shutil.rmtree(current_generation(folder))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["stats", "--store", str(folder)])
    assert exit_info.value.code == 3 and "build" in capsys.readouterr().err


def test_damage_is_recognised_from_rocksdb_words_only() -> None:
    """A plain missing file of the user's is no store damage."""
    assert store_module.damaged(FileNotFoundError(2, "No such file or directory", "x")) is None
    err = OSError("IO error: No such file or directory: While open a file: /s/generations/g/1.sst")
    assert isinstance(store_module.damaged(err), StoreError)


# -- generations in use --------------------------------------------------------------------
EX = "http://example.org/"


def loader(name: str) -> Callable[[pyoxigraph.Store], None]:
    def load(store: pyoxigraph.Store) -> None:
        for i in range(200):
            store.add(
                pyoxigraph.Quad(
                    pyoxigraph.NamedNode(f"{EX}{name}{i}"),
                    pyoxigraph.NamedNode(EX + "p"),
                    pyoxigraph.Literal(name),
                    pyoxigraph.NamedNode(EX + "g"),
                )
            )

    return load


def _count(store: pyoxigraph.Store) -> int:
    rows = store.query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    return int(next(iter(rows))["n"].value)


def test_a_reader_keeps_its_generation_through_rebuilds(tmp_path: Path) -> None:
    """A store opened before two rebuilds still reads; the build prunes its generation
    only once it is released."""
    first = write_generation(tmp_path, loader("a"))
    reader = open_store(tmp_path)
    write_generation(tmp_path, loader("b"))
    third = write_generation(tmp_path, loader("c"))
    assert first.exists(), "a generation in use was removed"
    assert _count(reader) == 200
    del reader
    store_module.release(first)
    write_generation(tmp_path, loader("d"))
    names = {p.name for p in (tmp_path / "generations").iterdir()}
    assert first.name not in names and third.name in names


def test_a_reader_in_another_process_keeps_its_generation(tmp_path: Path) -> None:
    """The lease is a file lock: another process reading holds the generation too."""
    import multiprocessing

    first = write_generation(tmp_path, loader("a"))
    context = multiprocessing.get_context("spawn")
    ready, go = context.Event(), context.Event()
    child = context.Process(target=_hold, args=(str(tmp_path), ready, go))
    child.start()
    try:
        assert ready.wait(60)
        write_generation(tmp_path, loader("b"))
        write_generation(tmp_path, loader("c"))
        assert first.exists()
    finally:
        go.set()
        child.join(60)
    assert child.exitcode == 0  # and it could still read after both rebuilds
    write_generation(tmp_path, loader("d"))
    assert not first.exists()


def _hold(folder: str, ready, go) -> None:
    store = open_store(folder)
    ready.set()
    go.wait(60)
    if _count(store) != 200:
        raise SystemExit(1)


def test_two_rebuilds_under_a_running_server_leave_every_request_answered(
    built_store: Path, tmp_path: Path
) -> None:
    """Clients query /sparql, the service description and /query all the while two
    generations are written and the server's own is pruned: every answer is 200."""
    folder = tmp_path / "store"
    shutil.copytree(built_store, folder, symlinks=True)
    copy = open_store(folder, memory=True)

    def rebuild(store: pyoxigraph.Store) -> None:
        store.bulk_extend(copy.quads_for_pattern(None, None, None, None))

    query = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    urls = [  # a SELECT, the service description, the query page, the index
        ("/sparql?" + urllib.parse.urlencode({"query": query}), "text/csv"),
        ("/sparql", "text/turtle"),
        ("/query?" + urllib.parse.urlencode({"query": query}), "text/html"),
        ("/", "text/html"),
    ]
    statuses: list[int] = []
    with running(open_store(folder), workers=2) as served:
        first = current_generation(folder)
        store_module.release(first)  # as if only the server had opened it
        stop = threading.Event()

        def client() -> None:
            for _ in range(2000):  # bounded
                if stop.is_set():
                    return
                for url, accept in urls:
                    statuses.append(http(served.base + url, Accept=accept).status)

        clients = [threading.Thread(target=client) for _ in range(3)]
        for thread in clients:
            thread.start()
        try:
            write_generation(folder, rebuild)
            write_generation(folder, rebuild)
            assert not first.exists(), "the test meant the server's generation to go"
            for url, accept in urls:
                statuses.append(http(served.base + url, Accept=accept).status)
        finally:
            stop.set()
            for thread in clients:
                thread.join(60)
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
