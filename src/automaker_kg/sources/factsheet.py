"""Fact sheets: one source's facts in YAML, turned into the project's Turtle.

A fact sheet names its document (a text file under ``shared/``), the entities, unnamed source
groups and events it introduces, and its claims, each with a status, a label in the project's
own words and evidence given as ``"paragraph.sentence"`` references. :func:`compile_sheet`
turns a sheet into an rdflib ``Graph`` (evidence becomes ``oa:TextPositionSelector`` offsets
into the document, whose SHA-256 is recorded); :func:`add` checks the sheet (a JSON schema,
the references, the evidence, then SHACL together with the ontology and the rest of
``graph/``) and writes ``graph/<folder>/<sheet name>.ttl`` atomically. The format is
documented in ``docs/fact-sheets.md``.

Every problem is a :class:`SheetError` naming ``sheet:line``, the field and what is wrong.

>>> sheet = parse_sheet('''
... document: {file: x.txt, title: T, publisher: reuters, date: 2023-02}
... claims:
...   - {id: c1, kind: EquityStake, status: official, label: A holds 15% of B,
...      holder: renault, target: nissan, interest: shareholding, share: 15,
...      evidence: ["2.1"]}
... ''', "demo.yaml")
>>> graph = compile_sheet(sheet, "Header\\n\\nRenault has 15. Yes.\\n", "sha256:" + "0" * 64)
>>> str(graph.value(CLAIM.c1, AKG.shareExact))
'15.0'
>>> sheet.line_of(("claims", 0, "share"))
5
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import Node

from automaker_kg.errors import InputError
from automaker_kg.files import write_atomic
from automaker_kg.namespaces import (
    AKG,
    CLAIM,
    DOC,
    EVENT,
    KG,
    MKT,
    OA,
    SCHEMA,
    SRC,
    TECH,
    WD,
    bind_prefixes,
)
from automaker_kg.sources.documents import read_text, sentence_span, sentences, sha256_of

__all__ = [
    "Sheet",
    "SheetProblem",
    "SheetError",
    "SheetConformanceError",
    "AddReport",
    "STATUSES",
    "CLAIM_KINDS",
    "COMMON_FIELDS",
    "IMPLIED",
    "schema",
    "parse_sheet",
    "load_sheet",
    "header_paragraphs",
    "original_address",
    "copied_runs",
    "compile_sheet",
    "to_turtle",
    "output_path",
    "document_path",
    "add",
]


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class SheetProblem:
    """One problem: the sheet, the line, the field (a dotted path) and what is wrong."""

    sheet: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}:{self.line}" if self.line else self.sheet
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class SheetError(InputError):
    """A fact sheet that cannot be used; ``problems`` lists each with sheet, line and field."""

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        if len(lines) == 1:
            super().__init__(lines[0])
        else:
            super().__init__(f"{len(lines)} problems:\n" + "\n".join(f"  - {x}" for x in lines))


class SheetConformanceError(SheetError):
    """The sheet's Turtle does not conform to the shapes (with the ontology and graph/)."""

    exit_code = 1


# --------------------------------------------------------------------------- the vocabulary

STATUSES: dict[str, URIRef] = {
    "official": AKG.OfficialStatement,
    "reported": AKG.ReportedByUnnamedSources,
    "plan": AKG.PlanOrExpectation,
    "floated": AKG.FloatedTargetStatus,
    "historical": AKG.HistoricalFact,
    "allegation": AKG.AttributedAllegation,
}
"""Sheet status words and the akg:ClaimStatusScheme concepts they stand for."""

ENTITY_TYPES = (
    "Automaker EnergyCompany TechCompany MediaOrganization JointVenture Company Division "
    "Alliance GoverningBody Person Technology Market VehicleModel"
).split()

EVENT_KINDS = "agreement meeting announcement detention flight founding restructuring".split()

_INTERESTS = ["shareholding", "voting_rights"]
_CONTROL_INTERESTS = (
    "appointment_of_board other_influence_or_control senior_managing_official settlor trustee "
    "protector beneficiary_of_legal_arrangement rights_to_surplus_assets_on_dissolution "
    "rights_to_profit_or_income rights_granted_by_contract conditional_rights_granted_by_contract "
    "control_via_company_rules_or_articles control_by_legal_framework board_member board_chair "
    "unknown_interest unpublished_interest enjoyment_and_use_of_assets "
    "right_to_profit_or_income_from_assets nominee nominator"
).split()

# Value kinds of a field: a reference (with its default namespace), a concept from a closed
# list, a percentage, a date (with the precision property it sets), text, a whole number, a flag.
_REF_DEFAULT = {
    "agent": KG,
    "entity": KG,
    "any": KG,
    "market": MKT,
    "technology": TECH,
    "event": EVENT,
    "claim": CLAIM,
}
_PREFIXES: dict[str, Namespace] = {
    "kg": KG,
    "src": SRC,
    "event": EVENT,
    "claim": CLAIM,
    "tech": TECH,
    "mkt": MKT,
    "doc": DOC,
}


_AMOUNT_NUMBER = r"^[0-9]+(\.[0-9]+)?( (thousand|million|billion|trillion))?$"
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


def _amount_json() -> dict[str, Any]:
    number = {
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": _AMOUNT_NUMBER},
        ]
    }
    one = {
        "type": "object",
        "required": ["currency"],
        "minProperties": 2,
        "additionalProperties": False,
        "properties": {
            "value": number,
            "min": number,
            "max": number,
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
    }
    return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}


@dataclass(frozen=True)
class _Field:
    predicate: URIRef
    kind: str  # ref:<default> | concept | percent | date | text | integer | boolean | amount
    choices: tuple[str, ...] = ()
    precision: URIRef | None = None  # for dates
    concepts: tuple[tuple[str, URIRef], ...] = ()  # concept words not named by _camel(word)

    def concept(self, word: str) -> URIRef:
        """The concept IRI a sheet word of a ``concept`` field stands for."""
        return dict(self.concepts).get(word) or AKG[_camel(word)]

    def json(self) -> dict[str, Any]:
        if self.kind.startswith("ref:"):
            one = {"type": "string", "pattern": r"^([a-z]+:)?[A-Za-z0-9][A-Za-z0-9._-]*$"}
            return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}
        if self.kind == "concept":
            return {"enum": list(self.choices)}
        if self.kind == "percent":
            return {"type": "number", "minimum": 0, "maximum": 100}
        if self.kind == "date":
            return {"type": ["string", "integer"]}
        if self.kind == "text":
            return {"type": "string", "minLength": 1}
        if self.kind == "integer":
            return {"type": "integer", "minimum": 0}
        if self.kind == "boolean":
            return {"type": "boolean"}
        if self.kind == "amount":
            return _amount_json()
        raise AssertionError(self.kind)  # pragma: no cover


