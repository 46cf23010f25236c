"""The drafting assistant: drafts that parse and check, evidence on sentences, own words, the
scorer on a hand-made pair, and the documented split."""

from __future__ import annotations

import doctest
import functools
import importlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from automaker_kg.build import parse_file, project_files
from automaker_kg.draft import Draft, draft_document
from automaker_kg.draft.evaluate import (
    DEV,
    EXACT,
    HELD_OUT,
    KINDS,
    Counts,
    curated_sheet,
    score,
    table,
)
from automaker_kg.draft.extract import draft_text
from automaker_kg.draft.names import Name
from automaker_kg.paths import shared_dir
from automaker_kg.sources.documents import read_text, sentences, sha256_of
from automaker_kg.sources.factsheet import add, compile_sheet, parse_sheet
from automaker_kg.sources.factsheet import known_terms as typed_iris
from conftest import ROOT, copy_data, run_cli

SHARED = shared_dir()
BRIEFS = sorted((SHARED / "briefs").glob("*.txt")) if SHARED else []
needs_briefs = pytest.mark.skipif(not BRIEFS, reason="shared/briefs is not beside the checkout")


@functools.cache
def drafted(brief: Path) -> tuple[Draft, str]:
    """The draft of a brief on the checkout's data (drafted once, read by three tests)."""
    return draft_document(brief)


@pytest.fixture(scope="module")
def known_terms():
    """The IRIs the ontology and graph/ describe (what a sheet may refer to)."""
    return typed_iris(parse_file(p) for p in project_files(ROOT))


@needs_briefs
@pytest.mark.parametrize("brief", BRIEFS, ids=lambda p: p.stem)
def test_draft_of_each_brief_is_a_sheet_add_can_check(brief: Path, known_terms) -> None:
    """The draft fits the schema, names only known or proposed terms, and cites sentences."""
    draft, text = drafted(brief)
    sheet = parse_sheet(text, f"{brief.stem}.yaml")
    document = read_text(brief)
    graph = compile_sheet(sheet, document, sha256_of(brief), known=known_terms, strict=True)
    assert len(graph) > 0
    spans = {(s.start, s.end) for s in sentences(document)}
    refs = {f"{s.paragraph}.{s.number}": (s.start, s.end) for s in sentences(document)}
    for claim in draft.claims:
        assert claim.evidence, claim
        for ev in claim.evidence:
            assert (ev.start, ev.end) in spans  # evidence lands on sentence boundaries
            assert refs[ev.ref] == (ev.start, ev.end)
            assert f"{ev.ref} [{ev.start}, {ev.end})" in text  # offsets written for the analyst


@needs_briefs
@pytest.mark.parametrize("brief", BRIEFS, ids=lambda p: p.stem)
def test_no_drafted_label_is_a_sentence_of_its_source(brief: Path) -> None:
    """Labels are the drafter's template words, never a source sentence."""
    draft, text = drafted(brief)
    document = read_text(brief)
    plain = {_plain(s.text(document)) for s in sentences(document)}
    for claim in yaml.safe_load(text)["claims"]:
        assert _plain(claim["label"]) not in plain


@needs_briefs
@pytest.mark.parametrize("brief", BRIEFS, ids=lambda p: p.stem)
def test_no_sentence_of_the_source_is_quoted_anywhere_in_the_draft(brief: Path) -> None:
    """The whole YAML (labels, title, comments) shares no run of 8 words with the report's
    sentences (the project's copy threshold: short names may recur), and never repeats the
    brief's title line: evidence is by offsets only."""
    from automaker_kg.sources.factsheet import copied_runs, header_paragraphs

    _, text = drafted(brief)
    document = read_text(brief)
    header = header_paragraphs(document)
    body = "\n".join(s.text(document) for s in sentences(document) if s.paragraph > header)
    assert copied_runs(text, body) == []
    title = document.splitlines()[0].split(":", 1)[-1]
    assert _plain(title) not in _plain(text)


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9%]+", " ", text.lower()).strip()


NAMES = [
    Name("Renault", "renault", "kg", "Automaker"),
    Name("Nissan", "nissan", "kg", "Automaker"),
]


@settings(max_examples=40, deadline=None)
@given(
    share=st.integers(min_value=1, max_value=99),
    verb=st.sampled_from(["holds", "owns", "keeps", "will hold", "held"]),
    bound=st.sampled_from(["", "up to ", "at least ", "more than "]),
)
def test_a_template_like_sentence_is_not_copied(share: int, verb: str, bound: str) -> None:
    """Even a sentence that reads like the template gets a label of other words."""
    sentence = f"Renault {verb} {bound}{share}% of Nissan."
    draft = draft_text(f"Title: T\nDate: 2024-01-02\n\n{sentence}\n", NAMES)
    assert draft.claims
    for claim in draft.claims:
        assert _plain(claim.label) != _plain(sentence)


