"""SPARQL syntax errors in words: line, column and a short "expected ..." a person can act on.

Oxigraph's parser reports ``error at LINE:COLUMN: expected one of ...`` followed by the
character classes its grammar would have accepted (hundreds of characters for an unknown
prefix). :func:`explain` keeps the position and says what went wrong instead: an unknown
prefix (with the nearest known one), a bracket never closed or closed twice, a misspelt
keyword, or else the token found and the keywords that would have fitted.

>>> e = explain("error at 1:21: expected one of Prefix not found, [':']",
...             "SELECT * { ?s foo:p ?o }", {"akg": "https://w3id.org/automaker-kg/ontology#"})
>>> e.line, e.column, e.words
(1, 15, "unknown prefix 'foo:' (the known prefixes are akg:)")
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

__all__ = ["Explained", "explain"]

_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_KEYWORD = re.compile(r"\b[A-Z][A-Z_]+\b")
_PREFIXED = re.compile(r"(?<![\w?$<])([A-Za-z][\w.-]*)?:")
_WORD = re.compile(r"[^\s{}()\[\].,;]+")
_PAIRS = {"(": ")", "{": "}", "[": "]"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
SPARQL_KEYWORDS = (
    "SELECT CONSTRUCT DESCRIBE ASK WHERE PREFIX BASE DISTINCT REDUCED FROM NAMED OPTIONAL FILTER "
    "BIND VALUES UNION MINUS GRAPH SERVICE ORDER GROUP BY HAVING LIMIT OFFSET AS ASC DESC NOT "
    "EXISTS IN COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT STR LANG REGEX CONTAINS COALESCE IF BOUND"
).split()
#: Every other bare word SPARQL knows (functions, literals), never taken for a misspelling.
_KNOWN = set(SPARQL_KEYWORDS) | set(
    "A TRUE FALSE UNDEF LATERAL SILENT LANGMATCHES DATATYPE SAMETERM ISIRI ISURI IRI URI BNODE "
    "RAND ABS CEIL FLOOR ROUND CONCAT SUBSTR STRLEN REPLACE UCASE LCASE ENCODE_FOR_URI STRSTARTS "
    "STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID "
    "STRUUID MD5 SHA1 SHA256 SHA384 SHA512 STRLANG STRDT ISNUMERIC ISBLANK ISLITERAL SEPARATOR "
    "TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE".split()
)
_BARE = re.compile(
    r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|<[^\s<>]*>|#[^\n]*|[?$:@][\w-]*|\w+:[\w-]*"
    r"|(?<![\w.])([A-Za-z_]+)(?![\w:])"
)


@dataclass(frozen=True)
class Explained:
    """A syntax error's position (1-based; 0 when unknown) and what went wrong, in words."""

    line: int
    column: int
    words: str

    def __str__(self) -> str:
        if self.line:
            return f"line {self.line}, column {self.column}: {self.words}"
        return self.words


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    if line < 1 or line > len(lines):
        return len(text)
    return sum(len(x) + 1 for x in lines[: line - 1]) + max(column - 1, 0)


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _unbalanced(text: str) -> tuple[int, str] | None:
    """The first bracket closed without being opened, or the last one never closed."""
    stack: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":  # a comment runs to the end of the line
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in "\"'":
            end = text.find(ch, i + 1)
            while end > 0 and text[end - 1] == "\\":
                end = text.find(ch, end + 1)
            i = n if end < 0 else end + 1
            continue
        if ch == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            i = text.index(">", i) + 1
            continue
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            if stack and stack[-1][0] != _CLOSERS[ch]:
                opened, at = stack[-1]
                return at, f"'{opened}' is never closed: a '{_PAIRS[opened]}' is missing"
            if not stack:
                return i, f"'{ch}' closes nothing that was opened"
            stack.pop()
        i += 1
    if stack:
        ch, at = stack[-1]
        return at, f"'{ch}' is never closed: a '{_PAIRS[ch]}' is missing"
    return None


def explain(message: str, text: str, prefixes: dict[str, str] | None = None) -> Explained:
    """Turn a parser message about ``text`` into an :class:`Explained`.

    Parameters
    ----------
    message : str
        The parser's message (Oxigraph's ``error at L:C: expected ...``); anything else is
        returned as it is, without a position.
    text : str
        The query that failed.
    prefixes : dict, optional
        The prefixes the server predeclares (``{name: namespace}``).

    Examples
    --------
    >>> str(explain("error at 1:42: expected one of PREDICATE, [_]",
    ...             "SELECT * WHERE { ?s ?p ?o FILTER(?o > 3 }"))
    "line 1, column 33: '(' is never closed: a ')' is missing"
    >>> str(explain("error at 1:1: expected CONSTRUCT", "SELEC * WHERE {}"))
    "line 1, column 1: unknown keyword 'SELEC' (did you mean SELECT?)"
    """
    match = _AT.search(message)
    if match is None:
        return Explained(0, 0, message.strip())
    line, column, rest = int(match.group(1)), int(match.group(2)), match.group(3)
    prefixes = prefixes or {}
    declared = dict.fromkeys(re.findall(r"(?i)PREFIX\s+([A-Za-z][\w.-]*)?:", text))
    offset = _offset(text, line, column)
    if "Prefix not found" in rest:
        candidates = list(_PREFIXED.finditer(text, 0, min(len(text), offset + 1)))
        word = candidates[-1] if candidates else None
        name = (word.group(1) or "") if word else ""
        known = sorted({*prefixes, *(d for d in declared if d)})
        near = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {near[0]}:?" if near else ""
        listed = ", ".join(f"{p}:" for p in known[:12]) + (", ..." if len(known) > 12 else "")
        if word:
            line, column = _position(text, word.start())
        words = f"unknown prefix '{name}:'"
        if name in known:
            words = f"the prefix '{name}:' is not declared here: add PREFIX {name}: <...>"
        elif hint:
            words += f" ({hint})"
        elif listed:
            words += f" (the known prefixes are {listed})"
        return Explained(line, column, words)
    bracket = _unbalanced(text)
    if bracket is not None:
        at, words = bracket
        line, column = _position(text, at)
        return Explained(line, column, words)
    for bare in _BARE.finditer(text, 0, min(len(text), offset + 40)):
        spelled = bare.group(1)
        if spelled is None or spelled.upper() in _KNOWN:
            continue
        near = difflib.get_close_matches(spelled.upper(), SPARQL_KEYWORDS, n=1, cutoff=0.7)
        if near:
            line, column = _position(text, bare.start(1))
            words = f"unknown keyword '{spelled}' (did you mean {near[0]}?)"
            return Explained(line, column, words)
    found = _WORD.match(text, offset)
    token = found.group(0)[:30] if found else text[offset : offset + 1].strip()
    if not token and text[:offset].strip():  # the parser points just past what it rejected
        whole = text[:offset].split()[-1]
        line, column = _position(text, text.rindex(whole, 0, offset))
        token = whole[:30]
    if token.startswith("<") and ">" not in token and len(token) > 1:
        return Explained(line, column, f"the IRI '{token}' is never closed: a '>' is missing")
    words = f"unexpected '{token}'" if token else "the query ends too early"
    expected = [
        k for k in dict.fromkeys(_KEYWORD.findall(rest)) if k in SPARQL_KEYWORDS and k != "SERVICE"
    ]
    if 0 < len(expected) <= 4:
        words += f"; expected {' or '.join(expected)}"
    return Explained(line, column, words)
