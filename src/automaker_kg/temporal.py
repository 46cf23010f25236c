"""What holds when, as known when: the one place the project decides which claims hold.

Every surface that answers "as of" a date (``project(as_of=…, known_on=…)`` and so
``ownership``, ``shares``, ``facts``, ``path``, the views, ``diff``, ``conflicts``, the
summary and the endpoint's derived graph) asks this module. It reads plain
:class:`ClaimTime` records and no RDF, so its rules can be tested on hand-made claims.

Two dates frame every answer: the *valid date* ``V`` (the day the answer is about) and the
*knowledge date* ``K`` (answer only from sources published on or before ``K``). The rules,
in the order they are applied (``docs/time.md`` works them through the storyline):

1. **Knowledge** — a claim is known from the publication date of its earliest document, at
   the document date's precision (a year-precision date counts from 1 January, a month from
   its first day). Claims published after ``K`` are not seen at all.
2. **Standing** — official statements and historical facts are *in force*; plans, floated
   targets and expectations are *planned*; reports by unnamed sources and allegations are
   *reported*. Only facts in force answer "what holds"; the others are shown beside them.
3. **Start** — a fact holds from its ``validFrom`` (a dated event from its ``date``); with
   neither, from its source's publication date, never before. Nothing holds for an entity
   before its founding, where a founding claim records it. A plan (or report) is shown from
   the day it was first published: that is when it was current.
4. **End** — a claim ends at its ``validTo`` (exclusive). A claim whose start equals its end
   is an *instant*: a recorded fact about a moment, never in force. An end that is the start
   of a claim superseding this one is that claim's knowledge (a plan's expected date, or a
   later report's day): it counts only through rule 5, once that claim is known.
5. **Supersession** (every claim kind) — a later claim that supersedes an earlier one ends it
   when it reports a change, a completion or a cancellation: a fact (or a dated event) ends
   the superseded claim at its own start; a plan ends a superseded plan from the day it was
   published (a plan replaced); a plan never ends a fact, however recent.
6. **Change** — for claims about the same subject (a stake: holder, target, interest), a
   fact in force ends where a later-starting fact that disagrees with it begins; a plan ends
   where a fact of its value begins once the plan was made (a completion no sheet linked).
7. **Agreement** — two values agree when they are equal within the precision each is stated
   with (43 agrees with 43.4: whole-number rounding; 15 and 20 disagree); ranges agree when
   they overlap; an unknown value agrees with anything. Of several facts in force on a day,
   the agreeing ones are one answer (the most precise shown); disagreeing ones are a conflict
   and are all kept.

Examples
--------
>>> from datetime import date
>>> fact = ClaimTime("c43", status="historical", published=date(2023, 1, 1),
...                  subject=("R", "N", "shareholding"), value=(43.0, None, None))
>>> plan = ClaimTime("p15", status="plan", published=date(2023, 1, 1),
...                  valid_from=date(2023, 6, 1), supersedes=("c43",),
...                  subject=("R", "N", "shareholding"), value=(15.0, None, None))
>>> done = ClaimTime("f15", status="official", published=date(2023, 11, 8),
...                  valid_from=date(2023, 11, 8), supersedes=("p15",),
...                  subject=("R", "N", "shareholding"), value=(15.0, None, None))
>>> t = resolve([fact, plan, done])
>>> [(k, t[k].on(date(2023, 7, 1))) for k in sorted(t)]
[('c43', 'in force'), ('f15', None), ('p15', 'planned')]
>>> [(k, t[k].on(date(2024, 1, 1))) for k in sorted(t)]
[('c43', None), ('f15', 'in force'), ('p15', None)]
>>> t2 = resolve([fact, plan, done], known_on=date(2023, 3, 1))
>>> sorted(t2), t2["c43"].on(date(2024, 1, 1)), t2["p15"].on(date(2024, 1, 1))
(['c43', 'p15'], 'in force', 'planned')
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from automaker_kg.errors import ParameterError

_Date = date

__all__ = [
    "IN_FORCE",
    "PLANNED",
    "REPORTED",
    "STANDINGS",
    "ClaimTime",
    "Span",
    "Standing",
    "Choice",
    "Segment",
    "segments",
    "alone",
    "role_of",
    "resolve",
    "choose",
    "agree",
    "value_interval",
    "share_range",
    "value_width",
    "format_share",
    "iso_date",
    "parse_day",
    "parameter_date",
]

IN_FORCE = "in force"
PLANNED = "planned"
REPORTED = "reported"
STANDINGS = (IN_FORCE, PLANNED, REPORTED)

#: Statuses (the projection's short names) and the standing a claim of that status has.
_ROLE = {
    "official": IN_FORCE,
    "historical": IN_FORCE,
    "plan": PLANNED,
    "floated": PLANNED,
    "reported": REPORTED,
    "allegation": REPORTED,
}


def role_of(status: str | None) -> str:
    """The standing a claim of this status has: in force, planned or reported.

    >>> role_of("official"), role_of("plan"), role_of("reported"), role_of(None)
    ('in force', 'planned', 'reported', 'in force')
    """
    return _ROLE.get(status or "", IN_FORCE)


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def iso_date(value: object) -> date | None:
    """The calendar date an ISO 8601 date or date-time starts with, as written (no zone shift).

    The one reader of dates in data: a string (``2023-11-08``, ``2023-11-08T09:00:00+09:00``),
    an ``xsd:date`` or ``xsd:dateTime`` literal (read through its text), a ``date`` or a
    ``datetime``; ``None`` or an empty string gives ``None``. A value that starts with no
    valid ``YYYY-MM-DD`` raises ValueError.

    >>> iso_date("2023-11-08T09:00:00+09:00")
    datetime.date(2023, 11, 8)
    >>> from rdflib import Literal, XSD
    >>> iso_date(Literal("2023-02-06", datatype=XSD.date))
    datetime.date(2023, 2, 6)
    >>> iso_date("") is None
    True
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _ISO_DATE.match(str(value))
    if not match:
        raise ValueError(f"{value!s} is not an ISO date (YYYY-MM-DD)")
    return date(*(int(g) for g in match.groups()))


