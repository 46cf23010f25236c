"""Library queries answered on the shipped graph (ontology + graph/, every sheet): the industry
questions of the source briefs, with answers checked by hand against the sheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automaker_kg import queries as Q
from automaker_kg.projections import timeline_ntriples

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped() -> ox.Store:
    """The ontology (shapes aside) and every graph/ file, one named graph each, in memory."""
    store = ox.Store()
    files = [p for p in sorted((ROOT / "ontology").glob("*.ttl")) if p.name != "shapes.ttl"]
    for path in [*files, *sorted((ROOT / "graph").rglob("*.ttl"))]:
        store.load(
            path=str(path),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(f"urn:test:{path.relative_to(ROOT)}"),
        )
    # the timeline graph the build derives (the time rules, for the as_of queries)
    store.load(
        timeline_ntriples(store),
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode("urn:test:timeline"),
    )
    return store


def rows(store, name, **params) -> list[dict]:
    return Q.run(name, store, {k: str(v) for k, v in params.items()}).values()


def project(store, name, columns, **params) -> set[tuple]:
    return {tuple(r[c] for c in columns) for r in rows(store, name, **params)}


# --------------------------------------------------------------------------- solid-state batteries


def test_solid_state_partners(shipped):
    """Toyota with Idemitsu; QuantumScape's licence to PowerCo (solid-state cells and the ceramic
    separator, narrower than solid-state), their joint cell and their 2018 joint venture. Nissan
    protecting its process from Renault is no partnership; lithium-metal cells are not under
    solid-state in the taxonomy."""
    got = project(
        shipped,
        "solid-state-partners",
        ["company_label", "partner_label", "relation", "technology_label", "status"],
    )
    assert got == {
        ("Idemitsu", "Toyota", "joint project", "all-solid-state battery", "official statement"),
        ("PowerCo", "QuantumScape", "joint project", "solid-state battery", "plan or expectation"),
        ("PowerCo", "QuantumScape", "joint venture", "solid-state battery", "historical fact"),
        ("QuantumScape", "PowerCo", "licenses", "solid-state battery", "official statement"),
        ("QuantumScape", "PowerCo", "licenses", "ceramic separator", "official statement"),
    }
    (venture,) = {r["via_label"] for r in rows(shipped, "solid-state-partners") if r["via_label"]}
    assert venture == "QuantumScape–Volkswagen joint venture"


def test_partners_of_a_narrower_technology(shipped):
    """Asked about all-solid-state batteries only, the broader solid-state claims drop out."""
    got = project(
        shipped,
        "solid-state-partners",
        ["company_label", "partner_label"],
        technology="tech:all-solid-state-battery",
    )
    assert got == {("Idemitsu", "Toyota")}


def test_partners_of_a_broader_technology(shipped):
    """Batteries in general take in BYD's Blade cells for Toyota and GM's Ultium for Honda."""
    got = project(
        shipped,
        "solid-state-partners",
        ["company_label", "partner_label", "relation", "technology_label"],
        technology="tech:battery",
    )
    assert ("BYD", "Toyota", "supplies", "Blade battery") in got
    assert ("General Motors", "Honda", "contributes", "Ultium battery") in got
    assert ("Idemitsu", "Toyota", "joint project", "all-solid-state battery") in got
    assert not {g for g in got if "withholds" in g or "protects" in g}


# --------------------------------------------------------------------------- e-Power


def test_who_builds_or_sells_e_power_cars(shipped):
    """Nissan (its own models in Japan, South-East Asia and, reportedly, Europe) and Dongfeng
    Nissan (the Sylphy e-Power in China); withholding and protecting e-Power do not count."""
    got = project(
        shipped,
        "technology-makers",
        ["company_label", "role", "vehicle_label", "market_label", "status"],
    )
    assert got == {
        (
            "Dongfeng Nissan",
            "builds or sells",
            "Nissan Sylphy e-Power",
            "China",
            "official statement",
        ),
        ("Nissan", "builds or sells", None, "Japan", "historical fact"),
        ("Nissan", "builds or sells", None, "ASEAN", "historical fact"),
        ("Nissan", "builds or sells", None, "Europe", "reported by unnamed sources"),
        ("Nissan", "develops the technology", None, None, "historical fact"),
        ("Nissan", "develops the technology", None, None, "reported by unnamed sources"),
    }


def test_who_builds_or_sells_cars_of_a_broader_technology(shipped):
    """Hybrids take in e-Power (narrower) and the badge-engineered and supplied cars."""
    got = project(shipped, "technology-makers", ["company_label", "role"], technology="tech:hybrid")
    assert {
        ("Dongfeng Nissan", "builds or sells"),
        ("Toyota", "supplies the technology"),
        ("Horse Powertrain", "develops the technology"),
        ("Hyundai", "joint project"),
        ("General Motors", "joint project"),
    } <= got


# ------------------------------------------------------------------ stakes between automakers


def automaker_stakes(store, day, holder, target) -> dict[str, set[float]]:
    out: dict[str, set[float]] = {}
    for r in rows(store, "automaker-stakes-as-of", as_of=day):
        if (r["holder_label"], r["target_label"]) == (holder, target):
            share = r["share"] if r["share"] is not None else r["share_min"]
            out.setdefault(r["standing"], set()).add(float(share))
    return out


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # TIME.md, row 'today': nothing before any source; Kyodo's 43.4% (the seed's 43%
        # agrees) with 15% planned; 15% once completed; 15% with 10% planned after the 2025 cut
        ("2022-12-31", {}),
        ("2023-07-01", {"in force": {43.0, 43.4}, "planned": {15.0}}),
        ("2023-12-01", {"in force": {15.0}}),
        ("2025-06-01", {"in force": {15.0}, "planned": {10.0}}),
    ],
)
def test_renault_in_nissan_on_a_date(shipped, day, expected):
    assert automaker_stakes(shipped, day, "Renault", "Nissan") == expected


def test_renault_in_nissan_as_known_earlier(shipped):
    """As known on 2023-03-01, the end of 2023 was to bring 15% (planned) beside 43.4%."""
    got: dict[str, set[float]] = {}
    for r in rows(shipped, "automaker-stakes-as-of", as_of="2024-01-01", known_on="2023-03-01"):
        if (r["holder_label"], r["target_label"]) == ("Renault", "Nissan"):
            got.setdefault(r["standing"], set()).add(float(r["share"]))
    assert got["planned"] == {15.0}
    assert 43.4 in got["in force"]


def test_toyotas_stakes_in_2019(shipped):
    """Daihatsu is Toyota's since 2016; Mazda's and Subaru's shares are known from the WSJ's
    report of 29 August 2019, and the Suzuki purchase announced then is planned."""
    before = project(
        shipped, "automaker-stakes-as-of", ["holder_label", "target_label"], as_of="2019-08-01"
    )
    assert {t for h, t in before if h == "Toyota"} == {"Daihatsu"}
    got = project(
        shipped,
        "automaker-stakes-as-of",
        ["target_label", "share", "standing"],
        as_of="2019-10-01",
    )
    assert {g for g in got if g[0] in {"Daihatsu", "Mazda", "Subaru", "Suzuki"}} == {
        ("Daihatsu", 100.0, "in force"),
        ("Mazda", 5.1, "in force"),
        ("Subaru", 16.8, "in force"),
        ("Suzuki", 4.9, "planned"),
    }


def test_geely_in_aston_martin_rises(shipped):
    """7.6% from September 2022 until the rise to about 17% announced on 18 May 2023."""
    assert automaker_stakes(shipped, "2023-05-17", "Geely Holding", "Aston Martin") == {
        "in force": {7.6}
    }
    assert automaker_stakes(shipped, "2023-05-18", "Geely Holding", "Aston Martin") == {
        "in force": {17.0}
    }


def test_a_plan_never_ends_a_fact(shipped):
    """Renault's 80.1% of Renault Korea stays in force although a plan (Renault keeps a
    majority once Geely comes in) supersedes it, and that plan is shown beside it (the 80.1%
    agrees with "at least 50%" but is the state the plan changes, so it does not complete
    it); Geely Auto's 34.02% is planned."""
    assert automaker_stakes(shipped, "2024-01-01", "Renault", "Renault Korea") == {
        "in force": {80.1},
        "planned": {50.0},
    }
    assert automaker_stakes(shipped, "2024-01-01", "Geely Auto", "Renault Korea") == {
        "planned": {34.02}
    }


