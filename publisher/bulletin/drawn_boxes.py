"""Drawn boxes on a scanned page: the frames a bulletin puts around each notice or class.

A box's sides are thin strokes (solid or dashed, often grey, corners often rounded) with blank
paper on both sides of them; the strokes of letters are short or lie in clusters, so a stroke
counts only when it is long and mostly ink along its length. Two horizontal strokes that span two
vertical ones make a box. Where boxes nest (a box around a row of boxes) only the innermost are
kept: those are what a reader takes as one unit. Sizes are in pixels of the 300-dpi page image.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from .scan import runs

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

INK = 200  # the grey sides of dashed boxes are lighter than text
CLEAR = 8  # a side has blank paper this far above and below it (left and right of it)
JOIN = 6  # dashes up to twice this apart make one line
FILL = 0.5  # share of a line's length that is ink (dashed sides are about 60 %)
WIDE_MIN = 0.05  # a horizontal side is at least this share of the page's width …
TALL_MIN = 0.04  # … a vertical one this share of its height (longer than a few lines of text)
CORNER = 50  # slack where sides meet: rounded corners, sides that overshoot
BOX_WIDE, BOX_TALL = 0.15, 0.03  # a box is at least this share of the page wide and high
SPAN_ACROSS, SPAN_DOWN = 0.75, 0.6  # share of a box's width (height) its sides must cover
SHARED = 5  # a side this close to another box's side is the same rule (a table's cells)
ERASE = 6  # the sides are blanked this far either side before Tesseract reads the page


def boxes(image: Image.Image) -> list[Box]:
    """The innermost drawn boxes of a grey page image."""
    ink = np.asarray(image) < INK
    height, width = ink.shape
    across = _clusters(_strokes(ink, int(WIDE_MIN * width)))
    down = _clusters(_strokes(ink.T, int(TALL_MIN * height)))
    found = _boxes(across, down, BOX_WIDE * width, BOX_TALL * height)
    return _innermost(found)


def cells(found: list[Box]) -> list[Box]:
    """Boxes that share a side with another box: the cells of a ruled table. Boxes set apart
    (each with its own border, a little blank between them) are notices and articles."""
    return [a for a in found if any(b is not a and _share_side(a, b) for b in found)]


def _share_side(a: Box, b: Box) -> bool:
    def near(p: float, q: float) -> bool:
        return abs(p - q) <= SHARED

    same_rows = near(a[1], b[1]) and near(a[3], b[3]) and (near(a[2], b[0]) or near(a[0], b[2]))
    same_columns = near(a[0], b[0]) and near(a[2], b[2]) and (near(a[3], b[1]) or near(a[1], b[3]))
    return same_rows or same_columns


def erased(image: Image.Image, found: list[Box]) -> Image.Image:
    """The page without the boxes' sides: Tesseract reads dashes as ーーー and joins text across them."""
    grey = np.array(image)
    for x0, top, x1, bottom in map(_pixels, found):
        for y in (top, bottom):
            _whiten(grey[max(0, y - ERASE) : y + ERASE + 1, max(0, x0 - ERASE) : x1 + ERASE + 1])
        for x in (x0, x1):
            _whiten(grey[max(0, top - ERASE) : bottom + ERASE + 1, max(0, x - ERASE) : x + ERASE + 1])
    return Image.fromarray(grey)


def inside(box: Box) -> Box:
    """The box without its sides (what `erased` blanks)."""
    x0, top, x1, bottom = _pixels(box)
    return x0 + ERASE + 1, top + ERASE + 1, x1 - ERASE - 1, bottom - ERASE - 1


def blanked(image: Image.Image, found: list[Box]) -> Image.Image:
    """The page with the boxes' insides blank (they are read on their own)."""
    grey = np.array(image)
    for x0, top, x1, bottom in map(_pixels, found):
        grey[max(0, top) : bottom + 1, max(0, x0) : x1 + 1] = 255
    return Image.fromarray(grey)


def _pixels(box: Box) -> tuple[int, int, int, int]:
    x0, top, x1, bottom = (round(v) for v in box)
    return x0, top, x1, bottom


