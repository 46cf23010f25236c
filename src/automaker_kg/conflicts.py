"""Claims from different sources that disagree: listed, never merged or dropped.

Two claims come from *different sources* when no source document is behind both (a claim's
documents are the ``oa:hasSource`` of its ``prov:wasDerivedFrom``). Entity resolution has
already made one node of each company (:mod:`automaker_kg.resolve`), so "the same relation"
means the same IRIs. Both claims stay in the graph; views and queries show both.

**Equity stakes** about the same holder, target and interest type are compared pairwise:

Only claims of the same standing are compared (:func:`automaker_kg.temporal.role_of`):
facts with facts, plans with plans. A plan beside a fact is no disagreement — a plan later
confirmed by a fact of the same value, or a fact a plan would change, is a resolution — and
an end date a sheet took from the claim superseding it (a plan's expected day) is not the
claim's own.

``share``
    the shares cannot both be right, even within the precision each is stated with (15% vs
    20%; an exact share outside the other's range)
    while the claims may hold on a common day. Not a disagreement: validity periods that cannot
    overlap; a change over time that an open end allows (a stake "from June 2023" with no end
    and another source's different stake "from March 2025"); a pair one of which
    ``akg:supersedes`` the other; and a share difference that is a date disagreement in
    disguise (the other source also has a claim of this share, at other dates: seed 15% from
    June 2023 vs another source's 43.4% until November 2023, when that source has 15% from
    November 2023 too; the date disagreement is reported on the 15% pair).
``precision``
    the shares differ only within the precision of the coarser (43% and 43.4%): listed with
    the verdict "agree within precision", both sides kept.
``dates``
    the shares are the same (equal exact shares, or equal ranges: a range that merely holds
    the other's exact share says less, not something else) and the claims may overlap, but a
    start or an end both give differs beyond the precision each is given at (15% expected
    from June 2023, month precision, vs 15% from 8 November 2023). An end or start only one
    source gives is no disagreement.
``ended``
    one source ends the relation (a register closed the record) and another, published
    after that end, still reports it as held with no end: listed with both sides, whatever
    the shares (a register's 75–100% and an article's 80% otherwise agree).
``status``
    the shares are the same and the claims may overlap, but the sources stand behind them
    differently (a plan in one, an official statement in the other; see :data:`STANDING`:
    official and historical both state a fact, reported and allegation attribute it to
    someone).

A pair may have several kinds. **Joint ventures**: for each venture, each source's set of
partners (``akg:JointVentureParticipation``) is compared with every other source's; sets
that differ give a ``partners`` conflict naming who only one source lists.

Each side carries its claims, documents, named graphs, status, share or partners, validity and
evidence (``<document>#<start>-<end>`` for text offsets, ``<document>#<JSON pointer or XPath>``
for imported records).

>>> from automaker_kg.build import load_graph
>>> conflicts = find_conflicts(load_graph())
>>> all(not set(c.a.documents) & set(c.b.documents) for c in conflicts)  # never one source
True
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any

from rdflib import Literal
from rdflib.namespace import RDF, TIME

from automaker_kg.graphstore import Source
from automaker_kg.namespaces import AKG, GRAPH, STATUS
from automaker_kg.temporal import ClaimTime, agree, parse_day, role_of, value_width

__all__ = [
    "Side",
    "Conflict",
    "Share",
    "find_conflicts",
    "find_resolutions",
    "conflict_rows",
    "graph_rows",
    "KINDS",
    "COLUMNS",
    "RESOLUTION_COLUMNS",
]

KINDS = ("share", "precision", "dates", "status", "ended", "partners")


STANDING: dict[str, str] = {
    "official": "fact",
    "historical": "fact",
    "reported": "attributed",
    "allegation": "attributed",
    "plan": "plan",
    "floated": "floated",
}
"""How firmly a source stands behind a claim, by status: an official statement and a
historical fact both state it as fact, so they do not disagree on status; a plan and an
official statement do."""

_STAKES = """
SELECT ?claim ?holder ?target ?interest ?status ?label ?exact ?min ?max ?min_x ?max_x
       ?from ?to ?from_p ?to_p
