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


def _check_with_graph(
    converted: list[tuple[Path, ImportResult]], targets: list[Path], graph_dir: Path
) -> None:
    """Validate the imports together with the graph they join, as ``build`` will.

    A file that would make the next build fail (a stake in force beside others summing to
    more than 100%, say) is refused now, naming the file it would have been written to.
    """
    from automaker_kg.build import load_graph
    from automaker_kg.namespaces import GRAPH
    from automaker_kg.validate import check, shapes_graph

    data_dir = Path(graph_dir).parent
    data = load_graph(data_dir)
    origins: dict[str, str] = {}
    for (_source, result), target in zip(converted, targets, strict=True):
        name = target.resolve().relative_to(data_dir.resolve()).as_posix()
        named = data.graph(GRAPH[name])
        named.remove((None, None, None))  # re-importing a file replaces what it gave before
        for triple in result.graph:
            named.add(triple)
            origins.setdefault(str(triple[0]), name)
    shapes = data_dir / "ontology" / "shapes.ttl"
    check(data, origins, shapes=shapes_graph(shapes if shapes.is_file() else None))


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
