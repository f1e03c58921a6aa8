"""The form at /admin/ offers exactly what `publisher check` accepts, and what it writes passes the check."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL_CONFIG, ROOT, cli, mkdocs_build, write_project

from publisher.content.config import SLUG, load_project
from publisher.content.dates import JST
from publisher.content.errors import FieldError
from publisher.content.reader import load_site
from publisher.content.schema import ALERT_LEVELS, ALL, EVENT, FIELDS_BY_NAME, NEWS, PAGE, fields_for
from publisher.outputs import admin, admin_form, admin_rules

GITHUB = "repo_url: https://github.com/kanra-town/site\nedit_uri: edit/main/content/\n"
ADMIN_CONFIG = MINIMAL_CONFIG.replace("docs_dir: content\n", "docs_dir: content\n" + GITHUB).replace(
    "      town_name: テスト町\n", "      town_name: テスト町\n      admin: true\n"
) + (
    "      departments:\n        - slug: somu\n          name: 総務課\n        - slug: kenko\n          name: 健康課\n"
)
FILES = {
    "index.md": "---\ntitle: ホーム\n---\nようこそ。\n",
    "kurashi/index.md": "---\ntitle: くらし\norder: 1\n---\nくらしの案内です。\n",
    "kurashi/gomi.md": "---\ntitle: ごみの出し方\n---\nごみの出し方です。\n",
    "images/matsuri.jpg": (ROOT / "content/images/matsuri.jpg").read_bytes(),
}
KIND_OF_COLLECTION = {"news": NEWS, "events": EVENT, "alerts": "alert"}
LATER = {"end": timedelta(hours=2), "expire_at": timedelta(days=30)}  # after start and publish_at


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return write_project(tmp_path_factory.mktemp("admin"), FILES, ADMIN_CONFIG)


@pytest.fixture(scope="module")
def files(project):
    loaded = load_project(project / "mkdocs.yml")
    site = load_site(loaded.content_dir, loaded.site, datetime(2026, 11, 28, 12, tzinfo=JST))
    repo = admin.Repository(
        "https://github.com/kanra-town/site", "edit/main/content/", project, project / "content"
    )
    return admin.admin_files(loaded.site, repo, admin.page_sections(site), loaded.site_url)


def kind_of(collection: dict) -> str:
    return KIND_OF_COLLECTION.get(collection["name"], PAGE)


def fields_of(collection: dict) -> dict[str, dict]:
    """The schema's fields in a form: neither the body nor the file name."""
    return {
        field["name"]: field
        for field in collection["fields"]
        if field["name"] not in ("body", admin_rules.FILE_NAME)
    }


def test_each_kind_has_a_collection_or_a_reason(files):
    kinds = {kind_of(c) for c in files.config["collections"]}
    assert kinds | set(admin_form.OMITTED_KINDS) == set(ALL) and not kinds & set(admin_form.OMITTED_KINDS)
    assert all(reason.strip() for reason in admin_form.OMITTED_KINDS.values())


def test_every_form_offers_exactly_the_fields_the_checker_accepts(files):
    left_out = set()
    for collection in files.config["collections"]:
        kind = kind_of(collection)
        schema = [spec.name for spec in fields_for(kind)]
        offered = list(fields_of(collection))
        assert offered == [name for name in schema if name not in admin_form.OMITTED], collection["name"]
        left_out |= set(schema) - set(offered)
        assert collection["fields"][-1]["name"] == "body"
        assert collection["fields"][1]["name"] == admin_rules.FILE_NAME  # asked right after the title
    assert left_out == set(admin_form.OMITTED), (
        "admin_form.OMITTED lists exactly the fields the form leaves out"
    )
    assert all(reason.strip() for reason in admin_form.OMITTED.values())


def test_required_flags_labels_and_choices_come_from_the_schema_and_config(files):
    for collection in files.config["collections"]:
        kind = kind_of(collection)
        for name, field in fields_of(collection).items():
            spec = FIELDS_BY_NAME[name]
            assert field["required"] is (kind in spec.required_for), (collection["name"], name)
            assert field["label"] == admin_rules.label(name)
            if spec.type == "categories":
                assert [(o["value"], o["label"]) for o in field["options"]] == [
                    ("kurashi", "くらし"),
                    ("kanko", "観光"),
                ]
                assert field["multiple"] is True
            if spec.type == "level":
                assert {o["value"]: o["label"] for o in field["options"]} == ALERT_LEVELS
            if spec.type in ("when", "end"):
                assert field["widget"].removesuffix("-with-rules") == "datetime"
                assert field["format"] == admin_form.DATE_FORMAT