def test_ranges_and_status_from_cues() -> None:
    """'up to' is a maximum, 'at least' a minimum; 'will' a plan, people familiar a report."""
    text = (
        "Title: T\nDate: 2024-01-02\n\n"
        "Nissan will hold up to 15% of Renault. "
        "Renault holds at least 20% of Nissan, according to people familiar with the matter.\n"
    )
    claims = draft_text(text, NAMES).claims
    got = {(c.fields["holder"], tuple(sorted(c.fields.items())), c.status) for c in claims}
    assert (
        "kg:nissan",
        tuple(
            sorted(
                {
                    "holder": "kg:nissan",
                    "target": "kg:renault",
                    "interest": "shareholding",
                    "share_max": 15.0,
                }.items()
            )
        ),
        "plan",
    ) in got
    assert (
        "kg:renault",
        tuple(
            sorted(
                {
                    "holder": "kg:renault",
                    "target": "kg:nissan",
                    "interest": "shareholding",
                    "share_min": 20.0,
                }.items()
            )
        ),
        "reported",
    ) in got


def test_scorer_on_a_hand_made_pair() -> None:
    """3 drafted, 4 curated: 2 match (one of them only without status): P 1/3, R 1/4."""
    curated = {
        "entities": [
            {"id": "leap", "type": "Company", "label": "Leapmotor"},
            {"id": "lmi", "type": "JointVenture", "label": "Leapmotor International"},
        ],
        "claims": [
            {
                "kind": "EquityStake",
                "status": "plan",
                "holder": "stellantis",
                "target": "leap",
                "interest": "shareholding",
                "share": 20,
            },
            {
                "kind": "EquityStake",
                "status": "official",
                "holder": "stellantis",
                "target": "lmi",
                "interest": "shareholding",
                "share": 51,
            },
            {
                "kind": "EquityStake",
                "status": "official",
                "holder": "leap",
                "target": "lmi",
                "interest": "shareholding",
                "share": 49,
            },
            {
                "kind": "TechnologyArrangement",
                "status": "official",
                "provider": "leap",
                "arrangement": "develops",
                "technology": ["electric-vehicle"],
            },
        ],
    }
    drafted = {
        "entities": [
            {"id": "leapmotor", "type": "Company", "label": "Leapmotor"},
            {
                "id": "leapmotor-international",
                "type": "JointVenture",
                "label": "Leapmotor International",
            },
        ],
        "claims": [
            # matches (the proposed entity is the curated one by its label)
            {
                "kind": "EquityStake",
                "status": "plan",
                "holder": "stellantis",
                "target": "leapmotor",
                "interest": "shareholding",
                "share": 20,
            },
            # right stake, wrong status: matched only without status
            {
                "kind": "EquityStake",
                "status": "plan",
                "holder": "stellantis",
                "target": "leapmotor-international",
                "interest": "shareholding",
                "share": 51,
            },
            # wrong share
            {
                "kind": "EquityStake",
                "status": "official",
                "holder": "leapmotor",
                "target": "leapmotor-international",
                "interest": "shareholding",
                "share_max": 49,
            },
        ],
    }
    s = score(drafted, curated)
    assert (s["stake"].drafted, s["stake"].curated, s["stake"].matched) == (1, 1, 1)
    assert (s["jv-share"].drafted, s["jv-share"].curated, s["jv-share"].matched) == (2, 2, 0)
    assert s["jv-share"].matched_relaxed == 1
    assert (s["technology"].drafted, s["technology"].curated) == (0, 1)
    total = Counts()
    for kind in KINDS:
        total.add(s[kind])
    assert total.precision == pytest.approx(1 / 3)
    assert total.recall == pytest.approx(1 / 4)
    assert total.precision_relaxed == pytest.approx(2 / 3)
    assert "| **overall** | 4 | 3 | 1 | 0.33 | 0.25 | 0.67 | 0.50 |" in table("t", s)


def test_scorer_pairs_claims_at_best_and_reads_a_joint_project_as_co_development() -> None:
    """A first-come pairing would pair the broad drafted claim with the first curated one and
    leave the narrow one unmatched; the best pairing matches both. A JointProject on a
    technology is the participants developing it, in either sheet; sharing goes both ways;
    shares held in trust with the economic interest kept are the holder's stake."""

    def dev(provider: object, *tech: str) -> dict:
        return {
            "kind": "TechnologyArrangement",
            "status": "plan",
            "provider": provider,
            "arrangement": "develops",
            "technology": list(tech),
        }

    curated = {"claims": [dev("a", "x"), dev("a", "y")]}
    drafted = {"claims": [dev("a", "x", "y"), dev("a", "x")]}
    assert score(drafted, curated)["technology"].matched == 2
    project = {
        "kind": "JointProject",
        "status": "plan",
        "participant": ["a", "b"],
        "technology": "x",
    }
    s = score({"claims": [project]}, {"claims": [dev(["b", "a"], "x")]})
    assert (s["technology"].drafted, s["technology"].matched) == (1, 1)
    s = score({"claims": [dev("b", "x")]}, {"claims": [project]})
    assert (s["technology"].curated, s["technology"].matched) == (1, 1)
    shared = {**dev("a", "x"), "arrangement": "shares", "recipient": "b"}
    mirrored = {**dev("b", "x"), "arrangement": "shares", "recipient": "a"}
    assert score({"claims": [mirrored]}, {"claims": [shared]})["technology"].matched == 1
    trust = {
        "kind": "TrustHolding",
        "status": "official",
        "holder": "a",
        "trustee": "t",
        "target": "x",
        "share": 18.66,
        "economic_interest_retained": True,
    }
    stake = {
        "kind": "EquityStake",
        "status": "official",
        "holder": "a",
        "target": "x",
        "interest": "shareholding",
        "share": 18.66,
    }
    assert score({"claims": [stake]}, {"claims": [trust]})["stake"].matched == 1
    votes_only = {**trust, "economic_interest_retained": False}
    assert score({"claims": [stake]}, {"claims": [votes_only]})["stake"].curated == 0
    no_technology = {k: v for k, v in project.items() if k != "technology"}
    assert score({"claims": [no_technology]}, {"claims": []})["technology"].drafted == 0


