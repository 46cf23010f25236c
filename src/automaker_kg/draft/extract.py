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

from collections.abc import Iterable, Sequence

from automaker_kg.draft import areas, concepts, dates, entities, rules, stakes, technology, ventures
from automaker_kg.draft.labels import label_of, own_words
from automaker_kg.draft.model import (
    Draft,
    Entity,
    Evidence,
    Mention,
    Proposal,
    Reading,
    slug,
)
from automaker_kg.draft.names import Name
from automaker_kg.draft.status import cue_status
from automaker_kg.sources.documents import header_paragraphs, sentences

__all__ = [
    "Evidence",
    "Mention",
    "Entity",
    "Proposal",
    "Draft",
    "draft_text",
    "reading",
    "run",
    "slug",
]


def reading(text: str, names: Sequence[Name], broader: Iterable[tuple[str, str]] = ()) -> Reading:
    """A fresh reading of ``text``: the names' labels and types, the header, the report's date
    and publisher, the pipeline and its matcher. ``broader``: the taxonomy's (narrower,
    broader) technology pairs, for the kinds of each concept (:mod:`.concepts`)."""
    header = dates.header(text)
    r = Reading(text, list(names), header, dates.document_date(header))
    for name in r.names:  # the first name of a term (its rdfs:label) is its label
        ref = f"{name.prefix}:{name.id}"
        r.labels.setdefault(ref, name.text)
        r.types.setdefault(ref, name.type)
    r.publisher = entities.publisher(r)
    broader = list(broader)
    r.kinds = concepts.kinds(r.names, broader)
    for narrow, broad in broader:
        r.broader.setdefault(narrow, set()).add(broad)
    for name in r.names:
        if name.is_technology:
            r.tech_labels.setdefault(name.id, []).append(name.text)
    extra = rules.hint_names(r.names) + concepts.modifier_names(r.names, r.kinds)
    r.nlp = rules.pipeline(r.names + extra)
    r.matcher = rules.matcher(r.nlp)
    headline = header.get("brief") or header.get("title") or ""
    r.topic = [
        e.ent_id_[5:]
        for e in r.nlp(rules.spelled_out(headline)).ents
        if e.ent_id_.startswith("tech:")
    ]
    return r


def run(r: Reading) -> Draft:
    """Read every body sentence in order, apply the rules, then label the claims."""
    spans = sentences(r.text)
    header = header_paragraphs(r.text)
    body = [s for s in spans if s.paragraph > header]
    docs = list(r.nlp.pipe(rules.spelled_out(r.text[s.start : s.end]) for s in body))
    for doc in docs:  # words the document writes with a capital inside a sentence
        r.capital_words.update(t.text for t in doc[1:] if entities.capitalised(t))
    drafted: set[int] = set()
    for s, doc in zip(body, docs, strict=True):
        if s is body[0]:  # the report's lead sets the deal's status
            lead = cue_status([t.lower_ for t in doc])
            if lead[1] in ("plans to", "completed", "agreed"):
                r.deal_status = lead
        ev = Evidence(s.paragraph, s.number, s.start, s.end)
        r.sentence_doc = doc
        before = len(r.claims)
        found = entities.mentions(r, doc, ev)
        concepts.refine(r, doc, found)
        concepts.ev_makers(r, doc, found)
        found = concepts.anaphora(r, doc, found)
        found = concepts.singled_out(r, doc, found)
        ventures.joint_ventures(r, doc, found, ev)
        stakes.stakes(r, doc, found, ev)
        stakes.wholly_owned(r, doc, found, ev)
        stakes.unsized(r, doc, found, ev)
        technology.technology(r, doc, found, ev)
        areas.transfers(r, doc, found, ev)
        dates.dates_amounts(r, doc, ev)
        orgs = [m.ref for m in found if m.is_org]
        first = min([m.start for m in found if m.is_org], default=len(doc))
        subject = technology.described(r, found, [t.lower_ for t in doc], first)
        if subject is not None and subject.ref not in orgs:
            orgs.insert(0, subject.ref)  # "The German automaker ...": named before, the subject
        if orgs:
            r.last_orgs = orgs
            for ref in reversed(orgs):
                if ref in r.recent_orgs:
                    r.recent_orgs.remove(ref)
                r.recent_orgs.insert(0, ref)
        if len(r.claims) > before or any(ev in c.evidence for c in r.claims):
            drafted.add(s.paragraph)
    ventures.infer_joint_ventures(r)
    stakes.drop_unsized_repeats(r)
    concepts.most_specific(r)
    concepts.battery_electric(r)
    for c in r.claims:
        c.label = own_words(
            label_of(c, r.labels, r.amounts),
            [r.text[e.start : e.end] for e in c.evidence],
            c,
            r.labels,
        )
    paragraphs = sorted({s.paragraph for s in body})
    assert r.publisher is not None
    return Draft(
        header=r.header,
        date=r.date,
        publisher=r.publisher,
        entities=r.entities,
        claims=r.claims,
        labels=r.labels,
        types=r.types,
        dates=r.dates,
        amounts=r.amounts,
        silent=[p for p in paragraphs if p not in drafted],
        body_paragraphs=paragraphs,
    )


def draft_text(text: str, names: Iterable[Name], broader: Iterable[tuple[str, str]] = ()) -> Draft:
    """Draft proposals for a document's text with the given known names (and the taxonomy's
    (narrower, broader) technology pairs)."""
    return run(reading(text, list(names), broader))
