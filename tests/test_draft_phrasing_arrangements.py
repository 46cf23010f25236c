"""The drafter on more of the ways business news writes technology arrangements: joint work
named by a noun or "partnering with", supplies written as production for a customer, a
company's name before its product with no possessive, talks with the receiver before the
verb, aims with a date, a licence of a past year. Fictional companies, sentences of our own
(docs/drafting.md); the taxonomy is the project's own."""

from __future__ import annotations

import pytest

from automaker_kg.draft.extract import draft_text
from automaker_kg.draft.names import Name, known_names, taxonomy_broader


@pytest.fixture(scope="module")
def names() -> list[Name]:
    """The taxonomy's technologies, and four fictional companies the graph lacks."""
    techs = [n for n in known_names() if n.prefix == "tech"]
    orgs = [Name(x, x.lower(), "kg", "Automaker") for x in ("Avalon", "Borealis", "Dorado")]
    return [*techs, *orgs, Name("Cygnus", "cygnus", "kg", "Company")]


def _facts(names: list[Name], sentence: str) -> set[tuple]:
    """The claims drafted from one sentence of a report dated 2024-05-02, as short tuples:
    ("tech", provider, arrangement, technologies, recipient, status) and ("project",
    participants, technologies, status)."""
    text = f"Title: T\nDate: 2024-05-02\n\n{sentence}\n"
    out: set[tuple] = set()
    for c in draft_text(text, names, taxonomy_broader()).claims:
        f = c.fields
        techs = tuple(t.split(":", 1)[1] for t in f.get("technology", []))
        if c.kind == "JointProject":
            who = tuple(sorted(p.split(":", 1)[1] for p in f["participant"]))
            out.add(("project", who, techs, c.status))
        elif c.kind == "TechnologyArrangement":
            givers = f["provider"] if isinstance(f["provider"], list) else [f["provider"]]
            giver = "+".join(sorted(p.split(":", 1)[1] for p in givers))
            taker = f.get("recipient", "kg:").split(":", 1)[1]
            out.add(("tech", giver, f["arrangement"], techs, taker, c.status))
        else:
            out.add((c.kind,))
    return out


