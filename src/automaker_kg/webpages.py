"""The server's HTML pages and its service description.

Pages are plain HTML without scripts (served with a Content-Security-Policy that allows
none); every value that comes from the store, the query or the request is escaped with
:func:`html.escape` on the way out.

>>> "<b>" in cell(ox.Literal("<b>bold</b>"), {})
False
"""

from __future__ import annotations

import html
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

__all__ = [
    "PAGE_CSP",
    "SD_PREFIXES",
    "PageResult",
    "bind_parameters",
    "cell",
    "index_page",
    "library_queries",
    "media_type",
    "page_result",
    "project_prefixes",
    "query_body",
    "query_page",
    "service_description",
]

PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"

SD = "http://www.w3.org/ns/sparql-service-description#"
SD_PREFIXES = {
    "sd": SD,
    "formats": "http://www.w3.org/ns/formats/",
    "dcterms": "http://purl.org/dc/terms/",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; max-width: 80rem; }
textarea { width: 100%; font-family: ui-monospace, monospace; font-size: 0.9rem; }
table { border-collapse: collapse; margin-top: 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.error { color: #a00; white-space: pre-wrap; font-family: ui-monospace, monospace; }
.meta { color: #555; }
label { margin-right: 1rem; }
"""


def project_prefixes() -> dict[str, str]:
    """The project's prefix table as ``{prefix: namespace IRI}``."""
    from .namespaces import PREFIXES

    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


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
        triples = ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES) if outcome.body else []
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


def _short(iri: str, prefixes: dict[str, str]) -> str:
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")) and len(iri) > len(ns):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else f"<{iri}>"


def cell(term: Any, prefixes: dict[str, str]) -> str:
    """One table cell's HTML for an RDF term (escaped).

    >>> cell(ox.NamedNode("https://w3id.org/automaker-kg/id/Nissan"),
    ...      {"kg": "https://w3id.org/automaker-kg/id/"})
    'kg:Nissan'
    >>> cell(ox.Literal("a & b", language="en"), {})
    'a &amp; b<span class="meta">@en</span>'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return html.escape(_short(term.value, prefixes))
    if isinstance(term, ox.BlankNode):
        return html.escape(f"_:{term.value}")
    if isinstance(term, ox.Literal):
        text = html.escape(term.value)
        if term.language:
            return text + f'<span class="meta">@{html.escape(term.language)}</span>'
        if term.datatype.value != _XSD_STRING:
            short = html.escape(_short(term.datatype.value, {**prefixes, "xsd": _XSD_NS}))
            return text + f'<span class="meta">^^{short}</span>'
        return text
    return html.escape(str(term))


_XSD_NS = "http://www.w3.org/2001/XMLSchema#"


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def index_page(views: list[str], library: list[Any]) -> str:
    """The root page: links to the views, the query page, the library and the endpoint."""
    e = html.escape
    parts = [
        "<h1>automaker-kg</h1>",
        '<p><a href="/query">Query page</a> · <a href="/sparql">SPARQL endpoint</a> '
        "(service description; query it with any SPARQL 1.1 client)</p>",
        "<h2>Views</h2>",
    ]
    if views:
        items = "".join(f'<li><a href="/views/{e(_url_path(v))}">{e(v)}</a></li>' for v in views)
        parts.append(f'<ul id="views">{items}</ul>')
    else:
        parts.append(
            '<p class="meta">No views are served (start with <code>--site DIR</code> '
            "after rendering them).</p>"
        )
    parts.append("<h2>Query library</h2>")
    items = "".join(
        f'<li><a href="/query?library={e(_url_query(q.name))}">{e(q.title)}</a> '
        f'<span class="meta">({e(q.name)})</span> — {e(q.question)}</li>'
        for q in library
    )
    parts.append(f'<ul id="library">{items}</ul>')
    return _page("automaker-kg", "".join(parts))


def _url_path(relative: str) -> str:
    from urllib.parse import quote

    return quote(relative)


def _url_query(value: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(value)


def query_page(
    library: list[Any],
    chosen: Any,
    text: str,
    params: dict[str, str],
    result: PageResult | None,
) -> str:
    """The ``/query`` page: a library picker, a text box, parameters and the answer table."""
    e = html.escape
    options = ['<option value="">(type your own query)</option>']
    for q in library:
        selected = " selected" if chosen is not None and q.name == chosen.name else ""
        options.append(f'<option value="{e(q.name)}"{selected}>{e(q.title)}</option>')
    fields = []
    if chosen is not None:
        fields.append(f'<p class="meta" id="question">{e(chosen.question)}</p>')
        for param in chosen.parameters:
            value = params.get(f"p_{param.name}", param.default or "")
            fields.append(
                f'<label>{e(param.name)} <span class="meta">({e(param.type)})</span> '
                f'<input name="p_{e(param.name)}" value="{e(value)}" '
                f'title="{e(param.description)}"></label>'
            )
    form = (
        '<form method="get" action="/query" id="query-form">'
        f'<p><label>Library <select name="library" id="library">{"".join(options)}</select>'
        '</label><button type="submit" name="load" value="1" id="load">Load</button></p>'
        f"{''.join(fields)}"
        f'<p><textarea name="query" id="query" rows="16">{e(text)}</textarea></p>'
        '<p><button type="submit" id="run">Run</button> '
        '<span class="meta">The project\'s prefixes (akg:, kg:, rdfs:, ...) are predeclared; '
        "at most the configured number of rows is shown.</span></p></form>"
    )
    return _page("automaker-kg query", "<h1>Query</h1>" + form + _result_html(result))


def _result_html(result: PageResult | None) -> str:
    if result is None:
        return ""
    e = html.escape
    if result.error is not None:
        return f'<p class="error" id="error">{e(result.error)}</p>'
    if result.boolean is not None:
        return f'<p id="boolean">{"true" if result.boolean else "false"}</p>'
    prefixes = {**project_prefixes(), "xsd": _XSD_NS}
    head = "".join(f"<th>{e(c)}</th>" for c in result.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(v, prefixes)}</td>" for v in row) + "</tr>"
        for row in result.rows
    )
    note = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    if result.truncated:
        note += " (cut at the server's row limit)"
    note += f" in {result.seconds:.3f} s"
    return (
        f'<p class="meta" id="summary">{e(note)}</p>'
        f'<table id="results"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
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
    for fmt in [*TABULAR_FORMATS.values(), *GRAPH_FORMATS.values()]:
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(fmt.iri)))
    for index, graph in enumerate(sorted(store.named_graphs(), key=str)):
        named = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, _RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), graph),
        ]
    return triples
