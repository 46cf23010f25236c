"""The SPARQL endpoint over real sockets, queried by real clients (SPARQLWrapper, rdflib).

Every answer is compared with the same query run on the store directly.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from automaker_kg.server import negotiate
from automaker_kg.store import open_store
from serverkit import PROJECT_PREFIXES, Served, canonical_rows, direct, http, running

MAX_ROWS = 500
LIMIT_BYTES = 16_384

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PROJECT_PREFIXES.items())
STAKES = (
    PROLOGUE
    + """
SELECT ?claim ?holder ?target ?share WHERE {
  ?claim a akg:EquityStake ; akg:holder ?holder ; akg:target ?target .
  OPTIONAL { ?claim akg:shareExact ?share }
}"""
)
CONSTRUCT = (
    PROLOGUE
    + "CONSTRUCT { ?e a akg:Automaker ; rdfs:label ?l } "
    + "WHERE { ?e a akg:Automaker ; rdfs:label ?l }"
)
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?b . ?c ?p2 ?d . ?e ?p3 ?f . ?g ?p4 ?h . "
    "?i ?p5 ?j . ?k ?p6 ?l }"
)


@pytest.fixture(scope="module")
def store(built_store: Path) -> ox.Store:
    return open_store(built_store)


@pytest.fixture(scope="module")
def served(store: ox.Store) -> Iterator[Served]:
    with running(
        store, timeout=3.0, max_rows=MAX_ROWS, max_request_bytes=LIMIT_BYTES, workers=2
    ) as served:
        yield served


def wrapper(served: Served, query: str, fmt: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(served.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_select_json_equals_the_store(served: Served, store: ox.Store) -> None:
    """A SELECT through SPARQLWrapper (JSON) gives the rows the store gives."""
    data = wrapper(served, STAKES).query().convert()
    names = data["head"]["vars"]
    got = sorted(
        tuple(json.dumps(b.get(n), sort_keys=True) for n in names)
        for b in data["results"]["bindings"]
    )
    solutions = store.query(STAKES, use_default_graph_as_union=True)
    expected_body = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    del solutions
    expected = json.loads(expected_body)
    want = sorted(
        tuple(json.dumps(b.get(n), sort_keys=True) for n in names)
        for b in expected["results"]["bindings"]
    )
    assert got == want
    assert len(got) > 5


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_sparqlwrapper_other_result_formats(served: Served, store: ox.Store, fmt: str) -> None:
    """XML, CSV and TSV answers carry the same rows (read back by Oxigraph where it can)."""
    result = wrapper(served, STAKES, fmt).query()
    body = result.response.read()
    expected = canonical_rows(direct(store, STAKES))
    if fmt == CSV:
        assert result.response.headers.get_content_type() == "text/csv"
        assert len(body.decode().strip().splitlines()) == len(expected) + 1
        return
    results_format = {XML: ox.QueryResultsFormat.XML, TSV: ox.QueryResultsFormat.TSV}[fmt]
    assert canonical_rows(ox.parse_query_results(body, format=results_format)) == expected


def test_ask(served: Served) -> None:
    """ASK answers a SPARQL JSON boolean."""
    assert wrapper(served, PROLOGUE + "ASK { ?x a akg:Automaker }").query().convert() == {
        "head": {},
        "boolean": True,
    }
    assert wrapper(served, "ASK { <http://nothing/x> ?p ?o }").query().convert()["boolean"] is False


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats_are_isomorphic_to_the_store(
    served: Served, store: ox.Store, accept: str, rdflib_format: str
) -> None:
    """CONSTRUCT in Turtle, N-Triples, JSON-LD and RDF/XML gives the store's graph."""
    url = served.endpoint + "?" + urllib.parse.urlencode({"query": CONSTRUCT})
    reply = http(url, Accept=accept)
    assert reply.status == 200, reply.text
    assert reply.headers["Content-Type"].startswith(accept)
    got = rdflib.Graph().parse(data=reply.body, format=rdflib_format)
    nt = ox.serialize(direct(store, CONSTRUCT), format=ox.RdfFormat.N_TRIPLES)
    want = rdflib.Graph().parse(data=nt, format="nt")
    assert len(want) > 3
    assert isomorphic(got, want)


def test_rdflib_sparqlstore_reads_the_endpoint(served: Served, store: ox.Store) -> None:
    """rdflib's SPARQLStore (a Graph backed by the endpoint) gets the store's answers."""
    graph = rdflib.Graph(SPARQLStore(served.endpoint, returnFormat="json"))
    rows = graph.query(STAKES)
    got = sorted(tuple("" if v is None else v.n3() for v in row) for row in rows)
    want = canonical_rows(direct(store, STAKES))
    assert got == want


