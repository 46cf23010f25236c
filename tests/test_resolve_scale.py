"""Entity resolution at scale: bulk-loaded imports merge with other sources by identifier."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, URIRef

from automaker_kg.bench.gleif_generator import generate_gleif
from automaker_kg.build import build
from automaker_kg.namespaces import GRAPH, KG
from automaker_kg.resolve import name_key, resolve
from automaker_kg.sources.gleif_stream import iter_gleif
from automaker_kg.sources.runner import import_files
from conftest import ROOT


def test_companies_house_number_from_gleif_matches_gb_coh():
    """GLEIF's RA000585 (Companies House) number and a UK register's GB-COH are one key."""
    prologue = (
        "@prefix akg: <https://w3id.org/automaker-kg/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix kg: <https://w3id.org/automaker-kg/id/> .\n"
    )
    onto = Graph().parse(ROOT / "ontology" / "automaker.ttl")
    lei = Graph().parse(
        data=prologue + 'kg:lei-x a akg:Company ; rdfs:label "LEI 213800AAAAAAAAAAAA00" ; '
        'dcterms:identifier "RA000585:07640868" .',
        format="turtle",
    )
    bods = Graph().parse(
        data=prologue + 'kg:bods-x a akg:Company ; rdfs:label "Hornsea 1 Limited" ; '
        'dcterms:identifier "GB-COH:07640868" .',
        format="turtle",
    )
    result = resolve(
        [
            ("ontology/automaker.ttl", onto),
            ("graph/imports/a.ttl", lei),
            ("graph/imports/b.ttl", bods),
        ]
    )
    assert len(result.canonical) == 1
    assert name_key("Hornsea 1 Limited") is not None


@pytest.fixture(scope="module")
def bulk_build(tmp_path_factory) -> tuple[Path, str]:
    """A data folder with a curated company carrying the LEI of a generated GLEIF entity, and
    the generated Level 1 and Level 2 files streamed in and loaded by the bulk path."""
    base = tmp_path_factory.mktemp("scale")
    generate_gleif(base / "gleif", 3000, seed=5)
    lei = next(iter_gleif(base / "gleif" / "rr.xml")).data["Relationship"]["StartNode"]["NodeID"]
    data = base / "data"
    (data / "graph").mkdir(parents=True)
    shutil.copytree(ROOT / "ontology", data / "ontology")
    (data / "graph" / "acme.ttl").write_text(
        "@prefix akg: <https://w3id.org/automaker-kg/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix kg: <https://w3id.org/automaker-kg/id/> .\n"
        f'kg:acme a akg:Automaker ; rdfs:label "Acme Motor" ; dcterms:identifier "XI-LEI:{lei}" .\n'
    )
    files = [base / "gleif" / "lei.xml", base / "gleif" / "rr.xml"]
    import_files("gleif", files, graph_dir=data / "graph", stream_bytes=0)
    build(base / "store", data_dir=data, bulk_bytes=1_500_000)
    return base / "store", lei


def _store(path: Path) -> pyoxigraph.Store:
    from automaker_kg.store import open_store

    return open_store(path)


def test_bulk_entity_merges_into_the_curated_one(bulk_build):
    """The GLEIF entity with the curated company's LEI is rewritten to the curated IRI in the
    bulk graphs: its claims name kg:acme, its own IRI is gone, and the merge is recorded."""
    from automaker_kg.queries import select
    from automaker_kg.store import open_store

    store_path, lei = bulk_build
    store = open_store(store_path)
    gleif = str(KG[f"lei/{lei}"])
    left = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{gleif}> ?p ?o }}")
    assert int(str(left[0]["n"])) == 0
    children = select(
        store,
        "SELECT ?claim WHERE { ?claim a akg:ConsolidationRelation ; akg:child kg:acme }",
    )
    assert children
    same = select(
        store,
        f"SELECT ?c WHERE {{ GRAPH <{GRAPH['resolution']}> {{ ?c owl:sameAs <{gleif}> }} }}",
    )
    assert [str(r["c"]) for r in same] == [str(KG["acme"])]


def test_store_resolution_merges_across_bulk_graphs_and_keeps_links():
    """In the store: an LEI entity, a register entity with its Companies House number and a
    Wikidata item with its LEI become one node (the GLEIF IRI, by rank), each merge recorded
    with the identifier that matched; a link between two merged entities ends on the
    canonical node at both ends; an entity sharing nothing is untouched."""
    from automaker_kg.resolve import Resolution, resolve_store

    lei, other = "529900AAAAAAAAAAAA11", "529900BBBBBBBBBBBB22"
    imports = "https://w3id.org/automaker-kg/graph/graph/imports/"
    ident = "<http://purl.org/dc/terms/identifier>"
    label, same = (
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        "<http://www.w3.org/2002/07/owl#sameAs>",
    )
    link = "<https://w3id.org/automaker-kg/ontology#parent>"
    quads = f"""
