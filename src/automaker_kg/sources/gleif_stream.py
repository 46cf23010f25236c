"""GLEIF golden copies, streamed: one record at a time from the file to Turtle, in bounded memory.

The golden copy is millions of records (about 2.5M LEI records, 0.5M relationship records,
4M reporting exceptions). :func:`stream_gleif` reads XML with ``xml.etree.ElementTree.iterparse``
(each record element is converted, then cleared) and JSON arrays with ``ijson`` (one record
at a time), and writes Turtle text straight to the output file, so memory holds only the
identifiers needed to write each entity once and to link changed relationships: about a
hundred bytes per LEI, not the graph. The build loads such a file with Oxigraph's bulk
loader and validates it in the store (``build.BULK_BYTES``).

The mapping is the one of :mod:`automaker_kg.sources.gleif` (records are read into the same
dicts and claims get the same IRIs; a test compares both on the samples), with what streaming
changes:

* a record that repeats an earlier relationship's content adds a derivation to its claim;
  the claim's registration facts are those of the first record (the in-memory importer takes
  the latest): golden copies hold each relationship once;
* an entity gets the placeholder name ``LEI <LEI>`` when no LEI record was read before the
  first relationship naming it (a golden copy keeps Level 1 and Level 2 in separate files;
  import the LEI-CDF file to name them);
* a record whose LEI is not 20 letters and digits is skipped with that reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, CLAIM, KG, PREFIXES
from automaker_kg.sources.gleif import (
    _EXCEPTION_KINDS,
    _NAMESPACES,
    _REJECTED_REGISTRATION,
    CONSOLIDATION_KINDS,
    GleifRecord,
    _date,
    _kind_of,
    _local,
    _names,
    _to_dict,
)
from automaker_kg.sources.importing import (
    ImportReport,
    iri_part,
    json_pointer,
    market_for,
    slug,
    to_decimal,
)

__all__ = ["iter_gleif", "write_gleif"]

_KIND = {True: "DirectConsolidation", False: "UltimateConsolidation"}
_LEI = re.compile(r"^[A-Z0-9]{20}$")
_CONTAINERS = {
    "RelationshipData": ("RelationshipRecords", "RelationshipRecord", "relationship"),
    "LEIData": ("LEIRecords", "LEIRecord", "lei"),
    "ReportingExceptionData": ("ReportingExceptions", "Exception", "exception"),
}


# ------------------------------------------------------------------------------------ reading


def iter_gleif(path: Path | str) -> Iterator[GleifRecord]:
    """Yield the records of a GLEIF XML or JSON file one at a time (bounded memory).

    Raises ``ParseError`` (file, line) for XML that is not well formed or JSON that does not
    parse, and ``InputError`` for a file that is not GLEIF.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).lstrip()
    except OSError as exc:
        raise ParseError(str(path), f"cannot read: {exc}") from exc
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    if head.startswith(b"<"):
        yield from _iter_xml(path)
    else:
        yield from _iter_json(path)


def _iter_xml(path: Path) -> Iterator[GleifRecord]:
    try:
        events = ET.iterparse(path, events=("start", "end"))
        _, root = next(events)
        namespace, root_name = _local(root.tag)
        prefix = _NAMESPACES.get(namespace, "")
        if not prefix or root_name not in _CONTAINERS:
            raise InputError(
                f"{path}: not GLEIF RR-CDF, LEI-CDF or reporting-exception XML (root {root.tag})"
            )
        list_name, record_name, kind = _CONTAINERS[root_name]
        container_tag, record_tag = f"{{{namespace}}}{list_name}", f"{{{namespace}}}{record_name}"
        head = f"/{prefix}:{root_name}/{prefix}:{list_name}/{prefix}:{record_name}"
        container: ET.Element = root
        position = 0
        for event, element in events:
            tag = element.tag
            if event == "start":
                if tag == container_tag:
                    container = element
            elif tag == record_tag:
                position += 1
                record = GleifRecord(kind, _to_dict(element), xpath=f"{head}[{position}]")
                container.clear()  # converted: free it
                yield record
    except ET.ParseError as exc:
        raise ParseError(str(path), f"not well-formed XML: {exc}", line=exc.position[0]) from exc
    except RecursionError:
        raise ParseError(str(path), "XML nested too deeply to be GLEIF") from None


