"""The seed article's facts: evidence offsets, coverage, wording, and the facts the issue lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from automaker_kg.namespaces import AKG, KG, OA, TECH
from automaker_kg.sources.documents import read_text, sentence_span, sentences, sha256_of
from seedkit import ROOT, SEED_ARTICLE, seed_dataset

pytestmark = pytest.mark.skipif(
    not SEED_ARTICLE.is_file(), reason="shared/seed is not beside the checkout"
)

BODY_PARAGRAPHS = range(4, 21)  # 1 publisher, 2-3 headline (printed twice), 4-20 body


@pytest.fixture(scope="module")
def graph():
    return seed_dataset()


@pytest.fixture(scope="module")
def article() -> str:
    return read_text(SEED_ARTICLE)


def claims(graph) -> set[URIRef]:
    return set(graph.subjects(AKG.status, None))


def selectors(graph):
    """(claim, document, paragraph, sentence, start, end) for every piece of evidence."""
    rows = graph.query(
        """
        SELECT ?claim ?doc ?p ?s ?start ?end WHERE {
          ?claim prov:wasDerivedFrom ?ev . ?ev oa:hasSource ?doc ; oa:hasSelector ?sel .
          ?sel oa:start ?start ; oa:end ?end ; akg:paragraph ?p ; akg:sentence ?s .
        }""",
        initNs={"prov": "http://www.w3.org/ns/prov#", "oa": str(OA), "akg": str(AKG._NS)},
    )
    return [(c, d, int(p), int(s), int(a), int(b)) for c, d, p, s, a, b in rows]


def test_document_identifier_is_the_article_hash(graph):
    """The document node carries the SHA-256 of the article file, its title and publisher."""
    doc = URIRef("https://w3id.org/automaker-kg/id/document/nissan-renault-2023")
    assert graph.value(doc, DCTERMS.identifier) == Literal(sha256_of(SEED_ARTICLE))
    assert graph.value(doc, DCTERMS.publisher) == KG["daily-management-review"]
    assert graph.value(doc, DCTERMS.title) is not None
    assert graph.value(doc, AKG.datePrecision) is not None


def test_every_selector_lands_on_its_sentence(graph, article):
    """Each evidence's offsets are exactly the sentence its paragraph/sentence numbers name."""
    found = selectors(graph)
    assert len(found) >= 49
    for claim, _doc, p, s, start, end in found:
        span = sentence_span(article, p, s)
        assert (start, end) == (span.start, span.end), f"{claim}: {p}.{s}"
        assert article[start:end].strip() == article[start:end]


def test_every_body_paragraph_yields_a_claim(graph):
    """Paragraphs 4-20 (the body) each support at least one claim."""
    covered = {p for _c, _d, p, _s, _a, _b in selectors(graph)}
    assert set(BODY_PARAGRAPHS) <= covered
    assert covered <= set(BODY_PARAGRAPHS)


def test_every_sentence_of_the_body_is_used(graph, article):
    """No body sentence is left without a claim (facts, not just paragraphs, are covered)."""
    used = {(p, s) for _c, _d, p, s, _a, _b in selectors(graph)}
    body = {(x.paragraph, x.number) for x in sentences(article) if x.paragraph >= 4}
    assert body == used


def test_claims_have_status_label_and_evidence(graph):
    """Every claim has one status from the scheme, an own-words label and evidence."""
    found = claims(graph)
    assert len(found) == 49
    for claim in found:
        statuses = list(graph.objects(claim, AKG.status))
        assert len(statuses) == 1
        assert (statuses[0], SKOS.inScheme, AKG.ClaimStatusScheme) in graph
        assert graph.value(claim, RDFS.label) is not None
        assert graph.value(claim, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) is not None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%'-]+", text.casefold())


def test_no_sentence_of_the_article_is_copied(graph, article):
    """No run of six words from the article appears in the project's files (names aside)."""
    words = _words(article)
    runs = {tuple(words[i : i + 6]) for i in range(len(words) - 5)}
    names = set()
    for predicate in (DCTERMS.title, SKOS.prefLabel, SKOS.altLabel, RDFS.label):
        for _s, value in graph.subject_objects(predicate):
            if predicate != RDFS.label or (_s, RDF.type, AKG.Automaker) in graph:
                names.add(" ".join(_words(str(value))))
    title = " ".join(_words(str(graph.value(predicate=DCTERMS.title, any=True))))
    files = [*ROOT.joinpath("graph").rglob("*.ttl"), *ROOT.joinpath("ontology").glob("*.ttl")]
    files += [*ROOT.joinpath("queries").glob("*.rq"), ROOT / "README.md"]
    for path in files:
        if not path.is_file():
            continue
        tokens = _words(Path(path).read_text(encoding="utf-8"))
        for i in range(len(tokens) - 5):
            run = " ".join(tokens[i : i + 6])
            if tuple(tokens[i : i + 6]) in runs:
                assert run in title or any(run in n for n in names), f"{path.name}: '{run}'"


def ask(graph, body: str) -> bool:
    return bool(graph.query("ASK {" + body + "}", initNs=_NS).askAnswer)


_NS = {
    "akg": str(AKG._NS),
    "kg": str(KG),
    "tech": str(TECH),
    "org": "http://www.w3.org/ns/org#",
    "mkt": "https://w3id.org/automaker-kg/id/market/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "time": "http://www.w3.org/2006/time#",
}

