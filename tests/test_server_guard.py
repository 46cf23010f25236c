"""The SERVICE guard agrees with Oxigraph's own parser on which queries federate.

The oracle: Oxigraph evaluates a ``SERVICE <http://127.0.0.1:9/>`` clause by refusing the
port before it opens any connection ("port 9 is not allowed"), so running a generated query
on an empty store tells, with no network traffic, whether Oxigraph saw a SERVICE clause.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from automaker_kg.sparqlguard import (
    bind_values,
    keywords,
    lateral_optionals,
    tokens,
    uses_service,
    where_brace_offset,
)

TRAP = "<http://127.0.0.1:9/sparql>"
EMPTY = ox.Store()


def oxigraph_sees_service(query: str) -> bool | None:
    """True/False from Oxigraph; None when the query does not parse."""
    try:
        list(EMPTY.query(query, prefixes={"ex": "http://example.org/"}))
    except SyntaxError:
        return None
    except OSError as error:
        if "port 9" in str(error):
            return True
        raise
    return False


noise = st.text(alphabet="SERVICEservice \"'#<>{}\\\n\t:?$@_.-x", max_size=30)


def string_literal(text: str, quote: str) -> str:
    escaped = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return quote + escaped.replace("\n", "\\n").replace("\r", "\\r") + quote


@st.composite
def queries(draw: st.DrawFn) -> str:
    parts = []
    keyword = draw(st.sampled_from(["SERVICE", "service", "Service", "sErViCe"]))
    if draw(st.booleans()):
        parts.append(f"{keyword} {TRAP} {{ ?s ?p ?o }}")
    for index in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["string", "long", "comment", "iri", "pname", "var", "lang"]))
        text = draw(noise)
        if kind == "string":
            quote = draw(st.sampled_from(['"', "'"]))
            parts.append(f"BIND ({string_literal(text, quote)} AS ?v{index})")
        elif kind == "long":
            body = text.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"BIND ('''{body}''' AS ?v{index})")
        elif kind == "comment":
            parts.append("# " + text.replace("\n", " ").replace("\r", " ") + "\n")
        elif kind == "iri":
            safe = "".join(c for c in text if c.isalnum() or c in "#:_.-")
            parts.append(f"BIND (<http://e/{safe}> AS ?v{index})")
        elif kind == "pname":
            parts.append(
                f"BIND (ex:{draw(st.sampled_from(['SERVICE', 'a', 'x.SERVICE']))} AS ?v{index})"
            )
        elif kind == "var":
            parts.append(f"BIND (1 AS ?{keyword}{index})")
        else:
            parts.append(f'BIND ("x"@en-{keyword} AS ?v{index})')
    return "SELECT * WHERE { " + " ".join(parts) + " }"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_guard_matches_oxigraph(query: str) -> None:
    """uses_service() is True exactly when Oxigraph would evaluate a SERVICE clause."""
    seen = oxigraph_sees_service(query)
    assume(seen is not None)
    assert uses_service(query) is seen


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_guard_never_misses_what_oxigraph_runs(text: str) -> None:
    """For arbitrary text placed before a SERVICE clause, a query Oxigraph runs as
    federated is always refused."""
    query = f"SELECT * WHERE {{ SERVICE {TRAP} {{ ?s ?p ?o }} }} # {text}"
    seen = oxigraph_sees_service(query)
    assume(seen is not None)
    if seen:
        assert uses_service(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE SILENT <http://x/> { ?s ?p ?o } }",
        "SELECT * { OPTIONAL { ?a ?b ?c } service ?endpoint { ?s ?p ?o } }",
        "SELECT * {\nSERVICE\n<http://x/>{?s ?p ?o}}",
        r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { ?s ex:a\\'b ?o . SERVICE <http://x/> { } } # '",
        'SELECT * { ?s ?p "x"SERVICE <http://x/> { } }',
        "SELECT * { ?s ?p trueSERVICE <http://x/> { } }",
        "SELECT * { ?s ?p ?o FILTER(true)SERVICE <http://x/> { } }",
        "PREFIX : <http://x/> SELECT * { service:x { ?s ?p ?o } }",
        "PREFIX service: <http://e/> SELECT * { service:SERVICE ?p ?o }",
    ],
)
def test_federated_queries_are_found(query: str) -> None:
    """SERVICE in any case, SILENT, with a variable, after an escaped quote, \\u-escaped,
    glued to the token before it, or as the prefix of a prefixed name (``service:x`` is
    the keyword and ``:x`` to Oxigraph): refused when in doubt."""
    assert uses_service(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://x/> {}" }',
        "SELECT * { ?s ?p '''\nSERVICE <http://x/> {}\n''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}",
        "SELECT ?service { ?service a <http://e/SERVICE#x> }",
        "PREFIX svc: <http://e/> SELECT * { svc:SERVICE ?p ?o }",
        'SELECT * { ?s ?p "x"@en-service }',
    ],
)
def test_mentions_are_not_refused(query: str) -> None:
    """The word in strings, comments, IRIs, prefixed names, variables and tags is fine."""
    assert not uses_service(query)


def test_tokens_cover_keywords() -> None:
    """Keywords come out upper-cased, everything else is a token of its own kind."""
    assert keywords("select ?x where { ?x a ex:y }") == ["SELECT", "WHERE", "A"]
    kinds = [t.kind for t in tokens("ASK { <a> 'b' _:c ?d ex:e }")]
    assert kinds == ["word", "punct", "iri", "string", "bnode", "var", "pname", "punct"]


@pytest.mark.parametrize(
    ("query", "rest"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", " ?s ?p ?o }"),
        ("ASK { ?s ?p ?o }", " ?s ?p ?o }"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", " ?s ?p ?o }"),
        ("DESCRIBE ?s WHERE { ?s ?p ?o }", " ?s ?p ?o }"),
        ("PREFIX a: <x:{> SELECT (EXISTS { ?x ?y ?z } AS ?e) { ?s ?p ?o }", " ?s ?p ?o }"),
    ],
)
def test_where_brace_offset(query: str, rest: str) -> None:
    """The offset lands just inside the WHERE pattern, past templates and expressions."""
    offset = where_brace_offset(query)
    assert offset is not None and query[offset:] == rest


def test_where_brace_offset_short_construct() -> None:
    """CONSTRUCT WHERE has no separate pattern to put VALUES into."""
    assert where_brace_offset("CONSTRUCT WHERE { ?s ?p ?o }") is None


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("seErRvViIcC ſıK{}?:<>\"'\\uU0123456789abcdef#\n")),
        max_size=40,
    )
)
@example("select * { ſervice <http://e/> { } }")
@example("select * { SERVıCE <http://e/> { } }")
@example("select * { \\u0053ERVICE <http://e/> { } }")
@example("select * { servi\\U00000063e <http://e/> { } }")
@example("select * { ?service ?p 'SERVICE' }")
def test_the_quick_answer_is_the_lexers(text: str) -> None:
    """uses_service answers text without the word (or an escape) before lexing it: the same
    answer as the lexer's, also for letters whose upper case is S or I (ſ, ı)."""
    from automaker_kg import sparqlguard

    full = sparqlguard._mentions_service(text) or sparqlguard._mentions_service(
        sparqlguard._CODEPOINT.sub(sparqlguard._decode_codepoint, text)
    )
    assert uses_service.__wrapped__(text) == full


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
@example("PREFIX kg: <https://w3id.org/automaker-kg/id/> SELECT ?s_1 { ?s kg:a_b.c _:b1 'x' }")
def test_ascii_text_is_lexed_alike_by_the_ascii_pattern(text: str) -> None:
    """An all-ASCII text (the library's queries) is split by the pattern of the classes'
    ASCII parts exactly as by the full Unicode pattern."""
    from automaker_kg.sparqlguard import _token_pattern

    def split(pattern):
        return [(m.lastgroup, m.group(), m.start()) for m in pattern.finditer(text)]

    assert split(_token_pattern(True)) == split(_token_pattern(False))


