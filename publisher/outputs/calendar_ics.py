"""iCalendar files for calendar apps (the only icalendar import): stable UIDs, Asia/Tokyo times."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from ..content import urls
from ..content.dates import JST
from ..content.model import Event, Site

_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def write_calendars(site: Site, site_url: str, out_dir: Path, cache_dir: Path | None = None) -> list[Path]:
    """Write every calendar; with `cache_dir`, a calendar whose events did not change is
    copied from there (icalendar takes seconds for a town's ten years of events)."""
    town = site.config.town_name
    targets = [(urls.ICS_ALL, f"{town} イベント", site.events)]
    targets += [
        (urls.ics_category(c.slug), f"{town} {c.label}のイベント", site.in_category(site.events, c.slug))
        for c in site.config.categories
    ]
    written, used = [], set()
    for path, name, events in targets:
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(
            _stored(cache_dir, used, name, events, site_url)
            if cache_dir
            else calendar_bytes(name, events, site_url)
        )
        written.append(target)
    for stale in cache_dir.glob("*.ics") if cache_dir and cache_dir.is_dir() else ():
        if stale.name not in used:
            stale.unlink(missing_ok=True)
    return written


def _stored(cache_dir: Path, used: set[str], name: str, events: list[Event], site_url: str) -> bytes:
    """The calendar from the cache, made and stored when its inputs are new: the events are
    frozen records, so their repr, the name, the URL and this module's code decide the bytes."""
    key = hashlib.sha256("\0".join([_CODE, version("icalendar"), name, site_url, repr(events)]).encode())
    path = cache_dir / f"{key.hexdigest()}.ics"
    used.add(path.name)
    try:
        return path.read_bytes()
    except OSError:
        data = calendar_bytes(name, events, site_url)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        return data


def calendar_bytes(name: str, events: list[Event], site_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//publisher//town calendar//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    host = urlsplit(site_url).hostname or "localhost"
    for event in events:
        for number, occurrence in enumerate(event.occurrences, start=1):
            calendar.add_component(_component(event, number, occurrence, site_url, host))
    calendar.add_missing_timezones()
    if not calendar.subcomponents:
        # A category with no events keeps its file (calendar apps stay subscribed to it), and
        # RFC 5545 wants at least one component: the time zone its events will use.
        calendar.add_component(Timezone.from_tzid("Asia/Tokyo"))
    return calendar.to_ical()


def _component(event: Event, number: int, occurrence, site_url: str, host: str) -> CalendarEvent:
    url = urljoin(site_url, event.url)
    component = CalendarEvent()
    # The UID must never change, or calendar apps show the event twice: derive it from the path.
    component.add("uid", f"{event.id.replace('/', '-')}-{number}@{host}")
    component.add("dtstamp", event.published_at.astimezone(JST))
    start = occurrence.start
    if start.has_time:
        component.add("dtstart", start.moment.astimezone(JST))
        if occurrence.end:
            component.add("dtend", occurrence.last_moment.astimezone(JST))
    else:  # all day: DTEND is the day after the last day
        component.add("dtstart", start.day)
        component.add("dtend", occurrence.days()[-1] + timedelta(days=1))
    component.add("summary", event.title)
    component.add("location", event.place)
    component.add("url", url)
    details = [event.summary] + [
        f"{label}: {value}"
        for label, value in (
            ("対象", event.target),
            ("定員", event.capacity),
            ("費用", event.fee),
            ("申込", event.apply),
            ("問合せ", event.contact),
        )
        if value
    ]
    component.add("description", "\n".join(details + [url]))
    if event.categories:
        component.add("categories", list(event.categories))
    return component
