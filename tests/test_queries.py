"""The query library: headers, exact answers on the seed (Oxigraph and rdflib), binding, errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from automaker_kg import queries as Q
from automaker_kg.errors import ParameterError, QueryError, UnknownNameError
from automaker_kg.namespaces import KG
from seedkit import seed_dataset, seed_store


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def source(request):
    return seed_store() if request.param == "oxigraph" else seed_dataset()


@pytest.fixture(scope="module")
def ox_source():
    return seed_store()


def answer(source, name, **params) -> set[tuple]:
    """Rows of a library query as a set of tuples of plain values, in header column order."""
    rows = Q.run(name, source, {k: str(v) for k, v in params.items()})
    return {tuple(row[c] for c in rows.columns) for row in rows.values()}


def project(source, name, columns, **params) -> set[tuple]:
    rows = Q.run(name, source, {k: str(v) for k, v in params.items()})
    return {tuple(row[c] for c in columns) for row in rows.values()}


# --------------------------------------------------------------------------- headers


def _projection(head: str) -> list[str]:
    """Projected variable names; an expression ``( ... AS ?x)`` counts as ``x``."""
    names, depth, start = [], 0, 0
    for i, char in enumerate(head):
        if char == "(":
            depth, start = depth + 1, (i if depth == 0 else start)
        elif char == ")":
            depth -= 1
            if depth == 0:
                names.append(re.search(r"\bAS\s+\?(\w+)\s*$", head[start + 1 : i]).group(1))
        elif char == "?" and depth == 0:
            names.append(re.match(r"\?(\w+)", head[i:]).group(1))
    return names


def test_every_query_has_a_complete_header():
    """Each .rq names its title, question and columns; columns equal the SELECT's variables."""
    library = Q.library()
    assert len(library) >= 13
    for name, query in library.items():
        assert query.title and query.question.endswith("?") or query.question.endswith("."), name
        select = re.search(r"^SELECT\s+(?:DISTINCT\s+)?(.*?)\bWHERE\b", query.text, re.M | re.S)
        assert select, name
        projected = _projection(select.group(1))
        assert list(query.columns) == projected, name
        for param in query.parameters:
            assert f"?{param.name}" in query.text, f"{name}: parameter {param.name} unused"


def test_every_query_runs_with_its_defaults_on_both_engines(ox_source):
    """Oxigraph and rdflib give the same answers (values compared, not lexical forms)."""
    dataset = seed_dataset()
    for name in Q.library():
        assert answer(ox_source, name) == answer(dataset, name), name


# --------------------------------------------------------------------------- exact answers


def test_stakes_in_nissan(source):
    """Renault's 43% is superseded by 15%; voting rights appear with the rebalancing."""
    got = project(
        source,
        "stakes-in-company",
        ["holder_label", "interest", "share", "valid_from", "valid_to", "status"],
        company="Nissan",
    )
    june = dt.date(2023, 6, 1)
    assert got == {
        ("Renault", "shareholding", 43.0, None, june, "historical fact"),
        ("Renault", "shareholding", 15.0, june, None, "plan or expectation"),
        ("Renault", "voting rights", 15.0, june, None, "plan or expectation"),
    }


def test_stakes_in_renault(source):
    got = project(
        source,
        "stakes-in-company",
        ["holder_label", "interest", "share", "status"],
        company="Renault",
    )
    assert got == {
        ("Nissan", "shareholding", 15.0, "historical fact"),
        ("Nissan", "voting rights", 0.0, "historical fact"),
        ("Nissan", "voting rights", 15.0, "plan or expectation"),
    }


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2022-12-31", set()),
        ("2023-03-01", {("Renault", "Nissan", 43.0), ("Nissan", "Renault", 15.0)}),
        ("2023-06-01", {("Renault", "Nissan", 43.0), ("Nissan", "Renault", 15.0)}),
        ("2030-01-01", {("Renault", "Nissan", 43.0), ("Nissan", "Renault", 15.0)}),
    ],
)
def test_stakes_as_of(source, as_of, expected):
    """The seed alone: the planned 15% never replaces the 43% in force (docs/time.md); nothing
    holds before the seed (dated 2023) was published."""
    assert (
        project(source, "stakes-as-of", ["holder_label", "target_label", "share"], as_of=as_of)
        == expected
    )


