"""The form-based editor at /admin/ (Decap CMS), generated from the schema the checker uses.

`admin_files()` is pure: the town's config, the repository named in mkdocs.yml and the page
sections under content/ give Decap's `config.yml` and the page that loads Decap, so the form
offers exactly the fields `publisher check` accepts. `write_admin()` puts them into site/admin/
with Decap's script, copied from node_modules (installed by `npm ci`, never from a CDN).
"""
from __future__ import annotations

import json
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from ..content.config import SiteConfig
from ..content.errors import FieldError
from ..content.model import Site
from ..content.schema import ALERT, ALERT_LEVELS, BULLETIN, BULLETIN_FOLDER, EVENT, FIELDS_BY_NAME, NEWS, PAGE, FieldSpec, fields_for
from ..content.sns_settings import CHANNEL_LABELS, IMAGE_CHOICES

DECAP_DIST = Path("node_modules/decap-cms/dist")
# Decap's own licence (MIT); the package keeps it only in its sibling packages.
DECAP_LICENCES = ("decap-cms/LICENSE", "decap-cms-core/LICENSE", "decap-cms-app/LICENSE", "decap-cms-locales/LICENSE")
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # node_modules of the checkout the publisher runs from
TEMPLATES = Path(__file__).parent  # admin.html: the page that loads Decap

# dayjs format of every date field: `2026-12-05 10:00`, no offset, so publisher.dates reads it as Japan time.
DATE_FORMAT = "YYYY-MM-DD HH:mm"
MEDIA_FOLDER = "images"  # under content/
# File names: the item's date as written, then -1, -2 … when taken (Decap adds the number), like
# `publisher new`. Pages may have no date: Decap's {{year}}… are then today's date (in UTC).
DATED_SLUG = "{{fields.date | date('YYYY-MM-DD')}}"
PAGE_SLUG = "{{year}}-{{month}}-{{day}}"
# news/YYYY/: Decap's `path` takes no field filters, and its {{year}} is the date's year in UTC, so
# an item dated 1 January before 9:00 goes into the previous year's folder (the checker accepts any year).
YEAR_FOLDER = "{{year}}/{{slug}}"

# Schema fields the form does not offer, and why (tests/test_admin_config.py holds the form to this list).
OMITTED = {
    "hide": "Material の部品（目次・メニュー）を隠す保守担当者向けの設定で、ファイルに直接書くもの",
}
# Kinds without a collection, and why.
OMITTED_KINDS = {
    BULLETIN: "広報紙の号は publisher bulletin import が作り、職員は GitHub の変更の提案で確かめるもの",
}
# Conditions the schema checks across fields, checked again in the form before saving.
REQUIRED_WITH = {"image_alt": "image"}  # field: the field that makes it required

HINTS = {
    "date": "一覧や SNS に表示される掲載日です。",
    "summary": "一、二文で書きます。省略すると本文の最初の段落が使われます。",
    "categories": "一つ以上選びます。",
    "image": "記事の先頭に表示される写真です。",
    "image_alt": "画像を選んだときは必ず書きます。画像が見えない方に読み上げられる説明です（例: 祭りの山車と見物の人々）。",
    "draft": "オンにすると、サイトにも SNS にも出ません。",
    "publish_at": "この日時になるまで公開されません（公開予約）。",
    "expire_at": "この日時を過ぎると掲載を終わります。",
    "order": "メニューでの並び順（小さい数ほど上）。",
    "start": "開催日が一日だけのときに入力します。複数の日に開くときは「開催日の一覧」を使います。",
    "end": "同じ日に終わるときも日付と時刻を入力します。",
    "dates": "同じイベントを複数の日に開くときだけ使います（開始日時・終了日時は空にします）。",
    "level": "緊急は避難など命に関わる情報、注意は生活への影響、お知らせはそれ以外です。",
    "sns": "空のままで構いません。投稿の文面を変える、投稿しないチャンネルを選ぶときに使います。",
}
# Decap 3.16's Japanese translation lacks these (checked against its English one); admin.html adds them.
JA_PHRASES = {
    "editor.editorWidgets.list.add": "%{item}を追加",
    "editor.editorWidgets.list.addType": "%{item}を追加",
    "editor.editorWidgets.object.expand": "開く",
    "editor.editorWidgets.object.collapse": "閉じる",
    "editor.editorWidgets.markdown.strikethrough": "取り消し線",
    "editor.editorWidgets.markdown.toggleMode.rich": "リッチテキストに切り替える",
    "editor.editorWidgets.markdown.toggleMode.markdown": "マークダウンに切り替える",
    "editor.editorWidgets.datetime.setToNow": "%{fieldLabel}を現在時刻にする",
    "editor.editorInterface.toggleNotes": "メモの表示を切り替える",
    "collection.collectionTop.viewAsList": "一覧で表示",
    "collection.collectionTop.viewAsGrid": "並べて表示",
    "collection.entries.unpublishedHeader": "未公開のエントリ",
    "mediaLibrary.mediaLibraryModal.close": "閉じる",
}
SNS_IMAGE_LABELS = {"card": "SNS 用の画像（自動で作成）", "photo": "記事の写真", "none": "画像なし"}


