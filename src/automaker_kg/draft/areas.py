"""Areas of work named without a cue verb: what an agreement covers ("the memorandum between
A and B covers T, U and V", "areas of cooperation include T", "A and B signed an MoU covering
T") is a joint project of the agreement's companies; what a company's research spans ("A's
research focuses on T and U") is its own development; intellectual property handed to a
company ("A has transferred patents to X", "X draws on know-how that A and B transferred to
it") is the giver's contribution of what the company works on.

>>> from automaker_kg.draft.extract import draft_text
>>> from automaker_kg.draft.names import Name
>>> names = [Name("Avalon", "avalon", "kg", "Automaker"),
...          Name("Borealis", "borealis", "kg", "Automaker"),
...          Name("battery", "battery", "tech", "Technology"),
...          Name("software", "software", "tech", "Technology")]
>>> text = ("Title: T\\nDate: 2024-05-02\\n\\n"
...         "The memorandum between Avalon and Borealis covers batteries and software.\\n")
>>> [(c.kind, c.fields["participant"], c.fields["technology"], c.status)
...  for c in draft_text(text, names).claims]
[('JointProject', ['kg:avalon', 'kg:borealis'], ['tech:battery', 'tech:software'], 'plan')]
"""

from __future__ import annotations

from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.entities import org_left
from automaker_kg.draft.model import Evidence, Mention, Proposal, Reading, add, developments, pair
from automaker_kg.draft.status import clauses, status_at, tech_status

__all__ = ["areas", "transfers", "unit_after"]

AGREEMENTS = set(
    "agreement agreements memorandum mou pact partnership alliance tie-up tieup cooperation "
    "collaboration framework areas fields scope".split()
)
"""Nouns of a joint undertaking (and "areas", "fields" of one) whose scope may be listed; not
"deal", which names a supply or a licence as often ("the deal may also cover T")."""

COVERS = set(
    "covers cover covering covered include includes including included span spans spanning "
    "encompass encompasses encompassing extend extended expand expands expanded".split()
)
"""Verbs that list a scope: "covers T, U and V", "includes T"."""

RESEARCH = set("research r&d work efforts programme program programmes programs".split())
"""Nouns of a company's own work: "A's research focuses on T"."""

FOCUS: set[tuple[str, ...]] = {("focuses", "on"), ("focus", "on"), ("focused", "on")}
FOCUS |= {("centres", "on")}
FOCUS |= {("centers", "on"), ("concentrates", "on"), ("ranges", "from"), ("spans",)}
FOCUS |= {("covers",), ("includes",), ("targets",), ("cover",), ("include",), ("span",)}
"""Words after a research noun that list what it spans."""

EXPERTISE = set("expertise know-how strengths strength experience".split())
"""Nouns of what a company is good at: "A has built up expertise in T", "A's know-how in T"."""
COMBINE = set("combine combines combined combining pool pools pooled pooling".split())
"""Verbs of "A and B will combine (pool) their expertise in T": joint work, no one's own."""

TOPICS = set("topics areas fields priorities projects themes".split())
"""Nouns after a research noun: "A's research topics include T"."""

_GIVING_WORDS = {w for w, a in rules.TECH_VERBS.items() if a in {"supplies", "licenses"}}
"""Words of a supply or a licence before an agreement noun ("a supply agreement")."""

_WINDOW = 8
"""How far after the noun its verb of covering may stand ("the memorandum between A and B
covers")."""


def _scope(words: list[str], start: int, clause: list[int], techs: list[Mention]) -> list[Mention]:
    """The technologies after word ``start`` in its clause, when no cue verb of another
    arrangement stands before the first one ("includes the supply of T" is the supply's)."""
    mine = [m for m in techs if m.start > start and clause[m.start] == clause[start]]
    if not mine:
        return []
    between = words[start + 1 : mine[0].start]
    if set(between) & set(rules.TECH_VERBS):
        return []
    return mine


def _cover_at(words: list[str], i: int, clause: list[int]) -> int | None:
    """The verb of covering after the agreement noun at ``i`` in its clause, if any."""
    for k in range(i + 1, min(len(words), i + _WINDOW + 1)):
        if clause[k] != clause[i]:
            return None
        if words[k] in COVERS or (words[k] == "such" and words[k + 1 : k + 2] == ["as"]):
            return k + 1 if words[k] == "such" else k
        if words[k] in {"on", "in"} and words[i] not in {"areas", "fields"}:
            return k  # "a memorandum of understanding (signed last year) on T"
    return None


def _participants(r: Reading, mentions: list[Mention], words: list[str], at: int) -> list[str]:
    """The companies of the agreement: those the sentence names (not as a receiver after the
    list), else the previous sentences' two."""
    refs: list[str] = []
    for m in mentions:
        if not m.is_org or m.type == "VehicleModel":
            continue
        if m.start > at and words[m.start - 1] in {"to", "from", "for", "by"}:
            continue
        if m.ref not in refs:
            refs.append(m.ref)
    if len(refs) >= 2:
        return refs
    n = 3 if "three" in words else 2  # "the three companies"
    before = pair(r, n)
    if len(before) == n and (not refs or refs[0] in before):
        return before
    return []


