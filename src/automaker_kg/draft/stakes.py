"""Stakes: a percentage next to a stake word with a holder and a target, its bound ("up to",
"at least", "between ... and"), interest (voting rights or shareholding) and status; stakes
each way of a cross-shareholding; a wholly owned subsidiary.

>>> from automaker_kg.draft.extract import draft_text
>>> from automaker_kg.draft.names import Name
>>> names = [Name("Geely", "geely", "kg", "Automaker"), Name("Volvo", "volvo", "kg", "Automaker")]
>>> d = draft_text("Title: T\\nDate: 2024-01-02\\n\\nGeely owns more than 78% of Volvo.\\n", names)
>>> [(c.fields["holder"], c.fields["target"], c.fields["share_min"], c.status) for c in d.claims]
[('kg:geely', 'kg:volvo', 78.0, 'official')]
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.entities import coordinated, joined_after, org_left
from automaker_kg.draft.model import (
    Evidence,
    Mention,
    Proposal,
    Reading,
    add,
    match_label,
    pair,
)
from automaker_kg.draft.status import clauses, relative_spans, status_at
from automaker_kg.draft.ventures import partners_of, unnamed_jv

__all__ = ["stakes", "cross_holdings", "wholly_owned", "unsized", "drop_unsized_repeats"]

_INVESTS = {"stake", "stakes", "holding", "shareholding", "interest", "invest", "invests"}
_INVESTS |= {"investing", "invested", "investment"}
"""Words before "in <company>" that make the company a stake's target."""

_CHANGES = {"raise", "raises", "raised", "raising", "increase", "increases", "increased"}
_CHANGES |= {"lift", "lifts", "lifted", "boost", "boosts", "boosted", "cut", "cuts", "reduce"}
_CHANGES |= {"reduces", "reduced", "reducing", "lower", "lowers", "lowered", "trim", "trimmed"}
"""Verbs that change a holding: "raise it to 20%" speaks of the stake just named."""

_DESCRIBED = set(rules.UNIT_WORDS) | {"carmaker", "automaker", "firm", "group", "affiliate"}
"""Nouns that end a description standing for a company ("the Korean unit")."""

_INTO = {"in", "into"}

_HOLDERS = {"shareholder", "shareholders", "owner", "owners", "investor", "investors"}
_HOLDERS |= {"stakeholder"}
"""Nouns of "the largest shareholder of X" and "X's shareholders include"."""

_GIVES = {"giving", "gives", "gave", "leaving", "leaves", "left", "making", "makes"}

_NOW = {"currently", "presently", "still", "now"}
"""Words before a share that state it as held at the report's time."""


def _mention_of(r: Reading, mentions: list[Mention], ref: str) -> Mention:
    """The sentence's mention of ``ref``, else a mention of it with no place."""
    found = next((m for m in mentions if m.ref == ref), None)
    return found or Mention(0, 0, ref, r.types.get(ref, "Company"), "")


@dataclass
class _Sentence:
    """What every share of one sentence shares: its words, clauses, names, the percentages
    (ranges joined), "respectively" pairs, and the targets of its stakes so far."""

    doc: Any
    words: list[str]
    clause: list[int]
    mentions: list[Mention]
    percents: list[tuple[int, int]]
    ranges: dict[int, float]
    range_end: dict[int, int]
    cross_at: list[int]
    paired: dict[int, Mention]
    target_from: dict[int, int]
    targets: list[str] = field(default_factory=list)
    holders: list[Mention] = field(default_factory=list)
    paren_role: str = ""  # "target" or "holder": what "<company> (<share>)" named first


@dataclass
class _Share:
    """One percentage read as a stake: where it is, its value and bound, the cues so far."""

    ps: int
    pe: int
    value: float
    bound: str
    approx: bool
    cues: list[str]
    window: set[str]
    clause_words: list[str]
    ellipsis: list[Mention]
    increment: bool = False  # "a further 5%, lifting its stake to 25%": not the holding
    act: int | None = None  # the verb whose clause gives the status, when not the share's


