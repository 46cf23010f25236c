"""The server's HTML pages (Jinja2 templates in ``templates/``) and its service description.

Pages run only scripts served by the server itself (``/static/``, the query editor bundled
from CodeMirror 6): the Content-Security-Policy allows scripts from the same origin and
nothing else, and no page loads anything from elsewhere. Every value that comes from the
store, the query or the request is escaped by the templates on the way out.

>>> "<b>" in cell(ox.Literal("<b>bold</b>"), {})
False
"""

from __future__ import annotations

import base64
import json
import mimetypes
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import pyoxigraph as ox
from markupsafe import Markup, escape

from automaker_kg import renderers
from automaker_kg.prefixes import NAMESPACES
from automaker_kg.terms import short

from .query_errors import Explained, explain

__all__ = [
    "PAGE_CSP",
    "VIEW_CSP",
    "SD_PREFIXES",
    "PageResult",
    "bind_parameters",
    "cell",
    "csv_bytes",
    "describe_href",
    "document_page",
    "index_page",
    "json_bytes",
    "library_queries",
    "media_type",
    "page_result",
    "parse_spans",
    "permalink",
    "plain",
    "project_prefixes",
    "query_body",
    "query_from_permalink",
    "query_page",
    "service_description",
    "static_file",
    "views_page",
]

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)

#: The views are self-contained pages (their script inline); they may load nothing else.
VIEW_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; form-action 'none'; base-uri 'none'"
)

