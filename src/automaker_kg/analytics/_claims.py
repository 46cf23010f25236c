"""Claims as wholes: a technology arrangement is two edges of a projection, one claim."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

__all__ = ["Claim", "claims_of", "label_of", "doc_name", "STATUS_ORDER"]

# Most to least firmly stated; used to choose among parallel edges.
STATUS_ORDER = ("official", "historical", "reported", "plan", "allegation", "floated")


def label_of(G: nx.Graph, node: Hashable | None) -> str:
    """The node's ``label`` attribute, else the node itself as text."""
    if node is None:
        return ""
    if node in G:
        return str(G.nodes[node].get("label") or node)
    return str(node)


def doc_name(iri: str | None) -> str:
    """The last path segment of a document IRI (``.../document/x`` -> ``x``)."""
    if not iri:
        return ""
    return iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class Claim:
    """One claim seen through its edges: who, about which technology, towards whom."""

    key: str
    relation: str
    subject: Hashable
    object: Hashable | None
    technology: Hashable | None
    data: dict[str, Any]
    edges: list[tuple[Hashable, Hashable]] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        share = self.data.get("share")
        return None if share is None else float(share)


def _is_technology(G: nx.Graph, node: Hashable) -> bool:
    return G.nodes[node].get("kind") == "technology"


def claims_of(G: nx.MultiDiGraph) -> dict[str, Claim]:
    """Group a projection's edges by claim.

    A provider -> technology edge and a technology -> recipient edge of the same claim become
    one :class:`Claim` with ``subject`` the provider, ``technology`` and ``object`` the
    recipient (``None`` when there is none). A claim about several technologies (a licence
    of a cell, its separator and its anode) is one :class:`Claim` per technology, keyed
    ``<claim>|<technology>``. A joint project with ``participant -> technology`` edges is
    one :class:`Claim` per pair of participants and technology (``subject`` and ``object``
    the pair in label order), keyed ``<claim>|<technology>|<subject>|<object>`` (``<claim>``
    when there is one of each); its other edges (pairs, markets) are not read then. Other
    claims keep their first edge's ends. Edges without a ``claim`` attribute are keyed by
    their ends and relation.

    >>> G = nx.MultiDiGraph()
    >>> for t in ("cell", "separator"):
    ...     G.add_node(t, kind="technology")
    ...     _ = G.add_edge("qs", t, relation="licenses", claim="lic")
    ...     _ = G.add_edge(t, "vw", relation="licenses", claim="lic")
    >>> sorted((c.subject, c.technology, c.object) for c in claims_of(G).values())
    [('qs', 'cell', 'vw'), ('qs', 'separator', 'vw')]
    >>> G.add_node("pc", label="PowerCo")
    >>> G.add_node("q", label="QuantumScape")
    >>> for p in ("pc", "q"):
    ...     _ = G.add_edge(p, "cell", relation="joint_project", claim="jp")
    >>> c = claims_of(G)["jp"]
    >>> c.relation, c.subject, c.technology, c.object
    ('joint_project', 'pc', 'cell', 'q')
    """
    grouped: dict[str, list[tuple[Hashable, Hashable, dict[str, Any]]]] = {}
    for u, v, data in G.edges(data=True):
        key = data.get("claim") or f"{u}|{data.get('relation')}|{v}"
        grouped.setdefault(str(key), []).append((u, v, data))
    claims: dict[str, Claim] = {}
    for key, edges in grouped.items():
        if _joint_project_on_technology(G, edges):
            claims.update(_joint_project(G, key, edges))
            continue
        technologies = {
            end
            for e in edges
            for end in e[:2]
            if _is_technology(G, end) and not (_is_technology(G, e[0]) and _is_technology(G, e[1]))
        }
        if len(technologies) > 1:
            for t in sorted(technologies, key=str):
                part = f"{key}|{t}"
                claims[part] = _claim(G, part, [e for e in edges if t in e[:2]])
        else:
            claims[key] = _claim(G, key, edges)
    return claims


def _claim(G: nx.MultiDiGraph, key: str, edges: list[tuple[Hashable, Hashable, Any]]) -> Claim:
    """One claim (or one technology's part of a claim) from its edges."""
    edges.sort(key=lambda e: (str(e[0]), str(e[1])))
    u, v, data = edges[0]
    relation = str(data.get("relation", ""))
    to_tech = [e for e in edges if _is_technology(G, e[1]) and not _is_technology(G, e[0])]
    from_tech = [e for e in edges if _is_technology(G, e[0]) and not _is_technology(G, e[1])]
    if to_tech and len(edges) <= 2:
        subject, technology = to_tech[0][0], to_tech[0][1]
        obj = from_tech[0][1] if from_tech else None
        data = to_tech[0][2]
    elif from_tech and len(edges) == 1:
        subject, technology, obj = None, u, v
    else:
        subject, technology, obj = u, None, v
    return Claim(
        key=key,
        relation=relation,
        subject=subject,
        object=obj,
        technology=technology,
        data=dict(data),
        edges=[(a, b) for a, b, _ in edges],
    )


def _joint_project_on_technology(G: nx.MultiDiGraph, edges: list[tuple[Any, Any, Any]]) -> bool:
    """Whether the edges are a joint project's, some of them to a technology."""
    return any(
        d.get("relation") == "joint_project" and _is_technology(G, v) and not _is_technology(G, u)
        for u, v, d in edges
    )


def _joint_project(
    G: nx.MultiDiGraph, key: str, edges: list[tuple[Hashable, Hashable, dict[str, Any]]]
) -> dict[str, Claim]:
    """A joint project's claims: one per pair of participants and technology."""
    by_technology: dict[Hashable, dict[Hashable, dict[str, Any]]] = {}
    for u, v, data in edges:
        if _is_technology(G, v) and not _is_technology(G, u):
            by_technology.setdefault(v, {})[u] = data
    parts = []
    for technology in sorted(by_technology, key=str):
        participants = by_technology[technology]
        order = sorted(participants, key=lambda n: (label_of(G, n), str(n)))
        for n, a in enumerate(order):
            for b in order[n + 1 :]:
                parts.append((technology, a, b, participants[a]))
    single = len(parts) == 1
    return {
        key if single else f"{key}|{t}|{a}|{b}": Claim(
            key=key if single else f"{key}|{t}|{a}|{b}",
            relation="joint_project",
            subject=a,
            object=b,
            technology=t,
            data=dict(data),
            edges=[(a, t), (b, t)],
        )
        for t, a, b, data in parts
    }