_MAX_DEPTH = 32
"""GLEIF records are a few levels deep; deeper JSON is refused before it is built."""


def _json_items(fh: IO[bytes], path: Path) -> Iterator[object]:
    """The items of a top-level JSON array, built from ijson's events with a depth limit
    (``ijson.items`` keeps a path string per level: a depth bomb takes gigabytes)."""
    import ijson

    events = ijson.basic_parse(fh, use_float=True)
    first = next(events, (None, None))[0]
    if first != "start_array":
        raise InputError(f"{path}: a streamed GLEIF JSON file holds an array of records")
    stack: list[list] = []  # [container, pending key]
    for event, value in events:
        if event == "start_map" or event == "start_array":
            if len(stack) >= _MAX_DEPTH:
                raise ParseError(str(path), "JSON nested too deeply to be GLEIF")
            new: dict | list = {} if event == "start_map" else []
            if stack:
                top = stack[-1]
                if top[1] is None:
                    top[0].append(new)
                else:
                    top[0][top[1]] = new
            stack.append([new, None])
        elif event == "map_key":
            stack[-1][1] = value
        elif event == "end_map" or event == "end_array":
            if not stack:
                return  # the end of the top-level array
            done = stack.pop()[0]
            if not stack:
                yield done
        elif stack:
            top = stack[-1]
            if top[1] is None:
                top[0].append(value)
            else:
                top[0][top[1]] = value
        else:
            yield value


def _iter_json(path: Path) -> Iterator[GleifRecord]:
    import ijson

    try:
        with open(path, "rb") as fh:
            for index, item in enumerate(_json_items(fh, path)):
                kind = _kind_of(item)
                if kind == "bods":
                    raise InputError(
                        f"{path}: {json_pointer(index)}: this is a BODS statement, not a GLEIF "
                        "record; import the file with `import bods`"
                    )
                if kind is None:
                    keys = sorted(item)[:6] if isinstance(item, dict) else type(item).__name__
                    raise InputError(
                        f"{path}: {json_pointer(index)}: not a GLEIF record (keys: {keys})"
                    )
                yield GleifRecord(kind, item, pointer=json_pointer(index))  # type: ignore[arg-type]
    except ijson.JSONError as exc:
        raise ParseError(str(path), f"not a JSON array of GLEIF records: {exc}") from exc


# ------------------------------------------------------------------------------------ writing


