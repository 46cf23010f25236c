"""Graph comparison for tests: blank-node trees named by a hash of their content."""

from __future__ import annotations

import hashlib
from collections import Counter

from rdflib import BNode, Graph, URIRef


def canonical(graph: Graph) -> Counter:
    """The graph's triples, each blank node named by a hash of what it holds, with counts.

    The importers' blank nodes (evidence selectors, identifier values, periods) are trees, so
    the hash is a canonical name; two blank nodes with the same content count twice, so a
    duplicate is seen. Fast where ``rdflib.compare.to_canonical_graph`` takes minutes.
    """
    memo: dict[BNode, URIRef] = {}

    def name(node):
        if not isinstance(node, BNode):
            return node
        if node not in memo:
            memo[node] = URIRef("urn:tree:")  # a cycle (none expected) hashes as a constant
            body = sorted(f"{p.n3()} {name(o).n3()}" for p, o in graph.predicate_objects(node))
            memo[node] = URIRef("urn:tree:" + hashlib.sha256("\n".join(body).encode()).hexdigest())
        return memo[node]

    out: Counter = Counter()
    for s, p, o in graph:
        out[(name(s), p, name(o))] += 1
    return out


def same(a: Graph, b: Graph) -> bool:
    """``a`` and ``b`` hold the same triples, blank-node trees compared by content."""
    return canonical(a) == canonical(b)
