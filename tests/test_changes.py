"""`publisher changes`: what a pull request would publish, compared with the base revision in git."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import cli, news, write_project


def git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=project,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "PATH": "/usr/bin:/bin",
            "HOME": str(project),
        },
    )


def test_lists_new_changed_withdrawn_scheduled_and_draft_pages(tmp_path):
    project = write_project(
        tmp_path / "town",
        {
            "index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n",
            "news/2026/kept.md": news("変わらないお知らせ"),
            "news/2026/edited.md": news("直すお知らせ"),
            "news/2026/removed.md": news("消すお知らせ"),
            "news/2026/to-draft.md": news("下書きに戻すお知らせ"),
        },
    )
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "base")
    content = project / "content/news/2026"
    (content / "edited.md").write_text(news("直すお知らせ", "本文を直しました。"), encoding="utf-8")
    (content / "removed.md").unlink()
    (content / "to-draft.md").write_text(
        news("下書きに戻すお知らせ", extra="draft: true\n"), encoding="utf-8"
    )
    (content / "fresh.md").write_text(news("新しいお知らせ"), encoding="utf-8")
    (content / "later.md").write_text(
        news("予約のお知らせ", extra="publish_at: 2026-12-01 09:00\n"), encoding="utf-8"
    )
    (content / "idea.md").write_text(news("書きかけのお知らせ", extra="draft: true\n"), encoding="utf-8")

    result = cli(project, "changes", "--base", "main")

    assert result.returncode == 0, result.output
    sections = _sections(result.stdout)
    assert sections["新しく公開されるページ（1 件）"] == [
        "- [新しいお知らせ](https://town.example/news/2026/fresh/)（お知らせ・`content/news/2026/fresh.md`）"
    ]
    assert sections["内容が変わるページ（1 件）"] == [
        "- [直すお知らせ](https://town.example/news/2026/edited/)（お知らせ・`content/news/2026/edited.md`）"
    ]
    assert sections["公開をやめるページ（2 件）"] == [
        "- 消すお知らせ（お知らせ・`content/news/2026/removed.md`）　ファイルを削除",
        "- 下書きに戻すお知らせ（お知らせ・`content/news/2026/to-draft.md`）　下書き",
    ]
    [scheduled] = sections["公開予約（日時が来ると自動で公開）（1 件）"]
    assert scheduled.startswith("- 予約のお知らせ（お知らせ・`content/news/2026/later.md`）　2026年12月1日")
    assert sections["下書き（公開されません）（1 件）"] == [
        "- 書きかけのお知らせ（お知らせ・`content/news/2026/idea.md`）"
    ]
    assert "変わらないお知らせ" not in result.stdout


def test_no_change_says_so(tmp_path):
    project = write_project(tmp_path / "town", {"news/2026/kept.md": news("変わらないお知らせ")})
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "base")

    result = cli(project, "changes", "--base", "main")

    assert result.returncode == 0, result.output
    assert "公開されるページの変更はありません。" in result.stdout


def test_unknown_base_lists_everything_as_new_and_says_why(tmp_path):
    project = write_project(tmp_path / "town", {"news/2026/fresh.md": news("新しいお知らせ")})
    git(project, "init", "-q", "-b", "main")

    result = cli(project, "changes", "--base", "no-such-branch")

    assert result.returncode == 0, result.output
    assert "比較元 no-such-branch を読めません" in result.stdout
    assert "- [新しいお知らせ](https://town.example/news/2026/fresh/)" in result.stdout


def _sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("### "):
            current = sections.setdefault(line[4:], [])
        elif line.startswith("- ") and current is not None:
            current.append(line)
    return sections
