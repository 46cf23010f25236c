"""Entity resolution: small hand-made sources with answers checkable by eye, and the real data."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from automaker_kg.build import build, load_graph, validate_files
from automaker_kg.namespaces import AKG, GRAPH, PREFIXES
from automaker_kg.queries import run_text
from automaker_kg.resolve import apply, merges, name_key, names_match, resolve
from automaker_kg.sources.runner import import_files
from conftest import ROOT, copy_data, invoke_cli

KG = "https://w3id.org/automaker-kg/id/"
PROLOGUE = (
    "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items())
    + f"\n@prefix lei: <{KG}lei/> .\n@prefix bodsx: <{KG}bods/x/> .\n"
)
WIKIDATA = (
    ROOT.parent / "shared" / "data" / "wikidata-car-manufacturers" / "wikidata_manufacturers.json"
)
needs_wikidata = pytest.mark.skipif(not WIKIDATA.is_file(), reason="no shared Wikidata extract")


@pytest.fixture(scope="module")
def ontology() -> tuple[str, Graph]:
    return "ontology/automaker.ttl", Graph().parse(ROOT / "ontology" / "automaker.ttl")


def sources(ontology, **files: str) -> list[tuple[str, Graph]]:
    """``graph/<name>.ttl`` per keyword (``imports__x`` -> ``graph/imports/x.ttl``)."""
    out = [ontology]
    for name, text in files.items():
        path = "graph/" + name.replace("__", "/") + ".ttl"
        out.append((path, Graph().parse(data=PROLOGUE + text, format="turtle")))
    return out


def iri(local: str) -> URIRef:
    return URIRef(KG + local)


CURATED = """
kg:nissan a akg:Automaker ; rdfs:label "Nissan" ; skos:prefLabel "Nissan Motor Co., Ltd."@en ;
    skos:exactMatch wd:Q20165 .
kg:renault a akg:Automaker ; rdfs:label "Renault" ; skos:altLabel "Renault SA"@en ;
    skos:exactMatch wd:Q6686 .
kg:aramco-base-oil a akg:EnergyCompany ; rdfs:label "Aramco Base Oil" ;
    skos:altLabel "Saudi Aramco Base Oil Co JSC"@en , "the lubricants maker"@en .
"""
WIKIDATA_TTL = """
<https://w3id.org/automaker-kg/id/wikidata/Q20165> a akg:Automaker ; rdfs:label "Nissan" ;
    skos:exactMatch wd:Q20165 .
<https://w3id.org/automaker-kg/id/wikidata/Q6686> a akg:Automaker ; rdfs:label "Renault" ;
    skos:exactMatch wd:Q6686 .
<https://w3id.org/automaker-kg/id/wikidata/Q98584518> a akg:Automaker ; rdfs:label "Renault" ;
    skos:exactMatch wd:Q98584518 .
claim:wd-parent a akg:ParentOrganizationRelation ;
    akg:child <https://w3id.org/automaker-kg/id/wikidata/Q20165> ;
    akg:parent <https://w3id.org/automaker-kg/id/wikidata/Q6686> .
"""


def reasons(resolution) -> dict[tuple[str, str], tuple[bool, str, str]]:
    return {
        (r.resolved.removeprefix(KG), r.matched.removeprefix(KG)): (r.merged, r.reason, r.key)
        for r in resolution.records
    }


def test_curated_nissan_and_wikidata_nissan_merge_by_qid(ontology):
    """kg:nissan and the importer's Q20165 share wd:Q20165: one node, the curated IRI."""
    resolution = resolve(sources(ontology, entities=CURATED, imports__wikidata=WIKIDATA_TTL))
    assert resolution(iri("wikidata/Q20165")) == iri("nissan")
    assert resolution(iri("wikidata/Q6686")) == iri("renault")
    found = reasons(resolution)
    assert found[("wikidata/Q20165", "nissan")] == (True, "identifier", "wikidata:Q20165")
    (record,) = [r for r in resolution.records if r.resolved == iri("wikidata/Q20165")]
    assert record.resolved_graphs == ("graph/imports/wikidata.ttl",)
    assert record.matched_graphs == ("graph/entities.ttl",)


def test_renault_group_and_brand_stay_distinct(ontology):
    """Renault the group (Q6686) and the brand (Q98584518) share a name, not an identifier:
    kept apart, with both QIDs as the reason."""
    resolution = resolve(sources(ontology, entities=CURATED, imports__wikidata=WIKIDATA_TTL))
    assert iri("wikidata/Q98584518") not in resolution.canonical
    assert iri("wikidata/Q98584518") not in resolution.canonical.values()
    (record,) = [r for r in resolution.records if not r.merged]
    assert {record.resolved, record.matched} == {iri("renault"), iri("wikidata/Q98584518")}
    assert record.reason == "conflicting-identifiers" and record.key == "renault"
    assert record.conflicting == ("wikidata:Q6686", "wikidata:Q98584518")


