"""What a rebuild derives again: the claims a change of some files can affect, and their
rows of the derived ``timeline`` graph and of the generation's cache.

A full build derives the ``timeline`` graph
(:func:`automaker_kg.projections.timeline_ntriples`) and the cache
(:func:`automaker_kg.cache.write`) from every claim. A rebuild (:func:`automaker_kg.build.rebuild`)
changes a few files; :func:`plan` finds what of those derivations can change, so that
:func:`patch_timeline` and :func:`automaker_kg.cache.update` redo only that, and give what a
full build of the same files gives.

Which claims read differently (:attr:`Change.claims`)? A claim's edges and time record read
its own triples, its evidence's (claim -> resource -> selector, or the source document and
its date: two steps) and the types and names of the entities it names (one step). So the
claims from which a changed subject is reachable backwards in at most :data:`DEPTH` steps,
the changed claims among them, are read again.

Which claims stand differently (:attr:`Change.closure`)? The time rules place a claim with
those it is grouped with (:func:`automaker_kg.temporal.segments`: supersession either way,
claims about the same stake). The claims read again, and those they were grouped with
before the change (their records in the base generation's cache), are closed over those
links in the changed store: whole groups, before and after, which are resolved again.

What this does not patch gives ``None`` (the build derives everything then): a change to
an entity (its type or names: nodes' labels, the name index), to founding days (the start
of every fact about the entity), to a blank-node claim or to a claim read only because it
supersedes another; a base without a cache of this version; more than :data:`LIMIT` claims.

>>> import pyoxigraph as ox
>>> s = ox.Store()
>>> a, b, d = (ox.NamedNode(f"http://e/{x}") for x in "abd")
>>> s.add(ox.Quad(a, ox.NamedNode("http://e/p"), b))
>>> sorted(n.value for n in reach(s, {b}))
['http://e/a', 'http://e/b']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from automaker_kg.namespaces import AKG

__all__ = ["Change", "DEPTH", "LIMIT", "plan", "reach", "patch_timeline"]

#: How many steps backwards a claim reads: claim -> resource -> selector or document.
DEPTH = 2
#: Past this many claims to derive again, deriving everything is as cheap: :func:`plan` gives up.
LIMIT = 20_000

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_STATUS = ox.NamedNode(str(AKG.status))
_SUPERSEDES = ox.NamedNode(str(AKG.supersedes))
_HOLDER = ox.NamedNode(str(AKG.holder))
_TARGET = ox.NamedNode(str(AKG.target))
_OF_CLAIM = ox.NamedNode(str(AKG.ofClaim))
_EVENT_CLAIM = str(AKG.EventClaim)


@dataclass(frozen=True)
class Change:
    """What a rebuild derives again, on top of the generation ``base``."""

    base: Path
    """The generation the rebuild copied (its cache holds the claims as they were)."""
    claims: frozenset[str]
    """Claims (IRIs) read again: edges, time records; those gone included (with the other
    nodes near the change, which read as no claim)."""
    closure: frozenset[str]
    """Claims resolved again: ``claims`` with every claim grouped with one by the time rules,
    before or after the change."""
    founded: dict[str, date]
    """The founding days (unchanged by the change)."""


def reach(
    store: ox.Store, nodes: Iterable[ox.NamedNode | ox.BlankNode], depth: int = DEPTH,
    skip: ox.NamedNode | None = None,
) -> set[ox.NamedNode | ox.BlankNode]:  # fmt: skip
    """``nodes`` and the nodes from which one is reachable in at most ``depth`` steps (a
    triple's object to its subject), not through the graph ``skip``."""
    found: set[ox.NamedNode | ox.BlankNode] = set(nodes)
    frontier = set(found)
    for _ in range(depth):
        step: set[ox.NamedNode | ox.BlankNode] = set()
        for node in frontier:
            for q in store.quads_for_pattern(None, None, node):
                subject = q.subject
                if q.graph_name != skip and isinstance(subject, ox.NamedNode | ox.BlankNode):
                    if subject not in found:
                        step.add(subject)
        found |= step
        frontier = step
        if len(found) > LIMIT:
            break
    return found


def plan(
    store: ox.Store,
    removed: Iterable[ox.Quad],
    added: Iterable[ox.Quad],
    base: Path,
    timeline: ox.NamedNode,
) -> Change | None:
    """What to derive again once the quads ``removed`` were taken out of ``store`` and the
    quads ``added`` put in (a file reloaded: the same triple out and in again is no change),
    on top of the generation ``base``; ``None`` when only deriving everything is right (see
    the module's text). ``timeline``: the derived graph, not read."""
    from automaker_kg import cache, projections
    from automaker_kg.queries import entity_classes

    before, after = set(removed), set(added)
    quads = before ^ after  # a blank node's quads always differ: it is new in every load
    subjects = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode | ox.BlankNode)}
    kept = cache.open_at(base)
    if kept is None:
        return None
    try:
        entities = set(projections.NODE_KINDS) | entity_classes(store)
        claim_classes = set(projections.kind_classes("all"))
        for q in quads:
            typed = _iri(q.object) if q.predicate == _TYPE else None
            if typed in entities:
                return None  # an entity typed or no longer typed
            if isinstance(q.subject, ox.BlankNode) and (
                q.predicate in (_STATUS, _SUPERSEDES) or typed in claim_classes
            ):
                return None  # a blank-node claim: its node differs in every load
        for subject in subjects:
            for q in store.quads_for_pattern(subject, _TYPE, None):
                if _iri(q.object) in entities:
                    return None  # an entity's own triples (names, identifiers...)
        near = reach(store, subjects, skip=timeline)
        if len(near) > LIMIT:
            return None
        claims = {n.value for n in near if isinstance(n, ox.NamedNode)}
        old = kept.claim_records(claims)
        superseder = len(projections.kind_classes("all"))
        if any(rank >= superseder for rows in old.values() for rank, _ in rows):
            return None  # read because it supersedes a claim: by a store-wide query
        founded = kept.founded()
        event = projections.kind_classes("all").index(_EVENT_CLAIM)
        events = any(rank == event for rows in old.values() for rank, _ in rows) or any(
            _iri(q.object) == _EVENT_CLAIM
            for c in claims
            for q in store.quads_for_pattern(ox.NamedNode(c), _TYPE, None)
        )
        if events and projections.founding_days(store) != founded:
            return None
        seeds = set(claims)
        for rows in old.values():
            for _, record in rows:
                seeds.update(record.supersedes)
                if record.subject is not None:
                    holder, target = str(record.subject[0]), str(record.subject[1])
                    seeds.update(_stakes(store, holder, target))
        closure = _closure(store, seeds)
        if closure is None:
            return None
    finally:
        kept.close()
    return Change(base, frozenset(claims), frozenset(closure), founded)


