"""What an extractor reads out of one bulletin issue, before anything is written.

Shaped like Pelican's importers: source → records → writer. Extractors (PDF, scanned PDF,
DOCX) produce a BulletinRecord; the renderer turns it into Markdown drafts and a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Paragraph:
    text: str  # clean text: Japanese lines joined without spaces, no hyphenation or stray breaks


@dataclass(frozen=True)
class Subheading:
    text: str  # a heading inside an article: set apart on paper, but it starts no article of its own


@dataclass(frozen=True)
class ListBlock:
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Picture:
    path: Path  # the extracted image file (a temporary file until the renderer copies it)
    width: int
    height: int
    caption: str = ""  # the printed caption (▲…) under the picture: a starting point for the alt text
    note: str = ""  # what a person should look at (a photo or a figure? a code that would not read)


@dataclass(frozen=True)
class Link:
    """A QR code printed on the page, read: on the web the address itself is the link."""

    url: str


@dataclass(frozen=True)
class Notice:
    """A notice laid out as と　き / ところ / 内　容 / 対　象 / 定　員 / 費　用 / 申込み / 問合せ,
    as written (dates are resolved later, against the issue's year and month)."""

    when: str = ""
    place: str = ""
    content: str = ""
    target: str = ""
    capacity: str = ""
    fee: str = ""
    apply: str = ""
    contact: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # other labelled lines: (field, value), e.g. ("teacher", "…")


Block = Paragraph | Subheading | ListBlock | Table | Picture | Notice | Link


@dataclass(frozen=True)
class Box:
    """Where something was printed: a rectangle on a page of the source, in points from the
    page's top-left corner (the review page crops the page image to it)."""

    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float


# What a check is about, riskiest first: the review page and the report list them in this order.
RISK_OCR, RISK_COLUMNS, RISK_TITLE, RISK_NOTICE, RISK_TABLE, RISK_PICTURE, RISK_OTHER = range(7)


@dataclass(frozen=True)
class Check:
    """Something a person must look at, with the page of the source (1-based; 0: whole issue)."""

    page: int
    message: str  # Japanese, for staff
    risk: int = RISK_OTHER  # one of RISK_*: lower is riskier
    boxes: tuple[Box, ...] = ()  # where text left out of the drafts was printed (the review page crops it)


@dataclass(frozen=True)
class Article:
    title: str
    blocks: tuple[Block, ...]  # in reading order; a Notice among them is shown where it was printed
    page: int  # where the article starts (1-based)
    notices: tuple[Notice, ...] = ()  # every notice of the article (those in `blocks` and the others)
    ocr: bool = False  # machine-read text: the draft carries a visible proofreading note
    checks: tuple[Check, ...] = ()
    boxes: tuple[Box, ...] = ()  # where its title and text were printed, in reading order
    confidence: float | None = None  # OCR: mean word confidence (0–100); None for a text layer


@dataclass(frozen=True)
class BulletinRecord:
    source: Path  # the PDF or DOCX that was read
    page_count: int
    articles: tuple[Article, ...]
    cover: Picture | None = None  # page 1 rendered small, for the archive
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR
    checks: tuple[Check, ...] = field(default=())  # issue-wide things to check
