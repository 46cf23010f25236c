"""The timeline graph derived in bounded memory (projections.timeline_pieces): the same table by the
streamed road and by the road that gathers every claim's rows first."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib

from automaker_kg import projections
from automaker_kg.store import open_store

AKG = "https://w3id.org/automaker-kg/ontology#"
KG = "https://w3id.org/automaker-kg/id/"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _gathered(source) -> set[bytes]:
    """The table as the road that reads every claim's rows before placing any in time."""
    out = io.BytesIO()
    projections._derive_timeline(source, None, None, out, stream=False)
    return set(out.getvalue().splitlines())


def test_streamed_table_is_the_gathered_table_on_the_shipped_graph(built_store):
    """Claims placed as they stream (and the linked ones at the end) give every row the
    gathered road gives, and no other."""
    store = open_store(built_store)
    streamed = projections.timeline_ntriples(store)
    lines = streamed.splitlines()
    assert len(lines) == len(set(lines)) > 1000
    assert set(lines) == _gathered(store)
    renault_nissan = [line for line in lines if b"/standing/" in line and b"ofClaim" in line]
    assert renault_nissan  # standings of the stakes (held, resolved in their groups)


def test_pieces_are_cut_at_line_ends(built_store):
    """Every piece but none cut inside a line; together the whole table."""
    store = open_store(built_store)
    whole = projections.timeline_ntriples(store)
    parts = list(projections.timeline_pieces(store, size=10_000))
    assert len(parts) > 3
    assert all(part.endswith(b"\n") for part in parts)
    assert b"".join(parts) == whole


def _claims_store(triples: list[tuple[str, str, str | tuple[str, str]]]) -> ox.Store:
    store = ox.Store()
    for s, p, o in triples:
        if isinstance(o, tuple):
            obj = ox.Literal(o[0], datatype=ox.NamedNode(o[1]))
        else:
            obj = ox.NamedNode(o)
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, ox.NamedNode("urn:test:g")))
    return store


def test_a_claim_whose_rows_come_apart_is_gathered_instead():
    """A claim with two statuses comes twice in the stream (once per status): the stream
    notices and the table is derived again the gathered way, the same as rdflib's."""
    triples = []
    for n in range(5):
        claim = f"{KG}claim/c{n}"
        triples += [
            (claim, f"{AKG}status", f"{AKG}OfficialStatement"),
            (claim, f"{AKG}validFrom", (f"2020-01-0{n + 1}", XSD_DATE)),
        ]
    triples.append((f"{KG}claim/c2", f"{AKG}status", f"{AKG}Plan"))
    store = _claims_store(triples)
    with pytest.raises(projections._Ungrouped):
        list(projections._grouped_time_rows(projections._store_time_rows(store, None)))
    dataset = rdflib.Dataset(default_union=True)
    dataset.graph(rdflib.URIRef("urn:test:g")).parse(
        data="\n".join(
            f"<{s}> <{p}> " + (f'"{o[0]}"^^<{o[1]}>' if isinstance(o, tuple) else f"<{o}>") + " ."
            for s, p, o in triples
        ),
        format="nt",
    )
    got = projections.timeline_ntriples(store)
    assert set(got.splitlines()) == set(projections.timeline_ntriples(dataset).splitlines())
    assert got.count(b"ofClaim") == 5  # one standing each (of two statuses, one is read)


def test_the_rows_of_some_claims_are_those_of_the_whole_table(built_store):
    """``claims`` (a rebuild's closure: every claim linked by supersession or a stake's
    holder and target) gives exactly the whole table's rows of those claims."""
    from automaker_kg.rederive import _closure

    store = open_store(built_store)
    whole = projections.timeline_ntriples(store).splitlines()
    claims = sorted({line.split(b" ")[2][1:-1].decode() for line in whole if b"ofClaim" in line})
    closure = _closure(store, set(claims[::7]))
    assert closure is not None and len(closure) > len(claims[::7])
    rows = projections.timeline_ntriples(store, closure).splitlines()
    nodes = tuple(f"<{iri}/standing/".encode() for iri in closure)
    assert set(rows) == {line for line in whole if line.startswith(nodes)}
