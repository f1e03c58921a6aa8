"""The pull-request summary and a failed check as staff see them on a run's Summary page.

GitHub renders the Markdown that `publisher changes` and `publisher check` write into the job
summary; here the `markdown` package renders it with a little of GitHub's look, Chromium shows
it, and the staff guide's screenshots are taken from it (`make screenshots`).
"""

from __future__ import annotations

import markdown
import pytest
from conftest import cli, write_project
from test_changes import pull_request

pytestmark = pytest.mark.slow  # a browser

# GitHub's job summary in a few rules: its font, tables with borders, quotes with a grey bar.
GITHUB_CSS = """
body { margin: 0; background: #f6f8fa; font: 14px/1.5 "Noto Sans CJK JP", sans-serif; color: #1f2328; }
.box { margin: 16px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.box > h1 { margin: 0; padding: 12px 16px; font-size: 14px; border-bottom: 1px solid #d1d9e0; }
.markdown-body { padding: 8px 24px 16px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
h3 { font-size: 1.25em; } h4 { font-size: 1em; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
tr:nth-child(2n) td { background: #f6f8fa; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; }
a { color: #0969da; } del { color: #d1242f; } b { color: #1a7f37; }
details { margin-bottom: 16px; } summary { cursor: pointer; }
"""


def github_page(text: str, title: str) -> str:
    """The Markdown as GitHub shows a job's summary (Markdown inside <details> included)."""
    body = markdown.markdown(
        text.replace("<details>", '<details markdown="1">'), extensions=["tables", "md_in_html"]
    )
    return (
        f'<!doctype html><html lang="ja"><meta charset="utf-8"><style>{GITHUB_CSS}</style>'
        f'<div class="box"><h1>{title}</h1><div class="markdown-body">{body}</div></div></html>'
    )


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 800}, locale="ja-JP")
    yield context.new_page()
    context.close()


def test_the_pull_request_summary_as_reviewers_read_it(tmp_path, page, screenshots):
    project = pull_request(tmp_path)
    summary = cli(project, "changes", "--base", "main", GITHUB_ACTIONS="true").stdout

    page.set_content(github_page(summary, "check summary"))

    assert page.locator("h4", has_text="道の駅の営業時間が変わります").is_visible()
    assert page.locator("td", has_text="2026年12月31日（木） 17:00").is_visible()  # 掲載終了
    assert (
        page.locator("del", has_text="3").first.is_visible() and page.locator("b", has_text="4").is_visible()
    )
    assert (
        page.locator("a[href='https://town.example/news/2026/fresh/']").count() == 0
    )  # 404 before the merge
    assert page.locator("blockquote", has_text="営業時間を午前9時からに変えます").first.is_visible()
    folded = page.locator("details")
    assert folded.count() == 1 and not folded.locator("li", has_text="順番待ちのお知らせ1").is_visible()
    first_post = page.locator("li", has_text="頻度の上限のため次回").first
    assert first_post.locator("blockquote").is_visible()  # the post's text inside its list item
    page.locator(".box").screenshot(path=str(screenshots / "pr-summary.png"))


def test_a_failed_check_as_staff_see_it_on_the_summary_page(tmp_path, page, screenshots):
    project = write_project(
        tmp_path / "town",
        {
            "news/2026/gomi.md": "---\ntitle: ごみ収集のお知らせ\ndate: 2026-13-01\ncategories: [kurashi]\n---\n\n本文\n",
            "news/2026/link.md": "---\ntitle: 申込のお知らせ\ndate: 2026-11-01\ncategories: [kurashi]\n---\n\n"
            "申込は[こちら](https://town.example/)。\n",
            "events/2026/matsuri.md": "---\ntitle: 祭り\ndate: 2026-11-01\ncategories: [kanko]\n"
            "start: 2026-12-05 10:00\n---\n\n本文\n",
        },
    )
    summary = tmp_path / "summary.md"
    summary.touch()

    result = cli(project, "check", GITHUB_STEP_SUMMARY=str(summary))
    page.set_content(github_page(summary.read_text(encoding="utf-8"), "check summary"))

    assert result.returncode == 1
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).inner_text().split("\t")[:2] == ["content/events/2026/matsuri.md", "1"]
    assert "13月はありません" in rows.nth(1).inner_text() and "警告:" in rows.nth(2).inner_text()
    page.locator(".box").screenshot(path=str(screenshots / "check-failure.png"))
