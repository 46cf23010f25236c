"""Unit tests for the offline HTML views (render.py): no browser, the page as text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import pyvis.network
import rdflib
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from automaker_kg import paths, render

DATA = Path(__file__).parent / "data" / "views"
ID = "https://w3id.org/automaker-kg/id/"

# The elements our page template writes; anything else would have come from data.
PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "script", "body", "header", "h1", "h2", "p",
    "form", "label", "input", "datalist", "button", "span", "main", "div", "aside", "ul", "li",
    "svg", "line", "circle", "polygon", "rect", "ellipse", "section", "strong",
}  # fmt: skip


def load(name: str) -> nx.MultiDiGraph:
    """A hand-built projection graph (contract schema) from tests/data/views/NAME.json."""
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="edges", source="from", target="to", key="key")


class Page(HTMLParser):
    """Collects the tags, attributes and script bodies of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"script", "style"}:
            self._in, self._attrs = tag, dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append((self._attrs, data))
        elif self._in == "style":
            self.styles.append(data)
        else:
            self.text.append(data)

    def data(self) -> dict:
        """The graph payload embedded in the page."""
        (body,) = [s for a, s in self.scripts if a.get("id") == "akg-data"]
        assert a_type(self) == "application/json"
        return json.loads(body)


def a_type(page: Page) -> str | None:
    return next(a.get("type") for a, _ in page.scripts if a.get("id") == "akg-data")


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return load("renault-nissan")


@pytest.fixture(scope="module")
def page(graph: nx.MultiDiGraph) -> Page:
    return Page(render.render_view(graph, title="Renault and Nissan", subtitle="fixture"))


def edge_keys(G: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(str(u), str(v), str(k)) for u, v, k in G.edges(keys=True)}


def claim_keys(data: dict) -> list[tuple[str, str, str]]:
    """(from, to, key) of every claim the page carries, on whichever line it is."""
    return [(e["from"], e["to"], c["key"]) for e in data["edges"] for c in e["claims"]]


def claims_by_key(data: dict) -> dict[tuple[str, str, str], dict]:
    return {(e["from"], e["to"], c["key"]): c for e in data["edges"] for c in e["claims"]}


def test_page_loads_nothing_from_the_network(page: Page) -> None:
    """No element of the page refers to a resource by URL: scripts and styles are inline."""
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "action", "data", "poster", "xlink:href"):
            assert attrs.get(name) is None, (tag, name, attrs.get(name))
        assert tag not in {"link", "img", "iframe", "object", "embed"}
    for css in page.styles:
        assert not re.search(r"@import|url\(\s*(?!['\"]?data:)", css)
    code = "".join(s for a, s in page.scripts if a.get("type") is None)
    assert "vis.Network" in code and "DataSet" in code  # vis-network itself is inlined


def test_every_node_and_edge_is_embedded(graph: nx.MultiDiGraph, page: Page) -> None:
    """The embedded data holds exactly the graph's nodes, and each claim once on the line of
    its subject (holder, target and interest)."""
    data = page.data()
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert len(data["nodes"]) == graph.number_of_nodes()
    keys = claim_keys(data)
    assert set(keys) == edge_keys(graph) and len(keys) == graph.number_of_edges() == 16
    subjects = {(u, v, d["relation"]) for u, v, d in graph.edges(data=True)}
    assert len(data["edges"]) == len(subjects) < 16
    assert {(e["from"], e["to"], e["relation"]) for e in data["edges"]} == subjects
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["https://w3id.org/automaker-kg/id/nissan"] == "Nissan"


def test_edge_tooltip_states_claim_status_and_source(graph: nx.MultiDiGraph, page: Page) -> None:
    """Each claim's tooltip text has its words, its status, source and offsets (no raw IRI)."""
    by_key = claims_by_key(page.data())
    for u, v, k, attrs in graph.edges(keys=True, data=True):
        claim = by_key[(u, v, str(k))]
        text = claim["text"]
        assert attrs["label"] in text
        assert render.STATUS_STYLE[attrs["status"]][1] in text
        assert f"source: doc:{attrs['source'].rsplit('/', 1)[1]}" in text
        start, end = attrs["evidence"][0].rsplit("#", 1)[1].split("-")
        assert f"characters {start}\u2013{end}" in text
        assert "https://" not in text and claim["claim"] == attrs["claim"]


