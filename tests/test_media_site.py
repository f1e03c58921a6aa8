"""Pictures on the built sample site: no metadata published, responsive markup, social cards."""
from __future__ import annotations

import re

import feedparser
from PIL import Image

SITE = "https://www.town.kanra.example/"
RASTER = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


def test_no_published_image_carries_exif_or_gps(sample_site):
    images = [p for p in sample_site.rglob("*") if p.suffix.lower() in RASTER]
    assert len(images) > 30
    for path in images:
        with Image.open(path) as image:
            assert len(image.getexif()) == 0, path
            assert not image.info.get("exif"), path
        data = path.read_bytes()  # no EXIF segment/chunk and no XMP packet, whatever the format
        assert b"Exif\x00\x00" not in data and b"EXIF" not in data[:64] and b"<x:xmpmeta" not in data, path


def test_originals_are_never_published(sample_site):
    assert not (sample_site / "images").exists()
    assert "images/rakusanen.jpg" not in (sample_site / "kanko/rakusanen/index.html").read_text(encoding="utf-8")


def test_pictures_are_responsive_sized_and_lazy_below_the_fold(sample_site):
    html = (sample_site / "kanko/rakusanen/index.html").read_text(encoding="utf-8")
    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert len(pictures) == 2
    for picture in pictures:
        assert re.search(r'<source type="image/webp" srcset="[^"]+480w, [^"]+960w', picture)
        assert re.search(r'<img src="[^"]+\.jpg" srcset="[^"]+" sizes="[^"]+" width="\d+" height="\d+" alt="[^"]+"', picture)
    assert 'loading="eager"' in pictures[0] and 'fetchpriority="high"' in pictures[0]
    assert 'loading="lazy"' in pictures[1]
    for url in re.findall(r'(?:src|srcset)="([^"]+)"', html):
        for candidate in url.split(", "):
            target = candidate.split()[0]
            if "assets/img/" in target:
                assert (sample_site / "kanko/rakusanen" / target).resolve().is_file(), target


def test_every_post_has_its_own_social_card(sample_site):
    pages = list((sample_site / "news").glob("20*/*/index.html")) + list((sample_site / "events").glob("20*/*/index.html"))
    assert len(pages) > 30
    cards = set()
    for page in pages:
        card = re.search(r'<meta property="og:image" content="([^"]+)">', page.read_text(encoding="utf-8")).group(1)
        assert card.startswith(SITE + "assets/cards/") and card not in cards
        cards.add(card)
        with Image.open(sample_site / card.removeprefix(SITE)) as image:
            assert image.size == (1200, 630)
    guide = (sample_site / "kurashi/gomi/index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="twitter:image" content="https://www.town.kanra.example/assets/cards/_site-\w+\.png">', guide)


def test_feed_images_point_at_published_variants(sample_site):
    feed = feedparser.parse((sample_site / "feeds/news.atom").read_bytes())
    sources = [src for entry in feed.entries for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"', entry.content[0].value)]
    assert sources
    for src in sources:
        assert src.startswith(SITE + "assets/img/") and (sample_site / src.removeprefix(SITE)).is_file()
