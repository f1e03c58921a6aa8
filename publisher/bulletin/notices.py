"""Bulletin notices (と　き / ところ / …) → event drafts, dates resolved against the issue.

Bulletins write dates without a year (「1月18日㈰　午前10時～正午」) and announce forward:
a month earlier than the issue's month belongs to the next year. Anything not read with
certainty becomes a Check for a person, never a guess: a wrong weekday is a misprint of
either the day or the weekday, and only a person can tell which.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from ..content.dates import ERAS, WEEKDAYS
from .records import RISK_NOTICE, Check, Notice

DAILY_MAX = 14  # a longer range with daily hours (an exhibition) stays one span
ISSUE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")

# After NFKC: ㈰ and （日） are both "(日)", ～ is "~", full-width digits are ASCII.
_DAY = re.compile(
    r"(?:(?P<era>令和|平成)\s*(?P<eyear>\d{1,2}|元)\s*年|(?P<year>\d{4})\s*年)?\s*"
    r"(?:(?P<month>\d{1,2})\s*月)?\s*(?P<day>\d{1,2})\s*日"
    r"\s*(?:\(\s*(?:(?P<weekday>[月火水木金土日])(?:曜日?)?\s*(?:[・･]?\s*祝日?)?|祝日?|休日?)\s*\))?"
)
_CLOCK = re.compile(
    r"(?P<noon>正午)|(?P<ampm>午前|午後)?\s*(?P<hour>\d{1,2})\s*"
    r"(?:時(?:\s*(?P<minute>\d{1,2})\s*分|(?P<half>半))?|:(?P<colon>\d{2}))"
)
_RANGE = re.compile(r"\s*(?:~|〜|-|−|から)\s*")
_NOTHING = re.compile("")


@dataclass(frozen=True)
class EventDraft:
    """An event as the front matter takes it; start/end are ISO text ("2026-01-18 10:00")."""

    title: str
    start: str
    end: str = ""
    place: str = ""
    fee: str = ""
    target: str = ""
    capacity: str = ""
    apply: str = ""
    contact: str = ""
    summary: str = ""
    when: str = ""  # と　き as printed, kept in the draft for proofreading
    dates: tuple[tuple[str, str], ...] = ()  # daily sittings (24日～25日 午後4時～8時); start/end span them


class Unreadable(ValueError):
    """The date text cannot be resolved with certainty; the message is for staff."""


@dataclass(frozen=True)
class _Clock:
    value: time
    ampm: str | None


@dataclass(frozen=True)
class _Span:
    start: date
    start_time: _Clock | None
    end: date | None
    end_time: _Clock | None
    daily: bool = False  # the hours hold on each day of the range


def notice_to_event(notice: Notice, issue: str, *, title: str = "", page: int = 0) -> EventDraft | Check:
    """The event a notice announces, or a Check saying what a person must look at."""
    if not notice.when.strip():
        return Check(
            page, f"「{title or notice.content}」の催しに「と　き」がありません。日付を確認してください"
        )
    try:
        sittings = resolve_when(notice.when, issue)
    except Unreadable as error:
        return Check(page, str(error))
    return EventDraft(
        title=title or notice.content,
        start=sittings[0][0],
        end=sittings[-1][1],
        place=notice.place,
        fee=notice.fee,
        target=notice.target,
        capacity=notice.capacity,
        apply=notice.apply,
        contact=notice.contact,
        summary=notice.content,
        when=notice.when,
        dates=sittings if len(sittings) > 1 else (),
    )


# o'clock: a town's event starting before this is a misreading more often than not (1時 for 11時)
EARLIEST = 6


def event_doubts(draft: EventDraft, page: int) -> list[Check]:
    """What a person must look at in an event draft: a missing place, a start in the night."""
    doubts = []
    if not draft.place.strip():
        doubts.append(
            Check(
                page,
                f"イベント「{draft.title}」に「ところ」がありません。place（場所）を書いてください",
                RISK_NOTICE,
            )
        )
    starts = [start for start, _ in draft.dates] or [draft.start]
    if any(len(start) >= 16 and int(start[11:13]) < EARLIEST for start in starts):
        doubts.append(
            Check(
                page,
                f"イベント「{draft.title}」の時刻が {starts[0][11:16]} になっています。"
                f"紙面の「{draft.when}」と見比べてください（読み取りの誤りかもしれません）",
                RISK_NOTICE,
            )
        )
    return doubts


# A day printed apart from the notice (in a balloon or a heading: 8/30(日)), with its weekday so
# that it is a date and not a ratio; a deadline (…まで) is not the day of the event.
_PRINTED_DAY = re.compile(
    r"(?P<month>\d{1,2})\s*(?:月|/)\s*(?P<day>\d{1,2})\s*日?\s*\(\s*(?P<weekday>[月火水木金土日])[^)]{0,4}\)(?!\s*(?:まで|締切|〆))"
)


def with_printed_day(notice: Notice, texts: list[str]) -> Notice:
    """A notice whose と　き gives hours but no day (時間 ①10:00～11:30), with the one day printed
    elsewhere in its article; unchanged when the article prints no day or several."""
    when = unicodedata.normalize("NFKC", notice.when)
    if not _CLOCK.search(when) or _DAY.search(when):
        return notice
    days = {
        (m["month"], m["day"], m["weekday"])
        for text in texts
        for m in _PRINTED_DAY.finditer(unicodedata.normalize("NFKC", text))
    }
    if len(days) != 1:
        return notice
    month, day, weekday = days.pop()
    return replace(notice, when=f"{int(month)}月{int(day)}日({weekday}) {notice.when}")


def resolve_when(written: str, issue: str) -> tuple[tuple[str, str], ...]:
    """The sittings, as (start, end) ISO text, of a と　き written in the issue `YYYY-MM`.
    One sitting unless the same hours hold on each day of a range; end may be ""."""
    year, month = issue_year_month(issue)
    text = _sessions_as_one(re.sub(r"\s+", " ", unicodedata.normalize("NFKC", written)).strip())
    separate = _separate_days(text)
    if separate:  # 2月14日㈯・15日㈰ 午前10時～: the same hours on each listed day
        return tuple(sitting for day in separate for sitting in resolve_when(day, issue))
    try:
        span = _parse(text)
        first = _day(span.start, None, year, month, written)
        last = _day(span.end, first, year, month, written) if span.end else None
    except _NoMatch:
        raise Unreadable(f"と　き「{written}」の日付を読み取れませんでした。確認してください") from None
    return _format(first, last, span, written)


_SESSION_MARK = re.compile(r"(?:[①-⑳]|\(\d\))\s*(?=(?:午前|午後)?\s*\d{1,2}\s*[:時])")


def _sessions_as_one(text: str) -> str:
    """Sessions of one day (①10:00~11:30 ②13:30~15:00) as one span, first start to last end:
    the event's day as a calendar shows it; the sessions stay in the article."""
    text = _SESSION_MARK.sub("", text)
    day = _DAY.match(text)
    # Hours in a bracketed note (受付9時30分から) are not the event's.
    plain = re.sub(r"\([^)]*\)", lambda m: " " * len(m.group()), text[day.end() :]) if day else ""
    clocks = list(_CLOCK.finditer(plain))
    if not day or len(clocks) < 2 or _DAY.search(text, day.end()):
        return text
    if re.match(r"\s*(?:~|〜)\s*$", plain[clocks[-1].end() :]):  # ①10:30~ ②13:30~: starts only
        return f"{text[: day.end()]} {clocks[0].group(0)}~"
    return f"{text[: day.end()]} {clocks[0].group(0)}~{clocks[-1].group(0)}"


