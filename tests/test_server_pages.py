"""The server's pages: the index, the views, and the query page in a real Chromium.

The hostile-data tests serve a store whose literals and IRIs are HTML and script, and check
that the page shows them as text and runs nothing.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markupsafe
import pyoxigraph as ox
import pytest

from automaker_kg import queries
from automaker_kg.browser import CHROMIUM, CHROMIUM_ARGS
from automaker_kg.store import open_store
from automaker_kg.webpages import cell, plain, project_prefixes
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


def test_views_folder_lists_the_views(served: Served) -> None:
    """/views/ (with or without the slash) lists the site's views instead of answering 404."""
    for path in ("/views/", "/views"):
        reply = http(served.base + path)
        assert reply.status == 200
        assert 'href="/views/ownership.html"' in reply.text


def test_static_files_are_served_and_nothing_else(served: Served) -> None:
    """The editor bundle and the style come from the server itself; other names are 404."""
    reply = http(served.base + "/static/editor.js")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/javascript")
    assert b"EditorView" in reply.body or len(reply.body) > 100_000
    assert http(served.base + "/static/pages.css").status == 200
    for other in ("/static/../webpages.py", "/static/", "/static/query.html"):
        assert http(served.base + other).status == 404


def test_document_page_marks_the_evidence(served: Served) -> None:
    """/documents/<id> shows the local copy with the requested spans marked, and its source."""
    from automaker_kg import documents

    docs = documents.documents(served.app.store)
    doc = docs[documents.DOC_NS + "kyodo-2023-02-06"]
    text = documents.local_text(doc)
    reply = http(served.base + "/documents/kyodo-2023-02-06?spans=10-40,100-130")
    assert reply.status == 200
    page = reply.text
    assert html.escape(doc.title, quote=False) in page and "Kyodo News" in page
    marks = re.findall(r'<mark id="span-\d">(.*?)</mark>', page, re.S)
    assert [html.unescape(m) for m in marks] == [text[10:40], text[100:130]]
    assert http(served.base + "/documents/no-such-document").status == 404


def test_downloads_and_permalink(served: Served, built_store: Path) -> None:
    """CSV and JSON downloads hold the answer; a z= permalink reopens the same query."""
    query = "SELECT ?e WHERE { ?e a akg:Automaker } ORDER BY ?e"
    result = direct(open_store(built_store), query)
    want = [row["e"].value for row in result]
    page = http(served.base + "/query?" + urllib.parse.urlencode({"query": query})).text
    link = html.unescape(re.search(r'id="permalink" href="([^"]+)"', page).group(1))
    assert link.startswith("/query?z=")
    again = http(served.base + link).text
    assert html.escape(query, quote=False) in again and 'id="results"' in again
    reply = http(served.base + link + "&download=json")
    assert reply.headers["Content-Disposition"].startswith("attachment")
    bindings = json.loads(reply.body)["results"]["bindings"]
    assert [b["e"]["value"] for b in bindings] == want
    rows = list(csv.reader(io.StringIO(http(served.base + link + "&download=csv").text)))
    assert rows == [["e"], *([v] for v in want)]
    assert http(served.base + "/query?z=not-a-permalink").status == 400


def test_query_page_escapes_hostile_values(hostile_served: Served) -> None:
    """Every value on the page is escaped: no tag from the data reaches the HTML."""
    query = "SELECT ?p ?o WHERE { ?s ?p ?o }"
    reply = http(hostile_served.base + "/query?" + urllib.parse.urlencode({"query": query}))
    assert reply.status == 200
    body = reply.text
    assert "<script>alert" not in body
    assert "<img" not in body and "<h1>injected" not in body
    for text in HOSTILE:
        assert str(markupsafe.escape(text)) in body
    csp = reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self';" in csp  # the page's own bundled editor, nothing inline
    assert "<script>" not in body.replace('<script type="application/json"', "")


def test_query_page_shows_parser_errors(served: Served) -> None:
    """A malformed query shows the parser's message on the page, escaped."""
    reply = http(served.base + "/query?" + urllib.parse.urlencode({"query": "SELECT <oops"}))
    assert reply.status == 200
    error = html.unescape(reply.text.split('id="error"')[1].split("</p>")[0])
    assert "line 1, column 8: the IRI '<oops' is never closed: a '>' is missing" in error
    assert "[_]" not in error  # not the parser's character classes
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


