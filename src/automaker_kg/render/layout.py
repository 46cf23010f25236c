"""Where a view puts its entities: narrowing big graphs, and seeded, deterministic layouts."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import networkx as nx

__all__ = [
    "COMPONENT_SPRING_MAX_NODES",
    "DEFAULT_MAX_NODES",
    "PHYSICS_MAX_NODES",
    "SPRING_MAX_NODES",
    "layout",
    "narrow",
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
