"""The drafter's rules: a blank English spaCy pipeline and the cue words it looks for.

The pipeline has a tokenizer and an ``entity_ruler`` whose patterns are the graph's names
(organisations and people case-sensitive, technologies case-insensitive with a plural form);
a ``Matcher`` finds percentages, money amounts and dates. No model is downloaded and nothing is
fetched at run time. The word lists below are the cues: each proposal names the one it used.

>>> from automaker_kg.draft.names import Name
>>> nlp = pipeline([Name("Nissan", "nissan", "kg", "Automaker"),
...                 Name("solid-state battery", "ssb", "tech", "Technology")])
>>> doc = nlp("Nissan's Solid-State Batteries")
>>> [(e.text, e.ent_id_) for e in doc.ents]
[('Nissan', 'kg:nissan'), ('Solid-State Batteries', 'tech:ssb')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from automaker_kg.draft.names import Name
from automaker_kg.errors import InputError

__all__ = [
    "pipeline",
    "matcher",
    "MONTHS",
    "WEEKDAYS",
    "STATUS_CUES",
    "RANGE_CUES",
    "STAKE_WORDS",
    "TECH_VERBS",
    "ORG_TYPES",
    "spelled_out",
]

MONTHS = (
    "january february march april may june july august september october november december"
).split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

ORG_TYPES = {
    "Automaker",
    "EnergyCompany",
    "TechCompany",
    "JointVenture",
    "Company",
    "Division",
    "Alliance",
    "NEW",
}
"""Entity types that can hold a stake or take part in an arrangement (NEW: a proposed name)."""

# Words before a percentage that make it a bound, not an exact share: (words, bound, cue).
RANGE_CUES: list[tuple[tuple[str, ...], str, str]] = [
    (("up", "to"), "max", "up to"),
    (("at", "most"), "max", "at most"),
    (("as", "much", "as"), "max", "as much as"),
    (("no", "more", "than"), "max", "no more than"),
    (("less", "than"), "max", "less than"),
    (("below",), "max", "below"),
    (("under",), "max", "under"),
    (("at", "least"), "min", "at least"),
    (("no", "less", "than"), "min", "no less than"),
    (("more", "than"), "min", "more than"),
    (("over",), "min", "over"),
    (("above",), "min", "above"),
    (("in", "excess", "of"), "min", "in excess of"),
]
APPROXIMATE = {"about", "around", "approximately", "roughly", "some", "nearly", "almost", "~"}

STAKE_WORDS = set(
    "acquire acquired acquires acquiring acquisition bought buy buying buys control controls "
    "cross-shareholding cross-shareholdings equity held hold holding holdings holds interest "
    "keep keeps kept own owned owning owns purchase purchased retain retained retains sell "
    "selling sells share shareholding shareholdings shares sold stake stakes take takes "
    "taking took owner owners ownership shareholder shareholders majority invest invests "
    "investing invested investment stakeholder transfer transfers transferred transferring "
    "get gets got getting receive receives received receiving obtain obtains obtained".split()
)
"""Words that make a percentage next to them a stake."""

# Status cues, in order of precedence: the first family found in a clause gives its status.
# (status of the sheet, the signal's name, cue phrases as lower-case word tuples)
STATUS_CUES: list[tuple[str, str, list[tuple[str, ...]]]] = [
    (
        "reported",
        "according to people familiar",
        [
            ("people", "familiar"),
            ("people", "briefed"),
            ("people", "said"),
            ("person", "said"),
            ("the", "sources"),
            ("is", "said", "to"),
            ("are", "said", "to"),
            ("rumoured",),
            ("rumored",),
            ("according", "to", "reports"),
            ("according", "to", "media"),
            ("media", "reports"),
            ("citing", "sources"),
            ("citing", "people"),
            ("citing", "unnamed"),
            ("familiar", "with", "the"),
            ("people", "close", "to"),
            ("sources", "close", "to"),
            ("source", "close", "to"),  # "a source close to the company said"
            ("source", "said"),
            ("source", "familiar"),
            ("anonymity",),
            ("not", "authorized"),
            ("not", "authorised"),
            ("declined", "to", "be", "named"),
            ("person", "familiar"),
            ("sources", "familiar"),
            ("people", "with", "knowledge"),
            ("according", "to", "sources"),
            ("according", "to", "people"),
            ("sources", "said"),
            ("sources", "say"),
            ("sources", "told"),
            ("unnamed", "sources"),
            ("insiders",),
            ("reportedly",),
            ("leaks",),
            ("leaked",),
        ],
    ),
    (
        "plan",
        "plans to",
        [
            ("agreed", "to"),
            ("agreement", "to"),
            ("calls", "for"),
            ("call", "for"),
            ("deal", "to"),
            ("to", "buy"),
            ("to", "acquire"),
            ("to", "purchase"),
            ("to", "invest"),
            ("to", "raise"),
            ("to", "increase"),
            ("to", "cut"),
            ("to", "reduce"),
            ("to", "sell"),
            ("to", "become"),
            ("to", "form"),
            ("to", "create"),
            ("to", "establish"),
            ("to", "set", "up"),
            ("to", "develop"),
            ("to", "co", "-", "develop"),
            ("to", "supply"),
            ("to", "license"),
            ("to", "share"),
            ("to", "use"),
            ("to", "jointly"),
            ("shall",),
            ("pending",),
            ("subject", "to"),
            ("yet", "to"),
            ("in", "talks"),
            ("negotiating",),
            ("explore",),
            ("exploring",),
            ("memorandum",),
            ("mou",),
            ("plans", "to"),
            ("plan", "to"),
            ("planned",),
            ("planning",),
            ("intends",),
            ("intend",),
            ("intended",),
            ("meant", "to"),
            ("aims",),
            ("aim", "to"),
            ("expected",),
            ("expects",),
            ("will",),
            ("would",),
            ("is", "to"),
            ("are", "to"),
            ("set", "to"),
            ("due", "to"),
            ("may",),
            ("might",),
            ("could",),
            ("can",),
            ("allowed", "to"),
            ("to", "take"),
            ("to", "hold"),
            ("consider",),
            ("considering",),
            ("weighing",),  # "is weighing / mulls / eyes a stake": considered, not done
            ("weighs",),
            ("mulls",),
            ("mulling",),
            ("eyes",),
            ("eyeing",),
            ("open", "to"),
            ("seeks",),
            ("seeking",),
            ("looking", "to"),
            ("hopes",),
            ("hoping",),
            ("poised",),
            ("nearing",),
            ("nears",),
            ("proposed",),
            ("potentially",),
            ("is", "acquiring"),
            ("is", "buying"),
            ("to", "be"),
            # a date aimed at, talks under way: "targets mass production in 2028", "is in
            # discussions with B about supplying T"
            ("targets",),
            ("targeting",),
            ("targeted",),
            ("slated",),
            ("scheduled",),
            ("on", "track"),
            ("in", "discussions"),
            ("in", "negotiations"),
            ("discussing",),
        ],
    ),
    (
        "historical",
        "background",
        [
            ("had", "held"),
            ("had", "owned"),
            ("previously",),
            ("formerly",),
            ("initial", "purchase"),
            ("dates", "from"),
            # not "since": "supplies them since 2015", "has held 20% since 2010" hold now;
            # "until" ends it ("had supplied them since 2019 until the dispute")
            ("until",),
            ("began",),
            ("at", "the", "time"),
            ("back", "in"),
            ("was",),
            ("were",),
            ("regarded",),
            ("grew",),
            ("last", "year"),
            ("years", "ago"),
            ("year", "ago"),
            ("a", "year", "earlier"),
            ("brought",),
            ("used", "to"),
        ],
    ),
    (
        "official",
        "completed",
        [
            ("completed",),
            ("completes",),
            ("closed",),
            ("closes",),
            ("now", "holds"),
            ("now", "owns"),
            ("entered", "into", "force"),
            ("took", "effect"),
            ("has", "acquired"),
            ("has", "bought"),
            ("finalised",),
            ("finalized",),
        ],
    ),
    (
        "official",
        "agreed",
        [
            ("agreed",),
            ("agreement",),
            ("agreements",),
            ("signed",),
            ("deal",),
        ],
    ),
    (
        "official",
        "said",
        [("said",), ("says",), ("announced",), ("statement",), ("confirmed",)],
    ),
]

#: Arrangements by which a provider gives a technology to a recipient (who then has it).
GIVING = frozenset({"supplies", "contributes", "shares", "licenses"})

# Technology arrangement cues: word forms -> arrangement (the sheet's vocabulary, or the word
# the drafter would like when the ontology has it: supplies, licenses).
TECH_VERBS: dict[str, str] = {}
for _arrangement, _forms in {
    "develops": "develop develops developed developing co-develop co-develops co-developed "
    "lead leads leading ahead leader leaders pursue pursues pursuing collaborate collaborates "
    "collaborating cooperate cooperates cooperating co-operate "
    "co-developing design designs designed designing make makes making made "
    "unveil unveils unveiled unveiling showcase showcases showcased showcasing "
    "development cooperation collaboration production commercialise commercialize "
    "work works working worked "
    "commercialising commercializing "
    "mass-produce mass-produces mass-producing "
    "manufacture manufactures manufactured manufacturing build builds built building "
    "produce produces produced producing research researching engineer engineers",
    "shares": "share shares shared sharing pool pools pooling exchange exchanges exchanging",
    "contributes": "contribute contributes contributed contributing bring brings bringing "
    "offer offers offering transfer transfers transferred transferring",
    "supplies": "supply supplies supplied supplying supplier suppliers provide provides "
    "provided providing deliver delivers delivering",
    "licenses": "licence licences license licenses licensed licensing licensee",
    "withholds": "withhold withholds withheld withholding",
    "protects": "protect protects protected protecting",
    "acquires": "acquire acquires acquired acquiring access use uses using adopt adopts adopting "
    "buy buys buying bought purchase purchases source sources sourcing receive receives "
    "received receiving obtain obtains obtained procure procures procured procuring",
}.items():
    for _form in _forms.split():
        TECH_VERBS[_form] = _arrangement


# Word lists the reading of names, stakes and technologies uses.

SUFFIXES = set(
    "ag co co. company corp corp. corporation group holding holdings inc inc. limited llc ltd "
    "ltd. motor motors plc pte sa se ".split()
)
"""Company suffixes: "Renault Korea" and "Renault Korea Motors" are one name."""

BREAK = set(
    "ceo cfo chair chairman chairwoman chief coo director executive founder head minister "
    "president vice ".split()
)
"""Role words: a run of capitalised words breaks at them ("Honda President Toshihiro Mibe")."""

NOT_NAMES = set(
    "a according after ai all also american an and another april as asian at august back barely"
    " before both british but by ceo cfo chinese citing compared december dr each earlier east "
    "eu european ev evs february for french friday from further german greater gwh he her here "
    "his however if in indian into ipo it italian its january japanese july june km korean kwh "
    "later many march may meanwhile monday most mou mpv mr ms nev nevs new next nm north "
    "november october of on once one or other r&d roughly saturday saudi separately september "
    "she should since so some south spanish speaking sunday suv suvs swedish than that the "
    "their there these they this those thursday to tuesday two uk under until upon us we "
    "wednesday west when where which while who with within without yet ".split()
)
"""Capitalised words that start no name (sentence openers, months, demonyms, units)."""

TECH_HEADS = set(
    "architecture architectures axle axles batteries battery cell cells chip chips engine "
    "engines fuel fuels motor motors platform platforms powertrain powertrains separator "
    "separators software ".split()
)
"""Head words of a technology the taxonomy lacks ("E/E architecture")."""

NOT_MODIFIERS = NOT_NAMES | set(
    "advanced current efficient existing first future highly including innovative large more "
    "our own possible prototype same scale second several small such sustainable traction "
    "your ".split()
)
"""Words that do not belong in a proposed technology's name."""

