"""The drafter's records: evidence, mentions, proposed entities and claims, the draft, and the
reading of one document (:class:`Reading`) that the rule modules fill in.

The rule modules (:mod:`.entities`, :mod:`.stakes`, :mod:`.ventures`, :mod:`.technology`,
:mod:`.dates`, :mod:`.status`) are plain functions of a :class:`Reading` and a sentence;
:mod:`.extract` runs them in order.

>>> slug("Geely Holding Group's")
'geely-holding-group'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.names import Name

__all__ = [
    "Evidence",
    "Mention",
    "Entity",
    "Proposal",
    "Draft",
    "Reading",
    "slug",
    "add",
    "match_label",
    "pair",
    "providers_of",
    "developments",
]


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


@dataclass
class Reading:
    """What the drafter knows while it reads one document, sentence by sentence.

    ``labels`` and ``types`` map a term (``kg:x``, ``tech:y``, ``new:z``) to its template label
    and type; ``last_*`` carry the shallow coreference from one sentence to the next.
    """

    text: str
    names: list[Name]
    header: dict[str, str]
    date: str | None
    nlp: Any = None
    matcher: Any = None
    publisher: Entity | None = None
    labels: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    claims: list[Proposal] = field(default_factory=list)
    dates: list[tuple[Evidence, str, str]] = field(default_factory=list)
    amounts: list[tuple[Evidence, float, str]] = field(default_factory=list)
    last_jv: str | None = None
    deal_status: tuple[str, str, str] | None = None
    sentence_doc: Any = None  # the sentence being read
    last_target: str | None = None
    # the technology of the last "<technology> <car word>" and the paragraph it was in
    last_product: tuple[str, int] | None = None
    last_orgs: list[str] = field(default_factory=list)
    recent_orgs: list[str] = field(default_factory=list)  # most recently named first
    capital_words: set[str] = field(default_factory=set)
    # technologies: broader concept -> its kinds (draft.concepts), the taxonomy's broader
    # pairs, each one's labels, the
    # ones the headline names, the ones the body named so far
    kinds: dict[str, set[str]] = field(default_factory=dict)
    broader: dict[str, set[str]] = field(default_factory=dict)  # narrower -> its broader ones
    tech_labels: dict[str, list[str]] = field(default_factory=dict)
    topic: list[str] = field(default_factory=list)
    named_techs: list[str] = field(default_factory=list)
    ev_makers: set[str] = field(default_factory=set)  # companies called "EV maker"


def providers_of(fields: dict[str, Any]) -> list[Any]:
    """An arrangement's providers as a list (one provider is written alone).

    >>> providers_of({"provider": "kg:a"}), providers_of({"provider": ["kg:a", "kg:b"]})
    (['kg:a'], ['kg:a', 'kg:b'])
    """
    provider = fields.get("provider")
    return provider if isinstance(provider, list) else [provider]


def developments(r: Reading) -> list[tuple[str, list[str]]]:
    """What the draft so far has one company developing: ``(company, technologies)`` of each
    "develops" arrangement with a single provider, in the draft's order."""
    return [
        (c.fields["provider"], list(c.fields.get("technology", [])))
        for c in r.claims
        if c.kind == "TechnologyArrangement"
        and c.fields.get("arrangement") == "develops"
        and isinstance(c.fields.get("provider"), str)
    ]


def pair(r: Reading, n: int = 2) -> list[str]:
    """The ``n`` companies "the two" ("the three"), "both" or "they" stand for: the previous
    sentence's, completed by the ones named most recently before it (joint ventures left
    out)."""
    out = [x for x in r.last_orgs if r.types.get(x) != "JointVenture"][:n]
    for ref in r.recent_orgs:
        if len(out) >= n:
            break
        if ref not in out and r.types.get(ref) != "JointVenture":
            out.append(ref)
    return out


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


def match_label(r: Reading, match_id: int) -> str:
    """The name of a ``Matcher`` match (PERCENT, MONEY, DATE)."""
    return r.nlp.vocab.strings[match_id]


def add(r: Reading, proposal: Proposal) -> None:
    """Add ``proposal`` to the reading's claims; a claim already there gains its evidence (a
    partner in a joint venture is one claim whatever status the later sentences give it)."""
    for other in r.claims:
        same_partner = (
            proposal.kind == other.kind == "JointVentureParticipation"
            and proposal.fields == other.fields
        )
        if other.key() == proposal.key() or same_partner:
            for e in proposal.evidence:
                if e not in other.evidence:
                    other.evidence.append(e)
            return
    r.claims.append(proposal)
