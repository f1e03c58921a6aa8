"""Light type on small dark shapes: notice labels in chips (時間 場所 参加費 on a green square),
dates in bubbles (8/30(日) on a brown balloon), and headings on bands (★特殊詐欺被害防止対策機器の
紹介★ white on a blue band), read on their own.

The page reading loses them: Tesseract binarises the page as dark type on light paper, so a
chip is a dark blot and its label is gone (「①10:00~11:30」 without 時間), and with the labels
go the notices and their events; with a band's heading goes the start of its article, whose text
runs into the one above. Every such shape on the page is cut out, turned over (black type on
white) and stacked with the others into one image that Tesseract reads once (a run per chip would
cost seconds per page); each line read goes back where its chip is, and what the page reading
made of the chip is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from . import scan, stack
from .labels import nearest_label
from .tsv import parse

DARK = 160  # grey: a chip's ground is darker than this …
LIGHT = 185  # … and its type lighter than this
CELL = 4  # pixels of the grid the dark ground is found on
HEIGHT = (36, 220)  # pixels at 300 dpi: a chip is one line of 8–30 pt type tall (a balloon more) …
WIDE = (1.25, 40.0)  # … and this many times as wide as it is tall (two letters or more) …
BAND = 10.0  # … a band when wider than this: a heading set on it, not a label or a day
GROUND = 0.45  # share of the chip's box that is its dark ground …
TYPE = (0.06, 0.5)  # … and share that is light type …
ENCLOSED = 0.04  # … and light type the ground surrounds (a balloon's box holds paper too)
SURE = 60  # mean confidence of the page's own reading of a chip that is kept
BAND_SURE = 80  # mean confidence a band's reading needs to replace the page's
BAND_EDGE = 50  # a band's mark (★ ◆) read as a letter at either end, this unsure: not its heading
SURE_READ = 90.0  # confidence given to a chip read whole as a label or a day (8/2 ( ロ ): the pattern vouches
LABEL_RATIO = 0.5  # difflib ratio: one letter of a two-letter label read right
SLANTS = range(-15, 16, 3)  # degrees a chip's type is tried at …
UPRIGHT = 0.85  # … and turned only when its type then takes this share of the rows or fewer
_DAY = re.compile(
    r"(?P<month>\d{1,2})(?:/|月)(?P<day>\d{1,2})日?\((?P<weekday>[月火水木金土日]|[ロ口曰]|[Xx×メ])[・祝休]*\)"
)
# A balloon's weekday set in a brush or hand-lettered face reads as a look-alike: 日 as ロ, 火 as X.
# The notice checks the weekday against the calendar, so a wrong guess becomes a Check, not an event.
_WEEKDAY_LOOKALIKES = {"ロ": "日", "口": "日", "曰": "日", "X": "火", "x": "火", "×": "火", "メ": "火"}
Reading = tuple[str, tuple[int, int]]


@dataclass(frozen=True)
class Chip:
    x0: int
    top: int
    x1: int
    bottom: int


def find(image: Image.Image) -> list[Chip]:
    """Dark shapes about a line tall with light type in them."""
    return _found(np.asarray(image.convert("L")))


def _found(pixels: np.ndarray) -> list[Chip]:
    height, width = pixels.shape
    dark = pixels[: height // CELL * CELL, : width // CELL * CELL] < DARK
    grid = dark.reshape(height // CELL, CELL, width // CELL, CELL).mean(axis=(1, 3)) >= 0.9
    chips = []
    for cells in scan.areas(grid):
        ys, xs = [c[0] for c in cells], [c[1] for c in cells]
        chip = Chip(min(xs) * CELL, min(ys) * CELL, (max(xs) + 1) * CELL, (max(ys) + 1) * CELL)
        if _is_chip(pixels[chip.top : chip.bottom, chip.x0 : chip.x1]):
            chips.append(chip)
    return chips


def _is_chip(box: np.ndarray) -> bool:
    h, w = box.shape
    if not (HEIGHT[0] <= h <= HEIGHT[1] and WIDE[0] * h <= w <= WIDE[1] * h):
        return False
    dark, light = box < DARK, box > LIGHT
    if not (dark.mean() >= GROUND and TYPE[0] <= light.mean() <= TYPE[1]):
        return False
    return _enclosed(dark, light) >= ENCLOSED * box.size


def _enclosed(dark: np.ndarray, light: np.ndarray) -> int:
    """Light pixels with the dark ground on all four sides of them: the type in a chip or a
    balloon (of any outline), not the paper around it or around a letter of bold display type."""
    return int((light & _surrounded(dark)).sum())


def _surrounded(dark: np.ndarray) -> np.ndarray:
    return (
        np.maximum.accumulate(dark, axis=1)
        & np.maximum.accumulate(dark[:, ::-1], axis=1)[:, ::-1]
        & np.maximum.accumulate(dark, axis=0)
        & np.maximum.accumulate(dark[::-1], axis=0)[::-1]
    )


def read(
    image: Image.Image,
    found_chips: list[Chip],
    readings: list[Reading],
    tesseract: Callable[[Path], str],
    stem: Path,
) -> list[Reading]:
    """`readings` with the words of each chip of `found_chips` (`find`) read again; `tesseract`
    reads an image file as a block of lines (psm 6) and returns its TSV."""
    words = [w for tsv, origin in readings for line in parse(tsv, origin) for w in line.words]
    pixels = np.asarray(image.convert("L"))
    chips = [chip for chip in found_chips if not _read_surely(chip, words)]
    if not chips:
        return readings
    crops = [_type_of(pixels[c.top : c.bottom, c.x0 : c.x1]) for c in chips]
    read = stack.read_stacked(crops, stem.with_name(f"{stem.name}-chips.png"), tesseract)
    return replaced(readings, chips, _placed(read, chips, [c.width for c in crops]))


def _read_surely(chip: Chip, words: list) -> bool:
    """Whether the page reading already read the chip's type surely (dark type on a mid-grey
    shape, which Tesseract reads well): then it stays, with its own place and size."""
    inside = [w for w in words if centre_in(w, chip)]
    letters = sum(len(w.text) for w in inside)
    return letters >= 2 and sum(max(0.0, w.conf) * len(w.text) for w in inside) / letters >= SURE


def centre_in(word, box: Chip) -> bool:
    """Whether a Tesseract word's middle lies in the box (both in page pixels)."""
    return (
        box.x0 <= (word.left + word.right) / 2 <= box.x1
        and box.top <= (word.top + word.bottom) / 2 <= box.bottom
    )


