"""Mastheads, running heads, page numbers and footers: text repeated near the same height on most
pages, page numbers alone near the top or bottom edge, the lettering before page 1's first
heading and the contact band across a page's foot are not part of any article (the report
quotes what was left out)."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from .drafts import Draft
from .layout import Block, Item, compact
from .records import Check, Picture


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
            seen = sum(_repeated_in(block, others) for others in edges)
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


def _repeated_in(block: Block, others: list[Block]) -> bool:
    """Whether a page's edge blocks repeat the block: one of them, or its pieces at about its
    height read left to right (the cover's masthead 広報かんら and 2026年1月号 set apart, a
    running head 「広報かんら　2026年1月号」 on the next page)."""
    near = sorted((o for o in others if abs(o.top - block.top) <= 12), key=lambda o: o.x0)
    return any(_alike(_text(block), _text(o)) for o in near) or (
        len(near) > 1 and _alike(_text(block), "".join(_text(o) for o in near))
    )


def _alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _is_head(block: Block, repeated: set[str]) -> bool:
    """A page number, a running head, or a piece of one (the masthead's title and date set
    apart on the cover, repeated together in the running heads)."""
    text = _text(block)
    return bool(PAGE_NUMBER.fullmatch(text)) or any(
        text == r or (len(text) >= 4 and text in r) for r in repeated
    )


LEFT_OUT_SHOWN = 40  # characters of text left out of the drafts that the report quotes
MASTHEAD = re.compile(
    r"^(?:No|NO|№|第)\.?\s*\d+号?|発行|編集|印刷|〒|TEL|FAX|URL|https?://|令和\d+年\d+月\d*日?号?$"
)
FOOTER_EDGE = 0.16  # of the page's height: a footer band starts below this much from the bottom …
FOOTER_WIDTH = 0.5  # … and spans at least this much of the page's width
FOOTER_LABEL = 6  # characters: a label beside a footer (お問合せ) goes with it
CONTACT = re.compile(r"〒\s*\d{3}\s*[-‐−ー]\s*\d{4}|\d{2,5}\s*[-‐−ー(（)）]\s*\d{1,4}\s*[-‐−ー]\s*\d{3,4}")


def page_footers(items: list[Item], width: float, height: float) -> tuple[list[Item], list[str]]:
    """The page's items without its footer band (the publisher's or the page's contact, an
    advertiser's address: names and numbers across the foot of the page, not an article's text),
    and the footer's text for the report."""
    if width <= 0 or height <= 0:
        return items, []
    band = [i for i in items if isinstance(i, Block) and i.top >= height * (1 - FOOTER_EDGE)]
    footers = [b for b in band if _is_footer(b, width)]
    footers += [
        b
        for b in band
        if b not in footers
        and len(_text(b)) <= FOOTER_LABEL
        and any(b.top < f.bottom and f.top < b.bottom for f in footers)
    ]
    kept = [i for i in items if not any(i is f for f in footers)]
    return kept, [_text(b) for b in sorted(footers, key=lambda b: b.x0)]


def _is_footer(block: Block, width: float) -> bool:
    text = _text(block)
    return block.x1 - block.x0 >= width * FOOTER_WIDTH and bool(CONTACT.search(text)) and "。" not in text


def masthead_only(draft: Draft) -> bool:
    """Text before the first heading of page 1 that only names the issue (号, 発行, 〒 …) or is
    lettering without a sentence (the title piece, a slogan, a list of contents)."""
    texts = [b[1] for b in draft.blocks if isinstance(b, list)]
    names = all(MASTHEAD.search(compact(t)) or len(compact(t)) <= 4 for t in texts)
    return draft.page == 1 and (names or not any(re.search("[。！？!?]", t) for t in texts))


def masthead_left_out(draft: Draft) -> Check:
    text = "".join(b[1] for b in draft.blocks if isinstance(b, list))
    return Check(
        draft.page,
        f"{draft.page}ページ: 見出しの前の題字や発行元などは記事に入れていません（{_shown(text)}）",
        boxes=tuple(draft.boxes),
    )


def untitled_left_out(draft: Draft) -> list[Check]:
    """What the report says of text and pictures before the first heading that are left out."""
    checks = [masthead_left_out(draft)] if draft.has_text else []
    for block in draft.blocks:
        if isinstance(block, Picture):
            caption = block.caption or "説明なし"
            checks.append(
                Check(draft.page, f"{draft.page}ページ: 見出しのない画像は記事に入れていません（{caption}）")
            )
    return checks


def footer_left_out(page: int, text: str) -> Check:
    return Check(
        page, f"{page}ページ: ページ下の問い合わせ先や発行元は記事に入れていません（{_shown(text)}）"
    )


def _shown(text: str) -> str:
    """Text left out of the drafts, quoted in the report."""
    text = compact(text)
    return text[:LEFT_OUT_SHOWN] + ("…" if len(text) > LEFT_OUT_SHOWN else "")
