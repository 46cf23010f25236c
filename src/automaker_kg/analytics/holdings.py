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
import numpy as np

from automaker_kg.analytics.ownership import (
    Method,
    integrated_matrix,
    pick_stake,
    stake_graph,
    stake_record,
)
from automaker_kg.temporal import IN_FORCE, PLANNED, agree, format_share

__all__ = ["ownership_table"]


def _label(G: nx.Graph, node: Hashable) -> str:
    return str(G.nodes[node].get("label", node)) if node in G else str(node)


def _shown(data: dict[str, Any]) -> str:
    return format_share(data.get("share"), data.get("share_min"), data.get("share_max"))


def _integrated(
    G: nx.Graph, relation: str, method: Method, range_value: str, rows: set[Hashable] | None
) -> dict[tuple[Hashable, Hashable], float]:
    S = stake_graph(G, relation, range_value=range_value)  # type: ignore[arg-type]
    if S.number_of_edges() == 0:
        return {}
    nodes, X = integrated_matrix(S, relation, method=method)
    keep = (X.data != 0.0) & (X.row != X.col)
    if rows is not None:
        wanted = np.array([n in rows for n in nodes], dtype=bool)
        keep &= wanted[X.row]
    return {
        (nodes[i], nodes[j]): float(x)
        for i, j, x in zip(X.row[keep], X.col[keep], X.data[keep], strict=True)
    }


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
        Sorted by holder, then target.

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
    pairs: dict[tuple[Hashable, Hashable], dict[str, list[dict[str, Any]]]] = {}
    for u, v, data in G.edges(data=True):
        if data.get("relation") != relation:
            continue
        if holder is not None and u != holder or target is not None and v != target:
            continue
        standing = data.get("standing", IN_FORCE)
        pairs.setdefault((u, v), {}).setdefault(standing, []).append(data)
    rows_of = {holder} if holder is not None else None
    low = high = {}
    if integrated:
        low = _integrated(G, relation, method, "min", rows_of)
        ranged = any(
            d.get("relation") == relation
            and d.get("share") is None
            and (d.get("share_min") is not None or d.get("share_max") is not None)
            for _, _, d in G.edges(data=True)
        )
        # the upper bounds differ from the lower ones only where a stake is a range
        high = _integrated(G, relation, method, "max", rows_of) if ranged else low
        for key in set(low) | set(high):
            if target is not None and key[1] != target:
                continue
            if key[0] in G and key[1] in G:
                pairs.setdefault(key, {})
    rows = []
    for (u, v), by in pairs.items():
        facts = by.get(IN_FORCE, [])
        chosen = pick_stake(facts) if facts else None
        others = [d for d in facts if d is not chosen]
        conflicting = [
            d for d in others if chosen and not agree(stake_record(d), stake_record(chosen))
        ]
        agreeing = [d for d in others if d not in conflicting]
        planned = sorted(by.get(PLANNED, []), key=lambda d: str(d.get("known_from") or ""))
        reported = by.get("reported", [])
        lo, hi = low.get((u, v)), high.get((u, v))
        if lo is None and hi is None:
            shown_integrated = ""
        elif lo is not None and hi is not None and abs(lo - hi) > 1e-9:
            shown_integrated = format_share(None, lo * 100, hi * 100)
        else:
            shown_integrated = format_share((hi if hi is not None else lo) * 100)  # type: ignore[operator]
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
        rows.append(
            {
                "holder": _label(G, u),
                "target": _label(G, v),
                "holder_iri": u,
                "target_iri": v,
                "direct": chosen.get("share") if chosen else None,
                "direct_text": _shown(chosen) if chosen else "",
                "share": chosen.get("share") if chosen else None,
                "share_min": chosen.get("share_min") if chosen else None,
                "share_max": chosen.get("share_max") if chosen else None,
                "integrated": None if lo is None or hi is None or abs(lo - hi) > 1e-9 else hi * 100,
                "integrated_text": shown_integrated,
                "integrated_min": None if lo is None else lo * 100,
                "integrated_max": None if hi is None else hi * 100,
                "status": chosen.get("status") if chosen else None,
                "claim": chosen.get("claim") if chosen else None,
                "planned": "; ".join(
                    f"{_shown(d)} ({d.get('status')})" for d in planned + reported
                ),
                "planned_claims": [d.get("claim") for d in planned + reported],
                "conflict": "; ".join(f"{_shown(d)} ({d.get('claim')})" for d in conflicting),
                "conflict_claims": [d.get("claim") for d in conflicting],
                "note": "; ".join(notes),
                "why": why,
            }
        )
    return sorted(rows, key=lambda r: (r["holder"], r["target"]))
