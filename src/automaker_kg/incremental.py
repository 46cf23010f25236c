"""Rebuild what changed: which files changed since the current generation, and which nodes
their change can make fail, so that a build loads and checks only those.

A generation conforms: the build writes none that does not. Its ``generation.json``
records each file's SHA-256 and, under ``incremental`` (:func:`record`), the digests of
what every check depends on besides the files: the shapes, and entity resolution's input
(the entities, their names and identifiers, the merges decided). When those are the same,
the ontology is unchanged and no large (bulk) file changed, :func:`plan` names the files to
reload; everything else is taken from the current generation as it is (a backup: hard
links). Any other change gives ``None``, and the build starts from nothing.

Which focus nodes can break after a change (:func:`affected`)? A shape reads its focus
node's triples and, through ``sh:node``, ``sh:class`` and SPARQL paths, the triples of nodes
a few steps away (:data:`DEPTH`); a triple added or removed can therefore change the result
only of nodes from which its subject is reachable in so many steps, and walking the graph
backwards from the changed subjects finds them all. Two checks reach further: the 100%
rule (``ConcurrentStakesAtMost100``) sums every stake in one target, so every stake in a
target some changed stake names (before or after the change) is checked again, by that
rule's shape alone (:attr:`Focus.sums`: nothing else it reads changed); and the
undefined-term check reads the type of an object, which a backward step covers. The test
suite checks, for random edits of real fact sheets, that the nodes found this way give the
violations a full validation gives.

>>> p = plan({"files": [{"path": "graph/a.ttl", "sha256": "1"}],
...           "incremental": record("s", "r", 10)},
...          {"graph/a.ttl": "2"}, set(), "s", 10, "/tmp/generation")
>>> p.changed, p.removed
(('graph/a.ttl',), ())
>>> plan({"files": [], "incremental": record("s", "r", 10)}, {}, set(), "other shapes", 10, "/g")
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from automaker_kg.namespaces import AKG
from automaker_kg.resolve import Resolution

__all__ = [
    "Plan", "Focus", "plan", "record", "resolution_digest", "affected", "subjects", "DEPTH",
    "SUM_SHAPE",
]  # fmt: skip

#: What a generation's ``incremental`` entry means; a generation with another is rebuilt whole.
VERSION = 1
#: How many steps from its focus node a shape reads: claim -> evidence -> selector / source
#: document (its type) is two; one more for safety.
DEPTH = 3
#: Past this many nodes to check, a full validation is as cheap: :func:`affected` gives up.
MAX_FOCUS = 250_000

_TARGET = ox.NamedNode(str(AKG.target))

Node = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class Plan:
    """What a rebuild from the generation ``base`` reloads."""

    base: Path
    changed: tuple[str, ...]
    """Graph names whose file is new or changed since ``base``."""
    removed: tuple[str, ...]
    """Graph names whose file is gone."""
    previous: Mapping[str, Any]
    """``base``'s ``generation.json``."""


def record(shapes: str, resolution: str, bulk_bytes: int) -> dict[str, Any]:
    """The ``incremental`` entry of a generation's metadata (digests of what it was checked
    with besides its files)."""
    return {"version": VERSION, "shapes": shapes, "resolution": resolution, "bulk": bulk_bytes}


def plan(
    previous: Mapping[str, Any] | None,
    digests: Mapping[str, str],
    bulk: set[str],
    shapes: str,
    bulk_bytes: int,
    base: str | Path,
) -> Plan | None:
    """The files to reload on top of the generation ``base`` (whose metadata is
    ``previous``), or ``None`` when only a full build is right.

    ``digests`` maps every file's graph name to its ``sha256:`` digest, ``bulk`` names the
    files loaded in bulk, ``shapes`` is the shapes file's digest.
    """
    if not previous:
        return None
    mark = previous.get("incremental") or {}
    if mark != record(shapes, mark.get("resolution", ""), bulk_bytes):
        return None  # another version, other shapes or another bulk threshold
    before = {f["path"]: f["sha256"] for f in previous.get("files", [])}
    if set(previous.get("bulk", [])) != bulk:
        return None
    changed = tuple(name for name, digest in digests.items() if before.get(name) != digest)
    removed = tuple(name for name in before if name not in digests)
    touched = [*changed, *removed]
    if any(name.startswith("ontology/") or name in bulk for name in touched):
        return None
    return Plan(Path(base), changed, removed, previous)


