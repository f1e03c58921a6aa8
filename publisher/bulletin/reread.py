"""Display lines Tesseract could not read on the page, read again on their own.

A heading set in white on a coloured band (「地域密着型サービス」をご存知ですか？) or in large type
on a tint comes out of the page reading as junk with low confidence (「[BB域密着型のニビをに邊知で
すか」): the page's layout analysis binarises it with the rest of the page. Cut out, made black on
white the right way round (light type on a dark band is turned over) and read as a single line
(`--psm 7`), it reads right. The new reading replaces the line only when Tesseract is surer of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .scan import connected, next_to
from .text import ocr_clean
from .tsv import parse, set_apart

UNSURE = 70  # mean word confidence below which a display line is read again …
DISPLAY = 1.3  # … when it is this many times taller than the reading's usual line …
MOST = 8  # … at most this many lines per page, the least sure first (each is a Tesseract run)
SURER = 10  # the new reading must be this much surer
DOUBTFUL = 90  # a display line read less surely is read again too, to mend its letters (so is
# a line set apart as a heading may be: a little taller, with blank above; at most MOST more) …
MENDS = 3  # … and the new letters are taken when this much surer, in the page reading's line
READ_HEIGHT = 48  # pixels: a taller line is also read scaled down to this height (Tesseract misreads
# large type: 『認知症サポーター養成講座』 160 pixels tall gave 三成講座, 48 tall 養成講座)
MARGIN = 0.2  # of the line's height, around the crop
OUTLINED = 0.4  # light enclosed by rings at least this share of the rings' ink: outlined type
REVERSED = 150  # a crop whose background is darker than this grey and has light strokes is turned over
BESIDE = 190  # grey: type beside a line (the rings of outlined type are mid-grey) …
WIDER = 10  # … read with the line, this much less surely but with more letters, is the better reading

Reading = tuple[str, tuple[int, int]]


@dataclass(frozen=True)
class _Line:
    reading: int
    key: tuple[str, str, str]  # block, paragraph, line of the TSV
    box: tuple[int, int, int, int]  # page pixels
    conf: float
    letters: int


def reread(
    image: Image.Image, readings: list[Reading], read: Callable[[Path, str], str], stem: Path
) -> list[Reading]:
    """`readings` with unsure display lines replaced by a reading of each on its own; `read`
    runs Tesseract on an image file with a page segmentation mode and returns its TSV."""
    parsed = [parse(tsv, origin) for tsv, origin in readings]
    lines = [line for n, found in enumerate(parsed) for line in _measured(found, n)]
    heights = sorted(line.box[3] - line.box[1] for line in lines)
    if not heights:
        return readings
    usual = heights[len(heights) // 2]
    heads = {id(line) for line in set_apart([line for found in parsed for line in found if line.words])}
    apart = {(n, line.key) for n, found in enumerate(parsed) for line in found if id(line) in heads}
    wide = [line for line in lines if line.box[2] - line.box[0] >= 3 * (line.box[3] - line.box[1])]
    unsure = [line for line in wide if line.conf < UNSURE and line.box[3] - line.box[1] >= DISPLAY * usual]
    doubtful = [
        line
        for line in wide
        if UNSURE <= line.conf < DOUBTFUL
        and (line.box[3] - line.box[1] >= DISPLAY * usual or (line.reading, line.key) in apart)
    ]
    display = (
        sorted(unsure, key=lambda line: line.conf)[:MOST]
        + sorted(doubtful, key=lambda line: line.conf)[:MOST]
    )
    if not display:
        return readings
    replaced: dict[int, set] = {}
    mended: dict[int, dict] = {}
    extra: list[Reading] = []
    grey = np.asarray(image.convert("L"))
    words = [w for found in parsed for line in found for w in line.words]
    for n, line in enumerate(display):
        best = _best_reading(image, line.box, read, stem.with_name(f"{stem.name}-line{n}"), scaled=True)
        if line.conf >= UNSURE:
            # Read as the page's line (its place in its paragraph and its size stand): only
            # its letters change.
            if best and best.conf >= line.conf + MENDS and best.letters >= 0.8 * line.letters:
                mended.setdefault(line.reading, {})[line.key] = best
            continue
        widened = _widened(grey, line.box, words)
        if widened != line.box:
            wide = _best_reading(image, widened, read, stem.with_name(f"{stem.name}-line{n}w"))
            if wide and (not best or (wide.conf >= best.conf - WIDER and wide.letters >= best.letters + 2)):
                best = wide  # the line and the type the page reading lost beside it, nearly as sure
        if best and best.conf >= line.conf + SURER and best.letters >= 0.6 * line.letters:
            replaced.setdefault(line.reading, set()).add(line.key)
            extra.append((best.tsv, best.origin))
    kept = [
        (_spliced(_without(tsv, replaced.get(n, set())), origin, mended.get(n, {})), origin)
        for n, (tsv, origin) in enumerate(readings)
    ]
    return kept + extra


@dataclass(frozen=True)
class _Reading:
    """A part of the page read on its own: its TSV with the pixel position of the part."""

    tsv: str
    origin: tuple[int, int]
    conf: float  # mean confidence, weighted by letters
    letters: int


def _best_reading(
    image: Image.Image, box, read: Callable[[Path, str], str], stem: Path, scaled: bool = False
) -> _Reading | None:
    """The surest reading of the box on its own (as cut out, and filled if outlined; `scaled`:
    a large line also scaled down)."""
    origin, crops = _crops(image, box)
    best = None
    sizes = _sizes(crops, box[3] - box[1]) if scaled else [(crop, 1.0) for crop in crops]
    for k, (crop, scale) in enumerate(sizes):
        path = stem.with_name(f"{stem.name}-{k}.png")
        crop.save(path)
        tsv = _tightened(read(path, "7"))
        if scale != 1.0:
            tsv = _unscaled(tsv, scale, (box[1] - origin[1], box[3] - box[1]))
        new = _lines(tsv, origin, -1)
        if new and (best is None or _mean(new) > best.conf):
            best = _Reading(tsv, origin, _mean(new), sum(line.letters for line in new))
    return best


def _sizes(crops: list[Image.Image], height: int) -> list[tuple[Image.Image, float]]:
    """Each crop with its scale 1, and a large line's also scaled down to READ_HEIGHT."""
    sized = [(crop, 1.0) for crop in crops]
    if height > 1.3 * READ_HEIGHT:
        scale = READ_HEIGHT / height
        sized += [
            (
                crop.resize(
                    (max(1, round(crop.width * scale)), max(1, round(crop.height * scale))), Image.LANCZOS
                ),
                scale,
            )
            for crop in crops
        ]
    return sized


