"""`publisher new`: start a valid content file from a template, at the right path, with an ASCII name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..content.config import SLUG
from ..content.dates import JST
from ..content.frontmatter import dump_front_matter
from ..content.schema import ALERT, EVENT, NEWS, PAGE

KINDS = (NEWS, EVENT, PAGE, ALERT)
BODIES = {
    NEWS: "ここに本文を書きます。最初の段落は一覧や SNS の概要に使われます。\n",
    EVENT: "ここにイベントの内容を書きます。\n",
    PAGE: "ここにページの本文を書きます。\n\n## 見出し\n\n見出しは ## から始めます。\n",
    ALERT: "ここに状況と、住民の皆さんにしてほしいことを書きます。\n",
}


class NewItemError(Exception):
    """The file cannot be written (message in Japanese)."""


@dataclass(frozen=True)
class NewItem:
    kind: str
    title: str
    slug: str = ""  # ASCII file name; derived from the date when empty
    category: str = ""
    section: str = ""  # pages: the folder under content/
    start: str = ""  # events
    place: str = ""  # events
    level: str = "info"  # alerts
    extra: tuple[tuple[str, str], ...] = ()  # events: end, fee, apply, contact as answered


def create(item: NewItem, content_dir: Path, now: datetime) -> Path:
    """Write the new file and return its path; never overwrites."""
    slug = item.slug or _free_slug(content_dir, item, now)
    if not SLUG.match(slug):
        raise NewItemError(
            f"名前「{slug}」は URL になるため、半角英小文字・数字・ハイフンで付けてください（例: gomi-shushu）"
        )
    path = content_dir / _folder(item, now) / f"{slug}.md"
    if path.exists():
        raise NewItemError(f"{path} はすでにあります。別の名前（--slug）を指定してください")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_front_matter(_fields(item, now)) + "\n" + BODIES[item.kind], encoding="utf-8")
    return path


def _folder(item: NewItem, now: datetime) -> str:
    year = str(now.astimezone(JST).year)
    return {NEWS: f"news/{year}", EVENT: f"events/{year}", ALERT: "alerts", PAGE: item.section.strip("/")}[
        item.kind
    ]


def _free_slug(content_dir: Path, item: NewItem, now: datetime) -> str:
    base = now.astimezone(JST).strftime("%Y-%m-%d")
    folder = content_dir / _folder(item, now)
    number = 1
    while (folder / f"{base}-{number}.md").exists():
        number += 1
    return f"{base}-{number}"


def _fields(item: NewItem, now: datetime) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [("title", item.title)]
    if item.kind != PAGE:
        fields.append(("date", now.astimezone(JST).strftime("%Y-%m-%d %H:%M")))
    if item.category:
        fields.append(("categories", [item.category]))
    if item.kind == EVENT:
        fields += [("start", item.start), ("place", item.place)]
        fields += [(name, value) for name, value in item.extra if value]
    if item.kind == ALERT:
        fields.append(("level", item.level))
    return fields
