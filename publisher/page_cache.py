"""Rendered pages kept between builds, so an everyday build renders only what changed.

A page's key hashes everything its HTML depends on: the site-wide fingerprint (configuration,
theme, our code and the generator's version, the menu) and the page's own inputs (its
Markdown, header, head metadata, images and links), which the plugin passes in. Equal key,
equal page: a hit is written as stored, without converting Markdown or rendering the theme.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

CODE = Path(__file__).resolve().parent
VERSION = "1"  # bump when what a cache entry holds changes


@dataclass(frozen=True)
class CachedPage:
    output: str  # the page as written to the site
    body: str  # the item's body HTML, for feeds ("" for listings)


class PageCache:
    def __init__(self, folder: Path, fingerprint: str):
        self.folder = folder
        self.fingerprint = fingerprint
        self.used: set[str] = set()

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.fingerprint.encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> CachedPage | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if set(data) != {"output", "body"}:
            return None
        self.used.add(key)
        return CachedPage(**data)

    def put(self, key: str, page: CachedPage) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(asdict(page), ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
        self.used.add(key)

    def prune(self) -> int:
        """Forget pages this build did not use; returns how many were removed."""
        removed = 0
        for path in self.folder.glob("*/*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"


def fingerprint(config_text: str, theme_dir: Path | None, generator: str, menu: str) -> str:
    """What every page depends on: a change to any of these renders every page again."""
    digest = hashlib.sha256(f"{VERSION}\0{generator}\0{config_text}\0{menu}".encode())
    for package in ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2"):
        digest.update(f"\0{package}={_version(package)}".encode())
    for folder in (CODE, theme_dir):
        for path in sorted(folder.rglob("*")) if folder and folder.is_dir() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"
