"""The drafter on sentences of our own, in the phrasings financial news uses for stakes, joint
ventures and technology deals: fictional companies, so that the rules are cues of language
and not the names or wording of any report the project holds (docs/drafting.md)."""

from __future__ import annotations

import pytest

from automaker_kg.draft.extract import draft_text
from automaker_kg.draft.names import Name

NAMES = [
    Name("Avalon", "avalon", "kg", "Automaker"),
    Name("Borealis", "borealis", "kg", "Automaker"),
    Name("Cygnus", "cygnus", "kg", "Company"),
    Name("Dorado", "dorado", "kg", "Automaker"),
    Name("battery", "battery", "tech", "Technology"),
    Name("solid-state battery", "solid-state-battery", "tech", "Technology"),
    Name("hybrid", "hybrid", "tech", "Technology"),
    Name("EV platform", "ev-platform", "tech", "Technology"),
    Name("software", "software", "tech", "Technology"),
    Name("electrical architecture", "electrical-architecture", "tech", "Technology"),
]
JV = "new:avalon-borealis-joint-venture"
UNKNOWN = (("share_unknown", True),)


def _id(term: str) -> str:
    return term.split(":", 1)[1]


def _facts(sentence: str) -> set[tuple]:
    """The claims drafted from one sentence, as short tuples."""
    claims = draft_text(f"Title: T\nDate: 2024-05-02\n\n{sentence}\n", NAMES).claims
    out: set[tuple] = set()
    for c in claims:
        f = c.fields
        if c.kind == "EquityStake":
            share = tuple(sorted((k, v) for k, v in f.items() if k.startswith("share")))
            out.add(("stake", _id(f["holder"]), _id(f["target"]), share, c.status))
        elif c.kind in ("TechnologyArrangement", "TechnologyLicence"):
            provider = f.get("provider", f.get("licensor", ""))
            recipient = f.get("recipient", f.get("licensee", ""))
            if isinstance(provider, list):  # several providers: "a+b"
                provider = "kg:" + "+".join(sorted(p[3:] for p in provider))
            out.add(
                (
                    "tech",
                    provider[3:],
                    f.get("arrangement", "licenses"),
                    tuple(t[5:] for t in f["technology"]),
                    recipient[3:],
                    c.status,
                )
            )
        elif c.kind == "JointVentureParticipation":
            out.add(("partner", _id(f["member"]), _id(f["organization"]), c.status))
        elif c.kind == "JointProject":
            out.add(("project", tuple(sorted(p[3:] for p in f["participant"])), c.status))
    return out


def _s(holder: str, target: str, status: str, **share: float | bool) -> tuple:
    return ("stake", holder, target, tuple(sorted(share.items())), status)


def _t(provider: str, arrangement: str, tech: str, recipient: str, status: str) -> tuple:
    return ("tech", provider, arrangement, (tech,), recipient, status)


