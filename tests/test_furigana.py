"""ふりがな at build time: readings of kanji only, the reading list, numbers, and the files beside
the pages with their cache (publisher/outputs/readings.py, furigana.py, content/kana.py)."""

from __future__ import annotations

import json
import re

import pytest

from publisher.content.config import parse_site_config
from publisher.content.errors import ContentErrors
from publisher.content.kana import align
from publisher.outputs import furigana, readings
from publisher.outputs.furigana import file_bytes, readings_path, text_nodes, write_furigana
from publisher.outputs.readings import Readings

LISTED = (("甘楽町", "かんらまち"), ("楽山園", "らくさんえん"), ("城下町", "じょうかまち"))
MINIMAL = {"town_name": "甘楽町", "categories": [{"slug": "kurashi", "label": "くらし"}]}
KANJI_ONLY = re.compile(r"^[\u4e00-\u9fff々ヶ]+$")


def ruby(text: str, listed=LISTED) -> list[tuple[str, str]]:
    return [(text[start:end], reading) for start, end, reading in Readings(listed).of(text)]


def test_kana_of_a_word_is_matched_in_its_reading():
    assert align("引っ越し", "ヒッコシ") == [(0, 1, "ひ"), (2, 3, "こ")]
    assert align("取り扱い", "とりあつかい") == [(0, 1, "と"), (2, 3, "あつか")]
    assert align("甘楽町", "カンラマチ") == [(0, 3, "かんらまち")]
    assert align("引っ越し", "いどう") is None  # not this word's reading: no ruby beats a wrong one
    assert align("ごみ", "ごみ") == []


def test_ruby_goes_over_kanji_only_and_mixed_words_keep_their_kana_bare():
    found = ruby("引っ越しの手続きは、甘楽町役場の住民課で受け付けます。")
    assert ("引", "ひ") in found and ("越", "こ") in found
    assert ("甘楽町", "かんらまち") in found
    assert all(KANJI_ONLY.match(base) for base, _ in found), found
    assert all(re.match(r"^[ぁ-ゖー]+$", reading) for _, reading in found), found


def test_the_reading_list_comes_before_the_dictionary():
    assert ("楽山園", "らくさんえん") in ruby("国指定名勝楽山園と城下町小幡")
    assert ("城下町", "じょうかまち") in ruby("国指定名勝楽山園と城下町小幡")
    assert ("楽山園", "らくさんえん") not in ruby("国指定名勝楽山園", listed=())


def test_days_and_minutes_read_by_their_number():
    found = ruby("12月5日・11日・20日・1日の午後3時30分から5分間")
    days = [reading for base, reading in found if base == "日"]
    assert days == ["か", "にち", "か"]  # 1日 (ついたち or いちにち) gets none
    assert [reading for base, reading in found if base == "分"] == ["ぷん", "ふん"]
    assert ("分", "ぷん") in ruby("3分間") and ("日", "か") in ruby("5日間")


def test_text_nodes_are_those_the_browser_has_outside_scripts_and_ruby():
    article = (
        '<article class="md-content__inner"><h1>甘楽町</h1><p>町の<strong>花</strong>は&amp;桜です。</p>'
        "<script>var 漢字 = 1;</script><ruby>既存<rt>きそん</rt></ruby><p>かなだけ</p></article>"
    )
    assert text_nodes(article) == ["甘楽町", "町の", "花", "は&桜です。"]


def test_a_readings_file_counts_positions_as_javascript_does():
    data = json.loads(
        file_bytes('<article class="md-content__inner"><p>😀甘楽町へ</p></article>', Readings(LISTED))
    )
    assert data == {"v": 1, "t": {"😀甘楽町へ": [[2, 5, "かんらまち"]]}}


SWITCH = '<button id="town-furigana">ふりがな</button>'


def _page(site, path: str, body: str) -> None:
    page = site / path
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        f'<html>{SWITCH}<article class="md-content__inner">{body}</article></html>', encoding="utf-8"
    )


def test_files_beside_the_pages_are_reused_until_the_text_or_the_list_changes(tmp_path, monkeypatch):
    site, cache = tmp_path / "site", tmp_path / "cache"
    _page(site, "index.html", "<p>甘楽町の楽山園</p>")
    _page(site, "news/a/index.html", "<p>城下町</p>")
    (site / "404.html").write_text('<article class="md-content__inner">甘楽町</article>', encoding="utf-8")
    written = write_furigana(site, LISTED, cache)
    assert sorted(p.relative_to(site).as_posix() for p in written) == [
        "index.furigana.json",
        "news/a/index.furigana.json",
    ]  # 404.html is served at any address and has no switch
    assert readings_path("news/a/index.html") == "news/a/index.furigana.json"
    assert "らくさんえん" in (site / "index.furigana.json").read_text(encoding="utf-8")

    calls = []
    monkeypatch.setattr(readings.Readings, "of", lambda self, text: calls.append(text) or [])
    write_furigana(site, LISTED, cache)  # a rebuild: nothing read again
    assert calls == []
    _page(site, "news/a/index.html", "<p>城下町の桜</p>")
    write_furigana(site, LISTED, cache)
    assert calls == ["城下町の桜"]
    write_furigana(site, LISTED[:1], cache)  # another reading list: every page again
    assert len(calls) == 3
    assert len(list(cache.glob("*.json"))) == 2  # stale files pruned


def test_serve_keeps_the_files_in_memory(tmp_path, monkeypatch):
    _page(tmp_path, "index.html", "<p>甘楽町で雪</p>")
    write_furigana(tmp_path, LISTED, None)
    monkeypatch.setattr(readings.Readings, "of", lambda self, text: pytest.fail("read again"))
    write_furigana(tmp_path, LISTED, None)
    assert furigana._remembered
    assert "かんらまち" in (tmp_path / "index.furigana.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("readings_option", "message"),
    [
        ({"ごみ": "ごみ"}, "漢字がありません"),
        ({"甘楽町": "kanra"}, "ひらがなかカタカナ"),
        ({"引っ越し": "いてん"}, "語のかなと合いません"),
        (["甘楽町"], "漢字の語: よみがな"),
    ],
)
def test_the_reading_list_is_checked_in_mkdocs_yml(readings_option, message):
    with pytest.raises(ContentErrors) as caught:
        parse_site_config({**MINIMAL, "readings": readings_option})
    assert message in str(caught.value.errors[0])
    assert "plugins.town.readings" in str(caught.value.errors[0])


def test_katakana_readings_are_kept_as_hiragana():
    assert parse_site_config({**MINIMAL, "readings": {"楽山園": "ラクサンエン"}}).readings == (
        ("楽山園", "らくさんえん"),
    )
