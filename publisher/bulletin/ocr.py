"""Scanned pages: render with pdftoppm, straighten, despeckle, read with Tesseract (jpn) into positioned words.

The words go through the same layout and text rules as a PDF text layer (see pdf.py), so a
scan's columns, running heads, headings and notices are handled alike.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

from .layout import Glyph

MIN_CONFIDENCE = 35  # below this, words are mostly photo texture and specks read as letters
DPI = 200  # office scans are 200–300 dpi; Japanese body text is still 30 px tall, and OCR time grows with pixels
LANGUAGES = "jpn"  # jpn_vert is installed too, for vertical pages; Tesseract's psm 3 finds columns
SCALE = 72 / DPI  # pixels to points
SIZE_MARGIN = 1.15  # a line this much taller than the page's body lines has its own (larger) size
MARK = "◆"  # any solid mark found in the image: pdf.py strips it from the heading
MARK_WORD_CONFIDENCE = 60  # a word over a mark read this unsure starts with the mark's misreading
HEADING_SPACE = 1.2  # body-line heights of blank above a larger line that is a heading
GUTTER = 1.3  # body-line heights: a wider gap between words is a gap between columns
LABEL_RATIO = 0.6  # difflib ratio for a misread notice label (とき read as と, 問合せ as 問合七)
CLEAN_LEVEL = 128  # grey level between ink and paper after the median filter
INSTALL_HINT = "Debian パッケージ tesseract-ocr・tesseract-ocr-jpn・tesseract-ocr-jpn-vert"


class OcrUnavailable(RuntimeError):
    """Tesseract or its Japanese data is missing: the message says what to install."""


@dataclass(frozen=True)
class OcrPage:
    number: int
    lines: tuple[tuple[Glyph, ...], ...]  # Tesseract's lines of words, in points from the top-left corner
    pictures: tuple[tuple[tuple[float, float, float, float], Path], ...] = ()  # photo areas, cropped

    @property
    def words(self) -> list[Glyph]:
        return [w for line in self.lines for w in line]


def require_tesseract() -> None:
    if not shutil.which("tesseract"):
        raise OcrUnavailable(
            f"画像だけのページを読むには文字認識ソフト Tesseract が必要です（{INSTALL_HINT} を入れてください）"
        )
    if not shutil.which("pdftoppm"):
        raise OcrUnavailable(
            "画像だけのページを読むには pdftoppm が必要です（Debian パッケージ poppler-utils を入れてください）"
        )
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    if "jpn" not in languages:
        raise OcrUnavailable(f"Tesseract の日本語データがありません（{INSTALL_HINT} を入れてください）")


def read_pages(pdf: Path, numbers: list[int], workdir: Path) -> dict[int, OcrPage]:
    """OCR the given pages (1-based), one page per core; photo crops are saved in workdir."""
    workers = max(1, min(len(numbers), os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="bulletin-ocr-") as tmp:
        with ThreadPoolExecutor(workers) as pool:
            pages = pool.map(lambda n: _read_page(pdf, n, Path(tmp), workdir), numbers)
            return {page.number: page for page in pages}


def _read_page(pdf: Path, number: int, tmp: Path, workdir: Path) -> OcrPage:
    stem = tmp / f"page-{number}"
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            str(number),
            "-l",
            str(number),
            "-r",
            str(DPI),
            "-gray",
            "-singlefile",
            "-png",
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    image = Image.open(stem.with_suffix(".png")).convert("L")
    image = straighten(image)
    pictures = _crop_pictures(image, number, workdir)
    for (x0, top, x1, bottom), _ in pictures:  # blank photos out: Tesseract reads texture as letters
        image.paste(255, tuple(round(v * DPI / 72) for v in (x0, top, x1, bottom)))
    image = clean(image)
    image.save(stem.with_suffix(".png"))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one page per core instead of threads fighting
    done = subprocess.run(
        [
            "tesseract",
            str(stem.with_suffix(".png")),
            "stdout",
            "-l",
            LANGUAGES,
            "--psm",
            "3",
            "--dpi",
            str(DPI),
            "tsv",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise OcrUnavailable(f"{number}ページの文字認識に失敗しました: {done.stderr.strip()[:200]}")
    return OcrPage(number, tuple(_lines(done.stdout, image)), tuple(pictures))


def _crop_pictures(image: Image.Image, number: int, workdir: Path) -> list:
    """Photos on a scan: areas of mid-grey tones (text is black on white), at least 1.5 cm."""
    cell = 16
    grey = image.point(lambda v: 255 if 40 < v < 228 else 0)
    grid = grey.resize((image.width // cell, image.height // cell), Image.BOX)
    w, h = grid.size
    dense = {(x, y) for y in range(h) for x in range(w) if grid.getpixel((x, y)) > 150}
    pictures, seen = [], set()
    for start in sorted(dense):
        if start in seen:
            continue
        todo, area = [start], []
        seen.add(start)
        while todo:
            x, y = todo.pop()
            area.append((x, y))
            for nxt in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if nxt in dense and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        xs, ys = [a[0] for a in area], [a[1] for a in area]
        box = (min(xs) * cell, min(ys) * cell, (max(xs) + 1) * cell, (max(ys) + 1) * cell)
        if min(box[2] - box[0], box[3] - box[1]) * 72 / DPI >= 42 and len(area) > 0.5 * (
            (max(xs) - min(xs) + 1) * (max(ys) - min(ys) + 1)
        ):
            path = workdir / "images" / f"p{number:02d}-scan-{box[0]}-{box[1]}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            image.crop(box).save(path)
            pictures.append((tuple(v * 72 / DPI for v in box), path))
    return pictures


def straighten(image: Image.Image) -> Image.Image:
    """Undo the slight rotation of a scan (up to ±2°): the angle whose rows of text give the
    sharpest horizontal profile. Straight lines keep columns and baselines apart."""
    small = ImageOps.invert(image.convert("L").resize((image.width // 4, image.height // 4)))
    small = small.point(lambda v: 255 if v > 96 else 0)
    best, best_score = 0.0, -1.0
    for tenth in range(-20, 21):
        angle = tenth / 10
        score = _profile_sharpness(small.rotate(angle, resample=Image.NEAREST))
        if score > best_score:
            best, best_score = angle, score
    if best == 0:
        return image
    return image.rotate(best, resample=Image.BICUBIC, fillcolor=255)


def clean(image: Image.Image) -> Image.Image:
    """Black on white without specks: dust on a scan joins Tesseract's line boxes (making
    them taller) and is read as letters; a 3×3 median removes it, strokes are wider."""
    return image.filter(ImageFilter.MedianFilter(3)).point(lambda v: 255 if v > CLEAN_LEVEL else 0)


def _profile_sharpness(image: Image.Image) -> float:
    width, height = image.size
    data = image.tobytes()
    sums = [data[y * width : (y + 1) * width].count(255) for y in range(height)]
    return float(sum((a - b) ** 2 for a, b in pairwise(sums)))


def _lines(tsv: str, image: Image.Image | None = None) -> list[tuple[Glyph, ...]]:
    """Tesseract's lines (TSV level 4) and their words (level 5), in points. A line keeps the
    page's body size unless it is clearly taller; heading marks and notice labels that OCR
    misreads are restored from the image and by fuzzy matching."""
    parsed = [ln for ln in _parse(tsv) if ln.words]
    body = _body_height(parsed)
    parsed = [seg for ln in parsed for seg in _segments(ln, body)]
    lines = []
    for line in parsed:
        mark = _mark_box(image, line, body) if image is not None else None
        words = _kept_words(line, mark, body)
        if not words:
            continue
        size = _size(line, body, mark and mark[4] == MARK, _space_above(line, parsed))
        glyphs = [_glyph(w.text, (w.left, w.top, w.right, w.bottom), size) for w in words]
        if mark:
            glyphs.insert(0, _glyph(mark[4], mark[:4], size))
        lines.append((_TLine(line.box, words), size, glyphs))
    _restore_labels(lines, body)
    return _merge_baselines(
        [((ln.box[1] + ln.box[3]) * SCALE / 2, size, glyphs) for ln, size, glyphs in lines]
    )


@dataclass(frozen=True)
class _Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float


@dataclass(frozen=True)
class _TLine:
    box: tuple[int, int, int, int]  # pixels: left, top, right, bottom
    words: list[_Word]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def _parse(tsv: str) -> list[_TLine]:
    lines: dict[tuple, _TLine] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (row["block_num"], row["par_num"], row["line_num"])
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        if row["level"] == "4":
            lines[key] = _TLine((left, top, left + width, top + height), [])
        text = (row.get("text") or "").strip()
        if row["level"] == "5" and text and key in lines:
            lines[key].words.append(
                _Word(text, left, top, left + width, top + height, float(row.get("conf") or -1))
            )
    return list(lines.values())


def _body_height(lines: list[_TLine]) -> float:
    """The height of most text lines on the page, in pixels: the commonest height (±1 px)
    weighted by words, so tall table rows and headings do not pull it up."""
    counts: dict[int, int] = {}
    for line in lines:
        if line.height > 8:
            counts[line.height] = counts.get(line.height, 0) + len(line.words)
    if not counts:
        return 12 / SCALE
    return float(max(counts, key=lambda h: (counts.get(h - 1, 0) + counts[h] + counts.get(h + 1, 0), -h)))


def _size(line: _TLine, body: float, mark, space: float) -> float:
    """Type size in points. Line boxes of body text scatter (specks, descenders, a table's
    rules), so only a marked heading, or a clearly taller line with a heading's space above
    it, keeps its own size; the rest take the page's body size. Ink is ~0.92 em tall."""
    larger = line.height >= body * SIZE_MARGIN and space >= HEADING_SPACE * body
    return (line.height if mark or larger else body) * SCALE / 0.92


