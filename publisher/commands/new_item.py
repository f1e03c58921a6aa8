"""`publisher new`: start a content file from a template, at the right path, with an ASCII name.

The file is a draft (`draft: true`) whose body is the template text of content/placeholders.py:
it passes the check as it is, shows in `make serve` marked 下書き, and cannot be published until
the template text is replaced (the check refuses it once the draft line is gone). The whole site
is checked with the new file before the command ends; a file the check refuses (a clash with
another file's address, say) is removed again, so `publisher new` never leaves a broken file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..content.config import SLUG, Project
from ..content.dates import JST
from ..content.errors import ContentError, ContentErrors
from ..content.frontmatter import dump_front_matter
from ..content.placeholders import BODIES
from ..content.reader import load_site, shown_dir
from ..content.schema import ALERT, EVENT, NEWS, PAGE

KINDS = (NEWS, EVENT, PAGE, ALERT)


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
    level: str = ""  # alerts; info when not given
    extra: tuple[tuple[str, str], ...] = ()  # events: end, fee, apply, contact as answered


@dataclass(frozen=True)
class Created:
    path: Path
    elsewhere: tuple[ContentError, ...]  # problems of other files, found checking the site with it


def create(item: NewItem, project: Project, now: datetime) -> Created:
    """Write the new file, check the site with it and return its path; never overwrites, and
    removes the file again (raising NewItemError with the check's lines) when it has a problem."""
    slug = item.slug or _free_slug(project.content_dir, item, now)
    if not SLUG.match(slug):
        raise NewItemError(
            f"名前「{slug}」は URL になるため、半角英小文字・数字・ハイフンで付けてください（例: gomi-shushu）"
        )
    path = project.content_dir / folder_of(item, now) / f"{slug}.md"
    if path.exists():
        raise NewItemError(f"{path} はすでにあります。別の名前（--slug）を指定してください")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_front_matter(_fields(item, now)) + "\n" + BODIES[item.kind], encoding="utf-8")
    try:
        problems = _site_problems(project, now)
    except KeyboardInterrupt:  # Ctrl+C while the site is checked: the file is not left half-checked
        path.unlink()
        raise
    shown = shown_dir(project.content_dir) + path.relative_to(project.content_dir).as_posix()
    own = [problem for problem in problems if problem.path == shown]
    if own:
        path.unlink()
        lines = "\n".join(str(problem) for problem in own)
        raise NewItemError(f"作ったファイルが確認を通らないため、消しました。\n{lines}")
    return Created(path, tuple(problems))


def _site_problems(project: Project, now: datetime) -> list[ContentError]:
    try:
        load_site(project.content_dir, project.site, now, site_url=project.site_url)
    except ContentErrors as error:
        return [problem for problem in error.errors if not problem.is_warning]
    return []


def folder_of(item: NewItem, now: datetime) -> str:
    year = str(now.astimezone(JST).year)
    return {NEWS: f"news/{year}", EVENT: f"events/{year}", ALERT: "alerts", PAGE: item.section.strip("/")}[
        item.kind
    ]


def _free_slug(content_dir: Path, item: NewItem, now: datetime) -> str:
    base = now.astimezone(JST).strftime("%Y-%m-%d")
    folder = content_dir / folder_of(item, now)
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
        fields.append(("level", item.level or "info"))
    return fields + [("draft", True)]  # the body is template text until staff write it
