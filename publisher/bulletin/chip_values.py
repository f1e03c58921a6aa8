"""The values beside label chips, read again on their own.

A notice printed with its labels in dark chips (時間 / 場所 / 定員 on a green square) loses more
than its labels in the page reading: the chip darkens the line around it, and Tesseract's
layout analysis reads the value beside it badly or not at all (「場所　ー」 for 多目的ドーム,
「E /」 for 音楽室, 「205」 for 20名). Once the chips are read as labels (light_type.py), the
strip right of each, up to the end of its line, is cut out; all of a page's strips are stacked
and read in one Tesseract run, and a strip read more surely than the page read it replaces what
the page made of it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from . import stack
from .labels import FIELD_OF
from .light_type import BAND, Chip, Reading, centre_in, replaced
from .tsv import parse

INK = 110  # grey: darker is type (the page image is contrast-stretched)
MARGIN = 0.25  # chip heights above and below the chip that the strip takes in (a value's ascenders)
GUTTER = 2.5  # chip heights of blank that end a value's line (a column gap, a photo's margin)
SURE = 40  # mean confidence a strip's reading needs (Tesseract is unsure of a time range read as one word) …
BETTER = 5  # … and the page's reading of the strip may be at most this much less sure


def read(
    image: Image.Image,
    found_chips: list[Chip],
    readings: list[Reading],
    tesseract: Callable[[Path], str],
    stem: Path,
) -> list[Reading]:
    """`readings` with the values beside the label chips among `found_chips` (light_type.find)
    read again; `tesseract` reads an image file as a block of lines (psm 6) and returns its TSV."""
    words = [w for tsv, origin in readings for line in parse(tsv, origin) for w in line.words]
    pixels = np.asarray(image.convert("L"))
    chips = [c for c in found_chips if c.x1 - c.x0 <= BAND * (c.bottom - c.top)]
    strips = [s for c in chips if _is_label(c, words) and (s := _strip(c, chips, pixels)) is not None]
    if not strips:
        return readings
    crops = [Image.fromarray(pixels[s.top : s.bottom, s.x0 : s.x1]) for s in strips]
    found = {}
    for n, read_words in stack.read_stacked(
        crops, stem.with_name(f"{stem.name}-values.png"), tesseract
    ).items():
        strip = strips[n]
        placed = [
            (
                w.text,
                (
                    strip.x0 + w.left - stack.GAP,
                    strip.top + w.top,
                    strip.x0 + w.right - stack.GAP,
                    strip.top + w.bottom,
                ),
                w.conf,
            )
            for w in read_words
        ]
        if _better(placed, [w for w in words if centre_in(w, strip)]):
            found[n] = placed
    return replaced(readings, strips, found)


def _is_label(chip: Chip, words: list) -> bool:
    """Whether the words read on the chip (by the page or by light_type) are a notice label."""
    text = "".join(w.text for w in words if centre_in(w, chip))
    return text.replace(" ", "").replace("\u3000", "") in FIELD_OF


def _strip(chip: Chip, chips: list[Chip], pixels: np.ndarray) -> Chip | None:
    """The line right of a chip, from its edge to where the type ends (a gutter, another chip)."""
    height = chip.bottom - chip.top
    top, bottom = max(0, chip.top - int(MARGIN * height)), chip.bottom + int(MARGIN * height)
    stop = min(
        [c.x0 for c in chips if c.x0 > chip.x1 and c.top < bottom and c.bottom > top] + [pixels.shape[1]]
    )
    ink = (pixels[top:bottom, chip.x1 : stop] < INK).any(axis=0)
    blank = np.flatnonzero(~ink)
    columns = np.flatnonzero(ink)
    columns = columns[columns > blank[0]] if len(blank) else columns[:0]  # past the chip's own edge
    if not len(columns):
        return None
    gaps = np.flatnonzero(np.diff(columns) > GUTTER * height)
    end = columns[gaps[0]] if len(gaps) else columns[-1]
    start = columns[0]
    if start > GUTTER * height:  # the value is not beside the chip
        return None
    return Chip(int(chip.x1 + max(0, start - 4)), int(top), int(chip.x1 + end + 5), int(bottom))


def _better(placed: list[tuple[str, tuple, float]], page: list) -> bool:
    """Whether the strip read alone is sure, and as sure as the page's reading of it or nearly."""
    return _mean(placed) >= SURE and _mean(placed) >= _mean([(w.text, None, w.conf) for w in page]) - BETTER


def _mean(words: list[tuple[str, object, float]]) -> float:
    letters = sum(len(text) for text, _, _ in words)
    return sum(max(0.0, conf) * len(text) for text, _, conf in words) / letters if letters else 0.0