_SEPARATOR = re.compile(r"\s*[・、,]\s*(?=\d{1,2}日)")
_MONTH_PREFIX = re.compile(r"^(?:\S*?\d+年)?\s*\d{1,2}月")


def _separate_days(text: str) -> list[str]:
    """Days listed with 「・」 or 「、」, each given the first day's month and the last day's hours."""
    pieces = _SEPARATOR.split(text)
    prefix = _MONTH_PREFIX.match(pieces[0])
    if len(pieces) < 2 or not prefix:
        return []
    last = _DAY.match(pieces[-1])
    hours = pieces[-1][last.end() :] if last else ""
    days = pieces[:-1] + [pieces[-1][: last.end()] if last else pieces[-1]]
    return [day + hours if n == 0 else prefix.group(0) + day + hours for n, day in enumerate(days)]


def issue_year_month(issue: str) -> tuple[int, int]:
    match = ISSUE.match(issue)
    if not match or not 1 <= int(match["month"]) <= 12:
        raise ValueError(f"号「{issue}」は 2026-01 のように西暦の年と月で書いてください")
    return int(match["year"]), int(match["month"])


class _NoMatch(Exception):
    pass


def _parse(text: str) -> _Span:
    """Date [time] [~ [date] [time]] [(note)]; a note without digits may follow."""
    start = _DAY.match(text)
    if not start or not start["month"]:
        raise _NoMatch
    pos = start.end()
    start_time, pos = _clock(text, pos)
    end = end_time = None
    daily = False
    sep = _RANGE.match(text, pos) or _lost_range(text, pos, start_time)
    if sep:
        end, pos = _optional(_DAY, text, sep.end())
        if start_time is None and end is not None:  # 24日㈯～25日㈰　午前10時～午後3時: daily hours
            start_time, end_time, pos = _clock_range(text, pos)
            daily = end_time is not None
        if end_time is None:
            end_time, pos = _clock(text, pos)
    rest = text[pos:].strip()
    if rest and not rest.startswith(("(", "毎")) and re.search(r"\d", rest):  # 毎月第2・4土曜日: a note
        raise _NoMatch  # a second date or sitting: only a person can split it
    return _Span(start, start_time, end, end_time, daily)


