"""How a view draws each kind of entity, status and relation (shapes, colours, dashes, words)."""

from __future__ import annotations

import html

from markupsafe import Markup

__all__ = [
    "DEFAULT_EDGE_COLOUR",
    "MARKED_RELATIONS",
    "NODE_STYLE",
    "OTHER_STYLE",
    "RELATION_COLOUR",
    "STAKE_RELATIONS",
    "STATUS_STYLE",
    "TECH_COLOUR",
    "TECH_RELATIONS",
    "VIEW_TITLES",
    "swatch",
]

# kind -> (vis shape, fill colour, legend words)
NODE_STYLE: dict[str, tuple[str, str, str]] = {
    "automaker": ("dot", "#1f77b4", "automaker"),
    "division": ("diamond", "#6baed6", "division"),
    "joint_venture": ("hexagon", "#9467bd", "joint venture"),
    "energy": ("triangle", "#ff7f0e", "energy company"),
    "tech": ("square", "#2ca02c", "technology company"),
    "media": ("triangleDown", "#8c564b", "media organization"),
    "company": ("dot", "#7f7f7f", "other company"),
    "alliance": ("star", "#e377c2", "alliance"),
    "body": ("diamond", "#bcbd22", "governing body"),
    "person": ("dot", "#17becf", "person"),
    "sources": ("square", "#c7c7c7", "unnamed sources"),
    "technology": ("box", "#ffe082", "technology"),
    "market": ("ellipse", "#a1d99b", "market"),
}
OTHER_STYLE = ("dot", "#dddddd", "other")

# vis shape -> SVG drawing of it in a 14 x 14 box (legend swatches)
_SWATCH = {
    "dot": '<circle cx="7" cy="7" r="6"/>',
    "diamond": '<polygon points="7,0 14,7 7,14 0,7"/>',
    "hexagon": '<polygon points="3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7"/>',
    "triangle": '<polygon points="7,1 14,13 0,13"/>',
    "triangleDown": '<polygon points="0,1 14,1 7,13"/>',
    "square": '<rect x="1" y="1" width="12" height="12"/>',
    "star": (
        '<polygon points="7,0 8.8,5 14,5 9.8,8.2 11.4,13.5 7,10.4 2.6,13.5 4.2,8.2 0,5 5.2,5"/>'
    ),
    "box": '<rect x="0" y="3" width="14" height="8" rx="2"/>',
    "ellipse": '<ellipse cx="7" cy="7" rx="7" ry="4.5"/>',
}


def swatch(shape: str, colour: str) -> Markup:
    """An inline SVG legend swatch (shape and colour come from our own tables)."""
    drawing = _SWATCH.get(shape, _SWATCH["dot"])
    return Markup(
        '<svg class="swatch" width="14" height="14" aria-hidden="true" '
        f'fill="{html.escape(colour)}" stroke="#37474f" stroke-width="1">{drawing}</svg>'
    )


# status -> (vis dashes, legend words, SVG dash array)
STATUS_STYLE: dict[str, tuple[bool | list[int], str, str]] = {
    "official": (False, "official statement", ""),
    "historical": (False, "historical fact", ""),
    "reported": ([10, 6], "reported by unnamed sources", "10 6"),
    "plan": ([2, 5], "plan or expectation", "2 5"),
    "floated": ([14, 5, 3, 5], "floated target", "14 5 3 5"),
    "allegation": ([4, 4, 4, 10], "attributed allegation", "4 4 4 10"),
}

#: Technology edges drawn red and labelled, because something is kept from someone.
MARKED_RELATIONS = {"withholds": "#d62728", "protects": "#d62728"}
STAKE_RELATIONS = {"shareholding", "voting_rights"}
TECH_RELATIONS = {"develops", "contributes", "shares", "acquires"}
RELATION_COLOUR = {
    "shareholding": "#2b3a55",
    "voting_rights": "#5b6b8c",
    "member": "#9e9e9e",
    "division_of": "#9e9e9e",
    "capital": "#8d6e63",
    "technological_support": "#8d6e63",
    "operational_engagement": "#8d6e63",
}
TECH_COLOUR = "#2e7d32"
DEFAULT_EDGE_COLOUR = "#757575"

VIEW_TITLES = {
    "ownership": "Ownership",
    "technology": "Technology flow",
    "alliances": "Alliances and joint ventures",
    "all": "The whole graph",
}
