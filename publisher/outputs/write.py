"""Files written after MkDocs has rendered the pages: feeds, calendars, open data, ふりがな, and
the theme's stylesheet minified."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..content.model import Site
from .calendar_ics import write_calendars
from .feeds import write_feeds
from .furigana import write_furigana
from .minify import minify_stylesheets
from .opendata import write_events_csv


def write_all(
    site: Site, site_url: str, out_dir: Path, body_html: Mapping[str, str], cache_dir: Path | None = None
) -> list[Path]:
    return [
        *write_feeds(site, site_url, out_dir, body_html),
        *write_calendars(site, site_url, out_dir, cache_dir / "calendars" if cache_dir else None),
        write_events_csv(site, site_url, out_dir),
        *write_furigana(out_dir, site.config.readings, cache_dir / "furigana" if cache_dir else None),
        *minify_stylesheets(out_dir),
    ]
