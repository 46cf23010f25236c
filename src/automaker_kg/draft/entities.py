"""Entities: the graph's names found by label and alias, names the graph lacks proposed as new
entities (with a guessed type), technologies the taxonomy lacks, and the company a clause is
about (the nearest one on the left that is no object of a preposition).

>>> from automaker_kg.draft.model import Evidence, Reading
>>> from automaker_kg.draft import rules
>>> r = Reading("", [], {}, None)
>>> r.nlp = rules.pipeline([Name("Nissan", "nissan", "kg", "Automaker")])
>>> doc = r.nlp("Nissan and Renault Korea Motors met in Busan.")
>>> [(m.text, m.ref, m.type) for m in mentions(r, doc, Evidence(1, 1, 0, 0))]
[('Nissan', 'kg:nissan', 'Automaker'), ('Renault Korea Motors', 'new:renault-korea-motors', \
'Automaker')]
"""

from __future__ import annotations

import re
from typing import Any

from automaker_kg.draft import concepts, rules
from automaker_kg.draft.model import Entity, Evidence, Mention, Reading, slug
from automaker_kg.draft.names import Name

__all__ = [
    "capitalised",
    "publisher",
    "new_entity",
    "guess_type",
    "mentions",
    "new_technologies",
    "org_left",
    "coordinated",
]


def capitalised(token: Any) -> bool:
    """A token written with a capital (a name's word), currencies left out."""
    text = token.text
    if not text or text in rules.CURRENCY_SIGNS or "$" in text:
        return False  # "US$", "C$": currencies, not names
    return text[0].isupper() or (text[0].isalpha() and text[1:2].isupper())


def _acronym(text: str) -> bool:
    """GM, BYD, XPENG, PowerCo: no ordinary word at the start of a sentence."""
    return len(text) > 1 and (text.isupper() or any(c.isupper() for c in text[1:]))


def _runs(doc: Any) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens (joined by of, &, de, a hyphen)."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if not capitalised(tok) or tok.lower_ in rules.BREAK:
            i += 1
            continue
        j = i + 1
        while j < n:
            t = doc[j]
            if capitalised(t) and t.lower_ not in rules.BREAK:
                j += 1
            elif (
                t.text in {"of", "&", "de", "-"}
                and j + 1 < n
                and capitalised(doc[j + 1])
                and doc[j + 1].lower_ not in rules.BREAK
            ):
                j += 2
            else:
                break
        out.append((i, j))
        i = j
    return out


def publisher(r: Reading) -> Entity:
    """The report's publisher: a known media organisation, or a new one."""
    raw = r.header.get("reported by") or r.header.get("publisher") or ""
    name = re.split(r"\s*\(|,\s*(?=\d{4}|undated)", raw)[0].strip() or "Unknown publisher"
    for known in r.names:
        if known.prefix == "kg" and known.text.lower() == name.lower():
            return Entity(known.id, known.text, known.type, cue="known")
    entity = Entity(slug(name), name, "MediaOrganization", cue="the report's publisher")
    r.names.append(Name(name, entity.id, "kg", "MediaOrganization"))
    r.labels[f"kg:{entity.id}"] = name
    r.types[f"kg:{entity.id}"] = "MediaOrganization"
    return entity


def new_entity(r: Reading, words: list[str], ev: Evidence, kind: str, cue: str) -> str:
    """The proposed entity these words name: an existing one when they are its name without a
    company suffix ("Renault Korea" is "Renault Korea Motors"), its first word ("Halcyon" after
    "Halcyon Cells") or a person's surname; else a new one of ``kind``."""
    label = " ".join(words).replace(" - ", "-").replace(" 's", "")
    core = [w for w in words if w.lower() not in rules.SUFFIXES] or words
    if slug(label) in r.entities:  # the same name again
        return f"new:{slug(label)}"
    for entity in r.entities.values():  # "Renault Korea" is "Renault Korea Motors"
        other = [w for w in entity.label.split() if w.lower() not in rules.SUFFIXES]
        surname = entity.type == "Person" and len(words) == 1 and other[-1:] == words
        short = (
            entity.type not in {"Person", "Technology", "JointVenture"}
            and kind != "Person"
            and len(words) == 1
            and len(other) > 1
            and other[0] == words[0]
            and words[0].lower() not in rules.NOT_MODIFIERS
        )
        if (other == core or surname or short) and entity.label != label:
            if label not in entity.aliases:
                entity.aliases.append(label)
            return f"new:{entity.id}"
    ident = slug(label)
    if ident not in r.entities:
        r.entities[ident] = Entity(ident, label, kind, evidence=[ev], cue=cue)
        r.labels[f"new:{ident}"] = label
    entity = r.entities[ident]
    r.types[f"new:{ident}"] = entity.type
    return f"new:{ident}"


