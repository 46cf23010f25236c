"""The analytics commands, run as the real ``automaker-kg`` console script on a built store."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from automaker_kg.namespaces import KG
from automaker_kg.projections import project
from automaker_kg.store import open_store

JV = "Renault–Geely–Aramco gasoline powertrain joint venture"


def test_path_explains_aramco_to_nissan(cli, seed_store):
    """JSON rows: the JV, Renault, then the 43% stake, each with status and claim IRI."""
    result = cli("path", "Aramco", "Nissan", "--as-of", "2023-05-31", "--format", "json",
                 "--store", seed_store)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["from"], r["to"]) for r in rows] == [
        ("Aramco Base Oil", JV),
        (JV, "Renault"),
        ("Renault", "Nissan"),
    ]
    assert rows[2]["sentence"].startswith("Renault holds 43% of Nissan (historical")
    assert rows[2]["claim"].endswith("/claim/seed-renault-stake-nissan-43")
    assert rows[2]["evidence"].endswith("nissan-renault-2023#1040-1291")


def test_path_table_and_several_paths(cli, seed_store):
    """The table shows the sentences; --paths 3 numbers three paths."""
    table = cli("path", "aramco", "nissan", "--store", seed_store)
    assert table.exit_code == 0, table.stderr
    assert "Aramco Base Oil is a partner in the joint venture" in table.stdout
    rows = list(csv.DictReader(io.StringIO(
        cli("path", "aramco", "nissan", "--paths", "3", "-f", "csv", "--store", seed_store).stdout
    )))  # fmt: skip
    assert sorted({r["path"] for r in rows}) == ["1", "2", "3"]


def test_path_without_a_link_exits_1(cli, seed_store):
    """No path within --max-hops: exit 1 and a message on stderr."""
    result = cli("path", "Aramco", "Nissan", "--max-hops", "1", "--store", seed_store)
    assert result.exit_code == 1
    assert "no path of at most 1 claims links Aramco and Nissan" in result.stderr


def test_unknown_entity_exits_2_with_candidates(cli, seed_store):
    """A misspelt name is bad input: exit 2, close candidates listed, no traceback."""
    result = cli("path", "Nisan", "Renault", "--store", seed_store)
    assert result.exit_code == 2
    assert "unknown entity 'Nisan'; did you mean Nissan?" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("as_of", "renault_in_nissan", "integrated"),
    [("2023-05-31", 43.0, 43 / (1 - 0.43 * 0.15)), ("2023-06-01", 43.0, 43 / (1 - 0.43 * 0.15))],
)
def test_ownership_direct_and_integrated(cli, seed_store, as_of, renault_in_nissan, integrated):
    """The seed alone: the 43% stays in force on the planned day (the 15% is planned)."""
    result = cli("ownership", "--as-of", as_of, "--format", "json", "--store", seed_store)
    assert result.exit_code == 0, result.stderr
    rows = {(r["holder"], r["target"]): r for r in json.loads(result.stdout)}
    assert rows[("Renault", "Nissan")]["direct"] == pytest.approx(renault_in_nissan)
    assert rows[("Renault", "Nissan")]["integrated"] == pytest.approx(integrated, abs=1e-5)
    assert rows[("Nissan", "Renault")]["direct"] == pytest.approx(15.0)
    assert rows[("Renault", "Nissan")]["planned"] == "15% (plan)"


def test_ownership_table_and_non_reflexive(cli, seed_store):
    """The table prints percentages; the non-reflexive method leaves a 2-cycle's stakes as is."""
    table = cli("ownership", "--as-of", "2023-05-31", "--store", seed_store)
    assert "45.96%" in table.stdout and "43%" in table.stdout
    result = cli("ownership", "--as-of", "2023-05-31", "--method", "non_reflexive", "-f", "csv",
                 "--store", seed_store)  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["holder"], float(r["non_reflexive"])) for r in rows} == {
        ("Nissan", 15.0),
        ("Renault", 43.0),
    }


def test_ownership_pages_its_table(cli, built_store):
    """--limit and --offset give a page of the sorted table and say how many rows there are;
    for CSV the note goes to stderr, beside the data."""
    whole = cli("ownership", "--as-of", "2025-06-01", "-f", "csv", "--store", built_store)
    rows = list(csv.DictReader(io.StringIO(whole.stdout)))
    assert len(rows) > 4 and whole.stderr == ""
    page = cli("ownership", "--as-of", "2025-06-01", "-f", "csv", "--limit", "2", "--offset", "3",
               "--store", built_store)  # fmt: skip
    assert list(csv.DictReader(io.StringIO(page.stdout))) == rows[3:5]
    assert f"rows 4–5 of {len(rows)}; --offset 5 for the next" in page.stderr
    table = cli("ownership", "--as-of", "2025-06-01", "--limit", "1", "--store", built_store)
    assert f"rows 1–1 of {len(rows)}" in table.stdout and rows[0]["holder"] in table.stdout
    past = cli("ownership", "--as-of", "2025-06-01", "--offset", "999", "--store", built_store)
    assert f"no rows past {len(rows)}" in past.stdout
    bad = cli("ownership", "--limit", "-1", "--store", built_store)
    assert bad.exit_code == 2 and "--limit" in bad.stderr


