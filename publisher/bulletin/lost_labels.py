"""Notice labels the page reading lost, read again on their own.

A notice sets its labels in a column left of its values (と　き / ところ / 対　象 …). On a
scanned page Tesseract's layout analysis often loses that column or part of it: short,
letter-spaced words far from their values look like specks, so 「2月14日・15日」 comes without
its と　き, and 「と」 stands left of 小幡公民館 for ところ (then mended to と　き). With the labels go
the notice's fields and its event. Where one line of a notice was read with its label, the
label and value columns are known: each line of the notice that starts in the value column, or
whose label area the page reading covers only in part, has that area cut out and read on its
own (all of them stacked in one image: one Tesseract run a page). A reading close to a label
replaces what the page reading made of the area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from . import stack
from .labels import FIELD_OF, nearest_label
from .light_type import Chip, Reading, centre_in, replaced
from .tsv import label_of, parse

LABEL_RATIO = 0.6  # difflib ratio: ところ read alone as どころ (参考資料 is no 参加料)
COLUMN = 0.6  # body heights: a line starts in the value (or label) column this close to its edge
CHAIN = 1.6  # body heights of blank at most between two lines of one notice
COVERED = 0.6  # share of the label area's ink that the words read there must span
INK = 110  # grey: darker is type (the page image is contrast-stretched)
SURE_READ = 90.0  # confidence given to a label read alone: the list of labels vouches for it


@dataclass(frozen=True)
class _Row:
    """A line of a notice: its box in page pixels and the label area left of its value."""

    box: tuple[int, int, int, int]
    area: Chip


def read(
    image: Image.Image, readings: list[Reading], tesseract: Callable[[Path], str], stem: Path
) -> list[Reading]:
    """`readings` with the lost labels of notices put back; `tesseract` reads an image file as a
    block of lines (psm 6) and returns its TSV."""
    parsed = [[line for line in parse(tsv, origin) if line.words] for tsv, origin in readings]
    heights = sorted(line.height for lines in parsed for line in lines)
    if not heights:
        return readings
    body = heights[len(heights) // 2]
    words = [w for lines in parsed for line in lines for w in line.words]
    pixels = np.asarray(image.convert("L"))
    areas = []
    for lines in parsed:
        for row in _notice_rows(lines, body):
            if not any(_same_line(row.area, a) for a in areas) and _lost(row.area, pixels, words, body):
                areas.append(row.area)
    if not areas:
        return readings
    crops = [_binarised(pixels[a.top : a.bottom, a.x0 : a.x1]) for a in areas]
    found = {}
    for n, read_words in stack.read_stacked(
        crops, stem.with_name(f"{stem.name}-labels.png"), tesseract
    ).items():
        text = "".join(w.text for w in read_words)
        label = nearest_label(text, LABEL_RATIO)
        if label and len(text) >= max(2, len(label) - 1):  # 日 of a table's 日 column is no 日時
            found[n] = [(label, _ink_box(areas[n], pixels), SURE_READ)]
    return replaced(readings, areas, found, reaching=True)


def _notice_rows(lines: list, body: float) -> list[_Row]:
    """The lines of each notice of one reading that has a line read with its label."""
    rows: list[_Row] = []
    for line in lines:
        value = _value_start(line, lines, body)
        if value is None:
            continue
        left = line.words[0].left
        for member in _chain(lines, line, left, value, body):
            # A label line's own value may start before this notice's value column (参加費 無料
            # under 問い合わせ 子育て支援センター): the area ends before it.
            own = _value_start(member, lines, body, exact=False) if member.box[0] < value else None
            area = Chip(
                int(left - 0.3 * body),
                int(member.box[1] - 0.15 * body),
                int(min(value, own or value) - 0.3 * body),
                int(member.box[3] + 0.15 * body),
            )
            rows.append(_Row(member.box, area))
    return rows


def _value_start(line, lines: list, body: float, exact: bool = True) -> int | None:
    """Where the value of a line read with its label starts: after the label's words, or at the
    line beside it (Tesseract reads a label far from its value as a line of its own). Only a
    label read as printed tells where a notice's columns are (not 日 of a table's 日 column);
    `exact=False`: a label misread by a letter (と for ところ) will do."""
    hit = label_of(line.words, body)
    if not hit or (exact and "".join(w.text for w in line.words[: hit[1]]) not in FIELD_OF):
        return None
    if hit[1] < len(line.words):
        value = line.words[hit[1]].left
    else:
        middle = (line.box[1] + line.box[3]) / 2
        beside = [
            other.box[0]
            for other in lines
            if other.box[1] <= middle <= other.box[3]
            and 0 < other.box[0] - line.box[2] <= 6 * body
            and other.box[2] - other.box[0] >= 1.5 * body  # not a letter of the label read apart
        ]
        if not beside:
            return None
        value = min(beside)
    return value if value - line.words[0].left >= 1.5 * body else None


def _chain(lines: list, anchor, left: int, value: int, body: float) -> list:
    """The anchor and the lines above and below it, one after another with little blank
    between, that start in the notice's value column or (label lines) in its label column."""

    def member(line) -> bool:
        start = line.box[0]
        if abs(start - value) <= COLUMN * body:
            return True
        return abs(start - left) <= COLUMN * body and _value_start(line, lines, body, exact=False) is not None

    column = sorted((ln for ln in lines if member(ln) or ln is anchor), key=lambda ln: ln.box[1])
    at = next(n for n, ln in enumerate(column) if ln is anchor)
    first = last = at
    while first > 0 and column[first].box[1] - column[first - 1].box[3] <= CHAIN * body:
        first -= 1
    while last + 1 < len(column) and column[last + 1].box[1] - column[last].box[3] <= CHAIN * body:
        last += 1
    return column[first : last + 1]


