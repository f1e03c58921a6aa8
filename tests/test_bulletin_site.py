"""Bulletin issues on the site: the 広報紙 archive, the news feed, not in the menu."""

from __future__ import annotations

import io

import feedparser
from conftest import mkdocs_build, publisher, write_project
from PIL import Image


def _cover() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 848), (30, 90, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


ISSUE = {
    "index.md": "---\ntitle: ホーム\n---\nようこそ。\n",
    "bulletins/2026-01/index.md": "---\ntitle: 広報かんら 2026年1月号\ndate: 2026-01-01\nimage: cover.jpg\n"
    "image_alt: 広報かんら 2026年1月号の表紙\n---\n"
    "- [新年のごあいさつ](01-article.md)\n- [成人式のお知らせ](02-article.md)\n",
    "bulletins/2026-01/01-article.md": "---\ntitle: 新年のごあいさつ\ndate: 2026-01-01\n---\n明けましておめでとうございます。\n",
    "bulletins/2026-01/02-article.md": "---\ntitle: 成人式のお知らせ\ndate: 2026-01-01\n---\n成人式を開きます。\n",
    "bulletins/2025-12/index.md": "---\ntitle: 広報かんら 2025年12月号\ndate: 2025-12-01\n---\n目次です。\n",
    "bulletins/2026-02/index.md": "---\ntitle: 広報かんら 2026年2月号\ndate: 2026-02-01\ndraft: true\n---\n下書きです。\n",
    "bulletins/2026-01/cover.jpg": _cover(),
}


def test_archive_lists_published_issues_newest_first_by_year(tmp_path):
    project = write_project(tmp_path, ISSUE)
    result = mkdocs_build(project, now="2026-01-15 12:00")
    assert result.returncode == 0, result.output
    archive = (project / "site/bulletins/index.html").read_text(encoding="utf-8")
    assert (
        archive.index("2026年</h2>")
        < archive.index("2026年1月号")
        < archive.index("2025年</h2>")
        < archive.index("2025年12月号")
    )
    assert "2026年2月号" not in archive and "<picture>" in archive
    feed = feedparser.parse((project / "site/feeds/news.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["広報かんら 2026年1月号", "広報かんら 2025年12月号"]
    page = (project / "site/bulletins/2026-01/01-article/index.html").read_text(encoding="utf-8")
    nav = page[page.index('class="md-nav md-nav--primary"') : page.index('class="md-content"')]
    assert "新年のごあいさつ" not in nav and "広報紙" in nav


def test_a_new_issue_is_syndicated_like_any_item(tmp_path):
    project = write_project(tmp_path, ISSUE)
    result = publisher(
        project,
        "syndicate",
        "--dry-run",
        "--channel",
        "x",
        now="2026-01-15 12:00",
        PUBLISHER_LEDGER=str(tmp_path / "ledger.json"),
    )
    assert "広報かんら 2026年1月号" in result.stdout and "2026年2月号" not in result.stdout


def test_files_outside_an_issue_folder_are_refused(tmp_path):
    project = write_project(
        tmp_path, {**ISSUE, "bulletins/2026-1/index.md": "---\ntitle: x\ndate: 2026-01-01\n---\n"}
    )
    result = publisher(project, "check")
    assert result.returncode == 1
    assert (
        "content/bulletins/2026-1/index.md:1: 広報紙のファイルは bulletins/YYYY-MM/（例: 2026-01）に置いてください"
        in result.stdout
    )
