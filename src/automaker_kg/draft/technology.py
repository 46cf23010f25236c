"""Technology arrangements: a cue verb (develop, share, supply, license, withhold, use) next to a
known or proposed technology, the provider on its left (or named after it), a recipient after
"to/with/for"; "X's technology" as X's own; co-development of two companies as a joint project.

>>> from automaker_kg.draft.extract import draft_text
>>> from automaker_kg.draft.names import Name
>>> names = [Name("BYD", "byd", "kg", "Automaker"), Name("Toyota", "toyota", "kg", "Automaker"),
...          Name("battery", "battery", "tech", "Technology")]
>>> text = "Title: T\\nDate: 2022-10-24\\n\\nBYD will supply batteries to Toyota.\\n"
>>> d = draft_text(text, names)
>>> [(c.fields["provider"], c.fields["arrangement"], c.fields.get("recipient"), c.status)
...  for c in d.claims]
[('kg:byd', 'supplies', 'kg:toyota', 'plan')]
"""

from __future__ import annotations

from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.areas import AGREEMENTS, COMBINE, UNITS, areas, unit_after
from automaker_kg.draft.entities import coordinated, joined_after, org_left
from automaker_kg.draft.model import (
    Evidence,
    Mention,
    Proposal,
    Reading,
    add,
    developments,
    pair,
    providers_of,
)
from automaker_kg.draft.status import clauses, cue_status, status_at, tech_status

__all__ = ["technology", "possessives", "licence", "described"]

_USE_PAIRS = {
    ("draw", "on"),
    ("draws", "on"),
    ("based", "on"),
    ("built", "on"),
    ("run", "on"),
    ("runs", "on"),
    ("running", "on"),
    ("rely", "on"),
    ("relies", "on"),
    ("relying", "on"),
    ("powered", "by"),
    ("equipped", "with"),
    ("fitted", "with"),
    ("access", "to"),
    ("make", "use"),
    ("makes", "use"),
    ("made", "use"),
    ("opted", "for"),
    ("opts", "for"),
    ("opt", "for"),
    ("underpinned", "by"),
    ("go", "into"),
    ("goes", "into"),
    ("went", "into"),
    ("ride", "on"),
    ("rides", "on"),
    ("riding", "on"),
}
"""Two-word cues of using another company's technology."""

_GOES_INTO = [[g, "into"] for g in ("go", "goes", "went", "going")]

_USES = set("adopt adopts adopted deploy deploys install installs incorporate incorporates".split())
_USES |= set("integrate integrates integrating employ employs leverage leverages".split())
_USES |= set("fit fits fitting apply applies applying".split())  # "fit X's hybrid system"
_USES |= set("receive receives received receiving obtain obtains obtained".split())  # "get X's"
_USES |= set("feature features featuring installed deployed integrated adopted".split())
_USES.add("featured")  # "X's hybrid system will be featured in B's vehicles"
_USES |= set("select selects selected selecting choose chooses chose chosen".split())
_USES |= set("offer offers offered debut debuts".split())
_USES |= set("pick picks picked".split())  # "B picked X's platform for its sedans"
_USES |= set("borrow borrows borrowed borrowing".split())  # "borrow X's hybrid system"
"""Verbs of using another company's technology ("will feature X's software", "X's system
will be installed in B models")."""
_BUYS = set("buy buys bought buying purchase purchases purchased source sources sourced".split())
_BUYS |= set("procure procures procured sourcing procuring purchasing".split())
_GETS = {"get", "gets", "got", "getting"}
"""Verbs of "B gets its batteries from A": a supply only with "from <company>"."""
_PRODUCES = set("make makes making manufacture manufactures manufacturing manufactured".split())
_PRODUCES |= set("produce produces producing produced build builds building".split())
"""Verbs of "A makes T for B": A supplies it to B."""
_PARTNER_VERBS = {"partner", "partners", "partnering", "partnered"}
_JOIN = [[j] for j in ("join", "joins", "joined", "joining")]
_STRENGTHS = set("expertise strengths know-how resources capabilities skills".split())
"""Verbs of "A is partnering with B on T": joint work on what follows "on"."""
_COVERS = set("covers cover covering includes include including spans span extends".split())
"""Verbs of "A's cooperation with B covers T": joint work on the objects."""
_LICENSES = set("license licenses licensed licensing licence licences licensee".split())
_VEHICLES = {"tech:electric-vehicle", "tech:battery-electric-vehicle"}
"""Vehicle classes: building them for another company is vehicle supply, not a technology."""
_WORK = {"work", "works", "working", "worked"}
_BUILDS_ON = set("build builds built building base bases develop develops developed".split())
_BUILDS_ON |= set("make makes made produce produces produced design designs designed".split())
"""Verbs of "build its cars on X's platform": X's platform is used."""
_REFUSALS = {"not", "no", "never", "refuse", "refuses", "refused", "decline", "declines"}
_REFUSALS |= {"declined", "n't", "stop", "stops", "stopped", "cease", "ceases", "ceased"}
_REFUSALS |= {"halt", "halts", "halted", "end", "ends", "ended"}
_RULE_OUT = [["rule"], ["rules"], ["ruled"], ["ruling"]]
""""ruled out sharing T": a refusal, the word before "out"."""
"""Words before a giving verb that make it a refusal: "declined to share"."""
_EQUIPS = set("equip equips equipped equipping fit fits fitting".split())
_EQUIPS |= set("power powers powering".split())  # "A will power B's vans with its e-axles"
_POWERS = set("power powers powering underpin underpins underpinning drive drives".split())
"""Verbs of "X's battery will power Y's cars": X's technology, used by Y."""
_GIVE_PASSIVE = {
    "licensed": "licenses",
    "supplied": "supplies",
    "provided": "supplies",
    "delivered": "supplies",
    "shared": "shares",
    "offered": "contributes",
    "transferred": "contributes",
}
"""Passive participles of giving: "X's technology will be licensed to Y"."""
_BE = {"be", "been", "is", "are", "was", "were", "being"}
_GRANTS = set("give gives giving gave grant grants granting granted offer offers".split())
_GRANTS |= set("offering offered provide provides providing provided".split())
"""Verbs of "A will give B access to its platform": A gives, B receives."""
_LETS = set("let lets allow allows allowed allowing permit permits enable enables".split())
"""Verbs of "A will let (allow) B use its T": A gives it, B uses it."""
_SAYS = {"said", "says", "say", "announced", "added", "told", "stated"}
"""Verbs of saying: "A said the two companies would ..." reports the two's act."""
_TOGETHER = {"together", "jointly", "closely"}
"""Words after "work" that make it joint work on what follows: "work together to launch"."""
_PARTNERSHIPS = {"partnership", "partnerships", "alliance", "pact", "tie-up", "tieup"}
"""Nouns of joint work: "a partnership on batteries" of two companies is a joint project."""
_SUPPLIER = {"supplier", "suppliers", "provider", "providers", "vendor"}
"""Nouns of "A is B's battery supplier"."""
_NOUN_CUES = {"cooperation", "collaboration", "development", "production"}
"""Nouns that are a cue only with their object: "cooperation on", "production of"."""
_PLURAL = {"two", "both", "they", "partners", "companies", "carmakers", "automakers", "firms"}
_PLURAL |= {"three"}
"""Subjects standing for the previous sentence's two companies."""
_VERBISH = set(rules.TECH_VERBS) | set(rules.USES) | _USES | _BUYS
_VERBISH |= set("is are was were will would has have had said says uses get gets".split())
"""Words a possessive's technology phrase does not run across ("Avalon's model uses a ...")."""


def _orgs_after(mentions: list[Mention], clause: list[int], i: int) -> list[Mention]:
    """The companies named after word ``i`` in its clause, in order."""
    return [m for m in mentions if m.is_org and m.start > i and clause[m.start] == clause[i]]


def licence(
    r: Reading,
    mentions: list[Mention],
    words: list[str],
    clause: list[int],
    i: int,
    subject: Mention,
    technology: list[str],
) -> dict[str, Any]:
    """A licence: "A licenses T to B" (A the licensor), "A licenses T from B" or "licensed by
    B" (B the licensor), "A signed a licensing deal with B for its T" (A the licensor), else
    the licensee named after the word (or the subject) and the company the draft has
    developing the technology."""
    after = _orgs_after(mentions, clause, i)
    to = [
        m for m in after if words[m.start - 1] in {"to", "for"} or _examples_of(words, i, m.start)
    ]
    source = [m for m in after if words[m.start - 1] in {"from", "by"}]
    if to and to[0].ref != subject.ref:
        return {
            "provider": subject.ref,
            "recipient": to[0].ref,
            "arrangement": "licenses",
            "technology": technology,
        }
    own = "its" in words[i + 1 : i + 4] or (
        words[i] in {"licenses", "licensed"} and words[i - 1 : i] != ["has"] and i > 0
    )
    if not source and not to and own and subject.ref:
        # "X licenses its separator technology to other makers": X the licensor, no licensee
        return {"provider": subject.ref, "arrangement": "licenses", "technology": technology}
    free = [m for m in after if m not in source]
    licensee = subject.ref if source or not free else free[0].ref
    licensor = source[0].ref if source else None
    if (
        licensor is None
        and free
        and words[free[0].start - 1] == "with"
        and "its" in words[free[0].end : free[0].end + 4]
    ):  # "A signed a licensing agreement with B for its T": A's technology, licensed to B
        licensor = subject.ref
    if licensor is None:
        licensor = next(
            (p for p, techs in developments(r) if set(techs) & set(technology) and p != licensee),
            None,
        )
    if licensor is None or licensor == licensee:
        # no licensor in sight: the licensee acquires the technology
        return {"provider": licensee, "arrangement": "acquires", "technology": technology}
    return {
        "provider": licensor,
        "recipient": licensee,
        "arrangement": "licenses",
        "technology": technology,
    }


_RUNS = set("run runs running ran".split())
"""Verbs of "B's cars will run X's software" (right before the owner): a use."""


def _use_cue(words: list[str], lo: int, hi: int) -> tuple[str, str] | None:
    """The first use cue in ``words[lo:hi]`` and the arrangement of the technology's owner:
    "based on X's platform" -> contributes, "buy X's cells" and "a customer of X's cells" ->
    supplies, "license X's" -> licenses."""
    for k in range(lo, hi):
        pair = tuple(words[k : k + 2])
        if pair in _USE_PAIRS:
            return " ".join(pair), "contributes"
        if words[k] in {"customer", "customers"} and words[k + 1 : k + 2] in (["of"], ["for"]):
            return " ".join(pair), "supplies"  # "B is the first customer for X's cells"
        if words[k] == "on" and k == hi - 1 and set(words[max(lo, k - 4) : k]) & _BUILDS_ON:
            return "build on", "contributes"  # "build its cars on X's platform"
        if words[k] == "with" and k == hi - 1 and set(words[max(lo, k - 4) : k]) & _EQUIPS:
            return "equip with", "contributes"  # "equip its cars with X's software"
        if words[k] in _RUNS and k == hi - 1:
            return words[k], "contributes"  # "B's sedans will run X's software"
        if words[k] in _LICENSES:
            return words[k], "licenses"
        if words[k] in _BUYS:
            return words[k], "supplies"
        if words[k] in rules.USES or words[k] in _USES:
            return words[k], "contributes"
    return None


