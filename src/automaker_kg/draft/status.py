"""Status: what a clause signals about its fact, from the cues of
:data:`automaker_kg.draft.rules.STATUS_CUES` (according to people familiar -> reported; plans
to, will -> plan; previously, was -> historical; completed, agreed, said, or no cue -> official).

>>> cue_status("honda plans to take a stake".split())
('plan', 'plans to', 'plans to')
>>> cue_status("renault previously held 43.4%".split())[0]
'historical'
"""

from __future__ import annotations

import re
from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.dates import date_of
from automaker_kg.draft.model import Reading, match_label

__all__ = ["clauses", "cue_status", "status_at", "tech_status"]


def clauses(doc: Any) -> list[int]:
    """A clause number for every token: clauses end at ';', ':', 'while' and ', and' / ', but',
    and at an "and" / "but" between two clauses that each have a subject and a verb ("A will
    buy 5% of B and B will buy 1% of A"; not "A and B will each hold 50%").

    >>> import spacy
    >>> clauses(spacy.blank("en")("Avalon will buy 5% of Borealis and Borealis will buy 1%"))
    [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    >>> clauses(spacy.blank("en")("Avalon and Borealis will each hold half"))
    [0, 0, 0, 0, 0, 0, 0]
    """
    out, number = [], 0
    verb_since = False  # the current clause has a verb so far
    cue_since = False  # ... or a cue verb of a technology ("makes")
    for tok in doc:
        after_comma = tok.i > 0 and doc[tok.i - 1].text == ","
        if (
            tok.text in {";", ":"}
            or tok.lower_ == "while"
            or (after_comma and tok.lower_ in {"and", "but", "whereas"})
            or (tok.lower_ in {"and", "but"} and verb_since and _clause_follows(doc, tok.i))
            or (tok.lower_ == "and" and cue_since and _past_verb_follows(doc, tok.i))
            or (  # "owns 30% after buying 10% last year": the purchase is a clause of its own
                tok.lower_ in {"after", "before", "following"}
                and verb_since
                and tok.i + 1 < len(doc)
                and doc[tok.i + 1].lower_.endswith("ing")
            )
        ):
            number += 1
            verb_since = cue_since = False
        verb_since = verb_since or tok.lower_ in _FINITE
        cue_since = verb_since or cue_since or tok.lower_ in rules.TECH_VERBS
        out.append(number)
    return out


_FINITE = set(
    "will would shall should can could may might must is are was were has have had agreed "
    "agrees said says announced announces plans planned intends intended expects expected "
    "aims wants holds held owns owned took takes bought buys buy acquired acquires acquire "
    "sold sells sell signed signs invested invests keep keeps kept retain retains retained "
    "develop develops developed supply supplies supplied use uses used share shares shared "
    "cut cuts raised raises reduce reduced reduces hold own take".split()
)
"""Auxiliaries and the verbs of the drafter's cues: a clause that has one is a clause."""


def _past_verb_follows(doc: Any, i: int) -> bool:
    """After the "and" at ``i``: a verb in the past with its subject left out, after a noun
    ("makes e-axles for B in Ohio and licensed its design to B in 2024": two acts, each
    with its own time; not "developed and supplied batteries", one object of two verbs).

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("A makes axles in Ohio and licensed its design")
    >>> _past_verb_follows(doc, 5), _past_verb_follows(nlp("A developed and supplied it"), 2)
    (True, False)
    """
    if i + 1 >= len(doc) or i < 1:
        return False
    after, before = doc[i + 1].lower_, doc[i - 1].lower_
    verbs = _FINITE | set(rules.TECH_VERBS)
    return after.endswith("ed") and after in verbs and before not in verbs and before != ","


def _clause_follows(doc: Any, i: int) -> bool:
    """After the "and" at ``i``: a name (capitalised words) or "it"/"they", then a verb; or
    a modal with the subject left out ("... and will use batteries from B")."""
    k = i + 1
    if k < len(doc) and doc[k].lower_ in rules.MODALS:
        return True
    if k < len(doc) and doc[k].lower_ in {"it", "they", "the"}:
        k += 1
    start = k
    while (
        k < len(doc) and k - start < 4 and (doc[k].text[:1].isupper() or doc[k].text in {"'s", "-"})
    ):
        k += 1
    if k == start and doc[start - 1].lower_ not in {"it", "they"}:
        return False
    return k < len(doc) and doc[k].lower_ in _FINITE and doc[k].lower_ not in {"share", "shares"}


