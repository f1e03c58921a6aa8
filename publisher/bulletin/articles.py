"""Text rules, the same for PDF text layers and OCR: headings, notices, paragraphs → articles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import layout
from .layout import Line, PageContent, Region
from .records import Article, Check, ListBlock, Notice, Paragraph, Picture, Table

HEADING_MARKS = "◆■●"
HEADING_RATIO = 1.12  # a line this much larger than the body text is a heading (OCR sizes are ±3%)
CAPTION_MARKS = "▲△"
NOTICE_LABELS = {
    "when": ("と　き", "日時", "日にち"),
    "place": ("ところ", "場所", "会場"),
    "content": ("内　容",),
    "target": ("対　象",),
    "capacity": ("定　員",),
    "fee": ("費　用", "参加費", "料金"),
    "apply": ("申し込み", "申込み", "申込"),
    "contact": ("問い合わせ", "問い合せ", "問合わせ", "問合せ"),
}


def _label_pattern() -> re.Pattern:
    # Labels are matched with or without the spaces of 均等割り: 「と　き」「とき」「内容」.
    names = sorted(
        {label.replace("　", "") for labels in NOTICE_LABELS.values() for label in labels},
        key=len,
        reverse=True,
    )
    spaced = "|".join("[ \u3000]*".join(map(re.escape, name)) for name in names)
    return re.compile(
        rf"^[ \u3000]*(?P<label>{spaced})(?:[ \u3000]+|[ \u3000]*[:：][ \u3000]*)(?P<value>\S.*)$"
    )


LABEL = _label_pattern()
FIELD_OF = {label.replace("　", ""): name for name, labels in NOTICE_LABELS.items() for label in labels}


@dataclass
class _Draft:
    title: str
    page: int
    ocr: bool
    blocks: list = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    open_paragraph: bool = False  # the last paragraph may go on (its last line was full)
    notice_open: bool = False
    notice_field: tuple[str, str] = ("", "")

    def article(self) -> Article:
        blocks = tuple(
            Paragraph(b[1])
            if isinstance(b, list) and b[0] == "p"
            else ListBlock(tuple(b[1]))
            if isinstance(b, list)
            else b
            for b in self.blocks
        )
        return Article(
            self.title,
            blocks,
            self.page,
            tuple(Notice(**n) for n in self.notices),
            self.ocr,
            tuple(self.checks),
        )


def build_articles(pages: list[PageContent]) -> tuple[list[Article], list[Check]]:
    """Every heading starts an article; what follows, across columns and pages, belongs to it."""
    body = _body_size(pages)
    drafts: list[_Draft] = []
    checks: list[Check] = []
    for page in pages:
        items = _flat(_with_captions(page.ordered()))
        index = 0
        while index < len(items):
            item = items[index]
            if isinstance(item, Line) and _is_heading(item, body):
                title, index = _heading(items, index, body)
                drafts.append(_Draft(title, page.number, page.ocr))
                continue
            if not drafts:
                drafts.append(_Draft(f"（見出しなし・{page.number}ページ）", page.number, page.ocr))
            _add(drafts[-1], item, page)
            index += 1
    articles = []
    for draft in drafts:
        if not draft.title.startswith("（見出しなし"):
            articles.append(draft.article())
        elif any(isinstance(b, list) for b in draft.blocks):
            checks.append(Check(draft.page, f"{draft.page}ページ: 見出しが見つからない文章がありました"))
            articles.append(draft.article())
        else:  # only pictures before the first heading, such as the cover photo
            for block in draft.blocks:
                checks.append(
                    Check(
                        draft.page,
                        f"{draft.page}ページ: 見出しのない画像は記事に入れていません（{getattr(block, 'caption', '') or '説明なし'}）",
                    )
                )
    return articles, checks


BOX_END = object()  # marks the end of a boxed article: its text does not run on


def _flat(items: list) -> list:
    """A boxed article's lines take the box's place in the reading order."""
    out = []
    for item in items:
        if isinstance(item, Region) and item.lines:
            out += [*item.lines, BOX_END]
        else:
            out.append(item)
    return out


def _body_size(pages: list[PageContent]) -> float:
    """The size most characters are set in (median by characters: OCR sizes scatter)."""
    sizes = sorted((line.size, len(line.text)) for page in pages for line in page.lines)
    half, seen = sum(n for _, n in sizes) / 2, 0
    for size, count in sizes:
        seen += count
        if seen >= half:
            return size
    return 10.0


def _is_heading(line: Line, body: float) -> bool:
    text = line.text.strip()
    if not text or LABEL.match(text) or text[0] in CAPTION_MARKS or "\u3000\u3000" in text:
        return False  # notice lines, captions and table rows (wide gaps) are not headings
    if text[0] in HEADING_MARKS:
        return True
    # Large but ending a sentence: a misread size (OCR) or a pull quote, not a heading.
    return line.size >= body * HEADING_RATIO and len(text) <= 60 and text[-1] != "。"


def _heading(items: list, index: int, body: float) -> tuple[str, int]:
    """A heading and the lines it wraps onto (same size, just below)."""
    first = items[index]
    title = first.text.strip().lstrip(HEADING_MARKS).strip(" \u3000")
    index += 1
    while index < len(items):
        nxt = items[index]
        if not (
            isinstance(nxt, Line)
            and 0 < nxt.top - first.top < first.size * 2.2
            and nxt.text.strip()[0] not in HEADING_MARKS
            and _wraps_heading(nxt, first, body)
        ):
            break
        title, first = layout.join_text(title, nxt.text.strip()), nxt
        index += 1
    return title.replace("\u3000", "　"), index


def _wraps_heading(line: Line, heading: Line, body: float) -> bool:
    """The same large type, or (OCR, where sizes scatter) a stub of a few characters."""
    text = line.text.strip()
    same = abs(line.size - heading.size) < 0.5 and line.size >= body * HEADING_RATIO
    return same or (heading.size >= body * HEADING_RATIO and len(text) <= 3 and not text.endswith("。"))


def _with_captions(items: list) -> list:
    """A ▲ line just under a picture is its caption, not article text."""
    out = list(items)
    for item in items:
        if isinstance(item, Region) and isinstance(item.payload, Picture):
            for other in items:
                if (
                    isinstance(other, Line)
                    and other.text[:1] in CAPTION_MARKS
                    and 0 <= other.top - item.bottom < 2 * other.size
                    and other.x0 < item.x1
                    and other.x1 > item.x0
                ):
                    picture = replace(item.payload, caption=other.text[1:].strip(" \u3000"))
                    out[out.index(item)] = replace(item, payload=picture)
                    out.remove(other)
                    break
    return out


def _add(draft: _Draft, item, page: PageContent) -> None:
    if item is BOX_END:
        draft.open_paragraph = draft.notice_open = False
        return
    if isinstance(item, Region):
        draft.open_paragraph = draft.notice_open = False
        draft.blocks.append(item.payload)
        if isinstance(item.payload, Picture):
            draft.checks.append(
                Check(
                    page.number,
                    f"{page.number}ページ: 画像の説明（代替テキスト）を入力してください（{item.payload.caption or '説明なし'}）",
                )
            )
        elif isinstance(item.payload, Table):
            draft.checks.append(
                Check(
                    page.number,
                    f"{page.number}ページ: 表を読み取りました。見出し行と内容が正しいか確認してください",
                )
            )
        return
    _add_line(draft, item, page.number)


def _add_line(draft: _Draft, line: Line, page: int) -> None:
    text = line.text.strip(" \u3000")
    if not text:
        return
    match = LABEL.match(line.text)
    if match:
        _add_notice_line(draft, match)
        return
    if draft.notice_open and line.indent >= 2:  # a notice value wrapped onto the next line
        field_name, value = draft.notice_field
        draft.notices[-1][field_name] = layout.join_text(draft.notices[-1][field_name], text)
        draft.blocks[-1][1][-1] = layout.join_text(draft.blocks[-1][1][-1], text)
        return
    draft.notice_open = False
    last = draft.blocks[-1] if draft.blocks else None
    continues = draft.open_paragraph and line.indent < 0.5 and isinstance(last, list) and last[0] == "p"
    if continues:
        last[1] = layout.join_text(last[1], text)
    else:
        draft.blocks.append(["p", text])
    # A full line may go on in the next line or column, even after 。 (a sentence can end at the edge).
    draft.open_paragraph = line.full


def _add_notice_line(draft: _Draft, match: re.Match) -> None:
    label = re.sub(r"[ \u3000]", "", match["label"])
    name, value = FIELD_OF[label], match["value"].strip(" \u3000")
    last = draft.blocks[-1] if draft.blocks else None
    if not (draft.notice_open and isinstance(last, list) and last[0] == "l") or draft.notices[-1].get(name):
        draft.notices.append({})
        draft.blocks.append(["l", []])
    draft.notices[-1][name] = value
    draft.blocks[-1][1].append(f"{match['label']}　{value}")
    draft.notice_field = (name, value)
    draft.notice_open = True
    draft.open_paragraph = False
