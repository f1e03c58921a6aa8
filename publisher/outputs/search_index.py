"""Japanese full-text search with Pagefind (the only place that runs it), in two shards kept between builds.

Pagefind reads the built HTML, so only what was published is ever indexed. It is given a
search copy of each page: the part it indexes, with the Japanese split into words
(publisher/outputs/words.py, with ICU, as the search page splits the query), so Pagefind's plain build
indexes it. Its extended build, which splits Japanese itself, took 340 MB before the first page.
The copy also carries the folded forms of its words (publisher/outputs/fold.py) in a metadata
field Pagefind searches and never shows, so that ゴミ, ごみ and ｺﾞﾐ find the same pages while
excerpts keep the text as written.
Pagefind cannot update an index, and indexing a ten-year archive takes longer than the rest of
an everyday build. So the posts of past years (news/2019/…, events/2019/…, bulletins/2019-05/…)
are indexed apart, in an archive shard that is indexed again only when one of its pages
changed (or once a year, when a year joins it); everything else, where staff make their
everyday changes, is the main index at pagefind/. The search page merges the archive into the
main index (Pagefind's `mergeIndex` reuses the main index's WebAssembly; every merged index
costs a query its own metadata and word chunks, which is why there are two shards and not one
per year). The shards are indexed one after the other.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from pagefind_bin import get_executable as pagefind_executable

from ..content.errors import FieldError
from ..content.files import link_or_copy
from .fold import FIELD, folded_terms
from .words import ICU_VERSION, WordSplitter

OUTPUT = "pagefind"
COPY_VERSION = "3"  # bump when search_copy or words.py changes: every shard is indexed again
MAIN = "main"
ARCHIVE = "archive"
_YEARLY = re.compile(r"^(?:(?:news|events)/(\d{4})/|bulletins/(\d{4})-\d{2}/)")


def shard_of(url: str, year: int) -> str:
    """The shard of a page (site-relative URL or HTML path) in a build made in `year`."""
    match = _YEARLY.match(url)
    return ARCHIVE if match and int(match.group(1) or match.group(2)) < year else MAIN


def shard_folders(urls: Iterable[str], year: int) -> dict[str, str]:
    """Output folder of each shard the pages fall in. The main shard (or, on a site with
    old posts only, the archive) is at pagefind/, where the search page loads Pagefind from;
    the search page merges the other into it."""
    names = sorted({shard_of(url, year) for url in urls}, key=lambda name: name != MAIN)
    return {name: f"{OUTPUT}/" if n == 0 else f"{OUTPUT}/{name}/" for n, name in enumerate(names)}


def merged_folders(urls: Iterable[str], year: int) -> list[str]:
    """The folders the search page merges into the one at pagefind/."""
    return [folder for folder in shard_folders(urls, year).values() if folder != f"{OUTPUT}/"]


@dataclass(frozen=True)
class Shard:
    name: str
    pages: tuple[str, ...]  # site-relative paths of the HTML files it indexes
    stored: Path  # the shard's index as kept between builds


def build_search_index(
    site_dir: Path,
    pages: Iterable[str],
    cache_dir: Path,
    year: int,
    page_keys: Mapping[str, str] | None = None,
) -> int:
    """Index the searchable pages of a build made in `year`; returns how many shards had to be
    indexed (the others were stored). `page_keys` may describe each page (the page cache's
    keys: equal key, equal page), which spares reading every page to see whether it changed."""
    pages = sorted(set(pages))
    folders = shard_folders(pages, year)
    shards = _shards(site_dir, pages, cache_dir, year, page_keys or {})
    missing = [shard for shard in shards if not shard.stored.is_dir()]
    for shard in missing:
        _index(site_dir, shard)
    for shard in shards:
        shutil.copytree(
            shard.stored,
            site_dir / folders[shard.name],
            dirs_exist_ok=True,
            copy_function=lambda source, target: link_or_copy(Path(source), Path(target)),
        )
    _prune(cache_dir, {shard.stored for shard in shards})
    return len(missing)


def _shards(
    site_dir: Path, pages: Iterable[str], cache_dir: Path, year: int, page_keys: Mapping[str, str]
) -> list[Shard]:
    groups: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        groups[shard_of(page, year)].append(page)
    version = _pagefind_version()
    shards = []
    for name, files in sorted(groups.items()):
        digest = hashlib.sha256(f"{version}\0{COPY_VERSION}\0{ICU_VERSION}\0{name}".encode())
        for page in files:  # the whole page: whatever Pagefind reads from it is covered
            described = page_keys.get(page)
            content = b"key:" + described.encode() if described else (site_dir / page).read_bytes()
            digest.update(b"\0" + page.encode() + b"\0" + content)
        shards.append(Shard(name, tuple(files), cache_dir / f"{name}-{digest.hexdigest()[:20]}"))
    return shards


def _index(site_dir: Path, shard: Shard) -> None:
    """Run Pagefind over search copies of the shard's pages, in a folder mirroring the site."""
    work = shard.stored.with_name(f"{shard.stored.name}.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    words = WordSplitter()
    for page in shard.pages:
        copy = search_copy((site_dir / page).read_text(encoding="utf-8"), words)
        target = work / "site" / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(copy, encoding="utf-8")
    (work / "site").mkdir(parents=True, exist_ok=True)
    try:
        command = [
            str(pagefind_executable()),
            "--site",
            str(work / "site"),
            "--output-path",
            str(work / "index"),
            "--silent",
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as error:  # FileNotFoundError: no binary in the package
        raise FieldError(f"検索索引を作れませんでした（Pagefind を起動できません: {error}）") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["不明なエラー"]
        raise FieldError(f"検索索引を作れませんでした（Pagefind: {detail[0]}）")
    os.replace(work / "index", shard.stored)
    shutil.rmtree(work, ignore_errors=True)


# Search copies: what Pagefind reads of a page, its words apart.

_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
_TAG_NAME = re.compile(r"<(\w+)")
_TOKEN = re.compile(
    r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<(/?)(\w+)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.IGNORECASE | re.DOTALL,
)
_ALT = re.compile(r'(\salt=")([^"]*)(")', re.IGNORECASE)
_IGNORED = re.compile(r"\sdata-pagefind-ignore\b", re.IGNORECASE)
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def search_copy(page: str, words: WordSplitter) -> str:
    """The page's <html> tag, title and data-pagefind-body element, text and alt texts split into
    words, and the folded forms of its words in a metadata field (publisher/outputs/fold.py); the
    page as it is when it has no such element (Pagefind then skips it)."""
    marker = page.find("data-pagefind-body")  # a plain search: pages are tens of KB
    body = _TAG_NAME.match(page, page.rfind("<", 0, marker)) if marker > 0 else None
    if body is None:
        return page
    html_tag, title = _HTML_TAG.search(page), _TITLE.search(page)
    text = _Splitter(words)
    parts, at = [], body.start()
    for token in _TOKEN.finditer(page, body.start()):
        parts.append(text.split(page[at : token.start()]))
        tag = token.group(0)
        if tag[:4].lower() == "<img":
            tag = _ALT.sub(lambda m: m.group(1) + text.split(m.group(2), True) + m.group(3), tag)
        parts.append(tag)
        at = token.end()
        if text.enter(token, body.group(1).lower()):
            break
    head = (html_tag.group(0) if html_tag else "<html>") + (title.group(0) if title else "")
    return (
        f'<!doctype html>{head}<meta charset="utf-8"><body>{"".join(parts)}{text.fold_meta()}</body></html>'
    )


class _Splitter:
    """The text of one body element split into words, and the folded forms of the words Pagefind
    indexes (none from inside data-pagefind-ignore elements: a query must not find a page by a
    word Pagefind leaves out)."""

    def __init__(self, words: WordSplitter):
        self.words = words
        self.terms: dict[str, None] = {}
        self.depth = 0  # open elements named as the body element
        self.ignored: tuple[str, int] | None = None  # (name, open elements of that name) while inside one

    def split(self, text: str, quote: bool = False) -> str:
        if not text.strip():
            return text
        spaced = self.words.spaced(html.unescape(text))
        if self.ignored is None:
            self.terms.update(dict.fromkeys(folded_terms(spaced, self.words)))
        return html.escape(spaced, quote=quote)

    def enter(self, token: re.Match, body_name: str) -> bool:
        """Follow the element nesting past `token`; True once the body element is closed."""
        name, closing = (token.group(3) or "").lower(), bool(token.group(2))
        step = (-1 if closing else 1) if name and name not in _VOID else 0
        if self.ignored and self.ignored[0] == name:
            self.ignored = (name, self.ignored[1] + step) if self.ignored[1] + step else None
        elif self.ignored is None and step == 1 and _IGNORED.search(token.group(0)):
            self.ignored = (name, 1)
        if name == body_name:
            self.depth += step
        return self.depth == 0

    def fold_meta(self) -> str:
        if not self.terms:
            return ""
        return f'<meta data-pagefind-meta="{FIELD}[content]" content="{html.escape(" ".join(self.terms))}">'


def _prune(cache_dir: Path, keep: set[Path]) -> None:
    for entry in cache_dir.iterdir() if cache_dir.is_dir() else ():
        if entry not in keep:
            shutil.rmtree(entry, ignore_errors=True)


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind-bin")
    except metadata.PackageNotFoundError:
        return "-"