STAKES = [
    # changes of a holding: the new share, and the old one where it is given
    (
        "Avalon cut its holding in Borealis to 10%.",
        {_s("avalon", "borealis", "official", share=10.0)},
    ),
    (
        "Avalon will cut its stake in Borealis to 10% from 15%.",
        {
            _s("avalon", "borealis", "plan", share=10.0),
            _s("avalon", "borealis", "historical", share=15.0),
        },
    ),
    (
        "Avalon trimmed its stake in Borealis to 4.9%.",
        {_s("avalon", "borealis", "official", share=4.9)},
    ),
    (
        "Avalon plans to reduce its shareholding in Borealis to 10%.",
        {_s("avalon", "borealis", "plan", share=10.0)},
    ),
    (
        "Avalon lifted its stake in Borealis to 25%.",
        {_s("avalon", "borealis", "official", share=25.0)},
    ),
    (
        "Avalon raised its stake in Borealis to 25% from 20%.",
        {
            _s("avalon", "borealis", "official", share=25.0),
            _s("avalon", "borealis", "historical", share=20.0),
        },
    ),
    (
        "Avalon doubled its stake in Borealis to 10%.",
        {_s("avalon", "borealis", "official", share=10.0)},
    ),
    (
        "Avalon will increase its holding in Borealis to as much as 30%.",
        {_s("avalon", "borealis", "plan", share_max=30.0)},
    ),
    (
        "Avalon is expected to lower its stake in Borealis to below 10%.",
        {_s("avalon", "borealis", "plan", share_max=10.0)},
    ),
    (
        "Avalon and Borealis will reduce their cross-shareholdings to 10%.",
        {
            _s("avalon", "borealis", "plan", share=10.0),
            _s("borealis", "avalon", "plan", share=10.0),
        },
    ),
    (
        "Avalon and Borealis agreed to cut their stakes in each other to 10%.",
        {
            _s("avalon", "borealis", "plan", share=10.0),
            _s("borealis", "avalon", "plan", share=10.0),
        },
    ),
    (
        "Avalon and Borealis each plan to lower their holdings in each other to 10%.",
        {
            _s("avalon", "borealis", "plan", share=10.0),
            _s("borealis", "avalon", "plan", share=10.0),
        },
    ),
    # reciprocal stakes, small sizes
    (
        "Avalon and Borealis will take 0.2% stakes in each other.",
        {_s("avalon", "borealis", "plan", share=0.2), _s("borealis", "avalon", "plan", share=0.2)},
    ),
    (
        "Avalon and Borealis will each acquire a 0.2% stake in the other.",
        {_s("avalon", "borealis", "plan", share=0.2), _s("borealis", "avalon", "plan", share=0.2)},
    ),
    (
        "Avalon will buy a 0.2% stake in Borealis, and Borealis will buy 0.2% of Avalon.",
        {_s("avalon", "borealis", "plan", share=0.2), _s("borealis", "avalon", "plan", share=0.2)},
    ),
    (
        "Avalon holds 0.3% of Borealis, which in turn owns 2% of Avalon.",
        {
            _s("avalon", "borealis", "official", share=0.3),
            _s("borealis", "avalon", "official", share=2.0),
        },
    ),
    # stakes of no stated size
    (
        "Avalon acquired an undisclosed stake in Borealis.",
        {_s("avalon", "borealis", "official", share_unknown=True)},
    ),
    (
        "Avalon took a minority stake in Borealis.",
        {_s("avalon", "borealis", "official", share_max=50.0)},
    ),
    (
        "Avalon will take a stake in Borealis.",
        {_s("avalon", "borealis", "plan", share_unknown=True)},
    ),
    (
        "Avalon plans to invest in Borealis, taking a small stake.",
        {_s("avalon", "borealis", "plan", share_unknown=True)},
    ),
    (
        "Avalon holds a stake in Borealis.",
        {_s("avalon", "borealis", "official", share_unknown=True)},
    ),
    (
        "Avalon will acquire a minority stake of an undisclosed size in Borealis.",
        {_s("avalon", "borealis", "plan", share_max=50.0)},
    ),
    (
        "Avalon, Borealis's largest shareholder, backed the plan.",
        {_s("avalon", "borealis", "official", share_unknown=True)},
    ),
    (
        "Avalon is an investor in Borealis.",
        {_s("avalon", "borealis", "official", share_unknown=True)},
    ),
    (
        "Avalon-backed Borealis will list its shares.",
        {_s("avalon", "borealis", "official", share_unknown=True)},
    ),
    (
        "Avalon and Cygnus are shareholders in Borealis.",
        {
            _s("avalon", "borealis", "official", share_unknown=True),
            _s("cygnus", "borealis", "official", share_unknown=True),
        },
    ),
    (
        "Avalon-controlled Borealis cut prices.",
        {_s("avalon", "borealis", "official", share_min=50.0)},
    ),
    # lists of holdings: each share with its own company
    (
        "Avalon owns 20% of Borealis, 5% of Cygnus and 3% of Dorado.",
        {
            _s("avalon", "borealis", "official", share=20.0),
            _s("avalon", "cygnus", "official", share=5.0),
            _s("avalon", "dorado", "official", share=3.0),
        },
    ),
    (
        "Avalon holds stakes in Borealis (20%), Cygnus (5%) and Dorado (3%).",
        {
            _s("avalon", "borealis", "official", share=20.0),
            _s("avalon", "cygnus", "official", share=5.0),
            _s("avalon", "dorado", "official", share=3.0),
        },
    ),
    (
        "Avalon's holdings include 20% of Borealis and 5% of Cygnus.",
        {
            _s("avalon", "borealis", "official", share=20.0),
            _s("avalon", "cygnus", "official", share=5.0),
        },
    ),
    (
        "Avalon has a 20% stake in Borealis and a 5% stake in Cygnus.",
        {
            _s("avalon", "borealis", "official", share=20.0),
            _s("avalon", "cygnus", "official", share=5.0),
        },
    ),
    (
        "Avalon owns stakes of 20% in Borealis and 5% in Cygnus.",
        {
            _s("avalon", "borealis", "official", share=20.0),
            _s("avalon", "cygnus", "official", share=5.0),
        },
    ),
    # purchases and sales
    (
        "Avalon will acquire a 20% stake in Borealis.",
        {_s("avalon", "borealis", "plan", share=20.0)},
    ),
    ("Avalon will buy 5% of Borealis.", {_s("avalon", "borealis", "plan", share=5.0)}),
    (
        "Avalon bought 5% of Borealis for $1 billion.",
        {_s("avalon", "borealis", "official", share=5.0)},
    ),
    ("Avalon took a 5% stake in Borealis.", {_s("avalon", "borealis", "official", share=5.0)}),
    (
        "Avalon has agreed to take a 5% stake in Borealis.",
        {_s("avalon", "borealis", "plan", share=5.0)},
    ),
    ("Borealis is 20%-owned by Avalon.", {_s("avalon", "borealis", "official", share=20.0)}),
    (
        "Avalon is Borealis's largest shareholder with a 20% stake.",
        {_s("avalon", "borealis", "official", share=20.0)},
    ),
    (
        "Avalon sold a 5% stake in Borealis to Cygnus.",
        {_s("cygnus", "borealis", "official", share=5.0)},
    ),
    (
        "Cygnus bought Avalon's 20% stake in Borealis.",
        {_s("cygnus", "borealis", "official", share=20.0)},
    ),
    (
        "Cygnus will acquire Avalon's 20% stake in Borealis.",
        {_s("cygnus", "borealis", "plan", share=20.0)},
    ),
    # joint ventures
    (
        "Avalon and Borealis will set up a 50:50 joint venture.",
        {_s("avalon", JV[4:], "plan", share=50.0), _s("borealis", JV[4:], "plan", share=50.0)},
    ),
    (
        "Avalon and Borealis formed a joint venture, each holding half.",
        {
            _s("avalon", JV[4:], "official", share=50.0),
            _s("borealis", JV[4:], "official", share=50.0),
        },
    ),
    (
        "Avalon and Borealis each own 50% of the joint venture.",
        {
            _s("avalon", JV[4:], "official", share=50.0),
            _s("borealis", JV[4:], "official", share=50.0),
        },
    ),
    (
        "The joint venture is owned 51% by Avalon and 49% by Borealis.",
        {
            _s("avalon", JV[4:], "official", share=51.0),
            _s("borealis", JV[4:], "official", share=49.0),
        },
    ),
    (
        "Avalon and Borealis will form an equally owned joint venture.",
        {_s("avalon", JV[4:], "plan", share=50.0), _s("borealis", JV[4:], "plan", share=50.0)},
    ),
    (
        "Avalon will own 51% of the joint venture with Borealis.",
        {_s("avalon", JV[4:], "plan", share=51.0), ("partner", "borealis", JV[4:], "plan")},
    ),
    # more of the same, in other words
    (
        "Avalon holds a 20% stake in Borealis, while Cygnus owns 5%.",
        {
            _s("avalon", "borealis", "official", share=20.0),
            _s("cygnus", "borealis", "official", share=5.0),
        },
    ),
    (
        "Avalon is to take a 10% stake in Borealis for $500 million.",
        {_s("avalon", "borealis", "plan", share=10.0)},
    ),
    ("Avalon owns 20 percent of Borealis.", {_s("avalon", "borealis", "official", share=20.0)}),
    (
        "Avalon has a 20 per cent stake in Borealis.",
        {_s("avalon", "borealis", "official", share=20.0)},
    ),
    (  # "already owns": the holding the news starts from, background (docs/fact-sheets.md)
        "Avalon, which already owns 10% of Borealis, will raise its stake to 20%.",
        {
            _s("avalon", "borealis", "historical", share=10.0),
            _s("avalon", "borealis", "plan", share=20.0),
        },
    ),
    (
        "Avalon reduced its stake in Borealis to 5% from 10% last month.",
        {_s("avalon", "borealis", "official", share=5.0)},
    ),
    (
        "Avalon and Borealis will set up a 50-50 joint venture.",
        {_s("avalon", JV[4:], "plan", share=50.0), _s("borealis", JV[4:], "plan", share=50.0)},
    ),
    (
        "Avalon will control 51% of the joint venture, and Borealis will own the remaining 49%.",
        {_s("avalon", JV[4:], "plan", share=51.0), _s("borealis", JV[4:], "plan", share=49.0)},
    ),
    (
        "Avalon and Borealis will each own half of the joint venture.",
        {_s("avalon", JV[4:], "plan", share=50.0), _s("borealis", JV[4:], "plan", share=50.0)},
    ),
    (
        "Avalon will take a stake of up to 5% in Borealis.",
        {_s("avalon", "borealis", "plan", share_max=5.0)},
    ),
    (
        "Avalon will become Borealis's largest shareholder with a 25% stake.",
        {_s("avalon", "borealis", "plan", share=25.0)},
    ),
    (
        "Avalon bought an additional 3% of Borealis, bringing its holding to 8%.",
        {_s("avalon", "borealis", "official", share=8.0)},
    ),
    (
        "Avalon agreed to acquire a controlling stake in Borealis.",
        {_s("avalon", "borealis", "plan", share_min=50.0)},
    ),
    # more changes, reciprocal stakes and remainders
    (
        "Avalon will hold a 40% stake in the joint venture, with Borealis owning the rest.",
        {_s("avalon", JV[4:], "plan", share=40.0), _s("borealis", JV[4:], "plan", share=60.0)},
    ),
    (
        "Avalon said it would halve its stake in Borealis to 10%.",
        {_s("avalon", "borealis", "plan", share=10.0)},
    ),
    (
        "Avalon pared its holding in Borealis to 3% from 5%.",
        {_s("avalon", "borealis", "official", share=3.0)},
    ),
    (
        "Avalon will boost its stake in Borealis to 30%, up from 20%.",
        {
            _s("avalon", "borealis", "plan", share=30.0),
            _s("avalon", "borealis", "historical", share=20.0),
        },
    ),
    (
        "Avalon's stake in Borealis will fall to 10% after the share sale.",
        {_s("avalon", "borealis", "plan", share=10.0)},
    ),
    ("Avalon's stake in Borealis rose to 15%.", {_s("avalon", "borealis", "official", share=15.0)}),
    (
        "Avalon will hold 15% of Borealis after the deal, down from 43%.",
        {
            _s("avalon", "borealis", "plan", share=15.0),
            _s("avalon", "borealis", "historical", share=43.0),
        },
    ),
    (
        "Avalon and Borealis hold 0.25% of each other's shares.",
        {
            _s("avalon", "borealis", "official", share=0.25),
            _s("borealis", "avalon", "official", share=0.25),
        },
    ),
    (
        "Borealis will acquire 0.2% of Avalon, while Avalon will take 0.5% of Borealis.",
        {_s("borealis", "avalon", "plan", share=0.2), _s("avalon", "borealis", "plan", share=0.5)},
    ),
    (
        "Avalon will take a 20% stake in Borealis and a 10% stake in Cygnus.",
        {_s("avalon", "borealis", "plan", share=20.0), _s("avalon", "cygnus", "plan", share=10.0)},
    ),
    (
        "Avalon, which holds 5% of Cygnus, will buy 10% of Borealis.",
        {
            _s("avalon", "cygnus", "official", share=5.0),
            _s("avalon", "borealis", "plan", share=10.0),
        },
    ),
    (
        "Avalon will sell a 10% stake in Borealis to Cygnus and Dorado.",
        {_s("cygnus", "borealis", "plan", share=10.0)},
    ),
    # a fraction before "of" or a stake noun is the share ("a third": to two decimals)
    (
        "Avalon has acquired a quarter of Borealis.",
        {_s("avalon", "borealis", "official", share=25.0)},
    ),
    (
        "Cygnus will take a one-third stake in Dorado.",
        {_s("cygnus", "dorado", "plan", share=33.33)},
    ),
    ("Avalon owns two-thirds of Cygnus.", {_s("avalon", "cygnus", "official", share=66.67)}),
    # a stake in a unit named in apposition, sold to a buyer after "to"
    (
        "Borealis approved the sale of a 6% stake in its battery unit, Dorado, to Cygnus.",
        {_s("cygnus", "dorado", "official", share=6.0)},
    ),
    # another medium's reporting (not the report itself: "according to the report")
    (
        "Cygnus's holding in Dorado could rise to as much as 15%, the Nikkei business daily "
        "reported.",
        {_s("cygnus", "dorado", "reported", share_max=15.0)},
    ),
    (
        "Avalon will buy 5% of Borealis, according to a Bloomberg report.",
        {_s("avalon", "borealis", "reported", share=5.0)},
    ),
    (
        "Avalon will buy 5% of Borealis, according to the report.",
        {_s("avalon", "borealis", "plan", share=5.0)},
    ),
    # a venture the partners already have is background, and so is one replaced or ended
    (
        "Avalon and Borealis will replace the joint venture the two sides have had since 2019 "
        "with a licence deal.",
        {
            ("partner", "avalon", JV[4:], "historical"),
            ("partner", "borealis", JV[4:], "historical"),
        },
    ),
    (
        "Avalon, the Dorado battery unit, and Borealis will dissolve their joint venture.",
        {
            ("partner", "avalon", JV[4:], "historical"),
            ("partner", "borealis", JV[4:], "historical"),
        },
    ),
    # "A and B will form a joint venture with C": three partners
    (
        "Avalon and Borealis will form a joint venture with Cygnus.",
        {
            ("partner", "avalon", "avalon-borealis-cygnus-joint-venture", "plan"),
            ("partner", "borealis", "avalon-borealis-cygnus-joint-venture", "plan"),
            ("partner", "cygnus", "avalon-borealis-cygnus-joint-venture", "plan"),
        },
    ),
    # plans for a venture "to be owned 55% by A and 45% by B"; a venture already run with
    # another company, each holding half: background, both partners' shares
    (
        "Avalon and Borealis unveiled plans for a battery joint venture, to be owned 55% by "
        "Avalon and 45% by Borealis.",
        {
            ("partner", "avalon", JV[4:], "plan"),
            ("partner", "borealis", JV[4:], "plan"),
            _s("avalon", JV[4:], "plan", share=55.0),
            _s("borealis", JV[4:], "plan", share=45.0),
        },
    ),
    (
        "Avalon already operates a cell joint venture with Cygnus in Hungary, in which each "
        "holds half.",
        {
            ("partner", "avalon", "avalon-cygnus-joint-venture", "historical"),
            ("partner", "cygnus", "avalon-cygnus-joint-venture", "historical"),
            _s("avalon", "avalon-cygnus-joint-venture", "historical", share=50.0),
            _s("cygnus", "avalon-cygnus-joint-venture", "historical", share=50.0),
        },
    ),
    # a source close to the company
    (
        "Avalon intends to raise its stake in Borealis to 15%, a source close to the company said.",
        {_s("avalon", "borealis", "reported", share=15.0)},
    ),
    # "a joint company" is a joint venture
    (
        "Avalon and Borealis will set up a joint company to make batteries.",
        {("partner", "avalon", JV[4:], "plan"), ("partner", "borealis", JV[4:], "plan")},
    ),
    (
        "Avalon and Borealis established a joint company, Zephyr Mobility, in which Avalon "
        "holds 51% and Borealis 49%.",
        {
            ("partner", "avalon", "zephyr-mobility", "official"),
            ("partner", "borealis", "zephyr-mobility", "official"),
            _s("avalon", "zephyr-mobility", "official", share=51.0),
            _s("borealis", "zephyr-mobility", "official", share=49.0),
        },
    ),
    # "JV" is a joint venture, and "percent" a percentage
    (
        "Avalon and Borealis will form a JV, with Avalon holding 60 percent and Borealis 40 "
        "percent.",
        {
            ("partner", "avalon", JV[4:], "plan"),
            ("partner", "borealis", JV[4:], "plan"),
            _s("avalon", JV[4:], "plan", share=60.0),
            _s("borealis", JV[4:], "plan", share=40.0),
        },
    ),
]

