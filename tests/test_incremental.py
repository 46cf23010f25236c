"""Incremental builds: a rebuild after an edit of the fact sheets' Turtle reports exactly what a
full validation of the same files reports, and writes what a full build writes."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from automaker_kg import cache, reciprocal_index
from automaker_kg.build import build, check_files, graph_name, parse_file, project_files, rebuild
from automaker_kg.errors import ParseError, ValidationError
from automaker_kg.namespaces import AKG, KG
from automaker_kg.resolve import rewrote
from automaker_kg.store import current_generation, open_store, store_info
from conftest import copy_data, untraced


def copy_store(built_store: Path, dest: Path) -> Path:
    """A private copy of the session's full build of the checkout (the same files as
    :func:`copy_data` gives, recorded by relative name and SHA-256): a store to rebuild on top
    of, without a full build of its own."""
    shutil.copytree(built_store, dest, symlinks=True)
    return dest


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, built_store: Path) -> tuple[Path, Path]:
    """A private copy of the checkout's data and of a store fully built from it."""
    data = copy_data(tmp_path_factory.mktemp("incremental") / "data")
    store = copy_store(built_store, data.parent / "store")
    return data, store


#: Parsed files by (graph name, bytes): an example edits one to three of the checkout's files,
#: so each full validation parses only those again (check_files copies, never changes, them).
_PARSED: dict[tuple[str, bytes], Graph] = {}


def parsed_file(path: Path, name: str) -> Graph:
    """:func:`parse_file` of ``path``, parsed once for each content it has had."""
    key = (name, path.read_bytes())
    if key not in _PARSED:
        _PARSED[key] = parse_file(path, name)
    return _PARSED[key]


def full_violations(data: Path) -> set[tuple[str, str, str]]:
    """What a full validation of every file says (the shapes as SPARQL, as a rebuild)."""
    with untraced():  # the reference: check_files is measured by the tests of build and add
        parsed = [
            (graph_name(p, data), parsed_file(p, graph_name(p, data))) for p in project_files(data)
        ]
        violations = check_files(parsed, data, engine="sparql")
    return {(v.focus, v.rule, v.message) for v in violations}


def incremental_violations(data: Path, store: Path) -> set[tuple[str, str, str]] | None:
    """What a rebuild says: its violations (empty when it wrote a generation); ``None``
    when it could not rebuild incrementally."""
    try:
        report = rebuild(store, data_dir=data)
    except ValidationError as exc:
        return {(v.focus, v.rule, v.message) for v in exc.violations}
    return None if report is None else set()


def sheets(data: Path) -> list[Path]:
    """The article and seed files (not the shared entities file)."""
    return sorted(p for p in (data / "graph").rglob("*.ttl") if p.name != "entities.ttl")


def closure(graph: Graph, node: URIRef) -> list[tuple]:
    """``node``'s triples and those of the blank nodes below it."""
    out, todo, seen = [], [node], {node}
    while todo:
        for triple in graph.triples((todo.pop(), None, None)):
            out.append(triple)
            if isinstance(triple[2], BNode) and triple[2] not in seen:
                seen.add(triple[2])
                todo.append(triple[2])
    return out


EDITS = ("share", "drop", "status", "copy-stake", "remove-file", "unsupersede")


def merge(data: Path, rng: random.Random) -> str:
    """Import a record of a curated entity (a new file under graph/imports/ giving another
    IRI its Wikidata item): entity resolution merges the two, rewriting the imported IRI."""
    entities = Graph().parse(data / "graph" / "entities.ttl", format="turtle")
    entity, item = rng.choice(sorted(entities.subject_objects(SKOS.exactMatch)))
    number = rng.randrange(10**6)
    imported = KG[f"test-import/{number}"]
    graph = Graph()
    graph.add((imported, RDF.type, AKG.Company))
    graph.add((imported, RDFS.label, Literal(f"Imported record {number}")))
    graph.add((imported, SKOS.exactMatch, item))
    path = data / "graph" / "imports" / f"merge-{number}.ttl"
    path.parent.mkdir(exist_ok=True)
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    return f"{path.name}: {imported} is {entity} ({item})"


