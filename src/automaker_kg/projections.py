"""RDF -> networkx: the one place claims become edges that analytics and views read.

:func:`project` reads an rdflib ``Graph``/``Dataset`` or a ``pyoxigraph.Store`` through the
SPARQL ``SELECT`` queries held in this module's constants (values are bound, never pasted)
and returns a ``networkx.MultiDiGraph`` in the contract's projection schema:

* node key: the entity's IRI; attributes ``label``, ``kind`` (automaker, division,
  joint_venture, energy, tech, media, company, alliance, body, person, sources, technology,
  market, vehicle), ``iri`` and ``aliases`` (its other names: ``skos:prefLabel``,
  ``skos:altLabel``);
* one edge per claim (two for a technology arrangement with a recipient), keyed by the
  claim's IRI, with ``relation``, ``share`` / ``share_min`` / ``share_max`` (percent, 0-100,
  stakes, shares in trust and holding commitments only), ``claim``, ``status`` (official,
  reported, plan, floated, historical, allegation), ``valid_from`` / ``valid_to`` (ISO dates
  or ``None``), ``label``, ``source`` (the first document IRI) and ``evidence``
  (``"<document IRI>#<start>-<end>"`` strings);
  and the time rules' reading of the claim (:mod:`automaker_kg.temporal`): ``standing``
  ("in force", "planned", "reported": on ``as_of`` when given, else the claim's own),
  ``spans`` (``[start, end, standing]``: the valid dates on which it is shown, end
  exclusive, ``None`` open), ``known_from`` (first published), ``supersedes``,
  ``superseded_by``, ``instant`` (the day of a claim whose start is its end) and ``why``.

Projections (``kind``):

``ownership``
    equity stakes ``holder -> target``, relation ``shareholding`` or ``voting_rights``.
``technology``
    technology arrangements as ``provider -> technology`` and ``technology -> recipient``
    (both edges carry the claim; relation = develops, contributes, shares, acquires,
    withholds or protects, so withholding and protecting are edges too), contributions
    ``contributor -> beneficiary`` (capital, technological_support, operational_engagement)
    and joint projects on technologies ``participant -> technology`` (``joint_project``;
    the ``all`` projection draws them between the participants or at the markets instead).
``alliances``
    alliance memberships and joint-venture participations ``member -> organisation``
    (relation ``member``) and division relations ``unit -> parent`` (``division_of``).
``all``
    the three above (but a joint project's technology edges) and every other claim that
    links two entities: strategies
    (``actor -> market|technology``, ``strategy``; ``actor -> excluded partner``,
    ``excludes``), partnership searches (``seeker -> technology``, ``seeks_partner``), joint
    projects (``participant -> market``, ``joint_project``; between each pair of
    participants when there is no market), roles (``person -> organisation``,
    ``role``), rankings (``subject -> market``), assessments (``assessor -> counterpart``,
    relation = the assessment kind: grievance, judgement, ...), and events, planned events
    and floated targets (between each pair of participants; event participant -> place);
    holding commitments (``holder -> target``, relation ``lock_up``, ``minimum_holding`` or
    ``standstill``, with the shares), shares held in trust (``holder -> target``,
    ``held_in_trust``, with the shares; ``trustee -> target``, ``trustee``), vehicle supply
    (``supplier -> recipient``, ``badge_engineering``, ``contract_manufacturing`` or
    ``vehicle_supply``; ``supplier -> vehicle``, ``supplies_model``; ``recipient -> rebadged
    model``, ``sells_model``) and board seats (appointing shareholder or person ->
    company, ``director_seat``, ``observer_seat`` or ``chair_seat``). Technology licences
    are technology arrangements (relation ``licenses``).

Nodes are the ends of the projection's edges; an entity no claim of the projection links
is left out. ``as_of`` keeps the claims shown on that day and ``known_on`` the claims
published by then, by the rules of :mod:`automaker_kg.temporal` (``docs/time.md``).
"""

from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import date
from decimal import Decimal
from itertools import combinations
from typing import IO, TYPE_CHECKING, Any, Literal

import networkx as nx
import pyoxigraph
import rdflib
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from automaker_kg import assembly, temporal
from automaker_kg.analytics.ownership import stake_graph
from automaker_kg.assembly import EdgeRecord, EdgeTime, Gathered
from automaker_kg.errors import QueryError, UnknownNameError
from automaker_kg.graphstore import GraphStore, Source
from automaker_kg.namespaces import AKG, OA, ORG, STATUS, sparql_prologue
from automaker_kg.temporal import parameter_date, parse_day

if TYPE_CHECKING:
    from automaker_kg.queries import NameRow

__all__ = [
    "project",
    "gather",
    "gather_claims",
    "founding_days",
    "assemble",
    "Gathered",
    "EdgeRecord",
    "EdgeTime",
    "kind_classes",
    "kind_groups",
    "JOINT_PROJECT_TECHNOLOGY",
    "EDGE_GROUPS",
    "timeline",
    "timeline_ntriples",
    "timeline_pieces",
    "plain_value",
    "stake_graph",
    "scalar_copy",
    "KINDS",
    "STATUS",
    "NODE_KINDS",
]

Kind = Literal["all", "ownership", "technology", "alliances"]
KINDS: tuple[str, ...] = ("all", "ownership", "technology", "alliances")


# Most specific first: an entity typed both akg:Automaker and akg:Company is an automaker.
NODE_KINDS: dict[str, str] = {
    str(AKG.Automaker): "automaker",
    str(AKG.Division): "division",
    str(AKG.JointVenture): "joint_venture",
    str(AKG.EnergyCompany): "energy",
    str(AKG.TechCompany): "tech",
    str(AKG.MediaOrganization): "media",
    str(AKG.Alliance): "alliance",
    str(AKG.GoverningBody): "body",
    str(AKG.Person): "person",
    str(AKG.UnnamedSourceGroup): "sources",
    str(AKG.Technology): "technology",
    str(AKG.Market): "market",
    str(AKG.VehicleModel): "vehicle",
    str(AKG.Company): "company",
}

_CLAIMS_BY_KIND: dict[str, tuple[rdflib.URIRef, ...]] = {
    "ownership": (AKG.EquityStake,),
    "technology": (AKG.TechnologyArrangement, AKG.Contribution, AKG.JointProject),
    "alliances": (AKG.AllianceMembership, AKG.JointVentureParticipation, AKG.DivisionRelation),
}
_OTHER_CLAIMS = (
    AKG.MarketStrategy,
    AKG.PartnershipSearch,
    AKG.JointProject,
    AKG.RoleClaim,
    AKG.RankingClaim,
    AKG.Assessment,
    AKG.PlannedEvent,
    AKG.EventClaim,
    AKG.FloatedTarget,
    *(AKG.HoldingCommitment, AKG.TrustHolding, AKG.VehicleSupply, AKG.BoardSeat),
)
_CLAIMS_BY_KIND["all"] = (
    *_CLAIMS_BY_KIND["ownership"],
    *(cls for cls in _CLAIMS_BY_KIND["technology"] if cls not in _OTHER_CLAIMS),
    *_CLAIMS_BY_KIND["alliances"],
    *_OTHER_CLAIMS,
)

#: The group of a joint project's ``participant -> technology`` edges: the technology
#: projection shows them; the ``all`` projection draws the claim between its participants
#: or at its markets instead (a technology would join joint projects that share nothing).
JOINT_PROJECT_TECHNOLOGY = f"{AKG.JointProject}/technology"

#: The edge groups (claim class IRIs, and the group above) each projection shows.
_GROUPS_BY_KIND: dict[str, tuple[str, ...]] = {
    kind: tuple(str(cls) for cls in classes if cls != AKG.JointProject or kind == "all")
    for kind, classes in _CLAIMS_BY_KIND.items()
}
_GROUPS_BY_KIND["technology"] += (JOINT_PROJECT_TECHNOLOGY,)

#: Every group of the edges :func:`gather` reads for the ``all`` projection, in their order.
EDGE_GROUPS: tuple[str, ...] = tuple(
    group
    for cls in _CLAIMS_BY_KIND["all"]
    for group in ((str(cls), JOINT_PROJECT_TECHNOLOGY) if cls == AKG.JointProject else (str(cls),))
)

_VALUES_TYPES = " ".join(f"<{iri}>" for iri in NODE_KINDS)

#: Every entity and its classes.
ENTITIES_QUERY = sparql_prologue() + (
    f"SELECT ?entity ?type WHERE {{\n  ?entity a ?type .\n  VALUES ?type {{ {_VALUES_TYPES} }}\n}}"
)

#: Every name (label, preferred or alternative label) of every subject, with its language tag.
NAMES_QUERY = sparql_prologue() + (
    "SELECT ?entity ?property ?name ?lang WHERE {\n"
    "  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel }\n"
    "  ?entity ?property ?name .\n"
    "  BIND(LANG(?name) AS ?lang)\n"
    "}"
)

#: The facts (property, value) of every claim of one class; bind ``?class``.
CLAIM_FACTS_QUERY = sparql_prologue() + (
    "SELECT ?class ?claim ?property ?value WHERE {\n"
    "  ?claim a ?class ; ?property ?value .\n"
    "  FILTER(!isBlank(?value))\n"
    "}"
)


