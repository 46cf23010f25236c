"""BODS importer: each official example becomes the stakes it describes; bad files fail cleanly."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from automaker_kg.errors import InputError, ParseError
from automaker_kg.namespaces import AKG, OA
from automaker_kg.sources.bods import (
    INTEREST_TYPES,
    bods_to_rdf,
    import_bods,
    read_bods,
    share_bounds,
    status_for,
)
from automaker_kg.sources.importing import iri_part

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BODS = SHARED / "bods-examples"
INVALID = ROOT / "tests" / "data" / "invalid-statements"
needs_shared = pytest.mark.skipif(
    not BODS.is_dir(), reason="../shared/data/bods-examples is not present"
)
EXAMPLES = sorted((BODS / "examples").glob("*.json")) if BODS.is_dir() else []
EQUITY = {"shareholding", "votingRights"}


@pytest.fixture
def data_copy(small_data: Path) -> Path:
    """The data a test may break: the seed article's graph (a build of it takes seconds)."""
    return small_data


def ontology() -> Graph:
    g = Graph()
    for name in ("automaker.ttl", "taxonomy.ttl", "imports.ttl", "bods-interests.ttl"):
        g.parse(ROOT / "ontology" / name)
    return g


def claims_from(graph: Graph, pointer: str) -> list[URIRef]:
    """Claims derived from the statement at ``pointer``."""
    out = []
    for claim, target in graph.subject_objects(PROV.wasDerivedFrom):
        for selector in graph.objects(target, OA.hasSelector):
            if graph.value(selector, RDF.value) == Literal(pointer):
                out.append(claim)
    return out


def expected_interests(statements: list[dict]) -> tuple[list[tuple[int, int, dict, dict]], int]:
    """(pointer index, interest index, statement, interest) for every interest, and how many
    interests restate the previous statement's interest of the same record unchanged."""
    out, restated, previous = [], 0, {}
    for i, s in enumerate(statements):
        if s["recordType"] != "relationship":
            continue
        pool: dict[str, list[dict]] = {}
        for interest in previous.get(s["recordId"], []):
            pool.setdefault(interest.get("type", "unknownInterest"), []).append(interest)
        interests = s["recordDetails"].get("interests") or []
        for j, interest in enumerate(interests):
            out.append((i, j, s, interest))
            same = pool.get(interest.get("type", "unknownInterest"))
            if same:
                old = same.pop(0)
                if old.get("share", {}) == interest.get("share", {}) and old.get(
                    "startDate"
                ) == interest.get("startDate"):
                    restated += 1
        if interests:
            previous[s["recordId"]] = interests
    return out, restated


def _mismatches(g: Graph, claim: URIRef, code: str, s: dict, interest: dict) -> list[str]:
    """What in ``claim`` differs from the BODS interest (empty when it matches)."""
    bad = []
    cls = AKG.EquityStake if code in EQUITY else AKG.ControlInterest
    if (claim, RDF.type, cls) not in g:
        bad.append("class")
    details = s["recordDetails"]
    if not str(g.value(claim, AKG.holder)).endswith("/" + iri_part(details["interestedParty"])):
        bad.append("holder")
    if not str(g.value(claim, AKG.target)).endswith("/" + iri_part(details["subject"])):
        bad.append("target")
    share = interest.get("share", {})
    value = lambda p: g.value(claim, p).toPython() if g.value(claim, p) is not None else None  # noqa: E731
    if "exact" in share and value(AKG.shareExact) != Decimal(str(share["exact"])):
        bad.append("exact")
    if "exact" not in share:
        lows = [Decimal(str(share[k])) for k in ("minimum", "exclusiveMinimum") if k in share]
        highs = [Decimal(str(share[k])) for k in ("maximum", "exclusiveMaximum") if k in share]
        if lows and value(AKG.shareMinimum) != max(lows):
            bad.append("minimum")
        if highs and value(AKG.shareMaximum) != min(highs):
            bad.append("maximum")
        if (
            "exclusiveMaximum" in share
            and "maximum" not in share
            and value(AKG.shareMaximumExclusive) is not True
        ):
            bad.append("exclusive maximum")
    if code in EQUITY and not share:
        if value(AKG.shareUnknown) is not True or value(AKG.shareMinimum) is not None:
            bad.append("unknown share as akg:shareUnknown")
    if "startDate" in interest and str(value(AKG.validFrom)) != interest["startDate"]:
        # a changed share that repeats the interest's first start date holds from the change:
        # the end of the claim it supersedes (fermcat)
        older = g.value(claim, AKG.supersedes)
        moved = older is not None and str(value(AKG.validFrom)) == str(g.value(older, AKG.validTo))
        if not (moved and interest["startDate"] <= str(g.value(older, AKG.validFrom))):
            bad.append("start")
    if "endDate" in interest and str(value(AKG.validTo)) != interest["endDate"]:
        bad.append("end")
    level = interest.get("directOrIndirect")
    if level in {"direct", "indirect"} and value(AKG.indirect) != (level == "indirect"):
        bad.append("indirect")
    if g.value(claim, AKG.status) != status_for((s.get("source") or {}).get("type")):
        bad.append("status")
    return bad


