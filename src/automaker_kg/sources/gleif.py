"""Import GLEIF Level 2 data: accounting-consolidation relations, LEI names, reporting exceptions.

Reads GLEIF's XML (RR-CDF ``rr:RelationshipData``, LEI-CDF ``lei:LEIData``, ``repex:
ReportingExceptionData``) and the same records in GLEIF's JSON form (a JSON array whose records
are relationship records, LEI records or reporting exceptions, mixed freely as in
``relationship-update-data.json``). A file of BODS statements (``statementID``, as in
``rr-data-out.json``) is refused with a pointer to ``import bods``: it is another standard.

The mapping (decisions the project made; terms in ``ontology/imports.ttl``):

* a relationship record ``IS_DIRECTLY_CONSOLIDATED_BY`` / ``IS_ULTIMATELY_CONSOLIDATED_BY``
  becomes one ``akg:ConsolidationRelation``: ``akg:child`` the start node, ``akg:parent`` the
  end node (both ``kg:lei/<LEI>``), ``akg:consolidationKind`` ``akg:DirectConsolidation`` or
  ``akg:UltimateConsolidation``. It is not an ``akg:EquityStake``: consolidation says whose
  accounts include whom, not who holds what share. The ``RELATIONSHIP_PERIOD`` gives
  ``akg:validFrom`` and ``akg:validTo`` (days: no precision is written, day is the default;
  GLEIF's end date is the last day, so ``akg:validTo`` is the day after, as its exclusive
  meaning asks, which the document's ``akg:dateNote`` says once); accounting and filing
  periods are ``akg:period`` nodes (inclusive ``akg:periodStart``/``akg:periodEnd``) shared by
  every claim that gives the same one (``kg:period/<type>/<start>/<end>``). The accounting
  standard and a consolidation percentage are kept when given.
* other relationship types (fund management, sub-funds, branches) are not consolidation and are
  rejected, counted by type; so are records GLEIF marks ``ANNULLED`` or ``DUPLICATE``.
* **status**: a GLEIF relationship is reported by the child entity itself to its LEI issuer,
  which checks it against the sources named in ``ValidationSources``: every imported record is
  ``akg:OfficialStatement``. ``ValidationSources`` (``FULLY_CORROBORATED``,
  ``PARTIALLY_CORROBORATED``, ``ENTITY_SUPPLIED_ONLY``, ``PENDING``) is kept as
  ``akg:sourceType`` and ``RegistrationStatus`` (``PUBLISHED``, ``LAPSED``, ``RETIRED`` ...) as
  ``akg:registrationStatus`` so that a reader can discount an uncorroborated or lapsed record.
* LEI records give the entities' names (``rdfs:label``/``skos:prefLabel`` the legal name,
  ``skos:altLabel`` other names), their LEI (``dcterms:identifier "XI-LEI:<LEI>"``) and the
  registration-authority number (``dcterms:identifier "<RA code>:<number>"``), and the
  jurisdiction's country. An entity known only from a relationship has its type and LEI and
  no name of its own (claim labels call it ``LEI <LEI>``; views show the LEI). All are
  ``akg:Company``.
* reporting exceptions become ``akg:ReportingException`` claims (``akg:subject`` the entity,
  ``akg:consolidationKind``, ``akg:exceptionReason``): the entity's own statement that it
  reports no such parent.
* records that repeat a relationship with the same content (``relationship-update-data.json``
  has each twice, renewed a year later) are one claim derived from both, its registration facts
  taken from the latest; a changed relationship between the same pair is a new claim that
  ``akg:supersedes`` the earlier one (its validity is left as GLEIF gives it).
* provenance, compact for files of millions of records: every claim is
  ``prov:wasDerivedFrom`` one ``oa:SpecificResource`` per file whose selector selects all its
  records (an ``oa:XPathSelector`` of the record elements, or the ``oa:FragmentSelector`` of
  the whole JSON array), and ``akg:sourceRecord`` gives the record's own XPath (1-based
  positions) or JSON pointer (see :mod:`automaker_kg.sources.gleif_records`).

>>> from automaker_kg.paths import shared_dir
>>> result = import_gleif(shared_dir() / "data/gleif-rr-samples/rr-data.xml")
>>> result.report.claims["ConsolidationRelation"]
2
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, CLAIM, OA
from automaker_kg.sources.gleif_records import (
    ALL_RECORDS,
    CONTAINERS,
    END_NOTE,
    EXCEPTION_CATEGORIES,
    NAMESPACES,
    REJECTED_REGISTRATION,
    GleifRecord,
    element_dict,
    fingerprint,
    gleif_date,
    local_name,
    other_names,
    period_iri,
    record_kind,
    records_evidence,
    records_selector,
    records_xpath,
)
from automaker_kg.sources.importing import (
    JSON_POINTER,
    ImportReport,
    ImportResult,
    add_country,
    entity_iri,
    file_document,
    json_pointer,
    label,
    new_graph,
    to_decimal,
)

__all__ = ["GleifRecord", "read_gleif", "gleif_to_rdf", "import_gleif", "CONSOLIDATION_KINDS"]

CONSOLIDATION_KINDS: dict[str, URIRef] = {
    "IS_DIRECTLY_CONSOLIDATED_BY": AKG.DirectConsolidation,
    "IS_ULTIMATELY_CONSOLIDATED_BY": AKG.UltimateConsolidation,
}
_EXCEPTION_KINDS = {
    category: AKG.DirectConsolidation if direct else AKG.UltimateConsolidation
    for category, direct in EXCEPTION_CATEGORIES.items()
}


def read_gleif(path: Path | str) -> list[GleifRecord]:
    """Read GLEIF relationship, LEI and reporting-exception records from XML or JSON.

    Raises ``ParseError`` for a file that does not parse and ``InputError`` (naming the file
    and the record's pointer) for a record of unknown shape or a BODS file.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ParseError(str(path), f"cannot read: {exc}") from exc
    if raw.lstrip().startswith(b"<"):
        try:
            return _read_xml(path, raw)
        except RecursionError:
            raise ParseError(str(path), "XML nested too deeply to be GLEIF") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ParseError(str(path), f"neither GLEIF XML nor JSON: {exc}", line=line) from exc
    except RecursionError:
        raise ParseError(str(path), "JSON nested too deeply to read") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(f"{path}: a GLEIF JSON file holds an array of records")
    records = []
    for index, item in enumerate(data):
        kind = record_kind(item)
        if kind == "bods":
            raise InputError(
                f"{path}: {json_pointer(index)}: this is a BODS statement (a GLEIF record "
                "mapped to "
                "BODS by another pipeline), not a GLEIF record; import the file with `import bods`"
            )
        if kind is None:
            keys = sorted(item)[:6] if isinstance(item, dict) else type(item).__name__
            raise InputError(f"{path}: {json_pointer(index)}: not a GLEIF record (keys: {keys})")
        records.append(GleifRecord(kind, item, pointer=json_pointer(index)))
    return records


def _read_xml(path: Path, raw: bytes) -> list[GleifRecord]:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ParseError(str(path), f"not well-formed XML: {exc}", line=exc.position[0]) from exc
    namespace, root_name = local_name(root.tag)
    prefix = NAMESPACES.get(namespace)
    if prefix is None or root_name not in CONTAINERS:
        raise InputError(
            f"{path}: not GLEIF RR-CDF, LEI-CDF or reporting-exception XML (root {root.tag})"
        )
    list_name, record_name, kind = CONTAINERS[root_name]
    records = []
    for container in root.findall(f"{{{namespace}}}{list_name}"):
        for position, element in enumerate(
            container.findall(f"{{{namespace}}}{record_name}"), start=1
        ):
            xpath = f"/{prefix}:{root_name}/{prefix}:{list_name}/{prefix}:{record_name}[{position}]"
            records.append(GleifRecord(kind, element_dict(element), xpath=xpath))
    return records


# ---------------------------------------------------------------------------------------------


def _record_id(record: GleifRecord) -> str:
    """A relationship record's own identity: start node, type, end node."""
    rel = record.data.get("Relationship") or {}
    ids = [(rel.get("StartNode") or {}).get("NodeID"), rel.get("RelationshipType")]
    ids.append((rel.get("EndNode") or {}).get("NodeID"))
    return " ".join(str(i) for i in ids if i)


class _Converter:
    def __init__(self, records: list[GleifRecord], source_path: Path, report: ImportReport) -> None:
        self.records = records
        self.report = report
        self.graph = new_graph()
        self.doc = file_document(
            self.graph, source_path, kind="gleif", title=f"GLEIF records: {Path(source_path).name}"
        )
        self.graph.add((self.doc, AKG.dateNote, Literal(END_NOTE)))
        self.evidence: URIRef | None = None
        self.labels: dict[str, str] = {}
        self.entities: set[str] = set()
        self.claims: set[URIRef] = set()

    def entity(self, lei: str) -> URIRef:
        node = entity_iri("lei", lei)
        if lei not in self.entities:
            self.entities.add(lei)
            self.graph.add((node, RDF.type, AKG.Company))
            self.graph.add((node, DCTERMS.identifier, Literal(f"XI-LEI:{lei}")))
        return node

    def lei_records(self) -> None:
        latest = {r.data["LEI"]: r for r in self.records if r.kind == "lei"}
        for lei, record in latest.items():
            node = self.entity(lei)
            entity = record.data.get("Entity", {})
            legal = entity.get("LegalName")
            if legal:
                label(self.graph, node, legal)
                self.labels[lei] = legal
            for other in other_names(entity):
                if other != legal:
                    self.graph.add((node, SKOS.altLabel, Literal(other)))
            authority = entity.get("RegistrationAuthority") or {}
            if authority.get("RegistrationAuthorityID") and authority.get(
                "RegistrationAuthorityEntityID"
            ):
                ra, number = (
                    authority["RegistrationAuthorityID"],
                    authority["RegistrationAuthorityEntityID"],
                )
                self.graph.add((node, DCTERMS.identifier, Literal(f"{ra}:{number}")))
            country = entity.get("LegalJurisdiction") or (entity.get("LegalAddress") or {}).get(
                "Country"
            )
            if country:
                add_country(self.graph, node, country.split("-")[0])
            registration = record.data.get("Registration", {})
            facts = [
                f"GLEIF entity category: {entity.get('EntityCategory', 'not given')}",
                f"entity status: {entity.get('EntityStatus', 'not given')}",
                f"LEI registration status: {registration.get('RegistrationStatus', 'not given')}",
            ]
            self.graph.add((node, RDFS.comment, Literal("; ".join(facts) + ".")))
        duplicates = sum(1 for r in self.records if r.kind == "lei") - len(latest)
        if duplicates:
            self.report.notes.append(
                f"{duplicates} LEI record(s) repeated; the last one of each LEI is used"
            )

    def name(self, lei: str) -> str:
        """The entity's legal name, else ``LEI <lei>`` (for claim labels only: an entity
        no LEI record names has no label of its own)."""
        return self.labels.get(lei) or f"LEI {lei}"

    def derive(self, claim: URIRef, record: GleifRecord) -> None:
        """``claim`` comes from ``record``: the file's records (one evidence node per file)
        and the record's own XPath or JSON pointer."""
        g = self.graph
        if self.evidence is None:
            self.evidence = URIRef(records_evidence(str(self.doc)))
            selector = URIRef(records_selector(str(self.doc)))
            g.add((self.evidence, RDF.type, OA.SpecificResource))
            g.add((self.evidence, OA.hasSource, self.doc))
            g.add((self.evidence, OA.hasSelector, selector))
            if record.pointer is not None:
                g.add((selector, RDF.type, OA.FragmentSelector))
                g.add((selector, DCTERMS.conformsTo, JSON_POINTER))
                g.add((selector, RDF.value, Literal(ALL_RECORDS)))
            else:
                g.add((selector, RDF.type, OA.XPathSelector))
                g.add((selector, RDF.value, Literal(records_xpath(str(record.xpath)))))
        g.add((claim, PROV.wasDerivedFrom, self.evidence))
        g.add((claim, AKG.sourceRecord, Literal(record.where)))

    def period(self, kind: str, begin: dt.date | None, finish: dt.date | None) -> URIRef:
        """The node of an accounting or filing period (shared by the claims that give it)."""
        node = URIRef(period_iri(kind, begin, finish))
        g = self.graph
        g.add((node, RDF.type, AKG.Period))
        g.add((node, AKG.periodType, Literal(kind)))
        if begin:
            g.add((node, AKG.periodStart, Literal(begin, datatype=XSD.date)))
        if finish:
            g.add((node, AKG.periodEnd, Literal(finish, datatype=XSD.date)))
        return node

    def relationships(self) -> None:
        """Group relationship records: same relationship content = one claim (its registration
        from the latest record); a changed relationship between the same pair supersedes."""
        groups: dict[bytes, list[GleifRecord]] = {}
        for record in self.records:
            if record.kind == "relationship" and self.accept(record):
                rel = record.data["Relationship"]
                groups.setdefault(fingerprint(rel), []).append(record)
        by_pair: dict[tuple[str, str, str], list[tuple[str, URIRef]]] = {}
        for digest, records in groups.items():
            records = sorted(
                records, key=lambda r: r.data.get("Registration", {}).get("LastUpdateDate", "")
            )
            claim = self.relationship(records[-1], digest.hex()[:12])
            for record in records:
                self.derive(claim, record)
            for record in records[:-1]:
                self.report.notes.append(
                    f"{records[-1].where} repeats the relationship of {record.where} "
                    "(later registration): "
                    "one claim derived from both"
                )
            rel = records[-1].data["Relationship"]
            pair = (rel["StartNode"]["NodeID"], rel["RelationshipType"], rel["EndNode"]["NodeID"])
            updated = records[-1].data.get("Registration", {}).get("LastUpdateDate", "")
            by_pair.setdefault(pair, []).append((updated, claim))
        for versions in by_pair.values():
            versions.sort()
            for (_, old), (_, new) in zip(versions, versions[1:], strict=False):
                self.graph.add((new, AKG.supersedes, old))

    def reject(self, record: GleifRecord, why: str) -> None:
        """A record that gives the graph nothing: reported with its reason."""
        self.report.reject(record.where, why)
        self.report.skip(record.where, why, record.data.get("LEI") or _record_id(record))

    def accept(self, record: GleifRecord) -> bool:
        rel = record.data.get("Relationship", {})
        kind = rel.get("RelationshipType", "")
        if kind not in CONSOLIDATION_KINDS:
            self.reject(
                record, f"relationship type {kind or '(none)'} is not a consolidation relation"
            )
            return False
        status = record.data.get("Registration", {}).get("RegistrationStatus", "")
        if status in REJECTED_REGISTRATION:
            self.reject(record, f"registration status {status}: GLEIF withdrew the record")
            return False
        start, end = rel.get("StartNode", {}), rel.get("EndNode", {})
        if (
            not start.get("NodeID")
            or not end.get("NodeID")
            or "LEI" != start.get("NodeIDType", "LEI")
            or "LEI" != end.get("NodeIDType", "LEI")
        ):
            self.reject(record, "a node is not identified by an LEI")
            return False
        try:
            for period in rel.get("RelationshipPeriods") or []:
                gleif_date(period.get("StartDate")), gleif_date(period.get("EndDate"))
        except (ValueError, AttributeError, TypeError):
            self.reject(record, "a relationship period's date is not a date (YYYY-MM-DD)")
            return False
        return True

    def relationship(self, record: GleifRecord, digest: str) -> URIRef:
        rel = record.data["Relationship"]
        registration = record.data.get("Registration", {})
        kind = rel["RelationshipType"]
        status = registration.get("RegistrationStatus", "")
        child_lei, parent_lei = rel["StartNode"]["NodeID"], rel["EndNode"]["NodeID"]
        direct = kind == "IS_DIRECTLY_CONSOLIDATED_BY"
        claim = CLAIM[
            f"gleif/{child_lei}-{'direct' if direct else 'ultimate'}-{parent_lei}-{digest}"
        ]
        g = self.graph
        child, parent = self.entity(child_lei), self.entity(parent_lei)
        g.add((claim, RDF.type, AKG.ConsolidationRelation))
        g.add((claim, AKG.child, child))
        g.add((claim, AKG.parent, parent))
        g.add((claim, AKG.consolidationKind, CONSOLIDATION_KINDS[kind]))
        g.add((claim, AKG.status, AKG.OfficialStatement))
        if registration.get("ValidationSources"):
            g.add((claim, AKG.sourceType, Literal(registration["ValidationSources"])))
        if status:
            g.add((claim, AKG.registrationStatus, Literal(status)))
        how = "directly" if direct else "ultimately"
        g.add(
            (
                claim,
                RDFS.label,
                Literal(f"{self.name(child_lei)} is {how} consolidated by {self.name(parent_lei)}"),
            )
        )
        for period in rel.get("RelationshipPeriods") or []:
            begin, finish = gleif_date(period.get("StartDate")), gleif_date(period.get("EndDate"))
            if period.get("PeriodType") == "RELATIONSHIP_PERIOD":
                if begin:  # days, as GLEIF gives them: no precision to say (day is the default)
                    g.add((claim, AKG.validFrom, Literal(begin, datatype=XSD.date)))
                if finish:
                    end = finish + dt.timedelta(days=1)
                    g.add((claim, AKG.validTo, Literal(end, datatype=XSD.date)))
            else:
                kind = str(period.get("PeriodType") or "UNKNOWN")
                g.add((claim, AKG.period, self.period(kind, begin, finish)))
        for qualifier in rel.get("RelationshipQualifiers") or []:
            if qualifier.get("QualifierDimension") == "ACCOUNTING_STANDARD" and qualifier.get(
                "QualifierCategory"
            ):
                g.add((claim, AKG.accountingStandard, Literal(qualifier["QualifierCategory"])))
        for quantifier in rel.get("RelationshipQuantifiers") or []:
            if quantifier.get("QuantifierUnits") == "PERCENTAGE" and quantifier.get(
                "QuantifierAmount"
            ):
                amount = to_decimal(quantifier["QuantifierAmount"])
                if 0 <= amount <= 100:
                    g.add(
                        (claim, AKG.consolidationPercentage, Literal(amount, datatype=XSD.decimal))
                    )
        if rel.get("RelationshipStatus") == "INACTIVE":
            g.add(
                (
                    claim,
                    RDFS.comment,
                    Literal("GLEIF marks the relationship inactive: it has ended."),
                )
            )
        self.report.claims["ConsolidationRelation"] += 1
        return claim

    def exception(self, record: GleifRecord) -> None:
        data = record.data
        lei, category = data["LEI"], data.get("ExceptionCategory", "")
        reason = data.get("ExceptionReason", "")
        if isinstance(reason, list):
            reason = " ".join(reason)
        kind = _EXCEPTION_KINDS.get(category)
        if kind is None or not reason:
            self.reject(record, f"reporting exception of unknown category {category or '(none)'}")
            return
        direct = kind == AKG.DirectConsolidation
        claim = CLAIM[
            f"gleif/{lei}-exception-{'direct' if direct else 'ultimate'}-{reason.lower()}"
        ]
        if claim in self.claims:
            self.derive(claim, record)
            self.report.notes.append(
                f"{record.where}: same exception as an earlier one; one claim, two derivations"
            )
            return
        self.claims.add(claim)
        g = self.graph
        g.add((claim, RDF.type, AKG.ReportingException))
        g.add((claim, AKG.subject, self.entity(lei)))
        g.add((claim, AKG.consolidationKind, kind))
        g.add((claim, AKG.exceptionReason, Literal(reason)))
        g.add((claim, AKG.status, AKG.OfficialStatement))
        which = "direct" if direct else "ultimate"
        g.add(
            (
                claim,
                RDFS.label,
                Literal(f"{self.name(lei)} reports no {which} accounting parent ({reason})"),
            )
        )
        self.derive(claim, record)
        self.report.claims["ReportingException"] += 1


def gleif_to_rdf(
    records: list[GleifRecord], *, source_path: Path | str, report: ImportReport | None = None
) -> Graph:
    """Convert GLEIF records read from ``source_path`` to RDF (see the module docstring)."""
    report = report if report is not None else ImportReport("gleif", str(source_path))
    report.read += len(records)
    converter = _Converter(records, Path(source_path), report)
    converter.lei_records()
    converter.relationships()
    for record in records:
        if record.kind == "exception":
            converter.exception(record)
    report.entities += len(converter.entities)
    return converter.graph


def import_gleif(path: Path | str) -> ImportResult:
    """Read and convert one GLEIF file; return the graph and the report."""
    records = read_gleif(path)
    report = ImportReport("gleif", str(path))
    graph = gleif_to_rdf(records, source_path=path, report=report)
    return ImportResult(graph, report)
