"""Values beside label chips, read again on their own (publisher/bulletin/chip_values.py): the
page reading read 「場所　E /」 for 場所 音楽室 and 「205」 for 定員 20名 (esplus p2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from publisher.bulletin import chip_values, light_type, ocr, stack, tsv
from publisher.media.fonts import face_index, japanese_font

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
ROWS = (("場所", "音楽室"), ("定員", "20名"))


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = japanese_font()
    return ImageFont.truetype(str(path), size, index=face_index(path))


def _page() -> Image.Image:
    """A 300-dpi page: two label chips with their values, and far right of them, past a wide
    gutter, the next column's text (not part of any value)."""
    image = Image.new("L", (2000, 600), 250)
    draw = ImageDraw.Draw(image)
    for n, (label, value) in enumerate(ROWS):
        top = 200 + n * 90
        draw.rounded_rectangle((200, top, 320, top + 50), radius=8, fill=90)
        draw.text((212, top + 6), label, font=_font(38), fill=250)
        draw.text((350, top + 4), value, font=_font(40), fill=20)
        draw.text((1400, top + 4), "となりの段の文章", font=_font(40), fill=20)
    return image


def _row(n: int, left: int, top: int, width: int, conf: float, text: str) -> str:
    return f"5\t1\t1\t1\t{n}\t1\t{left}\t{top}\t{width}\t48\t{conf}\t{text}"


def _page_reading(chips: list[light_type.Chip], values: tuple[tuple[str, float], ...]) -> str:
    """The page's reading: each chip read as its label, each value as given, and the far column."""
    rows = [HEADER]
    for n, (chip, (label, _), (value, conf)) in enumerate(zip(chips, ROWS, values, strict=True), 1):
        rows.append(f"4\t1\t1\t1\t{n}\t0\t{chip.x0}\t{chip.top}\t1500\t48\t-1\t")
        rows.append(_row(n, chip.x0 + 10, chip.top, chip.x1 - chip.x0 - 20, 90, label))
        rows.append(_row(n, 350, chip.top, 150, conf, value))
        rows.append(_row(n, 1400, chip.top, 320, 95, "となりの段の文章"))
    return "\n".join(rows) + "\n"


def _stack_reader(lines: list[tuple[str, float]], seen: list[Image.Image]):
    """A stand-in for Tesseract over the stacked strips: one line per strip, as given."""

    def read(path: Path) -> str:
        stacked = Image.open(path)
        seen.append(stacked.copy())
        ink = np.asarray(stacked) < 128
        ys = np.flatnonzero(ink.any(axis=1))
        starts = [ys[0]] + [b for a, b in zip(ys, ys[1:], strict=False) if b - a > 20]
        rows = [HEADER]
        for n, ((text, conf), y) in enumerate(zip(lines, starts, strict=False), 1):
            rows.append(f"4\t1\t{n}\t1\t1\t0\t{stack.GAP}\t{y}\t120\t40\t-1\t")
            rows.append(f"5\t1\t{n}\t1\t1\t1\t{stack.GAP}\t{y}\t120\t40\t{conf}\t{text}")
        return "\n".join(rows) + "\n"

    return read


def _words(readings) -> list[str]:
    return [w.text for t, o in readings for line in tsv.parse(t, o) for w in line.words]


def test_a_value_misread_beside_a_label_chip_is_replaced_by_its_reading_alone(tmp_path):
    page = _page()
    chips = sorted(light_type.find(page), key=lambda c: c.top)
    assert len(chips) == 2
    first = _page_reading(chips, (("E /", 24.0), ("205", 24.0)))
    seen: list[Image.Image] = []
    out = chip_values.read(
        page,
        light_type.find(page),
        [(first, (0, 0))],
        _stack_reader([("音楽室", 93.0), ("20名", 92.0)], seen),
        tmp_path / "p",
    )
    words = _words(out)
    assert "音楽室" in words and "20名" in words
    assert "E /" not in words and "205" not in words
    placed = {w.text: w for t, o in out for line in tsv.parse(t, o) for w in line.words}
    for chip, (_, value) in zip(chips, ROWS, strict=True):  # on the chip's line, right of it
        word = placed[value]
        assert chip.top - 20 <= word.top <= chip.bottom and word.left > chip.x1
    assert words.count("となりの段の文章") == 2  # the next column past the gutter stays the page's
    assert seen and seen[0].width < 1000  # the strips stop at the gutter


def test_a_value_the_page_read_surely_stays_when_the_strip_reads_worse(tmp_path):
    page = _page()
    chips = sorted(light_type.find(page), key=lambda c: c.top)
    first = _page_reading(chips, (("音楽室", 93.0), ("20名", 92.0)))
    out = chip_values.read(
        page,
        light_type.find(page),
        [(first, (0, 0))],
        _stack_reader([("音楽宝", 58.0), ("2o名", 30.0)], []),
        tmp_path / "p",
    )
    words = _words(out)
    assert "音楽室" in words and "20名" in words and "音楽宝" not in words


def test_a_page_without_label_chips_is_left_as_it_was(tmp_path):
    page = Image.new("L", (800, 400), 250)
    ImageDraw.Draw(page).text((100, 100), "ふつうの文章です。", font=_font(40), fill=20)
    line = "4\t1\t1\t1\t1\t0\t100\t100\t360\t48\t-1\t"
    readings = [(f"{HEADER}\n{line}\n{_row(1, 100, 100, 360, 95, 'ふつうの文章です。')}\n", (0, 0))]

    def never(path: Path) -> str:
        raise AssertionError("nothing to read again")

    assert chip_values.read(page, light_type.find(page), readings, never, tmp_path / "p") == readings


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is installed by make system-test")
def test_tesseract_reads_the_values_beside_the_chips(tmp_path):
    page = _page()
    chips = sorted(light_type.find(page), key=lambda c: c.top)
    first = _page_reading(chips, (("E /", 24.0), ("205", 24.0)))
    out = chip_values.read(
        page,
        light_type.find(page),
        [(first, (0, 0))],
        lambda path: ocr._tesseract(path, "6", 1),
        tmp_path / "p",
    )
    text = "".join(_words(out))
    assert "音楽室" in text and "20名" in text
