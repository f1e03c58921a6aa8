"""What goes in every page's <head>: OGP and Twitter cards, JSON-LD, feed autodiscovery."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..content import urls
from ..content.model import Event, Item, News, Site
from .listings import Listing
from .navigation import Crumb, breadcrumbs
from .render import SiteRenderer, iso, json_ld

_PREFECTURE = re.compile(r"(東京都|北海道|(?:京都|大阪)府|[\u4e00-\u9fff]{2,3}県)")


@dataclass(frozen=True)
class Alternate:
    title: str
    href: str  # relative to the site root
    type: str


@dataclass(frozen=True)
class PageInfo:
    """What the theme adds to a page: head metadata, breadcrumbs, the alert banner."""

    title: str
    description: str
    url: str
    image: str  # absolute URL or ""
    image_alt: str
    og_type: str
    json_ld: str  # already escaped for a <script> element, "" when none
    alternates: tuple[Alternate, ...]
    banner: str  # HTML of the alert banner, "" when no alert is active
    sample: bool
    crumbs: tuple[Crumb, ...]
    searchable: bool  # indexed by the site search (listings are not: they repeat the items)


FEEDS = (("お知らせ", "news"), ("イベント", "events"), ("緊急・安全情報", "alerts"))


def page_info(
    site: Site,
    site_url: str,
    page_url: str,
    item: Item | None,
    listing: Listing | None,
    banner: str,
    default_description: str,
    titles: dict[str, str],
    card: str,
) -> PageInfo:
    absolute = urljoin(site_url, page_url)
    title = item.title if item else listing.title if listing else site.config.town_name
    image = urljoin(site_url, card)
    return PageInfo(
        title=title,
        description=(item.summary if item else "") or default_description,
        url=absolute,
        image=image,
        image_alt=f"{title}（{site.config.town_name}）",
        og_type="article" if item and item.kind != "page" else "website",
        json_ld=json_ld(_structured_data(site, item, absolute, image)) if item else "",
        alternates=_alternates(listing),
        banner=banner,
        sample=site.config.sample_content,
        crumbs=breadcrumbs(page_url, titles),
        searchable=listing is None,
    )


NOT_FOUND_TITLE = "ページが見つかりません"


def not_found_info(site: Site, site_url: str, renderer: SiteRenderer) -> PageInfo:
    """The 404 page: the alert banner and the feeds as everywhere; not searchable, no crumbs.
    It is served at any address, so the banner's links start from the site's root path."""
    banner = renderer.alert_banner("", urlsplit(site_url).path or "/")
    return PageInfo(
        title=NOT_FOUND_TITLE,
        description="",
        url=urljoin(site_url, "404.html"),
        image="",
        image_alt="",
        og_type="website",
        json_ld="",
        alternates=_alternates(),
        banner=banner,
        sample=site.config.sample_content,
        crumbs=(),
        searchable=False,
    )


FEED_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def _alternates(listing: Listing | None = None) -> tuple[Alternate, ...]:
    """The site's feeds on every page; a listing's own feeds (a category's) first on its pages."""
    links = [
        Alternate(feed.label, feed.url, FEED_TYPES[feed.kind])
        for feed in (listing.feeds if listing else ())
        if feed.kind in FEED_TYPES
    ]
    for label, name in FEEDS:
        for kind, suffix in (("rss", "RSS"), ("atom", "Atom")):
            href = urls.feed(name, kind)
            if all(link.href != href for link in links):
                links.append(Alternate(f"{label}（{suffix}）", href, FEED_TYPES[kind]))
    return tuple(links)


def _structured_data(site: Site, item: Item, url: str, image: str):
    organizer = {"@type": "GovernmentOrganization", "name": site.config.town_name}
    if isinstance(item, Event):
        address = _postal_address(item.place, site.config.town_name, site.config.office.address)
        return [
            _event_data(item, occurrence, url, image, organizer, address) for occurrence in item.occurrences
        ]
    if isinstance(item, News):
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": item.title,
            "datePublished": iso(item.published_at),
            "url": url,
            "publisher": organizer,
        }
        if image:
            data["image"] = [image]
        return data
    return {"@context": "https://schema.org", "@type": "WebPage", "name": item.title, "url": url}


def _postal_address(place: str, town: str, office_address: str) -> dict:
    """Google's event results want a postal address: the place in the town (and its prefecture,
    read from the office's address), in Japan."""
    address = {
        "@type": "PostalAddress",
        "streetAddress": place,
        "addressLocality": town,
        "addressCountry": "JP",
    }
    prefecture = _PREFECTURE.search(office_address)
    return address | ({"addressRegion": prefecture.group(1)} if prefecture else {})


def _event_data(event: Event, occurrence, url: str, image: str, organizer: dict, address: dict) -> dict:
    start = occurrence.start
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": iso(start.moment) if start.has_time else start.day.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": event.place, "address": address},
        "description": event.summary,
        "url": url,
        "organizer": organizer,
    }
    if occurrence.end:
        end = occurrence.end
        data["endDate"] = iso(end.moment) if end.has_time else end.day.isoformat()
    if image:
        data["image"] = [image]
    return data
