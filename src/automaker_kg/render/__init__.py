"""Interactive HTML views of projection graphs, and the site that links them.

A package of rooms: :mod:`~automaker_kg.render.style` (shapes, colours, dashes and their
words), :mod:`~automaker_kg.render.layout` (narrowing and positions),
:mod:`~automaker_kg.render.items` (vis-network nodes, edges and tooltips),
:mod:`~automaker_kg.render.page` (one offline HTML page from ``templates/view.html``),
:mod:`~automaker_kg.render.site` (the index and the views of a graph) and
:mod:`~automaker_kg.render.notebook`. This module only re-exports.

Input graphs follow the projection schema of :mod:`automaker_kg.projections`: a
``nx.MultiDiGraph`` whose nodes carry ``label``, ``kind`` and ``iri`` and whose edges carry
``relation``, ``status``, ``share`` (or ``share_min``/``share_max``), ``label``, ``claim``,
``source`` and ``evidence``.
"""

from .items import build_network, view_data
from .layout import (
    COMPONENT_SPRING_MAX_NODES,
    DEFAULT_MAX_NODES,
    PHYSICS_MAX_NODES,
    SPRING_MAX_NODES,
    clustered,
    fold_hosts,
    label_width,
    layered,
    layout,
    narrow,
)
from .notebook import InlineView, inline, show
from .page import render_view, write_view
from .site import (
    VIEWS,
    build_site,
    site_summary,
    site_views,
    view_filename,
    view_graph,
    write_site,
)
from .style import MARKED_RELATIONS, NODE_STYLE, STATUS_STYLE

__all__ = [
    "COMPONENT_SPRING_MAX_NODES",
    "DEFAULT_MAX_NODES",
    "MARKED_RELATIONS",
    "NODE_STYLE",
    "PHYSICS_MAX_NODES",
    "SPRING_MAX_NODES",
    "STATUS_STYLE",
    "VIEWS",
    "InlineView",
    "build_network",
    "build_site",
    "clustered",
    "fold_hosts",
    "inline",
    "label_width",
    "layered",
    "layout",
    "narrow",
    "render_view",
    "show",
    "site_summary",
    "site_views",
    "view_data",
    "view_filename",
    "view_graph",
    "write_site",
    "write_view",
]
