"""The project's SHACL shapes evaluated as SPARQL SELECTs on an Oxigraph store.

pySHACL checks a graph in Python, one focus node at a time (and parses the SPARQL-based
constraint again for every focus node), about 10x the load time at a million triples. This
module reads the same ``ontology/shapes.ttl`` and turns every constraint into one SELECT per
shape that the store answers for all focus nodes at once; results name the same rule
(``sh:name``) and message (``sh:message``) pySHACL's do, and also report the failures of
nested shapes reached through ``sh:node`` (pySHACL's details), so
:func:`automaker_kg.validate.validate` can show them exactly alike. The test suite checks
that both agree on every case of ``tests/shapes/``.

Supported: targets by ``sh:targetClass`` (subclasses included); property shapes whose
``sh:path`` is an IRI; ``sh:minCount``, ``sh:maxCount``, ``sh:datatype`` (with the lexical
form checked, as an ill-typed literal has no value), ``sh:pattern``, ``sh:minInclusive``,
``sh:maxInclusive``, ``sh:in``, ``sh:nodeKind``, ``sh:class``, ``sh:hasValue``,
``sh:lessThan``, ``sh:lessThanOrEquals``, ``sh:disjoint``, ``sh:node``, ``sh:or``,
``sh:xone``, ``sh:not`` and ``sh:sparql`` (SELECT with ``$this``). Anything else raises
:class:`Unsupported`, and the caller falls back to pySHACL.

Speed (a full check of the whole store): before a constraint's query, which joins from the
target class down to the value it tests, a cheap ``ASK`` over the query's last triple and
filter alone (:meth:`_Checker.possible`) says whether any row can fail; on conforming data
none can, and the query is not run. A test that is one ``NOT EXISTS`` is asked as an
``OPTIONAL`` left unbound: first of the pattern's distinct subjects read once and held (at
most :data:`HELD_ROWS`), then, if that says yes, by a lookup per row (bounded memory; a
``MINUS`` held every match of its pattern); a pair of paths joined from subqueries; too
many values looked for by one grouped scan of the path; the ``sh:minCount 1`` of a
target's property shapes in one pass; an ``sh:xone``'s tests of whether a node has a path
read from each path's subjects, held (:meth:`_Checker.marked`). ``exhaustive=True`` runs
every query instead: the reference the tests compare with.

An incremental check (a few marked focus nodes) runs the queries directly, with each
shape's marked nodes of its target class written out as ``VALUES`` (the planner starts
from them rather than joining the marks with every node of the class; a shape none of
whose marked nodes has its class is skipped), and narrows the 100% rule by asking about
the focus stakes' targets only (:meth:`_Checker.narrow`). Blank nodes cannot be written
into a query: a shape with a marked blank node reads the marks instead.

>>> import pyoxigraph as ox
>>> from automaker_kg.validate import shapes_graph
>>> results = check_store(ox.Store(), shapes_graph())
>>> results
[]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import overload

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from automaker_kg.prefixes import NAMESPACES
from automaker_kg.sparqlguard import where_brace_offset

__all__ = ["Result", "Unsupported", "check_store", "undefined_terms"]

_RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD = NAMESPACES["xsd"]
_LEXICAL = {
    _XSD + "decimal": r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    _XSD + "integer": r"^[+-]?[0-9]+$",
    _XSD + "nonNegativeInteger": r"^(\\+?[0-9]+|-0+)$",
    _XSD + "boolean": r"^(true|false|0|1)$",
    _XSD
    + "date": r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$",
}


class Unsupported(Exception):
    """The shapes use a SHACL feature this module does not translate."""


@dataclass(frozen=True)
class Result:
    """One failed constraint: the focus node, the rule (sh:name), the message, the value."""

    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    rule: str
    message: str
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None = None


def _n3(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"cannot write {node!r} into a query")


def _count(node: Node) -> int:
    """An ``sh:minCount`` / ``sh:maxCount`` value as an int (every rdflib term is a str)."""
    return int(str(node))


class _ShapesIndex:
    """The shapes graph's triples by subject and predicate, read once: the few lookups the
    checker makes (``objects``, ``predicates``, ``value``) without rdflib's store and
    namespace machinery at each call (thousands of them a check)."""

    def __init__(self, shapes: Graph) -> None:
        self.by_subject: dict[Node, dict[Node, list[Node]]] = {}
        for s, p, o in shapes:
            self.by_subject.setdefault(s, {}).setdefault(p, []).append(o)

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return self.by_subject.get(subject, {}).get(predicate, [])

    def predicates(self, subject: Node, _object: None = None) -> list[Node]:
        return list(self.by_subject.get(subject, {}))

    def value(self, subject: Node, predicate: Node) -> Node | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None


class _Checker:
    def __init__(
        self, store: ox.Store, shapes: Graph, focused: bool = False, exhaustive: bool = False
    ) -> None:
        self.store, self.shapes = store, _ShapesIndex(shapes)
        self.focused = focused  # a few marked focus nodes: no narrowing over the whole store
        self.exhaustive = exhaustive  # every query, unnarrowed: the reference the tests use
        self.results: list[Result] = []
        self.counter = itertools.count()
        self._subclasses: dict[str, str] = {}
        self._asked: dict[str, bool] = {}
        self.present: set[tuple[str, str, Node]] = set()  # (pattern, fvar, path): no lack

    # -- helpers ------------------------------------------------------------------------
    def var(self) -> str:
        return f"?v{next(self.counter)}"

    def select(self, query: str) -> list[tuple]:
        solutions = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)  # every query here is a SELECT
        names = [v for v in solutions.variables]
        return [tuple(s[v] for v in names) for s in solutions]

    def one(self, shape: Node, prop: URIRef) -> Node | None:
        return self.shapes.value(shape, prop)

    def name(self, shape: Node) -> str:
        name = self.one(shape, SH.name)
        if name is not None:
            return str(name)
        if isinstance(shape, URIRef):
            return str(shape).rsplit("#", 1)[-1]
        return "shape"

    def message(self, shape: Node, default: str) -> str:
        messages = sorted(str(m) for m in self.shapes.objects(shape, SH.message))
        return messages[0] if messages else default

    def items(self, head: Node) -> list[Node]:
        """The members of the RDF list at ``head`` (as rdflib's ``Graph.items`` walks it)."""
        out: list[Node] = []
        node: Node | None = head
        chain: set[Node | None] = {head}
        while node is not None:
            item = self.shapes.value(node, RDF.first)
            if item is not None:
                out.append(item)
            node = self.shapes.value(node, RDF.rest)
            if node in chain:
                raise ValueError("List contains a recursive rdf:rest reference")
            chain.add(node)
        return out

    def classes(self, cls: Node) -> str:
        """A VALUES block of ``cls`` and its subclasses (read from the data)."""
        key = str(cls)
        if key not in self._subclasses:
            rows = self.select(f"SELECT DISTINCT ?c WHERE {{ ?c {_RDFS_SUBCLASS}* {_n3(cls)} }}")
            found = {f"<{r[0].value}>" for r in rows if isinstance(r[0], ox.NamedNode)}
            found.add(_n3(cls))
            self._subclasses[key] = " ".join(sorted(found))
        return self._subclasses[key]

    def possible(self, where: str | None) -> bool:
        """Whether ``ASK { where }`` holds. ``where`` is a cheap pattern that every row of a
        constraint's query also matches (the query's last triple and its filter, without
        the joins from the target class down to it): when nothing matches, the query has no
        row and is not run. ``None``, and an incremental check (its few marked nodes are
        cheaper to check than any scan), always run the query."""
        if where is None or self.focused or self.exhaustive:
            return True
        return self.ask(where)

    def possible_any(self, anchor: str | None, tests: list[str]) -> bool:
        """Whether some row of ``anchor`` passes one of ``tests`` (SPARQL expressions); a
        test that is one ``NOT EXISTS`` asked as :meth:`lacking`."""
        if anchor is None or self.focused or self.exhaustive or not tests:
            return True
        other = [t for t in tests if _minus_of(t) is None]
        if other and self.ask(f"{anchor} FILTER ({' || '.join(other)})"):
            return True
        return any(self.lacking(anchor, [str(_minus_of(t))]) for t in tests if t not in other)

    def possible_all(self, anchor: str | None, tests: list[str]) -> bool:
        """Whether some row of ``anchor`` passes every one of ``tests`` (as above). When
        none is one ``NOT EXISTS`` but one is a few of them joined by ``||`` (an ``sh:or``
        member's ``sh:class`` and ``sh:minCount 1`` paths), asked once per part, with the
        other tests: rows lacking that part's pattern are found by :meth:`lacking`, and
        only they are tested by the others (``EXISTS`` tests, one lookup per row each)."""
        if anchor is None or self.focused or self.exhaustive:
            return True
        minus = [m for t in tests if (m := _minus_of(t)) is not None]
        other = [t for t in tests if _minus_of(t) is None]
        if not minus:
            split = [(t, parts) for t in other if _all_minus(parts := _disjuncts(t))]
            if split:
                test, parts = min(split, key=lambda pair: len(pair[1]))
                rest = [t for t in tests if t is not test]
                return any(self.possible_all(anchor, [part, *rest]) for part in parts)
        return self.lacking(anchor, minus, f" FILTER ({' && '.join(other)})" if other else "")

    def lacking(self, rows: str, patterns: list[str], rest: str = "") -> bool:
        """Whether ``ASK { rows, with no match of any of patterns, rest }`` holds.

        Asked first with each pattern's subjects read once and held (:meth:`absent`'s
        ``rows``: at 1M generated triples 3-5x cheaper than a lookup per row), at most
        :data:`HELD_ROWS` of them: with fewer held than there are, more rows look lacking,
        so "no" is still exact; a "yes" is asked again by a lookup per row."""
        if not patterns:
            return self.ask(rows + rest)
        held = [self.absent(p, rows) for p in patterns]
        if any(h is not None for h in held):
            text = "".join(f" {h or self.absent(p)}" for h, p in zip(held, patterns, strict=True))
            if not self.ask(_after(rows + text, rest)):
                return False
        return self.ask(_after(rows + "".join(f" {self.absent(p)}" for p in patterns), rest))

    @overload
    def absent(self, pattern: str) -> str: ...
    @overload
    def absent(self, pattern: str, rows: str) -> str | None: ...
    def absent(self, pattern: str, rows: str | None = None) -> str | None:
        """Rows for which ``pattern`` has no match (``FILTER NOT EXISTS { pattern }``, every
        variable it shares with the rows bound), as an ``OPTIONAL`` whose mark stays unbound:
        Oxigraph looks each row up. Not ``MINUS``, which holds every match of the pattern in
        a hash: 698 MB for the claims' labels of a 1M-record GLEIF store (3.4 s CPU, where
        this takes 8.4 s and 44 MB), 353 MB for every typed organization.

        ``rows``: the rows' pattern, when ``pattern`` starts with the one variable it shares
        with them (a triple pattern of that subject); the ``OPTIONAL`` is then a subquery of
        its distinct subjects, read once and held (at most :data:`HELD_ROWS`, the first
        ones: fewer rows than the lookup, see :meth:`lacking`); otherwise ``None``."""
        mark = self.var()
        if rows is None:
            return f"OPTIONAL {{ {pattern} BIND (true AS {mark}) }} FILTER (!BOUND({mark}))"
        subject = pattern.split(" ", 1)[0]
        mine, theirs = _variables(pattern), _variables(rows)
        if not subject.startswith("?") or mine & theirs != {subject}:
            return None
        typed = _TYPED.fullmatch(pattern)  # a class test: each class's members, not every
        if typed is not None:  # typed node read and compared
            pattern = f"VALUES ?cls {{ {typed[2].replace(',', '')} }} {subject} {_RDF_TYPE} ?cls"
        return (
            f"OPTIONAL {{ SELECT DISTINCT {subject} (true AS {mark}) WHERE {{ {pattern} }} "
            f"LIMIT {HELD_ROWS} }} FILTER (!BOUND({mark}))"
        )

    def marked(self, fvar: str, test: str) -> str:
        """``test`` (a filter on ``fvar``) with each of its ``EXISTS { fvar <p> ?any }``
        read as a mark of the held subjects of ``<p>`` (a hash join of one scan, where each
        ``EXISTS`` looked up each row: the stakes' ``sh:xone``, 8 tests of 20k stakes at 1M
        generated triples, 1.1-1.5 s). Only when every such ``<p>`` has fewer than
        :data:`HELD_ROWS` subjects (each counted first), else ``test`` as it is."""
        if self.focused or self.exhaustive:
            return test
        found = [m for m in _EXISTS_PATH.finditer(test) if m[2] == fvar]
        paths = sorted({m[3] for m in found})
        if not paths or any(self.subjects(path) >= HELD_ROWS for path in paths):
            return test
        marks = {path: self.var() for path in paths}
        for m in found:
            test = test.replace(m[0], f"{'!' if m[1] else ''}BOUND({marks[m[3]]})")
        held = (
            f"OPTIONAL {{ SELECT DISTINCT {fvar} (true AS {mark}) WHERE {{ {fvar} {path} ?any }} }}"
            for path, mark in marks.items()
        )
        return " ".join([*held, test])

    def subjects(self, path: str) -> int:
        """How many distinct subjects ``path`` (an IRI in N-Triples) has."""
        rows = self.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s {path} ?o }}")
        return int(rows[0][0].value)

    def ask(self, where: str) -> bool:
        """``ASK { where }``, asked once for patterns that differ only in variable names
        (shapes often repeat a test: the holder of a stake and of a commitment)."""
        names: dict[str, str] = {}
        key = _GENERATED.sub(lambda m: names.setdefault(m.group(0), f"?g{len(names)}"), where)
        if key not in self._asked:
            answer = self.store.query(f"ASK {{ {where} }}", use_default_graph_as_union=True)
            assert isinstance(answer, ox.QueryBoolean)  # an ASK
            self._asked[key] = bool(answer)
        return self._asked[key]

    def all_present(self, props: list[Node], pattern: str, fvar: str) -> None:
        """Whether a focus node lacks a path of ``sh:minCount 1``, asked by :meth:`absent`
        (one query per path) before :meth:`prop` looks for one lacking each by a lookup
        per focus node; when none does, it does not."""
        if self.focused or self.exhaustive:
            return
        paths = set()
        for prop in props:
            path = self.one(prop, SH.path)
            low = [_count(n) for n in self.shapes.objects(prop, SH.minCount)]
            if isinstance(path, URIRef) and low == [1]:
                paths.add(path)
        if not paths:
            return
        ordered = sorted(paths, key=str)
        if not any(self.lacking(pattern, [f"{fvar} {_n3(p)} ?any"]) for p in ordered):
            self.present.update((pattern, fvar, p) for p in ordered)

    def more_than(self, path: Node, n: int) -> str:
        """A pattern matching when some subject has more than ``n`` values of ``path``."""
        s, o, count = self.var(), self.var(), self.var()
        if n == 0:
            return f"{s} {_n3(path)} {o} ."
        return (
            f"{{ SELECT {s} (COUNT(DISTINCT {o}) AS {count}) WHERE {{ {s} {_n3(path)} {o} }} "
            f"GROUP BY {s} }} FILTER ({count} > {n})"
        )

    def focus_set(self, pattern: str, fvar: str) -> set:
        return {r[0] for r in self.select(f"SELECT DISTINCT {fvar} WHERE {{ {pattern} }}")}

    def report(self, rows: Iterable[tuple], rule: str, message: str, report: bool) -> set:
        failing = set()
        for row in rows:
            focus = row[0]
            value = row[1] if len(row) > 1 else None
            failing.add(focus)
            if report:
                self.results.append(Result(focus, rule, message, value))
        return failing

    #: What a node shape and a property shape may say (anything else: :class:`Unsupported`).
    _NODE_SUPPORTED = {
        RDF.type, SH.name, SH.message, SH.property, SH.targetClass, SH.node, SH["or"],
        SH.xone, SH["not"], SH["class"], SH.datatype, SH.sparql, SH.severity,
        SH.description, SH.nodeKind, SH["in"], SH.hasValue,
        URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    }  # fmt: skip
    _PROP_KNOWN = {
        SH.path, SH.name, SH.message, SH.minCount, SH.maxCount, SH.datatype, SH.pattern,
        SH.flags, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
        SH["in"], SH.nodeKind, SH["class"], SH.hasValue, SH.lessThan, SH.lessThanOrEquals,
        SH.disjoint, SH.node, SH["or"], SH.severity, SH.description, RDF.type,
    }  # fmt: skip

    # -- node shapes --------------------------------------------------------------------
    def node(
        self, shape: Node, pattern: str, fvar: str, report: bool, anchor: str | None = None
    ) -> set:
        """The focus nodes (of ``pattern``'s ``fvar``) that fail ``shape``.

        ``anchor``: a cheaper pattern binding ``fvar`` to (at least) every node ``pattern``
        does, e.g. the last triple of a path; each query first asks whether anything
        matching the anchor can fail (:meth:`possible`). ``None``: ``pattern`` is cheapest.
        """
        for predicate in set(self.shapes.predicates(shape, None)):
            if predicate not in self._NODE_SUPPORTED:
                raise Unsupported(f"{predicate} on node shape {self.name(shape)}")
        rule, failing = self.name(shape), set()
        msg = self.message(shape, f"does not conform to {rule}")
        # value-type constraints on the focus node itself
        checks = self.value_tests(shape, fvar)
        if checks and self.possible_any(anchor, checks):
            text = f"FILTER ({' || '.join(checks)})"
            rows = self.select(f"SELECT DISTINCT {fvar} WHERE {{ {pattern} {text} }}")
            failing |= self.report(rows, rule, msg, report)
        props = sorted(self.shapes.objects(shape, SH.property), key=str)
        if anchor is None:
            self.all_present(props, pattern, fvar)
        for prop in props:
            failing |= self.prop(prop, pattern, fvar, report, anchor)
        for nested in self.shapes.objects(shape, SH.node):
            bad = self.node(nested, pattern, fvar, report, anchor)
            failing |= self.report(((f, f) for f in bad), rule, msg, report)
        for head in self.shapes.objects(shape, SH["or"]):
            tests = self.alternatives(head, fvar)
            expressions = [t for t in tests if t is not None]
            if len(expressions) == len(tests):  # one query: fails every alternative
                if not self.possible_all(anchor, expressions):
                    continue
                q = (
                    f"SELECT DISTINCT {fvar} WHERE {{ {pattern} "
                    f"FILTER ({' && '.join(expressions)}) }}"
                )
                failing |= self.report(self.select(q), rule, msg, report)
                continue
            alts = [self.node(a, pattern, fvar, False, anchor) for a in self.items(head)]
            bad = set.intersection(*alts) if alts else set()
            failing |= self.report(((f, f) for f in bad), rule, msg, report)
        for head in self.shapes.objects(shape, SH.xone):
            tests = [self.test(a, fvar) for a in self.items(head)]
            if all(t is not None for t in tests):  # one query: conforms to exactly one
                count = " + ".join(f"IF({t}, 0, 1)" for t in tests)
                if not self.possible(anchor and f"{anchor} FILTER (({count}) != 1)"):
                    continue
                held = self.marked(fvar, f"FILTER (({count}) != 1)")
                q = f"SELECT DISTINCT {fvar} WHERE {{ {pattern} {held} }}"
                failing |= self.report(self.select(q), rule, msg, report)
                continue
            candidates = self.focus_set(pattern, fvar)
            alts = [
                candidates - self.node(a, pattern, fvar, False, anchor) for a in self.items(head)
            ]
            bad = {f for f in candidates if sum(f in ok for ok in alts) != 1}
            failing |= self.report(((f, f) for f in bad), rule, msg, report)
        for inner in self.shapes.objects(shape, SH["not"]):
            test = self.test(inner, fvar)
            if test is not None:
                if not self.possible(anchor and f"{anchor} FILTER (!{test})"):
                    continue
                q = f"SELECT DISTINCT {fvar} WHERE {{ {pattern} FILTER (!{test}) }}"
                failing |= self.report(self.select(q), rule, msg, report)
                continue
            candidates = self.focus_set(pattern, fvar)
            bad = candidates - self.node(inner, pattern, fvar, False, anchor)
            failing |= self.report(((f, f) for f in bad), rule, msg, report)
        for constraint in self.shapes.objects(shape, SH.sparql):
            failing |= self.sparql(constraint, pattern, fvar, report)
        return failing

    _SIMPLE_NODE = {RDF.type, SH.property, SH["or"], SH.xone, SH["not"], SH["class"], SH.datatype}
    _SIMPLE_NODE |= {SH.nodeKind, SH["in"], SH.pattern, SH.minInclusive, SH.maxInclusive}
    _SIMPLE_NODE |= {SH.name, SH.message}
    _SIMPLE_PROP = {SH.path, SH.minCount, SH.maxCount, SH.name, SH.message, RDF.type}
    _SIMPLE_PROP |= {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern}
    _SIMPLE_PROP |= {SH.minInclusive, SH.maxInclusive}

    def test(self, shape: Node, v: str) -> str | None:
        """A SPARQL expression true when ``v`` fails ``shape``; ``None`` when the shape is
        not simple enough (nested sh:node, sh:sparql, pair constraints) to be one."""
        if not set(self.shapes.predicates(shape, None)) <= self._SIMPLE_NODE:
            return None
        parts = self.value_tests(shape, v)
        for prop in self.shapes.objects(shape, SH.property):
            path = self.one(prop, SH.path)
            if not isinstance(path, URIRef):
                return None
            if not set(self.shapes.predicates(prop, None)) <= self._SIMPLE_PROP:
                return None
            x = self.var()
            for n in self.shapes.objects(prop, SH.minCount):
                if _count(n) > 1:
                    return None
                if _count(n) == 1:
                    parts.append(f"NOT EXISTS {{ {v} {_n3(path)} ?any{x[1:]} }}")
            for n in self.shapes.objects(prop, SH.maxCount):
                if _count(n) != 0:
                    return None
                parts.append(f"EXISTS {{ {v} {_n3(path)} ?any{x[1:]} }}")
            bad = self.value_tests(prop, x)
            if bad:
                parts.append(f"EXISTS {{ {v} {_n3(path)} {x} FILTER ({' || '.join(bad)}) }}")
        for head in self.shapes.objects(shape, SH["or"]):
            alts = self.alternatives(head, v)
            if any(a is None for a in alts):
                return None
            parts.append("(" + " && ".join(alts) + ")")  # type: ignore[arg-type]
        for head in self.shapes.objects(shape, SH.xone):
            alts = [self.test(a, v) for a in self.items(head)]
            if any(a is None for a in alts):
                return None
            parts.append("((" + " + ".join(f"IF({a}, 0, 1)" for a in alts) + ") != 1)")
        for inner in self.shapes.objects(shape, SH["not"]):
            test = self.test(inner, v)
            if test is None:
                return None
            parts.append(f"!{test}")
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def alternatives(self, head: Node, v: str) -> list[str | None]:
        """The tests of the members of the ``sh:or`` list at ``head``, each true when ``v``
        fails that member (:meth:`test`), ``v`` failing the ``sh:or`` when every one is true.
        Members that only name a class (``[ sh:class C ]``) are one test of their classes
        together: ``v`` fails each of them exactly when none of its types is one of them
        (one lookup of its types instead of one per member)."""
        members = self.items(head)
        if len(members) > 1 and all(
            set(self.shapes.predicates(m)) == {SH["class"]} for m in members
        ):
            named = {c for m in members for c in self.shapes.objects(m, SH["class"])}
            return [self.class_test(v, named)]
        return [self.test(a, v) for a in members]

    def class_test(self, v: str, classes: Iterable[Node]) -> str:
        """An expression true when no type of ``v`` is one of ``classes`` or a subclass of
        one: its types looked up and compared (``IN``), not each class joined with them
        (a ``VALUES`` block in the pattern took 5-6x the time at 1M generated triples)."""
        listed = {c for cls in classes for c in self.classes(cls).split()}
        return (
            f"NOT EXISTS {{ {v} {_RDF_TYPE} ?cls FILTER (?cls IN ({', '.join(sorted(listed))})) }}"
        )

    def value_tests(self, shape: Node, v: str) -> list[str]:
        """Expressions, each true for a value of ``v`` that breaks one constraint."""
        out = []
        for cls in self.shapes.objects(shape, SH["class"]):
            out.append(self.class_test(v, [cls]))
        for dt in self.shapes.objects(shape, SH.datatype):
            check = f"isLiteral({v}) && DATATYPE({v}) = {_n3(dt)}"
            if str(dt) in _LEXICAL:
                check += f' && REGEX(STR({v}), "{_LEXICAL[str(dt)]}")'
            out.append(f"!({check})")
        for kind in self.shapes.objects(shape, SH.nodeKind):
            kinds: dict[Node, str] = {
                SH.IRI: f"isIRI({v})",
                SH.Literal: f"isLiteral({v})",
                SH.BlankNode: f"isBlank({v})",
                SH.BlankNodeOrIRI: f"(isBlank({v}) || isIRI({v}))",
                SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
                SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))",
            }
            test = kinds.get(kind)
            if test is None:
                raise Unsupported(f"sh:nodeKind {kind}")
            out.append(f"!{test}")
        for head in self.shapes.objects(shape, SH["in"]):
            members = ", ".join(_n3(m) for m in self.items(head))
            out.append(f"({v} NOT IN ({members}))")
        for pattern in self.shapes.objects(shape, SH.pattern):
            flags = self.one(shape, SH.flags)
            regex = Literal(str(pattern)).n3()
            extra = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            out.append(f"(isBlank({v}) || !REGEX(STR({v}), {regex}{extra}))")
        for bound, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<=")):
            for limit in self.shapes.objects(shape, bound):
                out.append(f"!COALESCE({v} {op} {_n3(limit)}, false)")
        for bound, op in ((SH.minExclusive, ">"), (SH.maxExclusive, "<")):
            for limit in self.shapes.objects(shape, bound):
                out.append(f"!COALESCE({v} {op} {_n3(limit)}, false)")
        return out

    # -- property shapes ----------------------------------------------------------------
    def prop(
        self, shape: Node, pattern: str, fvar: str, report: bool, anchor: str | None = None
    ) -> set:
        path = self.one(shape, SH.path)
        if not isinstance(path, URIRef):
            raise Unsupported(f"sh:path {path!r} of {self.name(shape)} (only IRIs)")
        for predicate in set(self.shapes.predicates(shape, None)):
            if predicate not in self._PROP_KNOWN:
                raise Unsupported(f"{predicate} on property shape {self.name(shape)}")
        rule = self.name(shape)
        msg = self.message(shape, f"{rule}: the values of {path} do not conform")
        v = self.var()
        values = f"{pattern} {fvar} {_n3(path)} {v} ."
        last = f"{fvar} {_n3(path)} {v} ."  # the values without the joins above them
        failing: set = set()
        low = [_count(n) for n in self.shapes.objects(shape, SH.minCount)]
        high = [_count(n) for n in self.shapes.objects(shape, SH.maxCount)]
        # too many values: looked for among every subject of the path, in one scan
        over = any([self.possible(self.more_than(path, n)) for n in high])
        lacking = f"FILTER NOT EXISTS {{ {fvar} {_n3(path)} ?any }}"
        if low == [1] and not over:  # then only a missing value can fail
            if (pattern, fvar, path) not in self.present and self.possible_any(
                anchor, [lacking.removeprefix("FILTER ")]
            ):
                q = f"SELECT DISTINCT {fvar} WHERE {{ {pattern} {lacking} }}"
                failing |= self.report(self.select(q), rule, msg, report)
        elif any(n > 0 for n in low) or over:
            tests = [f"?n < {n}" for n in low] + [f"?n > {n}" for n in high]
            inner = f"{fvar} {_n3(path)} {v}"
            q = (
                f"SELECT {fvar} WHERE {{ {{ SELECT {fvar} (COUNT(DISTINCT {v}) AS ?n) "
                f"WHERE {{ {pattern} OPTIONAL {{ {inner} }} }} GROUP BY {fvar} }} "
                f"FILTER ({' || '.join(tests)}) }}"
            )
            failing |= self.report(self.select(q), rule, msg, report)
        checks = self.value_tests(shape, v)
        if checks and self.possible_any(last, checks):
            q = f"SELECT DISTINCT {fvar} {v} WHERE {{ {values} FILTER ({' || '.join(checks)}) }}"
            failing |= self.report(self.select(q), rule, msg, report)
        for value in self.shapes.objects(shape, SH.hasValue):
            has = f"{fvar} {_n3(path)} {_n3(value)}"
            if not self.possible_any(anchor, [f"NOT EXISTS {{ {has} }}"]):
                continue
            q = f"SELECT DISTINCT {fvar} WHERE {{ {pattern} FILTER NOT EXISTS {{ {has} }} }}"
            failing |= self.report(self.select(q), rule, msg, report)
        for other, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for prop in self.shapes.objects(shape, other):
                compare = f"{fvar} {_n3(prop)} ?other . FILTER (!COALESCE({v} {op} ?other, false))"
                joined = (  # each path in a subquery of its own: a hash join of two scans
                    f"{{ SELECT {fvar} {v} WHERE {{ {last} }} }} "
                    f"{{ SELECT {fvar} ?other WHERE {{ {fvar} {_n3(prop)} ?other }} }} "
                    f"FILTER (!COALESCE({v} {op} ?other, false))"
                )
                if not self.possible(joined):
                    continue
                q = f"SELECT DISTINCT {fvar} {v} WHERE {{ {values} {compare} }}"
                failing |= self.report(self.select(q), rule, msg, report)
        for prop in self.shapes.objects(shape, SH.disjoint):
            both = (  # as above: a hash join instead of a lookup per value
                f"{{ SELECT {fvar} {v} WHERE {{ {last} }} }} "
                f"{{ SELECT {fvar} {v} WHERE {{ {fvar} {_n3(prop)} {v} }} }}"
            )
            if not self.possible(both):
                continue
            q = f"SELECT DISTINCT {fvar} {v} WHERE {{ {values} {fvar} {_n3(prop)} {v} }}"
            failing |= self.report(self.select(q), rule, msg, report)
        bad_values: set = set()
        for nested in self.shapes.objects(shape, SH.node):
            bad_values |= self.node(nested, values, v, report, last)
        for head in self.shapes.objects(shape, SH["or"]):
            alternatives = self.alternatives(head, v)
            expressions = [t for t in alternatives if t is not None]
            if len(expressions) == len(alternatives):  # one query: values failing every one
                if not self.possible_all(last, expressions):
                    continue
                q = (
                    f"SELECT DISTINCT {fvar} {v} WHERE {{ {values} "
                    f"FILTER ({' && '.join(expressions)}) }}"
                )
                failing |= self.report(self.select(q), rule, msg, report)
                continue
            alts = [self.node(a, values, v, False, last) for a in self.items(head)]
            bad_values |= set.intersection(*alts) if alts else set()
        if bad_values:
            pairs = self.select(f"SELECT DISTINCT {fvar} {v} WHERE {{ {values} }}")
            rows = [(f, x) for f, x in pairs if x in bad_values]
            failing |= self.report(rows, rule, msg, report)
        return failing

    def narrow(self, rule: str, focus: set | None = None) -> set | None:
        """The only focus nodes that can break ``rule`` (a superset), or ``None``: check all.

        ``focus``: only these nodes are checked; the guard and the crowded groups are then
        asked about their groups alone (the objects of the rule's ``group`` path from them:
        every node the rule compares one of them with is in one of those), by lookups
        from those groups instead of scans of every stake."""
        narrowing = _NARROWING[rule]
        if focus is None:
            if self.select(narrowing.guard):
                return None
            if not self.select(narrowing.crowded):  # the usual case: no target is crowded
                return set()
            return {row[0] for row in self.select(narrowing.candidates)}
        path = ox.NamedNode(narrowing.group)
        groups = {q.object for n in focus for q in self.store.quads_for_pattern(n, path, None)}
        if not groups or len(groups) > 20_000 or len(focus) > 20_000:
            return None  # nothing to narrow to, or as dear as checking them
        if not all(isinstance(g, ox.NamedNode) for g in [*groups, *focus]):
            return None  # a blank node cannot be written into a query
        scope = {
            "groups": " ".join(sorted(str(g) for g in groups)),
            "focus": " ".join(sorted(str(n) for n in focus)),
        }
        if self.select(narrowing.guard_in % scope):
            return None
        return {row[0] for row in self.select(narrowing.candidates_in % scope)}

    # -- SPARQL-based constraints -------------------------------------------------------
    def sparql(self, constraint: Node, pattern: str, fvar: str, report: bool) -> set:
        text = self.one(constraint, SH.select)
        if text is None:
            raise Unsupported("sh:sparql without sh:select")
        prologue = ""
        for prefixes in self.shapes.objects(constraint, SH.prefixes):
            for decl in self.shapes.objects(prefixes, SH.declare):
                prefix = self.one(decl, SH.prefix)
                namespace = self.one(decl, SH.namespace)
                prologue += f"PREFIX {prefix}: <{namespace}>\n"
        query = re.sub(r"\$this\b", "?this", str(text))
        query = re.sub(r"\$(\w+)", r"?\1", query)
        offset = where_brace_offset(query)
        if offset is None:
            raise Unsupported("sh:select without a WHERE pattern")
        focus = pattern.replace(fvar, "?this") if fvar != "?this" else pattern
        rule = self.name(constraint)
        template = self.message(constraint, f"does not conform to {rule}")
        restrict = f"{{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}"
        if self.focused and fvar == "?this" and not self.exhaustive:  # the few marked nodes,
            candidates = self.focus_set(focus, "?this")  # written out: the planner starts there
            narrowed = self.narrow(rule, candidates) if rule in _NARROWING and candidates else None
            if narrowed is not None:  # a stake in a crowded target: only sums over 100
                candidates &= narrowed
            if not candidates:
                return set()
            if len(candidates) <= 20_000 and all(isinstance(c, ox.NamedNode) for c in candidates):
                values = " ".join(str(c) for c in sorted(candidates, key=str))
                restrict += f" VALUES ?this {{ {values} }}"
        elif rule in _NARROWING and fvar == "?this" and not self.exhaustive:
            possible = self.narrow(rule)
            if possible is not None and not possible:
                return set()  # no focus node can break the rule
            if possible is not None and len(possible) <= 20_000:
                values = " ".join(str(c) for c in sorted(possible, key=str))
                restrict += f" VALUES ?this {{ {values} }}"
        query = prologue + query[:offset] + f" {restrict} " + query[offset:]
        solutions = self.store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
        names = [v.value for v in solutions.variables]
        failing = set()
        for solution in solutions:
            this = solution["this"]
            failing.add(this)
            if not report:
                continue
            message = template
            for name in names:
                term = solution[name]
                if term is not None:
                    message = message.replace("{?" + name + "}", _message_term(term))
                    message = message.replace("{$" + name + "}", _message_term(term))
            value = solution["value"] if "value" in names else None
            self.results.append(Result(this, rule, message, value))
        return failing