# Sentences that name a percentage or a company next to a stake-like word but state no stake.
NOT_STAKES = [
    "Avalon's shares rose 5% after Borealis announced the deal.",
    "Avalon holds a 20% share of the market in Borealis's home country.",
    "Avalon expects electric cars to make up 30% of its sales, Borealis said.",
    "Avalon's sales in Borealis's home market fell 12% last year.",
    "Borealis cut prices by 10% to compete with Avalon.",
    "Avalon will invest $1 billion in Borealis.",
    "Borealis said its shareholders approved the deal.",
    "Avalon, a former shareholder of Borealis, said it would not return.",
    "Avalon sold its stake in Borealis.",
    "Avalon has offloaded its entire 5% stake in Borealis to the market.",
    "Avalon sold a quarter of its cars to Borealis in the third quarter.",
    "Avalon said a third of its sales came from Borealis.",
]

TECHNOLOGY = [
    (
        "Avalon will license its hybrid technology to Borealis.",
        {_t("avalon", "licenses", "hybrid", "borealis", "plan")},
    ),
    (
        "Avalon's hybrid technology will be licensed to Borealis.",
        {_t("avalon", "licenses", "hybrid", "borealis", "plan")},
    ),
    (
        "Borealis has licensed hybrid technology from Avalon.",
        {_t("avalon", "licenses", "hybrid", "borealis", "official")},
    ),
    (
        "Avalon will supply batteries to Borealis.",
        {_t("avalon", "supplies", "battery", "borealis", "plan")},
    ),
    (
        "Avalon supplies batteries to Borealis.",
        {_t("avalon", "supplies", "battery", "borealis", "official")},
    ),
    (
        "Avalon has agreed to supply Borealis with batteries.",
        {_t("avalon", "supplies", "battery", "borealis", "plan")},
    ),
    (
        "Borealis will be supplied with batteries by Avalon.",
        {_t("avalon", "supplies", "battery", "borealis", "plan")},
    ),
    (
        "Batteries for Borealis will be supplied by Avalon.",
        {_t("avalon", "supplies", "battery", "borealis", "plan")},
    ),
    (
        "Avalon will provide Borealis with its software.",
        {_t("avalon", "supplies", "software", "borealis", "plan")},
    ),
    (
        "Borealis will use Avalon's EV platform.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Borealis's new cars will use Avalon's EV platform.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Borealis will build its cars on Avalon's EV platform.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Borealis's new model is based on Avalon's EV platform.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "official")},
    ),
    (
        "Borealis will launch a car based on Avalon's electrical architecture.",
        {_t("avalon", "contributes", "electrical-architecture", "borealis", "plan")},
    ),
    (
        "Avalon will give Borealis access to its EV platform.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Borealis will gain access to Avalon's hybrid technology.",
        {_t("avalon", "contributes", "hybrid", "borealis", "plan")},
    ),
    (
        "Avalon will share its hybrid technology with Borealis.",
        {_t("avalon", "shares", "hybrid", "borealis", "plan")},
    ),
    (
        "Avalon shares its EV platform with Borealis.",
        {_t("avalon", "shares", "ev-platform", "borealis", "official")},
    ),
    (
        "Avalon will not share its solid-state battery technology with Borealis.",
        {_t("avalon", "withholds", "solid-state-battery", "borealis", "official")},
    ),
    (
        "Avalon said it would not license its solid-state battery technology to Borealis.",
        {_t("avalon", "withholds", "solid-state-battery", "borealis", "official")},
    ),
    (
        "Avalon and Borealis will co-develop solid-state batteries.",
        {("project", ("avalon", "borealis"), "plan")},
    ),
    (
        "Avalon and Borealis plan to jointly develop software.",
        {("project", ("avalon", "borealis"), "plan")},
    ),
    (
        "Avalon will develop an EV platform together with Borealis.",
        {("project", ("avalon", "borealis"), "plan")},
    ),
    (
        "Avalon is supplying Borealis with batteries.",
        {_t("avalon", "supplies", "battery", "borealis", "official")},
    ),
    (
        "Borealis sources its batteries from Avalon.",  # a supply in force, as "A supplies B"
        {_t("avalon", "supplies", "battery", "borealis", "official")},
    ),
    (
        "Avalon will supply its hybrid technology to Borealis.",
        {_t("avalon", "supplies", "hybrid", "borealis", "plan")},
    ),
    (
        "Borealis will adopt Avalon's hybrid technology.",
        {_t("avalon", "contributes", "hybrid", "borealis", "plan")},
    ),
    (
        "Borealis builds hybrids under licence from Avalon.",
        {_t("avalon", "licenses", "hybrid", "borealis", "official")},
    ),
    (
        "Avalon granted Borealis a licence for its hybrid technology.",
        {_t("avalon", "licenses", "hybrid", "borealis", "official")},
    ),
    (
        "Borealis's cars will run on Avalon's software.",
        {_t("avalon", "contributes", "software", "borealis", "plan")},
    ),
    (
        "Borealis will use an EV platform developed by Avalon.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Avalon plans to share its EV platform with Borealis and Cygnus.",
        {_t("avalon", "shares", "ev-platform", "borealis", "plan")},
    ),
    (
        "Avalon has no plans to share its battery technology with Borealis.",
        {_t("avalon", "withholds", "battery", "borealis", "official")},
    ),
    (
        "Avalon will keep its solid-state battery technology to itself.",
        {_t("avalon", "withholds", "solid-state-battery", "", "official")},
    ),
    (
        "Borealis will install Avalon's batteries in its cars.",
        {_t("avalon", "contributes", "battery", "borealis", "plan")},
    ),
    (
        "Borealis will build two models on an EV platform developed by Avalon.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Borealis makes cars with software designed by Avalon.",
        {_t("avalon", "contributes", "software", "borealis", "official")},
    ),
    (
        "Avalon will provide its EV platform to Borealis.",
        {_t("avalon", "supplies", "ev-platform", "borealis", "plan")},
    ),
    (
        "Avalon is licensing its battery technology to Borealis and Cygnus.",
        {_t("avalon", "licenses", "battery", "borealis", "official")},
    ),
    (
        "Under the deal, Borealis will use Avalon's software in its cars.",
        {_t("avalon", "contributes", "software", "borealis", "plan")},
    ),
    (
        "Borealis's electric cars will be built on Avalon's EV platform.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Avalon will make its EV platform available to Borealis.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Borealis will get access to Avalon's software.",
        {_t("avalon", "contributes", "software", "borealis", "plan")},
    ),
    (
        "Avalon said it would supply Borealis with hybrid systems.",
        {_t("avalon", "supplies", "hybrid", "borealis", "plan")},
    ),
    (
        "Avalon will be the supplier of batteries for Borealis.",
        {_t("avalon", "supplies", "battery", "borealis", "plan")},
    ),
    (
        "Borealis signed a deal to buy batteries from Avalon.",
        {_t("avalon", "supplies", "battery", "borealis", "plan")},
    ),
    (
        "Batteries will be supplied to Borealis by Avalon.",
        {_t("avalon", "supplies", "battery", "borealis", "plan")},
    ),
    (
        "Avalon's EV platform will underpin Borealis's new models.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Borealis will tap Avalon's battery technology.",
        {_t("avalon", "contributes", "battery", "borealis", "plan")},
    ),
    (
        "Avalon will transfer its hybrid technology to Borealis.",
        {_t("avalon", "contributes", "hybrid", "borealis", "plan")},
    ),
    (
        "Borealis will license its software to Avalon.",
        {_t("borealis", "licenses", "software", "avalon", "plan")},
    ),
    (
        "Avalon declined to share its software with Borealis.",
        {_t("avalon", "withholds", "software", "borealis", "official")},
    ),
    (
        "Avalon's batteries will power Borealis's cars.",
        {_t("avalon", "contributes", "battery", "borealis", "plan")},
    ),
    (
        "Borealis will equip its cars with Avalon's software.",
        {_t("avalon", "contributes", "software", "borealis", "plan")},
    ),
]

