"""Source documents: what the graph says of each (title, publisher, date) and its local copy.

The graph keeps a document's metadata and the SHA-256 of its text, never the text. The text
is read at request time from the local ``shared/`` folder (``briefs/``, ``articles/`` or
``seed/``) and shown only to the person running the tool, with the evidence spans highlighted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from automaker_kg import paths
from automaker_kg.errors import InputError
from automaker_kg.graphstore import GraphStore, Source
from automaker_kg.namespaces import sparql_prologue

__all__ = ["DOC_NS", "Document", "documents", "local_text", "short_id"]

#: Where the project's document IRIs live: ``doc:<id>``.
DOC_NS = "https://w3id.org/automaker-kg/id/document/"

_DOCUMENTS_QUERY = (
    sparql_prologue()
    + """
SELECT ?doc ?title ?publisher ?publisherName ?date ?precision ?file ?sha ?url WHERE {
  ?doc a akg:SourceDocument .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:publisher ?publisher
             OPTIONAL { ?publisher rdfs:label ?publisherName } }
  OPTIONAL { ?doc dcterms:date ?date }
  OPTIONAL { ?doc akg:datePrecision ?precision }
  OPTIONAL { ?doc akg:fileName ?file }
  OPTIONAL { ?doc dcterms:identifier ?sha FILTER(STRSTARTS(STR(?sha), "sha256:")) }
  OPTIONAL { ?doc schema:url ?address }
  OPTIONAL { ?doc dcterms:source ?report }
  BIND (COALESCE(?report, ?address) AS ?url)
}
"""
)

_PRECISION = {"unitYear": 4, "unitMonth": 7}


@dataclass(frozen=True)
class Document:
    """One source document as the graph describes it."""

    iri: str
    title: str
    publisher: str
    date: str | None  #: ISO date, cut to the stated precision (2023, 2023-06, 2023-06-01)
    file: str | None  #: the local file's name
    sha256: str | None
    url: str | None  #: the report's address (dcterms:source of a brief, else schema:url)

    @property
    def short(self) -> str:
        """``doc:kyodo-2023-02-06``."""
        return f"doc:{short_id(self.iri)}" if self.iri.startswith(DOC_NS) else self.iri

    def as_dict(self) -> dict[str, Any]:
        """The fields a view page carries (plain JSON)."""
        return {
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "id": short_id(self.iri) if self.iri.startswith(DOC_NS) else None,
            "short": self.short,
        }


def short_id(iri: str) -> str:
    """The local part of a document IRI (the ``<id>`` of ``/documents/<id>``).

    >>> short_id("https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06")
    'kyodo-2023-02-06'
    """
    return iri[len(DOC_NS) :] if iri.startswith(DOC_NS) else iri.rsplit("/", 1)[-1]


def _rows(source: Source) -> list[dict[str, str]]:
    if isinstance(source, GraphStore):
        answer = source.query(_DOCUMENTS_QUERY, use_default_graph_as_union=True)
        names = [v.value for v in answer.variables]
        return [
            {n: s[n].value for n in names if s[n] is not None}
            for s in answer  # type: ignore[union-attr]
        ]
    from rdflib.query import ResultRow

    return [
        {str(k): str(v) for k, v in row.asdict().items() if v is not None}
        for row in source.query(_DOCUMENTS_QUERY)
        if isinstance(row, ResultRow)  # a SELECT's rows (the type admits triples and bools)
    ]


def documents(source: Source) -> dict[str, Document]:
    """Every source document of ``source`` (rdflib graph or pyoxigraph store), by IRI."""
    found: dict[str, Document] = {}
    for row in sorted(_rows(source), key=lambda r: sorted(r.items())):
        iri = row["doc"]
        if iri in found:
            continue
        date = row.get("date")
        precision = row.get("precision", "").rsplit("#", 1)[-1]
        if date and precision in _PRECISION:
            date = date[: _PRECISION[precision]]
        publisher = row.get("publisherName") or short_id(row.get("publisher", "")) or "unknown"
        found[iri] = Document(
            iri=iri,
            title=row.get("title") or short_id(iri),
            publisher=publisher,
            date=date,
            file=row.get("file"),
            sha256=row["sha"][len("sha256:") :] if "sha" in row else None,
            url=row.get("url"),
        )
    return found


def local_text(doc: Document, shared: Path | None = None) -> str:
    """The text of ``doc``'s local copy, checked against its SHA-256.

    Raises
    ------
    InputError
        when there is no local copy (no ``shared/`` folder, or no file of that name), or the
        file's SHA-256 differs from the one the graph records.
    """
    shared = shared or paths.shared_dir()
    if shared is None or not doc.file:
        raise InputError(f"no local copy of {doc.short}: no shared/ folder or no file name")
    # a brief and the stored article it replaces share a file name: the SHA-256 picks one
    candidates = [shared / f / doc.file for f in ("briefs", "articles", "seed")]
    present = [path for path in candidates if path.is_file()]
    for path in present:
        data = path.read_bytes()
        if not doc.sha256 or hashlib.sha256(data).hexdigest() == doc.sha256:
            return data.decode("utf-8")
    if present:
        raise InputError(f"the local copy of {doc.short} at {present[0]} is not the one cited")
    raise InputError(
        f"no local copy of {doc.short}: {doc.file} is in none of briefs/, articles/, seed/"
    )
