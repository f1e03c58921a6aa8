"""The form-based editor at /admin/ (Decap CMS), generated from the schema the checker uses.

`admin_files()` is pure: the town's config, the repository named in mkdocs.yml and the page
sections under content/ give Decap's `config.yml` and the page that loads Decap, so the form
offers exactly the fields `publisher check` accepts. `write_admin()` puts them into site/admin/
with Decap's script, copied from node_modules (installed by `npm ci`, never from a CDN).
"""

from __future__ import annotations

import base64
import json
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import yaml

from ..content.config import SiteConfig
from ..content.errors import FieldError
from ..content.model import Site
from ..content.schema import BULLETIN_FOLDER, PAGE
from .admin_form import MEDIA_FOLDER, Section, collections
from .admin_rules import CONDITIONALLY_REQUIRED, FILE_NAME

DECAP_DIST = Path("node_modules/decap-cms/dist")
# Decap's own licence (MIT); the package keeps it only in its sibling packages.
DECAP_LICENCES = (
    "decap-cms/LICENSE",
    "decap-cms-core/LICENSE",
    "decap-cms-app/LICENSE",
    "decap-cms-locales/LICENSE",
)
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # node_modules of the checkout the publisher runs from
TEMPLATES = Path(__file__).parent  # admin.html (the page that loads Decap), admin.js, admin-logo.svg
SCRIPT = "town-admin.js"  # admin.js, beside index.html: the form's rules, the file name, the phrases
LOGO = "login-logo.svg"  # the crest and the town's name on the login screen
IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}

# Decap 3.16's Japanese translation lacks these (checked against its English one); the first two
# reword it for our form: one summary for any refusal at a field, and a pattern's own message
# shown as written (admin_rules.FILE_NAME_MESSAGE) instead of 「入力規則（…）と一致しません」.
JA_PHRASES = {
    "ui.toast.missingRequiredField": "保存できません。赤く示した項目の説明を読んで直してください。",
    "editor.editorControlPane.widget.regexPattern": "%{pattern}",
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


@dataclass(frozen=True)
class Repository:
    """Where the content lives, from mkdocs.yml: repo_url, edit_uri, and the folders."""

    url: str
    edit_uri: str
    root: Path  # the folder of mkdocs.yml: the repository root
    content_dir: Path
    crest: Path | None = None  # the theme's logo (the town crest), shown on the login screen

    @classmethod
    def of(cls, mkdocs_config) -> Repository:
        """From MkDocs' config (read by attribute: this module does not import MkDocs)."""
        theme = mkdocs_config.theme
        logo = theme.get("logo")
        folders = [Path(mkdocs_config.docs_dir), *([Path(theme.custom_dir)] if theme.custom_dir else [])]
        return cls(
            mkdocs_config.repo_url or "",
            mkdocs_config.edit_uri or "",
            Path(mkdocs_config.config_file_path).parent,
            Path(mkdocs_config.docs_dir),
            next((folder / logo for folder in folders if logo and (folder / logo).is_file()), None),
        )


@dataclass(frozen=True)
class AdminFiles:
    config: dict  # Decap's configuration as data
    config_yml: str
    index_html: str
    logo_svg: str


def admin_files(
    config: SiteConfig, repo: Repository, sections: tuple[Section, ...], site_url: str
) -> AdminFiles:
    """Decap's config.yml and index.html for this town; FieldError when repo_url is not a GitHub repository."""
    content = _content_folder(repo)
    settings = {
        "backend": _backend(repo) | _backend_auth(config),
        "local_backend": {"url": config.admin.local_backend},
        "locale": "ja",
        "logo": {"src": LOGO},
        "site_url": site_url,
        "display_url": site_url,
        # Every change becomes a pull request that a colleague reviews; merging publishes it.
        "publish_mode": "editorial_workflow",
        "media_folder": f"{content}/{MEDIA_FOLDER}",
        "public_folder": f"/{MEDIA_FOLDER}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(config, content, sections),
    }
    header = (
        "# Made by publisher/outputs/admin.py from publisher/content/schema.py and mkdocs.yml at every build.\n"
        "# Change those, not this file.\n"
    )
    text = header + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=10**6)
    return AdminFiles(settings, text, _index_html(config), _logo_svg(config, repo.crest))


def page_sections(site: Site) -> tuple[Section, ...]:
    """Folders holding guide pages, in menu order (the `order` of their index.md, then the name)."""
    by_src = site.by_src()
    folders = {
        posixpath.dirname(i.src)
        for i in site.items
        if i.kind == PAGE and i.src.split("/")[0] != BULLETIN_FOLDER
    }
    sections = []
    for folder in folders:
        index = by_src.get(f"{folder}/index.md" if folder else "index.md")
        order = getattr(index, "order", None)
        title = "トップページと content 直下のページ" if not folder else (index.title if index else folder)
        sections.append(((folder != "", order is None, order or 0, folder), Section(folder, title)))
    return tuple(section for _, section in sorted(sections, key=lambda pair: pair[0]))


