"""Page geometry shared by the PDF and OCR readers: glyphs, lines and blocks.

Coordinates are points from the top-left corner of the page (y grows downwards), whatever the
source. A Glyph is one character of a PDF text layer or one word of Tesseract output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median

IDEOGRAPHIC_SPACE = "\u3000"
RUBY_RATIO = 0.62  # a glyph at most this size of the text just below it is a reading (furigana)
RUBY_GAP = 0.3  # an OCR word's furigana stand closer above it than this share of its height (lines lie further apart)
BOLD_FONT = re.compile(r"bold|heavy|black|demi|semibold|[-_ ]?w[6-9]\b|-eb\b|-b\b|gothic.*[6-9]", re.I)


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str = ""  # font name of a text layer; "" for OCR
    colour: str = ""  # fill colour as "#rrggbb" when known
    conf: float = 100.0  # OCR confidence of the word (0–100); 100 for a text layer

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def bold(self) -> bool:
        return bool(BOLD_FONT.search(self.font))


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    indent: float = 0.0  # from the left edge of its block, in ems (字下げ)
    full: bool = False  # reaches the right edge of its block: the sentence may go on
    bold: bool = False
    colour: str = ""
    conf: float = 100.0  # mean OCR confidence of its words
    gap_above: float = 0.0  # blank above it in its block, in ems (a first line: its block's gap)
    cells: tuple[str, ...] = ()  # the line cut at wide gaps (a table row or a label and its value)


@dataclass(frozen=True)
class Region:
    """Something read as a whole: a picture or a table (payload), or a vertical label (text)."""

    x0: float
    top: float
    x1: float
    bottom: float
    payload: object = None
    text: str = ""  # a vertical label or section tab, read top to bottom


@dataclass(frozen=True)
class Block:
    """Lines read together: one column of one band, or the inside of a box."""

    lines: tuple[Line, ...]
    boxed: bool = False  # printed inside a frame: its text does not run on outside it

    @property
    def x0(self) -> float:
        return min(line.x0 for line in self.lines)

    @property
    def top(self) -> float:
        return min(line.top for line in self.lines)

    @property
    def x1(self) -> float:
        return max(line.x1 for line in self.lines)

    @property
    def bottom(self) -> float:
        return max(line.bottom for line in self.lines)


Item = Block | Region


@dataclass(frozen=True)
class PageContent:
    """One page in reading order."""

    number: int
    width: float
    height: float
    items: tuple[Item, ...]
    ocr: bool = False
    confidence: float | None = None  # mean OCR word confidence of the page

    @property
    def lines(self) -> list[Line]:
        return [line for item in self.items if isinstance(item, Block) for line in item.lines]


class Near:
    """Glyphs bucketed by position, so that neighbours are found without scanning the page."""

    CELL = 24.0  # points

    def __init__(self, glyphs: list[Glyph]):
        self.cells: dict[tuple[int, int], list[Glyph]] = {}
        for g in glyphs:
            for key in self._keys(g.x0, g.top, g.x1, g.bottom):
                self.cells.setdefault(key, []).append(g)

    def _keys(self, x0: float, top: float, x1: float, bottom: float):
        for cx in range(int(x0 // self.CELL), int(x1 // self.CELL) + 1):
            for cy in range(int(top // self.CELL), int(bottom // self.CELL) + 1):
                yield cx, cy

    def around(self, g: Glyph, reach: float) -> list[Glyph]:
        """Glyphs whose buckets touch g's box grown by `reach` points (g itself excluded)."""
        found: dict[int, Glyph] = {}
        for key in self._keys(g.x0 - reach, g.top - reach, g.x1 + reach, g.bottom + reach):
            for other in self.cells.get(key, ()):
                if other is not g:
                    found[id(other)] = other
        return list(found.values())


def inside(g: Glyph, bbox) -> bool:
    x0, top, x1, bottom = bbox
    return x0 <= g.centre <= x1 and top <= g.middle <= bottom