def test_voting_rights_as_of(source):
    got = project(
        source,
        "stakes-as-of",
        ["holder_label", "target_label", "share"],
        as_of="2023-03-01",
        interest="akg:VotingRights",
    )
    assert got == {("Nissan", "Renault", 0.0)}


def test_cross_holdings_on_the_planned_day(source):
    """The seed alone, on the day the rebalancing was planned: the facts in force (43%/15%);
    the planned 15% each way and the planned voting rights are not counted."""
    got = project(source, "cross-holdings", ["a_label", "b_label", "interest", "a_in_b", "b_in_a"])
    assert got == {("Nissan", "Renault", "shareholding", 15.0, 43.0)}


def test_cross_holdings_before_the_rebalancing(source):
    got = project(
        source,
        "cross-holdings",
        ["a_label", "b_label", "interest", "a_in_b", "b_in_a"],
        as_of="2023-01-15",
    )
    assert got == {("Nissan", "Renault", "shareholding", 15.0, 43.0)}


def test_technologies_nissan_protects(source):
    got = project(
        source, "technologies-protected", ["technology_label", "protected_from", "status"]
    )
    assert got == {
        ("e-Power", "Renault", "reported by unnamed sources"),
        ("solid-state battery manufacturing process", "Renault", "reported by unnamed sources"),
    }


def test_gasoline_joint_venture_partners(source):
    got = project(source, "joint-venture-partners", ["partner_label", "partner_kind", "status"])
    assert got == {
        ("Aramco Base Oil", "energy company", "historical fact"),
        ("Geely Holding", "automaker", "historical fact"),
        ("Renault", "automaker", "historical fact"),
    }


def test_what_nissan_withholds_from_the_joint_venture(source):
    got = project(
        source,
        "technologies-withheld",
        ["technology_label", "from_label", "status", "attributed_to"],
        **{"from": "the gasoline joint venture"},
    )
    assert got == {
        (
            "e-Power",
            "Renault–Geely–Aramco gasoline powertrain joint venture",
            "reported by unnamed sources",
            "two of the unnamed sources",
        )
    }


def test_what_nissan_contributes_to_ampere(source):
    got = project(source, "contributions", ["kind", "degree", "status"])
    assert got == {
        ("capital", None, "plan or expectation"),
        ("capital", None, "reported by unnamed sources"),
        ("technological support", None, "reported by unnamed sources"),
        ("operational engagement", "minimal", "reported by unnamed sources"),
    }


def test_markets_of_nissans_own_ev_strategy(source):
    got = project(source, "market-strategy", ["market_label", "technology_label", "exclusive"])
    assert got == {
        (market, tech, True)
        for market in ("North America", "Asia")
        for tech in ("battery electric vehicle", "plug-in hybrid vehicle")
    }


def test_chain_from_aramco_to_nissan(source):
    got = project(
        source,
        "chain-via-joint-venture",
        ["start_label", "venture_label", "partner_label", "share", "end_label", "status_3"],
    )
    jv = "Renault–Geely–Aramco gasoline powertrain joint venture"
    assert got == {
        ("Aramco Base Oil", jv, "Renault", 43.0, "Nissan", "historical fact"),
        ("Aramco Base Oil", jv, "Renault", 15.0, "Nissan", "plan or expectation"),
    }


def test_claim_evidence_for_one_claim(source):
    got = answer(source, "claim-evidence", claim="claim:seed-nissan-withholds-epower")
    assert len(got) == 1
    (row,) = got
    assert row[2] == "reported by unnamed sources"
    assert row[5:] == (1782, 2026, 10, 1)
    assert row[4].startswith("sha256:")


def test_claim_evidence_covers_every_claim(source):
    rows = Q.run("claim-evidence", source)
    assert len({r["claim"] for r in rows}) == 49


def test_claims_by_status(source):
    assert answer(source, "claims-by-status") == {
        ("historical fact", 17),
        ("reported by unnamed sources", 17),
        ("plan or expectation", 7),
        ("official statement", 5),
        ("allegation by a named party", 2),
        ("floated target", 1),
    }


