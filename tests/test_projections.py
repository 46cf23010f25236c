"""Projections from RDF to networkx: a tiny hand-written graph, then the real seed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph
import pytest
import rdflib

from automaker_kg.analytics import (
    cross_holdings,
    effective_stake,
    explain_path,
    integrated_ownership,
    reciprocal_stakes,
    resolve_entity,
    sharing_table,
)
from automaker_kg.errors import ParameterError, UnknownNameError
from automaker_kg.namespaces import AKG, KG
from automaker_kg.projections import _select, _select_direct, project, stake_graph
from automaker_kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
EDGE_ATTRS = {
    "relation", "share", "share_min", "share_max", "claim", "status", "valid_from", "valid_to",
    "label", "source", "evidence",
    # the time rules' reading (automaker_kg.temporal)
    "standing", "spans", "known_from", "supersedes", "superseded_by", "instant", "why",
}  # fmt: skip
NODE_ATTRS = {"label", "kind", "iri", "aliases"}

TINY = """
@prefix akg: <https://w3id.org/automaker-kg/ontology#> .
@prefix kg: <https://w3id.org/automaker-kg/id/> .
@prefix claim: <https://w3id.org/automaker-kg/id/claim/> .
@prefix doc: <https://w3id.org/automaker-kg/id/document/> .
@prefix tech: <https://w3id.org/automaker-kg/id/technology/> .
@prefix mkt: <https://w3id.org/automaker-kg/id/market/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

kg:a a akg:Automaker ; rdfs:label "Alpha" ; skos:prefLabel "Alpha Motors Ltd"@en ;
    skos:altLabel "Alpha Motors"@en .
kg:b a akg:Automaker ; rdfs:label "Beta" .
kg:d a akg:Division ; rdfs:label "Delta" .
kg:j a akg:JointVenture ; rdfs:label "the JV" .
kg:o a akg:EnergyCompany ; rdfs:label "Oilco" .
kg:p a akg:Person ; rdfs:label "Pat" .
tech:x a akg:Technology ; rdfs:label "X-drive" ; skos:prefLabel "X-drive"@en .
mkt:m a akg:Market ; rdfs:label "Moonland" .
doc:d1 a akg:SourceDocument .

claim:ab43 a akg:EquityStake ; rdfs:label "Alpha holds 43% of Beta" ;
    akg:holder kg:a ; akg:target kg:b ; akg:interestType akg:Shareholding ; akg:shareExact 43.0 ;
    akg:validTo "2023-06-01"^^xsd:date ; akg:status akg:HistoricalFact ;
    prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource doc:d1 ;
        oa:hasSelector [ a oa:TextPositionSelector ; oa:start 10 ; oa:end 20 ] ] ,
      [ a oa:SpecificResource ; oa:hasSource doc:d1 ;
        oa:hasSelector [ a oa:TextPositionSelector ; oa:start 30 ; oa:end 40 ] ] .
claim:ab15 a akg:EquityStake ; rdfs:label "Alpha is to hold 15% of Beta" ;
    akg:holder kg:a ; akg:target kg:b ; akg:interestType akg:Shareholding ; akg:shareExact 15.0 ;
    akg:validFrom "2023-06-01"^^xsd:date ; akg:supersedes claim:ab43 ;
    akg:status akg:PlanOrExpectation .
claim:ba a akg:EquityStake ; akg:holder kg:b ; akg:target kg:a ;
    akg:interestType akg:VotingRights ; akg:shareMinimum 10.0 ; akg:shareMaximum 15.0 ;
    akg:status akg:ReportedByUnnamedSources .
claim:aj a akg:JointVentureParticipation ; org:member kg:a ; org:organization kg:j ;
    akg:status akg:OfficialStatement .
claim:oj a akg:JointVentureParticipation ; org:member kg:o ; org:organization kg:j ;
    akg:status akg:OfficialStatement .