# Descriptions: a company and a technology in one sentence, but no arrangement between companies.
NOT_ARRANGEMENTS = [
    "Solid-state batteries could double the range of electric cars, Avalon said.",
    "Sales of hybrid cars rose 10% at Avalon last year.",
    "Analysts say Borealis's software is ahead of Avalon's.",
    "Avalon and Borealis compete in the market for hybrid cars.",
    "Demand for batteries has slowed, Avalon and Borealis said.",
    "Avalon will build a battery plant in Ohio.",
    "Avalon's battery plant opened in 2021.",
    "Avalon recalled 10,000 hybrids because of a software fault.",
    "Avalon expects battery prices to fall.",
]


@pytest.mark.parametrize(("sentence", "expected"), STAKES, ids=[s for s, _ in STAKES])
def test_stake_phrasings(sentence: str, expected: set) -> None:
    """Cuts and raises, reciprocal and undisclosed stakes, lists, purchases, sales and joint
    ventures: the stakes an analyst would write."""
    got = _facts(sentence)
    assert expected <= got, got


@pytest.mark.parametrize("sentence", NOT_STAKES)
def test_no_stake_without_a_holding(sentence: str) -> None:
    """A share price, a market share or a sales figure is not a stake."""
    got = {f for f in _facts(sentence) if f[0] == "stake"}
    assert not got, got


@pytest.mark.parametrize(("sentence", "expected"), TECHNOLOGY, ids=[s for s, _ in TECHNOLOGY])
def test_technology_phrasings(sentence: str, expected: set) -> None:
    """Licences, supply, use of another's platform, sharing and withholding, co-development:
    provider and recipient from the verb's voice."""
    got = _facts(sentence)
    assert expected <= got, got


@pytest.mark.parametrize("sentence", NOT_ARRANGEMENTS)
def test_no_arrangement_from_a_description(sentence: str) -> None:
    """A company and a technology named together is not yet an arrangement between companies,
    and a technology naming a plant, a market or a fault is no arrangement at all."""
    got = {f for f in _facts(sentence) if f[0] == "tech" and (f[4] or "plant" in sentence)}
    assert not got, got


def test_a_stake_sized_elsewhere_is_not_repeated_unsized() -> None:
    """ "Avalon holds 17% of Borealis. Avalon is Borealis's largest shareholder.": one stake,
    the sized one."""
    text = (
        "Title: T\nDate: 2024-05-02\n\nAvalon holds 17% of Borealis.\n\n"
        "Avalon is Borealis's largest shareholder and plans to stay.\n"
    )
    stakes = [c.fields for c in draft_text(text, NAMES).claims if c.kind == "EquityStake"]
    assert [(f["holder"], f.get("share")) for f in stakes] == [("kg:avalon", 17.0)], stakes


JOINT_WORK = [
    (
        "Avalon will team up with Borealis to develop solid-state batteries.",
        {("project", ("avalon", "borealis"), "plan")},
    ),
    (
        "Avalon is working with Cygnus to develop solid-state batteries.",
        {("project", ("avalon", "cygnus"), "plan")},
    ),
    (
        "Avalon and Borealis agreed to work together to launch a range of hybrids.",
        {("project", ("avalon", "borealis"), "plan")},
    ),
    (
        "Borealis will build its next cars on the EV platform.",
        {("tech", "borealis", "acquires", ("ev-platform",), "", "plan")},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), JOINT_WORK, ids=[s for s, _ in JOINT_WORK])
def test_joint_work_and_building_on_a_platform(sentence: str, expected: set) -> None:
    """ "A works with B to develop T" is a joint project of A and B; "B builds its cars on T"
    is B using T, not developing it."""
    got = _facts(sentence)
    assert expected <= got, got


def test_a_product_name_before_a_technology_is_a_technology_of_its_own() -> None:
    """ "Avalon's Zenith EV platform": the Zenith EV platform, a kind of EV platform, alias
    Zenith; the bare "Zenith" later is that platform, not a new company."""
    text = (
        "Title: T\nDate: 2024-05-02\n\nBorealis will build two models on Avalon's Zenith EV "
        "platform.\n\nDorado also plans to use the Zenith.\n"
    )
    draft = draft_text(text, NAMES)
    zenith = draft.entities["zenith-ev-platform"]
    assert (zenith.type, zenith.broader, zenith.aliases) == (
        "Technology",
        "ev-platform",
        ["Zenith"],
    )
    assert "zenith" not in draft.entities
    got = {
        (c.fields["provider"], c.fields.get("recipient"), c.fields["arrangement"])
        for c in draft.claims
        if c.kind == "TechnologyArrangement"
        and c.fields["technology"] == ["new:zenith-ev-platform"]
    }
    assert ("kg:avalon", "kg:borealis", "contributes") in got
    assert ("kg:dorado", None, "acquires") in got


CLAUSES_AND_PAIRS = [
    (
        "Avalon will buy 4.9% of Borealis and Borealis will buy 0.9% of Avalon.",
        {
            _s("avalon", "borealis", "plan", share=4.9),
            _s("borealis", "avalon", "plan", share=0.9),
        },
    ),
    (
        "Avalon and Borealis will hold 60% and 40% respectively of Cygnus.",
        {_s("avalon", "cygnus", "plan", share=60.0), _s("borealis", "cygnus", "plan", share=40.0)},
    ),
    (
        "Under the deal, Borealis would own 51% of Cygnus and Avalon the remaining 49%.",
        {_s("borealis", "cygnus", "plan", share=51.0), _s("avalon", "cygnus", "plan", share=49.0)},
    ),
    (
        "Avalon and Borealis agreed to take stakes in each other of 5% and 2% respectively.",
        {_s("avalon", "borealis", "plan", share=5.0), _s("borealis", "avalon", "plan", share=2.0)},
    ),
    (
        "Avalon will acquire an additional 5% of Borealis, raising its stake to 25%.",
        {_s("avalon", "borealis", "plan", share=25.0)},
    ),
    (
        "Avalon will transfer 28% of Borealis to Cygnus.",
        {_s("cygnus", "borealis", "plan", share=28.0)},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), CLAUSES_AND_PAIRS, ids=[s for s, _ in CLAUSES_AND_PAIRS]
)
def test_two_clauses_pairs_and_increments(sentence: str, expected: set) -> None:
    """ "A will buy x% of B and B will buy y% of A" is two clauses, each with its subject;
    "respectively" pairs holders and shares (also with "each other"); "B the remaining 49%"
    is B's share; "an additional 5%, raising its stake to 25%" holds 25%, not 5%."""
    got = {f for f in _facts(sentence) if f[0] == "stake"}
    assert got == expected, got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Avalon will supply solid state batteries to Borealis.",
            _t("avalon", "supplies", "solid-state-battery", "borealis", "plan"),
        ),
        (
            "Borealis will buy battery packs from Cygnus.",
            _t("cygnus", "supplies", "battery", "borealis", "plan"),
        ),
        (
            "Avalon will share its hybrid technology with Borealis.",
            _t("avalon", "shares", "hybrid", "borealis", "plan"),
        ),
    ],
)
def test_the_usual_ways_of_writing_a_technology(sentence: str, expected: tuple) -> None:
    """A taxonomy concept written without its hyphen, or as news usually writes it ("battery
    packs", "hybrid technology"), is that concept."""
    assert expected in _facts(sentence)


