"""Technology arrangements: a cue verb (develop, share, supply, license, withhold, use) next to a
known or proposed technology, the provider on its left (or named after it), a recipient after
"to/with/for"; "X's technology" as X's own; co-development of two companies as a joint project.

>>> from automaker_kg.draft.extract import draft_text
>>> from automaker_kg.draft.names import Name
>>> names = [Name("BYD", "byd", "kg", "Automaker"), Name("Toyota", "toyota", "kg", "Automaker"),
...          Name("battery", "battery", "tech", "Technology")]
>>> text = "Title: T\\nDate: 2022-10-24\\n\\nBYD will supply batteries to Toyota.\\n"
>>> d = draft_text(text, names)
>>> [(c.fields["provider"], c.fields["arrangement"], c.fields.get("recipient"), c.status)
...  for c in d.claims]
[('kg:byd', 'supplies', 'kg:toyota', 'plan')]
"""

from __future__ import annotations

from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.entities import coordinated, org_left
from automaker_kg.draft.model import Evidence, Mention, Proposal, Reading, add
from automaker_kg.draft.status import clauses, cue_status, status_at, tech_status

__all__ = ["technology", "licence"]


def licence(
    r: Reading,
    mentions: list[Mention],
    words: list[str],
    clause: list[int],
    i: int,
    subject: Mention,
    technology: list[str],
) -> dict[str, Any]:
    """A licence: the licensee (named after the word, else the subject) and the licensor
    (named after 'from', else the company the draft has developing the technology)."""
    after = [m for m in mentions if m.is_org and m.start > i and clause[m.start] == clause[i]]
    licensee = after[0].ref if after else subject.ref
    licensor = next(
        (m.ref for m in mentions if m.is_org and m.start and words[m.start - 1] == "from"),
        None,
    )
    if licensor is None:
        for c in r.claims:
            f = c.fields
            if (
                c.kind == "TechnologyArrangement"
                and f["arrangement"] == "develops"
                and set(f["technology"]) & set(technology)
                and f["provider"] != licensee
                and isinstance(f["provider"], str)
            ):
                licensor = f["provider"]
                break
    if licensor is None or licensor == licensee:
        # no licensor in sight: the licensee acquires the technology
        return {"provider": licensee, "arrangement": "acquires", "technology": technology}
    return {
        "provider": licensor,
        "recipient": licensee,
        "arrangement": "licenses",
        "technology": technology,
    }


