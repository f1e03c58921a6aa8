"""Readings of the kanji in a text (ふりがな), and the words of a title with their readings (the
file names `publisher new` suggests), with SudachiPy and its core dictionary from PyPI: the only
module that imports them.

SudachiPy was chosen over fugashi + unidic-lite (docs/performance.md has the figures): both load
and read a page in milliseconds, but Sudachi's longest units read town names and compounds as
residents say them (甘楽町 かんらまち, 城下町 じょうかまち, 秋畑 あきはた), where unidic-lite
reads 甘楽町役場 as かんらちょうやくば. The dictionary is loaded once per process, and only when a
page is not in the cache (publisher/outputs/furigana.py), so a build with every page stored
never loads it. Words the dictionary still gets wrong come from the config's `readings:`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata

from ..content.kana import align, has_kanji, hiragana, is_kana

Ruby = tuple[int, int, str]  # (start, end, reading in hiragana) over a run of kanji
_DIGITS = re.compile(r"[0-9０-９]+$")
# After a number, 日 and 分 read by the number (Sudachi reads 5日 as にち or か by context):
# 2日 ふつか … 10日 とおか, 14日, 20日 はつか, 24日; 1日 (ついたち or いちにち) gets none.
_DAY_KA = {2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 20, 24}
_MINUTE_PUN = {1, 3, 4, 6, 8, 0}  # 1分 いっぷん, 10分 じゅっぷん; 2分 にふん
CHUNK = 2000  # characters per call: Sudachi refuses very long input


def analyser_version() -> str:
    """Part of every cache key: a new dictionary may read differently."""
    return f"sudachipy {metadata.version('sudachipy')}, core {metadata.version('sudachidict-core')}"


@cache
def _tokenizer():
    from sudachipy import Dictionary, SplitMode  # ~0.1 s and ~90 MB (mapped): only when needed

    return Dictionary(dict="core").tokenizer(SplitMode.C), SplitMode.A


@dataclass(frozen=True)
class Word:
    """A word of a short text as the analyser splits it (SplitMode C, the units residents say)."""

    surface: str
    reading: str  # hiragana; the surface for words the dictionary does not know
    part: str  # the first level of its part of speech: 名詞, 接頭辞, 助詞 …


def words(text: str, listed: tuple[tuple[str, str], ...] = ()) -> list[Word]:
    """The words of a title (`publisher new` makes a file name from their readings), the
    config's `readings:` first: the core dictionary has no 水道管 and reads it 水 みず + 道管 どうかん."""
    return Readings(listed).words(text)


def _analysed_words(text: str) -> list[Word]:
    tokenizer, _ = _tokenizer()
    return [
        Word(m.surface(), hiragana(m.reading_form()), m.part_of_speech()[0])
        for m in tokenizer.tokenize(text[:CHUNK])
    ]


class Readings:
    """The readings of texts, the config's word list first (longest word first)."""

    def __init__(self, listed: tuple[tuple[str, str], ...] = ()):
        self.listed = dict(listed)
        words = sorted(self.listed, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def words(self, text: str) -> list[Word]:
        """The words of a short text; a listed word is one noun with its listed reading."""
        found: list[Word] = []
        at = 0
        for match in self.pattern.finditer(text) if self.pattern else ():
            found += _analysed_words(text[at : match.start()]) if match.start() > at else []
            found.append(Word(match.group(), self.listed[match.group()], "名詞"))
            at = match.end()
        return found + (_analysed_words(text[at:]) if at < len(text) else [])

    def of(self, text: str) -> list[Ruby]:
        """Ruby over every run of kanji in `text` whose reading is known, in order."""
        if not has_kanji(text):
            return []
        found: list[Ruby] = []
        at = 0
        for match in self.pattern.finditer(text) if self.pattern else ():
            found += _analysed(text[at : match.start()], at)
            found += _placed(align(match.group(), self.listed[match.group()]) or [], match.start())
            at = match.end()
        return found + _analysed(text[at:], at)


def _placed(rubies, offset: int) -> list[Ruby]:
    return [(start + offset, end + offset, reading) for start, end, reading in rubies]


def _analysed(text: str, offset: int) -> list[Ruby]:
    found: list[Ruby] = []
    for chunk_at, chunk in _chunks(text):
        if not has_kanji(chunk):
            continue
        tokenizer, finer = _tokenizer()
        before = ""
        for word in tokenizer.tokenize(chunk):
            surface = word.surface()
            if has_kanji(surface):
                found += _placed(_word(word, before, finer), offset + chunk_at + word.begin())
            before = surface
    return found


def _word(word, before: str, finer) -> list[Ruby]:
    """A word's ruby: by its shorter units when they read the same (土砂災害 → 土砂 + 災害),
    which keeps each reading over its own kanji."""
    surface, reading = word.surface(), word.reading_form()
    counted = _after_number(surface[:1] if surface in ("分間", "日間") else surface, before)
    if counted is not None and surface[1:] == "間":  # 3分間 さんぷんかん, 5日間 いつかかん
        return [(0, 1, counted), (1, 2, "かん")] if counted else [(1, 2, "かん")]
    if counted is not None:
        return [(0, len(surface), counted)] if counted else []
    if not is_kana(reading):  # an unknown word: Sudachi gives the surface back
        return []
    units = word.split(finer)
    if len(units) > 1 and "".join(u.reading_form() for u in units) == reading:
        base = word.begin()
        return [
            ruby
            for unit in units
            for ruby in _placed(align(unit.surface(), unit.reading_form()) or [], unit.begin() - base)
        ]
    return align(surface, hiragana(reading)) or []


def _after_number(surface: str, before: str) -> str | None:
    """The reading of 日 or 分 right after a number ("" for none), or None for any other word."""
    number = _DIGITS.search(before)
    if surface not in ("日", "分") or number is None:
        return None
    value = int(number.group().translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if surface == "日":
        return "" if value == 1 else "か" if value in _DAY_KA else "にち"
    return "ぷん" if value % 10 in _MINUTE_PUN and value != 0 else "ふん"


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """`text` in pieces of at most CHUNK characters, cut after 。 or a line break when there is one."""
    at = 0
    while at < len(text):
        end = min(at + CHUNK, len(text))
        if end < len(text):
            cut = max(text.rfind("。", at, end), text.rfind("\n", at, end))
            end = cut + 1 if cut > at else end
        yield at, text[at:end]
        at = end
