"""Conflicts between sources: small hand-made graphs whose answers can be checked by eye."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset

from automaker_kg.conflicts import Share, conflict_rows, find_conflicts
from automaker_kg.namespaces import PREFIXES
from automaker_kg.queries import run
from automaker_kg.store import open_store

KG = "https://w3id.org/automaker-kg/id/"
CLAIM = KG + "claim/"
DOC = KG + "document/"

PROLOGUE = "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items())


def evidence(doc: str, start: int) -> str:
    return (
        f"prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource doc:{doc} ; "
        f"oa:hasSelector [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + 9} ] ]"
    )


def stake(name: str, doc: str, share: str, status: str, dates: str = "", extra: str = "") -> str:
    return f"""
claim:{name} a akg:EquityStake ; rdfs:label "{name}" ;
    akg:holder kg:renault ; akg:target kg:nissan ; akg:interestType akg:Shareholding ;
    {share} ; akg:status akg:{status} ; {dates} {extra}
    {evidence(doc, 100)} ."""


# Three sources about Renault's stake in Nissan, and two about a joint venture's partners:
#   a (2023): 43% until June 2023 (month); then 15% from June 2023, planned, superseding it
#   b (late 2023): 43.4% until 2023-11-08; 15% from 2023-11-08, official
#   c (2025): 10% from 2025-03-31 (a later change, not a disagreement); Wikidata-like ">0%"
TRIG = (
    PROLOGUE
    + """
GRAPH <https://w3id.org/automaker-kg/graph/graph/a.ttl> {
kg:renault a akg:Automaker ; rdfs:label "Renault" .
kg:nissan a akg:Automaker ; rdfs:label "Nissan" .
kg:geely a akg:Automaker ; rdfs:label "Geely" .
kg:aramco a akg:EnergyCompany ; rdfs:label "Aramco" .
kg:jv a akg:JointVenture ; rdfs:label "Powertrain JV" .
doc:a a akg:SourceDocument .
"""
    + stake(
        "a-43",
        "a",
        "akg:shareExact 43.0",
        "HistoricalFact",
        'akg:validTo "2023-06-01"^^xsd:date ; akg:validToPrecision time:unitMonth ;',
    )
    + stake(
        "a-15",
        "a",
        "akg:shareExact 15.0",
        "PlanOrExpectation",
        'akg:validFrom "2023-06-01"^^xsd:date ; akg:validFromPrecision time:unitMonth ;',
        "akg:supersedes claim:a-43 ;",
    )
    + "".join(
        f"""
claim:a-jv-{p} a akg:JointVentureParticipation ; rdfs:label "jv {p}" ; org:member kg:{p} ;
    org:organization kg:jv ; akg:status akg:OfficialStatement ; {evidence("a", 200)} ."""
        for p in ("renault", "geely", "aramco")
    )
    + """
}
GRAPH <https://w3id.org/automaker-kg/graph/graph/b.ttl> {
doc:b a akg:SourceDocument .
"""
    + stake(
        "b-43-4",
        "b",
        "akg:shareExact 43.4",
        "HistoricalFact",
        'akg:validTo "2023-11-08"^^xsd:date ; akg:validToPrecision time:unitDay ;',
    )
    + stake(
        "b-15",
        "b",
        "akg:shareExact 15",
        "OfficialStatement",
        'akg:validFrom "2023-11-08"^^xsd:date ; akg:validFromPrecision time:unitDay ;',
    )
    + "".join(
        f"""
claim:b-jv-{p} a akg:JointVentureParticipation ; rdfs:label "jv {p}" ; org:member kg:{p} ;
    org:organization kg:jv ; akg:status akg:ReportedByUnnamedSources ; {evidence("b", 300)} ."""
        for p in ("renault", "geely")
    )
    + """
}
GRAPH <https://w3id.org/automaker-kg/graph/graph/c.ttl> {
doc:c a akg:SourceDocument .
"""
    + stake(
        "c-10",
        "c",
        "akg:shareExact 10",
        "OfficialStatement",
        'akg:validFrom "2025-03-31"^^xsd:date ;',
    )
    + stake(
        "c-some",
        "c",
        "akg:shareMinimum 0 ; akg:shareMinimumExclusive true",
        "HistoricalFact",
    )
    + "\n}\n"
)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(data=TRIG, format="trig")
    return ds


@pytest.fixture(scope="module")
def oxigraph() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(TRIG.encode(), format=pyoxigraph.RdfFormat.TRIG)
    return store


def pairs(conflicts) -> dict[tuple[str, ...], tuple[str, ...]]:
    return {
        tuple(sorted(c.removeprefix(CLAIM) for c in (*x.a.claims, *x.b.claims))): x.kinds
        for x in conflicts
    }


# Two sources that disagree about the same stake on the same day: 15% against 20%.
DISAGREE = (
    PROLOGUE
    + """
