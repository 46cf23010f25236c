"""The sharing table, centrality ranking, ego network and diff on hand-built projections."""

from __future__ import annotations

import networkx as nx
import pytest

from automaker_kg.analytics import centrality_ranking, diff, ego_network, sharing_table


@pytest.fixture
def tech() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for key, label, kind in [
        ("n", "Nissan", "automaker"),
        ("r", "Renault", "automaker"),
        ("a", "Ampere", "division"),
        ("e", "e-Power", "technology"),
        ("b", "solid-state battery", "technology"),
    ]:
        G.add_node(key, label=label, kind=kind)

    def claim(u, v, key, relation, status="reported"):
        G.add_edge(u, v, key=key, claim=key, relation=relation, status=status, source="doc")

    claim("n", "e", "develops-e", "develops")
    claim("n", "e", "protects-e", "protects")
    claim("e", "r", "protects-e", "protects")
    claim("n", "b", "protects-b", "protects")
    claim("b", "r", "protects-b", "protects")
    claim("n", "a", "capital", "capital", "plan")
    claim("r", "n", "stake", "shareholding", "historical")
    return G


def test_sharing_table_rows(tech):
    """One row per claim; the two legs of a protection are one row; stakes are not rows."""
    rows = sharing_table(tech)
    assert [(r["company"], r["technology"], r["relation"], r["counterpart"]) for r in rows] == [
        ("Nissan", None, "capital", "Ampere"),
        ("Nissan", "e-Power", "develops", None),
        ("Nissan", "e-Power", "protects", "Renault"),
        ("Nissan", "solid-state battery", "protects", "Renault"),
    ]
    assert rows[0]["status"] == "plan" and rows[0]["source"] == "doc"
    assert rows[0]["claim"] == "capital"


def test_sharing_table_for_one_entity(tech):
    """Filtering keeps the rows where the entity is company, technology or counterpart."""
    assert {r["claim"] for r in sharing_table(tech, "b")} == {"protects-b"}
    assert {r["claim"] for r in sharing_table(tech, "a")} == {"capital"}
    assert len(sharing_table(tech, "r")) == 2
    with pytest.raises(nx.NodeNotFound):
        sharing_table(tech, "nobody")


def test_a_joint_project_on_technologies_is_a_row_per_pair_and_technology():
    """Three participants on two technologies: three pairs times two rows, the pair in label
    order; a joint project on no technology (a market) is no row; the narrower technology's
    rows count for the broader one."""
    G = nx.MultiDiGraph()
    for key, label, kind in [
        ("h", "Honda", "automaker"),
        ("m", "Mitsubishi", "automaker"),
        ("n", "Nissan", "automaker"),
        ("s", "software", "technology"),
        ("b", "battery", "technology"),
        ("ss", "solid-state battery", "technology"),
        ("i", "India", "market"),
    ]:
        G.add_node(key, label=label, kind=kind)
    for company in ("n", "m", "h"):
        for technology in ("s", "b"):
            G.add_edge(company, technology, key="jp", claim="jp", relation="joint_project")
    for company in ("n", "h"):
        G.add_edge(company, "i", key="india", claim="india", relation="joint_project")
        G.add_edge(company, "ss", key="cell", claim="cell", relation="joint_project")
    G.add_edge("h", "n", key="cell", claim="cell", relation="joint_project")  # the pair, in all
    got = [(r["company"], r["technology"], r["relation"], r["counterpart"], r["claim"])
           for r in sharing_table(G)]  # fmt: skip
    pairs = [("Honda", "Mitsubishi"), ("Honda", "Nissan"), ("Mitsubishi", "Nissan")]
    assert got == [
        *[(a, "battery", "joint project", b, "jp") for a, b in pairs[:2]],
        *[(a, "software", "joint project", b, "jp") for a, b in pairs[:2]],
        ("Honda", "solid-state battery", "joint project", "Nissan", "cell"),
        *[(a, t, "joint project", b, "jp") for a, b in pairs[2:] for t in ("battery", "software")],
    ]
    assert {r["claim"] for r in sharing_table(G, "i")} == set()
    assert [r["technology"] for r in sharing_table(G, "b", narrower={"ss"})] == [
        "battery",
        "battery",
        "solid-state battery",
        "battery",
    ]


def test_centrality_counts_linked_pairs_not_claims(tech):
    """Nissan is linked to all four others; parallel claims do not count twice."""
    ranking = centrality_ranking(tech, "degree")
    assert ranking[0] == ("n", 1.0)
    assert dict(ranking)["e"] == pytest.approx(0.5)
    assert [n for n, _ in centrality_ranking(tech, "betweenness", top=1)] == ["n"]
    pagerank = dict(centrality_ranking(tech, "pagerank"))
    assert sum(pagerank.values()) == pytest.approx(1.0)
    assert max(pagerank, key=pagerank.get) == "n"
    with pytest.raises(ValueError, match="unknown measure 'fame'"):
        centrality_ranking(tech, "fame")


def test_ego_network_depths(tech):
    """Depth 1 around Ampere is Ampere and Nissan; depth 2 adds Nissan's neighbours."""
    assert sorted(ego_network(tech, "a")) == ["a", "n"]
    two = ego_network(tech, "a", depth=2)
    assert sorted(two) == ["a", "b", "e", "n", "r"]
    assert two.number_of_edges() == tech.number_of_edges()
    assert two.nodes["a"]["label"] == "Ampere"
    with pytest.raises(nx.NodeNotFound):
        ego_network(tech, "nobody")


def test_diff_reports_start_end_and_change():
    """43% -> 15% is one change; a new voting right starts; a JV membership ends."""
    before, after = nx.MultiDiGraph(), nx.MultiDiGraph()
    for G in (before, after):
        G.add_node("R", label="Renault")
        G.add_node("N", label="Nissan")
        G.add_edge("N", "R", key="n15", claim="n15", relation="shareholding", share=15.0)
    before.add_edge(
        "R", "N", key="r43", claim="r43", relation="shareholding", share=43.0, status="historical"
    )
    after.add_edge(
        "R", "N", key="r15", claim="r15", relation="shareholding", share=15.0, status="plan"
    )
    after.add_edge("N", "R", key="v15", claim="v15", relation="voting_rights", share=15.0)
    before.add_edge("R", "J", key="jv", claim="jv", relation="member")
    rows = diff(before, after)
    assert [(r["change"], r["relation"], r["subject"], r["object"]) for r in rows] == [
        ("change", "shareholding", "Renault", "Nissan"),
        ("end", "member", "Renault", "J"),
        ("start", "voting_rights", "Nissan", "Renault"),
    ]
    change = rows[0]
    assert (change["share_before"], change["share_after"]) == (43.0, 15.0)
    assert (change["previous_claim"], change["claim"]) == ("r43", "r15")
    assert (change["status_before"], change["status"]) == ("historical", "plan")
    assert diff(after, after) == []