CASES = [
    # joint work named by a verb of partnering or a noun, not by a cue verb
    (
        "Avalon is partnering with Borealis on hydrogen fuel cells.",
        {("project", ("avalon", "borealis"), ("hydrogen-fuel-cell",), "official")},
    ),
    (
        "Avalon and Borealis are partners in fuel cell development.",
        {("project", ("avalon", "borealis"), ("hydrogen-fuel-cell",), "official")},
    ),
    (
        "Avalon's cooperation with Borealis also covers batteries and software.",
        {("project", ("avalon", "borealis"), ("battery", "software"), "official")},
    ),
    # an electric body style is an electric vehicle
    (
        "Avalon and Borealis will co-develop an electric pickup and an electric van.",
        {("project", ("avalon", "borealis"), ("electric-vehicle",), "plan")},
    ),
    # production for a named customer is a supply
    (
        "Avalon makes e-axles for Borealis at its plant in Ohio.",
        {("tech", "avalon", "supplies", ("e-axle",), "borealis", "official")},
    ),
    (
        "Dorado will produce battery packs for Cygnus's delivery vans.",
        {("tech", "dorado", "supplies", ("battery",), "cygnus", "plan")},
    ),
    # "gets ... from", "began sourcing ... from": a supply; "gets a boost from" is none
    (
        "Borealis gets its battery cells from Avalon.",
        {("tech", "avalon", "supplies", ("battery",), "borealis", "official")},
    ),
    ("Borealis gets a boost from strong hybrid demand.", set()),
    (
        "Cygnus began sourcing e-axles from Dorado in 2021.",
        {("tech", "dorado", "supplies", ("e-axle",), "cygnus", "historical")},
    ),
    # a company's name before its product, no possessive, after a cue of using
    (
        "Dorado uses Cygnus batteries in its city cars.",
        {("tech", "cygnus", "contributes", ("battery",), "dorado", "official")},
    ),
    (
        "Borealis vans will be powered by Avalon fuel cells.",
        {("tech", "avalon", "contributes", ("hydrogen-fuel-cell",), "borealis", "plan")},
    ),
    (
        "Avalon will install Cygnus-made e-axles in its hatchbacks.",
        {("tech", "cygnus", "contributes", ("e-axle",), "avalon", "plan")},
    ),
    ("Avalon and Borealis hybrid sales rose in March.", set()),
    # the receiving model named after "in", and "feature" as a use
    (
        "Avalon's hybrid system will be installed in Borealis models from next year.",
        {("tech", "avalon", "contributes", ("hybrid",), "borealis", "plan")},
    ),
    (
        "Dorado's new sedan will feature Cygnus's driver-assistance software.",
        {("tech", "cygnus", "contributes", ("driver-assistance",), "dorado", "plan")},
    ),
    # talks with the receiver named before the verb
    (
        "Avalon is in discussions with Borealis about supplying solid-state batteries.",
        {("tech", "avalon", "supplies", ("solid-state-battery",), "borealis", "plan")},
    ),
    (
        "Dorado is in negotiations with Cygnus to share its EV platform, "
        "two people familiar with the talks said.",
        {("tech", "dorado", "shares", ("ev-platform",), "cygnus", "reported")},
    ),
    # an aim with a date is a plan
    (
        "Borealis targets mass production of all-solid-state batteries in 2028.",
        {("tech", "borealis", "develops", ("all-solid-state-battery",), "", "plan")},
    ),
    (
        "Cygnus is on track to start making lithium-metal cells in 2027.",
        {("tech", "cygnus", "develops", ("lithium-metal-battery",), "", "plan")},
    ),
    # a licence granted in a year before the report's: background
    (
        "Avalon licensed its e-axle design to Dorado in 2021.",
        {("tech", "avalon", "licenses", ("e-axle",), "dorado", "historical")},
    ),
    # a vehicle built on another's platform: the platform's use, not the vehicle's development
    (
        "Dorado will launch an electric crossover built on Avalon's EV platform.",
        {("tech", "avalon", "contributes", ("ev-platform",), "dorado", "plan")},
    ),
    # what an agreement covers, listed with no verb of developing: a joint project
    (
        "The memorandum between Avalon and Borealis covers e-axles and software.",
        {("project", ("avalon", "borealis"), ("e-axle", "software"), "plan")},
    ),
    (
        "Dorado and Cygnus signed an agreement on Friday covering fuel cells and batteries.",
        {("project", ("cygnus", "dorado"), ("battery", "hydrogen-fuel-cell"), "official")},
    ),
    (
        "Areas of cooperation include hybrids and software, Avalon and Dorado said.",
        {("project", ("avalon", "dorado"), ("hybrid", "software"), "official")},
    ),
    (
        "Avalon and Cygnus said their tie-up would span batteries and e-axles.",
        {("project", ("avalon", "cygnus"), ("battery", "e-axle"), "plan")},
    ),
    # ... unless another arrangement's verb names the technology: that verb's
    (
        "The deal includes the supply of hybrid systems from Avalon to Borealis.",
        {("tech", "avalon", "supplies", ("hybrid",), "borealis", "official")},
    ),
    # a company's research areas: its own work (background)
    (
        "Cygnus's research focuses on lithium-metal cells and ceramic separators.",
        {
            (
                "tech",
                "cygnus",
                "develops",
                ("ceramic-separator", "lithium-metal-battery"),
                "",
                "historical",
            )
        },
    ),
    # a state since a year still holds: in force, not background
    (
        "Avalon supplies hybrid systems to Borealis since 2015.",
        {("tech", "avalon", "supplies", ("hybrid",), "borealis", "official")},
    ),
    # "it" in a later clause is the sentence's company; "and <past verb>" a clause of its own
    (
        "Cygnus's research covers solid-state batteries, and it has supplied e-axles to Avalon "
        "since 2019.",
        {
            ("tech", "cygnus", "develops", ("solid-state-battery",), "", "historical"),
            ("tech", "cygnus", "supplies", ("e-axle",), "avalon", "official"),
        },
    ),
    (
        "Dorado builds e-axles for Borealis in Spain and licensed its hybrid system to Borealis "
        "in 2020.",
        {
            ("tech", "dorado", "supplies", ("e-axle",), "borealis", "official"),
            ("tech", "dorado", "licenses", ("hybrid",), "borealis", "historical"),
        },
    ),
    # a company word before a product ("Power", "Energy"): the company's product, no new name
    (
        "Avalon will use Nuvola Power batteries in its vans.",
        {("tech", "nuvola-power", "contributes", ("battery",), "avalon", "plan")},
    ),
    # talks about buying: the one talked with sells
    (
        "Borealis is in talks with Cygnus about buying solid-state batteries.",
        {("tech", "cygnus", "supplies", ("solid-state-battery",), "borealis", "plan")},
    ),
    # joint work with a list of partners, however long
    (
        "Dorado is working with Avalon, Borealis and Cygnus on lithium-metal cells.",
        {
            (
                "project",
                ("avalon", "borealis", "cygnus", "dorado"),
                ("lithium-metal-battery",),
                "official",
            )
        },
    ),
    # what a company is good at, and its research topics: its own work
    (
        "Borealis has built up expertise in a range of fields, from e-axles to fuel cells.",
        {("tech", "borealis", "develops", ("e-axle", "hydrogen-fuel-cell"), "", "historical")},
    ),
    (
        "Avalon's research topics include ceramic separators.",
        {("tech", "avalon", "develops", ("ceramic-separator",), "", "historical")},
    ),
    # one verb, each technology to its own receiver: one supply each
    (
        "Avalon will supply hybrid systems to Borealis and e-axles to Cygnus.",
        {
            ("tech", "avalon", "supplies", ("hybrid",), "borealis", "plan"),
            ("tech", "avalon", "supplies", ("e-axle",), "cygnus", "plan"),
        },
    ),
    # an attribution to people familiar covers every clause of its part of the sentence;
    # a receiver after "to" is not joined to the next clause's subject
    (
        "Avalon will supply batteries to Borealis and Borealis will share its EV platform with "
        "Avalon, people familiar with the matter said.",
        {
            ("tech", "avalon", "supplies", ("battery",), "borealis", "reported"),
            ("tech", "borealis", "shares", ("ev-platform",), "avalon", "reported"),
        },
    ),
    (
        "Dorado will license its hybrid system to Cygnus; the deal may also cover e-axles, "
        "people familiar with the talks said.",
        {("tech", "dorado", "licenses", ("hybrid",), "cygnus", "plan")},
    ),
    # an agreement "on T": a joint project; a date in between is no obstacle, a noun is
    (
        "Avalon and Cygnus signed a memorandum of understanding in May on fuel cells.",
        {("project", ("avalon", "cygnus"), ("hydrogen-fuel-cell",), "plan")},
    ),
    ("Avalon and Cygnus signed a memorandum on Monday, citing demand for batteries.", set()),
    # "them" after a second verb of the clause: the technologies named before
    (
        "Avalon supplied e-axles to Borealis until 2021, when Dorado began buying them from "
        "Cygnus.",
        {
            ("tech", "avalon", "supplies", ("e-axle",), "borealis", "historical"),
            ("tech", "cygnus", "supplies", ("e-axle",), "dorado", "historical"),
        },
    ),
    # the company that chose (picked, selected) a supplier receives the supply
    (
        "Dorado has chosen Cygnus as its battery supplier for the new crossover.",
        {("tech", "cygnus", "supplies", ("battery",), "dorado", "official")},
    ),
    (
        "Borealis picked Cygnus to supply e-axles for its next sedan.",
        {("tech", "cygnus", "supplies", ("e-axle",), "borealis", "plan")},
    ),
    # choosing, opting for, offering or debuting another company's technology is its use
    (
        "Cygnus has selected Dorado's EV platform for its first car.",
        {("tech", "dorado", "contributes", ("ev-platform",), "cygnus", "official")},
    ),
    (
        "Borealis has opted for Avalon's hybrid system.",
        {("tech", "avalon", "contributes", ("hybrid",), "borealis", "official")},
    ),
    (
        "Dorado's solid-state battery will debut in Avalon's new sedan.",
        {("tech", "dorado", "contributes", ("solid-state-battery",), "avalon", "plan")},
    ),
    # each technology with its own partner: one joint project each
    (
        "Dorado is developing e-axles with Avalon and fuel cells with Cygnus.",
        {
            ("project", ("avalon", "dorado"), ("e-axle",), "official"),
            ("project", ("cygnus", "dorado"), ("hydrogen-fuel-cell",), "official"),
        },
    ),
    # a plan given up is no arrangement and no plan
    ("Avalon scrapped plans to share its EV platform with Borealis.", set()),
    ("Dorado and Cygnus called off their plan to co-develop fuel cells.", set()),
    ("Avalon had planned to license its hybrid system to Dorado but shelved the idea.", set()),
    # a speaker's company is the subject of the reported clause ("the company", "it")
    (
        "Avalon's chief executive said the company would develop all-solid-state batteries.",
        {("tech", "avalon", "develops", ("all-solid-state-battery",), "", "plan")},
    ),
    (
        "Cygnus reported results. Avalon's president told reporters it would supply e-axles"
        " to Borealis.",
        {("tech", "avalon", "supplies", ("e-axle",), "borealis", "plan")},
    ),
    (  # a company named in the reported clause is its subject, not the speaker's
        "Avalon's chief executive said Borealis would supply batteries.",
        {("tech", "borealis", "supplies", ("battery",), "", "plan")},
    ),
    # "put T into (mass) production": the technology's development; a plant is none
    (
        "Avalon aims to put all-solid-state batteries into mass production by 2028.",
        {("tech", "avalon", "develops", ("all-solid-state-battery",), "", "plan")},
    ),
    ("Avalon will put its new plant into production in 2027.", set()),
    # "has its own T", "its engineers": the company's own work, a description
    (
        "Avalon reported results. The company has its own hybrid technology.",
        {("tech", "avalon", "develops", ("hybrid",), "", "historical")},
    ),
    (
        "Avalon and Borealis have their own batteries.",
        {
            ("tech", "avalon", "develops", ("battery",), "", "historical"),
            ("tech", "borealis", "develops", ("battery",), "", "historical"),
        },
    ),
    # companies working each on its own: one development each, no joint project
    (
        "Avalon, Borealis and Dorado are all developing all-solid-state batteries.",
        {
            ("tech", "avalon", "develops", ("all-solid-state-battery",), "", "historical"),
            ("tech", "borealis", "develops", ("all-solid-state-battery",), "", "historical"),
            ("tech", "dorado", "develops", ("all-solid-state-battery",), "", "historical"),
        },
    ),
    (
        "Both Avalon and Borealis are racing to commercialise all-solid-state batteries.",
        {
            ("tech", "avalon", "develops", ("all-solid-state-battery",), "", "historical"),
            ("tech", "borealis", "develops", ("all-solid-state-battery",), "", "historical"),
        },
    ),
    (  # together: a joint project
        "Avalon and Borealis are developing all-solid-state batteries together.",
        {("project", ("avalon", "borealis"), ("all-solid-state-battery",), "official")},
    ),
    (
        "Avalon reported results. Its researchers developed a lithium-metal battery.",
        {("tech", "avalon", "develops", ("lithium-metal-battery",), "", "historical")},
    ),
    # a bare platform in a sentence about electric vehicles is the EV platform
    (
        "Avalon will build electric vehicles on Borealis's platform.",
        {("tech", "borealis", "contributes", ("ev-platform",), "avalon", "plan")},
    ),
    (
        "Avalon will share its platform with Borealis.",
        {("tech", "avalon", "shares", ("vehicle-platform",), "borealis", "plan")},
    ),
    # co-developed cars on one partner's platform: the joint project and the platform given
    (
        "Avalon and Borealis will co-develop EVs based on Borealis's platform.",
        {
            ("project", ("avalon", "borealis"), ("electric-vehicle",), "plan"),
            ("tech", "borealis", "contributes", ("ev-platform",), "avalon", "plan"),
        },
    ),
    (  # one company's car built on another's platform: the platform's use only
        "Avalon will build an electric SUV based on Borealis's platform.",
        {("tech", "borealis", "contributes", ("ev-platform",), "avalon", "plan")},
    ),
    # "X's electric sedan will be powered by Y's T": X's car, no technology of X given
    (
        "Borealis's new electric sedan will be powered by Avalon's Blade batteries.",
        {("tech", "avalon", "contributes", ("blade-battery",), "borealis", "plan")},
    ),
    # work "for more than a decade on T"; an aside between commas after the verb
    (
        "Avalon has been working for more than a decade on all-solid-state batteries.",
        {("tech", "avalon", "develops", ("all-solid-state-battery",), "", "historical")},
    ),
    (  # "its suppliers" with no technology of theirs supplies nothing
        "Avalon has for years been developing, together with its suppliers and in its own"
        " labs, all-solid-state batteries.",
        {("tech", "avalon", "develops", ("all-solid-state-battery",), "", "historical")},
    ),
    # "A will let (allow) B (to) use its T": A gives it to B
    (
        "Borealis will allow Avalon to use its EV platform.",
        {("tech", "borealis", "contributes", ("ev-platform",), "avalon", "plan")},
    ),
    (
        "Borealis will let Avalon use its hybrid system.",
        {("tech", "borealis", "contributes", ("hybrid",), "avalon", "plan")},
    ),
    # the verb left out after "and B": each company's own part
    (
        "Avalon will provide the platform and Borealis the software.",
        {
            ("tech", "avalon", "supplies", ("vehicle-platform",), "", "plan"),
            ("tech", "borealis", "supplies", ("software",), "", "plan"),
        },
    ),
    (
        "Avalon will develop the battery and Borealis the e-axle.",
        {
            ("tech", "avalon", "develops", ("battery",), "", "plan"),
            ("tech", "borealis", "develops", ("e-axle",), "", "plan"),
        },
    ),
    # "the Tokyo-based automaker", "the Detroit carmaker": the company named before, no
    # new company named after its city; "it" is the company named before, not the receiver
    (
        "Avalon reported results. The Tokyo-based automaker will develop all-solid-state"
        " batteries.",
        {("tech", "avalon", "develops", ("all-solid-state-battery",), "", "plan")},
    ),
    (
        "Avalon reported results. The Detroit carmaker also plans to supply e-axles to Borealis.",
        {("tech", "avalon", "supplies", ("e-axle",), "borealis", "plan")},
    ),
    (
        "Avalon reported results. In addition, it will supply e-axles to Borealis.",
        {("tech", "avalon", "supplies", ("e-axle",), "borealis", "plan")},
    ),
    # the electric vehicles of a company the report calls an EV maker are battery-electric
    (
        "Avalon will buy a stake in the EV maker Cygnus. Avalon plans to use Cygnus's EV"
        " technology.",
        {("tech", "cygnus", "contributes", ("battery-electric-vehicle",), "avalon", "plan")},
    ),
    (
        "Cygnus, an EV startup, will supply electric vehicles to Borealis.",
        {("tech", "cygnus", "supplies", ("battery-electric-vehicle",), "borealis", "plan")},
    ),
    (
        "Cygnus will supply electric vehicles to Borealis.",
        {("tech", "cygnus", "supplies", ("electric-vehicle",), "borealis", "plan")},
    ),
    # a relative clause's verb is the work of the company it describes
    (
        "Avalon and Borealis each hold 40% of Cygnus, which develops self-driving software.",
        {
            ("tech", "cygnus", "develops", ("self-driving",), "", "historical"),
            ("EquityStake",),
        },
    ),
    # a unit named by what it works on: the unit's own work, a description
    (
        "Avalon will invest in Cygnus, Borealis's electric vehicle and software unit.",
        {("tech", "cygnus", "develops", ("electric-vehicle", "software"), "", "historical")},
    ),
    (
        "Avalon will invest in Borealis's EV unit Cygnus.",
        {("tech", "cygnus", "develops", ("electric-vehicle",), "", "historical")},
    ),
    (  # the subsidiary makes the batteries, not its owner; its supply is its own
        "Cygnus, Borealis's battery-making subsidiary, will supply cells to Avalon.",
        {
            ("tech", "cygnus", "develops", ("battery",), "", "historical"),
            ("tech", "cygnus", "supplies", ("battery",), "avalon", "plan"),
        },
    ),
    # a company after "to" is the receiver, never the giver
    ("Borealis's battery and software unit will supply cells to Avalon.", set()),
    # a joint study is joint work; a study of one company's is not read
    (
        "Avalon and Borealis are considering a joint study of batteries and e-axles.",
        {("project", ("avalon", "borealis"), ("battery", "e-axle"), "plan")},
    ),
    (
        "Avalon and Borealis will jointly study all-solid-state batteries.",
        {("project", ("avalon", "borealis"), ("all-solid-state-battery",), "plan")},
    ),
    ("Avalon will study all-solid-state batteries.", set()),
    # the scope of an agreement named in the sentence before
    (
        "Avalon and Borealis signed a memorandum. The scope includes batteries and e-axles.",
        {("project", ("avalon", "borealis"), ("battery", "e-axle"), "official")},
    ),
    # "the first carmaker outside A to use T": A's technology, used by B (not B acquiring it);
    # the status is the main verb's, not the infinitive's
    (
        "Borealis is the first carmaker outside Avalon to use e-Power.",
        {("tech", "avalon", "contributes", ("e-power",), "borealis", "official")},
    ),
    (
        "Borealis will be the first automaker other than Avalon to use its e-Power system.",
        {("tech", "avalon", "contributes", ("e-power",), "borealis", "plan")},
    ),
    (
        "Borealis became the first automaker outside Avalon to adopt the e-axle.",
        {("tech", "avalon", "contributes", ("e-axle",), "borealis", "official")},
    ),
    (
        "Borealis is the only company besides Avalon to license solid-state batteries, "
        "people familiar with the matter said.",
        {("tech", "avalon", "licenses", ("solid-state-battery",), "borealis", "reported")},
    ),
    # "fit (equip) cars with T from A": A supplies T; with no source, nothing
    (
        "Borealis will fit its vans with batteries from Avalon.",
        {("tech", "avalon", "supplies", ("battery",), "borealis", "plan")},
    ),
    (
        "Borealis's vans will be equipped with battery packs from Avalon.",
        {("tech", "avalon", "supplies", ("battery",), "borealis", "plan")},
    ),
    ("Borealis will equip its models with hybrid systems.", set()),
    # "its" after a use cue is the company the user deals "with", not the user
    (
        "Borealis has signed a deal with Avalon to use its solid-state batteries.",
        {("tech", "avalon", "contributes", ("solid-state-battery",), "borealis", "plan")},
    ),
    (
        "Borealis will work with Avalon and use its own solid-state batteries.",
        {("tech", "borealis", "acquires", ("solid-state-battery",), "", "plan")},
    ),
    # "X's T will go into B's vans": B uses X's technology (not "integrated into")
    (
        "Avalon's solid-state batteries will go into Borealis's vans from 2027.",
        {("tech", "avalon", "contributes", ("solid-state-battery",), "borealis", "plan")},
    ),
    # one arrangement per receiver of "to B and C"; "and C will ..." is a clause of its own
    (
        "Avalon will license its hybrid technology to Borealis and Dorado.",
        {
            ("tech", "avalon", "licenses", ("hybrid",), "borealis", "plan"),
            ("tech", "avalon", "licenses", ("hybrid",), "dorado", "plan"),
        },
    ),
    (
        "Avalon will share its EV platform with Borealis and Dorado.",
        {
            ("tech", "avalon", "shares", ("ev-platform",), "borealis", "plan"),
            ("tech", "avalon", "shares", ("ev-platform",), "dorado", "plan"),
        },
    ),
    (
        "Avalon will supply batteries to Borealis and Dorado will build the cars.",
        {("tech", "avalon", "supplies", ("battery",), "borealis", "plan")},
    ),
    # the kind a report singles out of a broad name is the technology
    (
        "Avalon will provide batteries, notably LFP cells, to Borealis.",
        {("tech", "avalon", "supplies", ("lfp-cell",), "borealis", "plan")},
    ),
    (
        "Avalon will supply software, such as driver assistance software, to Borealis.",
        {("tech", "avalon", "supplies", ("driver-assistance",), "borealis", "plan")},
    ),
    (
        "Avalon will supply batteries, notably e-axles, to Borealis.",
        {("tech", "avalon", "supplies", ("battery", "e-axle"), "borealis", "plan")},
    ),
    # "supply B and C with T", "buy T from A and D": one arrangement each
    (
        "Avalon agreed to supply Borealis and Dorado with battery packs.",
        {
            ("tech", "avalon", "supplies", ("battery",), "borealis", "plan"),
            ("tech", "avalon", "supplies", ("battery",), "dorado", "plan"),
        },
    ),
    (
        "Borealis will buy hybrid systems from Avalon and Dorado.",
        {
            ("tech", "avalon", "supplies", ("hybrid",), "borealis", "plan"),
            ("tech", "dorado", "supplies", ("hybrid",), "borealis", "plan"),
        },
    ),
    # "picked X's T", "underpinned by X's T": uses of X's technology
    (
        "Borealis picked Avalon's EV platform for its next-generation sedans.",
        {("tech", "avalon", "contributes", ("ev-platform",), "borealis", "official")},
    ),
    (
        "Borealis's next EV will be underpinned by Avalon's EV platform.",
        {("tech", "avalon", "contributes", ("ev-platform",), "borealis", "plan")},
    ),
    # "A will equip B's vans with its T": A supplies T to B (not B's own T: a possessive's
    # phrase ends at "with" or "its"); with no "its" and no source, nothing
    (
        "Avalon will equip Borealis's vans with its e-axles.",
        {("tech", "avalon", "supplies", ("e-axle",), "borealis", "plan")},
    ),
    ("Avalon will equip Borealis's vans with e-axles.", set()),
    # "A signed a licensing agreement with B for its T": A's technology licensed to B
    (
        "Avalon signed a licensing agreement with Borealis for its solid-state battery technology.",
        {("tech", "avalon", "licenses", ("solid-state-battery",), "borealis", "official")},
    ),
    # round 9, press-release phrasings: a licence granted with its terms, royalties
    (
        "Avalon has granted Borealis a non-exclusive licence to its solid-state battery "
        "technology.",
        {("tech", "avalon", "licenses", ("solid-state-battery",), "borealis", "official")},
    ),
    (
        "Borealis will pay Avalon royalties for its hybrid system.",
        {("tech", "avalon", "licenses", ("hybrid",), "borealis", "plan")},
    ),
    (
        "Borealis pays royalties to Avalon on every battery pack it builds.",
        {("tech", "avalon", "licenses", ("battery",), "borealis", "official")},
    ),
    ("Avalon paid royalties on its hybrid system in 2019.", set()),
    # receivers given as examples of a group
    (
        "Avalon will supply e-axles to several automakers, including Borealis and Dorado.",
        {
            ("tech", "avalon", "supplies", ("e-axle",), "borealis", "plan"),
            ("tech", "avalon", "supplies", ("e-axle",), "dorado", "plan"),
        },
    ),
    (
        "Avalon will license its hybrid system to rivals such as Borealis.",
        {("tech", "avalon", "licenses", ("hybrid",), "borealis", "plan")},
    ),
    # a supplier tapped, an order placed or won
    (
        "Borealis tapped Avalon for e-axles.",
        {("tech", "avalon", "supplies", ("e-axle",), "borealis", "official")},
    ),
    (
        "Borealis placed an order with Avalon for battery cells.",
        {("tech", "avalon", "supplies", ("battery",), "borealis", "official")},
    ),
    (
        "Avalon won a contract from Borealis for battery packs.",
        {("tech", "avalon", "supplies", ("battery",), "borealis", "official")},
    ),
    ("Borealis signed a contract with Avalon for e-axles.", set()),  # who supplies: not said
    # joint work: forces joined, expertise combined
    (
        "Avalon joins forces with Borealis on hydrogen fuel cells.",
        {("project", ("avalon", "borealis"), ("hydrogen-fuel-cell",), "official")},
    ),
    (
        "Avalon and Borealis will combine their expertise in battery technology.",
        {("project", ("avalon", "borealis"), ("battery",), "plan")},
    ),
    (
        "Avalon and Borealis will pool their resources in software.",
        {("project", ("avalon", "borealis"), ("software",), "plan")},
    ),
    ("Avalon joined hands with Borealis in 2020.", set()),
    # a platform ridden on, a system borrowed: the owner's technology used
    (
        "Borealis's new crossover will ride on Avalon's electric vehicle platform.",
        {("tech", "avalon", "contributes", ("ev-platform",), "borealis", "plan")},
    ),
    (
        "Borealis will borrow Avalon's hybrid system for its compact cars.",
        {("tech", "avalon", "contributes", ("hybrid",), "borealis", "plan")},
    ),
    # withholding: kept in-house, reserved for its own cars, sharing ruled out
    (
        "Avalon will keep its battery technology in-house.",
        {("tech", "avalon", "withholds", ("battery",), "", "official")},
    ),
    (
        "Avalon will reserve its solid-state batteries for its own vehicles.",
        {("tech", "avalon", "withholds", ("solid-state-battery",), "", "official")},
    ),
    (
        "Avalon ruled out sharing its platform with Borealis.",
        {("tech", "avalon", "withholds", ("vehicle-platform",), "borealis", "official")},
    ),
    ("Avalon has not ruled out licensing its hybrid system.", set()),
    (
        "Avalon will keep building hybrids for its own brands.",
        {("tech", "avalon", "develops", ("hybrid",), "", "plan")},
    ),
    # a technology unveiled is developed; a car unveiled is a launch
    (
        "Avalon unveiled its solid-state battery on Tuesday.",
        {("tech", "avalon", "develops", ("solid-state-battery",), "", "historical")},
    ),
    ("Borealis unveiled a hybrid SUV.", set()),
    (
        "Borealis unveiled an electric sedan built on Avalon's platform.",
        {("tech", "avalon", "contributes", ("ev-platform",), "borealis", "official")},
    ),
    # a customer of X's technology is supplied by X
    (
        "Borealis is the first customer for Avalon's solid-state batteries.",
        {("tech", "avalon", "supplies", ("solid-state-battery",), "borealis", "official")},
    ),
    (
        "Borealis will be the first customer of Avalon's e-axles.",
        {("tech", "avalon", "supplies", ("e-axle",), "borealis", "plan")},
    ),
    # giving both ways: one arrangement each way
    (
        "Avalon and Borealis will cross-license their battery patents.",
        {
            ("tech", "avalon", "licenses", ("battery",), "borealis", "plan"),
            ("tech", "borealis", "licenses", ("battery",), "avalon", "plan"),
        },
    ),
    (
        "Avalon and Borealis will supply each other with e-axles.",
        {
            ("tech", "avalon", "supplies", ("e-axle",), "borealis", "plan"),
            ("tech", "borealis", "supplies", ("e-axle",), "avalon", "plan"),
        },
    ),
    (
        "Avalon and Borealis agreed on the mutual supply of e-axles.",
        {
            ("tech", "avalon", "supplies", ("e-axle",), "borealis", "official"),
            ("tech", "borealis", "supplies", ("e-axle",), "avalon", "official"),
        },
    ),
    (
        "Avalon and Borealis will supply e-axles to Dorado.",
        {("tech", "avalon+borealis", "supplies", ("e-axle",), "dorado", "plan")},
    ),
    # a common platform used (built on) by two companies is shared; developed, a project
    (
        "Avalon and Borealis will use a common electric vehicle platform.",
        {("tech", "avalon+borealis", "shares", ("ev-platform",), "", "plan")},
    ),
    (
        "Avalon and Borealis will build their cars on a shared platform.",
        {("tech", "avalon+borealis", "shares", ("vehicle-platform",), "", "plan")},
    ),
    (
        "Avalon and Borealis will develop a common platform.",
        {("project", ("avalon", "borealis"), ("vehicle-platform",), "plan")},
    ),
    # the cars a supply is for are not supplied
    (
        "Avalon will supply Borealis with battery cells for its electric vehicles from 2026.",
        {("tech", "avalon", "supplies", ("battery",), "borealis", "plan")},
    ),
    (
        "Avalon will supply batteries and electric vehicles to Borealis.",
        {("tech", "avalon", "supplies", ("battery", "electric-vehicle"), "borealis", "plan")},
    ),
    # a receiver's use of what it is given is the giving, not a second claim
    (
        "Avalon will supply battery cells to Borealis, which will use them in its electric "
        "vehicles.",
        {("tech", "avalon", "supplies", ("battery",), "borealis", "plan")},
    ),
    (
        "Avalon's hybrid system will be featured in Borealis's vehicles.",
        {("tech", "avalon", "contributes", ("hybrid",), "borealis", "plan")},
    ),
    (
        "Avalon and Borealis will leverage each other's strengths in software.",
        {("project", ("avalon", "borealis"), ("software",), "plan")},
    ),
    # selling to someone is a supply; a business or cars sold are not
    (
        "Avalon sells e-axles to Borealis.",
        {("tech", "avalon", "supplies", ("e-axle",), "borealis", "official")},
    ),
    ("Avalon sold its battery business to Borealis.", set()),
    ("Avalon will sell its electric vehicles to fleet customers.", set()),
    # "calls for A to supply": A the subject of the infinitive, a plan
    (
        "The agreement calls for Avalon to provide its hybrid system to Borealis.",
        {("tech", "avalon", "supplies", ("hybrid",), "borealis", "plan")},
    ),
    (
        "Avalon designs, makes and sells batteries and e-axles.",
        {("tech", "avalon", "develops", ("battery", "e-axle"), "", "historical")},
    ),
    # a supplier selected (chosen) in the passive: the company after "by" receives the supply;
    # the cars it is for are no part of it
    (
        "Cygnus has been selected by Borealis as the battery supplier for its next generation "
        "of electric SUVs.",
        {("tech", "cygnus", "supplies", ("battery",), "borealis", "official")},
    ),
    (
        "Cygnus was chosen by Dorado to supply e-axles.",
        {("tech", "cygnus", "supplies", ("e-axle",), "dorado", "plan")},
    ),
    (
        "Cygnus will supply batteries to Borealis for its next generation of electric SUVs.",
        {("tech", "cygnus", "supplies", ("battery",), "borealis", "plan")},
    ),
    # a supplier counting a company among its customers (as a customer) for its technology
    (
        "Cygnus counts Avalon among the customers for its e-axles.",
        {("tech", "cygnus", "supplies", ("e-axle",), "avalon", "official")},
    ),
    (
        "Cygnus counts Borealis as a customer of its battery cells.",
        {("tech", "cygnus", "supplies", ("battery",), "borealis", "official")},
    ),
    # "A will power B's vans with its T" is A's supply; "B's sedans will run X's T" a use
    (
        "Cygnus will also power Borealis's delivery vans with its e-axles.",
        {("tech", "cygnus", "supplies", ("e-axle",), "borealis", "plan")},
    ),
    (
        "Borealis's next-generation sedans will run Cygnus's software.",
        {("tech", "cygnus", "contributes", ("software",), "borealis", "plan")},
    ),
    # "jointly explore T" is joint work; "the Financial Times reported": another medium's
    (
        "Avalon and Cygnus signed a memorandum of understanding to jointly explore solid-state "
        "battery technology.",
        {("project", ("avalon", "cygnus"), ("solid-state-battery",), "plan")},
    ),
    (
        "Borealis is in talks to use Dorado's EV platform, the Financial Times reported.",
        {("tech", "dorado", "contributes", ("ev-platform",), "borealis", "reported")},
    ),
    # access to another company's technology through (under) a licence is a licence
    (
        "Dorado has secured access to Avalon's EV platform under a licensing agreement.",
        {("tech", "avalon", "licenses", ("ev-platform",), "dorado", "official")},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:48] for c in CASES])