def _numbered(variable: str, iris: Sequence[str]) -> str:
    """A SPARQL expression: the number of ``variable``'s value in ``iris`` (unbound when it
    is none of them).

    >>> _numbered("?p", ["urn:a", "urn:b"])
    'IF(?p = <urn:a>, 0, IF(?p = <urn:b>, 1, ?none))'
    """
    expression = "?none"
    for number, iri in reversed(list(enumerate(iris))):
        expression = f"IF({variable} = <{iri}>, {number}, {expression})"
    return expression


#: The properties claims have most often, the most frequent first (at 1M generated
#: triples these 39 give 98% of the 452k facts): :data:`CLAIM_FACTS_OF` gives each by its
#: number here. Any other property comes as its IRI; the list only saves time.
_CLAIM_PROPERTY_IRIS: tuple[str, ...] = (
    str(PROV.wasDerivedFrom),
    str(RDF.type),
    str(AKG.status),
    str(RDFS.label),
    *(
        str(AKG[name])
        for name in (
            "validFromPrecision validFrom holder target interestType shareExact technology"
            " participant arrangementKind provider recipient event datePrecision"
        ).split()
    ),
    str(ORG.organization),
    str(AKG.market),
    str(ORG.member),
    *(
        str(AKG[name])
        for name in (
            "subject assessedBy assessmentKind beneficiary contributionKind contributor"
            " validTo validToPrecision exclusive date shareMaximum shareMinimum supersedes"
            " actor expectedBy unit parentCompany attributedTo roleDescription"
        ).split()
    ),
)

#: CLAIM_FACTS_QUERY of one class (an IRI of this module, given in the text): the class is
#: not a column, so it is not read back once per fact, and the blank values (evidence) are
#: dropped as they are read (Oxigraph's FILTER costs more than the rows it removes).
#: ``?property`` is the property's number in :data:`_CLAIM_PROPERTY_IRIS` when it has one,
#: else its IRI: Oxigraph looks an IRI up in its dictionary at each row, and holds a small
#: number in the row itself (the properties' IRIs were a fifth of the query's time).
CLAIM_FACTS_OF = (
    "SELECT ?claim (COALESCE("
    + _numbered("?p", _CLAIM_PROPERTY_IRIS).replace("{", "{{").replace("}", "}}")
    + ", ?p) AS ?property) ?value WHERE {{\n  ?claim a <{}> ; ?p ?value .\n}}"
)

#: Publication date of every source document (the first day of its date's period).
DOCUMENT_DATES_QUERY = sparql_prologue() + (
    "SELECT ?document ?date WHERE {\n  ?document a akg:SourceDocument ; dcterms:date ?date .\n}"
)

#: Founding days: dated founding events in force, and the entity each founded.
FOUNDING_QUERY = sparql_prologue() + (
    "SELECT ?entity ?date WHERE {\n"
    "  ?claim a akg:EventClaim ; akg:event ?event ; akg:date ?date .\n"
    "  ?event akg:eventKind akg:Founding .\n"
    "  { ?claim akg:subject ?entity }\n"
    "  UNION { ?claim akg:participant ?entity FILTER NOT EXISTS { ?claim akg:subject ?any } }\n"
    "  FILTER NOT EXISTS { ?claim akg:status ?status .\n"
    "    FILTER(?status NOT IN (akg:OfficialStatement, akg:HistoricalFact)) }\n"
    "}"
)

#: Claims of any class that supersede another claim: their facts, by property.
SUPERSEDER_FACTS_QUERY = sparql_prologue() + (
    "SELECT ?claim ?property ?value WHERE {\n"
    "  ?claim akg:supersedes ?old .\n"
    "  ?claim ?property ?value .\n"
    "  FILTER(!isBlank(?value))\n"
    "}"
)

#: The documents of the claims that supersede another claim.
SUPERSEDER_EVIDENCE_QUERY = sparql_prologue() + (
    "SELECT DISTINCT ?claim ?document WHERE {\n"
    "  ?claim akg:supersedes ?old ; prov:wasDerivedFrom ?resource .\n"
    "  ?resource oa:hasSource ?document .\n"
    "}"
)

#: The evidence of every claim: document and offsets. One pass for every class (bound to a
#: class, Oxigraph scanned every resource once per class: 19 scans for the ``all`` projection).
EVIDENCE_QUERY = sparql_prologue() + (
    "SELECT ?claim ?document ?start ?end WHERE {\n"
    "  ?claim prov:wasDerivedFrom ?resource .\n"
    "  ?resource oa:hasSource ?document .\n"
    "  OPTIONAL { ?resource oa:hasSelector ?selector .\n"
    "             ?selector oa:start ?start ; oa:end ?end . }\n"
    "}"
)

_NUMERIC = {
    str(XSD.decimal),
    str(XSD.double),
    str(XSD.float),
}
_INTEGER = re.compile(r"^http://www\.w3\.org/2001/XMLSchema#(.*[iI]nteger|long|int|short|byte)$")


def _plain(term: Any) -> Any:
    """An RDF term (rdflib or pyoxigraph) as a plain Python value.

    IRIs become ``str``, blank nodes ``"_:id"``, numbers ``float``/``int``, ``xsd:date``
    a ``datetime.date``, ``xsd:boolean`` a ``bool``, other literals their text.
    """
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef | pyoxigraph.NamedNode):
        return str(term) if isinstance(term, rdflib.URIRef) else term.value
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, rdflib.Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, rdflib.Literal):  # ill-typed or unknown datatype
            return str(term)
        return value
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        text = term.value
        try:
            if datatype in _NUMERIC:
                return float(text)
            if _INTEGER.match(datatype):
                return int(text)
            if datatype == str(XSD.boolean):
                return text.strip() in ("true", "1")
            if datatype == str(XSD.date):
                return date.fromisoformat(text[:10])
        except ValueError:
            return text
        return text
    return str(term)


_LITERAL_VALUES: dict[str, Any] = {
    str(XSD.string): str,
    **{datatype: float for datatype in _NUMERIC},
    str(XSD.integer): int,
    str(XSD.date): lambda text: date.fromisoformat(text[:10]),
}


def plain_value(term: Any) -> Any:
    """A pyoxigraph term (or ``None``) as the plain Python value the projections hold: an
    IRI its ``str``, a blank node ``"_:id"``, a number ``float``/``int``, an ``xsd:date`` a
    ``datetime.date``, other literals their text.

    >>> plain_value(pyoxigraph.Literal("2024-03-01", datatype=pyoxigraph.NamedNode(str(XSD.date))))
    datetime.date(2024, 3, 1)
    """
    kind = type(term)
    if kind is pyoxigraph.NamedNode:
        return term.value
    if kind is pyoxigraph.Literal and term.language is None:
        convert = _LITERAL_VALUES.get(term.datatype.value)
        if convert is not None:
            try:
                return convert(term.value)
            except ValueError:
                return term.value
    return _plain(term)


def _oxigraph_term(value: Any) -> Any:
    if isinstance(value, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal):
        return value
    if isinstance(value, rdflib.Literal):
        if value.language:
            return pyoxigraph.Literal(str(value), language=value.language)
        if value.datatype:
            return pyoxigraph.Literal(str(value), datatype=pyoxigraph.NamedNode(value.datatype))
        return pyoxigraph.Literal(str(value))
    return pyoxigraph.NamedNode(str(value))


def _rdflib_term(value: Any) -> Any:
    if isinstance(value, rdflib.term.Identifier):
        return value
    return rdflib.URIRef(str(value))


def _union_view(source: Source) -> Source:
    """An rdflib ``Dataset`` whose default graph is the union of its graphs, like the store."""
    if isinstance(source, rdflib.Dataset) and not source.default_union:
        return rdflib.Dataset(store=source.store, default_union=True)
    return source


