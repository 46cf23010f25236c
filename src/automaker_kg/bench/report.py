"""The benchmark's results as markdown: a summary table with the targets, then per query.

>>> text = markdown({"machine": {}, "repeat": 1, "sizes": {}})
>>> text.splitlines()[0]
'## Benchmark'
"""

from __future__ import annotations

import os
import platform
import statistics
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


def _median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _ratio(a: Any, b: Any) -> float | None:
    a, b = _num(a), _num(b)
    return a / b if a is not None and b else None


def _wrong(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Virtuoso answered with another number of rows than the project did."""
    return "rows" in mine and "rows" in theirs and mine["rows"] != theirs["rows"]


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
    out["validate_s"] = _num(size.get("validate", {}).get("seconds"))
    out["validate_x_load"] = _ratio(out["validate_s"], floor.get("seconds"))
    queries = size.get("queries", {})
    lib = {k: v for k, v in queries.items() if isinstance(v, dict) and v.get("library")}
    overheads = [_ratio(q.get("project"), q.get("floor")) for q in lib.values()]
    out["overhead_median"] = _median(overheads)  # type: ignore[arg-type]
    out["overhead_max"] = max((o for o in overheads if o is not None), default=None)
    out["memory_vs_disk_median"] = _median(
        [_ratio(q.get("project_disk"), q.get("project")) for q in lib.values()]  # type: ignore[misc]
    )
    out["answered"] = sum(1 for q in lib.values() if "project" in q)
    out["library"] = len(lib)
    rdf = size.get("rdflib", {})
    speedups, failed = [], 0
    for name, q in lib.items():
        r = rdf.get(name, {})
        if "seconds" in r:
            speedups.append(_ratio(r["seconds"], q.get("project")))
        elif r.get("result") in ("timeout", "crash"):
            failed += 1
            limit = _num(r.get("limit"))  # at least the time limit: a lower bound
            if limit:
                speedups.append(_ratio(limit, q.get("project")))
    out["rdflib_speedup_median"] = _median(speedups)  # type: ignore[arg-type]
    out["rdflib_speedup_min"] = min((s for s in speedups if s is not None), default=None)
    out["rdflib_failed"] = failed if rdf and "skipped" not in rdf else None
    analytics = size.get("analytics", {})
    keys = ("load_memory", "projection", "integrated", "integrated_dict", "cross_holdings", "path")
    for key in keys:
        out[f"analytics_{key}"] = _num(analytics.get(key))
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
    out["endpoint_ratio_median"] = _median(ratios)  # type: ignore[arg-type]
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
        return f"{value / 1000:,.0f}k/s"
    if kind == "mb":
        return f"{value:,.0f} MB"
    return f"{value:.3g}"


#: (label, key, format, target) rows of the summary table.
FIGURES: list[tuple[str, str, str, str]] = [
    ("triples generated", "triples", "int", ""),
    ("build: time (parse, validate, write)", "build_s", "s", ""),
    ("build: throughput", "build_tps", "tps", ""),
    ("bare Oxigraph bulk load: throughput", "floor_tps", "tps", ""),
    ("build throughput (with validation) / bulk load", "build_vs_floor", "x", ""),
    ("build's load step throughput / bulk load", "load_vs_floor", "x", "≥ 0.8x"),
    ("build: peak memory", "build_peak_mb", "mb", "≤ 1 GB at 1M"),
    ("validation (shapes as SPARQL)", "validate_s", "s", ""),
    ("validation / bulk-load time", "validate_x_load", "x", "≤ 3x at 1M"),
    ("library queries answered", "answered", "int", "all, at 1M and 5M"),
    ("query overhead vs bare pyoxigraph, median", "overhead_median", "x", "≤ 1.25x"),
    ("query overhead vs bare pyoxigraph, worst", "overhead_max", "x", ""),
    ("queries in memory vs on disk: speed-up, median", "memory_vs_disk_median", "x", ""),
    (
        "speed-up over rdflib in memory, median (a timeout counts at its limit)",
        "rdflib_speedup_median",
        "x",
        "≥ 20x at 1M",
    ),
    ("speed-up over rdflib in memory, least", "rdflib_speedup_min", "x", ""),
    ("rdflib timeouts + crashes", "rdflib_failed", "int", ""),
    ("store copied into memory (once)", "analytics_load_memory", "s", ""),
    ("ownership projection from the store", "analytics_projection", "s", ""),
    ("integrated ownership, every company (sparse)", "analytics_integrated", "s", "≤ 2 s at 1M"),
    ("the same as a dict of every (holder, target) pair", "analytics_integrated_dict", "s", ""),
    ("cross-holdings (SCCs)", "analytics_cross_holdings", "s", ""),
    ("path between two companies", "analytics_path", "ms", "≤ 100 ms at 1M"),
    ("view: network nodes", "view_nodes", "int", "20k"),
    ("view layout, precomputed in Python (ours)", "view_layout", "s", ""),
    ("view build, positions given (ours)", "view_build_ours", "s", ""),
    ("view build (pyvis add_node/add_edge)", "view_build_pyvis", "s", ""),
    ("view build speed-up", "view_build_speedup", "x", "≥ 8x"),
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
        f"each time a median of {results.get('repeat', '?')} runs.",
        "",
        "| figure | " + " | ".join(summaries) + " | target |",
        "|---|" + "---|" * len(summaries) + "---|",
    ]
    for label, key, kind, target in FIGURES:
        cells = [_fmt(s.get(key), kind) for s in summaries.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    skipped = {s.get("virtuoso_skipped") for s in summaries.values()} - {None}
    for reason in sorted(skipped):
        lines += ["", f"Virtuoso: {reason}."]
    for name, size in sizes.items():
        lines += ["", f"### {name} triples: every query", ""]
        lines += [
            "| query | rows | project | bare pyoxigraph | overhead | on disk | rdflib | speed-up "
            "| endpoint p50 | Virtuoso p50 |",
            "|---|---|---|---|---|---|---|---|---|---|",
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
            if "seconds" in r:
                rd, speed = (
                    _fmt(r["seconds"], "s"),
                    _fmt(_ratio(r["seconds"], q.get("project")), "x"),
                )
            elif r.get("result"):
                rd, speed = f"{r['result']}", "–"
                if r.get("limit"):
                    rd += f" (> {r['limit']:.0f} s)"
            else:
                rd, speed = "–", "–"
            e, v = ours.get(qname, {}), virt.get(qname, {})
            ep = _fmt(e.get("p50"), "ms") if "p50" in e else (e.get("error", "–")[:40])
            vp = _fmt(v.get("p50"), "ms") if "p50" in v else (v.get("error", "–")[:40])
            if _wrong(e, v):
                vp += f" (wrong: {v['rows']} rows of {e['rows']})"
            if q.get("result") == "timeout":
                cell = f"timeout (> {q.get('limit', 0):.0f} s)"
                lines.append(f"| {qname} | {cell} | | | | | {rd} | | {ep} | {vp} |")
                continue
            if "error" in q:
                lines.append(
                    f"| {qname} | error: {q['error'][:60]} | | | | | {rd} | | {ep} | {vp} |"
                )
                continue
            overhead = _fmt(_ratio(q.get("project"), q.get("floor")), "x")
            lines.append(
                f"| {qname} | {q.get('rows')} | {_fmt(q.get('project'), 's')} "
                f"| {_fmt(q.get('floor'), 's')} | {overhead} | {_fmt(q.get('project_disk'), 's')} "
                f"| {rd} | {speed} | {ep} | {vp} |"
            )
    return "\n".join(lines) + "\n"