def test_only_automakers_on_both_sides(shipped):
    """The French trust, Aramco's subsidiary and stakes in joint ventures are left out."""
    got = project(
        shipped, "automaker-stakes-as-of", ["holder_label", "target_label"], as_of="2025-06-01"
    )
    labels = {label for pair in got for label in pair}
    assert "French trust holding Nissan shares" not in labels
    assert "Horse Powertrain" not in labels and "Leapmotor International" not in labels
    assert {("Stellantis", "Leapmotor"), ("Volkswagen", "XPeng"), ("Toyota", "Suzuki")} <= got


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2031, 12, 31)))
def test_every_row_holds_on_its_date(shipped, day):
    """For any date, each row started on or before it and ends after it; facts are 'in force'."""
    for name in ("automaker-stakes-as-of", "joint-ventures-as-of"):
        # an entity several sheets define (their type and label in each graph) is one row
        answer = [tuple(r.values()) for r in rows(shipped, name, as_of=day.isoformat())]
        assert len(answer) == len(set(answer)), name
    for r in rows(shipped, "automaker-stakes-as-of", as_of=day.isoformat()):
        assert r["shown_from"] is None or r["shown_from"] <= day
        assert r["shown_until"] is None or day < r["shown_until"]
        in_force = r["status"] in ("official statement", "historical fact")
        assert (r["standing"] == "in force") == in_force
    for r in rows(shipped, "joint-ventures-as-of", as_of=day.isoformat()):
        assert r["shown_from"] is None or r["shown_from"] <= day
        assert r["shown_until"] is None or day < r["shown_until"]