_DONE = {"completed", "closed", "finalised", "finalized", "signed", "agreed", "announced"}
_DONE |= {"confirmed", "approved", "sealed", "bought", "acquired", "purchased"}
"""Past participles that make "was/were" an act reported now ("was completed"), not a past."""


def cue_status(words: list[str]) -> tuple[str, str, str]:
    """(status, signal, cue) of a clause's words.

    >>> cue_status("the purchase was completed in march".split())
    ('official', 'completed', 'completed')
    """
    for status, signal, cues in rules.STATUS_CUES:
        for cue in cues:
            n = len(cue)
            for i in range(len(words) - n + 1):
                if tuple(words[i : i + n]) == cue:
                    if cue == ("may",) and (
                        (i and words[i - 1].isdigit())
                        or (i + 1 < len(words) and words[i + 1].isdigit())
                    ):
                        continue  # "18 May 2023": the month
                    if (
                        cue in (("was",), ("were",))
                        and words[i + 1 : i + 2]
                        and (words[i + 1] in _DONE)
                    ):
                        continue  # "was completed": the act, reported as done
                    return status, signal, " ".join(cue)
    return "official", "stated", "no cue: stated as fact"


_RELATIVE = {"which", "who", "whose"}


def relative_spans(words: list[str]) -> list[tuple[int, int]]:
    """The ``[start, end)`` of each comma-bounded relative clause (", which owns 20% of X,").

    >>> relative_spans("a , which owns 5 % of b , said it would".split())
    [(1, 8)]
    """
    out = []
    for k in range(len(words) - 1):
        if words[k] == "," and words[k + 1] in _RELATIVE:
            end = next((j for j in range(k + 2, len(words)) if words[j] in {",", ";"}), len(words))
            out.append((k, end))
    return out


def _part(words: list[str], k: int) -> int:
    """The number of the ";"-separated part of a sentence word ``k`` is in."""
    return words[:k].count(";")


_AFTER_REPORTED = {".", ",", ";", "on", "citing", "earlier", "last", "this", "late"}


