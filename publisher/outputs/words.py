"""Japanese word boundaries, found with ICU: the rules and dictionary browsers use for Intl.Segmenter.

Japanese is written without spaces. Pagefind's search page splits a query into words with
the browser's Intl.Segmenter (ICU) and looks each word up; the index must hold the same words.
So the pages are split here with ICU too, and Pagefind's plain build, which splits at spaces,
indexes them. (Pagefind's extended build splits with a different dictionary, IPADIC, and needs
340 MB to load it.)
"""

from __future__ import annotations

import re

import icu

ICU_VERSION = icu.ICU_VERSION  # another ICU may split differently: search_index keys its shards on it
SEPARATOR = "\u200a"  # hair space: whitespace to Pagefind, next to invisible wherever it shows
# Pagefind turns every run of whitespace into one space, so an excerpt could not tell the text's
# ideographic spaces (日時　12月5日) from SEPARATOR. They are indexed as this mark, a word of its
# own that Pagefind keeps in excerpts but does not index (it has no letters), and shown as U+3000.
SPACE_MARK = "\u2800"  # braille pattern blank: not whitespace, shows as blank
IDEOGRAPHIC_SPACE = "\u3000"
# Scripts written without spaces, and their punctuation: a boundary next to one gets a separator.
# The search page joins the words of excerpts back with the same character class.
_UNSPACED = re.compile(r"[\u2800\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Pagefind ends a block (a heading, a list item) without its own punctuation with ". ", which
# reads oddly after Japanese: shown as an ideographic space.
_BLOCK_END = re.compile(rf"(?<={_UNSPACED.pattern})\. ")
_JOIN = re.compile(
    rf"(?<={_UNSPACED.pattern}) |(?<![.,:;!?]) (?={_UNSPACED.pattern})"
)  # Pagefind ends blocks with ". "


class WordSplitter:
    """Not thread-safe: one splitter per thread (ICU break iterators keep state)."""

    def __init__(self):
        self._words = icu.BreakIterator.createWordInstance(icu.Locale("ja"))

    def spaced(self, text: str) -> str:
        """`text` with SEPARATOR at each word boundary next to Japanese, none elsewhere, and
        SPACE_MARK for each ideographic space."""
        text = text.replace(IDEOGRAPHIC_SPACE, SPACE_MARK)
        if not _UNSPACED.search(text):
            return text
        self._words.setText(text)
        at = _python_indices(text)
        parts, start = [], 0
        for end in (at(boundary) for boundary in self._words):
            if (
                parts
                and (_UNSPACED.match(text, start - 1) or _UNSPACED.match(text, start))
                and not text[start - 1].isspace()
                and not text[start].isspace()
            ):
                parts.append(SEPARATOR)
            parts.append(text[start:end])
            start = end
        return "".join(parts)


def _python_indices(text: str):
    """ICU counts UTF-16 code units: characters beyond U+FFFF (emoji, rare kanji such as 𠮷) count two."""
    if max(text) <= "\uffff":
        return lambda offset: offset
    index, by_offset = 0, {0: 0}
    for n, char in enumerate(text, 1):
        index += 2 if char > "\uffff" else 1
        by_offset[index] = n
    return by_offset.__getitem__


def joined(text: str) -> str:
    """What the search page shows of indexed text (town-search.js does the same to excerpts):
    Pagefind gives the words back with a space between each, the spaces next to Japanese go, and
    the marks, and the ". " ending a Japanese block, become ideographic spaces."""
    text = _BLOCK_END.sub(IDEOGRAPHIC_SPACE, text.replace(SEPARATOR, " "))
    return _JOIN.sub("", text).replace(SPACE_MARK, IDEOGRAPHIC_SPACE)
