"""Where a view puts its entities: narrowing big graphs, and seeded, deterministic layouts."""

from __future__ import annotations

import inspect
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

__all__ = [
    "COMPONENT_SPRING_MAX_NODES",
    "LABEL_CHAR_PX",
    "DEFAULT_MAX_NODES",
    "PHYSICS_MAX_NODES",
    "SPRING_MAX_NODES",
    "clustered",
    "fold_hosts",
    "label_width",
    "layered",
    "layout",
    "narrow",
]

#: Above this many entities a view shows only the most connected ones (and says so).
DEFAULT_MAX_NODES = 1000
#: Above this many entities the layout is fixed (physics off) so the browser stays responsive.
PHYSICS_MAX_NODES = 300
#: Up to this many entities a view gets one spring layout; above, a per-component layout.
#: The same as :data:`PHYSICS_MAX_NODES`: a whole-graph spring layout costs about 3 s of CPU at
#: 960 entities (networkx's sparse solver, 30 iterations) where the per-component layout takes
#: 0.04 s, and above the physics limit its picture is final, not a start for the browser's.
SPRING_MAX_NODES = PHYSICS_MAX_NODES
#: In a larger view, connected components up to this size still get a spring layout each.
COMPONENT_SPRING_MAX_NODES = 100
# pixels between neighbouring entities in the per-component layout
_SPACING = 40.0
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
_SPRING_HAS_METHOD = "method" in inspect.signature(nx.spring_layout).parameters


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


def _spring_layout(S: nx.Graph, **options: Any) -> dict[Any, Any]:
    """``nx.spring_layout`` with the force-directed method at every size.

    networkx 3.5 and later switch to an energy-minimising method from 500 nodes on, which is
    slower here (2.9 s against 1.9 s of CPU at 960 nodes) and lays the same graph out
    differently from earlier versions; asking for ``method="force"`` where the argument exists
    keeps one layout across the versions the project accepts.
    """
    if _SPRING_HAS_METHOD:
        options["method"] = "force"
    return nx.spring_layout(S, **options)


def _spring(S: nx.Graph, iterations: int) -> dict[Any, tuple[float, float]]:
    """A seeded spring layout of ``S``, scaled to pixels."""
    pos = _spring_layout(S, seed=7, iterations=iterations)
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
        for node, (x, y) in _spring_layout(C.subgraph(core), seed=7, iterations=50).items()
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
        pos = _spring_layout(C, seed=7, iterations=50)
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
        return _spring(S, 50)
    return _packed(S)


#: Pixels per character of a node label at the views' font size (13 px), a generous average.
LABEL_CHAR_PX = 7.6
#: The widest a row of the layered layout may grow before it wraps onto another row.
_ROW_MAX_PX = 1500.0
_ROW_GAP_PX = 100.0
_LAYER_GAP_PX = 170.0
#: Extra room between two entities of one row that hold each other (their lines curve).
_LINKED_GAP_PX = 120.0


def label_width(label: str) -> float:
    """An estimate of a label's drawn width in pixels (at the views' 13 px font).

    >>> label_width("Nissan")
    45.6
    """
    return round(len(label) * LABEL_CHAR_PX, 1)


def _levels(G: nx.MultiDiGraph) -> tuple[dict[Any, int], dict[Any, int]]:
    """Each entity's depth (the longest chain of claims reaching it; a cycle is one level)
    and its group (entities that hold each other, directly or round a cycle, share one)."""
    S = nx.DiGraph()
    S.add_nodes_from(G)
    S.add_edges_from((u, v) for u, v in G.edges() if u != v)
    C = nx.condensation(S)
    level: dict[int, int] = {}
    for scc in nx.topological_sort(C):
        level[scc] = max((level[p] + 1 for p in C.predecessors(scc)), default=0)
    members = C.graph["mapping"]
    return {node: level[members[node]] for node in G}, dict(members)