def test_collections_follow_the_content_layout(files):
    by_name = {c["name"]: c for c in files.config["collections"]}
    assert by_name["news"]["folder"] == "content/news" and by_name["news"]["path"] == "{{year}}/{{slug}}"
    assert (
        by_name["events"]["folder"] == "content/events" and by_name["events"]["path"] == "{{year}}/{{slug}}"
    )
    assert by_name["alerts"]["folder"] == "content/alerts" and "path" not in by_name["alerts"]
    assert [(c["folder"], c["label"]) for c in files.config["collections"][3:]] == [
        ("content", "ページ: トップページと content 直下のページ"),
        ("content/kurashi", "ページ: くらし"),
    ]
    assert {c["media_folder"] for c in by_name.values()} == {"/content/images"}
    assert [by_name[n]["public_folder"] for n in ("news", "alerts", "page-top", "page-kurashi")] == [
        "../../images",
        "../images",
        "images",
        "../images",
    ]


def test_backend_locale_and_page(files):
    config = files.config
    assert config["backend"]["name"] == "github"
    assert config["backend"]["repo"] == "kanra-town/site" and config["backend"]["branch"] == "main"
    assert config["locale"] == "ja" and config["local_backend"] == {"url": "http://localhost:8081/api/v1"}
    assert config["publish_mode"] == "editorial_workflow"
    assert yaml.safe_load(files.config_yml) == config
    assert (
        '<html lang="ja">' in files.index_html and '<script src="decap-cms.js"></script>' in files.index_html
    )
    assert f'<script src="{admin.SCRIPT}"></script>' in files.index_html
    assert "http" not in files.index_html, "the page loads nothing from another host"


def test_the_login_screen_shows_the_crest_and_the_towns_name(files, tmp_path):
    assert files.config["logo"] == {"src": admin.LOGO}
    assert "テスト町" in files.logo_svg and "ホームページの編集" in files.logo_svg
    assert "<image" not in files.logo_svg  # no crest in the theme: the name alone
    crest = ROOT / "theme/assets/images/crest.svg"
    repo = admin.Repository("https://github.com/kanra-town/site", "", tmp_path, tmp_path / "content", crest)
    config = load_project(ROOT / "mkdocs.yml").site
    logo = admin.admin_files(config, repo, (), "https://town.example/").logo_svg
    assert "甘楽町" in logo and "data:image/svg+xml;base64," in logo  # embedded: an <img> loads nothing else
    assert ElementTree.fromstring(logo).get("aria-label") == "甘楽町 ホームページの編集"  # well-formed


@pytest.mark.parametrize(
    "name",
    [
        "gomi-nenmatsu",
        "2026-12-07",
        "a1",
        "index",
        "Gomi",
        "gomi_nenmatsu",
        "-gomi",
        "gomi-",
        "gomi--x",
        "ごみ",
        "gomi x",
        "",
    ],
)
def test_the_file_name_box_accepts_exactly_what_the_check_accepts(name):
    checker_accepts = bool(SLUG.match(name)) and name != "index"  # index.md is a folder's own page
    assert bool(re.match(admin_rules.FILE_NAME_PATTERN, name)) is checker_accepts


def test_fields_required_in_some_cases_say_when_instead_of_optional(files):
    checked = set()
    for collection in files.config["collections"]:
        fields = fields_of(collection)
        for name, field in fields.items():
            rules = field.get("rules", [])
            if any(rule["kind"] == "needs" and rule["filled"] for rule in rules):
                assert name in admin_rules.CONDITIONALLY_REQUIRED, name
            if name in admin_rules.CONDITIONALLY_REQUIRED:
                assert field["label"].endswith(
                    f"（条件付き必須：{admin_rules.CONDITIONALLY_REQUIRED[name]}）"
                )
                checked.add(name)
            if rules:  # admin.js adds the rules to these two widgets
                assert field["widget"] in ("string-with-rules", "datetime-with-rules"), name
                assert all(rule["other"] in fields and rule["message"] for rule in rules), name
    assert checked == set(admin_rules.CONDITIONALLY_REQUIRED)
    for name in admin_rules.CONDITIONALLY_REQUIRED:  # Decap's 「(任意)」 is hidden for exactly these
        assert f'label[for^="{name}-field-"] > span' in files.index_html
    assert files.index_html.count('-field-"] > span') == len(admin_rules.CONDITIONALLY_REQUIRED)