COMMON_FIELDS: dict[str, _Field] = {
    "comment": _Field(RDFS.comment, "text"),
    "attributed_to": _Field(AKG.attributedTo, "ref:agent"),
    "reported_via": _Field(AKG.reportedVia, "ref:entity"),
    "valid_from": _Field(AKG.validFrom, "date", precision=AKG.validFromPrecision),
    "valid_to": _Field(AKG.validTo, "date", precision=AKG.validToPrecision),
    "date_note": _Field(AKG.dateNote, "text"),
    "supersedes": _Field(AKG.supersedes, "ref:claim"),
    "condition": _Field(AKG.conditional, "text"),
    "excluded_partner": _Field(AKG.excludedPartner, "ref:agent"),
    "actor": _Field(AKG.actor, "ref:agent"),
    "participant": _Field(AKG.participant, "ref:agent"),
    "market": _Field(AKG.market, "ref:market"),
    "technology": _Field(AKG.technology, "ref:technology"),
    "via": _Field(AKG.via, "ref:agent"),
    "subject": _Field(AKG.subject, "ref:any"),
    "counterpart": _Field(AKG.counterpart, "ref:agent"),
    "exclusive": _Field(AKG.exclusive, "boolean"),
    "place": _Field(AKG.place, "ref:market"),
    "age_in_years": _Field(AKG.ageInYears, "integer"),
    "amount": _Field(AKG.amount, "amount"),
    "valuation": _Field(AKG.valuation, "amount"),
    "vehicle": _Field(AKG.vehicle, "ref:entity"),
}

_STAKE = {
    "holder": _Field(AKG.holder, "ref:agent"),
    "target": _Field(AKG.target, "ref:entity"),
    "share": _Field(AKG.shareExact, "percent"),
    "share_min": _Field(AKG.shareMinimum, "percent"),
    "share_max": _Field(AKG.shareMaximum, "percent"),
}
_INSTRUMENT = _Field(
    AKG.instrument,
    "concept",
    ("new_shares", "existing_shares", "preferred_shares", "convertible_note", "loan"),
)
_MEMBER = {
    "member": _Field(ORG.member, "ref:agent"),
    "organization": _Field(ORG.organization, "ref:entity"),
}

# kind -> (class, its own fields, required fields)
CLAIM_KINDS: dict[str, tuple[URIRef, dict[str, _Field], tuple[str, ...]]] = {
    "EquityStake": (
        AKG.EquityStake,
        {
            **_STAKE,
            "interest": _Field(AKG.interestType, "concept", tuple(_INTERESTS)),
            "share_unknown": _Field(AKG.shareUnknown, "boolean"),
            "instrument": _INSTRUMENT,
        },
        ("holder", "target", "interest"),
    ),
    "ControlInterest": (
        AKG.ControlInterest,
        {**_STAKE, "interest": _Field(AKG.interestType, "concept", tuple(_CONTROL_INTERESTS))},
        ("holder", "target", "interest"),
    ),
    "AllianceMembership": (AKG.AllianceMembership, _MEMBER, ("member", "organization")),
    "JointVentureParticipation": (
        AKG.JointVentureParticipation,
        _MEMBER,
        ("member", "organization"),
    ),
    "DivisionRelation": (
        AKG.DivisionRelation,
        {
            "unit": _Field(AKG.unit, "ref:entity"),
            "parent_company": _Field(AKG.parentCompany, "ref:entity"),
        },
        ("unit", "parent_company"),
    ),
    "TechnologyArrangement": (
        AKG.TechnologyArrangement,
        {
            "provider": _Field(AKG.provider, "ref:agent"),
            "recipient": _Field(AKG.recipient, "ref:agent"),
            "arrangement": _Field(
                AKG.arrangementKind,
                "concept",
                (
                    "develops",
                    "contributes",
                    "shares",
                    "acquires",
                    "withholds",
                    "protects",
                    "supplies",
                ),
            ),
        },
        ("provider", "technology", "arrangement"),
    ),
    "Contribution": (
        AKG.Contribution,
        {
            "contributor": _Field(AKG.contributor, "ref:agent"),
            "beneficiary": _Field(AKG.beneficiary, "ref:agent"),
            "contribution": _Field(
                AKG.contributionKind,
                "concept",
                ("capital", "technological_support", "operational_engagement"),
            ),
            "degree": _Field(AKG.degree, "concept", ("minimal",)),
            "instrument": _INSTRUMENT,
        },
        ("contributor", "beneficiary", "contribution"),
    ),
    "PartnershipSearch": (
        AKG.PartnershipSearch,
        {
            "seeker": _Field(AKG.seeker, "ref:agent"),
            "sought_partner": _Field(AKG.soughtPartnerKind, "concept", ("non_automotive_partner",)),
        },
        ("seeker",),
    ),
    "MarketStrategy": (AKG.MarketStrategy, {}, ("actor",)),
    "JointProject": (AKG.JointProject, {}, ("participant",)),
    "PlannedEvent": (
        AKG.PlannedEvent,
        {
            "event": _Field(AKG.event, "ref:event"),
            "expected_by": _Field(AKG.expectedBy, "date", precision=AKG.datePrecision),
        },
        ("event",),
    ),
    "FloatedTarget": (
        AKG.FloatedTarget,
        {
            "proposed_by": _Field(AKG.proposedBy, "ref:agent"),
            "target_share": _Field(AKG.targetShare, "percent"),
            "deemed_feasible": _Field(AKG.deemedFeasible, "boolean"),
        },
        ("proposed_by",),
    ),
    "Assessment": (
        AKG.Assessment,
        {
            "assessment": _Field(
                AKG.assessmentKind,
                "concept",
                ("benefit", "weakness", "grievance", "judgement", "allegation"),
            ),
            "assessed_by": _Field(AKG.assessedBy, "ref:agent"),
        },
        ("assessment",),
    ),
    "RoleClaim": (
        AKG.RoleClaim,
        {
            "person": _Field(ORG.member, "ref:agent"),
            "organization": _Field(ORG.organization, "ref:entity"),
            "role": _Field(AKG.roleDescription, "text"),
        },
        ("person", "organization", "role"),
    ),
    "EventClaim": (
        AKG.EventClaim,
        {
            "event": _Field(AKG.event, "ref:event"),
            "date": _Field(AKG.date, "date", precision=AKG.datePrecision),
        },
        ("event",),
    ),
    "RankingClaim": (
        AKG.RankingClaim,
        {"rank": _Field(AKG.rank, "integer"), "measure": _Field(AKG.measure, "text")},
        ("subject", "rank", "measure"),
    ),
    "HoldingCommitment": (
        AKG.HoldingCommitment,
        {
            **_STAKE,
            "commitment": _Field(
                AKG.commitmentKind, "concept", ("lock_up", "minimum_holding", "standstill")
            ),
        },
        ("holder", "target", "commitment"),
    ),
    "TrustHolding": (
        AKG.TrustHolding,
        {
            **_STAKE,
            "trustee": _Field(AKG.trustee, "ref:agent"),
            "economic_interest_retained": _Field(AKG.economicInterestRetained, "boolean"),
            "voting": _Field(
                AKG.votingArrangement,
                "concept",
                ("neutralised", "trustee", "holder_instructs"),
                concepts=(
                    ("neutralised", AKG.NeutralisedVoting),
                    ("trustee", AKG.TrusteeVoting),
                    ("holder_instructs", AKG.InstructedVoting),
                ),
            ),
        },
        ("holder", "trustee", "target"),
    ),
    "VehicleSupply": (
        AKG.VehicleSupply,
        {
            "supplier": _Field(AKG.supplier, "ref:agent"),
            "recipient": _Field(AKG.recipient, "ref:agent"),
            "rebadged_as": _Field(AKG.rebadgedAs, "ref:entity"),
            "supply": _Field(
                AKG.supplyKind,
                "concept",
                ("badge_engineering", "contract_manufacturing", "vehicle_supply"),
                concepts=(("vehicle_supply", AKG.FinishedVehicleSupply),),
            ),
        },
        ("supplier", "recipient", "supply"),
    ),
    "TechnologyLicence": (
        AKG.TechnologyLicence,
        {
            "licensor": _Field(AKG.provider, "ref:agent"),
            "licensee": _Field(AKG.recipient, "ref:agent"),
            "royalties": _Field(AKG.royalties, "boolean"),
        },
        ("licensor", "licensee", "technology"),
    ),
    "BoardSeat": (
        AKG.BoardSeat,
        {
            "organization": _Field(ORG.organization, "ref:entity"),
            "appointed_by": _Field(AKG.appointedBy, "ref:agent"),
            "person": _Field(ORG.member, "ref:agent"),
            "seat": _Field(
                AKG.seatKind,
                "concept",
                ("director", "observer", "chair"),
                concepts=(
                    ("director", AKG.DirectorSeat),
                    ("observer", AKG.ObserverSeat),
                    ("chair", AKG.ChairSeat),
                ),
            ),
            "count": _Field(AKG.seatCount, "integer"),
        },
        ("organization", "seat"),
    ),
}
"""Claim kinds a sheet may use: the class, the kind's own fields, the required fields."""