def layered(
    G: nx.MultiDiGraph, widths: Mapping[Any, float] | None = None
) -> dict[Any, tuple[float, float]]:
    """Holders above their holdings: each entity on the level of its longest incoming chain.

    Entities of one level sit side by side, as wide apart as their labels need (``widths``,
    pixels; default from :func:`label_width`), ordered to follow the level above (the mean
    place of their holders), and a level wider than a screen wraps onto further rows. Labels
    of two entities never overlap. Entities that hold each other share a level.

    Examples
    --------
    >>> pos = layered(nx.MultiDiGraph([("holder", "held"), ("held", "sub")]))
    >>> pos["holder"][1] < pos["held"][1] < pos["sub"][1]
    True
    """
    if G.number_of_nodes() == 0:
        return {}
    if widths is None:
        widths = {n: label_width(str(G.nodes[n].get("label") or n)) for n in G}
    level, group = _levels(G)
    layers: dict[int, list[Any]] = {}
    for node in sorted(G, key=lambda n: str(G.nodes[n].get("label") or n).lower()):
        layers.setdefault(level[node], []).append(node)
    pos: dict[Any, tuple[float, float]] = {}
    y = 0.0
    for depth in sorted(layers):
        members = layers[depth]
        if depth > 0:  # follow the level above: mean x of the entities linked from above

            def above(node: Any) -> float:
                xs = [pos[p][0] for p in G.predecessors(node) if p in pos]
                xs += [pos[s][0] for s in G.successors(node) if s in pos]
                return sum(xs) / len(xs) if xs else 0.0

            # cross-holders stay side by side: a group is placed at its members' mean
            where: dict[int, list[float]] = {}
            for node in members:
                where.setdefault(group[node], []).append(above(node))
            centre = {g: sum(xs) / len(xs) for g, xs in where.items()}
            members = sorted(members, key=lambda n: (centre[group[n]], group[n], above(n)))

        def room(node: Any) -> float:
            return max(widths[node], 30.0) + 36.0

        def gap(a: Any, b: Any) -> float:
            return _LINKED_GAP_PX if G.has_edge(a, b) or G.has_edge(b, a) else 0.0

        rows: list[list[Any]] = [[]]
        width = 0.0
        for node in members:
            w = room(node) + (gap(rows[-1][-1], node) if rows[-1] else 0.0)
            if rows[-1] and width + w > _ROW_MAX_PX:
                rows.append([])
                w, width = room(node), 0.0
            rows[-1].append(node)
            width += w
        for r, row in enumerate(rows):
            steps = [room(n) + (gap(row[i - 1], n) if i else 0.0) for i, n in enumerate(row)]
            x = -sum(steps) / 2.0
            for node, step in zip(row, steps, strict=True):
                x += step - room(node) / 2.0
                pos[node] = (x, y + r * _ROW_GAP_PX)
                x += room(node) / 2.0
        y += (len(rows) - 1) * _ROW_GAP_PX + _LAYER_GAP_PX
    xs = [x for x, _ in pos.values()]
    height, width = y - _LAYER_GAP_PX, max(xs) - min(xs)
    if 0 < height < 0.5 * width:  # use a screen's proportions: stretch the levels apart
        stretch = 0.5 * width / height
        pos = {n: (x, py * stretch) for n, (x, py) in pos.items()}
    return pos


def fold_hosts(G: nx.MultiDiGraph, kinds: Iterable[str]) -> dict[Any, Any]:
    """Entities of ``kinds`` (people, markets, unnamed sources) -> the entity they fold into.

    The host is the entity's best-connected neighbour that is not itself folded (ties by
    node key); an entity without such a neighbour stays unfolded.

    >>> G = nx.MultiDiGraph([("ceo", "nissan"), ("nissan", "renault")])
    >>> G.nodes["ceo"]["kind"] = "person"
    >>> fold_hosts(G, {"person"})
    {'ceo': 'nissan'}
    """
    kinds = set(kinds)
    folded = {n for n, k in G.nodes(data="kind") if k in kinds}
    degree = dict(G.degree())
    hosts: dict[Any, Any] = {}
    for node in sorted(folded, key=str):
        partners = {p for p in (*G.predecessors(node), *G.successors(node)) if p not in folded}
        if partners:
            hosts[node] = min(partners, key=lambda p: (-degree[p], str(p)))
    return hosts