def technology(r: Reading, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
    techs = [m for m in mentions if m.type == "Technology"]
    if not techs:
        return
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    # "Nissan's e-Power", "QuantumScape's solid-state cells": the company's own technology
    for m in techs:
        k = m.start - 1  # "Leapmotor's highly innovative and cost-efficient EV ecosystem"
        while k > 0 and m.start - k <= 6 and words[k] not in {"'s", "\u2019s"}:
            if not (doc[k].is_alpha or words[k] in {"-", "and"}) or doc[k].text[0].isupper():
                break
            k -= 1
        if k < 1 or words[k] not in {"'s", "\u2019s"}:
            continue
        owner = [o for o in mentions if o.end == k and o.is_org]
        if not owner or (m.end < len(doc) and words[m.end] in rules.UNIT_WORDS):
            continue  # "Renault's electric vehicle unit": a unit, not the technology
        # "draw on / use / based on X's platform": X contributes it to someone else's cars
        before = words[: owner[0].start]
        pairs = set(zip(before, before[1:], strict=False))
        after = [words[x] for x in range(m.end, len(doc)) if clause[x] == clause[m.start]]
        uses = [w for w in before + after if w in rules.USES] + [
            " ".join(p) for p in pairs & {("draw", "on"), ("based", "on"), ("built", "on")}
        ]
        if uses:
            status, signal, scue = status_at(r, doc, clause, m.start)
            arrangement, cue = "contributes", f"'{uses[0]} <company>'s <technology>'"
            by_user = [
                x for x in mentions if x.is_org and x.start > m.end and words[x.start - 1] == "by"
            ]
            user = (
                by_user[0]
                if by_user
                else org_left(mentions, doc, owner[0].start, [0] * len(doc), {owner[0].ref})
            )
            if user is not None:  # and the company that uses it acquires it
                add(
                    r,
                    Proposal(
                        "TechnologyArrangement",
                        {
                            "provider": user.ref,
                            "arrangement": "acquires",
                            "technology": [m.ref],
                        },
                        status,
                        signal,
                        f"'<company> {uses[0]} <company>'s <technology>'; status cue: {scue}",
                        [ev],
                    ),
                )
        else:
            status, signal, scue = tech_status(r, doc, clause, m.start, describes=True)
            arrangement, cue = "develops", "'<company>'s <technology>'"
        add(
            r,
            Proposal(
                "TechnologyArrangement",
                {"provider": owner[0].ref, "arrangement": arrangement, "technology": [m.ref]},
                status,
                signal,
                f"{cue}; status cue: {scue}",
                [ev],
            ),
        )
    for i, w in enumerate(words):
        wanted = rules.TECH_VERBS.get(w)
        if wanted is None:
            continue
        arrangement = wanted
        if w == "access" and not set(words[max(0, i - 3) : i]) & {
            "gain",
            "gains",
            "get",
            "gets",
            "to",
            "with",
            "give",
            "gives",
            "provide",
        }:
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        if w in {"lead", "leads", "leading", "ahead"} and following != "in":
            continue  # "leads in EV technology", not "leading carmakers"
        if following == "up":
            continue  # "build up its EV business": growing a business, not the technology
        negated = any(x in {"not", "no", "never", "refuses", "refused"} for x in words[i - 3 : i])
        if arrangement == "shares" and negated:
            arrangement = "withholds"
        # the technology is the verb's object (within 6 words after it, no stake between)
        # or names the thing just before the verb ("battery maker", "EV technology it shares")
        same = [
            m
            for m in techs
            if clause[m.start] == clause[i]
            and (0 < m.start - i <= 10 or 0 <= i - m.end <= 2)
            and not set(words[i + 1 : m.start] if m.start > i else words[m.end : i])
            & rules.STAKE_NOUNS
        ]
        # "synthetic fuels and more efficient combustion engines": the whole list
        for m in techs:
            if m not in same and clause[m.start] == clause[i] and m.start > i:
                if any(0 < m.start - x.end <= 6 for x in same):
                    same.append(m)
        if arrangement == "licenses":
            same = [m for m in techs if clause[m.start] == clause[i]]
        if not same:
            continue
        named = [m for m in mentions if m.start == i + 1 and m.is_org]
        by = [
            m
            for m in mentions
            if m.start == i + 2 and m.is_org and words[i + 1] == "by" and w.endswith(("ed", "t"))
        ]
        provider: Mention | None
        if w in {"maker", "makers", "supplier", "suppliers"} and named:
            provider = named[0]  # "the Chinese EV maker Leapmotor"
        elif by:
            provider = by[0]  # "batteries supplied by BYD"
        else:
            provider = org_left(mentions, doc, i, clause, set())
        if provider is None:
            provider = org_left(mentions, doc, i, [0] * len(doc), set())
        providers_given: list[Mention] = []
        if provider is None:
            # "a maker of hybrid powertrains, Horse": the company after the verb
            after = [
                m for m in mentions if m.is_org and m.start > i and clause[m.start] == clause[i]
            ]
            if after:
                provider = after[0]
            elif r.last_orgs and set(words[:i]) & rules.PRONOUNS:
                # "it", "the company", "the two": the previous sentence's companies
                two = bool(set(words[:i]) & {"two", "both", "they", "partners"})
                refs = r.last_orgs[:2] if two else r.last_orgs[:1]
                providers_given = [Mention(0, 0, x, r.types.get(x, "Company"), "") for x in refs]
                provider = providers_given[0]
            else:
                continue
        providers = providers_given or coordinated(mentions, doc, provider)
        recipient = None
        for m in mentions:
            if m.start > i and m.is_org and m.start and words[m.start - 1] in {"to", "with", "for"}:
                if clause[m.start] == clause[i] and m.ref not in {p.ref for p in providers}:
                    recipient = m
                    break
        given = [m for m in mentions if m.start == i + 1 and m.is_org]
        if arrangement in ("supplies", "contributes") and given:
            recipient = given[0]  # "provide Volkswagen with access to ..."
            providers = [p for p in providers if p.ref != recipient.ref] or providers
            provider = providers[0]
        describes = w in rules.DESCRIBES
        status, signal, scue = tech_status(r, doc, clause, i, describes)
        fields: dict[str, Any] = {
            "provider": [p.ref for p in providers] if len(providers) > 1 else provider.ref,
            "arrangement": arrangement,
            "technology": sorted({m.ref for m in same}),
        }
        if recipient is not None:
            fields["recipient"] = recipient.ref
        if arrangement == "licenses":
            status, signal, scue = cue_status(words[:i])
            fields = licence(r, mentions, words, clause, i, provider, fields["technology"])
        if arrangement == "develops" and len(providers) > 1 and "recipient" not in fields:
            # "QuantumScape and PowerCo will jointly develop a cell": a joint project
            add(
                r,
                Proposal(
                    "JointProject",
                    {"participant": fields["provider"], "technology": fields["technology"]},
                    status,
                    signal,
                    f"'<company> and <company> {w}' a technology: a joint project; "
                    f"status cue: {scue}",
                    [ev],
                ),
            )
            break
        add(
            r,
            Proposal(
                "TechnologyArrangement",
                fields,
                status,
                signal,
                f"'{w}' next to a technology; status cue: {scue}",
                [ev],
            ),
        )
        if fields["arrangement"] in ("acquires", "supplies", "contributes"):
            # "using Ultium batteries from GM", "supplied by BYD": the source contributes
            source = [
                m
                for m in mentions
                if m.is_org
                and m.start > i
                and clause[m.start] == clause[i]
                and words[m.start - 1] in {"from", "by"}
                and m.ref not in {p.ref for p in providers}
            ]
            if source:
                add(
                    r,
                    Proposal(
                        "TechnologyArrangement",
                        {
                            "provider": source[0].ref,
                            "arrangement": "contributes",
                            "technology": fields["technology"],
                        },
                        status,
                        signal,
                        f"'{w} <technology> from/by <company>'; status cue: {scue}",
                        [ev],
                    ),
                )
        break  # one arrangement a clause's first cue verb
