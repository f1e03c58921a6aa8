"""One mechanism reads plugin options and front matter: declared once, every problem named at its place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from publisher.content.config import parse_site_config
from publisher.content.dates import JST
from publisher.content.errors import ContentErrors
from publisher.content.options import Invalid, at_least, list_of, one_of, option, record, text
from publisher.content.reader import load_site

MINIMAL = {"town_name": "テスト町", "categories": [{"slug": "kurashi", "label": "くらし"}]}


@dataclass(frozen=True)
class Shelf:
    """A record declared as a maintainer would add one: each option once, with its reader."""

    name: str = option(text, "Shelf name")
    height: int = option(at_least(1), "Height in boards", 3)
    colours: tuple[str, ...] = option(list_of(one_of(("red", "blue"))), "Paint", ())


def messages(error: Invalid) -> list[str]:
    return [problem.said_after(".".join(map(str, problem.at))) for problem in error.problems]


def test_a_declared_record_is_read_with_its_defaults():
    assert record(Shelf)({"name": " 本棚 "}) == Shelf("本棚", 3, ())
    assert record(Shelf)({"name": "本棚", "colours": ["blue"]}).colours == ("blue",)


def test_every_problem_of_a_record_is_collected_with_a_suggestion_for_a_misspelt_key():
    with pytest.raises(Invalid) as raised:
        record(Shelf)({"hieght": 2, "height": 0, "colours": ["red", "green"]})
    assert sorted(messages(raised.value)) == [
        "colours.1 の値「green」は使えません。red か blue を書いてください",
        "height: 「0」ではなく 1 以上の半角数字で書いてください",
        "hieght という項目はありません（height の書き間違いではありませんか）",
        "name を書いてください",
    ]


def test_plugin_options_name_each_place_in_mkdocs_yml_and_report_every_problem():
    options = {
        **MINIMAL,
        "categories": [
            {"slug": "kurashi", "label": "くらし"},
            {"slug": "Kanko"},
            {"slug": "kurashi", "label": "x"},
        ],
        "news_per_pag": 5,
        "office": "役場",
        "syndication": {"channels": ["x", "facebook"], "per_hour": -1},
    }
    with pytest.raises(ContentErrors) as raised:
        parse_site_config(options)
    assert [str(e) for e in raised.value.errors] == [
        "mkdocs.yml: plugins.town.categories（2番目）.label を書いてください",
        "mkdocs.yml: plugins.town.categories（2番目）.slug: 「Kanko」は半角英小文字・数字・ハイフンで書いてください（例: kurashi）",
        "mkdocs.yml: plugins.town.news_per_pag という項目はありません（news_per_page の書き間違いではありませんか）",
        "mkdocs.yml: plugins.town.office は「項目名: 値」の形で、字下げして書いてください（項目: name、address、phone、hours）",
        "mkdocs.yml: plugins.town.syndication.channels（2番目）の値「facebook」は使えません。x・mastodon・bluesky・line のどれかを書いてください",
        "mkdocs.yml: plugins.town.syndication.per_hour: 「-1」ではなく 0 以上の半角数字で書いてください",
    ]


def test_a_category_declared_twice_is_named():
    twice = {**MINIMAL, "categories": MINIMAL["categories"] * 2}
    with pytest.raises(
        ContentErrors, match="plugins.town.categories: スラッグ「kurashi」の分類が2回以上宣言されています"
    ):
        parse_site_config(twice)


def test_admin_true_is_short_for_enabled():
    assert parse_site_config({**MINIMAL, "admin": True}).admin.enabled
    assert parse_site_config(
        {**MINIMAL, "admin": {"enabled": True, "auth_url": "https://a.example"}}
    ).admin.enabled


def test_front_matter_problems_inside_a_field_are_named_on_its_line(tmp_path):
    post = tmp_path / "content/news/2026/a.md"
    post.parent.mkdir(parents=True)
    post.write_text(
        "---\ntitle: お知らせ\ndate: 2026-04-01\ncategories: [kurashi]\n"
        "sns:\n  skip: [x, facebook]\n  imag: card\n---\n本文です。\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentErrors) as raised:
        load_site(tmp_path / "content", parse_site_config(MINIMAL), datetime(2026, 5, 1, tzinfo=JST))
    assert [str(e) for e in raised.value.errors] == [
        "content/news/2026/a.md:5: sns（SNS 投稿の設定）: imag という項目はありません（image の書き間違いではありませんか）",
        "content/news/2026/a.md:5: sns（SNS 投稿の設定）: skip（2番目）の値「facebook」は使えません。"
        "x・mastodon・bluesky・line のどれかを書いてください",
    ]