def _select(
    source: Source, sparql: str, bindings: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run a SELECT on an rdflib graph or a pyoxigraph store; rows of plain Python values.

    ``bindings`` maps variable names (without ``?``) to IRIs (``str``/``URIRef``) or
    rdflib ``Literal``s; they are bound by the engine (``initBindings`` /
    ``substitutions``), never pasted into the text. A pyoxigraph store is queried with its
    default graph as the union of all named graphs; so is an rdflib ``Dataset``. A store
    (:class:`~automaker_kg.graphstore.GraphStore`: local, in memory or remote) is read by
    :func:`_select_direct`, whose Oxigraph terms become plain values without an rdflib term
    in between (the projection's rows number in the hundreds of thousands at a million
    triples); other sources run through
    :func:`automaker_kg.queries.select` (the project's one query runner). Unbound columns
    are ``None`` or left out.
    """
    if isinstance(source, GraphStore):  # local, in memory or remote: Oxigraph's terms
        return _select_direct(source, sparql, bindings)
    try:
        from automaker_kg.queries import select
    except ImportError:  # pragma: no cover - a package without the query library
        return _select_direct(source, sparql, bindings)
    terms = {k: _rdflib_term(v) for k, v in (bindings or {}).items()}
    with warnings.catch_warnings():
        # rdflib's own Dataset code calls its deprecated default_context (rdflib 7.1+).
        warnings.filterwarnings("ignore", "Dataset.default_context", DeprecationWarning)
        rows = select(_union_view(source), sparql, terms)
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def _select_direct(
    source: Source, sparql: str, bindings: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """:func:`_select` without the query library: each engine's own binding mechanism."""
    bindings = dict(bindings or {})
    try:
        if isinstance(source, GraphStore):
            solutions = source.query(
                sparql,
                use_default_graph_as_union=True,
                substitutions={
                    pyoxigraph.Variable(k): _oxigraph_term(v) for k, v in bindings.items()
                },
            )
            names = [v.value for v in solutions.variables]
            return [dict(zip(names, map(plain_value, row), strict=True)) for row in solutions]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Dataset.default_context", DeprecationWarning)
            graph = _union_view(source)
            assert isinstance(graph, rdflib.Graph)  # a store took the branch above
            result = graph.query(
                sparql, initBindings={k: _rdflib_term(v) for k, v in bindings.items()}
            )
            names = [str(v) for v in result.vars or []]
            return [
                {n: _plain(row[n]) for n in names}
                for row in result
                if isinstance(row, rdflib.query.ResultRow)
            ]
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"query failed: {exc}") from exc


def _snake(iri: str | None) -> str:
    """``...#TechnologicalSupport`` -> ``technological_support``."""
    if not iri:
        return ""
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", local).lower()


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


_NAME_ORDER = {str(RDFS.label): 0, str(SKOS.prefLabel): 1, str(SKOS.altLabel): 2}


class _Entities:
    """Labels, aliases and kinds of the entities a source describes."""

    def __init__(
        self,
        source: Source,
        only: Iterable[str] | None = None,
        scans: Mapping[str, list[NameRow]] | None = None,
        *,
        with_names: bool = True,
    ) -> None:
        self.types: dict[str, AbstractSet[str]] = {}
        self.names: dict[str, list[tuple[int, int, str]]] = {}
        self._kinds: dict[str, str | None] = {}  # of the types read above, as asked for
        if only is not None:  # these IRIs only, read by pattern from a store
            assert isinstance(source, pyoxigraph.Store)
            self._read(source, only)
            return
        if isinstance(source, GraphStore):
            self._read_types(source)
            if with_names:  # else read_names later, for the entities that need them
                self.read_names(source, scans)
            return
        for row in _select(source, ENTITIES_QUERY):
            self.types.setdefault(row["entity"], set()).add(row["type"])  # type: ignore[attr-defined]
        names: dict[str, list[tuple[int, int, str]]] = {}
        for row in _select(source, NAMES_QUERY):
            if row["entity"] not in self.types:
                continue
            prop, lang = row["property"], str(row.get("lang") or "")
            rank = (
                _NAME_ORDER.get(prop, 9),
                0 if lang in ("", "en") or lang.startswith("en-") else 1,
            )
            names.setdefault(row["entity"], []).append((*rank, str(row["name"])))
        self.names = {e: sorted(set(n)) for e, n in names.items()}

    def _read_types(self, store: GraphStore) -> None:
        """The types ENTITIES_QUERY reads, one row at a time, each entity's a set shared by
        every entity of the same classes (at 100k GLEIF records, a set and a row of
        Python values each made 40 MB)."""
        try:
            rows = store.query(ENTITIES_QUERY, use_default_graph_as_union=True)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        shared: dict[frozenset[str], frozenset[str]] = {}
        types, empty = self.types, frozenset[str]()
        for entity, cls in rows:
            key = entity.value if type(entity) is pyoxigraph.NamedNode else _plain(entity)
            found = frozenset(types.get(key, empty)) | {cls.value}
            types[key] = shared.setdefault(found, found)

    def read_names(
        self,
        store: GraphStore,
        scans: Mapping[str, list[NameRow]] | None = None,
        subjects: Iterable[str] | None = None,
    ) -> None:
        """The names NAMES_QUERY reads, one scan per name property keeping the entities'
        (no row per claim label is made: a third of the time at 1M triples), or from
        ``scans`` of them when given (:func:`automaker_kg.queries.name_scans`);
        ``subjects``: of these entities only (the others' are not needed)."""
        from automaker_kg.queries import name_scans

        names: dict[str, set[tuple[int, int, str]]] = {}
        types = self.types
        if subjects is not None:
            types = {s: types[s] for s in subjects if s in types}
        scans = scans if scans is not None else name_scans(store, set(types))
        for prop, order in _NAME_ORDER.items():
            for entity, rank, name, _ in scans[prop]:
                if entity in types:
                    names.setdefault(entity, set()).add((order, rank, name))
        self.names = {e: sorted(n) for e, n in names.items()}

    def _read(self, store: pyoxigraph.Store, iris: Iterable[str]) -> None:
        """The types and names of ``iris`` as ENTITIES_QUERY and NAMES_QUERY read them."""
        rdf_type = pyoxigraph.NamedNode(RDF_TYPE)
        properties = [(pyoxigraph.NamedNode(p), n) for p, n in _NAME_ORDER.items()]
        names: dict[str, list[tuple[int, int, str]]] = {}
        for iri in iris:
            if iri.startswith("_:"):
                continue
            try:
                node = pyoxigraph.NamedNode(iri)
            except ValueError:  # a literal's text
                continue
            types = {
                q.object.value
                for q in store.quads_for_pattern(node, rdf_type, None)
                if isinstance(q.object, pyoxigraph.NamedNode) and q.object.value in NODE_KINDS
            }
            if not types:
                continue
            self.types[iri] = types
            for prop, order in properties:
                for q in store.quads_for_pattern(node, prop, None):
                    lang = q.object.language if isinstance(q.object, pyoxigraph.Literal) else None
                    lang = lang or ""
                    rank = (order, 0 if lang in ("", "en") or lang.startswith("en-") else 1)
                    names.setdefault(iri, []).append((*rank, str(plain_value(q.object))))
        self.names = {e: sorted(set(n)) for e, n in names.items()}

    def kind(self, iri: str) -> str | None:
        """The node kind of an entity's most specific class (once per entity: an edge asks
        about both its ends, and a node is the end of many edges)."""
        if iri in self._kinds:
            return self._kinds[iri]
        types = self.types.get(iri)
        found = next((k for cls, k in NODE_KINDS.items() if cls in types), None) if types else None
        self._kinds[iri] = found
        return found

    def label(self, iri: str) -> str:
        names = self.names.get(iri)
        if names:
            return names[0][-1]
        return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def aliases(self, iri: str) -> list[str]:
        label = self.label(iri)
        return sorted({n[-1] for n in self.names.get(iri, []) if n[-1] != label})


# The properties every claim's edge reads, as plain strings (facts are keyed by str).
_STATUS, _VALID_FROM, _VALID_TO = str(AKG.status), str(AKG.validFrom), str(AKG.validTo)
_DATE, _SUPERSEDES = str(AKG.date), str(AKG.supersedes)
_EQUITY_STAKE, _HOLDER, _TARGET = str(AKG.EquityStake), str(AKG.holder), str(AKG.target)
_INTEREST_TYPE, _SHAREHOLDING = str(AKG.interestType), str(AKG.Shareholding)
RDF_TYPE = str(RDF.type)
_LABEL = str(RDFS.label)
_SHARES = (
    ("share", str(AKG.shareExact)),
    ("share_min", str(AKG.shareMinimum)),
    ("share_max", str(AKG.shareMaximum)),
)


#: Relations whose edges carry share / share_min / share_max.
_SHARE_RELATIONS = frozenset(
    {
        "shareholding",
        "voting_rights",
        "held_in_trust",
        "trustee",
        "lock_up",
        "minimum_holding",
        "standstill",
    }
)
#: Sheet words of the concepts new relations are named after (the rest is _snake of the IRI).
_RELATION_NAMES = {
    str(AKG.FinishedVehicleSupply): "vehicle_supply",
    str(AKG.DirectorSeat): "director_seat",
    str(AKG.ObserverSeat): "observer_seat",
    str(AKG.ChairSeat): "chair_seat",
}


class _Terms:
    """A namespace's terms, each made once: ``AKG.x`` makes a new ``URIRef`` at each use
    (1.5 us; 0.7M uses while the claims of 1M generated triples become edges)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> rdflib.URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


_AKG, _ORG = _Terms(AKG), _Terms(ORG)


class _Claim:
    """The facts of one claim, by property IRI."""

    def __init__(self, iri: str) -> None:
        self.iri = iri
        self.facts: dict[str, list[Any]] = {}
        self.evidence: list[tuple[str, Any, Any]] = []

    def all(self, prop: rdflib.URIRef | str) -> list[Any]:
        return sorted(self.facts.get(str(prop), ()), key=str)

    def one(self, prop: rdflib.URIRef | str) -> Any:
        values = self.facts.get(str(prop))
        if not values:
            return None
        return values[0] if len(values) == 1 else min(values, key=str)

    def time(
        self,
        published: Mapping[str, date],
        known: Callable[[str], bool],
        entities: Iterable[str] | None = None,
    ) -> temporal.ClaimTime:
        """What :mod:`automaker_kg.temporal` reads of this claim."""
        days = [published[d] for d, _, _ in self.evidence if d in published]
        named = (
            entities
            if entities is not None
            else {str(v) for values in self.facts.values() for v in values if known(str(v))}
        )
        return self.time_known(min(days) if days else None, named)

    def time_known(self, published: date | None, entities: Iterable[str]) -> temporal.ClaimTime:
        """:meth:`time` of a claim known from ``published`` that names ``entities``."""
        facts = self.facts
        subject = value = None
        is_stake = _EQUITY_STAKE in {str(t) for t in facts.get(RDF_TYPE, ())}
        if is_stake and _HOLDER in facts and _TARGET in facts:
            subject = (
                str(self.one(_HOLDER)),
                str(self.one(_TARGET)),
                str(self.one(_INTEREST_TYPE) or _SHAREHOLDING),
            )
            value = tuple(_float_or_none(self.one(prop)) for _, prop in _SHARES)
        supersedes = facts.get(_SUPERSEDES)
        return temporal.ClaimTime(
            iri=self.iri,
            status=STATUS.get(str(self.one(_STATUS))),
            valid_from=parse_day(self.one(_VALID_FROM)),
            valid_to=parse_day(self.one(_VALID_TO)),
            date=parse_day(self.one(_DATE)),
            published=published,
            supersedes=tuple(str(v) for v in sorted(supersedes, key=str)) if supersedes else (),
            subject=subject,
            value=value,  # type: ignore[arg-type]
            entities=tuple(sorted(entities)),
        )

    def attrs(self, relation: str) -> dict[str, Any]:
        """The edge attributes but the time rules' reading (:class:`EdgeTime` adds it)."""
        documents = sorted({doc for doc, _, _ in self.evidence})
        pointers = sorted(
            {
                f"{doc}#{start}-{end}" if start is not None and end is not None else doc
                for doc, start, end in self.evidence
            }
        )
        label = self.one(_LABEL)
        attrs: dict[str, Any] = {
            "relation": relation,
            "share": None,
            "share_min": None,
            "share_max": None,
            "claim": self.iri,
            "status": STATUS.get(str(self.one(_STATUS)), None),
            "valid_from": _iso(self.one(_VALID_FROM)),
            "valid_to": _iso(self.one(_VALID_TO)),
            "label": str(label) if label is not None else None,
            "source": documents[0] if documents else None,
            "evidence": pointers,
        }
        if relation in _SHARE_RELATIONS:
            for key, prop in _SHARES:
                value = self.one(prop)
                attrs[key] = float(value) if value is not None else None
        return attrs


def _float_or_none(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _document_dates(source: Source, documents: Iterable[str] | None = None) -> dict[str, date]:
    """Each source document's publication day (of ``documents`` only, when given)."""
    if documents is None:
        rows = _select(source, DOCUMENT_DATES_QUERY)
    else:
        rows = [
            row
            for document in sorted(documents)
            if not document.startswith("_:")
            for row in _select(source, DOCUMENT_DATES_QUERY, {"document": document})
        ]
    days: dict[str, date] = {}
    for row in rows:
        day = parse_day(row.get("date"))
        if day is not None and (row["document"] not in days or day < days[row["document"]]):
            days[row["document"]] = day
    return days


def founding_days(source: Source) -> dict[str, date]:
    """The founding day of each entity a dated founding event in force records."""
    return _founding_dates(source)


def _founding_dates(source: Source) -> dict[str, date]:
    days: dict[str, date] = {}
    for row in _select(source, FOUNDING_QUERY):
        day = parse_day(row.get("date"))
        if day is not None and (row["entity"] not in days or day < days[row["entity"]]):
            days[row["entity"]] = day
    return days


def _superseders(source: Source, have: set[str]) -> list[_Claim]:
    """Claims that supersede another, of any class, that the projection did not read."""
    claims: dict[str, _Claim] = {}
    for row in _select(source, SUPERSEDER_FACTS_QUERY):
        if row["claim"] in have:
            continue
        claim = claims.get(row["claim"])
        if claim is None:
            claim = claims[row["claim"]] = _Claim(row["claim"])
        values = claim.facts.setdefault(row["property"], [])
        if row["value"] not in values:
            values.append(row["value"])
    if claims:
        for row in _select(source, SUPERSEDER_EVIDENCE_QUERY):
            if row["claim"] in claims:
                claims[row["claim"]].evidence.append((row["document"], None, None))
    return list(claims.values())


def timeline(
    source: Source,
    claims: Iterable[_Claim],
    *,
    known_on: date | None = None,
    entities: _Entities | None = None,
) -> dict[str, temporal.Standing]:
    """The time rules (:func:`automaker_kg.temporal.resolve`) applied to these claims.

    The claims of any class that supersede them are read from ``source`` too, so that a
    cancellation (an event) ends the plans it cancels in every projection.
    """
    records, founded = _time_inputs(source, claims, entities or _Entities(source))
    return temporal.resolve(records, known_on=known_on, founded=founded)


def _time_inputs(
    source: Source, claims: Iterable[_Claim], entities: _Entities
) -> tuple[list[temporal.ClaimTime], dict[str, date]]:
    """The claims (and those of any class that supersede them) as the time rules read
    them, and the founding days."""
    claims = list(claims)
    published = _document_dates(source)
    others = _superseders(source, {c.iri for c in claims})

    def known(iri: str) -> bool:
        return iri in entities.types

    records = [c.time(published, known) for c in [*claims, *others]]
    return records, _founding_dates(source)


# The timeline graph: the bitemporal table of every claim (temporal.segments), which the
# build loads into graph/timeline so that SPARQL (the library queries taking as_of and
# known_on, the endpoint) answers by the same rules as project(). Derived in bounded memory:
# one streamed query reads the time facts of every claim (Oxigraph gives a claim's rows one
# after another, so a claim is complete when the next begins); a claim no other can affect
# (it supersedes none, none supersedes it, it is no stake) is placed in time at once
# (temporal.alone) and its rows written out; only the claims linked by supersession or a
# stake's subject are held and resolved in their groups at the end. Python's memory grows
# with the linked claims, not with all of them (a GLEIF golden copy's consolidation
# relations stream through); Oxigraph holds the OPTIONAL's rows, encoded, while it joins
# them to the claims (at 1M generated triples about 70 MB). The rows go to a
# spooled file and come back in pieces cut at line ends, so the bulk loader's batches stay
# small. Should a claim's rows ever come apart in the stream, it is seen twice and the table
# is derived again with every claim's rows gathered first: the same table, the slower road.

_DERIVED_FROM_IRI = str(PROV.wasDerivedFrom)
_HAS_SOURCE_NODE = pyoxigraph.NamedNode(str(OA.hasSource))
_TIME_PROPERTY_IRIS: tuple[str, ...] = (
    *(
        str(AKG[name])
        for name in (
            "status validFrom validTo date supersedes holder target interestType shareExact"
            " shareMinimum shareMaximum"
        ).split()
    ),
    _DERIVED_FROM_IRI,
    RDF_TYPE,  # of akg:EquityStake only
)
"""The properties TIME_CLAIMS_QUERY reads, by the number its rows give each."""


#: What the time rules read of every claim with a status: its facts of a few properties,
#: ``rdf:type akg:EquityStake`` when it is a stake (its other classes change nothing) and
#: the resources it is derived from, claim after claim (bind ``?claim`` for one claim).
#: ``?property`` is the property's number in :data:`_TIME_PROPERTY_IRIS`, not its IRI:
#: Oxigraph looks an IRI up in its dictionary at each row, and holds a small number in
#: the row itself (at 1M generated triples, 239k rows: the properties' IRIs took about 1 s
#: of the query's 3.5 s of CPU on a loaded machine).
#: (Joining the resources to their documents' dates here, or reading each property in a
#: branch of its own, was up to 3x faster at 1M generated triples, but Oxigraph then held
#: 140 MB more while joining a 300k-record GLEIF store's claims.)
TIME_CLAIMS_QUERY = sparql_prologue() + (
    "SELECT ?claim ?property ?value WHERE {\n"
    "  ?claim akg:status ?status .\n"
    "  OPTIONAL { ?claim ?p ?value .\n"
    f"    FILTER(?p IN ({', '.join(f'<{iri}>' for iri in _TIME_PROPERTY_IRIS[:-1])})\n"
    "           || (?p = rdf:type && ?value = akg:EquityStake)) }\n"
    f"  BIND({_numbered('?p', _TIME_PROPERTY_IRIS)} AS ?property)\n"
    "}"
)
#: The documents of one evidence resource (bind ``?resource``).
RESOURCE_SOURCES_QUERY = sparql_prologue() + (
    "SELECT ?resource ?document WHERE { ?resource oa:hasSource ?document . }"
)
#: The claims that name one entity (bind ``?entity``), in any role.
CLAIMS_NAMING_QUERY = sparql_prologue() + (
    "SELECT DISTINCT ?claim ?entity WHERE { ?claim ?property ?entity ; akg:status ?status . }"
)
#: The entities (IRIs) one claim with a status names, in any role (bind ``?claim``).
NAMED_BY_CLAIM_QUERY = sparql_prologue() + (
    "SELECT DISTINCT ?claim ?entity WHERE {\n"
    "  ?claim ?property ?entity ; akg:status ?status . FILTER(isIRI(?entity))\n"
    "}"
)
#: The claims another claim supersedes.
SUPERSEDED_QUERY = sparql_prologue() + (
    "SELECT DISTINCT ?old WHERE { ?claim akg:supersedes ?old . }"
)

TIMELINE_PIECE = 32_000_000
"""Bytes of N-Triples (about 250,000 triples) handed to the bulk loader at a time: Oxigraph's
bulk loader keeps up to a million quads per thread in memory."""

_TimeFacts = dict[str, list[Any]]
"""A claim's rows: the plain values of each property (the engine's terms of the resources
it is derived from)."""

_EVIDENCE_CACHED = 65_536
"""Evidence resources whose publication day is remembered at a time (a GLEIF file has one
resource for all its records; a BODS file one per statement)."""


class _Ungrouped(Exception):
    """A claim's rows came apart in the stream: gather them first instead."""


def timeline_pieces(
    source: Source,
    claims: Iterable[str] | None = None,
    *,
    founded: Mapping[str, date] | None = None,
    size: int | None = None,
) -> Iterator[bytes]:
    """The bitemporal table of every claim as N-Triples, in pieces of about ``size`` bytes
    (default :data:`TIMELINE_PIECE`) cut at line ends.

    ``claims``: the rows of these claims (IRIs) only, which must hold every claim that can
    change their standing (supersession, the same subject: what :mod:`automaker_kg.rederive`
    gives); ``founded``: the founding days, when known (not read again).
    """
    size = size or TIMELINE_PIECE
    with tempfile.SpooledTemporaryFile(max_size=size) as out:
        only = None if claims is None else sorted(set(claims))
        try:
            _derive_timeline(source, only, founded, out, stream=only is None)
        except _Ungrouped:
            out.seek(0)
            out.truncate()
            _derive_timeline(source, only, founded, out, stream=False)
        out.seek(0)
        while chunk := out.read(size):
            yield chunk + out.readline()  # to the end of the line cut


def timeline_ntriples(
    source: Source,
    claims: Iterable[str] | None = None,
    *,
    founded: Mapping[str, date] | None = None,
) -> bytes:
    """:func:`timeline_pieces` as one bytes object.

    >>> import rdflib
    >>> timeline_ntriples(rdflib.Dataset())
    b''
    """
    return b"".join(timeline_pieces(source, claims, founded=founded))


def _derive_timeline(
    source: Source,
    only: list[str] | None,
    founded: Mapping[str, date] | None,
    out: IO[bytes],
    *,
    stream: bool,
) -> None:
    """Write the table's N-Triples to ``out``: unlinked claims as they come, the rest last."""
    founded = dict(founded) if founded is not None else _founding_dates(source)
    naming = _timeline_naming(source, only, founded)
    day_of = _EvidenceDays(source, None if only is None else {})
    superseded = {row["old"] for row in _select(source, SUPERSEDED_QUERY)} if only is None else None
    held: list[temporal.ClaimTime] = []
    lines: list[str] = []
    for iri, facts in _time_rows(source, only, stream):
        record = _time_record(iri, facts, day_of, naming.get(iri, ()))
        if superseded is None or record.supersedes or record.subject or iri in superseded:
            held.append(record)
            continue
        _standing_lines(temporal.alone(record, founded), lines)
        if len(lines) > 20_000:
            out.write(("\n".join(lines) + "\n").encode("utf-8"))
            lines.clear()
    _standing_lines(temporal.segments(held, founded=founded), lines)
    if lines:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))