def test_ownership_counts_the_sources_of_one_plan(cli, built_store):
    """Renault's 10% plan for Nissan, stated by Asahi and by AFP, is one entry with its two
    sources counted (both claims still listed)."""
    result = cli("ownership", "--as-of", "2025-06-01", "--holder", "Renault", "--target",
                 "Nissan", "-f", "json", "--store", built_store)  # fmt: skip
    (row,) = json.loads(result.stdout)
    assert row["planned"] == "10% (plan, 2 sources)"
    assert len(row["planned_claims"].split()) == 2


def test_shares_of_nissan(cli, seed_store):
    """Nissan withholds e-Power from the JV and protects it from Renault."""
    result = cli("shares", "Nissan", "--format", "json", "--store", seed_store)
    assert result.exit_code == 0, result.stderr
    rows = {(r["technology"], r["relation"], r["counterpart"]) for r in json.loads(result.stdout)}
    assert ("e-Power", "withholds", JV) in rows
    assert ("e-Power", "protects", "Renault") in rows
    assert ("e-Power", "develops", None) in rows


def test_shares_for_a_technology(cli, seed_store):
    """Filtering by a technology keeps only its rows."""
    result = cli("shares", "e-Power", "--format", "csv", "--store", seed_store)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["technology"] for r in rows} == {"e-Power"}


