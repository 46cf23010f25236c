"""The store interface: what the projections, queries and views read the graph through.

A store is read with SPARQL and nothing else. Three kinds meet :class:`GraphStore`: a
``pyoxigraph.Store`` opened on a store generation, the same in memory (``open_store(...,
memory=True)``), and :class:`automaker_kg.remote.RemoteStore` (a SPARQL 1.1 endpoint); each
takes the same path through the code (Oxigraph's terms, the values bound by the engine). The
other kind of :data:`Source` is an rdflib ``Graph`` or ``Dataset`` (``build.load_graph``, the
small graphs of the tests), read through rdflib's own engine.

>>> import pyoxigraph
>>> isinstance(pyoxigraph.Store(), GraphStore)
True
>>> from rdflib import Graph
>>> isinstance(Graph(), GraphStore)
False
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

    from automaker_kg.remote import RemoteStore

__all__ = ["GraphStore", "Source"]

_Term: TypeAlias = (
    "pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple"
)


@runtime_checkable
class GraphStore(Protocol):
    """A store read with SPARQL: local (on disk or in memory) or remote.

    ``query`` answers as ``pyoxigraph.Store.query`` does: ``QuerySolutions`` for SELECT,
    ``QueryBoolean`` for ASK, triples for CONSTRUCT and DESCRIBE; ``SyntaxError`` for a
    malformed query, ``OSError`` when the store cannot answer.
    """

    def query(
        self,
        query: str,
        *,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        substitutions: dict[pyoxigraph.Variable, _Term] | None = None,
        default_graph: pyoxigraph.NamedNode | None = None,
        named_graphs: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode] | None = None,
    ) -> Any: ...

    def named_graphs(self) -> Iterable[Any]: ...

    def __len__(self) -> int: ...


Source: TypeAlias = "GraphStore | rdflib.Graph"
"""What the projections, queries and views accept: a store, or an rdflib graph or dataset."""


if TYPE_CHECKING:  # the type checker proves that each kind of store meets the interface

    def _local(store: pyoxigraph.Store) -> GraphStore:
        return store

    def _remote(store: RemoteStore) -> GraphStore:
        return store
