"""The home page's purpose entries and よくある手続き, and the footer's links: declared in
mkdocs.yml, each pointing at a page under content/ or at an https:// address.

Targets are checked against the site once it is read (a page that does not exist or is not
published would be a dead link on the most visited page); icons are checked by the build, which
knows the theme's icon folders (publisher/site/icons.py).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .errors import ContentError, FieldError
from .options import dotted, list_of, matching, option, record, text

CONFIG_FILE = "mkdocs.yml"
WEB = re.compile(r"https?://[^\s\"'<>]+$")
ICON = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)+$")


def link_target(value) -> str:
    """A page under content/ (`kurashi/gomi.md`) or a web address."""
    target = text(value)
    if WEB.match(target):
        return target
    path = posixpath.normpath(target.lstrip("/"))
    if not path.endswith(".md") or path.startswith(".."):
        raise FieldError(
            f"「{target}」は content/ の中のページ（例: kurashi/gomi.md）か、"
            "https:// で始まるアドレスで書いてください"
        )
    return path


icon_name = matching(
    ICON, lambda name: f"「{name}」は「material/trash-can-outline」のようにアイコンの名前で書いてください"
)


@dataclass(frozen=True)
class Link:
    label: str = option(text, "The words residents read and tap, e.g. 住民票の写しの請求")
    target: str = option(link_target, "A page under content/ (kurashi/juminhyo.md) or an https:// address")


@dataclass(frozen=True)
class Purpose:
    """A large entry of the home page: residents start from what they want to do."""

    label: str = option(text, "What residents want to do, e.g. ごみ・リサイクル")
    target: str = option(link_target, "A page under content/ (kurashi/gomi.md) or an https:// address")
    icon: str = option(
        icon_name,
        "An icon of Material's bundled set (material/trash-can-outline) or of the theme's "
        ".icons/ folder; decorative, the label says it",
        "",
    )


@dataclass(frozen=True)
class Home:
    purposes: tuple[Purpose, ...] = option(
        list_of(record(Purpose)), "Large purpose entries (label, target, icon), first on the home page", ()
    )
    procedures: tuple[Link, ...] = option(
        list_of(record(Link)), "よくある手続き: a short list of links (label, target) under them", ()
    )


def read_home(value) -> Home:
    return record(Home)(value)


def read_links(value) -> tuple[Link, ...]:
    return list_of(record(Link))(value)


def is_page(target: str) -> bool:
    return not WEB.match(target)


def target_problems(home: Home, footer: tuple[Link, ...], shown: set[str]) -> list[ContentError]:
    """Each entry whose page is not among the published pages `shown` (srcs under content/)."""
    entries = [(("home", "purposes", n), e) for n, e in enumerate(home.purposes)]
    entries += [(("home", "procedures", n), e) for n, e in enumerate(home.procedures)]
    entries += [(("footer_links", n), e) for n, e in enumerate(footer)]
    return [
        ContentError(
            CONFIG_FILE,
            0,
            f"plugins.town.{dotted(at)}.target: 「{entry.target}」というページは content/ にないか、"
            f"公開されていません（「{entry.label}」のリンク先）",
        )
        for at, entry in entries
        if is_page(entry.target) and entry.target not in shown
    ]