# Cleaning the text layer ------------------------------------------------------------------


def clean_glyphs(glyphs: list[Glyph]) -> tuple[list[Glyph], int]:
    """Glyphs without overprinted copies (DTP's fake bold draws a glyph two or three times a
    fraction of a point apart) and without ruby; also how many ruby glyphs were dropped."""
    kept: list[Glyph] = []
    seen: dict[tuple[str, int, int], list[Glyph]] = {}
    for g in glyphs:
        key = (g.text, round(g.centre / 4), round(g.middle / 4))
        near = [
            k
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for k in seen.get((g.text, key[1] + dx, key[2] + dy), [])
        ]
        if any(
            abs(k.centre - g.centre) < 0.3 * g.size and abs(k.middle - g.middle) < 0.3 * g.size for k in near
        ):
            continue
        seen.setdefault(key, []).append(g)
        kept.append(g)
    near = Near(kept)
    base = [g for g in kept if not _is_ruby(g, near.around(g, 2 * g.size))]
    return base, len(kept) - len(base)


def _is_ruby(g: Glyph, glyphs: list[Glyph]) -> bool:
    """Furigana: small kana set just above (or, in a few styles, below) larger text it spans."""
    if not _is_kana(g.text):
        return False
    for other in glyphs:
        if (
            other.size * RUBY_RATIO < g.size
            or other.x1 < g.x0 - 0.5 * other.size
            or other.x0 > g.x1 + 0.5 * other.size
        ):
            continue
        if 0 <= other.top - g.bottom < 0.45 * other.size or 0 <= g.top - other.bottom < 0.2 * other.size:
            return True
    return False


def without_ruby_words(words: list[Glyph]) -> list[Glyph]:
    """OCR words without furigana. Tesseract reads a ruby line as words of their own (びしゃもん
    over 毘沙門池), which would join the text. A word's size is its line's, so its own box tells:
    kana at most RUBY_RATIO the page's usual word height (a line of body text just above a
    heading is not ruby), with no word of the usual size on its row (a small hiragana between
    kanji is text), standing just above a word at least that much taller; and the kana on its
    row beside it (「び」 over a letter OCR lost)."""
    if not words:
        return words
    usual = median(w.bottom - w.top for w in words)
    small = [w for w in words if w.bottom - w.top <= RUBY_RATIO * usual]
    near = Near(words)
    around = {id(w): near.around(w, 3 * (w.bottom - w.top)) for w in small}
    lone = [w for w in small if _off_the_lines(w, around[id(w)], usual)]
    ruby = [w for w in lone if _is_ruby_word(w, around[id(w)])]
    beside = [w for w in lone if any(_same_row(w, r) for r in ruby)]
    dropped = {id(w) for w in ruby + beside}
    return [w for w in words if id(w) not in dropped]


def _is_ruby_word(word: Glyph, others: list[Glyph]) -> bool:
    height = word.bottom - word.top
    return any(
        height <= RUBY_RATIO * (o.bottom - o.top)
        and o.x0 < word.x1
        and word.x0 < o.x1
        and 0 <= o.top - word.bottom < RUBY_GAP * (o.bottom - o.top)
        for o in others
    )


def _off_the_lines(word: Glyph, others: list[Glyph], usual: float) -> bool:
    """Kana with no word of the usual size beside it that spans its middle: not on a line of
    text (a small っ between は and ぴ is)."""
    if not _is_kana(word.text) or word.bottom <= word.top:
        return False
    return not any(o.top < word.middle < o.bottom and o.bottom - o.top > RUBY_RATIO * usual for o in others)


def _same_row(word: Glyph, ruby: Glyph) -> bool:
    height = ruby.bottom - ruby.top
    return (
        abs(word.top - ruby.top) < 0.3 * height
        and abs(word.bottom - ruby.bottom) < 0.3 * height
        and min(abs(word.x0 - ruby.x1), abs(ruby.x0 - word.x1)) < 3 * height
    )