def parse_day(value: object) -> date | None:
    """:func:`iso_date`, with ``None`` for what does not read as a date (a bound counts as open).

    >>> parse_day("2023-06-01"), parse_day(None), parse_day("unknown")
    (datetime.date(2023, 6, 1), None, None)
    """
    try:
        return iso_date(value)
    except ValueError:
        return None


def parameter_date(value: object, name: str = "as_of") -> date | None:
    """A date a user gave (``--as-of``, ``as_of=``): a ``date`` or exactly an ISO date.

    Raises ParameterError naming ``name`` for anything else; ``None`` gives ``None``.

    >>> parameter_date("2023-06-01"), parameter_date(None)
    (datetime.date(2023, 6, 1), None)
    >>> parameter_date("2023-06-31", "known_on")
    Traceback (most recent call last):
    ...
    automaker_kg.errors.ParameterError: known_on '2023-06-31' is not an ISO date (YYYY-MM-DD)
    """
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError(f"{name} {value!r} is not an ISO date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class ClaimTime:
    """What the time rules read of one claim.

    ``published`` is the first day of the earliest document's date period; ``subject`` is
    shared by claims about the same thing (a stake: ``(holder, target, interest)``) and
    ``value`` is ``(exact, minimum, maximum)`` in percent, each possibly ``None``.
    """

    iri: str
    status: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    date: _Date | None = None  # (the field's name hides the type in the class body)
    published: _Date | None = None
    supersedes: tuple[str, ...] = ()
    subject: tuple[Hashable, ...] | None = None
    value: tuple[float | None, float | None, float | None] | None = None
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    """Valid dates ``start <= day < end`` on which a claim is shown, and how."""

    start: date | None
    end: date | None
    standing: str

    def contains(self, day: date) -> bool:
        if self.start is not None and day < self.start:
            return False
        return self.end is None or day < self.end

    def as_list(self) -> list[str | None]:
        """``[start, end, standing]`` with ISO dates, for JSON (the views' slider reads it)."""
        return [
            self.start.isoformat() if self.start else None,
            self.end.isoformat() if self.end else None,
            self.standing,
        ]


@dataclass
class Standing:
    """One claim as the rules see it at a knowledge date: when it is shown, and why."""

    claim: ClaimTime
    role: str
    known_from: date | None
    start: date | None
    end: date | None
    start_rule: str
    end_rule: str | None = None
    ended_by: str | None = None
    instant: date | None = None
    superseded_by: list[str] = field(default_factory=list)
    planned_change_by: list[str] = field(default_factory=list)

    @property
    def spans(self) -> list[Span]:
        """The valid-date intervals on which the claim is shown (empty for an instant)."""
        if self.instant is not None:
            return []
        if self.start is not None and self.end is not None and self.end <= self.start:
            return []
        return [Span(self.start, self.end, self.role)]

    def on(self, day: date) -> str | None:
        """The claim's standing on ``day`` (in force, planned, reported) or ``None``."""
        for span in self.spans:
            if span.contains(day):
                return span.standing
        return None

    def why(self) -> str:
        """One line: when the claim is shown and the rules that decided it."""
        if self.instant is not None:
            return f"an instant on {self.instant.isoformat()}: recorded, never in force"
        start = self.start.isoformat() if self.start else "always"
        end = self.end.isoformat() if self.end else "open"
        text = f"{self.role} from {start} ({self.start_rule}) until {end}"
        if self.end_rule:
            text += f" ({self.end_rule})"
        if self.planned_change_by:
            text += "; a planned change: " + ", ".join(self.planned_change_by)
        return text


def _decimals(x: float) -> int:
    exponent = Decimal(repr(float(x))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def value_interval(
    value: tuple[float | None, float | None, float | None] | None,
) -> tuple[float, float] | None:
    """The interval a stated value stands for: an exact figure widened by its rounding.

    >>> value_interval((43.0, None, None)), value_interval((None, 20.0, None))
    ((42.5, 43.5), (20.0, 100.0))
    >>> value_interval((43.4, None, None))
    (43.35, 43.45)
    >>> value_interval(None) is None, value_interval((None, None, None)) is None
    (True, True)
    """
    if value is None:
        return None
    exact, low, high = value
    if exact is not None:
        half = 0.5 * 10 ** (-_decimals(exact))
        return (round(exact - half, 10), round(exact + half, 10))
    return share_range(low, high)


def share_range(low: float | None, high: float | None) -> tuple[float, float] | None:
    """The range a stake without an exact share stands for: an open end is 0% or 100%.

    ``None`` when neither bound is given (a stake of unknown size).

    >>> share_range(20.0, None), share_range(None, 15.0), share_range(None, None)
    ((20.0, 100.0), (0.0, 15.0), None)
    """
    if low is None and high is None:
        return None
    return (float(low) if low is not None else 0.0, float(high) if high is not None else 100.0)


def agree(a: ClaimTime, b: ClaimTime) -> bool:
    """Do two claims state the same value, within the precision each is stated with?

    >>> agree(ClaimTime("a", value=(43.0, None, None)), ClaimTime("b", value=(43.4, None, None)))
    True
    >>> agree(ClaimTime("a", value=(15.0, None, None)), ClaimTime("b", value=(20.0, None, None)))
    False
    >>> agree(ClaimTime("a", value=(None, 75.0, 100.0)), ClaimTime("b", value=(80.0, None, None)))
    True
    """
    ia, ib = value_interval(a.value), value_interval(b.value)
    if ia is None or ib is None:
        return True
    return ia[0] <= ib[1] and ib[0] <= ia[1]


def value_width(c: ClaimTime) -> float:
    """Width of the interval a value stands for (smaller is more precise; unknown is widest).

    >>> value_width(ClaimTime("a", value=(43.0, None, None)))
    1.0
    """
    interval = value_interval(c.value)
    return 1000.0 if interval is None else interval[1] - interval[0]


def _earliest(days: Iterable[date | None]) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _start(c: ClaimTime, role: str, founded: Mapping[str, date]) -> tuple[date | None, str]:
    if role == IN_FORCE:
        if c.valid_from is not None:
            start, rule = c.valid_from, "its stated start"
        elif c.date is not None:
            start, rule = c.date, "the day of the event"
        elif c.published is not None:
            start, rule = c.published, "no start given: from its source's publication date"
        else:
            start, rule = None, "no start given and no dated source"
        births = [(founded[e], e) for e in c.entities if e in founded]
        if births:
            birth, entity = max(births)
            if start is None or birth > start:
                short = entity.rstrip("/").rsplit("/", 1)[-1]
                start, rule = birth, f"not before the founding of {short}"
        return start, rule
    if c.published is not None:
        return c.published, f"{role} from the day it was first published"
    return c.valid_from, f"{role}; no dated source"


def resolve(
    claims: Iterable[ClaimTime],
    *,
    known_on: date | None = None,
    founded: Mapping[str, date] | None = None,
) -> dict[str, Standing]:
    """Decide, as known on ``known_on`` (default: everything), when each claim is shown.

    Parameters
    ----------
    claims : the claims to place in time (those that supersede others included).
    known_on : only claims published on or before this day are seen.
    founded : founding day of entities; no fact about one holds before it.

    Returns
    -------
    dict
        claim IRI -> :class:`Standing`, for the claims known on ``known_on``.
    """
    founded = dict(founded or {})
    claims = list(claims)
    # An end a sheet took from the claim that supersedes it (the day a plan was to take
    # effect, or a later report's day) is that claim's knowledge, not this one's: rule 5
    # applies it when, and only if, that claim is known and reports a fact.
    borrowed: dict[str, set[date]] = {}
    for c in claims:
        for earlier in c.supersedes:
            for day in (c.valid_from, c.date):
                if day is not None:
                    borrowed.setdefault(earlier, set()).add(day)
    visible = {
        c.iri: c
        for c in claims
        if known_on is None or c.published is None or c.published <= known_on
    }
    out: dict[str, Standing] = {}
    for c in visible.values():
        role = role_of(c.status)
        start, rule = _start(c, role, founded)
        s = Standing(c, role, c.published, start, None, rule)
        if c.valid_to is not None and c.valid_to in borrowed.get(c.iri, ()):
            pass
        elif c.valid_to is not None:
            if c.valid_from is not None and c.valid_to <= c.valid_from:
                s.instant = c.valid_from
                s.end, s.end_rule = c.valid_to, "its start is its end: an instant"
            else:
                s.end, s.end_rule = c.valid_to, "its stated end"
        out[c.iri] = s

    def end_at(s: Standing, day: date | None, rule: str, by: str) -> None:
        if day is None:
            return
        if s.end is None or day < s.end:
            s.end, s.end_rule, s.ended_by = day, rule, by

    # 5. Supersession, for every claim kind.
    for new in out.values():
        for old_iri in new.claim.supersedes:
            old = out.get(old_iri)
            if old is None:
                continue
            short = new.claim.iri.rstrip("/").rsplit("/", 1)[-1]
            if new.role == IN_FORCE:
                old.superseded_by.append(new.claim.iri)
                day = new.instant or new.start
                if old.role == IN_FORCE:
                    what = "changed"
                elif agree(old.claim, new.claim):
                    what = "completed"
                else:
                    what = "dropped"
                if new.claim.date is not None and new.claim.valid_from is None:
                    what = "ended" if old.role == IN_FORCE else "cancelled"
                end_at(old, day, f"{what}: superseded by {short}", new.claim.iri)
            elif old.role == IN_FORCE:
                old.planned_change_by.append(new.claim.iri)
            else:
                old.superseded_by.append(new.claim.iri)
                end_at(old, new.known_from, f"replaced by {short}", new.claim.iri)

    # 6. Change: a later fact about the same subject that disagrees ends the earlier one;
    #    a fact of the plan's value, starting once the plan was made, completes it -- but
    #    never the fact the plan itself supersedes (the state it is to change: "holds 80.1%,
    #    will stay above half" is no completion of the second by the first).
    by_subject: dict[tuple[Hashable, ...], list[Standing]] = {}
    plans: dict[tuple[Hashable, ...], list[Standing]] = {}
    for s in out.values():
        if s.role == IN_FORCE and s.claim.subject is not None and s.instant is None:
            by_subject.setdefault(s.claim.subject, []).append(s)
        elif s.role == PLANNED and s.claim.subject is not None:
            plans.setdefault(s.claim.subject, []).append(s)
    for subject, planned in plans.items():
        for plan in planned:
            made = plan.known_from or plan.start
            confirming = [
                f
                for f in by_subject.get(subject, [])
                if f.start is not None
                and f.claim.iri not in plan.claim.supersedes
                and (made is None or f.start >= made)
                and f.claim.value is not None
                and plan.claim.value is not None
                and agree(f.claim, plan.claim)
            ]
            if confirming:
                first = min(confirming, key=lambda f: (f.start, f.claim.iri))
                short = first.claim.iri.rstrip("/").rsplit("/", 1)[-1]
                plan.superseded_by.append(first.claim.iri)
                end_at(plan, first.start, f"completed: a later fact of its value, {short}",
                       first.claim.iri)  # fmt: skip
    for facts in by_subject.values():
        facts.sort(key=lambda s: (s.start or date.min, s.claim.iri))
        for i, older in enumerate(facts):
            for newer in facts[i + 1 :]:
                if newer.start is None or older.start is None or newer.start <= older.start:
                    continue
                if agree(older.claim, newer.claim):
                    continue
                short = newer.claim.iri.rstrip("/").rsplit("/", 1)[-1]
                end_at(older, newer.start, f"changed: a later fact, {short}", newer.claim.iri)
                break
    return out


@dataclass
class Choice:
    """The answer for one subject on one day: the fact shown, those that agree, the rest."""

    chosen: Standing | None
    agreeing: list[Standing]
    conflicting: list[Standing]
    planned: list[Standing]
    reported: list[Standing]
    rule: str


def choose(standings: Iterable[Standing], day: date) -> Choice:
    """Which of one subject's claims answers for ``day``, and why.

    Facts in force are the answer; of several, the ones agreeing with the most recently
    published fact are one answer and the most precise of them is shown; facts that
    disagree with it are a conflict. Plans and reports shown that day come beside.
    """
    facts, planned, reported = [], [], []
    for s in standings:
        standing = s.on(day)
        if standing == IN_FORCE:
            facts.append(s)
        elif standing == PLANNED:
            planned.append(s)
        elif standing == REPORTED:
            reported.append(s)
    if not facts:
        rule = "no fact in force" + ("; planned only" if planned else "")
        return Choice(None, [], [], planned, reported, rule)
    facts.sort(key=lambda s: (s.known_from or date.min, s.start or date.min, s.claim.iri))
    latest = facts[-1]
    agreeing = [s for s in facts if agree(s.claim, latest.claim)]
    conflicting = [s for s in facts if s not in agreeing]
    chosen = min(
        agreeing, key=lambda s: (value_width(s.claim), -(s.known_from or date.min).toordinal())
    )
    if len(facts) == 1:
        rule = "the only fact in force"
    elif len(agreeing) > 1:
        rule = f"{len(agreeing)} facts agree within their precision; the most precise is shown"
    else:
        rule = "the most recently published fact"
    if conflicting:
        rule += f"; {len(conflicting)} disagreeing fact(s) kept as a conflict"
    return Choice(chosen, agreeing, conflicting, planned, reported, rule)


def format_share(exact: float | None, low: float | None = None, high: float | None = None) -> str:
    """A share as a reader writes it: ``15%``, ``≥20%``, ``≤15%``, ``75–100%``, ``?``.

    >>> format_share(43.4), format_share(None, 20), format_share(None, None, 15)
    ('43.4%', '≥20%', '≤15%')
    >>> format_share(None, 75, 100), format_share(None), format_share(15.0)
    ('75–100%', '?', '15%')

    A share under 0.01% keeps its first two significant digits, so that a small integrated
    range does not read as ``0–0%``:

    >>> format_share(None, 0.000123, 0.0041), format_share(0.004)
    ('0.00012–0.0041%', '0.004%')
    """

    def num(x: float) -> str:
        x = float(x)
        # two decimals, or two significant digits below 0.01 (at most 10 decimals, the
        # precision ownership figures are rounded to)
        places = 2 if x == 0 or abs(x) >= 0.01 else min(10, 1 - math.floor(math.log10(abs(x))))
        return f"{x:.{places}f}".rstrip("0").rstrip(".")

    if exact is not None:
        return f"{num(exact)}%"
    if low is not None and high is not None:
        return f"{num(low)}–{num(high)}%"
    if low is not None:
        return f"≥{num(low)}%"
    if high is not None:
        return f"≤{num(high)}%"
    return "?"


@dataclass(frozen=True)
class Segment:
    """A claim's span of valid dates as known over a span of knowledge dates.

    The claim is shown ``standing`` on valid dates ``[start, end)`` to anyone asking with a
    knowledge date in ``[known_from, known_until)`` (``None``: open).
    """

    claim: str
    standing: str
    start: date | None
    end: date | None
    known_from: date | None
    known_until: date | None


def _clusters(claims: list[ClaimTime]) -> list[list[ClaimTime]]:
    """Claims that can change each other's standing: linked by supersession or subject."""
    parent = {c.iri: c.iri for c in claims}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    first_of_subject: dict[tuple[Hashable, ...], str] = {}
    for c in claims:
        for old in c.supersedes:
            if old in parent:
                union(c.iri, old)
        if c.subject is not None:
            union(c.iri, first_of_subject.setdefault(c.subject, c.iri))
    groups: dict[str, list[ClaimTime]] = {}
    for c in claims:
        groups.setdefault(find(c.iri), []).append(c)
    return list(groups.values())


def alone(c: ClaimTime, founded: Mapping[str, date]) -> list[Segment]:
    """The rows of :func:`segments` for a claim no other claim can affect (it supersedes
    none, none supersedes it, it shares no subject): what :func:`resolve` gives it alone,
    seen from its publication on. Without the rules' explanations, for the millions of such
    claims a register gives.

    >>> [(s.standing, str(s.start), s.end) for s in alone(ClaimTime("a", status="plan",
    ...     published=date(2023, 1, 1), valid_from=date(2024, 1, 1)), {})]
    [('planned', '2023-01-01', None)]
    >>> alone(ClaimTime("i", valid_from=date(2020, 1, 1), valid_to=date(2020, 1, 1)), {})
    []
    """
    if c.valid_to is not None and c.valid_from is not None and c.valid_to <= c.valid_from:
        return []  # an instant (or an end before the start): never shown
    role = role_of(c.status)
    start, _ = _start(c, role, founded)
    end = c.valid_to
    if start is not None and end is not None and end <= start:
        return []
    return [Segment(c.iri, role, start, end, c.published, None)]


def segments(
    claims: Iterable[ClaimTime], *, founded: Mapping[str, date] | None = None
) -> list[Segment]:
    """Every claim's shown spans for every knowledge date: the bitemporal table.

    Claims are resolved in groups that can affect each other (supersession, same subject),
    once per day on which something in the group was published; consecutive knowledge
    periods with the same answer are merged. Querying the table for ``V`` and ``K`` gives
    what :func:`resolve` gives with ``known_on=K``, on ``V``.

    >>> a = ClaimTime("a", status="historical", published=date(2023, 1, 1),
    ...               subject=("R", "N", "s"), value=(43.0, None, None))
    >>> b = ClaimTime("b", status="official", published=date(2023, 11, 8),
    ...               valid_from=date(2023, 11, 8), supersedes=("a",),
    ...               subject=("R", "N", "s"), value=(15.0, None, None))
    >>> [(s.claim, str(s.end), str(s.known_from), str(s.known_until))
    ...  for s in segments([a, b])]  # doctest: +NORMALIZE_WHITESPACE
    [('a', 'None', '2023-01-01', '2023-11-08'), ('a', '2023-11-08', '2023-11-08', 'None'),
     ('b', 'None', '2023-11-08', 'None')]
    """
    claims = list(claims)
    if len(claims) == 1 and not claims[0].supersedes:  # alone: seen from its publication on
        return alone(claims[0], founded or {})
    out: list[Segment] = []
    for group in _clusters(claims):
        days = sorted({day for c in group if (day := c.published) is not None})
        undated = any(c.published is None for c in group)
        knowledge: list[date | None] = ([None] if undated or not days else []) + list(days)
        current: dict[tuple[str, date | None, date | None, str], date | None] = {}
        for k in knowledge:
            standing = resolve(group, known_on=k if k is not None else date.min, founded=founded)
            if k is None:  # undated claims only: seen at every knowledge date
                standing = {iri: s for iri, s in standing.items() if s.claim.published is None}
            seen = set()
            for iri, s in standing.items():
                for span in s.spans:
                    key = (iri, span.start, span.end, span.standing)
                    seen.add(key)
                    current.setdefault(key, k)
            for key in [key for key in current if key not in seen]:
                out.append(Segment(key[0], key[3], key[1], key[2], current.pop(key), k))
        for key, since in current.items():
            out.append(Segment(key[0], key[3], key[1], key[2], since, None))
    return sorted(out, key=lambda s: (s.claim, s.known_from or date.min, s.start or date.min))
