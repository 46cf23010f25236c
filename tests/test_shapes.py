"""Data-driven SHACL cases: tests/shapes/{valid,invalid}/*.ttl, expected rule in the header."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from rdflib import Graph

from automaker_kg.paths import ontology_dir
from automaker_kg.validate import validate

CASES = Path(__file__).parent / "shapes"
VALID = sorted((CASES / "valid").glob("*.ttl"))
INVALID = sorted((CASES / "invalid").glob("*.ttl"))


def expected(path: Path) -> str:
    match = re.search(r"^# expect: (\S+)", path.read_text(encoding="utf-8"), re.M)
    assert match, f"{path.name}: no '# expect: <rule>' header"
    return match.group(1)


@functools.cache
def _ontology() -> Graph:
    """The ontology and taxonomy, parsed once (never changed: each case gets a copy)."""
    graph = Graph()
    for name in ("automaker.ttl", "taxonomy.ttl"):
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


def with_ontology(path: Path) -> Graph:
    """A new graph of the ontology, the taxonomy and the case at ``path`` (the same triples
    and prefixes as parsing the three files into it)."""
    ontology = _ontology()
    graph = Graph()
    for prefix, namespace in ontology.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph += ontology
    return graph.parse(path, format="turtle")


def test_there_are_cases():
    """Both folders hold cases, so the parametrised tests below cannot pass vacuously."""
    assert len(VALID) >= 5 and len(INVALID) >= 20


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_case_conforms(path: Path):
    """A valid case has no violations."""
    assert expected(path) == "conforms"
    assert [str(v) for v in validate(with_ontology(path))] == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_case_breaks_its_rule(path: Path):
    """An invalid case breaks the rule its header names."""
    rule = expected(path)
    violations = validate(with_ontology(path))
    assert rule in {v.rule for v in violations}, [str(v) for v in violations]
