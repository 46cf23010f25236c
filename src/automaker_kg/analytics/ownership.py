"""Direct, integrated and circular ownership; cross-holdings and reciprocal stakes.

Ownership is read from a projection (a ``MultiDiGraph`` whose stake edges carry ``relation``
and ``share`` in percent, as :func:`automaker_kg.projections.project` builds them) or from a
``DiGraph`` whose edges carry ``weight``, the fraction (0-1) of the target the holder owns.
:func:`stake_graph` turns the first into the second.

Integrated ownership
--------------------
Let ``A`` be the direct-ownership matrix, ``A[i, j]`` the fraction of ``j`` that ``i`` holds.
Holding ``A[i, k]`` of ``k`` while ``k`` holds ``A[k, j]`` of ``j`` gives ``i`` an indirect
``A[i, k] * A[k, j]`` of ``j``. Summing over every ownership path of every length gives the
*integrated ownership* of the corporate-control literature (Brioschi, Buzzacchi & Colombo
1989; Baldone, Brioschi & Paleari 1998; Vitali, Glattfelder & Battiston 2011, eq. for
``Ã``)::

    Ã = A + A² + A³ + ... = (I - A)⁻¹ A

This module solves ``(I - A) Ã = A`` with a sparse LU factorisation; it never enumerates
paths, so cross-holdings (cycles) are summed in closed form. The series converges when the
spectral radius of ``A`` is below one. With every column sum at most one (no company is more
than 100% owned) that fails only when some group of companies that hold each other in a cycle
is wholly owned from inside the group; both cases raise :class:`OwnershipError`.

``method="integrated"`` (the default) returns ``Ã`` itself, the quantity the literature calls
integrated ownership and the one with simple closed forms: when ``a`` holds ``x`` of ``b`` and
``b`` holds ``y`` of ``a``, ``Ã[a, b] = x / (1 - x y)``. Along a cycle it counts value that
leaves a holder and comes back to it, which is why ``Ã[i, i] > 0`` (see
:func:`circular_ownership`) and why integrated stakes in one company can add up to more
than 100%.

``method="non_reflexive"`` removes those returns: it sums only the paths from ``i`` to ``j``
that do not pass through ``i`` again. Every path from ``i`` to ``j`` splits uniquely at its
last visit of ``i`` into a closed walk ``i -> i`` and such a first-passage path, so::

    Ã[i, j] = N[i, i] · F[i, j]  with  N = (I - A)⁻¹ = I + Ã,
    hence  F[i, j] = Ã[i, j] / (1 + Ã[i, i])

This is the correction for cycles that Vitali, Glattfelder & Battiston (2011, Supporting
Information §3) motivate (a holder should not be credited with value it passes round a
cross-holding back to itself); ``F`` is computed from the same factorisation. For the
two-company cross-holding ``F[a, b] = x`` exactly: the cycle adds nothing that does not go
through the holder again.

References
----------
.. [1] M. Brioschi, L. Buzzacchi, M. G. Colombo, "Risk capital financing and the separation of
   ownership and control in business groups", J. Banking & Finance 13 (1989).
.. [2] S. Vitali, J. B. Glattfelder, S. Battiston, "The network of global corporate control",
   PLoS ONE 6(10) e25995 (2011), https://doi.org/10.1371/journal.pone.0025995
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Hashable
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from automaker_kg.errors import AutomakerKGError
from automaker_kg.temporal import IN_FORCE, ClaimTime, agree, value_width

if TYPE_CHECKING:  # the matrix algebra: loaded for graphs of more than SMALL stakes
    import numpy as np
    import scipy.sparse as sp

__all__ = [
    "OwnershipError",
    "stake_graph",
    "pick_stake",
    "stake_record",
    "ownership_matrix",
    "integrated_ownership",
    "integrated_matrix",
    "integrated_row",
    "effective_stake",
    "circular_ownership",
    "cross_holdings",
    "reciprocal_stakes",
]

Method = Literal["integrated", "non_reflexive"]
RangeValue = Literal["min", "max", "mid"]

_TOLERANCE = 1e-9


class OwnershipError(AutomakerKGError, ValueError):
    """Ownership data that cannot be summed: stakes over 100% or a diverging cross-holding."""

    exit_code = 1


def _label(G: nx.Graph, node: Hashable) -> str:
    return str(G.nodes[node].get("label", node)) if node in G else str(node)


def _share_of(data: dict[str, Any], range_value: RangeValue) -> float | None:
    share = data.get("share")
    if share is not None:
        return float(share)
    low, high = data.get("share_min"), data.get("share_max")
    if low is None and high is None:
        return None
    if range_value == "min":
        return float(low if low is not None else 0.0)
    if range_value == "max" or low is None or high is None:
        return float(high if high is not None else (low or 0.0))  # one of them is given
    return (float(low) + float(high)) / 2


def _is_stake_graph(G: nx.Graph) -> bool:
    return not G.is_multigraph() and all("weight" in d for _, _, d in G.edges(data=True))


def _stakes(G: nx.Graph, relation: str) -> nx.DiGraph:
    """``G`` itself when it is a stake graph already (read, never changed), else its stakes."""
    return G if G.is_directed() and _is_stake_graph(G) else stake_graph(G, relation)


def stake_graph(
    G: nx.Graph,
    relation: str = "shareholding",
    *,
    statuses: Collection[str] | None = None,
    range_value: RangeValue = "max",
) -> nx.DiGraph:
    """Collapse a projection to one weighted edge per holder -> target.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projection whose stake edges carry ``relation``, ``share`` (percent, 0-100) or
        ``share_min`` / ``share_max``. A ``DiGraph`` whose edges all carry ``weight`` is
        taken to be a stake graph already and is returned as a copy.
    relation : str
        Which stakes: ``"shareholding"`` (economic interest) or ``"voting_rights"``.
    statuses : collection of str, optional
        Keep only claims with these statuses (``official``, ``historical``, ``plan``, ...).
    range_value : {"max", "min", "mid"}
        Which number stands for a stake known only as a range ("up to 15%" -> 15).

    Returns
    -------
    networkx.DiGraph
        Every node of ``G`` (with its attributes); an edge ``holder -> target`` with ``weight``
        (fraction 0-1), ``share`` (percent), ``claim`` and ``status``. Only facts in force
        count: an edge whose ``standing`` is "planned" or "reported" is left out, and so is
        a stake of unknown size (it stays in paths) and a stake of 0%. When several facts
        hold for one pair (a projection without ``as_of`` keeps a stake and the stake that
        replaced it), the latest to start wins; facts that agree within their precision
        (43% and 43.4%) give the more precise: project ``as_of`` a date for that day.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("A", "B", relation="shareholding", share=43.0, valid_to="2023-06-01")
    0
    >>> G.add_edge("A", "B", relation="shareholding", share=15.0, valid_from="2023-06-01")
    1
    >>> G.add_edge("A", "B", relation="voting_rights", share=15.0)
    2
    >>> G.add_edge("A", "B", relation="shareholding", share=10.0, standing="planned")
    3
    >>> S = stake_graph(G)
    >>> S["A"]["B"]["weight"]
    0.15
    """
    if _is_stake_graph(G):
        return nx.DiGraph(G)
    wanted = set(statuses) if statuses is not None else None
    S = nx.DiGraph()
    S.add_nodes_from(G.nodes(data=True))
    candidates: dict[tuple[Hashable, Hashable], list[dict[str, Any]]] = {}
    for u, v, data in G.edges(data=True):
        if data.get("relation") != relation:
            continue
        if wanted is not None and data.get("status") not in wanted:
            continue
        if data.get("standing", IN_FORCE) != IN_FORCE:  # plans and reports never add up
            continue
        candidates.setdefault((u, v), []).append(data)
    for (u, v), found in candidates.items():
        data = pick_stake(found)
        share = _share_of(data, range_value)
        if share is None:  # a stake of unknown size: in paths, not in sums
            continue
        if share == 0.0:  # a fact that the holder holds nothing
            continue
        S.add_edge(
            u,
            v,
            weight=share / 100.0,
            share=share,
            claim=data.get("claim"),
            status=data.get("status"),
        )
    return S


def _start_of(data: dict[str, Any]) -> str:
    spans = data.get("spans") or []
    starts = [str(span[0] or "") for span in spans]
    return max(starts) if starts else str(data.get("valid_from") or "")


def pick_stake(found: list[dict[str, Any]]) -> dict[str, Any]:
    """The stake that answers for one holder and target among the facts in force.

    The latest to start is the current state (a projection without ``as_of`` keeps a stake
    and the one that replaced it); of facts starting together, those agreeing with the most
    recently published are one answer and the most precise of them is shown
    (:func:`automaker_kg.temporal.choose` on a day gives the same answer).
    """
    if len(found) == 1:
        return found[0]
    latest_start = max(_start_of(d) for d in found)
    current = [d for d in found if _start_of(d) == latest_start]
    records = [stake_record(d) for d in current]
    newest = max(
        range(len(current)),
        key=lambda i: (str(current[i].get("known_from") or ""), str(current[i].get("claim"))),
    )
    agreeing = [i for i in range(len(current)) if agree(records[i], records[newest])]
    return current[
        min(agreeing, key=lambda i: (value_width(records[i]), -_known_day(current[i]), i))
    ]


def stake_record(data: dict[str, Any]) -> ClaimTime:
    """A projection edge's claim and share as :mod:`automaker_kg.temporal` compares them."""
    return ClaimTime(
        str(data.get("claim")),
        value=(data.get("share"), data.get("share_min"), data.get("share_max")),
    )


