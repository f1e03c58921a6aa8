"""A staff member creates an event in the form at /admin/ (Decap CMS, local backend) in a real browser;
the file it writes passes `publisher check` and appears on the rebuilt site. A form with several
problems shows each at its field at once, until it is fixed; the preview says when a scheduled
page goes live. One build, one decap-server and one Chromium serve the module."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, serve
from conftest import BIN, ROOT, mkdocs_build, program_env, publisher
from playwright.sync_api import expect, sync_playwright

from publisher.outputs.admin_rules import FILE_NAME, FILE_NAME_MESSAGE, RULES

pytestmark = pytest.mark.slow  # a real build, decap-server and Chromium

DECAP_SERVER = ROOT / "node_modules/.bin/decap-server"
TIMEOUT = 60_000  # ms: the first load parses a 5 MB script
EVENT = {
    "title": "冬のこんにゃく料理教室",
    "date": "2026-11-27T09:00",  # the form's date and time boxes, as staff fill them
    "start": "2026-12-20T10:00",
    "end": "2026-12-20T12:00",
    "place": "甘楽町文化会館 調理室",
    "fee": "500円（材料代）",
    "target": "町内在住の方",
    "capacity": "16人（先着順）",
    "apply": "12月10日までに電話で産業課へ",
    "contact": "甘楽町役場 産業課 0274-74-0155",
}
WRITTEN = "content/events/2026/2026-11-27.md"  # no file name given: the date, in the year's folder
NAMED = "content/events/2026/konnyaku-ryori.md"  # the word-based name the form asked for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The sample site in a git repository, its editor pointed at a decap-server on a free port."""
    assert DECAP_SERVER.exists(), "decap-server is missing: run `npm ci` (make test does)"
    project = tmp_path_factory.mktemp("admin-site")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "theme", project / "theme")
    port = free_port()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    admin = re.search(r"^( +)admin:.*\n(?:\1 +.*\n)*", config, re.M)  # the block, whatever its form
    local = f'{admin.group(1)}admin: {{enabled: true, local_backend: "http://127.0.0.1:{port}/api/v1"}}\n'
    (project / "mkdocs.yml").write_text(config.replace(admin.group(), local), encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    return project, port


@contextlib.contextmanager
def decap_server(project: Path, port: int):
    """Decap's local backend (`npx decap-server`), writing into the project's working tree."""
    env = {
        **os.environ,
        "GIT_REPO_DIRECTORY": str(project),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "LOG_LEVEL": "info",
    }
    log = open(project.parent / "decap-server.log", "w")
    server = subprocess.Popen([str(DECAP_SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1",
                    json.dumps({"action": "info"}).encode(),
                    {"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=2) as answer:
                    assert json.load(answer)["type"] == "local_fs"
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "decap-server did not start"
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@contextlib.contextmanager
def japanese_chromium():
    """Chromium in Japanese (date boxes as 2026/12/20 10:00; needs Debian's chromium-l10n)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--lang=ja"],
            env={**os.environ, "LANGUAGE": "ja", "LANG": "ja_JP.UTF-8"},
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Editor:
    project: Path
    port: int  # decap-server's
    site_url: str
    browser: object

    def new_page(self):
        """A page of its own (nobody logged in yet), at desktop width and in Japan time."""
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo"
        )
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        return page


@pytest.fixture(scope="module")
def editor(project):
    """The built site served with the editor's local backend running, and Chromium."""
    project, port = project
    with decap_server(project, port), serve(project / "site") as site_url, japanese_chromium() as browser:
        yield Editor(project, port, site_url, browser)


def field(page, name: str):
    """A form control by its field name (Decap gives each control the id `<name>-field-<n>`)."""
    return page.locator(f'[id^="{name}-field-"]').first


def refusal(page, name: str):
    """The messages Decap shows beside a field's label (its error list)."""
    return page.locator(f'label[for^="{name}-field-"] + ul')


def retype(page, name: str, text: str) -> None:
    """Replace a text box's value as staff do (select all, type). Playwright's fill() keeps the old
    text in Decap's string box once the box has been left: the box puts the caret back at the end."""
    field(page, name).click()
    field(page, name).press("Control+a")
    page.keyboard.insert_text(text)


def log_in_and_open_a_new_event(page, site_url: str) -> None:
    page.goto(site_url + "admin/")
    page.get_by_role("button", name="ログイン").click()  # the local backend needs no account
    page.get_by_role("link", name="イベント", exact=True).click()
    page.get_by_text("第39回甘楽ふるさと祭り").wait_for()


def choose_image(page, name: str) -> None:
    page.get_by_role("button", name="画像を選択").click()
    page.get_by_text(name).click()
    page.get_by_role("button", name="選択する").click()


def publish(page) -> None:
    page.get_by_role("button", name="公開", exact=True).click()
    page.get_by_text("公開する", exact=True).click()


def wait_for_file(page, path: Path) -> None:
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        page.wait_for_timeout(200)


def test_staff_create_an_event_in_the_form_and_it_is_published(editor, screenshots):
    project, site_url = editor.project, editor.site_url
    events_before = set((project / "content/events").rglob("*.md"))
    requested: list[str] = []
    page = editor.new_page()
    page.on("request", lambda request: requested.append(request.url))
    log_in_and_open_a_new_event(page, site_url)
    page.screenshot(path=str(screenshots / "admin-list.png"))

    page.locator('a[href$="/collections/events/new"]').first.click()  # 「＋ イベント」
    field(page, "title").fill(EVENT["title"])  # and no file name: the form names the file by its date
    for name in ("date", "start", "end", "place", "fee", "target", "capacity", "apply", "contact"):
        field(page, name).fill(EVENT[name])
    field(page, "categories").click()
    page.get_by_text("観光・文化", exact=True).click()
    page.keyboard.press("Escape")
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("こんにゃく芋から手作りします。エプロンをお持ちください。")
    choose_image(page, "konnyaku.jpg")
    field(page, "image_alt").fill("こんにゃく畑と山並みのイラスト")
    page.wait_for_function(
        "() => document.querySelector('[aria-label=\"image field\"] img')?.naturalWidth > 0"
    )
    page.get_by_role("button", name="開催日を追加").wait_for()  # phrases Decap's translation lacks are added
    field(page, "title").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "admin-event-form.png"))
    field(page, "start").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "admin-event-details.png"))
    publish(page)
    written = project / WRITTEN
    wait_for_file(page, written)
    page.context.close()
    assert set((project / "content/events").rglob("*.md")) - events_before == {written}, (
        f"the form wrote no file at {WRITTEN}"
    )
    others = [
        url
        for url in requested
        if not url.startswith((site_url, f"http://127.0.0.1:{editor.port}/", "blob:", "data:"))
    ]
    assert not others, f"the editor loads nothing from another host: {others}"

    text = written.read_text(encoding="utf-8")
    for line in (
        "title: 冬のこんにゃく料理教室",
        "date: 2026-11-27 09:00",
        "start: 2026-12-20 10:00",
        "place: 甘楽町文化会館 調理室",
        "image: ../../images/konnyaku.jpg",
        "  - kanko",
    ):
        assert line in text, text
    assert FILE_NAME not in text
    check = publisher(project, "check")
    assert check.returncode == 0, check.output

    rebuilt = mkdocs_build(project)
    assert rebuilt.returncode == 0, rebuilt.output
    page_html = (project / "site/events/2026/2026-11-27/index.html").read_text(encoding="utf-8")
    assert (
        EVENT["title"] in page_html
        and EVENT["place"] in page_html
        and "2026年12月20日（日） 10:00〜12:00" in page_html
    )
    listing = (project / "site/events/index.html").read_text(encoding="utf-8")
    assert 'href="2026/2026-11-27/"' in listing and EVENT["title"] in listing


# Scroll the editor's pane (not the window) to put a field's label 230 px down: the photo above it
# and, 500 px below, 開始日時 stay in the screenshot.
SHOW_BELOW_THE_PHOTO = """label => {
    label.scrollIntoView();
    let pane = label.parentElement;
    while (pane && pane.scrollHeight <= pane.clientHeight) pane = pane.parentElement;
    pane.scrollTop -= 160;
}"""


def rule_message(name: str, other: str, other_filled: bool) -> str:
    return next(r.message for r in RULES[name] if r.other == other and r.other_filled is other_filled)


def test_every_refusal_shows_at_its_field_at_once_and_stays_until_fixed(editor, screenshots):
    """Three problems, one press of 公開: each message at its own field, all at once, still there
    10 s later (Decap's pop-up is gone by then); fixed, the file gets the word-based name."""
    project = editor.project
    page = editor.new_page()
    page.goto(editor.site_url + "admin/")
    page.wait_for_function("() => document.querySelector('img[src=\"login-logo.svg\"]')?.naturalWidth > 0")
    assert page.title() == "甘楽町 ホームページの編集"
    assert "data:image/svg+xml;base64," in (project / "site/admin/login-logo.svg").read_text(encoding="utf-8")
    page.screenshot(path=str(screenshots / "admin-login.png"))  # the crest and the town's name
    log_in_and_open_a_new_event(page, editor.site_url)
    page.locator('a[href$="/collections/events/new"]').first.click()
    field(page, "title").fill("冬のこんにゃく料理教室（第2回）")
    field(page, FILE_NAME).fill("Konnyaku_Ryori")  # capitals and "_": not a file name
    field(page, "date").fill("2026-11-28T09:00")
    field(page, "place").fill("甘楽町文化会館 調理室")
    field(page, "categories").click()
    page.get_by_text("観光・文化", exact=True).click()
    page.keyboard.press("Escape")
    choose_image(page, "konnyaku.jpg")  # and no description of it, and no 開始日時
    publish(page)

    expected = {
        FILE_NAME: FILE_NAME_MESSAGE,
        "image_alt": rule_message("image_alt", "image", True),
        "start": rule_message("start", "dates", False),
    }
    for name, message in expected.items():
        expect(refusal(page, name)).to_have_text(message)
    page.get_by_text("保存できません。赤く示した項目の説明を読んで直してください。").wait_for()
    label = page.locator('label[for^="image_alt-field-"]')
    expect(label).to_have_text(  # no 「(任意)」 on a field required in some cases
        "画像の説明（代替テキスト）（条件付き必須：画像を選んだとき）", use_inner_text=True
    )
    page.wait_for_timeout(10_000)  # Decap's pop-up is gone (8 s); what is at the fields stays
    for name, message in expected.items():
        expect(refusal(page, name)).to_have_text(message, timeout=0)
        expect(refusal(page, name)).to_be_visible(timeout=0)
    label.evaluate(SHOW_BELOW_THE_PHOTO)
    page.screenshot(path=str(screenshots / "admin-errors-at-fields.png"))
    assert not (project / NAMED).exists()

    retype(page, FILE_NAME, "konnyaku-ryori")
    field(page, "image_alt").fill("こんにゃく畑と山並みのイラスト")
    field(page, "start").fill("2027-01-17T10:00")
    for name in expected:
        expect(refusal(page, name)).to_have_count(0)  # each message leaves as its field is changed
    publish(page)
    wait_for_file(page, project / NAMED)
    page.context.close()
    text = (project / NAMED).read_text(encoding="utf-8")
    assert "start: 2027-01-17 10:00" in text and "image_alt: こんにゃく畑と山並みのイラスト" in text, text
    assert FILE_NAME not in text, "the file name is not a front-matter key"
    check = publisher(project, "check")
    assert check.returncode == 0, check.output


def test_the_preview_says_when_a_scheduled_page_goes_live(editor, screenshots):
    """`make serve` (mkdocs serve) shows a page held by publish_at, with the moment it goes live."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=editor.project,
        env=program_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/news/2027/embargo-sample/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.3)
        page = editor.new_page()
        page.goto(url)
        note = page.get_by_text("2027年1月4日（月） 8:30 に公開されます。")
        expect(note).to_be_visible()
        page.screenshot(path=str(screenshots / "preview-scheduled.png"))
        page.context.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
