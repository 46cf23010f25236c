"""Cross-holdings answered from a reciprocal-stake index built with the store generation.

The library query ``cross-holdings`` joins every stake in force with its reverse and then
filters the pairs by four dates each (shown from/until, known from/until: the build's
``graph/timeline``). The join does not depend on the dates the query asks about, so the
build runs it once (:func:`write_index`, into the generation folder beside
``generation.json``) and the endpoint keeps only the date filters to apply per request
(:meth:`ReciprocalIndex.answer`): a few comparisons per reciprocal pair instead of a join
over every stake.

The answer is the query's own, row for row: the index holds every pair the query's
required patterns give (labels, shares and statuses as the query computes them), each
pair's date values (all of them, so an OPTIONAL that matches twice gives two rows, as in
SPARQL), and the hash of the query text it was built for. It declines (returns ``None``,
and the query then runs as written) when the library text has changed since, when a date
or a parameter is not a plain ``xsd:date``, or when the index file is missing or unreadable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import logging
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .files import write_atomic

__all__ = [
    "QUERY_NAME",
    "INDEX_FILE",
    "COLUMNS",
    "ReciprocalIndex",
    "build_index",
    "write_index",
    "read_index",
    "query_digest",
    "keep_index",
    "kept_index",
    "patch_index",
]

log = logging.getLogger(__name__)

QUERY_NAME = "cross-holdings"
INDEX_FILE = "cross-holdings-index.json"
VERSION = 1
#: The answer's columns, in the order of the query's SELECT.
COLUMNS = (
    "a_label",
    "b_label",
    "interest",
    "a_in_b",
    "b_in_a",
    "status_a_in_b",
    "status_b_in_a",
    "as_of",
)
_CELLS = COLUMNS[:-1]
_DATES = ("shownFrom", "shownUntil", "knownFrom", "knownUntil")
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

#: cross-holdings.rq's required group, its date-free filters and its BINDs.
_PAIRS = """
SELECT ?standing_ab ?standing_ba ?a_label ?b_label ?interest ?a_in_b ?b_in_a
       ?status_a_in_b ?status_b_in_a
WHERE {
  ?standing_ab akg:standing akg:InForce ; akg:ofClaim ?ab .
  ?ab a akg:EquityStake ; akg:holder ?a ; akg:target ?b ; akg:interestType ?type ;
      akg:shareExact ?a_in_b ; akg:status ?status_ab .
  ?ba akg:holder ?b ; akg:target ?a ; akg:interestType ?type ; akg:shareExact ?b_in_a ;
      akg:status ?status_ba .
  ?standing_ba akg:ofClaim ?ba ; akg:standing akg:InForce .
  ?status_ab skos:prefLabel ?s1 . ?status_ba skos:prefLabel ?s2 .
  ?a rdfs:label ?a_label . ?b rdfs:label ?b_label .
  ?type skos:prefLabel ?type_label .
  FILTER (?a_in_b > 0 && ?b_in_a > 0)
  FILTER (STR(?a_label) < STR(?b_label))
  BIND (STR(?type_label) AS ?interest)
  BIND (STR(?s1) AS ?status_a_in_b)
  BIND (STR(?s2) AS ?status_b_in_a)
}
"""
#: The dates of the standings in force (the optional patterns of cross-holdings.rq).
_STANDING_DATES = """
SELECT ?standing ?property ?day WHERE {
  VALUES ?property { akg:shownFrom akg:shownUntil akg:knownFrom akg:knownUntil }
  ?standing akg:standing akg:InForce ; ?property ?day .
}
"""


def query_digest(text: str) -> str:
    """SHA-256 of a query's text: the index holds for the text it was built for only."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _library_text() -> str:
    from .queries import get_query

    return get_query(QUERY_NAME).text


