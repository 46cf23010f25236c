"""What a command reads, kept with each store generation: projections and names without RDF.

The build writes one SQLite file, ``cache.sqlite``, into each new generation's folder
(:func:`write`, through :func:`automaker_kg.store.write_generation`) before the generation
becomes current, and nothing changes it afterwards: a new generation brings its own, so a
cache is never stale. A rebuild (:func:`update`) copies the previous generation's and
replaces the rows of the claims its change can affect (:mod:`automaker_kg.rederive`), table
for table what :func:`write` gives. It holds

* ``edges``: every edge of the ``all`` projection before the time rules choose what is
  shown (its ends, the class of its claim, its attributes), in the order
  :func:`automaker_kg.projections.project` adds them, and ``nodes``: the labels, kinds and
  aliases of their ends (:func:`automaker_kg.projections.gather`);
* ``claims``: every claim as the time rules read it (a
  :class:`~automaker_kg.temporal.ClaimTime`, with the rank of the class it was read as) and
  ``times``: each claim's reading known today
  (a :class:`~automaker_kg.assembly.EdgeTime`), so that ``as_of`` is a filter over spans
  and ``known_on`` a resolve of plain records;
* ``names``: every entity as :func:`automaker_kg.queries.resolve_entity` reads it (label,
  aliases, identifiers).

:meth:`Cache.project` then gives the same graph as ``projections.project`` on the store,
for any kind, ``as_of`` and ``known_on`` (the tests compare them). Plain JSON in SQLite:
nothing is unpickled. A generation written before caches existed has none: :func:`open_cache`
returns ``None`` and commands read the store as before.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import sqlite3
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automaker_kg.errors import AmbiguousNameError, UnknownNameError
from automaker_kg.files import replace_atomic
from automaker_kg.names import Candidate, choose, listing, norm
from automaker_kg.temporal import ClaimTime

if TYPE_CHECKING:  # heavy: loaded when a projection is asked for
    import networkx as nx
    import pyoxigraph

    from automaker_kg.assembly import EdgeRecord, EdgeTime, Gathered
    from automaker_kg.queries import NameStage
    from automaker_kg.rederive import Change

__all__ = [
    "CACHE_FILE",
    "VERSION",
    "Cache",
    "open_at",
    "open_cache",
    "projection",
    "update",
    "write",
]

CACHE_FILE = "cache.sqlite"
#: Raised when what the cache holds changes; a cache of another version is not read.
VERSION = 8

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL,
                    kind TEXT, aliases TEXT NOT NULL);
CREATE TABLE edges (id INTEGER PRIMARY KEY, u INTEGER NOT NULL, v INTEGER NOT NULL,
                    claim TEXT NOT NULL, grp INTEGER NOT NULL, kind_u TEXT NOT NULL,
                    kind_v TEXT NOT NULL, attrs TEXT NOT NULL, relation TEXT,
                    spans INTEGER, start TEXT, end TEXT, standing TEXT);
CREATE TABLE claims (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, rank INTEGER NOT NULL,
                     record TEXT NOT NULL);
CREATE TABLE times (claim TEXT PRIMARY KEY, time TEXT NOT NULL, spans INTEGER NOT NULL,
                    start TEXT, end TEXT);
CREATE TABLE founded (entity TEXT PRIMARY KEY, day TEXT NOT NULL);
CREATE TABLE names (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL,
                    aliases TEXT NOT NULL, identifiers TEXT NOT NULL, preferred INTEGER NOT NULL);
CREATE TABLE name_keys (key TEXT NOT NULL, tier INTEGER NOT NULL, cand INTEGER NOT NULL);
CREATE TABLE name_forms (key TEXT PRIMARY KEY, first TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE node_keys (key TEXT NOT NULL, tier INTEGER NOT NULL, node INTEGER NOT NULL);
CREATE TABLE node_forms (node INTEGER NOT NULL, rank INTEGER NOT NULL, key TEXT NOT NULL,
                         name TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX edges_u ON edges (u);
CREATE INDEX edges_v ON edges (v);
CREATE INDEX name_keys_key ON name_keys (tier, key);
CREATE INDEX node_keys_key ON node_keys (tier, key);
CREATE INDEX node_forms_key ON node_forms (key);
CREATE INDEX claims_iri ON claims (iri);
"""

#: Up to this many nodes, which of them a projection shows is read by their edges' index.
_FEW = 200

#: The tiers of :func:`automaker_kg.names.resolve`, as ``name_keys.tier``: a folded label,
#: a folded alias, an identifier as it is, a folded identifier, any folded name.
_LABEL, _ALIAS, _IDENTIFIER, _FOLDED_IDENTIFIER, _NAME = range(5)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _record(c: ClaimTime) -> str:
    """A :class:`ClaimTime` as JSON (see :func:`_claim_time`)."""
    return json.dumps(
        [
            *(c.iri, c.status, _iso(c.valid_from), _iso(c.valid_to), _iso(c.date)),
            *(_iso(c.published), list(c.supersedes), c.subject, c.value, list(c.entities)),
        ]
    )


def _claim_time(text: str) -> ClaimTime:
    """The :class:`ClaimTime` that :func:`_record` wrote.

    >>> c = ClaimTime("c", status="plan", valid_from=date(2023, 6, 1), supersedes=("a",),
    ...               subject=("R", "N", "s"), value=(15.0, None, None), entities=("R",))
    >>> _claim_time(_record(c)) == c
    True
    """
    iri, status, start, end, day, published, supersedes, subject, value, entities = json.loads(text)
    return ClaimTime(
        iri,
        status=status,
        valid_from=_day(start),
        valid_to=_day(end),
        date=_day(day),
        published=_day(published),
        supersedes=tuple(supersedes),
        subject=tuple(subject) if subject is not None else None,
        value=tuple(value) if value is not None else None,
        entities=tuple(entities),
    )


def write(store: pyoxigraph.Store, folder: str | os.PathLike[str]) -> Path:
    """Derive the caches from a filled store and write them into the generation ``folder``.

    Returns the path of the cache file. Called by the build before the generation becomes
    current; the file is written aside and renamed into place.
    """
    from automaker_kg.graphstore import GraphStore
    from automaker_kg.queries import NameStage

    if not isinstance(store, GraphStore):  # an rdflib graph (the reference in the tests)
        return _write(store, Path(folder), None)
    # every subject's names read once and staged on disk (not held): the projection's
    # nodes' are taken from there, and every entity's streamed into the names table at the end
    with NameStage(store) as stage:
        return _write(store, Path(folder), stage)