def test_arrangement_phrasing(names: list[Name], sentence: str, expected: set[tuple]) -> None:
    """Each sentence gives exactly the claims an analyst would record, with their status."""
    assert _facts(names, sentence) == expected


def test_the_two_companies_after_a_speaker_are_the_two_named_before(names: list[Name]) -> None:
    """ "A said the two companies would share T": the two of the previous sentence share it,
    not the speaker alone."""
    text = (
        "Title: T\nDate: 2024-05-02\n\nAvalon and Borealis signed a memorandum on Monday.\n\n"
        "Avalon said the two companies would share batteries and software.\n"
    )
    claims = draft_text(text, names, taxonomy_broader()).claims
    shared = [c.fields for c in claims if c.fields.get("arrangement") == "shares"]
    assert shared == [
        {
            "provider": ["kg:avalon", "kg:borealis"],
            "arrangement": "shares",
            "technology": ["tech:battery", "tech:software"],
        }
    ]


def test_a_cooperation_extended_to_a_technology_is_the_two_companies(names: list[Name]) -> None:
    """ "A said the cooperation would extend to T" after a sentence naming A and B: their
    joint project on T, planned."""
    text = (
        "Title: T\nDate: 2024-05-02\n\nAvalon and Borealis signed a memorandum in March.\n\n"
        "Avalon said the cooperation would extend to e-axles.\n"
    )
    claims = draft_text(text, names, taxonomy_broader()).claims
    assert [(c.kind, c.fields, c.status) for c in claims] == [
        (
            "JointProject",
            {"participant": ["kg:avalon", "kg:borealis"], "technology": ["tech:e-axle"]},
            "plan",
        )
    ]


