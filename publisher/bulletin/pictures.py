"""Pictures found on bulletin pages: QR codes decoded to links, photos and figures kept, ornaments dropped.

Pure functions of a Pillow image (and, for `judge`, its printed size in points); no files, no PDF.
The importer calls `upright` on every image it takes out of a PDF, `find_qr_codes` on every
picture (and on whole scanned pages) to turn codes into links, and `judge` to decide what to keep.

QR codes are read with zxing-cpp (its wheels carry the C++ library: no Debian package needed).
Its decoder checks the Reed–Solomon error correction, so texture in a photo does not come out
as a code; a code too small or too blurred to read is missed, never guessed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image, ImageChops, ImageFilter, ImageOps

QR, PHOTO, FIGURE, ORNAMENT = "qr", "photo", "figure", "ornament"

# Upscaling: zxing needs about 2 pixels per module. A 1 cm code of a long URL (33 modules) in a
# 200-dpi scan has 2.4; read at twice the size with a fixed threshold it decodes, at its own size it
# does not. Images larger than this many pixels once doubled are read at their own size only
# (at 300 dpi and more, codes are big enough; a doubled A3 page at 600 dpi would take 1 GB).
MAX_UPSCALED_PIXELS = 40_000_000
TINY_IMAGE = 300  # px: an image this small (a code exported at 1 px per module) is enlarged to it
QUIET_ZONE = 0.1  # white margin added around the image (share of its long side), for tight crops
QR_SHARE = 0.25  # a picture this much covered by one code is the code (a code beside a caption)

# Picture kinds, in points as printed (1 pt = 1/72 in = 0.35 mm).
MIN_SIDE = 36  # pt (1.3 cm): narrower pictures are bullets, icons, rules and slivers of a cut picture
SMALL = 72  # pt (2.5 cm): a picture within this square is a logo, mascot or clip-art unless a photo
STRIP = 4.0  # long side / short side: bands, borders, heading bars and advert edges cut by the layout
# Tones are measured at 100 px per inch (so a scan and a born-digital image of the same print
# compare), after a 3×3 median that removes JPEG and scanner noise.
# LUMA_PHOTO / COLOUR_PHOTO: bits of entropy of the grey levels (32 bins) / of the colours (3 bits
# per channel). On the seven real scans most photos measured 4.4–4.8 grey and 3.9–5.6 colour, but a
# blurred close-up 3.4 and photos printed in one ink 3.9–4.1 grey and 3.3–3.9 colour; illustrations,
# maps, charts and headings 2.0–4.4 grey and 1.6–4.0 colour (scanned edges and gradient fills add
# tones). So a photo is told from a figure only at either end; in between: kept, flagged.
LUMA_PHOTO, COLOUR_PHOTO = 4.4, 4.0
LUMA_FLAT, COLOUR_FLAT = 3.8, 3.4
# Nearly empty: a pale tint, a background silhouette, one huge letter of a masthead. Edges are the
# share of pixels whose 3×3 neighbourhood spans ≥ 64 grey levels (outlines, strokes of text).
EMPTY_EDGES, EMPTY_LUMA = 0.04, 3.0

NOTE_UNSURE = "写真か図か判断できませんでした。載せるかどうか確認してください"
NOTE_FIGURE = "図・地図・表などの画像です。読み取れる情報を本文にも書いてください"
NOTE_SMALL_PHOTO = "小さな写真です。広告や飾りの一部でないか確認してください"
NOTE_WIDE_PHOTO = "細長い写真です。飾りや広告の切れ端でないか確認してください"
NOTE_UNREADABLE_QR = "QRコードを読み取れませんでした。リンク先を確認して本文に書いてください"


@dataclass(frozen=True)
class QrCode:
    text: str  # the decoded payload
    url: str | None  # when it is a web address (http/https, or a bare www. address made https)
    box: tuple[int, int, int, int]  # x0, top, x1, bottom in pixels of the image given


@dataclass(frozen=True)
class Judgement:
    kind: str  # QR, PHOTO, FIGURE or ORNAMENT; ornaments are to be dropped
    sure: bool  # False: a person should look (the review page shows the picture with the note)
    note: str = ""  # for the review page, in Japanese; empty when there is nothing to say
    codes: tuple[QrCode, ...] = ()  # the QR codes read in the picture, whatever its kind


def find_qr_codes(image: Image.Image, *, enlarge: bool = True) -> list[QrCode]:
    """QR codes in the image (a picture or a whole page), top to bottom, either polarity.
    `enlarge=False` reads it at its own size only (a page scanned at 300 dpi: codes are big
    enough, and a doubled page costs seconds and hundreds of megabytes)."""
    grey = _flatten(image).convert("L")
    found: list[QrCode] = []
    if not grey.width or not grey.height:
        return found
    views = _views(grey) if enlarge else [next(_views(grey))]
    for view, scale, pad, binarizer in views:
        for polarity in (view, ImageOps.invert(view)):  # dark on light, then light on dark
            padded = ImageOps.expand(polarity, pad, fill=255)
            for result in zxingcpp.read_barcodes(
                padded, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False, binarizer=binarizer
            ):
                if result.valid and result.text.strip():
                    code = _code(result, scale, pad, grey.size)
                    if not any(_same(code, other) for other in found):
                        found.append(code)
    return sorted(found, key=lambda c: (c.box[1], c.box[0]))


def url_of(text: str) -> str | None:
    """The web address a QR payload stands for, or None (a phone number, plain text, a vCard)."""
    text = text.strip()
    if text[:4].lower() == "url:":  # some generators write "URL:http://…"
        text = text[4:]
    if not text or any(c.isspace() for c in text):
        return None
    if text[:4].lower() == "www.":
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "." not in (parts.hostname or ""):
        return None
    # Codes in alphanumeric mode are upper case ("HTTPS://EXAMPLE.JP/A1"): the scheme and host
    # are not case-sensitive, the path is and stays as it is.
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def upright(image: Image.Image, *, decode: Sequence[float] | None = None) -> Image.Image:
    """The image with paper light and ink dark, transparency flattened on white.

    `decode` is the PDF image's /Decode array when the caller has it: pdfminer's ImageWriter
    writes samples as stored, so [1 0] (as in many image masks) means the file is inverted
    (except unfiltered 8-bit grey images, which it inverts itself: pass their array reversed).
    Without it, only an image of two tones is ever inverted, and only on evidence: a QR code that
    reads only inverted, or a dark border round a mostly dark image (an inverted mask: a logo on
    paper has a light border). Photos are never inverted by guess. A real white-on-black
    two-tone picture with no code in it would be inverted wrongly; bulletins print those as
    vector art, not images, which is why the rule is acceptable.
    """
    flat = _flatten(image)
    if decode is not None and len(decode) >= 2:
        return ImageOps.invert(flat) if decode[0] > decode[1] else flat
    grey = flat.convert("L")
    if not _two_tone(grey):
        return flat
    if _reads_only_inverted(grey) or (_border_dark(grey) > 0.9 and _dark(grey) > 0.6):
        return ImageOps.invert(flat)
    return flat


def judge(image: Image.Image, *, width_pt: float, height_pt: float) -> Judgement:
    """What a picture printed width_pt × height_pt points is, and whether a person should look."""
    image = _flatten(image)
    area = image.width * image.height
    if not area:
        return Judgement(ORNAMENT, True)
    codes = tuple(find_qr_codes(image))
    if any(_area(c.box) >= QR_SHARE * area for c in codes):
        return Judgement(QR, True, codes=codes)
    if _unreadable_qr(image):
        return Judgement(QR, False, NOTE_UNREADABLE_QR, codes)
    short, long = sorted((width_pt, height_pt))
    if short < MIN_SIDE:
        return Judgement(ORNAMENT, True, codes=codes)
    luma, colour, edges = _measures(image, width_pt, height_pt)
    photo = luma >= LUMA_PHOTO or colour >= COLOUR_PHOTO
    flat = luma < LUMA_FLAT and colour < COLOUR_FLAT
    if long / short >= STRIP:
        if photo and short >= SMALL:  # a panorama, or a band cut off a photo
            return Judgement(PHOTO, False, NOTE_WIDE_PHOTO, codes)
        return Judgement(ORNAMENT, True, codes=codes)
    if edges <= EMPTY_EDGES and luma <= EMPTY_LUMA:
        return Judgement(ORNAMENT, True, codes=codes)
    if long < SMALL:
        if photo:
            return Judgement(PHOTO, False, NOTE_SMALL_PHOTO, codes)
        return Judgement(ORNAMENT, True, codes=codes)
    if photo:
        return Judgement(PHOTO, True, codes=codes)
    if flat:
        return Judgement(FIGURE, True, NOTE_FIGURE, codes)
    return Judgement(FIGURE, False, NOTE_UNSURE, codes)


def kind_of(image: Image.Image, *, width_pt: float, height_pt: float) -> str:
    """QR, PHOTO, FIGURE or ORNAMENT (see `judge` for the doubt and the codes)."""
    return judge(image, width_pt=width_pt, height_pt=height_pt).kind


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or L, transparency composited on white paper."""
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("RGB")
    if image.mode in ("1", "I", "I;16", "F"):
        return image.convert("L")
    if image.mode not in ("L", "RGB"):
        return image.convert("RGB")
    return image


