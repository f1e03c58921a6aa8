"""How well the site search finds Japanese words: recall and precision against plain substring search.

    .venv/bin/python bench/search_quality.py --site DIR [--compare-binary PAGEFIND]

DIR is a built site (e.g. the benchmark corpus, bench/.work/corpus-*/site). Each query runs in
Chromium through the site's own Pagefind index, shards merged and the query folded as the
search page does (town-fold.js, exactDiacritics; without synonyms).
The truth for a query is every searchable page whose indexed text (the data-pagefind-body
element without data-pagefind-ignore parts) contains each of its space-separated terms: what
a resident typing a word expects. `--compare-binary` also indexes the site's pages as they are
with another Pagefind binary (for example pagefind_extended, which splits Japanese with its
own dictionary) and runs the same queries there.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from browser import chromium, serve  # noqa: E402
from corpus import PLACES, TOPICS  # noqa: E402

# The corpus's topics and places whole, parts of them, words of its sentences, two-word queries.
PARTS = [
    "こんにゃ",
    "子育て",
    "支援",
    "健康",
    "診断",
    "防災",
    "議会",
    "祭り",
    "小幡",
    "堰",
    "消防",
    "保険",
    "手当",
    "駐車場",
    "説明会",
    "申請",
    "窓口",
    "オンライン",
    "まちづくり",
    "公民館",
    "体育館",
    "甘楽",
    "甘楽町",
    "道の駅",
    "無料",
    "ご意見",
    "お問い合わせ",
    "安心",
    "暮らせる",
    "ごみ",
    "収集",
    "子育て 支援",
    "ふるさと祭り 駐車場",
]
QUERIES = [*TOPICS, *PLACES, *PARTS]


@dataclass(frozen=True)
class Score:
    query: str
    truth: int
    found: int
    right: int


class _IndexedText(HTMLParser):
    """The text of the data-pagefind-body element, without data-pagefind-ignore parts, scripts and styles."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside the body element: its depth, else 0
        self.skipping = 0  # inside an ignored element, a script or a style: its depth
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        names = {name for name, _ in attrs}
        if self.depth:
            self.depth += 1
            if not self.skipping and ("data-pagefind-ignore" in names or tag in ("script", "style")):
                self.skipping = self.depth
        elif "data-pagefind-body" in names:
            self.depth = 1

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.depth:
            return
        if self.skipping == self.depth:
            self.skipping = 0
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.parts.append(data)


def indexed_texts(site: Path) -> dict[str, str]:
    """URL path → the text Pagefind indexes, for every page with a data-pagefind-body element."""
    texts = {}
    for path in site.rglob("index.html"):
        reader = _IndexedText()
        reader.feed(path.read_text(encoding="utf-8"))
        if reader.parts:
            url = "/" + path.parent.relative_to(site).as_posix() + "/"
            texts["/" if url == "/./" else url] = "".join(reader.parts)
    return texts


def found_urls(site: Path, index: str, merged: list[str]) -> dict[str, set[str]]:
    """Each query's result URLs, from Pagefind at `index`/ with the `merged` folders merged in."""
    (site / "quality.html").write_text(
        '<!doctype html><html lang="ja"><meta charset="utf-8"><title>q</title></html>', encoding="utf-8"
    )
    try:
        with serve(site) as base, chromium() as browser:
            page = browser.new_page()
            page.goto(base + "quality.html")
            urls = page.evaluate(
                """async ([index, merged, queries]) => {
                const pagefind = await import(`/${index}/pagefind.js`);
                const fold = await import("/assets/javascripts/town-fold.js");
                const options = {baseUrl: "/", exactDiacritics: true};
                await pagefind.options(options);
                for (const folder of merged) await pagefind.mergeIndex(`/${folder}`, options);
                const found = {};
                for (const query of queries) {
                    const search = await pagefind.search(fold.queries(query, [], 1)[0] || "");
                    found[query] = (await Promise.all(search.results.map((r) => r.data()))).map((d) => d.url);
                }
                return found;
            }""",
                [index, merged, QUERIES],
            )
    finally:
        (site / "quality.html").unlink()
    return {query: set(found) for query, found in urls.items()}


def scores(texts: dict[str, str], found: dict[str, set[str]]) -> list[Score]:
    rows = []
    for query in QUERIES:
        truth = {url for url, text in texts.items() if all(term in text for term in query.split())}
        rows.append(Score(query, len(truth), len(found[query]), len(found[query] & truth)))
    return rows


def shards(site: Path) -> list[str]:
    """The folders the search page merges, as its form lists them."""
    match = re.search(r'data-shards="([^"]*)"', (site / "search/index.html").read_text(encoding="utf-8"))
    return [folder.strip("/") for folder in (match.group(1).split() if match else [])]


def index_with(binary: Path, site: Path, folder: Path) -> None:
    subprocess.run([str(binary), "--site", str(site), "--output-path", str(folder), "--silent"], check=True)


def report(name: str, rows: list[Score]) -> None:
    right, found, truth = (sum(getattr(r, f) for r in rows) for f in ("right", "found", "truth"))
    print(
        f"{name}: recall {right / truth:.3f}, precision {right / max(found, 1):.3f} "
        f"({right:,} right of {found:,} found; {truth:,} expected)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--compare-binary", type=Path, help="another Pagefind binary to index the pages with")
    args = parser.parse_args()
    texts = indexed_texts(args.site)
    results = {"ours": scores(texts, found_urls(args.site, "pagefind", shards(args.site)))}
    if args.compare_binary:
        with tempfile.TemporaryDirectory(dir=args.site) as tmp:
            index_with(args.compare_binary, args.site, Path(tmp) / "index")
            name = args.compare_binary.name
            results[name] = scores(texts, found_urls(args.site, f"{Path(tmp).name}/index", []))
    print(f"{len(texts):,} searchable pages, {len(QUERIES)} queries; per query: expected / found / right")
    print(f"{'query':<14}" + "".join(f"{name:>24}" for name in results))
    for n, query in enumerate(QUERIES):
        cells = "".join(f"{f'{r[n].truth} / {r[n].found} / {r[n].right}':>24}" for r in results.values())
        print(f"{query:<14}{cells}")
    for name, rows in results.items():
        report(name, rows)


if __name__ == "__main__":
    main()
