"""Small parts of a page read in one Tesseract run: cut out, stacked one under another with
blank between them, read once, and each word given back to the part it was read in (a run per
part would cost a second or so each)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PIL import Image

from .tsv import parse

GAP = 40  # pixels of blank around and between the parts


def read_stacked(crops: list[Image.Image], path: Path, tesseract: Callable[[Path], str]) -> dict[int, list]:
    """The words Tesseract read in each crop (by its index): left and right from GAP (the crop's
    left edge in the stack), top and bottom from the crop's own top."""
    stacked = Image.new(
        "L", (max(c.width for c in crops) + 2 * GAP, sum(c.height + GAP for c in crops) + GAP), 255
    )
    slots, y = [], GAP
    for crop in crops:
        stacked.paste(crop.convert("L"), (GAP, y))
        slots.append((y, crop.height))
        y += crop.height + GAP
    stacked.save(path)
    found: dict[int, list] = {}
    for word in (w for line in parse(tesseract(path)) for w in line.words):
        middle = (word.top + word.bottom) / 2
        n = next((n for n, (top, height) in enumerate(slots) if top <= middle <= top + height), None)
        if n is not None:
            top = slots[n][0]
            found.setdefault(n, []).append(replace(word, top=word.top - top, bottom=word.bottom - top))
    return found
