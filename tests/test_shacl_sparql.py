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


OR_OF_CLASSES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <urn:ex:> .
ex:S a sh:NodeShape ; sh:targetClass ex:T ;
    sh:property [ sh:path ex:p ; sh:name "P" ; sh:message "p is an A or a B" ;
                  sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] ) ] .
"""
OR_OF_CLASSES_DATA = """
@prefix ex: <urn:ex:> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Bsub rdfs:subClassOf ex:B .
ex:ok1 a ex:T ; ex:p ex:a .        ex:a a ex:A .
ex:ok2 a ex:T ; ex:p ex:b .        ex:b a ex:Bsub .
ex:ok3 a ex:T ; ex:p ex:ab .       ex:ab a ex:C , ex:B .
ex:bad1 a ex:T ; ex:p ex:c .       ex:c a ex:C .
ex:bad2 a ex:T ; ex:p ex:nothing .
ex:bad3 a ex:T ; ex:p "a literal" .
ex:bad4 a ex:T ; ex:p ex:a , ex:c .
"""


def test_an_or_of_classes_agrees_with_pyshacl():
    """``sh:or`` of ``[ sh:class C ]`` members, checked as one test of their classes
    together: a value of a subclass or with one type of the list conforms; an untyped value,
    a literal, a value of another class fails; both engines find the same failures (``urn:``
    IRIs, which each engine shortens its own way, written alike)."""
    from rdflib import Graph

    shapes = Graph().parse(data=OR_OF_CLASSES, format="turtle")
    data = Graph().parse(data=OR_OF_CLASSES_DATA, format="turtle")

    def seen(engine: str) -> list[tuple[str, str, str]]:
        found = validate(data, shapes=shapes, engine=engine)
        return sorted(
            (v.focus.rsplit(":", 1)[-1], v.rule, v.message.replace("urn:ex:", "ex:")) for v in found
        )

    assert seen("sparql") == seen("pyshacl")
    assert [focus for focus, _, _ in seen("sparql")] == ["bad1", "bad2", "bad3", "bad4"]
