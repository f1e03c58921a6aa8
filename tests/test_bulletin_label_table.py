"""Notice tables whose labels sit in a tinted column, letter-spaced (日　　時 │ 7月2日…): Tesseract
reads each label's first letter as junk, the second unsure and well off its value."""

from __future__ import annotations

from publisher.bulletin.articles import build_articles
from publisher.bulletin.drafts import DATE_LINE
from publisher.bulletin.layout import Block, Line, PageContent, Region
from publisher.bulletin.records import Link, Notice
from publisher.bulletin.tsv import words

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
ROW_PITCH = 116  # pixels at 300 dpi: 3.5 body lines, as printed in the real table


def _tsv(rows: list[tuple[str, float, str]], value_left: int = 560) -> str:
    """One Tesseract line per row: the label's last letter at x=420, then the value from x=560,
    a gap far wider than the column gutter rule allows."""
    out = [HEADER]
    for n, (label, label_conf, value) in enumerate(rows):
        top = 1740 + n * ROW_PITCH
        out.append(f"4\t1\t1\t1\t{n + 1}\t0\t420\t{top}\t{value_left + 40 * len(value) - 420}\t56\t-1\t")
        out.append(f"5\t1\t1\t1\t{n + 1}\t1\t420\t{top}\t54\t56\t{label_conf}\t{label}")
        for k, char in enumerate(value):
            out.append(f"5\t1\t1\t1\t{n + 1}\t{k + 2}\t{value_left + 40 * k}\t{top}\t38\t56\t93\t{char}")
    return "\n".join(out) + "\n"


def _line_texts(glyphs) -> list[str]:
    lines: dict[float, str] = {}
    for glyph in glyphs:
        lines[round(glyph.top)] = lines.get(round(glyph.top), "") + glyph.text
    return list(lines.values())


def test_letter_spaced_labels_stay_with_their_values_and_are_restored():
    rows = [
        ("時", 89.6, "7月2日(木)9時30分"),
        ("所", 94.9, "鈴鹿市社会福祉センター"),
        ("象", 34.4, "市内に在住、在勤、在学の方"),  # unsure: dropped before, with the label lost
        ("師", 90.6, "鈴鹿市認知症地域支援推進員"),
    ]
    assert _line_texts(words(_tsv(rows))) == [
        "日時\u30007月2日(木)9時30分",
        "場所\u3000鈴鹿市社会福祉センター",
        "対\u3000象\u3000市内に在住、在勤、在学の方",  # the label's printed form
        "講\u3000師\u3000鈴鹿市認知症地域支援推進員",
    ]


def test_a_lone_short_word_before_a_gutter_is_not_taken_for_a_label():
    """Two columns on one baseline: the left one's last line 「です。」 is no label."""
    rows = [("です。", 93, "市内に在住の方"), ("あります。", 93, "鈴鹿市社会福祉センター")]
    texts = [glyph.text for glyph in words(_tsv(rows))]
    assert texts[0] == "です。" and "あります。" in texts
    assert not any(t.startswith(("対", "場", "日時")) for t in texts)


def test_one_letter_close_to_the_text_is_a_word_not_a_label():
    """「案内状が届いていない方は」 with 案 lost: 内 is no 内容 label, though labels are near."""
    rows = [("時", 90, "1月12日午後1時30分"), ("内", 90, "状が届いていない方は")]
    texts = [glyph.text for glyph in words(_tsv(rows, value_left=510))]  # 36 px: two-thirds of a line
    assert "内" in texts and not any(t.startswith("内容") or t.startswith("内\u3000容") for t in texts)


def _lines(texts: list[str], top: float) -> tuple[Line, ...]:
    return tuple(
        Line(text, 40, top + 16 * n, 40 + 10.5 * len(text), top + 16 * n + 10.5, 10.5, gap_above=0.5)
        for n, text in enumerate(texts)
    )


