"""Validate the knowledge graph: SHACL shapes plus the checks SHACL cannot express cleanly.

:func:`validate` runs pySHACL with ``ontology/shapes.ttl`` on a data graph that already holds
the ontology, the taxonomy and the graph files (the build merges them), so ``rdfs:subClassOf``
is present for ``sh:class`` and ``sh:targetClass``; no inference is run. It returns a list of
:class:`Violation`; :func:`check` raises :class:`~automaker_kg.errors.ValidationError` instead.

>>> from rdflib import Graph
>>> validate(Graph())
[]
"""

from __future__ import annotations

import functools
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.query import Processor, Result
from rdflib.term import Identifier, Node

from automaker_kg.errors import ValidationError
from automaker_kg.namespaces import KG, bind_prefixes
from automaker_kg.paths import ontology_dir
from automaker_kg.terms import from_oxigraph, to_oxigraph

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

__all__ = [
    "Violation",
    "validate",
    "validate_store",
    "check",
    "shapes_graph",
    "SHAPES_FILE",
    "SPARQL_ABOVE",
    "FOCUS_GRAPH",
]

SHAPES_FILE = "shapes.ttl"
SHAPES_NS = "https://w3id.org/automaker-kg/shapes#"
#: Above this many triples :func:`validate` evaluates the shapes as SPARQL on Oxigraph
#: (:mod:`automaker_kg.shacl_sparql`) instead of running pySHACL: 0, every graph. The SPARQL
#: engine is held to pySHACL's answers on every case of ``tests/shapes/`` and is what builds
#: of any size ran above 20,000 triples; on the shipped graph (12,600 triples) it checks in
#: a fraction of pySHACL's time. pySHACL stays a choice (``engine="pyshacl"``) and the
#: fallback for a shape feature the translation lacks.
SPARQL_ABOVE = 0


@dataclass(frozen=True)
class Violation:
    """One problem: the node at fault, the rule it breaks, what is wrong and where it came from.

    ``focus`` is a prefixed name (``claim:x``) or, for a blank node, the nearest named node
    above it with the path down to it; ``source_file`` is the file the build loaded the
    focus node from, or ``""`` when unknown.

    >>> str(Violation("claim:x", "ShareExactRange", "too big", "graph/a.ttl"))
    'claim:x: [ShareExactRange] too big (graph/a.ttl)'
    """

    focus: str
    rule: str
    message: str
    source_file: str = ""

    def __str__(self) -> str:
        where = f" ({self.source_file})" if self.source_file else ""
        return f"{self.focus}: [{self.rule}] {self.message}{where}"


@functools.cache
def _shapes_from(path: Path) -> Graph:
    return bind_prefixes(Graph()).parse(path, format="turtle")


def shapes_graph(path: Path | None = None) -> Graph:
    """The SHACL shapes graph (``ontology/shapes.ttl`` unless ``path`` is given)."""
    return _shapes_from(Path(path) if path else ontology_dir() / SHAPES_FILE)


def _qname(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node).strip("<>") or str(node)
        except ValueError:  # pragma: no cover - rdflib refuses some IRIs
            return str(node)
    if isinstance(node, Literal):
        return repr(str(node))
    return "[]"


def _named_ancestor(data: Graph, node: BNode) -> tuple[URIRef | None, list[URIRef]]:
    """The nearest IRI subject above a blank node and the path of predicates down to it."""
    seen: set[Node] = {node}
    queue: deque[tuple[Node, list[URIRef]]] = deque([(node, [])])
    while queue:
        current, path = queue.popleft()
        for subject, predicate in data.subject_predicates(current):
            assert isinstance(predicate, URIRef)  # an RDF predicate is an IRI
            step = [predicate, *path]
            if isinstance(subject, URIRef):
                return subject, step
            if subject not in seen and len(step) < 6:
                seen.add(subject)
                queue.append((subject, step))
    return None, []


def _describe_focus(data: Graph, focus: Node) -> tuple[str, URIRef | None]:
    if isinstance(focus, BNode):
        ancestor, path = _named_ancestor(data, focus)
        if ancestor is None:
            return "[] (a blank node)", None
        steps = "/".join(_qname(data, p) for p in path)
        return f"{_qname(data, ancestor)} {steps}", ancestor
    if isinstance(focus, URIRef):
        return _qname(data, focus), focus
    return _qname(data, focus), None


