"""The SPARQL query library: find ``queries/*.rq``, bind parameters, run, format results.

A library query is a ``.rq`` file headed by comment lines::

    # title: Stakes in a company
    # question: Who holds what stake in a company, and how does it change?
    # parameters:
    #   company (entity, default Nissan): the company whose shareholders to list
    # columns: holder, interest, share, valid_from, valid_to, status, claim

Parameter values are bound as terms, never pasted into the query text as given: on
pyoxigraph stores each is written in its N-Triples form as ``BIND (term AS ?name)`` where the
WHERE pattern opens (:func:`inline`: the same text then runs in process, on the endpoint and
on other engines, with the plan that starts from the value); on rdflib, ``initBindings``.

Types: ``entity`` (a name, alias, prefixed name or IRI, resolved to the entity's IRI),
``iri``, ``date``, ``decimal``, ``integer``, ``string``.

Queries run on a pyoxigraph ``Store`` (the built store: default graph = union of all
source graphs) or on an rdflib ``Graph``/``Dataset`` held in memory.

>>> from automaker_kg.build import load_graph
>>> rows = run("technologies-protected", load_graph(), {"company": "Nissan"})
>>> sorted(str(r["technology_label"]) for r in rows)
['e-Power', 'solid-state battery manufacturing process']
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
import sys
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from automaker_kg.errors import ParameterError, ParseError, QueryError, UnknownNameError
from automaker_kg.graphstore import GraphStore, Source
from automaker_kg.names import Candidate, resolve, suggest
from automaker_kg.paths import queries_dir
from automaker_kg.prefixes import NAMESPACES, sparql_prologue
from automaker_kg.sparqlguard import bind_values, lateral_optionals, uses_service
from automaker_kg.terms import expand_iri, from_oxigraph, local_name, short, to_oxigraph

if TYPE_CHECKING:  # rdflib is imported where its terms are made (a store's answers need none)
    from rdflib import URIRef
    from rdflib.term import Node

__all__ = [
    "Param",
    "QueryDef",
    "Rows",
    "library",
    "get_query",
    "select",
    "run",
    "run_text",
    "bind_params",
    "bind_terms",
    "to_oxigraph",
    "from_oxigraph",
    "inline",
    "oxigraph_text",
    "resolve_entity",
    "resolve_entity_iri",
    "entity_candidates",
    "name_candidates",
    "iter_name_candidates",
    "NameStage",
    "solutions",
    "entity_classes",
    "narrower_concepts",
]

PARAM_TYPES = ("entity", "iri", "date", "decimal", "integer", "string")
_PARAM_LINE = re.compile(
    r"^#\s+(?P<name>[A-Za-z_]\w*)\s*\((?P<type>\w+)(?:,\s*default\s+(?P<default>[^)]*))?\)\s*:?\s*(?P<doc>.*)$"
)


@dataclass(frozen=True)
class Param:
    """One named parameter of a library query."""

    name: str
    type: str
    description: str = ""
    default: str | None = None


@dataclass(frozen=True)
class QueryDef:
    """A library query: its name (file stem), header and SPARQL text."""

    name: str
    path: Path
    title: str
    question: str
    parameters: tuple[Param, ...]
    columns: tuple[str, ...]
    text: str

    def param(self, name: str) -> Param:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(
            f"query {self.name!r} has no parameter {name!r}; valid: "
            + (", ".join(p.name for p in self.parameters) or "(none)")
        )


class Rows:
    """SELECT results: column names and rows of rdflib terms (None when unbound).

    Rows read from Oxigraph keep Oxigraph's own terms and become rdflib terms only when
    ``rows`` (or iteration, ``values()``, ``to_dataframe()``) asks for them;
    :meth:`serialize` and ``len`` work on Oxigraph's terms directly, so a query answered
    by the store and written out as JSON/CSV/TSV never converts a term.
    """

    __slots__ = ("columns", "_rows", "_ox")

    def __init__(
        self,
        columns: list[str],
        rows: list[tuple[Node | None, ...]] | None = None,
        *,
        oxigraph_rows: list[tuple[Any, ...]] | None = None,
    ) -> None:
        self.columns = list(columns)
        self._rows = list(rows) if rows is not None else None
        self._ox = oxigraph_rows if self._rows is None else None
        if self._rows is None and self._ox is None:
            self._rows = []

    @property
    def rows(self) -> list[tuple[Node | None, ...]]:
        if self._rows is None:
            convert = _converter()
            self._rows = [tuple(map(convert, row)) for row in self._ox or ()]
            self._ox = None
        return self._rows

    @rows.setter
    def rows(self, value: list[tuple[Node | None, ...]]) -> None:
        self._rows, self._ox = list(value), None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rows):
            return NotImplemented
        return self.columns == other.columns and self.rows == other.rows

    def __repr__(self) -> str:
        return f"Rows(columns={self.columns!r}, rows={len(self)} rows)"

    def __len__(self) -> int:
        return len(self._ox) if self._ox is not None else len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    def __getitem__(self, index: int) -> dict[str, Node | None]:
        return dict(zip(self.columns, self.rows[index], strict=True))

    def cells(self) -> list[dict[str, Any]]:
        """Rows as dicts of the terms as held (None when unbound): Oxigraph's as read from a
        store, without converting one; what a table prints (:func:`renderers.plain` reads both).

        >>> Rows(["a", "b"], oxigraph_rows=[(ox.NamedNode("http://e/x"), None)]).cells()
        [{'a': <NamedNode value=http://e/x>, 'b': None}]
        """
        rows = self._ox if self._ox is not None else self.rows
        return [dict(zip(self.columns, row, strict=True)) for row in rows]

    def texts(self) -> list[dict[str, str]]:
        """Rows as dicts of each bound term's text (an IRI, a literal's lexical form; unbound
        columns omitted), read from Oxigraph's terms without making rdflib terms of them.

        >>> Rows(["a", "b"], oxigraph_rows=[(ox.NamedNode("http://e/x"), None)]).texts()
        [{'a': 'http://e/x'}]
        """
        if self._ox is not None:
            return [
                {k: v.value for k, v in zip(self.columns, row, strict=True) if v is not None}
                for row in self._ox
            ]
        return [
            {k: str(v) for k, v in zip(self.columns, row, strict=True) if v is not None}
            for row in self.rows
        ]

    def terms(self) -> list[dict[str, Any]]:
        """Rows as dicts of Oxigraph terms (unbound columns omitted): a store's answer as
        read, an rdflib answer converted (:func:`to_oxigraph`); no rdflib term is made.

        >>> Rows(["a", "b"], oxigraph_rows=[(ox.NamedNode("http://e/x"), None)]).terms()
        [{'a': <NamedNode value=http://e/x>}]
        """
        rows = self._ox if self._ox is not None else self.rows
        convert = to_oxigraph if self._ox is None else (lambda term: term)
        return [
            {k: convert(v) for k, v in zip(self.columns, row, strict=True) if v is not None}
            for row in rows
        ]

    def values(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (IRIs as str, literals as Python values)."""
        return [{k: _python(v) for k, v in row.items()} for row in self]

    def to_dataframe(self):  # -> pandas.DataFrame
        """Rows as a pandas DataFrame of plain Python values (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.values(), columns=self.columns)

    def serialize(self, format: str = "json") -> str:
        """Serialize in a W3C SPARQL 1.1 results format: ``json``, ``csv`` or ``tsv``.

        Rows still held as Oxigraph terms are written without converting a term.
        """
        from automaker_kg.renderers import serialize_results

        return serialize_results(
            self.columns, self._ox if self._ox is not None else self.rows, format
        )


# --------------------------------------------------------------------------- library


def _parse_header(path: Path) -> QueryDef:
    text = _read_query_file(path)
    meta: dict[str, str] = {}
    params: list[Param] = []
    in_params = False
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        field_match = re.match(r"^#\s*(title|question|parameters|columns)\s*:\s*(.*)$", line)
        if field_match:
            key, value = field_match.groups()
            in_params = key == "parameters"
            if not in_params:
                meta[key] = value.strip()
            elif value.strip() and value.strip().lower() != "none":
                raise QueryError(
                    f"{path}: list parameters on their own lines under '# parameters:'"
                )
            continue
        param_match = _PARAM_LINE.match(line)
        if in_params and param_match:
            kind = param_match["type"]
            if kind not in PARAM_TYPES:
                raise QueryError(
                    f"{path}: parameter {param_match['name']!r} has unknown type {kind!r}"
                )
            default = param_match["default"]
            params.append(
                Param(
                    param_match["name"],
                    kind,
                    param_match["doc"].strip(),
                    default.strip() if default else None,
                )
            )
        elif meta.get("question") and not in_params and line.strip("# ").strip():
            # continuation of the question on the next comment line
            meta["question"] += " " + line.lstrip("#").strip()
    missing = [k for k in ("title", "question", "columns") if not meta.get(k)]
    if missing:
        raise QueryError(f"{path}: header lacks {', '.join(missing)}")
    columns = tuple(c.strip() for c in meta["columns"].split(",") if c.strip())
    return QueryDef(path.stem, path, meta["title"], meta["question"], tuple(params), columns, text)


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(path, f"not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except OSError as exc:
        raise ParseError(path, f"cannot read: {exc.strerror or exc}") from None


def library(directory: Path | None = None) -> dict[str, QueryDef]:
    """Return the library's queries by name (file stem), sorted by name.

    Each file is parsed once and again only when it changes (its size or mtime).
    """
    directory = Path(directory) if directory else queries_dir()
    return {p.stem: _read(p) for p in sorted(directory.glob("*.rq"))}


def _read(path: Path) -> QueryDef:
    """:func:`_parse_header` of ``path``, from the cache while its size and mtime stand."""
    stat = path.stat()
    return _parse_cached(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _parse_cached(path: Path, mtime_ns: int, size: int) -> QueryDef:
    return _parse_header(path)


def get_query(name_or_path: str | Path) -> QueryDef:
    """Return a library query by name, or read a ``.rq`` file by path.

    Raises UnknownNameError listing the library's names.
    """
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.is_file():
        try:
            return _parse_header(candidate)
        except QueryError:
            text = _read_query_file(candidate)
            return QueryDef(candidate.stem, candidate, candidate.stem, "", (), (), text)
    path = queries_dir() / f"{name_or_path}.rq"
    if "/" not in str(name_or_path) and path.is_file():  # the library's: no need to list all
        return _read(path)
    queries = library()
    if str(name_or_path) not in queries:
        raise UnknownNameError(
            "query",
            str(name_or_path),
            list(queries),
            suggestions=suggest(str(name_or_path), queries),
            hint="`automaker-kg queries` lists them" if len(queries) > 20 else None,
        )
    return queries[str(name_or_path)]


# --------------------------------------------------------------------------- running


def inline(sparql: str, bindings: Mapping[str, Node | ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with the bound values written in at the start of its WHERE pattern.

    Each value is converted to a pyoxigraph term and written in its N-Triples form, so it
    cannot end the clause (see :func:`automaker_kg.sparqlguard.bind_values`); a blank node
    cannot be written in and raises QueryError.

    >>> inline("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.NamedNode("http://e/a")})
    'SELECT ?s WHERE { BIND (<http://e/a> AS ?o) ?s ?p ?o }'
    """
    try:
        return bind_values(sparql, {k: to_oxigraph(v) for k, v in bindings.items()})
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def oxigraph_text(sparql: str, bindings: Mapping[str, Node | ox.NamedNode | ox.Literal]) -> str:
    """The text the project runs on Oxigraph: :func:`inline`'s, with each ``OPTIONAL`` of
    two or more triple patterns under ``LATERAL`` so that Oxigraph matches it per solution
    (:func:`automaker_kg.sparqlguard.lateral_optionals`: the same answers).

    >>> text = "SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?r ; ?t ?u } }"
    >>> oxigraph_text(text, {"s": ox.NamedNode("http://e/a")})
    'SELECT * { BIND (<http://e/a> AS ?s) ?s ?p ?o LATERAL { OPTIONAL { ?o ?q ?r ; ?t ?u } } }'
    """
    return inline(lateral_optionals(sparql), bindings)


def _converter() -> Any:
    """:func:`from_oxigraph` with the IRIs and datatypes of one result set converted once each."""
    from rdflib import Literal, URIRef

    iris: dict[str, URIRef] = {}

    def convert(term: Any) -> Node | None:
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            value = term.value
            iri = iris.get(value)
            if iri is None:
                iri = iris[value] = URIRef(value)
            return iri
        if isinstance(term, ox.Literal) and not term.language:
            datatype = term.datatype.value
            if datatype == _XSD_STRING:
                return Literal(term.value)
            iri = iris.get(datatype)
            if iri is None:
                iri = iris[datatype] = URIRef(datatype)
            return Literal(term.value, datatype=iri)
        return from_oxigraph(term)

    return convert


_XSD = NAMESPACES["xsd"]
_XSD_STRING = _XSD + "string"


def _python(term: Node | None) -> Any:
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        return value
    return str(term)


def run_text(
    source: Source,
    sparql: str,
    bindings: Mapping[str, Node | ox.NamedNode | ox.Literal] | None = None,
) -> Rows | bool:
    """Run SPARQL text on a store or an rdflib graph with bound values.

    Returns Rows for SELECT and a bool for ASK. The project's prefixes are predeclared.
    Raises QueryError with the parser's message when the query is malformed.
    """
    if uses_service(sparql):  # the project never makes an outbound request
        raise QueryError("SERVICE (federated query) is not allowed: queries stay on this graph")
    bindings = dict(bindings or {})
    # local, in memory or remote: Oxigraph's terms (a Store checked first: the protocol's
    # isinstance inspects its members, 0.15 ms a call)
    if isinstance(source, ox.Store) or isinstance(source, GraphStore):
        # a remote server gets the text as written (LATERAL is Oxigraph's extension)
        local = isinstance(source, ox.Store) and lateral_optionals(sparql) != sparql
        try:
            try:
                result = source.query(
                    oxigraph_text(sparql, bindings) if local else inline(sparql, bindings),
                    prefixes=NAMESPACES,
                    use_default_graph_as_union=True,
                )
            except SyntaxError:  # the error of the text as written
                if not local:
                    raise
                result = source.query(
                    inline(sparql, bindings), prefixes=NAMESPACES, use_default_graph_as_union=True
                )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, RuntimeError) as exc:
            raise _store_damage(exc) or QueryError(f"query failed: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            try:
                solutions = [tuple(sol) for sol in result]
            except (OSError, RuntimeError) as exc:  # read lazily: damage shows up here
                raise _store_damage(exc) or QueryError(f"query failed: {exc}") from None
            return Rows(columns, oxigraph_rows=solutions)
        raise QueryError("library queries must be SELECT or ASK")
    from rdflib import Variable
    from rdflib.query import ResultRow
    from rdflib.term import Identifier

    values = {k: v if isinstance(v, Identifier) else from_oxigraph(v) for k, v in bindings.items()}
    try:  # an rdflib graph or dataset: rdflib's engine
        result = source.query(
            _prepared(sparql),
            initBindings={Variable(k): cast(Identifier, v) for k, v in values.items()},
        )
    except Exception as exc:  # rdflib raises pyparsing errors among others
        raise QueryError(f"SPARQL error: {exc}") from None
    if result.type == "ASK":
        return bool(result.askAnswer)
    if result.type != "SELECT":
        raise QueryError("library queries must be SELECT or ASK")
    columns = [str(v) for v in result.vars or []]
    return Rows(columns, [tuple(row) for row in result if isinstance(row, ResultRow)])


@functools.lru_cache(maxsize=128)
def _prepared(sparql: str) -> Any:
    """The query parsed by rdflib once (its parser takes up to seconds on a library query);
    the values are bound at each run."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(sparql_prologue() + sparql)


def _store_damage(error: BaseException) -> Exception | None:
    from automaker_kg.store import damaged  # store imports nothing of this module

    return damaged(error)


def select(
    source: Source,
    sparql: str,
    bindings: Mapping[str, Node | ox.NamedNode | ox.Literal] | None = None,
) -> list[dict]:
    """Run a SELECT and return rows as dicts of rdflib terms (unbound columns omitted)."""
    result = run_text(source, sparql, bindings)
    if not isinstance(result, Rows):
        raise QueryError("select() needs a SELECT query")
    return [{k: v for k, v in row.items() if v is not None} for row in result]


def _coerce(
    source: Source,
    query: QueryDef,
    param: Param,
    raw: str,
    names: Callable[..., Hashable] | None = None,
) -> ox.NamedNode | ox.Literal:
    """A parameter's value as the Oxigraph term bound (an rdflib literal's lexical form: a
    decimal written ``f"{value:f}"`` as rdflib writes it); no rdflib term is made."""
    try:
        if param.type == "entity":
            return ox.NamedNode(resolve_entity_iri(source, raw, names=names))
        if param.type == "iri":
            iri = expand_iri(raw)
            try:
                return ox.NamedNode(iri)
            except ValueError as exc:  # an IRI Oxigraph cannot hold: as binding it says
                raise QueryError(str(exc)) from None
        if param.type == "date":
            return ox.Literal(dt.date.fromisoformat(raw.strip()).isoformat(), datatype=_DATE)
        if param.type == "decimal":
            return ox.Literal(f"{Decimal(raw.strip()):f}", datatype=_DECIMAL)
        if param.type == "integer":
            return ox.Literal(str(int(raw.strip())), datatype=_INTEGER)
        return ox.Literal(raw)
    except (ValueError, InvalidOperation):
        raise ParameterError(
            f"query {query.name!r}: parameter {param.name!r} expects a {param.type}, got {raw!r}"
        ) from None


_DATE, _DECIMAL, _INTEGER = (ox.NamedNode(_XSD + t) for t in ("date", "decimal", "integer"))


def run(
    name_or_query: str | Path | QueryDef,
    source: Source,
    params: Mapping[str, str] | None = None,
) -> Rows | bool:
    """Run a library query (by name, file or QueryDef) with parameters given as strings.

    Unknown parameters raise ParameterError listing the valid ones; parameters not given
    take their default, and those without a default stay unbound (the query then answers
    for every value).
    """
    query = name_or_query if isinstance(name_or_query, QueryDef) else get_query(name_or_query)
    return run_text(source, query.text, bind_params(source, query, params))


def bind_params(
    source: Source,
    query: QueryDef,
    params: Mapping[str, str] | None = None,
    *,
    names: Callable[..., Hashable] | None = None,
) -> dict[str, Node]:
    """Turn parameters given as strings into the terms :func:`run_text` binds (rdflib's).

    Unknown names raise ParameterError listing the valid ones; a parameter not given takes
    its default; an empty value, or no value and no default, leaves it unbound. Entity
    names are resolved against ``source`` (or the ``names`` kept with its generation).
    """
    return {k: from_oxigraph(v) for k, v in bind_terms(source, query, params, names=names).items()}


def bind_terms(
    source: Source,
    query: QueryDef,
    params: Mapping[str, str] | None = None,
    *,
    names: Callable[..., Hashable] | None = None,
) -> dict[str, ox.NamedNode | ox.Literal]:
    """:func:`bind_params`'s terms as Oxigraph's (what a store binds; no rdflib loaded).

    >>> terms = bind_terms(None, get_query("stakes-as-of"), {"as_of": "2024-01-01"})
    >>> [term.value for term in terms.values()]
    ['2024-01-01', 'https://w3id.org/automaker-kg/ontology#Shareholding', '9999-12-31']
    """
    params = dict(params or {})
    valid = {p.name for p in query.parameters}
    unknown = sorted(set(params) - valid)
    if unknown:
        raise ParameterError(
            f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))}; valid: "
            + (", ".join(sorted(valid)) or "(none)")
        )
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.parameters:
        raw = params.get(param.name, param.default)
        if raw is not None and raw != "":
            bindings[param.name] = _coerce(source, query, param, raw, names)
    return bindings


# --------------------------------------------------------------------------- entities


_ENTITY_ROOTS = " ".join(
    f"akg:{c}"
    for c in (
        "Company", "Division", "Alliance", "GoverningBody", "Person", "UnnamedSourceGroup",
        "Technology", "Market",
    )
)  # fmt: skip

# Entities are instances of the ontology's entity classes (and their subclasses): claims,
# documents and the ontology's own terms (classes, properties, statuses) are never names.
# The classes are read first and the names filtered in Python: rdflib evaluates the
# joined pattern (a property path per entity) a hundred times slower.
# The class tree is read as plain pairs and closed in Python: Virtuoso refuses a transitive
# path whose start is not given ("transitive start not given"), and every engine answers this.
_SUBCLASSES = "SELECT ?sub ?super WHERE { ?sub rdfs:subClassOf ?super }"

_NAMES = """
SELECT DISTINCT ?entity ?class ?property ?name WHERE {
  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel }
  ?entity ?property ?name .
  ?entity a ?class .
  FILTER (!isBlank(?entity))
}
"""

_TYPES = "SELECT ?class WHERE { ?entity a ?class }"

# The same test in one query where the engine walks the class tree from the entity's own
# types (Oxigraph: a third of the time of reading the tree and the types apart).
_IS_ENTITY = (
    f"ASK WHERE {{ VALUES ?root {{ {_ENTITY_ROOTS} }} "
    "?entity a ?class . ?class rdfs:subClassOf* ?root }"
)


def _is_entity(source: Source, iri: str) -> bool:
    """Whether ``iri`` is an instance of an entity class (:func:`entity_classes`)."""
    node = ox.NamedNode(iri)
    if isinstance(source, ox.Store):
        return bool(run_text(source, _IS_ENTITY, {"entity": node}))
    types = {row["class"] for row in _texts(source, _TYPES, {"entity": node})}
    return bool(types & entity_classes(source))


def entity_classes(source: Source) -> set[str]:
    """The IRIs of the entity classes: companies, people, technologies, markets, ..."""
    roots = [NAMESPACES["akg"] + name.removeprefix("akg:") for name in _ENTITY_ROOTS.split()]
    return _below(source, _SUBCLASSES, "sub", "super", roots)


_BROADER = "SELECT ?narrow ?broad WHERE { ?narrow skos:broader ?broad }"


def narrower_concepts(source: Source, iri: str) -> set[str]:
    """``iri`` and every concept below it along ``skos:broader``.

    >>> store = ox.Store()
    >>> broader = ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader")
    >>> a, b, c = (ox.NamedNode(f"http://example.org/{x}") for x in "abc")
    >>> store.extend([ox.Quad(a, broader, b), ox.Quad(b, broader, c)])
    >>> sorted(narrower_concepts(store, "http://example.org/b"))
    ['http://example.org/a', 'http://example.org/b']
    """
    return _below(source, _BROADER, "narrow", "broad", [iri])


def _below(source: Source, pairs: str, low: str, high: str, roots: list[str]) -> set[str]:
    """``roots`` and everything below them in a tree whose (``low``, ``high``) pairs the
    query ``pairs`` reads; closed in Python, since Virtuoso refuses a transitive path whose
    start is not given, and every engine answers the plain pairs."""
    below: dict[str, set[str]] = {}
    for row in _texts(source, pairs):
        below.setdefault(row[high], set()).add(row[low])
    found, todo = set(roots), list(roots)
    while todo:
        for sub in below.get(todo.pop(), ()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _texts(
    source: Source,
    sparql: str,
    bindings: Mapping[str, Node | ox.NamedNode | ox.Literal] | None = None,
) -> list[dict[str, str]]:
    """A SELECT's rows as the text of each bound term (:meth:`Rows.texts`): no rdflib term
    is made of an Oxigraph one, which took half the time of resolving an entity's IRI."""
    result = run_text(source, sparql, bindings)
    if not isinstance(result, Rows):
        raise QueryError("_texts() needs a SELECT query")
    return result.texts()


#: A store's names are read as the typings of the entity classes (given in the text) and one
#: scan per name property, joined in Python: Oxigraph's join of the two (``_NAMES``) looks an
#: entity's types up once per name, 3x the time (2 s of CPU at 1M generated triples), and
#: reads every claim's label too.
_TYPED = "SELECT ?entity ?class WHERE {{ ?entity a ?class . VALUES ?class {{ {} }} }}"
_NAMED = "SELECT ?entity ?name WHERE {{ ?entity <{}> ?name }}"
_NAME_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)


#: A name as :func:`name_scans` keeps it: the subject's text (an IRI, ``_:id`` for a blank
#: node), 0 when the name has no language or English, 1 when another, the name as
#: :mod:`automaker_kg.projections` reads it (``str`` of its plain value) and as the resolver
#: reads it (``str`` of its rdflib term): one string when the two agree, as for any text.
NameRow = tuple[str, int, str, str]


def name_scans(source: GraphStore, subjects: set[str] | None = None) -> dict[str, list[NameRow]]:
    """Every name (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``) of the ``subjects``
    of a store (IRIs, ``_:id``; by default every resource typed as an entity or as a
    projection's node), once per matching triple, as :data:`NameRow` text: what
    :func:`name_candidates` and :func:`automaker_kg.projections.gather` read of names
    (:func:`automaker_kg.cache.write` reads them once for both, by :class:`NameStage`).
    Only plain strings are kept, and no name of another resource (every claim has a label:
    at 100k GLEIF records, 180 MB of Oxigraph terms before)."""
    if subjects is None:
        from automaker_kg.projections import NODE_KINDS

        classes = sorted(entity_classes(source) | set(NODE_KINDS))
        typed = _TYPED.format(" ".join(f"<{c}>" for c in classes))
        subjects = {_subject(e) for e, _ in solutions(source, typed)}
    convert = _converter()
    found: dict[str, list[NameRow]] = {}
    for prop in _NAME_PROPERTIES:
        found[prop] = [row for row in _name_rows(source, prop, convert) if row[0] in subjects]
    return found


def _name_rows(
    source: GraphStore, prop: str, convert: Callable[[Any], Node | None]
) -> Iterator[NameRow]:
    """Every name of ``prop`` of every subject, one at a time, as :data:`NameRow` text."""
    named, literal = ox.NamedNode, ox.Literal
    for entity, name in solutions(source, _NAMED.format(prop)):
        key = entity.value if type(entity) is named else _subject(entity)
        kind, lang = type(name), None
        if kind is literal:
            lang = name.language
            if lang is not None or name.datatype.value == _XSD_STRING:
                text = plain = name.value
            else:
                text, plain = _text(name, convert), _plain_text(name)
        elif kind is named:
            text = plain = name.value
        else:
            text, plain = _text(name, convert), _plain_text(name)
        english = not lang or lang == "en" or lang.startswith("en-")
        yield key, 0 if english else 1, plain, text


def solutions(source: GraphStore, sparql: str) -> Any:
    """The solutions of a SELECT on a store (of the union of its graphs), one at a time."""
    try:
        return source.query(sparql, use_default_graph_as_union=True)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"query failed: {exc}") from exc