def test_a_described_subject_is_the_company_named_before(names: list[Name]) -> None:
    """ "The German automaker", "the EV maker", "the supplier" at the start of a sentence
    stand for the company named before (an automaker first for "automaker"), and pass it on
    to the next sentence; a company named after a verb is not the subject."""
    text = (
        "Title: T\nDate: 2024-05-02\n\nCygnus and Borealis reported higher sales on Monday.\n\n"
        "The German automaker will source solid-state batteries from Avalon.\n\n"
        "The company also plans to use Dorado's driver-assistance software.\n"
    )
    claims = draft_text(text, names, taxonomy_broader()).claims
    assert [(c.fields, c.status) for c in claims] == [
        (
            {
                "provider": "kg:avalon",
                "arrangement": "supplies",
                "technology": ["tech:solid-state-battery"],
                "recipient": "kg:borealis",
            },
            "plan",
        ),
        (
            {
                "provider": "kg:dorado",
                "technology": ["tech:driver-assistance"],
                "arrangement": "contributes",
                "recipient": "kg:borealis",
            },
            "plan",
        ),
    ]


def _drafted(names: list[Name], *sentences: str) -> list[tuple]:
    """The technology claims drafted from a report of several paragraphs, in order."""
    body = "\n\n".join(sentences)
    claims = draft_text(f"Title: T\nDate: 2024-05-02\n\n{body}\n", names, taxonomy_broader())
    return [(c.fields, c.status) for c in claims.claims]


