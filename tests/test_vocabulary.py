"""Deal terms in fact sheets: amounts, instruments, holding commitments, shares in trust,
vehicle supply, licences, board seats, stakes of unknown size and foundings; each compiles
to the ontology's terms, passes the shapes through `add`, is refused when incomplete, and
becomes the projection's edges."""

from __future__ import annotations

from decimal import Decimal

import pytest
import rdflib
from rdflib import Graph, Literal
from rdflib.namespace import ORG, RDF, XSD

from automaker_kg.namespaces import AKG, CLAIM, KG, SCHEMA, TECH
from automaker_kg.projections import project
from automaker_kg.sources.factsheet import (
    CLAIM_KINDS,
    SheetConformanceError,
    SheetError,
    add,
    compile_sheet,
    parse_sheet,
    schema,
)

TEXT = (
    "Title: A made-up report\n"
    "Date: 2024-01-02\n"
    "\n"
    "Renault and Nissan agreed new terms. Nobody gave details.\n"
    "\n"
    "Analysts expect more deals.\n"
)
SHA = "sha256:" + "b" * 64

SHEET = """\
document: {file: tiny.txt, title: A made-up report, publisher: reuters, date: 2024-01-02}
entities:
  - {id: tiny-trust, type: Company, label: Tiny share trust}
  - {id: tiny-model, type: VehicleModel, label: Tiny One, focus: e-power}
  - {id: tiny-model-rebadged, type: VehicleModel, label: Tiny Uno}
  - {id: tiny-person, type: Person, label: A. Person}
events:
  - {id: tiny-founded, label: The tiny venture is set up, kind: founding}
claims:
  - id: tiny-unknown-stake
    kind: EquityStake
    status: reported
    label: Nissan has bought an undisclosed stake in Renault
    holder: nissan
    target: renault
    interest: shareholding
    share_unknown: true
    instrument: convertible_note
    amount: [{value: 1 billion, currency: USD}, {max: 1350000000, currency: CAD}]
    valuation: {min: 7.4 billion, currency: EUR}
    evidence: "3.1"
  - id: tiny-capital
    kind: Contribution
    status: plan
    label: Nissan is to lend Renault money
    contributor: nissan
    beneficiary: renault
    contribution: capital
    instrument: loan
    amount: {value: 600 million, currency: EUR}
    evidence: "3.1"
  - id: tiny-lock-up
    kind: HoldingCommitment
    status: official
    label: Renault keeps at least a tenth of Nissan until 2026
    holder: renault
    target: nissan
    commitment: minimum_holding
    share_min: 10
    valid_to: 2026
    evidence: "3.1"
  - id: tiny-trust-holding
    kind: TrustHolding
    status: official
    label: Renault's trust shares in Nissan carry no votes
    holder: renault
    trustee: tiny-trust
    target: nissan
    share: 28.4
    economic_interest_retained: true
    voting: neutralised
    evidence: "3.1"
  - id: tiny-supply
    kind: VehicleSupply
    status: official
    label: Renault sells a Nissan car under its own badge
    supplier: nissan
    recipient: renault
    vehicle: tiny-model
    rebadged_as: tiny-model-rebadged
    supply: badge_engineering
    market: india
    evidence: "3.1"
  - id: tiny-licence
    kind: TechnologyLicence
    status: official
    label: Renault may use Nissan's e-Power, not alone, against royalties
    licensor: nissan
    licensee: renault
    technology: e-power
    exclusive: false
    royalties: true
    evidence: "3.1"
  - id: tiny-seats
    kind: BoardSeat
    status: official
    label: Renault names an observer on Nissan's board
    organization: nissan
    appointed_by: renault
    person: tiny-person
    seat: observer
    count: 1
    evidence: "3.1"
  - id: tiny-founding
    kind: EventClaim
    status: historical
    label: The tiny trust was set up in May 2024 by Renault
    event: tiny-founded
    subject: tiny-trust
    participant: renault
    date: 2024-05
    evidence: "3.2"
skipped:
  - {paragraph: 4, reason: "An analysts' forecast with nobody named."}
"""


def _compile(text: str = SHEET) -> Graph:
    return compile_sheet(parse_sheet(text, "tiny.yaml"), TEXT, SHA, strict=False)


def _amounts(graph: Graph, claim, prop=AKG.amount) -> list[tuple]:
    out = []
    for node in graph.objects(claim, prop):
        assert (node, RDF.type, SCHEMA.MonetaryAmount) in graph
        out.append(
            tuple(
                str(graph.value(node, p)) if graph.value(node, p) is not None else None
                for p in (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue, SCHEMA.currency)
            )
        )
    return sorted(out, key=str)


