"""Integrated ownership, cross-holdings and reciprocal stakes on hand-checkable graphs."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from automaker_kg.analytics import (
    OwnershipError,
    circular_ownership,
    cross_holdings,
    effective_stake,
    integrated_matrix,
    integrated_ownership,
    ownership_matrix,
    reciprocal_stakes,
    stake_graph,
)


def stakes(*edges: tuple[str, str, float]) -> nx.DiGraph:
    return nx.DiGraph([(u, v, {"weight": w}) for u, v, w in edges])


def test_chain_multiplies_stakes():
    """A holds 50% of B and B 40% of C, so A holds 20% of C."""
    io = integrated_ownership(stakes(("A", "B", 0.5), ("B", "C", 0.4)))
    assert io == {
        ("A", "B"): pytest.approx(0.5),
        ("B", "C"): pytest.approx(0.4),
        ("A", "C"): pytest.approx(0.2),
    }


def test_parallel_chains_add_up():
    """Two routes from A to D add: 0.5*0.4 + 0.3*0.2 = 0.26 (plus nothing direct)."""
    G = stakes(("A", "B", 0.5), ("B", "D", 0.4), ("A", "C", 0.3), ("C", "D", 0.2))
    assert integrated_ownership(G)[("A", "D")] == pytest.approx(0.26)


def test_two_company_cross_holding_closed_form():
    """a holds 43% of b and b 15% of a: integrated a in b = 0.43 / (1 - 0.43 * 0.15)."""
    G = stakes(("a", "b", 0.43), ("b", "a", 0.15))
    io = integrated_ownership(G)
    assert io[("a", "b")] == pytest.approx(0.43 / (1 - 0.43 * 0.15))
    assert io[("b", "a")] == pytest.approx(0.15 / (1 - 0.43 * 0.15))
    assert ("a", "a") not in io


def test_non_reflexive_drops_returns_through_the_holder():
    """Without walks that pass through the holder again a 2-cycle adds nothing: 43% stays 43%."""
    G = stakes(("a", "b", 0.43), ("b", "a", 0.15))
    io = integrated_ownership(G, method="non_reflexive")
    assert io[("a", "b")] == pytest.approx(0.43)
    assert io[("b", "a")] == pytest.approx(0.15)


def test_three_cycle_closed_form():
    """a->b x, b->c y, c->a z: Ã[a,b] = x/(1-xyz), Ã[a,c] = xy/(1-xyz), Ã[a,a] = xyz/(1-xyz)."""
    x, y, z = 0.6, 0.5, 0.2
    G = stakes(("a", "b", x), ("b", "c", y), ("c", "a", z))
    io = integrated_ownership(G, include_self=True)
    loop = x * y * z
    assert io[("a", "b")] == pytest.approx(x / (1 - loop))
    assert io[("a", "c")] == pytest.approx(x * y / (1 - loop))
    assert io[("a", "a")] == pytest.approx(loop / (1 - loop))
    assert circular_ownership(G)["b"] == pytest.approx(loop / (1 - loop))


def test_effective_stake_matches_the_matrix_for_both_methods():
    """The one-row solve gives the same numbers as the full matrix."""
    G = stakes(("a", "b", 0.43), ("b", "a", 0.15), ("b", "c", 0.3), ("d", "a", 0.1))
    for method in ("integrated", "non_reflexive"):
        io = integrated_ownership(G, method=method)
        for holder, target in itertools.permutations(G.nodes, 2):
            expected = io.get((holder, target), 0.0)
            assert effective_stake(G, holder, target, method=method) == pytest.approx(expected)


def test_effective_stake_of_unknown_node_raises():
    """A name that is not a node is an error, not a zero."""
    with pytest.raises(nx.NodeNotFound, match="node Z not in graph"):
        effective_stake(stakes(("a", "b", 0.5)), "a", "Z")


def test_wholly_owned_chain_is_fine():
    """100% stakes along a chain (no cycle) converge: 1.0 * 1.0."""
    assert integrated_ownership(stakes(("a", "b", 1.0), ("b", "c", 1.0)))[("a", "c")] == 1.0


def test_stakes_over_one_hundred_percent_raise():
    """Stakes in C adding to 120% name C and the total."""
    G = stakes(("A", "C", 0.7), ("B", "C", 0.5))
    with pytest.raises(OwnershipError, match=r"stakes in C add up to 120\.00%"):
        integrated_ownership(G)


def test_stake_out_of_range_raises():
    """A single stake above 100% is refused with its holder and target."""
    with pytest.raises(OwnershipError, match="stake of A in B is 150.00%"):
        ownership_matrix(stakes(("A", "B", 1.5)))


def test_cycle_owned_wholly_from_inside_diverges():
    """a owns all of b and b all of a: the series diverges and the error says so."""
    with pytest.raises(OwnershipError, match="diverges: a, b"):
        integrated_ownership(stakes(("a", "b", 1.0), ("b", "a", 1.0)))


def test_cycle_with_an_outside_holder_converges():
    """The same cycle with 10% of b held from outside converges."""
    G = stakes(("a", "b", 0.9), ("x", "b", 0.1), ("b", "a", 1.0))
    assert integrated_ownership(G)[("a", "b")] == pytest.approx(0.9 / (1 - 0.9))


def test_ownership_error_is_a_value_error_with_exit_code_1():
    """Callers may catch ValueError; the CLI maps it to 'data does not conform'."""
    assert issubclass(OwnershipError, ValueError)
    assert OwnershipError.exit_code == 1


def test_stake_graph_collapses_a_projection():
    """Latest valid_from wins; other relations, statuses and share-less edges are left out."""
    G = nx.MultiDiGraph()
    G.add_node("R", label="Renault")
    G.add_edge("R", "N", relation="shareholding", share=43.0, valid_to="2023-06-01", claim="c43")
    G.add_edge("R", "N", relation="shareholding", share=15.0, valid_from="2023-06-01", claim="c15")
    G.add_edge("R", "N", relation="voting_rights", share=15.0, claim="v")
    G.add_edge("R", "N", relation="member")
    G.add_edge("N", "R", relation="shareholding", share_max=15.0, status="reported", claim="r")
    S = stake_graph(G)
    assert S["R"]["N"]["weight"] == pytest.approx(0.15)
    assert S["R"]["N"]["claim"] == "c15"
    assert S["N"]["R"]["share"] == 15.0
    assert S.nodes["R"]["label"] == "Renault"
    assert stake_graph(G, "voting_rights").number_of_edges() == 1
    assert not stake_graph(G, statuses={"official"}).number_of_edges()


def test_range_values():
    """'min', 'max' and 'mid' pick the bound or the middle of a range."""
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", relation="shareholding", share_min=10.0, share_max=20.0)
    assert stake_graph(G, range_value="min")["a"]["b"]["share"] == 10.0
    assert stake_graph(G, range_value="max")["a"]["b"]["share"] == 20.0
    assert stake_graph(G, range_value="mid")["a"]["b"]["share"] == 15.0


def test_cross_holdings_are_strongly_connected_components():
    """A 3-cycle and a 2-cycle are found; a tail hanging off the cycle is not part of it."""
    G = stakes(
        ("a", "b", 0.4), ("b", "c", 0.3), ("c", "a", 0.1), ("c", "d", 0.5),
        ("x", "y", 0.2), ("y", "x", 0.2), ("t", "t", 0.05),
    )  # fmt: skip
    assert cross_holdings(G) == [["a", "b", "c"], ["x", "y"], ["t"]]


def test_reciprocal_stakes_pairs_both_shares():
    """Each pair once, with both directions' fractions."""
    G = stakes(("R", "N", 0.43), ("N", "R", 0.15), ("R", "A", 0.5))
    assert reciprocal_stakes(G) == [("N", "R", 0.15, 0.43)]


