"""Japanese split into words for the search index, and the search copies Pagefind reads."""

from __future__ import annotations

import pytest

from publisher.outputs.search_index import search_copy
from publisher.outputs.words import SEPARATOR, SPACE_MARK, WordSplitter, joined

TEXTS = [
    "ふるさと祭りのお知らせ（第110号）",
    "2026年12月5日（土）10:00〜12:00",
    "Wi-Fi を使えます。",
    "𠮷野家で🎉祭りを開催！",
    "English only, untouched.",
    "甘楽町　総務課",
    "ｶﾝﾗ町の「こんにゃくパーク」",
]


@pytest.fixture(scope="module")
def words():
    return WordSplitter()


@pytest.mark.parametrize("text", TEXTS)
def test_splitting_only_adds_separators_and_marks_ideographic_spaces(words, text):
    spaced = words.spaced(text)
    assert "　" not in spaced
    assert spaced.replace(SEPARATOR, "").replace(SPACE_MARK, "　") == text


def test_an_ideographic_space_is_a_word_of_its_own(words):
    """Pagefind keeps the mark in excerpts; as a word of its own it joins no word it would hide."""
    assert words.spaced("日時　12月5日").split(SEPARATOR) == ["日時", SPACE_MARK, "12", "月", "5", "日"]
    assert words.spaced("Hello　World").split(SEPARATOR) == ["Hello", SPACE_MARK, "World"]


def test_words_apart_next_to_japanese_only(words):
    assert words.spaced("ふるさと祭りのお知らせ").split(SEPARATOR) == ["ふるさと", "祭り", "の", "お知らせ"]
    assert words.spaced("2026年").split(SEPARATOR) == ["2026", "年"]
    assert words.spaced("Wi-Fi 10:00").split(SEPARATOR) == ["Wi-Fi 10:00"]  # no Japanese: as it was
    assert SEPARATOR not in words.spaced("English only, untouched.")


def test_characters_beyond_the_basic_plane_stay_whole(words):
    """ICU counts UTF-16 units; an emoji or 𠮷 before a boundary must not shift the cut."""
    assert words.spaced("𠮷野家で🎉祭り").split(SEPARATOR) == ["𠮷", "野家", "で", "🎉", "祭り"]


@pytest.mark.parametrize("text", [t for t in TEXTS if " " not in t])  # Pagefind gives one space per run
def test_the_search_page_joins_the_words_back(words, text):
    as_pagefind_gives_it = words.spaced(text).replace(SEPARATOR, " ")
    assert joined(as_pagefind_gives_it) == text
    assert joined("しかた. 甘楽町") == "しかた　甘楽町"  # Pagefind's ". " ending a Japanese block
    assert joined("See the map. Then go.") == "See the map. Then go."


PAGE = """<!doctype html><html lang="ja" class="no-js"><head><title>ごみ収集 - 甘楽町</title>
<script>var nav = "<div>";</script></head><body><nav>メニュー</nav>
<div class="md-content"><div data-pagefind-body><h1>ごみ収集</h1>
<p class="meta" data-pagefind-ignore>掲載日 2026年</p>
<div class="box"><p>燃えるごみ &amp; 資源ごみ</p></div><!-- <div> -->
<img src="a.jpg" alt="収集車の写真"><script>if (a < b) { x = "</div>"; }</script>
<p>詳しくは環境課へ</p></div><footer>甘楽町役場</footer></div></body></html>"""


def test_search_copy_keeps_what_pagefind_reads_with_its_words_apart(words):
    copy = search_copy(PAGE, words)
    assert copy.startswith('<!doctype html><html lang="ja" class="no-js"><title>ごみ収集 - 甘楽町</title>')
    s = SEPARATOR
    assert f"<h1>ごみ{s}収集</h1>" in copy
    assert f"燃える{s}ごみ &amp; 資源{s}ごみ" in copy  # entities stay entities
    assert f'alt="収集{s}車{s}の{s}写真"' in copy
    assert f"は{s}環境{s}課{s}へ</p>" in copy  # past the nested <div>, the comment and the script
    assert 'x = "</div>";' in copy  # scripts as they were
    assert "data-pagefind-ignore" in copy and "メニュー" not in copy and "甘楽町役場" not in copy
    assert copy.endswith("</p></div></body></html>")


def test_a_page_without_an_indexed_part_is_copied_as_it_is(words):
    page = '<html lang="ja"><body><p>一覧</p></body></html>'
    assert search_copy(page, words) == page


def test_another_icu_indexes_the_shards_again(tmp_path, monkeypatch):
    """The search page splits queries with the browser's ICU; a stored shard split by another
    ICU release must not be reused as it is."""
    from publisher.outputs import search_index

    (tmp_path / "site/news/2026/a").mkdir(parents=True)
    (tmp_path / "site/news/2026/a/index.html").write_text(PAGE, encoding="utf-8")
    pages = ["news/2026/a/index.html"]

    def stored() -> list:
        return [
            s.stored for s in search_index._shards(tmp_path / "site", pages, tmp_path / "cache", 2026, {})
        ]

    before = stored()
    monkeypatch.setattr(search_index, "ICU_VERSION", "0.0")
    assert stored() != before
