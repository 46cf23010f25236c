"""The error hierarchy. Each error names the file and line, the IRI or the term at fault.

The CLI maps each class to an exit code (``exit_code``) and prints ``str(error)``
without a traceback:

====  =================================================
0     success
1     the data does not conform (SHACL or sanity check)
2     bad input: unparsable file, unknown name, bad parameter
3     the store cannot be opened or written
4     a query failed or ran out of time
====  =================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from typing import Any

__all__ = [
    "AutomakerKGError",
    "InputError",
    "ParseError",
    "EvidenceError",
    "ValidationError",
    "UnknownNameError",
    "AmbiguousNameError",
    "ParameterError",
    "StoreError",
    "QueryError",
    "QueryTimeout",
]


class AutomakerKGError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 2


class InputError(AutomakerKGError):
    """Input that cannot be used as given."""

    exit_code = 2


class ParseError(InputError):
    """A file that does not parse; names the file and, when known, the line."""

    def __init__(self, path: str | PathLike[str], message: str, line: int | None = None) -> None:
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class EvidenceError(InputError):
    """Evidence that does not point at a sentence of its document."""


class ValidationError(AutomakerKGError):
    """The data does not conform; ``violations`` lists each problem."""

    exit_code = 1

    def __init__(self, violations: Iterable[Any]) -> None:
        self.violations = list(violations)
        lines = [str(v) for v in self.violations]
        head = f"{len(lines)} violation{'s' if len(lines) != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"  - {line}" for line in lines))


class UnknownNameError(InputError):
    """An unknown query, entity or format name; suggests close ones, lists short choices.

    ``suggestions`` default to the names of ``valid`` close to ``name``; ``valid`` is listed
    only while it is short (at most 20 names), so an unknown entity never answers with
    every label of the graph; ``hint`` says where to find the rest.
    """

    def __init__(
        self,
        kind: str,
        name: str,
        valid: list[str],
        *,
        suggestions: list[str] | None = None,
        hint: str | None = None,
    ) -> None:
        self.kind, self.name, self.valid = kind, name, sorted(valid)
        if suggestions is None:
            from automaker_kg.names import suggest

            suggestions = suggest(name, self.valid)
        self.suggestions = list(suggestions)
        message = f"unknown {kind} {name!r}"
        if self.suggestions:
            message += f"; did you mean {_either(self.suggestions)}?"
        if self.valid and len(self.valid) <= (8 if self.suggestions else 20):
            message += f"; valid: {', '.join(self.valid)}"
        elif not self.valid and not self.suggestions and not hint:
            message += "; valid: (none)"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class AmbiguousNameError(UnknownNameError):
    """A name that fits several entities equally well; lists them, picks none."""

    def __init__(self, kind: str, name: str, choices: list[str]) -> None:
        self.kind, self.name, self.valid = kind, name, list(choices)
        self.suggestions = list(choices)
        shown = choices[:8] + ([f"and {len(choices) - 8} more"] if len(choices) > 8 else [])
        InputError.__init__(
            self,
            f"ambiguous {kind} {name!r}: could be {', '.join(shown)}; "
            "give the full name or the identifier",
        )


def _either(names: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


class ParameterError(InputError):
    """A bad or unknown query parameter; lists the valid ones."""


class StoreError(AutomakerKGError):
    """The store cannot be opened, read or written."""

    exit_code = 3


class QueryError(AutomakerKGError):
    """A SPARQL query that does not parse or fails to run."""

    exit_code = 4


class QueryTimeout(QueryError):
    """A query stopped because it ran past its time limit."""