def guess_type(doc: Any, start: int, end: int) -> tuple[str, str]:
    words = [t.lower_ for t in doc[start:end]]
    after = [t.lower_ for t in doc[end : end + 3]]
    before = [t.lower_ for t in doc[max(0, start - 3) : start]]
    if set(before) & rules.BREAK:
        return "Person", "a person: a role word before the name"
    if after[:1] == [","] and len(after) > 1 and after[1] in rules.BREAK:
        return "Person", "a person: a role after the name"
    near_after = " ".join(after + [t.lower_ for t in doc[end + 3 : end + 4]])
    near_before = " ".join(before)
    if (
        near_after.startswith((", a joint venture", ", the joint venture", ", a venture"))
        or near_before.endswith(("joint venture", "venture ,"))
        or "venture" in words
    ):
        return "JointVenture", "a joint venture: 'joint venture' next to the name"
    if set(words) & {"motor", "motors", "auto", "automobile", "automotive"}:
        return "Automaker", "an automaker: a motor/auto word in the name"
    if _model_name(doc, start, end):
        return "VehicleModel", "a vehicle model: letters and digits, or a model word next to it"
    if (
        set(before[-2:]) & {"carmaker", "automaker", "maker", "manufacturer"}
        or after[:2]
        in (
            [",", "a"],
            [",", "the"],
        )
        and {"carmaker", "automaker"} & {t.lower_ for t in doc[end : end + 6]}
    ):
        return "Automaker", "an automaker: the text calls it a carmaker next to the name"
    return "Company", "a name with capitals the graph does not know"


_COMPANY_WORDS = set(rules.SUFFIXES) | set(
    "technologies technology energy systems batteries solutions labs mobility capital power".split()
)
_MODEL_WORDS = rules.BODY_STYLES | {"minivan", "coupe", "badged", "rebadged", "nameplate"}


def _model_name(doc: Any, start: int, end: int) -> bool:
    """A car's name, not a company's: a word of letters and digits ("ZX9", "Q4"), or a model
    word just before or after it ("the sedan Lyra", "its Vesta hatchback").

    >>> import spacy
    >>> doc = spacy.blank("en")("Avalon sells the sedan Lyra , the ZX9 and its Vesta hatchback")
    >>> _model_name(doc, 4, 5), _model_name(doc, 7, 8), _model_name(doc, 10, 11)
    (True, True, True)
    >>> _model_name(doc, 0, 1), _model_name(spacy.blank("en")("Group14 Technologies"), 0, 2)
    (False, False)
    """
    words = {t.lower_ for t in doc[start:end]}
    if words & _COMPANY_WORDS:
        return False  # "Group14 Technologies": a company
    if any(re.fullmatch(r"[A-Za-z]+\.?[0-9]+[a-z]?", t.text) for t in doc[start:end]):
        return True  # "ZX9", "ID.4"; not "COVID-19"
    before = {t.lower_ for t in doc[max(0, start - 1) : start]}  # "the sedan Lyra"
    after = {t.lower_ for t in doc[end : end + 1]}  # "its Vesta hatchback"
    return bool((before | after) & _MODEL_WORDS)


_NAME_ENDINGS = {"AI"}
"""Upper-case words of :data:`rules.NOT_NAMES` that can end a company's name ("Argo AI")."""

_PLACE_BEFORE = {"in", "at", "near", "outside"}
_MAKERS = {"automaker", "automakers", "carmaker", "carmakers", "manufacturer", "manufacturers"}
_NOT_PLACE = set(rules.STAKE_WORDS) | {"partner", "partners", "participation", "invest"}


