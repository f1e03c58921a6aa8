"""Text length as each platform counts it, and shortening that never cuts the link."""

from __future__ import annotations

import re
from collections.abc import Callable

import regex  # grapheme clusters (\\X): Bluesky counts graphemes, and no cut may split one
from twitter_text import parse_tweet

LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500, "line": 1500}  # LINE: a Flex message's altText
MASTODON_URL_LENGTH = 23  # Mastodon, like X, counts every link as 23 characters
_URL = re.compile(r"https?://\S+")
ELLIPSIS = "…"


def length(channel: str, text: str) -> int:
    if channel == "x":
        return parse_tweet(text).weightedLength  # kana/kanji weigh 2, every URL 23
    if channel == "bluesky":
        return len(regex.findall(r"\X", text))
    if channel == "mastodon":
        return len(_URL.sub("x" * MASTODON_URL_LENGTH, text))
    return len(text)


def fits(channel: str, text: str) -> bool:
    return length(channel, text) <= LIMITS[channel]


def shorten(text: str, keep: int) -> str:
    """The first `keep` graphemes of `text` followed by 「…」 (the whole text when it is short).
    A link is kept whole or left out: half a URL would lead nowhere, or somewhere else."""
    graphemes = regex.findall(r"\X", text)
    if len(graphemes) <= keep:
        return text
    kept = "".join(graphemes[: max(keep, 0)])
    cut = next((url.start() for url in _URL.finditer(text) if url.start() < len(kept) < url.end()), len(kept))
    return kept[:cut].rstrip() + ELLIPSIS


def cut_to(text: str, limit: int, measure: Callable[[str], int] = len) -> str:
    """At most `limit` long by `measure` (code points, as X and Mastodon count alt text), cut
    between graphemes and ended with 「…」 when cut."""
    if measure(text) <= limit:
        return text
    kept, size = [], measure(ELLIPSIS)
    for grapheme in regex.findall(r"\X", text):
        if size + measure(grapheme) > limit:
            break
        kept.append(grapheme)
        size += measure(grapheme)
    return "".join(kept).rstrip() + ELLIPSIS


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))
