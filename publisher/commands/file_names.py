"""A word-based file name for a new item, from its title's reading: 「こんにゃく教室を開きます」 →
`konnyaku-kyoshitsu`. The title is split and read by the site's analyser (SudachiPy, through
publisher/outputs/readings.py, the readings ふりがな uses, the config's `readings:` first); its nouns are romanised the way
Japanese addresses usually are (Hepburn without long-vowel marks: きょうしつ kyoshitsu, おおあめ
oame) and joined with hyphens. Staff accept the suggestion or type another name.
"""

from __future__ import annotations

import re
import unicodedata

from ..content.config import SLUG
from ..outputs.readings import Word, words

MAX_LENGTH = 40  # whole words only: a longer address is hard to read out or type
KEPT = {"名詞", "接頭辞", "接尾辞", "形状詞"}  # particles, verbs and endings say little in an address
GENERIC = {"おしらせ", "ごあんない", "あんない"}  # in half the titles: no help in telling pages apart

_ROWS = {
    "": "a i u e o",
    "k": "か き く け こ",
    "g": "が ぎ ぐ げ ご",
    "s": "さ し す せ そ",
    "z": "ざ じ ず ぜ ぞ",
    "t": "た ち つ て と",
    "d": "だ ぢ づ で ど",
    "n": "な に ぬ ね の",
    "h": "は ひ ふ へ ほ",
    "b": "ば び ぶ べ ぼ",
    "p": "ぱ ぴ ぷ ぺ ぽ",
    "m": "ま み む め も",
    "r": "ら り る れ ろ",
}
_VOWELS = "aiueo"
_SPECIAL = {"し": "shi", "ち": "chi", "つ": "tsu", "ふ": "fu", "じ": "ji", "ぢ": "ji", "づ": "zu"}
_SINGLE = {
    **{"あ": "a", "い": "i", "う": "u", "え": "e", "お": "o"},
    **{"や": "ya", "ゆ": "yu", "よ": "yo", "わ": "wa", "を": "o", "ん": "n", "ゔ": "vu"},
    **{"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o", "ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ゎ": "wa"},
}
for _consonant, _kana in _ROWS.items():
    if _consonant:
        for _vowel, _char in zip(_VOWELS, _kana.split(), strict=True):
            _SINGLE[_char] = _SPECIAL.get(_char, _consonant + _vowel)
# A kana followed by a small one: きゃ kya, しゃ sha, ちぇ che, ふぁ fa, てぃ ti (loanwords).
_PAIRS = {
    **{
        f"{k}{s}": f"{r[:-1]}{v}"
        for k, r in _SINGLE.items()
        if r.endswith("i")
        for s, v in (("ゃ", "ya"), ("ゅ", "yu"), ("ょ", "yo"))
    },
    **{
        f"{k}{s}": _SINGLE[k][:-1] + v
        for k in "しじち"
        for s, v in (("ゃ", "a"), ("ゅ", "u"), ("ょ", "o"), ("ぇ", "e"))
    },
    **{f"ふ{s}": f"f{v}" for s, v in zip("ぁぃぇぉ", "aieo", strict=True)},
    **{f"ゔ{s}": f"v{v}" for s, v in zip("ぁぃぇぉ", "aieo", strict=True)},
    **{"てぃ": "ti", "でぃ": "di", "とぅ": "tu", "どぅ": "du", "うぃ": "wi", "うぇ": "we", "うぉ": "wo"},
}
_LONG = re.compile(r"(?<=[ou])u|(?<=o)o")  # きょう kyo, しゅう shu, おおあめ oame


def suggest(title: str, listed: tuple[tuple[str, str], ...] = ()) -> str:
    """A file name from the title's nouns ("" when it has none that can be written in ASCII);
    `listed`: the config's `readings:`, words the dictionary reads wrongly (水道管: すいどうかん)."""
    parts: list[str] = []
    for word in _joined(words(title, listed)):
        written = romanised(word)
        if written and len("-".join([*parts, written])) <= MAX_LENGTH:
            parts.append(written)
    name = "-".join(parts)
    return name if SLUG.match(name) else ""


def _joined(found: list[Word]) -> list[str]:
    """Readings of the kept words, a prefix joined to the word after it (第 + 45 → dai45) and a
    suffix to the word before it (町民 + 等)."""
    joined: list[str] = []
    glue_next = False
    for word in found:
        if word.part not in KEPT or word.reading in GENERIC:
            glue_next = False
            continue
        reading = _ascii(word.surface) or word.reading
        if (glue_next or word.part == "接尾辞") and joined:
            joined[-1] += reading
        else:
            joined.append(reading)
        glue_next = word.part == "接頭辞"
    return joined


def _ascii(surface: str) -> str:
    """Letters and digits as written (ＤＸ dx, 45): their kana reading would be longer and odder."""
    plain = unicodedata.normalize("NFKC", surface).lower()
    return plain if re.fullmatch(r"[a-z0-9]+", plain) else ""


def romanised(reading: str) -> str:
    """Hiragana (and ASCII letters and digits) in lower-case Hepburn without long-vowel marks;
    anything else is left out."""
    out, kana, double = [], [], False
    at = 0
    while at < len(reading):
        pair, char = reading[at : at + 2], reading[at]
        if char == "っ":
            double, at = True, at + 1
            continue
        syllable = _PAIRS.get(pair) or _SINGLE.get(char)
        at += 2 if pair in _PAIRS else 1
        if not syllable:  # a letter or digit as written: long vowels are dropped from kana only
            out += [_LONG.sub("", "".join(kana)), _ascii(char)]
            kana, double = [], False
            continue
        if double and syllable[0] not in _VOWELS:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        kana.append(syllable)
    return "".join([*out, _LONG.sub("", "".join(kana))])
