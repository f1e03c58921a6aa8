"""Front-matter rules declared as data: which keys each kind of file takes, and their types."""

from __future__ import annotations

from dataclasses import dataclass

PAGE, NEWS, EVENT, ALERT, BULLETIN = "page", "news", "event", "alert", "bulletin"
ALL = (PAGE, NEWS, EVENT, ALERT, BULLETIN)
DATED = (NEWS, EVENT, ALERT, BULLETIN)
BULLETIN_FOLDER = "bulletins"  # bulletins/YYYY-MM/index.md is an issue; its other files are articles

KIND_LABELS = {
    PAGE: "ページ",
    NEWS: "お知らせ",
    EVENT: "イベント",
    ALERT: "緊急・安全情報",
    BULLETIN: "広報紙",
}
# Top-level folders whose files are dated posts: (kind, whether a YYYY folder is expected).
POST_FOLDERS = {"news": (NEWS, True), "events": (EVENT, True), "alerts": (ALERT, False)}

ALERT_LEVELS = {"emergency": "緊急", "warning": "注意", "info": "お知らせ"}
ALERT_LEVEL_ALIASES = {
    **{k: k for k in ALERT_LEVELS},
    **{v: k for k, v in ALERT_LEVELS.items()},
    "警報": "warning",
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # text | when | bool | int | categories | department | path | level | end | dates | any
    label: str  # what staff call it, used in messages
    kinds: tuple[str, ...] = ALL
    required_for: tuple[str, ...] = ()


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", "タイトル", required_for=ALL),
    FieldSpec("date", "when", "掲載日", required_for=DATED),
    FieldSpec("summary", "text", "概要"),
    FieldSpec("categories", "categories", "分類", required_for=(NEWS, EVENT)),
    FieldSpec("department", "department", "担当課"),
    FieldSpec("image", "path", "画像"),
    FieldSpec("image_alt", "text", "画像の説明（代替テキスト）"),
    FieldSpec("draft", "bool", "下書き"),
    FieldSpec("publish_at", "when", "公開日時"),
    FieldSpec("expire_at", "when", "掲載終了日時"),
    FieldSpec("order", "int", "表示順", kinds=(PAGE,)),
    FieldSpec("hide", "any", "非表示にする部品", kinds=(PAGE,)),
    FieldSpec("start", "when", "開始日時", kinds=(EVENT,)),
    FieldSpec("end", "end", "終了日時", kinds=(EVENT,)),
    FieldSpec("dates", "dates", "開催日の一覧", kinds=(EVENT,)),
    FieldSpec("place", "text", "場所", kinds=(EVENT,), required_for=(EVENT,)),
    FieldSpec("fee", "text", "費用", kinds=(EVENT,)),
    FieldSpec("target", "text", "対象", kinds=(EVENT,)),
    FieldSpec("capacity", "text", "定員", kinds=(EVENT,)),
    FieldSpec("apply", "text", "申込", kinds=(EVENT,)),
    FieldSpec("contact", "text", "問合せ", kinds=(EVENT,)),
    FieldSpec("level", "level", "緊急度", kinds=(ALERT,), required_for=(ALERT,)),
    FieldSpec("sns", "sns", "SNS 投稿の設定", kinds=DATED),
)
FIELDS_BY_NAME = {spec.name: spec for spec in FIELDS}


def fields_for(kind: str) -> tuple[FieldSpec, ...]:
    return tuple(spec for spec in FIELDS if kind in spec.kinds)
