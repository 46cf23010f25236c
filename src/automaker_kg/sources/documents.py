"""Source documents: their identity (SHA-256) and where their sentences are.

Offsets are Python ``str`` indices into the document's text decoded as UTF-8,
exactly as its file holds it. Paragraphs are the file's non-blank lines, numbered
from 1; sentences are numbered from 1 within their paragraph.

>>> text = "Title\\n\\nFirst one. \\"Second,\\" he said. Third!\\n"
>>> [s.text(text) for s in sentences(text)]
['Title', 'First one.', '"Second," he said.', 'Third!']
>>> span = sentence_span(text, 2, 2)
>>> text[span.start:span.end]
'"Second," he said.'
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from automaker_kg.errors import EvidenceError

__all__ = [
    "Sentence",
    "sha256_of",
    "read_text",
    "sentences",
    "sentence_span",
    "sentence_at",
    "header_paragraphs",
    "original_address",
    "copied_runs",
]

# A sentence ends at . ! or ? (optionally followed by a closing quote) when what
# follows is white space and then an upper-case letter, a digit or an opening quote.
_END = re.compile(r"[.!?][\"\u201d']?(?=\s+[\"\u201cA-Z0-9]|\s*$)")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its paragraph and sentence numbers and its [start, end) offsets."""

    paragraph: int
    number: int
    start: int
    end: int

    def text(self, document: str) -> str:
        return document[self.start : self.end]


def sha256_of(path: Path) -> str:
    """Return ``"sha256:<hex>"`` of the file's bytes (read in chunks)."""
    with open(path, "rb") as fh:
        return "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()


def read_text(path: Path) -> str:
    """Read a document exactly as its file holds it (UTF-8, newlines untranslated)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^\r\n]+", text):
        if match.group().strip():
            start, end = match.span()
            # trim surrounding white space but keep offsets into the original text
            start += len(match.group()) - len(match.group().lstrip())
            end -= len(match.group()) - len(match.group().rstrip())
            spans.append((start, end))
    return spans


def sentences(text: str) -> list[Sentence]:
    """Split a document into sentences with their offsets."""
    out: list[Sentence] = []
    for p_number, (p_start, p_end) in enumerate(_paragraphs(text), start=1):
        body = text[p_start:p_end]
        cursor, number = 0, 0
        for match in _END.finditer(body):
            end = match.end()
            chunk = body[cursor:end]
            lead = len(chunk) - len(chunk.lstrip())
            number += 1
            out.append(Sentence(p_number, number, p_start + cursor + lead, p_start + end))
            cursor = end
        rest = body[cursor:]
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            out.append(Sentence(p_number, number + 1, p_start + cursor + lead, p_end))
    return out


def sentence_span(text: str, paragraph: int, sentence: int) -> Sentence:
    """Return the sentence numbered ``sentence`` in paragraph ``paragraph``.

    Raises EvidenceError when the document has no such sentence.
    """
    for s in sentences(text):
        if s.paragraph == paragraph and s.number == sentence:
            return s
    raise EvidenceError(f"no sentence {sentence} in paragraph {paragraph}")


def sentence_at(text: str, start: int, end: int) -> Sentence | None:
    """Return the sentence whose offsets are exactly [start, end), or None."""
    for s in sentences(text):
        if (s.start, s.end) == (start, end):
            return s
    return None


_HEADER_LINE = re.compile(r"^[A-Z][A-Za-z ]{0,30}:\s")


def header_paragraphs(text: str) -> int:
    """How many leading paragraphs form a ``Key: value`` header closed by a blank line.

    Header paragraphs (Title, Publisher, Date, URL of the stored articles) are not evidence.

    >>> header_paragraphs("Title: T\\nDate: 2023\\n\\nBody.\\n")
    2
    >>> header_paragraphs("Daily News\\n\\nBody.\\n")
    0
    """
    count = 0
    for line in text.splitlines():
        if not line.strip():
            return count
        if not _HEADER_LINE.match(line):
            return 0
        count += 1
    return 0


_ORIGINAL = re.compile(r"^Original:\s*(https?://\S+)\s*$")


def original_address(text: str) -> str | None:
    """The report's address an ``Original:`` header line gives (a brief's), else ``None``.

    >>> original_address("Brief: T\\nOriginal: https://example.com/a\\n\\nBody.\\n")
    'https://example.com/a'
    >>> original_address("Title: T\\n\\nBody.\\n") is None
    True
    """
    lines = text.splitlines()[: header_paragraphs(text)]
    found = [m[1] for m in map(_ORIGINAL.match, lines) if m]
    return found[0] if found else None


_WORD = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:['\u2019][0-9A-Za-z]+)*")


def _words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


@functools.lru_cache(maxsize=64)
def _runs(document: str, n: int) -> frozenset[tuple[str, ...]]:
    """The document's runs of ``n`` words, kept for the next text checked against it."""
    words = _words(document)
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def copied_runs(text: str, document: str, n: int = 8) -> list[str]:
    """Runs of ``n`` words that ``text`` shares with ``document`` (case and punctuation aside).

    >>> copied_runs("one two three", "a one two three b", n=3)
    ['one two three']
    """
    grams = _runs(document, n)
    mine = _words(text)
    return [
        " ".join(mine[i : i + n])
        for i in range(len(mine) - n + 1)
        if tuple(mine[i : i + n]) in grams
    ]
