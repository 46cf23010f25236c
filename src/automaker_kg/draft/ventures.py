"""Joint ventures: a venture named beside its partners ("X, a joint venture of A and B",
"A and B set up a joint venture"), an unnamed one proposed as "A–B joint venture", equal
shares ("50-50"), and a proposed company whose owners' shares add up to all of it.

>>> from automaker_kg.draft.extract import draft_text
>>> from automaker_kg.draft.names import Name
>>> names = [Name("Honda", "honda", "kg", "Automaker"), Name("Sony", "sony", "kg", "Company")]
>>> d = draft_text("Title: T\\nDate: 2022-03-04\\n\\nSony and Honda will set up a 50-50 joint "
...                "venture.\\n", names)
>>> for c in sorted(d.claims, key=lambda c: (c.kind, str(c.fields))):
...     print(c.kind, c.fields.get("member", c.fields.get("holder")), c.fields.get("share"))
EquityStake kg:honda 50.0
EquityStake kg:sony 50.0
JointVentureParticipation kg:honda None
JointVentureParticipation kg:sony None
"""

from __future__ import annotations

import re
from typing import Any

from automaker_kg.draft.entities import coordinated, joined_after, org_left
from automaker_kg.draft.model import (
    Entity,
    Evidence,
    Mention,
    Proposal,
    Reading,
    add,
    pair,
    slug,
)
from automaker_kg.draft.status import clauses, status_at

__all__ = ["partners_of", "unnamed_jv", "joint_ventures", "infer_joint_ventures"]


def partners_of(r: Reading, mentions: list[Mention]) -> list[str]:
    """The sentence's companies (else the previous sentence's), places left out."""
    orgs: list[str] = []
    for m in mentions:
        place = m.start > 0 and m.text and word_before(r, m) in {"in", "at", "near"}
        if m.is_org and m.ref not in orgs and not place:
            if r.types.get(m.ref) != "JointVenture":
                orgs.append(m.ref)
    if len(orgs) < 2:
        orgs += [x for x in pair(r) if x not in orgs]
    return orgs[:3]


def word_before(r: Reading, m: Mention) -> str:
    return r.sentence_doc[m.start - 1].lower_ if r.sentence_doc is not None and m.start else ""


def unnamed_jv(r: Reading, mentions: list[Mention], ev: Evidence) -> str | None:
    """A joint venture the text does not name, of the sentence's (or the previous
    sentence's) companies: proposed as "A–B joint venture"."""
    orgs = partners_of(r, mentions)
    if len(orgs) < 2:
        return None
    labels = [r.labels.get(x, x.split(":", 1)[-1]) for x in orgs[:3]]
    ident = slug("-".join(labels) + " joint venture")
    if ident not in r.entities:
        r.entities[ident] = Entity(
            ident,
            "\u2013".join(labels) + " joint venture",
            "JointVenture",
            evidence=[ev],
            cue="an unnamed joint venture of the companies named with it",
        )
    ref = f"new:{ident}"
    r.labels[ref] = r.entities[ident].label
    r.types[ref] = "JointVenture"
    r.last_jv = ref
    return ref


def _name_unnamed(r: Reading, old: str, new: str) -> None:
    """The venture proposed as "A–B joint venture" is named later ("the venture, to be
    called X"): its claims are X's, the unnamed proposal withdrawn."""
    entity = r.entities.get(old[4:]) if old.startswith("new:") else None
    if entity is None or old == new or not entity.cue.startswith("an unnamed joint venture"):
        return
    del r.entities[old[4:]]
    for c in r.claims:
        for key, value in c.fields.items():
            if value == old:
                c.fields[key] = new
            elif isinstance(value, list) and old in value:
                c.fields[key] = [new if v == old else v for v in value]
    r.last_jv = new


def infer_joint_ventures(r: Reading) -> None:
    """A proposed company owned by two or more companies whose shares add up to all of
    it, none more than 51%, is a joint venture: its owners are its partners."""
    holders: dict[str, list[Proposal]] = {}
    for c in r.claims:
        if c.kind == "EquityStake" and "share" in c.fields and c.status != "historical":
            holders.setdefault(c.fields["target"], []).append(c)
    for target, stakes in holders.items():
        owners = {c.fields["holder"] for c in stakes}
        total = sum(c.fields["share"] for c in stakes)
        if (
            not target.startswith("new:")
            or r.types.get(target) == "JointVenture"
            or len(owners) < 2
            or abs(total - 100) > 1
            or max(c.fields["share"] for c in stakes) > 51
        ):
            continue
        r.entities[target[4:]].type = "JointVenture"
        r.entities[target[4:]].cue += "; a joint venture: its owners' shares add up to 100%"
        r.types[target] = "JointVenture"
        for c in stakes:
            add(
                r,
                Proposal(
                    "JointVentureParticipation",
                    {"member": c.fields["holder"], "organization": target},
                    c.status,
                    c.signal,
                    "owners whose shares add up to 100%: partners in a joint venture",
                    list(c.evidence),
                ),
            )


