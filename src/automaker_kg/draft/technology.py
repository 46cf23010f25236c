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
from automaker_kg.draft.model import Evidence, Mention, Proposal, Reading, add, pair
from automaker_kg.draft.status import clauses, cue_status, status_at, tech_status

__all__ = ["technology", "possessives", "licence"]

_USE_PAIRS = {
    ("draw", "on"),
    ("draws", "on"),
    ("based", "on"),
    ("built", "on"),
    ("run", "on"),
    ("runs", "on"),
    ("rely", "on"),
    ("relies", "on"),
    ("relying", "on"),
    ("powered", "by"),
    ("equipped", "with"),
    ("fitted", "with"),
    ("access", "to"),
    ("make", "use"),
    ("makes", "use"),
    ("made", "use"),
}
"""Two-word cues of using another company's technology."""

_USES = set("adopt adopts adopted deploy deploys install installs incorporate incorporates".split())
_USES |= set("integrate integrates integrating employ employs leverage leverages".split())
_BUYS = set("buy buys bought buying purchase purchases purchased source sources sourced".split())
_BUYS |= set("procure procures procured".split())
_LICENSES = set("license licenses licensed licensing licence licences licensee".split())
_VEHICLES = {"tech:electric-vehicle", "tech:battery-electric-vehicle"}
"""Vehicle classes: building them for another company is vehicle supply, not a technology."""
_WORK = {"work", "works", "working", "worked"}
_NOUN_CUES = {"cooperation", "collaboration", "development", "production"}
"""Nouns that are a cue only with their object: "cooperation on", "production of"."""
_PLURAL = {"two", "both", "they", "partners", "companies", "carmakers", "automakers", "firms"}
"""Subjects standing for the previous sentence's two companies."""
_VERBISH = set(rules.TECH_VERBS) | set(rules.USES) | _USES | _BUYS
_VERBISH |= set("is are was were will would has have had said says uses get gets".split())
"""Words a possessive's technology phrase does not run across ("Avalon's model uses a ...")."""


def licence(
    r: Reading,
    mentions: list[Mention],
    words: list[str],
    clause: list[int],
    i: int,
    subject: Mention,
    technology: list[str],
) -> dict[str, Any]:
    """A licence: "A licenses T to B" (A the licensor), "A licenses T from B" or "licensed by
    B" (B the licensor), else the licensee named after the word (or the subject) and the
    company the draft has developing the technology."""
    after = [m for m in mentions if m.is_org and m.start > i and clause[m.start] == clause[i]]
    to = [m for m in after if words[m.start - 1] in {"to", "for"}]
    source = [m for m in after if words[m.start - 1] in {"from", "by"}]
    if to and to[0].ref != subject.ref:
        return {
            "provider": subject.ref,
            "recipient": to[0].ref,
            "arrangement": "licenses",
            "technology": technology,
        }
    own = "its" in words[i + 1 : i + 4] or (
        words[i] in {"licenses", "licensed"} and words[i - 1 : i] != ["has"] and i > 0
    )
    if not source and not to and own and subject.ref:
        # "X licenses its separator technology to other makers": X the licensor, no licensee
        return {"provider": subject.ref, "arrangement": "licenses", "technology": technology}
    free = [m for m in after if m not in source]
    licensee = subject.ref if source or not free else free[0].ref
    licensor = source[0].ref if source else None
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


def _use_cue(words: list[str], lo: int, hi: int) -> tuple[str, str] | None:
    """The first use cue in ``words[lo:hi]`` and the arrangement of the technology's owner:
    "based on X's platform" -> contributes, "buy X's cells" -> supplies, "license X's" ->
    licenses."""
    for k in range(lo, hi):
        pair = tuple(words[k : k + 2])
        if pair in _USE_PAIRS:
            return " ".join(pair), "contributes"
        if words[k] in _LICENSES:
            return words[k], "licenses"
        if words[k] in _BUYS:
            return words[k], "supplies"
        if words[k] in rules.USES or words[k] in _USES:
            return words[k], "contributes"
    return None