def _powers(mentions: list[Mention], words: list[str], after: int, owner: str) -> Mention | None:
    """ "(X's battery) will power Y's cars": Y, when a verb of powering follows ``after``
    within a few words and a company's possessive after it."""
    for k in range(after, min(len(words), after + 4)):
        if words[k] in _POWERS:
            for x in mentions:
                # "Y's cars", "two Y models"
                poss = rules.possessive(words, x.end) or (
                    x.end < len(words) and words[x.end] in _PRODUCTS
                )
                if x.is_org and k < x.start <= k + 3 and poss and x.ref != owner:
                    return x
            return None
    return None


def _given_to(
    mentions: list[Mention], words: list[str], clause: list[int], after: int, owner: str
) -> tuple[str, Mention] | None:
    """ "(X's technology) will be licensed to Y": the arrangement and the receiver, when a
    passive participle of giving follows ``after`` in its clause with "to/with <company>"."""
    for k in range(after, min(len(words) - 2, after + 6)):
        if clause[k] != clause[after - 1] or words[k] in {",", ";"}:
            return None
        arrangement = _GIVE_PASSIVE.get(words[k])
        if words[k] == "made" and words[k + 1 : k + 2] == ["available"]:
            arrangement = "contributes"  # "will be made available to Y"
        if arrangement is None or words[k - 1] not in _BE:
            continue
        to = [
            x
            for x in _orgs_after(mentions, clause, k)
            if words[x.start - 1] in {"to", "with"} and x.ref != owner
        ]
        return (arrangement, to[0]) if to else None
    return None


_MADE_BY = set("made built developed designed engineered supplied".split())
"""Participles of "Borealis-made batteries": the company before the hyphen owns them."""


_DESCRIPTORS = set("automaker carmaker manufacturer company firm group maker startup".split())
_DESCRIPTORS |= set("start-up supplier brand producer partner".split())
"""Nouns of "the German automaker", "the EV maker", "the supplier": a company named before."""


def described(
    r: Reading, mentions: list[Mention], words: list[str], upto: int, skip: str = ""
) -> Mention | None:
    """The company a description at the start of the sentence stands for ("The German
    automaker will source ...", "Under the deal, the EV maker ..."): the previous sentence's
    first company (else the one named last), when no company is named before ``upto``.

    >>> from automaker_kg.draft.model import Reading
    >>> r = Reading("", [], {}, "2024-05-02", last_orgs=["kg:b"])
    >>> described(r, [], "the german automaker will source cells".split(), 4).ref
    'kg:b'
    >>> described(r, [], "a new automaker will source cells".split(), 4) is None
    True
    """
    if any(m.is_org and m.start < upto for m in mentions):
        return None
    the = [k for k in range(upto) if words[k] == "the"]
    found = any(
        words[k] in _DESCRIPTORS and words[k + 1 : k + 2] != ["of"]
        for t in the[:2]
        for k in range(t + 1, min(upto, t + 4))
    )
    if not found:
        return None
    refs = [x for x in [*r.last_orgs, *r.recent_orgs] if x != skip]
    if {"automaker", "carmaker", "manufacturer"} & set(words[:upto]):
        # "the German automaker": an automaker first, when one was named
        refs = sorted(refs, key=lambda x: r.types.get(x) != "Automaker")
    return Mention(0, 0, refs[0], r.types.get(refs[0], "Company"), "") if refs else None


def _bare_owner(mentions: list[Mention], words: list[str], m: Mention) -> list[Mention]:
    """The company a technology belongs to without a possessive: "Borealis-made batteries"
    (the maker before "-made"), and "use Borealis batteries" (a company's name right before
    the technology, after a cue of using: without one, "Borealis EV sales" stays the verbs').

    >>> from automaker_kg.draft.model import Mention
    >>> b, t = Mention(3, 4, "kg:b", "Company", "B"), Mention(4, 5, "tech:t", "Technology", "")
    >>> [o.ref for o in _bare_owner([b, t], "a will use b batteries".split(), t)]
    ['kg:b']
    >>> _bare_owner([b, t], "a , and b batteries rose".split(), t)
    []
    """
    if m.start >= 3 and words[m.start - 2] == "-" and words[m.start - 1] in _MADE_BY:
        return [o for o in mentions if o.is_org and o.end == m.start - 2]
    owner = [o for o in mentions if o.is_org and o.end == m.start]
    if owner and owner[0].start > 0 and _use_cue(words, 0, owner[0].start) is not None:
        return owner[:1]
    return []


_NOT_OWNED = set("its their with to for from by into".split())
"""Words between a possessive and a technology that end the possessive's phrase."""


def possessives(
    r: Reading, doc: Any, mentions: list[Mention], techs: list[Mention], ev: Evidence
) -> set[int]:
    """ "Nissan's e-Power": the owner develops it (background); "use / based on / license /
    buy X's technology": X contributes (licenses, supplies) it to the company that uses it.
    Returns the starts of the technologies so read, which the cue verbs leave alone."""
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    handled: set[int] = set()
    for m in techs:
        k = m.start - 1  # "Leapmotor's highly innovative and cost-efficient EV ecosystem"
        while k > 0 and m.start - k <= 6 and words[k] not in rules.POSSESSIVE:
            if (
                not (doc[k].is_alpha or words[k] in {"-", "and"})
                or doc[k].text[0].isupper()
                or words[k] in _VERBISH
                or words[k] in _NOT_OWNED  # "B's vans with its e-axles": not B's e-axles
            ):
                break
            k -= 1
        if k < 1 or words[k] not in rules.POSSESSIVE:
            owner = _bare_owner(mentions, words, m)
            if not owner:
                continue
        else:
            owner = [o for o in mentions if o.end == k and o.is_org]
        if owner and words[m.end : m.end + 1] and words[m.end] in _SUPPLIER:
            # "A will be B's battery supplier": A supplies batteries to B
            handled.add(m.start)
            giver = org_left(mentions, doc, owner[0].start, clause, {owner[0].ref})
            if giver is not None:
                status, signal, scue = tech_status(r, doc, clause, m.start, False, given=True)
                fields_s: dict[str, Any] = {
                    "provider": giver.ref,
                    "arrangement": "supplies",
                    "technology": [m.ref],
                    "recipient": owner[0].ref,
                }
                said = "'<company> is <company>'s <technology> supplier'"
                add(
                    r,
                    Proposal(
                        "TechnologyArrangement",
                        fields_s,
                        status,
                        signal,
                        f"{said}; status cue: {scue}",
                        [ev],
                    ),
                )
            continue
        if m.end < len(doc) and words[m.end] in _PARTNERSHIPS:
            continue  # "Avalon's battery partnership with B": joint work, read by the cues
        if not owner or (m.end < len(doc) and words[m.end] in rules.UNIT_WORDS):
            continue  # "Renault's electric vehicle unit": a unit, not the technology
        if unit_after(words, techs, m) is not None:
            continue  # "A's battery-making (battery and software) unit": the unit's work
        mine = [x for x in range(len(doc)) if clause[x] == clause[m.start]]
        by_user = [
            x
            for x in mentions
            if x.is_org
            and x.start > m.end
            and x.start in mine
            and (
                words[x.start - 1] == "by"
                # "X's batteries will be used in Y's cars" (in Y models)
                or (  # "X's cells will go into Y's vans" (not "integrated into")
                    (words[x.start - 1] == "in" or words[x.start - 2 : x.start] in _GOES_INTO)
                    and (
                        rules.possessive(words, x.end)
                        or (x.end < len(words) and words[x.end] in _PRODUCTS)
                    )
                )
            )
        ]
        # the verb before the owner ("use X's platform"), or a passive after ("X's platform
        # will be used by Y"); "X's cars run on Y's platform": X's cars are the subject
        cue = _use_cue(words, 0, owner[0].start)
        if cue is None and by_user and m.ref in _VEHICLES:
            handled.add(m.start)  # "X's electric sedan will be powered by Y's T": X's car
            continue
        if cue is None and by_user:
            cue = _use_cue(words, m.end, by_user[0].start)
        if cue is None and not by_user:
            powered = _powers(mentions, words, m.end, owner[0].ref)
            if powered is not None:  # "X's battery will power Y's cars": Y uses it
                by_user, cue = [powered], ("power", "contributes")
        cue_at = m.start  # where the status is read: the relative clause of the use
        relative = words[m.end : m.end + 2] in ([",", "which"], [",", "that"])
        if cue is None and not by_user and relative:  # "X's T, which Y will also use,": Y's
            end = next((k for k in range(m.end + 2, len(words)) if words[k] == ","), len(words))
            inside = [x for x in mentions if x.is_org and m.end < x.start < end]
            in_cue = _use_cue(words, m.end + 2, end)
            if inside and in_cue and inside[0].ref != owner[0].ref:
                by_user, cue, cue_at = [inside[0]], in_cue, inside[0].start
        given = _given_to(mentions, words, clause, m.end, owner[0].ref)
        if cue is None and given is not None:
            arrangement, to = given  # "X's technology will be licensed to Y"
            status, signal, scue = tech_status(r, doc, clause, m.start, False, given=True)
            passive: dict[str, Any] = {
                "provider": owner[0].ref,
                "technology": [m.ref],
                "arrangement": arrangement,
                "recipient": to.ref,
            }
            handled.add(m.start)
            text = f"'<company>'s <technology> {arrangement[:-1]}ed to <company>': a passive"
            add(
                r,
                Proposal(
                    "TechnologyArrangement",
                    passive,
                    status,
                    signal,
                    f"{text}; status cue: {scue}",
                    [ev],
                ),
            )
            continue
        if cue is None and _use_cue(words, m.end, mine[-1] + 1):
            handled.add(m.start)
            continue
        fields: dict[str, Any] = {"provider": owner[0].ref, "technology": [m.ref]}
        if cue is not None:
            said, arrangement = cue
            if arrangement == "contributes" and set(words[m.end : mine[-1] + 1]) & _LICENSES:
                arrangement = "licenses"  # "access to X's T through (under) a licensing deal"
            status, signal, scue = status_at(r, doc, clause, cue_at)
            user = (
                by_user[0]
                if by_user
                else org_left(mentions, doc, owner[0].start, [0] * len(doc), {owner[0].ref})
            )
            if user is None:  # "Avalon's new model is built on Borealis's platform"
                user = next((x for x in mentions if x.is_org and x.end <= owner[0].start), None)
            model = any(x.type == "VehicleModel" and x.end <= owner[0].start for x in mentions)
            if user is None:  # "The EV maker plans to use X's software": the one named before
                user = described(r, mentions, words, owner[0].start, skip=owner[0].ref)
            if user is None and (model or _product_subject(words, owner[0].start)):
                # "The car (the ZX9) uses X's batteries": the company named last before
                maker = next((x for x in r.recent_orgs if x != owner[0].ref), None)
                if maker is not None:
                    user = Mention(0, 0, maker, r.types.get(maker, "Company"), "")
            fields["arrangement"] = arrangement
            if user is not None and user.ref != owner[0].ref:
                fields["recipient"] = user.ref
            elif user is None and set(words[: owner[0].start]) & _PLURAL:
                # "the two companies will build cars based on X's platform": the other one
                other = [x for x in pair(r) if x != owner[0].ref]
                if len(other) == 1:
                    fields["recipient"] = other[0]
            text = f"'{said} <company>'s <technology>': the owner {arrangement} it"
        else:
            if m.ref in _VEHICLES:  # "Avalon's electric vehicles": its products, not a technology
                handled.add(m.start)
                continue
            status, signal, scue = tech_status(r, doc, clause, m.start, describes=True)
            fields["arrangement"] = "develops"
            text = "'<company>'s <technology>': its own"
        handled.add(m.start)
        add(
            r,
            Proposal(
                "TechnologyArrangement", fields, status, signal, f"{text}; status cue: {scue}", [ev]
            ),
        )
    return handled