def _type_of(box: np.ndarray) -> Image.Image:
    """A chip's type, black on white and set upright (a balloon's date is often set aslant)."""
    ink = (box > LIGHT) & _surrounded(box < DARK)
    image = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))

    def height(turned: Image.Image) -> int:  # rows the type takes: fewest when it lies level
        return int((np.asarray(turned) == 0).any(axis=1).sum())

    best = min((image.rotate(angle, fillcolor=255, expand=True) for angle in SLANTS), key=height)
    return best if height(best) < UPRIGHT * height(image) else image


def _placed(
    read: dict[int, list], chips: list[Chip], widths: list[int]
) -> dict[int, list[tuple[str, tuple, float]]]:
    """The words read in the stack, by chip, with boxes on the page (across the chip in
    proportion: the type may have been turned upright)."""
    found: dict[int, list[tuple[str, tuple, float]]] = {}
    for n, words in read.items():
        chip, scale = chips[n], (chips[n].x1 - chips[n].x0) / widths[n]
        for word in words:
            height = word.bottom - word.top
            x0, x1 = chip.x0 + (word.left - stack.GAP) * scale, chip.x0 + (word.right - stack.GAP) * scale
            # The type's own height, across the chip's middle: a balloon is far taller than its line.
            y0 = (chip.top + chip.bottom - height) // 2
            found.setdefault(n, []).append((word.text, (int(x0), y0, int(x1), y0 + height), word.conf))
    bands = {n for n, chip in enumerate(chips) if chip.x1 - chip.x0 > BAND * (chip.bottom - chip.top)}
    return {
        n: read for n, words in found.items() if (read := _heading(words) if n in bands else _meant(words))
    }