def _known_day(data: dict[str, Any]) -> int:
    known = str(data.get("known_from") or "")
    return int(known.replace("-", "") or 0)


def ownership_matrix(
    G: nx.Graph, relation: str = "shareholding", *, nodelist: list[Hashable] | None = None
) -> tuple[list[Hashable], sp.csc_array]:
    """The direct-ownership matrix ``A`` with ``A[i, j]`` = fraction of ``j`` held by ``i``.

    Parameters
    ----------
    G : a projection or a stake graph (see :func:`stake_graph`).
    relation : which stakes (``"shareholding"`` or ``"voting_rights"``).
    nodelist : row and column order; default the stake graph's nodes sorted by their string.

    Returns
    -------
    (nodes, A) : the node order and a sparse CSC array.

    Raises
    ------
    OwnershipError
        when a stake is negative or above 100%, or the stakes in one company add up to more
        than 100%.

    Examples
    --------
    >>> S = nx.DiGraph([("A", "B", {"weight": 0.5}), ("B", "C", {"weight": 0.4})])
    >>> nodes, A = ownership_matrix(S)
    >>> nodes
    ['A', 'B', 'C']
    >>> A.toarray().tolist()
    [[0.0, 0.5, 0.0], [0.0, 0.0, 0.4], [0.0, 0.0, 0.0]]
    """
    import numpy as np

    S = _stakes(G, relation)
    nodes = list(nodelist) if nodelist is not None else sorted(S.nodes, key=str)
    _check_range(S)
    A = nx.to_scipy_sparse_array(S, nodelist=nodes, weight="weight", format="csc", dtype=float)
    totals = np.asarray(A.sum(axis=0)).ravel()
    for j in np.flatnonzero(totals > 1.0 + _TOLERANCE):
        raise OwnershipError(
            f"stakes in {_label(S, nodes[j])} add up to {totals[j]:.2%}, more than 100%"
        )
    _check_convergence(S, nodes, A, _components(A))
    return nodes, A


