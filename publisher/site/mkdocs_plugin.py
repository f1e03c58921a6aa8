"""The only module that imports MkDocs: thin hooks that hand the work to plain modules.

Everything is validated in `on_config`, before MkDocs touches any output folder, and a
normal build writes into a temporary folder that replaces `site/` only when the build
succeeded, so a failing build leaves the previous site untouched.
"""

from __future__ import annotations

import html
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import jinja2
from mkdocs.commands.build import log as build_log
from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import url_filter

from ..content.checks import image_problems, linked_pages, referenced_assets
from ..content.config import OPTION_NAMES, parse_site_config
from ..content.dates import now
from ..content.errors import ContentErrors, FieldError, summary
from ..content.reader import load_site, shown_dir
from ..content.records import RecordStore
from ..content.schema import PAGE
from ..media.images import ImageError
from ..media.plan import MEDIA_WORK, image_sources, plan_media
from ..media.pool import Background
from ..outputs.admin import Repository, write_admin
from ..outputs.search_index import build_search_index
from ..outputs.write import write_all
from . import seo
from .csp import with_policy
from .icons import load_icons
from .listings import build_listings
from .navigation import build_nav, section_index_lookup
from .page_cache import Bodies, CachedPage, PageCache, fingerprint
from .phones import tel_links
from .pictures import rewrite_img_tags
from .render import SiteRenderer, wrap_tables
from .sanitize import clean_body, feed_body
from .swap import SiteSwap
from .theme_files import unused_theme_file

log = logging.getLogger("mkdocs.plugins.town")
CACHED_TEMPLATE = "town-cached-page.html"  # a cache hit: the stored page as it is


