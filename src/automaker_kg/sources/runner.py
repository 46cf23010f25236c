"""Run an importer on files and write its Turtle into ``graph/imports/`` (what ``import`` does).

Every file is converted before anything is written: one bad file stops the run and no file is
written. Each output, ``graph/imports/<kind>-<stem>.ttl``, is written atomically (a temporary
file, then ``os.replace``), so a reader never sees half a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

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


def _name(path: Path, data_dir: Path) -> str:
    """``path`` relative to the data folder, as the build names its graph."""
    try:
        return Path(path).relative_to(data_dir).as_posix()
    except ValueError:
        return Path(path).resolve().relative_to(Path(data_dir).resolve()).as_posix()


def _check_with_graph(
    converted: list[tuple[Path, ImportResult]], targets: list[Path], graph_dir: Path
) -> None:
    """Validate the imports together with the graph they join, exactly as ``build`` will.

    The project's files are parsed as they are on disk, each import's graph takes the place of
    the file it will be written to (re-importing a file replaces what it gave before), and the
    whole is resolved and validated by :func:`automaker_kg.build.check_parsed`. So one import
    after another is checked on the same data as importing them together; a file that would
    make the next build fail (a stake in force beside others summing to more than 100%, say)
    is refused now, naming the file it would have been written to.
    """
    from automaker_kg.build import check_parsed, parse_file, project_files

    data_dir = Path(graph_dir).parent
    own = {
        _name(target, data_dir): result.graph
        for (_source, result), target in zip(converted, targets, strict=True)
    }
    parsed: list[tuple[str, Graph]] = []
    for path in project_files(data_dir):
        name = _name(path, data_dir)
        if name not in own:
            parsed.append((name, parse_file(path, name)))
    parsed.extend(own.items())
    parsed.sort(key=lambda pair: (not pair[0].startswith("ontology/"), pair[0]))
    check_parsed(parsed, data_dir)


def import_files(kind: str, sources: Sequence[Path], *, graph_dir: Path) -> list[ImportOutcome]:
    """Convert every file with the ``kind`` importer, then write each one's Turtle.

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
    converted = [(Path(s), IMPORTERS[kind](Path(s))) for s in sources]
    _check_with_graph(converted, [output_path(kind, s, graph_dir) for s, _ in converted], graph_dir)
    outcomes = []
    for source, result in converted:
        target = output_path(kind, source, graph_dir)
        write_turtle(result.graph, target)
        outcomes.append(ImportOutcome(source, result, target))
    return outcomes
