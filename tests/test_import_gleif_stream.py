"""GLEIF at golden-copy scale: streamed import (same graph as in memory, bounded memory) and
the GLEIF-shaped generator (real schema, valid LEIs, realistic proportions)."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from automaker_kg.bench.gleif_generator import generate_gleif, lei_checks
from automaker_kg.build import build
from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG
from automaker_kg.sources.gleif import import_gleif
from automaker_kg.sources.gleif_stream import iter_gleif, write_gleif
from automaker_kg.sources.importing import ImportReport
from automaker_kg.sources.runner import import_files
from conftest import ROOT
from graphkit import canonical

SAMPLES = ROOT.parent / "shared" / "data" / "gleif-rr-samples"
SAMPLE_FILES = [
    "rr-data.xml",
    "rr-data.json",
    "lei-data.xml",
    "lei-data.json",
    "repex-data.xml",
    "repex-data.json",
    "reporting-exceptions-data.json",
]


def streamed(path: Path) -> tuple[Graph, ImportReport]:
    report = ImportReport("gleif", str(path))
    out = io.StringIO()
    write_gleif(path, out, report)
    return Graph().parse(data=out.getvalue(), format="turtle"), report


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/data is not present")
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_streamed_graph_is_the_in_memory_graph(name: str):
    """On GLEIF's own samples, streaming gives exactly the in-memory importer's triples."""
    memory = import_gleif(SAMPLES / name)
    graph, report = streamed(SAMPLES / name)
    assert canonical(graph) == canonical(memory.graph)
    assert report.claims == memory.report.claims
    assert report.read == memory.report.read == report.imported + len(report.skipped)
    assert [s["reason"] for s in report.skipped] == [s["reason"] for s in memory.report.skipped]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("gleif")
    generate_gleif(base / "xml", 3000, seed=3)
    generate_gleif(base / "json", 3000, seed=3, fmt="json")
    return {"xml": base / "xml", "json": base / "json"}


def test_generator_writes_the_real_schema_with_valid_leis(generated):
    """The generated files read as GLEIF records; every LEI passes the ISO 17442 check; the
    relationship mix has direct and ultimate parents, funds and branches."""
    kinds = Counter()
    leis = set()
    for record in iter_gleif(generated["xml"] / "rr.xml"):
        rel = record.data["Relationship"]
        kinds[rel["RelationshipType"]] += 1
        leis.update((rel["StartNode"]["NodeID"], rel["EndNode"]["NodeID"]))
    assert sum(kinds.values()) == 3000
    assert all(lei_checks(lei) for lei in leis)
    share = {k: n / 3000 for k, n in kinds.items()}
    assert 0.3 < share["IS_DIRECTLY_CONSOLIDATED_BY"] < 0.55
    assert 0.25 < share["IS_ULTIMATELY_CONSOLIDATED_BY"] < 0.5
    assert 0.02 < share["IS_INTERNATIONAL_BRANCH_OF"] < 0.12
    assert {"IS_FUND-MANAGED_BY", "IS_SUBFUND_OF"} <= set(kinds)
    lei_records = list(iter_gleif(generated["xml"] / "lei.xml"))
    assert leis <= {r.data["LEI"] for r in lei_records}
    assert list(iter_gleif(generated["xml"] / "repex.xml"))


def test_generator_is_deterministic(tmp_path):
    """The same seed gives the same bytes."""
    generate_gleif(tmp_path / "a", 500, seed=9, fmt="json")
    generate_gleif(tmp_path / "b", 500, seed=9, fmt="json")
    for name in ("rr.json", "lei.json", "repex.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_xml_and_json_give_the_same_claims(generated):
    """GLEIF's XML and JSON forms of the same records make the same claims (only the evidence
    selector differs: an XPath or a JSON pointer)."""

    def claims(graph: Graph) -> set[tuple]:
        return {
            (
                c,
                graph.value(c, AKG.child),
                graph.value(c, AKG.parent),
                graph.value(c, AKG.validTo),
            )
            for c in graph.subjects(RDF.type, AKG.ConsolidationRelation)
        }

    xml, xml_report = streamed(generated["xml"] / "rr.xml")
    js, json_report = streamed(generated["json"] / "rr.json")
    assert (
        claims(xml) == claims(js) and len(claims(xml)) == xml_report.claims["ConsolidationRelation"]
    )
    assert xml_report.skipped == json_report.skipped or [
        s["reason"] for s in xml_report.skipped
    ] == [s["reason"] for s in json_report.skipped]


def test_streaming_memory_stays_bounded(generated, tmp_path):
    """Streaming 3,000 relationship records (about 40,000 triples) allocates a few MB at
    most: the records are cleared as they are written, no graph is held."""
    out = tmp_path / "out.ttl"
    tracemalloc.start()
    with out.open("w", encoding="utf-8") as fh:
        write_gleif(generated["xml"] / "rr.xml", fh, ImportReport("gleif", "rr"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    triples = len(Graph().parse(out))
    assert triples > 35_000
    assert peak < 8_000_000, peak


def test_streamed_import_builds_through_the_bulk_path(generated, tmp_path):
    """`import gleif` above the streaming size writes Turtle the build loads and validates in
    the store; the claims are in the built store."""
    data = tmp_path / "data"
    (data / "graph").mkdir(parents=True)
    (data / "ontology").symlink_to(ROOT / "ontology")
    files = [generated["xml"] / "lei.xml", generated["xml"] / "rr.xml"]
    outcomes = import_files("gleif", files, graph_dir=data / "graph", stream_bytes=0)
    assert all(o.target.is_file() for o in outcomes)
    assert not list((data / "graph" / "imports").glob(".*.tmp"))
    report = build(tmp_path / "store", data_dir=data, bulk_bytes=0)
    wanted = sum(o.result.report.claims["ConsolidationRelation"] for o in outcomes)
    assert report.claims >= wanted > 2000


def test_bad_gleif_input_is_a_clear_error(tmp_path):
    """Broken XML names the line; another XML vocabulary or BODS is refused; depth bombs too."""
    broken = tmp_path / "broken.xml"
    broken.write_text(
        '<rr:RelationshipData xmlns:rr="http://www.gleif.org/data/schema/rr/2016">\n<a>'
    )
    with pytest.raises(ParseError, match="broken.xml"):
        list(iter_gleif(broken))
    other = tmp_path / "other.xml"
    other.write_text("<html><body/></html>")
    with pytest.raises(InputError, match="not GLEIF"):
        list(iter_gleif(other))
    bods = tmp_path / "bods.json"
    bods.write_text(json.dumps([{"statementID": "x", "statementType": "entityStatement"}]))
    with pytest.raises(InputError, match="import bods"):
        list(iter_gleif(bods))
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises((ParseError, InputError)):
        list(iter_gleif(deep))


def test_entities_written_once(generated):
    """Each LEI's node and identifier are written once however many relationships name it."""
    graph, report = streamed(generated["xml"] / "rr.xml")
    companies = set(graph.subjects(RDF.type, AKG.Company))
    assert len(companies) == report.entities
    for node in list(companies)[:50]:
        (lei,) = graph.objects(node, DCTERMS.identifier)
        assert str(lei) == "XI-LEI:" + str(node).rsplit("/", 1)[1]