def test_node_tooltip_names_iri_and_sources(page: Page) -> None:
    """A node's tooltip gives its IRI, kind and the documents its claims come from."""
    node = next(n for n in page.data()["nodes"] if n["label"] == "Ampere")
    assert "IRI: https://w3id.org/automaker-kg/id/ampere" in node["text"]
    assert "kind: division" in node["text"]
    assert "source: doc:fixture-article" in node["text"]


def test_style_follows_kind_status_share_and_relation(page: Page) -> None:
    """Shape/colour by kind, dashes by status, width by share, withholds edges red and labelled."""
    data = page.data()
    nodes = {n["label"]: n for n in data["nodes"]}
    assert (nodes["Renault"]["shape"], nodes["Ampere"]["shape"]) == ("dot", "diamond")
    assert nodes["Gasoline engine JV"]["shape"] == "hexagon"
    assert nodes["e-Power hybrid system"]["shape"] == "box"
    assert nodes["Aramco"]["color"]["background"] == render.NODE_STYLE["energy"][1]
    edges = data["edges"]
    claims = [c for e in edges for c in e["claims"]]
    dashes = {c["status"]: c["dashes"] for c in claims}
    assert dashes["official"] is False  # official and historical apart
    assert dashes["historical"] and dashes["reported"] and dashes["plan"]
    assert dashes["floated"] and dashes["allegation"]
    assert len({json.dumps(d) for d in dashes.values()}) == 6  # solid + five distinct patterns
    stakes = {
        c["display"]: c["width"]
        for e in edges
        if e["relation"] == "shareholding"
        for c in e["claims"]
    }
    assert stakes["43.4%"] > stakes["15%"] > stakes["1\u20135%"]
    (withholds,) = [e for e in edges if e["relation"] == "withholds"]
    assert withholds["labelled"] and withholds["claims"][0]["display"] == "withholds"
    assert withholds["color"]["color"] == render.MARKED_RELATIONS["withholds"]
    # the lines between one pair are curved apart, not drawn on top of each other
    pair = {"https://w3id.org/automaker-kg/id/renault", "https://w3id.org/automaker-kg/id/nissan"}
    rn = [e for e in edges if {e["from"], e["to"]} == pair]
    assert len(rn) >= 2 and all(e["smooth"]["enabled"] for e in rn)
    assert len({(e["from"], e["smooth"]["roundness"]) for e in rn}) == len(rn)


def test_legend_lists_kinds_and_statuses_present(page: Page) -> None:
    """The legend names every kind and status that the view shows, with counts."""
    text = " ".join(" ".join(page.text).split())
    for words in ("automaker (4)", "division (1)", "joint venture (1)", "market (1)"):
        assert words in text
    for words in ("official statement (10)", "reported by unnamed sources (2)"):
        assert words in text
    assert "equity stake (thicker is larger)" in text and "voting rights" in text
    # every line's colour is named, the contribution lines and the red withholding included
    assert "capital contribution / operational engagement" in text
    assert "develops" in text and "withholds" in text and "protects" not in text
    assert "media organization" not in text


def test_hostile_labels_stay_text() -> None:
    """Markup in names, kinds, statuses, labels, sources and titles never becomes markup."""
    G = load("hostile")
    raw = render.render_view(G, title="<script>window.__pwned=9</script>", subtitle="<b>s</b>")
    page = Page(raw)
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS
    assert sum(tag == "script" for tag, _ in page.tags) == 3  # vis, data, page code
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    for needle in ("<script>window", "<img", "<iframe", "<svg onload", "</script><script>"):
        assert needle not in raw
    assert "<script>window.__pwned=9</script>" in page.text  # shown literally as the heading
    data = page.data()
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert {n["label"] for n in data["nodes"]} == {d["label"] for _, d in G.nodes(data=True)}
    assert set(claim_keys(data)) == edge_keys(G)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=st.text(max_size=40), edge_label=st.text(max_size=40))
