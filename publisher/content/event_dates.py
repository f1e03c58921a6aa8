"""An event's sittings from its `dates:` list or its `end:`, bounded so no file can stall a build."""

from __future__ import annotations

from datetime import datetime

from .dates import When, parse_time_of_day, parse_when
from .errors import FieldError
from .model import Occurrence

MAX_DATES = 10_000  # one event's sittings: bench/many_dates.py builds 10,000 in about 10 s


def event_dates(raw) -> tuple[Occurrence, ...]:
    if not isinstance(raw, list) or not raw:
        raise FieldError("開催日を「- start: 2027-01-10 10:00」のような一覧で書いてください")
    if len(raw) > MAX_DATES:
        raise FieldError(
            f"開催日が {len(raw):,} 回あります。{MAX_DATES:,} 回までにして、イベントを分けてください"
        )
    occurrences = []
    for number, entry in enumerate(raw, start=1):
        try:
            if isinstance(entry, dict):
                unknown = set(entry) - {"start", "end"}
                if unknown or "start" not in entry:
                    raise FieldError("各回は start（と end）で書いてください")
                start = parse_when(entry["start"])
                end = end_of(start, entry.get("end"))
            else:
                start, end = parse_when(entry), None
        except FieldError as error:
            raise FieldError(f"{number}回目: {error}") from None
        occurrences.append(Occurrence(start, end))
    return tuple(sorted(occurrences, key=lambda o: o.start.moment))


def end_of(start: When, raw) -> When | None:
    """`end` may be a full date-time or a bare time on the start's day; never before the start."""
    if raw is None:
        return None
    bare = parse_time_of_day(raw)
    end = When(datetime.combine(start.day, bare, start.moment.tzinfo), True) if bare else parse_when(raw)
    if end.moment < start.moment:
        raise FieldError(f"終了「{raw}」が開始より前になっています")
    return end
