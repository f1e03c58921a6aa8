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
    first = typed(project, "冬の防災訓練\nkurashi\n\n")  # no file name: named by the date
    assert "タイトル" in first.stdout and (project / "content/news/2026/2026-06-01-1.md").is_file()
    typed(project, "二つ目\nkurashi\n\n")
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


def test_a_wrong_answer_is_asked_again_with_the_checks_message_and_nothing_is_lost(tmp_path):
    project = write_project(tmp_path, HOME)
    answers = [
        "こんにゃく教室",  # title
        "sports",  # category: not declared → asked again
        "観光",  # the category's label, as the check accepts it in a file
        "2026-13-04 10:00",  # start: no 13th month → asked again
        "",  # required → asked again
        "令和8年7月4日 10時",
        "正午",  # end: not a time the check reads → asked again
        "12:00",
        "公民館",  # place
        "500円",  # fee
        "",  # apply: none
        "産業課 0274-74-0100",  # contact
        "Konnyaku Kyoshitsu",  # file name: not a URL-safe name → asked again
        "konnyaku",
    ]
    result = cli(project, "new", "event", now="2026-06-01 09:00", stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.output
    for message in ("登録されていません", "13月", "入力してください", "「Konnyaku Kyoshitsu」は使えません"):
        assert message in result.output, message
    text = (project / "content/events/2026/konnyaku.md").read_text(encoding="utf-8")
    assert "categories:\n  - kanko" in text and "start: 令和8年7月4日 10時" in text
    assert "end: '12:00'" in text or 'end: "12:00"' in text or "end: 12:00" in text
    assert "fee: 500円" in text and "contact: 産業課 0274-74-0100" in text and "apply" not in text
    assert cli(project, "check").returncode == 0


def test_a_wrong_option_stops_with_the_checks_message_and_writes_nothing(tmp_path):
    project = write_project(tmp_path, HOME)
    args = ["event", "--title", "x", "--category", "kanko", "--start", "2026-02-30", "--place", "公民館"]
    result = cli(project, "new", *args, now="2026-06-01 09:00")
    assert result.returncode == 1 and "2月30日" in result.stderr
    assert not (project / "content/events").exists()