def test_the_three_companies_and_a_company_s_vehicles() -> None:
    """ "The three companies will study collaboration in batteries" after a sentence naming
    three is a joint project of the three; "Avalon's electric vehicles" are its products,
    not a technology it develops."""
    names = [*NAMES, Name("electric vehicle", "electric-vehicle", "tech", "Technology")]
    text = (
        "Title: T\nDate: 2024-05-02\n\nAvalon, Borealis and Cygnus signed a memorandum.\n\n"
        "The three companies will study collaboration in areas such as batteries and software."
        "\n\nAvalon's electric vehicles sold well.\n"
    )
    claims = draft_text(text, names).claims
    assert [(c.kind, c.fields["participant"]) for c in claims] == [
        ("JointProject", ["kg:avalon", "kg:borealis", "kg:cygnus"])
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Avalon and Borealis announced a partnership on software.",
            ("project", ("avalon", "borealis"), "official"),
        ),
        (
            "Avalon and Borealis agreed to a tie-up in hybrids.",
            ("project", ("avalon", "borealis"), "plan"),
        ),
        (
            "Avalon will be Borealis's battery supplier.",
            _t("avalon", "supplies", "battery", "borealis", "plan"),
        ),
        (
            "Avalon's batteries will be used in Borealis's cars.",
            _t("avalon", "contributes", "battery", "borealis", "plan"),
        ),
        (
            "Avalon said it would procure batteries from Borealis.",
            _t("borealis", "supplies", "battery", "avalon", "plan"),
        ),
    ],
)
def test_partnerships_suppliers_and_use_in_another_s_cars(sentence: str, expected: tuple) -> None:
    """ "A and B's partnership / tie-up on T" is a joint project; "A is B's battery supplier"
    is A supplying B (not B developing batteries); "X's T used in Y's cars" is Y using X's T."""
    assert expected in _facts(sentence)


def test_a_partnership_of_one_company_is_no_project() -> None:
    """ "Avalon announced a partnership on software" names one company: nothing is drafted."""
    assert not _facts("Avalon announced a partnership on software.")


@pytest.mark.parametrize(
    "second",
    [
        "The two carmakers will lower their mutual shareholdings to 10%.",
        "Each company will cut its stake in the other to 10%.",
        "Under the new terms, both companies can reduce their holdings in each other to 10%.",
    ],
)
def test_cross_holdings_written_without_names(second: str) -> None:
    """Mutual holdings, "each ... in the other" and "can reduce" (a permission: a plan) after a
    sentence naming the two companies: a planned stake each way."""
    text = f"Title: T\nDate: 2024-05-02\n\nAvalon and Borealis revised their pact.\n\n{second}\n"
    got = {
        (c.fields["holder"], c.fields["target"], c.fields.get("share"), c.status)
        for c in draft_text(text, NAMES).claims
        if c.kind == "EquityStake"
    }
    assert got == {
        ("kg:avalon", "kg:borealis", 10.0, "plan"),
        ("kg:borealis", "kg:avalon", 10.0, "plan"),
    }


# Fourth round: phrasings whose holder or target sits away from the share, and background.
ATTACHED_STAKES = [
    (  # the company the subsidiary phrase describes, not the sentence's last company
        "Avalon owns 20% of Borealis, and it turned Dorado into a wholly owned subsidiary in 2016.",
        {
            _s("avalon", "borealis", "official", share=20.0),
            _s("avalon", "dorado", "historical", share=100.0),
        },
    ),
    (
        "Cygnus, a wholly owned subsidiary of Avalon, signed the contract.",
        {_s("avalon", "cygnus", "official", share=100.0)},
    ),
    (
        "Dorado will become a wholly owned subsidiary of Borealis.",
        {_s("borealis", "dorado", "plan", share=100.0)},
    ),
    (
        "Avalon's wholly owned subsidiary Cygnus placed the order.",
        {_s("avalon", "cygnus", "official", share=100.0)},
    ),
    (  # "already": the holding the news starts from
        "Avalon says it already holds 3% of Borealis and 12% of Cygnus.",
        {
            _s("avalon", "borealis", "historical", share=3.0),
            _s("avalon", "cygnus", "historical", share=12.0),
        },
    ),
    (  # a relative clause sizes the shares its clause buys; the purchase's status
        "Borealis plans to purchase Avalon shares worth $2 billion in the market, which "
        "analysts reckon to be about 0.4% of Avalon.",
        {_s("borealis", "avalon", "plan", share=0.4)},
    ),
    (  # shares of a company bought: a stake of no stated size, the seller holds nothing new
        "Borealis will also buy Cygnus shares from Avalon over two years.",
        {_s("borealis", "cygnus", "plan", share_unknown=True)},
    ),
    (
        "Dorado bought shares of Cygnus.",
        {_s("dorado", "cygnus", "official", share_unknown=True)},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), ATTACHED_STAKES, ids=[s for s, _ in ATTACHED_STAKES]
)
def test_stakes_attached_across_the_sentence(sentence: str, expected: set) -> None:
    """Holder and target of a subsidiary phrase, a share sized in a relative clause, shares
    bought by name, and "already" as background: exactly these stakes, no others."""
    got = {f for f in _facts(sentence) if f[0] == "stake"}
    assert got == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Borealis sold Cygnus shares last year.",
        "Avalon and Borealis shareholders will vote on the merger.",
        "Borealis bought back its own shares.",
        "Both companies would become wholly owned subsidiaries of the new holding.",
    ],
)
def test_no_stake_from_sold_or_own_shares(sentence: str) -> None:
    """Shares sold, a company's own shares, and shareholders voting hold no new stake."""
    got = {f for f in _facts(sentence) if f[0] == "stake"}
    assert not got, got


USED_AND_SHARED = [
    (  # "fit / apply X's technology": X's, given to the company that fits it
        "Borealis will sell versions of two Avalon cars, and it will fit Avalon's hybrid "
        "system to its own vehicles.",
        {_t("avalon", "contributes", "hybrid", "borealis", "plan")},
    ),
    (
        "Borealis applies Avalon's software in its cars.",
        {_t("avalon", "contributes", "software", "borealis", "official")},
    ),
    (  # "running on X's batteries": X's, used by the company whose cars they are
        "Borealis sells two hybrids running on Avalon's batteries.",
        {_t("avalon", "contributes", "battery", "borealis", "official")},
    ),
    (  # "exchange": sharing, both ways
        "Avalon and Borealis will exchange software.",
        {("tech", "avalon+borealis", "shares", ("software",), "", "plan")},
    ),
    (  # "in a partnership with B": the subject and B on the clause's technology
        "Avalon aims to mass-produce solid-state batteries by 2028 in a partnership with Cygnus.",
        {("project", ("avalon", "cygnus"), "plan")},
    ),
    (  # a technology written with a hyphen for its space
        "Avalon will supply Borealis with an electrical-architecture design.",
        {_t("avalon", "supplies", "electrical-architecture", "borealis", "plan")},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), USED_AND_SHARED, ids=[s for s, _ in USED_AND_SHARED]
)
def test_technology_used_shared_and_developed_in_partnership(sentence: str, expected: set) -> None:
    """Verbs of fitting, applying and running on another's technology, exchanging, and work
    "in a partnership with": exactly these arrangements."""
    got = {f for f in _facts(sentence) if f[0] in ("tech", "project")}
    assert got == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The cars will run on a new EV platform designed for global use.",
        "Avalon expects practical use of solid-state batteries to spread, Borealis said.",
    ],
)
def test_use_as_a_noun_is_no_cue(sentence: str) -> None:
    """ "for global use", "practical use of": the noun, not a company using a technology."""
    got = {f for f in _facts(sentence) if f[0] == "tech" and f[2] == "acquires"}
    assert not got, got


@pytest.mark.parametrize(
    "first",
    ["Avalon showed a compact sedan it will sell in Asia.", "Avalon showed its new ZX9 sedan."],
)
def test_a_car_using_a_technology_is_its_maker_using_it(first: str) -> None:
    """ "The car uses B's batteries" after a sentence about A's car: B's, given to A; a model's
    name (letters and digits, a model word next to it) is a car, not a company."""
    second = "The ZX9 uses Borealis's batteries." if "ZX9" in first else "The car uses "
    second += "" if "ZX9" in first else "Borealis's batteries."
    d = draft_text(f"Title: T\nDate: 2024-05-02\n\n{first}\n\n{second}\n", NAMES)
    got = {
        (c.fields["provider"], c.fields.get("recipient"), c.fields["arrangement"])
        for c in d.claims
        if c.kind == "TechnologyArrangement"
    }
    assert got == {("kg:borealis", "kg:avalon", "contributes")}
    assert all(e.type == "VehicleModel" for e in d.entities.values() if "ZX9" in e.label)