_X = {"x": ox.Literal("1")}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # each branch that binds ?x in a triple pattern of its own gets the value again
        (
            "SELECT * { { ?a <p> ?x } UNION { ?b <q> ?x } }",
            'SELECT * { BIND ("1" AS ?x) { BIND ("1" AS ?x) ?a <p> ?x } '
            'UNION { BIND ("1" AS ?x) ?b <q> ?x } }',
        ),
        # ?x only in a FILTER, in a nested OPTIONAL or assigned by the branch: not surely
        # bound there, so a BIND would change its rows
        (
            "SELECT * { { ?a <p> ?b FILTER (?x) } UNION { ?b <p> ?c OPTIONAL { ?c <q> ?x } } "
            "UNION { ?a <p> ?b BIND (2 AS ?x) } UNION { VALUES ?x { 3 } ?a <p> ?x } }",
            None,
        ),
        # branches under OPTIONAL, MINUS, GRAPH, EXISTS or a subquery are left alone
        ("SELECT * { ?s <p> ?o OPTIONAL { { ?s <q> ?x } UNION { ?s <r> ?x } } }", None),
        ("SELECT * { ?s <p> ?o MINUS { { ?s <q> ?x } UNION { ?s <r> ?x } } }", None),
        ("SELECT * { GRAPH ?g { { ?s <q> ?x } UNION { ?s <r> ?x } } }", None),
        ("SELECT * { FILTER NOT EXISTS { { ?s <q> ?x } UNION { ?s <r> ?x } } }", None),
        ("SELECT * { { SELECT ?s WHERE { { ?s <q> ?x } UNION { ?s <r> ?x } } } }", None),
        ("SELECT * { VALUES (?a ?b) { (1 2) } }", None),
        ("SELECT * { { VALUES (?a ?x) { (1 2) } ?a <p> ?x } UNION { ?a <p> ?b } }", None),
    ],
)
def test_bind_values_reaches_union_branches(query: str, expected: str | None) -> None:
    """A value is bound again where a UNION branch opens only when the branch surely binds
    the variable itself and is joined with the top-level pattern."""
    assert bind_values(query, _X) == (expected or query.replace("{", '{ BIND ("1" AS ?x)', 1))


