"""The ownership table: who holds what on a day, in force and planned, and why.

One row per holder and target: the stake in force (the time rules' answer, see
:mod:`automaker_kg.temporal`), its integrated figure through chains and cross-holdings
(a range when stakes are known only as ranges), the plans and reports shown beside it,
disagreeing facts kept as a conflict, and the reason the shown stake was chosen.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx

from automaker_kg.analytics.ownership import (
    SMALL,
    Method,
    integrated_matrix,
    integrated_ownership,
    integrated_row,
    pick_stake,
    stake_graph,
    stake_record,
)
from automaker_kg.temporal import IN_FORCE, PLANNED, agree, format_share

__all__ = ["ownership_table", "ownership_page"]

Pair = tuple[Hashable, Hashable]


def _label(G: nx.Graph, node: Hashable) -> str:
    return str(G.nodes[node].get("label", node)) if node in G else str(node)


def _shown(data: dict[str, Any]) -> str:
    return format_share(data.get("share"), data.get("share_min"), data.get("share_max"))


def _percent(fraction: float) -> float:
    """A fraction in percent to 10 decimals: sums along chains carry rounding noise in their
    last bits (44.99999999999999 for 45), which no stake is stated precisely enough to need.

    >>> _percent(0.4499999999999999), _percent(0.051000000000000004)
    (45.0, 5.1)
    """
    return round(fraction * 100, 10)


def _node_key(G: nx.Graph, node: Hashable) -> tuple[str, str]:
    """Where a node's rows come in the table: by label, then by the node itself."""
    return _label(G, node), str(node)


def _small_page(
    G: nx.Graph,
    pairs: dict[Pair, Any],
    figures: list[dict[Pair, float]],
    offset: int,
    limit: int | None,
) -> tuple[list[Pair], int]:
    """The page of the table's pairs (direct and integrated), and how many there are."""
    keys = set(pairs).union(*figures)
    ordered = sorted(keys, key=lambda k: (*_node_key(G, k[0]), *_node_key(G, k[1])))
    end = None if limit is None else offset + limit
    return ordered[offset:end], len(ordered)