GRAPH <https://w3id.org/automaker-kg/graph/graph/x.ttl> {
kg:renault a akg:Automaker ; rdfs:label "Renault" .
kg:nissan a akg:Automaker ; rdfs:label "Nissan" .
doc:x a akg:SourceDocument .
"""
    + stake(
        "x-15",
        "x",
        "akg:shareExact 15",
        "OfficialStatement",
        'akg:validFrom "2024-01-01"^^xsd:date ;',
    )  # fmt: skip
    + """
}
GRAPH <https://w3id.org/automaker-kg/graph/graph/y.ttl> {
doc:y a akg:SourceDocument .
"""
    + stake(
        "y-20",
        "y",
        "akg:shareExact 20",
        "OfficialStatement",
        'akg:validFrom "2024-01-01"^^xsd:date ;',
    )  # fmt: skip
    + "\n}\n"
)


@pytest.fixture(scope="module")
def disagreeing() -> pyoxigraph.Store:
    """The two sources, and the ontology (names resolve through its class tree)."""
    from pathlib import Path

    store = pyoxigraph.Store()
    store.load(DISAGREE.encode(), format=pyoxigraph.RdfFormat.TRIG)
    ontology = Path(__file__).resolve().parent.parent / "ontology" / "automaker.ttl"
    store.load(
        path=str(ontology),
        format=pyoxigraph.RdfFormat.TURTLE,
        to_graph=pyoxigraph.NamedNode("urn:test:ontology"),
    )
    return store


def test_stake_conflicts_are_the_ones_checked_by_eye(dataset):
    """43% and 43.4% agree within the 43%'s rounding (listed as such, not as a disagreement);
    the planned 15% from June and the official 15% from 8 November are a plan later confirmed:
    not listed; nothing else disagrees."""
    found = pairs(c for c in find_conflicts(dataset) if c.relation == "equity stake")
    assert found == {("a-43", "b-43-4"): ("precision",)}
    (agreeing,) = [c for c in find_conflicts(dataset) if c.relation == "equity stake"]
    assert agreeing.verdict == "agree within precision"


def test_two_sources_that_disagree_on_one_day_are_both_kept(disagreeing):
    """15% against 20% from the same day: a share conflict, both sides kept."""
    (conflict,) = find_conflicts(disagreeing)
    assert conflict.kinds == ("share",) and conflict.verdict == "conflict"
    assert {conflict.a.value, conflict.b.value} == {"15%", "20%"}
    assert {conflict.a.documents, conflict.b.documents} == {(DOC + "x",), (DOC + "y",)}


def test_oxigraph_and_rdflib_find_the_same_conflicts(dataset, oxigraph):
    """The built store (Oxigraph) and an in-memory Dataset give identical conflicts."""
    assert find_conflicts(oxigraph) == find_conflicts(dataset)


def test_each_side_carries_claim_source_status_and_evidence(dataset):
    """A side names its claim, document, named graph, status, share, dates and offsets."""
    (conflict,) = [c for c in find_conflicts(dataset) if "precision" in c.kinds]
    a, b = conflict.a, conflict.b
    assert (a.claims, b.claims) == ((CLAIM + "a-43",), (CLAIM + "b-43-4",))
    assert (a.documents, b.documents) == ((DOC + "a",), (DOC + "b",))
    assert (a.graphs, b.graphs) == (("graph/a.ttl",), ("graph/b.ttl",))
    assert (a.status, b.status) == ("historical", "historical")
    assert (a.value, b.value) == ("43%", "43.4%")
    # a's end is the start of the plan superseding it: the plan's knowledge, not a's own
    assert (a.valid_to, b.valid_to) == (None, "2023-11-08")
    assert a.evidence == (DOC + "a#100-109",)
    assert conflict.subject == "Renault → Nissan, Shareholding"
    assert conflict.note.startswith("43% and 43.4% agree at the precision 43% is stated with")


def test_a_superseding_claim_is_flagged_not_hidden(dataset):
    """Within source a, 15% supersedes 43%: no conflict. A plan beside a fact is never listed,
    superseded or not; a supersession between facts is flagged, not hidden."""
    assert not any(c.supersedes for c in find_conflicts(dataset))
    linked = Dataset(default_union=True)
    linked.parse(data=TRIG, format="trig")
    linked.parse(data=PROLOGUE + "\nclaim:b-15 akg:supersedes claim:a-15 .", format="turtle")
    flags = {pair: c.supersedes for c in find_conflicts(linked) for pair in pairs([c])}
    assert flags == {
        ("a-43", "b-43-4"): False,
        ("a-jv-aramco", "a-jv-geely", "a-jv-renault", "b-jv-geely", "b-jv-renault"): False,
    }


def test_joint_venture_partner_sets_are_compared(dataset):
    """One source lists Aramco as a partner, the other does not."""
    (conflict,) = [c for c in find_conflicts(dataset) if c.relation == "joint-venture partners"]
    assert conflict.kinds == ("partners",)
    assert conflict.subject == "Powertrain JV"
    assert (conflict.a.value, conflict.b.value) == ("Aramco, Geely, Renault", "Geely, Renault")
    assert conflict.note == "only in A: Aramco; only in B: none"
    assert len(conflict.a.claims) == 3 and conflict.b.status == "reported"


def test_conflicting_stakes_query_lists_the_share_conflict_on_both_engines(
    dataset, oxigraph, disagreeing
):
    """The library query gives the share disagreement only: not 43% vs 43.4% (they agree
    within precision), not a plan beside a fact; on rdflib and Oxigraph alike."""
    for source in (dataset, oxigraph):
        assert len(run("conflicting-stakes", source)) == 0
    disagreeing_ds = Dataset(default_union=True)
    disagreeing_ds.parse(data=DISAGREE, format="trig")
    for source in (disagreeing_ds, disagreeing):
        rows = run("conflicting-stakes", source)
        got = [(str(r["claim_a"]), str(r["claim_b"])) for r in rows]
        assert got == [(CLAIM + "x-15", CLAIM + "y-20")]
        assert float(rows[0]["share_a"].toPython()) == pytest.approx(15.0)
        assert float(rows[0]["share_b"].toPython()) == pytest.approx(20.0)


def test_conflicting_stakes_query_takes_a_company(disagreeing):
    """Bound to Nissan (the target) it gives the conflict; bound to Renault too (holder)."""
    assert len(run("conflicting-stakes", disagreeing, {"company": "Nissan"})) == 1
    assert len(run("conflicting-stakes", disagreeing, {"company": "Renault"})) == 1


def test_rows_flatten_every_column(dataset):
    """conflict_rows gives one row per conflict with both sides' columns."""
    rows = conflict_rows(find_conflicts(dataset))
    assert len(rows) == 2
    (row,) = [r for r in rows if r["kinds"] == "precision"]
    assert (row["a_source"], row["b_claim"]) == (DOC + "a", CLAIM + "b-43-4")
    assert (row["a_value"], row["b_value"], row["supersedes"]) == ("43%", "43.4%", False)


