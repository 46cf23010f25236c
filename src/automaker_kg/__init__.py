"""automaker-kg: a knowledge graph of automaker partnerships.

Who owns, shares, contributes or withholds what, with whom, since when, and says who.
This package only re-exports; see :mod:`automaker_kg.api`.
"""

from automaker_kg.api import facts, load, query, summary

__all__ = ["load", "query", "facts", "summary", "__version__"]
__version__ = "0.1.0"