def test_any_label_round_trips_as_text(label: str, edge_label: str) -> None:
    """Whatever a label holds, the page's markup is the template's and the label comes back."""
    assume(label != "a")  # the label is also the second node's key
    G = nx.MultiDiGraph()
    G.add_node("a", label=label, kind="automaker", iri="a")
    G.add_node(label or "b", label=label, kind="person", iri="b")
    G.add_edge("a", label or "b", relation="withholds", status="reported", label=edge_label)
    page = Page(render.render_view(G, title=label, subtitle=edge_label))
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS
    assert sum(tag == "script" for tag, _ in page.tags) == 3
    data = page.data()
    assert [n["label"] for n in data["nodes"]] == [label or "a", label or (label or "b")]
    assert edge_label in data["edges"][0]["claims"][0]["text"]


def test_narrow_keeps_the_most_connected_and_says_so() -> None:
    """Above max_nodes a view keeps the top-N by degree and the page states it."""
    G = nx.MultiDiGraph()
    for leaf in range(6):
        G.add_edge("hub", f"leaf{leaf}", relation="member", status="official")
    G.add_edge("leaf0", "leaf1", relation="member", status="official")
    H, note = render.narrow(G, 3)
    assert set(H) == {"hub", "leaf0", "leaf1"}
    assert H.number_of_edges() == 3
    assert note == "Narrowed: showing the 3 most connected of 7 entities (3 of 7 claims)."
    page = Page(render.render_view(G, title="t", max_nodes=3))
    assert note in " ".join(page.text)
    data = page.data()
    assert {n["id"] for n in data["nodes"]} == {"hub", "leaf0", "leaf1"}
    assert data["meta"] == {
        "title": "t",
        "narrowed": True,
        "total_nodes": 7,
        "total_edges": 7,
        "folds": False,
    }
    assert render.narrow(G, 7) == (G, None)
    with pytest.raises(ValueError, match="max_nodes must be at least 1, got 0"):
        render.narrow(G, 0)


def test_physics_only_for_small_views() -> None:
    """Small views settle with physics; large ones keep the precomputed layout."""
    small = nx.MultiDiGraph(nx.path_graph(5))
    big = nx.MultiDiGraph(nx.path_graph(render.PHYSICS_MAX_NODES + 1))
    assert Page(render.render_view(small, title="s")).data()["options"]["physics"]["enabled"]
    data = Page(render.render_view(big, title="b")).data()
    assert data["options"]["physics"]["enabled"] is False
    xs = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(xs) == len(data["nodes"])  # every node has its own precomputed position


def two_hubs_and_islands() -> nx.MultiDiGraph:
    """Above SPRING_MAX_NODES: two linked hubs with 700 partners each, plus small islands."""
    G = nx.MultiDiGraph()
    G.add_edge("hub A", "hub B", relation="shareholding", status="official", share=20.0)
    for hub in ("hub A", "hub B"):
        for i in range(700):
            G.add_edge(hub, f"{hub} partner {i}", relation="member", status="reported")
    G.add_edge("pair 1", "pair 2")
    G.add_edges_from([("tri 1", "tri 2"), ("tri 2", "tri 3"), ("tri 3", "tri 1")])
    nx.add_path(G, [f"path {i}" for i in range(40)])
    G.add_node("alone")
    assert G.number_of_nodes() > render.SPRING_MAX_NODES
    return G


def test_large_layout_places_every_node_apart_and_is_deterministic() -> None:
    """Above SPRING_MAX_NODES every entity gets its own position, the same on every run."""
    G = two_hubs_and_islands()
    pos = render.layout(G)
    assert set(pos) == set(G)
    assert len(set(pos.values())) == len(pos)
    assert render.layout(G) == pos
    assert render.layout(G.copy()) == pos


