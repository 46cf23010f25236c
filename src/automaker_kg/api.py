"""The Python API: load the graph, run library queries or SPARQL, ask what the graph says
about an entity, and take it to networkx.

>>> import automaker_kg
>>> kg = automaker_kg.load(memory=True)          # the graph files, in memory (no store needed)
>>> rows = automaker_kg.query("stakes-in-company", source=kg, company="Nissan")
>>> ("Renault", 43.4) in {(r["holder_label"], r["share"]) for r in rows.values()}
True
>>> automaker_kg.entity("Nissan Motor", kg)
rdflib.term.URIRef('https://w3id.org/automaker-kg/id/nissan')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from automaker_kg import queries as queries_module
from automaker_kg.errors import QueryError, StoreError
from automaker_kg.graphstore import Source
from automaker_kg.queries import Rows

__all__ = [
    "load",
    "query",
    "sparql",
    "entity",
    "facts",
    "graph",
    "summary",
    "query_in_time",
    "Rows",
    "COMPETENCY_QUERIES",
    "FACT_COLUMNS",
]

# The library queries that answer the project's competency questions, in reading order.
COMPETENCY_QUERIES = (
    "stakes-in-company",
    "cross-holdings",
    "technologies-protected",
    "joint-venture-partners",
    "technologies-withheld",
    "contributions",
    "market-strategy",
    "chain-via-joint-venture",
    "claims-by-status",
)

_default: Any = None


def load(store: str | Path | None = None, *, memory: bool = False) -> Any:
    """Open the graph: the built store (read-only), or the graph files in memory.

    With ``memory=True`` and a ``store`` folder, that store's current generation is copied
    into an in-memory Oxigraph store (queries run several times faster than on disk). With
    ``memory=True`` and no ``store``, or when no store has been built, the ontology and
    graph files are loaded into an in-memory Oxigraph store (nothing is written, nothing
    validated) holding the named graphs a build writes, the derived timeline graph among
    them (so ``as_of`` queries follow ``docs/time.md``); see
    :func:`automaker_kg.build.load_store`. The result becomes the default source of
    :func:`query` and :func:`facts`.
    """
    global _default
    from automaker_kg import store as store_module
    from automaker_kg.build import load_store

    if memory and store is not None:
        _default = store_module.open_store(store, memory=True)
        return _default
    if memory:
        _default = load_store()
        return _default
    try:
        _default = store_module.open_store(store)
    except StoreError:
        if store is not None:
            raise
        _default = load_store()
    return _default


def _select_rows(result: Rows | bool) -> Rows:
    """A library SELECT's rows (``run`` also answers ASK queries, with a bool)."""
    assert isinstance(result, Rows), "a SELECT query"
    return result


def _source(source: Source | None) -> Source:
    return source if source is not None else (_default if _default is not None else load())


def query(name: str | Path, source: Source | None = None, **params: Any) -> Rows | bool:
    """Run a library query (or a ``.rq`` file) with keyword parameters; return its rows."""
    return queries_module.run(name, _source(source), {k: str(v) for k, v in params.items()})


def sparql(text: str, source: Source | None = None, **params: Any) -> Rows | bool:
    """Run SPARQL text (SELECT or ASK) with the project's prefixes; return the same Rows as
    :func:`query` (a bool for ASK).

    Each keyword binds the variable of that name, never pasted into the text: rdflib terms
    as they are; ``<iri>`` or a prefixed name of the project (``kg:nissan``) as an IRI;
    other strings as plain literals; ``int``, ``float``, ``Decimal``, ``bool`` and
    ``datetime.date`` as typed literals. Use :func:`entity` to turn a name into its IRI.

    >>> kg = load(memory=True)
    >>> text = "SELECT ?label WHERE { ?e rdfs:label ?label }"
    >>> [r["label"] for r in sparql(text, kg, e=entity("Nissan", kg)).values()]
    ['Nissan']
    >>> [r["label"] for r in sparql(text, kg, e="kg:renault").values()]
    ['Renault']
    """
    bindings = {name: _term(value) for name, value in params.items()}
    return queries_module.run_text(_source(source), text, bindings)


def _term(value: Any) -> Any:
    """A Python value as the rdflib term :func:`sparql` binds."""
    import datetime as dt
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.term import Node

    from automaker_kg.terms import expand

    if isinstance(value, Node):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("<") and text.endswith(">") or ":" in text and " " not in text:
            try:
                return expand(text)
            except ValueError:
                pass
        return Literal(value)
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return Literal(value)
    raise QueryError(f"cannot bind {value!r} ({type(value).__name__}) to a SPARQL variable")


