"""Pictures on the built sample site: no metadata published, responsive markup, social cards."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import feedparser
import pytest
from conftest import ROOT
from PIL import Image

from publisher.content.config import load_project
from publisher.content.dates import JST
from publisher.content.model import Event, News
from publisher.content.reader import load_site

pytestmark = pytest.mark.slow  # the sample site built for real

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
    assert "images/rakusanen.jpg" not in (sample_site / "kanko/rakusanen/index.html").read_text(
        encoding="utf-8"
    )


def test_pictures_are_responsive_sized_and_lazy_below_the_fold(sample_site):
    html = (sample_site / "kanko/rakusanen/index.html").read_text(encoding="utf-8")
    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert len(pictures) == 2
    for picture in pictures:
        assert re.search(r'<source type="image/webp" srcset="[^"]+480w, [^"]+960w', picture)
        assert re.search(
            r'<img src="[^"]+\.jpg" srcset="[^"]+" sizes="[^"]+" width="\d+" height="\d+" alt="[^"]+"',
            picture,
        )
    assert 'loading="eager"' in pictures[0] and 'fetchpriority="high"' in pictures[0]
    assert 'loading="lazy"' in pictures[1]
    for url in re.findall(r'(?:src|srcset)="([^"]+)"', html):
        for candidate in url.split(", "):
            target = candidate.split()[0]
            if "assets/img/" in target:
                assert (sample_site / "kanko/rakusanen" / target).resolve().is_file(), target


def test_recent_posts_and_coming_events_have_their_own_social_card(sample_site):
    """Built at SAMPLE_NOW: posts of the last 365 days and coming events get a card of their own."""
    now = datetime(2026, 11, 28, 12, 0, tzinfo=JST)
    project = load_project(ROOT / "mkdocs.yml")
    site = load_site(project.content_dir, project.site, now)
    posts = [i for i in site.items if site.visible(i) and isinstance(i, (News, Event))]
    own = {
        i.url
        for i in posts
        if i.published_at >= now - timedelta(days=365) or isinstance(i, Event) and i.is_upcoming(now)
    }
    assert 20 < len(own) < len(posts)  # the sample has both kinds
    cards = set()
    for item in posts:
        html = (sample_site / item.url / "index.html").read_text(encoding="utf-8")
        card = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
        if item.url in own:
            assert card.startswith(SITE + "assets/cards/") and "/_site-" not in card and card not in cards, (
                item.url
            )
            cards.add(card)
            with Image.open(sample_site / card.removeprefix(SITE)) as image:
                assert image.size == (1200, 630)
        else:
            assert card.startswith(SITE + "assets/cards/_site-"), item.url
    guide = (sample_site / "kurashi/gomi/index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<meta name="twitter:image" content="https://www.town.kanra.example/assets/cards/_site-\w+\.png">',
        guide,
    )


def test_feed_images_point_at_published_variants(sample_site):
    feed = feedparser.parse((sample_site / "feeds/news.atom").read_bytes())
    sources = [
        src
        for entry in feed.entries
        for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"', entry.content[0].value)
    ]
    assert sources
    for src in sources:
        assert src.startswith(SITE + "assets/img/") and (sample_site / src.removeprefix(SITE)).is_file()