_NOT_THE_TECH = set("plant plants factory factories facility facilities site sites".split())
_NOT_THE_TECH |= set("market markets price prices sales demand recall recalls fault".split())
_NOT_THE_TECH |= set("faults fire fires shortage shortages tariff tariffs".split())
"""Nouns after a technology's name that make it a modifier: "battery plant", "EV sales"."""
_MADE = set("developed made designed built created engineered".split())


def _made_by(mentions: list[Mention], words: list[str], techs: list[Mention]) -> Mention | None:
    """The company after "<technology> developed by": "the platform developed by A"."""
    for m in techs:
        if (
            words[m.end : m.end + 1]
            and words[m.end] in _MADE
            and words[m.end + 1 : m.end + 2] == ["by"]
        ):
            return next((x for x in mentions if x.is_org and x.start == m.end + 2), None)
    return None


_PAYS = set("pay pays paid paying".split())
_EACH_OTHER = {"each other", "one another"}
_LICENCE_TERMS = set("exclusive non - global worldwide royalty free perpetual".split())


def _article_before(words: list[str], i: int) -> int | None:
    """Where the article of the noun at ``i`` is, over the licence's terms between them ("a
    non-exclusive, worldwide licence"), else None.

    >>> _article_before("granted b a non - exclusive licence".split(), 6)
    2
    >>> _article_before("granted b its licence".split(), 3) is None
    True
    """
    k = i - 1
    while k > 0 and (words[k] in _LICENCE_TERMS or words[k] == ","):
        k -= 1
    return k if words[k] in {"a", "an", "the"} else None


def _licensed_or_kept(
    r: Reading, doc: Any, mentions: list[Mention], techs: list[Mention], ev: Evidence
) -> set[int]:
    """Clauses read whole, before the cue verbs: "B builds T under licence from A" and "A
    granted B a licence for T", "B pays A royalties for T" (A licenses T to B); "A will keep T
    to itself (in-house, for its own cars)" (A withholds T). Returns the clauses so read."""
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    done: set[int] = set()
    for i, w in enumerate(words):
        # "keep T to itself", "keep T in-house", "reserve T for its own cars": a refusal
        kept_words = words[i - 1 : i] == ["to"] and w in {"itself", "themselves"}
        kept_words = kept_words or words[max(0, i - 2) : i + 1] == ["in", "-", "house"]
        kept_words = kept_words or (
            w == "own" and words[max(0, i - 2) : i] in (["for", "its"], ["for", "their"])
        )
        if w not in {"licence", "license", "royalty", "royalties"} and not kept_words:
            continue
        mine = [m for m in techs if clause[m.start] == clause[i]]
        if not mine or clause[i] in done:
            continue
        fields: dict[str, Any] | None = None
        if kept_words:
            kept = [
                k
                for k in range(i)
                if clause[k] == clause[i]
                and words[k] in _KEEPS
                and not words[k + 1].endswith("ing")  # "keep building T": no refusal
            ]
            owner = org_left(mentions, doc, kept[0], clause, set()) if kept else None
            if owner is not None:
                fields = {"provider": owner.ref, "arrangement": "withholds"}
                said = "'keep <technology> to itself'"
        elif w in {"royalty", "royalties"}:
            # "B will pay A royalties for T", "B pays royalties to A on T": A licenses T to B
            payee = [
                m
                for m in mentions
                if m.is_org
                and (m.end == i or (m.start == i + 2 and words[i + 1] == "to"))
                and clause[m.start] == clause[i]
            ]
            pays = [k for k in range(max(0, i - 4), i) if words[k] in _PAYS]
            payer = org_left(mentions, doc, pays[0], clause, set()) if pays and payee else None
            if payer is not None and payer.ref != payee[0].ref:
                fields = {"provider": payee[0].ref, "recipient": payer.ref}
                fields["arrangement"] = "licenses"
                said = "'<company> pays <company> royalties': a licence"
        elif words[i - 1 : i] == ["under"] and words[i + 1 : i + 2] == ["from"]:
            giver = [m for m in mentions if m.start == i + 2 and m.is_org]
            taker = org_left(mentions, doc, i, clause, {giver[0].ref} if giver else set())
            if giver and taker is not None:
                fields = {"provider": giver[0].ref, "recipient": taker.ref}
                fields["arrangement"] = "licenses"
                said = "'under licence from <company>'"
        elif i > 2 and (art := _article_before(words, i)) is not None:
            # "A granted B a (non-exclusive, global) licence for T"
            taker_at = [m for m in mentions if m.end == art and m.is_org]
            if taker_at and taker_at[0].start and words[taker_at[0].start - 1] in _GRANTS:
                grant = taker_at[0].start - 1
                giver_m = org_left(mentions, doc, grant, clause, {taker_at[0].ref})
                if giver_m is not None:
                    fields = {"provider": giver_m.ref, "recipient": taker_at[0].ref}
                    fields["arrangement"] = "licenses"
                    said = "'<company> grants <company> a licence'"
        if fields is None:
            continue
        fields["technology"] = sorted({m.ref for m in mine})
        giving = "recipient" in fields
        status, signal, scue = tech_status(r, doc, clause, i, False, given=giving)
        if fields["arrangement"] == "withholds" and status != "reported":
            status, signal, scue = "official", "stated", "'keep it to itself': a refusal stated now"
        add(
            r,
            Proposal(
                "TechnologyArrangement", fields, status, signal, f"{said}; status cue: {scue}", [ev]
            ),
        )
        done.add(clause[i])
    return done


_SELLS = set("sell sells sold selling".split())
"""Verbs of selling: a supply only with "to" (a receiver) after them; no cue verb otherwise
("designs, makes and sells T": the making's object)."""
_RELIES = set("rely relies relying relied depend depends depending depended".split())
_RELIES |= set("count counts counting counted turn turns turning turned".split())
"""Verbs of "B will rely on A for batteries", "B turned to A for its cells": A supplies."""
_COUNTS = set("count counts counting counted".split())
_CUSTOMERS = [["customer"], ["customers"], ["client"], ["clients"]]
"""'A counts B among its customers for T': A supplies B."""
_TAPS = set("tap taps tapped tapping enlist enlists enlisted enlisting".split())
"""Verbs of "B tapped A for e-axles": A supplies (the company right after the verb)."""
_ORDERS = set("order orders contract contracts".split())
""""B placed an order with A for T" (A supplies B); "A won an order from B for T" (the
same)."""


def _relies_on(
    r: Reading, doc: Any, mentions: list[Mention], techs: list[Mention], ev: Evidence
) -> set[int]:
    """ "B will rely (depend, count) on A for T", "B turned to A for T", "B tapped A for T",
    "B placed an order with A for T", "A won a contract from B for T": A supplies T to B.
    Returns the clauses so read."""
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    done: set[int] = set()
    for i, w in enumerate(words[:-3]):
        # "A counts B among its customers (as a customer) for T": A supplies B
        counts = w in _COUNTS and words[i + 1] not in {"on", "upon"}
        at = i + 1 if w in _TAPS or counts else i + 2  # "tapped A for T"
        if w in _RELIES and words[i + 1] not in {"on", "upon", "to"} and not counts:
            continue
        if w in _ORDERS and words[i + 1] != "from" and (w, words[i + 1]) != ("order", "with"):
            continue  # not "a contract with A for T": who supplies is not said
        if w not in _RELIES | _TAPS | _ORDERS:
            continue
        giver = [m for m in mentions if m.is_org and m.start == at]
        for_at = giver[0].end if giver else len(words)
        if counts and words[for_at : for_at + 1] in (["among"], ["as"]):
            for_at = next(
                (k + 1 for k in range(for_at, for_at + 5) if words[k : k + 1] in _CUSTOMERS),
                len(words),
            )
        if not giver or words[for_at : for_at + 1] not in (["for"], ["of"] if counts else []):
            continue
        mine = [m for m in techs if clause[m.start] == clause[i] and for_at < m.start <= for_at + 4]
        taker = org_left(mentions, doc, i, clause, {giver[0].ref})
        if counts or (w in _ORDERS and words[i + 1] == "from"):
            # "A won an order from B for T", "A counts B among its customers for T"
            giver, taker = [taker] if taker is not None else [], giver[0]
        if not mine or taker is None or not giver:
            continue
        fields = {
            "provider": giver[0].ref,
            "arrangement": "supplies",
            "technology": sorted({m.ref for m in mine}),
            "recipient": taker.ref,
        }
        status, signal, scue = tech_status(r, doc, clause, i, False, given=True)
        said = f"'<company> {' '.join(words[i:at])} <company> for <technology>': a supply"
        add(
            r,
            Proposal(
                "TechnologyArrangement", fields, status, signal, f"{said}; status cue: {scue}", [ev]
            ),
        )
        done.add(clause[i])
    return done


_ORDINALS = set("first second third only latest next another".split())
_OUTSIDE = {"outside", "besides", "beyond", "except"}
"""'B is the first carmaker outside A to use T': words before A that set A apart."""


def _outside(words: list[str], mentions: list[Mention], k: int) -> Mention | None:
    """The company A of "outside A", "other than A", "apart from A" starting at word ``k``."""
    if words[k] in _OUTSIDE:
        at = k + 1
    elif words[k : k + 2] in (["other", "than"], ["apart", "from"], ["aside", "from"]):
        at = k + 2
    else:
        return None
    return next((m for m in mentions if m.is_org and m.start == at), None)


