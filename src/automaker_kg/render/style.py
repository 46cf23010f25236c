"""How a view draws each kind of entity, status and relation (shapes, colours, dashes, words)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from markupsafe import Markup

__all__ = [
    "DEFAULT_EDGE_COLOUR",
    "FOLDED_KINDS",
    "LABELLED_RELATIONS",
    "STANDING_OF_STATUS",
    "line_legend",
    "relation_words",
    "MARKED_RELATIONS",
    "NODE_STYLE",
    "OTHER_STYLE",
    "RELATION_COLOUR",
    "STAKE_RELATIONS",
    "STATUS_STYLE",
    "TECH_COLOUR",
    "TECH_RELATIONS",
    "VIEW_LAYOUTS",
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
    "vehicle": ("box", "#fdae6b", "vehicle model"),
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


# status -> (vis dashes, legend words, SVG dash array); official and historical apart
STATUS_STYLE: dict[str, tuple[bool | list[int], str, str]] = {
    "official": (False, "official statement", ""),
    "historical": ([18, 4], "historical fact", "18 4"),
    "reported": ([8, 6], "reported by unnamed sources", "8 6"),
    "plan": ([2, 5], "plan or expectation", "2 5"),
    "floated": ([14, 5, 3, 5], "floated target", "14 5 3 5"),
    "allegation": ([4, 4, 4, 10], "attributed allegation", "4 4 4 10"),
}

#: A claim's status -> its standing where the time model gave none (a hand-built graph).
STANDING_OF_STATUS = {
    "official": "in force",
    "historical": "in force",
    "reported": "reported",
    "allegation": "reported",
    "plan": "planned",
    "floated": "planned",
}

#: Entities the clustered view folds into their best-connected neighbour until expanded.
FOLDED_KINDS = frozenset({"person", "market", "sources"})

#: Technology edges drawn red and labelled, because something is kept from someone.
MARKED_RELATIONS = {"withholds": "#d62728", "protects": "#d62728"}
STAKE_RELATIONS = {"shareholding", "voting_rights"}
TECH_RELATIONS = {"develops", "contributes", "shares", "acquires"}
_CONTRIBUTION = "#a1887f"
_EVENT = "#90a4ae"
_ASSESSMENT = "#ef6c00"
_STRATEGY = "#7b1fa2"
RELATION_COLOUR = {
    "shareholding": "#2b3a55",
    "voting_rights": "#5c7cba",
    "member": "#9e9e9e",
    "division_of": "#9e9e9e",
    "capital": _CONTRIBUTION,
    "technological_support": _CONTRIBUTION,
    "operational_engagement": _CONTRIBUTION,
    "event": _EVENT,
    "planned_event": _EVENT,
    "floated_target": _EVENT,
    "joint_project": "#00897b",
    "strategy": _STRATEGY,
    "excludes": _STRATEGY,
    "seeks_partner": _STRATEGY,
    "role": "#17becf",
    "ranking": "#9e9d24",
    "judgement": _ASSESSMENT,
    "grievance": _ASSESSMENT,
    "benefit": _ASSESSMENT,
    "weakness": _ASSESSMENT,
    "allegation": _ASSESSMENT,
}
TECH_COLOUR = "#2e7d32"
DEFAULT_EDGE_COLOUR = "#757575"

#: Relations whose lines carry their value or words on the canvas (others in the tooltip).
LABELLED_RELATIONS = STAKE_RELATIONS | TECH_RELATIONS | set(MARKED_RELATIONS)

_RELATION_WORDS = {
    "shareholding": "equity stake",
    "voting_rights": "voting rights",
    "member": "member or partner",
    "division_of": "division of",
    "capital": "capital contribution",
    "technological_support": "technological support",
    "operational_engagement": "operational engagement",
    "planned_event": "planned event",
    "floated_target": "floated target",
    "joint_project": "joint project",
    "seeks_partner": "seeks a partner",
}


def relation_words(relation: str) -> str:
    """A relation's name in words.

    >>> relation_words("operational_engagement"), relation_words("withholds")
    ('operational engagement', 'withholds')
    """
    return _RELATION_WORDS.get(relation) or relation.replace("_", " ") or "related"


def line_legend(relations: Iterable[str]) -> list[tuple[str, str, float]]:
    """``(colour, words, width)`` legend rows for the relations a view draws, one per colour.

    >>> line_legend(["capital", "operational_engagement", "shareholding"])[0]
    ('#2b3a55', 'equity stake (thicker is larger)', 5.0)
    """
    present = set(relations)
    rows: dict[str, tuple[list[str], float]] = {}
    order = [*RELATION_COLOUR, *sorted(present - set(RELATION_COLOUR))]
    for relation in order:
        if relation not in present:
            continue
        colour = MARKED_RELATIONS.get(relation) or RELATION_COLOUR.get(relation)
        if colour is None:
            colour = TECH_COLOUR if relation in TECH_RELATIONS else DEFAULT_EDGE_COLOUR
        words = relation_words(relation)
        if relation == "shareholding":
            words += " (thicker is larger)"
        width = 5.0 if relation in STAKE_RELATIONS else 3.0 if relation in MARKED_RELATIONS else 2.0
        names, w = rows.get(colour, ([], 0.0))
        rows[colour] = ([*names, words], max(w, width))
    return [(colour, " / ".join(names), width) for colour, (names, width) in rows.items()]


#: Each view's layout: holders above holdings, or people and markets folded into entities.
VIEW_LAYOUTS = {
    "ownership": "layered",
    "technology": "layered",
    "alliances": "spring",
    "all": "clustered",
    "ego": "clustered",
}

VIEW_TITLES = {
    "ownership": "Ownership",
    "technology": "Technology flow",
    "alliances": "Alliances and joint ventures",
    "all": "The whole graph",
}
