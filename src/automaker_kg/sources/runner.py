"""Run an importer on files and write its Turtle into ``graph/imports/`` (what ``import`` does).

Every file is converted before anything is written: one bad file stops the run and no file is
written. Each output, ``graph/imports/<kind>-<stem>.ttl``, is written atomically (a temporary
file, then ``os.replace``), so a reader never sees half a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from automaker_kg.errors import InputError, UnknownNameError
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


def import_files(kind: str, sources: Sequence[Path], *, graph_dir: Path) -> list[ImportOutcome]:
    """Convert every file with the ``kind`` importer, then write each one's Turtle.

    Raises the importer's ``InputError``/``ParseError`` (nothing written) on the first bad file
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
    converted = [(Path(s), IMPORTERS[kind](Path(s))) for s in sources]
    outcomes = []
    for source, result in converted:
        target = output_path(kind, source, graph_dir)
        write_turtle(result.graph, target)
        outcomes.append(ImportOutcome(source, result, target))
    return outcomes