WHERE {
  ?claim a akg:EquityStake ; akg:holder ?holder ; akg:target ?target ;
         akg:interestType ?interest ; akg:status ?status .
  OPTIONAL { ?claim rdfs:label ?label }
  OPTIONAL { ?claim akg:shareExact ?exact }
  OPTIONAL { ?claim akg:shareMinimum ?min }
  OPTIONAL { ?claim akg:shareMaximum ?max }
  OPTIONAL { ?claim akg:shareMinimumExclusive ?min_x }
  OPTIONAL { ?claim akg:shareMaximumExclusive ?max_x }
  OPTIONAL { ?claim akg:validFrom ?from }
  OPTIONAL { ?claim akg:validTo ?to }
  OPTIONAL { ?claim akg:validFromPrecision ?from_p }
  OPTIONAL { ?claim akg:validToPrecision ?to_p }
}
"""
_VENTURES = """
SELECT ?claim ?partner ?venture ?status ?label ?from ?to ?from_p ?to_p WHERE {
  ?claim a akg:JointVentureParticipation ; org:member ?partner ; org:organization ?venture ;
         akg:status ?status .
  OPTIONAL { ?claim rdfs:label ?label }
  OPTIONAL { ?claim akg:validFrom ?from }
  OPTIONAL { ?claim akg:validTo ?to }
  OPTIONAL { ?claim akg:validFromPrecision ?from_p }
  OPTIONAL { ?claim akg:validToPrecision ?to_p }
}
"""
_EVIDENCE = """
SELECT ?claim ?document ?start ?end ?where WHERE {
  VALUES ?class { akg:EquityStake akg:JointVentureParticipation }
  ?claim a ?class ; prov:wasDerivedFrom ?resource .
  ?resource oa:hasSource ?document .
  OPTIONAL { ?resource oa:hasSelector ?selector .
             OPTIONAL { ?selector oa:start ?start ; oa:end ?end }
             OPTIONAL { ?selector rdf:value ?where } }
}
"""
_PUBLISHED = """
SELECT ?claim (MAX(?date) AS ?published) WHERE {
  ?claim a akg:EquityStake ; prov:wasDerivedFrom/oa:hasSource ?document .
  ?document dcterms:date ?date .
} GROUP BY ?claim
"""
_GRAPHS = """
SELECT DISTINCT ?claim ?graph WHERE {
  VALUES ?class { akg:EquityStake akg:JointVentureParticipation }
  GRAPH ?graph { ?claim a ?class }
}
"""
_CLASSES = (AKG.EquityStake, AKG.JointVentureParticipation)
_SUPERSEDES = "SELECT ?newer ?older WHERE { ?newer akg:supersedes+ ?older }"
#: The day each superseding claim starts (its validFrom, or the date of a dated event):
#: an end a sheet copied from it is that claim's knowledge (see automaker_kg.temporal).
_SUPERSEDER_DAYS = """
SELECT ?older ?day WHERE {
  ?newer akg:supersedes ?older .
  { ?newer akg:validFrom ?day } UNION { ?newer akg:date ?day }
}
"""
_LABELS = "SELECT ?entity ?label WHERE { ?entity rdfs:label ?label }"

_UNITS = {str(TIME.unitDay): "day", str(TIME.unitMonth): "month", str(TIME.unitYear): "year"}


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Share:
    """A stake's size as an interval of percent: exact (``low == high``) or a range."""

    low: Decimal = Decimal(0)
    high: Decimal = Decimal(100)
    low_inclusive: bool = True
    high_inclusive: bool = True

    @classmethod
    def of(cls, exact=None, minimum=None, maximum=None, min_x=None, max_x=None) -> Share:
        if exact is not None:
            return cls(Decimal(str(exact)), Decimal(str(exact)))
        return cls(
            Decimal(str(minimum)) if minimum is not None else Decimal(0),
            Decimal(str(maximum)) if maximum is not None else Decimal(100),
            not bool(min_x),
            not bool(max_x),
        )

    def agrees(self, other: Share) -> bool:
        """True when one share could satisfy both.

        >>> Share.of(43).agrees(Share.of(Decimal("43.4")))
        False
        >>> Share.of(43).agrees(Share.of(minimum=0, min_x=True))
        True
        """
        low = max((self.low, not self.low_inclusive), (other.low, not other.low_inclusive))
        high = min((self.high, self.high_inclusive), (other.high, other.high_inclusive))
        if low[0] != high[0]:
            return low[0] < high[0]
        return not low[1] and high[1]

    def __str__(self) -> str:
        def num(value: Decimal) -> str:
            return f"{value.normalize():f}"

        if self.low == self.high:
            return f"{num(self.low)}%"
        if (self.low, self.low_inclusive) == (0, True) and (self.high, self.high_inclusive) == (
            100,
            True,
        ):
            return "unknown"
        if self.high == 100 and self.high_inclusive:
            return f"{'≥' if self.low_inclusive else '>'}{num(self.low)}%"
        if self.low == 0 and self.low_inclusive:
            return f"{'≤' if self.high_inclusive else '<'}{num(self.high)}%"
        return f"{num(self.low)}–{num(self.high)}%"


