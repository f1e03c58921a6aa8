"""Done when "a .docx gives the same structure": the fixture issue (truth.py) printed as a PDF by
make.py and drafted in Word by make_docx.docx_from_truth, each read by its own extractor.

Compared: article titles and order, the page each article starts on, first and last paragraphs,
notices, tables, and pictures with their captions. Not compared, because they differ by nature:
- blocks as a whole: the PDF reader also keeps the printed notice lines as a ListBlock, the DOCX
  reader only as Notice records (notices are compared through `Article.notices`);
- checks: the PDF reader asks a person to confirm every table it reconstructed from ruled lines,
  the DOCX reader reads real tables; both ask for the alt text when rendering;
- `cover`: page 1 rendered small exists only for a PDF (a .docx has no rendered pages).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import load_module

from publisher.bulletin.docx import extract_docx
from publisher.bulletin.pdf import extract_pdf
from publisher.bulletin.records import Paragraph, Picture, Table

FIXTURES = Path(__file__).parent / "fixtures" / "bulletins"
pytestmark = [
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) が必要です"),
    pytest.mark.slow,  # the PDF is rendered with poppler
]


def _load(name: str):
    return load_module(f"bulletin_same_{name}", FIXTURES / f"{name}.py")


@pytest.fixture(scope="session")
def records(tmp_path_factory):
    folder = tmp_path_factory.mktemp("same-structure")
    pdf = _load("make").born_digital_pdf(folder / "pdf" / "kanra-2026-01.pdf")
    docx = _load("make_docx").docx_from_truth(folder / "docx" / "kanra-2026-01.docx")
    return {
        "pdf": extract_pdf(pdf, workdir=folder / "pdf-work"),
        "docx": extract_docx(docx, folder / "docx-work"),
    }


def _clean(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(article) -> list[str]:
    return [_clean(b.text) for b in article.blocks if isinstance(b, Paragraph)]


def _pictures(article) -> list[tuple[int, int, str]]:
    return [(b.width, b.height, b.caption) for b in article.blocks if isinstance(b, Picture)]


def test_the_same_articles_in_the_same_order_and_on_the_same_pages(records):
    pdf, docx = records["pdf"], records["docx"]
    assert [a.title for a in docx.articles] == [a.title for a in pdf.articles]
    assert len(pdf.articles) == len(_load("truth").STORIES)
    # The editor's manual page breaks are where the DTP pages start, so the pages agree too.
    assert [a.page for a in docx.articles] == [a.page for a in pdf.articles]
    assert docx.page_count == pdf.page_count == 12


@pytest.mark.parametrize("part", ["first paragraph", "last paragraph"])
def test_the_same_first_and_last_paragraphs(records, part):
    end = 0 if part == "first paragraph" else -1
    pdf, docx = (
        [(a.title, _paragraphs(a)[end]) for a in r.articles] for r in (records["pdf"], records["docx"])
    )
    assert docx == pdf


def test_the_same_notices(records):
    assert [a.notices for a in records["docx"].articles] == [a.notices for a in records["pdf"].articles]
    printed = sum(len(e.notices) for e in _load("truth").expected())
    assert (
        sum(len(a.notices) for a in records["pdf"].articles) == printed
    )  # equal, and not by both being empty


def test_the_same_tables_and_pictures(records):
    for pdf, docx in zip(records["pdf"].articles, records["docx"].articles, strict=True):
        assert [b for b in docx.blocks if isinstance(b, Table)] == [
            b for b in pdf.blocks if isinstance(b, Table)
        ], pdf.title  # header and rows
        assert _pictures(docx) == _pictures(pdf), pdf.title  # count, size and ▲ caption


def test_the_cover_photo_is_left_out_of_the_articles_in_both(records):
    def cover_checks(record):
        return [c for c in record.checks if "見出しのない画像" in c.message]

    assert cover_checks(records["docx"]) == cover_checks(records["pdf"])
    assert len(cover_checks(records["pdf"])) == 1
