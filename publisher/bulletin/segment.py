"""Reading order: a page cut into columns and bands (recursive XY-cut), vertical text set apart.

The cut works on glyphs (or OCR words) and on whole regions (pictures, tables, boxes), never on
lines: a line is built only inside one leaf, so nothing is joined across a gutter. At each step
a gutter that runs the full height of the part cuts it into columns (left to right); otherwise
a blank band wider than the leading cuts it into bands (top to bottom). A gutter between short
labels and their values (日　時 ｜ 7月2日…) or between the cells of a table is not a column gutter:
their rows line up one to one, so such a part is kept whole and read row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from .layout import Block, Glyph, Item, Near, Region, block_of, rows_of

GUTTER_EM = 0.6  # a column gutter is at least this wide (DTP sets them from about 0.7 em)
BAND_EM = 1.1  # a blank at least this high across a part separates bands (leading is 0.3–0.9 em) …
LEADING_TIMES = 1.6  # … and at least this many times the part's usual blank between lines
OCR_WIDE = 0.8  # reading_order's `wide` at or above this: OCR words, whose boxes jitter
INTRUDERS = 0.05  # share of a part's rows that may run into its gutter
WIDE_GUTTER_EM = 3.0  # a gap this wide cuts even a single row (two items side by side)
TABLE_SIDE_EM = 12  # columns narrower than this whose rows line up are table cells, not columns
LINE_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳※＊*・●○◆◇■□★☆"
ALIGNED = 0.7  # share of rows on the narrower side with a row of the other side on its baseline


@dataclass(frozen=True)
class Frame:
    """A drawn box whose inside is read on its own (a boxed article or notice)."""

    x0: float
    top: float
    x1: float
    bottom: float


Atom = Glyph | Region | Frame


def reading_order(
    glyphs: list[Glyph], regions: Sequence[Region], frames: Sequence[Frame], wide: float = 0.6
) -> list[Item]:
    """Blocks and regions of one page in reading order."""
    framed, loose = _assign_frames([*glyphs, *regions], frames)
    atoms: list[Atom] = [*loose, *(f for f in frames if framed.get(f))]
    items: list[Item] = []
    for leaf in xy_cut(atoms, exact=wide < OCR_WIDE):
        for part in _around_regions(leaf):
            if isinstance(part, list):
                items.append(block_of(part, wide))
            elif isinstance(part, Frame):
                inside = framed[part]
                inner = reading_order(
                    [a for a in inside if isinstance(a, Glyph)],
                    [a for a in inside if isinstance(a, Region)],
                    [],
                    wide,
                )
                items += [Block(i.lines, boxed=True) if isinstance(i, Block) else i for i in inner]
            else:
                items.append(part)
    return items


def _around_regions(leaf: list[Atom]) -> list:
    """A leaf's text cut at the pictures, tables and boxes in it (set in a column with little
    room around them): text above, the region, text below, in order."""
    regions = sorted((a for a in leaf if not isinstance(a, Glyph)), key=lambda a: (a.top, a.x0))
    texts: list[list[Glyph]] = [[] for _ in range(len(regions) + 1)]
    for g in (a for a in leaf if isinstance(a, Glyph)):
        texts[sum(r.top < g.middle for r in regions)].append(g)
    out: list = []
    for n, text in enumerate(texts):
        if text:
            out.append(text)
        if n < len(regions):
            out.append(regions[n])
    return out


def _assign_frames(
    atoms: list[Glyph | Region], frames: Sequence[Frame]
) -> tuple[dict[Frame, list[Glyph | Region]], list[Glyph | Region]]:
    """Each glyph, picture or table to the smallest frame around its centre; the rest stay loose."""
    framed: dict[Frame, list[Glyph | Region]] = {}
    loose = []
    by_area = sorted(frames, key=lambda f: (f.x1 - f.x0) * (f.bottom - f.top))
    for a in atoms:
        x, y = (a.x0 + a.x1) / 2, (a.top + a.bottom) / 2
        frame = next((f for f in by_area if f.x0 <= x <= f.x1 and f.top <= y <= f.bottom), None)
        if frame is None:
            loose.append(a)
        else:
            framed.setdefault(frame, []).append(a)
    return framed, loose


def xy_cut(atoms: list[Atom], exact: bool = True) -> list[list[Atom]]:
    """Leaves of the cut in reading order."""
    if len(atoms) <= 1:
        return [atoms] if atoms else []
    em = _em(atoms)
    for parts in (_columns(atoms, em, exact), _bands(atoms, em), _around_spanning(atoms, em, exact)):
        if parts:
            return [leaf for part in parts for leaf in xy_cut(part, exact)]
    return [atoms]


def _em(atoms: list[Atom]) -> float:
    sizes = [a.size for a in atoms if isinstance(a, Glyph)]
    return median(sizes) if sizes else 10.0


def _leading(atoms: list[Atom]) -> float:
    """The usual blank between one line and the next in this part (reports are set loose)."""
    rows = rows_of([a for a in atoms if isinstance(a, Glyph)])
    gaps = sorted(
        b_top - a_bottom
        for a_bottom, b_top in zip(
            (max(g.bottom for g in row) for row in rows),
            (min(g.top for g in row) for row in rows[1:]),
            strict=False,
        )
        if b_top > a_bottom
    )
    return gaps[len(gaps) // 2] if gaps else 0.0


def _gaps(spans: list[tuple[float, float]], minimum: float) -> list[tuple[float, float]]:
    """Blank stretches between the spans at least `minimum` wide, widest first."""
    gaps, reach = [], None
    for start, end in sorted(spans):
        if reach is not None and start - reach >= minimum:
            gaps.append((reach, start))
        reach = end if reach is None else max(reach, end)
    return sorted(gaps, key=lambda g: g[0] - g[1])


def _columns(atoms: list[Atom], em: float, exact: bool = True) -> list[list[Atom]] | None:
    """Columns at a clear gutter; with `exact` positions (a text layer, not OCR's jittering
    word boxes) also at a gutter that a line or two run into."""
    gaps = _gaps([(a.x0, a.x1) for a in atoms], GUTTER_EM * em)
    if not gaps and exact:  # a gutter that a line or two run into (set tight against the next column)
        rows = rows_of([a for a in atoms if isinstance(a, Glyph)])
        pieces = [p for row in rows for p in _row_pieces(row, em)]
        pieces += [(a.x0, a.x1) for a in atoms if not isinstance(a, Glyph)]
        gaps = _gaps(_sparse_spans(pieces, len(rows), INTRUDERS), GUTTER_EM * em)
        # A line that runs into a gutter stops in it (a blank is left there); one that crosses it
        # without a blank is set across the columns (a headline): a band, not a column.
        solid = [(a.x0, a.x1) for a in atoms if not isinstance(a, Glyph)]
        gaps = [
            (a, b)
            for a, b in gaps
            if not any(_crosses_solid(row, a, b, em) for row in rows)
            and not any(x0 < a and x1 > b for x0, x1 in solid)
        ]
    for left_edge, right_edge in gaps:
        cut = (left_edge + right_edge) / 2
        left = [a for a in atoms if (a.x0 + a.x1) / 2 < cut]
        right = [a for a in atoms if (a.x0 + a.x1) / 2 >= cut]
        if not (left and right) or _rows_pair_up(left, right, em):
            continue
        # One row is a line with wide gaps (財　政, a label and its value), not two columns.
        if min(_row_count(left), _row_count(right)) >= 2 or right_edge - left_edge >= WIDE_GUTTER_EM * em:
            return [left, right]
    return None


def _around_spanning(atoms: list[Atom], em: float, exact: bool = True) -> list[list[Atom]] | None:
    """Bands around what is set across the columns with no blank to cut at (a photo with its
    caption just under it, a headline a third of an em above the columns): the gutter that most
    rows leave, and the rows and pictures that cross it as bands of their own."""
    rows = rows_of([a for a in atoms if isinstance(a, Glyph)])
    pieces = [piece for row in rows for piece in _row_pieces(row, em)]
    width = max(a.x1 for a in atoms) - min(a.x0 for a in atoms)
    small = [(a.x0, a.x1) for a in atoms if not isinstance(a, Glyph) and a.x1 - a.x0 < 0.5 * width]
    # OCR's word boxes jitter: there only the gutter no word crosses counts, and pictures aside
    # (a photo set between two columns of a scan filled their gutter: iino's photo reports).
    spans = (
        _sparse_spans(pieces + small, len(rows))
        if exact
        else [(a.x0, a.x1) for a in atoms if isinstance(a, Glyph)]
    )
    for left_edge, right_edge in _gaps(spans, GUTTER_EM * em):
        cut = (left_edge + right_edge) / 2
        crossing = [a for a in atoms if not isinstance(a, Glyph) and a.x0 < cut < a.x1]
        crossing += [g for row in rows if any(p[0] < cut < p[1] for p in _row_pieces(row, em)) for g in row]
        crossed_rows = len(rows_of([a for a in crossing if isinstance(a, Glyph)]))
        if not crossing or crossed_rows > 0.25 * max(1, len(rows)):
            continue
        spans = _merged_spans(sorted((a.top, a.bottom) for a in crossing))
        parts: list[list[Atom]] = [[] for _ in range(2 * len(spans) + 1)]
        for atom in atoms:
            middle = (atom.top + atom.bottom) / 2
            index = next((2 * n + 1 for n, (t, b) in enumerate(spans) if t <= middle <= b), None)
            if index is None:
                index = 2 * sum(b < middle for _, b in spans)
            parts[index].append(atom)
        parts = [part for part in parts if part]
        if len(parts) > 1:
            return parts
    return None


def _crosses_solid(row: list[Glyph], left: float, right: float, em: float) -> bool:
    """Whether a row runs from before `left` to after `right` with no blank of a quarter em."""
    if not (row[0].x0 < left and row[-1].x1 > right):
        return False
    inside = [g for g in row if g.x1 > left and g.x0 < right]
    edges = [left, *(x for g in inside for x in (g.x0, g.x1)), right]
    return all(b - a < 0.25 * em for a, b in zip(edges[::2], edges[1::2], strict=False))


def _row_pieces(row: list[Glyph], em: float) -> list[tuple[float, float]]:
    """A row's runs of glyphs: two columns' lines on one baseline are two pieces, a headline one."""
    pieces: list[tuple[float, float]] = []
    for g in row:
        if pieces and g.x0 - pieces[-1][1] < GUTTER_EM * em:
            pieces[-1] = (pieces[-1][0], max(pieces[-1][1], g.x1))
        else:
            pieces.append((g.x0, g.x1))
    return pieces


def _sparse_spans(
    spans: list[tuple[float, float]], rows: int, share: float = 0.25
) -> list[tuple[float, float]]:
    """The spans without those that cross where few others do (so that a gutter crossed only by
    a headline or two still shows as a gap): a span is dropped where it covers x positions that
    at most `share` of the rows cover."""
    if not spans:
        return []
    left, right = int(min(s[0] for s in spans)), int(max(s[1] for s in spans)) + 1
    cover = [0] * (right - left + 1)
    for x0, x1 in spans:
        for x in range(int(x0) - left, int(x1) - left + 1):
            cover[x] += 1
    limit = max(1, int(rows * share))
    return [
        (x0, x1)
        for x0, x1 in spans
        if not any(cover[x] <= limit for x in range(int(x0) - left + 1, int(x1) - left))
    ]


def _merged_spans(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for top, bottom in spans:
        if out and top <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], bottom))
        else:
            out.append((top, bottom))
    return out


def _row_count(atoms: list[Atom]) -> int:
    glyphs = [a for a in atoms if isinstance(a, Glyph)]
    return len(rows_of(glyphs)) + sum(not isinstance(a, Glyph) for a in atoms)


def _rows_pair_up(left: list[Atom], right: list[Atom], em: float) -> bool:
    """Labels and values, or table cells: the narrower side is narrow and its rows have
    partners on the same baseline on the other side."""
    widths = [max(a.x1 for a in side) - min(a.x0 for a in side) for side in (left, right)]
    if min(widths) > TABLE_SIDE_EM * em:
        return False
    rows = [rows_of([a for a in side if isinstance(a, Glyph)]) for side in (left, right)]
    narrow, other = (rows[0], rows[1]) if widths[0] <= widths[1] else (rows[1], rows[0])
    if len(narrow) < 2:
        return False
    middles = [sum(g.middle for g in row) / len(row) for row in other]
    paired = sum(
        any(abs(sum(g.middle for g in row) / len(row) - m) < 0.4 * em for m in middles) for row in narrow
    )
    return paired >= ALIGNED * len(narrow)


def _bands(atoms: list[Atom], em: float) -> list[list[Atom]] | None:
    gaps = sorted(
        _gaps([(a.top, a.bottom) for a in atoms], max(BAND_EM * em, LEADING_TIMES * _leading(atoms)))
    )
    if not gaps:
        return None
    cuts = [(top + bottom) / 2 for top, bottom in gaps]
    parts: list[list[Atom]] = [[] for _ in range(len(cuts) + 1)]
    for atom in atoms:
        parts[sum(atom.top >= cut for cut in cuts)].append(atom)
    return [part for part in parts if part]


# Vertical text -----------------------------------------------------------------------------


def vertical_runs(glyphs: list[Glyph]) -> tuple[list[list[Glyph]], list[Glyph]]:
    """Characters set one under another (縦書き): each run top to bottom, and the rest.

    In horizontal text a character's nearest neighbour is beside it; in vertical text it is
    just below, set solid (the gap is a fraction of an em, less than any leading)."""
    near = Near(glyphs)
    below: dict[int, Glyph] = {}
    for g in glyphs:
        if len(g.text) != 1 or g.text in LINE_MARKS:
            continue  # marks set at the start of each line (① ② ③, ※, ＊) line up too
        close = near.around(g, 1.5 * g.size)
        under = [
            o
            for o in close
            if o is not g
            and abs(o.centre - g.centre) < 0.25 * g.size
            and 0 <= o.top - g.bottom < 0.3 * g.size
            and abs(o.size - g.size) < 0.2 * g.size
        ]
        if under and not _has_side_neighbour(g, close, min(o.top - g.bottom for o in under)):
            below[id(g)] = min(under, key=lambda o: o.top)
    starts = set(below) - {id(o) for o in below.values()}
    runs = []
    for g in glyphs:
        if id(g) in starts:
            run = [g]
            while id(run[-1]) in below:
                run.append(below[id(run[-1])])
            runs.append(run)
    runs = [
        run
        for run in runs
        if len(run) >= 2
        and all(not _has_side_neighbour(g, near.around(g, g.size), 0.3 * g.size) for g in run)
    ]
    used = {id(g) for run in runs for g in run}
    return runs, [g for g in glyphs if id(g) not in used]


def _has_side_neighbour(g: Glyph, glyphs: list[Glyph], than: float) -> bool:
    """Another glyph on the same baseline closer than `than` (or touching)."""
    for o in glyphs:
        if o is g or abs(o.middle - g.middle) > 0.3 * g.size:
            continue
        gap = max(o.x0 - g.x1, g.x0 - o.x1)
        if gap < max(than, 0.05 * g.size):
            return True
    return False


def vertical_region(run: list[Glyph]) -> Region:
    return Region(
        min(g.x0 for g in run),
        min(g.top for g in run),
        max(g.x1 for g in run),
        max(g.bottom for g in run),
        text="".join(g.text for g in run),
    )