def test_shares_of_a_technology_counts_the_narrower_ones(cli, built_store):
    """`shares "solid-state battery"`: the arrangements on the technologies below it in the
    taxonomy (all-solid-state cells, the manufacturing process, a licence of the separator)."""
    result = cli("shares", "solid-state battery", "-f", "json", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    rows = {(r["company"], r["technology"], r["relation"]) for r in json.loads(result.stdout)}
    assert ("Nissan", "all-solid-state battery", "develops") in rows
    assert ("Nissan", "solid-state battery manufacturing process", "protects") in rows
    assert ("QuantumScape", "solid-state battery", "licenses") in rows
    assert ("QuantumScape", "ceramic separator", "licenses") in rows
    assert all(r[1] for r in rows), "every row names its technology"


def test_shares_of_toyota_names_its_joint_projects_on_technologies(cli, built_store):
    """`shares Toyota` lists its joint projects on a technology (all-solid-state cells with
    Idemitsu, the bZ3 with BYD), one row per pair, beside BYD's supply; its joint project
    with Suzuki on markets alone is no row."""
    rows = json.loads(cli("shares", "Toyota", "-f", "json", "--store", built_store).stdout)
    got = {(r["company"], r["technology"], r["relation"], r["counterpart"]) for r in rows}
    assert ("Idemitsu", "all-solid-state battery", "joint project", "Toyota") in got
    assert ("BYD", "battery electric vehicle", "joint project", "Toyota") in got
    assert ("BYD", "Blade battery", "supplies", "Toyota") in got
    assert not {g for g in got if g[2] == "joint project" and "Suzuki" in g}
    joint = next(r for r in rows if r["counterpart"] == "Toyota" and r["company"] == "Idemitsu")
    assert joint["status"] == "official" and joint["claim"].endswith("toyota-idemitsu-solid-state")
    table = cli("shares", "Toyota", "--store", built_store).stdout
    assert "joint project" in table and "Idemitsu" in table


def test_shares_of_solid_state_agrees_with_the_partners_query(cli, built_store):
    """`shares "solid-state battery"` and the library query solid-state-partners name the
    same partners: the joint projects (Toyota with Idemitsu, PowerCo with QuantumScape) and
    the arrangements with a recipient, withholding and protecting left aside (no
    partnering); joint ventures focused on the technology are the query's alone."""
    shares = json.loads(
        cli("shares", "solid-state battery", "-f", "json", "--store", built_store).stdout
    )
    got = {
        (r["company"], r["counterpart"], r["relation"], r["technology"])
        for r in shares
        if r["counterpart"] and r["relation"] not in ("withholds", "protects")
    }
    result = cli("query", "solid-state-partners", "-f", "csv", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    partners = {
        (r["company_label"], r["partner_label"], r["relation"], r["technology_label"])
        for r in csv.DictReader(io.StringIO(result.stdout))
        if r["relation"] != "joint venture"
    }
    assert got == partners
    assert ("Idemitsu", "Toyota", "joint project", "all-solid-state battery") in got
    assert ("PowerCo", "QuantumScape", "joint project", "solid-state battery") in got


def test_shares_lists_supplies_and_licences_whole(cli, built_store):
    """A supply and a licence of three technologies: one row per technology, each naming
    the provider, the technology and the recipient."""
    rows = json.loads(cli("shares", "-f", "json", "--store", built_store).stdout)
    got = {(r["company"], r["technology"], r["relation"], r["counterpart"]) for r in rows}
    assert ("BYD", "Blade battery", "supplies", "Toyota") in got
    licences = {g for g in got if g[0] == "QuantumScape" and g[2] == "licenses"}
    assert {g[3] for g in licences} == {"PowerCo"} and len(licences) == 3


def test_diff_table_names_the_technology_and_the_change(cli, built_store):
    """The table says what is developed and how a value changed, in one cell each (the
    CSV keeps technology, value_before and value apart)."""
    table = cli("diff", "2023-01-01", "2024-12-31", "--store", built_store).stdout
    assert "43.4% → 15%" in table
    assert "develops: all-solid-state battery" in " ".join(table.split())
    rows = list(csv.DictReader(io.StringIO(
        cli("diff", "2023-01-01", "2024-12-31", "-f", "csv", "--store", built_store).stdout
    )))  # fmt: skip
    assert any(r["relation"] == "develops" and r["technology"] for r in rows)


def test_diff_shows_the_stake_change(cli, built_store):
    """The day the rebalancing took effect: 43.4% becomes 15%, the plan ends, voting starts."""
    result = cli("diff", "2023-11-01", "2023-11-08", "--format", "json", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    changes = {(r["change"], r["relation"], r["subject"], r["object"]) for r in rows}
    assert ("change", "shareholding", "Renault", "Nissan") in changes
    assert ("plan ends", "shareholding", "Renault", "Nissan") in changes
    stake = next(
        r for r in rows
        if (r["change"], r["relation"], r["subject"]) == ("change", "shareholding", "Renault")
        and r["object"] == "Nissan"
    )  # fmt: skip
    assert stake["share_after"] == 15.0 and stake["share_before"] in (43.0, 43.4)


def test_diff_lists_dated_events_and_superseded_ends(cli, built_store):
    """2025: the cancellation of Nissan's Ampere plans shows as ended plans with the rule."""
    result = cli("diff", "2025-01-01", "2025-12-31", "-f", "json", "--store", built_store)
    rows = json.loads(result.stdout)
    ended = [r for r in rows if r["change"] == "plan ends" and r["object"] == "Ampere"]
    assert ended and all("superseded by " in (r["why"] or "") for r in ended)
    capital = [r for r in ended if r["relation"] == "capital"]
    assert capital and all("cancelled" in r["why"] for r in capital)


def test_bad_format_and_bad_date_exit_2(cli, seed_store):
    """Unknown output formats and unreadable dates are bad input."""
    result = cli("ownership", "--format", "xml", "--store", seed_store)
    assert result.exit_code == 2 and "unknown format 'xml'" in result.stderr
    result = cli("diff", "2023-02-30", "2023-06-01", "--store", seed_store)
    assert result.exit_code == 2 and "'2023-02-30' is not an ISO date" in result.stderr


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_graph_round_trips(cli, seed_store, tmp_path, fmt, reader):
    """The written file holds exactly the projection's nodes and claims, lists joined."""
    target = tmp_path / f"g.{fmt}"
    result = cli("export-graph", "--format", fmt, "--kind", "all", "-o", target,
                 "--store", seed_store)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    G = project(open_store(seed_store), "all")
    H = reader(target)
    assert set(H.nodes) == set(G.nodes)
    assert H.number_of_edges() == G.number_of_edges()
    assert {k for _, _, k in H.edges(keys=True)} == {k for _, _, k in G.edges(keys=True)}
    nissan = str(KG.nissan)
    assert "Nissan Motor" in H.nodes[nissan]["aliases"]


def test_export_graph_to_stdout(cli, seed_store):
    """Without -o the GraphML goes to stdout."""
    result = cli("export-graph", "--kind", "ownership", "--store", seed_store)
    assert result.exit_code == 0, result.stderr
    H = nx.read_graphml(io.BytesIO(result.stdout.encode()))
    assert H.number_of_edges() == project(open_store(seed_store), "ownership").number_of_edges()
