"""The ``automaker-kg`` command line: argument parsing and output only.

Every command is a plain function on the one ``app``; each calls library functions.
:func:`main` catches every :class:`~automaker_kg.errors.AutomakerKGError` once and prints
``error: <message>`` on stderr with the error's exit code (0 success, 1 the data does not
conform, 2 bad input, 3 store, 4 query), never a traceback.

(No ``from __future__ import annotations`` here: typer reads every command's annotations on
each run, and evaluating them from strings costs more than holding them as objects.)
"""

import importlib
import logging
import os
import sys
from collections.abc import Hashable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from automaker_kg.cliparams import QuickGroup
from automaker_kg.errors import AutomakerKGError, ValidationError


class _Deferred:
    """A module imported on first use: ``--help`` and the light commands never load the
    build's, the store's or the views' dependencies (rdflib, pySHACL, pyvis, SciPy)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


build_module: Any = _Deferred("automaker_kg.build")
render_module: Any = _Deferred("automaker_kg.render")
store_module: Any = _Deferred("automaker_kg.store")

app = typer.Typer(
    cls=QuickGroup,  # plain option values read without pydantic (cliparams)
    name="automaker-kg",
    help="A knowledge graph of automaker partnerships: build it, check it, query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Piped output keeps tables readable: 120 columns unless the terminal says otherwise.
_WIDTH = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120
out = Console(highlight=False, soft_wrap=True, width=_WIDTH)
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


WideOption = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Tables at their full width, one line a row (for `less -S`), instead of fitting "
        "the terminal.",
    ),
]
_WIDE = [False]  # set by the global --wide


def _show_version(value: bool) -> None:
    if value:
        from automaker_kg import __version__

        out.print(f"automaker-kg {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    wide: WideOption = False,
) -> None:
    """A knowledge graph of automaker partnerships: build it, check it, query it."""
    _WIDE[0] = wide


@app.command()
def build(
    store: StoreOption = None,
    data_dir: DataDirOption = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Load and validate every file, not only what changed since the current "
            "generation (what CI runs).",
        ),
    ] = False,
) -> None:
    """Parse ontology/ and graph/, validate them, and write a new store generation.

    Only the files changed since the current generation are loaded again and only what
    their change can affect is validated, unless --full (or the ontology, the shapes or
    entity resolution changed). The new generation replaces the current one only when
    everything succeeded.
    """
    report = build_module.build(store, data_dir=data_dir, progress=err, full=full)
    how = "" if report.rebuilt is None else f" ({len(report.rebuilt)} changed)"
    out.print(
        f"built {report.generation} from {len(report.files)} files{how} in {report.seconds:.1f}s: "
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
    totals = info.get("counts") or {}
    if totals:
        out.print(
            f"{totals.get('entities', '?')} entities, {totals.get('claims', '?')} claims, "
            f"{totals.get('sources', '?')} sources"
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


# --------------------------------------------------------------------------- query library

QueryFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="table (for people) or a W3C SPARQL results format: csv, tsv, json.",
    ),
]


def _open_source(store: Path | None):
    """The built store, read-only (the CLI never writes it outside ``build``)."""
    return store_module.open_store(store)


def _print_rows(
    result, fmt: str, *, columns: list[str] | None = None, wide: bool = False, compact=False
) -> None:
    """A query's answer as a table that fits the terminal, or CSV/TSV/JSON (every column)."""
    from automaker_kg import renderers

    renderers.print_rows(result, fmt, columns=columns, wide=wide or _WIDE[0], compact=compact)


def _short_iri(iri: str) -> str:
    """An IRI as its prefixed name (:func:`automaker_kg.prefixes.short`)."""
    from automaker_kg.prefixes import short

    return short(iri)


def _shorten_iris(text: str) -> str:
    """Every project IRI in ``text`` written short (``claim:x``, ``doc:y``)."""
    import re

    return re.sub(r"https?://[^\s,;)]+", lambda m: _short_iri(m.group(0)), text)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from automaker_kg.errors import ParameterError

    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"parameter {pair!r} is not of the form name=value")
        params[name.strip()] = value
    return params


@app.command("queries")
def list_queries() -> None:
    """List the query library: name, the question it answers, and its parameters."""
    from automaker_kg import renderers
    from automaker_kg.queries import library

    rows = [
        {
            "name": name,
            "question": definition.question,
            "parameters": ", ".join(
                f"{p.name}={p.default}" if p.default else p.name for p in definition.parameters
            ),
        }
        for name, definition in library().items()
    ]
    columns = ["name", "question", "parameters"]
    renderers.print_table(rows, columns, verbatim=["name", "parameters"], wide=_WIDE[0])


