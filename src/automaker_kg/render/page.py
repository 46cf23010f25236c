"""One view as a self-contained, offline HTML page (templates/view.html, Jinja2).

vis-network (shipped inside the pyvis package) and the page's own script and style are
inlined, so the page needs no network. Node and edge lists reach the page as JSON data, never
as markup: labels and tooltips are text, so a name such as ``<script>`` shows literally and
runs nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup

from .items import build_network, network_options
from .layout import DEFAULT_MAX_NODES, narrow
from .style import NODE_STYLE, OTHER_STYLE, STATUS_STYLE, line_legend, swatch

__all__ = ["ENV", "json_for_script", "render_view", "static_text", "write_view"]

#: The package's templates, autoescaped; a missing variable is an error, not an empty string.
ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("automaker_kg.render", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


def json_for_script(value: Any) -> Markup:
    """JSON that is safe inside a <script> element (no ``</script>``, no ``<!--``).

    >>> str(json_for_script({"a": "</script>"}))
    '{"a":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, esc)
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@cache
def static_text(name: str) -> Markup:
    """A file of ``render/static/`` (our own script or style), to inline into a page."""
    text = resources.files("automaker_kg.render").joinpath("static", name).read_text("utf-8")
    if "</script" in text.lower() or "</style" in text.lower():  # pragma: no cover - our file
        raise RuntimeError(f"static/{name} cannot be inlined safely")
    return Markup(text)


@cache
def _vis_assets() -> tuple[Markup, Markup]:
    """vis-network's JS and CSS as shipped inside the installed pyvis package."""
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover - upstream change
        raise RuntimeError("vis-network assets cannot be inlined safely")
    return Markup(js), Markup(css)


def render_view(
    G: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str = "",
    max_nodes: int = DEFAULT_MAX_NODES,
    today: date | None = None,
) -> str:
    """Render a projection graph as one self-contained, offline HTML page.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A projection graph (contract schema).
    title, subtitle : str
        Shown at the top of the page, as text.
    max_nodes : int
        Above this many entities only the most connected are shown, and the page says so.
    today : datetime.date, optional
        The date the slider opens on when ``G.graph["as_of"]`` is not set (default: today).

    Returns
    -------
    str
        The HTML page, with vis-network inlined and the graph embedded as JSON.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", label="<b>X</b>", kind="automaker")
    >>> page = render_view(G, title="Demo")
    >>> page.startswith("<!DOCTYPE html>"), "<b>X</b>" in page
    (True, False)
    """
    H, note = narrow(G, max_nodes)
    net = build_network(H)
    nodes, edges = net.nodes, net.edges
    kind_count = Counter(n["kind"] for n in nodes)
    kinds = [
        (kind, swatch(style[0], style[1]), style[1], style[2], kind_count[kind])
        for kind, style in NODE_STYLE.items()
        if kind_count[kind]
    ]
    kinds += [
        (kind, swatch("dot", OTHER_STYLE[1]), OTHER_STYLE[1], kind or "unknown kind", count)
        for kind, count in sorted(kind_count.items())
        if kind not in NODE_STYLE
    ]
    claims = [c for e in edges for c in e["claims"]]
    status_count = Counter(c["status"] for c in claims)
    statuses = [
        (status, style[2], style[1], status_count[status])
        for status, style in STATUS_STYLE.items()
        if status_count[status]
    ]
    statuses += [
        (status, "", status or "unknown status", count)
        for status, count in sorted(status_count.items())
        if status not in STATUS_STYLE
    ]
    lines = line_legend(e["relation"] for e in edges)
    timeline = _timeline(claims, G.graph.get("as_of"), today)
    vis_js, vis_css = _vis_assets()
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": network_options(net),
        "timeline": timeline,
        "meta": {
            "title": title,
            "narrowed": note is not None,
            "total_nodes": G.number_of_nodes(),
            "total_edges": G.number_of_edges(),
            "folds": any("fold" in n for n in nodes),
        },
    }
    return ENV.get_template("view.html").render(
        title=title,
        subtitle=subtitle,
        note=note,
        n_nodes=len(nodes),
        n_edges=len(claims),
        n_lines=len(edges),
        kinds=kinds,
        statuses=statuses,
        lines=lines,
        timeline=timeline,
        folds=payload["meta"]["folds"],
        vis_js=vis_js,
        vis_css=vis_css,
        page_css=static_text("view.css"),
        page_js=static_text("view.js"),
        data_json=json_for_script(payload),
    )


def _timeline(
    claims: list[dict[str, Any]], as_of: Any, today: date | None
) -> dict[str, Any] | None:
    """The slider's range, its opening date and the dates on which something changes.

    ``None`` when no claim has a dated span (the page then shows every claim, no slider).
    The slider opens on ``as_of`` when the view was drawn for a date, else on ``today``
    (the latest state); its range runs from the first change to a year past the last one or
    to today, whichever is later.
    """
    changes = sorted({d for c in claims for span in c["spans"] for d in span[:2] if d})
    if not changes:
        return None
    day = date.fromisoformat(str(as_of)) if as_of else (today or date.today())
    first = date.fromisoformat(changes[0])
    last = max(date.fromisoformat(changes[-1]) + timedelta(days=365), day)
    return {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "start": max(first, day).isoformat(),
        "changes": changes,
    }


def write_view(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str | None = None,
    subtitle: str = "",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Path:
    """Write :func:`render_view` of ``G`` to ``path`` (parents created); return the path.

    ``title`` defaults to ``G.graph["title"]`` or the file's stem.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    title = title or str(G.graph.get("title") or path.stem)
    page = render_view(G, title=title, subtitle=subtitle, max_nodes=max_nodes)
    path.write_text(page, encoding="utf-8")
    return path
