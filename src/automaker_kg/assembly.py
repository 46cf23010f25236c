"""Plain edge records to a networkx projection: the last step of every projection.

:func:`automaker_kg.projections.gather` reads a source's claims into a :class:`Gathered`
(edges before the time rules, their ends, the claims as the time rules read them);
:func:`assemble` places them in time for a valid date and a knowledge date and builds the
graph. :mod:`automaker_kg.cache` keeps the records with each store generation, so a command
assembles its projection without reading RDF: this module loads networkx and the time rules
only (no rdflib, no store).

>>> edge = EdgeRecord("a", "b", "c1", "Stake", ("company", "company"),
...                   {"relation": "shareholding", "claim": "c1"})
>>> g = Gathered({"a": ("A", "automaker", []), "b": ("B", None, ["Bee"])}, [edge],
...              [temporal.ClaimTime("c1", status="historical", valid_from=date(2020, 1, 1))], {})
>>> G = assemble(g, ["Stake"], as_of="2021-01-01")
>>> [(u, v, d["standing"], d["spans"]) for u, v, d in G.edges(data=True)]
[('a', 'b', 'in force', [['2020-01-01', None, 'in force']])]
>>> G.nodes["b"]["kind"], assemble(g, ["Stake"], as_of="2019-12-31").number_of_edges()
('company', 0)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import networkx as nx

import automaker_kg.temporal as temporal

__all__ = ["EdgeRecord", "EdgeTime", "Gathered", "assemble"]


class EdgeRecord(NamedTuple):
    """One edge of a projection before the time rules place it."""

    u: str
    v: str
    claim: str
    group: str
    """The IRI of the claim class the edge was read as (which projections it belongs to)."""
    kinds: tuple[str, str]
    """The kinds its ends get when the data gives them none."""
    attrs: dict[str, Any]
    """``relation``, the shares, ``claim``, ``status``, dates, ``label``, ``source``,
    ``evidence``: the edge's attributes but the time rules' reading."""


class EdgeTime(NamedTuple):
    """The time rules' reading of one claim at one knowledge date, as its edges carry it."""

    role: str
    spans: list[list[str | None]]
    known_from: str | None
    supersedes: list[str]
    superseded_by: list[str]
    instant: str | None
    why: str

    @classmethod
    def of(cls, standing: temporal.Standing) -> EdgeTime:
        return cls(
            standing.role,
            [span.as_list() for span in standing.spans],
            _iso(standing.known_from),
            sorted(standing.claim.supersedes),
            sorted(standing.superseded_by),
            _iso(standing.instant),
            standing.why(),
        )

    def on(self, day: str) -> str | None:
        """The standing on ``day`` (an ISO date), as :meth:`temporal.Standing.on`."""
        for start, end, standing in self.spans:
            if (start is None or day >= start) and (end is None or day < end):
                return standing
        return None


@dataclass
class Gathered:
    """What a projection reads of a source, before the time rules choose what is shown.

    ``nodes``: IRI -> (label, kind or ``None``, aliases) of every end of ``edges``;
    ``edges`` in the order the projection adds them; ``claims``: every claim as the time
    rules read it (those that supersede them included); ``founded``: founding days;
    ``ranks``: the class each claim was read as (its index among the projection's claim
    classes; their number for a claim read because it supersedes one), when known.
    """

    nodes: dict[str, tuple[str, str | None, list[str]]]
    edges: list[EdgeRecord]
    claims: list[temporal.ClaimTime]
    founded: dict[str, date]
    ranks: list[int] = field(default_factory=list)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def assemble(
    gathered: Gathered,
    classes: Collection[str],
    *,
    kind: str = "all",
    as_of: date | str | None = None,
    known_on: date | str | None = None,
    times: Mapping[str, EdgeTime] | None = None,
) -> nx.MultiDiGraph:
    """The projection of the edges of ``classes`` (claim class IRIs) on ``as_of``, as known on
    ``known_on``, in the projection schema of :mod:`automaker_kg.projections`.

    ``times`` (claim IRI -> :class:`EdgeTime`) saves resolving the time rules again when
    they were resolved for ``known_on`` already; claims missing from it are not shown.
    ``kind`` is recorded in ``G.graph``. Raises ParameterError for a bad date.
    """
    as_of = temporal.parameter_date(as_of)
    known_on = temporal.parameter_date(known_on, "known_on")
    if times is None:
        resolved = temporal.resolve(gathered.claims, known_on=known_on, founded=gathered.founded)
        times = {iri: EdgeTime.of(standing) for iri, standing in resolved.items()}
    groups = set(classes)
    day = as_of.isoformat() if as_of is not None else None
    G = nx.MultiDiGraph()
    nodes = gathered.nodes
    for edge in gathered.edges:
        time = times.get(edge.claim)
        if time is None or edge.group not in groups:  # published after known_on
            continue
        standing = time.role if day is None else time.on(day)
        if standing is None:
            continue
        for iri, fallback in ((edge.u, edge.kinds[0]), (edge.v, edge.kinds[1])):
            if iri not in G:
                label, known_kind, aliases = nodes[iri]
                G.add_node(
                    iri, label=label, kind=known_kind or fallback, iri=iri, aliases=list(aliases)
                )
        G.add_edge(
            edge.u,
            edge.v,
            key=edge.claim,
            **edge.attrs,
            standing=standing,
            spans=[list(span) for span in time.spans],
            known_from=time.known_from,
            supersedes=list(time.supersedes),
            superseded_by=list(time.superseded_by),
            instant=time.instant,
            why=time.why,
        )
    G.graph.update(
        kind=kind,
        as_of=day,
        known_on=known_on.isoformat() if known_on else None,
    )
    return G