FACTS = {
    "Renault's 43% stake in Nissan, ended by the rebalancing": """
        ?old a akg:EquityStake ; akg:holder kg:renault ; akg:target kg:nissan ;
             akg:interestType akg:Shareholding ; akg:shareExact 43.0 ; akg:validTo ?end .
        ?new akg:supersedes ?old ; akg:shareExact 15.0 ; akg:validFrom ?end ;
             akg:status akg:PlanOrExpectation .""",
    "Nissan's 15% stake in Renault": """
        ?s a akg:EquityStake ; akg:holder kg:nissan ; akg:target kg:renault ;
           akg:interestType akg:Shareholding ; akg:shareExact 15.0 .""",
    "reciprocal voting rights, as separate stakes": """
        ?a a akg:EquityStake ; akg:holder kg:nissan ; akg:target kg:renault ;
           akg:interestType akg:VotingRights ; akg:shareExact 15.0 .
        ?b a akg:EquityStake ; akg:holder kg:renault ; akg:target kg:nissan ;
           akg:interestType akg:VotingRights ; akg:shareExact 15.0 .""",
    "capital, technological support and minimal engagement for Ampere": """
        ?a akg:contributor kg:nissan ; akg:beneficiary kg:ampere ; akg:contributionKind akg:Capital .
        ?b akg:contributor kg:nissan ; akg:beneficiary kg:ampere ;
           akg:contributionKind akg:TechnologicalSupport .
        ?c akg:contributor kg:nissan ; akg:beneficiary kg:ampere ;
           akg:contributionKind akg:OperationalEngagement ; akg:degree akg:Minimal .""",
    "finalisation expected by mid-year, at month precision": """
        ?p a akg:PlannedEvent ; akg:expectedBy "2023-06-01"^^xsd:date ;
           akg:datePrecision time:unitMonth .""",
    "search for a non-automotive connected-car cloud partner": """
        ?s a akg:PartnershipSearch ; akg:seeker kg:nissan ;
           akg:soughtPartnerKind akg:NonAutomotivePartner ; akg:technology tech:connected-car-cloud .""",
    "Nissan-only BEV/PHEV strategy for North America and Asia": """
        ?s a akg:MarketStrategy ; akg:actor kg:nissan ; akg:exclusive true ;
           akg:market mkt:north-america , mkt:asia ;
           akg:technology tech:battery-electric-vehicle , tech:plug-in-hybrid .""",
    "the gasoline joint venture of Renault, Geely and Aramco": """
        ?a org:member kg:renault ; org:organization kg:gasoline-powertrain-jv .
        ?b org:member kg:geely-holding ; org:organization kg:gasoline-powertrain-jv .
        ?c org:member kg:aramco-base-oil ; org:organization kg:gasoline-powertrain-jv .""",
    "Nissan withholds e-Power from that joint venture": """
        ?w akg:provider kg:nissan ; akg:recipient kg:gasoline-powertrain-jv ;
           akg:technology tech:e-power ; akg:arrangementKind akg:Withholds .""",
    "e-Power and the solid-state process as protected technology": """
        ?a akg:provider kg:nissan ; akg:technology tech:e-power ; akg:arrangementKind akg:Protects .
        ?b akg:provider kg:nissan ; akg:technology tech:solid-state-battery-process ;
           akg:arrangementKind akg:Protects .""",
    "the longer-term plan (electrification, self-driving, connected car)": """
        ?p a akg:PlannedEvent ; akg:actor kg:nissan ;
           akg:technology tech:electric-vehicle , tech:self-driving , tech:connected-car .""",
    "the joint statement: agreements, Latin America and India, faster decisions": """
        ?a a akg:PlannedEvent ; akg:status akg:OfficialStatement .
        ?b a akg:JointProject ; akg:market mkt:latin-america .
        ?c a akg:JointProject ; akg:market mkt:india .
        ?d a akg:Assessment ; akg:assessmentKind akg:Benefit ; akg:subject kg:renault-nissan-alliance .""",
    "Ampere strengthening Nissan in Europe": """
        ?a a akg:Assessment ; akg:subject kg:nissan ; akg:via kg:ampere ; akg:market mkt:europe .""",
    "Nissan acquiring Ampere technology on its own": """
        ?a akg:provider kg:nissan ; akg:recipient kg:ampere ; akg:arrangementKind akg:Acquires .""",
    "the R&D cost grievance": """
        ?g akg:assessmentKind akg:Grievance ; akg:assessedBy kg:nissan ; akg:counterpart kg:renault .""",
    "Ghosn's former roles, 2018 detention in Tokyo, 2019 flight to Lebanon": """
        ?r1 org:member kg:carlos-ghosn ; org:organization kg:nissan .
        ?r2 org:member kg:carlos-ghosn ; org:organization kg:renault .
        ?d akg:participant kg:carlos-ghosn ; akg:place mkt:tokyo ; akg:date "2018-01-01"^^xsd:date .
        ?f akg:participant kg:carlos-ghosn ; akg:place mkt:lebanon ; akg:date "2019-01-01"^^xsd:date .""",
    "the floated zero-zero target": """
        ?t a akg:FloatedTarget ; akg:targetShare 0.0 ; akg:deemedFeasible false ;
           akg:status akg:FloatedTargetStatus .""",
    "the alliance's age and its oversight board": """
        ?a akg:subject kg:renault-nissan-alliance ; akg:ageInYears 23 .
        ?m akg:participant kg:alliance-oversight-board .""",
}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_issue_fact_is_in_the_graph(graph, fact):
    """Each fact the foundation issue lists is present in the seed graph."""
    assert ask(graph, FACTS[fact]), fact
