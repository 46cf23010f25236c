"""The most specific technology concept (``automaker_kg.draft.concepts``): sentences of our own
about fictional companies, on a small taxonomy written here, so each answer can be checked by
eye."""

from __future__ import annotations

import pytest

from automaker_kg.draft.concepts import kinds, modifier_names
from automaker_kg.draft.extract import draft_text
from automaker_kg.draft.names import Name

TECH = [
    ("battery", "battery"),
    ("solid-state battery", "ssb"),
    ("all-solid-state battery", "assb"),
    ("lithium-metal battery", "lmb"),
    ("ceramic separator", "sep"),
    ("powertrain", "powertrain"),
    ("hybrid powertrain", "hybrid"),
    ("combustion powertrain", "combustion"),
    ("e-Power", "e-power"),
    ("vehicle software", "software"),
    ("self-driving software", "self-driving"),
    ("driver-assistance software", "adas"),
    ("ADAS", "adas"),
    ("electric vehicle", "electric-vehicle"),
    ("EV", "electric-vehicle"),
    ("battery electric vehicle", "battery-electric-vehicle"),
]
BROADER = [
    ("ssb", "battery"),
    ("assb", "ssb"),
    ("lmb", "battery"),
    ("sep", "ssb"),
    ("hybrid", "powertrain"),
    ("combustion", "powertrain"),
    ("e-power", "hybrid"),
    ("self-driving", "software"),
    ("adas", "self-driving"),
    ("battery-electric-vehicle", "electric-vehicle"),
    ("electric-vehicle", "powertrain"),
]
NAMES = [
    Name("Avalon Motors", "avalon", "kg", "Automaker"),
    Name("Avalon", "avalon", "kg", "Automaker"),
    Name("Borealis", "borealis", "kg", "Automaker"),
    *(Name(text, ident, "tech", "Technology") for text, ident in TECH),
]


def _tech(sentences: list[str], headline: str = "T") -> list[tuple[str, str, list[str]]]:
    """(kind, arrangement, technologies) of each technology claim drafted from the paragraphs."""
    body = "\n\n".join(sentences)
    d = draft_text(f"Brief: {headline}\nDate: 2026-05-02\n\n{body}\n", NAMES, BROADER)
    return [
        (c.kind, c.fields.get("arrangement", ""), c.fields["technology"])
        for c in d.claims
        if "technology" in c.fields
    ]


def test_a_kind_is_named_as_its_broader_concepts_head_with_a_modifier_or_is_a_brand() -> None:
    """ "solid-state battery" is a kind of battery, "e-Power" (a brand) of the hybrid; the
    ceramic separator is a part of the solid-state battery, no kind of it."""
    k = kinds(NAMES, BROADER)
    assert k["battery"] == {"ssb", "lmb"} and k["ssb"] == {"assb"}
    assert k["hybrid"] == {"e-power"} and k["electric-vehicle"] == {"battery-electric-vehicle"}
    assert "sep" not in k["ssb"]


def test_the_modifier_alone_names_the_kind_unless_it_names_another_concept() -> None:
    """ "solid-state", "lithium-metal" alone name their kinds; "battery" (of "battery electric
    vehicle") is a concept of its own and "combustion" a single plain word: neither."""
    texts = {n.text: n.id for n in modifier_names(NAMES, kinds(NAMES, BROADER))}
    assert texts["solid-state"] == "ssb" and texts["lithium-metal"] == "lmb"
    assert texts["all-solid-state"] == "assb"
    assert "battery" not in texts and "combustion" not in texts


@pytest.mark.parametrize(
    "sentence, technologies",
    [
        ("Avalon will supply lithium-metal cells to Borealis.", ["tech:lmb"]),
        ("Avalon will supply cells with anodes of lithium metal to Borealis.", ["tech:lmb"]),
        ("Avalon will license its ADAS software to Borealis.", ["tech:adas"]),
        ("Avalon will supply solid-state battery cells to Borealis.", ["tech:ssb"]),
        (
            "Avalon will supply batteries, including solid-state batteries, to Borealis.",
            ["tech:ssb"],
        ),
        ("Avalon will supply fully electric cars to Borealis.", ["tech:battery-electric-vehicle"]),
        ("Avalon will supply Nissan-style e-Power hybrid systems to Borealis.", ["tech:e-power"]),
    ],
)
def test_a_sentence_naming_a_kind_gets_the_kind(sentence: str, technologies: list[str]) -> None:
    """The narrower concept the sentence names, not its broader one, and no new technology."""
    assert [t for _, _, t in _tech([sentence])] == [technologies]