_AKG = "https://w3id.org/automaker-kg/ontology#"
_GENERATED = re.compile(r"\?(?:any)?v[0-9]+\b")  # the variables _Checker.var names
_VARIABLE = re.compile(r"\?[A-Za-z_][A-Za-z0-9_]*")
#: The pattern of :meth:`_Checker.class_test` (the node, the classes).
_TYPED = re.compile(r"(\?\w+) " + re.escape(_RDF_TYPE) + r" \?cls FILTER \(\?cls IN \(([^()]*)\)\)")
_QUOTED = re.compile(r'<[^<>\s]*>|"(?:[^"\\]|\\.)*"')  # IRIs and strings in a query


def _variables(text: str) -> set[str]:
    """The variables of a query's text (not the ``?`` of an IRI or string).

    >>> sorted(_variables('?s <urn:a?b> ?o FILTER (?o != "?x")'))
    ['?o', '?s']
    """
    return set(_VARIABLE.findall(_QUOTED.sub(" ", text)))


#: At most this many distinct matches of a pattern are held by :meth:`_Checker.lacking`
#: (about 100 bytes each in Oxigraph's hash).
HELD_ROWS = 500_000
_STAKE_GUARD = f"""
SELECT ?s WHERE {{
  {{ SELECT ?s ?p WHERE {{
      VALUES ?p {{ <{_AKG}target> <{_AKG}interestType> <{_AKG}holder> <{_AKG}shareExact>
                 <{_AKG}shareMinimum> <{_AKG}validFrom> <{_AKG}validTo> }}
      ?s ?p ?v .
    }} GROUP BY ?s ?p HAVING (COUNT(DISTINCT ?v) > 1) }}
  ?s {_RDF_TYPE} <{_AKG}EquityStake> .
}} LIMIT 1
"""
_STAKE_CROWDED = f"""
SELECT ?target ?kind WHERE {{
  {{ SELECT ?s WHERE {{ ?s {_RDF_TYPE} <{_AKG}EquityStake> }} }}
  {{ SELECT ?s ?target WHERE {{ ?s <{_AKG}target> ?target }} }}
  {{ SELECT ?s ?kind WHERE {{ ?s <{_AKG}interestType> ?kind }} }}
  OPTIONAL {{ SELECT ?s ?e WHERE {{ ?s <{_AKG}shareExact> ?e FILTER (isNumeric(?e)) }} }}
  OPTIONAL {{ SELECT ?s ?m WHERE {{ ?s <{_AKG}shareMinimum> ?m FILTER (isNumeric(?m)) }} }}
  BIND (COALESCE(?e, ?m, 0) AS ?x)
}} GROUP BY ?target ?kind HAVING (SUM(IF(?x > 0, ?x, 0)) > 100)
"""
_STAKE_CANDIDATES = f"""
SELECT DISTINCT ?this WHERE {{
  {{ {_STAKE_CROWDED} }}
  ?this {_RDF_TYPE} <{_AKG}EquityStake> ; <{_AKG}target> ?target ; <{_AKG}interestType> ?kind .
}}
"""
#: The 100% rule's narrowing for a few focus nodes (an incremental check): the same
#: guard and groups, asked about the groups (targets) of those nodes only, by a join from
#: them (``%(groups)s``: their targets; ``%(focus)s``: the nodes).
_STAKE_GUARD_IN = f"""
SELECT ?s WHERE {{
  VALUES ?group {{ %(groups)s }}
  ?s <{_AKG}target> ?group ; {_RDF_TYPE} <{_AKG}EquityStake> .
  VALUES ?p {{ <{_AKG}target> <{_AKG}interestType> <{_AKG}holder> <{_AKG}shareExact>
             <{_AKG}shareMinimum> <{_AKG}validFrom> <{_AKG}validTo> }}
  ?s ?p ?v .
}} GROUP BY ?s ?p HAVING (COUNT(DISTINCT ?v) > 1) LIMIT 1
"""
_STAKE_CANDIDATES_IN = f"""
SELECT DISTINCT ?this WHERE {{
  {{ SELECT ?target ?kind WHERE {{
      VALUES ?target {{ %(groups)s }}
      ?s <{_AKG}target> ?target ; {_RDF_TYPE} <{_AKG}EquityStake> ; <{_AKG}interestType> ?kind .
      OPTIONAL {{ ?s <{_AKG}shareExact> ?e FILTER (isNumeric(?e)) }}
      OPTIONAL {{ ?s <{_AKG}shareMinimum> ?m FILTER (isNumeric(?m)) }}
      BIND (COALESCE(?e, ?m, 0) AS ?x)
    }} GROUP BY ?target ?kind HAVING (SUM(IF(?x > 0, ?x, 0)) > 100) }}
  VALUES ?this {{ %(focus)s }}
  ?this <{_AKG}target> ?target ; <{_AKG}interestType> ?kind .
}}
"""


