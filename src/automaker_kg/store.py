"""The embedded Oxigraph store: generations written aside and swapped in atomically.

Layout of a store folder (default ``.automaker-kg/``)::

    <store>/current              -> generations/<id>   (a relative symlink)
    <store>/generations/<id>/     an Oxigraph (RocksDB) database + generation.json
    <store>/generations/<id>.tmp/ a generation being written (removed by the next build)
    <store>/.lock                 held by the one writer
    <store>/generations/<id>/.lease  a shared lock held by every process reading <id>

:func:`write_generation` is the only writer. It writes a new database in
``generations/<id>.tmp``, flushes and closes it, renames it to ``<id>`` and then
replaces the ``current`` symlink in one ``os.replace``. A build that fails or is
killed at any point leaves ``current`` pointing at the previous, complete generation.
The previous generation is kept; older ones are pruned, except those a reader still
holds: :func:`open_store` takes a shared lock on the generation's ``.lease`` file and
keeps it for as long as the process lives (or until :func:`release`), and the pruner
removes a generation only when it can take that lock exclusively. A server or a long
query reading an old generation therefore keeps it; the next build removes it once free.

A damaged generation (a missing or truncated ``.sst`` file, a bad MANIFEST or CURRENT,
flipped bytes) is reported as a :class:`~automaker_kg.errors.StoreError` naming the
generation and saying to build again (see :func:`damaged`).

>>> import tempfile, pyoxigraph
>>> folder = Path(tempfile.mkdtemp())
>>> def load(store):
...     store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://example.org/a"),
...         pyoxigraph.NamedNode("http://example.org/p"), pyoxigraph.Literal("1")))
>>> _ = write_generation(folder, load)
>>> len(open_store(folder))
1
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph

from automaker_kg.errors import StoreError, UnknownNameError
from automaker_kg.files import fsync_dir, replace_atomic, temporary_beside
from automaker_kg.paths import default_store_path

__all__ = [
    "open_store",
    "open_generation",
    "write_generation",
    "store_info",
    "current_generation",
    "export",
    "stats",
    "EXPORT_FORMATS",
    "METADATA_FILE",
    "damaged",
    "release",
    "in_memory",
    "memory_copy",
    "SNAPSHOT_FILE",
    "lease",
]

METADATA_FILE = "generation.json"
#: The generation's quads as N-Quads, written by the first in-memory open (:func:`memory_copy`)
#: and bulk-loaded by every later one: a bare bulk load instead of a copy quad by quad.
SNAPSHOT_FILE = "memory.nq"
_CURRENT = "current"
_GENERATIONS = "generations"
_TMP = ".tmp"
_LEASE = ".lease"
#: Leases this process holds: generation folder -> a descriptor with a shared flock on it.
_leases: dict[Path, int] = {}


def _store_path(path: str | os.PathLike[str] | None) -> Path:
    return Path(path) if path is not None else default_store_path()


def current_generation(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The generation folder ``current`` points at, or ``None`` when there is none."""
    link = _store_path(path) / _CURRENT
    if not link.exists():
        return None
    return link.resolve()


def open_store(
    path: str | os.PathLike[str] | None = None, *, memory: bool = False
) -> pyoxigraph.Store:
    """Open the current generation of the store read-only (``memory``: a copy in memory).

    Parameters
    ----------
    path : the store folder; default :func:`automaker_kg.paths.default_store_path`. A
        ``sparql+http(s)://host/sparql`` URL reads from a SPARQL 1.1 server instead
        (:class:`automaker_kg.remote.RemoteStore`, same ``query`` surface).

    memory : copy the store into an in-memory Oxigraph store (:func:`memory_copy`: a bulk
        load of the generation's N-Quads snapshot, about 4 s of CPU and 0.7 GB per million
        triples; the first open writes the snapshot). Every query then runs 4-7x faster
        than on disk (measured by the benchmark at 1M triples); nothing is written back.

    Returns
    -------
    pyoxigraph.Store opened with ``Store.read_only`` (or its in-memory copy); query it with
    ``use_default_graph_as_union=True`` to see every file's named graph at once.

    Raises
    ------
    StoreError
        when there is no built store at ``path`` or it cannot be opened.
    """
    if path is not None and str(path).lower().startswith(("sparql+http:", "sparql+https:")):
        from automaker_kg.remote import RemoteStore  # a SPARQL 1.1 server instead

        return RemoteStore.from_url(str(path))  # type: ignore[return-value]
    folder = _store_path(path)
    generation = _lease_current(folder)
    if not memory:
        return open_generation(generation)
    try:
        copy = memory_copy(generation)
        release(generation)  # the copy needs the files no more
    except (OSError, RuntimeError) as exc:
        raise _unopened(exc, generation) from exc
    return copy