def _first_outside(
    r: Reading, doc: Any, mentions: list[Mention], techs: list[Mention], ev: Evidence
) -> set[int]:
    """ "B is (became, will be) the first carmaker outside (other than) A to use T": T is A's,
    and B is using it: A contributes T to B ("to buy T": supplies; "to license T": a
    licence), not B acquiring it from no one. The status is the main verb's ("is": in force,
    "will be": a plan), not the infinitive's. Returns the clauses so read."""
    words = [t.lower_ for t in doc]
    clause = clauses(doc)
    done: set[int] = set()
    for k in range(len(words)):
        owner = _outside(words, mentions, k)
        if owner is None or not _ORDINALS & set(words[max(0, k - 4) : k]):
            continue
        to = owner.end
        if words[to : to + 1] != ["to"] or to + 1 >= len(words):
            continue
        verb = words[to + 1]
        if verb not in rules.USES | _USES | _BUYS | {"offer", "offers"}:
            continue
        mine = [m for m in techs if clause[m.start] == clause[to] and to + 1 < m.start <= to + 8]
        user = org_left(mentions, doc, k, clause, {owner.ref})
        if not mine or user is None:
            continue
        arrangement = "licenses" if verb.startswith("licen") else "contributes"
        arrangement = "supplies" if verb in _BUYS else arrangement
        fields: dict[str, Any] = {
            "provider": owner.ref,
            "arrangement": arrangement,
            "technology": sorted({m.ref for m in mine}),
            "recipient": user.ref,
        }
        status, signal, scue = cue_status(words[:to] + words[mine[-1].end :])
        if signal == "stated":  # a use by a named company is in force when stated
            status, signal, scue = "official", "stated", "no cue: stated as fact"
        said = f"'<company> is the {words[k - 2]} ... {words[k]} <company> to {verb} <technology>'"
        text = f"{said}: the other company's technology; status cue: {scue}"
        add(r, Proposal("TechnologyArrangement", fields, status, signal, text, [ev]))
        done.add(clause[to])
    return done


def _its_owner(
    mentions: list[Mention],
    words: list[str],
    clause: list[int],
    i: int,
    same: list[Mention],
    user: Mention,
) -> Mention | None:
    """The company "its" stands for after the use cue at ``i`` ("B signed a deal with A to
    use its batteries", "B has agreed with A to adopt its platform"): the one the user works
    "with" before the verb, not the user itself (a company using its own technology is no
    news: "its own" stays the user's)."""
    first = min(m.start for m in same)
    if "its" not in words[i + 1 : first] or "own" in words[i + 1 : first]:
        return None
    if words[i] not in rules.USES | _USES | _BUYS:
        return None
    return next(
        (
            m
            for m in mentions
            if m.is_org
            and user.end <= m.start < i
            and words[m.start - 1] == "with"
            and m.ref != user.ref
        ),
        None,
    )


_KEEPS = set("keep keeps kept keeping retain retains retained reserve reserves".split())
_UNVEILS = set("unveil unveils unveiled unveiling showcase showcases showcased".split())


_PRODUCTS = rules.BODY_STYLES | set("car cars sedans vehicle vehicles suvs vans pickups".split())
_PRODUCTS |= {"truck", "trucks"}


def _product_subject(words: list[str], upto: int) -> bool:
    """Whether the words before ``upto`` start with a product as the subject ("The car uses",
    "The new sedans will run on"), standing for the company that makes it.

    >>> _product_subject("the new sedan uses x 's".split(), 4)
    True
    """
    k = 0
    while k < upto and words[k] in {"the", "this", "these", "that", "new", "its", "their"}:
        k += 1
    return 0 < k < upto and words[k] in _PRODUCTS


_BEFORE_VERB = rules.MODALS | set("to also not n't and or they we which that who jointly".split())


def _verb_use(words: list[str], mentions: list[Mention], i: int) -> bool:
    """Whether "use" at ``i`` is the verb ("will use", "to use", "A and B use"), not the
    noun ("for global use", "the practical use of").

    >>> _verb_use("they will use it".split(), [], 2), _verb_use("for global use".split(), [], 2)
    (True, False)
    """
    return i > 0 and (words[i - 1] in _BEFORE_VERB or any(m.end == i for m in mentions))


def _the_car(words: list[str], ref: str) -> list[Mention]:
    """ "developed the car jointly with B" after "A unveiled a battery-electric sedan": "the
    car" (the sedan, the model) is that technology, in a sentence that names none.

    >>> [(m.start, m.ref) for m in _the_car("a said it developed the car with b".split(), "t")]
    [(5, 't')]
    """
    return [
        Mention(k, k + 1, ref, "Technology", words[k])
        for k in range(1, len(words))
        if words[k] in _PRODUCTS and words[k - 1] in {"the", "this", "that"}
    ][:1]


_PILOT = {"pilot", "demonstration", "trial", "prototype", "test"}
"""Words of "a pilot line", "a demonstration line": where a technology is developed."""
_BRINGS = {"bring", "brings", "bringing", "brought"}
_HAS_DONE = set("have has had having get gets got commission commissions commissioned".split())
_HAS_DONE |= set("hire hires hired task tasks tasked ask asks asked".split())
"""Verbs of "A will have B develop T", "A commissioned B to build T": B makes it for A."""


def _commissioner(
    mentions: list[Mention], doc: Any, words: list[str], i: int, maker: Mention
) -> Mention | None:
    """The company that has ``maker`` do the work at ``i``: "A intends to have B develop
    and produce its car", "A hired B to design T" (B right after the causative verb, then
    only cue verbs, "to" and "and" up to the cue)."""
    if maker.start < 1 or words[maker.start - 1] not in _HAS_DONE:
        return None
    if not all(w in rules.TECH_VERBS or w in {"to", "and", "or"} for w in words[maker.end : i]):
        return None  # "have B develop and produce": B, then only the verbs
    giver = org_left(mentions, doc, maker.start - 1, [0] * len(doc), {maker.ref})
    return giver if giver is not None and giver.ref != maker.ref else None


_ARMS = rules.UNIT_WORDS | {"arm", "arms", "subsidiary", "affiliate", "division", "spin-off"}


def _apposed(
    mentions: list[Mention], words: list[str], techs: list[Mention], i: int
) -> Mention | None:
    """The company that "X, the battery-making arm (unit) of Y" describes: X, when the cue at
    ``i`` is "<technology>-making" before a unit word and X stands just before ", the"."""
    if words[i + 1 : i + 2] == [] or words[i + 1] not in _ARMS or words[i - 1 : i] != ["-"]:
        return None
    tech = next((m for m in techs if m.end == i - 1), None)
    if tech is None or tech.start < 3 or words[tech.start - 1] not in {"the", "a", "an", "its"}:
        return None
    if words[tech.start - 2] != ",":
        return None
    return next((m for m in mentions if m.is_org and m.end == tech.start - 2), None)


def _second_verb(words: list[str], i: int, j: int) -> bool:
    """Whether "and <cue verb>" stands between the cue at ``i`` and word ``j``: what follows
    it belongs to that verb ("makes hybrids and supplies them to B").

    >>> _second_verb("makes hybrids and supplies them to b".split(), 0, 7)
    True
    """
    return any(
        words[k] == "and" and words[k + 1] in rules.TECH_VERBS and k + 1 != i
        for k in range(i + 1, j - 1)
    )


def _verb_between(words: list[str], mentions: list[Mention], i: int, j: int) -> bool:
    """Whether another cue verb stands between the cue at ``i`` and a technology at ``j``:
    the technology is that verb's object ("bring strengths and will exchange EV know-how",
    "be built in China and will use batteries from B"); a cue word counts as a verb after
    an auxiliary, "to", "and" or a company, not as a participle ("a line-up made of").

    >>> _verb_between("bring strengths and will exchange ev know-how".split(), [], 0, 5)
    True
    >>> _verb_between("develop and produce batteries".split(), [], 0, 3)
    True
    >>> _verb_between("develop new batteries".split(), [], 0, 2)
    False
    """
    return any(
        words[k] in rules.TECH_VERBS
        and (words[k - 1] in _BEFORE_VERB or any(m.end == k for m in mentions))
        and words[k + 1 : k + 2] != ["up"]  # "a line-up made up of hybrids"
        for k in range(i + 1, j)
    )


_STUDIES = set("study studies studying studied".split())
_STUDIES |= set("explore explores exploring explored research researching".split())
"""Words of a study: a cue after "joint" / "jointly" only."""
_HAS_OWN = [[h, p] for h in ("has", "have", "had") for p in ("its", "their")]
"""Words before "own" that make it a description of the company's own technology."""
_ROLES = rules.BREAK | set("ceo boss spokesperson spokesman spokeswoman official".split())
_ROLES |= set("officials executives management engineers researchers".split())
"""Words of a company's people: "A's chief executive", "A CEO Jane Doe"."""
_SELF = set("it company automaker carmaker group firm manufacturer maker".split())
"""Subjects standing for the company a speaker speaks for: "said the company would"."""


def _relative(mentions: list[Mention], words: list[str], i: int) -> Mention | None:
    """The company a relative clause describes when the cue at ``i`` is its verb: "A and B
    each hold 40% of X, which develops T" (X, not A and B).

    >>> x = Mention(2, 3, "kg:x", "Company", "X")
    >>> _relative([x], "a owns x , which also develops t".split(), 6).ref
    'kg:x'
    """
    for k in range(max(1, i - 3), i):
        if words[k] in {"which", "that"} and words[k - 1] == ",":
            if set(words[k + 1 : i]) - _AUXILIARIES:
                return None
            return next((m for m in mentions if m.is_org and m.end == k - 1), None)
    return None


_AUXILIARIES = set("also has have had is are was were will would already now still".split())


def _speaker(mentions: list[Mention], words: list[str], i: int) -> Mention | None:
    """The company whose people speak before the cue at ``i``, when the reported clause's
    subject stands for it: "A's chief executive said the company would develop T", "A's
    president told reporters that it will supply T to B" (A, not B nor the company before).

    >>> a = Mention(0, 1, "kg:a", "Automaker", "A")
    >>> words = "a 's ceo said the company would develop t".split()
    >>> _speaker([a], words, 7).ref, _speaker([a], "a said b would develop t".split(), 4)
    ('kg:a', None)
    """
    says = [k for k in range(i) if words[k] in _SAYS]
    if not says:
        return None
    k = says[-1]
    subject = set(words[k + 1 : i])
    if not subject & _SELF or any(m.is_org and k < m.start < i for m in mentions):
        return None
    spoken = [m for m in mentions if m.is_org and m.end <= k and set(words[m.end : k]) & _ROLES]
    return spoken[0] if spoken else None


def _aside(words: list[str], i: int) -> int:
    """The closing comma of an aside right after the verb at ``i`` ("developing, with its
    suppliers and in its own labs, T"), else ``len(words)``.

    >>> _aside("a is developing , with its labs , t".split(), 2), _aside("a makes t".split(), 1)
    (7, 3)
    """
    if words[i + 1 : i + 2] != [","]:
        return len(words)
    return next((k for k in range(i + 2, min(len(words), i + 16)) if words[k] == ","), len(words))


_APART = set("separately independently rival rivals racing race races compete competes".split())
_APART |= set("competing competitor competitors".split())
"""Words of companies working each on its own: "A and B are racing to develop T"."""


def _apart(words: list[str], clause: list[int], i: int, providers: list[Mention]) -> bool:
    """Whether the companies of the cue at ``i`` each work on their own: "A, B and C are all
    (each) developing T", "both A and B", "their own T", "racing", "separately" (not with
    "jointly" or "together").

    >>> a, b = Mention(1, 2, "kg:a", "Company", "A"), Mention(3, 4, "kg:b", "Company", "B")
    >>> _apart("both a and b develop t".split(), [0] * 6, 4, [a, b])
    True
    >>> _apart("x a and b all - develop t".split(), [0] * 8, 6, [a, b])
    False
    """
    mine = {words[k] for k in range(len(words)) if clause[k] == clause[i]}
    if mine & (_TOGETHER | {"co", "joint", "partnership", "alliance"}):
        return False
    first = min(p.start for p in providers)
    return bool(
        mine & _APART
        or any(
            words[k] in {"all", "each"} and words[k + 1 : k + 2] != ["-"]
            for k in range(max(0, i - 2), i)
        )
        or {"own"} & set(words[i + 1 : i + 4])
        or (first and words[first - 1] == "both")
    )


