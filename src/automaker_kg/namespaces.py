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
    "STATUS",
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
    AmbiguousName: URIRef
    Announcement: URIRef
    AppointmentOfBoard: URIRef
    ArrangementKindScheme: URIRef
    ArrangementRole: URIRef
    Assessment: URIRef
    AssessmentKindScheme: URIRef
    AttributedAllegation: URIRef
    Automaker: URIRef
    BadgeEngineering: URIRef
    BeneficiaryOfLegalArrangement: URIRef
    Benefit: URIRef
    BoardChair: URIRef
    BoardMember: URIRef
    BoardSeat: URIRef
    BothCurated: URIRef
    Capital: URIRef
    ChairSeat: URIRef
    Claim: URIRef
    ClaimStatusScheme: URIRef
    CommitmentKindScheme: URIRef
    Company: URIRef
    ConditionalRightsGrantedByContract: URIRef
    ConflictingIdentifiers: URIRef
    ConsolidationKindScheme: URIRef
    ConsolidationRelation: URIRef
    ContractManufacturing: URIRef
    Contributes: URIRef
    Contribution: URIRef
    ContributionKindScheme: URIRef
    ControlByLegalFramework: URIRef
    ControlInterest: URIRef
    ControlRights: URIRef
    ControlViaCompanyRulesOrArticles: URIRef
    ConvertibleNote: URIRef
    DegreeScheme: URIRef
    Detention: URIRef
    Develops: URIRef
    DifferentKind: URIRef
    DirectConsolidation: URIRef
    DirectorSeat: URIRef
    DistinctRecord: URIRef
    Division: URIRef
    DivisionRelation: URIRef
    EconomicRights: URIRef
    EnergyCompany: URIRef
    EnjoymentAndUseOfAssets: URIRef
    EquityStake: URIRef
    Event: URIRef
    EventClaim: URIRef
    EventKindScheme: URIRef
    ExistingShares: URIRef
    FinishedVehicleSupply: URIRef
    Flight: URIRef
    FloatedTarget: URIRef
    FloatedTargetStatus: URIRef
    Founding: URIRef
    GoverningBody: URIRef
    Grievance: URIRef
    HistoricalFact: URIRef
    HoldingCommitment: URIRef
    IdentifierMatch: URIRef
    InForce: URIRef
    InstructedVoting: URIRef
    InstrumentScheme: URIRef
    InterestTypeScheme: URIRef
    JointProject: URIRef
    JointVenture: URIRef
    JointVentureParticipation: URIRef
    Judgement: URIRef
    Licenses: URIRef
    Loan: URIRef
    LockUp: URIRef
    Market: URIRef
    MarketScheme: URIRef
    MarketStrategy: URIRef
    MediaOrganization: URIRef
    Meeting: URIRef
    MergeRecord: URIRef
    Minimal: URIRef
    MinimumHolding: URIRef
    NameMatch: URIRef
    NeutralisedVoting: URIRef
    NewShares: URIRef
    Nominator: URIRef
    Nominee: URIRef
    NonAutomotivePartner: URIRef
    ObserverSeat: URIRef
    OfficialStatement: URIRef
    OperationalEngagement: URIRef
    OtherInfluenceOrControl: URIRef
    ParentOrganizationRelation: URIRef
    PartnerKindScheme: URIRef
    PartnershipSearch: URIRef
    Period: URIRef
    Person: URIRef
    PlanOrExpectation: URIRef
    Planned: URIRef
    PlannedEvent: URIRef
    PreferredShares: URIRef
    Protector: URIRef
    Protects: URIRef
    RankingClaim: URIRef
    Reported: URIRef
    ReportedByUnnamedSources: URIRef
    ReportingException: URIRef
    ResolutionReasonScheme: URIRef
    ResolutionRecord: URIRef
    Restructuring: URIRef
    RightToProfitOrIncomeFromAssets: URIRef
    RightsGrantedByContract: URIRef
    RightsToProfitOrIncome: URIRef
    RightsToSurplusAssetsOnDissolution: URIRef
    RoleClaim: URIRef
    SeatKindScheme: URIRef
    SeniorManagingOfficial: URIRef
    Settlor: URIRef
    Shareholding: URIRef
    Shares: URIRef
    SourceDocument: URIRef
    Standing: URIRef
    StandingScheme: URIRef
    Standstill: URIRef
    Supplies: URIRef
    SupplyKindScheme: URIRef
    TechCompany: URIRef
    TechnologicalSupport: URIRef
    Technology: URIRef
    TechnologyArrangement: URIRef
    TechnologyLicence: URIRef
    TechnologyScheme: URIRef
    TrustHolding: URIRef
    TrustVotingScheme: URIRef
    Trustee: URIRef
    TrusteeVoting: URIRef
    UltimateConsolidation: URIRef
    UnknownInterest: URIRef
    UnnamedSourceGroup: URIRef
    UnpublishedInterest: URIRef
    VehicleModel: URIRef
    VehicleSupply: URIRef
    VotingRights: URIRef
    Weakness: URIRef
    Withholds: URIRef
    accountingStandard: URIRef
    actor: URIRef
    ageInYears: URIRef
    amount: URIRef
    appointedBy: URIRef
    arrangementKind: URIRef
    assessedBy: URIRef
    assessmentKind: URIRef
    attributedTo: URIRef
    beneficialOwnership: URIRef
    beneficiary: URIRef
    canonicalEntity: URIRef
    child: URIRef
    commitmentKind: URIRef
    component: URIRef
    conditional: URIRef
    conflictingKey: URIRef
    consolidationKind: URIRef
    consolidationPercentage: URIRef
    contributionKind: URIRef
    contributor: URIRef
    counterpart: URIRef
    country: URIRef
    countryCode: URIRef
    date: URIRef
    dateInferred: URIRef
    dateNote: URIRef
    datePrecision: URIRef
    deemedFeasible: URIRef
    degree: URIRef
    economicInterestRetained: URIRef
    event: URIRef
    eventKind: URIRef
    exceptionReason: URIRef
    excludedPartner: URIRef
    exclusive: URIRef
    expectedBy: URIRef
    fileName: URIRef
    focus: URIRef
    holder: URIRef
    indirect: URIRef
    instrument: URIRef
    interestType: URIRef
    knownFrom: URIRef
    knownUntil: URIRef
    market: URIRef
    matchedEntity: URIRef
    matchedEntityGraph: URIRef
    matchedKey: URIRef
    matchedName: URIRef
    measure: URIRef
    ofClaim: URIRef
    paragraph: URIRef
    parent: URIRef
    parentCompany: URIRef
    participant: URIRef
    period: URIRef
    periodEnd: URIRef
    periodStart: URIRef
    periodType: URIRef
    place: URIRef
    proposedBy: URIRef
    provider: URIRef
    rank: URIRef
    rebadgedAs: URIRef
    recipient: URIRef
    registrationStatus: URIRef
    reportedVia: URIRef
    resolutionReason: URIRef
    resolvedEntity: URIRef
    resolvedEntityGraph: URIRef
    roleDescription: URIRef
    royalties: URIRef
    seatCount: URIRef
    seatKind: URIRef
    seeker: URIRef
    sentence: URIRef
    shareExact: URIRef
    shareMaximum: URIRef
    shareMaximumExclusive: URIRef
    shareMinimum: URIRef
    shareMinimumExclusive: URIRef
    shareUnknown: URIRef
    shownFrom: URIRef
    shownUntil: URIRef
    soughtPartnerKind: URIRef
    sourceCount: URIRef
    sourceRecord: URIRef
    sourceType: URIRef
    standing: URIRef
    status: URIRef
    subject: URIRef
    supersedes: URIRef
    supplier: URIRef
    supplyKind: URIRef
    target: URIRef
    targetShare: URIRef
    technology: URIRef
    trustee: URIRef
    unit: URIRef
    validFrom: URIRef
    validFromPrecision: URIRef
    validTo: URIRef
    validToPrecision: URIRef
    valuation: URIRef
    vehicle: URIRef
    via: URIRef
    votingArrangement: URIRef


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


# Each claim status by its short name, as projections, views and conflict reports show it.
STATUS: dict[str, str] = {
    str(AKG.OfficialStatement): "official",
    str(AKG.ReportedByUnnamedSources): "reported",
    str(AKG.PlanOrExpectation): "plan",
    str(AKG.FloatedTargetStatus): "floated",
    str(AKG.HistoricalFact): "historical",
    str(AKG.AttributedAllegation): "allegation",
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefix table on ``graph`` and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """Return ``PREFIX`` lines for every prefix of the table, for query text (the same
    table as :data:`PREFIXES`: :func:`automaker_kg.prefixes.sparql_prologue`)."""
    from automaker_kg.prefixes import sparql_prologue as prologue

    return prologue()
