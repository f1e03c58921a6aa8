"""The town plugin's options, declared once: MkDocs validates nothing of ours, this module does
(with the reader in options.py that front matter uses too).

The same schema serves the MkDocs plugin (options under `plugins: - town:` in mkdocs.yml)
and the command line, which reads mkdocs.yml itself.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import ERROR, WARNING, ContentError, ContentErrors, FieldError
from .frontmatter import explain_yaml
from .home_links import Home, Link, read_home, read_links
from .house_rules import RULES
from .kana import align, has_kanji, hiragana, is_kana
from .options import (
    Predicate,
    Problem,
    at_least,
    boolean,
    dotted,
    list_of,
    mapping_of,
    matching,
    one_of,
    option,
    problems_of,
    record,
    text,
    unknown,
)
from .sns_settings import Syndication, parse_syndication

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLUGIN_NAME = "town"
SEVERITY_LABELS = {WARNING: "警告", ERROR: "エラー"}


read_slug = matching(
    SLUG, lambda slug: f"「{slug}」は半角英小文字・数字・ハイフンで書いてください（例: kurashi）"
)


@dataclass(frozen=True)
class Category:
    slug: str = option(read_slug, "ASCII slug used in URLs and front matter, e.g. kurashi")
    label: str = option(text, "Japanese label shown to residents, e.g. くらし・手続き")


def _unique(kind: str, found: tuple) -> tuple:
    slugs = [entry.slug for entry in found]
    twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if twice:
        raise FieldError(
            f"スラッグ{''.join(f'「{slug}」' for slug in twice)}の{kind}が2回以上宣言されています"
        )
    return found


def read_categories(values) -> tuple[Category, ...]:
    return _unique("分類", list_of(record(Category))(values))


def web_address(value) -> str:
    address = text(value)
    if not re.match(r"https?://[^\s\"'<>]+$", address):
        raise FieldError(f"「{address}」は https:// で始まるアドレスで書いてください")
    return address


@dataclass(frozen=True)
class Department:
    """Who residents ask about a page: renaming or merging a department is one change here."""

    slug: str = option(read_slug, "ASCII slug used in front matter (`department: somu`)")
    name: str = option(text, "Name shown to residents, e.g. 総務課")
    phone: str = option(text, "Phone number, e.g. 0274-74-3131", "")
    fax: str = option(text, "Fax number", "")
    email: str = option(text, "Mail address", "")
    form_url: str = option(web_address, "Address of an inquiry form, besides or instead of mail", "")
    hours: str = option(text, "Opening hours, when they differ from the office's", "")
    place: str = option(text, "Where it is, e.g. 役場1階", "")


def read_departments(values) -> tuple[Department, ...]:
    return _unique("担当課", list_of(record(Department))(values))


@dataclass(frozen=True)
class Office:
    name: str = option(text, "Office name, e.g. 甘楽町役場", "")
    address: str = option(text, "Postal address shown in the footer", "")
    phone: str = option(text, "Main phone number", "")
    hours: str = option(text, "Opening hours (開庁時間)", "")


@dataclass(frozen=True)
class Admin:
    """The form-based editor at /admin/ (Decap CMS); `admin: true` is short for `admin: {enabled: true}`."""

    enabled: bool = option(boolean, "Build the editor into site/admin/ (needs `npm ci`)", False)
    auth_url: str = option(
        text,
        "Address of the OAuth client that logs staff in to GitHub (Decap's base_url), "
        "e.g. https://cms-auth.town.example; empty: Netlify's, for a site registered there",
        "",
    )
    auth_endpoint: str = option(
        text, "Path of the login on auth_url (Decap's auth_endpoint; default auth)", ""
    )
    netlify_site: str = option(
        text,
        "With Netlify's OAuth (auth_url empty) while the site is hosted elsewhere: the Netlify site "
        "holding the GitHub OAuth app, e.g. kanra-cms.netlify.app (Decap's site_domain)",
        "",
    )
    local_backend: str = option(
        text,
        "Where the editor finds `npx decap-server` when opened from localhost (trying it on a PC)",
        "http://localhost:8081/api/v1",
    )
    url: str = option(
        text,
        "The editor's own address, on another origin than the site (a subdomain such as "
        "https://admin.town.example/, or a second Pages site): a build then writes it into "
        "admin-site/ beside site/, and never into the public site, whose pages could otherwise "
        "read the editors' GitHub tokens. Empty: site/admin/ (only for trying it out)",
        "",
    )


def read_admin(value) -> Admin:
    return Admin(enabled=value) if isinstance(value, bool) else record(Admin)(value)


def read_synonyms(values) -> tuple[str, ...]:
    """One group of words the site search treats as one."""
    words = tuple(dict.fromkeys(word for word in list_of(text)(values) if word))
    if len(words) < 2:
        raise FieldError("同じ意味で探す言葉を2つ以上、[引越し, 引っ越し, 転居] のように書いてください")
    return words


def rule_name(value) -> str:
    if value not in RULES:
        raise Predicate(unknown(value, RULES, "規則", listed=True))
    return value


@dataclass(frozen=True)
class HouseRules:
    """Severity of each accessibility house rule: the defaults, with the choices made in mkdocs.yml."""

    chosen: tuple[tuple[str, str], ...] = ()  # (rule, "warning" | "error"); a tuple keeps the config hashable

    def severity(self, rule: str) -> str:
        return dict(self.chosen).get(rule, RULES[rule])


def read_house_rules(values) -> HouseRules:
    severity = one_of(SEVERITY_LABELS)
    return HouseRules(mapping_of(rule_name, severity, "「規則名: warning」か「規則名: error」")(values))


def read_word(value) -> str:
    word = text(value)
    if not has_kanji(word):
        raise FieldError(f"「{word}」には漢字がありません（ふりがなは漢字にだけ付きます）")
    return word


def read_readings(values) -> tuple[tuple[str, str], ...]:
    """`readings:` as (word, hiragana) pairs; the word's kana must be found in its reading."""
    pairs = mapping_of(read_word, text, "「漢字の語: よみがな」")(values)
    for word, reading in pairs:
        if not is_kana(reading):
            raise FieldError(f"{word} の読み「{reading}」は、ひらがなかカタカナで書いてください")
        if align(word, reading) is None:
            raise FieldError(f"{word} の読み「{reading}」が語のかなと合いません（例: 引っ越し: ひっこし）")
    return tuple((word, hiragana(reading)) for word, reading in pairs)