def _subject(term: Any) -> str:
    """A subject's text: its IRI, ``_:id`` for a blank node (as ``projections`` keys it)."""
    kind = type(term)
    return (
        term.value
        if kind is ox.NamedNode
        else f"_:{term.value}"
        if kind is ox.BlankNode
        else str(term)
    )


def _plain_text(term: Any) -> str:
    """``str`` of the plain value :mod:`automaker_kg.projections` makes of an Oxigraph term."""
    from automaker_kg.projections import plain_value

    return str(plain_value(term))


def _entity_names(
    source: Source, scans: Mapping[str, list[NameRow]] | None = None
) -> Iterator[tuple[str, str, str]]:
    """``(entity, property, name)``: every name of every entity (not a blank node) once per
    entity class it has, the rows of ``_NAMES``, as text (``str`` of each rdflib term);
    a store's names from ``scans`` when given (:func:`name_scans`)."""
    classes = entity_classes(source)
    if not isinstance(source, GraphStore):
        for row in select(source, _NAMES):
            if str(row["class"]) in classes:
                yield str(row["entity"]), str(row["property"]), str(row["name"])
        return
    # each is an IRI read from the graph, which holds no ">"
    typed = _TYPED.format(" ".join(f"<{c}>" for c in sorted(classes)))
    # an entity's class, or its classes when it has several (a set for each, 20 MB at
    # 100k GLEIF records, where every entity has one), read one row at a time
    types: dict[str, str | set[str]] = {}
    for entity, cls in solutions(source, typed):
        if type(entity) is ox.NamedNode:
            key, name = entity.value, sys.intern(cls.value)
            have = types.get(key)
            if have is None:
                types[key] = name
            elif isinstance(have, set):
                have.add(name)
            elif have != name:
                types[key] = {have, name}
    scans = scans if scans is not None else name_scans(source, set(types))
    for prop in _NAME_PROPERTIES:
        pairs = {(e, text) for e, _, _, text in scans[prop] if e in types}
        for entity, name in sorted(pairs):
            have = types[entity]
            yield from [(entity, prop, name)] * (1 if isinstance(have, str) else len(have))