def _rule_name(shapes: Graph, result: Graph, node: Node) -> str:
    for predicate in (SH.sourceConstraint, SH.sourceShape):
        source = result.value(node, predicate)
        if source is None:
            continue
        name = shapes.value(source, SH.name)
        if name is not None and isinstance(source, URIRef):
            return str(name)
        if name is not None:
            return str(name)
        if isinstance(source, URIRef):
            return str(source).removeprefix(SHAPES_NS)
    component = result.value(node, SH.sourceConstraintComponent)
    return _qname(result, component) if component is not None else "shape"


def _message(result: Graph, node: Node, data: Graph) -> str:
    messages = sorted(str(m) for m in result.objects(node, SH.resultMessage))
    text = messages[0] if messages else "does not conform"
    text = re.sub(r"<([^<>\s]+)>", lambda m: _qname(data, URIRef(m.group(1))), text)
    value = result.value(node, SH.value)
    if (
        value is not None
        and value != result.value(node, SH.focusNode)
        and not isinstance(value, BNode)
    ):
        got = _qname(data, value)
        if got not in text:
            text += f"; got {got}"
    return text


def _flat(data: Graph | Sequence[Graph]) -> Graph:
    """One graph of every triple: pySHACL would check a Dataset's graphs (or the files'
    graphs given apart) one by one."""
    if isinstance(data, Dataset | ConjunctiveGraph):
        flat = Graph()
        for subject, predicate, obj, _ in data.quads((None, None, None, None)):
            flat.add((subject, predicate, obj))
        data = flat
    elif not isinstance(data, Graph):
        flat = Graph()
        for graph in data:
            flat += graph
        data = flat
    return bind_prefixes(data)


def _unusable(literal: Literal) -> bool:
    if literal.datatype is None:
        return False
    if literal.ill_typed:
        return True
    value = literal.value
    return isinstance(value, Decimal) and not value.is_finite()


def _comparable(data: Graph) -> Graph:
    """``data`` with ill-typed literals (``"NaN"^^xsd:decimal``) turned into plain strings.

    pySHACL would crash comparing them with ``sh:minInclusive``; as strings they fail
    ``sh:datatype`` instead, which names the rule.
    """
    bad = [(s, p, o) for s, p, o in data if isinstance(o, Literal) and _unusable(o)]
    if not bad:
        return data
    copy = Graph(namespace_manager=data.namespace_manager)
    for triple in data:
        copy.add(triple)
    for s, p, o in bad:
        copy.remove((s, p, o))
        copy.add((s, p, Literal(str(o))))
    return copy