def stakes(r: Reading, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
    """Propose the stakes of one sentence: for each percentage next to a stake cue, its
    target, its holder(s) and its status (see the module's summary)."""
    s = _sentence(r, doc, mentions)
    for ps, pe in s.percents:
        sh = _share(r, s, ps, pe, ev)
        if sh is None:
            continue
        target, holder, tail = _target(r, s, sh, ev)
        if target is None:
            continue
        if sh.increment:  # the company the holding that follows is in
            s.targets.append(target.ref)
            continue
        holder, moved_to = _holder(r, s, sh, target, holder, tail)
        if not holder:
            continue
        targets = [target, *_also_targets(s, sh, target)]
        status = _status(r, s, sh, moved_to)
        if moved_to is not None and (not holder or holder[0] is not moved_to):
            continue  # "moving 28.4% of Nissan into a trust": a receiver not named
        k = ps - 1  # "Renault's additional 18.66% stake": held, whatever the verb
        while k > 0 and s.words[k] in rules.APPROXIMATE | _HELD_ADJECTIVES:
            k -= 1
        owned = k >= 0 and s.words[k] in {"its", "their"} | rules.POSSESSIVE
        if negated(s.words, s.clause, ps) and not owned:
            continue  # "did not buy 5% of X"; "no plans to sell its 5% stake" still holds it
        for each in targets:  # "10% stakes in A and B": the same share of each
            _propose(r, s, sh, each, holder, status, ev)
        _the_rest(r, s, sh, target, holder, status, ev)


_PASSIVE_HOLDS = set("bought acquired purchased taken held owned controlled".split())
"""Participles of "a stake ... was bought by Y": Y holds it."""
_HELD_ADJECTIVES = {"additional", "remaining", "entire", "existing", "current", "whole"}
_NEGATIONS = {"not", "n't", "never", "no"}
_DENIALS = set("denied denies deny denying rejected rejects dismissed ruled rules".split())


def _also_targets(s: _Sentence, sh: _Share, target: Mention) -> list[Mention]:
    """The companies joined to a target after the share by "and" or commas when the share is
    each one's: "10% stakes in A and B", "5% each of A and B", "20% of both A and B" (not
    "20% of A and B", which may be a share of the two together).

    >>> from automaker_kg.draft.model import Mention
    >>> a, b = Mention(6, 7, "kg:a", "Company", "A"), Mention(8, 9, "kg:b", "Company", "B")
    >>> w = "x takes 5 % each of a and b".split()
    >>> s = _Sentence(None, w, [0] * 9, [a, b], [(2, 4)], {}, {}, [], {}, {})
    >>> sh = _Share(2, 4, 5.0, "exact", False, [], set(), w, [])
    >>> [m.ref for m in _also_targets(s, sh, a)]
    ['kg:b']
    """
    words = s.words
    if target.start < sh.pe or "respectively" in words:
        return []
    between = set(words[sh.pe : target.start])
    if not between & {"stakes", "holdings", "each", "both"}:
        return []
    joined = joined_after(s.mentions, words, target)
    return list(itertools.takewhile(lambda m: s.clause[m.start] == s.clause[sh.ps], joined))


def negated(words: list[str], clause: list[int], at: int) -> bool:
    """Whether the clause negates or denies what is at ``at``: "not", "never", "no plans",
    "denied", "ruled out" within eight words before it ("no more than 5%" is a bound; a
    relative clause between is another clause).

    >>> negated("a did not buy 5 % of b".split(), [0] * 8, 4)
    True
    >>> negated("a will buy no more than 5 % of b".split(), [0] * 10, 6)
    False
    """
    apart = {k for a, b in relative_spans(words) if not a <= at < b for k in range(a, b)}
    for k in range(max(0, at - 8), at):
        if clause[k] != clause[at] or k in apart:
            continue
        after = words[k + 1 : k + 2]
        if words[k] in _NEGATIONS and after not in (["more"], ["less"], ["only"], ["fewer"]):
            return True
        if words[k] in _DENIALS:
            return True
    return False


def _the_rest(
    r: Reading,
    s: _Sentence,
    sh: _Share,
    target: Mention,
    holder: list[Mention],
    cue: tuple[str, str, str],
    ev: Evidence,
) -> None:
    """ "A will hold 40% of the venture, with B owning the rest": B holds the remainder."""
    words = s.words
    if sh.bound != "exact" or len(holder) != 1 or sh.value >= 100:
        return
    for k in range(sh.pe, min(len(words), sh.pe + 18)):
        if words[k] not in {"rest", "remainder", "balance"} or words[k - 1] != "the":
            continue
        if k + 1 < len(words) and s.doc[k + 1].like_num:
            return
        other = [
            m
            for m in s.mentions
            if m.is_org and sh.pe < m.start < k and m.ref not in {target.ref, holder[0].ref}
        ]
        if len(other) != 1:
            return
        rest = _Share(
            sh.ps,
            sh.pe,
            round(100.0 - sh.value, 4),
            "exact",
            False,
            ["'<company> owning the rest': the remainder"],
            sh.window,
            sh.clause_words,
            [],
        )
        _propose(r, s, rest, target, other, cue, ev)
        return


def _sentence(r: Reading, doc: Any, mentions: list[Mention]) -> _Sentence:
    """The sentence's percentages ("majority" as one), ranges, cross-holding words and
    "respectively" pairs."""
    clause = clauses(doc)
    words = [t.lower_ for t in doc]
    percents = [(s, e) for mid, s, e in r.matcher(doc) if match_label(r, mid) == "PERCENT"]
    # "majority owner", "a majority stake": more than half
    majority_nouns = {"owner", "stake", "shareholder", "holding", "control", "ownership", "of"}
    sized = [s for s, _ in percents]
    percents += [
        (i, i + 1)
        for i in range(len(doc) - 1)
        if words[i] in {"majority", "controlling"}
        and words[i + 1] in majority_nouns
        # not "a controlling stake of 51%", "a 60% majority stake": the share is given
        and not any(i - 3 <= k <= i + 4 for k in sized)
    ]
    # "each holding half", "owns half of": 50%; "a quarter of X", "a one-third stake"
    percents += [(i, i + 1) for i in range(1, len(doc)) if fraction(words, i) is not None]
    percents.sort()
    # "between 3% and 5%" / "3% to 5%" / "3-5%": one range, the second share not apart
    ranges: dict[int, float] = {}
    range_end: dict[int, int] = {}
    for (a, ae), (b, be) in zip(percents, percents[1:], strict=False):
        gap = words[ae:b]
        if (
            gap in (["and"], ["to"], ["-"])
            and (gap != ["and"] or "between" in words[a - 2 : a])
            and "from" not in words[max(0, a - 3) : a]  # "from 20% to 25%": a change
        ):
            try:
                ranges[a] = float(doc[b].text.replace(",", ""))
            except ValueError:
                continue
            range_end[a] = be
    ends = {b for (a, _), (b, _) in zip(percents, percents[1:], strict=False) if a in ranges}
    percents = [p for p in percents if p[0] not in ends]
    cross_at = [
        i
        for i in range(len(doc) - 2)
        if words[i] == "cross"
        and words[i + 1] == "-"
        and words[i + 2].startswith(("share", "hold", "own"))
    ]
    # "their mutual shareholdings", "reciprocal stakes": cross-holdings too
    cross_at += [
        i
        for i in range(len(doc) - 1)
        if words[i] in {"mutual", "reciprocal"}
        and words[i + 1].startswith(("share", "hold", "own", "stake", "equity"))
    ]
    # "A and B will hold 60% and 40% of it respectively": the holders in the shares' order
    paired: dict[int, Mention] = {}
    target_from: dict[int, int] = {}
    if "respectively" in words and len(percents) > 1:
        group = [percents[0]]
        for p in percents[1:]:
            if words[group[-1][1] : p[0]] in (["and"], [","], [",", "and"]):
                group.append(p)
        first = org_left(mentions, doc, group[0][0], clause, set())
        owners = coordinated(mentions, doc, first) if first is not None else []
        if len(owners) == len(group):
            for (a, _), owner in zip(group, owners, strict=True):
                paired[a] = owner
                target_from[a] = group[-1][1]
    return _Sentence(
        doc, words, clause, mentions, percents, ranges, range_end, cross_at, paired, target_from
    )


_HALVES = {"holding", "hold", "holds", "own", "owns", "owning", "owned", "each", "with"}
_PARTS = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3}


def fraction(words: list[str], i: int) -> float | None:
    """The share a fraction at ``words[i]`` names, in percent: "half" after a verb of holding
    ("owns half of"), "a quarter of", "a third of", "a one-third stake", "two-thirds of"
    (the fraction before "of" or a stake noun); None for other words ("the third quarter",
    "a quarter of its sales" has no stake cue and is left by the caller).

    >>> [fraction(w.split(), w.split().index(f)) for w, f in (("b will own half of", "half"),
    ...  ("b bought a quarter of", "quarter"), ("b took a one - third stake", "third"),
    ...  ("b holds two - thirds of", "thirds"), ("in the third quarter", "third"))]
    [50.0, 25.0, 33.33, 66.67, None]
    """
    word = words[i]
    if word not in _PARTS or i == 0:
        return None
    if word == "half" and words[i - 1] in _HALVES:
        return 50.0
    after = words[i + 1] if i + 1 < len(words) else ""
    if after not in {"of", "stake", "interest", "holding", "shareholding"}:
        return None
    k = i - 2 if words[i - 1] == "-" else i - 1
    count = _COUNTS.get(words[k]) if k >= 0 else None
    if count is None or (count > 1) != word.endswith("s") or count >= _PARTS[word]:
        return None
    return round(100.0 * count / _PARTS[word], 2)


def _listed(words: list[str], ps: int) -> bool:
    """The share at ``ps`` continues a list of shares ("20% of A, 5% of B and a 3% stake in
    C"): a comma or "and" (and an article) before it, "of" or "in" or a stake word after it.

    >>> _listed("avalon owns 20 % of b , 5 % of c".split(), 7)
    True
    >>> _listed("avalon owns 20 % of b".split(), 2)
    False
    """
    k = ps - 1
    if k >= 0 and words[k] in {"a", "an"}:
        k -= 1
    return k >= 0 and words[k] in {",", "and"}