def test_every_new_kind_is_a_sheet_kind_with_its_class():
    """The sheet kinds name the ontology's classes; the schema knows each kind."""
    for kind, cls in (
        ("HoldingCommitment", AKG.HoldingCommitment),
        ("TrustHolding", AKG.TrustHolding),
        ("VehicleSupply", AKG.VehicleSupply),
        ("TechnologyLicence", AKG.TechnologyLicence),
        ("BoardSeat", AKG.BoardSeat),
    ):
        assert CLAIM_KINDS[kind][0] == cls
    kinds = schema()["properties"]["claims"]["items"]["properties"]["kind"]["enum"]
    assert {"HoldingCommitment", "TrustHolding", "BoardSeat"} <= set(kinds)


def test_amounts_become_monetary_amounts_with_exact_decimals():
    """`amount`/`valuation` take a value or a range, words for scale, and a currency."""
    graph = _compile()
    stake = CLAIM["tiny-unknown-stake"]
    assert _amounts(graph, stake) == [
        ("1000000000.0", None, None, "USD"),
        (None, None, "1350000000.0", "CAD"),
    ]
    assert _amounts(graph, stake, AKG.valuation) == [(None, "7400000000.0", None, "EUR")]
    assert _amounts(graph, CLAIM["tiny-capital"]) == [("600000000.0", None, None, "EUR")]
    node = next(graph.objects(CLAIM["tiny-capital"], AKG.amount))
    value = graph.value(node, SCHEMA.value)
    assert value.datatype == XSD.decimal and Decimal(str(value)) == Decimal(600_000_000)


def test_unknown_stake_and_instruments():
    """A stake of unknown size says so and has no share; instruments are concepts."""
    graph = _compile()
    stake = CLAIM["tiny-unknown-stake"]
    assert graph.value(stake, AKG.shareUnknown) == Literal(True)
    assert graph.value(stake, AKG.shareExact) is None
    assert graph.value(stake, AKG.instrument) == AKG.ConvertibleNote
    assert graph.value(CLAIM["tiny-capital"], AKG.instrument) == AKG.Loan


def test_commitment_trust_supply_licence_and_seats():
    """Each kind's fields land on the ontology's properties and concepts."""
    graph = _compile()
    lock = CLAIM["tiny-lock-up"]
    assert graph.value(lock, AKG.commitmentKind) == AKG.MinimumHolding
    assert str(graph.value(lock, AKG.shareMinimum)) == "10.0"
    assert str(graph.value(lock, AKG.validTo)) == "2026-01-01"
    trust = CLAIM["tiny-trust-holding"]
    assert graph.value(trust, AKG.trustee) == KG["tiny-trust"]
    assert graph.value(trust, AKG.votingArrangement) == AKG.NeutralisedVoting
    assert graph.value(trust, AKG.economicInterestRetained) == Literal(True)
    supply = CLAIM["tiny-supply"]
    assert graph.value(supply, AKG.supplyKind) == AKG.BadgeEngineering
    assert graph.value(supply, AKG.rebadgedAs) == KG["tiny-model-rebadged"]
    assert (KG["tiny-model"], RDF.type, AKG.VehicleModel) in graph
    licence = CLAIM["tiny-licence"]
    assert set(graph.objects(licence, RDF.type)) == {
        AKG.TechnologyLicence,
        AKG.TechnologyArrangement,
    }
    assert graph.value(licence, AKG.arrangementKind) == AKG.Licenses
    assert graph.value(licence, AKG.provider) == KG.nissan
    assert graph.value(licence, AKG.recipient) == KG.renault
    assert graph.value(licence, AKG.technology) == TECH["e-power"]
    assert graph.value(licence, AKG.royalties) == Literal(True)
    seats = CLAIM["tiny-seats"]
    assert graph.value(seats, AKG.seatKind) == AKG.ObserverSeat
    assert graph.value(seats, AKG.appointedBy) == KG.renault
    assert graph.value(seats, ORG.member) == KG["tiny-person"]
    assert graph.value(seats, AKG.seatCount) == Literal(1)