def _joint(words: list[str], i: int, providers: list[Mention]) -> bool:
    """Whether the cue at ``i`` is joint work: two companies its subject, "co-develop",
    "jointly develop" ("A and B will co-develop EVs based on B's platform": a joint project
    on the cars, beside B's platform given to A).

    >>> _joint("a will co - develop evs".split(), 4, []), _joint("a will build evs".split(), 2, [])
    (True, False)
    """
    return (
        len({p.ref for p in providers}) > 1
        or words[max(0, i - 2) : i] == ["co", "-"]
        or ("jointly" in words[max(0, i - 2) : i])
    )


_AFTER_NOUN = {"", ",", ".", ";", "and", "with", "by", "at", "since", "until", "from", "in"}
"""Words after "<technology> development" that end the noun phrase ("partners in fuel cell
development.", not "battery development costs")."""


_SELECTS = set("chose chosen choose chooses picked pick picks selected select selects".split())
_SELECTS |= set("awarded award awards tapped tap taps hired hire hires named".split())
"""Verbs of "B picked A to supply T", "B awarded A a contract": B receives what A gives."""


def _with_companies(
    mentions: list[Mention],
    words: list[str],
    clause: list[int],
    provider: Mention,
    providers: list[Mention],
    i: int,
) -> list[Mention]:
    """The companies named after "with" between the provider and the cue word ``i``, in its
    clause ("A is in talks with B to share T", "A teamed up with B to develop T")."""
    mine = {p.ref for p in providers}
    return [
        m
        for m in mentions
        if m.is_org
        and provider.end <= m.start < i
        and words[m.start - 1] == "with"
        and clause[m.start] == clause[i]
        and m.ref not in mine
    ]


def _chooser(mentions: list[Mention], doc: Any, words: list[str], giver: Mention) -> Mention | None:
    """The company that chose ``giver``: the one on the left of a verb of choosing right
    before the giver's name ("Borealis has chosen Avalon as its supplier"), or the one after
    "by" in the passive ("Avalon has been selected by Borealis as its supplier")."""
    k = giver.end
    while k < len(words) and words[k] in _BE:
        k += 1
    if (
        k > giver.end
        and words[k : k + 2][:1]
        and words[k] in _SELECTS
        and words[k + 1 : k + 2] == ["by"]
    ):
        return next((m for m in mentions if m.is_org and m.start == k + 2), None)
    if giver.start < 2 or words[giver.start - 1] not in _SELECTS:
        return None
    chooser = org_left(mentions, doc, giver.start - 1, [0] * len(doc), {giver.ref})
    return chooser if chooser is not None and chooser.ref != giver.ref else None


_BE = set("has have had is are was were been be will would".split())


_CANCELS = set(
    "scrapped scrap scraps scrapping abandoned abandon abandons cancelled canceled".split()
)
_CANCELS |= set("cancel cancels shelved shelve shelves dropped ditched terminated off".split())
_PLANS = set("plan plans deal talks project projects agreement idea partnership".split())
"""Words of "scrapped (called off, shelved) its plans to ...": a plan given up."""


def _cancelled(words: list[str], i: int) -> bool:
    """Whether the cue at ``i`` is a plan given up: "scrapped plans to share T" (a word of
    giving up with a plan noun after it, within six words before the cue), or "had planned
    to share T but scrapped the plan" (after "but" in the same sentence).

    >>> _cancelled("a scrapped plans to share its platform".split(), 4)
    True
    >>> _cancelled("a had planned to share t but shelved the idea".split(), 4)
    True
    >>> _cancelled("after sales dropped , a will share t".split(), 6)
    False
    """

    def gives_up(lo: int, hi: int) -> bool:
        return any(
            words[k] in _CANCELS and set(words[k + 1 : k + 4]) & _PLANS for k in range(lo, hi)
        )

    if gives_up(max(0, i - 6), i):
        return True
    but = next((k for k in range(i + 1, len(words)) if words[k] == "but"), None)
    return but is not None and gives_up(but + 1, len(words))


def _after_partners(mentions: list[Mention], words: list[str], i: int) -> int:
    """The word after "with <company>, <company> and <company>" right after ``i``, else
    ``i`` ("working with B, C and D on T": "on" is the work's, however long the list).

    >>> from automaker_kg.draft.model import Mention
    >>> b, c = Mention(4, 5, "kg:b", "Company", "B"), Mention(6, 7, "kg:c", "Company", "C")
    >>> _after_partners([b, c], "a is working with b and c on t".split(), 2)
    7
    """
    if words[i + 1 : i + 2] != ["with"]:
        return i
    first = next((m for m in mentions if m.is_org and m.start == i + 2), None)
    if first is None:
        return i
    return ([first, *joined_after(mentions, words, first)])[-1].end


def _covers(mentions: list[Mention], words: list[str], i: int) -> bool:
    """Whether the word at ``i`` is a noun of joint work followed by "with <company>" and a
    verb of covering ("A's cooperation with B covers T", "an alliance with B that includes").

    >>> from automaker_kg.draft.model import Mention
    >>> b = Mention(4, 5, "kg:b", "Company", "B")
    >>> _covers([b], "a 's cooperation with b covers software".split(), 2)
    True
    """
    if words[i] not in _PARTNERSHIPS | {"cooperation", "collaboration"}:
        return False
    if words[i + 1 : i + 2] != ["with"]:
        return False
    partner = next((m for m in mentions if m.is_org and m.start == i + 2), None)
    if partner is None:
        return False
    after = [w for w in words[partner.end : partner.end + 3] if w not in {"also", "that", "which"}]
    return bool(after) and after[0] in _COVERS


_DETERMINERS = {"the", "its", "their", "a", "an"}


def _gapped(
    after: list[Mention], words: list[str], same: list[Mention], fields: dict[str, Any]
) -> list[dict[str, Any]]:
    """ "A will provide the platform and B the software" (the verb left out after "and B",
    one of the companies ``after`` the verb): A's arrangement on the technologies before B,
    B's of the same kind on the ones after it, else ``fields`` alone.

    >>> b = Mention(6, 7, "kg:b", "Company", "B")
    >>> p, s = Mention(4, 5, "tech:p", "Technology", ""), Mention(8, 9, "tech:s", "Technology", "")
    >>> words = "a will provide the p and b the s".split()
    >>> f = {"provider": "kg:a", "arrangement": "supplies", "technology": ["tech:p", "tech:s"]}
    >>> [(x["provider"], x["technology"]) for x in _gapped([b], words, [p, s], f)]
    [('kg:a', ['tech:p']), ('kg:b', ['tech:s'])]
    """
    for m in after:
        k = m.end
        while k < len(words) and words[k] in _DETERMINERS:
            k += 1
        if words[m.start - 1] != "and" or not any(t.start == k for t in same):
            continue
        mine = sorted({t.ref for t in same if t.end <= m.start})
        theirs = sorted({t.ref for t in same if t.start >= k})
        if not mine:
            return [fields]
        second = {**fields, "provider": m.ref, "technology": theirs}
        if second.get("recipient") == m.ref:
            del second["recipient"]
        return [{**fields, "technology": mine}, second]
    return [fields]


def _each_receiver(
    mentions: list[Mention],
    words: list[str],
    clause: list[int],
    i: int,
    same: list[Mention],
    fields: dict[str, Any],
) -> list[dict[str, Any]]:
    """One arrangement per receiver when the verb at ``i`` gives several technologies each
    "to" its own company ("supply hybrid systems to B and e-axles to C": two supplies), else
    ``fields`` alone."""
    if "recipient" not in fields or fields["arrangement"] not in rules.GIVING:
        return [fields]
    givers = set(fields["provider"]) if isinstance(fields["provider"], list) else set()
    givers.add(str(fields["provider"]))
    to = [
        m
        for m in _orgs_after(mentions, clause, i)
        if words[m.start - 1] == "to" and m.ref not in givers
    ]
    if len({m.ref for m in to}) < 2:
        return [fields]
    groups: dict[str, list[str]] = {}
    for t in same:
        taker = next((m for m in to if m.start > t.end), None)
        if taker is None:
            return [fields]
        groups.setdefault(taker.ref, []).append(t.ref)
    if len(groups) < 2:
        return [fields]
    return [
        {**fields, "technology": sorted(set(techs)), "recipient": ref}
        for ref, techs in groups.items()
    ]


_EXAMPLES = [["including"], ["such", "as"], ["like"], ["among", "them"], ["notably"]]


def _examples_of(words: list[str], i: int, k: int) -> bool:
    """Whether the company at ``k`` is an example of the receivers the verb at ``i`` gives to
    ("supply T to several carmakers, including B and C"; "license it to rivals such as B").

    >>> w = "supply cells to several carmakers , including b".split()
    >>> _examples_of(w, 0, 7), _examples_of("supply cells including b".split(), 0, 3)
    (True, False)
    """
    cue = next((e for e in _EXAMPLES if words[k - len(e) : k] == e), None)
    if cue is None:
        return False
    between = words[i + 1 : k - len(cue)]
    return ("to" in between or "for" in between) and len(between) <= 8


def _from_developer(
    r: Reading, words: list[str], same: list[Mention], fields: dict[str, Any], w: str
) -> dict[str, Any]:
    """ "B will use the platform" after "A has developed a platform": a use with no giver of
    a technology named with "the", which the draft has one other company developing, is that
    company's, given to B (supplied after a verb of buying); else ``fields``."""
    user = fields["provider"]
    if fields["arrangement"] != "acquires" or "recipient" in fields or not isinstance(user, str):
        return fields
    if not all(words[m.start - 1 : m.start] == ["the"] for m in same):
        return fields
    makers = {p for p, techs in developments(r) if set(fields["technology"]) <= set(techs)}
    makers.discard(user)
    if len(makers) != 1:
        return fields
    return {
        "provider": makers.pop(),
        "arrangement": "supplies" if w in _BUYS else "contributes",
        "technology": fields["technology"],
        "recipient": user,
    }


_DEALS = AGREEMENTS | {"deal", "deals", "agreed"}


def _deal_partner(r: Reading, words: list[str], fields: dict[str, Any]) -> str | None:
    """The receiver of a giving with none named in a sentence about the deal ("Under the
    deal, A will supply T"): A's one partner among the two companies named before."""
    giver = fields["provider"]
    if fields["arrangement"] not in rules.GIVING - {"shares"} or "recipient" in fields:
        return None
    if not isinstance(giver, str) or not _DEALS & set(words):
        return None
    two = pair(r)
    if len(two) != 2 or giver not in two:
        return None
    return next(x for x in two if x != giver)


