"""``make bench-cli``: what a user waits for when running a command on the shipped graph.

Each command runs as its own process, exactly as typed in a shell (the venv's
``automaker-kg`` script), beside a baseline process that only imports what any command
needs (``python -c "import pyoxigraph, typer, rich.table"``), in the same rounds
(interleaved, so a change of machine load hits both alike). CPU time (user + system, read
with ``os.wait4``) and wall time are the medians over the rounds; each command's figure is
given as a multiple of the baseline's beside its target (``--help`` ≤ 3x, every other
command ≤ 4x). The verdict is on CPU time; wall time is shown too, as it depends on the
machine's load (recorded at the start and the end). A command that exits non-zero is
reported as failed, never timed.

The store is built once, untimed, from the project's data into ``--store``, and the
package's bytecode is compiled once, untimed, as an installed package's is (pip compiles it):
a checkout run with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module of the
project on every run, which the baseline (compiled site-packages) never does.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import automaker_kg
from automaker_kg.children import Child

__all__ = [
    "COMMANDS",
    "BASELINE",
    "Timing",
    "compile_package",
    "measure",
    "run_rounds",
    "table",
    "main",
]

#: ``(label, arguments of automaker-kg, target multiple of the baseline)``.
COMMANDS: list[tuple[str, list[str], float]] = [
    ("--help", ["--help"], 3.0),
    ("stats", ["stats"], 4.0),
    ("query cross-holdings", ["query", "cross-holdings"], 4.0),
    ("facts Nissan", ["facts", "Nissan"], 4.0),
    ("path Aramco Nissan", ["path", "Aramco", "Nissan"], 4.0),
    ("ownership --as-of 2024-01-01", ["ownership", "--as-of", "2024-01-01"], 4.0),
]
#: What every command needs at the least: the store, the command line, a table.
BASELINE = "import pyoxigraph, typer, rich.table"


@dataclass
class Timing:
    """One command's runs: CPU and wall seconds of each, and its exit codes."""

    label: str
    target: float | None = None
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    exits: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.exits) and all(code == 0 for code in self.exits)

    def median(self, kind: str) -> float | None:
        values = getattr(self, kind)
        return statistics.median(values) if values else None


def compile_package() -> None:
    """Compile the package's bytecode, as pip does when it installs the wheel: a checkout
    run with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module of the
    project in every process (up-to-date files are left as they are)."""
    compileall.compile_dir(Path(automaker_kg.__file__).parent, quiet=1)


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """Run ``argv`` to its end: ``(cpu seconds, wall seconds, exit code, last stderr line)``.

    >>> cpu, wall, code, _ = measure([sys.executable, "-c", "pass"])
    >>> code, cpu >= 0, wall > 0
    (0, True, True)
    """
    start = time.perf_counter()
    child = Child.spawn(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env
    )
    assert child.stderr is not None
    err = child.stderr.read()  # drained, so a chatty command never blocks on a full pipe
    child.stderr.close()
    code = child.wait()
    wall = time.perf_counter() - start
    assert code is not None and child.cpu_seconds is not None
    last = err.decode(errors="replace").strip().splitlines()[-1:] or [""]
    return child.cpu_seconds, wall, code, last[0][:200]


def run_rounds(
    commands: list[tuple[str, list[str], float]],
    baseline: list[str],
    rounds: int,
    env: dict[str, str] | None = None,
) -> tuple[Timing, list[Timing]]:
    """``rounds`` rounds of the baseline then every command (after one untimed warm-up
    round, which fills the file cache); the baseline's and each command's timings."""
    base = Timing("baseline: " + " ".join(baseline[-2:]))
    timings = [Timing(label, target) for label, _, target in commands]
    for round_ in range(rounds + 1):
        for timing, argv in [
            (base, baseline),
            *zip(timings, [c[1] for c in commands], strict=True),
        ]:
            cpu, wall, code, last = measure(argv, env)
            if round_ == 0:
                continue
            timing.exits.append(code)
            if code == 0:
                timing.cpu.append(cpu)
                timing.wall.append(wall)
            else:
                timing.error = last
    return base, timings


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def table(base: Timing, timings: list[Timing]) -> str:
    """The rows as markdown, each command's CPU and wall beside the baseline's and its target."""
    b_cpu, b_wall = base.median("cpu"), base.median("wall")
    lines = [
        "| command | CPU | CPU / baseline | wall | wall / baseline | target (CPU) | verdict |",
        "|---|---|---|---|---|---|---|",
        f"| `{BASELINE}` (baseline) | {_cell(b_cpu)} | 1x | {_cell(b_wall)} | 1x | | |",
    ]
    for t in timings:
        if not t.ok:
            code = next((c for c in t.exits if c != 0), "?")
            lines.append(
                f"| `{t.label}` | failed (exit {code}): {t.error[:80]} | | | | ≤ {t.target:g}x | "
                "failed |"
            )
            continue
        cpu, wall = t.median("cpu"), t.median("wall")
        rc = cpu / b_cpu if cpu is not None and b_cpu else None
        rw = wall / b_wall if wall is not None and b_wall else None
        verdict = "–" if rc is None or t.target is None else ("met" if rc <= t.target else "missed")
        lines.append(
            f"| `{t.label}` | {_cell(cpu)} | {rc:.1f}x | {_cell(wall)} | {rw:.1f}x "
            f"| ≤ {t.target:g}x | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--store", default="bench-results/cli-store", help="store to build/use")
    parser.add_argument("--out", default="bench-results", help="folder for cli.json and cli.md")
    args = parser.parse_args(argv)
    cli = Path(sys.executable).with_name("automaker-kg")
    env = dict(os.environ, AUTOMAKER_KG_STORE=str(Path(args.store).resolve()))
    load_start = os.getloadavg()
    compile_package()
    built = subprocess.run([str(cli), "build"], env=env, capture_output=True, text=True)
    if built.returncode != 0:
        print(f"build failed: {built.stderr.strip()[-500:]}", file=sys.stderr)
        return built.returncode
    commands = [(label, [str(cli), *rest], target) for label, rest, target in COMMANDS]
    base, timings = run_rounds(commands, [sys.executable, "-c", BASELINE], args.rounds, env)
    load_end = os.getloadavg()
    cores = os.cpu_count()
    text = "\n".join(
        [
            "## Commands on the shipped graph (make bench-cli)",
            "",
            f"Medians of {args.rounds} rounds after a warm-up round, {cores} cores; machine load "
            f"(1, 5, 15 min) at the start {' '.join(f'{v:.2f}' for v in load_start)}, at the end "
            f"{' '.join(f'{v:.2f}' for v in load_end)}.",
            "",
            table(base, timings),
            "",
        ]
    )
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "cli.md").write_text(text)
    document = {
        "rounds": args.rounds,
        "load_start": load_start,
        "load_end": load_end,
        "baseline": asdict(base),
        "commands": [asdict(t) for t in timings],
    }
    (out / "cli.json").write_text(json.dumps(document, indent=1) + "\n")
    return 0 if all(t.ok for t in timings) else 1


if __name__ == "__main__":
    sys.exit(main())
