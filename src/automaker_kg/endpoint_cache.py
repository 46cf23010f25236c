"""Library queries recognised in SPARQL text, and a shared cache of their answers.

A client of ``/sparql`` sends text, not a query name. The text of a library query with its
parameters bound (:func:`automaker_kg.queries.inline`: ``BIND (value AS ?param)`` where
the WHERE pattern opens, the project's prefixes declared or predeclared) is recognised
token by token (:class:`Recognizer`): whitespace, comments and the case of keywords do
not matter; anything else that differs (another prefix IRI, a ``BASE``, a value written
with escapes, an extra pattern) is simply not a library call and runs as sent.

A recognised call is a :class:`LibraryCall` (query name and bound values), which is what
the server's :class:`ResultCache` is keyed by, together with the store generation the
answer came from: an answer is never served for another generation.

>>> from automaker_kg.queries import library
>>> recognizer = Recognizer(library())
>>> call = recognizer.match(
...     'SELECT ?a_label ?b_label ?interest ?a_in_b ?b_in_a ?status_a_in_b ?status_b_in_a '
...     '?as_of WHERE { BIND ("2024-01-01"^^xsd:date AS ?as_of) '
...     + library()["cross-holdings"].text.split("WHERE {", 1)[1])
>>> call.name, call.values
('cross-holdings', (('as_of', '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'),))
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from .prefixes import NAMESPACES
from .sparqlguard import Token, tokens, union_branches, where_brace_offset

__all__ = ["LibraryCall", "Recognizer", "ResultCache", "CacheKey", "write_indexes"]


@dataclass(frozen=True)
class LibraryCall:
    """A library query and the values bound to its parameters, each in N-Triples form
    (sorted by parameter name; a parameter left unbound is absent)."""

    name: str
    values: tuple[tuple[str, str], ...]

    def value(self, parameter: str) -> str | None:
        """The N-Triples form of the value bound to ``parameter``, or ``None``."""
        return dict(self.values).get(parameter)


# A token as compared: its kind and its text (keywords in upper case, ``$x`` as ``?x``).
_Key = tuple[str, str]


def _key(token: Token) -> _Key:
    if token.kind == "word":
        return ("word", token.text.upper())
    if token.kind == "var":
        return ("var", "?" + token.text[1:])
    return (token.kind, token.text)


@dataclass(frozen=True)
class _Shape:
    name: str
    head: tuple[_Key, ...]  # up to and including the brace that opens WHERE
    tail: tuple[_Key, ...]  # the rest of the pattern and the solution modifiers
    parameters: frozenset[str]
    #: the UNION branches where :func:`bind_values` binds a value again: the index in
    #: ``tail`` of the brace that opens each, and the variables bound there
    branches: tuple[tuple[int, frozenset[str]], ...] = ()


_XSD = NAMESPACES["xsd"]
_PLAIN_STRING = re.compile(r'"([^"\\\n\r]*)"|\'([^\'\\\n\r]*)\'')


class Recognizer:
    """Tell which library query (if any) a SPARQL text is, and with which values.

    Parameters
    ----------
    library
        ``{name: QueryDef}`` as :func:`automaker_kg.queries.library` returns it.
    prefixes
        The prefixes the endpoint predeclares (default: the project's). A query may declare
        any of them again with the same IRI; one declared with another IRI is not matched.
    """

    def __init__(self, library: Mapping[str, Any], prefixes: Mapping[str, str] | None = None):
        if prefixes is None:
            from .namespaces import PREFIXES

            prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
        self.prefixes = dict(prefixes)
        self._shapes: list[_Shape] = []
        for name, query in library.items():
            shape = _shape(name, query.text, {p.name for p in query.parameters})
            if shape is not None:
                self._shapes.append(shape)
        # clients send the same few texts again and again: remember the verdicts (texts up
        # to MEMO_CHARS long, so the memo stays within a few megabytes)
        self._memo = functools.lru_cache(maxsize=256)(self._match)

    #: Texts longer than this are matched afresh each time (not remembered).
    MEMO_CHARS = 32_768

    def match(self, text: str) -> LibraryCall | None:
        """The library call ``text`` is, or ``None`` when it is none exactly."""
        if len(text) > self.MEMO_CHARS:
            return self._match(text)
        return self._memo(text)

    def _match(self, text: str) -> LibraryCall | None:
        toks = list(tokens(text))
        body = self._strip_prologue(toks)
        if body is None:
            return None
        keys = [_key(t) for t in body]
        for shape in self._shapes:
            n = len(shape.head)
            if tuple(keys[:n]) != shape.head:
                continue
            values = self._binds(body, keys, n, shape)
            if values is not None:
                return LibraryCall(shape.name, tuple(sorted(values.items())))
        return None

    def _strip_prologue(self, toks: list[Token]) -> list[Token] | None:
        index = 0
        while index < len(toks) and toks[index].kind == "word":
            word = toks[index].text.upper()
            if word == "BASE":
                return None  # relative IRIs would mean something else: run it as sent
            if word != "PREFIX":
                break
            if index + 2 >= len(toks):
                return None
            name, iri = toks[index + 1], toks[index + 2]
            if name.kind != "pname" or not name.text.endswith(":") or iri.kind != "iri":
                return None
            if self.prefixes.get(name.text[:-1]) != iri.text[1:-1]:
                return None
            index += 3
        return toks[index:]

    def _binds(
        self, body: list[Token], keys: list[_Key], start: int, shape: _Shape
    ) -> dict[str, str] | None:
        """The values of the BIND block at ``start`` after which ``shape.tail`` follows."""
        values: dict[str, str] = {}
        written: dict[str, list[_Key]] = {}  # each value's tokens as the client wrote it
        position = start
        while True:
            rest = tuple(keys[position:])
            if rest == shape.tail or (
                shape.branches and rest == _tail_with_binds(shape, list(values), written)
            ):
                return values
            if keys[position : position + 2] != [("word", "BIND"), ("punct", "(")]:
                return None
            end = position + 2
            while end < len(keys) and keys[end] != ("word", "AS"):
                end += 1
            term = self._term(body[position + 2 : end])
            if term is None or keys[end + 2 : end + 3] != [("punct", ")")]:
                return None
            variable = keys[end + 1] if end + 1 < len(keys) else ("", "")
            name = variable[1][1:]
            if variable[0] != "var" or name not in shape.parameters or name in values:
                return None
            values[name] = term
            written[name] = keys[position + 2 : end]
            position = end + 3

    def _term(self, toks: list[Token]) -> str | None:
        """The N-Triples form of a written-in IRI or literal (``None`` for anything else)."""
        if len(toks) == 1:
            return self._iri(toks[0])
        if not toks or toks[0].kind != "string":
            return None
        found = _PLAIN_STRING.fullmatch(toks[0].text)
        if found is None:
            return None  # escapes and long strings: not worth decoding here
        lexical = found.group(1) if found.group(1) is not None else found.group(2)
        quoted = f'"{lexical}"'
        if len(toks) == 2 and toks[1].kind == "langtag":
            return quoted + toks[1].text.lower()
        if len(toks) == 4 and [t.text for t in toks[1:3]] == ["^", "^"]:
            datatype = self._iri(toks[3])
            if datatype is None:
                return None
            return quoted if datatype == f"<{_XSD}string>" else f"{quoted}^^{datatype}"
        return None

    def _iri(self, token: Token) -> str | None:
        if token.kind == "iri":
            return None if "\\" in token.text else token.text
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = self.prefixes.get(prefix)
            if namespace is None or "\\" in local:
                return None
            return f"<{namespace}{local}>"
        return None


def _shape(name: str, text: str, parameters: set[str]) -> _Shape | None:
    offset = where_brace_offset(text)
    if offset is None:
        return None
    toks = list(tokens(text))
    split = next((i + 1 for i, t in enumerate(toks) if t.start == offset - 1), None)
    if split is None or toks[split - 1].text != "{":
        return None
    if any(t.kind == "word" and t.text.upper() in ("PREFIX", "BASE") for t in toks[:split]):
        return None  # library queries rely on the predeclared prefixes
    keys = [_key(t) for t in toks]
    starts = {t.start + 1: i - split for i, t in enumerate(toks) if i >= split}
    branches = tuple((starts[at], bound) for at, bound in union_branches(text) if at in starts)
    return _Shape(name, tuple(keys[:split]), tuple(keys[split:]), frozenset(parameters), branches)


def _tail_with_binds(
    shape: _Shape, order: list[str], written: dict[str, list[_Key]]
) -> tuple[_Key, ...]:
    """``shape.tail`` with the values written again where UNION branches open, as
    :func:`automaker_kg.sparqlguard.bind_values` writes them (in the top block's order)."""
    tail = list(shape.tail)
    for index, bound in reversed(shape.branches):
        block: list[_Key] = []
        for name in order:
            if name in bound:
                block += [("word", "BIND"), ("punct", "("), *written[name]]
                block += [("word", "AS"), ("var", "?" + name), ("punct", ")")]
        tail[index + 1 : index + 1] = block
    return tuple(tail)


#: What an answer is cached under: generation, library call, answer formats, row cap.
CacheKey = tuple[str, LibraryCall, Hashable]


class ResultCache:
    """A bounded, thread-safe LRU cache of serialized answers, shared by a server's threads.

    Keys start with the store generation the answer came from, so an answer is never
    served for another generation; :meth:`keep_only` drops every other generation's
    answers at once. ``max_bytes`` bounds the answers' bodies together; an answer larger
    than an eighth of it is not kept. ``max_bytes=0`` turns the cache off.

    >>> cache = ResultCache(max_bytes=1000)
    >>> call = LibraryCall("counts", ())
    >>> cache.put(("g1", call, "json"), b"answer", 6)
    >>> cache.get(("g1", call, "json")), cache.get(("g2", call, "json"))
    (b'answer', None)
    """

    def __init__(self, max_bytes: int = 64 << 20, max_entries: int = 4096) -> None:
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self._entries: OrderedDict[CacheKey, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: CacheKey) -> Any:
        """The cached value for ``key``, or ``None``."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: CacheKey, value: Any, size: int) -> None:
        """Keep ``value`` (of ``size`` bytes) under ``key``, dropping the least recently used."""
        if not self.max_bytes or size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes or len(self._entries) > self.max_entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def keep_only(self, generation: str) -> None:
        """Forget the answers of every generation but ``generation``."""
        with self._lock:
            for key in [k for k in self._entries if k[0] != generation]:
                self._bytes -= self._entries.pop(key)[1]

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes of the answers kept."""
        return self._bytes


def write_indexes(store: Any, folder: str | os.PathLike[str]) -> None:
    """Write the endpoint's precomputed answers of ``store`` into its generation ``folder``
    (the build's hook, before the generation is swapped in): the reciprocal-stake index of
    :mod:`automaker_kg.reciprocal_index` (a few seconds at 1M triples). The conflicting-stakes
    index costs the whole query (about 2 s of CPU at 1M triples on a store in memory, more on
    disk), which every build and one-sheet
    rebuild would pay for a query only the endpoint answers from it: the server builds it
    in the background on its first start over a generation and keeps it there
    (:func:`automaker_kg.conflicts_index.build_in`)."""
    from . import reciprocal_index

    reciprocal_index.write_index(folder, store)