def test_large_layout_keeps_components_apart() -> None:
    """The bounding boxes of the connected components do not overlap."""
    G = two_hubs_and_islands()
    pos = render.layout(G)
    boxes = []
    for nodes in nx.weakly_connected_components(G):
        xs, ys = [pos[n][0] for n in nodes], [pos[n][1] for n in nodes]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    assert len(boxes) == 5
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        for a0, b0, a1, b1 in boxes[i + 1 :]:
            assert x1 < a0 or a1 < x0 or y1 < b0 or b1 < y0


def test_large_layout_puts_partners_around_their_hub() -> None:
    """Each hub's partners lie nearer to their own hub than to the other one."""
    G = two_hubs_and_islands()
    pos = render.layout(G)

    def dist(a: str, b: str) -> float:
        return ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5

    for hub, other in (("hub A", "hub B"), ("hub B", "hub A")):
        for i in range(700):
            assert dist(f"{hub} partner {i}", hub) < dist(f"{hub} partner {i}", other)


def test_view_data_takes_precomputed_positions() -> None:
    """Positions passed in are used as they are; without them the view computes layout(G)."""
    G = two_hubs_and_islands()
    pos = {node: (float(i), -float(i)) for i, node in enumerate(G)}
    nodes, edges = render.view_data(G, pos)
    assert [(n["x"], n["y"]) for n in nodes] == [(float(i), -float(i)) for i in range(len(G))]
    assert render.view_data(G) == render.view_data(G, render.layout(G))
    assert len(edges) == G.number_of_edges()
    net = render.build_network(G, pos)
    assert (net.nodes, net.edges) == (nodes, edges)


def test_build_network_never_calls_pyvis_add_node_or_add_edge(monkeypatch) -> None:
    """The node and edge lists are filled directly, not through pyvis's per-item methods."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pyvis add_node/add_edge called")

    monkeypatch.setattr(pyvis.network.Network, "add_node", refuse)
    monkeypatch.setattr(pyvis.network.Network, "add_edge", refuse)
    G = two_hubs_and_islands()
    net = render.build_network(G, render.layout(G))
    assert net.num_nodes() == G.number_of_nodes() and net.num_edges() == G.number_of_edges()
    assert set(net.node_map) == {str(n) for n in G}


def test_write_site_links_every_view_and_shows_summary(tmp_path: Path, graph) -> None:
    """write_site writes one page per view and an index linking them with the summary."""
    untitled = graph.copy()
    untitled.graph = {"as_of": "2023-12-31"}
    views = {"ownership": untitled, "all": graph, "ego nissan": load("hostile")}
    summary = {"claims": 16, "top owners": [{"holder": "<Renault>", "share": 43.4}]}
    index = render.write_site(tmp_path / "site", views, summary)
    assert index == tmp_path / "site" / "index.html"
    page = Page(index.read_text(encoding="utf-8"))
    hrefs = [a["href"] for tag, a in page.tags if tag == "a"]
    assert hrefs == ["ownership.html", "all.html", "ego-nissan.html"]
    for href in hrefs:
        assert (tmp_path / "site" / href).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    text = " ".join(page.text)
    assert "<Renault>" in text and "43.4" in text
    titles = [t.strip() for t in page.text if t.strip().endswith(("fixture)", "Ownership"))]
    assert titles == ["Ownership", "Renault and Nissan (fixture)"]
    assert "as of 2023-12-31" in text
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS | {
        "a",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "th",
        "td",
    }


def test_inline_iframe_carries_the_page_exactly() -> None:
    """inline() puts the page in a sandboxed iframe's srcdoc that decodes to the same page."""
    raw = render.render_view(load("hostile"), title='"quoted" & <b>')
    view = render.inline(raw, height=420)
    frame = Page(view._repr_html_())
    ((tag, attrs),) = frame.tags
    assert tag == "iframe"
    assert attrs["srcdoc"] == raw
    assert attrs["sandbox"] == "allow-scripts"
    assert "height: 420px" in (attrs["style"] or "")