def test_scorer_counts_a_technology_and_its_direct_broader_one_as_common() -> None:
    """ "EVs" drafted where the sheet has battery electric vehicles, or the taxonomy's EV
    platform where the sheet names its product, is the same fact; two steps apart, or a
    sibling, is not. The sheets' own ``broader`` adds to the taxonomy's pairs. The strict
    row (:data:`EXACT`) counts the same technology only."""

    def dev(*tech: str) -> dict:
        return {
            "kind": "TechnologyArrangement",
            "status": "plan",
            "provider": "a",
            "arrangement": "develops",
            "technology": list(tech),
        }

    taxonomy = [("bev", "ev"), ("ev", "powertrain"), ("hybrid", "powertrain")]
    assert (
        score({"claims": [dev("ev")]}, {"claims": [dev("bev")]}, broader=taxonomy)[
            "technology"
        ].matched
        == 1
    )
    assert (
        score({"claims": [dev("bev")]}, {"claims": [dev("ev")]}, broader=taxonomy)[
            "technology"
        ].matched
        == 1
    )
    for far in ("powertrain", "hybrid"):  # two steps up; a sibling
        s = score({"claims": [dev(far)]}, {"claims": [dev("bev")]}, broader=taxonomy)
        assert s["technology"].matched == 0
    assert score({"claims": [dev("ev")]}, {"claims": [dev("bev")]})["technology"].matched == 0
    product = {"id": "zx9", "type": "Technology", "label": "ZX9", "broader": "ev-platform"}
    curated = {"entities": [product], "claims": [dev("zx9")]}
    s = score({"claims": [dev("ev-platform")]}, curated)
    assert s["technology"].matched == 1
    assert s[EXACT].matched == 0  # the strict row counts the same technology only
    s = score({"claims": [dev("ev"), dev("bev")]}, {"claims": [dev("bev")]}, broader=taxonomy)
    assert (s[EXACT].drafted, s[EXACT].curated, s[EXACT].matched) == (2, 1, 1)
    assert "| technology (exact concept) | 1 | 2 | 1 | 0.50 | 1.00 |" in table("t", s)
    assert table("t", s).count("| technology") == 2  # the strict row is not in the overall


def test_split_is_the_documented_one() -> None:
    """docs/drafting.md names the same two halves as the scorer; together they are the 24."""
    page = (ROOT / "docs" / "drafting.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\S+) \| (\S+) \|$", page, flags=re.M)
    dev = [a for a, _ in rows if a[0].isdigit() or a.startswith("undated")]
    held = [b for _, b in rows if b[0].isdigit() or b.startswith("undated")]
    assert dev == DEV and held == HELD_OUT
    assert not set(DEV) & set(HELD_OUT)
    if BRIEFS:
        assert sorted(DEV + HELD_OUT) == [p.stem for p in BRIEFS]


