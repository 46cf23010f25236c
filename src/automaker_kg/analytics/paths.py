"""The paths that link two entities, each hop stated as a sentence with its claim's source.

Paths are searched on the undirected view of a projection: a claim links its two ends
whichever way it points. Each hop states the claim in its own direction ("Renault holds 43%
of Nissan") even when the path walks it backwards, with its status and its evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

import networkx as nx

from automaker_kg.analytics._claims import STATUS_ORDER, doc_name, label_of

__all__ = ["Hop", "explain_path", "linking_paths", "describe_edge"]


@dataclass(frozen=True)
class Hop:
    """One step of a path: from ``source`` to ``target`` along one claim.

    ``forward`` is true when the claim points the way the path walks. ``sentence`` states
    the claim in words with its status and its first piece of evidence; ``label`` is the
    claim's own label (the project's words).
    """

    source: Hashable
    target: Hashable
    forward: bool
    relation: str
    claim: str | None
    status: str | None
    document: str | None
    evidence: tuple[str, ...] = field(default_factory=tuple)
    sentence: str = ""
    label: str | None = None

    def __str__(self) -> str:
        return self.sentence


def _percent(value: Any) -> str:
    number = float(value)
    return f"{number:g}%"


def _share_words(data: dict[str, Any]) -> str:
    if data.get("share") is not None:
        return _percent(data["share"])
    low, high = data.get("share_min"), data.get("share_max")
    if low is not None and high is not None:
        return f"{_percent(low)} to {_percent(high)}"
    if high is not None:
        return f"up to {_percent(high)}"
    if low is not None:
        return f"at least {_percent(low)}"
    return "a stake"


_TECH_VERBS = {
    "develops": ("develops", "for"),
    "contributes": ("contributes", "to"),
    "shares": ("shares", "with"),
    "acquires": ("acquires", "from"),
    "supplies": ("supplies", "to"),
    "licenses": ("licenses", "to"),
    "withholds": ("withholds", "from"),
    "protects": ("protects", "from"),
}

_PLAIN = {
    "capital": "{u} contributes capital to {v}",
    "technological_support": "{u} gives technological support to {v}",
    "operational_engagement": "{u} is operationally engaged in {v}",
    "division_of": "{u} is a division of {v}",
    "role": "{u} has a role in {v}",
    "strategy": "{u} has a strategy involving {v}",
    "excludes": "{u} leaves {v} out of its plans",
    "seeks_partner": "{u} is looking for a partner for {v}",
    "joint_project": "{u} takes part in a joint project in {v}",
    "ranking": "{u} is ranked in {v}",
    "event": "{u} and {v} take part in the same event",
    "planned_event": "{u} and {v} take part in the same planned event",
    "floated_target": "{u} and {v} are named in the same floated target",
    "benefit": "{u} sees a benefit for {v}",
    "weakness": "{u} sees a weakness of {v}",
    "grievance": "{u} has a grievance against {v}",
    "judgement": "{u} holds a view about {v}",
    "allegation": "{u} makes an allegation against {v}",
    "assessment": "{u} holds a view about {v}",
}


def _technology_sentence(G: nx.MultiDiGraph, data: dict[str, Any], u: Hashable, v: Hashable) -> str:
    """A provider -> technology -> recipient claim in words, whichever leg ``u -> v`` is."""
    relation = data.get("relation", "")
    verb, preposition = _TECH_VERBS[relation]
    claim = data.get("claim")
    provider = technology = recipient = None
    for a, b, _ in _edges_of_claim(G, claim, (u, v)):
        if G.nodes[b].get("kind") == "technology" and G.nodes[a].get("kind") != "technology":
            provider, technology = a, b
        elif G.nodes[a].get("kind") == "technology":
            technology, recipient = a, b
    if technology is None:  # a claim without a technology node: provider -> recipient
        provider, recipient = u, v
    words = f"{label_of(G, provider) or 'someone'} {verb} {label_of(G, technology) or 'technology'}"
    if recipient is not None:
        words += f" {preposition} {label_of(G, recipient)}"
    return words


def _edges_of_claim(
    G: nx.MultiDiGraph, claim: str | None, near: tuple[Hashable, Hashable]
) -> list[tuple[Hashable, Hashable, dict[str, Any]]]:
    """Edges carrying ``claim`` next to the technology node of ``near``."""
    edges: list[tuple[Hashable, Hashable, dict[str, Any]]] = []
    for node in near:
        if G.nodes[node].get("kind") != "technology":
            continue
        for a, b, d in list(G.in_edges(node, data=True)) + list(G.out_edges(node, data=True)):
            if d.get("claim") == claim and (a, b, d) not in edges:
                edges.append((a, b, d))
    return edges or [(near[0], near[1], {})]


def describe_edge(G: nx.MultiDiGraph, u: Hashable, v: Hashable, data: dict[str, Any]) -> str:
    """State the claim behind the edge ``u -> v`` in words, with its status and evidence.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", label="Renault", kind="automaker")
    >>> G.add_node("n", label="Nissan", kind="automaker")
    >>> _ = G.add_edge("r", "n", relation="shareholding", share=43.0, status="historical",
    ...                evidence=["https://w3id.org/automaker-kg/id/document/seed#1040-1291"])
    >>> describe_edge(G, "r", "n", G["r"]["n"][0])
    'Renault holds 43% of Nissan (historical, seed#1040-1291)'
    """
    relation = str(data.get("relation", "linked to"))
    lu, lv = label_of(G, u), label_of(G, v)
    kind_v = G.nodes[v].get("kind") if v in G else None
    if relation == "shareholding":
        words = f"{lu} holds {_share_words(data)} of {lv}"
    elif relation == "voting_rights":
        words = f"{lu} holds {_share_words(data)} of the voting rights in {lv}"
    elif relation == "member" and kind_v == "joint_venture":
        words = f"{lu} is a partner in the joint venture {lv}"
    elif relation == "member":
        words = f"{lu} is a member of {lv}"
    elif relation in _TECH_VERBS:
        words = _technology_sentence(G, data, u, v)
    elif relation == "joint_project" and kind_v == "technology":
        words = f"{lu} takes part in a joint project on {lv}"
    elif relation == "joint_project" and kind_v != "market":
        words = f"{lu} takes part in a joint project with {lv}"
    elif relation in _PLAIN:
        words = _PLAIN[relation].format(u=lu, v=lv)
    else:
        words = f"{lu} is linked to {lv} ({relation.replace('_', ' ')})"
    return f"{words} ({_provenance(data)})"


def _provenance(data: dict[str, Any]) -> str:
    status = data.get("status") or "status unknown"
    evidence = list(data.get("evidence") or [])
    if evidence:
        where = doc_name(str(evidence[0]))
        if len(evidence) > 1:
            where += f" and {len(evidence) - 1} more"
    elif data.get("source"):
        where = doc_name(str(data["source"]))
    else:
        where = "no source"
    return f"{status}, {where}"


# Which claim speaks for a hop, and which shortest path is told: structural ties first.
_RELATION_ORDER = {
    "shareholding": 0,
    "voting_rights": 0,
    "member": 1,
    "division_of": 1,
    "capital": 2,
    "technological_support": 2,
    "operational_engagement": 2,
    **{r: 3 for r in _TECH_VERBS},
    "joint_project": 4,
    "role": 4,
}


def _rank(data: dict[str, Any]) -> tuple[int, int, str]:
    status = data.get("status")
    order = STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)
    relation = _RELATION_ORDER.get(str(data.get("relation")), 5)
    return relation, order, str(data.get("claim") or "")


def _best_edge(
    G: nx.MultiDiGraph, a: Hashable, b: Hashable, previous: str | None = None
) -> tuple[Hashable, Hashable, dict[str, Any]]:
    """The claim that speaks for the hop ``a - b``, either direction.

    The previous hop's claim when it continues here (the second leg of a technology
    arrangement), else the best-ranked relation, one pointing from ``a`` to ``b`` first,
    then the best status.
    """
    candidates = []
    for u, v in ((a, b), (b, a)):
        if G.has_edge(u, v):
            edges = G[u][v].values() if G.is_multigraph() else [G[u][v]]
            candidates += [(u, v, d) for d in edges]

    def order(edge: tuple[Hashable, Hashable, dict[str, Any]]) -> tuple[Any, ...]:
        relation, status, claim = _rank(edge[2])
        continues = previous is not None and edge[2].get("claim") == previous
        # a claim read the way the path walks beats a better-sourced one read backwards:
        # "Renault holds 15% of Nissan" tells the hop Renault -> Nissan
        return (not continues, relation, edge[0] != a, status, claim)

    return min(candidates, key=order)


def _hops(G: nx.MultiDiGraph, path: list[Hashable]) -> list[Hop]:
    hops: list[Hop] = []
    for a, b in zip(path, path[1:], strict=False):
        u, v, data = _best_edge(G, a, b, hops[-1].claim if hops else None)
        evidence = tuple(str(e) for e in data.get("evidence") or ())
        hops.append(
            Hop(
                source=a,
                target=b,
                forward=(u == a),
                relation=str(data.get("relation", "")),
                claim=data.get("claim"),
                status=data.get("status"),
                document=data.get("source"),
                evidence=evidence,
                sentence=describe_edge(G, u, v, data),
                label=data.get("label"),
            )
        )
    return hops


_MAX_CANDIDATES = 64


def _path_rank(G: nx.MultiDiGraph, path: list[Hashable]) -> tuple[int, int]:
    """Lower is better: the sum of each hop's relation and status ranks."""
    ranks = [_rank(_best_edge(G, a, b)[2]) for a, b in zip(path, path[1:], strict=False)]
    return sum(r[0] for r in ranks), sum(r[1] for r in ranks)


