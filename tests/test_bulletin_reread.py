"""Display lines the page reading gets wrong, read again on their own (publisher/bulletin/reread.py):
a heading in white on a dark band, with the paper and a picture beside the band."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from publisher.bulletin import ocr, reread
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
        asked.append(psm)
        return _tsv([((10, 10, 1400, 96), [(TITLE, 91.0)])])

    readings = [(_tsv([JUNK_BAND, *BODY]), (0, 0))]
    out = reread.reread(_page(), readings, read, tmp_path / "page")
    assert asked == ["7"]  # the sure body lines are not read again
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