def _received(r: Reading, ev: Evidence, fields: dict[str, Any]) -> bool:
    """Whether ``fields``, a use with no giver ("B will use them"), is a technology the
    sentence already has given to B (the scorer reads the giving as B acquiring it)."""
    if fields["arrangement"] != "acquires" or "recipient" in fields:
        return False
    return any(
        ev in c.evidence
        and c.fields.get("recipient") in providers_of(fields)
        and c.fields.get("arrangement") in rules.GIVING
        and set(c.fields.get("technology", [])) & set(fields["technology"])
        for c in r.claims
    )


def _and_receivers(
    mentions: list[Mention], words: list[str], clause: list[int], i: int, fields: dict[str, Any]
) -> list[dict[str, Any]]:
    """One arrangement per receiver of "to B and C" ("license its hybrid system to B and C",
    "supply B and C with T": one each) and per giver of "from A and D" ("buy T from A and
    D"), else ``fields`` alone; not "to B and C will ..." (C the subject of a clause of its
    own). ``i`` is the cue verb."""
    if "recipient" not in fields or fields["arrangement"] not in rules.GIVING:
        return [fields]
    givers = providers_of(fields)
    out = [fields]
    for role, before in (("recipient", {"to", "with"}), ("provider", {"from"})):
        named = next(
            (
                m
                for m in mentions
                if m.is_org
                and m.ref == fields[role]
                and (
                    words[m.start - 1] in before
                    or (role == "recipient" and m.start == i + 1)
                    or (role == "recipient" and _examples_of(words, i, m.start))
                )
            ),
            None,
        )
        if named is None:
            continue
        more = [
            m.ref
            for m in joined_after(mentions, words, named)
            if clause[m.start] == clause[named.start]
            and m.ref not in givers
            and m.ref != fields["recipient"]
        ]
        out += [{**fields, role: ref} for ref in dict.fromkeys(more)]
    return out


def _each_partner(
    mentions: list[Mention],
    words: list[str],
    clause: list[int],
    i: int,
    same: list[Mention],
    fields: dict[str, Any],
) -> list[dict[str, Any]]:
    """One joint project per partner when each technology after the verb at ``i`` is followed
    by its own "with <company>" ("develops T with B and U with C": two projects), else the
    one project of ``fields``."""
    one = [{"participant": fields["provider"], "technology": fields["technology"]}]
    withs = [m for m in _orgs_after(mentions, clause, i) if words[m.start - 1] == "with"]
    if len({m.ref for m in withs}) < 2:
        return one
    partners = {m.ref for m in withs}
    own = [p for p in fields["provider"] if p not in partners]
    groups: dict[str, list[str]] = {}
    for t in same:
        partner = next((m for m in withs if m.start > t.end), None)
        if partner is None:
            return one
        groups.setdefault(partner.ref, []).append(t.ref)
    if len(groups) < 2 or not own:
        return one
    return [
        {"participant": [*own, ref], "technology": sorted(set(techs))}
        for ref, techs in groups.items()
    ]


