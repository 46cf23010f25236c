"""The caches kept with a store generation answer exactly as the store does.

Every projection (kind, ``as_of``, ``known_on``), the name index, and the commands that read
them (``path``, ``ownership``, ``shares``, ``facts``, ``diff``, ``query`` with a name) are
compared with the same answer computed from the store with the cache taken away.
"""

from __future__ import annotations

import contextlib
import gc
import json
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automaker_kg import cache, projections, queries
from automaker_kg.store import current_generation, open_store
from conftest import untraced

KINDS = ("all", "ownership", "technology", "alliances")
DAYS = (None, "2019-10-01", "2023-07-01", "2024-01-01", "2025-06-01")


def dump(G) -> str:
    """Nodes and edges in their order, with every attribute, and the graph's own."""
    return json.dumps(
        [list(G.nodes(data=True)), list(G.edges(keys=True, data=True)), G.graph], default=str
    )


@pytest.fixture(scope="module")
def kept(built_store: Path) -> cache.Cache:
    found = cache.open_cache(built_store)
    assert found is not None, "the build writes a cache into every generation"
    return found


@pytest.fixture(scope="module")
def uncached(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store whose generation has no cache (as before caches existed)."""
    copy = tmp_path_factory.mktemp("uncached") / "kg"
    shutil.copytree(built_store, copy, symlinks=True)
    generation = current_generation(copy)
    assert generation is not None
    (generation / cache.CACHE_FILE).unlink()
    return copy


def test_the_build_writes_the_cache_into_the_generation(built_store: Path):
    generation = current_generation(built_store)
    assert generation is not None and (generation / cache.CACHE_FILE).is_file()


def test_a_generation_without_cache_has_none(uncached: Path):
    assert cache.open_cache(uncached) is None


def test_a_cache_of_another_version_is_not_read(tmp_path: Path, built_store: Path):
    generation = current_generation(built_store)
    assert generation is not None
    copy = tmp_path / cache.CACHE_FILE
    shutil.copy(generation / cache.CACHE_FILE, copy)
    import sqlite3

    with contextlib.closing(sqlite3.connect(copy)) as db, db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
    with pytest.raises(ValueError, match="cache version 0"):
        cache.Cache(copy)


def test_a_dropped_cache_closes_its_connection(built_store: Path):
    """A caller that never calls close() leaves no SQLite connection open once the cache goes."""
    generation = current_generation(built_store)
    assert generation is not None
    kept = cache.Cache(generation / cache.CACHE_FILE)
    db = kept._db
    assert db.execute("SELECT count(*) FROM meta").fetchone()[0] > 0
    del kept
    gc.collect()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every table of a cache file, row by row in the order written."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: db.execute(f"SELECT * FROM {n} ORDER BY rowid").fetchall() for n in names}


def test_cache_from_the_store_is_the_cache_of_the_plain_queries(built_store, tmp_path):
    """A store's rows are read by scans joined in Python (names, evidence, claim facts):
    the tables are those of the same quads read by the plain queries (rdflib's route)."""
    import rdflib

    from automaker_kg.terms import from_oxigraph

    store = open_store(built_store)
    dataset = rdflib.Dataset(default_union=True)
    for q in store:
        graph = dataset.graph(rdflib.URIRef(q.graph_name.value))
        graph.add((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))
    (tmp_path / "store").mkdir()
    (tmp_path / "plain").mkdir()
    fast = tables(cache.write(store, tmp_path / "store"))
    plain = tables(cache.write(dataset, tmp_path / "plain"))  # type: ignore[arg-type]
    assert fast.keys() == plain.keys()
    for name in fast:
        assert fast[name] == plain[name], name
    assert fast["claims"] and fast["edges"] and fast["names"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("as_of", DAYS)
def test_cached_projection_is_the_store_projection(kept, built_store, kind, as_of):
    """Same nodes, edges, attributes and order as projections.project on the store."""
    source = open_store(built_store)
    assert dump(kept.project(kind, as_of=as_of)) == dump(
        projections.project(source, kind, as_of=as_of)
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(KINDS),
    as_of=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2027, 1, 1))),
    known=st.dates(date(2000, 1, 1), date(2027, 1, 1)),
)
def test_cached_projection_known_on_any_day_is_the_store_projection(
    kept, built_store, kind, as_of, known
):
    """``known_on`` resolves the cached records: the same answer as the store's."""
    source = open_store(built_store)
    assert dump(kept.project(kind, as_of=as_of, known_on=known)) == dump(
        projections.project(source, kind, as_of=as_of, known_on=known)
    )


