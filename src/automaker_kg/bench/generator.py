"""A deterministic synthetic partnership graph, shaped exactly like the curated claims.

:func:`generate` streams about ``triples`` triples of N-Triples (which is also valid Turtle,
so the build reads the file as one of ``graph/**/*.ttl``) to a file, holding only a few
numbers per company in memory. The same ``seed`` and size give the same bytes.

What it writes, each in the project's model (``docs/TEAM-CONTRACT.md``):

* companies of every kind (automakers, energy, tech and media companies, plain companies,
  joint ventures, divisions, alliances) with ``rdfs:label``, ``skos:prefLabel`` and
  ``skos:altLabel`` aliases and a country;
* source documents with a ``sha256:`` identifier, a title and a publisher (a media company);
  every claim points at one (sometimes two) with an ``oa:TextPositionSelector``;
* equity stakes whose holders follow a power law (a few holders own much, most own little),
  so ownership chains and hubs appear, plus explicit cross-holdings; shares exact or as a
  range; shareholdings and voting rights; some superseded by a later stake of the same pair
  (``akg:supersedes``, ``validTo`` = the successor's ``validFrom``), with dates at day, month
  or year precision; every claim with one of the six statuses;
* joint-venture participations (two to four partners), division relations, alliance
  memberships, technology arrangements (develops, contributes, shares, acquires, withholds,
  protects, licenses; with or without a recipient), contributions and market strategies;
* every other claim kind of the ontology: events and planned events (with their event
  nodes), joint projects, roles (people), rankings, assessments, partnership searches,
  floated targets, holding commitments (lock-up, minimum holding, standstill), holdings in
  trust, vehicle supply (with vehicle models, badge engineering) and board seats.

The targets of stakes, contributions and the other two-party claims follow a power law
too, over another order of the companies than the holders' (so the most held companies are
not the biggest holders): heavy tails on both ends.

The stakes in any company stay below 95% at every moment (the shapes' 100% rule), so the
graph conforms and integrated ownership converges. Company ``bench/c0`` ("Hub Motors") is
the largest holder and provider, ``bench/c1`` shares the joint venture ``bench/jv0`` with it
and ``bench/c2`` is one of its holdings: the benchmark's query parameters.

>>> import io
>>> out = io.StringIO()
>>> info = generate(2000, seed=1, out=out)
>>> info.triples == out.getvalue().count("\\n") and info.triples >= 2000
True
>>> generate(2000, seed=1, out=io.StringIO()).triples == info.triples
True
"""

from __future__ import annotations

import bisect
import hashlib
import io
import itertools
import os
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from automaker_kg.prefixes import NAMESPACES

__all__ = [
    "GeneratedGraph",
    "generate",
    "fact_sheet",
    "TRIPLES_PER_COMPANY",
    "ENTITY",
    "HUB",
    "SECOND",
    "HELD",
]

_AKG = "https://w3id.org/automaker-kg/ontology#"
_ID = "https://w3id.org/automaker-kg/id/"
ENTITY = _ID + "bench/"
_CLAIM = _ID + "claim/bench-"
_DOC = _ID + "document/bench-"
_TECH = _ID + "technology/"
_MKT = _ID + "market/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ORG = "http://www.w3.org/ns/org#"
_OA = "http://www.w3.org/ns/oa#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"
_TIME = "http://www.w3.org/2006/time#"
_XSD = NAMESPACES["xsd"]

HUB = ENTITY + "c0"
SECOND = ENTITY + "c1"
HELD = ENTITY + "c2"

#: About how many triples the generator writes per company (entities and their claims).
TRIPLES_PER_COMPANY = 60

_A = f"<{_RDF}type>"
_LABEL = f"<{_RDFS}label>"
_PREF = f"<{_SKOS}prefLabel>"
_ALT = f"<{_SKOS}altLabel>"
_STATUS = f"<{_AKG}status>"

