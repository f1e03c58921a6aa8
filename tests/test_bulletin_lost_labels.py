"""Notice labels the page reading lost (publisher/bulletin/lost_labels.py): the label area of each
line of a notice is read again on its own and put back when it reads as a label."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from publisher.bulletin import lost_labels, ocr, stack, tsv
from publisher.media.fonts import face_index, japanese_font

TYPE = 46  # pixels: 11-pt type at 300 dpi
LABEL_X, VALUE_X = 200, 440
ROWS = (  # (label as printed, value); the third value wraps onto a line of its own
    ("と　き", "2月14日（土）・15日（日）"),
    ("ところ", "群馬県内のスキー場"),
    ("対　象", "小学4年生以上の町内在住の方で、"),
    ("", "保護者の同意がある方"),
    ("定　員", "40人"),
)
HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _font() -> ImageFont.FreeTypeFont:
    path = japanese_font()
    return ImageFont.truetype(str(path), TYPE, index=face_index(path))


def _top(row: int) -> int:
    return 400 + row * 2 * TYPE


def _page() -> Image.Image:
    """A speckled grey 300-dpi scan: a line of prose, then a notice with its labels left of its values."""
    image = Image.new("L", (1800, 1000), 235)
    draw = ImageDraw.Draw(image)
    draw.text((LABEL_X, _top(-2)), "初心者から上級者まで、指導員が教えます。", font=_font(), fill=30)
    for row, (label, value) in enumerate(ROWS):
        draw.text((LABEL_X, _top(row)), label, font=_font(), fill=30)
        draw.text((VALUE_X, _top(row)), value, font=_font(), fill=30)
    specks = np.random.default_rng(3).random((1000, 1800)) < 0.004
    return Image.fromarray(np.where(specks, 170, np.asarray(image)).astype(np.uint8))


def _line(n: int, words: list[tuple[str, int, int, float]]) -> list[str]:
    """TSV rows of one line: (text, left, right, confidence) words on row n's baseline."""
    top = _top(n) + 4
    rows = [f"4\t1\t{n + 3}\t1\t1\t0\t{words[0][1]}\t{top}\t{words[-1][2] - words[0][1]}\t{TYPE}\t-1\t"]
    for k, (text, left, right, conf) in enumerate(words, 1):
        rows.append(f"5\t1\t{n + 3}\t1\t1\t{k}\t{left}\t{top}\t{right - left}\t{TYPE}\t{conf}\t{text}")
    return rows


def _page_reading() -> str:
    """What the page reading made of it: the first line's label lost, the second's read as と
    alone, the third's and the last one's read whole; the prose line above read."""
    rows = [HEADER]
    rows += _line(-2, [("初心者から上級者まで、指導員が教えます。", LABEL_X, LABEL_X + 19 * TYPE, 95)])
    rows += _line(0, [("2月14日(土)・15日(日)", VALUE_X, VALUE_X + 12 * TYPE, 93)])
    rows += _line(
        1, [("と", LABEL_X, LABEL_X + TYPE, 90), ("群馬県内のスキー場", VALUE_X, VALUE_X + 9 * TYPE, 95)]
    )
    rows += _line(
        2, [("対", LABEL_X, LABEL_X + TYPE, 94), ("象", LABEL_X + 2 * TYPE, LABEL_X + 3 * TYPE, 94)]
    )
    rows[-1:] = (
        rows[-1:] + _line(2, [("小学4年生以上の町内在住の方で、", VALUE_X, VALUE_X + 16 * TYPE, 94)])[1:]
    )
    rows += _line(3, [("保護者の同意がある方", VALUE_X, VALUE_X + 10 * TYPE, 95)])
    rows += _line(
        4, [("定", LABEL_X, LABEL_X + TYPE, 94), ("員", LABEL_X + 2 * TYPE, LABEL_X + 3 * TYPE, 94)]
    )
    rows[-1:] = rows[-1:] + _line(4, [("40人", VALUE_X, VALUE_X + 2 * TYPE, 96)])[1:]
    return "\n".join(rows) + "\n"


def _labels(readings) -> dict[int, str]:
    """The words read in the label column, by row."""
    found: dict[int, str] = {}
    for text, origin in readings:
        for line in tsv.parse(text, origin):
            for word in line.words:
                if word.right <= VALUE_X - 10:
                    row = round((word.top - 400) / (2 * TYPE))
                    found[row] = found.get(row, "") + word.text
    return found


