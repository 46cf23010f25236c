"""Import Beneficial Ownership Data Standard (BODS) statements: entities, people, interests.

Reads BODS 0.4 packages (a JSON array of statements) and JSON Lines (one statement per line),
and, deliberately, the older 0.2/0.3 statements (``statementID`` / ``statementType``) that
pipelines such as Open Ownership's GLEIF mapping still publish. Every statement is validated
before anything is converted: 0.4 against the official JSON Schema (bundled in
``bods_schema/``, resolved locally, never over the network), 0.2/0.3 against a small schema of
the fields this importer reads. One invalid statement stops the import with an
``InputError`` naming the file, the statement's JSON pointer and the schema's message.

The mapping (decisions the project made; see also ``ontology/bods-interests.ttl``):

* **entity statements** become organisations, one node per ``recordId``
  (``kg:bods/<publisher>/<recordId>``; updated statements about the same record update the
  same node): registered and legal entities are ``akg:Company``; states and state bodies are
  ``org:FormalOrganization``; arrangements (trusts, nominations) and anonymous or unknown
  entities are ``org:Organization``, all also ``prov:Organization``. Names give
  ``rdfs:label``/``skos:prefLabel`` (latest) and ``skos:altLabel`` (earlier and alternate
  names); identifiers are kept (``dcterms:identifier "GB-COH:07444723"`` and a
  ``schema:identifier`` ``schema:PropertyValue``); the jurisdiction gives ``akg:countryCode``
  and ``akg:country`` when the project has that market.
* **person statements** become ``akg:Person`` nodes the same way.
* **relationship statements** give one claim per interest: ``shareholding`` and
  ``votingRights`` are ``akg:EquityStake`` (the only interest types a stake may have); every
  other interest (board seat, trusteeship, nomination, control by contract ...) is an
  ``akg:ControlInterest``; both with ``akg:holder`` the interested party, ``akg:target`` the
  subject and ``akg:interestType`` the concept whose ``skos:notation`` is the BODS code (no
  type: ``akg:UnknownInterest``). Shares: ``exact`` -> ``akg:shareExact``;
  ``minimum``/``exclusiveMinimum`` -> ``akg:shareMinimum`` (the tighter of the two, with
  ``akg:shareMinimumExclusive true`` when the exclusive one wins); likewise for the maximum. A
  stake without a share is a stake of unknown size (``akg:shareUnknown true``).
  ``startDate``/``endDate`` -> ``akg:validFrom``/``akg:validTo`` at day precision (BODS's end
  date is the first day the interest no longer exists, which is what the exclusive
  ``akg:validTo`` means). ``directOrIndirect`` -> ``akg:indirect``;
  ``beneficialOwnershipOrControl`` -> ``akg:beneficialOwnership``. A relationship without
  interests, or whose subject or interested party is unspecified (an object with a reason) or
  unknown in the file, makes no claim and is reported as rejected (for 0.2/0.3 the reference
  says whether the party is an entity or a person, so a placeholder is made instead).
* **record history**: a relationship statement about a ``recordId`` seen earlier in the file
  (0.2/0.3: ``replacesStatements``) is matched interest by interest (same type, in order) with
  the earlier statement. An interest restated unchanged (same share and start date) adds its
  statement as a second derivation of the existing claim (and its end date, if it brings one).
  A changed interest is a new claim that ``akg:supersedes`` the earlier one, which, if it has
  no end date, ends when the new interest starts (or, when that is not later, on the new
  statement's date). A ``closed`` relationship statement's interests without an end date end
  on its statement date. Each inferred end carries an ``akg:dateNote``.
* **status** from ``source.type`` (kept as ``akg:sourceType``): ``selfDeclaration`` or
  ``officialRegister`` -> ``akg:OfficialStatement`` (the parties' own filing, or a register's
  record of it); else ``verified`` or ``primaryResearch`` -> ``akg:HistoricalFact`` (the
  publisher states it as established); else ``thirdParty`` -> ``akg:AttributedAllegation`` (a
  named other party's account); no source type -> ``akg:HistoricalFact`` (the publisher states
  it without attribution). A self-declared claim is ``akg:attributedTo`` its declaration
  subject.
* **provenance**: each claim ``prov:wasDerivedFrom`` an ``oa:SpecificResource`` on the file (an
  ``akg:SourceDocument`` with ``dcterms:identifier "sha256:<hex>"``) with an
  ``oa:FragmentSelector`` whose ``rdf:value`` is the statement's JSON pointer (``"/3"``; for
  JSON Lines the 0-based index of the statement in the stream) and whose
  ``dcterms:identifier`` is the statementId.

>>> from automaker_kg.sources.bods import status_for
>>> status_for(["thirdParty", "verified"]).fragment
'HistoricalFact'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD
from referencing import Registry, Resource

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, CLAIM, SCHEMA
from automaker_kg.sources.documents import sha256_of
from automaker_kg.sources.importing import (
    ImportReport,
    ImportResult,
    add_country,
    add_derivation,
    add_identifier,
    add_validity,
    entity_iri,
    file_document,
    iri_part,
    json_pointer,
    label,
    new_graph,
    slug,
    to_decimal,
)
from automaker_kg.temporal import iso_date

__all__ = [
    "INTEREST_TYPES",
    "read_bods",
    "parse_bods",
    "statement_problems",
    "validate_statements",
    "bods_to_rdf",
    "import_bods",
    "status_for",
    "share_bounds",
]

SCHEMA_DIR = Path(__file__).resolve().parent / "bods_schema"

INTEREST_TYPES: dict[str, URIRef] = {
    "shareholding": AKG.Shareholding,
    "votingRights": AKG.VotingRights,
    "appointmentOfBoard": AKG.AppointmentOfBoard,
    "otherInfluenceOrControl": AKG.OtherInfluenceOrControl,
    "seniorManagingOfficial": AKG.SeniorManagingOfficial,
    "settlor": AKG.Settlor,
    "trustee": AKG.Trustee,
    "protector": AKG.Protector,
    "beneficiaryOfLegalArrangement": AKG.BeneficiaryOfLegalArrangement,
    "rightsToSurplusAssetsOnDissolution": AKG.RightsToSurplusAssetsOnDissolution,
    "rightsToProfitOrIncome": AKG.RightsToProfitOrIncome,
    "rightsGrantedByContract": AKG.RightsGrantedByContract,
    "conditionalRightsGrantedByContract": AKG.ConditionalRightsGrantedByContract,
    "controlViaCompanyRulesOrArticles": AKG.ControlViaCompanyRulesOrArticles,
    "controlByLegalFramework": AKG.ControlByLegalFramework,
    "boardMember": AKG.BoardMember,
    "boardChair": AKG.BoardChair,
    "unknownInterest": AKG.UnknownInterest,
    "unpublishedInterest": AKG.UnpublishedInterest,
    "enjoymentAndUseOfAssets": AKG.EnjoymentAndUseOfAssets,
    "rightToProfitOrIncomeFromAssets": AKG.RightToProfitOrIncomeFromAssets,
    "nominee": AKG.Nominee,
    "nominator": AKG.Nominator,
}
"""BODS interestType code -> concept of akg:InterestTypeScheme."""

_ENTITY_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "registeredEntity": (AKG.Company,),
    "legalEntity": (AKG.Company,),
    "state": (ORG.FormalOrganization, PROV.Organization),
    "stateBody": (ORG.FormalOrganization, PROV.Organization),
    "arrangement": (ORG.FormalOrganization, PROV.Organization),
    "anonymousEntity": (ORG.FormalOrganization, PROV.Organization),
    "unknownEntity": (ORG.FormalOrganization, PROV.Organization),
}
_EQUITY = {"shareholding", "votingRights"}

_STATUS_ORDER = (
    ({"selfDeclaration", "officialRegister"}, AKG.OfficialStatement),
    ({"verified", "primaryResearch"}, AKG.HistoricalFact),
    ({"thirdParty"}, AKG.AttributedAllegation),
)


def status_for(source_types: list[str] | None) -> URIRef:
    """The claim status for a statement's ``source.type`` codes (see the module docstring)."""
    types = set(source_types or [])
    for codes, status in _STATUS_ORDER:
        if types & codes:
            return status
    return AKG.HistoricalFact