def _check_range(S: nx.DiGraph) -> None:
    for u, v, w in S.edges(data="weight"):
        if not 0.0 <= w <= 1.0 + _TOLERANCE:
            raise OwnershipError(
                f"stake of {_label(S, u)} in {_label(S, v)} is {w:.2%}; a stake is 0% to 100%"
            )


#: Up to this many stakes, integrated ownership is summed in plain Python (no NumPy, SciPy).
SMALL = 1000


def _small_integrated(S: nx.DiGraph) -> dict[Hashable, dict[Hashable, float]]:
    """``Ã = (I - A)⁻¹ A`` of a small stake graph, row by row, in plain Python.

    The same algebra as :func:`_integrated` (the checks of :func:`ownership_matrix` too):
    the groups that hold each other (strongly connected components) are taken from the
    ones that hold no other group up, and for a group ``C``
    ``(I - A[C, C]) Ã[C] = A[C] + A[C, below] Ã[below]``, solved by Gaussian elimination
    (a lone company: divided by ``1 - a``, ``a`` its stake in itself). Only reached pairs
    are stored: ``{holder: {target: fraction}}``, the diagonal included.
    """
    _check_range(S)
    totals: dict[Hashable, float] = {}
    for _, v, w in S.edges(data="weight"):
        totals[v] = totals.get(v, 0.0) + w
    for v in sorted(totals, key=str):
        if totals[v] > 1.0 + _TOLERANCE:
            raise OwnershipError(
                f"stakes in {_label(S, v)} add up to {totals[v]:.2%}, more than 100%"
            )
    C = nx.condensation(S)
    rows: dict[Hashable, dict[Hashable, float]] = {}
    for group in reversed(list(nx.topological_sort(C))):  # held groups first
        members = sorted(C.nodes[group]["members"], key=str)
        inside = set(members)
        if len(members) > 1 or S.has_edge(members[0], members[0]):
            within = [sum(S[u][i]["weight"] for u in S.pred[i] if u in inside) for i in members]
            if all(w >= 1.0 - _TOLERANCE for w in within):
                names = ", ".join(sorted(_label(S, i) for i in members))
                raise OwnershipError(
                    f"integrated ownership diverges: {names} are wholly owned by each other"
                )
        right: dict[Hashable, dict[Hashable, float]] = {}
        for i in members:  # A[C] + A[C, below] Ã[below]
            row: dict[Hashable, float] = {}
            for k, data in S.succ[i].items():
                a = data["weight"]
                row[k] = row.get(k, 0.0) + a
                if k not in inside:
                    for j, x in rows[k].items():
                        row[j] = row.get(j, 0.0) + a * x
            right[i] = row
        rows.update(_solve(S, members, right))
    return rows