def _timeline_naming(
    source: Source, only: list[str] | None, founded: Mapping[str, date]
) -> dict[str, set[str]]:
    """The founded entities each claim names (no fact about one holds before its founding)."""
    naming: dict[str, set[str]] = {}
    if only is None:
        for entity in founded:
            for row in _select(source, CLAIMS_NAMING_QUERY, {"entity": entity}):
                naming.setdefault(row["claim"], set()).add(entity)
    else:
        for iri in only:
            for row in _select(source, NAMED_BY_CLAIM_QUERY, {"claim": iri}):
                if row["entity"] in founded:
                    naming.setdefault(row["claim"], set()).add(row["entity"])
    return naming


def _time_rows(
    source: Source, only: list[str] | None, stream: bool
) -> Iterator[tuple[str, _TimeFacts]]:
    """Each claim with a status and its rows of :data:`TIME_CLAIMS_QUERY`.

    From a store, read as they come (``only``: one query per claim), a claim complete when
    the next begins; ``stream`` false gathers every row first (and so does any other
    source). Raises :class:`_Ungrouped` when a claim's rows come apart in the stream.
    """
    if not isinstance(source, pyoxigraph.Store):
        gathered: dict[str, _TimeFacts] = {}
        bindings = [{}] if only is None else [{"claim": iri} for iri in only]
        for bound in bindings:
            for r in _select(source, TIME_CLAIMS_QUERY, bound):
                facts = gathered.setdefault(r.get("claim") or bound["claim"], {})
                if r.get("property") is not None:
                    prop = _TIME_PROPERTY_IRIS[r["property"]]
                    facts.setdefault(prop, []).append(r["value"])
        yield from gathered.items()
        return
    if only is not None:
        for iri in only:
            yield from _grouped_time_rows(_store_time_rows(source, iri))
    elif stream:
        yield from _grouped_time_rows(_store_time_rows(source, None))
    else:
        gathered = {}
        for iri, facts in _grouped_time_rows(_store_time_rows(source, None), check=False):
            into = gathered.setdefault(iri, {})
            for prop, values in facts.items():
                into.setdefault(prop, []).extend(values)
        yield from gathered.items()


