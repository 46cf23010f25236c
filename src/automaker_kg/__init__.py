"""automaker-kg: a knowledge graph of automaker partnerships.

Who owns, shares, contributes or withholds what, with whom, since when, and says who.
This package only re-exports :mod:`automaker_kg.api` (``load``, ``query``, ``sparql``,
``entity``, ``facts``, ``graph``, ``summary``, ...), lazily, so that importing a pure module
such as ``automaker_kg.analytics`` loads neither rdflib nor the store; ``dir()`` lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from automaker_kg.api import (
        COMPETENCY_QUERIES,
        FACT_COLUMNS,
        Rows,
        entity,
        facts,
        graph,
        load,
        query,
        query_in_time,
        sparql,
        summary,
    )

#: What ``from automaker_kg import *`` and ``dir(automaker_kg)`` list: the API of
#: :mod:`automaker_kg.api`, loaded on first use.
__all__ = [
    "load",
    "query",
    "sparql",
    "entity",
    "facts",
    "graph",
    "summary",
    "query_in_time",
    "Rows",
    "COMPETENCY_QUERIES",
    "FACT_COLUMNS",
    "__version__",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__ or name == "api":
        import importlib

        api = importlib.import_module("automaker_kg.api")
        return api if name == "api" else getattr(api, name)
    raise AttributeError(f"module 'automaker_kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
