"""A store's name candidates staged on disk are those read into memory."""

import pyoxigraph as ox
import pytest

from automaker_kg.build import load_store
from automaker_kg.queries import iter_name_candidates, name_scans

_AKG = "https://w3id.org/automaker-kg/ontology#"
_KG = "https://w3id.org/automaker-kg/id/"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _in_memory(store):
    """The candidates from every entity's names read into dicts (the reference)."""
    return list(iter_name_candidates(store, scans=name_scans(store)))


@pytest.fixture(scope="module")
def shipped():
    return load_store()


def test_shipped_graph_candidates_are_the_same(shipped):
    """Every entity of the shipped graph, in the same order with the same names."""
    staged = list(iter_name_candidates(shipped))
    assert len(staged) > 100
    assert staged == _in_memory(shipped)


def test_several_classes_duplicate_names_and_other_subjects():
    """An entity of two classes has each name twice; a claim's label and a blank node's
    names are no candidates; an entity known by an alias only is labelled by it."""
    store = ox.Store()
    a, b, claim = (ox.NamedNode(_KG + n) for n in ("a", "gleif/b", "claim"))
    label, pref, alt = (
        ox.NamedNode(p) for p in (_RDFS + "label", _SKOS + "prefLabel", _SKOS + "altLabel")
    )
    add = store.add
    add(ox.Quad(a, _TYPE, ox.NamedNode(_AKG + "Company")))
    add(ox.Quad(a, _TYPE, ox.NamedNode(_AKG + "Person")))  # two entity classes
    add(ox.Quad(a, label, ox.Literal("Alpha")))
    add(ox.Quad(a, label, ox.Literal("Alpha Motors", language="en")))
    add(ox.Quad(a, alt, ox.Literal("ALPHA")))
    add(ox.Quad(b, _TYPE, ox.NamedNode(_AKG + "Company")))
    add(ox.Quad(b, pref, ox.Literal("Beta", language="de")))
    add(ox.Quad(claim, _TYPE, ox.NamedNode(_AKG + "EquityStake")))
    add(ox.Quad(claim, label, ox.Literal("Alpha in Beta")))
    blank = ox.BlankNode()
    add(ox.Quad(blank, _TYPE, ox.NamedNode(_AKG + "Company")))
    add(ox.Quad(blank, label, ox.Literal("Nobody")))
    staged = list(iter_name_candidates(store))
    assert staged == _in_memory(store)
    assert [(str(c.key), c.label, c.aliases) for c in staged] == [
        (_KG + "a", "Alpha", ("Alpha Motors", "Alpha Motors", "ALPHA")),
        (_KG + "gleif/b", "Beta", ()),
    ]


def test_a_stage_read_once_gives_the_scans_and_the_candidates():
    """One stage of a store's names gives :func:`name_scans`' rows of any subjects (a
    number's plain text and its resolver text told apart) and the candidates a stage of
    their own gives, and a projection that takes its nodes' names from it is the same."""
    from automaker_kg.projections import gather
    from automaker_kg.queries import NameStage

    store = load_store()
    a = ox.NamedNode(_KG + "a")
    store.add(ox.Quad(a, _TYPE, ox.NamedNode(_AKG + "Company")))
    boolean = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    store.add(ox.Quad(a, ox.NamedNode(_RDFS + "label"), ox.Literal("true", datatype=boolean)))
    some = {_KG + "a", _KG + "nissan", _KG + "toyota", _KG + "nobody"}
    with NameStage(store) as stage:
        assert stage.scans(some) == name_scans(store, some)
        label = stage.scans({_KG + "a"})[_RDFS + "label"]
        assert label == [(_KG + "a", 0, "True", "true")]
        assert stage.scans(set()) == {prop: [] for prop in name_scans(store, set())}
        assert list(iter_name_candidates(store, stage=stage)) == list(iter_name_candidates(store))
        assert gather(store, names=stage.scans) == gather(store)
