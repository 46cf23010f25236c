"""Writing a draft as a fact sheet: YAML the analyst edits, then checks with ``add``.

Each proposal is written with a comment above it: the cue that produced it, the status signal,
its evidence offsets, and the dates and amounts of its sentence. Comments are the one place for
them: the sheet's schema accepts no extra fields, and ``add`` ignores comments.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from automaker_kg.draft.model import Draft, Proposal
from automaker_kg.sources.factsheet import CLAIM_KINDS, COMMON_FIELDS

__all__ = ["arrangement_choices", "render", "document_file"]

_KIND_ABBR = {
    "EquityStake": "stake",
    "JointVentureParticipation": "jv",
    "TechnologyArrangement": "tech",
    "JointProject": "project",
}


def arrangement_choices() -> tuple[str, ...]:
    """The arrangement words the sheet format accepts today."""
    return CLAIM_KINDS["TechnologyArrangement"][1]["arrangement"].choices


# What a wanted arrangement becomes when the format does not (yet) have its word.
_FALLBACK = {"supplies": "contributes", "licenses": "shares", "protects": "withholds"}


def _in_format(claim: Proposal, choices: tuple[str, ...]) -> tuple[str, dict[str, Any], list[str]]:
    """The claim as the sheet format of this checkout can say it: a licence as a
    ``TechnologyLicence`` where that kind exists, else the arrangement ``licenses``, else the
    licensee acquiring the technology; an arrangement word the format lacks, its nearest."""
    fields = dict(claim.fields)
    kind = claim.kind
    notes: list[str] = []
    if (
        kind == "TechnologyArrangement"
        and fields["arrangement"] == "licenses"
        and "recipient" not in fields
    ):
        notes.append("a licence to companies the text does not name: add the licensee")
        if "licenses" not in choices:
            fields["arrangement"] = _FALLBACK["licenses"]
            notes.append(
                f"the format has no word 'licenses' yet: written as {fields['arrangement']}"
            )
        return kind, fields, notes
    if kind == "TechnologyArrangement" and fields["arrangement"] == "licenses":
        if "TechnologyLicence" in CLAIM_KINDS:
            licence = {
                "licensor": fields["provider"],
                "licensee": fields["recipient"],
                "technology": fields["technology"],
            }
            return "TechnologyLicence", licence, notes
        if "licenses" not in choices:
            notes.append("a licence; the format has no word for it yet: the licensee acquires")
            return (
                kind,
                {
                    "provider": fields["recipient"],
                    "arrangement": "acquires",
                    "technology": fields["technology"],
                },
                notes,
            )
    if kind == "TechnologyArrangement" and fields["arrangement"] not in choices:
        wanted = fields["arrangement"]
        fields["arrangement"] = _FALLBACK.get(wanted, "develops")
        notes.append(
            f"the text says '{wanted}', which the format does not have yet; "
            f"written as {fields['arrangement']}"
        )
    return kind, fields, notes


def _amount(value: float, currency: str) -> dict[str, Any]:
    """An amount as the format writes it: ``{value: "1.5 billion", currency: EUR}``."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= scale:
            return {"value": f"{value / scale:g} {word}", "currency": currency}
    return {"value": f"{value:g}", "currency": currency}


