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

STAKE_WORDS = {
    "stake",
    "stakes",
    "holding",
    "holdings",
    "shareholding",
    "shareholdings",
    "cross-shareholding",
    "cross-shareholdings",
    "equity",
    "interest",
    "share",
    "shares",
    "owned",
    "owns",
    "own",
    "owning",
    "hold",
    "holds",
    "held",
    "keep",
    "keeps",
    "kept",
    "retain",
    "retains",
    "retained",
    "acquire",
    "acquires",
    "acquiring",
    "acquired",
    "acquisition",
    "buy",
    "buys",
    "buying",
    "bought",
    "purchase",
    "purchased",
    "take",
    "takes",
    "taking",
    "took",
    "sell",
    "sells",
    "sold",
    "selling",
    "control",
    "controls",
}

# Status cues, in order of precedence: the first family found in a clause gives its status.
# (status of the sheet, the signal's name, cue phrases as lower-case word tuples)
STATUS_CUES: list[tuple[str, str, list[tuple[str, ...]]]] = [
    (
        "reported",
        "according to people familiar",
        [
            ("people", "familiar"),
            ("familiar", "with", "the"),
            ("people", "close", "to"),
            ("sources", "close", "to"),
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
            ("to", "take"),
            ("to", "hold"),
            ("consider",),
            ("considering",),
            ("proposed",),
            ("potentially",),
            ("is", "acquiring"),
            ("is", "buying"),
            ("to", "be"),
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
            ("since",),
            ("began",),
            ("at", "the", "time"),
            ("back", "in"),
            ("was",),
            ("were",),
            ("regarded",),
            ("grew",),
            ("became",),
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

# Technology arrangement cues: word forms -> arrangement (the sheet's vocabulary, or the word
# the drafter would like when the ontology has it: supplies, licenses).
TECH_VERBS: dict[str, str] = {}
for _arrangement, _forms in {
    "develops": "develop develops developed developing co-develop co-develops co-developed "
    "lead leads leading ahead leader leaders pursue pursues pursuing collaborate collaborates "
    "collaborating cooperate cooperates cooperating co-operate "
    "co-developing design designs designed designing maker makers make makes making "
    "manufacture manufactures manufactured manufacturing build builds built building "
    "produce produces produced producing research researching engineer engineers",
    "shares": "share shares shared sharing pool pools pooling",
    "contributes": "contribute contributes contributed contributing bring brings bringing "
    "offer offers offering transfer transfers transferred transferring",
    "supplies": "supply supplies supplied supplying supplier suppliers provide provides "
    "provided providing deliver delivers delivering",
    "licenses": "licence licences license licenses licensed licensing licensee",
    "withholds": "withhold withholds withheld withholding",
    "protects": "protect protects protected protecting",
    "acquires": "acquire acquires acquired acquiring access use uses using adopt adopts adopting",
}.items():
    for _form in _forms.split():
        TECH_VERBS[_form] = _arrangement


# Words that name a technology of the taxonomy without being one of its labels (used only
# when the taxonomy has the concept).
TECH_HINTS: dict[str, str] = {
    "hybrid": "hybrid",
    "hybrids": "hybrid",
    "series-hybrid": "hybrid",
    "internal combustion": "combustion-powertrain",
    "combustion engine": "combustion-powertrain",
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
}


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

    Each entity's label is the term's type, its ``ent_id_`` is ``"<prefix>:<id>"``.

    Raises
    ------
    InputError
        spaCy is not installed (``pip install 'automaker-kg[draft]'``).
    """
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
        patterns.append(
            {
                "label": name.type,
                "pattern": _pattern(nlp, name),
                "id": f"{name.prefix}:{name.id}",
            }
        )
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
            [{"LOWER": {"IN": WEEKDAYS}}],
            [{"TEXT": {"REGEX": r"^\d{4}-\d{2}-\d{2}$"}}],
        ],
        greedy="LONGEST",
    )
    return m
