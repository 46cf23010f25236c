"""A projection graph as vis-network items: nodes, edges, their tooltips and the options."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import networkx as nx
from pyvis.network import Network

from .layout import PHYSICS_MAX_NODES, layout
from .style import (
    DEFAULT_EDGE_COLOUR,
    MARKED_RELATIONS,
    NODE_STYLE,
    OTHER_STYLE,
    RELATION_COLOUR,
    STAKE_RELATIONS,
    STATUS_STYLE,
    TECH_COLOUR,
    TECH_RELATIONS,
)

__all__ = ["build_network", "network_options", "node_label", "view_data"]

_EVIDENCE_SEP = re.compile(r"[\s;|]+")
_SPAN = re.compile(r"(\d+)-(\d+)")


def _evidence(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in _EVIDENCE_SEP.split(value) if part]
    return [str(part) for part in value if part]


def _describe_evidence(item: str) -> str:
    """``doc#12-40`` -> ``doc, characters 12–40``."""
    doc, sep, span = item.rpartition("#")
    match = _SPAN.fullmatch(span) if sep else None
    if match is None:
        return item
    return f"{doc}, characters {match.group(1)}\u2013{match.group(2)}"


def _pct(x: Any) -> str:
    return f"{float(x):g}%"


def _fmt_share(data: Mapping[str, Any]) -> str | None:
    share, lo, hi = data.get("share"), data.get("share_min"), data.get("share_max")
    if share is not None:
        return _pct(share)
    if lo is not None and hi is not None:
        return f"{float(lo):g}\u2013{_pct(hi)}"
    if lo is not None:
        return f"\u2265{_pct(lo)}"
    if hi is not None:
        return f"\u2264{_pct(hi)}"
    return None


def _share_value(data: Mapping[str, Any]) -> float | None:
    for key in ("share", "share_max", "share_min"):
        if data.get(key) is not None:
            return float(data[key])
    return None


def node_label(G: nx.MultiDiGraph, node: Any) -> str:
    return str(G.nodes[node].get("label") or node)


def _edge_text(source_label: str, target_label: str, data: Mapping[str, Any]) -> str:
    relation = str(data.get("relation") or "related")
    status = str(data.get("status") or "")
    lines = [str(data.get("label") or f"{source_label} {relation} {target_label}")]
    lines.append(f"{source_label} \u2192 {relation} \u2192 {target_label}")
    share = _fmt_share(data)
    if share:
        lines.append(f"share: {share}")
    lines.append(f"status: {STATUS_STYLE.get(status, (None, status or 'unknown'))[1]}")
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    if valid_from or valid_to:
        lines.append(f"valid: from {valid_from or '?'} until {valid_to or 'now'}")
    source = str(data.get("source") or "")
    if source:
        lines.append(f"source: {source}")
    for item in _evidence(data.get("evidence")):
        described = _describe_evidence(item)
        if source and described.startswith(f"{source}, "):
            described = described[len(source) + 2 :] + " of the source"
        lines.append(f"evidence: {described}")
    if data.get("claim"):
        lines.append(f"claim: {data['claim']}")
    return "\n".join(lines)


def _node_text(
    label: str,
    kind: str,
    iri: str,
    claims_from: list[Mapping[str, Any]],
    claims_about: list[Mapping[str, Any]],
) -> str:
    lines = [label, f"kind: {NODE_STYLE.get(kind, OTHER_STYLE)[2]}", f"IRI: {iri}"]
    lines.append(f"claims: {len(claims_from)} from, {len(claims_about)} about it")
    sources: dict[str, None] = {}
    for data in claims_from + claims_about:
        sources.update(dict.fromkeys(_evidence(data.get("evidence")) or [data.get("source")]))
    shown = [str(s) for s in sources if s]
    for item in shown[:5]:
        lines.append(f"source: {_describe_evidence(item)}")
    if len(shown) > 5:
        lines.append(f"\u2026 and {len(shown) - 5} more sources")
    return "\n".join(lines)


def _edge_display_label(data: Mapping[str, Any]) -> str | None:
    relation = str(data.get("relation") or "")
    if relation in STAKE_RELATIONS:
        share = _fmt_share(data)
        if share and relation == "voting_rights":
            return f"{share} votes"
        return share
    if relation in MARKED_RELATIONS or relation in TECH_RELATIONS:
        return relation
    return None


