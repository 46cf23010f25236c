"""Fact sheets: one source's facts in YAML, turned into the project's Turtle.

The package's rooms: :mod:`.schema` (what a sheet may say), :mod:`.sheet` (YAML read with
lines, problems), :mod:`.compile` (sheet to RDF), :mod:`.turtle` (RDF to readable Turtle),
:mod:`.adding` (the checks against graph/ and the atomic write).

A fact sheet names its document (a text file under ``shared/``), the entities, unnamed source
groups and events it introduces, and its claims, each with a status, a label in the project's
own words and evidence given as ``"paragraph.sentence"`` references. :func:`compile_sheet`
turns a sheet into an rdflib ``Graph`` (evidence becomes ``oa:TextPositionSelector`` offsets
into the document, whose SHA-256 is recorded); :func:`add` checks the sheet (a JSON schema,
the references, the evidence, then SHACL together with the ontology and the rest of
``graph/``) and writes ``graph/<folder>/<sheet name>.ttl`` atomically. The format is
documented in ``docs/fact-sheets.md``.

Every problem is a :class:`SheetError` naming ``sheet:line``, the field and what is wrong.

>>> sheet = parse_sheet('''
... document: {file: x.txt, title: T, publisher: reuters, date: 2023-02}
... claims:
...   - {id: c1, kind: EquityStake, status: official, label: A holds 15% of B,
...      holder: renault, target: nissan, interest: shareholding, share: 15,
...      evidence: ["2.1"]}
... ''', "demo.yaml")
>>> from automaker_kg.namespaces import AKG, CLAIM
>>> graph = compile_sheet(sheet, "Header\\n\\nRenault has 15. Yes.\\n", "sha256:" + "0" * 64)
>>> str(graph.value(CLAIM.c1, AKG.shareExact))
'15.0'
>>> sheet.line_of(("claims", 0, "share"))
5
"""

from __future__ import annotations

from automaker_kg.sources.documents import copied_runs, header_paragraphs, original_address
from automaker_kg.sources.factsheet.adding import AddReport, add, document_path, output_path
from automaker_kg.sources.factsheet.compile import (
    Described,
    compile_sheet,
    described_in,
    known_terms,
)
from automaker_kg.sources.factsheet.schema import (
    CLAIM_KINDS,
    COMMON_FIELDS,
    ENTITY_TYPES,
    EVENT_KINDS,
    IMPLIED,
    STATUSES,
    schema,
)
from automaker_kg.sources.factsheet.sheet import (
    MAX_DOCUMENT_BYTES,
    MAX_SHEET_BYTES,
    MAX_SHEET_DEPTH,
    Sheet,
    SheetConformanceError,
    SheetError,
    SheetProblem,
    load_sheet,
    parse_sheet,
)
from automaker_kg.sources.factsheet.turtle import to_turtle

__all__ = [
    "Sheet",
    "SheetProblem",
    "SheetError",
    "SheetConformanceError",
    "AddReport",
    "Described",
    "STATUSES",
    "CLAIM_KINDS",
    "COMMON_FIELDS",
    "ENTITY_TYPES",
    "EVENT_KINDS",
    "IMPLIED",
    "MAX_DOCUMENT_BYTES",
    "MAX_SHEET_BYTES",
    "MAX_SHEET_DEPTH",
    "schema",
    "parse_sheet",
    "load_sheet",
    "header_paragraphs",
    "original_address",
    "copied_runs",
    "compile_sheet",
    "described_in",
    "known_terms",
    "to_turtle",
    "output_path",
    "document_path",
    "add",
]