def _views(grey: Image.Image):
    """(image, scale, quiet-zone pad, binarizer) to read: as given, then enlarged."""
    local, fixed = zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.FixedThreshold
    pad = max(8, round(QUIET_ZONE * max(grey.size)))
    yield grey, 1, pad, local
    long = max(grey.size)
    if long < TINY_IMAGE:  # pixel-exact modules stay sharp: nearest neighbour
        scale = math.ceil(TINY_IMAGE / long)
        big = grey.resize((grey.width * scale, grey.height * scale), Image.Resampling.NEAREST)
        yield big, scale, pad * scale, local
    elif grey.width * grey.height * 4 <= MAX_UPSCALED_PIXELS:
        big = grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.BICUBIC)
        yield big, 2, pad * 2, local
        yield big, 2, pad * 2, fixed


def _code(result, scale: int, pad: int, size: tuple[int, int]) -> QrCode:
    p = result.position
    xs = [(pt.x - pad) / scale for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
    ys = [(pt.y - pad) / scale for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
    box = (
        max(0, math.floor(min(xs))),
        max(0, math.floor(min(ys))),
        min(size[0], math.ceil(max(xs)) + 1),
        min(size[1], math.ceil(max(ys)) + 1),
    )
    return QrCode(result.text, url_of(result.text), box)


def _same(a: QrCode, b: QrCode) -> bool:
    """One code read twice (another scale or polarity): same text, overlapping boxes.
    Two codes with the same link side by side (a page repeats a ticket site) stay two."""
    x0, y0 = max(a.box[0], b.box[0]), max(a.box[1], b.box[1])
    x1, y1 = min(a.box[2], b.box[2]), min(a.box[3], b.box[3])
    return a.text == b.text and x1 > x0 and y1 > y0


def _area(box: tuple[int, int, int, int]) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])


