"""The drafting assistant: a proposed fact sheet for a new text (``automaker-kg draft``).

:func:`draft_document` reads a document, finds the graph's names and new ones, proposes stakes,
joint-venture shares and technology arrangements with their status, and returns the fact
sheet's YAML. Word lists in :mod:`.rules`; one module per concern (:mod:`.entities`,
:mod:`.stakes`, :mod:`.ventures`, :mod:`.technology`, :mod:`.dates`, :mod:`.status`,
:mod:`.labels`), run sentence by sentence by :mod:`.extract`; the YAML in :mod:`.sheet`, the
scoring against curated sheets in :mod:`.evaluate`. Documented in ``docs/drafting.md``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from automaker_kg.draft.extract import Draft, draft_text
from automaker_kg.draft.names import known_names, taxonomy_broader
from automaker_kg.draft.sheet import document_file, render
from automaker_kg.errors import InputError
from automaker_kg.sources.documents import read_text

__all__ = ["Draft", "draft_document"]


def draft_document(
    document: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    leave_out: Iterable[str] = (),
) -> tuple[Draft, str]:
    """Draft a fact sheet for ``document``: the proposals and the sheet's YAML text.

    ``leave_out``: stems of graph files whose names are not used (to score a draft without
    the document's own curated sheet).

    Raises
    ------
    InputError
        the document cannot be read.
    """
    from automaker_kg.paths import shared_dir

    path = Path(document)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as UTF-8 text: {exc}") from None
    names = known_names(data_dir, leave_out=leave_out)
    draft = draft_text(text, names, taxonomy_broader(data_dir))
    known = {n.text: (n.id, n.type) for n in names if n.prefix == "kg"}
    yaml_text = render(
        draft,
        file=document_file(path, shared_dir()),
        stem=path.stem,
        known=known,
        known_ids={n.id for n in names},
    )
    return draft, yaml_text