def _place(doc: Any, start: int, end: int) -> bool:
    """A name after "in / at / near" with no company word in it or stake word before it; a
    word before "-based" or between "the" and "automaker" ("the Detroit carmaker").

    >>> from automaker_kg.draft.rules import pipeline
    >>> from automaker_kg.draft.names import Name
    >>> nlp = pipeline([Name("Nissan", "nissan", "kg", "Automaker")])
    >>> doc = nlp("Nissan builds it in Busan and holds a stake in Borealis")
    >>> _place(doc, 4, 5), _place(doc, 10, 11)
    (True, False)
    >>> doc = nlp("The Tokyo-based automaker and the Detroit carmaker")
    >>> _place(doc, 1, 2), _place(doc, 7, 8)
    (True, True)
    """
    after = [t.lower_ for t in doc[end : end + 2]]
    if end - start == 1 and (
        after in (["-", "based"], ["-", "headquartered"])
        or (start and doc[start - 1].lower_ == "the" and after[:1] and after[0] in _MAKERS)
    ):
        return True  # "the Tokyo-based automaker", "the Detroit carmaker": where it is from
    if not start or end - start != 1 or doc[start - 1].lower_ not in _PLACE_BEFORE:
        return False  # one word: "Busan", "Texas" (a longer name is more often a company's)
    words = [t.lower_ for t in doc[start:end]]
    if set(words) & (rules.SUFFIXES | {"auto", "automotive", "technology", "technologies"}):
        return False
    if any(_acronym(t.text) for t in doc[start:end]):
        return False
    before = doc[max(0, start - 8) : start]
    if any(t.text in rules.CURRENCY_SIGNS or t.lower_ in rules.CURRENCY_WORDS for t in before):
        return False  # "invest $1 billion in Lumen"
    return not {t.lower_ for t in before} & _NOT_PLACE


def _named_before(r: Reading, doc: Any, k: int) -> bool:
    """A capitalised word at a sentence's start is a name when "'s" follows it ("Vega's
    cars") or a proposed name starts with it ("Vega" after "Vega Auto")."""
    if doc[k + 1 : k + 2].text in rules.POSSESSIVE:
        return True
    return any(e.label.split()[0] == doc[k].text for e in r.entities.values() if e.label)


def mentions(r: Reading, doc: Any, ev: Evidence) -> list[Mention]:
    """The known names of a sentence and the new ones it proposes (type guessed)."""
    known = [
        Mention(e.start, e.end, e.ent_id_, e.label_, e.text)
        for e in doc.ents
        if e.ent_id_  # from the ruler
    ]
    covered = {i for m in known for i in range(m.start, m.end)}
    out = [m for m in known]
    for start, end in _runs(doc):
        # a word alone at a sentence's start is a name only if the document writes it with a
        # capital elsewhere ("Separately, ..."); "General Motors" at the start stays whole
        while start < end and (
            doc[start].lower_ in rules.NOT_NAMES
            or (
                start == 0
                and end - start == 1
                and doc[start].text not in r.capital_words
                and not _acronym(doc[start].text)
                and not _named_before(r, doc, start)
            )
        ):
            if start in covered:
                break
            start += 1
        while end > start and doc[end - 1].lower_ in rules.NOT_NAMES:
            if end - start > 1 and doc[end - 1].text in _NAME_ENDINGS:
                break  # "Argo AI": the last word of a name, not a word alone
            end -= 1
        # "Geely Holding Group of China": the name, then where it is from
        for k in range(start + 1, end - 1):
            if doc[k].text == "of" and any(
                m.type == "Market" and m.start == k + 1 and m.end == end for m in known
            ):
                end = k
                break
        if start >= end:
            continue
        inside = [m for m in known if m.start >= start and m.end <= end]
        rest = [doc[i] for i in range(start, end) if i not in covered]
        if not rest:
            continue
        if inside and all(t.lower_ in rules.SUFFIXES for t in rest):
            # "Geely Holding Group": the known name with a company suffix
            if len(inside) == 1 and inside[0].start == start:
                inside[0].end = end
            continue
        if any(t.text in {"-", "&", "of", "de"} for t in rest) and len(rest) == 1:
            continue
        product = _product(r, [t.text for t in doc[start:end]]) if not inside else None
        if product is not None:  # "the Zenith" after "the Zenith EV platform"
            out = [m for m in out if m.end <= start or m.start >= end]
            out.append(Mention(start, end, product, "Technology", r.labels[product]))
            continue
        abbreviation = _abbreviation(r, doc, start, end, out, ev)
        if abbreviation is not None:  # "the Zeta EV platform (ZEP)", "a modular kit (MK)"
            if abbreviation:
                out.append(abbreviation[0])
            continue
        kind, cue = guess_type(doc, start, end)
        if len(rest) == 1 and rest[0].is_upper and len(rest[0].text) < 2 and not inside:
            continue  # a letter alone
        if _place(doc, start, end) and not inside:
            continue  # "a plant in Busan": a place, not a company
        words = [t.text for t in doc[start:end]]
        ref = new_entity(r, words, ev, kind, cue)
        out = [m for m in out if m.end <= start or m.start >= end]
        out.append(Mention(start, end, ref, r.types[ref], " ".join(words)))
    out = new_technologies(r, doc, concepts.merge(r, out), ev)
    out.sort(key=lambda m: m.start)
    return out


