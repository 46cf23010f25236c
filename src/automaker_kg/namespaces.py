"""The ontology's terms and the one prefix table bound everywhere.

``AKG`` is a closed ``DefinedNamespace``: a typo such as ``AKG.EquityStak`` raises
``AttributeError`` instead of minting a wrong IRI. A test keeps it equal to the terms
``ontology/automaker.ttl`` defines.

>>> from automaker_kg.namespaces import AKG, KG
>>> str(AKG.EquityStake)
'https://w3id.org/automaker-kg/ontology#EquityStake'
>>> str(KG.nissan)
'https://w3id.org/automaker-kg/id/nissan'
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace

__all__ = [
    "AKG",
    "KG",
    "TECH",
    "MKT",
    "CLAIM",
    "DOC",
    "EVENT",
    "SRC",
    "OA",
    "ORG",
    "SCHEMA",
    "WD",
    "PREFIXES",
    "bind_prefixes",
    "sparql_prologue",
]

BASE = "https://w3id.org/automaker-kg/"


class AKG(DefinedNamespace):
    """Terms of the automaker-kg ontology (``ontology/automaker.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    Acquires: URIRef
    Agreement: URIRef
    Allegation: URIRef
    Alliance: URIRef
    AllianceMembership: URIRef
    Announcement: URIRef
    ArrangementKindScheme: URIRef
    Assessment: URIRef
    AssessmentKindScheme: URIRef
    AttributedAllegation: URIRef
    Automaker: URIRef
    Benefit: URIRef
    Capital: URIRef
    Claim: URIRef
    ClaimStatusScheme: URIRef
    Company: URIRef
    Contributes: URIRef
    Contribution: URIRef
    ContributionKindScheme: URIRef
    DegreeScheme: URIRef
    Detention: URIRef
    Develops: URIRef
    Division: URIRef
    DivisionRelation: URIRef
    EnergyCompany: URIRef
    EquityStake: URIRef
    Event: URIRef
    EventClaim: URIRef
    EventKindScheme: URIRef
    Flight: URIRef
    FloatedTarget: URIRef
    FloatedTargetStatus: URIRef
    Founding: URIRef
    GoverningBody: URIRef
    Grievance: URIRef
    HistoricalFact: URIRef
    InterestTypeScheme: URIRef
    JointProject: URIRef
    JointVenture: URIRef
    JointVentureParticipation: URIRef
    Judgement: URIRef
    Market: URIRef
    MarketScheme: URIRef
    MarketStrategy: URIRef
    MediaOrganization: URIRef
    Meeting: URIRef
    Minimal: URIRef
    NonAutomotivePartner: URIRef
    OfficialStatement: URIRef
    OperationalEngagement: URIRef
    PartnerKindScheme: URIRef
    PartnershipSearch: URIRef
    Person: URIRef
    PlanOrExpectation: URIRef
    PlannedEvent: URIRef
    Protects: URIRef
    RankingClaim: URIRef
    ReportedByUnnamedSources: URIRef
    Restructuring: URIRef
    RoleClaim: URIRef
    Shareholding: URIRef
    Shares: URIRef
    SourceDocument: URIRef
    TechCompany: URIRef
    TechnologicalSupport: URIRef
    Technology: URIRef
    TechnologyArrangement: URIRef
    TechnologyScheme: URIRef
    UnnamedSourceGroup: URIRef
    VotingRights: URIRef
    Weakness: URIRef
    Withholds: URIRef
    actor: URIRef
    ageInYears: URIRef
    arrangementKind: URIRef
    assessedBy: URIRef
    assessmentKind: URIRef
    attributedTo: URIRef
    beneficiary: URIRef
    conditional: URIRef
    contributionKind: URIRef
    contributor: URIRef
    counterpart: URIRef
    country: URIRef
    date: URIRef
    dateInferred: URIRef
    dateNote: URIRef
    datePrecision: URIRef
    deemedFeasible: URIRef
    degree: URIRef
    event: URIRef
    eventKind: URIRef
    excludedPartner: URIRef
    exclusive: URIRef
    expectedBy: URIRef
    fileName: URIRef
    focus: URIRef
    holder: URIRef
    interestType: URIRef
    market: URIRef
    measure: URIRef
    paragraph: URIRef
    parentCompany: URIRef
    participant: URIRef
    place: URIRef
    proposedBy: URIRef
    provider: URIRef
    rank: URIRef
    recipient: URIRef
    reportedVia: URIRef
    roleDescription: URIRef
    seeker: URIRef
    sentence: URIRef
    shareExact: URIRef
    shareMaximum: URIRef
    shareMinimum: URIRef
    soughtPartnerKind: URIRef
    sourceCount: URIRef
    status: URIRef
    subject: URIRef
    supersedes: URIRef
    target: URIRef
    targetShare: URIRef
    technology: URIRef
    unit: URIRef
    validFrom: URIRef
    validFromPrecision: URIRef
    validTo: URIRef
    validToPrecision: URIRef
    via: URIRef


KG = Namespace(BASE + "id/")
TECH = Namespace(BASE + "id/technology/")
MKT = Namespace(BASE + "id/market/")
CLAIM = Namespace(BASE + "id/claim/")
DOC = Namespace(BASE + "id/document/")
EVENT = Namespace(BASE + "id/event/")
SRC = Namespace(BASE + "id/sources/")
GRAPH = Namespace(BASE + "graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, Namespace] = {
    "akg": Namespace(str(AKG._NS)),
    "kg": KG,
    "tech": TECH,
    "mkt": MKT,
    "claim": CLAIM,
    "doc": DOC,
    "event": EVENT,
    "src": SRC,
    "oa": OA,
    "org": ORG,
    "prov": Namespace(str(PROV)),
    "schema": SCHEMA,
    "skos": Namespace(str(SKOS)),
    "time": Namespace(str(TIME)),
    "dcterms": Namespace(str(DCTERMS)),
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "wd": WD,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefix table on ``graph`` and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """Return ``PREFIX`` lines for every prefix of the table, for query text."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
