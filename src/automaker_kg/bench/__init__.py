"""The benchmark: a synthetic partnership graph at industry scale, and what it measures.

:mod:`~automaker_kg.bench.generator` writes a deterministic graph shaped like the curated
claims; :mod:`~automaker_kg.bench.runner` builds, queries, analyses, renders and serves it
and records every figure; :mod:`~automaker_kg.bench.report` turns the figures into the
markdown table and the JSON file. ``automaker-kg bench generate|run`` and ``make bench``
call them.
"""

from automaker_kg.bench.generator import GeneratedGraph, generate

__all__ = ["GeneratedGraph", "generate"]
