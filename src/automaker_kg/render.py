"""Interactive HTML views of projection graphs, and the site that links them.

A view is one self-contained HTML page: vis-network (shipped inside the pyvis package) is inlined,
so the page needs no network. The node and edge lists are built here in linear time (pyvis's
``add_edge`` scans a list per call) and embedded as JSON data, never as markup: labels and
tooltips reach the page as text, so a name such as ``<script>`` shows literally and runs nothing.

Input graphs follow the projection schema of ``docs/TEAM-CONTRACT.md``: a ``nx.MultiDiGraph``
whose nodes carry ``label``, ``kind`` and ``iri`` and whose edges carry ``relation``, ``status``,
``share`` (or ``share_min``/``share_max``), ``label``, ``claim``, ``source`` and ``evidence``.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from automaker_kg import projections
from automaker_kg.analytics import centrality_ranking, ego_network, resolve_entity
from automaker_kg.errors import ParameterError, UnknownNameError

__all__ = [
    "COMPONENT_SPRING_MAX_NODES",
    "DEFAULT_MAX_NODES",
    "PHYSICS_MAX_NODES",
    "SPRING_MAX_NODES",
    "InlineView",
    "build_network",
    "build_site",
    "site_summary",
    "site_views",
    "view_filename",
    "view_graph",
    "inline",
    "layout",
    "narrow",
    "render_view",
    "view_data",
    "write_site",
    "write_view",
]

#: Above this many entities a view shows only the most connected ones (and says so).
DEFAULT_MAX_NODES = 1000
#: Above this many entities the layout is fixed (physics off) so the browser stays responsive.
PHYSICS_MAX_NODES = 300
#: Up to this many entities a view gets one spring layout; above, a per-component layout.
SPRING_MAX_NODES = 1000
#: In a larger view, connected components up to this size still get a spring layout each.
COMPONENT_SPRING_MAX_NODES = 100
# pixels between neighbouring entities in the per-component layout
_SPACING = 40.0
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))

# kind -> (vis shape, fill colour, legend words)
NODE_STYLE: dict[str, tuple[str, str, str]] = {
    "automaker": ("dot", "#1f77b4", "automaker"),
    "division": ("diamond", "#6baed6", "division"),
    "joint_venture": ("hexagon", "#9467bd", "joint venture"),
    "energy": ("triangle", "#ff7f0e", "energy company"),
    "tech": ("square", "#2ca02c", "technology company"),
    "media": ("triangleDown", "#8c564b", "media organization"),
    "company": ("dot", "#7f7f7f", "other company"),
    "alliance": ("star", "#e377c2", "alliance"),
    "body": ("diamond", "#bcbd22", "governing body"),
    "person": ("dot", "#17becf", "person"),
    "sources": ("square", "#c7c7c7", "unnamed sources"),
    "technology": ("box", "#ffe082", "technology"),
    "market": ("ellipse", "#a1d99b", "market"),
}
_OTHER_STYLE = ("dot", "#dddddd", "other")

# vis shape -> SVG drawing of it in a 14 x 14 box (legend swatches)
_SWATCH = {
    "dot": '<circle cx="7" cy="7" r="6"/>',
    "diamond": '<polygon points="7,0 14,7 7,14 0,7"/>',
    "hexagon": '<polygon points="3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7"/>',
    "triangle": '<polygon points="7,1 14,13 0,13"/>',
    "triangleDown": '<polygon points="0,1 14,1 7,13"/>',
    "square": '<rect x="1" y="1" width="12" height="12"/>',
    "star": (
        '<polygon points="7,0 8.8,5 14,5 9.8,8.2 11.4,13.5 7,10.4 2.6,13.5 4.2,8.2 0,5 5.2,5"/>'
    ),
    "box": '<rect x="0" y="3" width="14" height="8" rx="2"/>',
    "ellipse": '<ellipse cx="7" cy="7" rx="7" ry="4.5"/>',
}


def _swatch(shape: str, colour: str) -> Markup:
    """An inline SVG legend swatch (shape and colour come from our own tables)."""
    drawing = _SWATCH.get(shape, _SWATCH["dot"])
    return Markup(
        '<svg class="swatch" width="14" height="14" aria-hidden="true" '
        f'fill="{html.escape(colour)}" stroke="#37474f" stroke-width="1">{drawing}</svg>'
    )


# status -> (vis dashes, legend words, SVG dash array)
STATUS_STYLE: dict[str, tuple[bool | list[int], str, str]] = {
    "official": (False, "official statement", ""),
    "historical": (False, "historical fact", ""),
    "reported": ([10, 6], "reported by unnamed sources", "10 6"),
    "plan": ([2, 5], "plan or expectation", "2 5"),
    "floated": ([14, 5, 3, 5], "floated target", "14 5 3 5"),
    "allegation": ([4, 4, 4, 10], "attributed allegation", "4 4 4 10"),
}

#: Technology edges drawn red and labelled, because something is kept from someone.
MARKED_RELATIONS = {"withholds": "#d62728", "protects": "#d62728"}
_STAKE_RELATIONS = {"shareholding", "voting_rights"}
_TECH_RELATIONS = {"develops", "contributes", "shares", "acquires"}
_RELATION_COLOUR = {
    "shareholding": "#2b3a55",
    "voting_rights": "#5b6b8c",
    "member": "#9e9e9e",
    "division_of": "#9e9e9e",
    "capital": "#8d6e63",
    "technological_support": "#8d6e63",
    "operational_engagement": "#8d6e63",
}
_TECH_COLOUR = "#2e7d32"
_DEFAULT_EDGE_COLOUR = "#757575"

_VIEW_TITLES = {
    "ownership": "Ownership",
    "technology": "Technology flow",
    "alliances": "Alliances and joint ventures",
    "all": "The whole graph",
}


# --------------------------------------------------------------------------- data


def narrow(G: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, str | None]:
    """Keep the ``max_nodes`` most connected entities of ``G``.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A projection graph.
    max_nodes : int
        The most entities a view may show (at least 1).

    Returns
    -------
    (graph, note)
        ``G`` itself and ``None`` when it is small enough; otherwise the subgraph induced by the
        top ``max_nodes`` entities by degree (ties broken by node key) and a sentence saying so.

    Raises
    ------
    ValueError
        If ``max_nodes`` is less than 1.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c")])
    >>> H, note = narrow(G, 2)
    >>> sorted(H), note
    (['a', 'b'], 'Narrowed: showing the 2 most connected of 4 entities (1 of 4 claims).')
    >>> narrow(G, 10)[1] is None
    True
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")
    n = G.number_of_nodes()
    if n <= max_nodes:
        return G, None
    ranked = sorted(G.degree(), key=lambda nd: (-nd[1], str(nd[0])))
    keep = [node for node, _ in ranked[:max_nodes]]
    H = G.subgraph(keep).copy()
    note = (
        f"Narrowed: showing the {H.number_of_nodes()} most connected of {n} entities "
        f"({H.number_of_edges()} of {G.number_of_edges()} claims)."
    )
    return H, note