@dataclass(frozen=True)
class Repository:
    """Where the content lives, from mkdocs.yml: repo_url, edit_uri, and the folders."""

    url: str
    edit_uri: str
    root: Path  # the folder of mkdocs.yml: the repository root
    content_dir: Path

    @classmethod
    def of(cls, mkdocs_config) -> Repository:
        """From MkDocs' config (read by attribute: this module does not import MkDocs)."""
        return cls(mkdocs_config.repo_url or "", mkdocs_config.edit_uri or "",
                   Path(mkdocs_config.config_file_path).parent, Path(mkdocs_config.docs_dir))


@dataclass(frozen=True)
class Section:
    """A folder of guide pages under content/ ("" is content/ itself, with the home page)."""

    folder: str
    title: str


@dataclass(frozen=True)
class AdminFiles:
    config: dict  # Decap's configuration as data
    config_yml: str
    index_html: str


def admin_files(config: SiteConfig, repo: Repository, sections: tuple[Section, ...], site_url: str) -> AdminFiles:
    """Decap's config.yml and index.html for this town; FieldError when repo_url is not a GitHub repository."""
    content = _content_folder(repo)
    settings = {
        "backend": _backend(repo) | _backend_auth(config),
        "local_backend": {"url": config.admin.local_backend},
        "locale": "ja",
        "site_url": site_url,
        "display_url": site_url,
        # Every change becomes a pull request that a colleague reviews; merging publishes it.
        "publish_mode": "editorial_workflow",
        "media_folder": f"{content}/{MEDIA_FOLDER}",
        "public_folder": f"/{MEDIA_FOLDER}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": _collections(config, content, sections),
    }
    header = ("# Made by publisher/outputs/admin.py from publisher/content/schema.py and mkdocs.yml at every build.\n"
              "# Change those, not this file.\n")
    text = header + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=10**6)
    return AdminFiles(settings, text, _index_html(config))


def page_sections(site: Site) -> tuple[Section, ...]:
    """Folders holding guide pages, in menu order (the `order` of their index.md, then the name)."""
    by_src = site.by_src()
    folders = {posixpath.dirname(i.src) for i in site.items
               if i.kind == PAGE and i.src.split("/")[0] != BULLETIN_FOLDER}
    sections = []
    for folder in folders:
        index = by_src.get(f"{folder}/index.md" if folder else "index.md")
        order = getattr(index, "order", None)
        title = "トップページと content 直下のページ" if not folder else (index.title if index else folder)
        sections.append(((folder != "", order is None, order or 0, folder), Section(folder, title)))
    return tuple(section for _, section in sorted(sections, key=lambda pair: pair[0]))


def write_admin(site: Site, repo: Repository, site_url: str, out_dir: Path) -> list[Path]:
    """Write site/admin/ when the town config enables it; FieldError (Japanese) when Decap is not installed."""
    if not site.config.admin.enabled:
        return []
    dist = find_decap(repo.root)
    if dist is None:
        raise FieldError("フォーム編集画面（/admin/）に使う Decap CMS が見つかりません。"
                         "`npm ci`（または `make site`）を実行してから、もう一度ビルドしてください"
                         "（使わないときは mkdocs.yml の admin: true を外します）")
    files = admin_files(site.config, repo, page_sections(site), site_url)
    folder = out_dir / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "config.yml", folder / "index.html", folder / "LICENSE.txt"]
    written[0].write_text(files.config_yml, encoding="utf-8")
    written[1].write_text(files.index_html, encoding="utf-8")
    written[2].write_text(_licence(dist), encoding="utf-8")
    # The bundle loads its chunks and WebAssembly from beside itself.
    for path in sorted(dist.iterdir()):
        if path.name.endswith(("decap-cms.js", ".wasm")) or path.name == "decap-cms.js.LICENSE.txt":
            shutil.copyfile(path, folder / path.name)
            written.append(folder / path.name)
    return written