def test_json_records_are_read_across_buffer_edges_and_errors_name_the_line(generated, tmp_path):
    """Records longer than what is left in the read buffer are read whole (the file is
    several buffers long); a broken record names its line, a cut file is a parse error."""
    source = generated["json"] / "rr.json"
    assert sum(1 for _ in iter_gleif(source)) == 3000
    text = source.read_text()
    lines = text.splitlines()
    broken = tmp_path / "broken.json"
    broken.write_text("\n".join([*lines[:1500], lines[1500].replace('":', '"', 1), *lines[1501:]]))
    with pytest.raises(ParseError) as error:
        list(iter_gleif(broken))
    assert error.value.line == 1501
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(ParseError, match="cut.json"):
        list(iter_gleif(cut))


def test_streamed_turtle_loads_in_pieces_as_it_loads_whole(generated, tmp_path):
    """A streamed file cut into pieces between statements (each with the prefixes) loads the
    same quads as the whole file; a syntax error in a later piece names the file's line."""
    import pyoxigraph

    from automaker_kg.build import _bulk_load_file
    from automaker_kg.sources.gleif_stream import turtle_pieces

    out = tmp_path / "rr.ttl"
    with out.open("w", encoding="utf-8") as fh:
        write_gleif(generated["json"] / "rr.json", fh, ImportReport("gleif", "rr"))
    pieces = list(turtle_pieces(out, size=20_000))
    assert len(pieces) > 20
    whole, cut = pyoxigraph.Store(), pyoxigraph.Store()
    whole.bulk_load(path=str(out), format=pyoxigraph.RdfFormat.TURTLE)
    for piece, _ in pieces:
        cut.bulk_load(input=piece, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(cut) == len(whole) > 35_000
    assert set(cut) == set(whole)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = next(n for n in range(len(lines) * 3 // 4, len(lines)) if lines[n] == "\n") + 1
    lines.insert(bad, "<oops> a .\n")  # after a statement, far into the file: its line bad + 1
    out.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError, match=rf"rr\.ttl:{bad + 1}\b"):
        _bulk_load_file(pyoxigraph.Store(), out, "rr.ttl")
    plain = tmp_path / "plain.ttl"
    plain.write_text("<urn:a> <urn:b> <urn:c> .\n")
    assert list(turtle_pieces(plain)) == []


def _rr_record(child: str, parent: str, periods: list[tuple[str, str, str]]) -> str:
    rows = "".join(
        f"<rr:RelationshipPeriod><rr:StartDate>{start}</rr:StartDate>"
        + (f"<rr:EndDate>{end}</rr:EndDate>" if end else "")
        + f"<rr:PeriodType>{kind}</rr:PeriodType></rr:RelationshipPeriod>"
        for start, end, kind in periods
    )
    return (
        "<rr:RelationshipRecord><rr:Relationship>"
        f"<rr:StartNode><rr:NodeID>{child}</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType>"
        f"</rr:StartNode><rr:EndNode><rr:NodeID>{parent}</rr:NodeID>"
        "<rr:NodeIDType>LEI</rr:NodeIDType></rr:EndNode>"
        "<rr:RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</rr:RelationshipType>"
        f"<rr:RelationshipPeriods>{rows}</rr:RelationshipPeriods>"
        "</rr:Relationship><rr:Registration><rr:RegistrationStatus>PUBLISHED"
        "</rr:RegistrationStatus></rr:Registration></rr:RelationshipRecord>"
    )


def test_shared_days_and_periods_are_written_per_record(tmp_path):
    """Records sharing days and periods (the writer caches both) each get their own dates:
    validTo the day after each one's last day, each distinct period once, and a record whose
    date is not a date skipped even after records with good dates."""
    a, b, c, p = "A" * 19 + "1", "B" * 19 + "2", "C" * 19 + "3", "P" * 19 + "9"
    accounts = ("2023-01-01T00:00:00Z", "2023-12-31T00:00:00Z", "ACCOUNTING_PERIOD")
    records = [
        _rr_record(a, p, [accounts, ("2010-05-01", "2020-02-28", "RELATIONSHIP_PERIOD")]),
        _rr_record(b, p, [accounts, ("2010-05-01", "2020-02-29", "RELATIONSHIP_PERIOD")]),
        _rr_record(c, p, [accounts, ("2010-05-01", "2020-02-31", "RELATIONSHIP_PERIOD")]),
    ]
    source = tmp_path / "rr.xml"
    source.write_text(
        '<rr:RelationshipData xmlns:rr="http://www.gleif.org/data/schema/rr/2016">'
        f"<rr:RelationshipRecords>{''.join(records)}</rr:RelationshipRecords>"
        "</rr:RelationshipData>"
    )
    graph, report = streamed(source)
    ends = {
        str(graph.value(claim, AKG.child)).rsplit("/", 1)[1]: str(graph.value(claim, AKG.validTo))
        for claim in graph.subjects(RDF.type, AKG.ConsolidationRelation)
    }
    assert ends == {a: "2020-02-29", b: "2020-03-01"}
    starts = {str(graph.value(claim, AKG.validFrom)) for claim in graph.subjects(AKG.child)}
    assert starts == {"2010-05-01"}
    assert len(set(graph.subjects(RDF.type, AKG.Period))) == 1
    assert len(set(graph.objects(None, AKG.period))) == 1
    assert [s["reason"] for s in report.skipped] == [
        "a relationship period's date is not a date (YYYY-MM-DD)"
    ]
