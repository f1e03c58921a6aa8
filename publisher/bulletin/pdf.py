"""Read a paper-bulletin PDF (born-digital or scanned) into a BulletinRecord.

pdfminer.six gives every glyph with its position; CID fonts without a ToUnicode map are
decoded through the Adobe-Japan1 CMap that pdfminer ships. We rebuild lines ourselves
(layout.py) because DTP output positions glyphs one by one. Pages without a usable text layer
go to Tesseract (ocr.py); both feed the same text rules (headings, notices, paragraphs) below.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from pdfminer.converter import PDFPageAggregator
from pdfminer.image import ImageWriter
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException

from . import ocr as ocr_reader
from .articles import build_articles
from .heads import running_heads
from .layout import Glyph, PageContent, Region, clean_glyphs, inside, without_ruby_words
from .picture_regions import picture_regions
from .records import RISK_OCR, BulletinRecord, Check, Picture
from .segment import Frame, reading_order, vertical_region, vertical_runs
from .tables import find_tables, rect_edges
from .tsv import is_speck

MAX_PAGES = 100  # a monthly bulletin has 8–40; a 2,000-page file would run for an hour
MIN_TEXT_GLYPHS = 20  # fewer readable characters than this: the page is treated as a scan
MIN_PICTURE = 36  # points; smaller images are ornaments and icons
# Adobe-Japan1 has one glyph for both; Japanese web text uses the full-width tilde (～).
progress = logging.getLogger("publisher.bulletin")  # the command line shows it page by page
TEXT_FIXES = str.maketrans({"\u301c": "\uff5e"})
OCR_SPECKS = "|_-‐~.・' \u3000"


@dataclass(frozen=True)
class _Raw:
    """What pdfminer found on one page, in top-down coordinates."""

    number: int
    width: float
    height: float
    glyphs: tuple[Glyph, ...]
    unreadable: int  # glyphs pdfminer could not map to Unicode: (cid:NN)
    segments: tuple[tuple[float, float, float, float], ...]  # thin lines: x0, top, x1, bottom
    boxes: tuple[tuple[float, float, float, float], ...]  # stroked rectangles big enough to frame text
    cells: tuple[tuple[float, float, float, float], ...]  # every stroked rectangle: table cells among them
    images: tuple[tuple[LTImage, tuple[float, float, float, float]], ...]


def extract_pdf(path: Path, ocr: str = "auto", workdir: Path | None = None) -> BulletinRecord:
    """Read a bulletin. ocr: "auto" (pages without a usable text layer), "always" or "never".
    Pictures and the cover are written into `workdir` (a new temporary folder by default)."""
    if ocr not in ("auto", "always", "never"):
        raise ValueError(f"ocr は auto・always・never のどれかです（{ocr!r} が指定されました）")
    path = Path(path)
    workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="bulletin-"))
    workdir.mkdir(parents=True, exist_ok=True)
    raws = _read_pages(path)
    scans = [
        r.number for r in raws if ocr == "always" or (ocr == "auto" and (_needs_ocr(r) or _ocr_layer(r)))
    ]
    checks: list[Check] = []
    if scans:
        ocr_reader.require_tesseract()
    layers = {r.number: list(r.glyphs) for r in raws if r.number in scans and _ocr_layer(r)}
    read = ocr_reader.read_pages(path, scans, workdir, layers) if scans else {}
    pages = [_safe_page(r, read.get(r.number), workdir, checks) for r in raws]
    for raw in raws:
        if raw.unreadable and raw.number not in read:
            checks.append(
                Check(
                    raw.number,
                    f"{raw.number}ページ: 読み取れない文字が {raw.unreadable} 字ありました（文字化けしていないか確認してください）",
                )
            )
    for number in scans:
        how = (
            "元の PDF の文字情報の方が確かだったため、それを使いました"
            if read[number].source == "layer"
            else "文字認識（OCR）で読み取りました"
        )
        checks.append(
            Check(number, f"{number}ページ: {how}。原本と照らし合わせて誤りを直してください", RISK_OCR)
        )
    if ocr == "never":
        for raw in raws:
            if _needs_ocr(raw):
                checks.append(
                    Check(
                        raw.number,
                        f"{raw.number}ページ: 文字が読み取れませんでした（画像だけのページです。--ocr auto で読み取れます）",
                    )
                )
    articles, article_checks = build_articles(_without_running_heads(pages))
    cover, cover_checks = _cover(path, workdir)
    return BulletinRecord(
        source=path,
        page_count=len(raws),
        articles=tuple(articles),
        cover=cover,
        ocr_pages=tuple(scans),
        checks=tuple(checks + article_checks + cover_checks),
    )


def _safe_page(raw: _Raw, scanned, workdir: Path, checks: list[Check]) -> PageContent:
    """A page, or an empty one and a check naming it when reading it failed: a staff member gets
    the other pages and a message, never a traceback."""
    try:
        return _page(raw, scanned, workdir)
    except Exception as error:  # any failure on one page must not lose the others
        checks.append(
            Check(
                raw.number,
                f"{raw.number}ページを読み取れませんでした（{type(error).__name__}）。PDFを見て、このページの記事を手で入力してください",
                RISK_OCR,
            )
        )
        return PageContent(raw.number, raw.width, raw.height, ())


def _ocr_layer(raw: _Raw) -> bool:
    """An invisible text layer left by an earlier OCR run (Tesseract's GlyphLessFont)."""
    return bool(raw.glyphs) and sum("GlyphLess" in g.font for g in raw.glyphs) * 2 > len(raw.glyphs)


def _speck_in_gutter(word: Glyph, gutters) -> bool:
    return len(word.text) <= 2 and any(g0 - 1 <= word.x0 and word.x1 <= g1 + 1 for g0, g1 in gutters)


def _needs_ocr(raw: _Raw) -> bool:
    readable = len(raw.glyphs) - raw.unreadable
    return readable < MIN_TEXT_GLYPHS or raw.unreadable > readable


class UnreadablePdf(ValueError):
    """The file is not a PDF pdfminer can read (cut off, damaged, not a PDF at all)."""


class TooManyPages(ValueError):
    """More pages than any bulletin has: a wrong file, or one that would run for an hour."""

    def __init__(self, pages: int):
        super().__init__(pages)
        self.pages = pages


def _read_pages(path: Path) -> list[_Raw]:
    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            manager = PDFResourceManager(caching=True)
            device = PDFPageAggregator(manager, laparams=None)  # raw objects: we do the layout
            interpreter = PDFPageInterpreter(manager, device)
            pages = list(PDFPage.create_pages(document))
            if len(pages) > MAX_PAGES:
                raise TooManyPages(len(pages))
            raws = []
            for number, page in enumerate(pages, 1):
                interpreter.process_page(page)
                raws.append(_raw(number, device.get_result()))
                progress.info("%d/%d ページ目の文字と図を読みました", number, len(pages))
    except PSException as error:
        raise UnreadablePdf(str(error)) from None
    return raws


def _raw(number: int, lt_page) -> _Raw:
    height = lt_page.height
    glyphs, segments, boxes, cells, images, unreadable = [], [], [], [], [], 0

    def box(o) -> tuple[float, float, float, float]:
        return (
            o.x0 - lt_page.x0,
            height - (o.y1 - lt_page.y0),
            o.x1 - lt_page.x0,
            height - (o.y0 - lt_page.y0),
        )

    def walk(objects):
        nonlocal unreadable
        for o in objects:
            if isinstance(o, LTChar):
                text = o.get_text().translate(TEXT_FIXES)
                if text.startswith("(cid:"):
                    unreadable += 1
                elif not text.isspace() and o.size >= 0.5:  # spaces are measured from the gaps; an OCR
                    # layer may hold zero-size glyphs, which would be lines of no height
                    colour = _colour(o.graphicstate.ncolor)
                    glyphs.append(Glyph(text, *box(o), size=o.size, font=o.fontname, colour=colour))
            elif isinstance(o, LTImage):
                images.append((o, box(o)))
            elif isinstance(o, LTFigure):
                walk(o)
            elif isinstance(o, (LTLine, LTRect, LTCurve)):
                x0, top, x1, bottom = box(o)
                if x1 - x0 < 2.5 or bottom - top < 2.5:
                    segments.append((x0, top, x1, bottom))
                elif isinstance(o, LTRect) and o.stroke:
                    cells.append((x0, top, x1, bottom))
                    if x1 - x0 > 40 and bottom - top > 20:
                        boxes.append((x0, top, x1, bottom))

    walk(lt_page)
    return _Raw(
        number,
        lt_page.width,
        height,
        tuple(glyphs),
        unreadable,
        tuple(segments),
        tuple(boxes),
        tuple(cells),
        tuple(images),
    )


def _colour(value) -> str:
    """A fill colour as #rrggbb (grey, RGB or CMYK as pdfminer gives it); "" when unknown."""
    if isinstance(value, (int, float)):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not all(isinstance(v, (int, float)) for v in value):
        return ""
    if len(value) == 1:
        rgb = (value[0],) * 3
    elif len(value) == 3:
        rgb = tuple(value)
    elif len(value) == 4:
        c, m, y, k = value
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    else:
        return ""
    return "#" + "".join(f"{max(0, min(255, round(v * 255))):02x}" for v in rgb)


def _page(raw: _Raw, scanned: ocr_reader.OcrPage | None, workdir: Path) -> PageContent:
    """One page in reading order, from its text layer or from OCR."""
    if scanned is not None:
        regions = [r for bbox, file in scanned.pictures for r in picture_regions(file, bbox)]
        regions += [Region(*bbox, payload=link) for bbox, link in scanned.codes if link]
        words = without_ruby_words([w for w in scanned.words if not is_speck(w.text, w.conf, OCR_SPECKS)])
        boxes = scanned.frames + scanned.cells
        segments = list(scanned.rules) + [edge for box in boxes for edge in rect_edges(*box)]
        tables = find_tables(segments, words)  # a grid of drawn boxes is a table's cells
        regions += [Region(*bbox, payload=table) for bbox, table in tables]
        words = [w for w in words if not any(inside(w, bbox) for bbox, _ in tables)]
        items = _read(words, regions, _frames(scanned.frames + scanned.panes, tables), wide=0.9)
        return PageContent(
            raw.number, raw.width, raw.height, tuple(items), ocr=True, confidence=scanned.confidence
        )
    glyphs, _ = clean_glyphs(list(raw.glyphs))
    segments = list(raw.segments) + [edge for box in raw.cells for edge in rect_edges(*box)]
    tables = find_tables(segments, glyphs)
    regions = [Region(*bbox, payload=table) for bbox, table in tables]
    glyphs = [g for g in glyphs if not any(inside(g, bbox) for bbox, _ in tables)]
    frames = _frames(raw.boxes, tables)
    for image, bbox in raw.images:
        picture = _save_picture(image, bbox, workdir, raw.number)
        if picture:
            regions += picture_regions(picture.path, bbox)
    items = _read(glyphs, regions, frames, wide=0.6)
    return PageContent(raw.number, raw.width, raw.height, tuple(items))


def _frames(boxes, tables) -> list[Frame]:
    """Drawn boxes that are not a table's cells or its outline."""
    return [
        Frame(*box)
        for box in boxes
        if not any(_inside_box(box, r) or _inside_box(r[:4], box) for r, _ in tables)
    ]


def _read(glyphs: list[Glyph], regions: list[Region], frames: list[Frame], wide: float) -> list:
    """Vertical labels set apart, then everything else in reading order."""
    runs, glyphs = vertical_runs(glyphs)
    regions = regions + [vertical_region(run) for run in runs]
    return reading_order(glyphs, regions, frames, wide)


def _inside_box(bbox, outer) -> bool:
    """Whether the box (x0, top, x1, bottom) lies within `outer` (the same), give or take 2 pt."""
    x0, top, x1, bottom = bbox
    ox0, otop, ox1, obottom = outer[:4]
    return x0 >= ox0 - 2 and x1 <= ox1 + 2 and top >= otop - 2 and bottom <= obottom + 2


def _save_picture(image: LTImage, bbox, workdir: Path, page: int) -> Picture | None:
    x0, top, x1, bottom = bbox
    if x1 - x0 < MIN_PICTURE or bottom - top < MIN_PICTURE:
        return None
    folder = workdir / "images"
    folder.mkdir(parents=True, exist_ok=True)
    image.name = f"p{page:02d}-{int(x0)}-{int(top)}"  # stable names, unique on a page
    try:
        name = ImageWriter(str(folder)).export_image(image)
    except Exception:  # an unusual colour space or filter: the report asks a person instead
        return None
    width, height = image.srcsize
    return Picture(folder / name, int(width or 0), int(height or 0))


def _without_running_heads(pages: list[PageContent]) -> list[PageContent]:
    kept = running_heads([list(p.items) for p in pages], [p.height for p in pages])
    return [replace(p, items=tuple(items)) for p, items in zip(pages, kept, strict=True)]


def _cover(path: Path, workdir: Path) -> tuple[Picture | None, list[Check]]:
    """Page 1, 600 px on its long side, for the archive's thumbnails."""
    if not shutil.which("pdftoppm"):
        return None, [
            Check(1, "表紙の画像を作れませんでした（Debian パッケージ poppler-utils を入れてください）")
        ]
    stem = workdir / "cover"
    done = subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-singlefile", "-png", "-scale-to", "600", str(path), str(stem)],
        capture_output=True,
    )
    cover = stem.with_suffix(".png")
    if done.returncode != 0 or not cover.exists():
        return None, [Check(1, "表紙の画像を作れませんでした（PDF を確認してください）")]
    from PIL import Image

    with Image.open(cover) as image:
        width, height = image.size
    return Picture(cover, width, height, caption="表紙"), []