def test_facts_about_ampere(source):
    got = project(source, "facts-about", ["claim_type", "role", "status"], entity="Ampere")
    assert ("division relation", "unit", "historical fact") in got
    assert ("contribution", "beneficiary", "reported by unnamed sources") in got
    assert ("technology arrangement", "recipient", "reported by unnamed sources") in got
    assert ("assessment", "via", "official statement") in got
    # 7 claims, one of them with two pieces of evidence
    assert len(Q.run("facts-about", source, {"entity": "Ampere"})) == 8


def test_technology_sharing_table(source):
    got = project(
        source,
        "technology-sharing",
        ["provider_label", "relation", "technology_label", "counterpart_label"],
    )
    assert got == {
        ("Nissan", "acquires", "electric vehicle", "Ampere"),
        ("Nissan", "develops", "e-Power", None),
        ("Nissan", "develops", "solid-state battery manufacturing process", None),
        ("Nissan", "protects", "e-Power", "Renault"),
        ("Nissan", "protects", "solid-state battery manufacturing process", "Renault"),
        (
            "Nissan",
            "withholds",
            "e-Power",
            "Renault–Geely–Aramco gasoline powertrain joint venture",
        ),
    }


# --------------------------------------------------------------------------- parameters and errors


def test_entity_names_resolve_by_label_alias_prefix_and_iri(ox_source):
    for name in (
        "Nissan",
        "nissan motor co., ltd.",
        "the Japanese automaker",
        "kg:nissan",
        str(KG.nissan),
    ):
        assert Q.resolve_entity(ox_source, name) == KG.nissan
    assert Q.resolve_entity(ox_source, "the French automaker") == KG.renault
    assert Q.resolve_entity(ox_source, "Aramco") == KG["aramco-base-oil"]


def test_unknown_entity_suggests_close_names_in_a_short_message(ox_source):
    """A misspelt name gets "did you mean"; no name ever answers with every label."""
    with pytest.raises(UnknownNameError, match=r"unknown entity 'Nisan'; did you mean Nissan\b"):
        Q.resolve_entity(ox_source, "Nisan")
    with pytest.raises(UnknownNameError) as info:
        Q.resolve_entity(ox_source, "Tesla")
    message = str(info.value)
    assert "Tesla" in message and "automaker-kg entities" in message
    assert len(message) < 200


def test_ontology_terms_are_not_entity_names(ox_source):
    """Classes, properties and statuses have labels too, but name no entity."""
    for term in ("equity stake", "official statement", "akg:EquityStake"):
        with pytest.raises(UnknownNameError):
            Q.resolve_entity(ox_source, term)


def test_ambiguous_entity_is_an_error(ox_source):
    with pytest.raises(UnknownNameError, match="ambiguous"):
        Q.resolve_entity(ox_source, "Ren")  # Renault, Renault–Nissan Alliance, the JV ...


def test_unknown_parameter_lists_valid_ones(ox_source):
    with pytest.raises(ParameterError, match="valid: as_of, interest"):
        Q.run("stakes-as-of", ox_source, {"date": "2023-01-01"})


def test_bad_parameter_value_names_parameter_and_type(ox_source):
    with pytest.raises(ParameterError, match="'as_of' expects a date"):
        Q.run("stakes-as-of", ox_source, {"as_of": "31/12/2023"})


def test_unknown_query_lists_the_library():
    with pytest.raises(UnknownNameError) as info:
        Q.get_query("stakes")
    assert "stakes-in-company" in str(info.value)


