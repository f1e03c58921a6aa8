"""Generated listing pages, built from the site model in linear time (no Material blog plugin)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..content import urls
from ..content.model import Event, Item, Site
from .month_grid import MonthGrid, month_grids


@dataclass(frozen=True)
class Pager:
    number: int  # 1-based
    urls: tuple[str, ...]  # every page of this listing

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < len(self.urls) else None


@dataclass(frozen=True)
class FeedLink:
    label: str
    url: str
    kind: str  # rss | atom | ics


@dataclass(frozen=True)
class Listing:
    url: str
    title: str
    template: str  # file in publisher/site/templates/
    items: tuple[Item, ...] = ()
    pager: Pager | None = None
    grid: MonthGrid | None = None
    feeds: tuple[FeedLink, ...] = ()
    upcoming: tuple[Event, ...] = ()  # a category page also shows its coming events
    months: tuple[date, ...] = ()  # the calendar index links every month

    @property
    def src(self) -> str:
        """The virtual Markdown file MkDocs is given for this page."""
        return self.url + "index.md"


def build_listings(site: Site) -> list[Listing]:
    return [
        *_news_pages(site),
        *_category_pages(site),
        *_archive_pages(site),
        *_event_pages(site),
        Listing(
            urls.ALERTS,
            "緊急・安全情報",
            "alerts.html",
            tuple(site.alerts),
            feeds=_feeds("alerts", "緊急・安全情報"),
        ),
        Listing(urls.SEARCH, "サイト内検索", "search.html"),
        Listing(urls.BULLETINS, "広報紙", "bulletins.html", tuple(site.bulletins)),
    ]


def news_years(site: Site) -> list[int]:
    return sorted({n.published_at.year for n in site.news}, reverse=True)


def _paginate(items: list, size: int, base: str, title: str, template: str, **extra) -> list[Listing]:
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    page_urls = tuple(urls.news_page(n, base) for n in range(1, len(chunks) + 1))
    return [
        Listing(
            page_urls[n - 1],
            title if n == 1 else f"{title}（{n}ページ目）",
            template,
            tuple(chunk),
            Pager(n, page_urls),
            **extra,
        )
        for n, chunk in enumerate(chunks, start=1)
    ]


def _feeds(name: str, label: str) -> tuple[FeedLink, ...]:
    return (
        FeedLink(f"{label}（RSS）", urls.feed(name, "rss"), "rss"),
        FeedLink(f"{label}（Atom）", urls.feed(name, "atom"), "atom"),
    )


def _news_pages(site: Site) -> list[Listing]:
    return _paginate(
        site.news,
        site.config.news_per_page,
        urls.NEWS,
        "お知らせ",
        "news.html",
        feeds=_feeds("news", "お知らせ"),
    )


def _category_pages(site: Site) -> list[Listing]:
    pages = []
    upcoming = site.upcoming_events()
    for category in site.config.categories:
        news = site.in_category(site.news, category.slug)
        pages += _paginate(
            news,
            site.config.news_per_page,
            urls.news_category(category.slug),
            category.label,
            "news.html",
            feeds=_feeds(f"news-{category.slug}", category.label)
            + (
                FeedLink(f"{category.label}のイベント（iCalendar）", urls.ics_category(category.slug), "ics"),
            ),
            upcoming=tuple(site.in_category(upcoming, category.slug)),
        )
    return pages


def _archive_pages(site: Site) -> list[Listing]:
    return [
        Listing(
            urls.news_archive(year),
            f"{year}年のお知らせ",
            "news.html",
            tuple(n for n in site.news if n.published_at.year == year),
        )
        for year in news_years(site)
    ]


def _event_pages(site: Site) -> list[Listing]:
    today = site.now.date()
    grids = month_grids(site.events, today)
    calendar_feeds = (FeedLink("イベントカレンダー（iCalendar）", urls.ICS_ALL, "ics"),) + _feeds(
        "events", "イベント"
    )
    pages = [
        Listing(urls.EVENTS, "イベント", "events.html", tuple(site.upcoming_events()), feeds=calendar_feeds),
        *_paginate(
            site.past_events(),
            site.config.news_per_page * 2,
            urls.PAST_EVENTS,
            "終了したイベント",
            "events.html",
        ),
        Listing(
            urls.CALENDAR,
            "イベントカレンダー",
            "calendar_index.html",
            grid=next(g for g in grids if g.month == today.replace(day=1)),
            feeds=calendar_feeds,
            months=tuple(g.month for g in grids),
        ),
    ]
    pages += [
        Listing(
            urls.calendar_month(g.month),
            f"イベントカレンダー {g.month.year}年{g.month.month}月",
            "calendar.html",
            grid=g,
            feeds=calendar_feeds,
        )
        for g in grids
    ]
    return pages
