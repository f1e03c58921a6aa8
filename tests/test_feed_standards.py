"""The sample site's feeds, calendars and structured data checked against their standards:
Atom against the RELAX NG grammar of RFC 4287 (tests/data/atom/) plus the rules its grammar
leaves to Schematron notes, RSS 2.0's required elements, RFC 5545's one component, and the
properties Google's event results require."""

from __future__ import annotations

import json
import re
from pathlib import Path

import icalendar
import pytest
from lxml import etree

pytestmark = pytest.mark.slow  # the sample site built for real

SCHEMA = Path(__file__).resolve().parent / "data/atom/atom.rng"
ATOM = "{http://www.w3.org/2005/Atom}"
PAGE_ONLY = re.compile(r"data-pagefind|<picture|<source|\sloading=|fetchpriority|\srole=|\sclass=|tabindex")


def atom_problems(path: Path) -> list[str]:
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    document = etree.parse(str(path))
    problems = [] if schema.validate(document) else [str(e) for e in schema.error_log]
    feed = document.getroot()
    has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in feed.iter(f"{ATOM}entry"):
        title = entry.findtext(f"{ATOM}title")
        if not has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"{path.name}: entry {title} has no author (RFC 4287 4.1.2)")
        if entry.find(f"{ATOM}link[@rel='alternate']") is None and entry.find(f"{ATOM}content") is None:
            problems.append(f"{path.name}: entry {title} has neither an alternate link nor content")
        content = entry.findtext(f"{ATOM}content") or ""
        if PAGE_ONLY.search(content):
            problems.append(
                f"{path.name}: entry {title} carries page-only markup: {PAGE_ONLY.search(content).group()}"
            )
        problems += [
            f"{path.name}: category {c.get('term')} has no label"
            for c in entry.iter(f"{ATOM}category")
            if not c.get("label")
        ]
    return problems


def test_every_atom_feed_is_valid_and_has_authors(sample_site):
    feeds = sorted((sample_site / "feeds").glob("*.atom"))
    assert len(feeds) >= 10
    assert [problem for path in feeds for problem in atom_problems(path)] == []


def test_the_checks_fail_on_a_feed_that_breaks_them(sample_site, tmp_path):
    text = (sample_site / "feeds/news.atom").read_text(encoding="utf-8")
    broken = tmp_path / "broken.atom"
    broken.write_text(
        re.sub(r"<author>.*?</author>", "", text, flags=re.S).replace(" label=", " x-label="),
        encoding="utf-8",
    )
    problems = atom_problems(broken)
    assert any("has no author" in p for p in problems) and any("has no label" in p for p in problems)
    broken.write_text(
        text.replace("<updated>", "<modified>", 1).replace("</updated>", "</modified>", 1), encoding="utf-8"
    )
    assert atom_problems(broken)  # the grammar itself


def test_every_rss_feed_has_what_rss_2_requires(sample_site):
    for path in sorted((sample_site / "feeds").glob("*.xml")):
        channel = etree.parse(str(path)).getroot().find("channel")
        assert all(channel.findtext(name) for name in ("title", "link", "description")), path.name
        for item in channel.iter("item"):
            assert item.findtext("title") or item.findtext("description"), path.name
            assert not PAGE_ONLY.search(
                item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded") or ""
            )
            assert all(not re.fullmatch(r"[a-z]+", c.text or "") for c in item.iter("category")), path.name


def test_every_calendar_has_a_component(sample_site):
    calendars = sorted((sample_site / "calendar").glob("*.ics"))
    assert calendars
    for path in calendars:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert calendar.subcomponents, path.name


def test_event_structured_data_has_what_google_requires(sample_site):
    found = 0
    for page in (sample_site / "events").rglob("index.html"):
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S
        ):
            data = json.loads(block)
            for event in data if isinstance(data, list) else [data]:
                if event.get("@type") != "Event":
                    continue
                found += 1
                location = event["location"]
                assert event["name"] and event["startDate"] and location["name"], page
                address = location["address"]
                assert address["@type"] == "PostalAddress" and address["addressLocality"] == "甘楽町", page
                assert address["addressRegion"] == "群馬県" and address["addressCountry"] == "JP", page
    assert found >= 5