IMPLIED: dict[str, tuple[tuple[URIRef, URIRef], ...]] = {
    "TechnologyLicence": (
        (RDF.type, AKG.TechnologyArrangement),
        (AKG.arrangementKind, AKG.Licenses),
    ),
}
"""Triples every claim of a kind gets: a licence is a technology arrangement of kind licenses."""

_TEXT_FIELDS = ("label", "comment", "date_note", "condition", "role", "measure")

# --------------------------------------------------------------------------- JSON schema

_EVIDENCE_REF = {"type": ["string", "number"]}
_DATE = {"type": ["string", "integer"]}
_ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$"}
_REFS = _Field(RDFS.seeAlso, "ref:any").json()


def schema() -> dict[str, Any]:
    """The JSON schema (draft 2020-12) a fact sheet's YAML must satisfy.

    >>> sorted(schema()["properties"])
    ['claims', 'document', 'entities', 'events', 'folder', 'skipped', 'sources']
    """
    claim_variants = []
    for kind, (_, own, required) in CLAIM_KINDS.items():
        fields = {**COMMON_FIELDS, **own}
        properties: dict[str, Any] = {
            "id": _ID,
            "kind": {"const": kind},
            "status": {"enum": list(STATUSES)},
            "label": {"type": "string", "minLength": 3},
            "evidence": {
                "anyOf": [_EVIDENCE_REF, {"type": "array", "items": _EVIDENCE_REF, "minItems": 1}]
            },
        }
        properties.update({name: f.json() for name, f in fields.items()})
        claim_variants.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {
                    "properties": properties,
                    "required": ["id", "kind", "status", "label", "evidence", *required],
                    "additionalProperties": False,
                },
            }
        )
    claim = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(CLAIM_KINDS)}},
        "allOf": claim_variants,
    }
    entity = {
        "type": "object",
        "required": ["id", "type", "label"],
        "additionalProperties": False,
        "properties": {
            "id": _ID,
            "type": {"enum": ENTITY_TYPES},
            "label": {"type": "string", "minLength": 1},
            "name": {"type": "string", "minLength": 1},
            "aliases": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "wikidata": {"type": "string", "pattern": r"^Q[1-9][0-9]*$"},
            "country": _REFS,
            "focus": _REFS,
            "unit_of": _REFS,
            "broader": _REFS,
            "comment": {"type": "string", "minLength": 1},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "automaker-kg fact sheet",
        "type": "object",
        "required": ["document", "claims"],
        "additionalProperties": False,
        "properties": {
            "folder": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_-]*$"},
            "document": {
                "type": "object",
                "required": ["file", "title", "publisher", "date"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "file": {"type": "string", "minLength": 1},
                    "title": {"type": "string", "minLength": 1},
                    "publisher": {"type": "string"},
                    "date": _DATE,
                    "date_inferred": {"type": "boolean"},
                    "date_note": {"type": "string", "minLength": 1},
                    "language": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"},
                    "url": {"type": "string", "pattern": r"^https?://[^\s<>\"{}|\\^`]+$"},
                    "source": {"type": "string", "pattern": r"^https?://[^\s<>\"{}|\\^`]+$"},
                    "reported_via": {"type": "string"},
                },
            },
            "entities": {"type": "array", "items": entity},
            "sources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "label"],
                    "additionalProperties": False,
                    "properties": {
                        "id": _ID,
                        "label": {"type": "string", "minLength": 1},
                        "count": {"type": "integer", "minimum": 1},
                    },
                },
            },
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "label"],
                    "additionalProperties": False,
                    "properties": {
                        "id": _ID,
                        "label": {"type": "string", "minLength": 1},
                        "kind": {"enum": EVENT_KINDS},
                    },
                },
            },
            "skipped": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["paragraph", "reason"],
                    "additionalProperties": False,
                    "properties": {
                        "paragraph": {"type": "integer", "minimum": 1},
                        "reason": {"type": "string", "minLength": 3},
                    },
                },
            },
            "claims": {"type": "array", "items": claim},
        },
    }


# --------------------------------------------------------------------------- YAML with lines


#: Largest sheet read, in bytes (the curated ones are under 10 kB).
MAX_SHEET_BYTES = 1 << 20
#: Deepest nesting of mappings and lists (a sheet needs 4).
MAX_SHEET_DEPTH = 32
#: Largest document text a sheet may cite, in bytes.
MAX_DOCUMENT_BYTES = 16 << 20


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text, their form gives the precision.

    Aliases (``*name``) are refused, so a few bytes cannot expand into gigabytes, and so is
    nesting deeper than :data:`MAX_SHEET_DEPTH`, so the composer cannot exhaust the stack.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a fact sheet", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_SHEET_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested deeper than {MAX_SHEET_DEPTH} levels",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path_ = tuple[str | int, ...]


@dataclass
class Sheet:
    """A parsed fact sheet: its data, and the line of every key and value."""

    name: str
    data: dict[str, Any]
    lines: dict[Path_, int] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)

    def line_of(self, path: Iterable[str | int]) -> int | None:
        """The line of ``path`` or of its nearest ancestor the sheet has."""
        parts = tuple(path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get((), None)

    def problem(self, path: Iterable[str | int], message: str) -> SheetProblem:
        parts = tuple(path)
        return SheetProblem(self.name, self.line_of(parts), _dotted(parts), message)

    @property
    def stem(self) -> str:
        return Path(self.name).stem


def _dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _construct(loader: _Loader, node: yaml.Node, path: Path_, sheet: Sheet, errors: list) -> Any:
    sheet.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                errors.append(
                    SheetProblem(
                        sheet.name,
                        key_node.start_mark.line + 1,
                        _dotted((*path, key)),
                        "duplicate key",
                    )
                )
            sheet.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _construct(loader, value_node, (*path, key), sheet, errors)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*path, i), sheet, errors) for i, item in enumerate(node.value)
        ]
    sheet.raw[path] = node.value
    return loader.construct_object(node)


