"""Labels in the drafter's own words: a template per claim kind and status, and a second
template when a short source sentence happens to read like the first (the project never copies
a source sentence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from automaker_kg.draft.model import Evidence, Proposal

__all__ = ["label_of", "own_words"]


def _pct(value: float) -> str:
    return f"{value:g}%"


def _money(amount: float, currency: str) -> str:
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if amount >= scale:
            return f"{amount / scale:g} {word} {currency}".strip()
    return f"{amount:g} {currency}".strip()


def label_of(
    claim: Proposal, labels: dict[str, str], amounts: Sequence[tuple[Evidence, float, str]] = ()
) -> str:
    """The claim's label from the drafter's templates (never the source's wording).

    >>> p = Proposal("EquityStake", {"holder": "kg:a", "target": "kg:b", "share_min": 20},
    ...              "historical", "background", "", [])
    >>> label_of(p, {"kg:a": "A", "kg:b": "B"})
    'A held at least 20% of B'
    """
    f = claim.fields

    def name(ref: Any) -> str:
        if isinstance(ref, list):
            parts = [name(r) for r in ref]
            return (
                " and ".join(parts)
                if len(parts) < 3
                else ", ".join(parts[:-1]) + " and " + parts[-1]
            )
        return labels.get(ref, ref.split(":", 1)[-1])

    verb = {
        "plan": ("is to hold", "is to join", "is to"),
        "historical": ("held", "was a partner in", "did"),
        "reported": (
            "holds, according to unnamed sources,",
            "is reportedly a partner in",
            "reportedly",
        ),
    }.get(claim.status, ("holds", "is a partner in", ""))
    if claim.kind == "EquityStake":
        if "share" in f:
            amount = _pct(f["share"])
        elif "share_min" in f:
            amount = "at least " + _pct(f["share_min"])
        elif "share_max" in f:
            amount = "up to " + _pct(f["share_max"])
        else:
            amount = "a stake of unstated size"
            what = " in "
        if "share_unknown" not in f:
            what = " of the voting rights in " if f.get("interest") == "voting_rights" else " of "
        text = f"{name(f['holder'])} {verb[0]} {amount}{what}{name(f['target'])}"
        paid = [a for a in amounts if a[0] in claim.evidence]
        if len(paid) == 1:
            text += f" (a sum of {_money(paid[0][1], paid[0][2])} in the same sentence)"
        return text
    if claim.kind == "JointVentureParticipation":
        return f"{name(f['member'])} {verb[1]} {name(f['organization'])}"
    if claim.kind == "TechnologyArrangement":
        base = {
            "develops": "develop",
            "shares": "share",
            "supplies": "supply",
            "licenses": "license",
            "withholds": "withhold",
            "protects": "protect",
            "acquires": "acquire",
            "contributes": "contribute",
        }[f["arrangement"]]
        many = isinstance(f["provider"], list) and len(f["provider"]) > 1
        doing = base if many else str(f["arrangement"])
        subject = name(f["provider"])
        techs = name(f["technology"])
        tail = f" to {name(f['recipient'])}" if "recipient" in f else ""
        if claim.status == "plan":
            return f"{subject} {'are' if many else 'is'} to {base} {techs}{tail}"
        if claim.status == "reported":
            return f"{subject} reportedly {doing} {techs}{tail}"
        return f"{subject} {doing} {techs}{tail}"
    if claim.kind == "JointProject":
        who, techs = name(f["participant"]), name(f["technology"])
        if claim.status == "plan":
            return f"{who} are to work together on {techs}"
        if claim.status == "reported":
            return f"{who} reportedly work together on {techs}"
        return f"{who} work together on {techs}"
    return claim.kind


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9%]+", " ", text.lower()).strip()


def own_words(label: str, sentences: Sequence[str], claim: Proposal, labels: dict[str, str]) -> str:
    """``label``, unless it repeats one of its evidence sentences: then a second template.

    A short sentence ("Renault holds 15% of Nissan.") can read like a template's output; the
    project never copies a source sentence, so the label is then written the other way round.

    >>> p = Proposal("EquityStake", {"holder": "kg:r", "target": "kg:n", "share": 15},
    ...              "official", "stated", "", [])
    >>> own_words("R holds 15% of N", ["R holds 15% of N."], p, {"kg:r": "R", "kg:n": "N"})
    'Stake in N held by R: 15% (official)'
    """
    from automaker_kg.sources.documents import copied_runs

    def copied(text: str) -> bool:
        return any(_plain(text) == _plain(s) or copied_runs(text, s) for s in sentences)

    if not copied(label):
        return label
    f = claim.fields

    def name(ref: Any) -> str:
        refs = ref if isinstance(ref, list) else [ref]
        return " and ".join(labels.get(r, r.split(":", 1)[-1]) for r in refs)

    if claim.kind == "EquityStake":
        share = f.get("share", f.get("share_min", f.get("share_max")))
        size = "size not stated" if share is None else f"{share:g}%"
        other = f"Stake in {name(f['target'])} held by {name(f['holder'])}: {size} ({claim.status})"
    elif claim.kind == "JointVentureParticipation":
        other = f"Partner of {name(f['organization'])}: {name(f['member'])} ({claim.status})"
    elif claim.kind == "JointProject":
        other = f"Joint project of {name(f['participant'])} ({claim.status})"
    else:
        other = (
            f"Technology arrangement ({f['arrangement']}) of {name(f['provider'])} ({claim.status})"
        )
    return other