def find_decap(root: Path) -> Path | None:
    """node_modules/decap-cms/dist beside mkdocs.yml (or above it), else beside this checkout."""
    for folder in (root, *root.parents, PACKAGE_ROOT):
        if (folder / DECAP_DIST / "decap-cms.js").is_file():
            return folder / DECAP_DIST
    return None


def decap_version(dist: Path) -> str:
    return json.loads((dist.parent / "package.json").read_text(encoding="utf-8"))["version"]


def _licence(dist: Path) -> str:
    modules = dist.parent.parent
    text = next(((modules / name).read_text(encoding="utf-8") for name in DECAP_LICENCES if (modules / name).is_file()), "")
    return (f"Decap CMS {decap_version(dist)} (https://decapcms.org/), MIT License.\n"
            "Licences of the libraries bundled in decap-cms.js: decap-cms.js.LICENSE.txt\n\n" + text)


def _content_folder(repo: Repository) -> str:
    try:
        return repo.content_dir.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        raise FieldError("フォーム編集画面（admin）: docs_dir は mkdocs.yml のあるフォルダの中にしてください") from None


def _backend(repo: Repository) -> dict:
    match = re.match(r"^https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", repo.url or "")
    if not match:
        raise FieldError("フォーム編集画面（admin）を使うには、mkdocs.yml の repo_url に GitHub のリポジトリの URL を書いてください"
                         "（例: https://github.com/town/site）")
    parts = [p for p in (repo.edit_uri or "").split("/") if p]
    branch = parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob", "tree") else "main"
    return {
        "name": "github",
        "repo": f"{match[1]}/{match[2]}",
        "branch": branch,
        "commit_messages": {
            "create": "{{collection}}「{{slug}}」を作成",
            "update": "{{collection}}「{{slug}}」を更新",
            "delete": "{{collection}}「{{slug}}」を削除",
            "uploadMedia": "画像「{{path}}」を追加",
            "deleteMedia": "画像「{{path}}」を削除",
        },
    }


def _backend_auth(config: SiteConfig) -> dict:
    auth = {}
    if config.admin.auth_url:
        auth["base_url"] = config.admin.auth_url
    if config.admin.auth_endpoint:
        auth["auth_endpoint"] = config.admin.auth_endpoint
    if config.admin.netlify_site:
        auth["site_domain"] = config.admin.netlify_site
    return auth


def _collections(config: SiteConfig, content: str, sections: tuple[Section, ...]) -> list[dict]:
    posts = [
        _collection(config, NEWS, "news", "お知らせ", content, "news", path=YEAR_FOLDER),
        _collection(config, EVENT, "events", "イベント", content, "events", path=YEAR_FOLDER),
        _collection(config, ALERT, "alerts", "緊急・安全情報", content, "alerts"),
    ]
    pages = [_collection(config, PAGE, "page-" + (s.folder.replace("/", "-") or "top"), f"ページ: {s.title}",
                         content, s.folder)
             for s in sections]
    return posts + pages


def _collection(config: SiteConfig, kind: str, name: str, label: str, content: str, sub: str,
                path: str | None = None) -> dict:
    dated = kind != PAGE
    folder = posixpath.join(content, sub).rstrip("/")
    collection = {
        "name": name,
        "label": label,
        "label_singular": label.removeprefix("ページ: ") if dated else "ページ",
        "description": f"{folder}/ のファイル",
        "folder": folder,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "slug": DATED_SLUG if dated else PAGE_SLUG,
    }
    if path:
        collection["path"] = path
    # Every image goes to content/images/ and is written relative to the file, as in the sample
    # content (../../images/matsuri.jpg).
    entry_folder = posixpath.join(folder, "YYYY") if path else folder
    collection["media_folder"] = f"/{content}/{MEDIA_FOLDER}"
    collection["public_folder"] = posixpath.relpath(f"{content}/{MEDIA_FOLDER}", entry_folder)
    collection["summary"] = "{{title}}"
    title = {"field": "title", "label": FIELDS_BY_NAME["title"].label}
    collection["sortable_fields"] = [{"field": "date", "label": FIELDS_BY_NAME["date"].label, "default_sort": "desc"},
                                     title] if dated else [title]
    collection["view_filters"] = [{"label": "下書き", "field": "draft", "pattern": True}]
    # Decap's preview shows raw values (kanko, 2026-12-20 10:00); the real preview is the pull request's build.
    collection["editor"] = {"preview": False}
    collection["fields"] = form_fields(kind, config)
    return collection


