"""The benchmark at its smallest size: it runs end to end and produces every figure.

Times are never judged here (the benchmark is a script, ``make bench``); only that each
figure is there. The parts that need Debian's Chromium or Virtuoso skip, with the reason,
where those are missing.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from automaker_kg.bench import report, runner
from automaker_kg.bench.generator import HELD, HUB, SECOND, generate
from automaker_kg.cli import app

SIZE = 3_000
NEEDS_BROWSER = {"render_ours", "render_pyvis", "render_speedup", "render_nodes"}
NEEDS_VIRTUOSO = {
    "endpoint_p50_virtuoso",
    "endpoint_ratio_median",
    "endpoint_ratio_max",
    "endpoint_wins",
}
HAVE_BROWSER = runner.CHROMIUM.exists()
HAVE_VIRTUOSO = bool(shutil.which("virtuoso-t") and shutil.which("isql-vt"))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    return runner.run_benchmark([SIZE], out, repeat=1, rdflib_timeout=30, log=lambda _: None)


@pytest.fixture(scope="module")
def figures(results: dict) -> dict:
    return report.summary(results["sizes"][runner.size_name(SIZE)])


@given(st.integers(min_value=100, max_value=3000), st.integers(min_value=0, max_value=5))
@settings(max_examples=10, deadline=None)
def test_generator_is_deterministic_and_reaches_the_size(triples: int, seed: int):
    """The same seed and size give the same bytes, with at least the triples asked for."""
    a, b = io.StringIO(), io.StringIO()
    info = generate(triples, seed=seed, out=a)
    generate(triples, seed=seed, out=b)
    assert a.getvalue() == b.getvalue()
    assert info.triples >= triples and a.getvalue().count(" .\n") == info.triples
    for anchor in (HUB, SECOND, HELD):
        assert f"<{anchor}>" in a.getvalue()


def test_generator_rejects_tiny_sizes():
    """Fewer than 100 triples cannot hold the anchors: a clear error."""
    with pytest.raises(ValueError, match="at least 100"):
        generate(10, out=io.StringIO())


def test_cli_generate_writes_the_file(tmp_path: Path):
    """`bench generate` writes N-Triples and says how much."""
    target = tmp_path / "g.nt"
    result = CliRunner().invoke(app, ["bench", "generate", "--triples", "500", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "triples" in result.output and target.read_text().count(" .\n") >= 500


def test_a_query_past_its_time_limit_is_killed_and_recorded_as_timeout():
    """A measured run that overruns its limit is stopped in its child: "timeout", no hang."""
    import time

    def slow() -> dict:
        runner._mark()
        time.sleep(30)
        return {"seconds": 30}

    start = time.monotonic()
    assert runner._in_fork(slow, 0.5) == {"result": "timeout", "limit": 0.5}
    assert time.monotonic() - start < 10
    assert runner._in_fork(lambda: {"seconds": 0.0}, 5) == {"seconds": 0.0}


@pytest.mark.slow
def test_generated_graph_builds_and_conforms(results: dict):
    """The project's own build (SHACL shapes included) accepts the generated graph."""
    size = results["sizes"][runner.size_name(SIZE)]
    assert size["build"]["error"] is None
    assert size["build"]["claims"] > 50
    assert size["validate"]["violations"] == 0


@pytest.mark.slow
def test_every_library_query_is_measured_three_ways(results: dict):
    """Each library query has a project time, a bare-pyoxigraph time and an rdflib result."""
    size = results["sizes"][runner.size_name(SIZE)]
    library = [name for name, _, _, lib in runner.bench_queries() if lib]
    assert len(library) >= 13
    for name in library:
        assert "project" in size["queries"][name] and "floor" in size["queries"][name], name
        assert size["rdflib"][name].get("seconds") or size["rdflib"][name].get("result"), name
        assert size["queries"][name]["rows"] == size["queries"][name]["project_rows"], name


@pytest.mark.slow
def test_every_figure_is_there(figures: dict):
    """Every figure of the summary table is measured (browser and Virtuoso ones below)."""
    missing = [
        key
        for _, key, _, _ in report.FIGURES
        if key not in NEEDS_BROWSER | NEEDS_VIRTUOSO and figures.get(key) is None
    ]
    assert missing == []


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_BROWSER, reason=f"{runner.CHROMIUM} is not installed")
def test_first_render_is_measured_in_chromium(figures: dict):
    """Both pages reach their first full render in headless Chromium."""
    assert isinstance(figures["render_ours"], float), figures["render_ours"]
    assert figures["render_pyvis"] is not None
    assert figures["render_nodes"] > 0


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_VIRTUOSO, reason="virtuoso-opensource is not installed")
def test_endpoint_is_compared_with_virtuoso(figures: dict):
    """Virtuoso answers on loopback and the library queries' latencies are compared."""
    assert figures["virtuoso_skipped"] is None
    assert figures["endpoint_compared"] >= 10
    assert figures["endpoint_ratio_median"] is not None


@pytest.mark.slow
def test_markdown_table_names_every_figure(results: dict):
    """The markdown report carries a row per figure and a row per query."""
    text = report.markdown(results)
    for label, _, _, _ in report.FIGURES:
        assert f"| {label} |" in text
    for name, _, _, _ in runner.bench_queries():
        assert f"| {name} |" in text


def test_a_wrong_answer_from_virtuoso_counts_as_a_failure_not_a_ratio():
    """Virtuoso answering fast with fewer rows is no answer: not compared, counted, shown."""
    size = {
        "queries": {
            "q1": {"library": True, "project": 0.1, "floor": 0.1, "rows": 7},
            "q2": {"library": True, "project": 0.1, "floor": 0.1, "rows": 3},
        },
        "endpoint": {
            "ours": {"q1": {"p50": 0.2, "rows": 7}, "q2": {"p50": 0.2, "rows": 3}},
            "virtuoso": {"q1": {"p50": 0.001, "rows": 1}, "q2": {"p50": 0.4, "rows": 3}},
        },
    }
    figures = report.summary(size)
    assert figures["virtuoso_errors"] == 1
    assert figures["endpoint_compared"] == 1 and figures["endpoint_ratio_median"] == 0.5
    text = report.markdown({"machine": {}, "repeat": 1, "sizes": {"tiny": size}})
    assert "(wrong: 1 rows of 7)" in text


def test_a_pyvis_render_past_the_limit_gives_a_lower_bound():
    """pyvis's page not drawn within the limit: the speed-up reads "≥ limit / ours"."""
    size = {"views": {"render": {"ours": 2.0, "pyvis": "timeout", "limit": 180.0}}}
    assert report.summary(size)["render_speedup"] == "≥ 90x"
    size["views"]["render"]["pyvis"] = 40.0
    assert report.summary(size)["render_speedup"] == 20.0
