"""Dates as town staff write them, and as residents read them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from publisher.content.dates import JST, format_span, parse_time_of_day, parse_when
from publisher.content.errors import FieldError

UTC = UTC


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


@pytest.mark.parametrize(
    "written, moment, has_time",
    [
        ("2026-04-01", jst(2026, 4, 1), False),
        ("2026-04-01 10:00", jst(2026, 4, 1, 10), True),
        ("2026-04-01T10:00:30", jst(2026, 4, 1, 10, 0, 30), True),
        ("2026-4-1", jst(2026, 4, 1), False),
        ("2026/4/1", jst(2026, 4, 1), False),
        ("2026/4/1 9:05", jst(2026, 4, 1, 9, 5), True),
        ("2026年4月1日", jst(2026, 4, 1), False),
        ("令和8年4月1日 10時", jst(2026, 4, 1, 10), True),
        ("令和元年5月1日", jst(2019, 5, 1), False),
        ("平成31年4月30日", jst(2019, 4, 30), False),
        ("平成元年1月8日", jst(1989, 1, 8), False),
        ("昭和64年1月7日", jst(1989, 1, 7), False),
        ("２０２６年４月１日", jst(2026, 4, 1), False),
        ("２０２６－０４－０１ １０：００", jst(2026, 4, 1, 10), True),
        ("令和８年４月１日　午後２時", jst(2026, 4, 1, 14), True),
        ("2026年4月1日 午後2時半", jst(2026, 4, 1, 14, 30), True),
        ("2026年4月1日 午前10時30分", jst(2026, 4, 1, 10, 30), True),
        ("2026年4月1日(水)", jst(2026, 4, 1), False),
        ("2026年4月1日（水曜日） 10:00", jst(2026, 4, 1, 10), True),
        ("2026年4月1日㈬ 10:00", jst(2026, 4, 1, 10), True),
        ("2026/4/1(水)", jst(2026, 4, 1), False),
        ("2026-04-01T10:00:00+09:00", jst(2026, 4, 1, 10), True),
        ("2026-04-01T10:00:00+0900", jst(2026, 4, 1, 10), True),
        ("2026-04-01T01:00:00Z", jst(2026, 4, 1, 10), True),
        ("2026-04-01T10:00+05:30", datetime(2026, 4, 1, 4, 30, tzinfo=UTC), True),
        ("2026-04-01T01:00:00.5Z", datetime(2026, 4, 1, 1, 0, 0, 500000, tzinfo=UTC), True),
        ("  2026-04-01  ", jst(2026, 4, 1), False),
    ],
)
def test_parse_when(written, moment, has_time):
    when = parse_when(written)
    assert when.moment == moment
    assert when.has_time is has_time


def test_no_offset_means_japan_time_not_utc():
    moment = parse_when("2026-04-01 10:00").moment
    assert moment.utcoffset() == timedelta(hours=9)
    assert moment == datetime(2026, 4, 1, 1, 0, tzinfo=UTC)
    assert parse_when("2026-04-01").moment == datetime(2026, 3, 31, 15, 0, tzinfo=UTC)


def test_day_is_the_japanese_calendar_day():
    assert parse_when("2026-03-31T20:00:00Z").day == date(2026, 4, 1)


def test_date_and_datetime_values_are_taken_as_japan_time():
    assert parse_when(date(2026, 4, 1)).moment == jst(2026, 4, 1)
    assert parse_when(date(2026, 4, 1)).has_time is False
    assert parse_when(datetime(2026, 4, 1, 10)).moment == jst(2026, 4, 1, 10)


@pytest.mark.parametrize(
    "written, message",
    [
        ("2026-13-01", "日付「2026-13-01」: 13月はありません"),
        ("2026年13月1日", "日付「2026年13月1日」: 13月はありません"),
        ("令和0年4月1日", "日付「令和0年4月1日」: 令和0年はありません（元年は 1 年です）"),
        (
            "平成32年1月1日",
            "日付「平成32年1月1日」: 平成は2019年4月30日までです（2020年1月1日は令和2年1月1日）",
        ),
        (
            "平成31年5月1日",
            "日付「平成31年5月1日」: 平成は2019年4月30日までです（2019年5月1日は令和元年5月1日）",
        ),
        (
            "令和元年4月30日",
            "日付「令和元年4月30日」: 令和は2019年5月1日からです（2019年4月30日は平成31年4月30日）",
        ),
        ("2026年2月30日", "日付「2026年2月30日」: 2月30日は存在しません"),
        ("2025-02-29", "日付「2025-02-29」: 2月29日は存在しません"),
        ("2026年4月1日(月)", "日付「2026年4月1日(月)」: 4月1日は水曜日です（月曜日と書かれています）"),
        ("2026年4月1日㈪", "日付「2026年4月1日㈪」: 4月1日は水曜日です（月曜日と書かれています）"),
        ("2026-04-01 25:00", "時刻「2026-04-01 25:00」は存在しません"),
        ("2026-04-01 24:00", "時刻「2026-04-01 24:00」: 24時は翌日の0時として書いてください"),
        ("2026-04-01 午後13時", "時刻「2026-04-01 午後13時」: 午前・午後と 13時 は一緒に使えません"),
        (
            "来年の春",
            "日付「来年の春」を読み取れません（例: 2026-04-01 10:00、2026/4/1、令和8年4月1日 10時）",
        ),
        (
            "2026-04-01 10:00 JST",
            "日付「2026-04-01 10:00 JST」の末尾「JST」を読み取れません（例: 2026-04-01 10:00、2026/4/1、令和8年4月1日 10時）",
        ),
        (
            "2026-04-01 ごろ",
            "日付「2026-04-01 ごろ」の時刻を読み取れません（例: 2026-04-01 10:00、2026/4/1、令和8年4月1日 10時）",
        ),
    ],
)
def test_parse_when_errors_quote_what_was_written(written, message):
    with pytest.raises(FieldError) as raised:
        parse_when(written)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "written, clock",
    [
        ("15:00", time(15, 0)),
        ("9:05", time(9, 5)),
        ("15時", time(15, 0)),
        ("15時30分", time(15, 30)),
        ("午後3時", time(15, 0)),
        ("午後3時半", time(15, 30)),
        ("午前0時", time(0, 0)),
        ("９：３０", time(9, 30)),
        ("2026-04-01", None),
        ("2026-04-01 15:00", None),
        ("閉会まで", None),
    ],
)
def test_parse_time_of_day(written, clock):
    assert parse_time_of_day(written) == clock


@pytest.mark.parametrize(
    "written, message",
    [
        ("25:00", "時刻「25:00」は存在しません"),
        ("9:75", "時刻「9:75」は存在しません"),
        ("午後13時", "時刻「午後13時」: 午前・午後と 13時 は一緒に使えません"),
    ],
)
def test_parse_time_of_day_errors(written, message):
    with pytest.raises(FieldError) as raised:
        parse_time_of_day(written)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "start, end, text",
    [
        ("2026-12-05 10:00", None, "2026年12月5日（土） 10:00"),
        ("2026-12-05", None, "2026年12月5日（土）"),
        ("2026-12-05 10:00", "2026-12-05 12:00", "2026年12月5日（土） 10:00〜12:00"),
        ("2026-12-05", "2026-12-06", "2026年12月5日（土）〜12月6日（日）"),
        ("2026-12-05 23:00", "2026-12-06 01:30", "2026年12月5日（土） 23:00〜12月6日（日） 1:30"),
        ("2026-12-31 18:00", "2027-01-01 02:00", "2026年12月31日（木） 18:00〜2027年1月1日（金） 2:00"),
        ("2026-12-05 10:00", "2026-12-05", "2026年12月5日（土） 10:00"),
        ("2026-12-05T01:00:00Z", "2026-12-05T03:00:00Z", "2026年12月5日（土） 10:00〜12:00"),
        ("2026-12-05T23:00:00Z", None, "2026年12月6日（日） 8:00"),
        ("令和8年12月5日 午前10時", "令和8年12月5日 午後3時半", "2026年12月5日（土） 10:00〜15:30"),
    ],
)
def test_format_span(start, end, text):
    assert format_span(parse_when(start), parse_when(end) if end else None) == text
