"""Tables for people (renderers.py): fit the width, break no word, show every IRI short."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from automaker_kg.renderers import _atoms, _wrap, emit, plain, print_table

KG = "https://w3id.org/automaker-kg/id/"
ROWS = [
    {"holder": "Renault", "interest": "voting_rights", "share": 15.0, "claim": KG + "claim/a-b"},
    {"holder": "Renault", "interest": "shareholding", "share": 43.4, "claim": KG + "claim/c-d"},
]

word = st.text(alphabet="abcdefghij-–/", min_size=1, max_size=12)


@given(st.lists(word, min_size=1, max_size=12), st.integers(min_value=12, max_value=40))
def test_wrapped_lines_fit_and_keep_every_character(words, width):
    """Lines never exceed the width, and reading them back gives the text (no word lost)."""
    text = " ".join(words)
    lines = _wrap(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


@given(word)
def test_a_word_is_only_split_after_a_hyphen_dash_or_slash_that_follows_a_letter(w):
    pieces = _atoms(w)
    assert "".join(pieces) == w
    for piece in pieces[:-1]:
        assert piece[-1] in "-–/" and len(piece) > 1 and piece[-2].isalpha()


def table(rows, columns, width, **options) -> tuple[str, str]:
    out = io.StringIO()
    layout = print_table(rows, columns, file=out, width=width, **options)
    return layout, out.getvalue()


def test_a_table_that_fits_shows_short_iris_and_words():
    layout, text = table(ROWS, ["holder", "interest", "share", "claim"], 100)
    assert layout == "table"
    assert "claim:a-b" in text and KG not in text
    assert "voting rights" in text and "voting_rights" not in text


def test_too_narrow_a_table_becomes_records_with_every_field():
    layout, text = table(ROWS, ["holder", "interest", "share", "claim"], 24)
    assert layout == "records"
    assert all(len(line) <= 24 for line in text.splitlines())
    fields = [line.split()[0] for line in text.splitlines() if line]
    assert fields.count("claim") == 2 and "claim:a-b" in text and "claim:c-d" in text


def test_a_value_in_every_row_is_said_once_when_room_is_short():
    layout, text = table(ROWS, ["holder", "interest", "share", "claim"], 35)
    assert layout == "table"
    assert text.splitlines()[0] == "holder: Renault (every row)"


def test_wide_prints_one_line_a_row_with_the_details():
    layout, text = table(ROWS, ["holder"], 20, details=["claim"], wide=True)
    assert layout == "wide" and len(text.splitlines()) == 4
    assert "claim:c-d" in text


def test_emit_never_leaves_out_a_column_of_iris():
    out = io.StringIO()
    emit(ROWS, ["holder", "share", "claim"], "table", table=["holder", "share"], file=out)
    assert "claim:a-b" in out.getvalue()


def test_plain_values():
    assert plain([KG + "nissan", KG + "renault"]) == "kg:nissan kg:renault"
    assert plain(f"{KG}document/x#1-2 {KG}document/y#3-4") == "doc:x#1-2 doc:y#3-4"
    assert plain("operational_engagement") == "operational engagement"


@settings(max_examples=200, deadline=None)
@given(data=st.data(), extra=st.lists(st.integers(0, 3), min_size=1, max_size=5))
def test_tables_drawn_directly_are_richs_tables(data, extra):
    """_plain_grid draws exactly what rich prints of the same grid (or declines)."""
    import io

    from automaker_kg.renderers import _console, _grid, _plain_grid, _print_trimmed

    words = st.text(alphabet="abcXYZ09-:#().é ", min_size=1, max_size=14)
    headers = [data.draw(words) for _ in extra]
    rows = [
        ["\n".join(data.draw(st.lists(words, max_size=3))) for _ in extra]
        for _ in range(data.draw(st.integers(0, 4)))
    ]
    longest = [
        max([len(headers[i])] + [len(x) for row in rows for x in row[i].split("\n")])
        for i in range(len(extra))
    ]
    widths = [n + e for n, e in zip(longest, extra, strict=True)]
    drawn = _plain_grid(headers, widths, rows)
    if drawn is None:
        return
    buffer = io.StringIO()
    grid = _grid(headers, widths, compact=False)
    for row in rows:
        grid.add_row(*row)
    _print_trimmed(_console(buffer, 200), grid)
    assert drawn == buffer.getvalue()


XSD = "http://www.w3.org/2001/XMLSchema#"
lexical = st.one_of(
    st.from_regex(r"[+-]?[0-9]{1,5}(\.[0-9]{0,3})?", fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(Z)?", fullmatch=True),
    st.sampled_from(["true", "false", "1", "0", ".5", "1e3", "NaN", "INF", " 7", "٣", "abc", ""]),
    st.text(max_size=8),
)


@settings(max_examples=300)
@given(
    lexical,
    st.sampled_from(["integer", "decimal", "date", "boolean", "double", "gYear", "string", None]),
)
def test_a_table_shows_oxigraphs_literal_as_rdflibs(text, datatype):
    """A literal read from the store prints as the rdflib term made of it prints (the
    canonical numbers, dates and booleans read without rdflib, the rest by rdflib)."""
    import logging

    import pyoxigraph as ox

    from automaker_kg.terms import from_oxigraph

    logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # ill-typed: both say nothing
    if datatype is None:
        term = ox.Literal(text, language="en")
    else:
        term = ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))
    assert plain(term) == plain(from_oxigraph(term))
