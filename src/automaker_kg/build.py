"""Build the knowledge graph: parse every file, validate the whole, write a store generation.

The files are ``ontology/*.ttl`` (except ``shapes.ttl``) and ``graph/**/*.ttl``, in sorted
order. Each is parsed on its own (a syntax error names the file and line), all are merged
and validated (:mod:`automaker_kg.validate`), and only then is a new store generation written
(:func:`automaker_kg.store.write_generation`) with each file in its own named graph
``GRAPH[<path relative to the data folder>]``. Nothing is written when a step fails.

:func:`load_graph` gives the same data as an in-memory ``rdflib.Dataset``, with no store;
:func:`load_store` as an in-memory Oxigraph store holding what a build writes.

>>> ds = load_graph()
>>> any(g.identifier == GRAPH["ontology/automaker.ttl"] for g in ds.graphs())
True
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.query import ResultRow
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from automaker_kg.cache import update as update_cache
from automaker_kg.cache import write as write_cache
from automaker_kg.endpoint_cache import write_indexes
from automaker_kg.errors import InputError, ParseError
from automaker_kg.incremental import record, resolution_digest
from automaker_kg.namespaces import GRAPH, bind_prefixes, sparql_prologue
from automaker_kg.paths import data_dir as default_data_dir
from automaker_kg.rederive import Change, drop_timeline, patch_timeline
from automaker_kg.rederive import plan as rederive_plan
from automaker_kg.resolve import RESOLUTION_GRAPH, resolve_store
from automaker_kg.resolve import apply as resolve_entities
from automaker_kg.store import write_generation
from automaker_kg.terms import from_oxigraph
from automaker_kg.validate import SHAPES_FILE, Violation, check, shapes_graph, validate

__all__ = [
    "BuildReport",
    "build",
    "rebuild",
    "load_graph",
    "load_store",
    "project_files",
    "parse_file",
    "validate_files",
    "check_parsed",
    "check_files",
    "graph_name",
    "counts",
]


@dataclass(frozen=True)
class BuildReport:
    """What a build loaded and where it wrote it."""

    files: list[str]
    triples: int
    claims: int
    entities: int
    sources: int
    generation: Path
    seconds: float
    sha256: dict[str, str] = field(default_factory=dict, repr=False)
    generated: tuple[str, ...] = ()
    """Named graphs the build derives rather than loads (``resolution``), besides ``files``."""
    phases: dict[str, float] = field(default_factory=dict, repr=False)
    """Seconds per step: ``parse`` (and resolve), ``validate``, ``load`` (write the store),
    ``timeline`` (derive its graph), ``cache`` (write the generation's caches and indexes;
    in a bulk build, at the same time as ``validate`` when nothing is loaded after it)."""
    rebuilt: tuple[str, ...] | None = None
    """The files a :func:`rebuild` reloaded (changed or removed); ``None``: a full build."""


def project_files(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """The files a build loads: ``ontology/*.ttl`` but ``shapes.ttl``, then ``graph/**/*.ttl``.

    >>> names = [p.relative_to(default_data_dir()).as_posix() for p in project_files()]
    >>> "ontology/automaker.ttl" in names and "ontology/shapes.ttl" not in names
    True
    >>> names.index("ontology/taxonomy.ttl") < names.index("graph/entities.ttl")
    True
    """
    root = default_data_dir(data_dir)
    ontology = root / "ontology"
    if not ontology.is_dir():
        raise InputError(f"{root}: no ontology/ folder here")
    files = sorted(p for p in ontology.glob("*.ttl") if p.name != SHAPES_FILE)
    graph = root / "graph"
    if graph.is_dir():
        files += sorted(graph.rglob("*.ttl"))
    return files


def parse_file(path: str | os.PathLike[str], name: str | None = None) -> Graph:
    """Parse one Turtle file into its own graph.

    Raises
    ------
    ParseError
        naming ``name`` (default: the path) and the line of the first syntax error.
    """
    path = Path(path)
    name = name or str(path)
    graph = Graph()
    try:  # Oxigraph's parser: ~20x rdflib's, with the line of a syntax error
        quads = pyoxigraph.parse(
            path=path, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()
        )
        rdf: Callable[[Any], Any] = functools.cache(from_oxigraph)  # each term once: they recur
        graph.addN((rdf(q.subject), rdf(q.predicate), rdf(q.object), graph) for q in quads)
    except SyntaxError as exc:
        raise ParseError(name, f"bad Turtle syntax: {exc.msg}", exc.lineno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(name, f"cannot read: {exc}") from None
    except Exception as exc:  # a bad IRI, prefix...
        raise ParseError(name, f"cannot parse: {exc}") from None
    return graph


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _origins(parsed: Iterable[tuple[str, Graph]]) -> dict[str, str]:
    """Subject IRI -> the file that types it (else the first file that describes it)."""
    typed: dict[str, str] = {}
    described: dict[str, str] = {}
    for name, graph in parsed:
        for subject in set(graph.subjects()):
            if isinstance(subject, URIRef):
                described.setdefault(str(subject), name)
        for subject in set(graph.subjects(RDF.type, None)):
            if isinstance(subject, URIRef):
                typed.setdefault(str(subject), name)
    return {**described, **typed}


def _merge(parsed: Iterable[tuple[str, Graph]]) -> Graph:
    merged = bind_prefixes(Graph())
    for _, graph in parsed:
        merged += graph
    return merged


def _counts_text() -> str:
    """The library's ``counts`` query: the one definition of what is counted."""
    from automaker_kg.queries import get_query

    return get_query("counts").text


