"""Kana and kanji in a word: which characters take a reading (ふりがな), and what each kanji run
reads when the word's reading is known. Shared by the reading list in the config (checked when
mkdocs.yml is read) and by the analyser (publisher/outputs/readings.py)."""

from __future__ import annotations

import re

# 々 (repeat), 〆 and ヶ (as in 霞ヶ関) are read like the kanji beside them.
KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_KANJI_RUN = re.compile(f"[{KANJI}]+")
_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30faー]+$")
_ALL_KANJI = re.compile(f"[{KANJI}]+$")
_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}  # ァ..ヶ → ぁ..ゖ


def has_kanji(text: str) -> bool:
    return _KANJI_RUN.search(text) is not None


def is_kana(text: str) -> bool:
    return bool(_KANA.match(text))


def hiragana(text: str) -> str:
    """Katakana as hiragana; everything else as it is."""
    return text.translate(_TO_HIRAGANA)


def align(word: str, reading: str) -> list[tuple[int, int, str]] | None:
    """The reading of each kanji run of `word` as (start, end, hiragana), the kana of the word
    matched in its reading: 引っ越し + ひっこし → 引 ひ, 越 こ. None when they do not match (a
    reading that is not the word's, or a run whose share cannot be told: no ruby beats a wrong one)."""
    if _ALL_KANJI.match(word):  # most words: the whole reading over the whole word
        return [(0, len(word), hiragana(reading))]
    runs = list(_KANJI_RUN.finditer(word))
    if not runs:
        return []
    pattern, at = "", 0
    for run in runs:
        pattern += re.escape(hiragana(word[at : run.start()])) + "(.+?)"
        at = run.end()
    match = re.fullmatch(pattern + re.escape(hiragana(word[at:])), hiragana(reading))
    if match is None:
        return None
    return [(run.start(), run.end(), match.group(n + 1)) for n, run in enumerate(runs)]