def _owner(
    r: Reading, mentions: list[Mention], doc: Any, words: list[str], clause: list[int], i: int
) -> Mention | None:
    """Whose research (expertise) the noun at ``i`` is: "A's research", "its research" (the
    company named last before), "A has expertise in" (the clause's company on the left)."""
    if words[i - 1] in rules.POSSESSIVE:
        return next((m for m in mentions if m.is_org and m.end == i - 1), None)
    if words[i - 1] == "its" and r.last_orgs:
        ref = r.last_orgs[0]
        return Mention(0, 0, ref, r.types.get(ref, "Company"), "")
    if words[i] in EXPERTISE:
        return org_left(mentions, doc, i, clause, set())
    return None


UNITS = set("unit units division divisions subsidiary arm business".split())
"""Nouns of a company's part named by what it works on: "A's EV and software unit"."""


def unit_after(words: list[str], techs: list[Mention], m: Mention) -> int | None:
    """The unit noun a list of technologies starting with ``m`` names ("electric vehicle and
    software unit", "battery-making subsidiary"), else None.

    >>> t = Mention(1, 2, "tech:ev", "Technology", "EV")
    >>> s = Mention(3, 4, "tech:sw", "Technology", "software")
    >>> unit_after("the ev and software unit".split(), [t, s], t)
    4
    >>> unit_after("the ev and software sales".split(), [t, s], t) is None
    True
    """
    k = m.end
    while k < len(words):
        nxt = next((t for t in techs if t.start == k), None)
        if nxt is not None:
            k = nxt.end
        elif words[k] in {"and", ","} or words[k : k + 2] in (["-", "making"], ["-", "focused"]):
            k += 1 if words[k] in {"and", ","} else 2
        else:
            break
    return k if k < len(words) and words[k] in UNITS else None


def _unit(
    mentions: list[Mention], words: list[str], techs: list[Mention], i: int
) -> Mention | None:
    """The company a unit noun at ``i`` names: "X, A's (the) T unit" (the company before the
    comma) or "A's T unit X" (the company after it)."""
    after = next((x for x in mentions if x.is_org and x.start == i + 1), None)
    if after is not None:
        return after
    first = min((t.start for t in techs if unit_after(words, techs, t) == i), default=None)
    if first is None:
        return None
    k = first - 1
    if k >= 0 and words[k] in rules.POSSESSIVE:  # "A's": the owner, then the comma
        owner = next((x for x in mentions if x.is_org and x.end == k), None)
        k = owner.start - 1 if owner is not None else -1
    elif k >= 0 and words[k] in {"the", "its", "a", "an"}:
        k -= 1
    if k < 1 or words[k] != ",":
        return None
    return next((x for x in mentions if x.is_org and x.end == k), None)


def areas(
    r: Reading, doc: Any, mentions: list[Mention], techs: list[Mention], ev: Evidence
) -> set[int]:
    """Joint projects on the areas an agreement covers and a company's own work on the areas
    its research spans, in one sentence. Returns the clauses so read."""
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    done: set[int] = set()
    for i, w in enumerate(words):
        if clause[i] in done:
            continue
        if w in AGREEMENTS or (w == "up" and words[max(0, i - 2) : i] == ["tie", "-"]):
            k = _cover_at(words, i, clause)
            if k is None or set(words[max(0, i - 2) : i]) & _GIVING_WORDS:
                continue  # not "a supply agreement covering T": the supply's
            scope = _scope(words, k, clause, techs)
            if scope and words[k] in {"on", "in"} and scope[0].start > k + 3:
                continue  # "on T" is the agreement's subject only right after "on"
            who = _participants(r, mentions, words, k) if scope else []
            if len(who) < 2:
                continue
            status, signal, scue = status_at(r, doc, clause, i)
            fields = {"participant": who, "technology": sorted({m.ref for m in scope})}
            said = f"'{w} ... {words[k]}' a list of technologies: a joint project"
            add(
                r,
                Proposal(
                    "JointProject", fields, status, signal, f"{said}; status cue: {scue}", [ev]
                ),
            )
            done.add(clause[i])
        elif w in UNITS and (unit := _unit(mentions, words, techs, i)) is not None:
            # "X, A's electric vehicle and software unit": X's own work, a description
            named = sorted({t.ref for t in techs if unit_after(words, techs, t) == i})
            if not named:
                continue
            status, signal, scue = tech_status(r, doc, clause, i, describes=True)
            work = {"provider": unit.ref, "arrangement": "develops", "technology": named}
            said = f"'<company>, a <technology> {w}': the unit's own work"
            add(
                r,
                Proposal(
                    "TechnologyArrangement",
                    work,
                    status,
                    signal,
                    f"{said}; status cue: {scue}",
                    [ev],
                ),
            )
        elif w in RESEARCH | EXPERTISE and i >= 1 and not COMBINE & set(words[i - 2 : i]):
            owner = _owner(r, mentions, doc, words, clause, i)
            j = i + 1 if words[i + 1 : i + 2] and words[i + 1] in TOPICS else i
            pairs = {tuple(words[j + 1 : j + 3]), tuple(words[j + 1 : j + 2])}
            if w in EXPERTISE:
                pairs = {("in",)} & {tuple(words[i + 1 : i + 2])}  # "expertise in T"
            if owner is None or not pairs & (FOCUS | {("in",)}):
                continue
            scope = _scope(words, j + 1, clause, techs)
            if not scope or scope[0].start > j + 12:
                continue  # the list starts near its noun
            status, signal, scue = tech_status(r, doc, clause, i, describes=True)
            own = {
                "provider": owner.ref,
                "arrangement": "develops",
                "technology": sorted({m.ref for m in scope}),
            }
            said = f"'<company>'s {w} {words[i + 1]}' a list of technologies: its own work"
            add(
                r,
                Proposal(
                    "TechnologyArrangement",
                    own,
                    status,
                    signal,
                    f"{said}; status cue: {scue}",
                    [ev],
                ),
            )
            done.add(clause[i])
    return done


