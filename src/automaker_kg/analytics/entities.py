"""Find an entity of a projection by the name a person types."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: a misspelled name is answered without networkx
    import networkx as nx

from automaker_kg.names import Candidate, resolve

__all__ = ["resolve_entity", "names_of", "candidates", "candidate"]


def names_of(G: nx.Graph, node: Hashable) -> list[str]:
    """Every name ``node`` goes by: its label, its aliases and the last segment of its IRI."""
    data = G.nodes[node]
    names = [str(data["label"])] if data.get("label") else []
    names += [str(a) for a in data.get("aliases") or ()]
    names.append(str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])  # terms.local_name
    return list(dict.fromkeys(names))


def resolve_entity(G: nx.Graph, name: str) -> Hashable:
    """The node of ``G`` called ``name``, by the one set of rules of :mod:`automaker_kg.names`.

    The node key itself, then a label, an alias (node attribute ``aliases``), the last
    segment of the IRI, then a unique node with a name that starts with ``name`` (as a
    word first) or contains it; all case-insensitively.

    Raises
    ------
    UnknownNameError
        when no node fits; the message suggests close names.
    AmbiguousNameError
        when several fit equally; the message lists them.

    Examples
    --------
    >>> import networkx as nx
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
    automaker_kg.errors.UnknownNameError: unknown entity 'Nisan'; did you mean Nissan?
    """
    if name in G:
        return name
    return resolve(name, candidates(G))


def candidates(G: nx.Graph) -> list[Candidate]:
    """The nodes of ``G`` as :class:`~automaker_kg.names.Candidate` records."""
    return [candidate(node, data) for node, data in G.nodes(data=True)]


def candidate(node: Hashable, data: dict) -> Candidate:
    """One node (its attributes ``label`` and ``aliases``) as the resolver reads it."""
    from automaker_kg.prefixes import local_name, short

    key = str(node)
    label = str(data.get("label") or local_name(key))
    aliases = tuple(str(a) for a in data.get("aliases") or () if str(a) != label)
    ids = (key, short(key), local_name(key)) if ":" in key else (key,)
    curated = not key.startswith(_KG) or "/" not in key[len(_KG) :]
    return Candidate(node, label, aliases, ids, preferred=curated)


_KG = "https://w3id.org/automaker-kg/id/"