def _words_of(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def other_medium(r: Reading, doc: Any) -> str | None:
    """The news medium other than the report's publisher that a sentence cites: "..., the
    Nikkei business daily reported", "Bloomberg reported on Tuesday", "according to a
    Bloomberg report" (a capitalised name within four words before "reported" at the end of
    its clause, or between "according to a" and "report"). None for the report itself
    ("according to the report"), its publisher ("Kyodo News reported" in Kyodo's report) or
    a company of the report ("Avalon reported on Tuesday").

    >>> from automaker_kg.draft.model import Entity
    >>> from automaker_kg.draft.names import Name
    >>> from automaker_kg.draft.rules import pipeline
    >>> r = Reading("", [], {}, "2024-05-02")
    >>> r.publisher = Entity("kyodo-news", "Kyodo News", "MediaOrganization")
    >>> r.labels, r.types = {"kg:avalon": "Avalon"}, {"kg:avalon": "Automaker"}
    >>> nlp = pipeline([Name("Avalon", "avalon", "kg", "Automaker")])
    >>> [other_medium(r, nlp(s)) for s in ("A will buy 5%, the Nikkei daily reported.",
    ...  "A will buy 5%, Kyodo News reported.", "A will buy 5%, according to the report.",
    ...  "A will buy 5%, according to a Bloomberg report.", "It sold 5%, Avalon reported.",
    ...  "It sold 5%, the Financial Times reported.")]
    ['Nikkei', None, None, 'Bloomberg', None, 'Financial']
    """
    words = [t.lower_ for t in doc]
    publisher = _words_of(r.publisher.label) if r.publisher is not None else set()
    own: set[str] = set()
    for ref, label in r.labels.items():  # the companies the report names are no medium
        if r.types.get(ref) != "MediaOrganization" and not ref.startswith("tech:"):
            own |= _words_of(label)
    for e in r.entities.values():
        if e.type != "MediaOrganization":
            own |= _words_of(e.label)
    for k, w in enumerate(words):
        if w == "reported" and words[k + 1 : k + 2] in ([x] for x in _AFTER_REPORTED):
            span = range(max(0, k - 4), k)
        elif w in {"report", "reports"}:
            start = next(
                (j for j in range(max(0, k - 6), k) if words[j : j + 3] in _ACCORDING), None
            )
            if start is None:
                continue
            span = range(start + 3, k)
        else:
            continue
        for j in span:
            text = doc[j].text
            if not text[:1].isupper() or j == 0 or words[j] in {"the", "a", "an"}:
                continue
            if _words_of(text) & publisher:
                return None  # the report's own publisher
            # a name the report proposes as a company is a medium only before a media noun
            # ("the Nikkei business daily", "a Bloomberg report") or after "the" ("the
            # Financial Times reported": companies take no article)
            article = words[span[0] : j][-1:] == ["the"] and w == "reported"
            if not _words_of(text) & own or _MEDIA_NOUNS & set(words[j + 1 : k + 1]) or article:
                return text
    return None


_MEDIA_NOUNS = set("daily newspaper paper news agency outlet magazine report reports".split())


_ACCORDING = (["according", "to", "a"], ["according", "to", "an"])


def status_at(r: Reading, doc: Any, clause: list[int], i: int) -> tuple[str, str, str]:
    """The status of the clause holding token ``i``: its own cue, else the sentence's;
    a relative clause (", which owns ...,") keeps its own status apart from the sentence's
    (only a report's cue reaches into it); a year before the report's makes a stated fact
    background."""
    words = [t.lower_ for t in doc]
    spans = relative_spans(words)
    inside = next(((a, b) for a, b in spans if a <= i < b), None)
    if inside is not None:
        scope = [words[k] for k in range(*inside)]
        status = cue_status(scope)
        if status[1] == "stated":
            whole = cue_status(words)
            status = whole if whole[0] == "reported" else status
    else:
        apart = {k for a, b in spans for k in range(a, b)}
        # "owns 30% after buying 10% last year": the "after ...ing" clause's cues are its own
        subordinate = {
            c
            for k, c in enumerate(clause)
            if words[k] in {"after", "before", "following"}
            and (k == 0 or clause[k - 1] != c)
            and c != clause[i]
        }
        apart |= {k for k, c in enumerate(clause) if c in subordinate}
        mine = [k for k in range(len(doc)) if k not in apart]
        status = cue_status([words[k] for k in mine if clause[k] == clause[i]])
        whole = cue_status([words[k] for k in mine])
        # "A will supply T to B and B will share U, people familiar said": the report's
        # attribution covers each clause of its part of the sentence (not across ";")
        part = [k for k in mine if _part(words, k) == _part(words, i)]
        reported = cue_status([words[k] for k in part])
        if status[1] == "stated":
            status = whole
        elif reported[0] == "reported":
            status = reported
    medium = other_medium(r, doc) if status[0] != "reported" else None
    if medium is not None:  # "..., the Nikkei business daily reported": others' reporting
        return "reported", rules.STATUS_CUES[0][1], f"reported by another medium ({medium})"
    if status[2] == "deal" and r.deal_status and "deal" in words[:i]:
        # "the deal also creates ...": the deal's own status, from the report's first cue
        status = (*r.deal_status[:2], f"the deal's status ({r.deal_status[2]})")
    if status[0] == "official" and r.date:
        for mid, s, e in r.matcher(doc):
            if match_label(r, mid) != "DATE" or clause[s] != clause[i]:
                continue
            if words[max(0, s - 1) : s][:1] == ["since"] or words[s] == "since":
                continue  # "has used it since 2021": still so
            if any(a <= s < b and not a <= i < b for a, b in spans):
                continue  # a date of another clause's relative clause
            found = date_of(doc[s:e], r.date)
            if found and found[0][:4] < r.date[:4]:
                return "historical", "background", f"a past year ({found[0][:4]})"
    return status


def tech_status(
    r: Reading, doc: Any, clause: list[int], i: int, describes: bool = False, given: bool = False
) -> tuple[str, str, str]:
    """A technology stated with no cue, or a description ("a leader in", "X's own"), is
    what the company does: background, unless the clause plans or reports it. One ``given``
    to a named company ("supplies its software to X") is an arrangement in force."""
    if given and not describes:
        return status_at(r, doc, clause, i)
    words = [t.lower_ for t in doc]
    own = cue_status([words[k] for k in range(len(doc)) if clause[k] == clause[i]])
    status = status_at(r, doc, clause, i)
    if own[1] == "stated" and status[0] != "reported":
        status = own
    if status[1] == "stated" or (describes and status[0] != "reported"):
        return "historical", "background", "what the company does (no plan, no report)"
    return status
