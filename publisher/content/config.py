"""The town plugin's options, declared once: MkDocs validates nothing of ours, this module does.

The same schema serves the MkDocs plugin (options under `plugins: - town:` in mkdocs.yml)
and the command line, which reads mkdocs.yml itself.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

import yaml

from .errors import ContentError, ContentErrors
from .frontmatter import explain_yaml
from .house_rules import RULES, SEVERITIES
from .sns_settings import Syndication, parse_syndication

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLUGIN_NAME = "town"


@dataclass(frozen=True)
class Category:
    slug: str = field(metadata={"doc": "ASCII slug used in URLs and front matter, e.g. kurashi"})
    label: str = field(metadata={"doc": "Japanese label shown to residents, e.g. くらし・手続き"})


@dataclass(frozen=True)
class Office:
    name: str = field(default="", metadata={"doc": "Office name, e.g. 甘楽町役場"})
    address: str = field(default="", metadata={"doc": "Postal address shown in the footer"})
    phone: str = field(default="", metadata={"doc": "Main phone number"})
    hours: str = field(default="", metadata={"doc": "Opening hours (開庁時間)"})


@dataclass(frozen=True)
class Admin:
    """The form-based editor at /admin/ (Decap CMS); `admin: true` is short for `admin: {enabled: true}`."""

    enabled: bool = field(
        default=False, metadata={"doc": "Build the editor into site/admin/ (needs `npm ci`)"}
    )
    auth_url: str = field(
        default="",
        metadata={
            "doc": "Address of the OAuth client that logs staff in to GitHub (Decap's base_url), "
            "e.g. https://cms-auth.town.example; empty: Netlify's, for a site registered there"
        },
    )
    auth_endpoint: str = field(
        default="", metadata={"doc": "Path of the login on auth_url (Decap's auth_endpoint; default auth)"}
    )
    netlify_site: str = field(
        default="",
        metadata={
            "doc": "With Netlify's OAuth (auth_url empty) while the site is hosted elsewhere: the Netlify site "
            "holding the GitHub OAuth app, e.g. kanra-cms.netlify.app (Decap's site_domain)"
        },
    )
    local_backend: str = field(
        default="http://localhost:8081/api/v1",
        metadata={
            "doc": "Where the editor finds `npx decap-server` when opened from localhost (trying it on a PC)"
        },
    )


@dataclass(frozen=True)
class HouseRules:
    """Severity of each accessibility house rule: the defaults, with the choices made in mkdocs.yml."""

    chosen: tuple[tuple[str, str], ...] = ()  # (rule, "warning" | "error"); a tuple keeps the config hashable

    def severity(self, rule: str) -> str:
        return dict(self.chosen).get(rule, RULES[rule])


@dataclass(frozen=True)
class SiteConfig:
    town_name: str = field(metadata={"doc": "Town name, e.g. 甘楽町"})
    categories: tuple[Category, ...] = field(
        metadata={"doc": "Declared categories; front matter may use only these"}
    )
    municipality_code: str = field(
        default="", metadata={"doc": "6-digit 全国地方公共団体コード for open data"}
    )
    corporate_number: str = field(default="", metadata={"doc": "13-digit 法人番号 of the town for open data"})
    office: Office = field(default_factory=Office, metadata={"doc": "Town office contact for the footer"})
    news_per_page: int = field(default=10, metadata={"doc": "News items per listing page"})
    card_days: int = field(
        default=365,
        metadata={
            "doc": "Social cards are drawn for posts published within this many days and for coming events; "
            "older pages share the site's card (drawing a card per post of a ten-year archive costs minutes)"
        },
    )
    home_news: int = field(default=5, metadata={"doc": "Latest news shown on the home page"})
    home_events: int = field(default=5, metadata={"doc": "Upcoming events shown on the home page"})
    feed_items: int = field(default=50, metadata={"doc": "Newest items in each RSS/Atom feed"})
    sample_content: bool = field(
        default=False, metadata={"doc": "Show a notice that the content is a sample"}
    )
    bulletin_name: str = field(
        default="広報", metadata={"doc": "Name of the paper bulletin, e.g. 広報かんら"}
    )
    house_rules: HouseRules = field(
        default_factory=HouseRules,
        metadata={
            "doc": "Accessibility house rules (JIS X 8341-3) as `rule: warning` or `rule: error`, e.g. `vague-link: error`; "
            "rules not named keep their default (image-alt: error, the others: warning). Warnings do not stop the build"
        },
    )

    admin: Admin = field(
        default_factory=Admin,
        metadata={
            "doc": "The form-based editor at /admin/: `admin: true`, or enabled, auth_url, auth_endpoint, netlify_site, local_backend "
            "(see Admin above)"
        },
    )
    syndication: Syndication = field(
        default_factory=Syndication,
        metadata={
            "doc": "SNS cross-posting: channels, per_hour, reminder_days, templates, hashtags, site_hashtags, ledger "
            "(see publisher/content/sns_settings.py); credentials come only from the environment"
        },
    )

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)


OPTION_NAMES = tuple(f.name for f in fields(SiteConfig))


def parse_site_config(options: dict, source: str = "mkdocs.yml") -> SiteConfig:
    """Validate the plugin options; raise ContentErrors listing every problem."""
    errors: list[ContentError] = []
    config = _build(SiteConfig, options or {}, f"plugins.{PLUGIN_NAME}", source, errors)
    if config is not None:
        _check_categories(config, source, errors)
    if errors:
        raise ContentErrors(errors)
    return config


def _build(cls, values, where: str, source: str, errors: list[ContentError]):
    if not isinstance(values, dict):
        errors.append(ContentError(source, 0, f"{where} は「項目名: 値」の形で書いてください"))
        return None
    known = {f.name: f for f in fields(cls)}
    for name in values:
        if name not in known:
            errors.append(ContentError(source, 0, f"{where}.{name} という設定項目はありません"))
    kwargs = {}
    for name, spec in known.items():
        if name in values and values[name] is not None:
            kwargs[name] = _convert(spec.type, values[name], f"{where}.{name}", source, errors)
        elif spec.default is MISSING and spec.default_factory is MISSING:
            errors.append(
                ContentError(source, 0, f"{where}.{name} を設定してください（{spec.metadata['doc']}）")
            )
    if any(value is None for value in kwargs.values()) or len(errors):
        return None
    return cls(**kwargs)


def _convert(type_name: str, value, where: str, source: str, errors: list[ContentError]):
    nested = {"Office": Office, "Category": Category, "Admin": Admin}
    if type_name == "Admin" and isinstance(value, bool):
        return Admin(enabled=value)
    if type_name in nested:
        return _build(nested[type_name], value, where, source, errors)
    if type_name == "HouseRules":
        return _house_rules(value, where, source, errors)
    if type_name == "Syndication":
        return parse_syndication(value, where, source, errors)
    if type_name.startswith("tuple["):
        if not isinstance(value, list):
            errors.append(ContentError(source, 0, f"{where} は一覧（- で始まる行）で書いてください"))
            return None
        item_type = type_name[len("tuple[") :].split(",")[0]
        items = [_convert(item_type, v, f"{where}[{i}]", source, errors) for i, v in enumerate(value)]
        return tuple(items)
    expected = {"str": str, "int": int, "bool": bool}[type_name]
    if expected is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        errors.append(ContentError(source, 0, f"{where} の値「{value}」が正しくありません"))
        return None
    return value


def _house_rules(value, where: str, source: str, errors: list[ContentError]) -> HouseRules | None:
    if not isinstance(value, dict):
        errors.append(
            ContentError(source, 0, f"{where} は「規則名: warning」か「規則名: error」の形で書いてください")
        )
        return None
    before = len(errors)
    for rule, severity in value.items():
        if rule not in RULES:
            close = difflib.get_close_matches(str(rule), list(RULES), n=1, cutoff=0.6)
            hint = f"（{close[0]} の書き間違いではありませんか）" if close else ""
            errors.append(
                ContentError(
                    source, 0, f"{where}.{rule} という規則はありません{hint}。使える規則: {'、'.join(RULES)}"
                )
            )
        elif severity not in SEVERITIES:
            errors.append(
                ContentError(
                    source,
                    0,
                    f"{where}.{rule} の値「{severity}」は使えません。"
                    "warning（警告）か error（エラー）を書いてください",
                )
            )
    return HouseRules(tuple(value.items())) if len(errors) == before else None


def _check_categories(config: SiteConfig, source: str, errors: list[ContentError]) -> None:
    seen: set[str] = set()
    for category in config.categories:
        if not SLUG.match(category.slug):
            errors.append(
                ContentError(
                    source,
                    0,
                    f"分類のスラッグ「{category.slug}」は半角英小文字・数字・ハイフンで書いてください",
                )
            )
        if category.slug in seen:
            errors.append(ContentError(source, 0, f"分類のスラッグ「{category.slug}」が2回宣言されています"))
        seen.add(category.slug)


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
