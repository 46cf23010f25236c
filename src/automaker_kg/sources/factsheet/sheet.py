"""A fact sheet's YAML read with the line of every key and value, and checked against the
schema; every problem names ``sheet:line``, the field and what is wrong.

>>> text = "document: {file: x.txt, title: T, publisher: p, date: 2023}\\nclaims: []\\n"
>>> sheet = parse_sheet(text)
>>> sheet.line_of(("claims",))
2
>>> str(SheetProblem("a.yaml", 3, "claims[0].share", "too big"))
'a.yaml:3: claims[0].share: too big'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from automaker_kg.errors import InputError
from automaker_kg.sources.factsheet.schema import schema


@dataclass(frozen=True)
class SheetProblem:
    """One problem: the sheet, the line, the field (a dotted path) and what is wrong."""

    sheet: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}:{self.line}" if self.line else self.sheet
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class SheetError(InputError):
    """A fact sheet that cannot be used; ``problems`` lists each with sheet, line and field."""

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        if len(lines) == 1:
            super().__init__(lines[0])
        else:
            super().__init__(f"{len(lines)} problems:\n" + "\n".join(f"  - {x}" for x in lines))


class SheetConformanceError(SheetError):
    """The sheet's Turtle does not conform to the shapes (with the ontology and graph/)."""

    exit_code = 1


#: Largest sheet read, in bytes (the curated ones are under 10 kB).
MAX_SHEET_BYTES = 1 << 20
#: Deepest nesting of mappings and lists (a sheet needs 4).
MAX_SHEET_DEPTH = 32
#: Largest document text a sheet may cite, in bytes.
MAX_DOCUMENT_BYTES = 16 << 20


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text, their form gives the precision.

    Aliases (``*name``) are refused, so a few bytes cannot expand into gigabytes, and so is
    nesting deeper than :data:`MAX_SHEET_DEPTH`, so the composer cannot exhaust the stack.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a fact sheet", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_SHEET_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested deeper than {MAX_SHEET_DEPTH} levels",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

FieldPath = tuple[str | int, ...]


@dataclass
class Sheet:
    """A parsed fact sheet: its data, and the line of every key and value."""

    name: str
    data: dict[str, Any]
    lines: dict[FieldPath, int] = field(default_factory=dict)
    raw: dict[FieldPath, str] = field(default_factory=dict)

    def line_of(self, path: Iterable[str | int]) -> int | None:
        """The line of ``path`` or of its nearest ancestor the sheet has."""
        parts = tuple(path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get((), None)

    def problem(self, path: Iterable[str | int], message: str) -> SheetProblem:
        parts = tuple(path)
        return SheetProblem(self.name, self.line_of(parts), dotted(parts), message)

    @property
    def stem(self) -> str:
        return Path(self.name).stem


def dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _construct(
    loader: _Loader, node: yaml.Node, path: FieldPath, sheet: Sheet, errors: list
) -> Any:
    sheet.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                errors.append(
                    SheetProblem(
                        sheet.name,
                        key_node.start_mark.line + 1,
                        dotted((*path, key)),
                        "duplicate key",
                    )
                )
            sheet.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _construct(loader, value_node, (*path, key), sheet, errors)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*path, i), sheet, errors) for i, item in enumerate(node.value)
        ]
    sheet.raw[path] = node.value
    return loader.construct_object(node)


def parse_sheet(text: str, name: str = "<sheet>") -> Sheet:
    """Parse a sheet's YAML text; check it against :func:`schema`.

    Raises
    ------
    SheetError
        the YAML does not parse, or does not fit the schema (each problem with its line).
    """
    sheet = Sheet(name, {})
    if len(text) > MAX_SHEET_BYTES:
        message = f"the sheet is larger than {MAX_SHEET_BYTES // 1024} kB"
        raise SheetError([SheetProblem(name, None, "", message)])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise SheetError([SheetProblem(name, line, "", f"bad YAML: {problem}")]) from None
    finally:
        loader.dispose()
    errors: list[SheetProblem] = []
    data = _construct(loader, node, (), sheet, errors) if node is not None else None
    if not isinstance(data, dict):
        raise SheetError([SheetProblem(name, 1, "", "a fact sheet is a mapping (key: value)")])
    sheet.data = data
    errors += _schema_problems(sheet)
    if errors:
        raise SheetError(errors)
    return sheet


def load_sheet(path: str | os.PathLike[str]) -> Sheet:
    """Read and parse a sheet file (see :func:`parse_sheet`)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SHEET_BYTES:
            message = f"the sheet is larger than {MAX_SHEET_BYTES // 1024} kB"
            raise SheetError([SheetProblem(str(path), None, "", message)])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SheetError([SheetProblem(str(path), None, "", f"cannot read: {exc}")]) from None
    return parse_sheet(text, str(path))


def _schema_problems(sheet: Sheet) -> list[SheetProblem]:
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in validator.iter_errors(sheet.data):
        for leaf in _leaves(error):
            path = tuple(leaf.absolute_path)
            message = leaf.message
            if leaf.validator == "additionalProperties":
                # an object and the schema object that refused one of its keys
                assert isinstance(leaf.instance, Mapping) and isinstance(leaf.schema, Mapping)
                extra = sorted(set(leaf.instance) - set(leaf.schema.get("properties", {})))
                for key in extra:
                    problems.append(sheet.problem((*path, key), "unknown field"))
                continue
            if leaf.validator == "required":
                missing = re.findall(r"'([^']+)' is a required property", message)
                message = f"missing required field {missing[0]!r}" if missing else message
            elif leaf.validator == "enum":
                assert isinstance(leaf.validator_value, Iterable)  # the schema's list of values
                choices = ", ".join(map(str, leaf.validator_value))
                message = f"{leaf.instance!r} is not one of: {choices}"
            problems.append(sheet.problem(path, message))
    unique = {(p.line, p.field, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.field, p.message))


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        # report the alternative that got furthest, not the whole list of alternatives
        best = max(error.context, key=lambda e: len(e.absolute_path))
        if len(best.absolute_path) > len(error.absolute_path):
            return _leaves(best)
        # the one alternative of the right type (a mapping, not a list) says what is wrong
        typed = [e for e in error.context if e.validator != "type"]
        if typed and len({e.relative_schema_path[0] for e in typed}) == 1:
            return [leaf for e in typed for leaf in _leaves(e)]
        return [error]
    if error.context:
        return [leaf for sub in error.context for leaf in _leaves(sub)]
    return [error]