_IP = [["intellectual", "property"], ["ip"], ["patents"], ["know", "-", "how"], ["know-how"]]
"""What a company hands over when the text names no technology: its rights and know-how."""
_TRANSFERS = set(
    "transfer transfers transferred transferring contribute contributes contributed "
    "contributing assign assigns assigned hand hands handed handing".split()
)


def _ip_at(words: list[str], k: int) -> int:
    """The length of an intellectual-property phrase starting at ``k``, else 0.

    >>> _ip_at("the intellectual property".split(), 1), _ip_at(["property"], 0)
    (2, 0)
    """
    return next((len(p) for p in _IP if words[k : k + len(p)] == p), 0)


def _fields_of(r: Reading, techs: set[str]) -> list[str]:
    """What rights over several technologies cover: two or more kinds of one broader concept
    are that concept (know-how for engines and hybrids is powertrain know-how).

    >>> r = Reading("", [], {}, None, broader={"ice": {"pt"}, "hev": {"pt"}})
    >>> _fields_of(r, {"tech:ice", "tech:hev", "tech:bat"})
    ['tech:bat', 'tech:pt']
    """
    by_broader: dict[str, set[str]] = {}
    for t in techs:
        for b in r.broader.get(t.split(":", 1)[-1], set()):
            by_broader.setdefault(b, set()).add(t)
    out = set(techs)
    for b, kinds in by_broader.items():
        if len(kinds) > 1:
            out = (out - kinds) | {f"tech:{b}"}
    return sorted(out)


def transfers(r: Reading, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
    """Intellectual property (patents, know-how) handed by A to X in a sentence that names
    no technology: A contributes to X the technologies the draft has X developing (what the
    rights are for). "A and B have transferred patents to X"; "X draws on IP that A and B have
    transferred to it" ("it": the company before the phrase; a description of X, background).
    A sentence that names a technology is left to the cue verbs of :mod:`.technology`."""
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    for k in range(len(words)):
        n = _ip_at(words, k)
        if not n:
            continue
        after = [v for v in range(k + n, min(len(words), k + n + 8)) if words[v] in _TRANSFERS]
        before = [v for v in range(max(0, k - 4), k) if words[v] in _TRANSFERS]
        verb = after[0] if after else (before[-1] if before else None)
        if verb is None:
            continue
        end = k + n if verb < k else verb + 1
        start = end + 1 if words[end : end + 1] == ["over"] else end  # "handed over ... to X"
        to = next((t for t in range(start, min(len(words), start + 8)) if words[t] == "to"), -1)
        if to < 0 or to + 1 >= len(words):
            continue
        describes = words[to + 1] in {"it", "them"}
        if describes:  # "X draws on IP that A transferred to it": X described, background
            taker = next((m for m in mentions if m.is_org and m.end <= k), None)
        else:
            taker = next((m for m in mentions if m.is_org and m.start == to + 1), None)
        if taker is None:
            continue
        lo = k + n if verb > k else 0
        givers = [m for m in mentions if m.is_org and lo <= m.start < verb]
        givers = [m for m in givers if m.ref != taker.ref]
        if verb < k and givers:
            givers = [givers[-1]]  # "A transferred its patents to X": the subject
        if any(m.type == "Technology" for m in mentions):
            return  # a technology named: the cue verbs read it (technology.py)
        worked = [techs for p, techs in developments(r) if p == taker.ref]
        techs = _fields_of(r, {t for ts in worked for t in ts})
        if not givers or not techs:
            continue
        status, signal, scue = tech_status(r, doc, clause, verb, describes, given=True)
        said = "'<company> transferred intellectual property to <company>': a contribution"
        for g in dict.fromkeys(m.ref for m in givers):
            fields = {
                "provider": g,
                "arrangement": "contributes",
                "technology": techs,
                "recipient": taker.ref,
            }
            add(
                r,
                Proposal(
                    "TechnologyArrangement",
                    fields,
                    status,
                    signal,
                    f"{said}; status cue: {scue}",
                    [ev],
                ),
            )
        return
