"""SPARQL syntax errors in words: each case through Oxigraph's real parser, then explain()."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from automaker_kg.query_errors import explain
from automaker_kg.webpages import project_prefixes

PREFIXES = project_prefixes()
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def parser_message(query: str) -> str:
    """What Oxigraph says of ``query`` (which must not parse)."""
    with pytest.raises(SyntaxError) as caught:
        ox.Store().query(query)
    return str(caught.value)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("SELECT * WHERE { ?s foo:p ?o }", "line 1, column 21: unknown prefix 'foo:'"),
        ("SELECT * WHERE { ?s akgg:p ?o }", "unknown prefix 'akgg:' (did you mean akg:?)"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o > 3 }", "'(' is never closed: a ')' is missing"),
        ("SELECT * WHERE { ?s ?p ?o } }", "line 1, column 29: '}' closes nothing"),
        ("SELEC * WHERE {}", "line 1, column 1: unknown keyword 'SELEC' (did you mean SELECT?)"),
        ("SELECT * WHERE { ?s ?p ?o } LIMT 5", "unknown keyword 'LIMT' (did you mean LIMIT?)"),
        ("SELECT <oops", "line 1, column 8: the IRI '<oops' is never closed"),
        ("SELECT ?x WHERE { ?x ?p }", "line 1, column 25: unexpected '}'"),
    ],
)
def test_parser_errors_are_said_in_words(query: str, said: str) -> None:
    """Each malformed query gets its position and a short reason, not character classes."""
    text = str(explain(parser_message(query), query, PREFIXES))
    assert said in text
    assert "[" not in text and "\\u{" not in text and len(text) < 200


def test_prefix_known_but_undeclared_says_so() -> None:
    """A known prefix the query itself lacks (outside the server) is named as undeclared."""
    query = "SELECT * WHERE { ?s a akg:Automaker }"
    text = explain(parser_message(query), query, PREFIXES).words
    assert text == "the prefix 'akg:' is not declared here: add PREFIX akg: <...>"


def test_messages_without_a_position_pass_through() -> None:
    """A message that is not a parser position (a timeout, say) is kept as it is."""
    e = explain("the query ran past 10 s", "SELECT * {}")
    assert (e.line, e.column, str(e)) == (0, 0, "the query ran past 10 s")


@given(st.text(alphabet="SELCTWHR?{}()<>:.;'\" \nabcxyz#", max_size=60))
def test_any_malformed_text_gets_a_short_answer(text: str) -> None:
    """Whatever is typed, the answer is short, positioned inside the text and never raises."""
    try:
        ox.Store().query(PROLOGUE + text)
    except SyntaxError as error:
        e = explain(str(error), PROLOGUE + text, PREFIXES)
        assert 1 <= e.line <= (PROLOGUE + text).count("\n") + 1
        assert e.column >= 1 and len(e.words) < 200 and "\\u{" not in e.words
    except (OSError, RuntimeError, ValueError):  # parses but fails to run: not our case
        pass
