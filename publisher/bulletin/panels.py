"""Two columns side by side on one tinted panel, found in the page image so each is read alone.

On a panel printed in a tint with two columns on it (shakyo p4: 音訳講座 and 点訳講座 side by
side in white type on mid-blue, about a line's height of plain blue between them), Tesseract's
layout analysis does not see the gutter: it reads the two columns' lines as one
(「…養成講座ティアの養成講座です」, 「開催のお知らせ(全14回)量点訳講座…」, 量 being the blue between
the two headings' boxes read as a letter). The image shows it: a strip of columns whose grey is
even (the tint, or a band printed there; never paper, never type) from line to line down most of
the panel, with type beside it. When the page reading ran its
lines across such a strip (`joined`), each side of it, as far as the tint goes, is read on its
own, as drawn boxes are (ocr.py); where Tesseract kept the columns apart itself, its reading
stands (a column read alone loses the context of its binarisation: a flyer's pink ground).

A table's labels leave even strips too (the tinted side of a label column beside white value
cells, the gaps of 対　　象 / 日　　時), but the labels' side is narrow: each side must be wide
enough for a column of text. White paper between columns is left to Tesseract, which finds
such gutters itself, and strips in photos (a branch) to ocr.py, which reads no panes there.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from .scan import runs

BODY = 38  # pixels: a line of body type at 300 dpi (9 pt), the unit of what follows
EVEN = 12.0  # standard deviation of a column's grey along a line below which it holds no type
PAPER = 235  # mean grey at or above which a strip is paper, not tint
INK = 150  # grey level below which a pixel is type
NARROW = 0.6  # lines: the least width of the strip (shakyo's is 0.7, where the headings' boxes nearly meet)
TALL = 20  # lines: the least height of the strip (about 7 cm): the panel's columns, not a table's
BESIDE = 0.5  # share of those lines with type on both sides of the strip (white cells leave gaps)
SIDE = 2  # lines either side of the strip looked at for that type
SKIP = 1  # lines the strip may be interrupted by (a rounded corner, a rule)
EDGE = 250  # mean grey of a column of paper: where the panel ends
JOINED = 0.5  # share of the page reading's lines beside a strip that run across it: no gutter seen
PANE = 15  # lines: the least width of each side (a column of text, not a column of labels)


def panes(image: Image.Image, avoid: list) -> list[tuple[int, int, int, int]]:
    """The two sides of each gutter on a tinted panel (left, top, right, bottom in pixels), in
    pairs; none where a side would overlap a box in `avoid` (drawn boxes, photos)."""
    grey = np.asarray(image.convert("L")).astype(np.float32)
    found = []
    for left, top, right, bottom in _gutters(grey):
        means = grey[top:bottom].mean(axis=0)
        start, end = _panel_edge(means, left, -1), _panel_edge(means, right, 1)
        sides = np.concatenate((grey[:, start:left], grey[:, right:end]), axis=1)
        top, bottom = _blank_row(sides, top), _blank_row(sides, bottom)
        pair = [(start, top, left, bottom), (right, top, end, bottom)]
        if (
            left - start >= PANE * BODY
            and end - right >= PANE * BODY
            and not any(overlaps(b, avoid) for b in pair)
        ):
            found += pair
    return found


def joined(lines, panes: list[tuple[int, int, int, int]]) -> bool:
    """Whether a page reading (lines with their words, as tsv.parse gives them) ran most of its
    lines beside a strip across it: then Tesseract did not see that gutter (shakyo p4: 15 of the
    16 lines there; sakura's flyer: 3 of 16, its junk read in a photo grid)."""
    for left, right in zip(panes[::2], panes[1::2], strict=True):
        beside = [line for line in lines if line.words and left[1] <= line.box[1] and line.box[3] <= left[3]]
        across = sum(
            any(left[0] <= (w.left + w.right) / 2 <= left[2] for w in line.words)
            and any(right[0] <= (w.left + w.right) / 2 <= right[2] for w in line.words)
            for line in beside
        )
        if across >= max(2, JOINED * len(beside)):
            return True
    return False


def without_gutters(image: Image.Image, panes: list[tuple[int, int, int, int]]) -> Image.Image:
    """The page with the strips between panes (given in pairs, as `panes` finds them) made
    paper: the tint there, beside a line, would read as a mark before it."""
    if not panes:
        return image
    grey = np.array(image.convert("L"))
    for left, right in zip(panes[::2], panes[1::2], strict=True):
        grey[left[1] : left[3], left[2] : right[0]] = 255
    return Image.fromarray(grey)


def _gutters(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Each strip as (left, top, right, bottom): the columns every one of its lines shares, so
    no type of either column lies in it."""
    rows = grey.shape[0] // BODY
    lines = grey[: rows * BODY].reshape(rows, BODY, grey.shape[1])
    even = (lines.std(axis=1) < EVEN) & (lines.mean(axis=1) < PAPER)
    ink = (lines < INK).any(axis=1)
    chains: list[_Chain] = []
    for row in range(rows):
        for left, right in runs(even[row]):
            if right - left < NARROW * BODY:
                continue
            beside = (
                ink[row, max(0, left - SIDE * BODY) : left].any()
                and ink[row, right : right + SIDE * BODY].any()
            )
            chain = next((c for c in chains if c.continues(row, left, right)), None)
            if chain is None:
                chains.append(chain := _Chain(row))
            chain.add(row, left, right, beside)
    return [
        (c.left, c.first * BODY, c.right, (c.last + 1) * BODY)
        for c in chains
        if c.last - c.first + 1 >= TALL and c.beside >= BESIDE * (c.last - c.first + 1)
    ]


class _Chain:
    """An even strip followed down the page line by line."""

    def __init__(self, row: int):
        self.first = self.last = row
        self.left, self.right = 0, 1 << 30  # the part every line shares
        self.beside = 0  # lines with type on both sides

    def continues(self, row: int, left: int, right: int) -> bool:
        shared = min(right, self.right) - max(left, self.left)
        return row - SKIP - 1 <= self.last < row and shared >= NARROW * BODY

    def add(self, row: int, left: int, right: int, beside: bool) -> None:
        self.last, self.left, self.right = row, max(left, self.left), min(right, self.right)
        self.beside += int(beside)


def _blank_row(sides: np.ndarray, y: int) -> int:
    """The nearest row at or above y, within a line, with no type beside the strip: the strip's
    ends are whole lines of pixels, and a pane's edge must not cut a line of type in two."""
    for row in range(min(y, sides.shape[0] - 1), max(-1, y - BODY), -1):
        if not (sides[row] < INK).any():
            return row
    return y


def _panel_edge(means: np.ndarray, x: int, step: int) -> int:
    """How far the tint goes from x (left for step -1, right for +1), given each column's mean
    grey beside the strip: to paper or the page's edge."""
    while 0 < x < len(means) - 1 and means[x] < EDGE:
        x += step
    return x


def overlaps(box, others) -> bool:
    return any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in others)
