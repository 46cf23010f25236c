"""The server's pages: the index, the views, and the query page in a real Chromium.

The hostile-data tests serve a store whose literals and IRIs are HTML and script, and check
that the page shows them as text and runs nothing.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from automaker_kg import queries
from automaker_kg.browser import CHROMIUM, CHROMIUM_ARGS
from automaker_kg.store import open_store
from automaker_kg.webpages import cell, project_prefixes
from serverkit import Served, direct, http, running

HOSTILE = [
    "<script>alert('literal')</script>",
    '"><img src=x onerror="alert(1)">',
    "</td></tr></table><h1>injected</h1>",
    "&amp; &lt;b&gt; stays as typed",
]
HOSTILE_IRI = "javascript:alert(document.domain)//&x=1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    (folder / "ownership.html").write_text(
        "<!DOCTYPE html><title>Ownership</title><h1 id='view'>Ownership view</h1>"
    )
    (folder / "lib").mkdir()
    (folder / "lib" / "vis.js").write_text("// asset")
    return folder


@pytest.fixture(scope="module")
def served(built_store: Path, site: Path) -> Iterator[Served]:
    with running(open_store(built_store), timeout=5.0, site_dir=site) as served:
        yield served


@pytest.fixture(scope="module")
def hostile_served() -> Iterator[Served]:
    store = ox.Store()  # in memory: create_app copies it for the workers
    subject = ox.NamedNode("http://example.org/thing")
    for index, text in enumerate(HOSTILE):
        store.add(ox.Quad(subject, ox.NamedNode(f"http://example.org/p{index}"), ox.Literal(text)))
    store.add(ox.Quad(subject, ox.NamedNode("http://example.org/link"), ox.NamedNode(HOSTILE_IRI)))
    with running(store, timeout=5.0) as served:
        yield served


def visible(term: object) -> str:
    """The text a cell shows for a term."""
    return html.unescape(
        re.sub(
            r"<[^>]+>",
            "",
            cell(term, {**project_prefixes(), "xsd": "http://www.w3.org/2001/XMLSchema#"}),
        )
    )


def test_index_lists_views_and_library(served: Served) -> None:
    """/ links every view of the site folder and every library query."""
    page = http(served.base + "/").text
    assert 'href="/views/ownership.html"' in page
    for name, query in queries.library().items():
        assert f"/query?library={urllib.parse.quote_plus(name)}" in page
        assert html.escape(query.title) in page


def test_views_are_served_and_confined(served: Served) -> None:
    """/views/ serves the site's files and nothing outside it."""
    reply = http(served.base + "/views/ownership.html")
    assert reply.status == 200 and "Ownership view" in reply.text
    assert reply.headers["Content-Type"].startswith("text/html")
    assert http(served.base + "/views/lib/vis.js").status == 200
    for escape in ("/views/../../../etc/passwd", "/views/%2e%2e/%2e%2e/etc/passwd", "/views/lib"):
        assert http(served.base + escape).status == 404


def test_query_page_escapes_hostile_values(hostile_served: Served) -> None:
    """Every value on the page is escaped: no tag from the data reaches the HTML."""
    query = "SELECT ?p ?o WHERE { ?s ?p ?o }"
    reply = http(hostile_served.base + "/query?" + urllib.parse.urlencode({"query": query}))
    assert reply.status == 200
    body = reply.text
    assert "<script>alert" not in body
    assert "<img" not in body and "<h1>injected" not in body
    for text in HOSTILE:
        assert html.escape(text) in body
    assert "script-src" not in reply.headers["Content-Security-Policy"]  # so: none allowed
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]


def test_query_page_shows_parser_errors(served: Served) -> None:
    """A malformed query shows the parser's message on the page, escaped."""
    reply = http(served.base + "/query?" + urllib.parse.urlencode({"query": "SELECT <oops"}))
    assert reply.status == 200
    error = reply.text.split('id="error">')[1].split("</p>")[0]
    assert "error at 1:" in error
    assert "SELECT &lt;oops</textarea>" in reply.text and "<oops" not in reply.text


# -- in a real browser ---------------------------------------------------------------------
browser_only = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():  # pragma: no cover - .ci/run installs it
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def table(page: object) -> list[list[str]]:
    rows = page.locator("#results tbody tr")  # type: ignore[attr-defined]
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_text_contents()]
        for i in range(rows.count())
    ]


@pytest.mark.browser
def test_browser_picks_a_library_query(browser: object, served: Served, built_store: Path) -> None:
    """Picking a library query and pressing Load shows the store's answer as a table."""
    name = "claims-by-status"
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(served.base + "/query")
    page.select_option("#library", name)
    page.click("#load")
    page.wait_for_selector("#results")
    result = direct(open_store(built_store), queries.get_query(name).text)
    names = [v.value for v in result.variables]
    want = [[visible(row[n]) for n in names] for row in result]
    assert table(page) == want
    assert page.locator("#results thead th").all_text_contents() == names
    assert page.input_value("#query") == queries.get_query(name).text
    page.close()


@pytest.mark.browser
def test_browser_types_a_query(browser: object, served: Served, built_store: Path) -> None:
    """A typed query (project prefixes predeclared) runs and its rows fill the table."""
    query = "SELECT ?e ?label WHERE { ?e a akg:Automaker ; rdfs:label ?label } ORDER BY ?e"
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(served.base + "/query")
    page.fill("#query", query)
    page.click("#run")
    page.wait_for_selector("#results")
    result = direct(open_store(built_store), query)
    want = [[visible(row["e"]), visible(row["label"])] for row in result]
    assert len(want) > 2
    assert table(page) == want
    page.close()


@pytest.mark.browser
def test_browser_runs_no_script_from_the_data(browser: object, hostile_served: Served) -> None:
    """Hostile literals show as text in Chromium; no dialog opens, no element is injected."""
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_served.base + "/query")
    page.fill("#query", "SELECT ?o WHERE { ?s ?p ?o }")
    page.click("#run")
    page.wait_for_selector("#results")
    shown = {row[0] for row in table(page)}
    assert set(HOSTILE) <= shown
    assert f"<{HOSTILE_IRI}>" in shown
    assert page.locator("#results img, #results script, h1:has-text('injected')").count() == 0
    assert page.locator("#results a").count() == 0  # no link to a javascript: IRI
    assert dialogs == []
    page.close()


@pytest.mark.browser
def test_browser_follows_a_view_link(browser: object, served: Served) -> None:
    """The index links the views; following one opens it."""
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(served.base + "/")
    page.click("a[href='/views/ownership.html']")
    page.wait_for_selector("#view")
    assert page.text_content("#view") == "Ownership view"
    page.close()
