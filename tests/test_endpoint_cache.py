"""Library queries recognised at the endpoint: the cross-holdings index and the result cache.

The index's rows are compared with the query text's own rows on the built graph for many
(as_of, known_on); the cache is checked never to answer for another generation.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automaker_kg import queries
from automaker_kg.build import build
from automaker_kg.conflicts_index import QUERY_NAME as CONFLICTS
from automaker_kg.conflicts_index import ConflictsIndex
from automaker_kg.conflicts_index import read_index as read_conflicts
from automaker_kg.endpoint_cache import LibraryCall, Recognizer, ResultCache
from automaker_kg.namespaces import sparql_prologue
from automaker_kg.querypool import default_workers
from automaker_kg.reciprocal_index import (
    COLUMNS,
    INDEX_FILE,
    QUERY_NAME,
    ReciprocalIndex,
    build_index,
    read_index,
)
from automaker_kg.server import ServerSettings, SparqlApp, create_app
from automaker_kg.store import current_generation, open_store
from conftest import ROOT, copy_seed_data
from serverkit import canonical_rows, direct

XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
#: The storyline's dates (TIME.md) and a few around them.
DATES = ["2000-01-01", "2022-12-31", "2023-02-06", "2023-07-01", "2023-07-26", "2023-11-08"]
DATES += ["2023-12-01", "2025-03-31", "2025-06-01", "9999-12-31"]


def day(text: str) -> str:
    return str(ox.Literal(text, datatype=XSD_DATE))


def library_text(name: str, params: dict[str, str], store: Any) -> str:
    """The text the benchmark and the load test send for a library query."""
    query = queries.get_query(name)
    return sparql_prologue() + queries.inline(query.text, queries.bind_params(store, query, params))


@pytest.fixture(scope="module")
def store(built_store: Path) -> ox.Store:
    return open_store(built_store)


@pytest.fixture(scope="module")
def index(store: ox.Store) -> ReciprocalIndex:
    found = ReciprocalIndex.of_store(store, queries.get_query(QUERY_NAME).text)
    assert found is not None
    return found


# -- the recogniser ---------------------------------------------------------------------
def test_every_library_query_is_recognised_with_its_values(store: ox.Store) -> None:
    """Each library query as the benchmark sends it is that query with those values."""
    recognizer = Recognizer(queries.library())
    for name, query in queries.library().items():
        bound = queries.bind_params(store, query, {})
        call = recognizer.match(library_text(name, {}, store))
        assert call is not None, name
        assert call.name == name
        assert dict(call.values) == {k: str(queries.to_oxigraph(v)) for k, v in bound.items()}


def test_layout_case_and_comments_do_not_matter(store: ox.Store) -> None:
    text = library_text(QUERY_NAME, {"as_of": "2024-01-01"}, store)
    varied = "# a comment\n" + text.replace("SELECT", "select").replace("\n", "\n  # note\n ")
    recognizer = Recognizer(queries.library())
    assert recognizer.match(varied) == recognizer.match(text) is not None
    assert recognizer.match(text.replace("?as_of", "$as_of")) == recognizer.match(text)


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("PREFIX akg: <", "PREFIX akg: <http://other.example/"),
        lambda t: "BASE <http://e/>\n" + t,
        lambda t: t.replace("?standing_ab akg:standing", "?x ?y ?z . ?standing_ab akg:standing"),
        lambda t: t.replace("AS ?as_of", "AS ?a_label"),
        lambda t: t.replace("ORDER BY ?a_label ?b_label ?interest", "ORDER BY ?a_label"),
        lambda t: t.replace('"2024-01-01"', '"2024-01-\\u0030"'),
    ],
    ids=["other prefix IRI", "base", "extra pattern", "not a parameter", "other order", "escape"],
)
def test_anything_else_is_not_a_library_call(store: ox.Store, change: Any) -> None:
    text = library_text(QUERY_NAME, {"as_of": "2024-01-01"}, store)
    changed = change(text)
    assert changed != text
    assert Recognizer(queries.library()).match(changed) is None


# -- the reciprocal-stake index ---------------------------------------------------------
def _sparql_rows(store: ox.Store, as_of: str | None, known_on: str | None) -> list[list]:
    query = queries.get_query(QUERY_NAME)
    bound = {}
    if as_of is not None:
        bound["as_of"] = ox.Literal(as_of, datatype=XSD_DATE)
    if known_on is not None:
        bound["known_on"] = ox.Literal(known_on, datatype=XSD_DATE)
    result = direct(store, queries.bind_values(query.text, bound))
    return [[None if r[c] is None else str(r[c]) for c in COLUMNS] for r in result]


def _same(store: ox.Store, index: ReciprocalIndex, as_of: str | None, known: str | None) -> None:
    expected = _sparql_rows(store, as_of, known)
    got = index.answer(None if as_of is None else day(as_of), None if known is None else day(known))
    assert got is not None
    assert sorted(map(tuple, got), key=str) == sorted(map(tuple, expected), key=str)
    assert [r[:3] for r in got] == [r[:3] for r in expected]  # ORDER BY a, b, interest


@pytest.mark.parametrize("as_of", DATES)
def test_index_rows_are_the_query_rows_on_the_storyline_dates(
    store: ox.Store, index: ReciprocalIndex, as_of: str
) -> None:
    """For every valid date and knowledge date of the storyline (and both unbound)."""
    for known in [*DATES, None]:
        _same(store, index, as_of, known)
    _same(store, index, None, "9999-12-31")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    as_of=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    known=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
)
def test_index_rows_are_the_query_rows_on_any_dates(
    store: ox.Store, index: ReciprocalIndex, as_of: dt.date, known: dt.date
) -> None:
    _same(store, index, as_of.isoformat(), known.isoformat())


_CROSSED = """
@prefix akg: <https://w3id.org/automaker-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix c: <https://example.org/claim/> .
@prefix e: <https://example.org/entity/> .
GRAPH <https://example.org/g1> {
  e:a rdfs:label "A" . e:b rdfs:label "B" . e:c rdfs:label "C" .
  akg:Shareholding skos:prefLabel "shareholding" . akg:Reported skos:prefLabel "reported" .
  c:ab a akg:EquityStake ; akg:holder e:a ; akg:target e:b ; akg:interestType akg:Shareholding ;
       akg:shareExact 10.0 ; akg:status akg:Reported .
  c:ba a akg:EquityStake ; akg:holder e:b, e:c ; akg:target e:a ;
       akg:interestType akg:Shareholding ; akg:shareExact 5.0, 6.0 ; akg:status akg:Reported .
  c:ac a akg:EquityStake ; akg:holder e:a ; akg:target e:c ; akg:interestType akg:Shareholding ;
       akg:shareExact 1.0 ; akg:status akg:Reported .
  CA akg:holder e:c ; akg:target e:a ; akg:interestType akg:Shareholding ;
       akg:shareExact 2.0 ; akg:status akg:Reported .
  c:s1 akg:ofClaim c:ab ; akg:standing akg:InForce ; akg:shownFrom "2020-01-01"^^xsd:date .
  c:s2 akg:ofClaim c:ba ; akg:standing akg:InForce ; akg:knownUntil "2030-01-01"^^xsd:date .
  c:s3 akg:ofClaim c:ac ; akg:standing akg:InForce .
}
GRAPH <https://example.org/g2> {
  c:ab akg:holder e:a . c:s4 akg:ofClaim CA ; akg:standing akg:InForce .
}
"""


@pytest.mark.parametrize("reverse", ["c:ca", "_:ca"], ids=["iri", "blank node"])
def test_the_index_has_the_query_rows_of_crossed_stakes(reverse: str) -> None:
    """Several holders and shares, a triple in two graphs, a stake reversed by a claim of
    no class, by an IRI or a blank node: the index gives the whole store's rows."""
    crossed = ox.Store()
    crossed.load(_CROSSED.replace("CA", reverse), format=ox.RdfFormat.TRIG)
    index = ReciprocalIndex.of_store(crossed, queries.get_query(QUERY_NAME).text)
    assert index is not None and index.pairs
    for as_of, known in [("2021-01-01", "2025-01-01"), ("2019-01-01", None), (None, None)]:
        _same(crossed, index, as_of, known)


