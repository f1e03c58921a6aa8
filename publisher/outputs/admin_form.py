"""The forms of the editor at /admin/: Decap CMS collections and fields from the checker's schema.

Every field rule comes from publisher/content/schema.py, so the form offers exactly what
`publisher check` accepts; tests/test_admin_config.py holds the two together.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..content.config import SiteConfig
from ..content.schema import (
    ALERT,
    ALERT_LEVELS,
    BULLETIN,
    EVENT,
    FIELDS_BY_NAME,
    NEWS,
    PAGE,
    FieldSpec,
    fields_for,
)
from ..content.sns_settings import CHANNEL_LABELS, IMAGE_CHOICES
from .admin_rules import FILE_NAME, FILE_NAME_MESSAGE, FILE_NAME_PATTERN, rules_for
from .admin_rules import label as field_label

# dayjs format of every date field: `2026-12-05 10:00`, no offset, so publisher.dates reads it as Japan time.
DATE_FORMAT = "YYYY-MM-DD HH:mm"
MEDIA_FOLDER = "images"  # under content/
# File names: the word-based name the form asks for, then -1, -2 … when taken (Decap adds the
# number). Left empty, admin.js puts in the item's date (a page's: today), as `publisher new` does.
SLUG_TEMPLATE = "{{fields." + FILE_NAME + "}}"
# news/YYYY/: Decap's `path` takes no field filters, and its {{year}} is the date's year in UTC, so
# an item dated 1 January before 9:00 goes into the previous year's folder (the checker accepts any year).
YEAR_FOLDER = "{{year}}/{{slug}}"

# Schema fields the form does not offer, and why (tests/test_admin_config.py holds the form to this list).
OMITTED = {
    "hide": "Material の部品（目次・メニュー）を隠す保守担当者向けの設定で、ファイルに直接書くもの",
}
# Kinds without a collection, and why.
OMITTED_KINDS = {
    BULLETIN: "広報紙の号は publisher bulletin import が作り、職員は GitHub の変更の提案で確かめるもの",
}
HINTS = {
    "date": "一覧や SNS に表示される掲載日です。未来の日時にすると、その日時まで公開されません（イベントの開催日は「開始日時」に）。",
    "summary": "一、二文で書きます。省略すると本文の最初の段落が使われます。",
    "categories": "一つ以上選びます。",
    "department": "ページの最後の「このページに関するお問い合わせ」に出る担当課です。選ばないと役場の代表になります。",
    "image": (
        "記事の先頭に表示される写真です。「画像を選択」で一覧を開き、写真を一度押して青い枠を付けてから「選択する」を押します。"
        "アップロードした写真には初めから青い枠が付いています（もう一度押すと枠が外れて「選択する」が押せなくなります。そのときは写真をもう一度押します）。"
    ),
    "image_alt": "画像が見えない方に読み上げられる説明です（例: 祭りの山車と見物の人々）。",
    "draft": "オンにすると、サイトにも SNS にも出ません。",
    "publish_at": "この日時になるまで公開されません（公開予約）。",
    "expire_at": "この日時を過ぎると掲載を終わります。",
    "order": "メニューでの並び順（小さい数ほど上）。",
    "start": "一回だけ開くイベント（何日か続けて開くものも）の始まりです。別々の日に何回か開くときは空にして「開催日の一覧」を使います。",
    "end": "同じ日に終わるときも日付と時刻を入力します。",
    "dates": "同じイベントを別々の日に何回か開くときだけ使います（開始日時・終了日時は空にします）。",
    "level": "緊急は避難など命に関わる情報、注意は生活への影響、お知らせはそれ以外です。",
    "sns": "空のままで構いません。投稿の文面を変える、投稿しないチャンネルを選ぶときに使います。",
}
SNS_IMAGE_LABELS = {"card": "SNS 用の画像（自動で作成）", "photo": "記事の写真", "none": "画像なし"}


@dataclass(frozen=True)
class Section:
    """A folder of guide pages under content/ ("" is content/ itself, with the home page)."""

    folder: str
    title: str


def collections(config: SiteConfig, content: str, sections: tuple[Section, ...]) -> list[dict]:
    posts = [
        _collection(config, NEWS, "news", "お知らせ", content, "news", path=YEAR_FOLDER),
        _collection(config, EVENT, "events", "イベント", content, "events", path=YEAR_FOLDER),
        _collection(config, ALERT, "alerts", "緊急・安全情報", content, "alerts"),
    ]
    pages = [
        _collection(
            config,
            PAGE,
            "page-" + (s.folder.replace("/", "-") or "top"),
            f"ページ: {s.title}",
            content,
            s.folder,
        )
        for s in sections
    ]
    return posts + pages


def _collection(
    config: SiteConfig, kind: str, name: str, label: str, content: str, sub: str, path: str | None = None
) -> dict:
    dated = kind != PAGE
    folder = posixpath.join(content, sub).rstrip("/")
    collection = {
        "name": name,
        "label": label,
        "label_singular": label.removeprefix("ページ: ") if dated else "ページ",
        "description": f"{folder}/ のファイル",
        "folder": folder,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "slug": SLUG_TEMPLATE,
    }
    if path:
        collection["path"] = path
    # Every image goes to content/images/ and is written relative to the file, as in the sample
    # content (../../images/matsuri.jpg).
    entry_folder = posixpath.join(folder, "YYYY") if path else folder
    collection["media_folder"] = f"/{content}/{MEDIA_FOLDER}"
    collection["public_folder"] = posixpath.relpath(f"{content}/{MEDIA_FOLDER}", entry_folder)
    collection["summary"] = "{{title}}"
    title = {"field": "title", "label": FIELDS_BY_NAME["title"].label}
    collection["sortable_fields"] = (
        [{"field": "date", "label": FIELDS_BY_NAME["date"].label, "default_sort": "desc"}, title]
        if dated
        else [title]
    )
    collection["view_filters"] = [{"label": "下書き", "field": "draft", "pattern": True}]
    # Decap's preview shows raw values (kanko, 2026-12-20 10:00); the real preview is the pull request's build.
    collection["editor"] = {"preview": False}
    collection["fields"] = form_fields(kind, config)
    return collection


def form_fields(kind: str, config: SiteConfig) -> list[dict]:
    """The form of one kind: the title, the file name, every other schema field it takes (but
    OMITTED), then the body."""
    specs = [
        spec
        for spec in fields_for(kind)
        if spec.name not in OMITTED and (spec.type != "department" or config.departments)
    ]  # no department list declared: nothing to choose
    names = {spec.name for spec in specs}
    fields = [_field(spec, kind, config, names) for spec in specs]
    body = {"name": "body", "label": "本文", "widget": "markdown", "required": False}
    return fields[:1] + [_file_name(kind)] + fields[1:] + [body]


def _field(spec: FieldSpec, kind: str, config: SiteConfig, names: set[str]) -> dict:
    field = {"name": spec.name, "label": field_label(spec.name), "required": kind in spec.required_for}
    field.update(_widget(spec, kind, config))
    if spec.name in HINTS:
        field["hint"] = HINTS[spec.name]
    rules = rules_for(spec.name, names)
    if rules:  # checked by admin.js's widget of the same kind (string-with-rules …)
        field["widget"] += "-with-rules"
        field["rules"] = rules
    return field


def _file_name(kind: str) -> dict:
    """The name of the new file, which becomes its address; asked once, when the item is created."""
    fallback = (
        "掲載日（例: 2026-12-07）" if kind != PAGE else "掲載日（掲載日も空なら今日の日付。例: 2026-12-07）"
    )
    return {
        "name": FILE_NAME,
        "label": "ファイル名（ページのアドレスになります）",
        "widget": "file-name",
        "required": False,
        "pattern": [FILE_NAME_PATTERN, FILE_NAME_MESSAGE],
        "hint": (
            "内容がわかる短い名前を半角の英小文字・数字・ハイフンで付けます（例: gomi-nenmatsu）。"
            f"空のままにすると{fallback}になります。同じ名前がすでにあると -1 が付きます。"
            "作成したあとは、ここでは変えられません。"
        ),
    }


def _widget(spec: FieldSpec, kind: str, config: SiteConfig) -> dict:
    if spec.type == "text":
        return {"widget": "text" if spec.name == "summary" else "string"}
    if spec.type in ("when", "end"):
        widget = _datetime()
        if spec.name == "date" and kind in spec.required_for:
            widget["default"] = "{{now}}"
        return widget
    if spec.type == "bool":
        return {"widget": "boolean", "default": False}
    if spec.type == "int":
        return {"widget": "number", "value_type": "int"}
    if spec.type == "categories":
        widget = {
            "widget": "select",
            "multiple": True,
            "options": [{"label": c.label, "value": c.slug} for c in config.categories],
        }
        return widget | ({"min": 1} if kind in spec.required_for else {})
    if spec.type == "department":  # without one, the page names the town office
        return {
            "widget": "select",
            "options": [{"label": d.name, "value": d.slug} for d in config.departments],
        }
    if spec.type == "path":
        return {"widget": "image", "choose_url": False}
    if spec.type == "level":
        return {
            "widget": "select",
            "options": [{"label": label, "value": value} for value, label in ALERT_LEVELS.items()],
        }
    if spec.type == "dates":
        return {
            "widget": "list",
            "label_singular": "開催日",
            "summary": "{{fields.start}}",
            "fields": [
                {"name": "start", "label": FIELDS_BY_NAME["start"].label, "required": True, **_datetime()},
                {"name": "end", "label": FIELDS_BY_NAME["end"].label, "required": False, **_datetime()},
            ],
        }
    if spec.type == "sns":
        return _sns()
    raise ValueError(
        f"no form widget for the schema type {spec.type!r} ({spec.name}); add one or list it in OMITTED"
    )


def _datetime() -> dict:
    return {"widget": "datetime", "format": DATE_FORMAT, "picker_utc": False}


def _sns() -> dict:
    text = [
        {"name": channel, "label": label, "widget": "text", "required": False}
        for channel, label in CHANNEL_LABELS.items()
    ]
    return {
        "widget": "object",
        "collapsed": True,
        "fields": [
            {
                "name": "text",
                "label": "チャンネルごとの文面（空なら自動）",
                "widget": "object",
                "required": False,
                "collapsed": True,
                "fields": text,
            },
            {
                "name": "skip",
                "label": "投稿しないチャンネル",
                "widget": "select",
                "multiple": True,
                "required": False,
                "options": [{"label": label, "value": channel} for channel, label in CHANNEL_LABELS.items()],
            },
            {
                "name": "image",
                "label": "投稿に付ける画像",
                "widget": "select",
                "required": False,
                "options": [{"label": SNS_IMAGE_LABELS[choice], "value": choice} for choice in IMAGE_CHOICES],
            },
        ],
    }