def _each_other(words: list[str], clause: list[int], ps: int, pe: int) -> bool:
    """ "cut their stakes in each other to 10%", "each take 0.2% of the other": a stake each
    way, the reciprocal words within a few words of the share and in its clause."""
    lo, hi = max(0, ps - 8), min(len(words), pe + 6)
    near = [words[k] for k in range(lo, hi) if clause[k] == clause[ps]]
    pairs = set(zip(near, near[1:], strict=False))
    if ("each", "other") in pairs or ("one", "another") in pairs:
        return True
    whole = [w for k, w in enumerate(words) if clause[k] == clause[ps]]
    # "each will cut its stake in the other to 10%": "the other" before or after the share
    return ("the", "other") in pairs and "each" in whole


def _share(r: Reading, s: _Sentence, ps: int, pe: int, ev: Evidence) -> _Share | None:
    """The percentage at ``[ps, pe)`` as a stake's share (value, bound), or None when no stake
    cue is near it (a cross-holding is proposed here, each way)."""
    doc, words, clause, mentions = s.doc, s.words, s.clause, s.mentions
    cross_at, sentence_targets = s.cross_at, s.targets
    cue_parts: list[str] = []
    # the bound: "up to 15%", "at least 20%"
    bound, approx = "exact", False
    if words[ps] in {"majority", "controlling"}:
        value, bound = 50.0, "min"
        cue_parts.append(f"'{words[ps]}' -> share_min 50")
    elif (part := fraction(words, ps)) is not None:
        value = part
        cue_parts.append(f"'{words[ps]}' -> {part:g}%")
    else:
        number = re.match(r"[0-9][0-9,]*(\.[0-9]+)?", doc[ps].text)
        if number is None:
            return None  # a number in words ("ten per cent")
        value = float(number[0].replace(",", ""))
    for phrase, kind, name in rules.RANGE_CUES:
        k = len(phrase)
        if tuple(words[max(0, ps - k) : ps]) == phrase:
            bound = kind
            cue_parts.append(f"'{name}' -> share_{kind}")
            break
    if ps and words[ps - 1] in rules.APPROXIMATE:
        approx = True
    if words[max(0, ps - 3) : ps] in (["half", "of", "its"], ["half", "of", "the"]):
        value /= 2  # "sold half of its 20% stake to B": B gets 10%
        cue_parts.append("'half of its <share>' -> half the share")
    window = set(words[max(0, ps - 6) : pe + 6])
    same = [i for i in range(len(doc)) if clause[i] == clause[ps]]
    clause_words = [words[i] for i in same]
    stake_in = any(
        words[i] in {"stake", "holding", "shareholding", "interest"} and words[i + 1] == "in"
        for i in range(len(doc) - 1)
        if clause[i] == clause[ps] and i < ps
    )
    # "reduce their cross-shareholdings from 15% to 10%": near, in the same clause
    cross = any(clause[i] == clause[ps] and abs(i - ps) <= 10 for i in cross_at)
    # "2% of each other", "stakes of 2% in one another": a stake each way
    cross = (
        cross
        or words[pe : pe + 5].count("other") > 0
        and ("each" in words[pe : pe + 5] or "another" in words[pe : pe + 5])
        or _each_other(words, clause, ps, pe)
    )
    if cross and cross_holdings(
        r, doc, mentions, ps, pe, value, bound, clause, ev, s.paired.get(ps)
    ):
        return None
    increment = bool(ps) and words[ps - 1] in {"additional", "further", "another", "extra"}
    increment = increment and any(
        a > pe and words[a - 1] == "to" and clause[a] == clause[ps] for a, _ in s.percents
    )  # "buy a further 5%, lifting its stake to 25%": the holding is the 25%
    fused = doc[ps].text.endswith(("-owned", "-held"))
    change = words[ps - 1 : ps] == ["to"] and bool(window & _CHANGES)
    change = change and bool(sentence_targets or r.last_target)
    lead = ps - 1 if ps and words[ps - 1] in rules.APPROXIMATE | {"with", "("} else ps
    if lead > 1 and words[lead] == "with" and words[lead - 1] == ",":
        lead -= 1  # "and Cygnus, with 8%"
    if words[max(0, ps - 2) : ps] in (["the", "remaining"], ["the", "other"]):
        lead = ps - 2  # "A would own 51% of C and B the remaining 49%"
    ellipsis = [
        m
        for m in mentions
        if m.end == lead and m.is_org and m.start and words[m.start - 1] in {"and", ","}
    ]
    change = change or bool(ellipsis and sentence_targets)
    change = change or bool(sentence_targets and _listed(words, ps))
    # "will hold 15% of X after the deal, down from 43%": the share before the change
    change = change or bool(
        sentence_targets and words[ps - 2 : ps] in (["down", "from"], ["up", "from"])
    )
    act = _sizes_a_purchase(words, clause, ps, pe)
    if act is not None:
        cue_parts.append("'buy <company> shares ..., which ... <share> of <company>'")
    # "gives Avalon 9% of Borealis": a share given to a company
    given = any(
        words[k] in _GIVES and any(m.is_org and k < m.start and m.end <= ps for m in mentions)
        for k in range(max(0, ps - 5), ps)
    )
    if not (
        window & rules.STAKE_WORDS
        or given
        or "joint" in clause_words
        or stake_in
        or fused
        or change
        or act is not None
    ):
        return None
    return _Share(
        ps, pe, value, bound, approx, cue_parts, window, clause_words, ellipsis, increment, act
    )


def _sizes_a_purchase(words: list[str], clause: list[int], ps: int, pe: int) -> int | None:
    """ "A will buy B shares worth $1 billion, which comes to about 0.3% of B": a share in a
    relative clause that sizes the shares its clause buys; the buying verb (its status is
    the stake's), or None.

    >>> w = "a will buy b shares worth 5 bn , which is 0.3 % of b".split()
    >>> _sizes_a_purchase(w, [0] * len(w), 11, 13)
    2
    """
    if words[pe : pe + 1] != ["of"]:
        return None
    inside = [a for a, b in relative_spans(words) if a <= ps < b]
    if not inside:
        return None
    before = [i for i in range(inside[0]) if clause[i] == clause[ps]]
    if not any(words[i] in {"shares", "stake", "stock", "equity"} for i in before):
        return None
    verbs = [i for i in before if words[i] in _BUY_VERBS]
    return verbs[-1] if verbs else None