@dataclass(frozen=True)
class Bound:
    """A validity bound: a date and the precision it is given at."""

    day: dt.date
    unit: str = "day"

    @property
    def after(self) -> dt.date:
        """The first day after the period the bound may stand for."""
        return self.last + dt.timedelta(days=1)

    @property
    def last(self) -> dt.date:
        """The last day the bound may stand for (end of its month or year)."""
        if self.unit == "year":
            return dt.date(self.day.year, 12, 31)
        if self.unit == "month":
            following = dt.date(self.day.year + self.day.month // 12, self.day.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return self.day

    def agrees(self, other: Bound) -> bool:
        """True when both can name one day (month precision covers the month).

        >>> Bound(dt.date(2023, 6, 1), "month").agrees(Bound(dt.date(2023, 6, 20)))
        True
        >>> Bound(dt.date(2023, 6, 1), "month").agrees(Bound(dt.date(2023, 11, 8)))
        False
        """
        return self.day <= other.last and other.day <= self.last

    def __str__(self) -> str:
        if self.unit == "year":
            return str(self.day.year)
        if self.unit == "month":
            return self.day.strftime("%Y-%m")
        return self.day.isoformat()


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class _Claim:
    iri: str
    label: str
    status: str
    documents: tuple[str, ...]
    graphs: tuple[str, ...]
    evidence: tuple[str, ...]
    start: Bound | None
    end: Bound | None
    share: Share | None = None
    published: dt.date | None = None
    """The latest publication date of the claim's documents, when they give one."""

    def may_overlap(self, other: _Claim) -> bool:
        """Some day may fall in both validity periods (open bounds are unknown)."""
        return _before(self.start, other.end) and _before(other.start, self.end)

    def may_succeed(self, other: _Claim) -> bool:
        """``self`` may simply come after ``other``: other's end is not given and self
        starts later than other is known to start."""
        if other.end is not None or self.start is None:
            return False
        return other.start is None or other.start.last < self.start.day


def _before(start: Bound | None, end: Bound | None) -> bool:
    """Can a period starting at ``start`` include a day before the exclusive ``end``?

    A month- or year-precision end may fall on the period's last day, so the claim may hold
    until then (June 2023 as an end: possibly up to 30 June).
    """
    if start is None or end is None:
        return True
    return start.day < end.after


@dataclass(frozen=True)
class Side:
    """One source's side of a conflict."""

    claims: tuple[str, ...]
    label: str
    documents: tuple[str, ...]
    graphs: tuple[str, ...]
    status: str
    value: str
    """The share (``43%``) or the partners (``Geely Holding, Renault``)."""
    valid_from: str | None
    valid_to: str | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    """Two sources that disagree about one relation, and how."""

    kinds: tuple[str, ...]
    """Of :data:`KINDS`: share, dates, status, partners."""
    relation: str
    """``equity stake`` or ``joint-venture partners``."""
    subject: str
    """What it is about, in words (``Renault → Nissan, shareholding``)."""
    subject_iris: tuple[str, ...]
    a: Side
    b: Side
    note: str = ""
    supersedes: bool = False
    """One side's claim ``akg:supersedes`` the other's (the change was acknowledged)."""
    verdict: str = "conflict"
    """``conflict``, or ``agree within precision`` (43% and 43.4%: kept, shown agreeing)."""


# --------------------------------------------------------------------------- reading


def _select(source: Source, sparql: str) -> list[dict]:
    from automaker_kg.queries import select

    return select(source, sparql)


def graph_rows(
    source: Source, sparql: str, var: str, classes: Iterable[Any]
) -> list[tuple[str, str]]:
    """``(node, named graph)`` for nodes typed with one of ``classes`` (any class when
    empty) in a named graph.

    Oxigraph answers the ``GRAPH ?graph`` query; an rdflib ``Dataset`` is walked graph by
    graph (rdflib's ``GRAPH ?g`` goes through a deprecated API); a plain ``Graph`` has none.
    """
    import rdflib
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if isinstance(source, rdflib.Dataset):
        pairs = []
        for graph in source.graphs():
            if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
                continue
            wanted = set(classes)
            pairs += [
                (str(n), str(graph.identifier))
                for n, c in graph.subject_objects(RDF.type)
                if not wanted or c in wanted
            ]
        return pairs
    if isinstance(source, rdflib.Graph):
        return []
    return [(str(r[var]), str(r["graph"])) for r in _select(source, sparql)]


def _bound(row: dict, key: str, unit_key: str) -> Bound | None:
    day = parse_day(row.get(key))
    if day is None:
        return None
    return Bound(day, _UNITS.get(str(row.get(unit_key)), "day"))


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        prefix = str(GRAPH[""])
        self.documents: dict[str, set[str]] = defaultdict(set)
        self.evidence: dict[str, set[str]] = defaultdict(set)
        for row in _select(source, _EVIDENCE):
            claim, doc = str(row["claim"]), str(row["document"])
            self.documents[claim].add(doc)
            if "start" in row and "end" in row:
                self.evidence[claim].add(f"{doc}#{row['start']}-{row['end']}")
            elif "where" in row:
                self.evidence[claim].add(f"{doc}#{row['where']}")
            else:
                self.evidence[claim].add(doc)
        self.graphs: dict[str, set[str]] = defaultdict(set)
        for claim, graph in graph_rows(source, _GRAPHS, "claim", _CLASSES):
            self.graphs[claim].add(graph.removeprefix(prefix))
        self.supersedes = {(str(r["newer"]), str(r["older"])) for r in _select(source, _SUPERSEDES)}
        self.borrowed: dict[str, set[dt.date]] = defaultdict(set)
        for row in _select(source, _SUPERSEDER_DAYS):
            day = parse_day(row.get("day"))
            if day is not None:
                self.borrowed[str(row["older"])].add(day)
        self.published = {
            str(row["claim"]): day
            for row in _select(source, _PUBLISHED)
            if (day := parse_day(row.get("published"))) is not None
        }
        self.labels: dict[str, str] = {}
        for row in _select(source, _LABELS):
            entity, text = str(row["entity"]), str(row["label"])
            if entity not in self.labels or text < self.labels[entity]:
                self.labels[entity] = text

    def label(self, iri: Any) -> str:
        return self.labels.get(str(iri), str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1])

    def claim(self, row: dict, share: Share | None = None) -> _Claim:
        iri = str(row["claim"])
        documents = self.documents.get(iri) or self.graphs.get(iri) or {iri}
        return _Claim(
            iri=iri,
            label=str(row.get("label", "")),
            status=STATUS.get(str(row["status"]), str(row["status"])),
            documents=tuple(sorted(documents)),
            graphs=tuple(sorted(self.graphs.get(iri, ()))),
            evidence=tuple(sorted(self.evidence.get(iri, ()))),
            start=_bound(row, "from", "from_p"),
            end=self._own_end(iri, _bound(row, "to", "to_p")),
            share=share,
            published=self.published.get(iri),
        )

    def _own_end(self, iri: str, end: Bound | None) -> Bound | None:
        """The claim's end, unless it is the start of a claim superseding it (borrowed)."""
        if end is not None and end.day in self.borrowed.get(iri, ()):
            return None
        return end

    def linked(self, a: str, b: str) -> bool:
        return (a, b) in self.supersedes or (b, a) in self.supersedes


