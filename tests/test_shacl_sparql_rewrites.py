"""The fast paths of the shapes as SPARQL give exactly what the plain queries give.

:func:`automaker_kg.shacl_sparql.check_store` skips a constraint's query when a cheaper
question (its last triple and filter, without the joins from the target class) finds
nothing that can fail, and narrows the 100% rule to crowded targets; the undefined-term
check looks at the distinct untyped objects first. Here random small graphs over the
shapes' own vocabulary (every path, class and listed value, literals of every kind, blank
nodes, triples in two named graphs) are checked both ways: with the fast paths and
``exhaustive`` (every query over every focus node), and the undefined-term check against
the single query it replaced.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from automaker_kg import shacl_sparql
from automaker_kg.namespaces import KG
from automaker_kg.paths import ontology_dir
from automaker_kg.shacl_sparql import check_store, undefined_terms
from automaker_kg.terms import to_oxigraph
from automaker_kg.validate import shapes_graph
from conftest import untraced

#: The undefined-term check as one query, before it looked at distinct objects first.
OLD_UNDEFINED = """
SELECT DISTINCT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER (isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
          && STRSTARTS(STR(?o), "%s"))
  FILTER NOT EXISTS { ?o <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?any }
}
"""

AKG = "https://w3id.org/automaker-kg/ontology#"


def _ontology() -> bytes:
    graph = Graph()
    for name in ("automaker.ttl", "taxonomy.ttl"):
        graph.parse(ontology_dir() / name, format="turtle")
    return graph.serialize(format="nt", encoding="utf-8")


def _families() -> list[tuple[list[URIRef], list[URIRef]]]:
    """For each targeted shape, the paths and classes it reaches (nested shapes included),
    so that a random graph drawn from one family meets its constraints."""
    shapes = shapes_graph()
    found = []
    for shape in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
        seen, todo = {shape}, [shape]
        paths, classes = set(), set()
        while todo:
            node = todo.pop()
            for predicate, obj in shapes.predicate_objects(node):
                if predicate in (SH.path, SH.lessThan, SH.lessThanOrEquals, SH.disjoint):
                    paths.add(obj)
                elif predicate in (SH.targetClass, SH["class"]):
                    classes.add(obj)
                elif predicate == SH.select:  # the terms the SPARQL rule reads
                    for name in re.findall(r"akg:(\w+)", str(obj)):
                        (classes if name[0].isupper() else paths).add(URIRef(AKG + name))
                elif predicate != RDF.type and obj not in seen and (obj, None, None) in shapes:
                    seen.add(obj)
                    todo.append(obj)
        found.append((sorted(paths, key=str), sorted(classes, key=str)))
    return found


def _vocabulary() -> tuple[list[URIRef], list[URIRef], list]:
    """Paths, classes and listed values the shapes name (plus what the SPARQL rules read)."""
    shapes = shapes_graph()
    paths = sorted({p for p in shapes.objects(None, SH.path) if isinstance(p, URIRef)})
    paths += [URIRef(AKG + n) for n in ("supersedes", "indirect", "event", "eventKind")]
    classes = set(shapes.objects(None, SH.targetClass)) | set(shapes.objects(None, SH["class"]))
    values: set = set(shapes.objects(None, SH.hasValue))
    for head in shapes.objects(None, SH["in"]):
        values |= set(Collection(shapes, head))
    values.add(URIRef(AKG + "Founding"))
    return paths, sorted(classes, key=str), sorted(values, key=str)


FAMILIES = _families()
ONTOLOGY = _ontology()
PATHS, CLASSES, VALUES = _vocabulary()
NODES = [ox.NamedNode(f"{KG}n{i}") for i in range(5)] + [ox.BlankNode(f"b{i}") for i in range(3)]
LITERALS = [
    to_oxigraph(term)
    for term in (
        Literal(Decimal("15.0")),
        Literal("15", datatype=XSD.decimal),
        Literal(Decimal("-1.0")),
        Literal(Decimal("150.0")),
        Literal(0),
        Literal(7),
        Literal(-3),
        Literal("2020-01-01", datatype=XSD.date),
        Literal("2019-06-30", datatype=XSD.date),
        Literal(True),
        Literal(False),
        Literal("EUR"),
        Literal("eur"),
        Literal("sha256:" + "ab" * 32),
        Literal("a label", lang="en"),
    )
] + [ox.Literal("2021-13-01", datatype=ox.NamedNode(str(XSD.date)))]  # ill-typed
OBJECTS = [*NODES, *LITERALS, *(to_oxigraph(v) for v in VALUES), ox.NamedNode(f"{KG}ghost")]
GRAPHS = [ox.NamedNode(f"{KG}graph/a"), ox.NamedNode(f"{KG}graph/b")]


@st.composite
def quads(draw: st.DrawFn) -> list:
    """20 to 50 triples over the paths and classes of one or two shapes (so that nodes
    meet: a claim with evidence, two values of one path), each in one of two named graphs."""
    families = draw(st.lists(st.sampled_from(FAMILIES), min_size=1, max_size=2))
    paths = [p for family, _ in families for p in family if isinstance(p, URIRef)]
    paths += draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=2))
    classes = [c for _, family in families for c in family]
    classes += draw(st.lists(st.sampled_from(CLASSES), max_size=2))
    subjects = st.sampled_from(NODES)
    typed = st.tuples(
        subjects, st.just(to_oxigraph(RDF.type)), st.sampled_from(classes).map(to_oxigraph)
    )
    objects = st.one_of(subjects, st.sampled_from(OBJECTS))  # a node half the time
    stated = st.tuples(subjects, st.sampled_from(paths).map(to_oxigraph), objects)
    triple = st.one_of(typed, stated, stated)
    return draw(st.lists(st.tuples(triple, st.sampled_from(GRAPHS)), min_size=20, max_size=50))


def _store(rows: list) -> ox.Store:
    store = ox.Store()
    store.bulk_load(input=ONTOLOGY, format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPHS[0])
    store.extend(ox.Quad(s, p, o, g) for (s, p, o), g in rows)
    return store


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quads())
def test_fast_paths_give_the_exhaustive_results(rows):
    """Skipped queries, count splits and the narrowed 100% rule change no result."""
    store = _store(rows)
    shapes = shapes_graph()
    fast = check_store(store, shapes)
    with untraced():  # the reference (measured by the two tests of hand-made graphs below)
        exhaustive = check_store(store, shapes, exhaustive=True)
    assert fast == exhaustive


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quads())
def test_a_capped_hold_gives_the_exhaustive_results(rows):
    """With one match held (:data:`HELD_ROWS` of 1), rows whose match was not held look
    lacking and the lookups decide: the same results as every query over every node."""
    store = _store(rows)
    shapes = shapes_graph()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shacl_sparql, "HELD_ROWS", 1)
        capped = check_store(store, shapes)
    with untraced():
        assert capped == check_store(store, shapes, exhaustive=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quads())
def test_threads_give_the_same_results(rows):
    """Shapes checked on two threads sharing one checker: the same results, same order."""
    store = _store(rows)
    with ThreadPoolExecutor(2) as pool:
        threaded = check_store(store, shapes_graph(), pool=pool)
    with untraced():  # the reference: one thread
        assert threaded == check_store(store, shapes_graph())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quads())
def test_undefined_terms_match_the_single_query(rows):
    """The distinct-objects-first check finds the same (subject, predicate, object)s."""
    store = _store(rows)
    assert _undefined(store) == _single_query(store)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quads(), st.sampled_from([0, 2, 10_000]), st.sampled_from([0, 10_000]))
def test_undefined_terms_with_a_capped_hold_match_the_single_query(rows, lookups, size):
    """With one typed node held (:data:`HELD_ROWS` of 1), typed objects look untyped and
    are looked up, or past ``lookups`` of them found again from the distinct IRI objects
    (as is every object of a store of more than ``size`` quads): the same answer, a planted
    use of an untyped IRI among it."""
    planted = (NODES[0], ox.NamedNode(AKG + "holder"), ox.NamedNode(f"{KG}planted"))
    store = _store([*rows, (planted, GRAPHS[1])])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shacl_sparql, "HELD_ROWS", 1)
        patch.setattr(shacl_sparql, "UNHELD_LOOKUPS", lookups)
        patch.setattr(shacl_sparql, "UNHELD_QUADS", size)
        capped = _undefined(store)
    assert tuple(str(t) for t in planted) in capped
    assert capped == _single_query(store)


def _undefined(store: ox.Store) -> list[tuple[str, str, str]]:
    return sorted((str(s), str(p), str(o)) for s, p, o in undefined_terms(store, str(KG)))


def _single_query(store: ox.Store) -> list[tuple[str, str, str]]:
    """The reference: :data:`OLD_UNDEFINED`'s rows."""
    solutions = store.query(OLD_UNDEFINED % KG, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return sorted((str(r["s"]), str(r["p"]), str(r["o"])) for r in solutions)


def test_the_comparison_sees_violations():
    """The random graphs are not all clean: a stake with a bad share fails both ways alike."""
    stake, holder = NODES[0], NODES[1]
    store = _store(
        [
            ((stake, to_oxigraph(RDF.type), ox.NamedNode(AKG + "EquityStake")), GRAPHS[0]),
            ((stake, ox.NamedNode(AKG + "shareExact"), LITERALS[3]), GRAPHS[1]),
            ((stake, ox.NamedNode(AKG + "holder"), NODES[7]), GRAPHS[1]),
            ((stake, ox.NamedNode(AKG + "target"), ox.NamedNode(f"{KG}ghost")), GRAPHS[1]),
            ((holder, ox.NamedNode(AKG + "target"), ox.NamedNode(f"{KG}ghost")), GRAPHS[0]),
        ]
    )
    fast = check_store(store, shapes_graph())
    assert {"ShareExactRange", "StakeHolder", "StakeTarget"} <= {r.rule for r in fast}
    assert fast == check_store(store, shapes_graph(), exhaustive=True)
    assert len(undefined_terms(store, str(KG))) == 2


def test_split_and_marked_tests_find_planted_violations():
    """The selectors' ``sh:or`` (asked once per missing part of its first member) and the
    ``sh:xone`` of stakes and amounts (each path's subjects held and marked) still find a
    selector of neither kind, a stake with two share forms and one with none, an amount
    with a value and a range: the same results as the plain queries."""
    a, rdf_type = ox.NamedNode, to_oxigraph(RDF.type)
    oa, schema = "http://www.w3.org/ns/oa#", "https://schema.org/"
    two, evidence, selector = NODES[0], NODES[1], NODES[5]
    none, amount = NODES[3], NODES[6]
    rows = [
        (two, a("http://www.w3.org/ns/prov#wasDerivedFrom"), evidence),
        (evidence, rdf_type, a(oa + "SpecificResource")),
        (evidence, a(oa + "hasSource"), NODES[4]),
        (evidence, a(oa + "hasSelector"), selector),
        (selector, rdf_type, a(oa + "TextPositionSelector")),
        (selector, a(oa + "start"), LITERALS[4]),  # no oa:end, no rdf:value
        (two, rdf_type, a(AKG + "EquityStake")),
        (two, a(AKG + "shareExact"), LITERALS[0]),
        (two, a(AKG + "shareMinimum"), LITERALS[0]),
        (none, rdf_type, a(AKG + "EquityStake")),
        (amount, rdf_type, a(schema + "MonetaryAmount")),
        (amount, a(schema + "value"), LITERALS[0]),
        (amount, a(schema + "minValue"), LITERALS[0]),
    ]
    store = _store([(row, GRAPHS[i % 2]) for i, row in enumerate(rows)])
    fast = check_store(store, shapes_graph())
    failed = {(r.rule, r.focus) for r in fast}
    assert ("OneShareForm", two) in failed and ("OneShareForm", none) in failed
    assert ("AmountExactOrRange", amount) in failed
    assert "EvidenceSelector" in {r.rule for r in fast}, sorted(failed)
    assert fast == check_store(store, shapes_graph(), exhaustive=True)


def test_pair_constraints_fail_both_ways_alike():
    """The pair rules (sh:lessThan, sh:lessThanOrEquals, sh:disjoint), whose prechecks join
    two paths, and a nested shape's missing path: the fast paths find what the plain
    queries find (random graphs rarely meet these)."""
    stake, holder, evidence = NODES[0], NODES[1], NODES[5]
    a = ox.NamedNode
    date = ox.NamedNode(str(XSD.date))
    rows = [
        (stake, to_oxigraph(RDF.type), a(AKG + "EquityStake")),
        (stake, a(AKG + "holder"), holder),
        (stake, a(AKG + "target"), holder),  # holder is target
        (stake, a(AKG + "validFrom"), ox.Literal("2020-01-01", datatype=date)),
        (stake, a(AKG + "validTo"), ox.Literal("2019-01-01", datatype=date)),  # before
        (stake, a(AKG + "shareMinimum"), LITERALS[3]),
        (stake, a(AKG + "shareMaximum"), LITERALS[0]),  # minimum above maximum
        (stake, a("http://www.w3.org/ns/prov#wasDerivedFrom"), evidence),
        (evidence, to_oxigraph(RDF.type), a("http://www.w3.org/ns/oa#SpecificResource")),
        (evidence, a("http://www.w3.org/ns/oa#hasSelector"), NODES[6]),  # no oa:hasSource
        (NODES[6], to_oxigraph(RDF.type), a("http://www.w3.org/ns/oa#TextPositionSelector")),
        (NODES[6], a("http://www.w3.org/ns/oa#start"), LITERALS[5]),
        (NODES[6], a("http://www.w3.org/ns/oa#end"), LITERALS[4]),  # start 7 >= end 0
    ]
    store = _store([(row, GRAPHS[i % 2]) for i, row in enumerate(rows)])
    fast = check_store(store, shapes_graph())
    expected = {
        "HolderIsNotTarget",
        "ValidFromBeforeValidTo",
        "ShareMinimumNotAboveMaximum",
        "SelectorStart",
        "EvidenceSource",
    }
    assert expected <= {r.rule for r in fast}, sorted({r.rule for r in fast})
    assert fast == check_store(store, shapes_graph(), exhaustive=True)


FOCUS = "urn:automaker-kg:test-focus"


SHAPE_NAMES = sorted({str(n) for n in shapes_graph().objects(None, SH.name)})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    quads(),
    st.sets(st.sampled_from(NODES), max_size=len(NODES)),
    st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(SHAPE_NAMES)), max_size=6),
)
def test_an_incremental_check_gives_the_exhaustive_results(rows, focus, only):
    """Checking a few marked focus nodes (each shape's nodes of its class written out, a
    shape with none of them skipped, the 100% rule narrowed to the focus stakes' targets;
    some nodes marked for one shape only) finds what the plain queries over the marks
    joined with each class find, for any subset of the nodes, named and blank."""
    store = _store(rows)
    marks = ox.NamedNode(FOCUS)
    store.extend(ox.Quad(node, marks, ox.Literal(True), marks) for node in focus)
    store.extend(ox.Quad(node, marks, ox.Literal(shape), marks) for node, shape in only)
    shapes = shapes_graph()
    fast = check_store(store, shapes, focus_graph=FOCUS)
    with untraced():  # the references: the plain queries over the marks, the whole check
        exhaustive = check_store(store, shapes, focus_graph=FOCUS, exhaustive=True)
        every = {(r.focus, r.rule, r.message, r.value) for r in check_store(store, shapes)}
    assert fast == exhaustive
    assert {(r.focus, r.rule, r.message, r.value) for r in fast} <= every


