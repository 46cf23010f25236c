"""The seed graph alone (ontology + entities + seed article facts), for exact-answer tests.

Later sources add facts to graph/; tests that assert the seed article's answers exactly run
on this subset so that they keep meaning what they say.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from automaker_kg.projections import timeline_ntriples

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_ARTICLE = SHARED / "seed" / "nissan-renault-2023.txt"
SEED_TTL = ROOT / "graph" / "seed" / "nissan-renault-2023.ttl"


def seed_files() -> list[Path]:
    ontology = sorted(p for p in (ROOT / "ontology").glob("*.ttl") if p.name != "shapes.ttl")
    return [*ontology, ROOT / "graph" / "entities.ttl", SEED_TTL]


TIMELINE = "urn:test:timeline"


def seed_dataset() -> rdflib.Dataset:
    """The seed's files, one named graph each, and the timeline graph the build derives."""
    dataset = rdflib.Dataset(default_union=True)
    for path in seed_files():
        dataset.graph(rdflib.URIRef(f"urn:test:{path.name}")).parse(path, format="turtle")
    timeline = timeline_ntriples(dataset)
    if timeline:
        dataset.graph(rdflib.URIRef(TIMELINE)).parse(data=timeline, format="nt")
    return dataset


def seed_store() -> ox.Store:
    store = ox.Store()
    for path in seed_files():
        store.load(
            path=str(path),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(f"urn:test:{path.name}"),
        )
    timeline = timeline_ntriples(store)
    if timeline:
        store.load(timeline, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(TIMELINE))
    return store