def _check(G: nx.Graph, *nodes: Hashable) -> None:
    for node in nodes:
        if node not in G:
            raise nx.NodeNotFound(f"node {node} not in graph")


def _neighbours(G: nx.Graph) -> Callable[[Hashable], Iterator[Hashable]]:
    """The neighbours of a node either way round its claims, read from ``G`` (no copy)."""
    if G.is_directed():
        succ, pred = G.succ, G.pred
        return lambda node: chain(succ[node], pred[node])
    return lambda node: iter(G.adj[node])


def _shortest_layers(G: nx.Graph, a: Hashable, b: Hashable) -> list[set[Hashable]] | None:
    """The nodes of every shortest ``a`` - ``b`` path, layer by layer; ``None`` when none.

    A bidirectional breadth-first search on the undirected view: each round grows the
    smaller frontier by one level, and the first level that touches the other side's
    nodes is the middle layer of every shortest path. The other layers are the neighbours,
    one level closer to each end, walked back from there.
    """
    near = _neighbours(G)
    dist: tuple[dict[Hashable, int], dict[Hashable, int]] = ({a: 0}, {b: 0})
    frontier = [[a], [b]]
    middle: set[Hashable] = set()
    while not middle:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        if not frontier[side]:
            return None
        seen, other = dist[side], dist[1 - side]
        grown = []
        for u in frontier[side]:
            for v in near(u):
                if v not in seen:
                    seen[v] = seen[u] + 1
                    grown.append(v)
                    if v in other:
                        middle.add(v)
        frontier[side] = grown
    node = next(iter(middle))
    k, length = dist[0][node], dist[0][node] + dist[1][node]
    layers: list[set[Hashable]] = [set() for _ in range(length + 1)]
    layers[k] = middle
    for i in range(k - 1, -1, -1):
        layers[i] = {u for v in layers[i + 1] for u in near(v) if dist[0].get(u) == i}
    for i in range(k + 1, length + 1):
        layers[i] = {u for v in layers[i - 1] for u in near(v) if dist[1].get(u) == length - i}
    return layers