@dataclass(frozen=True)
class SiteConfig:
    town_name: str = option(text, "Town name, e.g. 甘楽町")
    categories: tuple[Category, ...] = option(
        read_categories, "Declared categories; front matter may use only these"
    )
    municipality_code: str = option(text, "6-digit 全国地方公共団体コード for open data", "")
    corporate_number: str = option(text, "13-digit 法人番号 of the town for open data", "")
    office: Office = option(record(Office), "Town office contact for the footer", Office())
    departments: tuple[Department, ...] = option(
        read_departments,
        "Departments pages name with `department:` (slug, name, phone, fax, email, form_url, hours, "
        "place); a page without one names the office. Its お問い合わせ box and the open data use them",
        (),
    )
    news_per_page: int = option(at_least(1), "News items per listing page", 10)
    card_days: int = option(
        at_least(0),
        "Social cards are drawn for posts published within this many days and for coming events; "
        "older pages share the site's card (drawing a card per post of a ten-year archive costs minutes)",
        365,
    )
    home: Home = option(
        read_home,
        "The home page's entries: purposes (label, target, icon) and procedures (label, target), "
        "targets being pages under content/ or https:// addresses (see home_links.py)",
        Home(),
    )
    footer_links: tuple[Link, ...] = option(
        read_links, "Links in every page's footer (label, target), e.g. the アクセシビリティ方針", ()
    )
    home_news: int = option(at_least(0), "Latest news shown on the home page", 5)
    home_events: int = option(at_least(0), "Upcoming events shown on the home page", 5)
    feed_items: int = option(at_least(1), "Newest items in each RSS/Atom feed", 50)
    sample_content: bool = option(boolean, "Show a notice that the content is a sample", False)
    bulletin_name: str = option(text, "Name of the paper bulletin, e.g. 広報かんら", "広報")
    search_synonyms: tuple[tuple[str, ...], ...] = option(
        list_of(read_synonyms),
        "Groups of words the site search treats as one, e.g. [引越し, 引っ越し, 転居]: a query with one "
        "also finds the pages of the others. Spellings that differ only in kana, width or ー need no "
        "group (ゴミ, ごみ and ｺﾞﾐ are folded alike, see publisher/outputs/fold.py)",
        (),
    )
    house_rules: HouseRules = option(
        read_house_rules,
        "Accessibility house rules (JIS X 8341-3) as `rule: warning` or `rule: error`, e.g. `vague-link: error`; "
        "rules not named keep their default (image-alt: error, the others: warning). Warnings do not stop the build",
        HouseRules(),
    )
    admin: Admin = option(
        read_admin,
        "The form-based editor at /admin/: `admin: true`, or enabled, auth_url, auth_endpoint, netlify_site, "
        "local_backend (see Admin above)",
        Admin(),
    )
    readings: tuple[tuple[str, str], ...] = option(
        read_readings,
        "ふりがな: readings of words the dictionary reads wrongly (place and facility names), as "
        "`word: reading` in kana, e.g. 楽山園: らくさんえん; used before the dictionary, longest word first",
        (),
    )
    syndication: Syndication = option(
        parse_syndication,
        "SNS cross-posting: channels, per_hour, reminder_days, templates, hashtags, site_hashtags, ledger "
        "(see publisher/content/sns_settings.py); credentials come only from the environment",
        Syndication(),
    )

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def department(self, slug: str) -> Department | None:
        return next((d for d in self.departments if d.slug == slug), None)


