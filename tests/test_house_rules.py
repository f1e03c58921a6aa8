"""Accessibility house rules (JIS X 8341-3 AA) in `publisher check`: warnings by default, errors when configured.

Each case is a small real project run through the real console scripts. Line numbers count the
opening `---` as line 1: in `page(...)` the title is line 2 and the body starts on line 4.
"""

from __future__ import annotations

import pytest
from conftest import MINIMAL_CONFIG, ROOT, cli, mkdocs_build, publisher, write_project

from publisher.content.errors import WARNING, ContentError


def md(*lines: str) -> str:
    """A file from its lines, so that line N of the file is argument N."""
    return "\n".join(lines) + "\n"


def page(*body: str, title: str = "案内") -> str:
    return md("---", f"title: {title}", "---", *body)


def config(**rules: str) -> str:
    """MINIMAL_CONFIG with `house_rules:` under the town plugin."""
    return (
        MINIMAL_CONFIG
        + "      house_rules:\n"
        + "".join(f"        {rule}: {value}\n" for rule, value in rules.items())
    )


HOME = {"index.md": page("ようこそ。", title="ホーム")}
F = "content/kurashi/guide.md"
W = f"{F}:{{}}: 警告: "  # a warning on line {}
URL = "https://www.pref.gunma.jp/"
VAGUE = "では、どこへのリンクかわかりません。[ごみの出し方](…) のように、リンク先の名前をリンクの文字にしてください"
EMPTY = "に文字がありません。どこへのリンクかがわかる文字を書いてください（例: [ごみの出し方](../kurashi/gomi.md)）"
PLATFORM = "機種依存文字「{}」は環境によって表示されません。「{}」に置き換えてください"
KANA = "半角カタカナ「{}」は読み上げソフトで正しく読まれないことがあります。全角の「{}」に置き換えてください"

# rule: (the page kurashi/guide.md, every warning line `publisher check` must print)
CASES = {
    "heading-skip": (
        page("### 申込方法", "## 窓口", "#### 持ち物", "# 大見出し", "", "<h4>地図</h4>"),
        [
            W.format(4)
            + "見出し「申込方法」の階層が飛んでいます（タイトルの次に「###」）。「##」にしてください",
            W.format(6)
            + "見出し「持ち物」の階層が飛んでいます（「##」の次に「####」）。「###」にしてください",
            W.format(7)
            + "見出し「大見出し」に「#」は使えません（「#」はページのタイトルです）。「##」にしてください",
            W.format(9) + "見出し「地図」の階層が飛んでいます（「#」の次に「<h4>」）。「<h2>」にしてください",
        ],
    ),
    "table-header": (
        page(
            "| | |",
            "|---|:---:|",
            "| 燃やせるごみ | 月・木 |",
            "",
            "| 品目 | 出す日 |",
            "|---|---|",
            "| 資源ごみ | 水 |",
            "",
            "<table>",
            "<tr><td>燃やせないごみ</td><td>第2火曜</td></tr>",
            "</table>",
            "<table><tr><th>品目</th></tr></table>",
        ),
        [
            W.format(4)
            + "表の見出し行（1行目）が空です。各列の見出しを書いてください（例: | 日時 | 場所 |）",
            W.format(12)
            + "表（<table>）に見出しのセル（<th>）がありません。見出しの行や列を <th> で書いてください",
        ],
    ),
    "empty-link": (
        page(
            f"群馬県の情報は[]({URL})へ。",
            f'<a href="{URL}"> </a>',
            '<a id="top"></a>',
            f'<a href="{URL}"><img src="../images/pref.png" alt="群馬県のホームページ"></a>',
        ),
        [W.format(4) + f"リンク「{URL}」{EMPTY}", W.format(5) + f"リンク「{URL}」{EMPTY}"],
    ),
    "vague-link": (
        page(
            f"申込書は[こちら]({URL})。",
            f"[「詳しくはこちら」]({URL})",
            f'<a href="{URL}">ここ</a>',
            f"[群馬県の申込書]({URL})",
            f"[こちらの窓口一覧]({URL})",
        ),
        [
            W.format(4) + f"リンクの文字「こちら」{VAGUE}",
            W.format(5) + f"リンクの文字「「詳しくはこちら」」{VAGUE}",
            W.format(6) + f"リンクの文字「ここ」{VAGUE}",
        ],
    ),
    "platform-chars": (
        page("①受付 ②審査 ①へ戻る", "㈱甘楽 ㍻元年 ㋿8年 10㌔ ℡ №5 Ⅲ ㊤ ㈪", title="第①回 説明会"),
        [W.format(2) + "title（タイトル）: " + PLATFORM.format("①", "(1)")]
        + [W.format(4) + PLATFORM.format(c, r) for c, r in (("①", "(1)"), ("②", "(2)"))]
        + [
            W.format(5) + PLATFORM.format(c, r)
            for c, r in (
                ("㈱", "(株)"),
                ("㍻", "平成"),
                ("㋿", "令和"),
                ("㌔", "キロ"),
                ("℡", "TEL"),
                ("№", "No."),
                ("Ⅲ", "III"),
                ("㊤", "(上)"),
                ("㈪", "(月)"),
            )
        ],
    ),
    "halfwidth-kana": (
        md("---", "title: 観光案内", "summary: 町のｶﾞｲﾄﾞです。", "---", "ﾊﾟﾝﾌﾚｯﾄと｢ﾏｯﾌﾟ｣があります。"),
        [
            W.format(3) + "summary（概要）: " + KANA.format("ｶﾞｲﾄﾞ", "ガイド"),
            W.format(5) + KANA.format("ﾊﾟﾝﾌﾚｯﾄ", "パンフレット"),
            W.format(5) + KANA.format("｢ﾏｯﾌﾟ｣", "「マップ」"),
        ],
    ),
}


def lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if line.strip())


def in_file_order(expected: list[str]) -> list[str]:
    """As check sorts problems: by file, line number, then message."""
    return sorted(expected, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), line))


@pytest.mark.parametrize("rule", CASES)
def test_each_rule_warns_on_its_line_and_check_succeeds(tmp_path, rule):
    text, expected = CASES[rule]
    project = write_project(tmp_path, {**HOME, "kurashi/guide.md": text})
    result = cli(project, "check")
    assert result.returncode == 0, result.output
    summary = f"エラーはありません（2 ファイル: ページ 2）。警告 {len(expected)} 件: 上の「ファイル:行」を確認してください"
    assert result.stdout.splitlines() == in_file_order(expected) + [summary]
    assert "Traceback" not in result.output


def test_code_and_comments_are_not_checked(tmp_path):
    text = page(
        "```",
        "#### ①ｶﾞｲﾄﾞ [こちら](x) <img src=a.png>",
        "```",
        "~~~~",
        "| | |",
        "|---|---|",
        "~~~~",
        f"`①` と `[]({URL})` は書き方の説明です。<!-- ② ｶﾅ -->",
        "## 窓口",
    )
    project = write_project(tmp_path, {**HOME, "kurashi/guide.md": text})
    result = cli(project, "check")
    assert result.returncode == 0, result.output
    assert result.stdout.strip() == "問題はありません（2 ファイル: ページ 2）"


def test_html_image_without_alt_is_an_error_by_default(tmp_path):
    project = write_project(
        tmp_path, {**HOME, "kurashi/guide.md": page('<img src="map.png">', '<img src="b.png" alt="">')}
    )
    result = cli(project, "check")
    assert result.returncode == 1
    message = 'に説明（代替テキスト）がありません。<img alt="説明" …> の形で書いてください'
    assert lines(result.stdout) == [f"{F}:4: 画像「map.png」{message}", f"{F}:5: 画像「b.png」{message}"]
    assert "2 件の問題があります。" in result.stderr