class Guarded:
    """A browser page that may reach only the server under test: any other request fails."""

    def __init__(self, browser: Any) -> None:
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(accept_downloads=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on(
            "console",
            lambda msg: self.errors.append(msg.text) if msg.type == "error" else None,
        )

    def _route(self, route: Any) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def guarded(browser: Any) -> Iterator[Guarded]:
    g = Guarded(browser)
    yield g
    g.close()
    assert g.blocked == [], f"requests outside the server: {g.blocked}"


def type_query(page: Any, text: str) -> None:
    """Replace the editor's text as a person would: focus it, select all, type."""
    page.wait_for_selector("body[data-editor-ready='1']")
    page.click(".cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


@pytest.mark.browser
def test_browser_picks_a_library_query(guarded: Guarded, served: Served, built_store: Path) -> None:
    """Picking a library example loads and runs it; its rows fill the table as plain values."""
    name = "claims-by-status"
    page = guarded.page
    page.goto(served.base + "/query")
    with page.expect_navigation():
        page.select_option("#library", name)  # the page loads the example on change
    page.wait_for_selector("#results")
    result = direct(open_store(built_store), queries.get_query(name).text)
    names = [v.value for v in result.variables]
    want = [[visible(row[n]) for n in names] for row in result]
    assert table(page) == want
    assert page.locator("#results thead th").all_text_contents() == names
    assert page.input_value("#query") == queries.get_query(name).text
    assert "^^" not in page.inner_text("#results")
    assert guarded.errors == []


@pytest.mark.browser
def test_browser_editor_highlights_and_completes(guarded: Guarded, served: Served) -> None:
    """The editor colours keywords, variables and prefixed names, and completes prefixes."""
    page = guarded.page
    page.goto(served.base + "/query")
    type_query(page, "SELECT ?e WHERE { ?e a akg:Automa")
    colour = """sel => Array.from(document.querySelectorAll('.cm-content span'))
        .filter(s => s.textContent === sel).map(s => getComputedStyle(s).color)"""
    keyword, variable = page.evaluate(colour, "SELECT"), page.evaluate(colour, "?e")
    plain_colour = page.evaluate("getComputedStyle(document.querySelector('.cm-line')).color")
    assert keyword and variable and keyword[0] != plain_colour and variable[0] != keyword[0]
    page.keyboard.press("Control+Space")
    options = page.locator(".cm-tooltip-autocomplete .cm-completionLabel")
    options.first.wait_for()
    assert "Automaker" in options.all_text_contents()
    page.keyboard.press("Escape")
    type_query(page, "SELECT * WHERE { ?s a ")
    page.keyboard.insert_text("ak")
    page.keyboard.press("Control+Space")
    options.first.wait_for()
    assert "akg:" in options.all_text_contents()
    assert guarded.errors == []


@pytest.mark.browser
def test_browser_types_a_query(guarded: Guarded, served: Served, built_store: Path) -> None:
    """A typed query (project prefixes predeclared) runs and its rows fill the table, IRIs
    as links; the permalink reopens the same answer."""
    query = "SELECT ?e ?label WHERE { ?e a akg:Automaker ; rdfs:label ?label } ORDER BY ?e"
    page = guarded.page
    page.goto(served.base + "/query")
    type_query(page, query)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results")
    result = direct(open_store(built_store), query)
    want = [[visible(row["e"]), visible(row["label"])] for row in result]
    assert len(want) > 2
    assert table(page) == want
    links = page.locator("#results tbody tr td:first-child a")
    assert links.count() == len(want)
    link = page.get_attribute("#permalink", "href")
    assert link.startswith("/query?z=") and len(link) < len(urllib.parse.quote(query)) + 20
    page.goto(served.base + link)
    page.wait_for_selector("#results")
    assert table(page) == want
    links.first.click()  # what the graph says of the first automaker
    page.wait_for_selector("#results")
    assert page.locator("#results thead th").all_text_contents() == ["property", "value"]
    assert guarded.errors == []


@pytest.mark.browser
def test_browser_downloads_csv(guarded: Guarded, served: Served, built_store: Path) -> None:
    """The CSV link downloads the answer: a header, then plain values with full IRIs."""
    page = guarded.page
    page.goto(served.base + "/query?library=claims-by-status")
    page.wait_for_selector("#results")
    with page.expect_download() as info:
        page.click("#download-csv")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    result = direct(open_store(built_store), queries.get_query("claims-by-status").text)
    names = [v.value for v in result.variables]
    assert rows[0] == names
    assert rows[1:] == [[plain(r[n]) for n in names] for r in result]
    assert not any("^^" in value for row in rows for value in row)


@pytest.mark.browser
def test_browser_shows_errors_in_words(guarded: Guarded, served: Served) -> None:
    """A syntax error names line, column and what is wrong, and puts the cursor there."""
    page = guarded.page
    page.goto(served.base + "/query")
    type_query(page, "SELECT ?s WHERE {\n  ?s akgg:holder ?o\n}")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error")
    assert (
        page.inner_text("#error") == "line 2, column 6: unknown prefix 'akgg:' (did you mean akg:?)"
    )
    type_query(page, "SELECT ?s WHERE { ?s ?p ?o FILTER(?o > 3 }")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error")
    assert page.inner_text("#error") == "line 1, column 34: '(' is never closed: a ')' is missing"
    assert guarded.errors == []


@pytest.mark.browser
def test_browser_runs_no_script_from_the_data(guarded: Guarded, hostile_served: Served) -> None:
    """Hostile literals show as text in Chromium; no dialog opens, no element is injected."""
    page = guarded.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_served.base + "/query")
    type_query(page, "SELECT ?o WHERE { ?s ?p ?o }")
    page.click("#run")
    page.wait_for_selector("#results")
    shown = {row[0] for row in table(page)}
    assert set(HOSTILE) <= shown
    assert f"<{HOSTILE_IRI}>" in shown
    assert page.locator("#results img, #results script, h1:has-text('injected')").count() == 0
    hrefs = page.eval_on_selector_all(
        "#results a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs and all(h.startswith("/query?") for h in hrefs)  # never the javascript: IRI
    assert dialogs == []


@pytest.mark.browser
def test_browser_follows_a_view_link(guarded: Guarded, served: Served) -> None:
    """The index links the views; following one opens it."""
    page = guarded.page
    page.goto(served.base + "/")
    page.click("a[href='/views/ownership.html']")
    page.wait_for_selector("#view")
    assert page.text_content("#view") == "Ownership view"
