"""Imports compose: one file after another, in any order, together or twice, give one graph.

Each scenario starts from the same small data folder (the ontology and the curated entities),
imports real shared files through :func:`import_files` as ``automaker-kg import`` does, and
compares the resolved graph the build would load (``load_graph``). The importers' blank nodes
(evidence selectors, identifier values) are trees, so :func:`canonical` names each by a hash of
its content and the graphs compare as multisets of triples: a duplicated blank node counts
twice. ``rdflib.compare.isomorphic`` agrees on a small case; on these graphs (6,600 triples,
3,000 blank nodes) it takes minutes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from automaker_kg.build import build, load_graph
from automaker_kg.sources.runner import import_files, output_path
from conftest import ROOT, run_cli, untraced
from graphkit import canonical

SHARED = ROOT.parent / "shared" / "data"
REGISTER = SHARED / "bods-register-samples"
A = REGISTER / "2138002S3XGZ38WN5Q72.jsonl"
B = REGISTER / "213800AG2V6YE68H5N63.jsonl"
EXAMPLE = SHARED / "bods-examples" / "examples" / "joint-ownership.json"
WIKIDATA = SHARED / "wikidata-car-manufacturers" / "wikidata_manufacturers.json"
GLEIF_RR = SHARED / "gleif-rr-samples" / "rr-data.xml"
GLEIF_LEI = SHARED / "gleif-rr-samples" / "lei-data.xml"
pytestmark = pytest.mark.skipif(
    not all(p.is_file() for p in (A, B, EXAMPLE, WIKIDATA, GLEIF_RR, GLEIF_LEI)),
    reason="../shared/data is not present",
)


def data_folder(path: Path) -> Path:
    """The ontology and the curated entities: enough for resolution to have work to do."""
    shutil.copytree(ROOT / "ontology", path / "ontology")
    (path / "graph").mkdir()
    shutil.copy(ROOT / "graph" / "entities.ttl", path / "graph" / "entities.ttl")
    return path


def run(path: Path, steps: list[tuple[str, list[Path]]]) -> Graph:
    """Import ``(kind, files)`` steps one command each; the resolved union graph."""
    data = data_folder(path)
    for kind, files in steps:
        import_files(kind, files, graph_dir=data / "graph")
    return union(data)


def union(data: Path) -> Graph:
    graph = Graph()
    for named in load_graph(data).graphs():
        graph += named
    return graph


def same(a: Graph, b: Graph) -> bool:
    return canonical(a) == canonical(b)


def test_canonical_form_agrees_with_rdflib(tmp_path):
    """On a small import, the hash names say what rdflib's isomorphism test says, and a
    duplicated blank node makes a difference."""
    once = run(tmp_path / "a", [("bods", [EXAMPLE])])
    twice = run(tmp_path / "b", [("bods", [EXAMPLE]), ("bods", [EXAMPLE])])
    assert same(once, twice) and isomorphic(once, twice)
    doubled = Graph()
    doubled += once
    subject, predicate, node = next((s, p, o) for s, p, o in once if isinstance(o, BNode))
    copy = BNode()
    doubled.add((subject, predicate, copy))
    for p, o in once.predicate_objects(node):
        doubled.add((copy, p, o))
    assert not same(once, doubled) and not isomorphic(once, doubled)


@pytest.fixture(scope="module")
def together(tmp_path_factory) -> Graph:
    """Both register files in one command, then Wikidata, then GLEIF Level 1 and 2 together
    (the reference the orders below are compared with: their imports are measured)."""
    with untraced():
        return run(
            tmp_path_factory.mktemp("together"),
            [("bods", [A, B]), ("wikidata", [WIKIDATA]), ("gleif", [GLEIF_LEI, GLEIF_RR])],
        )


def test_a_then_b_is_a_and_b_together(tmp_path, together):
    """The second register file imports after the first (it used to be refused with a dangling
    owl:sameAs), and the result is the graph of importing both at once."""
    graph = run(
        tmp_path,
        [
            ("bods", [A]),
            ("bods", [B]),
            ("wikidata", [WIKIDATA]),
            ("gleif", [GLEIF_LEI]),
            ("gleif", [GLEIF_RR]),
        ],
    )
    assert same(graph, together)


def test_b_then_a_in_reverse_order_is_the_same_graph(tmp_path, together):
    """Other sources first and the register files in the other order: the same graph."""
    graph = run(
        tmp_path,
        [
            ("gleif", [GLEIF_RR]),
            ("gleif", [GLEIF_LEI]),
            ("wikidata", [WIKIDATA]),
            ("bods", [B]),
            ("bods", [A]),
        ],
    )
    assert same(graph, together)


def test_a_twice_is_a_once(tmp_path, together):
    """Importing a file again replaces what it gave: no duplicate claims or documents."""
    graph = run(
        tmp_path,
        [
            ("bods", [A]),
            ("bods", [A]),
            ("wikidata", [WIKIDATA]),
            ("bods", [B]),
            ("gleif", [GLEIF_LEI, GLEIF_RR]),
            ("wikidata", [WIKIDATA]),
            ("bods", [A]),
        ],
    )
    assert same(graph, together)


def test_a_newer_version_of_a_file_replaces_the_old_one(tmp_path):
    """A file re-imported under the same name after it changed keeps nothing of the old version:
    the graph is the one of importing the new version alone."""
    statements = [json.loads(line) for line in A.read_text().splitlines() if line.strip()]
    old_dir = tmp_path / "old"
    old_dir.mkdir()
    old = old_dir / A.name
    # the old version: the same register a day earlier, without its last relationships
    kept = [s for s in statements if s["recordType"] != "relationship"]
    kept += [s for s in statements if s["recordType"] == "relationship"][:20]
    old.write_text("\n".join(json.dumps(s) for s in kept) + "\n")
    graph = run(tmp_path / "a", [("bods", [old]), ("bods", [B]), ("bods", [A])])
    alone = run(tmp_path / "b", [("bods", [B]), ("bods", [A])])
    assert same(graph, alone)


def test_a_removed_file_leaves_nothing_behind(tmp_path):
    """Deleting an import's output gives the graph without that file: nothing of it remains
    (its merges are derived at build time, so they go with it)."""
    data = data_folder(tmp_path / "a")
    import_files("bods", [A], graph_dir=data / "graph")
    import_files("wikidata", [WIKIDATA], graph_dir=data / "graph")
    import_files("bods", [EXAMPLE], graph_dir=data / "graph")
    output_path("wikidata", WIKIDATA, data / "graph").unlink()
    without = run(tmp_path / "b", [("bods", [EXAMPLE, A])])
    assert same(union(data), without)


def test_cli_second_import_and_build(tmp_path):
    """`automaker-kg import bods` twice with different files, then `build`: each exits 0."""
    data = data_folder(tmp_path / "data")
    for path in (A, B):
        result = run_cli("import", "bods", path, "--data-dir", data)
        assert result.exit_code == 0, result.stderr
    report = build(tmp_path / "store", data_dir=data)
    assert report.claims > 150
