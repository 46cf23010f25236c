"""The article fact sheets (graph/articles/): evidence, coverage, own words, the storyline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from automaker_kg.build import load_graph
from automaker_kg.namespaces import AKG, CLAIM, KG, OA, SCHEMA, sparql_prologue
from automaker_kg.paths import shared_dir
from automaker_kg.sources.documents import read_text, sentence_span, sentences, sha256_of
from automaker_kg.sources.factsheet import (
    compile_sheet,
    copied_runs,
    header_paragraphs,
    load_sheet,
    original_address,
)

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "graph" / "articles"
SHEETS = sorted(ARTICLES.glob("*.yaml"))
SHARED = shared_dir()
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared (the articles) not present")


def _article(sheet_path: Path) -> Path:
    assert SHARED is not None
    return SHARED / load_sheet(sheet_path).data["document"]["file"]


def test_every_brief_has_a_sheet():
    """Each source brief in ../shared/briefs has a sheet of the same name and its Turtle, and
    nothing else has one: the stored articles the first sheets cited are replaced by the
    briefs of the same reports."""
    assert SHARED is not None
    briefs = {p.stem for p in (SHARED / "briefs").glob("*.txt")}
    assert {p.stem for p in SHEETS} == briefs
    for sheet_path in SHEETS:
        file = Path(load_sheet(sheet_path).data["document"]["file"])
        assert file.parent.name == "briefs" and file.stem == sheet_path.stem
    assert all(p.with_suffix(".ttl").is_file() for p in SHEETS)


def test_no_evidence_points_into_the_stored_articles():
    """No file of graph/ names a text of shared/articles (evidence is in the briefs)."""
    assert SHARED is not None
    stored = {p.name for p in (SHARED / "articles").glob("*.txt")}
    for path in sorted((ROOT / "graph").rglob("*")):
        if path.suffix not in (".ttl", ".yaml"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "shared/articles" not in text, path
        assert not [n for n in stored if f"articles/{n}" in text], path
    union = Graph()
    for ttl in sorted((ROOT / "graph").rglob("*.ttl")):
        union.parse(ttl, format="turtle")
    hashes = {sha256_of(p) for p in (SHARED / "articles").glob("*.txt")}
    cited = {str(o) for o in union.objects(None, DCTERMS.identifier)}
    assert not hashes & cited


_REPORTED = re.compile(r"^Reported by: .*, (\d{4}-\d{2}-\d{2})$", re.M)


@pytest.mark.parametrize("sheet_path", SHEETS, ids=[p.stem[:30] for p in SHEETS])
def test_document_records_the_brief_and_its_report(sheet_path):
    """The document node has the brief's SHA-256, the report's address (dcterms:source, the
    brief's Original line) and, where the brief dates the report, the report's date."""
    brief = _article(sheet_path)
    text = read_text(brief)
    graph = Graph().parse(sheet_path.with_suffix(".ttl"), format="turtle")
    document = next(graph.subjects(RDF.type, AKG.SourceDocument))
    assert str(graph.value(document, DCTERMS.identifier)) == sha256_of(brief)
    assert str(graph.value(document, DCTERMS.source)) == original_address(text)
    assert graph.value(document, SCHEMA.url) is None  # a brief has no address of its own
    dated = _REPORTED.search(text)
    if dated:
        assert str(graph.value(document, DCTERMS.date)) == dated[1]


@pytest.mark.parametrize("sheet_path", SHEETS, ids=[p.stem[:30] for p in SHEETS])
def test_turtle_is_the_sheet_compiled(sheet_path):
    """The committed Turtle is what `add` makes of the sheet today (no stale output)."""
    article = _article(sheet_path)
    sheet = load_sheet(sheet_path)
    graph = compile_sheet(sheet, read_text(article), sha256_of(article))
    assert isomorphic(graph, Graph().parse(sheet_path.with_suffix(".ttl"), format="turtle"))


@pytest.mark.parametrize("sheet_path", SHEETS, ids=[p.stem[:30] for p in SHEETS])
def test_offsets_land_on_the_sentence_referenced(sheet_path):
    """Every selector's offsets are exactly its paragraph.sentence in the article's body."""
    article = _article(sheet_path)
    text = read_text(article)
    graph = Graph().parse(sheet_path.with_suffix(".ttl"), format="turtle")
    document = next(graph.subjects(RDF.type, AKG.SourceDocument))
    assert str(graph.value(document, DCTERMS.identifier)) == sha256_of(article)
    selectors = list(graph.subjects(RDF.type, OA.TextPositionSelector))
    assert selectors
    header = header_paragraphs(text)
    for selector in selectors:
        paragraph = int(graph.value(selector, AKG.paragraph))
        number = int(graph.value(selector, AKG.sentence))
        span = sentence_span(text, paragraph, number)
        assert paragraph > header
        assert (int(graph.value(selector, OA.start)), int(graph.value(selector, OA.end))) == (
            span.start,
            span.end,
        )


@pytest.mark.parametrize("sheet_path", SHEETS, ids=[p.stem[:30] for p in SHEETS])
def test_every_body_paragraph_is_used_or_skipped_with_a_reason(sheet_path):
    """Each paragraph after the header is evidence for a claim or listed as skipped."""
    text = read_text(_article(sheet_path))
    graph = Graph().parse(sheet_path.with_suffix(".ttl"), format="turtle")
    used = {int(p) for p in graph.objects(None, AKG.paragraph)}
    skipped = {s["paragraph"]: s["reason"] for s in load_sheet(sheet_path).data.get("skipped", [])}
    body = {s.paragraph for s in sentences(text)} - set(range(1, header_paragraphs(text) + 1))
    assert body - used == set(skipped), sorted(body - used)
    assert all(len(reason.split()) >= 3 for reason in skipped.values())


def _body_texts() -> dict[str, str]:
    """Each article's, each sheet's brief's and the seed's text after its header."""
    assert SHARED is not None
    out = {}
    documents = {SHARED / load_sheet(p).data["document"]["file"] for p in SHEETS}
    briefs = sorted(p for p in documents if p.parent.name == "briefs")
    for path in [
        *sorted((SHARED / "articles").glob("*.txt")),
        *briefs,
        *(SHARED / "seed").glob("*.txt"),
    ]:
        text = read_text(path)
        header = header_paragraphs(text)
        out[f"{path.parent.name}/{path.name}"] = "\n".join(
            text[s.start : s.end] for s in sentences(text) if s.paragraph > header
        )
    return out


def _yaml_strings(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _yaml_strings(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _yaml_strings(value, (*path, i))
    elif isinstance(node, str):
        yield path, node


def test_no_eight_word_run_of_any_article_is_copied():
    """No literal of graph/ (titles aside) nor text of a sheet repeats 8 words of an article."""
    bodies = _body_texts()
    found = []
    for ttl in sorted((ROOT / "graph").rglob("*.ttl")):
        graph = Graph().parse(ttl, format="turtle")
        for s, p, o in graph:
            if isinstance(o, Literal) and p != DCTERMS.title and len(str(o).split()) >= 8:
                for name, body in bodies.items():
                    found += [(ttl.name, str(s), name, run) for run in copied_runs(str(o), body)]
    for sheet_path in SHEETS:
        for path, value in _yaml_strings(load_sheet(sheet_path).data):
            if path[:2] in (("document", "title"), ("document", "url")):
                continue
            for name, body in bodies.items():
                found += [(sheet_path.name, path, name, run) for run in copied_runs(value, body)]
    assert found == []


def test_full_build_passes_with_all_sheets(built):
    """`build` accepts the ontology, entities, the seed and every article sheet's Turtle
    (the session's build of the checkout)."""
    report = built
    names = set(report.files)
    assert {f"graph/articles/{p.stem}.ttl" for p in SHEETS} <= names
    assert report.sources >= 1 + len(SHEETS)


# --------------------------------------------------------------------------- the storyline

_STAKES = """
SELECT ?claim ?share ?max ?status ?from ?to WHERE {
  ?claim a akg:EquityStake ; akg:holder ?holder ; akg:target ?target ;
         akg:interestType akg:Shareholding ; akg:status ?status .
  OPTIONAL { ?claim akg:shareExact ?share }
  OPTIONAL { ?claim akg:shareMaximum ?max }
  OPTIONAL { ?claim akg:validFrom ?from }
  OPTIONAL { ?claim akg:validTo ?to }
}
"""


@pytest.fixture(scope="module")
def union() -> Graph:
    dataset = load_graph(ROOT)
    flat = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        flat.add((s, p, o))
    return flat


def stakes_on(union: Graph, holder: URIRef, target: URIRef, day: str, *, plans: bool = True):
    """Shares of the stakes in force on ``day`` that no claim in force that day supersedes."""
    when = dt.date.fromisoformat(day)
    rows = union.query(
        sparql_prologue() + _STAKES, initBindings={"holder": holder, "target": target}
    )

    def valid(start, end) -> bool:
        return (start is None or start.toPython() <= when) and (
            end is None or when < end.toPython()
        )

    live = {r.claim: r for r in rows if valid(r["from"], r["to"])}
    superseded = {old for new in live for old in union.objects(new, AKG.supersedes)}
    return sorted(
        float(r.share if r.share is not None else r["max"])
        for c, r in live.items()
        if c not in superseded and (plans or r.status != AKG.PlanOrExpectation)
    )


RENAULT, NISSAN, AMPERE = KG.renault, KG.nissan, KG.ampere


def test_renault_in_nissan_over_time(union):
    """Renault in Nissan: 43% (and Kyodo's 43.4%) early in 2023, 43.4% on the record until
    8 Nov 2023 (the seed's mid-year plan of 15% aside), 15% after, 10% after the 2025 cut."""
    assert stakes_on(union, RENAULT, NISSAN, "2023-03-01") == [43.0, 43.4]
    assert stakes_on(union, RENAULT, NISSAN, "2023-10-01", plans=False) == [43.4]
    assert stakes_on(union, RENAULT, NISSAN, "2023-10-01") == [15.0, 43.4]  # seed expectation
    assert stakes_on(union, RENAULT, NISSAN, "2023-11-07", plans=False) == [43.4]
    assert stakes_on(union, RENAULT, NISSAN, "2023-11-08") == [15.0]
    assert stakes_on(union, RENAULT, NISSAN, "2024-06-01") == [15.0]
    assert stakes_on(union, RENAULT, NISSAN, "2025-03-30") == [15.0]
    assert set(stakes_on(union, RENAULT, NISSAN, "2025-04-01")) == {10.0}  # Asahi and AFP


def test_nissan_in_renault_over_time(union):
    """Nissan in Renault: 15% throughout (three sources agree), 10% after the 2025 cut."""
    for day in ("2023-03-01", "2023-11-08", "2024-06-01", "2025-03-30"):
        assert set(stakes_on(union, NISSAN, RENAULT, day)) == {15.0}, day
    assert set(stakes_on(union, NISSAN, RENAULT, "2025-04-01")) == {10.0}  # Asahi and AFP


def test_french_trust_and_ampere(union):
    """The trust holds 28.4% of Nissan from 8 Nov 2023; Nissan's up-to-15% Ampere plan is
    superseded by the 2025 cancellation (0%)."""
    trust = KG["nissan-share-trust"]
    assert stakes_on(union, trust, NISSAN, "2023-11-07") == []
    assert stakes_on(union, trust, NISSAN, "2023-11-08") == [28.4]
    assert stakes_on(union, NISSAN, AMPERE, "2024-06-01") == [15.0]
    assert stakes_on(union, NISSAN, AMPERE, "2025-04-01") == [0.0]


def test_horse_powertrain_owners(union):
    """Horse Powertrain: Renault 45%, Geely 45%, Aramco 10% through its Singapore subsidiary."""
    horse = KG["horse-powertrain"]
    # Zawya and Energynews agree on Renault's and Geely's 45%
    assert set(stakes_on(union, RENAULT, horse, "2025-01-01")) == {45.0}
    assert set(stakes_on(union, KG["geely-holding"], horse, "2025-01-01")) == {45.0}
    # Energynews's planned 10% for Aramco ends with the completion Zawya reports
    assert stakes_on(union, KG.aramco, horse, "2024-07-01") == [10.0]
    assert stakes_on(union, KG.aramco, horse, "2025-01-01") == []
    assert stakes_on(union, KG["aramco-asia-singapore"], horse, "2025-01-01") == [10.0]
    assert stakes_on(union, KG["aramco-asia-singapore"], horse, "2024-11-30") == []
    assert stakes_on(union, KG.aramco, KG["aramco-asia-singapore"], "2025-01-01") == [100.0]


def test_honda_nissan_plan_superseded_by_its_collapse(union):
    """The Dec 2024 holding-company plan claims are all superseded by the Feb 2025 break-up."""
    plans = {
        c
        for c in union.subjects(AKG.event, URIRef(str(KG) + "event/honda-nissan-integration"))
        if union.value(c, AKG.status) == AKG.PlanOrExpectation
    }
    assert CLAIM["rtt-integration-plan"] in plans
    ended = set(union.objects(CLAIM["yomiuri-talks-ended"], AKG.supersedes))
    assert plans <= ended
    assert str(union.value(CLAIM["yomiuri-talks-ended"], AKG.date)) == "2025-02-13"
