"""The names the drafter knows: labels and aliases of the graph's entities and technologies.

Read from the Turtle of ``graph/`` (``entities.ttl``, the seed, every compiled fact sheet) and
the technology and market taxonomy of ``ontology/taxonomy.ttl``. Each name points at one term
(its local name, its namespace prefix and its type). A file can be left out by its stem, so
that a document's own curated sheet does not feed its draft when drafts are scored.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix akg: <https://w3id.org/automaker-kg/ontology#> .
... @prefix kg: <https://w3id.org/automaker-kg/id/> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... kg:nissan a akg:Automaker ; skos:prefLabel "Nissan Motor" ; skos:altLabel "the carmaker" .
... ''', format="turtle")
>>> sorted((n.text, n.id, n.type) for n in names_of(g))
[('Nissan Motor', 'nissan', 'Automaker')]
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from automaker_kg.namespaces import AKG, KG, MKT, TECH

__all__ = ["Name", "names_of", "known_names", "taxonomy_broader", "ENTITY_TYPES"]

ENTITY_TYPES = (
    "Automaker EnergyCompany TechCompany MediaOrganization JointVenture Company Division "
    "Alliance GoverningBody Person Technology Market"
).split()
"""The entity types a fact sheet may give (``docs/fact-sheets.md``)."""


@dataclass(frozen=True)
class Name:
    """One way of writing a term: the text, the term's local name, namespace prefix and type."""

    text: str
    id: str
    prefix: str  # kg | tech | mkt
    type: str

    @property
    def is_technology(self) -> bool:
        return self.prefix == "tech"


_NAMESPACES = (("tech", str(TECH)), ("mkt", str(MKT)), ("kg", str(KG)))


def _split(iri: URIRef) -> tuple[str, str] | None:
    for prefix, ns in _NAMESPACES:  # tech: and mkt: live inside kg:, so test them first
        if str(iri).startswith(ns) and "/" not in str(iri)[len(ns) :]:
            return prefix, str(iri)[len(ns) :]
    return None


def _usable(text: str, prefix: str) -> bool:
    """Descriptions ("the Japanese automaker", "the alliance") are no names to look for."""
    text = text.strip()
    if len(text) < 2:
        return False
    if prefix == "kg" and text[0].islower() and " " in text:
        return False  # a lower-case one-word brand ("electrive") is a name
    return True


def names_of(graph: Graph) -> list[Name]:
    """Every label, preferred and alternative label of the typed terms of ``graph``."""
    types = {str(AKG[t]): t for t in ENTITY_TYPES}
    out: list[Name] = []
    for subject, cls in graph.subject_objects(RDF.type):
        kind = types.get(str(cls))
        where = _split(subject) if isinstance(subject, URIRef) else None
        if kind is None or where is None:
            continue
        prefix, local = where
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            for value in graph.objects(subject, predicate):
                if _usable(str(value), prefix):
                    out.append(Name(str(value).strip(), local, prefix, kind))
    return out


def _files(root: Path) -> Iterable[Path]:
    taxonomy = root / "ontology" / "taxonomy.ttl"
    if taxonomy.is_file():
        yield taxonomy
    graph = root / "graph"
    if graph.is_dir():
        yield from sorted(graph.rglob("*.ttl"))


_FileKey = tuple[str, int, int]
_parsed: dict[str, tuple[_FileKey, list[Name]]] = {}
"""The names of each Turtle file read so far, by path, with the (path, size, mtime_ns) read."""


def _names_in(path: Path) -> list[Name]:
    """The names of one Turtle file, parsed again only when its size or mtime changed.

    An analyst drafting one document after another in one process (or a test suite) parses the
    graph once instead of once a draft.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    cached = _parsed.get(key[0])
    if cached is not None and cached[0] == key:
        return cached[1]
    names = names_of(Graph().parse(path, format="turtle"))
    _parsed[key[0]] = (key, names)
    return names


def known_names(
    data_dir: str | os.PathLike[str] | None = None, *, leave_out: Iterable[str] = ()
) -> list[Name]:
    """The names of the project's terms, files whose stem is in ``leave_out`` left out.

    ``graph/entities.ttl`` comes first, so that a name two files give points at its entry.
    """
    from automaker_kg.paths import data_dir as default_data_dir

    root = default_data_dir(data_dir)
    skip = set(leave_out)
    files = sorted(_files(root), key=lambda p: (p.name != "entities.ttl", str(p)))
    out: list[Name] = []
    for path in files:
        if path.stem in skip:
            continue
        out.extend(_names_in(path))
    seen: set[tuple[str, str]] = set()
    unique = []
    for name in out:
        key = (name.text.lower() if name.is_technology else name.text, name.prefix)
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique


def taxonomy_broader(data_dir: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """The (narrower, broader) technology pairs of ``ontology/taxonomy.ttl``."""
    from automaker_kg.paths import data_dir as default_data_dir

    path = default_data_dir(data_dir) / "ontology" / "taxonomy.ttl"
    if not path.is_file():
        return []
    g = Graph().parse(path, format="turtle")
    ns = str(TECH)
    return [
        (str(a)[len(ns) :], str(b)[len(ns) :])
        for a, b in g.subject_objects(SKOS.broader)
        if str(a).startswith(ns) and str(b).startswith(ns)
    ]
