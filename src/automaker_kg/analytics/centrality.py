"""Which entities sit at the centre of the network, and an entity's neighbourhood."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import networkx as nx

__all__ = ["centrality_ranking", "ego_network", "MEASURES"]

Measure = Literal["degree", "betweenness", "pagerank"]
MEASURES: tuple[str, ...] = ("degree", "betweenness", "pagerank")


def _simple(G: nx.Graph) -> nx.Graph:
    """Entities linked by at least one claim, either direction, no parallel edges."""
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return U


def centrality_ranking(
    G: nx.Graph, measure: Measure = "degree", top: int | None = None
) -> list[tuple[Hashable, float]]:
    """Nodes ranked by a centrality measure, highest first.

    Every measure is computed on the simple undirected view of ``G``: two entities are
    linked when at least one claim links them, however many claims and whichever way, so a
    pair with ten claims is not ten times as central.

    Parameters
    ----------
    G : a projection.
    measure : {"degree", "betweenness", "pagerank"}
        networkx's ``degree_centrality``, ``betweenness_centrality`` (normalised) or
        ``pagerank``.
    top : keep only the first ``top`` rows.

    Returns
    -------
    list of (node, score)
        Ties are broken by the node's label.

    Raises
    ------
    ValueError
        for an unknown measure.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("c", "hub"), ("a", "b")])
    >>> centrality_ranking(G, "degree", top=2)
    [('hub', 1.0), ('a', 0.6666666666666666)]
    """
    U = _simple(G)
    if measure == "degree":
        scores = nx.degree_centrality(U)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(U, normalized=True)
    elif measure == "pagerank":
        scores = nx.pagerank(U) if len(U) else {}
    else:
        raise ValueError(f"unknown measure {measure!r}; valid: {', '.join(MEASURES)}")

    def label(node: Hashable) -> str:
        return str(U.nodes[node].get("label") or node)

    ranking = sorted(scores.items(), key=lambda item: (-item[1], label(item[0]), str(item[0])))
    return ranking[:top] if top is not None else ranking


def ego_network(G: nx.Graph, node: Hashable, depth: int = 1) -> nx.Graph:
    """The entities within ``depth`` claims of ``node``, with every claim among them.

    Distance counts claims either direction; the result is a copy of the same class as
    ``G`` with all node and edge attributes.

    Raises
    ------
    networkx.NodeNotFound
        when ``node`` is not in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    >>> sorted(ego_network(G, "b"))
    ['a', 'b', 'c']
    >>> sorted(ego_network(G, "b", depth=2))
    ['a', 'b', 'c', 'd']
    """
    if node not in G:
        raise nx.NodeNotFound(f"node {node} not in graph")
    if depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    return nx.ego_graph(G, node, radius=depth, undirected=True).copy()