def _solve(
    S: nx.DiGraph, members: list[Hashable], right: dict[Hashable, dict[Hashable, float]]
) -> dict[Hashable, dict[Hashable, float]]:
    """``X`` with ``(I - A[C, C]) X = right`` for the group ``members`` (Gauss-Jordan with
    partial pivoting on a matrix of the group's size)."""
    if len(members) == 1:
        (i,) = members
        scale = 1.0 / (1.0 - (S[i][i]["weight"] if S.has_edge(i, i) else 0.0))
        return {i: {j: x * scale for j, x in right[i].items()}}
    n = len(members)
    columns = list(dict.fromkeys(j for i in members for j in right[i]))
    M = [
        [(1.0 if r == c else 0.0) - (S[u][v]["weight"] if S.has_edge(u, v) else 0.0)
         for c, v in enumerate(members)]
        + [right[u].get(j, 0.0) for j in columns]
        for r, u in enumerate(members)
    ]  # fmt: skip
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[pivot] = M[pivot], M[c]
        head = M[c][c]
        M[c] = [x / head for x in M[c]]
        for r in range(n):
            if r != c and M[r][c] != 0.0:
                factor = M[r][c]
                M[r] = [x - factor * y for x, y in zip(M[r], M[c], strict=True)]
    return {
        u: {j: x for j, x in zip(columns, M[r][n:], strict=True) if x != 0.0}
        for r, u in enumerate(members)
    }


def _components(A: sp.sparray) -> np.ndarray:
    """The strongly connected component of each row of ``A`` (an integer label per node)."""
    import scipy.sparse.csgraph as csgraph

    _, labels = csgraph.connected_components(A, directed=True, connection="strong")
    return labels


def _check_convergence(
    S: nx.DiGraph, nodes: list[Hashable], A: sp.csc_array, labels: np.ndarray
) -> None:
    """Raise when a cycle of holdings is wholly owned from inside (spectral radius 1).

    For an irreducible non-negative block with column sums at most one, the spectral radius
    is one exactly when every column sums to one; blocks are the strongly connected
    components (``labels``) that contain a cycle.
    """
    import numpy as np

    coo = A.tocoo()
    inside = labels[coo.row] == labels[coo.col]
    within = np.bincount(coo.col[inside], weights=coo.data[inside], minlength=len(nodes))
    cyclic = np.zeros(len(nodes), dtype=bool)
    cyclic[coo.col[inside]] = True  # a member of a cycle has a stake from inside its group
    short = np.bincount(labels, weights=(cyclic & (within < 1.0 - _TOLERANCE)), minlength=1)
    for label in np.unique(labels[cyclic]):
        if short[label] == 0:
            members = np.flatnonzero(labels == label)
            names = ", ".join(sorted(_label(S, nodes[i]) for i in members))
            raise OwnershipError(
                f"integrated ownership diverges: {names} are wholly owned by each other"
            )