@dataclass(frozen=True)
class _Narrowing:
    """Cheap queries giving the only focus nodes that can break a SPARQL constraint."""

    guard: str
    """A row: the narrowing does not hold, every node is checked."""
    crowded: str
    """The groups where a node can break the rule (none: no node can)."""
    candidates: str
    """The nodes in those groups."""
    group: str
    """The path from a node to its group."""
    guard_in: str
    """:attr:`guard` about the groups of a few nodes (see :meth:`_Checker.narrow`)."""
    candidates_in: str
    """Those nodes in a crowded group."""


#: SPARQL constraints whose text compares each focus node with many others, and cheap
#: queries giving the only focus nodes that can break them: a guard (when it has a row,
#: every node is checked), the crowded groups (when none, no node is; each path from a
#: subquery: hash joins of scans, not a lookup per stake) and the nodes in them. The 100%
#: rule sums, for one stake, shares of stakes in the same target and interest type (a
#: subset of them, each once when every stake has one value per property, which the guard
#: checks, counting the distinct values of those properties by subject in one scan of
#: each; otherwise every focus node is checked): it can exceed 100 only where the positive
#: shares of all stakes in that target and type do. Exact, and linear instead of quadratic.
_NARROWING: dict[str, _Narrowing] = {
    "ConcurrentStakesAtMost100": _Narrowing(
        _STAKE_GUARD,
        _STAKE_CROWDED,
        _STAKE_CANDIDATES,
        _AKG + "target",
        _STAKE_GUARD_IN,
        _STAKE_CANDIDATES_IN,
    ),  # fmt: skip
}