def _side(claims: Iterable[_Claim], value: str) -> Side:
    claims = list(claims)
    one = claims[0] if len(claims) == 1 else None
    return Side(
        claims=tuple(c.iri for c in claims),
        label=one.label if one else "; ".join(sorted({c.label for c in claims if c.label})),
        documents=tuple(sorted({d for c in claims for d in c.documents})),
        graphs=tuple(sorted({g for c in claims for g in c.graphs})),
        status=", ".join(sorted({c.status for c in claims})),
        value=value,
        valid_from=str(one.start) if one and one.start else None,
        valid_to=str(one.end) if one and one.end else None,
        evidence=tuple(sorted({e for c in claims for e in c.evidence})),
    )


# --------------------------------------------------------------------------- stakes


def _date_disagreement(a: _Claim, b: _Claim) -> bool:
    for x, y in ((a.start, b.start), (a.end, b.end)):
        if x is not None and y is not None and not x.agrees(y):
            return True
    return False


def _agreeing(claims: list[_Claim], claim: _Claim, documents: set[str]) -> bool:
    """Some other claim from ``documents`` has ``claim``'s share and may overlap it."""
    return any(
        set(other.documents) & documents
        and other.share.agrees(claim.share)  # type: ignore[union-attr, arg-type]
        and other.may_overlap(claim)
        for other in claims
        if other.iri != claim.iri
    )


