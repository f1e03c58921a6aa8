"""`publisher check` messages of issue 18 that are not errors of one field: category labels as
staff write them (the same in the check, `publisher new` and the form), and the warning when a
custom SNS text would be cut (measured as `publisher syndicate` composes the post)."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import MINIMAL_CONFIG, cli, write_project

from publisher.content.config import load_project, parse_site_config
from publisher.content.dates import JST
from publisher.content.errors import FieldError
from publisher.content.lengths import LIMITS, length
from publisher.content.reader import load_site, read_field
from publisher.outputs.admin_form import form_fields
from publisher.syndication.compose import PUBLISH, compose

CATEGORIES = [
    {"slug": "kurashi", "label": "くらし・手続き"},
    {"slug": "kosodate", "label": "子育て・教育"},
    {"slug": "gakko", "label": "学校・教育"},
    {"slug": "bosai", "label": "防災・安全"},
]
CONFIG = parse_site_config({"town_name": "テスト町", "categories": CATEGORIES})


@pytest.mark.parametrize(
    "written, slug",
    [
        ("kurashi", "kurashi"),
        ("くらし・手続き", "kurashi"),  # the label as the form shows it
        ("くらし", "kurashi"),  # the first word of the label
        ("手続き", "kurashi"),
        ("くらし手続き", "kurashi"),
        ("くらし ・ 手続き", "kurashi"),
        ("Kurashi", "kurashi"),
        ("ｋｕｒａｓｈｉ", "kurashi"),  # typed with the IME on
        ("防災", "bosai"),
        ("子育て", "kosodate"),
    ],
)
def test_a_category_is_read_from_its_slug_label_or_a_word_of_its_label(written, slug):
    assert read_field("news", "categories", [written], CONFIG) == (slug,)
    assert read_field("news", "categories", written, CONFIG) == (slug,)


def test_a_word_two_labels_share_names_no_category():
    with pytest.raises(
        FieldError, match="分類「教育」は登録されていません。使える分類: kurashi（くらし・手続き）"
    ):
        read_field("news", "categories", ["教育"], CONFIG)


def test_the_forms_category_labels_are_read_by_the_check_as_the_values_the_form_writes():
    for kind in ("news", "event"):
        options = next(f for f in form_fields(kind, CONFIG) if f["name"] == "categories")["options"]
        assert len(options) == len(CATEGORIES)
        for option in options:
            assert read_field(kind, "categories", [option["label"]], CONFIG) == (option["value"],)


def test_a_file_with_labels_passes_the_check(tmp_path):
    project = write_project(
        tmp_path,
        {
            "index.md": "---\ntitle: ホーム\n---\nようこそ。\n",
            "news/2026/a.md": "---\ntitle: 説明会\ndate: 2026-04-01\ncategories: [くらし, 観光]\n---\n本文です。\n",
        },
    )
    assert cli(project, "check").returncode == 0


# An X text of N Japanese characters weighs 2N; the post adds a line with the link (23) and the
# site's hashtag: "\n" + 23 + "\n#テスト町" = 1 + 23 + 1 + 1 + 2*4 = 34.
# twitter-text counts a link as 23 only under a real top-level domain (not .example).
SNS_CONFIG = (
    MINIMAL_CONFIG.replace("https://town.example/", "https://www.town.kanra.lg.jp/")
    + "      syndication:\n        site_hashtags: [テスト町]\n"
)
HOME = {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"}
X_ROOM = (LIMITS["x"] - 34) // 2  # 123 Japanese characters fit beside the link and the tag


def sns_news(sns: str) -> str:
    return f"---\ntitle: 訓練\ndate: 2026-04-01\ncategories: [kurashi]\nsns:\n{sns}---\n本文です。\n"


CUT = "警告: sns の {label} 向けの文面が長すぎるため、投稿では最後が「…」で切られます（リンク・ハッシュタグを入れた投稿が {size}、{label} の上限は {limit}。{rule}）。{shorter}短くしてください"
X_RULE = "X は日本語の 1 文字を 2、リンクを 23 と数えます"
BLUESKY_RULE = "Bluesky は絵文字も含めて見た目の 1 文字を 1 と数え、リンクも全部数えます"
# name: (files, every line `publisher check` prints before its summary); each exits 0 (warnings only)
WARNING_CASES = {
    "sns_text_too_long_for_x": (
        {"news/2026/x.md": sns_news(f"  text:\n    x: {'あ' * (X_ROOM + 1)}\n")},
        [
            "content/news/2026/x.md:5: "
            + CUT.format(label="X", size=282, limit=280, rule=X_RULE, shorter="日本語で 1 文字以上")
        ],
    ),
    "sns_text_for_every_channel_too_long_for_two": (  # Bluesky counts the whole link
        {"news/2026/all.md": sns_news(f"  text: {'い' * 260}\n")},
        [
            "content/news/2026/all.md:5: "
            + CUT.format(label="Bluesky", size=310, limit=300, rule=BLUESKY_RULE, shorter="10 文字以上"),
            "content/news/2026/all.md:5: "
            + CUT.format(label="X", size=554, limit=280, rule=X_RULE, shorter="日本語で 137 文字以上"),
        ],
    ),
}


@pytest.mark.parametrize("name", WARNING_CASES)
def test_a_custom_sns_text_that_would_be_cut_is_a_warning_with_its_length(tmp_path, name):
    files, expected = WARNING_CASES[name]
    project = write_project(tmp_path, {**HOME, **files}, SNS_CONFIG)
    result = cli(project, "check")
    assert result.returncode == 0, result.output
    assert result.stdout.splitlines()[:-1] == expected
    assert f"警告 {len(expected)} 件" in result.stdout


@pytest.mark.parametrize("extra, warned", [(0, False), (1, True)])
def test_the_warning_says_what_publisher_syndicate_does(tmp_path, extra, warned):
    """At the limit the custom text goes out whole; one character more and the post cuts it."""
    custom = "あ" * (X_ROOM + extra)
    files = {**HOME, "news/2026/x.md": sns_news(f"  text:\n    x: {custom}\n  skip: [bluesky]\n")}
    project = load_project(write_project(tmp_path, files, SNS_CONFIG) / "mkdocs.yml")
    site = load_site(
        project.content_dir, project.site, datetime(2026, 5, 1, tzinfo=JST), site_url=project.site_url
    )
    post = compose(site.items[-1], "x", PUBLISH, project.site.syndication, project.site_url, None)
    assert (custom in post.text) is not warned and post.text.endswith("#テスト町")
    assert length("x", post.text) <= LIMITS["x"]
    assert [w.message.startswith("sns の X") for w in site.warnings] == ([True] if warned else [])


def test_a_skipped_channel_is_not_measured(tmp_path):
    files = {**HOME, "news/2026/x.md": sns_news(f"  text:\n    x: {'あ' * 200}\n  skip: [x]\n")}
    assert cli(write_project(tmp_path, files, SNS_CONFIG), "check").stdout.startswith("問題はありません")


def test_colon_typos_read_past_leave_the_other_problems_of_the_file_in_the_same_run(tmp_path):
    """The walkthrough's event: `title:` without a space and `place：` typed with the IME on were
    the only two lines of the first run; the template text and the SNS warning came on the second."""
    event = (
        "---\ntitle:水道管の修繕工事の見学会\ndate: 2026-04-01\ncategories: [kurashi]\n"
        "start: 2026-06-20 10:00\nplace：役場前\nsns:\n"
        f"  text:\n    x: {'あ' * (X_ROOM + 5)}\n  skip: [bluesky]\n---\nここにイベントの内容を書きます。\n"
    )
    project = write_project(tmp_path, {**HOME, "events/2026/kengaku.md": event}, SNS_CONFIG)
    result = cli(project, "check")
    assert result.returncode == 1
    said = "content/events/2026/kengaku.md:{}: 設定（フロントマター）の書き方が正しくありません: {}"
    assert result.stdout.splitlines() == [
        said.format(2, "「:」と値の間に半角の空白を入れてください（例: title: 水道管の工事）"),
        said.format(6, "項目名の後ろの「：」（全角）を半角の「:」に直してください"),
        "content/events/2026/kengaku.md:7: "
        + CUT.format(label="X", size=336, limit=280, rule=X_RULE, shorter="日本語で 28 文字以上"),
        "content/events/2026/kengaku.md:12: ひな形の文「ここにイベントの内容を書きます。」が残っています。"
        "この行を消して、住民に伝える内容を書いてください（まだ公開しないなら draft: true を書いて下書きにします）",
    ]
    assert "3 件の問題があります（ほかに警告 1 件）" in result.stderr