def _store_time_rows(store: pyoxigraph.Store, claim: str | None) -> Iterable[Any]:
    """The rows of :data:`TIME_CLAIMS_QUERY` as the store gives them (Oxigraph's terms)."""
    variable = pyoxigraph.Variable("claim")
    try:
        node = None if claim is None else pyoxigraph.NamedNode(claim)
        solutions = store.query(
            TIME_CLAIMS_QUERY,
            use_default_graph_as_union=True,
            substitutions=None if node is None else {variable: node},
        )
    except ValueError as exc:
        raise QueryError(f"query failed: {exc}") from exc
    assert isinstance(solutions, pyoxigraph.QuerySolutions)  # a SELECT
    if node is None:
        return solutions  # each solution unpacks to its three terms
    return ((node, prop, value) for _, prop, value in solutions)


def _grouped_time_rows(
    rows: Iterable[Any], *, check: bool = True
) -> Iterator[tuple[str, _TimeFacts]]:
    """Consecutive rows of one claim as one claim; with ``check``, raises
    :class:`_Ungrouped` when a claim comes back after another."""
    seen: set[int] = set()
    current: str | None = None
    facts: _TimeFacts = {}
    named, plain = pyoxigraph.NamedNode, plain_value
    numbered = {str(n): iri for n, iri in enumerate(_TIME_PROPERTY_IRIS)}
    for claim, prop, value in rows:
        iri = claim.value if type(claim) is named else plain(claim)
        if iri != current:
            if current is not None:
                yield current, facts
            if check:
                hashed = hash(iri)
                if hashed in seen:
                    raise _Ungrouped(iri)
                seen.add(hashed)
            current, facts = iri, {}
        if prop is not None:
            iri_of = numbered[prop.value]
            value = value if iri_of == _DERIVED_FROM_IRI else plain(value)
            values = facts.get(iri_of)
            if values is None:
                facts[iri_of] = [value]
            else:
                values.append(value)
    if current is not None:
        yield current, facts


class _EvidenceDays:
    """The earliest publication day of the documents behind an evidence resource.

    ``documents``: ``None`` reads every document's day at once (the whole table); a dict
    reads each document's day when first asked, kept there (a few claims). A store is asked
    for a resource's documents when it is first met (a GLEIF file has one resource for all
    its records); another source for every resource's at once.
    """

    def __init__(self, source: Source, documents: dict[str, date | None] | None) -> None:
        self.source = source
        self.lazy = documents is not None
        self.documents: Mapping[str, date | None] = (
            documents if documents is not None else _document_dates(source)
        )
        self.days: dict[Any, date | None] = {}
        self.all: dict[Any, list[str]] | None = None
        if not isinstance(source, pyoxigraph.Store):
            self.all = {}
            for row in _select(source, RESOURCE_SOURCES_QUERY):
                self.all.setdefault(row["resource"], []).append(row["document"])

    def _sources(self, resource: Any) -> list[str]:
        if self.all is not None:
            return self.all.get(resource, [])
        assert isinstance(self.source, pyoxigraph.Store)
        if not isinstance(resource, pyoxigraph.NamedNode | pyoxigraph.BlankNode):
            return []  # a literal: no resource
        quads = self.source.quads_for_pattern(resource, _HAS_SOURCE_NODE, None)
        return [plain_value(q.object) for q in quads]

    def _published(self, document: str) -> date | None:
        if self.lazy and document not in self.documents:
            assert isinstance(self.documents, dict)
            self.documents[document] = _document_dates(self.source, [document]).get(document)
        return self.documents.get(document)

    def __call__(self, resource: Any) -> date | None:
        """The earliest publication day of the documents behind ``resource`` (a store's
        term, another source's plain value); ``None`` when none is dated."""
        if not self.lazy and not self.documents:
            return None  # no document is dated: nothing to look up
        if resource not in self.days:
            if len(self.days) >= _EVIDENCE_CACHED:
                self.days.clear()
            found = [self._published(d) for d in self._sources(resource)]
            self.days[resource] = min((d for d in found if d is not None), default=None)
        return self.days[resource]


