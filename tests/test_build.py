"""The build: parse, validate, write atomically; failures and kills leave the store as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from automaker_kg.build import build, load_graph, parse_file, project_files
from automaker_kg.errors import InputError, ParseError, ValidationError
from automaker_kg.namespaces import GRAPH, sparql_prologue
from automaker_kg.store import current_generation, open_store, store_info
from conftest import cli_command, cli_env

CLAIM_COUNT = (
    sparql_prologue()
    + """
SELECT (COUNT(DISTINCT ?claim) AS ?n) WHERE { ?claim a/rdfs:subClassOf* akg:Claim }
"""
)


def count(store_path: Path, query: str = CLAIM_COUNT) -> int:
    rows = list(open_store(store_path).query(query, use_default_graph_as_union=True))
    return int(rows[0]["n"].value)


def snapshot(store_path: Path) -> tuple[Path | None, int]:
    """The current generation and its number of quads."""
    return current_generation(store_path), len(open_store(store_path))


@pytest.fixture
def data_copy(small_data: Path) -> Path:
    """The data a test may break: the seed article's graph (a build of it takes seconds)."""
    return small_data


def test_project_files_order(data_dir):
    """Ontology files first (shapes.ttl excluded), then graph/ files, each group sorted."""
    names = [p.relative_to(data_dir).as_posix() for p in project_files(data_dir)]
    assert "ontology/automaker.ttl" in names and "ontology/shapes.ttl" not in names
    ontology = [n for n in names if n.startswith("ontology/")]
    graph = [n for n in names if n.startswith("graph/")]
    assert names == ontology + graph
    assert ontology == sorted(ontology) and graph == sorted(graph)


def test_project_files_needs_an_ontology_folder(tmp_path):
    """A data folder without ontology/ is bad input."""
    with pytest.raises(InputError, match="no ontology/ folder"):
        project_files(tmp_path)


def test_build_answers_a_sparql_count(built, built_store, data_dir):
    """The real data builds; the store's claim count equals the report's, and is not zero."""
    assert built.claims > 0 and built.entities > 0 and built.sources >= 1
    assert count(built_store) == built.claims
    assert built.files == [p.relative_to(data_dir).as_posix() for p in project_files(data_dir)]


def test_each_file_is_its_own_named_graph(built, built_store, data_dir):
    """Every file is a named graph GRAPH[path]; the metadata records each file's sha256."""
    store = open_store(built_store)
    graphs = {g.value for g in store.named_graphs()}
    generated = {str(GRAPH[name]) for name in getattr(built, "generated", ())}
    assert graphs == {str(GRAPH[name]) for name in built.files} | generated
    info = store_info(built_store)
    for entry in info["files"]:
        digest = hashlib.sha256((data_dir / entry["path"]).read_bytes()).hexdigest()
        assert entry["sha256"] == "sha256:" + digest
    assert info["quads"] == built.triples == len(store)


def test_load_graph_matches_the_store(built, built_store):
    """load_graph() holds the same named graphs with the same triple counts as the store."""
    dataset = load_graph()
    assert isinstance(dataset, Dataset)
    store = open_store(built_store)
    for name in built.files:
        in_store = sum(1 for _ in store.quads_for_pattern(None, None, None, _named(name)))
        assert len(dataset.graph(GRAPH[name])) == in_store, name
    # the default graph is the union
    assert len(list(dataset.query(CLAIM_COUNT))) == 1
    assert int(next(iter(dataset.query(CLAIM_COUNT)))[0]) == built.claims


def _named(name: str):
    import pyoxigraph

    return pyoxigraph.NamedNode(str(GRAPH[name]))