OBJECTS_AND_AGENTS = [
    (  # the technology is the nearer verb's object: "exchange", not "bring"
        "Avalon and Borealis bring different strengths and will exchange software.",
        {("tech", "avalon+borealis", "shares", ("software",), "", "plan")},
    ),
    (  # "... and will use batteries from B": a clause of its own, the subject left out
        "Avalon will build the hybrid in Asia and will use batteries from Borealis.",
        {
            ("tech", "avalon", "develops", ("hybrid",), "", "plan"),
            _t("borealis", "contributes", "battery", "avalon", "plan"),
        },
    ),
    (  # causatives: B does the work for A
        "Avalon intends to have Borealis develop and produce its small hybrid model.",
        {_t("borealis", "supplies", "hybrid", "avalon", "plan")},
    ),
    (
        "Avalon will commission Borealis to develop its next hybrid.",
        {_t("borealis", "supplies", "hybrid", "avalon", "plan")},
    ),
    (  # "X's technology" later in the sentence is X's own phrase, not the builder
        "The vehicles will be built on a new EV platform that draws on Avalon's battery "
        "technology.",
        {("tech", "avalon", "contributes", ("battery",), "", "plan")},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), OBJECTS_AND_AGENTS, ids=[s for s, _ in OBJECTS_AND_AGENTS]
)
def test_the_nearer_verb_takes_the_technology_and_causatives(sentence: str, expected: set) -> None:
    """A technology is the object of the cue verb nearest before it; "have B develop" and
    "commission B to develop" are B making it for A: exactly these arrangements."""
    got = {f for f in _facts(sentence) if f[0] in ("tech", "project")}
    assert got == expected


def test_bringing_a_car_to_market_is_a_launch() -> None:
    """ "bring hybrids with these batteries to market" launches cars; nothing is given."""
    got = _facts("Avalon aims to bring hybrids fitted with these batteries to market by 2028.")
    assert not {f for f in got if f[0] == "tech" and f[2] == "contributes"}, got


def test_the_car_is_the_technology_of_the_car_just_named() -> None:
    """ "developed the car jointly with B" after "A unveiled a hybrid sedan": a joint project
    of A and B on the sedan's technology; with no such car named before, nothing."""
    lead = "Avalon unveiled a small hybrid sedan for Asia."
    second = "Avalon said it had developed the car jointly with Borealis."
    d = draft_text(f"Title: T\nDate: 2024-05-02\n\n{lead}\n\n{second}\n", NAMES)
    got = {
        (tuple(sorted(c.fields["participant"])), tuple(c.fields["technology"]), c.status)
        for c in d.claims
        if c.kind == "JointProject"
    }
    assert got == {(("kg:avalon", "kg:borealis"), ("tech:hybrid",), "official")}
    alone = draft_text(f"Title: T\nDate: 2024-05-02\n\n{second}\n", NAMES)
    assert not [c for c in alone.claims if c.kind == "JointProject"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Avalon plans to start operating a solid-state battery pilot line next year.",
            {("tech", "avalon", "develops", ("solid-state-battery",), "", "plan")},
        ),
        (
            "Borealis intends to open a battery demonstration line at an early date.",
            {("tech", "borealis", "develops", ("battery",), "", "plan")},
        ),
        ("Avalon's battery production line in Ohio employs 500 people.", set()),
    ],
)
def test_a_pilot_line_develops_its_technology(sentence: str, expected: set) -> None:
    """A pilot or demonstration line for a technology is its development; a production line
    alone is a place."""
    assert {f for f in _facts(sentence) if f[0] == "tech"} == expected


NEGATED_AND_PASSIVE_STAKES = [
    ("Avalon did not buy a stake in Borealis.", set()),
    ("Avalon denied reports that it would buy 5% of Borealis.", set()),
    (  # the possessed stake is held whatever the clause denies
        "Avalon has no plans to sell its 20% stake in Borealis.",
        {_s("avalon", "borealis", "historical", share=20.0)},
    ),
    (  # a bound, not a negation
        "Avalon will buy no more than 5% of Borealis.",
        {_s("avalon", "borealis", "plan", share_max=5.0)},
    ),
    (  # the agent of a passive holds the stake; "was bought" is the act, reported done
        "A 10% stake in Borealis was bought by Avalon.",
        {_s("avalon", "borealis", "official", share=10.0)},
    ),
    (
        "The remaining 49% of Borealis is held by Cygnus.",
        {_s("cygnus", "borealis", "official", share=49.0)},
    ),
    (  # "its shares" after a buyer: the other company's shares
        "Borealis said Avalon would acquire 15% of its shares.",
        {_s("avalon", "borealis", "plan", share=15.0)},
    ),
    (  # "the new company" two companies each own: their joint venture
        "Avalon and Borealis will each own 50% of the new company.",
        {_s("avalon", JV[4:], "plan", share=50.0), _s("borealis", JV[4:], "plan", share=50.0)},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    NEGATED_AND_PASSIVE_STAKES,
    ids=[s for s, _ in NEGATED_AND_PASSIVE_STAKES],
)
def test_negated_passive_and_pronoun_stakes(sentence: str, expected: set) -> None:
    """Negation and denial drop a stake (not a possessed one); a passive's agent holds it;
    "its shares" after a buyer are the other company's; "the new company" of two owners is
    their joint venture: exactly these stakes."""
    assert {f for f in _facts(sentence) if f[0] == "stake"} == expected


PASSIVE_TECHNOLOGY = [
    (
        "Solid-state batteries developed by Avalon will be supplied to Borealis.",
        {_t("avalon", "supplies", "solid-state-battery", "borealis", "plan")},
    ),
    (
        "The EV platform was jointly developed by Avalon and Borealis.",
        {("project", ("avalon", "borealis"), "historical")},
    ),
    (
        "Avalon will stop supplying batteries to Borealis.",
        {_t("avalon", "withholds", "battery", "borealis", "official")},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), PASSIVE_TECHNOLOGY, ids=[s for s, _ in PASSIVE_TECHNOLOGY]
)
def test_passive_technology_and_an_ended_supply(sentence: str, expected: set) -> None:
    """ "T developed by A will be supplied to B" is A supplying B; "developed by A and B" is
    both; "will stop supplying" is a refusal: exactly these arrangements."""
    assert {f for f in _facts(sentence) if f[0] in ("tech", "project")} == expected


VENTURE_SPLITS_AND_CLAUSES = [
    (  # unequal splits, in the partners' order
        "Avalon and Borealis formed a 60:40 joint venture.",
        {
            _s("avalon", JV[4:], "official", share=60.0),
            _s("borealis", JV[4:], "official", share=40.0),
        },
    ),
    (
        "Avalon and Borealis will set up a 51-49 joint venture.",
        {_s("avalon", JV[4:], "plan", share=51.0), _s("borealis", JV[4:], "plan", share=49.0)},
    ),
    (  # "the joint venture, B 40%": B's share, not the venture's name
        "Avalon will hold 60% of the joint venture, Borealis 40%.",
        {_s("avalon", JV[4:], "plan", share=60.0), _s("borealis", JV[4:], "plan", share=40.0)},
    ),
    (  # "get": a stake word; the second clause's company holds its own share
        "Under the deal, Avalon will get a 15% stake in Borealis, and Cygnus will get 5%.",
        {
            _s("avalon", "borealis", "plan", share=15.0),
            _s("cygnus", "borealis", "plan", share=5.0),
        },
    ),
    (  # "after buying ... last year": the purchase's past is not the holding's
        "Avalon owns 30% of Borealis after buying 10% last year.",
        {
            _s("avalon", "borealis", "official", share=30.0),
            _s("avalon", "borealis", "historical", share=10.0),
        },
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    VENTURE_SPLITS_AND_CLAUSES,
    ids=[s for s, _ in VENTURE_SPLITS_AND_CLAUSES],
)
def test_venture_splits_ellipses_and_subordinate_clauses(sentence: str, expected: set) -> None:
    """ "a 60:40 joint venture", "the joint venture, B 40%", "and C will get 5%", and an
    "after ...ing" clause with its own time: exactly these stakes."""
    assert {f for f in _facts(sentence) if f[0] == "stake"} == expected


def test_getting_a_share_of_sales_is_no_stake() -> None:
    """ "get 30% of its sales from ...": no company after the share, no stake."""
    got = _facts("Avalon expects to get 30% of its sales from electric cars.")
    assert not {f for f in got if f[0] == "stake"}, got


MORE_TECHNOLOGY_DEALS = [
    (
        "Avalon's EV platform will be made available to Borealis.",
        {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
    ),
    (
        "Avalon teamed up with Borealis on software.",
        {("project", ("avalon", "borealis"), "official")},
    ),
    (  # a supply to a named company stated now is in force, not a description
        "Avalon buys its batteries from Borealis.",
        {_t("borealis", "supplies", "battery", "avalon", "official")},
    ),
    (  # sharing the cost of developing is developing together
        "Avalon and Borealis will share the cost of developing software.",
        {("project", ("avalon", "borealis"), "plan")},
    ),
    (
        "Borealis will be Avalon's exclusive supplier of solid-state batteries.",
        {_t("borealis", "supplies", "solid-state-battery", "avalon", "plan")},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), MORE_TECHNOLOGY_DEALS, ids=[s for s, _ in MORE_TECHNOLOGY_DEALS]
)
def test_more_ways_of_writing_technology_deals(sentence: str, expected: set) -> None:
    """ "made available to", "teamed up with B on", "buys its T from B", "share the cost of
    developing", "A's supplier of T": exactly these arrangements."""
    assert {f for f in _facts(sentence) if f[0] in ("tech", "project")} == expected


APPOSED_AND_GIVEN_STAKES = [
    (  # a list of holders, each with its share after a comma
        "Borealis's shareholders include Avalon, with 12%, and Cygnus, with 8%.",
        {
            _s("avalon", "borealis", "official", share=12.0),
            _s("cygnus", "borealis", "official", share=8.0),
        },
    ),
    (  # "gives A 9% of B": a share given, whatever the stake word's distance
        "The stake, worth about 2 billion dollars, gives Avalon 9% of Borealis.",
        {_s("avalon", "borealis", "official", share=9.0)},
    ),
    (  # "its shares" after a buying verb: the other company's
        "Avalon took control of Borealis in 2020 by buying 51% of its shares.",
        {_s("avalon", "borealis", "historical", share=51.0)},
    ),
    (  # "whose largest shareholder": the company before "whose"
        "Borealis, whose largest shareholder is Avalon with 30%, cut prices.",
        {_s("avalon", "borealis", "official", share=30.0)},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    APPOSED_AND_GIVEN_STAKES,
    ids=[s for s, _ in APPOSED_AND_GIVEN_STAKES],
)
def test_apposed_holders_given_shares_and_its_shares(sentence: str, expected: set) -> None:
    """ "A, with 12%, and B, with 8%", "gives A 9% of B", "by buying 51% of its shares":
    exactly these stakes."""
    assert {f for f in _facts(sentence) if f[0] == "stake"} == expected


def test_the_car_reaches_two_paragraphs_and_a_digit_company_stays_a_company() -> None:
    """ "the car" three paragraphs after the sedan is no longer that sedan; a name with
    digits and a company word ("Vela9 Technologies") is a company, not a model."""
    text = (
        "Title: T\nDate: 2024-05-02\n\nAvalon unveiled a small hybrid sedan.\n\n"
        "Sales start in May.\n\nPrices were not given.\n\n"
        "Avalon said it had developed the car jointly with Borealis.\n\n"
        "Vela9 Technologies will supply batteries to Avalon.\n"
    )
    d = draft_text(text, NAMES)
    assert not [c for c in d.claims if c.kind == "JointProject"]
    vela = [e for e in d.entities.values() if e.label.startswith("Vela9")]
    assert vela and vela[0].type != "VehicleModel"
    assert any(
        c.kind == "TechnologyArrangement" and c.fields["provider"] == f"new:{vela[0].id}"
        for c in d.claims
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Avalon is weighing a 10% stake in Borealis.",
        "Avalon mulls buying 10% of Borealis.",
        "Avalon eyes a 10% stake in Borealis.",
        "Avalon seeks to buy 10% of Borealis.",
        "Avalon is nearing a deal to buy 10% of Borealis.",
    ],
)
def test_a_stake_weighed_or_eyed_is_a_plan(sentence: str) -> None:
    """Weighing, mulling, eyeing, seeking and nearing a deal are plans, not holdings."""
    assert _facts(sentence) == {_s("avalon", "borealis", "plan", share=10.0)}


def test_a_name_ending_in_ai_keeps_its_last_word() -> None:
    """ "Zenova AI shares": the company is "Zenova AI" (the word alone is no name), so the
    shares bought are its shares."""
    got = _facts("Borealis will also buy Zenova AI shares from Avalon.")
    assert got == {_s("borealis", "zenova-ai", "plan", share_unknown=True)}
    assert not _facts("AI will change cars, Avalon said.")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Avalon will take 10% stakes in Borealis and Cygnus.",
            {
                _s("avalon", "borealis", "plan", share=10.0),
                _s("avalon", "cygnus", "plan", share=10.0),
            },
        ),
        (
            "Avalon will buy 5% each of Borealis and Cygnus.",
            {
                _s("avalon", "borealis", "plan", share=5.0),
                _s("avalon", "cygnus", "plan", share=5.0),
            },
        ),
        (
            "Avalon holds 20% of both Borealis and Cygnus.",
            {
                _s("avalon", "borealis", "official", share=20.0),
                _s("avalon", "cygnus", "official", share=20.0),
            },
        ),
        (  # not distributive: possibly a share of the two together, left to the analyst
            "Avalon holds 20% of Borealis and Cygnus.",
            {_s("avalon", "borealis", "official", share=20.0)},
        ),
    ],
)
def test_one_share_of_each_coordinated_company(sentence: str, expected: set) -> None:
    """ "stakes in A and B", "each of A and B", "both A and B": the same share of each."""
    assert {f for f in _facts(sentence) if f[0] == "stake"} == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Avalon and Borealis will invest 1 billion dollars in a new battery joint venture.",
            {("partner", "avalon", JV[4:], "plan"), ("partner", "borealis", JV[4:], "plan")},
        ),
        (
            "The joint venture will be owned equally by Avalon and Borealis.",
            {
                ("partner", "avalon", JV[4:], "plan"),
                ("partner", "borealis", JV[4:], "plan"),
                _s("avalon", JV[4:], "plan", share=50.0),
                _s("borealis", JV[4:], "plan", share=50.0),
            },
        ),
        (
            "Avalon and Borealis will jointly own the venture.",
            {("partner", "avalon", JV[4:], "plan"), ("partner", "borealis", JV[4:], "plan")},
        ),
        (  # a use in a relative clause, with the relative clause's status
            "Avalon's EV platform, which Borealis will also use, debuts in 2026.",
            {_t("avalon", "contributes", "ev-platform", "borealis", "plan")},
        ),
    ],
)
def test_ventures_invested_in_or_owned_by_and_a_use_in_a_relative(
    sentence: str, expected: set
) -> None:
    """ "invest in a new joint venture", "owned equally by A and B", "jointly own", and
    "X's T, which Y will also use,": exactly these partners, stakes and arrangements."""
    assert {f for f in _facts(sentence) if f[0] in ("partner", "stake", "tech")} == expected