REFUSED = [
    # (what, old, new, field, message fragment)
    (
        "stake without any share",
        "    share_unknown: true\n",
        "",
        "claims[0]",
        "share_unknown: true",
    ),
    (
        "share_unknown false",
        "share_unknown: true",
        "share_unknown: false",
        "claims[0].share_unknown",
        "only as true",
    ),
    (
        "unknown share given a share",
        "share_unknown: true",
        "share_unknown: true\n    share: 3",
        "claims[0].share_unknown",
        "has no share",
    ),
    (
        "amount both exact and a range",
        "{value: 600 million, currency: EUR}",
        "{value: 600 million, max: 700 million, currency: EUR}",
        "claims[1].amount.value",
        "not both",
    ),
    (
        "amount range upside down",
        "{value: 600 million, currency: EUR}",
        "{min: 700 million, max: 600 million, currency: EUR}",
        "claims[1].amount.min",
        "not be above max",
    ),
    (
        "amount without currency",
        "{value: 600 million, currency: EUR}",
        "{value: 600 million}",
        "claims[1].amount",
        "currency",
    ),
    (
        "amount in a lower-case currency",
        "{value: 600 million, currency: EUR}",
        "{value: 600 million, currency: eur}",
        "claims[1].amount.currency",
        "does not match",
    ),
    (
        "amount in words the parser does not know",
        "{value: 600 million, currency: EUR}",
        "{value: 600 zillion, currency: EUR}",
        "claims[1].amount.value",
        "",
    ),
    (
        "unknown instrument",
        "instrument: loan",
        "instrument: mortgage",
        "claims[1].instrument",
        "not one of",
    ),
    (
        "minimum holding without share_min",
        "    share_min: 10\n",
        "",
        "claims[2]",
        "needs share_min",
    ),
    (
        "trust without trustee",
        "    trustee: tiny-trust\n",
        "",
        "claims[3]",
        "missing required field 'trustee'",
    ),
    (
        "unknown voting word",
        "voting: neutralised",
        "voting: frozen",
        "claims[3].voting",
        "not one of",
    ),
    (
        "supply without its kind",
        "    supply: badge_engineering\n",
        "",
        "claims[4]",
        "missing required field 'supply'",
    ),
    (
        "licence without technology",
        "    technology: e-power\n",
        "",
        "claims[5]",
        "missing required field 'technology'",
    ),
    (
        "board seat filled by nobody",
        "    appointed_by: renault\n    person: tiny-person\n",
        "",
        "claims[6]",
        "appointed_by or person",
    ),
    ("no seats", "count: 1", "count: 0", "claims[6].count", "at least 1"),
]


@pytest.mark.parametrize("what,old,new,field,fragment", REFUSED, ids=[r[0] for r in REFUSED])
def test_incomplete_deal_terms_are_refused_with_the_field(what, old, new, field, fragment):
    """Each incomplete or ill-formed term is a SheetError naming its field."""
    assert old in SHEET
    text = SHEET.replace(old, new, 1)
    with pytest.raises(SheetError) as info:
        _compile(text)
    problems = [p for p in info.value.problems if p.field == field]
    assert problems, str(info.value)
    assert fragment in problems[0].message, str(info.value)


def test_add_accepts_every_new_kind_and_the_shapes_hold(tmp_path, data_copy):
    """`add` writes the sheet: ontology, graph/ and the sheet together conform."""
    sheet, document = tmp_path / "tiny.yaml", tmp_path / "tiny.txt"
    sheet.write_text(SHEET, encoding="utf-8")
    document.write_text(TEXT, encoding="utf-8")
    report = add(sheet, document=document, data_dir=data_copy)
    assert report.claims == 8
    written = Graph().parse(report.target, format="turtle")
    assert len(written) == len(_compile())


def test_a_founding_must_name_one_founded_organisation(tmp_path, data_copy):
    """A founding claim's one subject is the founded organisation (founders: participant)."""
    text = SHEET.replace("subject: tiny-trust", "subject: [tiny-trust, renault]")
    sheet, document = tmp_path / "tiny.yaml", tmp_path / "tiny.txt"
    sheet.write_text(text, encoding="utf-8")
    document.write_text(TEXT, encoding="utf-8")
    with pytest.raises(SheetConformanceError) as info:
        add(sheet, document=document, data_dir=data_copy)
    assert "FoundingClaim" in str(info.value)
    assert "claim:tiny-founding" in str(info.value)