def counts(graph: Graph) -> dict[str, int]:
    """Count claims, entities (organisations, people, unnamed sources) and source documents."""
    row = next(iter(graph.query(sparql_prologue() + _counts_text())))
    assert isinstance(row, ResultRow)  # a SELECT
    return {key: int(row[key]) for key in ("claims", "entities", "sources")}


def _nquads(graphs: Iterable[tuple[str, Graph]]) -> bytes:
    """The ``(name, graph)`` pairs as one N-Quads document, each triple in ``GRAPH[name]``.

    rdflib writes N-Triples one triple a line (a line break inside a literal is escaped),
    so a line becomes a quad by naming its graph before the final dot. A blank node is
    scoped to its file, as when each file is a document of its own: its label gets the
    file's number (``_:x`` of two files is two nodes).

    >>> from rdflib import BNode, Literal
    >>> g = Graph().add((BNode("x"), URIRef("urn:p"), Literal("a .\\nb")))
    >>> print(_nquads([("a.ttl", Graph()), ("x.ttl", g)]).decode(), end="")
    _:f1x <urn:p> "a .\\nb" <https://w3id.org/automaker-kg/graph/x.ttl> .
    """
    out: list[bytes] = []
    for number, (name, graph) in enumerate(graphs):
        text = graph.serialize(format="nt", encoding="utf-8")
        end = f" <{GRAPH[name]}> .\n".encode()
        if b"_:" not in text:  # no blank node (nor the text of one in a literal)
            out.append(text.replace(b" .\n", end))
            continue
        scope = f"_:f{number}".encode()
        for line in text.split(b"\n"):
            if not line:
                continue
            subject, rest = line.split(b" ", 1)  # a subject holds no space
            predicate, obj = rest[: -len(b" .")].split(b" ", 1)
            subject = scope + subject[2:] if subject.startswith(b"_:") else subject
            obj = scope + obj[2:] if obj.startswith(b"_:") else obj
            out.append(b" ".join((subject, predicate, obj)) + end)
    return b"".join(out)


def _load_graphs(target: pyoxigraph.Store, graphs: Sequence[tuple[str, Graph]]) -> None:
    """Load the parsed ``(name, graph)`` pairs into their named graphs ``GRAPH[name]`` in one
    bulk load: each bulk load writes and ingests files of its own, a fixed cost whatever its
    size (the shipped graph's 34 files loaded one by one took 5.9-8.6 s of wall time, at once
    1.4-1.8 s, on a loaded 2-core machine)."""
    if graphs:
        target.bulk_load(input=_nquads(graphs), format=pyoxigraph.RdfFormat.N_QUADS)


TIMELINE_GRAPH = "timeline"
"""The named graph (under ``GRAPH``) of each claim's standing over valid and knowledge dates."""