def _simple(G: nx.MultiDiGraph) -> nx.Graph:
    """``G`` as a simple undirected graph: one edge per linked pair, no self-loops."""
    simple = nx.Graph()
    simple.add_nodes_from(G)
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return simple


def _spring(S: nx.Graph, iterations: int) -> dict[Any, tuple[float, float]]:
    """A seeded spring layout of ``S``, scaled to pixels."""
    pos = nx.spring_layout(S, seed=7, iterations=iterations)
    scale = max(250.0, 45.0 * math.sqrt(S.number_of_nodes()))
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in pos.items()}


def _anchored(C: nx.Graph) -> dict[Any, tuple[float, float]]:
    """A spring layout of the best-connected entities, the rest placed around them.

    The :data:`COMPONENT_SPRING_MAX_NODES` most connected entities (ties by node order; only
    those with more than one partner) get a seeded spring layout spread over the whole
    component's area. Every other entity, reached breadth first from them, goes on a sunflower
    spiral around the entity it was reached from, so a hub's many small partners form a disc
    around it. Linear time past the core.
    """
    n = C.number_of_nodes()
    ranked = sorted(C.degree(), key=lambda nd: -nd[1])
    linked = [node for node, degree in ranked[:COMPONENT_SPRING_MAX_NODES] if degree > 1]
    core = linked or [ranked[0][0]]  # entities with one partner always go around it
    scale = _SPACING * math.sqrt(n)
    pos = {
        node: (float(x) * scale, float(y) * scale)
        for node, (x, y) in nx.spring_layout(C.subgraph(core), seed=7, iterations=50).items()
    }
    placed_around: Counter[Any] = Counter()
    order = list(core)
    for k, node in enumerate(order):  # breadth first: the list grows while we walk it
        x, y = pos[node]
        for other in C[node]:
            if other in pos:
                continue
            i = placed_around[node]
            placed_around[node] += 1
            # each spiral turned by its own phase k, so that two spirals never coincide
            r, angle = _SPACING * 0.6 * math.sqrt(i + 3), k + i * _GOLDEN_ANGLE
            pos[other] = (x + r * math.cos(angle), y + r * math.sin(angle))
            order.append(other)
    return pos