def share_bounds(share: dict[str, Any]) -> dict[str, Any]:
    """Reduce a BODS ``share`` object to the project's terms.

    Returns a dict with ``exact`` or ``minimum``/``maximum`` (Decimals) and
    ``minimum_exclusive``/``maximum_exclusive`` (bools). When both an inclusive and an
    exclusive bound are given the tighter one is kept; at equal values the exclusive one is
    the tighter.

    >>> bounds = share_bounds({"minimum": 25, "exclusiveMaximum": 50})
    >>> bounds["minimum"], bounds["minimum_exclusive"]
    (Decimal('25'), False)
    >>> bounds["maximum"], bounds["maximum_exclusive"]
    (Decimal('50'), True)
    >>> share_bounds({"minimum": 10, "exclusiveMinimum": 10})["minimum_exclusive"]
    True
    """
    if "exact" in share:
        return {"exact": to_decimal(share["exact"])}
    out: dict[str, Any] = {}
    lows = [
        (to_decimal(share[k]), k == "exclusiveMinimum")
        for k in ("minimum", "exclusiveMinimum")
        if k in share
    ]
    if lows:
        value, exclusive = max(lows)
        out["minimum"], out["minimum_exclusive"] = value, exclusive
    highs = [
        (to_decimal(share[k]), k != "exclusiveMaximum")
        for k in ("maximum", "exclusiveMaximum")
        if k in share
    ]
    if highs:
        value, inclusive = min(highs)
        out["maximum"], out["maximum_exclusive"] = value, not inclusive
    return out


# ---------------------------------------------------------------------------------------------
# Reading and validating