# --------------------------------------------------------------------------- the real seed


@pytest.fixture(scope="module")
def seed() -> rdflib.Dataset:
    """The ontology, entities and seed claims, each file in a named graph of one dataset."""
    pytest.importorskip("automaker_kg.projections")
    ds = rdflib.Dataset(default_union=True)
    files = [
        *sorted(paths.ontology_dir().glob("*.ttl")),
        paths.graph_dir() / "entities.ttl",
        *sorted((paths.graph_dir() / "seed").glob("*.ttl")),
    ]
    for f in files:
        ds.graph(rdflib.URIRef(f.as_uri())).parse(f, format="turtle")
    return ds


@pytest.mark.parametrize("kind", ["ownership", "technology", "alliances", "all"])
@pytest.mark.parametrize("as_of", [None, "2023-01-01"])
def test_seed_projection_is_rendered_whole(seed, kind: str, as_of: str | None) -> None:
    """Each projection of the seed article renders with exactly its nodes, claims and offsets."""
    from automaker_kg.projections import project

    G = project(seed, kind, as_of=as_of)
    assert G.number_of_edges() > 0
    data = Page(render.render_view(G, title=kind)).data()
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert set(claim_keys(data)) == edge_keys(G)
    by_key = claims_by_key(data)
    for u, v, k, attrs in G.edges(keys=True, data=True):
        claim = by_key[(str(u), str(v), str(k))]
        text = claim["text"]
        assert attrs["label"] in text and claim["claim"] == attrs["claim"]
        assert claim["spans"] == attrs["spans"]  # the time model's reading, as it is
        for item in attrs["evidence"]:
            start, end = item.rsplit("#", 1)[1].split("-")
            assert f"characters {start}\u2013{end}" in text


def test_seed_technology_view_marks_withholding(seed) -> None:
    """In the seed's technology view every withholds/protects claim is a red, labelled line."""
    from automaker_kg.projections import project

    G = project(seed, "technology")
    marked = [d for _, _, d in G.edges(data=True) if d["relation"] in render.MARKED_RELATIONS]
    assert marked, "the seed article has withheld or protected technology"
    edges = Page(render.render_view(G, title="t")).data()["edges"]
    shown = [e for e in edges if e["relation"] in render.MARKED_RELATIONS]
    assert len([c for e in shown for c in e["claims"]]) == len(marked)
    assert all(e["color"]["color"] == "#d62728" and e["labelled"] for e in shown)
    assert all(c["display"] == e["relation"] for e in shown for c in e["claims"])


def test_technology_view_draws_joint_projects_on_technologies(built_store: Path) -> None:
    """The shipped graph's Technology flow page draws Toyota's and Idemitsu's joint project on
    all-solid-state cells as lines of both into the technology, and no market."""
    from automaker_kg.store import open_store

    G = render.view_graph(open_store(built_store), "technology")
    data = Page(render.render_view(G, title="t")).data()
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    joint = {
        (labels[e["from"]], labels[e["to"]])
        for e in data["edges"]
        if e["relation"] == "joint_project"
    }
    assert {("Toyota", "all-solid-state battery"), ("Idemitsu", "all-solid-state battery")} <= joint
    assert not {n for n in G if G.nodes[n]["kind"] == "market"}
    assert set(claim_keys(data)) == edge_keys(G)


