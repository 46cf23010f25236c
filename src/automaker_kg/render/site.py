"""The site: one page per view and an index (templates/site.html), and the views of a graph."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from automaker_kg import documents, projections
from automaker_kg.analytics import centrality_ranking, ego_network, resolve_entity
from automaker_kg.errors import ParameterError, UnknownNameError
from automaker_kg.graphstore import Source
from automaker_kg.temporal import parameter_date

from .items import node_label
from .layout import DEFAULT_MAX_NODES
from .page import ENV, write_view
from .style import VIEW_LAYOUTS, VIEW_TITLES

__all__ = [
    "VIEWS",
    "build_site",
    "site_summary",
    "site_views",
    "view_filename",
    "view_graph",
    "write_site",
]


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return slug or "view"


def summary_tree(value: Any, depth: int = 0) -> dict[str, Any]:
    """A summary value (dicts, lists of row dicts, scalars) as the tree ``site.html`` draws.

    Each node is ``{"kind": "text" | "list" | "table" | "dict", ...}``; text stays text (the
    template escapes it).

    Examples
    --------
    >>> summary_tree([{"holder": "Renault", "share": 43.4}])["kind"]
    'table'
    >>> summary_tree(0.123456)
    {'kind': 'text', 'text': '0.1235'}
    """
    if depth > 6:
        return {"kind": "text", "text": json.dumps(value, default=str)}
    if isinstance(value, Mapping):
        items = [(str(k), summary_tree(v, depth + 1)) for k, v in value.items()]
        return {"kind": "dict", "items": items}
    if isinstance(value, (list, tuple)):
        rows = list(value)
        if rows and all(isinstance(r, Mapping) for r in rows):
            cols: dict[str, None] = {}
            for r in rows:
                cols.update(dict.fromkeys(str(k) for k in r))
            cells = [
                [summary_tree(r.get(c, r.get(_key(r, c))), depth + 1) for c in cols] for r in rows
            ]
            return {"kind": "table", "cols": list(cols), "rows": cells}
        return {"kind": "list", "items": [summary_tree(v, depth + 1) for v in rows]}
    if value is None:
        return {"kind": "text", "text": ""}
    if isinstance(value, float):
        return {"kind": "text", "text": f"{value:.4g}"}
    return {"kind": "text", "text": str(value)}


def _key(row: Mapping[Any, Any], col: str) -> Any:
    for k in row:
        if str(k) == col:
            return k
    return col


def write_site(
    out_dir: str | Path,
    views: Mapping[str, nx.MultiDiGraph],
    summary: Mapping[str, Any],
    *,
    title: str = "automaker-kg",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Path:
    """Write one page per view and an ``index.html`` that links them and shows ``summary``.

    Parameters
    ----------
    out_dir : str | Path
        The site folder (created).
    views : Mapping[str, nx.MultiDiGraph]
        View name (file stem) -> projection graph. A graph's ``graph["title"]`` and
        ``graph["subtitle"]`` (or ``graph["as_of"]``) are used when present.
    summary : Mapping[str, Any]
        Shown on the index: scalars, dicts and lists of row dicts (tables), all as text.

    Returns
    -------
    Path
        The index page.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, G in views.items():
        href = f"{_slug(name)}.html"
        view_title = str(G.graph.get("title") or VIEW_TITLES.get(name) or name)
        if "layout" not in G.graph and name in VIEW_LAYOUTS:
            G = G.copy()
            G.graph["layout"] = VIEW_LAYOUTS[name]
        subtitle = str(G.graph.get("subtitle") or "")
        if not subtitle and G.graph.get("as_of"):
            subtitle = f"as of {G.graph['as_of']}"
        write_view(G, out / href, title=view_title, subtitle=subtitle, max_nodes=max_nodes)
        entries.append(
            {
                "href": href,
                "title": view_title,
                "subtitle": subtitle,
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
            }
        )
    index = out / "index.html"
    page = ENV.get_template("site.html").render(
        title=title, views=entries, summary=summary_tree(summary)
    )
    index.write_text(page, encoding="utf-8")
    return index


#: The views ``view`` can draw; ``ego`` needs an entity.
VIEWS: tuple[str, ...] = ("technology", "ownership", "alliances", "all", "ego")


def _opening(as_of: Any) -> str:
    if as_of:
        return f"opens on {as_of}; the slider shows any other date"
    return "opens on today; the slider shows any other date"


def _dressed(source: Source, G: nx.MultiDiGraph, which: str, as_of: Any) -> None:
    """Set what the page needs beside the projection: layout, opening date, documents."""
    G.graph["layout"] = VIEW_LAYOUTS.get(which, "spring")
    G.graph["as_of"] = as_of.isoformat() if isinstance(as_of, date) else as_of
    G.graph["documents"] = {iri: doc.as_dict() for iri, doc in documents.documents(source).items()}