def test_one_source_never_conflicts_with_itself():
    """Claims from one document (43% then 15%) are a change, not a conflict."""
    single = Dataset(default_union=True)
    single.parse(data=TRIG.split("GRAPH <https://w3id.org/automaker-kg/graph/graph/b.ttl>")[0]
                 + "", format="trig")  # fmt: skip
    assert find_conflicts(single) == []


shares = st.builds(
    lambda lo, width, lx, hx, exact: Share.of(lo) if exact else Share(lo, lo + width, lx, hx),
    st.decimals(0, 90, places=1),
    st.decimals(0, 10, places=1),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


@given(shares, shares)
def test_share_agreement_is_symmetric(a, b):
    """Whether two shares can both be right does not depend on the order."""
    assert a.agrees(b) == b.agrees(a)


@given(st.decimals(0, 100, places=2))
def test_an_exact_share_agrees_with_itself_and_with_more_than_nothing(x):
    """x% agrees with x%; it agrees with '>0%' exactly when x > 0."""
    assert Share.of(x).agrees(Share.of(x))
    assert Share.of(x).agrees(Share.of(minimum=0, min_x=True)) == (x > 0)
    assert str(Share.of(Decimal("43.40"))) == "43.4%"


def test_real_data_query_matches_the_command(built_store):
    """On the checkout's data (the session's built store, which the command reads), the
    query's pairs are exactly the command's share conflicts, and every conflict's two sides
    come from different documents and stay in the graph."""
    graph = open_store(built_store)
    conflicts = find_conflicts(graph)
    shares_found = {(c.a.claims[0], c.b.claims[0]) for c in conflicts if "share" in c.kinds}
    ended_found = {frozenset((*c.a.claims, *c.b.claims)) for c in conflicts if "ended" in c.kinds}
    rows = run("conflicting-stakes", graph)
    got = {(str(r["claim_a"]), str(r["claim_b"])) for r in rows if str(r["kind"]) == "share"}
    assert got == shares_found
    ended = {
        frozenset((str(r["claim_a"]), str(r["claim_b"]))) for r in rows if str(r["kind"]) == "ended"
    }
    assert ended == ended_found
    claims = {q.subject.value for q in graph if isinstance(q.subject, pyoxigraph.NamedNode)}
    for c in conflicts:
        assert not set(c.a.documents) & set(c.b.documents)
        assert set(c.a.claims) | set(c.b.claims) <= claims
