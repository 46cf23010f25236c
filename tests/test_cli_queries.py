"""The query commands through the real console script: queries, query, facts, summary, offsets."""

from __future__ import annotations

import csv
import io
import json

import pytest

import automaker_kg
from automaker_kg.queries import library
from seedkit import SEED_ARTICLE


def test_queries_lists_the_library(cli):
    """`queries` names every library query with its question."""
    result = cli("queries")
    assert result.exit_code == 0, result.stderr
    for name in library():
        assert name in result.stdout


def test_query_json_is_w3c_sparql_results(cli, built_store):
    """`query … -f json` prints SPARQL 1.1 JSON results with the header's columns."""
    result = cli(
        "query", "stakes-in-company", "-p", "company=Nissan", "-f", "json", "--store", built_store
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == list(library()["stakes-in-company"].columns)
    shares = {
        (b["holder_label"]["value"], b["interest"]["value"], float(b["share"]["value"]))
        for b in data["results"]["bindings"]
        if "share" in b
    }
    assert {("Renault", "shareholding", 43.0), ("Renault", "shareholding", 15.0)} <= shares


def test_query_csv_and_tsv(cli, built_store):
    csv_out = cli("query", "technologies-protected", "-f", "csv", "--store", built_store)
    assert csv_out.exit_code == 0, csv_out.stderr
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert {r["technology_label"] for r in rows} >= {
        "e-Power",
        "solid-state battery manufacturing process",
    }
    tsv_out = cli("query", "technologies-protected", "-f", "tsv", "--store", built_store)
    assert tsv_out.stdout.splitlines()[0].startswith("?technology_label\t")


def test_query_table_for_people(cli, built_store):
    result = cli("query", "joint-venture-partners", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    for partner in ("Aramco Base Oil", "Geely Holding", "Renault"):
        assert partner in result.stdout
    assert "claim:seed-" in result.stdout  # claim IRIs are shortened with the project's prefixes
    assert "https://" not in result.stdout


def test_query_runs_a_rq_file(cli, built_store, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?c a akg:EquityStake }")
    result = cli("query", path, "-f", "csv", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    assert int(result.stdout.splitlines()[1]) >= 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-query"], "unknown query 'no-such-query'"),
        (["query", "stakes-as-of", "-p", "date=2023-01-01"], "valid: as_of, interest"),
        (["query", "stakes-as-of", "-p", "as_of=soon"], "expects a date"),
        (["query", "stakes-as-of", "-p", "as_of"], "name=value"),
        (["query", "stakes-in-company", "-p", "company=Zyxwv"], "unknown entity 'Zyxwv'"),
        (["query", "stakes-in-company", "-f", "xml"], "unknown format"),
        (["facts", "Zyxwv"], "unknown entity 'Zyxwv'"),
    ],
)
def test_bad_input_exits_2_without_traceback(cli, built_store, args, message):
    result = cli(*args, "--store", built_store)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_malformed_rq_file_exits_4(cli, built_store, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("SELECT ?x WHERE { ?x ?y }")
    result = cli("query", path, "--store", built_store)
    assert result.exit_code == 4
    assert "syntax" in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_query_without_a_store_says_how_to_build_one(cli, tmp_path):
    result = cli("query", "claims-by-status", "--store", tmp_path / "nothing")
    assert result.exit_code == 3
    assert "automaker-kg build" in result.stderr


def test_facts_about_nissan(cli, built_store):
    """`facts` lists each claim about the entity with role, status and evidence offsets."""
    result = cli("facts", "the Japanese automaker", "-f", "json", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    labels = {b["label"]["value"] for b in bindings}
    assert "Nissan wants to keep e-Power protected from Renault" in labels
    assert all("start" in b and "end" in b for b in bindings)
    table = cli("facts", "Nissan", "--store", built_store)
    assert "reported by unnamed sources" in table.stdout


def test_summary_answers_the_competency_questions(cli, built_store):
    result = cli("summary", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert "claims" in first and "source documents" in first
    for name in automaker_kg.api.COMPETENCY_QUERIES:
        assert f"({name})" in result.stdout
    assert "e-Power" in result.stdout and "Aramco Base Oil" in result.stdout


@pytest.mark.skipif(not SEED_ARTICLE.is_file(), reason="shared/seed is not beside the checkout")
def test_offsets_of_a_document(cli):
    result = cli("offsets", SEED_ARTICLE, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["identifier"].startswith("sha256:")
    assert {"paragraph": 10, "sentence": 1, "start": 1782, "end": 2026} in data["sentences"]
    missing = cli("offsets", SEED_ARTICLE.parent / "missing.txt")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_python_api_in_memory():
    """`load(memory=True)` needs no store; `query` and `facts` return rows with dataframes."""
    source = automaker_kg.load(memory=True)
    rows = automaker_kg.query("cross-holdings", source=source, as_of="2023-01-15")
    assert {(r["a_label"], r["b_in_a"]) for r in rows.values()} >= {("Nissan", 43.0)}
    frame = automaker_kg.facts("Ampere", source=source).to_dataframe()
    assert "division relation" in set(frame["claim_type"])
    numbers = automaker_kg.summary(source)
    assert numbers["claims"] >= 49 and numbers["sources"] >= 1


def test_python_api_on_the_built_store(built_store):
    source = automaker_kg.load(built_store)
    rows = automaker_kg.query("technologies-withheld", source=source)
    assert [r["technology_label"] for r in rows.values()] == ["e-Power"]


def test_a_query_that_never_ends_is_stopped(cli_process, built_store, tmp_path):
    """A runaway query is killed at --timeout with a clear message; the store still answers.

    End to end (the installed script): the query's child process is killed at its deadline.
    """
    cli = cli_process
    runaway = tmp_path / "runaway.rq"
    runaway.write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    )
    result = cli("query", runaway, "--timeout", "1", "--store", built_store)
    assert result.exit_code == 4
    assert "ran past 1 s and was stopped" in result.stderr
    assert "Traceback" not in result.stderr
    after = cli("query", "claims-by-status", "-f", "csv", "--store", built_store)
    assert after.exit_code == 0 and "historical fact" in after.stdout
