"""The ``automaker-kg`` command line: argument parsing and output only.

Every command is a plain function on the one ``app``; each calls library functions.
:func:`main` catches every :class:`~automaker_kg.errors.AutomakerKGError` once and prints
``error: <message>`` on stderr with the error's exit code (0 success, 1 the data does not
conform, 2 bad input, 3 store, 4 query), never a traceback.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from automaker_kg import build as build_module
from automaker_kg import render as render_module
from automaker_kg import store as store_module
from automaker_kg.errors import AutomakerKGError, ValidationError

app = typer.Typer(
    name="automaker-kg",
    help="A knowledge graph of automaker partnerships: build it, check it, query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store folder to use instead of .automaker-kg/ (or $AUTOMAKER_KG_STORE).",
        show_default=False,
    ),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder holding ontology/ and graph/ (default: the checkout or the installed wheel).",
        show_default=False,
    ),
]


@app.command()
def build(store: StoreOption = None, data_dir: DataDirOption = None) -> None:
    """Parse ontology/ and graph/, validate them, and write a new store generation.

    The new generation replaces the current one only when everything succeeded.
    """
    report = build_module.build(store, data_dir=data_dir, progress=err)
    out.print(
        f"built {report.generation} from {len(report.files)} files in {report.seconds:.1f}s: "
        f"{report.triples} triples, {report.claims} claims, {report.entities} entities, "
        f"{report.sources} sources"
    )


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Turtle files to check together with the ontology (default: the project's).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Check the data against ontology/shapes.ttl without writing the store.

    Exit code 0 when it conforms, 1 when it has violations, 2 when a file cannot be read.
    """
    violations = build_module.validate_files(files or None, data_dir=data_dir)
    if violations:
        raise ValidationError(violations)
    out.print("conforms")


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="ttl or nt (union of all graphs), trig or jsonld (one named graph per file).",
        ),
    ] = "ttl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write instead of stdout.", show_default=False),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write the built store's data in an RDF format."""
    data = store_module.export(store_module.open_store(store), fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)


@app.command()
def stats(store: StoreOption = None) -> None:
    """Show counts by class, claims by status, and the source documents."""
    info = store_module.store_info(store)
    numbers = store_module.stats(store_module.open_store(store))
    out.print(
        f"store: {info['path']} (built {info.get('built_at', '?')}, {numbers['quads']} quads)"
    )
    for title, mapping in (
        ("class", numbers["classes"]),
        ("claim status", numbers["claims_by_status"]),
    ):
        table = Table(title=None, show_edge=False)
        table.add_column(title)
        table.add_column("count", justify="right")
        for key, value in mapping.items():
            table.add_row(key, str(value))
        out.print(table)
    sources = Table(show_edge=False)
    for column in ("source", "identifier", "title", "claims"):
        sources.add_column(column)
    for row in numbers["sources"]:
        sources.add_row(
            row["document"], row["identifier"] or "", row["title"] or "", str(row["claims"])
        )
    out.print(sources)


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Keep only claims valid on this day (YYYY-MM-DD), e.g. before or after a deal.",
        show_default=False,
    ),
]


