"""A remote SPARQL 1.1 server behind the store interface, and pushing the graph to one.

:class:`RemoteStore` answers ``.query(sparql, prefixes=..., use_default_graph_as_union=...,
substitutions=...)`` like a ``pyoxigraph.Store``, by the SPARQL 1.1 Protocol, and returns
pyoxigraph results (``QuerySolutions``, ``QueryBoolean``, or an iterator of ``Triple``),
so library queries, facts, paths and views can read from a server. A store URL names one:
``sparql+http://host:port/path`` (or ``sparql+https://``) is the endpoint
``http://host:port/path``.

:func:`push` uploads a store's graphs to a server: by the SPARQL 1.1 Graph Store HTTP
Protocol (``method="gsp"``: one ``PUT`` per named graph, which replaces that graph in one
request) or by SPARQL 1.1 Update (``method="update"``: one request of ``DROP SILENT GRAPH``
and ``INSERT DATA`` per graph, which servers that run a request as one transaction --
Fuseki, GraphDB, RDF4J, Oxigraph -- apply atomically).

Values for ``substitutions`` are written into the query as a ``VALUES`` block at the start
of the WHERE pattern, from the terms' own N-Triples form (never from raw strings).

>>> RemoteStore.from_url("sparql+http://127.0.0.1:8890/sparql").endpoint
'http://127.0.0.1:8890/sparql'
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .errors import InputError, StoreError
from .sparqlguard import bind_values

__all__ = ["RemoteStore", "PushReport", "push", "is_remote_url"]

SCHEMES = ("sparql+http:", "sparql+https:")

_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/turtle;q=0.8, application/n-triples;q=0.7, application/rdf+xml;q=0.5"
)
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_RDF = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/ntriples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def is_remote_url(value: str | os.PathLike[str]) -> bool:
    """True for ``sparql+http://...`` and ``sparql+https://...`` store names.

    >>> is_remote_url("sparql+http://localhost/sparql"), is_remote_url(".automaker-kg")
    (True, False)
    """
    return str(value).lower().startswith(SCHEMES)


class RemoteTriples:
    """The triples of a CONSTRUCT or DESCRIBE answer (an iterator, like ``QueryTriples``)."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self._triples = iter(triples)

    def __iter__(self) -> Iterator[ox.Triple]:
        return self._triples

    def __next__(self) -> ox.Triple:
        return next(self._triples)