def _component(C: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Positions (pixels, centred on 0) of one connected component, by its size."""
    n = C.number_of_nodes()
    if n == 1:
        return {next(iter(C)): (0.0, 0.0)}
    if n <= 3:
        radius = _SPACING
        return {
            node: (float(x) * radius, float(y) * radius)
            for node, (x, y) in nx.circular_layout(C).items()
        }
    if n <= COMPONENT_SPRING_MAX_NODES:
        pos = nx.spring_layout(C, seed=7, iterations=50)
        radius = _SPACING * math.sqrt(n)
        return {node: (float(x) * radius, float(y) * radius) for node, (x, y) in pos.items()}
    return _anchored(C)


def _packed(S: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Lay out each connected component on its own and pack them in rows, largest first."""
    parts = sorted(
        (_component(S.subgraph(nodes)) for nodes in nx.connected_components(S)),
        key=len,
        reverse=True,
    )
    boxes = []
    for part in parts:
        xs = [x for x, _ in part.values()]
        ys = [y for _, y in part.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + _SPACING, max(ys) - min(ys) + _SPACING))
    row_width = max(max(w for *_, w, _ in boxes), math.sqrt(sum(w * h for *_, w, h in boxes)))
    pos: dict[Any, tuple[float, float]] = {}
    x0 = y0 = row_height = 0.0
    for part, (left, top, w, h) in zip(parts, boxes, strict=True):
        if x0 > 0 and x0 + w > row_width:
            x0, y0, row_height = 0.0, y0 + row_height, 0.0
        for node, (x, y) in part.items():
            pos[node] = (x - left + x0, y - top + y0)
        x0 += w
        row_height = max(row_height, h)
    return pos


