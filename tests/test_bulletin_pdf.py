"""Paper bulletin PDFs read for real: a 12-page DTP-style issue and its scan, generated once per session
(tests/fixtures/bulletins/make.py) and compared with what the fixture printed (truth.py)."""

from __future__ import annotations

import difflib
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import load_module

from publisher.bulletin.ocr import OcrUnavailable
from publisher.bulletin.pdf import extract_pdf
from publisher.bulletin.records import ListBlock, Paragraph, Picture, Table

FIXTURES = Path(__file__).parent / "fixtures" / "bulletins"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) が必要です")
needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract-ocr-jpn が必要です")


def _load(name: str):
    return load_module(f"bulletin_fixture_{name}", FIXTURES / f"{name}.py")


make = _load("make")
truth = make.truth
EXPECTED = truth.expected()
TIMINGS: dict[str, float] = {}

pytestmark = pytest.mark.slow  # PDFs drawn and rendered with poppler, and read by Tesseract


@pytest.fixture(scope="session")
def bulletin_pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bulletins")
    born = make.born_digital_pdf(folder / "kanra-2026-01.pdf")
    return {"born": born, "scan": make.scanned_pdf(born, folder / "kanra-2026-01-scan.pdf")}


def _timed(label: str, path: Path, work: Path, **options):
    started = time.perf_counter()
    record = extract_pdf(path, workdir=work, **options)
    TIMINGS[label] = time.perf_counter() - started
    return record


@pytest.fixture(scope="session")
def born(bulletin_pdfs, tmp_path_factory):
    return _timed("born-digital", bulletin_pdfs["born"], tmp_path_factory.mktemp("born-work"))


@pytest.fixture(scope="session")
def scanned(bulletin_pdfs, tmp_path_factory):
    return _timed("scanned (OCR)", bulletin_pdfs["scan"], tmp_path_factory.mktemp("scan-work"))


def paragraphs(article) -> list[str]:
    return [b.text for b in article.blocks if isinstance(b, Paragraph)]


JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60、。「」（）]"


# --- born-digital -------------------------------------------------------------------------------


@needs_poppler
def test_fixture_fonts_are_cid_without_unicode_maps(bulletin_pdfs):
    data = bulletin_pdfs["born"].read_bytes()
    assert b"/ToUnicode" not in data and b"HeiseiMin-W3" in data and b"/FontFile" not in data  # not embedded


@needs_poppler
def test_titles_in_reading_order(born):
    assert [a.title for a in born.articles] == [
        "新年のごあいさつ",
        "消防出初式を行います",
        "二十歳のつどい",
        "町税の納付はお済みですか",
        "健康づくり教室の参加者を募集します",
        "冬の火災予防",
        "甘楽町の冬の見どころ",
        "図書館だより",
        "子育て広場「ぽかぽか」",
        "1月の休日当番医",
        "ごみの出し方が変わります",
        "特集　城下町小幡の歩み",
        "文化財防火デー消防訓練",
        "確定申告の相談会",
        "国民年金のお知らせ",
        "こんにゃく料理教室",
        "農業委員会からのお知らせ",
        "人権相談",
        "まちの話題",
        "町民スキー教室",
        "上下水道料金のお知らせ",
        "2月の主な行事",
        "編集後記",
    ]
    assert [a.title for a in born.articles] == [e.title for e in EXPECTED]
    assert born.page_count == 12 and born.ocr_pages == ()
    assert not any(a.ocr for a in born.articles)
    assert [a.page for a in born.articles][:4] == [1, 2, 2, 2]


@needs_poppler
@pytest.mark.parametrize("index", range(len(EXPECTED)), ids=[e.title for e in EXPECTED])
def test_first_and_last_sentences(born, index):
    article, expected = born.articles[index], EXPECTED[index]
    texts = paragraphs(article)
    assert texts[0].startswith(expected.first)
    assert texts[-1].endswith(expected.last)


@needs_poppler
def test_text_is_clean(born):
    texts = [t for a in born.articles for t in paragraphs(a)]
    for text in texts:
        assert not re.search(rf"{JAPANESE}[ \u3000]+{JAPANESE}", text), text  # no spaces inside Japanese
        assert "\n" not in text and "2026年1月号" not in text and not text.startswith("広報かんら")
        assert not re.fullmatch(r"\d+", text)
    assert any("Kanra Town Archives の名前" in t for t in texts)  # Latin words keep their spaces
    assert any(
        "今月号から、広報かんらの記事を" in t for t in texts
    )  # the masthead text inside a sentence stays
    # A sentence broken across two columns comes back whole (the feature runs over both columns).
    feature = born.articles[[a.title for a in born.articles].index("特集　城下町小幡の歩み")]
    assert len(paragraphs(feature)) == 8


