"""Views inside a notebook cell."""

from __future__ import annotations

import html
from typing import Any

from automaker_kg.graphstore import Source

__all__ = ["InlineView", "inline", "show"]


class InlineView:
    """A page shown in a notebook cell through ``<iframe srcdoc=...>`` (Jupyter and VS Code)."""

    def __init__(self, page: str, height: int = 600) -> None:
        self.page = page
        self.height = int(height)

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #ddd" '
            'sandbox="allow-scripts" loading="lazy"></iframe>'
        )

    def __repr__(self) -> str:
        return f"InlineView({len(self.page)} characters, height={self.height})"


def inline(page: str, height: int = 600) -> InlineView:
    """Wrap an HTML page for display in a notebook cell.

    Examples
    --------
    >>> view = inline('<p title="a">x & y</p>', height=200)
    >>> view._repr_html_().startswith('<iframe srcdoc="&lt;p title=&quot;a&quot;&gt;x &amp; y')
    True
    """
    return InlineView(page, height)


def show(
    source: Source,
    which: str = "ownership",
    *,
    entity: str | None = None,
    depth: int = 1,
    as_of: Any = None,
    height: int = 600,
) -> InlineView:
    """A view of ``source`` for a notebook cell, its date slider opening on ``as_of``.

    The same page as ``automaker-kg view``: :func:`~automaker_kg.render.site.view_graph`
    drawn by :func:`~automaker_kg.render.page.render_view`, inside an iframe.

    Parameters
    ----------
    source
        What :func:`automaker_kg.load` returned (or any source the projections read).
    which : {"ownership", "technology", "alliances", "all", "ego"}
        The view; ``ego`` needs ``entity``.
    as_of : ISO date str or datetime.date, optional
        The date the slider opens on (default: today).
    height : int
        The frame's height in pixels.
    """
    from .page import render_view
    from .site import view_graph

    G = view_graph(source, which, entity=entity, depth=depth, as_of=as_of)
    page = render_view(G, title=str(G.graph["title"]), subtitle=str(G.graph["subtitle"]))
    return InlineView(page, height)