def _text(term: Any, convert: Callable[[Any], Node | None]) -> str:
    """``str`` of the rdflib term ``convert`` makes of an Oxigraph term, without making one
    for an IRI or a string (rdflib writes other literals in their canonical form: "007"
    as an ``xsd:integer`` is "7").

    >>> integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    >>> _text(ox.Literal("007", datatype=integer), _converter())
    '7'
    >>> _text(ox.Literal("Nissan", language="en"), _converter())
    'Nissan'
    """
    kind = type(term)
    if kind is ox.NamedNode or (
        kind is ox.Literal and (term.language or term.datatype.value == _XSD_STRING)
    ):
        return str(term.value)
    return str(convert(term))


_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def entity_candidates(source: Source) -> dict[str, set[str]]:
    """Map each entity IRI to the set of its names (labels and aliases)."""
    names: dict[str, set[str]] = {}
    for entity, _, name in _entity_names(source):
        names.setdefault(entity, set()).add(name)
    return names


def name_candidates(
    source: Source, *, scans: Mapping[str, list[NameRow]] | None = None
) -> list[Candidate]:
    """Every entity of ``source`` as the name resolver reads it (label first, then aliases);
    the build keeps them with the store generation (:mod:`automaker_kg.cache`). ``scans``:
    a store's names already read (:func:`name_scans`)."""
    return list(iter_name_candidates(source, scans=scans))


