"""Circled-number legends (legend.py): ①日時 ②場所 … printed once, then fields given by number."""

from __future__ import annotations

from publisher.bulletin.legend import keyed_fields, legend_of

LEGEND = ["各事業の詳細", "①日時", "②場所", "③講師", "④材料費、参加費", "⑤定員", "⑥持ち物"]


def test_a_legend_names_the_fields_of_its_numbers():
    assert legend_of(LEGEND) == {
        "①": "when",
        "②": "place",
        "③": "teacher",
        "④": "fee",
        "⑤": "capacity",
        "⑥": "bring",
    }
    assert legend_of(["①日時　②場所　③費用"]) == {"①": "when", "②": "place", "③": "fee"}
    # OCR confuses circled digits (② read as ③, ④ as ③④): a legend counts in order
    assert legend_of(["各教室の詳細", "①日時", "③場所", "③費用", "③④定員"]) == {
        "①": "when",
        "②": "place",
        "③": "fee",
        "④": "capacity",
    }


def test_a_numbered_list_is_not_a_legend():
    assert legend_of(["①日時", "②場所"]) is None  # two entries: a list, not a key
    assert (
        legend_of(
            ["① 児童と保護者の方は上靴を必ず持参してください。", "② 送迎をお願いします。", "③ 雨天中止"]
        )
        is None
    )
    assert (
        legend_of(["申込方法", "①日時", "②場所", "③費用", "当日は混み合いますので、お早めにお越しください。"])
        is None
    )


def test_numbered_values_become_fields_several_on_one_line():
    legend = legend_of(LEGEND)
    assert keyed_fields("① 7月29日（水）10:00～11:30くらい", legend) == [
        ("when", "7月29日（水）10:00～11:30くらい")
    ]
    assert keyed_fields("② 飯野公民館（ホール）　③ 加藤さとみさん　④ 700円", legend) == [
        ("place", "飯野公民館（ホール）"),
        ("teacher", "加藤さとみさん"),
        ("fee", "700円"),
    ]


def test_numbered_sentences_are_not_fields():
    """Another list on the same page (【申込方法】, 【お願い】) numbers sentences, which never fit."""
    legend = legend_of(LEGEND)
    assert keyed_fields("② 公民館ホールで一斉受付をします。", legend) is None
    assert keyed_fields("① 6月30日（火）13:30～　② 公民館ホールで一斉受付をします。", legend) is None
    assert keyed_fields("④ 先着順", legend) is None  # a fee has an amount
    assert keyed_fields("⑤ 7月1日（水）9:00～", legend) is None  # a capacity has a number of people
    assert keyed_fields("7月29日 ① 公民館", legend) is None  # the line must start with a number
