"""Display lines the page reading gets wrong, read again on their own (publisher/bulletin/reread.py):
a heading in white on a dark band, with the paper and a picture beside the band."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from publisher.bulletin import ocr, reread
from publisher.bulletin.tsv import parse
from publisher.media.fonts import face_index, japanese_font

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
TITLE = "「地域密着型サービス」をご存知ですか"


def _page() -> Image.Image:
    """A grey page image (300 dpi): a dark band with the title in white, a light picture right
    of the band, and body lines in black below."""
    image = Image.new("L", (2400, 900), 250)
    draw = ImageDraw.Draw(image)
    path = japanese_font()
    font = ImageFont.truetype(str(path), 64, index=face_index(path))
    draw.rectangle((280, 300, 1720, 410), fill=110)
    draw.text((310, 315), TITLE, font=font, fill=252)
    draw.ellipse((1900, 280, 2150, 430), fill=235, outline=40, width=6)  # the picture beside the band
    small = ImageFont.truetype(str(path), 40, index=face_index(path))
    for row in range(6):
        draw.text(
            (220, 500 + row * 60),
            "地域密着型サービスは、住み慣れた地域で生活を続けるための支援です。",
            font=small,
            fill=20,
        )
    return image


def _tsv(lines: list[tuple[tuple[int, int, int, int], list[tuple[str, float]]]]) -> str:
    rows = [HEADER]
    for n, (box, words) in enumerate(lines, 1):
        x0, top, x1, bottom = box
        rows.append(f"4\t1\t1\t1\t{n}\t0\t{x0}\t{top}\t{x1 - x0}\t{bottom - top}\t-1\t\n")
        for k, (text, conf) in enumerate(words, 1):
            rows.append(f"5\t1\t1\t1\t{n}\t{k}\t{x0 + 60 * k}\t{top}\t60\t{bottom - top}\t{conf}\t{text}\n")
    return "".join(rows)


BODY = [
    ((220, 500 + r * 60, 2000, 544 + r * 60), [("地域密着型", 95.0), ("サービス", 93.0)]) for r in range(6)
]
JUNK_BAND = ((300, 312, 2174, 416), [("[BB域密着型の", 30.0), ("ニビをに邊知", 10.0), ("ですかPbh、=", 20.0)])


def test_light_type_on_a_band_is_cut_out_black_on_white_and_the_paper_beside_it_stays_white():
    origin, crop = reread._crop(_page(), JUNK_BAND[0])
    pixels = np.asarray(crop)
    band_right = 1720 - origin[0]
    assert set(np.unique(pixels)) <= {0, 255}
    assert (pixels[:, :band_right] == 0).mean() > 0.03  # the letters are black
    assert (pixels[:, band_right + 10 :] == 0).mean() < 0.05  # the paper and picture are not ink (were all)
    # Dark type on a light ground is cut out the same way round.
    _, body = reread._crop(_page(), BODY[0][0])
    assert 0.03 < (np.asarray(body) == 0).mean() < 0.5


def test_only_unsure_display_lines_are_read_again_and_kept_only_when_surer(tmp_path):
    asked = []

    def read(path: Path, psm: str) -> str:
        asked.append((path.name, psm))
        return _tsv([((10, 10, 1400, 96), [(TITLE, 91.0)])])

    readings = [(_tsv([JUNK_BAND, *BODY]), (0, 0))]
    out = reread.reread(_page(), readings, read, tmp_path / "page")
    # The band, as cut out and scaled down (104 pixels tall); the sure body lines are not read again.
    assert asked == [("page-line0-0.png", "7"), ("page-line0-1.png", "7")]
    texts = [row.split("\t")[-1].strip() for tsv, _ in out for row in tsv.splitlines()[1:]]
    assert TITLE in texts and "ニビをに邊知" not in texts
    assert texts.count("地域密着型") == 6
    # A new reading no surer than the old one is not taken.
    unsure = reread.reread(
        _page(), readings, lambda p, m: _tsv([((10, 10, 1400, 96), [("地或", 25.0)])]), tmp_path / "p"
    )
    assert unsure == readings


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is installed by make system-test")
def test_tesseract_reads_the_band_heading_cut_out(tmp_path):
    readings = [(_tsv([JUNK_BAND, *BODY]), (0, 0))]
    out = reread.reread(_page(), readings, lambda path, psm: ocr._tesseract(path, psm, 1), tmp_path / "page")
    new = "".join(row.split("\t")[-1].strip() for row in out[-1][0].splitlines()[1:] if row.startswith("5\t"))
    assert len(out) == 2 and "密着型サービス" in new and "存知ですか" in new


OUTLINED = "令和7年中の犯罪情勢"


def _outlined_page() -> Image.Image:
    """A heading in outlined type (袋文字: white letters ringed in a thick dark line) on light
    paper, and a line of plain body type below it."""
    image = Image.new("L", (2400, 600), 238)
    draw = ImageDraw.Draw(image)
    path = japanese_font()
    big = ImageFont.truetype(str(path), 96, index=face_index(path))
    draw.text((220, 100), OUTLINED, font=big, fill=252, stroke_width=9, stroke_fill=40)
    small = ImageFont.truetype(str(path), 40, index=face_index(path))
    draw.text((220, 400), "県内における刑法犯認知件数は減少しました。", font=small, fill=20)
    return image


def test_outlined_type_is_also_cut_out_with_its_letters_filled():
    origin, crops = reread._crops(_outlined_page(), (220, 90, 1300, 220))
    assert len(crops) == 2
    filled = np.asarray(crops[1]) == 0
    rings = np.asarray(crops[0]) == 0
    assert filled.mean() > 0.05 and (filled & rings).mean() < 0.5 * filled.mean()  # insides, not rings
    _, plain = reread._crops(_outlined_page(), (220, 395, 1100, 450))
    assert len(plain) == 1  # plain type has no insides to fill


def test_a_lines_letters_leave_out_ornaments_read_as_letters():
    """◆◆◆ either side of a heading read as メメメ/スススス: the new reading is judged against the
    letters of the heading alone."""
    junk = _tsv([((0, 0, 900, 90), [("メメメメメメ", 20.0), ("犯罪情勢", 40.0), ("スススススス", 20.0)])])
    assert reread._letters(parse(junk)[0].words) == len("犯罪情勢")


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is installed by make system-test")
def test_tesseract_reads_outlined_type_once_its_letters_are_filled(tmp_path):
    junk = ((220, 90, 1300, 220), [("人耳利娘", 20.0), ("スネスネ", 10.0), ("訳り琴", 20.0)])
    body = [((220, 400 + 50 * r, 1100, 444 + 50 * r), [("県内における刑法犯", 95.0)]) for r in range(3)]
    readings = [(_tsv([junk, *body]), (0, 0))]
    out = reread.reread(
        _outlined_page(), readings, lambda path, psm: ocr._tesseract(path, psm, 1), tmp_path / "page"
    )
    new = "".join(row.split("\t")[-1].strip() for row in out[-1][0].splitlines()[1:] if row.startswith("5\t"))
    assert len(out) == 2 and "令和7年中の犯罪情勢" in new  # read plain: 「や年中の犯罪情勢」


def test_a_reading_again_that_tesseract_fails_on_leaves_the_first_reading(tmp_path, monkeypatch, caplog):
    """Tesseract can crash on a line's crop (Floating point exception, seen on a flyer's filled
    sponsor line): the page is not lost, the line keeps its first reading."""

    def crash(path, psm, number):
        raise ocr.OcrFailed(f"{number}ページの文字認識に失敗しました: ")

    monkeypatch.setattr(ocr, "_tesseract", crash)
    readings = [(_tsv([JUNK_BAND, *BODY]), (0, 0))]
    with caplog.at_level("INFO", logger="publisher.bulletin"):
        out = reread.reread(_page(), readings, lambda path, psm: ocr._again(path, psm, 1), tmp_path / "page")
    assert out == readings
    assert "1ページ: 見出しなどの読み直しが一つできなかった" in caplog.text


def test_a_line_is_read_again_with_the_type_beside_it_that_the_page_reading_lost():
    """「全国農業新聞」を読みませんか: the page read only を読みませんか (its outlined first half,
    mid-grey rings, no word); the line is widened over the type beside it as far as a blank as
    wide as the line is tall, and not over another line's words."""
    grey = np.full((400, 2400), 250, np.uint8)
    for x in range(200, 900, 100):  # outlined letters: rings of mid-grey
        grey[110:190, x : x + 80] = 160
        grey[125:175, x + 15 : x + 65] = 250
    grey[110:190, 950:1500] = 30  # the letters the page read
    grey[110:190, 1800:2000] = 30  # another column's heading, beyond a wide blank
    line = (950, 110, 1500, 190)
    read = [_word("を読みませんか", line)]
    assert reread._widened(grey, line, read) == (200, 110, 1500, 190)
    # A word read on the band left of the line (another heading's) stops the widening there.
    assert reread._widened(grey, line, [*read, _word("見出し", (150, 110, 450, 190))])[0] >= 450