def iter_name_candidates(
    source: Source,
    *,
    scans: Mapping[str, list[NameRow]] | None = None,
    stage: NameStage | None = None,
) -> Iterator[Candidate]:
    """:func:`name_candidates` one at a time, in their order: the names of each are let go
    once it is made (what :func:`automaker_kg.cache.write` writes without keeping them).
    A store's names without ``scans`` are staged in a temporary SQLite database and read
    back entity after entity (:class:`NameStage`; ``stage``: one already made of
    ``source``): memory does not grow with the entities."""
    if isinstance(source, GraphStore) and scans is None:
        staged = stage.entity_names() if stage is not None else _staged_entity_names(source)
        for entity, names in staged:
            labels = [n for prop, n in names if prop == _RDFS_LABEL]
            yield _candidate(entity, labels, [n for prop, n in names if prop != _RDFS_LABEL])
        return
    labelled: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    for entity, prop, name in _entity_names(source, scans):
        target = labelled if prop == _RDFS_LABEL else aliases
        target.setdefault(entity, []).append(name)
        labelled.setdefault(entity, [])
    for entity in sorted(labelled):
        yield _candidate(entity, labelled.pop(entity), aliases.pop(entity, []))


def _candidate(entity: str, labels: list[str], aliases: list[str]) -> Candidate:
    """An entity as the resolver reads it, from its labels and its other names (as rows:
    a name once per entity class)."""
    own = sorted(labels, key=lambda n: (len(n), n))  # any engine's row order
    other = sorted(set(aliases) - set(own[:1]))
    label = own[0] if own else min(other, key=len, default=local_name(entity))
    return Candidate(
        _uriref(entity),
        label,
        tuple(n for n in [*own[1:], *other] if n != label),
        (short(entity), entity, local_name(entity)),
        preferred=_is_curated(entity),
    )