def _levels(A: sp.sparray, labels: np.ndarray) -> np.ndarray:
    """Each node's level: 0 for groups that hold no other group, else 1 + the deepest held.

    Groups are the strongly connected components (``labels``); the graph of groups has no
    cycle, so its longest paths to a sink are found by relaxing every edge until none moves.
    """
    import numpy as np

    coo = A.tocoo()
    holder, held = labels[coo.row], labels[coo.col]
    across = holder != held
    holder, held = holder[across], held[across]
    level = np.zeros(labels.max(initial=-1) + 1, dtype=np.int64)
    while True:
        deeper = level.copy()
        np.maximum.at(deeper, holder, level[held] + 1)
        if np.array_equal(deeper, level):
            return level[labels]
        level = deeper


def _level_rows(
    A: sp.csr_array,
    rows: np.ndarray,
    labels: np.ndarray,
    below: list[tuple[np.ndarray, sp.csr_array]],
    level_of: np.ndarray,
) -> tuple[np.ndarray, sp.csr_array]:
    """The rows ``Ã[rows]`` of one level, given ``below``: (rows, ``Ã[rows]``) of each lower one.

    ``level_of`` gives the index in ``below`` of each node already found (-1 for the
    others), so only the levels these rows hold are read. ``Ã = A (I - A)⁻¹``, so for a
    group ``C`` of companies that hold each other ``Ã[C] = (I - A[C, C])⁻¹ A[C] (I + Ã)``
    with ``Ã`` of the lower levels: a lone company's row is divided by ``1 - a`` (``a`` its
    stake in itself), a group's rows are one small dense inverse times its own (sparse)
    stakes. Returns the rows in the order of the returned matrix.
    """
    import numpy as np
    import scipy.sparse as sp

    held = A[rows]
    B = held
    for step in np.unique(level_of[held.indices]):
        if step >= 0:
            lower, found = below[step]
            B = B + held[:, lower] @ found
    B = sp.csr_array(B)
    group = labels[rows]
    _, first, counts = np.unique(group, return_index=True, return_counts=True)
    alone = np.zeros(len(rows), dtype=bool)
    alone[first[counts == 1]] = True
    lone_rows = np.flatnonzero(alone)
    lone = B[lone_rows]
    stakes_in_self = held[lone_rows][:, rows[lone_rows]].diagonal()
    lone.data *= np.repeat(1.0 / (1.0 - stakes_in_self), np.diff(lone.indptr))
    order, blocks = [rows[lone_rows]], [lone]
    for label in np.unique(group[~alone]):
        local = np.flatnonzero(group == label)
        part = B[local]
        inside = part[:, rows[local]].toarray()  # A[C, C]: no lower level reaches C
        targets = np.unique(part.indices)
        values = np.linalg.inv(np.eye(len(local)) - inside) @ part[:, targets]
        indptr = np.arange(len(local) + 1) * len(targets)
        order.append(rows[local])
        blocks.append(
            sp.csr_array(
                (values.ravel(), np.tile(targets, len(local)), indptr),
                shape=(len(local), B.shape[1]),
            )
        )
    if len(blocks) == 1:
        return order[0], blocks[0]
    return np.concatenate(order), sp.csr_array(sp.vstack(blocks, format="csr"))


