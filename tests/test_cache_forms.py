"""The cache's name forms: each folded name's first spelling and last entity's label."""

import contextlib
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from automaker_kg.cache import _SCHEMA, _write_names
from automaker_kg.names import Candidate, norm

# few letters, cases and dashes: many names fold together
_NAME = st.text(alphabet="aAbB- ", max_size=4)


def _forms_in_memory(candidates: list[Candidate]) -> list[tuple[str, str, str]]:
    """The forms as a dict of every folded name gives them (the reference)."""
    forms: dict[str, list[str]] = {}
    for c in candidates:
        for x in c.names():
            if x:
                form = forms.setdefault(norm(x), [x, c.label])
                form[1] = c.label
    return [(k, first, label) for k, (first, label) in forms.items()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NAME, st.lists(_NAME, max_size=3)), max_size=12))
def test_forms_are_those_of_a_dict_of_every_name(entities):
    """Row for row (and in order) what a dict of every folded name gives."""
    candidates = [
        Candidate(f"urn:e{n}", label, tuple(aliases), (f"urn:e{n}",))
        for n, (label, aliases) in enumerate(entities)
    ]
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        db.executescript(_SCHEMA)
        _write_names(db, iter(candidates))
        got = db.execute("SELECT key, first, label FROM name_forms ORDER BY rowid").fetchall()
        assert got == _forms_in_memory(candidates)
        assert db.execute("SELECT count(*) FROM sqlite_temp_master").fetchone() == (0,)


def test_forms_keep_the_first_spelling_and_the_last_label():
    """A name folded alike in two entities: the first spelling, the second's label."""
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        db.executescript(_SCHEMA)
        _write_names(
            db, [Candidate("urn:a", "Nissan Motor", ("NISSAN",)), Candidate("urn:b", "nissan")]
        )
        rows = db.execute("SELECT key, first, label FROM name_forms ORDER BY rowid").fetchall()
        assert rows == [
            ("nissan motor", "Nissan Motor", "Nissan Motor"),
            ("nissan", "NISSAN", "nissan"),
        ]