def _plain_date(term: Any) -> str | None:
    """``YYYY-MM-DD`` of an ``xsd:date`` literal without a time zone, else ``None``."""
    if not isinstance(term, ox.Literal) or term.datatype.value != _XSD_DATE:
        return None
    value = term.value
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def build_index(store: ox.Store, query_text: str | None = None) -> dict[str, Any]:
    """The index of ``store`` (a JSON-ready dict) for the library's cross-holdings text.

    >>> index = build_index(ox.Store())
    >>> index["pairs"], index["exact"]
    ([], True)
    """
    from .namespaces import PREFIXES

    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    text = _library_text() if query_text is None else query_text

    # every pair joins two stakes each the other's reverse: the query runs on their
    # neighbourhood only (Oxigraph's join over every stake of a large store costs seconds),
    # unless a blank node is among them (a neighbourhood is read by IRI)
    claims = _reversible(store)
    part = _pair_quads(store, claims) if all(isinstance(c, ox.NamedNode) for c in claims) else store

    def select(sparql: str) -> Iterator[ox.QuerySolution]:
        result = part.query(sparql, prefixes=prefixes, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return iter(result)

    pairs = [_pair(row) for row in select(_PAIRS)]
    exact = _dated(pairs, select(_STANDING_DATES))
    return {
        "version": VERSION,
        "query": query_digest(text),
        "exact": exact,
        "pairs": pairs,
    }


def _pair(row: ox.QuerySolution) -> dict[str, Any]:
    """A pair of the index from a row of :data:`_PAIRS` (its dates come later)."""
    cells = [str(row[name]) for name in _CELLS]
    # ORDER BY ?a_label ?b_label ?interest: plain strings compare by their value
    order = [row[name].value for name in ("a_label", "b_label", "interest")]
    return {"ab": str(row["standing_ab"]), "ba": str(row["standing_ba"]), "cells": cells,
            "order": order}  # fmt: skip


def _dated(pairs: list[dict[str, Any]], rows: Iterable[ox.QuerySolution]) -> bool:
    """Give ``pairs`` the dates of their standings from ``rows`` of :data:`_STANDING_DATES`;
    whether every date is one the index compares as SPARQL does."""
    standings = {p[side] for p in pairs for side in ("ab", "ba")}
    exact = True
    dates: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        standing = str(row["standing"])
        if standing not in standings:
            continue
        day = _plain_date(row["day"])
        if day is None:
            exact = False  # a date the index cannot compare as SPARQL does: decline
            continue
        name = row["property"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        dates.setdefault(standing, {}).setdefault(name, []).append(day)
    for pair in pairs:
        for side in ("ab", "ba"):
            found = dates.get(pair[side], {})
            pair[f"{side}_dates"] = [sorted(found.get(name, [])) for name in _DATES]
    return exact


def _reversible(store: ox.Store) -> list[Any]:
    """The claims some claim reverses (its holder their target, its target their holder):
    those :func:`_reversed` holds for, found by one read of each property."""
    from .namespaces import AKG

    ends: dict[Any, tuple[set[Any], set[Any]]] = {}
    for side, prop in enumerate((AKG.holder, AKG.target)):
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(prop)), None):
            ends.setdefault(quad.subject, (set(), set()))[side].add(quad.object)
    pairs = {(h, t) for holders, targets in ends.values() for h in holders for t in targets}
    return [
        claim
        for claim, (holders, targets) in ends.items()
        if any((t, h) in pairs for h in holders for t in targets)
    ]


def _pair_quads(store: ox.Store, claims: list[Any]) -> ox.Store:
    """An in-memory store of what :data:`_PAIRS` and :data:`_STANDING_DATES` read about
    ``claims`` (a set closed under reversal, as :func:`_reversible` gives): the quads of
    the properties they name, of these claims, their standings and the nodes those point
    to. Both queries give the same rows about these claims there as on ``store``."""
    from rdflib.namespace import RDF, RDFS, SKOS

    from .namespaces import AKG

    def prop(iri: Any) -> ox.NamedNode:
        return ox.NamedNode(str(iri))

    def read(nodes: Iterable[Any], iris: Iterable[Any]) -> list[ox.Quad]:
        props = [prop(iri) for iri in iris]
        return [q for n in nodes for p in props for q in store.quads_for_pattern(n, p, None)]

    facts = (AKG.holder, AKG.target, AKG.interestType, AKG.shareExact, AKG.status, RDF.type)
    quads = read(claims, facts)
    of_claim = prop(AKG.ofClaim)
    standings = {q.subject for c in claims for q in store.quads_for_pattern(None, of_claim, c)}
    timed = (AKG.ofClaim, AKG.standing, *(AKG[name] for name in _DATES))
    quads += read(standings, timed)
    roles = {prop(AKG.holder), prop(AKG.target)}
    quads += read({q.object for q in quads if q.predicate in roles}, [RDFS.label])
    named = {prop(AKG.interestType), prop(AKG.status)}
    quads += read({q.object for q in quads if q.predicate in named}, [SKOS.prefLabel])
    part = ox.Store()
    part.extend(quads)
    return part


def _claim(standing: str) -> str:
    """The claim of a standing node ``<claim/standing/n>`` (projections.timeline_ntriples)."""
    return standing[1:-1].rsplit("/standing/", 1)[0]


