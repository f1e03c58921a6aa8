"""Scanned pages read with Tesseract (jpn) into positioned words with their confidences.

Each page is rendered at 300 dpi, stretched to full contrast and straightened (scan.py); photos
are cut out and blanked, rules are measured, and Tesseract reads the rest in its automatic
page segmentation (psm 3), which finds columns. Where a scan already carries a text layer from
an earlier OCR run, the two readings are compared and the more plausible one is kept. The
words go through the same layout and text rules as a born-digital text layer.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from . import chip_values, drawn_boxes, light_type, lost_labels, panels, scan, solid_marks, tsv
from .layout import Glyph
from .picture_regions import page_codes
from .records import Link
from .reread import reread

LANGUAGES = "jpn"
progress = logging.getLogger("publisher.bulletin")  # the command line shows it page by page
TEXT_CONFIDENCE = 70  # words read this surely are text, not a photo's texture …
TEXT_SHARE = 0.08  # … and an area whose words cover more than this share of it is text on a tint,
TEXT_LETTERS = 150  # … as is one with this many letters read surely (no photo's texture reads so)
INSTALL_HINT = "Debian パッケージ tesseract-ocr・tesseract-ocr-jpn・tesseract-ocr-jpn-vert"
PLAUSIBLE = re.compile(
    r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\u30050-9０-９A-Za-z、。，．「」『』（）()・：:～~\-ー/％%]"
)


class OcrUnavailable(RuntimeError):
    """Tesseract or its Japanese data is missing: the message says what to install."""


class OcrFailed(RuntimeError):
    """Tesseract could not read a page; the message (Japanese) names the page."""


@dataclass(frozen=True)
class OcrPage:
    number: int
    words: tuple[Glyph, ...]  # in points from the top-left corner, with Tesseract's confidences
    pictures: tuple[tuple[tuple[float, float, float, float], Path], ...] = ()  # photo areas, cropped
    rules: tuple[tuple[float, float, float, float], ...] = ()  # long thin strokes (table rules)
    confidence: float | None = None  # mean word confidence, weighted by characters
    source: str = "ocr"  # "ocr", or "layer" when the PDF's own text layer read better
    codes: tuple[tuple[tuple[float, float, float, float], Link | None], ...] = ()  # QR codes read
    frames: tuple[tuple[float, float, float, float], ...] = ()  # drawn boxes, read one by one
    cells: tuple[tuple[float, float, float, float], ...] = ()  # drawn boxes that make up a table
    panes: tuple[tuple[float, float, float, float], ...] = ()  # columns of a tinted panel, read one by one


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


def read_pages(
    pdf: Path, numbers: list[int], workdir: Path, layers: dict[int, list[Glyph]] | None = None
) -> dict[int, OcrPage]:
    """OCR the given pages (1-based), one page per core; photo crops are saved in workdir.
    `layers`: a page's existing OCR text layer, kept instead when it reads better."""
    workers = max(1, min(len(numbers), os.cpu_count() or 1))
    layers = layers or {}
    with tempfile.TemporaryDirectory(prefix="bulletin-ocr-") as tmp:
        with ThreadPoolExecutor(workers) as pool:
            pages = pool.map(lambda n: _read_page(pdf, n, Path(tmp), workdir, layers.get(n)), numbers)
            read = {}
            for done, page in enumerate(pages, 1):
                read[page.number] = page
                progress.info("%d/%d ページ目を文字認識（OCR）しました", done, len(numbers))
            return read


def _read_page(pdf: Path, number: int, tmp: Path, workdir: Path, layer: list[Glyph] | None) -> OcrPage:
    stem = tmp / f"page-{number}"
    try:
        image = scan.prepare(scan.render(pdf, number, stem))
    except (subprocess.CalledProcessError, OSError) as error:
        raise OcrFailed(f"{number}ページを画像にできませんでした（{error}）") from None
    candidates = scan.tinted_areas(image)
    rules = scan.rules(image)
    found = drawn_boxes.boxes(image)
    cells = drawn_boxes.cells(found)
    frames = [box for box in found if box not in cells]
    panes = panels.panes(image, avoid=frames)
    # Marks in boxes are blanked (Tesseract misreads them and the letters beside them); on the
    # open page they stay, as its layout analysis uses them to tell columns apart.
    marks = solid_marks.find(image)
    boxed = [m for m in marks if any(_within(m, box) for box in frames)]
    clean = solid_marks.blanked(drawn_boxes.erased(image, frames), boxed)
    first, panes = _readings(clean, frames, panes, stem, number)
    readings = reread(clean, first, lambda path, psm: _again(path, psm, number), stem)
    chips = light_type.find(clean)  # found once: their labels are read, then the values beside them
    readings = light_type.read(clean, chips, readings, lambda path: _again(path, "6", number), stem)
    readings = chip_values.read(clean, chips, readings, lambda path: _again(path, "6", number), stem)
    readings = lost_labels.read(clean, readings, lambda path: _again(path, "6", number), stem)
    words = tsv.words(readings, panels.without_gutters(image, panes), marks)
    photos, words = _photos(image, candidates, words, number, workdir / "images")
    panes = [
        p for p in panes if not panels.overlaps(p, [scan.pixels(area) for area, _ in photos])
    ]  # not text
    codes = page_codes(image, scan.SCALE)  # their modules are not text
    words = [
        w for w in words if not any(b[0] <= w.centre <= b[2] and b[1] <= w.middle <= b[3] for b, _ in codes)
    ]
    page = OcrPage(
        number,
        tuple(words),
        tuple(photos),
        tuple(rules),
        _confidence(words),
        codes=tuple(codes),
        frames=tuple(tuple(v * scan.SCALE for v in box) for box in frames),
        cells=tuple(tuple(v * scan.SCALE for v in box) for box in cells),
        panes=tuple(tuple(v * scan.SCALE for v in box) for box in panes),
    )
    if layer and plausibility(layer) > plausibility(words) + 0.1:
        return replace(page, words=tuple(layer), confidence=None, source="layer")
    return page