def _space_above(line: _TLine, lines: list[_TLine]) -> float:
    """Blank pixels between the line and the nearest line above it in the same column."""
    above = [
        ln.box[3]
        for ln in lines
        if ln.box[3] <= line.box[1] + 4 and ln.box[0] < line.box[2] and ln.box[2] > line.box[0]
    ]
    return line.box[1] - max(above) if above else float("inf")


def _segments(line: _TLine, body: float) -> list[_TLine]:
    """A Tesseract line split where its words jump across a column gutter: two columns'
    headings on one baseline are read as one line, and each may start with a mark."""
    runs = [[line.words[0]]]
    for a, b in pairwise(line.words):
        if b.left - a.right > GUTTER * body:
            runs.append([])
        runs[-1].append(b)
    if len(runs) == 1:
        return [line]
    return [_TLine((r[0].left, line.box[1], r[-1].right, line.box[3]), r) for r in runs]


def _glyph(text: str, box, size: float) -> Glyph:
    left, top, right, bottom = (v * SCALE for v in box)
    return Glyph(text, left, top, right, bottom, size)


def _kept_words(line: _TLine, mark, body: float) -> list[_Word]:
    """Confident words; on a marked heading also the unsure ones (Tesseract doubts the letter
    next to a mark), minus what it read the mark itself as."""
    if not mark:
        return [w for w in line.words if w.conf >= MIN_CONFIDENCE]
    em = line.height / 0.92
    kept = []
    for word in line.words:
        if word.right <= mark[2] + 0.3 * em or word.bottom - word.top < 0.4 * body:
            continue  # the mark read as a letter, or a speck
        if not kept and word.left < mark[2] - 0.3 * em and word.conf < MARK_WORD_CONFIDENCE:
            word = replace(word, text=word.text[1:])  # the mark read into the word: 田上 for ■上
        if word.text:
            kept.append(word)
    return kept


