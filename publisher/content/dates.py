"""Dates as town staff write them: ISO, slashes, 和暦 and full-width digits.

Everything without an explicit offset is Japan time (Asia/Tokyo), never UTC.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .errors import FieldError

JST = ZoneInfo("Asia/Tokyo")

# (era, first day, last day): the era year must fall inside its span.
ERAS = {
    "明治": (date(1868, 1, 25), date(1912, 7, 29)),
    "大正": (date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "令和": (date(2019, 5, 1), date(9999, 12, 31)),
}
WEEKDAYS = "月火水木金土日"

_ERA = "|".join(ERAS)
_WEEKDAY = rf"(?:\s*\(\s*(?P<weekday>[{WEEKDAYS}])(?:曜日?)?\s*\))?"
_DATE_PATTERNS = [
    re.compile(rf"^(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_WEEKDAY}"),
    re.compile(rf"^(?P<year>\d{{4}})/(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}}){_WEEKDAY}"),
    re.compile(rf"^(?P<year>\d{{4}})年\s*(?P<month>\d{{1,2}})月\s*(?P<day>\d{{1,2}})日{_WEEKDAY}"),
    re.compile(
        rf"^(?P<era>{_ERA})\s*(?P<eyear>\d{{1,2}}|元)年\s*(?P<month>\d{{1,2}})月\s*(?P<day>\d{{1,2}})日{_WEEKDAY}"
    ),
]
_TIME_PATTERNS = [
    re.compile(
        r"^(?P<ampm>午前|午後)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
    ),
    re.compile(r"^(?P<ampm>午前|午後)?\s*(?P<hour>\d{1,2})時(?:\s*(?P<minute>\d{1,2})分|(?P<half>半))?"),
]
_OFFSET = re.compile(r"^(?:Z|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2}))$")
EXAMPLES = "例: 2026-04-01 10:00、2026/4/1、令和8年4月1日 10時"


@dataclass(frozen=True)
class When:
    """A moment in time. `has_time` is False for a date written without a time (all day)."""

    moment: datetime
    has_time: bool

    @property
    def day(self) -> date:
        return self.moment.astimezone(JST).date()


def now() -> datetime:
    """The one moment that decides what is published: PUBLISHER_NOW or the clock."""
    value = os.environ.get("PUBLISHER_NOW", "").strip()
    if not value:
        return datetime.now(JST)
    try:
        return parse_when(value).moment
    except FieldError as error:
        raise FieldError(f"環境変数 PUBLISHER_NOW: {error}") from None


def parse_when(value: object) -> When:
    """Parse a date or date-time; raise FieldError with a Japanese message quoting the input."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=JST)
        return When(moment.astimezone(JST), True)
    if isinstance(value, date):
        return When(datetime.combine(value, time(), JST), False)
    written = str(value).strip()
    text = _normalise(written)
    day, rest = _parse_date_part(text, written)
    rest = rest.lstrip(" T")
    if not rest:
        return When(datetime.combine(day, time(), JST), False)
    clock, rest = _parse_time_part(rest, written)
    tz = _parse_offset(rest.strip(), written)
    try:
        return When(datetime.combine(day, clock, tz).astimezone(JST), True)  # one zone everywhere
    except OverflowError:  # 9999-12-31 23:00 -05:00 is past the last moment Python can hold
        raise FieldError(f"日時「{written}」は扱える範囲（9999年12月31日まで）を超えています") from None


def parse_time_of_day(value: object) -> time | None:
    """`15:00` or `15時` alone (an event's end on the same day); None when not a bare time."""
    text = _normalise(str(value).strip())
    for pattern in _TIME_PATTERNS:
        match = pattern.match(text)
        if match and match.end() == len(text):
            return _time_from_match(match, str(value))
    return None


def _normalise(text: str) -> str:
    # NFKC turns full-width digits and colons into ASCII and ㈬ into (水).
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _parse_date_part(text: str, written: str) -> tuple[date, str]:
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _date_from_match(match, written), text[match.end() :]
    raise FieldError(f"日付「{written}」を読み取れません（{EXAMPLES}）")