OPTION_NAMES = tuple(f.name for f in fields(SiteConfig))


def parse_site_config(options: dict, source: str = "mkdocs.yml") -> SiteConfig:
    """Validate the plugin options; raise ContentErrors listing every problem."""
    config, problems = problems_of(record(SiteConfig), options or {})
    if problems:
        raise ContentErrors([ContentError(source, 0, _said(problem)) for problem in problems])
    return config


def _said(problem: Problem) -> str:
    """A problem as it reads in mkdocs.yml: `plugins.town.categories（2番目）.slug: …`."""
    return problem.said_after(".".join(filter(None, (f"plugins.{PLUGIN_NAME}", dotted(problem.at)))))


@dataclass(frozen=True)
class Project:
    """What the command line needs from mkdocs.yml, read without importing MkDocs."""

    root: Path
    content_dir: Path
    site_dir: Path
    site_url: str
    site: SiteConfig


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry tags such as !ENV or !!python/name; ignore them here."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_project(config_file: Path) -> Project:
    """Read mkdocs.yml and the town plugin's options."""
    if not config_file.is_file():
        raise ContentErrors([ContentError(str(config_file), 0, "設定ファイルが見つかりません")])
    text = config_file.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_TolerantLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line_text = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        message = f"設定ファイルの書き方が正しくありません: {explain_yaml(error, line_text)}"
        raise ContentErrors([ContentError(config_file.name, mark.line + 1 if mark else 0, message)]) from None
    options = _plugin_options(data.get("plugins") or [])
    if options is None:
        raise ContentErrors([ContentError(config_file.name, 0, f"plugins に {PLUGIN_NAME} がありません")])
    root = config_file.parent
    return Project(
        root=root,
        content_dir=root / data.get("docs_dir", "docs"),
        site_dir=root / data.get("site_dir", "site"),
        site_url=_directory_url(data.get("site_url") or ""),
        site=parse_site_config(options, config_file.name),
    )


PREVIEW_VARIABLE = "PUBLISHER_PREVIEW_URL"


def served_site_url(site_url: str, admin_url: str) -> str:
    """The address the build is for: `site_url`, or a pull request's preview address when
    PUBLISHER_PREVIEW_URL is set (the pull-request workflow sets it for its build only)."""
    return preview_url(os.environ.get(PREVIEW_VARIABLE, ""), site_url, admin_url) or site_url


def preview_url(value: str, site_url: str, admin_url: str) -> str:
    """A preview's address ("" for none): https, and on neither the public site's origin nor the
    editor's, so a preview never stands in for the town's pages nor reads an editor's login."""
    url = _directory_url(value.strip())
    if not url:
        return ""
    if urlsplit(url).scheme != "https" or not urlsplit(url).netloc:
        raise FieldError(f"プレビューのアドレス {PREVIEW_VARIABLE}（{value}）は https:// で始めてください")
    for name, other in (("公開するサイト（site_url）", site_url), ("管理画面（admin: url）", admin_url)):
        if other and _origin(url) == _origin(other):
            raise FieldError(
                f"プレビューのアドレス（{url}）が{name}（{other}）と同じ場所（オリジン）です。"
                "プレビューには別のサブドメインか別の Pages サイトのアドレスを使ってください"
            )
    return url


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _directory_url(url: str) -> str:
    """`site_url` ends with a slash, as MkDocs makes it: without one, joining a page's path to
    https://example.github.io/town would drop the "town" part from every SNS link."""
    return url if not url or url.endswith("/") else url + "/"


def _plugin_options(plugins) -> dict | None:
    entries = (
        plugins.items()
        if isinstance(plugins, dict)
        else [next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins]
    )
    for name, options in entries:
        if name == PLUGIN_NAME:
            return options or {}
    return None