def test_malformed_query_text_is_a_query_error(ox_source, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(QueryError, match="syntax"):
        Q.run(bad, ox_source)


def test_values_are_bound_not_pasted(ox_source):
    """A hostile value reaches the query as one term: it neither breaks nor widens the query."""
    hostile = "kg:nissan> } UNION { ?claim ?p ?o } #"
    with pytest.raises((UnknownNameError, ParameterError)):
        Q.run("stakes-in-company", ox_source, {"company": hostile})
    with pytest.raises(ParameterError, match="expects a iri"):
        Q.run("claim-evidence", ox_source, {"claim": "urn:x:nothing> } UNION { ?a ?b ?c"})
    assert len(Q.run("claim-evidence", ox_source, {"claim": "urn:x:nothing"})) == 0


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
    st.one_of(st.none(), st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1))),
)
def test_as_of_matches_the_python_time_model(ox_source, day, known_on):
    """For any valid and knowledge date, stakes-as-of (SPARQL on the timeline graph) gives
    exactly the stakes that project(as_of, known_on) shows in force (automaker_kg.temporal)."""
    from automaker_kg.projections import project as project_graph

    G = project_graph(ox_source, "ownership", as_of=day, known_on=known_on)
    expected = {
        d["claim"]
        for _, _, d in G.edges(data=True)
        if d["relation"] == "shareholding" and d["standing"] == "in force"
    }
    params = {"as_of": day.isoformat()}
    if known_on is not None:
        params["known_on"] = known_on.isoformat()
    got = {r["claim"] for r in Q.run("stakes-as-of", ox_source, params).values()}
    assert got == expected


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=30))
def test_any_entity_name_resolves_or_fails_cleanly(ox_source, name):
    try:
        iri = Q.resolve_entity(ox_source, name)
    except (UnknownNameError, ParameterError):
        return
    assert isinstance(iri, URIRef)


# --------------------------------------------------------------------------- result formats


def test_w3c_result_formats(ox_source):
    rows = Q.run("technologies-protected", ox_source)
    data = json.loads(rows.serialize("json"))
    assert data["head"]["vars"] == rows.columns
    assert len(data["results"]["bindings"]) == 2
    assert data["results"]["bindings"][0]["technology_label"] == {
        "type": "literal",
        "value": "e-Power",
    }
    table = list(csv.reader(io.StringIO(rows.serialize("csv"))))
    assert table[0] == rows.columns and len(table) == 3
    tsv = rows.serialize("tsv").splitlines()
    assert tsv[0].split("\t") == [f"?{c}" for c in rows.columns]
    assert '"e-Power"' in tsv[1] and "<https://w3id.org/automaker-kg/id/claim/" in tsv[1]
    with pytest.raises(UnknownNameError):
        rows.serialize("yaml")


def test_rows_to_dataframe(ox_source):
    pytest.importorskip("pandas")
    frame = Q.run("cross-holdings", ox_source).to_dataframe()
    assert list(frame.columns)[:2] == ["a_label", "b_label"]
    assert sorted(frame["interest"]) == ["shareholding"]  # facts in force only: no plans


def test_a_curated_entity_wins_over_an_imported_namesake():
    """Renault the group (curated) and an imported Renault item: the name means the group."""
    from rdflib import Literal
    from rdflib.namespace import RDF, RDFS

    from automaker_kg.namespaces import AKG

    dataset = seed_dataset()
    brand = URIRef("https://w3id.org/automaker-kg/id/wikidata/Q98584518")
    imported = dataset.graph(URIRef("urn:test:imports"))
    imported.add((brand, RDF.type, AKG.Company))
    imported.add((brand, RDFS.label, Literal("Renault")))
    assert Q.resolve_entity(dataset, "Renault") == KG.renault
    assert Q.resolve_entity(dataset, str(brand)) == brand


def test_every_library_query_orders_its_rows_totally(built_store):
    """A store on disk and its copy in memory give every library query's rows in the same
    order: each ORDER BY ends with the remaining columns, so ties never fall to the engine."""
    from automaker_kg.store import open_store

    disk, memory = open_store(built_store), open_store(built_store, memory=True)
    for name in sorted(Q.library()):
        assert Q.run(name, disk) == Q.run(name, memory), name


@pytest.mark.parametrize("name", ["A:\x1b", "kg:\x00", "x: y"])
def test_a_name_that_looks_prefixed_but_is_no_iri_is_an_unknown_name(ox_source, name):
    """A colon makes a name look like a prefixed name; one no store can hold is a name."""
    with pytest.raises(UnknownNameError):
        Q.resolve_entity(ox_source, name)
