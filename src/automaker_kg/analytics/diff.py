"""What changed: claims that start, end, change or are superseded between two days.

:func:`changes` reads one projection (every date, as known on a day) and lists every
boundary of every claim's spans between two days — intermediate states and dated events
included — as the time rules of :mod:`automaker_kg.temporal` drew them. :func:`diff`
compares two projections ``as_of`` two days (the end states only).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from automaker_kg.analytics._claims import Claim, claims_of, label_of
from automaker_kg.temporal import iso_date

__all__ = ["diff", "changes"]


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


def _value(data: dict[str, Any]) -> str | None:
    from automaker_kg.temporal import format_share

    if data.get("relation") not in ("shareholding", "voting_rights"):
        return None
    return format_share(data.get("share"), data.get("share_min"), data.get("share_max"))


def changes(G: nx.MultiDiGraph, start: date | str, end: date | str) -> list[dict[str, Any]]:
    """Every claim that starts, ends, changes or is superseded in ``start < day <= end``.

    Parameters
    ----------
    G : a projection of every date (no ``as_of``), whose edges carry ``spans``.
    start, end : the two days (ISO text or ``date``); ``start`` itself is the state before.

    Returns
    -------
    list of dict
        One row per event, in date order: ``date``, ``change`` ("starts", "ends", "change",
        "planned", "plan ends", "reported", "report ends", "event"), ``relation``,
        ``subject``, ``technology``, ``object`` (labels), ``value`` and ``value_before``
        (shares as text), ``share_before`` and ``share_after`` (percent), ``standing``,
        ``status``, ``status_before``, ``claim``, ``previous_claim``, ``label``, ``source``
        and ``why`` (the rule that drew the boundary). A claim ending on the day another
        of the same relation and ends starts is one "change" row with both values.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("R", "N", relation="shareholding", share=43.0, claim="c43",
    ...                spans=[["2000-01-01", "2006-01-01", "in force"]], why="x")
    >>> _ = G.add_edge("R", "N", relation="shareholding", share=8.7, claim="c87",
    ...                spans=[["2006-01-01", "2008-01-01", "in force"]], why="y")
    >>> _ = G.add_edge("R", "N", relation="shareholding", share=15.0, claim="c15",
    ...                spans=[["2008-01-01", None, "in force"]], why="z")
    >>> [(r["date"], r["change"], r["value_before"], r["value"])
    ...  for r in changes(G, "2005-01-01", "2009-01-01")]
    [('2006-01-01', 'change', '43%', '8.7%'), ('2008-01-01', 'change', '8.7%', '15%')]
    """
    lo, hi = iso_date(start), iso_date(end)
    assert lo is not None and hi is not None
    events: list[tuple[date, str, Claim, str]] = []
    for claim in claims_of(G).values():
        data = claim.data
        instant = iso_date(data.get("instant"))
        if instant is not None and lo < instant <= hi:
            events.append((instant, "event", claim, "in force"))
        for first, last, standing in data.get("spans") or []:
            begin, stop = iso_date(first), iso_date(last)
            if begin is not None and lo < begin <= hi:
                events.append((begin, "start", claim, standing))
            if stop is not None and lo < stop <= hi:
                events.append((stop, "end", claim, standing))
    names = {
        ("start", "in force"): "starts",
        ("end", "in force"): "ends",
        ("start", "planned"): "planned",
        ("end", "planned"): "plan ends",
        ("start", "reported"): "reported",
        ("end", "reported"): "report ends",
    }
    rows: list[dict[str, Any]] = []
    paired: set[int] = set()
    for i, (day, kind, claim, standing) in enumerate(events):
        if kind != "end" or standing != "in force":
            continue
        for j, (day2, kind2, other, standing2) in enumerate(events):
            if (
                j not in paired
                and kind2 == "start"
                and standing2 == "in force"
                and day2 == day
                and _key(other) == _key(claim)
            ):
                paired.update((i, j))
                row = _row("change", G, other, before=claim, after=other)
                row.update(date=day.isoformat(), value=_value(other.data),
                           value_before=_value(claim.data), standing=standing,
                           why=other.data.get("why"))  # fmt: skip
                rows.append(row)
                break
    for i, (day, kind, claim, standing) in enumerate(events):
        if i in paired:
            continue
        change = "event" if kind == "event" else names.get((kind, standing), kind)
        row = _row(
            change,
            G,
            claim,
            before=claim if kind == "end" else None,
            after=claim if kind != "end" else None,
        )
        row.update(
            date=day.isoformat(),
            value=_value(claim.data) if kind != "end" else None,
            value_before=_value(claim.data) if kind == "end" else None,
            standing=standing,
            why=claim.data.get("why"),
        )
        rows.append(row)
    return sorted(
        rows,
        key=lambda r: (r["date"], r["relation"], str(r["subject"]), str(r["object"]), r["change"]),
    )
