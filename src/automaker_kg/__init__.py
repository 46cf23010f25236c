"""automaker-kg: a knowledge graph of automaker partnerships.

Who owns, shares, contributes or withholds what, with whom, since when, and says who.
This package only re-exports :mod:`automaker_kg.api` (``load``, ``query``, ``facts``,
``summary``), lazily, so that importing a pure module such as ``automaker_kg.analytics``
loads neither rdflib nor the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from automaker_kg.api import facts, load, query, summary

__all__ = ["load", "query", "facts", "summary", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in {"load", "query", "facts", "summary", "api"}:
        import importlib

        api = importlib.import_module("automaker_kg.api")
        return api if name == "api" else getattr(api, name)
    raise AttributeError(f"module 'automaker_kg' has no attribute {name!r}")
