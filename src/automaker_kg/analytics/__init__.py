"""Analytics: plain functions of networkx projections that return plain data.

Nothing here reads RDF or the store; build a graph with
:func:`automaker_kg.projections.project` (or by hand) and pass it in. Each name is loaded
from its module on first use, so that ``path`` does not load SciPy for ``ownership``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from automaker_kg.analytics.centrality import MEASURES, centrality_ranking, ego_network
    from automaker_kg.analytics.diff import changes, diff
    from automaker_kg.analytics.entities import names_of, resolve_entity
    from automaker_kg.analytics.holdings import ownership_page, ownership_table
    from automaker_kg.analytics.ownership import (
        OwnershipError,
        circular_ownership,
        cross_holdings,
        effective_stake,
        integrated_matrix,
        integrated_ownership,
        ownership_matrix,
        pick_stake,
        reciprocal_stakes,
        stake_graph,
    )
    from automaker_kg.analytics.paths import Hop, describe_edge, explain_path, linking_paths
    from automaker_kg.analytics.sharing import sharing_table

#: Where each public name lives.
_HOMES = {
    "MEASURES": "centrality",
    "centrality_ranking": "centrality",
    "ego_network": "centrality",
    "changes": "diff",
    "diff": "diff",
    "names_of": "entities",
    "resolve_entity": "entities",
    "ownership_table": "holdings",
    "ownership_page": "holdings",
    **dict.fromkeys(
        (
            "OwnershipError",
            "circular_ownership",
            "cross_holdings",
            "effective_stake",
            "integrated_matrix",
            "integrated_ownership",
            "ownership_matrix",
            "pick_stake",
            "reciprocal_stakes",
            "stake_graph",
        ),
        "ownership",
    ),
    **dict.fromkeys(("Hop", "describe_edge", "explain_path", "linking_paths"), "paths"),
    "sharing_table": "sharing",
}

__all__ = [
    "MEASURES",
    "Hop",
    "OwnershipError",
    "centrality_ranking",
    "changes",
    "circular_ownership",
    "cross_holdings",
    "describe_edge",
    "diff",
    "effective_stake",
    "ego_network",
    "explain_path",
    "integrated_matrix",
    "integrated_ownership",
    "linking_paths",
    "names_of",
    "ownership_matrix",
    "ownership_page",
    "ownership_table",
    "pick_stake",
    "reciprocal_stakes",
    "resolve_entity",
    "sharing_table",
    "stake_graph",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{home}")
    value = getattr(module, name)
    globals()[name] = value
    if home in _HOMES:  # importing the module ``diff`` made ``analytics.diff`` the module
        globals()[home] = getattr(module, home)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
