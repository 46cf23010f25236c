"""The time rules on the shipped graph: ../shared/TIME.md, cell by cell, and issue 10's answers.

Each cell of TIME.md is the expected answer of ``ownership --as-of V --known-on K`` for
Renault's shareholding in Nissan: the stake in force, then the planned one beside it.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from automaker_kg import analytics, projections, temporal
from automaker_kg.store import open_store

KG = "https://w3id.org/automaker-kg/id/"
RENAULT, NISSAN = KG + "renault", KG + "nissan"

# (known_on, valid date) -> (in force, planned); None: nothing in force / nothing planned.
TIME_TABLE = {
    ("2023-02-06", "2022-12-31"): (None, None),
    ("2023-02-06", "2023-07-01"): (43.4, 15.0),
    ("2023-02-06", "2023-12-01"): (43.4, 15.0),
    ("2023-02-06", "2025-06-01"): (43.4, 15.0),
    ("2023-07-26", "2022-12-31"): (None, None),
    ("2023-07-26", "2023-07-01"): (43.4, 15.0),
    ("2023-07-26", "2023-12-01"): (43.4, 15.0),
    ("2023-07-26", "2025-06-01"): (43.4, 15.0),
    ("2023-11-08", "2022-12-31"): (None, None),
    ("2023-11-08", "2023-07-01"): (43.4, 15.0),
    ("2023-11-08", "2023-12-01"): (15.0, None),
    ("2023-11-08", "2025-06-01"): (15.0, None),
    (None, "2022-12-31"): (None, None),
    (None, "2023-07-01"): (43.4, 15.0),
    (None, "2023-12-01"): (15.0, None),
    (None, "2025-06-01"): (15.0, 10.0),
}


@pytest.fixture(scope="module")
def store(built_store):
    return open_store(built_store)


def _row(store, as_of, known_on, holder=RENAULT, target=NISSAN, relation="shareholding"):
    G = projections.project(store, "ownership", as_of=as_of, known_on=known_on)
    rows = analytics.ownership_table(G, relation, holder=holder, target=target)
    return rows[0] if rows else None


@pytest.mark.parametrize(("cell", "expected"), sorted(TIME_TABLE.items(), key=str))
def test_time_table_cell(store, cell, expected):
    """TIME.md: the stake in force and the planned one, for every valid × knowledge date."""
    known_on, as_of = cell
    row = _row(store, as_of, known_on)
    in_force, planned = expected
    got_in_force = row["direct"] if row else None
    planned_shares = (
        sorted({float(p.split("%")[0]) for p in row["planned"].split("; ") if p}) if row else []
    )
    assert got_in_force == (pytest.approx(in_force) if in_force is not None else None)
    assert planned_shares == ([planned] if planned is not None else [])


def test_a_plan_never_replaces_a_fact(store):
    """2023-07-01: Kyodo's 43.4% in force (the seed's 43% agrees), the 15% planned beside it."""
    row = _row(store, "2023-07-01", None)
    assert row["claim"].endswith("kyodo-renault-stake-nissan-43-4")
    assert row["status"] == "historical"
    assert any("seed-renault-stake-nissan-43" in line for line in row["why"])
    assert row["conflict"] == ""


def test_after_the_rebalancing_both_ways(store):
    """2023-12-01: Renault → Nissan 15% official, Nissan → Renault 15%."""
    assert _row(store, "2023-12-01", None)["direct"] == pytest.approx(15.0)
    assert _row(store, "2023-12-01", None)["status"] == "official"
    assert _row(store, "2023-12-01", None, NISSAN, RENAULT)["direct"] == pytest.approx(15.0)


def test_nothing_before_a_company_exists(store):
    """2019-10-01: no stake in force or planned about Ampere or Horse Powertrain."""
    G = projections.project(store, "ownership", as_of="2019-10-01")
    labels = {G.nodes[n]["label"] for n in G}
    assert not {"Ampere", "Horse Powertrain"} & labels


def test_shares_drop_the_cancelled_ampere_plans(store):
    """2025-06-01: the cancellation ends every Nissan capital plan for Ampere."""
    G = projections.project(store, "technology", as_of="2025-06-01")

    def capital(rows):
        return [r for r in rows if (r["company"], r["relation"], r["counterpart"])
                == ("Nissan", "capital", "Ampere")]  # fmt: skip

    assert not capital(analytics.sharing_table(G))
    before = projections.project(store, "technology", as_of="2024-06-01")
    assert len(capital(analytics.sharing_table(before))) >= 3


def test_cancelled_claims_say_what_cancelled_them(store):
    """A superseded plan's edge names the claim that ended it, and why."""
    G = projections.project(store, "technology")
    ended = [
        d for _, _, d in G.edges(data=True) if d["claim"].endswith("seed-nissan-capital-ampere")
    ]
    assert ended and all(
        "asahi-ampere-investment-cancelled" in " ".join(d["superseded_by"]) for d in ended
    )
    assert all(d["spans"][0][1] == "2025-03-31" for d in ended)


