"""GLEIF Level 2 importer: consolidation relations with LEIs and periods, names, exceptions."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, OA
from automaker_kg.sources.gleif import import_gleif, read_gleif

ROOT = Path(__file__).resolve().parents[1]
GLEIF = Path(__file__).resolve().parents[2] / "shared" / "data" / "gleif-rr-samples"
pytestmark = pytest.mark.skipif(
    not GLEIF.is_dir(), reason="../shared/data/gleif-rr-samples is not present"
)
CONSOLIDATION = {"IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY"}


def ontology() -> Graph:
    g = Graph()
    for name in ("automaker.ttl", "taxonomy.ttl", "imports.ttl", "bods-interests.ttl"):
        g.parse(ROOT / "ontology" / name)
    return g


def relationships_json(name: str) -> list[tuple[int, dict]]:
    data = json.loads((GLEIF / name).read_text())
    return [(i, r) for i, r in enumerate(data) if "Relationship" in r]


@pytest.mark.parametrize("name", ["rr-data.json", "rr-data.xml"])
def test_consolidation_records_become_consolidation_relations(name: str):
    """Each consolidation record is one akg:ConsolidationRelation with child, parent, kind,
    LEIs and periods as the JSON gives them; other relationship types are rejected by type."""
    records = relationships_json("rr-data.json")  # the XML holds the same 10 records
    result = import_gleif(GLEIF / name)
    g = result.graph
    wanted = [r for _, r in records if r["Relationship"]["RelationshipType"] in CONSOLIDATION]
    claims = set(g.subjects(RDF.type, AKG.ConsolidationRelation))
    assert len(claims) == len(wanted) == result.report.claims["ConsolidationRelation"] == 2
    assert not set(g.subjects(RDF.type, AKG.EquityStake))
    for record in wanted:
        rel = record["Relationship"]
        child = f"https://w3id.org/automaker-kg/id/lei/{rel['StartNode']['NodeID']}"
        parent = f"https://w3id.org/automaker-kg/id/lei/{rel['EndNode']['NodeID']}"
        kind = (
            AKG.DirectConsolidation
            if "DIRECTLY" in rel["RelationshipType"]
            else AKG.UltimateConsolidation
        )
        (claim,) = [
            c
            for c in claims
            if str(g.value(c, AKG.child)) == child and g.value(c, AKG.consolidationKind) == kind
        ]
        assert str(g.value(claim, AKG.parent)) == parent
        (period,) = [
            p for p in rel["RelationshipPeriods"] if p["PeriodType"] == "RELATIONSHIP_PERIOD"
        ]
        assert g.value(claim, AKG.validFrom) == Literal(period["StartDate"][:10], datatype=XSD.date)
        assert g.value(claim, AKG.validTo) is None
        others = [p for p in rel["RelationshipPeriods"] if p["PeriodType"] != "RELATIONSHIP_PERIOD"]
        nodes = list(g.objects(claim, AKG.period))
        assert sorted(
            (
                str(g.value(n, AKG.periodType)),
                str(g.value(n, AKG.periodStart)),
                str(g.value(n, AKG.periodEnd)),
            )
            for n in nodes
        ) == sorted((p["PeriodType"], p["StartDate"][:10], p["EndDate"][:10]) for p in others)
        assert g.value(claim, AKG.status) == AKG.OfficialStatement
        assert str(g.value(claim, AKG.sourceType)) == record["Registration"]["ValidationSources"]
        assert (
            str(g.value(claim, AKG.registrationStatus))
            == record["Registration"]["RegistrationStatus"]
        )
        standard = [
            q.get("QualifierCategory")
            for q in rel.get("RelationshipQualifiers", [])
            if q.get("QualifierCategory")
        ]
        assert [str(o) for o in g.objects(claim, AKG.accountingStandard)] == standard
        for lei_node in (g.value(claim, AKG.child), g.value(claim, AKG.parent)):
            assert (lei_node, RDF.type, AKG.Company) in g
            assert f"XI-LEI:{str(lei_node).rsplit('/', 1)[1]}" in {
                str(o) for o in g.objects(lei_node, DCTERMS.identifier)
            }
    rejected = result.report.rejected_by_reason()
    assert sum(rejected.values()) == len(records) - len(wanted) == 8
    assert rejected["relationship type IS_FUND-MANAGED_BY is not a consolidation relation"] == 5


def test_xml_and_json_records_read_alike():
    """The XML and JSON forms of the same records read into the same content and claims."""
    xml, js = read_gleif(GLEIF / "rr-data.xml"), read_gleif(GLEIF / "rr-data.json")
    assert [r.data for r in xml] == [r.data for r in js]
    assert xml[0].xpath == "/rr:RelationshipData/rr:RelationshipRecords/rr:RelationshipRecord[1]"
    assert js[3].pointer == "/3"
    a, b = import_gleif(GLEIF / "rr-data.xml").graph, import_gleif(GLEIF / "rr-data.json").graph
    assert set(a.subjects(RDF.type, AKG.ConsolidationRelation)) == set(
        b.subjects(RDF.type, AKG.ConsolidationRelation)
    )


def test_xpath_points_at_the_record():
    """A claim's evidence selects the file's records (one node per file) and its
    akg:sourceRecord is the XPath of the record it came from."""
    g = import_gleif(GLEIF / "rr-data.xml").graph
    root = ET.parse(GLEIF / "rr-data.xml").getroot()
    ns = {"rr": "http://www.gleif.org/data/schema/rr/2016"}
    claims = set(g.subjects(RDF.type, AKG.ConsolidationRelation))
    (evidence,) = {g.value(claim, PROV.wasDerivedFrom) for claim in claims}
    (document,) = g.subjects(RDF.type, AKG.SourceDocument)
    assert g.value(evidence, OA.hasSource) == document
    selector = g.value(evidence, OA.hasSelector)
    assert (selector, RDF.type, OA.XPathSelector) in g
    every = str(g.value(selector, RDF.value)).replace("/rr:RelationshipData/", "./", 1)
    assert len(root.findall(every, ns)) == 10
    for claim in claims:
        xpath = str(g.value(claim, AKG.sourceRecord)).replace("/rr:RelationshipData/", "./", 1)
        (element,) = root.findall(xpath, ns)
        assert (
            element.find("rr:Relationship/rr:StartNode/rr:NodeID", ns).text
            == str(g.value(claim, AKG.child)).rsplit("/", 1)[1]
        )


def test_repeated_records_are_one_claim_with_both_derivations():
    """relationship-update-data.json repeats each record a year later: one claim, two sources."""
    result = import_gleif(GLEIF / "relationship-update-data.json")
    g = result.graph
    claims = set(g.subjects(RDF.type, AKG.ConsolidationRelation))
    assert len(claims) == 2 and result.report.read == 6
    for claim in claims:
        pointers = {str(p) for p in g.objects(claim, AKG.sourceRecord)}
        assert pointers in ({"/1", "/4"}, {"/2", "/5"})
        assert g.value(claim, AKG.consolidationPercentage) == Literal(
            "100.00", datatype=XSD.decimal
        )
    (fbn,) = [s for s in g.subjects(RDFS.label, Literal("FBNQUEST ASSET MANAGEMENT LIMITED"))]
    assert str(g.value(fbn, AKG.countryCode)) == "NG"


@pytest.mark.parametrize(
    ("name", "count"),
    [("repex-data.xml", 10), ("repex-data.json", 10), ("reporting-exceptions-data.json", 2)],
)
def test_reporting_exceptions_are_noted(name: str, count: int):
    """Reporting exceptions become akg:ReportingException claims with kind and reason."""
    result = import_gleif(GLEIF / name)
    g = result.graph
    assert result.report.claims == {"ReportingException": count}
    reasons = sorted(str(o) for o in g.objects(None, AKG.exceptionReason))
    if name.startswith("repex"):
        data = json.loads((GLEIF / "repex-data.json").read_text())
        assert reasons == sorted(r["ExceptionReason"] for r in data)
    kinds = {
        g.value(c, AKG.consolidationKind) for c in g.subjects(RDF.type, AKG.ReportingException)
    }
    assert kinds <= {AKG.DirectConsolidation, AKG.UltimateConsolidation}


@pytest.mark.parametrize("name", ["lei-data.xml", "lei-data.json"])
def test_lei_records_name_the_entities(name: str):
    """LEI records give legal names, previous names as altLabels, LEIs and countries."""
    g = import_gleif(GLEIF / name).graph
    data = json.loads((GLEIF / "lei-data.json").read_text())
    for record in data:
        node = next(g.subjects(DCTERMS.identifier, Literal(f"XI-LEI:{record['LEI']}")))
        assert str(g.value(node, RDFS.label)) == record["Entity"]["LegalName"]
        assert str(g.value(node, AKG.countryCode)) == record["Entity"]["LegalJurisdiction"][:2]
    assert Literal(
        "FIDELITY ADVISOR SERIES I - Fidelity Advisor Leveraged Company Stock Fund"
    ) in set(g.objects(None, SKOS.altLabel))


@pytest.mark.parametrize("name", ["rr-data-out.json", "lei-data-out.json"])
def test_bods_files_are_refused_with_a_pointer_to_import_bods(name: str):
    """BODS statements are another standard: a clear error, naming the file and `import bods`."""
    with pytest.raises(InputError, match=rf"{name}: /0: .*import bods"):
        read_gleif(GLEIF / name)


def test_broken_files_fail_cleanly(tmp_path: Path):
    """Broken XML or JSON gives a ParseError with the file; unknown records an InputError."""
    bad = tmp_path / "bad.xml"
    bad.write_text(
        "<rr:RelationshipData xmlns:rr='http://www.gleif.org/data/schema/rr/2016'><oops></rr:RelationshipData>"
    )
    with pytest.raises(ParseError, match="bad.xml"):
        read_gleif(bad)
    odd = tmp_path / "odd.json"
    odd.write_text('[{"hello": 1}]')
    with pytest.raises(InputError, match=r"odd\.json: /0: not a GLEIF record"):
        read_gleif(odd)


@pytest.mark.parametrize(
    "name", ["rr-data.xml", "relationship-update-data.json", "repex-data.xml", "lei-data.json"]
)
def test_output_conforms_to_the_shapes_but_for_selectors(name: str):
    """SHACL: the only violations are the shapes' demand for text-position selectors."""
    validate = pytest.importorskip("automaker_kg.validate")
    rules = {v.rule for v in validate.validate(ontology() + import_gleif(GLEIF / name).graph)}
    assert rules <= {
        "ClaimProvenance",
        "EvidenceSelector",
        "TextPositionSelector",
        "SelectorStart",
        "SelectorEnd",
    }, rules