def _whiten(part: np.ndarray) -> None:
    part[part < INK] = 255


def _strokes(ink: np.ndarray, minimum: int) -> list[tuple[int, int, int]]:
    """Thin runs along the rows of `ink` (row, start, end), dashes joined, at least `minimum` long."""
    thin = ink & ~_shifted(ink, CLEAR) & ~_shifted(ink, -CLEAR)
    thin = thin | _shifted(thin, 1) | _shifted(thin, -1)  # a scanned line wobbles by a pixel
    joined = _dilated(thin, JOIN)
    found = []
    for row in np.nonzero(joined.sum(axis=1) >= minimum)[0]:
        for start, end in ((a + JOIN, b - JOIN) for a, b in runs(joined[row])):
            if end - start >= minimum and thin[row, start:end].mean() >= FILL:
                found.append((int(row), int(start), int(end)))
    return found


def _shifted(a: np.ndarray, rows: int) -> np.ndarray:
    """`a` moved down by `rows` (up when negative), blank where nothing moved in."""
    out = np.zeros_like(a)
    if rows > 0:
        out[rows:] = a[:-rows]
    else:
        out[:rows] = a[-rows:]
    return out


def _dilated(a: np.ndarray, reach: int) -> np.ndarray:
    """Each row's ink widened by `reach` pixels both ways (a running sum, fast on whole pages)."""
    sums = np.cumsum(np.pad(a.astype(np.int32), ((0, 0), (reach + 1, reach))), axis=1)
    return (sums[:, 2 * reach + 1 :] - sums[:, : -2 * reach - 1]) > 0


def _clusters(strokes: list[tuple[int, int, int]]) -> list[tuple[float, list[tuple[int, int]]]]:
    """Strokes in neighbouring rows (one thick or slanted line) as (position, spans)."""
    groups: list[tuple[list[int], list[tuple[int, int]]]] = []
    for row, start, end in sorted(strokes):
        if groups and row - groups[-1][0][-1] <= 5:
            groups[-1][0].append(row)
            groups[-1][1].append((start, end))
        else:
            groups.append(([row], [(start, end)]))
    return [(sum(rows) / len(rows), spans) for rows, spans in groups]


def _covered(spans: list[tuple[int, int]], start: float, end: float) -> float:
    """Share of [start, end] the spans cover."""
    if end <= start:
        return 0.0
    total, reached = 0.0, start
    for s, e in sorted(spans):
        s, e = max(s, reached), min(e, end)
        if e > s:
            total, reached = total + e - s, e
    return total / (end - start)


def _boxes(across, down, min_width: float, min_height: float) -> list[Box]:
    """Every pair of vertical sides, closed at the top and bottom by horizontal lines spanning them."""
    found: list[Box] = []
    for n, (left, left_spans) in enumerate(down):
        for right, right_spans in down[n + 1 :]:
            if right - left < min_width:
                continue
            tops = [y for y, spans in across if _covered(spans, left + CORNER, right - CORNER) >= SPAN_ACROSS]
            for k, top in enumerate(tops):
                for bottom in tops[k + 1 :]:
                    if bottom - top >= min_height and all(
                        _covered(spans, top + CORNER, bottom - CORNER) >= SPAN_DOWN
                        for spans in (left_spans, right_spans)
                    ):
                        found.append((left, top, right, bottom))
                        break
    return found


def _innermost(found: list[Box]) -> list[Box]:
    """One box for each drawn box (the same box found twice, from a side's two edges), and none
    that holds another."""
    unique: list[Box] = []
    for box in sorted(found, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])):
        if not any(_same(box, kept) for kept in unique):
            unique.append(box)
    return [b for b in unique if not any(_holds(b, other) for other in unique if other is not b)]


def _same(a: Box, b: Box) -> bool:
    return all(abs(p - q) <= CORNER for p, q in zip(a, b, strict=True))


def _holds(outer: Box, inner: Box) -> bool:
    return (
        not _same(outer, inner)
        and outer[0] <= inner[0] + CORNER
        and outer[1] <= inner[1] + CORNER
        and outer[2] >= inner[2] - CORNER
        and outer[3] >= inner[3] - CORNER
    )