def _unscaled(tsv: str, scale: float, band: tuple[int, int]) -> str:
    """A reading of a scaled crop with its boxes in the crop's own pixels, as high as the line's
    `band` (top, height): the words of small type read back up are not the line's height."""
    rows = [row.split("\t") for row in tsv.splitlines()]
    for r in rows[1:]:
        if len(r) >= 12:
            r[6], r[8] = str(round(int(r[6]) / scale)), str(round(int(r[8]) / scale))
            r[7], r[9] = str(band[0]), str(band[1])
    return "\n".join("\t".join(r) for r in rows) + "\n"


def _widened(grey: np.ndarray, box: tuple[int, int, int, int], words: list) -> tuple[int, int, int, int]:
    """The line's box widened over type printed beside it, on its band, where the page reading
    read no word: display type it lost (the outlined 「全国農業新聞」 before 「を読みませんか」, the
    white カノコソウ栽 on a tint before 培セミナーを開催しました). A blank as wide as the line is tall
    ends the line, and so does another word."""
    x0, top, x1, bottom = box
    height = bottom - top
    ink = (grey[top:bottom] < BESIDE).sum(axis=0) >= 2
    read = np.zeros(grey.shape[1], bool)
    for w in words:
        if w.bottom > top + 0.3 * height and w.top < bottom - 0.3 * height:
            read[max(0, w.left) : max(0, w.right)] = True
    return (_reach(ink, read, x0, -1, height), top, _reach(ink, read, x1 - 1, 1, height) + 1, bottom)


