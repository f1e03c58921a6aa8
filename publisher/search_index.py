"""Japanese full-text search index with Pagefind (the only place that runs it).

Pagefind reads the built HTML, so only what was published is ever indexed; its extended
build segments Japanese. The index is fetched in chunks by the search page only.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import FieldError


def build_search_index(site_dir: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FieldError(f"検索索引を作れませんでした（Pagefind を起動できません: {error}）") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["不明なエラー"]
        raise FieldError(f"検索索引を作れませんでした（Pagefind: {detail[0]}）")