def test_rights_handed_to_a_company_are_for_what_it_works_on(names: list[Name]) -> None:
    """Intellectual property handed to X in a sentence naming no technology is the giver's
    contribution of what the draft has X developing, kinds of one concept read as that
    concept; "X draws on IP that A and B transferred to it" describes X (background)."""
    claims = _drafted(
        names,
        "Cygnus designs and builds combustion engines, hybrid systems and batteries.",
        "Cygnus draws on intellectual property that Avalon and Borealis have transferred to it.",
    )
    given = [
        (f["provider"], f["arrangement"], f["technology"], f.get("recipient"), status)
        for f, status in claims[1:]
    ]
    assert given == [
        (p, "contributes", ["tech:battery", "tech:powertrain"], "kg:cygnus", "historical")
        for p in ("kg:avalon", "kg:borealis")
    ]


def test_rights_handed_over_by_a_subject_are_its_act(names: list[Name]) -> None:
    """ "A will hand over its know-how to X": A's contribution, with the clause's status; with
    no technology the draft has X developing, nothing is proposed."""
    claims = _drafted(
        names,
        "Cygnus is developing solid-state batteries.",
        "Avalon will hand over its know-how to Cygnus.",
    )
    assert claims[1:] == [
        (
            {
                "provider": "kg:avalon",
                "arrangement": "contributes",
                "technology": ["tech:solid-state-battery"],
                "recipient": "kg:cygnus",
            },
            "plan",
        )
    ]
    assert _drafted(names, "Avalon transferred its intellectual property to Cygnus.") == []


