"""Mastheads, running heads and page numbers: text repeated near the same height on most pages,
and page numbers alone near the top or bottom edge, are not part of any article."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from .layout import Block, Item, compact


def running_heads(pages: list[list[Item]], heights: list[float], edge: float = 0.08) -> list[list[Item]]:
    """Pages without mastheads, running heads and page numbers: blocks repeated near the same
    height on most pages, and page numbers alone near the top or bottom edge."""

    def at_edge(item: Item, height: float) -> bool:
        return isinstance(item, Block) and (item.bottom < height * edge or item.top > height * (1 - edge))

    edges = [[i for i in items if at_edge(i, h)] for items, h in zip(pages, heights, strict=True)]
    needed = max(2, (len(pages) + 1) // 2)
    repeated: set[str] = set()
    for blocks in edges:
        for block in blocks:
            seen = sum(any(_same_head(block, other) for other in others) for others in edges)
            if seen >= needed:
                repeated.add(_text(block))
    kept = []
    for items, h in zip(pages, heights, strict=True):
        page = [
            _without_page_number(i, h, edge) for i in items if not (at_edge(i, h) and _is_head(i, repeated))
        ]
        kept.append([i for i in page if i is not None])
    return kept


def _without_page_number(item: Item, height: float, edge: float) -> Item | None:
    """A block whose last (or first) line is a page number at the page's edge loses that line."""
    if not isinstance(item, Block):
        return item
    lines = [
        line
        for line in item.lines
        if not (
            (line.top > height * (1 - edge) or line.bottom < height * edge)
            and PAGE_NUMBER.fullmatch(compact(line.text))
        )
    ]
    return replace(item, lines=tuple(lines)) if lines else None


PAGE_NUMBER = re.compile(r"[-–—‐(（]?(?:P\.?|p\.?)?\d{1,3}(?:ページ)?[-–—‐)）]?")


def _text(block: Block) -> str:
    return compact("".join(line.text for line in block.lines))


def _same_head(a: Block, b: Block) -> bool:
    return abs(a.top - b.top) <= 12 and difflib.SequenceMatcher(None, _text(a), _text(b)).ratio() >= 0.8


def _is_head(block: Block, repeated: set[str]) -> bool:
    """A page number, a running head, or a piece of one (the masthead's title and date set
    apart on the cover, repeated together in the running heads)."""
    text = _text(block)
    return bool(PAGE_NUMBER.fullmatch(text)) or any(
        text == r or (len(text) >= 4 and text in r) for r in repeated
    )