def test_rewrite_gives_one_node_with_one_label_and_every_name(ontology):
    """After apply, the import's claim points at kg:nissan, which keeps one rdfs:label; the
    merged IRI's label becomes an alias, and owl:sameAs keeps the original IRI."""
    graphs, resolution = apply(sources(ontology, entities=CURATED, imports__wikidata=WIKIDATA_TTL))
    union = Graph()
    for _, graph in graphs:
        union += graph
    claim = URIRef(KG + "claim/wd-parent")
    assert union.value(claim, URIRef(str(AKG._NS) + "child")) == iri("nissan")
    assert union.value(claim, URIRef(str(AKG._NS) + "parent")) == iri("renault")
    assert set(union.objects(iri("nissan"), RDFS.label)) == {Literal("Nissan")}
    assert Literal("Nissan") in set(union.objects(iri("nissan"), SKOS.altLabel))
    assert not set(union.triples((iri("wikidata/Q20165"), None, None)))
    recorded = resolution.graph()
    assert (iri("nissan"), OWL.sameAs, iri("wikidata/Q20165")) in recorded
    assert (None, AKG.resolutionReason, AKG.IdentifierMatch) in recorded


GLEIF = """
lei:969500ACMEMOTORS00042 a akg:Company ; rdfs:label "ACME MOTORS SA" ;
    dcterms:identifier "XI-LEI:969500ACMEMOTORS00042" .
"""
BODS = """
bodsx:acme a akg:Company ; rdfs:label "Acme Motors S.A." ;
    dcterms:identifier "XI-LEI:969500acmemotors00042" .
bodsx:luberef a akg:Company ;
    rdfs:label "Saudi Aramco Base Oil Company" .
bodsx:porsche-se a akg:Company ; rdfs:label "Porsche SE" .
bodsx:renault a akg:Company ; rdfs:label "Renault" .
bodsx:ford-person a akg:Person ; rdfs:label "Ford" .
"""
MORE = """
lei:529900PORSCHEAG0000001 a akg:Company ; rdfs:label "Porsche AG" ;
    dcterms:identifier "XI-LEI:529900PORSCHEAG0000001" .
lei:549300FORDMOTORCO00001 a akg:Company ; rdfs:label "Ford" ;
    dcterms:identifier "XI-LEI:549300FORDMOTORCO00001" .
"""


@pytest.fixture(scope="module")
def everything(ontology):
    return resolve(
        sources(
            ontology,
            entities=CURATED,
            imports__wikidata=WIKIDATA_TTL,
            imports__gleif=GLEIF + MORE,
            imports__bods=BODS,
        )
    )


def test_gleif_and_bods_merge_by_a_shared_lei(everything):
    """The same LEI (case aside) in GLEIF and BODS: one node, the GLEIF IRI (no curated one)."""
    bods, gleif = iri("bods/x/acme"), iri("lei/969500ACMEMOTORS00042")
    assert everything(bods) == gleif
    found = reasons(everything)
    assert found[("bods/x/acme", "lei/969500ACMEMOTORS00042")] == (
        True,
        "identifier",
        "XI-LEI:969500ACMEMOTORS00042",
    )


def test_a_name_only_match_is_reported_as_name(everything):
    """'Saudi Aramco Base Oil Company' (BODS, no identifier) is the curated alias 'Saudi Aramco
    Base Oil Co JSC' once legal forms are split off: merged, reason name."""
    assert everything(iri("bods/x/luberef")) == iri("aramco-base-oil")
    (record,) = [r for r in everything.records if r.resolved == iri("bods/x/luberef")]
    assert (record.merged, record.reason, record.key) == (True, "name", "saudi aramco base oil")
    assert record.names == ("Saudi Aramco Base Oil Co JSC", "Saudi Aramco Base Oil Company")


def test_a_name_fitting_two_distinct_entities_merges_with_neither(everything):
    """BODS 'Renault' has no identifier and could be the group or the brand: not merged."""
    assert iri("bods/x/renault") not in everything.canonical
    found = reasons(everything)
    assert any(
        "bods/x/renault" in pair and reason == "ambiguous-name"
        for pair, (_, reason, _) in found.items()
    )


def test_different_legal_forms_and_kinds_keep_names_apart(everything):
    """Porsche SE is not Porsche AG; a person named Ford is not the Ford company."""
    assert iri("bods/x/porsche-se") not in everything.canonical
    assert iri("lei/529900PORSCHEAG0000001") not in everything.canonical
    assert iri("bods/x/ford-person") not in everything.canonical
    found = reasons(everything)
    assert found[("bods/x/ford-person", "lei/549300FORDMOTORCO00001")][1] == "different-kind"


def test_two_curated_entities_are_never_merged(ontology):
    """Two fact sheets that name one company under two IRIs are reported, not merged."""
    one = 'kg:horse a akg:Company ; rdfs:label "Horse Powertrain" .'
    two = 'kg:horse-powertrain a akg:Company ; rdfs:label "Horse Powertrain Limited" .'
    resolution = resolve(sources(ontology, articles__one=one, articles__two=two))
    assert resolution.canonical == {}
    (record,) = resolution.records
    assert (record.merged, record.reason) == (False, "both-curated")