@needs_briefs
def test_cli_draft_writes_a_sheet(tmp_path: Path) -> None:
    """`draft DOC -o SHEET` writes YAML that parses; a missing document is exit code 2."""
    brief = SHARED / "briefs" / "2023-10-26-stellantis-leapmotor-stake-electrive.txt"
    out = tmp_path / "draft.yaml"
    result = run_cli("draft", brief, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "proposed claims" in result.stderr
    assert parse_sheet(out.read_text(encoding="utf-8"), str(out)).data["claims"]
    missing = run_cli("draft", tmp_path / "nothing.txt")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


@needs_briefs
@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "2024-12-02-aramco-completes-horse-powertrain-stake-zawya",  # stakes, a subsidiary
        "2023-10-26-stellantis-leapmotor-stake-electrive",  # a named joint venture
        "undated-vw-rivian-jv-driveteslacanada",  # an unnamed joint venture, amounts
    ],
)
def test_add_accepts_a_draft_of_a_source_the_graph_lacks(tmp_path: Path, name: str) -> None:
    """With the brief's curated sheet taken away, `add` accepts its draft as written, and
    `add --dry-run` accepts it after an analyst's edits (a claim dropped, a status and a label
    changed, an id renamed, the silent paragraphs skipped) without writing anything."""
    brief = SHARED / "briefs" / f"{name}.txt"
    data = copy_data(tmp_path / "data")
    curated = curated_sheet(brief.stem, data)
    assert curated is not None
    curated.unlink()
    curated.with_suffix(".ttl").unlink()
    draft, text = draft_document(brief, data_dir=data)
    sheet = tmp_path / f"{brief.stem}.yaml"
    edited = yaml.safe_load(text)
    edited["claims"] = edited["claims"][:-1]  # the analyst drops a proposal
    for claim in edited["claims"][:1]:
        claim["status"] = "official" if claim["status"] != "official" else "plan"
        claim["label"] = "A label in the analyst's own words"
        claim["id"] = f"{brief.stem}-checked-1"
    silent = re.search(r"nothing was drafted from .*: ([0-9, ]+)$", text, re.M)
    if silent:
        edited["skipped"] = [
            {"paragraph": int(p), "reason": "Context the analyst leaves out."}
            for p in silent[1].split(",")
        ]
    sheet.write_text(yaml.safe_dump(edited, sort_keys=False, allow_unicode=True), "utf-8")
    result = run_cli("add", sheet, "--document", brief, "--data-dir", data, "--dry-run")
    assert result.exit_code == 0, result.stderr + result.stdout
    assert "would write" in result.stdout
    assert not (data / "graph" / "articles" / f"{brief.stem}.ttl").exists()
    sheet.write_text(text, encoding="utf-8")
    report = add(sheet, document=brief, data_dir=data)
    assert report.claims == len(draft.claims) > 0
    shutil.rmtree(data)


@pytest.mark.parametrize(
    "name",
    [
        "automaker_kg.draft.names",
        "automaker_kg.draft.rules",
        "automaker_kg.draft.extract",
        "automaker_kg.draft.evaluate",
        "automaker_kg.draft.model",
        "automaker_kg.draft.dates",
        "automaker_kg.draft.status",
        "automaker_kg.draft.entities",
        "automaker_kg.draft.ventures",
        "automaker_kg.draft.stakes",
        "automaker_kg.draft.technology",
        "automaker_kg.draft.concepts",
        "automaker_kg.draft.labels",
        "automaker_kg.draft.sheet",
    ],
)
def test_docstring_examples_run(name: str) -> None:
    """The drafting modules' examples pass and there is at least one."""
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


FIVE = NAMES + [
    Name("Honda", "honda", "kg", "Automaker"),
    Name("e-Power", "e-power", "tech", "Technology"),
    Name("battery", "battery", "tech", "Technology"),
    Name("electric vehicle", "electric-vehicle", "tech", "Technology"),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Honda owns a 49% stake in the joint venture, with Nissan holding the remaining 51%.",
            {
                ("EquityStake", "kg:honda", "new:honda-nissan-joint-venture", 49.0, "official"),
                ("EquityStake", "kg:nissan", "new:honda-nissan-joint-venture", 51.0, "official"),
            },
        ),
        (
            "Renault and Nissan may cut their cross-shareholdings from 15% at present to 10%.",
            {
                ("EquityStake", "kg:renault", "kg:nissan", 15.0, "official"),
                ("EquityStake", "kg:nissan", "kg:renault", 15.0, "official"),
                ("EquityStake", "kg:renault", "kg:nissan", 10.0, "plan"),
                ("EquityStake", "kg:nissan", "kg:renault", 10.0, "plan"),
            },
        ),
        (
            "Honda said it has raised its holding in Nissan to 12% from 10% in 2019.",
            {
                ("EquityStake", "kg:honda", "kg:nissan", 12.0, "historical"),
                ("EquityStake", "kg:honda", "kg:nissan", 10.0, "historical"),
            },
        ),
        (
            "General Motors and Honda will jointly develop electric vehicles.",
            {("JointProject", ("new:general-motors", "kg:honda"), "plan")},
        ),
        (
            "Renault's 43%-owned Nissan and Honda, 20 per cent-owned by Renault, met.",
            {
                ("EquityStake", "kg:renault", "kg:nissan", 43.0, "official"),
                ("EquityStake", "kg:renault", "kg:honda", 20.0, "official"),
            },
        ),
        (
            "Nissan's e-Power will be used by Honda.",
            {("TechnologyArrangement", "kg:nissan", "kg:honda", "contributes", "plan")},
        ),
        (
            "Honda and Nissan will form a 50-50 joint venture.",
            {
                ("EquityStake", "kg:honda", "new:honda-nissan-joint-venture", 50.0, "plan"),
                ("EquityStake", "kg:nissan", "new:honda-nissan-joint-venture", 50.0, "plan"),
            },
        ),
        (
            "Nissan sold 5% of its shares to Honda.",
            {("EquityStake", "kg:honda", "kg:nissan", 5.0, "official")},
        ),
        (
            "Honda will use batteries from Nissan.",
            {("TechnologyArrangement", "kg:nissan", "kg:honda", "contributes", "plan")},
        ),
        (
            "Renault agreed to supply batteries to Nissan.",
            {("TechnologyArrangement", "kg:renault", "kg:nissan", "supplies", "plan")},
        ),
    ],
)
def test_rules_on_sentences_of_our_own(sentence: str, expected: set) -> None:
    """Joint-venture shares, cross-shareholdings, changes of a holding, supply."""
    claims = draft_text(f"Title: T\nDate: 2024-05-02\n\n{sentence}\n", FIVE).claims
    got = set()
    for c in claims:
        f = c.fields
        if c.kind == "EquityStake":
            share = f.get("share", f.get("share_min", f.get("share_max")))
            got.add((c.kind, f["holder"], f["target"], share, c.status))
        elif c.kind == "TechnologyArrangement":
            provider = tuple(f["provider"]) if isinstance(f["provider"], list) else f["provider"]
            got.add((c.kind, provider, f.get("recipient"), f["arrangement"], c.status))
        elif c.kind == "JointProject":
            got.add((c.kind, tuple(f["participant"]), c.status))
    assert expected <= got, got


