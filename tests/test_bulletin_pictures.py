"""Pictures on bulletin pages (publisher/bulletin/pictures.py), on images made here: QR codes from
segno, degraded the way scans and pdfminer's exports degrade them, photo-like noise, flat figures."""

from __future__ import annotations

import io
import random
import zlib

import pytest
import segno
import zxingcpp
from fixtures.bulletins.rawpdf import pdf_file
from pdfminer.high_level import extract_pages
from pdfminer.image import ImageWriter
from pdfminer.layout import LTImage
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from publisher.bulletin.pictures import (
    FIGURE,
    NOTE_FIGURE,
    NOTE_SMALL_PHOTO,
    NOTE_UNREADABLE_QR,
    NOTE_WIDE_PHOTO,
    ORNAMENT,
    PHOTO,
    QR,
    find_qr_codes,
    judge,
    kind_of,
    upright,
    url_of,
)

SHAKYO = "https://www.suzuka-shakyo.or.jp/membership/form.php"
FORM = "https://docs.google.com/forms/d/e/1FAIpQLScqzTzSSf5UmqWXc4uX/viewform"
DPI = 200


def qr(text: str, px: int | None = None, *, border: int = 4, error: str = "m") -> Image.Image:
    """Black on white, `px` pixels square (each pixel the average of what it covers, as a scanner's
    sensor sees a print), or with no size as a PDF stores it: 1 px per module."""
    out = io.BytesIO()
    segno.make_qr(text, error=error).save(out, kind="png", scale=1 if px is None else 10, border=border)
    image = Image.open(io.BytesIO(out.getvalue())).convert("L")
    return image.resize((px, px), Image.Resampling.BOX) if px else image


def scanned(image: Image.Image, quality: int = 40, blur: float = 0.8) -> Image.Image:
    """A print scanned at 200 dpi: slightly blurred, then JPEG blocks and ringing."""
    out = io.BytesIO()
    image.convert("RGB").filter(ImageFilter.GaussianBlur(blur)).save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def mm(millimetres: float) -> int:
    return round(millimetres / 25.4 * DPI)


