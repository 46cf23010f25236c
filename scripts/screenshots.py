"""Regenerate the README's screenshots (docs/screenshots/) from the built store.

Run by ``make screenshots`` after ``automaker-kg build``. It renders the site into a temporary
folder, serves it with the project's own server (so tooltips link documents and the query page
runs), and photographs each page in Debian's Chromium at 1400 x 900 with every request outside
the server refused. Exits 1 when a page logs an error or asks for anything elsewhere.

    python scripts/screenshots.py [--store .automaker-kg] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path
from typing import Any

from automaker_kg import render, store
from automaker_kg.browser import CHROMIUM, CHROMIUM_ARGS
from automaker_kg.paths import default_store_path
from automaker_kg.server import ServerSettings, create_app, make_http_server

VIEWPORT = {"width": 1400, "height": 900}


class Shooter:
    """One browser context that may reach only the local server."""

    def __init__(self, browser: Any, base: str, out: Path) -> None:
        self.base, self.out = base, out
        self.problems: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            self.problems.append(f"blocked request to {route.request.url}")
            route.abort()

    def open(self, path: str) -> Any:
        page = self.context.new_page()
        page.on("pageerror", lambda exc: self.problems.append(f"{path}: {exc}"))
        page.on(
            "console",
            lambda m: self.problems.append(f"{path}: {m.text}") if m.type == "error" else None,
        )
        page.goto(self.base + path)
        if path.startswith("/views/"):
            page.wait_for_function("window.akgReady === true", timeout=60_000)
        return page

    def shoot(self, page: Any, name: str) -> None:
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path))
        print(f"wrote {path}")


def take(base: str, out: Path) -> list[str]:
    """Photograph every page; return the problems seen (errors, outside requests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        s = Shooter(browser, base, out)
        for name in ("ownership", "technology", "alliances", "all"):
            page = s.open(f"/views/{name}.html")
            s.shoot(page, name)
            page.close()
        page = s.open("/views/ownership.html")
        page.evaluate("akgSetDate('2023-07-01')")
        page.check("#akg-history")
        s.shoot(page, "ownership-2023-07-01")
        page.fill("#akg-search", "Nisan")
        page.press("#akg-search", "Enter")
        s.shoot(page, "search-nisan")
        page.close()
        page = s.open("/views/ego-nissan.html")
        s.shoot(page, "ego-nissan")
        page.close()
        page = s.open("/query?library=stakes-in-company")
        page.wait_for_selector("#results")
        s.shoot(page, "query")
        page.close()
        s.context.close()
        browser.close()
        return s.problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=default_store_path())
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="automaker-kg-shots-") as tmp:
        site = Path(tmp) / "site"
        source = store.open_store(args.store)
        views = render.site_views(source)
        views["ego-nissan"] = render.view_graph(source, "ego", entity="Nissan")
        render.write_site(site, views, render.site_summary(views))
        app = create_app(source, settings=ServerSettings(site_dir=site, workers=1))
        server = make_http_server(app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            problems = take(f"http://127.0.0.1:{server.server_address[1]}", args.out)
        finally:
            server.shutdown()
            server.server_close()
            app.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