def open_generation(generation: Path) -> pyoxigraph.Store:
    """The generation's database, read-only (about 20 ms at 1M triples: RocksDB reads CURRENT
    and the MANIFEST and checks every table file's size, so a missing or cut file is found
    here — also before an answer is read from the generation's cache).

    Raises
    ------
    StoreError
        naming the damaged generation (see :func:`damaged`).
    """
    try:
        return pyoxigraph.Store.read_only(str(generation))
    except (OSError, RuntimeError) as exc:
        raise _unopened(exc, generation) from exc


def _unopened(exc: BaseException, generation: Path) -> StoreError:
    return damaged(exc, generation) or StoreError(f"cannot open the store at {generation}: {exc}")


# RocksDB's words for damaged or missing files (Python's own OSErrors carry an errno).
_DAMAGE = re.compile(
    r"Corruption|checksum mismatch|IO error:|\.sst\b|MANIFEST|CURRENT file|size mismatch"
)


def damaged(error: BaseException, generation: Path | None = None) -> StoreError | None:
    """A :class:`StoreError` naming the damaged generation, if ``error`` says RocksDB found
    its files damaged or missing; ``None`` for any other error.

    >>> err = RuntimeError("Corruption: block checksum mismatch in /s/generations/g1/9.sst")
    >>> str(damaged(err)).startswith("the store generation g1 is damaged (Corruption")
    True
    >>> damaged(ValueError("Corruption")) is None
    True
    """
    text = str(error)
    if not isinstance(error, OSError | RuntimeError) or not _DAMAGE.search(text):
        return None
    if isinstance(error, OSError) and error.errno is not None:
        return None
    if generation is None:
        found = re.search(rf"{_GENERATIONS}/([^/\s]+)/", text)
        name = found.group(1) if found else "(unknown)"
    else:
        name = Path(generation).name
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return StoreError(
        f"the store generation {name} is damaged ({first}); "
        "run `automaker-kg build` to write a new generation"
    )