def _target(
    r: Reading, s: _Sentence, sh: _Share, ev: Evidence
) -> tuple[Mention | None, list[Mention], int]:
    """The company the share is of, and a holder when the phrase names it ("<share> by X",
    "<share> that X holds"); ``tail``: where the words after the share phrase start."""
    doc, words, clause, mentions = s.doc, s.words, s.clause, s.mentions
    range_end, target_from, sentence_targets = s.range_end, s.target_from, s.targets
    ps, pe, cue_parts, window = sh.ps, sh.pe, sh.cues, sh.window
    tail = 0  # where the words after the share phrase start, when not at pe
    # the target: "<P>% (stake) in|of <T>"
    target: Mention | None = None
    holder: list[Mention] = []
    if ps and words[ps - 1] == "(" and s.paren_role == "target" and s.holders:
        named = [m for m in mentions if m.end == ps - 1 and m.is_org]
        if named and named[0].ref != s.holders[-1].ref:
            # "stakes in Borealis (20%), Cygnus (5%)": the list's companies are targets
            cue_parts.append("'<company> (<share>)' in a list of one holder's stakes")
            return named[0], [s.holders[-1]], 0
    k = pe + 1 if words[pe : pe + 1] == ["-"] else pe
    if doc[ps].text.endswith(("-owned", "-held")):
        k -= 1  # one token: "43%-owned"
    if words[k : k + 1] in (["owned"], ["held"]) or k < pe:
        owned = [m for m in mentions if m.start == k + 1 and m.is_org]
        if owned:  # "Renault's 43%-owned Nissan"
            target = owned[0]
            cue_parts.append("'<share>-owned <company>'")
    j, saw_prep = target_from.get(ps, range_end.get(ps, pe)), False
    while target is None and j < min(len(doc), pe + 10):
        hit = [m for m in mentions if m.start == j]
        if hit and saw_prep and hit[0].is_org:
            target = hit[0]
            break
        if hit and not saw_prep:
            break
        w = words[j]
        if w in {"in", "of"} and not saw_prep:
            saw_prep = True
        elif saw_prep:  # "in the Chinese EV maker Leapmotor": a description first
            if w in {",", ";", "and", "while", "which", "by", "for", "to", "once", "when"}:
                break
            named_next = any(m.start == j + 1 and m.is_org for m in mentions)
            new_company = w in {"company", "entity", "firm"} and words[j - 1] in {"new", "joint"}
            owners = len({m.ref for m in mentions if m.is_org}) >= 2
            if new_company and ({"each", "both"} & set(sh.clause_words) or r.last_jv or owners):
                # "A and B will each own 50% of the new company", "A will own 51% of the new
                # company and B 49%": a venture of the two (or the one just set up)
                jv = r.last_jv or unnamed_jv(r, mentions, ev)
                if jv:
                    target = Mention(j, j, jv, "JointVenture", "")
                    cue_parts.append("'each ... <share> of the new company': a joint venture")
                break
            apposed = [m for m in mentions if m.is_org and m.start == j + 2]
            its = {"its", "their"} & set(words[max(0, j - 4) : j])
            if w in _DESCRIBED and its and words[j + 1 : j + 2] == [","] and apposed:
                # "a 6% stake in its battery unit, X, to Y": the unit named in apposition
                target = apposed[0]
                cue_parts.append("'<share> in its <unit>, <company>,'")
                break
            if w in _DESCRIBED and w != "venture" and not named_next:
                # "in the software company": the company this sentence invests in
                objects = [
                    m
                    for m in mentions
                    if m.is_org and m.end <= ps and m.start and words[m.start - 1] in _INTO
                ]
                if objects:
                    target = objects[-1]
                    cue_parts.append("'in the <description>': the company invested in")
                break  # "of the Korean unit": a description that stands for a company
            if w == "venture" or (w == "jv" and words[j - 1] == "the"):
                jv = r.last_jv or unnamed_jv(r, mentions, ev)
                if jv:  # "a 49% stake in the joint venture": the one just named
                    target = Mention(j, j, jv, "JointVenture", "")
                    cue_parts.append("'<share> in the joint venture'")
                break
        elif (
            w
            not in {
                "stake",
                "stakes",  # "10% stakes in A and B"
                "each",  # "5% each of A and B"
                "both",  # "20% of both A and B"
                "holding",
                "interest",
                "shareholding",
                "equity",
                "the",
                "its",
                "their",
                "a",
                "an",
                "voting",
                "economic",
                "rights",
                "direct",
                "indirect",
                "share",
                "shares",
                "capital",
                "%",
                "per",
                "cent",
                "percent",
                "existing",
                "additional",
                "total",
                "owner",
                "shareholder",
                "ownership",
                "control",
                "minority",
                "majority",
                "respectively",
            }
            and not doc[j].like_num
        ):
            break
        j += 1
    if target is not None:
        cue_parts.append("'<share> in/of <company>'")
    elif words[pe : pe + 2] in (["of", "its"], ["of", "their"]) and pe + 2 < len(doc):
        if words[pe + 2] in {"shares", "stock", "equity", "capital"}:
            target = org_left(mentions, doc, ps, clause, set())
            buys = target is not None and set(words[target.end : ps]) & _BUY_VERBS
            if target is not None and buys:
                # "B said A would acquire 15% of its shares", "A took control of B by buying
                # 51% of its shares": "its" is the other company's, A the buyer
                others = [m for m in mentions if m.is_org and m.end <= ps and m.ref != target.ref]
                holder = [target] if others else []
                target = others[-1] if others else None
                if target is not None:
                    cue_parts.append("'<company> buys <share> of its shares': the other's")
            elif target is not None:  # "sold 5% of its shares to Honda"
                cue_parts.append("'<share> of its shares': the subject's own")
                tail = pe + 3
    # "the 51% that Nissan holds in their jointly owned plant"
    if pe + 1 < len(doc) and words[pe] == "that":
        that = [m for m in mentions if m.start == pe + 1 and m.is_org]
        if that:
            holder = [that[0]]
            cue_parts.append("'<share> that <company> holds'")
            k = that[0].end
            while k < len(doc) and k < that[0].end + 3 and words[k] != "in":
                k += 1
            rest = words[k + 1 : k + 6]
            named = [m for m in mentions if m.start == k + 1 and m.is_org]
            if named:
                target = named[0]
            elif "jointly" in rest or "venture" in rest:
                jv = unnamed_jv(r, mentions, ev)
                if jv:
                    target = Mention(k + 1, k + 1, jv, "JointVenture", "")
                    cue_parts.append("'jointly owned': a joint venture of the two")
                    for partner in partners_of(r, mentions):
                        add(
                            r,
                            Proposal(
                                "JointVentureParticipation",
                                {"member": partner, "organization": jv},
                                "official",
                                "stated",
                                "'their jointly owned ...': the companies named with it",
                                [ev],
                            ),
                        )
    # "owned 51 per cent by Stellantis"
    by_at = pe
    if words[pe : pe + 2] == ["-", "owned"] or words[pe : pe + 1] == ["owned"]:
        by_at = pe + (2 if words[pe] == "-" else 1)  # "43 per cent-owned by Renault"
    if by_at < len(doc) and words[by_at] == "by":
        by = [m for m in mentions if m.start == by_at + 1 and m.is_org]
        if by:
            holder = [by[0]]
            cue_parts.append("'<share> by <company>'")
            if target is None:
                left = org_left(mentions, doc, ps, clause, {by[0].ref})
                owned_at = [i for i in range(ps) if words[i] in {"owned", "held"}]
                if owned_at:
                    left = org_left(mentions, doc, owned_at[-1], clause, {by[0].ref})
                # "a joint venture in Poland, to be owned 55% by A": the venture, named
                # between the company on the left and "owned"
                nearer = left is not None and "venture" in words[left.end : ps]
                if left is None and sentence_targets:
                    target = _mention_of(r, mentions, sentence_targets[-1])
                elif (left is None or nearer) and {"venture", "jv"} & set(words[:ps]):
                    # "the joint venture will be 60% owned by A and 40% by B"
                    jv = r.last_jv or unnamed_jv(r, mentions, ev)
                    if jv:
                        target = Mention(0, 0, jv, "JointVenture", "")
                        cue_parts.append("'the joint venture ... <share> by <company>'")
                else:
                    target = left
    if target is None:
        # "its holding in Aston Martin had risen to about 17 percent", "invest 2 billion
        # euros in X for a stake of about 8%"
        for i in range(ps - 1, -1, -1):
            if clause[i] != clause[ps]:
                break
            if words[i] == "in" and set(words[max(0, i - 5) : i]) & _INVESTS:
                hit = [m for m in mentions if m.start == i + 1 and m.is_org]
                if hit:
                    target = hit[0]
                    cue_parts.append("'stake in / invest in <company> ... <share>'")
                    break
    if target is None:
        # "X became the largest shareholder of Y with 12%", "its biggest shareholder"
        for i in [*range(ps - 1, -1, -1), *range(pe, len(doc) - 1)]:
            if words[i] not in _HOLDERS:
                continue
            if words[i + 1 : i + 2] in (["of"], ["in"]):
                hit = [m for m in mentions if m.start == i + 2 and m.is_org]
                if hit:
                    target = hit[0]
                    cue_parts.append("'shareholder of <company>' ... <share>")
            elif "its" in words[max(0, i - 4) : i]:
                subject = org_left(mentions, doc, i, [0] * len(doc), set())
                others = [m for m in mentions if m.is_org and subject and m.ref != subject.ref]
                if others:  # "B said A would become its biggest shareholder, with 16.5%"
                    target = others[0]
                    cue_parts.append("'its largest shareholder': the sentence's other company")
            elif "whose" in words[max(0, i - 4) : i]:
                w_at = max(k for k in range(max(0, i - 4), i) if words[k] == "whose")
                k = w_at - 1 if w_at and words[w_at - 1] == "," else w_at
                named = [m for m in mentions if m.is_org and m.end == k]
                if named:  # "B, whose largest shareholder is A with 30%"
                    target = named[0]
                    cue_parts.append("'<company>, whose largest shareholder': that company")
            break
    which = [i for i in range(1, ps) if words[i] == "which" and words[i - 1] == "in"]
    if target is None and which:
        k = which[-1] - 1  # "Xpeng, in which Volkswagen takes 4.99%"
        k -= 1 if k and words[k - 1] == "," else 0
        named = [m for m in mentions if m.end == k and m.is_org]
        if named:
            target = named[0]
            cue_parts.append("'<company>, in which ... <share>'")
        elif r.last_jv:
            target = Mention(0, 0, r.last_jv, "JointVenture", "")
            cue_parts.append("'in which ... <share>': the joint venture just named")
    if target is None:  # "Aston Martin's third-largest shareholder ... 17%"
        for m in mentions:
            after = words[m.end : m.end + 5]
            if m.is_org and after[:1] and after[0] in rules.POSSESSIVE and _HOLDERS & set(after):
                target = m
                cue_parts.append("'<company>'s largest shareholder'")
                break
    results = {"giving", "gives", "taking", "takes", "bringing", "brings", "lifting", "raising"}
    if target is None and results & set(words[max(0, ps - 8) : ps]):
        bought = _shares_bought(mentions, doc, words, clause, ps)
        if bought is not None:  # "A buys shares in B, giving it 1.5%": B's, A holds it
            target, holder = bought[1], [bought[0]]
            cue_parts.append("'<company> buys shares in <company>, giving it <share>'")
    if target is None and sentence_targets:
        target = _mention_of(r, mentions, sentence_targets[-1])
        cue_parts.append("the company of the sentence's previous stake")
    holds = {"holding", "hold", "holds", "own", "owns", "owning", "each"}
    if target is None and {"venture", "jv"} & set(words[:ps]) and window & holds:
        jv = r.last_jv or unnamed_jv(r, mentions, ev)
        if jv:  # "formed a joint venture, each holding half"
            target = Mention(0, 0, jv, "JointVenture", "")
            cue_parts.append("'a joint venture, each holding <share>'")
    recent = {"stake", "keep", "keeps", "holding", "retain", "retains", "retained", "remaining"}
    if words[ps - 1 : ps] == ["to"]:  # "raise it to 20%", "cut that to 10%"
        recent |= _CHANGES
    if target is None and r.last_target and window & recent:
        ref = r.last_target
        target = Mention(0, 0, ref, r.types.get(ref, "Company"), "")
        cue_parts.append("the company of the previous sentence's stake")
    gives_at = [k for k in range(max(0, ps - 5), ps) if words[k] in _GIVES]
    if target is None and gives_at:  # "X issues shares to Y, giving it 9%": X's shares
        given_to = {m.ref for m in mentions if m.start == gives_at[-1] + 1}
        given_to |= {m.ref for m in mentions if m.start and words[m.start - 1] == "to"}
        issuer = [m for m in mentions if m.is_org and m.ref not in given_to]
        if issuer:
            target = issuer[0]
            cue_parts.append("'giving <company> <share>': of the company that gives")
    return target, holder, tail