SD = "http://www.w3.org/ns/sparql-service-description#"
SD_PREFIXES = {
    "sd": SD,
    "formats": "http://www.w3.org/ns/formats/",
    "dcterms": "http://purl.org/dc/terms/",
}
_XSD_NS = NAMESPACES["xsd"]
_XSD_STRING = _XSD_NS + "string"
_NUMERIC = {_XSD_NS + t for t in ("decimal", "integer", "double", "float", "int", "long")}
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DOC_NS = "https://w3id.org/automaker-kg/id/document/"
_STATIC = ("editor.js", "pages.css")

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("automaker_kg", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _render(template: str, **values: Any) -> str:
    return _ENV.get_template(template).render(**values)


def project_prefixes() -> dict[str, str]:
    """The project's prefix table as ``{prefix: namespace IRI}``."""
    from .namespaces import PREFIXES

    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


@cache
def _terms() -> dict[str, list[str]]:
    """Local names the editor completes after a prefix (the ontology's, and common ones)."""
    from .namespaces import AKG

    return {
        "akg": sorted(AKG.__annotations__),
        "rdfs": ["label", "comment", "subClassOf", "subPropertyOf", "domain", "range"],
        "rdf": ["type"],
        "skos": ["prefLabel", "altLabel", "definition", "notation"],
        "dcterms": ["title", "date", "publisher", "identifier", "language", "source"],
        "xsd": ["date", "decimal", "integer", "string", "boolean", "gYear", "dateTime"],
    }


def static_file(name: str) -> tuple[bytes, str] | None:
    """A file the pages load from ``/static/`` (bytes and media type), or None."""
    if name not in _STATIC:
        return None
    data = resources.files("automaker_kg").joinpath("static", name).read_bytes()
    return data, media_type(Path(name))


def library_queries(directory: Path | None = None) -> list[Any]:
    """The query library (``QueryDef`` objects of :mod:`automaker_kg.queries`), by name."""
    from . import queries

    return list(queries.library(directory).values())


def query_body(text: str) -> str:
    """A library query's text as shown in the page (header comments kept: they are SPARQL)."""
    return text


def bind_parameters(store: Any, query: Any, params: dict[str, str]) -> dict[str, Any]:
    """Turn the page's ``p_<name>`` fields into Oxigraph terms for ``substitutions``.

    Uses the library's own coercion (entity names resolved against ``store``); an empty
    field leaves the parameter unbound.
    """
    if query is None:
        return {}
    from . import queries

    given = {
        p.name: params[f"p_{p.name}"].strip()
        for p in query.parameters
        if params.get(f"p_{p.name}") is not None
    }
    bound = queries.bind_params(store, query, given)
    return {name: queries.to_oxigraph(term) for name, term in bound.items()}


@dataclass
class PageResult:
    """What the query page shows under the form."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    seconds: float = 0.0
    error: str | None = None


def page_result(outcome: Any, seconds: float) -> PageResult:
    """Read a worker's answer (SPARQL JSON or N-Triples) back into terms for the table."""
    if outcome.kind == "graph":
        body = outcome.body
        triples: Iterable[ox.Quad] = ox.parse(body, format=ox.RdfFormat.N_TRIPLES) if body else []
        rows = [[t.subject, t.predicate, t.object] for t in triples]
        return PageResult(
            ["subject", "predicate", "object"], rows, None, outcome.truncated, seconds
        )
    parsed = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return PageResult(boolean=bool(parsed), seconds=seconds)
    columns = [v.value for v in parsed.variables]
    rows = [[solution[c] for c in columns] for solution in parsed]
    return PageResult(columns, rows, None, outcome.truncated, seconds)


def describe_href(iri: str) -> str:
    """Where a link to ``iri`` goes: the document page, or a query of what the graph says of it.

    >>> describe_href("https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06")
    '/documents/kyodo-2023-02-06'
    """
    if iri.startswith(_DOC_NS) and "/" not in iri[len(_DOC_NS) :]:
        return "/documents/" + iri[len(_DOC_NS) :]
    text = f"SELECT ?property ?value WHERE {{ <{iri}> ?property ?value }} ORDER BY ?property"
    return "/query?" + urlencode({"query": text})


def plain(term: Any) -> str:
    """A term's plain value: the IRI, the literal's lexical form, ``_:id``; '' when unbound.

    >>> plain(ox.Literal("15", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    '15'
    """
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def cell(term: Any, prefixes: dict[str, str]) -> Markup:
    """One table cell's HTML for an RDF term (escaped): IRIs as links, literals as plain values.

    >>> str(cell(ox.NamedNode("https://w3id.org/automaker-kg/id/Nissan"),
    ...      {"kg": "https://w3id.org/automaker-kg/id/"}))[-15:]
    '">kg:Nissan</a>'
    >>> str(cell(ox.Literal("a & b", language="en"), {}))
    '<span title="language: en">a &amp; b</span>'
    >>> str(cell(ox.Literal("15", datatype=ox.NamedNode(_XSD_NS + "decimal")), {}))
    '<span class="num" title="xsd:decimal">15</span>'
    """
    if term is None:
        return Markup("")
    if isinstance(term, ox.NamedNode):
        name = short(term.value, prefixes, angle=True)
        return Markup('<a href="{}" title="{}">{}</a>').format(
            describe_href(term.value), term.value, name
        )
    if isinstance(term, ox.BlankNode):
        return escape(f"_:{term.value}")
    if isinstance(term, ox.Literal):
        if term.language:
            return Markup('<span title="language: {}">{}</span>').format(term.language, term.value)
        datatype = term.datatype.value
        if datatype != _XSD_STRING:
            name = short(datatype, {**prefixes, "xsd": _XSD_NS}, angle=True)
            kind = ' class="num"' if datatype in _NUMERIC else ""
            return Markup('<span{} title="{}">{}</span>').format(Markup(kind), name, term.value)
        return escape(term.value)
    return escape(str(term))


def index_page(views: list[str], library: list[Any]) -> str:
    """The root page: links to the views, the query page, the library and the endpoint."""
    return _render("index.html", title="automaker-kg", views=views, library=library)


def views_page(views: list[str]) -> str:
    """``/views/``: the views of the served site folder."""
    return _render("views.html", title="automaker-kg views", views=views)


def permalink(chosen: Any, text: str, params: dict[str, str]) -> str:
    """A short link that reopens the page with this query and runs it.

    A library query unchanged is named (``/query?library=NAME&p_x=...``); any other text is
    carried compressed (``/query?z=...``), so the link works without server-side state.

    >>> query_from_permalink(permalink(None, "SELECT * {}", {}).split("z=")[1])
    'SELECT * {}'
    """
    if chosen is not None and text == chosen.text:
        fields = {"library": chosen.name}
        fields.update({k: v for k, v in params.items() if k.startswith("p_") and v})
        return "/query?" + urlencode(fields)
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9))
    return "/query?" + urlencode({"z": packed.decode("ascii").rstrip("=")})


def query_from_permalink(z: str) -> str:
    """The query text a ``z=`` permalink carries; ValueError when it is damaged."""
    try:
        packed = base64.urlsafe_b64decode(z + "=" * (-len(z) % 4))
        return zlib.decompressobj().decompress(packed, 1_000_000).decode("utf-8")
    except (ValueError, zlib.error, UnicodeDecodeError) as error:
        raise ValueError(f"the permalink is damaged ({error})") from error


def _with(link: str, **extra: str) -> str:
    return link + ("&" if "?" in link else "?") + urlencode(extra)