def test_union_branch_binds_keep_every_answer() -> None:
    """On generated data where branches and values vary, binding in the branches too gives
    the same rows as binding at the top only (Oxigraph evaluates both texts)."""
    store = ox.Store()
    p, q, r = (ox.NamedNode(f"http://e/{n}") for n in "pqr")
    for i in range(30):
        a, b = ox.NamedNode(f"http://e/a{i % 7}"), ox.NamedNode(f"http://e/b{i % 5}")
        store.add(ox.Quad(a, p if i % 2 else q, b))
        store.add(ox.Quad(b, r, ox.NamedNode(f"http://e/a{i % 3}")))
    text = (
        "SELECT ?s ?x ?o WHERE { { ?s <http://e/p> ?x } UNION { ?s <http://e/q> ?x . "
        "?x <http://e/r> ?o } UNION { ?s <http://e/q> ?o OPTIONAL { ?o <http://e/r> ?x } } }"
    )
    for i in range(5):
        terms = {"x": ox.NamedNode(f"http://e/b{i}")}
        top_only = text.replace("WHERE {", f"WHERE {{ BIND (<http://e/b{i}> AS ?x)", 1)
        assert bind_values(text, terms) != top_only
        rows = [sorted(map(str, store.query(t))) for t in (bind_values(text, terms), top_only)]
        assert rows[0] == rows[1] and rows[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x ; a <C> ; <r>/<t> [ <u> true ] } }",
            "SELECT * { ?s <p> ?o LATERAL { OPTIONAL { ?o <q> ?x ; a <C> ; <r>/<t> [ <u> true ] } "
            "} }",
        ),
        (  # each OPTIONAL of triple patterns, nested in another group or a UNION branch too
            "SELECT * { { ?s <p> ?o optional { ?o <q> ?x , ?y } } UNION { ?s <q> ?o } "
            "OPTIONAL { ?s <r> ?y . ?y <r> ?z } }",
            "SELECT * { { ?s <p> ?o LATERAL { optional { ?o <q> ?x , ?y } } } UNION { ?s <q> ?o } "
            "LATERAL { OPTIONAL { ?s <r> ?y . ?y <r> ?z } } }",
        ),
        # one triple pattern (a path counts as one): left as written
        ("SELECT * { ?s <p> ?o OPTIONAL { ?o <q>/<r> ?x } }", None),
        # a FILTER, BIND, VALUES, nested group or subquery in the OPTIONAL: left as written
        ("SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x ; <r> ?y FILTER (?x > ?s) } }", None),
        ("SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x ; <r> ?y BIND (1 AS ?z) } }", None),
        ("SELECT * { ?s <p> ?o OPTIONAL { VALUES ?x { 1 } ?o <q> ?x ; <r> ?y } }", None),
        (  # the inner one only
            "SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x OPTIONAL { ?x <r> ?y ; <q> ?z } } }",
            "SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x LATERAL { OPTIONAL { ?x <r> ?y ; <q> ?z } "
            "} } }",
        ),
        ("SELECT * { ?s <p> ?o OPTIONAL { { SELECT ?o WHERE { ?o <q> ?x ; <r> ?y } } } }", None),
        ("SELECT * { ?s <p> ?o OPTIONAL { } }", None),
        # the word in a string, an IRI, a comment or a name is no OPTIONAL
        ('SELECT * { ?s <p> "OPTIONAL { ?o <q> ?x , ?y }" # OPTIONAL { ?o <q> ?x , ?y }\n }', None),
        ("SELECT * { ?s <OPTIONAL> ?o . ?s ex:OPTIONAL ?x }", None),
    ],
)
def test_lateral_optionals_rewrites_basic_patterns_only(query: str, expected: str | None) -> None:
    """Only an OPTIONAL whose group is two or more triple patterns is put under LATERAL."""
    assert lateral_optionals(query) == (expected or query)


