"""What the BODS, GLEIF and Wikidata importers share: the source document, provenance, dates.

Every importer turns one file into an rdflib ``Graph`` and an :class:`ImportReport` (what was
read, which claims were made, what was rejected and why). The file itself becomes an
``akg:SourceDocument`` identified by the SHA-256 of its bytes; each claim is
``prov:wasDerivedFrom`` an ``oa:SpecificResource`` whose selector points at the record it came
from: an ``oa:FragmentSelector`` holding an RFC 6901 JSON pointer for JSON, an
``oa:XPathSelector`` holding an XPath for XML (the Web Annotation class for XPath).

>>> json_pointer(3, "recordDetails", "a/b")
'/3/recordDetails/a~1b'
>>> slug("Company Register, Delaware")
'company-register-delaware'
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, TIME, XSD

from automaker_kg.files import write_atomic
from automaker_kg.namespaces import AKG, DOC, KG, OA, SCHEMA, bind_prefixes
from automaker_kg.sources.documents import sha256_of

__all__ = [
    "ImportReport",
    "ImportResult",
    "JSON_POINTER",
    "slug",
    "iri_part",
    "json_pointer",
    "file_document",
    "add_derivation",
    "add_validity",
    "add_identifier",
    "add_country",
    "entity_iri",
    "label",
    "market_for",
    "to_decimal",
    "new_graph",
    "write_turtle",
]

JSON_POINTER = URIRef("https://www.rfc-editor.org/rfc/rfc6901")
"""What a JSON-pointer ``oa:FragmentSelector`` ``dcterms:conformsTo``."""


@dataclass
class ImportReport:
    """What one import read and made: counts per kind, skipped records with their reasons.

    Every record read is either imported (it gave the graph something) or skipped (it gave
    nothing, for the reason recorded): ``read == imported + len(skipped)``.
    """

    kind: str
    source: str
    read: int = 0
    """Statements (BODS), records (GLEIF) or result rows (Wikidata) read."""
    entities: int = 0
    claims: Counter = field(default_factory=Counter)
    """Claims made, by claim class local name (``EquityStake``, ...)."""
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """``(where, why)`` for each part of a record (an interest, a parent) not turned into a
    claim."""
    skipped: list[dict[str, str]] = field(default_factory=list)
    """One ``{"id", "where", "reason"}`` per record that gave the graph nothing."""
    notes: list[str] = field(default_factory=list)

    def reject(self, where: str, why: str) -> None:
        self.rejected.append((where, why))

    def skip(self, where: str, why: str, record_id: str | None = None) -> None:
        """Record that the record at ``where`` (its own id ``record_id``) was not imported."""
        self.skipped.append({"id": record_id or "", "where": where, "reason": why})

    @property
    def imported(self) -> int:
        """Records read that gave the graph something."""
        return self.read - len(self.skipped)

    def rejected_by_reason(self) -> Counter:
        return Counter(why for _, why in self.rejected)

    def as_json(self) -> dict:
        """The report as plain JSON data (what ``import --report FILE`` writes)."""
        return {
            "kind": self.kind,
            "source": self.source,
            "read": self.read,
            "imported": self.imported,
            "skipped": len(self.skipped),
            "entities": self.entities,
            "claims": dict(sorted(self.claims.items())),
            "skipped_records": self.skipped,
            "rejected_parts": [{"where": w, "reason": r} for w, r in self.rejected],
            "notes": self.notes,
        }

    def summary(self, max_notes: int = 12) -> str:
        """A few lines for people: read, imported, skipped by reason, claims by kind, notes."""
        lines = [
            f"{self.kind} {self.source}: {self.read} read, {self.imported} imported, "
            f"{len(self.skipped)} skipped, {self.entities} entities"
        ]
        total = sum(self.claims.values())
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.claims.items()))
        lines.append(f"  claims: {total}" + (f" ({kinds})" if kinds else ""))
        for why, n in sorted(Counter(s["reason"] for s in self.skipped).items()):
            lines.append(f"    skipped {n} x {why}")
        lines.append(f"  rejected: {len(self.rejected)}")
        for why, n in sorted(self.rejected_by_reason().items()):
            lines.append(f"    {n} x {why}")
        lines.extend(f"  note: {note}" for note in self.notes[:max_notes])
        if len(self.notes) > max_notes:
            lines.append(f"  ... and {len(self.notes) - max_notes} more notes")
        return "\n".join(lines)


@dataclass
class ImportResult:
    """The graph an import made and its report."""

    graph: Graph
    report: ImportReport


def new_graph() -> Graph:
    """An empty graph with the project's prefixes (and ``akg:`` terms of imports.ttl) bound."""
    return bind_prefixes(Graph())


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, for readable IRIs."""
    words = re.findall(r"[a-z0-9]+", text.lower().encode("ascii", "ignore").decode())
    return "-".join(words) or "x"


def iri_part(text: str) -> str:
    """``text`` percent-encoded so that it is one safe IRI path segment."""
    return quote(str(text), safe="-._~")


def json_pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON pointer from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def file_document(
    graph: Graph,
    path: Path,
    *,
    kind: str,
    title: str,
    publisher: URIRef | None = None,
    date: dt.date | None = None,
) -> URIRef:
    """Add ``path`` as an ``akg:SourceDocument`` (sha256 identifier, title, file name); return it.

    The IRI is ``doc:<kind>-<file-name-slug>-<first 12 hex digits of the sha256>``, so the same
    bytes always give the same document and a changed file a new one.
    """
    path = Path(path)
    digest = sha256_of(path)
    doc = DOC[f"{kind}-{slug(path.name)}-{digest.split(':')[1][:12]}"]
    graph.add((doc, RDF.type, AKG.SourceDocument))
    graph.add((doc, DCTERMS.identifier, Literal(digest)))
    graph.add((doc, DCTERMS.title, Literal(title)))
    graph.add((doc, AKG.fileName, Literal(path.name)))
    if publisher is not None:
        graph.add((doc, DCTERMS.publisher, publisher))
    if date is not None:
        graph.add((doc, DCTERMS.date, Literal(date, datatype=XSD.date)))
    return doc


def add_derivation(
    graph: Graph,
    claim: URIRef,
    doc: URIRef,
    *,
    pointer: str | None = None,
    xpath: str | None = None,
    identifier: str | None = None,
) -> BNode:
    """Say ``claim`` prov:wasDerivedFrom the record at ``pointer`` (JSON) or ``xpath`` (XML).

    ``identifier`` is the record's own id (a BODS statementId), kept on the selector.
    """
    if (pointer is None) == (xpath is None):
        raise ValueError("give exactly one of pointer and xpath")
    target, selector = BNode(), BNode()
    graph.add((claim, PROV.wasDerivedFrom, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, doc))
    graph.add((target, OA.hasSelector, selector))
    if pointer is not None:
        graph.add((selector, RDF.type, OA.FragmentSelector))
        graph.add((selector, DCTERMS.conformsTo, JSON_POINTER))
        graph.add((selector, RDF.value, Literal(pointer)))
    else:
        graph.add((selector, RDF.type, OA.XPathSelector))
        graph.add((selector, RDF.value, Literal(xpath)))
    if identifier is not None:
        graph.add((selector, DCTERMS.identifier, Literal(identifier)))
    return target


def add_validity(
    graph: Graph,
    claim: URIRef,
    start: dt.date | None = None,
    end: dt.date | None = None,
    precision: URIRef = TIME.unitDay,
) -> None:
    """Add akg:validFrom / akg:validTo (exclusive) with their precision."""
    if start is not None:
        graph.add((claim, AKG.validFrom, Literal(start, datatype=XSD.date)))
        graph.add((claim, AKG.validFromPrecision, precision))
    if end is not None:
        graph.add((claim, AKG.validTo, Literal(end, datatype=XSD.date)))
        graph.add((claim, AKG.validToPrecision, precision))


def add_identifier(
    graph: Graph, node: URIRef, scheme: str, value: str, name: str | None = None
) -> None:
    """Keep an identifier two ways: ``dcterms:identifier "<scheme>:<value>"`` for matching and
    ``schema:identifier [ a schema:PropertyValue ; schema:propertyID scheme ;
    schema:value value ]``.

    Schemes follow org-id.guide where one exists (``XI-LEI`` for LEIs, ``GB-COH`` ...).
    """
    graph.add((node, DCTERMS.identifier, Literal(f"{scheme}:{value}")))
    pv = BNode()
    graph.add((node, SCHEMA.identifier, pv))
    graph.add((pv, RDF.type, SCHEMA.PropertyValue))
    graph.add((pv, SCHEMA.propertyID, Literal(scheme)))
    graph.add((pv, SCHEMA.value, Literal(value)))
    if name:
        graph.add((pv, SCHEMA.name, Literal(name)))


def add_country(graph: Graph, node: URIRef, code: str) -> bool:
    """Add akg:countryCode and, when the project has that market, akg:country; True if it has."""
    code = code.strip().upper()
    graph.add((node, AKG.countryCode, Literal(code)))
    market = market_for(code)
    if market is not None:
        graph.add((node, AKG.country, market))
    return market is not None


@lru_cache(maxsize=1)
def _markets() -> dict[str, URIRef]:
    from automaker_kg.paths import ontology_dir

    taxonomy = Graph().parse(ontology_dir() / "taxonomy.ttl")
    out: dict[str, URIRef] = {}
    for market in taxonomy.subjects(RDF.type, AKG.Market):
        for notation in taxonomy.objects(market, SKOS.notation):
            out[str(notation).upper()] = URIRef(str(market))
    return out


def market_for(code: str) -> URIRef | None:
    """The market concept whose skos:notation is the ISO 3166 code ``code``, if the project has one.

    >>> str(market_for("FR"))
    'https://w3id.org/automaker-kg/id/market/france'
    >>> market_for("ZZ") is None
    True
    """
    return _markets().get(code.strip().upper())


def to_decimal(value: float | int | str) -> Decimal:
    """A JSON number as the decimal it was written as (``12.5`` -> ``Decimal('12.5')``)."""
    return Decimal(str(value))


def label(graph: Graph, node: URIRef, text: str, lang: str | None = "en") -> None:
    """Give an entity its rdfs:label (plain) and skos:prefLabel (language-tagged)."""
    graph.add((node, RDFS.label, Literal(text)))
    graph.add((node, SKOS.prefLabel, Literal(text, lang=lang)))


def entity_iri(*parts: str) -> URIRef:
    """``kg:<part>/<part>...`` with each part percent-encoded."""
    return KG["/".join(iri_part(p) for p in parts)]


def write_turtle(graph: Graph, target: Path) -> None:
    """Write ``graph`` as Turtle to ``target`` atomically (see :mod:`automaker_kg.files`)."""
    write_atomic(target, graph.serialize(format="turtle"))