def load_timeline(target: pyoxigraph.Store) -> int:
    """Derive the time rules' table from the loaded claims and load it (``graph/timeline``).

    Returns the number of triples written. The table is derived in bounded memory and
    bulk-loaded in pieces (:func:`automaker_kg.projections.timeline_pieces`): Oxigraph's
    bulk loader keeps up to a million quads per thread in memory (1.85 GB for a 300k-record
    GLEIF build's timeline loaded whole).
    """
    from automaker_kg.projections import timeline_pieces

    graph = pyoxigraph.NamedNode(str(GRAPH[TIMELINE_GRAPH]))
    triples = 0
    for piece in timeline_pieces(target):
        target.bulk_load(input=piece, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
        triples += piece.count(b"\n")
    return triples


def _resolved(parsed: list[tuple[str, Graph]]) -> tuple[list[tuple[str, Graph]], list]:
    """Entity resolution (:mod:`automaker_kg.resolve`): the parsed graphs with merged IRIs
    rewritten, and the generated graphs (``resolution``, when anything was decided)."""
    rewritten, generated, _ = _resolved_with(parsed)
    return rewritten, generated


def _resolved_with(parsed: list[tuple[str, Graph]]) -> tuple[list[tuple[str, Graph]], list, str]:
    """:func:`_resolved` and the digest of the resolution (:mod:`automaker_kg.incremental`)."""
    rewritten, resolution = resolve_entities(parsed)
    generated = [(RESOLUTION_GRAPH, resolution.graph())] if resolution.records else []
    return rewritten, generated, resolution_digest(resolution)


def _shapes_digest(root: Path) -> str:
    """The SHA-256 of the shapes file :func:`_shapes` reads."""
    from automaker_kg.paths import ontology_dir

    own = root / "ontology" / SHAPES_FILE
    return _sha256(own if own.is_file() else ontology_dir() / SHAPES_FILE)


def _shapes(root: Path) -> Graph:
    """The data folder's own ``ontology/shapes.ttl``, else the package's."""
    own = root / "ontology" / SHAPES_FILE
    return shapes_graph(own if own.is_file() else None)


def _sha256(path: Path) -> str:
    """``sha256:<hex>`` of a file, read in chunks: a golden copy's import is a gigabyte."""
    with open(path, "rb") as fh:
        return "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()


#: A file whose status changed this recently when it was hashed is hashed again at the next
#: build, whatever its status then (it may have changed again within one tick of the clock).
SETTLED_NS = 2_000_000_000


def _status(path: Path) -> list[int]:
    """What changes whenever a file's content does (size, inode, modification and status
    change times: writing a file, or setting its times back, updates the last)."""
    st = path.stat()
    return [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]


def _fingerprints(
    files: Sequence[Path], names: Sequence[str], known: Iterable[dict[str, Any]] = ()
) -> tuple[dict[str, str], dict[str, list[int] | None]]:
    """Each file's SHA-256 and status (for the generation's metadata), by graph name.

    A file whose status is the one ``known`` (the current generation's entries) recorded
    with its digest is not read again: that digest is its (a 127 MB bulk file takes 0.4 s
    to hash, at every build). A status is recorded only when it was the same before and
    after hashing and settled (:data:`SETTLED_NS`); else ``None``, and the next build
    hashes the file.
    """
    recorded = {f["path"]: f for f in known if f.get("status") is not None}
    digests: dict[str, str] = {}
    statuses: dict[str, list[int] | None] = {}
    for path, name in zip(files, names, strict=True):
        before = _status(path)
        entry = recorded.get(name)
        if entry is not None and entry["status"] == before:
            digests[name], statuses[name] = entry["sha256"], before
            continue
        digests[name] = _sha256(path)
        settled = time.time_ns() - before[3] >= SETTLED_NS
        statuses[name] = before if settled and _status(path) == before else None
    return digests, statuses


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=console is None,
        transient=False,
    )


#: Files larger than this (bytes) go straight into the store by Oxigraph's bulk loader and
#: the whole is validated there by the shapes as SPARQL (:func:`validate.validate_store`);
#: smaller ones are parsed into memory, resolved and validated as before.
BULK_BYTES = 8_000_000

#: A bulk build derives its caches while validation runs up to this many quads; above, after
#: it. The two steps' memory adds up: at 1M generated triples (1.18M quads, 943 MB peak)
#: and 30k GLEIF records (0.76M quads, 672 MB) the build's peak is the load's either way,
#: but a golden copy's caches alone reach 1.24 GB (300k GLEIF records, docs/imports.md).
OVERLAP_QUADS = 2_000_000


