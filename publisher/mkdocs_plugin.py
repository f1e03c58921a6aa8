"""The only module that imports MkDocs: thin hooks that hand the work to plain modules.

Everything is validated in `on_config`, before MkDocs touches any output folder, and a
normal build writes into a temporary folder that replaces `site/` only when the build
succeeded, so a failing build leaves the previous site untouched.
"""
from __future__ import annotations

import html
import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from . import outputs, seo
from .checks import referenced_assets
from .config import OPTION_NAMES, parse_site_config
from .content import load_site
from .dates import now
from .errors import ContentErrors, FieldError
from .listings import build_listings
from .navigation import build_nav
from .render import SiteRenderer, wrap_tables
from .images import rewrite_img_tags
from .media import image_sources, prepare_media
from .search_index import build_search_index
from .swap import SiteSwap

log = logging.getLogger("mkdocs.plugins.town")


class TownPlugin(BasePlugin):
    """Reads content/ into the site model and adds listings, calendar, feeds and open data."""

    config_scheme = (("enabled", config_options.Type(bool, default=True)),) + tuple(
        (name, config_options.Type(object, default=None)) for name in OPTION_NAMES
    )

    def __init__(self):
        self.command: str | None = None
        self.swap: SiteSwap | None = None

    def on_startup(self, *, command, dirty):
        self.command = command

    def on_config(self, config):
        if not self.config["enabled"]:
            return config
        if not config.site_url:
            raise PluginError("mkdocs.yml に site_url（公開するサイトの URL）を設定してください")
        options = {k: v for k, v in self.config.items() if k != "enabled" and v is not None}
        preview = self.command == "serve"
        try:
            self.site = load_site(Path(config.docs_dir), parse_site_config(options), now(), preview)
        except (ContentErrors, FieldError) as error:
            raise PluginError(_report(error)) from None
        for warning in self.site.warnings:
            log.warning(str(warning))
        self.listings = {listing.src: listing for listing in build_listings(self.site)}
        self.renderer = SiteRenderer(self.site, config.site_url)
        self.by_src = self.site.by_src()
        self.titles = {i.url: i.title for i in self.site.items} | {l.url: l.title for l in self.listings.values()}
        self.body_html: dict[str, str] = {}
        config.nav = build_nav(self.site)
        if self.command in ("build", "gh-deploy"):
            self.swap = SiteSwap(Path(config.site_dir))
            config.site_dir = str(self.swap.staging)
        return config

    def on_files(self, files: Files, *, config):
        if not self.config["enabled"]:
            return files
        for src in self._unpublished_files():
            files.remove(files.get_file_from_path(src))
        for src in image_sources(self.site):  # originals (EXIF, GPS) are never copied; links still resolve
            files.get_file_from_path(src).inclusion = InclusionLevel.EXCLUDED
        for listing in self.listings.values():
            files.append(File.generated(config, listing.src, content=""))
        cache = Path(config.config_file_path).parent / ".cache"
        try:
            self.media = prepare_media(self.site, Path(config.docs_dir), Path(config.site_dir), cache, config.site_name)
        except FieldError as error:
            raise PluginError(_report(error)) from None
        return files

    def _unpublished_files(self) -> set[str]:
        """Pages not yet (or no longer) public, and the files only they use."""
        assets = set(self.site.assets)
        hidden = self.site.hidden_items()
        private = set().union(*(referenced_assets(i, assets) for i in hidden)) if hidden else set()
        shown = set().union(*(referenced_assets(i, assets) for i in self.site.items if self.site.visible(i)))
        return ({i.src for i in hidden} | (private - shown)) - image_sources(self.site)

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config["enabled"]:
            return markdown
        listing = self.listings.get(page.file.src_uri)
        item = self.by_src.get(page.file.src_uri) if listing is None else None
        title = listing.title if listing else item.title if item else None
        if title is not None:
            page.title = page.meta["title"] = html.escape(title)  # Material prints titles raw
        return markdown

    def on_page_content(self, html_text, *, page, config, files):
        if not self.config["enabled"]:
            return html_text
        src = page.file.src_uri
        if src in self.listings:  # bulletin covers become responsive pictures too
            return rewrite_img_tags(self.renderer.listing(self.listings[src]), page.url, self.media.images)
        item = self.by_src.get(src)
        if item is None:
            return html_text
        extra = self.renderer.home() if src == "index.md" else ""
        html_text = rewrite_img_tags(self.renderer.item_header(item) + wrap_tables(html_text), page.url, self.media.images)
        self.body_html[src] = html_text
        return html_text + extra

    def on_page_context(self, context, *, page, config, nav):
        if self.config["enabled"]:
            src = page.file.src_uri
            context["town"] = seo.page_info(
                self.site, config.site_url, page.url, self.by_src.get(src), self.listings.get(src),
                self.renderer.alert_banner(page.url), config.site_description or "", self.titles,
                self.media.card_for(self.by_src.get(src)),
            )
        return context

    @event_priority(-100)  # after MkDocs and Material have written their files
    def on_post_build(self, *, config):
        if self.config["enabled"]:
            outputs.write_all(self.site, config.site_url, Path(config.site_dir), self.body_html)
            try:
                build_search_index(Path(config.site_dir))
            except FieldError as error:
                raise PluginError(str(error)) from None
            if self.swap:
                self.swap.ready = True

    def on_build_error(self, *, error):
        if self.swap:
            self.swap.ready = False

    def on_shutdown(self):
        if self.swap:
            self.swap.finish()
            self.swap = None


def _report(error: Exception) -> str:
    problems = error.errors if isinstance(error, ContentErrors) else [str(error)]
    count = sum(not getattr(p, "is_warning", False) for p in problems)
    lines = "\n".join(f"  {p}" for p in problems)
    return f"コンテンツに {count} 件の問題があります。直してからもう一度ビルドしてください:\n{lines}"
