"""GLEIF golden copies, streamed: one record at a time from the file to Turtle, in bounded memory.

The golden copy is millions of records (about 2.5M LEI records, 0.5M relationship records,
4M reporting exceptions). :func:`write_gleif` reads XML with lxml's ``iterparse`` told the
record tag (libxml2 parses in C; only record elements reach Python, each converted, then
cleared) and JSON arrays with the standard library's C decoder, one record at a time
(``raw_decode`` on a sliding buffer; deep nesting is refused, not built). It writes Turtle
text straight to the output file, no rdflib objects, so memory holds only the identifiers
needed to write each entity once and to link changed relationships: about a hundred bytes
per LEI, not the graph. The build loads such a file with Oxigraph's bulk loader and
validates it in the store (``build.BULK_BYTES``).

The mapping is the one of :mod:`automaker_kg.sources.gleif` (records are read into the same
dicts and claims get the same IRIs; a test compares both on the samples), with what streaming
changes:

* a record that repeats an earlier relationship's content adds a derivation to its claim;
  the claim's registration facts are those of the first record (the in-memory importer takes
  the latest): golden copies hold each relationship once;
* a claim's label calls an entity ``LEI <LEI>`` when no LEI record was read before the
  first relationship naming it (a golden copy keeps Level 1 and Level 2 in separate files;
  import the LEI-CDF file to name the entities themselves);
* a record whose LEI is not 20 letters and digits is skipped with that reason.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO

from lxml import etree

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, CLAIM, KG, PREFIXES
from automaker_kg.sources.gleif_records import (
    ALL_RECORDS,
    CONTAINERS,
    DIRECT,
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
    iri_part,
    json_pointer,
    market_for,
    slug,
    to_decimal,
)

__all__ = ["PIECES_MARK", "iter_gleif", "turtle_pieces", "write_gleif"]

_KIND = {True: "DirectConsolidation", False: "UltimateConsolidation"}
_CONSOLIDATION = {DIRECT, "IS_ULTIMATELY_CONSOLIDATED_BY"}
_LEI = re.compile(r"^[A-Z0-9]{20}$")


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


_XML_OPTIONS = {
    "resolve_entities": False,  # no entity expansion (billion laughs) and no external files
    "no_network": True,
    "load_dtd": False,
    "remove_comments": True,
    "remove_pis": True,
    "remove_blank_text": True,  # the indentation between elements: never read, 14% of parsing
}


def _root(path: Path) -> tuple[str, str]:
    """The namespace and local name of the file's root element."""
    with open(path, "rb") as fh:
        for _, element in etree.iterparse(fh, events=("start",), **_XML_OPTIONS):
            return local_name(element.tag)
    raise InputError(f"{path}: an empty XML file")  # pragma: no cover - lxml raises first


def _iter_xml(path: Path) -> Iterator[GleifRecord]:
    """Records through lxml's ``iterparse``, told the record tag: libxml2 parses in C and
    only the record elements reach Python, each converted, then cleared with the records
    before it (the list element keeps no children)."""
    try:
        namespace, root_name = _root(path)
        prefix = NAMESPACES.get(namespace, "")
        if not prefix or root_name not in CONTAINERS:
            raise InputError(
                f"{path}: not GLEIF RR-CDF, LEI-CDF or reporting-exception XML "
                f"(root {{{namespace}}}{root_name})"
            )
        list_name, record_name, kind = CONTAINERS[root_name]
        head = f"/{prefix}:{root_name}/{prefix}:{list_name}/{prefix}:{record_name}"
        with open(path, "rb") as fh:
            records = etree.iterparse(
                fh, events=("end",), tag=f"{{{namespace}}}{record_name}", **_XML_OPTIONS
            )
            for position, (_, element) in enumerate(records, start=1):
                record = GleifRecord(kind, element_dict(element), xpath=f"{head}[{position}]")
                element.clear(keep_tail=False)  # converted: free it and the records before it
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
                yield record
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise ParseError(str(path), f"not well-formed XML: {exc.msg}", line=line) from exc
    except RecursionError:
        raise ParseError(str(path), "XML nested too deeply to be GLEIF") from None


_CHUNK = 1 << 20
_MAX_RECORD = 64 << 20
"""A JSON record larger than this (64 MB) is refused: GLEIF records are a few kilobytes."""
_SPACE = re.compile(r"[ \t\n\r]*")