def technology(r: Reading, doc: Any, mentions: list[Mention], ev: Evidence) -> None:
    """Technology arrangements of one sentence (see the module's summary)."""
    words = [t.lower_ for t in doc]
    techs = [
        m
        for m in mentions
        if m.type == "Technology"
        and not (m.end < len(doc) and words[m.end] in _NOT_THE_TECH)
        and not (m.text.lower() == "platform" and words[m.start - 1 : m.start] == ["technology"])
    ]  # "a battery plant", "hybrid sales": a place or a market, not the technology; "X's
    # technology platform": what its technology is built on, no vehicle platform
    before = r.last_product
    for m in techs:  # "a battery-electric sedan": "the car" of the next two paragraphs
        if words[m.end : m.end + 1] and words[m.end] in _PRODUCTS:
            r.last_product = (m.ref, ev.paragraph)
    if not techs and before is not None and ev.paragraph - before[1] <= 2:
        techs = _the_car(words, before[0])
    if not techs:
        return
    clause = clauses(doc)
    handled = possessives(r, doc, mentions, techs, ev)
    done = _licensed_or_kept(r, doc, mentions, techs, ev) | _relies_on(r, doc, mentions, techs, ev)
    done |= _first_outside(r, doc, mentions, techs, ev)
    # "the memorandum covers T, U and V" (not "draw on X's expertise in T": X's, read above)
    done |= areas(r, doc, mentions, [t for t in techs if t.start not in handled], ev)
    read_to: dict[int, int] = {}  # a clause read by a cue verb -> where its technologies end
    for i, w in enumerate(words):
        # "a tie-up"; "A teamed up with B on software": joint work on what follows "on"
        tie_up = w == "up" and (
            words[max(0, i - 2) : i] == ["tie", "-"]
            or (i > 0 and words[i - 1] in {"team", "teams", "teamed", "teaming"})
        )
        # "a solid-state battery pilot (production) line": the technology being developed
        pilot = w in {"line", "lines"} and bool(set(words[max(0, i - 2) : i]) & _PILOT)
        # "A is partnering with B on T"; "A's cooperation with B covers T": joint work
        partnering = w in _PARTNER_VERBS and words[i + 1 : i + 2] == ["with"]
        # "A joins forces (joined hands) with B on T", "A and B join forces on T"
        partnering = partnering or (
            w in {"forces", "hands"}
            and words[i - 1 : i] in _JOIN
            and words[i + 1 : i + 2] in (["with"], ["on"], ["in"])
        )
        # "A and B will combine (pool) their expertise in T", "leverage each other's
        # strengths in T": joint work
        partnering = partnering or (
            w in _STRENGTHS
            and i >= 2
            and (
                (words[i - 2] in COMBINE and words[i - 1] == "their")
                or words[i - 3 : i] in (["each", "other", "'s"], ["one", "another", "'s"])
            )
            and words[i + 1 : i + 2] in (["in"], ["on"])
        )
        covers = _covers(mentions, words, i)
        joint_noun = w in _PARTNERSHIPS or tie_up or partnering or covers
        # "A has its own hybrid technology": A's own work, a description
        owns = w == "own" and words[max(0, i - 2) : i] in _HAS_OWN
        # "a joint study of T", "jointly study T": joint work
        studies = w in _STUDIES and bool({"joint", "jointly"} & set(words[max(0, i - 2) : i]))
        wanted = "develops" if joint_noun or pilot or owns or studies else rules.TECH_VERBS.get(w)
        # "B will fit (equip) its vans with batteries from A": kept only with a source
        equips = w in _EQUIPS and "with" in words[i + 1 : i + 6]
        if w in _GETS or equips:
            wanted = "acquires"  # "B gets its batteries from A": kept only with a source
        if w in _SELLS and "to" in words[i + 1 : i + 12]:
            wanted = "supplies"  # "A sells T to B" (not a cue of its own: "makes and sells T")
        if (
            w == "making"
            and words[i - 1 : i] == ["-"]
            and words[i + 1 : i + 2]
            and (words[i + 1] in UNITS)
        ):
            made = next((m for m in techs if m.end == i - 1), None)
            if made is not None and made.start and words[made.start - 1] in rules.POSSESSIVE:
                continue  # "X, A's battery-making subsidiary": the unit's work (areas)
        # a second verb with its own object: "jointly procure batteries and share their
        # platforms" (not "develop and produce batteries": one object, the first verb's)
        second = (
            words[i - 1 : i] == ["and"]
            and read_to.get(clause[i], len(words)) < i
            and any(m.start > i and clause[m.start] == clause[i] for m in techs)
        )
        # "makes hybrids and supplies them to B": the pronoun is the first verb's object
        them = (
            (
                words[i - 1 : i] == ["and"]
                and read_to.get(clause[i], len(words)) < i
                and words[i + 1 : i + 2] in (["them"], ["it"])
            )
            or (  # "..., when B began buying them from C": the technologies named before
                w in rules.TECH_VERBS
                and read_to.get(clause[i], len(words)) < i
                and words[i + 1 : i + 2] == ["them"]
                and any(m.is_org for m in mentions if read_to[clause[i]] <= m.start < i)
            )
        )
        second = second or them
        if wanted is None or (clause[i] in done and not second):
            continue
        if w == "use" and not _verb_use(words, mentions, i):
            continue  # "for global use", "practical use of": the noun
        partnership = joint_noun
        # "aims to mass-produce T in a partnership with B": the clause's technology, with B
        with_whom = partnership and words[i + 1 : i + 2] == ["with"]
        in_partnership = with_whom and bool(
            {"in", "through", "under"} & set(words[max(0, i - 3) : i])
        )
        # "A's partnership with B on T", "A's battery partnership with B"
        partner_on = next((m for m in mentions if m.is_org and m.start == i + 2), None)
        if with_whom and partner_on is not None:
            after = words[partner_on.end : partner_on.end + 1]
            before_tech = any(t.end == i for t in techs)
            in_partnership = in_partnership or after in (["on"], ["in"], ["for"]) or before_tech
            in_partnership = in_partnership or covers
        team_on = (tie_up and words[i - 1] != "-" or partnering) and bool(
            {"on", "in"} & set(words[i + 1 : i + 6])
        )
        if (
            partnership
            and not in_partnership
            and not team_on
            and words[i + 1 : i + 2] not in (["on"], ["in"], ["for"], ["covering"])
        ):
            continue  # "a partnership on batteries", not "the partnership aims to ..."
        arrangement = wanted
        if w == "access" and not set(words[max(0, i - 3) : i]) & {
            "gain",
            "gains",
            "get",
            "gets",
            "to",
            "with",
            "give",
            "gives",
            "provide",
        }:
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        if w in _BRINGS and {"market", "markets", "showrooms"} & set(words[i + 1 : i + 12]):
            continue  # "bring cars with these batteries to market": a launch
        if w in {"lead", "leads", "leading", "ahead"} and following != "in":
            continue  # "leads in EV technology", not "leading carmakers"
        if following == "up" and not tie_up:
            continue  # "build up its EV business": growing a business, not the technology
        named_before = any(t.end == i for t in techs) and following in _AFTER_NOUN
        # "put T into (mass) production": the technology named before
        into = w == "production" and "into" in words[max(0, i - 2) : i]
        if w in _NOUN_CUES and following not in {"on", "in", "of", "for"} and not covers:
            if not (w in {"development", "production"} and (named_before or into)):
                continue  # "cooperation on batteries", not "the cooperation aims to ..."
            # "partners in fuel cell development": the technology before the noun
        together = following in _TOGETHER or words[i - 1 : i] == ["jointly"]
        after_partners = _after_partners(mentions, words, i)
        if (
            w in _WORK
            and "on"
            not in words[i + 1 : max(i + (9 if following == "for" else 6), after_partners + 2)]
            and not together
        ):
            continue  # "working with X (, Y and Z) on software", not "work began"
        if w in _SUPPLIER and not (any(t.end == i for t in techs) or following == "of"):
            continue  # "together with its suppliers": no technology supplied
        negated = any(x in _REFUSALS for x in words[max(0, i - 3) : i])
        if words[i - 1 : i] == ["out"] and words[i - 2 : i - 1] in _RULE_OUT:
            if {"not", "n't", "never"} & set(words[max(0, i - 5) : i - 2]):
                continue  # "has not ruled out licensing T": an open door, no act
            negated = True
        if _cancelled(words, i):
            done.add(clause[i])  # "scrapped plans to share T": no arrangement, no plan
            continue
        if w in {"make", "makes", "made", "making"} and "available" in words[i + 1 : i + 8]:
            arrangement = "contributes"  # "make its platform available to B"
        if arrangement == "shares" and {"cost", "costs", "burden", "expense", "expenses"} & set(
            words[i + 1 : i + 4]
        ):
            arrangement = "develops"  # "share the cost of developing T": joint development
        if w in COMBINE and words[i + 1 : i + 2] == ["their"] and words[i + 2 : i + 3]:
            if words[i + 2] in _STRENGTHS:
                continue  # "pool their expertise in T": joint work, read at the noun
        if arrangement in {"shares", "licenses", "supplies", "contributes"} and negated:
            arrangement = "withholds"  # "will not share / license its technology"
        # "Y will be supplied with T by X", "T for Y will be supplied by X": a passive
        passive = w in _GIVE_PASSIVE and i > 0 and words[i - 1] in _BE
        # the technology is the verb's object (within 6 words after it, no stake between)
        # or names the thing just before the verb ("battery maker", "EV technology it shares")
        # "developing, together with its suppliers and in its own labs, T": the object
        # after an aside between commas right after the verb
        aside = _aside(words, i)
        same = [
            m
            for m in techs
            if clause[m.start] == clause[i]
            and (
                0 < m.start - i <= (20 if together else 10)
                or 0 <= i - m.end <= (6 if passive else 2)
                or aside < m.start <= aside + 4
            )
            and not set(words[i + 1 : m.start] if m.start > i else words[m.end : i])
            & rules.STAKE_NOUNS
            and not (m.start > i and _verb_between(words, mentions, i, m.start))
        ]
        # "synthetic fuels and more efficient combustion engines": the whole list
        for m in techs:
            if m not in same and clause[m.start] == clause[i] and m.start > i:
                if _verb_between(words, mentions, i, m.start):
                    continue  # another verb's object
                if any(0 < m.start - x.end <= 6 for x in same):
                    same.append(m)
        if arrangement == "licenses" or in_partnership:
            same = [m for m in techs if clause[m.start] == clause[i]]
        if them:  # the first verb's technologies
            same = [m for m in techs if clause[m.start] == clause[i] and m.end <= i]
        elif second:  # the second verb's own object only
            same = [m for m in same if m.start > i]
        same = [m for m in same if m.start not in handled]  # read as "X's technology"
        if arrangement in rules.GIVING | {"acquires"} and len(same) > 1:
            # "supply B with cells for its electric vehicles": the cars the supply is for
            first = min(x.start for x in same)
            same = [
                m
                for m in same
                if m.start == first
                or not (
                    "for" in words[max(first, m.start - 6) : m.start]
                    and (m.ref in _VEHICLES or _PRODUCTS & set(words[m.end - 1 : m.end + 1]))
                )
            ]
        if w in _SELLS:  # not "sell its battery business", "sell electric cars": no supply
            same = [
                m
                for m in same
                if m.ref not in _VEHICLES
                and not rules.UNIT_WORDS & set(words[m.end : m.end + 1])
                and not _PRODUCTS & set(words[m.end - 1 : m.end + 1])
            ]
        if w in _UNVEILS:  # "unveiled an electric sedan": a launch, not the technology
            same = [m for m in same if not _PRODUCTS & set(words[m.end - 1 : m.end + 1])]
        same = [  # nor its short name in parentheses: "X's modular kit (MK)"
            m
            for m in same
            if not (
                words[m.start - 1 : m.start] == ["("]
                and any(t.end == m.start - 1 and t.start in handled for t in techs)
            )
        ]
        if not same:
            continue
        named = [m for m in mentions if m.start == i + 1 and m.is_org]
        by = [
            m
            for m in mentions
            if m.start == i + 2
            and m.is_org
            and words[i + 1] == "by"
            and (w.endswith(("ed", "t")) or w == "made")
        ]
        provider: Mention | None
        apposed = _apposed(mentions, words, techs, i)
        if apposed is not None:
            provider = apposed  # "X, the battery-making arm of Y": X makes batteries
        elif w in {"maker", "makers", "supplier", "suppliers"} and named:
            provider = named[0]  # "the Chinese EV maker Leapmotor"
        elif by:
            provider = by[0]  # "batteries supplied by BYD"
        elif _relative(mentions, words, i) is not None:
            provider = _relative(mentions, words, i)  # "... of X, which develops T": X
        else:
            provider = org_left(mentions, doc, i, clause, set())
        if provider is None:  # "A's chief executive said the company would develop T"
            provider = _speaker(mentions, words, i)
        providers_given: list[Mention] = []
        subject_words = set(words[:i])
        n = 3 if "three" in subject_words else 2
        named_later = [m for m in mentions if m.is_org and m.start > i]
        if provider is None and subject_words & _PLURAL and len(named_later) >= n:
            if not pair(r, n) or words[named_later[-1].end : named_later[-1].end + 1] in (
                ["said"],
                ["say"],
                ["announced"],
            ):
                # "the two companies will co-develop T, A and B said": the ones named after
                pair_later = [named_later[0], *joined_after(mentions, words, named_later[0])]
                if len(pair_later) >= n:
                    providers_given, provider = pair_later[:n], pair_later[0]
        if provider is None and len(pair(r, n)) == n and subject_words & _PLURAL:
            # "the two companies will co-develop ...": the previous sentence's companies
            refs = pair(r, n)
            providers_given = [Mention(0, 0, x, r.types.get(x, "Company"), "") for x in refs]
            provider = providers_given[0]
        if provider is None and "it" in {words[k] for k in range(i) if clause[k] == clause[i]}:
            # "A's research ..., and it has supplied T to B": the sentence's company before
            earlier = [
                x for x in mentions if x.is_org and x.end <= i and clause[x.start] < clause[i]
            ]
            provider = earlier[0] if earlier else None
        if provider is None:
            provider = org_left(mentions, doc, i, [0] * len(doc), set())
        if provider is None:
            provider = described(r, mentions, words, i)  # "The German automaker will ..."
        if provider is None:
            # "a maker of hybrid powertrains, Horse": the company after the verb
            after = _orgs_after(mentions, clause, i)
            earlier = [x for x in mentions if x.is_org and x.end <= i]
            if (
                after
                and arrangement == "acquires"
                and earlier
                and words[after[0].start - 1]
                in {
                    "from",
                    "by",
                }
            ):
                provider = earlier[0]  # "Avalon's model uses a battery supplied by Borealis"
            elif (
                after
                and not rules.possessive(words, after[0].end)
                # a receiver is no subject (a passive's agent comes later: "by X")
                and (passive or words[after[0].start - 1] not in {"to", "for"})
                and not (  # "In addition, it will share T with B": "it" is not B
                    r.last_orgs
                    and {"it", "they"} & set(words[:i])
                    and words[after[0].start - 1] == "with"
                )
            ):
                provider = after[0]  # not "X's T" named later: X's own phrase reads that
                if arrangement == "acquires" and words[after[0].start - 1] in {"from", "by"}:
                    arrangement = "contributes"  # "uses a platform developed by X": X's
            elif r.last_orgs and (set(words[:i]) & rules.PRONOUNS or words[:1] == ["its"]):
                # "it", "the company", "the two": the previous sentence's companies
                two = bool(set(words[:i]) & {"two", "both", "they", "partners"})
                refs = pair(r) if two else r.last_orgs[:1]
                providers_given = [Mention(0, 0, x, r.types.get(x, "Company"), "") for x in refs]
                provider = providers_given[0]
            else:
                continue
        gap = set(words[provider.end : i])
        if not providers_given and gap & _SAYS and gap & {"two", "both", "three", "they"}:
            # "A said the two companies would share T": the two, not the speaker alone
            refs = pair(r, n)
            if len(refs) == n and provider.ref in refs:
                providers_given = [Mention(0, 0, x, r.types.get(x, "Company"), "") for x in refs]
        providers = providers_given or coordinated(mentions, doc, provider)
        if by:  # "developed by A and B": both
            providers = [*providers, *joined_after(mentions, words, by[0])]
        if words[i - 1 : i] == ["joint"] and arrangement == "develops" and len(providers) == 1:
            # "joint development of T (by A and B)", "A's alliance with B includes joint
            # development of T": the companies the sentence names, else the two before
            named = [*providers, *joined_after(mentions, words, provider)]
            named += [m for m in mentions if m.is_org and m.ref not in {x.ref for x in named}]
            if len(named) < 2 and provider.ref in pair(r):
                named = [Mention(0, 0, x, r.types.get(x, "Company"), "") for x in pair(r)]
            providers = list({m.ref: m for m in named}.values())[:2]
        recipient = None
        commissioner = _commissioner(mentions, doc, words, i, provider)
        if commissioner is not None and arrangement == "develops":
            # "A will have B develop and build its compact car": B makes it for A
            arrangement, recipient = "supplies", commissioner
        for m in mentions:
            if (
                m.start > i
                and m.is_org
                and m.start
                and (words[m.start - 1] in {"to", "with", "for"} or _examples_of(words, i, m.start))
            ):
                if _second_verb(words, i, m.start):
                    break  # "makes T and supplies them to B": the second verb's receiver
                if clause[m.start] == clause[i] and m.ref not in {p.ref for p in providers}:
                    recipient = m
                    break
        later = _given_to(mentions, words, clause, by[0].end, by[0].ref) if by else None
        if later is not None:  # "batteries developed by A will be supplied to B"
            arrangement, recipient = later
        if by and recipient is None:  # "Avalon's model uses a battery supplied by Borealis"
            makers = {p.ref for p in providers}  # "developed by A and B": both, no user
            user = org_left(mentions, doc, i, [0] * len(doc), makers)
            if user is None:
                user = next(  # not "supplied by X, a Y subsidiary": Y is X's parent
                    (
                        x
                        for x in mentions
                        if x.is_org
                        and x.ref not in makers
                        and (x.end <= i or words[x.start - 1] in {"to", "for"})
                    ),
                    None,
                )
            if user is not None and arrangement in ("supplies", "contributes", "develops"):
                recipient = user
                arrangement = "supplies" if arrangement == "develops" else arrangement
        if w in rules.TECH_VERBS and w in _SUPPLIER and recipient is None:
            # "B will be A's exclusive supplier of T": A receives it
            poss = [k for k in range(max(1, i - 3), i) if words[k] in rules.POSSESSIVE]
            client = [m for m in mentions if poss and m.end == poss[-1] and m.is_org]
            if client and client[0].ref not in {p.ref for p in providers}:
                recipient = client[0]
        given = [m for m in mentions if m.start == i + 1 and m.is_org]
        if arrangement in ("supplies", "contributes") and given:
            recipient = given[0]  # "provide Volkswagen with access to ..."
            providers = [p for p in providers if p.ref != recipient.ref] or providers
            provider = providers[0]
        passive_by = [m for m in _orgs_after(mentions, clause, i) if words[m.start - 1] == "by"]
        made_by = _made_by(mentions, words, same)
        if made_by is not None and w in _BUILDS_ON | _USES | rules.USES and not by:
            # "B will build two models on the platform developed by A": A's, used by B
            user = org_left(mentions, doc, i, [0] * len(doc), {made_by.ref})
            if user is not None:
                arrangement = "contributes"
                provider, providers, recipient = made_by, [made_by], user
        if passive and passive_by and not by:
            giver = passive_by[0]
            to_taker = [
                m
                for m in mentions
                if m.is_org and m.start > i and words[m.start - 1] == "to" and m.ref != giver.ref
            ]  # "batteries will be supplied to Y by X"
            taker = to_taker[0] if to_taker else None
            if taker is None:
                taker = org_left(mentions, doc, i, [0] * len(doc), {giver.ref})
            if taker is None:  # "batteries for Y will be supplied by X"
                taker = next((x for x in mentions if x.is_org and x.end <= i), None)
            arrangement = _GIVE_PASSIVE[w]
            provider, providers = giver, [giver]
            recipient = taker if taker is not None and taker.ref != giver.ref else None
        grant = [k for k in range(max(0, i - 3), i) if words[k] in _GRANTS]
        lets = [k for k in range(max(0, i - 3), i) if words[k] in _LETS]
        if arrangement == "acquires" and lets:  # "A will let (allow) B (to) use its T"
            allowed = [m for m in mentions if m.is_org and m.start == lets[-1] + 1]
            grantor = org_left(mentions, doc, lets[-1], clause, set()) or _speaker(
                mentions, words, lets[-1]
            )
            if allowed and grantor is not None and allowed[0].ref != grantor.ref:
                arrangement = "contributes"
                provider, providers, recipient = grantor, [grantor], allowed[0]
        if w == "access" and grant:  # "A will give B access to its platform"
            granted = [m for m in mentions if m.is_org and m.start == grant[-1] + 1]
            grantor = org_left(mentions, doc, grant[-1], clause, set())
            if granted and grantor is not None and granted[0].ref != grantor.ref:
                arrangement = "contributes"
                provider, providers, recipient = grantor, [grantor], granted[0]
        on_it = [k for k in range(i + 1, min(same[0].start, i + 8)) if words[k] == "on"]
        if (
            arrangement == "develops"
            and w in _BUILDS_ON
            and on_it
            and same[0].start > i
            and not {"own", "jointly", "together"} & set(words[on_it[0] : same[0].start])
            and not set(words[i + 1 : on_it[0]]) & {"work", "works", "working"}
        ):
            # "B will build its cars on the Zenith platform": B uses the platform
            arrangement, recipient = "acquires", None
        on_k = next((k for k in range(i + 1, min(len(words), i + 8)) if words[k] == "on"), None)
        if (
            arrangement == "develops"
            and w in _BUILDS_ON
            and all(m.ref in _VEHICLES for m in same)
            and on_k is not None
            and (on_k == i + 1 or any(t.start in handled and t.start > on_k for t in techs))
            and not _joint(words, i, providers)
        ):
            continue  # "an electric SUV built on X's platform": a product, the platform's use
        if (
            arrangement == "develops"
            and w in _PRODUCES
            and recipient is not None
            and words[recipient.start - 1] == "for"
            and not all(m.ref in _VEHICLES for m in same)
        ):
            arrangement = "supplies"  # "A makes e-axles for B": A supplies them to B
        chooser = _chooser(mentions, doc, words, provider)
        if arrangement in {"supplies", "contributes"} and recipient is None and chooser:
            recipient = chooser  # "B picked A to supply T", "B has chosen A as its supplier"
        if arrangement in {"supplies", "shares", "contributes"} and recipient is None:
            # "A is in talks with B to share its platform": B the receiver
            talks = _with_companies(mentions, words, clause, provider, providers, i)
            recipient = talks[0] if talks else None
        describes = w in rules.DESCRIBES or apposed is not None or owns
        giving = arrangement in rules.GIVING
        status, signal, scue = tech_status(
            r, doc, clause, i, describes, given=giving and recipient is not None
        )
        if arrangement == "withholds" and negated and status[0] != "reported":
            status, signal, scue = "official", "stated", "'will not share': a refusal stated now"
        fields: dict[str, Any] = {
            "provider": [p.ref for p in providers] if len(providers) > 1 else provider.ref,
            "arrangement": arrangement,
            "technology": sorted({m.ref for m in same}),
        }
        if recipient is not None:
            fields["recipient"] = recipient.ref
        built_on = "on" in words[i + 1 : min(m.start for m in same)]
        if (
            (arrangement == "acquires" or (arrangement == "develops" and built_on))
            and len({p.ref for p in providers}) > 1
            and recipient is None
            and {"common", "shared", "same"} & set(words[i + 1 : min(m.start for m in same)])
        ):
            arrangement = "shares"  # "A and B will use (build on) a common platform"
            fields["arrangement"] = arrangement
        # "A and B will supply each other with T", "cross-license", "the mutual supply of T"
        mutual = (
            len({p.ref for p in providers}) == 2
            and recipient is None
            and arrangement in rules.GIVING - {"shares"}
            and (
                bool(_EACH_OTHER & {" ".join(words[k : k + 2]) for k in range(i + 1, i + 8)})
                or words[max(0, i - 2) : i] == ["cross", "-"]
                or bool({"mutual", "mutually", "reciprocal"} & set(words[max(0, i - 3) : i]))
            )
        )
        if arrangement == "licenses" and not mutual:
            status, signal, scue = cue_status(words[:i])
            if signal == "stated":  # "licensed its design to B in 2021": a past year's act
                past = status_at(r, doc, clause, i)
                if past[2].startswith("a past"):
                    status, signal, scue = past
            fields = licence(r, mentions, words, clause, i, provider, fields["technology"])
        source = [
            m
            for m in _orgs_after(mentions, clause, i)
            if words[m.start - 1] in {"from", "by"} and m.ref not in {p.ref for p in providers}
        ]
        if fields["arrangement"] == "acquires" and w in _BUYS and not source:
            # "B is in talks with A about buying T": A the seller
            source = [
                m
                for m in mentions
                if m.is_org
                and provider.end <= m.start < i
                and words[m.start - 1] == "with"
                and m.ref not in {p.ref for p in providers}
            ]
        # "A will equip B's vans with its e-axles": A supplies them to B
        client = [m for m in mentions if m.is_org and m.start == i + 1 and m.ref != provider.ref]
        if equips and not source and client and rules.possessive(words, client[0].end):
            if "its" in words[client[0].end : min(x.start for x in same)]:
                source, provider, providers = [provider], client[0], [client[0]]
        if (w in _GETS or equips) and not (fields["arrangement"] == "acquires" and source):
            continue  # "gets a boost from": no supply without "from <company>"
        if fields["arrangement"] == "acquires" and source and len(providers) == 1:
            # "Honda will use batteries from Nissan": Nissan gives them to Honda
            fields = {
                "provider": source[0].ref,
                "arrangement": "supplies" if w in _BUYS | _GETS | _EQUIPS else "contributes",
                "technology": fields["technology"],
                "recipient": provider.ref,
            }  # a supply to a named company: in force when stated ("buys its cells from X")
            status, signal, scue = tech_status(r, doc, clause, i, describes, given=True)
        owner = _its_owner(mentions, words, clause, i, same, provider)
        if fields["arrangement"] == "acquires" and owner is not None and not lets:
            # "B signed a deal with A to use its batteries": A's, used by B
            fields = {
                "provider": owner.ref,
                "arrangement": "supplies" if w in _BUYS else "contributes",
                "technology": fields["technology"],
                "recipient": provider.ref,
            }
            status, signal, scue = tech_status(r, doc, clause, i, describes, given=True)
        partners = _with_companies(mentions, words, clause, provider, providers, i)
        if arrangement == "develops" and partners and "recipient" not in fields:
            # "A teamed up / is working / signed a deal with B to develop T": both develop it
            providers = [*providers, *coordinated(mentions, doc, partners[0])]
            fields["provider"] = [p.ref for p in providers]
        with_partner = (
            arrangement == "develops"
            and recipient is not None
            and words[recipient.start - 1] == "with"
        )
        if with_partner and recipient is not None:  # "A will jointly develop T with B (and C)"
            providers = [*providers, recipient, *joined_after(mentions, words, recipient)]
            fields["provider"] = [p.ref for p in providers]
            del fields["recipient"]
        several = isinstance(fields["provider"], list) and len(fields["provider"]) > 1
        # "A, B and C are all developing T", "both race to ...": each on its own
        apart = several and (owns or _apart(words, clause, i, providers))
        if several and signal == "background" and scue.startswith("what the company does"):
            if apart:
                pass  # each its own work: a description, as of one company
            else:
                # "A and B share platforms", two companies' joint work (a joint project,
                # below): an arrangement between them, not a description
                status, signal, scue = status_at(r, doc, clause, i)
        if apart and arrangement == "develops" and "recipient" not in fields:
            for p in list({p.ref: p for p in providers}):
                mine = {**fields, "provider": p}
                text = f"'<company> and <company> each {w}' a technology: each its own"
                add(r, Proposal("TechnologyArrangement", mine, status, signal, text, [ev]))
            done.add(clause[i])
            read_to[clause[i]] = max(m.end for m in same)
            continue
        if (
            arrangement == "develops"
            and "recipient" in fields
            and all(t in _VEHICLES for t in fields["technology"])
        ):
            done.add(clause[i])  # "B will build electric vehicles for A": vehicle supply
            continue
        if partnership and not (len(providers) > 1 and "recipient" not in fields):
            continue  # a partnership of one company named: not read
        if arrangement == "develops" and len(providers) > 1 and "recipient" not in fields:
            # "QuantumScape and PowerCo will jointly develop a cell": a joint project
            for project in _each_partner(mentions, words, clause, i, same, fields):
                add(
                    r,
                    Proposal(
                        "JointProject",
                        project,
                        status,
                        signal,
                        f"'<company> and <company> {w}' a technology: a joint project; "
                        f"status cue: {scue}",
                        [ev],
                    ),
                )
            done.add(clause[i])
            read_to[clause[i]] = max(m.end for m in same)
            continue
        parts = _gapped(_orgs_after(mentions, clause, i), words, same, fields)
        if mutual:  # one arrangement each way
            a, b = list({p.ref: p for p in providers})
            parts = [{**fields, "provider": a, "recipient": b}]
            parts.append({**fields, "provider": b, "recipient": a})
        if len(parts) == 1:
            parts = _each_receiver(mentions, words, clause, i, same, fields)
        if len(parts) == 1:
            parts = _and_receivers(mentions, words, clause, i, fields)
        for n, part in enumerate(parts):
            if _received(r, ev, part):
                continue  # "supply T to B, which will use them": B's use is the supply
            parts[n] = part = _from_developer(r, words, same, part, w)
            partner = _deal_partner(r, words, part)
            if partner is not None:  # "Under the deal, A will supply T": to A's partner
                parts[n] = part = {**part, "recipient": partner}
            add(
                r,
                Proposal(
                    "TechnologyArrangement",
                    part,
                    status,
                    signal,
                    f"'{w}' next to a technology; status cue: {scue}",
                    [ev],
                ),
            )
        done.add(clause[i])  # one arrangement a clause: its first cue verb (and a second
        read_to[clause[i]] = max(m.end for m in same)  # verb's after "and" with its object)