def test_post_form_and_sparql_query_bodies(served: Served, store: ox.Store) -> None:
    """POST form-encoded and POST application/sparql-query answer like GET."""
    want = canonical_rows(direct(store, STAKES))
    form = urllib.parse.urlencode({"query": STAKES}).encode()
    for body, ctype in (
        (form, "application/x-www-form-urlencoded"),
        (STAKES.encode(), "application/sparql-query"),
    ):
        reply = http(
            served.endpoint, data=body, Content_Type=ctype, Accept="text/tab-separated-values"
        )
        assert reply.status == 200, reply.text
        tsv = ox.QueryResultsFormat.TSV
        assert canonical_rows(ox.parse_query_results(reply.body, format=tsv)) == want


def test_service_description(served: Served, store: ox.Store) -> None:
    """Without a query, /sparql describes itself (SPARQL 1.1 Service Description, Turtle)."""
    reply = http(served.endpoint, Accept="text/turtle")
    assert reply.status == 200
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(predicate=rdflib.RDF.type, object=sd.Service)
    assert graph.value(service, sd.endpoint) == rdflib.URIRef(served.endpoint)
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    names = {str(o) for o in graph.objects(None, sd.name)}
    assert names == {g.value for g in store.named_graphs()}


def test_malformed_query_is_400_with_the_parser_message(served: Served) -> None:
    """A query that does not parse answers 400 and says where."""
    with pytest.raises(QueryBadFormed, match="error at 1:"):
        wrapper(served, "SELECT ?x WHERE { ?x ").query()
    reply = http(served.endpoint + "?query=" + urllib.parse.quote("SELEKT * {}"))
    assert reply.status == 400 and "error at 1:1" in reply.text


def count_quads(store_path: Path) -> int:
    return len(open_store(store_path))


@pytest.mark.parametrize(
    ("how"),
    ["get-update", "post-form-update", "post-sparql-update", "update-as-query", "put"],
)
def test_updates_are_refused_and_change_nothing(
    served: Served, built_store: Path, store: ox.Store, how: str
) -> None:
    """Every way of sending an update answers 4xx, and the data stays as it was."""
    update = "INSERT DATA { <http://example.org/x> <http://example.org/p> 'x' }"
    before = count_quads(built_store)
    ask = "ASK { <http://example.org/x> ?p ?o }"
    if how == "get-update":
        reply = http(served.endpoint + "?" + urllib.parse.urlencode({"update": update}))
    elif how == "post-form-update":
        body = urllib.parse.urlencode({"update": update}).encode()
        reply = http(served.endpoint, data=body, Content_Type="application/x-www-form-urlencoded")
    elif how == "post-sparql-update":
        reply = http(
            served.endpoint, data=update.encode(), Content_Type="application/sparql-update"
        )
    elif how == "update-as-query":
        reply = http(served.endpoint, data=update.encode(), Content_Type="application/sparql-query")
    else:
        reply = http(
            served.endpoint, data=b"<a:a> <a:b> <a:c> .", method="PUT", Content_Type="text/turtle"
        )
    assert 400 <= reply.status < 500, reply.text
    assert count_quads(built_store) == before
    assert wrapper(served, ask).query().convert()["boolean"] is False


def test_service_is_refused(served: Served) -> None:
    """A federated query answers 403 and the server makes no outbound request."""
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    reply = http(served.endpoint + "?" + urllib.parse.urlencode({"query": query}))
    assert reply.status == 403
    assert "SERVICE" in reply.text
    # the word inside a string is fine
    harmless = "SELECT ?x WHERE { BIND ('SERVICE <http://x> {}' AS ?x) }"
    assert http(served.endpoint + "?" + urllib.parse.urlencode({"query": harmless})).status == 200


