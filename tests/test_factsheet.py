"""Fact sheets: the format round-trips, bad sheets are refused with sheet:line and field."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from automaker_kg.errors import InputError
from automaker_kg.namespaces import AKG, CLAIM
from automaker_kg.paths import shared_dir
from automaker_kg.sources.documents import sha256_of
from automaker_kg.sources.factsheet import (
    CLAIM_KINDS,
    ENTITY_TYPES,
    EVENT_KINDS,
    SheetConformanceError,
    SheetError,
    add,
    compile_sheet,
    copied_runs,
    header_paragraphs,
    load_sheet,
    parse_sheet,
    to_turtle,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = shared_dir()
needs_shared = pytest.mark.skipif(SHARED is None, reason="../shared (the articles) not present")

# A tiny document: a two-line header, then three body paragraphs.
TEXT = (
    "Title: A made-up report\n"
    "Date: 2024-01-02\n"
    "\n"
    "Alpha Motors bought a stake in Beta Cars on Monday. The price was not given.\n"
    "\n"
    "Beta Cars said it welcomed the new shareholder from across the sea.\n"
    "\n"
    "Analysts expect more deals.\n"
)
SHA = "sha256:" + "a" * 64

SHEET = """\
document:
  file: tiny.txt
  title: A made-up report
  publisher: reuters
  date: 2024-01-02
claims:
  - id: tiny-stake
    kind: EquityStake
    status: official
    label: "Renault holds a fifth of Nissan"
    holder: renault
    target: nissan
    interest: shareholding
    share: 20
    valid_from: 2024-01
    evidence: ["3.1", "3.2"]
  - id: tiny-welcome
    kind: Assessment
    status: official
    label: "Nissan is glad of its new owner"
    assessment: benefit
    assessed_by: nissan
    evidence: "4.1"
skipped:
  - paragraph: 5
    reason: "An analysts' forecast with nobody named."
"""


@pytest.fixture
def data_copy(small_data: Path) -> Path:
    """The data a test may break: the seed article's graph (a build of it takes seconds)."""
    return small_data


def _sheet(text: str = SHEET, name: str = "tiny.yaml"):
    return parse_sheet(text, name)


def test_compile_gives_offsets_and_precision():
    """Evidence becomes the sentence's offsets; a YYYY-MM date gets month precision."""
    graph = compile_sheet(_sheet(), TEXT, SHA)
    claim = CLAIM["tiny-stake"]
    assert str(graph.value(claim, AKG.shareExact)) == "20.0"
    assert str(graph.value(claim, AKG.validFrom)) == "2024-01-01"
    assert str(graph.value(claim, AKG.validFromPrecision)).endswith("unitMonth")
    starts = sorted(
        (int(graph.value(sel, AKG.paragraph)), int(graph.value(sel, AKG.sentence)))
        for sel in graph.subjects(AKG.paragraph, None)
    )
    assert starts == [(3, 1), (3, 2), (4, 1)]
    for selector in graph.subjects(AKG.paragraph, None):
        from rdflib.namespace import Namespace

        oa = Namespace("http://www.w3.org/ns/oa#")
        start, end = int(graph.value(selector, oa.start)), int(graph.value(selector, oa.end))
        assert TEXT[start:end] in (
            "Alpha Motors bought a stake in Beta Cars on Monday.",
            "The price was not given.",
            "Beta Cars said it welcomed the new shareholder from across the sea.",
        )


def test_turtle_round_trips():
    """The written Turtle parses back to a graph isomorphic to the compiled one."""
    sheet = _sheet()
    graph = compile_sheet(sheet, TEXT, SHA)
    again = Graph().parse(data=to_turtle(graph, sheet), format="turtle")
    assert isomorphic(graph, again)


_label = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=3, max_size=40
).filter(lambda s: s.strip() == s and len(s.strip()) >= 3)
_date = st.dates(min_value=__import__("datetime").date(1990, 1, 1)).flatmap(
    lambda d: st.sampled_from([str(d.year), d.strftime("%Y-%m"), d.isoformat()])
)


@st.composite
def _sheets(draw):
    claims = []
    for i in range(draw(st.integers(1, 4))):
        share = draw(st.decimals(0, 100, places=1, allow_nan=False))
        claim = {
            "id": f"gen-{i}",
            "kind": "EquityStake",
            "status": draw(st.sampled_from(["official", "plan", "historical", "reported"])),
            "label": draw(_label),
            "holder": "renault",
            "target": "nissan",
            "interest": draw(st.sampled_from(["shareholding", "voting_rights"])),
            "share": float(share),
            "evidence": draw(
                st.lists(st.sampled_from(["3.1", "3.2", "4.1"]), min_size=1, unique=True)
            ),
        }
        if draw(st.booleans()):
            claim["valid_to"] = draw(_date)
        claims.append(claim)
    return {
        "document": {"file": "tiny.txt", "title": "T", "publisher": "reuters", "date": "2024"},
        "claims": claims,
    }


