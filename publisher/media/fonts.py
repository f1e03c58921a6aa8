"""A Japanese font from the system's Debian packages, for text drawn into images (social cards).

Pillow's default font has no kana or kanji: without one of these every character is a box.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..content.errors import FieldError

_NOTO = Path("/usr/share/fonts/opentype/noto")
# (Debian package, bold file, regular file), best first; the IPA and Takao fonts have one weight.
CANDIDATES: tuple[tuple[str, Path, Path], ...] = (
    ("fonts-noto-cjk", _NOTO / "NotoSansCJK-Bold.ttc", _NOTO / "NotoSansCJK-Regular.ttc"),
    ("fonts-ipaexfont-gothic", *[Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")] * 2),
    ("fonts-ipafont-gothic", *[Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")] * 2),
    ("fonts-takao-gothic", *[Path("/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf")] * 2),
)
PROBE = "甘楽町のお知らせ"  # kanji and kana a town's cards always need


class FontMissing(FieldError):
    """No Japanese font: the message says which Debian package to install (a FieldError, so the
    build and the command line report it as a message, not a traceback)."""

    def __init__(self):
        super().__init__(
            "日本語フォントが見つかりません。`apt-get install fonts-noto-cjk` を実行してください"
        )


@lru_cache(maxsize=2)
def japanese_font(bold: bool = True) -> Path:
    """The first installed Japanese font of CANDIDATES, else what fontconfig offers for Japanese."""
    for _package, bold_file, regular_file in CANDIDATES:
        path = bold_file if bold else regular_file
        if path.is_file():
            return path
    found = _fc_match(bold)
    if found is None:
        raise FontMissing()
    return found


@lru_cache(maxsize=8)
def face_index(path: Path) -> int:
    """The Japanese face of a collection (.ttc holds JP, KR, SC, TC… faces); 0 for a single font."""
    names = []
    for index in range(64):
        try:
            names.append(ImageFont.truetype(str(path), 16, index=index).getname()[0] or "")
        except OSError:
            break
    for wanted in (lambda n: "JP" in n and "Mono" not in n, lambda n: "JP" in n):
        for index, name in enumerate(names):
            if wanted(name):
                return index
    return 0


@lru_cache(maxsize=32)
def load_font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    path = japanese_font(bold)
    return ImageFont.truetype(str(path), size, index=face_index(path), layout_engine=ImageFont.Layout.BASIC)


def covers(font: ImageFont.FreeTypeFont, text: str) -> bool:
    """Whether every character of `text` has a real glyph, not the .notdef box ("tofu")."""
    tofu = _mask_of(font, "\U0010fffd")  # a private-use code point no font maps
    return all(_mask_of(font, ch) != tofu for ch in text if not ch.isspace())


def _mask_of(font: ImageFont.FreeTypeFont, ch: str) -> tuple[tuple[int, int], bytes]:
    left, top, right, bottom = font.getbbox(ch)
    image = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(image).text((-left, -top), ch, font=font, fill=255)
    return image.size, image.tobytes()


def _fc_match(bold: bool) -> Path | None:
    """fontconfig's choice for Japanese, only when it really has kana and kanji (it always answers)."""
    if shutil.which("fc-match") is None:
        return None
    pattern = ":lang=ja:style=Bold" if bold else ":lang=ja"
    try:
        done = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(done.stdout.strip())
    if done.returncode != 0 or not path.is_file():
        return None
    try:
        font = ImageFont.truetype(str(path), 32, index=face_index(path))
    except OSError:
        return None
    return path if covers(font, PROBE) else None