def _holder(
    r: Reading, s: _Sentence, sh: _Share, target: Mention, holder: list[Mention], tail: int
) -> tuple[list[Mention], Mention | None]:
    """Who holds the share (a receiver "to X", "giving X", the antecedent of ", which", the
    "respectively" pair, "and B 40%", "X's 15%", the company on the left), and the receiver
    of a share that changes hands (an empty mention when the text does not name it)."""
    doc, words, clause, mentions, paired = s.doc, s.words, s.clause, s.mentions, s.paired
    ps, pe, cue_parts, bound, ellipsis = sh.ps, sh.pe, sh.cues, sh.bound, sh.ellipsis
    clause_words = sh.clause_words
    # "sell 5% of Nissan to Honda": the share changes hands, the receiver holds it
    moved_to: Mention | None = None
    after_share = target.start >= pe
    at = target.end if after_share and target.end < len(doc) else (tail or pe)
    if words[at : at + 2] in ([",", "to"], [",", "into"]) and after_share:
        at += 1  # "a 6% stake in its unit, X, to Y": the apposition's closing comma
    if at + 1 < len(doc) and words[at] in {"into", "to"} and not doc[at + 1].like_num:
        k = at + 1
        while k < len(doc) and words[k] in {"the", "a", "an"}:
            k += 1
        receiver = [m for m in mentions if m.start == k and m.is_org]
        moved_to = Mention(0, 0, "", "", "")  # a receiver the text does not name
        if receiver and receiver[0].ref != target.ref:
            moved_to = receiver[0]
            holder = [receiver[0]]
            cue_parts.append("'<share> of <company> to <company>': the receiver holds it")
    giving = [k for k in range(max(0, ps - 5), ps) if words[k] in _GIVES]
    if not holder and giving:
        # "..., giving Avalon a 20% stake", "issue new shares to Avalon, giving it 9%"
        k = giving[-1]
        named = [m for m in mentions if m.start == k + 1 and m.is_org]
        receiver = [m for m in mentions if m.is_org and m.start and words[m.start - 1] == "to"]
        if named and named[0].ref != target.ref:
            holder = [named[0]]
        elif words[k + 1 : k + 2] in (["it"], ["them"]) and receiver:
            holder = [receiver[-1]] if receiver[-1].ref != target.ref else []
        if holder:
            cue_parts.append("'giving <company> <share>'")
    relative = [(a, b) for a, b in relative_spans(words) if a <= ps < b]
    if not holder and relative and words[relative[0][0] + 1] in {"which", "who"}:
        antecedent = [m for m in mentions if m.is_org and m.end == relative[0][0]]
        if antecedent and antecedent[0].ref != target.ref:  # "B, which owns 15% of A"
            holder = [antecedent[0]]
            cue_parts.append("'<company>, which owns <share>'")
    if not holder and ps in paired:
        holder = [paired[ps]]
        cue_parts.append("'<company> and <company> ... <share> and <share> respectively'")
    if not holder and s.holders and _listed(words, ps) and s.holders[-1].ref != target.ref:
        holder = [s.holders[-1]]  # "owns 20% of A, 5% of B and 3% of C": the same holder
        cue_parts.append("'<share> of A, <share> of B': a list of one holder's stakes")
    ellipsis = [m for m in ellipsis if m.ref != target.ref]
    if not holder and ellipsis:
        holder = [ellipsis[0]]  # "A will hold 60% of the venture and B 40%"
        cue_parts.append("'and <company> <share>': the same stake's other holder")
    if not holder:
        # "<H>'s 15% stake"
        k = ps - 1
        while k >= 0 and (words[k] in rules.APPROXIMATE or words[k] == "additional"):
            k -= 1
        if bound != "exact":
            k -= 2
        if k >= 1 and words[k] in rules.POSSESSIVE:
            hit = [m for m in mentions if m.end == k and m.is_org]
            buyer = _buyer(mentions, doc, words, clause, hit[0]) if hit else None
            if buyer is not None and buyer.ref != target.ref:
                holder = [buyer]  # "Cygnus bought Avalon's 20% stake in Borealis"
                cue_parts.append("'<company> buys <company>'s <share>': the buyer holds it")
            elif hit:
                holder = [hit[0]]
                cue_parts.append("'<company>'s <share>'")
    if not holder:
        # "a 10% stake in X was bought / is held by Y": the passive's agent holds it
        for m in mentions:
            k = m.start - 1
            if not (m.is_org and m.start > pe and m.ref != target.ref and k > 1):
                continue
            if words[k] == "by" and words[k - 1] in _PASSIVE_HOLDS and clause[k] == clause[ps]:
                if words[k - 2] in {"was", "were", "is", "are", "be", "been"}:
                    holder = [m]
                    cue_parts.append("'<share> ... was bought by <company>': a passive")
                    break
    if not holder:
        left = org_left(mentions, doc, ps, clause, {target.ref})
        if left is None:
            left = org_left(
                mentions, doc, ps, [0] * len(doc), {target.ref}
            )  # the sentence's subject, across clauses
        if left is not None:
            holder = [left]
            if {"each", "both"} & set(clause_words):
                holder = coordinated(mentions, doc, left)
                cue_parts.append("'<company> and <company> each'")
                partners = [
                    c.fields["member"]
                    for c in r.claims
                    if c.kind == "JointVentureParticipation"
                    and c.fields.get("organization") == target.ref
                ]
                if len(holder) == 1 and len(partners) > 1:
                    # "a joint venture with B, in which each holds half": its partners
                    holder = [Mention(0, 0, p, r.types.get(p, "Company"), "") for p in partners]
            cue_parts.append("the company before the share")
    return holder, moved_to