STAKE_NOUNS = set("% equity holding percent shareholding shares stake stakes ".split())
"""Between a cue verb and its technology, these mean the sentence is about a stake."""

PRONOUNS = set("automaker both carmaker company firm group it partners they two ".split())
"""Subjects standing for the previous sentence's companies ("it", "the two")."""

USES = set("adopt adopting adopts license tap taps use used uses using ".split())
""""use X's technology": X contributes it, the user acquires it."""

DESCRIBES = set("ahead lead leader leaders leading leads maker makers ".split())
"""Cue words that describe a company rather than report an act: background."""

POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
"""Tokens of a possessive: "Avalon's", and "Avalon Motors'" (the apostrophe alone after a
plural name)."""


def possessive(words: list[str], k: int) -> bool:
    """Whether word ``k`` (lower case) is a possessive's token.

    >>> possessive(["avalon", "motors", "'", "platform"], 2), possessive(["a"], 1)
    (True, False)
    """
    return 0 <= k < len(words) and words[k] in POSSESSIVE


MODALS = set("will would can could may might must shall should".split())
"""Modal verbs: a word after one is a verb ("will use"); "and will ..." starts a clause."""

BODY_STYLES = set("model models sedan hatchback suv crossover pickup van".split())
"""Words of a car's body or model: "its Vesta hatchback" (a model's name), "the sedan uses"
(a product standing for its maker)."""