def resolution_digest(resolution: Resolution) -> str:
    """A digest of what entity resolution read and decided (before bulk graphs): equal
    digests mean every merge, rewrite and record is the same.

    >>> resolution_digest(Resolution()) == resolution_digest(Resolution())
    True
    """
    h = hashlib.sha256()
    for iri, entity in sorted(resolution.entities.items()):
        identifiers = sorted(entity.identifiers)
        item = (str(iri), entity.family, entity.graphs, entity.curated, identifiers, entity.names)
        h.update(repr(item).encode())
    for merged, canonical in sorted(resolution.canonical.items()):
        h.update(f"{merged} {canonical}\n".encode())
    for r in resolution.records:
        h.update(repr(r).encode())
    return "sha256:" + h.hexdigest()


def subjects(quads: Iterable[ox.Quad]) -> set[Node]:
    """The subjects of ``quads`` (what changed, for :func:`affected`)."""
    return {q.subject for q in quads if isinstance(q.subject, ox.NamedNode | ox.BlankNode)}


@dataclass(frozen=True)
class Focus:
    """What an incremental check checks (see :func:`affected`)."""

    nodes: frozenset[Node]
    """Checked by every shape: the nodes from which a changed subject is reachable."""
    sums: frozenset[Node]
    """Checked by the 100% rule's shape (:data:`SUM_SHAPE`) only: the other stakes in a
    target some changed stake names (their own triples, and those they read, are as
    before, so every other check of them gives what it gave)."""

    def __len__(self) -> int:
        return len(self.nodes | self.sums)


#: The shape (``sh:name``) holding the 100% rule (``ConcurrentStakesAtMost100``), the one
#: check that reads other stakes of the same target.
SUM_SHAPE = "ConcurrentStakes"


def affected(
    store: ox.Store,
    changed: set[Node],
    removed: Iterable[ox.Quad] = (),
    *,
    depth: int = DEPTH,
    limit: int = MAX_FOCUS,
) -> Focus | None:
    """The nodes whose checks may give another answer once the triples of the ``changed``
    subjects changed (``removed``: the triples gone, whose stakes' targets count too); or
    ``None`` when they are more than ``limit`` (check everything then).

    >>> s = ox.Store()
    >>> a, b, c = (ox.NamedNode(f"http://e/{x}") for x in "abc")
    >>> s.add(ox.Quad(a, ox.NamedNode("http://e/p"), b))
    >>> sorted(n.value for n in affected(s, {b}).nodes)
    ['http://e/a', 'http://e/b']
    >>> sorted(n.value for n in affected(s, {c}).nodes)
    ['http://e/c']
    """
    found = set(changed)
    frontier = set(changed)
    for _ in range(depth):
        step: set[Node] = set()
        for node in frontier:
            for quad in store.quads_for_pattern(None, None, node):
                if quad.subject not in found:
                    step.add(quad.subject)  # type: ignore[arg-type]
        found |= step
        frontier = step
        if len(found) > limit:
            return None
    targets = {q.object for q in removed if q.predicate == _TARGET}
    for node in list(found):
        targets.update(q.object for q in store.quads_for_pattern(node, _TARGET, None))
    sums: set[Node] = set()
    for target in targets:
        if isinstance(target, ox.NamedNode | ox.BlankNode):
            sums.update(q.subject for q in store.quads_for_pattern(None, _TARGET, target))  # type: ignore[misc]
    focus = Focus(frozenset(found), frozenset(sums - found))
    return focus if len(focus) <= limit else None
