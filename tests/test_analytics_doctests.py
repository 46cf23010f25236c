"""Every docstring example of the analytics package and the projections module runs."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

MODULES = [
    "automaker_kg.analytics.ownership",
    "automaker_kg.analytics.paths",
    "automaker_kg.analytics.entities",
    "automaker_kg.analytics.sharing",
    "automaker_kg.analytics.centrality",
    "automaker_kg.analytics.diff",
    "automaker_kg.projections",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    """The module's examples pass and there is at least one."""
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_analytics_imports_neither_rdflib_nor_the_store():
    """analytics works on networkx graphs alone: importing it loads no RDF library."""
    code = (
        "import sys, automaker_kg.analytics\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyoxigraph')"
        " or m in ('automaker_kg.store', 'automaker_kg.projections')]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
