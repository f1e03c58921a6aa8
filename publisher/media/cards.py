"""Social cards (OGP images, 1200×630): title, label, date and town name over the lead photo.

SNS previews show a page's og:image far larger than its title text, so every item gets a card
that is readable at a glance: Japanese line breaking (kinsoku), WCAG AA contrast on any photo.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont, ImageOps

from ..content.digests import DigestStore
from ..content.files import link_or_copy
from .fonts import japanese_font, load_font
from .images import ImageError
from .pool import run_parallel

CARD_VERSION = "3"  # bump when the drawing changes: every card is drawn again and gets a new URL
SMALL_WIDTH = 1024
CARD_DIR = "assets/cards"
WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FOOTER = 96
TITLE_SIZES = (72, 64, 58, 52)  # largest that fits in MAX_LINES wins; the smallest is cut with 「…」
MAX_LINES = 3
PHRASE_LOOKBACK = 4  # characters a break may move back to land between phrases
INK, WHITE = "#1a1a1a", "#ffffff"
AA = 4.5  # WCAG 2.0 AA for normal text; all card text is large, which would need only 3
JPEG_OPTIONS = {"quality": 88, "optimize": True, "progressive": True}
CARD_WORK = "SNS 用の画像を作成しています"

# 行頭禁則 (never first on a line) and 行末禁則 (never last): JIS X 4051, the usual strict set.
NO_START = set(
    "、。，．,.・：；:;！？!?‼⁇⁈⁉）)］]｝}〕〉》」』】〙〗〟’”ヽヾゝゞ々〻ーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ…‥〜～゠–"
)
NO_END = set("（(［[｛{〔〈《「『【〘〖〝‘“")
OPENING_HALF_EMPTY = set("「『（［｛〔〈《【〘〖")
_UNIT = re.compile(
    r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９.,:/%&'’+\-]*|\s+|.", re.DOTALL
)  # words and numbers stay whole


@dataclass(frozen=True)
class CardSpec:
    title: str
    label: str  # category or kind: 観光・文化, イベント, 緊急・安全情報
    date_text: str  # 2026年12月5日（土）
    town_name: str
    photo: Path | None = None
    accent: str = "#1b5e20"  # alerts pass a red
    photo_src: str = ""  # the photo as content/ names it, for messages (its file name when empty)


@dataclass(frozen=True)
class CardReport:
    paths: dict[str, str]  # key → site-relative path of its card
    rendered: int
    cached: int


# Drawing.


def render_card(spec: CardSpec) -> Image.Image:
    """Label and date at the top, the title in the middle, the town's name on an accent band."""
    card = _backdrop(spec)
    draw = ImageDraw.Draw(card)
    on_photo = spec.photo is not None
    text = WHITE if on_photo else INK
    right = _pill(draw, spec.label, spec.accent) if spec.label else MARGIN
    if spec.date_text:
        x = right + (28 if spec.label else 0)
        draw.text((x, 82), spec.date_text, font=load_font(30, bold=False), fill=text, anchor="lm")
    _title(draw, spec.title, text, top=140, bottom=HEIGHT - FOOTER - 36)
    draw.rectangle((0, HEIGHT - FOOTER, WIDTH, HEIGHT), fill=spec.accent)
    draw.text(
        (MARGIN, HEIGHT - FOOTER / 2), spec.town_name, font=load_font(36), fill=on(spec.accent), anchor="lm"
    )
    return card


def _backdrop(spec: CardSpec) -> Image.Image:
    if spec.photo is None:
        return Image.new("RGB", (WIDTH, HEIGHT), _tint(spec.accent, 0.06))
    return darken_for_text(_cover(spec.photo, spec.photo_src or spec.photo.name))