def edit(data: Path, kind: str, rng: random.Random) -> str:
    """Change one sheet's Turtle as an author might (or delete it); say what was done."""
    files = sheets(data)
    path = rng.choice(files)
    graph = Graph().parse(path, format="turtle")
    stakes = sorted(set(graph.subjects(RDF.type, AKG.EquityStake)))
    claims = sorted(set(graph.subjects(AKG.status, None)))
    if kind == "remove-file":
        path.unlink()
        return f"removed {path.name}"
    if kind == "merge":
        return merge(data, rng)
    if kind == "share" and stakes:
        stake = rng.choice(stakes)
        value = Literal(Decimal(rng.randrange(0, 1500)) / 10)
        graph.remove((stake, AKG.shareExact, None))
        graph.remove((stake, AKG.shareMinimum, None))
        graph.add((stake, AKG.shareExact, value))
        done = f"{stake} share {value}"
    elif kind == "status" and claims:
        claim = rng.choice(claims)
        status = rng.choice(
            [
                AKG.OfficialStatement,
                AKG.HistoricalFact,
                AKG.PlanOrExpectation,
                AKG.ReportedByUnnamedSources,
            ]
        )
        graph.set((claim, AKG.status, status))
        done = f"{claim} status {status}"
    elif kind == "unsupersede" and list(graph.triples((None, AKG.supersedes, None))):
        triple = rng.choice(sorted(graph.triples((None, AKG.supersedes, None))))
        graph.remove(triple)
        done = f"removed {triple}"
    elif kind == "copy-stake":  # a stake from another sheet, with another holder, here
        donors = [p for p in files if p != path]
        donor = Graph().parse(rng.choice(donors), format="turtle")
        others = sorted(set(donor.subjects(RDF.type, AKG.EquityStake)))
        if not others:
            return "nothing"
        stake = rng.choice(others)
        new = KG[f"claim/copied-{rng.randrange(10**6)}"]
        renamed: dict = {stake: new}
        for s, p, o in closure(donor, stake):
            s, o = renamed.setdefault(s, BNode()) if isinstance(s, BNode) else renamed.get(s, s), o
            if isinstance(o, BNode):
                o = renamed.setdefault(o, BNode())
            graph.add((s, p, o))
        holders = sorted(
            set(donor.objects(None, AKG.holder)) | set(graph.objects(None, AKG.holder))
        )
        graph.set((new, AKG.holder, rng.choice(holders)))
        graph.set((new, AKG.shareExact, Literal(Decimal(rng.randrange(1, 100)))))
        graph.remove((new, AKG.shareMinimum, None))
        done = f"copied {stake} as {new}"
    elif claims:
        triple = rng.choice(sorted(closure(graph, rng.choice(claims))))
        graph.remove(triple)
        done = f"removed {triple}"
    else:
        return "nothing"
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    return f"{path.name}: {done}"


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kinds=st.lists(st.sampled_from(EDITS), min_size=1, max_size=3), seed=st.integers(0, 2**32))
def test_a_rebuild_reports_what_a_full_validation_reports(
    workspace: tuple[Path, Path], kinds: list[str], seed: int
) -> None:
    """For random edits of real sheets (shares, statuses, supersession, copied stakes that
    push another sheet's target over 100%, removed triples and files), the violations of an
    incremental rebuild are exactly those of a full validation of the same files."""
    data, store = workspace
    saved = {p: p.read_bytes() for p in (data / "graph").rglob("*.ttl")}
    rng = random.Random(seed)
    try:
        done = [edit(data, kind, rng) for kind in kinds]
        got = incremental_violations(data, store)
        if got is None:  # the edit changed entity resolution: only a full build is right
            event("full build needed")
            return
        event("incremental, with violations" if got else "incremental, conforms")
        assert got == full_violations(data), done
    finally:
        for path in set((data / "graph").rglob("*.ttl")) - set(saved):
            path.unlink()
        for path, body in saved.items():
            path.write_bytes(body)