_N = [ox.NamedNode(f"http://e/n{i}") for i in range(5)]
_P = [f"<http://e/p{i}>" for i in range(3)]
_terms = st.sampled_from(["?a", "?b", "?c", "?d", "<http://e/n0>", "<http://e/n1>"])
_pattern = st.tuples(_terms, st.sampled_from([*_P, "<http://e/p0>/<http://e/p1>"]), _terms)


@settings(max_examples=80, deadline=None)
@given(
    st.sets(
        st.tuples(*[st.integers(0, 4), st.integers(0, 2), st.integers(0, 4), st.integers(0, 2)]),
        max_size=25,
    ),
    st.lists(st.lists(_pattern, min_size=1, max_size=5), min_size=1, max_size=3),
    st.booleans(),
)
def test_lateral_optionals_keeps_every_answer(quads, optionals, in_graph) -> None:
    """On any small dataset (the default graph and two named graphs, read as their union
    as the project reads a store, or one named graph at a time under GRAPH ?g), a pattern
    followed by OPTIONALs of up to five triple patterns (sharing variables with it, with
    each other, or none) answers the same rows under LATERAL as written (Oxigraph
    evaluates both texts)."""
    store = ox.Store()
    graphs = [ox.DefaultGraph(), ox.NamedNode("http://e/g1"), ox.NamedNode("http://e/g2")]
    for s, p, o, g in quads:
        store.add(ox.Quad(_N[s], ox.NamedNode(f"http://e/p{p}"), _N[o], graphs[g]))
    groups = " ".join(
        "OPTIONAL { " + " . ".join(" ".join(t) for t in group) + " }" for group in optionals
    )
    pattern = f"?a <http://e/p0> ?b {groups}"
    if in_graph:
        text = f"SELECT ?g ?a ?b ?c ?d WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    else:
        text = f"SELECT ?a ?b ?c ?d WHERE {{ {pattern} }}"
    rewritten = lateral_optionals(text)
    assert rewritten.count("LATERAL") == sum(len(group) > 1 for group in optionals)
    rows = [
        sorted(tuple(map(str, row)) for row in store.query(t, use_default_graph_as_union=True))
        for t in (text, rewritten)
    ]
    assert rows[0] == rows[1]