def _truncated_series(A: np.ndarray, terms: int) -> np.ndarray:
    total, power = np.zeros_like(A), np.eye(len(A))
    for _ in range(terms):
        power = power @ A
        total += power
    return total


@st.composite
def ownership_matrices(draw, *, acyclic: bool = False) -> np.ndarray:
    n = draw(st.integers(1, 7))
    A = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if acyclic and i >= j:
                continue
            if draw(st.booleans()):
                A[i, j] = draw(st.floats(0.01, 1.0))
    limit = 1.0 if acyclic else 0.9
    totals = A.sum(axis=0)
    scale = np.where(totals > limit, limit / np.where(totals == 0, 1, totals), 1.0)
    return A * scale


def _graph(A: np.ndarray) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_nodes_from(range(len(A)))
    G.add_edges_from((i, j, {"weight": A[i, j]}) for i, j in zip(*np.nonzero(A), strict=True))
    return G


@settings(max_examples=60, deadline=None)
@given(ownership_matrices())
def test_integrated_equals_truncated_path_sum(A):
    """(I - A)^-1 A equals A + A^2 + ... + A^400 (column sums <= 0.9, tail < 1e-15)."""
    io = integrated_ownership(_graph(A), include_self=True)
    expected = _truncated_series(A, 400)
    got = np.zeros_like(A)
    for (i, j), value in io.items():
        got[i, j] = value
    np.testing.assert_allclose(got, expected, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(ownership_matrices())
def test_non_reflexive_equals_first_passage_sum(A):
    """F[i, j] sums walks i -> j never back at i: B = A without column i, F[i] = B[i] (I - B)^-1."""
    io = integrated_ownership(_graph(A), method="non_reflexive")
    n = len(A)
    for i in range(n):
        blocked = A.copy()
        blocked[:, i] = 0.0
        row = blocked[i] @ np.linalg.inv(np.eye(n) - blocked)
        for j in range(n):
            if j != i:
                assert io.get((i, j), 0.0) == pytest.approx(row[j], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(ownership_matrices(acyclic=True))
def test_integrated_on_a_dag_equals_the_sum_over_simple_paths(A):
    """Without cycles the integrated stake is the sum over paths of the product of stakes."""
    G = _graph(A)
    io = integrated_ownership(G)
    for i, j in itertools.permutations(G.nodes, 2):
        total = sum(
            float(np.prod([A[u, v] for u, v in itertools.pairwise(path)]))
            for path in nx.all_simple_paths(G, i, j)
        )
        assert io.get((i, j), 0.0) == pytest.approx(total, abs=1e-12)


def _random_groups(seed: int, n: int = 120) -> np.ndarray:
    """Stakes with chains, self-holdings and cycles of several sizes (column sums <= 0.9)."""
    rng = np.random.default_rng(seed)
    A = np.zeros((n, n))
    for _ in range(3 * n):
        i, j = rng.integers(0, n, 2)
        A[i, j] = rng.uniform(0.01, 0.5)
    totals = A.sum(axis=0)
    return A * np.where(totals > 0.9, 0.9 / np.where(totals == 0, 1, totals), 1.0)


@pytest.mark.parametrize("seed", range(5))
def test_integrated_matrix_equals_the_dense_inverse(seed):
    """Group by group, level by level gives (I - A)^-1 A, and only where a path exists."""
    A = _random_groups(seed)
    nodes, X = integrated_matrix(_graph(A))
    order = np.array(nodes)
    expected = np.linalg.solve(np.eye(len(A)) - A, A)[np.ix_(order, order)]
    np.testing.assert_allclose(X.toarray(), expected, atol=1e-12)
    reached = A > 0  # pairs linked by a path of one or more stakes
    for _ in range(len(A)):
        reached = reached | ((reached.astype(int) @ (A > 0)) > 0)
    stored = np.zeros_like(reached)
    stored[X.row, X.col] = True
    np.testing.assert_array_equal(stored, reached[np.ix_(order, order)])


@pytest.mark.parametrize("seed", [7, 8, 9])
@pytest.mark.parametrize("method", ["integrated", "non_reflexive"])
def test_integrated_ownership_is_the_matrix_as_a_dict(seed, method):
    """The dict holds the matrix's non-zero entries, keyed by node: summed in plain Python
    for a small graph (no NumPy), from the matrix past SMALL stakes, the same pairs and
    values either way."""
    from automaker_kg.analytics import ownership

    G = _graph(_random_groups(seed))
    assert G.number_of_edges() <= ownership.SMALL
    nodes, X = integrated_matrix(G, method=method)
    io = integrated_ownership(G, method=method, include_self=True)
    entries = zip(X.row, X.col, X.data, strict=True)
    expected = {(nodes[i], nodes[j]): v for i, j, v in entries if v}
    assert io.keys() == expected.keys()
    assert io == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    "edges",
    [
        [("a", "b", 1.0), ("b", "a", 1.0)],
        [("a", "b", 0.7), ("c", "b", 0.5)],
        [("a", "a", 1.0)],
        [("a", "b", 1.2)],
        [("a", "d", 0.5), ("b", "c", 1.0), ("c", "b", 1.0), ("d", "b", 0.0)],
    ],
)
def test_small_and_matrix_sums_refuse_alike(edges, monkeypatch):
    """Stakes over 100% or a cycle owned wholly from inside: the same error either way."""
    from automaker_kg.analytics import ownership

    messages = []
    for small in (ownership.SMALL, 0):
        monkeypatch.setattr(ownership, "SMALL", small)
        with pytest.raises(OwnershipError) as raised:
            integrated_ownership(stakes(*edges))
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


def test_a_long_chain_is_one_level_per_company():
    """A 400-company chain of 50% stakes: the first holds 0.5^k of the k-th, no level re-read."""
    G = stakes(*((f"c{i:03d}", f"c{i + 1:03d}", 0.5) for i in range(400)))
    nodes, X = integrated_matrix(G)
    assert X.nnz == 400 * 401 // 2
    io = integrated_ownership(G)
    assert io[("c000", "c010")] == pytest.approx(0.5**10)
    assert io[("c390", "c400")] == pytest.approx(0.5**10)


def _projection(seed: int) -> nx.MultiDiGraph:
    """A random ownership projection: shared labels, ranges, plans, cycles (<= 90% each)."""
    import random

    pick = random.Random(seed)
    G = nx.MultiDiGraph()
    for i in range(30):
        G.add_node(f"n{i:02d}", label=pick.choice(["Alpha", "Beta", "Gamma", f"Co {i}"]))
    held: dict[str, float] = {}
    for c in range(80):
        u, v = pick.sample(sorted(G), 2)
        share = round(pick.uniform(1, 30), 1)
        if held.get(v, 0.0) + share > 90:
            continue
        standing = pick.choice(["in force", "in force", "planned"])
        if standing == "in force":
            held[v] = held.get(v, 0.0) + share
        data = (
            {"share": share}
            if pick.random() < 0.8
            else {"share_min": share / 2, "share_max": share}
        )
        G.add_edge(u, v, relation="shareholding", standing=standing, claim=f"c{c}",
                   status="official" if standing == "in force" else "plan", source=f"d{c % 7}",
                   **data)  # fmt: skip
    return G


FIGURES = ("integrated", "integrated_min", "integrated_max", "integrated_text")


def _exact(rows: list[dict]) -> list[dict]:
    """The rows but their integrated figures (summed in another order by each path)."""
    return [{k: v for k, v in r.items() if k not in FIGURES} for r in rows]


def _figures(rows: list[dict]) -> list[float]:
    return [r[k] if r[k] is not None else -1.0 for r in rows for k in FIGURES[:3]]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("method", ["integrated", "non_reflexive"])
def test_pages_of_the_table_from_sums_or_matrices(seed, method, monkeypatch):
    """ownership_page: pages put together are the whole table, in holder-then-target order,
    and the matrix path of large graphs (forced here) gives the same rows and count."""
    from automaker_kg.analytics import holdings, ownership, ownership_page, ownership_table

    G = _projection(seed)
    whole = ownership_table(G, method=method)
    key = [(r["holder"], str(r["holder_iri"]), r["target"], str(r["target_iri"])) for r in whole]
    assert key == sorted(key)
    for small in (ownership.SMALL, 0):
        monkeypatch.setattr(holdings, "SMALL", small)
        pages, offset = [], 0
        while True:
            rows, total = ownership_page(G, method=method, offset=offset, limit=7)
            assert total == len(whole)
            if not rows:
                break
            pages += rows
            offset += len(rows)
        assert _exact(pages) == _exact(whole)
        assert _figures(pages) == pytest.approx(_figures(whole), rel=1e-9, abs=1e-9)
    holder = whole[0]["holder_iri"]
    for small in (ownership.SMALL, 0):
        monkeypatch.setattr(holdings, "SMALL", small)
        rows, total = ownership_page(G, method=method, holder=holder, limit=2)
        assert _exact(rows) == _exact([r for r in whole if r["holder_iri"] == holder][:2])
        assert total == sum(r["holder_iri"] == holder for r in whole)


@pytest.mark.parametrize("seed", [3, 4])
@pytest.mark.parametrize("method", ["integrated", "non_reflexive"])
def test_one_holders_row_is_the_matrix_row(seed, method):
    """integrated_row (one sparse solve) gives the holder's row of integrated_matrix: the
    same targets and values, for holders in cycles and holding themselves."""
    from automaker_kg.analytics.ownership import integrated_row

    G = _graph(_random_groups(seed))
    nodes, X = integrated_matrix(G, method=method)
    for holder in nodes[::7]:
        i = nodes.index(holder)
        expected = {j: v for r, j, v in zip(X.row, X.col, X.data, strict=True) if r == i != j}
        same, targets, values = integrated_row(G, holder, method=method)
        assert same == nodes
        assert dict(zip(targets.tolist(), values.tolist(), strict=True)) == pytest.approx(
            expected, rel=1e-9, abs=1e-15
        )