_OWN_ACTS = {"purchase", "investment", "acquisition", "partnership", "alliance", "tie-up"}
_OWN_ACTS |= {"cooperation", "collaboration"}
"""Nouns after "X's" that make X the subject of the act: "Avalon's partnership with B"."""

_OWNERS = {"company", "companies", "firm", "group", "startup", "maker", "unit", "venture"}


def _abbreviation(
    r: Reading, doc: Any, start: int, end: int, out: list[Mention], ev: Evidence
) -> list[Mention] | None:
    """An acronym in parentheses after a technology or a lower-case phrase is that thing's
    short name, not a company: after a technology ("the EV platform (ZEP)") a technology of
    its own, a kind of it (one mention returned); after lower-case words that are no company
    ("a modular electric toolkit (MET)") nothing to propose (empty); else None (a name)."""
    text = doc[start:end].text
    if not (end - start == 1 and _acronym(text) and start >= 2 and end < len(doc)):
        return None
    if doc[start - 1].text != "(" or doc[end].text != ")":
        return None
    tech = [m for m in out if m.type == "Technology" and m.end == start - 1]
    if tech:
        broader = tech[0].ref.split(":", 1)[1] if tech[0].ref.startswith("tech:") else ""
        cue = "an acronym in parentheses after a technology: its short name"
        ident = _propose_technology(r, text, ev, cue, broader=broader)
        ref = f"new:{ident}"
        r.labels[ref] = r.entities[ident].label
        r.types[ref] = "Technology"
        return [Mention(start, end, ref, "Technology", text)]
    before = doc[start - 2]
    if before.is_lower and before.lower_ not in _OWNERS | _COMPANY_WORDS:
        return []
    return None


def singular(label: str) -> str:
    """A technology's label in the singular, as the taxonomy writes them.

    >>> singular("solid-state batteries"), singular("e-axles"), singular("fuel cell process")
    ('solid-state battery', 'e-axle', 'fuel cell process')
    """
    label = label[:-3] + "y" if label.endswith("ies") else label
    return label[:-1] if label.endswith("s") and not label.endswith("ss") else label


def _propose_technology(r: Reading, label: str, ev: Evidence, cue: str, broader: str = "") -> str:
    """The id of a new technology ``label``, proposed once (its first evidence kept)."""
    ident = slug(label)
    if ident not in r.entities:
        r.entities[ident] = Entity(
            ident, label, "Technology", evidence=[ev], cue=cue, broader=broader
        )
    return ident


_NOT_MODIFYING = rules.MODALS | set(rules.TECH_VERBS) | rules.USES
_NOT_MODIFYING |= set("to be is are was were has have had buy buys bought source sources".split())
_NOT_MODIFYING |= set("specifically notably especially particularly mainly mostly".split())
_NOT_MODIFYING |= set("chiefly primarily namely largely also only even".split())  # adverbs
"""Words that are no modifier of a technology word: verbs, auxiliaries and the adverbs
that single a kind out ("batteries, notably LFP cells": the LFP cell)."""