def test_a_qr_code_beside_a_notice_and_two_apply_rows_keep_one_notice():
    page = PageContent(
        1,
        595,
        842,
        (
            Block(
                _lines(["◆認知症サポーター養成講座", "日時　7月2日(木)9時30分～11時00分", "定員　50人"], 100)
            ),
            Region(420, 140, 480, 200, Link("https://example.jp/form")),
            Block(
                _lines(
                    [
                        "申込締切　6月26日(金)",
                        "申込方法　右記申込フォームまたは電話",
                        "お問合せ先　059-367-7770",
                    ],
                    150,
                )
            ),
        ),
        ocr=True,
    )
    article = build_articles([page])[0][0]
    notices = [b for b in article.blocks if isinstance(b, Notice)]
    assert len(notices) == 1
    assert notices[0].when.startswith("7月2日")
    assert notices[0].apply == "6月26日(金)／右記申込フォームまたは電話"
    assert notices[0].contact == "059-367-7770"
    assert any(isinstance(b, Link) for b in article.blocks)


def test_a_three_line_heading_is_one_title_and_fees_are_no_titles():
    """Kicker, small middle line, big heading (殺陣に挑戦！ / 子どものための / チャンバラ…): one title.
    A fee or a note set large (1,500円(材料費込み), 一般の方1,500円※当日払い) is no heading."""
    page = PageContent(
        1,
        595,
        842,
        (
            Block(_lines(["◆殺陣に挑戦！"], 100)),
            Block(_lines(["子どものための"], 120)),
            Block(_lines(["◆チャンバラアクションワークショップ", "プロの講師が指導します。"], 140)),
            Block(
                _lines(["◆1,500円（材料・道具レンタル費込み）", "◆一般の方1,500円※当日会場にて支払い"], 200)
            ),
            Block(_lines(["◆夏井いつき句会ライブ", "俳句の楽しさを伝えます。"], 260)),
        ),
        ocr=True,
    )
    titles = [article.title for article in build_articles([page])[0]]
    assert titles == ["殺陣に挑戦！子どものためのチャンバラアクションワークショップ", "夏井いつき句会ライブ"]


def test_a_short_article_before_a_long_heading_stays_apart():
    page = PageContent(
        1,
        595,
        842,
        (
            Block(_lines(["◆お知らせ"], 100)),
            Block(_lines(["町民課より"], 120)),
            Block(
                _lines(
                    ["◆令和8年度の国民健康保険税の税率と納付についてのお知らせ", "税率が変わります。"], 140
                )
            ),
        ),
        ocr=True,
    )
    titles = [article.title for article in build_articles([page])[0]]
    assert titles[-1] == "令和8年度の国民健康保険税の税率と納付についてのお知らせ"


def test_a_line_printed_large_in_every_block_of_a_page_is_no_heading():
    """The venue set large under each event (ハヤシユナイテッド文化ホール鈴鹿, read a little
    differently each time) goes with its event, as text."""
    page = PageContent(
        1,
        595,
        842,
        (
            Block(_lines(["◆殺陣に挑戦", "プロの講師が指導します。"], 100)),
            Block(_lines(["◆ハヤシユナイテッド文化ホール鈴鹿", "大ホール"], 140)),
            Block(_lines(["◆ドームシアター", "プラネタリウムを楽しもう。"], 200)),
            Block(_lines(["◆ハヤシコナイテッド文化ホール鈴鹿", "小ホール"], 240)),
        ),
        ocr=True,
    )
    articles = build_articles([page])[0]
    assert [a.title for a in articles] == ["殺陣に挑戦", "ドームシアター"]
    texts = [b.text for b in articles[0].blocks if hasattr(b, "text")]
    assert "ハヤシユナイテッド文化ホール鈴鹿" in texts


def test_a_label_read_without_its_first_letter_inside_a_notice_is_still_a_label():
    """White labels on a blue panel (shakyo p4): OCR read 場所 as 「所」 and 日時 as 「時」, set apart
    from their values; inside a notice they are labels, not the end of the value above. A lone
    kanji before a space outside a notice stays text."""
    page = PageContent(
        1,
        595,
        842,
        (
            Block(_lines(["◆音訳講座開催のお知らせ", "音訳ボランティアの養成講座です。"], 100)),
            Block(
                _lines(
                    ["日時　6月27日（土）13時30分～15時30分", "所　鈴鹿市社会福祉センター", "定　員　10名"],
                    140,
                )
            ),
            Block(_lines(["◆点訳講座", "所　属を問わずどなたでも参加できます。"], 220)),
        ),
        ocr=True,
    )
    articles = build_articles([page])[0]
    notice = articles[0].notices[0]
    assert notice.place == "鈴鹿市社会福祉センター" and "センター" not in notice.when
    assert notice.capacity == "10名"
    assert not articles[1].notices


