"""Proposals from a text: entities, stakes, joint ventures, technology arrangements.

:func:`draft_text` reads a document sentence by sentence (the sentences of
:mod:`automaker_kg.sources.documents`, so every proposal's evidence is a sentence reference
with its offsets), finds the graph's names and new ones, and applies the rules: a percentage
with a stake word and a company on each side is a stake; a percentage owned "by" a company in
a joint venture is a partner's share; a technology next to a cue verb is an arrangement. The
status comes from the cues of the clause (:data:`automaker_kg.draft.rules.STATUS_CUES`).

>>> from automaker_kg.draft.names import Name
>>> names = [Name("Renault", "renault", "kg", "Automaker"),
...          Name("Nissan", "nissan", "kg", "Automaker")]
>>> d = draft_text("Title: T\\nDate: 2023-02-06\\n\\nRenault will hold up to 15% of Nissan.\\n",
...                names)
>>> [(p.kind, p.fields["holder"], p.fields["target"], p.fields["share_max"], p.status)
...  for p in d.claims]
[('EquityStake', 'kg:renault', 'kg:nissan', 15.0, 'plan')]
>>> d.claims[0].label
'Renault is to hold up to 15% of Nissan'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.names import Name
from automaker_kg.sources.documents import sentences
from automaker_kg.sources.factsheet import header_paragraphs

__all__ = ["Evidence", "Mention", "Entity", "Proposal", "Draft", "draft_text", "slug"]


@dataclass(frozen=True)
class Evidence:
    """A sentence reference ``paragraph.sentence`` and its ``[start, end)`` offsets."""

    paragraph: int
    sentence: int
    start: int
    end: int

    @property
    def ref(self) -> str:
        return f"{self.paragraph}.{self.sentence}"


@dataclass
class Mention:
    """A name found in a sentence: token span, the term (``kg:x``, ``tech:y``, ``new:z``)."""

    start: int
    end: int
    ref: str
    type: str
    text: str

    @property
    def is_org(self) -> bool:
        return self.type in rules.ORG_TYPES


@dataclass
class Entity:
    """A name the graph does not know, proposed as a new entity."""

    id: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    cue: str = ""
    broader: str = ""  # for a technology: the taxonomy's concept it is a kind of


@dataclass
class Proposal:
    """One drafted claim: kind, fields (references as ``kg:x``/``new:x``), status, evidence."""

    kind: str
    fields: dict[str, Any]
    status: str
    signal: str
    cue: str
    evidence: list[Evidence]
    label: str = ""
    notes: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        return (self.kind, self.status, tuple(sorted((k, repr(v)) for k, v in self.fields.items())))


@dataclass
class Draft:
    """Everything drafted from one document."""

    header: dict[str, str]
    date: str | None
    publisher: Entity  # cue "known" when the graph has it
    entities: dict[str, Entity]
    claims: list[Proposal]
    labels: dict[str, str]  # term -> the label used in templates
    types: dict[str, str]  # term -> type
    dates: list[tuple[Evidence, str, str]]  # evidence, ISO date, precision
    amounts: list[tuple[Evidence, float, str]]  # evidence, amount, currency
    silent: list[int]  # body paragraphs nothing was drafted from
    body_paragraphs: list[int]


def slug(text: str) -> str:
    """A local name for a proposed entity.

    >>> slug("Leapmotor International")
    'leapmotor-international'
    >>> slug("Aramco Asia Singapore Pte Ltd")
    'aramco-asia-singapore-pte-ltd'
    """
    text = text.replace("&", " and ").lower()
    text = re.sub(r"['\u2019]s\b", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "entity"


# --------------------------------------------------------------------------- header

_HEADER = re.compile(r"^([A-Z][A-Za-z ]{0,30}):\s*(.*)$")
_ISO = re.compile(r"\b(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\b")


def _header(text: str) -> dict[str, str]:
    count = header_paragraphs(text)
    out: dict[str, str] = {}
    for line in [x for x in text.splitlines() if x.strip()][:count]:
        match = _HEADER.match(line)
        if match:
            out[match[1].lower()] = match[2].strip()
    return out


def _document_date(header: dict[str, str]) -> str | None:
    for key in ("date", "reported by", "published"):
        value = header.get(key, "")
        match = re.search(r"\b(\d{4}-\d{2}-\d{2}|\d{4}-\d{2})\b", value)
        if match:
            return match[1]
    return None


# --------------------------------------------------------------------------- new names


def _capitalised(token: Any) -> bool:
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
        if not _capitalised(tok) or tok.lower_ in rules.BREAK:
            i += 1
            continue
        j = i + 1
        while j < n:
            t = doc[j]
            if _capitalised(t) and t.lower_ not in rules.BREAK:
                j += 1
            elif (
                t.text in {"of", "&", "de", "-"}
                and j + 1 < n
                and _capitalised(doc[j + 1])
                and doc[j + 1].lower_ not in rules.BREAK
            ):
                j += 2
            else:
                break
        out.append((i, j))
        i = j
    return out


# --------------------------------------------------------------------------- the drafter


class _Drafter:
    def __init__(self, text: str, names: Sequence[Name]) -> None:
        self.text = text
        self.names = list(names)
        self.labels: dict[str, str] = {}
        self.types: dict[str, str] = {}
        for name in self.names:  # the first name of a term (its rdfs:label) is its label
            ref = f"{name.prefix}:{name.id}"
            self.labels.setdefault(ref, name.text)
            self.types.setdefault(ref, name.type)
        self.header = _header(text)
        self.date = _document_date(self.header)
        self.publisher = self._publisher()
        self.nlp = rules.pipeline(self.names + rules.hint_names(self.names))
        self.matcher = rules.matcher(self.nlp)
        self.entities: dict[str, Entity] = {}
        self.claims: list[Proposal] = []
        self.dates: list[tuple[Evidence, str, str]] = []
        self.amounts: list[tuple[Evidence, float, str]] = []
        self.last_jv: str | None = None
        self.deal_status: tuple[str, str, str] | None = None
        self._doc: Any = None  # the sentence being read
        self.last_target: str | None = None
        self.last_orgs: list[str] = []
        self.capital_words: set[str] = set()

    # ----------------------------------------------------------------- names

    def _publisher(self) -> Entity:
        """The report's publisher: a known media organisation, or a new one."""
        raw = self.header.get("reported by") or self.header.get("publisher") or ""
        name = re.split(r"\s*\(|,\s*(?=\d{4}|undated)", raw)[0].strip() or "Unknown publisher"
        for known in self.names:
            if known.prefix == "kg" and known.text.lower() == name.lower():
                return Entity(known.id, known.text, known.type, cue="known")
        entity = Entity(slug(name), name, "MediaOrganization", cue="the report's publisher")
        self.names.append(Name(name, entity.id, "kg", "MediaOrganization"))
        self.labels[f"kg:{entity.id}"] = name
        self.types[f"kg:{entity.id}"] = "MediaOrganization"
        return entity

    def new_entity(self, words: list[str], ev: Evidence, kind: str, cue: str) -> str:
        label = " ".join(words).replace(" - ", "-").replace(" 's", "")
        core = [w for w in words if w.lower() not in rules.SUFFIXES] or words
        for entity in self.entities.values():  # "Renault Korea" is "Renault Korea Motors"
            other = [w for w in entity.label.split() if w.lower() not in rules.SUFFIXES]
            surname = entity.type == "Person" and len(words) == 1 and other[-1:] == words
            if (other == core or surname) and entity.label != label:
                if label not in entity.aliases:
                    entity.aliases.append(label)
                return f"new:{entity.id}"
        ident = slug(label)
        if ident not in self.entities:
            self.entities[ident] = Entity(ident, label, kind, evidence=[ev], cue=cue)
            self.labels[f"new:{ident}"] = label
        entity = self.entities[ident]
        self.types[f"new:{ident}"] = entity.type
        return f"new:{ident}"

    def _guess_type(self, doc: Any, start: int, end: int) -> tuple[str, str]:
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
        return "Company", "a name with capitals the graph does not know"

    def mentions(self, doc: Any, ev: Evidence) -> list[Mention]:
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
                    and doc[start].text not in self.capital_words
                    and not _acronym(doc[start].text)
                )
            ):
                if start in covered:
                    break
                start += 1
            while end > start and doc[end - 1].lower_ in rules.NOT_NAMES:
                end -= 1
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
            kind, cue = self._guess_type(doc, start, end)
            if len(rest) == 1 and rest[0].is_upper and len(rest[0].text) < 2 and not inside:
                continue  # a letter alone
            words = [t.text for t in doc[start:end]]
            ref = self.new_entity(words, ev, kind, cue)
            out = [m for m in out if m.end <= start or m.start >= end]
            out.append(Mention(start, end, ref, self.types[ref], " ".join(words)))
        out = self._new_technologies(doc, out, ev)
        out.sort(key=lambda m: m.start)
        return out

    def _new_technologies(self, doc: Any, out: list[Mention], ev: Evidence) -> list[Mention]:
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
            words = [t.text for t in doc[start : head + 1]]
            label = " ".join(words).replace(" - ", "-").replace(" / ", "/")
            label = label[:-3] + "y" if label.endswith("ies") else label
            if label.endswith("s") and not label.endswith("ss"):
                label = label[:-1]
            ident = slug(label)
            if ident not in self.entities:
                self.entities[ident] = Entity(
                    ident,
                    label,
                    "Technology",
                    evidence=[ev],
                    cue="a technology the taxonomy lacks: modifiers before a technology word",
                )
                if head in generic:  # "Leap 3.0 platform": a kind of the taxonomy's platform
                    self.entities[ident].broader = generic[head].ref.split(":", 1)[1]
            ref = f"new:{ident}"
            self.labels[ref] = self.entities[ident].label
            self.types[ref] = "Technology"
            out = [m for m in out if m.end <= start or m.start > head]
            out.append(Mention(start, head + 1, ref, "Technology", label))
        return out

    # ----------------------------------------------------------------- cues

    @staticmethod
    def clauses(doc: Any) -> list[int]:
        """A clause number for every token: clauses end at ';', ':' and 'while'."""
        out, number = [], 0
        for tok in doc:
            if tok.text in {";", ":"} or tok.lower_ == "while":
                number += 1
            out.append(number)
        return out

    @staticmethod
    def status(words: list[str]) -> tuple[str, str, str]:
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

    def status_at(self, doc: Any, clause: list[int], i: int) -> tuple[str, str, str]:
        """The status of the clause holding token ``i``: its own cue, else the sentence's;
        a year before the report's makes a stated fact background."""
        words = [t.lower_ for t in doc]
        status = self.status([words[k] for k in range(len(doc)) if clause[k] == clause[i]])
        if status[1] == "stated":
            status = self.status(words)
        if status[2] == "deal" and self.deal_status:
            # "the deal also creates ...": the deal's own status, from the report's first cue
            status = (*self.deal_status[:2], f"the deal's status ({self.deal_status[2]})")
        if status[0] == "official" and self.date:
            for mid, s, e in self.matcher(doc):
                if self._label(mid) != "DATE" or clause[s] != clause[i]:
                    continue
                found = _date_of(doc[s:e], self.date)
                if found and found[0][:4] < self.date[:4]:
                    return "historical", "background", f"a past year ({found[0][:4]})"
        return status

    # ----------------------------------------------------------------- stakes

    def _org_left(
        self, mentions: list[Mention], doc: Any, before: int, clause: list[int], skip: set[str]
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
            if prev in blocked or (prev in {"the", "its", "their"} and prev2 in blocked):
                continue
            if m.end < len(doc) and doc[m.end].lower_ in {"'s", "\u2019s"}:
                owned = {t.lower_ for t in doc[m.end + 1 : m.end + 4]}
                if not owned & (rules.STAKE_WORDS | {"purchase", "investment", "acquisition"}):
                    continue  # "South Korea's biggest conglomerate": a modifier, not the subject
            # "via Geely Holding and Geely Auto": the whole coordination is blocked
            if prev == "and" and m.start > 1:
                left = [x for x in mentions if x.end == m.start - 1]
                if left:
                    p = doc[left[0].start - 1].lower_ if left[0].start else ""
                    if p in blocked:
                        continue
            return m
        return None

    def _coordinated(self, mentions: list[Mention], doc: Any, m: Mention) -> list[Mention]:
        """``m`` and the companies joined to it by 'and' or commas on its left."""
        out = [m]
        cur = m
        while True:
            gap = cur.start - 1
            if gap < 1 or doc[gap].text not in {"and", ","}:
                break
            left = [x for x in mentions if x.end == gap and x.is_org]
            if not left:
                break
            out.insert(0, left[0])
            cur = left[0]
        return out

    def stakes(self, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
        clause = self.clauses(doc)
        words = [t.lower_ for t in doc]
        percents = [(s, e) for mid, s, e in self.matcher(doc) if self._label(mid) == "PERCENT"]
        # "majority owner", "a majority stake": more than half
        majority_nouns = {"owner", "stake", "shareholder", "holding", "control", "ownership"}
        percents += [
            (i, i + 1)
            for i in range(len(doc) - 1)
            if words[i] == "majority" and words[i + 1] in majority_nouns
        ]
        percents.sort()
        # "between 3% and 5%" / "3% to 5%" / "3-5%": one range, the second share not apart
        ranges: dict[int, float] = {}
        range_end: dict[int, int] = {}
        for (a, ae), (b, be) in zip(percents, percents[1:], strict=False):
            gap = words[ae:b]
            if gap in (["and"], ["to"], ["-"]) and (
                gap != ["and"] or "between" in words[a - 2 : a]
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
        sentence_targets: list[str] = []
        for ps, pe in percents:
            cue_parts: list[str] = []
            # the bound: "up to 15%", "at least 20%"
            bound, approx = "exact", False
            if words[ps] == "majority":
                value, bound = 50.0, "min"
                cue_parts.append("'majority' -> share_min 50")
            else:
                number = re.match(r"[0-9][0-9,]*(\.[0-9]+)?", doc[ps].text)
                if number is None:
                    continue  # a number in words ("ten per cent")
                value = float(number[0].replace(",", ""))
            for phrase, kind, name in rules.RANGE_CUES:
                k = len(phrase)
                if tuple(words[max(0, ps - k) : ps]) == phrase:
                    bound = kind
                    cue_parts.append(f"'{name}' -> share_{kind}")
                    break
            if ps and words[ps - 1] in rules.APPROXIMATE:
                approx = True
            window = set(words[max(0, ps - 6) : pe + 6])
            same = [i for i in range(len(doc)) if clause[i] == clause[ps]]
            clause_words = [words[i] for i in same]
            stake_in = any(
                words[i] in {"stake", "holding", "shareholding", "interest"}
                and words[i + 1] == "in"
                for i in range(len(doc) - 1)
                if clause[i] == clause[ps] and i < ps
            )
            # "reduce their cross-shareholdings from 15% to 10%": near, in the same clause
            cross = any(clause[i] == clause[ps] and abs(i - ps) <= 10 for i in cross_at)
            if cross and self._cross(doc, mentions, ps, pe, value, bound, clause, ev):
                continue
            fused = doc[ps].text.endswith(("-owned", "-held"))
            if not (window & rules.STAKE_WORDS or "joint" in clause_words or stake_in or fused):
                continue
            tail = 0  # where the words after the share phrase start, when not at pe
            # the target: "<P>% (stake) in|of <T>"
            target: Mention | None = None
            holder: list[Mention] = []
            k = pe + 1 if words[pe : pe + 1] == ["-"] else pe
            if doc[ps].text.endswith(("-owned", "-held")):
                k -= 1  # one token: "43%-owned"
            if words[k : k + 1] in (["owned"], ["held"]) or k < pe:
                owned = [m for m in mentions if m.start == k + 1 and m.is_org]
                if owned:  # "Renault's 43%-owned Nissan"
                    target = owned[0]
                    cue_parts.append("'<share>-owned <company>'")
            j, saw_prep = range_end.get(ps, pe), False
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
                    if w in {",", ";", "and", "while", "which", "by", "for", "to"}:
                        break
                    if w == "venture" or (w == "jv" and words[j - 1] == "the"):
                        jv = self.last_jv or self._unnamed_jv(mentions, ev)
                        if jv:  # "a 49% stake in the joint venture": the one just named
                            target = Mention(j, j, jv, "JointVenture", "")
                            cue_parts.append("'<share> in the joint venture'")
                        break
                elif (
                    w
                    not in {
                        "stake",
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
                    }
                    and not doc[j].like_num
                ):
                    break
                j += 1
            if target is not None:
                cue_parts.append("'<share> in/of <company>'")
            elif words[pe : pe + 2] in (["of", "its"], ["of", "their"]) and pe + 2 < len(doc):
                if words[pe + 2] in {"shares", "stock", "equity", "capital"}:
                    target = self._org_left(mentions, doc, ps, clause, set())
                    if target is not None:  # "sold 5% of its shares to Honda"
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
                        jv = self._unnamed_jv(mentions, ev)
                        if jv:
                            target = Mention(k + 1, k + 1, jv, "JointVenture", "")
                            cue_parts.append("'jointly owned': a joint venture of the two")
                            for partner in self._partners_of(mentions):
                                self.add(
                                    Proposal(
                                        "JointVentureParticipation",
                                        {"member": partner, "organization": jv},
                                        "official",
                                        "stated",
                                        "'their jointly owned ...': the companies named with it",
                                        [ev],
                                    )
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
                        left = self._org_left(mentions, doc, ps, clause, {by[0].ref})
                        owned_at = [i for i in range(ps) if words[i] in {"owned", "held"}]
                        if owned_at:
                            left = self._org_left(mentions, doc, owned_at[-1], clause, {by[0].ref})
                        if left is None and sentence_targets:
                            target_ref = sentence_targets[-1]
                            target = next((m for m in mentions if m.ref == target_ref), None)
                        else:
                            target = left
            if target is None:
                # "its holding in Aston Martin had risen to about 17 percent"
                for i in range(ps - 1, -1, -1):
                    if clause[i] != clause[ps]:
                        break
                    if words[i] in {"stake", "holding", "shareholding", "interest"} and (
                        i + 1 < len(doc) and words[i + 1] == "in"
                    ):
                        hit = [m for m in mentions if m.start == i + 2 and m.is_org]
                        if hit:
                            target = hit[0]
                            cue_parts.append("'stake in <company> ... <share>'")
                        break
            which = [i for i in range(1, ps) if words[i] == "which" and words[i - 1] == "in"]
            if target is None and which:
                k = which[-1] - 1  # "Xpeng, in which Volkswagen takes 4.99%"
                k -= 1 if k and words[k - 1] == "," else 0
                named = [m for m in mentions if m.end == k and m.is_org]
                if named:
                    target = named[0]
                    cue_parts.append("'<company>, in which ... <share>'")
                elif self.last_jv:
                    target = Mention(0, 0, self.last_jv, "JointVenture", "")
                    cue_parts.append("'in which ... <share>': the joint venture just named")
            if target is None:  # "Aston Martin's third-largest shareholder ... 17%"
                for m in mentions:
                    after = words[m.end : m.end + 5]
                    if (
                        m.is_org
                        and after[:1] in (["'s"], ["\u2019s"])
                        and ({"shareholder", "owner", "investor"} & set(after))
                    ):
                        target = m
                        cue_parts.append("'<company>'s largest shareholder'")
                        break
            if target is None and sentence_targets:
                target = next((m for m in mentions if m.ref == sentence_targets[-1]), None)
                if target is not None:
                    cue_parts.append("the company of the sentence's previous stake")
            recent = {"stake", "keep", "keeps", "holding"}
            if target is None and self.last_target and window & recent:
                ref = self.last_target
                target = Mention(0, 0, ref, self.types.get(ref, "Company"), "")
                cue_parts.append("the company of the previous sentence's stake")
            if target is None:
                continue
            # "sell 5% of Nissan to Honda": the share changes hands, the receiver holds it
            moved_to: Mention | None = None
            after_share = target.start >= pe
            at = target.end if after_share and target.end < len(doc) else (tail or pe)
            if at < len(doc) and words[at] in {"into", "to"}:
                k = at + 1
                while k < len(doc) and words[k] in {"the", "a", "an"}:
                    k += 1
                receiver = [m for m in mentions if m.start == k and m.is_org]
                moved_to = Mention(0, 0, "", "", "")  # a receiver the text does not name
                if receiver and receiver[0].ref != target.ref:
                    moved_to = receiver[0]
                    holder = [receiver[0]]
                    cue_parts.append("'<share> of <company> to <company>': the receiver holds it")
            if not holder:
                # "<H>'s 15% stake"
                k = ps - 1
                while k >= 0 and (words[k] in rules.APPROXIMATE or words[k] == "additional"):
                    k -= 1
                if bound != "exact":
                    k -= 2
                if k >= 1 and words[k] in {"'s", "’s"}:
                    hit = [m for m in mentions if m.end == k and m.is_org]
                    if hit:
                        holder = [hit[0]]
                        cue_parts.append("'<company>'s <share>'")
            if not holder:
                left = self._org_left(mentions, doc, ps, clause, {target.ref})
                if left is None:
                    left = self._org_left(
                        mentions, doc, ps, [0] * len(doc), {target.ref}
                    )  # the sentence's subject, across clauses
                if left is not None:
                    holder = [left]
                    if {"each", "both"} & set(clause_words):
                        holder = self._coordinated(mentions, doc, left)
                        cue_parts.append("'<company> and <company> each'")
                    cue_parts.append("the company before the share")
            if not holder:
                continue
            status, signal, scue = self.status_at(doc, clause, ps)
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
            if own and (noun or set(clause_words) & changes):
                status, signal, scue = "historical", "background", "'its <share> stake': held now"
            if moved_to is not None and (not holder or holder[0] is not moved_to):
                continue  # "moving 28.4% of Nissan into a trust": a receiver not named
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
            for h in holder:
                if h.ref == target.ref:
                    continue
                fields = {"holder": h.ref, "target": target.ref, "interest": interest, **share}
                self.add(
                    Proposal(
                        "EquityStake",
                        fields,
                        status,
                        signal,
                        "; ".join(cue_parts) + f"; status cue: {scue}",
                        [ev],
                        notes=notes,
                    )
                )
                if self.types.get(target.ref) == "JointVenture":
                    self.add(
                        Proposal(
                            "JointVentureParticipation",
                            {"member": h.ref, "organization": target.ref},
                            status,
                            signal,
                            "a share in a joint venture; status cue: " + scue,
                            [ev],
                        )
                    )
            self.last_target = target.ref

    def _cross(
        self,
        doc: Any,
        mentions: list[Mention],
        ps: int,
        pe: int,
        value: float,
        bound: str,
        clause: list[int],
        ev: Evidence,
    ) -> bool:
        """Cross-shareholdings of two companies at a share: a stake each way."""
        words = [t.lower_ for t in doc]
        parties: list[str] = []
        for m in mentions:
            if m.is_org and m.ref not in parties:
                parties.append(m.ref)
        if len(parties) < 2:
            parties += [r for r in self.last_orgs if r not in parties]
        if len(parties) < 2:
            return False
        a, b = parties[:2]
        status, signal, scue = self.status_at(doc, clause, ps)
        before = words[max(0, ps - 2) : ps]
        if "from" in before:
            if {"present", "currently", "now"} & set(words[pe : pe + 3]):
                status, signal, scue = "official", "stated", "'from <share> at present'"
            else:
                status, signal, scue = "historical", "background", "'from <share>'"
        key = {"exact": "share", "min": "share_min", "max": "share_max"}[bound]
        for holder, target in ((a, b), (b, a)):
            fields = {"holder": holder, "target": target, "interest": "shareholding", key: value}
            self.add(
                Proposal(
                    "EquityStake",
                    fields,
                    status,
                    signal,
                    f"'cross-shareholdings' of two companies: a stake each way; status cue: {scue}",
                    [ev],
                )
            )
        return True

    def _partners_of(self, mentions: list[Mention]) -> list[str]:
        """The sentence's companies (else the previous sentence's), places left out."""
        orgs: list[str] = []
        for m in mentions:
            place = m.start > 0 and m.text and self._words_before(m) in {"in", "at", "near"}
            if m.is_org and m.ref not in orgs and not place:
                if self.types.get(m.ref) != "JointVenture":
                    orgs.append(m.ref)
        if len(orgs) < 2:
            orgs += [r for r in self.last_orgs if r not in orgs]
        return orgs[:3]

    def _words_before(self, m: Mention) -> str:
        return self._doc[m.start - 1].lower_ if self._doc is not None and m.start else ""

    def _unnamed_jv(self, mentions: list[Mention], ev: Evidence) -> str | None:
        """A joint venture the text does not name, of the sentence's (or the previous
        sentence's) companies: proposed as "A–B joint venture"."""
        orgs = self._partners_of(mentions)
        if len(orgs) < 2:
            return None
        labels = [self.labels.get(r, r.split(":", 1)[-1]) for r in orgs[:3]]
        ident = slug("-".join(labels) + " joint venture")
        if ident not in self.entities:
            self.entities[ident] = Entity(
                ident,
                "\u2013".join(labels) + " joint venture",
                "JointVenture",
                evidence=[ev],
                cue="an unnamed joint venture of the companies named with it",
            )
        ref = f"new:{ident}"
        self.labels[ref] = self.entities[ident].label
        self.types[ref] = "JointVenture"
        self.last_jv = ref
        return ref

    def wholly_owned(self, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
        """ "X, a subsidiary it owns wholly", "Y's wholly owned subsidiary X": 100%."""
        words = [t.lower_ for t in doc]
        if not ({"wholly", "fully"} & set(words)) or "subsidiary" not in words:
            return
        k = words.index("subsidiary")
        clause = self.clauses(doc)
        target = next(
            (m for m in mentions if m.is_org and m.start in (k + 1, k + 2) and m.start > k), None
        )
        if target is None:  # "X, a subsidiary ...": the company before the apposition
            left = [m for m in mentions if m.is_org and m.end <= k and words[m.end] == ","]
            target = left[-1] if left else None
        if target is None:
            return
        of = [m for m in mentions if m.is_org and m.start > k and words[m.start - 1] == "of"]
        holder = of[0] if of and of[0] is not target else None
        if holder is None:
            holder = next((m for m in mentions if m.is_org and m.ref != target.ref), None)
        if holder is None:
            return
        status, signal, scue = self.status_at(doc, clause, k)
        self.add(
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
            )
        )

    def infer_joint_ventures(self) -> None:
        """A proposed company owned by two or more companies whose shares add up to all of
        it, none more than 51%, is a joint venture: its owners are its partners."""
        holders: dict[str, list[Proposal]] = {}
        for c in self.claims:
            if c.kind == "EquityStake" and "share" in c.fields and c.status != "historical":
                holders.setdefault(c.fields["target"], []).append(c)
        for target, stakes in holders.items():
            owners = {c.fields["holder"] for c in stakes}
            total = sum(c.fields["share"] for c in stakes)
            if (
                not target.startswith("new:")
                or self.types.get(target) == "JointVenture"
                or len(owners) < 2
                or abs(total - 100) > 1
                or max(c.fields["share"] for c in stakes) > 51
            ):
                continue
            self.entities[target[4:]].type = "JointVenture"
            self.entities[target[4:]].cue += "; a joint venture: its owners' shares add up to 100%"
            self.types[target] = "JointVenture"
            for c in stakes:
                self.add(
                    Proposal(
                        "JointVentureParticipation",
                        {"member": c.fields["holder"], "organization": target},
                        c.status,
                        c.signal,
                        "owners whose shares add up to 100%: partners in a joint venture",
                        list(c.evidence),
                    )
                )

    def _label(self, match_id: int) -> str:
        return self.nlp.vocab.strings[match_id]

    # ----------------------------------------------------------------- joint ventures

    def joint_ventures(self, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
        words = [t.lower_ for t in doc]
        text = " ".join(words)
        if "venture" not in words:
            return
        clause = self.clauses(doc)
        jv = [m for m in mentions if self.types.get(m.ref) == "JointVenture"]
        vi = words.index("venture")
        if not jv:
            # "X, a joint venture" / "the joint venture, X," / "joint venture X": X is one
            for m in mentions:
                after = " ".join(words[m.end : m.end + 4])
                before = " ".join(words[max(0, m.start - 3) : m.start])
                named = after.startswith(
                    (", a joint venture", ", the joint venture", ", a venture", ", its joint")
                ) or before.endswith(("joint venture ,", "joint venture", "venture called"))
                if m.is_org and named:
                    if m.ref.startswith("new:"):
                        self.entities[m.ref[4:]].type = "JointVenture"
                        self.types[m.ref] = "JointVenture"
                        m.type = "JointVenture"
                        jv = [m]
                        break
        members: list[Mention] = []
        # "the joint venture of Renault and Geely", "a joint venture between A and B"
        if vi + 1 < len(doc) and words[vi + 1] in {"of", "between", "with"}:
            following = [m for m in mentions if m.start >= vi + 2 and m.is_org]
            if following:
                first = following[0]
                chain = [first]
                cur = first
                while cur.end < len(doc) and words[cur.end] in {"and", ","}:
                    nxt = [m for m in following if m.start == cur.end + 1]
                    if not nxt:
                        break
                    chain.append(nxt[0])
                    cur = nxt[0]
                members = chain
                cue = f"'joint venture {words[vi + 1]} <company> and <company>'"
                if words[vi + 1] == "with":  # "Honda set up a joint venture with GM"
                    subject = self._org_left(mentions, doc, vi, clause, {m.ref for m in chain})
                    if subject is not None:
                        members = [subject, *chain]
        founding = {"form", "forms", "formed", "forming", "establish", "establishes"}
        founding |= {"established", "create", "creates", "created", "launch", "launched"}
        if not members and ("set up" in text or "setting up" in text or founding & set(words)):
            orgs = [m for m in mentions if m.is_org and m not in jv and clause[m.start] == 0]
            if not orgs and self.last_orgs:
                members = [
                    Mention(0, 0, r, self.types.get(r, "Company"), "") for r in self.last_orgs
                ]
                cue = "'set up a joint venture': the companies of the previous sentence"
            elif len(orgs) >= 2:
                members = orgs
                cue = "'<company> and <company> set up a joint venture'"
        if not members:
            if jv:
                self.last_jv = jv[0].ref
            return
        if jv:
            target = jv[0].ref
        elif self.last_jv and "the joint venture" in text:
            target = self.last_jv
        else:
            target = self._unnamed_jv(members, ev) or ""
            if not target:
                return
        self.last_jv = target
        status, signal, scue = self.status_at(doc, clause, vi)
        if cue.startswith("'joint venture ") and status != "reported":
            # "Horse, the joint venture of Renault and Geely": who the partners are now
            status, signal, scue = "official", "stated", "the partners named with the venture"
        equal = (
            {"50:50", "equally", "evenly"} & set(words)
            or "50 - 50" in text
            or "fifty - fifty" in text
            or ("equal" in words and {"stakes", "shares", "ownership"} & set(words))
        )
        partners = [m for m in members if m.ref != target]
        for m in partners:
            self.add(
                Proposal(
                    "JointVentureParticipation",
                    {"member": m.ref, "organization": target},
                    status,
                    signal,
                    f"{cue}; status cue: {scue}",
                    [ev],
                )
            )
            if equal and len(partners) == 2:  # "a 50-50 joint venture": half each
                fields = {"holder": m.ref, "target": target, "interest": "shareholding"}
                self.add(
                    Proposal(
                        "EquityStake",
                        {**fields, "share": 50.0},
                        status,
                        signal,
                        f"'50-50 / equal stakes' of two partners -> 50% each; status cue: {scue}",
                        [ev],
                    )
                )

    # ----------------------------------------------------------------- technology

    def _tech_status(
        self, doc: Any, clause: list[int], i: int, describes: bool = False
    ) -> tuple[str, str, str]:
        """A technology stated with no cue, or a description ("a leader in", "X's own"), is
        what the company does: background, unless the clause plans or reports it."""
        words = [t.lower_ for t in doc]
        own = self.status([words[k] for k in range(len(doc)) if clause[k] == clause[i]])
        status = self.status_at(doc, clause, i)
        if own[1] == "stated" and status[0] != "reported":
            status = own
        if status[1] == "stated" or (describes and status[0] != "reported"):
            return "historical", "background", "what the company does (no plan, no report)"
        return status

    def _licence(
        self,
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
            for c in self.claims:
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

    def technology(self, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
        techs = [m for m in mentions if m.type == "Technology"]
        if not techs:
            return
        words = [t.lower_ for t in doc]
        clause = self.clauses(doc)
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
                status, signal, scue = self.status_at(doc, clause, m.start)
                arrangement, cue = "contributes", f"'{uses[0]} <company>'s <technology>'"
                by_user = [
                    x
                    for x in mentions
                    if x.is_org and x.start > m.end and words[x.start - 1] == "by"
                ]
                user = (
                    by_user[0]
                    if by_user
                    else self._org_left(
                        mentions, doc, owner[0].start, [0] * len(doc), {owner[0].ref}
                    )
                )
                if user is not None:  # and the company that uses it acquires it
                    self.add(
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
                        )
                    )
            else:
                status, signal, scue = self._tech_status(doc, clause, m.start, describes=True)
                arrangement, cue = "develops", "'<company>'s <technology>'"
            self.add(
                Proposal(
                    "TechnologyArrangement",
                    {"provider": owner[0].ref, "arrangement": arrangement, "technology": [m.ref]},
                    status,
                    signal,
                    f"{cue}; status cue: {scue}",
                    [ev],
                )
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
            negated = any(
                x in {"not", "no", "never", "refuses", "refused"} for x in words[i - 3 : i]
            )
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
                if m.start == i + 2
                and m.is_org
                and words[i + 1] == "by"
                and w.endswith(("ed", "t"))
            ]
            provider: Mention | None
            if w in {"maker", "makers", "supplier", "suppliers"} and named:
                provider = named[0]  # "the Chinese EV maker Leapmotor"
            elif by:
                provider = by[0]  # "batteries supplied by BYD"
            else:
                provider = self._org_left(mentions, doc, i, clause, set())
            if provider is None:
                provider = self._org_left(mentions, doc, i, [0] * len(doc), set())
            providers_given: list[Mention] = []
            if provider is None:
                # "a maker of hybrid powertrains, Horse": the company after the verb
                after = [
                    m for m in mentions if m.is_org and m.start > i and clause[m.start] == clause[i]
                ]
                if after:
                    provider = after[0]
                elif self.last_orgs and set(words[:i]) & rules.PRONOUNS:
                    # "it", "the company", "the two": the previous sentence's companies
                    two = bool(set(words[:i]) & {"two", "both", "they", "partners"})
                    refs = self.last_orgs[:2] if two else self.last_orgs[:1]
                    providers_given = [
                        Mention(0, 0, r, self.types.get(r, "Company"), "") for r in refs
                    ]
                    provider = providers_given[0]
                else:
                    continue
            providers = providers_given or self._coordinated(mentions, doc, provider)
            recipient = None
            for m in mentions:
                if (
                    m.start > i
                    and m.is_org
                    and m.start
                    and words[m.start - 1] in {"to", "with", "for"}
                ):
                    if clause[m.start] == clause[i] and m.ref not in {p.ref for p in providers}:
                        recipient = m
                        break
            given = [m for m in mentions if m.start == i + 1 and m.is_org]
            if arrangement in ("supplies", "contributes") and given:
                recipient = given[0]  # "provide Volkswagen with access to ..."
                providers = [p for p in providers if p.ref != recipient.ref] or providers
                provider = providers[0]
            describes = w in rules.DESCRIBES
            status, signal, scue = self._tech_status(doc, clause, i, describes)
            fields: dict[str, Any] = {
                "provider": [p.ref for p in providers] if len(providers) > 1 else provider.ref,
                "arrangement": arrangement,
                "technology": sorted({m.ref for m in same}),
            }
            if recipient is not None:
                fields["recipient"] = recipient.ref
            if arrangement == "licenses":
                status, signal, scue = self.status(words[:i])
                fields = self._licence(mentions, words, clause, i, provider, fields["technology"])
            if arrangement == "develops" and len(providers) > 1 and "recipient" not in fields:
                # "QuantumScape and PowerCo will jointly develop a cell": a joint project
                self.add(
                    Proposal(
                        "JointProject",
                        {"participant": fields["provider"], "technology": fields["technology"]},
                        status,
                        signal,
                        f"'<company> and <company> {w}' a technology: a joint project; "
                        f"status cue: {scue}",
                        [ev],
                    )
                )
                break
            self.add(
                Proposal(
                    "TechnologyArrangement",
                    fields,
                    status,
                    signal,
                    f"'{w}' next to a technology; status cue: {scue}",
                    [ev],
                )
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
                    self.add(
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
                        )
                    )
            break  # one arrangement a clause's first cue verb

    # ----------------------------------------------------------------- dates, amounts

    def dates_amounts(self, doc: Any, ev: Evidence) -> None:
        for mid, s, e in self.matcher(doc):
            label = self._label(mid)
            span = doc[s:e]
            if label == "MONEY":
                tokens = [t.text for t in span]
                sign = next(
                    (rules.CURRENCY_SIGNS[t] for t in tokens if t in rules.CURRENCY_SIGNS), ""
                )
                word = next(
                    (
                        rules.CURRENCY_WORDS[t.lower()]
                        for t in tokens
                        if t.lower() in rules.CURRENCY_WORDS
                    ),
                    "",
                )
                number = next(
                    (t for t in span if t.like_num and t.lower_ not in rules.SCALES), None
                )
                scale = next(
                    (rules.SCALES[t.lower_] for t in span if t.lower_ in rules.SCALES), 1.0
                )
                try:
                    amount = (
                        float(number.text.replace(",", "")) * scale if number is not None else None
                    )
                except ValueError:
                    amount = None
                if amount is not None:
                    self.amounts.append((ev, amount, sign or word))
            elif label == "DATE":
                found = _date_of(span, self.date)
                if found:
                    self.dates.append((ev, *found))

    # ----------------------------------------------------------------- claims

    def add(self, proposal: Proposal) -> None:
        for other in self.claims:
            if other.key() == proposal.key():
                for e in proposal.evidence:
                    if e not in other.evidence:
                        other.evidence.append(e)
                return
        self.claims.append(proposal)

    def run(self) -> Draft:
        spans = sentences(self.text)
        header = header_paragraphs(self.text)
        body = [s for s in spans if s.paragraph > header]
        docs = list(self.nlp.pipe(self.text[s.start : s.end] for s in body))
        for doc in docs:  # words the document writes with a capital inside a sentence
            self.capital_words.update(t.text for t in doc[1:] if _capitalised(t))
        drafted: set[int] = set()
        for s, doc in zip(body, docs, strict=True):
            if s is body[0]:  # the report's lead sets the deal's status
                lead = self.status([t.lower_ for t in doc])
                if lead[1] in ("plans to", "completed", "agreed"):
                    self.deal_status = lead
            ev = Evidence(s.paragraph, s.number, s.start, s.end)
            self._doc = doc
            before = len(self.claims)
            mentions = self.mentions(doc, ev)
            self.joint_ventures(doc, mentions, ev)
            self.stakes(doc, mentions, ev)
            self.wholly_owned(doc, mentions, ev)
            self.technology(doc, mentions, ev)
            self.dates_amounts(doc, ev)
            orgs = [m.ref for m in mentions if m.is_org]
            if orgs:
                self.last_orgs = orgs
            if len(self.claims) > before or any(ev in c.evidence for c in self.claims):
                drafted.add(s.paragraph)
        self.infer_joint_ventures()
        for c in self.claims:
            c.label = own_words(
                label_of(c, self.labels, self.amounts),
                [self.text[e.start : e.end] for e in c.evidence],
                c,
                self.labels,
            )
        paragraphs = sorted({s.paragraph for s in body})
        return Draft(
            header=self.header,
            date=self.date,
            publisher=self.publisher,
            entities=self.entities,
            claims=self.claims,
            labels=self.labels,
            types=self.types,
            dates=self.dates,
            amounts=self.amounts,
            silent=[p for p in paragraphs if p not in drafted],
            body_paragraphs=paragraphs,
        )


def _date_of(span: Any, document_date: str | None) -> tuple[str, str] | None:
    """(ISO date, precision) of a DATE match; weekdays resolved against the document's date."""
    words = [t.lower_ for t in span]
    year = next((t.text for t in span if t.shape_ == "dddd"), None)
    month = next((rules.MONTHS.index(w) + 1 for w in words if w in rules.MONTHS), None)
    day = next((int(t.text) for t in span if t.is_digit and len(t.text) <= 2), None)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", span.text):
        return span.text, "day"
    if words[0] in rules.WEEKDAYS:
        if not document_date or len(document_date) < 10:
            return None
        ref = dt.date.fromisoformat(document_date)
        back = (ref.weekday() - rules.WEEKDAYS.index(words[0])) % 7
        return (ref - dt.timedelta(days=back)).isoformat(), "day"
    if year and month and day:
        try:
            return dt.date(int(year), month, day).isoformat(), "day"
        except ValueError:
            return None
    if year and month:
        return f"{year}-{month:02d}", "month"
    if year:
        return year, "year"
    return None


# --------------------------------------------------------------------------- labels


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
        else:
            amount = "up to " + _pct(f["share_max"])
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
    from automaker_kg.sources.factsheet import copied_runs

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
        other = (
            f"Stake in {name(f['target'])} held by {name(f['holder'])}: {share:g}% ({claim.status})"
        )
    elif claim.kind == "JointVentureParticipation":
        other = f"Partner of {name(f['organization'])}: {name(f['member'])} ({claim.status})"
    elif claim.kind == "JointProject":
        other = f"Joint project of {name(f['participant'])} ({claim.status})"
    else:
        other = (
            f"Technology arrangement ({f['arrangement']}) of {name(f['provider'])} ({claim.status})"
        )
    return other


def draft_text(text: str, names: Iterable[Name]) -> Draft:
    """Draft proposals for a document's text with the given known names."""
    return _Drafter(text, list(names)).run()
