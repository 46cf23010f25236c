"""The most specific technology concept, as an analyst picks it from the SKOS taxonomy.

A narrower concept whose name is its broader concept's head word with a modifier ("solid-state
battery" under "battery", "vehicle-to-cloud software" under "connected-car software") is a
*kind* of it, and so is a brand's one-word name under a concept ("e-Power" under the hybrid
powertrain). The rules that follow are derived from the taxonomy, not from word lists:

- the modifier alone names the kind ("solid-state cells", "anodes of pure lithium metal",
  "vehicle-to-cloud services"): :func:`modifier_names`;
- a narrower concept's name before a broader one's is the narrower concept ("ADAS
  software", "e-Power hybrid system"), no new technology: :func:`merge`;
- "the technology", "its technology", "X's technology" is the technology the report
  named last (X's own when the draft has X developing one): :func:`anaphora`;
- a bare broad name ("a battery cell") in a report whose headline names one kind of it
  ("... solid-state cell technology ..."), or pointing back ("the batteries") after the
  report named one kind of it, is that kind: :func:`refine`. A name that says which other
  kind it is ("lithium-ion batteries") is left alone, and so is one with several kinds in
  view;
- a claim that names a kind and its broader concept keeps the kind: :func:`most_specific`.

>>> names = [Name("battery", "battery", "tech", "Technology"),
...          Name("solid-state battery", "ssb", "tech", "Technology"),
...          Name("lithium-metal battery", "lmb", "tech", "Technology"),
...          Name("ceramic separator", "sep", "tech", "Technology")]
>>> k = kinds(names, [("ssb", "battery"), ("lmb", "battery"), ("sep", "ssb")])
>>> k == {"battery": {"ssb", "lmb"}}
True
>>> sorted((n.text, n.id) for n in modifier_names(names, k))
[('lithium-metal', 'lmb'), ('solid-state', 'ssb')]
>>> choose("battery", k, ["ssb"]), choose("battery", k, ["ssb", "lmb"])
('ssb', 'battery')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.model import Mention, Reading, providers_of
from automaker_kg.draft.names import Name

__all__ = [
    "kinds",
    "modifier_names",
    "descendants",
    "ancestors",
    "choose",
    "bare",
    "merge",
    "refine",
    "anaphora",
    "most_specific",
    "ev_makers",
    "battery_electric",
    "GENERIC",
]


def _labels(names: Iterable[Name]) -> dict[str, list[str]]:
    """Each technology's labels, lower case."""
    out: dict[str, list[str]] = {}
    for n in names:
        if n.is_technology:
            out.setdefault(n.id, []).append(n.text.lower())
    return out


def _head(label: str) -> str:
    return label.replace("/", " ").split()[-1]


