"""Shared fixtures: the checkout's data, a store built once per session, a CLI runner.

``cli`` runs a command in this process (click's test runner: the same ``main``, the same
exit codes and output streams, without starting an interpreter); ``cli_process`` runs the
installed ``automaker-kg`` script in a subprocess, for the few end-to-end tests that need
a real process (the console script itself, a child killed at its deadline).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from automaker_kg.build import BuildReport, build

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

# The tests' Virtuoso servers (scripts/virtuoso.sh) hold a few thousand triples: 20,000 page
# buffers (160 MB) rather than two thirds of the machine's free memory (gigabytes to allocate
# and touch at each start). A value set outside the tests is kept.
os.environ.setdefault("VIRTUOSO_BUFFERS", "20000")


#: The modules that take longest (browsers, Virtuoso, whole builds and validations), longest
#: first. ``make test`` runs two workers with ``--dist loadscope --no-loadscope-reorder``:
#: each worker takes whole modules in collection order, so these start first and the short
#: modules fill in behind them, instead of one long module starting last and running alone
#: (xdist's default order is by number of tests).
LONGEST_FIRST = (
    "tests/test_bench.py",
    "tests/test_server_virtuoso.py",
    "tests/test_incremental.py",
    "tests/test_import_compose.py",
    "tests/test_draft.py",
    "tests/test_shacl_sparql_rewrites.py",
    "tests/test_views_browser.py",
    "tests/test_articles.py",
    "tests/test_wheel.py",
    "tests/test_notebook.py",
    "tests/test_cache.py",
    "tests/test_endpoint_cache.py",
    "tests/test_factsheet.py",
    "tests/test_import_bods.py",
    "tests/test_queries.py",
    "tests/test_server_load.py",
    "tests/test_resolve_scale.py",
    "tests/test_import_registers.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Collect :data:`LONGEST_FIRST` first, in that order; every other test as it was."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@dataclass(frozen=True)
class CliResult:
    """What one run of the real ``automaker-kg`` command printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


def cli_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).parent / "automaker-kg"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "automaker_kg.cli"]


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(SRC) + os.pathsep + env.get("PYTHONPATH", ""),
            "NO_COLOR": "1",
            "TERM": "dumb",
            "COLUMNS": "200",
            "PYTHONWARNINGS": "ignore",
        }
    )
    env.update(extra)
    return env


def run_cli(
    *args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = 300
) -> CliResult:
    """Run ``automaker-kg ARGS`` in a subprocess (as a user would) and capture its output."""
    proc = subprocess.run(
        [*cli_command(), *map(str, args)],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


#: What the CLI sees in every test run, in process or not: no colours, 200 columns.
CLI_WIDTH = 200


def invoke_cli(*args: str | os.PathLike[str], cwd: Path | None = None) -> CliResult:
    """Run ``automaker-kg ARGS`` in this process through :func:`automaker_kg.cli.main`.

    Output goes to click's capturing streams; the CLI's consoles are as wide as in
    :func:`run_cli` and warnings are ignored as there (``PYTHONWARNINGS=ignore``).
    """
    from rich.console import Console

    from automaker_kg import cli as cli_module

    env = {"NO_COLOR": "1", "COLUMNS": str(CLI_WIDTH), "TERM": "dumb"}
    consoles = [c for c in vars(cli_module).values() if isinstance(c, Console)]
    widths = [c._width for c in consoles]
    code = 0
    with contextlib.ExitStack() as stack:
        streams = stack.enter_context(CliRunner().isolation(env=env))
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        for console in consoles:
            console.width = CLI_WIDTH
        try:
            cli_module.main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            for console, width in zip(consoles, widths, strict=True):
                console._width = width
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = (s.getvalue().decode("utf-8", "replace") for s in streams[:2])
    return CliResult(code, stdout, stderr)


def copy_data(dest: Path) -> Path:
    """Copy the checkout's ontology/, graph/ and queries/ into ``dest`` and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "graph", "queries"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The checkout: the folder holding ontology/, graph/ and queries/."""
    return ROOT


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the checkout's data, free to break."""
    return copy_data(tmp_path / "data")


def build_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, data: Callable[[Path], Path]
) -> BuildReport:
    """A build made once for the whole test run, shared by its xdist workers (read only).

    The first worker to get here copies or names the data (``data(folder)``) and builds
    into ``<the run's temporary folder>/<name>/kg`` under a lock; the others wait for it
    and read its report (a session fixture of each worker would build the same store).
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / name
    folder.mkdir(exist_ok=True)
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        saved = folder / "report.pickle"
        if saved.exists():
            return pickle.loads(saved.read_bytes())
        report = build(folder / "kg", data_dir=data(folder))
        saved.write_bytes(pickle.dumps(report))
    return report


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> BuildReport:
    """The report of one build of the checkout's data into a run-wide temporary store."""
    return build_once(tmp_path_factory, "store", lambda _: data_dir)


@pytest.fixture(scope="session")
def built_store(built: BuildReport) -> Path:
    """The folder of a store built once per session from the checkout's data (do not write)."""
    return built.generation.parent.parent


def copy_seed_data(dest: Path) -> Path:
    """Copy ontology/, queries/ and only the seed article's graph (entities + seed/) to ``dest``.

    Tests that assert the seed article's answers exactly use this, so that later sources
    (articles, imports) do not change what they check.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, dest / name)
    (dest / "graph").mkdir()
    shutil.copy2(ROOT / "graph" / "entities.ttl", dest / "graph" / "entities.ttl")
    shutil.copytree(ROOT / "graph" / "seed", dest / "graph" / "seed")
    return dest


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once per run from the seed article's graph alone (do not write)."""
    report = build_once(tmp_path_factory, "seed", lambda f: copy_seed_data(f / "data"))
    return report.generation.parent.parent


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """A private copy of the ontology, the queries and the seed article's graph, free to break.

    For tests of what a build or a check does with one bad file: a few seconds a build
    where the whole checkout takes several times as long.
    """
    return copy_seed_data(tmp_path / "data")


@pytest.fixture(scope="session")
def cli():
    """Run an ``automaker-kg`` command in this process: ``cli("stats", "--store", path)``."""
    return invoke_cli


@pytest.fixture(scope="session")
def cli_process():
    """Run the real ``automaker-kg`` script in a subprocess, as a user would."""
    return run_cli


@contextlib.contextmanager
def untraced() -> Iterator[None]:
    """Run the block with coverage's tracer paused, when the run measures coverage.

    For the reference a test compares against (a full build beside a rebuild, the exhaustive
    queries beside the fast paths, the resolver beside its index), whose code other tests
    measure: under Python 3.11's tracer every line of Python, the libraries' included, runs
    about twice as slowly. What the test asserts is unchanged. Only coverage's tracer is
    paused (``sys.settrace``: no cost at each pause, unlike ``Coverage.stop``/``start``).
    """
    tracer = sys.gettrace()
    if tracer is None or not type(tracer).__module__.startswith("coverage"):
        yield
        return
    sys.settrace(None)
    try:
        yield
    finally:
        sys.settrace(tracer)