def new_technologies(r: Reading, doc: Any, out: list[Mention], ev: Evidence) -> list[Mention]:
    """Technologies the taxonomy lacks: a head word (platform, cell, architecture, …)
    with up to three modifiers: "E/E architecture", "solid ceramic separator"."""
    generic = {m.start: m for m in out if m.type == "Technology" and m.end - m.start == 1}
    taken = {
        i
        for m in out
        if not m.ref.startswith("new:") and m.start not in generic
        for i in range(m.start, m.end)
    }
    for head in range(len(doc)):
        if doc[head].text not in rules.TECH_HEADS or head in taken:
            continue  # lower case only: "Horse Powertrain" is a company's name
        named = head > 0 and (doc[head - 1].text[:1].isupper() or doc[head - 1].like_num)
        if head in generic and not named:
            continue  # "the platform" stays the taxonomy's; "Leap 3.0 platform" is its own
        start = head
        while start > 0 and head - start < 3:
            t = doc[start - 1]
            if (
                start - 1 in taken
                or t.lower_ in rules.NOT_MODIFIERS
                or t.lower_ in _NOT_MODIFYING  # "will source LFP cells": verbs stop it
                or not (t.text[0].isalnum() or t.text in {"-", "/"})
            ):
                break
            start -= 1
        while start < head and doc[start].text in {"-", "/"}:
            start += 1
        if start and doc[start - 1].text == "-":
            start += 1  # "lower-carbon synthetic fuels": not half a compound
        if start == head:
            continue  # a bare "battery" or "platform": too general to propose
        if _name_like(doc[head - 1]) and doc[head - 1].lower_ in _COMPANY_WORDS:
            continue  # "Veyra Power batteries": a company's name before its product
        words = [t.text for t in doc[start : head + 1]]
        label = singular(" ".join(words).replace(" - ", "-").replace(" / ", "/"))
        # "Leap 3.0 platform": a kind of the taxonomy's platform
        broader = generic[head].ref.split(":", 1)[1] if head in generic else ""
        cue = "a technology the taxonomy lacks: modifiers before a technology word"
        ident = _propose_technology(r, label, ev, cue, broader=broader)
        product = [t.text for t in doc[start:head] if _name_like(t)]
        if len(product) == head - start and product:  # "Ultium batteries": also "Ultium"
            _alias(r.entities[ident], " ".join(product).replace(" - ", "-"))
        ref = f"new:{ident}"
        r.labels[ref] = r.entities[ident].label
        r.types[ref] = "Technology"
        out = [m for m in out if m.end <= start or m.start > head]
        out.append(Mention(start, head + 1, ref, "Technology", label))
    return products(r, doc, out, ev)


def _name_like(token: Any) -> bool:
    """A word of a product's name: a capital ("Ultium"), a digit ("3.0", "ZX9"), a capital
    after the first letter ("eMotion"); no sentence opener, month or demonym.

    >>> import spacy
    >>> [_name_like(t) for t in spacy.blank("en")("the Zenith 3.0 EV platform by Chinese firms")]
    [False, True, True, True, False, False, False, False]
    """
    text = token.text
    if token.lower_ in rules.NOT_MODIFIERS and token.lower_ != "ev":
        return False
    return bool(text) and (
        text[0].isupper() or any(c.isdigit() for c in text) or any(c.isupper() for c in text[1:])
    )


def _alias(entity: Entity, alias: str) -> None:
    if alias and alias != entity.label and alias not in entity.aliases:
        entity.aliases.append(alias)


def products(r: Reading, doc: Any, out: list[Mention], ev: Evidence) -> list[Mention]:
    """A product's name before a technology the taxonomy has: "the Zenith EV platform",
    "Avalon's ZX9 architecture" is a technology of its own, a kind of the taxonomy's, with the
    bare name ("Zenith") as its alias; a later "the Zenith" alone is that technology too.
    Company names, the sentence's first word (unless the document writes it with a capital
    elsewhere) and words that start no name are not a product's name."""
    for m in sorted((m for m in out if m.type == "Technology"), key=lambda m: m.start):
        if not m.ref.startswith("tech:"):
            continue
        # other names stop the product's name; a proposed company's name ("MEB" read as a
        # company) is taken whole or not at all
        fixed = {
            k
            for x in out
            if x is not m and not (x.is_org and x.ref.startswith("new:"))
            for k in range(x.start, x.end)
        }
        start = m.start
        while start > 0 and m.start - start < 3:
            t = doc[start - 1]
            if start - 1 in fixed or not _name_like(t):
                break
            if start - 1 == 0 and t.text not in r.capital_words and not _acronym(t.text):
                break  # "Hybrid cars ...": a sentence's first word
            start -= 1
        if any(x.is_org and x.start < start < x.end for x in out):
            continue  # half a company's name
        if start == m.start or all(t.like_num for t in doc[start : m.start]):
            continue  # nothing, or a number alone ("level 4 autonomous driving"): no name
        if doc[m.start - 1].lower_ in _COMPANY_WORDS:
            continue  # "Veyra Power batteries": a company's name before its product
        name = " ".join(t.text for t in doc[start : m.start]).replace(" - ", "-")
        label = singular(f"{name} {m.text}")
        ident = _propose_technology(
            r,
            label,
            ev,
            "a product's name before a technology of the taxonomy",
            broader=m.ref.split(":", 1)[1],
        )
        _alias(r.entities[ident], name)
        for x in out:  # "Zenith" read as a company's name in this sentence alone: withdrawn
            company = x.ref[4:] if x.is_org and x.ref.startswith("new:") else ""
            if start <= x.start and x.end <= m.start and company in r.entities:
                if r.entities[company].evidence == [ev]:
                    del r.entities[company]
        ref = f"new:{ident}"
        r.labels[ref] = r.entities[ident].label
        r.types[ref] = "Technology"
        out = [x for x in out if x.end <= start or x.start >= m.end]
        out.append(Mention(start, m.end, ref, "Technology", label))
    return out


