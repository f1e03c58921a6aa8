"""Bulletin issues on the site: the 広報紙 archive, the news feed, not in the menu."""

from __future__ import annotations

import io
import re
from pathlib import Path

import feedparser
import pytest
from conftest import MINIMAL_CONFIG, mkdocs_build, publisher, site_text, write_project
from PIL import Image

from publisher.bulletin.importer import import_record
from publisher.bulletin.records import Article, BulletinRecord, Notice, Paragraph

pytestmark = pytest.mark.slow  # real builds and the command line as a subprocess


def _cover() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 848), (30, 90, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


ISSUE = {
    "index.md": "---\ntitle: ホーム\n---\nようこそ。\n",
    "bulletins/2026-01/index.md": "---\ntitle: 広報かんら 2026年1月号\ndate: 2026-01-01\nimage: cover.jpg\n"
    "image_alt: 広報かんら 2026年1月号の表紙\n---\n"
    "紙で配った号の目次です。\n",
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
    assert '掲載号</span> <a href="../">広報かんら 2026年1月号</a>' in page
    issue = _content((project / "site/bulletins/2026-01/index.html").read_text(encoding="utf-8"))
    assert _listed(issue) == [("01-article/", "新年のごあいさつ"), ("02-article/", "成人式のお知らせ")]
    assert "紙で配った号の目次です。" in issue


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


def _content(page: str) -> str:
    return page[page.index('class="md-content"') :]


def _listed(issue_page: str) -> list[tuple[str, str]]:
    """(link, title) of each article the issue page lists under この号の記事."""
    part = issue_page[issue_page.index("この号の記事</h2>") :]
    part = part[: part.index("</ul>")] if "</ul>" in part else ""
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', part)


def _imported(tmp_path: Path) -> Path:
    """An issue imported for real (three articles, one notice → a draft event), every file a draft."""
    pdf = tmp_path / "koho.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 2048)
    record = BulletinRecord(
        source=pdf,
        page_count=3,
        articles=(
            Article(
                "新年のごあいさつ", (Paragraph("明けましておめでとうございます。町長の年頭所感です。"),), 1
            ),
            Article(
                "消防出初式を行います",
                (Paragraph("出初式の分列行進は下書きの本文です。"),),
                2,
                notices=(Notice(when="1月11日㈰　午前9時～", place="甘楽町文化会館"),),
            ),
            Article("冬の火災予防", (Paragraph("ストーブの周りに燃えやすい物を置かないでください。"),), 3),
        ),
    )
    project = write_project(
        tmp_path / "town", {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"}, MINIMAL_CONFIG
    )
    import_record(record, "2026-01", None, project / "content")
    return project


def _publish(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "draft: true\n" in text
    path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")


DRAFT_TEXTS = ("明けましておめでとうございます", "出初式の分列行進", "消防出初式を行います")


def test_one_article_goes_out_while_the_others_are_drafts(tmp_path):
    project = _imported(tmp_path)
    issue = project / "content/bulletins/2026-01"
    _publish(issue / "index.md")
    _publish(issue / "03-article.md")
    checked = publisher(project, "check", now="2026-01-05 12:00")
    assert checked.returncode == 0, checked.output
    built = mkdocs_build(project, now="2026-01-05 12:00")
    assert built.returncode == 0, built.output
    site = project / "site"
    page = _content((site / "bulletins/2026-01/index.html").read_text(encoding="utf-8"))
    assert _listed(page) == [("03-article/", "冬の火災予防")]
    assert re.search(r'<a href="2026-01\.pdf">広報かんら 2026年1月号（PDF 2KB）</a>', page)
    assert (site / "bulletins/2026-01/03-article/index.html").is_file()
    assert (
        not (site / "bulletins/2026-01/01-article").exists()
        and not (site / "bulletins/2026-01/02-article").exists()
    )
    assert not (site / "events/2026").exists()  # the notice's event is a draft too
    outputs = site_text(site)
    leaks = {path: text for path, text in outputs.items() for draft in DRAFT_TEXTS if draft in text}
    assert not leaks, sorted(leaks)  # pages, listings, feeds, sitemap, search index
    assert "bulletins/2026-01/03-article/" in outputs["sitemap.xml"]

    _publish(issue / "01-article.md")  # the next article: the issue page (stored in the cache) lists it
    rebuilt = mkdocs_build(project, now="2026-01-06 12:00")
    assert rebuilt.returncode == 0, rebuilt.output
    page = _content((site / "bulletins/2026-01/index.html").read_text(encoding="utf-8"))
    assert _listed(page) == [("01-article/", "新年のごあいさつ"), ("03-article/", "冬の火災予防")]


def test_an_article_published_before_its_issue_stands_alone(tmp_path):
    """Residents see the article page, without a link to an issue page that is not public yet; the
    issue, its cover and its PDF stay out of every output until its index.md is published."""
    project = _imported(tmp_path)
    issue = project / "content/bulletins/2026-01"
    _publish(issue / "03-article.md")
    checked = publisher(project, "check", now="2026-01-05 12:00")
    assert checked.returncode == 0, checked.output
    built = mkdocs_build(project, now="2026-01-05 12:00")
    assert built.returncode == 0, built.output
    site = project / "site"
    article = (site / "bulletins/2026-01/03-article/index.html").read_text(encoding="utf-8")
    assert "ストーブの周りに" in article and "掲載号" not in article
    assert "2026年1月号" not in article  # nor a crumb to the issue page, not public yet
    assert sorted(p.name for p in (site / "bulletins/2026-01").iterdir()) == [
        "03-article"
    ]  # no PDF, no issue page
    assert "2026年1月号" not in (site / "bulletins/index.html").read_text(encoding="utf-8")
    assert not any("2026年1月号" in text for text in site_text(site).values() if "03-article" not in text)

    _publish(issue / "index.md")  # the issue follows: the stored article page gets its link
    rebuilt = mkdocs_build(project, now="2026-01-06 12:00")
    assert rebuilt.returncode == 0, rebuilt.output
    article = (site / "bulletins/2026-01/03-article/index.html").read_text(encoding="utf-8")
    assert '掲載号</span> <a href="../">広報かんら 2026年1月号</a>' in article
    assert _listed(_content((site / "bulletins/2026-01/index.html").read_text(encoding="utf-8"))) == [
        ("03-article/", "冬の火災予防")
    ]