def layout(G: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Precompute node positions (pixels) for a view; deterministic for a given graph.

    Up to :data:`SPRING_MAX_NODES` entities get one seeded spring layout. Larger graphs are laid
    out component by component in about linear time (a circle for two or three entities, a
    spring layout up to :data:`COMPONENT_SPRING_MAX_NODES`, and above that a spring layout of
    the best-connected entities with the others placed around them), and the components are
    packed in rows so that none overlaps another.

    Examples
    --------
    >>> pos = layout(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
    >>> sorted(pos), all(len(xy) == 2 for xy in pos.values())
    (['a', 'b', 'c'], True)
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    S = _simple(G)
    if n <= SPRING_MAX_NODES:
        return _spring(S, 50 if n <= PHYSICS_MAX_NODES else 30)
    return _packed(S)


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


def _node_label(G: nx.MultiDiGraph, node: Any) -> str:
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
    lines = [label, f"kind: {NODE_STYLE.get(kind, _OTHER_STYLE)[2]}", f"IRI: {iri}"]
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
    if relation in _STAKE_RELATIONS:
        share = _fmt_share(data)
        if share and relation == "voting_rights":
            return f"{share} votes"
        return share
    if relation in MARKED_RELATIONS or relation in _TECH_RELATIONS:
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
        shape, colour, _ = NODE_STYLE.get(kind, _OTHER_STYLE)
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
        colour = MARKED_RELATIONS.get(relation) or _RELATION_COLOUR.get(relation)
        if colour is None:
            colour = _TECH_COLOUR if relation in _TECH_RELATIONS else _DEFAULT_EDGE_COLOUR
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


def _options(net: Network) -> dict[str, Any]:
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


# --------------------------------------------------------------------------- HTML


def _json_for_script(value: Any) -> Markup:
    """JSON that is safe inside a <script> element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, esc)
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@cache
def _vis_assets() -> tuple[Markup, Markup]:
    """vis-network's JS and CSS as shipped inside the installed pyvis package."""
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover - upstream change
        raise RuntimeError("vis-network assets cannot be inlined safely")
    return Markup(js), Markup(css)


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; color: #212121; }
body { display: flex; flex-direction: column; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.25rem; margin: 0; }
header p { margin: 2px 0; color: #555; font-size: .9rem; }
.akg-notice { color: #b71c1c; }
.akg-tools { display: flex; gap: 6px; align-items: center; margin-top: 4px; font-size: .9rem; }
main { flex: 1; display: flex; min-height: 0; }
#akg-network { flex: 1; min-width: 0; min-height: 300px; }
aside { width: 250px; overflow-y: auto; padding: 8px 12px; border-left: 1px solid #ddd;
        font-size: .82rem; }
aside h2 { font-size: .9rem; margin: 10px 0 4px; }
aside ul { list-style: none; margin: 0; padding: 0; }
aside li { margin: 2px 0; }
.swatch { vertical-align: -2px; margin: 0 2px; }
div.vis-tooltip { white-space: pre-line; max-width: 480px; font-size: 12px;
                  font-family: system-ui, sans-serif; }
"""

_VIEW_TEMPLATE = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<style>{{ page_css }}</style>
<script>{{ vis_js }}</script>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  {% if subtitle %}<p class="akg-subtitle">{{ subtitle }}</p>{% endif %}
  <p class="akg-counts">{{ n_nodes }} entities, {{ n_edges }} claims.
  Hover an entity or a line for its claim, status and source.</p>
  {% if note %}<p class="akg-notice" role="status">{{ note }}</p>{% endif %}
  <form class="akg-tools" id="akg-search-form" autocomplete="off">
    <label for="akg-search">Find</label>
    <input id="akg-search" type="search" list="akg-labels" placeholder="entity name">
    <datalist id="akg-labels"></datalist>
    <button type="submit">Select</button>
    <button type="button" id="akg-reset">Reset</button>
    <span id="akg-search-result" aria-live="polite"></span>
  </form>
</header>
<main>
  <div id="akg-network"></div>
  <aside id="akg-legend">
    <h2>Entities (tick to show)</h2>
    <ul>
    {% for kind, glyph, colour, words, count in kinds %}
      <li><label><input type="checkbox" class="akg-kind" value="{{ kind }}" checked>
        {{ glyph }} {{ words }}
        ({{ count }})</label></li>
    {% endfor %}
    </ul>
    <h2>Claims by status (tick to show)</h2>
    <ul>
    {% for status, dash, words, count in statuses %}
      <li><label><input type="checkbox" class="akg-status" value="{{ status }}" checked>
        <svg width="36" height="8" aria-hidden="true"><line x1="0" y1="4" x2="36" y2="4"
          stroke="#2b3a55" stroke-width="2" stroke-dasharray="{{ dash }}"/></svg>
        {{ words }} ({{ count }})</label></li>
    {% endfor %}
    </ul>
    <h2>Lines</h2>
    <ul>
      <li><svg width="36" height="10" aria-hidden="true"><line x1="0" y1="5" x2="36" y2="5"
        stroke="#d62728" stroke-width="3"/></svg> withholds / protects technology</li>
      <li><svg width="36" height="10" aria-hidden="true"><line x1="0" y1="5" x2="36" y2="5"
        stroke="#2e7d32" stroke-width="2"/></svg> develops / shares / contributes</li>
      <li><svg width="36" height="10" aria-hidden="true"><line x1="0" y1="5" x2="36" y2="5"
        stroke="#2b3a55" stroke-width="6"/></svg> stake: thicker is larger</li>
      <li><svg width="36" height="10" aria-hidden="true"><line x1="0" y1="5" x2="36" y2="5"
        stroke="#9e9e9e" stroke-width="2"/></svg> membership / division</li>
    </ul>
  </aside>
</main>
<script type="application/json" id="akg-data">{{ data_json }}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("akg-data").textContent);
  function tip(text) {
    var el = document.createElement("div");
    el.className = "akg-tip";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { n.title = tip(n.text); });
  data.edges.forEach(function (e) { e.title = tip(e.text); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("akg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.network = network;
  window.akgReady = false;
  function ready() {
    if (window.akgReady) { return; }
    network.setOptions({physics: {enabled: false}});
    network.fit({animation: false, maxZoomLevel: 1.5});
    window.akgReady = true;
    document.body.setAttribute("data-akg-ready", "1");
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", ready);
  } else {
    network.once("afterDrawing", ready);
  }

  var list = document.getElementById("akg-labels");
  var labels = {};
  data.nodes.forEach(function (n) { labels[n.label] = true; });
  Object.keys(labels).sort().forEach(function (label) {
    var opt = document.createElement("option");
    opt.value = label;
    list.appendChild(opt);
  });
  var result = document.getElementById("akg-search-result");
  document.getElementById("akg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("akg-search").value.trim().toLowerCase();
    var ids = q ? data.nodes.filter(function (n) {
      return !n.hidden && n.label.toLowerCase().indexOf(q) >= 0;
    }).map(function (n) { return n.id; }) : [];
    network.selectNodes(ids);
    if (ids.length) { network.fit({nodes: ids, animation: false}); }
    result.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
  });
  document.getElementById("akg-reset").addEventListener("click", function () {
    document.getElementById("akg-search").value = "";
    result.textContent = "";
    network.unselectAll();
    network.fit({animation: false});
  });

  function refilter() {
    var kinds = {}, statuses = {};
    document.querySelectorAll("input.akg-kind").forEach(function (b) {
      kinds[b.value] = b.checked;
    });
    document.querySelectorAll("input.akg-status").forEach(function (b) {
      statuses[b.value] = b.checked;
    });
    nodes.update(data.nodes.map(function (n) {
      n.hidden = kinds[n.kind] === false;
      return {id: n.id, hidden: n.hidden};
    }));
    edges.update(data.edges.map(function (e) {
      return {id: e.id, hidden: statuses[e.status] === false};
    }));
  }
  document.querySelectorAll("input.akg-kind, input.akg-status").forEach(function (b) {
    b.addEventListener("change", refilter);
  });
})();
</script>
</body>
</html>
"""
)


def render_view(
    G: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str = "",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> str:
    """Render a projection graph as one self-contained, offline HTML page.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A projection graph (contract schema).
    title, subtitle : str
        Shown at the top of the page, as text.
    max_nodes : int
        Above this many entities only the most connected are shown, and the page says so.

    Returns
    -------
    str
        The HTML page, with vis-network inlined and the graph embedded as JSON.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", label="<b>X</b>", kind="automaker")
    >>> page = render_view(G, title="Demo")
    >>> page.startswith("<!DOCTYPE html>"), "<b>X</b>" in page
    (True, False)
    """
    H, note = narrow(G, max_nodes)
    net = build_network(H)
    nodes, edges = net.nodes, net.edges
    kind_count = Counter(n["kind"] for n in nodes)
    kinds = [
        (kind, _swatch(style[0], style[1]), style[1], style[2], kind_count[kind])
        for kind, style in NODE_STYLE.items()
        if kind_count[kind]
    ]
    kinds += [
        (kind, _swatch("dot", _OTHER_STYLE[1]), _OTHER_STYLE[1], kind or "unknown kind", count)
        for kind, count in sorted(kind_count.items())
        if kind not in NODE_STYLE
    ]
    status_count = Counter(e["status"] for e in edges)
    statuses = [
        (status, style[2], style[1], status_count[status])
        for status, style in STATUS_STYLE.items()
        if status_count[status]
    ]
    statuses += [
        (status, "", status or "unknown status", count)
        for status, count in sorted(status_count.items())
        if status not in STATUS_STYLE
    ]
    vis_js, vis_css = _vis_assets()
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": _options(net),
        "meta": {
            "title": title,
            "narrowed": note is not None,
            "total_nodes": G.number_of_nodes(),
            "total_edges": G.number_of_edges(),
        },
    }
    return _VIEW_TEMPLATE.render(
        title=title,
        subtitle=subtitle,
        note=note,
        n_nodes=len(nodes),
        n_edges=len(edges),
        kinds=kinds,
        statuses=statuses,
        vis_js=vis_js,
        vis_css=vis_css,
        page_css=Markup(_PAGE_CSS),
        data_json=_json_for_script(payload),
    )


def write_view(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str | None = None,
    subtitle: str = "",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Path:
    """Write :func:`render_view` of ``G`` to ``path`` (parents created); return the path.

    ``title`` defaults to ``G.graph["title"]`` or the file's stem.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    title = title or str(G.graph.get("title") or path.stem)
    page = render_view(G, title=title, subtitle=subtitle, max_nodes=max_nodes)
    path.write_text(page, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- site

_SITE_TEMPLATE = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 960px; margin: 24px auto; padding: 0 16px;
       color: #212121; }
table { border-collapse: collapse; margin: 6px 0 14px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top;
         font-size: .9rem; }
dt { font-weight: 600; margin-top: 8px; }
dd { margin-left: 16px; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<h2>Views</h2>
<ul id="views">
{% for v in views %}
  <li><a href="{{ v.href }}">{{ v.title }}</a>: {{ v.nodes }} entities, {{ v.edges }} claims
  {%- if v.subtitle %} ({{ v.subtitle }}){% endif %}</li>
{% endfor %}
</ul>
<h2>Summary</h2>
<div id="summary">{{ summary }}</div>
</body>
</html>
"""
)


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return slug or "view"


def _summary_html(value: Any, depth: int = 0) -> Markup:
    """Render a summary value (dicts, lists of rows, scalars) as escaped HTML."""
    esc = html.escape
    if depth > 6:
        return Markup(esc(json.dumps(value, default=str)))
    if isinstance(value, Mapping):
        parts = [
            f"<dt>{esc(str(k))}</dt><dd>{_summary_html(v, depth + 1)}</dd>"
            for k, v in value.items()
        ]
        return Markup("<dl>" + "".join(parts) + "</dl>")
    if isinstance(value, (list, tuple)):
        rows = list(value)
        if rows and all(isinstance(r, Mapping) for r in rows):
            cols: dict[str, None] = {}
            for r in rows:
                cols.update(dict.fromkeys(str(k) for k in r))
            head = "".join(f"<th>{esc(c)}</th>" for c in cols)
            body = "".join(
                "<tr>"
                + "".join(
                    f"<td>{_summary_html(r.get(c, r.get(_key(r, c))), depth + 1)}</td>"
                    for c in cols
                )
                + "</tr>"
                for r in rows
            )
            return Markup(f"<table><tr>{head}</tr>{body}</table>")
        items = "".join(f"<li>{_summary_html(v, depth + 1)}</li>" for v in rows)
        return Markup(f"<ul>{items}</ul>")
    if value is None:
        return Markup("")
    if isinstance(value, float):
        return Markup(esc(f"{value:.4g}"))
    return Markup(esc(str(value)))


def _key(row: Mapping[Any, Any], col: str) -> Any:
    for k in row:
        if str(k) == col:
            return k
    return col


def write_site(
    out_dir: str | Path,
    views: Mapping[str, nx.MultiDiGraph],
    summary: Mapping[str, Any],
    *,
    title: str = "automaker-kg",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Path:
    """Write one page per view and an ``index.html`` that links them and shows ``summary``.

    Parameters
    ----------
    out_dir : str | Path
        The site folder (created).
    views : Mapping[str, nx.MultiDiGraph]
        View name (file stem) -> projection graph. A graph's ``graph["title"]`` and
        ``graph["subtitle"]`` (or ``graph["as_of"]``) are used when present.
    summary : Mapping[str, Any]
        Shown on the index: scalars, dicts and lists of row dicts (tables), all as text.

    Returns
    -------
    Path
        The index page.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, G in views.items():
        href = f"{_slug(name)}.html"
        view_title = str(G.graph.get("title") or _VIEW_TITLES.get(name) or name)
        subtitle = str(G.graph.get("subtitle") or "")
        if not subtitle and G.graph.get("as_of"):
            subtitle = f"as of {G.graph['as_of']}"
        write_view(G, out / href, title=view_title, subtitle=subtitle, max_nodes=max_nodes)
        entries.append(
            {
                "href": href,
                "title": view_title,
                "subtitle": subtitle,
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
            }
        )
    index = out / "index.html"
    page = _SITE_TEMPLATE.render(title=title, views=entries, summary=_summary_html(summary))
    index.write_text(page, encoding="utf-8")
    return index


# --------------------------------------------------------------------------- from the graph

#: The views ``view`` can draw; ``ego`` needs an entity.
VIEWS: tuple[str, ...] = ("technology", "ownership", "alliances", "all", "ego")


def _when(as_of: Any) -> str:
    return f"claims valid on {as_of}" if as_of else "every claim, whatever its dates"


def view_graph(
    source: projections.Source,
    which: str,
    *,
    entity: str | None = None,
    depth: int = 1,
    as_of: Any = None,
) -> nx.MultiDiGraph:
    """The projection a view shows, with ``graph["title"]`` and ``graph["subtitle"]`` set.

    Parameters
    ----------
    source : rdflib.Graph, rdflib.Dataset or pyoxigraph.Store
        The knowledge graph.
    which : {"technology", "ownership", "alliances", "all", "ego"}
        A projection, or ``ego``: the entities within ``depth`` claims of ``entity``.
    entity : str, optional
        For ``ego``: a name, alias or IRI (see :func:`~automaker_kg.analytics.resolve_entity`).
    depth : int
        For ``ego``: how many claims away to reach.
    as_of : datetime.date or ISO date str, optional
        Keep only claims valid on that day.

    Raises
    ------
    UnknownNameError
        for an unknown view or entity.
    ParameterError
        for ``ego`` without an entity, a negative depth, or a bad date.
    """
    if which not in VIEWS:
        raise UnknownNameError("view", which, list(VIEWS))
    if which != "ego":
        G = projections.project(source, which, as_of=as_of)
        G.graph["title"] = _VIEW_TITLES[which]
        G.graph["subtitle"] = _when(as_of)
        return G
    if not entity:
        raise ParameterError("the ego view needs an entity: view ego ENTITY")
    if depth < 0:
        raise ParameterError(f"depth must be 0 or more, not {depth}")
    G = projections.project(source, "all", as_of=as_of)
    node = resolve_entity(G, entity)
    H = ego_network(G, node, depth)
    H.graph.update(G.graph)
    H.graph["title"] = f"{_node_label(G, node)} and its neighbours"
    hops = "claim" if depth == 1 else "claims"
    H.graph["subtitle"] = f"entities within {depth} {hops}; {_when(as_of)}"
    return H


def view_filename(which: str, entity: str | None = None) -> str:
    """The default file name of a view: ``ownership.html``, ``ego-nissan.html``.

    Examples
    --------
    >>> view_filename("ego", "Renault Group")
    'ego-Renault-Group.html'
    """
    if which == "ego" and entity:
        return f"ego-{_slug(entity.rsplit('/', 1)[-1])}.html"
    return f"{_slug(which)}.html"


def site_views(source: projections.Source, *, as_of: Any = None) -> dict[str, nx.MultiDiGraph]:
    """The four projection views of the site (ownership, technology, alliances, all)."""
    return {name: view_graph(source, name, as_of=as_of) for name in VIEWS if name != "ego"}


def site_summary(views: Mapping[str, nx.MultiDiGraph], top: int = 10) -> dict[str, Any]:
    """What the index page says about the graph: counts, statuses, sources, central entities.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", claim="c1", status="official", source="d")
    0
    >>> site_summary({"all": G})["claims by status"]
    {'official': 1}
    """
    everything = views.get("all") or nx.compose_all(list(views.values()) or [nx.MultiDiGraph()])
    claims: dict[str, Mapping[str, Any]] = {}
    for _, _, data in everything.edges(data=True):
        claims.setdefault(str(data.get("claim") or id(data)), data)
    statuses = Counter(str(d.get("status") or "unknown") for d in claims.values())
    sources = Counter(str(d.get("source") or "unknown") for d in claims.values())
    return {
        "entities": everything.number_of_nodes(),
        "claims": len(claims),
        "claims by status": dict(sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sources": [{"document": doc, "claims": n} for doc, n in sources.most_common()],
        "most connected entities": [
            {"entity": _node_label(everything, node), "degree centrality": round(score, 3)}
            for node, score in centrality_ranking(everything, "degree", top=top)
        ],
    }


def build_site(source: projections.Source, out_dir: str | Path, *, as_of: Any = None) -> Path:
    """Write the site of ``source`` (four views and the index) into ``out_dir``."""
    views = site_views(source, as_of=as_of)
    return write_site(out_dir, views, site_summary(views))


# --------------------------------------------------------------------------- notebook


class InlineView:
    """A page shown in a notebook cell through ``<iframe srcdoc=...>`` (Jupyter and VS Code)."""

    def __init__(self, page: str, height: int = 600) -> None:
        self.page = page
        self.height = int(height)

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #ddd" '
            'sandbox="allow-scripts" loading="lazy"></iframe>'
        )

    def __repr__(self) -> str:
        return f"InlineView({len(self.page)} characters, height={self.height})"


def inline(page: str, height: int = 600) -> InlineView:
    """Wrap an HTML page for display in a notebook cell.

    Examples
    --------
    >>> view = inline('<p title="a">x & y</p>', height=200)
    >>> view._repr_html_().startswith('<iframe srcdoc="&lt;p title=&quot;a&quot;&gt;x &amp; y')
    True
    """
    return InlineView(page, height)
