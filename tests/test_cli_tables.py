"""Tables for people, in process (CliRunner): they fit the terminal, break no word, drop no IRI."""

from __future__ import annotations

import csv
import io
import re

import pytest
from typer.testing import CliRunner

from automaker_kg import __version__
from automaker_kg.cli import app

runner = CliRunner()


def invoke(*args: str, columns: int = 200):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})


def words_of(csv_text: str) -> set[str]:
    """Every word and every piece of a hyphenated word the data holds, short IRIs included."""
    from automaker_kg.renderers import plain

    found: set[str] = set()
    for row in csv.reader(io.StringIO(csv_text)):
        for value in row:
            for text in (value, plain(value)):
                for word in text.split():
                    found.add(word)
                    found.update(re.split(r"(?<=[^\W\d_][-\u2013/])", word))
    return found


def broken_words(table: str, known: set[str]) -> list[str]:
    """Tokens of a table that are no word of the data (a word cut in two, 'officia' + 'l')."""
    bad = []
    for line in table.splitlines():
        for cell in re.split(r"[│┃]", line):
            for token in cell.split():
                pieces = re.split(r"(?<=[^\W\d_][-\u2013/])", token)
                if set(token) <= set("━╇─┼") or token.endswith("…") or token.isdigit():
                    continue
                if token in known or all(p in known for p in pieces if p):
                    continue
                bad.append(token)
    return bad


@pytest.mark.parametrize("columns", [80, 100])
def test_facts_fit_the_terminal_without_breaking_words(seed_store, columns):
    """`facts Nissan`: one row (or record) per claim, every source shown, no word cut."""
    data = invoke("facts", "Nissan", "-f", "csv", "--store", seed_store)
    assert data.exit_code == 0, data.output
    claims = list(csv.DictReader(io.StringIO(data.stdout)))
    assert len({c["claim"] for c in claims}) == len(claims)  # one row per claim
    result = invoke("facts", "Nissan", "--store", seed_store, columns=columns)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    headers = {"kind", "counterpart", "value", "valid", "status", "source", "claim", "from"}
    extra = {"since", "until", "to", "claims", "(every", "row)", "source:"}
    known = words_of(data.stdout) | headers | extra
    assert broken_words(result.stdout, known) == []
    assert "source" in result.stdout and "doc:nissan-" in result.stdout  # the IRI column
    assert lines[-1] == f"{len(claims)} claims"


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize(
    "args", [("conflicts",), ("diff", "2023-01-01", "2024-01-01"), ("ownership",)]
)
def test_other_tables_fit_without_breaking_words(seed_store, args, columns):
    """conflicts, diff, ownership: within the width, no word cut, every IRI shown short."""
    data = invoke(*args, "-f", "csv", "--store", seed_store)
    assert data.exit_code == 0, data.output
    header = data.stdout.splitlines()[0].replace("_", " ").replace(",", " ").split()
    known = words_of(data.stdout) | set(header) | {"(every", "row)", "conflict", "conflicts"}
    known |= {"as", "of", "to", "dates", "…", "planned"}
    known |= {p for w in list(known) for p in w.replace("_", " ").split()}
    result = invoke(*args, "--store", seed_store, columns=columns)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
    assert "https://" not in result.stdout  # IRIs are shown, and shown short
    number = r"[\d.,:%≥≤–-]+|\d{4}-\d\d-\d\d:?|\(?[\d.%–]+\)?"
    assert [t for t in broken_words(result.stdout, known) if not re.fullmatch(number, t)] == []


def test_stakes_in_company_shows_what_each_claim_supersedes(seed_store):
    """The three '15%' rows are told apart by their supersedes column."""
    result = invoke(
        "query", "stakes-in-company", "-p", "company=Nissan", "--store", seed_store, columns=100
    )
    assert result.exit_code == 0, result.output
    assert "supersedes" in result.stdout
    assert "claim:seed-" in result.stdout
    assert "voting rights" in result.stdout and "voting_rights" not in result.stdout


def test_summary_rows_are_one_line_high(seed_store):
    """summary is an overview: each row one line, long values cut with an ellipsis."""
    result = invoke("summary", "--store", seed_store, columns=100)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    assert "chain-via-joint-venture" in result.stdout
    chain = result.stdout.split("(chain-via-joint-venture)")[1].split("rows")[0]
    body = [line for line in chain.splitlines() if "│" in line]
    data = invoke("query", "chain-via-joint-venture", "-f", "csv", "--store", seed_store)
    assert len(body) == len(data.stdout.splitlines()) - 1  # one line a row


def test_wide_prints_one_line_a_row(seed_store):
    result = invoke("facts", "Nissan", "--wide", "--store", seed_store, columns=80)
    assert result.exit_code == 0, result.output
    data = invoke("facts", "Nissan", "-f", "csv", "--store", seed_store)
    rows = len(list(csv.DictReader(io.StringIO(data.stdout))))
    assert len(result.stdout.splitlines()) == rows + 3  # header, rule, rows, count


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("facts", "Nisan"), "did you mean Nissan?"),
        (("query", "cross-holding"), "did you mean cross-holdings?"),
        (("query", "stakes-in-company", "-p", "company=Nisan"), "did you mean Nissan?"),
    ],
)
def test_unknown_names_are_suggested_in_a_short_error(seed_store, args, message):
    """Exit code 2 and a short message (the CLI's main() prints it as 'error: ...')."""
    from automaker_kg.errors import UnknownNameError

    result = invoke(*args, "--store", seed_store)
    assert isinstance(result.exception, UnknownNameError)
    assert result.exception.exit_code == 2
    assert message in str(result.exception) and len(str(result.exception)) < 400


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"automaker-kg {__version__}"