@app.command()
def view(
    which: Annotated[
        str, typer.Argument(help="technology, ownership, alliances, all, or ego (needs ENTITY).")
    ],
    entity: Annotated[
        str | None,
        typer.Argument(help="For ego: the entity's name, alias or IRI.", show_default=False),
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", help="For ego: how many claims away to reach.")
    ] = 1,
    as_of: AsOfOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="HTML file to write (default: VIEW.html).", show_default=False
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write one interactive HTML view that opens in any browser with no network."""
    G = render_module.view_graph(
        store_module.open_store(store), which, entity=entity, depth=depth, as_of=as_of
    )
    path = output or Path(render_module.view_filename(which, entity))
    render_module.write_view(G, path, title=G.graph["title"], subtitle=G.graph["subtitle"])
    out.print(f"wrote {path}: {G.number_of_nodes()} entities, {G.number_of_edges()} claims")


@app.command()
def site(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the pages into.")
    ] = Path("site"),
    as_of: AsOfOption = None,
    store: StoreOption = None,
) -> None:
    """Write every view and an index page with the graph's summary into a folder."""
    index = render_module.build_site(store_module.open_store(store), output, as_of=as_of)
    out.print(f"wrote {index}")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; other than loopback exposes the graph.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port (0 picks a free one).")] = 8000,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds a query may run before it is stopped.")
    ] = 10.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Most rows or triples in one answer; more are cut.")
    ] = 10_000,
    max_request_bytes: Annotated[
        int, typer.Option("--max-request-bytes", help="Largest request body (or URL) accepted.")
    ] = 256 * 1024,
    workers: Annotated[
        int, typer.Option("--workers", help="Queries that run at once, each in its own process.")
    ] = 2,
    site_dir: Annotated[
        Path | None,
        typer.Option(
            "--site", help="Folder of rendered views to serve at /views/.", show_default=False
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint (/sparql), the query page and the views."""
    from automaker_kg import server

    settings = server.ServerSettings(
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        workers=workers,
        site_dir=site_dir,
    )
    server.serve(
        store_module.open_store(store),
        settings,
        ready=lambda url: err.print(f"serving {url}/ (SPARQL endpoint {url}/sparql); Ctrl-C stops"),
    )


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="Graph Store Protocol URL (or SPARQL Update URL with --method update).",
        ),
    ],
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph",
            help="Put everything into this one named graph (default: one graph per source file).",
            show_default=False,
        ),
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help="gsp (HTTP PUT per graph) or update (SPARQL Update).")
    ] = "gsp",
    user: Annotated[str | None, typer.Option("--user", show_default=False)] = None,
    password: Annotated[
        str | None, typer.Option("--password", envvar="AUTOMAKER_KG_PASSWORD", show_default=False)
    ] = None,
    store: StoreOption = None,
) -> None:
    """Upload the built graph to a SPARQL 1.1 server, replacing the graphs it sends."""
    from automaker_kg import remote

    report = remote.push(
        store_module.open_store(store),
        endpoint,
        graph=graph,
        method=method,
        user=user,
        password=password,
    )
    total = sum(report.graphs.values())
    out.print(f"pushed {total} triples in {len(report.graphs)} graphs to {endpoint} ({method})")


# --------------------------------------------------------------------------- analytics

FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="table (for people), csv or json (for programs).")
]
KindOption = Annotated[
    str,
    typer.Option("--kind", help="Projection to read: all, ownership, technology or alliances."),
]
_OUTPUT_FORMATS = ("table", "csv", "json")


def _emit(
    rows: list[dict], columns: list[str], fmt: str, *, table: list[str] | None = None
) -> None:
    """Print rows as a rich table (only the ``table`` columns), CSV or JSON (all columns)."""
    import csv
    import json

    from automaker_kg.errors import UnknownNameError

    if fmt not in _OUTPUT_FORMATS:
        raise UnknownNameError("format", fmt, list(_OUTPUT_FORMATS))
    if fmt == "json":
        data = [{c: row.get(c) for c in columns} for row in rows]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if row.get(c) is None else row[c] for c in columns] for row in rows])
    else:
        shown = table or columns
        grid = Table(show_edge=False)
        for column in shown:
            grid.add_column(column.replace("_", " "), overflow="fold")
        for row in rows:
            grid.add_row(*("" if row.get(c) is None else str(row[c]) for c in shown))
        out.print(grid)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 6)


@app.command()
def path(
    a: Annotated[str, typer.Argument(help="Where to start: a name, alias or IRI.")],
    b: Annotated[str, typer.Argument(help="Where to arrive: a name, alias or IRI.")],
    max_hops: Annotated[int, typer.Option("--max-hops", help="Longest path to look for.")] = 6,
    paths: Annotated[
        int, typer.Option("--paths", help="How many shortest paths to show, shortest first.")
    ] = 1,
    kind: KindOption = "all",
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Explain how two entities are linked: one sentence per claim, with status and source.

    Exit code 1 when no path of at most --max-hops claims links them.
    """
    from automaker_kg import analytics, projections

    G = projections.project(store_module.open_store(store), kind, as_of=as_of)
    start, end = analytics.resolve_entity(G, a), analytics.resolve_entity(G, b)
    found = analytics.linking_paths(G, start, end, k=max(paths, 1), max_hops=max_hops)
    if not found:
        err.print(f"no path of at most {max_hops} claims links {a} and {b}", markup=False)
        raise typer.Exit(1)
    rows = [
        {
            "path": number,
            "step": step,
            "from": G.nodes[hop.source]["label"],
            "to": G.nodes[hop.target]["label"],
            "relation": hop.relation,
            "status": hop.status,
            "sentence": hop.sentence,
            "claim": hop.claim,
            "source": hop.document,
            "evidence": " ".join(hop.evidence),
        }
        for number, hops in enumerate(found, 1)
        for step, hop in enumerate(hops, 1)
    ]
    columns = ["path", "step", "from", "to", "relation", "status", "sentence", "claim"]
    _emit(rows, [*columns, "source", "evidence"], fmt, table=["path", "step", "sentence"])


@app.command()
def ownership(
    as_of: AsOfOption = None,
    relation: Annotated[
        str, typer.Option("--relation", help="shareholding (economic) or voting_rights.")
    ] = "shareholding",
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="integrated: (I - A)^-1 A, every path; non_reflexive: paths that do not "
            "come back through the holder.",
        ),
    ] = "integrated",
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Direct and integrated ownership (through chains and cross-holdings), in percent."""
    from automaker_kg import analytics, projections

    if method not in ("integrated", "non_reflexive"):
        from automaker_kg.errors import UnknownNameError

        raise UnknownNameError("method", method, ["integrated", "non_reflexive"])
    G = projections.project(store_module.open_store(store), "ownership", as_of=as_of)
    direct = analytics.stake_graph(G, relation)
    integrated = analytics.integrated_ownership(G, relation, method=method)  # type: ignore[arg-type]
    pairs = sorted(set(direct.edges()) | set(integrated), key=lambda p: (str(p[0]), str(p[1])))
    rows = [
        {
            "holder": G.nodes[h]["label"],
            "target": G.nodes[t]["label"],
            "direct": _percent(direct[h][t]["weight"]) if direct.has_edge(h, t) else None,
            method: _percent(integrated.get((h, t))),
            "status": direct[h][t]["status"] if direct.has_edge(h, t) else None,
            "claim": direct[h][t]["claim"] if direct.has_edge(h, t) else None,
        }
        for h, t in pairs
    ]
    if fmt == "table":
        for row in rows:
            for key in ("direct", method):
                row[key] = "" if row[key] is None else f"{row[key]:.2f}%"
    _emit(rows, ["holder", "target", "direct", method, "status", "claim"], fmt,
          table=["holder", "target", "direct", method, "status"])  # fmt: skip


@app.command()
def shares(
    entity: Annotated[
        str | None,
        typer.Argument(help="Only rows about this entity or technology.", show_default=False),
    ] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Who develops, shares, contributes, acquires, withholds or protects what, with whom."""
    from automaker_kg import analytics, projections

    G = projections.project(store_module.open_store(store), "technology", as_of=as_of)
    node = analytics.resolve_entity(G, entity) if entity is not None else None
    rows = analytics.sharing_table(G, node)
    columns = ["company", "technology", "relation", "counterpart", "status", "source", "claim"]
    _emit(rows, [*columns, "label"], fmt, table=columns[:5])


@app.command()
def diff(
    before: Annotated[str, typer.Argument(help="First day (YYYY-MM-DD).")],
    after: Annotated[str, typer.Argument(help="Second day (YYYY-MM-DD).")],
    kind: KindOption = "all",
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Claims that start, end or change between two days (a stake of 43% becoming 15%)."""
    from automaker_kg import analytics, projections

    source = store_module.open_store(store)
    rows = analytics.diff(
        projections.project(source, kind, as_of=before),
        projections.project(source, kind, as_of=after),
    )
    columns = [
        *("change", "relation", "subject", "technology", "object", "share_before"),
        *("share_after", "status_before", "status", "label", "claim", "previous_claim"),
    ]
    _emit(rows, columns, fmt, table=columns[:9])


@app.command("export-graph")
def export_graph(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="graphml or gexf (Gephi, Cytoscape, yEd).")
    ] = "graphml",
    kind: KindOption = "all",
    as_of: AsOfOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write instead of stdout.", show_default=False),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write a projection as GraphML or GEXF; lists are joined with spaces, nulls left out."""
    import networkx as nx

    from automaker_kg import projections
    from automaker_kg.errors import UnknownNameError

    writers = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}
    if fmt not in writers:
        raise UnknownNameError("graph format", fmt, list(writers))
    G = projections.project(store_module.open_store(store), kind, as_of=as_of)
    S = projections.scalar_copy(G)
    if output is None:
        writers[fmt](S, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        writers[fmt](S, output)
        err.print(f"wrote {output}: {S.number_of_nodes()} nodes, {S.number_of_edges()} edges")


import_app = typer.Typer(
    help="Convert BODS, GLEIF or Wikidata files into graph/imports/<kind>-<stem>.ttl.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")
ImportFiles = Annotated[
    list[Path], typer.Argument(help="Files to convert (all or none are written).")
]


def _import(kind: str, files: list[Path], data_dir: Path | None) -> None:
    from automaker_kg.paths import graph_dir
    from automaker_kg.sources.runner import import_files

    target = Path(data_dir) / "graph" if data_dir is not None else graph_dir()
    for outcome in import_files(kind, files, graph_dir=target):
        out.print(outcome.result.report.summary(), markup=False)
        out.print(f"  wrote {outcome.target}", markup=False)


@import_app.command("bods")
def import_bods(files: ImportFiles, data_dir: DataDirOption = None) -> None:
    """BODS 0.4 (or 0.2/0.3) JSON or JSON Lines: entities, people, stakes, control interests."""
    _import("bods", files, data_dir)


@import_app.command("gleif")
def import_gleif(files: ImportFiles, data_dir: DataDirOption = None) -> None:
    """GLEIF Level 2 XML or JSON: consolidation relations, LEI names, reporting exceptions."""
    _import("gleif", files, data_dir)


@import_app.command("wikidata")
def import_wikidata(files: ImportFiles, data_dir: DataDirOption = None) -> None:
    """Wikidata Query Service JSON results: companies, parent organisations, owners."""
    _import("wikidata", files, data_dir)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit with the command's status, errors as ``error: ...``."""
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # ill-typed literals: SHACL reports them
    try:
        # standalone mode: usage errors print click's message and exit 2 themselves
        app(args=argv, prog_name="automaker-kg")
    except AutomakerKGError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