def _lease_current(folder: Path) -> Path:
    """The current generation, with this process's shared lease on it."""
    for _ in range(5):  # a build may prune a generation between resolving and locking
        generation = current_generation(folder)
        if generation is None or not generation.is_dir():
            raise StoreError(f"no store at {folder}: run `automaker-kg build` first")
        if generation in _leases:
            return generation
        lease = generation / _LEASE
        try:
            fd = os.open(lease, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            if not generation.is_dir():
                continue  # pruned meanwhile
            return generation  # written before leases existed: read without one
        except OSError:
            return generation  # a lease we may not read: read without one
        fcntl.flock(fd, fcntl.LOCK_SH)
        if lease.exists():
            _leases[generation] = fd
            return generation
        os.close(fd)  # pruned while we waited: resolve current again
    raise StoreError(f"the store at {folder} keeps changing; try again")


def lease(path: str | os.PathLike[str] | None = None) -> Path:
    """The current generation's folder, held for this process as :func:`open_store` holds it
    (a build does not remove it until :func:`release`), without opening the database.

    Raises
    ------
    StoreError
        when there is no built store at ``path``.
    """
    return _lease_current(_store_path(path))


def release(generation: str | os.PathLike[str] | None = None) -> None:
    """Give up this process's lease on ``generation`` (every lease when ``None``), so a
    later build may remove it. Stores opened on it must not be used afterwards."""
    targets = list(_leases) if generation is None else [Path(generation).resolve()]
    for target in targets:
        fd = _leases.pop(target, None)
        if fd is not None:
            os.close(fd)


def in_memory(store: pyoxigraph.Store) -> pyoxigraph.Store:
    """An in-memory copy of ``store`` (every quad, named graphs kept).

    >>> source = pyoxigraph.Store()
    >>> source.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/a"),
    ...     pyoxigraph.NamedNode("http://e/p"), pyoxigraph.Literal("1"),
    ...     pyoxigraph.NamedNode("http://e/g")))
    >>> len(in_memory(source))
    1
    """
    copy = pyoxigraph.Store()
    copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
    return copy


def memory_copy(
    generation: str | os.PathLike[str], store: pyoxigraph.Store | None = None
) -> pyoxigraph.Store:
    """An in-memory copy of the generation folder ``generation`` (every graph, the derived
    ``timeline`` and ``resolution`` included), bulk-loaded from its N-Quads snapshot.

    The first call writes the snapshot (:data:`SNAPSHOT_FILE`, atomically) from ``store`` or
    the generation opened read-only; later calls, in any process, only bulk-load it: the
    cost of a bare ``bulk_load`` of the same quads. Where the folder cannot be written, the
    copy is made quad by quad (:func:`in_memory`).

    Raises
    ------
    OSError, RuntimeError
        the generation cannot be read (see :func:`damaged`).
    """
    folder = Path(generation)
    snapshot = folder / SNAPSHOT_FILE
    if not snapshot.is_file():
        source = store if store is not None else pyoxigraph.Store.read_only(str(folder))
        try:
            fd, tmp = temporary_beside(snapshot)
        except OSError:
            return in_memory(source)
        os.close(fd)
        try:
            source.dump(str(tmp), format=pyoxigraph.RdfFormat.N_QUADS)
            replace_atomic(tmp, snapshot)
        except OSError:
            tmp.unlink(missing_ok=True)
            return in_memory(source)
    copy = pyoxigraph.Store()
    copy.bulk_load(path=str(snapshot), format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
    return copy


def _new_id(generations: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    candidate, n = stamp, 1
    while (generations / candidate).exists() or (generations / (candidate + _TMP)).exists():
        n += 1
        candidate = f"{stamp}-{n}"
    return candidate


@contextlib.contextmanager
def _writer_lock(folder: Path) -> Iterator[None]:
    with open(folder / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"another build is writing the store at {folder}") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale(generations: Path) -> None:
    for child in generations.iterdir():
        if child.name.endswith(_TMP):
            shutil.rmtree(child, ignore_errors=True)


def _prune(generations: Path, keep: set[Path]) -> list[Path]:
    """Remove the generations not in ``keep`` that no process holds a lease on.

    Returns the generations kept because a reader holds them.
    """
    held = []
    for child in generations.iterdir():
        if not child.is_dir() or child.name.endswith(_TMP) or child.resolve() in keep:
            continue
        try:
            fd = os.open(child / _LEASE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held.append(child)
            os.close(fd)
            continue
        doomed = child.with_name(child.name + ".pruned" + _TMP)
        try:
            os.rename(child, doomed)  # readers that resolve it now find no lease
        except OSError:
            os.close(fd)
            continue
        os.close(fd)
        shutil.rmtree(doomed, ignore_errors=True)
    return held


def write_generation(
    path: str | os.PathLike[str] | None,
    load: Callable[[pyoxigraph.Store], None],
    *,
    metadata: dict[str, Any] | None = None,
    derive: Callable[[pyoxigraph.Store, Path], Any] | None = None,
    base: str | os.PathLike[str] | None = None,
) -> Path:
    """Write a new generation with ``load`` and make it current atomically.

    Parameters
    ----------
    path : the store folder (created if missing); ``None`` for the default.
    load : called once with an empty, writable ``pyoxigraph.Store`` to fill (with ``base``:
        a writable copy of that generation to change).
    base : a generation folder of this store to start from: Oxigraph's backup of it (hard
        links to its immutable files: milliseconds at any size), which ``load`` changes
        while ``base`` stays as it was.
    metadata : extra entries for the generation's ``generation.json``
        (the build records its files and their sha256 there); its ``quads``, when ``load``
        sets it, is taken as the store's size instead of counting every quad.
    derive : called once ``load`` is done with the filled store and the generation's
        folder, to write files kept with the generation (:func:`automaker_kg.cache.write`).

    Returns
    -------
    Path of the new generation folder (``current`` now points at it).

    Raises
    ------
    StoreError
        when the store folder cannot be written or another build holds the lock.
        Whatever ``load`` raises is passed on; ``current`` is unchanged then.
    """
    folder = _store_path(path)
    generations = folder / _GENERATIONS
    try:
        generations.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store at {folder}: {exc}") from exc
    with _writer_lock(folder):
        _remove_stale(generations)
        previous = current_generation(folder)
        ident = _new_id(generations)
        tmp = generations / (ident + _TMP)
        final = generations / ident
        try:
            if base is not None:
                pyoxigraph.Store.read_only(str(base)).backup(str(tmp))
            store = pyoxigraph.Store(str(tmp))
            load(store)
            store.flush()
            if derive is not None:
                derive(store, tmp)
            counted = (metadata or {}).get("quads")  # a rebuild counts what it changed
            info = {
                "generation": ident,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "quads": counted if isinstance(counted, int) else len(store),
                "named_graphs": sorted(
                    g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode)
                ),
                **(metadata or {}),
            }
            del store
            gc.collect()  # the Store closes when its last reference goes
            with open(tmp / METADATA_FILE, "w", encoding="utf-8") as handle:
                json.dump(info, handle, indent=2, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            (tmp / _LEASE).touch()
            os.rename(tmp, final)
            fsync_dir(generations)
            link_tmp = folder / f"{_CURRENT}.{os.getpid()}{_TMP}"
            if link_tmp.is_symlink() or link_tmp.exists():
                link_tmp.unlink()
            os.symlink(Path(_GENERATIONS) / ident, link_tmp)
            os.replace(link_tmp, folder / _CURRENT)
            fsync_dir(folder)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise StoreError(f"cannot write the store at {folder}: {exc}") from exc
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _prune(generations, {final.resolve(), *([previous] if previous else [])})
    return final


def store_info(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Describe the current generation: id, build time, quad count, named graphs, files.

    Raises
    ------
    StoreError
        when there is no built store at ``path``.
    """
    if path is not None and str(path).lower().startswith(("sparql+http:", "sparql+https:")):
        from automaker_kg.remote import RemoteStore  # a SPARQL 1.1 server instead

        return RemoteStore.from_url(str(path))  # type: ignore[return-value]
    folder = _store_path(path)
    generation = current_generation(folder)
    if generation is None or not generation.is_dir():
        raise StoreError(f"no store at {folder}: run `automaker-kg build` first")
    meta_file = generation / METADATA_FILE
    try:
        info: dict[str, Any] = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read {meta_file}: {exc}") from exc
    info["path"] = str(generation)
    return info


EXPORT_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "trig": pyoxigraph.RdfFormat.TRIG,
}


def export(store: pyoxigraph.Store, fmt: str) -> bytes:
    """Serialize the store: ``trig`` and ``jsonld`` keep each file's named graph,
    ``ttl`` and ``nt`` give the union of all graphs.

    Raises
    ------
    UnknownNameError
        for a format not in :data:`EXPORT_FORMATS`.
    """
    if fmt not in EXPORT_FORMATS:
        raise UnknownNameError("export format", fmt, list(EXPORT_FORMATS))
    rdf_format = EXPORT_FORMATS[fmt]
    from automaker_kg.prefixes import NAMESPACES as prefixes

    if rdf_format.supports_datasets:
        jsonld = rdf_format == pyoxigraph.RdfFormat.JSON_LD
        data = store.dump(format=rdf_format, prefixes=None if jsonld else prefixes)
    else:
        triples = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
        )
        assert isinstance(triples, pyoxigraph.QueryTriples)  # a CONSTRUCT gives triples
        data = pyoxigraph.serialize(triples, format=rdf_format, prefixes=prefixes)
    assert data is not None  # no output file given: the bytes are returned
    return data


_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?node) AS ?n) WHERE { ?node a ?class } GROUP BY ?class
"""
_STATUS_COUNTS = """
SELECT ?status (COUNT(DISTINCT ?claim) AS ?n)
WHERE { ?claim akg:status ?status } GROUP BY ?status
"""
_SOURCES = """
SELECT ?document ?identifier ?title (COUNT(DISTINCT ?claim) AS ?claims)
WHERE {
  ?document a akg:SourceDocument .
  OPTIONAL { ?document dcterms:identifier ?identifier }
  OPTIONAL { ?document dcterms:title ?title }
  OPTIONAL { ?claim prov:wasDerivedFrom/oa:hasSource ?document }
}
GROUP BY ?document ?identifier ?title ORDER BY ?document
"""


def stats(store: pyoxigraph.Store) -> dict[str, Any]:
    """Counts by class, claims by status, and the source documents with their claim counts.

    Classes and statuses are prefixed names; every count is an ``int``.
    """
    from automaker_kg.prefixes import short, sparql_prologue

    def rows(query: str) -> list[Any]:
        solutions = store.query(sparql_prologue() + query, use_default_graph_as_union=True)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)  # every query here is a SELECT
        return list(solutions)

    classes = {short(r["class"].value): int(r["n"].value) for r in rows(_CLASS_COUNTS)}
    statuses = {short(r["status"].value): int(r["n"].value) for r in rows(_STATUS_COUNTS)}
    sources = [
        {
            "document": short(r["document"].value),
            "identifier": r["identifier"].value if r["identifier"] is not None else None,
            "title": r["title"].value if r["title"] is not None else None,
            "claims": int(r["claims"].value),
        }
        for r in rows(_SOURCES)
    ]
    return {
        "quads": len(store),
        "classes": dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "claims_by_status": dict(sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sources": sources,
    }
