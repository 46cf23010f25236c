"""The views in a real browser: Debian's Chromium driven by Playwright, with the network cut off.

Screenshots go to the test's temporary folder; the README's come from `make screenshots`
(scripts/screenshots.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from automaker_kg import render
from automaker_kg.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data" / "views"
ID = "https://w3id.org/automaker-kg/id/"

if not CHROMIUM.exists():  # pragma: no cover - .ci/run installs it
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def load(name: str) -> nx.MultiDiGraph:
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="edges", source="from", target="to", key="key")


def fixture_views() -> dict[str, nx.MultiDiGraph]:
    """The four projection views, cut by relation from the hand-built Renault-Nissan graph."""
    G = load("renault-nissan")
    groups = {
        "ownership": {"shareholding", "voting_rights", "capital"},
        "technology": {"develops", "withholds", "operational_engagement"},
        "alliances": {"member", "division_of"},
    }
    views: dict[str, nx.MultiDiGraph] = {}
    for name, relations in groups.items():
        H = nx.MultiDiGraph()
        H.graph["title"] = name.capitalize()
        for u, v, k, d in G.edges(keys=True, data=True):
            if d["relation"] in relations:
                H.add_node(u, **G.nodes[u])
                H.add_node(v, **G.nodes[v])
                H.add_edge(u, v, key=k, **d)
        views[name] = H
    views["all"] = G
    return views


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render.write_site(tmp_path_factory.mktemp("site"), fixture_views(), {"claims": 16})


class Opened:
    """A page opened offline, with everything it logged, requested or popped up."""

    def __init__(self, browser, path: Path, viewport: tuple[int, int] = (1280, 800)) -> None:
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        size = {"width": viewport[0], "height": viewport[1]}
        self.context = browser.new_context(viewport=size)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, msg) -> None:
        if msg.type in {"error", "warning"}:
            self.errors.append(f"console {msg.type}: {msg.text}")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def wait_ready(self) -> None:
        self.page.wait_for_function("window.akgReady === true", timeout=30_000)
        self.page.evaluate(
            """() => {
                window.visible = p => {
                    const c = document.getElementById("akg-network");
                    return p.x > 2 && p.y > 2 && p.x < c.clientWidth - 2
                        && p.y < c.clientHeight - 2;
                };
            }"""
        )

    def close(self) -> None:
        self.context.close()

    def node_ids(self) -> set[str]:
        return set(self.page.evaluate("network.body.data.nodes.getIds()"))

    def edge_keys(self) -> set[tuple[str, str, str]]:
        """(from, to, key) of every claim on the page's lines."""
        rows = self.page.evaluate(
            "network.body.data.edges.get().flatMap(e => e.claims.map(k => [e.from, e.to, k]))"
        )
        return {tuple(r) for r in rows}

    def set_date(self, day: str) -> None:
        """Move the view to ``day`` as a person would: type it into the date box."""
        self.page.fill("#akg-date", day)
        self.page.dispatch_event("#akg-date", "change")
        assert self.page.get_attribute("body", "data-akg-day") == day

    def lines(self, relation: str, source: str, target: str) -> list[dict]:
        """The visible lines of one relation from ``source`` to ``target`` (node keys)."""
        return self.page.evaluate(
            """([r, u, v]) => network.body.data.edges.get({filter: e =>
                   !e.hidden && e.relation === r && e.from === u && e.to === v})""",
            [relation, source, target],
        )

    def label_boxes(self) -> dict[str, dict[str, float]]:
        """Each visible entity's label box as drawn (canvas coordinates)."""
        return self.page.evaluate(
            """() => {
                const out = {};
                for (const [id, n] of Object.entries(network.body.nodes)) {
                    if (n.options.hidden || id.startsWith("edgeId:")) { continue; }
                    const s = n.labelModule.size;
                    if (s.width > 0) { out[id] = {x: s.left, y: s.top, w: s.width, h: s.height}; }
                }
                return out;
            }"""
        )

    def hover(self, point: dict[str, float]) -> str:
        """Move the mouse to a canvas point (DOM coordinates) and return the tooltip's text."""
        box = self.page.locator("#akg-network").bounding_box()
        assert box is not None
        self.page.mouse.move(box["x"] + 5, box["y"] + 5)
        self.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"], steps=4)
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5_000)
        return tip.inner_text()

    def node_point(self, node_id: str) -> dict[str, float] | None:
        """The DOM point of a node's centre, or None where another node covers it or off screen."""
        return self.page.evaluate(
            """id => {
                const p = network.canvasToDOM(network.getPositions([id])[id]);
                return network.getNodeAt(p) === id && visible(p) ? p : null;
            }""",
            node_id,
        )

    def edge_point(self, edge_id: str) -> dict[str, float]:
        """A DOM point on the edge where the network itself finds that edge (and no node)."""
        point = self.page.evaluate(
            """id => {
                const edge = network.body.edges[id];
                const own = p => network.getEdgeAt(p) === id && network.getNodeAt(p) === undefined;
                for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85]) {
                    const p = network.canvasToDOM(edge.edgeType.getPoint(t));
                    const around = [[0, 0], [6, 0], [-6, 0], [0, 6], [0, -6]].map(
                        ([dx, dy]) => ({x: p.x + dx, y: p.y + dy}));
                    if (around.every(own) && visible(p)) {  // no other line within reach
                        return p;
                    }
                }
                return null;
            }""",
            edge_id,
        )
        assert point is not None, f"edge {edge_id} has no point of its own to hover"
        return point

    def screenshot(self, tmp: Path, name: str) -> Path:
        """Screenshot into ``tmp`` (kept by pytest for a failed test)."""
        shot = tmp / f"{name}.png"
        self.page.screenshot(path=str(shot))
        return shot