def form_fields(kind: str, config: SiteConfig) -> list[dict]:
    """The form of one kind: every schema field it takes (but OMITTED), then the body."""
    fields = [_field(spec, kind, config) for spec in fields_for(kind) if spec.name not in OMITTED]
    return fields + [{"name": "body", "label": "本文", "widget": "markdown", "required": False}]


def _field(spec: FieldSpec, kind: str, config: SiteConfig) -> dict:
    field = {"name": spec.name, "label": spec.label, "required": kind in spec.required_for}
    field.update(_widget(spec, kind, config))
    if spec.name in HINTS:
        field["hint"] = HINTS[spec.name]
    return field


def _widget(spec: FieldSpec, kind: str, config: SiteConfig) -> dict:
    if spec.type == "text":
        return {"widget": "text" if spec.name == "summary" else "string"}
    if spec.type in ("when", "end"):
        widget = _datetime()
        if spec.name == "date" and kind in spec.required_for:
            widget["default"] = "{{now}}"
        return widget
    if spec.type == "bool":
        return {"widget": "boolean", "default": False}
    if spec.type == "int":
        return {"widget": "number", "value_type": "int"}
    if spec.type == "categories":
        widget = {"widget": "select", "multiple": True,
                  "options": [{"label": c.label, "value": c.slug} for c in config.categories]}
        return widget | ({"min": 1} if kind in spec.required_for else {})
    if spec.type == "path":
        return {"widget": "image", "choose_url": False}
    if spec.type == "level":
        return {"widget": "select", "options": [{"label": label, "value": value} for value, label in ALERT_LEVELS.items()]}
    if spec.type == "dates":
        return {"widget": "list", "label_singular": "開催日", "summary": "{{fields.start}}",
                "fields": [{"name": "start", "label": FIELDS_BY_NAME["start"].label, "required": True, **_datetime()},
                           {"name": "end", "label": FIELDS_BY_NAME["end"].label, "required": False, **_datetime()}]}
    if spec.type == "sns":
        return _sns()
    raise ValueError(f"no form widget for the schema type {spec.type!r} ({spec.name}); add one or list it in OMITTED")


def _datetime() -> dict:
    return {"widget": "datetime", "format": DATE_FORMAT, "picker_utc": False}


def _sns() -> dict:
    text = [{"name": channel, "label": label, "widget": "text", "required": False}
            for channel, label in CHANNEL_LABELS.items()]
    return {"widget": "object", "collapsed": True, "fields": [
        {"name": "text", "label": "チャンネルごとの文面（空なら自動）", "widget": "object", "required": False,
         "collapsed": True, "fields": text},
        {"name": "skip", "label": "投稿しないチャンネル", "widget": "select", "multiple": True, "required": False,
         "options": [{"label": label, "value": channel} for channel, label in CHANNEL_LABELS.items()]},
        {"name": "image", "label": "投稿に付ける画像", "widget": "select", "required": False,
         "options": [{"label": SNS_IMAGE_LABELS[choice], "value": choice} for choice in IMAGE_CHOICES]},
    ]}


def _form_rules() -> dict:
    """What admin.html checks before saving: conditions across fields, in the checker's words."""
    start, dates = FIELDS_BY_NAME["start"].label, FIELDS_BY_NAME["dates"].label
    return {
        "requiredWith": [[needed, when, f"{FIELDS_BY_NAME[needed].label}を書いてください（{FIELDS_BY_NAME[when].label}を選んだときは必須です）"]
                         for needed, when in REQUIRED_WITH.items()],
        "oneOf": {"events": ["start", "dates", f"{start}か{dates}を入力してください",
                             f"{start}と{dates}は一緒に使えません。どちらか一方にしてください"]},
    }


def _index_html(config: SiteConfig) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    return env.get_template("admin.html").render(town_name=config.town_name, rules=_form_rules(), phrases=JA_PHRASES)