def test_the_decap_bundle_has_the_japanese_locale():
    bundle = (admin.find_decap(ROOT) / "decap-cms.js").read_text(encoding="utf-8")
    assert 'login:"ログイン"' in bundle


@pytest.mark.parametrize(
    "repo_url, edit_uri, expected",
    [
        ("https://github.com/town/site", "edit/main/content/", ("town/site", "main")),
        ("https://github.com/town/site.git/", "blob/production/docs/", ("town/site", "production")),
        ("https://github.com/town/site", "", ("town/site", "main")),
    ],
)
def test_repository_from_repo_url_and_edit_uri(tmp_path, repo_url, edit_uri, expected):
    backend = admin._backend(admin.Repository(repo_url, edit_uri, tmp_path, tmp_path / "content"))
    assert (backend["repo"], backend["branch"]) == expected


def test_a_repository_that_is_not_on_github_is_refused_in_japanese(files, tmp_path):
    repo = admin.Repository("https://gitlab.com/town/site", "", tmp_path, tmp_path / "content")
    with pytest.raises(FieldError, match="repo_url に GitHub"):
        admin._backend(repo)


def test_without_decap_installed_the_build_says_to_run_npm_ci(project, tmp_path, monkeypatch):
    loaded = load_project(project / "mkdocs.yml")
    site = load_site(loaded.content_dir, loaded.site, datetime(2026, 11, 28, 12, tzinfo=JST))
    monkeypatch.setattr(admin, "PACKAGE_ROOT", tmp_path)
    repo = admin.Repository("https://github.com/kanra-town/site", "", tmp_path, tmp_path / "content")
    with pytest.raises(FieldError, match=r"npm ci"):
        admin.write_admin(site, repo, loaded.site_url, tmp_path / "site")


# --- What the form writes passes the check -----------------------------------------------------