@needs_shared
def test_bundled_schema_is_the_official_one():
    """The schema bundled with the package is byte-identical to the shared copy."""
    bundled = ROOT / "src" / "automaker_kg" / "sources" / "bods_schema"
    for path in bundled.glob("*.json"):
        assert path.read_bytes() == (BODS / "schema" / path.name).read_bytes()
    assert {p.name for p in bundled.glob("*.json")} == {
        "statement.json",
        "components.json",
        "entity-record.json",
        "person-record.json",
        "relationship-record.json",
    }


def test_every_interest_code_has_a_concept():
    """Each BODS interestType code maps to a concept with that skos:notation."""
    g = ontology()
    codes = (
        [
            row["code"]
            for row in csv.DictReader(
                (BODS / "schema/codelists/interestType.csv").read_text().splitlines()
            )
        ]
        if BODS.is_dir()
        else list(INTEREST_TYPES)
    )
    assert set(codes) == set(INTEREST_TYPES)
    for code, concept in INTEREST_TYPES.items():
        assert g.value(concept, SKOS.notation) == Literal(code)
        assert (concept, SKOS.inScheme, AKG.InterestTypeScheme) in g


@needs_shared
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_becomes_the_stakes_it_describes(path: Path):
    """Every interest of every relationship statement is a claim with its holder, target,
    type, share, start date and directness, derived from that statement."""
    statements = json.loads(path.read_text())
    result = import_bods(path)
    g = result.graph
    interests, restated = expected_interests(statements)
    made = set(g.subjects(RDF.type, AKG.EquityStake)) | set(
        g.subjects(RDF.type, AKG.ControlInterest)
    )
    assert len(made) == len(interests) - restated
    assert sum(result.report.claims.values()) == len(made)
    for i, j, s, interest in interests:
        code = interest.get("type", "unknownInterest")
        candidates = [
            c
            for c in claims_from(g, f"/{i}")
            if g.value(c, AKG.interestType) == INTEREST_TYPES[code]
        ]
        problems = [_mismatches(g, c, code, s, interest) for c in candidates]
        assert [] in problems, f"/{i} interest {j} ({code}): {problems or 'no claim'}"
    records = {s["recordId"] for s in statements if s["recordType"] in {"entity", "person"}}
    assert result.report.entities == len(records)
    persons = {s["recordId"] for s in statements if s["recordType"] == "person"}
    assert len(set(g.subjects(RDF.type, AKG.Person))) == len(persons)
    assert result.report.read == len(statements)


