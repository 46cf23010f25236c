"""Explained paths and entity lookup on a small hand-built projection."""

from __future__ import annotations

import networkx as nx
import pytest

from automaker_kg.analytics import Hop, explain_path, linking_paths, resolve_entity
from automaker_kg.errors import UnknownNameError

DOC = "https://w3id.org/automaker-kg/id/document/seed"


@pytest.fixture
def G() -> nx.MultiDiGraph:
    """Aramco and Renault in a JV; Renault and Nissan hold each other; Nissan withholds e-Power."""
    G = nx.MultiDiGraph()
    for key, label, kind, aliases in [
        ("aramco", "Aramco Base Oil", "energy", ["Saudi Aramco Base Oil Co JSC"]),
        ("jv", "the JV", "joint_venture", []),
        ("renault", "Renault", "automaker", ["Renault SA", "Groupe Renault"]),
        ("nissan", "Nissan", "automaker", ["Nissan Motor"]),
        ("epower", "e-Power", "technology", []),
        ("lonely", "Lonely Corp", "company", []),
    ]:
        G.add_node(key, label=label, kind=kind, iri=key, aliases=aliases)

    def claim(u, v, key, relation, status, start, **extra):
        G.add_edge(
            u,
            v,
            key=key,
            relation=relation,
            claim=key,
            status=status,
            source=DOC,
            evidence=[f"{DOC}#{start}-{start + 10}"],
            label=f"claim {key}",
            **extra,
        )

    claim("aramco", "jv", "c-aramco", "member", "historical", 1782)
    claim("renault", "jv", "c-renault", "member", "historical", 1782)
    claim("renault", "nissan", "c-43", "shareholding", "historical", 1040, share=43.0)
    claim("nissan", "renault", "c-grudge", "grievance", "official", 2000)
    claim("nissan", "epower", "c-withhold", "withholds", "reported", 3000)
    claim("epower", "jv", "c-withhold", "withholds", "reported", 3000)
    return G


def test_each_hop_is_a_sentence_with_status_and_evidence(G):
    """Aramco -> JV -> Renault -> Nissan reads as three claims, in their own direction."""
    hops = explain_path(G, "aramco", "nissan")
    assert [h.target for h in hops] == ["jv", "renault", "nissan"]
    assert [str(h) for h in hops] == [
        "Aramco Base Oil is a partner in the joint venture the JV (historical, seed#1782-1792)",
        "Renault is a partner in the joint venture the JV (historical, seed#1782-1792)",
        "Renault holds 43% of Nissan (historical, seed#1040-1050)",
    ]
    assert [h.forward for h in hops] == [True, False, True]
    assert hops[2] == Hop(
        source="renault",
        target="nissan",
        forward=True,
        relation="shareholding",
        claim="c-43",
        status="historical",
        document=DOC,
        evidence=(f"{DOC}#1040-1050",),
        sentence="Renault holds 43% of Nissan (historical, seed#1040-1050)",
        label="claim c-43",
    )


def test_a_stake_speaks_for_a_pair_before_a_grievance(G):
    """Between Renault and Nissan the stake is told, though the grievance is 'official'."""
    (hop,) = explain_path(G, "nissan", "renault")
    assert hop.claim == "c-43" and not hop.forward


def test_technology_legs_state_the_whole_claim(G):
    """Both legs of provider -> technology -> recipient name provider, technology and recipient."""
    G.remove_edge("renault", "nissan", key="c-43")
    G.remove_edge("nissan", "renault", key="c-grudge")
    hops = explain_path(G, "nissan", "jv")
    assert [h.sentence for h in hops] == [
        "Nissan withholds e-Power from the JV (reported, seed#3000-3010)"
    ] * 2