_STATUSES = [
    ("OfficialStatement", 30),
    ("HistoricalFact", 30),
    ("ReportedByUnnamedSources", 20),
    ("PlanOrExpectation", 12),
    ("AttributedAllegation", 4),
    ("FloatedTargetStatus", 4),
]
_KINDS = [  # company kinds and their weights
    ("Automaker", 25),
    ("Company", 35),
    ("TechCompany", 18),
    ("EnergyCompany", 10),
    ("MediaOrganization", 4),
    ("JointVenture", 8),
]
_TECHNOLOGIES = [
    "powertrain",
    "combustion-powertrain",
    "hybrid",
    "e-power",
    "plug-in-hybrid",
    "electric-vehicle",
    "battery-electric-vehicle",
    "battery",
    "solid-state-battery",
    "solid-state-battery-process",
    "software",
    "connected-car",
    "connected-car-cloud",
    "self-driving",
]
_MARKETS = [
    "world",
    "north-america",
    "latin-america",
    "europe",
    "asia",
    "middle-east",
    "japan",
    "china",
    "india",
    "saudi-arabia",
    "france",
]
_ARRANGEMENTS = [
    ("Develops", 25),
    ("Contributes", 15),
    ("Shares", 20),
    ("Acquires", 10),
    ("Withholds", 15),
    ("Protects", 15),
    ("Licenses", 8),
]
_CONTRIBUTIONS = ["Capital", "TechnologicalSupport", "OperationalEngagement"]
_EVENT_KINDS = ["Agreement", "Meeting", "Announcement"]
_ASSESSMENTS = ["Benefit", "Weakness", "Grievance", "Judgement", "Allegation"]
_COMMITMENTS = ["LockUp", "MinimumHolding", "Standstill"]
_VOTING = ["NeutralisedVoting", "TrusteeVoting", "InstructedVoting"]
_SUPPLY = ["BadgeEngineering", "ContractManufacturing", "FinishedVehicleSupply"]
_SEATS = ["DirectorSeat", "ObserverSeat", "ChairSeat"]
_ROLES = ["chief executive officer", "chairman", "board member", "chief technology officer"]
_SUFFIX = {
    "Automaker": "Motors",
    "Company": "Holdings",
    "TechCompany": "Systems",
    "EnergyCompany": "Energy",
    "MediaOrganization": "News",
    "JointVenture": "Joint Venture",
}
_SYLLABLES = [
    "ka", "ro", "ni", "sa", "to", "vel", "mar", "lu", "den", "ra", "zen", "tor", "a", "e",
    "ori", "han", "gel", "vo", "qui", "tek", "nor", "li", "mo", "shi", "bra", "ul", "dai", "fen",
]  # fmt: skip
_PRECISIONS = ["unitDay", "unitMonth", "unitYear"]
_CAPACITY = 95.0  # most percent of one company the generated stakes hold at once


@dataclass
class GeneratedGraph:
    """What :func:`generate` wrote."""

    triples: int
    companies: int
    claims: int
    documents: int
    seed: int
    path: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _en(text: str) -> str:
    return _lit(text) + "@en"


def _typed(text: str, datatype: str) -> str:
    return f'"{text}"^^<{_XSD}{datatype}>'


def _date(day: date, precision: str) -> date:
    if precision == "unitYear":
        return date(day.year, 1, 1)
    if precision == "unitMonth":
        return date(day.year, day.month, 1)
    return day


def _name(rng: random.Random, index: int) -> str:
    parts = rng.randint(2, 3)
    word = "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()
    return f"{word} {index}"


class _Writer:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.lines: list[str] = []
        self.count = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")
        self.count += 1
        if len(self.lines) >= 8192:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.lines))
        self.lines.clear()


