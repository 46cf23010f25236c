"""GLEIF records as plain dicts: what the in-memory and the streaming GLEIF importers share.

Both :mod:`automaker_kg.sources.gleif` (a file read whole, converted through rdflib) and
:mod:`automaker_kg.sources.gleif_stream` (a golden copy streamed to Turtle text) read a record
into GLEIF's JSON shape, whichever format it came in, and decide with the same tables which
records become claims. Those tables and readers live here, public, so neither importer reaches
into the other.

How a claim keeps its provenance compactly (a golden copy has millions of records): the file
is one ``akg:SourceDocument`` with one ``oa:SpecificResource`` selecting all its records
(:func:`records_evidence`, an XPath to the record elements or the JSON pointer of the whole
array), every claim is ``prov:wasDerivedFrom`` it and names its own record with
``akg:sourceRecord`` (the record's XPath or JSON pointer). Accounting and filing periods are
nodes shared by every claim that gives the same one (:func:`period_iri`).

>>> record_kind({"Relationship": {}})
'relationship'
>>> other_names({"OtherEntityNames": [{"type": "TRADING_OR_OPERATING_NAME",
...                                    "OtherEntityName": "Acme"}]})
['Acme']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any, Protocol
from urllib.parse import quote

from automaker_kg.namespaces import KG
from automaker_kg.terms import iso_date

__all__ = [
    "ALL_RECORDS",
    "CONTAINERS",
    "DIRECT",
    "END_NOTE",
    "EXCEPTION_CATEGORIES",
    "GleifRecord",
    "NAMESPACES",
    "REJECTED_REGISTRATION",
    "element_dict",
    "fingerprint",
    "gleif_date",
    "local_name",
    "other_names",
    "period_iri",
    "record_kind",
    "records_evidence",
    "records_selector",
    "records_xpath",
]

DIRECT = "IS_DIRECTLY_CONSOLIDATED_BY"
"""The relationship type of a direct accounting parent (the other kept one is ultimate)."""

EXCEPTION_CATEGORIES: dict[str, bool] = {
    "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT": True,
    "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT": False,
}
"""Reporting-exception categories the project keeps: ``True`` for the direct parent."""

END_NOTE = (
    "GLEIF gives the last day of a relationship period; akg:validTo is the day after (exclusive)."
)
"""The ``akg:dateNote`` of every GLEIF file's document: how its claims' end dates were read."""

ALL_RECORDS = ""
"""The JSON pointer of a GLEIF JSON file's whole array of records (RFC 6901: the document)."""

REJECTED_REGISTRATION = frozenset({"ANNULLED", "DUPLICATE"})
"""Registration statuses of records GLEIF withdrew: they give the graph nothing."""

NAMESPACES = {
    "http://www.gleif.org/data/schema/rr/2016": "rr",
    "http://www.gleif.org/data/schema/leidata/2016": "lei",
    "http://www.gleif.org/data/schema/repex/2016": "repex",
}
"""GLEIF's XML namespaces and the prefixes their XPaths are written with."""

CONTAINERS = {
    "RelationshipData": ("RelationshipRecords", "RelationshipRecord", "relationship"),
    "LEIData": ("LEIRecords", "LEIRecord", "lei"),
    "ReportingExceptionData": ("ReportingExceptions", "Exception", "exception"),
}
"""Root element -> (the list element, the record element, the record kind)."""

_LISTS = frozenset(
    {
        "RelationshipPeriods",
        "RelationshipQualifiers",
        "RelationshipQuantifiers",
        "OtherEntityNames",
        "TransliteratedOtherEntityNames",
        "OtherAddresses",
        "TransliteratedOtherAddresses",
    }
)
"""XML containers whose children form a list in GLEIF's JSON form."""


@dataclass(frozen=True)
class GleifRecord:
    """One record: its kind (``relationship``, ``lei``, ``exception``), content and location.

    ``data`` has GLEIF's JSON shape whichever format the record came in; ``pointer`` is a JSON
    pointer (JSON files) and ``xpath`` an XPath (XML files).
    """

    kind: str
    data: dict
    pointer: str | None = None
    xpath: str | None = None

    @property
    def where(self) -> str:
        return self.pointer if self.pointer is not None else str(self.xpath)


class XmlElement(Protocol):
    """What :func:`element_dict` needs of an element (ElementTree's and lxml's both have it)."""

    tag: Any
    text: str | None

    def __len__(self) -> int: ...
    def __iter__(self) -> Any: ...
    def get(self, key: str, default: Any = None) -> Any: ...


@lru_cache(maxsize=4096)
def local_name(tag: str) -> tuple[str, str]:
    """An XML tag's (namespace, local name).

    >>> local_name("{http://www.gleif.org/data/schema/rr/2016}RelationshipRecord")[1]
    'RelationshipRecord'
    """
    namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return namespace, name


_NAMES: dict[str, str] = {}
"""Tag -> local name: a file has a few dozen tags, read millions of times."""


def _name(tag: str) -> str:
    name = _NAMES.get(tag)
    if name is None:
        name = _NAMES[tag] = local_name(tag)[1]
    return name


def _item(element: XmlElement) -> Any:
    """An item of a list container: a leaf with a ``type`` attribute is
    ``{"type": …, <name>: text}``, as ``OtherEntityName`` is in GLEIF's JSON."""
    if len(element):
        name = _NAMES.get(element.tag) or _name(element.tag)
        return [_item(child) for child in element] if name in _LISTS else _children(element)
    text = element.text
    text = text.strip() if text else ""
    kind = element.get("type")
    return {"type": kind, _name(element.tag): text} if kind else text


