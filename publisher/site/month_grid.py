"""Month grids for the events calendar: every day an event touches, multi-day and multi-date alike."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..content.model import Event, Occurrence

WEEK_HEADER = ("日", "月", "火", "水", "木", "金", "土")  # Japanese calendars start on Sunday


@dataclass(frozen=True)
class Sitting:
    """One event on one day of the calendar."""

    event: Event
    occurrence: Occurrence
    day: date


@dataclass(frozen=True)
class Day:
    day: date | None  # None pads the first and last week
    sittings: tuple[Sitting, ...] = ()


@dataclass(frozen=True)
class MonthGrid:
    month: date  # first day of the month
    weeks: tuple[tuple[Day, ...], ...]
    sittings: tuple[Sitting, ...]  # the month's list: each sitting once, on its first day in the month
    previous: date | None
    next: date | None

    def key(self) -> str:
        """The grid as text for the page cache, naming each event by its file: repr() would
        write an event's every date into every day it appears on (quadratic in `dates:`)."""
        days = [(d.day, [_sitting_key(s) for s in d.sittings]) for week in self.weeks for d in week]
        return repr((self.month, days, [_sitting_key(s) for s in self.sittings], self.previous, self.next))

    def events(self) -> list[Event]:
        return list({s.event.src: s.event for s in self.sittings}.values())


def _sitting_key(sitting: Sitting) -> tuple:
    return (sitting.event.src, sitting.occurrence, sitting.day)


def sittings_by_day(events: list[Event]) -> dict[date, list[Sitting]]:
    by_day: dict[date, list[Sitting]] = defaultdict(list)
    for event in events:
        for occurrence in event.occurrences:
            for day in occurrence.days():
                by_day[day].append(Sitting(event, occurrence, day))
    for sittings in by_day.values():
        sittings.sort(key=lambda s: (s.occurrence.all_day is False, s.occurrence.start.moment, s.event.title))
    return by_day


def calendar_months(events: list[Event], today: date) -> list[date]:
    """Every month from the first event (or this month) to the last event (or this month)."""
    days = [day for event in events for occurrence in event.occurrences for day in occurrence.days()]
    first = min(days + [today]).replace(day=1)
    last = max(days + [today]).replace(day=1)
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def month_grids(events: list[Event], today: date) -> list[MonthGrid]:
    by_day = sittings_by_day(events)
    months = calendar_months(events, today)
    grids = []
    for index, month in enumerate(months):
        weeks = tuple(
            tuple(Day(d, tuple(by_day.get(d, ()))) if d.month == month.month else Day(None) for d in week)
            for week in calendar.Calendar(firstweekday=6).monthdatescalendar(month.year, month.month)
        )
        listed = tuple(_first_days(s for week in weeks for cell in week for s in cell.sittings))
        grids.append(
            MonthGrid(
                month,
                weeks,
                listed,
                months[index - 1] if index > 0 else None,
                months[index + 1] if index + 1 < len(months) else None,
            )
        )
    return grids


def _first_days(sittings):
    """A multi-day sitting is listed once, not on each of its days."""
    seen = set()
    for sitting in sittings:
        key = (sitting.event.src, sitting.occurrence.start.moment)
        if key not in seen:
            seen.add(key)
            yield sitting


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)
