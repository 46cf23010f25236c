"""``automaker-kg add``: check a fact sheet against its document, the ontology and the rest
of ``graph/``, then write its Turtle atomically (or, dry run, write nothing)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from automaker_kg.files import write_atomic
from automaker_kg.namespaces import AKG, bind_prefixes
from automaker_kg.sources.documents import read_text, sha256_of
from automaker_kg.sources.factsheet.compile import Compiler, described_in, known_terms
from automaker_kg.sources.factsheet.sheet import (
    MAX_DOCUMENT_BYTES,
    Sheet,
    SheetConformanceError,
    SheetError,
    SheetProblem,
    dotted,
    load_sheet,
)
from automaker_kg.sources.factsheet.turtle import to_turtle


@dataclass(frozen=True)
class AddReport:
    """What ``add`` wrote."""

    sheet: str
    target: Path
    document: str
    claims: int
    entities: int
    triples: int


def output_path(sheet: Sheet, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """``graph/<folder>/<sheet stem>.ttl`` (folder from the sheet, default ``articles``)."""
    from automaker_kg.paths import data_dir as default_data_dir

    root = default_data_dir(data_dir)
    return root / "graph" / sheet.data.get("folder", "articles") / f"{sheet.stem}.ttl"


def document_path(sheet: Sheet, document: str | os.PathLike[str] | None = None) -> Path:
    """The document's text file: ``document`` if given, else ``shared/<document.file>``.

    ``document.file`` must name a file inside ``shared/`` (no absolute path, no ``..``
    out of it, no symlink out of it).
    """
    from automaker_kg.paths import shared_dir

    if document is not None:
        path = Path(document)
    else:
        shared = shared_dir()
        if shared is None:
            raise SheetError(
                [
                    sheet.problem(
                        ("document", "file"), "cannot find the shared/ folder; use --document"
                    )
                ]
            )
        path = shared / sheet.data["document"]["file"]
        try:
            inside = path.resolve().is_relative_to(shared.resolve())
        except (OSError, ValueError):
            inside = False
        if not inside:
            message = f"{sheet.data['document']['file']!r} is outside the shared/ folder"
            raise SheetError([sheet.problem(("document", "file"), message)])
    try:
        found = path.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        raise SheetError([sheet.problem(("document", "file"), f"no such file: {path}")])
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        message = f"{path} is larger than {MAX_DOCUMENT_BYTES >> 20} MB"
        raise SheetError([sheet.problem(("document", "file"), message)])
    return path


def _sheet_line_for(focus: str, compiled: Compiler | None, sheet: Sheet) -> tuple[int | None, str]:
    head = focus.split(" ", 1)[0]
    for iri, path in compiled.defined.items() if compiled else []:
        if compiled and compiled.qname(iri) == head:
            return sheet.line_of(path), dotted(path)
    return None, ""


def _check_once(parsed: list[tuple[str, Graph]], root: Path) -> tuple[list[Any], str]:
    """The violations of ``parsed`` (the shapes as SPARQL, else pySHACL) and the engine."""
    from automaker_kg.build import check_files
    from automaker_kg.shacl_sparql import Unsupported

    try:
        return check_files(parsed, root, engine="sparql"), "sparql"
    except Unsupported:
        return check_files(parsed, root, engine="pyshacl"), ""


def _focus_iris(violations: Iterable[Any]) -> list[URIRef]:
    """The IRIs of the violations' focus nodes (the named node above a blank one)."""
    names = bind_prefixes(Graph()).namespace_manager
    found = []
    for v in violations:
        head = v.focus.split(" ", 1)[0]
        try:
            found.append(names.expand_curie(head))
        except ValueError:
            if head.startswith(("http:", "https:", "urn:")):
                found.append(URIRef(head))
    return found


def add(
    sheet_path: str | os.PathLike[str],
    *,
    document: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
) -> AddReport:
    """Check a fact sheet and write its Turtle to ``graph/<folder>/<name>.ttl`` atomically
    (``dry_run``: every check, nothing written).

    The checks, in order: the YAML parses and fits :func:`schema`; every reference names a
    term of the sheet, the ontology or graph/; every evidence reference is a sentence of the
    document's text (not of its header); no text copies 8 words of the document; the Turtle,
    merged with the ontology and the rest of graph/, conforms to the shapes (problems the
    graph had without the sheet are not blamed on it). Nothing is written when a check fails.

    Raises
    ------
    SheetError
        the sheet is unusable (sheet:line, field, message), exit code 2.
    SheetConformanceError
        the result violates the shapes, exit code 1.
    """
    from automaker_kg.build import (  # the build's own reading of graph/, resolution included
        check_files,
        graph_name,
        parse_file,
        project_files,
    )
    from automaker_kg.paths import data_dir as default_data_dir

    sheet = load_sheet(sheet_path)
    root = default_data_dir(data_dir)
    target = output_path(sheet, root)
    doc_path = document_path(sheet, document)
    try:
        text = read_text(doc_path)
    except UnicodeDecodeError as exc:
        message = f"{doc_path} is not UTF-8 text (byte {exc.start}: {exc.reason})"
        raise SheetError([sheet.problem(("document", "file"), message)]) from None
    except OSError as exc:
        message = f"cannot read {doc_path}: {exc.strerror or exc}"
        raise SheetError([sheet.problem(("document", "file"), message)]) from None
    others = [
        (graph_name(p, root), parse_file(p, graph_name(p, root)))
        for p in project_files(root)
        if p.resolve() != target.resolve()
    ]
    compiler = Compiler(
        sheet,
        text,
        sha256_of(doc_path),
        known_terms(g for _, g in others),
        True,
        described_in(others),
    )
    graph = compiler.run()
    body = to_turtle(graph, sheet, source=graph_name(sheet_path, root))
    reparsed = bind_prefixes(Graph()).parse(data=body, format="turtle")
    violations, engine = _check_once([*others, (graph_name(target, root), reparsed)], root)
    if violations:  # were they there without the sheet? only their focus nodes are checked
        focus = _focus_iris(violations)
        old = check_files(others, root, engine=engine, focus=focus if engine else None)
        before = {(b.focus, b.rule, b.message) for b in old}
        fresh = [v for v in violations if (v.focus, v.rule, v.message) not in before]
        if fresh:
            problems = []
            for v in fresh:
                line, where = _sheet_line_for(v.focus, compiler, sheet)
                problems.append(
                    SheetProblem(sheet.name, line, where, f"{v.focus}: [{v.rule}] {v.message}")
                )
            raise SheetConformanceError(problems)
    if not dry_run:
        write_atomic(target, body)
    claims = {s for s in graph.subjects(AKG.status, None)}
    return AddReport(
        sheet=sheet.name,
        target=target,
        document=str(doc_path),
        claims=len(claims),
        entities=len(sheet.data.get("entities", [])),
        triples=len(graph),
    )
