"""`publisher new` writes files that pass the check, at the path the content contract gives."""

from __future__ import annotations

import subprocess

import pytest
from conftest import BIN, MINIMAL_CONFIG, ROOT, Result, cli, news, program_env, write_project

from publisher.commands.file_names import romanised, suggest
from publisher.content.config import load_project

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
    assert "draft: true" in (project / path).read_text(encoding="utf-8")
    assert cli(project, "check").returncode == 0


def test_missing_answers_are_asked_and_names_never_overwritten(tmp_path):
    project = write_project(tmp_path, HOME)
    first = typed(project, "冬の防災訓練\nkurashi\n\n")  # Enter takes the suggested name
    assert "タイトル" in first.stdout and "Enter で「fuyu-bosai-kunren」" in first.stdout
    assert (project / "content/news/2026/fuyu-bosai-kunren.md").is_file()
    again = typed(project, "冬の防災訓練\nkurashi\n\n")  # the same title: the year is added
    assert "Enter で「fuyu-bosai-kunren-2026」" in again.stdout
    assert (project / "content/news/2026/fuyu-bosai-kunren-2026.md").is_file()
    typed(project, "！？\nkurashi\n\n")  # nothing to read: named by the date
    assert (project / "content/news/2026/2026-06-01-1.md").is_file()
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


def test_a_name_another_year_took_is_asked_again(tmp_path):
    """The check refuses two news items with one name in any years (one address per name)."""
    project = write_project(tmp_path, {**HOME, "news/2025/gomi.md": news("ごみ")})
    result = typed(project, "ごみの日\nくらし\ngomi\ngomi-hi\n")
    assert "「gomi」は content/news/2025/gomi.md で使われています" in result.stdout
    assert (project / "content/news/2026/gomi-hi.md").is_file()
    assert cli(project, "check").returncode == 0


def test_alerts_and_pages_are_asked_their_level_and_folder(tmp_path):
    project = write_project(tmp_path, {**HOME, "kurashi/index.md": "---\ntitle: くらし\n---\n"})
    alert = cli(project, "new", "alert", now="2026-06-01 09:00", stdin="大雨に注意\n大雨\n緊急\n\n")
    assert "緊急度の値「大雨」は使えません" in alert.stdout, alert.output
    text = (project / "content/alerts/oame-chui.md").read_text(encoding="utf-8")
    assert "level: emergency" in text and "draft: true" in text
    page = cli(project, "new", "page", now="2026-06-01 09:00", stdin="ごみの出し方\nnews\nkurashi\n\n")
    assert "news/ はページを置くフォルダではありません" in page.stdout and "（kurashi）" in page.stdout
    assert (project / "content/kurashi/gomi-dashikata.md").is_file()
    assert cli(project, "check").returncode == 0


def test_a_file_the_check_refuses_is_removed_again(tmp_path):
    """A page at the address of a generated one (search/) passes every answer but not the check."""
    project = write_project(tmp_path, HOME)
    result = cli(
        project, "new", "page", "--title", "検索の使い方", "--slug", "search", now="2026-06-01 09:00"
    )
    assert result.returncode == 1 and "作ったファイルが確認を通らないため、消しました" in result.stderr
    assert "content/search.md:1: この URL（/search/）には自動で作られるページがあるため" in result.stderr
    assert not (project / "content/search.md").exists()


def test_stopping_half_way_writes_nothing_and_says_so_in_japanese(tmp_path):
    project = write_project(tmp_path, HOME)
    result = typed(project, "冬の防災訓練\n")  # the answers end before the category (as Ctrl+D would)
    assert result.returncode == 1 and "中止しました。ファイルは作っていません。" in result.stderr
    assert "Aborted" not in result.output and not (project / "content/news").exists()


def test_another_files_problem_is_shown_but_the_new_file_is_kept(tmp_path):
    broken = {**HOME, "news/2026/old.md": "---\ntitle: 古い\ndate: 2026-13-01\ncategories: [kurashi]\n---\n"}
    project = write_project(tmp_path, broken)
    result = typed(project, "新しいお知らせ\nkurashi\nnew-one\n")
    assert result.returncode == 0 and (project / "content/news/2026/new-one.md").is_file()
    assert "注意: ほかのファイルに問題があります（作ったファイルには問題ありません）" in result.stdout
    assert "content/news/2026/old.md:3: date（掲載日）: 日付「2026-13-01」: 13月はありません" in result.stdout


def test_the_template_text_passes_as_a_draft_and_is_refused_once_published(tmp_path):
    project = write_project(tmp_path, HOME)
    options = "--category 観光 --start 2026-07-04T10:00 --place 公民館 --slug konnyaku".split()
    made = cli(project, "new", "event", "--title", "こんにゃく教室", *options, now="2026-06-01 09:00")
    assert made.returncode == 0 and "下書き（draft: true）として作りました" in made.stdout
    path = project / "content/events/2026/konnyaku.md"
    assert cli(project, "check").returncode == 0
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    refused = cli(project, "check")
    assert refused.returncode == 1
    assert (
        "content/events/2026/konnyaku.md:10: ひな形の文「ここにイベントの内容を書きます。」が残っています"
        in refused.stdout
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "ここにイベントの内容を書きます。", "こんにゃくを作ります。"
        ),
        encoding="utf-8",
    )
    assert cli(project, "check").returncode == 0


