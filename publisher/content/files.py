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
