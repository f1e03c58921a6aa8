"""`publisher syndicate`: set up the site, pictures, ledger and channels; run or preview the posts."""

from __future__ import annotations

import importlib
import math
import os
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin

from ..content.checks import image_problems
from ..content.config import Project
from ..content.model import Item, Site
from ..content.reader import shown_dir
from ..content.sns_settings import CHANNELS, Syndication
from ..media.cards import small_card_path
from ..media.images import SUFFIXES, ImageError, ProcessedImage, Variant
from ..media.plan import Media, prepare_media
from .channel import Channel
from .compose import Picture, compose
from .ledger import Ledger
from .runner import Job, Outcome, Poster, plan, preview, seed

ADAPTERS = {name: f"publisher.syndication.{name}" for name in CHANNELS}
LOCK_WAIT = 60.0
MB = 1024 * 1024
# The largest image file each platform takes. X: 5 MB; Bluesky: 1,000,000 bytes (the lexicon's
# maxSize for a link card's thumb); Mastodon: 8 MB, at or under every version's default (servers
# may raise it); LINE: 10 MB and at most 1024 × 1024 px for a Flex message's hero image.
IMAGE_BYTES = {"x": 5 * MB, "bluesky": 1_000_000, "mastodon": 8 * MB, "line": 10 * MB}
IMAGE_SIDE = {"line": 1024}


class SyndicationError(Exception):
    """Cannot run at all (no ledger yet, another run busy…); the message is for staff."""


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    unconfigured: tuple[str, ...]  # channels without credentials: previewed, never posted
    ledger: Path


def ledger_path(project: Project, settings: Syndication, environ: Mapping[str, str]) -> Path:
    return Path(environ.get("PUBLISHER_LEDGER") or project.root / settings.ledger)


def load_channels(names: tuple[str, ...], environ: Mapping[str, str]) -> dict[str, Channel | None]:
    """Each adapter (and its SDK) is imported only when the channel is in use."""
    return {name: importlib.import_module(ADAPTERS[name]).from_env(environ) for name in names}


def syndicate(
    project: Project,
    site: Site,
    *,
    dry_run: bool = False,
    do_seed: bool = False,
    only: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Report:
    settings = site.config.syndication
    names = tuple(c for c in settings.channels if only in (None, c))
    ledger = Ledger(ledger_path(project, settings, environ))
    channels = {} if dry_run or do_seed else load_channels(names, environ)
    unconfigured = () if dry_run or do_seed else tuple(n for n in names if channels.get(n) is None)
    if not dry_run and not do_seed and not ledger.exists:
        raise SyndicationError(
            f"SNS 配信台帳 {ledger.path} がまだありません。これまでの記事を投稿しないよう、"
            "最初に一度 publisher syndicate --seed を実行してください"
        )
    with tempfile.TemporaryDirectory() as folder:
        media = _pictures(site, project, Path(folder))
        pictures = lambda item, channel: _picture(item, channel, media, project.site_url, Path(folder))  # noqa: E731
        if dry_run or do_seed:
            return Report(
                tuple(_preview_or_seed(site, settings, ledger, names, pictures, project, do_seed)),
                (),
                ledger.path,
            )
        return Report(
            tuple(_run(site, settings, ledger, names, channels, pictures, project)), unconfigured, ledger.path
        )


def _pictures(site: Site, project: Project, folder: Path) -> Media:
    """Every picture the posts may carry; a broken one is a problem of the pages that show it."""
    try:
        return prepare_media(
            site, project.content_dir, folder, project.root / ".cache", site.config.town_name
        )
    except ImageError as error:
        raise image_problems(site, error.src, str(error), shown_dir(project.content_dir)) from None


def _preview_or_seed(site, settings, ledger, names, pictures, project, do_seed) -> list[Outcome]:
    if do_seed:
        with ledger.locked(wait=LOCK_WAIT):
            jobs, held = plan(site, settings, ledger, names)
            seed(jobs + held, ledger, site.now)
            return [preview(j, _post(j, settings, project, pictures), "seeded") for j in jobs + held]
    jobs, held = plan(site, settings, ledger, names)
    return [preview(j, _post(j, settings, project, pictures), "would-post") for j in jobs] + [
        preview(j, _post(j, settings, project, pictures), "held") for j in held
    ]


def _run(site, settings, ledger, names, channels, pictures, project) -> list[Outcome]:
    outcomes = []
    with ledger.locked(wait=LOCK_WAIT):
        jobs, held = plan(site, settings, ledger, names)
        poster = Poster(ledger, {n: c for n, c in channels.items() if c is not None}, site.now)
        for job in jobs:
            post = _post(job, settings, project, pictures)
            channel_ready = channels.get(job.channel) is not None
            outcomes.append(poster.post(job, post) if channel_ready else preview(job, post, "would-post"))
        outcomes += [preview(j, _post(j, settings, project, pictures), "held") for j in held]
    return outcomes


def _post(job: Job, settings: Syndication, project: Project, pictures):
    return compose(
        job.item, job.channel, job.kind, settings, project.site_url, pictures(job.item, job.channel)
    )


def _picture(item: Item, channel: str, media: Media, site_url: str, folder: Path) -> Picture | None:
    """The item's photo when asked for and the channel takes one of its variants; else its card."""
    choice = item.sns.image
    if choice == "none":
        return None
    if (
        choice == "photo"
        and item.image
        and item.image.lower().endswith(SUFFIXES[:4])
        and item.image in media.images
    ):
        variant = _widest_taken(media.images[item.image], channel, folder)
        if variant is not None:  # a Japanese file name is percent-encoded, as LINE wants a plain URL
            return Picture(folder / variant.path, urljoin(site_url, quote(variant.path)), item.image_alt)
    card = media.card_for(item)
    shown = small_card_path(card) if channel == "line" else card  # LINE takes at most 1024 px
    return Picture(folder / card, urljoin(site_url, shown), item.title)  # the card shows the title


def _widest_taken(image: ProcessedImage, channel: str, folder: Path) -> Variant | None:
    """The widest JPEG/PNG variant within the channel's limits (None: none is): a PNG flyer can
    be several MB at 1600 px, and a refused image would hold the post back for good."""
    for variant in reversed(image.fallback):
        if (
            max(variant.width, variant.height) <= IMAGE_SIDE.get(channel, math.inf)
            and (folder / variant.path).stat().st_size <= IMAGE_BYTES[channel]
        ):
            return variant
    return None


def wait_until_live(
    project: Project,
    site: Site,
    timeout: float,
    environ: Mapping[str, str] = os.environ,
    interval: float = 10.0,
) -> list[str]:
    """After a deploy: wait until every page about to be posted answers, so no post links to a 404.
    Returns the URLs still not answering when `timeout` ran out (empty: all live)."""
    settings = site.config.syndication
    ledger = Ledger(ledger_path(project, settings, environ))
    jobs, held = plan(site, settings, ledger, settings.channels)
    waiting = sorted({urljoin(project.site_url, job.item.url) for job in jobs + held})
    deadline = time.monotonic() + timeout
    while waiting:
        waiting = [url for url in waiting if not _answers(url)]
        if not waiting or time.monotonic() >= deadline:
            break
        time.sleep(interval)
    return waiting


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=15) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False
