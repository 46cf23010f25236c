"""A parsed fact sheet compiled to RDF: entities, sources, events and claims, each claim's
evidence as character offsets into its document, every reference checked.

>>> from automaker_kg.sources.factsheet.sheet import parse_sheet
>>> sheet = parse_sheet('''
... document: {file: x.txt, title: T, publisher: p, date: 2024}
... claims:
...   - {id: c2, kind: EquityStake, status: plan, label: A will hold a fifth of B,
...      holder: a, target: b, interest: voting_rights, share_min: 20, evidence: "1.2"}
... ''', "plan.yaml")
>>> graph = compile_sheet(sheet, "One. A will hold a fifth.\\n", "sha256:" + "1" * 64, strict=False)
>>> str(graph.value(CLAIM.c2, AKG.shareMinimum)), str(graph.value(CLAIM.c2, AKG.status))
('20.0', 'https://w3id.org/automaker-kg/ontology#PlanOrExpectation')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD

from automaker_kg.errors import InputError
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
from automaker_kg.sources.documents import (
    copied_runs,
    header_paragraphs,
    original_address,
    sentence_span,
    sentences,
)
from automaker_kg.sources.factsheet.schema import (
    CLAIM_KINDS,
    COMMON_FIELDS,
    IMPLIED,
    PREFIXES,
    REF_DEFAULTS,
    SCALES,
    STATUSES,
    TEXT_FIELDS,
    Field,
    camel,
)
from automaker_kg.sources.factsheet.sheet import FieldPath, Sheet, SheetError, SheetProblem

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
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}")
        value *= SCALES[scale]
    if not value.is_finite() or value < 0:
        raise InvalidOperation(raw)
    return value


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


class Compiler:
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
        self.subjects: list[tuple[URIRef, FieldPath]] = []  # in sheet order, for the Turtle
        self.defined: dict[URIRef, FieldPath] = {}
        self.refs: list[tuple[URIRef, FieldPath]] = []
        self.spans = {(s.paragraph, s.number): s for s in sentences(text)}
        self.header = header_paragraphs(text)
        self.body = "\n".join(
            text[s.start : s.end] for s in sentences(text) if s.paragraph > self.header
        )

    # ----------------------------------------------------------------- helpers
    def fail(self, path: FieldPath, message: str) -> None:
        self.problems.append(self.sheet.problem(path, message))

    def raw(self, path: FieldPath) -> str:
        value = self.sheet.raw.get(path)
        return value if value is not None else str(self.get(path))

    def get(self, path: FieldPath) -> Any:
        node: Any = self.sheet.data
        for part in path:
            node = node[part]
        return node

    def define(self, iri: URIRef, path: FieldPath) -> None:
        if iri in self.defined:
            self.fail((*path, "id"), f"{self.qname(iri)} is defined twice in this sheet")
        self.defined[iri] = path
        self.subjects.append((iri, path))

    def qname(self, iri: URIRef) -> str:
        return self.graph.namespace_manager.normalizeUri(iri)

    def same_identity(self, iri: URIRef, kind: URIRef, label: str, path: FieldPath) -> None:
        """An entity graph/ already has keeps its type and label: facts may be added."""
        before = self.described.get(iri)
        if before is None:
            return
        name = self.qname(iri)
        edit = f"changing it is an edit of {before.file}, not a fact sheet's"
        if kind not in before.types:
            types = ", ".join(sorted(self.qname(t) for t in before.types))
            self.fail((*path, "type"), f"{name} is already a {types} in {before.file}; {edit}")
        if before.labels and label not in before.labels:
            labels = ", ".join(repr(lb) for lb in sorted(before.labels))
            self.fail(
                (*path, "label"), f"{name} is already labelled {labels} in {before.file}; {edit}"
            )

    def fresh_id(self, iri: URIRef, path: FieldPath, what: str) -> None:
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

    def ref(self, value: str, default: Namespace, path: FieldPath) -> URIRef:
        if ":" in value:
            prefix, local = value.split(":", 1)
            if prefix not in PREFIXES:
                self.fail(path, f"unknown prefix {prefix!r} in {value!r}")
                return default[local]
            iri = PREFIXES[prefix][local]
        else:
            iri = default[value]
        self.refs.append((iri, path))
        return iri

    def refs_of(self, value: Any, default: Namespace, path: FieldPath) -> list[URIRef]:
        if isinstance(value, list):
            return [self.ref(v, default, (*path, i)) for i, v in enumerate(value)]
        return [self.ref(value, default, path)]

    def text_literal(self, path: FieldPath, lang: str | None = None) -> Literal:
        value = self.get(path)
        if self.strict and path[-1] in TEXT_FIELDS + ("reason",):
            runs = copied_runs(value, self.body)
            if runs:
                self.fail(path, f"copies 8 words in a row from the document: {runs[0]!r}")
        return Literal(value, lang=lang) if lang else Literal(value)

    def put_date(self, subject: Any, f: Field, path: FieldPath) -> None:
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
        p: FieldPath = ("document",)
        doc = DOC[d.get("id") or Path(d["file"]).stem]
        self.define(doc, p)
        self.add(doc, RDF.type, AKG.SourceDocument)
        self.add(doc, DCTERMS.identifier, Literal(self.sha256))
        self.add(doc, DCTERMS.title, Literal(d["title"]))
        self.add(doc, DCTERMS.publisher, self.ref(d["publisher"], KG, (*p, "publisher")))
        self.put_date(doc, Field(DCTERMS.date, "date", precision=AKG.datePrecision), (*p, "date"))
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
            p: FieldPath = ("entities", i)
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
            p: FieldPath = ("sources", i)
            iri = SRC[s["id"]]
            self.fresh_id(iri, p, "source")
            self.define(iri, p)
            self.add(iri, RDF.type, AKG.UnnamedSourceGroup)
            self.add(iri, RDFS.label, Literal(s["label"]))
            if "count" in s:
                self.add(iri, AKG.sourceCount, Literal(int(s["count"])))

    def events(self) -> None:
        for i, e in enumerate(self.sheet.data.get("events", [])):
            p: FieldPath = ("events", i)
            iri = EVENT[e["id"]]
            self.fresh_id(iri, p, "event")
            self.define(iri, p)
            self.add(iri, RDF.type, AKG.Event)
            self.add(iri, RDFS.label, Literal(e["label"]))
            if "kind" in e:
                self.add(iri, AKG.eventKind, AKG[camel(e["kind"])])

    def evidence(self, claim: URIRef, doc: URIRef, value: Any, path: FieldPath) -> None:
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
            p: FieldPath = ("claims", i)
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
                    default = REF_DEFAULTS[f.kind[4:]]
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

    def kind_checks(self, c: dict[str, Any], p: FieldPath) -> None:
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

    def put_amounts(self, subject: Any, f: Field, value: Any, path: FieldPath) -> None:
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

    def _after(self, p: FieldPath, a: str, b: str) -> bool:
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
            p: FieldPath = ("skipped", i)
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
                self.fail(path, f"unknown term {self.qname(iri)} (not in this sheet or graph/)")

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
    return Compiler(sheet, text, sha256, known, strict).run()


def known_terms(graphs: Iterable[Graph]) -> set[URIRef]:
    """Every IRI typed in ``graphs``: what a sheet may refer to besides its own terms."""
    known: set[URIRef] = set()
    for graph in graphs:
        known.update(s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef))
    return known