def _split(words: list[str]) -> tuple[float, float] | None:
    """The unequal shares of "a 60:40 joint venture", "a 51-49 venture", "a 70/30 split"
    (two numbers adding up to 100 just before "joint", "venture" or "split").

    >>> _split("a 60:40 joint venture".split()), _split("a 51 - 49 venture".split())
    ((60.0, 40.0), (51.0, 49.0))
    >>> _split("a 50:50 joint venture".split()) is None
    True
    """
    for k, w in enumerate(words):
        if words[k + 1 : k + 2] not in (["joint"], ["venture"], ["split"], ["ownership"]):
            continue
        if re.fullmatch(r"\d{1,2}[:/]\d{1,2}", w):
            a, b = (float(x) for x in re.split(r"[:/]", w))
        elif k >= 2 and words[k - 1] == "-" and words[k].isdigit() and words[k - 2].isdigit():
            a, b = float(words[k - 2]), float(words[k])
        else:
            continue
        if a + b == 100 and a != b:
            return a, b
    return None


_ENDS = set("replace replaces replaced replacing dissolve dissolves dissolved dissolving".split())
_ENDS |= set("unwind unwinds unwound end ends ended terminate terminates terminated".split())
_ENDS |= set("exit exits exited scrap scraps scrapped".split())
"""Verbs of ending a joint venture: its partnership is background."""


