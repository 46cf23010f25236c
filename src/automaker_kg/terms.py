"""IRIs and the names people read: one shortener and one expander for every surface.

The CLI's tables, the store's statistics and the query page all write an IRI the same way:
as a prefixed name with the longest namespace of the project's prefix table
(:data:`automaker_kg.namespaces.PREFIXES`), ``doc:kyodo-2023-02-06`` for
``https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06``.

>>> short("https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06")
'doc:kyodo-2023-02-06'
>>> str(expand("kg:nissan"))
'https://w3id.org/automaker-kg/id/nissan'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from rdflib import URIRef

from automaker_kg.namespaces import PREFIXES

__all__ = ["short", "expand", "local_name"]


@functools.cache
def _default_namespaces() -> tuple[tuple[str, str], ...]:
    return _longest_first({prefix: str(ns) for prefix, ns in PREFIXES.items()})


def _longest_first(prefixes: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((p, str(ns)) for p, ns in prefixes.items()), key=lambda p: -len(p[1])))


def short(iri: str, prefixes: Mapping[str, str] | None = None, *, angle: bool = False) -> str:
    """``iri`` as a prefixed name (longest matching namespace, non-empty local name).

    ``prefixes`` maps prefix to namespace (default: the project's table). An IRI no
    namespace covers is returned as it is, or as ``<iri>`` with ``angle=True``.

    >>> short("https://w3id.org/automaker-kg/ontology#EquityStake")
    'akg:EquityStake'
    >>> short("https://w3id.org/automaker-kg/id/")
    'https://w3id.org/automaker-kg/id/'
    >>> short("http://example.org/x", {"ex": "http://example.org/"})
    'ex:x'
    >>> short("urn:x:1", angle=True)
    '<urn:x:1>'
    """
    iri = str(iri)
    table = _default_namespaces() if prefixes is None else _longest_first(prefixes)
    for prefix, namespace in table:
        if len(iri) > len(namespace) and iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>" if angle else iri


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
    raw = text.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    if _BAD_IRI.search(raw):
        raise ValueError(raw)
    prefix, _, local = raw.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return URIRef(str(PREFIXES[prefix]) + local)
    if re.match(r"^[a-z][a-z0-9+.-]*:", raw, re.I):
        return URIRef(raw)
    raise ValueError(raw)


def local_name(iri: str) -> str:
    """The last segment of an IRI (after the last ``/`` or ``#``).

    >>> local_name("https://w3id.org/automaker-kg/id/nissan")
    'nissan'
    """
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