def parse_sheet(text: str, name: str = "<sheet>") -> Sheet:
    """Parse a sheet's YAML text; check it against :func:`schema`.

    Raises
    ------
    SheetError
        the YAML does not parse, or does not fit the schema (each problem with its line).
    """
    sheet = Sheet(name, {})
    if len(text) > MAX_SHEET_BYTES:
        message = f"the sheet is larger than {MAX_SHEET_BYTES // 1024} kB"
        raise SheetError([SheetProblem(name, None, "", message)])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise SheetError([SheetProblem(name, line, "", f"bad YAML: {problem}")]) from None
    finally:
        loader.dispose()
    errors: list[SheetProblem] = []
    data = _construct(loader, node, (), sheet, errors) if node is not None else None
    if not isinstance(data, dict):
        raise SheetError([SheetProblem(name, 1, "", "a fact sheet is a mapping (key: value)")])
    sheet.data = data
    errors += _schema_problems(sheet)
    if errors:
        raise SheetError(errors)
    return sheet


def load_sheet(path: str | os.PathLike[str]) -> Sheet:
    """Read and parse a sheet file (see :func:`parse_sheet`)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SHEET_BYTES:
            message = f"the sheet is larger than {MAX_SHEET_BYTES // 1024} kB"
            raise SheetError([SheetProblem(str(path), None, "", message)])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SheetError([SheetProblem(str(path), None, "", f"cannot read: {exc}")]) from None
    return parse_sheet(text, str(path))


def _schema_problems(sheet: Sheet) -> list[SheetProblem]:
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in validator.iter_errors(sheet.data):
        for leaf in _leaves(error):
            path = tuple(leaf.absolute_path)
            message = leaf.message
            if leaf.validator == "additionalProperties":
                # an object and the schema object that refused one of its keys
                assert isinstance(leaf.instance, Mapping) and isinstance(leaf.schema, Mapping)
                extra = sorted(set(leaf.instance) - set(leaf.schema.get("properties", {})))
                for key in extra:
                    problems.append(sheet.problem((*path, key), "unknown field"))
                continue
            if leaf.validator == "required":
                missing = re.findall(r"'([^']+)' is a required property", message)
                message = f"missing required field {missing[0]!r}" if missing else message
            elif leaf.validator == "enum":
                assert isinstance(leaf.validator_value, Iterable)  # the schema's list of values
                choices = ", ".join(map(str, leaf.validator_value))
                message = f"{leaf.instance!r} is not one of: {choices}"
            problems.append(sheet.problem(path, message))
    unique = {(p.line, p.field, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.field, p.message))


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        # report the alternative that got furthest, not the whole list of alternatives
        best = max(error.context, key=lambda e: len(e.absolute_path))
        if len(best.absolute_path) > len(error.absolute_path):
            return _leaves(best)
        # the one alternative of the right type (a mapping, not a list) says what is wrong
        typed = [e for e in error.context if e.validator != "type"]
        if typed and len({e.relative_schema_path[0] for e in typed}) == 1:
            return [leaf for e in typed for leaf in _leaves(e)]
        return [error]
    if error.context:
        return [leaf for sub in error.context for leaf in _leaves(sub)]
    return [error]


# --------------------------------------------------------------------------- documents


_HEADER_LINE = re.compile(r"^[A-Z][A-Za-z ]{0,30}:\s")


def header_paragraphs(text: str) -> int:
    """How many leading paragraphs form a ``Key: value`` header closed by a blank line.

    Header paragraphs (Title, Publisher, Date, URL of the stored articles) are not evidence.

    >>> header_paragraphs("Title: T\\nDate: 2023\\n\\nBody.\\n")
    2
    >>> header_paragraphs("Daily News\\n\\nBody.\\n")
    0
    """
    count = 0
    for line in text.splitlines():
        if not line.strip():
            return count
        if not _HEADER_LINE.match(line):
            return 0
        count += 1
    return 0


_ORIGINAL = re.compile(r"^Original:\s*(https?://\S+)\s*$")


def original_address(text: str) -> str | None:
    """The report's address an ``Original:`` header line gives (a brief's), else ``None``.

    >>> original_address("Brief: T\\nOriginal: https://example.com/a\\n\\nBody.\\n")
    'https://example.com/a'
    >>> original_address("Title: T\\n\\nBody.\\n") is None
    True
    """
    lines = text.splitlines()[: header_paragraphs(text)]
    found = [m[1] for m in map(_ORIGINAL.match, lines) if m]
    return found[0] if found else None


_WORD = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:['\u2019][0-9A-Za-z]+)*")


def _words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


@functools.lru_cache(maxsize=64)
def _runs(document: str, n: int) -> frozenset[tuple[str, ...]]:
    """The document's runs of ``n`` words, kept for the next text checked against it."""
    words = _words(document)
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def copied_runs(text: str, document: str, n: int = 8) -> list[str]:
    """Runs of ``n`` words that ``text`` shares with ``document`` (case and punctuation aside).

    >>> copied_runs("one two three", "a one two three b", n=3)
    ['one two three']
    """
    grams = _runs(document, n)
    mine = _words(text)
    return [
        " ".join(mine[i : i + n])
        for i in range(len(mine) - n + 1)
        if tuple(mine[i : i + n]) in grams
    ]


# --------------------------------------------------------------------------- compiling

_DATE_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _date(raw: str) -> tuple[dt.date, URIRef]:
    match = _DATE_FORM.match(raw.strip())
    if not match:
        raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    value = dt.date(int(year), int(month or 1), int(day or 1))
    unit = TIME.unitDay if day else TIME.unitMonth if month else TIME.unitYear
    return value, unit


def _decimal(raw: str) -> Literal:
    value = Decimal(raw.strip())
    if not value.is_finite():
        raise InvalidOperation(raw)
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _money(raw: str) -> Decimal:
    """``"600 million"`` -> ``Decimal(600000000)``; plain numbers as they are.

    >>> _money("1.5 billion"), _money("7400000000")
    (Decimal('1500000000.0'), Decimal('7400000000'))
    """
    text = raw.strip()
    number, _, scale = text.partition(" ")
    value = Decimal(number)
    if scale:
        if scale not in _SCALE:
            raise ValueError(f"unknown scale {scale!r}")
        value *= _SCALE[scale]
    if not value.is_finite() or value < 0:
        raise InvalidOperation(raw)
    return value


def _camel(word: str) -> str:
    return "".join(part.capitalize() for part in word.split("_"))


@dataclass(frozen=True)
class Described:
    """What graph/ already says of a subject: the file, its types and its labels."""

    file: str
    types: frozenset[URIRef]
    labels: frozenset[str]


