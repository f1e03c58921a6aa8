"""Page geometry shared by the PDF and OCR readers: lines, columns, reading order, running heads.

Coordinates are points from the top-left corner of the page (y grows downwards), whatever the
source. A Glyph is one character of a PDF text layer or one word of Tesseract output.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median

from .records import Table

IDEOGRAPHIC_SPACE = "\u3000"


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    indent: float = 0.0  # from the left edge of its column or box, in ems (字下げ)
    full: bool = False  # reaches the right edge: the sentence may go on in the next line


@dataclass(frozen=True)
class Region:
    """Something read as a whole: a boxed article (its lines), a table or a picture (payload)."""

    x0: float
    top: float
    x1: float
    bottom: float
    lines: tuple[Line, ...] = ()
    payload: object = None


Item = Line | Region


@dataclass(frozen=True)
class PageContent:
    """One page before reading order: its text lines and its regions."""

    number: int
    width: float
    height: float
    lines: list[Line]
    regions: list[Region]
    gutters: list[tuple[float, float]]
    ocr: bool = False

    def with_lines(self, lines: list[Line]) -> PageContent:
        return replace(self, lines=lines)

    def ordered(self) -> list[Item]:
        return reading_order([*self.lines, *self.regions], self.gutters)


def inside(g: Glyph, bbox) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (g.x0 + g.x1) / 2, g.middle
    return x0 <= cx <= x1 and top <= cy <= bottom


def find_gutters(
    glyphs: list[Glyph], regions: list[Region] = (), min_width: float = 5.0
) -> list[tuple[float, float]]:
    """Empty vertical strips between columns: x ranges that (almost) no glyph covers.

    A heading or photo set across the columns covers a strip only a few times, so the test is
    relative to how densely the columns themselves are covered. A picture or table narrower
    than half the text counts as the lines it replaces; a wider one is assumed to span."""
    if len(glyphs) < 40:
        return []
    left = int(min([g.x0 for g in glyphs] + [r.x0 for r in regions]))
    right = int(max([g.x1 for g in glyphs] + [r.x1 for r in regions])) + 1
    cover = [0.0] * (right - left + 1)
    pieces = [(g.x0, g.x1, 1.0) for g in glyphs]
    pieces += [(r.x0, r.x1, (r.bottom - r.top) / 14) for r in regions if r.x1 - r.x0 < (right - left) * 0.6]
    for x0, x1, weight in pieces:
        for x in range(int(x0) - left, int(x1) - left + 1):
            cover[x] += weight
    filled = sorted(c for c in cover if c)
    limit = max(1, filled[int(len(filled) * 0.8)] * 0.04)
    gutters, start = [], None
    for x, count in enumerate(cover + [limit + 1]):
        if count <= limit and start is None:
            start = x
        elif count > limit and start is not None:
            if x - start >= min_width and start > 20 and x < len(cover) - 20:
                gutters.append((left + start, left + x))
            start = None
    return sorted(sorted(gutters, key=lambda g: g[0] - g[1])[:3])  # 2–4 columns: the widest strips


def build_lines(glyphs: list[Glyph], gutters: list[tuple[float, float]] = ()) -> list[Line]:
    """Rebuild text lines from positioned glyphs: same baseline, split at column gutters.
    Gaps become spaces only where a reader sees one (see gap_text)."""
    rows: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: g.middle):
        if rows and abs(g.middle - _middle(rows[-1])) <= 0.45 * min(g.size, rows[-1][0].size):
            rows[-1].append(g)
        else:
            rows.append([g])
    return [line for row in rows for line in split_row(row, gutters)]


def split_row(row: list[Glyph], gutters=(), wide: float = 0.6) -> list[Line]:
    """One baseline's glyphs as lines: split at column gutters and at very wide gaps."""
    lines, run = [], []
    for g in sorted(row, key=lambda g: g.x0):
        if run and (_across_gutter(run[-1], g, gutters) or g.x0 - run[-1].x1 > 4 * g.size):
            lines.append(_line(run, wide))
            run = []
        run.append(g)
    return lines + [_line(run, wide)] if run else lines


