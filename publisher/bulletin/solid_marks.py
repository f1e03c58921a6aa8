"""Solid marks (◆ ■ ● ▲) on a scanned page, found in the image before Tesseract reads it.

Tesseract reads a heading's ◆ as 多・金・人 and, beside it, loses letters of the title
(「◆星空観察会◆」 came out as 「金星空観察」). Inside drawn boxes the marks are blanked, so the
title is read alone; on the open page they stay (Tesseract's layout analysis uses them to keep
columns apart) and what it reads for them is dropped. Either way they are put back as marks
where lines start (tsv.py), or found at a line's start or end by `at_line_edge`. A mark is a
blob that stays after thinning away every stroke up to 13 pixels thick (letters' strokes at
300 dpi are thinner), about as wide as it is tall, 2–9 mm a side, and solid in the middle.
Sizes are in pixels of the 300-dpi page image.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from . import scan

Mark = tuple[int, int, int, int, str]  # x0, top, x1, bottom, "◆" or "▲"

INK = 128
CORE = 13  # a mark's middle holds a square of ink this wide; letter strokes are thinner
CELL = 4  # the cores are grouped on a grid of this many pixels
SIDE = (24, 110)  # pixels a side: marks of 6–26 pt type
SQUARE = (0.7, 1.4)  # width / height
SOLID = 0.9  # share of ink in the middle 40 % of the mark
CONVEX = 0.9  # share of its rows (and columns) that cross the mark in one run of ink


def find(image: Image.Image) -> list[Mark]:
    """The solid marks of a grey page image."""
    ink = np.asarray(image) < INK
    core = _full(_full(ink, axis=1), axis=0)  # ink all around: the middle of a blob, not a stroke
    height, width = core.shape
    grid = core[: height // CELL * CELL, : width // CELL * CELL]
    grid = grid.reshape(height // CELL, CELL, width // CELL, CELL).any(axis=(1, 3))
    marks = []
    largest = (SIDE[1] // CELL) ** 2  # cells: larger areas are photos and bands
    for cells in (area for area in scan.areas(grid, diagonal=True) if len(area) <= largest):
        mark = _mark(ink, cells)
        if mark:
            marks.append(mark)
    return marks


def _full(ink: np.ndarray, axis: int) -> np.ndarray:
    """Pixels with ink all along a run of CORE pixels centred on them, along `axis`."""
    reach = CORE // 2
    pad = [(0, 0), (0, 0)]
    pad[axis] = (reach + 1, reach)
    sums = np.cumsum(np.pad(ink.astype(np.int16), pad), axis=axis, dtype=np.int32)
    ahead = sums[:, CORE:] if axis == 1 else sums[CORE:]
    behind = sums[:, :-CORE] if axis == 1 else sums[:-CORE]
    return (ahead - behind) == CORE


def blanked(image: Image.Image, marks: list[Mark]) -> Image.Image:
    grey = np.array(image)
    for x0, top, x1, bottom, _ in marks:
        grey[max(0, top - 2) : bottom + 2, max(0, x0 - 2) : x1 + 2] = 255
    return Image.fromarray(grey)


def _mark(ink: np.ndarray, cells: list[tuple[int, int]]) -> Mark | None:
    """The blob of ink around a core, when it has a mark's size, shape and solidity."""
    ys, xs = [c[0] for c in cells], [c[1] for c in cells]
    reach = CORE + CELL  # a mark's edge lies within this of its core (a diamond's tips the farthest)
    top, bottom = max(0, min(ys) * CELL - reach), min(ink.shape[0], (max(ys) + 1) * CELL + reach)
    x0, x1 = max(0, min(xs) * CELL - reach), min(ink.shape[1], (max(xs) + 1) * CELL + reach)
    seed = np.zeros((bottom - top, x1 - x0), dtype=bool)
    for cy, cx in cells:
        seed[cy * CELL - top : (cy + 1) * CELL - top, cx * CELL - x0 : (cx + 1) * CELL - x0] = True
    window = scan.connected(ink[top:bottom, x0:x1], seed)
    rows, columns = np.nonzero(window.any(axis=1))[0], np.nonzero(window.any(axis=0))[0]
    if not len(rows) or _touches_edge(window, rows, columns):
        return None  # the ink runs on past the window: a bold letter's stroke, not a mark
    blob = window[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    h, w = blob.shape
    if not (SIDE[0] <= w <= SIDE[1] and SIDE[0] <= h <= SIDE[1] and SQUARE[0] <= w / h <= SQUARE[1]):
        return None
    if blob[round(0.3 * h) : round(0.7 * h), round(0.3 * w) : round(0.7 * w)].mean() < SOLID:
        return None
    if min(_single_runs(blob), _single_runs(blob.T)) < CONVEX:
        return None  # a letter of heavy display type: strokes side by side, not one solid shape
    x0, top = x0 + int(columns[0]), top + int(rows[0])
    return x0, top, x0 + w, top + h, _shape(blob)


def _single_runs(blob: np.ndarray) -> float:
    """Share of the blob's rows whose ink is one run (all of them, in a convex shape)."""
    starts = (blob[:, 1:] & ~blob[:, :-1]).sum(axis=1) + blob[:, 0]
    return float((starts <= 1).mean())


def _touches_edge(box: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> bool:
    height, width = box.shape
    return rows[0] == 0 or columns[0] == 0 or rows[-1] == height - 1 or columns[-1] == width - 1


def _shape(blob: np.ndarray) -> str:
    h = blob.shape[0]
    return _by_widths(blob[round(0.2 * h)].sum(), blob[min(h - 1, round(0.8 * h))].sum())


def _by_widths(top: int, base: int) -> str:
    """▲ (a caption's mark: narrow at the top, wide at the base) or another solid mark (◆), by
    the mark's widths a fifth of the way down and a fifth of the way up."""
    return "▲" if top < 0.6 * base else "◆"


def at_line_edge(image: Image.Image, box: tuple[int, int, int, int], body: float, at_end: bool = False):
    """A heading mark (◆ ■ ● and the like) at the start of a line (or at its end, closing a
    ◆title◆): the shape there is about an em wide and tall and solid in the middle, which no
    letter is. Tesseract reads such marks as 多・田・久・人 or drops them, so they are found in the
    image instead."""
    left, top, right, bottom = box
    em = max(bottom - top, body)
    span = (right - 1.5 * em, right + 0.5 * em) if at_end else (left - 0.5 * em, left + 1.5 * em)
    offset = max(0, round(span[0]))
    crop = image.crop((offset, top, min(image.width, round(span[1])), bottom))
    width, height = crop.size
    ink = crop.load()
    columns = [sum(ink[x, y] < 128 for y in range(height)) for x in range(width)]
    order = range(width - 1, -1, -1) if at_end else range(width)
    first = next((x for x in order if columns[x] >= 2), None)
    if first is None:
        return None
    if at_end:
        end = first + 1
        start = next((x + 1 for x in range(first, -1, -1) if columns[x] == 0), 0)
    else:
        start = first
        end = next((x for x in range(start, width) if columns[x] == 0), width)
        if start == 0 or columns[start - 1]:
            return None  # dark from the edge of the span on: a tinted panel behind light type, not a mark
    rows = [y for y in range(height) if any(ink[x, y] < 128 for x in range(start, end))]
    w, h = end - start, rows[-1] - rows[0] + 1
    if not (0.5 * body <= w <= 1.3 * em and 0.5 * body <= h <= 1.3 * em and 0.7 <= w / h <= 1.4):
        return None
    x0, y0 = start + 0.3 * w, rows[0] + 0.3 * h
    middle = [
        ink[x, y] < 128
        for x in range(round(x0), round(x0 + 0.4 * w))
        for y in range(round(y0), round(y0 + 0.4 * h))
    ]
    if not middle or sum(middle) < 0.9 * len(middle):
        return None
    return (
        offset + start,
        top + rows[0],
        offset + end,
        top + rows[-1] + 1,
        _edge_shape(ink, start, end, rows),
    )


def _edge_shape(ink, start: int, end: int, rows: list[int]) -> str:
    def width(y: int) -> int:
        return sum(ink[x, y] < 128 for x in range(start, end))

    height = rows[-1] - rows[0]
    return _by_widths(width(rows[0] + round(0.2 * height)), width(rows[0] + round(0.8 * height)))