def _time_record(
    iri: str, facts: _TimeFacts, day_of: _EvidenceDays, entities: Iterable[str]
) -> temporal.ClaimTime:
    """The :class:`~automaker_kg.temporal.ClaimTime` of one claim's rows, read as
    :meth:`automaker_kg.projections._Claim.time` reads a claim: known from the earliest
    publication day of the documents behind its evidence resources."""
    claim = _Claim(iri)
    days = [d for d in map(day_of, facts.pop(_DERIVED_FROM_IRI, ())) if d is not None]
    claim.facts = facts
    return claim.time_known(min(days) if days else None, entities)


_STANDING_IRI = {
    temporal.IN_FORCE: str(AKG.InForce),
    temporal.PLANNED: str(AKG.Planned),
    temporal.REPORTED: str(AKG.Reported),
}
_NT_DATE_TYPE = "<http://www.w3.org/2001/XMLSchema#date>"
_NT_TYPE, _NT_STANDING = f"<{RDF_TYPE}> <{AKG.Standing}>", f"<{AKG.standing}>"
_NT_OF_CLAIM = f"<{AKG.ofClaim}>"
_NT_DAYS = tuple(f"<{p}>" for p in (AKG.shownFrom, AKG.shownUntil, AKG.knownFrom, AKG.knownUntil))


def _standing_lines(rows: list[temporal.Segment], lines: list[str]) -> None:
    """Append the N-Triples of ``rows`` (sorted as :func:`temporal.segments` gives them, every
    row of a claim among them): a node ``<claim/standing/n>`` per row."""
    counter: dict[str, int] = {}
    for seg in rows:
        n = counter[seg.claim] = counter.get(seg.claim, 0) + 1
        node = f"<{seg.claim}/standing/{n}>"
        lines.append(f"{node} {_NT_TYPE} .")
        lines.append(f"{node} {_NT_OF_CLAIM} <{seg.claim}> .")
        lines.append(f"{node} {_NT_STANDING} <{_STANDING_IRI[seg.standing]}> .")
        days = (seg.start, seg.end, seg.known_from, seg.known_until)
        for prop, day in zip(_NT_DAYS, days, strict=True):
            if day is not None:
                lines.append(f'{node} {prop} "{day.isoformat()}"^^{_NT_DATE_TYPE} .')


def _pairs_of(source: GraphStore, predicate: str) -> Iterator[tuple[Any, Any]]:
    """``(subject, object)`` of every triple of ``predicate`` (an IRI from this module), as
    Oxigraph's terms, once per match as in a pattern of a larger query; one at a time."""
    from automaker_kg.queries import solutions

    # each a solution of two terms: ``for s, o in ...`` unpacks it
    yield from solutions(source, f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}")


def _evidence_store(
    source: GraphStore, claims: Container[str] | None = None
) -> dict[str, list[tuple[str, Any, Any]]]:
    """EVIDENCE_QUERY's rows read as one scan per property and joined here: Oxigraph's own
    join (the OPTIONAL above all) takes 4x as long. Of the ``claims`` only when given:
    only their resources, selectors and offsets are kept (a GLEIF build's claims, which
    the ``all`` projection does not read, are most of a store's)."""
    derived: list[tuple[str, Any]] = []
    for claim, resource in _pairs_of(source, _DERIVED_FROM.value):
        iri = plain_value(claim)
        if claims is None or iri in claims:
            derived.append((iri, resource))
    resources = {resource for _, resource in derived}
    documents: dict[Any, list[Any]] = {}
    for resource, document in _pairs_of(source, _OA + "hasSource"):
        if resource in resources:
            documents.setdefault(resource, []).append(document)
    selected: list[tuple[Any, Any]] = [
        (resource, selector)
        for resource, selector in _pairs_of(source, _OA + "hasSelector")
        if resource in documents
    ]
    selectors = {selector for _, selector in selected}
    starts: dict[Any, list[Any]] = {}
    for selector, start in _pairs_of(source, _OA + "start"):
        if selector in selectors:
            starts.setdefault(selector, []).append(start)
    ends: dict[Any, list[Any]] = {}
    for selector, end in _pairs_of(source, _OA + "end"):
        if selector in selectors:
            ends.setdefault(selector, []).append(end)
    offsets: dict[Any, list[tuple[Any, Any]]] = {}
    for resource, selector in selected:
        offsets.setdefault(resource, []).extend(
            (plain_value(start), plain_value(end))
            for start in starts.get(selector, ())
            for end in ends.get(selector, ())
        )
    found: dict[str, list[tuple[str, Any, Any]]] = {}
    for claim, resource in derived:
        for document in documents.get(resource, ()):
            found.setdefault(claim, []).extend(
                (plain_value(document), start, end)
                for start, end in offsets.get(resource) or [(None, None)]
            )
    return found


def _evidence(
    source: Source, claims: Container[str] | None = None
) -> dict[str, list[tuple[str, Any, Any]]]:
    """Every claim's evidence: ``(document, start, end)``, offsets ``None`` when unknown;
    of the ``claims`` only when given."""
    if isinstance(source, GraphStore):
        return _evidence_store(source, claims)
    found: dict[str, list[tuple[str, Any, Any]]] = {}
    for row in _select(source, EVIDENCE_QUERY):
        if claims is None or row["claim"] in claims:
            found.setdefault(row["claim"], []).append(
                (row["document"], row.get("start"), row.get("end"))
            )
    return found


def _claims(
    source: Source, cls: rdflib.URIRef, evidence: Mapping[str, list[tuple[str, Any, Any]]]
) -> list[_Claim]:
    """The claims of one class, sorted by IRI, with their facts and ``evidence``."""
    claims: dict[str, _Claim] = {}
    if isinstance(source, GraphStore):  # the rows straight to Python, without the class
        try:
            solutions = source.query(CLAIM_FACTS_OF.format(cls), use_default_graph_as_union=True)
            plain, blank, named = plain_value, pyoxigraph.BlankNode, pyoxigraph.NamedNode
            numbered = {str(n): iri for n, iri in enumerate(_CLAIM_PROPERTY_IRIS)}
            rows = [
                (plain(c), p.value if type(p) is named else numbered[p.value], plain(v))
                for c, p, v in solutions
                if type(v) is not blank
            ]
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        for iri, prop, value in rows:
            claim = claims.get(iri)
            if claim is None:
                claim = claims[iri] = _Claim(iri)
                claim.evidence.extend(evidence.get(iri, ()))
            claim.facts.setdefault(prop, []).append(value)
        return [claims[k] for k in sorted(claims)]
    for row in _select(source, CLAIM_FACTS_QUERY, {"class": cls}):
        claim = claims.get(row["claim"])
        if claim is None:
            claim = claims[row["claim"]] = _Claim(row["claim"])
            claim.evidence.extend(evidence.get(row["claim"], ()))
        claim.facts.setdefault(row["property"], []).append(row["value"])
    return [claims[k] for k in sorted(claims)]


class _Builder:
    """Lists the edges of the claims handed to :func:`_add_claim`, in that order."""

    def __init__(self, entities: _Entities) -> None:
        self.entities = entities
        self.group = ""
        self.edges: list[EdgeRecord] = []
        self.later: list[EdgeRecord] = []  # edges of a group of their own, after the class's

    def flush(self) -> None:
        """End a class: its edges of a group of their own follow its others."""
        self.edges.extend(self.later)
        self.later.clear()

    def edge(
        self,
        u: str,
        v: str,
        claim: _Claim,
        relation: str,
        kinds: tuple[str, str] = ("company", "company"),
        *,
        known_only: bool = False,
        group: str | None = None,
    ) -> None:
        if known_only and (self.entities.kind(u) is None or self.entities.kind(v) is None):
            return
        if u == v and known_only:
            return
        record = EdgeRecord(u, v, claim.iri, group or self.group, kinds, claim.attrs(relation))
        (self.later if group else self.edges).append(record)


def _pairs(values: Iterable[Any]) -> list[tuple[str, str]]:
    return list(combinations(sorted({str(v) for v in values}), 2))