def _word(text: str, box: tuple[int, int, int, int]):
    x0, top, x1, bottom = box
    row = f"5\t1\t1\t1\t1\t1\t{x0}\t{top}\t{x1 - x0}\t{bottom - top}\t90\t{text}\n"
    line = f"4\t1\t1\t1\t1\t0\t{x0}\t{top}\t{x1 - x0}\t{bottom - top}\t-1\t\n"
    return parse(HEADER + line + row)[0].words[0]


def test_the_wider_reading_wins_when_nearly_as_sure_and_longer(tmp_path):
    """Read on its own the line keeps its 7 letters at 91; widened, 14 letters at 85: the line
    with the type beside it is taken."""
    grey = Image.new("L", (2400, 400), 250)
    draw = ImageDraw.Draw(grey)
    for x in range(200, 900, 100):
        draw.rectangle((x, 110, x + 80, 190), outline=120, width=10)
    draw.rectangle((950, 110, 1500, 190), fill=30)
    body = [((220, 250 + r * 40, 2000, 280 + r * 40), [("本文", 95.0)]) for r in range(3)]
    page = [(_tsv([((950, 110, 1500, 190), [("を読みませんか", 40.0)]), *body]), (0, 0))]

    def read(path: Path, psm: str) -> str:
        wide = Image.open(path).width > 700
        text, conf = ("「全国農業新聞」を読みませんか", 85.0) if wide else ("を読みませんか", 91.0)
        return _tsv([((10, 10, 700, 90), [(text, conf)])])

    out = reread.reread(grey, page, read, tmp_path / "page")
    texts = [row.split("\t")[-1].strip() for tsv, _ in out for row in tsv.splitlines()[1:]]
    assert "「全国農業新聞」を読みませんか" in texts and "を読みませんか" not in texts