def _minus_of(test: str) -> str | None:
    """The pattern ``P`` when ``test`` is exactly ``NOT EXISTS { P }`` (in parentheses or
    not), else ``None``. Every variable ``P`` shares with the query is bound by then (the
    focus node or the value), so an anti-join on ``P`` removes the same rows.

    >>> _minus_of("(NOT EXISTS { ?v <p> ?any })")
    '?v <p> ?any'
    >>> _minus_of("NOT EXISTS { ?v <p> ?a } || NOT EXISTS { ?v <q> ?b }") is None
    True
    """
    text = _unwrapped(test)
    if not text.startswith("NOT EXISTS {") or not text.endswith("}"):
        return None
    start = text.index("{")
    return text[start + 1 : -1].strip() if _closes(text, start) == len(text) - 1 else None


#: ``EXISTS { ?node <path> ?any }`` (or ``NOT EXISTS``), as :meth:`_Checker.test` writes it.
_EXISTS_PATH = re.compile(r"(NOT )?EXISTS \{ (\?\w+) (<[^<>\s]+>) \?any\w+ \}")

#: A ``LIMIT`` no query reaches: a subquery with it is evaluated before the filters
#: around it, which Oxigraph's optimizer would otherwise move into it, down to the scan.
_UNLIMITED = 2**62


