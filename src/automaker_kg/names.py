"""From the name a person types to one entity: the one resolver of every command and API call.

Both the store (query parameters of type ``entity``, ``facts``) and the projections
(``path``, ``shares``, the ego view) hand their entities to :func:`resolve` as
:class:`Candidate` records, so a name resolves the same way everywhere. Tried in order,
ignoring case, dashes and repeated spaces:

1. a **label** (``rdfs:label``); several entities with that label: the curated one of them;
2. an **alias** (``skos:prefLabel``, ``skos:altLabel``), unless another entity's name
   starts with it as a word: "Geely" is an alias of Geely Holding, but Geely Auto exists
   too, so both are listed and neither is picked;
3. an **identifier**: the IRI, its prefixed name (``kg:nissan``) or its last segment;
4. a unique name that **starts with** it as a word ("Aramco" -> "Aramco Base Oil"), then
   one that starts with it, then one that contains it;
5. otherwise an error: :class:`~automaker_kg.errors.AmbiguousNameError` listing the
   entities that fit equally, or :class:`~automaker_kg.errors.UnknownNameError` with the
   close names ("did you mean Nissan?"), never every name of the graph.

>>> people = [Candidate("kg:nissan", "Nissan", ("Nissan Motor",)),
...           Candidate("kg:geely-holding", "Geely Holding", ("Geely",)),
...           Candidate("kg:geely-auto", "Geely Auto")]
>>> resolve("nissan motor", people)
'kg:nissan'
>>> resolve("Nisan", people)
Traceback (most recent call last):
...
automaker_kg.errors.UnknownNameError: unknown entity 'Nisan'; did you mean Nissan?
>>> resolve("Geely", people)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
automaker_kg.errors.AmbiguousNameError: ambiguous entity 'Geely': could be Geely Auto, ...
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from automaker_kg.errors import AmbiguousNameError, UnknownNameError

__all__ = ["Candidate", "listing", "norm", "resolve", "suggest"]


@dataclass(frozen=True)
class Candidate:
    """An entity as the resolver sees it.

    ``key`` is what :func:`resolve` returns (an IRI or a graph's node key); ``label`` its
    main name; ``aliases`` its other names; ``identifiers`` the strings that name it exactly
    (IRI, prefixed name, last segment); ``preferred`` marks a curated entity, which wins
    over imported ones that share its name.
    """

    key: Hashable
    label: str
    aliases: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    preferred: bool = True

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@functools.lru_cache(maxsize=1 << 16)
def norm(name: str) -> str:
    """``name`` folded for comparison: case, dashes and runs of spaces ignored (the foldings
    of the last 65,536 names kept: :func:`resolve` folds every candidate's names each call).

    >>> norm("Renault–Nissan  Alliance")
    'renault nissan alliance'
    """
    return _FOLD.sub(" ", name.casefold()).strip()


_FOLD = re.compile(r"[\s\u2010-\u2015-]+")


def suggest(name: str, names: Iterable[str], n: int = 3) -> list[str]:
    """The names that start with ``name``, then those closest to it (difflib ratio at
    least 0.75); at most ``n``.

    >>> suggest("cross-holding", ["cross-holdings", "stakes-in-company"])
    ['cross-holdings']
    >>> suggest("stakes", ["stakes-as-of", "stakes-in-company", "facts-about"])
    ['stakes-as-of', 'stakes-in-company']
    """
    return _suggest(norm(name), ((norm(each), each) for each in names), n)


def _suggest(wanted: str, names: Iterable[tuple[str, str]], n: int) -> list[str]:
    """:func:`suggest` of the folded name ``wanted`` among ``(folded, name)`` pairs."""
    folded: dict[str, str] = {}
    for key, each in names:
        folded.setdefault(key, each)
    starting = sorted(f for f in folded if wanted and f.startswith(wanted) and f != wanted)
    # difflib's ratio is at most 2 * shorter / (sum of lengths): below 0.75 for any name
    # shorter than 0.6x or longer than 5/3x the one asked for, so those are not compared
    size = len(wanted)
    near = [f for f in folded if size * 0.6 - 1 <= len(f) <= size * 5 / 3 + 1]
    close = difflib.get_close_matches(wanted, near, n, 0.75)
    return [folded[f] for f in dict.fromkeys([*starting, *close])][:n]


def resolve(
    name: str,
    candidates: Iterable[Candidate],
    *,
    kind: str = "entity",
    hint: str | None = None,
) -> Hashable:
    """The key of the one candidate called ``name`` (the rules are in the module's text).

    Raises AmbiguousNameError when several fit equally, UnknownNameError (with close
    names as suggestions and ``hint`` saying where to look) when none does.
    """
    everyone = list(candidates)
    wanted = norm(name)
    if not wanted:
        raise UnknownNameError(kind, name, [], suggestions=[], hint=hint or "give a name")
    names = {id(c): [norm(n) for n in c.names() if n] for c in everyone}

    def pick(found: Sequence[Candidate]) -> Candidate | None:
        return choose(found, name, kind=kind)

    def tier(test: Callable[[Candidate], bool]) -> Candidate | None:
        return pick([c for c in everyone if test(c)])

    found = tier(lambda c: bool(c.label) and names[id(c)][0] == wanted)
    if found is not None:
        return found.key
    by_alias = [c for c in everyone if wanted in names[id(c)][1:]]
    if by_alias:
        word = wanted + " "
        rivals = [
            c
            for c in everyone
            if c not in by_alias and any(n.startswith(word) for n in names[id(c)])
        ]
        found = pick(by_alias) if not rivals else None
        if found is None:
            raise AmbiguousNameError(kind, name, listing([*by_alias, *rivals]))
        return found.key
    exact = name.strip()
    for test in (
        lambda c: exact in c.identifiers,
        lambda c: wanted in {norm(i) for i in c.identifiers},
        lambda c: any(n.startswith(wanted + " ") for n in names[id(c)]),
        lambda c: any(n.startswith(wanted) for n in names[id(c)]),
        lambda c: any(wanted in n for n in names[id(c)]),
    ):
        found = tier(test)
        if found is not None:
            return found.key
    pairs = [
        (f, n, c.label)
        for c in everyone
        for f, n in zip(names[id(c)], [n for n in c.names() if n], strict=True)
    ]
    close = _suggest(wanted, ((f, n) for f, n, _ in pairs), 5)
    labels = {f: label for f, _, label in pairs}
    shown = list(dict.fromkeys(labels[norm(s)] for s in close))[:3]
    raise UnknownNameError(kind, name, [], suggestions=shown, hint=hint)


def choose(found: Sequence[Candidate], name: str, *, kind: str = "entity") -> Candidate | None:
    """The one candidate of a tier of ``found`` for ``name``: the only one, else the only
    preferred one; None when the tier is empty.

    Raises AmbiguousNameError when several fit and not exactly one of them is preferred.
    """
    if len(found) == 1:
        return found[0]
    preferred = [c for c in found if c.preferred]
    if found and len(preferred) == 1:
        return preferred[0]
    if found:
        raise AmbiguousNameError(kind, name, listing(found))
    return None


def listing(found: Sequence[Candidate]) -> list[str]:
    """Labels of ``found`` (sorted), each with its first identifier where labels repeat."""
    unique = list({id(c): c for c in found}.values())
    counts: dict[str, int] = {}
    for c in unique:
        counts[c.label] = counts.get(c.label, 0) + 1
    shown = [
        f"{c.label} ({c.identifiers[0]})" if counts[c.label] > 1 and c.identifiers else c.label
        for c in unique
    ]
    return sorted(shown, key=str.casefold)