class _Generator:
    def __init__(self, triples: int, seed: int, out: TextIO) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.target = triples
        self.w = _Writer(out)
        n = max(12, triples // TRIPLES_PER_COMPANY)
        self.n_companies = n
        self.kinds: list[str] = []
        self.labels: list[str] = []
        self.capacity: dict[tuple[int, str], float] = {}
        # power law: the weight of company i is 1 / (i + 1) ** 1.1
        weights = [1.0 / (i + 1) ** 1.1 for i in range(n)]
        self.cum = list(itertools.accumulate(weights))
        # targets: a power law over a shuffled order (another head than the holders')
        self.target_order = list(range(n))
        random.Random(seed + 1).shuffle(self.target_order)
        self.target_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(n)))
        self.events = 0
        self.people = 0
        self.vehicles = 0
        self.n_docs = max(2, n // 8)
        self.claims = 0
        self.divisions = 0
        self.counts: dict[str, int] = {}
        self.status_cum = list(itertools.accumulate(w for _, w in _STATUSES))
        self.arrangement_cum = list(itertools.accumulate(w for _, w in _ARRANGEMENTS))

    # -- picking ------------------------------------------------------------------------
    def hubby(self) -> int:
        """A company drawn by the power law: low indices much more often."""
        return bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])

    def anyone(self) -> int:
        return self.rng.randrange(self.n_companies)

    def held(self) -> int:
        """A target drawn by its own power law (a heavy tail of much-held companies)."""
        rank = bisect.bisect_left(self.target_cum, self.rng.random() * self.target_cum[-1])
        return self.target_order[min(rank, self.n_companies - 1)]

    def pair(self) -> tuple[int, int] | None:
        """A (holder-like, target-like) pair of two companies, or None when they coincide."""
        a, b = self.hubby(), self.held()
        return None if a == b else (a, b)

    def status(self) -> str:
        i = bisect.bisect_left(self.status_cum, self.rng.random() * self.status_cum[-1])
        return _STATUSES[i][0]

    def day(self) -> date:
        return date(1990, 1, 1) + timedelta(days=self.rng.randrange(35 * 365))

    # -- entities -----------------------------------------------------------------------
    def company(self, i: int) -> None:
        rng, t = self.rng, self.w.t
        if i == 0:
            kind, word = "Automaker", "Hub Motors"
        elif i < 3:
            kind, word = "Automaker", f"{_name(rng, i)} Motors"
        else:
            kind = rng.choices([k for k, _ in _KINDS], [w for _, w in _KINDS])[0]
            word = f"{_name(rng, i)} {_SUFFIX[kind]}"
        if i == 3:
            kind, word = "MediaOrganization", f"{_name(rng, i)} News"
        self.kinds.append(kind)
        self.labels.append(word)
        s = f"<{ENTITY}c{i}>"
        t(s, _A, f"<{_AKG}{kind}>")
        t(s, _LABEL, _lit(word))
        t(s, _PREF, _en(f"{word} Co., Ltd."))
        t(s, _ALT, _en(f"{word} Group"))
        if rng.random() < 0.4:
            t(s, _ALT, _en(word.upper()))
        t(s, f"<{_AKG}country>", f"<{_MKT}{rng.choice(_MARKETS)}>")

    def document(self, k: int) -> None:
        t = self.w.t
        s = f"<{_DOC}{k}>"
        digest = hashlib.sha256(f"automaker-kg bench {self.seed} {k}".encode()).hexdigest()
        publisher = 3 if self.n_companies > 3 else 0
        t(s, _A, f"<{_AKG}SourceDocument>")
        t(s, f"<{_DCT}identifier>", _lit(f"sha256:{digest}"))
        t(s, f"<{_DCT}title>", _lit(f"Synthetic report {k}"))
        t(s, f"<{_DCT}publisher>", f"<{ENTITY}c{publisher}>")
        t(s, f"<{_AKG}fileName>", _lit(f"bench-{k}.txt"))

    # -- claims -------------------------------------------------------------------------
    def claim(self, cls: str, label: str, status: str | None = None) -> str:
        self.claims += 1
        self.counts[cls] = self.counts.get(cls, 0) + 1
        s = f"<{_CLAIM}{self.claims}>"
        t, rng = self.w.t, self.rng
        t(s, _A, f"<{_AKG}{cls}>")
        t(s, _LABEL, _lit(label))
        t(s, _STATUS, f"<{_AKG}{status or self.status()}>")
        for n in range(2 if rng.random() < 0.1 else 1):
            e, sel = f"_:e{self.claims}x{n}", f"_:s{self.claims}x{n}"
            start = rng.randrange(20000)
            t(s, f"<{_PROV}wasDerivedFrom>", e)
            t(e, _A, f"<{_OA}SpecificResource>")
            t(e, f"<{_OA}hasSource>", f"<{_DOC}{rng.randrange(self.n_docs)}>")
            t(e, f"<{_OA}hasSelector>", sel)
            t(sel, _A, f"<{_OA}TextPositionSelector>")
            t(sel, f"<{_AKG}paragraph>", _typed(str(1 + start // 800), "integer"))
            t(sel, f"<{_AKG}sentence>", _typed(str(1 + rng.randrange(6)), "integer"))
            t(sel, f"<{_OA}start>", _typed(str(start), "integer"))
            t(sel, f"<{_OA}end>", _typed(str(start + 40 + rng.randrange(300)), "integer"))
        return s

    def valid(self, s: str, start: date | None, end: date | None) -> None:
        t, rng = self.w.t, self.rng
        if start is not None:
            precision = rng.choice(_PRECISIONS)
            t(s, f"<{_AKG}validFrom>", _typed(_date(start, precision).isoformat(), "date"))
            t(s, f"<{_AKG}validFromPrecision>", f"<{_TIME}{precision}>")
        if end is not None:
            t(s, f"<{_AKG}validTo>", _typed(end.isoformat(), "date"))
            t(s, f"<{_AKG}validToPrecision>", f"<{_TIME}unitDay>")

    def take(self, target: int, interest: str, wanted: float) -> float:
        """Reserve up to ``wanted`` percent of ``target``; the share granted (0 when full)."""
        left = self.capacity.get((target, interest), _CAPACITY)
        if wanted > left * 0.8:  # a much-held company: a small holding of what is left
            wanted = left * self.rng.uniform(0.001, 0.05)
        share = round(wanted, 2)
        if share < 0.01:
            return 0.0
        self.capacity[(target, interest)] = left - share
        return share

    def stake(self, holder: int, target: int, *, interest: str = "Shareholding") -> bool:
        rng, t = self.rng, self.w.t
        if holder == target:
            return False
        wanted = rng.choice([rng.uniform(0.5, 10), rng.uniform(5, 35), rng.uniform(20, 60)])
        superseded = rng.random() < 0.15
        share = self.take(target, interest, wanted)
        later = self.take(target, interest, rng.uniform(0.5, wanted)) if superseded else 0.0
        if share == 0.0:
            return False
        h, g = self.labels[holder], self.labels[target]
        votes = " of the voting rights" if interest == "VotingRights" else ""
        start = self.day() if rng.random() < 0.85 else None
        first = self._stake(holder, target, interest, share, f"{h} holds {share}%{votes} of {g}")
        if later and start is not None:
            change = start + timedelta(days=30 + rng.randrange(3000))
            self.valid(first, start, change)
            second = self._stake(
                holder, target, interest, later, f"{h} holds {later}%{votes} of {g} after a change"
            )
            t(second, f"<{_AKG}supersedes>", first)
            t(second, f"<{_AKG}validFrom>", _typed(change.isoformat(), "date"))
            t(second, f"<{_AKG}validFromPrecision>", f"<{_TIME}unitDay>")
        else:
            self.valid(first, start, None)
        return True

    def _stake(self, holder: int, target: int, interest: str, share: float, label: str) -> str:
        t, rng = self.w.t, self.rng
        s = self.claim("EquityStake", label)
        t(s, f"<{_AKG}holder>", f"<{ENTITY}c{holder}>")
        t(s, f"<{_AKG}target>", f"<{ENTITY}c{target}>")
        t(s, f"<{_AKG}interestType>", f"<{_AKG}{interest}>")
        if rng.random() < 0.1:
            t(s, f"<{_AKG}shareMinimum>", _typed(f"{max(0.0, share - 2):.2f}", "decimal"))
            t(s, f"<{_AKG}shareMaximum>", _typed(f"{share:.2f}", "decimal"))
        else:
            t(s, f"<{_AKG}shareExact>", _typed(f"{share:.2f}", "decimal"))
        return s

    def joint_venture(
        self, venture: int | None = None, partners: list[int] | None = None, iri: str = ""
    ) -> None:
        rng = self.rng
        if venture is None:
            venture = self.anyone()
            if self.kinds[venture] != "JointVenture":
                return
        if partners is None:
            partners = sorted({self.hubby() for _ in range(rng.randint(2, 4))} - {venture})
        for p in partners:
            s = self.claim(
                "JointVentureParticipation",
                f"{self.labels[p]} is a partner in the joint venture {self.labels[venture]}",
            )
            self.w.t(s, f"<{_ORG}member>", f"<{ENTITY}c{p}>")
            self.w.t(s, f"<{_ORG}organization>", iri or f"<{ENTITY}c{venture}>")
            self.valid(s, self.day() if rng.random() < 0.5 else None, None)

    def division(self) -> None:
        t, rng = self.w.t, self.rng
        parent = self.hubby()
        self.divisions += 1
        d = f"<{ENTITY}d{self.divisions}>"
        word = f"{self.labels[parent]} {rng.choice(['EV', 'Battery', 'Software', 'Parts'])} unit"
        t(d, _A, f"<{_AKG}Division>")
        t(d, _LABEL, _lit(f"{word} {self.divisions}"))
        t(d, _PREF, _en(f"{word} {self.divisions}"))
        s = self.claim("DivisionRelation", f"{word} {self.divisions} is a division of its parent")
        t(s, f"<{_AKG}unit>", d)
        t(s, f"<{_AKG}parentCompany>", f"<{ENTITY}c{parent}>")
        t(s, f"<{_AKG}technology>", f"<{_TECH}{rng.choice(_TECHNOLOGIES)}>")
        self.valid(s, self.day(), None)

    def alliance(self, index: int, members: list[int]) -> None:
        t = self.w.t
        a = f"<{ENTITY}alliance{index}>"
        t(a, _A, f"<{_AKG}Alliance>")
        t(a, _LABEL, _lit(f"Alliance {index}"))
        for m in members:
            s = self.claim(
                "AllianceMembership", f"{self.labels[m]} is a member of Alliance {index}"
            )
            t(s, f"<{_ORG}member>", f"<{ENTITY}c{m}>")
            t(s, f"<{_ORG}organization>", a)
            self.valid(s, self.day(), None)

    def technology(self, provider: int | None = None, kind: str | None = None) -> None:
        t, rng = self.w.t, self.rng
        provider = self.hubby() if provider is None else provider
        if kind is None:
            i = bisect.bisect_left(self.arrangement_cum, rng.random() * self.arrangement_cum[-1])
            kind = _ARRANGEMENTS[i][0]
        tech = rng.choice(_TECHNOLOGIES)
        needs_recipient = kind in ("Withholds", "Protects", "Licenses")
        recipient = self.held() if needs_recipient or rng.random() < 0.6 else None
        if recipient == provider:
            if kind == "Licenses":
                return
            recipient = None
        words = f"{self.labels[provider]} {kind.lower()} {tech.replace('-', ' ')}"
        if recipient is not None:
            words += f" with respect to {self.labels[recipient]}"
        s = self.claim("TechnologyArrangement", words)
        if kind == "Licenses":
            self.counts["TechnologyLicence"] = self.counts.get("TechnologyLicence", 0) + 1
            t(s, _A, f"<{_AKG}TechnologyLicence>")
            t(s, f"<{_AKG}royalties>", _typed(rng.choice(["true", "false"]), "boolean"))
            t(s, f"<{_AKG}exclusive>", _typed(rng.choice(["true", "false"]), "boolean"))
        t(s, f"<{_AKG}provider>", f"<{ENTITY}c{provider}>")
        t(s, f"<{_AKG}technology>", f"<{_TECH}{tech}>")
        t(s, f"<{_AKG}arrangementKind>", f"<{_AKG}{kind}>")
        if recipient is not None:
            t(s, f"<{_AKG}recipient>", f"<{ENTITY}c{recipient}>")
        if rng.random() < 0.2:
            t(s, f"<{_AKG}attributedTo>", f"<{ENTITY}c{self.hubby()}>")
        self.valid(s, self.day() if rng.random() < 0.5 else None, None)

    def contribution(self) -> None:
        t, rng = self.w.t, self.rng
        pair = self.pair()
        if pair is None:
            return
        a, b = pair
        kind = rng.choice(_CONTRIBUTIONS)
        s = self.claim("Contribution", f"{self.labels[a]} contributes to {self.labels[b]}")
        t(s, f"<{_AKG}contributor>", f"<{ENTITY}c{a}>")
        t(s, f"<{_AKG}beneficiary>", f"<{ENTITY}c{b}>")
        t(s, f"<{_AKG}contributionKind>", f"<{_AKG}{kind}>")
        if rng.random() < 0.3:
            t(s, f"<{_AKG}degree>", f"<{_AKG}Minimal>")
        self.valid(s, self.day() if rng.random() < 0.5 else None, None)

    def strategy(self) -> None:
        t, rng = self.w.t, self.rng
        a = self.hubby()
        market = rng.choice(_MARKETS)
        s = self.claim("MarketStrategy", f"{self.labels[a]} targets the {market} market")
        t(s, f"<{_AKG}actor>", f"<{ENTITY}c{a}>")
        t(s, f"<{_AKG}market>", f"<{_MKT}{market}>")
        t(s, f"<{_AKG}technology>", f"<{_TECH}{rng.choice(_TECHNOLOGIES)}>")
        t(s, f"<{_AKG}exclusive>", _typed("true" if rng.random() < 0.3 else "false", "boolean"))

    def _dated(self, s: str, prop: str) -> None:
        precision = self.rng.choice(_PRECISIONS)
        self.w.t(s, f"<{_AKG}{prop}>", _typed(_date(self.day(), precision).isoformat(), "date"))
        self.w.t(s, f"<{_AKG}datePrecision>", f"<{_TIME}{precision}>")

    def _event_node(self, kind: str) -> str:
        self.events += 1
        e = f"<{_ID}event/bench-{self.events}>"
        self.w.t(e, _A, f"<{_AKG}Event>")
        self.w.t(e, _LABEL, _lit(f"{kind} {self.events}"))
        self.w.t(e, f"<{_AKG}eventKind>", f"<{_AKG}{kind}>")
        return e

    def event(self) -> None:
        t, rng = self.w.t, self.rng
        kind = rng.choice(_EVENT_KINDS)
        members = sorted({self.hubby(), self.held()})
        e = self._event_node(kind)
        names = " and ".join(self.labels[m] for m in members)
        s = self.claim("EventClaim", f"{kind} {self.events} between {names}")
        t(s, f"<{_AKG}event>", e)
        for m in members:
            t(s, f"<{_AKG}participant>", f"<{ENTITY}c{m}>")
        self._dated(s, "date")

    def planned_event(self) -> None:
        t = self.w.t
        e = self._event_node("Agreement")
        a = self.hubby()
        s = self.claim(
            "PlannedEvent", f"{self.labels[a]} expects agreement {self.events}", "PlanOrExpectation"
        )
        t(s, f"<{_AKG}event>", e)
        t(s, f"<{_AKG}participant>", f"<{ENTITY}c{a}>")
        self._dated(s, "expectedBy")

    def joint_project(self) -> None:
        t, rng = self.w.t, self.rng
        members = sorted({self.hubby(), self.held(), self.held()})
        if len(members) < 2:
            return
        tech = rng.choice(_TECHNOLOGIES)
        names = ", ".join(self.labels[m] for m in members)
        s = self.claim("JointProject", f"{names} work together on {tech.replace('-', ' ')}")
        for m in members:
            t(s, f"<{_AKG}participant>", f"<{ENTITY}c{m}>")
        t(s, f"<{_AKG}technology>", f"<{_TECH}{tech}>")
        t(s, f"<{_AKG}market>", f"<{_MKT}{rng.choice(_MARKETS)}>")
        self.valid(s, self.day() if rng.random() < 0.7 else None, None)

    def role(self) -> None:
        t, rng = self.w.t, self.rng
        self.people += 1
        person = f"<{ENTITY}p{self.people}>"
        name = f"{_name(rng, self.people).title()} {_name(rng, self.people + 7).title()}"
        t(person, _A, f"<{_AKG}Person>")
        t(person, _LABEL, _lit(name))
        org = self.held()
        what = rng.choice(_ROLES)
        s = self.claim("RoleClaim", f"{name} is {what} of {self.labels[org]}")
        t(s, f"<{_ORG}member>", person)
        t(s, f"<{_ORG}organization>", f"<{ENTITY}c{org}>")
        t(s, f"<{_AKG}roleDescription>", _lit(what))
        self.valid(s, self.day() if rng.random() < 0.6 else None, None)

    def ranking(self) -> None:
        t, rng = self.w.t, self.rng
        a, market = self.hubby(), rng.choice(_MARKETS)
        rank = 1 + rng.randrange(10)
        s = self.claim("RankingClaim", f"{self.labels[a]} ranks {rank} by sales in {market}")
        t(s, f"<{_AKG}subject>", f"<{ENTITY}c{a}>")
        t(s, f"<{_AKG}market>", f"<{_MKT}{market}>")
        t(s, f"<{_AKG}rank>", _typed(str(rank), "integer"))
        t(s, f"<{_AKG}measure>", _lit("sales"))

    def assessment(self) -> None:
        t, rng = self.w.t, self.rng
        pair = self.pair()
        if pair is None:
            return
        by, subject = pair
        kind = rng.choice(_ASSESSMENTS)
        s = self.claim(
            "Assessment", f"{self.labels[by]}: a {kind.lower()} about {self.labels[subject]}"
        )
        t(s, f"<{_AKG}assessmentKind>", f"<{_AKG}{kind}>")
        t(s, f"<{_AKG}subject>", f"<{ENTITY}c{subject}>")
        t(s, f"<{_AKG}assessedBy>", f"<{ENTITY}c{by}>")
        if rng.random() < 0.4:
            t(s, f"<{_AKG}technology>", f"<{_TECH}{rng.choice(_TECHNOLOGIES)}>")

    def partnership_search(self) -> None:
        t, rng = self.w.t, self.rng
        a, tech = self.hubby(), rng.choice(_TECHNOLOGIES)
        s = self.claim("PartnershipSearch", f"{self.labels[a]} looks for a partner in {tech}")
        t(s, f"<{_AKG}seeker>", f"<{ENTITY}c{a}>")
        t(s, f"<{_AKG}soughtPartnerKind>", f"<{_AKG}NonAutomotivePartner>")
        t(s, f"<{_AKG}technology>", f"<{_TECH}{tech}>")

    def floated_target(self) -> None:
        t, rng = self.w.t, self.rng
        pair = self.pair()
        if pair is None:
            return
        a, b = pair
        share = round(rng.uniform(0, 50), 1)
        s = self.claim(
            "FloatedTarget",
            f"{self.labels[a]} floats a {share}% tie-up with {self.labels[b]}",
            "FloatedTargetStatus",
        )
        t(s, f"<{_AKG}proposedBy>", f"<{ENTITY}c{a}>")
        t(s, f"<{_AKG}participant>", f"<{ENTITY}c{a}>")
        t(s, f"<{_AKG}participant>", f"<{ENTITY}c{b}>")
        t(s, f"<{_AKG}targetShare>", _typed(f"{share:.1f}", "decimal"))
        t(s, f"<{_AKG}deemedFeasible>", _typed(rng.choice(["true", "false"]), "boolean"))

    def holding_commitment(self) -> None:
        t, rng = self.w.t, self.rng
        pair = self.pair()
        if pair is None:
            return
        a, b = pair
        kind = rng.choice(_COMMITMENTS)
        share = round(rng.uniform(1, 40), 1)
        s = self.claim(
            "HoldingCommitment", f"{self.labels[a]} commits ({kind}) on {self.labels[b]}"
        )
        t(s, f"<{_AKG}holder>", f"<{ENTITY}c{a}>")
        t(s, f"<{_AKG}target>", f"<{ENTITY}c{b}>")
        t(s, f"<{_AKG}commitmentKind>", f"<{_AKG}{kind}>")
        if kind == "MinimumHolding":
            t(s, f"<{_AKG}shareMinimum>", _typed(f"{share:.1f}", "decimal"))
        elif kind == "Standstill":
            t(s, f"<{_AKG}shareMaximum>", _typed(f"{share:.1f}", "decimal"))
        start = self.day()
        self.valid(s, start, start + timedelta(days=180 + rng.randrange(1500)))

    def trust_holding(self) -> None:
        t, rng = self.w.t, self.rng
        pair = self.pair()
        trustee = self.anyone()
        if pair is None or trustee in pair:
            return
        a, b = pair
        share = round(rng.uniform(1, 30), 2)
        s = self.claim(
            "TrustHolding", f"{self.labels[a]} holds {share}% of {self.labels[b]} in trust"
        )
        t(s, f"<{_AKG}holder>", f"<{ENTITY}c{a}>")
        t(s, f"<{_AKG}target>", f"<{ENTITY}c{b}>")
        t(s, f"<{_AKG}shareExact>", _typed(f"{share:.2f}", "decimal"))
        t(s, f"<{_AKG}trustee>", f"<{ENTITY}c{trustee}>")
        t(s, f"<{_AKG}economicInterestRetained>", _typed("true", "boolean"))
        t(s, f"<{_AKG}votingArrangement>", f"<{_AKG}{rng.choice(_VOTING)}>")
        self.valid(s, self.day(), None)

    def _vehicle(self, maker: int) -> str:
        self.vehicles += 1
        v = f"<{ENTITY}v{self.vehicles}>"
        self.w.t(v, _A, f"<{_AKG}VehicleModel>")
        self.w.t(v, _LABEL, _lit(f"{self.labels[maker]} model {self.vehicles}"))
        return v

    def vehicle_supply(self) -> None:
        t, rng = self.w.t, self.rng
        pair = self.pair()
        if pair is None:
            return
        supplier, recipient = pair
        kind = rng.choice(_SUPPLY)
        s = self.claim(
            "VehicleSupply", f"{self.labels[supplier]} supplies {self.labels[recipient]}"
        )
        t(s, f"<{_AKG}supplier>", f"<{ENTITY}c{supplier}>")
        t(s, f"<{_AKG}recipient>", f"<{ENTITY}c{recipient}>")
        t(s, f"<{_AKG}supplyKind>", f"<{_AKG}{kind}>")
        t(s, f"<{_AKG}vehicle>", self._vehicle(supplier))
        if kind == "BadgeEngineering":
            t(s, f"<{_AKG}rebadgedAs>", self._vehicle(recipient))
        self.valid(s, self.day() if rng.random() < 0.7 else None, None)

    def board_seat(self) -> None:
        t, rng = self.w.t, self.rng
        pair = self.pair()
        if pair is None:
            return
        by, board = pair
        kind = rng.choice(_SEATS)
        s = self.claim(
            "BoardSeat", f"{self.labels[by]} has a {kind} on the board of {self.labels[board]}"
        )
        t(s, f"<{_ORG}organization>", f"<{ENTITY}c{board}>")
        t(s, f"<{_AKG}appointedBy>", f"<{ENTITY}c{by}>")
        t(s, f"<{_AKG}seatKind>", f"<{_AKG}{kind}>")
        t(s, f"<{_AKG}seatCount>", _typed(str(1 + rng.randrange(3)), "integer"))
        self.valid(s, self.day(), None)

    # -- the whole ----------------------------------------------------------------------
    def run(self) -> GeneratedGraph:
        n = self.n_companies
        for i in range(n):
            self.company(i)
        for k in range(self.n_docs):
            self.document(k)
        # the benchmark's anchors: c0 and c1 share jv0; c0 holds c2; cross-holdings c0 <-> c1
        t = self.w.t
        jv = f"<{ENTITY}jv0>"
        t(jv, _A, f"<{_AKG}JointVenture>")
        t(jv, _LABEL, _lit("Hub joint venture"))
        self.kinds.append("JointVenture")
        self.labels.append("Hub joint venture")
        self.joint_venture(n, [0, 1], jv)
        self.stake(0, 2)
        self.stake(1, 0)
        self.stake(0, 1)
        self.technology(0, "Withholds")
        self.technology(0, "Protects")
        self.alliance(0, [0, 1, 2])
        alliances = 1
        rng = self.rng
        every_kind = [
            self.event, self.planned_event, self.joint_project, self.role, self.ranking,
            self.assessment, self.partnership_search, self.floated_target,
            self.holding_commitment, self.trust_holding, self.vehicle_supply, self.board_seat,
            self.contribution, self.strategy, self.division,
        ]  # fmt: skip
        for make in every_kind:  # each claim kind at least once (a pair may coincide: retry)
            before = self.claims
            for _ in range(20):
                make()
                if self.claims > before:
                    break
        self.technology(0, "Licenses")
        actions = [
            (self.random_stake, 40),
            (self.cross_holding, 4),
            (self.voting_rights, 5),
            (self.joint_venture, 12),
            (self.division, 4),
            (self.technology, 16),
            (self.contribution, 8),
            (self.strategy, 5),
            (self.event, 6),
            (self.planned_event, 5),
            (self.joint_project, 4),
            (self.role, 3),
            (self.ranking, 1),
            (self.assessment, 8),
            (self.partnership_search, 1),
            (self.floated_target, 1),
            (self.holding_commitment, 1),
            (self.trust_holding, 1),
            (self.vehicle_supply, 1),
            (self.board_seat, 1),
            (None, 1),
        ]
        cum = list(itertools.accumulate(w for _, w in actions))
        while self.w.count < self.target:
            action = actions[bisect.bisect_left(cum, rng.random() * cum[-1])][0]
            if action is None:
                self.alliance(alliances, sorted({self.hubby() for _ in range(rng.randint(2, 6))}))
                alliances += 1
            else:
                action()
        self.w.flush()
        return GeneratedGraph(
            triples=self.w.count,
            companies=n,
            claims=self.claims,
            documents=self.n_docs,
            seed=self.seed,
            counts=dict(sorted(self.counts.items())),
        )

    def random_stake(self) -> None:
        self.stake(self.hubby(), self.held())

    def voting_rights(self) -> None:
        self.stake(self.hubby(), self.held(), interest="VotingRights")

    def cross_holding(self) -> None:
        a, b = self.hubby(), self.held()
        if self.stake(a, b):
            self.stake(b, a)


def generate(
    triples: int,
    *,
    seed: int = 0,
    path: str | os.PathLike[str] | None = None,
    out: TextIO | None = None,
) -> GeneratedGraph:
    """Write about ``triples`` triples (a little more: the last claim is completed).

    Parameters
    ----------
    triples : how many triples to write, at least.
    seed : the random seed; the same seed and size give the same output.
    path : a file to write (N-Triples, readable as Turtle too); or
    out : an open text stream to write to.

    Raises
    ------
    ValueError
        when ``triples`` is below 100, or neither or both of ``path`` and ``out`` are given.
    """
    if triples < 100:
        raise ValueError(f"ask for at least 100 triples, not {triples}")
    if (path is None) == (out is None):
        raise ValueError("give either path or out")
    if out is not None:
        return _Generator(triples, seed, out).run()
    target = Path(path)  # type: ignore[arg-type]
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", buffering=io.DEFAULT_BUFFER_SIZE * 64) as handle:
        info = _Generator(triples, seed, handle).run()
    info.path = target
    return info


def fact_sheet(version: int, stakes: int = 5) -> str:
    """A small fact sheet's Turtle about the generated companies (``bench/c1`` ...): one
    source document and ``stakes`` stakes of the hub in them, whose shares depend on
    ``version`` (so version 2 is one changed sheet). It types no entity, so entity resolution
    stays as it was, and its shares (under 1%) keep every target under 100%.

    >>> from rdflib import Graph
    >>> len(Graph().parse(data=fact_sheet(1), format="turtle")) > 50
    True
    >>> fact_sheet(1) != fact_sheet(2)
    True
    """
    doc = f"<{_DOC}sheet>"
    lines = [
        f"{doc} {_A} <{_AKG}SourceDocument> .",
        f"{doc} <{_DCT}identifier> " + _lit("sha256:" + "0" * 64) + " .",
        f"{doc} <{_DCT}title> " + _lit("A fact sheet") + " .",
        f"{doc} <{_AKG}fileName> " + _lit("bench-sheet.txt") + " .",
    ]
    for i in range(1, stakes + 1):
        s, e, sel = f"<{_CLAIM}sheet-{i}>", f"_:e{i}", f"_:s{i}"
        share = f"{0.1 * version + 0.01 * i:.2f}"
        lines += [
            f"{s} {_A} <{_AKG}EquityStake> .",
            f"{s} {_LABEL} " + _lit(f"Hub Motors holds {share}% of company {i}") + " .",
            f"{s} {_STATUS} <{_AKG}HistoricalFact> .",
            f"{s} <{_AKG}holder> <{HUB}> .",
            f"{s} <{_AKG}target> <{ENTITY}c{i}> .",
            f"{s} <{_AKG}interestType> <{_AKG}Shareholding> .",
            f"{s} <{_AKG}shareExact> " + _typed(share, "decimal") + " .",
            f"{s} <{_PROV}wasDerivedFrom> {e} .",
            f"{e} {_A} <{_OA}SpecificResource> .",
            f"{e} <{_OA}hasSource> {doc} .",
            f"{e} <{_OA}hasSelector> {sel} .",
            f"{sel} {_A} <{_OA}TextPositionSelector> .",
            f"{sel} <{_AKG}paragraph> " + _typed("1", "integer") + " .",
            f"{sel} <{_AKG}sentence> " + _typed(str(i), "integer") + " .",
            f"{sel} <{_OA}start> " + _typed(str(100 * i), "integer") + " .",
            f"{sel} <{_OA}end> " + _typed(str(100 * i + 60), "integer") + " .",
        ]
    return "\n".join(lines) + "\n"
