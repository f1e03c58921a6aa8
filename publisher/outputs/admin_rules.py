"""Rules between fields of one file, as the form editor checks them at each field.

Decap CMS checks `required` and `pattern` within one field only. What `publisher check` asks
across fields (an image needs its description; an event has `start` or `dates`, not both; an end
comes after its start) is declared here as data: each rule belongs to the field whose box shows
the message, travels in that field's `rules:` in Decap's config.yml, and the widgets admin.js
registers check it when the form is saved, so every refusal appears at its field at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..content.config import SLUG
from ..content.schema import FIELDS_BY_NAME


@dataclass(frozen=True)
class Needs:
    """When `other` is filled (or empty, `other_filled=False`), this field must be filled (or empty)."""

    other: str
    other_filled: bool
    filled: bool
    message: str
    kind: str = "needs"


@dataclass(frozen=True)
class After:
    """This date-time must come after `other`'s (or be the same, `same_ok`), unless `unless` is filled.
    Values are compared as the form writes them (`2026-12-20 10:00`); others are left to the check."""

    other: str
    same_ok: bool
    message: str
    unless: str = ""
    kind: str = "after"


Rule = Needs | After

# The field each rule belongs to, in the words staff read beside it.
RULES: dict[str, tuple[Rule, ...]] = {
    "image_alt": (
        Needs(
            "image",
            True,
            True,
            "画像を選んだときは、画像の説明を書いてください（画像が見えない方に読み上げられます）",
        ),
        Needs(
            "image",
            False,
            False,
            "画像を選んでいないので、画像の説明は使われません。画像を選ぶか、この欄を空にしてください",
        ),
    ),
    "start": (
        Needs(
            "dates",
            False,
            True,
            "開始日時を入力してください（別々の日に何回か開くときは、かわりに「開催日の一覧」に入力します）",
        ),
        Needs(
            "dates",
            True,
            False,
            "開始日時と開催日の一覧は一緒に使えません。開催日の一覧を使うときは、開始日時と終了日時を空にしてください",
        ),
    ),
    "end": (
        Needs(
            "dates",
            True,
            False,
            "開催日の一覧を使うときは、終了日時は各回の中に入力し、ここは空にしてください",
        ),
        After("start", True, "終了日時が開始日時より前になっています"),
    ),
    "expire_at": (
        After("publish_at", False, "掲載終了日時は公開日時より後にしてください"),
        After(
            "date",
            False,
            "掲載終了日時が掲載日より前なので、このままでは一度も公開されません",
            unless="publish_at",
        ),
    ),
}
# Fields required in some cases only: their label says when, instead of Decap's 「(任意)」.
CONDITIONALLY_REQUIRED = {
    "image_alt": "画像を選んだとき",
    "start": "開催日の一覧を使わないとき",
    "dates": "別々の日に何回か開くとき",
}

# The file name the form asks for (not written into the file: admin.js leaves it out).
FILE_NAME = "file_name"
FILE_NAME_PATTERN = "^(?!index$)" + SLUG.pattern.removeprefix("^")  # index.md is a folder's own page
FILE_NAME_MESSAGE = (
    "半角の英小文字・数字と、間をつなぐハイフンだけで書いてください（例: gomi-nenmatsu）。"
    "大文字・空白・日本語・「_」と index は使えません"
)


def rules_for(name: str, fields: set[str]) -> list[dict]:
    """The rules of one field, as config.yml carries them; only those whose fields this form has."""
    return [
        asdict(rule)
        for rule in RULES.get(name, ())
        if rule.other in fields and (not isinstance(rule, After) or not rule.unless or rule.unless in fields)
    ]


def label(name: str) -> str:
    """The schema's label, with the case in which a conditionally required field is needed."""
    when = CONDITIONALLY_REQUIRED.get(name)
    return FIELDS_BY_NAME[name].label + (f"（条件付き必須：{when}）" if when else "")
