"""The Python API: load the graph, run library queries, ask what the graph says about an entity.

>>> import automaker_kg
>>> kg = automaker_kg.load(memory=True)          # the graph files, in memory (no store needed)
>>> rows = automaker_kg.query("stakes-in-company", source=kg, company="Nissan")
>>> shares = [r for r in rows if r["interest"].value == "shareholding"]
>>> [(r["holder_label"].value, float(r["share"])) for r in shares]
[('Renault', 43.0), ('Renault', 15.0)]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from automaker_kg import queries as queries_module
from automaker_kg.errors import QueryError, StoreError
from automaker_kg.queries import Rows

__all__ = ["load", "query", "query_in_time", "facts", "summary", "COMPETENCY_QUERIES"]

# The library queries that answer the project's competency questions, in reading order.
COMPETENCY_QUERIES = (
    "stakes-in-company",
    "cross-holdings",
    "technologies-protected",
    "joint-venture-partners",
    "technologies-withheld",
    "contributions",
    "market-strategy",
    "chain-via-joint-venture",
    "claims-by-status",
)

_default: Any = None


def load(store: str | Path | None = None, *, memory: bool = False) -> Any:
    """Open the graph: the built store (read-only), or the graph files in memory.

    With ``memory=True``, or when no store has been built, the ontology and graph files
    are parsed into an rdflib ``Dataset`` (nothing is written). The result becomes the
    default source of :func:`query` and :func:`facts`.
    """
    global _default
    from automaker_kg import store as store_module
    from automaker_kg.build import load_graph

    if memory:
        _default = load_graph()
        return _default
    try:
        _default = store_module.open_store(store)
    except StoreError:
        if store is not None:
            raise
        _default = load_graph()
    return _default


def _source(source: Any) -> Any:
    return source if source is not None else (_default if _default is not None else load())


def query(name: str | Path, source: Any = None, **params: Any) -> Rows | bool:
    """Run a library query (or a ``.rq`` file) with keyword parameters; return its rows."""
    return queries_module.run(name, _source(source), {k: str(v) for k, v in params.items()})


def _run_child(conn: Any, store: str | None, text: str, bindings: dict) -> None:
    from automaker_kg import store as store_module
    from automaker_kg.querypool import isolate_network

    isolate_network()  # best effort: run_text refuses SERVICE in any case
    try:
        conn.send(("ok", queries_module.run_text(store_module.open_store(store), text, bindings)))
    except StoreError as exc:  # a damaged store: the parent says so (exit 3)
        conn.send(("store", str(exc)))
    except Exception as exc:  # sent back and raised in the parent as a QueryError
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def query_in_time(
    name: str | Path,
    store: str | Path | None = None,
    params: dict[str, str] | None = None,
    *,
    seconds: float = 60.0,
) -> Rows | bool:
    """Run a library query on the built store in a child process, stopped after ``seconds``.

    Oxigraph cannot cancel a running query, so a runaway query runs in a process of its own
    that is killed at the deadline (the store is only read). Parameters are checked and
    entities resolved here first, so bad input fails at once with its usual message.

    Raises QueryTimeout when the query runs out of time.
    """
    import multiprocessing

    from automaker_kg import store as store_module
    from automaker_kg.errors import QueryTimeout

    definition = queries_module.get_query(name)
    source = store_module.open_store(store)
    bindings = queries_module.bind_params(source, definition, params)
    if (
        seconds <= 0
        or not isinstance(store, str | Path | None)
        or hasattr(source, "is_remote_store")
    ):
        return queries_module.run_text(source, definition.text, bindings)
    del source
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_run_child,
        args=(send, None if store is None else str(store), definition.text, bindings),
    )
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise QueryTimeout(
                f"query {definition.name!r} ran past {seconds:g} s and was stopped "
                "(raise --timeout, or narrow the query)"
            )
        kind, value = receive.recv()
    finally:
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "store":
        raise StoreError(value)
    if kind == "error":
        raise QueryError(value)
    return value


def facts(entity: str, source: Any = None) -> Rows:
    """Every claim the entity takes part in, with its role, status and evidence offsets."""
    result = query("facts-about", source, entity=entity)
    if not isinstance(result, Rows):  # pragma: no cover - facts-about is a SELECT
        raise QueryError("facts-about must be a SELECT query")
    return result


def summary(source: Any = None) -> dict[str, Any]:
    """Counts of entities, claims and sources, and each competency query's answer."""
    source = _source(source)
    counts = queries_module.run("counts", source)[0]
    answers = []
    for name in COMPETENCY_QUERIES:
        definition = queries_module.get_query(name)
        answers.append({"query": definition, "rows": queries_module.run(definition, source)})
    return {
        "entities": int(counts["entities"]),
        "claims": int(counts["claims"]),
        "sources": int(counts["sources"]),
        "answers": answers,
    }