def _write(store: pyoxigraph.Store, folder: Path, stage: NameStage | None) -> Path:
    """:func:`write`, with the store's names staged (else read as each step reads them)."""
    from automaker_kg import projections, temporal
    from automaker_kg.analytics.entities import candidate
    from automaker_kg.queries import iter_name_candidates

    gathered = projections.gather(store, "all", names=None if stage is None else stage.scans)
    known = temporal.resolve(gathered.claims, founded=gathered.founded)
    path = folder / CACHE_FILE
    part = path.with_name(CACHE_FILE + ".part")
    part.unlink(missing_ok=True)
    db = sqlite3.connect(part)
    try:
        # a file of its own, renamed into place once complete: no journal, and one fsync
        # of the whole (below) instead of SQLite's at each step of the commit
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(_SCHEMA)
        ids = {iri: n for n, iri in enumerate(gathered.nodes)}
        db.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?, ?, ?)",
            (
                (ids[iri], iri, label, kind, json.dumps(aliases))
                for iri, (label, kind, aliases) in gathered.nodes.items()
            ),
        )
        groups = list(dict.fromkeys(edge.group for edge in gathered.edges))
        group_ids = {group: n for n, group in enumerate(groups)}
        times = {iri: projections.EdgeTime.of(s) for iri, s in known.items()}
        del known
        db.executemany(
            "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _edge_row(n, e, ids[e.u], ids[e.v], group_ids[e.group], times.get(e.claim))
                for n, e in enumerate(gathered.edges)
            ),
        )
        db.executemany(
            "INSERT INTO claims VALUES (?, ?, ?, ?)",
            (
                (n, c.iri, rank, _record(c))
                for n, (c, rank) in enumerate(zip(gathered.claims, gathered.ranks, strict=True))
            ),
        )
        db.executemany("INSERT INTO times VALUES (?, ?, ?, ?, ?)", map(_time_row, times.items()))
        del times
        db.executemany(
            "INSERT INTO founded VALUES (?, ?)",
            ((entity, day.isoformat()) for entity, day in gathered.founded.items()),
        )
        _write_node_keys(
            db,
            (
                (ids[iri], candidate(iri, {"label": label, "aliases": aliases}))
                for iri, (label, _, aliases) in gathered.nodes.items()
            ),
        )
        del gathered, ids  # the names next, without the projection's rows
        _write_names(db, iter_name_candidates(store, stage=stage))
        db.executescript(_INDEXES)
        kinds = {kind: projections.kind_groups(kind) for kind in projections.KINDS}
        meta = {"version": str(VERSION), "groups": json.dumps(groups), "kinds": json.dumps(kinds)}
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.commit()
    finally:
        db.close()
    replace_atomic(part, path)
    return path


def _span(t: EdgeTime | None) -> tuple[int | None, str | None, str | None, str | None]:
    """A claim's spans known today: how many, its only span's start, end and standing."""
    if t is None:
        return None, None, None, None
    return len(t.spans), *(t.spans[0] if t.spans else (None, None, None))  # type: ignore[return-value]


def _edge_row(
    n: int, e: EdgeRecord, u: int, v: int, group: int, time: EdgeTime | None
) -> tuple[Any, ...]:
    """A row of ``edges``."""
    attrs = json.dumps(e.attrs)
    return (n, u, v, e.claim, group, *e.kinds, attrs, e.attrs.get("relation"), *_span(time))


def _time_row(item: tuple[str, EdgeTime]) -> tuple[Any, ...]:
    """A row of ``times``."""
    iri, t = item
    return iri, json.dumps(t), len(t.spans), *(t.spans[0][:2] if t.spans else (None, None))


def update(store: pyoxigraph.Store, folder: str | os.PathLike[str], change: Change) -> Path | None:
    """The caches of a rebuilt generation: the base generation's, with the rows of the
    claims ``change`` names derived again from the filled ``store``
    (:mod:`automaker_kg.rederive`) and the rest renumbered in place: what :func:`write` gives
    on the same store, table for table. Returns the path written, or ``None`` (nothing
    written) when the change is one a patch does not cover; the build writes it whole then.
    """
    from automaker_kg import projections

    path = Path(folder) / CACHE_FILE
    part = path.with_name(CACHE_FILE + ".part")
    part.unlink(missing_ok=True)
    gathered = projections.gather_claims(store, change.claims)
    if any(rank >= len(projections.kind_classes("all")) for rank in gathered.ranks):
        return None  # a claim read because it supersedes one: by the store-wide query
    shutil.copyfile(change.base / CACHE_FILE, part)
    db = sqlite3.connect(part)
    try:
        _patch(db, gathered, change)
        db.commit()
    finally:
        db.close()
    replace_atomic(part, path)
    return path


def _renumber(db: sqlite3.Connection, table: str, order: str) -> None:
    """Number the rows of ``table`` 0, 1, ... in ``order`` (SQL), moving only rows whose
    number changes (through negative numbers: no two rows share one on the way)."""
    db.execute(
        f"UPDATE {table} SET id = -1 - o.pos FROM (SELECT id AS old, "
        f"row_number() OVER (ORDER BY {order}) - 1 AS pos FROM {table}) AS o "
        f"WHERE {table}.id = o.old AND o.old != o.pos"
    )
    db.execute(f"UPDATE {table} SET id = -1 - id WHERE id < 0")


