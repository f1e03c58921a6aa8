"""Tables: ruled ones from the page's rules (PDF lines and rectangle edges, or dark strokes
found in a scan), unruled ones from rows whose cells line up.

A ruled table is a set of horizontal rules tied together by vertical ones (or at least three
horizontal rules of the same width: many bulletins rule only the rows). Rows lie between
horizontal rules, columns between vertical rules, or, where there are none, at the blanks that
run down every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from .layout import Glyph, Line, inside, join_text, rows_of
from .records import Table

Segment = tuple[float, float, float, float]  # x0, top, x1, bottom
THIN = 2.5  # points: a rule is thinner than this
MIN_RULE = 20  # points: shorter strokes are underlines, ticks and marks


@dataclass
class _Rule:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.bottom - self.top < THIN

    @property
    def at(self) -> float:
        return (self.top + self.bottom) / 2 if self.horizontal else (self.x0 + self.x1) / 2


def find_tables(segments: list[Segment], glyphs: list[Glyph]) -> list[tuple[Segment, Table]]:
    """Ruled tables on a page, each with its box."""
    rules = _merged([_Rule(*s) for s in segments])
    tables = []
    for group in _groups(rules):
        table = _table(group, glyphs)
        if table is not None:
            tables.append(table)
    return tables


def rect_edges(x0: float, top: float, x1: float, bottom: float) -> list[Segment]:
    """The four sides of a drawn rectangle (table cells are often drawn one rectangle each)."""
    return [(x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom), (x1, top, x1, bottom)]


def _merged(rules: list[_Rule]) -> list[_Rule]:
    """Collinear pieces that touch become one rule (cell borders drawn cell by cell)."""
    out: list[_Rule] = []
    for horizontal in (True, False):
        pieces = sorted(
            (r for r in rules if r.horizontal == horizontal and _length(r) >= 2),
            key=lambda r: (round(r.at), r.x0 if horizontal else r.top),
        )
        for rule in pieces:
            last = out[-1] if out and out[-1].horizontal == horizontal else None
            if last and abs(last.at - rule.at) < 1.5 and _start(rule) <= _end(last) + 3:
                if horizontal:
                    last.x1 = max(last.x1, rule.x1)
                else:
                    last.bottom = max(last.bottom, rule.bottom)
            else:
                out.append(_Rule(rule.x0, rule.top, rule.x1, rule.bottom))
    return [r for r in out if _length(r) >= MIN_RULE]


def _length(rule: _Rule) -> float:
    return rule.x1 - rule.x0 if rule.horizontal else rule.bottom - rule.top


def _start(rule: _Rule) -> float:
    return rule.x0 if rule.horizontal else rule.top


def _end(rule: _Rule) -> float:
    return rule.x1 if rule.horizontal else rule.bottom


def _touch(a: _Rule, b: _Rule) -> bool:
    if a.horizontal == b.horizontal:
        return False
    h, v = (a, b) if a.horizontal else (b, a)
    return h.x0 - 3 <= v.at <= h.x1 + 3 and v.top - 3 <= h.at <= v.bottom + 3


def _groups(rules: list[_Rule]) -> list[list[_Rule]]:
    """Rules tied together by crossings; horizontal rules of one width form a group too."""
    groups: list[list[_Rule]] = []
    for rule in rules:
        joined = [g for g in groups if any(_touch(rule, other) for other in g)]
        for g in joined:
            groups.remove(g)
        groups.append([rule, *(r for g in joined for r in g)])
    loose = sorted(
        (g[0] for g in groups if len(g) == 1 and g[0].horizontal), key=lambda r: (round(r.x0), r.at)
    )
    stacks: list[list[_Rule]] = []
    for rule in loose:
        stack = next((s for s in stacks if abs(s[0].x0 - rule.x0) < 3 and abs(s[0].x1 - rule.x1) < 3), None)
        if stack and rule.at - stack[-1].at < 80:
            stack.append(rule)
        else:
            stacks.append([rule])
    return [g for g in groups if len(g) > 1] + [s for s in stacks if len(s) >= 3]


def _table(group: list[_Rule], glyphs: list[Glyph]) -> tuple[Segment, Table] | None:
    horizontal = [r for r in group if r.horizontal]
    vertical = [r for r in group if not r.horizontal]
    if len(horizontal) < 2:
        return None
    ys = _without_frame_bands(_distinct(sorted(r.at for r in horizontal)))
    x0, x1 = min(r.x0 for r in horizontal), max(r.x1 for r in horizontal)
    if vertical:
        x0, x1 = min(x0, min(r.at for r in vertical)), max(x1, max(r.at for r in vertical))
    box = (x0, ys[0], x1, ys[-1])
    within = [g for g in glyphs if inside(g, box)]
    if len(ys) < 3 and len(vertical) < 3 or not within:
        return None
    xs = _distinct(sorted(r.at for r in vertical if r.bottom - r.top > 0.5 * (ys[1] - ys[0])))
    if len(xs) < 3:  # rows ruled, columns not: cut at the blanks running down every row
        xs = [x0, *_blank_columns(within, (x0, ys[0], x1, ys[-1])), x1]
    rows = [tuple(_cell(within, (a, t, b, u)) for a, b in pairwise(xs)) for t, u in pairwise(ys)]
    rows = [row for row in rows if any(row)]
    if not _looks_like_a_table(rows):
        return None
    return box, Table(header=rows[0], rows=tuple(rows[1:]))


FRAME_BAND = 3.0  # a first or last "row" this many times the middle row height is a frame's side


def _without_frame_bands(ys: list[float]) -> list[float]:
    """The rules of a table without those of a frame drawn around it: a frame's top (or bottom)
    side with the box's heading and lead text between it and the grid (bouhan p2: the heading
    令和7年中の特殊詐欺被害情勢 and its sentence over the ruled table) is no row of the table."""
    while len(ys) >= 4:
        heights = sorted(b - a for a, b in pairwise(ys))
        middle = heights[len(heights) // 2]
        if ys[1] - ys[0] > FRAME_BAND * middle:
            ys = ys[1:]
        elif ys[-1] - ys[-2] > FRAME_BAND * middle:
            ys = ys[:-1]
        else:
            break
    return ys


MAX_COLUMNS = 8


def _looks_like_a_table(rows: list[tuple[str, ...]]) -> bool:
    """Rules around a box or between bands make grids too: a table has at least two rows and
    two columns, few columns, every column used and most cells filled."""
    if len(rows) < 2 or not 2 <= len(rows[0]) <= MAX_COLUMNS:
        return False
    cells = [cell for row in rows for cell in row]
    columns_used = all(any(row[n] for row in rows) for n in range(len(rows[0])))
    return columns_used and sum(bool(c) for c in cells) >= 0.6 * len(cells)


def _distinct(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _cell(glyphs: list[Glyph], bbox) -> str:
    from .layout import make_line  # a cell's lines read like any line

    text = ""
    for row in rows_of([g for g in glyphs if inside(g, bbox)]):
        text = join_text(text, make_line(row, 0.9).text.strip(" \u3000"))
    return text


def _blank_columns(glyphs: list[Glyph], box: Segment) -> list[float]:
    """x positions of blanks at least an em wide that no glyph of the table covers."""
    em = sorted(g.size for g in glyphs)[len(glyphs) // 2]
    spans = sorted((g.x0, g.x1) for g in glyphs)
    cuts, reach = [], box[0]
    for start, end in spans:
        if start - reach >= em:
            cuts.append((reach + start) / 2)
        reach = max(reach, end)
    return cuts


def unruled_table(lines: list[Line]) -> Table | None:
    """Rows of three or more lines cut into the same number (≥ 3) of cells, or into two cells
    where no row reads as a sentence: a schedule or a price list printed without rules."""
    if len(lines) < 3 or any(not line.cells for line in lines):
        return None
    widths = {len(line.cells) for line in lines}
    if len(widths) != 1:
        return None
    width = widths.pop()
    if width == 2 and any(line.text.rstrip().endswith("。") for line in lines):
        return None
    rows = [line.cells for line in lines]
    return Table(header=rows[0], rows=tuple(rows[1:])) if width >= 2 else None