def read_bods(path: Path | str) -> list[dict]:
    """Read and validate a BODS file: a JSON array of statements, or JSON Lines.

    Returns the statements as dicts, in file order. Raises ``ParseError`` for a file that is
    neither JSON nor JSON Lines, and ``InputError`` naming the file and JSON pointer of each
    invalid statement (nothing is returned then).
    """
    statements = parse_bods(path)
    validate_statements(statements, source_path=path)
    return statements


def parse_bods(path: Path | str) -> list:
    """Parse a BODS file (JSON array or JSON Lines) without validating its statements.

    Raises ``ParseError`` naming the file (and line) for unreadable, non-JSON or too deeply
    nested input.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(str(path), f"cannot read: {exc}") from exc
    return _parse(path, text)


def _loads(path: Path, text: str, line: int | None = None) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ParseError(
            str(path), "JSON nested too deeply to be BODS (a statement is a few levels deep)", line
        ) from None


def _parse(path: Path, text: str) -> list:
    if path.suffix.lower() not in {".jsonl", ".ndjson"}:
        try:
            data = _loads(path, text)
        except json.JSONDecodeError as exc:
            if text.lstrip().startswith("[") or "\n" not in text.strip():
                raise ParseError(str(path), f"not JSON: {exc.msg}", line=exc.lineno) from exc
        else:
            if isinstance(data, list):
                return data
            raise InputError(
                f"{path}: a BODS file holds a JSON array of statements (or one statement per "
                f"line, JSON Lines); this one holds a JSON {type(data).__name__}"
            )
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(_loads(path, line, number))
        except json.JSONDecodeError as exc:
            raise ParseError(str(path), f"not JSON Lines: {exc.msg}", line=number) from exc
    return out


def _format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if isinstance(value, str):
            if not re.fullmatch(
                r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)", value
            ):
                return False
            dt.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
        return True

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        return not isinstance(value, str) or bool(
            re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+", value)
        )

    return checker


@lru_cache(maxsize=1)
def _validator_04() -> Draft202012Validator:
    resources = []
    for file in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(file.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    registry = Registry().with_resources(resources)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "urn:statement#/$defs/Statement",
    }
    return Draft202012Validator(schema, registry=registry, format_checker=_format_checker())


_SHARE_02 = {
    "type": "object",
    "properties": {
        k: {"type": "number", "minimum": 0, "maximum": 100}
        for k in ("exact", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
    },
}
_REF_02 = {
    "type": "object",
    "properties": {
        "describedByEntityStatement": {"type": "string"},
        "describedByPersonStatement": {"type": "string"},
        "unspecified": {"type": "object"},
    },
    "minProperties": 1,
}
_SCHEMA_02 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "The parts of a BODS 0.2/0.3 statement this importer reads",
    "type": "object",
    "required": ["statementID", "statementType"],
    "properties": {
        "statementID": {"type": "string", "minLength": 32, "maxLength": 64},
        "statementType": {
            "enum": ["entityStatement", "personStatement", "ownershipOrControlStatement"]
        },
        "statementDate": {"type": "string", "format": "date"},
        "replacesStatements": {"type": "array", "items": {"type": "string"}},
        "name": {"type": "string"},
        "names": {
            "type": "array",
            "items": {"type": "object", "properties": {"fullName": {"type": "string"}}},
        },
        "identifiers": {"type": "array", "items": {"type": "object"}},
        "subject": _REF_02,
        "interestedParty": _REF_02,
        "interests": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "interestLevel": {"enum": ["direct", "indirect", "unknown"]},
                    "beneficialOwnershipOrControl": {"type": "boolean"},
                    "share": _SHARE_02,
                    "startDate": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\d"},
                    "endDate": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\d"},
                },
            },
        },
        "source": {
            "type": "object",
            "properties": {"type": {"type": "array", "items": {"type": "string"}}},
        },
    },
    "allOf": [
        {
            "if": {"properties": {"statementType": {"const": "ownershipOrControlStatement"}}},
            "then": {"required": ["subject", "interestedParty"]},
        }
    ],
}


@lru_cache(maxsize=1)
def _validator_02() -> Draft202012Validator:
    return Draft202012Validator(_SCHEMA_02, format_checker=_format_checker())


def _version(statement: object) -> str:
    if (
        isinstance(statement, dict)
        and "statementID" in statement
        and "statementId" not in statement
    ):
        return "0.2"
    return "0.4"


def statement_problems(statements: list) -> list[tuple[int, str, str]]:
    """``(index, JSON pointer, schema message)`` for every invalid statement, in file order.

    A statement too deeply nested to check is invalid; a statementId that also names a
    different statement earlier in the file makes the later one invalid.
    """
    problems: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    for index, statement in enumerate(statements):
        validator = _validator_02() if _version(statement) == "0.2" else _validator_04()
        try:
            error: SchemaError | None = best_match(validator.iter_errors(statement))
        except RecursionError:
            problems.append((index, json_pointer(index), "nested too deeply to check"))
            continue
        if error is not None:
            message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
            problems.append((index, json_pointer(index, *error.absolute_path), message))
            continue
        sid = statement.get("statementId", statement.get("statementID"))
        if sid in seen and statements[seen[sid]] != statement:
            problems.append(
                (
                    index,
                    json_pointer(index, "statementId"),
                    f"statementId {sid!r} also names a different statement at /{seen[sid]}",
                )
            )
        seen.setdefault(sid, index)
    return problems


def _check_array(statements: object, source_path: Path | str) -> None:
    if not isinstance(statements, list):
        raise InputError(f"{source_path}: a BODS file holds an array of statements")
    versions = Counter(_version(s) for s in statements)
    if len(versions) > 1:
        raise InputError(f"{source_path}: mixes BODS 0.4 and 0.2/0.3 statements ({dict(versions)})")


def _refusal(
    problems: list[tuple[int, str, str]], source_path: Path | str, head: str
) -> InputError:
    shown = problems[:20]
    lines = [f"{source_path}: {pointer or '/'}: {message}" for _, pointer, message in shown]
    if len(problems) > len(shown):
        lines.append(f"... and {len(problems) - len(shown)} more")
    error = InputError(head + ":\n" + "\n".join(lines))
    error.problems = [(pointer, message) for _, pointer, message in problems]  # type: ignore[attr-defined]
    error.path = str(source_path)  # type: ignore[attr-defined]
    return error


def validate_statements(statements: list, *, source_path: Path | str) -> None:
    """Validate every statement; raise ``InputError`` listing each invalid one.

    Each problem reads ``<file>: <JSON pointer>: <schema message>``; the error's ``problems``
    attribute holds ``(pointer, message)`` pairs.
    """
    _check_array(statements, source_path)
    problems = statement_problems(statements)
    if problems:
        plural = "s" if len(problems) != 1 else ""
        head = f"{len(problems)} invalid BODS statement{plural}; nothing imported"
        raise _refusal(problems, source_path, head)


def _looks_like_bods(statement: object) -> bool:
    """A statement of some BODS version: 0.4 ids and record type, or 0.2/0.3 ones."""
    return isinstance(statement, dict) and (
        ("statementId" in statement and "recordType" in statement)
        or ("statementID" in statement and "statementType" in statement)
    )


# ---------------------------------------------------------------------------------------------
# 0.2/0.3 -> 0.4 shape


def _camel(code: str) -> str:
    head, *rest = code.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _party_02(ref: dict) -> str | dict:
    for key in ("describedByEntityStatement", "describedByPersonStatement"):
        if key in ref:
            return ref[key]
    return ref.get("unspecified", {"reason": "unknown"})


def _upgrade(statement: dict) -> dict:
    """A 0.2/0.3 statement in the 0.4 shape this importer reads (recordId = statementID)."""
    kind = statement["statementType"]
    sid = statement["statementID"]
    out: dict[str, Any] = {
        "statementId": sid,
        "statementDate": statement.get("statementDate"),
        "recordId": sid,
        "recordStatus": "new",
        "publicationDetails": statement.get("publicationDetails", {}),
        "source": statement.get("source"),
        "replaces": statement.get("replacesStatements", []),
    }
    if kind == "entityStatement":
        out["recordType"] = "entity"
        out["recordDetails"] = {
            "entityType": {"type": statement.get("entityType", "unknownEntity")},
            "name": statement.get("name"),
            "alternateNames": statement.get("alternateNames", []),
            "identifiers": statement.get("identifiers", []),
            "foundingDate": statement.get("foundingDate"),
            "jurisdiction": statement.get("incorporatedInJurisdiction"),
        }
    elif kind == "personStatement":
        out["recordType"] = "person"
        out["recordDetails"] = {
            "personType": statement.get("personType", "knownPerson"),
            "names": statement.get("names", []),
            "identifiers": statement.get("identifiers", []),
        }
    else:
        out["recordType"] = "relationship"
        interests = []
        for interest in statement.get("interests", []):
            new = {
                k: v
                for k, v in interest.items()
                if k not in {"type", "interestLevel", "startDate", "endDate"}
            }
            if "type" in interest:
                new["type"] = _camel(interest["type"])
            if "interestLevel" in interest:
                new["directOrIndirect"] = interest["interestLevel"]
            for key in ("startDate", "endDate"):
                if key in interest:
                    new[key] = interest[key][:10]
            interests.append(new)
        out["partyKinds"] = {
            role: "person" if "describedByPersonStatement" in statement[role] else "entity"
            for role in ("subject", "interestedParty")
        }
        out["recordDetails"] = {
            "subject": _party_02(statement["subject"]),
            "interestedParty": _party_02(statement["interestedParty"]),
            "interests": interests,
        }
    return out


# ---------------------------------------------------------------------------------------------
# Conversion


def _scope(statements: list[dict], digest: str) -> str:
    publishers = {
        (s.get("publicationDetails") or {}).get("publisher", {}).get("name")
        for s in statements
        if (s.get("publicationDetails") or {}).get("publisher", {}).get("name")
    }
    if len(publishers) == 1:
        return slug(publishers.pop())
    return "file-" + digest[:12]


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _share_text(bounds: dict[str, Any]) -> str:
    if "exact" in bounds:
        return " " + _percent(bounds["exact"])
    parts = []
    if "minimum" in bounds:
        parts.append((">" if bounds["minimum_exclusive"] else "≥") + _percent(bounds["minimum"]))
    if "maximum" in bounds:
        parts.append(("<" if bounds["maximum_exclusive"] else "≤") + _percent(bounds["maximum"]))
    return (" " + " and ".join(parts)) if parts else ""


def _published(statements: list[dict]) -> dt.date | None:
    """The latest publicationDate of the statements: when the file was published."""
    dates = []
    for statement in statements:
        value = (statement.get("publicationDetails") or {}).get("publicationDate")
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value[:10]):
            dates.append(dt.date.fromisoformat(value[:10]))
    return max(dates) if dates else None


class _Converter:
    def __init__(
        self,
        statements: list[dict],
        source_path: Path,
        report: ImportReport,
        invalid: frozenset[int] = frozenset(),
    ) -> None:
        self.path = Path(source_path)
        self.report = report
        self.graph = new_graph()
        self.indexed = [
            (i, _upgrade(s) if _version(s) == "0.2" else s)
            for i, s in enumerate(statements)
            if i not in invalid
        ]
        self.statements = [s for _, s in self.indexed]
        digest = sha256_of(self.path).split(":")[1]
        self.scope = _scope(self.statements, digest)
        version = "0.2/0.3" if statements and _version(statements[0]) == "0.2" else "0.4"
        self.doc = file_document(
            self.graph,
            self.path,
            kind="bods",
            title=f"BODS {version} statements: {self.path.name}",
            date=_published(self.statements),
        )
        self.labels: dict[str, str] = {}
        self.nodes: dict[str, URIRef] = {}
        self.used: set[int] = set()
        """Indexes of the statements that gave the graph something."""
        self.why: dict[int, list[str]] = defaultdict(list)
        """Index -> why (part of) the statement gave nothing."""

    # entities and people ---------------------------------------------------------------------
    def node(self, record_id: str) -> URIRef:
        if record_id not in self.nodes:
            self.nodes[record_id] = entity_iri("bods", self.scope, record_id)
        return self.nodes[record_id]

    def records(self) -> None:
        by_record: dict[str, list[dict]] = defaultdict(list)
        for index, statement in self.indexed:
            if statement["recordType"] in {"entity", "person"}:
                by_record[statement["recordId"]].append(statement)
                self.used.add(index)
        for record_id, history in by_record.items():
            if history[-1]["recordType"] == "entity":
                self.entity(record_id, history)
            else:
                self.person(record_id, history)
            self.report.entities += 1

    def _names(self, node: URIRef, record_id: str, names: list[str], fallback: str) -> None:
        names = [n for n in names if n]
        name = names[-1] if names else f"{fallback} (BODS record {record_id})"
        label(self.graph, node, name)
        self.labels[record_id] = name
        for other in names[:-1]:
            if other != name:
                self.graph.add((node, SKOS.altLabel, Literal(other, lang="en")))

    def _identifiers(self, node: URIRef, details: dict) -> None:
        for ident in details.get("identifiers") or []:
            value = ident.get("id")
            scheme = ident.get("scheme") or ident.get("schemeName")
            if value and scheme:
                add_identifier(self.graph, node, scheme, str(value), ident.get("schemeName"))

    def entity(self, record_id: str, history: list[dict]) -> None:
        node = self.node(record_id)
        details = history[-1]["recordDetails"]
        entity_type = details.get("entityType") or {}
        kind = entity_type.get("type", "unknownEntity")
        for cls in _ENTITY_CLASSES.get(kind, (ORG.FormalOrganization, PROV.Organization)):
            self.graph.add((node, RDF.type, cls))
        subtype = entity_type.get("subtype")
        self.graph.add(
            (
                node,
                RDFS.comment,
                Literal(f"BODS entity type: {kind}" + (f" ({subtype})" if subtype else "")),
            )
        )
        names = [s["recordDetails"].get("name") for s in history]
        fallback = {"anonymousEntity": "anonymous entity", "unknownEntity": "unknown entity"}.get(
            kind, "entity"
        )
        self._names(node, record_id, names, fallback)
        for statement in history:
            for alt in statement["recordDetails"].get("alternateNames") or []:
                self.graph.add((node, SKOS.altLabel, Literal(alt, lang="en")))
            self._identifiers(node, statement["recordDetails"])
        for key, prop in (
            ("foundingDate", SCHEMA.foundingDate),
            ("dissolutionDate", SCHEMA.dissolutionDate),
        ):
            value = details.get(key)
            if value and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                self.graph.add(
                    (node, prop, Literal(dt.date.fromisoformat(value), datatype=XSD.date))
                )
        code = (details.get("jurisdiction") or {}).get("code")
        if code:
            add_country(self.graph, node, code.split("-")[0])
        self._closed(node, history)

    def _closed(self, node: URIRef, history: list[dict]) -> None:
        """A record the publisher closed (BODS ``recordStatus: closed``) says so, dated."""
        last = history[-1]
        if last.get("recordStatus") == "closed":
            when = last.get("statementDate") or "an undated statement"
            self.graph.add(
                (node, RDFS.comment, Literal(f"The publisher closed this record on {when}."))
            )

    def person(self, record_id: str, history: list[dict]) -> None:
        node = self.node(record_id)
        self.graph.add((node, RDF.type, AKG.Person))
        details = history[-1]["recordDetails"]
        names = []
        for statement in history:
            person_names = statement["recordDetails"].get("names") or []
            legal = [n for n in person_names if n.get("type") == "legal"] or person_names
            if legal and legal[0].get("fullName"):
                names.append(legal[0]["fullName"])
        fallback = {"anonymousPerson": "anonymous person", "unknownPerson": "unknown person"}.get(
            details.get("personType", ""), "person"
        )
        self._names(node, record_id, names, fallback)
        for statement in history:
            self._identifiers(node, statement["recordDetails"])
        self._closed(node, history)

    def party(self, value: str | dict, statement: dict, role: str) -> tuple[URIRef, str] | str:
        """The node and label of a relationship's party, or the reason there is none."""
        if isinstance(value, dict):
            who = "subject" if role == "subject" else "interested party"
            return f"{who} not specified ({value.get('reason', 'no reason given')})"
        if value not in self.labels:
            kind = (statement.get("partyKinds") or {}).get(role)
            if kind is None and role == "subject":
                kind = "entity"  # BODS: the subject of a relationship is always an entity
            if kind is None:
                return f"interested party {value} has no entity or person statement in the file"
            node = self.node(value)
            for cls in (
                (AKG.Person,) if kind == "person" else (ORG.FormalOrganization, PROV.Organization)
            ):
                self.graph.add((node, RDF.type, cls))
            self.labels[value] = f"BODS {kind} {value}"
            label(self.graph, node, self.labels[value])
            self.report.entities += 1
            self.report.notes.append(
                f"{kind} {value} is referred to but has no statement in the file"
            )
        return self.node(value), self.labels[value]

    def relationships(self) -> None:
        previous: dict[str, list[dict]] = {}
        by_statement: dict[str, list[dict]] = {}
        for index, statement in self.indexed:
            if statement["recordType"] != "relationship":
                continue
            earlier = list(previous.get(statement["recordId"], []))
            for sid in statement.get("replaces") or []:
                earlier += by_statement.get(sid, [])
            made = self.relationship(index, statement, earlier)
            if made:
                self.used.add(index)
                previous[statement["recordId"]] = made
                by_statement[statement["statementId"]] = made
        self.components(previous)

    def components(self, latest: dict[str, list[dict]]) -> None:
        """Link each indirect interest to the claims of its component relationships (BODS 0.4
        ``componentRecords``): the chain an indirect interest runs through."""
        for _, statement in self.indexed:
            components = statement.get("recordDetails", {}).get("componentRecords") or []
            if statement["recordType"] != "relationship" or not components:
                continue
            whole = latest.get(statement["recordId"], [])
            parts = [info["claim"] for rid in components for info in latest.get(rid, [])]
            for info in whole:
                for part in parts:
                    if part != info["claim"]:
                        self.graph.add((info["claim"], AKG.component, part))

    def relationship(self, index: int, statement: dict, earlier: list[dict]) -> list[dict]:
        details = statement["recordDetails"]
        pointer = json_pointer(index)
        interests = details.get("interests") or []
        if not interests:
            if statement.get("recordStatus") == "closed" and earlier:
                return self.close(index, statement, earlier)
            self.why[index].append("relationship statement without interests: no claim to make")
            return []
        target = self.party(details["subject"], statement, "subject")
        holder = self.party(details["interestedParty"], statement, "interestedParty")
        for side in (target, holder):
            if isinstance(side, str):
                for number in range(len(interests)):
                    self.report.reject(f"{pointer} interest {number}", side)
                self.why[index].append(side)
                return []
        if target[0] == holder[0]:
            self.why[index].append("the interested party is the subject itself")
            return []
        assert not isinstance(target, str) and not isinstance(holder, str)
        pool: dict[str, list[dict]] = defaultdict(list)
        for info in earlier:
            pool[info["code"]].append(info)
        made = []
        for number, interest in enumerate(interests):
            info = self.interest_info(statement, interest)
            problem = _unrepresentable(info)
            if problem:
                self.report.reject(f"{pointer} interest {number}", problem)
                self.why[index].append(f"interest {number}: {problem}")
                continue
            old = pool[info["code"]].pop(0) if pool.get(info["code"]) else None
            if old is not None and (old["bounds"], old["start"]) == (info["bounds"], info["start"]):
                # the same interest restated (an update or closure): one claim, both derivations
                self.restated(old, statement, pointer, info["end"], info["end_note"])
                self.report.notes.append(
                    f"{pointer} interest {number} restates {old['claim']}; derivation added"
                )
                made.append(old)
                continue
            info["claim"] = claim = CLAIM[f"bods/{iri_part(statement['statementId'])}/{number}"]
            self.stake(claim, statement, interest, info, holder, target, pointer)
            if old is not None:
                self.supersede(claim, info, old)
            made.append(info)
        return made

    def close(self, index: int, statement: dict, earlier: list[dict]) -> list[dict]:
        """A closed relationship statement without interests ends the record's open claims."""
        closed = iso_date(statement.get("statementDate"))
        pointer = json_pointer(index)
        for old in earlier:
            ends = closed is not None and (old["start"] is None or closed >= old["start"])
            note = "End date is the date the source closed this record."
            self.restated(old, statement, pointer, closed if ends else None, note)
        return earlier

    def restated(
        self, old: dict, statement: dict, pointer: str, end: dt.date | None, note: str | None
    ) -> None:
        """``old`` read again in ``statement``: one derivation more, and ``end`` (with its
        ``note``) when the claim had no end yet."""
        identifier = statement["statementId"]
        add_derivation(self.graph, old["claim"], self.doc, pointer=pointer, identifier=identifier)
        if old["end"] is None and end is not None:
            add_validity(self.graph, old["claim"], None, end)
            if note:
                self.graph.add((old["claim"], AKG.dateNote, Literal(note)))
            old["end"] = end

    def interest_info(self, statement: dict, interest: dict) -> dict:
        start, end = iso_date(interest.get("startDate")), iso_date(interest.get("endDate"))
        end_note = None
        if end is None and statement.get("recordStatus") == "closed":
            closed = iso_date(statement.get("statementDate"))
            # closed the day it started: a recorded moment (validFrom = validTo), never in force
            if closed is not None and (start is None or closed >= start):
                end, end_note = closed, "End date is the date the source closed this record."
        code = interest.get("type", "unknownInterest")
        bounds = share_bounds(interest.get("share") or {})
        return {
            "code": code,
            "bounds": bounds,
            "start": start,
            "end": end,
            "end_note": end_note,
            "date": iso_date(statement.get("statementDate")),
        }

    def stake(
        self,
        claim: URIRef,
        statement: dict,
        interest: dict,
        info: dict,
        holder: tuple[URIRef, str],
        target: tuple[URIRef, str],
        pointer: str,
    ) -> None:
        g = self.graph
        code, bounds = info["code"], dict(info["bounds"])
        equity = code in _EQUITY
        cls = AKG.EquityStake if equity else AKG.ControlInterest
        g.add((claim, RDF.type, cls))
        g.add((claim, AKG.holder, holder[0]))
        g.add((claim, AKG.target, target[0]))
        g.add((claim, AKG.interestType, INTEREST_TYPES[code]))
        source_types = (statement.get("source") or {}).get("type") or []
        g.add((claim, AKG.status, status_for(source_types)))
        for source_type in source_types:
            g.add((claim, AKG.sourceType, Literal(source_type)))
        if "selfDeclaration" in source_types and statement.get("declarationSubject") in self.labels:
            g.add((claim, AKG.attributedTo, self.node(statement["declarationSubject"])))
        if "exact" in bounds and set(interest.get("share", {})) - {"exact"}:
            self.report.notes.append(
                f"{pointer}: exact share given with bounds; kept the exact share"
            )
        if equity and not bounds:
            # a stake whose size the source does not give: a stake of unknown size ("?")
            g.add((claim, AKG.shareUnknown, Literal(True)))
            g.add((claim, RDFS.comment, Literal("The source gives no share: its size is unknown.")))
        if "exact" in bounds:
            g.add((claim, AKG.shareExact, Literal(bounds["exact"], datatype=XSD.decimal)))
        for key, prop, flag in (
            ("minimum", AKG.shareMinimum, AKG.shareMinimumExclusive),
            ("maximum", AKG.shareMaximum, AKG.shareMaximumExclusive),
        ):
            if key in bounds:
                g.add((claim, prop, Literal(bounds[key], datatype=XSD.decimal)))
                if bounds[f"{key}_exclusive"]:
                    g.add((claim, flag, Literal(True)))
        add_validity(g, claim, info["start"], info["end"])
        if info["end_note"]:
            g.add((claim, AKG.dateNote, Literal(info["end_note"])))
        level = interest.get("directOrIndirect")
        if level in {"direct", "indirect"}:
            g.add((claim, AKG.indirect, Literal(level == "indirect")))
        if "beneficialOwnershipOrControl" in interest:
            g.add(
                (
                    claim,
                    AKG.beneficialOwnership,
                    Literal(bool(interest["beneficialOwnershipOrControl"])),
                )
            )
        words = re.sub(r"(?<!^)(?=[A-Z])", " ", str(INTEREST_TYPES[code].fragment)).lower()
        text = f"{holder[1]}: {words}{_share_text(info['bounds'])} in {target[1]}"
        g.add((claim, RDFS.label, Literal(text)))
        add_derivation(g, claim, self.doc, pointer=pointer, identifier=statement["statementId"])
        self.report.claims["EquityStake" if equity else "ControlInterest"] += 1

    def supersede(self, claim: URIRef, info: dict, old: dict) -> None:
        self.graph.add((claim, AKG.supersedes, old["claim"]))
        if old["end"] is None:
            end, why = info["start"], "the start of the interest that supersedes it"
            if end is None or (old["start"] is not None and end <= old["start"]):
                end, why = info["date"], "the date of the statement that supersedes it"
            if end is None or (old["start"] is not None and end <= old["start"]):
                return
            add_validity(self.graph, old["claim"], None, end)
            self.graph.add((old["claim"], AKG.dateNote, Literal(f"End date inferred: {why}.")))
            old["end"] = end
        start = info["start"]
        if start is not None and old["start"] is not None and start <= old["start"]:
            # The update repeats the interest's original start date: the changed share holds
            # from the change (the earlier claim's end), not from the start, or both would
            # count at once (fermcat: 50% raised to 100%, start date repeated).
            self.graph.remove((claim, AKG.validFrom, None))
            self.graph.remove((claim, AKG.validFromPrecision, None))
            add_validity(self.graph, claim, old["end"], None)
            note = "Start taken as the end of the claim it supersedes; the source repeats the"
            self.graph.add((claim, AKG.dateNote, Literal(f"{note} interest's first start date.")))
            info["start"] = old["end"]