def test_view_graph_titles_and_ego(seed) -> None:
    """view_graph sets title and subtitle; ego keeps the neighbours and every claim among them."""
    from automaker_kg.errors import ParameterError, UnknownNameError
    from automaker_kg.projections import project

    G = render.view_graph(seed, "ownership", as_of="2023-01-01")
    assert (G.graph["title"], G.graph["subtitle"]) == (
        "Ownership",
        "opens on 2023-01-01; the slider shows any other date",
    )
    assert G.graph["as_of"] == "2023-01-01" and G.graph["layout"] == "layered"
    seed_doc = G.graph["documents"]["https://w3id.org/automaker-kg/id/document/nissan-renault-2023"]
    assert seed_doc["publisher"] == "Daily Management Review" and seed_doc["date"] == "2023"
    with pytest.raises(ParameterError, match="is not an ISO date"):
        render.view_graph(seed, "ownership", as_of="2023-13-01")
    ego = render.view_graph(seed, "ego", entity="ampere", depth=1)
    everything = project(seed, "all")
    nbrs = set(nx.all_neighbors(everything, ID + "ampere")) | {ID + "ampere"}
    assert set(ego) == nbrs
    assert ego.number_of_edges() == everything.subgraph(nbrs).number_of_edges()
    assert ego.graph["title"] == "Ampere and its neighbours"
    with pytest.raises(ParameterError, match="needs an entity"):
        render.view_graph(seed, "ego")
    with pytest.raises(UnknownNameError, match="unknown view 'owners'"):
        render.view_graph(seed, "owners")


def test_site_summary_counts_claims_once(seed) -> None:
    """The index summary counts each claim once, by status and source, and ranks entities."""
    views = render.site_views(seed)
    summary = render.site_summary(views)
    claims = {d["claim"] for _, _, d in views["all"].edges(data=True)}
    assert summary["claims"] == len(claims) == sum(summary["claims by status"].values())
    assert sum(row["claims"] for row in summary["sources"]) == len(claims)
    assert summary["most connected entities"][0]["entity"] == "Nissan"


def test_cli_view_and_site(cli, built_store: Path, tmp_path: Path) -> None:
    """`automaker-kg view` and `site` write offline pages; bad input exits 2 with a message."""
    out = tmp_path / "own.html"
    result = cli("view", "ownership", "--as-of", "2023-01-01", "-o", out, "--store", built_store)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    assert Page(out.read_text(encoding="utf-8")).data()["nodes"]
    result = cli("view", "ego", "Nissan", "--depth", "1", "--store", built_store, cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "ego-Nissan.html").is_file()
    result = cli("site", "-o", tmp_path / "site", "--store", built_store)
    assert result.exit_code == 0, result.stderr
    pages = sorted(p.name for p in (tmp_path / "site").iterdir())
    assert pages == [
        "all.html",
        "alliances.html",
        "index.html",
        "ownership.html",
        "technology.html",
    ]
    for args, message in (
        (("view", "ego"), "error: the ego view needs an entity"),
        (("view", "owners"), "error: unknown view 'owners'"),
        (("view", "ego", "Nisan"), "error: unknown entity 'Nisan'"),
        (("view", "all", "--as-of", "2023-13-01"), "is not an ISO date"),
    ):
        result = cli(*args, "--store", built_store, cwd=tmp_path)
        assert (result.exit_code, message in result.stderr) == (2, True), result.stderr
        assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- time and layout


def stake(G: nx.MultiDiGraph, u: str, v: str, key: str, share: float, spans: list) -> None:
    for node in (u, v):
        G.add_node(node, label=node.capitalize(), kind="automaker", iri=node)
    G.add_edge(u, v, key=key, relation="shareholding", share=share, status="official",
               claim=key, spans=spans, known_from=spans[0][0])  # fmt: skip


def test_claims_of_one_subject_share_a_line_and_keep_their_spans() -> None:
    """Three claims about Renault's stake in Nissan are one line; each keeps its spans, latest
    published first, and the timeline lists every change and opens on as_of."""
    G = nx.MultiDiGraph()
    stake(G, "renault", "nissan", "c43", 43.4, [["2023-02-06", "2023-11-08", "in force"]])
    stake(G, "renault", "nissan", "c15", 15.0, [["2023-11-08", None, "in force"]])
    stake(G, "renault", "nissan", "p10", 10.0, [["2025-01-01", None, "planned"]])
    G.graph["as_of"] = "2024-01-01"
    data = Page(render.render_view(G, title="t")).data()
    (line,) = data["edges"]
    assert [c["key"] for c in line["claims"]] == ["p10", "c15", "c43"]
    assert line["claims"][2]["spans"] == [["2023-02-06", "2023-11-08", "in force"]]
    assert data["timeline"]["start"] == "2024-01-01"
    assert data["timeline"]["changes"] == ["2023-02-06", "2023-11-08", "2025-01-01"]
    assert data["timeline"]["first"] == "2023-02-06"


