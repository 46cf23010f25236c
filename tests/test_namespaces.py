"""The closed AKG namespace matches the ontology, and the prefix table is bound everywhere."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from rdflib import Graph

from automaker_kg.namespaces import AKG, PREFIXES, bind_prefixes, sparql_prologue

ROOT = Path(__file__).resolve().parent.parent


def _sync_module():
    spec = importlib.util.spec_from_file_location("sync", ROOT / "scripts" / "sync_namespace.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_akg_holds_exactly_the_ontology_terms():
    """Run scripts/sync_namespace.py when this fails: the ontology and AKG have drifted."""
    declared = set(AKG.__annotations__)
    assert declared == set(_sync_module().ontology_terms())


def test_a_typo_raises_instead_of_minting_an_iri():
    with pytest.raises(AttributeError):
        AKG.EquityStak  # noqa: B018


def test_every_term_has_a_label_and_a_comment():
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        if path.name != "shapes.ttl":
            graph.parse(path)
    from rdflib.namespace import RDFS, SKOS

    for term in AKG.__annotations__:
        iri = AKG[term]
        label = graph.value(iri, RDFS.label) or graph.value(iri, SKOS.prefLabel)
        comment = graph.value(iri, RDFS.comment) or graph.value(iri, SKOS.definition)
        assert label is not None and comment is not None, term


def test_prefix_table_is_bound_and_declared_for_queries():
    graph = bind_prefixes(Graph())
    bound = dict(graph.namespaces())
    for prefix, namespace in PREFIXES.items():
        assert str(bound[prefix]) == str(namespace)
        assert f"PREFIX {prefix}: <{namespace}>" in sparql_prologue()


def test_alignments_name_external_terms_without_importing_them():
    """ontology/alignments.ttl maps akg terms to FIBO, BODS and Wikidata; it imports nothing."""
    from rdflib.namespace import OWL, SKOS

    graph = Graph().parse(ROOT / "ontology" / "alignments.ttl")
    assert not list(graph.objects(None, OWL.imports))
    targets = {str(o) for o in graph.objects(None, SKOS.closeMatch)}
    for prefix in (
        "https://spec.edmcouncil.org/fibo/",
        "https://standard.openownership.org/terms#",
        "http://www.wikidata.org/entity/",
    ):
        assert any(t.startswith(prefix) for t in targets), prefix
    akg = str(AKG._NS)
    subjects = {str(s) for s in graph.subjects() if not str(s).endswith("/alignments")}
    assert subjects and all(s.startswith(akg) for s in subjects)
    assert {s[len(akg) :] for s in subjects} <= set(AKG.__annotations__)


def test_the_plain_prefix_table_is_the_rdflib_one():
    """prefixes.NAMESPACES (read without rdflib) is PREFIXES, in the same order."""
    from automaker_kg.prefixes import NAMESPACES

    assert list(NAMESPACES.items()) == [(p, str(ns)) for p, ns in PREFIXES.items()]