def test_a_licence_is_written_as_the_format_allows(monkeypatch) -> None:
    """A licence becomes a TechnologyLicence where the format has it, else the licensee
    acquires the technology (and the sheet says so in a comment)."""
    from automaker_kg.draft import sheet as sheet_module
    from automaker_kg.draft.extract import Proposal

    licence = Proposal(
        "TechnologyArrangement",
        {"provider": "kg:a", "recipient": "kg:b", "arrangement": "licenses", "technology": ["t"]},
        "official",
        "stated",
        "",
        [],
    )
    kind, fields, notes = sheet_module._in_format(licence, ("develops", "acquires"))
    if "TechnologyLicence" in sheet_module.CLAIM_KINDS:
        assert kind == "TechnologyLicence" and fields["licensor"] == "kg:a"
    else:
        assert (kind, fields["provider"], fields["arrangement"]) == (
            licence.kind,
            "kg:b",
            "acquires",
        )
        assert notes
    monkeypatch.setitem(sheet_module.CLAIM_KINDS, "TechnologyLicence", ("x", {}, ()))
    kind, fields, _ = sheet_module._in_format(licence, ("develops",))
    assert kind == "TechnologyLicence"
    assert fields == {"licensor": "kg:a", "licensee": "kg:b", "technology": ["t"]}


def test_scorer_resolves_names_and_compares_ranges_as_ranges() -> None:
    """A proposed "XPeng Inc." is the curated XPeng; "more than 50%" is the range 50-100%;
    a voting-rights share does not match a shareholding."""
    curated = {
        "entities": [{"id": "xpeng", "type": "Automaker", "label": "XPeng"}],
        "claims": [
            {
                "kind": "EquityStake",
                "status": "plan",
                "holder": "vw",
                "target": "xpeng",
                "interest": "shareholding",
                "share_min": 50,
                "share_max": 100,
            },
            {
                "kind": "EquityStake",
                "status": "plan",
                "holder": "vw",
                "target": "xpeng",
                "interest": "voting_rights",
                "share": 5,
            },
        ],
    }
    drafted = {
        "entities": [{"id": "xpeng-inc", "type": "Company", "label": "XPeng Inc."}],
        "claims": [
            {
                "kind": "EquityStake",
                "status": "plan",
                "holder": "vw",
                "target": "xpeng-inc",
                "interest": "shareholding",
                "share_min": 50,
            },
            {
                "kind": "EquityStake",
                "status": "plan",
                "holder": "vw",
                "target": "xpeng-inc",
                "interest": "shareholding",
                "share": 5,
            },
        ],
    }
    s = score(drafted, curated)
    assert (s["stake"].drafted, s["stake"].curated, s["stake"].matched) == (2, 2, 1)
    known = score(
        {
            "entities": [{"id": "toyota-motor", "type": "Company", "label": "Toyota Motor Corp."}],
            "claims": [
                {
                    "kind": "EquityStake",
                    "status": "plan",
                    "holder": "toyota-motor",
                    "target": "suzuki",
                    "share": 4.94,
                }
            ],
        },
        {
            "claims": [
                {
                    "kind": "EquityStake",
                    "status": "plan",
                    "holder": "toyota",
                    "target": "suzuki",
                    "share": 4.94,
                }
            ]
        },
        known=[("Toyota Motor", "toyota")],
    )
    assert known["stake"].matched == 1


# Fictional companies, so that the rules are cues of language, not names of the briefs.
FICTION = [
    Name("Avalon", "avalon", "kg", "Automaker"),
    Name("Borealis", "borealis", "kg", "Company"),
    Name("Cygnus", "cygnus", "kg", "Company"),
    Name("battery", "battery", "tech", "Technology"),
    Name("solid-state battery", "solid-state-battery", "tech", "Technology"),
    Name("hybrid", "hybrid", "tech", "Technology"),
    Name("EV platform", "ev-platform", "tech", "Technology"),
    Name("software", "software", "tech", "Technology"),
]
JV = "new:avalon-borealis-joint-venture"