UNIT_WORDS = set(
    "arm business company division maker makers market sales startup subsidiary unit units "
    "venture ".split()
)
""""Renault's electric vehicle unit": a unit, not the technology."""

# Words that name a technology of the taxonomy without being one of its labels (used only
# when the taxonomy has the concept).
TECH_HINTS: dict[str, str] = {
    "hybrid": "hybrid",
    "hybrids": "hybrid",
    "series-hybrid": "hybrid",
    "internal combustion": "combustion-powertrain",
    "combustion engine": "combustion-powertrain",
    "engine": "combustion-powertrain",  # "supplies engines": in car news, combustion ones
    "electric engine": "electric-drive",
    "combustion": "combustion-powertrain",
    "solid-state": "solid-state-battery",
    "solid-state cell": "solid-state-battery",
    "e-power": "e-power",
    "battery cell": "battery",
    "cell": "battery",
    "electric car": "electric-vehicle",
    "electric vehicles": "electric-vehicle",
    "EVs": "electric-vehicle",
    "synthetic fuels": "synthetic-fuel",
    # the common ways news writes the taxonomy's concepts (each used only where the
    # taxonomy has the concept; plurals are added by the pattern)
    "battery pack": "battery",
    "battery technology": "battery",
    "EV battery": "battery",
    "lithium-ion battery": "battery",
    "lithium-ion": "battery",
    "LFP battery": "battery",
    "lithium iron phosphate": "battery",
    "electric models": "electric-vehicle",
    "electric model": "electric-vehicle",
    "electric SUV": "electric-vehicle",
    # a body style after "electric" ("co-develop an electric pickup"): an electric vehicle
    "electric pickup": "electric-vehicle",
    "electric van": "electric-vehicle",
    "electric truck": "electric-vehicle",
    "electric sedan": "electric-vehicle",
    "electric crossover": "electric-vehicle",
    "electric hatchback": "electric-vehicle",
    "e-car": "electric-vehicle",
    # cars that run on their battery alone: battery electric, the narrower concept
    "battery-powered car": "battery-electric-vehicle",
    "battery-powered vehicle": "battery-electric-vehicle",
    "fully electric": "battery-electric-vehicle",
    "all-electric": "battery-electric-vehicle",
    "pure electric": "battery-electric-vehicle",
    "purely electric": "battery-electric-vehicle",
    "pure-electric": "battery-electric-vehicle",
    "new energy vehicle": "electric-vehicle",
    "NEV": "electric-vehicle",
    "electrified vehicle": "electric-vehicle",
    "zero-emission vehicle": "electric-vehicle",
    "battery electric": "battery-electric-vehicle",
    "hybrid vehicle": "hybrid",
    "hybrid car": "hybrid",
    "hybrid system": "hybrid",
    "hybrid technology": "hybrid",
    "hybrid electric vehicle": "hybrid",
    "HEV": "hybrid",
    "plug-in hybrid": "plug-in-hybrid",
    "plug-in": "plug-in-hybrid",
    "fuel-cell": "hydrogen-fuel-cell",
    "fuel cell vehicle": "hydrogen-fuel-cell",
    "hydrogen vehicle": "hydrogen-fuel-cell",
    "autonomous vehicle": "self-driving",
    "autonomous-driving": "self-driving",
    "automated driving": "self-driving",
    "self-driving car": "self-driving",
    "self-driving technology": "self-driving",
    "robotaxi": "self-driving",
    "driverless": "self-driving",
    "driver assistance": "driver-assistance",
    "driver-assistance system": "driver-assistance",
    "assisted driving": "driver-assistance",
    "software": "software",
    "connected vehicle": "connected-car",
    "connectivity": "connected-car",
    "infotainment": "connected-car",
    "E/E": "electrical-architecture",
    "electric vehicle platform": "ev-platform",
    "electric car platform": "ev-platform",
    "electric-car platform": "ev-platform",
    "EV-platform": "ev-platform",
    "drivetrain": "powertrain",
    "transmission": "powertrain",
    "gasoline": "combustion-powertrain",
    "petrol": "combustion-powertrain",
    "diesel": "combustion-powertrain",
    "combustion-engine": "combustion-powertrain",
    "e-motor": "electric-drive",
    "drive unit": "electric-drive",
    "solid state battery": "solid-state-battery",
    "solid state": "solid-state-battery",
    "cathode": "battery-materials",
    "anode": "battery-materials",
    "cathode material": "battery-materials",
    "anode material": "battery-materials",
    "battery component": "battery-materials",
}