def test_the_index_has_pairs_and_answers_the_storyline(index: ReciprocalIndex) -> None:
    """Not an empty index agreeing with an empty answer: Renault and Nissan hold each other."""
    rows = index.answer(day("2023-07-01"), day("9999-12-31"))
    assert rows is not None and rows
    assert any("Nissan" in r[0] + r[1] and "Renault" in r[0] + r[1] for r in rows)


def test_build_writes_the_index_with_the_generation(built: Any, store: ox.Store) -> None:
    data = json.loads((built.generation / INDEX_FILE).read_text(encoding="utf-8"))
    assert data == build_index(store)
    assert read_index(built.generation, queries.get_query(QUERY_NAME).text) is not None


def test_index_declines_another_text_and_other_values(built: Any, index: ReciprocalIndex) -> None:
    text = queries.get_query(QUERY_NAME).text
    assert read_index(built.generation, text + "\n# edited") is None
    assert (
        index.answer('"2023-07-01T00:00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>', None)
        is None
    )
    assert index.answer('"2023-02-30"^^<http://www.w3.org/2001/XMLSchema#date>', None) is None


# -- through the endpoint ----------------------------------------------------------------
def call(app: SparqlApp, query: str, accept: str = "application/sparql-results+json") -> tuple:
    """POST ``query`` to the app in process; (status, headers, body)."""
    body = query.encode("utf-8")
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/sparql",
        "CONTENT_TYPE": "application/sparql-query",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT": accept,
        "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    payload = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], payload


