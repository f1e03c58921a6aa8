"""Rendered pages kept between builds, so an everyday build renders only what changed.

A page's key hashes everything its HTML depends on: the site-wide fingerprint (configuration,
theme, our code and the generator's version, the menu) and the page's own inputs (its
Markdown, header, head metadata, images and links), which the plugin passes in. Equal key,
equal page: a hit is written as stored, without converting Markdown or rendering the theme.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..content.digests import CODE, add_folder
from ..content.files import link_or_copy

VERSION = "2"  # bump when what a cache entry holds changes


@dataclass(frozen=True)
class CachedPage:
    output: str  # the page as written to the site
    body: str  # the item's body HTML, for feeds ("" for listings)


class Bodies(Mapping):
    """Item body HTML by src: rendered in this build, or read from the store when asked for
    (the feeds want only the newest items, so most stored bodies are never read)."""

    def __init__(self, rendered: dict[str, str], stored: dict[str, str], cache: PageCache | None):
        self.rendered, self.stored, self.cache = rendered, stored, cache

    def __getitem__(self, src: str) -> str:
        if src in self.rendered:
            return self.rendered[src]
        if src in self.stored and self.cache is not None:
            return self.cache.body(self.stored[src])
        raise KeyError(src)

    def __iter__(self) -> Iterator[str]:
        return iter(self.rendered.keys() | self.stored.keys())

    def __len__(self) -> int:
        return len(self.rendered.keys() | self.stored.keys())


class PageCache:
    """One folder per page: `page.html` as written and `body.html` for feeds. Outputs are
    read only when written, so a build holds no more than one stored page at a time."""

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = folder
        self.fingerprint = fingerprint
        self.used: set[str] = set()

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.fingerprint.encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def has(self, key: str) -> bool:
        """Whether the page is stored (a hit); its body is read only if asked for."""
        if not (self._entry(key) / "body.html").is_file():  # written last: marks a whole entry
            return False
        self.used.add(key)
        return True

    def body(self, key: str) -> str:
        return (self._entry(key) / "body.html").read_text(encoding="utf-8")

    def link_output(self, key: str, target: Path) -> None:
        """Put the stored page at `target` (a hard link: the site is rebuilt in a new folder each time)."""
        link_or_copy(self._entry(key) / "page.html", target)

    def put(self, key: str, page: CachedPage) -> None:
        """Write the entry beside its final place, then rename: a crash never leaves half of one."""
        entry = self._entry(key)
        temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        shutil.rmtree(temporary, ignore_errors=True)
        temporary.mkdir(parents=True)
        (temporary / "page.html").write_text(page.output, encoding="utf-8")
        (temporary / "body.html").write_text(
            page.body, encoding="utf-8"
        )  # last: its presence marks a whole entry
        shutil.rmtree(entry, ignore_errors=True)
        os.replace(temporary, entry)
        self.used.add(key)

    def prune(self) -> int:
        """Forget pages this build did not use; returns how many were removed."""
        removed = 0
        for entry in self.folder.glob("*/*"):
            if entry.name not in self.used:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / key


def fingerprint(config_text: str, theme_dir: Path | None, generator: str, menu: str) -> str:
    """What every page depends on: a change to any of these renders every page again."""
    digest = hashlib.sha256(f"{VERSION}\0{generator}\0{config_text}\0{menu}".encode())
    for package in ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2"):
        digest.update(f"\0{package}={_version(package)}".encode())
    add_folder(digest, CODE)
    add_folder(digest, theme_dir)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"
