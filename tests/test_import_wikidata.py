"""Wikidata importer: companies with QIDs, parents, owners; each quirk of the extract handled."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, MKT, OA, WD
from automaker_kg.sources.wikidata import import_wikidata, qid, read_wikidata

ROOT = Path(__file__).resolve().parents[1]
FILE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "wikidata-car-manufacturers"
    / "wikidata_manufacturers.json"
)
needs_shared = pytest.mark.skipif(
    not FILE.is_file(), reason="../shared/data/wikidata-car-manufacturers is not present"
)
KG = "https://w3id.org/automaker-kg/id/wikidata/"


def rows() -> list[dict]:
    return json.loads(FILE.read_text())["sparql"]["results"]["bindings"]


def node(q: str) -> URIRef:
    return URIRef(KG + q)


@pytest.fixture(scope="module")
def result():
    return import_wikidata(FILE)


@needs_shared
def test_every_item_is_one_node_with_its_qid(result):
    """Each distinct item is one akg:Automaker with skos:exactMatch wd:Q… and its label."""
    g = result.graph
    items = {qid(r["item"]["value"]): r["itemLabel"]["value"] for r in rows()}
    assert set(g.subjects(RDF.type, AKG.Automaker)) == {node(q) for q in items}
    for q, name in items.items():
        assert (node(q), SKOS.exactMatch, WD[q]) in g
        assert g.value(node(q), RDFS.label) == Literal(name)
    parents = {qid(r["parent"]["value"]) for r in rows() if "parent" in r}
    assert result.report.entities == len(set(items) | parents)
    assert result.report.read == len(rows())


@needs_shared
def test_one_label_two_items_stay_distinct(result):
    """Renault the group (Q6686) and the brand (Q98584518) are two nodes, each flagged."""
    g = result.graph
    renaults = set(g.subjects(RDFS.label, Literal("Renault")))
    assert renaults == {node("Q6686"), node("Q98584518")}
    assert "Q98584518" in str(g.value(node("Q6686"), SKOS.editorialNote))
    assert (node("Q98584518"), SKOS.exactMatch, WD.Q6686) not in g
    assert any("'Renault' names 2 items" in n for n in result.report.notes)
    assert len(set(g.subjects(RDFS.label, Literal("Alfa Romeo")))) == 2


@needs_shared
def test_duplicate_rows_are_dropped_and_counted(result):
    """Rows identical in every variable count once; the report says how many were dropped."""
    keys = [json.dumps(r, sort_keys=True) for r in rows()]
    duplicates = len(keys) - len(set(keys))
    assert duplicates == 2
    assert f"{duplicates} duplicate row(s) dropped" in result.report.notes
    dropped = [n for n in result.report.notes if n.endswith("; dropped")]
    assert len(dropped) == duplicates
    bmw = URIRef("https://w3id.org/automaker-kg/id/wikidata/Q26678")
    assert len(set(result.graph.objects(bmw, URIRef("https://schema.org/foundingDate")))) == 1


@needs_shared
def test_conflicting_country_is_kept_and_flagged(result):
    """Hyundai's rows say DE and KR: both kept, the conflict noted on the node and in the report."""
    g = result.graph
    hyundai = node("Q55931")
    assert {str(c) for c in g.objects(hyundai, AKG.countryCode)} == {"DE", "KR"}
    assert "disagree on the country" in str(g.value(hyundai, SKOS.editorialNote))
    assert any("Q55931" in n and "conflicting countries DE, KR" in n for n in result.report.notes)
    assert g.value(node("Q6686"), AKG.country) == MKT.france
    assert g.value(node("Q20165"), AKG.country) == MKT.japan
    assert g.value(node("Q26678"), AKG.country) is None  # no Germany market concept yet
    assert str(g.value(node("Q26678"), AKG.countryCode)) == "DE"