def _product(r: Reading, words: list[str]) -> str | None:
    """The proposed technology whose product name these words are ("Zenith")."""
    text = " ".join(words)
    for entity in r.entities.values():
        if entity.type == "Technology" and text in entity.aliases:
            return f"new:{entity.id}"
    return None


def org_left(
    mentions: list[Mention], doc: Any, before: int, clause: list[int], skip: set[str]
) -> Mention | None:
    for m in sorted(mentions, key=lambda m: -m.start):
        if m.end > before or not m.is_org or m.ref in skip:
            continue
        if clause[m.start] != clause[before - 1 if before else 0]:
            continue
        prev = doc[m.start - 1].lower_ if m.start else ""
        prev2 = doc[m.start - 2].lower_ if m.start > 1 else ""
        blocked = {
            "of",
            "in",
            "from",
            "to",
            "with",
            "via",
            "through",
            "than",
            "into",
            "at",
            "on",
            "for",
            "unlike",
            "including",
            "by",
        }
        nxt = doc[m.end].lower_ if m.end < len(doc) else ""
        if prev == "with" and nxt in {"holding", "owning", "keeping", "retaining", "taking"}:
            return m  # "with Nissan holding the remaining 51%"
        after_to = doc[m.end + 1].lower_ if m.end + 1 < len(doc) else ""
        if (
            prev == "for"
            and nxt == "to"
            and (after_to in rules.TECH_VERBS or after_to in rules.USES)
        ):
            return m  # "the deal calls for A to supply T": A the infinitive's subject
        if prev in blocked or (prev in {"the", "its", "their"} and prev2 in blocked):
            continue
        if m.end < len(doc) and doc[m.end].lower_ in rules.POSSESSIVE:
            owned = {t.lower_ for t in doc[m.end + 1 : m.end + 4]}
            if not owned & (rules.STAKE_WORDS | _OWN_ACTS):
                continue  # "South Korea's biggest conglomerate": a modifier, not the subject
        # "via Geely Holding and Geely Auto": the whole coordination is blocked
        if prev == "and" and m.start > 1:
            left = [x for x in mentions if x.end == m.start - 1]
            if left and clause[left[0].start] == clause[m.start]:  # not "... and B will"
                p = doc[left[0].start - 1].lower_ if left[0].start else ""
                if p in blocked:
                    continue
        return m
    return None


_OBJECT_OF = {"to", "from", "with", "for", "of", "by", "in", "into", "than"}
"""Prepositions whose object is no subject: "to B and C will ..." joins no C to B."""


def coordinated(mentions: list[Mention], doc: Any, m: Mention) -> list[Mention]:
    """``m`` and the companies joined to it by 'and' or commas on its left (not the object
    of a preposition before them: "supply T to B and B will share U" is B's alone)."""
    out = [m]
    cur = m
    while True:
        gap = cur.start - 1
        if gap < 1 or doc[gap].text not in {"and", ","}:
            break
        left = [x for x in mentions if x.end == gap and x.is_org]
        if not left or left[0].ref in {x.ref for x in out}:
            break
        if left[0].start and doc[left[0].start - 1].lower_ in _OBJECT_OF:
            break
        out.insert(0, left[0])
        cur = left[0]
    return out


def joined_after(mentions: list[Mention], words: list[str], m: Mention) -> list[Mention]:
    """The companies joined to ``m`` by 'and' or commas on its right ("by A, B and C"), in
    order, ``m`` left out (:func:`coordinated` looks left)."""
    out: list[Mention] = []
    cur = m
    while cur.end < len(words) and words[cur.end] in {"and", ","}:
        nxt = [x for x in mentions if x.start == cur.end + 1 and x.is_org]
        if not nxt:
            break
        out.append(nxt[0])
        cur = nxt[0]
    return out
