"""Output formats: W3C SPARQL results (JSON, CSV, TSV), CSV/JSON of plain rows, and tables.

One module writes every answer the project prints. Machine formats keep every column and
the internal values; tables are for people:

* every column is shown: an IRI as its short name (``doc:kyodo-2023-02-06``), a column
  of IRIs that has a ``<column>_label`` beside it as that label, internal names in words
  (``voting_rights`` -> "voting rights");
* the table fits the terminal without breaking a word: each column is at least as wide
  as its longest word; when the columns cannot all fit, each row is printed as a record,
  one field a line (``wide=True`` prints the table at its natural width instead);
* ``compact=True`` (overviews such as ``summary``) keeps each row on one line, cutting long
  values with an ellipsis and leaving out the last columns when even that cannot fit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

import pyoxigraph as ox
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from automaker_kg.errors import UnknownNameError
from automaker_kg.prefixes import NAMESPACES, short

__all__ = [
    "RESULT_FORMATS",
    "OUTPUT_FORMATS",
    "results_json",
    "results_csv",
    "results_tsv",
    "serialize_results",
    "plain",
    "words",
    "terminal_width",
    "table_columns",
    "print_table",
    "print_rows",
    "emit",
]

RESULT_FORMATS = ("table", "csv", "tsv", "json")
OUTPUT_FORMATS = ("table", "csv", "json")
_XSD = NAMESPACES["xsd"]
_XSD_STRING = _XSD + "string"


class _Unloaded:
    """Stands for rdflib's term classes while rdflib is not loaded: no value is one then."""


def _rdflib() -> tuple[type, type, type]:
    """rdflib's ``URIRef``, ``BNode`` and ``Literal`` once something loaded rdflib; until
    then no value can be one of them, and tables of plain values never load it."""
    if "rdflib.term" not in sys.modules:
        return _Unloaded, _Unloaded, _Unloaded
    from rdflib import BNode, Literal, URIRef

    return URIRef, BNode, Literal


# --------------------------------------------------------------------------- W3C results


def _json_term(term: Any) -> dict[str, str]:
    URIRef, BNode, _ = _rdflib()
    if isinstance(term, URIRef | ox.NamedNode):
        return {"type": "uri", "value": _value(term)}
    if isinstance(term, BNode | ox.BlankNode):
        return {"type": "bnode", "value": _value(term)}
    out = {"type": "literal", "value": _value(term)}
    language = term.language
    datatype = term.datatype
    if language:
        out["xml:lang"] = language
    elif datatype is not None and _value(datatype) != _XSD_STRING:
        out["datatype"] = _value(datatype)
    return out


def _value(term: Any) -> str:
    """The lexical form of an rdflib or pyoxigraph term."""
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)