@needs_shared
def test_parents_are_claims_one_per_pair(result):
    """Each distinct (item, P749 parent) is one akg:ParentOrganizationRelation, derived from
    each row that states it; Nissan and Dacia have two parents."""
    g = result.graph
    pairs: dict[tuple[str, str], set[str]] = {}
    seen = set()
    for i, r in enumerate(rows()):
        key = json.dumps(r, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        if "parent" in r:
            pairs.setdefault((qid(r["item"]["value"]), qid(r["parent"]["value"])), set()).add(
                f"/sparql/results/bindings/{i}"
            )
    claims = set(g.subjects(RDF.type, AKG.ParentOrganizationRelation))
    assert len(claims) == len(pairs) == result.report.claims["ParentOrganizationRelation"]
    for (child, parent), pointers in pairs.items():
        (claim,) = [
            c
            for c in claims
            if g.value(c, AKG.child) == node(child) and g.value(c, AKG.parent) == node(parent)
        ]
        got = {
            str(g.value(g.value(t, OA.hasSelector), RDF.value))
            for t in g.objects(claim, PROV.wasDerivedFrom)
        }
        assert got == pointers
        assert g.value(claim, AKG.status) == AKG.HistoricalFact
        assert g.value(claim, AKG.shareExact) is None
    nissan_parents = {
        g.value(c, AKG.parent) for c in claims if g.value(c, AKG.child) == node("Q20165")
    }
    assert nissan_parents == {node("Q6686"), node("Q1477864")}
    assert not set(g.subjects(RDF.type, AKG.EquityStake))  # the extract has no owned-by


@needs_shared
def test_several_inception_dates_are_all_kept(result):
    """Volvo Cars has two inception rows; both dates are kept and flagged."""
    g = result.graph
    dates = sorted(
        str(d) for d in g.objects(node("Q215293"), URIRef("https://schema.org/foundingDate"))
    )
    assert dates == ["1927-04-14", "2010-01-01"]


def _results(rows_: list[dict]) -> dict:
    return {"head": {"vars": sorted({k for r in rows_ for k in r})}, "results": {"bindings": rows_}}


def uri(q: str) -> dict:
    return {"type": "uri", "value": f"http://www.wikidata.org/entity/{q}"}


def lit(value: str, datatype: str | None = None) -> dict:
    return {"type": "literal", "value": value, **({"datatype": datatype} if datatype else {})}


def test_owned_by_with_qualifiers(tmp_path: Path):
    """P127 owned-by with proportion and start/end becomes an equity stake with share and period;
    without a proportion it is a stake of unknown size."""
    path = tmp_path / "owners.json"
    rows_ = [
        {
            "item": uri("Q20165"),
            "itemLabel": lit("Nissan"),
            "owner": uri("Q6686"),
            "ownerLabel": lit("Renault"),
            "proportion": lit("0.434", "http://www.w3.org/2001/XMLSchema#decimal"),
            "ownerStart": lit("1999-03-27T00:00:00Z"),
            "ownerEnd": lit("2023-11-08T00:00:00Z"),
        },
        {
            "item": uri("Q20165"),
            "itemLabel": lit("Nissan"),
            "owner": uri("Q6686"),
            "ownerLabel": lit("Renault"),
            "proportion": lit("0.15"),
            "ownerStart": lit("2023-11-08T00:00:00Z"),
        },
        {
            "item": uri("Q6686"),
            "itemLabel": lit("Renault"),
            "owner": uri("Q20165"),
            "ownerLabel": lit("Nissan"),
        },
    ]
    path.write_text(json.dumps(_results(rows_)))
    result = import_wikidata(path)
    g = result.graph
    stakes = set(g.subjects(RDF.type, AKG.EquityStake))
    assert result.report.claims == {"EquityStake": 3}
    by_share = {
        g.value(s, AKG.shareExact).toPython() if g.value(s, AKG.shareExact) else None: s
        for s in stakes
    }
    assert set(by_share) == {Decimal("43.4"), Decimal("15"), None}
    old = by_share[Decimal("43.4")]
    assert (str(g.value(old, AKG.validFrom)), str(g.value(old, AKG.validTo))) == (
        "1999-03-27",
        "2023-11-08",
    )
    assert g.value(old, AKG.holder) == node("Q6686") and g.value(old, AKG.target) == node("Q20165")
    unknown = by_share[None]
    assert g.value(unknown, AKG.shareUnknown) == Literal(True)
    assert g.value(unknown, AKG.shareMinimum) is None
    validate = pytest.importorskip("automaker_kg.validate")
    data = Graph()
    for name in ("automaker.ttl", "taxonomy.ttl", "imports.ttl", "bods-interests.ttl"):
        data.parse(ROOT / "ontology" / name)
    rules = {v.rule for v in validate.validate(data + g)}
    assert rules <= {
        "ClaimProvenance",
        "EvidenceSelector",
        "TextPositionSelector",
        "SelectorStart",
        "SelectorEnd",
    }, rules


def test_bad_proportion_is_rejected(tmp_path: Path):
    """A proportion outside 0–1 is rejected with its row's pointer; the rest imports."""
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(_results([{"item": uri("Q1"), "owner": uri("Q2"), "proportion": lit("43.4")}]))
    )
    result = import_wikidata(path)
    assert result.report.rejected == [
        ("/results/bindings/0", "owned-by proportion '43.4' is not a fraction from 0 to 1")
    ]
    assert not result.report.claims


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["Q1", "Q2", "Q3"]), min_size=1, max_size=8), st.integers(0, 3))
def test_duplicates_never_change_the_graph(tmp_path_factory, items, copies):
    """Appending copies of rows adds no claims and no entities, only a duplicate count."""
    base = [{"item": uri(q), "parent": uri("Q9")} for q in items]
    folder = tmp_path_factory.mktemp("dup")
    a, b = folder / "a.json", folder / "b.json"
    a.write_text(json.dumps(_results(base)))
    b.write_text(json.dumps(_results(base + base[:1] * copies)))
    ra, rb = import_wikidata(a), import_wikidata(b)
    assert ra.report.claims == rb.report.claims and ra.report.entities == rb.report.entities
    assert rb.report.read - ra.report.read == copies


def test_not_sparql_results_is_a_clear_error(tmp_path: Path):
    """Anything but SPARQL JSON results names the file and the place."""
    path = tmp_path / "x.json"
    path.write_text('{"results": {"bindings": [{"item": "Q1"}]}}')
    with pytest.raises(InputError, match=r"x\.json: /results/bindings/0/item"):
        read_wikidata(path)
    path.write_text("{")
    with pytest.raises(ParseError, match=r"x\.json"):
        read_wikidata(path)


@needs_shared
def test_output_conforms_to_the_shapes_but_for_selectors(result):
    """SHACL: the only violations are the shapes' demand for text-position selectors."""
    validate = pytest.importorskip("automaker_kg.validate")
    data = Graph()
    for name in ("automaker.ttl", "taxonomy.ttl", "imports.ttl", "bods-interests.ttl"):
        data.parse(ROOT / "ontology" / name)
    rules = {v.rule for v in validate.validate(data + result.graph)}
    assert rules <= {
        "ClaimProvenance",
        "EvidenceSelector",
        "TextPositionSelector",
        "SelectorStart",
        "SelectorEnd",
    }, rules