def test_row_cap_cuts_and_says_so(served: Served, store: ox.Store) -> None:
    """An answer longer than max_rows is cut to max_rows rows and marked truncated."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert len(list(direct(store, query))) > MAX_ROWS
    reply = http(served.endpoint + "?" + urllib.parse.urlencode({"query": query}))
    assert reply.status == 200
    assert reply.headers["X-Result-Truncated"] == "true"
    assert len(json.loads(reply.body)["results"]["bindings"]) == MAX_ROWS
    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    reply = http(
        served.endpoint + "?" + urllib.parse.urlencode({"query": construct}),
        Accept="application/n-triples",
    )
    assert len(reply.body.decode().strip().splitlines()) == MAX_ROWS
    small = http(served.endpoint + "?" + urllib.parse.urlencode({"query": STAKES}))
    assert "X-Result-Truncated" not in small.headers


def test_request_size_cap(served: Served) -> None:
    """A body over the cap answers 413, a URL over the cap 414; just under still works."""
    padding = "#" + "x" * LIMIT_BYTES + "\n"
    big = (padding + "ASK {}").encode()
    reply = http(served.endpoint, data=big, Content_Type="application/sparql-query")
    assert reply.status == 413
    reply = http(served.endpoint + "?" + urllib.parse.urlencode({"query": padding + "ASK {}"}))
    assert reply.status == 414
    fits = ("#" + "x" * (LIMIT_BYTES - 100) + "\nASK {}").encode()
    assert http(served.endpoint, data=fits, Content_Type="application/sparql-query").status == 200


def test_no_cors_headers_by_default(served: Served) -> None:
    """Without ``--cors`` no page of another origin may read answers: no CORS headers."""
    reply = http(served.endpoint + "?query=ASK%7B%7D")
    assert reply.status == 200
    assert not any(name.lower().startswith("access-control-") for name in reply.headers)
    preflight = http(served.endpoint, method="OPTIONS", Origin="http://example.org")
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_not_acceptable(served: Served) -> None:
    """A SELECT asked for in an RDF-only format answers 406."""
    reply = http(
        served.endpoint + "?" + urllib.parse.urlencode({"query": STAKES}), Accept="text/turtle"
    )
    assert reply.status == 406


def test_runaway_query_is_stopped_while_others_are_served(served: Served, store: ox.Store) -> None:
    """A query past the time limit answers 503, its worker process is killed, and a
    concurrent fast query is answered meanwhile."""
    pool = served.app.pool
    pids_before = {w.process.pid for w in pool._workers}
    killed_before = pool.killed
    slow: dict[str, object] = {}

    def run_slow() -> None:
        url = served.endpoint + "?" + urllib.parse.urlencode({"query": RUNAWAY})
        started = time.monotonic()
        slow["reply"] = http(url)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)  # let it reach a worker
    fast = http(served.endpoint + "?" + urllib.parse.urlencode({"query": STAKES}))
    assert fast.status == 200
    assert "reply" not in slow  # the fast one was answered while the slow one ran
    got = canonical_rows(ox.parse_query_results(fast.body, format=ox.QueryResultsFormat.JSON))
    assert got == canonical_rows(direct(store, STAKES))
    thread.join(60)
    reply = slow["reply"]
    assert reply.status == 503
    assert "time limit" in reply.text
    assert pool.killed == killed_before + 1
    dead = [pid for pid in pids_before if not _alive(pid)]
    assert len(dead) == 1  # that worker is gone: the query was stopped, not abandoned
    deadline = time.monotonic() + 30
    while len(pool._workers) < pool.size and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(pool._workers) == pool.size  # and replaced
    assert http(served.endpoint + "?query=ASK%7B%7D").status == 200


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_format_parameter_overrides_accept(served: Served) -> None:
    """format=csv wins over the Accept header."""
    url = served.endpoint + "?" + urllib.parse.urlencode({"query": STAKES, "format": "csv"})
    reply = http(url, Accept="application/sparql-results+json")
    assert reply.headers["Content-Type"].startswith("text/csv")


def test_negotiate_prefers_quality() -> None:
    """Content negotiation honours q-values and wildcards."""
    assert negotiate("application/sparql-results+xml;q=0.5, text/csv") == ("csv", None)
    assert negotiate("application/*") == ("json", "turtle")  # application/x-turtle
    tabular, graph = negotiate("text/*")
    assert tabular in {"csv", "tsv", "xml"} and graph == "turtle"
    assert negotiate("image/png") == (None, None)


def test_workers_holding_the_store_in_memory_answer_as_on_disk(store: ox.Store) -> None:
    """`serve --memory`: each worker's in-memory copy gives the rows the store gives, and a
    runaway query is still stopped (its replacement worker loads its own copy)."""
    url = "?" + urllib.parse.urlencode({"query": STAKES})
    with running(store, timeout=2.0, max_rows=MAX_ROWS, workers=1, memory=True) as served:
        reply = http(served.endpoint + url)
        got = canonical_rows(ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.JSON))
        assert reply.status == 200 and got and got == canonical_rows(direct(store, STAKES))
        slow = http(served.endpoint + "?" + urllib.parse.urlencode({"query": RUNAWAY}))
        assert slow.status == 503 and served.app.pool.killed == 1
        assert http(served.endpoint + url).status == 200


def test_open_store_in_memory_is_a_full_copy(built_store: Path, store: ox.Store) -> None:
    """open_store(memory=True) holds every quad of the current generation, graphs kept."""
    copy = open_store(built_store, memory=True)
    assert len(copy) == len(store) > 1000
    assert set(copy.named_graphs()) == set(store.named_graphs())