def described_in(files: Iterable[tuple[str, Graph]]) -> dict[URIRef, Described]:
    """Every typed subject of ``files`` (name, graph) with its file, types and labels."""
    found: dict[URIRef, tuple[str, set[URIRef], set[str]]] = {}
    for name, graph in files:
        for subject, kind in graph.subject_objects(RDF.type):
            if isinstance(subject, URIRef) and isinstance(kind, URIRef):
                entry = found.setdefault(subject, (name, set(), set()))
                entry[1].add(kind)
                entry[2].update(str(label) for label in graph.objects(subject, RDFS.label))
    return {s: Described(f, frozenset(t), frozenset(lb)) for s, (f, t, lb) in found.items()}


class _Compiler:
    def __init__(
        self,
        sheet: Sheet,
        text: str,
        sha256: str,
        known: set[URIRef] | None,
        strict: bool,
        described: dict[URIRef, Described] | None = None,
    ) -> None:
        self.sheet, self.text, self.sha256 = sheet, text, sha256
        self.known = known
        self.described = described or {}
        self.strict = strict  # forbid header paragraphs and copied runs
        self.problems: list[SheetProblem] = []
        self.graph = bind_prefixes(Graph())
        self.subjects: list[tuple[URIRef, Path_]] = []  # in sheet order, for the Turtle
        self.defined: dict[URIRef, Path_] = {}
        self.refs: list[tuple[URIRef, Path_]] = []
        self.spans = {(s.paragraph, s.number): s for s in sentences(text)}
        self.header = header_paragraphs(text)
        self.body = "\n".join(
            text[s.start : s.end] for s in sentences(text) if s.paragraph > self.header
        )

    # ----------------------------------------------------------------- helpers
    def fail(self, path: Path_, message: str) -> None:
        self.problems.append(self.sheet.problem(path, message))

    def raw(self, path: Path_) -> str:
        value = self.sheet.raw.get(path)
        return value if value is not None else str(self.get(path))

    def get(self, path: Path_) -> Any:
        node: Any = self.sheet.data
        for part in path:
            node = node[part]
        return node

    def define(self, iri: URIRef, path: Path_) -> None:
        if iri in self.defined:
            self.fail((*path, "id"), f"{self._qname(iri)} is defined twice in this sheet")
        self.defined[iri] = path
        self.subjects.append((iri, path))

    def _qname(self, iri: URIRef) -> str:
        return self.graph.namespace_manager.normalizeUri(iri)

    def same_identity(self, iri: URIRef, kind: URIRef, label: str, path: Path_) -> None:
        """An entity graph/ already has keeps its type and label: facts may be added."""
        before = self.described.get(iri)
        if before is None:
            return
        name = self._qname(iri)
        edit = f"changing it is an edit of {before.file}, not a fact sheet's"
        if kind not in before.types:
            types = ", ".join(sorted(self._qname(t) for t in before.types))
            self.fail((*path, "type"), f"{name} is already a {types} in {before.file}; {edit}")
        if before.labels and label not in before.labels:
            labels = ", ".join(repr(lb) for lb in sorted(before.labels))
            self.fail(
                (*path, "label"), f"{name} is already labelled {labels} in {before.file}; {edit}"
            )

    def fresh_id(self, iri: URIRef, path: Path_, what: str) -> None:
        """A claim, event or source id must not name something graph/ already has."""
        before = self.described.get(iri)
        if before is not None:
            self.fail(
                (*path, "id"),
                f"{what} id {self.get((*path, 'id'))!r} is already used in {before.file}; "
                "pick another id",
            )

    def add(self, s: Any, p: URIRef, o: Any) -> None:
        self.graph.add((s, p, o))

    def ref(self, value: str, default: Namespace, path: Path_) -> URIRef:
        if ":" in value:
            prefix, local = value.split(":", 1)
            if prefix not in _PREFIXES:
                self.fail(path, f"unknown prefix {prefix!r} in {value!r}")
                return default[local]
            iri = _PREFIXES[prefix][local]
        else:
            iri = default[value]
        self.refs.append((iri, path))
        return iri

    def refs_of(self, value: Any, default: Namespace, path: Path_) -> list[URIRef]:
        if isinstance(value, list):
            return [self.ref(v, default, (*path, i)) for i, v in enumerate(value)]
        return [self.ref(value, default, path)]

    def text_literal(self, path: Path_, lang: str | None = None) -> Literal:
        value = self.get(path)
        if self.strict and path[-1] in _TEXT_FIELDS + ("reason",):
            runs = copied_runs(value, self.body)
            if runs:
                self.fail(path, f"copies 8 words in a row from the document: {runs[0]!r}")
        return Literal(value, lang=lang) if lang else Literal(value)

    def put_date(self, subject: Any, f: _Field, path: Path_) -> None:
        try:
            value, unit = _date(self.raw(path))
        except ValueError as exc:
            self.fail(path, f"{self.raw(path)!r}: {exc}")
            return
        self.add(subject, f.predicate, Literal(value.isoformat(), datatype=XSD.date))
        if f.precision is not None:
            if (subject, f.precision, None) in self.graph:
                self.fail(path, "only one of date and expected_by may be given")
            self.add(subject, f.precision, unit)

    # ----------------------------------------------------------------- sections
    def document(self) -> URIRef:
        d = self.sheet.data["document"]
        p: Path_ = ("document",)
        doc = DOC[d.get("id") or Path(d["file"]).stem]
        self.define(doc, p)
        self.add(doc, RDF.type, AKG.SourceDocument)
        self.add(doc, DCTERMS.identifier, Literal(self.sha256))
        self.add(doc, DCTERMS.title, Literal(d["title"]))
        self.add(doc, DCTERMS.publisher, self.ref(d["publisher"], KG, (*p, "publisher")))
        self.put_date(doc, _Field(DCTERMS.date, "date", precision=AKG.datePrecision), (*p, "date"))
        if "date_inferred" in d:
            self.add(doc, AKG.dateInferred, Literal(bool(d["date_inferred"])))
        if "date_note" in d:
            self.add(doc, AKG.dateNote, self.text_literal((*p, "date_note")))
        self.add(doc, AKG.fileName, Literal(Path(d["file"]).name))
        if "language" in d:
            self.add(doc, DCTERMS.language, Literal(d["language"]))
        original = original_address(self.text)
        if "source" in d and original and d["source"] != original:
            self.fail((*p, "source"), f"the document's header gives the address {original}")
        source = d.get("source") or original
        if source:
            self.add(doc, DCTERMS.source, URIRef(source))
        if "url" in d and d["url"] != original:  # a brief has no address of its own
            self.add(doc, SCHEMA.url, URIRef(d["url"]))
        return doc

    def entities(self) -> None:
        for i, e in enumerate(self.sheet.data.get("entities", [])):
            p: Path_ = ("entities", i)
            kind = e["type"]
            if kind == "Technology":
                iri, scheme = TECH[e["id"]], AKG.TechnologyScheme
            elif kind == "Market":
                iri, scheme = MKT[e["id"]], AKG.MarketScheme
            else:
                iri, scheme = KG[e["id"]], None
            self.same_identity(iri, AKG[kind], str(e["label"]), p)
            self.define(iri, p)
            self.add(iri, RDF.type, AKG[kind])
            if scheme is not None:
                self.add(iri, SKOS.inScheme, scheme)
                self.add(iri, RDFS.label, Literal(e["label"], lang="en"))
                broader = e.get("broader")
                default = TECH if kind == "Technology" else MKT
                if broader:
                    for b in self.refs_of(broader, default, (*p, "broader")):
                        self.add(iri, SKOS.broader, b)
                else:
                    self.add(iri, SKOS.topConceptOf, scheme)
            else:
                self.add(iri, RDFS.label, Literal(e["label"]))
            self.add(iri, SKOS.prefLabel, Literal(e.get("name", e["label"]), lang="en"))
            for alias in e.get("aliases", []):
                self.add(iri, SKOS.altLabel, Literal(alias, lang="en"))
            if "wikidata" in e:
                self.add(iri, SKOS.exactMatch, WD[e["wikidata"]])
            for key, predicate, default in (
                ("country", AKG.country, MKT),
                ("focus", AKG.focus, TECH),
                ("unit_of", ORG.unitOf, KG),
            ):
                if key in e:
                    for target in self.refs_of(e[key], default, (*p, key)):
                        self.add(iri, predicate, target)
            if "comment" in e:
                self.add(iri, RDFS.comment, self.text_literal((*p, "comment"), lang="en"))

    def sources(self) -> None:
        for i, s in enumerate(self.sheet.data.get("sources", [])):
            p: Path_ = ("sources", i)
            iri = SRC[s["id"]]
            self.fresh_id(iri, p, "source")
            self.define(iri, p)
            self.add(iri, RDF.type, AKG.UnnamedSourceGroup)
            self.add(iri, RDFS.label, Literal(s["label"]))
            if "count" in s:
                self.add(iri, AKG.sourceCount, Literal(int(s["count"])))

    def events(self) -> None:
        for i, e in enumerate(self.sheet.data.get("events", [])):
            p: Path_ = ("events", i)
            iri = EVENT[e["id"]]
            self.fresh_id(iri, p, "event")
            self.define(iri, p)
            self.add(iri, RDF.type, AKG.Event)
            self.add(iri, RDFS.label, Literal(e["label"]))
            if "kind" in e:
                self.add(iri, AKG.eventKind, AKG[_camel(e["kind"])])

    def evidence(self, claim: URIRef, doc: URIRef, value: Any, path: Path_) -> None:
        items = value if isinstance(value, list) else [value]
        seen: set[tuple[int, int]] = set()
        for i, _ in enumerate(items):
            where = (*path, i) if isinstance(value, list) else path
            raw = self.raw(where).strip()
            match = re.fullmatch(r"(\d+)\.(\d+)", raw)
            if not match:
                self.fail(where, f"{raw!r} is not a paragraph.sentence reference such as '5.1'")
                continue
            para, number = int(match[1]), int(match[2])
            if (para, number) in seen:
                self.fail(where, f"{raw} is given twice")
                continue
            seen.add((para, number))
            if self.strict and para <= self.header:
                self.fail(where, f"paragraph {para} is the document's header, not its text")
                continue
            span = self.spans.get((para, number))
            if span is None:
                try:
                    sentence_span(self.text, para, number)
                except InputError as exc:
                    self.fail(where, f"{raw}: {exc}")
                continue
            resource, selector = BNode(), BNode()
            self.add(claim, PROV.wasDerivedFrom, resource)
            self.add(resource, RDF.type, OA.SpecificResource)
            self.add(resource, OA.hasSource, doc)
            self.add(resource, OA.hasSelector, selector)
            self.add(selector, RDF.type, OA.TextPositionSelector)
            self.add(selector, AKG.paragraph, Literal(para))
            self.add(selector, AKG.sentence, Literal(number))
            self.add(selector, OA.start, Literal(span.start))
            self.add(selector, OA.end, Literal(span.end))

    def claims(self, doc: URIRef) -> None:
        via = self.sheet.data["document"].get("reported_via")
        for i, c in enumerate(self.sheet.data.get("claims", [])):
            p: Path_ = ("claims", i)
            cls, own, _ = CLAIM_KINDS[c["kind"]]
            fields = {**COMMON_FIELDS, **own}
            iri = CLAIM[c["id"]]
            self.fresh_id(iri, p, "claim")
            self.define(iri, p)
            self.add(iri, RDF.type, cls)
            self.add(iri, RDFS.label, self.text_literal((*p, "label")))
            self.add(iri, AKG.status, STATUSES[c["status"]])
            if via and "reported_via" not in c:
                self.add(iri, AKG.reportedVia, self.ref(via, KG, ("document", "reported_via")))
            if "share" in c and ("share_min" in c or "share_max" in c):
                self.fail((*p, "share"), "give share, or share_min/share_max, not both")
            self.kind_checks(c, p)
            for predicate, value in IMPLIED.get(c["kind"], ()):
                self.add(iri, predicate, value)
            for name, value in c.items():
                if name in ("id", "kind", "status", "label", "evidence"):
                    continue
                f = fields[name]
                where = (*p, name)
                if f.kind.startswith("ref:"):
                    default = _REF_DEFAULT[f.kind[4:]]
                    for target in self.refs_of(value, default, where):
                        self.add(iri, f.predicate, target)
                elif f.kind == "concept":
                    self.add(iri, f.predicate, f.concept(value))
                elif f.kind == "amount":
                    self.put_amounts(iri, f, value, where)
                elif f.kind == "percent":
                    try:
                        self.add(iri, f.predicate, _decimal(self.raw(where)))
                    except (InvalidOperation, ValueError):
                        self.fail(where, f"{self.raw(where)!r} is not a number")
                elif f.kind == "date":
                    self.put_date(iri, f, where)
                elif f.kind == "text":
                    self.add(iri, f.predicate, self.text_literal(where))
                elif f.kind == "integer":
                    self.add(iri, f.predicate, Literal(int(value)))
                elif f.kind == "boolean":
                    self.add(iri, f.predicate, Literal(bool(value)))
            for a, b in (("valid_from", "valid_to"), ("share_min", "share_max")):
                if a in c and b in c and str(self.raw((*p, a))) > "" and self._after(p, a, b):
                    self.fail((*p, a), f"{a} must be before {b}")
            self.evidence(iri, doc, c["evidence"], (*p, "evidence"))

    def kind_checks(self, c: dict[str, Any], p: Path_) -> None:
        """What a kind needs beyond its required fields (the shapes check these too)."""
        shares = {"share", "share_min", "share_max"} & set(c)
        if c["kind"] == "EquityStake":
            if c.get("share_unknown") is False:
                self.fail((*p, "share_unknown"), "write share_unknown only as true")
            elif "share_unknown" in c and shares:
                self.fail((*p, "share_unknown"), "a stake of unknown size has no share")
            elif not shares and "share_unknown" not in c:
                self.fail(
                    p,
                    "an equity stake needs share, or share_min and/or share_max, "
                    "or share_unknown: true",
                )
        elif c["kind"] == "HoldingCommitment":
            if c["commitment"] == "minimum_holding" and "share_min" not in c:
                self.fail(p, "a minimum_holding commitment needs share_min (the share kept)")
            if c["commitment"] == "standstill" and "share_max" not in c:
                self.fail(p, "a standstill needs share_max (the share not to go above)")
        elif c["kind"] == "BoardSeat":
            if not {"appointed_by", "person"} & set(c):
                self.fail(p, "a board seat needs appointed_by or person")
            if c.get("count") == 0:
                self.fail((*p, "count"), "count must be at least 1")

    def put_amounts(self, subject: Any, f: _Field, value: Any, path: Path_) -> None:
        """Each amount as a ``schema:MonetaryAmount`` (value or min/max, and currency)."""
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            where = (*path, i) if isinstance(value, list) else path
            node = BNode()
            self.add(subject, f.predicate, node)
            self.add(node, RDF.type, SCHEMA.MonetaryAmount)
            self.add(node, SCHEMA.currency, Literal(item["currency"]))
            numbers: dict[str, Decimal] = {}
            for key, predicate in (
                ("value", SCHEMA.value),
                ("min", SCHEMA.minValue),
                ("max", SCHEMA.maxValue),
            ):
                if key not in item:
                    continue
                try:
                    numbers[key] = _money(self.raw((*where, key)))
                except (InvalidOperation, ValueError):
                    self.fail((*where, key), f"{self.raw((*where, key))!r} is not an amount")
                    continue
                self.add(node, predicate, _decimal(format(numbers[key], "f")))
            if "value" in item and ("min" in item or "max" in item):
                self.fail((*where, "value"), "give value, or min/max, not both")
            elif not {"value", "min", "max"} & set(item):
                self.fail(where, "an amount needs value, or min and/or max")
            if "min" in numbers and "max" in numbers and numbers["min"] > numbers["max"]:
                self.fail((*where, "min"), "min must not be above max")

    def _after(self, p: Path_, a: str, b: str) -> bool:
        try:
            if a == "valid_from":
                return _date(self.raw((*p, a)))[0] >= _date(self.raw((*p, b)))[0]
            return Decimal(self.raw((*p, a))) > Decimal(self.raw((*p, b)))
        except (ValueError, InvalidOperation):
            return False

    def skipped(self) -> None:
        claimed = set()
        for c in self.sheet.data.get("claims", []):
            items = c["evidence"] if isinstance(c["evidence"], list) else [c["evidence"]]
            for item in items:
                match = re.fullmatch(r"(\d+)\.\d+", str(item).strip())
                if match:
                    claimed.add(int(match[1]))
        paragraphs = {s.paragraph for s in self.spans.values()}
        for i, s in enumerate(self.sheet.data.get("skipped", [])):
            p: Path_ = ("skipped", i)
            if s["paragraph"] not in paragraphs:
                self.fail((*p, "paragraph"), f"the document has no paragraph {s['paragraph']}")
            elif s["paragraph"] <= self.header:
                self.fail((*p, "paragraph"), f"paragraph {s['paragraph']} is the header")
            elif s["paragraph"] in claimed:
                self.fail((*p, "paragraph"), f"paragraph {s['paragraph']} has claims")
            self.text_literal((*p, "reason"))

    def check_refs(self) -> None:
        if self.known is None:
            return
        for iri, path in self.refs:
            if iri not in self.defined and iri not in self.known:
                self.fail(path, f"unknown term {self._qname(iri)} (not in this sheet or graph/)")

    def run(self) -> Graph:
        doc = self.document()
        self.entities()
        self.sources()
        self.events()
        self.claims(doc)
        self.skipped()
        self.check_refs()
        if self.problems:
            unique = {(q.line, q.field, q.message): q for q in self.problems}
            raise SheetError(sorted(unique.values(), key=lambda q: (q.line or 0, q.field)))
        return self.graph


