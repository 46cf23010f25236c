"""Commands on a generated store, timed as a user runs them: each a fresh ``automaker-kg``
process (imports, opening the store and its cache, resolving names, printing the table).

The names are drawn from the store itself, untimed: the holder with the most stakes on the
day (the heaviest ``ownership --holder``), a seeded pair of companies for ``path`` (its hop
count reported), that holder's name for ``query stakes-in-company``, and a misspelling of it
(one letter dropped) for the error with suggestions. CPU (user + system of the process) and
wall time are medians of ``repeat`` runs after one warm-up run, beside the targets of issue 16
(at 1M triples: ``path`` <= 1 s, ``ownership --holder`` <= 2 s, ``query -p company=<name>``
<= 0.5 s, a misspelled name <= 0.5 s); the machine's load is recorded at the start and end.

The package's bytecode is compiled first, untimed, as pip compiles an installed package's
(:func:`~automaker_kg.bench.cli_startup.compile_package`): a checkout run with
``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module of the project in every
process, which no user's process does.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
from pathlib import Path
from typing import Any

from automaker_kg.bench.cli_startup import compile_package, measure

__all__ = ["DAY", "pick_names", "run_commands", "markdown_rows"]

#: The day ``ownership --as-of`` is asked about (inside the generated graph's years).
DAY = "2015-01-01"


def pick_names(store: str | os.PathLike[str], seed: int = 7) -> dict[str, Any]:
    """The names the commands are run with, read from the store's cache (untimed)."""
    from automaker_kg.analytics import resolve_entity
    from automaker_kg.cache import open_cache

    kept = open_cache(store)
    if kept is None:
        raise RuntimeError(f"{store}: no cache in the current generation")
    owned = kept.project("ownership", as_of=DAY)
    holder = max(owned, key=lambda n: (owned.out_degree(n), str(n)))
    everything = kept.project("all")
    companies = sorted(
        n for n in everything if everything.nodes[n]["kind"] in ("automaker", "company")
    )
    draw = random.Random(seed)

    def usable(graph: Any, node: Any) -> str | None:
        label = str(graph.nodes[node]["label"])
        try:
            return label if resolve_entity(graph, label) == node else None
        except Exception:  # noqa: BLE001 - an ambiguous label: not typed by a user
            return None

    a = b = None
    while a is None or b is None or a == b:
        a, b = (usable(everything, n) for n in draw.sample(companies, 2))
    name = usable(owned, holder) or str(holder)
    middle = len(name) // 2
    hops = _hops(everything, a, b)
    return {
        "holder": name,
        "holder_stakes": owned.out_degree(holder),
        "path": [a, b],
        "path_hops": hops,
        "misspelled": name[:middle] + name[middle + 1 :],
    }


def _hops(G: Any, a: str, b: str) -> int | None:
    from automaker_kg.analytics import linking_paths, resolve_entity

    found = linking_paths(G, resolve_entity(G, a), resolve_entity(G, b), k=1, max_hops=6)
    return len(found[0]) if found else None


def rows(names: dict[str, Any]) -> list[tuple[str, list[str], float | None, int]]:
    """``(label, arguments, target seconds or None, expected exit code)`` of each timed
    command (the whole table's first page has no target in issue 16: it is timed to show
    that it pages instead of building every pair)."""
    a, b = names["path"]
    wrong = names["misspelled"]
    return [
        (f"path {a} {b}", ["path", a, b], 1.0, 0),
        (
            f"ownership --as-of {DAY} --holder {names['holder']}",
            ["ownership", "--as-of", DAY, "--holder", names["holder"]],
            2.0,
            0,
        ),
        (
            f"ownership --as-of {DAY} (first page of the whole table)",
            ["ownership", "--as-of", DAY],
            None,
            0,
        ),
        (
            f"query stakes-in-company -p company={names['holder']}",
            ["query", "stakes-in-company", "-p", f"company={names['holder']}"],
            0.5,
            0,
        ),
        (
            f"query stakes-in-company -p company={wrong} (misspelled)",
            ["query", "stakes-in-company", "-p", f"company={wrong}"],
            0.5,
            2,
        ),
        (f"path {wrong} {b} (misspelled)", ["path", wrong, b], 0.5, 2),
    ]


def run_commands(
    store: str | os.PathLike[str], repeat: int = 3, seed: int = 7, log: Any = print
) -> dict[str, Any]:
    """Time each command of :func:`rows` on ``store``; the figures as plain data."""
    names = pick_names(store, seed)
    log(f"commands: {names}")
    cli = Path(sys.executable).with_name("automaker-kg")
    env = dict(os.environ, AUTOMAKER_KG_STORE=str(Path(store).resolve()))
    compile_package()  # as installed: no process compiles the project's modules
    load_start = os.getloadavg()
    out = []
    for label, args, target, expected in rows(names):
        cpu, wall, codes, last = [], [], [], ""
        for run in range(repeat + 1):
            c, w, code, last = measure([str(cli), *args], env)
            if run:
                cpu.append(c)
                wall.append(w)
                codes.append(code)
        out.append(
            {
                "label": label,
                "target": target,
                "cpu": statistics.median(cpu),
                "wall": statistics.median(wall),
                "exits": codes,
                "expected_exit": expected,
                "ok": all(code == expected for code in codes),
                "last_stderr": last,
            }
        )
        log(f"commands: {out[-1]}")
    return {
        "names": names,
        "rows": out,
        "load_start": list(load_start),
        "load_end": list(os.getloadavg()),
    }


def markdown_rows(size: str, result: dict[str, Any]) -> list[str]:
    """The commands' table for one size (empty without results)."""
    if not result or "rows" not in result:
        return [] if not result else ["", f"Commands at {size}: {result.get('error', '?')}"]
    names = result["names"]
    load = " / ".join(" ".join(f"{v:.2f}" for v in result[k]) for k in ("load_start", "load_end"))
    lines = [
        "",
        f"### {size} triples: commands as a user runs them (a fresh process each)",
        "",
        f"Machine load (1, 5, 15 min) at the start / end: {load}. The holder has "
        f"{names['holder_stakes']} stakes on {DAY}; the path pair is {names['path_hops']} "
        "hops apart (– none within 6).",
        "",
        "| command | CPU | wall | target (whole process) | verdict |",
        "|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        verdict = (
            f"failed (exit {row['exits']}): {row['last_stderr'][:60]}"
            if not row["ok"]
            else "–"
            if row["target"] is None
            else ("met" if row["cpu"] <= row["target"] else "missed")
        )
        target = "–" if row["target"] is None else f"≤ {row['target']:g} s"
        lines.append(
            f"| `{row['label']}` | {row['cpu']:.2f} s | {row['wall']:.2f} s "
            f"| {target} | {verdict} |"
        )
    lines.append("")
    lines.append(
        "Verdicts are on CPU time; wall time depends on the machine's load. The package's "
        "bytecode was compiled before the runs, as pip compiles an installed package's."
    )
    return lines


if __name__ == "__main__":  # python -m automaker_kg.bench.commands STORE [REPEAT]
    import json

    if len(sys.argv) < 2:
        sys.exit("usage: python -m automaker_kg.bench.commands STORE [REPEAT]")
    result = run_commands(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    print("\n".join(markdown_rows(Path(sys.argv[1]).name, result)))
    print(json.dumps(result, indent=1), file=sys.stderr)
