"""The SKOS technology taxonomy (ontology/taxonomy.ttl): well formed, and it knows the
technologies the source briefs name by the names they use."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from automaker_kg.namespaces import AKG, TECH

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def taxonomy() -> Graph:
    return Graph().parse(ROOT / "ontology" / "taxonomy.ttl", format="turtle")


def _technologies(g: Graph) -> set:
    return set(g.subjects(RDF.type, AKG.Technology))


def test_every_technology_is_labelled_defined_and_placed(taxonomy):
    """Each concept has one English preferred label, a definition, and is a top concept or
    has a broader concept that is itself in the taxonomy."""
    techs = _technologies(taxonomy)
    assert len(techs) >= 25
    for t in techs:
        assert (t, SKOS.inScheme, AKG.TechnologyScheme) in taxonomy, t
        assert len(list(taxonomy.objects(t, SKOS.prefLabel))) == 1, t
        assert taxonomy.value(t, RDFS.label) is not None, t
        assert taxonomy.value(t, SKOS.definition) is not None, t
        broader = set(taxonomy.objects(t, SKOS.broader))
        top = (t, SKOS.topConceptOf, AKG.TechnologyScheme) in taxonomy
        assert top != bool(broader), t  # a top concept has no broader one, others have one
        assert broader <= techs, t


def test_broader_links_reach_a_top_concept_without_cycles(taxonomy):
    """Following skos:broader from any concept ends at top concepts, never looping."""
    for t in _technologies(taxonomy):
        seen, frontier = {t}, {t}
        while frontier:
            nxt = {b for f in frontier for b in taxonomy.objects(f, SKOS.broader)}
            assert not (nxt & {t}), f"cycle through {t}"
            frontier = nxt - seen
            seen |= nxt
        assert any((s, SKOS.topConceptOf, AKG.TechnologyScheme) in taxonomy for s in seen), t


def test_no_name_points_at_two_technologies(taxonomy):
    """A label or alternative label (case aside) names one technology only."""
    owner: dict[str, set] = {}
    for t in _technologies(taxonomy):
        for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
            for name in taxonomy.objects(t, p):
                owner.setdefault(str(name).casefold(), set()).add(t)
    assert {n: o for n, o in owner.items() if len(o) > 1} == {}


BRIEF_NAMES = [
    # (the name as a brief writes it, the concept, a broader concept it must sit under)
    ("all-solid-state batteries", "all-solid-state-battery", "solid-state-battery"),
    ("lithium-metal anode", "lithium-metal-battery", "battery"),
    ("solid ceramic separator", "ceramic-separator", "solid-state-battery"),
    ("lithium sulfide", "lithium-sulphide", "battery"),
    ("e-axles", "e-axle", "powertrain"),
    ("SDV", "software-defined-vehicle", "software"),
    ("software-defined vehicles", "software-defined-vehicle", "vehicle-platform"),
    ("E/E architecture", "electrical-architecture", "vehicle-platform"),
    ("fuel cell", "hydrogen-fuel-cell", "powertrain"),
    ("Blade batteries", "blade-battery", "battery"),
    ("EV architecture", "ev-platform", "electric-vehicle"),
    ("ADAS", "driver-assistance", "software"),
]


@pytest.mark.parametrize("name,concept,ancestor", BRIEF_NAMES, ids=[b[0] for b in BRIEF_NAMES])
def test_brief_names_find_their_concept_under_the_right_branch(taxonomy, name, concept, ancestor):
    """The name a brief uses is a label of the concept, which sits under the branch."""
    found = {
        t
        for t in _technologies(taxonomy)
        for p in (SKOS.prefLabel, SKOS.altLabel)
        for n in taxonomy.objects(t, p)
        if str(n).casefold() == name.casefold()
    }
    assert found == {TECH[concept]}
    above = set(taxonomy.transitive_objects(TECH[concept], SKOS.broader))
    assert TECH[ancestor] in above