@dataclass
class RemoteStore:
    """A SPARQL 1.1 query endpoint used like a read-only ``pyoxigraph.Store``.

    Parameters
    ----------
    endpoint
        The query endpoint's ``http(s)://`` URL.
    user, password
        Credentials (HTTP Basic or Digest, whichever the server asks for).
    timeout
        Seconds to wait for an answer.
    default_graphs
        Graph IRIs sent as ``default-graph-uri`` with every query: the server then
        answers over their merge instead of its own default graph.
    """

    endpoint: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0
    default_graphs: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_url(cls, url: str | os.PathLike[str], **kwargs: Any) -> RemoteStore:
        """The store named by ``sparql+http(s)://host/path?default-graph-uri=...``.

        A URL that went through ``pathlib.Path`` (``sparql+http:/host``) is accepted too.
        """
        text = str(url)
        if not is_remote_url(text):
            raise InputError(f"not a remote store URL (sparql+http://...): {text}")
        scheme, _, rest = text.partition(":")
        rest = "//" + rest.lstrip("/")
        parts = urllib.parse.urlsplit(scheme.split("+", 1)[1] + ":" + rest)
        params = urllib.parse.parse_qs(parts.query)
        graphs = tuple(params.pop("default-graph-uri", []))
        query = urllib.parse.urlencode(params, doseq=True)
        endpoint = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
        return cls(endpoint, default_graphs=graphs, **kwargs)

    # -- the pyoxigraph.Store surface ------------------------------------------------------
    def query(
        self,
        query: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        use_default_graph_as_union: bool = True,
        substitutions: Mapping[Any, Any] | None = None,
        default_graph: Any = None,
        named_graphs: Any = None,
        base_iri: str | None = None,
    ) -> Any:
        """Run ``query`` on the server; return pyoxigraph results.

        ``use_default_graph_as_union`` is the server's business: Virtuoso and Oxigraph
        servers answer over the union of all graphs by default, Fuseki needs
        ``tdb2:unionDefaultGraph true`` (or give ``default_graphs``).

        Raises
        ------
        SyntaxError
            when the server answers 400 (a malformed query), with the server's message.
        OSError
            when the server cannot be reached or answers another error.
        """
        text = _with_prologue(query, prefixes, base_iri)
        if substitutions:
            text = bind_values(text, {k: _term(t) for k, t in substitutions.items()})
        fields: list[tuple[str, str]] = [("query", text)]
        graphs = _graph_list(default_graph) or list(self.default_graphs)
        fields += [("default-graph-uri", g) for g in graphs]
        fields += [("named-graph-uri", g) for g in _graph_list(named_graphs)]
        body = urllib.parse.urlencode(fields).encode("utf-8")
        request = urllib.request.Request(
            self.endpoint,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
        )
        status, media, payload = self._send(request)
        if status == 400:
            raise SyntaxError(payload.decode("utf-8", "replace").strip())
        if status >= 300:
            raise OSError(f"{self.endpoint} answered {status}: {payload[:500]!r}")
        if media in _RESULTS:
            if _RESULTS[media] is ox.QueryResultsFormat.JSON and b'"bnode"' in payload:
                payload = _valid_blank_nodes(payload)
            return ox.parse_query_results(payload, format=_RESULTS[media])
        if media in _RDF:
            return RemoteTriples(ox.parse(payload, format=_RDF[media]))
        raise OSError(f"{self.endpoint} answered in an unreadable format {media!r}")

    def named_graphs(self) -> list[ox.NamedNode]:
        """The server's named graphs (those with at least one triple)."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [row["g"] for row in rows if isinstance(row["g"], ox.NamedNode)]

    def __len__(self) -> int:
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value) if rows else 0

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    # -- HTTP ------------------------------------------------------------------------------
    def _send(self, request: urllib.request.Request) -> tuple[int, str, bytes]:
        return send(request, self.user, self.password, self.timeout)


def send(
    request: urllib.request.Request, user: str | None, password: str | None, timeout: float
) -> tuple[int, str, bytes]:
    """Send ``request`` (with Basic or Digest auth when credentials are given).

    Returns the status, the media type (no parameters) and the body; an HTTP error
    status is returned, not raised. Raises OSError when the server cannot be reached.
    """
    handlers: list[Any] = []
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, request.full_url, user, password or "")
        handlers += [
            urllib.request.HTTPDigestAuthHandler(manager),
            urllib.request.HTTPBasicAuthHandler(manager),
        ]
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            media = response.headers.get_content_type()
            return response.status, media, response.read()
    except urllib.error.HTTPError as error:
        media = error.headers.get_content_type() if error.headers else "text/plain"
        return error.code, media, error.read()
    except (urllib.error.URLError, TimeoutError) as error:
        raise OSError(f"{request.full_url}: {getattr(error, 'reason', error)}") from error


def _valid_blank_nodes(payload: bytes) -> bytes:
    """Rename blank nodes whose labels are not valid (Virtuoso writes ``nodeID://b123``).

    >>> fixed = _valid_blank_nodes(b'{"head":{"vars":["b"]},"results":{"bindings":'
    ...     b'[{"b":{"type":"bnode","value":"nodeID://b1"}}]}}')
    >>> json.loads(fixed)["results"]["bindings"][0]["b"]["value"]
    'nodeID___b1'
    """
    data = json.loads(payload)

    def fix(term: dict[str, Any]) -> None:
        if term.get("type") == "bnode":
            term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", term["value"]) or "b"
        for key in ("subject", "predicate", "object"):  # RDF-star triple terms
            if isinstance(term.get("value"), dict) and key in term["value"]:
                fix(term["value"][key])

    for binding in data.get("results", {}).get("bindings", []):
        for term in binding.values():
            fix(term)
    return json.dumps(data).encode("utf-8")


def _graph_list(graphs: Any) -> list[str]:
    if graphs is None:
        return []
    if not isinstance(graphs, (list, tuple)):
        graphs = [graphs]
    return [g.value if isinstance(g, ox.NamedNode) else str(g) for g in graphs]


def _with_prologue(query: str, prefixes: Mapping[str, str] | None, base: str | None) -> str:
    lines = [f"BASE <{ox.NamedNode(base).value}>"] if base else []
    for prefix, namespace in (prefixes or {}).items():
        lines.append(f"PREFIX {prefix}: <{ox.NamedNode(str(namespace)).value}>")
    return "\n".join(lines + [query])


def _term(term: Any) -> Any:
    """A pyoxigraph IRI or literal for ``term`` (rdflib terms converted)."""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term
    if hasattr(term, "n3") and not type(term).__name__ == "BNode":
        from .terms import to_oxigraph  # an rdflib term

        return to_oxigraph(term)
    raise InputError(f"cannot bind {term!r} on a remote store (IRIs and literals only)")


# -- push ---------------------------------------------------------------------------------
@dataclass
class PushReport:
    """What :func:`push` sent: ``{graph IRI: triples}`` and the method used."""

    method: str
    graphs: dict[str, int]


def _graphs_to_push(store: Any, graph: str | None) -> dict[str, list[ox.Triple]]:
    from .namespaces import GRAPH

    if graph is not None:
        quads = store.quads_for_pattern(None, None, None, None)
        return {ox.NamedNode(graph).value: [q.triple for q in quads]}
    out: dict[str, list[ox.Triple]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        name = quad.graph_name
        key = name.value if isinstance(name, ox.NamedNode) else str(GRAPH) + "default"
        out.setdefault(key, []).append(quad.triple)
    return out


def push(
    store: Any,
    endpoint: str,
    *,
    graph: str | None = None,
    method: str = "gsp",
    user: str | None = None,
    password: str | None = None,
    timeout: float = 600.0,
    batch: int = 0,
) -> PushReport:
    """Upload ``store`` to a SPARQL server, replacing each graph it sends.

    Parameters
    ----------
    store
        A ``pyoxigraph.Store`` (the built store).
    endpoint
        ``method="gsp"``: the Graph Store Protocol URL (Fuseki ``/ds/data``, Virtuoso
        ``/sparql-graph-crud-auth``, GraphDB ``/repositories/ID/rdf-graphs/service``);
        ``method="update"``: the SPARQL Update URL (Fuseki ``/ds/update``, Virtuoso
        ``/sparql-auth``, GraphDB ``/repositories/ID/statements``).
    graph
        Put everything into this one named graph; by default each of the store's named
        graphs (one per source file) replaces the graph of the same name on the server.
    batch
        ``method="update"`` only: at most about this many triples per request (0: the whole
        push in one request, one transaction on servers that apply a request atomically).
        Servers that cap a request's size (Virtuoso: 10,000 lines of generated SQL) need
        one, e.g. 1000; the push is then atomic per request only. A blank node's triples
        always travel together, so each blank node stays one node.

    Raises
    ------
    StoreError
        when the server refuses or cannot be reached.
    """
    if method not in ("gsp", "update"):
        raise InputError(f"unknown push method {method!r}; valid: gsp, update")
    graphs = _graphs_to_push(store, graph)
    if method == "gsp":
        for name, triples in graphs.items():
            separator = "&" if "?" in endpoint else "?"
            url = f"{endpoint}{separator}{urllib.parse.urlencode({'graph': name})}"
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            request = urllib.request.Request(
                url, data=body, method="PUT", headers={"Content-Type": "text/turtle"}
            )
            _check(request, user, password, timeout, f"PUT graph <{name}>")
    else:
        if batch < 0:
            raise InputError(f"--batch must be 0 or more, not {batch}")
        operations: list[tuple[str, int]] = []
        for name, triples in graphs.items():
            operations += _update_operations(ox.NamedNode(name), triples, batch or _CHUNK)
        for number, group in enumerate(_requests(operations, batch), start=1):
            request = urllib.request.Request(
                endpoint,
                data=" ;\n".join(group).encode("utf-8"),
                method="POST",
                headers={"Content-Type": "application/sparql-update"},
            )
            _check(request, user, password, timeout, f"SPARQL Update (request {number})")
    return PushReport(method, {name: len(triples) for name, triples in graphs.items()})


def _update_operations(
    graph: ox.NamedNode, triples: list[ox.Triple], chunk: int
) -> list[tuple[str, int]]:
    """``DROP SILENT GRAPH`` then the triples, each operation with its triple count: ground
    ones by ``INSERT DATA`` in chunks, those with blank nodes by ``INSERT {...} WHERE {}``
    (some servers, Virtuoso among them, refuse blank nodes in INSERT DATA), a template per
    group of blank nodes linked to each other, so one template keeps each blank node one node.
    """

    def nt(part: list[ox.Triple]) -> str:
        return (ox.serialize(part, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")

    ground = [t for t in triples if not _has_blank(t)]
    operations = [(f"DROP SILENT GRAPH {graph}", 0)]
    for start in range(0, len(ground), chunk):
        part = ground[start : start + chunk]
        operations.append((f"INSERT DATA {{ GRAPH {graph} {{\n{nt(part)}}} }}", len(part)))
    template: list[ox.Triple] = []
    for component in _blank_components([t for t in triples if _has_blank(t)]):
        if template and len(template) + len(component) > chunk:
            operations.append(
                (f"INSERT {{ GRAPH {graph} {{\n{nt(template)}}} }} WHERE {{}}", len(template))
            )
            template = []
        template += component
    if template:
        operations.append(
            (f"INSERT {{ GRAPH {graph} {{\n{nt(template)}}} }} WHERE {{}}", len(template))
        )
    return operations


def _blank_components(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """Triples grouped so that every triple mentioning a blank node is with all the others
    that mention it (union-find over blank nodes)."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def blanks(triple: ox.Triple) -> list[str]:
        return [str(t) for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]

    for triple in triples:
        nodes = blanks(triple)
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
    groups: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        groups.setdefault(find(blanks(triple)[0]), []).append(triple)
    return list(groups.values())


def _requests(operations: list[tuple[str, int]], batch: int) -> list[list[str]]:
    """Pack operations into requests of at most about ``batch`` triples (0: one request)."""
    if batch == 0:
        return [[text for text, _ in operations]]
    requests: list[list[str]] = [[]]
    size = 0
    for text, count in operations:
        if requests[-1] and size + count > batch:
            requests.append([])
            size = 0
        requests[-1].append(text)
        size += count
    return requests


_CHUNK = 500


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _check(
    request: urllib.request.Request,
    user: str | None,
    password: str | None,
    timeout: float,
    what: str,
) -> None:
    try:
        status, _, payload = send(request, user, password, timeout)
    except OSError as error:
        raise StoreError(f"push to {request.full_url} failed: {error}") from error
    if status >= 300:
        message = payload.decode("utf-8", "replace").strip()[:1000]
        raise StoreError(f"{what} at {request.full_url} answered {status}: {message}")