def joint_ventures(r: Reading, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
    words = [t.lower_ for t in doc]
    text = " ".join(words)
    if "venture" not in words:
        return
    clause = clauses(doc)
    jv = [m for m in mentions if r.types.get(m.ref) == "JointVenture"]
    vi = words.index("venture")
    if not jv:
        # "X, a joint venture" / "the joint venture, X," / "joint venture X": X is one
        for m in mentions:
            after = " ".join(words[m.end : m.end + 4])
            before = " ".join(words[max(0, m.start - 3) : m.start])
            named = after.startswith(
                (", a joint venture", ", the joint venture", ", a venture", ", its joint")
            ) or before.endswith(("joint venture ,", "joint venture", "venture called"))
            # "X, a battery joint venture", "X, their new 50:50 venture": words between
            apposed = words[m.end : m.end + 2] in ([",", "a"], [",", "the"], [",", "their"])
            named = named or (apposed and "venture" in words[m.end + 2 : m.end + 6])
            # "the venture, to be called X", "the joint venture will be named X"
            called = 0 < m.start - vi <= 8 and before.endswith(("called", "named", "known as"))
            ellipsis = m.end < len(doc) and (doc[m.end].like_num or words[m.end] == "%")
            carmaker = m.ref.startswith("kg:") and r.types.get(m.ref) == "Automaker"
            if m.is_org and (named or called) and not ellipsis and not carmaker:
                # not "the joint venture, B 40%" (B's share), nor a carmaker the graph knows
                if m.ref.startswith("new:"):
                    r.entities[m.ref[4:]].type = "JointVenture"
                r.types[m.ref] = "JointVenture"  # the text calls it one
                m.type = "JointVenture"
                jv = [m]
                if called and r.last_jv is not None:
                    _name_unnamed(r, r.last_jv, m.ref)
                break
    members: list[Mention] = []
    # "the joint venture of Renault and Geely", "a joint venture between A and B"
    if vi + 1 < len(doc) and words[vi + 1] in {"of", "between", "with"}:
        following = [m for m in mentions if m.start >= vi + 2 and m.is_org]
        if following:
            chain = [following[0], *joined_after(mentions, words, following[0])]
            members = chain
            cue = f"'joint venture {words[vi + 1]} <company> and <company>'"
            if words[vi + 1] == "with":  # "Honda set up a joint venture with GM"
                subject = org_left(mentions, doc, vi, clause, {m.ref for m in chain})
                if subject is not None:  # "A and B will form a joint venture with C": all three
                    members = [*coordinated(mentions, doc, subject), *chain]
    founding = {"form", "forms", "formed", "forming", "establish", "establishes"}
    founding |= {"established", "create", "creates", "created", "launch", "launched"}
    if "in" in words[max(0, vi - 5) : vi]:  # "will invest $1 billion in a new joint venture"
        founding |= {"invest", "invests", "invested", "investing"}
    if "for" in words[max(0, vi - 5) : vi]:  # "unveiled plans for a battery joint venture"
        founding |= {"plans", "plan", "planned"}
    if "jointly" in words or "co-own" in text:  # "A and B will jointly own the venture"
        founding |= {"own", "owns", "owned", "co-own"}
    # "the joint venture will be owned equally by A and B": the owners are its partners
    by = next((k for k in range(vi + 1, min(len(words) - 1, vi + 8)) if words[k] == "by"), None)
    if not members and by is not None and "owned" in words[vi:by]:
        owners = [m for m in mentions if m.is_org and m.start == by + 1]
        if owners:
            chain = [owners[0], *joined_after(mentions, words, owners[0])]
            if len(chain) > 1:
                members = chain
                cue = "'the joint venture ... owned by <company> and <company>'"
    if not members and ("set up" in text or "setting up" in text or founding & set(words)):
        orgs = [m for m in mentions if m.is_org and m not in jv and clause[m.start] == 0]
        if not orgs and r.last_orgs:
            refs = r.last_orgs if len(r.last_orgs) > 1 else pair(r)
            members = [Mention(0, 0, x, r.types.get(x, "Company"), "") for x in refs]
            cue = "'set up a joint venture': the companies of the previous sentence"
        elif len(orgs) >= 2:
            members = orgs
            cue = "'<company> and <company> set up a joint venture'"
    # "the joint venture the two sides have had", "their joint venture": the two companies the
    # sentence names (not one described in apposition: "A, the B battery unit, and C")
    theirs = words[vi + 1 : vi + 3] == ["the", "two"] or "their" in words[max(0, vi - 3) : vi]
    if not members and theirs:
        two = [
            m
            for m in mentions
            if m.is_org
            and m not in jv
            and m.start < vi
            and not (words[m.start - 1 : m.start] in (["the"], ["a"]) and words[m.start - 2] == ",")
        ]
        if len(two) == 2:
            members = two
            cue = "'their joint venture': the sentence's two companies"
    if not members:
        if jv:
            r.last_jv = jv[0].ref
        return
    if jv:
        target = jv[0].ref
    elif r.last_jv and "the joint venture" in text:
        target = r.last_jv
    else:
        target = unnamed_jv(r, members, ev) or ""
        if not target:
            return
    r.last_jv = target
    status, signal, scue = status_at(r, doc, clause, vi)
    if _ENDS & set(words[max(0, vi - 4) : vi]):  # "will replace (dissolve) the joint venture"
        status, signal, scue = "historical", "background", "a venture replaced or ended"
    elif "already" in words[:vi] and status == "official":  # "A already runs a venture with B"
        status, signal, scue = "historical", "background", "'already': the news is not it"
    described = cue.startswith(("'joint venture of", "'joint venture between", "'their joint"))
    if described and status != "reported" and not founding & set(words[:vi]):
        # "Horse, the joint venture of Renault and Geely", "their joint venture": the venture
        # described by its partners, background to the news (not "A and B formed a joint
        # venture between them")
        status, signal, scue = "historical", "background", "the partners named with the venture"
    equal = (
        {"50:50", "equally", "evenly"} & set(words)
        or "50 - 50" in text
        or "fifty - fifty" in text
        or ("equal" in words and {"stakes", "shares", "ownership"} & set(words))
    )
    partners = [m for m in members if m.ref != target]
    split = _split(words) if len(partners) == 2 and not equal else None
    for m, part in zip(partners, split or (None, None), strict=False):
        if part is None:
            continue
        # "a 60:40 joint venture": the partners' shares in the order they are named
        fields = {"holder": m.ref, "target": target, "interest": "shareholding", "share": part}
        said = "'a <a>:<b> joint venture' -> the partners' shares in their order"
        add(r, Proposal("EquityStake", fields, status, signal, f"{said}; status cue: {scue}", [ev]))
    for m in partners:
        add(
            r,
            Proposal(
                "JointVentureParticipation",
                {"member": m.ref, "organization": target},
                status,
                signal,
                f"{cue}; status cue: {scue}",
                [ev],
            ),
        )
        if equal and len(partners) == 2:  # "a 50-50 joint venture": half each
            fields = {"holder": m.ref, "target": target, "interest": "shareholding"}
            add(
                r,
                Proposal(
                    "EquityStake",
                    {**fields, "share": 50.0},
                    status,
                    signal,
                    f"'50-50 / equal stakes' of two partners -> 50% each; status cue: {scue}",
                    [ev],
                ),
            )