def _lost_range(text: str, pos: int, start_time) -> re.Match | None:
    """An empty match where a second date with its month follows the first with nothing
    between: OCR lost the ～ of a range (「2月16日3月16日午前9時～午後4時」)."""
    if start_time is not None:
        return None
    second = _DAY.match(text, pos)
    adjacent = second and second["month"] and second.start("month") <= pos + 1
    return _NOTHING.match(text, pos) if adjacent else None


def _optional(pattern: re.Pattern, text: str, pos: int):
    match = pattern.match(text, pos)
    return (match, match.end()) if match else (None, pos)


def _clock(text: str, pos: int) -> tuple[_Clock | None, int]:
    match = _CLOCK.match(text, re.match(r"\s*", text[pos:]).end() + pos)
    if not match:
        return None, pos
    if match["noon"]:
        return _Clock(time(12, 0), "午後"), match.end()
    hour, minute = int(match["hour"]), 30 if match["half"] else int(match["minute"] or match["colon"] or 0)
    if match["ampm"]:
        if hour > 12:
            raise _NoMatch
        hour = hour % 12 + (12 if match["ampm"] == "午後" else 0)
    if hour > 23 or minute > 59:
        raise _NoMatch
    return _Clock(time(hour, minute), match["ampm"]), match.end()


def _clock_range(text: str, pos: int):
    first, after = _clock(text, pos)
    sep = _RANGE.match(text, after) if first else None
    second, end = _clock(text, sep.end()) if sep else (None, after)
    return (first, second, end) if second else (None, None, pos)


def _day(match: re.Match, start: date | None, year: int, month: int, written: str) -> date:
    """A printed day: explicit years win; otherwise forward from the issue (or the start day)."""
    parts = match.groupdict()
    if parts["era"]:
        first = ERAS[parts["era"]][0]
        explicit = first.year + (0 if parts["eyear"] == "元" else int(parts["eyear"]) - 1)
    else:
        explicit = int(parts["year"]) if parts["year"] else None
    day = int(parts["day"])
    if parts["month"]:
        m = int(parts["month"])
        ref_year, ref_month = (start.year, start.month) if start else (year, month)
        y = explicit or (ref_year + 1 if m < ref_month else ref_year)
    else:  # 「24日㈯～25日㈰」: the start's month, or the next one when the day is earlier
        y, m = start.year, start.month
        if day < start.day:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    try:
        result = date(y, m, day)
    except ValueError:
        raise Unreadable(f"と　き「{written}」: {m}月{day}日はありません。確認してください") from None
    _check_weekday(result, parts["weekday"], written)
    return result


def _check_weekday(day: date, printed: str | None, written: str) -> None:
    actual = WEEKDAYS[day.weekday()]
    if printed and printed != actual:
        raise Unreadable(
            f"と　き「{written}」: {day.year}年{day.month}月{day.day}日は{actual}曜日です"
            f"（{printed}曜日と書かれています）。日付と曜日を確認してください"
        )


def _format(first: date, last: date | None, span: _Span, written: str) -> tuple[tuple[str, str], ...]:
    start_time, end_time = span.start_time, span.end_time
    if (
        end_time
        and start_time
        and not end_time.ampm
        and start_time.ampm == "午後"
        and end_time.value.hour < 12
    ):
        end_time = _Clock(time(end_time.value.hour + 12, end_time.value.minute), "午後")  # 午後1時～3時
    start = datetime.combine(first, start_time.value if start_time else time())
    end_day = last or first
    end = datetime.combine(end_day, end_time.value if end_time else time())
    if (last or end_time) and (end < start or (end == start and end_time)):
        raise Unreadable(f"と　き「{written}」: 終わりが始まりより前になっています。確認してください")
    if last is None and end_time is None:
        return ((_iso(start, start_time is not None), ""),)
    if span.daily and last and (last - first).days < DAILY_MAX:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        return tuple(
            (_iso(datetime.combine(d, start.time()), True), _iso(datetime.combine(d, end.time()), True))
            for d in days
        )
    return ((_iso(start, start_time is not None), _iso(end, end_time is not None)),)


def _iso(moment: datetime, with_time: bool) -> str:
    return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