def _status(r: Reading, s: _Sentence, sh: _Share, moved_to: Mention | None) -> tuple[str, str, str]:
    """The share's status: the clause's cue, then the share's own ("that X holds", "from
    15%", "its 43% stake", "currently holds")."""
    doc, words, clause = s.doc, s.words, s.clause
    ps, pe, clause_words = sh.ps, sh.pe, sh.clause_words
    status, signal, scue = status_at(r, doc, clause, ps if sh.act is None else sh.act)
    if pe < len(doc) and words[pe] == "that" and status != "reported":
        status, signal, scue = "official", "stated", "'<share> that X holds': held now"
    if ps and words[ps - 1] == "from" or (ps > 1 and words[ps - 2] == "from"):
        if {"present", "currently", "now"} & set(words[pe : pe + 3]):
            status, signal, scue = "official", "stated", "'from <share> at present'"
        else:
            status, signal, scue = "historical", "background", "'from <share>'"
    changes = {"cut", "cuts", "reduce", "reduces", "lower", "lowers", "trim", "sell"}
    own = set(words[max(0, ps - 2) : ps]) & {"its", "their"}
    noun = set(words[pe : pe + 2]) & {"stake", "holding", "shareholding"}
    if own and (noun or set(clause_words) & changes) and not (moved_to and moved_to.ref):
        status, signal, scue = "historical", "background", "'its <share> stake': held now"
    if set(words[max(0, ps - 4) : ps]) & _NOW and status != "reported":
        status, signal, scue = "official", "stated", "'currently holds <share>': held now"
    already = any(words[k] == "already" for k in range(ps) if clause[k] == clause[ps])
    if already and status == "official" and sh.act is None:
        status, signal, scue = "historical", "background", "'already holds': the news is not it"
    return status, signal, scue


def _propose(
    r: Reading,
    s: _Sentence,
    sh: _Share,
    target: Mention,
    holder: list[Mention],
    cue: tuple[str, str, str],
    ev: Evidence,
) -> None:
    """The stake of each holder (and its joint-venture participation)."""
    words, ranges, sentence_targets = s.words, s.ranges, s.targets
    ps, pe, cue_parts, value, bound, approx = sh.ps, sh.pe, sh.cues, sh.value, sh.bound, sh.approx
    status, signal, scue = cue
    interest = "shareholding"
    if "voting" in words[max(0, ps - 5) : pe + 5]:
        interest = "voting_rights"
    share: dict[str, float] = {}
    share_key = {"exact": "share", "min": "share_min", "max": "share_max"}[bound]
    share[share_key] = value
    if ps in ranges:  # "between 3% and 5%", "3% to 5%"
        share = {"share_min": value, "share_max": ranges[ps]}
        cue_parts.append("'between <share> and <share>' -> share_min/share_max")
    notes = []
    if approx:
        notes.append("the text gives the share as approximate")
    sentence_targets.append(target.ref)
    s.holders.extend(h for h in holder if h.ref != target.ref)
    if ps and words[ps - 1] == "(" and not s.paren_role:
        by_name = target.end == ps - 1
        s.paren_role = "target" if by_name else "holder"
    for h in holder:
        if h.ref == target.ref:
            continue
        fields = {"holder": h.ref, "target": target.ref, "interest": interest, **share}
        add(
            r,
            Proposal(
                "EquityStake",
                fields,
                status,
                signal,
                "; ".join(cue_parts) + f"; status cue: {scue}",
                [ev],
                notes=notes,
            ),
        )
        if r.types.get(target.ref) == "JointVenture":
            add(
                r,
                Proposal(
                    "JointVentureParticipation",
                    {"member": h.ref, "organization": target.ref},
                    status,
                    signal,
                    "a share in a joint venture; status cue: " + scue,
                    [ev],
                ),
            )
    r.last_target = target.ref