def _unrepresentable(info: dict) -> str | None:
    """Why an interest cannot be a claim of the project (its data contradicts itself), or None."""
    if info["start"] is not None and info["end"] is not None and info["end"] < info["start"]:
        return f"ends ({info['end']}) before it starts ({info['start']})"
    bounds = info["bounds"]
    if "minimum" in bounds and "maximum" in bounds and bounds["minimum"] > bounds["maximum"]:
        return f"share minimum {bounds['minimum']} is above its maximum {bounds['maximum']}"
    return None


def bods_to_rdf(
    statements: list[dict],
    *,
    source_path: Path | str,
    report: ImportReport | None = None,
    strict: bool = True,
) -> Graph:
    """Convert BODS statements read from ``source_path`` to RDF (see the module docstring).

    ``strict`` (the default): the statements are validated first (``validate_statements``);
    an invalid one raises ``InputError`` and nothing is converted. Not strict (what ``import``
    does): an invalid statement, or one the project cannot represent, is skipped with its
    reason in ``report.skipped``; only input that is not BODS at all, or holds no valid
    statement, is refused with ``InputError``. ``report``, when given, is filled in.

    >>> from automaker_kg.paths import shared_dir
    >>> path = shared_dir() / "data/bods-examples/examples/bods-package.json"
    >>> g = bods_to_rdf(read_bods(path), source_path=path)
    >>> len(list(g.subjects(RDF.type, AKG.EquityStake)))
    1
    """
    if strict:
        validate_statements(statements, source_path=source_path)
        problems: list[tuple[int, str, str]] = []
    else:
        _check_array(statements, source_path)
        if statements and not any(_looks_like_bods(s) for s in statements):
            raise InputError(
                f"{source_path}: not BODS: no statement has a statementId and a recordType "
                "(BODS 0.4) or a statementID and a statementType (0.2/0.3); nothing imported"
            )
        problems = statement_problems(statements)
        if statements and len({i for i, _, _ in problems}) == len(statements):
            head = f"no valid BODS statement among {len(statements)}; nothing imported"
            raise _refusal(problems, source_path, head)
    report = report if report is not None else ImportReport("bods", str(source_path))
    report.read += len(statements)
    invalid = {i: (pointer, message) for i, pointer, message in reversed(problems)}
    converter = _Converter(statements, Path(source_path), report, frozenset(invalid))
    converter.records()
    converter.relationships()
    for index, statement in enumerate(statements):
        sid = (
            statement.get("statementId", statement.get("statementID"))
            if isinstance(statement, dict)
            else None
        )
        if index in invalid:
            pointer, message = invalid[index]
            report.skip(
                json_pointer(index), f"not valid BODS ({pointer}: {message})", str(sid or "")
            )
        elif index not in converter.used:
            why = "; ".join(dict.fromkeys(converter.why[index])) or "gave nothing to the graph"
            report.skip(json_pointer(index), why, str(sid or ""))
    return converter.graph


def import_bods(path: Path | str) -> ImportResult:
    """Read and convert one BODS file, skipping (and reporting) statements that cannot be
    imported; return the graph and the report.

    Raises ``ParseError`` for a file that is not JSON (or nested too deeply) and
    ``InputError`` for one that is not BODS at all or holds no valid statement.
    """
    statements = parse_bods(path)
    report = ImportReport("bods", str(path))
    graph = bods_to_rdf(statements, source_path=path, report=report, strict=False)
    return ImportResult(graph, report)