def _patch(db: sqlite3.Connection, gathered: Gathered, change: Change) -> None:
    """:func:`update`'s changes to a copy of the base's cache (see there)."""
    from automaker_kg import projections, temporal
    from automaker_kg.analytics.entities import candidate
    from automaker_kg.assembly import EdgeTime

    classes = projections.kind_classes("all")
    db.execute("CREATE TEMP TABLE dirty (iri TEXT PRIMARY KEY)")
    db.execute("CREATE TEMP TABLE closure (iri TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO dirty VALUES (?)", ((iri,) for iri in change.claims))
    db.executemany("INSERT INTO closure VALUES (?)", ((iri,) for iri in change.closure))
    db.execute("INSERT OR IGNORE INTO closure SELECT iri FROM dirty")

    # claims: the changed ones replaced, in the projection's order (class, then IRI; the
    # claims read because they supersede one last, as they were)
    db.execute("DELETE FROM claims WHERE iri IN (SELECT iri FROM dirty)")
    (top,) = db.execute("SELECT COALESCE(MAX(id), -1) + 1 FROM claims").fetchone()
    db.executemany(
        "INSERT INTO claims VALUES (?, ?, ?, ?)",
        (
            (top + n, c.iri, rank, _record(c))
            for n, (c, rank) in enumerate(zip(gathered.claims, gathered.ranks, strict=True))
        ),
    )
    _renumber(db, "claims", f"rank, CASE WHEN rank < {len(classes)} THEN iri END, id")

    # times: the time rules over whole groups of claims that can change each other
    records = [
        _claim_time(r)
        for (r,) in db.execute(
            "SELECT record FROM claims WHERE iri IN (SELECT iri FROM closure) ORDER BY id"
        )
    ]
    known = temporal.resolve(records, founded=change.founded)
    times = {iri: EdgeTime.of(s) for iri, s in known.items()}
    db.execute("DELETE FROM times WHERE claim IN (SELECT iri FROM closure)")
    db.executemany("INSERT INTO times VALUES (?, ?, ?, ?, ?)", map(_time_row, times.items()))

    # edges: the changed claims' replaced; groups (classes with edges) renumbered in order
    old_groups: list[str] = json.loads(
        db.execute("SELECT value FROM meta WHERE key = 'groups'").fetchone()[0]
    )
    db.execute("DELETE FROM edges WHERE claim IN (SELECT iri FROM dirty)")
    present = {old_groups[g] for (g,) in db.execute("SELECT DISTINCT grp FROM edges")}
    present |= {e.group for e in gathered.edges}
    groups = [g for g in projections.EDGE_GROUPS if g in present]
    if groups != old_groups:
        moved = [(groups.index(g), n) for n, g in enumerate(old_groups) if g in present]
        db.execute("CREATE TEMP TABLE groupmap (old INTEGER PRIMARY KEY, new INTEGER)")
        db.executemany("INSERT INTO groupmap VALUES (?, ?)", ((o, n) for n, o in moved))
        db.execute("UPDATE edges SET grp = m.new FROM groupmap m WHERE edges.grp = m.old")
        db.execute("UPDATE meta SET value = ? WHERE key = 'groups'", (json.dumps(groups),))
    ends = list(dict.fromkeys(n for e in gathered.edges for n in (e.u, e.v)))
    ids: dict[str, int] = {}
    for chunk in range(0, len(ends), 900):
        part = ends[chunk : chunk + 900]
        marks = ",".join("?" * len(part))
        rows = db.execute(f"SELECT id, iri FROM nodes WHERE iri IN ({marks})", part)
        ids.update((iri, n) for n, iri in rows)
    (top,) = db.execute("SELECT COALESCE(MAX(id), -1) + 1 FROM nodes").fetchone()
    new_nodes = [iri for iri in ends if iri not in ids]
    ids.update((iri, top + n) for n, iri in enumerate(new_nodes))
    db.executemany(
        "INSERT INTO nodes VALUES (?, ?, ?, ?, ?)",
        (
            (ids[iri], iri, gathered.nodes[iri][0], gathered.nodes[iri][1],
             json.dumps(gathered.nodes[iri][2]))
            for iri in new_nodes
        ),
    )  # fmt: skip
    _write_node_keys(
        db,
        (
            (ids[iri], candidate(iri, {"label": gathered.nodes[iri][0],
                                       "aliases": gathered.nodes[iri][2]}))
            for iri in new_nodes
        ),
    )  # fmt: skip
    (top,) = db.execute("SELECT COALESCE(MAX(id), -1) + 1 FROM edges").fetchone()
    index = {g: n for n, g in enumerate(groups)}
    db.executemany(
        "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            _edge_row(top + n, e, ids[e.u], ids[e.v], index[e.group], times.get(e.claim))
            for n, e in enumerate(gathered.edges)
        ),
    )
    db.executemany(
        "UPDATE edges SET spans = ?, start = ?, end = ?, standing = ? WHERE claim = ?",
        ((*_span(times.get(iri)), iri) for (iri,) in db.execute("SELECT iri FROM closure")),
    )
    _renumber(db, "edges", "grp, claim, id")

    # nodes: the ends of the edges, numbered in the order they first end one
    db.execute("CREATE TEMP TABLE nodemap (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
    db.execute(
        "INSERT INTO nodemap SELECT node, row_number() OVER (ORDER BY MIN(pos)) - 1 FROM "
        "(SELECT u AS node, 2 * id AS pos FROM edges UNION ALL "
        "SELECT v AS node, 2 * id + 1 AS pos FROM edges) GROUP BY node"
    )
    for table, column in (("nodes", "id"), ("node_keys", "node"), ("node_forms", "node")):
        db.execute(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT old FROM nodemap)")
    if db.execute("SELECT 1 FROM nodemap WHERE old != new LIMIT 1").fetchone():
        db.execute("UPDATE nodes SET id = -1 - m.new FROM nodemap m WHERE nodes.id = m.old")
        db.execute("UPDATE nodes SET id = -1 - id")
        for table, column in (("edges", "u"), ("edges", "v"), ("node_keys", "node"),
                              ("node_forms", "node")):  # fmt: skip
            db.execute(
                f"UPDATE {table} SET {column} = m.new FROM nodemap m "
                f"WHERE {table}.{column} = m.old AND m.old != m.new"
            )


def _keys(candidates: Iterable[tuple[int, Candidate]]) -> Iterator[tuple[str, int, int]]:
    """The keys an index resolver looks each candidate up by, one tier each."""
    for n, c in candidates:
        folded = [norm(x) for x in c.names() if x]
        if c.label:
            yield folded[0], _LABEL, n
        yield from ((f, _ALIAS, n) for f in dict.fromkeys(folded[1:]))
        yield from ((i, _IDENTIFIER, n) for i in dict.fromkeys(c.identifiers))
        yield from ((f, _FOLDED_IDENTIFIER, n) for f in dict.fromkeys(map(norm, c.identifiers)))
        yield from ((f, _NAME, n) for f in dict.fromkeys(folded))


def _write_names(db: sqlite3.Connection, candidates: Iterable[Candidate]) -> None:
    """Every entity as the resolver reads it (``names``), the keys :meth:`Cache.resolve_name`
    looks names up by, and each folded name's first spelling and last entity's label (what
    :func:`automaker_kg.names.resolve` suggests): the candidates read once, a chunk at a
    time, none kept. The names' forms are gathered in a temporary table and reduced by
    SQLite, in the order each folded name first comes, instead of a dict of every
    folded name held in memory."""
    db.execute(
        "CREATE TEMP TABLE form_rows (key TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL)"
    )
    for chunk in _chunks(enumerate(candidates), 10_000):
        db.executemany(
            "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)",
            (
                (n, str(c.key), c.label, json.dumps(c.aliases), json.dumps(c.identifiers),
                 int(c.preferred))
                for n, c in chunk
            ),
        )  # fmt: skip
        db.executemany("INSERT INTO name_keys VALUES (?, ?, ?)", _keys(chunk))
        db.executemany(
            "INSERT INTO form_rows VALUES (?, ?, ?)",
            ((norm(x), x, c.label) for _, c in chunk for x in c.names() if x),
        )
    # each key's first spelling and its last row's label (SQLite takes a bare column from
    # the row of the one min() or max() of its group), in the order of the first rows
    db.execute(
        "INSERT INTO name_forms SELECT f.key, f.name, l.label"
        " FROM (SELECT key, name, min(rowid) AS seq FROM form_rows GROUP BY key) AS f"
        " JOIN (SELECT key, label, max(rowid) FROM form_rows GROUP BY key) AS l USING (key)"
        " ORDER BY f.seq"
    )
    db.execute("DROP TABLE form_rows")


def _write_node_keys(db: sqlite3.Connection, nodes: Iterable[tuple[int, Candidate]]) -> None:
    """The keys :class:`_Shown` finds a projection's nodes by, and each node's names in
    order (the suggestions depend on which nodes a projection shows, in its order)."""
    for chunk in _chunks(nodes, 10_000):  # the keys of a chunk, then its names
        db.executemany("INSERT INTO node_keys VALUES (?, ?, ?)", _keys(chunk))
        db.executemany(
            "INSERT INTO node_forms VALUES (?, ?, ?, ?)",
            (
                (n, rank, norm(x), x)
                for n, c in chunk
                for rank, x in enumerate(x for x in c.names() if x)
            ),
        )


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last shorter).

    >>> list(_chunks(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _indexed_resolve(
    name: str,
    keyed: Callable[..., list[int]],
    named: Callable[[list[int]], list[Candidate]],
    suggestions: Callable[[str], list[str]],
    *,
    kind: str = "entity",
    hint: str | None = None,
) -> Hashable:
    """:func:`automaker_kg.names.resolve` by index lookups: ``keyed(where, *args)`` gives the
    candidates (in the resolver's order) whose keys match, ``named`` the candidates of ids,
    ``suggestions`` the labels suggested for a folded name none has."""
    wanted = norm(name)
    if not wanted:
        raise UnknownNameError(kind, name, [], suggestions=[], hint=hint or "give a name")

    def lookup(where: str, *args: Any) -> list[int]:
        if all(_storable(a) for a in args if isinstance(a, str)):
            return keyed(where, *args)
        return []  # no key holds a lone surrogate (SQLite could not even take it)

    def pick(ids: list[int]) -> Candidate | None:
        return choose(named(ids) if ids else [], name, kind=kind)

    found = pick(lookup("tier = ? AND key = ?", _LABEL, wanted))
    if found is not None:
        return found.key
    by_alias = lookup("tier = ? AND key = ?", _ALIAS, wanted)
    if by_alias:
        aliased = set(by_alias)
        starting = lookup("tier = ? AND key >= ? AND key < ?", _NAME, *_prefix(wanted + " "))
        rivals = [n for n in starting if n not in aliased]
        found = pick(by_alias) if not rivals else None
        if found is None:
            raise AmbiguousNameError(kind, name, listing(named(by_alias + rivals)))
        return found.key
    tiers: list[tuple[str, tuple[Any, ...]]] = [
        ("tier = ? AND key = ?", (_IDENTIFIER, name.strip())),
        ("tier = ? AND key = ?", (_FOLDED_IDENTIFIER, wanted)),
        ("tier = ? AND key >= ? AND key < ?", (_NAME, *_prefix(wanted + " "))),
        ("tier = ? AND key >= ? AND key < ?", (_NAME, *_prefix(wanted))),
        ("tier = ? AND instr(key, ?) > 0", (_NAME, wanted)),
    ]
    for where, args in tiers:
        found = pick(lookup(where, *args))
        if found is not None:
            return found.key
    raise UnknownNameError(kind, name, [], suggestions=suggestions(wanted), hint=hint)


def _close(
    wanted: str, keys: Iterable[str], kept: Callable[[list[str]], set[str]] = set
) -> list[str]:
    """The folded names ``names.suggest`` lists among the ``keys`` that ``kept`` keeps: those
    starting with ``wanted`` (sorted), then the closest (difflib, 0.75), at most five.

    ``kept`` is asked about the keys in the order they are taken, a few at a time, and only
    until five of each list are kept (all keys ranked first, so the answer is that of the
    kept keys alone).

    >>> _close("nisan", ["nissan", "nisanth", "nisa", "renault"])
    ['nisanth', 'nissan', 'nisa']
    >>> _close("nisan", ["nissan", "nisanth", "nisa"], lambda ks: set(ks) - {"nissan"})
    ['nisanth', 'nisa']
    """
    keys = set(keys)
    starting = sorted(k for k in keys if k.startswith(wanted) and k != wanted)
    size = len(wanted)
    near = [k for k in keys if size * 0.6 - 1 <= len(k) <= size * 5 / 3 + 1]
    close = difflib.get_close_matches(wanted, near, max(len(near), 1), 0.75)

    def first_five(ranked: list[str]) -> list[str]:
        taken: list[str] = []
        for part in _chunks(ranked, 10):
            found = kept(part)
            taken += [k for k in part if k in found]
            if len(taken) >= 5:
                break
        return taken[:5]

    return list(dict.fromkeys([*first_five(starting), *first_five(close)]))[:5]


def _prefix(text: str) -> tuple[str, str]:
    """The range of keys that start with ``text`` (SQLite compares UTF-8 as code points);
    an empty range when ``text`` holds a lone surrogate, which no key (UTF-8) holds.

    >>> _prefix("ab"), _prefix("a\\ud800")
    (('ab', 'ac'), ('', ''))
    """
    if not _storable(text):
        return "", ""
    return text, text[:-1] + chr(ord(text[-1]) + 1)


def _storable(text: str) -> bool:
    """Whether SQLite can take ``text`` as UTF-8: no lone surrogate (typed text may hold
    one; the graph's names never do)."""
    return text.isascii() or not any("\ud800" <= c <= "\udfff" for c in text)


class Cache:
    """The caches of one store generation, read-only (see the module's text)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        #: The generation's database as :func:`open_cache` opened it to check it (read-only):
        #: a command that queries the store too uses it instead of opening it again.
        self.store: pyoxigraph.Store | None = None
        # immutable: the file never changes once its generation is written (no locking)
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True)
        # closed when the cache is dropped, for callers that never call close() (a command's
        # cache lives as long as its process; Python 3.13 warns of a connection left open)
        weakref.finalize(self, self._db.close)
        try:
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
        except BaseException:
            self._db.close()
            raise
        if meta.get("version") != str(VERSION):
            self._db.close()
            raise ValueError(f"{self.path}: cache version {meta.get('version')}, not {VERSION}")
        self.groups: list[str] = json.loads(meta["groups"])
        #: Each projection kind and the claim classes it shows (the order of ``KINDS``).
        self.kinds: dict[str, list[str]] = json.loads(meta["kinds"])

    def close(self) -> None:
        self._db.close()

    # ----------------------------------------------------------------- projections

    def _nodes(self) -> dict[int, tuple[str, tuple[str, str | None, list[str]]]]:
        return {
            n: (iri, (label, kind, json.loads(aliases)))
            for n, iri, label, kind, aliases in self._db.execute("SELECT * FROM nodes")
        }

    def _edges(self, sql: str = "", args: Iterable[Any] = ()) -> Iterator[tuple[Any, ...]]:
        return self._db.execute(
            "SELECT u, v, claim, grp, kind_u, kind_v, attrs FROM edges " + sql + " ORDER BY id",
            tuple(args),
        )

    def _gathered(self, rows: Iterable[tuple[Any, ...]], records: bool) -> Gathered:
        from automaker_kg.assembly import EdgeRecord, Gathered

        nodes = self._nodes()
        groups = self.groups
        edges: list[EdgeRecord] = []
        used: dict[str, tuple[str, str | None, list[str]]] = {}
        for u, v, claim, grp, kind_u, kind_v, attrs in rows:
            (iu, nu), (iv, nv) = nodes[u], nodes[v]
            used[iu], used[iv] = nu, nv
            edges.append(
                EdgeRecord(iu, iv, claim, groups[grp], (kind_u, kind_v), json.loads(attrs))
            )
        claims = self.claims() if records else []
        founded = self.founded() if records else {}
        return Gathered(used, edges, claims, founded)

    def claims(self) -> list[ClaimTime]:
        """Every claim as the time rules read it, in the order the projection resolves them."""
        return [
            _claim_time(r) for (r,) in self._db.execute("SELECT record FROM claims ORDER BY id")
        ]

    def claim_records(self, iris: Iterable[str]) -> dict[str, list[tuple[int, ClaimTime]]]:
        """The rank (:attr:`automaker_kg.assembly.Gathered.ranks`) and record of each of
        these claims (one per class it was read as), of those the cache holds."""
        wanted = sorted(set(iris))
        found: dict[str, list[tuple[int, ClaimTime]]] = {}
        for chunk in range(0, len(wanted), 900):
            part = wanted[chunk : chunk + 900]
            for iri, rank, record in self._db.execute(
                "SELECT iri, rank, record FROM claims "
                f"WHERE iri IN ({','.join('?' * len(part))}) ORDER BY id",
                part,
            ):
                found.setdefault(iri, []).append((rank, _claim_time(record)))
        return found

    def founded(self) -> dict[str, date]:
        return {e: date.fromisoformat(d) for e, d in self._db.execute("SELECT * FROM founded")}

    def times(self, claims: Iterable[str] | None = None) -> dict[str, EdgeTime]:
        """Each claim's reading known today (of ``claims`` only, when given)."""
        from automaker_kg.assembly import EdgeTime

        wanted = sorted(set(claims)) if claims is not None else []
        if claims is None or len(wanted) > 20_000:  # most of them: one pass over the table
            rows: Iterable[tuple[str, str]] = self._db.execute("SELECT claim, time FROM times")
            if claims is not None:
                keep = set(wanted)
                rows = (row for row in rows if row[0] in keep)
        else:  # by the index, a chunk at a time (a scan reads every claim's row)
            rows = [
                row
                for part in _chunks(wanted, 900)
                for row in self._db.execute(
                    f"SELECT claim, time FROM times WHERE claim IN ({','.join('?' * len(part))})",
                    part,
                )
            ]
        return {claim: EdgeTime(*json.loads(time)) for claim, time in rows}

    def project(
        self,
        kind: str = "all",
        *,
        as_of: date | str | None = None,
        known_on: date | str | None = None,
        around: Iterable[str] | None = None,
    ) -> nx.MultiDiGraph:
        """What :func:`automaker_kg.projections.project` gives on this generation's store.

        ``around``: only the edges that touch these entities (the projection of their
        neighbourhood; ``facts`` reads no more).
        """
        from automaker_kg.assembly import assemble

        if kind not in self.kinds:
            raise UnknownNameError("projection", str(kind), list(self.kinds))
        # the kind's edges only (assemble drops the others, after reading their attributes)
        groups = [n for n, group in enumerate(self.groups) if group in self.kinds[kind]]
        where = f"WHERE grp IN ({','.join('?' * len(groups))})"
        if around is None:
            rows: Iterable[tuple[Any, ...]] = list(self._edges(where, groups))
        else:
            ids = self._node_ids(around)
            marks = ",".join("?" * len(ids))
            rows = list(
                self._edges(
                    f"{where} AND (u IN ({marks}) OR v IN ({marks}))", [*groups, *ids, *ids]
                )
            )
        gathered = self._gathered(rows, records=known_on is not None)
        times = None if known_on is not None else self.times(e.claim for e in gathered.edges)
        return assemble(
            gathered, self.kinds[kind], kind=kind, as_of=as_of, known_on=known_on, times=times
        )

    def _node_ids(self, iris: Iterable[str]) -> list[int]:
        wanted = list(iris)
        marks = ",".join("?" * len(wanted))
        return [
            n for (n,) in self._db.execute(f"SELECT id FROM nodes WHERE iri IN ({marks})", wanted)
        ]

    def path_graph(
        self,
        kind: str,
        a: str,
        b: str,
        *,
        as_of: date | str | None = None,
        known_on: date | str | None = None,
        max_hops: int | None = 6,
    ) -> tuple[nx.MultiDiGraph, str, str]:
        """What ``path a b`` needs of the ``kind`` projection: ``(H, start, end)``.

        ``start`` and ``end`` are the nodes ``a`` and ``b`` name, resolved among every node of
        the projection (:func:`automaker_kg.analytics.resolve_entity`'s answer and errors);
        ``H`` holds the nodes of every shortest path between them of at most ``max_hops``
        claims, the edges among them and every edge of the technologies among them, with
        their attributes, kinds and order as in the whole projection: so
        ``linking_paths(H, start, end, k=1)`` is ``linking_paths`` on the whole projection,
        read from a fraction of it.
        """
        shown = _Shown(self, kind, as_of, known_on)
        start, end = shown.find(a), shown.find(b)
        on_paths = _between(shown.neighbours, start, end, max_hops)
        technologies = {n for n in on_paths if shown.kind(n) == "technology"}
        wanted = [
            n
            for n, u, v in shown.touching(on_paths)
            if (u in on_paths and v in on_paths) or u in technologies or v in technologies
        ]
        return shown.graph(wanted, (start, end)), shown.iri(start), shown.iri(end)

    def ownership_graph(
        self,
        *,
        as_of: date | str | None = None,
        known_on: date | str | None = None,
        holder: str | None = None,
        target: str | None = None,
        relation: str = "shareholding",
    ) -> tuple[nx.MultiDiGraph, str | None, str | None]:
        """What ``ownership --holder X`` (or ``--target Y``) needs of the ``ownership``
        projection: ``(H, holder, target)``, the names resolved among all its nodes.

        ``H`` holds the stakes of ``relation`` in force among the companies the holder
        reaches through them (or those that reach the target), and every stake the holder
        holds (or that is held in the target): ``ownership_table(H, relation, holder=...,
        target=...)`` gives the rows of the whole projection's table, integrated ownership
        included (no other company's stake enters a sum along the holder's chains).
        """
        shown = _Shown(self, "ownership", as_of, known_on)
        h = shown.find(holder) if holder is not None else None
        t = shown.find(target) if target is not None else None
        if h is None and t is None:
            raise ValueError("give a holder or a target")
        stakes = shown.stakes(relation)
        step: dict[int, list[int]] = {}
        for _, u, v in stakes:
            if h is not None:
                step.setdefault(u, []).append(v)
            else:
                step.setdefault(v, []).append(u)
        origin = h if h is not None else t
        assert origin is not None
        reached, todo = {origin}, [origin]
        while todo:
            for n in step.get(todo.pop(), ()):
                if n not in reached:
                    reached.add(n)
                    todo.append(n)
        chained = {n for n, u, v in stakes if u in reached and v in reached}
        wanted = sorted(
            chained.union(
                n for n, u, v in shown.touching([origin]) if (u == h if h is not None else v == t)
            )
        )
        ends = tuple(n for n in (h, t) if n is not None)
        return (
            shown.graph(wanted, ends),
            shown.iri(h) if h is not None else None,
            shown.iri(t) if t is not None else None,
        )

    def _resolved(self, known_on: date) -> dict[str, EdgeTime]:
        """Each claim's reading as known on ``known_on`` (the time rules over every claim)."""
        from automaker_kg.assembly import EdgeTime
        from automaker_kg.temporal import resolve

        standings = resolve(self.claims(), known_on=known_on, founded=self.founded())
        return {iri: EdgeTime.of(standing) for iri, standing in standings.items()}

    # ----------------------------------------------------------------- names

    def _named(self, ids: list[int]) -> list[Candidate]:
        found = {
            n: Candidate(iri, label, tuple(json.loads(a)), tuple(json.loads(i)), bool(p))
            for n, iri, label, a, i, p in self._db.execute(
                "SELECT id, iri, label, aliases, identifiers, preferred FROM names "
                f"WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            )
        }
        return [found[n] for n in ids]

    def _keyed(self, where: str, *args: Any) -> list[int]:
        rows = self._db.execute(
            f"SELECT DISTINCT cand FROM name_keys WHERE {where} ORDER BY cand", args
        )
        return [n for (n,) in rows]

    def resolve_name(self, name: str, *, kind: str = "entity", hint: str | None = None) -> str:
        """The IRI :func:`automaker_kg.names.resolve` gives for ``name`` among
        :meth:`candidates`, found by index lookups instead of a pass over every name.

        Raises AmbiguousNameError and UnknownNameError (with the same suggestions) as
        :func:`~automaker_kg.names.resolve` does.
        """
        found = _indexed_resolve(
            name, self._keyed, self._named, self._suggestions, kind=kind, hint=hint
        )
        return str(found)

    def _suggestions(self, wanted: str) -> list[str]:
        """The labels :func:`automaker_kg.names.resolve` suggests for a folded name no entity
        has: those of the names starting with it, then of the closest (difflib, 0.75)."""
        start, end = _prefix(wanted)  # start is wanted, or "" (an empty range)
        starting = [
            key
            for (key,) in self._db.execute(
                "SELECT key FROM name_forms WHERE key >= ? AND key < ? AND key != ? "
                "ORDER BY key LIMIT 5",
                (start, end, start),
            )
        ]
        # a ratio of at least 0.75 needs lengths within 0.6x-1.67x (difflib's real_quick_ratio)
        size = len(wanted)
        pool = [
            key
            for (key,) in self._db.execute(
                "SELECT key FROM name_forms WHERE length(key) BETWEEN ? AND ?",
                (int(size * 0.6) - 1, int(size * 5 / 3) + 2),
            )
        ]
        close = difflib.get_close_matches(wanted, pool, 5, 0.75)
        picked = list(dict.fromkeys([*starting, *close]))[:5]
        labels = dict(
            self._db.execute(
                f"SELECT key, label FROM name_forms WHERE key IN ({','.join('?' * len(picked))})",
                picked,
            )
        )
        return list(dict.fromkeys(labels[key] for key in picked))[:3]

    def candidates(self) -> list[Candidate]:
        """Every entity as :func:`automaker_kg.queries.resolve_entity` reads it."""
        from rdflib import URIRef  # the resolver answers with the IRI as rdflib's term

        return [
            Candidate(URIRef(iri), label, tuple(json.loads(a)), tuple(json.loads(i)), bool(p))
            for iri, label, a, i, p in self._db.execute(
                "SELECT iri, label, aliases, identifiers, preferred FROM names ORDER BY id"
            )
        ]


class _Shown:
    """The edges of one projection shown on a day (as known on a day), read from the cache
    without their attributes: which nodes it shows, a node by its name (as the resolver
    finds it among them), its edges in order, and any part of it as the graph
    :func:`automaker_kg.assembly.assemble` makes of the whole."""

    def __init__(
        self, cache: Cache, kind: str, as_of: date | str | None, known_on: date | str | None
    ) -> None:
        from automaker_kg.temporal import parameter_date

        if kind not in cache.kinds:
            raise UnknownNameError("projection", str(kind), list(cache.kinds))
        self.cache, self.kind_name, self.as_of, self.known_on = cache, kind, as_of, known_on
        valid = parameter_date(as_of)
        self.day = valid.isoformat() if valid is not None else None
        known = parameter_date(known_on, "known_on")
        self.times = cache._resolved(known) if known is not None else None
        self.groups = [n for n, group in enumerate(cache.groups) if group in cache.kinds[kind]]
        self._edges: list[tuple[int, int, int]] | None = None
        self._first_kind: dict[int, str] = {}
        self._rows: dict[int, tuple[str, str, str | None, str]] = {}
        self._shown: set[int] | None = None
        self._spread_rows: list[tuple[int, int, int, str, str]] | None = None
        self._near: dict[int, list[int]] | None = None

    @property
    def shown(self) -> set[int]:
        """Every node the projection shows (read once, when a question needs them all)."""
        if self._shown is None:
            self._shown = self._shown_nodes()
        return self._shown

    def _shown_among(self, nodes: Iterable[int]) -> set[int]:
        """Those of ``nodes`` the projection shows: by the edges of those few (an index
        lookup each) while every shown node is not read yet, else from them."""
        nodes = set(nodes)
        if self._shown is not None or self.times is not None or len(nodes) > _FEW:
            return nodes & self.shown
        return {n for _, u, v in self.touching(nodes) for n in (u, v) if n in nodes}

    def _filter(self) -> tuple[str, list[Any]]:
        """The SQL that keeps the kind's edges (``e``) shown on the day,
        for claims shown in one span (the rest are read by :meth:`_spread`)."""
        marks = ",".join("?" * len(self.groups))
        where = f"e.grp IN ({marks}) AND e.spans = 1"
        args: list[Any] = list(self.groups)
        if self.day is not None:
            where += " AND (e.start IS NULL OR e.start <= ?) AND (e.end IS NULL OR ? < e.end)"
            args += [self.day, self.day]
        return where, args

    def _spread(self) -> list[tuple[int, int, int, str, str]]:
        """Edges whose claim is shown in several spans (none yet), checked one by one (read
        once)."""
        if self._spread_rows is not None:
            return self._spread_rows
        self._spread_rows = []
        several = "SELECT 1 FROM times WHERE spans > 1 LIMIT 1"  # an edge's spans are its claim's
        if self.cache._db.execute(several).fetchone() is None:  # a scan of times, not of edges
            return self._spread_rows
        marks = ",".join("?" * len(self.groups))
        rows = self.cache._db.execute(
            "SELECT e.id, e.u, e.v, e.kind_u, e.kind_v, t.time FROM edges e JOIN times t "
            f"ON t.claim = e.claim WHERE e.grp IN ({marks}) AND e.spans > 1",
            self.groups,
        )
        for n, u, v, kind_u, kind_v, time in rows:
            from automaker_kg.assembly import EdgeTime  # networkx: only when there are some

            if self.day is None or EdgeTime(*json.loads(time)).on(self.day) is not None:
                self._spread_rows.append((n, u, v, kind_u, kind_v))
        return self._spread_rows

    def touching(self, nodes: Iterable[int]) -> list[tuple[int, int, int]]:
        """``(edge, u, v)`` of the shown edges with an end among ``nodes``, in the
        projection's order (by the index of each end while the edges are not read)."""
        nodes = set(nodes)
        if self._edges is not None or self.times is not None:
            return [(n, u, v) for n, u, v in self.edges if u in nodes or v in nodes]
        where, args = self._filter()
        found: set[tuple[int, int, int]] = set()
        for part in _chunks(sorted(nodes), 400):
            marks = ",".join("?" * len(part))
            found.update(
                self.cache._db.execute(
                    f"SELECT e.id, e.u, e.v FROM edges e WHERE e.u IN ({marks}) AND {where} "
                    f"UNION ALL SELECT e.id, e.u, e.v FROM edges e WHERE e.v IN ({marks}) "
                    f"AND {where}",
                    [*part, *args, *part, *args],
                )
            )
        found.update((n, u, v) for n, u, v, *_ in self._spread() if u in nodes or v in nodes)
        return sorted(found)

    def neighbours(self, nodes: Iterable[int]) -> dict[int, list[int]]:
        """Each of ``nodes`` and the nodes its shown edges link it to (either way, once an
        edge), from the edges of those nodes only while every edge is not read."""
        nodes = set(nodes)
        if self._edges is None and self.times is None:
            near: dict[int, list[int]] = {n: [] for n in nodes}
            for _, u, v in self.touching(nodes):
                if u in near:
                    near[u].append(v)
                if v in near:
                    near[v].append(u)
            return near
        if self._near is None:
            self._near = {}
            for _, u, v in self.edges:
                self._near.setdefault(u, []).append(v)
                self._near.setdefault(v, []).append(u)
        return {n: self._near.get(n, []) for n in nodes}

    def _shown_nodes(self) -> set[int]:
        if self.times is not None:
            return {n for _, u, v in self.edges for n in (u, v)}
        where, args = self._filter()
        found = {
            n
            for (n,) in self.cache._db.execute(
                f"SELECT e.u FROM edges e WHERE {where} "
                f"UNION SELECT e.v FROM edges e WHERE {where}",
                args + args,
            )
        }
        return found | {n for _, u, v, *_ in self._spread() for n in (u, v)}

    @property
    def edges(self) -> list[tuple[int, int, int]]:
        """``(edge, u, v)`` of every shown edge, in the projection's order."""
        if self._edges is not None:
            return self._edges
        rows: list[tuple[int, int, int, str, str]]
        if self.times is None:
            where, args = self._filter()
            rows = self.cache._db.execute(
                f"SELECT e.id, e.u, e.v, e.kind_u, e.kind_v FROM edges e WHERE {where}",
                args,
            ).fetchall()
            rows += self._spread()
            rows.sort()
        else:
            marks = ",".join("?" * len(self.groups))
            rows = []
            for n, u, v, kind_u, kind_v, claim in self.cache._db.execute(
                "SELECT id, u, v, kind_u, kind_v, claim FROM edges "
                f"WHERE grp IN ({marks}) ORDER BY id",
                self.groups,
            ):
                time = self.times.get(claim)
                if time is None or (self.day is not None and time.on(self.day) is None):
                    continue
                rows.append((n, u, v, kind_u, kind_v))
        self._edges = []
        for n, u, v, kind_u, kind_v in rows:
            self._edges.append((n, u, v))
            self._first_kind.setdefault(u, kind_u)
            self._first_kind.setdefault(v, kind_v)
        return self._edges

    def stakes(self, relation: str) -> list[tuple[int, int, int]]:
        """``(edge, u, v)`` of the shown stakes of ``relation`` in force (with the edges of
        claims shown in several spans, whatever they are: a superset is harmless)."""
        from automaker_kg.temporal import IN_FORCE

        if self.times is None:
            where, args = self._filter()
            rows = self.cache._db.execute(
                f"SELECT e.id, e.u, e.v FROM edges e WHERE {where} "
                "AND e.relation = ? AND e.standing = ?",
                [*args, relation, IN_FORCE],
            ).fetchall()
            return sorted(rows + [(n, u, v) for n, u, v, *_ in self._spread()])
        shown = {n for n, _, _ in self.edges}
        marks = ",".join("?" * len(self.groups))
        found = []
        for n, u, v, claim in self.cache._db.execute(
            f"SELECT id, u, v, claim FROM edges WHERE grp IN ({marks}) AND relation = ?",
            [*self.groups, relation],
        ):
            time = self.times[claim] if n in shown else None
            standing = None if time is None else time.on(self.day) if self.day else time.role
            if standing == IN_FORCE:
                found.append((n, u, v))
        return sorted(found)

    def _row(self, node: int) -> tuple[str, str, str | None, str]:
        """``(iri, label, kind or None, aliases as JSON)`` of a node."""
        if node not in self._rows:
            self._load([node])
        return self._rows[node]

    def _load(self, nodes: Iterable[int]) -> None:
        wanted = [n for n in dict.fromkeys(nodes) if n not in self._rows]
        for chunk in range(0, len(wanted), 900):
            part = wanted[chunk : chunk + 900]
            for n, iri, label, kind, aliases in self.cache._db.execute(
                f"SELECT * FROM nodes WHERE id IN ({','.join('?' * len(part))})", part
            ):
                self._rows[n] = (iri, label, kind, aliases)

    def iri(self, node: int) -> str:
        return self._row(node)[0]

    def kind(self, node: int) -> str:
        """The node's kind in the projection: the data's, else its first edge's."""
        own = self._row(node)[2]
        if own:
            return own
        if self._edges is None and self.times is None:  # the first edge, by the index
            n, side = self._position(node)
            found = self.cache._db.execute(
                f"SELECT {('kind_u', 'kind_v')[side]} FROM edges WHERE id = ?", (n,)
            ).fetchone()
            return str(found[0])
        _ = self.edges
        return str(self._first_kind[node])

    def _position(self, node: int) -> tuple[int, int]:
        """Where the node first ends a shown edge: its place in the projection's nodes."""
        if self._edges is not None or self.times is not None:
            return self._order()[node]
        where, args = self._filter()
        firsts = [
            (self.cache._db.execute(
                f"SELECT MIN(e.id) FROM edges e WHERE e.{end} = ? AND {where}",
                [node, *args],
            ).fetchone()[0], side)
            for side, end in enumerate("uv")
        ]  # fmt: skip
        firsts += [
            (n, side)
            for n, u, v, *_ in self._spread()
            for side, end in enumerate((u, v))
            if end == node
        ]
        return min((n, side) for n, side in firsts if n is not None)

    def _order(self) -> dict[int, tuple[int, int]]:
        order: dict[int, tuple[int, int]] = {}
        for n, u, v in self.edges:
            order.setdefault(u, (n, 0))
            order.setdefault(v, (n, 1))
        return order

    def find(self, name: str) -> int:
        """The node ``name`` names, as :func:`automaker_kg.analytics.resolve_entity` finds it
        on the whole projection (its errors and suggestions too)."""
        row = self.cache._db.execute("SELECT id FROM nodes WHERE iri = ?", (name,)).fetchone()
        if row is not None and self._shown_among([row[0]]):
            return int(row[0])
        iri = _indexed_resolve(name, self._keyed, self._named, self._suggestions)
        found = self.cache._db.execute("SELECT id FROM nodes WHERE iri = ?", (iri,)).fetchone()
        return int(found[0])

    def _keyed(self, where: str, *args: Any) -> list[int]:
        rows = self.cache._db.execute(f"SELECT DISTINCT node FROM node_keys WHERE {where}", args)
        return sorted(self._shown_among(n for (n,) in rows), key=self._position)

    def _named(self, ids: list[int]) -> list[Candidate]:
        from automaker_kg.analytics.entities import candidate

        self._load(ids)
        out = []
        for n in ids:
            iri, label, _, aliases = self._rows[n]
            out.append(candidate(iri, {"label": label, "aliases": json.loads(aliases)}))
        return out

    def _suggestions(self, wanted: str) -> list[str]:
        """The labels the resolver suggests among the shown nodes: each close name's first
        spelling in the projection's order, and the label of the last node with it."""
        size = len(wanted)
        every: dict[str, list[int]] = {}
        for key, n in self.cache._db.execute(
            "SELECT key, node FROM node_keys WHERE tier = ? AND "
            "((key >= ? AND key < ?) OR length(key) BETWEEN ? AND ?)",
            (_NAME, *_prefix(wanted), int(size * 0.6) - 1, int(size * 5 / 3) + 2),
        ):
            every.setdefault(key, []).append(n)
        pool: dict[str, list[int]] = {}  # the shown nodes of the keys asked about

        def kept(keys: list[str]) -> set[str]:
            shown = self._shown_among(n for key in keys for n in every[key])
            pool.update({key: [n for n in every[key] if n in shown] for key in keys})
            return {key for key in keys if pool[key]}

        picked = _close(wanted, every, kept)
        if not picked:
            return []
        holders = sorted({n for key in picked for n in pool[key]}, key=self._position)
        labels: dict[str, str] = {}
        for n, c in zip(holders, self._named(holders), strict=True):
            for key in picked:
                if n in pool[key]:
                    labels[key] = c.label
        return list(dict.fromkeys(labels[key] for key in picked))[:3]

    def graph(self, wanted: list[int], ends: tuple[int, ...]) -> nx.MultiDiGraph:
        """The edges ``wanted`` (ids) with their ends, and the nodes ``ends``, as the whole
        projection has them: attributes, kinds, and the order of its edges."""
        from automaker_kg.assembly import EdgeRecord, Gathered, assemble

        rows: list[tuple[Any, ...]] = []
        for chunk in range(0, len(wanted), 900):
            part = wanted[chunk : chunk + 900]
            rows += self.cache._db.execute(
                "SELECT id, u, v, claim, grp, kind_u, kind_v, attrs FROM edges "
                f"WHERE id IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
        rows.sort()
        kept = {n for _, u, v, *_ in rows for n in (u, v)} | set(ends)
        self._load(kept)
        groups = self.cache.groups
        records = [
            EdgeRecord(self.iri(u), self.iri(v), claim, groups[grp], (ku, kv), json.loads(attrs))
            for _, u, v, claim, grp, ku, kv, attrs in rows
        ]
        nodes: dict[str, tuple[str, str | None, list[str]]] = {
            self.iri(n): (self._rows[n][1], self.kind(n), json.loads(self._rows[n][3]))
            for n in kept
        }
        times = self.times if self.times is not None else self.cache.times(r.claim for r in records)
        H = assemble(
            Gathered(nodes, records, [], {}),
            self.cache.kinds[self.kind_name],
            kind=self.kind_name,
            as_of=self.as_of,
            known_on=self.known_on,
            times=times,
        )
        for n in ends:  # the ends, even when no edge of the part touches them
            if self.iri(n) not in H:
                iri, label, _, aliases = self._rows[n]
                H.add_node(
                    iri, label=label, kind=self.kind(n), iri=iri, aliases=json.loads(aliases)
                )
        return H


def _between(
    neighbours: Callable[[set[int]], dict[int, list[int]]],
    a: int,
    b: int,
    max_hops: int | None,
) -> set[int]:
    """The nodes of every shortest path from ``a`` to ``b`` of at most ``max_hops`` steps
    (``{a, b}`` when there is none): those whose distances from both ends add up to it.

    A breadth-first search from both ends, the smaller frontier grown first, until they meet
    (``neighbours(nodes)`` gives each node's neighbours); then back from the nodes where they
    met, layer by layer, to each end. Only the nodes nearer than the middle are read.

    >>> near = {1: [2, 3], 2: [1, 4], 3: [1, 4], 4: [2, 3, 5], 5: [4], 6: []}
    >>> step = lambda nodes: {n: near[n] for n in nodes}
    >>> sorted(_between(step, 1, 5, 6)), sorted(_between(step, 1, 5, 2)), _between(step, 1, 6, 6)
    ([1, 2, 3, 4, 5], [1, 5], {1, 6})
    """
    if a == b:
        return {a}
    limit = max_hops if max_hops is not None else float("inf")
    # each end's layers (nodes by distance: a node's layer is its distance), the nodes
    # seen and the neighbours read
    sides: list[tuple[list[set[int]], set[int], dict[int, list[int]]]] = [
        ([{a}], {a}, {}),
        ([{b}], {b}, {}),
    ]
    while len(sides[0][0]) + len(sides[1][0]) - 2 < limit:
        grow = 0 if len(sides[0][0][-1]) <= len(sides[1][0][-1]) else 1
        layers, seen, near = sides[grow]
        found = neighbours(layers[-1])
        near.update(found)
        frontier = {v for vs in found.values() for v in vs if v not in seen}
        if not frontier:
            break
        seen |= frontier
        layers.append(frontier)
        met = frontier & sides[1 - grow][1]
        if met:  # in the last layer of both ends (the layers met nowhere nearer)
            on_paths = set(met)
            for layers, _, near in sides:  # back from where they met to each end
                kept = met
                for layer in reversed(layers[:-1]):
                    kept = {n for n in layer if any(v in kept for v in near[n])}
                    on_paths |= kept
            return on_paths
    return {a, b}


def open_at(generation: str | os.PathLike[str]) -> Cache | None:
    """The caches of the generation folder ``generation``, or ``None`` (none of this version)."""
    path = Path(generation) / CACHE_FILE
    if not path.is_file():
        return None
    try:
        return Cache(path)
    except (sqlite3.Error, ValueError, KeyError):
        return None


def open_cache(store: str | os.PathLike[str] | None = None) -> Cache | None:
    """The caches of the store's current generation, or ``None`` when it has none (a remote
    store, a generation written before caches, a cache of another version or unreadable).

    Raises
    ------
    StoreError
        when there is no built store at ``store``, or its generation's database does not
        open (a missing or cut table, a damaged MANIFEST or CURRENT: ``store.open_generation``).
    """
    if store is not None and str(store).lower().startswith(("sparql+http:", "sparql+https:")):
        return None
    from automaker_kg.store import lease, open_generation

    generation = lease(store)
    opened = open_generation(generation)  # a damaged generation is exit 3 even when cached
    kept = open_at(generation)
    if kept is not None:
        kept.store = opened
    return kept


def projection(
    store: str | os.PathLike[str] | None,
    kind: str = "all",
    *,
    as_of: date | str | None = None,
    known_on: date | str | None = None,
) -> nx.MultiDiGraph:
    """The ``kind`` projection of the store's current generation: from its cache, else
    (no cache kept) :func:`automaker_kg.projections.project` on the store."""
    kept = open_cache(store)
    if kept is not None:
        try:
            return kept.project(kind, as_of=as_of, known_on=known_on)
        finally:
            kept.close()
    from automaker_kg.projections import project
    from automaker_kg.store import open_store

    return project(open_store(store), kind, as_of=as_of, known_on=known_on)
