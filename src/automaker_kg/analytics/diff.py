"""What changed between two projections: claims that start, end, or change."""

from __future__ import annotations

from typing import Any

import networkx as nx

from automaker_kg.analytics._claims import Claim, claims_of, label_of

__all__ = ["diff"]


def _key(claim: Claim) -> tuple[str, str, str, str]:
    return (claim.relation, str(claim.subject), str(claim.technology), str(claim.object))


def _row(
    change: str,
    G: nx.Graph,
    claim: Claim,
    before: Claim | None = None,
    after: Claim | None = None,
) -> dict[str, Any]:
    data = claim.data
    return {
        "change": change,
        "relation": claim.relation,
        "subject": label_of(G, claim.subject) or None,
        "technology": label_of(G, claim.technology) or None,
        "object": label_of(G, claim.object) or None,
        "claim": data.get("claim"),
        "previous_claim": before.data.get("claim") if before else None,
        "share_before": before.share if before else None,
        "share_after": after.share if after else None,
        "status": data.get("status"),
        "status_before": before.data.get("status") if before else None,
        "label": data.get("label"),
        "source": data.get("source"),
    }


def diff(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Claims that start, end or change between two projections (say ``as_of`` two dates).

    A claim present only in ``after`` starts; one present only in ``before`` ends. When a
    claim ends and another starts with the same relation between the same ends (a stake of
    43% replaced by one of 15%), the pair is reported once as a change, with both shares.

    Parameters
    ----------
    before, after : projections of the same kind, usually at two dates.

    Returns
    -------
    list of dict
        Keys ``change`` ("start", "end" or "change"), ``relation``, ``subject``,
        ``technology``, ``object`` (labels), ``claim`` (the claim that holds after a change
        or start, the ended claim for an end), ``previous_claim``, ``share_before``,
        ``share_after`` (percent), ``status``, ``status_before``, ``label``, ``source``.
        Sorted by change, relation, subject, object.

    Examples
    --------
    >>> G1, G2 = nx.MultiDiGraph(), nx.MultiDiGraph()
    >>> _ = G1.add_edge("R", "N", relation="shareholding", share=43.0, claim="c43")
    >>> _ = G2.add_edge("R", "N", relation="shareholding", share=15.0, claim="c15")
    >>> _ = G2.add_edge("N", "R", relation="voting_rights", share=15.0, claim="v15")
    >>> [(r["change"], r["relation"], r["share_before"], r["share_after"])
    ...  for r in diff(G1, G2)]
    [('change', 'shareholding', 43.0, 15.0), ('start', 'voting_rights', None, 15.0)]
    """
    old, new = claims_of(before), claims_of(after)
    ended = {k: c for k, c in old.items() if k not in new}
    started = {k: c for k, c in new.items() if k not in old}
    rows: list[dict[str, Any]] = []
    unmatched_start = dict(started)
    by_key: dict[tuple[str, str, str, str], list[str]] = {}
    for key, claim in sorted(started.items()):
        by_key.setdefault(_key(claim), []).append(key)
    for _, claim in sorted(ended.items()):
        candidates = by_key.get(_key(claim))
        if candidates:
            successor = unmatched_start.pop(candidates.pop(0))
            rows.append(_row("change", after, successor, before=claim, after=successor))
        else:
            rows.append(_row("end", before, claim, before=claim))
    for claim in unmatched_start.values():
        rows.append(_row("start", after, claim, after=claim))
    order = {"change": 0, "end": 1, "start": 2}
    return sorted(
        rows,
        key=lambda r: (order[r["change"]], r["relation"], str(r["subject"]), str(r["object"])),
    )