def entity(name: str, source: Source | None = None) -> Any:
    """The IRI of the entity called ``name`` (label, alias, prefixed name or IRI).

    The one resolver of every command (:mod:`automaker_kg.names`): raises
    AmbiguousNameError listing the entities that fit, UnknownNameError suggesting close
    names.
    """
    return queries_module.resolve_entity(_source(source), name)


def graph(
    kind: str = "all",
    source: Source | None = None,
    *,
    as_of: str | None = None,
    known_on: str | None = None,
) -> Any:
    """A networkx projection ready for networkx's algorithms and writers.

    The projection of :func:`automaker_kg.projections.project` as a copy whose attributes
    are scalars (:func:`~automaker_kg.projections.scalar_copy`): lists joined with spaces,
    ``None`` left out, so ``nx.write_graphml`` and ``nx.write_gexf`` take it as it is and
    an algorithm never reads a ``None``. Each edge also gets a numeric ``weight``: a
    stake's share as a fraction (the middle of its range when only bounds are known:
    "≥20%" counts 0.6, "≤15%" 0.075), 1.0 for every other claim.

    >>> import networkx as nx
    >>> G = graph("ownership", load(memory=True))
    >>> ranks = nx.pagerank(G, weight="share")
    >>> max(ranks, key=ranks.get) in G
    True
    """
    from automaker_kg.projections import project, scalar_copy

    G = scalar_copy(project(_source(source), kind, as_of=as_of, known_on=known_on))
    for _, _, data in G.edges(data=True):
        data["weight"] = _weight(data)
    return G


def _weight(edge: dict[str, Any]) -> float:
    """A stake's share as a fraction (the middle of its range), 1.0 for any other claim.

    >>> _weight({"share": 43.4}), _weight({"share_min": 20.0}), _weight({"relation": "member"})
    (0.434, 0.6, 1.0)
    """
    from automaker_kg.temporal import share_range

    if edge.get("share") is not None:
        return float(edge["share"]) / 100
    bounds = share_range(edge.get("share_min"), edge.get("share_max"))
    return 1.0 if bounds is None else sum(bounds) / 200


def _run_in_child(store: str | None, text: str, bindings: dict) -> Rows | bool:
    from automaker_kg import store as store_module

    return queries_module.run_text(store_module.open_store(store), text, bindings)


def _cache(store: Any) -> Any:
    """The caches of the store's current generation (``None`` for none, or another source)."""
    if not isinstance(store, str | Path | None):
        return None
    from automaker_kg.cache import open_cache

    return open_cache(store)


def _reads_store(definition: Any, params: dict[str, str] | None) -> bool:
    """Whether binding these parameters reads the store: an entity given as an IRI or a
    prefixed name is checked there (a name is resolved from the generation's cache)."""
    from automaker_kg.terms import expand_iri  # the IRI as text: no rdflib term made

    given = params or {}
    for param in definition.parameters:
        value = given.get(param.name, param.default)
        if param.type != "entity" or not value:
            continue
        try:
            expand_iri(value)
        except ValueError:
            continue
        return True
    return False


def query_in_time(
    name: str | Path,
    store: str | Path | None = None,
    params: dict[str, str] | None = None,
    *,
    seconds: float = 60.0,
) -> Rows | bool:
    """Run a library query on the built store in a child process, stopped after ``seconds``.

    Oxigraph cannot cancel a running query, so a runaway query runs in a process of its own
    that is killed at the deadline (the store is only read). Parameters are checked and
    entities resolved here first, so bad input fails at once with its usual message.

    Raises QueryTimeout when the query runs out of time.
    """
    import pyoxigraph

    from automaker_kg import children
    from automaker_kg import store as store_module
    from automaker_kg.errors import QueryTimeout

    definition = queries_module.get_query(name)
    kept = _cache(store)
    if kept is not None and seconds > 0 and not _reads_store(definition, params):
        # names from the generation's cache, the query in the child: the store opened once
        no_store: Any = None  # no parameter reads it (_reads_store): names come from the cache
        bindings = queries_module.bind_terms(no_store, definition, params, names=kept.resolve_name)
        source = None
    else:
        opened = kept.store if kept is not None else None  # checked and opened by open_cache
        source = opened if opened is not None else store_module.open_store(store)
        names = kept.resolve_name if kept is not None else None
        bindings = queries_module.bind_terms(source, definition, params, names=names)
        reopened = isinstance(store, str | Path | None) and isinstance(source, pyoxigraph.Store)
        if seconds <= 0 or not reopened:  # a store object, or a remote one: no child
            return queries_module.run_text(source, definition.text, bindings)
    del source
    where = None if store is None else str(store)
    try:  # the child leaves the network first (best effort: run_text refuses SERVICE anyway)
        return children.call(
            _run_in_child, where, definition.text, bindings, seconds=seconds, isolate=True
        )
    except children.ChildTimeout:
        raise QueryTimeout(
            f"query {definition.name!r} ran past {seconds:g} s and was stopped "
            "(raise --timeout, or narrow the query)"
        ) from None
    except children.ChildError as exc:  # a damaged store: the parent says so (exit 3)
        if isinstance(exc.original, StoreError):
            raise StoreError(exc.message) from None
        raise QueryError(str(exc)) from None