def _heading(words: list[tuple[str, tuple, float]]) -> list[tuple[str, tuple, float]] | None:
    """A band's words, without the marks at its ends read as unsure letters, when read surely."""
    if words and len(words[0][0]) == 1 and words[0][2] < BAND_EDGE:
        words = words[1:]
    if words and len(words[-1][0]) == 1 and words[-1][2] < BAND_EDGE:
        words = words[:-1]
    letters = sum(len(w) for w, _, _ in words)
    mean = sum(c * len(w) for w, _, c in words) / letters if letters >= 3 else 0.0
    return [(w, box, mean) for w, box, _ in words] if mean >= BAND_SURE else None  # sure as a whole


def _meant(words: list[tuple[str, tuple, float]]) -> list[tuple[str, tuple, float]] | None:
    """A chip's words as a notice label when they come close to one (chips set their labels
    letter-spaced, and Tesseract reads 講　師 as 詳所), or a day (8/30(日)) read as one;
    anything else on a dark shape (受付中, NEW, a misread day) is left out."""
    text = "".join(w for w, _, _ in words)
    label = nearest_label(text, LABEL_RATIO)
    if label:
        box = (min(b[0] for _, b, _ in words), min(b[1] for _, b, _ in words))
        box += (max(b[2] for _, b, _ in words), max(b[3] for _, b, _ in words))
        return [(label, box, SURE_READ)]
    day = _DAY.fullmatch(unicodedata.normalize("NFKC", text).replace(" ", ""))
    if day and 1 <= int(day["month"]) <= 12 and 1 <= int(day["day"]) <= 31:
        weekday = _WEEKDAY_LOOKALIKES.get(day["weekday"], day["weekday"])  # read as a whole: a day,
        return [(w.replace(day["weekday"], weekday), b, SURE_READ) for w, b, _ in words]  # sure of each part
    return None


def replaced(
    readings: list[Reading],
    parts: list[Chip],
    found: dict[int, list[tuple[str, tuple, float]]],
    reaching: bool = False,
) -> list[Reading]:
    """`readings` without the words on each part read again (`found`, by the part's index; see
    `without_words_in` for `reaching`), and the new words as a reading of their own."""
    if not found:
        return readings
    done = [parts[n] for n in found]
    kept = [(without_words_in(tsv, origin, done, reaching), origin) for tsv, origin in readings]
    return kept + [(placed_tsv(found), (0, 0))]


def placed_tsv(found: dict[int, list[tuple[str, tuple, float]]]) -> str:
    """Words placed on the page as a reading of their own: one line per part (a chip), in Tesseract's TSV."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for n, words in sorted(found.items()):
        x0, top = min(b[0] for _, b, _ in words), min(b[1] for _, b, _ in words)
        x1, bottom = max(b[2] for _, b, _ in words), max(b[3] for _, b, _ in words)
        rows.append(f"4\t1\t{n + 1}\t1\t1\t0\t{x0}\t{top}\t{x1 - x0}\t{bottom - top}\t-1\t")
        for k, (text, b, conf) in enumerate(words, 1):
            rows.append(
                f"5\t1\t{n + 1}\t1\t1\t{k}\t{b[0]}\t{b[1]}\t{b[2] - b[0]}\t{b[3] - b[1]}\t{conf}\t{text}"
            )
    return "\n".join(rows) + "\n"


def without_words_in(tsv: str, origin: tuple[int, int], chips: list[Chip], reaching: bool = False) -> str:
    """The TSV without the words whose middle lies on one of the chips; `reaching`: also the
    words whose middle lies over or under a chip and whose box reaches into it (a column of
    labels read as one tall "word" down the column)."""
    lines = tsv.splitlines(keepends=True)
    kept = lines[:1]
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) >= 12 and cols[0] == "5":
            left, top = int(cols[6]) + origin[0], int(cols[7]) + origin[1]
            x, y = left + int(cols[8]) / 2, top + int(cols[9]) / 2
            bottom = top + int(cols[9])
            if any(
                c.x0 <= x <= c.x1
                and (c.top <= y <= c.bottom or (reaching and top < c.bottom and bottom > c.top))
                for c in chips
            ):
                continue
        kept.append(line)
    return "".join(kept)
