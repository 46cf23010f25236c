"""The wheel carries ontology/, graph/ and queries/: build it, install it apart, use it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | os.PathLike[str], cwd: Path, env: dict[str, str] | None = None):
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from the checkout without network access (no build isolation)."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, cwd=ROOT)
    (built,) = out.glob("automaker_kg-*.whl")
    return built


@pytest.mark.slow
def test_wheel_holds_the_data_folders(wheel):
    """Every ontology, graph and query file is inside the package as automaker_kg/data/."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "graph", "queries"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                member = f"automaker_kg/data/{path.relative_to(ROOT).as_posix()}"
                assert member in names, member
    assert "automaker_kg/py.typed" in names
    assert "automaker_kg/cli.py" in names


@pytest.mark.slow
def test_wheel_installs_and_builds_outside_the_checkout(wheel, tmp_path):
    """In a fresh venv outside the checkout: build, stats, and a stored query work."""
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(
        sys.executable, "-m", "pip", "--python", python, "install",
        "--no-deps", "--no-index", "--quiet", wheel, cwd=tmp_path,
    )  # fmt: skip
    # the dependencies come from the checkout's venv, so no network is needed
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).stdout.strip()
    )
    (site / "zz_checkout_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "AUTOMAKER_KG"))}
    env.update({"NO_COLOR": "1", "COLUMNS": "200", "PYTHONWARNINGS": "ignore"})
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = run(
        python, "-c", "import automaker_kg.paths as p; print(p.data_dir())", cwd=work, env=env
    ).stdout.strip()
    assert Path(where).is_relative_to(site), where  # the wheel's data, not the checkout's

    script = venv / "bin" / "automaker-kg"
    store = tmp_path / "store"
    built = run(script, "build", "--store", store, cwd=work, env=env)
    assert "claims" in built.stdout
    stats = run(script, "stats", "--store", store, cwd=work, env=env)
    assert "akg:EquityStake" in stats.stdout

    commands = run(script, "--help", cwd=work, env=env).stdout
    if re.search(r"^[\s\u2502]*query\s", commands, re.M):  # once the query command exists
        answer = run(
            script,
            "query",
            "claims-by-status",
            cwd=work,
            env={**env, "AUTOMAKER_KG_STORE": str(store)},
        )
        assert "OfficialStatement" in answer.stdout or "official" in answer.stdout.lower()