def _integrated(A: sp.sparray) -> sp.coo_array:
    """``Ã = (I - A)⁻¹ A`` without a dense inverse or a solve per column.

    Groups that hold each other in a cycle (strongly connected components) are inverted on
    their own; the rows of ``Ã`` are then found level by level, from the groups that hold
    no other group up (:func:`_levels`, :func:`_level_rows`), so every product stays as
    sparse as the answer: only the pairs a holder reaches are ever stored.
    """
    import numpy as np
    import scipy.sparse as sp

    n = A.shape[0]
    A = sp.csr_array(A)
    labels = _components(A)
    level = _levels(A, labels)
    by_level = np.argsort(level, kind="stable")
    bounds = np.searchsorted(level[by_level], np.arange(level.max(initial=-1) + 2))
    below: list[tuple[np.ndarray, sp.csr_array]] = []
    level_of = np.full(n, -1)
    for step, (start, end) in enumerate(itertools.pairwise(bounds)):
        rows = by_level[start:end]  # ascending: the sort is stable
        below.append(_level_rows(A, rows, labels, below, level_of))
        level_of[rows] = step
    if not below:
        return sp.coo_array((n, n))
    rows = np.concatenate([np.repeat(order, np.diff(X.indptr)) for order, X in below])
    X = sp.vstack([X for _, X in below], format="csr")
    return sp.coo_array((X.data, (rows, X.indices)), shape=(n, n))


def integrated_matrix(
    G: nx.Graph, relation: str = "shareholding", *, method: Method = "integrated"
) -> tuple[list[Hashable], sp.coo_array]:
    """Integrated ownership of every company in every other, as a sparse matrix.

    The same numbers as :func:`integrated_ownership` (diagonal included) without a Python
    object per pair: at a million triples a holder reaches ten million (holder, target)
    pairs, and the dict of them costs more than the algebra.

    Returns
    -------
    (nodes, X) : the node order of :func:`ownership_matrix` and a sparse COO array,
        ``X[i, j]`` the integrated (or non-reflexive) fraction of ``nodes[j]`` that
        ``nodes[i]`` holds; only reached pairs are stored.

    Raises
    ------
    OwnershipError
        as :func:`integrated_ownership`.
    ValueError
        for an unknown ``method``.

    Examples
    --------
    >>> S = nx.DiGraph([("A", "B", {"weight": 0.5}), ("B", "C", {"weight": 0.4})])
    >>> nodes, X = integrated_matrix(S)
    >>> X.toarray().round(4).tolist()
    [[0.0, 0.5, 0.2], [0.0, 0.0, 0.4], [0.0, 0.0, 0.0]]
    """
    import numpy as np
    import scipy.sparse as sp

    if method not in ("integrated", "non_reflexive"):
        raise ValueError(f"unknown method {method!r}; valid: integrated, non_reflexive")
    nodes, A = ownership_matrix(G, relation)
    X = _integrated(A)
    if method == "non_reflexive":
        on_diagonal = X.row == X.col
        diagonal = np.zeros(len(nodes))
        diagonal[X.row[on_diagonal]] = X.data[on_diagonal]
        X = sp.coo_array((X.data / (1.0 + diagonal[X.row]), (X.row, X.col)), shape=X.shape)
    return nodes, X


def integrated_row(
    G: nx.Graph, holder: Hashable, relation: str = "shareholding", *, method: Method = "integrated"
) -> tuple[list[Hashable], np.ndarray, np.ndarray]:
    """One holder's row of :func:`integrated_matrix`, from one sparse solve.

    ``Ã[h] = x A`` where ``x``, the row ``h`` of ``(I - A)⁻¹``, solves ``(I - A)ᵀ xᵀ = e_h``
    (as :func:`effective_stake`, for every target at once). The same checks as
    :func:`ownership_matrix`.

    Returns
    -------
    (nodes, targets, values) : the node order of :func:`ownership_matrix`, the indices of
        the other companies ``holder`` reaches through its stakes, ascending, and its
        integrated (or non-reflexive) fraction of each.

    Examples
    --------
    >>> S = nx.DiGraph([("A", "B", {"weight": 0.5}), ("B", "C", {"weight": 0.4})])
    >>> nodes, targets, values = integrated_row(S, "A")
    >>> [nodes[j] for j in targets], values.round(4).tolist()
    (['B', 'C'], [0.5, 0.2])
    """
    import numpy as np
    import scipy.sparse as sp
    import scipy.sparse.csgraph as csgraph
    import scipy.sparse.linalg as spla

    if method not in ("integrated", "non_reflexive"):
        raise ValueError(f"unknown method {method!r}; valid: integrated, non_reflexive")
    nodes, A = ownership_matrix(G, relation)
    index = {node: i for i, node in enumerate(nodes)}
    if holder not in index:
        return nodes, np.array([], dtype=np.int64), np.array([])
    i = index[holder]
    n = len(nodes)
    e = np.zeros(n)
    e[i] = 1.0
    x = np.atleast_1d(spla.spsolve((sp.identity(n, format="csc") - A).T.tocsc(), e))
    row = A.T @ x  # Ã[i] = x A; Ã[i, i] is 0 unless the holder is on a cycle
    reached = csgraph.breadth_first_order(
        sp.csr_array(A), i, directed=True, return_predecessors=False
    )
    targets = np.sort(reached[reached != i]).astype(np.int64)
    values = row[targets]
    if method == "non_reflexive":
        values = values / (1.0 + row[i])
    keep = values != 0.0
    return nodes, targets[keep], values[keep]