def _reach(ink: np.ndarray, read: np.ndarray, start: int, step: int, height: int) -> int:
    """The farthest column of unread ink from `start` outwards (step -1: left, 1: right)."""
    edge, x = start, start + step
    while 0 <= x < len(ink) and abs(x - edge) < height and not read[x]:
        if ink[x]:
            edge = x
        x += step
    return edge if abs(edge - start) >= height else start


def _lines(tsv: str, origin: tuple[int, int], reading: int) -> list[_Line]:
    return _measured(parse(tsv, origin), reading)


def _measured(parsed: list, reading: int) -> list[_Line]:
    """A reading's lines with words, each with its confidence and letters."""
    return [
        _Line(reading, line.key, line.box, _weighted(line.words), _letters(line.words))
        for line in parsed
        if line.words
    ]


def _letters(words) -> int:
    """Letters of a line, without ornaments read as letters (◆◆◆ as メメメ, a rule as ーーー)."""
    return len(ocr_clean("".join(w.text for w in words)))


def _weighted(words) -> float:
    letters = sum(len(w.text) for w in words)
    return sum(max(0.0, w.conf) * len(w.text) for w in words) / max(1, letters)


def _mean(lines: list[_Line]) -> float:
    return sum(line.conf * line.letters for line in lines) / max(1, sum(line.letters for line in lines))


