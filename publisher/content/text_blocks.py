"""Markdown bodies as plain text, and plain text back into Markdown that formats and links nothing.

The pull-request summary shows each new or changed page's text and each post on GitHub, so a
reviewer reads them without downloading anything. Quoted here, nothing in them can become a
heading, a table, HTML or a link (a new page's address answers 404 until the merge).
"""

from __future__ import annotations

import re

from .summary import join_lines, plain_text

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FENCE = re.compile(r"^\s*(```|~~~)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)[\s#]*$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
_ITEM = re.compile(r"^(?:[-*+]|(\d+)\.)\s+")
_ATTRIBUTES = re.compile(r"\s*\{:?[^{}]*\}$")  # attr_list: {: .note } after a paragraph or heading
_URL = re.compile(r"https?://[^\s`]+")  # a backtick would end the code span early
_SIGNS = re.compile(r"([\\`*_\[\]<>|#~!])")


def body_lines(body: str) -> list[str]:
    """The body's text block by block: a paragraph on one line (Japanese lines joined without a
    space), a heading after ■, list items after ・ (or their number), table rows with ｜,
    pictures as ［画像: 説明］, code as written; comments and link targets left out."""
    blocks: list[str] = []
    paragraph: list[str] = []
    fenced = False

    def flush() -> None:
        if paragraph:
            blocks.append(plain_text("".join(join_lines(paragraph))))
            paragraph.clear()

    for raw in _COMMENT.sub("", body).split("\n"):
        line = _ATTRIBUTES.sub("", raw.strip())
        if _FENCE.match(line) or fenced:
            flush()
            fenced = fenced != bool(_FENCE.match(line))
            if not _FENCE.match(line):
                blocks.append(raw.rstrip())
            continue
        if not line or _TABLE_RULE.match(line):
            flush()
            continue
        line = _IMAGE.sub(lambda m: f"［画像: {m[1] or '説明なし'}］", line)
        block = _block(line)
        if block is None:
            paragraph.append(line)
        else:
            flush()
            blocks.append(block)
    flush()
    return [block for block in blocks if block.strip()]


def _block(line: str) -> str | None:
    """A line that stands alone (heading, list item, table row), as text; None for prose."""
    heading = _HEADING.match(line)
    if heading:
        return f"■ {plain_text(heading[1])}"
    item = _ITEM.match(line)
    if item:
        return f"{item[1] + '. ' if item[1] else '・'}{plain_text(line[item.end() :])}"
    if line.startswith("|"):
        return " ｜ ".join(plain_text(cell) for cell in line.strip("|").split("|"))
    return None


def capped(lines: list[str], limit: int) -> tuple[list[str], bool]:
    """At most `limit` characters of `lines`, the last one cut with 「…」; and whether any was cut."""
    kept, left = [], limit
    for line in lines:
        if len(line) > left:
            if left > 0:
                kept.append(line[:left].rstrip() + "…")
            return kept, True
        kept.append(line)
        left -= len(line)
    return kept, False


def quoted(lines: list[str], indent: str = "") -> list[str]:
    """Text as a Markdown quote, line for line (joined with <br>, a blank line kept blank)."""
    kept = [unlinked(line) for line in lines]
    ends = ["<br>" if n < len(kept) - 1 and kept[n + 1] and kept[n] else "" for n in range(len(kept))]
    return [f"{indent}> {line}{end}".rstrip() for line, end in zip(kept, ends, strict=True)]


def unlinked(line: str) -> str:
    """A line of text as Markdown that shows it as written: signs escaped, addresses as code."""
    parts, last = [], 0
    for url in _URL.finditer(line):
        parts += [escape(line[last : url.start()]), f"`{url.group()}`"]
        last = url.end()
    return "".join([*parts, escape(line[last:])])


def escape(text: str) -> str:
    """Markdown and HTML signs as plain characters (a title with [ ], a # opening a line), on one
    line: a line break in a value would end the table it is in, and what follows could pose as
    a heading of the summary (a summary: "…\n\nSNS への投稿\n===")."""
    return _SIGNS.sub(r"\\\1", re.sub(r"\s*[\r\n]+\s*", " ", text))
