"""A projection graph as vis-network items: entities, one line per subject, tooltips, options.

A *subject* is what several claims can be about: a holder, a target and an interest (an
equity stake, voting rights, a technology arrangement...). A view draws one line per subject
and carries all its claims, each with the valid-date ``spans`` on which the time model
(:mod:`automaker_kg.temporal`, through the projection) shows it and with what standing. The
page picks, for the date its slider is on, the claim to draw among those whose spans hold
that date: it applies the Python rules' results and decides nothing about time itself.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import networkx as nx
from pyvis.network import Network

from automaker_kg.temporal import format_share

from .layout import (
    PHYSICS_MAX_NODES,
    clustered,
    fold_hosts,
    label_width,
    layered,
    layout,
)
from .style import (
    DEFAULT_EDGE_COLOUR,
    FOLDED_KINDS,
    LABELLED_RELATIONS,
    MARKED_RELATIONS,
    NODE_STYLE,
    OTHER_STYLE,
    RELATION_COLOUR,
    STAKE_RELATIONS,
    STANDING_OF_STATUS,
    STATUS_STYLE,
    TECH_COLOUR,
    TECH_RELATIONS,
    relation_words,
)

__all__ = [
    "build_network",
    "network_options",
    "node_label",
    "node_size",
    "positions_for",
    "view_data",
]

_EVIDENCE_SEP = re.compile(r"[\s;|]+")
_SPAN = re.compile(r"(\d+)-(\d+)")
_STANDING_ORDER = {"in force": 0, "reported": 1, "planned": 2}


def _evidence(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in _EVIDENCE_SEP.split(value) if part]
    return [str(part) for part in value if part]


def _split_evidence(item: str) -> tuple[str, int | None, int | None]:
    """``doc#12-40`` -> ``("doc", 12, 40)``; no span -> ``("doc", None, None)``."""
    doc, sep, span = item.rpartition("#")
    match = _SPAN.fullmatch(span) if sep else None
    if match is None:
        return item, None, None
    return doc, int(match.group(1)), int(match.group(2))


def _share_value(data: Mapping[str, Any]) -> float | None:
    for key in ("share", "share_max", "share_min"):
        if data.get(key) is not None:
            return float(data[key])
    return None


def node_label(G: nx.MultiDiGraph, node: Any) -> str:
    """An entity's label, or its key."""
    return str(G.nodes[node].get("label") or node)