def _matrix_page(
    G: nx.Graph,
    pairs: dict[Pair, Any],
    stakes: list[nx.DiGraph],
    method: Method,
    holder: Hashable | None,
    target: Hashable | None,
    offset: int,
    limit: int | None,
) -> tuple[list[Pair], int, list[dict[Pair, float]]]:
    """:func:`_small_page` from the integrated matrices, for large graphs: the pairs are
    numbered in the table's order and only the page's become Python objects (no dict of
    every pair); with the page's integrated figures."""
    import numpy as np

    nodes: list[Hashable] = []
    found = []
    for S in stakes:
        if holder is not None:  # one row: one sparse solve, not every holder's
            nodes, cols, values = integrated_row(S, holder, method=method)
            index = {node: i for i, node in enumerate(nodes)}
            rows = np.full(len(cols), index.get(holder, -1), dtype=np.int64)
            keep = cols != rows
            if target is not None:
                keep &= cols == index.get(target, -1)
            found.append((rows[keep], cols[keep], values[keep]))
            continue
        nodes, X = integrated_matrix(S, method=method)
        keep = (X.data != 0.0) & (X.row != X.col)
        index = {node: i for i, node in enumerate(nodes)}
        if target is not None:
            keep &= X.col == index.get(target, -1)
        found.append((X.row[keep], X.col[keep], X.data[keep]))
    n = len(nodes)
    order = sorted(range(n), key=lambda i: _node_key(G, nodes[i]))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    index = {node: i for i, node in enumerate(nodes)}
    direct = np.array(
        [rank[index[u]] * n + rank[index[v]] for u, v in pairs if u in index and v in index],
        dtype=np.int64,
    )
    numbered = [rank[rows] * n + rank[cols] for rows, cols, _ in found]
    keys = np.concatenate([direct, *numbered])
    keys.sort()  # then each pair once (a sort is quicker than np.unique's hashing here)
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys
    end = len(keys) if limit is None else offset + limit
    page = keys[offset:end]
    figures = []
    for key, (_, _, values) in zip(numbered, found, strict=True):
        wanted = np.isin(key, page)
        figures.append(dict(zip(key[wanted].tolist(), values[wanted].tolist(), strict=True)))
    pair_of = {int(k): (nodes[order[k // n]], nodes[order[k % n]]) for k in page.tolist()}
    named = [{pair_of[k]: x for k, x in figure.items()} for figure in figures]
    return [pair_of[int(k)] for k in page.tolist()], len(keys), named


def _planned(beside: list[dict[str, Any]]) -> str:
    """The plans and reports shown beside the fact, one per value and status: equal ones
    from several sources are one entry with their sources counted.

    >>> plans = [{"share": 10.0, "status": "plan", "source": "doc:a"},
    ...          {"share": 10.0, "status": "plan", "source": "doc:b"},
    ...          {"share": 5.0, "status": "plan", "source": "doc:b"}]
    >>> _planned(plans)
    '10% (plan, 2 sources); 5% (plan)'
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d in beside:
        groups.setdefault((_shown(d), str(d.get("status"))), []).append(d)
    parts = []
    for (shown, status), found in groups.items():
        sources = {d.get("source") or d.get("claim") for d in found}
        counted = f", {len(sources)} sources" if len(sources) > 1 else ""
        parts.append(f"{shown} ({status}{counted})")
    return "; ".join(parts)


def ownership_table(
    G: nx.MultiDiGraph,
    relation: str = "shareholding",
    *,
    method: Method = "integrated",
    holder: Hashable | None = None,
    target: Hashable | None = None,
    integrated: bool = True,
) -> list[dict[str, Any]]:
    """Rows of direct and integrated ownership, with what is planned beside it.

    Parameters
    ----------
    G : an ``ownership`` projection, usually ``as_of`` a day (edges carry ``standing``).
    relation : ``"shareholding"`` or ``"voting_rights"``.
    method : ``"integrated"`` or ``"non_reflexive"`` (see :mod:`.ownership`).
    holder, target : keep only rows of this holder / this target.
    integrated : also compute integrated figures (through every chain).

    Returns
    -------
    list of dict
        Keys ``holder``, ``target`` (labels), ``holder_iri``, ``target_iri``, ``direct``
        (percent, ``None`` for a range or an unknown size) and ``direct_text`` (``15%``,
        ``≥20%``, ``75–100%``, ``?``), ``share``, ``share_min``, ``share_max`` (percent),
        ``integrated`` (percent, ``None`` when a range) and ``integrated_text``,
        ``integrated_min``, ``integrated_max`` (percent), ``status``, ``claim``,
        ``planned`` (text: the plans shown beside), ``planned_claims``, ``conflict``
        (text: disagreeing facts in force), ``conflict_claims``, ``note`` and ``why``.
        Sorted by holder, then target (by label, then by node): :func:`ownership_page`
        gives a part of it.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", label="Renault"); G.add_node("n", label="Nissan")
    >>> _ = G.add_edge("r", "n", relation="shareholding", share=43.0, standing="in force",
    ...                claim="seed43", status="historical", known_from="2023-01-01")
    >>> _ = G.add_edge("r", "n", relation="shareholding", share=43.4, standing="in force",
    ...                claim="kyodo", status="historical", known_from="2023-02-06")
    >>> _ = G.add_edge("r", "n", relation="shareholding", share=15.0, standing="planned",
    ...                claim="plan", status="plan", known_from="2023-01-01")
    >>> row = ownership_table(G)[0]
    >>> row["direct_text"], row["planned"], row["claim"], row["conflict"]
    ('43.4%', '15% (plan)', 'kyodo', '')
    """
    return ownership_page(
        G, relation, method=method, holder=holder, target=target, integrated=integrated
    )[0]


def ownership_page(
    G: nx.MultiDiGraph,
    relation: str = "shareholding",
    *,
    method: Method = "integrated",
    holder: Hashable | None = None,
    target: Hashable | None = None,
    integrated: bool = True,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The rows ``offset`` to ``offset + limit`` of :func:`ownership_table`, and how many
    rows the whole table has.

    Only the page's rows are built: on a large graph (more than ``SMALL`` stakes) the
    table's pairs are numbered in its order from the integrated matrices, so the millions of
    pairs a large graph's holders reach never become a dict or a row.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", relation="shareholding", share=50.0, claim="c1")
    0
    >>> G.add_edge("b", "c", relation="shareholding", share=40.0, claim="c2")
    0
    >>> rows, total = ownership_page(G, offset=1, limit=1)
    >>> [(r["holder"], r["target"], r["integrated_text"]) for r in rows], total
    ([('a', 'c', '20%')], 3)
    """
    pairs: dict[Pair, dict[str, list[dict[str, Any]]]] = {}
    for u, v, data in G.edges(data=True):
        if data.get("relation") != relation:
            continue
        if holder is not None and u != holder or target is not None and v != target:
            continue
        standing = data.get("standing", IN_FORCE)
        pairs.setdefault((u, v), {}).setdefault(standing, []).append(data)
    stakes = []
    if integrated:
        ranged = any(
            d.get("relation") == relation
            and d.get("share") is None
            and (d.get("share_min") is not None or d.get("share_max") is not None)
            for _, _, d in G.edges(data=True)
        )
        # the upper bounds differ from the lower ones only where a stake is a range
        for bound in ("min", "max") if ranged else ("min",):
            S = stake_graph(G, relation, range_value=bound)  # type: ignore[arg-type]
            if S.number_of_edges():
                stakes.append(S)
    if sum(S.number_of_edges() for S in stakes) <= SMALL:
        figures = []
        for S in stakes:
            found = integrated_ownership(S, method=method)
            figures.append(
                {
                    (u, v): x
                    for (u, v), x in found.items()
                    if (holder is None or u == holder) and (target is None or v == target)
                    and u in G and v in G
                }
            )  # fmt: skip
        page, total = _small_page(G, pairs, figures, offset, limit)
    else:
        page, total, figures = _matrix_page(G, pairs, stakes, method, holder, target, offset, limit)
    low = figures[0] if figures else {}
    high = figures[-1] if figures else {}
    rows = [
        _row(G, u, v, pairs.get((u, v), {}), low.get((u, v)), high.get((u, v))) for u, v in page
    ]
    return rows, total


def _row(
    G: nx.Graph,
    u: Hashable,
    v: Hashable,
    by: dict[str, list[dict[str, Any]]],
    lo: float | None,
    hi: float | None,
) -> dict[str, Any]:
    """One row of the table: the stakes of ``u`` in ``v`` by standing, integrated bounds."""
    facts = by.get(IN_FORCE, [])
    chosen = pick_stake(facts) if facts else None
    others = [d for d in facts if d is not chosen]
    conflicting = [d for d in others if chosen and not agree(stake_record(d), stake_record(chosen))]
    agreeing = [d for d in others if d not in conflicting]
    planned = sorted(by.get(PLANNED, []), key=lambda d: str(d.get("known_from") or ""))
    reported = by.get("reported", [])
    if lo is None and hi is None:
        shown_integrated = ""
    elif lo is not None and hi is not None and abs(lo - hi) > 1e-9:
        shown_integrated = format_share(None, _percent(lo), _percent(hi))
    else:
        shown_integrated = format_share(_percent(hi if hi is not None else lo))  # type: ignore[arg-type]
    notes = []
    if (
        chosen is not None
        and chosen.get("share") is None
        and chosen.get("share_min") is None
        and chosen.get("share_max") is None
    ):
        notes.append("size unknown: left out of integrated ownership")
    if chosen is None and facts == [] and (lo is not None or hi is not None):
        notes.append("indirect only")
    if chosen is not None and chosen.get("share") == 0.0:
        notes.append("holds nothing")
    why = []
    if chosen is not None:
        why.append(f"shown: {chosen.get('claim')} — {chosen.get('why') or 'in force'}")
        if agreeing:
            why.append(
                "agreeing within precision: "
                + ", ".join(f"{_shown(d)} {d.get('claim')}" for d in agreeing)
            )
    for d in planned + reported:
        why.append(f"beside: {_shown(d)} {d.get('standing')} {d.get('claim')} — {d.get('why')}")
    return {
        "holder": _label(G, u),
        "target": _label(G, v),
        "holder_iri": u,
        "target_iri": v,
        "direct": chosen.get("share") if chosen else None,
        "direct_text": _shown(chosen) if chosen else "",
        "share": chosen.get("share") if chosen else None,
        "share_min": chosen.get("share_min") if chosen else None,
        "share_max": chosen.get("share_max") if chosen else None,
        "integrated": None if lo is None or hi is None or abs(lo - hi) > 1e-9 else _percent(hi),
        "integrated_text": shown_integrated,
        "integrated_min": None if lo is None else _percent(lo),
        "integrated_max": None if hi is None else _percent(hi),
        "status": chosen.get("status") if chosen else None,
        "claim": chosen.get("claim") if chosen else None,
        "planned": _planned(planned + reported),
        "planned_claims": [d.get("claim") for d in planned + reported],
        "conflict": "; ".join(f"{_shown(d)} ({d.get('claim')})" for d in conflicting),
        "conflict_claims": [d.get("claim") for d in conflicting],
        "note": "; ".join(notes),
        "why": why,
    }
