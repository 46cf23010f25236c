"""Registers against news: a range that holds an article's share agrees; a relation a register
closed that a later article still reports is a conflict with both sides."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, URIRef

from automaker_kg.conflicts import find_conflicts
from automaker_kg.namespaces import AKG, CLAIM, GRAPH
from automaker_kg.queries import run
from automaker_kg.sources.bods import import_bods
from automaker_kg.sources.runner import output_path
from conftest import ROOT
from test_conflicts import PROLOGUE, stake

REGISTER = stake(
    "register",
    "register",
    "akg:shareMinimum 75.0 ; akg:shareMaximum 100.0",
    "OfficialStatement",
    'akg:validFrom "2019-01-01"^^xsd:date ; akg:validTo "2022-06-01"^^xsd:date ;',
)


def graph(
    article_date: str, article_share: str = "akg:shareExact 80.0", dates: str = ""
) -> Dataset:
    trig = (
        PROLOGUE
        + """
GRAPH <https://w3id.org/automaker-kg/graph/graph/imports/bods-register.ttl> {
kg:renault a akg:Automaker ; rdfs:label "Renault" .
kg:nissan a akg:Automaker ; rdfs:label "Nissan" .
doc:register a akg:SourceDocument ; dcterms:date "2023-01-10"^^xsd:date .
"""
        + REGISTER
        + f"""
}}
GRAPH <https://w3id.org/automaker-kg/graph/graph/articles/news.ttl> {{
doc:news a akg:SourceDocument ; dcterms:date "{article_date}"^^xsd:date .
"""
        + stake("news", "news", article_share, "OfficialStatement", dates)
        + "\n}\n"
    )
    data = Dataset(default_union=True)
    data.parse(data=trig, format="trig")
    return data


def test_register_range_and_article_share_agree():
    """75–100% in the register and 80% in an article published while it held: no conflict."""
    assert find_conflicts(graph("2021-05-01")) == []


def test_article_still_reporting_a_closed_relation_is_a_conflict():
    """The register ends the stake on 2022-06-01; an article of 2023-03-01 still reports it
    (no end): one conflict, kind 'ended', with both sides and their documents."""
    (conflict,) = find_conflicts(graph("2023-03-01"))
    assert conflict.kinds == ("ended",)
    sides = {conflict.a.value, conflict.b.value}
    assert sides == {"≥75%", "80%"}  # 75–100% as the conflicts module prints it
    documents = {d.rsplit("/", 1)[-1] for d in (*conflict.a.documents, *conflict.b.documents)}
    assert documents == {"register", "news"}
    assert "2022-06-01" in conflict.note and "2023-03-01" in conflict.note


@pytest.mark.parametrize(
    "dates",
    [
        'akg:validFrom "2023-02-01"^^xsd:date ;',  # a new stake after the closing
        'akg:validTo "2022-05-01"^^xsd:date ;',  # the article gives its own end
    ],
)
def test_no_conflict_when_the_article_does_not_claim_it_still_holds(dates: str):
    """A stake that starts after the register's end, or an article that ends it itself."""
    assert [c for c in find_conflicts(graph("2023-03-01", dates=dates)) if "ended" in c.kinds] == []


# ------------------------------------------------------------ the register samples, imported

SAMPLES = ROOT.parent / "shared" / "data" / "bods-register-samples"
ARTICLES = ROOT / "tests" / "data" / "registers" / "articles.trig"
REG = "https://w3id.org/automaker-kg/id/bods/open-ownership/GB-COH-"