@pytest.mark.slow  # a real build, and the check as staff run it
def test_a_rule_configured_as_error_fails_check_and_build(tmp_path):
    text = page(f"申込書は[こちら]({URL})。", "ﾁﾗｼ")
    project = write_project(tmp_path, {**HOME, "kurashi/guide.md": text}, config(**{"vague-link": "error"}))
    result = publisher(project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{F}:4: リンクの文字「こちら」{VAGUE}",
        W.format(5) + KANA.format("ﾁﾗｼ", "チラシ"),
    ]
    assert "1 件の問題があります（ほかに警告 1 件）。" in result.stderr
    built = mkdocs_build(project)
    assert built.returncode != 0
    assert f"  {F}:4: リンクの文字「こちら」{VAGUE}" in built.output
    assert not (project / "site").exists()


@pytest.mark.slow  # a real build, and the check as staff run it
def test_image_alt_may_be_lowered_to_a_warning_and_the_build_succeeds(tmp_path):
    project = write_project(
        tmp_path,
        {**HOME, "kurashi/guide.md": page('<img src="map.png">')},
        config(**{"image-alt": "warning", "halfwidth-kana": "error"}),
    )
    result = publisher(project, "check")
    assert result.returncode == 0, result.output
    assert (
        result.stdout.splitlines()[0]
        == W.format(4)
        + '画像「map.png」に説明（代替テキスト）がありません。<img alt="説明" …> の形で書いてください'
    )
    assert mkdocs_build(project).returncode == 0


def test_errors_and_warnings_are_reported_together_sorted(tmp_path):
    text = page("ﾁﾗｼ", "[窓口](nothere.md)")
    project = write_project(tmp_path, {**HOME, "kurashi/guide.md": text})
    result = cli(project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        W.format(4) + KANA.format("ﾁﾗｼ", "チラシ"),
        f"{F}:5: リンク先「nothere.md」のページが見つかりません",
    ]
    assert "1 件の問題があります（ほかに警告 1 件）。" in result.stderr


RULE_NAMES = "heading-skip、image-alt、table-header、empty-link、vague-link、platform-chars、halfwidth-kana"


@pytest.mark.parametrize(
    "rules, expected",
    [
        (
            config(**{"vage-link": "error"}),
            f"mkdocs.yml: plugins.town.house_rules.vage-link という規則はありません（vague-link の書き間違いではありませんか）。使える規則: {RULE_NAMES}",
        ),
        (
            config(**{"halfwidth-kana": "fatal"}),
            "mkdocs.yml: plugins.town.house_rules.halfwidth-kana の値「fatal」は使えません。warning（警告）か error（エラー）を書いてください",
        ),
        (
            MINIMAL_CONFIG + "      house_rules: [vague-link]\n",
            "mkdocs.yml: plugins.town.house_rules は「規則名: warning」か「規則名: error」の形で書いてください",
        ),
    ],
)
def test_unknown_rule_or_severity_in_config_is_a_clear_error(tmp_path, rules, expected):
    project = write_project(tmp_path, HOME, rules)
    result = cli(project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [expected]
    assert "Traceback" not in result.output


def test_github_actions_annotation_for_a_warning(tmp_path):
    project = write_project(tmp_path, {**HOME, "kurashi/guide.md": page("### 申込方法")})
    result = cli(project, "check", GITHUB_ACTIONS="true")
    assert result.returncode == 0
    message = "見出し「申込方法」の階層が飛んでいます（タイトルの次に「###」）。「##」にしてください"
    assert result.stdout.splitlines()[:2] == [W.format(4) + message, f"::warning file={F},line=4::{message}"]


def test_warning_without_a_line():
    assert (
        str(ContentError("content/a.md", 0, "確認してください", WARNING))
        == "content/a.md: 警告: 確認してください"
    )


def test_the_sample_content_has_no_errors_and_no_warnings():
    result = cli(ROOT, "check")
    assert result.returncode == 0, result.output
    assert result.stdout.startswith("問題はありません"), result.output