class NameStage:
    """Every subject's names in a store, read once and staged in a temporary SQLite database
    (on disk, removed when closed) with the typings of the entity classes, so that no dict
    of every entity is held: the names of some subjects as :func:`name_scans` gives them
    (:meth:`scans`) and every entity's names grouped (:meth:`entity_names`). What
    :func:`automaker_kg.cache.write` reads for the projection's nodes and for the names
    table, with one scan of each name property for both."""

    def __init__(self, source: GraphStore) -> None:
        typed = _TYPED.format(" ".join(f"<{c}>" for c in sorted(entity_classes(source))))
        convert = _converter()
        self._db = db = sqlite3.connect("")  # a private temporary database
        try:
            db.execute("PRAGMA cache_size = -32768")  # 32 MB
            db.execute("CREATE TABLE typed (entity TEXT NOT NULL, class TEXT NOT NULL)")
            # a name's text as the resolver reads it; its plain text only when that differs
            db.execute(
                "CREATE TABLE named (entity TEXT NOT NULL, prop INTEGER NOT NULL,"
                " name TEXT NOT NULL, rank INTEGER NOT NULL, plain TEXT)"
            )
            db.executemany(
                "INSERT INTO typed VALUES (?, ?)",
                (
                    (e.value, c.value)
                    for e, c in solutions(source, typed)
                    if type(e) is ox.NamedNode
                ),
            )
            db.execute("CREATE INDEX typed_entity ON typed (entity, class)")
            for n, prop in enumerate(_NAME_PROPERTIES):
                db.executemany(
                    "INSERT INTO named VALUES (?, ?, ?, ?, ?)",
                    (
                        (key, n, text, rank, plain if plain != text else None)
                        for key, rank, plain, text in _name_rows(source, prop, convert)
                    ),
                )
        except BaseException:
            db.close()
            raise

    def __enter__(self) -> NameStage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def scans(self, subjects: Iterable[str]) -> dict[str, list[NameRow]]:
        """:func:`name_scans` of these ``subjects``, from the stage."""
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (entity TEXT PRIMARY KEY)")
        db.execute("DELETE FROM wanted")
        db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((s,) for s in subjects))
        found: dict[str, list[NameRow]] = {prop: [] for prop in _NAME_PROPERTIES}
        for entity, n, name, rank, plain in db.execute(
            "SELECT entity, prop, name, rank, plain FROM named"
            " WHERE entity IN (SELECT entity FROM wanted) ORDER BY rowid"
        ):
            found[_NAME_PROPERTIES[n]].append(
                (entity, rank, name if plain is None else plain, name)
            )
        db.execute("DELETE FROM wanted")
        return found

    def entity_names(self) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        """The rows of :func:`_entity_names` of the store grouped by entity, in IRI order:
        ``(entity, [(property, name), ...])``, each distinct name of an entity once per
        entity class it has (sorted and joined by SQLite, which sorts text as UTF-8 bytes:
        the order of ``sorted``)."""
        rows = self._db.execute(
            "SELECT entity, prop, name, (SELECT count(DISTINCT class) FROM typed AS t"
            " WHERE t.entity = named.entity) AS classes"
            " FROM (SELECT DISTINCT entity, prop, name FROM named) AS named"
            " WHERE classes > 0 ORDER BY entity, prop, name"
        )
        current: str | None = None
        names: list[tuple[str, str]] = []
        for entity, n, name, classes in rows:
            if entity != current:
                if current is not None:
                    yield current, names
                current, names = entity, []
            names += [(_NAME_PROPERTIES[n], name)] * classes
        if current is not None:
            yield current, names