def _cover(photo: Path, src: str) -> Image.Image:
    try:
        with Image.open(photo) as image:
            image.draft("RGB", (WIDTH, WIDTH))  # JPEG: decode at a fraction of a camera's size
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageError(src, f"画像「{src}」を読み込めません（壊れているか、画像ではありません）") from None
    return ImageOps.fit(upright, (WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def darken_for_text(photo: Image.Image) -> Image.Image:
    """Darken the photo until white text passes AA on all of it but the brightest 0.5% (highlights)."""
    r, g, b = photo.split()
    brightest = ImageChops.lighter(ImageChops.lighter(r, g), b)  # luminance never exceeds max(R,G,B)
    factor = min(0.62, _max_channel_for(WHITE) / max(1, _percentile(brightest, 0.995)))  # busy photos
    return Image.eval(photo, lambda v: int(v * factor))


def _percentile(channel: Image.Image, share: float) -> int:
    """The level that `share` of the pixels do not exceed."""
    seen, limit = 0, share * channel.width * channel.height
    for level, count in enumerate(channel.histogram()):
        seen += count
        if seen >= limit:
            return level
    return 255


def _max_channel_for(text: str) -> int:
    """The brightest grey behind `text` that still gives AA contrast (119 for white)."""
    return max(v for v in range(256) if contrast(text, (v, v, v)) >= AA)


def _pill(draw: ImageDraw.ImageDraw, label: str, accent: str) -> int:
    """The label in a rounded box at the top left; returns the box's right edge."""
    font = load_font(28)
    width = round(font.getlength(label))
    box = (MARGIN, 56, MARGIN + width + 44, 108)
    draw.rounded_rectangle(box, radius=26, fill=accent)
    _centred(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), label, font, on(accent))
    return box[2]


def _centred(draw: ImageDraw.ImageDraw, centre: tuple[float, float], text: str, font, fill) -> None:
    """Centre by the ink, not the font's ascent: CJK glyphs sit high in Noto's em box."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text((centre[0] - (left + right) / 2, centre[1] - (top + bottom) / 2), text, font=font, fill=fill)


def _title(draw: ImageDraw.ImageDraw, title: str, fill: str, top: int, bottom: int) -> None:
    """The title, wrapped and sized to fit, centred vertically between top and bottom."""
    size, lines = fit_title(title, WIDTH - 2 * MARGIN)
    font = load_font(size)
    leading = round(size * 1.38)
    ascent = round(size * 0.88)  # CJK ideographs fill 0.88 em above the baseline
    block = leading * (len(lines) - 1) + size
    y = top + max(0, (bottom - top - block) // 2) + ascent
    for line in lines:
        hang = size // 2 if line[0] in OPENING_HALF_EMPTY else 0  # 「 has its ink in its right half
        draw.text((MARGIN - hang, y), line, font=font, fill=fill, anchor="ls")
        y += leading


# Japanese line breaking.


def fit_title(title: str, width: int) -> tuple[int, list[str]]:
    """The largest TITLE_SIZES size at which the title fits MAX_LINES lines, else the smallest, cut.

    A title that fits is then set as evenly as the same number of lines allows (no lone
    「した」 on a last line), with breaks between phrases where that costs no extra line.
    """
    text = " ".join(title.split())
    for size in TITLE_SIZES:
        font = load_font(size)
        lines, rest = wrap(text, font, width, MAX_LINES)
        if not rest:
            return size, _evened(text, font, width, len(lines))
    return size, _with_ellipsis(lines, font, width)


def _evened(text: str, font: ImageFont.FreeTypeFont, width: int, count: int) -> list[str]:
    for phrases in (True, False):
        if count == 1 or wrap(text, font, width, count, phrases)[1]:
            continue
        low, high = width // 2, width  # the narrowest measure that keeps `count` lines
        while high - low > 4:
            middle = (low + high) // 2
            low, high = (middle, high) if wrap(text, font, middle, count, phrases)[1] else (low, middle)
        return wrap(text, font, high, count, phrases)[0]
    return wrap(text, font, width, count)[0]


def wrap(
    text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int, phrases: bool = False
) -> tuple[list[str], str]:
    """Greedy lines with kinsoku; returns the lines and the text left over.

    A break moves back when a line would start or end with a forbidden character (追い出し);
    with `phrases`, it also moves back a few characters to a boundary between phrases.
    """
    units = _UNIT.findall(text)
    lines: list[str] = []
    start = 0
    while len(lines) < max_lines:
        while start < len(units) and units[start].isspace():
            start += 1
        if start == len(units):
            return lines, ""
        end = start
        while end < len(units) and font.getlength("".join(units[start : end + 1]).rstrip()) <= width:
            end += 1
        if end == start:  # one word wider than the line: break it anywhere
            units[start : start + 1] = list(units[start])
            continue
        if end < len(units):
            end = _break_at(units, start, end, phrases)
        lines.append("".join(units[start:end]).rstrip())
        start = end
    return lines, "".join(units[start:]).strip()


def _break_at(units: list[str], start: int, end: int, phrases: bool) -> int:
    """Where to break before `end`: a nearby phrase boundary, else the first place kinsoku allows."""
    allowed = [at for at in range(end, start, -1) if _allowed(units, at)]
    if not allowed:  # too narrow to push out: push in, the line runs a little long (ぶら下げ)
        return next((at for at in range(end + 1, len(units)) if _allowed(units, at)), len(units))
    near = [at for at in allowed if end - at <= PHRASE_LOOKBACK and _phrase_boundary(units, at)]
    return near[0] if phrases and near else allowed[0]


def _allowed(units: list[str], at: int) -> bool:
    return units[at][0] not in NO_START and units[at - 1][-1] not in NO_END


def _phrase_boundary(units: list[str], at: int) -> bool:
    """Roughly between 文節: after punctuation or a space, or where hiragana meets kanji/katakana."""
    before, after = units[at - 1][-1], units[at][0]
    if before.isspace() or after.isspace() or before in "、。・：」』）】" or after in NO_END:
        return True
    return _is_hiragana(before) and before not in "おご" and not _is_hiragana(after)  # お知らせ stays whole


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def _with_ellipsis(lines: list[str], font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    last = lines[-1]
    while last and (font.getlength(last + "…") > width or last[-1] in NO_END or last[-1] in "、。・ 　"):
        last = last[:-1]
    return [*lines[:-1], last + "…"]


# Colour.


def contrast(a, b) -> float:
    """WCAG 2.0 contrast ratio of two colours ("#rrggbb" or RGB tuples)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def on(background: str) -> str:
    """White or ink, whichever reads better on `background`."""
    return WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK


def _rgb(colour) -> tuple[int, int, int]:
    return tuple(colour[:3]) if isinstance(colour, tuple) else ImageColor.getrgb(colour)[:3]


def _luminance(colour) -> float:
    def linear(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(colour)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def _tint(accent: str, amount: float) -> tuple[int, int, int]:
    """A pale wash of the accent for text-only cards."""
    return tuple(round(255 + (c - 255) * amount) for c in _rgb(accent))


# Files and cache.


def write_cards(
    specs: dict[str, CardSpec],
    out_dir: Path,
    cache_dir: Path,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    files: DigestStore | None = None,
) -> dict[str, str]:
    """Write a card per key (an item id such as "news/2026/foo"); return key → site-relative path."""
    return write_cards_report(
        specs, out_dir, cache_dir, workers=workers, progress=progress, files=files
    ).paths


def write_cards_report(
    specs: dict[str, CardSpec],
    out_dir: Path,
    cache_dir: Path,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    files: DigestStore | None = None,
) -> CardReport:
    batch = plan_cards(specs, cache_dir, files or DigestStore())
    run_parallel(render_to, batch.jobs, workers=workers, progress=progress, description=CARD_WORK)
    batch.link(out_dir)
    return CardReport(batch.paths, rendered=len(batch.jobs), cached=batch.cached)


@dataclass(frozen=True)
class CardBatch:
    """Cards whose names are known (they hash what the picture depends on) before `jobs` draw them."""

    paths: dict[str, str]  # key → site-relative path of its card
    jobs: list[tuple]  # arguments of render_to, one per card not yet in the cache
    stored: dict[str, Path]  # key → the card in the cache
    cached: int

    def link(self, out_dir: Path) -> None:
        """Put every card and its small copy into the site (once the jobs are done)."""
        for key, path in self.paths.items():
            link_or_copy(self.stored[key], out_dir / path)
            link_or_copy(Path(small_card_path(str(self.stored[key]))), out_dir / small_card_path(path))


def plan_cards(specs: dict[str, CardSpec], cache_dir: Path, files: DigestStore) -> CardBatch:
    digests = {key: card_digest(spec, files) for key, spec in specs.items()}
    stored = {key: cache_dir / f"{digest}.{_ext(specs[key])}" for key, digest in digests.items()}
    todo = {str(path): specs[key] for key, path in stored.items() if not path.exists()}
    paths = {
        key: f"{CARD_DIR}/{_slug(key)}-{digest[:10]}.{_ext(specs[key])}" for key, digest in digests.items()
    }
    return CardBatch(
        paths, [(spec, path) for path, spec in todo.items()], stored, len(set(stored.values())) - len(todo)
    )


def card_digest(spec: CardSpec, files: DigestStore) -> str:
    """Everything the picture depends on: the photo's bytes (not its path), the fonts, CARD_VERSION."""
    fields = {
        "version": CARD_VERSION,
        "title": spec.title,
        "label": spec.label,
        "date": spec.date_text,
        "town": spec.town_name,
        "accent": spec.accent.lower(),
        "photo": _file_digest(spec.photo, spec.photo_src, files) if spec.photo else None,
        "fonts": [_file_digest(japanese_font(bold), "", files) for bold in (True, False)],
    }
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _file_digest(path: Path, src: str, files: DigestStore) -> str:
    try:
        return files.sha256(path)
    except OSError:
        src = src or path.name
        raise ImageError(src, f"画像「{src}」が見つかりません") from None


def _ext(spec: CardSpec) -> str:
    return "jpg" if spec.photo else "png"  # flat colour and text: a 64-colour PNG


def small_card_path(path: str) -> str:
    """The same card 1024 px wide (JPEG): LINE's Flex images may be at most 1024 × 1024."""
    return str(Path(path).with_suffix("")) + f"-{SMALL_WIDTH}.jpg"


def render_to(spec: CardSpec, path: str) -> None:
    card = render_card(spec)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The small copy is written first: the card's presence in the cache marks the pair complete.
    small = card.resize((SMALL_WIDTH, round(card.height * SMALL_WIDTH / card.width)), Image.LANCZOS)
    small.convert("RGB").save(small_card_path(path), "JPEG", **JPEG_OPTIONS)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    if spec.photo:
        card.save(partial, "JPEG", **JPEG_OPTIONS)
    else:  # measured: a third the size of JPEG q88 (11–27 KB), with crisp letters; fast octree
        # and zlib level 6 take 12 ms where median cut and `optimize` took 90, for the same size
        card.quantize(64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
            partial, "PNG", compress_level=6
        )
    partial.replace(target)


def _slug(key: str) -> str:
    return re.sub(r"[^\w-]+", "-", key).strip("-") or "card"
