"""The site menu as MkDocs `nav` data: guide pages by section, then the listing pages.

Posts (news, events, alerts) are never in the menu; on 3,000 posts a full menu rendered
into every page is what makes stock MkDocs sites slow and heavy.
"""

from __future__ import annotations

import html
import posixpath
from collections import defaultdict
from dataclasses import dataclass

from ..content import urls
from ..content.model import Page, Site
from ..content.schema import BULLETIN_FOLDER, POST_FOLDERS

# The listing pages in the menu, each with the kind of item it lists: an entry that would lead
# to 「まだありません」 is left out until something is published. 緊急・安全情報 always stays: in a
# storm residents look there to learn that nothing is in force.
LISTINGS = (
    ("お知らせ", urls.NEWS, "news"),
    ("イベント", urls.EVENTS, "events"),
    ("イベントカレンダー", urls.CALENDAR, "events"),
    ("広報紙", urls.BULLETINS, "bulletins"),
    ("緊急・安全情報", urls.ALERTS, None),
)


def build_nav(site: Site) -> list:
    pages = [p for p in site.pages if p.src.split("/")[0] not in (*POST_FOLDERS, BULLETIN_FOLDER)]
    entries = _folder("", pages)
    home = [{"ホーム": "index.md"}] if any(p.src == "index.md" for p in pages) else []
    listings = [
        {title: url + "index.md"} for title, url, kind in LISTINGS if kind is None or getattr(site, kind)
    ]
    return home + entries + listings


def _folder(folder: str, pages: list[Page]) -> list:
    """Entries of one folder: its pages and subfolders, ordered by `order`, then title."""
    direct, nested = [], defaultdict(list)
    for page in pages:
        parent = posixpath.dirname(page.src)
        if parent == folder:
            if not (page.src.endswith("/index.md") or page.src == "index.md"):
                direct.append(((_rank(page), page.title), page.src))
        elif parent.startswith(folder):
            child = parent[len(folder) :].lstrip("/").split("/")[0]
            nested[posixpath.join(folder, child)].append(page)
    for sub, sub_pages in nested.items():
        index = next((p for p in sub_pages if p.src == f"{sub}/index.md"), None)
        title = html.escape(index.title if index else posixpath.basename(sub))  # Material prints it raw
        children = ([f"{sub}/index.md"] if index else []) + _folder(sub, sub_pages)
        direct.append(((_rank(index) if index else 10**6, title), {title: children}))
    return [entry for _, entry in sorted(direct, key=lambda pair: pair[0])]


def _rank(page: Page) -> int:
    return page.order if page.order is not None else 10**6


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str  # directory URL relative to the site root; "" is home


def breadcrumbs(url: str, titles: dict[str, str]) -> tuple[Crumb, ...]:
    """Home, then every ancestor URL that is a page (guide folders, listings); empty on the home page.

    `titles` maps page URLs to titles; folders without a page (news/2026/) are skipped.
    """
    if not url:
        return ()
    parts = url.strip("/").split("/")
    ancestors = ("/".join(parts[:n]) + "/" for n in range(1, len(parts)))
    return (Crumb("ホーム", ""),) + tuple(Crumb(titles[a], a) for a in ancestors if a in titles)


def section_index_lookup():
    """A section's index page (its first child that is an index.md), looked up once per section
    in a build: Material's nav template tested every child of every section on every page."""
    found: dict = {}  # by the Section itself (compared by identity)

    def section_index(section):
        if section not in found:
            found[section] = next((c for c in section.children if getattr(c, "is_index", False)), None)
        return found[section]

    return section_index