@app.command()
def query(
    name: Annotated[
        str, typer.Argument(help="A library query name (see `queries`) or a .rq file.")
    ],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="A parameter as name=value; repeat for several.",
            show_default=False,
        ),
    ] = None,
    fmt: QueryFormatOption = "table",
    store: StoreOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Stop the query after this many seconds (it runs in a process of its own); "
            "0 waits for ever.",
        ),
    ] = 60.0,
    wide: WideOption = False,
) -> None:
    """Run a library query (or a .rq file) on the built store, values bound, never pasted."""
    from automaker_kg.api import query_in_time

    result = query_in_time(name, store, _parse_params(param or []), seconds=timeout)
    _print_rows(result, fmt, wide=wide)


@app.command()
def facts(
    entity: Annotated[str, typer.Argument(help="A name, alias, prefixed name (kg:nissan) or IRI.")],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Only the claims shown on this day (YYYY-MM-DD) by the time rules: facts "
            "in force, plans and reports current then.",
            show_default=False,
        ),
    ] = None,
    known_on: Annotated[
        str | None,
        typer.Option(
            "--known-on",
            help="Answer from the sources published on or before this day only.",
            show_default=False,
        ),
    ] = None,
    fmt: QueryFormatOption = "table",
    wide: WideOption = False,
    store: StoreOption = None,
) -> None:
    """What the graph says about an entity: one row per claim with its kind, counterparts,
    value, dates, status and source (CSV/JSON add the evidence spans)."""
    from automaker_kg import renderers
    from automaker_kg.api import facts as facts_of
    from automaker_kg.cache import open_cache

    source = _open_source(store)
    rows = facts_of(entity, source, as_of=as_of, known_on=known_on, cache=open_cache(store))
    if fmt != "table":
        _print_rows(rows, fmt)
        return
    table = []
    for row in rows.texts():  # each term's text: no rdflib term made for a table
        start, end = row.get("valid_from"), row.get("valid_to")
        valid = f"{start} to {end}" if start and end else f"since {start}" if start else ""
        standing, status = row.get("standing"), row.get("status")
        status = f"{status} ({standing})" if standing else status
        table.append({**row, "valid": valid or (f"until {end}" if end else None), "status": status})
    shown = ["claim_type", "counterpart", "value", "valid", "status", "document"]
    renderers.print_table(
        table,
        shown,
        details=["role", "label", "evidence", "claim"],
        headers={"claim_type": "kind", "document": "source"},
        wide=wide or _WIDE[0],
    )
    out.print(f"{len(rows)} claim{'s' if len(rows) != 1 else ''}", markup=False)


@app.command()
def summary(store: StoreOption = None) -> None:
    """Entities, claims and sources, then the answers to the competency questions."""
    import textwrap

    from automaker_kg import renderers
    from automaker_kg.api import summary as summarise

    numbers = summarise(_open_source(store))
    out.print(
        f"{numbers['entities']} organisations and people, {numbers['claims']} claims, "
        f"{numbers['sources']} source documents"
    )
    for answer in numbers["answers"]:
        definition, rows = answer["query"], answer["rows"]
        out.print(f"\n[bold]{definition.title}[/bold] ({definition.name})", markup=True)
        sys.stdout.write(textwrap.fill(definition.question, renderers.terminal_width()) + "\n")
        _print_rows(rows, "table", compact=True)