@needs_shared
def test_provenance_names_the_file_and_the_statement():
    """A claim is derived from the file (sha256) at the statement's pointer and statementId."""
    path = BODS / "examples" / "joint-ownership.json"
    statements = json.loads(path.read_text())
    g = import_bods(path).graph
    (claim,) = claims_from(g, "/2")
    target = g.value(claim, PROV.wasDerivedFrom)
    doc = g.value(target, OA.hasSource)
    assert (doc, RDF.type, AKG.SourceDocument) in g
    import hashlib

    assert (
        str(g.value(doc, URIRef("http://purl.org/dc/terms/identifier")))
        == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    )
    selector = g.value(target, OA.hasSelector)
    assert (selector, RDF.type, OA.FragmentSelector) in g
    assert (
        str(g.value(selector, URIRef("http://purl.org/dc/terms/identifier")))
        == statements[2]["statementId"]
    )


@needs_shared
def test_identifiers_and_names_are_kept():
    """Entity identifiers keep their scheme (LEI, company numbers); names become labels."""
    g = import_bods(BODS / "examples" / "plc-entity-statement.json").graph
    ids = {str(o) for o in g.objects(None, URIRef("http://purl.org/dc/terms/identifier"))}
    assert {"GB-COH:02723534", "XI-LEI:PY6ZZQWO2IZFZC3IOL08"} <= ids
    (company,) = set(g.subjects(RDF.type, AKG.Company))
    assert str(g.value(company, SKOS.prefLabel)) == "AstraZeneca PLC"
    assert g.value(company, AKG.country) is None  # no GB market in the taxonomy
    assert str(g.value(company, AKG.countryCode)) == "GB"


@needs_shared
def test_tecido_history_supersedes_and_ends_old_stakes():
    """Updated statements supersede the earlier stake, which ends when the new one starts;
    a closing statement that restates a stake ends it instead of duplicating it."""
    g = import_bods(BODS / "examples" / "tecido.json").graph
    maria = [
        c
        for c in g.subjects(RDF.type, AKG.EquityStake)
        if str(g.value(c, AKG.holder)).endswith("018AF6B3EB")
        and g.value(c, AKG.interestType) == AKG.Shareholding
    ]
    by_share = {g.value(c, AKG.shareExact).toPython(): c for c in maria}
    assert sorted(by_share) == [Decimal(30), Decimal(40), Decimal(100)]
    assert str(g.value(by_share[Decimal(100)], AKG.validTo)) == "2021-09-24"
    assert (by_share[Decimal(40)], AKG.supersedes, by_share[Decimal(100)]) in g
    assert (by_share[Decimal(30)], AKG.supersedes, by_share[Decimal(40)]) in g
    assert str(g.value(by_share[Decimal(30)], AKG.validTo)) == "2023-03-03"  # record closed
    assert len(claims_from(g, "/9")) == 3 and set(claims_from(g, "/9")) <= set(claims_from(g, "/7"))


@pytest.mark.parametrize(
    ("types", "status"),
    [
        (["selfDeclaration"], AKG.OfficialStatement),
        (["officialRegister", "verified"], AKG.OfficialStatement),
        (["primaryResearch"], AKG.HistoricalFact),
        (["thirdParty", "verified"], AKG.HistoricalFact),
        (["thirdParty"], AKG.AttributedAllegation),
        ([], AKG.HistoricalFact),
        (None, AKG.HistoricalFact),
    ],
)
def test_source_type_gives_status(types, status):
    """The documented source-type -> status mapping."""
    assert status_for(types) == status


percent = st.decimals(min_value=0, max_value=100, places=2)


@given(a=percent, b=percent)
def test_tighter_lower_bound_wins(a, b):
    """Of minimum and exclusiveMinimum the larger is kept; at a tie the exclusive one."""
    out = share_bounds({"minimum": float(a), "exclusiveMinimum": float(b)})
    assert out["minimum"] == max(Decimal(str(float(a))), Decimal(str(float(b))))
    assert out["minimum_exclusive"] == (Decimal(str(float(b))) >= Decimal(str(float(a))))


