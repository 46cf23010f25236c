"""What a command reads, kept with each store generation: projections and names without RDF.

The build writes one SQLite file, ``cache.sqlite``, into each new generation's folder
(:func:`write`, through :func:`automaker_kg.store.write_generation`) before the generation
becomes current, and nothing changes it afterwards: a new generation brings its own, so a
cache is never stale. It holds

* ``edges``: every edge of the ``all`` projection before the time rules choose what is
  shown (its ends, the class of its claim, its attributes), in the order
  :func:`automaker_kg.projections.project` adds them, and ``nodes``: the labels, kinds and
  aliases of their ends (:func:`automaker_kg.projections.gather`);
* ``claims``: every claim as the time rules read it (a
  :class:`~automaker_kg.temporal.ClaimTime`) and ``times``: each claim's reading known today
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

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automaker_kg.errors import UnknownNameError
from automaker_kg.names import Candidate
from automaker_kg.temporal import ClaimTime

if TYPE_CHECKING:  # heavy: loaded when a projection is asked for
    import networkx as nx
    import pyoxigraph

    from automaker_kg.assembly import EdgeTime, Gathered

__all__ = ["CACHE_FILE", "VERSION", "Cache", "open_cache", "projection", "write"]

CACHE_FILE = "cache.sqlite"
#: Raised when what the cache holds changes; a cache of another version is not read.
VERSION = 2

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL,
                    kind TEXT, aliases TEXT NOT NULL);
CREATE TABLE edges (id INTEGER PRIMARY KEY, u INTEGER NOT NULL, v INTEGER NOT NULL,
                    claim TEXT NOT NULL, grp INTEGER NOT NULL, kind_u TEXT NOT NULL,
                    kind_v TEXT NOT NULL, attrs TEXT NOT NULL);
CREATE TABLE claims (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE times (claim TEXT PRIMARY KEY, time TEXT NOT NULL);
CREATE TABLE founded (entity TEXT PRIMARY KEY, day TEXT NOT NULL);
CREATE TABLE names (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL,
                    aliases TEXT NOT NULL, identifiers TEXT NOT NULL, preferred INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX edges_u ON edges (u);
CREATE INDEX edges_v ON edges (v);
"""


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
        value=tuple(value) if value is not None else None,  # type: ignore[arg-type]
        entities=tuple(entities),
    )


def write(store: pyoxigraph.Store, folder: str | os.PathLike[str]) -> Path:
    """Derive the caches from a filled store and write them into the generation ``folder``.

    Returns the path of the cache file. Called by the build before the generation becomes
    current; the file is written aside and renamed into place.
    """
    from automaker_kg import projections, temporal
    from automaker_kg.queries import name_candidates

    gathered = projections.gather(store, "all")
    known = temporal.resolve(gathered.claims, founded=gathered.founded)
    candidates = name_candidates(store)
    path = Path(folder) / CACHE_FILE
    part = path.with_name(CACHE_FILE + ".part")
    part.unlink(missing_ok=True)
    db = sqlite3.connect(part)
    try:
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
        db.executemany(
            "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (n, ids[e.u], ids[e.v], e.claim, group_ids[e.group], *e.kinds, json.dumps(e.attrs))
                for n, e in enumerate(gathered.edges)
            ),
        )
        db.executemany(
            "INSERT INTO claims VALUES (?, ?, ?)",
            ((n, c.iri, _record(c)) for n, c in enumerate(gathered.claims)),
        )
        db.executemany(
            "INSERT INTO times VALUES (?, ?)",
            ((iri, json.dumps(projections.EdgeTime.of(s))) for iri, s in known.items()),
        )
        db.executemany(
            "INSERT INTO founded VALUES (?, ?)",
            ((entity, day.isoformat()) for entity, day in gathered.founded.items()),
        )
        db.executemany(
            "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    n,
                    str(c.key),
                    c.label,
                    json.dumps(c.aliases),
                    json.dumps(c.identifiers),
                    int(c.preferred),
                )
                for n, c in enumerate(candidates)
            ),  # fmt: skip
        )
        db.executescript(_INDEXES)
        kinds = {kind: projections.kind_classes(kind) for kind in projections.KINDS}
        meta = {"version": str(VERSION), "groups": json.dumps(groups), "kinds": json.dumps(kinds)}
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.commit()
    finally:
        db.close()
    os.replace(part, path)
    return path


class Cache:
    """The caches of one store generation, read-only (see the module's text)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        # immutable: the file never changes once its generation is written (no locking)
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True)
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta.get("version") != str(VERSION):
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

    def founded(self) -> dict[str, date]:
        return {e: date.fromisoformat(d) for e, d in self._db.execute("SELECT * FROM founded")}

    def times(self, claims: Iterable[str] | None = None) -> dict[str, EdgeTime]:
        """Each claim's reading known today (of ``claims`` only, when given)."""
        from automaker_kg.assembly import EdgeTime

        wanted = sorted(set(claims)) if claims is not None else []
        if claims is None or len(wanted) > 2000:  # most of them: one pass over the table
            rows: Iterable[tuple[str, str]] = self._db.execute("SELECT claim, time FROM times")
            if claims is not None:
                keep = set(wanted)
                rows = (row for row in rows if row[0] in keep)
        else:
            marks = ",".join("?" * len(wanted))
            rows = self._db.execute(
                f"SELECT claim, time FROM times WHERE claim IN ({marks})", wanted
            )
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
        if around is None:
            rows: Iterable[tuple[Any, ...]] = list(self._edges())
        else:
            ids = self._node_ids(around)
            marks = ",".join("?" * len(ids))
            rows = list(self._edges(f"WHERE u IN ({marks}) OR v IN ({marks})", [*ids, *ids]))
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

    # ----------------------------------------------------------------- names

    def candidates(self) -> list[Candidate]:
        """Every entity as :func:`automaker_kg.queries.resolve_entity` reads it."""
        from rdflib import URIRef  # the resolver answers with the IRI as rdflib's term

        return [
            Candidate(URIRef(iri), label, tuple(json.loads(a)), tuple(json.loads(i)), bool(p))
            for iri, label, a, i, p in self._db.execute(
                "SELECT iri, label, aliases, identifiers, preferred FROM names ORDER BY id"
            )
        ]


def open_cache(store: str | os.PathLike[str] | None = None) -> Cache | None:
    """The caches of the store's current generation, or ``None`` when it has none (a remote
    store, a generation written before caches, a cache of another version or unreadable).

    Raises
    ------
    StoreError
        when there is no built store at ``store``.
    """
    if store is not None and str(store).lower().startswith(("sparql+http:", "sparql+https:")):
        return None
    from automaker_kg.store import lease

    path = lease(store) / CACHE_FILE
    if not path.is_file():
        return None
    try:
        return Cache(path)
    except (sqlite3.Error, ValueError, KeyError):
        return None


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
