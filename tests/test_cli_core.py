"""The core commands of the real ``automaker-kg`` script: build, validate, export, stats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from automaker_kg.store import current_generation, open_store


def no_traceback(text: str) -> bool:
    return "Traceback" not in text and 'File "' not in text


def test_help_lists_the_core_commands(cli_process):
    """--help lists build, validate, export and stats (the installed script, end to end)."""
    result = cli_process("--help")
    assert result.exit_code == 0
    for command in ("build", "validate", "export", "stats"):
        assert command in result.stdout


@pytest.fixture(scope="module")
def cli_store(built_store) -> Path:
    """The session's store (the build command itself: test_build_command_end_to_end)."""
    return built_store


def test_build_command_end_to_end(cli_process, tmp_path):
    """The real script builds a store (the seed article's data) and says what it holds."""
    from conftest import copy_seed_data

    data = copy_seed_data(tmp_path / "data")
    store = tmp_path / "kg"
    result = cli_process("build", "--store", store, "--data-dir", data)
    assert result.exit_code == 0, result.stderr
    assert "claims" in result.stdout
    stats = cli_process("stats", "--store", store)
    assert stats.exit_code == 0, stats.stderr
    assert "akg:EquityStake" in stats.stdout


def test_build_then_stats(cli, cli_store):
    """stats reports classes, claims by status and the source documents."""
    result = cli("stats", "--store", cli_store)
    assert result.exit_code == 0, result.stderr
    assert "akg:EquityStake" in result.stdout
    assert "akg:OfficialStatement" in result.stdout
    assert "sha256:" in result.stdout


def test_stats_without_a_store_says_to_build(cli, tmp_path):
    """stats on a folder with no store exits 3 and tells to run the build."""
    result = cli("stats", "--store", tmp_path / "none")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: no store at ")
    assert "automaker-kg build" in result.stderr
    assert no_traceback(result.stderr)


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("nt", "nt")])
def test_export_to_stdout(cli, cli_store, fmt, parser):
    """export writes parsable RDF to stdout."""
    result = cli("export", "--format", fmt, "--store", cli_store)
    assert result.exit_code == 0, result.stderr
    assert len(Graph().parse(data=result.stdout, format=parser)) > 100


def test_export_to_file(cli, cli_store, tmp_path):
    """export --output writes the file and nothing to stdout."""
    target = tmp_path / "kg.jsonld"
    result = cli("export", "--format", "jsonld", "--output", target, "--store", cli_store)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert isinstance(json.loads(target.read_text(encoding="utf-8")), list)


def test_export_unknown_format(cli, cli_store):
    """An unknown export format exits 2 and lists the valid ones."""
    result = cli("export", "--format", "xml", "--store", cli_store)
    assert result.exit_code == 2
    assert "valid: jsonld, nt, trig, ttl" in result.stderr
    assert no_traceback(result.stderr)


def test_validate_project_conforms(cli):
    """validate with no files checks the project's data: it conforms."""
    result = cli("validate")
    assert result.exit_code == 0, result.stderr
    assert "conforms" in result.stdout


GOOD = Path(__file__).parent / "shapes" / "valid" / "equity-stake-exact.ttl"
BAD = Path(__file__).parent / "shapes" / "invalid" / "holder-is-target.ttl"


def test_validate_given_files(cli, tmp_path):
    """validate FILES: 0 when they conform, 1 naming focus and rule, 2 when unreadable."""
    assert cli("validate", GOOD).exit_code == 0
    bad = cli("validate", BAD)
    assert bad.exit_code == 1
    assert "claim:s1: [HolderIsNotTarget]" in bad.stderr
    assert str(BAD) in bad.stderr
    missing = cli("validate", tmp_path / "missing.ttl")
    assert missing.exit_code == 2
    assert "missing.ttl" in missing.stderr and no_traceback(missing.stderr)


def test_malformed_turtle_exit_2_and_store_unchanged(cli, small_data, tmp_path):
    """A malformed file: exit 2, file:line on stderr, no traceback, the store as it was."""
    data_copy = small_data
    store = tmp_path / "kg"
    assert cli("build", "--store", store, "--data-dir", data_copy).exit_code == 0
    generation, quads = current_generation(store), len(open_store(store))
    victim = sorted((data_copy / "graph").rglob("*.ttl"))[-1]
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text + "\nthis is not turtle .\n", encoding="utf-8")
    line = text.count("\n") + 2
    result = cli("build", "--store", store, "--data-dir", data_copy)
    assert result.exit_code == 2
    name = victim.relative_to(data_copy).as_posix()
    assert f"error: {name}:{line}: " in result.stderr
    assert no_traceback(result.stderr)
    assert current_generation(store) == generation
    assert len(open_store(store)) == quads


def test_violation_exit_1_names_focus_and_rule(cli_process, small_data, tmp_path):
    """A SHACL violation: exit 1, focus node, rule and file on stderr; the store as it was.

    End to end (the installed script): the exit code is the process's own.
    """
    cli, data_copy = cli_process, small_data
    store = tmp_path / "kg"
    assert cli("build", "--store", store, "--data-dir", data_copy).exit_code == 0
    generation = current_generation(store)
    bad = data_copy / "graph" / "zz-bad.ttl"
    bad.write_text(BAD.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("build", "--store", store, "--data-dir", data_copy)
    assert result.exit_code == 1
    assert "claim:s1: [HolderIsNotTarget]" in result.stderr
    assert "(graph/zz-bad.ttl)" in result.stderr
    assert no_traceback(result.stderr)
    assert current_generation(store) == generation


def test_unknown_command_is_a_usage_error(cli_process):
    """An unknown command exits 2 with a usage message, not a traceback."""
    result = cli_process("no-such-command")
    assert result.exit_code == 2
    assert no_traceback(result.stderr)


HEAVY = (
    "rdflib",
    "pyshacl",
    "pyvis",
    "scipy",
    "numpy",
    "networkx",
    "jinja2",
    "pyoxigraph",
    "pydantic",
)


def test_help_imports_nothing_heavy():
    """`--help` (and a command's --help) loads none of the graph, validation or view libraries."""
    import subprocess
    import sys

    from conftest import cli_env

    code = (
        "import sys\n"
        "from automaker_kg.cli import main\n"
        "for args in (['--help'], ['query', '--help'], ['build', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print('loaded:', *sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "loaded:"
