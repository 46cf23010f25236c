"""The benchmark's results as markdown: a summary table with the targets, then per query.

>>> text = markdown({"machine": {}, "repeat": 1, "sizes": {}})
>>> text.splitlines()[0]
'## Benchmark'
"""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Iterable
from typing import Any

__all__ = ["machine", "markdown", "summary", "FIGURES"]


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import pyoxigraph
    import rdflib

    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):  # pragma: no cover - not Linux
        memory = None
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory, 1) if memory else None,
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "platform": platform.platform(),
    }


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def _ratio(a: Any, b: Any) -> float | None:
    a, b = _num(a), _num(b)
    return a / b if a is not None and b else None


def _wrong(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Another engine answered otherwise than the project did: another number of rows, or
    other rows (their canonical forms' digests differ, :mod:`automaker_kg.bench.answers`).

    >>> _wrong({"rows": 2, "digest": "a"}, {"rows": 2, "digest": "b"})
    True
    >>> _wrong({"rows": 2, "digest": "a"}, {"rows": 2, "digest": "a"}), _wrong({}, {"rows": 1})
    (False, False)
    """
    if "rows" not in mine or "rows" not in theirs:
        return False
    if mine["rows"] != theirs["rows"]:
        return True
    return bool(mine.get("digest") and theirs.get("digest") and mine["digest"] != theirs["digest"])


def _floor(q: dict[str, Any]) -> dict[str, Any]:
    """Bare pyoxigraph's answer (same text) in the form :func:`_wrong` compares."""
    return {"rows": q.get("floor_rows", q.get("rows")), "digest": q.get("floor_digest")}


def summary(size: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of one size (``None`` where not measured)."""
    out: dict[str, Any] = {"triples": size.get("generated", {}).get("triples")}
    build, floor = size.get("build", {}), size.get("floor", {})
    triples = build.get("triples") or out["triples"]
    out["build_s"] = _num(build.get("seconds"))
    out["build_tps"] = _ratio(triples, build.get("seconds"))
    out["floor_tps"] = _ratio(triples, floor.get("seconds"))
    out["build_vs_floor"] = _ratio(out["build_tps"], out["floor_tps"])
    out["load_vs_floor"] = _ratio(floor.get("seconds"), build.get("load_seconds"))
    out["build_peak_mb"] = _num(build.get("peak_mb"))
    out["build_cpu_s"] = _num(build.get("cpu_seconds"))
    for phase in ("load", "validate", "timeline", "cache"):
        out[f"build_{phase}_s"] = _num(build.get(f"{phase}_seconds"))
    out["validate_s"] = _num(size.get("validate", {}).get("seconds"))
    out["validate_x_load"] = _ratio(out["validate_s"], floor.get("seconds"))
    out["validate_cpu_s"] = _num(size.get("validate", {}).get("cpu_seconds"))
    out["validate_cpu_x_load"] = _ratio(out["validate_cpu_s"], floor.get("cpu_seconds"))
    rebuild = size.get("rebuild", {})
    out["rebuild_s"] = _num(rebuild.get("seconds")) if rebuild.get("incremental") else None
    out["rebuild_cpu_s"] = _num(rebuild.get("cpu_seconds")) if rebuild.get("incremental") else None
    derived = [rebuild.get(f"{phase}_seconds") for phase in ("timeline", "cache")]
    if rebuild.get("incremental"):
        out["rebuild_validate_s"] = _num(rebuild.get("validate_seconds"))
        out["rebuild_derive_s"] = _num(sum(derived)) if None not in derived else None
    queries = size.get("queries", {})
    lib = {k: v for k, v in queries.items() if isinstance(v, dict) and v.get("library")}
    overheads = [
        _ratio(q.get("project"), q.get("floor")) for q in lib.values() if not _wrong(q, _floor(q))
    ]
    out["overhead_median"] = _median(overheads)
    out["overhead_max"] = max((o for o in overheads if o is not None), default=None)
    out["floor_wrong"] = sum(1 for q in lib.values() if _wrong(q, _floor(q)))
    plain, plain_failed, plain_wrong = [], 0, 0
    for q in lib.values():
        sub = q.get("substitutions")
        if not isinstance(sub, dict):
            sub = {}
        if _wrong(q, sub):
            plain_wrong += 1
        elif "seconds" in sub and "project" in q:
            plain.append(_ratio(sub["seconds"], q["project"]))
        elif sub.get("result") in ("timeout", "crash"):
            plain_failed += 1
    out["substitutions_speedup_median"] = _median(plain)
    out["substitutions_speedup_max"] = max((x for x in plain if x is not None), default=None)
    out["substitutions_failed"] = plain_failed if lib else None
    out["substitutions_wrong"] = plain_wrong if lib else None
    out["memory_vs_disk_median"] = _median(
        [_ratio(q.get("project_disk"), q.get("project")) for q in lib.values()]
    )
    out["answered"] = sum(1 for q in lib.values() if "project" in q)
    out["library"] = len(lib)
    rdf = size.get("rdflib", {})
    speedups, walls, timeouts, crashes, wrong = [], [], 0, 0, 0
    for name, q in lib.items():
        r = rdf.get(name, {}) if isinstance(rdf, dict) else {}
        if _wrong(q, r):
            wrong += 1  # a wrong answer is no answer, however fast
        elif "seconds" in r and "project" in q:
            speedups.append(_rdflib_speedup(q, r))
            walls.append(_ratio(r["seconds"], q["project"]))
        elif r.get("result") == "timeout":
            timeouts += 1
        elif r.get("result") == "crash":
            crashes += 1
    measured = bool(rdf) and "skipped" not in rdf and "error" not in rdf
    out["rdflib_speedup_median"] = _median(speedups)
    out["rdflib_speedup_min"] = min((s for s in speedups if s is not None), default=None)
    out["rdflib_speedup_wall_median"] = _median(walls)
    out["rdflib_speedup_wall_min"] = min((s for s in walls if s is not None), default=None)
    out["rdflib_finished"] = len(speedups) if measured else None
    out["rdflib_timeouts"] = timeouts if measured else None
    out["rdflib_crashes"] = crashes if measured else None
    out["rdflib_wrong"] = wrong if measured else None
    analytics = size.get("analytics", {})
    keys: tuple[str, ...] = ("load_memory", "load_memory_first", "load_memory_bare")
    keys += ("projection", "integrated")
    keys += ("integrated_dict", "cross_holdings")
    for key in (*keys, "path", "path_max", "path_hops_median", "path_hops_max", "path_none"):
        out[f"analytics_{key}"] = _num(analytics.get(key))
    out["memory_vs_bulk_load"] = _ratio(
        analytics.get("load_memory_cpu"), analytics.get("load_memory_bare_cpu")
    )
    out["companies"] = analytics.get("companies")
    views = size.get("views", {})
    out["view_nodes"] = views.get("nodes")
    out["view_build_ours"] = _num(views.get("build_ours"))
    out["view_build_pyvis"] = _num(views.get("build_pyvis"))
    out["view_build_speedup"] = _ratio(views.get("build_pyvis"), views.get("build_ours"))
    out["view_layout"] = _num(views.get("layout"))
    with_layout = (
        out["view_build_ours"] + out["view_layout"]
        if out["view_build_ours"] is not None and out["view_layout"] is not None
        else None
    )
    out["view_build_speedup_with_layout"] = _ratio(views.get("build_pyvis"), with_layout)
    render = views.get("render", {}) if isinstance(views.get("render"), dict) else {}
    out["render_nodes"] = views.get("page_nodes")
    out["render_ours"] = render.get("ours")
    out["render_pyvis"] = render.get("pyvis")
    out["render_speedup"] = _ratio(render.get("pyvis"), render.get("ours"))
    if render.get("pyvis") == "timeout" and _num(render.get("limit")) and _num(render.get("ours")):
        # pyvis did not finish within the limit: the limit gives a lower bound
        out["render_speedup"] = f"≥ {render['limit'] / render['ours']:.0f}x"
    out["narrowed"] = views.get("full_narrowed")
    endpoint = size.get("endpoint", {})
    ours, virt = endpoint.get("ours", {}), endpoint.get("virtuoso", {})
    ratios, wins, errors = [], 0, 0
    for name, mine in ours.items():
        if not queries.get(name, {}).get("library"):
            continue
        theirs = virt.get(name, {}) if isinstance(virt, dict) else {}
        if _wrong(mine, theirs):
            errors += 1  # a fast wrong answer is no answer
        elif "p50" in mine and "p50" in theirs:
            ratios.append(mine["p50"] / theirs["p50"])
            wins += mine["p50"] <= theirs["p50"]
        elif "p50" in mine and "error" in theirs:
            errors += 1
    out["endpoint_p50_ours"] = _median([q.get("p50") for q in ours.values() if "p50" in q])
    out["endpoint_p50_virtuoso"] = (
        _median([q.get("p50") for q in virt.values() if isinstance(q, dict) and "p50" in q])
        if isinstance(virt, dict)
        else None
    )
    out["endpoint_ratio_median"] = _median(ratios)
    out["endpoint_ratio_max"] = max(ratios, default=None)
    out["endpoint_wins"] = wins if ratios else None
    out["endpoint_compared"] = len(ratios)
    out["virtuoso_errors"] = errors
    out["virtuoso_skipped"] = virt.get("skipped") if isinstance(virt, dict) else None
    return out


def _fmt(value: Any, kind: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if kind == "x":
        return f"{value:.2f}x" if value < 10 else f"{value:.0f}x"
    if kind == "s":
        return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"
    if kind == "ms":
        return f"{value * 1000:.1f} ms"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "tps":
        return f"{value / 1000:,.0f}k/s" if value >= 10_000 else f"{value:,.0f}/s"
    if kind == "mb":
        return f"{value:,.0f} MB"
    return f"{value:.3g}"


#: (label, key, format, target) rows of the summary table.
FIGURES: list[tuple[str, str, str, str]] = [
    ("triples generated", "triples", "int", ""),
    ("build: time (parse, validate, write)", "build_s", "s", ""),
    ("build: CPU", "build_cpu_s", "s", ""),
    ("build: load step (with the timeline)", "build_load_s", "s", ""),
    ("build: validation step", "build_validate_s", "s", ""),
    ("build: timeline derived", "build_timeline_s", "s", ""),
    ("build: caches and indexes written", "build_cache_s", "s", ""),
    ("build: throughput", "build_tps", "tps", ""),
    ("bare Oxigraph bulk load: throughput", "floor_tps", "tps", ""),
    ("build throughput (with validation) / bulk load", "build_vs_floor", "x", "≥ 0.5x at 1M"),
    ("build's load step throughput / bulk load", "load_vs_floor", "x", "≥ 0.8x"),
    ("build: peak memory", "build_peak_mb", "mb", "≤ 1 GB at 1M"),
    ("validation (shapes as SPARQL)", "validate_s", "s", ""),
    ("validation / bulk-load time", "validate_x_load", "x", "≤ 1x at 1M"),
    ("validation: CPU (all threads)", "validate_cpu_s", "s", ""),
    (
        "validation CPU / bulk-load CPU (same machine load)",
        "validate_cpu_x_load",
        "x",
        "≤ 1x at 1M",
    ),
    ("build after one changed fact sheet (incremental)", "rebuild_s", "s", "≤ 5 s at 1M"),
    ("build after one changed fact sheet: CPU", "rebuild_cpu_s", "s", ""),
    ("build after one changed fact sheet: validation", "rebuild_validate_s", "s", ""),
    (
        "build after one changed fact sheet: timeline, caches, indexes",
        "rebuild_derive_s",
        "s",
        "",
    ),
    ("library queries answered", "answered", "int", "all, at 1M and 5M"),
    ("query overhead vs bare pyoxigraph, median", "overhead_median", "x", "≤ 1.25x"),
    ("query overhead vs bare pyoxigraph, worst", "overhead_max", "x", ""),
    ("queries in memory vs on disk: speed-up, median", "memory_vs_disk_median", "x", ""),
    ("bare pyoxigraph (same text) answering otherwise", "floor_wrong", "int", "0"),
    (
        "speed-up over a plain substitutions= call, median",
        "substitutions_speedup_median",
        "x",
        "",
    ),
    ("speed-up over a plain substitutions= call, most", "substitutions_speedup_max", "x", ""),
    ("plain substitutions= call: timeouts + crashes", "substitutions_failed", "int", ""),
    ("plain substitutions= call answering otherwise", "substitutions_wrong", "int", "0"),
    (
        "speed-up over rdflib in memory (CPU time), median of the queries it finishes",
        "rdflib_speedup_median",
        "x",
        "≥ 20x at 1M",
    ),
    ("speed-up over rdflib in memory (CPU time), least", "rdflib_speedup_min", "x", ""),
    ("speed-up over rdflib in memory (wall time), median", "rdflib_speedup_wall_median", "x", ""),
    ("speed-up over rdflib in memory (wall time), least", "rdflib_speedup_wall_min", "x", ""),
    ("queries rdflib finishes with the same answer", "rdflib_finished", "int", ""),
    ("rdflib timeouts", "rdflib_timeouts", "int", ""),
    ("rdflib crashes", "rdflib_crashes", "int", ""),
    ("rdflib wrong answers", "rdflib_wrong", "int", "0"),
    (
        "store opened in memory, first time (writes its N-Quads snapshot)",
        "analytics_load_memory_first",
        "s",
        "",
    ),
    ("store opened in memory (open_store(memory=True), median)", "analytics_load_memory", "s", ""),
    ("bare bulk load of the same quads into memory, median", "analytics_load_memory_bare", "s", ""),
    ("in-memory open / bare bulk load (CPU, same process)", "memory_vs_bulk_load", "x", "≤ 1.2x"),
    ("ownership projection from the store", "analytics_projection", "s", ""),
    ("integrated ownership, every company (sparse)", "analytics_integrated", "s", "≤ 2 s at 1M"),
    ("the same as a dict of every (holder, target) pair", "analytics_integrated_dict", "s", ""),
    ("cross-holdings (SCCs)", "analytics_cross_holdings", "s", ""),
    ("path between two companies at random, median", "analytics_path", "ms", "≤ 100 ms at 1M"),
    ("path between two companies at random, slowest", "analytics_path_max", "ms", ""),
    ("path: hops, median (of pairs with a path)", "analytics_path_hops_median", "", ""),
    ("path: hops, most", "analytics_path_hops_max", "", ""),
    ("path: pairs without a path", "analytics_path_none", "int", ""),
    ("view: network nodes", "view_nodes", "int", "20k"),
    ("view layout, precomputed in Python (ours)", "view_layout", "s", ""),
    ("view build, positions given (ours)", "view_build_ours", "s", ""),
    ("view build (pyvis add_node/add_edge)", "view_build_pyvis", "s", ""),
    ("view build speed-up", "view_build_speedup", "x", "≥ 8x at 20k nodes"),
    ("view build speed-up, layout included", "view_build_speedup_with_layout", "x", ""),
    ("first full render: nodes", "render_nodes", "int", "5k"),
    ("first full render (ours, physics off)", "render_ours", "s", ""),
    ("first full render (pyvis default)", "render_pyvis", "s", ""),
    ("first full render speed-up", "render_speedup", "x", "≥ 10x"),
    ("whole-graph view narrowed (and says so)", "narrowed", "", "above 1000 entities"),
    ("endpoint p50, median over queries (ours)", "endpoint_p50_ours", "ms", ""),
    ("endpoint p50, median over queries (Virtuoso)", "endpoint_p50_virtuoso", "ms", ""),
    ("endpoint p50 ours / Virtuoso, median", "endpoint_ratio_median", "x", "≤ 1x"),
    ("endpoint p50 ours / Virtuoso, worst", "endpoint_ratio_max", "x", ""),
    ("queries where ours ≤ Virtuoso", "endpoint_wins", "int", "all"),
    ("queries Virtuoso fails or answers wrongly", "virtuoso_errors", "int", ""),
]


def _load(values: Any) -> str:
    """``[1.5, 2.25, 3.0]`` -> ``1.50 2.25 3.00`` (``?`` when not recorded)."""
    if not isinstance(values, list | tuple) or not values:
        return "?"
    return " ".join(f"{v:.2f}" for v in values)


def _rdflib_speedup(q: dict[str, Any], r: dict[str, Any]) -> float | None:
    """rdflib's time over the project's: CPU time when both were measured so (on a shared
    machine the wall time moves with the load), else wall; the project's CPU time measured
    in rdflib's process right after it when there is one (the same minute of load), else
    the query child's (minutes apart).

    >>> _rdflib_speedup({"project": 0.1, "project_cpu": 0.05}, {"seconds": 3, "cpu_seconds": 2})
    40.0
    >>> _rdflib_speedup({"project_cpu": 0.05}, {"cpu_seconds": 2, "project_cpu": 0.08})
    25.0
    >>> _rdflib_speedup({"project": 0.1}, {"seconds": 3.0, "cpu_seconds": 2.0})
    30.0
    """
    paired = r.get("project_cpu") and r.get("project_digest") in (None, r.get("digest"))
    if paired and r.get("cpu_seconds") is not None:
        return _ratio(r["cpu_seconds"], r["project_cpu"])
    if q.get("project_cpu") and r.get("cpu_seconds") is not None:
        return _ratio(r["cpu_seconds"], q["project_cpu"])
    return _ratio(r.get("seconds"), q.get("project"))


def _engine_cell(q: dict[str, Any], r: dict[str, Any]) -> tuple[str, str]:
    """Another engine's time (or why none) and the project's speed-up over it."""
    if _wrong(q, r):
        return f"wrong answer ({r['rows']} rows of {q['rows']})", "–"
    if "seconds" in r:
        return _fmt(r["seconds"], "s"), _fmt(_ratio(r["seconds"], q.get("project")), "x")
    if r.get("result"):
        text = f"{r['result']}"
        if r.get("limit"):
            text += f" (> {r['limit']:.0f} s)"
        return text, "–"
    return "–", "–"


def markdown(results: dict[str, Any]) -> str:
    """The summary table (one column per size) and one table per size of every query."""
    sizes = results.get("sizes", {})
    summaries = {name: summary(size) for name, size in sizes.items()}
    m = results.get("machine", {})
    lines = [
        "## Benchmark",
        "",
        f"{m.get('cpus', '?')} cores, {m.get('memory_gb', '?')} GB, Python {m.get('python', '?')}, "
        f"pyoxigraph {m.get('pyoxigraph', '?')}, rdflib {m.get('rdflib', '?')}; "
        f"each time a median of {results.get('repeat', '?')} runs after a warm-up run (a query "
        "in memory, on every engine, runs on until its runs add up to 1 s, at most 25); a time "
        "counts only when the engine's answer (row count and canonical rows) is the project's; "
        "the speed-up over rdflib is on CPU time (both single-threaded), the project's "
        "measured in rdflib's process right after rdflib's runs of each query (the same "
        "minute of the shared machine's load), its wall-time ratio (minutes apart) beside.",
        "",
        f"Machine load (1, 5, 15 min) at the start: {_load(results.get('load_start'))}; "
        f"at the end: {_load(results.get('load_end'))}.",
        "",
        "| figure | " + " | ".join(summaries) + " | target |",
        "|---|" + "---|" * len(summaries) + "---|",
    ]
    for label, key, kind, target in FIGURES:
        cells = [_fmt(s.get(key), kind) for s in summaries.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    skipped = {
        s["virtuoso_skipped"] for s in summaries.values() if s.get("virtuoso_skipped") is not None
    }
    for reason in sorted(skipped):
        lines += ["", f"Virtuoso: {reason}."]
    for name, size in sizes.items():
        lines += ["", f"### {name} triples: every query", ""]
        lines += [
            "| query | rows | project | bare pyoxigraph | overhead | on disk "
            "| plain substitutions= | speed-up | rdflib | speed-up "
            "| endpoint p50 | Virtuoso p50 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        queries = size.get("queries", {})
        rdf = size.get("rdflib", {})
        endpoint = size.get("endpoint", {})
        ours = endpoint.get("ours", {})
        virt = endpoint.get("virtuoso", {}) if isinstance(endpoint.get("virtuoso"), dict) else {}
        for qname, q in queries.items():
            if not isinstance(q, dict):
                continue
            r = rdf.get(qname, {}) if isinstance(rdf, dict) else {}
            rd, speed = _engine_cell(q, r)
            if "seconds" in r and not _wrong(q, r) and r.get("cpu_seconds") is not None:
                rd += f" ({_fmt(r['cpu_seconds'], 's')} CPU"
                if r.get("project_cpu"):
                    rd += f"; the project's beside it {_fmt(r['project_cpu'], 's')} CPU"
                rd += ")"
                speed = f"{_fmt(_rdflib_speedup(q, r), 'x')} ({speed} wall)"
            sub = q.get("substitutions")
            if not isinstance(sub, dict):
                sub = {}
            sd, sspeed = _engine_cell(q, sub)
            e, v = ours.get(qname, {}), virt.get(qname, {})
            ep = _fmt(e.get("p50"), "ms") if "p50" in e else (e.get("error", "–")[:40])
            vp = _fmt(v.get("p50"), "ms") if "p50" in v else (v.get("error", "–")[:40])
            if _wrong(e, v):
                vp += f" (wrong answer: {v['rows']} rows of {e['rows']})"
            if _wrong(q, e):
                ep += f" (wrong answer: {e['rows']} rows of {q['rows']})"
            if q.get("result") == "timeout":
                cell = f"timeout (> {q.get('limit', 0):.0f} s)"
                lines.append(f"| {qname} | {cell} | | | | | | | {rd} | | {ep} | {vp} |")
                continue
            if "error" in q:
                lines.append(
                    f"| {qname} | error: {q['error'][:60]} | | | | | | | {rd} | | {ep} | {vp} |"
                )
                continue
            if _wrong(q, _floor(q)):
                fl, overhead = f"wrong answer ({q.get('floor_rows')} rows)", "–"
            else:
                fl = _fmt(q.get("floor"), "s")
                overhead = _fmt(_ratio(q.get("project"), q.get("floor")), "x")
            disk = _fmt(q.get("project_disk"), "s")
            if q.get("project_disk_result") == "timeout":
                disk = f"timeout (> {q.get('limit', 0):.0f} s)"
            project = _fmt(q.get("project"), "s")
            if q.get("project_cpu") is not None:
                project += f" ({_fmt(q['project_cpu'], 's')} CPU)"
            lines.append(
                f"| {qname} | {q.get('rows')} | {project} "
                f"| {fl} | {overhead} | {disk} "
                f"| {sd} | {sspeed} | {rd} | {speed} | {ep} | {vp} |"
            )
        from automaker_kg.bench.commands import markdown_rows

        lines += markdown_rows(name, size.get("commands", {}))
        analytics = size.get("analytics", {})
        if analytics.get("path_pairs"):
            lines += ["", f"Path pairs at {name} (seeded draw): hops (– no path), time", ""]
            cells = [
                f"{a}→{b}: {h if h is not None else '–'}, {_fmt(t, 'ms')}"
                for (a, b), h, t in zip(
                    analytics["path_pairs"],
                    analytics.get("path_hops", []),
                    analytics.get("path_seconds", []),
                    strict=False,
                )
            ]
            lines.append("; ".join(cells) + ".")
    return "\n".join(lines) + "\n"