def _json_items(fh: IO[str], path: Path) -> Iterator[object]:
    """The items of a top-level JSON array, decoded one at a time
    by the standard library's C decoder (``raw_decode`` on a sliding buffer): nesting deeper
    than Python's recursion limit is a ``ParseError``, never gigabytes of memory."""
    decoder = json.JSONDecoder()
    buffer, pos, lines, eof = "", 0, 1, False

    def fill(at_least: int) -> None:
        nonlocal buffer, pos, lines, eof
        if pos:
            lines += buffer.count("\n", 0, pos)
            buffer, pos = buffer[pos:], 0
        while not eof and len(buffer) < at_least:
            more = fh.read(max(_CHUNK, at_least - len(buffer)))
            eof = not more
            buffer += more

    def skip_space() -> None:
        nonlocal pos
        while True:
            pos = _SPACE.match(buffer, pos).end()  # type: ignore[union-attr]
            if pos < len(buffer) or eof:
                return
            fill(_CHUNK)

    def error(message: str, at: int | None = None) -> ParseError:
        at = pos if at is None else at
        return ParseError(str(path), message, line=lines + buffer.count("\n", 0, at))

    fill(_CHUNK)
    skip_space()
    if buffer[pos : pos + 1] != "[":
        raise InputError(f"{path}: a streamed GLEIF JSON file holds an array of records")
    pos += 1
    first = True
    while True:
        skip_space()
        if buffer[pos : pos + 1] == "]":
            pos += 1
            skip_space()
            if pos < len(buffer):
                raise error("not a JSON array of GLEIF records: text after the array")
            return
        if not first:
            if buffer[pos : pos + 1] != ",":
                raise error("not a JSON array of GLEIF records: expected ',' or ']'")
            pos += 1
            skip_space()
        first = False
        want, seen = _CHUNK, ("", -1)
        while True:
            try:
                item, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as exc:
                # An item cut by the buffer's end fails further on once more is read; the
                # same failure at the same place with more text after it is the file's own.
                failure = (exc.msg, exc.pos - pos)
                if eof or (failure == seen and not exc.msg.startswith("Unterminated")):
                    raise error(f"not a JSON array of GLEIF records: {exc.msg}", exc.pos) from exc
                if want > _MAX_RECORD:
                    raise error("a JSON record larger than 64 MB: not GLEIF") from exc
                want, seen = want * 2, failure
                fill(len(buffer) - pos + want)
                continue
            except RecursionError:
                raise error("JSON nested too deeply to be GLEIF") from None
            if end < len(buffer) or eof or isinstance(item, dict | list):
                break
            fill(len(buffer) - pos + want)  # a number or literal may go on past the buffer
        yield item
        pos = end
        if pos > _CHUNK:
            fill(_CHUNK)


def _iter_json(path: Path) -> Iterator[GleifRecord]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for index, item in enumerate(_json_items(fh, path)):
                kind = record_kind(item)
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
    except UnicodeDecodeError as exc:
        raise ParseError(str(path), f"not UTF-8 text: {exc}") from exc


# ------------------------------------------------------------------------------------ writing

PIECES_MARK = '# automaker-kg streamed Turtle: a line ending with " ." ends a statement\n'
"""The first line of the files :func:`write_gleif` writes. Their literals never hold a raw
line break, so every line that ends with `` .`` ends a statement and the file can be loaded
in pieces (:func:`turtle_pieces`)."""

PIECE_BYTES = 32_000_000
"""About 700,000 triples of streamed GLEIF: what the build's bulk loader takes at a time."""


def turtle_pieces(path: Path | str, size: int = PIECE_BYTES) -> Iterator[tuple[bytes, int]]:
    """A Turtle file :func:`write_gleif` wrote, in pieces of about ``size`` bytes cut between
    statements, each after the file's ``@prefix`` lines: ``(piece, offset)``, where a line
    ``n`` of the piece is the line ``n + offset`` of the file. Nothing (an empty iterator)
    for a file without :data:`PIECES_MARK`, which must be loaded whole.

    Oxigraph's bulk loader holds a batch of up to a million quads per thread in memory
    (about 400 bytes each); loading a golden copy in pieces keeps the build's memory bounded.
    """
    mark = PIECES_MARK.encode()
    with open(path, "rb") as fh:
        if fh.readline() != mark:
            return
        header, line = [mark], fh.readline()
        while line.startswith(b"@prefix"):
            header.append(line)
            line = fh.readline()
        prefixes = b"".join(header)
        done = len(header)  # lines of the file before ``rest``
        rest = line
        while True:
            more = fh.read(size)
            rest += more
            cut = rest.rfind(b" .\n") + 3 if more else len(rest)
            if cut >= 3 or not more:  # else no statement ends in it yet: read on
                body, rest = rest[:cut], rest[cut:]
                if body.strip():
                    yield prefixes + body, done - len(header)
                done += body.count(b"\n")
            if not more:
                return


