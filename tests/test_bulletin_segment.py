"""Reading order on a scanned page (publisher/bulletin/segment.py): photos set between columns."""

from __future__ import annotations

from publisher.bulletin.layout import Block, Glyph, Region
from publisher.bulletin.segment import OCR_WIDE, reading_order

SIZE = 12.3


def _rows(text: str, x0: float, x1: float, top: float, count: int) -> list[Glyph]:
    return [
        Glyph(f"{text}{n}", x0, top + 12.5 * n, x1, top + 12.5 * n + 10, SIZE, conf=93) for n in range(count)
    ]


def test_columns_beside_a_photo_set_in_their_gutter_are_read_apart():
    """iino p2 (a scan): photo reports, a photo between a column of captions and the
    ふれあいライブラリー notice, and photos above reaching over the gutter. The photos' spans
    filled every gutter, so the captions and the notice were read across, line by line."""
    photos = [Region(52, 104, 271, 248), Region(340, 92, 530, 236), Region(179, 271, 323, 380)]
    glyphs = [
        *_rows("事業報告", 224, 340, 72, 1),  # the page's heading, over the gutter
        *_rows("パン作り", 268, 345, 106, 7),  # the caption between the two photos above
        *_rows("絵本の読み聞かせ", 370, 530, 238, 3),  # the caption under the photo on the right
        *_rows("5月21日", 53, 114, 264, 1),
        *_rows("いきいき教室", 52, 132, 276, 8),  # the captions left of the photo
        *_rows("ふれあいライブラリー", 338, 530, 284, 7),  # the notice right of it
    ]
    blocks = [item for item in reading_order(glyphs, photos, [], OCR_WIDE) if isinstance(item, Block)]
    for block in blocks:
        texts = "".join(line.text for line in block.lines)
        assert not ("いきいき教室" in texts and "ふれあいライブラリー" in texts), texts
    notice = next(b for b in blocks if "ふれあいライブラリー0" in "".join(line.text for line in b.lines))
    assert [ln.text for ln in notice.lines if "ふれあい" in ln.text] == [
        f"ふれあいライブラリー{n}" for n in range(7)
    ]