SUGGESTED = {
    "年末年始のごみ収集について": "nenmatsunenshi-gomi-shushu",
    "こんにゃく教室を開きます": "konnyaku-kyoshitsu",
    "大雨による避難指示": "oame-hinan-shiji",
    "ＤＸ推進計画を公表しました": "dx-suishin-keikaku-kohyo",
    "第45回甘楽町町民作品展": "dai45-kai-kanramachi-chomin-sakuhinten",
    "インフルエンザ予防接種のお知らせ": "infuruenza-yobosesshu",
    "町民運動会": "chomin-undokai",  # a compound the dictionary has keeps its one reading
    "こんにゃく": "konnyaku",
    "図書館": "toshokan",
    "YouTube講座": "youtube-koza",  # words in Latin letters keep their spelling (not yotube)
    "Zoom相談会": "zoom-sodan-kai",
}
ROMAJI = {"まっちゃ": "matcha", "きっぷ": "kippu", "しゅうしゅう": "shushu", "ふぁいる": "fairu"}
ROMAJI |= {"じぇっと": "jetto", "せんえん": "senen", "ちぇっく": "chekku", "ゔぁ": "va"}


@pytest.mark.parametrize("title, name", SUGGESTED.items())
def test_the_suggested_name_is_the_titles_reading_in_ascii(title, name):
    assert suggest(title) == name


def test_the_configs_readings_come_first_in_the_suggested_name():
    """The core dictionary has no 水道管: it reads 水 みず + 道管 どうかん (mizu-dokan). The town
    lists such words once in `readings:`, which ふりがな uses too."""
    listed = (("水道管", "すいどうかん"), ("楽山園", "らくさんえん"))
    assert suggest("水道管の修繕工事の見学会", listed) == "suidokan-shuzen-koji-kengaku-kai"
    assert suggest("楽山園の水道管", listed) == "rakusanen-suidokan"
    assert suggest("図書館の水道管工事", listed) == "toshokan-suidokan-koji"


def test_publisher_new_suggests_names_with_the_sites_readings(tmp_path):
    """What the walkthrough typed: `make new` reads `readings:` from mkdocs.yml (the sample lists 水道管)."""
    assert ("水道管", "すいどうかん") in load_project(ROOT / "mkdocs.yml").site.readings
    config = MINIMAL_CONFIG + "      readings:\n        水道管: すいどうかん\n"
    project = write_project(tmp_path, HOME, config)
    asked = typed(project, "水道管の修繕工事のお知らせ\nkurashi\n\n")
    assert "Enter で「suidokan-shuzen-koji」" in asked.stdout, asked.output
    assert (project / "content/news/2026/suidokan-shuzen-koji.md").is_file()


@pytest.mark.parametrize("kana, ascii_", ROMAJI.items())
def test_kana_are_romanised_hepburn_ish(kana, ascii_):
    assert romanised(kana) == ascii_


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


@pytest.mark.slow  # make and the console script in a subprocess
def test_make_new_asks_the_kind_too_and_writes_the_file(tmp_path):
    """What staff type in the repository folder: `make new`, no .venv/bin/ (the venv's setup skipped)."""
    project = write_project(tmp_path, HOME)
    answers = "イベント\nこんにゃく教室\nくらし\n2026-07-04 10:00\n\n公民館\n\n\n\n\n"
    make = ["make", "-f", str(ROOT / "Makefile"), "-o", "setup", "new", f"BIN={BIN}"]
    done = subprocess.run(
        make, cwd=project, input=answers, env=program_env("2026-06-01 09:00"), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "作るものの種類（news=お知らせ、event=イベント" in done.stdout
    text = (project / "content/events/2026/konnyaku-kyoshitsu.md").read_text(encoding="utf-8")
    assert "categories:\n  - kurashi" in text and "draft: true" in text


def test_ctrl_c_while_the_site_is_checked_leaves_no_file(tmp_path, monkeypatch):
    """The file is written, then the whole site is checked with it: stopped there (Ctrl+C), the
    file goes again, as the Japanese message says (「ファイルは作っていません」)."""
    from datetime import datetime

    from publisher.commands import new_item

    project_dir = write_project(tmp_path / "town", HOME)
    project = load_project(project_dir / "mkdocs.yml")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(new_item, "_site_problems", interrupted)
    item = new_item.NewItem("news", "冬の防災訓練", slug="bosai", category="kurashi")
    with pytest.raises(KeyboardInterrupt):
        new_item.create(item, project, datetime(2026, 6, 1, 9, 0))
    assert not list((project_dir / "content/news").rglob("*.md"))
