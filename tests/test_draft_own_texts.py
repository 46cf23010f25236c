"""The drafter on short reports of our own (fictional companies, none in the graph): a stake
completed and planned, a joint venture with its partners' shares, a technology licence, supply
and refusal, a plan beside a completed deal, a longer report mixing them, and two reports of
technology arrangements written the many ways news writes them (joint work without a verb of
developing, supplies as production for a customer, talks, aims, a memorandum's areas), and one
of status (a plan signed last year, supplies that ended and began, a reported plan), and one of
cars co-developed on a partner's platform, each partner's part with the verb left out, a chief
executive speaking for the company and companies each developing their own cells, and one of
another company's hybrid system and batteries taken up ("the first carmaker outside A to use
T", "fit vans with T from A", a licence to two receivers, the kind singled out of a broad
name, "its hybrid technology" for the product named before), and one of press-release
phrasings (a licence granted with its terms, a supplier tapped, a supply each way, a
technology kept in-house, a platform ridden on, expertise combined), and four written
before the drafter was run on them, as a measure on reports it had never seen (shares in
"percent" and "per cent" and as "a quarter", a venture written "JV", a supplier selected in
the passive, a customer counted, access secured through a licence), and three more written
so after those rules landed (a stake in a unit sold to a buyer, another medium's reporting,
a "joint company", vans powered with a supplier's parts, sedans that run another company's
software), and three more after the venture rules (a memorandum to jointly explore, a
newspaper's report, a source close to the company, "just under", a venture planned "to be
owned 55% by A", one already run with another company, half each). Each text has
the sheet an analyst would write (``tests/data/drafting/*.expected.yaml``); the draft must
propose exactly those claims, with the status, the most specific technology and evidence
offsets on the right sentence. These texts were written for the test, not taken from the
briefs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from automaker_kg.draft import draft_document
from automaker_kg.draft.evaluate import EXACT, KINDS, score
from automaker_kg.sources.documents import read_text
from automaker_kg.sources.factsheet import add

DATA = Path(__file__).parent / "data" / "drafting"
TEXTS = sorted(DATA.glob("*.txt"))


def _expected(path: Path) -> dict:
    return yaml.safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"))


def _without_test_keys(claim: dict) -> dict:
    return {k: v for k, v in claim.items() if k not in {"sentence", "evidence", "valid_from"}}


@pytest.fixture(scope="module")
def drafts() -> dict[str, tuple[str, dict]]:
    """Each text's sheet as drafted: (YAML text, data)."""
    out = {}
    for path in TEXTS:
        _, text = draft_document(path)
        out[path.stem] = (text, yaml.safe_load(text))
    return out


def test_there_are_twenty_one_texts_each_with_its_sheet() -> None:
    """Twenty-one reports of our own, each with the analyst's sheet beside it."""
    assert len(TEXTS) == 21
    assert all(p.with_suffix(".expected.yaml").is_file() for p in TEXTS)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_draft_proposes_the_analysts_claims_and_no_other(path: Path, drafts: dict) -> None:
    """Every kind scores precision and recall 1 with the status, technologies strictly."""
    expected = _expected(path)
    curated = {**expected, "claims": [_without_test_keys(c) for c in expected["claims"]]}
    s = score(drafts[path.stem][1], curated)
    for kind in (*KINDS, EXACT):
        c = s[kind]
        assert (kind, c.drafted, c.matched) == (kind, c.curated, c.curated), drafts[path.stem][0]


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_each_claim_cites_the_right_sentence_with_its_offsets(path: Path, drafts: dict) -> None:
    """The drafted claim that matches an expected one cites the same sentences, and the
    offsets the sheet gives for them cut out the sentence the analyst would cite."""
    text = read_text(path)
    sheet_text, drafted = drafts[path.stem]
    offsets = {
        ref: (int(a), int(b))
        for ref, a, b in re.findall(r"evidence (\d+\.\d+) \[(\d+), (\d+)\)", sheet_text)
    }
    expected = _expected(path)
    for want in expected["claims"]:
        one = {"entities": expected["entities"], "claims": [_without_test_keys(want)]}
        mine = [
            d
            for d in drafted["claims"]
            if any(score({**drafted, "claims": [d]}, one)[kind].matched for kind in KINDS)
        ]
        # the scorer compares no receiver: of several, the ones given to the analyst's
        # receiver (by its label), when the draft has them
        labels = {e["id"]: e["label"] for e in drafted["entities"]}
        theirs = {e["id"]: e["label"] for e in expected["entities"]}
        receiver = theirs.get(want.get("recipient", want.get("licensee", "")))
        mine = [
            d for d in mine if labels.get(d.get("recipient", d.get("licensee", ""))) == receiver
        ] or mine
        # one, or the same arrangement to several receivers of one sentence ("license T to B
        # and C"), all citing the analyst's sentences
        assert mine, want
        assert len(mine) == 1 or len(
            {str(d.get("licensee", d.get("recipient"))) for d in mine}
        ) == len(mine), want
        assert all(d["evidence"] == want["evidence"] for d in mine), want
        start, end = offsets[want["evidence"][0]]
        sentence = text[start:end]
        assert sentence.startswith(want["sentence"]) and sentence.endswith("."), sentence
        if "valid_from" in want:
            assert str(mine[0].get("valid_from")) == want["valid_from"]


def test_a_bare_battery_is_the_kind_the_headline_names_and_a_named_other_kind_stays() -> None:
    """In the report whose headline names all-solid-state batteries, "Velaro's batteries" are
    those; "lithium-ion battery packs" say which kind they are and stay the broad battery
    (the taxonomy has no lithium-ion kind), though lithium-metal cells were named before."""
    _, text = draft_document(DATA / "velaro-marlow-plan.txt")
    assert "technology: [all-solid-state-battery]" in text
    _, text = draft_document(DATA / "brightwell-kestrel-licence.txt")
    assert "technology: [battery]" in text and "technology: [lithium-metal-battery]" in text


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_each_draft_is_accepted_by_add_as_drafted(path: Path, drafts: dict, tmp_path: Path) -> None:
    """`add --dry-run` runs every check on the draft as written (schema, references,
    evidence sentences, no copied words, the shapes) and accepts it: every claim."""
    sheet = tmp_path / f"{path.stem}.yaml"
    sheet.write_text(drafts[path.stem][0], encoding="utf-8")
    report = add(sheet, document=path, dry_run=True)
    assert report.claims == len(drafts[path.stem][1]["claims"]) > 0
