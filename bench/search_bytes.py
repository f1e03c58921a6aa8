"""Bytes a resident's phone transfers for one site search, on a big site.

    .venv/bin/python bench/search_bytes.py [--site DIR] [--posts 3000]

Without --site, generates the benchmark corpus (bench/corpus.py) and builds it. Opens the
search page in Chromium, then runs each query in a fresh browser context (empty cache) and
prints what the page load and the query transferred (plain folder server, no compression:
Pagefind's files are already compressed).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from browser import chromium, serve  # noqa: E402
from corpus import generate  # noqa: E402

QUERIES = ["こんにゃく", "ごみ収集", "防災訓練", "児童手当 申請"]
BUDGET = 300 * 1024


def build_corpus(folder: Path, posts: int) -> Path:
    generate(folder, posts, max(posts // 10, 10), 0)
    env = {**os.environ, "PUBLISHER_NOW": "2026-11-28 12:00", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q"], cwd=folder, env=env, check=True)
    return folder / "site"


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


def _total(requests) -> int:
    return sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--posts", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_corpus(Path(tmp) / "corpus", args.posts)
        pages = sum(1 for _ in site.rglob("*.html"))
        print(f"site: {site} ({pages} HTML pages)")
        print(f"{'query':<16}{'page KB':>9}{'query KB':>10}{'requests':>10}{'results':>9}  budget 300 KB")
        with serve(site) as base, chromium() as browser:
            for query in QUERIES:
                page_bytes, query_bytes, count, results = measure(browser, base, query)
                verdict = "ok" if query_bytes <= BUDGET else "OVER"
                print(f"{query:<16}{page_bytes / 1024:>9.1f}{query_bytes / 1024:>10.1f}{count:>10}{results:>9}  {verdict}")


if __name__ == "__main__":
    main()
