"""The shapes as SPARQL on Oxigraph agree with pySHACL on every case of tests/shapes/."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from automaker_kg.errors import ValidationError
from automaker_kg.validate import validate, validate_store
from test_shapes import INVALID, VALID, with_ontology

CASES = VALID + INVALID


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_sparql_engine_agrees_with_pyshacl(path: Path):
    """Same violations (focus, rule, message) from both engines, including nested ones."""
    data = with_ontology(path)
    reference = [str(v) for v in validate(data, engine="pyshacl")]
    assert [str(v) for v in validate(data, engine="sparql")] == reference


def test_invalid_cases_are_caught_by_the_sparql_engine():
    """The comparison above cannot pass vacuously: every invalid case fails under SPARQL."""
    for path in INVALID:
        assert validate(with_ontology(path), engine="sparql"), path.name


def test_validate_store_names_the_file_from_the_named_graph(tmp_path):
    """On a store, a violation names the file whose named graph types the focus node."""
    from automaker_kg.build import build

    data = tmp_path / "data"
    (data / "ontology").mkdir(parents=True)
    (data / "graph").mkdir()
    root = Path(__file__).resolve().parent.parent
    for f in (root / "ontology").glob("*.ttl"):
        (data / "ontology" / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    bad = INVALID[[p.stem for p in INVALID].index("share-negative")]
    (data / "graph" / "bad.ttl").write_text(bad.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        build(tmp_path / "store", data_dir=data, bulk_bytes=0)  # every file the bulk way
    assert any(
        v.rule == "ShareExactRange" and v.source_file == "graph/bad.ttl"
        for v in info.value.violations
    ), [str(v) for v in info.value.violations]
    assert not (tmp_path / "store" / "current").exists()  # nothing swapped in


def test_empty_store_conforms():
    """An empty store has nothing to break."""
    assert validate_store(pyoxigraph.Store()) == []
