"""Files into the site: hard links from a cache where the file system allows, else copies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def link_or_copy(cached: Path, target: Path) -> None:
    """Hard-link when the cache and the site share a file system, else copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)


def walk_content(content_dir: Path) -> tuple[list[Path], list[str]]:
    """The regular files under content/, sorted, and the paths (relative) of every symbolic link.

    Links are never followed: one committed link could publish /etc/passwd or the job's
    .git/config, and MkDocs itself would follow it."""
    files, links = [], []
    for folder, dirs, names in os.walk(content_dir, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs + names):
            path = here / name
            if path.is_symlink():
                links.append(path.relative_to(content_dir).as_posix())
            elif name in names and path.is_file():
                files.append(path)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return sorted(files), sorted(links)