def dayjs(pairs: list[tuple[str, str]]) -> list[str]:
    """Format with the dayjs that Decap uses: [(value, format)], as its date widget and slug filter do."""
    script = "const d=require('dayjs');const p=JSON.parse(process.argv[1]);console.log(JSON.stringify(p.map(([v,f])=>d(v).format(f))))"
    done = subprocess.run(
        ["node", "-e", script, json.dumps(pairs)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def example(field: dict, moment: str, full: bool):
    """The value Decap stores for a field filled as staff would (`moment` as a datetime-local input gives it)."""
    widget = field["widget"].removesuffix("-with-rules")
    if "default" in field and field["default"] != "{{now}}":
        return field["default"]
    if widget == "datetime":
        later = datetime.fromisoformat(moment) + LATER.get(field["name"], timedelta())
        return dayjs([(later.strftime("%Y-%m-%dT%H:%M"), field["format"])])[0]
    if widget in ("string", "text"):
        return f"{field['label']}の例"
    if widget == "select":
        last = field["options"][-1]["value"]
        return [last] if field.get("multiple") else last
    if widget == "image":
        return field["_public_folder"] + "/matsuri.jpg"
    if widget == "number":
        return 3
    if widget == "list":
        return [{f["name"]: example(f, moment, full) for f in field["fields"]}]
    if widget == "object":
        return {f["name"]: example(f, moment, full) for f in field["fields"]}
    raise AssertionError(widget)


def entry(collection: dict, moment: str, full: bool, leave_out: tuple[str, ...] = ()) -> dict:
    """Entry data as the form saves it: required fields and defaults, or every field when `full`."""
    data = {}
    for field in collection["fields"]:
        name = field["name"]
        skipped = name in ("body", admin_rules.FILE_NAME, *leave_out)  # the file name is not in the file
        if skipped or not (full or field["required"] or "default" in field):
            continue
        data[name] = example({**field, "_public_folder": collection["public_folder"]}, moment, full)
    for field in collection["fields"]:  # what the form asks for before saving (admin_rules.py)
        for rule in field.get("rules", ()):
            needed = rule["kind"] == "needs" and rule["filled"] and field["name"] not in data
            if needed and (rule["other"] in data) is rule["other_filled"]:
                data[field["name"]] = example({**field, "_public_folder": ""}, moment, full)
    return data


def decap_path(collection: dict, data: dict, moment: str, name: str) -> str:
    """Where Decap writes the entry: folder, `path` ({{year}} of the date in UTC) and the slug
    template with the file name, or (left empty) the date admin.js puts in: the item's, a page's today."""
    when = datetime.fromisoformat(data.get("date") or moment).replace(tzinfo=JST)
    slug = collection["slug"].replace(
        f"{{{{fields.{admin_rules.FILE_NAME}}}}}", name or when.date().isoformat()
    )
    assert SLUG.match(slug) and re.match(admin_rules.FILE_NAME_PATTERN, slug), slug
    year = f"{when.astimezone(UTC).year}"
    path = collection.get("path", "{{slug}}").replace("{{slug}}", slug).replace("{{year}}", year)
    return f"{collection['folder']}/{path}.md"


def write_entry(project: Path, path: str, data: dict) -> None:
    """The file as Decap's frontmatter format writes it: YAML between --- lines, then the body."""
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n本文です。\n"
    (project / path).parent.mkdir(parents=True, exist_ok=True)
    (project / path).write_text(text, encoding="utf-8")


@pytest.mark.slow  # node (Decap's dayjs) for every date
def test_files_written_from_every_form_pass_the_check_with_japan_time(tmp_path, files):
    project = write_project(tmp_path / "written", FILES, ADMIN_CONFIG)
    written = {}
    for number, collection in enumerate(files.config["collections"]):
        variants = [(False, ()), (True, ("dates",))]
        if collection["name"] == "events":
            variants.append((True, ("start", "end")))
        for variant, (full, leave_out) in enumerate(variants):
            moment = f"2026-11-{10 + variant:02d}T{8 + number:02d}:30"
            data = entry(collection, moment, full, leave_out)
            name = f"{collection['name']}-rei-{variant}" if variant else ""  # the date when left empty
            path = decap_path(collection, data, moment, name)
            assert path not in written, path
            write_entry(project, path, data)
            written[path] = (data, moment)
    result = cli(project, "check")
    assert result.returncode == 0, result.output + "\n".join(written)
    loaded = load_project(project / "mkdocs.yml")
    site = load_site(loaded.content_dir, loaded.site, datetime(2026, 11, 28, 12, tzinfo=JST)).by_src()
    for path, (data, moment) in written.items():
        item = site[path.removeprefix("content/")]
        if "date" in data:
            assert item.date.moment == datetime.fromisoformat(moment).replace(tzinfo=JST), path
    assert len([p for p in written if p.startswith("content/events/")]) == 3


@pytest.mark.slow  # real builds
def test_build_writes_the_editor_only_when_enabled(tmp_path):
    project = write_project(tmp_path / "on", {"index.md": FILES["index.md"]}, ADMIN_CONFIG)
    assert mkdocs_build(project).returncode == 0
    folder = project / "site/admin"
    assert {
        "index.html",
        "config.yml",
        admin.SCRIPT,
        admin.LOGO,
        "decap-cms.js",
        "decap-cms.js.LICENSE.txt",
        "LICENSE.txt",
    } <= {p.name for p in folder.iterdir()}
    assert any(p.name.endswith(".decap-cms.js") and p.name != "decap-cms.js" for p in folder.iterdir())
    assert "MIT" in (folder / "LICENSE.txt").read_text(encoding="utf-8")
    assert (
        yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))["backend"]["repo"]
        == "kanra-town/site"
    )
    off = write_project(tmp_path / "off", {"index.md": FILES["index.md"]})
    assert mkdocs_build(off).returncode == 0
    assert not (off / "site/admin").exists()


@pytest.mark.slow  # a real build
def test_enabled_without_a_github_repository_the_build_stops_in_japanese(tmp_path):
    config = ADMIN_CONFIG.replace(GITHUB, "")
    project = write_project(tmp_path / "norepo", {"index.md": FILES["index.md"]}, config)
    result = mkdocs_build(project)
    assert (
        result.returncode != 0 and "repo_url に GitHub のリポジトリの URL を書いてください" in result.output
    )


