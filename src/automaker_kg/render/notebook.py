"""Views inside a notebook cell."""

from __future__ import annotations

import html

__all__ = ["InlineView", "inline"]


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