def _facts(sentence: str) -> set[tuple]:
    claims = draft_text(f"Title: T\nDate: 2024-05-02\n\n{sentence}\n", FICTION).claims
    out: set[tuple] = set()
    for c in claims:
        f = c.fields
        if c.kind == "EquityStake":
            share = tuple(sorted((k, v) for k, v in f.items() if k.startswith("share")))
            out.add(("stake", f["holder"][3:], f["target"], share, f["interest"], c.status))
        elif c.kind == "TechnologyArrangement":
            out.add(
                (
                    "tech",
                    f["provider"][3:],
                    f["arrangement"],
                    tuple(f["technology"]),
                    f.get("recipient", "")[3:],
                    c.status,
                )
            )
        elif c.kind == "JointVentureParticipation":
            out.add(("partner", f["member"][3:], f["organization"], c.status))
    return out


S = "shareholding"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Avalon owns 43% of Borealis, which in turn owns 15% of Avalon.",
            {("stake", "borealis", "kg:avalon", (("share", 15.0),), S, "official")},
        ),
        (
            "Borealis's shareholders include Avalon (10%) and Cygnus (5%).",
            {
                ("stake", "avalon", "kg:borealis", (("share", 10.0),), S, "official"),
                ("stake", "cygnus", "kg:borealis", (("share", 5.0),), S, "official"),
            },
        ),
        (
            "Avalon, with 10%, is the largest shareholder in Borealis.",
            {("stake", "avalon", "kg:borealis", (("share", 10.0),), S, "official")},
        ),
        (
            "The shareholders of Borealis are Avalon with 60% and Cygnus with 40%.",
            {("stake", "cygnus", "kg:borealis", (("share", 40.0),), S, "official")},
        ),
        (
            "Avalon will increase its stake in Borealis from 20% to 25% by 2026.",
            {
                ("stake", "avalon", "kg:borealis", (("share", 20.0),), S, "historical"),
                ("stake", "avalon", "kg:borealis", (("share", 25.0),), S, "plan"),
            },
        ),
        (
            "Borealis will issue new shares to Avalon, giving it a 9% stake.",
            {("stake", "avalon", "kg:borealis", (("share", 9.0),), S, "plan")},
        ),
    ],
)
def test_shares_in_lists_relatives_and_changes(sentence: str, expected: set) -> None:
    """'B, which owns 15% of A', 'shareholders include A (10%)', 'A with 60%', 'from 20% to
    25%' (a change, not a range), 'issue shares to A, giving it 9%'."""
    assert expected <= _facts(sentence), _facts(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected", "unwanted"),
    [
        (
            "Avalon, which owns 33.4% of Borealis, said it would keep the holding.",
            {("stake", "avalon", "kg:borealis", (("share", 33.4),), "shareholding", "official")},
            set(),
        ),
        (
            "The joint venture will be 60% owned by Avalon and 40% by Borealis.",
            {
                ("stake", "avalon", JV, (("share", 60.0),), "shareholding", "plan"),
                ("stake", "borealis", JV, (("share", 40.0),), "shareholding", "plan"),
            },
            set(),
        ),
        (
            "Avalon will hold 60% of the venture and Borealis 40%.",
            {("stake", "borealis", JV, (("share", 40.0),), "shareholding", "plan")},
            set(),
        ),
        (
            "Avalon and Borealis will hold 60% and 40% of the joint venture respectively.",
            {
                ("stake", "avalon", JV, (("share", 60.0),), "shareholding", "plan"),
                ("stake", "borealis", JV, (("share", 40.0),), "shareholding", "plan"),
            },
            set(),
        ),
        (
            "Avalon plans to invest 2 billion euros in Borealis for a stake of about 8%.",
            {("stake", "avalon", "kg:borealis", (("share", 8.0),), "shareholding", "plan")},
            set(),
        ),
        (
            "Avalon signed an agreement to buy a 20% stake in Borealis.",
            {("stake", "avalon", "kg:borealis", (("share", 20.0),), "shareholding", "plan")},
            set(),
        ),
        (
            "The purchase was completed in March, giving Avalon a 20% stake in Borealis.",
            {("stake", "avalon", "kg:borealis", (("share", 20.0),), "shareholding", "official")},
            set(),
        ),
        (
            "Avalon currently holds 15% of Borealis and plans to raise that to 20%.",
            {
                ("stake", "avalon", "kg:borealis", (("share", 15.0),), "shareholding", "official"),
                ("stake", "avalon", "kg:borealis", (("share", 20.0),), "shareholding", "plan"),
            },
            set(),
        ),
        (
            "Avalon is to become the majority owner of Borealis.",
            {("stake", "avalon", "kg:borealis", (("share_min", 50.0),), "shareholding", "plan")},
            set(),
        ),
        (
            "Borealis said Avalon would become its biggest shareholder, with 16.5%.",
            {("stake", "avalon", "kg:borealis", (("share", 16.5),), "shareholding", "plan")},
            set(),
        ),
        (
            "Avalon sold its 20% stake in Borealis to Cygnus.",
            {("stake", "cygnus", "kg:borealis", (("share", 20.0),), "shareholding", "official")},
            set(),
        ),
        (
            "Avalon holds 2.5% of the voting rights in Borealis.",
            {("stake", "avalon", "kg:borealis", (("share", 2.5),), "voting_rights", "official")},
            set(),
        ),
        (
            "Avalon and Borealis will form a joint venture, Cygnus, in which Avalon will hold 51%.",
            {
                ("partner", "avalon", "kg:cygnus", "plan"),
                ("stake", "avalon", "kg:cygnus", (("share", 51.0),), "shareholding", "plan"),
            },
            set(),
        ),
        (
            "Avalon will use Borealis's EV platform for two models.",
            {("tech", "borealis", "contributes", ("tech:ev-platform",), "avalon", "plan")},
            {("tech", "avalon", "acquires", ("tech:ev-platform",), "", "plan")},
        ),
        (
            "Avalon will license Borealis's solid-state battery technology.",
            {("tech", "borealis", "licenses", ("tech:solid-state-battery",), "avalon", "plan")},
            set(),
        ),
        (
            "Avalon will license hybrid technology from Borealis.",
            {("tech", "borealis", "licenses", ("tech:hybrid",), "avalon", "plan")},
            set(),
        ),
        (
            "Avalon will buy batteries from Borealis.",
            {("tech", "borealis", "supplies", ("tech:battery",), "avalon", "plan")},
            set(),
        ),
        (
            "Avalon's model uses a battery supplied by Borealis.",  # a supply in force
            {("tech", "borealis", "contributes", ("tech:battery",), "avalon", "official")},
            {("tech", "avalon", "develops", ("tech:battery",), "", "historical")},
        ),
        (
            "Avalon's new model is built on Borealis's EV platform.",
            {("tech", "borealis", "contributes", ("tech:ev-platform",), "avalon", "official")},
            {("tech", "borealis", "develops", ("tech:ev-platform",), "", "historical")},
        ),
        (
            "Borealis will provide its software to Avalon, people familiar with the matter said.",
            {("tech", "borealis", "supplies", ("tech:software",), "avalon", "reported")},
            set(),
        ),
    ],
)
def test_language_cues_on_sentences_of_our_own(sentence: str, expected: set, unwanted: set):
    """Relative clauses, ellipsis, 'respectively', invest-in, majority owner, passive use,
    licence direction, buying from: each read the way an analyst would write it."""
    got = _facts(sentence)
    assert expected <= got, got
    assert not unwanted & got, got