def test_an_acronym_in_parentheses_is_a_short_name_not_a_company() -> None:
    """ "X's EV platform (ZEP)": a technology of its own, a kind of the EV platform, and one
    claim for the use; "a modular electric toolkit (MET)": no company; "its driving company
    (DCX)": a company still."""
    text = (
        "Title: T\nDate: 2024-05-02\n\n"
        "Borealis will use Avalon's EV platform (ZEP) for two cars.\n\n"
        "Avalon also sells a modular electric toolkit (MET).\n\n"
        "Avalon bought its driving company (DCX) last year.\n"
    )
    d = draft_text(text, NAMES)
    zep = d.entities["zep"]
    assert (zep.type, zep.broader) == ("Technology", "ev-platform")
    assert "met" not in d.entities
    assert d.entities["dcx"].type != "Technology"
    first = min(e.paragraph for c in d.claims for e in c.evidence)
    uses = [
        (c.fields["provider"], c.fields.get("recipient"))
        for c in d.claims
        if c.kind == "TechnologyArrangement" and c.evidence[0].paragraph == first
    ]
    assert uses == [("kg:avalon", "kg:borealis")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Avalon's partnership with Borealis on batteries will expand.",
            {("project", ("avalon", "borealis"), "plan")},
        ),
        (
            "Avalon's battery partnership with Borealis will expand.",
            {("project", ("avalon", "borealis"), "plan")},
        ),
        (  # two companies sharing, stated: in force
            "Under their alliance, Avalon and Borealis share software and batteries.",
            {("tech", "avalon+borealis", "shares", ("battery", "software"), "", "official")},
        ),
    ],
)
def test_a_company_s_partnership_and_sharing_between_two(sentence: str, expected: set) -> None:
    """ "A's (battery) partnership with B (on T)" is a joint project of A and B, not A's own
    technology; "A and B share T" stated is an arrangement in force."""
    assert {f for f in _facts(sentence) if f[0] in ("tech", "project")} == expected