def _still_reported(ended: _Claim, later: _Claim, claims: list[_Claim]) -> str | None:
    """Why ``later`` contradicts the end of ``ended`` (a register closed the relation, an
    article published after the closing still reports it), or None.

    ``later`` has no end, started (if it says) before ``ended``'s end, and comes from a
    source published after that end, beyond its precision; and no claim of ``ended``'s
    sources holds the relation again at that publication date.
    """
    end, published = ended.end, later.published
    if end is None or later.end is not None or published is None or published < end.after:
        return None
    if later.start is not None and later.start.day >= end.day:
        return None  # a new relation after the end, not the old one
    again = [
        c
        for c in claims
        if set(c.documents) & set(ended.documents)
        and c.iri != ended.iri
        and (c.start is None or c.start.day <= published)
        and (c.end is None or c.end.day > published)
    ]
    if again:
        return None
    return (
        f"one source ends the relation on {end} ({ended.share}); another, published "
        f"{published.isoformat()}, still reports it ({later.share})"
    )


def _stake_conflicts(reader: _Reader) -> list[Conflict]:
    groups: dict[tuple[str, str, str], list[_Claim]] = defaultdict(list)
    for row in _select(reader.source, _STAKES):
        share = Share.of(
            row.get("exact"), row.get("min"), row.get("max"), _true(row.get("min_x")),
            _true(row.get("max_x")),
        )  # fmt: skip
        key = (str(row["holder"]), str(row["target"]), str(row["interest"]))
        claim = reader.claim(row, share)
        if all(c.iri != claim.iri for c in groups[key]):
            groups[key].append(claim)
    found: list[Conflict] = []
    for (holder, target, interest), claims in sorted(groups.items()):
        subject = f"{reader.label(holder)} → {reader.label(target)}, {reader.label(interest)}"

        for a, b in combinations(sorted(claims, key=lambda c: c.iri), 2):
            if set(a.documents) & set(b.documents) or not a.may_overlap(b):
                continue
            assert a.share is not None and b.share is not None
            if role_of(a.status) != role_of(b.status):
                # a plan (or a report) beside a fact is no disagreement: a plan later
                # confirmed by a fact, or a fact a plan would change (docs/time.md)
                continue
            kinds: list[str] = []
            verdict = "conflict"
            linked = reader.linked(a.iri, b.iri)
            ended = (
                None if linked else _still_reported(a, b, claims) or _still_reported(b, a, claims)
            )
            if ended:
                found.append(
                    Conflict(
                        kinds=("ended",),
                        relation="equity stake",
                        subject=subject,
                        subject_iris=(holder, target, interest),
                        a=_side([a], str(a.share)),
                        b=_side([b], str(b.share)),
                        note=ended,
                    )
                )
                continue
            if not a.share.agrees(b.share):
                explained = (
                    linked
                    or a.may_succeed(b)
                    or b.may_succeed(a)
                    or _agreeing(claims, a, set(b.documents))
                    or _agreeing(claims, b, set(a.documents))
                )
                if explained:
                    continue
                if agree(_record(a), _record(b)):
                    kinds.append("precision")
                    verdict = "agree within precision"
                else:
                    kinds.append("share")
            elif a.share != b.share:
                continue  # one is vaguer (a range holding the other): nothing to compare
            if _date_disagreement(a, b):
                kinds.append("dates")
            if STANDING.get(a.status, a.status) != STANDING.get(b.status, b.status):
                kinds.append("status")
            if not kinds:
                continue
            found.append(
                Conflict(
                    kinds=tuple(kinds),
                    relation="equity stake",
                    subject=subject,
                    subject_iris=(holder, target, interest),
                    a=_side([a], str(a.share)),
                    b=_side([b], str(b.share)),
                    note=_note(a, b, kinds),
                    supersedes=linked,
                    verdict=verdict,
                )
            )
    return found


