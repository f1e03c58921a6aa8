"""The theme's own stylesheet, minified in site/ (the only rcssmin import).

theme/assets/stylesheets/town.css stays commented and readable for the maintainer; residents'
phones load it on every first visit, where its comments and indentation are a tenth of the page
weight budget (17 KB → about 11 KB).
"""

from __future__ import annotations

import os
from pathlib import Path

import rcssmin

STYLESHEETS = ("assets/stylesheets/town.css",)


def minify_stylesheets(out_dir: Path) -> list[Path]:
    written = []
    for name in STYLESHEETS:
        path = out_dir / name
        if not path.is_file():
            continue
        # Written beside and moved over: the file in site/ may be a hard link to the theme's.
        fresh = path.with_name(path.name + ".min")
        fresh.write_text(rcssmin.cssmin(path.read_text(encoding="utf-8")), encoding="utf-8")
        os.replace(fresh, path)
        written.append(path)
    return written
