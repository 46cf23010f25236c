"""Status: what a clause signals about its fact, from the cues of
:data:`automaker_kg.draft.rules.STATUS_CUES` (according to people familiar -> reported; plans
to, will -> plan; previously, was -> historical; completed, agreed, said, or no cue -> official).

>>> cue_status("honda plans to take a stake".split())
('plan', 'plans to', 'plans to')
>>> cue_status("renault previously held 43.4%".split())[0]
'historical'
"""

from __future__ import annotations

from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.dates import date_of
from automaker_kg.draft.model import Reading, match_label

__all__ = ["clauses", "cue_status", "status_at", "tech_status"]


def clauses(doc: Any) -> list[int]:
    """A clause number for every token: clauses end at ';', ':' and 'while'."""
    out, number = [], 0
    for tok in doc:
        if tok.text in {";", ":"} or tok.lower_ == "while":
            number += 1
        out.append(number)
    return out


def cue_status(words: list[str]) -> tuple[str, str, str]:
    """(status, signal, cue) of a clause's words."""
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
                    return status, signal, " ".join(cue)
    return "official", "stated", "no cue: stated as fact"


def status_at(r: Reading, doc: Any, clause: list[int], i: int) -> tuple[str, str, str]:
    """The status of the clause holding token ``i``: its own cue, else the sentence's;
    a year before the report's makes a stated fact background."""
    words = [t.lower_ for t in doc]
    status = cue_status([words[k] for k in range(len(doc)) if clause[k] == clause[i]])
    if status[1] == "stated":
        status = cue_status(words)
    if status[2] == "deal" and r.deal_status:
        # "the deal also creates ...": the deal's own status, from the report's first cue
        status = (*r.deal_status[:2], f"the deal's status ({r.deal_status[2]})")
    if status[0] == "official" and r.date:
        for mid, s, e in r.matcher(doc):
            if match_label(r, mid) != "DATE" or clause[s] != clause[i]:
                continue
            found = date_of(doc[s:e], r.date)
            if found and found[0][:4] < r.date[:4]:
                return "historical", "background", f"a past year ({found[0][:4]})"
    return status


def tech_status(
    r: Reading, doc: Any, clause: list[int], i: int, describes: bool = False
) -> tuple[str, str, str]:
    """A technology stated with no cue, or a description ("a leader in", "X's own"), is
    what the company does: background, unless the clause plans or reports it."""
    words = [t.lower_ for t in doc]
    own = cue_status([words[k] for k in range(len(doc)) if clause[k] == clause[i]])
    status = status_at(r, doc, clause, i)
    if own[1] == "stated" and status[0] != "reported":
        status = own
    if status[1] == "stated" or (describes and status[0] != "reported"):
        return "historical", "background", "what the company does (no plan, no report)"
    return status