def test_parse_error_names_file_and_line(tmp_path):
    """A Turtle syntax error gives ParseError with the file and the line it is on."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c .\nex:d ex:e ;; ex:f .\n",
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as info:
        parse_file(bad, "graph/bad.ttl")
    assert info.value.path == "graph/bad.ttl"
    assert info.value.line == 4
    assert str(info.value).startswith("graph/bad.ttl:4: ")
    assert info.value.exit_code == 2


def _break(data: Path) -> Path:
    """Append a syntax error to the first graph file and return that file."""
    victim = sorted((data / "graph").rglob("*.ttl"))[0]
    lines = victim.read_text(encoding="utf-8").count("\n")
    with open(victim, "a", encoding="utf-8") as fh:
        fh.write("\n<https://w3id.org/automaker-kg/id/x> <http://example.org/p> .\n")
    return victim, lines + 2


def test_malformed_file_leaves_the_store(data_copy, tmp_path):
    """A malformed file aborts the build with file:line and the previous store is unchanged."""
    store = tmp_path / "kg"
    build(store, data_dir=data_copy)
    before = snapshot(store)
    victim, line = _break(data_copy)
    with pytest.raises(ParseError) as info:
        build(store, data_dir=data_copy)
    name = victim.relative_to(data_copy).as_posix()
    assert str(info.value).startswith(f"{name}:{line}: ")
    assert snapshot(store) == before
    assert not list((store / "generations").glob("*.tmp"))


STAKES = """
@prefix akg: <https://w3id.org/automaker-kg/ontology#> .
@prefix kg: <https://w3id.org/automaker-kg/id/> .
@prefix claim: <https://w3id.org/automaker-kg/id/claim/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

kg:test-alpha a akg:Automaker ; rdfs:label "Alpha" .
kg:test-beta a akg:Automaker ; rdfs:label "Beta" .
"""


def _stake(name: str, holder: str, target: str, share: str, document: str) -> str:
    return f"""
claim:{name} a akg:EquityStake ;
    rdfs:label "test stake" ; akg:status akg:OfficialStatement ;
    akg:holder kg:{holder} ; akg:target kg:{target} ; akg:interestType akg:VotingRights ;
    akg:shareExact {share} ;
    prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource <{document}> ;
        oa:hasSelector [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 5 ] ] .
"""


@pytest.fixture
def document(seed_store) -> str:
    """The IRI of a source document of the seed article's data (what ``data_copy`` holds)."""
    rows = open_store(seed_store).query(
        sparql_prologue() + "SELECT ?d WHERE { ?d a akg:SourceDocument } LIMIT 1",
        use_default_graph_as_union=True,
    )
    return next(iter(rows))["d"].value


