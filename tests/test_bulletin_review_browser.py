"""The review page in a real browser (Debian's Chromium): the generated 12-page bulletin imported
through the command line, the page opened from disk as `publisher bulletin review` opens it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from browser import axe_violations, chromium
from conftest import load_module, publisher, write_project

FIXTURES = Path(__file__).parent / "fixtures" / "bulletins"
pytestmark = [
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) が必要です"),
    pytest.mark.slow,  # the command line, poppler and Chromium
]


def _make():
    return load_module("bulletin_review_make", FIXTURES / "make.py")


@pytest.fixture(scope="module")
def review_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("review")
    source = _make().born_digital_pdf(folder / "koho-2026-01.pdf")
    project = write_project(folder / "town", {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"})
    imported = publisher(project, "bulletin", "import", str(source), "--issue", "2026-01")
    assert imported.returncode == 0, imported.output
    shown = publisher(project, "bulletin", "review", "2026-01", "--no-open")
    assert shown.returncode == 0, shown.output
    return Path(shown.stdout.removeprefix("確認用のページ: ").strip())


def test_the_review_page_shows_the_crops_and_the_risky_articles_first(review_page, tmp_path):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(review_page.as_uri())
        page.wait_for_load_state("load")
        crops = page.evaluate(
            "[...document.querySelectorAll('article img')].map(i => ({alt: i.alt, loaded: i.complete,"
            " width: i.naturalWidth, page: +i.closest('article').dataset.page}))"
        )
        articles = page.evaluate(
            "[...document.querySelectorAll('main article')].map(a => ({risky: a.classList.contains('risky'),"
            " risk: a.dataset.risk, page: +a.dataset.page, title: a.querySelector('h3').textContent}))"
        )
        assert len(articles) >= 12 and len(crops) >= len(articles)  # every article has its page's crop
        assert all(c["loaded"] and c["width"] > 0 for c in crops), [c for c in crops if not c["width"]]
        assert {c["alt"] for c in crops} <= {f"{n} ページの切り抜き" for n in range(1, 13)}
        assert {c["page"] for c in crops} >= {
            a["page"] for a in articles
        }  # each article shows its first page

        flags = [a["risky"] for a in articles]
        assert flags[0] and flags == sorted(flags, reverse=True), articles  # the risky ones first
        risky = [int(a["risk"]) for a in articles if a["risky"]]
        assert risky == sorted(risky)  # riskiest first
        rest = [a["page"] for a in articles if not a["risky"]]
        assert rest == sorted(rest)  # then page order
        first = page.locator("main article").first
        assert first.locator(".points li").count() >= 1 and first.locator("img").first.is_visible()

        assert axe_violations(page) == []
        shot = Path(os.environ.get("REVIEW_SCREENSHOT", tmp_path / "review-page.png"))
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000
        page.close()