def _lost(area: Chip, pixels: np.ndarray, words: list, body: float) -> bool:
    """Whether type is printed in the area and the page reading did not read it as a label
    (no words there, words over only part of it, or words that are no label)."""
    ink = _ink_columns(area, pixels)
    if ink is None or ink[1] - ink[0] < 0.8 * body:
        return False  # blank: the second line of a value that wraps
    inside = [w for w in words if centre_in(w, area)]
    spanned = sum(max(0, min(w.right, ink[1]) - max(w.left, ink[0])) for w in inside)
    if spanned < COVERED * (ink[1] - ink[0]):
        return True
    hit = label_of(inside, body)
    return not (hit and hit[1] == len(inside))


def _binarised(area: np.ndarray) -> Image.Image:
    """Black type on white, halfway between the paper and the darkest type: read alone in their
    grey, specks and all, hiragana labels come out as something else (と　き as だ.計)."""
    paper, type_ = float(np.median(area)), float(np.percentile(area, 2))
    return Image.fromarray(np.where(area < (paper + type_) / 2, 0, 255).astype(np.uint8))


def _ink_columns(area: Chip, pixels: np.ndarray) -> tuple[int, int] | None:
    dark = (pixels[area.top : area.bottom, area.x0 : area.x1] < INK).sum(axis=0) >= 2
    columns = np.flatnonzero(dark)
    return (area.x0 + int(columns[0]), area.x0 + int(columns[-1]) + 1) if columns.size else None


def _ink_box(area: Chip, pixels: np.ndarray) -> tuple[int, int, int, int]:
    x0, x1 = _ink_columns(area, pixels) or (area.x0, area.x1)
    rows = np.flatnonzero((pixels[area.top : area.bottom, x0:x1] < INK).sum(axis=1) >= 2)
    top, bottom = (
        (area.top + int(rows[0]), area.top + int(rows[-1]) + 1) if rows.size else (area.top, area.bottom)
    )
    return (x0, top, x1, bottom)


def _same_line(a: Chip, b: Chip) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.bottom - a.top, b.bottom - b.top) and min(a.x1, b.x1) > max(a.x0, b.x0)