def element_dict(element: XmlElement) -> Any:
    """An XML record element in GLEIF's JSON shape: elements become keys, list containers
    (``RelationshipPeriods``, ``OtherEntityNames`` …) lists, a leaf its stripped text, and an
    item of a list with a ``type`` attribute ``{"type": …, <name>: text}`` (as
    ``OtherEntityName`` is in GLEIF's JSON; GLEIF types only list items). Comments and
    processing instructions are left out (the parsers drop them)."""
    if not len(element):
        text = element.text
        return text.strip() if text else ""
    if _name(element.tag) in _LISTS:
        return [_item(child) for child in element]
    return _children(element)


def _children(element: XmlElement) -> Any:
    """:func:`element_dict` of an element with children that is not a list container: a
    golden copy has tens of millions of elements, so each is looked at once (its tag, then
    its text or its children)."""
    out: dict[str, Any] = {}
    for child in element:
        child_name = _NAMES.get(child.tag) or _name(child.tag)
        if not len(child):  # a leaf, inline: leaves are most of a record
            text = child.text
            out[child_name] = text.strip() if text else ""
        elif child_name in _LISTS:
            out[child_name] = [_item(item) for item in child]
        else:
            out[child_name] = _children(child)
    return out


def _no_default(value: object) -> Any:
    raise TypeError(f"not JSON: {type(value).__name__}")


_SORTED = json.JSONEncoder(sort_keys=True)
# json.dumps(..., sort_keys=True) builds its C encoder on every call (a quarter of its time
# on a record); this one is built once and writes the same text: the standard separators,
# ASCII escapes, keys sorted, no circularity check (a record read from a file has no cycles).
_C_ENCODER = (
    c_make_encoder(None, _no_default, encode_basestring_ascii, None, ": ", ", ", True, False, True)
    if c_make_encoder is not None
    else None
)


def fingerprint(relationship: dict) -> bytes:
    """The SHA-256 of a relationship's content (its JSON, keys sorted): records that repeat a
    relationship share it, and claim IRIs end with its first 12 hex digits."""
    if _C_ENCODER is not None:
        text = "".join(_C_ENCODER(relationship, 0))
    else:  # pragma: no cover - Python without the json accelerator
        text = _SORTED.encode(relationship)
    return hashlib.sha256(text.encode()).digest()


def record_kind(data: object) -> str | None:
    """``relationship``, ``lei``, ``exception``, ``bods`` (another standard) or ``None``."""
    if not isinstance(data, dict):
        return None
    if "statementID" in data or "statementId" in data:
        return "bods"
    if "Relationship" in data:
        return "relationship"
    if "LEI" in data and "Entity" in data:
        return "lei"
    if "LEI" in data and "ExceptionCategory" in data:
        return "exception"
    return None


def gleif_date(value: str | None) -> dt.date | None:
    """The calendar date (as written, no zone shift) of a GLEIF date or date-time.

    Raises ``ValueError`` for text that does not start with ``YYYY-MM-DD``.

    >>> gleif_date("2012-11-29T00:00:00.000Z")
    datetime.date(2012, 11, 29)
    """
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:  # the common case, in C: millions of dates in a golden copy
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    return iso_date(value)


def other_names(entity: dict) -> list[str]:
    """An LEI record's other and transliterated names, in the order given."""
    out: list[str] = []
    for key in ("OtherEntityNames", "TransliteratedOtherEntityNames"):
        items: Iterable[Any] = entity.get(key) or []
        for item in items:
            if isinstance(item, dict):
                out.append(
                    item.get("OtherEntityName") or item.get("TransliteratedOtherEntityName") or ""
                )
            else:
                out.append(str(item))
    return [n for n in out if n]


def records_evidence(document: str) -> str:
    """The IRI of the evidence node of every claim of ``document``: its records.

    >>> records_evidence("https://w3id.org/automaker-kg/id/document/gleif-rr-xml-0123")
    'https://w3id.org/automaker-kg/id/document/gleif-rr-xml-0123/records'
    """
    return f"{document}/records"


def records_selector(document: str) -> str:
    """The IRI of the selector of :func:`records_evidence` (an XPath or a JSON pointer)."""
    return f"{document}/records/selector"


def records_xpath(xpath: str) -> str:
    """The XPath of all the records of a file, from the XPath of one of them.

    >>> records_xpath("/rr:RelationshipData/rr:RelationshipRecords/rr:RelationshipRecord[2]")
    '/rr:RelationshipData/rr:RelationshipRecords/rr:RelationshipRecord'
    """
    return xpath.rsplit("[", 1)[0]


def period_iri(kind: str, start: dt.date | None, end: dt.date | None) -> str:
    """The IRI of a period of a kind (``ACCOUNTING_PERIOD`` …) between two days (inclusive):
    ``kg:period/<kind>/<start>/<end>``, ``open`` for a day not given.

    >>> period_iri("ACCOUNTING_PERIOD", dt.date(2023, 1, 1), None)
    'https://w3id.org/automaker-kg/id/period/ACCOUNTING_PERIOD/2023-01-01/open'
    """
    days = "/".join(d.isoformat() if d else "open" for d in (start, end))
    return f"{KG}period/{quote(kind, safe='-._~')}/{days}"
