"""Social cards drawn for real with the system's Japanese font: size, cache, line breaking, contrast."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageFont

from publisher.media import cards, fonts
from publisher.media.cards import (
    INK,
    MARGIN,
    NO_END,
    NO_START,
    TITLE_SIZES,
    WHITE,
    WIDTH,
    CardSpec,
    contrast,
    darken_for_text,
    fit_title,
    on,
    render_card,
    wrap,
    write_cards,
    write_cards_report,
)
from publisher.media.fonts import FontMissing, covers, face_index, japanese_font, load_font

ALERT_RED = "#b71c1c"
LONG = (
    "甘楽町では、令和8年度の「ふるさと祭り」を12月5日（土）に開催します。当日は交通規制があります。"
    "臨時駐車場（旧福島小学校）とシャトルバスをご利用ください。雨天の場合は翌日に延期します。"
)


def bright_photo(path: Path, colour=(250, 250, 240)) -> Path:
    image = Image.new("RGB", (1600, 900), colour)
    image.paste((120, 180, 60), (0, 600, 1600, 900))
    image.save(path, "JPEG", quality=90)
    return path


@pytest.fixture
def spec() -> CardSpec:
    return CardSpec("甘楽町ふるさと祭りを開催します", "イベント", "2026年12月5日（土）", "甘楽町")


def test_card_is_1200_by_630_with_and_without_photo(spec, tmp_path):
    plain = render_card(spec)
    photo = render_card(replace(spec, photo=bright_photo(tmp_path / "p.jpg")))
    assert plain.size == photo.size == (1200, 630)
    assert plain.mode == photo.mode == "RGB"
    assert plain.getpixel((10, 625)) == (0x1B, 0x5E, 0x20)  # the town's band in the accent colour
    alert = render_card(replace(spec, label="緊急・安全情報", accent=ALERT_RED))
    assert alert.getpixel((10, 625)) == (0xB7, 0x1C, 0x1C)


def test_write_cards_caches_and_names_by_content(spec, tmp_path):
    photo = bright_photo(tmp_path / "p.jpg")
    specs = {"news/2026/matsuri": spec, "events/2026/matsuri": replace(spec, photo=photo)}
    first = write_cards_report(specs, tmp_path / "site", tmp_path / "cache")
    assert (first.rendered, first.cached) == (2, 0)
    news, event = first.paths["news/2026/matsuri"], first.paths["events/2026/matsuri"]
    assert news.startswith("assets/cards/news-2026-matsuri-") and news.endswith(".png")
    assert event.startswith("assets/cards/events-2026-matsuri-") and event.endswith(".jpg")
    for path, fmt in ((news, "PNG"), (event, "JPEG")):
        with Image.open(tmp_path / "site" / path) as card:
            assert (card.size, card.format) == ((1200, 630), fmt)
            assert not card.getexif()
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}

    again = write_cards_report(specs, tmp_path / "site2", tmp_path / "cache")
    assert (again.rendered, again.cached) == (0, 2)
    assert again.paths == first.paths
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == stamps
    assert (tmp_path / "site2" / news).read_bytes() == (tmp_path / "site" / news).read_bytes()


def test_what_changes_the_file_name(spec, tmp_path):
    photo = bright_photo(tmp_path / "p.jpg")

    def name(s: CardSpec) -> str:
        return write_cards({"news/2026/a": s}, tmp_path / "site", tmp_path / "cache", workers=1)[
            "news/2026/a"
        ]

    base = name(replace(spec, photo=photo))
    assert name(replace(spec, title="甘楽町ふるさと祭りを延期します", photo=photo)) != base
    assert name(replace(spec, accent=ALERT_RED, photo=photo)) != base
    moved = tmp_path / "elsewhere.jpg"
    moved.write_bytes(photo.read_bytes())
    assert name(replace(spec, photo=moved)) == base  # the photo's bytes count, not its path
    bright_photo(moved, colour=(200, 230, 255))
    assert name(replace(spec, photo=moved)) != base


def test_cards_in_parallel_match_serial(spec, tmp_path):
    specs = {f"news/2026/n{n}": replace(spec, title=f"お知らせ {n}：{LONG[: 10 + n * 15]}") for n in range(3)}
    serial = write_cards(specs, tmp_path / "a", tmp_path / "cache-a", workers=1)
    parallel = write_cards(specs, tmp_path / "b", tmp_path / "cache-b", workers=2)
    assert serial == parallel
    assert all(
        (tmp_path / "a" / p).read_bytes() == (tmp_path / "b" / p).read_bytes() for p in serial.values()
    )


TRICKY = [
    "あいうえおかきくけこさしすせそ。たちつてと、なにぬねの「はひふへほ」まみむめも（やゆよ）らりるれろ・わをん",
    "避難所を開設しました。」「高齢者等避難」を発令。ーー長音ーーと…三点リーダ…の扱い、キャッシュやチェックの小書き。",
    "Kanra Town 2026 — お知らせ：10:00〜12:00、「甘楽町役場」（本庁舎）で受付。",
    LONG,
]


@pytest.mark.parametrize("title", TRICKY)
def test_lines_never_start_or_end_with_forbidden_characters(title):
    font = load_font(TITLE_SIZES[0])
    for width in [*range(400, 1100, 23), 150]:  # 150: two characters, too narrow to push out
        lines, rest = wrap(title, font, width, max_lines=80)
        assert not rest
        assert "".join(lines).replace(" ", "") == title.replace(" ", "")  # nothing lost or repeated
        for line in lines:
            assert line[0] not in NO_START, (width, lines)
            assert line[-1] not in NO_END, (width, lines)
            assert font.getlength(line) <= width or width == 150, (width, line)
        assert all(not line.startswith(("。", "、", "」")) for line in lines)


def test_long_title_is_cut_with_an_ellipsis():
    title = (LONG * 2)[:100]
    size, lines = fit_title(title, WIDTH - 2 * MARGIN)
    assert size == TITLE_SIZES[-1] and len(lines) == 3
    assert lines[-1].endswith("…") and lines[-1][-2] not in "、。「（"
    font = load_font(size)
    assert all(font.getlength(line) <= WIDTH - 2 * MARGIN for line in lines)
    assert "".join(lines)[:-1] == title[: len("".join(lines)) - 1]


def test_short_titles_are_large_and_evenly_broken():
    assert fit_title("秋の楽山園 夜間公開", WIDTH - 2 * MARGIN) == (TITLE_SIZES[0], ["秋の楽山園 夜間公開"])
    size, lines = fit_title("甘楽町ふるさと祭りを開催しました", WIDTH - 2 * MARGIN)
    assert size == TITLE_SIZES[0] and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 3  # not 15 characters and a lone 「た」
    size, lines = fit_title(LONG[:60], WIDTH - 2 * MARGIN)
    assert len(lines) == 3 and not lines[-1].endswith("…") and size < TITLE_SIZES[0]


def test_text_has_aa_contrast():
    assert contrast(WHITE, "#000000") == pytest.approx(21)
    for accent in ("#1b5e20", ALERT_RED, "#ffeb3b", "#0d47a1"):
        assert contrast(on(accent), accent) >= 4.5
        assert contrast(INK, cards._tint(accent, 0.06)) >= 4.5
    for colour in ((255, 255, 255), (255, 240, 0), (30, 30, 30)):
        darkened = darken_for_text(Image.new("RGB", (1200, 630), colour))
        assert contrast(WHITE, darkened.getpixel((600, 300))) >= 4.5


def test_photo_card_keeps_white_text_readable(spec, tmp_path):
    card = render_card(replace(spec, photo=bright_photo(tmp_path / "white.jpg", colour=(255, 255, 255))))
    background = card.getpixel((1190, 20))  # top right: no text there
    assert contrast(WHITE, background) >= 4.5


def test_font_finder_returns_a_japanese_face():
    path = japanese_font()
    assert path.is_file()
    font = ImageFont.truetype(str(path), 48, index=face_index(path))
    if path.suffix == ".ttc":
        assert "JP" in font.getname()[0]
    assert covers(font, "甘楽町")
    box = font.getmask("甘").getbbox()
    assert box and box[2] - box[0] > 30  # a real ideograph, nearly the full em wide
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if dejavu.is_file():
        assert not covers(ImageFont.truetype(str(dejavu), 48), "甘楽町")  # the check can fail
    if path.name.startswith("NotoSansCJK"):
        assert (load_font(30).getname()[1], load_font(30, bold=False).getname()[1]) == ("Bold", "Regular")


@pytest.fixture
def fresh_font_lookup():
    fonts.japanese_font.cache_clear()
    fonts.load_font.cache_clear()
    yield
    fonts.japanese_font.cache_clear()
    fonts.load_font.cache_clear()


def test_font_finder_order_and_install_hint(tmp_path, monkeypatch, fresh_font_lookup):
    ipa = tmp_path / "ipaexg.ttf"
    monkeypatch.setattr(
        fonts,
        "CANDIDATES",
        (
            ("fonts-noto-cjk", tmp_path / "missing-bold.ttc", tmp_path / "missing.ttc"),
            ("fonts-ipaexfont-gothic", ipa, ipa),
        ),
    )
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    with pytest.raises(FontMissing) as missing:
        japanese_font()
    assert (
        str(missing.value)
        == "日本語フォントが見つかりません。`apt-get install fonts-noto-cjk` を実行してください"
    )
    ipa.write_bytes(b"")
    fonts.japanese_font.cache_clear()
    assert japanese_font(bold=False) == ipa


def test_cards_carry_no_metadata_from_the_photo(spec, tmp_path):
    photo = tmp_path / "gps.jpg"
    exif = Image.Exif()
    exif[0x010F] = "PrivateCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (36.0, 13.0, 30.0)})
    Image.new("RGB", (800, 600), (90, 120, 160)).save(photo, exif=exif)
    path = write_cards({"a": replace(spec, photo=photo)}, tmp_path / "site", tmp_path / "cache")["a"]
    data = (tmp_path / "site" / path).read_bytes()
    assert b"Exif" not in data and b"PrivateCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
