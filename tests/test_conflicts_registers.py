"""Registers against news: a range that holds an article's share agrees; a relation a register
closed that a later article still reports is a conflict with both sides."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from automaker_kg.conflicts import find_conflicts
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
