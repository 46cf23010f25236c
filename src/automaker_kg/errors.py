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

__all__ = [
    "AutomakerKGError",
    "InputError",
    "ParseError",
    "EvidenceError",
    "ValidationError",
    "UnknownNameError",
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

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class EvidenceError(InputError):
    """Evidence that does not point at a sentence of its document."""


class ValidationError(AutomakerKGError):
    """The data does not conform; ``violations`` lists each problem."""

    exit_code = 1

    def __init__(self, violations: list) -> None:
        self.violations = list(violations)
        lines = [str(v) for v in self.violations]
        head = f"{len(lines)} violation{'s' if len(lines) != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"  - {line}" for line in lines))


class UnknownNameError(InputError):
    """An unknown query, entity or format name; lists the valid ones."""

    def __init__(self, kind: str, name: str, valid: list[str]) -> None:
        self.kind, self.name, self.valid = kind, name, sorted(valid)
        choices = ", ".join(self.valid) if self.valid else "(none)"
        super().__init__(f"unknown {kind} {name!r}; valid: {choices}")


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
