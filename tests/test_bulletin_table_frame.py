"""A ruled table inside a drawn frame that also holds the box's heading and lead text (bouhan p2:
◆令和7年中の特殊詐欺被害情勢◆ and one sentence over the ruled grid): the frame's side is no row
of the table, and the heading and the sentence stay text (tables.py)."""

from __future__ import annotations

from publisher.bulletin.layout import Glyph
from publisher.bulletin.tables import find_tables, rect_edges

GRID = (195, 210, 225, 240, 255, 270)  # the rows' rules, 15 pt apart
COLUMNS = (30, 150, 250, 370)


def _glyph(text: str, x0: float, top: float, size: float = 7.0) -> Glyph:
    return Glyph(text, x0, top, x0 + size * len(text), top + size, size)


def _page() -> tuple[list, list[Glyph]]:
    segments = rect_edges(30, 130, 370, 340)  # the frame round heading, sentence and grid
    segments += [(30, y - 0.5, 370, y + 0.5) for y in GRID]
    segments += [(x - 0.5, GRID[0], x + 0.5, GRID[-1]) for x in COLUMNS[1:-1]]
    glyphs = [
        _glyph("令和7年中の特殊詐欺被害情勢", 80, 144, size=16),
        _glyph("県内における特殊詐欺被害は大幅に増加しています。", 60, 170),
    ]
    cells = (
        ("罪種", "件数", "被害額"),
        ("オレオレ詐欺", "207", "約14億円"),
        ("預貯金詐欺", "7", "約420万円"),
    )
    cells += (("架空料金請求詐欺", "169", "約2億円"), ("還付金詐欺", "55", "約7千万円"))
    for row, top in zip(cells, GRID, strict=False):
        glyphs += [_glyph(text, x + 8, top + 4) for text, x in zip(row, COLUMNS, strict=False)]
    return segments, glyphs


def test_the_frame_round_a_table_is_no_row_of_it():
    ((box, table),) = find_tables(*_page())
    assert box[1] >= GRID[0] - 1  # the table starts at the grid, below the heading and sentence
    assert table.header == ("罪種", "件数", "被害額")
    assert [row[0] for row in table.rows] == ["オレオレ詐欺", "預貯金詐欺", "架空料金請求詐欺", "還付金詐欺"]