def _add_claim(b: _Builder, cls: rdflib.URIRef, c: _Claim) -> None:
    if cls == _AKG.EquityStake:
        relation = _snake(c.one(_AKG.interestType)) or "shareholding"
        for holder in c.all(_AKG.holder):
            for target in c.all(_AKG.target):
                b.edge(holder, target, c, relation)
    elif cls in (_AKG.AllianceMembership, _AKG.JointVentureParticipation):
        for member in c.all(_ORG.member):
            for organization in c.all(_ORG.organization):
                target_kind = "alliance" if cls == _AKG.AllianceMembership else "joint_venture"
                b.edge(member, organization, c, "member", ("company", target_kind))
    elif cls == _AKG.DivisionRelation:
        for unit in c.all(_AKG.unit):
            for parent in c.all(_AKG.parentCompany):
                b.edge(unit, parent, c, "division_of", ("division", "company"))
    elif cls == _AKG.TechnologyArrangement:
        relation = _snake(c.one(_AKG.arrangementKind)) or "technology"
        technologies, recipients = c.all(_AKG.technology), c.all(_AKG.recipient)
        for provider in c.all(_AKG.provider):
            for technology in technologies:
                b.edge(provider, technology, c, relation, ("company", "technology"))
                for recipient in recipients:
                    b.edge(technology, recipient, c, relation, ("technology", "company"))
            if not technologies:
                for recipient in recipients:
                    b.edge(provider, recipient, c, relation)
    elif cls == _AKG.Contribution:
        relation = _snake(c.one(_AKG.contributionKind)) or "contribution"
        for contributor in c.all(_AKG.contributor):
            for beneficiary in c.all(_AKG.beneficiary):
                b.edge(contributor, beneficiary, c, relation)
    else:
        _add_other_claim(b, cls, c)


def _add_other_claim(b: _Builder, cls: rdflib.URIRef, c: _Claim) -> None:
    """Claims of the ``all`` projection; only links between known entities become edges."""
    links: list[tuple[str, str, str]] = []

    def fan(relation: str, sources: list[Any], targets: list[Any]) -> None:
        links.extend((relation, str(s), str(t)) for s in sources for t in targets)

    if cls == _AKG.MarketStrategy:
        fan("strategy", c.all(_AKG.actor), c.all(_AKG.market) + c.all(_AKG.technology))
        fan("excludes", c.all(_AKG.actor), c.all(_AKG.excludedPartner))
    elif cls == _AKG.PartnershipSearch:
        fan("seeks_partner", c.all(_AKG.seeker), c.all(_AKG.technology))
        fan("excludes", c.all(_AKG.seeker), c.all(_AKG.excludedPartner))
    elif cls == _AKG.JointProject:
        if c.all(_AKG.market):
            fan("joint_project", c.all(_AKG.participant), c.all(_AKG.market))
        else:
            links.extend(("joint_project", u, v) for u, v in _pairs(c.all(_AKG.participant)))
        for participant in c.all(_AKG.participant):
            for technology in c.all(_AKG.technology):
                b.edge(
                    str(participant),
                    str(technology),
                    c,
                    "joint_project",
                    ("company", "technology"),
                    known_only=True,
                    group=JOINT_PROJECT_TECHNOLOGY,
                )
    elif cls == _AKG.RoleClaim:
        fan("role", c.all(_ORG.member), c.all(_ORG.organization))
    elif cls == _AKG.RankingClaim:
        fan("ranking", c.all(_AKG.subject), c.all(_AKG.market))
    elif cls == _AKG.Assessment:
        assessors = c.all(_AKG.assessedBy) or c.all(_AKG.actor)
        targets = c.all(_AKG.counterpart) or c.all(_AKG.subject)
        fan(_snake(c.one(_AKG.assessmentKind)) or "assessment", assessors, targets)
    elif cls in (_AKG.HoldingCommitment, _AKG.TrustHolding):
        relation = (
            _snake(c.one(_AKG.commitmentKind)) or "holding_commitment"
            if cls == _AKG.HoldingCommitment
            else "held_in_trust"
        )
        fan(relation, c.all(_AKG.holder), c.all(_AKG.target))
        fan("trustee", c.all(_AKG.trustee), c.all(_AKG.target))
    elif cls == _AKG.VehicleSupply:
        kind = c.one(_AKG.supplyKind)
        relation = _RELATION_NAMES.get(str(kind)) or _snake(kind) or "vehicle_supply"
        fan(relation, c.all(_AKG.supplier), c.all(_AKG.recipient))
        fan("supplies_model", c.all(_AKG.supplier), c.all(_AKG.vehicle))
        fan("sells_model", c.all(_AKG.recipient), c.all(_AKG.rebadgedAs))
    elif cls == _AKG.BoardSeat:
        seat = c.one(_AKG.seatKind)
        relation = _RELATION_NAMES.get(str(seat)) or "board_seat"
        fan(relation, c.all(_AKG.appointedBy) + c.all(_ORG.member), c.all(_ORG.organization))
    elif cls in (_AKG.PlannedEvent, _AKG.EventClaim, _AKG.FloatedTarget):
        relation = {_AKG.PlannedEvent: "planned_event", _AKG.EventClaim: "event"}.get(
            cls, "floated_target"
        )
        links.extend((relation, u, v) for u, v in _pairs(c.all(_AKG.participant)))
        if cls == _AKG.EventClaim:
            fan("event", c.all(_AKG.participant), c.all(_AKG.place))
    for relation, u, v in links:
        b.edge(u, v, c, relation, known_only=True)


def project(
    source: Source,
    kind: Kind | str = "all",
    *,
    as_of: date | str | None = None,
    known_on: date | str | None = None,
) -> nx.MultiDiGraph:
    """Project the claims of ``source`` onto a networkx graph.

    Parameters
    ----------
    source : rdflib.Graph, rdflib.Dataset or pyoxigraph.Store
        The ontology need not be loaded; the taxonomy and ``graph/entities.ttl`` give nodes
        their labels and kinds.
    kind : {"all", "ownership", "technology", "alliances"}
        Which claims become edges (see the module docstring).
    as_of : datetime.date or ISO date str, optional
        Keep only the claims shown on that day by the time rules of
        :mod:`automaker_kg.temporal`: facts in force, and plans and reports current that
        day; each edge's ``standing`` says which ("in force", "planned", "reported").
    known_on : datetime.date or ISO date str, optional
        Answer from the sources published on or before that day only.

    Returns
    -------
    networkx.MultiDiGraph
        In the projection schema of the module docstring; ``G.graph`` holds ``kind``,
        ``as_of`` and ``known_on``. Every edge also carries the time rules' reading:
        ``standing``, ``spans`` (``[start, end, standing]`` lists: the valid dates on which
        the claim is shown, end exclusive, ``None`` open), ``known_from``, ``supersedes``,
        ``superseded_by``, ``instant`` and ``why``.

    Raises
    ------
    UnknownNameError
        for an unknown ``kind``.
    ParameterError
        when ``as_of`` is not an ISO date.
    QueryError
        when the source cannot be queried.

    Examples
    --------
    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ... @prefix akg: <https://w3id.org/automaker-kg/ontology#> .
    ... @prefix kg: <https://w3id.org/automaker-kg/id/> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ... kg:a a akg:Automaker ; rdfs:label "A" .
    ... kg:b a akg:Automaker ; rdfs:label "B" .
    ... kg:s a akg:EquityStake ; akg:holder kg:a ; akg:target kg:b ;
    ...     akg:interestType akg:Shareholding ; akg:shareExact 43.0 ;
    ...     akg:status akg:HistoricalFact ; akg:validFrom "2020-01-01"^^xsd:date ;
    ...     akg:validTo "2023-06-01"^^xsd:date .
    ... ''')
    >>> G = project(g, "ownership")
    >>> [(G.nodes[u]["label"], G.nodes[v]["label"], d["share"], d["status"], d["spans"])
    ...  for u, v, d in G.edges(data=True)]
    [('A', 'B', 43.0, 'historical', [['2020-01-01', '2023-06-01', 'in force']])]
    >>> project(g, "ownership", as_of="2023-06-01").number_of_edges()
    0
    """
    if kind not in _CLAIMS_BY_KIND:
        raise UnknownNameError("projection", str(kind), list(KINDS))
    day = parameter_date(as_of)
    known = parameter_date(known_on, "known_on")
    return assemble(gather(source, kind), kind, as_of=day, known_on=known)