def query_page(
    library: list[Any],
    chosen: Any,
    text: str,
    params: dict[str, str],
    result: PageResult | None,
    *,
    max_rows: int | None = None,
) -> str:
    """The ``/query`` page: the editor, the library's examples, parameters and the answer."""
    prefixes = {**project_prefixes(), "xsd": _XSD_NS}
    error: Explained | None = None
    cells: list[list[Markup]] = []
    summary = ""
    link = permalink(chosen, text, params)
    if result is not None and result.error is not None:
        error = explain(result.error, text, prefixes)
    elif result is not None:
        cells = [[cell(v, prefixes) for v in row] for row in result.rows]
        n = len(result.rows)
        summary = f"{n} row{'s' if n != 1 else ''}"
        if result.boolean is not None:
            summary = "a yes/no answer"
        if result.truncated:
            summary += " (cut at the server's row limit)"
        summary += f" in {result.seconds:.3f} s"
    return _render(
        "query.html",
        title="automaker-kg query",
        library=library,
        chosen=chosen,
        text=text,
        params=params,
        result=result,
        error=error,
        cells=cells,
        summary=summary,
        permalink=link,
        download_csv=_with(link, download="csv"),
        download_json=_with(link, download="json"),
        max_rows=max_rows if max_rows is not None else "the configured number of",
        prefix_names=", ".join(f"{p}:" for p in list(prefixes)[:6]) + ", ...",
        prefixes_json=_json_for_script(prefixes),
        terms_json=_json_for_script(_terms()),
    )


def _json_for_script(value: Any) -> Markup:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, esc)
    return Markup(text)


def csv_bytes(result: PageResult) -> bytes:
    """The answer as SPARQL 1.1 Query Results CSV (:mod:`automaker_kg.renderers`)."""
    if result.boolean is not None:
        return f"answer\r\n{'true' if result.boolean else 'false'}\r\n".encode()
    return renderers.results_csv(result.columns, result.rows).encode("utf-8")


def json_bytes(result: PageResult) -> bytes:
    """The answer in the SPARQL 1.1 Query Results JSON format (:mod:`automaker_kg.renderers`)."""
    if result.boolean is not None:
        body = {"head": {}, "boolean": result.boolean}
        return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
    return renderers.results_json(result.columns, result.rows).encode("utf-8")


def parse_spans(value: str) -> list[tuple[int, int]]:
    """``"12-40,50-61"`` -> ``[(12, 40), (50, 61)]``; malformed pieces are skipped.

    >>> parse_spans("12-40,x,50-61")
    [(12, 40), (50, 61)]
    """
    spans = []
    for piece in value.split(","):
        start, sep, end = piece.strip().partition("-")
        if sep and start.isdigit() and end.isdigit():
            spans.append((int(start), int(end)))
    return spans[:50]


def document_page(
    doc: Any, text: str | None, spans: list[tuple[int, int]], notice: str | None = None
) -> str:
    """``/documents/<id>``: a source document's local copy with the evidence spans marked.

    ``spans`` are character offsets (start inclusive, end exclusive) into ``text``; ones out
    of range or overlapping an earlier one are left out.
    """
    parts: list[tuple[str, int]] | None = None
    kept: list[tuple[int, int]] = []
    if text is not None:
        parts, at = [], 0
        for start, end in sorted(spans):
            if start < at or end > len(text) or start >= end:
                continue
            kept.append((start, end))
            parts.append((text[at:start], 0))
            parts.append((text[start:end], len(kept)))
            at = end
        parts.append((text[at:], 0))
    return _render(
        "document.html",
        title=f"{doc.title} ({doc.publisher})",
        doc=doc,
        parts=parts,
        spans=kept,
        notice=notice,
    )


def media_type(path: Path) -> str:
    """The Content-Type for a file of the site folder."""
    guessed, _ = mimetypes.guess_type(path.name)
    guessed = guessed or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript", "application/json"):
        guessed += "; charset=utf-8"
    return guessed


def service_description(endpoint: ox.NamedNode, store: Any, settings: Any) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint, as triples."""
    from .querypool import GRAPH_FORMATS, TABULAR_FORMATS

    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, _RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(
            service,
            ox.NamedNode("http://purl.org/dc/terms/description"),
            ox.Literal(
                "automaker-kg, read-only: updates and SERVICE are refused; "
                f"time limit {settings.timeout:g} s, at most {settings.max_rows} rows per answer"
            ),
        ),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _RDF_TYPE, sd("Graph")),
    ]
    formats: list[ox.QueryResultsFormat | ox.RdfFormat] = [
        *TABULAR_FORMATS.values(),
        *GRAPH_FORMATS.values(),
    ]
    for fmt in formats:
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(fmt.iri)))
    for index, graph in enumerate(sorted(store.named_graphs(), key=str)):
        named = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, _RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), graph),
        ]
    return triples