def _middle(row: list[Glyph]) -> float:
    return sum(g.middle for g in row) / len(row)


def _across_gutter(a: Glyph, b: Glyph, gutters) -> bool:
    return any(a.x1 <= g0 + 1 and b.x0 >= g1 - 1 for g0, g1 in gutters)


def _line(run: list[Glyph], wide: float = 0.6) -> Line:
    text = run[0].text
    for a, b in pairwise(run):
        text += gap_text(a, b, wide) + b.text
    size = median(g.size for g in run)
    return Line(
        text,
        min(g.x0 for g in run),
        min(g.top for g in run),
        max(g.x1 for g in run),
        max(g.bottom for g in run),
        size,
    )


def gap_text(a: Glyph, b: Glyph, wide: float = 0.6) -> str:
    """What the blank between two glyphs stands for. Between Japanese characters only a gap of
    about an em is a (full-width) space, as in 「と　き」; justification adds less than that.
    OCR word boxes hug the ink, so their gaps look wider: the caller raises `wide`."""
    em = max(a.size, b.size)
    gap = (b.x0 - a.x1) / em
    if is_latin(a.text[-1]) and is_latin(b.text[0]):
        return " " if gap > 0.15 else ""
    if gap >= wide and not (is_latin(a.text[-1]) or is_latin(b.text[0])):
        return IDEOGRAPHIC_SPACE * max(1, round(gap))
    if not (is_latin(a.text[-1]) or is_latin(b.text[0])):
        return ""
    if gap >= max(0.8, wide):
        return IDEOGRAPHIC_SPACE * max(1, round(gap))
    return " " if gap >= 0.3 else ""


