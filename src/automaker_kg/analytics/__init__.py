"""Analytics: plain functions of networkx projections that return plain data.

Nothing here reads RDF or the store; build a graph with
:func:`automaker_kg.projections.project` (or by hand) and pass it in.
"""

from automaker_kg.analytics.centrality import MEASURES, centrality_ranking, ego_network
from automaker_kg.analytics.diff import changes, diff
from automaker_kg.analytics.entities import names_of, resolve_entity
from automaker_kg.analytics.holdings import ownership_table
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
    "ownership_table",
    "pick_stake",
    "reciprocal_stakes",
    "resolve_entity",
    "sharing_table",
    "stake_graph",
]
