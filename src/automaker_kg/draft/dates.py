"""Dates and amounts: the report's header and date, the dates of a sentence with their
precision, and the sums of money with their currency.

>>> header("Brief: B\\nReported by: Kyodo, 2023-02-06\\n\\nText.\\n")
{'brief': 'B', 'reported by': 'Kyodo, 2023-02-06'}
>>> document_date(header("Brief: B\\nReported by: Kyodo, 2023-02-06\\n\\nText.\\n"))
'2023-02-06'
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from automaker_kg.draft import rules
from automaker_kg.draft.model import Evidence, Reading, match_label
from automaker_kg.sources.documents import header_paragraphs

__all__ = ["header", "document_date", "dates_amounts", "date_of"]

_HEADER = re.compile(r"^([A-Z][A-Za-z ]{0,30}):\s*(.*)$")


def header(text: str) -> dict[str, str]:
    """The header lines of a brief ("Reported by: ...") as lower-case key -> value."""
    count = header_paragraphs(text)
    out: dict[str, str] = {}
    for line in [x for x in text.splitlines() if x.strip()][:count]:
        match = _HEADER.match(line)
        if match:
            out[match[1].lower()] = match[2].strip()
    return out


def document_date(header: dict[str, str]) -> str | None:
    """The report's date from its header (day or month precision), if it gives one."""
    for key in ("date", "reported by", "published"):
        value = header.get(key, "")
        match = re.search(r"\b(\d{4}-\d{2}-\d{2}|\d{4}-\d{2})\b", value)
        if match:
            return match[1]
    return None


def dates_amounts(r: Reading, doc: Any, ev: Evidence) -> None:
    """Record the sentence's sums of money and its dates with their precision."""
    for mid, s, e in r.matcher(doc):
        label = match_label(r, mid)
        span = doc[s:e]
        if label == "MONEY":
            tokens = [t.text for t in span]
            sign = next((rules.CURRENCY_SIGNS[t] for t in tokens if t in rules.CURRENCY_SIGNS), "")
            word = next(
                (
                    rules.CURRENCY_WORDS[t.lower()]
                    for t in tokens
                    if t.lower() in rules.CURRENCY_WORDS
                ),
                "",
            )
            number = next((t for t in span if t.like_num and t.lower_ not in rules.SCALES), None)
            scale = next((rules.SCALES[t.lower_] for t in span if t.lower_ in rules.SCALES), 1.0)
            try:
                amount = float(number.text.replace(",", "")) * scale if number is not None else None
            except ValueError:
                amount = None
            if amount is not None:
                r.amounts.append((ev, amount, sign or word))
        elif label == "DATE":
            found = date_of(span, r.date)
            if found:
                r.dates.append((ev, *found))


def date_of(span: Any, document_date: str | None) -> tuple[str, str] | None:
    """(ISO date, precision) of a DATE match; weekdays and "last month" resolved against the
    document's date."""
    words = [t.lower_ for t in span]
    year = next((t.text for t in span if t.shape_ == "dddd"), None)
    fused = re.fullmatch(r"(?:mid|early|late|end)-(\d{4})", span.text)
    if fused:
        year = fused[1]
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if len(span) == 1 and span[0].shape_ == "dddd" and after is not None and after.is_alpha:
        if after.lower_ not in {"and", "or", "onwards", "onward"}:
            return None  # "2000 jobs": a number, not a year
    month = next((rules.MONTHS.index(w) + 1 for w in words if w in rules.MONTHS), None)
    day = next((int(t.text) for t in span if t.is_digit and len(t.text) <= 2), None)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", span.text):
        return span.text, "day"
    if words == ["last", "month"]:  # the month before the report's
        if not document_date or len(document_date) < 7:
            return None
        year_, month_ = int(document_date[:4]), int(document_date[5:7])
        year_, month_ = (year_ - 1, 12) if month_ == 1 else (year_, month_ - 1)
        return f"{year_}-{month_:02d}", "month"
    if words[0] in rules.WEEKDAYS:
        if not document_date or len(document_date) < 10:
            return None
        ref = dt.date.fromisoformat(document_date)
        back = (ref.weekday() - rules.WEEKDAYS.index(words[0])) % 7
        return (ref - dt.timedelta(days=back)).isoformat(), "day"
    if year and not 1950 <= int(year) <= 2100:
        return None  # "2000 jobs"
    if month and day and not year and document_date:
        year = document_date[:4]  # "on June 10": the report's year
    if year and month and day:
        try:
            return dt.date(int(year), month, day).isoformat(), "day"
        except ValueError:
            return None
    if year and month:
        return f"{year}-{month:02d}", "month"
    if year:
        return year, "year"
    return None