def _unreadable_qr(image: Image.Image) -> bool:
    """The picture is mostly a QR code (finder patterns found) that does not decode.

    zxing reports such symbols with an error when asked; on whole pages it also reports text as
    failed codes, so this is used only where the failed symbol covers most of the picture."""
    grey = image.convert("L")
    area = grey.width * grey.height
    for polarity in (grey, ImageOps.invert(grey)):
        pad = max(8, round(QUIET_ZONE * max(grey.size)))
        padded = ImageOps.expand(polarity, pad, fill=255)
        for result in zxingcpp.read_barcodes(
            padded, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False, return_errors=True
        ):
            if not result.valid and _area(_code(result, 1, pad, grey.size).box) >= 2 * QR_SHARE * area:
                return True
    return False


def _two_tone(grey: Image.Image) -> bool:
    """Both ink and paper, and little else: a mask, a line drawing, a code (blurred and JPEG'd, a
    scanned code still has 85 % of its pixels in the outer quarters). A dark photo has no paper."""
    hist = grey.histogram()
    total, dark, light = sum(hist), sum(hist[:64]), sum(hist[192:])
    return dark + light >= 0.85 * total and min(dark, light) >= 0.05 * total


def _dark(grey: Image.Image) -> float:
    hist = grey.histogram()
    return sum(hist[:128]) / max(1, sum(hist))


def _border_dark(grey: Image.Image) -> float:
    """Share of dark pixels on the outermost ring (2 % of the short side, at least 1 px)."""
    w, h = grey.size
    ring = max(1, round(0.02 * min(w, h)))
    strips = [(0, 0, w, ring), (0, h - ring, w, h), (0, 0, ring, h), (w - ring, 0, w, h)]
    dark = total = 0
    for strip in strips:
        hist = grey.crop(strip).histogram()
        dark, total = dark + sum(hist[:128]), total + sum(hist)
    return dark / max(1, total)


def _reads_only_inverted(grey: Image.Image) -> bool:
    def reads(img: Image.Image) -> bool:
        padded = ImageOps.expand(img, max(8, round(QUIET_ZONE * max(img.size))), fill=255)
        return bool(zxingcpp.read_barcodes(padded, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False))

    return not reads(grey) and reads(ImageOps.invert(grey))


def _measures(image: Image.Image, width_pt: float, height_pt: float) -> tuple[float, float, float]:
    """(grey-level entropy, colour entropy, edge share) at 100 px per inch, 300 px at most."""
    w, h = max(1.0, width_pt * 100 / 72), max(1.0, height_pt * 100 / 72)
    fit = min(1.0, 300 / max(w, h))
    size = (max(8, round(w * fit)), max(8, round(h * fit)))
    small = image.convert("RGB").resize(size, Image.Resampling.BOX).filter(ImageFilter.MedianFilter(3))
    grey = small.convert("L")
    luma = _entropy([sum(grey.histogram()[i : i + 8]) for i in range(0, 256, 8)])
    colours = small.point(lambda v: v >> 5).getcolors(512) or []
    colour = _entropy([count for count, _ in colours])
    spread = ImageChops.subtract(grey.filter(ImageFilter.MaxFilter(3)), grey.filter(ImageFilter.MinFilter(3)))
    hist = spread.histogram()
    return luma, colour, sum(hist[64:]) / sum(hist)


def _entropy(counts: list[int]) -> float:
    total = sum(counts)
    return -sum(c / total * math.log2(c / total) for c in counts if c)
