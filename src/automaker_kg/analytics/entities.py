"""Find an entity of a projection by the name a person types."""

from __future__ import annotations

import difflib
from collections.abc import Hashable

import networkx as nx

from automaker_kg.errors import UnknownNameError

__all__ = ["resolve_entity", "names_of"]


def names_of(G: nx.Graph, node: Hashable) -> list[str]:
    """Every name ``node`` goes by: its label, its aliases and the last segment of its IRI."""
    data = G.nodes[node]
    names = [str(data["label"])] if data.get("label") else []
    names += [str(a) for a in data.get("aliases") or ()]
    names.append(str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    return list(dict.fromkeys(names))


def resolve_entity(G: nx.Graph, name: str) -> Hashable:
    """The node of ``G`` called ``name``.

    Tried in order, case-insensitively: the node key itself, a label, an alias (node attribute
    ``aliases``) or the last segment of the IRI, then a unique node with a name that starts
    with ``name``, then a unique node with a name that contains it.

    Raises
    ------
    UnknownNameError
        when no node, or more than one, fits; the message lists close candidates.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("https://w3id.org/automaker-kg/id/renault", label="Renault",
    ...            aliases=["Renault SA", "Groupe Renault"])
    >>> G.add_node("https://w3id.org/automaker-kg/id/nissan", label="Nissan")
    >>> resolve_entity(G, "groupe renault")
    'https://w3id.org/automaker-kg/id/renault'
    >>> resolve_entity(G, "nissan")
    'https://w3id.org/automaker-kg/id/nissan'
    >>> resolve_entity(G, "Nisan")
    Traceback (most recent call last):
    ...
    automaker_kg.errors.UnknownNameError: unknown entity 'Nisan'; valid: Nissan
    """
    if name in G:
        return name
    wanted = name.strip().casefold()
    names = {node: names_of(G, node) for node in G.nodes}
    for pick in (
        lambda ns: ns[0].casefold() == wanted if ns else False,
        lambda ns: any(n.casefold() == wanted for n in ns),
    ):
        found = sorted((node for node, ns in names.items() if pick(ns)), key=str)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UnknownNameError("entity (ambiguous)", name, [names[n][0] for n in found])
    starts = sorted(
        (node for node, ns in names.items() if any(n.casefold().startswith(wanted) for n in ns)),
        key=str,
    )
    if len(starts) == 1:
        return starts[0]
    found = sorted(
        (node for node, ns in names.items() if any(wanted in n.casefold() for n in ns)), key=str
    )
    if len(found) == 1:
        return found[0]
    if found:
        raise UnknownNameError("entity (ambiguous)", name, [names[n][0] for n in found])
    everything = {n.casefold(): ns[0] for ns in names.values() for n in ns}
    close = difflib.get_close_matches(wanted, list(everything), n=5, cutoff=0.6)
    raise UnknownNameError("entity", name, sorted({everything[c] for c in close}))
