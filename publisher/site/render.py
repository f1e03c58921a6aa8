"""HTML fragments for generated pages and item headers, from Jinja templates with autoescaping."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

import jinja2

from ..content import urls
from ..content.config import Department
from ..content.dates import JST, When, format_clock, format_day, format_span, format_when
from ..content.home_links import is_page
from ..content.model import Alert, Bulletin, Event, Item, News, Page, Site, Status
from ..content.schema import BULLETIN_FOLDER, KIND_LABELS
from ..outputs.search_index import merged_folders
from .listings import Listing, news_years
from .month_grid import WEEK_HEADER

TEMPLATES = Path(__file__).parent / "templates"


def relative_url(target: str, base: str) -> str:
    """Link from the page at directory URL `base` to `target` (both relative to the site root)."""
    path = posixpath.relpath(target or ".", base or ".")
    if path == ".":
        return "./"
    return path + "/" if target.endswith("/") else path


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        day=format_day, when=format_when, span=format_span, clock=format_clock, rel=relative_url
    )
    env.globals.update(urls=urls, WEEK_HEADER=WEEK_HEADER, Event=Event, News=News, Alert=Alert)
    return env


def _render(template: str, **context) -> str:
    return _environment().get_template(template).render(**context)


class SiteRenderer:
    """Renders the generated HTML of one site; what every page shares is computed once."""

    def __init__(self, site: Site, site_url: str, icons: dict[str, str] | None = None):
        self.site = site
        self.site_url = site_url
        self.icons = icons or {}  # inline SVG of the home page's purpose entries (site/icons.py)
        self.page_urls = {item.src: item.url for item in site.items}
        self.years = news_years(site)
        self.banner_alerts = site.alerts
        self.search_shards = merged_folders((i.url for i in site.items if site.visible(i)), site.now.year)
        self.issues: dict[str, Bulletin] = {}  # shown issues by folder (bulletins/2026-01)
        self.issue_articles: dict[str, list[Page]] = {}  # shown articles by folder, in file order
        for item in site.items:
            folder = _issue_folder(item)
            if folder and site.visible(item):
                if isinstance(item, Bulletin):
                    self.issues[folder] = item
                else:
                    self.issue_articles.setdefault(folder, []).append(item)
        for articles in self.issue_articles.values():
            articles.sort(key=lambda page: page.src)

    def label(self, slug: str) -> str:
        return self.site.category(slug).label

    def _render(self, template: str, base: str, **context) -> str:
        return (
            _environment()
            .get_template(template)
            .render(
                site=self.site, base=base, label=self.label, years=self.years, webcal=self.webcal, **context
            )
        )

    def webcal(self, path: str) -> str:
        """Subscription link: calendar apps poll webcal:// URLs and keep the events up to date."""
        return "webcal://" + urljoin(self.site_url, path).split("://", 1)[1]

    def listing(self, listing: Listing) -> str:
        return self._render(
            listing.template,
            listing.url,
            listing=listing,
            search_shards=self.search_shards,
            search_synonyms=json.dumps(self.site.config.search_synonyms, ensure_ascii=False),
        )

    def home(self) -> str:
        config = self.site.config
        purposes = [
            HomeLink(p.label, self._home_href(p.target), self.icons.get(p.icon, ""))
            for p in config.home.purposes
        ]
        return self._render(
            "home.html",
            "",
            title=next((i.title for i in self.site.items if i.src == "index.md"), config.town_name),
            purposes=purposes,
            procedures=[HomeLink(p.label, self._home_href(p.target)) for p in config.home.procedures],
            news=self.site.news[: config.home_news],
            events=self.site.upcoming_events()[: config.home_events],
        )

    def link(self, target: str) -> str:
        """A configured link target (home entries, footer) as a URL from the site root: a page's
        directory URL (checked to exist when the site was read), or the web address itself."""
        return self.page_urls[target] if is_page(target) else target

    def _home_href(self, target: str) -> str:
        return relative_url(self.link(target), "") if is_page(target) else target

    def item_header(self, item: Item) -> str:
        status = item.status(self.site.now)
        folder = _issue_folder(item)
        return self._render(
            "item_header.html",
            item.url,
            item=item,
            unpublished=_preview_label(item, status, self.site.show_unpublished),
            unpublished_note=_preview_note(item, status),
            articles=self.issue_articles.get(folder, []) if isinstance(item, Bulletin) else [],
            issue=None if isinstance(item, Bulletin) else self.issues.get(folder),
            search_category="、".join(map(self.label, item.categories)) or KIND_LABELS[item.kind],
        )

    def header_inputs(self, item: Item) -> list[str]:
        """What an item's header shows besides the item (for the page cache): an issue lists its
        published articles; an article links to its issue while the issue is published."""
        folder = _issue_folder(item)
        if folder is None:
            return []
        if isinstance(item, Bulletin):
            return [
                f"{a.src}\0{a.title}\0{a.status(self.site.now).value}"
                for a in self.issue_articles.get(folder, [])
            ]
        issue = self.issues.get(folder)
        return [f"{issue.src}\0{issue.title}\0{issue.status(self.site.now).value}"] if issue else ["no issue"]

    def contact_box(self, item: Item) -> str:
        """「このページに関するお問い合わせ」: the item's department, or else the town office."""
        config = self.site.config
        department = config.department(item.department) if item.department else None
        if department is None:
            office = config.office
            if not (office.name and office.phone):
                return ""
            department = Department("office", office.name, office.phone, hours=office.hours)
        elif not department.hours:
            department = replace(department, hours=config.office.hours)
        return self._render("contact.html", item.url, who=department)

    def alert_banner(self, base: str, root: str = "") -> str:
        """The banner of active alerts, linked from the page at `base`; with `root` (the site's
        path, "/") the links start from it instead: the 404 page is served at any address."""
        if not self.banner_alerts:
            return ""
        return self._render("banner.html", base, alerts=self.banner_alerts, root=root)