def test_a_report_of_our_own_read_across_sentences() -> None:
    """A short name after the full one is the same company; "the two companies" are the two
    named last; ", and" starts a clause with its own arrangement; a licence to unnamed others
    keeps its licensor; a later "deal" does not lend the lead's status to a stated share."""
    text = (
        "Brief: B\nReported by: Example Wire, 2025-06-10\n\n"
        "Orion Motors said it would buy a 12% stake in the start-up Halcyon Cells.\n\n"
        "Halcyon will supply batteries to Orion, and the two companies will jointly develop "
        "software.\n\n"
        "Halcyon, which was founded in 2019, licenses its hybrid technology to other makers.\n\n"
        "Kestrel Energy, Halcyon's biggest shareholder with 22%, said it backed the deal.\n"
    )
    d = draft_text(text, FICTION)
    assert d.entities["halcyon-cells"].aliases == ["Halcyon"]
    assert "halcyon" not in d.entities
    got = {
        (
            c.kind,
            repr(sorted(c.fields["participant"]))
            if "participant" in c.fields
            else repr(c.fields.get("provider")),
            c.fields.get("arrangement"),
            c.status,
        )
        for c in d.claims
    }
    assert ("TechnologyArrangement", "'new:halcyon-cells'", "supplies", "plan") in got
    assert ("JointProject", "['new:halcyon-cells', 'new:orion-motors']", None, "plan") in got
    assert ("TechnologyArrangement", "'new:halcyon-cells'", "licenses", "historical") in got
    kestrel = [c for c in d.claims if c.fields.get("holder") == "new:kestrel-energy"]
    assert [(c.fields["share"], c.status) for c in kestrel] == [(22.0, "official")]