ABBREVIATIONS = {
    "JV": "joint venture",
    "JVs": "joint ventures",
    "joint company": "joint venture",
    "joint companies": "joint ventures",
}
"""Abbreviations and synonyms of news for words the rules read ("a 60-40 JV", "the JV's
partners", "established a joint company": a joint venture)."""

_ABBREVIATION = re.compile(r"\b(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b")


def spelled_out(text: str) -> str:
    """The text the rules read: :data:`ABBREVIATIONS` spelled out (only a proposal's sentence
    offsets reach the sheet, never a token's, so the text may grow).

    >>> spelled_out("They will form a 60-40 JV, and the JVs' plants ...")
    "They will form a 60-40 joint venture, and the joint ventures' plants ..."
    >>> spelled_out("JVC and Kajv"), spelled_out("a joint company, not a joint-stock company")
    ('JVC and Kajv', 'a joint venture, not a joint-stock company')
    """
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)


def hint_names(names: Iterable[Name]) -> list[Name]:
    """:data:`TECH_HINTS` as names, for the technologies the taxonomy has."""
    have = {n.id for n in names if n.is_technology}
    return [
        Name(text, tid, "tech", "Technology") for text, tid in TECH_HINTS.items() if tid in have
    ]


def _tokens(nlp: Any, text: str) -> list[str]:
    return [t.text for t in nlp.make_doc(text)]


