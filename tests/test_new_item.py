"""`publisher new` writes files that pass the check, at the path the content contract gives."""

from __future__ import annotations

import pytest
from conftest import Result, cli, write_project

HOME = {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"}


@pytest.mark.parametrize(
    "args, path",
    [
        (["news", "--title", "冬の防災訓練", "--category", "kurashi"], "content/news/2026/2026-06-01-1.md"),
        (
            [
                "event",
                "--title",
                "こんにゃく教室",
                "--category",
                "kanko",
                "--start",
                "令和8年7月4日 10時",
                "--place",
                "公民館",
                "--slug",
                "konnyaku",
            ],
            "content/events/2026/konnyaku.md",
        ),
        (["alert", "--title", "大雨に注意", "--level", "warning"], "content/alerts/2026-06-01-1.md"),
        (
            ["page", "--title", "ごみの出し方", "--section", "kurashi", "--slug", "gomi"],
            "content/kurashi/gomi.md",
        ),
    ],
)
def test_new_files_pass_the_check(tmp_path, args, path):
    project = write_project(tmp_path, HOME)
    result = cli(project, "new", *args, now="2026-06-01 09:00")
    assert result.returncode == 0, result.output
    assert (project / path).is_file()
    assert cli(project, "check").returncode == 0


def test_missing_answers_are_asked_and_names_never_overwritten(tmp_path):
    project = write_project(tmp_path, HOME)
    first = typed(project, "冬の防災訓練\nkurashi\n")
    assert "タイトル" in first.stdout and (project / "content/news/2026/2026-06-01-1.md").is_file()
    typed(project, "二つ目\nkurashi\n")
    assert (project / "content/news/2026/2026-06-01-2.md").is_file()
    clash = cli(
        project,
        "new",
        "news",
        "--title",
        "x",
        "--category",
        "kurashi",
        "--slug",
        "2026-06-01-1",
        now="2026-06-01 09:00",
    )
    assert clash.returncode == 1 and "すでにあります" in clash.stderr
    wrong = cli(project, "new", "news", "--title", "x", "--category", "sports", now="2026-06-01 09:00")
    assert wrong.returncode == 1 and "登録されていません" in wrong.stderr


def typed(project, answers: str) -> Result:
    """`publisher new news` answering its questions on standard input, as staff would type them."""
    return cli(project, "new", "news", now="2026-06-01 09:00", stdin=answers)
