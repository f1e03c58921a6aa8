"""A real browser (Debian's Chromium through Playwright) on a site served from 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The site's pages also meet axe's best practices (issue 17): among them `region` (everything in
# a landmark) and `landmark-unique` (landmarks told apart by their names).
SITE_TAGS = [*AXE_TAGS, "best-practice"]


@dataclass(frozen=True)
class PageType:
    path: str  # from the site's root
    label: str  # as the 試験結果 page names it


# One page of each kind residents meet: the browser tests and bench/a11y_report.py run axe on them.
PAGE_TYPES = {
    "home": PageType("", "トップページ"),
    "guide page": PageType("kurashi/gomi/", "くらしのガイドのページ"),
    "guide section": PageType("kanko/", "分野の入口のページ"),
    "news item": PageType("news/2026/2026-zeikin-shiharai-hoho/", "お知らせの記事"),
    "news index": PageType("news/", "お知らせの一覧"),
    "category page": PageType("news/category/kanko/", "分類別のお知らせ一覧"),
    "news archive": PageType("news/archive/2025/", "年別のお知らせ一覧"),
    "event page": PageType("events/2026/2026-chomin-sakuhinten/", "イベントの記事"),
    "upcoming events": PageType("events/", "これからのイベント一覧"),
    "calendar month": PageType("events/calendar/2026-12/", "イベントカレンダー（月）"),
    "alerts": PageType("alerts/", "緊急・安全情報の一覧"),
    "alert": PageType("alerts/touketsu-romen-chui/", "緊急・安全情報の記事"),
    "search": PageType("search/?q=こんにゃく", "サイト内検索（結果の表示）"),
    "not found": PageType("404.html", "ページが見つからないときのページ"),
}


def open_page_type(page, site_url: str, name: str):
    """Go to one page type and wait until it shows what residents see (search results); the response."""
    response = page.goto(site_url + PAGE_TYPES[name].path)
    if name == "search":
        page.wait_for_selector("#town-search-results li")
    return response


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """Serve a built site from a plain folder, as any static host would; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_results(page, tags: list[str] = AXE_TAGS, locale: Path | None = None) -> dict:
    """axe-core's whole result (passes, violations …) for the rules with these tags; with
    `locale` (one of axe-core's locales/*.json), its messages in that language."""
    # Evaluated through DevTools, which the pages' Content-Security-Policy does not govern
    # (a <script> tag added to the page would be refused, as any injected script must be).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    if locale:
        page.evaluate("locale => axe.configure({locale})", json.loads(locale.read_text(encoding="utf-8")))
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)


def axe_violations(page, tags: list[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core (by default the WCAG 2.0/2.1 A and AA rules); return its violations."""
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in axe_results(page, tags)["violations"]
    ]
