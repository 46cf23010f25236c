"""Run an importer on files and write its Turtle into ``graph/imports/`` (what ``import`` does).

Every file is converted before anything is written: one bad file stops the run and no file is
written. Each output, ``graph/imports/<kind>-<stem>.ttl``, is written atomically (a temporary
file, fsynced, then renamed: :mod:`automaker_kg.files`), so a reader never sees half a file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from automaker_kg.errors import InputError, UnknownNameError
from automaker_kg.files import replace_atomic, temporary_beside
from automaker_kg.sources.bods import import_bods
from automaker_kg.sources.gleif import import_gleif
from automaker_kg.sources.importing import ImportResult, slug, write_turtle
from automaker_kg.sources.wikidata import import_wikidata

__all__ = ["IMPORTERS", "ImportOutcome", "output_path", "import_files"]

IMPORTERS: dict[str, Callable[[Path], ImportResult]] = {
    "bods": import_bods,
    "gleif": import_gleif,
    "wikidata": import_wikidata,
}


@dataclass(frozen=True)
class ImportOutcome:
    """One converted file: where it came from, what was made and where it was written."""

    source: Path
    result: ImportResult
    target: Path


def output_path(kind: str, source: Path, graph_dir: Path) -> Path:
    """``<graph_dir>/imports/<kind>-<stem>.ttl`` (the stem made safe for a file name).

    >>> output_path("bods", Path("x/Tecido Ltd.json"), Path("graph")).as_posix()
    'graph/imports/bods-tecido-ltd.ttl'
    """
    return Path(graph_dir) / "imports" / f"{kind}-{slug(Path(source).stem)}.ttl"


def _check_with_graph(
    converted: list[tuple[Path, ImportResult]], targets: list[Path], graph_dir: Path
) -> None:
    """Validate the imports together with the graph they join, exactly as ``build`` will.

    The project's files are parsed as they are on disk, each import's graph takes the place of
    the file it will be written to (re-importing a file replaces what it gave before), and the
    whole is resolved and validated by :func:`automaker_kg.build.check_parsed`. So one import
    after another is checked on the same data as importing them together; a file that would
    make the next build fail (a stake in force beside others summing to more than 100%, say)
    is refused now, naming the file it would have been written to. Files the build loads in
    bulk (over ``build.BULK_BYTES``) are left out here: the build resolves and validates them
    in the store.
    """
    from automaker_kg.build import BULK_BYTES, check_parsed, graph_name, parse_file, project_files

    data_dir = Path(graph_dir).parent
    own = {
        graph_name(target, data_dir): result.graph
        for (_source, result), target in zip(converted, targets, strict=True)
    }
    parsed: list[tuple[str, Graph]] = []
    for path in project_files(data_dir):
        name = graph_name(path, data_dir)
        if name in own or path.stat().st_size > BULK_BYTES:
            continue  # a bulk file (a streamed golden copy) is resolved and checked at build
        parsed.append((name, parse_file(path, name)))
    parsed.extend(own.items())
    parsed.sort(key=lambda pair: (not pair[0].startswith("ontology/"), pair[0]))
    check_parsed(parsed, data_dir)


STREAM_BYTES = 8_000_000
"""GLEIF files larger than this are streamed (:mod:`automaker_kg.sources.gleif_stream`): read
record by record, written as Turtle without a graph in memory, and validated by the next
build in the store (its bulk path takes files of this size). Smaller ones are converted in
memory and checked beside the graph now."""


def import_files(
    kind: str, sources: Sequence[Path], *, graph_dir: Path, stream_bytes: int | None = None
) -> list[ImportOutcome]:
    """Convert every file with the ``kind`` importer, then write each one's Turtle.

    GLEIF files above ``stream_bytes`` (default :data:`STREAM_BYTES`) are streamed into a
    temporary file beside their target, and all targets are swapped in only when every file
    has converted.

    Raises the importer's ``InputError``/``ParseError`` (nothing written) on the first bad file,
    ``ValidationError`` (nothing written) when the result would not validate beside the graph,
    and ``UnknownNameError`` for an unknown kind.
    """
    if kind not in IMPORTERS:
        raise UnknownNameError("importer", kind, list(IMPORTERS))
    targets = [output_path(kind, Path(s), graph_dir) for s in sources]
    clashes = sorted({str(t) for t in targets if targets.count(t) > 1})
    if clashes:
        raise InputError(
            f"two files would be written to the same place: {', '.join(clashes)}; "
            "import them one at a time"
        )
    limit = STREAM_BYTES if stream_bytes is None else stream_bytes
    streamed: dict[Path, tuple[Path, ImportResult]] = {}
    converted: list[tuple[Path, ImportResult]] = []
    try:
        for source in map(Path, sources):
            if kind == "gleif" and source.is_file() and source.stat().st_size > limit:
                streamed[source] = _stream(source, output_path(kind, source, graph_dir))
            else:
                converted.append((source, IMPORTERS[kind](source)))
        _check_with_graph(
            converted, [output_path(kind, s, graph_dir) for s, _ in converted], graph_dir
        )
    except BaseException:
        for tmp, _ in streamed.values():
            tmp.unlink(missing_ok=True)
        raise
    outcomes = []
    written = dict(converted)
    for source in map(Path, sources):
        target = output_path(kind, source, graph_dir)
        if source in streamed:
            tmp, result = streamed[source]
            replace_atomic(tmp, target)
        else:
            result = written[source]
            write_turtle(result.graph, target)
        outcomes.append(ImportOutcome(source, result, target))
    return outcomes


def _stream(source: Path, target: Path) -> tuple[Path, ImportResult]:
    """Stream ``source`` into a temporary file beside ``target``; the file and the result."""
    from automaker_kg.sources.gleif_stream import write_gleif
    from automaker_kg.sources.importing import ImportReport

    fd, name = temporary_beside(target)
    report = ImportReport("gleif", str(source))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", buffering=1 << 20) as out:
            write_gleif(source, out, report)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    report.notes.append("streamed record by record; the next build validates it in the store")
    return Path(name), ImportResult(Graph(), report)
