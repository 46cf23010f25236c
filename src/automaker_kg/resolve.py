"""Entity resolution: one company (or person) is one node, however many sources name it.

The curated entities (``graph/`` outside ``graph/imports/``), the Wikidata importer
(``kg:wikidata/Q…``), GLEIF (``kg:lei/<LEI>``) and BODS (``kg:bods/…``) each mint their own
IRIs. :func:`resolve` decides which IRIs name one thing; :func:`apply` (called by the build)
rewrites them to one canonical IRI in every source graph before validation, so every query,
projection and view sees one node without knowing about resolution.

Decisions, in order:

1. **Identifiers first.** An entity's identifiers are its ``skos:exactMatch``/``owl:sameAs``
   Wikidata items (``wikidata:Q20165``) and its ``dcterms:identifier "<scheme>:<value>"``
   literals as the importers write them (``XI-LEI:…``, ``GB-COH:…``, a GLEIF registration
   authority's ``RA000…:<number>``; ``LEI`` is read as ``XI-LEI`` and Companies House's
   ``RA000585`` as ``GB-COH``, so a GLEIF record and a UK register's BODS statement about one
   company share its number). Two entities sharing one merge (reason ``identifier``).
2. **Then names.** Labels and aliases (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``)
   are normalised by :func:`name_key`: accents and case folded, punctuation and dashes
   dropped, trailing legal forms (SA, Co., Ltd, JSC, AG, …) split off. Two names match when the
   rest is equal and their legal forms do not contradict (``Porsche SE`` is not ``Porsche
   AG``; ``Renault SA`` is ``Renault``). *Group* and *Holding* are kept: Hyundai Motor Group is
   not Hyundai Motor Company, and aliases such as "Renault Group" say so where it is the same.
   Descriptive aliases ("the alliance") and the importers' placeholder names ("LEI …",
   "Wikidata Q…") are not matched. A name match merges (reason ``name``) only when
3. **nothing contradicts it**: no merge (by identifier or name) joins two entities whose
   identifiers differ in one scheme (Renault the group, ``wikidata:Q6686``, and Renault the
   brand, ``wikidata:Q98584518``, stay two nodes), two curated entities (a person named them
   apart), or a person and an organisation; and a name that fits several entities which are
   themselves distinct merges with none of them. Each such refusal is recorded too.

The canonical IRI of a merged group is its curated IRI if it has one, else its GLEIF, then
Wikidata, then other IRI (the first in IRI order). Nothing is lost: the merged IRIs' names
become ``skos:altLabel`` of the canonical node, their identifiers and types move to it, the
source files keep their own named graphs, and the generated graph ``GRAPH["resolution"]``
holds ``canonical owl:sameAs merged`` for each rewritten IRI and one
``akg:MergeRecord``/``akg:DistinctRecord`` per decision (terms in ``ontology/resolution.ttl``),
listed by ``automaker-kg entities --merged``.

Why rewrite at build time rather than keep ``owl:sameAs`` for readers to follow: every
consumer (the query library, projections, analytics, views, the endpoint) would otherwise
have to expand sameAs itself, and one that forgets counts a company twice. The build is the
only writer of the store and already derives it from ``graph/``; resolution is derived data
too, so it is regenerated on every build and never goes stale, and ``graph/`` stays the
reviewable input. The generated graph is not SHACL-validated (it describes IRIs the rewrite
removed, on purpose); the rewritten source graphs are.

>>> key = name_key("Nissan Motor Co., Ltd.")
>>> key.base, sorted(key.forms)
('nissan motor', ['co', 'ltd'])
>>> name_key("Škoda Auto a.s.").base
'skoda auto'
>>> names_match(name_key("Renault SA"), name_key("Renault"))
True
>>> names_match(name_key("Porsche SE"), name_key("Porsche AG"))
False
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from automaker_kg.graphstore import Source
from automaker_kg.namespaces import AKG, GRAPH, KG, ORG, SCHEMA, bind_prefixes

__all__ = [
    "RESOLUTION_GRAPH",
    "NameKey",
    "Entity",
    "Record",
    "Resolution",
    "name_key",
    "names_match",
    "identifiers_of",
    "resolve",
    "apply",
    "merges",
    "resolve_store",
    "rewrote",
    "entity_graphs",
]

RESOLUTION_GRAPH = "resolution"
"""Name of the generated named graph: ``GRAPH["resolution"]``."""


REASONS: dict[str, URIRef] = {
    "identifier": AKG.IdentifierMatch,
    "name": AKG.NameMatch,
    "conflicting-identifiers": AKG.ConflictingIdentifiers,
    "ambiguous-name": AKG.AmbiguousName,
    "both-curated": AKG.BothCurated,
    "different-kind": AKG.DifferentKind,
}
"""Reason code (as ``entities --merged`` prints it) -> concept of akg:ResolutionReasonScheme."""

_IMPORTS = "graph/imports/"
_WD = re.compile(r"^https?://www\.wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)$")
_SCHEME_ALIASES = {
    "LEI": "XI-LEI",
    "WIKIDATA": "wikidata",
    # GLEIF names a register by its Registration Authority code; org-id.guide by its scheme.
    "RA000585": "GB-COH",  # Companies House, England and Wales
}
_NOT_IDENTIFIERS = {"SHA256"}

_PERSON_CLASSES = {
    AKG.Person,
    SCHEMA.Person,
    URIRef("http://www.w3.org/ns/prov#Person"),
    URIRef("http://xmlns.com/foaf/0.1/Person"),
}
_ORG_CLASSES = {
    ORG.Organization,
    ORG.FormalOrganization,
    ORG.OrganizationalUnit,
    ORG.OrganizationalCollaboration,
    AKG.Company,
    SCHEMA.Organization,
    SCHEMA.Corporation,
    URIRef("http://www.w3.org/ns/prov#Organization"),
}
_NEVER = {AKG.UnnamedSourceGroup, AKG.Claim, AKG.SourceDocument, AKG.Technology, AKG.Market}

# Legal forms (casefolded, dots removed) and the one code each stands for.
_LEGAL_FORMS: dict[str, str] = {
    **dict.fromkeys(["co", "company", "cos"], "co"),
    **dict.fromkeys(["ltd", "limited", "ltda"], "ltd"),
    **dict.fromkeys(["inc", "incorporated"], "inc"),
    **dict.fromkeys(["corp", "corporation"], "corp"),
    **{f: f for f in ("sa", "sas", "sasu", "sarl", "se", "spa", "srl", "ag", "gmbh", "kgaa")},
    **{f: f for f in ("nv", "bv", "plc", "llc", "llp", "lp", "jsc", "pjsc", "ojsc", "cjsc")},
    **{f: f for f in ("kk", "ab", "asa", "oy", "oyj", "pte", "pty", "bhd", "tbk", "as", "sl")},
}
_PLACEHOLDER = re.compile(r"^(Wikidata Q\d+|LEI [0-9A-Z]{20}|BODS \w+ .+)$|\(BODS record ")


# --------------------------------------------------------------------------- names


class NameKey(NamedTuple):
    """A normalised name: the words left (``base``) and the legal forms split off."""

    base: str
    forms: frozenset[str]


def name_key(name: str) -> NameKey | None:
    """Normalise a company or person name for matching; ``None`` for names not to match.

    Accents and case are folded, apostrophes dropped, other punctuation and dashes become
    spaces, and legal forms at the end (``Co., Ltd``, ``S.A.``, ``JSC``, ...) are split off
    into ``forms`` (synonyms share one code: Company = Co). A name that is only a legal form
    keeps it as its base. Descriptive aliases (lower-case "the ...") and importers'
    placeholder names give ``None``.

    >>> key = name_key("Saudi Aramco Base Oil Co JSC")
    >>> key.base, sorted(key.forms)
    ('saudi aramco base oil', ['co', 'jsc'])
    >>> name_key("Renault–Nissan Alliance").base
    'renault nissan alliance'
    >>> name_key("Renault's Ampere").base
    'renaults ampere'
    >>> name_key("the French automaker") is None, name_key("LEI 969500ABCDEFGHIJKL12") is None
    (True, True)
    """
    text = name.strip()
    if not text or text.startswith("the ") or _PLACEHOLDER.search(text):
        return None
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['\u2019`]", "", text)
    # dotted abbreviations as one word: s.a. -> sa, s.p.a. -> spa, k.k. -> kk
    text = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m.group(0).replace(".", ""), text)
    text = text.replace("&", " and ")
    words = re.sub(r"[\W_]+", " ", text).split()
    forms: set[str] = set()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        forms.add(_LEGAL_FORMS[words.pop()])
    if not words:
        return None
    return NameKey(" ".join(words), frozenset(forms))


def names_match(a: NameKey | None, b: NameKey | None) -> bool:
    """Same words, and legal forms that do not contradict (one has none, or they share one).

    >>> names_match(name_key("Aramco Base Oil Company"), name_key("Aramco Base Oil Co JSC"))
    True
    >>> names_match(name_key("Renault SAS"), name_key("Renault SA"))
    False
    """
    if a is None or b is None or a.base != b.base:
        return False
    return not a.forms or not b.forms or bool(a.forms & b.forms)


# --------------------------------------------------------------------------- identifiers


def _identifier(value: str) -> tuple[str, str] | None:
    scheme, sep, rest = value.partition(":")
    if not sep or not scheme or not rest.strip() or rest.startswith("//"):
        return None
    scheme = scheme.strip()
    if scheme.upper() in _NOT_IDENTIFIERS:
        return None
    scheme = _SCHEME_ALIASES.get(scheme.upper(), scheme.upper())
    rest = rest.strip()
    return scheme, rest.upper() if scheme == "XI-LEI" else rest


def identifiers_of(graph: Graph, node: URIRef) -> set[tuple[str, str]]:
    """The identifiers ``(scheme, value)`` the data gives ``node``.

    >>> from automaker_kg.namespaces import KG, WD
    >>> g = Graph()
    >>> _ = g.add((KG.x, SKOS.exactMatch, WD.Q20165))
    >>> _ = g.add((KG.x, DCTERMS.identifier, Literal("LEI:5299004rp0n5tb4kxl13")))
    >>> sorted(identifiers_of(g, KG.x))
    [('XI-LEI', '5299004RP0N5TB4KXL13'), ('wikidata', 'Q20165')]
    """
    found: set[tuple[str, str]] = set()
    for prop in (SKOS.exactMatch, OWL.sameAs):
        for obj in graph.objects(node, prop):
            match = _WD.match(str(obj))
            if match:
                found.add(("wikidata", match.group(1)))
    for literal in graph.objects(node, DCTERMS.identifier):
        ident = _identifier(str(literal))
        if ident is not None:
            found.add(ident)
    return found


def _key_text(ident: tuple[str, str]) -> str:
    return f"{ident[0]}:{ident[1]}"


# --------------------------------------------------------------------------- model


@dataclass
class Entity:
    """An entity IRI as the sources describe it, before resolution."""

    iri: URIRef
    family: str
    """``person`` or ``organisation``."""
    graphs: tuple[str, ...]
    """The source files (graph names) that type it."""
    curated: bool
    identifiers: frozenset[tuple[str, str]]
    names: tuple[str, ...]

    @property
    def keys(self) -> list[tuple[NameKey, str]]:
        return [(k, n) for n in self.names if (k := name_key(n)) is not None]


@dataclass(frozen=True)
class Record:
    """One decision: ``resolved`` merged into ``canonical`` (``merged``) or kept apart."""

    merged: bool
    reason: str
    """A key of :data:`REASONS`."""
    resolved: URIRef
    matched: URIRef
    canonical: URIRef | None
    key: str
    """The identifier (scheme:value) or normalised name that matched."""
    names: tuple[str, ...] = ()
    conflicting: tuple[str, ...] = ()
    resolved_graphs: tuple[str, ...] = ()
    matched_graphs: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        kind = "merge" if self.merged else "distinct"
        digest = hashlib.sha256(f"{kind} {self.resolved} {self.matched}".encode()).hexdigest()
        return KG[f"resolution/{kind}-{digest[:16]}"]


@dataclass
class Resolution:
    """What :func:`resolve` decided: the rewrite map and every record."""

    canonical: dict[URIRef, URIRef] = field(default_factory=dict)
    """Merged IRI -> canonical IRI (canonical IRIs map to nothing)."""
    records: list[Record] = field(default_factory=list)
    entities: dict[URIRef, Entity] = field(default_factory=dict)

    def __call__(self, iri: URIRef) -> URIRef:
        """The canonical IRI of ``iri`` (itself when it was not merged)."""
        return self.canonical.get(iri, iri)

    def groups(self) -> dict[URIRef, list[URIRef]]:
        """Canonical IRI -> the IRIs merged into it, sorted."""
        out: dict[URIRef, list[URIRef]] = defaultdict(list)
        for merged, canonical in self.canonical.items():
            out[canonical].append(merged)
        return {c: sorted(ms) for c, ms in sorted(out.items())}

    def rewrite(self, graph: Graph) -> Graph:
        """A copy of ``graph`` with merged IRIs replaced by their canonical IRI; ``graph``
        itself when it names no merged IRI (a curated sheet names the canonical ones).

        The merged IRIs' ``rdfs:label``/``skos:prefLabel`` become ``skos:altLabel``, so the
        canonical node keeps one label and every name.
        """
        merged = self.canonical
        if not any(s in merged or o in merged for s, _, o in graph):
            return graph
        out = Graph()
        for prefix, namespace in graph.namespaces():
            out.bind(prefix, namespace, override=False)
        get = self.canonical.get
        for s, p, o in graph:
            if s in self.canonical and p in (RDFS.label, SKOS.prefLabel):
                p = SKOS.altLabel
            s = get(s, s) if isinstance(s, URIRef) else s  # the map's keys are all URIRefs
            out.add((s, p, get(o, o) if isinstance(o, URIRef) else o))
        return out

    def graph(self) -> Graph:
        """The records as RDF: ``owl:sameAs`` links and one node per record."""
        g = bind_prefixes(Graph())
        g.bind("owl", OWL)
        for merged, canonical in sorted(self.canonical.items()):
            g.add((canonical, OWL.sameAs, merged))
        for r in self.records:
            node = r.iri
            g.add((node, RDF.type, AKG.MergeRecord if r.merged else AKG.DistinctRecord))
            g.add((node, AKG.resolvedEntity, r.resolved))
            g.add((node, AKG.matchedEntity, r.matched))
            if r.canonical is not None:
                g.add((node, AKG.canonicalEntity, r.canonical))
            g.add((node, AKG.resolutionReason, REASONS[r.reason]))
            g.add((node, AKG.matchedKey, Literal(r.key)))
            for name in r.names:
                g.add((node, AKG.matchedName, Literal(name)))
            for key in r.conflicting:
                g.add((node, AKG.conflictingKey, Literal(key)))
            for name in r.resolved_graphs:
                g.add((node, AKG.resolvedEntityGraph, GRAPH[name]))
            for name in r.matched_graphs:
                g.add((node, AKG.matchedEntityGraph, GRAPH[name]))
            g.add((node, RDFS.comment, Literal(_sentence(r, self.entities))))
        return g


def _label(entities: dict[URIRef, Entity], iri: URIRef) -> str:
    entity = entities.get(iri)
    return f"{entity.names[0]} <{iri}>" if entity and entity.names else f"<{iri}>"


def _sentence(r: Record, entities: dict[URIRef, Entity]) -> str:
    a, b = _label(entities, r.resolved), _label(entities, r.matched)
    if r.merged:
        how = "the same identifier" if r.reason == "identifier" else "the same name"
        return f"{a} is {b} ({how}: {r.key}); both are now <{r.canonical}>"
    why = {
        "conflicting-identifiers": f"their identifiers differ ({', '.join(r.conflicting)})",
        "ambiguous-name": "the name fits several distinct entities",
        "both-curated": "both are curated entities",
        "different-kind": "one is a person, the other an organisation",
    }[r.reason]
    return f"{a} and {b} share {r.key} but are kept apart: {why}"


# --------------------------------------------------------------------------- resolving


def _closure(schema: Graph, classes: Iterable[URIRef]) -> set[URIRef]:
    out: set[URIRef] = set()
    for cls in classes:
        out.update(
            c for c in schema.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)
        )
    return out


#: The predicates :func:`_entities` reads of an entity (its classes, names and, through
#: :func:`identifiers_of`, identifiers): only these are gathered from the files, not every
#: claim and piece of evidence (a rebuild of the shipped graph spent half its time copying).
_ENTITY_PREDICATES = (
    RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.exactMatch, OWL.sameAs,
    DCTERMS.identifier,
)  # fmt: skip


def _entities(parsed: Sequence[tuple[str, Graph]]) -> dict[URIRef, Entity]:
    schema = Graph()
    data = Graph()
    for name, graph in parsed:
        if name.startswith("ontology/"):
            schema += graph.triples((None, RDFS.subClassOf, None))
        else:
            for predicate in _ENTITY_PREDICATES:
                data += graph.triples((None, predicate, None))
    typed_in: dict[URIRef, list[str]] = defaultdict(list)
    for name, graph in parsed:
        if name.startswith("ontology/"):
            continue
        for subject in set(graph.subjects(RDF.type, None)):
            if isinstance(subject, URIRef) and name not in typed_in[subject]:
                typed_in[subject].append(name)
    found: dict[URIRef, Entity] = {}
    for iri, graphs in typed_in.items():
        classes = _closure(
            schema, (c for c in data.objects(iri, RDF.type) if isinstance(c, URIRef))
        )
        if classes & _NEVER:
            continue
        if classes & _PERSON_CLASSES:
            family = "person"
        elif classes & _ORG_CLASSES:
            family = "organisation"
        else:
            continue
        names: list[str] = []
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            for literal in sorted(data.objects(iri, prop), key=str):
                if isinstance(literal, Literal) and str(literal) not in names:
                    names.append(str(literal))
        found[iri] = Entity(
            iri=iri,
            family=family,
            graphs=tuple(sorted(graphs)),
            curated=any(not g.startswith(_IMPORTS) for g in graphs),
            identifiers=frozenset(identifiers_of(data, iri)),
            names=tuple(names),
        )
    return dict(sorted(found.items()))


class _Clusters:
    """Union-find over entity IRIs that refuses merges which would contradict something."""

    def __init__(self, entities: dict[URIRef, Entity]) -> None:
        self.entities = entities
        self.parent = {iri: iri for iri in entities}
        self.members = {iri: [iri] for iri in entities}
        self.edges: list[tuple[URIRef, URIRef, str, str, tuple[str, ...]]] = []

    def find(self, iri: URIRef) -> URIRef:
        while self.parent[iri] != iri:
            self.parent[iri] = self.parent[self.parent[iri]]
            iri = self.parent[iri]
        return iri

    def identifiers(self, root: URIRef) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for member in self.members[root]:
            for scheme, value in self.entities[member].identifiers:
                out[scheme].add(value)
        return out

    def blocker(self, a: URIRef, b: URIRef) -> tuple[str, tuple[str, ...]] | None:
        """Why the clusters of ``a`` and ``b`` may not merge, or None."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        if self.entities[a].family != self.entities[b].family:
            return "different-kind", ()
        ia, ib = self.identifiers(ra), self.identifiers(rb)
        clashes = sorted(
            f"{scheme}:{value}"
            for scheme in set(ia) & set(ib)
            if not ia[scheme] & ib[scheme]
            for value in ia[scheme] | ib[scheme]
        )
        if clashes:
            return "conflicting-identifiers", tuple(clashes)
        curated = [m for m in self.members[ra] + self.members[rb] if self.entities[m].curated]
        if len(curated) > 1:
            return "both-curated", ()
        return None

    def union(self, a: URIRef, b: URIRef, reason: str, key: str, names: tuple[str, ...]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if str(rb) < str(ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.edges.append((a, b, reason, key, names))


def _canonical(members: list[URIRef], entities: dict[URIRef, Entity]) -> URIRef:
    def rank(iri: URIRef) -> tuple[int, str]:
        if entities[iri].curated:
            return 0, str(iri)
        for n, prefix in enumerate(("lei/", "wikidata/"), start=1):
            if str(iri).startswith(str(KG) + prefix):
                return n, str(iri)
        return 3, str(iri)

    return min(members, key=rank)


def resolve(source: Sequence[tuple[str, Graph]] | Dataset) -> Resolution:
    """Decide which entity IRIs name the same thing (see the module docstring).

    Parameters
    ----------
    source : the build's ``(graph name, Graph)`` pairs (names relative to the data folder:
        ``ontology/…`` give the class hierarchy, ``graph/imports/…`` are imports, every other
        name is curated), or a ``Dataset`` whose named graphs are ``GRAPH[name]``.

    Returns
    -------
    Resolution: ``canonical`` maps each merged IRI to its canonical IRI; ``records`` gives every
    merge and every refusal with its reason.
    """
    parsed = _pairs(source)
    entities = _entities(parsed)
    clusters = _Clusters(entities)
    distinct: list[Record] = []
    refused: set[tuple[URIRef, URIRef]] = set()

    def refuse(a: URIRef, b: URIRef, why: str, clash: tuple[str, ...], key: str, names=()):
        roots = tuple(sorted((clusters.find(a), clusters.find(b)), key=str))
        if roots in refused:
            return
        refused.add(roots)  # type: ignore[arg-type]
        distinct.append(
            Record(
                False,
                why,
                a,
                b,
                None,
                key,
                tuple(names),
                clash,
                entities[a].graphs,
                entities[b].graphs,
            )  # fmt: skip
        )

    # 1. identifiers
    by_identifier: dict[tuple[str, str], list[URIRef]] = defaultdict(list)
    for iri, entity in entities.items():
        for ident in entity.identifiers:
            by_identifier[ident].append(iri)
    for ident, iris in sorted(by_identifier.items()):
        first = iris[0]
        for other in iris[1:]:
            if clusters.find(first) == clusters.find(other):
                continue
            blocked = clusters.blocker(first, other)
            if blocked:
                refuse(other, first, blocked[0], blocked[1], _key_text(ident))
            else:
                clusters.union(first, other, "identifier", _key_text(ident), ())

    # 2. names: candidate pairs, exact keys (same words and forms) before compatible ones
    by_base: dict[str, list[tuple[URIRef, NameKey, str]]] = defaultdict(list)
    for iri, entity in entities.items():
        for form_key, name in entity.keys:
            by_base[form_key.base].append((iri, form_key, name))
    candidates: dict[tuple[URIRef, URIRef], tuple[int, str, set[str]]] = {}
    for base, items in by_base.items():
        for i, (a, ka, na) in enumerate(items):
            for b, kb, nb in items[i + 1 :]:
                if a == b or not names_match(ka, kb):
                    continue
                pair = (a, b) if str(a) < str(b) else (b, a)
                strength = 0 if ka == kb else 1
                old = candidates.get(pair)
                if old is None or strength < old[0]:
                    candidates[pair] = (strength, base, {na, nb})
                elif strength == old[0]:
                    old[2].update((na, nb))
    # a name that fits several mutually exclusive entities decides nothing
    neighbours: dict[tuple[URIRef, int], set[URIRef]] = defaultdict(set)
    for (a, b), (strength, _, _) in candidates.items():
        for s in range(strength, 2):
            neighbours[(a, s)].add(b)
            neighbours[(b, s)].add(a)
    ambiguous: set[tuple[URIRef, int]] = set()
    for (iri, s), others in neighbours.items():
        usable = sorted((o for o in others if clusters.blocker(iri, o) is None), key=str)
        for i, x in enumerate(usable):
            if any(clusters.blocker(x, y) is not None for y in usable[i + 1 :]):
                ambiguous.add((iri, s))
                break
    for (a, b), (strength, base, name_set) in sorted(
        candidates.items(), key=lambda kv: (kv[1][0], str(kv[0][0]), str(kv[0][1]))
    ):
        if clusters.find(a) == clusters.find(b):
            continue
        shown = tuple(sorted(name_set))
        blocked = clusters.blocker(a, b)
        if blocked:
            refuse(a, b, blocked[0], blocked[1], base, shown)
        elif (a, strength) in ambiguous or (b, strength) in ambiguous:
            refuse(a, b, "ambiguous-name", (), base, shown)
        else:
            clusters.union(a, b, "name", base, shown)

    # 3. canonical IRIs; each union edge, oriented away from the canonical one, is a record
    result = Resolution(entities=entities)
    for _, members in sorted(clusters.members.items()):
        if len(members) < 2:
            continue
        canonical = _canonical(members, entities)
        for member in members:
            if member != canonical:
                result.canonical[member] = canonical
    adjacency: dict[URIRef, list[tuple[URIRef, str, str, tuple[str, ...]]]] = defaultdict(list)
    for a, b, reason, key, names in clusters.edges:
        adjacency[a].append((b, reason, key, names))
        adjacency[b].append((a, reason, key, names))
    merged: list[Record] = []
    for canonical in sorted(set(result.canonical.values())):
        seen, queue = {canonical}, [canonical]
        while queue:
            here = queue.pop(0)
            for there, reason, key, names in sorted(adjacency[here], key=lambda e: str(e[0])):
                if there in seen:
                    continue
                seen.add(there)
                queue.append(there)
                merged.append(
                    Record(
                        True,
                        reason,
                        there,
                        here,
                        canonical,
                        key,
                        names,
                        (),
                        entities[there].graphs,
                        entities[here].graphs,
                    )  # fmt: skip
                )
    result.records = merged + distinct
    return result


def _pairs(source: Sequence[tuple[str, Graph]] | Dataset) -> list[tuple[str, Graph]]:
    if not isinstance(source, Dataset):
        return list(source)
    prefix = str(GRAPH[""])
    out = []
    for graph in source.graphs():
        name = str(graph.identifier)
        if name.startswith(prefix) and name != str(GRAPH[RESOLUTION_GRAPH]):
            out.append((name[len(prefix) :], graph))
    return out


def apply(
    parsed: Sequence[tuple[str, Graph]],
) -> tuple[list[tuple[str, Graph]], Resolution]:
    """Resolve, then rewrite every non-ontology graph; return the graphs and the resolution.

    The build loads the rewritten graphs under their own names and ``resolution.graph()``
    as ``GRAPH["resolution"]`` (when anything was decided).
    """
    resolution = resolve(parsed)
    if not resolution.canonical:
        return list(parsed), resolution
    out = [
        (name, graph if name.startswith("ontology/") else resolution.rewrite(graph))
        for name, graph in parsed
    ]
    return out, resolution


def rewrote(store: Any) -> bool:
    """Whether the build that wrote the Oxigraph ``store`` merged entities: its generated
    ``resolution`` graph names a merged IRI (``owl:sameAs``), and the source graphs were
    rewritten. Otherwise each file's graph holds what the file says."""
    from pyoxigraph import NamedNode

    graph = NamedNode(str(GRAPH[RESOLUTION_GRAPH]))
    same = NamedNode(str(OWL.sameAs))
    return next(iter(store.quads_for_pattern(None, same, None, graph)), None) is not None


def entity_graphs(store: Any, names: Sequence[str]) -> list[tuple[str, Graph]]:
    """What :func:`resolve` reads of the named graphs ``GRAPH[name]`` of the Oxigraph
    ``store``, as ``(name, Graph)`` pairs in the order of ``names``: the class hierarchy
    (``rdfs:subClassOf``) of ``ontology/…`` graphs, the entities' classes, names and
    identifiers (:data:`_ENTITY_PREDICATES`) of the others.

    Resolving these pairs decides what resolving the whole files decides, when the graphs
    hold what the files say (no merge rewrote them: :func:`rewrote`). A rebuild reads the
    files it did not change this way instead of parsing them again. Blank nodes are as the
    store keeps them; resolution reads only IRIs and literals.

    >>> import pyoxigraph as ox
    >>> store, g = ox.Store(), ox.NamedNode(str(GRAPH["graph/a.ttl"]))
    >>> store.add(ox.Quad(ox.NamedNode(KG.x), ox.NamedNode(RDFS.label), ox.Literal("X"), g))
    >>> store.add(ox.Quad(ox.NamedNode(KG.x), ox.NamedNode(AKG.holder), ox.NamedNode(KG.y), g))
    >>> [(name, len(graph)) for name, graph in entity_graphs(store, ["graph/a.ttl"])]
    [('graph/a.ttl', 1)]
    """
    import functools

    from pyoxigraph import NamedNode

    from automaker_kg.terms import from_oxigraph

    rdf: Callable[[Any], Any] = functools.cache(from_oxigraph)  # each term once: they recur
    out = []
    for name in names:
        graph, context = Graph(), NamedNode(str(GRAPH[name]))
        read = (RDFS.subClassOf,) if name.startswith("ontology/") else _ENTITY_PREDICATES
        for predicate in read:
            quads = store.quads_for_pattern(None, NamedNode(str(predicate)), None, context)
            graph.addN((rdf(q.subject), rdf(q.predicate), rdf(q.object), graph) for q in quads)
        out.append((name, graph))
    return out


# --------------------------------------------------------------------------- reading back

_MERGES = """
SELECT ?record ?decision ?reason ?resolved ?resolved_label ?matched ?matched_label ?canonical
       ?canonical_label ?key
WHERE {
  ?record a ?class ;
          akg:resolvedEntity ?resolved ;
          akg:matchedEntity ?matched ;
          akg:resolutionReason/skos:notation ?reason ;
          akg:matchedKey ?key .
  VALUES (?class ?decision) { (akg:MergeRecord "merged") (akg:DistinctRecord "kept apart") }
  OPTIONAL { ?record akg:canonicalEntity ?canonical .
             OPTIONAL { ?canonical rdfs:label ?canonical_label } }
  OPTIONAL { ?resolved rdfs:label ?resolved_label }
  OPTIONAL { ?matched rdfs:label ?matched_label }
}
"""
_RECORD_VALUES = """
SELECT ?record ?property ?value WHERE {
  ?record a/rdfs:subClassOf* akg:ResolutionRecord ; ?property ?value .
  VALUES ?property { akg:matchedName akg:conflictingKey akg:resolvedEntityGraph
                     akg:matchedEntityGraph }
}
"""
_MULTI = {
    "matchedName": "names",
    "conflictingKey": "conflicting",
    "resolvedEntityGraph": "resolved_graphs",
    "matchedEntityGraph": "matched_graphs",
}


def merges(source: Source) -> list[dict[str, Any]]:
    """The resolution records of a built store or a loaded ``Dataset``, as plain dicts.

    Keys: ``decision`` (``merged`` or ``kept apart``), ``reason`` (identifier, name,
    conflicting-identifiers, ambiguous-name, both-curated, different-kind), ``resolved``,
    ``matched``, ``canonical`` (IRIs), their ``*_label``, ``key`` (what matched), and the
    lists ``names``, ``conflicting``, ``resolved_graphs``, ``matched_graphs`` (graph names
    such as ``graph/entities.ttl``), ``record``. Merges come first, by canonical IRI.
    """
    from automaker_kg.queries import select

    prefix = str(GRAPH[""])
    extra: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in select(source, _RECORD_VALUES):
        column = _MULTI[str(row["property"]).rsplit("#", 1)[-1]]
        extra[str(row["record"])][column].append(str(row["value"]).removeprefix(prefix))
    rows = []
    for row in select(source, _MERGES):
        plain: dict[str, Any] = {k: str(v) for k, v in row.items()}
        for column in _MULTI.values():
            plain[column] = sorted(extra[plain["record"]][column])
        for column in ("canonical", "canonical_label", "resolved_label", "matched_label"):
            plain.setdefault(column, None)
        rows.append(plain)
    order = {"merged": 0, "kept apart": 1}
    rows.sort(
        key=lambda r: (order[r["decision"]], r["canonical"] or "", r["resolved"], r["matched"])
    )
    return rows


_ENTITIES = """
SELECT DISTINCT ?entity ?class ?label ?graph WHERE {
  ?entity a ?class .
  ?class rdfs:subClassOf* ?top .
  VALUES ?top { org:Organization org:FormalOrganization org:OrganizationalUnit
                org:OrganizationalCollaboration akg:Person }
  FILTER (isIRI(?entity))
  OPTIONAL { ?entity rdfs:label ?label }
}
"""
_ENTITY_GRAPHS = """
SELECT DISTINCT ?entity ?graph WHERE {
  GRAPH ?graph { ?entity a ?class }
  ?class rdfs:subClassOf* ?top .
  VALUES ?top { org:Organization org:FormalOrganization org:OrganizationalUnit
                org:OrganizationalCollaboration akg:Person }
}
"""
_ENTITY_IDS = """
SELECT DISTINCT ?entity ?property ?value WHERE {
  VALUES ?property { skos:exactMatch dcterms:identifier owl:sameAs }
  ?entity ?property ?value .
}
"""


def entities(source: Source) -> list[dict[str, Any]]:
    """Every organisation and person of a built store or loaded ``Dataset``, one row each.

    Keys: ``entity`` (IRI), ``label``, ``classes`` (local names), ``identifiers``
    (``wikidata:Q…``, ``XI-LEI:…``), ``merged_from`` (the IRIs resolution rewrote to it) and
    ``graphs`` (the files that describe it), sorted by label.
    """
    from automaker_kg.conflicts import graph_rows
    from automaker_kg.queries import select

    prefix = str(GRAPH[""])
    rows: dict[str, dict[str, Any]] = {}
    for row in select(source, _ENTITIES):
        iri = str(row["entity"])
        entry = rows.setdefault(
            iri,
            {"entity": iri, "label": None, "classes": set(), "identifiers": set(),
             "merged_from": set(), "graphs": set()},
        )  # fmt: skip
        if "label" in row and (entry["label"] is None or str(row["label"]) < entry["label"]):
            entry["label"] = str(row["label"])
        entry["classes"].add(re.split(r"[#/]", str(row["class"]))[-1])
    for iri, graph in graph_rows(source, _ENTITY_GRAPHS, "entity", ()):
        if iri in rows and graph != str(GRAPH[RESOLUTION_GRAPH]):
            rows[iri]["graphs"].add(graph.removeprefix(prefix))
    for row in select(source, _ENTITY_IDS):
        iri = str(row["entity"])
        if iri not in rows:
            continue
        entry = rows[iri]
        value, prop = row["value"], row["property"]
        if prop == OWL.sameAs and str(value).startswith(str(KG)):
            entry["merged_from"].add(str(value))
        elif isinstance(value, URIRef) and (match := _WD.match(str(value))):
            entry["identifiers"].add(f"wikidata:{match.group(1)}")
        elif prop == DCTERMS.identifier and (ident := _identifier(str(value))):
            entry["identifiers"].add(_key_text(ident))
    out = []
    for entry in rows.values():
        for key in ("classes", "identifiers", "merged_from", "graphs"):
            entry[key] = sorted(entry[key])
        out.append(entry)
    return sorted(out, key=lambda e: ((e["label"] or "").casefold(), e["entity"]))


# --------------------------------------------------------------------------- at scale

_BULK_PROPERTIES = (
    "http://purl.org/dc/terms/identifier",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
    "http://www.w3.org/2002/07/owl#sameAs",
)
"""The properties an entity of a bulk graph shows its identifiers with."""


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _identifier_quads(store: Any, graphs: Sequence[Any], subjects: Iterable[Any] | None) -> Any:
    """The identifier quads of ``graphs``: of every entity, or of the ``subjects`` only."""
    import pyoxigraph

    if subjects is None:
        for graph in graphs:
            for prop in _BULK_PROPERTIES:
                yield from store.quads_for_pattern(None, pyoxigraph.NamedNode(prop), None, graph)
        return
    wanted = set(graphs)
    for subject in subjects:  # one index range per entity, not one per graph and property
        for quad in store.quads_for_pattern(subject, None, None, None):
            if quad.predicate.value in _BULK_PROPERTIES and quad.graph_name in wanted:
                yield quad


def _bulk_identifiers(
    store: Any, graphs: Sequence[Any], subjects: Iterable[Any] | None = None
) -> Iterator[tuple[str, tuple[str, str]]]:
    """(entity IRI, identifier) for each identifier an IRI shows in ``graphs`` (of the
    ``subjects`` only, when given), read from the store's indexes in no particular order."""
    import pyoxigraph

    named, literal = pyoxigraph.NamedNode, pyoxigraph.Literal
    for quad in _identifier_quads(store, graphs, subjects):
        entity, value = quad.subject, quad.object
        if not isinstance(entity, named):
            continue
        if isinstance(value, literal):
            ident = _identifier(value.value)
            if ident is not None:
                yield entity.value, ident
        elif isinstance(value, named):
            match = _WD.match(value.value)
            if match:
                yield entity.value, ("wikidata", match.group(1))


def _shared(store: Any, graphs: Sequence[Any], known: set[int]) -> set[str]:
    """The IRIs of bulk entities that show an identifier some other entity shows too (a bulk
    one, or one of the in-memory entities whose identifier keys are ``known``).

    One pass over the identifier quads keeps two 64-bit integers a row (the identifier's key,
    the entity's hash) in numpy arrays, about 16 bytes per identifier; sorting them finds the
    keys held by more than one entity. A second pass reads the IRIs of those entities only.
    Hash collisions can only add entities here: they are then resolved on their identifiers'
    text (:func:`resolve_store`).
    """
    import numpy as np

    keys, owners = array("q"), array("q")
    involved: set[int] = set()
    for iri, ident in _bulk_identifiers(store, graphs):
        key, entity = hash(ident), hash(iri)
        if key in known:
            involved.add(entity)
        keys.append(key)
        owners.append(entity)
    if keys:
        pairs = np.unique(
            np.stack([np.frombuffer(keys, dtype=np.int64), np.frombuffer(owners, dtype=np.int64)]),
            axis=1,
        )  # distinct (key, entity) pairs, sorted by key
        del keys, owners
        _, first, counts = np.unique(pairs[0], return_index=True, return_counts=True)
        many = np.repeat(counts > 1, counts)  # pairs whose key has more than one entity
        involved.update(int(e) for e in np.unique(pairs[1][many]))
    if not involved:
        return set()
    import pyoxigraph

    out: set[str] = set()
    for graph in graphs:
        for prop in _BULK_PROPERTIES:
            for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(prop), None, graph):
                iri = quad.subject.value
                if hash(iri) in involved and isinstance(quad.subject, pyoxigraph.NamedNode):
                    out.add(iri)
    return out


def resolve_store(store: Any, resolution: Resolution, bulk_graphs: Sequence[str]) -> Resolution:
    """Extend ``resolution`` (decided on the files held in memory) to graphs bulk-loaded into
    the Oxigraph ``store``, and rewrite merged IRIs in every graph of the store.

    At scale (a GLEIF golden copy: millions of entities) resolution is **by identifier only**:
    an entity of a bulk graph merges with the entity that first showed one of its identifiers
    (a curated or in-memory entity first, then bulk entities in IRI order), unless the two
    give different values of one scheme (recorded as kept apart). Names are not matched. The
    canonical IRI follows the same ranking as :func:`resolve` (curated, then GLEIF, then
    Wikidata, then other). Only the entities that share an identifier with another are read
    whole (:func:`_shared`: about 16 bytes per identifier, no SPARQL sort). Returns
    ``resolution`` with the new merges and records added; the build writes
    ``resolution.graph()`` after validation.
    """
    from pyoxigraph import NamedNode

    graphs = [NamedNode(g) for g in bulk_graphs]
    if not graphs:
        return resolution
    owner: dict[int, int] = {}
    """Identifier hash -> number of the entity that showed it first."""
    iris: list[str] = []
    known: dict[int, tuple[str, frozenset]] = {}
    """Number -> (IRI, identifiers) of the in-memory entities (their canonical IRI)."""
    for entity_iri, entity in resolution.entities.items():
        canonical = str(resolution(entity_iri))
        for ident in entity.identifiers:
            key = _key(_key_text(ident))
            if key not in owner:
                owner[key] = len(iris)
                known[len(iris)] = (canonical, entity.identifiers)
                iris.append(canonical)
    known_hashes = {hash(i) for e in resolution.entities.values() for i in e.identifiers}
    candidates = sorted(_shared(store, graphs, known_hashes))
    merged: dict[str, tuple[str, str]] = {}
    """Bulk IRI -> (IRI it merges into, the identifier that matched)."""

    def root(iri: str) -> str:
        """The IRI ``iri`` merges into at the end of its chain."""
        while iri in merged:
            iri = merged[iri][0]
        return iri

    def flush(iri: str, idents: set[tuple[str, str]]) -> None:
        number = len(iris)
        iris.append(iri)
        target: tuple[int, str] | None = None
        for ident in sorted(idents):
            key = _key(_key_text(ident))
            first = owner.setdefault(key, number)
            # an identifier the entity itself showed first (the same IRI in a file held in
            # memory) or that leads back to it merges nothing: no entity merges into itself
            if first != number and target is None and root(iris[first]) != iri:
                target = (first, _key_text(ident))
        if target is None:
            return
        other, matched = target
        if other in known:
            theirs = known[other][1]
            mine = {s: v for s, v in idents}
            clash = [f"{s}:{v}" for s, v in theirs if s in mine and mine[s] != v]
            if clash:
                resolution.records.append(
                    Record(
                        False,
                        "conflicting-identifiers",
                        URIRef(iri),
                        URIRef(iris[other]),
                        None,
                        matched,
                        (),
                        tuple(sorted(clash)),
                    )  # fmt: skip
                )
                return
        merged[iri] = (iris[other], matched)

    for iri in candidates:  # bulk entities in IRI order, as the rule says; one at a time
        shown = {ident for _, ident in _bulk_identifiers(store, graphs, [NamedNode(iri)])}
        if shown:
            flush(iri, shown)
    del candidates
    owner.clear()

    # canonical IRIs: follow chains, then rank (curated, GLEIF, Wikidata, other)
    def rank(iri: str) -> tuple[int, str]:
        entity = resolution.entities.get(URIRef(iri))
        if entity is not None and entity.curated:
            return 0, iri
        for n, prefix in enumerate(("lei/", "wikidata/"), start=1):
            if iri.startswith(str(KG) + prefix):
                return n, iri
        return 3, iri

    groups: dict[str, list[str]] = defaultdict(list)
    for iri in merged:
        groups[root(iri)].append(iri)
    rewrite: dict[str, str] = {}
    for top, members in groups.items():
        best = min([top, *members], key=rank)
        for member in [top, *members]:
            if member != best:
                rewrite[member] = best
    for member, canonical in rewrite.items():
        # the identifier it merged by; for the first of a group, the one the canonical
        # entity merged into it by
        matched = merged.get(member, (None, ""))[1] or merged.get(canonical, (None, ""))[1]
        resolution.canonical[URIRef(member)] = URIRef(canonical)
        resolution.records.append(
            Record(
                True,
                "identifier",
                URIRef(member),
                URIRef(canonical),
                URIRef(canonical),
                matched or "identifier",
            )  # fmt: skip
        )
    _rewrite_store(store, rewrite)
    return resolution


def _rewrite_store(store: Any, rewrite: dict[str, str]) -> None:
    """Replace each merged IRI by its canonical one in every graph of ``store``; the merged
    IRI's labels become ``skos:altLabel`` of the canonical node."""
    import pyoxigraph

    labels = {str(RDFS.label), str(SKOS.prefLabel)}
    alt = pyoxigraph.NamedNode(str(SKOS.altLabel))
    added: list[Any] = []
    for old, new in rewrite.items():
        before, after = pyoxigraph.NamedNode(old), pyoxigraph.NamedNode(new)
        quads = list(store.quads_for_pattern(before, None, None, None))
        quads += list(store.quads_for_pattern(None, None, before, None))
        for quad in quads:
            store.remove(quad)
        for q in quads:
            # both ends through the whole map: the quads added below are not in the store
            # yet when a later merged IRI is looked up
            subject, predicate, obj = q.subject, q.predicate, q.object
            if subject == before or subject.value in rewrite:
                subject = (
                    after if subject == before else pyoxigraph.NamedNode(rewrite[subject.value])
                )
                if predicate.value in labels:
                    predicate = alt
            if obj == before or (isinstance(obj, pyoxigraph.NamedNode) and obj.value in rewrite):
                obj = after if obj == before else pyoxigraph.NamedNode(rewrite[obj.value])
            added.append(pyoxigraph.Quad(subject, predicate, obj, q.graph_name))
        if len(added) >= 10_000:  # one transaction per batch, not one per quad
            store.extend(added)
            added.clear()
    store.extend(added)
