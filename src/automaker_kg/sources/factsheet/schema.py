"""What a fact sheet may say: its statuses, entity types, claim kinds with their fields, and
the JSON schema (draft 2020-12) its YAML must satisfy.

Each field of a claim kind is a :class:`Field`: the predicate it becomes and the kind of value
it takes (a reference, a concept from a closed list, a percentage, a date, text, a number,
a flag, an amount).

>>> CLAIM_KINDS["EquityStake"][2]
('holder', 'target', 'interest')
>>> COMMON_FIELDS["valid_from"].kind
'date'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Namespace, URIRef
from rdflib.namespace import ORG, RDF, RDFS

from automaker_kg.namespaces import AKG, CLAIM, DOC, EVENT, KG, MKT, SRC, TECH

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
REF_DEFAULTS = {
    "agent": KG,
    "entity": KG,
    "any": KG,
    "market": MKT,
    "technology": TECH,
    "event": EVENT,
    "claim": CLAIM,
}
PREFIXES: dict[str, Namespace] = {
    "kg": KG,
    "src": SRC,
    "event": EVENT,
    "claim": CLAIM,
    "tech": TECH,
    "mkt": MKT,
    "doc": DOC,
}


_AMOUNT_NUMBER = r"^[0-9]+(\.[0-9]+)?( (thousand|million|billion|trillion))?$"
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


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
class Field:
    predicate: URIRef
    kind: str  # ref:<default> | concept | percent | date | text | integer | boolean | amount
    choices: tuple[str, ...] = ()
    precision: URIRef | None = None  # for dates
    concepts: tuple[tuple[str, URIRef], ...] = ()  # concept words not named by camel(word)

    def concept(self, word: str) -> URIRef:
        """The concept IRI a sheet word of a ``concept`` field stands for."""
        return dict(self.concepts).get(word) or AKG[camel(word)]

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


COMMON_FIELDS: dict[str, Field] = {
    "comment": Field(RDFS.comment, "text"),
    "attributed_to": Field(AKG.attributedTo, "ref:agent"),
    "reported_via": Field(AKG.reportedVia, "ref:entity"),
    "valid_from": Field(AKG.validFrom, "date", precision=AKG.validFromPrecision),
    "valid_to": Field(AKG.validTo, "date", precision=AKG.validToPrecision),
    "date_note": Field(AKG.dateNote, "text"),
    "supersedes": Field(AKG.supersedes, "ref:claim"),
    "condition": Field(AKG.conditional, "text"),
    "excluded_partner": Field(AKG.excludedPartner, "ref:agent"),
    "actor": Field(AKG.actor, "ref:agent"),
    "participant": Field(AKG.participant, "ref:agent"),
    "market": Field(AKG.market, "ref:market"),
    "technology": Field(AKG.technology, "ref:technology"),
    "via": Field(AKG.via, "ref:agent"),
    "subject": Field(AKG.subject, "ref:any"),
    "counterpart": Field(AKG.counterpart, "ref:agent"),
    "exclusive": Field(AKG.exclusive, "boolean"),
    "place": Field(AKG.place, "ref:market"),
    "age_in_years": Field(AKG.ageInYears, "integer"),
    "amount": Field(AKG.amount, "amount"),
    "valuation": Field(AKG.valuation, "amount"),
    "vehicle": Field(AKG.vehicle, "ref:entity"),
}

_STAKE = {
    "holder": Field(AKG.holder, "ref:agent"),
    "target": Field(AKG.target, "ref:entity"),
    "share": Field(AKG.shareExact, "percent"),
    "share_min": Field(AKG.shareMinimum, "percent"),
    "share_max": Field(AKG.shareMaximum, "percent"),
}
_INSTRUMENT = Field(
    AKG.instrument,
    "concept",
    ("new_shares", "existing_shares", "preferred_shares", "convertible_note", "loan"),
)
_MEMBER = {
    "member": Field(ORG.member, "ref:agent"),
    "organization": Field(ORG.organization, "ref:entity"),
}

# kind -> (class, its own fields, required fields)
CLAIM_KINDS: dict[str, tuple[URIRef, dict[str, Field], tuple[str, ...]]] = {
    "EquityStake": (
        AKG.EquityStake,
        {
            **_STAKE,
            "interest": Field(AKG.interestType, "concept", tuple(_INTERESTS)),
            "share_unknown": Field(AKG.shareUnknown, "boolean"),
            "instrument": _INSTRUMENT,
        },
        ("holder", "target", "interest"),
    ),
    "ControlInterest": (
        AKG.ControlInterest,
        {**_STAKE, "interest": Field(AKG.interestType, "concept", tuple(_CONTROL_INTERESTS))},
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
            "unit": Field(AKG.unit, "ref:entity"),
            "parent_company": Field(AKG.parentCompany, "ref:entity"),
        },
        ("unit", "parent_company"),
    ),
    "TechnologyArrangement": (
        AKG.TechnologyArrangement,
        {
            "provider": Field(AKG.provider, "ref:agent"),
            "recipient": Field(AKG.recipient, "ref:agent"),
            "arrangement": Field(
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
            "contributor": Field(AKG.contributor, "ref:agent"),
            "beneficiary": Field(AKG.beneficiary, "ref:agent"),
            "contribution": Field(
                AKG.contributionKind,
                "concept",
                ("capital", "technological_support", "operational_engagement"),
            ),
            "degree": Field(AKG.degree, "concept", ("minimal",)),
            "instrument": _INSTRUMENT,
        },
        ("contributor", "beneficiary", "contribution"),
    ),
    "PartnershipSearch": (
        AKG.PartnershipSearch,
        {
            "seeker": Field(AKG.seeker, "ref:agent"),
            "sought_partner": Field(AKG.soughtPartnerKind, "concept", ("non_automotive_partner",)),
        },
        ("seeker",),
    ),
    "MarketStrategy": (AKG.MarketStrategy, {}, ("actor",)),
    "JointProject": (AKG.JointProject, {}, ("participant",)),
    "PlannedEvent": (
        AKG.PlannedEvent,
        {
            "event": Field(AKG.event, "ref:event"),
            "expected_by": Field(AKG.expectedBy, "date", precision=AKG.datePrecision),
        },
        ("event",),
    ),
    "FloatedTarget": (
        AKG.FloatedTarget,
        {
            "proposed_by": Field(AKG.proposedBy, "ref:agent"),
            "target_share": Field(AKG.targetShare, "percent"),
            "deemed_feasible": Field(AKG.deemedFeasible, "boolean"),
        },
        ("proposed_by",),
    ),
    "Assessment": (
        AKG.Assessment,
        {
            "assessment": Field(
                AKG.assessmentKind,
                "concept",
                ("benefit", "weakness", "grievance", "judgement", "allegation"),
            ),
            "assessed_by": Field(AKG.assessedBy, "ref:agent"),
        },
        ("assessment",),
    ),
    "RoleClaim": (
        AKG.RoleClaim,
        {
            "person": Field(ORG.member, "ref:agent"),
            "organization": Field(ORG.organization, "ref:entity"),
            "role": Field(AKG.roleDescription, "text"),
        },
        ("person", "organization", "role"),
    ),
    "EventClaim": (
        AKG.EventClaim,
        {
            "event": Field(AKG.event, "ref:event"),
            "date": Field(AKG.date, "date", precision=AKG.datePrecision),
        },
        ("event",),
    ),
    "RankingClaim": (
        AKG.RankingClaim,
        {"rank": Field(AKG.rank, "integer"), "measure": Field(AKG.measure, "text")},
        ("subject", "rank", "measure"),
    ),
    "HoldingCommitment": (
        AKG.HoldingCommitment,
        {
            **_STAKE,
            "commitment": Field(
                AKG.commitmentKind, "concept", ("lock_up", "minimum_holding", "standstill")
            ),
        },
        ("holder", "target", "commitment"),
    ),
    "TrustHolding": (
        AKG.TrustHolding,
        {
            **_STAKE,
            "trustee": Field(AKG.trustee, "ref:agent"),
            "economic_interest_retained": Field(AKG.economicInterestRetained, "boolean"),
            "voting": Field(
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
            "supplier": Field(AKG.supplier, "ref:agent"),
            "recipient": Field(AKG.recipient, "ref:agent"),
            "rebadged_as": Field(AKG.rebadgedAs, "ref:entity"),
            "supply": Field(
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
            "licensor": Field(AKG.provider, "ref:agent"),
            "licensee": Field(AKG.recipient, "ref:agent"),
            "royalties": Field(AKG.royalties, "boolean"),
        },
        ("licensor", "licensee", "technology"),
    ),
    "BoardSeat": (
        AKG.BoardSeat,
        {
            "organization": Field(ORG.organization, "ref:entity"),
            "appointed_by": Field(AKG.appointedBy, "ref:agent"),
            "person": Field(ORG.member, "ref:agent"),
            "seat": Field(
                AKG.seatKind,
                "concept",
                ("director", "observer", "chair"),
                concepts=(
                    ("director", AKG.DirectorSeat),
                    ("observer", AKG.ObserverSeat),
                    ("chair", AKG.ChairSeat),
                ),
            ),
            "count": Field(AKG.seatCount, "integer"),
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

TEXT_FIELDS = ("label", "comment", "date_note", "condition", "role", "measure")


def camel(word: str) -> str:
    return "".join(part.capitalize() for part in word.split("_"))


# --------------------------------------------------------------------------- JSON schema

_EVIDENCE_REF = {"type": ["string", "number"]}
_DATE = {"type": ["string", "integer"]}
_ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$"}
_REFS = Field(RDFS.seeAlso, "ref:any").json()


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