def _pattern(nlp: Any, name: Name) -> list[dict[str, Any]]:
    words = _tokens(nlp, name.text)
    if not name.is_technology:
        return [{"ORTH": w} for w in words]
    pattern: list[dict[str, Any]] = [{"LOWER": w.lower()} for w in words]
    last = words[-1].lower()
    if last.isalpha() and len(last) > 2:
        forms = {last, last + "s", last + "es"}
        if last.endswith("y"):
            forms.add(last[:-1] + "ies")
        pattern[-1] = {"LOWER": {"IN": sorted(forms)}}
    return pattern


def pipeline(names: Iterable[Name]) -> Any:
    """A blank English pipeline whose ``entity_ruler`` knows ``names``.

    Each entity's label is the term's type, its ``ent_id_`` is ``"<prefix>:<id>"``. The last
    four pipelines are kept by their names (building one takes a blank English tokenizer and
    a pattern a name, about 0.1 s; each kept one holds about 20 MB), so drafting several
    documents with the same names builds it once; the drafter only reads a pipeline
    (``nlp(text)``, ``nlp.pipe``), never changes it.

    Raises
    ------
    InputError
        spaCy is not installed (``pip install 'automaker-kg[draft]'``).
    """
    return _pipeline(tuple(names))


@functools.lru_cache(maxsize=4)
def _pipeline(names: tuple[Name, ...]) -> Any:
    try:
        import spacy
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError(
            "drafting needs spaCy: pip install 'automaker-kg[draft]' (or pip install spacy)"
        ) from None
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"validate": False})
    patterns = []
    for name in names:
        ident = f"{name.prefix}:{name.id}"
        patterns.append({"label": name.type, "pattern": _pattern(nlp, name), "id": ident})
        if name.is_technology and "-" in name.text:  # "solid state battery" as well
            spaced = Name(name.text.replace("-", " "), name.id, name.prefix, name.type)
            patterns.append({"label": name.type, "pattern": _pattern(nlp, spaced), "id": ident})
        if name.is_technology and " " in name.text:  # "battery-electric" as well
            joined = Name(name.text.replace(" ", "-"), name.id, name.prefix, name.type)
            patterns.append({"label": name.type, "pattern": _pattern(nlp, joined), "id": ident})
        words = _tokens(nlp, name.text)
        if not name.is_technology and any(len(w) > 2 and w.isalpha() for w in words):
            # "XPENG", "Xpeng" for XPeng: any case but all lower case ("horse" is no Horse)
            loose = [
                {"LOWER": w.lower(), "IS_LOWER": False} if w.isalpha() else {"ORTH": w}
                for w in words
            ]
            patterns.append({"label": name.type, "pattern": loose, "id": ident})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