def _node_array(nodes: list[Hashable]) -> np.ndarray:
    """``nodes`` as a 1-d object array (a tuple node stays one element)."""
    import numpy as np

    array = np.empty(len(nodes), dtype=object)
    for i, node in enumerate(nodes):
        array[i] = node
    return array


def integrated_ownership(
    G: nx.Graph,
    relation: str = "shareholding",
    *,
    method: Method = "integrated",
    include_self: bool = False,
) -> dict[tuple[Hashable, Hashable], float]:
    """Ownership through chains and cross-holdings, for every holder -> target it reaches.

    Parameters
    ----------
    G : a projection or a stake graph (see :func:`stake_graph`).
    relation : which stakes (``"shareholding"`` or ``"voting_rights"``).
    method : {"integrated", "non_reflexive"}
        ``"integrated"``: ``(I - A)⁻¹ A``, the sum over every path. ``"non_reflexive"``: the
        paths that do not pass through the holder again (see the module docstring).
    include_self : bool
        Also return ``(i, i)``, the part of ``i`` that comes back to ``i`` round its cycles.

    Returns
    -------
    dict
        ``{(holder, target): fraction}`` for every non-zero entry (the same numbers as
        :func:`integrated_matrix`, which skips building a dict).

    Raises
    ------
    OwnershipError
        when stakes in one company add up to more than 100% or the series diverges.
    ValueError
        for an unknown ``method``.

    Examples
    --------
    A chain: A holds 50% of B, B holds 40% of C, so A holds 20% of C.

    >>> S = nx.DiGraph([("A", "B", {"weight": 0.5}), ("B", "C", {"weight": 0.4})])
    >>> {k: round(v, 4) for k, v in sorted(integrated_ownership(S).items())}
    {('A', 'B'): 0.5, ('A', 'C'): 0.2, ('B', 'C'): 0.4}

    A cross-holding: a holds 43% of b, b holds 15% of a.

    >>> X = nx.DiGraph([("a", "b", {"weight": 0.43}), ("b", "a", {"weight": 0.15})])
    >>> round(integrated_ownership(X)[("a", "b")], 6) == round(0.43 / (1 - 0.43 * 0.15), 6)
    True
    >>> round(integrated_ownership(X, method="non_reflexive")[("a", "b")], 6)
    0.43
    """
    S = _stakes(G, relation)
    if S.number_of_edges() <= SMALL:
        if method not in ("integrated", "non_reflexive"):
            raise ValueError(f"unknown method {method!r}; valid: integrated, non_reflexive")
        rows = _small_integrated(S)
        found = {}
        for i in sorted(rows, key=str):
            scale = 1.0 / (1.0 + rows[i].get(i, 0.0)) if method == "non_reflexive" else 1.0
            for j in sorted(rows[i], key=str):
                if rows[i][j] != 0.0 and (include_self or i != j):
                    found[(i, j)] = rows[i][j] * scale
        return found
    nodes, X = integrated_matrix(S, relation, method=method)
    keep = X.data != 0.0
    if not include_self:
        keep &= X.row != X.col
    names = _node_array(nodes)
    holders, targets = names[X.row[keep]].tolist(), names[X.col[keep]].tolist()
    return dict(zip(zip(holders, targets, strict=True), X.data[keep].tolist(), strict=True))


