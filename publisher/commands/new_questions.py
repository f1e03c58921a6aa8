"""The questions of `publisher new`: each answer is read as the check reads its field, and a wrong
one is asked again with the check's message, the earlier answers kept. Without options staff are
asked everything, the optional fields too; with options (scripts, the guide's one-line examples)
only what is missing, and a wrong option stops with the check's message before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from ..content.config import SLUG, Project
from ..content.dates import JST
from ..content.errors import FieldError
from ..content.options import Predicate
from ..content.reader import read_field
from ..content.schema import ALERT, ALERT_LEVELS, EVENT, FIELDS_BY_NAME, KIND_LABELS, NEWS, PAGE
from ..content.schema import POST_FOLDERS as POSTS
from .file_names import suggest
from .new_item import KINDS, NewItem, NewItemError, folder_of

SKIP = "（なければ空のまま Enter）"
NOT_PAGES = ("bulletins", "images")  # folders under content/ that hold no guide pages
EVENT_EXTRAS = (("fee", "費用"), ("apply", "申込"), ("contact", "問合せ"))
KIND_CHOICES = "、".join(f"{kind}={KIND_LABELS[kind]}" for kind in KINDS)
KIND_NAMES = {kind: kind for kind in KINDS} | {KIND_LABELS[kind]: kind for kind in KINDS} | {"緊急": ALERT}
LEVELS = "、".join(f"{name}={label}" for name, label in ALERT_LEVELS.items())
Ask = Callable[..., str]


def ask_new_item(given: NewItem, project: Project, now: datetime) -> NewItem:
    """The item to write: `given` (the options) completed with answers."""
    kind, config = given.kind or ask_kind(), project.site
    ask = _asker(kind, config)
    questionnaire = not any(
        (given.category, given.start, given.place, given.slug, given.section, given.level)
    )
    item = replace(given, kind=kind, title=ask("title", "タイトル", given.title), level=given.level or "info")
    if kind in (NEWS, EVENT):
        known = "、".join(f"{c.slug}={c.label}" for c in config.categories)
        item = replace(item, category=ask("categories", f"分類（{known}）", given.category))
    if kind == ALERT and questionnaire:
        item = replace(item, level=ask("level", f"緊急度（{LEVELS}）", ""))
    if kind == EVENT:
        item = _event(item, ask, questionnaire)
    if kind == PAGE and questionnaire:
        item = replace(item, section=ask_section(project.content_dir))
    if questionnaire:
        item = replace(item, slug=ask_slug(item, project, now))
    return item


def ask_kind() -> str:
    """The kind of file, by its name or as staff call it (`make new` gives none)."""

    def valid(answer: str) -> str:
        kind = KIND_NAMES.get(answer.strip().lower(), "")
        if not kind:
            raise FieldError(f"「{answer.strip()}」は選べません。{KIND_CHOICES} のどれかを入力してください")
        return kind

    return _asked(f"作るものの種類（{KIND_CHOICES}）", valid)


def _event(item: NewItem, ask: Ask, questionnaire: bool) -> NewItem:
    start = ask("start", "開始日時（例: 2026-12-06 10:00）", item.start)
    extra: tuple[tuple[str, str], ...] = ()
    if questionnaire:
        extra += (("end", ask("end", "終了日時（例: 2026-12-06 15:00 か 15:00）" + SKIP, "", False)),)
    place = ask("place", "場所", item.place)
    if questionnaire:
        extra += tuple((name, ask(name, question + SKIP, "", False)) for name, question in EVENT_EXTRAS)
    return replace(item, start=start, place=place, extra=extra)


def _asked(question: str, valid: Callable[[str], str]) -> str:
    """Ask until `valid` takes the answer; its message (in Japanese) says why it did not."""
    while True:
        try:
            return valid(click.prompt(question, default="", show_default=False))
        except FieldError as error:
            click.echo(f"エラー: {error}　もう一度入力してください。")


def _asker(kind: str, config) -> Ask:
    """ask(field, question, given, required): the answer read as the check reads the field (a
    category or level as its name, anything else as typed); a wrong answer is asked again, a
    wrong option raises NewItemError with the check's message."""

    def ask(name: str, question: str, given: str, required: bool = True) -> str:
        def valid(answer: str) -> str:
            if not answer.strip():
                if required:
                    raise FieldError("入力してください")
                return ""
            try:
                read = read_field(kind, name, answer.strip(), config)
            except Predicate as error:  # 「の値「x」は使えません…」 continues the field's name
                raise FieldError(f"{FIELDS_BY_NAME[name].label}{error}") from None
            return read[0] if isinstance(read, tuple) else read if name == "level" else answer.strip()

        if not given:
            return _asked(question, valid)
        try:
            return valid(given)
        except FieldError as error:
            raise NewItemError(str(error)) from None

    return ask


def ask_section(content_dir: Path) -> str:
    """The folder of a guide page under content/ (an existing one, or a new one)."""
    folders = sorted(
        p.name
        for p in content_dir.iterdir()
        if p.is_dir() and SLUG.match(p.name) and p.name not in (*POSTS, *NOT_PAGES)
    )

    def valid(answer: str) -> str:
        parts = answer.strip().strip("/").split("/")
        wrong = next((part for part in parts if not SLUG.match(part)), None)
        if wrong is not None:
            raise FieldError(
                f"フォルダ名「{wrong}」は使えません。半角英小文字・数字・ハイフンで書いてください"
            )
        if parts[0] in (*POSTS, *NOT_PAGES):
            raise FieldError(
                f"{parts[0]}/ はページを置くフォルダではありません（お知らせ・イベント・緊急情報・広報紙・写真の"
                "置き場所です）。ページは分野のフォルダ（例: kurashi）に置きます"
            )
        return "/".join(parts)

    return _asked(f"置き場所のフォルダ（{'、'.join(folders) or '例: kurashi'}）", valid)


def ask_slug(item: NewItem, project: Project, now: datetime) -> str:
    """The file name (it becomes the page's address), suggested from the title's reading;
    asked again until it can be one that no other file of the kind has."""
    content_dir = project.content_dir
    year = str(now.astimezone(JST).year)
    suggestion = suggest(item.title, project.site.readings)
    if suggestion and _used(item, content_dir, suggestion, now):
        suggestion = (
            f"{suggestion}-{year}" if not _used(item, content_dir, f"{suggestion}-{year}", now) else ""
        )

    def valid(answer: str) -> str:
        name = answer.strip() or suggestion
        if name and not SLUG.match(name):
            raise FieldError(
                f"「{name}」は使えません。半角英小文字・数字・ハイフンで付けてください（例: gomi-shushu）"
            )
        used = _used(item, content_dir, name, now) if name else None
        if used:
            raise FieldError(f"「{name}」は {used} で使われています。別の名前にしてください")
        return name

    enter = f"Enter で「{suggestion}」" if suggestion else "空のまま Enter なら日付"
    return _asked(f"ファイル名（ページのアドレスになります。半角英小文字・数字・ハイフン。{enter}）", valid)


def _used(item: NewItem, content_dir: Path, name: str, now: datetime) -> str:
    """The file that already has this name for this kind (news and events: in any year), or ""."""
    folder = content_dir / folder_of(replace(item, slug=name), now)
    pattern = f"*/{name}.md" if item.kind in (NEWS, EVENT) else f"{name}.md"
    found = sorted((folder.parent if item.kind in (NEWS, EVENT) else folder).glob(pattern))
    return found[0].relative_to(content_dir.parent).as_posix() if found else ""