def test_ownership_cli_explains(cli, built_store):
    """`ownership --explain` names the chosen claim, the agreeing one and the plan beside."""
    result = cli("ownership", "--as-of", "2023-07-01", "--target", "Nissan", "--explain",
                 "--store", built_store)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "claim:kyodo-renault-stake-nissan-43-4" in result.stdout
    assert "agreeing within precision" in result.stdout
    assert "15% (plan)" in result.stdout


def test_ownership_cli_known_on_json(cli, built_store):
    """--known-on 2023-03-01: 43.4% in force, 15% planned, as of 2024-01-01."""
    result = cli("ownership", "--as-of", "2024-01-01", "--known-on", "2023-03-01",
                 "--holder", "Renault", "-f", "json", "--store", built_store)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = {(r["holder"], r["target"]): r for r in json.loads(result.stdout)}
    row = rows[("Renault", "Nissan")]
    assert row["direct"] == pytest.approx(43.4) and row["planned"].startswith("15%")


def test_ranges_and_unknown_sizes_print_as_ranges():
    """≥20%, ≤15%, 75–100% and ? are kept, never collapsed to one number."""
    assert temporal.format_share(None, 20, None) == "≥20%"
    assert temporal.format_share(None, None, 15) == "≤15%"
    assert temporal.format_share(None, 75, 100) == "75–100%"
    assert temporal.format_share(None) == "?"


def test_integrated_ownership_of_ranges_is_a_range():
    """Lower and upper matrices bound the integrated figure."""
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_edge("a", "b", relation="shareholding", share=None, share_min=40.0, share_max=60.0,
               standing="in force", claim="ab")  # fmt: skip
    G.add_edge("b", "c", relation="shareholding", share=50.0, standing="in force", claim="bc")
    G.add_edge("a", "d", relation="shareholding", share=None, share_min=None, share_max=None,
               standing="in force", claim="ad")  # fmt: skip
    rows = {(r["holder"], r["target"]): r for r in analytics.ownership_table(G)}
    assert rows[("a", "c")]["integrated_text"] == "20–30%"
    assert rows[("a", "b")]["direct_text"] == "40–60%"
    assert rows[("a", "d")]["direct_text"] == "?"
    assert "unknown" in rows[("a", "d")]["note"]


def _claim(iri, status, **kw):
    return temporal.ClaimTime(iri, status=status, subject=("h", "t", "s"), **kw)


def test_disagreeing_sources_are_kept_both():
    """15% against 20% on the same day from two sources: a conflict, both kept."""
    a = _claim("a", "official", valid_from=date(2024, 1, 1), published=date(2024, 1, 2),
               value=(15.0, None, None))  # fmt: skip
    b = _claim("b", "official", valid_from=date(2024, 1, 1), published=date(2024, 1, 3),
               value=(20.0, None, None))  # fmt: skip
    t = temporal.resolve([a, b])
    choice = temporal.choose(t.values(), date(2024, 6, 1))
    assert choice.chosen.claim.iri == "b" and [s.claim.iri for s in choice.conflicting] == ["a"]


def test_an_instant_is_never_in_force():
    """A zero-length interval (a register's same-day record) is an instant."""
    c = _claim("i", "official", valid_from=date(2020, 4, 8), valid_to=date(2020, 4, 8))
    s = temporal.resolve([c])["i"]
    assert s.instant == date(2020, 4, 8) and s.on(date(2020, 4, 8)) is None and s.spans == []


def test_a_plan_replaced_by_a_plan_ends_when_the_new_one_is_published():
    """Plans are shown from the day they were first published until replaced."""
    p1 = _claim("p1", "plan", published=date(2023, 1, 1), value=(15.0, None, None))
    p2 = _claim("p2", "plan", published=date(2025, 3, 31), supersedes=("p1",),
                value=(10.0, None, None))  # fmt: skip
    t = temporal.resolve([p1, p2])
    assert t["p1"].on(date(2025, 3, 30)) == "planned" and t["p1"].on(date(2025, 3, 31)) is None
    assert t["p2"].on(date(2025, 4, 1)) == "planned"


def test_founding_bounds_facts():
    """No fact holds for an entity before its founding."""
    c = temporal.ClaimTime("c", status="official", valid_from=date(2019, 1, 1),
                           entities=("x",))  # fmt: skip
    s = temporal.resolve([c], founded={"x": date(2023, 11, 1)})["c"]
    assert s.on(date(2020, 1, 1)) is None and s.on(date(2024, 1, 1)) == "in force"
    assert "founding" in s.start_rule