def possessives(
    r: Reading, doc: Any, mentions: list[Mention], techs: list[Mention], ev: Evidence
) -> set[int]:
    """ "Nissan's e-Power": the owner develops it (background); "use / based on / license /
    buy X's technology": X contributes (licenses, supplies) it to the company that uses it.
    Returns the starts of the technologies so read, which the cue verbs leave alone."""
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    handled: set[int] = set()
    for m in techs:
        k = m.start - 1  # "Leapmotor's highly innovative and cost-efficient EV ecosystem"
        while k > 0 and m.start - k <= 6 and words[k] not in {"'s", "\u2019s"}:
            if (
                not (doc[k].is_alpha or words[k] in {"-", "and"})
                or doc[k].text[0].isupper()
                or words[k] in _VERBISH
            ):
                break
            k -= 1
        if k < 1 or words[k] not in {"'s", "\u2019s"}:
            continue
        owner = [o for o in mentions if o.end == k and o.is_org]
        if not owner or (m.end < len(doc) and words[m.end] in rules.UNIT_WORDS):
            continue  # "Renault's electric vehicle unit": a unit, not the technology
        mine = [x for x in range(len(doc)) if clause[x] == clause[m.start]]
        by_user = [
            x
            for x in mentions
            if x.is_org and x.start > m.end and words[x.start - 1] == "by" and x.start in mine
        ]
        # the verb before the owner ("use X's platform"), or a passive after ("X's platform
        # will be used by Y"); "X's cars run on Y's platform": X's cars are the subject
        cue = _use_cue(words, 0, owner[0].start)
        if cue is None and by_user:
            cue = _use_cue(words, m.end, by_user[0].start)
        elif cue is None and _use_cue(words, m.end, mine[-1] + 1):
            handled.add(m.start)
            continue
        fields: dict[str, Any] = {"provider": owner[0].ref, "technology": [m.ref]}
        if cue is not None:
            said, arrangement = cue
            status, signal, scue = status_at(r, doc, clause, m.start)
            user = (
                by_user[0]
                if by_user
                else org_left(mentions, doc, owner[0].start, [0] * len(doc), {owner[0].ref})
            )
            if user is None:  # "Avalon's new model is built on Borealis's platform"
                user = next((x for x in mentions if x.is_org and x.end <= owner[0].start), None)
            fields["arrangement"] = arrangement
            if user is not None and user.ref != owner[0].ref:
                fields["recipient"] = user.ref
            text = f"'{said} <company>'s <technology>': the owner {arrangement} it"
        else:
            status, signal, scue = tech_status(r, doc, clause, m.start, describes=True)
            fields["arrangement"] = "develops"
            text = "'<company>'s <technology>': its own"
        handled.add(m.start)
        add(
            r,
            Proposal(
                "TechnologyArrangement", fields, status, signal, f"{text}; status cue: {scue}", [ev]
            ),
        )
    return handled