# What else the entity's claims point at (rdflib answers these simple patterns quickly).
_CLAIM_PARTS = """
SELECT ?claim ?property ?value ?own_label ?preferred_label ?property_label ?type WHERE {
  ?claim ?role ?entity .
  ?claim ?property ?value .
  FILTER (isIRI(?value) && ?value != ?entity)
  OPTIONAL { ?value rdfs:label ?own_label }
  OPTIONAL { ?value skos:prefLabel ?preferred_label }
  OPTIONAL { ?property rdfs:label ?property_label }
  OPTIONAL { ?value a ?type }
}
"""

_CLAIM_SHARES = """
SELECT ?claim ?share ?share_min ?share_max WHERE {
  ?claim ?role ?entity .
  OPTIONAL { ?claim akg:shareExact ?share }
  OPTIONAL { ?claim akg:shareMinimum ?share_min }
  OPTIONAL { ?claim akg:shareMaximum ?share_max }
}
"""

_NOT_PARTS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "https://w3id.org/automaker-kg/ontology#status",
    "https://w3id.org/automaker-kg/ontology#supersedes",
    "http://www.w3.org/ns/prov#wasDerivedFrom",
}


#: The columns of :func:`facts`, one row per claim.
FACT_COLUMNS = (
    *("claim_type", "role", "counterpart", "value", "valid_from", "valid_to", "status"),
    *("standing", "document", "label", "start", "end", "evidence", "claim", "entity"),
)


