"""Bytes a resident's phone transfers for one site search, on a big site.

    .venv/bin/python bench/search_bytes.py [--site DIR] [--posts 3000] [--material]

Without --site, generates the benchmark corpus (bench/corpus.py) and builds it. Opens the
search page in Chromium, then runs each query in a fresh browser context (empty cache) and
prints what the page load and the query transferred (plain folder server, no compression:
Pagefind's files are already compressed).

`--material` measures a site searched with Material's own search plugin instead (the stock
setup of bench/stock.py): there the query's bytes are the search worker, its lunr scripts
and `search_index.json`, which Material fetches when a page loads.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from browser import chromium, serve  # noqa: E402
from corpus import generate  # noqa: E402

QUERIES = ["こんにゃく", "ごみ収集", "防災訓練", "児童手当 申請"]
BUDGET = 300 * 1024


@dataclass(frozen=True)
class Search:
    query: str
    page_bytes: int  # the page the search starts from
    query_bytes: int  # what the search itself fetched
    requests: int
    results: int


def build_corpus(folder: Path, posts: int) -> Path:
    generate(folder, posts, max(posts // 10, 10), 0)
    env = {**os.environ, "PUBLISHER_NOW": "2026-11-28 12:00", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-q"], cwd=folder, env=env, check=True
    )
    return folder / "site"


def search_bytes(site: Path, material: bool = False, queries: list[str] = QUERIES) -> list[Search]:
    """Each query in a fresh browser context, on `site` served from a plain folder."""
    how = measure_material if material else measure
    with serve(site) as base, chromium() as browser:
        return [Search(query, *how(browser, base, query)) for query in queries]


def measure(browser, base: str, query: str) -> tuple[int, int, int, int]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(base + "search/", wait_until="networkidle")
    page_bytes = _total(finished)
    loaded = len(finished)
    page.goto(base + "search/?q=" + quote(query), wait_until="networkidle")
    page.wait_for_selector("#town-search-status:not(:empty)")
    page.wait_for_load_state("networkidle")
    query_requests = [r for r in finished[loaded:] if "pagefind" in r.url]
    results = page.locator("#town-search-results li").count()
    query_bytes = _total(query_requests)
    context.close()
    return page_bytes, query_bytes, len(query_requests), results


def measure_material(browser, base: str, query: str) -> tuple[int, int, int, int]:
    """Material's search: open the home page, type the query, wait until the search answers
    (results, or its "nothing found" message: Material's lunr finds nothing for some Japanese
    words), at most two minutes while the worker builds its index."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    finished = []
    context.on(
        "requestfinished", lambda request: finished.append(request)
    )  # the context sees its workers too
    page = context.new_page()
    page.goto(base, wait_until="networkidle")
    page.click("label[for='__search']")
    box, meta, items = (
        page.locator("input.md-search__input"),
        page.locator(".md-search-result__meta"),
        page.locator(".md-search-result__item"),
    )
    prompt = meta.inner_text()
    box.press_sequentially(query)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not items.count() and meta.inner_text() == prompt:
        page.wait_for_timeout(1000)
        box.press("End")  # a key event makes Material search again once its index is ready
    page.wait_for_load_state("networkidle")
    results = items.count()
    searching = [r for r in finished if _is_material_search(r.url)]
    page_bytes = _total([r for r in finished if not _is_material_search(r.url)])
    query_bytes = _total(searching)
    context.close()
    return page_bytes, query_bytes, len(searching), results


def _is_material_search(url: str) -> bool:
    return "search" in url or "lunr" in url or "tinyseg" in url


def _total(requests) -> int:
    return sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument(
        "--material", action="store_true", help="the site uses Material's search (stock setup)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_corpus(Path(tmp) / "corpus", args.posts)
        pages = sum(1 for _ in site.rglob("*.html"))
        print(f"site: {site} ({pages} HTML pages)")
        print(f"{'query':<16}{'page KB':>9}{'query KB':>10}{'requests':>10}{'results':>9}  budget 300 KB")
        for s in search_bytes(site, args.material):
            verdict = "ok" if s.query_bytes <= BUDGET else "OVER"
            print(
                f"{s.query:<16}{s.page_bytes / 1024:>9.1f}{s.query_bytes / 1024:>10.1f}{s.requests:>10}{s.results:>9}  {verdict}"
            )


if __name__ == "__main__":
    main()