def results_json(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """SPARQL 1.1 Query Results JSON of rows of rdflib or pyoxigraph terms (None: unbound)."""
    bindings = [
        {c: _json_term(v) for c, v in zip(columns, row, strict=True) if v is not None}
        for row in rows
    ]
    doc = {"head": {"vars": list(columns)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def results_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, blank nodes as ``_:label``."""
    _, BNode, _ = _rdflib()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                ""
                if v is None
                else (f"_:{_value(v)}" if isinstance(v, BNode | ox.BlankNode) else _value(v))
                for v in row
            ]
        )
    return buffer.getvalue()


def _tsv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return str(term)  # Oxigraph writes N-Triples
    URIRef, BNode, _ = _rdflib()
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


def results_tsv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """SPARQL 1.1 Query Results TSV: terms in their N-Triples form."""
    lines = ["\t".join(f"?{c}" for c in columns)]
    lines += ["\t".join(_tsv_term(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def serialize_results(columns: Sequence[str], rows: Iterable[Sequence[Any]], format: str) -> str:
    """Rows of terms in a W3C SPARQL results format: ``json``, ``csv`` or ``tsv``."""
    writers = {"json": results_json, "csv": results_csv, "tsv": results_tsv}
    if format not in writers:
        raise UnknownNameError("result format", format, list(writers))
    return writers[format](columns, rows)


# --------------------------------------------------------------------------- cells


_INTERNAL = re.compile(r"[a-z]+(?:_[a-z]+)+")
_IRI = re.compile(r"(?:^|(?<= ))(?:https?|urn):\S")


def words(text: str) -> str:
    """An internal name in words; other text as it is.

    >>> words("voting_rights"), words("operational_engagement"), words("kg:geely-auto")
    ('voting rights', 'operational engagement', 'kg:geely-auto')
    """
    return text.replace("_", " ") if _INTERNAL.fullmatch(text) else text


# The literals of a table read without rdflib: a plain or language-tagged string, and the
# canonical spellings of the numbers, dates and booleans (rdflib's ``toPython`` gives the
# same values for them); any other literal is read by rdflib (its values and its warnings).
_READERS: dict[str, tuple[re.Pattern[str], Callable[[str], Any]]] = {
    "integer": (re.compile(r"[+-]?[0-9]+"), int),
    "decimal": (re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"), Decimal),
    "date": (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), dt.date.fromisoformat),
    "boolean": (re.compile(r"true|false"), lambda text: text == "true"),
}


def _literal_value(term: ox.Literal) -> Any:
    """The Python value rdflib reads of a literal of those :data:`_READERS` know (a string
    is its text), else the literal itself.

    >>> _literal_value(ox.Literal("43.40", datatype=ox.NamedNode(_XSD + "decimal")))
    Decimal('43.40')
    >>> _literal_value(ox.Literal("2024-13-01", datatype=ox.NamedNode(_XSD + "date"))).value
    '2024-13-01'
    """
    datatype = term.datatype.value
    if term.language or datatype == _XSD_STRING:
        return term.value
    reader = _READERS.get(datatype.removeprefix(_XSD)) if datatype.startswith(_XSD) else None
    if reader is None or not reader[0].fullmatch(term.value):
        return term
    try:
        return reader[1](term.value)
    except ValueError:  # a date that is no day (2024-02-30): rdflib says so
        return term


def plain(value: Any) -> str:
    """A value as a person reads it in a table: IRIs short, numbers plain, lists joined.

    >>> from rdflib import Literal, URIRef, XSD
    >>> plain(URIRef("https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06"))
    'doc:kyodo-2023-02-06'
    >>> plain(Literal("43.40", datatype=XSD.decimal)), plain(0.15), plain(None), plain(True)
    ('43.4', '0.15', '', 'yes')
    >>> plain(["https://w3id.org/automaker-kg/id/nissan", "shareholding"])
    'kg:nissan shareholding'
    """
    if value is None:
        return ""
    if isinstance(value, ox.NamedNode):
        return short(value.value)
    if isinstance(value, ox.Literal):
        value = _literal_value(value)
    if isinstance(value, ox.Literal | ox.BlankNode):
        from automaker_kg.terms import from_oxigraph

        value = from_oxigraph(value)
    URIRef, BNode, Literal = _rdflib()
    if isinstance(value, Literal):
        python = value.toPython()  # type: ignore[attr-defined]
        value = python if not isinstance(python, Literal) else str(value)
    if isinstance(value, URIRef):
        return short(str(value))
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e15 else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(plain(v) for v in value)
    text = str(value)
    if _IRI.search(text):  # IRIs in a text: "doc:a doc:b", "doc:a#10-20"
        return " ".join(short(t) if _IRI.match(t) else t for t in text.split(" "))
    return words(text)


# --------------------------------------------------------------------------- tables

_MAX_WORD = 40  # longer words (long IRIs) are cut with an ellipsis in tables
_COMPACT_FLOOR = 10  # narrowest column of a compact table


def terminal_width() -> int:
    """Columns to fit: $COLUMNS, else the terminal's, else 120 when output is piped."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((120, 24)).columns
    return 120


def _cut(token: str, width: int) -> str:
    """``token`` cut to ``width`` cells with an ellipsis (never cut when it fits)."""
    if cell_len(token) <= width:
        return token
    out = ""
    for char in token:
        if cell_len(out + char) >= width:
            break
        out += char
    return out + "…"


def _cut_words(text: str, width: int) -> str:
    """Each piece of a word (see :func:`_atoms`) longer than ``width`` cut with an ellipsis."""
    return "\n".join(
        " ".join("".join(_cut(a, width) for a in _atoms(token)) for token in line.split(" "))
        for line in text.split("\n")
    )


# A word may break after a hyphen, dash or slash that follows a letter: "nissan-|renault-|2023",
# "Renault–|Geely–|Aramco", "kg:bods/|x/|renault"; never inside "2023-11-08".
_BREAK = re.compile(r"(?<=[^\W\d_][-\u2013/])")


def _atoms(word: str) -> list[str]:
    """The pieces a word may be wrapped into."""
    return [a for a in _BREAK.split(word) if a]


def _longest_word(text: str) -> int:
    return max((cell_len(a) for w in text.split() for a in _atoms(w)), default=0)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words (or after a
    hyphen inside one), a piece longer than the line cut with an ellipsis.

    >>> _wrap("doc:nissan-renault-2023 official", 12)
    ['doc:nissan-', 'renault-2023', 'official']
    >>> _wrap("(official, zawya-2024-12-02#1636-1790)", 21)
    ['(official, zawya-', '2024-12-02#1636-1790)']
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            joined = f"{line} {word}" if line else word
            if cell_len(joined) <= width:
                line = joined
                continue
            if line and cell_len(word) <= width:
                lines.append(line)
                line = word
                continue
            for i, atom in enumerate(_atoms(word)):  # too long alone: break after hyphens
                atom = _cut(atom, width)
                joined = (f"{line} {atom}" if i == 0 else line + atom) if line else atom
                if cell_len(joined) <= width:
                    line = joined
                else:
                    if line:
                        lines.append(line)
                    line = atom
        lines.append(line)
    return lines


def _widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _overhead(n: int) -> int:
    """Cells a table without edges adds to its columns: padding and separators."""
    return 3 * n - 3 if n else 0


def _fit(natural: list[int], floor: list[int], width: int) -> list[int] | None:
    """Column widths between ``floor`` and ``natural`` that fit ``width``, or None.

    The widest columns give way first: every column is capped at one common width (never
    below its floor), as high as the room allows; narrow columns keep their natural width.

    >>> _fit([10, 30], [5, 8], 40)
    [10, 27]
    >>> _fit([10, 30], [20, 20], 40) is None
    True
    """
    room = width - _overhead(len(natural))
    if sum(floor) > room:
        return None
    top = max(natural, default=0)
    while top > 0:
        widths = [max(f, min(n, top)) for n, f in zip(natural, floor, strict=True)]
        if sum(widths) <= room:
            break
        top -= 1
    else:
        widths = list(floor)
    spare = room - sum(widths)
    for i, n in enumerate(natural):
        if spare <= 0:
            break
        if widths[i] < n:
            widths[i] += 1
            spare -= 1
    return widths


def _console(file: IO[str] | None, width: int) -> Console:
    return Console(
        file=file or sys.stdout,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        color_system=None if os.environ.get("NO_COLOR") else "auto",
        legacy_windows=False,
    )


def _grid(headers: list[str], widths: list[int] | None, *, compact: bool) -> Table:
    grid = Table(show_edge=False, pad_edge=False)
    for i, header in enumerate(headers):
        grid.add_column(
            header,
            width=None if widths is None else widths[i],
            no_wrap=compact or widths is None,
            overflow="ellipsis" if compact else "fold",
        )
    return grid


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    details: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    verbatim: Sequence[str] = (),
    wide: bool = False,
    compact: bool = False,
    file: IO[str] | None = None,
    width: int | None = None,
) -> str:
    """Print ``rows`` (dicts) as a table of ``columns`` that fits the terminal.

    Values go through :func:`plain` (those of ``verbatim`` columns keep internal names,
    such as parameter names a user types). When the columns cannot all fit, those with one value
    in every row are said once above the table; when they still cannot, every row is
    printed as a record, one field a line, ``details`` included. ``wide`` prints the table
    with ``details`` at its natural width; ``compact`` keeps each row on one line (long
    values cut with an ellipsis, the last columns left out and named when they cannot fit).
    Returns the layout used: ``"table"``, ``"wide"``, ``"records"`` or ``"compact"``.
    """
    file = file or sys.stdout
    width = width or terminal_width()
    everything = [*columns, *(d for d in details if d not in columns)]
    headers = {c: words((headers or {}).get(c, c)).replace("_", " ") for c in everything}
    cells = {
        c: [str(row.get(c) or "") if c in verbatim else plain(row.get(c)) for row in rows]
        for c in everything
    }
    if wide:
        console = _console(file, 10**6)
        grid = _grid([headers[c] for c in everything], None, compact=True)
        for i in range(len(rows)):
            grid.add_row(*(cells[c][i] for c in everything))
        _print_trimmed(console, grid)
        return "wide"
    if compact:
        return _print_compact([[cells[c][i] for c in columns] for i in range(len(rows))],
                              list(columns), headers, file, width)  # fmt: skip
    clipped = {c: [_cut_words(v, _MAX_WORD) for v in cells[c]] for c in everything}

    def fit(shown: list[str]) -> list[int] | None:
        natural = [max([_widest_line(headers[c]), *map(_widest_line, clipped[c])]) for c in shown]
        floor = [
            max([1, _longest_word(headers[c]), *map(_longest_word, clipped[c])]) for c in shown
        ]
        return _fit(natural, floor, width)

    shown, said = list(columns), []
    widths = fit(shown)
    if widths is None and len(rows) > 1:
        said = [c for c in shown if len(set(cells[c])) == 1 and cells[c][0]]
        shown = [c for c in shown if c not in said]
        widths = fit(shown) if shown else None
    if widths is None:
        _print_records(
            [[cells[c][i] for c in everything] for i in range(len(rows))],
            everything,
            headers,
            file,
            width,
        )
        return "records"
    for c in said:
        file.write(f"{headers[c]}: {cells[c][0]} (every row)\n")
    console = _console(file, width)
    wrapped = [
        ["\n".join(_wrap(clipped[c][i], w)) for c, w in zip(shown, widths, strict=True)]
        for i in range(len(rows))
    ]
    plain_text = None
    if console.color_system is None:  # no styles to write: the same text, drawn directly
        plain_text = _plain_grid([headers[c] for c in shown], widths, wrapped)
    if plain_text is not None:
        console.file.write(plain_text)
        return "table"
    grid = _grid([headers[c] for c in shown], widths, compact=False)
    for cells_of_row in wrapped:
        grid.add_row(*cells_of_row)
    _print_trimmed(console, grid)
    return "table"


def _simple(line: str, width: int) -> bool:
    """A line rich would print as it is: printable one-cell characters, no edge spaces."""
    return (
        len(line) <= width
        and line == line.strip()
        and line.isprintable()
        and cell_len(line) == len(line)
    )


def _plain_grid(headers: list[str], widths: list[int], rows: list[list[str]]) -> str | None:
    """What :func:`_print_trimmed` prints of :func:`_grid`'s table of these pre-wrapped cells
    when no style is written, drawn without rich (thousands of rows in milliseconds);
    ``None`` when a cell or header is not simple enough to be sure of rich's drawing.

    >>> print(_plain_grid(["holder", "target"], [6, 8], [["Hub\\nMotors", "Zen"]]), end="")
    holder ┃ target
    ━━━━━━━╇━━━━━━━━━
    Hub    │ Zen
    Motors │
    """
    if not headers or any(not _simple(h, w) for h, w in zip(headers, widths, strict=True)):
        return None
    last = len(widths) - 1

    def line(cells: list[str], bar: str) -> str:
        parts = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            parts.append(
                (" " if i else "") + cell + " " * (w - len(cell)) + (" " if i < last else "")
            )
        return bar.join(parts).rstrip()

    out = [
        line(headers, "┃"),
        "╇".join("━" * (w + (i > 0) + (i < last)) for i, w in enumerate(widths)),
    ]
    for row in rows:
        split = [cell.split("\n") if cell else [""] for cell in row]
        for cell_lines, w in zip(split, widths, strict=True):
            if any(not _simple(x, w) for x in cell_lines if x):
                return None
        height = max(len(x) for x in split)
        for k in range(height):
            out.append(line([x[k] if k < len(x) else "" for x in split], "│"))
    return "\n".join(out) + "\n"


def _print_trimmed(console: Console, renderable: Any) -> None:
    """Print at the console's width with trailing spaces taken off each line."""
    with console.capture() as captured:
        console.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    console.file.write(text + "\n")


def _print_compact(
    cells: list[list[str]],
    columns: list[str],
    headers: Mapping[str, str],
    file: IO[str] | None,
    width: int,
) -> str:
    keep = list(range(len(columns)))
    while True:
        natural = [
            max([cell_len(headers[columns[i]])] + [_widest_line(line[i]) for line in cells])
            for i in keep
        ]
        floor = [
            min(n, max(_COMPACT_FLOOR, cell_len(headers[columns[i]])))
            for n, i in zip(natural, keep, strict=True)
        ]
        widths = _fit(natural, floor, width)
        if widths is not None or len(keep) == 1:
            break
        keep.pop()
    widths = widths or [max(1, width - 2)]
    console = _console(file, width)
    grid = _grid([headers[columns[i]] for i in keep], widths, compact=True)
    for line in cells:
        grid.add_row(*(" ".join(line[i].split()) for i in keep))
    _print_trimmed(console, grid)
    left_out = [headers[c] for i, c in enumerate(columns) if i not in keep]
    if left_out:
        console.file.write(f"(not shown here: {', '.join(left_out)})\n")
    return "compact"


def _print_records(
    cells: list[list[str]],
    columns: list[str],
    headers: Mapping[str, str],
    file: IO[str] | None,
    width: int,
) -> None:
    """One field a line, a blank line between rows; empty fields left out."""
    file = file or sys.stdout
    label_width = max(cell_len(headers[c]) for c in columns)
    value_width = max(8, width - label_width - 2)
    blocks = []
    for line in cells:
        out = []
        for column, value in zip(columns, line, strict=True):
            if not value:
                continue
            label = headers[column] + " " * (label_width - cell_len(headers[column]))
            for i, text in enumerate(_wrap(value, value_width)):
                out.append(f"{label if i == 0 else ' ' * label_width}  {text}".rstrip())
        blocks.append("\n".join(out))
    file.write("\n\n".join(blocks) + ("\n" if blocks else ""))


def table_columns(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The columns of a query result a table shows: all but those wholly empty, and
    but an IRI column that a ``<column>_label`` column shows by name.

    >>> table_columns(["holder_label", "share", "holder", "claim"],
    ...               [{"holder_label": "Renault", "share": None, "holder": "kg:renault",
    ...                 "claim": "claim:x"}])
    ['holder_label', 'claim']
    """
    present = [c for c in columns if any(r.get(c) is not None for r in rows)]
    return [c for c in present if f"{c}_label" not in present] or list(columns)


def _label_headers(columns: Sequence[str]) -> dict[str, str]:
    """``holder_label`` is headed "holder" when the table shows no ``holder`` column."""
    return {
        c: c[: -len("_label")] if c.endswith("_label") and c[: -len("_label")] not in columns else c
        for c in columns
    }


def print_rows(
    result: Any,
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    wide: bool = False,
    compact: bool = False,
    file: IO[str] | None = None,
) -> None:
    """Print a query's answer: a :class:`~automaker_kg.queries.Rows`, or an ASK's bool.

    ``fmt`` is ``table`` (with a row count) or a W3C results format (every column).
    """
    file = file or sys.stdout
    if isinstance(result, bool):
        file.write("true\n" if result else "false\n")
        return
    if fmt in ("csv", "tsv", "json"):
        file.write(result.serialize(fmt))
        return
    if fmt != "table":
        raise UnknownNameError("format", fmt, list(RESULT_FORMATS))
    rows = result.cells()  # the terms as read: a store's are never made rdflib's
    shown = list(columns) if columns is not None else table_columns(result.columns, rows)
    print_table(rows, shown, headers=_label_headers(shown), wide=wide, compact=compact, file=file)
    file.write(f"{len(rows)} row{'s' if len(rows) != 1 else ''}\n")


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    table: Sequence[str] | None = None,
    wide: bool = False,
    file: IO[str] | None = None,
) -> None:
    """Print plain rows (dicts) as a table (the ``table`` columns), CSV or JSON (all)."""
    file = file or sys.stdout
    if fmt not in OUTPUT_FORMATS:
        raise UnknownNameError("format", fmt, list(OUTPUT_FORMATS))
    if fmt == "json":
        data = [{c: row.get(c) for c in columns} for row in rows]
        file.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if row.get(c) is None else row[c] for c in columns] for row in rows])
    else:
        shown = list(table or columns)
        shown += [c for c in columns if c not in shown and any(_holds_iri(r.get(c)) for r in rows)]
        print_table(rows, shown, wide=wide, file=file)


def _holds_iri(value: Any) -> bool:
    """An IRI (or IRIs) a table must show, never leave out."""
    if isinstance(value, list | tuple):
        return any(_holds_iri(v) for v in value)
    return isinstance(value, _rdflib()[0] | ox.NamedNode) or (
        isinstance(value, str) and _IRI.search(value) is not None
    )