def _readings(image, frames, panes, stem: Path, number: int):
    """Tesseract's TSV of each drawn box on its own, then of the page around the boxes, each with
    its automatic layout (psm 3, which finds columns): read as one page, the lines of boxes set
    side by side were joined across them. The columns of a tinted panel are read on their own
    too, but only when the page reading ran its lines across them: Tesseract finds most such
    gutters itself, and a column read alone loses the context its binarisation had (a flyer's
    pink ground). Returns the readings, each with the pixel position of its part, and the panes
    read."""
    readings = [_part(image, box, f"{stem.name}-box{n}", stem, number) for n, box in enumerate(frames)]
    page = _page_around(image, frames, stem, number)
    if not panes or not panels.joined(tsv.parse(page), panes):
        return [(page, (0, 0)), *readings], []
    readings += [_part(image, box, f"{stem.name}-pane{n}", stem, number) for n, box in enumerate(panes)]
    return [(_page_around(image, frames + panes, stem, number), (0, 0)), *readings], panes


def _part(image, box, name: str, stem: Path, number: int) -> tuple[str, tuple[int, int]]:
    x0, top, x1, bottom = drawn_boxes.inside(box)
    path = stem.with_name(f"{name}.png")
    image.crop((x0, top, x1, bottom)).save(path)
    return _box_reading(path, number), (x0, top)


def _page_around(image, boxes, stem: Path, number: int) -> str:
    path = stem.with_suffix(".png")
    drawn_boxes.blanked(image, boxes).save(path)
    return _tesseract(path, "3", number)


def _box_reading(path: Path, number: int) -> str:
    """A box read with its automatic layout; a box of numbered lines (① 7月31日 ② 飯野公民館) is
    read again as one block when that keeps more of its numbers: the automatic layout can take
    the column of ①②③ for a picture and drop it, and the numbers are what key each value."""
    found = _tesseract(path, "3", number)
    if not _circled(found):
        return found
    block = _tesseract(path, "6", number)
    return block if _circled(block) > _circled(found) else found


def _circled(tsv_text: str) -> int:
    return sum("①" <= c <= "⑳" for c in tsv_text)


def _within(mark, box) -> bool:
    return box[0] <= mark[0] and mark[2] <= box[2] and box[1] <= mark[1] and mark[3] <= box[3]


def _again(path: Path, psm: str, number: int) -> str:
    """A second reading of part of a page (a display line, the chips): the first reading stands
    when Tesseract fails on it (it can crash on some images: Floating point exception)."""
    try:
        return _tesseract(path, psm, number)
    except OcrFailed:
        progress.info(
            "%dページ: 見出しなどの読み直しが一つできなかったため、最初の読み取りを使いました", number
        )
        return ""


def _tesseract(path: Path, psm: str, number: int) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one page per core instead of threads fighting
    command = ["tesseract", str(path), "stdout", "-l", LANGUAGES, "--psm", psm, "--dpi", str(scan.DPI), "tsv"]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise OcrFailed(f"{number}ページの文字認識に失敗しました: {done.stderr.strip()[:200]}")
    return done.stdout


def _photos(image, areas, words: list[Glyph], number: int, folder: Path):
    """Tinted areas that hold little confident text are photos (their crops are saved, and what
    Tesseract read in their texture is dropped); the others are text on a coloured band or box."""
    photos = []
    for area in areas:
        inside = [w for w in words if area[0] <= w.centre <= area[2] and area[1] <= w.middle <= area[3]]
        sure = [w for w in inside if w.conf >= TEXT_CONFIDENCE]
        text_area = sum((w.x1 - w.x0) * (w.bottom - w.top) for w in sure)
        if text_area > TEXT_SHARE * (area[2] - area[0]) * (area[3] - area[1]):
            continue
        if sum(len(w.text) for w in sure) >= TEXT_LETTERS:
            continue  # a whole page printed on a tint (a flyer): its text is sparse, not texture
        photos.append(
            (
                area,
                scan.save_crop(image, area, folder / f"p{number:02d}-scan-{area[0]:.0f}-{area[1]:.0f}.png"),
            )
        )
        words = [w for w in words if w not in inside]
    return photos, words


def _confidence(words: list[Glyph]) -> float | None:
    weight = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / weight if weight else None


def plausibility(words: list[Glyph]) -> float:
    """Share of characters that can be Japanese text, less the share of stray single Latin
    letters: OCR noise is symbols and lone letters (a 0 read as O, specks as l or i)."""
    text = "".join(w.text for w in words)
    text = re.sub(r"\s", "", text)
    if not text:
        return 0.0
    clean = len(PLAUSIBLE.findall(text)) / len(text)
    stray = len(re.findall(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", text)) / len(text)
    return clean - stray