def _record(claim: _Claim) -> ClaimTime:
    share = claim.share
    if share is not None and share.low == share.high:
        return ClaimTime(claim.iri, value=(float(share.low), None, None))
    if share is None:
        return ClaimTime(claim.iri)
    return ClaimTime(claim.iri, value=(None, float(share.low), float(share.high)))


def _note(a: _Claim, b: _Claim, kinds: list[str]) -> str:
    if "precision" in kinds:
        coarse = max((a, b), key=lambda claim: value_width(_record(claim)))
        return (
            f"{a.share} and {b.share} agree at the precision {coarse.share} is stated with:"
            " a difference of precision, not a disagreement"
        )
    return f"{a.share} vs {b.share}" if "share" in kinds else ""


def _true(value: Any) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


# --------------------------------------------------------------------------- joint ventures


def _venture_conflicts(reader: _Reader) -> list[Conflict]:
    by_venture: dict[str, dict[tuple[str, ...], list[tuple[str, _Claim]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in _select(reader.source, _VENTURES):
        claim = reader.claim(row)
        by_venture[str(row["venture"])][claim.documents].append((str(row["partner"]), claim))
    found: list[Conflict] = []
    for venture, sources in sorted(by_venture.items()):
        for (docs_a, items_a), (docs_b, items_b) in combinations(sorted(sources.items()), 2):
            if set(docs_a) & set(docs_b):
                continue
            partners_a = {p for p, _ in items_a}
            partners_b = {p for p, _ in items_b}
            if partners_a == partners_b:
                continue

            def names(iris: Iterable[str]) -> str:
                return ", ".join(sorted(reader.label(i) for i in iris)) or "none"

            note = (
                f"only in A: {names(partners_a - partners_b)}; "
                f"only in B: {names(partners_b - partners_a)}"
            )
            found.append(
                Conflict(
                    kinds=("partners",),
                    relation="joint-venture partners",
                    subject=reader.label(venture),
                    subject_iris=(venture,),
                    a=_side(_unique(c for _, c in items_a), names(partners_a)),
                    b=_side(_unique(c for _, c in items_b), names(partners_b)),
                    note=note,
                )
            )
    return found


def _unique(claims: Iterable[_Claim]) -> list[_Claim]:
    seen: dict[str, _Claim] = {}
    for claim in claims:
        seen.setdefault(claim.iri, claim)
    return [seen[k] for k in sorted(seen)]


# --------------------------------------------------------------------------- API


def find_conflicts(source: Source) -> list[Conflict]:
    """Every disagreement between sources in a built store or a loaded graph.

    Parameters
    ----------
    source : a ``pyoxigraph.Store`` (the built store) or an rdflib ``Graph``/``Dataset``.

    Returns
    -------
    list of Conflict: stakes first (by holder, target, interest type), then joint ventures.
    """
    reader = _Reader(source)
    return _stake_conflicts(reader) + _venture_conflicts(reader)


COLUMNS = [
    "verdict", "kinds", "relation", "subject", "note", "a_value", "b_value", "a_status", "b_status",
    "a_valid_from", "a_valid_to", "b_valid_from", "b_valid_to", "a_source", "b_source",
    "a_claim", "b_claim", "a_label", "b_label", "a_graph", "b_graph", "a_evidence",
    "b_evidence", "supersedes",
]  # fmt: skip
"""The columns of :func:`conflict_rows`."""


def conflict_rows(conflicts: Iterable[Conflict]) -> list[dict[str, Any]]:
    """Flatten conflicts to rows of :data:`COLUMNS` (lists joined with spaces)."""
    rows = []
    for c in conflicts:
        row: dict[str, Any] = {
            "verdict": c.verdict,
            "kinds": ", ".join(c.kinds),
            "relation": c.relation,
            "subject": c.subject,
            "note": c.note,
            "supersedes": c.supersedes,
        }
        for prefix, side in (("a", c.a), ("b", c.b)):
            row[f"{prefix}_value"] = side.value
            row[f"{prefix}_status"] = side.status
            row[f"{prefix}_valid_from"] = side.valid_from
            row[f"{prefix}_valid_to"] = side.valid_to
            row[f"{prefix}_source"] = " ".join(side.documents)
            row[f"{prefix}_claim"] = " ".join(side.claims)
            row[f"{prefix}_label"] = side.label
            row[f"{prefix}_graph"] = " ".join(side.graphs)
            row[f"{prefix}_evidence"] = " ".join(side.evidence)
        rows.append(row)
    return rows


RESOLUTION_COLUMNS = [
    "verdict", "relation", "subject", "object", "claim", "status", "source", "settled_by",
    "settled_status", "settled_source", "rule", "label",
]  # fmt: skip
"""The columns of :func:`find_resolutions`."""


def find_resolutions(source: Source) -> list[dict[str, Any]]:
    """Claims a later source settled — listed apart from conflicts, since they are none.

    A plan completed by a fact, replaced by a later plan or cancelled by an event; a fact
    changed by a later one; an investment said to go ahead and later called off: for every
    claim kind, each claim a claim of *another* document supersedes (explicitly or by the
    rules of :mod:`automaker_kg.temporal`), with the rule that settled it.
    """
    from automaker_kg.projections import project

    G = project(source, "all")
    edges: dict[str, tuple[Any, Any, dict[str, Any]]] = {}
    for u, v, data in G.edges(data=True):
        edges.setdefault(str(data.get("claim")), (u, v, data))
    rows = []
    for claim, (u, v, data) in sorted(edges.items()):
        for newer in data.get("superseded_by") or []:
            settled = edges.get(newer, (None, None, {}))[2]
            if settled.get("source") and settled.get("source") == data.get("source"):
                continue  # one source correcting itself
            rows.append(
                {
                    "verdict": "resolved",
                    "relation": data.get("relation"),
                    "subject": G.nodes[u].get("label", u),
                    "object": G.nodes[v].get("label", v),
                    "claim": claim,
                    "status": data.get("status"),
                    "source": data.get("source"),
                    "settled_by": newer,
                    "settled_status": settled.get("status"),
                    "settled_source": settled.get("source"),
                    "rule": data.get("why"),
                    "label": data.get("label"),
                }
            )
    return rows
