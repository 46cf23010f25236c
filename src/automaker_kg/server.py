"""The SPARQL endpoint and the pages: a WSGI app factory and a threaded loopback server.

``create_app(store, settings=...)`` returns a WSGI application serving

- ``/sparql`` -- the SPARQL 1.1 Protocol (query by GET, by POST form-encoded and by POST
  ``application/sparql-query``), answers by content negotiation: SPARQL JSON, XML, CSV
  and TSV for SELECT and ASK; Turtle, N-Triples, JSON-LD, N-Quads and RDF/XML for
  CONSTRUCT and DESCRIBE (``format=`` overrides the ``Accept`` header). Without a query it
  answers the SPARQL 1.1 Service Description. Every result is written by Oxigraph.
- ``/`` -- the views and the query library; ``/query`` -- a page to type or pick a query
  and see the answer as a table (CSV and JSON downloads, a permalink); ``/views/`` -- the
  views of the site folder and their files; ``/documents/<id>`` -- a source document's
  local copy with evidence spans marked; ``/static/...`` -- the pages' script and style.

Queries run on Oxigraph in worker processes (:mod:`automaker_kg.querypool`) with the
default graph as the union of the store's named graphs and the project's prefixes
predeclared. The limits, each a field of :class:`ServerSettings`:

==================  ===============================================================
read-only           updates (``update=``, ``application/sparql-update``) answer 403;
                    the workers open the store read-only
time limit          a query running past ``timeout`` seconds is stopped (its worker is
                    killed and replaced) and the client gets 503
memory limit        a query whose worker passes ``worker_memory`` bytes of address space
                    is stopped the same way: 503 "query used too much memory"
busy                a query that finds no free worker within ``queue_wait`` seconds, or
                    more than ``max_waiting`` queries waiting, answers 503 at once; every
                    503 carries ``Retry-After``
row cap             at most ``max_rows`` rows or triples; a longer answer is cut and
                    carries ``X-Result-Truncated: true``
no SERVICE          a query with a ``SERVICE`` clause answers 403 (the guard refuses
                    when in doubt), and the workers run in a network namespace of
                    their own: the server makes no outbound request
request size        a body over ``max_request_bytes`` answers 413, a longer URL 414
malformed queries   400 with Oxigraph's parser message
==================  ===============================================================

A library query sent as text (its parameters bound as :func:`automaker_kg.queries.inline`
writes them) is recognised (:mod:`automaker_kg.endpoint_cache`) and its answer kept in a
bounded cache shared by the server's threads, keyed by the query's name, its values, the
answer format and the store generation (``result_cache`` bytes; 0 turns it off).
``cross-holdings`` is answered from the reciprocal-stake index the build keeps with the
generation (:mod:`automaker_kg.reciprocal_index`), the same rows as the query's text.

CORS is off unless ``cors`` names an origin (``serve --cors ORIGIN``; ``*`` for any):
then answers carry CORS headers for it, so browser clients served there can read them.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pyoxigraph as ox

from . import children, conflicts_index, reciprocal_index, webpages
from .endpoint_cache import LibraryCall, Recognizer, ResultCache
from .errors import InputError, QueryError, QueryTimeout, StoreError
from .files import write_atomic
from .querypool import (
    GRAPH_FORMATS,
    TABULAR_FORMATS,
    Job,
    NotAcceptable,
    Outcome,
    PoolBusy,
    QueryPool,
    WorkerDied,
    default_workers,
    serialize_rows,
)
from .sparqlguard import bind_values, uses_service

__all__ = ["ServerSettings", "SparqlApp", "create_app", "make_http_server", "serve"]

log = logging.getLogger(__name__)

#: How long the background build of the conflicting-stakes index may run (then it is killed
#: and the query runs as written).
CONFLICTS_INDEX_SECONDS = 900.0

StartResponse = Callable[..., Any]

CORS = [
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type, Accept"),
    ("Access-Control-Expose-Headers", "X-Result-Truncated, X-Result-Rows"),
]

#: Media types a client may ask for, to the format names of querypool.
_TABULAR_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-quads": "nquads",
    "application/rdf+xml": "rdfxml",
}
#: ``format=`` / ``output=`` short names.
_FORMAT_NAMES = {
    **{name: ("tabular", name) for name in TABULAR_FORMATS},
    **{name: ("graph", name) for name in GRAPH_FORMATS},
    "ttl": ("graph", "turtle"),
    "nt": ("graph", "ntriples"),
    "n-triples": ("graph", "ntriples"),
    "json-ld": ("graph", "jsonld"),
    "nq": ("graph", "nquads"),
    "rdf": ("graph", "rdfxml"),
}


@dataclass(frozen=True)
class ServerSettings:
    """The endpoint's address and limits (each also a ``serve`` option).

    >>> ServerSettings().host
    '127.0.0.1'
    """

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0  #: seconds a query may run before it is stopped
    max_rows: int = 10_000  #: most rows (SELECT) or triples (CONSTRUCT) in one answer
    max_request_bytes: int = 256 * 1024  #: largest request body (and URL) accepted
    workers: int = field(default_factory=default_workers)  #: queries at once (default: cores)
    site_dir: Path | None = None  #: folder of HTML views served at /views/
    queries_dir: Path | None = None  #: the query library (default: the project's)
    memory: bool = False  #: each worker holds a copy of the store in memory (faster)
    isolate: bool = True  #: workers in a network namespace of their own (refuse to start without)
    cors: str | None = None  #: origin allowed to read answers from a browser (``*``: any)
    worker_memory: int | None = None  #: bytes per worker (None: sized to the machine; 0: none)
    queue_wait: float = 3.0  #: seconds a query may wait for a free worker
    max_waiting: int | None = None  #: queries that may wait at once (None: 32 per worker)
    result_cache: int = 64 << 20  #: bytes of library-query answers kept (0: no cache)


class SparqlApp:
    """The WSGI application; call :meth:`close` to stop its query workers."""

    def __init__(
        self,
        store: ox.Store,
        pool: QueryPool,
        settings: ServerSettings,
        tmp: Path | None,
        owner: int | None = None,
        *,
        generation: str | None = None,
        cache: ResultCache | None = None,
        reciprocal: reciprocal_index.ReciprocalIndex | None = None,
        conflicts: conflicts_index.ConflictsIndex | None = None,
    ):
        self.store, self.pool, self.settings, self._tmp = store, pool, settings, tmp
        self._owner = owner  # a lock held on the snapshot folder while it is in use
        self.prefixes = webpages.project_prefixes()
        #: what cached answers are keyed by: the generation's folder, or a name of this app's own
        self.generation = generation or f"snapshot-{uuid.uuid4().hex}"
        self.cache = cache if cache is not None else ResultCache(settings.result_cache)
        self.recognizer = Recognizer({q.name: q for q in self._library()}, prefixes=self.prefixes)
        self.reciprocal, self.conflicts = reciprocal, conflicts
        self._indexing: threading.Thread | None = None
        self._indexer: children.Child | None = None
        self._scratch: list[Path] = []

    # -- WSGI ----------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        try:
            if not self._host_allowed(environ.get("HTTP_HOST")):
                raise _HTTPError(421, "this server answers to 127.0.0.1 and localhost only")
            if method == "OPTIONS":
                return self._respond(start_response, 204, "text/plain", b"")
            if len(environ.get("QUERY_STRING", "")) > self.settings.max_request_bytes:
                return self._error(start_response, 414, "the URL is longer than the server accepts")
            if path == "/sparql":
                return self._sparql(environ, start_response)
            if method not in ("GET", "HEAD"):
                return self._error(start_response, 405, f"{method} is not allowed on {path}")
            if path == "/":
                page = webpages.index_page(self._views(), self._library())
                return self._html(start_response, page)
            if path == "/query":
                return self._query_page(environ, start_response)
            if path in ("/views", "/views/"):
                return self._html(start_response, webpages.views_page(self._views()))
            if path.startswith("/views/"):
                return self._view(path[len("/views/") :], start_response)
            if path.startswith("/static/"):
                return self._static(path[len("/static/") :], start_response)
            if path.startswith("/documents/"):
                return self._document(path[len("/documents/") :], environ, start_response)
            return self._error(start_response, 404, f"nothing at {path}")
        except _HTTPError as error:
            return self._error(start_response, error.status, error.message, error.headers)

    def _host_allowed(self, host: str | None) -> bool:
        """A server on loopback answers only requests addressed to a loopback name, so a
        web page whose own name was re-pointed at 127.0.0.1 (DNS rebinding) cannot read it.

        >>> app = SparqlApp.__new__(SparqlApp)
        >>> app.settings = ServerSettings()
        >>> [app._host_allowed(h) for h in ("127.0.0.1:8000", "localhost", "evil.example:8000")]
        [True, True, False]
        """
        if host is None or self.settings.host not in _LOOPBACK_NAMES:
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.strip("[]").lower() in _LOOPBACK_NAMES

    def index_conflicts_later(self, folder: Path, keep_in: Path | None) -> threading.Thread | None:
        """Build the conflicting-stakes index of the database at ``folder`` in a child
        process, a fresh interpreter (the whole query, with ``company`` unbound: about 30 s
        of CPU at 1M triples), while the server answers; until it is ready the query runs
        as written. The index is kept in the generation folder ``keep_in`` (when writable)
        for the next start.

        Returns the thread doing it (``None``: no ``conflicting-stakes`` in the library).
        """
        query = {q.name: q for q in self._library()}.get(conflicts_index.QUERY_NAME)
        if query is None:
            return None
        text = query.text

        if keep_in is not None and (keep_in / "CURRENT").exists() and os.access(keep_in, os.W_OK):
            out_dir = keep_in  # kept for the next start
        else:  # a read-only generation (or none): built again next start
            out_dir = Path(tempfile.mkdtemp(prefix="automaker-kg-conflicts-"))
            self._scratch.append(out_dir)
        query_file = out_dir / f".{conflicts_index.INDEX_FILE}.rq"
        write_atomic(query_file, text)
        argv = [sys.executable, "-m", "automaker_kg.conflicts_index", str(folder)]
        argv += [str(query_file), str(out_dir / conflicts_index.INDEX_FILE)]
        if self.settings.worker_memory:  # None (the pool sizes its workers): no limit here
            argv.append(str(self.settings.worker_memory))
        child = children.Child.spawn(argv, stdin=subprocess.DEVNULL)
        self._indexer = child

        def work() -> None:
            try:
                if child.finish(CONFLICTS_INDEX_SECONDS):
                    log.warning(
                        "no conflicting-stakes index: not built within %g s",
                        CONFLICTS_INDEX_SECONDS,
                    )
                elif child.returncode == 0:
                    self.conflicts = conflicts_index.read_index(out_dir, text)
                elif child.returncode != -signal.SIGKILL:  # killed by close(): nothing to say
                    log.warning(
                        "no conflicting-stakes index: its child ended with %s", child.returncode
                    )
            finally:
                query_file.unlink(missing_ok=True)

        thread = threading.Thread(target=work, name="conflicts-index", daemon=True)
        thread.start()
        self._indexing = thread
        return thread

    def indexes_ready(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds (``None``: until done) for the background index
        build of :meth:`index_conflicts_later`; ``True`` when none is still running."""
        if self._indexing is not None:
            self._indexing.join(timeout)
        return self._indexing is None or not self._indexing.is_alive()

    def close(self) -> None:
        """Stop the workers (and an index build) and remove the store snapshot, if one was made."""
        if self._indexer is not None:
            self._indexer.kill()
        self.pool.close()
        for scratch in self._scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        if self._owner is not None:
            os.close(self._owner)
            self._owner = None

    # -- /sparql -------------------------------------------------------------------------
    def _sparql(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        url_params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if method in ("GET", "HEAD"):
            params = url_params
        elif method == "POST":
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            body = self._body(environ)
            if ctype == "application/sparql-update":
                raise _HTTPError(403, "this endpoint is read-only: updates are refused")
            if ctype == "application/x-www-form-urlencoded":
                params = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            elif ctype == "application/sparql-query":
                params = {**url_params, "query": [body.decode("utf-8", "replace")]}
            else:
                raise _HTTPError(415, f"unsupported content type {ctype!r} for POST /sparql")
        else:
            raise _HTTPError(405, f"{method} is not allowed on /sparql (read-only endpoint)")
        if "update" in params:
            raise _HTTPError(403, "this endpoint is read-only: updates are refused")
        queries = params.get("query", [])
        if len(queries) > 1:
            raise _HTTPError(400, "give one query, not several")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        tabular, graph = negotiate(environ.get("HTTP_ACCEPT", ""), fmt)
        if not queries:
            return self._service_description(environ, start_response, graph)
        query = queries[0]
        if uses_service(query):
            raise _HTTPError(403, "SERVICE (federated query) is not allowed on this endpoint")
        job = Job(
            query,
            tabular=tabular,
            graph=graph,
            default_graph=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
            prefixes=self.prefixes,
        )
        outcome = self._answer(job)
        headers = [("X-Result-Rows", str(outcome.rows))]
        if outcome.truncated:
            headers.append(("X-Result-Truncated", "true"))
        return self._respond(start_response, 200, outcome.media_type, outcome.body, headers)

    def _answer(self, job: Job) -> Outcome:
        """``job``'s answer: from the cache or the cross-holdings index when it is a library
        query over the default dataset, else from a query worker."""
        if job.default_graph or job.named_graphs or not job.union_default_graph:
            return self._run(job)
        text = job.query
        if job.substitutions:
            try:
                text = bind_values(job.query, job.substitutions)
            except ValueError:
                return self._run(job)
        call = self.recognizer.match(text)
        if call is None:
            return self._run(job)
        key = (self.generation, call, (job.tabular, job.graph, self.settings.max_rows))
        outcome: Outcome | None = self.cache.get(key)
        if outcome is None:
            outcome = self._precomputed(call, job)
            if outcome is None:
                outcome = self._run(job)
            self.cache.put(key, outcome, len(outcome.body))
        return outcome

    def _precomputed(self, call: LibraryCall, job: Job) -> Outcome | None:
        """The answer from an index kept with the generation, or ``None`` (none applies)."""
        rows: list[list[str | None]] | None = None
        columns: Sequence[str] = ()
        if call.name == reciprocal_index.QUERY_NAME and self.reciprocal is not None:
            columns = reciprocal_index.COLUMNS
            rows = self.reciprocal.answer(call.value("as_of"), call.value("known_on"))
        elif call.name == conflicts_index.QUERY_NAME and self.conflicts is not None:
            columns = self.conflicts.columns
            rows = self.conflicts.answer(call.value("company"))
        if rows is None:
            return None
        if job.tabular is None:
            raise _HTTPError(406, "no acceptable format for a SELECT result")
        fmt = TABULAR_FORMATS[job.tabular]
        cap = self.settings.max_rows
        body = serialize_rows(columns, rows[:cap], fmt)
        return Outcome("select", fmt.media_type, body, min(len(rows), cap), len(rows) > cap)

    def _run(self, job: Job) -> Any:
        try:
            return self.pool.run(job)
        except (QueryTimeout, WorkerDied) as error:
            raise _HTTPError(503, str(error), retry=5) from None
        except PoolBusy as error:
            raise _HTTPError(503, f"server busy: {error}", retry=2) from None
        except NotAcceptable as error:
            raise _HTTPError(406, str(error)) from None
        except QueryError as error:
            raise _HTTPError(400, f"malformed or failing query: {error}") from None

    def _body(self, environ: dict[str, Any]) -> bytes:
        length = environ.get("CONTENT_LENGTH") or ""
        if not length.strip().isdigit():
            raise _HTTPError(411, "a POST needs a Content-Length")
        if int(length) > self.settings.max_request_bytes:
            raise _HTTPError(
                413, f"request body over the limit of {self.settings.max_request_bytes} bytes"
            )
        try:
            body: bytes = environ["wsgi.input"].read(int(length))
        except OSError:  # the client stopped sending: the socket timed out
            raise _HTTPError(408, "the request body did not arrive in time") from None
        return body

    def _service_description(
        self, environ: dict[str, Any], start_response: StartResponse, graph: str | None
    ) -> Iterable[bytes]:
        if graph is None:
            raise _HTTPError(406, "the service description is RDF; accept text/turtle")
        endpoint = ox.NamedNode(_base_url(environ) + "/sparql")
        triples = webpages.service_description(endpoint, self.store, self.settings)
        rdf = GRAPH_FORMATS[graph]
        statements: list[ox.Triple] | list[ox.Quad] = triples
        if rdf is ox.RdfFormat.N_QUADS:
            statements = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        prefixes = webpages.SD_PREFIXES if rdf is ox.RdfFormat.TURTLE else None
        body = ox.serialize(statements, format=rdf, prefixes=prefixes)
        assert body is not None  # no output file given: the bytes are returned
        return self._respond(start_response, 200, rdf.media_type, body)

    # -- pages ---------------------------------------------------------------------------
    def _library(self) -> list[Any]:
        return webpages.library_queries(self.settings.queries_dir)

    def _views(self) -> list[str]:
        site = self.settings.site_dir
        if site is None or not site.is_dir():
            return []
        return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.is_file())

    def _view(self, relative: str, start_response: StartResponse) -> Iterable[bytes]:
        site = self.settings.site_dir
        if site is None:
            raise _HTTPError(404, "no site folder is served (serve --site DIR)")
        root = site.resolve()
        name = urllib.parse.unquote(relative)
        if "\x00" in name:
            raise _HTTPError(404, f"no view {relative}")
        try:
            target = (root / name).resolve()
            found = target.is_relative_to(root) and target.is_file()
        except (OSError, ValueError):  # a name too long, or one the OS will not take
            found = False
        if not found:
            raise _HTTPError(404, f"no view {relative}")
        media = webpages.media_type(target)
        extra = (
            [("Content-Security-Policy", webpages.VIEW_CSP)]
            if media.startswith("text/html")
            else []
        )
        return self._respond(start_response, 200, media, target.read_bytes(), extra)

    def _static(self, name: str, start_response: StartResponse) -> Iterable[bytes]:
        found = webpages.static_file(name)
        if found is None:
            raise _HTTPError(404, f"no static file {name}")
        return self._respond(start_response, 200, found[1], found[0])

    def _document(
        self, ident: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        from . import documents

        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        doc = documents.documents(self.store).get(documents.DOC_NS + urllib.parse.unquote(ident))
        if doc is None:
            raise _HTTPError(404, f"no document {ident}")
        spans = webpages.parse_spans(query.get("spans", [""])[0])
        try:
            text, notice = documents.local_text(doc), None
        except InputError as error:
            text, notice = None, str(error)
        return self._html(start_response, webpages.document_page(doc, text, spans, notice))

    def _query_page(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        params = {
            k: v[0]
            for k, v in urllib.parse.parse_qs(
                environ.get("QUERY_STRING", ""), keep_blank_values=True
            ).items()
        }
        library = {q.name: q for q in self._library()}
        chosen = library.get(params.get("library", ""))
        text = params.get("query", "")
        if params.get("z"):
            try:
                text = webpages.query_from_permalink(params["z"])
            except ValueError as error:
                raise _HTTPError(400, str(error)) from error
        if chosen is not None and (params.get("load") or not text.strip()):
            text = webpages.query_body(chosen.text)
        result: webpages.PageResult | None = None
        if text.strip():
            result = self._page_result(text, chosen, params)
        download = params.get("download")
        if download in ("csv", "json") and result is not None and result.error is None:
            body = webpages.csv_bytes(result) if download == "csv" else webpages.json_bytes(result)
            media = "text/csv; charset=utf-8" if download == "csv" else "application/json"
            name = f"{chosen.name if chosen else 'query'}.{download}"
            disposition = [("Content-Disposition", f'attachment; filename="{name}"')]
            return self._respond(start_response, 200, media, body, disposition)
        page = webpages.query_page(
            list(library.values()), chosen, text, params, result, max_rows=self.settings.max_rows
        )
        return self._html(start_response, page)

    def _page_result(self, text: str, chosen: Any, params: dict[str, str]) -> webpages.PageResult:
        start = time.perf_counter()
        if uses_service(text):
            return webpages.PageResult(error="SERVICE (federated query) is not allowed here")
        try:
            substitutions = webpages.bind_parameters(self.store, chosen, params)
        except QueryError as error:
            return webpages.PageResult(error=str(error))
        except Exception as error:  # noqa: BLE001 - a bad parameter is shown on the page
            return webpages.PageResult(error=str(error))
        job = Job(
            text,
            tabular="json",
            graph="ntriples",
            substitutions=substitutions,
            prefixes=self.prefixes,
        )
        try:
            outcome = self._answer(job)
        except _HTTPError as error:
            return webpages.PageResult(error=error.message)
        return webpages.page_result(outcome, time.perf_counter() - start)

    # -- responses -----------------------------------------------------------------------
    def _respond(
        self,
        start_response: StartResponse,
        status: int,
        media_type: str,
        body: bytes,
        extra: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        headers = [("Content-Type", media_type), ("Content-Length", str(len(body)))]
        if self.settings.cors:
            headers += [("Access-Control-Allow-Origin", self.settings.cors), *CORS]
            if self.settings.cors != "*":
                headers.append(("Vary", "Origin"))
        start_response(f"{status} {_REASONS.get(status, 'Status')}", headers + (extra or []))
        return [body]

    def _html(self, start_response: StartResponse, page: str) -> list[bytes]:
        return self._respond(
            start_response,
            200,
            "text/html; charset=utf-8",
            page.encode("utf-8"),
            [("Content-Security-Policy", webpages.PAGE_CSP)],
        )

    def _error(
        self,
        start_response: StartResponse,
        status: int,
        message: str,
        headers: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        body = (message.rstrip() + "\n").encode("utf-8")
        return self._respond(start_response, status, "text/plain; charset=utf-8", body, headers)


_LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "localhost.localdomain"}


class _HTTPError(Exception):
    def __init__(self, status: int, message: str, *, retry: int | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.headers = [("Retry-After", str(retry))] if retry is not None else []


_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    408: "Request Timeout",
    411: "Length Required",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    421: "Misdirected Request",
    503: "Service Unavailable",
}


def _base_url(environ: dict[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"


def negotiate(accept: str, fmt: str | None = None) -> tuple[str | None, str | None]:
    """Pick the result format for a SELECT/ASK and for a CONSTRUCT/DESCRIBE answer.

    ``fmt`` (the ``format=`` parameter) wins over ``accept``. ``None`` means no format
    the client accepts; then a result of that kind answers 406.

    >>> negotiate("text/csv")
    ('csv', None)
    >>> negotiate("text/turtle;q=0.5, application/n-triples")
    (None, 'ntriples')
    >>> negotiate("")
    ('json', 'turtle')
    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8")
    ('json', 'turtle')
    """
    if fmt:
        kind, name = _FORMAT_NAMES.get(fmt.strip().lower(), (None, None))
        if kind is None:
            raise _HTTPError(400, f"unknown format {fmt!r}; valid: {', '.join(_FORMAT_NAMES)}")
        return (name, None) if kind == "tabular" else (None, name)
    ranges = _parse_accept(accept) or [("*/*", 1.0, 0)]
    return _best(ranges, _TABULAR_MEDIA, "json"), _best(ranges, _GRAPH_MEDIA, "turtle")


def _parse_accept(accept: str) -> list[tuple[str, float, int]]:
    ranges = []
    for order, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for piece in pieces[1:]:
            if piece.lower().startswith("q="):
                try:
                    q = float(piece[2:])
                except ValueError:
                    q = 0.0
        ranges.append((media, q, order))
    return ranges


def _best(ranges: list[tuple[str, float, int]], table: dict[str, str], default: str) -> str | None:
    best: tuple[float, int, int, str] | None = None
    for media, q, order in ranges:
        if q <= 0:
            continue
        if media in table:
            candidates = [(table[media], 2)]
        elif media == "*/*":
            candidates = [(default, 0)]
        elif media.endswith("/*"):
            major = media[:-1]
            names = [name for mt, name in table.items() if mt.startswith(major)]
            candidates = [(default if default in names else names[0], 1)] if names else []
        else:
            candidates = []
        for name, specificity in candidates:
            key = (q, specificity, -order, name)
            if best is None or key[:3] > best[:3]:
                best = key
    return None if best is None else best[3]


# -- factory and server -------------------------------------------------------------------
def create_app(
    store: ox.Store | str | os.PathLike[str],
    *,
    settings: ServerSettings | None = None,
    generation: str | os.PathLike[str] | None = None,
    cache: ResultCache | None = None,
) -> SparqlApp:
    """Build the WSGI app over ``store``.

    Parameters
    ----------
    store
        A ``pyoxigraph.Store`` (for example from :func:`automaker_kg.store.open_store`) or
        the folder of an Oxigraph database. A ``Store`` is snapshotted into a temporary
        folder (a RocksDB checkpoint: hard links, no copy, for an on-disk store; a copy for
        an in-memory one) that the query workers open read-only; :meth:`SparqlApp.close`
        removes it.
    settings
        Address and limits; default :class:`ServerSettings()`.
    generation
        The store generation folder ``store`` was opened from (a folder ``store`` names is
        its own): it keys the cached answers and its reciprocal-stake index answers
        ``cross-holdings``. Without it the index is built from the store at start and the
        answers are keyed by this app alone.
    cache
        A result cache to share with other apps (default: one of this app's own, of
        ``settings.result_cache`` bytes); answers are keyed by generation.

    Raises
    ------
    StoreError
        when the store cannot be opened or snapshotted.
    """
    settings = settings or ServerSettings()
    tmp: Path | None = None
    owner: int | None = None
    if isinstance(store, ox.Store):
        remove_stale_snapshots()
        tmp = Path(tempfile.mkdtemp(prefix=_SNAPSHOT_PREFIX))
        owner = _own(tmp)
        folder = tmp / "store"
        try:
            store.backup(str(folder))
        except RuntimeError:  # an in-memory store has no checkpoint: copy its quads
            copy = ox.Store(str(folder))
            copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
            copy.flush()
            del copy
        except OSError as error:
            shutil.rmtree(tmp, ignore_errors=True)
            os.close(owner)
            raise StoreError(f"cannot snapshot the store for serving: {error}") from error
        # From here on the app reads its snapshot only: a build may remove the generation.
        store = ox.Store.read_only(str(folder))
    else:
        folder = Path(store)
        generation = generation or folder
        try:
            store = ox.Store.read_only(str(folder))
        except OSError as error:
            raise StoreError(f"cannot open the store at {folder}: {error}") from error
    try:
        reciprocal = _reciprocal(store, generation, settings)
        conflicts = _conflicts(generation, settings)
        pool = QueryPool(
            folder,
            size=settings.workers,
            timeout=settings.timeout,
            max_rows=settings.max_rows,
            memory=settings.memory,
            isolate=settings.isolate,
            memory_limit=settings.worker_memory,
            wait=settings.queue_wait,
            max_waiting=settings.max_waiting,
        )
    except BaseException:  # SIGTERM while the workers start, too
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if owner is not None:
            os.close(owner)
        raise
    name = str(Path(generation).resolve()) if generation is not None else None
    app = SparqlApp(
        store,
        pool,
        settings,
        tmp,
        owner,
        generation=name,
        cache=cache,
        reciprocal=reciprocal,
        conflicts=conflicts,
    )
    if conflicts is None:
        app.index_conflicts_later(folder, Path(generation) if generation is not None else None)
    return app


def _conflicts(
    generation: str | os.PathLike[str] | None, settings: ServerSettings
) -> conflicts_index.ConflictsIndex | None:
    """The conflicting-stakes index kept with the generation by an earlier start, if any
    (else :meth:`SparqlApp.index_conflicts_later` builds it in the background)."""
    query = {q.name: q for q in webpages.library_queries(settings.queries_dir)}.get(
        conflicts_index.QUERY_NAME
    )
    return None if query is None else conflicts_index.read_index(generation, query.text)


def _reciprocal(
    store: ox.Store, generation: str | os.PathLike[str] | None, settings: ServerSettings
) -> reciprocal_index.ReciprocalIndex | None:
    """The cross-holdings index of the generation, or one built from ``store`` now."""
    query = {q.name: q for q in webpages.library_queries(settings.queries_dir)}.get(
        reciprocal_index.QUERY_NAME
    )
    if query is None:
        return None
    found = reciprocal_index.read_index(generation, query.text)
    if found is None:
        try:
            found = reciprocal_index.ReciprocalIndex.of_store(store, query.text)
        except (OSError, RuntimeError) as error:  # a damaged store: the workers will say so
            log.warning("no cross-holdings index: %s", error)
    return found


_SNAPSHOT_PREFIX = "automaker-kg-serve-"
_OWNER_FILE = ".owner.lock"


def _own(folder: Path) -> int:
    """Hold a lock on ``folder`` for as long as the returned descriptor stays open."""
    fd = os.open(folder / _OWNER_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def remove_stale_snapshots(parent: Path | None = None) -> list[Path]:
    """Remove the snapshot folders of servers that are gone (killed, say, by SIGKILL).

    A running server holds a lock on its folder; a folder whose lock can be taken, or
    that has no lock file, belongs to no one. Returns the folders removed.
    """
    removed = []
    for folder in Path(parent or tempfile.gettempdir()).glob(_SNAPSHOT_PREFIX + "*"):
        lock = folder / _OWNER_FILE
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
        except FileNotFoundError:
            fd = None
        except OSError:
            continue  # someone else's: leave it
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            assert fd is not None  # only a lock taken on an open file can be busy
            os.close(fd)
            continue  # in use
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
        if fd is not None:
            os.close(fd)
    return removed


class _Handler(WSGIRequestHandler):
    timeout = 15.0  # seconds a client may stay silent (idle keep-alive, half-open, slow body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        log.info("%s - %s", self.address_string(), format % args)

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:  # timed out or reset: close the connection quietly
            self.close_connection = True


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True
    max_connections = 256  # open connections served at once; more are answered 503

    def server_activate(self) -> None:
        super().server_activate()
        self._slots = threading.BoundedSemaphore(self.max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(
                    b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 2\r\n"
                    b"Content-Type: text/plain\r\nContent-Length: 34\r\n\r\n"
                    b"server busy: too many connections\n"
                )
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def make_http_server(app: SparqlApp, host: str = "127.0.0.1", port: int = 8000) -> WSGIServer:
    """A threaded HTTP server for ``app`` bound to ``host:port`` (port 0: a free one).

    Call ``serve_forever()`` on it (in a thread, for tests) and ``shutdown()`` to stop.
    """
    return make_server(host, port, app, server_class=_ThreadingServer, handler_class=_Handler)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve(
    store: ox.Store | str | os.PathLike[str],
    settings: ServerSettings | None = None,
    *,
    ready: Callable[[str], None] | None = None,
    generation: str | os.PathLike[str] | None = None,
) -> None:
    """Serve ``store`` until interrupted; ``ready`` gets the base URL once listening.

    ``generation``: the store generation folder ``store`` was opened from (see
    :func:`create_app`)."""
    settings = settings or ServerSettings()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        # SIGTERM (and SIGINT, even where a shell started us with it ignored) stops cleanly,
        # from the start: a signal while the workers start still removes the snapshot.
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, _interrupt)
    try:
        _serve(store, settings, ready, generation)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _serve(
    store: ox.Store | str | os.PathLike[str],
    settings: ServerSettings,
    ready: Callable[[str], None] | None,
    generation: str | os.PathLike[str] | None = None,
) -> None:
    try:
        app = create_app(store, settings=settings, generation=generation)
    except KeyboardInterrupt:
        return
    try:
        server = make_http_server(app, settings.host, settings.port)
    except BaseException:
        app.close()
        raise
    host, port = server.server_address[:2]
    if isinstance(host, bytes):  # typeshed allows bytes; an AF_INET/AF_INET6 server gives str
        host = host.decode()
    url = f"http://{host if ':' not in str(host) else f'[{host}]'}:{port}"
    try:
        if ready is not None:
            ready(url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()
