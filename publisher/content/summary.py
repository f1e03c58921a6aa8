"""Plain-text summaries from Markdown, for listings, feeds, OGP and SNS."""

from __future__ import annotations

import re

LIMIT = 120
_BLOCK_SKIP = re.compile(r"^\s*(#|```|~~~|\||<|!\[|>|-{3,}|\*{3,}|\[[^\]]+\]:)")
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<[^>]+>"), ""),
    (re.compile(r"(\*\*|__|\*|_|`|~~)(.+?)\1"), r"\2"),
    (re.compile(r"^\s*([-*+]|\d+\.)\s+"), ""),
]


def derive_summary(body: str, limit: int = LIMIT) -> str:
    """The first paragraph of prose, without Markdown, cut to `limit` characters."""
    paragraph: list[str] = []
    for line in body.split("\n"):
        if not line.strip():
            if paragraph:
                break
            continue
        if _BLOCK_SKIP.match(line) and not paragraph:
            continue
        paragraph.append(line.strip())
    return shorten(plain_text("".join(join_lines(paragraph))), limit)


def join_lines(lines: list[str]) -> list[str]:
    """Join wrapped lines: no space between Japanese characters, one space between Latin words."""
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1][-1:].isascii() and line[:1].isascii():
            joined.append(" ")
        joined.append(line)
    return joined


def plain_text(markdown: str) -> str:
    text = markdown
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
