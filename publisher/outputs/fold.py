"""Spelling folded for site search: the one Python copy of the rules.

Residents type ゴミ, ごみ or half-width ｺﾞﾐ, full-width or ASCII digits, コンピューター or
コンピュータ, and expect the same pages. Each word, in the index and in the query, is folded:
NFKC (half-width kana and full-width letters and digits become the usual forms), lower case,
katakana as hiragana, and the long-vowel marks (ー) that end a word dropped (コンピュータ and
コンピューター are one word; ー inside a word stays, サービス is not サビス). The search page folds the query with
the same rules in theme/assets/javascripts/town-fold.js; tests/test_search_fold.py runs both
on the same samples.

The index keeps the words as written (excerpts show them): the folded forms that differ are
added to each page as a metadata field Pagefind searches but never shows (`fold_terms`), and the
search page looks up the folded query only. So ゴミ, ごみ and ｺﾞﾐ are one query, with one
result list.
"""

from __future__ import annotations

import unicodedata

from .words import SEPARATOR, WordSplitter

FIELD = "fold"  # the Pagefind metadata field holding a page's folded words
LONG_VOWEL = "\u30fc"  # ー; NFKC has already turned the half-width ｰ into it
# Katakana ァ..ヶ and the iteration marks ヽヾ as hiragana: the same letters, 0x60 lower.
_TABLE = {code: code - 0x60 for code in (*range(0x30A1, 0x30F7), 0x30FD, 0x30FE)}


def fold(word: str) -> str:
    """`word` as the search compares it: NFKC, lower case, hiragana, without a final ー."""
    return unicodedata.normalize("NFKC", word).lower().translate(_TABLE).rstrip(LONG_VOWEL)


def folded_terms(spaced: str, words: WordSplitter) -> list[str]:
    """The extra words Pagefind must index for text already split into words (`spaced`, from
    WordSplitter) so that a folded query finds it, where folding changes a word: its folded form,
    and that form split again as the browser's Pagefind splits the folded query (ICU may cut
    こんぴゅた where it did not cut コンピューター). The whole form serves queries that are the
    start of a word (パソ for パソコン), which ICU may cut differently again. In order, once each."""
    terms: dict[str, None] = {}
    for word in spaced.replace(SEPARATOR, " ").split():
        folded = fold(word)
        if folded == word.lower():
            continue
        pieces = words.spaced(folded).replace(SEPARATOR, " ").split()
        for piece in (folded, *pieces) if len(pieces) > 1 else pieces:
            if any(char.isalnum() for char in piece):  # Pagefind drops punctuation from queries
                terms.setdefault(piece)
    return list(terms)