def _is_kana(text: str) -> bool:
    return bool(text) and all("\u3041" <= c <= "\u30ff" or c in "・ー" for c in text)


# Lines ------------------------------------------------------------------------------------


def rows_of(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs on one baseline, top to bottom, each row left to right."""
    rows: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.middle, g.x0)):
        if rows and abs(g.middle - _middle(rows[-1])) <= 0.45 * min(g.size, median(o.size for o in rows[-1])):
            rows[-1].append(g)
        else:
            rows.append([g])
    return [sorted(row, key=lambda g: g.x0) for row in rows]


def _middle(row: list[Glyph]) -> float:
    return sum(g.middle for g in row) / len(row)


def make_line(run: list[Glyph], wide: float = 0.6) -> Line:
    """One row of glyphs as a line of text; gaps of more than CELL_GAP ems cut it into cells."""
    text, cells, cell = run[0].text, [], run[0].text
    for a, b in pairwise(run):
        gap = gap_text(a, b, wide)
        text += gap + b.text
        if (b.x0 - a.x1) >= CELL_GAP * max(a.size, b.size):
            cells.append(cell)
            cell = b.text
        else:
            cell += gap + b.text
    cells.append(cell)
    size = median(g.size for g in run)
    bold = sum(len(g.text) for g in run if g.bold) * 2 > sum(len(g.text) for g in run)
    colours = [g.colour for g in run if g.colour]
    return Line(
        text,
        min(g.x0 for g in run),
        min(g.top for g in run),
        max(g.x1 for g in run),
        max(g.bottom for g in run),
        size,
        bold=bold,
        colour=max(set(colours), key=colours.count) if colours else "",
        conf=sum(g.conf * len(g.text) for g in run) / max(1, sum(len(g.text) for g in run)),
        cells=tuple(c.strip(" \u3000") for c in cells) if len(cells) > 1 else (),
    )


CELL_GAP = 1.8  # ems: a wider blank inside a row separates table cells (a label from its value)


def gap_text(a: Glyph, b: Glyph, wide: float = 0.6) -> str:
    """What the blank between two glyphs stands for. Between Japanese characters only a gap of
    about an em is a (full-width) space, as in 「と　き」; justification adds less than that.
    OCR word boxes hug the ink, so their gaps look wider: the caller raises `wide`."""
    em = max(a.size, b.size)
    gap = (b.x0 - a.x1) / em
    latin_a, latin_b = is_latin(a.text[-1]), is_latin(b.text[0])
    if latin_a and latin_b:
        return " " if gap > 0.15 else ""
    if not (latin_a or latin_b):
        return IDEOGRAPHIC_SPACE * max(1, round(gap)) if gap >= wide else ""
    if gap >= max(0.8, wide):
        return IDEOGRAPHIC_SPACE * max(1, round(gap))
    return " " if gap >= (0.3 if wide < 0.8 else 0.6) else ""  # OCR boxes hug narrow digits


def is_latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def block_of(glyphs: list[Glyph], wide: float = 0.6, boxed: bool = False) -> Block:
    """The glyphs of one column or box as lines measured against their own edges."""
    lines = [make_line(row, wide) for row in rows_of(glyphs)]
    return Block(tuple(measured(lines)), boxed)


def measured(lines: list[Line]) -> list[Line]:
    """Indent, fullness and the blank above each line, against the block's edges."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    rights = sorted(line.x1 for line in lines)
    right = rights[int(len(rights) * 0.8)]
    out, previous = [], None
    for line in lines:
        above = (line.top - previous.bottom) / line.size if previous else 0.0
        out.append(
            replace(
                line,
                indent=(line.x0 - left) / line.size,
                full=line.x1 >= right - 0.6 * line.size,
                gap_above=max(0.0, above),
            )
        )
        previous = line
    return out


def join_text(a: str, b: str) -> str:
    """Join two lines of one sentence: Japanese without a space, Latin words with one."""
    if not a or not b:
        return a + b
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
