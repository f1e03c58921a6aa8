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
    # What OCR loses at a value's end is put back: the closing bracket, the 円 of a fee.
    assert keyed_fields("② 飯野公民館(ホール ③ 佐藤雅子さん ④ 200", legend) == [
        ("place", "飯野公民館(ホール)"),
        ("teacher", "佐藤雅子さん"),
        ("fee", "200円"),
    ]


def test_numbered_sentences_are_not_fields():
    """Another list on the same page (【申込方法】, 【お願い】) numbers sentences, which never fit."""
    legend = legend_of(LEGEND)
    assert keyed_fields("② 公民館ホールで一斉受付をします。", legend) is None
    assert keyed_fields("① 6月30日（火）13:30～　② 公民館ホールで一斉受付をします。", legend) is None
    assert keyed_fields("④ 先着順", legend) is None  # a fee has an amount
    assert keyed_fields("⑤ 7月1日（水）9:00～", legend) is None  # a capacity has a number of people
    assert keyed_fields("7月29日 ① 公民館", legend) is None  # the line must start with a number


# Through the article reader: lines as the layout gives them ---------------------------------------

from publisher.bulletin.articles import build_articles  # noqa: E402
from publisher.bulletin.layout import Block, Line, PageContent  # noqa: E402
from publisher.bulletin.records import Notice, Paragraph, Subheading  # noqa: E402


def _lines(texts: list[str], top: float = 100, x0: float = 40, size: float = 10.5) -> tuple[Line, ...]:
    return tuple(
        Line(text, x0, top + 16 * n, x0 + size * len(text), top + 16 * n + size, size, gap_above=0.5)
        for n, text in enumerate(texts)
    )


def _read(*blocks: tuple[Line, ...]):
    page = PageContent(1, 595, 842, tuple(Block(lines, boxed=True) for lines in blocks), ocr=True)
    return build_articles([page])[0]


def test_a_page_with_a_legend_gives_the_class_its_notice():
    articles = _read(
        _lines(["各教室の詳細", "①日時", "②場所", "③費用"]),
        _lines(
            [
                "◆木工教室",
                "① 8月5日（水）9:00～11:00",
                "② 秋畑地区公民館　③ 300円",
                "＊小学3年生以上が対象です。",
            ],
            top=200,
        ),
    )
    assert [a.title for a in articles] == ["木工教室"]
    notices = [b for b in articles[0].blocks if isinstance(b, Notice)]
    assert [(n.when, n.place, n.fee) for n in notices] == [
        ("8月5日（水）9:00～11:00", "秋畑地区公民館", "300円")
    ]
    assert not any(
        "日時" in b.text for b in articles[0].blocks if isinstance(b, Paragraph)
    )  # the key is not text


def test_lines_bulleted_with_marks_are_a_list_not_headings():
    """■ item / ■ item: each line starts with the same mark at the same indent."""
    articles = _read(
        _lines(
            [
                "◆受領委任払い制度が利用できない場合",
                "以下の条件に1つでも該当する場合は、利用できません。",
                "■利用者に介護保険料の滞納がある",
                "■利用者が医療機関に入院している",
                "■事業者の登録をしていない施工業者での住宅改修",
            ]
        )
    )
    assert [a.title for a in articles] == ["受領委任払い制度が利用できない場合"]
    texts = [b.text for b in articles[0].blocks if isinstance(b, Paragraph)]
    assert any("介護保険料の滞納" in t for t in texts) and any("施工業者での住宅改修" in t for t in texts)


def test_marked_items_under_a_large_heading_stay_in_its_article():
    """今後の予定 set large, then ●item / 〈日時〉… / ●item at the body's size: one article whose items
    are subheadings, each with its own notice (iino p2). Marked headings as large as the list's
    heading still start articles of their own."""
    heading = Line("◆◆今後の予定◆◆", 40, 60, 220, 90, 30.0, gap_above=1.0)
    items = _lines(
        [
            "●すこやか教室　第2回",
            "〈日　時〉6月10日（水）10時～11時",
            "〈内　容〉おやこふれあい遊び",
            "●いきいき教室　第2回",
            "〈日　時〉6月18日（木）9時30分～11時",
            "＊いずれも申し込み済みの方が対象です。",
        ]
    )
    articles = _read((heading, *items), _lines(["◆◆駐車場について◆◆"], top=300, size=30.0))
    assert [a.title for a in articles][:1] == ["今後の予定"]
    subheadings = [b.text for b in articles[0].blocks if isinstance(b, Subheading)]
    assert subheadings == ["すこやか教室第2回", "いきいき教室第2回"]  # OCR text: spaces dropped
    assert [n.when for n in articles[0].notices] == ["6月10日（水）10時～11時", "6月18日（木）9時30分～11時"]
    # Without the large heading above them, the same lines are headings of articles of their own.
    alone = _read(items)
    assert [a.title for a in alone] == ["すこやか教室第2回", "いきいき教室第2回"]