def cross_holdings(
    r: Reading,
    doc: Any,
    mentions: list[Mention],
    ps: int,
    pe: int,
    value: float,
    bound: str,
    clause: list[int],
    ev: Evidence,
    paired: Mention | None = None,
) -> bool:
    """Cross-shareholdings of two companies at a share: a stake each way (one way, the
    ``paired`` company's, when "respectively" gives each share its holder)."""
    words = [t.lower_ for t in doc]
    parties: list[str] = []
    for m in mentions:
        if m.is_org and m.ref not in parties:
            parties.append(m.ref)
    if len(parties) < 2:
        parties += [x for x in pair(r) if x not in parties]
    if len(parties) < 2:
        return False
    a, b = parties[:2]
    status, signal, scue = status_at(r, doc, clause, ps)
    before = words[max(0, ps - 2) : ps]
    if "from" in before:
        if {"present", "currently", "now"} & set(words[pe : pe + 3]):
            status, signal, scue = "official", "stated", "'from <share> at present'"
        else:
            status, signal, scue = "historical", "background", "'from <share>'"
    key = {"exact": "share", "min": "share_min", "max": "share_max"}[bound]
    ways = [(a, b), (b, a)]
    if paired is not None and paired.ref in (a, b):
        # "stakes in each other of 5% and 2% respectively": this share is one way only
        ways = [(paired.ref, b if paired.ref == a else a)]
    for holder, target in ways:
        fields = {"holder": holder, "target": target, "interest": "shareholding", key: value}
        add(
            r,
            Proposal(
                "EquityStake",
                fields,
                status,
                signal,
                f"'cross-shareholdings' of two companies: a stake each way; status cue: {scue}",
                [ev],
            ),
        )
    return True


_BECOMES = {"into", "to", ",", "became", "becomes", "become", "will", "would", "is", "was"}
_BECOMES |= {"be", "has", "been", "now", "already", "later"}
"""Words between a company and a "wholly owned subsidiary" phrase that describes it."""

_PHRASE = {"a", "an", "its", "their", "wholly", "fully", "-", "owned", "directly", "and"}
"""Words of "a wholly owned", "its fully-owned" before "subsidiary"."""