def _neighbourhood(store: ox.Store, claims: Iterable[str]) -> ox.Store:
    """An in-memory store of the quads of ``claims``, of the stakes the other way round
    (holder and target swapped), of their standings (``akg:ofClaim``) and of every node
    those quads point to: all a row of :data:`_PAIRS` about one of ``claims`` reads."""
    from .namespaces import AKG

    holder, target = ox.NamedNode(str(AKG.holder)), ox.NamedNode(str(AKG.target))
    of_claim = ox.NamedNode(str(AKG.ofClaim))
    nodes: set[Any] = set()
    for claim in claims:
        node = ox.NamedNode(claim)
        nodes.add(node)
        for h in store.quads_for_pattern(node, holder, None):
            for t in store.quads_for_pattern(node, target, None):
                for back in store.quads_for_pattern(None, target, h.object):
                    if next(store.quads_for_pattern(back.subject, holder, t.object), None):
                        nodes.add(back.subject)
    nodes |= {q.subject for n in list(nodes) for q in store.quads_for_pattern(None, of_claim, n)}
    quads = [q for n in nodes for q in store.quads_for_pattern(n, None, None)]
    pointed = {q.object for q in quads if isinstance(q.object, ox.NamedNode | ox.BlankNode)}
    quads += [q for n in pointed - nodes for q in store.quads_for_pattern(n, None, None)]
    part = ox.Store()
    part.extend(quads)
    return part


def _reversed(store: ox.Store, claim: str) -> bool:
    """Whether some claim's holder is ``claim``'s target and its target ``claim``'s holder
    (else ``claim`` is in no pair of :data:`_PAIRS`, either way round)."""
    from .namespaces import AKG

    holder, target = ox.NamedNode(str(AKG.holder)), ox.NamedNode(str(AKG.target))
    node = ox.NamedNode(claim)
    for h in store.quads_for_pattern(node, holder, None):
        for t in store.quads_for_pattern(node, target, None):
            for back in store.quads_for_pattern(None, target, h.object):
                if next(store.quads_for_pattern(back.subject, holder, t.object), None):
                    return True
    return False