def _iri(term: object) -> str | None:
    """The IRI of a named node, else ``None``."""
    return term.value if isinstance(term, ox.NamedNode) else None


def _stakes(store: ox.Store, holder: str, target: str) -> set[str]:
    """The claims whose holder is ``holder`` and target ``target``."""
    try:
        h, t = ox.NamedNode(holder), ox.NamedNode(target)
    except ValueError:
        return set()
    return {
        q.subject.value
        for q in store.quads_for_pattern(None, _TARGET, t)
        if isinstance(q.subject, ox.NamedNode)
        and next(store.quads_for_pattern(q.subject, _HOLDER, h), None) is not None
    }


def _closure(store: ox.Store, seeds: set[str]) -> set[str] | None:
    """``seeds`` and every claim linked to one, transitively, by supersession (either way)
    or the same holder and target; ``None`` past :data:`LIMIT`."""
    found, todo = set(seeds), list(seeds)
    while todo:
        iri = todo.pop()
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            continue
        linked = {_iri(q.object) for q in store.quads_for_pattern(node, _SUPERSEDES, None)}
        linked |= {_iri(q.subject) for q in store.quads_for_pattern(None, _SUPERSEDES, node)}
        holders = [_iri(q.object) for q in store.quads_for_pattern(node, _HOLDER, None)]
        for q in store.quads_for_pattern(node, _TARGET, None):
            target = _iri(q.object)
            for holder in holders:
                if holder is not None and target is not None:
                    linked |= _stakes(store, holder, target)
        for other in linked - found:
            if other is not None:
                found.add(other)
                todo.append(other)
        if len(found) > LIMIT:
            return None
    return found


def drop_timeline(store: ox.Store, change: Change, timeline: ox.NamedNode) -> int:
    """Remove the rows of the ``timeline`` graph about the claims of ``change.closure``
    (before their checks: the validation then reads no stale row). Returns the triples
    removed."""
    gone: list[ox.Quad] = []
    for claim in change.closure:
        try:
            node = ox.NamedNode(claim)
        except ValueError:
            continue
        for row in store.quads_for_pattern(None, _OF_CLAIM, node, timeline):
            gone += store.quads_for_pattern(row.subject, None, None, timeline)
    for quad in gone:
        store.remove(quad)
    return len(gone)


def patch_timeline(store: ox.Store, change: Change, timeline: ox.NamedNode) -> int:
    """Write the ``timeline`` rows of the claims of ``change.closure`` as they are now (after
    :func:`drop_timeline`): the rows a full derivation gives them. Returns the triples added."""
    from automaker_kg.projections import timeline_ntriples

    data = timeline_ntriples(store, change.closure, founded=change.founded)
    if data:
        store.load(input=data, format=ox.RdfFormat.N_TRIPLES, to_graph=timeline)
    return data.count(b"\n")
