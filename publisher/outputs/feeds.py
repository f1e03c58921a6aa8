"""RSS 2.0 and Atom feeds (the only feedgen import). GUIDs are permalinks; times carry +09:00."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from ..content import urls
from ..content.dates import JST, format_spans
from ..content.model import Event, Item, Site

_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"#][^"]*)"')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


@dataclass(frozen=True)
class FeedSpec:
    name: str  # file name stem, see urls.feed
    title: str
    page: str  # the listing page the feed mirrors
    items: tuple[Item, ...]


def feed_specs(site: Site) -> list[FeedSpec]:
    town = site.config.town_name
    limit = site.config.feed_items
    events = sorted(site.events, key=lambda e: e.published_at, reverse=True)
    specs = [
        FeedSpec("news", f"{town} お知らせ", urls.NEWS, tuple(_newest(site.news + site.bulletins)[:limit])),
        FeedSpec("events", f"{town} イベント", urls.EVENTS, tuple(events[:limit])),
        FeedSpec("alerts", f"{town} 緊急・安全情報", urls.ALERTS, tuple(site.alerts[:limit])),
    ]
    for category in site.config.categories:
        items = site.in_category(site.news, category.slug)[:limit]
        specs.append(
            FeedSpec(
                f"news-{category.slug}",
                f"{town} {category.label}",
                urls.news_category(category.slug),
                tuple(items),
            )
        )
    return specs


def _newest(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: i.published_at, reverse=True)


def write_feeds(site: Site, site_url: str, out_dir: Path, body_html: Mapping[str, str]) -> list[Path]:
    written = []
    for spec in feed_specs(site):
        for fmt in ("rss", "atom"):
            path = out_dir / urls.feed(spec.name, fmt)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_render(spec, fmt, site, site_url, body_html))
            written.append(path)
    return written


def _render(spec: FeedSpec, fmt: str, site: Site, site_url: str, body_html: Mapping[str, str]) -> bytes:
    feed = FeedGenerator()
    page = urljoin(site_url, spec.page)
    feed.id(page)
    feed.title(spec.title)
    if fmt == "atom":  # RFC 4287: a feed has an author (RSS 2.0 wants an e-mail address there)
        feed.author({"name": site.config.town_name, "uri": site_url})
    feed.link(href=urljoin(site_url, urls.feed(spec.name, fmt)), rel="self")
    feed.link(href=page, rel="alternate")  # last link: feedgen uses it as the RSS <link>
    feed.description(f"{spec.title}の新着情報")
    feed.language("ja")
    newest = max((i.published_at for i in spec.items), default=datetime(2000, 1, 1, tzinfo=JST))
    feed.updated(newest.astimezone(JST))
    feed.lastBuildDate(newest.astimezone(JST))
    for item in spec.items:
        _add_entry(feed, item, fmt, site, site_url, body_html.get(item.src, ""))
    return feed.rss_str(pretty=True) if fmt == "rss" else feed.atom_str(pretty=True)


def _add_entry(feed: FeedGenerator, item: Item, fmt: str, site: Site, site_url: str, html: str) -> None:
    entry = feed.add_entry(order="append")
    if fmt == "atom":
        entry.author({"name": site.config.town_name, "uri": site_url})
    permalink = urljoin(site_url, item.url)
    entry.id(permalink)
    entry.guid(permalink, permalink=True)
    entry.link(href=permalink)
    entry.title(item.title)
    published = item.published_at.astimezone(JST)
    entry.published(published)
    entry.updated(published)
    summary = item.summary
    if isinstance(item, Event):
        when = format_spans(item.occurrences)
        summary = f"日時: {when} / 場所: {item.place}。{summary}"
        html = f"<p>日時: {escape(when)}<br>場所: {escape(item.place)}</p>{html}"
    entry.description(summary)
    for slug in item.categories:  # readers show the label; Atom keeps the slug as the term
        category = site.config.category(slug)
        label = category.label if category else slug
        scheme = urljoin(site_url, urls.news_category(slug))
        if fmt == "atom":
            entry.category(term=slug, label=label, scheme=scheme)
        else:
            entry.category(term=label, scheme=scheme)
    if html:
        entry.content(absolute_links(html, permalink), type="CDATA" if fmt == "rss" else "html")


def absolute_links(html: str, page_url: str) -> str:
    """Relative href/src/srcset in rendered HTML made absolute, so feed readers can follow them."""
    html = _URL_ATTRIBUTE.sub(lambda m: f'{m.group(1)}{urljoin(page_url, m.group(2))}"', html)
    return _SRCSET.sub(
        lambda m: (
            m.group(1)
            + ", ".join(
                " ".join([urljoin(page_url, part.split()[0]), *part.split()[1:]])
                for part in m.group(2).split(",")
                if part.strip()
            )
            + '"'
        ),
        html,
    )
