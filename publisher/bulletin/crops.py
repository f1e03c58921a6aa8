"""Crops of the printed pages for the review page: each page rendered once (pdftoppm), cut
around where an article, or text left out of the drafts, was printed (Pillow)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .records import Box, BulletinRecord

REVIEW_DPI = 100  # sharp enough to read body text on a PC screen, small enough for an artifact
MARGIN = 6.0  # points around an article's boxes


@dataclass(frozen=True)
class Crop:
    name: str  # PNG file name in the crop folder
    page: int  # 1-based
    box: tuple[float, float, float, float] | None  # x0, top, x1, bottom in points; None: whole page


@dataclass(frozen=True)
class CropImage:
    data: bytes
    width: int
    height: int


def around(stem: str, boxes: tuple[Box, ...] | list[Box]) -> tuple[Crop, ...]:
    """One crop per page around the boxes printed on it, named after `stem` and the page."""
    by_page: dict[int, list[Box]] = {}
    for box in boxes:
        by_page.setdefault(box.page, []).append(box)
    return tuple(
        Crop(
            f"{stem}-p{page:02d}.png",
            page,
            (
                min(b.x0 for b in boxes) - MARGIN,
                min(b.top for b in boxes) - MARGIN,
                max(b.x1 for b in boxes) + MARGIN,
                max(b.bottom for b in boxes) + MARGIN,
            ),
        )
        for page, boxes in by_page.items()
    )


def make_crops(source: Path, crops: list[Crop], dpi: int = REVIEW_DPI) -> dict[str, CropImage]:
    """Each page rendered once with pdftoppm and cut with Pillow; a page that cannot be rendered
    (no pdftoppm, a broken PDF) has no crops: the page says so."""
    made: dict[str, CropImage] = {}
    pages = sorted({c.page for c in crops})
    if not pages or not shutil.which("pdftoppm") or not _complete(source):
        return made
    with tempfile.TemporaryDirectory(prefix="bulletin-review-") as work:
        range_ = ["-f", str(pages[0]), "-l", str(pages[-1])]  # one run: fonts are looked up once
        try:
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), *range_, str(source), f"{work}/page"],
                capture_output=True,
                timeout=60 + 10 * len(pages),
            )
        except subprocess.TimeoutExpired:
            return made
        rendered = {int(p.stem.rsplit("-", 1)[1]): p for p in Path(work).glob("page-*.ppm")}
        for page in (p for p in pages if p in rendered):  # a page pdftoppm could not draw has no crops
            with Image.open(rendered[page]) as image:
                image.load()
                for crop in (c for c in crops if c.page == page):
                    made[crop.name] = _cut(image, crop.box, dpi)
    return made


def _complete(source: Path) -> bool:
    """A whole PDF: %%EOF within its last 1,024 bytes, as Acrobat requires (a cut-off file is not drawn)."""
    with source.open("rb") as file:
        file.seek(max(0, source.stat().st_size - 1024))
        return b"%%EOF" in file.read()


def _cut(image: Image.Image, box: tuple[float, float, float, float] | None, dpi: int) -> CropImage:
    if box is not None:
        scale = dpi / 72
        left, top = max(0, round(box[0] * scale)), max(0, round(box[1] * scale))
        right, bottom = min(image.width, round(box[2] * scale)), min(image.height, round(box[3] * scale))
        if right - left >= 8 and bottom - top >= 8:  # a box off the page shows the whole page
            image = image.crop((left, top, right, bottom))
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG")
    return CropImage(out.getvalue(), image.width, image.height)


def no_crop_reason(record: BulletinRecord, made: dict[str, CropImage], wanted: list[Crop]) -> str:
    """Why the page shows text without crops ("" when every crop was made)."""
    if record.source.suffix.lower() != ".pdf":
        return (
            f"元のファイルが Word（{record.source.suffix.lower()}）のため、紙面の切り抜きはありません。"
            "Word の文書と見比べてください。"
        )
    if any(c.name not in made for c in wanted):
        return (
            "紙面の一部の画像を作れませんでした（pdftoppm がないか、PDF が読めません。"
            "Debian パッケージ poppler-utils を入れてください）。元の PDF と見比べてください。"
        )
    return ""