def technology(r: Reading, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
    """Technology arrangements of one sentence (see the module's summary)."""
    techs = [m for m in mentions if m.type == "Technology"]
    if not techs:
        return
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    handled = possessives(r, doc, mentions, techs, ev)
    done: set[int] = set()
    for i, w in enumerate(words):
        wanted = rules.TECH_VERBS.get(w)
        if wanted is None or clause[i] in done:
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
        if w in _NOUN_CUES and following not in {"on", "in", "of", "for"}:
            continue  # "cooperation on batteries", not "the cooperation aims to ..."
        if w in _WORK and "on" not in words[i + 1 : i + 6]:
            continue  # "working with X on software", not "work began"
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
        same = [m for m in same if m.start not in handled]  # read as "X's technology"
        if not same:
            continue
        named = [m for m in mentions if m.start == i + 1 and m.is_org]
        by = [
            m
            for m in mentions
            if m.start == i + 2
            and m.is_org
            and words[i + 1] == "by"
            and (w.endswith(("ed", "t")) or w == "made")
        ]
        provider: Mention | None
        if w in {"maker", "makers", "supplier", "suppliers"} and named:
            provider = named[0]  # "the Chinese EV maker Leapmotor"
        elif by:
            provider = by[0]  # "batteries supplied by BYD"
        else:
            provider = org_left(mentions, doc, i, clause, set())
        providers_given: list[Mention] = []
        subject_words = set(words[:i])
        if provider is None and len(pair(r)) == 2 and subject_words & _PLURAL:
            # "the two companies will co-develop ...": the previous sentence's companies
            refs = pair(r)
            providers_given = [Mention(0, 0, x, r.types.get(x, "Company"), "") for x in refs]
            provider = providers_given[0]
        if provider is None:
            provider = org_left(mentions, doc, i, [0] * len(doc), set())
        if provider is None:
            # "a maker of hybrid powertrains, Horse": the company after the verb
            after = [
                m for m in mentions if m.is_org and m.start > i and clause[m.start] == clause[i]
            ]
            earlier = [x for x in mentions if x.is_org and x.end <= i]
            if (
                after
                and arrangement == "acquires"
                and earlier
                and words[after[0].start - 1]
                in {
                    "from",
                    "by",
                }
            ):
                provider = earlier[0]  # "Avalon's model uses a battery supplied by Borealis"
            elif after:
                provider = after[0]
                if arrangement == "acquires" and words[after[0].start - 1] in {"from", "by"}:
                    arrangement = "contributes"  # "uses a platform developed by X": X's
            elif r.last_orgs and set(words[:i]) & rules.PRONOUNS:
                # "it", "the company", "the two": the previous sentence's companies
                two = bool(set(words[:i]) & {"two", "both", "they", "partners"})
                refs = pair(r) if two else r.last_orgs[:1]
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
        if by and recipient is None:  # "Avalon's model uses a battery supplied by Borealis"
            user = org_left(mentions, doc, i, [0] * len(doc), {by[0].ref})
            if user is None:
                user = next((x for x in mentions if x.is_org and x.ref != by[0].ref), None)
            if user is not None and arrangement in ("supplies", "contributes", "develops"):
                recipient = user
                arrangement = "supplies" if arrangement == "develops" else arrangement
        given = [m for m in mentions if m.start == i + 1 and m.is_org]
        if arrangement in ("supplies", "contributes") and given:
            recipient = given[0]  # "provide Volkswagen with access to ..."
            providers = [p for p in providers if p.ref != recipient.ref] or providers
            provider = providers[0]
        describes = w in rules.DESCRIBES
        giving = arrangement in {"supplies", "contributes", "shares", "licenses"}
        status, signal, scue = tech_status(
            r, doc, clause, i, describes, given=giving and recipient is not None
        )
        if arrangement == "withholds" and negated and status[0] != "reported":
            status, signal, scue = "official", "stated", "'will not share': a refusal stated now"
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
        source = [
            m
            for m in mentions
            if m.is_org
            and m.start > i
            and clause[m.start] == clause[i]
            and words[m.start - 1] in {"from", "by"}
            and m.ref not in {p.ref for p in providers}
        ]
        if fields["arrangement"] == "acquires" and source and len(providers) == 1:
            # "Honda will use batteries from Nissan": Nissan gives them to Honda
            fields = {
                "provider": source[0].ref,
                "arrangement": "supplies" if w in _BUYS else "contributes",
                "technology": fields["technology"],
                "recipient": provider.ref,
            }
        with_partner = (
            arrangement == "develops"
            and recipient is not None
            and words[recipient.start - 1] == "with"
        )
        if with_partner and recipient is not None:  # "A will jointly develop T with B"
            providers = [*providers, recipient]
            fields["provider"] = [p.ref for p in providers]
            del fields["recipient"]
        if (
            arrangement == "develops"
            and "recipient" in fields
            and all(t in _VEHICLES for t in fields["technology"])
        ):
            done.add(clause[i])  # "B will build electric vehicles for A": vehicle supply
            continue
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
            done.add(clause[i])
            continue
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
        done.add(clause[i])  # one arrangement a clause: its first cue verb