def test_descriptive_aliases_are_not_matched(ontology):
    """'the lubricants maker' is an alias for text, not a name to merge on."""
    other = 'bodsx:y a akg:Company ; rdfs:label "the lubricants maker" .'
    resolution = resolve(sources(ontology, entities=CURATED, imports__bods=other))
    assert resolution.canonical == {} and resolution.records == []


def test_resolution_does_not_depend_on_file_order(ontology):
    """The same sources in reverse order give the same merges and records."""
    parts = sources(
        ontology, entities=CURATED, imports__wikidata=WIKIDATA_TTL, imports__bods=BODS,
        imports__gleif=GLEIF + MORE,
    )  # fmt: skip
    forward, backward = resolve(parts), resolve([parts[0], *reversed(parts[1:])])
    assert forward.canonical == backward.canonical
    assert sorted(forward.records, key=repr) == sorted(backward.records, key=repr)


words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéö", min_size=3, max_size=8).filter(
        lambda w: name_key(w + " x") is not None and w not in {"company", "limited"}
    ),
    min_size=1,
    max_size=3,
)


@given(words, st.sampled_from(["Co., Ltd.", "S.A.", "JSC", "AG", "Inc", ""]))
def test_case_punctuation_and_legal_form_do_not_change_the_base(parts, suffix):
    """Upper case, dashes and a legal form leave the normalised base unchanged."""
    name = " ".join(parts)
    plain = name_key(name)
    assert plain is not None
    variant = name_key("–".join(p.upper() for p in parts) + (" " + suffix if suffix else ""))
    assert variant is not None and variant.base == plain.base
    assert names_match(plain, variant)


@pytest.fixture(scope="module")
def with_wikidata(tmp_path_factory: pytest.TempPathFactory):
    """A copy of the data with the shared Wikidata extract imported (read only)."""
    data = copy_data(tmp_path_factory.mktemp("wikidata") / "data")
    import_files("wikidata", [WIKIDATA], graph_dir=data / "graph")
    return data


@needs_wikidata
def test_real_data_with_the_wikidata_extract(with_wikidata):
    """Import the shared Wikidata extract into a copy of the data: Nissan, Renault, Geely and
    the alliance merge with the curated entities by QID; the Renault brand and the second Alfa
    Romeo item stay apart; the result validates and every source file keeps its graph."""
    data = with_wikidata
    dataset = load_graph(data)
    rows = merges(dataset)
    merged = {
        (r["resolved"], r["canonical"], r["reason"]) for r in rows if r["decision"] == "merged"
    }
    for q, local in (("Q20165", "nissan"), ("Q6686", "renault"), ("Q739000", "geely-holding")):
        assert (KG + "wikidata/" + q, KG + local, "identifier") in merged
    apart = {(r["resolved"], r["matched"], r["reason"]) for r in rows if r["decision"] != "merged"}
    assert (KG + "renault", KG + "wikidata/Q98584518", "conflicting-identifiers") in apart
    # curated entities without a QID merge by name only with an item of the same name
    for row in rows:
        if row["decision"] == "merged" and row["reason"] == "name":
            assert name_key(row["canonical_label"]).base == row["key"], row
    parent = run_text(
        dataset,
        "SELECT ?claim WHERE { ?claim akg:child kg:nissan ; akg:parent kg:renault }",
    )
    assert len(parent) == 1
    labels = run_text(dataset, "SELECT ?l WHERE { kg:nissan rdfs:label ?l }")
    assert [str(r["l"]) for r in labels] == ["Nissan"]
    assert validate_files(data_dir=data) == []
    assert any(g.identifier == GRAPH["resolution"] for g in dataset.graphs())


@needs_wikidata
def test_cli_entities_merged_on_a_real_build(tmp_path, with_wikidata):
    """`entities --merged` on a built store lists the merges with their reasons (JSON), and
    `entities` shows one Nissan, carrying the importer's IRI as merged_from."""
    data = with_wikidata
    store = tmp_path / "store"
    report = build(store, data_dir=data)
    assert "resolution" in report.generated
    result = invoke_cli("entities", "--merged", "--format", "json", "--store", store)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    nissan = [r for r in rows if r["resolved"] == KG + "wikidata/Q20165"]
    assert [(r["decision"], r["reason"], r["canonical"], r["key"]) for r in nissan] == [
        ("merged", "identifier", KG + "nissan", "wikidata:Q20165")
    ]
    assert nissan[0]["resolved_graphs"] == ["graph/imports/wikidata-wikidata-manufacturers.ttl"]
    table = invoke_cli("entities", "--store", store, "--format", "csv")
    assert table.exit_code == 0, table.stderr
    nissans = [line for line in table.stdout.splitlines() if ",Nissan," in line]
    assert len(nissans) == 1 and KG + "wikidata/Q20165" in nissans[0]
    conflicts = invoke_cli("conflicts", "--store", store)
    assert conflicts.exit_code == 0, conflicts.stderr


def test_merges_of_a_graph_without_imports_is_empty():
    """The checkout without imports has nothing to merge (curated IRIs are never merged)."""
    assert [r for r in merges(load_graph()) if r["decision"] == "merged"] == []
