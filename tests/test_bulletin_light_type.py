"""Light type on small dark shapes (publisher/bulletin/light_type.py): notice labels in chips
(時　間 on a dark square) and a day in a balloon, set aslant, which the page reading loses."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from publisher.bulletin import light_type, ocr, stack, tsv
from publisher.media.fonts import face_index, japanese_font

LABELS = ("時　間", "場　所", "参加費")


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = japanese_font()
    return ImageFont.truetype(str(path), size, index=face_index(path))


def _page() -> Image.Image:
    """A 300-dpi grey page: three label chips with their values, a balloon with a slanted day,
    and a heading in heavy black type (no chip)."""
    image = Image.new("L", (1800, 1100), 250)
    draw = ImageDraw.Draw(image)
    for n, label in enumerate(LABELS):
        top = 500 + n * 90
        draw.rounded_rectangle((200, top, 330, top + 56), radius=8, fill=100)
        draw.text((212, top + 8), label, font=_font(36), fill=250)
        draw.text((360, top + 6), ("①10:00～11:30", "さつきプラザ", "2,500円")[n], font=_font(40), fill=20)
    balloon = Image.new("L", (300, 200), 250)  # as big as the real one (21 × 15 mm)
    ImageDraw.Draw(balloon).ellipse((10, 10, 290, 180), fill=90)
    ImageDraw.Draw(balloon).text((45, 55), "8/30(日)", font=_font(56), fill=250)
    image.paste(balloon.rotate(8, fillcolor=250), (1200, 120))
    draw.text((200, 160), "段ボール", font=_font(120), fill=10)
    return image


def test_chips_and_the_balloon_are_found_and_heavy_type_is_not():
    chips = light_type.find(_page())
    assert len(chips) == 4
    assert sorted(c.top for c in chips)[1:] == [496, 588, 676] or all(
        abs(c.top - t) <= 8
        for c, t in zip(sorted(chips, key=lambda c: c.top)[1:], (500, 590, 680), strict=True)
    )
    assert all(not (c.x0 < 300 and c.top < 300) for c in chips)  # 段ボール in black type is no chip


def test_a_chip_read_close_to_a_label_is_that_label_and_replaces_the_page_reading(tmp_path):
    page = _page()
    chips = sorted(light_type.find(page), key=lambda c: c.top)
    # What Tesseract makes of the stack, one line per chip: the balloon, then 時間 read as 詳,
    # 場所 read right, 参加費 read as junk.
    lines = ["8/30(日)", "時詳", "場所", "#&"]

    def read(path: Path) -> str:
        stacked = Image.open(path)
        rows = [
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
        ]
        ink = np.asarray(stacked) == 0
        ys = np.flatnonzero(ink.any(axis=1))
        starts = [ys[0]] + [b for a, b in zip(ys, ys[1:], strict=False) if b - a > 20]
        for n, (text, y) in enumerate(zip(lines, starts, strict=False), 1):
            rows.append(f"4\t1\t{n}\t1\t1\t0\t{stack.GAP}\t{y}\t100\t40\t-1\t")
            rows.append(f"5\t1\t{n}\t1\t1\t1\t{stack.GAP}\t{y}\t100\t40\t{88 if n < 4 else 20}\t{text}")
        return "\n".join(rows) + "\n"

    page_reading = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    )
    page_reading += f"4\t1\t1\t1\t1\t0\t200\t{chips[1].top}\t400\t56\t-1\t\n"
    page_reading += f"5\t1\t1\t1\t1\t1\t210\t{chips[1].top}\t100\t56\t30\t曰\n"  # the chip misread
    page_reading += f"5\t1\t1\t1\t1\t2\t360\t{chips[1].top}\t300\t56\t93\t①10:00～11:30\n"
    out = light_type.read(page, light_type.find(page), [(page_reading, (0, 0))], read, tmp_path / "page")
    words = [w.text for t, o in out for line in tsv.parse(t, o) for w in line.words]
    assert "曰" not in words and "①10:00～11:30" in words  # the value the page read stays
    assert "8/30(日)" in words and "時間" in words and "場所" in words
    assert "#&" not in words  # unsure and no label: dropped


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is installed by make system-test")
def test_tesseract_reads_the_chips_and_the_slanted_day(tmp_path):
    words = _read_by_tesseract(_page(), tmp_path)
    assert "時間" in words and "場所" in words and "参加費" in words
    assert "30(日)" in words  # the balloon, turned level (Tesseract may read its / as 7)


def test_a_day_whose_weekday_reads_as_a_lookalike_is_a_sure_day():
    """A balloon's brush-lettered 日 reads as ロ (and 火 as X), each part unsure: the day is kept
    whole, sure enough to stay, with the weekday the notice then checks against the calendar."""
    box = (0, 0, 10, 10)
    read = light_type._meant([("8/2", box, 79.0), ("(", box, 86.0), ("ロ", box, 33.0), (")", box, 27.0)])
    assert read is not None and "".join(w for w, _, _ in read) == "8/2(日)"
    assert min(c for _, _, c in read) >= tsv.MIN_CONFIDENCE
    assert "".join(w for w, _, _ in light_type._meant([("8/25(X)", box, 60.0)])) == "8/25(火)"
    assert light_type._meant([("8/2(ア)", box, 80.0)]) is None  # no weekday, no day


def _band_page() -> Image.Image:
    """A heading in white type on a long dark band (bouhan p2: ★特殊詐欺被害防止対策機器の紹介★),
    body text below it."""
    image = Image.new("L", (2000, 600), 250)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((100, 100, 1900, 180), radius=30, fill=70)
    draw.text((300, 114), "★特殊詐欺被害防止対策機器の紹介★", font=_font(50), fill=250)
    draw.text(
        (120, 260), "ご家庭の電話機に接続することで、警告メッセージを流します。", font=_font(40), fill=20
    )
    return image


def test_a_band_far_wider_than_a_chip_is_found():
    bands = [c for c in light_type.find(_band_page()) if c.x1 - c.x0 > light_type.BAND * (c.bottom - c.top)]
    assert len(bands) == 1 and bands[0].top < 140 < bands[0].bottom


def test_a_band_read_surely_is_its_heading_without_the_marks_at_its_ends():
    box = (0, 0, 10, 10)
    words = [
        ("尋", box, 0.0),
        ("特", box, 0.0),
        ("殊詐欺被害", box, 90.0),
        ("の紹介", box, 95.0),
        ("支", box, 14.0),
    ]
    read = light_type._heading(words)
    assert (
        read is not None and "".join(w for w, _, _ in read) == "特殊詐欺被害の紹介"
    )  # 尋 and 支: the ★ marks
    assert min(c for _, _, c in read) >= tsv.MIN_CONFIDENCE  # sure as a whole, 特 kept
    assert light_type._heading([("令和", box, 60.0), ("情勢", box, 70.0)]) is None  # unsure: the page's stays


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is installed by make system-test")
def test_tesseract_reads_the_heading_on_a_band(tmp_path):
    assert "詐欺被害防止対策機器の紹介" in _read_by_tesseract(_band_page(), tmp_path)


def _read_by_tesseract(page: Image.Image, tmp_path: Path) -> str:
    """The words Tesseract reads on the page's chips and bands, all run together."""
    out = light_type.read(
        page, light_type.find(page), [], lambda path: ocr._tesseract(path, "6", 1), tmp_path / "page"
    )
    return "".join(w.text for t, o in out for line in tsv.parse(t, o) for w in line.words)