def _separate(
    pos: dict[Any, tuple[float, float]],
    boxes: Mapping[Any, tuple[float, float]],
    rounds: int = 200,
) -> dict[Any, tuple[float, float]]:
    """Push apart entities whose boxes (width, height: the shape and its label) overlap.

    Small views only: each round compares every pair.
    """
    nodes = list(pos)
    xy = {n: list(pos[n]) for n in nodes}
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                dx = xy[b][0] - xy[a][0]
                dy = xy[b][1] - xy[a][1]
                need_x = (boxes[a][0] + boxes[b][0]) / 2.0 + 14.0
                need_y = (boxes[a][1] + boxes[b][1]) / 2.0 + 14.0
                if abs(dx) >= need_x or abs(dy) >= need_y:
                    continue
                moved = True
                push_x, push_y = need_x - abs(dx), need_y - abs(dy)
                if push_y < push_x:  # the cheaper way apart
                    step = push_y / 2.0 + 1.0
                    sign = 1.0 if dy >= 0 else -1.0
                    xy[a][1] -= sign * step
                    xy[b][1] += sign * step
                else:
                    step = push_x / 2.0 + 1.0
                    sign = 1.0 if dx >= 0 else -1.0
                    xy[a][0] -= sign * step
                    xy[b][0] += sign * step
        if not moved:
            break
    return {n: (xy[n][0], xy[n][1]) for n in nodes}


def clustered(
    G: nx.MultiDiGraph,
    hosts: Mapping[Any, Any],
    boxes: Mapping[Any, tuple[float, float]] | None = None,
) -> dict[Any, tuple[float, float]]:
    """A spread spring layout of the unfolded entities; each folded one on a ring round its host.

    ``boxes`` (pixels: width and height of each entity's shape and label) are kept from
    overlapping in views of up to :data:`PHYSICS_MAX_NODES` unfolded entities.

    >>> G = nx.MultiDiGraph([("ceo", "nissan"), ("nissan", "renault")])
    >>> pos = clustered(G, {"ceo": "nissan"})
    >>> sorted(pos)
    ['ceo', 'nissan', 'renault']
    """
    if G.number_of_nodes() == 0:
        return {}
    if boxes is None:
        boxes = {n: (label_width(str(G.nodes[n].get("label") or n)), 40.0) for n in G}
    core = [n for n in G if n not in hosts]
    pos: dict[Any, tuple[float, float]] = {}
    if 0 < len(core) <= PHYSICS_MAX_NODES:
        S = _simple(nx.MultiDiGraph(G.subgraph(core)))
        raw = _spring_layout(S, seed=7, iterations=100, k=2.2 / math.sqrt(len(core)))
        scale = 150.0 * math.sqrt(len(core))
        pos = _separate({n: (x * scale, y * scale) for n, (x, y) in raw.items()}, boxes)
    elif core:
        pos = layout(nx.MultiDiGraph(G.subgraph(core)))
    around: dict[Any, list[Any]] = {}
    for node, host in sorted(hosts.items(), key=lambda kv: str(kv[0])):
        around.setdefault(host, []).append(node)
    for host, members in around.items():
        hx, hy = pos.get(host, (0.0, 0.0))
        radius = 80.0 + 14.0 * len(members)
        for i, node in enumerate(members):
            angle = 2.0 * math.pi * i / len(members) + 0.4
            pos[node] = (hx + radius * math.cos(angle), hy + radius * math.sin(angle))
    return pos