def json_rows(body: bytes) -> list[tuple[str, ...]]:
    table = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    names = [v.value for v in table.variables]
    return sorted(tuple("" if s[n] is None else str(s[n]) for n in names) for s in table)


@pytest.fixture(scope="module")
def app(built: Any) -> Iterator[SparqlApp]:
    served = create_app(built.generation, settings=ServerSettings(workers=1, timeout=20))
    yield served
    served.close()


def test_cross_holdings_is_answered_by_the_index_with_the_query_rows(
    app: SparqlApp, store: ox.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app.reciprocal is not None
    text = library_text(QUERY_NAME, {"as_of": "2023-12-01", "known_on": "2023-11-08"}, store)
    expected = canonical_rows(direct(store, text))

    def no_worker(job: Any) -> Any:
        raise AssertionError("cross-holdings went to a query worker")

    monkeypatch.setattr(app.pool, "run", no_worker)
    status, headers, body = call(app, text)
    assert status == 200 and headers["X-Result-Rows"] == str(len(expected))
    assert json_rows(body) == expected and expected
    status, _, csv = call(app, text, accept="text/csv")
    assert status == 200 and csv.startswith(b"a_label,b_label,interest")


def test_other_values_run_as_written_with_the_same_rows(app: SparqlApp, store: ox.Store) -> None:
    text = library_text(QUERY_NAME, {}, store).replace(
        '"2023-07-01"^^<http://www.w3.org/2001/XMLSchema#date>',
        '"2023-07-01T00:00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
    )
    assert "dateTime" in text
    status, _, body = call(app, text)
    assert status == 200 and json_rows(body) == canonical_rows(direct(store, text))


def test_a_repeated_library_query_is_served_from_the_cache(
    app: SparqlApp, store: ox.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = library_text("stakes-in-company", {"company": "Nissan"}, store)
    first = call(app, text)
    assert first[0] == 200 and json_rows(first[2]) == canonical_rows(direct(store, text))
    hits = app.cache.hits
    monkeypatch.setattr(app.pool, "run", lambda job: pytest.fail("ran again"))
    assert call(app, text) == first
    assert app.cache.hits == hits + 1
    # another answer format is another entry; text that is no library query is not cached
    monkeypatch.undo()
    assert call(app, text, accept="text/csv")[2] != first[2]
    size = len(app.cache)
    assert call(app, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0] == 200
    assert len(app.cache) == size


def test_the_cache_never_answers_for_another_generation(tmp_path: Path, built_store: Path) -> None:
    """Two generations of one store served in turn with one shared cache: each app gets
    its own generation's answer (the seed alone, then every source: other counts)."""
    root = tmp_path / "kg"
    shutil.copytree(built_store, root, symlinks=True)  # every source: the session's build
    second = current_generation(root)
    first = build(root, data_dir=copy_seed_data(tmp_path / "seed"), full=True).generation
    assert second is not None and first != second
    shared = ResultCache()
    text = library_text("counts", {}, open_store(root))
    answers = []
    for generation in (first, second, first):
        app = create_app(generation, settings=ServerSettings(workers=1), cache=shared)
        try:
            status, _, body = call(app, text)
        finally:
            app.close()
        assert status == 200
        expected = canonical_rows(direct(ox.Store.read_only(str(generation)), text))
        assert json_rows(body) == expected
        answers.append(expected)
    assert answers[0] != answers[1] and answers[0] == answers[2]
    assert shared.hits == 1 and len(shared) == 2


def test_the_cache_is_bounded() -> None:
    cache = ResultCache(max_bytes=800)
    for n in range(20):
        cache.put(("g", LibraryCall("q", (("n", str(n)),)), "json"), n, 100)
    assert cache.size <= 800 and len(cache) == 8
    assert cache.get(("g", LibraryCall("q", (("n", "0"),)), "json")) is None
    cache.put(("g", LibraryCall("big", ()), "json"), "x", 101)  # over an eighth: not kept
    assert len(cache) == 8
    assert ResultCache(max_bytes=0).get(("g", LibraryCall("q", ()), "json")) is None


def test_workers_default_to_the_cores() -> None:
    assert ServerSettings().workers == default_workers() >= 1


def test_an_app_without_a_generation_builds_the_index_and_keys_its_own(built: Any) -> None:
    copy = ox.Store()
    copy.bulk_extend(
        ox.Store.read_only(str(built.generation)).quads_for_pattern(None, None, None, None)
    )
    app = create_app(copy, settings=ServerSettings(workers=1))
    try:
        assert app.reciprocal is not None and app.generation.startswith("snapshot-")
    finally:
        app.close()


# -- the conflicting-stakes index ---------------------------------------------------------
def _conflict_rows(store: ox.Store, company: str | None) -> list[list]:
    query = queries.get_query(CONFLICTS)
    bound = {} if company is None else {"company": ox.NamedNode(company)}
    result = direct(store, queries.bind_values(query.text, bound))
    names = [v.value for v in result.variables]
    return [[None if r[c] is None else str(r[c]) for c in names] for r in result]


@pytest.fixture(scope="module")
def disputed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder whose stakes conflict: the benchmark's generated graph (10k, seed 1:
    two conflicting pairs) and the 15%-against-20% sources of test_conflicts, with the
    ontology; the endpoint's indexes written into it as the build writes them."""
    from automaker_kg.bench.generator import generate
    from automaker_kg.conflicts_index import write_index as write_conflicts
    from automaker_kg.endpoint_cache import write_indexes
    from test_conflicts import DISAGREE

    folder = tmp_path_factory.mktemp("disputed")
    generate(10_000, seed=1, path=folder / "bench.ttl")
    store = ox.Store(str(folder / "store"))
    store.bulk_load(
        path=str(folder / "bench.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("urn:test:bench"),
    )
    store.load(DISAGREE.encode(), format=ox.RdfFormat.TRIG)
    store.load(
        path=str(ROOT / "ontology" / "automaker.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("urn:test:ontology"),
    )
    store.flush()
    write_indexes(store, folder / "store")
    del store
    write_conflicts(folder / "store")  # as a server's first start over it keeps it
    return folder / "store"


@pytest.fixture(scope="module")
def disputed_store(disputed: Path) -> ox.Store:
    return ox.Store.read_only(str(disputed))


@pytest.fixture(scope="module")
def conflicts(disputed: Path) -> ConflictsIndex:
    found = read_conflicts(disputed, queries.get_query(CONFLICTS).text)
    assert found is not None, "write_index keeps the conflicting-stakes index"
    return found


def test_conflicts_index_rows_are_the_query_rows_for_every_company(
    disputed_store: ox.Store, conflicts: ConflictsIndex
) -> None:
    """Unbound, each company in a conflict (holder or target), and others: the same rows
    in the same order as the query text."""
    everything = _conflict_rows(disputed_store, None)
    assert len(everything) >= 3 and conflicts.answer(None) == everything
    companies = {row[-2] for row in conflicts.rows} | {row[-1] for row in conflicts.rows}
    assert len(companies) >= 4
    companies |= {"<http://example.org/nobody>", "<https://w3id.org/automaker-kg/id/toyota>"}
    for company in sorted(companies):
        expected = _conflict_rows(disputed_store, company[1:-1])
        assert conflicts.answer(company) == expected, company


def test_the_build_leaves_the_conflicts_index_to_the_server(built: Any, tmp_path: Path) -> None:
    """The build does not pay for the whole conflicting-stakes query; a server's first start
    over the generation builds the index in a child while it answers, uses it once ready
    and keeps it in the generation for the next start."""
    import shutil

    from automaker_kg.conflicts_index import INDEX_FILE as CONFLICTS_FILE
    from automaker_kg.endpoint_cache import write_indexes

    text = queries.get_query(CONFLICTS).text
    written = tmp_path / "derived"
    written.mkdir()
    write_indexes(ox.Store.read_only(str(built.generation)), written)  # the build hook
    assert not (written / CONFLICTS_FILE).exists() and any(written.iterdir())
    generation = tmp_path / "generation"
    shutil.copytree(built.generation, generation)
    (generation / CONFLICTS_FILE).unlink(missing_ok=True)  # kept by an earlier test's server
    app = create_app(generation, settings=ServerSettings(workers=1))
    try:
        assert app._indexing is not None and app.indexes_ready(timeout=120)
        assert app.conflicts is not None
        kept = read_conflicts(generation, text)
        assert kept is not None and kept.rows == app.conflicts.rows
    finally:
        app.close()
    again = create_app(generation, settings=ServerSettings(workers=1))
    try:
        assert again.conflicts is not None and again._indexing is None
    finally:
        again.close()


def test_conflicts_index_declines_a_literal_and_another_text(
    disputed: Path, conflicts: ConflictsIndex
) -> None:
    assert conflicts.answer('"Nissan"') is None
    text = queries.get_query(CONFLICTS).text
    assert read_conflicts(disputed, text.replace("DISTINCT", "DISTINCT ")) is None


def test_conflicting_stakes_through_the_endpoint_from_the_index(
    disputed: Path, disputed_store: ox.Store, conflicts: ConflictsIndex
) -> None:
    app = create_app(disputed, settings=ServerSettings(workers=1))
    try:
        assert app.conflicts is not None and app.reciprocal is not None

        def no_worker(job: Any) -> Any:
            raise AssertionError("conflicting-stakes went to a query worker")

        app.pool.run = no_worker  # type: ignore[method-assign]
        for company in sorted({row[-1] for row in conflicts.rows}):
            bound = {"company": ox.NamedNode(company[1:-1])}
            query = queries.get_query(CONFLICTS)
            text = sparql_prologue() + queries.bind_values(query.text, bound)
            status, _, body = call(app, text)
            expected = canonical_rows(direct(disputed_store, text))
            assert status == 200 and json_rows(body) == expected and expected, company
    finally:
        app.close()


def test_union_branch_binds_are_recognised_with_or_without_them() -> None:
    """technology-makers as inline() writes it (the value bound again in each UNION branch)
    and with the value bound at the top only are the same call; a branch value that differs
    from the top one is no library call."""
    recognizer = Recognizer(queries.library())
    text = queries.get_query("technology-makers").text
    tech = ox.NamedNode("https://w3id.org/automaker-kg/id/technology/e-power")
    written = queries.inline(text, {"technology": tech})
    top_only = text.replace("WHERE {", f"WHERE {{ BIND ({tech} AS ?technology)", 1)
    assert written != top_only
    for sent in (written, top_only):
        call = recognizer.match(sent)
        assert call is not None and dict(call.values) == {"technology": str(tech)}
    other = written.replace(str(tech), "<http://e/other>", 2).replace(
        "<http://e/other>", str(tech), 1
    )
    assert recognizer.match(other) is None