@app.command()
def offsets(
    document: Annotated[Path, typer.Argument(help="A source document (plain text file).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List a document's paragraphs and sentences with their character offsets and hash.

    For authors of fact files: evidence is given as paragraph/sentence numbers and offsets.
    The sentences themselves are not printed, only where they start and how they begin.
    """
    import json

    from automaker_kg.errors import InputError
    from automaker_kg.sources.documents import read_text, sentences, sha256_of

    if not document.is_file():
        raise InputError(f"{document}: no such file")
    try:
        text = read_text(document)
    except UnicodeDecodeError as exc:
        raise InputError(f"{document}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    spans = sentences(text)
    if fmt == "json":
        data = {
            "identifier": sha256_of(document),
            "sentences": [
                {"paragraph": s.paragraph, "sentence": s.number, "start": s.start, "end": s.end}
                for s in spans
            ],
        }
        sys.stdout.write(json.dumps(data, indent=1) + "\n")
        return
    out.print(f"{document}: {sha256_of(document)}, {len(text)} characters")
    grid = Table(show_edge=False)
    for column in ("paragraph", "sentence", "start", "end", "opens with"):
        grid.add_column(column)
    for s in spans:
        opening = " ".join(text[s.start : s.end].split()[:4])
        grid.add_row(str(s.paragraph), str(s.number), str(s.start), str(s.end), opening + " …")
    out.print(grid)


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The state on this day (YYYY-MM-DD): facts in force, plans beside them "
        "(rules: docs/time.md).",
        show_default=False,
    ),
]
KnownOnOption = Annotated[
    str | None,
    typer.Option(
        "--known-on",
        help="Answer from the sources published on or before this day (YYYY-MM-DD) only.",
        show_default=False,
    ),
]
ExplainOption = Annotated[
    bool,
    typer.Option(
        "--explain", help="Say why: the claims considered, the one chosen, the rule that chose it."
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
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="TCP port (0 picks a free one).")
    ] = 8000,
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
        int | None,
        typer.Option(
            "--workers",
            help="Queries that run at once, each in its own process. Default: one per core.",
            show_default=False,
        ),
    ] = None,
    site_dir: Annotated[
        Path | None,
        typer.Option(
            "--site", help="Folder of rendered views to serve at /views/.", show_default=False
        ),
    ] = None,
    memory: Annotated[
        bool,
        typer.Option(
            "--memory",
            help="Each worker holds the store in memory: queries 4-7x faster, about 0.7 GB "
            "per million triples per worker, a few seconds per million to start.",
        ),
    ] = False,
    cors: Annotated[
        str | None,
        typer.Option(
            "--cors",
            help="Let browser pages from this origin (e.g. https://example.org, or *) read "
            "answers; off by default.",
            show_default=False,
        ),
    ] = None,
    worker_memory: Annotated[
        str | None,
        typer.Option(
            "--worker-memory",
            help="Address space each query worker may use, e.g. 2G or 800M (0: no limit); a "
            "query needing more answers 503. Default: half the machine's memory shared "
            "among the workers, at least 1G.",
            show_default=False,
        ),
    ] = None,
    queue_wait: Annotated[
        float,
        typer.Option(
            "--queue-wait",
            help="Seconds a query may wait for a free worker before it answers 503 (busy).",
        ),
    ] = 3.0,
    result_cache: Annotated[
        str,
        typer.Option(
            "--result-cache",
            help="Memory for answers of library queries kept per store generation and served "
            "again without running them, e.g. 64M (0: none).",
        ),
    ] = "64M",
    allow_network_queries: Annotated[
        bool,
        typer.Option(
            "--allow-network-queries",
            help="Start even where the query workers cannot be put in a network namespace "
            "of their own (SERVICE is still refused by the guard).",
        ),
    ] = False,
    store: StoreOption = None,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint (/sparql), the query page and the views."""
    from automaker_kg import server
    from automaker_kg.errors import ParameterError
    from automaker_kg.querypool import default_workers, parse_size

    try:
        memory_limit = None if worker_memory is None else parse_size(worker_memory)
    except ValueError as error:
        raise ParameterError(f"--worker-memory: {error}") from None
    try:
        cache_bytes = parse_size(result_cache)
    except ValueError as error:
        raise ParameterError(f"--result-cache: {error}") from None
    settings = server.ServerSettings(
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        workers=default_workers() if workers is None else workers,
        site_dir=site_dir,
        memory=memory,
        isolate=not allow_network_queries,
        cors=cors,
        worker_memory=memory_limit,
        queue_wait=queue_wait,
        result_cache=cache_bytes,
    )
    try:
        # the generation opened is the one current before and after opening (ids only grow)
        before = store_module.current_generation(store)
        opened = store_module.open_store(store)
        generation = before if before == store_module.current_generation(store) else None
        server.serve(
            opened,
            settings,
            generation=generation,
            ready=lambda url: err.print(
                f"serving {url}/ (SPARQL endpoint {url}/sparql); Ctrl-C stops"
            ),
        )
    except OSError as error:  # the address: in use, not ours, not resolvable
        if store_module.damaged(error) is not None:
            raise
        raise ParameterError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


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
    batch: Annotated[
        int,
        typer.Option(
            "--batch",
            help="With --method update: at most about this many triples per request "
            "(0 = one request, one transaction). Virtuoso needs one, e.g. 1000.",
        ),
    ] = 0,
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
        batch=batch,
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
    rows: list[dict],
    columns: list[str],
    fmt: str,
    *,
    table: list[str] | None = None,
    wide: bool = False,
) -> None:
    """Print rows as a table (the ``table`` columns and every column holding IRIs), CSV or
    JSON (all columns); see :mod:`automaker_kg.renderers`."""
    from automaker_kg import renderers

    renderers.emit(rows, columns, fmt, table=table, wide=wide or _WIDE[0])


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
    known_on: KnownOnOption = None,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Explain how two entities are linked: one sentence per claim, with status and source.

    Exit code 1 when no path of at most --max-hops claims links them.
    """
    from automaker_kg import analytics
    from automaker_kg.cache import open_cache, projection

    start: Hashable
    end: Hashable
    kept = open_cache(store)
    if kept is not None and paths <= 1:  # the shortest paths' part of the projection only
        G, start, end = kept.path_graph(
            kind, a, b, as_of=as_of, known_on=known_on, max_hops=max_hops
        )
    else:
        G = projection(store, kind, as_of=as_of, known_on=known_on)
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
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The state on this day (YYYY-MM-DD; default today): stakes in force, "
            "plans beside them (rules: docs/time.md).",
            show_default=False,
        ),
    ] = None,
    known_on: KnownOnOption = None,
    holder: Annotated[
        str | None,
        typer.Option("--holder", help="Only this holder's stakes (a name, alias or IRI)."),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option("--target", help="Only the stakes in this company (a name, alias or IRI)."),
    ] = None,
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
    explain: ExplainOption = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            help="Show at most this many rows (0: all; a large graph's table has millions).",
        ),
    ] = 100,
    offset: Annotated[
        int, typer.Option("--offset", help="Skip this many rows first (the next page).")
    ] = 0,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Direct and integrated ownership on a day, in percent, with what is planned beside it.

    Only facts in force count (official statements, historical facts); plans and floated
    targets are shown in the planned column, never in their place and never added up.
    Rows come sorted by holder then target, a page at a time (--limit, --offset).
    """
    from datetime import date as _date

    from automaker_kg import analytics
    from automaker_kg.analytics.ownership import Method
    from automaker_kg.cache import open_cache, projection

    methods: dict[str, Method] = {"integrated": "integrated", "non_reflexive": "non_reflexive"}
    if method not in methods:
        from automaker_kg.errors import UnknownNameError

        raise UnknownNameError("method", method, list(methods))
    if limit < 0 or offset < 0:
        from automaker_kg.errors import ParameterError

        raise ParameterError("--limit and --offset are 0 or more")
    day = as_of or _date.today().isoformat()
    h: Hashable | None
    t: Hashable | None
    kept = open_cache(store) if holder is not None or target is not None else None
    if kept is not None:  # the stakes along the holder's (or into the target's) chains only
        G, h, t = kept.ownership_graph(
            as_of=day, known_on=known_on, holder=holder, target=target, relation=relation
        )
    else:
        G = projection(store, "ownership", as_of=day, known_on=known_on)
        h = analytics.resolve_entity(G, holder) if holder is not None else None
        t = analytics.resolve_entity(G, target) if target is not None else None
    rows, total = analytics.ownership_page(
        G,
        relation,
        method=methods[method],
        holder=h,
        target=t,
        offset=offset,
        limit=limit or None,
    )
    end = offset + len(rows)
    more = f"rows {offset + 1}–{end} of {total:,}" if rows and (offset or end < total) else ""
    if end < total:
        more += f"; --offset {end} for the next, --limit 0 for all"
    elif offset and not rows:
        more = f"no rows past {total:,}"
    columns = [
        *("holder", "target", "direct", method, "status", "planned", "conflict", "note"),
        *("claim", "planned_claims", "conflict_claims", "share_min", "share_max"),
        *(f"{method}_min", f"{method}_max"),
    ]
    for row in rows:
        row[method] = row.pop("integrated")
        row[f"{method}_min"] = row.pop("integrated_min")
        row[f"{method}_max"] = row.pop("integrated_max")
        for key in ("claim", "planned_claims", "conflict_claims"):
            value = row[key]
            row[key] = (
                " ".join(_short_iri(c) for c in value if c)
                if isinstance(value, list)
                else _short_iri(value)
                if value
                else value
            )
        row["why"] = [_shorten_iris(line) for line in row["why"]]
    if explain:
        columns.append("why")
    if fmt == "table":
        heading = f"as of {day}" + (f", as known on {known_on}" if known_on else "")
        out.print(heading, markup=False)
        for row in rows:
            row["direct"], row[method] = row["direct_text"], row["integrated_text"]
        table = ["holder", "target", "direct", method, "status", "planned"]
        table += [c for c in ("conflict", "note") if any(r[c] for r in rows)]
        _emit(rows, columns, fmt, table=table)
        if more:
            out.print(more, markup=False)
        if explain:
            for row in rows:
                out.print(f"{row['holder']} → {row['target']}", markup=False)
                for line in row["why"] or ["no claim in force or planned on that day"]:
                    out.print(f"  {line}", markup=False)
        return
    for row in rows:
        row["why"] = " | ".join(row["why"])
    _emit(rows, columns, fmt)
    if more:  # beside the data, never in it
        err.print(more, markup=False)


@app.command()
def shares(
    entity: Annotated[
        str | None,
        typer.Argument(help="Only rows about this entity or technology.", show_default=False),
    ] = None,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    explain: ExplainOption = False,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Who develops, shares, supplies, licenses, contributes, acquires, withholds or protects
    what, with whom, and who works on which technology in a joint project (a row per pair).

    A technology counts the narrower ones below it in the taxonomy (solid-state battery:
    all-solid-state cells, ceramic separators, ...). With --as-of, only what is shown that day
    (facts in force, plans current then); with --explain, each row's rule, and the claims left
    out that day with the claim that ended them.
    """
    from automaker_kg import analytics
    from automaker_kg.cache import projection

    G = projection(store, "technology", as_of=as_of, known_on=known_on)
    node = analytics.resolve_entity(G, entity) if entity is not None else None
    narrower: set[str] = set()
    if node is not None and G.nodes[node].get("kind") == "technology":
        from automaker_kg.queries import narrower_concepts

        narrower = narrower_concepts(store_module.open_store(store), str(node)) - {str(node)}
    rows = analytics.sharing_table(G, node, narrower=narrower)
    why = {d.get("claim"): d.get("why") for _, _, d in G.edges(data=True)}
    for row in rows:
        row["why"] = _shorten_iris(why.get(row["claim"]) or "")
    columns = ["company", "technology", "relation", "counterpart", "status", "source", "claim"]
    _emit(
        rows, [*columns, "label", "why"], fmt, table=[*columns[:5], *(["why"] if explain else [])]
    )
    if explain and as_of is not None and fmt == "table":
        everything = projection(store, "technology", known_on=known_on)
        target = node
        if target is not None and target not in everything:
            return
        shown = {r["claim"] for r in rows}
        left_out = [
            r
            for r in analytics.sharing_table(everything, target, narrower=narrower)
            if r["claim"] not in shown
        ]
        ended = {d.get("claim"): d for _, _, d in everything.edges(data=True)}
        if left_out:
            out.print(f"not shown on {as_of}:", markup=False)
        for r in left_out:
            data = ended.get(r["claim"], {})
            out.print(
                f"  {_short_iri(r['claim'])} ({r['relation']}, {r['status']}): "
                + _shorten_iris(data.get("why") or ""),
                markup=False,
            )


@app.command()
def diff(
    before: Annotated[str, typer.Argument(help="First day (YYYY-MM-DD): the state before.")],
    after: Annotated[str, typer.Argument(help="Second day (YYYY-MM-DD), included.")],
    kind: KindOption = "all",
    known_on: KnownOnOption = None,
    explain: ExplainOption = False,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Every claim that starts, ends, changes or is superseded between two days.

    Intermediate states count (43% → 8.7% → 15% are two rows), and so do plans made or
    ended and dated events; each row says the rule that drew it with --explain.
    """
    from automaker_kg import analytics
    from automaker_kg.cache import projection
    from automaker_kg.errors import ParameterError
    from automaker_kg.temporal import parse_day

    lo, hi = parse_day(before), parse_day(after)
    for text, day in ((before, lo), (after, hi)):
        if day is None or len(text) != 10:
            raise ParameterError(f"{text!r} is not an ISO date (YYYY-MM-DD)")
    assert lo is not None and hi is not None
    if hi < lo:
        raise ParameterError(f"the second day {after} is before the first {before}")
    G = projection(store, kind, known_on=known_on)
    rows = analytics.changes(G, lo, hi)
    for row in rows:
        for key in ("claim", "previous_claim", "source"):
            if row.get(key):
                row[key] = _short_iri(row[key])
        if row.get("why"):
            row["why"] = _shorten_iris(row["why"])
    columns = [
        *("date", "change", "relation", "subject", "technology", "object", "value_before"),
        *("value", "standing", "status", "claim", "previous_claim", "share_before"),
        *("share_after", "status_before", "label", "source", "why"),
    ]
    table = ["date", "change", "relation", "subject", "object", "value_before", "value", "status"]
    if fmt == "table":  # fewer cells, so the table fits: "develops: X", "43.4% → 15%"
        for row in rows:
            if row.get("technology"):
                row["relation"] = f"{row['relation']}: {row['technology']}"
            if row.get("value_before"):
                row["value"] = f"{row['value_before']} → {row.get('value') or '–'}"
        table.remove("value_before")
    if explain:
        table += ["claim", "why"]
    _emit(rows, columns, fmt, table=table)


@app.command("export-graph")
def export_graph(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="graphml or gexf (Gephi, Cytoscape, yEd).")
    ] = "graphml",
    kind: KindOption = "all",
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write instead of stdout.", show_default=False),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write a projection as GraphML or GEXF; lists are joined with spaces, nulls left out."""
    import networkx as nx

    from automaker_kg import projections
    from automaker_kg.cache import projection
    from automaker_kg.errors import UnknownNameError

    writers = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}
    if fmt not in writers:
        raise UnknownNameError("graph format", fmt, list(writers))
    G = projection(store, kind, as_of=as_of, known_on=known_on)
    S = projections.scalar_copy(G)
    if output is None:
        writers[fmt](S, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        writers[fmt](S, output)
        err.print(f"wrote {output}: {S.number_of_nodes()} nodes, {S.number_of_edges()} edges")


# --------------------------------------------------------------------------- resolution, conflicts


def _flat_rows(rows: list[dict], fmt: str) -> list[dict]:
    """Lists joined with spaces for CSV (JSON keeps them; tables join and shorten them)."""
    if fmt != "csv":
        return rows
    return [
        {k: " ".join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in row.items()}
        for row in rows
    ]


@app.command()
def entities(
    merged: Annotated[
        bool,
        typer.Option(
            "--merged",
            help="List each merge of source IRIs into one node, and each pair kept apart, "
            "with its reason (identifier, name, conflicting-identifiers, ...).",
        ),
    ] = False,
    fmt: FormatOption = "table",
    wide: WideOption = False,
    store: StoreOption = None,
) -> None:
    """Organisations and people, one row per node after entity resolution.

    The build merges the IRIs that sources mint for one company (curated, Wikidata, GLEIF,
    BODS) by identifier, then by normalised name; --merged shows why.
    """
    from automaker_kg import resolve

    source = store_module.open_store(store)
    if merged:
        rows = resolve.merges(source)
        columns = [
            *("decision", "reason", "resolved", "matched", "canonical", "key", "names"),
            *("conflicting", "resolved_graphs", "matched_graphs", "resolved_label"),
            *("matched_label", "canonical_label", "record"),
        ]
        table = ["decision", "reason", "resolved", "matched", "canonical", "key", "names"]
    else:
        rows = resolve.entities(source)
        columns = ["entity", "label", "classes", "identifiers", "merged_from", "graphs"]
        table = columns
    _emit(_flat_rows(rows, fmt), columns, fmt, table=table, wide=wide)


@app.command()
def conflicts(
    resolved: Annotated[
        bool,
        typer.Option(
            "--resolved",
            help="List instead what a later source settled: plans completed, replaced or "
            "cancelled, facts changed (a resolution, not a conflict).",
        ),
    ] = False,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Claims from different sources that disagree: stakes (share, dates, status) and
    joint-venture partners, each side with its claim, source, status and evidence; stakes
    that agree within the precision they are stated with are listed as agreeing.

    Nothing is merged or dropped: both claims stay in the graph. See also the library query
    conflicting-stakes, and docs/time.md for the rules.
    """
    from automaker_kg.conflicts import (
        COLUMNS,
        RESOLUTION_COLUMNS,
        conflict_rows,
        find_conflicts,
        find_resolutions,
    )

    if resolved:
        settled = find_resolutions(store_module.open_store(store))
        for row in settled:
            for key in ("claim", "source", "settled_by", "settled_source"):
                if row.get(key):
                    row[key] = _short_iri(row[key])
            row["rule"] = _shorten_iris(row["rule"] or "")
        table = ["subject", "relation", "object", "claim", "settled_by"]
        _emit(settled, RESOLUTION_COLUMNS, fmt, table=table if fmt == "table" else None)
        if fmt == "table":
            out.print(f"{len(settled)} settled by a later source", markup=False)
        return
    rows = conflict_rows(find_conflicts(store_module.open_store(store)))
    if fmt == "table":
        for row in rows:
            for side in ("a", "b"):
                start, end = row[f"{side}_valid_from"], row[f"{side}_valid_to"]
                row[f"{side}_dates"] = f"{start or '…'} to {end or '…'}" if start or end else ""
        table = [
            *("verdict", "kinds", "subject", "a_value", "a_dates", "a_status", "a_source"),
            *("b_value", "b_dates", "b_status", "b_source"),
        ]
        _emit(rows, table, fmt)
        out.print(f"{len(rows)} conflict{'s' if len(rows) != 1 else ''}")
        return
    _emit(rows, COLUMNS, fmt)


import_app = typer.Typer(
    cls=QuickGroup,
    help="Convert BODS, GLEIF or Wikidata files into graph/imports/<kind>-<stem>.ttl.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")
ImportFiles = Annotated[
    list[Path], typer.Argument(help="Files to convert (all or none are written).")
]
ImportReportOption = Annotated[
    Path | None,
    typer.Option(
        "--report",
        help="Also write what was read, imported and skipped (each skipped record's id and "
        "reason) as JSON to this file, so that nothing is lost silently.",
    ),
]


def _import(kind: str, files: list[Path], data_dir: Path | None, report: Path | None) -> None:
    import json

    from automaker_kg.paths import graph_dir
    from automaker_kg.sources.runner import import_files

    target = Path(data_dir) / "graph" if data_dir is not None else graph_dir()
    outcomes = import_files(kind, files, graph_dir=target)
    for outcome in outcomes:
        out.print(outcome.result.report.summary(), markup=False)
        out.print(f"  wrote {outcome.target}", markup=False)
    if report is not None:
        reports = [dict(o.result.report.as_json(), output=str(o.target)) for o in outcomes]
        totals = {k: sum(r[k] for r in reports) for k in ("read", "imported", "skipped")}
        report.write_text(json.dumps({**totals, "files": reports}, indent=2) + "\n")
        out.print(f"  report: {report}", markup=False)


@import_app.command("bods")
def import_bods(
    files: ImportFiles, data_dir: DataDirOption = None, report: ImportReportOption = None
) -> None:
    """BODS 0.4 (or 0.2/0.3) JSON or JSON Lines: entities, people, stakes, control interests.

    A statement that is invalid or that the project cannot represent is skipped with its
    reason; a file that is not BODS at all is refused (exit 2)."""
    _import("bods", files, data_dir, report)


@import_app.command("gleif")
def import_gleif(
    files: ImportFiles, data_dir: DataDirOption = None, report: ImportReportOption = None
) -> None:
    """GLEIF Level 1 and 2 XML or JSON: consolidation relations, LEI names, reporting exceptions."""
    _import("gleif", files, data_dir, report)


@import_app.command("wikidata")
def import_wikidata(
    files: ImportFiles, data_dir: DataDirOption = None, report: ImportReportOption = None
) -> None:
    """Wikidata Query Service JSON results: companies, parent organisations, owners."""
    _import("wikidata", files, data_dir, report)


bench_app = typer.Typer(
    cls=QuickGroup,
    help="The benchmark: a synthetic partnership graph at scale, and what it measures.",
    no_args_is_help=True,
)
app.add_typer(bench_app, name="bench")


@bench_app.command("generate")
def bench_generate(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (N-Triples).")],
    triples: Annotated[int, typer.Option(help="How many triples (at least 100).")] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same bytes.")] = 7,
    gleif: Annotated[
        int,
        typer.Option(
            help="Instead: GLEIF golden-copy files with this many relationship records "
            "(rr, lei and repex files in the --output folder), to bench `import gleif`."
        ),
    ] = 0,
    gleif_format: Annotated[str, typer.Option(help="xml or json (with --gleif).")] = "xml",
) -> None:
    """Write a deterministic synthetic graph shaped like the curated claims (it validates)."""
    from automaker_kg.bench.generator import generate
    from automaker_kg.errors import InputError

    if gleif:
        from automaker_kg.bench.gleif_generator import generate_gleif

        try:
            made = generate_gleif(output, gleif, seed=seed, fmt=gleif_format)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        out.print(
            f"wrote {', '.join(map(str, made.files))}: {made.relationships} relationship "
            f"records, {made.entities} LEI records, {made.exceptions} reporting exceptions",
            markup=False,
        )
        return

    try:
        info = generate(triples, seed=seed, path=output)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    out.print(
        f"wrote {output}: {info.triples} triples, {info.companies} companies, "
        f"{info.claims} claims, {info.documents} documents (seed {seed})",
        markup=False,
    )


@bench_app.command("run")
def bench_run(
    sizes: Annotated[str, typer.Option(help="Comma-separated sizes: 10k,100k,1M,5M.")] = (
        "10k,100k,1M"
    ),
    repeat: Annotated[int, typer.Option(help="Runs per timing (the median is kept).")] = 3,
    out_dir: Annotated[Path, typer.Option("--out", help="Where results go.")] = Path(
        "bench-results"
    ),
    parts: Annotated[
        str,
        typer.Option(help="Parts to run: build,queries,rdflib,analytics,views,endpoint,commands."),
    ] = "build,queries,rdflib,analytics,views,endpoint,commands",
    seed: Annotated[int, typer.Option(help="Random seed of the generated graphs.")] = 7,
    rdflib_timeout: Annotated[
        float, typer.Option(help="Seconds an rdflib query may run before it counts as timeout.")
    ] = 60.0,
) -> None:
    """Run the benchmark; print the markdown table and write results.json/results.md."""
    from automaker_kg.bench.runner import PARTS, parse_size, run_benchmark
    from automaker_kg.errors import InputError

    try:
        numbers = [parse_size(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise InputError(f"bad --sizes {sizes!r}; e.g. 10k,100k,1M") from None
    chosen = [p.strip() for p in parts.split(",") if p.strip()]
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        raise InputError(f"unknown part(s) {', '.join(unknown)}; valid: {', '.join(PARTS)}")
    run_benchmark(
        numbers,
        out_dir,
        repeat=repeat,
        seed=seed,
        parts=chosen,
        rdflib_timeout=rdflib_timeout,
        log=lambda line: err.print(line, markup=False),
    )
    out.print((out_dir / "results.md").read_text(encoding="utf-8"), markup=False)
    out.print(f"results: {out_dir / 'results.json'}", markup=False)


@app.command("add")
def add_sheet(
    sheet: Annotated[Path, typer.Argument(help="A fact sheet (YAML; see docs/fact-sheets.md).")],
    document: Annotated[
        Path | None,
        typer.Option(
            "--document",
            help="The document's text file, when it is not at shared/<document.file>.",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Run every check, write nothing (e.g. on a draft)."),
    ] = False,
) -> None:
    """Check a fact sheet and write its facts as graph/<folder>/<name>.ttl.

    Checks the schema, references, evidence sentences and SHACL shapes; writes nothing on error.
    """
    from automaker_kg.sources.factsheet import add

    report = add(sheet, document=document, data_dir=data_dir, dry_run=dry_run)
    out.print(
        f"{'would write' if dry_run else 'wrote'} {report.target}: {report.claims} claims, "
        f"{report.entities} entities, {report.triples} triples",
        markup=False,
    )


@app.command("draft")
def draft_sheet(
    document: Annotated[Path, typer.Argument(help="A source document (plain text file).")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Sheet to write (default: print it).", show_default=False
        ),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Propose a fact sheet for a new text: entities, stakes, joint ventures, technology.

    Every proposal carries its evidence sentence and, as a comment, the cue that produced it;
    edit the sheet, then `add` it. Needs spaCy (pip install 'automaker-kg[draft]').
    """
    from automaker_kg.draft import draft_document

    draft, text = draft_document(document, data_dir=data_dir)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    err.print(
        f"wrote {output}: {len(draft.claims)} proposed claims, "
        f"{len(draft.entities)} new names; paragraphs without a proposal: "
        f"{', '.join(map(str, draft.silent)) or 'none'}",
        markup=False,
    )


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit with the command's status, errors as ``error: ...``."""
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # ill-typed literals: SHACL reports them
    try:
        # standalone mode: usage errors print click's message and exit 2 themselves
        app(args=argv, prog_name="automaker-kg")
    except AutomakerKGError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except (OSError, RuntimeError) as exc:  # the store's files, damaged under a reader
        problem = store_module.damaged(exc)
        if problem is not None:
            err.print(f"error: {problem}", markup=False)
            sys.exit(problem.exit_code)
        if isinstance(exc, OSError) and exc.filename:  # a file given on the command line
            err.print(f"error: {exc.filename}: {exc.strerror or exc}", markup=False)
            sys.exit(2)
        raise
    except UnicodeDecodeError as exc:  # a file that is not text: the commands name most
        err.print(f"error: input is not UTF-8 text (byte {exc.start}: {exc.reason})", markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