def test_a_subheading_marked_with_the_numeral_zero_stays_under_the_large_heading():
    """OCR reads the mark ○ as the numeral 〇: 「〇社協会員制度とは」 at the body's size, right under
    a heading twice its size, is that article's first subheading, not an article that leaves the
    heading without text (shakyo p3)."""
    heading = Line("令和8年度社協会員のご案内", 150, 50, 430, 72, 22.0, gap_above=1.0)
    body = (
        Line("〇社協会員制度とは", 34, 90, 140, 101, 11.0, gap_above=1.5),
        Line(
            "鈴鹿市社会福祉協議会は、地域のみなさまと一緒に",
            45,
            105,
            560,
            116,
            11.0,
            gap_above=0.4,
            indent=1.0,
        ),
        Line("地域福祉活動に取り組む民間の福祉団体です。", 34, 120, 300, 131, 11.0, gap_above=0.4),
    )
    articles = _read((heading,), body)
    assert [a.title for a in articles] == ["令和8年度社協会員のご案内"]
    assert [b.text for b in articles[0].blocks if isinstance(b, Subheading)] == ["〇社協会員制度とは"]


def _tsv(*words: str) -> str:
    """A minimal Tesseract TSV: a header and one word row per word (level 5)."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    rows += [f"5\t1\t1\t1\t1\t{n}\t{40 * n}\t0\t30\t30\t90\t{w}" for n, w in enumerate(words, 1)]
    return "\n".join(rows)


def test_a_box_of_numbered_lines_is_read_again_as_one_block_when_that_keeps_its_numbers(
    monkeypatch, tmp_path
):
    """Tesseract's automatic layout can take the column of ①②③ down a class box for a picture and
    drop it (iino's 木の実 box kept only ⑤); read as one block (psm 6) the box keeps them all, and
    the numbers are what the legend keys the values by."""
    from publisher.bulletin import ocr

    readings = {
        ("a", "3"): _tsv("7月31日", "飯野公民館", "300円", "⑤", "16人"),
        ("a", "6"): _tsv("①", "7月31日", "②", "飯野公民館", "④", "300円", "⑤", "16人"),
        ("b", "3"): _tsv("夏休み", "工作教室"),
    }
    asked = []

    def tesseract(path, psm, number):
        asked.append((path.name, psm))
        return readings[(path.name, psm)]

    monkeypatch.setattr(ocr, "_tesseract", tesseract)
    assert ocr._box_reading(tmp_path / "a", 1) == readings[("a", "6")]
    assert ocr._box_reading(tmp_path / "b", 1) == readings[("b", "3")]
    assert ("b", "6") not in asked  # a box without numbers costs no second reading


def test_a_numbered_list_hung_right_of_a_bracketed_name_is_a_section_of_its_own():
    """iino p1, under the class boxes: 【お願い】 ① 児童と保護者の方は… / ② … / ③ … applies to
    every class; it was the end of the last class's article. A bracketed label with one value
    stays a field of its notice."""

    def line(text: str, x0: float, top: float, gap: float = 0.3) -> Line:
        return Line(text, x0, top, x0 + 10 * len(text), top + 10, 10.0, gap_above=gap)

    classes = (
        line("◆ドーナツを作ろう！", 40, 60, 1.0),
        line("日時：7月30日（木）9:30～12:00", 40, 76),
        line("【持ち物】上靴、水筒", 40, 90),
    )
    requests = (
        line("【お願い】　①　児童と保護者の方は上靴を必ず持参してください。", 40, 130, 1.5),
        line("②　児童だけの参加の場合は送迎をお願いします。", 115, 144),
        line("③　警報が発令されている時は中止となります。", 115, 158),
    )
    articles = _read(classes, requests)
    assert [a.title for a in articles] == ["ドーナツを作ろう！", "お願い"]
    assert articles[0].notices[0].when.startswith("7月30日")
    texts = [b.text for b in articles[1].blocks if isinstance(b, Paragraph)]
    assert texts[0].startswith("①") and texts[-1].startswith("③")