def _same_graph(a: Graph, b: Graph) -> bool:
    """Isomorphism by RDFC-1.0 canonical forms (pyoxigraph). rdflib's ``isomorphic`` takes
    exponential time on the many look-alike evidence blank nodes these sheets make."""
    import pyoxigraph as ox

    def canonical(graph: Graph) -> set:
        dataset = ox.Dataset(ox.parse(graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return set(dataset)

    return len(a) == len(b) and canonical(a) == canonical(b)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_sheets(), st.booleans())
def test_yaml_and_turtle_round_trip(data, flow):
    """Any valid sheet, dumped as YAML in either style, compiles to the same graph; so does
    its Turtle."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    sheet = parse_sheet(text, "gen.yaml")
    graph = compile_sheet(sheet, TEXT, SHA, strict=False)
    other = compile_sheet(
        parse_sheet(yaml.safe_dump(data, default_flow_style=not flow), "gen2.yaml"),
        TEXT,
        SHA,
        strict=False,
    )
    assert _same_graph(graph, other)
    assert _same_graph(graph, Graph().parse(data=to_turtle(graph, sheet), format="turtle"))
    for i, claim in enumerate(data["claims"]):
        share = graph.value(CLAIM[f"gen-{i}"], AKG.shareExact)
        assert Decimal(str(share)) == Decimal(str(claim["share"]))


def test_header_and_copied_runs():
    """The Key: value header is recognised; 8-word runs shared with the text are found."""
    assert header_paragraphs(TEXT) == 2
    assert header_paragraphs("Daily News\n\nBody.\n") == 0
    assert copied_runs("he said it welcomed the new shareholder from across", TEXT) == [
        "said it welcomed the new shareholder from across"
    ]
    assert copied_runs("Nissan is glad of its new owner", TEXT) == []


# --------------------------------------------------------------------------- refused sheets


def _broken(old: str, new: str) -> str:
    assert old in SHEET
    return SHEET.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = [
    # (what, old, new, field, message fragment, line marker)
    (
        "bad status",
        "status: official",
        "status: rumour",
        "claims[0].status",
        "not one of",
        "status: rumour",
    ),
    (
        "percentage 140",
        "share: 20",
        "share: 140",
        "claims[0].share",
        "maximum of 100",
        "share: 140",
    ),
    (
        "unknown entity",
        "holder: renault",
        "holder: renualt",
        "claims[0].holder",
        "unknown term kg:renualt",
        "holder: renualt",
    ),
    (
        "no such sentence",
        '["3.1", "3.2"]',
        '["3.1", "3.7"]',
        "claims[0].evidence[1]",
        "no sentence 7 in paragraph 3",
        '"3.7"',
    ),
    (
        "header as evidence",
        '["3.1", "3.2"]',
        '["1.1"]',
        "claims[0].evidence[0]",
        "header",
        '["1.1"]',
    ),
    (
        "unknown field",
        "interest: shareholding",
        "interest: shareholding\n    shares: 3",
        "claims[0].shares",
        "unknown field",
        "shares: 3",
    ),
    (
        "missing field",
        "    holder: renault\n",
        "",
        "claims[0]",
        "missing required field 'holder'",
        "- id: tiny-stake",
    ),
    (
        "copied words",
        'label: "Nissan is glad of its new owner"',
        'label: "it welcomed the new shareholder from across the sea"',
        "claims[1].label",
        "copies 8 words",
        "it welcomed the new",
    ),
    (
        "bad date",
        "valid_from: 2024-01",
        "valid_from: 2024-13",
        "claims[0].valid_from",
        "month must be in 1..12",
        "valid_from: 2024-13",
    ),
    (
        "skipped paragraph with claims",
        "paragraph: 5",
        "paragraph: 4",
        "skipped[0].paragraph",
        "has claims",
        "paragraph: 4",
    ),
    (
        "duplicate key",
        "    share: 20\n",
        "    share: 20\n    share: 21\n",
        "claims[0].share",
        "duplicate key",
        "share: 21",
    ),
]


@pytest.mark.parametrize("what,old,new,field,fragment,marker", CASES, ids=[c[0] for c in CASES])
def test_bad_sheet_names_line_and_field_and_writes_nothing(
    tmp_path, data_copy, what, old, new, field, fragment, marker
):
    """Each broken sheet is refused with sheet:line: field: message; graph/ is untouched."""
    text = _broken(old, new)
    sheet = tmp_path / "tiny.yaml"
    sheet.write_text(text, encoding="utf-8")
    document = tmp_path / "tiny.txt"
    document.write_text(TEXT, encoding="utf-8")
    before = sorted(p.relative_to(data_copy) for p in (data_copy / "graph").rglob("*"))
    with pytest.raises(SheetError) as info:
        add(sheet, document=document, data_dir=data_copy)
    problems = [p for p in info.value.problems if p.field == field]
    assert problems, str(info.value)
    assert fragment in problems[0].message, str(info.value)
    assert problems[0].line == _line_of(text, marker)
    assert f"{sheet}:{problems[0].line}: {field}: " in str(info.value)
    after = sorted(p.relative_to(data_copy) for p in (data_copy / "graph").rglob("*"))
    assert after == before


def test_shape_violation_is_refused_with_exit_code_1(tmp_path, data_copy):
    """A stake held by its own target passes the schema but not SHACL: exit code 1, no file."""
    text = _broken("holder: renault", "holder: nissan")
    sheet = tmp_path / "tiny.yaml"
    sheet.write_text(text, encoding="utf-8")
    document = tmp_path / "tiny.txt"
    document.write_text(TEXT, encoding="utf-8")
    with pytest.raises(SheetConformanceError) as info:
        add(sheet, document=document, data_dir=data_copy)
    assert info.value.exit_code == 1
    assert "HolderIsNotTarget" in str(info.value)
    assert info.value.problems[0].line == _line_of(text, "- id: tiny-stake")
    assert not (data_copy / "graph" / "articles" / "tiny.ttl").exists()


def test_good_sheet_is_written_and_replaced_atomically(tmp_path, data_copy):
    """A good sheet becomes graph/articles/<name>.ttl; adding it again replaces the file."""
    sheet = tmp_path / "tiny.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    document = tmp_path / "tiny.txt"
    document.write_text(TEXT, encoding="utf-8")
    report = add(sheet, document=document, data_dir=data_copy)
    target = data_copy / "graph" / "articles" / "tiny.ttl"
    assert report.target == target and report.claims == 2
    graph = Graph().parse(target, format="turtle")
    assert str(graph.value(predicate=None, object=None, subject=None) is not None)
    assert sha256_of(document) in target.read_text(encoding="utf-8")
    add(sheet, document=document, data_dir=data_copy)  # replacing its own output is fine
    assert not list(target.parent.glob(".*.tmp"))
    assert isomorphic(graph, Graph().parse(target, format="turtle"))


def test_cli_add_exit_codes(tmp_path, data_copy, cli):
    """`automaker-kg add`: 0 and the path written; 2 with sheet:line for a bad sheet."""
    document = tmp_path / "tiny.txt"
    document.write_text(TEXT, encoding="utf-8")
    good, bad = tmp_path / "tiny.yaml", tmp_path / "bad.yaml"
    good.write_text(SHEET, encoding="utf-8")
    bad.write_text(_broken("share: 20", "share: 140"), encoding="utf-8")
    ok = cli("add", good, "--document", document, "--data-dir", data_copy)
    assert ok.exit_code == 0, ok.stderr
    assert "tiny.ttl" in ok.stdout
    refused = cli("add", bad, "--document", document, "--data-dir", data_copy)
    assert refused.exit_code == 2
    assert re.search(rf"{re.escape(str(bad))}:\d+: claims\[0\]\.share: ", refused.stderr)
    assert "Traceback" not in refused.stderr
    assert not (data_copy / "graph" / "articles" / "bad.ttl").exists()


def test_missing_document_is_an_input_error(tmp_path, data_copy):
    """A sheet whose document cannot be found names the document.file field."""
    sheet = tmp_path / "tiny.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    with pytest.raises(InputError) as info:
        add(sheet, document=tmp_path / "nope.txt", data_dir=data_copy)
    assert "document.file" in str(info.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    """Unparsable YAML is reported with its line."""
    path = tmp_path / "x.yaml"
    path.write_text("document:\n  file: [unclosed\nclaims: []\n", encoding="utf-8")
    with pytest.raises(SheetError, match=rf"{re.escape(str(path))}:\d+: bad YAML"):
        load_sheet(path)


def test_every_sheet_word_names_a_term_of_the_closed_namespace():
    """Claim kinds, entity types, event kinds and concept words are akg: terms (a typo raises)."""
    for cls, fields, _ in CLAIM_KINDS.values():
        assert cls in AKG
        for field in fields.values():
            if field.kind == "concept":
                assert all(field.concept(word) in AKG for word in field.choices)
    assert all(AKG[kind] in AKG for kind in ENTITY_TYPES)
    assert all(AKG[kind.capitalize()] in AKG for kind in EVENT_KINDS)
    with pytest.raises(AttributeError):
        AKG["EquityStak"]


def test_a_problem_the_graph_already_had_is_not_blamed_on_the_sheet(tmp_path, data_copy):
    """With another file already breaking a shape, a good sheet is still added and a bad one
    is refused for its own problem only (the old one is looked up for its focus node alone)."""
    other = data_copy / "graph" / "seed" / "nissan-renault-2023.ttl"
    text = other.read_text(encoding="utf-8")
    assert "akg:shareExact 43.0 ;" in text
    other.write_text(
        text.replace("akg:shareExact 43.0 ;", "akg:shareExact 140.0 ;"), encoding="utf-8"
    )
    document = tmp_path / "tiny.txt"
    document.write_text(TEXT, encoding="utf-8")
    sheet = tmp_path / "tiny.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    assert add(sheet, document=document, data_dir=data_copy).claims == 2
    sheet.write_text(_broken("holder: renault", "holder: nissan"), encoding="utf-8")
    with pytest.raises(SheetConformanceError) as info:
        add(sheet, document=document, data_dir=data_copy)
    assert "HolderIsNotTarget" in str(info.value) and "ShareExactRange" not in str(info.value)