@dataclass(frozen=True)
class HomeLink:
    label: str
    href: str  # from the home page, which is the site root
    svg: str = ""  # trusted markup: an icon file of the theme, never content


def _issue_folder(item: Item) -> str | None:
    """bulletins/2026-01 for an issue and its articles; None for anything else."""
    parts = item.src.split("/")
    return "/".join(parts[:2]) if len(parts) == 3 and parts[0] == BULLETIN_FOLDER else None


def json_ld(data) -> str:
    """JSON for a <script> element: `<`, `>` and `&` escaped so no title can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def iso(moment) -> str:
    return moment.astimezone(JST).isoformat()


_CONTENT_TABLE = re.compile(r"<table>(.*?)</table>", re.S)


def wrap_tables(html: str) -> str:
    """Content tables scroll sideways on phones inside a region keyboard users can focus."""
    return _CONTENT_TABLE.sub(
        r'<div class="town-table-scroll" tabindex="0" role="region" aria-label="表（横にスクロールできます）">'
        r"<table>\1</table></div>",
        html,
    )


def _preview_label(item: Item, status: Status, preview: bool) -> str | None:
    """The preview banner's label: a page's state, or for a public page that is due to come down,
    「掲載終了予定」 (only in the preview: residents see no banner)."""
    if status is not Status.PUBLISHED:
        return status.value
    return "掲載終了予定" if preview and item.expire_at else None


def _preview_note(item: Item, status: Status) -> str:
    """What the preview (`make serve`) says of a page residents cannot see yet, any longer, or
    after its 掲載終了日時."""
    if status is Status.PUBLISHED and item.expire_at:
        return f"{format_when(When(item.expire_at, True))} に掲載を終えます。それ以降は公開中のサイトに出ません。"
    if status is Status.SCHEDULED:
        return f"{format_when(When(item.release_at, True))} に公開されます。それまではプレビューでだけ表示されています。"
    if status is Status.EXPIRED:
        return f"{format_when(When(item.expire_at, True))} に掲載を終えました。公開中のサイトには出ません。"
    return "このページはプレビューでだけ表示されています。公開中のサイトには出ません。"