def quads(folder: Path) -> Counter:
    """The quads of the current generation, blank nodes as ``_``."""
    return Counter(
        tuple("_" if isinstance(t, pyoxigraph.BlankNode) else t for t in quad)
        for quad in open_store(folder)
    )


def cache_tables(folder: Path) -> dict[str, list]:
    """Every table of the current generation's cache: rows by number, else sorted."""
    db = sqlite3.connect(current_generation(folder) / cache.CACHE_FILE)
    try:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out = {}
        for table in tables:
            rows = db.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 - our names
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        db.close()


def assert_derived_alike(mine: Path, theirs: Path) -> None:
    """Two stores' current generations hold the same quads (the derived timeline graph
    included) and the same cache, table for table."""
    assert quads(mine) == quads(theirs)
    mine_tables, their_tables = cache_tables(mine), cache_tables(theirs)
    assert mine_tables.keys() == their_tables.keys()
    for table, rows in their_tables.items():
        assert mine_tables[table] == rows, table
    mine_index, their_index = (
        json.loads((current_generation(f) / reciprocal_index.INDEX_FILE).read_text())
        for f in (mine, theirs)
    )
    for index in (mine_index, their_index):  # in the query's order where it does not tie
        index["pairs"].sort(key=lambda p: json.dumps(p, sort_keys=True))
    assert mine_index == their_index


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kinds=st.lists(
        st.sampled_from([e for e in EDITS if e != "copy-stake"]), min_size=1, max_size=2
    ),
    seed=st.integers(0, 2**32),
)
def test_a_rebuild_derives_the_timeline_and_cache_a_full_build_derives(
    workspace: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory, kinds, seed: int
) -> None:
    """For random edits of real sheets, a rebuild that conforms (the timeline rows and the
    cache rows of the claims the edit can affect derived again, on top of the last
    generation's) holds the timeline graph and the cache a full build of the same files
    writes."""
    data, store = workspace
    saved = {p: p.read_bytes() for p in (data / "graph").rglob("*.ttl")}
    rng = random.Random(seed)
    try:
        for kind in kinds:
            note(edit(data, kind, rng))
        try:
            report = rebuild(store, data_dir=data)
        except ValidationError:
            event("does not conform")
            return
        if report is None:
            event("full build needed")
            return
        patched = store_info(store)["rebuilt"].get("rederived") is not None
        event("patched" if patched else "derived again whole")
        full = tmp_path_factory.mktemp("full") / "store"
        with untraced():  # the reference: a full build is measured by the session's build
            build(full, data_dir=data, full=True)
        assert_derived_alike(store, full)
        assert store_info(store)["quads"] == store_info(full)["quads"]
    finally:
        for path in set((data / "graph").rglob("*.ttl")) - set(saved):
            path.unlink()
        for path, body in saved.items():
            path.write_bytes(body)


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory, built_store: Path) -> tuple[Path, Path]:
    """A private copy of the data with an imported record merged into a curated entity, and
    a store built from it (on top of a copy of the session's store, which merged nothing: the
    rebuild, reading the unchanged files from the store, finds the new merge and declines)."""
    data = copy_data(tmp_path_factory.mktemp("merged") / "data")
    store = copy_store(built_store, data.parent / "store")
    assert not rewrote(open_store(store))
    merge(data, random.Random(0))
    assert build(store, data_dir=data).rebuilt is None  # a new merge: only a full build
    assert rewrote(open_store(store))
    return data, store


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kinds=st.lists(
        st.sampled_from(["share", "status", "unsupersede", "remove-file", "merge"]),
        min_size=1,
        max_size=2,
    ),
    seed=st.integers(0, 2**32),
)
def test_a_build_on_merged_entities_writes_what_a_full_build_writes(
    merged: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory, kinds, seed: int
) -> None:
    """On a generation whose build merged entities (so every graph may have been rewritten
    and a rebuild parses every file), random edits, another merge among them: what `build`
    writes, incrementally where it can, is what a full build of the same files writes, and
    what it refuses, a full validation refuses (no triples dropped: most such edits would
    not conform). Each example starts from a copy of that generation."""
    data, merged_store = merged
    store = copy_store(merged_store, tmp_path_factory.mktemp("on-merged") / "store")
    saved = {p: p.read_bytes() for p in (data / "graph").rglob("*.ttl")}
    rng = random.Random(seed)
    try:
        for kind in kinds:
            note(edit(data, kind, rng))
        try:
            report = build(store, data_dir=data)
        except ValidationError as exc:
            event("does not conform")
            assert {(v.focus, v.rule, v.message) for v in exc.violations} == full_violations(data)
            return
        if report.rebuilt is None:
            event("full build: the resolution changed")
            return
        event("rebuilt on merged entities")
        full = tmp_path_factory.mktemp("full") / "store"
        with untraced():  # the reference
            build(full, data_dir=data, full=True)
        assert_derived_alike(store, full)
        assert store_info(store)["quads"] == store_info(full)["quads"]
    finally:
        for path in set((data / "graph").rglob("*.ttl")) - set(saved):
            path.unlink()
        for path, body in saved.items():
            path.write_bytes(body)