@pytest.fixture(scope="module")
def registers_and_news() -> Dataset:
    """Both register sample files as imported (each in its import graph) and two articles."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/data is not present")
    data = Dataset(default_union=True)
    for path in sorted(SAMPLES.glob("*.jsonl")):
        name = URIRef(f"{GRAPH}{output_path('bods', path, Path('graph')).as_posix()}")
        data.graph(name).__iadd__(import_bods(path).graph)
    data.parse(ARTICLES, format="trig")
    return data


def register_claim(data: Dataset, holder: str, target: str) -> str:
    (claim,) = {
        str(row.claim)
        for row in data.query(
            "SELECT ?claim WHERE { ?claim akg:holder ?h ; akg:target ?t ; "
            "akg:interestType akg:Shareholding ; akg:validTo ?end }",
            initNs={"akg": AKG},
            initBindings={"h": URIRef(REG + holder), "t": URIRef(REG + target)},
        )
    }
    return claim


def test_register_samples_against_news(registers_and_news):
    """On the imported register samples: the 2025 article still reporting the relation the
    register closed on 2024-11-30 is the one conflict ('ended', both sides); its 2024 twin and
    the articles' 80% and 40% of relations the register gives as 75–100% and 25–50% agree."""
    (conflict,) = find_conflicts(registers_and_news)
    closed = register_claim(registers_and_news, "04984787", "11116433")
    assert conflict.kinds == ("ended",)
    assert {*conflict.a.claims, *conflict.b.claims} == {
        closed,
        f"{CLAIM}news-2025-04984787-11116433",
    }
    assert {conflict.a.value, conflict.b.value} == {"≥75%", "80%"}
    assert "2024-11-30" in conflict.note and "2025-02-01" in conflict.note


def test_conflicting_stakes_query_lists_the_ended_relation(registers_and_news):
    """The library query gives the same pair as kind 'ended' (register first), on rdflib and
    Oxigraph alike, and no share conflict; bound to the holder it still finds it."""
    store = pyoxigraph.Store()
    for graph in registers_and_news.graphs():
        if len(graph):
            store.load(
                graph.serialize(format="nt", encoding="utf-8"),
                pyoxigraph.RdfFormat.N_TRIPLES,
                to_graph=pyoxigraph.NamedNode(str(graph.identifier)),
            )
    closed = register_claim(registers_and_news, "04984787", "11116433")
    for source in (registers_and_news, store):
        rows = run("conflicting-stakes", source)
        got = {(str(r["kind"]), str(r["claim_a"]), str(r["claim_b"])) for r in rows}
        assert got == {("ended", closed, f"{CLAIM}news-2025-04984787-11116433")}
        assert {str(r["valid_to_a"]) for r in rows} == {"2024-11-30"}
    assert run("conflicting-stakes", store, {"company": URIRef(REG + "04984787")})
    assert not run("conflicting-stakes", store, {"company": URIRef(REG + "11120527")})


def test_an_end_that_a_superseding_claim_starts_is_no_ended_relation():
    """The register's end is the start of its own claim superseding it (25–50% from that
    day to 2022-12-01): the end is that claim's knowledge, so the library query lists the
    later claim's end against the 2023 article but not the first claim's, on rdflib and
    Oxigraph alike; without the supersession it lists both."""
    successor = stake(
        "register-next",
        "register",
        "akg:shareMinimum 25.0 ; akg:shareMaximum 50.0",
        "OfficialStatement",
        'akg:validFrom "2022-06-01"^^xsd:date ; akg:validTo "2022-12-01"^^xsd:date ;',
        "akg:supersedes claim:register ;",
    )
    for superseded in (True, False):
        data = graph("2023-03-01")
        extra = successor if superseded else successor.replace("akg:supersedes", "rdfs:seeAlso")
        data.graph(URIRef(f"{GRAPH}graph/imports/bods-register.ttl")).parse(
            data=PROLOGUE + extra, format="turtle"
        )
        store = pyoxigraph.Store()
        for named in data.graphs():
            if len(named):
                store.load(
                    named.serialize(format="nt", encoding="utf-8"),
                    pyoxigraph.RdfFormat.N_TRIPLES,
                    to_graph=pyoxigraph.NamedNode(str(named.identifier)),
                )
        for source in (data, store):
            ended = {
                str(r["claim_a"]).rsplit("/", 1)[-1]
                for r in run("conflicting-stakes", source)
                if str(r["kind"]) == "ended"
            }
            expected = {"register-next"} if superseded else {"register", "register-next"}
            assert ended == expected, (superseded, source)