def _after(rows: str, rest: str) -> str:
    """``rows`` then ``rest`` (filters), these tested on the rows only: at 1M generated
    triples, the selectors' ``sh:or`` tested its ``EXISTS`` on each of 53k selectors before
    joining them with the held ones (1.2 s), where the join leaves none to test."""
    return f"{{ SELECT * WHERE {{ {rows} }} LIMIT {_UNLIMITED} }}{rest}" if rest else rows


def _unwrapped(test: str) -> str:
    """``test`` without the parentheses around all of it."""
    text = test.strip()
    while text.startswith("(") and text.endswith(")") and _closes(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _disjuncts(test: str) -> list[str]:
    """The parts of ``test`` joined by ``||`` outside any bracket (no brackets in strings).

    >>> _disjuncts("(NOT EXISTS { ?v <p> ?a } || (NOT EXISTS { ?v <q> ?b }))")
    ['NOT EXISTS { ?v <p> ?a }', '(NOT EXISTS { ?v <q> ?b })']
    >>> _disjuncts("EXISTS { ?v <p> ?a FILTER (?a || ?b) }")
    ['EXISTS { ?v <p> ?a FILTER (?a || ?b) }']
    """
    text, parts, depth, start = _unwrapped(test), [], 0, 0
    for i, char in enumerate(text):
        depth += (char in "({") - (char in ")}")
        if depth == 0 and text.startswith(" || ", i):
            parts.append(text[start:i].strip())
            start = i + 4
    parts.append(text[start:].strip())
    return parts


def _all_minus(parts: list[str]) -> bool:
    """Whether ``parts`` are a few tests (2 to 8), each one ``NOT EXISTS`` (:func:`_minus_of`)."""
    return 1 < len(parts) <= 8 and all(_minus_of(p) is not None for p in parts)


def _closes(text: str, start: int) -> int:
    """The index of the bracket closing the one at ``start`` (no brackets in strings here)."""
    pairs = {"(": ")", "{": "}"}
    opening, closing, depth = text[start], pairs[text[start]], 0
    for i in range(start, len(text)):
        if text[i] == opening:
            depth += 1
        elif text[i] == closing:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _message_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        text = term.value
        if term.datatype.value == _XSD + "decimal" and re.fullmatch(r"[+-]?[0-9]+", text):
            text += ".0"
        return text
    return str(term)


def _marked(focus_graph: str | None, var: str, shape: str | None = None) -> str:
    """A pattern keeping only the nodes ``var`` marked in ``focus_graph`` (see
    :func:`check_store`): for every shape, or for the shape named ``shape`` too; or
    nothing."""
    if focus_graph is None:
        return ""
    if ">" in focus_graph or " " in focus_graph:
        raise ValueError(f"bad focus graph {focus_graph!r}")
    marks = "true" if shape is None else f"true {Literal(shape).n3()}"
    return (
        f"{{ SELECT DISTINCT {var} WHERE {{ GRAPH <{focus_graph}> {{ "
        f"VALUES ?mark {{ {marks} }} {var} <{focus_graph}> ?mark }} }} }} "
    )


def _marked_types(
    store: ox.Store, focus_graph: str
) -> dict[ox.NamedNode | ox.BlankNode, tuple[set[str], set[str | None]]]:
    """The nodes marked in ``focus_graph`` (see :func:`check_store`), each with its types
    (as written in a query: ``<iri>``) and its marks (``None``: every shape; else the
    names of the shapes it is marked for)."""
    graph = ox.NamedNode(focus_graph)
    kind = ox.NamedNode(_RDF_TYPE[1:-1])
    out: dict[ox.NamedNode | ox.BlankNode, tuple[set[str], set[str | None]]] = {}
    for quad in store.quads_for_pattern(None, graph, None, graph):
        node, mark = quad.subject, quad.object
        if not isinstance(node, ox.NamedNode | ox.BlankNode):
            continue
        if node not in out:
            out[node] = ({str(q.object) for q in store.quads_for_pattern(node, kind, None)}, set())
        if isinstance(mark, ox.Literal) and mark.datatype.value == _XSD + "boolean":
            out[node][1].add(None if mark.value == "true" else mark.value)
        elif isinstance(mark, ox.Literal):
            out[node][1].add(mark.value)
    return out


def check_store(
    store: ox.Store,
    shapes: Graph,
    *,
    focus_graph: str | None = None,
    exhaustive: bool = False,
    pool: Executor | None = None,
) -> list[Result]:
    """Evaluate every targeted shape of ``shapes`` on ``store`` (default graph = union).

    ``focus_graph``: check only the focus nodes ``n`` the named graph of that IRI marks with
    ``n <focus_graph> true``, and by the shape named ``S`` (``sh:name``) the nodes marked
    ``n <focus_graph> "S"`` too (an incremental check of what changed; the marks must be
    removed before the store is used otherwise).

    ``exhaustive``: run every constraint's query over all its focus nodes, without first
    asking whether anything can fail (:meth:`_Checker.possible`) and without narrowing the
    100% rule (with ``focus_graph``: every shape over the marks joined with its class, no
    node written out, none skipped); the same results, slower: the reference the tests
    compare with.

    ``pool``: threads to check the shapes on side by side (Oxigraph answers a query without
    holding Python's lock); the results are the same in the same order.

    Returns the results in a stable order (rule, then focus). Raises :class:`Unsupported`
    for a SHACL feature this module does not translate.
    """
    # one checker for all threads: its caches are dicts and sets (each update atomic),
    # its variable counter an itertools.count and its results a list appended to
    checker = _Checker(store, shapes, focused=focus_graph is not None, exhaustive=exhaustive)
    targeted = sorted(set(shapes.subjects(SH.targetClass, None)), key=str)
    for shape in targeted:
        for predicate in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            if shapes.value(shape, predicate) is not None:
                raise Unsupported(f"{predicate} on {checker.name(shape)}")
    for shape in shapes.subjects(SH.targetNode, None):  # pragma: no cover - not used yet
        raise Unsupported(f"sh:targetNode on {checker.name(shape)}")

    # an incremental check: each shape's marked nodes of its class, written out (the
    # planner starts from them instead of joining the marks with every node of the class);
    # a shape none of whose marked nodes is of its class has no focus node and is skipped
    marked = None
    if focus_graph is not None and not exhaustive:
        marked = _marked_types(store, focus_graph)

    def check(task: tuple[Node, Node]) -> None:
        shape, cls = task
        name = checker.name(shape)
        pattern = (
            f"{_marked(focus_graph, '?this', name)}VALUES ?target_class "
            f"{{ {checker.classes(cls)} }} ?this {_RDF_TYPE} ?target_class ."
        )
        if marked is not None:
            targets = set(checker.classes(cls).split())
            nodes = sorted(
                str(n)
                for n, (types, marks) in marked.items()
                if types & targets and (None in marks or name in marks)
            )
            if not nodes:
                return  # no marked node is of the class: no focus node, no result
            if all(n.startswith("<") for n in nodes):  # named: written out, the planner
                pattern = f"VALUES ?this {{ {' '.join(nodes)} }}"  # starts from them
        checker.node(shape, pattern, "?this", True)

    tasks = [(shape, cls) for shape in targeted for cls in shapes.objects(shape, SH.targetClass)]
    if pool is None:
        for task in tasks:
            check(task)
    else:
        list(pool.map(check, tasks))  # raises what a task raised
    unique = dict.fromkeys(checker.results)
    return sorted(unique, key=lambda r: (r.rule, str(r.focus), r.message, str(r.value)))


_UNDEFINED = """
SELECT DISTINCT ?s ?p ?o WHERE {
  %s?s ?p ?o .
  FILTER (isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
          && STRSTARTS(STR(?o), "%s"))
  FILTER NOT EXISTS { ?o <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?any }
}
"""


#: The objects (other than of rdf:type) that nothing types, held typed nodes left out by a
#: join: without testing each object's kind first, which costs Oxigraph a decoding of the
#: term (``isIRI`` over the 1.18M objects at 1M generated triples: 3.9-4.5 s, where the
#: distinct objects and the join, compared by their stored ids, take about 2 s). Only the
#: objects left (literals, untyped nodes: 153k of 330k) are tested, by the outer filter, after
#: the inner subquery (:data:`_UNLIMITED`; moved before its ``DISTINCT``: 5.7-6.0 s). The
#: typed nodes are at most :data:`HELD_ROWS`, the first ones: with fewer held than there
#: are, more objects look untyped, and :data:`_USES` looks each one up.
_UNHELD_OBJECTS = """
SELECT ?o WHERE {
  { SELECT ?o WHERE {
      { SELECT DISTINCT ?o WHERE {
          ?s ?p ?o . FILTER (?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) } }
      OPTIONAL { SELECT DISTINCT ?o (true AS ?typed) WHERE {
          ?o <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?type } LIMIT %d }
      FILTER (!BOUND(?typed))
    } LIMIT %d }
  FILTER (isIRI(?o) && STRSTARTS(STR(?o), "%s"))
}
"""
#: More objects than this left by :data:`_UNHELD_OBJECTS` (a store with more typed nodes
#: than are held) are found again by :data:`_UNTYPED_OBJECTS` instead of looked up.
UNHELD_LOOKUPS = 10_000
#: :data:`_UNHELD_OBJECTS` holds every distinct object, literals too (at 1M generated
#: triples, 1.18M quads: 330k, the check's peak 109 -> 204 MB), so only in a store of at
#: most this many quads (counted first, 0.3 s there); a larger one (a GLEIF golden copy,
#: whose distinct literals are many more) is checked by :data:`_UNTYPED_OBJECTS`.
UNHELD_QUADS = 2_000_000

#: The IRIs used as the object of a triple (other than rdf:type) that nothing types: the
#: distinct IRI objects first, so that each is tested once, not once per triple (the test
#: reads the term's text), then each one's types looked up by the OPTIONAL (a probe of the
#: index per IRI, left unbound when it has none). Not an anti-join by MINUS, whose hash of
#: every typed subject, beside the distinct objects with their literals, took a 1M-record
#: GLEIF build to 1.47 GB (300k records, the check alone: 588 MB peak against 275 MB, the
#: same 26.5 s CPU), nor FILTER NOT EXISTS (as little memory, but 41.8 s CPU at 300k).
_UNTYPED_OBJECTS = """
SELECT ?o WHERE {
  { SELECT DISTINCT ?o WHERE {
      ?s ?p ?o .
      FILTER (isIRI(?o) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) } }
  OPTIONAL { ?o <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?type }
  FILTER (!BOUND(?type))
}
"""
_USES = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?o { %s }
  FILTER NOT EXISTS { ?o <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?any }
  ?s ?p ?o . FILTER (?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)
}
"""


def undefined_terms(
    store: ox.Store, namespace: str, *, focus_graph: str | None = None
) -> list[tuple]:
    """``(subject, predicate, object)`` where ``object`` is an IRI of ``namespace`` that the
    data never types (the check SHACL cannot express cleanly); only marked subjects with
    ``focus_graph`` (as in :func:`check_store`)."""
    if '"' in namespace or "\\" in namespace:
        raise ValueError(f"bad namespace {namespace!r}")
    if focus_graph is None:  # the whole store: the untyped objects first, then their uses
        small, untyped = len(store) <= UNHELD_QUADS, []
        if small:
            query = _UNHELD_OBJECTS % (HELD_ROWS, _UNLIMITED, namespace)
            untyped = _objects(store, query, namespace)
        if not small or len(untyped) > UNHELD_LOOKUPS:
            untyped = _objects(store, _UNTYPED_OBJECTS, namespace)
        if not untyped:
            return []
        text = _USES % " ".join(untyped)
    else:
        text = _UNDEFINED % (_marked(focus_graph, "?s"), namespace)
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
    return [(s["s"], s["p"], s["o"]) for s in solutions]


def _objects(store: ox.Store, query: str, namespace: str) -> list[str]:
    """The ``?o`` of ``query``'s rows that are IRIs of ``namespace``, sorted, as N-Triples."""
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
    return sorted(str(row["o"]) for row in solutions if row["o"].value.startswith(namespace))
