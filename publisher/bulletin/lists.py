"""Lists bulleted with marks (■ item / ■ item): their items are text, not headings, though a
heading may start with the same mark (◆ 受付時間). And items under a large heading, each with
its own lines (「今後の予定」: ●すこやか教室 / 〈日時〉… / ●いきいき教室 / 〈日時〉…): they belong to
that heading's article as its subheadings. And a numbered list hung right of a bracketed name
(【お願い】 ① … / ② … / ③ …): a section of its own, titled by that name."""

from __future__ import annotations

import re

from .drafts import Draft
from .layout import Line, compact
from .text import HEADING_MARKS

HANGING = 0.5  # sizes: an item's wrapped lines start this much right of its mark (hanging indent)
WRAPPED = 3  # an item wraps onto at most this many lines
UNDER = 1.5  # a heading this many times an item's size heads a list of items, not an item itself
ITEM_MARKS = HEADING_MARKS + "〇"  # OCR reads the mark ○ as the numeral 〇 (〇社協会員制度とは)


def in_marked_list(lines: list[Line], n: int, after: Line | None) -> bool:
    """Whether lines[n], which may start with a mark, is an item of a marked list: the item before
    it (past that item's wrapped lines) or the line after it starts with the same mark at the
    same indent, close above or below. A heading's mark stands alone."""
    line = lines[n]
    mark = _mark(line)
    if mark not in HEADING_MARKS:
        return False
    near = [(_item_before(lines, n), lines[n - 1] if n else None), (after, after)]
    return any(
        other is not None
        and _mark(other) == mark
        and abs(other.x0 - line.x0) < line.size
        and max(closest.top - line.bottom, line.top - closest.bottom) < 1.5 * line.size
        for other, closest in near
    )


def _item_before(lines: list[Line], n: int) -> Line | None:
    """The line before; when that is the wrapped end of an item, the item's first line."""
    line = lines[n]
    for k in range(n - 1, max(-1, n - 1 - WRAPPED), -1):
        if lines[k].x0 - line.x0 < HANGING * line.size:
            return lines[k]
    return None


def _mark(line: Line) -> str:
    return line.text.strip(" \u3000")[:1]


def is_item_under_heading(draft: Draft, line: Line, page: int, heading_size: float) -> bool:
    """Whether a marked line set smaller than a heading is an item of the article just above:
    the first line read under a heading at least 1.5 times its size, or a line with the same
    mark, left edge and size as that article's first item."""
    text = line.text.strip(" \u3000")
    if text[:1] not in ITEM_MARKS or len(compact(text)) < 2 or line.bold or line.size >= heading_size:
        return False
    if draft.page != page:
        return False
    if draft.item is None:
        return len(draft.boxes) == 1 and draft.size >= UNDER * line.size  # nothing read under the title yet
    mark, x0, size = draft.item
    return text[0] == mark and abs(line.x0 - x0) < line.size and abs(line.size - size) < 0.12 * size


_BRACKETED = re.compile(r"^[ \u3000]*【(?P<title>[^】]{1,10})】[ \u3000]*(?P<rest>.*)$")
_NUMBERED = re.compile(r"^[①-⑳]")
HUNG = 3.0  # sizes right of the bracketed name: where the list's items hang


def bracket_section(lines: list[Line], n: int) -> tuple[str, str] | None:
    """(title, its first item) when lines[n] is a bracketed name at the left of a numbered list
    whose next two items hang right of it (iino: 【お願い】 ① 児童と保護者の方は… / ② … / ③ …):
    a section of the page (what applies to every class above), not a field of the notice above."""
    match = _BRACKETED.match(lines[n].text)
    if not match or n + 2 >= len(lines):
        return None
    first = match["rest"].strip(" \u3000")
    items = lines[n + 1 : n + 3]
    hung = all(
        _NUMBERED.match(item.text.strip(" \u3000"))
        and item.x0 >= lines[n].x0 + HUNG * lines[n].size
        and item.gap_above < 1.0
        for item in items
    )
    return (match["title"], first) if hung and (not first or _NUMBERED.match(first)) else None