@pytest.fixture
def opened(browser) -> Iterator[callable]:
    pages: list[Opened] = []

    def open_(path: Path) -> Opened:
        pages.append(Opened(browser, path))
        return pages[-1]

    yield open_
    for p in pages:
        p.close()


@pytest.mark.parametrize("name", ["ownership", "technology", "alliances", "all"])
def test_view_loads_offline_with_exactly_the_graph(name, site, opened, tmp_path) -> None:
    """Each view loads with the network cut off, logs no error and shows exactly its graph."""
    G = fixture_views()[name]
    view = opened(site.parent / f"{name}.html")
    view.wait_ready()
    assert view.node_ids() == set(G.nodes)
    assert view.edge_keys() == {(u, v, str(k)) for u, v, k in G.edges(keys=True)}
    subjects = {(u, v, d["relation"]) for u, v, d in G.edges(data=True)}
    lines = "network.body.data.edges.get({filter: e => !e.history}).length"
    assert view.page.evaluate(lines) == len(subjects)
    canvas = view.page.locator("#akg-network canvas")
    assert canvas.bounding_box()["width"] > 400
    assert view.screenshot(tmp_path, name).stat().st_size > 5_000
    assert view.errors == [] and view.blocked == [] and view.dialogs == []


def test_index_links_every_view(site, opened) -> None:
    """The site index opens offline and links each view page, which then loads."""
    index = opened(site)
    links = index.page.locator("#views a")
    assert links.count() == 4
    hrefs = [links.nth(i).get_attribute("href") for i in range(4)]
    assert hrefs == ["ownership.html", "technology.html", "alliances.html", "all.html"]
    links.nth(1).click()
    index.wait_ready()
    assert index.page.locator("h1").inner_text() == "Technology"
    assert index.errors == [] and index.blocked == []


def test_hover_shows_provenance(site, opened, tmp_path) -> None:
    """Hovering a node and an edge shows tooltips with the claim, its status and its source."""
    view = opened(site.parent / "all.html")
    view.wait_ready()
    text = view.hover(view.node_point(ID + "ampere"))
    assert "IRI: https://w3id.org/automaker-kg/id/ampere" in text
    assert "source: doc:fixture-article" in text

    withholds = view.page.evaluate(
        "network.body.data.edges.get({filter: e => e.relation === 'withholds'})[0].id"
    )
    text = view.hover(view.edge_point(withholds))
    assert "Nissan is reported to keep e-Power technology from Renault" in text
    assert "reported by unnamed sources" in text
    assert "source: doc:fixture-article" in text
    assert "characters 770\u2013840" in text
    view.screenshot(tmp_path, "hover")

    (stake,) = view.lines("shareholding", ID + "renault", ID + "nissan")
    text = view.hover(view.edge_point(stake["id"]))
    assert text.startswith("Renault \u2192 Nissan: equity stake\n")
    assert "Renault held about 43% of Nissan before the rebalancing" in text  # its history
    assert "historical fact" in text and "until 2023-11-08" in text
    assert view.errors == [] and view.blocked == []


