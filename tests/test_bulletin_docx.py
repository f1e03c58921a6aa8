"""Word bulletin drafts: the fixture .docx read into exact records, then imported into a real site."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, mkdocs_build, publisher, write_project
from fixtures.bulletins import make_docx as fixture
from PIL import Image

from publisher.bulletin.docx import extract_docx, join_lines
from publisher.bulletin.importer import import_bulletin
from publisher.bulletin.records import ListBlock, Notice, Paragraph, Picture, Table

NOW = "2026-01-05 12:00"


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory) -> Path:
    return fixture.make_docx(tmp_path_factory.mktemp("docx") / "kouhou-2026-01.docx")


@pytest.fixture(scope="module")
def record(docx_file, tmp_path_factory):
    return extract_docx(docx_file, tmp_path_factory.mktemp("pictures"))


def test_articles_start_at_styled_marked_and_bold_headings(record):
    assert [(a.title, a.page) for a in record.articles] == [
        ("新年のごあいさつ", 1),
        ("年末年始のごみ収集", 2),
        ("二十歳のつどい", 3),
        ("健康教室「はじめての体操」", 3),
        ("LINE公式アカウントを始めました", 4),
        ("冬の楽山園 雪灯籠まつり", 4),
    ]
    assert record.page_count == 4 and record.ocr_pages == () and record.cover is None
    assert all(not a.checks and not a.ocr for a in record.articles)


def test_paragraphs_lists_tables_and_pictures(record):
    greeting, gomi, seijin, kenko, line, yuki = record.articles
    assert greeting.blocks[:2] == (
        Paragraph(fixture.GREETING),
        Paragraph(fixture.GREETING_2),
    )  # soft break joined
    picture = greeting.blocks[2]
    assert isinstance(picture, Picture) and (picture.width, picture.height) == (640, 400)
    with Image.open(picture.path) as image:
        assert image.format == "JPEG" and image.size == (640, 400)
    assert gomi.blocks == (
        Paragraph(fixture.GOMI),
        Table(fixture.GOMI_TABLE[0], tuple(fixture.GOMI_TABLE[1:])),
        ListBlock(tuple(fixture.GOMI_LIST), ordered=False),
    )
    assert line.blocks == (Paragraph(fixture.LINE), ListBlock(tuple(fixture.LINE_STEPS), ordered=True))
    assert [seijin.blocks, kenko.blocks, yuki.blocks] == [
        (Paragraph(fixture.SEIJIN), *seijin.notices),
        (Paragraph(fixture.KENKO), *kenko.notices),
        (Paragraph(fixture.YUKI), *yuki.notices),
    ]  # each notice once, where it was printed (as in PDFs), not again as text


def test_labelled_lines_and_label_tables_become_notices(record):
    notices = [a.notices for a in record.articles]
    assert notices[2] == (
        Notice(
            when="１月１１日㈰　午前１０時～正午（受付は午前９時３０分から）",
            place="甘楽町文化会館　大ホール",
            target="平成17年4月2日から平成18年4月1日までに生まれた方",
            contact="教育委員会事務局　電話0274-74-5311",
        ),
    )
    assert notices[3] == (
        Notice(
            when="令和8年2月1日（日）午後1時30分～3時",
            place="保健センター　多目的室",
            content="ストレッチと筋力づくりの体操",
            capacity="20人（先着順）",
            fee="無料",
            apply="1月23日㈮までに電話で",
            contact="健康課　電話0274-74-3131",
        ),
    )
    assert notices[5] == (
        Notice(
            when="1月24日㈯～25日㈰　午後4時～8時",
            place="国指定名勝 楽山園",
            fee="入園無料（期間中）",
            contact="産業課　電話0274-74-3132",
        ),
    )
    assert notices[0] == notices[1] == notices[4] == ()


def test_a_repeated_label_starts_the_next_notice(tmp_path):
    from docx import Document

    document = Document()
    document.add_heading("健康相談", level=1)
    for line in ("と　き　2月3日㈫", "ところ　保健センター", "と　き　3月3日㈫", "ところ：福祉センター"):
        document.add_paragraph(line)
    document.save(str(tmp_path / "two.docx"))
    (article,) = extract_docx(tmp_path / "two.docx", tmp_path).articles
    assert article.notices == (
        Notice(when="2月3日㈫", place="保健センター"),
        Notice(when="3月3日㈫", place="福祉センター"),
    )


def test_text_before_the_first_heading_is_kept_for_a_person(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("今月の表紙は、雪の楽山園です。")
    document.save(str(tmp_path / "intro.docx"))
    (article,) = extract_docx(tmp_path / "intro.docx", tmp_path).articles
    assert article.title == "はじめに" and article.blocks == (Paragraph("今月の表紙は、雪の楽山園です。"),)
    assert "「はじめに」という記事にしました" in article.checks[0].message


def test_japanese_lines_join_without_spaces():
    assert (
        join_lines(["町民の皆さま、明けまして", "おめでとうございます。"])
        == "町民の皆さま、明けましておめでとうございます。"
    )
    assert join_lines(["LINE", "app", "を開きます"]) == "LINE appを開きます"


@pytest.mark.slow  # the command line as a subprocess, and a real build
def test_a_docx_issue_imports_into_a_site_that_checks_once_the_alt_text_is_written(docx_file, tmp_path):
    project = write_project(
        tmp_path / "site", {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"}, MINIMAL_CONFIG
    )
    report = import_bulletin(docx_file, "2026-01", None, project / "content")
    issue = project / "content/bulletins/2026-01"
    assert sorted(p.name for p in issue.iterdir()) == [f"0{n}-article.md" for n in range(1, 7)] + [
        "img-01.jpg",
        "index.md",
    ]
    assert [d.start for _, d in report.events] == ["2026-01-11 10:00", "2026-02-01 13:30", "2026-01-24 16:00"]
    assert report.events[2][1].dates == (
        ("2026-01-24 16:00", "2026-01-24 20:00"),
        ("2026-01-25 16:00", "2026-01-25 20:00"),
    )
    with Image.open(issue / "img-01.jpg") as image:
        assert not image.getexif()  # the camera's EXIF is gone
    checked = publisher(project, "check", now=NOW)  # a draft: a warning, the others can go out
    assert checked.returncode == 0 and checked.stdout.startswith(
        "content/bulletins/2026-01/01-article.md:13: 警告: 画像「img-01.jpg」に説明（代替テキスト）がありません。"
    )
    article = issue / "01-article.md"
    draft = article.read_text(encoding="utf-8")
    article.write_text(draft.replace("draft: true\n", ""), encoding="utf-8")
    checked = publisher(project, "check", now=NOW)  # published: an error until it is written
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "content/bulletins/2026-01/01-article.md:12: 画像「img-01.jpg」に説明（代替テキスト）がありません。![説明](画像) の形で書いてください"
    ]
    article.write_text(draft, encoding="utf-8")
    article.write_text(
        article.read_text(encoding="utf-8").replace("![](img-01.jpg)", "![雪の積もった庭園と山](img-01.jpg)"),
        encoding="utf-8",
    )
    assert publisher(project, "check", now=NOW).returncode == 0
    assert mkdocs_build(project, now=NOW).returncode == 0


def test_importing_the_same_docx_twice_changes_nothing(docx_file, tmp_path):
    project = write_project(tmp_path / "site", {}, MINIMAL_CONFIG)
    first = import_bulletin(docx_file, "2026-01", None, project / "content")
    files = {p: p.read_bytes() for p in first.written}
    again = import_bulletin(docx_file, "2026-01", None, project / "content")
    assert again.unchanged and {p: p.read_bytes() for p in first.written} == files
