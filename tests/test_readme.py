"""The README cannot go stale: its commands exist, its queries exist, its examples run."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from automaker_kg.cli import app
from automaker_kg.queries import library

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> set[str]:
    import typer.main

    group = typer.main.get_command(app)
    return set(group.commands)


def test_readme_names_only_commands_that_exist():
    used = set(re.findall(r"automaker-kg ([a-z][a-z-]+)", README))
    assert used, "the README shows no command"
    assert used <= _commands(), used - _commands()


def test_every_command_is_in_the_readme():
    """Each command is documented (datasette's rule): new commands get a line in the README."""
    missing = {
        c for c in _commands() if f"automaker-kg {c}" not in README and f"`{c}`" not in README
    }
    assert not missing, missing


def test_readme_queries_exist():
    names = set(re.findall(r"automaker-kg query ([a-z-]+)", README))
    assert names and names <= set(library())


def test_readme_has_exactly_the_two_setup_commands():
    block = re.search(r"## Two commands\n.*?```sh\n(.*?)```", README, re.S)
    assert block
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_readme_tour_runs(cli, built_store):
    """The tour's commands answer as the README shows (on the built store)."""
    stakes = cli("query", "stakes-as-of", "-p", "as_of=2023-03-01", "--store", built_store)
    assert stakes.exit_code == 0 and "43" in stakes.stdout
    path = cli("path", "Aramco", "Nissan", "--store", built_store)
    assert path.exit_code == 0
    assert "Aramco" in path.stdout and "Nissan" in path.stdout and "%" in path.stdout
    owned = cli("ownership", "--as-of", "2023-03-01", "--store", built_store)
    assert owned.exit_code == 0 and "integrated" in owned.stdout
    shares = cli("shares", "Nissan", "--store", built_store)
    assert shares.exit_code == 0 and "withholds" in shares.stdout


def test_readme_images_exist():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).is_file(), image


def test_git_tracks_no_build_output():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    assert not [f for f in tracked if f.startswith((".automaker-kg/", "site/", ".venv/"))]
