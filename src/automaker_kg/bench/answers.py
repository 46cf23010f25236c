"""One canonical form of a query's answer, whichever engine gave it.

A time counts only when the engine's answer is the project's: the same number of rows and
the same rows once each is reduced to plain values (IRIs and literals by their text,
numbers by their value, blank nodes all alike, language tags and datatypes of text
dropped) and the rows sorted. Oxigraph's terms, rdflib's terms and SPARQL JSON results
(Virtuoso, the project's endpoint) all reduce to the same form.

>>> from rdflib import Literal, URIRef
>>> import pyoxigraph as ox
>>> a = fingerprint([(URIRef("http://e/a"), Literal("43.40", datatype=URIRef(DECIMAL)))])
>>> n = ox.Literal("43.4", datatype=ox.NamedNode(DECIMAL))
>>> b = fingerprint([(ox.NamedNode("http://e/a"), n)])
>>> c = fingerprint_json({"head": {"vars": ["x", "y"]}, "results": {"bindings": [
...     {"x": {"type": "uri", "value": "http://e/a"},
...      "y": {"type": "typed-literal", "value": "43.4E0", "datatype": DOUBLE}}]}})
>>> a == b == c
True
>>> a[0]
1
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from automaker_kg.prefixes import NAMESPACES

__all__ = ["fingerprint", "fingerprint_json", "plain", "DECIMAL", "DOUBLE"]

_XSD = NAMESPACES["xsd"]
DECIMAL = _XSD + "decimal"
DOUBLE = _XSD + "double"
_NUMERIC = {
    _XSD + name
    for name in (
        "decimal integer double float long int short byte nonNegativeInteger positiveInteger "
        "negativeInteger nonPositiveInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
}


def plain(kind: str, value: str | None, datatype: str | None = None) -> str:
    """One term as plain text: ``kind`` is ``uri``, ``literal`` or ``bnode``.

    >>> plain("literal", "15.0", DECIMAL), plain("literal", "15", _XSD + "integer")
    ('15', '15')
    >>> plain("bnode", "b12"), plain("uri", "http://e/a")
    ('_:', 'http://e/a')
    """
    if value is None:
        return ""
    if kind == "bnode":
        return "_:"  # labels are the engine's own: only that a blank node is there counts
    if kind == "literal" and datatype in _NUMERIC:
        try:
            return format(float(value), ".12g")
        except ValueError:
            return value
    if kind == "literal" and datatype == _XSD + "boolean":
        return "true" if value.strip() in ("true", "1") else "false"
    return value


def _term(term: Any) -> str:
    """An Oxigraph or rdflib term (or ``None``) as plain text."""
    if term is None:
        return ""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode | URIRef):
        return plain("uri", str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, ox.BlankNode | BNode):
        return plain("bnode", "")
    if isinstance(term, ox.Literal):
        return plain("literal", term.value, term.datatype.value)
    if isinstance(term, Literal):
        return plain("literal", str(term), str(term.datatype) if term.datatype else None)
    return str(term)


def _digest(rows: Iterable[tuple[str, ...]]) -> tuple[int, str]:
    ordered = sorted(rows)
    text = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))
    return len(ordered), hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(rows: Any) -> tuple[int, str]:
    """``(row count, digest)`` of an answer: rows of Oxigraph or rdflib terms, a bool (ASK),
    or the project's :class:`automaker_kg.queries.Rows`."""
    if isinstance(rows, bool):
        return 1, _digest([(str(rows).lower(),)])[1]
    source = getattr(rows, "_ox", None)
    if source is None and hasattr(rows, "rows") and hasattr(rows, "columns"):
        source = rows.rows
    if source is None:
        source = rows
    return _digest(tuple(_term(t) for t in row) for row in source)


def fingerprint_json(document: dict[str, Any]) -> tuple[int, str]:
    """``(row count, digest)`` of a SPARQL 1.1 JSON result (SELECT or ASK)."""
    if "boolean" in document:
        return 1, _digest([(str(bool(document["boolean"])).lower(),)])[1]
    names = document.get("head", {}).get("vars", [])
    rows = []
    for binding in document.get("results", {}).get("bindings", []):
        row = []
        for name in names:
            cell = binding.get(name)
            if cell is None:
                row.append("")
                continue
            kind = {"typed-literal": "literal"}.get(cell.get("type", ""), cell.get("type", ""))
            row.append(plain(kind, cell.get("value"), cell.get("datatype")))
        rows.append(tuple(row))
    return _digest(rows)