def _mark_box(image: Image.Image, line: _TLine, body: float):
    """A heading mark (◆ ■ ● and the like) at the start of a line: the first shape is about
    an em wide and tall and solid in the middle, which no letter is. Tesseract reads such
    marks as 多・田・久 or drops them, so they are found in the image instead."""
    left, top, right, bottom = line.box
    em = max(line.height, body)
    crop = image.crop((max(0, round(left - 0.5 * em)), top, min(image.width, round(left + 1.5 * em)), bottom))
    width, height = crop.size
    ink = crop.load()
    columns = [sum(ink[x, y] < 128 for y in range(height)) for x in range(width)]
    start = next((x for x, c in enumerate(columns) if c >= 2), None)
    if start is None:
        return None
    end = next((x for x in range(start, width) if columns[x] == 0), width)
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
    offset = max(0, round(left - 0.5 * em))
    return (
        offset + start,
        top + rows[0],
        offset + end,
        top + rows[-1] + 1,
        _mark_shape(ink, start, end, rows),
    )


def _mark_shape(ink, start: int, end: int, rows: list[int]) -> str:
    """▲ (a caption's mark: narrow at the top, wide at the base) or another solid mark."""

    def width(y: int) -> int:
        return sum(ink[x, y] < 128 for x in range(start, end))

    height = rows[-1] - rows[0]
    top, base = width(rows[0] + round(0.2 * height)), width(rows[0] + round(0.8 * height))
    return "▲" if top < 0.6 * base else MARK


