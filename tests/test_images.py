"""Responsive images from real files through real Pillow: rotation, no metadata, cache, HTML."""

from __future__ import annotations

import hashlib
import io
import random
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from publisher.media import images, pool
from publisher.media.images import (
    ImageError,
    ProcessedImage,
    Variant,
    process_images,
    process_images_report,
    variant_widths,
)
from publisher.site.pictures import picture_html, rewrite_img_tags

CAMERA = "PrivateCam 9000"
GPS_IFD = 0x8825


def photo_bytes(width: int = 1200, height: int = 800, seed: int = 1) -> bytes:
    """A noisy photo (stored landscape) with a red top-left corner, EXIF orientation 6 and a GPS position."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3)).resize((width, height))
    image.paste((255, 0, 0), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = CAMERA
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (36.0, 13.0, 30.5), 3: "E", 4: (138.0, 55.0, 12.25)})
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(out, "JPEG", exif=exif, icc_profile=srgb, quality=90)
    return out.getvalue()


def transparent_png(width: int = 300, height: int = 200) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 90, 200, 255))
    image.paste((0, 0, 0, 0), (0, 0, width // 2, height))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    (folder / "images").mkdir(parents=True)
    (folder / "images/photo.jpg").write_bytes(photo_bytes())
    (folder / "images/logo.png").write_bytes(transparent_png())
    return folder


def run(content: Path, tmp_path: Path, out: str = "site", **options):
    srcs = ["images/photo.jpg", "images/logo.png"]
    return process_images_report(content, srcs, tmp_path / out, tmp_path / "cache", **options)


def outputs(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_variants_are_upright_and_never_upscaled(content, tmp_path):
    found = run(content, tmp_path).images
    photo, logo = found["images/photo.jpg"], found["images/logo.png"]
    # 1200×800 stored, orientation 6: 800×1200 displayed; 800 px wide gives 480 and the original 800
    assert (photo.width, photo.height) == (800, 1200)
    assert [(v.width, v.height) for v in photo.webp] == [(480, 720), (800, 1200)]
    assert [(v.width, v.height) for v in photo.fallback] == [(480, 720), (800, 1200)]
    assert photo.largest.width == 800 and photo.display.width == 800
    assert [(v.width, v.height) for v in logo.webp + logo.fallback] == [(300, 200), (300, 200)]
    with Image.open(tmp_path / "site" / photo.largest.path) as upright:
        assert upright.size == (800, 1200)
        red, green, _ = upright.getpixel((790, 10))  # the stored top-left corner is now top-right
        assert red > 200 and green < 60


def test_formats_and_file_names(content, tmp_path):
    found = run(content, tmp_path).images
    site = tmp_path / "site"
    expected = {("webp", "WEBP"), ("jpg", "JPEG"), ("png", "PNG")}
    for image in found.values():
        for variant in image.webp + image.fallback:
            assert variant.path.startswith("assets/img/")
            with Image.open(site / variant.path) as opened:
                assert (variant.path.rsplit(".", 1)[1], opened.format) in expected
                assert Image.MIME[opened.format] == variant.mime
                assert opened.size == (variant.width, variant.height)
    assert {v.mime for v in found["images/photo.jpg"].fallback} == {"image/jpeg"}
    logo = found["images/logo.png"]
    assert logo.fallback[0].mime == "image/png"
    with Image.open(site / logo.fallback[0].path) as png:
        assert png.mode == "RGBA" and png.getchannel("A").getextrema() == (0, 255)
    data = hashlib.sha256((content / "images/photo.jpg").read_bytes()).hexdigest()
    digest = hashlib.sha256(f"{images.PIPELINE_VERSION}\0{data}".encode())
    assert found["images/photo.jpg"].webp[0].path == f"assets/img/photo-{digest.hexdigest()[:10]}-480.webp"


def test_no_metadata_survives(content, tmp_path):
    source = (content / "images/photo.jpg").read_bytes()
    assert b"Exif" in source and CAMERA.encode() in source  # the fixture really carries them
    with Image.open(content / "images/photo.jpg") as original:
        assert original.getexif().get_ifd(GPS_IFD) and original.info["icc_profile"]
    run(content, tmp_path)
    files = outputs(tmp_path / "site")
    assert len(files) == 6
    for name, data in files.items():
        assert b"Exif" not in data and CAMERA.encode() not in data and b"<x:xmpmeta" not in data, name
        with Image.open(io.BytesIO(data)) as opened:
            assert not opened.getexif(), name
            assert not opened.getexif().get_ifd(GPS_IFD), name
            assert not {"exif", "xmp", "icc_profile"} & set(opened.info), name  # untagged means sRGB


def test_second_run_does_no_pillow_work_and_writes_the_same_files(content, tmp_path, monkeypatch):
    first = run(content, tmp_path)
    assert (first.processed, first.cached) == (2, 0)

    def no_pillow(*args, **kwargs):
        raise AssertionError("Pillow opened an image although the cache had it")

    monkeypatch.setattr(images.Image, "open", no_pillow)
    again = run(content, tmp_path, out="site2")
    assert (again.processed, again.cached) == (0, 2)
    assert again.images == first.images
    assert outputs(tmp_path / "site2") == outputs(tmp_path / "site")


def test_changed_picture_gets_new_urls(content, tmp_path):
    before = run(content, tmp_path).images["images/photo.jpg"]
    (content / "images/photo.jpg").write_bytes(photo_bytes(seed=2))
    report = run(content, tmp_path, out="site2")
    after = report.images["images/photo.jpg"]
    assert (report.processed, report.cached) == (1, 1)  # only the changed picture is made again
    assert after.largest.path != before.largest.path
    assert after.largest.path.startswith("assets/img/photo-") and after.largest.path.endswith("-800.jpg")


def test_parallel_and_serial_runs_agree(content, tmp_path):
    for n in range(3):
        (content / f"images/more-{n}.jpg").write_bytes(photo_bytes(640, 480, seed=10 + n))
    srcs = ["images/photo.jpg", "images/logo.png", *(f"images/more-{n}.jpg" for n in range(3))]
    serial = process_images(content, srcs, tmp_path / "a", tmp_path / "cache-a", workers=1)
    parallel = process_images(content, srcs, tmp_path / "b", tmp_path / "cache-b", workers=2)
    assert serial == parallel
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


@pytest.mark.parametrize(
    "original, widths",
    [
        (200, [200]),
        (480, [480]),
        (500, [500]),
        (800, [480, 800]),
        (1000, [480, 1000]),
        (1200, [480, 960, 1200]),
        (1600, [480, 960, 1600]),
        (4032, [480, 960, 1600]),
    ],
)
def test_variant_widths_never_upscale(original, widths):
    assert variant_widths(original) == widths


@pytest.mark.parametrize("workers", [1, 2])
def test_corrupt_image_is_reported_in_japanese(content, tmp_path, workers):
    (content / "images/broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    with pytest.raises(ImageError) as raised:
        process_images(
            content,
            ["images/photo.jpg", "images/broken.jpg"],
            tmp_path / "site",
            tmp_path / "cache",
            workers=workers,
        )
    assert raised.value.src == "images/broken.jpg"
    assert (
        str(raised.value) == "画像「images/broken.jpg」を読み込めません（壊れているか、画像ではありません）"
    )
    assert not (tmp_path / "cache").exists() or all(
        (e / "meta.json").exists() for e in (tmp_path / "cache").iterdir()
    )


def test_missing_image_is_reported(content, tmp_path):
    with pytest.raises(ImageError, match="画像「images/nai.jpg」が見つかりません"):
        process_images(content, ["images/nai.jpg"], tmp_path / "site", tmp_path / "cache")


def test_svg_is_passed_through(content, tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60"><rect width="120" height="60"/></svg>'
    (content / "images/map.svg").write_text(svg, encoding="utf-8")
    image = process_images(content, ["images/map.svg"], tmp_path / "site", tmp_path / "cache")[
        "images/map.svg"
    ]
    assert image.webp == () and len(image.fallback) == 1
    assert (image.width, image.height, image.largest.mime) == (120, 60, "image/svg+xml")
    assert (tmp_path / "site" / image.largest.path).read_text(encoding="utf-8") == svg
    html = picture_html(image, "地図", "../")
    assert "<picture" not in html and 'src="../assets/img/map-' in html and 'width="120" height="60"' in html


def sample_image() -> ProcessedImage:
    def variants(ext: str, mime: str) -> tuple[Variant, ...]:
        return tuple(
            Variant(f"assets/img/x-0123456789-{w}.{ext}", w, h, mime)
            for w, h in ((480, 320), (960, 640), (1600, 1067))
        )

    return ProcessedImage(
        "images/x.jpg", 1600, 1067, variants("webp", "image/webp"), variants("jpg", "image/jpeg")
    )


class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def of(self, name: str) -> list[dict]:
        return [attrs for tag, attrs in self.tags if tag == name]


def test_picture_html_escapes_and_sizes():
    html = picture_html(sample_image(), 'Say "hi" <b>&', "../../", css_class='lead" onload="x')
    assert html.startswith("<picture><source ") and html.endswith("></picture>")
    assert 'alt="Say &quot;hi&quot; &lt;b&gt;&amp;"' in html
    source, img = Tags(html).of("source")[0], Tags(html).of("img")[0]
    assert img["alt"] == 'Say "hi" <b>&' and img["class"] == 'lead" onload="x' and "onload" not in img
    assert source["type"] == "image/webp"
    assert source["srcset"] == ", ".join(
        f"../../assets/img/x-0123456789-{w}.webp {w}w" for w in (480, 960, 1600)
    )
    assert img["src"] == "../../assets/img/x-0123456789-960.jpg"
    assert (img["width"], img["height"]) == ("960", "640")
    assert img["srcset"].endswith("1600.jpg 1600w") and img["sizes"] == source["sizes"]
    assert (img["loading"], img["decoding"]) == ("lazy", "async") and "fetchpriority" not in img
    eager = Tags(picture_html(sample_image(), "", "", eager=True)).of("img")[0]
    assert (eager["loading"], eager["fetchpriority"]) == ("eager", "high")
    assert eager["alt"] == "" and eager["src"] == "assets/img/x-0123456789-960.jpg"  # decorative: alt stays


MKDOCS_PAGE = """\
<h1 id="_1">楽山園</h1>
<p><img alt="池の中島に松が立つ庭園" src="../../images/x.jpg" /></p>
<p>茶屋の様子です。<img alt="茶屋 &amp; 池" class="photo wide" src="../../images/x.jpg" title="茶屋 &quot;梅の茶屋&quot;" /></p>
<p><img alt="外部の地図" src="https://maps.example.jp/tile.png" /></p>
<p><img alt="未登録" src="../../images/unknown.jpg" /></p>
<!-- <img src="../../images/x.jpg"> -->
<pre><code>&lt;img src="../../images/x.jpg"&gt;</code></pre>
<p><img src="../../images/x.jpg?v=2#top" alt="a > b"></p>
"""


def test_rewrite_img_tags_on_a_nested_page():
    result = rewrite_img_tags(MKDOCS_PAGE, "kanko/rakusanen/", {"images/x.jpg": sample_image()})
    pictures = result.count("<picture>")
    assert pictures == 3
    imgs = [attrs for attrs in Tags(result).of("img") if "srcset" in attrs]
    assert [i["alt"] for i in imgs] == ["池の中島に松が立つ庭園", "茶屋 & 池", "a > b"]
    assert [i["loading"] for i in imgs] == ["eager", "lazy", "lazy"]
    assert imgs[0]["fetchpriority"] == "high" and "fetchpriority" not in imgs[1]
    assert all(i["src"] == "../../assets/img/x-0123456789-960.jpg" for i in imgs)
    assert all((i["width"], i["height"]) == ("960", "640") for i in imgs)
    assert imgs[1]["class"] == "photo wide" and imgs[1]["title"] == '茶屋 "梅の茶屋"'
    assert '<img alt="外部の地図" src="https://maps.example.jp/tile.png" />' in result
    assert '<img alt="未登録" src="../../images/unknown.jpg" />' in result
    assert '<!-- <img src="../../images/x.jpg"> -->' in result
    assert '<pre><code>&lt;img src="../../images/x.jpg"&gt;</code></pre>' in result


def test_rewrite_img_tags_resolves_from_the_page_folder():
    table = {"images/x.jpg": sample_image()}
    home = rewrite_img_tags('<img alt="" src="images/x.jpg">', "", table)
    assert 'src="assets/img/x-0123456789-960.jpg"' in home
    flat = rewrite_img_tags(
        '<img alt="" src="../images/x.jpg">', "kanko/rakusanen.html", table, first_eager=False
    )
    assert 'src="../assets/img/x-0123456789-960.jpg"' in flat and 'loading="lazy"' in flat
    outside = '<img alt="" src="../../../images/x.jpg">'
    assert rewrite_img_tags(outside, "kanko/", table) == outside
    assert rewrite_img_tags("<picture><img src='images/x.jpg'></picture>", "", table).count("<picture>") == 1


def test_progress_bar_only_when_wanted(capsys):
    calls = []
    pool.run_parallel(calls.append, [(n,) for n in range(25)], workers=1, progress=False, description="x")
    pool.run_parallel(calls.append, [(n,) for n in range(25)], workers=1, progress=None, description="x")
    assert calls == list(range(25)) * 2
    assert capsys.readouterr().err == ""  # stderr is not a terminal under pytest
