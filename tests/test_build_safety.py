"""A failing build never half-replaces the site; the preview shows drafts, marked."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request

import pytest
from conftest import BIN, mkdocs_build, run, write_project

pytestmark = pytest.mark.slow  # real builds and `mkdocs serve`

GOOD = {
    "index.md": "---\ntitle: ホーム\n---\nようこそ。\n",
    "news/2026/open.md": "---\ntitle: 公開中の記事\ndate: 2026-05-01\ncategories: [kurashi]\n---\n本文。\n",
    "news/2026/secret.md": "---\ntitle: ひみつの下書き\ndate: 2026-05-02\ncategories: [kurashi]\ndraft: true\n---\n本文。\n",
}


def site_files(project) -> dict:
    return {
        p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()
    }


def assert_failed_cleanly(project, result, before: dict) -> None:
    """A failed build: no traceback, the previous site byte for byte, no staging folder left."""
    assert "Traceback" not in result.output
    assert site_files(project) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_failed_build_leaves_previous_site_untouched(tmp_path):
    project = write_project(tmp_path, GOOD)
    assert mkdocs_build(project).returncode == 0
    before = site_files(project)
    (project / "content/news/2026/broken.md").write_text(
        "---\ntitle: 壊れた記事\ndate: 2026-13-01\n---\n", encoding="utf-8"
    )
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "news/2026/broken.md:3: date（掲載日）: 日付「2026-13-01」: 13月はありません" in result.output
    assert_failed_cleanly(project, result, before)


def test_photo_that_breaks_while_encoding_fails_the_build_and_keeps_the_site(tmp_path):
    """Variants are encoded while the pages are rendered; a photo whose header reads well but
    whose pixels are cut off fails there, late in the build, and must still stop it cleanly."""
    from test_images import photo_bytes

    project = write_project(tmp_path, GOOD)
    assert mkdocs_build(project).returncode == 0
    before = site_files(project)
    photos = project / "content/images"
    photos.mkdir()
    (photos / "ok.jpg").write_bytes(photo_bytes(seed=2))
    whole = photo_bytes(seed=3)
    (photos / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    (project / "content/news/2026/photos.md").write_text(
        "---\ntitle: 写真\ndate: 2026-05-03\ncategories: [kurashi]\n---\n"
        "![田んぼ](../../images/ok.jpg)\n\n![祭り](../../images/cut.jpg)\n",
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode != 0
    # named where staff can act: the page and line that show the photo
    assert (
        "content/news/2026/photos.md:8: 画像「images/cut.jpg」を読み込めません（壊れているか、画像ではありません）"
        in result.output
    )
    assert_failed_cleanly(project, result, before)


def test_a_file_that_is_no_image_is_reported_at_the_lines_that_show_it(tmp_path):
    """A PDF saved as .jpg fails when its header is read, before any page is rendered."""
    project = write_project(tmp_path, GOOD)
    (project / "content/images").mkdir()
    (project / "content/images/chirashi.jpg").write_bytes(b"%PDF-1.7\n" + b"0" * 2000)
    (project / "content/news/2026/chirashi.md").write_text(
        "---\ntitle: チラシ\ndate: 2026-05-03\ncategories: [kurashi]\nimage: ../../images/chirashi.jpg\n"
        "image_alt: 催しのチラシ\n---\n本文です。\n\n![催しのチラシ](../../images/chirashi.jpg)\n",
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode != 0 and "Traceback" not in result.output
    message = "画像「images/chirashi.jpg」を読み込めません（壊れているか、画像ではありません）"
    assert f"content/news/2026/chirashi.md:5: {message}" in result.output
    assert f"content/news/2026/chirashi.md:10: {message}" in result.output
    assert not (project / "site").exists()


def test_successful_rebuild_replaces_the_site(tmp_path):
    project = write_project(tmp_path, GOOD)
    assert mkdocs_build(project).returncode == 0
    (project / "site" / "stale.html").write_text("old")
    (project / "content/news/2026/open.md").unlink()
    assert mkdocs_build(project).returncode == 0
    assert not (project / "site/stale.html").exists()
    assert not (project / "site/news/2026/open").exists()
    assert (project / "site/index.html").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


SCHEDULED = "---\ntitle: 年末のお知らせ\ndate: 2026-05-03\npublish_at: 2026-12-01 09:00\ncategories: [kurashi]\n---\n本文。\n"
EXPIRING = "---\ntitle: 夏の節電\ndate: 2026-05-03\nexpire_at: 2026-09-30 17:00\ncategories: [kurashi]\n---\n本文。\n"


def test_preview_shows_drafts_marked(tmp_path):
    project = write_project(
        tmp_path, GOOD | {"news/2026/later.md": SCHEDULED, "news/2026/setsuden.md": EXPIRING}
    )
    port = _free_port()
    env = {**os.environ, "PUBLISHER_NOW": "2026-06-01 12:00", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        draft = _fetch(f"http://127.0.0.1:{port}/news/2026/secret/", deadline)
        listing = _fetch(f"http://127.0.0.1:{port}/news/", deadline)
        later = _fetch(f"http://127.0.0.1:{port}/news/2026/later/", deadline)
        expiring = _fetch(f"http://127.0.0.1:{port}/news/2026/setsuden/", deadline)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "下書き</strong>: このページはプレビューでだけ表示されています" in draft
    # A scheduled page says when it goes live (staff who typed a wrong day see it at once).
    assert "公開予約</strong>: 2026年12月1日（火） 9:00 に公開されます。" in later
    # A public page due to come down says when (in the preview only: the build below has no banner).
    assert "掲載終了予定</strong>: 2026年9月30日（水） 17:00 に掲載を終えます。" in expiring
    assert "ひみつの下書き" in listing and "（下書き）" in listing
    assert not (project / "site").exists()
    assert mkdocs_build(project, now="2026-06-01 12:00").returncode == 0  # residents: no banner
    public = (project / "site/news/2026/setsuden/index.html").read_text(encoding="utf-8")
    assert "夏の節電" in public and "town-draft" not in public


def test_a_pull_requests_preview_is_built_for_its_own_address_never_the_sites(tmp_path):
    """PUBLISHER_PREVIEW_URL (the pull-request workflow's preview build): every address in the
    pages is the preview's, pages the public build stored included, and the site's origin is refused."""
    project = write_project(tmp_path, GOOD)
    assert mkdocs_build(project).returncode == 0  # the public build stores its pages in the cache

    preview = run(
        [str(BIN / "mkdocs"), "build"], project, PUBLISHER_PREVIEW_URL="https://preview.example/pr-3"
    )
    on_site = run([str(BIN / "mkdocs"), "build"], project, PUBLISHER_PREVIEW_URL="https://town.example/pr-3/")

    assert preview.returncode == 0, preview.output
    page = (project / "site/news/2026/open/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:url" content="https://preview.example/pr-3/news/2026/open/">' in page
    assert "https://town.example/" not in page
    assert "<loc>https://preview.example/pr-3/</loc>" in (project / "site/sitemap.xml").read_text(
        encoding="utf-8"
    )
    assert on_site.returncode != 0 and "Traceback" not in on_site.output
    assert "公開するサイト（site_url）（https://town.example/）と同じ場所（オリジン）です" in on_site.output
