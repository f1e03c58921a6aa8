"""Two columns on one tinted panel (panels.py): found in the page image and read one by one."""

from __future__ import annotations

import numpy as np
from PIL import Image

from publisher.bulletin import ocr, panels

LINE = 38  # pixels from one line of type to the next, at 300 dpi
W, H = 2400, 1800


def _type(page: np.ndarray, x0: float, x1: float, top: int, rows: int, value: int, seed: int) -> None:
    """Lines of "letters" (blocks with gaps between them and a ragged end) from x0 to about x1."""
    rnd = np.random.default_rng(seed)
    for row in range(rows):
        y = top + round(row * 1.5 * LINE)
        end = x1 - rnd.integers(0, 6) * 40
        x = x0
        while x + 30 <= end:
            page[y : y + 30, round(x) : round(x) + 30] = value
            page[y + 12 : y + 16, round(x) : round(x) + 30] = 255 - value  # a letter's counter
            x += 40


def _panel_page(tint: int = 120, band: int | None = 90, gap: int = 60, rows: int = 20, left_width: int = 980):
    """A page with a tinted panel of two columns of white type and (shakyo has none) a band
    printed between them."""
    page = np.full((H, W), 255, np.uint8)
    top, bottom, left, right = 100, 100 + round(rows * 1.5 * LINE) + 60, 120, W - 120
    page[top:bottom, left:right] = tint
    middle = left + 40 + left_width + gap // 2
    if band is not None:
        page[top:bottom, middle - 14 : middle + 14] = band
    type_value = 250 if tint < 160 else 20
    _type(page, left + 40, middle - gap // 2, top + 30, rows, type_value, 1)
    _type(page, middle + gap // 2, right - 40, top + 30, rows, type_value, 2)
    return Image.fromarray(page), middle


def test_the_two_columns_of_a_tinted_panel_are_found_on_either_side_of_its_band():
    image, middle = _panel_page()
    found = panels.panes(image, avoid=[])
    assert len(found) == 2
    (l0, top, l1, bottom), (r0, rtop, r1, rbottom) = found
    assert (top, bottom) == (rtop, rbottom) and bottom - top >= 20 * LINE
    assert l1 <= middle - 14 and r0 >= middle + 14  # the band is in neither column
    assert l0 <= 160 and r1 >= W - 160  # each column as far as the tint goes
    page = np.asarray(image)
    assert page[top + 1 : bottom, l1:r0].max() < 200  # tint and band between them, no type (top: paper)
    whitened = np.asarray(panels.without_gutters(image, found))
    assert (whitened[top:bottom, l1:r0] == 255).all() and (whitened[:, :l1] == page[:, :l1]).all()


def test_no_columns_where_tesseract_finds_them_or_where_there_are_none():
    white, _ = _panel_page(tint=255, band=None)  # columns on white paper: Tesseract finds that gutter
    assert panels.panes(white, avoid=[]) == []
    short, _ = _panel_page(rows=8)  # a strip only eight lines tall: a table's labels, not columns
    assert panels.panes(short, avoid=[]) == []
    labels, _ = _panel_page(left_width=300)  # a narrow column of labels beside their values
    assert panels.panes(labels, avoid=[]) == []
    image, _ = _panel_page()
    assert panels.panes(image, avoid=[(0, 0, 400, 400)]) == []  # over a photo or a drawn box


HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _tsv(*lines: tuple[tuple[int, int, str], ...]) -> str:
    """Tesseract's TSV: each line a tuple of words (left, right, text), lines 60 pixels apart."""
    rows = [HEADER]
    for n, words in enumerate(lines, 1):
        top = 300 + 60 * n
        rows.append(f"4\t1\t1\t1\t{n}\t0\t{words[0][0]}\t{top}\t{words[-1][1] - words[0][0]}\t30\t-1\t")
        rows += [
            f"5\t1\t1\t1\t{n}\t{k}\t{a}\t{top}\t{b - a}\t30\t95\t{t}" for k, (a, b, t) in enumerate(words, 1)
        ]
    return "\n".join(rows)


def _read(monkeypatch, tmp_path, image, page_lines):
    """The page read with a stand-in for Tesseract: the page reading gives `page_lines`, a column
    read alone a line of 160 surely read letters (text, so the panel is no photo)."""
    read = []

    def tesseract(path, psm, number):
        with Image.open(path) as part:
            read.append(np.asarray(part.convert("L")).copy())
        return _tsv(*page_lines) if read[-1].shape[1] == W else _tsv(((20, 820, "講" * 160),))

    monkeypatch.setattr(ocr.scan, "render", lambda pdf, number, stem: image)
    monkeypatch.setattr(ocr.scan, "prepare", lambda page: page)
    monkeypatch.setattr(ocr, "_tesseract", tesseract)
    return ocr._read_page(tmp_path / "koho.pdf", 1, tmp_path, tmp_path / "images", None), read


def test_the_columns_of_a_panel_are_read_on_their_own_when_the_page_reading_joined_them(
    monkeypatch, tmp_path
):
    """The page reading ran lines across the strip: each column is cut out and read by itself,
    the page is read again with the panel blanked, and the columns are boxes for the reading
    order."""
    image, middle = _panel_page()
    across = ((300, 700, "視覚に障がいのある"), (middle + 100, middle + 500, "ティアの養成"))
    page, read = _read(monkeypatch, tmp_path, image, [across, across])
    left, right = page.panes
    assert left[2] < middle * ocr.scan.SCALE < right[0]  # in points, on either side of the band
    widths = [part.shape[1] for part in read]
    assert len(read) == 4 and widths[0] == widths[-1] == W  # the page, two columns, the page again
    assert abs(widths[2] - (W - middle - 160)) < 120 and abs(widths[1] - (middle - 160)) < 120
    top, bottom = round(left[1] / ocr.scan.SCALE) + 2, round(left[3] / ocr.scan.SCALE) - 2
    assert (read[-1][top:bottom, 200 : middle - 60] == 255).all()  # the columns are not read twice
    assert not (read[0][top:bottom, 200 : middle - 60] == 255).all()


def test_a_panel_whose_columns_tesseract_kept_apart_is_read_as_it_was(monkeypatch, tmp_path):
    """The same panel, but the page reading kept each line in its column: read once, as before."""
    image, middle = _panel_page()
    apart = [((300, 700, "視覚に障がいのある"),), ((middle + 100, middle + 500, "ティアの養成"),)]
    page, read = _read(monkeypatch, tmp_path, image, apart * 2)
    assert page.panes == () and len(read) == 1


def test_light_type_on_a_dark_panel_starts_with_no_mark():
    """Left of a line of white type on a dark panel there is panel, not a ◆ (at_line_edge)."""
    from publisher.bulletin import solid_marks

    page = np.full((200, 800), 255, np.uint8)
    page[40:160, 100:800] = 90  # the panel, from x = 100
    page[70:110, 185:225] = 250  # a white letter, set in a little from where Tesseract's line starts
    assert solid_marks.at_line_edge(Image.fromarray(page), (170, 70, 700, 110), 40.0) is None
    page = np.full((200, 800), 255, np.uint8)
    page[70:110, 100:140] = 0  # a solid mark on paper, then a letter
    page[75:105, 160:190] = 0
    page[85:95, 165:185] = 255
    assert solid_marks.at_line_edge(Image.fromarray(page), (100, 70, 700, 110), 40.0) is not None


def test_two_alike_headings_side_by_side_are_two_articles():
    """音訳講座 / 点訳講座 開催のお知らせ on one baseline are parallel notices, not one line printed
    twice (a venue under each event block, which goes with the article before it)."""
    from publisher.bulletin.drafts import Draft
    from publisher.bulletin.records import Box
    from publisher.bulletin.regroup import fold_repeated_titles

    def draft(title: str, box: Box) -> Draft:
        made = Draft(title, 4, True, blocks=[["p", "本文です。"]])
        made.boxes.append(box)
        return made

    left = draft("音訳講座開催のお知らせ(全14回)", Box(4, 60, 54, 290, 69))
    right = draft("点訳講座開催のお知らせ(全18回)", Box(4, 314, 54, 540, 69))
    assert [d.title for d in fold_repeated_titles([left, right])] == [left.title, right.title]
    below = draft("点訳講座開催のお知らせ(全18回)", Box(4, 60, 400, 290, 415))
    assert [d.title for d in fold_repeated_titles([left, below])] == [left.title]


def test_a_panel_counts_as_joined_when_most_lines_beside_its_strip_run_across_it():
    from publisher.bulletin.tsv import parse

    panes = [(0, 0, 1000, 2000), (1100, 0, 2400, 2000)]
    across = ((300, 700, "左の段"), (1300, 1700, "右の段"))
    apart = ((300, 700, "左の段"),)
    assert panels.joined(parse(_tsv(across, across, apart)), panes)
    assert not panels.joined(parse(_tsv(across, apart, apart, apart)), panes)  # a photo grid's junk
    assert not panels.joined(parse(_tsv(across)), panes)  # one line is no evidence