_SCALE = ["million", "billion", "trillion", "bn", "mn", "m", "b"]
_CURRENCY_WORDS = {
    "euros": "EUR",
    "euro": "EUR",
    "dollars": "USD",
    "dollar": "USD",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "won": "KRW",
    "pounds": "GBP",
    "rupees": "INR",
}
CURRENCY_SIGNS = {
    "€": "EUR",
    "$": "USD",
    "US$": "USD",
    "C$": "CAD",
    "A$": "AUD",
    "HK$": "HKD",
    "£": "GBP",
    "¥": "JPY",
    "RMB": "CNY",
    "EUR": "EUR",
    "USD": "USD",
    "JPY": "JPY",
}
CURRENCY_WORDS = _CURRENCY_WORDS
SCALES = {"million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9}
SCALES["trillion"] = 1e12


def matcher(nlp: Any) -> Any:
    """A ``Matcher`` with the PERCENT, MONEY and DATE patterns (greedy, longest match)."""
    from spacy.matcher import Matcher

    m = Matcher(nlp.vocab, validate=True)
    num = {"LIKE_NUM": True}
    m.add(
        "PERCENT",
        [
            [num, {"ORTH": "%"}],
            [num, {"LOWER": {"IN": ["percent", "pct", "pc"]}}],
            [num, {"LOWER": "per"}, {"LOWER": "cent"}],
            [{"TEXT": {"REGEX": r"^\d+(\.\d+)?%-(owned|held)$"}}],  # "43%-owned"
        ],
        greedy="LONGEST",
    )
    m.add(
        "MONEY",
        [
            [{"ORTH": {"IN": list(CURRENCY_SIGNS)}}, num, {"LOWER": {"IN": _SCALE}, "OP": "?"}],
            [
                num,
                {"LOWER": {"IN": _SCALE}, "OP": "?"},
                {"LOWER": {"IN": list(_CURRENCY_WORDS)}},
            ],
        ],
        greedy="LONGEST",
    )
    year = {"SHAPE": "dddd"}
    month = {"LOWER": {"IN": MONTHS}}
    m.add(
        "DATE",
        [
            [{"IS_DIGIT": True}, month, year],
            [month, {"IS_DIGIT": True}, {"ORTH": ",", "OP": "?"}, year],
            [month, year],
            [{"LOWER": {"IN": ["in", "since", "from", "by", "until", "of"]}}, year],
            [{"LOWER": {"IN": ["mid", "early", "late", "end"]}}, {"ORTH": "-", "OP": "?"}, year],
            [month, {"IS_DIGIT": True, "LENGTH": {"<=": 2}}],  # "June 10": the report's year
            [{"TEXT": {"REGEX": r"^(mid|early|late|end)-\d{4}$"}}],  # "mid-2018"
            [year],  # a year alone ("start 2027."; not "2000 jobs", see dates.date_of)
            [{"LOWER": {"IN": WEEKDAYS}}],
            [{"TEXT": {"REGEX": r"^\d{4}-\d{2}-\d{2}$"}}],
            [{"LOWER": "last"}, {"LOWER": "month"}],  # the month before the report's
        ],
        greedy="LONGEST",
    )
    return m
