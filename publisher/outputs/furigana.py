"""ふりがな files beside the pages: `x/index.html` gets `x/index.furigana.json`, the readings of
the kanji in its main text (the `<article>`), which theme/assets/javascripts/town-reading.js
fetches only when a resident turns ふりがな on. The pages themselves carry no reading, so the
search index (built from the pages), the feeds (built from the bodies) and 読み上げ (which reads
the page) never see one.

The file maps each text node of the article to its ruby: {"v": 1, "t": {text: [[start, end,
reading], …]}}. Keyed by the text itself rather than by position, a node the browser parses
differently, or one a script added, is simply left without ruby.

Each file is kept in `.cache/furigana/` under a hash of the article's HTML, the reading list,
the dictionary's version and FORMAT, and linked into the site; the dictionary is loaded only
for a page not stored (publisher/outputs/readings.py). Without a cache folder (`mkdocs serve`)
the files are remembered in this process instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

from ..content.files import link_or_copy
from ..content.kana import has_kanji
from .readings import Readings, analyser_version

FORMAT = "1"  # bump when the file's shape or what is read changes: every page is read again
SUFFIX = ".furigana.json"
SWITCH = 'id="town-furigana"'  # theme/partials/reading-tools.html
_START = '<article class="md-content__inner'
_END = "</article>"
_SKIPPED = {"script", "style", "rt", "rp", "ruby", "svg", "textarea", "template", "noscript"}
_WIDE = re.compile("[\U00010000-\U0010ffff]")
_remembered: dict[str, bytes] = {}  # `mkdocs serve`: one process, many builds


def readings_path(html_path: str) -> str:
    """Where the readings of a page are, beside it: news/a/index.html → news/a/index.furigana.json."""
    return html_path.removesuffix(".html") + SUFFIX


def write_furigana(site_dir: Path, listed: tuple[tuple[str, str], ...], cache_dir: Path | None) -> list[Path]:
    """A readings file beside every page that has a main text; returns the paths written."""
    salt = hashlib.sha256(repr((FORMAT, analyser_version(), listed)).encode("utf-8")).hexdigest()
    readings = Readings(listed)
    written, used = [], set()
    for page in sorted(site_dir.rglob("*.html")):
        page_html = page.read_text(encoding="utf-8")
        article = main_text(page_html)
        if article is None or SWITCH not in page_html:  # 404.html: served at any address, no switch
            continue
        key = hashlib.sha256((salt + article).encode("utf-8")).hexdigest()
        target = page.with_name(page.name.removesuffix(".html") + SUFFIX)
        used.add(key)
        _store(key, cache_dir, partial(file_bytes, article, readings), target)
        written.append(target)
    for key in set(_remembered) - used:  # a long `mkdocs serve` keeps only the current pages
        del _remembered[key]
    if cache_dir is not None:
        for stale in cache_dir.glob("*.json"):
            if stale.stem not in used:
                stale.unlink()
    return written


def _store(key: str, cache_dir: Path | None, make, target: Path) -> None:
    """The stored file linked into the site, made (and stored) first when it is not there."""
    if cache_dir is None:
        data = _remembered.get(key) or _remembered.setdefault(key, make())
        target.write_bytes(data)
        return
    stored = cache_dir / f"{key}.json"
    if not stored.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        unfinished = stored.with_suffix(".tmp")
        unfinished.write_bytes(make())
        unfinished.replace(stored)
    link_or_copy(stored, target)


def main_text(page_html: str) -> str | None:
    """The page's `<article>` (Material's content area) as HTML, or None for a page without one."""
    start = page_html.find(_START)
    end = page_html.rfind(_END)
    return page_html[start : end + len(_END)] if 0 <= start < end else None


def file_bytes(article: str, readings: Readings) -> bytes:
    nodes = {}
    for text in text_nodes(article):
        if text not in nodes:
            rubies = readings.of(text)
            if rubies:
                units = _utf16 if _WIDE.search(text) else lambda text, at: at
                nodes[text] = [[units(text, start), units(text, end), r] for start, end, r in rubies]
    return json.dumps({"v": 1, "t": nodes}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _utf16(text: str, at: int) -> int:
    """A position as JavaScript counts it: characters beyond U+FFFF (emoji) are two units."""
    return at + sum(1 for c in text[:at] if ord(c) > 0xFFFF)


def text_nodes(article: str) -> list[str]:
    """The text nodes with kanji, as the browser's DOM holds them, outside scripts and ruby."""
    parser = _TextNodes()
    parser.feed(article)
    parser.close()
    return parser.found


class _TextNodes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if tag in self.skipping:
            del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag) :]

    def handle_data(self, data):
        if not self.skipping and has_kanji(data):
            self.found.append(data)