@given(a=percent, b=percent)
def test_tighter_upper_bound_wins(a, b):
    """Of maximum and exclusiveMaximum the smaller is kept; at a tie the exclusive one."""
    out = share_bounds({"maximum": float(a), "exclusiveMaximum": float(b)})
    assert out["maximum"] == min(Decimal(str(float(a))), Decimal(str(float(b))))
    assert out["maximum_exclusive"] == (Decimal(str(float(b))) <= Decimal(str(float(a))))


def _expected_pointer(json_path: str) -> str:
    parts = re.findall(r"\[(\d+)\]|\.([A-Za-z_$][\w.]*?)(?=\.|\[|$)", json_path.removeprefix("$"))
    return "".join("/" + (index or name) for index, name in parts)


INVALID_FILES = sorted(INVALID.glob("*.json"))
EXPECTED = (
    {row[0]: row for row in csv.reader((INVALID / "expected_errors.csv").read_text().splitlines())}
    if INVALID.is_dir()
    else {}
)


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.name)
def test_invalid_statement_gets_a_clear_error(path: Path):
    """Each schema-invalid file raises InputError naming the file and the statement's pointer."""
    with pytest.raises(InputError) as caught:
        read_bods(path)
    message = str(caught.value)
    assert str(path) in message
    assert not isinstance(caught.value, ParseError)
    if path.name == "statements_not_array.json":
        assert "array" in message
        return
    pointer, schema_message = caught.value.problems[0]
    assert pointer.startswith("/0")
    assert f"{pointer}: {schema_message}" in message
    if path.name in EXPECTED:
        expected = _expected_pointer(EXPECTED[path.name][2])
        # the schema's best match is the expected place or inside/around it on one branch
        assert pointer.startswith(expected) or expected.startswith(pointer), (pointer, expected)


def test_invalid_statement_is_skipped_not_the_file(tmp_path: Path):
    """One invalid statement among valid ones: `import` skips it with its pointer and schema
    message and imports the rest; the strict converter still refuses everything."""
    good = (
        json.loads((BODS / "examples" / "joint-ownership.json").read_text())
        if BODS.is_dir()
        else None
    )
    if good is None:
        pytest.skip("../shared/data/bods-examples is not present")
    bad = dict(
        good[2],
        recordDetails=dict(
            good[2]["recordDetails"], interests=[{"type": "shareholding", "share": {"exact": 140}}]
        ),
    )
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(good[:2] + [bad] + good[3:]))
    result = import_bods(path)
    (skipped,) = result.report.skipped
    assert skipped["where"] == "/2" and skipped["id"] == bad["statementId"]
    assert "/2/recordDetails/interests/0/share/exact" in skipped["reason"]
    assert result.report.imported == len(good) - 1
    with pytest.raises(InputError, match=r"mixed\.json: /2/recordDetails/interests/0/share/exact"):
        read_bods(path)
    with pytest.raises(InputError):
        bods_to_rdf(good[:2] + [bad], source_path=path)


@needs_shared
def test_json_lines_gives_the_same_claims(tmp_path: Path):
    """A JSON Lines file of the same statements gives the same stakes, pointers by position."""
    source = BODS / "examples" / "tecido.json"
    statements = json.loads(source.read_text())
    lines = tmp_path / "tecido.jsonl"
    lines.write_text("\n".join(json.dumps(s) for s in statements) + "\n")
    a, b = import_bods(source), import_bods(lines)
    assert a.report.claims == b.report.claims

    def shares(g):
        return sorted(
            (str(c), str(g.value(c, AKG.shareExact))) for c in g.subjects(RDF.type, AKG.EquityStake)
        )  # noqa: E731

    assert shares(a.graph) == shares(b.graph)
    assert read_bods(lines) == statements


def test_garbage_is_a_parse_error(tmp_path: Path):
    """A file that is neither JSON nor JSON Lines names the file and line."""
    path = tmp_path / "bad.jsonl"
    path.write_text('{"statementId": 1}\n{not json\n')
    with pytest.raises(ParseError, match=r"bad\.jsonl:2"):
        read_bods(path)