class TownPlugin(BasePlugin):
    """Reads content/ into the site model and adds listings, calendar, feeds and open data."""

    config_scheme = (("enabled", config_options.Type(bool, default=True)),) + tuple(
        (name, config_options.Type(object, default=None)) for name in OPTION_NAMES
    )

    def __init__(self):
        self.command: str | None = None
        self.swap: SiteSwap | None = None
        self.cache: PageCache | None = None

    def on_startup(self, *, command, dirty):
        self.command = command

    def on_config(self, config):
        if not self.config["enabled"]:
            return config
        if not config.site_url:
            raise PluginError("mkdocs.yml に site_url（公開するサイトの URL）を設定してください")
        options = {k: v for k, v in self.config.items() if k != "enabled" and v is not None}
        preview = self.command == "serve"
        project = Path(config.config_file_path)
        records = RecordStore(
            project.parent / ".cache" / "records.pickle", project.read_text(encoding="utf-8")
        )
        try:
            self.site = load_site(Path(config.docs_dir), parse_site_config(options), now(), preview, records)
            icons = load_icons(self.site.config.home, config.theme.dirs)
        except (ContentErrors, FieldError) as error:
            raise PluginError(_report(error)) from None
        records.save()
        for warning in self.site.warnings:
            log.warning(str(warning))
        self.listings = {listing.src: listing for listing in build_listings(self.site)}
        self.renderer = SiteRenderer(self.site, config.site_url, icons)
        self.footer_links = [
            (link.label, self.renderer.link(link.target)) for link in self.site.config.footer_links
        ]
        self.by_src = self.site.by_src()
        # Crumbs name only pages residents can open (an issue is unpublished while its articles go out).
        self.titles = {i.url: i.title for i in self.site.items if self.site.visible(i)} | {
            page.url: page.title for page in self.listings.values()
        }
        self.body_html: dict[str, str] = {}
        self.infos: dict[str, seo.PageInfo] = {}
        self.contents: dict[str, str] = {}  # HTML of the listing pages not stored
        self.keys: dict[str, str] = {}  # cache keys of pages rendered this build
        self.hits: dict[str, str] = {}  # cache keys of pages written as stored
        self.searchable: list[str] = []  # output paths of the pages the site search indexes
        self.page_keys: dict[str, str] = {}  # cache key by output path
        self.home = ""
        self.reprs: dict[str, str] = {}  # item records as text, by src
        self.config_repr = repr(self.site.config)
        config.nav = build_nav(self.site)
        if self.command in ("build", "gh-deploy"):
            self.swap = SiteSwap(Path(config.site_dir))
            config.site_dir = str(self.swap.staging)
        return config

    def on_files(self, files: Files, *, config):
        if not self.config["enabled"]:
            return files
        self.assets = set(self.site.assets)
        for file in [f for f in files if unused_theme_file(f.src_uri)]:
            files.remove(file)  # Material's search and script bundle, source maps: no page loads them
        for src in self._unpublished_files():
            files.remove(files.get_file_from_path(src))
        for src in image_sources(self.site):  # originals (EXIF, GPS) are never copied; links still resolve
            files.get_file_from_path(src).inclusion = InclusionLevel.EXCLUDED
        for listing in self.listings.values():
            files.append(File.generated(config, listing.src, content=""))
        cache = self.cache_dir = Path(config.config_file_path).parent / ".cache"
        try:
            self.media_work = plan_media(self.site, Path(config.docs_dir), cache, config.site_name)
        except FieldError as error:
            raise PluginError(_report(self._placed(error, config))) from None
        self.media = self.media_work.media
        self.media_tasks = Background(self.media_work.tasks())  # encoded while MkDocs renders the pages
        if self.command in ("build", "gh-deploy"):  # `serve` previews drafts: never cached
            self.cache = PageCache(cache / "pages", self._fingerprint(config))
            build_log.addFilter(self.quiet_stored_pages)
        self.published = {f.src_uri for f in files.documentation_pages()}
        return files

    def _placed(self, error: FieldError, config) -> Exception:
        """A broken image as problems of the pages that show it (file and line), or of the file."""
        if not isinstance(error, ImageError):
            return error
        return image_problems(self.site, error.src, str(error), shown_dir(Path(config.docs_dir)))

    def _fingerprint(self, config) -> str:
        theme_dir = config.theme.custom_dir
        return fingerprint(
            Path(config.config_file_path).read_text(encoding="utf-8"),
            Path(theme_dir) if theme_dir else None,
            BasePlugin.__module__,
            repr(config.nav),
        )

    def on_env(self, env, *, config, files):
        env.filters["town_section_index"] = section_index_lookup()  # theme/partials/nav-item.html
        env.filters["town_nav_link"] = _nav_link
        if self.config["enabled"]:
            env.loader = jinja2.ChoiceLoader(
                [jinja2.DictLoader({CACHED_TEMPLATE: "{{ page.content }}"}), env.loader]
            )
        return env

    def _unpublished_files(self) -> set[str]:
        """Pages not yet (or no longer) public, and the files only they use."""
        hidden = self.site.hidden_items()
        private = set().union(*(referenced_assets(i, self.assets) for i in hidden)) if hidden else set()
        shown = set().union(
            *(referenced_assets(i, self.assets) for i in self.site.items if self.site.visible(i))
        )
        return ({i.src for i in hidden} | (private - shown)) - image_sources(self.site)

    def on_page_read_source(self, *, page, config):
        """Decide a page's fate before MkDocs reads it: a stored page (a hit) is read and parsed
        no further; a listing is rendered only when it is not stored."""
        if not self.config["enabled"]:
            return None
        src = page.file.src_uri
        listing = self.listings.get(src)
        item = self.by_src.get(src) if listing is None else None
        if listing is None and item is None:
            return None
        if item:
            self.searchable.append(page.file.dest_uri)
        self.infos[src] = self._info(page.url, config, item, listing)
        if src == "index.md":
            self.home = self.renderer.home()
        source = "" if listing else page.file.content_string
        if self._stored(src, page.url, page.file.dest_uri, source, item, listing):
            return ""
        if listing:
            self.contents[src] = rewrite_img_tags(self.renderer.listing(listing), page.url, self.media.images)
        return source

    def _stored(self, src: str, url: str, dest: str, source: str, item, listing) -> bool:
        """Whether the page is stored with the inputs it has now (then it is written as stored)."""
        if self.cache is None:
            return False
        inputs = self._item_inputs(src, item) if item else self._listing_inputs(listing)
        key = self.cache.key(src, url, source, repr(self.infos[src]), *inputs)
        self.page_keys[dest] = key
        if not self.cache.has(key):
            self.keys[src] = key
            return False
        self.hits[src] = key
        return True

    def _item_inputs(self, src: str, item) -> list[str]:
        """Besides its file: the post header is a function of the item and its status."""
        inputs = [self._repr(item), item.status(self.site.now).value, self.home if src == "index.md" else ""]
        inputs += self.renderer.header_inputs(item)  # an issue's list of articles, an article's issue
        inputs += sorted(repr(self.media.images.get(a)) for a in referenced_assets(item, self.assets))
        return inputs + sorted(f"{t}={t in self.published}" for t in linked_pages(item))

    def _listing_inputs(self, listing) -> list[str]:
        """What the listing templates read: the listing with its items and their status (at the
        day of the build, which month calendars mark), the menu of years, the categories, the
        search shards and the lead images of the items."""
        shown = (*listing.items, *listing.upcoming, *(listing.grid.events() if listing.grid else ()))
        now = self.site.now
        return [
            repr(replace(listing, items=(), upcoming=(), grid=None)),
            listing.grid.key() if listing.grid else "",
            now.date().isoformat(),
            self.config_repr,
            repr(self.renderer.years),
            repr(self.renderer.search_shards),
            self.renderer.site_url,
            *(
                f"{self._repr(i)}\0{i.status(now).value}\0{self.media.images.get(i.image or '')!r}"
                for i in shown
            ),
        ]

    def _repr(self, item) -> str:
        """An item's record as text, made once: listings show an item on several pages."""
        text = self.reprs.get(item.src)
        if text is None:
            text = self.reprs[item.src] = repr(item)
        return text

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config["enabled"] or page.file.src_uri not in self.infos:
            return markdown
        src = page.file.src_uri
        page.title = page.meta["title"] = html.escape(self.infos[src].title)  # Material prints titles raw
        if src in self.hits:  # empty Markdown and the pass-through template
            page.meta["template"] = CACHED_TEMPLATE
            _skip_markdown(page)
            return ""
        item = self.by_src.get(src)
        # Our reader's body: MkDocs' stricter one gives up on front matter ours accepts (a date
        # YAML cannot construct, a space after a fence) and would publish it as text.
        return item.body if item else markdown

    def on_page_content(self, html_text, *, page, config, files):
        if not self.config["enabled"]:
            return html_text
        src = page.file.src_uri
        if src in self.hits:
            return ""  # the stored page is written in on_post_page
        if src in self.listings:  # bulletin covers became responsive pictures too
            return self.contents[src]
        item = self.by_src.get(src)
        if item is None:
            return html_text
        header = self.renderer.item_header(item)
        body = clean_body(html_text)
        if item.kind != PAGE:  # guide pages are in no feed
            self.body_html[src] = feed_body(header, body, page.url, self.media.images)
        contact = "" if src == "index.md" else self.renderer.contact_box(item)  # the home page: the footer
        html_text = rewrite_img_tags(
            tel_links(header + wrap_tables(body) + contact), page.url, self.media.images
        )
        return (self.home if src == "index.md" else "") + html_text  # the home page leads with its entries

    def on_page_context(self, context, *, page, config, nav):
        context["town_preview"] = self.command == "serve"  # staff-only links (theme/main.html)
        if self.config["enabled"] and page.file.src_uri not in self.hits:
            src = page.file.src_uri
            context["town"] = self.infos.get(src) or self._info(page.url, config, None, None)
        return context

    def _info(self, url: str, config, item, listing) -> seo.PageInfo:
        banner = self.renderer.alert_banner(url)
        description = config.site_description or ""
        card = self.media.card_for(item)
        return seo.page_info(
            self.site, config.site_url, url, item, listing, banner, description, self.titles, card
        )

    def on_template_context(self, context, *, template_name, config):
        if self.config["enabled"] and template_name == "404.html":
            context["town"] = seo.not_found_info(self.site, config.site_url or "", self.renderer)
        return context

    def on_post_page(self, output, *, page, config):
        src = page.file.src_uri
        if src in self.hits:  # linked, not read and written again; MkDocs then writes nothing
            self.cache.link_output(self.hits[src], Path(page.file.abs_dest_path))
            return ""
        if self.config["enabled"]:
            output = with_policy(output, page.content or "")
        if self.cache is not None and src in self.keys:
            # The body is read back from the store if a feed wants it: a clean build keeps no bodies.
            self.cache.put(self.keys[src], CachedPage(output, self.body_html.pop(src, "")))
        return output

    def on_post_template(self, output_content, *, template_name, config):
        if self.config["enabled"] and template_name.endswith(".html"):  # 404.html
            return with_policy(output_content, "")
        return output_content

    @event_priority(-100)  # after MkDocs and Material have written their files
    def on_post_build(self, *, config):
        if self.config["enabled"]:
            site_dir = Path(config.site_dir)
            try:  # before Pagefind starts: the image workers' memory is released first
                self.media_tasks.wait(None, MEDIA_WORK)
            except FieldError as error:
                raise PluginError(_report(self._placed(error, config))) from None
            self.media_work.link(site_dir)
            with ThreadPoolExecutor(1) as pool:  # Pagefind runs in other processes meanwhile
                search = pool.submit(
                    build_search_index,
                    site_dir,
                    self.searchable,
                    self.cache_dir / "search",
                    self.site.now.year,
                    self.page_keys,
                )
                stored = {src: key for src, key in (self.hits | self.keys).items() if src in self.by_src}
                bodies = Bodies(self.body_html, stored, self.cache)
                write_all(
                    self.site, config.site_url, site_dir, bodies, self.cache_dir if self.cache else None
                )
                try:
                    preview = self.command == "serve"
                    write_admin(self.site, Repository.of(config), config.site_url, site_dir, preview)
                    search.result()
                except FieldError as error:
                    raise PluginError(str(error)) from None
            if self.cache:
                self.cache.prune()
            if self.swap:
                self.swap.ready = True

    def on_build_error(self, *, error):
        if getattr(self, "media_tasks", None):
            self.media_tasks.cancel()
        if self.swap:
            self.swap.ready = False

    def quiet_stored_pages(self, record: logging.LogRecord) -> bool:
        """MkDocs says "Page skipped" when a plugin writes a page itself; stored pages are not news."""
        text = record.getMessage()
        return not (text.startswith("Page skipped: '") and text.split("'")[1] in self.hits)

    def on_shutdown(self):
        build_log.removeFilter(self.quiet_stored_pages)
        if self.swap:
            self.swap.finish()
            self.swap = None


@jinja2.pass_context
def _nav_link(context, item, page) -> str:
    """Material's menu entry for a page other than the current one, with no icon, subtitle or
    status; "" for anything else (Material's macro then writes it)."""
    if (
        not isinstance(item, Page)
        or item == page
        or item.children
        or getattr(item, "typeset", None)
        or getattr(item, "encrypted", None)
        or any(item.meta.get(k) for k in ("icon", "subtitle", "status"))
    ):
        return ""
    return (
        f'<li class="md-nav__item"><a href="{url_filter(context, item.url)}" class="md-nav__link">'
        f'<span class="md-ellipsis">\n{item.title}\n</span></a></li>'
    )  # the title's spaces as Material's


def _skip_markdown(page) -> None:
    """A cache hit needs no Markdown conversion; MkDocs would still build a converter for it."""

    def render(config, files):
        page.content = ""

    page.render = render


def _report(error: Exception) -> str:
    """Content problems under the summary `publisher check` prints too; anything else (a missing
    font, Pagefind) as its own message."""
    if not isinstance(error, ContentErrors):
        return str(error)
    return summary(error.errors) + "".join(f"\n  {problem}" for problem in error.errors)