def facts(
    entity: str,
    source: Source | None = None,
    *,
    as_of: str | None = None,
    known_on: str | None = None,
    cache: Any = None,
) -> Rows:
    """Every claim the entity takes part in, one row per claim.

    Columns (:data:`FACT_COLUMNS`): the claim's kind, the entity's role(s) in it, its
    counterparts (other entities, each with its role), its value (share, interest, kind),
    valid dates, status, the first document with its first evidence span (``start``,
    ``end``) and every span as ``evidence`` (``<document>#<start>-<end>``).

    With ``as_of`` (and ``known_on``), only the claims the time rules of
    :mod:`automaker_kg.temporal` show that day, as :func:`automaker_kg.projections.project`
    does, with their ``standing`` (in force, planned, reported); claims that link the
    entity to no other entity are not placed in time by those rules and are left out.
    ``cache`` (an :class:`automaker_kg.cache.Cache` of the store's generation) gives the
    names and the time rules' reading without reading every name or claim of the store.
    """
    import pyoxigraph as ox

    from automaker_kg.temporal import format_share

    source = _source(source)
    iri = queries_module.resolve_entity_iri(
        source, entity, names=cache.resolve_name if cache is not None else None
    )
    bound = {"entity": ox.NamedNode(iri)}  # Oxigraph's terms throughout: no rdflib for a store
    facts_about = queries_module.get_query("facts-about")
    per_claim: dict[str, dict[str, Any]] = {}
    for row in _select_rows(queries_module.run_text(source, facts_about.text, bound)).terms():
        claim = row["claim"].value
        item = per_claim.setdefault(
            claim,
            {
                "claim_type": row.get("claim_type"), "roles": [], "label": row.get("label"),
                "status": row.get("status"), "valid_from": row.get("valid_from"),
                "valid_to": row.get("valid_to"), "spans": [], "parts": [], "shares": None,
                "claim": row["claim"], "entity": row.get("entity"),
            },
        )  # fmt: skip
        role = row["role"].value if "role" in row else "None"
        if role not in item["roles"]:
            item["roles"].append(role)
        if "document" in row:
            span = (row["document"].value, row.get("start"), row.get("end"))
            if span not in item["spans"]:
                item["spans"].append(span)
    entity_classes = queries_module.entity_classes(source)
    parts: dict[tuple[str, str], dict[str, Any]] = {}
    for said in _texts(source, _CLAIM_PARTS, bound):
        if str(said["claim"]) not in per_claim or str(said["property"]) in _NOT_PARTS:
            continue
        part = parts.setdefault((str(said["claim"]), str(said["value"])), {"entity": False})
        for key in ("own_label", "preferred_label", "property_label"):
            part.setdefault(key, said.get(key))
        part["entity"] = part["entity"] or str(said.get("type")) in entity_classes
    for (claim, value), part in parts.items():
        label = part["own_label"] or part["preferred_label"]
        if label is not None:
            per_claim[claim]["parts"].append(
                (part["entity"], str(label), part["property_label"], value)
            )
    for said in _texts(source, _CLAIM_SHARES, bound):
        stake = per_claim.get(said["claim"])
        if stake is not None and any(k in said for k in ("share", "share_min", "share_max")):
            stake["shares"] = tuple(
                float(said[k]) if k in said else None for k in ("share", "share_min", "share_max")
            )
    standings = _standings(source, iri, as_of, known_on, cache) if as_of or known_on else None
    rows: list[tuple[Any, ...]] = []
    for claim, item in per_claim.items():
        standing = None
        if standings is not None:
            if claim not in standings:
                continue
            standing = standings[claim]
        counterparts = [
            f"{name} ({role})" if role else name for e, name, role, _ in item["parts"] if e
        ]
        values = [name for e, name, _, _ in item["parts"] if not e]
        if item["shares"] is not None:
            values.append(format_share(*item["shares"]))
        spans = item["spans"]
        rows.append(
            (
                item["claim_type"],
                ox.Literal(", ".join(item["roles"])),
                ox.Literal("; ".join(counterparts)) if counterparts else None,
                ox.Literal(" ".join(values)) if values else None,
                item["valid_from"],
                item["valid_to"],
                item["status"],
                ox.Literal(standing) if standing else None,
                ox.NamedNode(spans[0][0]) if spans else None,
                item["label"],
                spans[0][1] if spans else None,
                spans[0][2] if spans else None,
                ox.Literal(" ".join(f"{d}#{_lexical(a)}-{_lexical(b)}" for d, a, b in spans))
                if spans
                else None,
                item["claim"],
                item["entity"],
            )
        )
    return Rows(list(FACT_COLUMNS), oxigraph_rows=rows)


def _lexical(term: Any) -> str:
    """An evidence offset's text (its literal's lexical form; ``None`` if unbound)."""
    return "None" if term is None else term.value


def _texts(source: Source, text: str, bindings: dict[str, Any]) -> list[dict[str, str]]:
    """A SELECT's rows as texts (:meth:`Rows.texts`): ``facts`` reads thousands of terms
    only to compare and print them."""
    return _select_rows(queries_module.run_text(source, text, bindings)).texts()


def _standings(
    source: Source, entity: str, as_of: str | None, known_on: str | None, cache: Any = None
) -> dict[str, str | None]:
    """Claim -> standing on ``as_of`` of the claims that link ``entity`` in the projection."""
    from automaker_kg.projections import project

    if cache is not None:  # the edges around the entity only, from the generation's cache
        G = cache.project("all", as_of=as_of, known_on=known_on, around=[entity])
    else:
        G = project(source, "all", as_of=as_of, known_on=known_on)
    found: dict[str, str | None] = {}
    if entity in G:
        for edges in (G.out_edges(entity, data=True), G.in_edges(entity, data=True)):
            for _, _, data in edges:
                found[str(data["claim"])] = data.get("standing")
    return found


def summary(source: Source | None = None) -> dict[str, Any]:
    """Counts of entities, claims and sources, and each competency query's answer."""
    source = _source(source)
    counts = _select_rows(queries_module.run("counts", source))[0]
    answers = []
    for name in COMPETENCY_QUERIES:
        definition = queries_module.get_query(name)
        answers.append({"query": definition, "rows": queries_module.run(definition, source)})
    return {
        "entities": int(str(counts["entities"])),
        "claims": int(str(counts["claims"])),
        "sources": int(str(counts["sources"])),
        "answers": answers,
    }
