"""The notebook runs from top to bottom in a kernel of this venv, and is committed clean.

``notebooks/explore.ipynb`` asserts its own answers cell by cell, so executing it checks the
data and the API together. The kernel is described by a kernelspec written to a temporary
directory that points at ``sys.executable``: whatever kernels the machine has installed, the
notebook runs against this checkout's environment.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
KERNEL_NAME = "automaker-kg-test"


def _notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_notebook_is_valid_and_committed_without_outputs():
    """The committed notebook is valid nbformat 4 with no outputs or execution counts."""
    nb = _notebook()
    nbformat.validate(nb)
    dirty = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert dirty == [], f"cells {dirty} carry outputs; clear them before committing"
    assert not any("attachments" in cell for cell in nb.cells)


def test_notebook_uses_the_public_api_and_leaves_checks_to_the_tests():
    """The notebook imports only public modules, touches no private name, and asserts
    nothing: what it tells is checked by tests/test_storyline.py."""
    public = {"analytics", "projections", "queries", "render"}
    for cell in _code_cells(_notebook()):
        assert "assert " not in cell.source, cell.source
        assert not re.search(r"\._[a-z]", cell.source), cell.source
        for line in cell.source.splitlines():
            if line.startswith("from automaker_kg"):
                assert line.startswith("from automaker_kg import "), line
                names = {n.strip() for n in line.split(" import ", 1)[1].split(",")}
                assert names <= public, line
    views = [c for c in _code_cells(_notebook()) if "render.show(" in c.source]
    assert len(views) >= 4  # the storyline's dates, each a view with its slider


@pytest.fixture(scope="module")
def kernel_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Jupyter paths in a temporary directory holding a kernelspec for ``sys.executable``."""
    base = tmp_path_factory.mktemp("jupyter")
    spec_dir = base / "data" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "automaker-kg (test venv)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    (base / "runtime").mkdir()
    return {
        "JUPYTER_PATH": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "IPYTHONDIR": str(base / "ipython"),
    }


@pytest.fixture(scope="module")
def executed(kernel_dirs: dict[str, str], built_store: Path) -> nbformat.NotebookNode:
    """The notebook run from top to bottom by nbclient (on the session's built store, as a
    reader who ran `make run` would); any cell error fails the tests."""
    from nbclient import NotebookClient

    with pytest.MonkeyPatch.context() as patch:
        for name, value in kernel_dirs.items():
            patch.setenv(name, value)
        patch.setenv("AUTOMAKER_KG_STORE", str(built_store))
        nb = _notebook()
        # A probe after the last cell: which interpreter ran the notebook.
        probe = nbformat.v4.new_code_cell("import sys\nprint(sys.executable)")
        probe.metadata["tags"] = ["probe"]
        nb.cells.append(probe)
        client = NotebookClient(
            nb,
            kernel_name=KERNEL_NAME,
            timeout=600,
            allow_errors=False,
            resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        )
        client.execute()
    return nb


@pytest.mark.slow
def test_notebook_runs_without_errors(executed: nbformat.NotebookNode):
    """Every code cell ran, in order, in this venv's interpreter, and none wrote an error."""
    cells = _code_cells(executed)
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))
    errors = [out for cell in cells for out in cell.outputs if out.output_type == "error"]
    assert errors == []


@pytest.mark.slow
def test_notebook_ran_in_this_venv(executed: nbformat.NotebookNode):
    """The kernel's interpreter is the one running the tests, not some installed kernel's."""
    (probe,) = [c for c in executed.cells if "probe" in c.metadata.get("tags", [])]
    (output,) = probe.outputs
    assert Path(output.text.strip()) == Path(sys.executable)


@pytest.mark.slow
def test_notebook_prints_the_aramco_nissan_path(executed: nbformat.NotebookNode):
    """The path step prints one numbered sentence per hop, each with its source document."""
    (cell,) = [c for c in _code_cells(executed) if "explain_path" in c.source]
    text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
    lines = text.splitlines()
    assert lines[0] == "Aramco -> Nissan"
    assert lines[1].startswith("1. Aramco ") and "Horse Powertrain" in lines[1]
    assert "Aramco Base Oil -> Nissan" in lines
    second = lines.index("Aramco Base Oil -> Nissan")
    assert lines[second - 2].split(". ", 1)[1].startswith("Renault holds 15%")
    assert lines[second + 1].startswith("1. Aramco Base Oil is a partner in the joint venture")
    hops = [line for line in lines if line[:1].isdigit()]
    assert sum(line.strip().startswith("source: https://") for line in lines) == len(hops)


@pytest.mark.slow
def test_notebook_shows_the_view_inline(executed: nbformat.NotebookNode):
    """The view cell displays HTML: an iframe whose srcdoc holds the escaped offline page."""
    (cell,) = [c for c in executed.cells if "inline-view" in c.metadata.get("tags", [])]
    html = [out.data["text/html"] for out in cell.outputs if "text/html" in out.get("data", {})]
    assert len(html) == 1
    assert html[0].startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "<script" not in html[0]  # the page is escaped into the attribute, not inlined
    assert "&quot;start&quot;:&quot;2023-02-06&quot;" in html[0]  # the slider opens there


@pytest.mark.slow
def test_notebook_tables_are_dataframes(executed: nbformat.NotebookNode):
    """Query, ownership and diff steps end with a pandas table rendered as HTML."""
    tables = [
        cell
        for cell in _code_cells(executed)
        if any(
            "text/html" in out.get("data", {}) and 'class="dataframe' in out.data["text/html"]
            for out in cell.outputs
        )
    ]
    assert len(tables) >= 6