@needs_poppler
def test_notices_keep_the_raw_fields(born):
    for article, expected in zip(born.articles, EXPECTED, strict=True):
        found = [{k: v for k, v in vars(n).items() if v} for n in article.notices]
        assert found == list(expected.notices), article.title
    health = born.articles[4].notices[0]
    assert health.when == "1月18日㈰　午前10時～正午" and health.capacity == "20人（先着順）"
    # The notice is kept once, as its fields: not again as a list or as text in the article.
    texts = [b.text for b in born.articles[4].blocks if isinstance(b, Paragraph)]
    texts += [i for b in born.articles[4].blocks if isinstance(b, ListBlock) for i in b.items]
    assert not any("1月18日" in t or "20人（先着順）" in t for t in texts)


@needs_poppler
def test_pictures_tables_and_cover(born):
    for article, expected in zip(born.articles, EXPECTED, strict=True):
        pictures = [b for b in article.blocks if isinstance(b, Picture)]
        assert len(pictures) == expected.pictures, article.title
        for picture in pictures:
            assert picture.path.exists() and picture.width > 100 and picture.height > 100
            assert picture.caption
            assert any("代替テキスト" in c.message for c in article.checks)
        tables = [(b.header, *b.rows) for b in article.blocks if isinstance(b, Table)]
        assert tuple(tables) == expected.tables, article.title
    assert born.cover and born.cover.path.exists() and max(born.cover.width, born.cover.height) == 600
    assert any("見出しのない画像" in c.message and c.page == 1 for c in born.checks)  # the cover photo


# --- scanned --------------------------------------------------------------------------------------


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, re.sub(r"\s", "", a), re.sub(r"\s", "", b)).ratio() >= 0.8


@needs_poppler
@needs_tesseract
def test_scan_is_read_by_ocr(scanned):
    assert scanned.ocr_pages == tuple(range(1, 13))
    assert scanned.articles and all(a.ocr for a in scanned.articles)
    assert {c.page for c in scanned.checks if "OCR" in c.message} == set(range(1, 13))
    found = [a.title for a in scanned.articles]
    matched, position = [], 0
    for expected in EXPECTED:  # in reading order, allowing OCR noise
        for n in range(position, len(found)):
            if _similar(expected.title, found[n]):
                matched.append(expected.title)
                position = n + 1
                break
    missed = [e.title for e in EXPECTED if e.title not in matched]
    print(f"\nOCR: {len(matched)}/{len(EXPECTED)} titles found, {len(found)} articles; missed: {missed}")
    # Measured: 23/23 titles, 25 articles (heading marks are found in the image, not read).
    assert len(matched) >= len(EXPECTED) - 1, missed
    assert abs(len(found) - len(EXPECTED)) <= 3, found
    pictures = [b for a in scanned.articles for b in a.blocks if isinstance(b, Picture)]
    assert len(pictures) == sum(e.pictures for e in EXPECTED)
    assert all(p.caption for p in pictures)  # the ▲ before a caption is recognised by its shape


@needs_poppler
@needs_tesseract
def test_scan_notices(scanned):
    """Notice labels misread by a letter are restored; some labels are lost by Tesseract."""
    found = [vars(n) for a in scanned.articles for n in a.notices]
    expected = [n for e in EXPECTED for n in e.notices]
    best = [
        max((sum(bool(f.get(k)) and _similar(v, f[k]) for k, v in n.items()) for f in found), default=0)
        for n in expected
    ]
    print(f"\nOCR notices: fields matched {sum(best)}/{sum(map(len, expected))}, per notice {best}")
    # Measured: 23/43 fields, 4 of 9 notices complete, one with 6 fields.
    assert sum(best) >= 20
    assert sum(b == len(n) for b, n in zip(best, expected, strict=True)) >= 4
    assert max(best) >= 5


@needs_poppler
def test_scan_without_ocr_says_so(bulletin_pdfs, tmp_path):
    record = extract_pdf(bulletin_pdfs["scan"], ocr="never", workdir=tmp_path)
    assert record.articles == () and record.ocr_pages == ()
    assert len([c for c in record.checks if "--ocr auto" in c.message]) == 12


@needs_poppler
def test_missing_tesseract_names_the_debian_package(bulletin_pdfs, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without tesseract
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-jpn"):
        extract_pdf(bulletin_pdfs["scan"], workdir=tmp_path)


def test_report_import_times(record_property):
    """Not a timed test: hands the times of the imports above (when they ran) to the summary at
    the end of the run (tests/conftest.py), where they are printed."""
    for label, seconds in TIMINGS.items():
        record_property(f"import time: 12-page bulletin import, {label}", round(seconds, 1))