@needs_shared
def test_bods_02_statements_are_read_deliberately():
    """BODS 0.2 statements (Open Ownership's GLEIF mapping) import: entities by statementID,
    kebab-case interest types mapped, date-times cut to dates."""
    rr = import_bods(SHARED / "gleif-rr-samples" / "rr-data-out.json")
    assert rr.report.claims == {"ControlInterest": 10}
    g = rr.graph
    assert {g.value(c, AKG.interestType) for c in g.subjects(RDF.type, AKG.ControlInterest)} == {
        AKG.OtherInfluenceOrControl
    }
    assert all(
        g.value(c, AKG.status) == AKG.OfficialStatement
        for c in g.subjects(RDF.type, AKG.ControlInterest)
    )
    lei = import_bods(SHARED / "gleif-rr-samples" / "lei-data-out.json")
    assert lei.report.entities == 5
    assert "XI-LEI:00W0SLGGVF0QQ5Q36N03" in {
        str(o) for o in lei.graph.objects(None, URIRef("http://purl.org/dc/terms/identifier"))
    }


CONCURRENT = {"ConcurrentStakesAtMost100"}
# tecido: the trust's 80% starts on 2023-03-01 while a 30% holding is closed only on
# 2023-03-03, so for two days the register's own data sums to 110%. Indirect stakes
# (akg:indirect) and superseded ones are not summed, so the other examples conform.
KNOWN = {"tecido.json": CONCURRENT}


@needs_shared
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_output_conforms_to_the_shapes(path: Path):
    """SHACL: every example conforms (record-level provenance is a JSON pointer) except the
    data conflict listed in KNOWN."""
    validate = pytest.importorskip("automaker_kg.validate")
    data = ontology() + import_bods(path).graph
    rules = {v.rule for v in validate.validate(data)}
    assert rules == KNOWN.get(path.name, set()), rules


@needs_shared
def test_cli_import_writes_turtle_and_counts(cli, data_copy: Path):
    """`import bods` writes graph/imports/bods-<stem>.ttl and prints what it read and made."""
    done = cli("import", "bods", BODS / "examples" / "fermcat.json", "--data-dir", data_copy)
    assert done.exit_code == 0, done.stderr
    target = data_copy / "graph" / "imports" / "bods-fermcat.ttl"
    assert (
        "23 read" in done.stdout and "4 EquityStake" in done.stdout and str(target) in done.stdout
    )
    g = Graph().parse(target)
    assert len(set(g.subjects(RDF.type, AKG.EquityStake))) == 4
    assert cli("build", "--data-dir", data_copy, "--store", data_copy / "store").exit_code == 0


@needs_shared
def test_cli_import_refuses_data_that_would_not_validate(cli, data_copy: Path):
    """tecido's stakes sum to 110% for two days: exit 1, the rule and file named, nothing
    written, so the next build still passes."""
    done = cli("import", "bods", BODS / "examples" / "tecido.json", "--data-dir", data_copy)
    assert done.exit_code == 1
    assert "ConcurrentStakesAtMost100" in done.stderr and "bods-tecido.ttl" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (data_copy / "graph" / "imports" / "bods-tecido.ttl").exists()


@needs_shared
def test_cli_import_writes_nothing_on_error(cli, data_copy: Path):
    """One invalid file among good ones: exit 2, the file and pointer named, nothing written."""
    done = cli(
        "import",
        "bods",
        BODS / "examples" / "tecido.json",
        INVALID / "person_type_missing.json",
        "--data-dir",
        data_copy,
    )
    assert done.exit_code == 2
    assert (
        "person_type_missing.json: /0/recordDetails: 'personType' is a required property"
        in done.stderr
    )
    assert "Traceback" not in done.stderr
    assert not (data_copy / "graph" / "imports").exists()