def kinds(names: Iterable[Name], broader: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Broader concept -> its narrower concepts that are kinds of it: a label of the narrower
    one ends with the head word (the last word) of a label of the broader one, after words of
    its own ("solid-state battery" under "battery"; "ceramic separator" is a part of a
    solid-state battery, no kind of it), or its first label is one word, a brand's name
    ("e-Power" under "hybrid powertrain")."""
    labels = _labels(names)
    out: dict[str, set[str]] = {}
    for narrow, broad in broader:
        heads = {_head(x) for x in labels.get(broad, [])}
        mine = labels.get(narrow, [])
        brand = bool(mine) and " " not in mine[0]  # "e-Power" under "hybrid powertrain"
        if brand or any(len(x.split()) > 1 and _head(x) in heads for x in mine):
            out.setdefault(broad, set()).add(narrow)
    return out


def modifier_names(names: Sequence[Name], kinds_of: dict[str, set[str]]) -> list[Name]:
    """The modifiers that name a kind alone: "solid-state" of "solid-state battery" under
    "battery". Only modifiers in lower case with a hyphen or of several words (a single plain
    word such as "blade" or "skateboard" is too often something else), and none that is a
    name of another technology ("battery" of "battery electric vehicle", "EV" of "EV
    platform")."""
    labels = _labels(names)
    taken = {x.replace("-", " ") for xs in labels.values() for x in xs}
    original = {(n.id, n.text.lower()): n.text for n in names if n.is_technology}
    out: list[Name] = []
    seen: set[str] = set()
    for broad, narrower in sorted(kinds_of.items()):
        heads = {_head(x) for x in labels.get(broad, [])}
        for narrow in sorted(narrower):
            for label in labels.get(narrow, []):
                words = label.split()
                if len(words) < 2 or words[-1] not in heads:
                    continue
                text = original[(narrow, label)].rsplit(" ", 1)[0]
                modifier = text.lower()
                if text != modifier or ("-" not in modifier and " " not in modifier):
                    continue
                if modifier.replace("-", " ") in taken or modifier in seen:
                    continue
                seen.add(modifier)
                out.append(Name(text, narrow, "tech", "Technology"))
    return out


def descendants(broad: str, kinds_of: dict[str, set[str]]) -> set[str]:
    """Every kind of ``broad``, kinds of its kinds included."""
    return _reachable(broad, kinds_of)


def _reachable(start: str, steps: dict[str, set[str]]) -> set[str]:
    """Every concept one or more ``steps`` away from ``start`` (``start`` only if on a cycle)."""
    out: set[str] = set()
    todo = list(steps.get(start, ()))
    while todo:
        x = todo.pop()
        if x not in out:
            out.add(x)
            todo.extend(steps.get(x, ()))
    return out


def choose(broad: str, kinds_of: dict[str, set[str]], in_view: Iterable[str]) -> str:
    """The kind of ``broad`` that ``in_view`` names, the most specific when they are kinds of
    one another ("solid-state" and "all-solid-state": the latter); ``broad`` itself when none,
    or when two kinds side by side are in view.

    >>> k = {"b": {"ss", "lm"}, "ss": {"ass"}}
    >>> choose("b", k, ["ss", "ass"]), choose("b", k, ["lm", "ss"]), choose("b", k, ["x"])
    ('ass', 'b', 'b')
    """
    mine = descendants(broad, kinds_of)
    found = {x for x in in_view if x in mine}
    deepest = [x for x in found if found - {x} <= _ancestors(x, kinds_of)]
    return deepest[0] if len(deepest) == 1 else broad


def _ancestors(narrow: str, kinds_of: dict[str, set[str]]) -> set[str]:
    return {b for b in kinds_of if narrow in descendants(b, kinds_of)}


GENERIC = set("ev evs cell pack module technology system unit car vehicle model".split())
"""Words a bare name of a concept may add without saying which kind it is ("EV battery
cells", "battery packs"): "lithium-ion battery" says which, "battery cell" does not."""


def bare(text: str, labels: Iterable[str]) -> bool:
    """Whether ``text`` names the concept of ``labels`` alone, no kind of it: each word is a
    word of its labels or :data:`GENERIC` (plurals folded).

    >>> bare("EV battery cells", ["battery"]), bare("lithium-ion batteries", ["battery"])
    (True, False)
    """
    own = {w for x in labels for w in x.lower().replace("-", " ").split()}
    for word in text.lower().replace("-", " ").split():
        stems = {word, word[:-1], word[:-2], word[:-3] + "y"}
        if not stems & (own | GENERIC):
            return False
    return True


def _says(text: str, labels: Iterable[str], kind_labels: Iterable[str]) -> bool:
    """Whether a name pointing back (``text``, a name of the concept of ``labels``) may be
    the kind of ``kind_labels`` named before: its modifiers (the words before the head, not
    :data:`GENERIC`) are words of the kind's name ("its solid-state cells" after
    all-solid-state ones), or it has none ("its batteries"); "its self-driving software" is
    no driver-assistance software named before.

    >>> _says("solid-state cells", ["solid-state battery"], ["all-solid-state battery"])
    True
    >>> _says("self-driving software", ["self-driving software"], ["driver-assistance software"])
    False
    >>> _says("batteries", ["battery"], ["lithium-metal battery"])
    True
    """
    heads = {_head(_fold(x)) for x in labels}
    kind_words = {w for x in kind_labels for w in _fold(x).split()}
    for word in _fold(text).split():
        stems = {word, word[:-1], word[:-2], word[:-3] + "y"}
        if not stems & (heads | GENERIC | kind_words):
            return False
    return True


def refine(r: Reading, doc: Any, found: list[Mention]) -> None:
    """Each bare broad technology of a sentence as the kind of it the headline names, else,
    when a determiner points back ("the batteries", "these cells", "its batteries"), the kind
    the report named before; then the sentence's technologies noted as named."""
    words = [t.lower_ for t in doc]
    for m in found:
        if m.type != "Technology" or not m.ref.startswith("tech:"):
            continue
        broad = m.ref[5:]
        if broad in r.kinds and bare(m.text, r.tech_labels.get(broad, [])):
            kind = choose(broad, r.kinds, r.topic)
            back = m.start > 0 and (
                words[m.start - 1] in _POINTERS | {"those", "such"}
                or rules.possessive(words, m.start - 1)
            )
            if kind == broad and back:
                kind = choose(broad, r.kinds, r.named_techs)
                if not _says(m.text, r.tech_labels.get(broad, []), r.tech_labels.get(kind, [])):
                    kind = broad  # "its self-driving software" after driver assistance
            elif kind != broad:  # the headline's kind, or a kind of it the report named
                deeper = choose(broad, r.kinds, r.named_techs)
                kind = deeper if deeper in descendants(kind, r.kinds) else kind
            if kind == broad:  # "build EVs on B's platform": the EV platform
                kind = _modified(r, broad, {x.ref[5:] for x in found if x is not m})
            product = _product_before(r, broad, found) if kind == broad and back else None
            if product is not None:  # "the Tandem hybrid system ... its hybrid technology"
                m.ref = product
            elif kind != broad:
                m.ref = f"tech:{kind}"
    r.named_techs.extend(m.ref[5:] for m in found if m.ref.startswith("tech:"))


def _product_before(r: Reading, broad: str, found: list[Mention]) -> str | None:
    """The one product the report proposed before as a kind of ``broad`` ("the Tandem hybrid
    system" under the hybrid powertrain), for a broad name that points back ("its hybrid
    technology"); none when two are in view or it is named in this sentence too."""
    here = {x.ref for x in found}
    products = [
        f"new:{e.id}"
        for e in r.entities.values()
        if e.type == "Technology" and e.broader == broad and f"new:{e.id}" not in here
    ]
    return products[0] if len(products) == 1 else None


def _fold(label: str) -> str:
    return label.lower().replace("-", " ")


def _modified(r: Reading, broad: str, named: set[str]) -> str:
    """The one kind of ``broad`` whose name is a concept the sentence names before ``broad``'s
    head word ("electric-vehicle platform", "EV platform": a platform in a sentence about
    electric vehicles), else ``broad``.

    >>> from automaker_kg.draft.model import Reading
    >>> r = Reading("", [], {}, "2024-05-02")
    >>> r.kinds = {"platform": {"ev-platform", "sdv"}}
    >>> r.tech_labels = {"platform": ["vehicle platform"], "ev-platform": ["EV platform"],
    ...                  "sdv": ["software-defined vehicle platform"], "ev": ["EV"]}
    >>> _modified(r, "platform", {"ev"}), _modified(r, "platform", {"battery"})
    ('ev-platform', 'platform')
    """
    heads = {_head(x.lower()) for x in r.tech_labels.get(broad, [])}
    said = {_fold(x) for t in named for x in r.tech_labels.get(t, [])}
    found = {
        kind
        for kind in r.kinds.get(broad, set())
        for label in r.tech_labels.get(kind, [])
        if len(label.split()) > 1
        and _head(label.lower()) in heads
        and _fold(label.rsplit(" ", 1)[0]) in said
    }
    return found.pop() if len(found) == 1 else broad


def ancestors(narrow: str, broader: dict[str, set[str]]) -> set[str]:
    """Every concept ``narrow`` is under, through any number of ``skos:broader`` steps.

    >>> sorted(ancestors("adas", {"adas": {"sd"}, "sd": {"sw"}}))
    ['sd', 'sw']
    """
    return _reachable(narrow, broader)


def merge(r: Reading, found: list[Mention]) -> list[Mention]:
    """A technology named right before a broader one of it is one mention of the narrower
    concept: "ADAS software" is driver assistance (not a new kind of software), "solid-state
    battery cells" the solid-state battery."""
    techs = sorted(
        (m for m in found if m.type == "Technology" and m.ref.startswith("tech:")),
        key=lambda m: m.start,
    )
    gone: list[Mention] = []
    for a, b in zip(techs, techs[1:], strict=False):
        if a in gone or a.end != b.start:
            continue
        if b.ref[5:] in ancestors(a.ref[5:], r.broader):
            a.end, a.text = b.end, f"{a.text} {b.text}"
            gone.append(b)
    return [m for m in found if not any(m is g for g in gone)]


_SINGLING = [
    [",", "notably"],
    [",", "specifically"],
    [",", "namely"],
    [",", "especially"],
    [",", "particularly"],
    [",", "in", "particular"],
    [",", "such", "as"],
    ["such", "as"],
    [",", "chiefly"],
    [",", "mainly"],
]
"""Words between a broad technology and the kind of it a report singles out."""


def singled_out(r: Reading, doc: Any, found: list[Mention]) -> list[Mention]:
    """A broad technology followed by the kind of it the report singles out ("batteries,
    notably LFP cells", "software, in particular driver assistance") is that kind: the broad
    mention is dropped (a kind under it through any ``skos:broader`` steps, or a new kind
    proposed under it; not a sibling: "batteries, notably e-axles" keeps both)."""
    words = [t.lower_ for t in doc]
    techs = sorted((m for m in found if m.type == "Technology"), key=lambda m: m.start)
    gone: list[Mention] = []
    for a, b in zip(techs, techs[1:], strict=False):
        if words[a.end : b.start] not in _SINGLING:
            continue
        broad, narrow = a.ref.split(":", 1)[1], b.ref.split(":", 1)[1]
        under = set(ancestors(narrow, r.broader))
        if narrow in r.entities:  # a new kind proposed under a concept ("Zenith platform")
            under.add(r.entities[narrow].broader)
        if broad in under:
            gone.append(a)
    return [m for m in found if not any(m is g for g in gone)]


_TECHNOLOGY = {"technology", "technologies", "know-how"}
_POINTERS = {"the", "this", "that", "its", "their", "these"}
_NOT_ANAPHORA = set("company companies firm firms group groups giant giants sector".split())
_NOT_ANAPHORA |= set("partner partners partnership partnerships startup startups".split())
_NOT_ANAPHORA |= set("unit units business businesses industry industries".split())
"""Nouns after "technology" that make it a modifier: "a technology company"."""


def _owned(r: Reading, owner: str) -> str | None:
    """The one technology the draft so far has ``owner`` developing (the last such claim)."""
    for c in reversed(r.claims):
        f = c.fields
        mine = f.get("provider", f.get("participant"))
        mine = mine if isinstance(mine, list) else [mine]
        develops = c.kind == "JointProject" or f.get("arrangement") == "develops"
        techs = [t for t in f.get("technology", []) if t.startswith("tech:")]
        if owner in mine and develops and len(techs) == 1:
            return techs[0]
    return None


def _giving(word: str) -> bool:
    """A cue word of giving or using a technology (license, share, supply, use, adopt, ...),
    not of developing one."""
    return rules.TECH_VERBS.get(word) not in (None, "develops") or word in rules.USES


def anaphora(r: Reading, doc: Any, found: list[Mention]) -> list[Mention]:
    """ "the technology", "its technology", "X's (X) technology" where the sentence names no
    technology: the one the report named last (X's own when the draft has X developing
    exactly one; else the headline's one), as a mention of it, when a cue of giving or using
    comes before it ("license the technology", "use X's technology").

    Nothing when the report has named no technology of the taxonomy, nor for "a technology
    company", "technology partners"."""
    if any(m.type == "Technology" for m in found):
        return found
    words = [t.lower_ for t in doc]
    out = list(found)
    for k, w in enumerate(words):
        if w not in _TECHNOLOGY or (k + 1 < len(words) and words[k + 1] in _NOT_ANAPHORA):
            continue
        owner = next(
            (
                m
                for m in found
                if m.is_org and (m.end == k or (m.end == k - 1 and rules.possessive(words, k - 1)))
            ),
            None,
        )
        if owner is None and (k == 0 or words[k - 1] not in _POINTERS):
            continue
        at = owner.start if owner is not None else k - 1
        if not any(_giving(w) for w in words[max(0, at - 6) : at]):
            continue  # "X's technology was nearing ...": no arrangement, no anaphora read
        tech = _owned(r, owner.ref) if owner is not None else None
        if tech is None and r.named_techs:
            tech = f"tech:{r.named_techs[-1]}"
        if tech is None and len(set(r.topic)) == 1:
            tech = f"tech:{r.topic[0]}"
        if tech is not None:
            out.append(Mention(k, k + 1, tech, "Technology", doc[k].text))
    out.sort(key=lambda m: m.start)
    return out


def most_specific(r: Reading) -> None:
    """A claim's technologies without the ones a kind of which it also names ("batteries,
    including solid-state ones": the solid-state battery; "hybrid and combustion powertrains"
    without "powertrain"). Parts stay beside their whole (a ceramic separator and the
    solid-state battery)."""
    for c in r.claims:
        techs = c.fields.get("technology")
        if not isinstance(techs, list) or len(techs) < 2:
            continue
        ids = {t[5:] for t in techs if t.startswith("tech:")}
        broad = {b for b in ids if descendants(b, r.kinds) & ids}
        c.fields["technology"] = [t for t in techs if t[5:] not in broad or t[:5] != "tech:"]


_MAKERS = set("maker makers startup start-up startups carmaker automaker manufacturer".split())
_EV = "electric-vehicle"
_BEV = "battery-electric-vehicle"


def ev_makers(r: Reading, doc: Any, found: list[Mention]) -> None:
    """Note the companies the report calls EV makers: "the Chinese EV maker X", "X, an
    electric-car maker"."""
    words = [t.lower_ for t in doc]
    for m in found:
        if m.ref != f"tech:{_EV}" or m.end >= len(words) or words[m.end] not in _MAKERS:
            continue
        after = [x for x in found if x.is_org and x.start == m.end + 1]
        before = [
            x
            for x in found
            if x.is_org and x.end < m.start <= x.end + 5 and words[x.end : x.end + 1] == [","]
        ]
        r.ev_makers.update(x.ref for x in (after or before[-1:]))


def battery_electric(r: Reading) -> None:
    """The electric vehicles an EV maker gives, licenses or develops are battery electric
    vehicles (the taxonomy's electric vehicle counts hybrids too; a maker of EVs alone makes
    the battery electric kind): "use the EV maker X's EV ecosystem"."""
    for c in r.claims:
        f = c.fields
        if c.kind != "TechnologyArrangement" or f.get("arrangement") == "acquires":
            continue
        techs = f.get("technology")
        if not isinstance(techs, list) or f"tech:{_EV}" not in techs:
            continue
        if set(providers_of(f)) <= r.ev_makers:
            f["technology"] = sorted({t if t != f"tech:{_EV}" else f"tech:{_BEV}" for t in techs})