def test_search_and_filter_menu(site, opened) -> None:
    """The find box selects entities by label; the legend's boxes hide kinds and statuses."""
    view = opened(site.parent / "all.html")
    view.wait_ready()
    view.page.fill("#akg-search", "nis")
    view.page.click("#akg-search-form button[type=submit]")
    selected = view.page.evaluate("network.getSelectedNodes()")
    assert sorted(selected) == [ID + "alliance", ID + "nissan"]  # "Renault-Nissan-... Alliance"
    assert view.page.inner_text("#akg-search-result").startswith("2 matches: ")
    view.page.fill("#akg-search", "AMPERE")
    view.page.press("#akg-search", "Enter")
    assert view.page.evaluate("network.getSelectedNodes()") == [ID + "ampere"]
    assert view.page.inner_text("#akg-search-result") == "1 match: Ampere"
    view.page.click("#akg-reset")
    assert view.page.evaluate("network.getSelectedNodes()") == []

    hidden_lines = "network.body.data.edges.get({filter: e => e.hidden && !e.history}).length"
    hidden_nodes = "network.body.data.nodes.get({filter: n => n.hidden}).length"
    folded = view.page.evaluate(hidden_lines), view.page.evaluate(hidden_nodes)
    assert folded == (1, 1)  # the market folded into Nissan, and its line
    view.page.uncheck("input.akg-status[value=reported]")
    hidden = view.page.evaluate(hidden_lines) - folded[0]
    G = load("renault-nissan")
    only_reported = {
        (u, v, d["relation"])
        for u, v, d in G.edges(data=True)
        if all(
            x["status"] == "reported"
            for x in G.get_edge_data(u, v).values()
            if x["relation"] == d["relation"]
        )
    }
    assert hidden == len(only_reported) == 2
    view.page.uncheck("input.akg-kind[value=automaker]")
    assert view.page.evaluate(hidden_nodes) == 4 + folded[1]
    view.page.check("input.akg-kind[value=automaker]")
    assert view.page.evaluate(hidden_nodes) == folded[1]
    assert view.errors == []


def test_hostile_labels_show_literally_and_run_nothing(opened, tmp_path) -> None:
    """Names holding <script> or onerror= show as text in canvas, legend and tooltips; none runs."""
    G = load("hostile")
    path = render.write_view(
        G, tmp_path / "hostile.html", title="<script>window.__pwned=9</script>", subtitle="<b>s</b>"
    )
    view = opened(path)
    view.wait_ready()
    page = view.page
    assert page.locator("h1").inner_text() == "<script>window.__pwned=9</script>"
    assert page.locator("header b, img, iframe, aside b, aside u").count() == 0
    assert view.node_ids() == set(G.nodes)
    labels = page.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert sorted(labels) == sorted(d["label"] for _, d in G.nodes(data=True))

    text = view.hover(view.node_point(ID + "script"))
    assert text.startswith("<script>window.__pwned=1</script>")
    edge = page.evaluate("network.body.data.edges.get({filter: e => e.relation === 'withholds'})")
    text = view.hover(view.edge_point(edge[0]["id"]))
    assert '<img src=y onerror="window.__pwned=5"> withholds' in text
    assert "<iframe src=javascript:window.__pwned=8>" in text
    page.fill("#akg-search", "<img")
    page.click("#akg-search-form button[type=submit]")
    assert page.evaluate("network.getSelectedNodes()") == [ID + "img"]
    page.wait_for_timeout(300)  # give any injected handler the chance to fire
    assert page.evaluate("window.__pwned") is None
    assert view.dialogs == [] and view.errors == [] and view.blocked == []
    view.screenshot(tmp_path, "hostile")


# --------------------------------------------------------------------------- the real seed

SEED_VIEWS = ["ownership", "technology", "alliances", "all", "ego-nissan"]


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, nx.MultiDiGraph]]:
    """The site of the seed article's projections (and Nissan's ego network)."""
    projections = pytest.importorskip("automaker_kg.projections")
    from automaker_kg import paths
    from automaker_kg.analytics import ego_network

    ds = rdflib.Dataset(default_union=True)
    files = [
        *sorted(paths.ontology_dir().glob("*.ttl")),
        paths.graph_dir() / "entities.ttl",
        *sorted((paths.graph_dir() / "seed").glob("*.ttl")),
    ]
    for f in files:
        ds.graph(rdflib.URIRef(f.as_uri())).parse(f, format="turtle")
    views = {k: projections.project(ds, k) for k in SEED_VIEWS[:4]}
    views["ego-nissan"] = ego_network(views["all"], ID + "nissan", 1)
    index = render.write_site(tmp_path_factory.mktemp("seed-site"), views, {"source": "seed"})
    return index, views