def test_one_counts_definition_everywhere(built, built_store, cli, tmp_path):
    """build, stats, summary (API and notebook), and the site index print the same numbers."""
    import re

    import automaker_kg
    from automaker_kg.render import build_site

    expected = {"entities": built.entities, "claims": built.claims, "sources": built.sources}
    assert expected["entities"] > 0 and expected["claims"] > expected["sources"] > 0
    summary = automaker_kg.summary(open_store(built_store))
    assert {k: summary[k] for k in expected} == expected
    stats = cli("stats", "--store", built_store).stdout
    assert (
        f"{expected['entities']} entities, {expected['claims']} claims, "
        f"{expected['sources']} sources" in stats
    )
    index = build_site(open_store(built_store), tmp_path / "site").read_text(encoding="utf-8")
    shown = dict(re.findall(r"(entities|claims)</dt><dd>(\d+)", index))
    assert shown == {"entities": str(expected["entities"]), "claims": str(expected["claims"])}


def test_shares_explain_names_the_cancelling_claim(cli, built_store):
    """`shares Nissan --as-of 2025-06-01 --explain`: no capital plan for Ampere in the table,
    and the left-out plans name the cancellation that ended them."""
    result = cli("shares", "Nissan", "--as-of", "2025-06-01", "--explain", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    _, _, left_out = result.stdout.partition("not shown on 2025-06-01:")
    rows = json.loads(
        cli(
            "shares", "Nissan", "--as-of", "2025-06-01", "-f", "json", "--store", built_store
        ).stdout
    )
    assert not [r for r in rows if (r["relation"], r["counterpart"]) == ("capital", "Ampere")]
    assert "claim:seed-nissan-invests-ampere" in left_out
    # Asahi and AFP both report the cancellation of 31 March 2025; either may be named
    assert re.search(
        r"superseded by (asahi-ampere-investment-cancelled|afp-nissan-released-ampere)", left_out
    )


def test_a_plan_confirmed_by_a_later_fact_of_its_value_is_completed():
    """No sheet linked them: a fact of the plan's value, starting after the plan was made,
    completes it (the plan is no longer shown beside the fact)."""
    plan = _claim("p", "plan", published=date(2023, 1, 1), value=(15.0, None, None))
    fact = _claim("f", "official", valid_from=date(2025, 3, 31), published=date(2025, 3, 31),
                  value=(15.0, None, None))  # fmt: skip
    other = _claim("o", "official", valid_from=date(2024, 1, 1), published=date(2024, 1, 1),
                   value=(10.0, None, None))  # fmt: skip
    t = temporal.resolve([plan, fact, other])
    assert t["p"].on(date(2025, 3, 30)) == "planned" and t["p"].on(date(2025, 3, 31)) is None
    assert "completed" in t["p"].end_rule and t["p"].ended_by == "f"


def test_the_fact_a_plan_supersedes_never_completes_it():
    """A report says A holds 80.1% of B and that A will stay above half once C comes in: the
    80.1% (in force from the report's day) agrees with "at least 50%", but it is the state the
    plan is to change, so the plan stays planned beside it."""
    fact = _claim("f", "historical", published=date(2022, 5, 10), value=(80.1, None, None))
    plan = _claim("p", "plan", valid_from=date(2022, 5, 10), published=date(2022, 5, 10),
                  supersedes=("f",), value=(None, 50.0, None))  # fmt: skip
    t = temporal.resolve([fact, plan])
    assert t["p"].on(date(2024, 6, 1)) == "planned" and t["p"].end is None
    assert t["f"].on(date(2024, 6, 1)) == "in force" and t["f"].planned_change_by == ["p"]


def test_renault_korea_majority_plan_shown_beside_the_80_pct(store):
    """The Yonhap sheet: Renault's 80.1% in force in 2024, its stay-majority plan beside it."""
    row = _row(store, "2024-06-01", None, RENAULT, KG + "renault-korea")
    assert row["direct_text"] == "80.1%" and row["planned"].startswith("≥50% (plan")


def test_reciprocal_voting_rights_planned_until_reported_in_force(store):
    """TIME.md: the voting rights of the rebalancing are planned until a source reports them."""
    before = _row(store, "2023-12-01", None, RENAULT, NISSAN, "voting_rights")
    assert before["direct"] is None and before["planned"].startswith("15%")


def test_resolutions_are_listed_apart_from_conflicts(store):
    """An investment planned and later called off, a plan completed: settled, not conflicts."""
    from automaker_kg.conflicts import find_conflicts, find_resolutions

    settled = {(r["claim"].rsplit("/", 1)[-1], r["settled_by"].rsplit("/", 1)[-1])
               for r in find_resolutions(store)}  # fmt: skip
    assert ("euronews-nissan-invests-ampere", "asahi-ampere-investment-cancelled") in settled
    assert ("seed-renault-stake-nissan-15", "globe-renault-stake-nissan-15") in settled
    pairs = {frozenset((*c.a.claims, *c.b.claims)) for c in find_conflicts(store)}
    assert not any(
        any("seed-renault-stake-nissan-15" in x for x in p) and
        any("globe-renault-stake-nissan-15" in x for x in p) for p in pairs
    )  # fmt: skip