def is_latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def join_text(a: str, b: str) -> str:
    """Join two lines of one sentence: Japanese without a space, Latin words with one."""
    if not a or not b:
        return a + b
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def running_heads(pages: list[list[Line]], heights: list[float], edge: float = 0.08) -> list[list[Line]]:
    """Drop mastheads, running heads and page numbers: text repeated near the same height on
    most pages, digits-only lines near the top or bottom edge, and masthead text repeated
    in large type on the cover."""

    def at_edge(line: Line, height: float) -> bool:
        return line.bottom < height * edge or line.top > height * (1 - edge)

    edges = [[ln for ln in lines if at_edge(ln, h)] for lines, h in zip(pages, heights, strict=True)]
    needed = max(2, (len(pages) + 1) // 2)
    repeated: set[str] = set()
    for lines in edges:
        for line in lines:
            seen = sum(any(_same_head(line, other) for other in others) for others in edges)
            if seen >= needed:
                repeated.add(compact(line.text))
    kept = []
    for lines, h in zip(pages, heights, strict=True):
        kept.append([ln for ln in lines if not _is_head(ln, h, repeated, at_edge(ln, h))])
    return kept


def _same_head(a: Line, b: Line) -> bool:
    if abs(a.top - b.top) > 12:
        return False
    return difflib.SequenceMatcher(None, compact(a.text), compact(b.text)).ratio() >= 0.8


def _is_head(line: Line, height: float, repeated: set[str], at_edge: bool) -> bool:
    text = compact(line.text)
    if at_edge and re.fullmatch(r"[-–—‐(（]?(?:P\.?|p\.?)?\d{1,3}(?:ページ)?[-–—‐)）]?", text):
        return True
    if at_edge and text in repeated:
        return True
    near_top = line.top < height * 0.15
    return near_top and len(text) >= 2 and any(text in r or _similar(text, r) for r in repeated)


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def reading_order(items: list[Item], gutters: list[tuple[float, float]]) -> list[Item]:
    """Columns left to right, top to bottom within a column. Things set across the columns
    (a cover photo, a feature title) split the page into bands read one after the other."""
    spanning = sorted((it for it in items if _crosses(it, gutters)), key=lambda it: it.top)
    rest = [it for it in items if not _crosses(it, gutters)]
    column = {id(it): sum(it.x0 + it.x1 > g0 + g1 for g0, g1 in gutters) for it in rest}
    ordered: list[Item] = []
    for span in spanning:
        above = [it for it in rest if it.top < span.top]
        ordered += sorted(above, key=lambda it: (column[id(it)], it.top))
        rest = [it for it in rest if it.top >= span.top]
        ordered.append(span)
    ordered += sorted(rest, key=lambda it: (column[id(it)], it.top))
    return _with_edges(ordered, column)


def _crosses(item: Item, gutters) -> bool:
    return any(item.x0 < g0 - 2 and item.x1 > g1 + 2 for g0, g1 in gutters)


def _with_edges(items: list[Item], column: dict[int, int]) -> list[Item]:
    """Measure each line's indent and whether it is full against its column's edges."""
    groups: dict[int, list[Line]] = {}
    for it in items:
        if isinstance(it, Line):
            groups.setdefault(column.get(id(it), -1), []).append(it)
    edges = {key: _edges(lines) for key, lines in groups.items()}
    measured_lines = {}
    for key, lines in groups.items():
        for n, line in enumerate(lines):
            near = [ln for ln in lines[max(0, n - 1) : n + 2] if abs(ln.top - line.top) < 2.5 * line.size]
            measured_lines[id(line)] = measured(line, *edges[key], near)
    return [measured_lines.get(id(it), it) for it in items]


def _edges(lines: list[Line]) -> tuple[float, float]:
    rights = sorted(ln.x1 for ln in lines)
    return min(ln.x0 for ln in lines), rights[int(len(rights) * 0.8)]


def measured(line: Line, left: float, right: float, near: list[Line] = ()) -> Line:
    """Indent and fullness against the column, or against the neighbouring lines when they
    share a narrower measure (a box the scan does not show as one)."""
    if near:
        left = max(left, min(ln.x0 for ln in near))
        right = min(right, max(ln.x1 for ln in near))
    return replace(line, indent=(line.x0 - left) / line.size, full=line.x1 >= right - 0.6 * line.size)


def box_lines(lines: list[Line]) -> tuple[Line, ...]:
    """The lines of a boxed article, top to bottom, measured against the box's own edges."""
    if not lines:
        return ()
    left, right = _edges(lines)
    return tuple(measured(ln, left, right) for ln in sorted(lines, key=lambda ln: (ln.top, ln.x0)))


def find_tables(segments, glyphs: list[Glyph]) -> list[tuple[tuple[float, float, float, float], Table]]:
    """Ruled tables: at least three horizontal rules of the same extent crossed by at least
    three vertical rules. Cell text is read from the glyphs inside each cell."""
    horizontal = [s for s in segments if s[3] - s[1] < 2.5 and s[2] - s[0] > 20]
    vertical = [s for s in segments if s[2] - s[0] < 2.5 and s[3] - s[1] > 8]
    groups: list[list] = []
    for h in sorted(horizontal, key=lambda s: (round(s[0]), round(s[2]), s[1])):
        group = next(
            (
                g
                for g in groups
                if abs(g[0][0] - h[0]) < 3 and abs(g[0][2] - h[2]) < 3 and h[1] - g[-1][1] < 60
            ),
            None,
        )
        group.append(h) if group else groups.append([h])
    tables = []
    for group in (g for g in groups if len(g) >= 3):
        x0, x1 = group[0][0], group[0][2]
        ys = _distinct(sorted((h[1] + h[3]) / 2 for h in group))
        top, bottom = ys[0], ys[-1]
        xs = _distinct(
            sorted(
                (v[0] + v[2]) / 2
                for v in vertical
                if x0 - 3 <= v[0] <= x1 + 3 and v[1] >= top - 3 and v[3] <= bottom + 3
            )
        )
        if len(xs) < 3 or len(ys) < 3:
            continue
        rows = tuple(tuple(_cell(glyphs, (a, t, b, u)) for a, b in pairwise(xs)) for t, u in pairwise(ys))
        tables.append(((xs[0], top, xs[-1], bottom), Table(header=rows[0], rows=rows[1:])))
    return tables


def _distinct(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _cell(glyphs: list[Glyph], bbox) -> str:
    text = ""
    for line in build_lines([g for g in glyphs if inside(g, bbox)]):
        text = join_text(text, line.text)
    return text