def derive_files(store: pyoxigraph.Store, folder: Path, change: Change | None = None) -> None:
    """Files kept with a new generation, written before it is swapped in: the per-generation
    cache (:mod:`automaker_kg.cache`; after a rebuild's ``change``, the base generation's
    patched when it can be) and the endpoint's precomputed answers
    (:func:`automaker_kg.endpoint_cache.write_indexes`)."""
    from automaker_kg.reciprocal_index import patch_index

    release_freed_memory()  # what loading and validating freed, before the caches
    with _collector_paused():
        if change is None or update_cache(store, folder, change) is None:
            write_cache(store, folder)
        if change is None or patch_index(change.base, folder, store, change.closure) is None:
            write_indexes(store, folder)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` where the C library has none (musl, macOS)."""
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:  # pragma: no cover - no loadable C library
        return None


def release_freed_memory() -> None:
    """Hand the heap memory freed so far back to the system (glibc's ``malloc_trim``).

    Oxigraph's bulk loader, its queries and the derived steps free what they built, but
    glibc keeps the freed pages in its arenas (one per thread that allocated), so each later
    step of a build sat on top of them: after bulk-loading the 2.1M triples of a 100k-record
    GLEIF import, 230 of the 316 MB resident were freed memory, which this returns (86 MB
    left). A no-op without glibc; what is still in use is untouched.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off: the caches make millions of small objects
    that hold no cycles, and each full collection walks all of them (a fifth of the cache
    step's CPU at 1M generated triples). Their memory is freed by reference counting as
    ever; whatever cycles there are, are collected when the step ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _deriving(
    phases: dict[str, float], change: Change | None
) -> Callable[[pyoxigraph.Store, Path], None]:
    """:func:`derive_files` timed as the phase ``cache``."""

    def derive(store: pyoxigraph.Store, folder: Path) -> None:
        started = time.perf_counter()
        derive_files(store, folder, change)
        phases["cache"] = time.perf_counter() - started

    return derive


def build(
    store: str | os.PathLike[str] | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    progress: Console | None = None,
    bulk_bytes: int | None = None,
    full: bool = False,
) -> BuildReport:
    """Parse, validate and write a new store generation; swap it in atomically.

    Parameters
    ----------
    store : the store folder; default ``.automaker-kg/`` (see ``paths.default_store_path``).
    data_dir : the folder holding ``ontology/`` and ``graph/``; default the checkout or wheel.
    progress : a rich ``Console`` to show progress on; ``None`` for silence.
    bulk_bytes : files larger than this go straight into the store (default
        :data:`BULK_BYTES`): Oxigraph parses and loads them (a syntax error still names
        file:line) and the shapes are evaluated as SPARQL on the new generation before it
        is swapped in. Entity resolution (:mod:`automaker_kg.resolve`) rewrites only the
        smaller files; a bulk file's entities are taken as they are.
    full : load and validate everything. Otherwise, when the current generation allows it
        (:mod:`automaker_kg.incremental`: same ontology, shapes, bulk files and entity
        resolution), only the changed files are loaded into a copy of it and only the
        nodes their change can affect are validated (see :func:`rebuild`).

    Returns
    -------
    BuildReport

    Raises
    ------
    ParseError
        a file does not parse (file:line); nothing is written.
    ValidationError
        the data does not conform; nothing is written.
    StoreError
        the store cannot be written; the previous generation stays current.
    """
    started = time.perf_counter()
    root = default_data_dir(data_dir)
    files = project_files(root)
    names = [_relative(p, root) for p in files]
    limit = BULK_BYTES if bulk_bytes is None else bulk_bytes
    bulk = [(p, n) for p, n in zip(files, names, strict=True) if p.stat().st_size > limit]
    if not full:
        report = rebuild(store, data_dir=root, bulk_bytes=limit, progress=progress)
        if report is not None:
            return report
    if bulk:
        return _bulk_build(store, root, files, names, bulk, progress, started, limit)
    parsed: list[tuple[str, Graph]] = []
    with _progress(progress) as bar:
        task = bar.add_task("parse", total=len(files))
        for path, name in zip(files, names, strict=True):
            bar.update(task, description=f"parse {name}")
            parsed.append((name, parse_file(path, name)))
            bar.advance(task)
        bar.update(task, description="parse")
        parsed, generated, resolved_digest = _resolved_with(parsed)
        phases = {"parse": time.perf_counter() - started}

        check_task = bar.add_task("validate", total=1)
        checking = time.perf_counter()
        merged = _merge(parsed)
        check(merged, _origins(parsed), shapes=_shapes(root))
        tally = counts(merged)
        phases["validate"] = time.perf_counter() - checking
        bar.advance(check_task)

        write_task = bar.add_task("write store", total=len(parsed) + len(generated))

        def load(target: pyoxigraph.Store) -> None:
            _load_graphs(target, [*parsed, *generated])
            bar.advance(write_task, len(parsed) + len(generated))
            timing = time.perf_counter()
            metadata["generated"].append(
                {"graph": TIMELINE_GRAPH, "triples": load_timeline(target)}
            )
            phases["timeline"] = time.perf_counter() - timing

        digests, statuses = _fingerprints(files, names)
        metadata: dict[str, Any] = {
            "files": [
                {
                    "path": name,
                    "sha256": digests[name],
                    "triples": len(graph),
                    "status": statuses[name],
                }
                for name, graph in parsed
            ],
            "counts": tally,
            "generated": [{"graph": name, "triples": len(graph)} for name, graph in generated],
            "incremental": record(_shapes_digest(root), resolved_digest, limit),
        }
        loading = time.perf_counter()
        generation = write_generation(
            store, load, metadata=metadata, derive=_deriving(phases, None)
        )
        phases["load"] = time.perf_counter() - loading - phases["cache"]
    return _report(metadata, names, generation, started, digests, phases)


_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def rebuild(
    store: str | os.PathLike[str] | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    bulk_bytes: int | None = None,
    progress: Console | None = None,
) -> BuildReport | None:
    """:func:`build` from the current generation: reload the changed files only and
    validate only the nodes their change can affect; ``None`` when that is not possible
    (no current generation, or another ontology, shapes, bulk file or entity resolution:
    see :mod:`automaker_kg.incremental`), and nothing was written.

    The new generation is a copy of the current one (Oxigraph's backup: hard links) with
    each changed file's named graph replaced, the removed files' graphs dropped and the
    derived ``timeline`` graph derived again. Raises as :func:`build`; on any error the
    current generation stays current.
    """
    from automaker_kg.errors import StoreError, ValidationError
    from automaker_kg.incremental import SUM_SHAPE, affected, plan, subjects
    from automaker_kg.store import current_generation, store_info
    from automaker_kg.validate import validate_store

    started = time.perf_counter()
    root = default_data_dir(data_dir)
    files = project_files(root)
    names = [_relative(p, root) for p in files]
    limit = BULK_BYTES if bulk_bytes is None else bulk_bytes
    try:
        previous, base = store_info(store), current_generation(store)
    except StoreError:
        return None
    digests, statuses = _fingerprints(files, names, (previous or {}).get("files", []))
    big = {n for p, n in zip(files, names, strict=True) if p.stat().st_size > limit}
    todo = plan(previous, digests, big, _shapes_digest(root), limit, base or "")
    if todo is None or base is None:
        return None
    small = [(p, n) for p, n in zip(files, names, strict=True) if n not in big]
    rewritten, _, resolved_digest = _resolved_with(_reread(base, small, set(todo.changed)))
    if resolved_digest != previous["incremental"]["resolution"]:
        return None  # other merges: every graph may be rewritten otherwise
    graphs = dict(rewritten)
    phases = {"parse": time.perf_counter() - started}
    kept = {f["path"]: f for f in previous.get("files", []) if f["path"] in digests}
    metadata: dict = {
        "files": [
            {"path": n, "sha256": digests[n], "triples": len(graphs[n]), "status": statuses[n]}
            if n in todo.changed
            else {**kept[n], "status": statuses[n]}
            for n in names
        ],
        "incremental": previous["incremental"],
        "rebuilt": {
            "from": base.name,
            "changed": list(todo.changed),
            "removed": list(todo.removed),
        },
        **({"bulk": previous["bulk"]} if "bulk" in previous else {}),
    }
    resolution = pyoxigraph.NamedNode(str(GRAPH[RESOLUTION_GRAPH]))
    timeline = pyoxigraph.NamedNode(str(GRAPH[TIMELINE_GRAPH]))

    change: list[Change | None] = [None]  # what the timeline and cache derive again

    def load(target: pyoxigraph.Store) -> None:
        loading = time.perf_counter()
        removed: list[pyoxigraph.Quad] = []
        for name in [*todo.changed, *todo.removed]:
            graph = pyoxigraph.NamedNode(str(GRAPH[name]))
            removed += target.quads_for_pattern(None, None, None, graph)
            target.clear_graph(graph)
            if name in todo.removed:
                target.remove_graph(graph)
        added: list[pyoxigraph.Quad] = []
        for name in todo.changed:
            graph = pyoxigraph.NamedNode(str(GRAPH[name]))
            target.load(  # one transaction: a bulk load's fixed cost is for big files
                input=graphs[name].serialize(format="nt", encoding="utf-8"),
                format=pyoxigraph.RdfFormat.N_TRIPLES,
                to_graph=graph,
            )
            added += target.quads_for_pattern(None, None, None, graph)
        changed = subjects(removed) | subjects(added)
        phases["load"] = time.perf_counter() - loading
        timing = time.perf_counter()
        # the derived graphs are not validated, as in a full build: the resolution graph
        # names the IRIs the rewrite removed; the timeline rows of the claims the change
        # can affect are derived again afterwards (all of them when that is not known)
        merges = list(target.quads_for_pattern(None, None, None, resolution))
        target.clear_graph(resolution)
        change[0] = rederive_plan(target, removed, added, base, timeline)
        if change[0] is None:
            target.clear_graph(timeline)
        else:
            dropped = drop_timeline(target, change[0], timeline)
        rederived = len(change[0].closure) if change[0] is not None else None
        metadata["rebuilt"]["rederived"] = rederived  # nodes derived again (None: all)
        phases["timeline"] = time.perf_counter() - timing
        checking = time.perf_counter()
        focus = affected(target, changed, removed)
        violations = validate_store(
            target,
            shapes=_shapes(root),
            focus=None if focus is None else focus.nodes,
            only=None if focus is None else {SUM_SHAPE: focus.sums},
        )
        phases["validate"] = time.perf_counter() - checking
        phases["focus"] = float(len(focus)) if focus is not None else -1.0
        if violations:
            raise ValidationError(violations)
        target.extend(merges)
        timing = time.perf_counter()
        before = [g["triples"] for g in previous["generated"] if g["graph"] == TIMELINE_GRAPH]
        if change[0] is None:
            triples = load_timeline(target)
        else:
            triples = before[0] - dropped + patch_timeline(target, change[0], timeline)
        phases["timeline"] += time.perf_counter() - timing
        if before and isinstance(previous.get("quads"), int):  # counting 1M quads takes 1 s
            delta = len(added) - len(removed) + triples - before[0]
            metadata["quads"] = previous["quads"] + delta
        solutions = target.query(
            sparql_prologue() + _counts_text(), use_default_graph_as_union=True
        )
        assert isinstance(solutions, pyoxigraph.QuerySolutions)  # a SELECT
        row = next(solutions)
        metadata["counts"] = {k: int(row[k].value) for k in ("claims", "entities", "sources")}
        metadata["generated"] = [
            g for g in previous.get("generated", []) if g["graph"] != TIMELINE_GRAPH
        ] + [{"graph": TIMELINE_GRAPH, "triples": triples}]

    with _progress(progress) as bar:
        task = bar.add_task(
            f"rebuild ({len(todo.changed) + len(todo.removed)} files changed)", total=1
        )
        generation = write_generation(
            store,
            load,
            metadata=metadata,
            derive=lambda filled, folder: _deriving(phases, change[0])(filled, folder),
            base=base,
        )
        bar.advance(task)
    return _report(
        metadata, names, generation, started, digests, phases, todo.changed + todo.removed
    )


def _reread(base: Path, files: Sequence[tuple[Path, str]], changed: set[str]) -> list:
    """What a rebuild resolves entities on: the ``(name, Graph)`` pairs of ``files`` (path,
    graph name), the ``changed`` ones parsed. The others are read from the generation
    ``base`` when its graphs hold what the files say (its build merged no entities:
    :func:`automaker_kg.resolve.rewrote`), and only the triples entity resolution reads
    (:func:`automaker_kg.resolve.entity_graphs`: a fifth of the shipped graph's, and no
    parsing); else, or when ``base`` cannot be read, every file is parsed."""
    from automaker_kg.errors import StoreError
    from automaker_kg.resolve import entity_graphs, rewrote
    from automaker_kg.store import open_generation

    kept = [name for _, name in files if name not in changed]
    stored: dict[str, Graph] = {}
    try:
        source = open_generation(base) if kept else None
    except StoreError:
        source = None
    if source is not None and not rewrote(source):
        stored = dict(entity_graphs(source, kept))
    del source  # closed before the rebuild copies the generation
    return [(n, stored[n] if n in stored else parse_file(p, n)) for p, n in files]


def _bulk_load_file(target: pyoxigraph.Store, path: Path, name: str) -> None:
    """Bulk-load one file into its graph ``GRAPH[name]``: a streamed import in pieces, so that
    the loader's batches stay small (:func:`automaker_kg.sources.gleif_stream.turtle_pieces`),
    any other file whole. A syntax error names the file and its line."""
    from automaker_kg.sources.gleif_stream import turtle_pieces

    graph, base = pyoxigraph.NamedNode(str(GRAPH[name])), path.resolve().as_uri()
    offset, pieces = 0, 0
    try:
        for piece, lines_before in turtle_pieces(path):
            offset = lines_before  # for the error below
            target.bulk_load(
                input=piece, format=pyoxigraph.RdfFormat.TURTLE, base_iri=base, to_graph=graph
            )
            pieces += 1
        if not pieces:  # offset is still 0: no piece was read
            target.bulk_load(
                path=str(path), format=pyoxigraph.RdfFormat.TURTLE, base_iri=base, to_graph=graph
            )
    except SyntaxError as exc:
        line = exc.lineno + offset if exc.lineno is not None else None
        raise ParseError(name, f"bad Turtle syntax: {exc.msg}", line) from None


def _bulk_build(
    store: str | os.PathLike[str] | None,
    root: Path,
    files: list[Path],
    names: list[str],
    bulk: list[tuple[Path, str]],
    progress: Console | None,
    started: float,
    limit: int = BULK_BYTES,
) -> BuildReport:
    """:func:`build` with some files loaded straight into the store and validated there."""
    from automaker_kg.errors import ValidationError
    from automaker_kg.validate import validate_store

    big = {name for _, name in bulk}
    digests, statuses = _fingerprints(files, names)
    metadata: dict = {}
    with _progress(progress) as bar:
        task = bar.add_task("parse", total=len(files) - len(bulk))
        parsed = []
        for path, name in zip(files, names, strict=True):
            if name not in big:
                parsed.append((name, parse_file(path, name)))
                bar.advance(task)
        parsed, resolution = resolve_entities(parsed)
        resolved_digest = resolution_digest(resolution)  # before the bulk graphs extend it
        phases = {"parse": time.perf_counter() - started}

        def load(target: pyoxigraph.Store) -> None:
            loading = time.perf_counter()
            write_task = bar.add_task("load", total=len(parsed) + len(bulk))
            _load_graphs(target, parsed)
            bar.advance(write_task, len(parsed))
            for path, name in bulk:
                _bulk_load_file(target, path, name)
                bar.advance(write_task)
            release_freed_memory()  # the bulk loader's batches
            resolving = time.perf_counter()  # the bulk files' entities, by identifier
            resolve_store(target, resolution, [str(GRAPH[name]) for _, name in bulk])
            release_freed_memory()
            phases["resolve"] = time.perf_counter() - resolving
            timing = time.perf_counter()
            timeline_triples = load_timeline(target)
            release_freed_memory()
            phases["timeline"] = time.perf_counter() - timing
            target.flush()
            phases["load"] = time.perf_counter() - loading
            metadata["timeline"] = timeline_triples

        def validated(target: pyoxigraph.Store) -> None:
            check_task = bar.add_task("validate", total=1)
            checking = time.perf_counter()
            violations = validate_store(target, shapes=_shapes(root))
            phases["validate"] = time.perf_counter() - checking
            if violations:
                raise ValidationError(violations)
            bar.advance(check_task)

        def finish(target: pyoxigraph.Store, folder: Path) -> None:
            """Validate, then load the generated graphs and derive the caches. The caches
            are derived while validation runs (Oxigraph evaluates the shapes' queries
            without Python's lock, so the two share the cores; a failed validation waits
            for the caches, then leaves nothing) when nothing is loaded after validation
            and the store holds at most :data:`OVERLAP_QUADS`."""
            derive = _deriving(phases, None)
            if resolution.records:  # loaded after validation: derived from the whole
                validated(target)
                _load_generated(target, resolution)
                _measure(target, metadata, names, digests, statuses, [RESOLUTION_GRAPH])
                derive(target, folder)
                return
            if _measure(target, metadata, names, digests, statuses, []) > OVERLAP_QUADS:
                validated(target)
                derive(target, folder)
                return
            with ThreadPoolExecutor(1) as pool:
                deriving = pool.submit(derive, target, folder)
                validated(target)
                deriving.result()

        metadata["bulk"] = sorted(big)
        metadata["incremental"] = record(_shapes_digest(root), resolved_digest, limit)
        generation = write_generation(store, load, metadata=metadata, derive=finish)
    return _report(metadata, names, generation, started, digests, phases)


def _load_generated(target: pyoxigraph.Store, resolution: Any) -> None:
    """The generated resolution graph, loaded after validation: it is not validated (it
    names the IRIs the rewrite removed, on purpose), as in the in-memory build."""
    target.bulk_load(
        input=resolution.graph().serialize(format="nt", encoding="utf-8"),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
        to_graph=pyoxigraph.NamedNode(str(GRAPH[RESOLUTION_GRAPH])),
    )


def _measure(
    target: pyoxigraph.Store,
    metadata: dict[str, Any],
    names: list[str],
    digests: dict[str, str],
    statuses: dict[str, list[int] | None],
    generated: list[str],
) -> int:
    """A bulk build's ``generation.json`` entries read from the filled store: its counts,
    each file's and generated graph's triples, and its ``quads`` (every one is in a named
    graph: counting them again took 1 s of wall time at 1M generated triples). Returns them."""
    solutions = target.query(_GRAPH_SIZES)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)  # a SELECT
    sizes = {
        row["g"].value: int(row["n"].value)
        for row in solutions
        if isinstance(row["g"], pyoxigraph.NamedNode)
    }
    solutions = target.query(sparql_prologue() + _counts_text(), use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)  # a SELECT
    row = next(solutions)
    metadata["counts"] = {k: int(row[k].value) for k in ("claims", "entities", "sources")}
    metadata["files"] = [
        {
            "path": n,
            "sha256": digests[n],
            "triples": sizes.get(str(GRAPH[n]), 0),
            "status": statuses[n],
        }
        for n in names
    ]
    metadata["generated"] = [
        {"graph": n, "triples": sizes.get(str(GRAPH[n]), 0)} for n in generated
    ] + [{"graph": TIMELINE_GRAPH, "triples": metadata.pop("timeline")}]
    metadata["quads"] = sum(sizes.values())
    return metadata["quads"]


def load_graph(data_dir: str | os.PathLike[str] | None = None) -> Dataset:
    """Load the project's files into an in-memory ``rdflib.Dataset``, one named graph each.

    The default graph is the union of all graphs (``default_union=True``), as in the store;
    entity resolution rewrites it as in the build (:mod:`automaker_kg.resolve`) and adds the
    generated ``GRAPH["resolution"]``. No validation is run;
    :func:`automaker_kg.validate.validate` accepts the result.

    Raises
    ------
    ParseError
        a file does not parse (file:line).
    """
    root = default_data_dir(data_dir)
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    parsed = [(_relative(p, root), parse_file(p, _relative(p, root))) for p in project_files(root)]
    rewritten, generated = _resolved(parsed)
    for name, graph in [*rewritten, *generated]:
        named = dataset.graph(GRAPH[name])
        for triple in graph:
            named.add(triple)
    return dataset


def load_store(data_dir: str | os.PathLike[str] | None = None) -> pyoxigraph.Store:
    """The project's files in an in-memory Oxigraph store: the named graphs a build writes.

    The graphs of :func:`load_graph` (entity resolution applied, ``resolution`` generated)
    and the derived ``timeline`` graph, as in a store generation; nothing is written and no
    validation is run. Oxigraph answers the library queries where rdflib's engine takes
    minutes on the shipped graph.

    >>> store = load_store()
    >>> pyoxigraph.NamedNode(str(GRAPH[TIMELINE_GRAPH])) in set(store.named_graphs())
    True

    Raises
    ------
    ParseError
        a file does not parse (file:line).
    """
    store = pyoxigraph.Store()
    for graph in load_graph(data_dir).graphs():
        if len(graph):  # the default graph holds nothing of its own
            store.bulk_load(
                input=graph.serialize(format="nt", encoding="utf-8"),
                format=pyoxigraph.RdfFormat.N_TRIPLES,
                to_graph=pyoxigraph.NamedNode(str(graph.identifier)),
            )
    load_timeline(store)
    return store


def graph_name(path: str | os.PathLike[str], root: Path) -> str:
    """The name the build gives a file's graph: its path below ``root`` (else as given).

    >>> graph_name(Path("data/graph/a.ttl"), Path("data"))
    'graph/a.ttl'
    """
    return _relative(Path(path), root)


def check_files(
    parsed: Sequence[tuple[str, Graph]],
    data_dir: str | os.PathLike[str] | None = None,
    *,
    engine: str = "auto",
    focus: Iterable[URIRef] | None = None,
) -> list[Violation]:
    """Resolve, merge and validate ``(graph name, Graph)`` pairs as :func:`build` does.

    What fact sheets (``add``) and imports are checked with beside the rest of the graph: the
    raw parsed files (never an already resolved ``Dataset``, whose generated ``resolution``
    graph points at the IRIs the rewrite removed), validated with the data folder's shapes;
    each violation names the file its focus came from. ``engine`` as in
    :func:`automaker_kg.validate.validate`; ``focus``: check only these nodes (as there).
    Returns the violations (empty: it conforms).

    >>> from rdflib import Graph, Literal
    >>> from automaker_kg.namespaces import AKG, KG, RDF
    >>> stake = Graph().add((KG.s, RDF.type, AKG.EquityStake)).add((KG.s, AKG.shareExact,
    ...     Literal(140)))
    >>> [v.rule for v in check_files([("graph/x.ttl", stake)])][:2]
    ['ShareExactRange', 'StakeHolder']
    """
    rewritten, _ = _resolved(list(parsed))
    shapes = _shapes(default_data_dir(data_dir))
    graphs = [graph for _, graph in rewritten]  # validated as their union, never merged
    return validate(graphs, origins=_origins(rewritten), shapes=shapes, engine=engine, focus=focus)


def check_parsed(
    parsed: Sequence[tuple[str, Graph]], data_dir: str | os.PathLike[str] | None = None
) -> None:
    """Raise ``ValidationError`` when :func:`check_files` finds violations in ``parsed``.

    The shapes run as SPARQL on Oxigraph (seconds where pySHACL takes a minute), by pySHACL
    when they use a feature the SPARQL translation lacks.
    """
    from automaker_kg.errors import ValidationError
    from automaker_kg.shacl_sparql import Unsupported

    try:
        violations = check_files(parsed, data_dir, engine="sparql")
    except Unsupported:
        violations = check_files(parsed, data_dir, engine="pyshacl")
    if violations:
        raise ValidationError(violations)


def validate_files(
    files: Sequence[str | os.PathLike[str]] | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> list[Violation]:
    """Validate the project's files, or the given Turtle files together with the ontology.

    Raises
    ------
    ParseError
        a file does not parse (file:line).
    """
    root = default_data_dir(data_dir)
    if files:
        ontology = [p for p in project_files(root) if p.parent.name == "ontology"]
        named = [(p, _relative(p, root)) for p in ontology]
        named += [(Path(f), str(f)) for f in files]
    else:
        named = [(p, _relative(p, root)) for p in project_files(root)]
    return check_files([(name, parse_file(path, name)) for path, name in named], root)


def _report(
    metadata: dict[str, Any],
    names: list[str],
    generation: Path,
    started: float,
    digests: dict[str, str],
    phases: dict[str, float],
    rebuilt: tuple[str, ...] | None = None,
) -> BuildReport:
    """The report of a generation written with ``metadata`` (a full build or a rebuild)."""
    tally = metadata["counts"]
    return BuildReport(
        files=names,
        triples=sum(f["triples"] for f in metadata["files"])
        + sum(g["triples"] for g in metadata["generated"]),
        claims=tally["claims"],
        entities=tally["entities"],
        sources=tally["sources"],
        generation=generation,
        seconds=time.perf_counter() - started,
        sha256=digests,
        generated=tuple(g["graph"] for g in metadata["generated"]),
        phases=phases,
        rebuilt=rebuilt,
    )
