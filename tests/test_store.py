"""The store: generations written aside, swapped in atomically, opened read-only."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from automaker_kg.errors import StoreError, UnknownNameError
from automaker_kg.store import (
    EXPORT_FORMATS,
    METADATA_FILE,
    current_generation,
    export,
    open_store,
    stats,
    store_info,
    write_generation,
)

EX = "http://example.org/"


def loader(*values: str, graph: str = "g"):
    """A load function adding one quad per value to the named graph ``graph``."""

    def load(store: pyoxigraph.Store) -> None:
        for value in values:
            store.add(
                pyoxigraph.Quad(
                    pyoxigraph.NamedNode(EX + value),
                    pyoxigraph.NamedNode(EX + "p"),
                    pyoxigraph.Literal(value),
                    pyoxigraph.NamedNode(EX + graph),
                )
            )

    return load


def subjects(folder: Path) -> set[str]:
    store = open_store(folder)
    return {q.subject.value for q in store.quads_for_pattern(None, None, None)}


def test_write_then_open(tmp_path):
    """A written generation opens read-only with what the load function put in."""
    generation = write_generation(tmp_path, loader("a", "b"))
    assert generation.parent == tmp_path / "generations"
    assert subjects(tmp_path) == {EX + "a", EX + "b"}
    link = tmp_path / "current"
    assert link.is_symlink() and not os.path.isabs(os.readlink(link))
    assert current_generation(tmp_path) == generation.resolve()


def test_open_store_is_read_only(tmp_path):
    """The opened store refuses writes."""
    write_generation(tmp_path, loader("a"))
    store = open_store(tmp_path)
    with pytest.raises((OSError, RuntimeError)):
        store.add(
            pyoxigraph.Quad(
                pyoxigraph.NamedNode(EX + "x"),
                pyoxigraph.NamedNode(EX + "p"),
                pyoxigraph.Literal("x"),
            )
        )


def test_open_missing_store_says_to_build(tmp_path):
    """Opening a folder with no store names it and tells to run the build."""
    with pytest.raises(StoreError) as info:
        open_store(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(info.value)
    assert "automaker-kg build" in str(info.value)
    assert info.value.exit_code == 3


def test_store_info_describes_the_generation(tmp_path):
    """store_info gives the generation id, build time, quad count, graphs and metadata."""
    generation = write_generation(tmp_path, loader("a", "b", "c"), metadata={"note": "x"})
    info = store_info(tmp_path)
    assert info["generation"] == generation.name
    assert info["quads"] == 3
    assert info["named_graphs"] == [EX + "g"]
    assert info["note"] == "x"
    assert info["built_at"].startswith("20")
    on_disk = json.loads((generation / METADATA_FILE).read_text())
    assert on_disk["quads"] == 3


def test_failed_load_keeps_the_previous_generation(tmp_path):
    """An exception in the load function leaves current as it was and no .tmp behind."""
    first = write_generation(tmp_path, loader("a"))

    def broken(store: pyoxigraph.Store) -> None:
        loader("b")(store)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_generation(tmp_path, broken)
    assert current_generation(tmp_path) == first.resolve()
    assert subjects(tmp_path) == {EX + "a"}
    assert not list((tmp_path / "generations").glob("*.tmp"))


def test_stale_tmp_is_removed_and_old_generations_pruned(tmp_path):
    """The next build removes a killed build's .tmp; it keeps current and previous only."""
    first = write_generation(tmp_path, loader("a"))
    stale = tmp_path / "generations" / "19990101T000000000000Z.tmp"
    stale.mkdir()
    (stale / "junk").write_text("half written")
    second = write_generation(tmp_path, loader("b"))
    assert not stale.exists()
    assert first.exists() and second.exists()
    third = write_generation(tmp_path, loader("c"))
    names = sorted(p.name for p in (tmp_path / "generations").iterdir())
    assert names == sorted([second.name, third.name])
    assert subjects(tmp_path) == {EX + "c"}


def test_a_second_writer_is_refused(tmp_path):
    """While one build holds the lock, another gets a StoreError and writes nothing."""
    write_generation(tmp_path, loader("a"))
    with open(tmp_path / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(StoreError, match="another build"):
            write_generation(tmp_path, loader("b"))
    assert subjects(tmp_path) == {EX + "a"}


def test_reader_keeps_its_generation_across_a_swap(tmp_path):
    """A store opened before a rebuild still answers from its own generation."""
    write_generation(tmp_path, loader("a"))
    before = open_store(tmp_path)
    write_generation(tmp_path, loader("b"))
    assert {q.subject.value for q in before.quads_for_pattern(None, None, None)} == {EX + "a"}
    assert subjects(tmp_path) == {EX + "b"}


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_round_trips(built_store, built, fmt):
    """Every export format parses back with rdflib to the store's triples."""
    data = export(open_store(built_store), fmt)
    rdflib_format = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}[fmt]
    if fmt in ("trig", "jsonld"):
        parsed = Dataset()
        parsed.parse(data=data, format=rdflib_format)
        graphs = {str(g.identifier) for g in parsed.graphs() if len(g)}
        # one named graph per file, and the graphs the build derives (timeline, resolution)
        assert len(graphs) == len(built.files) + len(built.generated)
        count = sum(1 for _ in parsed.quads((None, None, None, None)))
        assert count == built.triples
    else:
        parsed = Graph().parse(data=data, format=rdflib_format)
        # the union may merge triples two files both state
        assert 0 < len(parsed) <= built.triples


def test_export_unknown_format_lists_the_valid_ones(built_store):
    """An unknown export format names the valid ones."""
    with pytest.raises(UnknownNameError) as info:
        export(open_store(built_store), "xml")
    assert "jsonld, nt, trig, ttl" in str(info.value)


def test_stats_counts(built_store, built):
    """stats() counts claims by status to the build's claim total, and lists the sources."""
    numbers = stats(open_store(built_store))
    assert numbers["quads"] == built.triples
    assert sum(numbers["claims_by_status"].values()) == built.claims
    assert len(numbers["sources"]) == built.sources
    assert all(s["identifier"].startswith("sha256:") for s in numbers["sources"])
    assert numbers["classes"]["owl:Ontology"] >= 1


def test_memory_copy_is_a_bulk_load_of_the_generations_snapshot(built_store, tmp_path):
    """The first in-memory open writes the generation's N-Quads snapshot; every open (first
    or later) holds exactly the quads on disk, derived timeline and resolution included."""
    from automaker_kg.namespaces import GRAPH
    from automaker_kg.store import SNAPSHOT_FILE

    folder = tmp_path / "store"
    shutil.copytree(built_store, folder, symlinks=True)
    snapshot = current_generation(folder) / SNAPSHOT_FILE
    snapshot.unlink(missing_ok=True)

    def shape(store: pyoxigraph.Store) -> Counter:
        """The quads with every blank node as ``_`` (a bulk load labels them anew)."""
        return Counter(
            tuple("_" if isinstance(t, pyoxigraph.BlankNode) else t for t in quad) for quad in store
        )

    on_disk = shape(open_store(folder))
    first = open_store(folder, memory=True)
    assert snapshot.is_file()
    later = open_store(folder, memory=True)
    assert shape(first) == shape(later) == on_disk
    graphs = {g.value for g in later.named_graphs()}
    assert str(GRAPH["timeline"]) in graphs and str(GRAPH["ontology/automaker.ttl"]) in graphs
    assert not [p for p in snapshot.parent.iterdir() if p.name.endswith(".tmp")]