def _short_doc(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _source(G: nx.MultiDiGraph, iri: str | None) -> dict[str, Any] | None:
    """A document as the page names it: title, publisher, date (from ``G.graph["documents"]``)."""
    if not iri:
        return None
    known = (G.graph.get("documents") or {}).get(iri)
    if known:
        return {**known, "iri": iri}
    return {"title": None, "publisher": None, "date": None, "id": _short_doc(iri), "iri": iri}


def _source_words(source: Mapping[str, Any] | None) -> str:
    if source is None:
        return "no source"
    if not source.get("title"):
        return f"doc:{source['id']}"
    when = f", {source['date']}" if source.get("date") else ""
    return f"{source['publisher']}, \u201c{source['title']}\u201d{when}"


def _spans(data: Mapping[str, Any]) -> list[list[Any]]:
    """The claim's spans from the time model; a graph without them shows it on every date."""
    spans = data.get("spans")
    if spans is not None:
        return [[s[0], s[1], s[2]] for s in spans]
    status = str(data.get("status") or "")
    return [[None, None, data.get("standing") or STANDING_OF_STATUS.get(status, "reported")]]


def _when(spans: list[list[Any]]) -> str:
    parts = []
    for start, end, standing in spans:
        if start and end:
            parts.append(f"{standing} {start} \u2013 {end}")
        elif start:
            parts.append(f"{standing} from {start}")
        elif end:
            parts.append(f"{standing} until {end}")
        else:
            parts.append(f"{standing}, undated")
    return "; ".join(parts) or "never shown"


def _display(data: Mapping[str, Any]) -> str:
    """The short text a line carries: a share, or the relation's words."""
    relation = str(data.get("relation") or "")
    if relation not in STAKE_RELATIONS:
        return relation_words(relation)
    share = format_share(data.get("share"), data.get("share_min"), data.get("share_max"))
    return f"{share} votes" if relation == "voting_rights" and share != "?" else share


def _claim_item(
    G: nx.MultiDiGraph, key: Any, data: Mapping[str, Any], labels: Mapping[Any, str]
) -> dict[str, Any]:
    status = str(data.get("status") or "")
    spans = _spans(data)
    source = _source(G, data.get("source"))
    evidence, where = [], []
    for item in _evidence(data.get("evidence")):
        doc, start, end = _split_evidence(item)
        if start is not None:
            evidence.append([_short_doc(doc), start, end])
            where.append(f"characters {start}\u2013{end}")
        else:
            where.append(item)  # a pointer without offsets, shown as it is
    status_words = STATUS_STYLE.get(status, (None, status or "unknown status"))[1]
    text = [f"{_display(data)} \u00b7 {status_words} \u00b7 {_when(spans)}"]
    if data.get("label"):
        text.append(f"  {data['label']}")
    if data.get("spans") is None and (data.get("valid_from") or data.get("valid_to")):
        text.append(
            f"  valid: from {data.get('valid_from') or '?'} until {data.get('valid_to') or 'now'}"
        )
    text.append(f"  source: {_source_words(source)}")
    if where:
        text.append(f"  evidence: {', '.join(where)}")
    if data.get("superseded_by"):
        text.append(f"  superseded by {', '.join(_short_doc(c) for c in data['superseded_by'])}")
    share = _share_value(data)
    width = 1.5 if share is None else 1.0 + min(share, 100.0) / 8.0
    if data.get("relation") in MARKED_RELATIONS:
        width = max(width, 3.0)
    return {
        "claim": str(data.get("claim") or key),
        "key": str(key),
        "status": status,
        "display": _display(data),
        "spans": spans,
        "known_from": data.get("known_from") or data.get("valid_from"),
        "dashes": STATUS_STYLE.get(status, (False,))[0],
        "width": round(width, 2),
        "text": "\n".join(text),
        "source": source,
        "evidence": evidence,
    }


def _rank(claim: Mapping[str, Any]) -> tuple[Any, ...]:
    """Latest published first; the page draws the first claim of the best standing."""
    return (-_day_number(claim.get("known_from")), claim["claim"])


def _day_number(iso: Any) -> int:
    text = str(iso or "")
    digits = (text.replace("-", "") + "0101")[:8]
    return int(digits) if digits.isdigit() else 0


def node_size(kind: str, degree: int) -> float | None:
    """The drawn radius of an entity's shape (pixels), or None for shapes sized by their label.

    >>> node_size("automaker", 4), node_size("technology", 4)
    (16.0, None)
    """
    shape = NODE_STYLE.get(kind, OTHER_STYLE)[0]
    if shape in {"box", "ellipse"}:
        return None
    return round(min(30.0, 10.0 + 3.0 * math.sqrt(degree)), 1)


def _box(G: nx.MultiDiGraph, node: Any) -> tuple[float, float]:
    """An entity's footprint: its label's width (or shape's) and its shape plus label's height."""
    width = label_width(node_label(G, node))
    size = node_size(str(G.nodes[node].get("kind") or ""), G.degree(node))
    if size is None:
        return width + 12.0, 26.0
    return max(width, 2 * size), 2 * size + 20.0


def positions_for(G: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """The layout the view asks for in ``G.graph["layout"]``: layered, clustered or spring."""
    style = G.graph.get("layout")
    if style == "layered":
        return layered(G, {n: _box(G, n)[0] for n in G})
    if style == "clustered":
        return clustered(G, fold_hosts(G, FOLDED_KINDS), {n: _box(G, n) for n in G})
    return layout(G)


def view_data(
    G: nx.MultiDiGraph, positions: Mapping[Any, tuple[float, float]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network node and edge items for ``G``: one edge item per subject.

    Node ids are the graph's node keys (as strings). Each edge item joins the claims of one
    subject (``from``, ``to``, ``relation``) in ``claims``, latest published first, each with
    its ``key`` in ``G``, ``spans``, ``status``, tooltip ``text`` and ``source``; the page
    picks the one to draw for its date. ``positions`` (pixels) defaults to the layout
    ``G.graph["layout"]`` names (:func:`positions_for`).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", label="Renault", kind="automaker")
    >>> G.add_edge("r", "r", relation="shares", status="plan", label="x")
    0
    >>> G.add_edge("r", "r", relation="shares", status="official", label="y")
    1
    >>> nodes, edges = view_data(G)
    >>> nodes[0]["id"], nodes[0]["label"], len(edges), len(edges[0]["claims"])
    ('r', 'Renault', 1, 2)
    """
    pos = positions_for(G) if positions is None else positions
    labels = {node: str(attrs.get("label") or node) for node, attrs in G.nodes(data=True)}
    hosts = fold_hosts(G, FOLDED_KINDS) if G.graph.get("layout") == "clustered" else {}
    groups: dict[tuple[Any, Any, str], list[dict[str, Any]]] = {}
    sources_of: dict[Any, dict[str, Any]] = {n: {} for n in G}
    degree: Counter[Any] = Counter()
    for u, v, key, data in G.edges(keys=True, data=True):
        item = _claim_item(G, key, data, labels)
        groups.setdefault((u, v, str(data.get("relation") or "")), []).append(item)
        degree[u] += 1
        degree[v] += 1
        for node in (u, v):
            if item["source"] is not None:
                sources_of[node].setdefault(item["source"]["iri"], item["source"])

    nodes: list[dict[str, Any]] = []
    folded_count = Counter(hosts.values())
    for node, attrs in G.nodes(data=True):
        kind = str(attrs.get("kind") or "")
        iri = str(attrs.get("iri") or node)
        shape, colour, kind_words = NODE_STYLE.get(kind, OTHER_STYLE)
        x, y = pos.get(node, (0.0, 0.0))
        sources = list(sources_of[node].values())
        text = [labels[node], f"kind: {kind_words}", f"IRI: {iri}", f"claims: {degree[node]}"]
        text += [f"source: {_source_words(s)}" for s in sources[:5]]
        if len(sources) > 5:
            text.append(f"\u2026 and {len(sources) - 5} more sources")
        entry: dict[str, Any] = {
            "id": str(node),
            "label": labels[node],
            "kind": kind,
            "iri": iri,
            "aliases": [str(a) for a in attrs.get("aliases") or []],
            "shape": shape,
            "color": {"background": colour, "border": "#37474f"},
            "x": round(x, 1),
            "y": round(y, 1),
            "text": "\n".join(text),
        }
        if node in hosts:
            entry["fold"] = str(hosts[node])
        if folded_count[node]:
            entry["folded"] = folded_count[node]
        size = node_size(kind, degree[node])
        if size is not None:
            entry["size"] = size
        nodes.append(entry)

    pair_seen: Counter[frozenset[Any]] = Counter()
    pairs = Counter(frozenset((u, v)) for u, v, _ in groups)
    edges: list[dict[str, Any]] = []
    for i, ((u, v, relation), claims) in enumerate(groups.items()):
        line_colour = MARKED_RELATIONS.get(relation) or RELATION_COLOUR.get(relation)
        if line_colour is None:
            line_colour = TECH_COLOUR if relation in TECH_RELATIONS else DEFAULT_EDGE_COLOUR
        claims.sort(key=_rank)
        edge: dict[str, Any] = {
            "id": f"e{i}",
            "from": str(u),
            "to": str(v),
            "relation": relation,
            "words": relation_words(relation),
            "labelled": relation in LABELLED_RELATIONS,
            "heading": f"{labels[u]} \u2192 {labels[v]}: {relation_words(relation)}",
            "arrows": "to",
            "colour": line_colour,
            "color": {"color": line_colour, "highlight": line_colour, "hover": line_colour},
            "claims": claims,
        }
        if relation in MARKED_RELATIONS:
            edge["font"] = {"color": line_colour, "strokeWidth": 3, "align": "horizontal"}
        pair = frozenset((u, v))
        if u == v or pairs[pair] > 1:
            rank = pair_seen[pair]
            pair_seen[pair] += 1
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15 + 0.2 * rank}
        edges.append(edge)
    return nodes, edges


def build_network(
    G: nx.MultiDiGraph, positions: Mapping[Any, tuple[float, float]] | None = None
) -> Network:
    """A pyvis ``Network`` for ``G``, its node and edge lists filled directly (linear time).

    Physics is on (and switched off once the layout settles) only for a spring-laid view of
    up to :data:`PHYSICS_MAX_NODES` entities; a layered or clustered view, or a larger one,
    keeps its precomputed positions. ``positions`` (pixels) defaults to
    :func:`positions_for` of ``G``: pass it to time the two apart.

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
    fixed = G.graph.get("layout") in ("layered", "clustered")
    net.toggle_physics(len(nodes) <= PHYSICS_MAX_NODES and not fixed)
    return net


def network_options(net: Network) -> dict[str, Any]:
    """vis-network options: pyvis's, with our edge, interaction and physics settings."""
    options: dict[str, Any] = json.loads(net.get_network_data()[5])
    options["edges"].update(
        {
            "smooth": False,
            "font": {"size": 11, "align": "horizontal", "strokeWidth": 3},
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
