"""The project's prefix table as plain strings, and IRIs written short with it.

The same table as :data:`automaker_kg.namespaces.PREFIXES` (a test keeps them equal),
without rdflib, so that a command that only prints names (``path``, ``ownership``) does
not load it. :mod:`automaker_kg.terms` re-exports :func:`short` and :func:`local_name`.

>>> short("https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06")
'doc:kyodo-2023-02-06'
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["NAMESPACES", "short", "local_name", "sparql_prologue"]

_BASE = "https://w3id.org/automaker-kg/"

#: Prefix -> namespace IRI, in the order of the project's prefix table.
NAMESPACES: dict[str, str] = {
    "akg": _BASE + "ontology#",
    "kg": _BASE + "id/",
    "tech": _BASE + "id/technology/",
    "mkt": _BASE + "id/market/",
    "claim": _BASE + "id/claim/",
    "doc": _BASE + "id/document/",
    "event": _BASE + "id/event/",
    "src": _BASE + "id/sources/",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}


def _longest_first(prefixes: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((p, str(ns)) for p, ns in prefixes.items()), key=lambda p: -len(p[1])))


_DEFAULT = _longest_first(NAMESPACES)


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
    table = _DEFAULT if prefixes is None else _longest_first(prefixes)
    for prefix, namespace in table:
        if len(iri) > len(namespace) and iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>" if angle else iri


def sparql_prologue() -> str:
    """``PREFIX`` lines for every prefix of the table, for query text.

    >>> sparql_prologue().splitlines()[0]
    'PREFIX akg: <https://w3id.org/automaker-kg/ontology#>'
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in NAMESPACES.items())


def local_name(iri: str) -> str:
    """The last segment of an IRI (after the last ``/`` or ``#``).

    >>> local_name("https://w3id.org/automaker-kg/id/nissan")
    'nissan'
    """
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