def test_a_changed_cross_holding_is_patched_into_the_reciprocal_index(
    tmp_path: Path, built_store: Path
) -> None:
    """A changed share of one side of Renault and Nissan's cross-holding: the rebuild finds
    the pair again (with the new share) and keeps the index, the cache and the timeline a
    full build writes."""
    data = copy_data(tmp_path / "data")
    copy_store(built_store, tmp_path / "inc")
    path = (
        data
        / "graph"
        / "articles"
        / "2023-11-08-renault-nissan-rebalancing-completed-globeandmail.ttl"
    )
    graph = Graph().parse(path, format="turtle")
    stake = KG["claim/globe-nissan-stake-renault-15"]
    graph.set((stake, AKG.shareExact, Literal(Decimal("14.9"))))
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    report = build(tmp_path / "inc", data_dir=data)
    assert report.rebuilt == (graph_name(path, data),)
    assert store_info(tmp_path / "inc")["rebuilt"]["rederived"] > 0
    with untraced():  # the reference
        build(tmp_path / "full", data_dir=data, full=True)
    assert_derived_alike(tmp_path / "inc", tmp_path / "full")
    assert store_info(tmp_path / "inc")["quads"] == store_info(tmp_path / "full")["quads"]
    index = json.loads(
        (current_generation(tmp_path / "inc") / reciprocal_index.INDEX_FILE).read_text()
    )
    assert any("14.9" in cell for pair in index["pairs"] for cell in pair["cells"])


def test_a_rebuild_writes_what_a_full_build_writes(tmp_path: Path, built_store: Path) -> None:
    """After one changed sheet, a rebuild reloads that file only and its generation holds the
    quads (the timeline's rows of the claims it can affect derived again), counts, file
    records and cache a full build of the same files gives."""
    data = copy_data(tmp_path / "data")
    copy_store(built_store, tmp_path / "inc")
    sheet = sheets(data)[3]
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    graph = Graph().parse(sheet, format="turtle")
    claim = sorted(set(graph.subjects(AKG.status, None)))[0]
    graph.set((claim, AKG.status, AKG.PlanOrExpectation))
    sheet.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    report = build(tmp_path / "inc", data_dir=data)
    assert report.rebuilt == (graph_name(sheet, data),)
    with untraced():  # the reference
        full = build(tmp_path / "full", data_dir=data, full=True)
    assert full.rebuilt is None
    assert quads(tmp_path / "inc") == quads(tmp_path / "full")
    assert (report.triples, report.claims, report.entities, report.sources) == (
        full.triples,
        full.claims,
        full.entities,
        full.sources,
    )
    mine, theirs = store_info(tmp_path / "inc"), store_info(tmp_path / "full")
    for info in (mine, theirs):  # a file's status says when it was read, not what it holds
        info["files"] = [{k: v for k, v in f.items() if k != "status"} for f in info["files"]]
    for key in ("files", "counts", "generated", "incremental", "quads"):
        assert mine[key] == theirs[key], key
    assert mine["rebuilt"]["rederived"] > 0  # patched, not derived again whole
    assert_derived_alike(tmp_path / "inc", tmp_path / "full")