def compile_sheet(
    sheet: Sheet,
    text: str,
    sha256: str,
    *,
    known: set[URIRef] | None = None,
    strict: bool = True,
) -> Graph:
    """Turn a parsed sheet into RDF, given its document's text and ``"sha256:<hex>"``.

    Parameters
    ----------
    known : IRIs described elsewhere (the ontology, graph/); references to anything neither
        there nor in the sheet are errors. ``None`` skips that check.
    strict : refuse header paragraphs as evidence and text copying 8 words of the document.

    Raises
    ------
    SheetError
        evidence that points at no sentence, unknown terms, bad dates or numbers.
    """
    return _Compiler(sheet, text, sha256, known, strict).run()


# --------------------------------------------------------------------------- Turtle


def _order(graph: Graph, sheet: Sheet) -> list[Node]:
    compiler_order: list[Node] = []
    for section, namespace in (
        ("document", None),
        ("sources", SRC),
        ("events", EVENT),
        ("entities", None),
        ("claims", CLAIM),
    ):
        if section == "document":
            compiler_order += list(graph.subjects(RDF.type, AKG.SourceDocument))
            continue
        for item in sheet.data.get(section, []):
            if section == "entities":
                ns = {"Technology": TECH, "Market": MKT}.get(item["type"], KG)
                compiler_order.append(ns[item["id"]])
            else:
                assert namespace is not None  # only "entities" has none
                compiler_order.append(namespace[item["id"]])
    return compiler_order


