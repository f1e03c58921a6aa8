"""Japanese full-text search with Pagefind (the only place that runs it), in two shards kept between builds.

Pagefind reads the built HTML, so only what was published is ever indexed; its extended
build segments Japanese. Pagefind cannot update an index, and indexing a ten-year archive
takes longer than the rest of an everyday build. So the posts of past years (news/2019/…,
events/2019/…, bulletins/2019-05/…) are indexed apart, in an archive shard that
is indexed again only when one of its pages changed (or once a year, when a year joins it);
everything else, where staff make their everyday changes, is the main index at pagefind/.
The search page merges the archive into the main index (Pagefind's `mergeIndex` reuses the
main index's WebAssembly; every merged index costs a query its own metadata and word chunks,
which is why there are two shards and not one per year). The shards are indexed one after the
other: one Pagefind process took 330–480 MB on the 3,000-post benchmark.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Iterable, Mapping

from .errors import FieldError
from .images import link_or_copy

OUTPUT = "pagefind"
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


def build_search_index(site_dir: Path, pages: Iterable[str], cache_dir: Path, year: int,
                       page_keys: Mapping[str, str] | None = None) -> int:
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
        shutil.copytree(shard.stored, site_dir / folders[shard.name], dirs_exist_ok=True,
                        copy_function=lambda source, target: link_or_copy(Path(source), Path(target)))
    _prune(cache_dir, {shard.stored for shard in shards})
    return len(missing)


def _shards(site_dir: Path, pages: Iterable[str], cache_dir: Path, year: int,
            page_keys: Mapping[str, str]) -> list[Shard]:
    groups: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        groups[shard_of(page, year)].append(page)
    version = _pagefind_version()
    shards = []
    for name, files in sorted(groups.items()):
        digest = hashlib.sha256(f"{version}\0{name}".encode())
        for page in files:  # the whole page: whatever Pagefind reads from it is covered
            described = page_keys.get(page)
            content = b"key:" + described.encode() if described else (site_dir / page).read_bytes()
            digest.update(b"\0" + page.encode() + b"\0" + content)
        shards.append(Shard(name, tuple(files), cache_dir / f"{name}-{digest.hexdigest()[:20]}"))
    return shards


def _index(site_dir: Path, shard: Shard) -> None:
    """Run Pagefind over the shard's pages only: a folder of links mirroring the site."""
    work = shard.stored.with_name(f"{shard.stored.name}.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    for page in shard.pages:
        link_or_copy(site_dir / page, work / "site" / page)
    (work / "site").mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(work / "site"), "--output-path", str(work / "index"),
               "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FieldError(f"検索索引を作れませんでした（Pagefind を起動できません: {error}）") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["不明なエラー"]
        raise FieldError(f"検索索引を作れませんでした（Pagefind: {detail[0]}）")
    os.replace(work / "index", shard.stored)
    shutil.rmtree(work, ignore_errors=True)


def _prune(cache_dir: Path, keep: set[Path]) -> None:
    for entry in cache_dir.iterdir() if cache_dir.is_dir() else ():
        if entry not in keep:
            shutil.rmtree(entry, ignore_errors=True)


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "-"