def wholly_owned(r: Reading, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
    """ "X, a subsidiary it owns wholly", "Y's wholly owned subsidiary X", "A turned X into a
    wholly owned subsidiary", "X, a wholly owned subsidiary of A": 100% (the company the
    phrase describes is owned; "of A", "A's" or else the sentence's first other company
    owns it)."""
    words = [t.lower_ for t in doc]
    if not ({"wholly", "fully"} & set(words)) or "subsidiary" not in words:
        return
    k = words.index("subsidiary")
    clause = clauses(doc)
    p = k  # where the noun phrase starts: "a wholly owned", "its fully-owned"
    while p > 0 and words[p - 1] in _PHRASE:
        p -= 1
    holder: Mention | None = None
    target: Mention | None = None
    if words[k + 1 : k + 2] == ["of"]:  # "a wholly owned subsidiary of A"
        holder = next((m for m in mentions if m.is_org and m.start == k + 2), None)
    else:  # "A's wholly owned subsidiary X", "a wholly owned subsidiary, X,"
        target = next((m for m in mentions if m.is_org and m.start in (k + 1, k + 2)), None)
    if p >= 2 and words[p - 1] in rules.POSSESSIVE:
        holder = holder or next((m for m in mentions if m.is_org and m.end == p - 1), None)
    if target is None:
        # "X, a subsidiary ...", "turned X into a ...", "X will become a ...": the company
        # just before the phrase, only linking words between them, in its clause
        left = [
            m
            for m in mentions
            if m.is_org
            and m.end <= p
            and clause[m.start] == clause[k]
            and all(w in _BECOMES for w in words[m.end : p])
            and (holder is None or m.ref != holder.ref)
        ]
        target = left[-1] if left else None
    if target is None:
        return
    if holder is None:  # the sentence's subject: its first other company
        holder = next((m for m in mentions if m.is_org and m.ref != target.ref), None)
    if holder is None or holder.ref == target.ref:
        return
    status, signal, scue = status_at(r, doc, clause, k)
    add(
        r,
        Proposal(
            "EquityStake",
            {
                "holder": holder.ref,
                "target": target.ref,
                "interest": "shareholding",
                "share": 100.0,
            },
            status,
            signal,
            f"'wholly owned subsidiary' -> 100%; status cue: {scue}",
            [ev],
        ),
    )


_BUY_VERBS = set("buy buys bought buying acquire acquires acquired acquiring purchase".split())
_BUY_VERBS |= set("purchases purchased purchasing take takes took taking".split())
_SELL_VERBS = set("sell sells sold selling divest divests divested dispose disposed".split())
_SELL_VERBS |= set("offload offloaded exit exits exited unload unloaded".split())


def _buyer(
    mentions: list[Mention], doc: Any, words: list[str], clause: list[int], owner: Mention
) -> Mention | None:
    """The company that buys ``owner``'s stake: "Cygnus bought Avalon's 20% stake" (a buying
    verb just before the owner's name, its subject on the left)."""
    k = owner.start - 1
    while k >= 0 and words[k] in {"the", "all", "of", "entire", "whole"}:
        k -= 1
    if k < 0 or words[k] not in _BUY_VERBS:
        return None
    return org_left(mentions, doc, k, clause, {owner.ref})


_UNSIZED = {"stake", "stakes", "holding", "shareholding", "equity"}
_SIZE_WORDS = {"undisclosed", "unspecified", "unknown", "small", "strategic", "minority"}
_SIZE_WORDS |= {"significant", "sizeable", "sizable", "substantial", "symbolic", "token", "new"}


def unsized(r: Reading, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
    """A stake of no stated size: "acquired an undisclosed stake in X", "will take a minority
    stake in X", "invest in X, taking a small stake" (``share_unknown``; a minority stake is
    at most 50%). Sold stakes and stakes a percentage already sized are left alone."""
    words = [t.lower_ for t in doc]
    if {"%", "percent", "per"} & set(words) or any("%" in t.text for t in doc):
        return  # the sentence sizes its stakes: the percentage rules read them
    clause = clauses(doc)
    _holders_unsized(r, doc, mentions, words, clause, ev)
    _bought_shares(r, doc, mentions, words, clause, ev)
    for i, w in enumerate(words):
        if w not in _UNSIZED or (w == "equity" and words[i + 1 : i + 2] == ["stake"]):
            continue
        k = i - 1  # "a (small | minority | undisclosed) stake"
        minority = False
        while k >= 0 and (words[k] in _SIZE_WORDS or words[k] in {"equity", ","}):
            minority = minority or words[k] == "minority"
            k -= 1
        if k < 0 or words[k] not in {"a", "an", "stakes"} and w != "stakes":
            continue  # "its stake", "the stake": one named before, not a new fact
        if set(words[max(0, k - 3) : k]) & _SELL_VERBS:
            continue  # "sold a stake in X": nobody named holds it
        if negated(words, clause, k):
            continue  # "did not take a stake in X"
        j = i + 1  # "a stake (of an undisclosed size) in X"
        if words[j : j + 1] == ["of"]:
            while j < len(doc) and words[j] not in {"in", ",", "."}:
                j += 1
        target = None
        if words[j : j + 1] in (["in"], ["into"]):
            k2 = j + 1
            while k2 < len(doc) and words[k2] in {"the", "its"}:
                k2 += 1
            target = next((m for m in mentions if m.start == k2 and m.is_org), None)
        if target is None:  # "invest in X, taking a small stake"
            invested = [
                m
                for m in mentions
                if m.is_org
                and m.start > 1
                and words[m.start - 1] == "in"
                and words[m.start - 2] in {"invest", "invests", "invested", "investing"}
            ]
            target = invested[0] if invested else None
        if target is None:
            continue
        if any(
            c.kind == "EquityStake" and ev in c.evidence and c.fields["target"] == target.ref
            for c in r.claims
        ):
            continue
        holder = org_left(mentions, doc, k, clause, {target.ref})
        if holder is None:
            holder = org_left(mentions, doc, k, [0] * len(doc), {target.ref})
        if holder is None:
            continue
        holders = coordinated(mentions, doc, holder) if "each" in words else [holder]
        share: dict[str, Any] = {"share_max": 50.0} if minority else {"share_unknown": True}
        status, signal, scue = status_at(r, doc, clause, i)
        said = (
            "'a minority stake in <company>' -> share_max 50"
            if minority
            else ("'a stake in <company>' of no stated size -> share_unknown")
        )
        for h in holders:
            if h.ref == target.ref:
                continue
            fields = {"holder": h.ref, "target": target.ref, "interest": "shareholding", **share}
            add(
                r,
                Proposal(
                    "EquityStake", fields, status, signal, f"{said}; status cue: {scue}", [ev]
                ),
            )
        r.last_target = target.ref


def _shares_bought(
    mentions: list[Mention], doc: Any, words: list[str], clause: list[int], before: int
) -> tuple[Mention, Mention] | None:
    """(buyer, company) of a purchase of shares before word ``before``: "A will buy (new)
    shares (worth $500 million) in B", "A bought B shares"."""
    for i in range(before - 1, 0, -1):
        if words[i] not in {"shares", "stock"}:
            continue
        target = next((m for m in mentions if m.is_org and m.end == i), None)  # "B shares"
        verb = target.start - 1 if target is not None else i - 1
        if target is None:  # "shares (worth ...) in B"
            target = next(
                (
                    m
                    for m in mentions
                    if m.is_org
                    and i < m.start < min(before, i + 8)
                    and words[m.start - 1] in {"in", "of"}
                ),
                None,
            )
        while verb >= 0 and words[verb] in {"some", "more", "new", "the", "additional"}:
            verb -= 1
        if target is None or verb < 0 or words[verb] not in _BUY_VERBS:
            continue
        buyer = org_left(mentions, doc, verb, clause, {target.ref})
        if buyer is not None:
            return buyer, target
    return None


def _bought_shares(
    r: Reading, doc: Any, mentions: list[Mention], words: list[str], clause: list[int], ev: Evidence
) -> None:
    """ "A will buy B shares from C", "A bought shares of B": A holds a stake in B of no
    stated size (the buying verb's subject; a seller after "from" holds nothing new)."""
    for i, w in enumerate(words):
        if w not in {"shares", "stock"}:
            continue
        target = next((m for m in mentions if m.is_org and m.end == i), None)  # "B shares"
        verb = target.start - 1 if target is not None else i - 1
        if target is None and words[i + 1 : i + 2] in (["of"], ["in"]):  # "shares of B"
            target = next((m for m in mentions if m.is_org and m.start == i + 2), None)
        while verb >= 0 and words[verb] in {"some", "more", "new", "the", "additional"}:
            verb -= 1
        if target is None or verb < 0 or words[verb] not in _BUY_VERBS:
            continue
        holder = org_left(mentions, doc, verb, clause, {target.ref})
        if holder is None:
            continue
        status, signal, scue = status_at(r, doc, clause, verb)
        fields = {
            "holder": holder.ref,
            "target": target.ref,
            "interest": "shareholding",
            "share_unknown": True,
        }
        said = "'buy <company> shares' of no stated size -> share_unknown"
        add(r, Proposal("EquityStake", fields, status, signal, f"{said}; status cue: {scue}", [ev]))


_INVESTOR = {"shareholder", "shareholders", "investor", "investors", "stakeholder", "backer"}


def _holders_unsized(
    r: Reading, doc: Any, mentions: list[Mention], words: list[str], clause: list[int], ev: Evidence
) -> None:
    """ "A, B's largest shareholder, ...", "A is an investor in B", "A-backed B": A holds a
    stake in B of no stated size ("-controlled": at least 50%)."""
    found: list[tuple[Mention, Mention, dict[str, Any], int, str]] = []
    for i, w in enumerate(words):
        if w in _INVESTOR and "former" not in words[max(0, i - 3) : i]:
            target = None
            if words[i + 1 : i + 2] in (["of"], ["in"]):
                target = next((m for m in mentions if m.start == i + 2 and m.is_org), None)
            if target is None:  # "B's largest shareholder"
                poss = [k for k in range(max(0, i - 4), i) if words[k] in rules.POSSESSIVE]
                if poss:
                    target = next((m for m in mentions if m.end == poss[-1] and m.is_org), None)
            if target is None:
                continue
            holder = org_left(mentions, doc, min(i, target.start), [0] * len(doc), {target.ref})
            if holder is not None:
                found.append((holder, target, {"share_unknown": True}, i, f"'{w} of <company>'"))
        elif w in {"backed", "controlled"} and i > 1 and words[i - 1] == "-":
            holder = next((m for m in mentions if m.end == i - 1 and m.is_org), None)
            target = next((m for m in mentions if m.start == i + 1 and m.is_org), None)
            if holder is not None and target is not None:
                share: dict[str, Any] = (
                    {"share_min": 50.0} if w == "controlled" else {"share_unknown": True}
                )
                found.append((holder, target, share, i, f"'<company>-{w} <company>'"))
    for holder, target, share, i, said in found:
        if holder.ref == target.ref or any(
            c.kind == "EquityStake" and ev in c.evidence and c.fields["target"] == target.ref
            for c in r.claims
        ):
            continue
        holders = coordinated(mentions, doc, holder) if words[i].endswith("s") else [holder]
        status, signal, scue = status_at(r, doc, clause, i)
        if words[i] in {"backed", "controlled"} and status != "reported":
            status, signal, scue = "official", "stated", "'<company>-backed <company>': held now"
        for h in holders:
            if h.ref == target.ref:
                continue
            fields = {"holder": h.ref, "target": target.ref, "interest": "shareholding", **share}
            add(
                r,
                Proposal(
                    "EquityStake", fields, status, signal, f"{said}; status cue: {scue}", [ev]
                ),
            )


def drop_unsized_repeats(r: Reading) -> None:
    """Leave out a stake of no stated size where the document sizes a stake of the same
    holder in the same company elsewhere ("its largest shareholder" after "holds 17%")."""
    sized = {
        (c.fields["holder"], c.fields["target"])
        for c in r.claims
        if c.kind == "EquityStake" and "share_unknown" not in c.fields
    }
    r.claims = [
        c
        for c in r.claims
        if not (
            c.kind == "EquityStake"
            and "share_unknown" in c.fields
            and (c.fields["holder"], c.fields["target"]) in sized
        )
    ]