def _staged_entity_names(source: GraphStore) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """:meth:`NameStage.entity_names` of a stage of its own."""
    with NameStage(source) as stage:
        yield from stage.entity_names()


def _is_curated(iri: str) -> bool:
    """An entity of graph/ (``kg:<slug>``), as opposed to an imported one (``kg:<source>/…``)."""
    return iri.startswith(_KG) and "/" not in iri[len(_KG) :]


_KG = NAMESPACES["kg"]


def _uriref(iri: str) -> URIRef:
    from rdflib import URIRef

    return URIRef(iri)


def resolve_entity(
    source: Source, name: str, *, names: Callable[..., Hashable] | None = None
) -> URIRef:
    """Resolve a name, alias, prefixed name or IRI to one entity's IRI.

    The rules are :func:`automaker_kg.names.resolve`'s, the same for every command: an
    exact label (the curated entity before imported namesakes), an alias, an identifier,
    then a unique name that starts with or contains ``name``. Raises AmbiguousNameError
    listing the entities that fit, UnknownNameError suggesting close names. ``names``
    resolves by the same rules from an index kept with the store generation
    (:meth:`automaker_kg.cache.Cache.resolve_name`) instead of reading every name.
    """
    return _uriref(resolve_entity_iri(source, name, names=names))


def resolve_entity_iri(
    source: Source, name: str, *, names: Callable[..., Hashable] | None = None
) -> str:
    """:func:`resolve_entity`'s IRI as text (no rdflib term made: ``facts`` on a store)."""
    try:
        iri: str | None = expand_iri(name)
    except ValueError:
        iri = None
    if iri is not None:
        try:
            entity = _is_entity(source, iri)
        except (QueryError, ValueError):  # not an IRI the store can hold ("A:\x1b"): a name
            iri, entity = None, False
        if iri is not None and entity:
            return iri  # an entity's own IRI: no need to read every name
    if iri is not None and re.match(r"^(https?|urn):", name.strip()):
        raise UnknownNameError("entity", name, [], suggestions=[], hint=_ENTITY_HINT)
    if names is not None:
        found = names(name, hint=_ENTITY_HINT)
    else:
        found = resolve(name, name_candidates(source), hint=_ENTITY_HINT)
    return str(found)


_ENTITY_HINT = "`automaker-kg entities` lists every entity"