def _best_shortest_path(G: nx.MultiDiGraph, layers: list[set[Hashable]]) -> list[Hashable]:
    """The shortest path through ``layers`` whose hops rank best (ties: node order).

    The rank of a path is the sum of its hops' ranks, so the best path from each node to
    the end is found once, from the last layer back (no path is listed).
    """
    near = _neighbours(G)
    end = next(iter(layers[-1]))
    best: dict[Hashable, tuple[int, int, list[str], list[Hashable]]] = {
        end: (0, 0, [str(end)], [end])
    }
    for i in range(len(layers) - 2, -1, -1):
        after = layers[i + 1]
        for u in layers[i]:
            options = []
            for v in set(near(u)) & after:
                relation, status, _ = _rank(_best_edge(G, u, v)[2])
                r, s, names, path = best[v]
                options.append((relation + r, status + s, [str(u), *names], [u, *path]))
            best[u] = min(options, key=lambda option: option[:3])
    return best[next(iter(layers[0]))][3]


def explain_path(
    G: nx.MultiDiGraph, a: Hashable, b: Hashable, *, max_hops: int | None = 6
) -> list[Hop]:
    """A shortest path from ``a`` to ``b``, one :class:`Hop` (a sentence) per claim.

    Parameters
    ----------
    G : a projection.
    a, b : nodes of ``G`` (use :func:`automaker_kg.analytics.resolve_entity` for names).
    max_hops : give up on paths longer than this (``None``: no limit).

    Returns
    -------
    list of Hop
        Empty when ``a == b``. Between two nodes one claim speaks for the hop: stakes before
        memberships and divisions, then contributions, technology arrangements, joint
        projects and roles, then the rest; within those the most firmly stated (official,
        historical, reported, plan, allegation, floated). Among shortest paths the one whose
        hops rank best is told (ties: node order).

    Raises
    ------
    networkx.NodeNotFound
        when ``a`` or ``b`` is not in ``G``.
    networkx.NetworkXNoPath
        when no path of at most ``max_hops`` links them.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for n, label, kind in [("a", "Aramco", "energy"), ("j", "the JV", "joint_venture"),
    ...                        ("r", "Renault", "automaker")]:
    ...     G.add_node(n, label=label, kind=kind)
    >>> _ = G.add_edge("a", "j", relation="member", status="historical", claim="c1")
    >>> _ = G.add_edge("r", "j", relation="member", status="historical", claim="c2")
    >>> [str(h) for h in explain_path(G, "a", "r")]  # doctest: +NORMALIZE_WHITESPACE
    ['Aramco is a partner in the joint venture the JV (historical, no source)',
     'Renault is a partner in the joint venture the JV (historical, no source)']
    """
    _check(G, a, b)
    if a == b:
        return []
    layers = _shortest_layers(G, a, b)
    if layers is None:
        raise nx.NetworkXNoPath(f"no path between {a} and {b}")
    path = _best_shortest_path(G, layers)
    if max_hops is not None and len(path) - 1 > max_hops:
        raise nx.NetworkXNoPath(f"no path of at most {max_hops} hops between {a} and {b}")
    return _hops(G, path)