def view_data(
    G: nx.MultiDiGraph, positions: Mapping[Any, tuple[float, float]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network node and edge items for ``G``, built in one pass over each.

    Node ids are the graph's node keys (as strings); each edge item carries ``from``, ``to`` and
    ``key`` so the items map back to ``G.edges(keys=True)``. Tooltip text is in ``text`` (plain
    text: the page turns it into DOM text nodes). ``positions`` (pixels) defaults to
    :func:`layout` of ``G``; a node missing from it is placed at the origin.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", label="Renault", kind="automaker")
    >>> G.add_edge("r", "r", relation="shares", status="plan", label="x")
    0
    >>> nodes, edges = view_data(G)
    >>> nodes[0]["id"], nodes[0]["label"], edges[0]["dashes"]
    ('r', 'Renault', [2, 5])
    """
    pos = layout(G) if positions is None else positions
    labels = {node: str(attrs.get("label") or node) for node, attrs in G.nodes(data=True)}
    succ = dict(G.adjacency())  # node -> {target: {key: data}}, without a view per call
    pred = dict(G.pred.items())  # node -> {source: {key: data}}
    nodes: list[dict[str, Any]] = []
    for node, attrs in G.nodes(data=True):
        kind = str(attrs.get("kind") or "")
        iri = str(attrs.get("iri") or node)
        shape, colour, _ = NODE_STYLE.get(kind, OTHER_STYLE)
        x, y = pos.get(node, (0.0, 0.0))
        claims_from = [data for keyed in succ[node].values() for data in keyed.values()]
        claims_about = [data for keyed in pred[node].values() for data in keyed.values()]
        degree = len(claims_from) + len(claims_about)
        item: dict[str, Any] = {
            "id": str(node),
            "label": labels[node],
            "kind": kind,
            "iri": iri,
            "shape": shape,
            "color": {"background": colour, "border": "#37474f"},
            "x": round(x, 1),
            "y": round(y, 1),
            "text": _node_text(labels[node], kind, iri, claims_from, claims_about),
        }
        if shape not in {"box", "ellipse"}:
            item["size"] = round(min(40.0, 10.0 + 4.0 * math.sqrt(degree)), 1)
        nodes.append(item)

    pair_seen: Counter[frozenset[Any]] = Counter()
    edges: list[dict[str, Any]] = []
    for i, (u, v, key, data) in enumerate(G.edges(keys=True, data=True)):
        relation = str(data.get("relation") or "")
        status = str(data.get("status") or "")
        dashes = STATUS_STYLE.get(status, (False,))[0]
        colour = MARKED_RELATIONS.get(relation) or RELATION_COLOUR.get(relation)
        if colour is None:
            colour = TECH_COLOUR if relation in TECH_RELATIONS else DEFAULT_EDGE_COLOUR
        share = _share_value(data)
        width = 1.5 if share is None else 1.0 + min(share, 100.0) / 8.0
        if relation in MARKED_RELATIONS:
            width = max(width, 3.0)
        edge: dict[str, Any] = {
            "id": f"e{i}",
            "from": str(u),
            "to": str(v),
            "key": str(key),
            "relation": relation,
            "status": status,
            "claim": str(data.get("claim") or ""),
            "arrows": "to",
            "dashes": dashes,
            "width": round(width, 2),
            "color": {"color": colour, "highlight": colour, "hover": colour},
            "text": _edge_text(labels[u], labels[v], data),
        }
        label = _edge_display_label(data)
        if label:
            edge["label"] = label
            if relation in MARKED_RELATIONS:
                edge["font"] = {"color": colour, "strokeWidth": 3, "bold": True}
        if u == v or len(succ[u][v]) > 1 or u in succ[v]:
            pair = frozenset((u, v))
            rank = pair_seen[pair]
            pair_seen[pair] += 1
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15 + 0.2 * rank}
        edges.append(edge)
    return nodes, edges


def build_network(
    G: nx.MultiDiGraph, positions: Mapping[Any, tuple[float, float]] | None = None
) -> Network:
    """A pyvis ``Network`` for ``G``, its node and edge lists filled directly (linear time).

    Physics is on (and switched off once the layout settles) only up to
    :data:`PHYSICS_MAX_NODES` entities; above that the precomputed layout stays as it is.
    ``positions`` (pixels) defaults to :func:`layout` of ``G``: pass it to time the two apart.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b")])
    >>> net = build_network(G)
    >>> net.num_nodes(), net.num_edges(), net.options.physics.enabled
    (2, 1, True)
    """
    nodes, edges = view_data(G, positions)
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.toggle_physics(len(nodes) <= PHYSICS_MAX_NODES)
    return net


def network_options(net: Network) -> dict[str, Any]:
    """vis-network options: pyvis's, with our edge, interaction and physics settings."""
    options: dict[str, Any] = json.loads(net.get_network_data()[5])
    options["edges"].update(
        {
            "smooth": False,
            "font": {"size": 11, "align": "middle", "strokeWidth": 3},
            "selectionWidth": 2,
        }
    )
    options["nodes"] = {"font": {"size": 13}, "borderWidth": 1}
    options["interaction"].update({"hover": True, "tooltipDelay": 150})
    options["physics"].update(
        {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
            "stabilization": {"enabled": True, "iterations": 200, "fit": True},
        }
    )
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    return options
