"""Read a paper-bulletin PDF (born-digital or scanned) into a BulletinRecord.

pdfminer.six gives every glyph with its position; CID fonts without a ToUnicode map are
decoded through the Adobe-Japan1 CMap that pdfminer ships. We rebuild lines ourselves
(layout.py) because DTP output positions glyphs one by one. Pages without a usable text layer
go to Tesseract (ocr.py); both feed the same text rules (headings, notices, paragraphs) below.
"""

from __future__ import annotations

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

from . import layout
from . import ocr as ocr_reader
from .articles import build_articles
from .layout import Glyph, PageContent, Region, find_tables
from .records import BulletinRecord, Check, Picture

MIN_TEXT_GLYPHS = 20  # fewer readable characters than this: the page is treated as a scan
MIN_PICTURE = 36  # points; smaller images are ornaments and icons
# Adobe-Japan1 has one glyph for both; Japanese web text uses the full-width tilde (～).
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
    boxes: tuple[tuple[float, float, float, float], ...]  # stroked rectangles
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
    scans = [r.number for r in raws if ocr == "always" or (ocr == "auto" and _needs_ocr(r))]
    checks: list[Check] = []
    if scans:
        ocr_reader.require_tesseract()
    read = ocr_reader.read_pages(path, scans, workdir) if scans else {}
    pages = [_page(r, read.get(r.number), workdir) for r in raws]
    for raw in raws:
        if raw.unreadable and raw.number not in read:
            checks.append(
                Check(
                    raw.number,
                    f"{raw.number}ページ: 読み取れない文字が {raw.unreadable} 字ありました（文字化けしていないか確認してください）",
                )
            )
    for number in scans:
        checks.append(
            Check(
                number,
                f"{number}ページ: 文字認識（OCR）で読み取りました。原本と照らし合わせて誤りを直してください",
            )
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


def _picture_file(path: Path) -> Picture:
    from PIL import Image

    with Image.open(path) as image:
        return Picture(path, *image.size)


def _speck_in_gutter(word: Glyph, gutters) -> bool:
    return len(word.text) <= 2 and any(g0 - 1 <= word.x0 and word.x1 <= g1 + 1 for g0, g1 in gutters)


def _needs_ocr(raw: _Raw) -> bool:
    readable = len(raw.glyphs) - raw.unreadable
    return readable < MIN_TEXT_GLYPHS or raw.unreadable > readable


def _read_pages(path: Path) -> list[_Raw]:
    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=None)  # raw objects: we do the layout
        interpreter = PDFPageInterpreter(manager, device)
        raws = []
        for number, page in enumerate(PDFPage.create_pages(document), 1):
            interpreter.process_page(page)
            raws.append(_raw(number, device.get_result()))
    return raws


def _raw(number: int, lt_page) -> _Raw:
    height = lt_page.height
    glyphs, segments, boxes, images, unreadable = [], [], [], [], 0

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
                elif not text.isspace():  # spaces are measured from the gaps instead
                    glyphs.append(Glyph(text, *box(o), size=o.size))
            elif isinstance(o, LTImage):
                images.append((o, box(o)))
            elif isinstance(o, LTFigure):
                walk(o)
            elif isinstance(o, (LTLine, LTRect, LTCurve)):
                x0, top, x1, bottom = box(o)
                if x1 - x0 < 2.5 or bottom - top < 2.5:
                    segments.append((x0, top, x1, bottom))
                elif isinstance(o, LTRect) and o.stroke and x1 - x0 > 40 and bottom - top > 20:
                    boxes.append((x0, top, x1, bottom))

    walk(lt_page)
    return _Raw(
        number, lt_page.width, height, tuple(glyphs), unreadable, tuple(segments), tuple(boxes), tuple(images)
    )


def _page(raw: _Raw, scanned: ocr_reader.OcrPage | None, workdir: Path) -> PageContent:
    """Lines and regions of one page, not yet in reading order."""
    if scanned is not None:
        regions = [Region(*bbox, payload=_picture_file(file)) for bbox, file in scanned.pictures]
        gutters = layout.find_gutters(scanned.words, regions)
        rows = [[w for w in row if not _speck_in_gutter(w, gutters)] for row in scanned.lines]
        lines = [ln for row in rows if row for ln in layout.split_row(row, gutters, wide=0.9)]
        # Specks at the edge of a scan are read as | _ or -: not text.
        lines = [replace(ln, text=ln.text.strip(OCR_SPECKS)) for ln in lines if ln.text.strip(OCR_SPECKS)]
        return PageContent(raw.number, raw.width, raw.height, lines, regions, gutters, ocr=True)
    glyphs = list(raw.glyphs)
    regions: list[Region] = []
    for bbox, table in find_tables(raw.segments, glyphs):
        regions.append(Region(*bbox, payload=table))
        glyphs = [g for g in glyphs if not layout.inside(g, bbox)]
    for bbox in raw.boxes:
        inside = [g for g in glyphs if layout.inside(g, bbox)]
        if inside and not any(_inside_box(bbox, r) for r in regions):
            regions.append(Region(*bbox, lines=layout.box_lines(layout.build_lines(inside))))
            glyphs = [g for g in glyphs if not layout.inside(g, bbox)]
    for image, bbox in raw.images:
        picture = _save_picture(image, bbox, workdir, raw.number)
        if picture:
            regions.append(Region(*bbox, payload=picture))
    gutters = layout.find_gutters(list(raw.glyphs), regions)
    lines = layout.build_lines(glyphs, gutters)
    return PageContent(raw.number, raw.width, raw.height, lines, regions, gutters)


def _inside_box(bbox, region: Region) -> bool:
    x0, top, x1, bottom = bbox
    return (
        x0 >= region.x0 - 2 and x1 <= region.x1 + 2 and top >= region.top - 2 and bottom <= region.bottom + 2
    )


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
    kept = layout.running_heads([p.lines for p in pages], [p.height for p in pages])
    return [p.with_lines(lines) for p, lines in zip(pages, kept, strict=True)]


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
