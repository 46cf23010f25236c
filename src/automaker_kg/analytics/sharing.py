"""Who develops, shares, supplies, licenses, contributes, withholds or protects which
technology, with whom, and who works on which technology in a joint project."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from typing import Any

import networkx as nx

from automaker_kg.analytics._claims import claims_of, label_of

__all__ = ["sharing_table", "TECHNOLOGY_RELATIONS", "CONTRIBUTION_RELATIONS"]

TECHNOLOGY_RELATIONS = (
    "develops",
    "contributes",
    "shares",
    "supplies",
    "licenses",
    "acquires",
    "withholds",
    "protects",
)
CONTRIBUTION_RELATIONS = ("capital", "technological_support", "operational_engagement")
_RELATION_NAMES = {"joint_project": "joint project"}


def sharing_table(
    G: nx.MultiDiGraph,
    entity: Hashable | None = None,
    *,
    narrower: Collection[Hashable] = (),
) -> list[dict[str, Any]]:
    """One row per technology arrangement or contribution of a projection, and per pair of
    participants and technology of a joint project on technologies (relation ``joint
    project``, company and counterpart the pair in label order).

    Parameters
    ----------
    G : a projection (``technology`` or ``all``).
    entity : keep only rows where this node is the company, the technology or the counterpart.
    narrower : technologies below ``entity`` in the taxonomy (``skos:broader``): their rows
        count as the entity's (``solid-state battery`` includes ``all-solid-state battery``).

    Returns
    -------
    list of dict
        Keys ``company``, ``technology``, ``relation``, ``counterpart``, ``status``,
        ``source`` (document IRI), ``claim`` (IRI) and ``label`` (the claim in the project's
        words). Company, technology and counterpart are node labels; ``technology`` is
        ``None`` for contributions, ``counterpart`` ``None`` when a claim names none. Sorted
        by company, technology, relation, counterpart.

    Raises
    ------
    networkx.NodeNotFound
        when ``entity`` is given and not in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("n", label="Nissan", kind="automaker")
    >>> G.add_node("e", label="e-Power", kind="technology")
    >>> G.add_node("r", label="Renault", kind="automaker")
    >>> _ = G.add_edge("n", "e", relation="protects", claim="c", status="reported")
    >>> _ = G.add_edge("e", "r", relation="protects", claim="c", status="reported")
    >>> [(r["company"], r["relation"], r["technology"], r["counterpart"])
    ...  for r in sharing_table(G)]
    [('Nissan', 'protects', 'e-Power', 'Renault')]
    >>> G.add_node("p", label="powertrain", kind="technology")
    >>> [r["technology"] for r in sharing_table(G, "p", narrower={"e"})]
    ['e-Power']
    """
    if entity is not None and entity not in G:
        raise nx.NodeNotFound(f"node {entity} not in graph")
    wanted = set(TECHNOLOGY_RELATIONS) | set(CONTRIBUTION_RELATIONS) | {"joint_project"}
    rows = []
    for claim in claims_of(G).values():
        if claim.relation not in wanted:
            continue
        if claim.relation == "joint_project" and claim.technology is None:
            continue  # a joint project on no technology (a market, a model) is no sharing
        if (
            entity is not None
            and entity not in (claim.subject, claim.technology, claim.object)
            and claim.technology not in narrower
        ):
            continue
        rows.append(
            {
                "company": label_of(G, claim.subject) or None,
                "technology": label_of(G, claim.technology) or None,
                "relation": _RELATION_NAMES.get(claim.relation, claim.relation),
                "counterpart": label_of(G, claim.object) or None,
                "status": claim.data.get("status"),
                "source": claim.data.get("source"),
                "claim": claim.data.get("claim"),
                "label": claim.data.get("label"),
            }
        )
    return sorted(
        rows,
        key=lambda r: tuple(
            str(r[k] or "") for k in ("company", "technology", "relation", "counterpart", "claim")
        ),
    )