def _date_from_match(match: re.Match, written: str) -> date:
    parts = match.groupdict()
    month, day_of_month = int(parts["month"]), int(parts["day"])
    if parts.get("era"):
        era = parts["era"]
        era_year = 1 if parts["eyear"] == "元" else int(parts["eyear"])
        if era_year < 1:
            raise FieldError(f"日付「{written}」: {era}{era_year}年はありません（元年は 1 年です）")
        first, last = ERAS[era]
        year = first.year + era_year - 1
    else:
        year, first, last = int(parts["year"]), None, None
    if not 1 <= month <= 12:
        raise FieldError(f"日付「{written}」: {month}月はありません")
    try:
        result = date(year, month, day_of_month)
    except ValueError:
        raise FieldError(f"日付「{written}」: {month}月{day_of_month}日は存在しません") from None
    if first and not first <= result <= last:
        raise FieldError(f"日付「{written}」: {_outside_era(parts['era'], result)}")
    weekday = parts.get("weekday")
    if weekday and WEEKDAYS[result.weekday()] != weekday:
        actual = WEEKDAYS[result.weekday()]
        raise FieldError(
            f"日付「{written}」: {result.month}月{result.day}日は{actual}曜日です（{weekday}曜日と書かれています）"
        )
    return result


def _outside_era(era: str, day: date) -> str:
    """平成は2019年4月30日までです（2020年1月1日は令和2年1月1日）"""
    first, last = ERAS[era]
    edge = f"{_western(first)}から" if day < first else f"{_western(last)}まで"
    wareki = _wareki(day)
    return f"{era}は{edge}です（{_western(day)}{'は' + wareki if wareki else ''}）"


def _western(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _wareki(day: date) -> str | None:
    for era, (first, last) in ERAS.items():
        if first <= day <= last:
            number = day.year - first.year + 1
            return f"{era}{'元' if number == 1 else number}年{day.month}月{day.day}日"
    return None


def _parse_time_part(text: str, written: str) -> tuple[time, str]:
    for pattern in _TIME_PATTERNS:
        match = pattern.match(text)
        if match:
            return _time_from_match(match, written), text[match.end() :]
    raise FieldError(f"日付「{written}」の時刻を読み取れません（{EXAMPLES}）")


def _time_from_match(match: re.Match, written: str) -> time:
    parts = match.groupdict()
    hour = int(parts["hour"])
    minute = 30 if parts.get("half") else int(parts.get("minute") or 0)
    second = int(parts.get("second") or 0)
    microsecond = int((parts.get("fraction") or "0").ljust(6, "0"))  # 10:00:00.5 from ISO tools
    if parts.get("ampm"):
        if hour > 12:
            raise FieldError(f"時刻「{written}」: 午前・午後と {hour}時 は一緒に使えません")
        hour = hour % 12 + (12 if parts["ampm"] == "午後" else 0)
    if hour == 24 and minute == 0 and second == 0:
        raise FieldError(f"時刻「{written}」: 24時は翌日の0時として書いてください")
    if hour > 23 or minute > 59 or second > 59:
        raise FieldError(f"時刻「{written}」は存在しません")
    return time(hour, minute, second, microsecond)


def _parse_offset(text: str, written: str):
    if not text:
        return JST
    match = _OFFSET.match(text)
    if not match:
        raise FieldError(f"日付「{written}」の末尾「{text}」を読み取れません（{EXAMPLES}）")
    if not match["sign"]:
        return UTC
    delta = timedelta(hours=int(match["oh"]), minutes=int(match["om"]))
    return timezone(delta if match["sign"] == "+" else -delta)


def format_day(day: date, with_year: bool = True) -> str:
    """2026年4月1日（水）; a date-time is first put in Japan time."""
    if isinstance(day, datetime):
        day = day.astimezone(JST).date()
    text = f"{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"
    return f"{day.year}年{text}" if with_year else text


def format_clock(moment: datetime) -> str:
    local = moment.astimezone(JST)
    return f"{local.hour}:{local.minute:02d}"


def format_when(when: When) -> str:
    """2026年4月1日（水）10:00, or the day alone when no time was written."""
    text = format_day(when.day)
    return f"{text} {format_clock(when.moment)}" if when.has_time else text


def format_span(start: When, end: When | None) -> str:
    """A sitting as residents read it: 2026年12月5日（土）10:00〜12:00, or day〜day."""
    if end is None:
        return format_when(start)
    if end.day == start.day:
        if not end.has_time or not start.has_time:
            return format_when(start)
        return f"{format_when(start)}〜{format_clock(end.moment)}"
    same_year = end.day.year == start.day.year
    end_text = format_day(end.day, with_year=not same_year)
    if end.has_time:
        end_text += f" {format_clock(end.moment)}"
    return f"{format_when(start)}〜{end_text}"


def format_spans(occurrences) -> str:
    """An event's sittings on one line, as the feeds, SNS posts and summaries say them."""
    return "、".join(format_span(o.start, o.end) for o in occurrences)
