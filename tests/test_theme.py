"""Our overrides of Material's templates change how fast a page renders, never what it shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.slow  # the sample site built with our theme and with Material's


def markup(path: Path) -> str:
    """The page with whitespace between tags taken out and other runs of it made one space."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", path.read_text(encoding="utf-8")))


def test_the_nav_override_renders_every_page_as_materials_own_template(sample_site, tmp_path):
    theirs = tmp_path / "materials-nav"
    shutil.copytree(ROOT / "content", theirs / "content")
    shutil.copytree(ROOT / "theme", theirs / "theme")
    shutil.copy(ROOT / "mkdocs.yml", theirs / "mkdocs.yml")
    (theirs / "theme/partials/nav-item.html").unlink()
    assert mkdocs_build(theirs).returncode == 0
    pages = sorted(p.relative_to(sample_site) for p in sample_site.rglob("*.html"))
    assert len(pages) > 50 and pages == sorted(
        p.relative_to(theirs / "site") for p in (theirs / "site").rglob("*.html")
    )
    sections = 0
    for page in pages:
        ours = markup(sample_site / page)
        assert ours == markup(theirs / "site" / page), page
        sections += ours.count("md-nav__container")  # a section shown with its index page
    assert sections > 10  # the index-page branch is taken
