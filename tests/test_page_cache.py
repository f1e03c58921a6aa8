"""The page cache: a build that reuses stored pages writes exactly what a build from clean writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import BIN, SAMPLE_NOW, mkdocs_build, run, site_text, write_project

pytestmark = pytest.mark.slow  # real builds, warm and clean

FILES = {
    "index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n",
    "kurashi/index.md": "---\ntitle: くらし\n---\n\nくらしの案内です。\n",
    "kurashi/gomi.md": "---\ntitle: ごみの出し方\n---\n\n[予防接種のお知らせ](../news/2026/yobo.md)もご覧ください。\n",
    "news/2026/yobo.md": "---\ntitle: 予防接種のお知らせ\ndate: 2026-11-01\ncategories: [kurashi]\n---\n\n接種は無料です。\n",
    "news/2026/matsuri.md": "---\ntitle: 秋祭り\ndate: 2026-11-10\ncategories: [kanko]\n---\n\n楽しいお祭りです。\n",
    "events/2026/undokai.md": "---\ntitle: 運動会\ndate: 2026-11-01\ncategories: [kanko]\n"
    "start: 2026-11-29 10:00\nplace: 総合体育館\n---\n\n皆さんで参加しましょう。\n",
}


LATER = "2026-11-30 09:00"  # the sports day is over and the scheduled notice is out
SCHEDULED = "---\ntitle: 年末年始の窓口\ndate: 2026-11-20\npublish_at: 2026-11-29 09:00\ncategories: [kurashi]\n---\n\n休みです。\n"


def build_twice_and_clean(tmp_path: Path, change) -> tuple[dict[str, str], dict[str, str], Path]:
    """Build, apply `change`, build again on the warm cache; also build the changed files from clean.
    A change that returns a time builds the second time (and from clean) at that time."""
    warm = write_project(tmp_path / "warm", FILES | {"news/2026/nenmatsu.md": SCHEDULED})
    assert mkdocs_build(warm).returncode == 0
    now = change(warm / "content") or SAMPLE_NOW
    result = mkdocs_build(warm, now)
    assert result.returncode == 0, result.output
    clean = tmp_path / "clean"
    shutil.copytree(warm, clean, ignore=shutil.ignore_patterns("site", ".cache", ".site.old-*"))
    assert mkdocs_build(clean, now).returncode == 0
    return site_text(warm / "site"), site_text(clean / "site"), warm


def edit_news(content: Path) -> None:
    path = content / "news/2026/matsuri.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("楽しいお祭りです。", "雨天のため中止します。"),
        encoding="utf-8",
    )


def draft_linked_page(content: Path) -> None:
    path = content / "news/2026/yobo.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("---\n\n", "draft: true\n---\n\n"), encoding="utf-8"
    )
    gomi = content / "kurashi/gomi.md"  # the link must go too, or the build stops with an error
    gomi.write_text("---\ntitle: ごみの出し方\n---\n\n分別して出してください。\n", encoding="utf-8")


def move_event(content: Path) -> None:  # the calendars (.ics) change too
    path = content / "events/2026/undokai.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2026-11-29 10:00", "2026-12-06 10:00"), encoding="utf-8"
    )


def add_alert(content: Path) -> None:
    (content / "alerts").mkdir()
    (content / "alerts/kion.md").write_text(
        "---\ntitle: 高温注意情報\ndate: 2026-11-28 08:00\nlevel: warning\n---\n\nこまめに水分をとってください。\n",
        encoding="utf-8",
    )


def retitle_news(content: Path) -> None:  # news pages, category page, home and feeds list it
    path = content / "news/2026/yobo.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("予防接種のお知らせ", "インフルエンザ予防接種"),
        encoding="utf-8",
    )


def days_later(content: Path) -> str:  # nothing edited: the listings change with the day
    return LATER


def rename_section(content: Path) -> None:
    path = content / "kurashi/index.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: くらし", "title: くらしの情報"), encoding="utf-8"
    )


@pytest.mark.parametrize(
    "change",
    [edit_news, draft_linked_page, add_alert, rename_section, move_event, retitle_news, days_later],
    ids=lambda f: f.__name__,
)
def test_warm_build_equals_clean_build(tmp_path, change):
    warm, clean, _ = build_twice_and_clean(tmp_path, change)
    assert warm.keys() == clean.keys()
    different = [name for name in warm if warm[name] != clean[name]]
    assert different == []


def test_listings_follow_the_day(tmp_path):
    """The later build must really differ: the checks above would pass on a cache that ignored time."""
    warm, _, _ = build_twice_and_clean(tmp_path, days_later)
    assert "年末年始の窓口" in warm["news/index.html"]
    assert "運動会" in warm["events/past/index.html"] and "運動会" not in warm["events/index.html"]


def test_an_edit_shows_up_and_unchanged_pages_come_from_the_cache(tmp_path):
    warm, _, project = build_twice_and_clean(tmp_path, edit_news)
    assert "雨天のため中止します。" in warm["news/2026/matsuri/index.html"]
    assert "雨天のため中止します。" in warm["feeds/news.xml"]  # feeds get the new body too
    entries = list((project / ".cache/pages").glob("*/*/page.html"))
    # One entry per cacheable page: the edited page's old entry was pruned, not kept beside the new one.
    pages = [name for name in warm if name.endswith("index.html") and "pagefind" not in name]
    assert len(entries) <= len(pages)
    stored = "".join(path.read_text(encoding="utf-8") for path in entries)
    assert "楽しいお祭りです。" not in stored and "雨天のため中止します。" in stored


def strict_build(project: Path):
    return run([str(BIN / "mkdocs"), "build", "--strict"], project)


@pytest.mark.parametrize("break_link", ["edit", "remove_target"])
def test_a_strict_build_on_a_warm_cache_still_fails_on_a_link_the_change_breaks(tmp_path, break_link):
    """Pull requests build strictly on the publish workflow's cache. The links of every file are
    checked on every build, stored page or not: removing a page breaks the unchanged page that
    links to it (its stored record and page must not hide that)."""
    project = write_project(
        tmp_path / "town", FILES | {"kurashi/shien.md": "---\ntitle: 支援\n---\n\n支援の案内。\n"}
    )
    assert mkdocs_build(project).returncode == 0
    gomi = project / "content/kurashi/gomi.md"
    if break_link == "edit":
        gomi.write_text(gomi.read_text(encoding="utf-8") + "\n[支援](nai.md)\n", encoding="utf-8")
    else:
        gomi.write_text(gomi.read_text(encoding="utf-8") + "\n[支援](shien.md)\n", encoding="utf-8")
        assert strict_build(project).returncode == 0  # stored with a good link
        (project / "content/kurashi/shien.md").unlink()
    result = strict_build(project)
    assert result.returncode != 0, result.output
    target = "nai.md" if break_link == "edit" else "shien.md"
    assert f"content/kurashi/gomi.md:7: リンク先「{target}」のページが見つかりません" in result.output


def test_a_hit_skips_rendering(tmp_path):
    project = write_project(tmp_path / "town", FILES)
    assert mkdocs_build(project).returncode == 0
    page = project / "site/news/2026/matsuri/index.html"
    canonical = 'rel="canonical" href="https://town.example/news/2026/matsuri/"'
    [entry] = [
        p for p in (project / ".cache/pages").glob("*/*/page.html") if canonical in p.read_text("utf-8")
    ]
    # Mark the stored page: if the second build writes the mark, it used the store and rendered nothing.
    entry.write_text(
        entry.read_text("utf-8").replace("楽しいお祭りです。", "キャッシュから"), encoding="utf-8"
    )
    assert mkdocs_build(project).returncode == 0
    assert "キャッシュから" in page.read_text(encoding="utf-8")


def test_search_archive_is_indexed_again_only_when_one_of_its_pages_changes(tmp_path):
    """Built in 2026: posts of 2025 and before are in the archive shard, the rest in the main one."""
    old = "---\ntitle: 昔のお知らせ\ndate: 2023-05-01\ncategories: [kurashi]\n---\n\n古い記事です。\n"
    project = write_project(tmp_path / "town", FILES | {"news/2023/furui.md": old})
    assert mkdocs_build(project).returncode == 0
    before = {p.name for p in (project / ".cache/search").iterdir()}
    assert sorted(name.split("-")[0] for name in before) == ["archive", "main"]
    edit_news(project / "content")
    assert mkdocs_build(project).returncode == 0
    after = {p.name for p in (project / ".cache/search").iterdir()}
    assert [name.split("-")[0] for name in after - before] == ["main"]  # indexed anew, the old one pruned
    assert [name.split("-")[0] for name in before - after] == ["main"]
    texts = site_text(project / "site")
    main = [text for path, text in texts.items() if path.startswith("pagefind/fragment/")]
    archive = [text for path, text in texts.items() if path.startswith("pagefind/archive/fragment/")]
    assert any("雨天のため中止します。" in text for text in main)
    assert len(archive) == 1 and "古い記事です。" in archive[0]
    assert 'data-shards="pagefind/archive/"' in texts["search/index.html"]