def patch_index(
    base: str | os.PathLike[str],
    generation: str | os.PathLike[str],
    store: ox.Store,
    claims: Collection[str],
) -> Path | None:
    """Keep in ``generation`` the index of ``store`` made from the one kept in the generation
    ``base`` when only the stakes ``claims`` (IRIs) and their standings may differ between
    them (a rebuild's claims derived again, :mod:`automaker_kg.rederive`): the pairs of
    those stakes found again, the others kept. The same pairs as :func:`build_index`, in
    another order where the query's ORDER BY ties (which :class:`ReciprocalIndex` keeps).
    Returns the path written, or ``None`` (nothing written) when ``base`` keeps no index of
    the library's text.
    """
    from .namespaces import PREFIXES

    text = _library_text()
    previous = kept_index(base, INDEX_FILE)
    usable = isinstance(previous, dict) and previous.get("version") == VERSION
    if not usable or previous.get("query") != query_digest(text):
        return None
    wanted = {c for c in claims if not c.startswith("_:")}
    kept = [p for p in previous["pairs"] if not {_claim(p["ab"]), _claim(p["ba"])} & wanted]
    # every pair of a wanted stake lies in its neighbourhood's triples: the query runs there
    # (bound to a stake, Oxigraph still joins every stake in the store)
    part = _neighbourhood(store, [c for c in sorted(wanted) if _reversed(store, c)])
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}

    def select(sparql: str) -> Iterator[ox.QuerySolution]:
        result = part.query(sparql, prefixes=prefixes, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return iter(result)

    found = [
        _pair(row)
        for row in select(_PAIRS)
        if row["standing_ab"].value.rsplit("/standing/", 1)[0] in wanted
        or row["standing_ba"].value.rsplit("/standing/", 1)[0] in wanted
    ]
    exact = _dated(found, select(_STANDING_DATES))
    index = {
        "version": VERSION,
        "query": previous["query"],
        "exact": bool(previous.get("exact")) and exact,
        "pairs": kept + found,
    }
    target = Path(generation) / INDEX_FILE
    write_atomic(target, json.dumps(index, separators=(",", ":")))
    return target


def keep_index(
    generation: str | os.PathLike[str],
    file_name: str,
    build: Callable[[ox.Store], dict[str, Any]],
    store: ox.Store | None = None,
) -> Path | None:
    """``build`` the index of ``store`` (default: the generation folder's store, opened
    read-only) and write it as ``file_name`` into the generation folder (atomically); the
    writer of this module's index and of :mod:`automaker_kg.conflicts_index`'s.

    Returns the file's path, or ``None`` when it could not be written (logged: the
    generation is complete without it, and the endpoint then runs the query as written).
    """
    folder = Path(generation)
    target = folder / file_name
    try:
        source = store if store is not None else ox.Store.read_only(str(folder))
        index = build(source)
        del source
        write_atomic(target, json.dumps(index, separators=(",", ":")))
    except (OSError, RuntimeError) as error:
        log.warning("no %s for %s: %s", file_name, folder.name, error)
        return None
    return target


def kept_index(generation: str | os.PathLike[str] | None, file_name: str) -> Any:
    """The JSON kept as ``file_name`` in ``generation``, or ``None`` (none, or unreadable)."""
    if generation is None:
        return None
    try:
        return json.loads((Path(generation) / file_name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_index(generation: str | os.PathLike[str], store: ox.Store | None = None) -> Path | None:
    """Build the index of ``store`` and keep it in the generation folder (:func:`keep_index`)."""
    return keep_index(generation, INDEX_FILE, build_index, store)


def read_index(
    generation: str | os.PathLike[str] | None, query_text: str
) -> ReciprocalIndex | None:
    """The index kept in ``generation`` if it was built for ``query_text``, else ``None``."""
    return ReciprocalIndex.from_dict(kept_index(generation, INDEX_FILE), query_text)


@dataclass(frozen=True)
class _Pair:
    cells: tuple[str, ...]
    order: tuple[str, ...]
    ab: tuple[tuple[str, ...], ...]  # shown from, shown until, known from, known until
    ba: tuple[tuple[str, ...], ...]


class ReciprocalIndex:
    """The pairs of reciprocal stakes in force, answered per (as_of, known_on)."""

    def __init__(self, pairs: Sequence[_Pair]) -> None:
        self.pairs = sorted(pairs, key=lambda p: p.order)

    @classmethod
    def from_dict(cls, data: Any, query_text: str) -> ReciprocalIndex | None:
        """The index in ``data`` (from :func:`build_index`), if it holds for ``query_text``."""
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        if data.get("query") != query_digest(query_text) or not data.get("exact"):
            return None
        try:
            pairs = [
                _Pair(
                    tuple(p["cells"]),
                    tuple(p["order"]),
                    tuple(tuple(d) for d in p["ab_dates"]),
                    tuple(tuple(d) for d in p["ba_dates"]),
                )
                for p in data["pairs"]
            ]
        except (KeyError, TypeError):
            return None
        return cls(pairs)

    @classmethod
    def of_store(cls, store: ox.Store, query_text: str) -> ReciprocalIndex | None:
        """Built from ``store`` now (for a store whose generation kept no index)."""
        return cls.from_dict(build_index(store, query_text), query_text)

    def answer(self, as_of: str | None, known_on: str | None) -> list[list[str | None]] | None:
        """The rows of cross-holdings (cells in N-Triples form, ``None`` unbound) for the
        bound values of ``as_of`` and ``known_on`` (N-Triples, ``None`` when unbound);
        ``None`` when a value is not a plain ``xsd:date`` (the query then runs as written).
        """
        (day_ok, day), (known_ok, known) = _parameter(as_of), _parameter(known_on)
        if not (day_ok and known_ok):
            return None
        rows: list[list[str | None]] = []
        for pair in self.pairs:
            for _ in _matches(pair.ab, day, known):
                for _ in _matches(pair.ba, day, known):
                    rows.append([*pair.cells, as_of])
        return rows


def _parameter(term: str | None) -> tuple[bool, str | None]:
    """Whether ``term`` (N-Triples) is a plain ``xsd:date`` or unbound, and its day.

    >>> _parameter('"2023-07-01"^^<http://www.w3.org/2001/XMLSchema#date>'), _parameter(None)
    ((True, '2023-07-01'), (True, None))
    >>> _parameter('"2023-07-01"')
    (False, None)
    """
    if term is None:
        return True, None
    found = re.fullmatch(r'"(\d{4}-\d{2}-\d{2})"\^\^<' + re.escape(_XSD_DATE) + ">", term)
    if found is None:
        return False, None
    try:
        dt.date.fromisoformat(found.group(1))
    except ValueError:
        return False, None
    return True, found.group(1)


def _matches(
    dates: tuple[tuple[str, ...], ...], day: str | None, known: str | None
) -> Iterator[None]:
    """One item per combination of a standing's optional dates that passes the filters
    ``!BOUND(from) || from <= day``, ``!BOUND(until) || day < until`` (and the same with
    ``known``); an unbound ``day`` or ``known`` is an error in SPARQL, which fails the
    filter unless the date is unbound too."""
    shown_from, shown_until, known_from, known_until = (d or (None,) for d in dates)
    for start, end, k_start, k_end in itertools.product(
        shown_from, shown_until, known_from, known_until
    ):
        if start is not None and (day is None or not start <= day):
            continue
        if end is not None and (day is None or not day < end):
            continue
        if k_start is not None and (known is None or not k_start <= known):
            continue
        if k_end is not None and (known is None or not known < k_end):
            continue
        yield None
