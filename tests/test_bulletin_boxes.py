"""Drawn boxes on scans (issue 15): each boxed notice is read on its own, a grid of boxes is a table.

Real newsletters put each class or notice in a box (dashed, grey, rounded), often two side by
side with their lines on the same baselines; read across the page, the boxes' lines joined and
the notices took each other's places and times. The fixture (tests/fixtures/bulletins/boxed.py)
draws that page and scans it at 200 dpi.
"""

from __future__ import annotations

import random
import re
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, load_module
from PIL import Image, ImageDraw
from rapidfuzz.distance import Levenshtein

from publisher.bulletin import drawn_boxes, scan
from publisher.bulletin.pdf import extract_pdf
from publisher.bulletin.records import Table

FIXTURES = ROOT / "tests" / "fixtures" / "bulletins"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) が必要です")
needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract-ocr-jpn が必要です")
POINTS = 1 / scan.SCALE  # pixels of the 300-dpi page image per point
slow = pytest.mark.slow  # the fixture is drawn and rendered with poppler; the import runs Tesseract


boxed = load_module("bulletin_boxed_fixture", FIXTURES / "boxed.py")


def compact(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def _drawn_page() -> Image.Image:
    """A 300-dpi page drawn directly: a dashed box with rounded corners, two boxes side by side
    and a 3 × 2 grid, each holding rows of letter-like strokes (short bars, a few taller)."""
    page = Image.new("L", (2480, 3508), 245)
    draw = ImageDraw.Draw(page)
    _dashed_box(draw, (150, 300, 2330, 900))
    draw.rounded_rectangle((150, 1000, 1210, 1700), radius=25, outline=150, width=3)
    draw.rounded_rectangle((1270, 1000, 2330, 1700), radius=25, outline=150, width=3)
    for x in (150, 900, 2330):
        draw.line((x, 1900, x, 2500), fill=140, width=3)
    for y in (1900, 2100, 2300, 2500):
        draw.line((150, y, 2330, y), fill=140, width=3)
    for x0, top, x1, bottom in ((200, 350, 2280, 850), (200, 1050, 1160, 1650), (1320, 1050, 2280, 1650)):
        _letters(draw, x0, top, x1, bottom)
    _letters(draw, 150, 2700, 2330, 3300)  # a page of text below: no box
    return page


def _dashed_box(draw: ImageDraw.ImageDraw, box) -> None:
    x0, top, x1, bottom = box
    for x in range(x0 + 30, x1 - 30, 28):
        draw.line((x, top, x + 16, top), fill=160, width=3)
        draw.line((x, bottom, x + 16, bottom), fill=160, width=3)
    for y in range(top + 30, bottom - 30, 28):
        draw.line((x0, y, x0, y + 16), fill=160, width=3)
        draw.line((x1, y, x1, y + 16), fill=160, width=3)
    for corner in ((x0, top), (x1 - 60, top), (x0, bottom - 60), (x1 - 60, bottom - 60)):
        draw.arc((*corner, corner[0] + 60, corner[1] + 60), 0, 360, fill=160, width=3)


def _letters(draw: ImageDraw.ImageDraw, x0: int, top: int, x1: int, bottom: int) -> None:
    """Rows of 48-px "letters": bars at heights that vary from letter to letter, two vertical
    strokes, some boxed like 口."""
    rnd = random.Random(x0 * top)
    for y in range(top + 20, bottom - 60, 75):
        for x in range(x0 + 20, x1 - 60, 52):
            bar = y + rnd.choice((4, 12, 20, 28, 36, 44))
            draw.line((x, bar, x + 44, bar), fill=30, width=5)
            draw.line((x + rnd.randint(4, 14), y, x + rnd.randint(4, 14), y + 48), fill=30, width=5)
            draw.line((x + rnd.randint(30, 40), y + 4, x + rnd.randint(30, 40), y + 48), fill=30, width=5)
            if rnd.random() < 0.3:
                draw.rectangle((x + 8, y + 20, x + 36, y + 46), outline=30, width=5)


def test_boxes_on_a_drawn_page():
    """Dashed, rounded and ruled boxes are found among letter strokes; the grid's six cells are
    told apart from boxes set apart from each other; the letters below make no box."""
    found = drawn_boxes.boxes(_drawn_page())
    cells = drawn_boxes.cells(found)
    frames = sorted(b for b in found if b not in cells)
    assert len(cells) == 6, cells
    assert [tuple(round(v / 10) * 10 for v in b) for b in frames] == [
        (150, 300, 2330, 900),
        (150, 1000, 1210, 1700),
        (1270, 1000, 2330, 1700),
    ], frames


@pytest.fixture(scope="module")
def boxed_pdf(tmp_path_factory) -> Path:
    return boxed.boxed_classes_pdf(tmp_path_factory.mktemp("boxed") / "kanra-classes-boxed.pdf")


@pytest.fixture(scope="module")
def page_image(boxed_pdf, tmp_path_factory):
    return scan.prepare(scan.render(boxed_pdf, 1, tmp_path_factory.mktemp("render") / "page"))


@slow
@needs_poppler
def test_the_boxes_and_the_table_cells_are_found(page_image):
    """Five boxes (one dashed, two side by side with 14 pt between them, the legend and the class
    beside it) and the 4 × 2 cells of the grey-ruled table; nothing else on the page (the
    heading's ◆ marks, the text) is a box."""
    found = drawn_boxes.boxes(page_image)
    cells = drawn_boxes.cells(found)
    frames = sorted((b for b in found if b not in cells), key=lambda b: (round(b[1] / 100), b[0]))
    assert len(cells) == 2 * len(boxed.TABLE), cells
    assert len(frames) == 5, frames
    left, right = 50 * POINTS, (boxed.PAGE_W - 50) * POINTS
    (whole, first, second, legend, keyed) = frames
    assert whole[0] == pytest.approx(left, abs=8) and whole[2] == pytest.approx(right, abs=8)
    half = (boxed.PAGE_W - 100 - 14) / 2 * POINTS
    assert first[2] - first[0] == pytest.approx(half, abs=10) and second[0] > first[2]
    assert first[1] == pytest.approx(second[1], abs=4) and first[1] > whole[3]
    assert all(first[3] < cell[1] < legend[1] for cell in cells)  # the table is between the boxes
    assert legend[1] == pytest.approx(keyed[1], abs=4) and legend[2] < keyed[0]


@slow
@needs_poppler
def test_erasing_the_sides_leaves_the_text(page_image):
    found = drawn_boxes.boxes(page_image)
    largest = max(found, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    before, after = np.asarray(page_image), np.asarray(drawn_boxes.erased(page_image, found))
    x0, top, x1, bottom = (round(v) for v in largest)
    side = slice(top + 60, bottom - 60), slice(x0 - 3, x0 + 4)
    assert (before[side] < drawn_boxes.INK).any() and not (after[side] < drawn_boxes.INK).any()
    inside = tuple(round(v) for v in drawn_boxes.inside(largest))
    text = (slice(inside[1], inside[3]), slice(inside[0], inside[2]))
    assert (after[text] == before[text]).all()


@slow
@needs_poppler
def test_a_page_of_text_has_no_boxes(tmp_path):
    scans = load_module("bulletin_scans_fixture", FIXTURES / "scans.py")
    pdf = scans.faded_photocopy_pdf(tmp_path / "faded.pdf")
    image = scan.prepare(scan.render(pdf, 1, tmp_path / "page"))
    assert drawn_boxes.boxes(image) == []


@pytest.fixture(scope="module")
def imported(boxed_pdf, tmp_path_factory):
    return extract_pdf(boxed_pdf, ocr="auto", workdir=tmp_path_factory.mktemp("work"))


@slow
@needs_poppler
@needs_tesseract
def test_each_box_is_an_article_with_its_own_notice(imported):
    titles = [compact(a.title) for a in imported.articles]
    print(f"\nboxed classes: titles {titles}")
    for title, lines, _ in boxed.CLASSES:
        near = [a for a in imported.articles if Levenshtein.distance(compact(a.title), title) <= 1]
        assert near, (title, titles)
        fields = dict(lines)
        notices = near[0].notices
        assert notices, (title, near[0])
        assert compact(fields["日時"]).split(")")[1] in compact(notices[0].when), notices
        others = [dict(other[1])["場所"] for other in boxed.CLASSES if other[0] != title]
        place = compact(notices[0].place or "")
        assert Levenshtein.distance(place, compact(fields["場所"])) <= 1, notices
        assert not any(compact(o)[:4] in place for o in others), notices  # no place of the box beside it


@slow
@needs_poppler
@needs_tesseract
def test_the_grey_ruled_table_is_a_table(imported):
    tables = [b for a in imported.articles for b in a.blocks if isinstance(b, Table)]
    assert len(tables) == 1, tables
    rows = [tables[0].header, *tables[0].rows]
    assert [[compact(c) for c in row] for row in rows] == [list(row) for row in boxed.TABLE]


@slow
@needs_poppler
@needs_tesseract
def test_numbers_keyed_by_the_legend_are_the_notice_fields(imported):
    """①日時 ②場所 ③費用 printed once in a box; the class beside it gives 「① 8月5日… ② 秋畑地区公民館
    ③ 300円」. The numbered sentences of 【申込方法】 below are not read as fields."""
    title = boxed.KEYED[0]
    found = [a for a in imported.articles if Levenshtein.distance(compact(a.title), title) <= 1]
    assert found, [a.title for a in imported.articles]
    notices = found[0].notices
    assert len(notices) == 1, notices
    assert compact("9:00～11:00") in compact(notices[0].when), notices
    assert compact(notices[0].place) == boxed.KEYED_FIELDS["place"], notices
    assert compact(notices[0].fee) == boxed.KEYED_FIELDS["fee"], notices
    legend = "".join(compact(t) for t in boxed.LEGEND[1:])
    assert not any(
        legend in compact(b.text) for a in imported.articles for b in a.blocks if hasattr(b, "text")
    )