def test_login_options_reach_decaps_backend(tmp_path):
    options = (
        "      admin:\n        enabled: true\n        auth_url: https://cms-auth.kanra.example\n"
        "        auth_endpoint: oauth/authorize\n        netlify_site: kanra-cms.netlify.app\n"
        "        local_backend: http://127.0.0.1:9000/api/v1\n"
    )
    config = ADMIN_CONFIG.replace("      admin: true\n", options)
    project = write_project(tmp_path, {"index.md": FILES["index.md"]}, config)
    site = load_project(project / "mkdocs.yml").site
    repo = admin.Repository(
        "https://github.com/kanra-town/site", "edit/main/content/", project, project / "content"
    )
    settings = admin.admin_files(site, repo, (), "https://town.example/").config
    assert {k: settings["backend"][k] for k in ("base_url", "auth_endpoint", "site_domain")} == {
        "base_url": "https://cms-auth.kanra.example",
        "auth_endpoint": "oauth/authorize",
        "site_domain": "kanra-cms.netlify.app",
    }
    assert settings["local_backend"] == {"url": "http://127.0.0.1:9000/api/v1"}
    assert site.admin.enabled and not load_project(ROOT / "mkdocs.yml").site.admin.auth_url


def own_origin(url: str) -> str:
    return ADMIN_CONFIG.replace(
        "      admin: true\n", f"      admin:\n        enabled: true\n        url: {url}\n"
    )


@pytest.mark.slow  # a real build
def test_with_an_address_of_its_own_the_editor_is_never_part_of_the_site(tmp_path):
    project = write_project(
        tmp_path / "own", {"index.md": FILES["index.md"]}, own_origin("https://admin.town.example/")
    )
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    assert not (project / "site/admin").exists()
    assert {"index.html", "config.yml", "decap-cms.js"} <= {
        p.name for p in (project / "admin-site").iterdir()
    }
    config = yaml.safe_load((project / "admin-site/config.yml").read_text(encoding="utf-8"))
    assert config["site_url"] == "https://town.example/"  # previews and links still go to the site
    assert not (project / ".admin-site.building").exists()


@pytest.mark.slow  # a real build
def test_an_editor_address_on_the_sites_origin_is_refused(tmp_path):
    project = write_project(
        tmp_path / "same", {"index.md": FILES["index.md"]}, own_origin("https://town.example/cms/")
    )
    built = mkdocs_build(project)
    assert built.returncode != 0 and "Traceback" not in built.output
    assert (
        "admin: url（https://town.example/cms/）がサイト（https://town.example/）と同じ場所（オリジン）です"
        in built.output
    )


@pytest.mark.slow  # a real build and a real browser
def test_a_page_script_cannot_read_the_editors_token(tmp_path):
    """Decap keeps the logged-in editor's GitHub token in localStorage, which is per origin: the
    editor served from its own origin, a script on any page of the site finds nothing."""
    from browser import chromium, serve

    project = write_project(
        tmp_path / "own", {"index.md": FILES["index.md"]}, own_origin("https://admin.town.example/")
    )
    assert mkdocs_build(project).returncode == 0
    token = '{"token": "gho_SENTINEL-editor-token", "backendName": "github"}'
    with (
        serve(project / "admin-site") as admin_url,
        serve(project / "site") as site_url,
        chromium() as browser,
    ):
        assert admin_url.split(":")[2] != site_url.split(":")[2]  # two origins, as two hosts would be
        page = browser.new_page()
        page.goto(admin_url)
        page.evaluate("token => localStorage.setItem('decap-cms-user', token)", token)
        assert page.evaluate("() => localStorage.getItem('decap-cms-user')") == token
        page.goto(site_url)
        assert page.evaluate("() => localStorage.getItem('decap-cms-user')") is None
        assert page.evaluate("() => JSON.stringify(Object.keys(localStorage))") == "[]"
        page.close()


def test_the_practice_editor_listens_on_this_pc_only():
    """decap-server has no login and writes any file of the repository: `make practice` must not
    offer it to the office network (without BIND_HOST it listens on every interface)."""
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\npractice:", 1)[1].split("\n\n", 1)[0]
    assert "BIND_HOST=127.0.0.1 node_modules/.bin/decap-server" in recipe