def test_a_graph_without_spans_shows_each_claim_on_every_date() -> None:
    """A hand-built graph without the time model's spans shows every claim, without a slider."""
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", relation="shareholding", status="plan", share=5.0)
    data = Page(render.render_view(G, title="t")).data()
    assert data["edges"][0]["claims"][0]["spans"] == [[None, None, "planned"]]
    assert data["timeline"] is None


def test_sources_are_named_by_title_publisher_and_date() -> None:
    """With the documents known, a claim's tooltip names its source in words, not by IRI."""
    G = nx.MultiDiGraph()
    doc = "https://w3id.org/automaker-kg/id/document/kyodo-2023-02-06"
    G.add_edge("a", "b", relation="shareholding", status="official", share=15.0, source=doc,
               evidence=[f"{doc}#10-40"])  # fmt: skip
    G.graph["documents"] = {
        doc: {
            "title": "Equal stakes",
            "publisher": "Kyodo News",
            "date": "2023-02-06",
            "id": "kyodo-2023-02-06",
            "short": "doc:kyodo-2023-02-06",
        }  # fmt: skip
    }
    (claim,) = Page(render.render_view(G, title="t")).data()["edges"][0]["claims"]
    assert "source: Kyodo News, \u201cEqual stakes\u201d, 2023-02-06" in claim["text"]
    assert claim["evidence"] == [["kyodo-2023-02-06", 10, 40]]
    assert claim["source"]["id"] == "kyodo-2023-02-06"


def test_layered_layout_puts_holders_above_and_labels_apart() -> None:
    """Holders sit above their holdings, cross-holders side by side, no two label boxes meet."""
    G = nx.MultiDiGraph()
    links = ["aramco horse", "renault horse", "geely horse", "renault nissan", "nissan renault"]
    for u, v in (pair.split() for pair in [*links, "nissan mitsubishi"]):
        G.add_edge(u, v, relation="shareholding")
    for n in G:
        G.nodes[n]["label"] = f"{n} with a rather long name"
    pos = render.layered(G)
    assert pos["renault"][1] == pos["nissan"][1] < pos["horse"][1]
    assert pos["nissan"][1] < pos["mitsubishi"][1]
    width = {n: render.label_width(G.nodes[n]["label"]) for n in G}
    for a in G:
        for b in G:
            if a < b and pos[a][1] == pos[b][1]:
                assert abs(pos[a][0] - pos[b][0]) >= (width[a] + width[b]) / 2


def test_clustered_view_folds_people_and_markets_into_their_entity() -> None:
    """In the whole graph, people and markets fold into their best-linked entity."""
    G = nx.MultiDiGraph()
    G.add_node("nissan", label="Nissan", kind="automaker")
    G.add_node("renault", label="Renault", kind="automaker")
    G.add_node("ceo", label="A chief executive", kind="person")
    G.add_node("china", label="China", kind="market")
    G.add_edge("renault", "nissan", relation="shareholding", status="official")
    G.add_edge("ceo", "nissan", relation="role", status="official")
    G.add_edge("nissan", "china", relation="strategy", status="plan")
    G.graph["layout"] = "clustered"
    data = Page(render.render_view(G, title="t")).data()
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["ceo"]["fold"] == nodes["china"]["fold"] == "nissan"
    assert nodes["nissan"]["folded"] == 2 and "fold" not in nodes["renault"]
    assert data["meta"]["folds"] is True