def linking_paths(
    G: nx.MultiDiGraph, a: Hashable, b: Hashable, k: int = 3, *, max_hops: int | None = None
) -> list[list[Hop]]:
    """Up to ``k`` shortest simple paths linking ``a`` and ``b``, shortest first.

    Paths of equal length are ordered as :func:`explain_path` chooses among them; one path
    (``k=1``) is :func:`explain_path`'s, the best-ranked of every shortest path, found by a
    breadth-first search from both ends (no path is listed, nor the graph copied).

    Raises
    ------
    networkx.NodeNotFound
        when ``a`` or ``b`` is not in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "d"), ("d", "e"), ("e", "c")])
    >>> [[h.target for h in p] for p in linking_paths(G, "a", "c", k=2)]
    [['b', 'c'], ['d', 'e', 'c']]
    """
    _check(G, a, b)
    if a == b:
        return [[]]
    if k == 1:  # the best-ranked of every shortest path, found without listing them
        try:
            return [explain_path(G, a, b, max_hops=max_hops)]
        except nx.NetworkXNoPath:
            return []
    U = nx.Graph(G.to_undirected(as_view=True))
    try:
        # Take a few more than k so that paths of equal length are told best-ranked first.
        paths = list(islice(nx.shortest_simple_paths(U, a, b), k + _MAX_CANDIDATES))
    except nx.NetworkXNoPath:
        return []
    if max_hops is not None:
        paths = [p for p in paths if len(p) - 1 <= max_hops]
    paths.sort(key=lambda p: (len(p), _path_rank(G, p), [str(n) for n in p]))
    return [_hops(G, p) for p in paths[:k]]