def test_a_stake_pushing_another_sheets_target_over_100_fails_and_keeps_the_store(
    workspace: tuple[Path, Path],
) -> None:
    """A stake added to one sheet that takes a target of another sheet past 100% is refused
    by the rebuild, naming the rule and the file; the current generation stays."""
    data, store = workspace
    before = current_generation(store)
    target = KG.nissan
    path = data / "graph" / "articles" / "2019-08-29-toyota-suzuki-stake-wsj.ttl"
    saved = path.read_bytes()
    graph = Graph().parse(path, format="turtle")
    donor = Graph().parse(
        data
        / "graph"
        / "articles"
        / "2023-11-08-renault-nissan-rebalancing-completed-globeandmail.ttl"
    )
    stake = next(
        s for s in donor.subjects(AKG.target, target) if (s, RDF.type, AKG.EquityStake) in donor
    )
    new = KG["claim/test-over-100"]
    for s, p, o in closure(donor, stake):
        graph.add((new if s == stake else s, p, o))
    graph.set((new, AKG.holder, KG.toyota))
    graph.set((new, AKG.shareExact, Literal(Decimal("95.0"))))
    graph.remove((new, AKG.supersedes, None))
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    try:
        with pytest.raises(ValidationError) as caught:
            rebuild(store, data_dir=data)
        rules = {(v.rule, v.source_file) for v in caught.value.violations}
        assert ("ConcurrentStakesAtMost100", graph_name(path, data)) in rules
        assert current_generation(store) == before
    finally:
        path.write_bytes(saved)


def test_a_syntax_error_names_the_file_and_line_and_keeps_the_store(
    workspace: tuple[Path, Path],
) -> None:
    """Bad Turtle in a changed sheet: the rebuild names file:line, writes nothing."""
    data, store = workspace
    before = current_generation(store)
    path = sheets(data)[0]
    saved = path.read_bytes()
    path.write_text(saved.decode("utf-8") + "\nkg:x akg:holder .\n", encoding="utf-8")
    try:
        with pytest.raises(ParseError) as caught:
            build(store, data_dir=data)
        assert graph_name(path, data) in str(caught.value) and ":" in str(caught.value)
        assert current_generation(store) == before
    finally:
        path.write_bytes(saved)


def test_build_command_rebuilds_what_changed_unless_full(cli, small_data: Path, tmp_path: Path):
    """`build` says how many files it reloaded; `build --full` loads everything."""
    store = tmp_path / "store"
    first = cli("build", "--store", store, "--data-dir", small_data)
    assert first.exit_code == 0 and "changed)" not in first.stdout
    again = cli("build", "--store", store, "--data-dir", small_data)
    assert again.exit_code == 0 and "(0 changed)" in again.stdout
    full = cli("build", "--full", "--store", store, "--data-dir", small_data)
    assert full.exit_code == 0 and "changed)" not in full.stdout


def test_a_rebuild_loads_no_pyshacl(tmp_path: Path, built_store: Path) -> None:
    """A rebuild checks the shapes as SPARQL: the process never imports pySHACL (a tenth of
    a second of every `build` after an edit)."""
    import subprocess
    import sys

    from conftest import cli_env

    data = copy_data(tmp_path / "data")
    store = copy_store(built_store, tmp_path / "store")
    path = sheets(data)[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from automaker_kg.build import build\n"
        f"report = build({str(store)!r}, data_dir={str(data)!r})\n"
        "print(report.rebuilt is not None, 'pyshacl' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False"]