def to_turtle(graph: Graph, sheet: Sheet, *, source: str = "") -> str:
    """Write the compiled graph as Turtle in sheet order (document, sources, events, ...).

    Evidence blank nodes are written inline; the output parses back to an isomorphic graph.
    """
    nm = graph.namespace_manager
    out: list[str] = []
    out.append("")
    title = graph.value(
        next(iter(graph.subjects(RDF.type, AKG.SourceDocument)), None), AKG.fileName
    )
    out.append(f"# Generated by `automaker-kg add` from {source or sheet.name}.")
    out.append(f"# Edit the sheet, not this file. Facts of {title}, in the project's own")
    out.append("# words; evidence is character offsets (authoritative) with paragraph and sentence")
    out.append("# numbers for people.")
    out.append("")

    def term(node: Any) -> str:
        if isinstance(node, Literal) and node.datatype in (XSD.integer, XSD.boolean):
            return str(node).lower()
        if isinstance(node, Literal) and node.datatype == XSD.decimal and "." in str(node):
            return str(node)
        return node.n3(nm)

    def render(node: Any) -> str:
        if not isinstance(node, BNode):
            return term(node)
        return "[ " + " ; ".join(pairs(node)) + " ]"

    def evidence_key(node: Any) -> tuple[int, int]:
        selector = graph.value(node, OA.hasSelector)
        numbers = (graph.value(selector, AKG.paragraph), graph.value(selector, AKG.sentence))
        return (int(numbers[0]), int(numbers[1])) if None not in numbers else (0, 0)

    def pairs(subject: Any) -> list[str]:
        rendered = [(p, o, render(o)) for p, o in graph.predicate_objects(subject)]
        rendered.sort(key=lambda po: (_RANK.get(po[0], 50), str(po[0]), evidence_key(po[1]), po[2]))
        return [f"{'a' if p == RDF.type else term(p)} {value}" for p, _, value in rendered]

    for subject in _order(graph, sheet):
        out.append(term(subject) + "\n    " + " ;\n    ".join(pairs(subject)) + " .\n")
    body = "\n".join(out)
    used = [
        f"@prefix {prefix}: <{ns}> ."
        for prefix, ns in sorted(nm.namespaces())
        if prefix and re.search(rf"(?<![\w.-]){re.escape(prefix)}:", body)
    ]
    return "\n".join(used) + "\n" + body