@pytest.mark.parametrize("name", SEED_VIEWS)
def test_seed_view_loads_offline_with_exactly_the_projection(
    name, seed_site, opened, tmp_path
) -> None:
    """Each view of the real seed loads offline with no error and exactly its projection."""
    index, views = seed_site
    G = views[name]
    view = opened(index.parent / f"{name}.html")
    view.wait_ready()
    assert view.node_ids() == set(G.nodes)
    assert view.edge_keys() == {(u, v, str(k)) for u, v, k in G.edges(keys=True)}
    view.screenshot(tmp_path, name)
    assert view.errors == [] and view.blocked == [] and view.dialogs == []


def test_seed_withheld_technology_tooltip_gives_the_article_offsets(seed_site, opened) -> None:
    """Hovering a withholds/protects line of the seed shows its claim, status and article span."""
    index, views = seed_site
    G = views["technology"]
    view = opened(index.parent / "technology.html")
    view.wait_ready()
    edge = view.page.evaluate(
        "network.body.data.edges.get({filter: e => e.relation === 'withholds'})[0]"
    )
    data = G.edges[edge["from"], edge["to"], edge["claims"][0]]
    text = view.hover(view.edge_point(edge["id"]))
    assert data["label"] in text
    assert render.STATUS_STYLE[data["status"]][1] in text
    assert f"source: doc:{data['source'].rsplit('/', 1)[1]}" in text
    start, end = data["evidence"][0].rsplit("#", 1)[1].split("-")
    assert f"characters {start}\u2013{end}" in text
    assert view.errors == [] and view.blocked == []


def test_large_view_is_narrowed_fixed_and_says_so(opened, tmp_path) -> None:
    """A graph above max_nodes shows its most connected entities, laid out without physics."""
    G = nx.MultiDiGraph(nx.gnm_random_graph(900, 1800, seed=3, directed=True))
    for n in G:
        G.nodes[n].update(label=f"company {n}", kind="company", iri=f"urn:example:{n}")
    for u, v, d in G.edges(data=True):
        d.update(relation="shareholding", status="reported", share=10.0, label=f"{u} holds {v}")
        d.update(claim=f"urn:example:claim:{u}-{v}", source="urn:example:doc")
        d.update(evidence=[f"urn:example:doc#{u}-{v}"])
    H, note = render.narrow(G, 600)
    view = opened(render.write_view(G, tmp_path / "big.html", max_nodes=600))
    view.wait_ready()
    assert view.page.inner_text(".akg-notice") == note
    assert view.node_ids() == {str(n) for n in H}
    assert view.edge_keys() == {(str(u), str(v), str(k)) for u, v, k in H.edges(keys=True)}
    assert view.page.evaluate("network.physics.physicsEnabled") is False
    view.page.evaluate("network.moveTo({scale: 1.5, animation: false})")
    ranked = sorted(H.degree(), key=lambda nd: (-nd[1], nd[0]))
    hub, point = next((n, p) for n, _ in ranked if (p := view.node_point(str(n))) is not None)
    text = view.hover(point)
    assert text.startswith(f"company {hub}\n") and f"IRI: urn:example:{hub}" in text
    assert view.errors == [] and view.blocked == []


# --------------------------------------------------------------------------- the built graph