def test_an_incremental_check_of_a_crowded_target_finds_the_excess():
    """Two stakes in one target summing to 150%: checking either one alone (the 100%
    rule narrowed to its target) reports the excess, as the whole store's check does;
    checking a node of no targeted class reports nothing."""
    a = ox.NamedNode
    target = NODES[2]
    rows = [(target, to_oxigraph(RDF.type), a("http://www.w3.org/ns/org#FormalOrganization"))]
    for stake, holder, share in ((NODES[0], NODES[3], "90"), (NODES[1], NODES[4], "60")):
        rows += [
            (stake, to_oxigraph(RDF.type), a(AKG + "EquityStake")),
            (stake, a(AKG + "holder"), holder),
            (stake, a(AKG + "target"), target),
            (stake, a(AKG + "interestType"), a(AKG + "Shareholding")),
            (stake, a(AKG + "shareExact"), ox.Literal(share, datatype=a(str(XSD.decimal)))),
        ]
    store = _store([(row, GRAPHS[0]) for row in rows])
    marks = ox.NamedNode(FOCUS)
    whole = [r for r in check_store(store, shapes_graph()) if r.rule == "ConcurrentStakesAtMost100"]
    assert {r.focus for r in whole} == {NODES[0], NODES[1]}
    for node in (NODES[0], NODES[1], target):
        for mark in (ox.Literal(True), ox.Literal("ConcurrentStakes")):
            store.extend([ox.Quad(node, marks, mark, marks)])
            got = check_store(store, shapes_graph(), focus_graph=FOCUS)
            store.remove_graph(marks)
            over = [r for r in got if r.rule == "ConcurrentStakesAtMost100"]
            assert over == [r for r in whole if r.focus == node]
    store.extend([ox.Quad(NODES[0], marks, ox.Literal("ShareValues"), marks)])
    assert check_store(store, shapes_graph(), focus_graph=FOCUS) == []  # not that shape's