def gather(
    source: Source,
    kind: Kind | str = "all",
    *,
    scans: Mapping[str, list[NameRow]] | None = None,
    names: Callable[[set[str]], Mapping[str, list[NameRow]]] | None = None,
) -> Gathered:
    """Read what the ``kind`` projection of ``source`` needs: its edges, nodes and claims.

    :func:`assemble` turns the result into the projection on any day, as known on any
    day; :mod:`automaker_kg.cache` keeps it with the store generation. ``scans``: a
    store's names already read (:func:`automaker_kg.queries.name_scans`); ``names``: the
    names of some subjects of a store, as ``name_scans`` gives them, read elsewhere
    (:meth:`automaker_kg.queries.NameStage.scans`: the edges' ends' are taken from it).
    """
    if kind not in _CLAIMS_BY_KIND:
        raise UnknownNameError("projection", str(kind), list(KINDS))
    # a store's names are read for the edges' ends only, once the edges are known
    later = isinstance(source, GraphStore) and scans is None
    entities = _Entities(source, scans=scans, with_names=not later)
    builder = _Builder(entities)
    claims, ranks = [], []
    read = [(rank, cls, _claims(source, cls, {})) for rank, cls in enumerate(_CLAIMS_BY_KIND[kind])]
    evidence = _evidence(source, {c.iri for _, _, found in read for c in found})
    for rank, cls, found in read:
        builder.group = str(cls)
        for claim in found:
            claim.evidence.extend(evidence.get(claim.iri, ()))
            claims.append(claim)
            ranks.append(rank)
            _add_claim(builder, cls, claim)
        builder.flush()
    del read, evidence
    records, founded = _time_inputs(source, claims, entities)
    ranks += [len(_CLAIMS_BY_KIND[kind])] * (len(records) - len(ranks))  # the superseders
    if later:
        assert isinstance(source, GraphStore)
        ends = {i for e in builder.edges for i in (e.u, e.v)}
        entities.read_names(source, None if names is None else names(ends), subjects=ends)
    return Gathered(_ends(builder.edges, entities), builder.edges, records, founded, ranks)


def _ends(
    edges: Iterable[EdgeRecord], entities: _Entities
) -> dict[str, tuple[str, str | None, list[str]]]:
    """The label, kind and aliases of the edges' ends, in the order they first end one."""
    nodes = {}
    for edge in edges:
        for iri in (edge.u, edge.v):
            if iri not in nodes:
                nodes[iri] = (entities.label(iri), entities.kind(iri), entities.aliases(iri))
    return nodes


_DERIVED_FROM = pyoxigraph.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_OA = "http://www.w3.org/ns/oa#"
_HAS_SOURCE, _HAS_SELECTOR = (
    pyoxigraph.NamedNode(_OA + "hasSource"),
    pyoxigraph.NamedNode(_OA + "hasSelector"),
)
_START, _END = pyoxigraph.NamedNode(_OA + "start"), pyoxigraph.NamedNode(_OA + "end")


def _evidence_of(
    store: pyoxigraph.Store, claim: pyoxigraph.NamedNode
) -> list[tuple[str, Any, Any]]:
    """EVIDENCE_QUERY's rows for one claim, read by pattern (bound to a claim, Oxigraph
    still scans every resource): one per match, the OPTIONAL's offsets ``None`` unmatched."""

    def objects(subject: Any, predicate: pyoxigraph.NamedNode) -> list[Any]:
        return [q.object for q in store.quads_for_pattern(subject, predicate, None)]

    rows: list[tuple[str, Any, Any]] = []
    for resource in objects(claim, _DERIVED_FROM):
        if isinstance(resource, pyoxigraph.Literal):
            continue
        offsets = [
            (plain_value(start), plain_value(end))
            for selector in objects(resource, _HAS_SELECTOR)
            if not isinstance(selector, pyoxigraph.Literal)
            for start in objects(selector, _START)
            for end in objects(selector, _END)
        ] or [(None, None)]
        for document in objects(resource, _HAS_SOURCE):
            rows += [(plain_value(document), start, end) for start, end in offsets]
    return rows


def gather_claims(source: pyoxigraph.Store, iris: Iterable[str]) -> Gathered:
    """What :func:`gather` reads for the ``all`` projection, of the claims ``iris`` only
    (IRIs; those that are no claim are left out): their edges in the projection's order,
    their ends, their time records in :func:`gather`'s order with their ``ranks``; no
    founding days. A claim of no projection class that supersedes another is read as a
    record (of rank ``len(kind_classes("all"))``) whose facts and evidence
    :func:`gather` reads otherwise: a caller that needs it exact reads the whole source.

    What a rebuild derives again for the claims a change can affect
    (:mod:`automaker_kg.rederive`), instead of reading every claim.
    """
    classes = _CLAIMS_BY_KIND["all"]
    index = {str(cls): n for n, cls in enumerate(classes)}
    rdf_type, supersedes = pyoxigraph.NamedNode(RDF_TYPE), pyoxigraph.NamedNode(_SUPERSEDES)
    read: list[tuple[int, str, _Claim]] = []
    for iri in sorted(set(iris)):
        quads = list(source.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None))
        # CLAIM_FACTS_QUERY's rows: every non-blank fact once per typing triple of the class
        facts = [
            (q.predicate.value, plain_value(q.object))
            for q in quads
            if not isinstance(q.object, pyoxigraph.BlankNode)
        ]
        typings = [
            q.object.value
            for q in quads
            if q.predicate == rdf_type and isinstance(q.object, pyoxigraph.NamedNode)
        ]
        ranks = sorted({index[t] for t in typings if t in index})
        if not ranks and any(q.predicate == supersedes for q in quads):
            ranks = [len(classes)]
        if not ranks:
            continue
        evidence = _evidence_of(source, pyoxigraph.NamedNode(iri))
        for rank in ranks:
            claim = _Claim(iri)
            times = typings.count(str(classes[rank])) if rank < len(classes) else 1
            for prop, value in facts * times:
                claim.facts.setdefault(prop, []).append(value)
            claim.evidence.extend(evidence)
            read.append((rank, iri, claim))
    read.sort(key=lambda item: (item[0], item[1]))
    named = {str(v) for _, _, c in read for values in c.facts.values() for v in values}
    entities = _Entities(source, only=named)
    builder = _Builder(entities)
    for n, (rank, _, claim) in enumerate(read):
        if rank < len(classes):
            builder.group = str(classes[rank])
            _add_claim(builder, classes[rank], claim)
        if n + 1 == len(read) or read[n + 1][0] != rank:
            builder.flush()
    published = _document_dates(source, {d for _, _, c in read for d, _, _ in c.evidence})
    records = [c.time(published, lambda iri: iri in entities.types) for _, _, c in read]
    ranks = [rank for rank, _, _ in read]
    return Gathered(_ends(builder.edges, entities), builder.edges, records, {}, ranks)


def assemble(
    gathered: Gathered,
    kind: Kind | str = "all",
    *,
    as_of: date | str | None = None,
    known_on: date | str | None = None,
    times: Mapping[str, EdgeTime] | None = None,
) -> nx.MultiDiGraph:
    """The ``kind`` projection of what :func:`gather` read, on ``as_of``, known on ``known_on``
    (:func:`automaker_kg.assembly.assemble` with this module's claim classes).

    Raises UnknownNameError for an unknown ``kind``, ParameterError for a bad date.
    """
    if kind not in _CLAIMS_BY_KIND:
        raise UnknownNameError("projection", str(kind), list(KINDS))
    return assembly.assemble(
        gathered, kind_groups(kind), kind=kind, as_of=as_of, known_on=known_on, times=times
    )


def kind_classes(kind: Kind | str) -> list[str]:
    """The IRIs of the claim classes whose claims the ``kind`` projection shows.

    >>> kind_classes("ownership")
    ['https://w3id.org/automaker-kg/ontology#EquityStake']
    """
    if kind not in _CLAIMS_BY_KIND:
        raise UnknownNameError("projection", str(kind), list(KINDS))
    return [str(cls) for cls in _CLAIMS_BY_KIND[kind]]


def kind_groups(kind: Kind | str) -> list[str]:
    """The edge groups the ``kind`` projection shows, in their edges' order: the IRIs of its
    claim classes, but a joint project's edges to its technologies
    (:data:`JOINT_PROJECT_TECHNOLOGY`) instead of its pairs and markets in ``technology``.

    >>> [g.rsplit("#")[-1] for g in kind_groups("technology")]
    ['TechnologyArrangement', 'Contribution', 'JointProject/technology']
    >>> JOINT_PROJECT_TECHNOLOGY in kind_groups("all")
    False
    """
    if kind not in _GROUPS_BY_KIND:
        raise UnknownNameError("projection", str(kind), list(KINDS))
    return list(_GROUPS_BY_KIND[kind])


def scalar_copy(G: nx.MultiDiGraph, *, separator: str = " ") -> nx.MultiDiGraph:
    """A copy whose attributes are all scalars, for GraphML and GEXF.

    Lists (``aliases``, ``evidence``) are joined with ``separator``, ``None`` values are left
    out (neither format has a null), dates become ISO text.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A", aliases=["Alpha", "Al"])
    >>> _ = G.add_edge("a", "b", key="c", share=None, evidence=["d#1-2", "d#3-4"])
    >>> S = scalar_copy(G)
    >>> S.nodes["a"]["aliases"], S.edges["a", "b", "c"]
    ('Alpha Al', {'evidence': 'd#1-2 d#3-4'})
    """

    def flat(attrs: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in attrs.items():
            if value is None:
                continue
            if isinstance(value, list | tuple | set | frozenset):
                value = separator.join(str(v) for v in value)
            elif isinstance(value, date):
                value = value.isoformat()
            elif not isinstance(value, str | int | float | bool):
                value = str(value)
            out[key] = value
        return out

    S = nx.MultiDiGraph()
    S.graph.update(flat(G.graph))
    S.add_nodes_from((n, flat(d)) for n, d in G.nodes(data=True))
    S.add_edges_from((u, v, k, flat(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return S
