"""Real register output (Open Ownership's BODS 0.4 files) imports, with every statement
accounted for: imported, or skipped with its id and reason; only non-BODS input is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, CLAIM
from automaker_kg.sources.bods import import_bods
from automaker_kg.validate import validate
from conftest import ROOT, run_cli

SHARED = ROOT.parent / "shared" / "data"
REGISTER = SHARED / "bods-register-samples"
HORNSEA = REGISTER / "2138002S3XGZ38WN5Q72.jsonl"
NEWCASTLE = REGISTER / "213800AG2V6YE68H5N63.jsonl"
EXAMPLES = SHARED / "bods-examples" / "examples"
pytestmark = pytest.mark.skipif(not REGISTER.is_dir(), reason="../shared/data is not present")


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def write_lines(path: Path, statements: list[dict]) -> Path:
    path.write_text("".join(json.dumps(s) + "\n" for s in statements))
    return path


@pytest.mark.parametrize("path", [HORNSEA, NEWCASTLE], ids=lambda p: p.name)
def test_register_file_imports_whole_and_conforms(path: Path):
    """Every statement of a real register file is imported, and the result validates."""
    result = import_bods(path)
    report = result.report
    assert report.read == len(lines(path)) == report.imported + len(report.skipped)
    assert report.skipped == []
    ontology = [ROOT / "ontology" / n for n in ("automaker.ttl", "taxonomy.ttl", "imports.ttl")]
    graph = result.graph
    for name in (*ontology, ROOT / "ontology" / "bods-interests.ttl"):
        graph.parse(name)
    assert validate(graph, engine="sparql") == []


def test_same_day_interests_are_kept_as_moments():
    """Newcastle's closed record whose interests start and end on 2020-04-08: three claims with
    validFrom = validTo (a recorded moment), no longer refused."""
    g = import_bods(NEWCASTLE).graph
    day = Literal("2020-04-08", datatype=XSD.date)
    moments = [
        c
        for c in g.subjects(AKG.validFrom, day)
        if g.value(c, AKG.validTo) == day and str(c).startswith(str(CLAIM))
    ]
    assert len(moments) >= 3
    assert CLAIM["bods/b3381aff-da39-4765-c4cc-4bda9011cae4/0"] in moments


def test_closed_record_the_day_it_started_is_a_moment(tmp_path: Path):
    """An interest with a start date and no end, in a closed record dated its start day, ends
    that day: a moment, not an interest in force for ever."""
    statements = lines(NEWCASTLE)
    rel = next(s for s in statements if s["recordType"] == "relationship")
    closed = json.loads(json.dumps(rel))
    closed["statementId"] = "closed-the-day-it-started-0001"
    closed["recordStatus"] = "closed"
    closed["statementDate"] = "2021-05-04"
    for interest in closed["recordDetails"]["interests"]:
        interest.pop("endDate", None)
        interest["startDate"] = "2021-05-04"
    entities = [s for s in statements if s["recordType"] != "relationship"]
    g = import_bods(write_lines(tmp_path / "closed.jsonl", [*entities, closed])).graph
    claim = CLAIM["bods/closed-the-day-it-started-0001/0"]
    assert g.value(claim, AKG.validFrom) == g.value(claim, AKG.validTo)


def test_share_ranges_and_identifier_schemes_are_kept():
    """75–100% stays a range; entities keep LEI, company number and other schemes."""
    g = import_bods(NEWCASTLE).graph + import_bods(HORNSEA).graph
    ranges = {
        (g.value(c, AKG.shareMinimum).toPython(), g.value(c, AKG.shareMaximum).toPython())
        for c in g.subjects(RDF.type, AKG.EquityStake)
        if g.value(c, AKG.shareMinimum) is not None and g.value(c, AKG.shareMaximum) is not None
    }
    assert (75, 100) in {(int(a), int(b)) for a, b in ranges}
    schemes = {str(i).split(":", 1)[0] for i in g.objects(None, DCTERMS.identifier)}
    assert {"XI-LEI", "GB-COH", "US-SAM", "DK-CVR"} <= schemes


def test_unrepresentable_statements_are_skipped_with_reasons(tmp_path: Path):
    """An invalid statement, a relationship with an unspecified party and an interest that
    ends before it starts are skipped, each with its id and reason; the rest imports."""
    statements = lines(HORNSEA)
    relationships = [i for i, s in enumerate(statements) if s["recordType"] == "relationship"]
    a, b, c = relationships[:3]
    statements[a] = dict(statements[a], recordType="not-a-record-type")
    details = statements[b]["recordDetails"]
    statements[b]["recordDetails"] = dict(
        details, interestedParty={"reason": "subjectUnableToConfirmOrIdentifyBeneficialOwner"}
    )
    for interest in statements[c]["recordDetails"]["interests"]:
        interest.update(startDate="2020-01-02", endDate="2019-01-01")
    result = import_bods(write_lines(tmp_path / "odd.jsonl", statements))
    report = result.report
    skipped = {s["id"]: s for s in report.skipped}
    assert set(skipped) == {statements[i]["statementId"] for i in (a, b, c)}
    assert skipped[statements[a]["statementId"]]["reason"].startswith("not valid BODS")
    assert "not specified" in skipped[statements[b]["statementId"]]["reason"]
    assert "before it starts" in skipped[statements[c]["statementId"]]["reason"]
    assert skipped[statements[c]["statementId"]]["where"] == f"/{c}"
    assert report.read == len(statements) == report.imported + len(report.skipped)
    assert report.imported == len(statements) - 3


def test_a_file_that_is_not_bods_is_refused(tmp_path: Path):
    """JSON that is no BODS at all, or holds no valid statement, is refused whole."""
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"name": "Nissan", "owner": "Renault"}]))
    with pytest.raises(InputError, match="not BODS"):
        import_bods(other)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([dict(lines(HORNSEA)[0], recordType="x")]))
    with pytest.raises(InputError, match="no valid BODS statement"):
        import_bods(broken)


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_100000_deep_is_a_parse_error(tmp_path: Path, suffix: str):
    """A depth bomb is a ParseError naming the file, not a RecursionError."""
    path = tmp_path / f"deep{suffix}"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ParseError, match="nested too deeply"):
        import_bods(path)


def test_indirect_interest_links_its_components():
    """BODS 0.4 componentRecords: the indirect claim points at the claims of its links."""
    g = import_bods(EXAMPLES / "multiple-indirect-ownership.json").graph
    indirect = set(g.subjects(AKG.indirect, Literal(True)))
    assert indirect
    for claim in indirect:
        parts = set(g.objects(claim, AKG.component))
        assert parts and all((p, RDF.type, None) in g for p in parts)


def test_closed_relationship_without_interests_ends_the_record(tmp_path: Path):
    """A closing statement that repeats no interest still ends the record's open claims."""
    statements = lines(HORNSEA)
    rel = next(
        s
        for s in statements
        if s["recordType"] == "relationship"
        and not any("endDate" in i for i in s["recordDetails"].get("interests", []))
    )
    closing = json.loads(json.dumps(rel))
    closing.update(
        statementId="closing-statement-0001-of-the-record",
        recordStatus="closed",
        statementDate="2025-06-30",
    )
    closing["recordDetails"]["interests"] = []
    result = import_bods(write_lines(tmp_path / "closing.jsonl", [*statements, closing]))
    g = result.graph
    ended = CLAIM[f"bods/{rel['statementId']}/0"]
    assert g.value(ended, AKG.validTo) == Literal("2025-06-30", datatype=XSD.date)
    assert result.report.skipped == []


