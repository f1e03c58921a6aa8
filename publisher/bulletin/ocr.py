"""Scanned pages: render with pdftoppm, straighten, read with Tesseract (jpn) into positioned words.

The words go through the same layout and text rules as a PDF text layer (see pdf.py), so a
scan's columns, running heads, headings and notices are handled alike.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageOps

from .layout import Glyph

MIN_CONFIDENCE = 35  # below this, words are mostly photo texture and specks read as letters
DPI = 200  # office scans are 200–300 dpi; Japanese body text is still 30 px tall, and OCR time grows with pixels
LANGUAGES = "jpn"  # jpn_vert is installed too, for vertical pages; Tesseract's psm 3 finds columns
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
        raise OcrUnavailable(f"画像だけのページを読むには文字認識ソフト Tesseract が必要です（{INSTALL_HINT} を入れてください）")
    if not shutil.which("pdftoppm"):
        raise OcrUnavailable("画像だけのページを読むには pdftoppm が必要です（Debian パッケージ poppler-utils を入れてください）")
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
    subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(DPI), "-gray", "-singlefile",
                    "-png", str(pdf), str(stem)], check=True, capture_output=True)
    image = Image.open(stem.with_suffix(".png")).convert("L")
    image = straighten(image)
    pictures = _crop_pictures(image, number, workdir)
    for (x0, top, x1, bottom), _ in pictures:  # blank photos out: Tesseract reads texture as letters
        image.paste(255, tuple(round(v * DPI / 72) for v in (x0, top, x1, bottom)))
    image.save(stem.with_suffix(".png"))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one page per core instead of threads fighting
    done = subprocess.run(["tesseract", str(stem.with_suffix(".png")), "stdout", "-l", LANGUAGES, "--psm", "3",
                           "--dpi", str(DPI), "tsv"], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise OcrUnavailable(f"{number}ページの文字認識に失敗しました: {done.stderr.strip()[:200]}")
    return OcrPage(number, tuple(_lines(done.stdout)), tuple(pictures))


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
                (max(xs) - min(xs) + 1) * (max(ys) - min(ys) + 1)):
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


def _profile_sharpness(image: Image.Image) -> float:
    width, height = image.size
    data = image.tobytes()
    sums = [data[y * width:(y + 1) * width].count(255) for y in range(height)]
    return float(sum((a - b) ** 2 for a, b in zip(sums, sums[1:])))


def _lines(tsv: str) -> list[tuple[Glyph, ...]]:
    """Tesseract's lines (TSV level 4) and their words (level 5), in points, every word with
    its line's type size. Lines on one baseline are merged: Tesseract often reads a notice's
    labels (と　き) and values as separate blocks."""
    scale = 72 / DPI
    boxes: dict[tuple, tuple[float, float, float]] = {}
    words: dict[tuple, list[Glyph]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (row["block_num"], row["par_num"], row["line_num"])
        if row["level"] == "4":
            boxes[key] = (int(row["top"]) * scale, int(row["height"]) * scale, int(row["width"]) * scale)
        text = (row.get("text") or "").strip()
        if row["level"] == "5" and text and float(row.get("conf") or -1) >= MIN_CONFIDENCE:
            left, top = int(row["left"]) * scale, int(row["top"]) * scale
            right, bottom = left + int(row["width"]) * scale, top + int(row["height"]) * scale
            words.setdefault(key, []).append(Glyph(text, left, top, right, bottom, 0.0))
    lines = []
    for key, line in words.items():
        top, height, width = boxes.get(key, (line[0].top, line[0].bottom - line[0].top, 0.0))
        size = _size(line, height, width)
        lines.append((top + height / 2, size, [replace(w, size=size) for w in line]))
    return _merge_baselines(lines)


def _size(words: list[Glyph], height: float, width: float) -> float:
    """The type size of a line. Line boxes and widths are disturbed by punctuation, marks and
    misread characters; the ink of a kanji is steadily about 0.92 em tall."""
    kanji = sorted(w.bottom - w.top for w in words if any("\u4e00" <= ch <= "\u9fff" for ch in w.text))
    if kanji:
        return kanji[len(kanji) // 2] / 0.92
    ems = sum(1 if not ch.isascii() else 0.5 for w in words for ch in w.text)
    return min(height / 0.92, width / ems) if ems >= 4 else height / 0.92


def _merge_baselines(lines: list[tuple[float, float, list[Glyph]]]) -> list[tuple[Glyph, ...]]:
    merged: list[tuple[float, float, list[Glyph]]] = []
    for middle, size, words in sorted(lines, key=lambda ln: ln[0]):
        if merged and abs(middle - merged[-1][0]) < 0.4 * min(size, merged[-1][1]):
            m, s, ws = merged[-1]
            merged[-1] = (m, s, ws + words)
        else:
            merged.append((middle, size, words))
    return [tuple(words) for _, _, words in merged]
