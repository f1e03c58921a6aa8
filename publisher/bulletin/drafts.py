"""An article being read, and the notices in it (labelled lines or a ruled table of fields)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import LABEL, LABELS, label_of_cell, spell_pictograms, split_headless_label, split_label
from .layout import Line, join_text
from .records import Article, Box, Check, Notice, Paragraph, Picture, Subheading, Table
from .text import LIST_MARK, closing_only, ocr_clean, ocr_scrap

REPEATABLE = ("apply", "contact")  # 申込締切 and 申込方法 are two lines of one notice


@dataclass
class Draft:
    title: str
    page: int
    ocr: bool
    blocks: list = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    open_paragraph: bool = False  # the last paragraph may go on in the next line, column or page
    notice: dict | None = None  # the notice being read, with "_field" (last field) and "_x" (value edge)
    size: float = 0.0  # the title's type size
    item: tuple[str, float, float] | None = None  # mark, left edge and size of its first marked item

    def article(self) -> Article:
        blocks = []
        for block in self.blocks:
            if isinstance(block, list) and block[0] == "p":
                text = spell_pictograms(ocr_clean(block[1]) if self.ocr else block[1])
                if self.ocr and closing_only(text) and blocks and isinstance(blocks[-1], Paragraph):
                    blocks[-1] = Paragraph(blocks[-1].text + text)
                elif not (self.ocr and ocr_scrap(text)):
                    blocks.append(Paragraph(text))
            elif isinstance(block, list) and block[0] == "h":
                blocks.append(Subheading(ocr_clean(block[1]) if self.ocr else block[1]))
            elif isinstance(block, dict):  # a notice, shown once where it was printed
                clean = ocr_clean if self.ocr else str
                fields = {
                    k: clean(v) if isinstance(v, str) else v
                    for k, v in block.items()
                    if not k.startswith("_")
                }
                blocks.append(Notice(**fields))
            else:
                blocks.append(block)
        conf = sum(self.confidence) / len(self.confidence) if self.confidence else None
        notices = tuple(b for b in blocks if isinstance(b, Notice))
        return Article(
            self.title,
            tuple(blocks),
            self.page,
            notices,
            self.ocr,
            tuple(self.checks),
            tuple(self.boxes),
            conf,
        )

    @property
    def has_text(self) -> bool:
        return any(not isinstance(b, Picture) for b in self.blocks)


def add_field(draft: Draft, line: Line | None, name: str, value: str) -> None:
    notice = draft.notice
    if notice is None or (notice.get(name) and name not in REPEATABLE):
        notice = {}
        draft.blocks.append(notice)
        draft.notice = notice
    if name == "time":  # 時間 goes with the day (日にち … 時間 …)
        name = "when"
        value = join_text(notice.get("when", ""), " " + value) if notice.get("when") else value
    value = _without_label(name, value)
    if name in REPEATABLE and notice.get(name):
        value = f"{notice[name]}／{value}"
    if name in ("bring", "teacher"):
        notice.setdefault("extra", ())
        notice["extra"] = (*notice["extra"], (name, value))
        notice["_field"] = "extra"
    else:
        notice[name] = value
        notice["_field"] = name
    if line is not None:
        notice["_x"] = line.x0 + 2 * line.size  # a wrapped value is set under the value, past the label
    draft.open_paragraph = False


def _without_label(name: str, value: str) -> str:
    """OCR may read a label twice (the restored one and its own reading): 「対象町内在住の方」."""
    for label in sorted(LABELS.get(name, ()), key=len, reverse=True):
        spaced = "[ \u3000]*".join(map(re.escape, label.replace("\u3000", "")))
        match = re.match(rf"[ \u3000]*{spaced}[ \u3000:：]*", value)
        if match and match.end() < len(value):
            return value[match.end() :]
    # Or the last letters of one, before a colon (場所: read as 所:, 日時: as 時:).
    for label in LABELS.get(name, ()):
        plain = label.replace("\u3000", "")
        for k in range(1, len(plain)):
            match = re.match(rf"[ \u3000]*{re.escape(plain[k:])}[ \u3000]*[:：][ \u3000]*", value)
            if match and match.end() < len(value):
                return value[match.end() :]
    return value


def add_rows(draft: Draft, table: Table) -> None:
    """A ruled notice (日時 ｜ 7月2日… in cells): its rows are the notice's fields; a row whose
    first cell is empty goes on with the field above it."""
    draft.notice = None
    last = None
    for row in (table.header, *table.rows):
        name = label_of_cell(row[0]) if row else None
        value = "　".join(cell for cell in row[1:] if cell)
        if name:
            add_field(draft, None, name, value)
            last = name
        elif last and value and draft.notice is not None:
            field_name = draft.notice["_field"]
            if field_name != "extra":
                draft.notice[field_name] = join_text(draft.notice[field_name], value)
    draft.notice = None


def continues_notice(notice: dict, line: Line) -> bool:
    """A value that wraps onto the next line, set under the value (not under the label)."""
    text = line.text.strip(" \u3000")
    if notice.get("_field") == "extra" or LIST_MARK.match(text) and not text.startswith("※"):
        return False
    return "_x" in notice and line.x0 >= notice["_x"] and line.gap_above < 1.0


VALUE_INDENT = 2.0  # sizes right of a label's line start: a line set there is in the value column


def leads_value(line: Line, labelled: Line, first: bool) -> bool:
    """Whether an unlabelled line, set apart from the text above it and in the value column of
    the labelled line just under it, is the first line of that label's value (the label stands
    beside the middle of its value). `first`: the line starts its block."""
    text = line.text.strip(" \u3000")
    return (
        bool(text)
        and split_label(text) is None
        and LABEL.match(labelled.text.strip(" \u3000")) is not None  # a label as printed, not a cut one
        and not LIST_MARK.match(text)
        and (first or line.gap_above >= 1.0)
        and labelled.gap_above < 0.8
        and line.x0 >= labelled.x0 + VALUE_INDENT * labelled.size
    )


DATE_LINE = re.compile(
    r"^[ \u3000]*(?:\d{1,2}[ \u3000]*月[ \u3000]*\d{1,2}[ \u3000]*日|\d{1,2}/\d{1,2})"  # 6月4日, 6/4
    r"(?=.*\d[ \u3000]*(?:時|:[ \u3000]*\d{2}))"  # … and a time: 11時, 10:30
    r"[^。]{0,50}$"  # a line, not a sentence
)


# What a schedule line is made of; at most a few other letters (曜日 read apart, 開演) may remain.
SCHEDULE_WORDS = re.compile(
    r"\d+[ \u3000]*(?:月|日|時|分)|\d+[:/]\d+|\d+|[（(][^)）]{0,6}[)）]|午前|午後|正午|から|まで|受付|[～〜~ー\-・、,\s\u3000]"
)
SCHEDULE_REST = 4


def field_of_line(draft: Draft, line: Line, text: str) -> tuple[str, str] | None:
    """(field name, value) when the line is a field of a notice: a labelled line or cell, a
    label that lost its first letter inside a notice, or a schedule opening the article."""
    labelled = split_label(text) or cell_label(line)
    labelled = labelled or (draft.notice is not None and split_headless_label(text))
    return labelled or (("when", text) if opens_with_schedule(draft, text) else None)


def opens_with_schedule(draft: Draft, text: str) -> bool:
    """The first line under a heading is a day and a time and nothing else (ふれあいライブラリー /
    6月4日・18日（木曜日）11時～11時30分): the article's notice, printed without a label. Not the
    first line of a sentence that wraps (1月14日（水）午前10時から公民館で開かれる…)."""
    first = bool(draft.title) and not any(isinstance(b, (list, dict)) for b in draft.blocks)
    return first and bool(DATE_LINE.match(text)) and len(SCHEDULE_WORDS.sub("", text)) <= SCHEDULE_REST


def is_notice_table(table: Table) -> bool:
    """A two-column table whose first column names notice fields (日時, 場所, 対象 …)."""
    rows = (table.header, *table.rows)
    named = [label_of_cell(row[0]) for row in rows if row and row[0]]
    return (
        len(named) >= 2
        and sum(bool(n) for n in named) >= 0.6 * len(named)
        and any(n in ("when", "place") for n in named)
    )


def cell_label(line: Line) -> tuple[str, str] | None:
    if len(line.cells) == 2:
        name = label_of_cell(line.cells[0])
        if name:
            return name, line.cells[1]
    return None