ADMIN_SITE = "admin-site"  # the editor's own site, beside site/, when it has an origin of its own


def admin_folder(config: SiteConfig, repo: Repository, site_url: str, out_dir: Path, preview: bool) -> Path:
    """Where the editor goes: admin-site/ when it has its own address, else the site's admin/
    (and always in the local preview, where it is tried with decap-server)."""
    if not config.admin.url or preview:
        return out_dir / "admin"
    if _origin(config.admin.url) == _origin(site_url):
        raise FieldError(
            f"mkdocs.yml の admin: url（{config.admin.url}）がサイト（{site_url}）と同じ場所（オリジン）です。"
            "管理画面は別のサブドメインか別の Pages サイトのアドレスにしてください"
        )
    return repo.root / ADMIN_SITE


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.netloc or "").lower()


def write_admin(
    site: Site, repo: Repository, site_url: str, out_dir: Path, preview: bool = False
) -> list[Path]:
    """Write the editor when the town config enables it (see admin_folder); FieldError (Japanese)
    when Decap is not installed or its address is the site's."""
    if not site.config.admin.enabled:
        return []
    target = admin_folder(site.config, repo, site_url, out_dir, preview)
    dist = find_decap(repo.root)
    if dist is None:
        raise FieldError(
            "フォーム編集画面（/admin/）に使う Decap CMS が見つかりません。"
            "`npm ci`（または `make site`）を実行してから、もう一度ビルドしてください"
            "（使わないときは mkdocs.yml の admin: true を外します）"
        )
    files = admin_files(site.config, repo, page_sections(site), site_url)
    folder = target.with_name(f".{target.name}.building") if target.name == ADMIN_SITE else target
    if folder != target:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "config.yml": files.config_yml,
        "index.html": files.index_html,
        SCRIPT: (TEMPLATES / "admin.js").read_text(encoding="utf-8"),
        LOGO: files.logo_svg,
        "LICENSE.txt": _licence(dist),
    }
    written = [folder / name for name in texts]
    for path in written:
        path.write_text(texts[path.name], encoding="utf-8")
    # The bundle loads its chunks and WebAssembly from beside itself.
    for path in sorted(dist.iterdir()):
        if path.name.endswith(("decap-cms.js", ".wasm")) or path.name == "decap-cms.js.LICENSE.txt":
            shutil.copyfile(path, folder / path.name)
            written.append(folder / path.name)
    if folder != target:  # admin-site/ is replaced whole, never left half-written
        shutil.rmtree(target, ignore_errors=True)
        folder.rename(target)
        written = [target / path.name for path in written]
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
    text = next(
        (
            (modules / name).read_text(encoding="utf-8")
            for name in DECAP_LICENCES
            if (modules / name).is_file()
        ),
        "",
    )
    return (
        f"Decap CMS {decap_version(dist)} (https://decapcms.org/), MIT License.\n"
        "Licences of the libraries bundled in decap-cms.js: decap-cms.js.LICENSE.txt\n\n" + text
    )


def _content_folder(repo: Repository) -> str:
    try:
        return repo.content_dir.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        raise FieldError(
            "フォーム編集画面（admin）: docs_dir は mkdocs.yml のあるフォルダの中にしてください"
        ) from None


def _backend(repo: Repository) -> dict:
    match = re.match(r"^https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", repo.url or "")
    if not match:
        raise FieldError(
            "フォーム編集画面（admin）を使うには、mkdocs.yml の repo_url に GitHub のリポジトリの URL を書いてください"
            "（例: https://github.com/town/site）"
        )
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


def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )


def _index_html(config: SiteConfig) -> str:
    settings = {
        "fileName": FILE_NAME,
        "keptName": "%{name}（作成したあとは、この画面では変えられません）",
        "phrases": JA_PHRASES,
    }
    return (
        _templates()
        .get_template("admin.html")
        .render(town_name=config.town_name, conditional=list(CONDITIONALLY_REQUIRED), settings=settings)
    )


def _logo_svg(config: SiteConfig, crest: Path | None) -> str:
    """The login screen's picture: the crest (embedded: an SVG shown as an image loads nothing
    else) above the town's name, in the fonts of the staff member's computer."""
    image = ""
    if crest is not None and crest.suffix.lower() in IMAGE_TYPES:
        image = (
            f"data:{IMAGE_TYPES[crest.suffix.lower()]};base64,{base64.b64encode(crest.read_bytes()).decode()}"
        )
    return (
        _templates()
        .get_template("admin-logo.svg")
        .render(
            town_name=config.town_name,
            crest=image,
            name_size=min(40, 280 // max(len(config.town_name), 1)),
        )
    )
