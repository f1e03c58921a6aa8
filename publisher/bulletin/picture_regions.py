"""Pictures cut from a page, as regions of the page: a QR code becomes the link it holds, an
ornament (a bullet, a band, a sliver of an advert) is dropped, photos and figures are kept.

pictures.py judges the pixels; this module knows where the pictures sit on the page.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from .layout import Region
from .pictures import ORNAMENT, QR, find_qr_codes, judge, upright
from .records import Link, Picture

Box = tuple[float, float, float, float]  # points from the page's top-left corner


def picture_regions(path: Path, box: Box) -> list[Region]:
    """The regions one picture file printed at `box` becomes (none for an ornament)."""
    try:
        with Image.open(path) as opened:
            image = opened.copy()
    except OSError:
        return []
    fixed = upright(image)
    if fixed is not image:  # an inverted mask (white on black): save the picture the right way round
        fixed.save(path)
    verdict = judge(fixed, width_pt=box[2] - box[0], height_pt=box[3] - box[1])
    links = [Region(*box, payload=Link(code.url)) for code in verdict.codes if code.url]
    if verdict.kind == QR or verdict.kind == ORNAMENT:
        return links
    picture = Picture(path, fixed.width, fixed.height, note=verdict.note)
    return [Region(*box, payload=picture), *links]


def page_codes(image: Image.Image, scale: float) -> list[tuple[Box, Link | None]]:
    """QR codes on a whole scanned page, with their boxes in points (`scale`: points per pixel);
    a code that holds no web address gives no link but its box still is not text."""
    return [
        (tuple(v * scale for v in code.box), Link(code.url) if code.url else None)
        for code in find_qr_codes(image, enlarge=False)
    ]