claim:db a akg:DivisionRelation ; akg:unit kg:d ; akg:parentCompany kg:b ;
    akg:status akg:HistoricalFact .
claim:bx a akg:TechnologyArrangement ; akg:provider kg:b ; akg:technology tech:x ;
    akg:recipient kg:j ; akg:arrangementKind akg:Withholds ;
    akg:status akg:ReportedByUnnamedSources .
claim:bxd a akg:TechnologyArrangement ; akg:provider kg:b ; akg:technology tech:x ;
    akg:arrangementKind akg:Develops ; akg:status akg:ReportedByUnnamedSources .
claim:bd a akg:Contribution ; akg:contributor kg:b ; akg:beneficiary kg:d ;
    akg:contributionKind akg:TechnologicalSupport ; akg:status akg:AttributedAllegation .
claim:am a akg:MarketStrategy ; akg:actor kg:a ; akg:market mkt:m ; akg:excludedPartner kg:b ;
    akg:status akg:FloatedTargetStatus .
claim:pb a akg:RoleClaim ; org:member kg:p ; org:organization kg:b ; akg:status akg:HistoricalFact .
claim:ev a akg:EventClaim ; akg:participant kg:p , kg:a ; akg:event kg:nothing ;
    akg:status akg:HistoricalFact .
"""


@pytest.fixture(scope="module")
def tiny() -> rdflib.Graph:
    return rdflib.Graph().parse(data=TINY, format="turtle")


@pytest.fixture(scope="module")
def tiny_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(
        TINY.encode(),
        format=pyoxigraph.RdfFormat.TURTLE,
        to_graph=pyoxigraph.NamedNode("https://w3id.org/automaker-kg/graph/tiny.ttl"),
    )
    return store


def edges(G: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    """(source label, relation, target label) of every edge."""
    return {
        (G.nodes[u]["label"], d["relation"], G.nodes[v]["label"]) for u, v, d in G.edges(data=True)
    }


def test_ownership_projection_schema(tiny):
    """Stake edges carry exactly the contract's attributes; shares in percent; statuses short."""
    G = project(tiny, "ownership")
    assert isinstance(G, nx.MultiDiGraph)
    assert edges(G) == {("Alpha", "shareholding", "Beta"), ("Beta", "voting_rights", "Alpha")}
    for _, _, data in G.edges(data=True):
        assert set(data) == EDGE_ATTRS
    for _, data in G.nodes(data=True):
        assert set(data) == NODE_ATTRS
    old = G.edges[str(KG.a), str(KG.b), "https://w3id.org/automaker-kg/id/claim/ab43"]
    assert old["share"] == 43.0 and old["status"] == "historical"
    assert old["valid_from"] is None and old["valid_to"] == "2023-06-01"
    assert old["label"] == "Alpha holds 43% of Beta"
    doc = "https://w3id.org/automaker-kg/id/document/d1"
    assert old["source"] == doc
    assert old["evidence"] == [f"{doc}#10-20", f"{doc}#30-40"]
    (voting,) = (d for _, _, d in G.edges(data=True) if d["relation"] == "voting_rights")
    assert (voting["share"], voting["share_min"], voting["share_max"]) == (None, 10.0, 15.0)
    assert voting["status"] == "reported" and voting["evidence"] == [] and voting["source"] is None
    alpha = G.nodes[str(KG.a)]
    assert alpha == {
        "label": "Alpha",
        "kind": "automaker",
        "iri": str(KG.a),
        "aliases": ["Alpha Motors", "Alpha Motors Ltd"],
    }
    assert G.graph == {"kind": "ownership", "as_of": None, "known_on": None}


