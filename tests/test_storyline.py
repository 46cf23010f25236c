"""The storyline the notebook tells, checked here (the notebook itself only shows it).

Each test asks one of the notebook's questions through the public API on the built graph and
checks the answer a reader of ``notebooks/explore.ipynb`` is told.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

import automaker_kg
from automaker_kg import analytics, projections, queries, render
from automaker_kg.api import COMPETENCY_QUERIES

pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def kg(built_store: Path) -> Any:
    return automaker_kg.load(built_store)


def test_the_graph_counts_its_sources_and_claims(kg: Any) -> None:
    """The summary the notebook opens with: more claims than sources, at least one source."""
    counts = automaker_kg.summary(kg)
    assert counts["sources"] >= 1 and counts["claims"] > counts["sources"]


def test_the_library_holds_the_competency_questions() -> None:
    """The library table lists every competency question."""
    assert set(COMPETENCY_QUERIES) <= set(queries.library())


def test_stakes_in_nissan_source_by_source(kg: Any) -> None:
    """Renault's stake in Nissan as each source gives it; the completed 15% supersedes both
    the seed's plan and Kyodo's 43.4%."""
    stakes = automaker_kg.query("stakes-in-company", kg, company="Nissan").to_dataframe()
    renault = stakes[(stakes.holder_label == "Renault") & (stakes.interest == "shareholding")]
    assert {43.0, 43.4, 15.0, 10.0} <= set(renault.share)
    completed = renault[(renault.share == 15.0) & (renault.status == "official statement")]
    assert set(completed.valid_from.astype(str)) == {"2023-11-08"}
    replaced = {str(iri) for iri in completed.supersedes.dropna()}
    assert any(iri.endswith("seed-renault-stake-nissan-15") for iri in replaced)  # the plan
    assert any(iri.endswith("kyodo-renault-stake-nissan-43-4") for iri in replaced)


def _holdings(df: Any, interest: str) -> dict[str, set[float]]:
    """{who holds: the shares the sources give} for Nissan and Renault (a = Nissan)."""
    rows = df[(df.interest == interest) & (df.a_label == "Nissan") & (df.b_label == "Renault")]
    return {"Nissan": set(rows.a_in_b), "Renault": set(rows.b_in_a)}


def test_cross_holdings_before_and_after_the_rebalancing(kg: Any) -> None:
    """Before: 43% or 43.4% of Nissan against 15% of Renault; after: 15% each way."""
    before = automaker_kg.query("cross-holdings", kg, as_of="2023-03-01").to_dataframe()
    after = automaker_kg.query("cross-holdings", kg, as_of="2024-01-01").to_dataframe()
    assert _holdings(before, "shareholding") == {"Nissan": {15.0}, "Renault": {43.0, 43.4}}
    assert _holdings(before, "voting rights") == {"Nissan": set(), "Renault": set()}
    assert _holdings(after, "shareholding") == {"Nissan": {15.0}, "Renault": {15.0}}


def test_technology_protected_and_withheld(kg: Any) -> None:
    """Nissan protects e-Power from Renault and withholds it from the gasoline joint venture,
    by unnamed sources."""
    protected = automaker_kg.query("technologies-protected", kg, company="Nissan").to_dataframe()
    withheld = automaker_kg.query("technologies-withheld", kg, company="Nissan").to_dataframe()
    assert "e-Power" in set(protected.technology_label)
    assert set(protected.protected_from) == {"Renault"}
    assert set(withheld.technology_label) == {"e-Power"}
    assert withheld.from_label.str.contains("gasoline powertrain joint venture").all()
    assert set(protected.status) | set(withheld.status) == {"reported by unnamed sources"}


@pytest.mark.parametrize(
    ("name", "venture"), [("Aramco", "Horse Powertrain"), ("Aramco Base Oil", "gasoline")]
)
def test_aramco_reaches_nissan_through_a_joint_venture(kg: Any, name: str, venture: str) -> None:
    """Each hop of the path is a sentence with its source; the last is Renault's stake (in
    shares or in votes) in Nissan."""
    G = projections.project(kg, "all")
    nissan = analytics.resolve_entity(G, "Nissan")
    start = analytics.resolve_entity(G, name)
    hops = analytics.explain_path(G, start, nissan)
    assert G.nodes[start]["label"] == name
    assert hops[-1].relation in {"shareholding", "voting_rights"} and hops[-1].target == nissan
    assert venture in hops[0].sentence and "Renault" in hops[-1].sentence
    assert all(hop.document and hop.evidence for hop in hops)


def test_integrated_ownership_before_and_after(kg: Any) -> None:
    """Renault's integrated share of Nissan is x / (1 - xy) before (about 46%) and 15.35%
    after; the non-reflexive method gives back the direct stake."""

    def figures(day: str) -> tuple[Any, Any, Any]:
        G = projections.project(kg, "ownership", as_of=day)
        renault = analytics.resolve_entity(G, "Renault")
        nissan = analytics.resolve_entity(G, "Nissan")
        direct = analytics.stake_graph(G)
        integrated = analytics.integrated_ownership(G)
        non_reflexive = analytics.integrated_ownership(G, method="non_reflexive")
        x = direct[renault][nissan]["weight"]
        y = direct[nissan][renault]["weight"]
        return (x, y), integrated[renault, nissan], non_reflexive[renault, nissan]

    (x, y), integrated, non_reflexive = figures("2023-03-01")
    assert round(100 * x, 1) in (43.0, 43.4) and math.isclose(y, 0.15)
    assert math.isclose(integrated, x / (1 - x * y))
    assert math.isclose(non_reflexive, x)
    (x, y), integrated, _ = figures("2024-01-01")
    assert math.isclose(x, 0.15) and math.isclose(integrated, 0.15 / (1 - 0.15 * 0.15))


def test_what_changed_with_the_rebalancing(kg: Any) -> None:
    """diff between 2023-03-01 and 2024-01-01: Renault's stake falls from 43.4% to 15% (the
    seed's 43% and its 15% plan end), the French trust's 28.4% appears."""
    before = projections.project(kg, "all", as_of="2023-03-01")
    after = projections.project(kg, "all", as_of="2024-01-01")
    moves: dict[tuple[str, str, str, str], set[tuple[Any, Any]]] = {}
    for r in analytics.diff(before, after):
        key = (r["change"], r["relation"], r["subject"], r["object"])
        moves.setdefault(key, set()).add((r["share_before"], r["share_after"]))
    assert moves["change", "shareholding", "Renault", "Nissan"] == {(43.4, 15.0)}
    assert moves["end", "shareholding", "Renault", "Nissan"] == {(43.0, None), (15.0, None)}
    assert moves["start", "shareholding", "French trust holding Nissan shares", "Nissan"] == {
        (None, 28.4)
    }


@pytest.mark.parametrize("day", ["2023-02-06", "2023-11-08", "2025-06-01"])
def test_the_storyline_views_open_on_their_dates(kg: Any, day: str) -> None:
    """render.show gives the notebook a view whose slider opens on the storyline's date."""
    view = render.show(kg, "ownership", as_of=day, height=500)
    assert f'"start":"{day}"' in view.page
    assert view._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