def test_a_second_report_of_our_own() -> None:
    """A stake 'between 5% and 7% in the software company' (the company invested in), a
    report's 'the people said', a sentence-initial short name ("Vega's", "Vega said"), a
    supply stated now ('since 2021' is no past), 'cooperation on' of 'the two carmakers', and
    a refusal to share stated now."""
    text = (
        "Brief: B\nReported by: Sample Times, 2024-03-04\n\n"
        "Vega Auto will invest up to $1 billion in Lumen Robotics and take a stake of between "
        "5% and 7% in the software company, citing people briefed on the plans.\n\n"
        "Vega's next cars will be based on Lumen's software, the people said.\n\n"
        "The two carmakers signed a memorandum in January to explore cooperation on batteries.\n\n"
        "Lumen already supplies its software to Orion Motors, which has used it since 2021.\n\n"
        "Vega said it would not share its battery technology with Lumen.\n"
    )
    d = draft_text(text, FICTION)
    got = set()
    for c in d.claims:
        f = c.fields
        who = f.get("holder") or f.get("provider") or tuple(sorted(f.get("participant", [])))
        what = f.get("target") or f.get("recipient") or f.get("arrangement")
        share = tuple(sorted((k, v) for k, v in f.items() if k.startswith("share")))
        got.add((c.kind, who, what, share, f.get("arrangement"), c.status))
    assert {
        (
            "EquityStake",
            "new:vega-auto",
            "new:lumen-robotics",
            (("share_max", 7.0), ("share_min", 5.0)),
            None,
            "reported",
        ),
        (
            "TechnologyArrangement",
            "new:lumen-robotics",
            "new:vega-auto",
            (),
            "contributes",
            "reported",
        ),
        ("JointProject", ("new:lumen-robotics", "new:vega-auto"), None, (), None, "plan"),
        (
            "TechnologyArrangement",
            "new:lumen-robotics",
            "new:orion-motors",
            (),
            "supplies",
            "official",
        ),
        (
            "TechnologyArrangement",
            "new:vega-auto",
            "new:lumen-robotics",
            (),
            "withholds",
            "official",
        ),
    } <= got, got


def test_dates_with_their_precision() -> None:
    """Day, month and year precision; 'June 10' takes the report's year, a weekday the
    report's week, 'mid-2018' is a year; '2000 jobs' is no date."""
    text = (
        "Title: T\nDate: 2024-05-02\n\n"
        "The venture dates from mid-2018 and output starts in the second quarter of 2025. "
        "Talks began on June 10, resumed in March 2023 and ended on Monday. "
        "The plant has 2000 jobs.\n"
    )
    got = {(x, p) for _, x, p in draft_text(text, []).dates}
    assert got == {
        ("2018", "year"),
        ("2025", "year"),
        ("2024-06-10", "day"),
        ("2023-03", "month"),
        ("2024-04-29", "day"),
    }


@pytest.mark.parametrize(
    ("sentence", "expected", "unwanted"),
    [
        (
            "Borealis has been supplying batteries to Avalon since 2020.",
            {("tech", "borealis", "supplies", ("tech:battery",), "avalon", "official")},
            set(),
        ),
        (
            "The model uses an EV platform developed by Borealis.",
            {("tech", "borealis", "contributes", ("tech:ev-platform",), "", "historical")},
            {("tech", "borealis", "acquires", ("tech:ev-platform",), "", "historical")},
        ),
        (
            "Avalon will receive software from Borealis.",
            {("tech", "borealis", "contributes", ("tech:software",), "avalon", "plan")},
            set(),
        ),
        (
            "Borealis will build electric vehicles for Avalon at its plant.",
            set(),
            {("tech", "borealis", "develops", ("tech:electric-vehicle",), "avalon", "plan")},
        ),
    ],
)
def test_technology_given_received_and_vehicle_supply(
    sentence: str, expected: set, unwanted: set
) -> None:
    """'has been supplying since' is in force; 'developed by X' and 'receive from X' make X
    the giver; building vehicles for another company is vehicle supply, not technology."""
    got = _facts(sentence)
    assert expected <= got, got
    assert not unwanted & got, got


def test_joint_work_is_a_joint_project() -> None:
    """'develop T with B' and 'working with B on T' are joint projects of both companies."""
    for sentence in (
        "Avalon will jointly develop a hybrid system with Borealis.",
        "Avalon is working with Borealis on software.",
    ):
        claims = draft_text(f"Title: T\nDate: 2024-05-02\n\n{sentence}\n", FICTION).claims
        projects = [sorted(c.fields["participant"]) for c in claims if c.kind == "JointProject"]
        assert projects == [["kg:avalon", "kg:borealis"]], sentence


def test_known_names_follow_a_changed_file_and_leave_out(tmp_path):
    """The names of each graph file are kept between drafts; a file rewritten is read again,
    and a file left out gives no names although its names were read before."""
    from automaker_kg.draft.names import known_names

    graph = tmp_path / "graph"
    graph.mkdir()
    head = (
        "@prefix akg: <https://w3id.org/automaker-kg/ontology#> .\n"
        "@prefix kg: <https://w3id.org/automaker-kg/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    )
    entities = graph / "entities.ttl"
    entities.write_text(head + 'kg:nissan a akg:Automaker ; rdfs:label "Nissan" .\n')
    sheet = graph / "facts" / "a-sheet.ttl"
    sheet.parent.mkdir()
    sheet.write_text(head + 'kg:horse a akg:Company ; rdfs:label "Horse Powertrain" .\n')

    def texts(**kw):
        return [n.text for n in known_names(tmp_path, **kw)]

    assert texts() == ["Nissan", "Horse Powertrain"]
    assert texts(leave_out=["a-sheet"]) == ["Nissan"]
    entities.write_text(head + 'kg:nissan a akg:Automaker ; rdfs:label "Nissan Motor Co." .\n')
    assert texts() == ["Nissan Motor Co.", "Horse Powertrain"]
    assert texts(leave_out=["a-sheet"]) == ["Nissan Motor Co."]