def test_supplies_licences_and_joint_projects_read_as_sentences(G):
    """A supply and a licence name provider, technology and recipient; a joint project with
    a company says "with", with a technology "on" (a market keeps "in")."""
    G.add_node("byd", label="BYD", kind="automaker", iri="byd", aliases=[])
    G.add_node("blade", label="Blade battery", kind="technology", iri="blade", aliases=[])
    G.add_node("korea", label="South Korea", kind="market", iri="korea", aliases=[])

    def link(*edges):
        for u, v, key, relation in edges:
            G.add_edge(u, v, key=key, relation=relation, claim=key, status="official", source=DOC)

    def said(a, b):
        return [h.sentence.split(" (")[0] for h in explain_path(G, a, b)]

    link(("byd", "blade", "c-supply", "supplies"), ("blade", "lonely", "c-supply", "supplies"))
    assert said("byd", "lonely") == ["BYD supplies Blade battery to Lonely Corp"] * 2
    link(("epower", "byd", "c-licence", "licenses"), ("aramco", "epower", "c-licence", "licenses"))
    assert said("aramco", "byd") == ["Aramco Base Oil licenses e-Power to BYD"] * 2
    link(("lonely", "korea", "c-market", "joint_project"), ("byd", "korea", "c-k", "joint_project"))
    link(("lonely", "renault", "c-joint", "joint_project"))
    assert said("renault", "lonely") == ["Lonely Corp takes part in a joint project with Renault"]
    assert said("korea", "lonely") == ["Lonely Corp takes part in a joint project in South Korea"]
    link(("aramco", "blade", "c-on-tech", "joint_project"))
    on = "Aramco Base Oil takes part in a joint project on Blade battery"
    assert said("blade", "aramco") == [on]


def test_no_path_and_unknown_nodes_raise(G):
    """Unlinked entities, too-long paths and unknown nodes are errors naming the nodes."""
    with pytest.raises(nx.NetworkXNoPath, match="no path between aramco and lonely"):
        explain_path(G, "aramco", "lonely")
    with pytest.raises(nx.NetworkXNoPath, match="at most 2 hops"):
        explain_path(G, "aramco", "nissan", max_hops=2)
    with pytest.raises(nx.NodeNotFound, match="node ghost not in graph"):
        explain_path(G, "ghost", "nissan")


def test_best_ranked_of_many_shortest_paths():
    """Of 200 two-hop routes the one through a stake is told, whichever order they were added."""
    G = nx.MultiDiGraph()
    for i in range(200):
        relation = "shareholding" if i == 100 else "joint_project"
        G.add_edge("a", f"m{i:03d}", relation=relation, status="official", claim=f"c{i}a")
        G.add_edge(f"m{i:03d}", "b", relation=relation, status="official", claim=f"c{i}b")
    assert [h.target for h in explain_path(G, "a", "b")] == ["m100", "b"]
    assert [h.target for h in explain_path(G, "b", "a")] == ["m100", "a"]


def test_path_walks_claims_backwards_and_chooses_by_node_order_on_ties():
    """Equal ranks: the path whose node names sort first; claims are read either way."""
    G = nx.MultiDiGraph([("x", "a"), ("y", "a"), ("b", "y"), ("b", "x")])
    assert [h.target for h in explain_path(G, "a", "b")] == ["x", "b"]
    assert [h.forward for h in explain_path(G, "a", "b")] == [False, False]


def test_same_node_is_an_empty_path(G):
    """A node is linked to itself by no hop at all."""
    assert explain_path(G, "nissan", "nissan") == []


def test_linking_paths_shortest_first(G):
    """Two 3-hop routes from Aramco to Nissan: through Renault (stake) before through e-Power."""
    paths = linking_paths(G, "aramco", "nissan", k=5)
    assert [[h.target for h in p] for p in paths] == [
        ["jv", "renault", "nissan"],
        ["jv", "epower", "nissan"],
    ]
    assert linking_paths(G, "aramco", "nissan", k=1, max_hops=2) == []
    assert linking_paths(G, "aramco", "lonely") == []


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("renault", "renault"),
        ("GROUPE RENAULT", "renault"),
        ("nissan motor", "nissan"),
        ("aramco", "aramco"),
        ("Saudi", "aramco"),
        ("lonely", "lonely"),
        ("jv", "jv"),
    ],
)
def test_resolve_entity_by_label_alias_key_or_prefix(G, name, node):
    """Labels, aliases, node keys and unique name prefixes resolve, case-insensitively."""
    assert resolve_entity(G, name) == node


def test_resolve_entity_lists_close_candidates(G):
    """A misspelt name raises UnknownNameError naming the close candidates."""
    with pytest.raises(UnknownNameError, match=r"unknown entity 'Renualt'; did you mean Renault\?"):
        resolve_entity(G, "Renualt")


def test_resolve_entity_refuses_ambiguous_names(G):
    """'aram' starts two names: both are listed, neither is picked."""
    G.add_node("aramco-2", label="Aramco Trading", kind="energy")
    with pytest.raises(UnknownNameError, match="ambiguous.*Aramco Base Oil, Aramco Trading"):
        resolve_entity(G, "aram")
