"""Import Wikidata Query Service results: companies, parent organisations, owners.

Reads a SPARQL 1.1 JSON results document as the Query Service returns it, bare
(``{"head": ..., "results": ...}``) or wrapped as the project's extract has it
(``{"sparql": {...}, "commons": {...}}``). One row per combination of values; the variables it
reads (others are ignored):

==================================  ==========================================================
``item``                            the company (a ``wd:Q…`` IRI); required
``itemLabel`` / ``label``           its English label
``countryCode``                     ISO 3166-1 alpha-2 code of its country (P17/P297)
``inception``                       P571
``website``                         P856, kept as ``schema:url``
``parent`` (+ ``parentLabel``)      P749 parent organisation
``owner`` / ``ownedBy`` (+ Label)   P127 owned by, with qualifiers ``proportion`` (P1107, a
                                    fraction 0–1), ``ownerStart``/``startTime`` (P580) and
                                    ``ownerEnd``/``endTime`` (P582)
==================================  ==========================================================

Decisions (each tested in ``tests/test_import_wikidata.py``):

* every item is one node ``kg:wikidata/<QID>`` with ``skos:exactMatch wd:<QID>``; items are
  ``akg:Automaker`` (the query selects car makers), organisations met only as a parent or owner
  are ``org:FormalOrganization`` (labelled ``Wikidata <QID>`` unless the results label them).
  **One label, two items** (Renault the group Q6686 and the brand Q98584518; Alfa Romeo Q26921
  and Q109129555) stay two nodes: identity is the QID, never the label. Each gets a
  ``skos:editorialNote`` naming the other item(s) and the report notes it.
* **duplicate rows** (identical in every variable) are dropped; the report counts them.
* **several values** of a single-valued fact are all kept, because the result does not say
  which one is right: Hyundai's rows give country ``DE`` and ``KR``, so the node has both
  ``akg:countryCode`` values (and ``akg:country`` where the project has the market), plus a
  ``skos:editorialNote`` flagging the conflict, and the report lists it. Several inception
  dates are kept the same way.
* the **parent organisation** (P749) is an ``akg:ParentOrganizationRelation`` claim
  (``akg:child``, ``akg:parent``), one per distinct (item, parent); Wikidata gives no share,
  so it is not an equity stake. **Several parents** (Nissan: Renault and the alliance) give
  several claims.
* **owned by** (P127) is an ``akg:EquityStake`` (``akg:interestType akg:Shareholding``), with
  ``akg:shareExact`` = 100 × proportion (no proportion: ``akg:shareUnknown true``, a stake of
  unknown size) and ``akg:validFrom``/``akg:validTo`` from the start and end qualifiers when
  present; one per distinct (item, owner, qualifiers). A proportion
  outside 0–1 is rejected.
* status: ``akg:HistoricalFact`` (Wikidata states these as facts and attributes them to no
  one). Provenance: each claim is derived from every row that supports it, by JSON pointer
  (``/sparql/results/bindings/<n>`` in the wrapped form).

>>> from automaker_kg.paths import shared_dir
>>> folder = shared_dir() / "data/wikidata-car-manufacturers"
>>> result = import_wikidata(folder / "wikidata_manufacturers.json")
>>> result.report.claims["ParentOrganizationRelation"]
18
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, CLAIM, SCHEMA, WD
from automaker_kg.sources.importing import (
    ImportReport,
    ImportResult,
    add_country,
    add_derivation,
    add_validity,
    entity_iri,
    file_document,
    json_pointer,
    label,
    new_graph,
    to_decimal,
)

__all__ = ["read_wikidata", "wikidata_to_rdf", "import_wikidata", "qid"]

_QID = re.compile(r"^https?://www\.wikidata\.org/entity/(Q[1-9][0-9]*)$")
_OWNER_VARS = ("owner", "ownedBy")
_START_VARS = ("ownerStart", "ownedByStart", "startTime")
_END_VARS = ("ownerEnd", "ownedByEnd", "endTime")


def qid(value: str) -> str | None:
    """The QID of a Wikidata entity IRI, or None.

    >>> qid("http://www.wikidata.org/entity/Q6686")
    'Q6686'
    >>> qid("http://example.org/Q1") is None
    True
    """
    match = _QID.match(value)
    return match.group(1) if match else None


def read_wikidata(path: Path | str) -> tuple[dict, str]:
    """Read SPARQL JSON results; return ``(results, pointer prefix)``.

    The prefix is ``"/sparql"`` for the wrapped form and ``""`` for the bare one, so that
    ``prefix + "/results/bindings/<n>"`` points at row n in the file. Raises ``ParseError``
    or ``InputError`` (with the file and JSON pointer) for anything else.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(str(path), f"cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(str(path), f"not JSON: {exc.msg}", line=exc.lineno) from exc
    except RecursionError:
        raise ParseError(str(path), "JSON nested too deeply to read") from None
    prefix = ""
    if isinstance(data, dict) and "sparql" in data and "results" not in data:
        data, prefix = data["sparql"], "/sparql"
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise InputError(f"{path}: {prefix or '/'}: not SPARQL JSON results (no results object)")
    bindings = data["results"].get("bindings")
    if not isinstance(bindings, list):
        raise InputError(f"{path}: {prefix}/results/bindings: must be an array")
    for index, row in enumerate(bindings):
        where = f"{prefix}/results/bindings/{index}"
        if not isinstance(row, dict):
            raise InputError(f"{path}: {where}: a row must be an object")
        for var, term in row.items():
            if (
                not isinstance(term, dict)
                or "type" not in term
                or not isinstance(term.get("value"), str)
            ):
                raise InputError(
                    f"{path}: {where}{json_pointer(var)}: a value needs 'type' and a string 'value'"
                )
    return data, prefix


def _value(row: dict, *names: str) -> str | None:
    for name in names:
        if name in row:
            return row[name]["value"]
    return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    match = re.match(r"^(-?\d{4,})-(\d\d)-(\d\d)", value)
    if not match or match.group(1).startswith("-"):
        return None
    year, month, day = (int(g) for g in match.groups())
    return dt.date(year, max(month, 1), max(day, 1))


class _Converter:
    def __init__(self, results: dict, prefix: str, source_path: Path, report: ImportReport) -> None:
        self.report = report
        self.prefix = prefix
        self.graph = new_graph()
        self.doc = file_document(
            self.graph,
            source_path,
            kind="wikidata",
            title=f"Wikidata query results: {Path(source_path).name}",
        )
        self.rows: list[tuple[str, dict]] = []
        seen: dict[str, str] = {}
        for index, row in enumerate(results["results"]["bindings"]):
            where = f"{prefix}/results/bindings/{index}"
            key = json.dumps(row, sort_keys=True)
            if key in seen:
                report.notes.append(f"{where} duplicates {seen[key]}; dropped")
                report.skip(where, "duplicates an earlier row")
                self.duplicates += 1
                continue
            seen[key] = where
            self.rows.append((where, row))
        self.labels: dict[str, str] = {}
        self.nodes: set[str] = set()

    duplicates = 0

    def node(self, q: str) -> URIRef:
        return entity_iri("wikidata", q)

    def items(self) -> None:
        by_item: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for where, row in self.rows:
            item = _value(row, "item")
            q = qid(item) if item else None
            if q is None:
                self.report.reject(where, "row without a Wikidata item")
                self.report.skip(where, "row without a Wikidata item")
                continue
            by_item[q].append((where, row))
        self.by_item = by_item
        by_label: dict[str, list[str]] = defaultdict(list)
        for q, rows in by_item.items():
            node = self.node(q)
            g = self.graph
            g.add((node, RDF.type, AKG.Automaker))
            g.add((node, SKOS.exactMatch, WD[q]))
            g.add((node, RDF.type, PROV.Organization))
            self.nodes.add(q)
            names = sorted(
                {n for _, row in rows if (n := _value(row, "itemLabel", "label")) and n != q}
            )
            name = names[0] if names else f"Wikidata {q}"
            label(g, node, name)
            for other in names[1:]:
                g.add((node, SKOS.altLabel, Literal(other, lang="en")))
            self.labels[q] = name
            by_label[name].append(q)
            codes = sorted(
                {c.strip().upper() for _, row in rows if (c := _value(row, "countryCode"))}
            )
            for code in codes:
                add_country(g, node, code)
            if len(codes) > 1:
                text = f"Wikidata rows disagree on the country ({', '.join(codes)}); all are kept."
                g.add((node, SKOS.editorialNote, Literal(text, lang="en")))
                self.report.notes.append(
                    f"{q} ({name}): conflicting countries {', '.join(codes)}; kept all, flagged"
                )
            founded = sorted({d for _, row in rows if (d := _date(_value(row, "inception")))})
            for day in founded:
                g.add((node, SCHEMA.foundingDate, Literal(day, datatype=XSD.date)))
            if len(founded) > 1:
                dates = ", ".join(d.isoformat() for d in founded)
                g.add(
                    (
                        node,
                        SKOS.editorialNote,
                        Literal(
                            f"Wikidata gives several inception dates ({dates}); all are kept.",
                            lang="en",
                        ),
                    )
                )
                self.report.notes.append(f"{q} ({name}): several inception dates {dates}; kept all")
            for site in sorted({s for _, row in rows if (s := _value(row, "website"))}):
                g.add((node, SCHEMA.url, URIRef(site)))
        for name, qids in sorted(by_label.items()):
            if len(qids) > 1:
                for q in qids:
                    others = ", ".join(o for o in qids if o != q)
                    text = f"Not the same as {others}, which Wikidata also labels {name!r}."
                    self.graph.add((self.node(q), SKOS.editorialNote, Literal(text, lang="en")))
                self.report.notes.append(
                    f"label {name!r} names {len(qids)} items "
                    f"({', '.join(sorted(qids))}); kept distinct"
                )

    def other(self, q: str, name: str | None) -> URIRef:
        node = self.node(q)
        if q not in self.nodes:
            self.nodes.add(q)
            self.graph.add((node, RDF.type, ORG.FormalOrganization))
            self.graph.add((node, RDF.type, PROV.Organization))
            self.graph.add((node, SKOS.exactMatch, WD[q]))
            self.labels[q] = name or f"Wikidata {q}"
            label(self.graph, node, self.labels[q])
        return node

    def relations(self) -> None:
        parents: dict[tuple[str, str], list[str]] = defaultdict(list)
        owners: dict[tuple[str, str, str | None, str | None, str | None], list[str]] = defaultdict(
            list
        )
        for q, rows in self.by_item.items():
            for where, row in rows:
                parent = _value(row, "parent")
                if parent:
                    pq = qid(parent)
                    if pq is None:
                        self.report.reject(where, "parent is not a Wikidata item")
                    else:
                        self.other(pq, _value(row, "parentLabel"))
                        parents[(q, pq)].append(where)
                owner = _value(row, *_OWNER_VARS)
                if owner:
                    oq = qid(owner)
                    proportion = _value(row, "proportion", "ownerProportion", "ownedByProportion")
                    if oq is None:
                        self.report.reject(where, "owner is not a Wikidata item")
                        continue
                    if proportion is not None:
                        try:
                            share = to_decimal(proportion)
                        except ArithmeticError:
                            share = None
                        if share is None or not 0 <= share <= 1:
                            self.report.reject(
                                where,
                                f"owned-by proportion {proportion!r} is not a fraction from 0 to 1",
                            )
                            continue
                    self.other(oq, _value(row, "ownerLabel", "ownedByLabel"))
                    key = (q, oq, proportion, _value(row, *_START_VARS), _value(row, *_END_VARS))
                    owners[key].append(where)
        for (q, pq), wheres in parents.items():
            claim = CLAIM[f"wikidata/{q}-parent-{pq}"]
            g = self.graph
            g.add((claim, RDF.type, AKG.ParentOrganizationRelation))
            g.add((claim, AKG.child, self.node(q)))
            g.add((claim, AKG.parent, self.node(pq)))
            g.add((claim, AKG.status, AKG.HistoricalFact))
            g.add(
                (
                    claim,
                    RDFS.label,
                    Literal(
                        f"{self.labels[pq]} is the parent organisation of {self.labels[q]} "
                        f"({q} P749 {pq})"
                    ),
                )
            )
            for where in wheres:
                add_derivation(g, claim, self.doc, pointer=where)
            self.report.claims["ParentOrganizationRelation"] += 1
        per_item = defaultdict(set)
        for q, pq in parents:
            per_item[q].add(pq)
        for q, pqs in sorted(per_item.items()):
            if len(pqs) > 1:
                self.report.notes.append(
                    f"{q} ({self.labels[q]}) has {len(pqs)} parent organisations: "
                    f"{', '.join(sorted(pqs))}"
                )
        for (q, oq, proportion, start, end), wheres in owners.items():
            digest = hashlib.sha256(repr((proportion, start, end)).encode()).hexdigest()[:8]
            claim = CLAIM[f"wikidata/{q}-owned-by-{oq}-{digest}"]
            g = self.graph
            g.add((claim, RDF.type, AKG.EquityStake))
            g.add((claim, AKG.holder, self.node(oq)))
            g.add((claim, AKG.target, self.node(q)))
            g.add((claim, AKG.interestType, AKG.Shareholding))
            g.add((claim, AKG.status, AKG.HistoricalFact))
            share_text = ""
            if proportion is not None:
                percent = (to_decimal(proportion) * 100).normalize()
                g.add((claim, AKG.shareExact, Literal(percent, datatype=XSD.decimal)))
                share_text = f" {percent:f}%"
            else:  # ownership of unknown size
                g.add((claim, AKG.shareUnknown, Literal(True)))
                g.add(
                    (
                        claim,
                        RDFS.comment,
                        Literal("Wikidata gives no proportion: its size is unknown."),
                    )
                )
            begin, finish = _date(start), _date(end)
            add_validity(g, claim, begin, finish)
            if begin or finish:
                g.add(
                    (
                        claim,
                        AKG.dateNote,
                        Literal(
                            "Dates as the Wikidata Query Service returns them; the end is "
                            "read as the first day the ownership no longer held."
                        ),
                    )
                )
            g.add(
                (
                    claim,
                    RDFS.label,
                    Literal(
                        f"{self.labels[oq]} owns{share_text} of {self.labels[q]} ({q} P127 {oq})"
                    ),
                )
            )
            for where in wheres:
                add_derivation(g, claim, self.doc, pointer=where)
            self.report.claims["EquityStake"] += 1


def wikidata_to_rdf(
    results: dict, *, source_path: Path | str, prefix: str = "", report: ImportReport | None = None
) -> Graph:
    """Convert SPARQL JSON results read from ``source_path`` to RDF (see the module docstring).

    ``prefix`` is the JSON pointer of the results object in the file (``read_wikidata`` gives it).
    """
    report = report if report is not None else ImportReport("wikidata", str(source_path))
    report.read += len(results["results"]["bindings"])
    converter = _Converter(results, prefix, Path(source_path), report)
    converter.items()
    converter.relations()
    if converter.duplicates:
        report.notes.insert(0, f"{converter.duplicates} duplicate row(s) dropped")
    report.entities += len(converter.nodes)
    return converter.graph


def import_wikidata(path: Path | str) -> ImportResult:
    """Read and convert one Wikidata results file; return the graph and the report."""
    results, prefix = read_wikidata(path)
    report = ImportReport("wikidata", str(path))
    graph = wikidata_to_rdf(results, source_path=path, prefix=prefix, report=report)
    return ImportResult(graph, report)
