"""Conflicting stakes answered from every conflicting pair, found once per store generation.

The library query ``conflicting-stakes`` compares every equity stake with every other of
the same holder, target and type (intervals of shares, of dates, supersession, sources),
and only at the end keeps the pairs of the ``company`` asked about. Its one parameter
filters the rows; it takes no part in finding them. So the build runs the query once with
``company`` unbound, the holder and target of each row kept beside it (:func:`write_index`,
into the generation folder), and the endpoint answers a company by picking its rows
(:meth:`ConflictsIndex.answer`): the query's own rows, in its order, as ``DISTINCT`` leaves
them. The index holds for the query text it was built from (its SHA-256); a company that
is not an IRI, or a changed text, runs the query as written.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .files import write_atomic
from .reciprocal_index import keep_index, kept_index, query_digest

__all__ = [
    "QUERY_NAME",
    "INDEX_FILE",
    "ConflictsIndex",
    "build_index",
    "build_in",
    "write_index",
    "read_index",
]

log = logging.getLogger(__name__)

QUERY_NAME = "conflicting-stakes"
INDEX_FILE = "conflicting-stakes-index.json"
VERSION = 1
_PARAMETER = "company"
#: The SELECT clause's last projected variable, after which the index adds its own two.
_LAST = re.compile(r"\?company(\s+WHERE\s*\{)", re.IGNORECASE)


def _library_text() -> str:
    from .queries import get_query

    return get_query(QUERY_NAME).text


def _with_ends(text: str) -> str | None:
    """The query text with ``?holder ?target`` projected after ``?company`` (``None`` when
    the text is not shaped so)."""
    found = list(_LAST.finditer(text))
    if len(found) != 1:
        return None
    match = found[0]
    return text[: match.start()] + "?company ?holder ?target" + match.group(1) + text[match.end() :]


def build_index(store: ox.Store, query_text: str | None = None) -> dict[str, Any]:
    """Every row of the query with ``company`` unbound, each with its holder and target.

    >>> index = build_index(ox.Store())
    >>> index["rows"], index["columns"][-1]
    ([], 'company')
    """
    from .namespaces import PREFIXES

    text = _library_text() if query_text is None else query_text
    extended = _with_ends(text)
    if extended is None:
        return {"version": VERSION, "query": "", "columns": [], "rows": []}
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    result = store.query(extended, prefixes=prefixes, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    columns = names[:-2]
    rows = []
    for solution in result:
        cells = [None if solution[n] is None else str(solution[n]) for n in names]
        rows.append(cells)
    return {"version": VERSION, "query": query_digest(text), "columns": columns, "rows": rows}


def write_index(generation: str | os.PathLike[str], store: ox.Store | None = None) -> Path | None:
    """Build the index of ``store`` (default: the generation folder's store, opened
    read-only) and keep it in the generation folder (:func:`reciprocal_index.keep_index`)."""
    return keep_index(generation, INDEX_FILE, build_index, store)


def build_in(folder: str, query_file: str, out: str, memory_limit: int = 0) -> None:
    """Write the index of the Oxigraph database at ``folder`` (opened read-only) for the query
    text in ``query_file`` to ``out`` (atomically): the server's child process, a fresh
    interpreter (``python -m automaker_kg.conflicts_index FOLDER QUERY_FILE OUT [BYTES]``),
    so that no state of the server's threads or open store travels into it by ``fork``."""
    if memory_limit:
        from .children import limit_memory

        limit_memory(memory_limit)
    text = Path(query_file).read_text(encoding="utf-8")
    index = build_index(ox.Store.read_only(folder), text)
    write_atomic(out, json.dumps(index, separators=(",", ":")))


def read_index(generation: str | os.PathLike[str] | None, query_text: str) -> ConflictsIndex | None:
    """The index kept in ``generation`` if it was built for ``query_text``, else ``None``."""
    return ConflictsIndex.from_dict(kept_index(generation, INDEX_FILE), query_text)


class ConflictsIndex:
    """The query's rows for every company; :meth:`answer` picks one company's."""

    def __init__(self, columns: list[str], rows: list[list[str | None]]) -> None:
        self.columns = tuple(columns)
        self.rows = rows

    @classmethod
    def from_dict(cls, data: Any, query_text: str) -> ConflictsIndex | None:
        """The index in ``data`` (from :func:`build_index`) if it holds for ``query_text``."""
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        if data.get("query") != query_digest(query_text):
            return None
        columns, rows = data.get("columns"), data.get("rows")
        if not isinstance(columns, list) or not columns or columns[-1] != _PARAMETER:
            return None
        if not isinstance(rows, list) or any(len(r) != len(columns) + 2 for r in rows):
            return None
        return cls(columns, rows)

    @classmethod
    def of_store(cls, store: ox.Store, query_text: str) -> ConflictsIndex | None:
        """Built from ``store`` now (for a store whose generation kept no index)."""
        return cls.from_dict(build_index(store, query_text), query_text)

    def answer(self, company: str | None) -> list[list[str | None]] | None:
        """The rows for ``company`` (an IRI in N-Triples form; ``None``: unbound, every
        pair), cells in N-Triples form; ``None`` when ``company`` is not an IRI."""
        if company is not None and not (company.startswith("<") and company.endswith(">")):
            return None
        seen: set[tuple[str | None, ...]] = set()
        out = []
        for row in self.rows:
            holder, target = row[-2], row[-1]
            if company is not None and company not in (holder, target):
                continue
            cells = (*row[: len(self.columns) - 1], company)
            if cells in seen:  # SELECT DISTINCT, once holder and target are projected away
                continue
            seen.add(cells)
            out.append(list(cells))
        return out


if __name__ == "__main__":  # the server's background child (see build_in)
    import sys

    folder, query_file, out = sys.argv[1:4]
    build_in(folder, query_file, out, int(sys.argv[4]) if len(sys.argv) > 4 else 0)
