"""The site's pictures: responsive EXIF-free variants of content images and a social card per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from ..content.checks import referenced_assets
from ..content.dates import format_day
from ..content.digests import DigestStore
from ..content.model import Alert, Bulletin, Event, Item, Site
from ..content.schema import PAGE
from .cards import CardBatch, CardSpec, plan_cards, render_to
from .images import (
    SUFFIXES,
    ImageBatch,
    ImageError,
    ProcessedImage,
    build_entry,
    check_image,
    decoded_before,
    plan_images,
)
from .pool import Background

SITE_CARD = "_site"  # the card of pages without one of their own
ALERT_ACCENT = "#b71c1c"


@dataclass(frozen=True)
class Media:
    images: dict[str, ProcessedImage]  # by content-relative source path
    cards: dict[str, str]  # site-relative card path by item id (and SITE_CARD)

    def card_for(self, item: Item | None) -> str:
        return self.cards.get(item.id if item else SITE_CARD, self.cards[SITE_CARD])


def image_sources(site: Site) -> set[str]:
    """Every image file under content/, published or not: none is ever copied as it is."""
    return {src for src in site.assets if src.lower().endswith(SUFFIXES)}


def broken_images(site: Site, content_dir: Path, cache_dir: Path) -> list[ImageError]:
    """Every picture under content/ that a build would refuse (too large, truncated, not an
    image). Decoding takes about 60 ms for a 12-megapixel photo, so pictures a build already
    made (the restored cache of a pull request's check) are not decoded again."""
    files = DigestStore(cache_dir / "file-digests.json")
    fresh = [
        src
        for src in sorted(image_sources(site))
        if not decoded_before(content_dir, src, cache_dir / "images", files)
    ]
    found = (check_image(content_dir / src, src) for src in fresh)
    return [error for error in found if error is not None]


MEDIA_WORK = "画像と SNS 用の画像を作成しています"


@dataclass(frozen=True)
class MediaWork:
    """The site's pictures, named and sized before they are made; `tasks` make the missing ones."""

    media: Media
    images: ImageBatch
    cards: CardBatch

    def tasks(self) -> list[tuple]:
        return [(build_entry, job) for job in self.images.jobs] + [
            (render_to, job) for job in self.cards.jobs
        ]

    def link(self, out_dir: Path) -> None:
        """Put every picture into the site; only once the tasks are done."""
        self.images.link(out_dir)
        self.cards.link(out_dir)


def prepare_media(site: Site, content_dir: Path, out_dir: Path, cache_dir: Path, site_title: str) -> Media:
    """Variants of the images that visible pages use, and the social cards (both cached)."""
    work = plan_media(site, content_dir, cache_dir, site_title)
    Background(work.tasks()).wait(None, MEDIA_WORK)
    work.link(out_dir)
    return work.media


def plan_media(site: Site, content_dir: Path, cache_dir: Path, site_title: str) -> MediaWork:
    """Names and sizes of every picture, from hashes and image headers only (fast)."""
    assets = set(site.assets)
    shown = [i for i in site.items if site.visible(i)]
    used = set().union(*(referenced_assets(i, assets) for i in shown)) & image_sources(site)
    files = DigestStore(cache_dir / "file-digests.json")
    images = plan_images(content_dir, sorted(used), cache_dir / "images", files)
    specs = {i.id: _card_spec(site, i, content_dir) for i in shown if _has_own_card(site, i)}
    specs[SITE_CARD] = CardSpec(site_title, "公式ホームページ", "", site.config.town_name)
    cards = plan_cards(specs, cache_dir / "cards", files)
    files.save()
    return MediaWork(Media(images.images, cards.paths), images, cards)


def _has_own_card(site: Site, item: Item) -> bool:
    """Posts of the last `card_days` and coming events; SNS posts and shares are of these."""
    if item.kind == PAGE:
        return False
    recent = item.published_at >= site.now - timedelta(days=site.config.card_days)
    return recent or (isinstance(item, Event) and item.is_upcoming(site.now))


def _card_spec(site: Site, item: Item, content_dir: Path) -> CardSpec:
    if isinstance(item, Event):
        label, when = "イベント", format_day(item.start)
    elif isinstance(item, Bulletin):
        label, when = "広報紙", f"{item.issue[:4]}年{int(item.issue[5:])}月号"
    elif isinstance(item, Alert):
        label, when = f"緊急・安全情報（{item.level_label}）", format_day(item.published_at)
    else:
        label = site.category(item.categories[0]).label if item.categories else "お知らせ"
        when = format_day(item.published_at)
    photo = content_dir / item.image if item.image and item.image.lower().endswith(SUFFIXES[:4]) else None
    accent = ALERT_ACCENT if isinstance(item, Alert) else "#1b5e20"
    return CardSpec(item.title, label, when, site.config.town_name, photo, accent, item.image or "")