def _text(value: str) -> str:
    """A Turtle string literal."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _date_literal(value: dt.date) -> str:
    return f'"{value.isoformat()}"^^xsd:date'


def _iri(node: str) -> str:
    return f"<{node}>"


class _Writer:
    """Turtle for one GLEIF file, record by record (see the module docstring)."""

    def __init__(self, out: IO[str], source: Path, report: ImportReport) -> None:
        self.out = out
        self.report = report
        # Compact keys (ints) keep memory near 100 bytes per LEI and per relationship.
        self.entities: set[int] = set()
        self.named: dict[int, str] = {}
        """Names from LEI records (not kept for LEI-CDF XML, which holds nothing to label)."""
        self.claims: set[int] = set()
        self.pairs: dict[int, int] = {}
        """Hash of (child, type, parent) -> last update (digits) * 2**48 + claim digest."""
        self.superseded: list[tuple[str, str]] = []
        self.level1 = 0
        for prefix, namespace in sorted(PREFIXES.items()):
            out.write(f"@prefix {prefix}: <{namespace}> .\n")
        out.write("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n")
        with open(source, "rb") as fh:  # in chunks: a golden copy is gigabytes
            digest = "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()
        self.doc = _iri(f"{PREFIXES['doc']}gleif-{slug(source.name)}-{digest.split(':')[1][:12]}")
        out.write(
            f"\n{self.doc} a akg:SourceDocument ; dcterms:identifier {_text(digest)} ;\n"
            f"    dcterms:title {_text(f'GLEIF records: {source.name}')} ;\n"
            f"    akg:fileName {_text(source.name)} .\n"
        )

    # entities
    def entity(self, lei: str, *, named: bool = False) -> str:
        """The LEI's node, written (with its placeholder name unless ``named``) the first time."""
        node = _iri(f"{KG}lei/{iri_part(lei)}")
        key = int(lei, 36)
        if key not in self.entities:
            self.entities.add(key)
            self.out.write(
                f"\n{node} a akg:Company ; dcterms:identifier {_text('XI-LEI:' + lei)} ;\n"
                f'    schema:identifier [ a schema:PropertyValue ; schema:propertyID "XI-LEI" ;\n'
                f"        schema:value {_text(lei)} ; "
                f'schema:name "Legal Entity Identifier" ] .\n'
            )
            if not named:
                text = _text(f"LEI {lei}")
                self.out.write(f"{node} rdfs:label {text} ; skos:prefLabel {text} .\n")
        return node

    def name(self, lei: str) -> str:
        return self.named.get(int(lei, 36)) or f"LEI {lei}"

    def derivation(self, record: GleifRecord) -> str:
        if record.pointer is not None:
            selector = (
                "a oa:FragmentSelector ; dcterms:conformsTo <https://www.rfc-editor.org/rfc/rfc6901>"
                f" ; rdf:value {_text(record.pointer)}"
            )
        else:
            selector = f"a oa:XPathSelector ; rdf:value {_text(str(record.xpath))}"
        return (
            f"    prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource {self.doc} ;\n"
            f"        oa:hasSelector [ {selector} ] ]"
        )

    def skip(self, record: GleifRecord, why: str, record_id: str = "") -> None:
        self.report.reject(record.where, why)
        self.report.skip(record.where, why, record_id)

    # records
    def lei_record(self, record: GleifRecord) -> None:
        lei = str(record.data.get("LEI", ""))
        if not _LEI.match(lei):
            self.skip(record, "the LEI is not 20 letters and digits", lei)
            return
        key = int(lei, 36)
        level1 = record.xpath is not None  # LEI-CDF XML: LEI records only, each LEI once
        if not level1 and key in self.named:
            self.skip(
                record, "repeats an earlier LEI record of the same LEI (the first is kept)", lei
            )
            return
        entity = record.data.get("Entity") or {}
        legal = entity.get("LegalName")
        if level1 and key not in self.entities:
            node = self.entity(lei, named=bool(legal))
            self.entities.discard(key)  # each LEI once: no need to remember it
            self.level1 += 1
        else:
            node = self.entity(lei, named=bool(legal))
        lines: list[str] = []
        if legal:
            if not level1:
                self.named[key] = str(legal)
            lines.append(f"rdfs:label {_text(str(legal))}")
            lines.append(f"skos:prefLabel {_text(str(legal))}@en")
        for other in _names(entity):
            if other != legal:
                lines.append(f"skos:altLabel {_text(other)}")
        authority = entity.get("RegistrationAuthority") or {}
        ra, number = (
            authority.get("RegistrationAuthorityID"),
            authority.get("RegistrationAuthorityEntityID"),
        )
        if ra and number:
            lines.append(f"dcterms:identifier {_text(f'{ra}:{number}')}")
            lines.append(
                f"schema:identifier [ a schema:PropertyValue ; schema:propertyID {_text(ra)} ; "
                f"schema:value {_text(number)} ]"
            )
        country = entity.get("LegalJurisdiction") or (entity.get("LegalAddress") or {}).get(
            "Country"
        )
        if country:
            code = str(country).split("-")[0].strip().upper()
            lines.append(f"akg:countryCode {_text(code)}")
            market = market_for(code)
            if market is not None:
                lines.append(f"akg:country {_iri(str(market))}")
        registration = record.data.get("Registration") or {}
        facts = [
            f"GLEIF entity category: {entity.get('EntityCategory', 'not given')}",
            f"entity status: {entity.get('EntityStatus', 'not given')}",
            f"LEI registration status: {registration.get('RegistrationStatus', 'not given')}",
        ]
        lines.append(f"rdfs:comment {_text('; '.join(facts) + '.')}")
        self.out.write(f"{node} " + " ;\n    ".join(lines) + " .\n")

    def relationship(self, record: GleifRecord) -> None:
        rel = record.data.get("Relationship") or {}
        registration = record.data.get("Registration") or {}
        kind = rel.get("RelationshipType", "")
        start, end = rel.get("StartNode") or {}, rel.get("EndNode") or {}
        child_lei, parent_lei = str(start.get("NodeID", "")), str(end.get("NodeID", ""))
        where = f"{child_lei} {kind} {parent_lei}".strip()
        if kind not in CONSOLIDATION_KINDS:
            self.skip(
                record,
                f"relationship type {kind or '(none)'} is not a consolidation relation",
                where,
            )
            return
        status = registration.get("RegistrationStatus", "")
        if status in _REJECTED_REGISTRATION:
            self.skip(record, f"registration status {status}: GLEIF withdrew the record", where)
            return
        if (
            not child_lei
            or not parent_lei
            or start.get("NodeIDType", "LEI") != "LEI"
            or end.get("NodeIDType", "LEI") != "LEI"
        ):
            self.skip(record, "a node is not identified by an LEI", where)
            return
        if not _LEI.match(child_lei) or not _LEI.match(parent_lei):
            self.skip(record, "the LEI is not 20 letters and digits", where)
            return
        fingerprint = json.dumps(rel, sort_keys=True)
        full = hashlib.sha256(fingerprint.encode()).digest()
        digest = full[:6].hex()
        direct = kind == "IS_DIRECTLY_CONSOLIDATED_BY"
        stem = f"{CLAIM}gleif/{child_lei}-{'direct' if direct else 'ultimate'}-{parent_lei}-"
        claim = _iri(stem + digest)
        content = int.from_bytes(full[:8], "big")
        if content in self.claims:
            self.out.write(f"{claim}\n{self.derivation(record)} .\n")
            self.report.notes.append(
                f"{record.where} repeats an earlier relationship: one claim derived from both"
            )
            return
        self.claims.add(content)
        updated = int(re.sub(r"\D", "", str(registration.get("LastUpdateDate", "")))[:17] or 0)
        pair = int.from_bytes(
            hashlib.blake2b(f"{child_lei} {kind} {parent_lei}".encode(), digest_size=8).digest(),
            "big",
        )
        mine = updated * 2**48 + int(digest, 16)
        earlier = self.pairs.get(pair)
        if earlier is not None:
            old = _iri(stem + f"{earlier % 2**48:012x}")
            newer, older = (claim, old) if updated >= earlier // 2**48 else (old, claim)
            self.superseded.append((newer, older))
        if earlier is None or updated >= earlier // 2**48:
            self.pairs[pair] = mine
        child, parent = self.entity(child_lei), self.entity(parent_lei)
        how = "directly" if direct else "ultimately"
        label = f"{self.name(child_lei)} is {how} consolidated by {self.name(parent_lei)}"
        lines = [
            "a akg:ConsolidationRelation",
            f"akg:child {child}",
            f"akg:parent {parent}",
            f"akg:consolidationKind akg:{_KIND[direct]}",
            "akg:status akg:OfficialStatement",
        ]
        if registration.get("ValidationSources"):
            lines.append(f"akg:sourceType {_text(str(registration['ValidationSources']))}")
        if status:
            lines.append(f"akg:registrationStatus {_text(str(status))}")
        lines.append(f"rdfs:label {_text(label)}")
        for period in rel.get("RelationshipPeriods") or []:
            begin, finish = _date(period.get("StartDate")), _date(period.get("EndDate"))
            if period.get("PeriodType") == "RELATIONSHIP_PERIOD":
                if begin:
                    lines.append(f"akg:validFrom {_date_literal(begin)}")
                    lines.append("akg:validFromPrecision time:unitDay")
                if finish:
                    lines.append(f"akg:validTo {_date_literal(finish + dt.timedelta(days=1))}")
                    lines.append("akg:validToPrecision time:unitDay")
                    lines.append(
                        'akg:dateNote "GLEIF gives the last day of the relationship; '
                        'validTo is the day after."'
                    )
            else:
                parts = [
                    "a akg:Period",
                    f"akg:periodType {_text(str(period.get('PeriodType', 'UNKNOWN')))}",
                ]
                if begin:
                    parts.append(f"akg:periodStart {_date_literal(begin)}")
                if finish:
                    parts.append(f"akg:periodEnd {_date_literal(finish)}")
                lines.append("akg:period [ " + " ; ".join(parts) + " ]")
        for qualifier in rel.get("RelationshipQualifiers") or []:
            if qualifier.get("QualifierDimension") == "ACCOUNTING_STANDARD" and qualifier.get(
                "QualifierCategory"
            ):
                lines.append(f"akg:accountingStandard {_text(str(qualifier['QualifierCategory']))}")
        for quantifier in rel.get("RelationshipQuantifiers") or []:
            if quantifier.get("QuantifierUnits") == "PERCENTAGE" and quantifier.get(
                "QuantifierAmount"
            ):
                amount = to_decimal(quantifier["QuantifierAmount"])
                if 0 <= amount <= 100:
                    lines.append(f'akg:consolidationPercentage "{amount}"^^xsd:decimal')
        if rel.get("RelationshipStatus") == "INACTIVE":
            lines.append('rdfs:comment "GLEIF marks the relationship inactive: it has ended."')
        self.out.write(
            f"\n{claim} " + " ;\n    ".join(lines) + " ;\n" + self.derivation(record) + " .\n"
        )
        self.report.claims["ConsolidationRelation"] += 1

    def exception(self, record: GleifRecord) -> None:
        data = record.data
        lei, category = str(data.get("LEI", "")), data.get("ExceptionCategory", "")
        reason = data.get("ExceptionReason", "")
        if isinstance(reason, list):
            reason = " ".join(reason)
        kind = _EXCEPTION_KINDS.get(category)
        if kind is None or not reason:
            self.skip(
                record, f"reporting exception of unknown category {category or '(none)'}", lei
            )
            return
        if not _LEI.match(lei):
            self.skip(record, "the LEI is not 20 letters and digits", lei)
            return
        direct = kind == _EXCEPTION_KINDS["DIRECT_ACCOUNTING_CONSOLIDATION_PARENT"]
        which = "direct" if direct else "ultimate"
        claim = _iri(f"{CLAIM}gleif/{lei}-exception-{which}-{iri_part(str(reason).lower())}")
        if claim in self.claims:
            self.out.write(f"{claim}\n{self.derivation(record)} .\n")
            self.report.notes.append(
                f"{record.where}: same exception as an earlier one; one claim, two derivations"
            )
            return
        self.claims.add(claim)
        node = self.entity(lei)
        label = f"{self.name(lei)} reports no {which} accounting parent ({reason})"
        self.out.write(
            f"\n{claim} a akg:ReportingException ; akg:subject {node} ;\n"
            f"    akg:consolidationKind akg:{_KIND[direct]} ;\n"
            f"    akg:exceptionReason {_text(str(reason))} ; akg:status akg:OfficialStatement ;\n"
            f"    rdfs:label {_text(label)} ;\n{self.derivation(record)} .\n"
        )
        self.report.claims["ReportingException"] += 1

    def finish(self) -> None:
        for newer, older in self.superseded:
            self.out.write(f"{newer} akg:supersedes {older} .\n")
        self.report.entities += len(self.entities) + self.level1


def write_gleif(source: Path | str, out: IO[str], report: ImportReport) -> None:
    """Convert the GLEIF file ``source`` to Turtle written to ``out``, record by record."""
    source = Path(source)
    writer = _Writer(out, source, report)
    handlers = {
        "lei": writer.lei_record,
        "relationship": writer.relationship,
        "exception": writer.exception,
    }
    for record in iter_gleif(source):
        report.read += 1
        handlers[record.kind](record)
    writer.finish()


_ = AKG  # the terms written above are akg: terms of ontology/imports.ttl