def _q(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}"
    text = str(value)
    if re.fullmatch(r"[a-z0-9][a-z0-9._-]*", text) and not re.fullmatch(r"[0-9.]+", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _local(ref: str) -> str:
    return ref.split(":", 1)[1]


def _ref(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_local(v) for v in value) + "]"
    return _local(value)


def document_file(path: Path, shared: Path | None) -> str:
    """``document.file``: relative to ``shared/`` when the document is there, else its path."""
    resolved = path.resolve()
    if shared is not None:
        try:
            return resolved.relative_to(shared.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _evidence_comment(claim: Proposal) -> str:
    spans = ", ".join(f"{e.ref} [{e.start}, {e.end})" for e in claim.evidence)
    return f"evidence {spans}"


def _undated_year(draft: Draft, header: dict[str, str]) -> str:
    years = [d[1][:4] for d in draft.dates]
    if years:
        return max(years)
    match = re.search(r"\d{4}", header.get("written", ""))
    return match[0] if match else "2000"


def _title(draft: Draft) -> str:
    """A title in the drafter's words: publisher, date and the companies most named.

    >>> from automaker_kg.draft.model import Entity
    >>> d = Draft({}, "2024-01-02", Entity("x", "Reuters", "MediaOrganization"), {}, [], {}, {},
    ...           [], [], [], [])
    >>> _title(d)
    'Report by Reuters, 2024-01-02'
    """
    counts: dict[str, int] = {}
    for c in draft.claims:
        for key in ("holder", "target", "provider", "member", "organization", "participant"):
            value = c.fields.get(key)
            for ref in value if isinstance(value, list) else [value] if value else []:
                counts[ref] = counts.get(ref, 0) + 1
    top = sorted(counts, key=lambda ref: -counts[ref])[:3]
    names = [draft.labels.get(ref, ref.split(":", 1)[-1]) for ref in top]
    about = f" on {', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else ""
    about = f" on {names[0]}" if len(names) == 1 else about
    return f"Report by {draft.publisher.label}, {draft.date or 'undated'}{about}"


def render(
    draft: Draft,
    *,
    file: str,
    stem: str,
    known: dict[str, tuple[str, str]],
    known_ids: Iterable[str] = (),
) -> str:
    """The draft as fact-sheet YAML (see ``docs/fact-sheets.md``), with cue comments.

    ``known`` maps a known name to its (id, type); ``known_ids`` are the graph's local names,
    which a proposed entity's id must not reuse.
    """
    taken = set(known_ids)
    header = draft.header
    out: list[str] = []
    out.append(f"# Draft fact sheet for {file}, proposed by `automaker-kg draft`.")
    out.append("# Every claim below is a proposal: check it against its evidence sentence, fix or")
    out.append("# delete it, give the silent paragraphs claims or a `skipped` reason, then run")
    out.append("# `automaker-kg add` on this file. The comment above each item names the cue that")
    out.append("# proposed it and the character offsets of its evidence.")
    out.append("folder: articles")
    out.append("document:")
    out.append(f"  id: {_q(stem)}")
    out.append(f"  file: {_q(file)}")
    # the document's own title line is a sentence of it: the draft writes a title of its own
    out.append("  # title: the drafter's own words; give the report's headline in yours")
    out.append(f"  title: {_q(_title(draft))}")
    publisher = draft.publisher.id
    new_publisher = None if draft.publisher.cue == "known" else draft.publisher
    out.append(f"  publisher: {_q(publisher)}")
    if draft.date:
        out.append(f"  date: {_q(draft.date)}")
    else:
        out.append(f"  date: {_q(_undated_year(draft, header))}")
        out.append("  date_inferred: true")
        out.append(
            '  date_note: "Undated report: the year is the latest one its text names; to check."'
        )
    out.append("  language: en")
    url = header.get("original") or header.get("url")
    if url and re.match(r"^https?://\S+$", url):
        out.append(f"  url: {_q(url)}")

    used: set[str] = set()
    for c in draft.claims:
        for value in c.fields.values():
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str) and v.startswith("new:"):
                    used.add(v[4:])
    renames: dict[str, str] = {}
    entities = [draft.entities[i] for i in draft.entities if i in used]
    for e in entities:
        if e.id in taken:
            renames[e.id] = e.id + "-new"
    out.append("entities:")
    if new_publisher is not None:
        out.append(f"  # new: {new_publisher.cue}")
        out.append(
            f"  - {{id: {_q(new_publisher.id)}, type: MediaOrganization, "
            f"label: {_q(new_publisher.label)}}}"
        )
    for e in entities:
        where = ", ".join(f"{x.ref} [{x.start}, {x.end})" for x in e.evidence)
        out.append(f"  # new: {e.cue}; first seen in {where}")
        line = f"  - {{id: {_q(renames.get(e.id, e.id))}, type: {e.type}, label: {_q(e.label)}"
        if e.aliases:
            line += ", aliases: [" + ", ".join(_q(a) for a in e.aliases) + "]"
        if e.broader:
            line += f", broader: {_q(e.broader)}"
        out.append(line + "}")
    if new_publisher is None and not entities:
        out[-1] = "entities: []"
    unused = [e for i, e in draft.entities.items() if i not in used]
    if unused:
        out.append(
            "  # other names the graph lacks (no claim uses them; add the ones that matter):"
        )
        out.append("  #   " + "; ".join(f"{e.label} ({e.type})" for e in unused))

    choices = arrangement_choices()
    counters: dict[str, int] = {}
    out.append("claims:")
    if not draft.claims:
        out[-1] = "claims: []"
    for c in draft.claims:
        abbr = _KIND_ABBR.get(c.kind, "claim")
        counters[abbr] = counters.get(abbr, 0) + 1
        ident = f"{stem}-draft-{abbr}-{counters[abbr]}"
        out.append("")
        out.append(f"  # cue: {c.cue}")
        out.append(f"  # signal: {c.signal}; {_evidence_comment(c)}")
        dates = [f"{d} ({p})" for e, d, p in draft.dates if e in c.evidence]
        if dates:
            out.append(f"  # dates in its sentences: {', '.join(dates)}")
        money = [
            f"{_amount(a, cur)['value']} {cur}".strip()
            for e, a, cur in draft.amounts
            if e in c.evidence
        ]
        if money:
            out.append(f"  # amounts in its sentences: {', '.join(money)}")
        for note in c.notes:
            out.append(f"  # note: {note}")
        kind, fields, notes = _in_format(c, choices)
        if kind == "EquityStake" and "amount" in COMMON_FIELDS:
            paid = [(a, cur) for e, a, cur in draft.amounts if e in c.evidence and cur]
            if len(paid) == 1 and re.fullmatch(r"[A-Z]{3}", paid[0][1]):
                fields["amount"] = _amount(*paid[0])
        for note in notes:
            out.append(f"  # note: {note}")
        out.append(f"  - id: {ident}")
        out.append(f"    kind: {kind}")
        out.append(f"    status: {c.status}")
        out.append(f"    label: {_q(c.label)}")
        for name, value in fields.items():
            if isinstance(value, str) and ":" in value:
                local = _local(value)
                out.append(f"    {name}: {_q(renames.get(local, local))}")
            elif isinstance(value, dict):
                inner = ", ".join(f"{k}: {_q(v)}" for k, v in value.items())
                out.append(f"    {name}: {{{inner}}}")
            elif isinstance(value, list):
                locals_ = [renames.get(_local(v), _local(v)) for v in value]
                out.append(f"    {name}: [" + ", ".join(_q(v) for v in locals_) + "]")
            else:
                out.append(f"    {name}: {_q(value)}")
        if c.kind == "EquityStake" and c.signal == "completed":
            when = [d for e, d, p in draft.dates if e in c.evidence and p != "year"]
            if when:
                out.append(f"    valid_from: {_q(when[0])}")
        refs = ", ".join(f'"{e.ref}"' for e in c.evidence)
        out.append(f"    evidence: [{refs}]")
    if draft.silent:
        out.append("")
        out.append(
            "# Paragraphs nothing was drafted from (give them claims or a `skipped` reason): "
            + ", ".join(str(p) for p in draft.silent)
        )
    return "\n".join(out) + "\n"


def default_output(document: str | os.PathLike[str]) -> Path:
    """``<document stem>.yaml`` in the current folder."""
    return Path(Path(document).stem + ".yaml")