def test_a_label_beside_the_middle_of_its_value_takes_the_line_above_it():
    """shakyo p4: the value is printed on three lines and its label stands beside the middle one
    (6月27日～ / 日　時 13時30分～ / 毎月第2・4土曜日): the line above the label, set apart from the
    text above it and in the value column, is the value's first line, not text of the article."""

    def line(text: str, x0: float, top: float, gap: float) -> Line:
        return Line(text, x0, top, x0 + 10 * len(text), top + 10, 10.0, gap_above=gap)

    page = PageContent(
        1,
        595,
        842,
        (
            Block(
                (
                    line("◆音訳講座開催のお知らせ", 40, 60, 1.0),
                    line("音訳ボランティアの養成講座です。", 40, 80, 0.5),
                )
            ),
            Block(
                (
                    line("鈴鹿市内在住・在勤・在学の方", 100, 110, 1.1),
                    line("対　象　受講修了後に活動する方", 40, 124, 0.3),
                )
            ),
            Block(
                (
                    line("6月27日（土）～令和9年2月13日（土）", 100, 150, 1.2),
                    line("日　時　13時30分～15時30分", 40, 164, 0.3),
                    line("毎月第2・4土曜日", 100, 178, 0.3),
                    line("場　所　鈴鹿市社会福祉センター", 40, 196, 0.8),
                )
            ),
        ),
        ocr=True,
    )
    article = build_articles([page])[0][0]
    (notice,) = article.notices
    assert notice.target.startswith("鈴鹿市内在住") and notice.target.endswith("活動する方")
    assert notice.when.startswith("6月27日") and "13時30分～15時30分" in notice.when
    assert notice.place == "鈴鹿市社会福祉センター"
    assert not any("6月27日" in getattr(b, "text", "") for b in article.blocks)


def test_a_label_read_cut_takes_no_line_above_it():
    """Only a label read as printed takes the line above it: a cut one (時〉 for 〈日　時〉) has no
    known place for its value, and the line above stays as it is."""
    from publisher.bulletin.drafts import leads_value

    above = Line("6月27日（土）～", 100, 150, 200, 160, 10.0, gap_above=1.2)
    assert leads_value(above, Line("日　時　13時30分", 40, 164, 200, 174, 10.0, gap_above=0.3), first=False)
    assert not leads_value(above, Line("時〉13時30分", 40, 164, 200, 174, 10.0, gap_above=0.3), first=False)


def test_a_day_and_time_right_under_a_heading_is_the_articles_notice():
    """iino p2: ◆ふれあいライブラリー / 6月4日・18日（木曜日）11時～11時30分 / 図書館職員が巡回に来ます。
    The schedule printed without a label is the article's notice; a date in
    a sentence (one that wraps too), or a report's date without a time, stays text."""
    page = PageContent(
        1,
        595,
        842,
        (
            Block(
                _lines(
                    [
                        "◆ふれあいライブラリー",
                        "6月4日・18日（木曜日）11時～11時30分",
                        "図書館職員が巡回に来ます。",
                    ],
                    100,
                )
            ),
            Block(_lines(["◆総会のご報告", "5月7日（木）10時に総会を開きました。"], 200)),
            Block(
                _lines(
                    ["◆新年会", "1月14日（水）午前10時から公民館で開かれる新年", "会にご参加ください。"], 300
                )
            ),
        ),
        ocr=True,
    )
    articles = build_articles([page])[0]
    assert [a.title for a in articles] == ["ふれあいライブラリー", "総会のご報告", "新年会"]
    [notice] = articles[0].notices
    assert notice.when == "6月4日・18日（木曜日）11時～11時30分"
    assert [b.text for b in articles[0].blocks if hasattr(b, "text")] == ["図書館職員が巡回に来ます。"]
    assert not articles[1].notices and not articles[2].notices  # a sentence that wraps
    assert not DATE_LINE.match("5月7日（木）")  # a report's date line, no time
