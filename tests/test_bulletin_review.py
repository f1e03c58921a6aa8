"""The review page of an import: crops of the printed pages beside the drafts, riskiest first;
`publisher bulletin review` opens it. Real PDFs (reportlab), real pdftoppm, real files."""

from __future__ import annotations

import math
import re
import shutil
import stat
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, cli, publisher, write_project
from fixtures.bulletins import make_docx as docx_fixture
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from publisher.bulletin.importer import import_bulletin, import_record
from publisher.bulletin.records import (
    RISK_COLUMNS,
    Article,
    Box,
    BulletinRecord,
    Check,
    Notice,
    Paragraph,
    Table,
)

needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) が必要です")


def with_poppler(test):
    """A test whose import draws the PDF's pages with pdftoppm (a program: the slow tier)."""
    return pytest.mark.slow(needs_poppler(test))


HOME = {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"}
PAGE_W, PAGE_H = A4  # points
GREY_BOX = (100, 150, 300, 250)  # x0, top, x1, bottom in points from the top-left, drawn dark on page 2


def three_pages(path: Path) -> Path:
    """A 3-page A4 PDF; page 2 has a dark rectangle where the columns article was printed."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in (1, 2, 3):
        if page == 2:
            x0, top, x1, bottom = GREY_BOX
            pdf.setFillGray(0.1)
            pdf.rect(x0, PAGE_H - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        pdf.setFillGray(0.5)
        pdf.rect(20, 20, 40, 40, stroke=0, fill=1)  # something on every page
        pdf.showPage()
    pdf.save()
    return path


def record_of(pdf: Path) -> BulletinRecord:
    """Six articles: four with something to check, of four different risks, and two without."""
    text = (Paragraph("本文です。"),)
    return BulletinRecord(
        source=pdf,
        page_count=3,
        checks=(
            Check(0, "号全体: 奥付を読み取れませんでした"),
            Check(
                2, "2ページ: 「中央通り側)1」は記事にしていません", boxes=(Box(2, *GREY_BOX),)
            ),  # lettering
        ),
        articles=(
            Article("町長の年頭所感", text, 1),
            Article(
                "健康相談", text, 2, notices=(Notice(place="保健センター", content="健康相談"),)
            ),  # no date
            Article("古い号のおしらせ", (Paragraph("紙面がかすれています。"),), 3, ocr=True, confidence=55.0),
            Article("相談", text, 1),  # a vertical label read as a title
            Article(
                "段組みの記事",
                (Paragraph("左の段と右の段。"), Table(("曜日", "時間"), (("月", "9時"),))),
                2,
                checks=(Check(2, "2ページ: 段組みが混ざっているかもしれません", RISK_COLUMNS),),
                boxes=(Box(2, 100, 150, 200, 200), Box(2, 200, 190, 300, 250)),
            ),
            Article("冬の火災予防", text, 3, confidence=96.0),
        ),
    )


def _titles(page: str) -> list[str]:
    return re.findall(r'<h3 id="article-\d+-title">([^<]*)</h3>', page)


@with_poppler
def test_crops_beside_the_drafts_riskiest_first(tmp_path):
    project = write_project(tmp_path / "town", HOME, MINIMAL_CONFIG)
    report = import_record(
        record_of(three_pages(tmp_path / "koho.pdf")), "2026-01", None, project / "content"
    )
    page = report.review_path.read_text(encoding="utf-8")
    assert report.review_path == project / "reports/bulletins/2026-01.html"
    assert _titles(page) == [
        "古い号のおしらせ",
        "段組みの記事",
        "相談",
        "健康相談",
        "町長の年頭所感",
        "冬の火災予防",
    ]
    risky, rest = page.split('<h2 id="rest">')
    assert "先に確かめる記事（4 件、危ないものから）" in risky and "そのほかの記事（2 件、ページ順）" in rest
    assert "文字の読み取りの確かさが低い記事です（平均 55／100）" in risky
    assert (
        "3ページ: 段組みが混ざっているかもしれません" not in page
        and "2ページ: 段組みが混ざっているかもしれません" in page
    )
    assert "題名が 2 文字しかありません" in risky
    assert "「健康相談」の催しに「と　き」がありません" in risky
    assert "content/events/" not in risky  # no event draft without a date
    assert "奥付を読み取れませんでした" in page.split('<h2 id="risky">')[0]  # issue-wide points on top
    assert '<th scope="col">曜日</th>' in risky and "<dt>場所</dt><dd>保健センター</dd>" in risky
    assert "content/bulletins/2026-01/05-article.md" in risky  # the draft's file, as staff find it
    assert (
        "<script" not in page
        and "http://" not in page
        and "https://" not in page
        and '<html lang="ja">' in page
    )

    # Text left out of the drafts is shown last, beside the crop of where it was printed.
    top, left_out = page.split('<h2 id="risky">')[0], page.split('<h2 id="left-out">')[1]
    assert "中央通り側" not in top and left_out.startswith("記事にしなかった文字（1 件）")
    assert "2ページ: 「中央通り側)1」は記事にしていません" in left_out
    assert '<img src="2026-01/left-out-01-p02.png"' in left_out and "記事にしなかった部分" in left_out
    with Image.open(project / "reports/bulletins/2026-01/left-out-01-p02.png") as crop:
        assert crop.convert("L").getpixel((crop.width // 2, crop.height // 2)) < 60  # the dark box

    crops = sorted(p.name for p in (project / "reports/bulletins/2026-01").iterdir())
    assert crops == [
        "05-article-p02.png",
        "left-out-01-p02.png",
        "page-01.png",
        "page-02.png",
        "page-03.png",
    ]
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)">', page)
    assert ("2026-01/05-article-p02.png", "2 ページの切り抜き") in [(src, alt) for src, alt, _, _ in images]
    assert all(alt == f"{int(src[-6:-4])} ページの切り抜き" for src, alt, _, _ in images)
    with Image.open(project / "reports/bulletins/2026-01/page-01.png") as whole:
        assert whole.size == (math.ceil(PAGE_W * 100 / 72), math.ceil(PAGE_H * 100 / 72))  # 100 dpi
    with Image.open(project / "reports/bulletins/2026-01/05-article-p02.png") as crop:
        scale = 100 / 72  # the union of the two boxes with a 6-point margin
        assert crop.size == (round(306 * scale) - round(94 * scale), round(256 * scale) - round(144 * scale))
        assert crop.convert("L").getpixel((crop.width // 2, crop.height // 2)) < 60  # the dark box
        assert crop.convert("L").getpixel((2, 2)) > 200  # the margin around it
    for src, _, width, height in images:  # plain PNGs of the size the page gives them
        with Image.open(project / "reports/bulletins" / src) as image:
            assert image.format == "PNG" and image.size == (int(width), int(height)) and not image.getexif()
    assert "確認用のページ: " in report.summary() and "2026-01.html" in report.summary()
    assert "reports/bulletins/2026-01.html" in (project / "reports/bulletins/2026-01.md").read_text(
        encoding="utf-8"
    )
    assert not list((project / "content").rglob("*.html")) and not list((project / "content").rglob("*.png"))


@with_poppler
def test_importing_again_gives_the_same_review_page_and_crops(tmp_path):
    project = write_project(tmp_path / "town", HOME, MINIMAL_CONFIG)
    pdf = three_pages(tmp_path / "koho.pdf")
    import_record(record_of(pdf), "2026-01", None, project / "content")
    reports = project / "reports/bulletins"
    before = {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    again = import_record(record_of(pdf), "2026-01", None, project / "content")
    assert again.unchanged and {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()} == before


@pytest.mark.slow  # pdftoppm is tried on it
def test_a_pdf_that_cannot_be_drawn_shows_the_text_and_says_why(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a PDF\n%%EOF\n")  # whole, so pdftoppm tries it
    project = write_project(tmp_path / "town", HOME, MINIMAL_CONFIG)
    report = import_record(record_of(broken), "2026-01", None, project / "content")
    page = report.review_path.read_text(encoding="utf-8")
    assert "<img" not in page and "紙面の一部の画像を作れませんでした" in page
    assert "1ページの画像を作れませんでした。元の PDF と見比べてください。" in page and "本文です。" in page


def test_a_word_import_shows_the_text_without_crops_and_says_why(tmp_path):
    source = docx_fixture.make_docx(tmp_path / "kouhou-2026-01.docx")
    project = write_project(tmp_path / "town", HOME, MINIMAL_CONFIG)
    report = import_bulletin(source, "2026-01", None, project / "content")
    page = report.review_path.read_text(encoding="utf-8")
    assert "<img" not in page and not (project / "reports/bulletins/2026-01").exists()
    assert page.count("元のファイルが Word（.docx）のため、紙面の切り抜きはありません。") == 1 + len(
        report.articles
    )
    assert _titles(page)[0] != "" and set(_titles(page)) == {title for _, title in report.articles}
    assert "印刷版 PDF へのリンクは作っていません" in page.split('<h2 id="risky">')[0]  # an issue-wide point


def _word_import(tmp_path: Path) -> Path:
    """A project with an issue imported from a record of a Word file: no page to draw."""
    project = write_project(tmp_path / "town", HOME, MINIMAL_CONFIG)
    import_record(record_of(tmp_path / "koho.docx"), "2026-01", None, project / "content")
    return project


def test_the_review_command_names_the_page_or_the_missing_file(tmp_path):
    project = _word_import(tmp_path)
    page = (project / "reports/bulletins/2026-01.html").resolve()
    shown = cli(project, "bulletin", "review", "2026-01", "--no-open")
    assert shown.returncode == 0 and shown.stdout == f"確認用のページ: {page}\n"
    missing = cli(project, "bulletin", "review", "2026-02", "--no-open")
    assert missing.returncode == 1 and missing.stderr == (
        "エラー: 2026-02 号の確認用のページ（reports/bulletins/2026-02.html）がありません。"
        "先に publisher bulletin import ファイル --issue 2026-02 で取り込んでください\n"
    )
    wrong = cli(project, "bulletin", "review", "2026年2月", "--no-open")
    assert wrong.returncode == 1 and "2026-01 のように" in wrong.stderr


@pytest.mark.slow  # the command as staff run it, and the browser command Python's webbrowser starts
def test_the_review_command_opens_the_page_in_the_browser(tmp_path):
    project = _word_import(tmp_path)
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"  # Python's webbrowser runs $BROWSER with the page's URL
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    page = (project / "reports/bulletins/2026-01.html").resolve()
    shown = publisher(project, "bulletin", "review", "2026-01", "--no-open", BROWSER=f"{browser} %s")
    assert shown.returncode == 0 and shown.stdout == f"確認用のページ: {page}\n" and not opened.exists()
    done = publisher(project, "bulletin", "review", "2026-01", BROWSER=f"{browser} %s")
    assert done.returncode == 0 and done.stdout == f"確認用のページ: {page}\n", done.output
    assert opened.read_text().strip() == page.as_uri()
