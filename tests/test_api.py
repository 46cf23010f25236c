"""The public Python API: names listed by dir(), ad-hoc SPARQL, facts, networkx-ready graphs."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from rdflib import URIRef

import automaker_kg
from automaker_kg.errors import AmbiguousNameError, UnknownNameError
from automaker_kg.queries import Rows, get_query

NISSAN = URIRef("https://w3id.org/automaker-kg/id/nissan")


@pytest.fixture(scope="module")
def kg():
    return automaker_kg.load(memory=True)


def test_public_names_are_listed_by_dir():
    """dir() shows what the package offers, though it is loaded only on first use."""
    listed = set(dir(automaker_kg))
    for name in ("load", "query", "sparql", "entity", "facts", "graph", "summary", "Rows"):
        assert name in listed and name in automaker_kg.__all__
        assert getattr(automaker_kg, name) is not None


def test_sparql_returns_the_rows_a_library_query_returns(kg):
    """The text of a library query run by sparql() gives the very same Rows as query()."""
    text = get_query("stakes-in-company").text
    ad_hoc = automaker_kg.sparql(text, kg, company=automaker_kg.entity("Nissan", kg))
    assert isinstance(ad_hoc, Rows)
    assert ad_hoc == automaker_kg.query("stakes-in-company", kg, company="Nissan")
    assert automaker_kg.sparql("ASK { ?s a akg:EquityStake }", kg) is True


def test_sparql_binds_values_by_type(kg):
    """Prefixed names become IRIs, numbers typed literals; nothing is pasted into the text."""
    text = "SELECT ?label WHERE { ?e rdfs:label ?label }"
    assert [r["label"] for r in automaker_kg.sparql(text, kg, e="kg:nissan").values()] == ["Nissan"]
    rows = automaker_kg.sparql("SELECT ?x WHERE { BIND (?n + 1 AS ?x) }", kg, n=41)
    assert [r["x"] for r in rows.values()] == [42]
    hostile = automaker_kg.sparql(text, kg, e="kg:nissan> } UNION { ?e ?p ?label")
    assert len(hostile) == 0


def test_entity_names_use_the_one_resolver(kg):
    assert automaker_kg.entity("the Japanese automaker", kg) == NISSAN
    with pytest.raises(UnknownNameError, match="did you mean Nissan"):
        automaker_kg.entity("Nisan", kg)
    with pytest.raises(AmbiguousNameError, match="Geely Auto.*Geely Holding"):
        automaker_kg.entity("Geely", kg)


def test_facts_give_one_row_per_claim(kg):
    rows = automaker_kg.facts("Nissan", kg)
    assert rows.columns == list(automaker_kg.FACT_COLUMNS)
    claims = [r["claim"] for r in rows]
    assert len(claims) == len(set(claims)) > 20
    stake = next(
        r
        for r in rows.values()
        if r["claim"].endswith("kyodo-renault-stake-nissan-43-4")  # Renault's 43.4%
    )
    assert stake["claim_type"] == "equity stake"
    assert stake["counterpart"] == "Renault (holder)"
    assert stake["value"] == "shareholding 43.4%"
    assert stake["document"].endswith("document/kyodo-2023-02-06")


def test_facts_as_of_follow_the_time_rules(kg):
    """As of 2024-01-01 the 43.4% of 2023 no longer holds; the 15% in force does."""
    later = {r["claim"].rsplit("/", 1)[-1]: r for r in automaker_kg.facts(
        "Nissan", kg, as_of="2024-01-01").values()}  # fmt: skip
    assert "kyodo-renault-stake-nissan-43-4" not in later
    assert later["globe-renault-stake-nissan-15"]["standing"] == "in force"


def test_graph_works_with_networkx_algorithms_and_writers(kg):
    """pagerank by share and GraphML need no None and no list in any attribute."""
    G = automaker_kg.graph("ownership", kg)
    for _, _, data in G.edges(data=True):
        assert all(v is not None and not isinstance(v, list) for v in data.values())
        assert isinstance(data["weight"], float) and 0 <= data["weight"] <= 1
    ranks = nx.pagerank(G, weight="share")
    assert ranks and all(r > 0 for r in ranks.values())
    nx.pagerank(G, weight="weight")
    buffer = io.BytesIO()
    nx.write_graphml(G, buffer)
    assert b"<graphml" in buffer.getvalue()
    ranged = [d for _, _, d in G.edges(data=True) if "share" not in d and "share_max" in d]
    assert ranged, "the graph holds a stake known by a range only"
    for data in ranged:  # the middle of its range: at most 15% counts 7.5%
        low, high = data.get("share_min", 0.0), data["share_max"]
        assert data["weight"] == pytest.approx((low + high) / 200)


def test_load_with_a_store_and_memory_copies_that_store(built_store):
    """load(store, memory=True) answers from that store's generation, held in memory — not
    from the graph files (the folder was once silently ignored)."""
    import pyoxigraph

    on_disk = automaker_kg.load(built_store)
    in_memory = automaker_kg.load(built_store, memory=True)
    assert isinstance(in_memory, pyoxigraph.Store)
    assert len(in_memory) == len(on_disk)
    assert automaker_kg.query("stakes-in-company", in_memory, company="Nissan") == (
        automaker_kg.query("stakes-in-company", on_disk, company="Nissan")
    )