def view_graph(
    source: Source,
    which: str,
    *,
    entity: str | None = None,
    depth: int = 1,
    as_of: Any = None,
) -> nx.MultiDiGraph:
    """The projection a view shows, with ``graph["title"]`` and ``graph["subtitle"]`` set.

    Every claim is kept with its valid-date spans (the page's slider shows one date at a
    time); ``graph["layout"]`` names the view's layout, ``graph["documents"]`` the sources
    by title, publisher and date, and ``graph["as_of"]`` the date the slider opens on.

    Parameters
    ----------
    source : rdflib.Graph, rdflib.Dataset or pyoxigraph.Store
        The knowledge graph.
    which : {"technology", "ownership", "alliances", "all", "ego"}
        A projection, or ``ego``: the entities within ``depth`` claims of ``entity``.
    entity : str, optional
        For ``ego``: a name, alias or IRI (see :func:`~automaker_kg.analytics.resolve_entity`).
    depth : int
        For ``ego``: how many claims away to reach.
    as_of : datetime.date or ISO date str, optional
        The date the page opens on (default: today, the latest state).

    Raises
    ------
    UnknownNameError
        for an unknown view or entity.
    ParameterError
        for ``ego`` without an entity, a negative depth, or a bad date.
    """
    if which not in VIEWS:
        raise UnknownNameError("view", which, list(VIEWS))
    day = parameter_date(as_of or None)
    if which != "ego":
        G = projections.project(source, which)
        G.graph["title"] = VIEW_TITLES[which]
        G.graph["subtitle"] = _opening(day)
        _dressed(source, G, which, day)
        return G
    if not entity:
        raise ParameterError("the ego view needs an entity: view ego ENTITY")
    if depth < 0:
        raise ParameterError(f"depth must be 0 or more, not {depth}")
    G = projections.project(source, "all")
    node = resolve_entity(G, entity)
    H = ego_network(G, node, depth)
    H.graph.update(G.graph)
    H.graph["title"] = f"{node_label(G, node)} and its neighbours"
    hops = "claim" if depth == 1 else "claims"
    H.graph["subtitle"] = f"entities within {depth} {hops}; {_opening(day)}"
    _dressed(source, H, "ego", day)
    return H


def view_filename(which: str, entity: str | None = None) -> str:
    """The default file name of a view: ``ownership.html``, ``ego-nissan.html``.

    Examples
    --------
    >>> view_filename("ego", "Renault Group")
    'ego-Renault-Group.html'
    """
    if which == "ego" and entity:
        return f"ego-{_slug(entity.rsplit('/', 1)[-1])}.html"
    return f"{_slug(which)}.html"


def site_views(source: Source, *, as_of: Any = None) -> dict[str, nx.MultiDiGraph]:
    """The four projection views of the site (ownership, technology, alliances, all)."""
    return {name: view_graph(source, name, as_of=as_of) for name in VIEWS if name != "ego"}


def site_summary(
    views: Mapping[str, nx.MultiDiGraph],
    top: int = 10,
    counts: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """What the index page says about the graph: counts, statuses, sources, central entities.

    ``counts`` (the library's ``counts`` query: entities, claims, sources) gives the graph's
    totals, the numbers ``build``, ``stats`` and ``summary`` print; without it the views'
    own nodes and claims are counted.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", claim="c1", status="official", source="d")
    0
    >>> site_summary({"all": G})["claims by status"]
    {'official': 1}
    """
    everything = views.get("all") or nx.compose_all(list(views.values()) or [nx.MultiDiGraph()])
    claims: dict[str, Mapping[str, Any]] = {}
    for _, _, data in everything.edges(data=True):
        claims.setdefault(str(data.get("claim") or id(data)), data)
    statuses = Counter(str(d.get("status") or "unknown") for d in claims.values())
    sources = Counter(str(d.get("source") or "unknown") for d in claims.values())
    return {
        "entities": counts["entities"] if counts else everything.number_of_nodes(),
        "claims": counts["claims"] if counts else len(claims),
        **({"sources (documents)": counts["sources"]} if counts else {}),
        "claims by status": dict(sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sources": [{"document": doc, "claims": n} for doc, n in sources.most_common()],
        "most connected entities": [
            {"entity": node_label(everything, node), "degree centrality": round(score, 3)}
            for node, score in centrality_ranking(everything, "degree", top=top)
        ],
    }


def build_site(source: Source, out_dir: str | Path, *, as_of: Any = None) -> Path:
    """Write the site of ``source`` (four views and the index) into ``out_dir``."""
    views = site_views(source, as_of=as_of)
    from automaker_kg.queries import run

    counts = run("counts", source)
    assert not isinstance(counts, bool)  # a SELECT
    row = counts[0]
    totals = {key: int(str(row[key])) for key in ("entities", "claims", "sources")}
    return write_site(out_dir, views, site_summary(views, counts=totals))