def test_projection_around_an_entity_keeps_its_edges(kept):
    nissan = "https://w3id.org/automaker-kg/id/nissan"
    whole = kept.project("all", as_of="2024-01-01", known_on="2023-11-08")
    around = kept.project("all", as_of="2024-01-01", known_on="2023-11-08", around=[nissan])
    mine = {k for u, v, k in whole.edges(keys=True) if nissan in (u, v)}
    assert {k for _, _, k in around.edges(keys=True)} == mine and mine


def test_name_index_is_the_store_names(kept, built_store):
    assert kept.candidates() == queries.name_candidates(open_store(built_store))


def test_a_bad_day_is_refused_as_by_the_store(kept):
    from automaker_kg.errors import ParameterError

    with pytest.raises(ParameterError, match="not an ISO date"):
        kept.project("all", as_of="2024-13-01")


# ------------------------------------------------------------------ the commands, both ways

COMMANDS = [
    ("path", "Aramco", "Nissan"),
    ("path", "Renault", "Geely", "--paths", "3", "--as-of", "2024-01-01"),
    ("path", "Aramc", "Nissan"),
    ("path", "Nisan", "Renault"),
    ("ownership", "--as-of", "2024-01-01"),
    ("ownership", "--as-of", "2023-07-01", "--target", "Nissan", "--explain"),
    ("ownership", "--as-of", "2024-01-01", "--known-on", "2023-03-01", "-f", "json"),
    ("ownership", "--as-of", "2025-06-01", "--holder", "Renault", "-f", "csv"),
    ("ownership", "--as-of", "2024-01-01", "--holder", "Nisan"),
    ("ownership", "--target", "Nissan", "--holder", "Renault", "-f", "json"),
    ("shares", "Nissan", "--as-of", "2025-06-01", "--explain"),
    ("shares", "--known-on", "2024-01-01", "-f", "json"),
    ("facts", "Nissan"),
    ("facts", "Renault", "--as-of", "2023-07-01", "--known-on", "2023-03-01", "-f", "json"),
    ("facts", "Nisan"),
    ("diff", "2005-01-01", "2025-01-01", "--known-on", "2024-01-01"),
    ("query", "stakes-in-company", "-p", "company=Nissan"),
    ("query", "stakes-in-company", "-p", "company=Nisan"),
    ("query", "stakes-in-company", "-p", "company=Geely"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_commands_answer_the_same_from_the_cache(cli, built_store, uncached, args):
    with_cache = cli(*args, "--store", built_store)
    without = cli(*args, "--store", uncached)
    assert (with_cache.exit_code, with_cache.stdout, with_cache.stderr) == (
        without.exit_code,
        without.stdout,
        without.stderr.replace(str(uncached), str(built_store)),
    )


def test_cached_times_cover_every_claim_of_the_projection(kept):
    """Each edge's claim has its reading known today, so ``as_of`` filters spans only."""
    G = kept.project("all")
    times = kept.times()
    assert {d["claim"] for _, _, d in G.edges(data=True)} <= set(times)
    day = (date(2024, 1, 1) - timedelta(days=1)).isoformat()
    shown = {k for _, _, k in kept.project("all", as_of=day).edges(keys=True)}
    assert shown == {c for c, t in times.items() if t.on(day)} & {
        k for _, _, k in G.edges(keys=True)
    }


# ------------------------------------------------------------------ the name index


def _outcome(resolve, name):
    try:
        return ("found", str(resolve(name) if name is not None else resolve()))
    except Exception as exc:  # the error itself is the answer to compare
        return (type(exc).__name__, str(exc))


def _typed(kept):
    """Names people type: every label, alias and identifier, and pieces of them."""
    names = []
    for c in kept.candidates():
        names += [c.label, *c.aliases, *c.identifiers]
    return sorted({n for n in names if n})


def test_name_index_resolves_every_name_as_the_resolver(kept):
    from automaker_kg.names import resolve

    everyone = kept.candidates()
    typed_names = [
        typed
        for name in _typed(kept)
        for typed in (name, name.upper(), name[: max(1, len(name) // 2)], name[1:], name + "x")
    ]
    with untraced():  # the reference: names.resolve over every candidate
        expected = [_outcome(lambda n: resolve(n, everyone), typed) for typed in typed_names]
    for typed, reference in zip(typed_names, expected, strict=True):
        assert _outcome(kept.resolve_name, typed) == reference, typed


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_name_index_answers_any_text_as_the_resolver(kept, data):
    """Misspelled, cut, mixed or random names: the same entity, or the same error with the
    same suggestions, as names.resolve over every candidate."""
    from automaker_kg.names import resolve

    everyone = kept.candidates()
    base = data.draw(st.sampled_from(_typed(kept)))
    typed = data.draw(
        st.one_of(
            st.text(max_size=12),
            st.just(base),
            st.builds(
                lambda i, c: base[:i] + c + base[i + 1 :], st.integers(0, 20), st.characters()
            ),
            st.builds(lambda i: base[:i] + base[i + 1 :], st.integers(0, 20)),
            st.builds(lambda a, b: base[a:b], st.integers(0, 10), st.integers(0, 30)),
        )
    )
    with untraced():  # the reference
        reference = _outcome(lambda n: resolve(n, everyone), typed)
    assert _outcome(kept.resolve_name, typed) == reference


# ------------------------------------------------------------------ path from a part


def _hops(paths):
    return [[(h.source, h.target, h.claim, h.sentence, h.evidence) for h in p] for p in paths]


@pytest.mark.parametrize(
    ("kind", "as_of", "known_on"),
    [("all", None, None), ("all", "2024-01-01", None), ("technology", None, "2024-01-01")],
)
def test_path_from_the_shortest_paths_part_is_the_whole_projections(kept, kind, as_of, known_on):
    """Every pair (and misspelled names): the same path, or the same error, as
    linking_paths on the whole projection with the names resolved among all its nodes."""
    import random

    from automaker_kg.analytics import linking_paths, resolve_entity

    G = kept.project(kind, as_of=as_of, known_on=known_on)
    nodes = sorted(G.nodes)
    typed = nodes + [G.nodes[n]["label"] for n in nodes] + ["Nisan", "Renau", "Geely", "zz"]
    pick = random.Random(11)
    for _ in range(60):
        a, b = pick.choice(typed), pick.choice(typed)

        def whole(a=a, b=b):
            start, end = resolve_entity(G, a), resolve_entity(G, b)
            return _hops(linking_paths(G, start, end, k=1, max_hops=4))

        def part(a=a, b=b):
            H, start, end = kept.path_graph(kind, a, b, as_of=as_of, known_on=known_on, max_hops=4)
            return _hops(linking_paths(H, start, end, k=1, max_hops=4))

        assert _outcome(part, None) == _outcome(whole, None), (a, b)


@given(
    edges=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=40),
    a=st.integers(0, 12),
    b=st.integers(0, 12),
    max_hops=st.one_of(st.none(), st.integers(0, 6)),
)
def test_nodes_between_two_ends_are_those_of_every_shortest_path(edges, a, b, max_hops):
    """The search from both ends gives the nodes whose distances from the two ends add up to
    the shortest path's length (at most max_hops), else the two ends alone."""
    near: dict[int, list[int]] = {n: [] for n in range(13)}
    for u, v in edges:
        near[u].append(v)
        near[v].append(u)

    def distances(origin: int) -> dict[int, int]:
        seen, frontier = {origin: 0}, [origin]
        while frontier:
            grown = []
            for u in frontier:
                for v in near[u]:
                    if v not in seen:
                        seen[v] = seen[u] + 1
                        grown.append(v)
            frontier = grown
        return seen

    from_a, from_b = distances(a), distances(b)
    length = from_a.get(b)
    if length is None or (max_hops is not None and length > max_hops):
        expected = {a, b}
    else:
        expected = {n for n, d in from_a.items() if d + from_b.get(n, 99) == length}
    found = cache._between(lambda nodes: {n: near[n] for n in nodes}, a, b, max_hops)
    assert found == expected


@pytest.mark.parametrize(
    ("as_of", "known_on"),
    [("2024-01-01", None), ("2023-07-01", "2023-03-01"), ("2025-06-01", None)],
)
def test_ownership_of_one_holder_or_target_from_its_chains_is_the_whole_tables(
    kept, as_of, known_on
):
    """ownership_table on the part along the holder's (or into the target's) chains gives
    the whole projection's rows, integrated figures included, for every company."""
    from automaker_kg.analytics import ownership_table, resolve_entity

    G = kept.project("ownership", as_of=as_of, known_on=known_on)
    names = sorted(G.nodes) + ["Renault", "Nisan"]
    for holder, target in [(n, None) for n in names] + [(None, n) for n in names[::3]]:
        for method, rel in (
            ("integrated", "shareholding"),
            ("non_reflexive", "shareholding"),
            ("integrated", "voting_rights"),
        ):

            def whole(holder=holder, target=target, method=method, rel=rel):
                h = resolve_entity(G, holder) if holder is not None else None
                t = resolve_entity(G, target) if target is not None else None
                return ownership_table(G, rel, method=method, holder=h, target=t)

            def part(holder=holder, target=target, method=method, rel=rel):
                H, h, t = kept.ownership_graph(
                    as_of=as_of, known_on=known_on, holder=holder, target=target, relation=rel
                )
                return ownership_table(H, rel, method=method, holder=h, target=t)

            assert _outcome(part, None) == _outcome(whole, None), (holder, target, method, rel)


@pytest.mark.parametrize(
    ("kind", "as_of", "known_on"),
    [("all", None, None), ("ownership", "2023-07-01", None), ("all", "2019-10-01", "2024-01-01")],
)
def test_nodes_found_by_index_as_the_resolver_finds_them(kept, kind, as_of, known_on):
    """A node named by label, alias, identifier, piece or misspelling: the same node, or the
    same error with the same suggestions, as resolve_entity over the whole projection."""
    import random

    from automaker_kg.analytics import resolve_entity
    from automaker_kg.cache import _Shown

    G = kept.project(kind, as_of=as_of, known_on=known_on)
    shown = _Shown(kept, kind, as_of, known_on)
    names = sorted({x for c in kept.candidates() for x in (c.label, *c.aliases) if x})
    pick = random.Random(3)
    for _ in range(400):
        base = pick.choice(names)
        i = pick.randrange(len(base) + 1)
        typed = pick.choice([base, base.lower(), base[:i], base[:i] + base[i + 1 :], base + "s"])
        assert _outcome(lambda n: shown.iri(shown.find(n)), typed) == _outcome(
            lambda n: resolve_entity(G, n), typed
        ), typed


# ------------------------------------------------------------------ what commands load

HEAVY = ("pyvis", "scipy", "pyshacl", "jinja2", "numpy", "pydantic")
#: What each command answers without, beyond HEAVY: RDF terms where it prints plain values.
NOT_NEEDED = {
    "stats": ("rdflib", "networkx"),
    "query": ("rdflib", "networkx"),  # values bound and the table printed as Oxigraph's terms
    "facts": ("rdflib",),  # a store's answers as Oxigraph's terms, the table from their text
    "path": ("rdflib",),
    "ownership": ("rdflib",),  # and no SciPy: a small graph's sums are plain Python
}


@pytest.mark.parametrize(
    "args",
    [
        ("query", "cross-holdings"),
        ("query", "stakes-in-company", "-p", "company=Nisan"),
        ("facts", "Nissan"),
        ("path", "Aramco", "Nissan"),
        ("path", "Aramc", "Nissan"),
        ("stats",),
        ("ownership", "--as-of", "2024-01-01"),
        ("ownership", "--holder", "Renault", "--method", "non_reflexive"),
    ],
    ids=" ".join,
)
def test_light_commands_load_no_heavy_module(built_store, args):
    """query, facts, path, stats and ownership start without the views', SciPy's, SHACL's
    or pydantic's libraries (a fresh process, its imports listed by -X importtime)."""
    import os
    import subprocess
    import sys

    src = str(Path(cache.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "automaker_kg.cli", *args],
        env={**env, "AUTOMAKER_KG_STORE": str(built_store)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    unwanted = HEAVY + NOT_NEEDED.get(args[0], ())
    heavy = sorted(m for m in loaded if m.split(".")[0] in unwanted)
    assert done.returncode in (0, 1, 2) and heavy == [], heavy