def test_a_bare_broad_name_is_the_kind_the_headline_names() -> None:
    """ "batteries" in a report headlined on solid-state batteries are those; without that
    headline they are batteries."""
    sentence = "Avalon will supply batteries to Borealis."
    assert _tech([sentence], "Avalon bets on solid-state batteries") == [
        ("TechnologyArrangement", "supplies", ["tech:ssb"])
    ]
    assert _tech([sentence]) == [("TechnologyArrangement", "supplies", ["tech:battery"])]


def test_the_headlines_kind_is_the_kind_of_it_the_report_named_before() -> None:
    """In a report headlined on solid-state batteries that named all-solid-state ones,
    "the batteries" are all-solid-state; after all-solid-state and lithium-metal ones (not
    kinds of one another) they stay the headline's solid-state batteries."""
    headline = "Carmakers race to build solid-state batteries"
    first = "Avalon is developing all-solid-state batteries."
    later = "Borealis will supply the batteries to Avalon."
    assert _tech([first, later], headline)[-1][2] == ["tech:assb"]
    other = "Borealis is developing lithium-metal batteries."
    assert _tech([first, other, later], headline)[-1][2] == ["tech:ssb"]


def test_a_bare_broad_name_is_the_kind_named_before_unless_two_are_in_view() -> None:
    """After "solid-state batteries", "the batteries" are those; after solid-state and
    lithium-metal ones, which is unclear: the broad battery; "batteries" with nothing
    pointing back are any battery."""
    first = "Avalon makes solid-state batteries."
    later = "Avalon will supply the batteries to Borealis."
    assert _tech([first, later])[-1][2] == ["tech:ssb"]
    both = "Avalon makes solid-state batteries and lithium-metal batteries."
    assert _tech([both, later])[-1][2] == ["tech:battery"]
    other = "Borealis also buys batteries from Avalon."  # no pointer back: any battery
    assert _tech([first, other])[-1][2] == ["tech:battery"]


def test_a_name_that_says_which_other_kind_it_is_stays_broad() -> None:
    """ "lithium-ion battery packs" (news's way of writing a battery, ``rules.TECH_HINTS``)
    are no solid-state battery, though the headline names one."""
    text = (
        "Brief: Avalon bets on solid-state batteries\nDate: 2026-05-02\n\n"
        "Borealis buys lithium-ion battery packs from Avalon.\n"
    )
    claims = draft_text(text, NAMES, BROADER).claims
    assert [c.fields["technology"] for c in claims] == [["tech:battery"]]


def test_the_technology_is_the_one_named_before_when_it_is_given_or_used() -> None:
    """ "license the technology", "use Avalon's technology": the technology named before
    (Avalon's own); "Avalon's technology was praised" and "a technology company" give
    nothing."""
    first = "Avalon has developed a solid-state battery."
    got = _tech([first, "Borealis will license the technology from Avalon."])
    assert got[-1] == ("TechnologyArrangement", "licenses", ["tech:ssb"])
    got = _tech([first, "Borealis will use Avalon's technology in its next sedan."])
    assert got[-1] == ("TechnologyArrangement", "contributes", ["tech:ssb"])
    assert len(_tech([first, "Avalon's technology was praised."])) == 1
    assert _tech(["Borealis is buying a technology company."]) == []


def test_a_plural_name_with_an_apostrophe_alone_is_a_possessive() -> None:
    """ "Avalon Motors' platform" is Avalon Motors' technology, used by Borealis."""
    d = draft_text(
        "Brief: T\nDate: 2026-05-02\n\nBorealis will use Avalon Motors' solid-state cells.\n",
        NAMES,
        BROADER,
    )
    (c,) = d.claims
    assert (c.fields["provider"], c.fields["arrangement"], c.fields["recipient"]) == (
        "kg:avalon",
        "contributes",
        "kg:borealis",
    )