def photo_like(size: tuple[int, int], seed: int) -> Image.Image:
    """Continuous tones (noise and gradients): smooth random light and shade with finer detail,
    each colour channel varying on its own, every grey level used as in a real photo."""
    rng = random.Random(seed)
    w, h = size

    def field(cell: int) -> Image.Image:  # noise on a coarse grid, enlarged smoothly
        gw, gh = max(2, w // cell), max(2, h // cell)
        coarse = Image.frombytes("L", (gw, gh), rng.randbytes(gw * gh))
        return ImageOps.equalize(coarse.resize(size, Image.Resampling.BICUBIC))

    light = ImageOps.equalize(Image.blend(field(max(w, h) // 6), field(6), 0.3))
    return Image.merge(
        "RGB", [ImageOps.equalize(Image.blend(light, field(max(w, h) // 4), 0.35)) for _ in "rgb"]
    )


def flat_figure(size: tuple[int, int] = (400, 300)) -> Image.Image:
    """A bar chart: white paper, three flat colours, black axes and labels."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.line([(40, 20), (40, h - 40), (w - 20, h - 40)], fill="black", width=3)
    for i, (height, colour) in enumerate([(120, "#3366cc"), (200, "#dc3912"), (80, "#ff9900")]):
        x = 70 + i * 100
        draw.rectangle([x, h - 40 - height, x + 60, h - 40], fill=colour)
        draw.text((x + 10, h - 30), f"R{i + 6}", fill="black")
    draw.text((60, 5), "Visitors 2026", fill="black")
    return image


def centre(box):
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


# QR codes


def test_a_plain_code_is_read_with_its_link_and_box():
    page = Image.new("L", (600, 400), 255)
    page.paste(qr(SHAKYO, 200), (300, 100))
    [code] = find_qr_codes(page)
    assert code.text == SHAKYO and code.url == SHAKYO
    x, y = centre(code.box)
    assert abs(x - 400) < 10 and abs(y - 200) < 10
    assert 300 <= code.box[0] < code.box[2] <= 500  # the code's own square, within the quiet zone


def test_an_inverted_mask_as_pdfminer_exports_it_is_read():
    """White on black, 1 bit, tight to the code: what an image mask with /Decode [1 0] gives."""
    inverted = ImageOps.invert(qr(SHAKYO, border=0)).convert("1")
    [code] = find_qr_codes(inverted)
    assert code.url == SHAKYO
    fixed = upright(inverted)
    assert [c.url for c in find_qr_codes(fixed)] == [SHAKYO]
    assert ImageOps.invert(fixed.convert("L")).getbbox() is not None  # some ink
    assert fixed.convert("L").getpixel((0, 0)) == 0  # the finder pattern's corner, dark again


def mask_pdf(bits: Image.Image, decode: tuple[int, int]) -> bytes:
    """A one-page PDF painting `bits` (mode "1") as a black image mask with that /Decode array."""
    data = zlib.compress(bits.tobytes())
    w, h = bits.size
    content = b"0 g q 150 0 0 150 100 500 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Image /ImageMask true /Width %d /Height %d /BitsPerComponent 1"
        b" /Decode [%d %d] /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (w, h, *decode, len(data), data),
    ]
    return pdf_file(objects, 1)


def test_a_code_printed_as_an_image_mask_with_decode_1_0_comes_out_of_pdfminer_inverted_and_is_fixed(
    tmp_path,
):
    """The issue's 18 inverted codes: the mask paints its 1 bits, pdfminer's ImageWriter writes the
    bits as they are (1 = white), so the exported file is white on black though the page is not."""
    url = "https://town.example/mask"
    dark_is_one = ImageOps.invert(qr(url, border=0).resize((100, 100), Image.Resampling.NEAREST)).convert("1")
    pdf = tmp_path / "mask.pdf"
    pdf.write_bytes(mask_pdf(dark_is_one, (1, 0)))
    [page] = extract_pages(pdf)
    [figure] = page  # pdfminer puts each image XObject in a figure of its own
    [image] = [o for o in figure if isinstance(o, LTImage)]
    exported = Image.open(tmp_path / ImageWriter(str(tmp_path)).export_image(image))
    assert exported.convert("L").getpixel((0, 0)) == 255  # a finder pattern's corner, white: inverted
    assert [c.url for c in find_qr_codes(exported)] == [url]
    for fixed in (upright(exported, decode=image.stream.get("Decode")), upright(exported)):
        assert fixed.convert("L").getpixel((0, 0)) == 0
    assert judge(exported, width_pt=image.width, height_pt=image.height).kind == QR


def test_an_inverted_code_with_its_dark_quiet_zone_is_read_and_turned_upright():
    inverted = ImageOps.invert(scanned(qr(FORM, 300)).convert("L"))
    assert [c.url for c in find_qr_codes(inverted)] == [FORM]
    assert upright(inverted).getpixel((2, 2)) > 200  # paper is light again


def test_a_code_rotated_five_degrees_is_read():
    rotated = qr(SHAKYO, 240).rotate(5, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    assert [c.url for c in find_qr_codes(scanned(rotated))] == [SHAKYO]


@pytest.mark.parametrize("size_mm", [20, 15, 12])
def test_a_small_code_in_a_200_dpi_scan_is_read(size_mm):
    """A 2 cm code has about 4 px per module at 200 dpi; 1.2 cm of a long URL about 2.4 px."""
    page = Image.new("RGB", (mm(60), mm(40)), "white")
    ImageDraw.Draw(page).text((10, 10), "詳細はこちら ⇒", fill="black")
    page.paste(qr(SHAKYO, mm(size_mm)).convert("RGB"), (mm(30), mm(10)))
    [code] = find_qr_codes(scanned(page))
    assert code.url == SHAKYO
    assert code.box[0] >= mm(30) - 2 and code.box[2] <= mm(30) + mm(size_mm) + 2


def test_a_blurred_11_mm_code_is_read_once_enlarged():
    """2.6 px per module, blurred and compressed hard: zxing misses it at its own size."""
    page = Image.new("L", (mm(40), mm(30)), 255)
    page.paste(qr(SHAKYO, mm(11)), (mm(10), mm(8)))
    image = scanned(page, quality=30, blur=0.9).convert("L")
    assert not zxingcpp.read_barcodes(image)  # the case the enlarged passes are for
    assert [c.url for c in find_qr_codes(image)] == [SHAKYO]


def test_a_code_exported_at_one_pixel_per_module_is_read():
    tiny = qr("https://town.example/a", border=0)  # 25 × 25 px, the size the PDF stores it at
    assert tiny.width < 40
    assert [c.url for c in find_qr_codes(tiny)] == ["https://town.example/a"]


def test_two_codes_on_one_crop_are_both_read_top_to_bottom_and_the_same_link_twice_stays_two():
    page = Image.new("L", (700, 900), 255)
    page.paste(qr(FORM, 220), (400, 600))
    page.paste(qr(SHAKYO, 200), (60, 80))
    page.paste(qr(SHAKYO, 200), (420, 80))
    codes = find_qr_codes(scanned(page))
    assert [c.url for c in codes] == [SHAKYO, SHAKYO, FORM]
    assert codes[0].box[2] < codes[1].box[0]  # side by side, not one code read twice


def test_a_code_pasted_into_a_photo_is_found_and_the_photo_stays_a_photo():
    photo = photo_like((900, 600), seed=3)
    photo.paste(qr(FORM, 160).convert("RGB"), (700, 400))
    image = scanned(photo, quality=60)
    assert [c.url for c in find_qr_codes(image)] == [FORM]
    verdict = judge(image, width_pt=324, height_pt=216)
    assert verdict.kind == PHOTO and [c.url for c in verdict.codes] == [FORM]


@pytest.mark.parametrize("seed", range(6))
def test_no_code_is_invented_in_photos_or_figures(seed):
    assert find_qr_codes(scanned(photo_like((800, 600), seed))) == []
    assert find_qr_codes(photo_like((300, 300), seed).convert("L")) == []
    assert find_qr_codes(flat_figure()) == []


def test_a_code_that_is_not_a_link_keeps_its_text():
    [code] = find_qr_codes(qr("TEL:059-382-5971", 200))
    assert code.text == "TEL:059-382-5971" and code.url is None


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://www.suzuka-shakyo.or.jp/", "https://www.suzuka-shakyo.or.jp/"),
        ("http://www.instagram.com/suzuka_karin", "http://www.instagram.com/suzuka_karin"),
        ("www.kirei.or.jp", "https://www.kirei.or.jp"),
        ("WWW.KIREI.OR.JP/Top", "https://www.kirei.or.jp/Top"),
        ("HTTPS://TOWN.EXAMPLE/AbC?x=1", "https://town.example/AbC?x=1"),
        ("URL:https://town.example/", "https://town.example/"),
        ("  https://town.example/a \n", "https://town.example/a"),
        ("https://town.example/a b", None),
        ("tel:0593825971", None),
        ("mailto:skkouiki@mecha.ne.jp", None),
        ("ftp://town.example/", None),
        ("https://localhost/", None),
        ("鈴鹿市社会福祉協議会", None),
        ("BEGIN:VCARD\nFN:Suzuka\nEND:VCARD", None),
        ("", None),
    ],
)
def test_url_of(text, url):
    assert url_of(text) == url


# Polarity


def test_upright_follows_the_decode_array_when_the_caller_has_it():
    image = Image.new("L", (10, 10), 30)
    assert upright(image, decode=[1, 0]).getpixel((0, 0)) == 225
    assert upright(image, decode=[0, 1]).getpixel((0, 0)) == 30
    assert upright(Image.new("RGB", (4, 4), (0, 0, 255)), decode=[1, 0, 1, 0, 1, 0]).getpixel((0, 0)) == (
        255,
        255,
        0,
    )


def test_upright_inverts_a_two_tone_mask_on_a_dark_ground():
    logo = Image.new("L", (200, 120), 255)
    ImageDraw.Draw(logo).ellipse([40, 20, 160, 100], fill=0)
    ImageDraw.Draw(logo).text((70, 50), "TOWN", fill=255)
    assert upright(logo).getpixel((1, 1)) == 255  # black on white: left alone
    fixed = upright(ImageOps.invert(logo).convert("1"))
    assert fixed.getpixel((1, 1)) == 255 and fixed.getpixel((100, 25)) == 0


def test_upright_leaves_photos_and_dark_pictures_alone():
    night = photo_like((200, 150), seed=1).point(lambda v: v // 4)  # dark, but continuous tones
    assert upright(night).tobytes() == night.tobytes()
    normal = qr(SHAKYO, 200)
    assert upright(normal).tobytes() == normal.tobytes()


def test_upright_puts_transparent_pictures_on_white_paper():
    icon = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    ImageDraw.Draw(icon).rectangle([10, 10, 30, 30], fill=(200, 0, 0, 255))
    flat = upright(icon)
    assert (
        flat.mode == "RGB"
        and flat.getpixel((1, 1)) == (255, 255, 255)
        and flat.getpixel((20, 20)) == (200, 0, 0)
    )


# Kinds


def test_a_qr_code_picture_is_a_qr_code_with_its_link():
    crop = Image.new("L", (260, 300), 255)
    crop.paste(qr(SHAKYO, 220), (20, 10))
    ImageDraw.Draw(crop).text((90, 270), "Form", fill=0)
    verdict = judge(scanned(crop), width_pt=60, height_pt=70)
    assert verdict.kind == QR and verdict.sure and [c.url for c in verdict.codes] == [SHAKYO]


def test_a_qr_code_that_cannot_be_read_is_shown_to_a_person():
    damaged = qr(SHAKYO, 290, error="l")
    ImageDraw.Draw(damaged).rectangle([95, 100, 200, 205], fill=0)  # beyond error correction
    verdict = judge(damaged, width_pt=60, height_pt=60)
    assert (verdict.kind, verdict.sure, verdict.note, verdict.codes) == (QR, False, NOTE_UNREADABLE_QR, ())


def test_a_photo_is_a_photo():
    verdict = judge(scanned(photo_like((600, 400), seed=5)), width_pt=216, height_pt=144)
    assert (verdict.kind, verdict.sure, verdict.codes) == (PHOTO, True, ())
    grey = scanned(photo_like((600, 400), seed=6)).convert("L")  # a one-colour print
    assert kind_of(grey, width_pt=216, height_pt=144) == PHOTO


def test_a_flat_figure_is_kept_with_a_note_that_it_may_carry_information():
    verdict = judge(scanned(flat_figure(), quality=70), width_pt=200, height_pt=150)
    assert (verdict.kind, verdict.sure, verdict.note) == (FIGURE, True, NOTE_FIGURE)
    assert kind_of(flat_figure(), width_pt=200, height_pt=150) == FIGURE


def test_a_thin_banner_strip_is_an_ornament():
    banner = Image.new("RGB", (1200, 160), "#2a5caa")
    ImageDraw.Draw(banner).text((40, 60), "Kaigo hoken no oshirase", fill="white")
    assert kind_of(scanned(banner), width_pt=540, height_pt=72) == ORNAMENT
    rule = Image.new("L", (1500, 30), 0)
    assert kind_of(rule, width_pt=540, height_pt=10) == ORNAMENT


def test_small_flat_pictures_are_ornaments_and_small_photos_are_kept_for_a_person_to_decide():
    mascot = Image.new("RGB", (140, 140), "white")
    ImageDraw.Draw(mascot).ellipse([10, 10, 130, 130], fill="#f4a460", outline="black", width=4)
    ImageDraw.Draw(mascot).ellipse([40, 50, 60, 70], fill="black")
    assert kind_of(scanned(mascot), width_pt=50, height_pt=50) == ORNAMENT
    assert kind_of(mascot, width_pt=20, height_pt=20) == ORNAMENT  # an icon, a bullet
    verdict = judge(scanned(photo_like((180, 180), seed=2)), width_pt=60, height_pt=60)
    assert (verdict.kind, verdict.sure, verdict.note) == (PHOTO, False, NOTE_SMALL_PHOTO)


def test_a_wide_photo_is_kept_for_a_person_to_decide():
    verdict = judge(photo_like((1200, 240), seed=4), width_pt=500, height_pt=100)
    assert (verdict.kind, verdict.sure, verdict.note) == (PHOTO, False, NOTE_WIDE_PHOTO)


def test_a_pale_background_tint_is_an_ornament():
    tint = Image.new("RGB", (800, 500), "#eef4fb")
    ImageDraw.Draw(tint).polygon([(0, 500), (300, 300), (800, 420), (800, 500)], fill="#dde8f4")
    assert kind_of(scanned(tint), width_pt=300, height_pt=190) == ORNAMENT


def test_an_empty_image_is_nothing_to_read_and_an_ornament():
    assert find_qr_codes(Image.new("L", (0, 40))) == []
    assert judge(Image.new("RGB", (0, 0)), width_pt=0, height_pt=0).kind == ORNAMENT