def test_cli_report_counts_every_statement(tmp_path: Path):
    """`import bods FILE --report R.json`: read = imported + skipped, each skip with id and
    reason; a non-BODS file exits 2 with a clear message and no traceback."""
    data = tmp_path / "data"
    (data / "graph").mkdir(parents=True)
    (data / "ontology").symlink_to(ROOT / "ontology")
    statements = lines(NEWCASTLE)
    index = next(i for i, s in enumerate(statements) if s["recordType"] == "relationship")
    statements[index]["recordDetails"]["interestedParty"] = {"reason": "unknown"}
    source = write_lines(tmp_path / "newcastle.jsonl", statements)
    report = tmp_path / "report.json"
    done = run_cli("import", "bods", source, "--report", report, "--data-dir", data)
    assert done.exit_code == 0, done.stderr
    written = json.loads(report.read_text())
    assert written["read"] == len(statements) == written["imported"] + written["skipped"]
    (entry,) = written["files"][0]["skipped_records"]
    assert entry["id"] == statements[index]["statementId"] and entry["reason"]
    other = tmp_path / "other.json"
    other.write_text('[{"hello": "world"}]')
    refused = run_cli("import", "bods", other, "--data-dir", data)
    assert refused.exit_code == 2 and "not BODS" in refused.stderr
    assert "Traceback" not in refused.stderr
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    bomb = run_cli("import", "bods", deep, "--data-dir", data)
    assert bomb.exit_code == 2 and "nested too deeply" in bomb.stderr
    assert "Traceback" not in bomb.stderr


def test_document_carries_the_publication_date():
    """The file's document is dated by its statements' latest publicationDate (knowledge time)."""
    g = import_bods(HORNSEA).graph
    (doc,) = g.subjects(RDF.type, AKG.SourceDocument)
    latest = max(s["publicationDetails"]["publicationDate"] for s in lines(HORNSEA))
    assert g.value(doc, DCTERMS.date) == Literal(latest, datatype=XSD.date)
    assert isinstance(doc, URIRef) and g.value(doc, RDFS.label) is None


def test_same_day_stake_is_built_and_never_in_force(tmp_path: Path):
    """Imported and built, the register's same-day stake (JV1 in PZ Newco, 2020-04-08) is in
    the store, and `ownership --as-of` leaves it out on its day and after, while the stake
    that replaced it is in force."""
    from automaker_kg.build import build
    from automaker_kg.queries import select
    from automaker_kg.sources.runner import import_files
    from automaker_kg.store import open_store

    data = tmp_path / "data"
    (data / "graph").mkdir(parents=True)
    shutil.copytree(ROOT / "ontology", data / "ontology")
    import_files("bods", [NEWCASTLE], graph_dir=data / "graph")
    build(tmp_path / "store", data_dir=data)
    claim = CLAIM["bods/b3381aff-da39-4765-c4cc-4bda9011cae4/0"]
    rows = select(
        open_store(tmp_path / "store"),
        f"SELECT ?f ?t WHERE {{ <{claim}> akg:validFrom ?f ; akg:validTo ?t }}",
    )
    assert [(str(r["f"]), str(r["t"])) for r in rows] == [("2020-04-08", "2020-04-08")]
    for day in ("2020-04-08", "2020-04-09"):
        done = run_cli(
            "ownership", "--as-of", day, "--store", tmp_path / "store", "--format", "csv"
        )
        assert done.exit_code == 0, done.stderr
        assert "bods/b3381aff" not in done.stdout and "JV1 LIMITED" not in done.stdout
        assert "PZ NEWCO LIMITED" in done.stdout