@pytest.mark.parametrize(
    ("holder", "target", "share", "rule", "term"),
    [
        ("test-alpha", "test-beta", "140.0", "ShareExactRange", "claim:bad"),
        ("test-alpha", "test-alpha", "10.0", "HolderIsNotTarget", "claim:bad"),
        ("test-alpha", "no-such-company", "10.0", "StakeTarget", "kg:no-such-company"),
    ],
    ids=["percentage-140", "holder-is-target", "unknown-target"],
)
def test_violation_names_focus_rule_and_file_and_leaves_the_store(
    data_copy, tmp_path, document, holder, target, share, rule, term
):
    """A SHACL violation names the focus node, the rule and the file; nothing is written."""
    store = tmp_path / "kg"
    build(store, data_dir=data_copy)
    before = snapshot(store)
    bad = data_copy / "graph" / "zz-test" / "stakes.ttl"
    bad.parent.mkdir()
    bad.write_text(STAKES + _stake("bad", holder, target, share, document), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        build(store, data_dir=data_copy)
    hits = [v for v in info.value.violations if v.rule == rule]
    assert hits, str(info.value)
    assert hits[0].focus == "claim:bad"
    assert hits[0].source_file == "graph/zz-test/stakes.ttl"
    assert term in str(info.value)
    assert snapshot(store) == before


BULK_TRIPLES = 10_000


def _bulk(data: Path) -> None:
    """Add a large graph file of untargeted triples so that writing the store takes a while."""
    with open(data / "graph" / "zz-bulk.ttl", "w", encoding="utf-8") as fh:
        fh.write("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
        for i in range(BULK_TRIPLES):
            fh.write(f'<http://example.org/bulk/{i}> rdfs:comment "bulk note number {i}" .\n')


@pytest.mark.slow
def test_sigkill_mid_build_leaves_the_previous_store(small_data, tmp_path):
    """A build killed by SIGKILL while writing leaves the previous store intact and openable."""
    store = tmp_path / "kg"
    build(store, data_dir=small_data)
    before = snapshot(store)
    claims = count(store)
    _bulk(small_data)
    generations = store / "generations"
    proc = subprocess.Popen(
        [*cli_command(), "build", "--store", str(store), "--data-dir", str(small_data)],
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    killed_while_writing = False
    try:
        deadline = time.monotonic() + 600
        while proc.poll() is None and time.monotonic() < deadline:
            tmp = list(generations.glob("*.tmp"))
            try:
                writing = bool(tmp) and any(p.suffix == ".sst" for p in tmp[0].iterdir())
            except FileNotFoundError:  # renamed into place between the glob and the listing
                writing = False
            if writing:
                os.kill(proc.pid, signal.SIGKILL)
                killed_while_writing = True
                break
            time.sleep(0.002)
    finally:
        if proc.poll() is None and not killed_while_writing:
            proc.kill()
        proc.wait()
    assert killed_while_writing, "the build finished before it could be killed while writing"
    assert proc.returncode == -signal.SIGKILL
    assert list(generations.glob("*.tmp")), "the killed build left no half-written generation"
    assert snapshot(store) == before
    assert count(store) == claims
    # the next build clears the debris and succeeds
    report = build(store, data_dir=small_data)
    assert not list(generations.glob("*.tmp"))
    assert len(open_store(store)) == report.triples > before[1]


def test_timeline_loaded_in_pieces_is_the_timeline(built_store: Path, monkeypatch):
    """The derived timeline, bulk-loaded in small pieces cut at line ends, is the graph the
    build loaded (whole, at this size)."""
    import pyoxigraph

    from automaker_kg import build as build_module
    from automaker_kg import projections
    from automaker_kg.namespaces import GRAPH
    from automaker_kg.store import open_store

    timeline = pyoxigraph.NamedNode(str(GRAPH[build_module.TIMELINE_GRAPH]))
    built = open_store(built_store)
    copy = pyoxigraph.Store()
    copy.bulk_extend(q for q in built if q.graph_name != timeline)
    monkeypatch.setattr(projections, "TIMELINE_PIECE", 2_000)
    triples = build_module.load_timeline(copy)
    want = set(built.quads_for_pattern(None, None, None, timeline))
    assert triples == len(want) > 100
    assert set(copy.quads_for_pattern(None, None, None, timeline)) == want


def test_an_unchanged_files_digest_is_reused_and_any_write_is_seen(tmp_path, monkeypatch):
    """A file whose status (size, inode, times) is the one recorded with its digest is not
    read again; rewriting it with the same size and setting its modification time back
    still changes its status (the change time), so it is hashed again; a file changed
    less than SETTLED_NS ago gets no status (hashed at the next build too)."""
    from automaker_kg import build as build_module

    path = tmp_path / "a.ttl"
    path.write_text("<http://e/a> <http://e/p> 1 .\n", encoding="utf-8")
    digest = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert build_module._fingerprints([path], ["a.ttl"]) == ({"a.ttl": digest}, {"a.ttl": None})
    monkeypatch.setattr(build_module, "SETTLED_NS", 0)
    digests, statuses = build_module._fingerprints([path], ["a.ttl"])
    assert digests == {"a.ttl": digest} and statuses["a.ttl"] is not None
    known = [{"path": "a.ttl", "sha256": "sha256:recorded", "status": statuses["a.ttl"]}]
    assert build_module._fingerprints([path], ["a.ttl"], known)[0] == {"a.ttl": "sha256:recorded"}
    before = path.stat()
    time.sleep(0.05)
    path.write_text("<http://e/a> <http://e/p> 2 .\n", encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    again = build_module._fingerprints([path], ["a.ttl"], known)[0]
    assert again == {"a.ttl": "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()}


def _tables(generation: Path) -> dict[str, list[tuple]]:
    """Every table of a generation's cache, its rows in order."""
    import sqlite3

    db = sqlite3.connect(generation / "cache.sqlite")
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in names}
    finally:
        db.close()


def test_a_bulk_builds_caches_beside_validation_are_those_after_it(
    small_data: Path, tmp_path: Path, monkeypatch
):
    """Derived while validation runs (a small store) or after it (OVERLAP_QUADS exceeded):
    the same caches, reciprocal-stake index and generation record."""
    import json

    import automaker_kg.build as build_module

    beside = build(tmp_path / "beside", data_dir=small_data, bulk_bytes=0, full=True)
    monkeypatch.setattr(build_module, "OVERLAP_QUADS", 0)
    after = build(tmp_path / "after", data_dir=small_data, bulk_bytes=0, full=True)
    assert set(beside.phases) == set(after.phases) >= {"validate", "cache"}
    assert _tables(beside.generation) == _tables(after.generation)
    assert _tables(beside.generation)["edges"]
    index = "cross-holdings-index.json"
    assert (beside.generation / index).read_bytes() == (after.generation / index).read_bytes()

    def record(generation: Path) -> dict:
        info = json.loads((generation / "generation.json").read_text(encoding="utf-8"))
        for entry in info["files"]:
            entry.pop("status")  # the files' stat when read, which may differ between builds
        return {k: v for k, v in info.items() if k not in ("built_at", "generation")}

    assert record(beside.generation) == record(after.generation)


def test_file_fingerprints_are_read_in_chunks(tmp_path):
    """A bulk file's SHA-256 (the generation's metadata) is read in chunks, not whole: a
    golden copy's import is a gigabyte, which read at once made the build's peak."""
    import tracemalloc

    from automaker_kg.build import _sha256
    from automaker_kg.sources.documents import sha256_of

    big = tmp_path / "big.ttl"
    with big.open("wb") as fh:
        for i in range(32):
            fh.write(bytes([i]) * (1 << 20))
    expected = "sha256:" + hashlib.sha256(big.read_bytes()).hexdigest()
    for digest in (_sha256, sha256_of):
        tracemalloc.start()
        got = digest(big)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert got == expected
        assert peak < 4 << 20, (digest.__name__, peak)


def test_parsed_graphs_loaded_at_once_are_those_loaded_one_by_one(tmp_path):
    """The small files' graphs, bulk-loaded in one N-Quads document, are the graphs loaded
    one file at a time: each triple in its file's graph, literals with a line break or
    `` .`` inside and blank nodes included."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    from automaker_kg.build import _load_graphs

    a, b, node = Graph(), Graph(), BNode()
    a.add((URIRef("urn:s"), URIRef("urn:p"), Literal("one .\ntwo .\n")))
    a.add((URIRef("urn:s"), URIRef("urn:q"), node))
    b.add((node, URIRef("urn:p"), Literal("3", lang="en")))
    b.add((URIRef("urn:s"), URIRef("urn:p"), Literal("one .\ntwo .\n")))
    graphs = [("ontology/a.ttl", a), ("graph/b.ttl", b), ("graph/empty.ttl", Graph())]
    at_once, one_by_one = pyoxigraph.Store(), pyoxigraph.Store()
    _load_graphs(at_once, graphs)
    for name, graph in graphs:
        one_by_one.bulk_load(
            input=graph.serialize(format="nt", encoding="utf-8"),
            format=pyoxigraph.RdfFormat.N_TRIPLES,
            to_graph=pyoxigraph.NamedNode(str(GRAPH[name])),
        )

    def shape(store: pyoxigraph.Store) -> tuple[set, int]:
        """The quads without a blank node, and the number of blank nodes (the bulk loader
        draws their ids anew)."""
        plain = {q for q in store if not isinstance(q.subject, pyoxigraph.BlankNode)}
        plain = {q for q in plain if not isinstance(q.object, pyoxigraph.BlankNode)}
        blank = {t for q in store for t in (q.subject, q.object)}
        return plain, sum(isinstance(t, pyoxigraph.BlankNode) for t in blank)

    assert shape(at_once) == shape(one_by_one)
    assert shape(at_once)[1] == 2  # one node per file, as each file its own document
    assert len(at_once) == 4
    assert len(list(at_once.quads_for_pattern(None, None, None, _named("graph/b.ttl")))) == 2


def test_a_bulk_builds_recorded_quads_are_its_store(small_data: Path, tmp_path: Path):
    """A bulk build records the quads it measured (not counted again): every quad of the
    store, the generated graphs included."""
    report = build(tmp_path / "store", data_dir=small_data, bulk_bytes=0, full=True)
    info = store_info(tmp_path / "store")
    assert info["quads"] == report.triples == len(open_store(tmp_path / "store")) > 1000