_RANK: dict[Node, int] = {
    RDF.type: 0,
    RDFS.label: 1,
    OA.hasSource: 2,
    OA.hasSelector: 3,
    AKG.paragraph: 4,
    AKG.sentence: 5,
    OA.start: 6,
    OA.end: 7,
    PROV.wasDerivedFrom: 99,
}


# --------------------------------------------------------------------------- add


@dataclass(frozen=True)
class AddReport:
    """What ``add`` wrote."""

    sheet: str
    target: Path
    document: str
    claims: int
    entities: int
    triples: int


def output_path(sheet: Sheet, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """``graph/<folder>/<sheet stem>.ttl`` (folder from the sheet, default ``articles``)."""
    from automaker_kg.paths import data_dir as default_data_dir

    root = default_data_dir(data_dir)
    return root / "graph" / sheet.data.get("folder", "articles") / f"{sheet.stem}.ttl"


def document_path(sheet: Sheet, document: str | os.PathLike[str] | None = None) -> Path:
    """The document's text file: ``document`` if given, else ``shared/<document.file>``.

    ``document.file`` must name a file inside ``shared/`` (no absolute path, no ``..``
    out of it, no symlink out of it).
    """
    from automaker_kg.paths import shared_dir

    if document is not None:
        path = Path(document)
    else:
        shared = shared_dir()
        if shared is None:
            raise SheetError(
                [
                    sheet.problem(
                        ("document", "file"), "cannot find the shared/ folder; use --document"
                    )
                ]
            )
        path = shared / sheet.data["document"]["file"]
        try:
            inside = path.resolve().is_relative_to(shared.resolve())
        except (OSError, ValueError):
            inside = False
        if not inside:
            message = f"{sheet.data['document']['file']!r} is outside the shared/ folder"
            raise SheetError([sheet.problem(("document", "file"), message)])
    try:
        found = path.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        raise SheetError([sheet.problem(("document", "file"), f"no such file: {path}")])
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        message = f"{path} is larger than {MAX_DOCUMENT_BYTES >> 20} MB"
        raise SheetError([sheet.problem(("document", "file"), message)])
    return path


def _known_terms(graphs: Iterable[Graph]) -> set[URIRef]:
    known: set[URIRef] = set()
    for graph in graphs:
        known.update(s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef))
    return known


def _sheet_line_for(focus: str, compiled: _Compiler | None, sheet: Sheet) -> tuple[int | None, str]:
    head = focus.split(" ", 1)[0]
    for iri, path in compiled.defined.items() if compiled else []:
        if compiled and compiled._qname(iri) == head:
            return sheet.line_of(path), _dotted(path)
    return None, ""


def _check_once(parsed: list[tuple[str, Graph]], root: Path) -> tuple[list[Any], str]:
    """The violations of ``parsed`` (the shapes as SPARQL, else pySHACL) and the engine."""
    from automaker_kg.build import check_files
    from automaker_kg.shacl_sparql import Unsupported

    try:
        return check_files(parsed, root, engine="sparql"), "sparql"
    except Unsupported:
        return check_files(parsed, root, engine="pyshacl"), ""


def _focus_iris(violations: Iterable[Any]) -> list[URIRef]:
    """The IRIs of the violations' focus nodes (the named node above a blank one)."""
    names = bind_prefixes(Graph()).namespace_manager
    found = []
    for v in violations:
        head = v.focus.split(" ", 1)[0]
        try:
            found.append(names.expand_curie(head))
        except ValueError:
            if head.startswith(("http:", "https:", "urn:")):
                found.append(URIRef(head))
    return found


def add(
    sheet_path: str | os.PathLike[str],
    *,
    document: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
) -> AddReport:
    """Check a fact sheet and write its Turtle to ``graph/<folder>/<name>.ttl`` atomically
    (``dry_run``: every check, nothing written).

    The checks, in order: the YAML parses and fits :func:`schema`; every reference names a
    term of the sheet, the ontology or graph/; every evidence reference is a sentence of the
    document's text (not of its header); no text copies 8 words of the document; the Turtle,
    merged with the ontology and the rest of graph/, conforms to the shapes (problems the
    graph had without the sheet are not blamed on it). Nothing is written when a check fails.

    Raises
    ------
    SheetError
        the sheet is unusable (sheet:line, field, message), exit code 2.
    SheetConformanceError
        the result violates the shapes, exit code 1.
    """
    from automaker_kg.build import (  # the build's own reading of graph/, resolution included
        check_files,
        graph_name,
        parse_file,
        project_files,
    )
    from automaker_kg.paths import data_dir as default_data_dir

    sheet = load_sheet(sheet_path)
    root = default_data_dir(data_dir)
    target = output_path(sheet, root)
    doc_path = document_path(sheet, document)
    try:
        text = read_text(doc_path)
    except UnicodeDecodeError as exc:
        message = f"{doc_path} is not UTF-8 text (byte {exc.start}: {exc.reason})"
        raise SheetError([sheet.problem(("document", "file"), message)]) from None
    except OSError as exc:
        message = f"cannot read {doc_path}: {exc.strerror or exc}"
        raise SheetError([sheet.problem(("document", "file"), message)]) from None
    others = [
        (graph_name(p, root), parse_file(p, graph_name(p, root)))
        for p in project_files(root)
        if p.resolve() != target.resolve()
    ]
    compiler = _Compiler(
        sheet,
        text,
        sha256_of(doc_path),
        _known_terms(g for _, g in others),
        True,
        described_in(others),
    )
    graph = compiler.run()
    body = to_turtle(graph, sheet, source=graph_name(sheet_path, root))
    reparsed = bind_prefixes(Graph()).parse(data=body, format="turtle")
    violations, engine = _check_once([*others, (graph_name(target, root), reparsed)], root)
    if violations:  # were they there without the sheet? only their focus nodes are checked
        focus = _focus_iris(violations)
        old = check_files(others, root, engine=engine, focus=focus if engine else None)
        before = {(b.focus, b.rule, b.message) for b in old}
        fresh = [v for v in violations if (v.focus, v.rule, v.message) not in before]
        if fresh:
            problems = []
            for v in fresh:
                line, where = _sheet_line_for(v.focus, compiler, sheet)
                problems.append(
                    SheetProblem(sheet.name, line, where, f"{v.focus}: [{v.rule}] {v.message}")
                )
            raise SheetConformanceError(problems)
    if not dry_run:
        write_atomic(target, body)
    claims = {s for s in graph.subjects(AKG.status, None)}
    return AddReport(
        sheet=sheet.name,
        target=target,
        document=str(doc_path),
        claims=len(claims),
        entities=len(sheet.data.get("entities", [])),
        triples=len(graph),
    )