@pytest.mark.parametrize(
    ("as_of", "in_force", "planned"),
    [
        ("2023-05-31", [43.0], []),
        ("2023-06-01", [43.0], [15.0]),
        (date(2030, 1, 1), [43.0], [15.0]),
        ("1990-01-01", [43.0], []),
    ],
)
def test_as_of_keeps_claims_shown_that_day(tiny, as_of, in_force, planned):
    """A plan never replaces a fact: the 43% stays in force, the 15% is shown planned."""
    G = project(tiny, "ownership", as_of=as_of)
    stakes = [d for _, _, d in G.edges(data=True) if d["relation"] == "shareholding"]
    assert [d["share"] for d in stakes if d["standing"] == "in force"] == in_force
    assert [d["share"] for d in stakes if d["standing"] == "planned"] == planned
    assert any(d["relation"] == "voting_rights" for _, _, d in G.edges(data=True))
    assert G.graph["as_of"] == str(as_of)


def test_technology_projection_has_both_legs_and_contributions(tiny):
    """Provider -> technology -> recipient, withholding included; contributions direct."""
    G = project(tiny, "technology")
    assert edges(G) == {
        ("Beta", "withholds", "X-drive"),
        ("X-drive", "withholds", "the JV"),
        ("Beta", "develops", "X-drive"),
        ("Beta", "technological_support", "Delta"),
    }
    assert G.nodes["https://w3id.org/automaker-kg/id/technology/x"]["kind"] == "technology"
    withholds = [d for _, _, d in G.edges(data=True) if d["relation"] == "withholds"]
    assert {d["claim"] for d in withholds} == {"https://w3id.org/automaker-kg/id/claim/bx"}
    assert {d["status"] for _, _, d in G.edges(data=True)} == {"reported", "allegation"}
    rows = sharing_table(G)
    assert [(r["company"], r["relation"], r["technology"], r["counterpart"]) for r in rows] == [
        ("Beta", "technological_support", None, "Delta"),
        ("Beta", "develops", "X-drive", None),
        ("Beta", "withholds", "X-drive", "the JV"),
    ]


JOINT = (
    TINY.split("\nclaim:")[0]
    + """
claim:jx a akg:JointProject ; akg:participant kg:a , kg:b ; akg:technology tech:x ;
    akg:market mkt:m ; akg:status akg:OfficialStatement .
claim:jo a akg:JointProject ; akg:participant kg:a , kg:o ; akg:technology tech:x ;
    akg:status akg:PlanOrExpectation .
claim:jm a akg:JointProject ; akg:participant kg:b , kg:o ; akg:market mkt:m ;
    akg:status akg:OfficialStatement .
"""
)