<{KG}lei/{lei}> {ident} "XI-LEI:{lei}" <{imports}gleif.ttl> .
<{KG}lei/{lei}> {ident} "RA000585:01234567" <{imports}gleif.ttl> .
<{KG}lei/{other}> {ident} "XI-LEI:{other}" <{imports}gleif.ttl> .
<{KG}bods/x/GB-COH-01234567> {ident} "GB-COH:01234567" <{imports}bods.ttl> .
<{KG}bods/x/GB-COH-01234567> {label} "Acme Ltd" <{imports}bods.ttl> .
<{KG}bods/x/GB-COH-01234567> {link} <{KG}wikidata/Q42> <{imports}bods.ttl> .
<{KG}wikidata/Q42> {ident} "LEI:{lei.lower()}" <{imports}wd.ttl> .
<{KG}wikidata/Q42> {same} <http://www.wikidata.org/entity/Q42> <{imports}wd.ttl> .
"""
    store = pyoxigraph.Store()
    store.load(quads.encode(), pyoxigraph.RdfFormat.N_QUADS)
    resolution = resolve_store(
        store, Resolution(), [f"{imports}{n}" for n in ("gleif.ttl", "bods.ttl", "wd.ttl")]
    )
    canonical = URIRef(f"{KG}lei/{lei}")
    assert resolution.canonical == {
        URIRef(f"{KG}bods/x/GB-COH-01234567"): canonical,
        URIRef(f"{KG}wikidata/Q42"): canonical,
    }
    assert {(r.resolved.rsplit("/", 1)[-1], r.key) for r in resolution.records if r.merged} == {
        ("GB-COH-01234567", "GB-COH:01234567"),
        ("Q42", f"XI-LEI:{lei}"),
    }
    node = pyoxigraph.NamedNode(str(canonical))
    # the register's link to the Wikidata item now joins the merged node to itself
    parent = pyoxigraph.NamedNode("https://w3id.org/automaker-kg/ontology#parent")
    assert list(store.quads_for_pattern(None, parent, None, None))[0].object == node
    assert list(store.quads_for_pattern(None, parent, None, None))[0].subject == node
    subjects = {q.subject.value for q in store}
    assert subjects == {str(canonical), f"{KG}lei/{other}"}


def test_store_resolution_of_an_entity_also_held_in_memory_ends():
    """An LEI entity described both by a file held in memory (a small GLEIF file: reporting
    exceptions) and by a bulk file is one entity, not a merge into itself; a bulk entity
    sharing its LEI merges into it. (This once looped for ever: the entity merged into its
    own IRI.)"""
    from automaker_kg.resolve import resolve_store

    lei = "529900AAAAAAAAAAAA11"
    small = Graph().parse(
        data=(
            "@prefix akg: <https://w3id.org/automaker-kg/ontology#> .\n"
            "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
            f'<{KG}lei/{lei}> a akg:Company ; dcterms:identifier "XI-LEI:{lei}" .\n'
        ),
        format="turtle",
    )
    onto = Graph().parse(ROOT / "ontology" / "automaker.ttl")
    resolution = resolve([("ontology/automaker.ttl", onto), ("graph/imports/repex.ttl", small)])
    imports = "https://w3id.org/automaker-kg/graph/graph/imports/"
    ident = "<http://purl.org/dc/terms/identifier>"
    quads = f"""
<{KG}lei/{lei}> {ident} "XI-LEI:{lei}" <{imports}rr.ttl> .
<{KG}lei/{lei}> {ident} "RA000585:01234567" <{imports}lei.ttl> .
<{KG}bods/x/GB-COH-01234567> {ident} "GB-COH:01234567" <{imports}bods.ttl> .
<{KG}a/first> {ident} "XI-LEI:{lei}" <{imports}bods.ttl> .
<{KG}a/first> {ident} "RA000585:01234567" <{imports}bods.ttl> .
"""
    store = pyoxigraph.Store()
    store.load(quads.encode(), pyoxigraph.RdfFormat.N_QUADS)
    names = [f"{imports}{n}" for n in ("rr.ttl", "lei.ttl", "bods.ttl")]
    resolution = resolve_store(store, resolution, names)
    canonical = URIRef(f"{KG}lei/{lei}")
    assert resolution.canonical == {
        URIRef(f"{KG}a/first"): canonical,
        URIRef(f"{KG}bods/x/GB-COH-01234567"): canonical,
    }
    assert {q.subject.value for q in store} == {str(canonical)}