def test_a_display_line_read_fairly_surely_has_its_letters_mended_in_place(tmp_path):
    """shakyo p1: 『認知症サポーター養成講座』 read at 84 % as 「三成講座」 within its page reading.
    Read again alone (scaled down: 160-pixel type is misread), its letters replace the page
    reading's, word by word; the words keep their boxes, so the line keeps its place and size,
    and the heading's mark before it (junk, unsure) keeps what it was."""
    line = (
        (220, 300, 1720, 410),
        [("「s", 0.0), ("認知症サポーター", 95.0), ("三成", 40.0), ("講座」", 90.0)],
    )
    readings = [(_tsv([line, *BODY]), (0, 0))]
    crops = []

    def read(path: Path, psm: str) -> str:
        crops.append(Image.open(path).size)
        # Read over the three sure words (page pixels 340-520 from the crop's origin), and the
        # mark as 田 to the left of them.
        return _tsv(
            [((0, 10, 900, 60), [("田", 80.0), ("認知症サポーター", 96.0), ("養成", 95.0), ("講座」", 96.0)])]
        )

    out = reread.reread(_page(), readings, read, tmp_path / "page")
    assert len(crops) == 2 and min(h for _, h in crops) < 80  # as cut out and scaled down
    assert len(out) == 1  # no line of its own
    rows = [row.split("\t") for row in out[0][0].splitlines()[1:]]
    heading = [r for r in rows if r[4] == "1" and r[0] == "5"]
    assert [r[11] for r in heading] == ["「s", "認知症サポーター", "養成", "講座」"]
    assert [r[6:10] for r in heading] == [
        r[6:10]
        for r in (x.split("\t") for x in readings[0][0].splitlines()[1:])
        if r[4] == "1" and r[0] == "5"
    ]
    assert [r[11] for r in rows if r[4] == "2" and r[0] == "5"] == [
        "地域密着型",
        "サービス",
    ]  # other lines stand


def test_a_scaled_reading_is_given_back_in_the_crops_pixels():
    tsv = _tsv([((10, 10, 400, 58), [("養成講座", 95.0)])])
    back = reread._unscaled(tsv, 0.5, (12, 100))
    words = parse(back)[0].words
    assert (words[0].left, words[0].right, words[0].top, words[0].bottom) == (140, 260, 12, 112)


def test_a_heading_set_a_little_larger_with_blank_above_is_read_again_too(tmp_path):
    """shakyo p1: ふれあいふくし総合相談のご案内, 14 pt over 12 pt body with blank above, read
    「ぶれあいふくぐし」 at 88 %. A line a little taller than the body with a heading's blank
    above it is read again to mend its letters; a body line as unsure is not."""
    heading = ((220, 700, 1400, 754), [("ぶれあいふくぐし", 85.0), ("総合相談のご案内", 88.0)])
    body = [
        ((220, 420 + r * 60, 2000, 464 + r * 60), [("地域密着型", 95.0), ("サービス", 93.0)])
        for r in range(4)
    ]
    unsure_body = ((220, 600, 2000, 644), [("地域密着型", 80.0), ("サービス", 85.0)])
    below = [((220, 770 + r * 60, 2000, 814 + r * 60), [("相談は無料です", 95.0)]) for r in range(3)]
    readings = [(_tsv([*body, unsure_body, heading, *below]), (0, 0))]
    asked = []

    def read(path: Path, psm: str) -> str:
        asked.append(path.name)
        return _tsv([((10, 10, 1200, 64), [("ふれあいふくし", 93.0), ("総合相談のご案内", 93.0)])])

    out = reread.reread(_page(), readings, read, tmp_path / "page")
    assert asked == ["page-line0-0.png"]  # the heading only
    texts = [row.split("\t")[11] for row in out[0][0].splitlines()[1:] if row.startswith("5\t")]
    assert "ふれあいふくし総合相談のご案内" in "".join(texts) and "ぶれあい" not in "".join(texts)
