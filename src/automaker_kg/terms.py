"""RDF terms in one place: IRIs and the names people read, rdflib <-> pyoxigraph terms, dates.

One shortener and one expander for every surface, one pair of term converters for every
module that hands terms between rdflib and Oxigraph, one reader of ISO dates.

The CLI's tables, the store's statistics and the query page all write an IRI the same way:
as a prefixed name with the longest namespace of the project's prefix table
(:data:`automaker_kg.prefixes.NAMESPACES`), ``doc:kyodo-2023-02-06`` for
``https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06``.

>>> short("https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06")
'doc:kyodo-2023-02-06'
>>> str(expand("kg:nissan"))
'https://w3id.org/automaker-kg/id/nissan'
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, overload

import pyoxigraph as ox

from automaker_kg.prefixes import NAMESPACES, local_name, short
from automaker_kg.temporal import iso_date  # the one date reader, kept free of RDF libraries

if TYPE_CHECKING:  # rdflib is imported where its terms are made
    from rdflib import URIRef
    from rdflib.term import Node

__all__ = [
    "short",
    "expand",
    "expand_iri",
    "local_name",
    "to_oxigraph",
    "from_oxigraph",
    "iso_date",
]


# Characters RFC 3987 forbids in an IRI (and that would end an IRI in SPARQL text).
_BAD_IRI = re.compile(r'[\s<>"{}|^`\\]')


def expand(text: str) -> URIRef:
    """An IRI from a prefixed name (``kg:nissan``), ``<iri>`` or an absolute IRI.

    Raises ValueError when ``text`` is none of these or holds characters an IRI cannot.

    >>> expand("<urn:x:1>")
    rdflib.term.URIRef('urn:x:1')
    >>> expand("Nissan")
    Traceback (most recent call last):
    ...
    ValueError: Nissan
    """
    from rdflib import URIRef

    return URIRef(expand_iri(text))


def expand_iri(text: str) -> str:
    """:func:`expand`'s IRI as text (no rdflib term made).

    >>> expand_iri("kg:nissan")
    'https://w3id.org/automaker-kg/id/nissan'
    """
    raw = text.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    if _BAD_IRI.search(raw):
        raise ValueError(raw)
    prefix, _, local = raw.partition(":")
    if prefix in NAMESPACES and not local.startswith("//"):
        return NAMESPACES[prefix] + local
    if re.match(r"^[a-z][a-z0-9+.-]*:", raw, re.I):
        return raw
    raise ValueError(raw)


# --------------------------------------------------------------------------- rdflib <-> Oxigraph


def to_oxigraph(
    term: Node | ox.NamedNode | ox.BlankNode | ox.Literal,
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph one (a pyoxigraph term is returned as it is).

    >>> from rdflib import Literal
    >>> from rdflib.namespace import XSD
    >>> str(to_oxigraph(Literal("15", datatype=XSD.decimal)))
    '"15"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> to_oxigraph(Literal("Nissan", lang="en"))
    <Literal value=Nissan language=en>
    """
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@overload
def from_oxigraph(term: None) -> None: ...
@overload
def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node: ...
@overload
def from_oxigraph(term: Any) -> Node | None: ...
def from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph term as an rdflib one (``None`` stays ``None``; blank node labels kept).

    A plain string literal (``xsd:string``) becomes a literal without a datatype, as rdflib
    parses one; an RDF-star triple raises ``TypeError``.

    >>> from rdflib import Literal
    >>> from_oxigraph(ox.Literal("Nissan")) == Literal("Nissan")
    True
    >>> from_oxigraph(ox.NamedNode("https://w3id.org/automaker-kg/id/nissan"))
    rdflib.term.URIRef('https://w3id.org/automaker-kg/id/nissan')
    """
    if term is None:
        return None
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")
