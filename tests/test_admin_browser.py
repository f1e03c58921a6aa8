"""A staff member creates an event in the form at /admin/ (Decap CMS, local backend) in a real browser;
the file it writes passes `publisher check` and appears on the rebuilt site."""

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
from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, serve
from conftest import ROOT, mkdocs_build, publisher
from playwright.sync_api import sync_playwright

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
WRITTEN = "content/events/2026/2026-11-27.md"  # the date as the name, in the year's folder


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
    """Chromium in Japanese (date boxes as 2026/12/20 10:00; needs Debian's chromium-l10n) and Japan time."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--lang=ja"],
            env={**os.environ, "LANGUAGE": "ja", "LANG": "ja_JP.UTF-8"},
        )
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="ja-JP", timezone_id="Asia/Tokyo"
            )
            yield context.new_page()
        finally:
            browser.close()


def field(page, name: str):
    """A form control by its field name (Decap gives each control the id `<name>-field-<n>`)."""
    return page.locator(f'[id^="{name}-field-"]').first


def publish(page) -> None:
    page.get_by_role("button", name="公開", exact=True).click()
    page.get_by_text("公開する", exact=True).click()


def test_staff_create_an_event_in_the_form_and_it_is_published(project, screenshots):
    project, port = project
    events_before = set((project / "content/events").rglob("*.md"))
    requested: list[str] = []
    with decap_server(project, port), serve(project / "site") as site_url, japanese_chromium() as page:
        page.set_default_timeout(TIMEOUT)
        page.on("request", lambda request: requested.append(request.url))
        page.goto(site_url + "admin/")
        page.get_by_role("button", name="ログイン").click()  # the local backend needs no account

        page.get_by_role("link", name="イベント", exact=True).click()
        page.get_by_text("第39回甘楽ふるさと祭り").wait_for()
        page.screenshot(path=str(screenshots / "admin-list.png"))

        page.locator('a[href$="/collections/events/new"]').first.click()  # 「＋ イベント」
        field(page, "title").fill(EVENT["title"])
        for name in ("date", "start", "end", "place", "fee", "target", "capacity", "apply", "contact"):
            field(page, name).fill(EVENT[name])
        field(page, "categories").click()
        page.get_by_text("観光・文化", exact=True).click()
        page.keyboard.press("Escape")
        page.locator("[data-slate-editor]").click()
        page.keyboard.type("こんにゃく芋から手作りします。エプロンをお持ちください。")
        page.get_by_role("button", name="画像を選択").click()
        page.get_by_text("konnyaku.jpg").click()
        page.get_by_role("button", name="選択する").click()
        field(page, "image_alt").fill("こんにゃく畑と山並みのイラスト")
        page.wait_for_function(
            "() => document.querySelector('[aria-label=\"image field\"] img')?.naturalWidth > 0"
        )
        page.get_by_role(
            "button", name="開催日を追加"
        ).wait_for()  # phrases Decap's translation lacks are added
        field(page, "title").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "admin-event-form.png"))
        field(page, "start").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "admin-event-details.png"))

        field(page, "image_alt").fill(
            ""
        )  # an image without its description: the form refuses, as the check would
        publish(page)
        page.get_by_text(
            "画像の説明（代替テキスト）を書いてください（画像を選んだときは必須です）"
        ).wait_for()
        field(page, "image_alt").scroll_into_view_if_needed()
        page.wait_for_timeout(1000)  # the message has faded in
        page.screenshot(path=str(screenshots / "admin-error.png"))
        assert set((project / "content/events").rglob("*.md")) == events_before
        page.locator(".Toastify__close-button").first.click()
        field(page, "image_alt").fill("こんにゃく畑と山並みのイラスト")
        publish(page)
        written = project / WRITTEN
        deadline = time.monotonic() + 30
        while not written.exists() and time.monotonic() < deadline:
            page.wait_for_timeout(200)
    assert set((project / "content/events").rglob("*.md")) - events_before == {written}, (
        f"the form wrote no file at {WRITTEN}"
    )
    others = [
        url
        for url in requested
        if not url.startswith((site_url, f"http://127.0.0.1:{port}/", "blob:", "data:"))
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