def test_the_technology_another_company_develops_is_given_by_it(names: list[Name]) -> None:
    """ "B will use (buy) the platform" after "A has developed a platform" is A's, given to B;
    with two developers, or no "the", it stays B's use."""
    used = _drafted(
        names,
        "Avalon has developed an electric vehicle platform.",
        "Borealis said it would use the platform for its next models.",
    )
    assert used[1] == (
        {
            "provider": "kg:avalon",
            "arrangement": "contributes",
            "technology": ["tech:ev-platform"],
            "recipient": "kg:borealis",
        },
        "plan",
    )
    bought = _drafted(
        names,
        "Avalon and Dorado make solid-state batteries.",
        "Borealis will buy the batteries from 2026.",
    )
    assert bought[1][0]["arrangement"] == "acquires"


def test_a_name_pointing_back_keeps_its_own_modifier(names: list[Name]) -> None:
    """ "its self-driving software" after driver-assistance software is self-driving
    software (its modifier names no kind before); "its solid-state cells" after all-solid-state
    ones, and "its batteries", are the kind named before."""
    own = _drafted(
        names,
        "Dorado will use Avalon's driver-assistance software.",
        "Avalon also supplies its self-driving software to Borealis.",
    )
    assert [f["technology"] for f, _ in own] == [["tech:driver-assistance"], ["tech:self-driving"]]
    kind = _drafted(
        names,
        "Cygnus makes all-solid-state batteries.",
        "Cygnus will supply its solid-state cells to Borealis.",
    )
    assert kind[-1][0]["technology"] == ["tech:all-solid-state-battery"]


def test_a_giving_under_the_deal_goes_to_the_partner(names: list[Name]) -> None:
    """ "Under the deal, A will supply T" after "A and B announced a partnership": to B; with
    no deal in the sentence, or a receiver named, as drafted."""
    under = _drafted(
        names,
        "Avalon and Borealis announced a partnership on Monday.",
        "Under the deal, Avalon will supply e-axles.",
    )
    assert [f.get("recipient") for f, _ in under] == ["kg:borealis"]
    plain = _drafted(
        names,
        "Avalon and Borealis announced a partnership on Monday.",
        "Avalon will supply e-axles.",
    )
    assert [f.get("recipient") for f, _ in plain] == [None]
    named = _drafted(
        names,
        "Avalon and Borealis announced a partnership on Monday.",
        "Avalon will also supply e-axles to Dorado under the deal.",
    )
    assert [f.get("recipient") for f, _ in named] == ["kg:dorado"]
