"""Running heads (heads.py): text repeated at the top or foot of the pages is no article's text."""

from __future__ import annotations

from publisher.bulletin.heads import running_heads
from publisher.bulletin.layout import Block, Line

HEIGHT = 842.0


def _block(text: str, x0: float, top: float, size: float = 12.5) -> Block:
    return Block((Line(text, x0, top, x0 + size * len(text), top + size, size),))


def test_a_running_head_is_left_out_when_the_cover_sets_its_pieces_apart():
    """A two-page scan: the cover's masthead 広報かんら (large) and 2026年1月号 apart on its
    right; the next page's running head 「広報かんら　2026年1月号」 in one small line. Both are
    left out, and the article's text on the next page does not end with the running head."""
    cover = [
        _block("広報かんら", 41, 25, 34),
        _block("2026年1月号", 401, 36, 18),
        _block("新年あけまして", 41, 420),
    ]
    inside = [_block("広報かんら　2026年1月号", 40, 32), _block("◆消防出初式を行います", 40, 78, 15)]
    kept = running_heads([cover, inside], [HEIGHT, HEIGHT])
    texts = [[line.text for block in page for line in block.lines] for page in kept]
    assert texts == [["新年あけまして"], ["◆消防出初式を行います"]]


def test_a_heading_at_the_top_of_one_page_stays():
    first = [_block("広報かんら", 41, 25, 34), _block("新年あけまして", 41, 420)]
    second = [_block("◆消防出初式を行います", 40, 32, 15), _block("新春恒例の", 40, 60)]
    kept = running_heads([first, second], [HEIGHT, HEIGHT])
    assert [line.text for block in kept[1] for line in block.lines] == ["◆消防出初式を行います", "新春恒例の"]