# --------------------------------------------------------------------------- joint ventures


def venture(store, day, name) -> set[tuple]:
    return {
        (r["partner_label"], r["relation"], r["share"], r["standing"])
        for r in rows(store, "joint-ventures-as-of", as_of=day)
        if r["venture_label"] == name
    }


def test_horse_powertrain_over_time(shipped):
    """No fact before Horse's founding on 31 May 2024 (Aramco's reported plan shows from its
    2024 report); Renault and Geely 45% each with Aramco's 10% planned in mid-2024;
    Aramco Asia Singapore's 10% in force from December 2024."""
    early = venture(shipped, "2024-03-01", "Horse Powertrain")
    assert {row for row in early if row[3] == "in force"} == set()  # facts wait for the founding
    assert early == {("Aramco", "shareholder", 10.0, "planned")}  # a plan shows from its report
    mid = venture(shipped, "2024-06-01", "Horse Powertrain")
    assert {
        ("Renault", "shareholder", 45.0, "in force"),
        ("Geely Holding", "shareholder", 45.0, "in force"),
        ("Aramco", "shareholder", 10.0, "planned"),
    } <= mid
    assert "Aramco Asia Singapore" not in {p for p, *_ in mid}
    late = venture(shipped, "2025-01-01", "Horse Powertrain")
    shares = {(p, s) for p, rel, s, standing in late if rel == "shareholder"}
    assert shares == {("Renault", 45.0), ("Geely Holding", 45.0), ("Aramco Asia Singapore", 10.0)}
    assert {p for p, rel, _, _ in late if rel == "partner"} == {
        "Renault",
        "Geely Holding",
        "Geely Auto",
        "Aramco",
    }


def test_quantumscape_venture_ends_with_the_licence(shipped):
    """The 2018 joint venture holds until the licence that replaces it (July 2024)."""
    assert venture(shipped, "2024-06-01", "QuantumScape–Volkswagen joint venture") == {
        ("PowerCo", "partner", None, "in force"),
        ("QuantumScape", "partner", None, "in force"),
    }
    assert venture(shipped, "2024-08-01", "QuantumScape–Volkswagen joint venture") == set()


def test_planned_ventures(shipped):
    """Leapmotor International (51/49) and the Rivian–Volkswagen venture (50/50) are planned."""
    assert {
        (p, s)
        for p, rel, s, standing in venture(shipped, "2025-01-01", "Leapmotor International")
        if rel == "shareholder" and standing == "planned"
    } == {("Stellantis", 51.0), ("Leapmotor", 49.0)}
    assert {
        (p, s)
        for p, rel, s, standing in venture(shipped, "2025-01-01", "Rivian–Volkswagen joint venture")
        if rel == "shareholder" and standing == "planned"
    } == {("Volkswagen", 50.0), ("Rivian", 50.0)}
    assert venture(shipped, "2023-01-01", "Leapmotor International") == set()


def test_chennai_plant_transfer_is_planned(shipped):
    """Nissan's 51% is in force from the AFP report; Renault's ≥51% and Nissan's exit planned."""
    got = venture(shipped, "2025-06-01", "Renault–Nissan plant in Chennai")
    assert ("Nissan", "shareholder", 51.0, "in force") in got
    assert ("Nissan", "shareholder", 0.0, "planned") in got
    assert ("Renault", "shareholder", None, "planned") in got


@pytest.mark.parametrize("name", ["technology-makers", "solid-state-partners"])
def test_union_branch_binds_answer_as_the_top_level_bind(shipped, name):
    """The project's text binds the technology in each UNION branch too (so Oxigraph starts
    each branch from it); for every technology of the graph that gives the rows the same
    query gives with the value bound at the top only."""
    from automaker_kg.namespaces import PREFIXES

    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    query = Q.get_query(name)
    techs = shipped.query(
        "SELECT DISTINCT ?t WHERE { ?c akg:technology ?t }", prefixes=prefixes,
        use_default_graph_as_union=True,
    )  # fmt: skip
    seen = 0
    for (tech,) in techs:
        top_only = query.text.replace("WHERE {", f"WHERE {{ BIND ({tech} AS ?technology)", 1)
        expected = shipped.query(top_only, prefixes=prefixes, use_default_graph_as_union=True)
        got = Q.run(query, shipped, {"technology": f"<{tech.value}>"})
        assert Q.inline(query.text, {"technology": Q.from_oxigraph(tech)}) != top_only
        texts = [tuple(row.get(c) for c in got.columns) for row in got.texts()]
        assert texts == [tuple(t and t.value for t in row) for row in expected]
        seen += bool(len(got))
    assert seen >= 3