@functools.lru_cache(maxsize=128)
def _prepared(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    from rdflib.plugins.sparql import prepareQuery  # pySHACL's path only: imported then

    return prepareQuery(text, initNs=dict(namespaces))


class _ParsedOnce(Graph):
    """A view of a graph (same store) whose SPARQL text is parsed once per process.

    pySHACL runs a SPARQL-based constraint once per focus node and hands rdflib the same
    text each time; rdflib's parser takes about 0.1 s a parse, which was two thirds of a
    validation (31 parses of ``ConcurrentStakesAtMost100`` for 31 stakes). The parsed
    query is kept and evaluated with each node's bindings, as rdflib's prepared queries are.
    """

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's names
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            namespaces = initNs if initNs is not None else dict(self.namespaces())
            key = tuple(sorted((str(k), str(v)) for k, v in namespaces.items()))
            query_object = _prepared(query_object, key)
        return super().query(
            query_object,
            processor,
            result,
            initNs,
            initBindings,
            use_store_provided,
            **kwargs,
        )


def _shacl_violations(data: Graph, shapes: Graph) -> list[tuple[Node, str, str]]:
    import pyshacl  # a tenth of a second to import: only the pySHACL engine needs it

    comparable = _comparable(data)
    view = _ParsedOnce(store=comparable.store, identifier=comparable.identifier)
    view.namespace_manager = comparable.namespace_manager
    conforms, results, _ = pyshacl.validate(
        view,
        shacl_graph=shapes,
        inference="none",
        inplace=True,  # no inference and no rules: nothing is added to the data graph
        allow_warnings=True,
        abort_on_first=False,
    )
    if conforms:
        return []
    found = []
    for node in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(node, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(node, SH.focusNode)
        found.append((focus, _rule_name(shapes, results, node), _message(results, node, data)))
    return found


def _undefined_terms(data: Graph) -> list[tuple[Node, str, str]]:
    """Entities of the project's ``id/`` namespace that are used but never described."""
    typed = set(data.subjects(RDF.type, None))
    found = []
    for subject, predicate, obj in data:
        if isinstance(obj, URIRef) and str(obj).startswith(str(KG)) and obj not in typed:
            if predicate == RDF.type:
                continue
            message = (
                f"{_qname(data, predicate)} points at {_qname(data, obj)}, "
                "which the data never describes (no rdf:type)"
            )
            found.append((subject, "UndefinedTerm", message))
    return found


def validate(
    data: Graph | Sequence[Graph],
    *,
    origins: Mapping[str, str] | None = None,
    shapes: Graph | None = None,
    engine: str = "auto",
    focus: Iterable[URIRef] | None = None,
) -> list[Violation]:
    """Validate ``data`` and return its violations, sorted; empty when it conforms.

    ``focus``: check only these nodes and the blank nodes below them (the SPARQL engine,
    :func:`validate_store`), e.g. whether some violations were there before an edit.

    Parameters
    ----------
    data : ontology + taxonomy + graph files merged in one graph (or a Dataset with
        ``default_union``), or their graphs apart: their union is checked (the SPARQL
        engine loads them as they are, without merging them into one rdflib graph first).
    origins : maps a subject IRI to the file the build loaded it from; names the file.
    shapes : a shapes graph to use instead of ``ontology/shapes.ttl``.
    engine : ``"pyshacl"``, ``"sparql"`` (the shapes as SPARQL on an in-memory Oxigraph
        store, :mod:`automaker_kg.shacl_sparql`) or ``"auto"``: SPARQL above
        :data:`SPARQL_ABOVE` triples (every non-empty graph), pySHACL otherwise and when the
        shapes use a feature the SPARQL translation lacks.

    Examples
    --------
    >>> from rdflib import Graph
    >>> from automaker_kg.namespaces import AKG, KG
    >>> g = Graph()
    >>> _ = g.add((KG.s, AKG.shareExact, Literal(140)))
    >>> validate(g)  # kg:s is not typed akg:EquityStake, so no shape targets it
    []
    """
    shapes = shapes if shapes is not None else shapes_graph()
    parts = [_flat(data)] if isinstance(data, Graph) else list(data)
    size = sum(len(part) for part in parts)
    if focus is not None or engine == "sparql" or (engine == "auto" and size > SPARQL_ABOVE):
        from automaker_kg.shacl_sparql import Unsupported

        store = pyoxigraph.Store()
        store.extend(_quads(triple for part in parts for triple in part))
        marked = None if focus is None else _below(store, focus)
        try:
            return validate_store(store, origins=origins, shapes=shapes, focus=marked)
        except Unsupported:
            if engine == "sparql":
                raise
    data = parts[0] if isinstance(data, Graph) else _flat(parts)
    raw = _shacl_violations(data, shapes) + _undefined_terms(data)
    origins = origins or {}
    violations = set()
    for node, rule, message in raw:
        label, named = _describe_focus(data, node)
        source = origins.get(str(named), "") if named is not None else ""
        violations.add(Violation(label, rule, message, source))
    return sorted(violations, key=lambda v: (v.source_file, v.focus, v.rule, v.message))


def _quads(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[pyoxigraph.Quad]:
    """rdflib triples as pyoxigraph quads of the default graph (each distinct term
    converted once: predicates, classes and subjects recur)."""
    convert = functools.cache(to_oxigraph)
    for s, p, o in triples:
        subject, predicate = convert(s), convert(p)
        # RDF: the subject is an IRI or a blank node, the predicate an IRI
        assert not isinstance(subject, pyoxigraph.Literal)
        assert isinstance(predicate, pyoxigraph.NamedNode)
        yield pyoxigraph.Quad(subject, predicate, convert(o))


def _below(store: pyoxigraph.Store, nodes: Iterable[URIRef]) -> set:
    """``nodes`` as Oxigraph terms with every blank node reachable from them in ``store``."""
    found: set = {pyoxigraph.NamedNode(str(n)) for n in nodes}
    todo = list(found)
    while todo:
        for quad in store.quads_for_pattern(todo.pop(), None, None):
            if isinstance(quad.object, pyoxigraph.BlankNode) and quad.object not in found:
                found.add(quad.object)
                todo.append(quad.object)
    return found


def check(
    data: Graph, origins: Mapping[str, str] | None = None, *, shapes: Graph | None = None
) -> None:
    """Raise :class:`~automaker_kg.errors.ValidationError` when ``data`` has violations."""
    violations = validate(data, origins=origins, shapes=shapes)
    if violations:
        raise ValidationError(violations)


_PARENTS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
_GRAPHS = """
SELECT ?g ?typed ?s WHERE {
  GRAPH ?g { ?s ?p ?o }
  BIND (?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> AS ?typed)
} ORDER BY DESC(?typed) ?g LIMIT 1
"""


def _store_ancestor(
    store: pyoxigraph.Store, node: pyoxigraph.BlankNode
) -> tuple[URIRef | None, list[URIRef]]:
    """The nearest IRI subject above a blank node in ``store`` and the predicates down to it."""
    seen: set[pyoxigraph.BlankNode | pyoxigraph.Triple] = {node}
    queue: deque[tuple[pyoxigraph.BlankNode | pyoxigraph.Triple, list[URIRef]]]
    queue = deque([(node, [])])
    while queue:
        current, path = queue.popleft()
        rows = store.query(
            _PARENTS,
            use_default_graph_as_union=True,
            substitutions={pyoxigraph.Variable("o"): current},
        )
        assert isinstance(rows, pyoxigraph.QuerySolutions)  # a SELECT
        for row in sorted(rows, key=lambda r: (str(r["s"]), str(r["p"]))):
            step = [URIRef(row["p"].value), *path]
            if isinstance(row["s"], pyoxigraph.NamedNode):
                return URIRef(row["s"].value), step
            if row["s"] not in seen and len(step) < 6:
                seen.add(row["s"])
                queue.append((row["s"], step))
    return None, []


def _graph_name(store: pyoxigraph.Store, iri: URIRef) -> str:
    """The build's file name of the named graph that types (else describes) ``iri``."""
    from automaker_kg.namespaces import GRAPH

    solutions = store.query(
        _GRAPHS, substitutions={pyoxigraph.Variable("s"): pyoxigraph.NamedNode(iri)}
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)  # a SELECT
    rows = list(solutions)
    if not rows or not isinstance(rows[0]["g"], pyoxigraph.NamedNode):
        return ""
    return rows[0]["g"].value.removeprefix(str(GRAPH))


#: Environment variable: how many threads a full :func:`validate_store` runs queries on.
THREADS_ENV = "AUTOMAKER_KG_VALIDATE_THREADS"


def _threads() -> int:
    """Threads for a full validation: ``$AUTOMAKER_KG_VALIDATE_THREADS`` if set, else the
    cores (at most 4) when they are idle, else one. A second thread only pays on an idle
    core: on 2 busy cores (load 9) it took 8% more CPU and was no faster."""
    given = os.environ.get(THREADS_ENV, "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    cores = min(4, os.cpu_count() or 1)
    return cores if os.getloadavg()[0] < cores - 0.5 else 1


#: The named graph (and predicate) marking the focus nodes of an incremental check.
FOCUS_GRAPH = "urn:automaker-kg:focus"


def validate_store(
    store: pyoxigraph.Store,
    *,
    origins: Mapping[str, str] | None = None,
    shapes: Graph | None = None,
    focus: Iterable[pyoxigraph.NamedNode | pyoxigraph.BlankNode] | None = None,
    only: Mapping[str, Iterable[pyoxigraph.NamedNode | pyoxigraph.BlankNode]] | None = None,
) -> list[Violation]:
    """Validate the union of a store's graphs by the shapes as SPARQL; sorted violations.

    The same rules, messages and focus descriptions as :func:`validate`; the file of a
    focus node is ``origins[iri]`` when given, else the named graph that types it (the
    build loads each file into ``GRAPH[<file>]``).

    ``focus``: check only these nodes as focus nodes (and as subjects of the undefined-term
    check), in the whole data: what an incremental build rechecks
    (:mod:`automaker_kg.incremental`). The store must then be writable: the nodes are marked
    in :data:`FOCUS_GRAPH` while the shapes run, and the marks removed afterwards.
    ``only`` (with ``focus``): more focus nodes, each checked by the one shape named
    (``sh:name``) only, e.g. ``{"ConcurrentStakes": stakes}``.

    A full validation runs its queries on threads side by side when cores are idle
    (:data:`THREADS_ENV` sets how many); the violations are the same.

    Raises
    ------
    automaker_kg.shacl_sparql.Unsupported
        when the shapes use a SHACL feature the translation lacks.

    >>> validate_store(pyoxigraph.Store())
    []
    """
    from automaker_kg.shacl_sparql import check_store, undefined_terms

    shapes = shapes if shapes is not None else shapes_graph()
    names = bind_prefixes(Graph())
    raw: list[tuple[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal, str, str]]
    raw = []
    marks = pyoxigraph.NamedNode(FOCUS_GRAPH)
    focus_graph = None
    if focus is not None:
        focus_graph = FOCUS_GRAPH
        true = pyoxigraph.Literal(True)
        store.extend(pyoxigraph.Quad(node, marks, true, marks) for node in focus)
        for shape, nodes in (only or {}).items():
            mark = pyoxigraph.Literal(shape)
            store.extend(pyoxigraph.Quad(node, marks, mark, marks) for node in nodes)
    try:
        threads = _threads() if focus is None else 1
        if threads > 1:  # the whole store: queries side by side
            with ThreadPoolExecutor(threads) as pool:
                pending = pool.submit(undefined_terms, store, str(KG))  # the longest first
                results = check_store(store, shapes, pool=pool)
                undefined = pending.result()
        else:
            results = check_store(store, shapes, focus_graph=focus_graph)
            undefined = undefined_terms(store, str(KG), focus_graph=focus_graph)
    finally:
        if focus is not None:
            store.remove_graph(marks)
    for result in results:
        text = re.sub(r"<([^<>\s]+)>", lambda m: _qname(names, URIRef(m.group(1))), result.message)
        value = result.value
        if (
            value is not None
            and value != result.focus
            and not isinstance(value, pyoxigraph.BlankNode)
        ):
            got = _qname(names, from_oxigraph(value))
            if got.endswith("'") and str(getattr(value, "datatype", "")).endswith("#decimal>"):
                got = got[:-1] + ".0'" if re.fullmatch(r"'[+-]?\d+'", got) else got  # 20.0 -> 20
            if got not in text:
                text += f"; got {got}"
        raw.append((result.focus, result.rule, text))
    for subject, predicate, obj in undefined:
        said, missing = from_oxigraph(predicate), from_oxigraph(obj)
        message = (
            f"{_qname(names, said)} points at {_qname(names, missing)}, "
            "which the data never describes (no rdf:type)"
        )
        raw.append((subject, "UndefinedTerm", message))
    violations = set()
    for node, rule, message in raw:
        named: URIRef | None
        if isinstance(node, pyoxigraph.BlankNode):
            named, path = _store_ancestor(store, node)
            if named is None:
                label = "[] (a blank node)"
            else:
                steps = "/".join(_qname(names, p) for p in path)
                label = f"{_qname(names, named)} {steps}"
        else:
            rdf = from_oxigraph(node)
            named = rdf if isinstance(rdf, URIRef) else None
            label = _qname(names, rdf)
        source = ""
        if named is not None:
            source = (origins or {}).get(str(named), "") if origins else _graph_name(store, named)
        violations.add(Violation(label, rule, message, source))
    return sorted(violations, key=lambda v: (v.source_file, v.focus, v.rule, v.message))