def test_a_model_word_must_touch_the_name() -> None:
    """ "the models for Central Ridge" is no model named Central Ridge; "its Vesta
    hatchback" is."""
    text = (
        "Title: T\nDate: 2024-05-02\n\nAvalon started work on the models for Central Ridge.\n\n"
        "Avalon also sells its Vesta hatchback.\n"
    )
    types = {e.label: e.type for e in draft_text(text, NAMES).entities.values()}
    assert types.get("Central Ridge") != "VehicleModel"
    assert types.get("Vesta") == "VehicleModel"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Borealis will rely on Avalon for batteries.",
            {("tech", "avalon", "supplies", ("battery",), "borealis", "plan")},
        ),
        (
            "Borealis depends on Avalon for its software.",
            {("tech", "avalon", "supplies", ("software",), "borealis", "official")},
        ),
        ("Borealis will depend on Avalon for growth.", set()),  # no technology
        (
            "The two companies will jointly develop software, Avalon and Borealis said.",
            {("project", ("avalon", "borealis"), "plan")},
        ),
        (
            "Borealis will use Avalon Motors' solid-state batteries.",
            {("tech", "avalon", "contributes", ("solid-state-battery",), "borealis", "plan")},
        ),
    ],
)
def test_relying_on_a_supplier_and_the_two_companies_named_after(
    sentence: str, expected: set
) -> None:
    """ "B will rely (depend) on A for T" is A supplying T to B; "the two companies will
    develop T, A and B said" is their joint project though no sentence named them before; a
    plural name's lone apostrophe is a possessive."""
    assert {f for f in _facts(sentence) if f[0] in ("tech", "project")} == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Borealis will buy shares worth $500 million in Avalon, giving it a stake of 1.5%.",
            {("stake", "borealis", "avalon", (("share", 1.5),), "plan")},
        ),
        (
            "Borealis bought new shares in Avalon, taking its holding to 6%.",
            {("stake", "borealis", "avalon", (("share", 6.0),), "official")},
        ),
        (
            "Borealis bought Avalon shares, bringing its stake to 6%.",
            {("stake", "borealis", "avalon", (("share", 6.0),), "official")},
        ),
        (
            "The deal covers joint development of batteries by Avalon and Borealis.",
            {("project", ("avalon", "borealis"), "official")},
        ),
        (
            "Avalon will take 5% of Borealis as part of an alliance that includes joint "
            "development of software.",
            {
                ("stake", "avalon", "borealis", (("share", 5.0),), "plan"),
                ("project", ("avalon", "borealis"), "plan"),
            },
        ),
    ],
)
def test_shares_bought_then_the_holding_and_joint_development(sentence: str, expected: set) -> None:
    """ "A buys shares (worth ...) in B, giving it / taking its holding to 6%" is A's stake in
    B; "joint development of T" is a joint project of the sentence's two companies."""
    assert _facts(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Avalon agreed to acquire a controlling stake of 51% in Borealis.",
            {("stake", "avalon", "borealis", (("share", 51.0),), "plan")},
        ),
        (
            "Avalon holds a 60% majority stake in Borealis.",
            {("stake", "avalon", "borealis", (("share", 60.0),), "official")},
        ),
        (
            "Avalon took a majority stake in Borealis and 5% of Cygnus.",
            {
                ("stake", "avalon", "borealis", (("share_min", 50.0),), "official"),
                ("stake", "avalon", "cygnus", (("share", 5.0),), "official"),
            },
        ),
    ],
)
def test_a_majority_stake_with_its_size_is_that_size(sentence: str, expected: set) -> None:
    """ "a controlling stake of 51%", "a 60% majority stake": one stake of the size given,
    not also one of at least 50%."""
    assert _facts(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Borealis will receive Avalon's solid-state battery under the agreement.",
            {("tech", "avalon", "contributes", ("solid-state-battery",), "borealis", "plan")},
        ),
        (
            "Avalon stopped supplying engines to Borealis last year.",
            {("tech", "avalon", "withholds", ("combustion-powertrain",), "borealis", "official")},
        ),
    ],
)
def test_receiving_a_company_s_technology_and_engines(sentence: str, expected: set) -> None:
    """ "B will receive A's T" is A contributing T to B; "engines" in car news are
    combustion engines."""
    names = [*NAMES, Name("combustion powertrain", "combustion-powertrain", "tech", "Technology")]
    claims = draft_text(f"Title: T\nDate: 2024-05-02\n\n{sentence}\n", names).claims
    got = {
        (
            "tech",
            c.fields["provider"][3:],
            c.fields["arrangement"],
            tuple(t[5:] for t in c.fields["technology"]),
            c.fields.get("recipient", "")[3:],
            c.status,
        )
        for c in claims
    }
    assert got == expected


def test_a_venture_named_in_apposition_with_modifiers_and_the_rest() -> None:
    """ "A and B set up X, a battery joint venture in which each holds 50%": X is the venture,
    A and B its partners with half each; "A owns 45% of X, a joint venture with B, which holds
    the rest": B holds 55%."""
    facts = _facts(
        "Avalon and Borealis set up Nordvolt Cells, a battery joint venture in which each "
        "holds 50%."
    )
    assert {f for f in facts if f[0] == "stake"} == {
        ("stake", "avalon", "nordvolt-cells", (("share", 50.0),), "official"),
        ("stake", "borealis", "nordvolt-cells", (("share", 50.0),), "official"),
    }
    assert {f for f in facts if f[0] == "partner"} == {
        ("partner", "avalon", "nordvolt-cells", "official"),
        ("partner", "borealis", "nordvolt-cells", "official"),
    }
    facts = _facts(
        "Avalon owns 45% of Nordvolt Cells, a joint venture with Borealis, which holds the rest."
    )
    assert {f for f in facts if f[0] == "stake"} == {
        ("stake", "avalon", "nordvolt-cells", (("share", 45.0),), "official"),
        ("stake", "borealis", "nordvolt-cells", (("share", 55.0),), "official"),
    }


@pytest.mark.parametrize(
    "sentence, status",
    [
        ("Avalon has been supplying batteries to Borealis since 2019.", "official"),
        ("Avalon has supplied batteries to Borealis since 2019.", "official"),
        ("Avalon had supplied batteries to Borealis since 2019 until the dispute.", "historical"),
    ],
)
def test_since_with_a_present_perfect_is_still_so(sentence: str, status: str) -> None:
    """ "has (been) V since 2019" is in force now; "had V since" is past."""
    (fact,) = _facts(sentence)
    assert fact[-1] == status


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Avalon and Borealis have agreed to jointly procure batteries and share their "
            "software.",
            {
                ("tech", "avalon+borealis", "acquires", ("battery",), "", "plan"),
                ("tech", "avalon+borealis", "shares", ("software",), "", "plan"),
            },
        ),
        (
            "Avalon makes hybrid systems and supplies them to Borealis.",
            {
                ("tech", "avalon", "develops", ("hybrid",), "", "historical"),
                ("tech", "avalon", "supplies", ("hybrid",), "borealis", "official"),
            },
        ),
        (
            "Avalon will supply batteries and develop software with Borealis.",
            {
                ("tech", "avalon", "supplies", ("battery",), "", "plan"),
                ("project", ("avalon", "borealis"), "plan"),
            },
        ),
        (
            "Avalon's solid-state battery will power two Borealis models from 2027.",
            {("tech", "avalon", "contributes", ("solid-state-battery",), "borealis", "plan")},
        ),
        (
            "The batteries will be supplied by Cygnus, an Avalon subsidiary.",
            {("tech", "cygnus", "supplies", ("battery",), "", "plan")},
        ),
    ],
)
def test_a_second_verb_after_and_and_its_own_object(sentence: str, expected: set) -> None:
    """ "procure T and share U": two arrangements, each verb's own object; "makes T and
    supplies them to B": the supply is of T, to B, and the making has no receiver; a
    company in apposition after the supplier is not the receiver; "power two B models" is
    B's use."""
    assert {f for f in _facts(sentence) if f[0] in ("tech", "project")} == expected


def test_the_battery_making_arm_and_the_remaining_share_retained() -> None:
    """ "a stake in X, the battery-making arm of Y": X makes batteries (a description,
    background), not the buyer; "Y will retain the remaining 75%": Y's share of X, the
    company of the previous stake."""
    text = (
        "Title: T\nDate: 2024-05-02\n\nAvalon will buy a 25% stake in Cygnus, the "
        "battery-making arm of Borealis.\n\nBorealis will retain the remaining 75%.\n"
    )
    claims = draft_text(text, NAMES).claims
    got = {
        (c.kind, _id(c.fields.get("holder", c.fields.get("provider", ""))), c.status)
        for c in claims
    }
    assert got == {
        ("EquityStake", "avalon", "plan"),
        ("TechnologyArrangement", "cygnus", "historical"),
        ("EquityStake", "borealis", "plan"),
    }
    assert {c.fields.get("share") for c in claims if c.kind == "EquityStake"} == {25.0, 75.0}


def test_unequal_shares_of_the_new_company() -> None:
    """ "A will own 50.1% of the new company and B 49.9%": their joint venture, with the
    venture set up in the sentence before or with none named."""
    for text in (
        "Avalon and Borealis will set up a joint venture.\n\nAvalon will own 50.1% of the new "
        "company and Borealis 49.9%.",
        "Avalon will own 50.1% of the new company and Borealis 49.9%.",
    ):
        facts = {f for f in _facts(text) if f[0] == "stake"}
        assert facts == {
            ("stake", "avalon", "avalon-borealis-joint-venture", (("share", 50.1),), "plan"),
            ("stake", "borealis", "avalon-borealis-joint-venture", (("share", 49.9),), "plan"),
        }


def test_verbs_and_numbers_are_no_part_of_a_technology_s_name() -> None:
    """ "will source LFP cells": the new technology is "LFP cell", not "will source LFP
    cell"; "level 4 autonomous driving software" is the taxonomy's self-driving software,
    no product named "4"."""
    names = [*NAMES, Name("autonomous driving", "self-driving", "tech", "Technology")]
    text = (
        "Title: T\nDate: 2024-05-02\n\nAvalon will source LFP cells from Borealis.\n\n"
        "Avalon will co-develop level 4 autonomous driving software with Borealis.\n"
    )
    d = draft_text(text, names, [("self-driving", "software")])
    labels = {e.label for e in d.entities.values() if e.type == "Technology"}
    assert labels == {"LFP cell"}
    assert [c.fields["technology"] for c in d.claims] == [["new:lfp-cell"], ["tech:self-driving"]]


def test_half_of_its_stake_sold() -> None:
    """ "A sold half of its 20% stake in B to C": C holds 10% of B."""
    assert _facts("Avalon sold half of its 20% stake in Borealis to Cygnus.") == {
        ("stake", "cygnus", "borealis", (("share", 10.0),), "official")
    }