def _crops(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[tuple[int, int], list[Image.Image]]:
    """The line with a margin, as black type on white: light type on a dark band turned over;
    and, when the line is set in outlined type (袋文字: white letters ringed in a dark line, which
    Tesseract reads as a tangle of rings), the letters' insides filled black."""
    origin, crop = _crop(image, box)
    x0, y0 = origin
    pixels = np.asarray(image.crop((x0, y0, x0 + crop.width, y0 + crop.height)).convert("L"), dtype=np.int16)
    insides, rings = _outlined(pixels)
    if insides.sum() < OUTLINED * rings.sum():
        return origin, [crop]
    return origin, [crop, Image.fromarray(np.where(insides, 0, 255).astype(np.uint8))]


def _outlined(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The insides of outlined letters and their rings: the paper is what light reaches from the
    crop's edge, the rings the dark that touches the paper, the insides the light the rings
    enclose (one level in: a letter's counter lies inside its inside's own ring and stays paper)."""
    low, high = np.percentile(pixels, 3), np.percentile(pixels, 97)
    light = pixels > (low + high) / 2
    edge = np.zeros_like(light)
    edge[0] = edge[-1] = True
    edge[:, 0] = edge[:, -1] = True
    paper = connected(light, edge)
    rings = connected(~light, next_to(paper))
    insides = connected(light & ~paper, next_to(rings))
    return insides, rings


def _crop(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[tuple[int, int], Image.Image]:
    """The line with a margin, as black type on white: light type on a dark band turned over."""
    pad = int(MARGIN * (box[3] - box[1]))
    x0, y0 = max(0, box[0] - pad), max(0, box[1] - pad)
    x1, y1 = min(image.width, box[2] + pad), min(image.height, box[3] + pad)
    pixels = np.asarray(image.crop((x0, y0, x1, y1)).convert("L"), dtype=np.int16)
    background = float(np.median(pixels))
    light = float(np.percentile(pixels, 98))
    if background < REVERSED and light > background + 60:
        # Only on the band: the paper around it (and a picture beside it) is light too. Rows
        # and columns of the band are dark at least between the letters.
        rows = np.percentile(pixels, 25, axis=1) < REVERSED
        columns = np.percentile(pixels[rows], 25, axis=0) < REVERSED
        ink = (pixels > (background + light) / 2) & rows[:, np.newaxis] & columns[np.newaxis, :]
    else:
        ink = pixels < (background + float(np.percentile(pixels, 2))) / 2
    return (x0, y0), Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))


def _spliced(tsv: str, origin: tuple[int, int], mends: dict) -> str:
    """The TSV with the letters of each mended line (by its key) taken from its reading on its
    own. The page reading's words keep their boxes (the line's size and place stand); each takes
    the letters read over it."""
    if not mends:
        return tsv
    rows = tsv.splitlines(keepends=True)
    cells = [row.split("\t") for row in rows]
    out = rows[:1]
    for key, reading in mends.items():
        words = [c for c in cells[1:] if tuple(c[2:5]) == key and c[0] == "5" and len(c) >= 12]
        for n, text in _letters_over(words, reading, origin).items():
            c = words[n]
            c[10], c[11] = f"{reading.conf:.1f}", text + ("\n" if c[11].endswith("\n") else "")
    for row, c in zip(rows[1:], cells[1:], strict=True):
        out.append("\t".join(c) if tuple(c[2:5]) in mends else row)
    return "".join(out)


SPAN_SURE = 60  # the page reading's words this sure say where the line's letters are


def _letters_over(words: list[list[str]], reading: _Reading, origin: tuple[int, int]) -> dict[int, str]:
    """The page reading's words of a line (by index) with the letters the new reading read
    over them. The words from the line's first sure word to its last share the new letters in reading
    order, as many as they had (Tesseract's word boxes in a single-line reading can be far off);
    words before or after them (a heading's mark, read as junk) keep their own, and the new
    reading's words beyond them (the mark, read as 田) are not taken."""
    sure = [c for c in words if float(c[10]) >= SPAN_SURE and c[11].strip()] or words
    left, right = min(int(c[6]) for c in sure), max(int(c[6]) + int(c[8]) for c in sure)
    inside = [n for n, c in enumerate(words) if left <= int(c[6]) + int(c[8]) / 2 <= right]
    new = [r.split("\t") for r in reading.tsv.splitlines()[1:]]
    new = [r for r in new if len(r) >= 12 and r[0] == "5" and r[11].strip()]
    middles = [int(r[6]) + reading.origin[0] - origin[0] + int(r[8]) / 2 for r in new]
    within = [n for n, x in enumerate(middles) if left <= x <= right]
    if not inside or not within:
        return {}
    letters = "".join(r[11].strip() for r in new[within[0] : within[-1] + 1])
    had = [len(words[n][11].strip()) for n in inside]
    if not sum(had):
        return {}
    ends = [0] + [round(len(letters) * sum(had[: k + 1]) / sum(had)) for k in range(len(had))]
    return {n: letters[ends[k] : ends[k + 1]] for k, n in enumerate(inside)}


def _without(tsv: str, keys: set) -> str:
    """The TSV without the rows of the given lines."""
    if not keys:
        return tsv
    rows = tsv.splitlines(keepends=True)
    header, body = rows[:1], rows[1:]
    kept = [row for row in body if tuple(row.split("\t")[2:5]) not in keys]
    return "".join(header + kept)


def _tightened(tsv: str) -> str:
    """Word and line boxes cut to the letters' usual height: a single-line reading gives a word
    that touches the band's edge (ービス) the crop's whole height, and tsv.py would take the line
    for two columns' lines read as one and lose its size."""
    rows = [row.split("\t") for row in tsv.splitlines()]
    if not rows:
        return tsv
    words = [r for r in rows[1:] if len(r) >= 12 and r[0] == "5" and r[11].strip()]
    for key in {tuple(r[2:5]) for r in words}:
        mine = [r for r in words if tuple(r[2:5]) == key]
        tops = sorted(int(r[7]) for r in mine)
        bottoms = sorted(int(r[7]) + int(r[9]) for r in mine)
        top, bottom = tops[len(tops) // 2], bottoms[len(bottoms) // 2]
        for r in mine:
            r[7], r[9] = (
                str(max(int(r[7]), top)),
                str(min(int(r[7]) + int(r[9]), bottom) - max(int(r[7]), top)),
            )
        for r in rows[1:]:
            if len(r) >= 12 and r[0] == "4" and tuple(r[2:5]) == key:
                r[7], r[9] = str(top), str(bottom - top)
    return "\n".join("\t".join(r) for r in rows) + "\n"