def test_joint_projects_on_a_technology_are_in_the_technology_projection():
    """A joint project's participants point at its technology in the technology projection;
    the all projection keeps drawing it at its markets, or between its participants when it
    names none (a technology there would join joint projects that share nothing); a joint
    project on no technology is no technology edge. Both engines agree."""
    graph = rdflib.Graph().parse(data=JOINT, format="turtle")
    store = pyoxigraph.Store()
    store.load(JOINT.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    technology = {("Alpha", "joint_project", "X-drive"), ("Beta", "joint_project", "X-drive"),
                  ("Oilco", "joint_project", "X-drive")}  # fmt: skip
    for source in (graph, store):
        assert edges(project(source, "technology")) == technology
        assert edges(project(source, "all")) == {
            ("Alpha", "joint_project", "Moonland"),
            ("Beta", "joint_project", "Moonland"),
            ("Oilco", "joint_project", "Moonland"),
            ("Alpha", "joint_project", "Oilco"),
        }
    rows = sharing_table(project(store, "technology"))
    assert [(r["company"], r["relation"], r["technology"], r["counterpart"]) for r in rows] == [
        ("Alpha", "joint project", "X-drive", "Beta"),
        ("Alpha", "joint project", "X-drive", "Oilco"),
    ]


def test_alliances_projection(tiny):
    """JV participations are member edges; a division points at its parent."""
    G = project(tiny, "alliances")
    assert edges(G) == {
        ("Alpha", "member", "the JV"),
        ("Oilco", "member", "the JV"),
        ("Delta", "division_of", "Beta"),
    }
    kinds = {d["label"]: d["kind"] for _, d in G.nodes(data=True)}
    assert kinds == {"Alpha": "automaker", "Oilco": "energy", "the JV": "joint_venture",
                     "Delta": "division", "Beta": "automaker"}  # fmt: skip


def test_all_projection_is_the_union_plus_other_links(tiny):
    """'all' holds every edge of the three projections and strategies, roles and events."""
    G = project(tiny, "all")
    union = set()
    for kind in ("ownership", "technology", "alliances"):
        union |= edges(project(tiny, kind))
    assert union <= edges(G)
    assert edges(G) - union == {
        ("Alpha", "strategy", "Moonland"),
        ("Alpha", "excludes", "Beta"),
        ("Pat", "role", "Beta"),
        ("Alpha", "event", "Pat"),
    }
    statuses = {d["status"] for _, _, d in G.edges(data=True)}
    assert statuses == {"official", "reported", "plan", "floated", "historical", "allegation"}


def test_rdflib_and_oxigraph_give_the_same_projection(tiny, tiny_store):
    """The same Turtle read by rdflib and by an Oxigraph store projects identically."""
    for kind in ("all", "ownership", "technology", "alliances"):
        a, b = (
            project(tiny, kind, as_of="2023-07-01"),
            project(tiny_store, kind, as_of="2023-07-01"),
        )
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        assert sorted(a.edges(keys=True, data=True), key=str) == sorted(
            b.edges(keys=True, data=True), key=str
        )


@pytest.mark.parametrize("run", [_select, _select_direct])
def test_select_binds_values_for_both_engines(tiny, tiny_store, run):
    """Both runners bind a variable on rdflib and oxigraph alike and return plain values."""
    query = f"SELECT ?claim ?share WHERE {{ ?claim <{AKG.shareExact}> ?share }}"
    ab15 = "https://w3id.org/automaker-kg/id/claim/ab15"
    rows = run(tiny, query, {"claim": ab15})
    assert rows == [{"claim": ab15, "share": 15.0}]
    assert run(tiny_store, query, {"claim": ab15}) == rows
    dates = run(tiny_store, f"SELECT ?d WHERE {{ ?c <{AKG.validFrom}> ?d }}")
    assert dates == [{"d": date(2023, 6, 1)}]


def test_projection_reads_a_dataset_without_default_union(tiny):
    """A Dataset whose named graphs hold the data is read as their union."""
    ds = rdflib.Dataset()
    ds.graph(rdflib.URIRef("https://example.org/g")).parse(data=TINY, format="turtle")
    assert edges(project(ds, "alliances")) == edges(project(tiny, "alliances"))


def test_bad_kind_and_bad_date_raise(tiny):
    """An unknown projection lists the valid ones; a bad date names itself."""
    with pytest.raises(UnknownNameError, match="unknown projection 'money'; valid: all, alliances"):
        project(tiny, "money")
    with pytest.raises(ParameterError, match="'2023-13-01' is not an ISO date"):
        project(tiny, "ownership", as_of="2023-13-01")


# --------------------------------------------------------------------------- the real seed


@pytest.fixture(scope="module")
def seed() -> rdflib.Dataset:
    """Ontology, taxonomy, entities and the seed article's claims, one named graph each."""
    ds = rdflib.Dataset(default_union=True)
    for name in (
        "ontology/automaker.ttl",
        "ontology/taxonomy.ttl",
        "graph/entities.ttl",
        "graph/seed/nissan-renault-2023.ttl",
    ):
        graph = ds.graph(rdflib.URIRef("https://w3id.org/automaker-kg/graph/" + name))
        graph.parse(ROOT / name, format="turtle")
    return ds


RENAULT, NISSAN = str(KG.renault), str(KG.nissan)


def shares(G: nx.MultiDiGraph, holder: str, target: str, relation: str = "shareholding"):
    return sorted(
        d["share"] for _, v, d in G.out_edges(holder, data=True)
        if v == target and d["relation"] == relation
    )  # fmt: skip


def edges_between(G: nx.MultiDiGraph, holder: str, target: str, relation: str = "shareholding"):
    return [d for _, v, d in G.out_edges(holder, data=True)
            if v == target and d["relation"] == relation]  # fmt: skip


def test_seed_before_and_after_the_rebalancing(seed):
    """The seed alone: 43% in force before and after June 2023 (the 15% is a plan beside it)."""
    before = project(seed, "ownership", as_of="2023-05-31")
    after = project(seed, "ownership", as_of="2023-06-01")
    assert shares(before, RENAULT, NISSAN) == [15.0, 43.0]
    assert shares(after, RENAULT, NISSAN) == [15.0, 43.0]
    standing = {d["share"]: d["standing"] for d in edges_between(after, RENAULT, NISSAN)}
    assert standing == {43.0: "in force", 15.0: "planned"}
    assert stake_graph(after)[RENAULT][NISSAN]["share"] == 43.0
    assert shares(before, NISSAN, RENAULT) == shares(after, NISSAN, RENAULT) == [15.0]
    voting = {
        d["share"]: d["standing"] for d in edges_between(after, NISSAN, RENAULT, "voting_rights")
    }
    assert voting == {0.0: "in force", 15.0: "planned"}


def test_seed_integrated_ownership(seed):
    """The cross-holding's closed forms, before and after the rebalancing."""
    before = project(seed, "ownership", as_of="2023-05-31")
    after = project(seed, "ownership", as_of="2023-06-01")
    loop = 0.43 * 0.15
    assert effective_stake(before, RENAULT, NISSAN) == pytest.approx(0.43 / (1 - loop))
    assert effective_stake(before, NISSAN, RENAULT) == pytest.approx(0.15 / (1 - loop))
    io = integrated_ownership(after)  # plans never add up: the same as before
    assert io[(RENAULT, NISSAN)] == pytest.approx(0.43 / (1 - loop))
    assert io[(NISSAN, RENAULT)] == pytest.approx(0.15 / (1 - loop))
    assert cross_holdings(after) == [[NISSAN, RENAULT]]
    assert reciprocal_stakes(before) == [(NISSAN, RENAULT, 0.15, 0.43)]
    assert not stake_graph(after, "voting_rights").has_edge(NISSAN, RENAULT)  # 0% in force


def test_seed_path_from_aramco_to_nissan(seed):
    """Aramco reaches Nissan through the gasoline joint venture and Renault."""
    G = project(seed, "all", as_of="2023-05-31")
    aramco = resolve_entity(G, "Saudi Aramco Base Oil Co JSC")
    hops = explain_path(G, aramco, resolve_entity(G, "nissan"))
    assert [h.target for h in hops] == [str(KG["gasoline-powertrain-jv"]), RENAULT, NISSAN]
    assert hops[0].sentence.startswith("Aramco Base Oil is a partner in the joint venture")
    assert hops[0].status == "historical"
    assert hops[0].document == "https://w3id.org/automaker-kg/id/document/nissan-renault-2023"
    assert hops[2].sentence.startswith("Renault holds 43% of Nissan (historical")


def test_seed_withholding_and_protection_are_edges(seed):
    """Nissan withholds e-Power from the JV and protects it from Renault."""
    rows = sharing_table(project(seed, "technology"), NISSAN)
    found = {(r["technology"], r["relation"], r["counterpart"]) for r in rows}
    assert (
        "e-Power",
        "withholds",
        "Renault–Geely–Aramco gasoline powertrain joint venture",
    ) in found
    assert ("e-Power", "protects", "Renault") in found


def test_built_store_projects_like_the_files(seed, seed_store):
    """The built Oxigraph store and the files read by rdflib give the same projection."""
    store = open_store(seed_store)
    for kind in ("all", "ownership"):
        a, b = project(seed, kind), project(store, kind)
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        assert sorted(a.edges(keys=True, data=True), key=str) == sorted(
            b.edges(keys=True, data=True), key=str
        )


def _typed_rows(rows: list[dict]) -> list[list[tuple[str, str, str]]]:
    """Rows without unbound columns, each value with its Python type, in a stable order."""
    return sorted(
        sorted((k, type(v).__name__, str(v)) for k, v in row.items() if v is not None)
        for row in rows
    )


def test_oxigraph_rows_read_straight_to_python_equal_the_rdflib_route(built_store):
    """On every projection query the store's plain-value rows equal those through rdflib terms."""
    from automaker_kg import projections
    from automaker_kg.queries import select

    store = open_store(built_store)
    runs = [
        (projections.ENTITIES_QUERY, {}),
        (projections.NAMES_QUERY, {}),
        (projections.EVIDENCE_QUERY, {}),
    ] + [(projections.CLAIM_FACTS_QUERY, {"class": c}) for c in projections._CLAIMS_BY_KIND["all"]]
    for query, bindings in runs:
        fast = _select(store, query, bindings)
        through_rdflib = [
            {k: projections._plain(v) for k, v in row.items()}
            for row in select(store, query, bindings)
        ]
        assert _typed_rows(fast) == _typed_rows(through_rdflib)


#: What the plain queries and the scans joined in Python must read alike: a resource without
#: a selector, a selector without an end, two selectors, a blank-node claim, a label in
#: another language, an integer label, two labels of one length, a claim of two classes,
#: and (loaded into a second graph too) triples that match once per graph.
TRICKY = (
    TINY
    + """
akg:Automaker rdfs:subClassOf akg:Company .
kg:q a akg:Automaker , akg:Company ; rdfs:label "Quux" , "Qaax" , 7 ;
    skos:altLabel "Kuks"@de , "Q"@en-GB , <https://w3id.org/automaker-kg/id/q-name> .
claim:qa a akg:EquityStake , akg:Contribution ; rdfs:label "Quux and Alpha" ;
    akg:holder kg:q ; akg:target kg:a ; akg:contributor kg:q ; akg:beneficiary kg:a ;
    akg:status akg:HistoricalFact ;
    prov:wasDerivedFrom [ oa:hasSource doc:d1 ] ,
      [ oa:hasSource doc:d1 , doc:d2 ; oa:hasSelector [ oa:start 1 ] ,
        [ oa:start 5 ; oa:end 9 ] , [ oa:start 2 , 3 ; oa:end 4 ] ] .
[] a akg:RoleClaim ; org:member kg:p ; org:organization kg:q ; akg:status akg:HistoricalFact ;
    prov:wasDerivedFrom [ oa:hasSource doc:d2 ] .
doc:d2 a akg:SourceDocument .
"""
)
TWICE = """
@prefix akg: <https://w3id.org/automaker-kg/ontology#> .
@prefix kg: <https://w3id.org/automaker-kg/id/> .
@prefix claim: <https://w3id.org/automaker-kg/id/claim/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:q a akg:Automaker ; rdfs:label "Quux" .
claim:qa a akg:EquityStake ; akg:holder kg:q .
claim:ab43 a akg:EquityStake ; akg:target kg:b .
"""


@pytest.fixture(scope="module")
def tricky_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for text, name in ((TRICKY, "tricky.ttl"), (TWICE, "twice.ttl")):
        graph = pyoxigraph.NamedNode(f"https://w3id.org/automaker-kg/graph/{name}")
        store.load(text.encode(), format=pyoxigraph.RdfFormat.TURTLE, to_graph=graph)
    return store


def _multiset(rows: Iterable[Any]) -> list[str]:
    return sorted(repr(row) for row in rows)


def test_store_scans_read_what_the_plain_queries_read(tricky_store):
    """Evidence, claim facts and entity names read by scans joined in Python are the rows of
    the plain queries on the same store, each as often (a triple in two graphs counts twice)."""
    from automaker_kg import projections as P

    store = tricky_store
    plain: dict[str, list[tuple]] = {}
    for row in _select(store, P.EVIDENCE_QUERY):
        plain.setdefault(row["claim"], []).append(
            (row["document"], row.get("start"), row.get("end"))
        )
    fast = P._evidence(store)
    assert {k: _multiset(v) for k, v in fast.items()} == {k: _multiset(v) for k, v in plain.items()}
    assert any(s is None for rows in fast.values() for _, s, _ in rows)  # no selector
    for cls in P._CLAIMS_BY_KIND["all"]:
        rows = _select(store, P.CLAIM_FACTS_QUERY, {"class": cls})
        facts = {c.iri: c.facts for c in P._claims(store, cls, fast)}
        expected: dict[str, dict[str, list]] = {}
        for row in rows:
            expected.setdefault(row["claim"], {}).setdefault(row["property"], []).append(
                row["value"]
            )
        assert {k: {p: _multiset(v) for p, v in f.items()} for k, f in facts.items()} == {
            k: {p: _multiset(v) for p, v in f.items()} for k, f in expected.items()
        }, cls
    doubled = P._claims(store, AKG.EquityStake, fast)
    assert [len(c.all(AKG.holder)) for c in doubled if c.iri.endswith("/qa")] == [4]
    entities = P._Entities(store)
    names: dict[str, set] = {}
    for row in _select(store, P.NAMES_QUERY):
        if row["entity"] in entities.types:
            prop, lang = row["property"], str(row.get("lang") or "")
            rank = (
                P._NAME_ORDER.get(prop, 9),
                0 if lang in ("", "en") or lang.startswith("en-") else 1,
            )
            names.setdefault(row["entity"], set()).add((*rank, str(row["name"])))
    assert entities.names == {e: sorted(n) for e, n in names.items()}


def test_store_names_are_the_plain_name_query(tricky_store):
    """The resolver's candidates read from a store by scans are those of the joined query:
    each name once per entity class, labels of one length in the order of their text."""
    from automaker_kg import queries

    rows = [
        row
        for row in queries.select(tricky_store, queries._NAMES)
        if str(row["class"]) in queries.entity_classes(tricky_store)
    ]
    expected = sorted((str(r["entity"]), str(r["property"]), str(r["name"])) for r in rows)
    assert sorted(queries._entity_names(tricky_store)) == expected
    q = next(c for c in queries.name_candidates(tricky_store) if str(c.key).endswith("/q"))
    assert q.label == "7" and q.aliases[:2] == ("Qaax", "Qaax")  # two classes: twice
    assert "Quux" in q.aliases and "Kuks" in q.aliases


def test_claim_facts_are_keyed_by_property_whether_numbered_or_not():
    """A store's claim facts come keyed by their properties' IRIs, those the query gives
    by their number (the frequent ones) and any other alike, as rdflib's route reads them."""
    from automaker_kg import projections as P

    text = """
@prefix akg: <https://w3id.org/automaker-kg/ontology#> .
@prefix kg: <https://w3id.org/automaker-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:s a akg:EquityStake ; akg:holder kg:a , kg:b ; akg:target kg:c ; rdfs:label "S" ;
    rdfs:comment "not numbered" ; <urn:x:own> 3 .
"""
    store = pyoxigraph.Store()
    store.load(text.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    graph = rdflib.Graph().parse(data=text, format="turtle")
    (from_store,) = P._claims(store, AKG.EquityStake, {})
    (from_rdflib,) = P._claims(graph, AKG.EquityStake, {})
    facts = {p: sorted(v, key=str) for p, v in from_store.facts.items()}
    assert facts == {p: sorted(v, key=str) for p, v in from_rdflib.facts.items()}
    assert facts["urn:x:own"] == [3]
    assert facts[str(AKG.holder)] == [str(KG.a), str(KG.b)]
    assert str(rdflib.RDFS.comment) not in P._CLAIM_PROPERTY_IRIS
    assert str(AKG.holder) in P._CLAIM_PROPERTY_IRIS
