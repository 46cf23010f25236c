"""A small SPARQL lexer: find keywords outside strings, IRIs and comments.

The endpoint must never make an outbound request, so it refuses any query with a
``SERVICE`` clause. A regular expression on the raw text would refuse a query that
merely mentions the word in a string or a comment, and could be fooled by text that
hides the keyword where a naive scan expects a string. This lexer follows the token
rules of the SPARQL 1.1 grammar (section 19.8) for everything that can contain
arbitrary characters: comments, IRI references, the four string forms, prefixed names
with their ``\\``-escapes, variables, language tags and blank node labels.

Everything else is where a keyword can be, and Oxigraph's parser matches keywords
case-insensitively *without* a word boundary: ``"x"SERVICE``, ``1SERVICE``,
``}SERVICE``, ``FILTER(true)SERVICE`` and ``service:x`` (the keyword, then the
prefixed name ``:x``) are all federated queries to it. So the guard refuses when in
doubt: a bare word or a prefix name that *contains* ``SERVICE`` in any case is
refused, in the query as written and with its ``\\u`` escapes decoded. Only the
places no parser can read a keyword from -- strings, IRIs, comments, variables,
language tags, blank node labels and the local part of a prefixed name -- may
mention the word. (The query workers cannot open connections anyway: see
:func:`automaker_kg.children.isolate_network`.)

>>> uses_service('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
True
>>> uses_service('SELECT * { ?x ?y trueSERVICE <http://example.org/> { ?s ?p ?o } }')
True
>>> uses_service('SELECT * { ?s ?p "SERVICE" } # SERVICE <x> {}')
False
>>> keywords('PREFIX service: <http://e/> ASK { service:x ?service ?p }')
['PREFIX', 'ASK']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

__all__ = [
    "Token",
    "tokens",
    "keywords",
    "uses_service",
    "where_brace_offset",
    "bind_values",
    "union_branches",
    "lateral_optionals",
]

# PN_CHARS_BASE of the grammar, as a character class body (without the brackets), and the
# characters PN_CHARS adds beyond ASCII.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_MORE = "\u00b7\u0300-\u036f\u203f-\u2040"


@functools.cache
def _token_pattern(ascii_only: bool = False) -> re.Pattern[str]:
    """The lexer's pattern, compiled on first use: its character classes span all of Unicode
    and take ~40 ms to compile. For a text that is all ASCII (the query library's) the
    classes' ASCII parts alone tokenize it alike and compile in a fraction of that."""
    base, more = ("A-Za-z", "") if ascii_only else (_BASE, _MORE)
    u = base + "_"
    chars = u + r"\-0-9" + more
    pn_prefix = f"[{base}](?:[{chars}.]*[{chars}])?"
    plx = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
    pn_local = f"(?:[{u}:0-9]|{plx})(?:(?:[{chars}.:]|{plx})*(?:[{chars}:]|{plx}))?"
    return re.compile(
        "|".join(
            [
                r"(?P<ws>\s+)",
                r"(?P<comment>#[^\n\r]*)",
                r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
                r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
                r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
                r"|'(?:[^'\\\n\r]|\\.)*'"
                r'|"(?:[^"\\\n\r]|\\.)*")',
                f"(?P<pname>(?:{pn_prefix})?:(?:{pn_local})?)",
                f"(?P<var>[?$](?:[{u}0-9])[{u}0-9{more}]*)",
                r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
                f"(?P<bnode>_:(?:[{u}0-9])(?:[{chars}.]*[{chars}])?)",
                f"(?P<word>[{base}][{base}0-9_]*)",
                r"(?P<punct>.)",
            ]
        ),
        re.DOTALL,
    )


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (``word``, ``iri``, ``string``, ...), text and offset."""

    kind: str
    text: str
    start: int


def tokens(query: str) -> Iterator[Token]:
    """Split ``query`` into tokens, whitespace and comments left out.

    A character that starts no token of the grammar comes out as a one-character
    ``punct`` token, so the lexer never fails and never skips text.

    >>> [t.text for t in tokens('ASK { <a> ?b "c" }')]
    ['ASK', '{', '<a>', '?b', '"c"', '}']
    """
    for match in _token_pattern(query.isascii()).finditer(query):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        yield Token(kind, match.group(), match.start())


def keywords(query: str) -> list[str]:
    """The bare words of ``query`` (keywords, function names, ``a``, ``true``) in upper case."""
    return [t.text.upper() for t in tokens(query) if t.kind == "word"]


@functools.lru_cache(maxsize=512)
def uses_service(query: str) -> bool:
    """True when ``query`` may hold a ``SERVICE`` clause for some reading of it.

    True when a bare word or the prefix of a prefixed name contains ``SERVICE`` (in any
    case) in the query as written or with its ``\\u`` escapes decoded; the word inside
    strings, IRIs, comments, variables, language tags and local names is fine.

    >>> uses_service('select * { service silent ?e { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s ?p "x"SERVICE <http://e/> { } }')
    True
    >>> uses_service('PREFIX : <http://e/> SELECT * { service:x { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT ?service { ?service a <http://e/SERVICE>, ex:SERVICE }')
    False
    """
    if "SERVICE" not in query.upper() and "\\u" not in query and "\\U" not in query:
        return False  # no token's upper case can hold the word, no escape can spell it
    if _mentions_service(query):
        return True
    # SPARQL lets \\u escapes stand for any character anywhere (section 19.2); refuse a
    # query that spells the keyword that way too, whether or not a parser decodes it.
    decoded = _CODEPOINT.sub(_decode_codepoint, query)
    return decoded != query and _mentions_service(decoded)


def _mentions_service(query: str) -> bool:
    for token in tokens(query):
        if token.kind == "word":
            text = token.text
        elif token.kind == "pname":
            text = token.text.partition(":")[0]
        else:
            continue
        if "SERVICE" in text.upper():
            return True
    return False


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _decode_codepoint(match: re.Match[str]) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group()


@functools.lru_cache(maxsize=256)  # library queries come back with new values each time
def where_brace_offset(query: str) -> int | None:
    """The offset just after the ``{`` that opens the query's top-level WHERE pattern.

    Returns ``None`` for the short ``CONSTRUCT WHERE { ... }`` form (whose pattern may
    hold triples only) and when no such brace is found.

    >>> q = 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }'
    >>> q[where_brace_offset(q):]
    ' ?s ?p ?o }'
    >>> q = 'SELECT (EXISTS { ?a ?b ?c } AS ?x) { ?s ?p ?o }'
    >>> q[where_brace_offset(q):]
    ' ?s ?p ?o }'
    """
    toks = list(tokens(query))
    form = None
    for index, token in enumerate(toks):
        upper = token.text.upper()
        if token.kind == "word" and upper in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            form = index
            break
    if form is None:
        return None
    rest = toks[form + 1 :]
    if toks[form].text.upper() == "CONSTRUCT":
        if not rest or rest[0].text != "{":
            return None
        depth = 0
        for index, token in enumerate(rest):
            depth += {"{": 1, "}": -1}.get(token.text, 0) if token.kind == "punct" else 0
            if depth == 0:
                rest = rest[index + 1 :]
                break
        else:
            return None
    parens = 0
    for token in rest:
        if token.kind != "punct":
            continue
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif token.text == "{" and parens == 0:
            return token.start + 1
    return None


def bind_values(query: str, terms: Mapping[Any, Any]) -> str:
    """``query`` with each variable bound, as ``BIND (term AS ?name)``, where WHERE opens.

    ``terms`` maps variable names (or ``pyoxigraph.Variable``) to pyoxigraph IRIs or
    literals, written in their N-Triples form (escaped by Oxigraph, so a value cannot end
    the clause). One text then runs alike in process, over HTTP and on another engine.
    Binding first, before any pattern, lets the engine start from the value: Oxigraph's
    own ``substitutions`` and a leading ``VALUES`` block each leave some library queries
    to scan every stake (measured in the benchmark). The scope is the top-level pattern,
    as a leading ``VALUES`` block's is.

    >>> bind_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": ox.Literal("1")})
    'SELECT ?x WHERE { BIND ("1" AS ?o) ?x ?p ?o }'
    """
    pairs = []
    for name, term in terms.items():
        variable = name if isinstance(name, ox.Variable) else ox.Variable(str(name))
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise ValueError(f"cannot write {term!r} into a query (IRIs and literals only)")
        pairs.append((str(variable), str(term)))
    if not pairs:
        return query
    offset = where_brace_offset(query)
    if offset is None:  # CONSTRUCT WHERE { triples }: a trailing VALUES clause instead
        names, values = " ".join(n for n, _ in pairs), " ".join(t for _, t in pairs)
        return f"{query}\nVALUES ({names}) {{ ({values}) }}"
    inserts = [(offset, " ".join(f"BIND ({t} AS {n})" for n, t in pairs))]
    for start, bound in union_branches(query):
        block = " ".join(f"BIND ({t} AS {n})" for n, t in pairs if n[1:] in bound)
        if block:
            inserts.append((start, block))
    for start, block in sorted(inserts, reverse=True):
        query = f"{query[:start]} {block}{query[start:]}"
    return query


_BLOCKING = {"OPTIONAL", "MINUS", "EXISTS", "GRAPH", "SERVICE", "VALUES", "SELECT", "FILTER"}


@functools.lru_cache(maxsize=256)
def union_branches(query: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """The ``UNION`` branches a value bound where WHERE opens may be bound in again:
    ``(offset just after the branch's {, names of the variables it binds)``.

    Oxigraph evaluates a ``UNION`` on its own and joins it with the rest of the pattern
    afterwards, so a branch does not start from a value bound outside it (a branch
    through every claim, then 871 of 25,357 rows kept). ``BIND (v AS ?x)`` written again
    where a branch opens changes no answer when the branch surely binds ``?x`` itself:
    the join with the outer ``BIND`` keeps exactly its rows where ``?x`` is ``v``. So a
    branch counts only where every group from the WHERE pattern down to it is a plain
    group or a ``UNION`` branch (no ``OPTIONAL``, ``MINUS``, ``EXISTS``, ``GRAPH``,
    ``SERVICE`` or subquery), and of its variables only those a triple pattern at its
    own level mentions and that nothing in it assigns (``AS ?x``, ``VALUES``).

    >>> q = 'SELECT * { { ?a <p> ?x } UNION { ?a <q> ?b FILTER (?x) } }'
    >>> [(q[o:o + 8], sorted(names)) for o, names in union_branches(q)]
    [(' ?a <p> ', ['a', 'x']), (' ?a <q> ', ['a', 'b'])]
    """
    toks = list(tokens(query))
    where = where_brace_offset(query)
    first = next((i for i, t in enumerate(toks) if t.start + 1 == where), None)
    if first is None:
        return ()
    closing: dict[int, int] = {}
    parents: dict[int, int | None] = {}
    stack: list[int] = []
    for index, token in enumerate(toks):
        if token.kind == "punct" and token.text == "{":
            parents[index] = stack[-1] if stack else None
            stack.append(index)
        elif token.kind == "punct" and token.text == "}" and stack:
            closing[stack.pop()] = index
    found = []
    reachable = {first}  # the groups a value bound at the top reaches by joins alone
    for index, token in enumerate(toks):
        if index <= first or token.kind != "punct" or token.text != "{":
            continue
        if parents[index] not in reachable or not _plain_group(toks, index):
            continue
        reachable.add(index)
        end = closing.get(index, len(toks))
        before = toks[index - 1].text.upper()
        after = toks[end + 1].text.upper() if end + 1 < len(toks) else ""
        if "UNION" in (before, after):
            bound = _bound_here(toks, index, end)
            if bound:
                found.append((token.start + 1, bound))
    return tuple(found)


def _plain_group(toks: list[Token], index: int) -> bool:
    """Whether the ``{`` at ``index`` opens a group joined with what surrounds it."""
    before = [t.text.upper() for t in toks[max(0, index - 2) : index]]
    after = toks[index + 1].text.upper() if index + 1 < len(toks) else ""
    if after == "SELECT" or any(word in _BLOCKING for word in before):
        return False
    if before and before[-1] == ")":  # a VALUES (?a ?b) block, or a group after FILTER (...)
        depth, back = 0, index - 1
        while back > 0:
            depth += {")": 1, "(": -1}.get(toks[back].text, 0)
            if depth == 0:
                return toks[back - 1].text.upper() != "VALUES"
            back -= 1
        return False
    return not before or toks[index - 1].kind == "punct" or before[-1] == "UNION"


def _bound_here(toks: list[Token], start: int, end: int) -> frozenset[str]:
    """Variables a triple pattern at the group's own level mentions, less those the group
    assigns anywhere inside (``AS ?x``, ``VALUES ?x``)."""
    mentioned, assigned = set(), set()
    depth = parens = 0
    for index in range(start + 1, end):
        token = toks[index]
        if token.kind == "punct":
            depth += {"{": 1, "}": -1}.get(token.text, 0)
            parens += {"(": 1, ")": -1}.get(token.text, 0)
        elif token.kind == "var":
            previous = toks[index - 1].text.upper()
            if previous in ("AS", "VALUES") or (parens and _in_values(toks, index)):
                assigned.add(token.text[1:])
            elif depth == 0 and parens == 0:
                mentioned.add(token.text[1:])
    return frozenset(mentioned - assigned)


def _in_values(toks: list[Token], index: int) -> bool:
    """Whether the variable at ``index`` is in a ``VALUES (?a ?b)`` header."""
    while index > 0 and toks[index - 1].kind == "var":
        index -= 1
    return index > 1 and toks[index - 1].text == "(" and toks[index - 2].text.upper() == "VALUES"


def _patterns(body: list[Token]) -> int:
    """How many triple patterns a basic graph pattern's tokens hold (a path counts as one).

    >>> _patterns(list(tokens("?a <p> ?b , ?c ; <q> [ <r> ?d ] . [ <s> ?e ] <t>/<u> ?f")))
    6
    """
    count, open_ = 0, False
    for token in body:
        if token.kind == "punct" and token.text in ".;,[]":
            count, open_ = count + open_, False
        else:
            open_ = True
    return count + open_


#: The only bare words a basic graph pattern holds: ``a`` (rdf:type) and the two booleans.
_BGP_WORDS = {"a", "true", "false"}


@functools.lru_cache(maxsize=256)
def lateral_optionals(query: str) -> str:
    """``query`` with each ``OPTIONAL`` whose group is a basic graph pattern of two or more
    triple patterns (property paths among them; no nested group, ``FILTER``, ``BIND`` or
    other keyword) written as ``LATERAL { OPTIONAL { ... } }``, for Oxigraph.

    The answers are the same: ``LATERAL`` evaluates its group once for each solution of
    what precedes it in the group, with that solution's values put in (SEP-0006), and for
    a basic graph pattern ``OPTIONAL`` under it keeps each solution with its matches, or
    alone when there is none: the left join. Oxigraph (0.5) may match such a group over
    the whole graph on its own and join afterwards; under ``LATERAL`` it starts from each
    solution. Measured: ``facts-about`` at 1M generated triples 2x faster (its evidence
    group of five patterns had been matched for every claim), the ``conflicts`` command
    at 100k 25x (27 s to 1 s). A group of one pattern is left as written: Oxigraph already
    looks it up per solution, and under ``LATERAL`` it took up to 1.15x the time. Other
    engines get the text as written (rdflib and Virtuoso know no ``LATERAL``).

    >>> lateral_optionals('SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x ; <r> ?y } }')
    'SELECT * { ?s <p> ?o LATERAL { OPTIONAL { ?o <q> ?x ; <r> ?y } } }'
    >>> lateral_optionals('SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x FILTER (?x > 1) } }')
    'SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x FILTER (?x > 1) } }'
    >>> lateral_optionals('SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x } }')
    'SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x } }'
    """
    toks = list(tokens(query))
    spans = []
    for index, token in enumerate(toks[:-1]):
        if token.kind != "word" or token.text.upper() != "OPTIONAL" or toks[index + 1].text != "{":
            continue
        end = index + 2
        while end < len(toks) and not (toks[end].kind == "punct" and toks[end].text in "{}"):
            if toks[end].kind == "word" and toks[end].text not in _BGP_WORDS:
                break
            end += 1
        if end < len(toks) and toks[end].text == "}" and _patterns(toks[index + 2 : end]) > 1:
            spans.append((token.start, toks[end].start + 1))
    for start, stop in reversed(spans):
        query = f"{query[:start]}LATERAL {{ {query[start:stop]} }}{query[stop:]}"
    return query