_UNSAFE = re.compile(r'[\\"\n\r]')


def _text(value: str) -> str:
    """A Turtle string literal."""
    if _UNSAFE.search(value):
        value = (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return f'"{value}"'


@lru_cache(maxsize=1024)
def _code(value: str) -> str:
    """A Turtle literal of one of GLEIF's codes (``PUBLISHED``, ``ACCOUNTING_PERIOD`` …):
    a few dozen values, written millions of times."""
    return _text(value)


@lru_cache(maxsize=1 << 16)
def _date_literal(value: dt.date) -> str:
    """An ``xsd:date`` literal (a golden copy's days repeat: cached)."""
    return f'"{value.isoformat()}"^^xsd:date'


@lru_cache(maxsize=1 << 16)
def _end_literal(last: dt.date) -> str:
    """The ``akg:validTo`` literal of a period whose last day is ``last``: the day after
    (``akg:validTo`` is exclusive)."""
    return _date_literal(last + dt.timedelta(days=1))


@lru_cache(maxsize=1 << 16)
def _day(value: str | None) -> dt.date | None:
    """:func:`gleif_date`, cached: a golden copy's dates repeat (millions of periods, some
    tens of thousands of days). Raises ``ValueError`` (not a date) or ``TypeError``."""
    return gleif_date(value)


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
        self.exceptions: set[str] = set()
        self.pairs: dict[int, int] = {}
        """(child, parent, direct) as one int -> last update (digits) * 2**48 + claim digest."""
        self.superseded: list[tuple[str, str]] = []
        self.level1 = 0
        self.relationships = 0
        out.write(PIECES_MARK)
        for prefix, namespace in sorted(PREFIXES.items()):
            out.write(f"@prefix {prefix}: <{namespace}> .\n")
        out.write("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n")
        with open(source, "rb") as fh:  # in chunks: a golden copy is gigabytes
            digest = "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()
        self.doc_iri = f"{PREFIXES['doc']}gleif-{slug(source.name)}-{digest.split(':')[1][:12]}"
        self.doc = _iri(self.doc_iri)
        self.evidence: str | None = None
        """The node of the file's records (see :meth:`derivation`), once written."""
        self.periods: dict[tuple[str, dt.date | None, dt.date | None], str] = {}
        """Period nodes written (a few distinct accounting and filing periods per file)."""
        self.kg_lei = f"<{KG}lei/"
        self.claim_stem = f"<{CLAIM}gleif/"
        out.write(
            f"\n{self.doc} a akg:SourceDocument ; dcterms:identifier {_text(digest)} ;\n"
            f"    dcterms:title {_text(f'GLEIF records: {source.name}')} ;\n"
            f"    akg:fileName {_text(source.name)} ;\n    akg:dateNote {_text(END_NOTE)} .\n"
        )

    # entities
    def entity(self, lei: str, *, key: int | None = None) -> str:
        """The node of ``lei`` (20 letters and digits: safe in an IRI as it is), typed and
        given its LEI the first time. ``key`` is ``int(lei, 36)``."""
        node = f"{self.kg_lei}{lei}>"
        if key is None:
            key = int(lei, 36)
        if key not in self.entities:
            self.entities.add(key)
            self.out.write(f'\n{node} a akg:Company ; dcterms:identifier "XI-LEI:{lei}" .\n')
        return node

    def name(self, lei: str) -> str:
        return self.named.get(int(lei, 36)) or f"LEI {lei}"

    def derivation(self, record: GleifRecord) -> str:
        """The claim's evidence: the file's records (one node per file, written the first
        time) and the record's own place in the file."""
        if self.evidence is None:
            self.evidence = _iri(records_evidence(self.doc_iri))
            selector = _iri(records_selector(self.doc_iri))
            if record.pointer is not None:
                what = (
                    "a oa:FragmentSelector ; "
                    f"dcterms:conformsTo <{JSON_POINTER}> ; rdf:value {_text(ALL_RECORDS)}"
                )
            else:
                what = f"a oa:XPathSelector ; rdf:value {_text(records_xpath(str(record.xpath)))}"
            self.out.write(
                f"\n{self.evidence} a oa:SpecificResource ; oa:hasSource {self.doc} ;\n"
                f"    oa:hasSelector {selector} .\n{selector} {what} .\n"
            )
        return (
            f"    prov:wasDerivedFrom {self.evidence} ;\n    akg:sourceRecord {_text(record.where)}"
        )

    def period(self, kind: str, begin: dt.date | None, finish: dt.date | None) -> str:
        """The node of an accounting or filing period, written the first time."""
        node = self.periods.get((kind, begin, finish))
        if node is None:
            node = self.periods[kind, begin, finish] = _iri(period_iri(kind, begin, finish))
            parts = [f"{node} a akg:Period", f"akg:periodType {_code(kind)}"]
            if begin:
                parts.append(f"akg:periodStart {_date_literal(begin)}")
            if finish:
                parts.append(f"akg:periodEnd {_date_literal(finish)}")
            self.out.write("\n" + " ; ".join(parts) + " .\n")
        return node

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
        node = self.entity(lei, key=key)
        if level1:
            self.entities.discard(key)  # each LEI once: no need to remember it
            self.level1 += 1
        lines: list[str] = []
        if legal:
            if not level1:
                self.named[key] = str(legal)
            lines.append(f"rdfs:label {_text(str(legal))}")
            lines.append(f"skos:prefLabel {_text(str(legal))}@en")
        for other in other_names(entity):
            if other != legal:
                lines.append(f"skos:altLabel {_text(other)}")
        authority = entity.get("RegistrationAuthority") or {}
        ra, number = (
            authority.get("RegistrationAuthorityID"),
            authority.get("RegistrationAuthorityEntityID"),
        )
        if ra and number:
            lines.append(f"dcterms:identifier {_text(f'{ra}:{number}')}")
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
        data = record.data
        rel = data.get("Relationship") or {}
        registration = data.get("Registration") or {}
        kind = rel.get("RelationshipType", "")
        start, end = rel.get("StartNode") or {}, rel.get("EndNode") or {}
        child_lei, parent_lei = str(start.get("NodeID", "")), str(end.get("NodeID", ""))
        if kind not in _CONSOLIDATION:
            where = f"{child_lei} {kind} {parent_lei}".strip()
            why = f"relationship type {kind or '(none)'} is not a consolidation relation"
            self.skip(record, why, where)
            return
        status = registration.get("RegistrationStatus", "")
        why = ""
        if status in REJECTED_REGISTRATION:
            why = f"registration status {status}: GLEIF withdrew the record"
        elif (
            not child_lei
            or not parent_lei
            or start.get("NodeIDType", "LEI") != "LEI"
            or end.get("NodeIDType", "LEI") != "LEI"
        ):
            why = "a node is not identified by an LEI"
        elif not _LEI.match(child_lei) or not _LEI.match(parent_lei):
            why = "the LEI is not 20 letters and digits"
        periods = rel.get("RelationshipPeriods") or []
        try:
            dates = [(p, _day(p.get("StartDate")), _day(p.get("EndDate"))) for p in periods]
        except (ValueError, AttributeError, TypeError):
            why = why or "a relationship period's date is not a date (YYYY-MM-DD)"
        if why:
            self.skip(record, why, f"{child_lei} {kind} {parent_lei}".strip())
            return
        full = fingerprint(rel)
        digest = full[:6].hex()
        direct = kind == DIRECT
        stem = f"{self.claim_stem}{child_lei}-{'direct' if direct else 'ultimate'}-{parent_lei}-"
        claim = f"{stem}{digest}>"
        content = int.from_bytes(full[:8], "big")
        if content in self.claims:
            self.out.write(f"{claim} akg:sourceRecord {_text(record.where)} .\n")
            self.report.notes.append(
                f"{record.where} repeats an earlier relationship: one claim derived from both"
            )
            return
        self.claims.add(content)
        updated = int(_NOT_DIGIT.sub("", str(registration.get("LastUpdateDate", "")))[:17] or 0)
        child_key, parent_key = int(child_lei, 36), int(parent_lei, 36)
        pair = (child_key << 105) | (parent_key << 1) | direct
        mine = updated * 2**48 + int(digest, 16)
        earlier = self.pairs.get(pair)
        if earlier is not None:
            old = f"{stem}{earlier % 2**48:012x}>"
            newer, older = (claim, old) if updated >= earlier // 2**48 else (old, claim)
            self.superseded.append((newer, older))
        if earlier is None or updated >= earlier // 2**48:
            self.pairs[pair] = mine
        entities = self.entities
        for lei, key in ((child_lei, child_key), (parent_lei, parent_key)):
            if key not in entities:
                self.entity(lei, key=key)
        kg_lei, named = self.kg_lei, self.named
        label = (
            f"{named.get(child_key) or 'LEI ' + child_lei} is "
            f"{'directly' if direct else 'ultimately'} consolidated by "
            f"{named.get(parent_key) or 'LEI ' + parent_lei}"
        )
        lines = [
            f"\n{claim} a akg:ConsolidationRelation ;\n    akg:child {kg_lei}{child_lei}> ;\n"
            f"    akg:parent {kg_lei}{parent_lei}> ;\n"
            f"    akg:consolidationKind akg:{_KIND[direct]} ;\n    akg:status akg:OfficialStatement"
        ]
        sources = registration.get("ValidationSources")
        if sources:
            lines.append(f"akg:sourceType {_code(str(sources))}")
        if status:
            lines.append(f"akg:registrationStatus {_code(str(status))}")
        lines.append(f"rdfs:label {_text(label)}")
        for period, begin, finish in dates:
            if period.get("PeriodType") == "RELATIONSHIP_PERIOD":
                if begin:
                    lines.append(f"akg:validFrom {_date_literal(begin)}")
                if finish:
                    lines.append(f"akg:validTo {_end_literal(finish)}")
            else:
                kind = str(period.get("PeriodType") or "UNKNOWN")
                lines.append(f"akg:period {self.period(kind, begin, finish)}")
        for qualifier in rel.get("RelationshipQualifiers") or ():
            if qualifier.get("QualifierDimension") == "ACCOUNTING_STANDARD" and qualifier.get(
                "QualifierCategory"
            ):
                lines.append(f"akg:accountingStandard {_code(str(qualifier['QualifierCategory']))}")
        for quantifier in rel.get("RelationshipQuantifiers") or ():
            if quantifier.get("QuantifierUnits") == "PERCENTAGE" and quantifier.get(
                "QuantifierAmount"
            ):
                amount = to_decimal(quantifier["QuantifierAmount"])
                if 0 <= amount <= 100:
                    lines.append(f'akg:consolidationPercentage "{amount}"^^xsd:decimal')
        if rel.get("RelationshipStatus") == "INACTIVE":
            lines.append('rdfs:comment "GLEIF marks the relationship inactive: it has ended."')
        lines.append(self.derivation(record).lstrip() + " .\n")
        self.out.write(" ;\n    ".join(lines))
        self.relationships += 1

    def exception(self, record: GleifRecord) -> None:
        data = record.data
        lei, category = str(data.get("LEI", "")), data.get("ExceptionCategory", "")
        reason = data.get("ExceptionReason", "")
        if isinstance(reason, list):
            reason = " ".join(reason)
        direct = EXCEPTION_CATEGORIES.get(category)
        if direct is None or not reason:
            self.skip(
                record, f"reporting exception of unknown category {category or '(none)'}", lei
            )
            return
        if not _LEI.match(lei):
            self.skip(record, "the LEI is not 20 letters and digits", lei)
            return
        which = "direct" if direct else "ultimate"
        claim = _iri(f"{CLAIM}gleif/{lei}-exception-{which}-{iri_part(str(reason).lower())}")
        if claim in self.exceptions:
            self.out.write(f"{claim} akg:sourceRecord {_text(record.where)} .\n")
            self.report.notes.append(
                f"{record.where}: same exception as an earlier one; one claim, two derivations"
            )
            return
        self.exceptions.add(claim)
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
        self.report.claims["ConsolidationRelation"] += self.relationships


_NOT_DIGIT = re.compile(r"\D")


def write_gleif(source: Path | str, out: IO[str], report: ImportReport) -> None:
    """Convert the GLEIF file ``source`` to Turtle written to ``out``, record by record."""
    source = Path(source)
    writer = _Writer(out, source, report)
    handlers = {
        "lei": writer.lei_record,
        "relationship": writer.relationship,
        "exception": writer.exception,
    }
    read = 0
    threshold = gc.get_threshold()
    # A record makes a few dozen short-lived dicts and no reference cycles: collecting the
    # young generation every 700 allocations is wasted work (about 4% of the time).
    gc.set_threshold(max(threshold[0], 100_000), *threshold[1:])
    try:
        for record in iter_gleif(source):
            read += 1
            handlers[record.kind](record)
    finally:
        gc.set_threshold(*threshold)
        report.read += read
    writer.finish()


_ = AKG  # the terms written above are akg: terms of ontology/imports.ttl
