"""The timeline graph derived in bounded memory (projections.timeline_pieces): the same table by the
streamed road and by the road that gathers every claim's rows first."""

from __future__ import annotations

import io
from datetime import date

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st

from automaker_kg import projections, temporal
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


def test_the_table_is_every_claim_as_the_projections_read_it(built_store):
    """Every claim with a status, read as the projections read claims (its facts by class,
    its evidence, its documents' days) and placed in time by ``temporal.segments``, gives
    the derived table line for line: the table's own reading changes no claim's meaning."""
    store = open_store(built_store)
    classes = {
        row[0].value
        for row in store.query(
            f"SELECT DISTINCT ?class WHERE {{ ?claim <{AKG}status> ?status ; a ?class }}",
            use_default_graph_as_union=True,
        )
    }
    evidence = projections._evidence(store)
    claims: dict[str, projections._Claim] = {}
    for cls in sorted(classes):
        for claim in projections._claims(store, rdflib.URIRef(cls), evidence):
            claims.setdefault(claim.iri, claim)
    records, founded = projections._time_inputs(
        store, list(claims.values()), projections._Entities(store)
    )
    assert any(r.published for r in records) and any(r.subject for r in records)
    lines: list[str] = []
    projections._standing_lines(temporal.segments(records, founded=founded), lines)
    table = projections.timeline_ntriples(store).decode().splitlines()
    assert sorted(table) == sorted(lines)


def _hand_made_store(dated: bool = True) -> ox.Store:
    """Claims whose rows can be checked by eye: evidence from two dated documents and an
    undated one, a plan, an instant, and a stake changed by a later one that supersedes it."""
    store = ox.Store()
    g = ox.NamedNode("urn:test:g")

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> None:
        subject = ox.BlankNode(s[2:]) if s.startswith("_:") else ox.NamedNode(s)
        store.add(ox.Quad(subject, ox.NamedNode(p), o, g))

    def day(text: str) -> ox.Literal:
        return ox.Literal(text, datatype=ox.NamedNode(XSD_DATE))

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for n, published in ((1, "2023-05-01"), (2, "2023-02-06"), (3, None)):
        doc = f"{KG}document/d{n}"
        add(doc, rdf_type, ox.NamedNode(f"{AKG}SourceDocument"))
        if published and dated:
            add(doc, "http://purl.org/dc/terms/date", day(published))

    def claim(name: str, status: str, docs: tuple[int, ...], **facts) -> str:
        iri = f"{KG}claim/{name}"
        add(iri, f"{AKG}status", ox.NamedNode(f"{AKG}{status}"))
        for n in docs:
            add(iri, "http://www.w3.org/ns/prov#wasDerivedFrom", ox.BlankNode(f"{name}{n}"))
            add(
                f"_:{name}{n}",
                "http://www.w3.org/ns/oa#hasSource",
                ox.NamedNode(f"{KG}document/d{n}"),
            )
        for prop, value in facts.items():
            add(iri, f"{AKG}{prop}", value)
        return iri

    claim("known", "OfficialStatement", (1, 2, 3))
    claim("plan", "PlanOrExpectation", (1,), validFrom=day("2024-01-01"))
    claim("instant", "HistoricalFact", (2,), validFrom=day("2020-01-01"), validTo=day("2020-01-01"))
    stake = {"holder": ox.NamedNode(f"{KG}r"), "target": ox.NamedNode(f"{KG}n")}
    old = claim(
        "old",
        "HistoricalFact",
        (2,),
        shareExact=ox.Literal(
            "43", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
        ),
        **stake,
    )
    add(old, rdf_type, ox.NamedNode(f"{AKG}EquityStake"))
    new = claim(
        "new",
        "OfficialStatement",
        (1,),
        validFrom=day("2023-05-01"),
        supersedes=ox.NamedNode(old),
        shareExact=ox.Literal(
            "15", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
        ),
        **stake,
    )
    add(new, rdf_type, ox.NamedNode(f"{AKG}EquityStake"))
    return store


def _rows(table: bytes) -> set[tuple[str, ...]]:
    """Each standing as (claim, standing, shownFrom, shownUntil, knownFrom, knownUntil)."""
    nodes: dict[str, dict[str, str]] = {}
    for line in table.decode().splitlines():
        node, prop, value = line.removesuffix(" .").split(" ", 2)
        name = prop.rsplit("#", 1)[-1][:-1]
        nodes.setdefault(node, {})[name] = value.split('"')[1] if '"' in value else value
    return {
        (
            v["ofClaim"].rsplit("/", 1)[-1][:-1],
            v["standing"].rsplit("#", 1)[-1][:-1],
            *(v.get(k, "") for k in ("shownFrom", "shownUntil", "knownFrom", "knownUntil")),
        )
        for v in nodes.values()
    }


def test_the_table_of_hand_made_claims_is_the_one_worked_out_by_hand():
    """A claim is known from its earliest dated document (an undated one counts for
    nothing), a plan is shown from its publication, an instant never; a later fact that
    supersedes a stake ends it at its start, once known."""
    table = projections.timeline_ntriples(_hand_made_store())
    assert _rows(table) == {
        ("known", "InForce", "2023-02-06", "", "2023-02-06", ""),
        ("plan", "Planned", "2023-05-01", "", "2023-05-01", ""),
        ("old", "InForce", "2023-02-06", "", "2023-02-06", "2023-05-01"),
        ("old", "InForce", "2023-02-06", "2023-05-01", "2023-05-01", ""),
        ("new", "InForce", "2023-05-01", "", "2023-05-01", ""),
    }


_DAYS = st.one_of(st.none(), st.dates(date(2019, 1, 1), date(2026, 12, 31)))


@given(
    status=st.sampled_from([None, *temporal._ROLE]),
    valid_from=_DAYS,
    valid_to=_DAYS,
    day=_DAYS,
    published=_DAYS,
    birth=_DAYS,
)
def test_a_claim_alone_is_placed_as_in_a_group(status, valid_from, valid_to, day, published, birth):
    """``temporal.alone`` (the road of a claim no other can affect) gives the rows the
    grouped road gives the same claim beside an unrelated one."""
    founded = {"urn:e": birth} if birth else {}
    claim = temporal.ClaimTime(
        "urn:a", status=status, valid_from=valid_from, valid_to=valid_to, date=day,
        published=published, entities=("urn:e",),
    )  # fmt: skip
    other = temporal.ClaimTime("urn:b", status="plan", published=date(2022, 1, 1))
    grouped = [s for s in temporal.segments([claim, other], founded=founded) if s.claim == "urn:a"]
    assert temporal.alone(claim, founded) == grouped
    assert temporal.segments([claim], founded=founded) == grouped


def test_with_no_dated_document_no_claim_has_a_known_day():
    """The same claims, their documents undated: no claim is known from a day (rule 3: a
    fact without a start holds from no day; a plan is shown from its stated start)."""
    table = projections.timeline_ntriples(_hand_made_store(dated=False))
    assert _rows(table) == {
        ("known", "InForce", "", "", "", ""),
        ("plan", "Planned", "2024-01-01", "", "", ""),
        ("old", "InForce", "", "2023-05-01", "", ""),
        ("new", "InForce", "2023-05-01", "", "", ""),
    }