def effective_stake(
    G: nx.Graph,
    holder: Hashable,
    target: Hashable,
    relation: str = "shareholding",
    *,
    method: Method = "integrated",
) -> float:
    """The integrated stake of ``holder`` in ``target`` (a fraction, 0 when none).

    Solves one linear system, ``(I - A)ᵀ y = e_holder``, instead of the whole matrix.

    Raises
    ------
    networkx.NodeNotFound
        when ``holder`` or ``target`` is not a node of ``G``.
    OwnershipError
        as :func:`integrated_ownership`.

    Examples
    --------
    >>> S = nx.DiGraph([("A", "B", {"weight": 0.5}), ("B", "C", {"weight": 0.4})])
    >>> round(effective_stake(S, "A", "C"), 6)
    0.2
    >>> effective_stake(S, "C", "A")
    0.0
    """
    import numpy as np
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    for node in (holder, target):
        if node not in G:
            raise nx.NodeNotFound(f"node {node} not in graph")
    if method not in ("integrated", "non_reflexive"):
        raise ValueError(f"unknown method {method!r}; valid: integrated, non_reflexive")
    nodes, A = ownership_matrix(G, relation)
    index = {n: i for i, n in enumerate(nodes)}
    if holder not in index or target not in index:
        return 0.0
    n = len(nodes)
    M = (sp.identity(n, format="csc") - A).tocsc()
    e = np.zeros(n)
    e[index[holder]] = 1.0
    y = np.atleast_1d(spla.spsolve(M.T.tocsc(), e))  # y = row `holder` of (I - A)^-1
    value = float(A[:, [index[target]]].T.dot(y)[0])
    if method == "non_reflexive":
        value /= float(y[index[holder]])  # N[i, i] = 1 + Ã[i, i]
    return value


def circular_ownership(G: nx.Graph, relation: str = "shareholding") -> dict[Hashable, float]:
    """The part of each company that comes back to it round its cross-holdings: ``Ã[i, i]``.

    Examples
    --------
    >>> X = nx.DiGraph([("a", "b", {"weight": 0.5}), ("b", "a", {"weight": 0.2})])
    >>> {k: round(v, 6) for k, v in circular_ownership(X).items()}
    {'a': 0.111111, 'b': 0.111111}
    """
    full = integrated_ownership(G, relation, include_self=True)
    return {i: value for (i, j), value in sorted(full.items(), key=str) if i == j}


def cross_holdings(G: nx.Graph, relation: str = "shareholding") -> list[list[Hashable]]:
    """Groups of companies that hold each other through a cycle of stakes.

    The strongly connected components of the stake graph with more than one member (or a
    company holding its own shares), each sorted, largest group first.

    Examples
    --------
    >>> S = nx.DiGraph([("a", "b", {"weight": 0.4}), ("b", "c", {"weight": 0.3}),
    ...                 ("c", "a", {"weight": 0.1}), ("c", "d", {"weight": 0.5})])
    >>> cross_holdings(S)
    [['a', 'b', 'c']]
    """
    S = _stakes(G, relation)
    groups = [
        sorted(c, key=str)
        for c in nx.strongly_connected_components(S)
        if len(c) > 1 or S.has_edge(next(iter(c)), next(iter(c)))
    ]
    return sorted(groups, key=lambda c: (-len(c), [str(n) for n in c]))


def reciprocal_stakes(
    G: nx.Graph, relation: str = "shareholding"
) -> list[tuple[Hashable, Hashable, float, float]]:
    """Pairs that hold stakes in each other: ``(a, b, a's stake in b, b's stake in a)``.

    Stakes are fractions (0-1); each pair appears once, ``a`` before ``b`` by string order.

    Examples
    --------
    >>> S = nx.DiGraph([("R", "N", {"weight": 0.43}), ("N", "R", {"weight": 0.15})])
    >>> reciprocal_stakes(S)
    [('N', 'R', 0.15, 0.43)]
    """
    S = _stakes(G, relation)
    pairs = []
    for u, v, w in S.edges(data="weight"):
        if u != v and str(u) < str(v) and S.has_edge(v, u):
            pairs.append((u, v, float(w), float(S[v][u]["weight"])))
    return sorted(pairs, key=lambda p: (str(p[0]), str(p[1])))
