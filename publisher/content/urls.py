"""Where every generated page and file lives: one place, so links and checks agree."""

from __future__ import annotations

from datetime import date

from .config import SiteConfig

NEWS = "news/"
EVENTS = "events/"
PAST_EVENTS = "events/past/"
ALERTS = "alerts/"
CALENDAR = "events/calendar/"
ICS_ALL = "calendar/events.ics"
OPEN_DATA_EVENTS = "opendata/events.csv"
SEARCH = "search/"
BULLETINS = "bulletins/"


def news_page(number: int, base: str = NEWS) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def news_category(slug: str) -> str:
    return f"news/category/{slug}/"


def news_archive(year: int) -> str:
    return f"news/archive/{year}/"


def calendar_month(month: date) -> str:
    return f"{CALENDAR}{month:%Y-%m}/"


def feed(name: str, fmt: str) -> str:
    """`fmt` is "rss" or "atom"; `name` is news, events, alerts or news-<category>."""
    return f"feeds/{name}.{'xml' if fmt == 'rss' else 'atom'}"


def ics_category(slug: str) -> str:
    return f"calendar/{slug}.ics"


def fixed_listing_urls(config: SiteConfig) -> set[str]:
    """Listing pages that exist whatever the content (links to them are never broken)."""
    urls = {NEWS, EVENTS, PAST_EVENTS, ALERTS, CALENDAR, SEARCH, BULLETINS}
    urls.update(news_category(c.slug) for c in config.categories)
    return urls