def _restore_labels(lines: list, body: float) -> None:
    """Notice labels (と　き, ところ, 申込み …) misread by a letter or two are put back in their
    printed form, followed by a space. Only lines in a group of label lines count: a notice
    has several, while a body line may start with 対象 or 内容 by chance."""
    found = {n: _label_of(line.words, body) for n, (line, _, _) in enumerate(lines)}
    found = {n: hit for n, hit in found.items() if hit}
    for n, (label, count) in found.items():
        line, size, glyphs = lines[n]
        if not any(m != n and _near(lines[m][0], line, body) for m in found):
            continue
        words = line.words[:count]
        box = (words[0].left, min(w.top for w in words), words[-1].right, max(w.bottom for w in words))
        lines[n] = (
            line,
            size,
            [_glyph(label + "\u3000", box, size), *glyphs[len(glyphs) - len(line.words) + count :]],
        )


def _label_of(words: list[_Word], body: float) -> tuple[str, int] | None:
    """The printed label the first words stand for, and how many words it takes."""
    from .articles import NOTICE_LABELS  # one list of labels for text layers and scans

    best, best_ratio = None, LABEL_RATIO
    for count in range(1, min(4, len(words)) + 1):
        if count < len(words) and words[count].left - words[count - 1].right < 0.5 * body:
            continue  # a label is set off from its value by a space
        part = "".join(w.text for w in words[:count])
        for labels in NOTICE_LABELS.values():
            for label in labels:
                ratio = difflib.SequenceMatcher(None, part, label.replace("\u3000", "")).ratio()
                if ratio >= best_ratio:
                    best, best_ratio = (label, count), ratio
    return best


def _near(a: _TLine, b: _TLine, body: float) -> bool:
    return abs(a.box[1] - b.box[1]) <= 3.5 * body and abs(a.box[0] - b.box[0]) <= 3 * body


def _merge_baselines(lines: list[tuple[float, float, list[Glyph]]]) -> list[tuple[Glyph, ...]]:
    """Lines on one baseline are merged: Tesseract often reads a notice's labels (と　き) and
    values as separate blocks."""
    merged: list[tuple[float, float, list[Glyph]]] = []
    for middle, size, words in sorted(lines, key=lambda ln: ln[0]):
        if merged and abs(middle - merged[-1][0]) < 0.4 * min(size, merged[-1][1]):
            m, s, ws = merged[-1]
            merged[-1] = (m, s, ws + words)
        else:
            merged.append((middle, size, words))
    return [tuple(words) for _, _, words in merged]