def test_new_kinds_become_edges_of_the_all_projection():
    """Commitments, trusts, supply, seats and licences are edges with their relation."""
    graph = _compile()
    for s, p, o in rdflib.Graph().parse(
        format="turtle",
        data="""
        @prefix akg: <https://w3id.org/automaker-kg/ontology#> .
        @prefix kg: <https://w3id.org/automaker-kg/id/> .
        @prefix tech: <https://w3id.org/automaker-kg/id/technology/> .
        @prefix mkt: <https://w3id.org/automaker-kg/id/market/> .
        kg:nissan a akg:Automaker . kg:renault a akg:Automaker .
        tech:e-power a akg:Technology . mkt:india a akg:Market .
        """,
    ):
        graph.add((s, p, o))
    G = project(graph, "all")
    edges = {
        (G.nodes[u]["label"], G.nodes[v]["label"], d["relation"], d["share"], d["share_min"])
        for u, v, d in G.edges(data=True)
        if d["claim"].startswith(str(CLAIM))
    }
    assert ("renault", "nissan", "minimum_holding", None, 10.0) in edges
    assert ("renault", "nissan", "held_in_trust", 28.4, None) in edges
    assert ("Tiny share trust", "nissan", "trustee", 28.4, None) in edges
    assert ("nissan", "renault", "badge_engineering", None, None) in edges
    assert ("nissan", "Tiny One", "supplies_model", None, None) in edges
    assert ("renault", "Tiny Uno", "sells_model", None, None) in edges
    assert ("renault", "nissan", "observer_seat", None, None) in edges
    assert ("A. Person", "nissan", "observer_seat", None, None) in edges
    assert ("nissan", "e-power", "licenses", None, None) in edges
    assert ("e-power", "renault", "licenses", None, None) in edges
    assert G.nodes[str(KG["tiny-model"])]["kind"] == "vehicle"
    ownership = project(graph, "ownership")
    assert [d["share"] for _, _, d in ownership.edges(data=True)] == [None]  # unknown size


def test_every_claim_kind_and_field_is_documented():
    """docs/fact-sheets.md has a row for every sheet kind and names each of its fields."""
    from pathlib import Path

    from automaker_kg.sources.factsheet import COMMON_FIELDS

    doc = (Path(__file__).resolve().parent.parent / "docs" / "fact-sheets.md").read_text("utf-8")
    rows = {
        name.strip(): line
        for line in doc.splitlines()
        if line.startswith("| ")
        for name in line.split("|")[1].split(",")
    }
    for kind, (_, own, _required) in CLAIM_KINDS.items():
        assert kind in rows, kind
        for name in own:
            assert name in rows[kind] or f"`{name}`" in doc, (kind, name)
    for name in COMMON_FIELDS:
        assert f"`{name}`" in doc, name


BRIEF = (
    "Brief: A made-up report in our own words\n"
    "Reported by: Reuters, 2024-01-02\n"
    "Original: https://example.com/report\n"
    "Written: 2026-12-01, in our own words.\n"
    "\n"
    "Renault and Nissan agreed new terms. Nobody gave details.\n"
)
BRIEF_SHEET = """\
document: {file: briefs/x.txt, title: A made-up report, publisher: reuters, date: 2024-01-02}
claims:
  - {id: b1, kind: EventClaim, status: official, label: An agreement, event: e1,
     evidence: ["5.1"]}
"""


@pytest.mark.parametrize(
    "extra,source,url",
    [
        ("", "https://example.com/report", None),
        (", source: 'https://example.com/report'", "https://example.com/report", None),
        (", url: 'https://example.com/report'", "https://example.com/report", None),
        (
            ", url: 'https://example.com/brief'",
            "https://example.com/report",
            "https://example.com/brief",
        ),
    ],
    ids=["from the header", "source given", "url is the report", "url of its own"],
)
def test_a_brief_records_its_report_address_as_dcterms_source(extra, source, url):
    """The brief's Original line becomes dcterms:source; the brief has no schema:url of its
    own unless the sheet gives a different one."""
    from rdflib.namespace import DCTERMS

    from automaker_kg.namespaces import DOC

    text = BRIEF_SHEET.replace("date: 2024-01-02}", "date: 2024-01-02" + extra + "}")
    graph = compile_sheet(parse_sheet(text, "b.yaml"), BRIEF, SHA, strict=False)
    doc = DOC.x
    assert str(graph.value(doc, DCTERMS.source)) == source
    assert (str(graph.value(doc, SCHEMA.url)) if graph.value(doc, SCHEMA.url) else None) == url


def test_a_source_other_than_the_briefs_original_is_refused():
    """`source` must be the address the brief's header gives."""
    text = BRIEF_SHEET.replace(
        "date: 2024-01-02}", "date: 2024-01-02, source: 'https://example.com/other'}"
    )
    with pytest.raises(SheetError, match=r"document\.source: .*https://example.com/report"):
        compile_sheet(parse_sheet(text, "b.yaml"), BRIEF, SHA, strict=False)