@pytest.fixture(scope="module")
def store_site(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The views of the whole built graph (every source), as `automaker-kg site` writes them."""
    from automaker_kg.store import open_store

    source = open_store(built_store)
    views = render.site_views(source)
    return render.write_site(tmp_path_factory.mktemp("store-site"), views, {})


@pytest.fixture
def ownership(store_site: Path, browser) -> Iterator[Opened]:
    view = Opened(browser, store_site.parent / "ownership.html", viewport=(1400, 900))
    view.wait_ready()
    yield view
    assert view.errors == [] and view.blocked == []
    view.close()


def test_slider_shows_the_stake_in_force_on_each_date(ownership: Opened) -> None:
    """One Renault -> Nissan stake line: 43.4% on 2023-07-01 (the 15% plan beside it), 15% on
    2024-01-01; the tooltip lists the line's history."""
    ownership.set_date("2023-07-01")
    (line,) = ownership.lines("shareholding", ID + "renault", ID + "nissan")
    assert line["label"].startswith("43.4%") and "15% planned" in line["label"]
    ownership.set_date("2024-01-01")
    (line,) = ownership.lines("shareholding", ID + "renault", ID + "nissan")
    assert line["label"] == "15%"
    text = ownership.hover(ownership.edge_point(line["id"]))
    assert "On 2024-01-01: 15% (in force)" in text
    assert "43.4%" in text and "historical fact" in text  # the history, in the tooltip
    ownership.set_date("2019-10-01")  # before Ampere and Horse Powertrain existed
    shown = set(ownership.page.evaluate("network.body.data.nodes.get({filter: n => !n.hidden})"
                                        ".map(n => n.id)"))  # fmt: skip
    assert ID + "ampere" not in shown and ID + "horse-powertrain" not in shown


def test_history_switch_shows_superseded_claims_faded(ownership: Opened) -> None:
    """With history on, the claim a line held before shows beside it, faded: on 2024-01-01
    Renault's 43.4% of Nissan, superseded by the 15%; switched off, it goes."""
    ownership.set_date("2024-01-01")
    visible = "network.body.data.edges.get({filter: e => !e.hidden})"
    before = {e["id"] for e in ownership.page.evaluate(visible)}
    ownership.page.check("#akg-history")
    after = {e["id"]: e for e in ownership.page.evaluate(visible)}
    added = [after[i] for i in set(after) - before]
    assert all(e["history"] and e["color"]["opacity"] < 0.5 for e in added)
    was = [e for e in added if (e["from"], e["to"]) == (ID + "renault", ID + "nissan")]
    assert [e["label"] for e in was if e["relation"] == "shareholding"] == ["was 43.4%"]
    ownership.page.uncheck("#akg-history")
    assert {e["id"] for e in ownership.page.evaluate(visible)} == before


@pytest.mark.parametrize("name", ["ownership", "technology"])
def test_no_two_labels_overlap(name: str, store_site: Path, browser, tmp_path: Path) -> None:
    """At 1400 x 900, after layout, no two entity labels of the view overlap (as drawn)."""
    view = Opened(browser, store_site.parent / f"{name}.html", viewport=(1400, 900))
    view.wait_ready()
    for day in (None, "2023-07-01"):
        if day:
            view.set_date(day)
        boxes = view.label_boxes()
        assert len(boxes) > 5
        items = sorted(boxes.items())
        for i, (a, p) in enumerate(items):
            for b, q in items[i + 1 :]:
                apart = (p["x"] + p["w"] <= q["x"] or q["x"] + q["w"] <= p["x"]
                         or p["y"] + p["h"] <= q["y"] or q["y"] + q["h"] <= p["y"])  # fmt: skip
                assert apart, f"labels of {a} and {b} overlap on {day or 'the opening date'}"
    view.screenshot(tmp_path, name)
    assert view.errors == [] and view.blocked == []
    view.close()


def test_fuzzy_search_focuses_nissan_and_dims_the_rest(ownership: Opened) -> None:
    """ "Nisan" finds Nissan: it is selected and in view, the entities not linked to it dimmed."""
    ownership.page.fill("#akg-search", "Nisan")
    ownership.page.press("#akg-search", "Enter")
    assert ownership.page.evaluate("network.getSelectedNodes()") == [ID + "nissan"]
    assert ownership.page.inner_text("#akg-search-result") == "1 match: Nissan"
    opacity = dict(ownership.page.evaluate(
        "network.body.data.nodes.get({filter: n => !n.hidden}).map(n => [n.id, n.opacity])"
    ))  # fmt: skip
    assert opacity[ID + "nissan"] in (None, 1)  # never dimmed
    assert opacity[ID + "toyota"] < 0.5
    assert ownership.node_point(ID + "nissan") is not None  # on screen
    ownership.page.click("#akg-reset")
    assert ownership.page.evaluate(
        "network.body.data.nodes.get().every(n => n.opacity === undefined || n.opacity === 1)"
    )  # fmt: skip


def test_served_view_links_the_evidence_in_its_document(built_store: Path, store_site: Path,
                                                         browser) -> None:  # fmt: skip
    """Served, a click on a line lists its claims with links to /documents/<id>, which shows
    the local copy with the evidence marked; nothing is requested outside the server."""
    from automaker_kg.store import open_store
    from serverkit import running

    with running(open_store(built_store), timeout=5.0, site_dir=store_site.parent) as served:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        blocked: list[str] = []

        def route(r) -> None:
            if r.request.url.startswith(served.base):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.goto(served.base + "/views/ownership.html")
        page.wait_for_function("window.akgReady === true")
        page.fill("#akg-date", "2024-01-01")
        page.dispatch_event("#akg-date", "change")
        view = Opened.__new__(Opened)
        view.page = page
        view.wait_ready()
        (line,) = view.lines("shareholding", ID + "renault", ID + "nissan")
        point = view.edge_point(line["id"])
        box = page.locator("#akg-network").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        link = page.locator("#akg-details a.akg-source").first
        link.wait_for()
        href = link.get_attribute("href")
        assert href.startswith("/documents/") and "?spans=" in href
        link.click()
        page.wait_for_selector("mark")
        assert page.locator("#doc-title").inner_text()
        assert page.locator("mark").count() >= 1
        context.close()
        assert blocked == []