def test_only_lines_whose_label_was_lost_are_read_again(tmp_path):
    """The crops read: the first two lines' label areas (nothing read there, と over a third of
    it), not the line read with its label, not the value's second line (a blank label area),
    not the prose line above the notice."""
    stacks = []

    def read(path: Path) -> str:
        stacks.append(np.asarray(Image.open(path)))
        return HEADER + "\n"

    out = lost_labels.read(_page(), [(_page_reading(), (0, 0))], read, tmp_path / "page")
    assert len(stacks) == 1  # one run for the page
    inked = np.flatnonzero((stacks[0] < 128).any(axis=1))
    parts = 1 + int((np.diff(inked) > stack.GAP // 2).sum())
    assert parts == 2
    assert _labels(out) == _labels([(_page_reading(), (0, 0))])  # nothing read: nothing changed


def test_a_label_read_alone_replaces_what_the_page_read_there(tmp_path):
    def read(path: Path) -> str:  # the stack's two crops read as a label by Tesseract would
        inked = np.flatnonzero((np.asarray(Image.open(path)) < 128).any(axis=1))
        starts = [inked[0]] + [b for a, b in zip(inked, inked[1:], strict=False) if b - a > stack.GAP // 2]
        rows = [HEADER]
        for n, (text, y) in enumerate(zip(("とき", "どころ"), starts, strict=True), 1):
            rows.append(f"4\t1\t{n}\t1\t1\t0\t{stack.GAP}\t{y}\t100\t40\t-1\t")
            rows.append(f"5\t1\t{n}\t1\t1\t1\t{stack.GAP}\t{y}\t100\t40\t80\t{text}")
        return "\n".join(rows) + "\n"

    out = lost_labels.read(_page(), [(_page_reading(), (0, 0))], read, tmp_path / "page")
    labels = _labels(out)
    assert labels[0] == "とき" and labels[1] == "ところ"  # and the page's と is gone
    assert labels[2] == "対象" and labels[4] == "定員" and 3 not in labels


def test_a_reading_that_is_no_label_changes_nothing(tmp_path):
    def read(path: Path) -> str:
        return (
            HEADER
            + f"\n4\t1\t1\t1\t1\t0\t{stack.GAP}\t{stack.GAP}\t100\t40\t-1\t\n"
            + (f"5\t1\t1\t1\t1\t1\t{stack.GAP}\t{stack.GAP}\t100\t40\t80\t参考資料\n")
        )

    before = [(_page_reading(), (0, 0))]
    assert lost_labels.read(_page(), before, read, tmp_path / "page") == before


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is installed by make system-test")
def test_tesseract_reads_the_lost_labels(tmp_path):
    out = lost_labels.read(
        _page(), [(_page_reading(), (0, 0))], lambda path: ocr._tesseract(path, "6", 1), tmp_path / "page"
    )
    labels = _labels(out)
    assert labels[0] == "とき" and labels[1] == "ところ"


def test_a_table_row_starting_with_a_letter_of_a_label_tells_nothing():
    """A table's header 「日 | 行事 | 場所」: 日 comes close to 日時 but is no label as printed, so the
    table's first column is not taken for a notice's labels (its 日 would be read as 日時)."""
    header = tsv.parse(
        HEADER + "\n" + "\n".join(_line(0, [("日", 200, 246, 95), ("行事", 440, 532, 95)])[0:3])
    )
    assert lost_labels._value_start(header[0], header, TYPE) is None
    labelled = tsv.parse(
        HEADER + "\n" + "\n".join(_line(0, [("定員", 200, 292, 95), ("40人", 440, 532, 95)]))
    )
    assert lost_labels._value_start(labelled[0], labelled, TYPE) == 440


def test_a_label_area_ends_before_its_own_value():
    """参加費 無料 under 問い合わせ 子育て支援センター: the notice's value column starts after the
    longest label, 無料 before it; 無料 is not cut out with the label (and lost with it)."""
    rows = [HEADER]
    rows += _line(0, [("問い合わせ", 200, 430, 95), ("子育て支援センター", 520, 900, 95)])
    rows += _line(1, [("参加費", 200, 338, 95), ("無料", 430, 522, 95)])
    lines = tsv.parse("\n".join(rows) + "\n")
    areas: dict = {}
    for row in lost_labels._notice_rows(lines, TYPE):  # each line's area as the first notice line sets it
        areas.setdefault(row.box[1], row.area)
    assert areas[_top(1) + 4].x1 <= 430 - 0.3 * TYPE < areas[_top(0) + 4].x1
