"""Page images of a scan, prepared for Tesseract: rendered, straightened, photos and rules found.

Tesseract binarises better than a fixed threshold: a faded photocopy's grey text survives when
the page is only stretched to full contrast (the darkest ink black, the paper white) and left
grey. Photos are cut out first (their texture is read as letters), and long thin dark strokes
are measured as rules, so ruled tables on scans are found like those of a text layer.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, ImageOps

DPI = 300  # small print (6 pt ruby, 8 pt notes) needs it; Tesseract's time grows with pixels
SCALE = 72 / DPI  # pixels to points
INK = 128  # grey level below which a pixel is ink, after the contrast stretch
RULE_MIN = 0.35 * DPI  # a rule is at least 9 mm long …
RULE_MAX_WIDTH = 0.012 * DPI  # … and at most 0.3 mm thick


def render(pdf: Path, number: int, stem: Path, dpi: int = DPI) -> Image.Image:
    """One page as a grey image."""
    subprocess.run(
        ["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(dpi), "-gray", "-singlefile", "-png"]
        + [str(pdf), str(stem)],
        check=True,
        capture_output=True,
    )
    with Image.open(stem.with_suffix(".png")) as image:
        return image.convert("L")


def prepare(image: Image.Image) -> Image.Image:
    """Full contrast, without specks, upright: faded grey text becomes dark without losing its
    strokes (the page stays grey: a 3×3 median on grey removes dust, not the thin strokes of
    300-dpi text, which a fixed threshold after it would)."""
    stretched = ImageOps.autocontrast(image, cutoff=(0.5, 0.5)).filter(ImageFilter.MedianFilter(3))
    return straighten(stretched)


def straighten(image: Image.Image) -> Image.Image:
    """Undo the slight rotation of a scan (up to ±2°): the angle whose rows of text give the
    sharpest horizontal profile. Straight lines keep columns and baselines apart."""
    small = ImageOps.invert(image.resize((image.width // 6, image.height // 6)))
    small = small.point(lambda v: 255 if v > 96 else 0)
    best, best_score = 0.0, -1.0
    for tenth in range(-20, 21, 2):
        angle = tenth / 10
        score = _profile_sharpness(small.rotate(angle, resample=Image.NEAREST))
        if score > best_score:
            best, best_score = angle, score
    if best == 0:
        return image
    return image.rotate(best, resample=Image.BICUBIC, fillcolor=255)


def _profile_sharpness(image: Image.Image) -> float:
    sums = (np.asarray(image) > 0).sum(axis=1).astype(float)
    return float(((sums[1:] - sums[:-1]) ** 2).sum())


def tinted_areas(image: Image.Image) -> list[tuple[float, float, float, float]]:
    """Areas of mid-grey tones at least 1.5 cm a side (text is black on white): photos, or text
    on a coloured band; boxes in points. ocr.py tells the two apart by what it reads in them."""
    cell = 24
    grey = np.asarray(image)
    mid = ((grey > 40) & (grey < 228)).astype(float)
    h, w = mid.shape[0] // cell, mid.shape[1] // cell
    density = mid[: h * cell, : w * cell].reshape(h, cell, w, cell).mean(axis=(1, 3))
    found = []
    for area in areas(density > 0.6):
        ys, xs = [a[0] for a in area], [a[1] for a in area]
        box = (min(xs) * cell, min(ys) * cell, (max(xs) + 1) * cell, (max(ys) + 1) * cell)
        filled = len(area) / ((max(xs) - min(xs) + 1) * (max(ys) - min(ys) + 1))
        if min(box[2] - box[0], box[3] - box[1]) * SCALE >= 42 and filled > 0.5:
            found.append(tuple(v * SCALE for v in box))
    return found


def save_crop(image: Image.Image, box: tuple[float, float, float, float], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.crop(pixels(box)).save(path)
    return path


def pixels(box: tuple[float, ...]) -> tuple[int, ...]:
    """A box in points as pixels of the page image."""
    return tuple(round(v / SCALE) for v in box)


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Start and end (exclusive) of each run of True in a row of flags."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


SIDE_BY_SIDE = ((1, 0), (-1, 0), (0, 1), (0, -1))
ALL_AROUND = (*SIDE_BY_SIDE, (1, 1), (1, -1), (-1, 1), (-1, -1))


def areas(dense: np.ndarray, diagonal: bool = False) -> list[list[tuple[int, int]]]:
    """The connected areas of a grid of cells: cells that touch side by side (or also corner to
    corner), each area as its (row, column) cells."""
    steps = ALL_AROUND if diagonal else SIDE_BY_SIDE
    found, seen = [], np.zeros_like(dense, dtype=bool)
    for y, x in zip(*np.nonzero(dense), strict=True):
        if not seen[y, x]:
            found.append(_flood(dense, seen, y, x, steps))
    return found


def _flood(dense: np.ndarray, seen: np.ndarray, y: int, x: int, steps) -> list[tuple[int, int]]:
    todo, area = [(y, x)], []
    seen[y, x] = True
    while todo:
        cy, cx = todo.pop()
        area.append((cy, cx))
        for dy, dx in steps:
            ny, nx = cy + dy, cx + dx
            if 0 <= ny < dense.shape[0] and 0 <= nx < dense.shape[1] and dense[ny, nx] and not seen[ny, nx]:
                seen[ny, nx] = True
                todo.append((ny, nx))
    return area


def rules(image: Image.Image) -> list[tuple[float, float, float, float]]:
    """Long thin dark strokes (table rules, box sides) as segments in points."""
    ink = np.asarray(image) < INK
    found = _strokes(ink, horizontal=True) + _strokes(ink.T, horizontal=False)
    return [tuple(v * SCALE for v in box) for box in found]


def _strokes(ink: np.ndarray, horizontal: bool) -> list[tuple[float, float, float, float]]:
    """Runs of ink at least RULE_MIN long along each pixel row, stacked into thin strokes."""
    pieces: dict[tuple[int, int], list[int]] = {}  # (start, end) rounded → rows
    for row in np.nonzero(ink.sum(axis=1) >= RULE_MIN)[0]:
        for start, end in runs(ink[row]):
            if end - start >= RULE_MIN:
                pieces.setdefault((start // 8, end // 8), []).append(int(row))
    strokes = []
    for (start, end), rows in pieces.items():
        groups: list[list[int]] = []
        for row in rows:
            if groups and row - groups[-1][-1] <= 1:
                groups[-1].append(row)
            else:
                groups.append([row])
        for group in groups:
            if len(group) <= RULE_MAX_WIDTH:
                x0, x1, t, b = start * 8, end * 8, group[0], group[-1] + 1
                strokes.append((x0, t, x1, b) if horizontal else (t, x0, b, x1))
    return strokes


def connected(within: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """The pixels of `within` connected (side by side) to the seed, grown a pixel at a time."""
    reach = seed & within
    while True:
        grown = next_to(reach) & within
        if (grown == reach).all():
            return reach
        reach = grown


def next_to(region: np.ndarray) -> np.ndarray:
    """The region grown by one pixel to each side."""
    out = region.copy()
    out[1:] |= region[:-1]
    out[:-1] |= region[1:]
    out[:, 1:] |= region[:, :-1]
    out[:, :-1] |= region[:, 1:]
    return out
