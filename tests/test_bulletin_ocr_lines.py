"""What real scans did to lines read by OCR (publisher/bulletin/tsv.py, lists.py, articles.py):
a pictogram before a heading made the heading's line as tall as the pictogram, so its size was
lost; the last item of a ◆ list whose wrapped line came before it was taken for a heading;
the cover's lettering before the first heading became an article without a title."""

from __future__ import annotations

from publisher.bulletin.articles import build_articles
from publisher.bulletin.labels import split_label
from publisher.bulletin.layout import Block, Glyph, Line, PageContent, without_ruby_words
from publisher.bulletin.records import Paragraph, Subheading
from publisher.bulletin.render import _block
from publisher.bulletin.tsv import words

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
BODY = "住宅改修費の支給を受けるためには事前協議が必要です"


def _tsv(lines: list[tuple[tuple[int, int, int, int], list[tuple[str, tuple[int, int, int, int]]]]]) -> str:
    rows = [HEADER]
    for n, (box, line_words) in enumerate(lines, 1):
        x0, top, x1, bottom = box
        rows.append(f"4\t1\t1\t1\t{n}\t0\t{x0}\t{top}\t{x1 - x0}\t{bottom - top}\t-1\t\n")
        for k, (text, (left, wtop, right, wbottom)) in enumerate(line_words, 1):
            rows.append(
                f"5\t1\t1\t1\t{n}\t{k}\t{left}\t{wtop}\t{right - left}\t{wbottom - wtop}\t95\t{text}\n"
            )
    return "".join(rows)


def _body_lines(top: int, count: int) -> list:
    """Body lines 43 px tall (300 dpi), each read as four words."""
    lines = []
    for n in range(count):
        y = top + 60 * n
        parts = [BODY[k : k + 6] for k in range(0, 24, 6)]
        lines.append(
            (
                (230, y, 1430, y + 43),
                [(p, (230 + 300 * k, y, 510 + 300 * k, y + 43)) for k, p in enumerate(parts)],
            )
        )
    return lines


def _page(heading_line) -> list:
    return _body_lines(100, 8) + [heading_line] + _body_lines(1500, 8)


def test_a_pictogram_before_a_heading_goes_and_the_heading_keeps_its_size():
    """A house icon (read as 「s) set apart before 受領委任払いについて: the line is as tall as the
    icon, the heading's own words are 1.6 times the body."""
    heading = (
        (228, 1281, 1097, 1389),
        [
            ("「s", (228, 1284, 290, 1389)),
            ("受領委任", (386, 1312, 640, 1382)),
            ("払いについて", (650, 1310, 1097, 1380)),
        ],
    )
    glyphs = words(_tsv(_page(heading)))
    texts = [g.text for g in glyphs]
    assert "「s" not in texts
    body = next(g for g in glyphs if g.text == BODY[:6]).size
    title = next(g for g in glyphs if g.text == "受領委任")
    assert title.size >= 1.4 * body


def test_a_tall_picture_edge_after_a_body_line_leaves_the_line_body_sized():
    """The line's box reaches down a photo's edge (」 130 px) after the text: the text is body text."""
    line = (
        (795, 1272, 2224, 1402),
        [
            ("ミニカレーライス作り", (795, 1312, 1300, 1370)),
            ("(キーホルダーか)", (1310, 1310, 2034, 1372)),
            ("」", (2206, 1272, 2224, 1402)),
        ],
    )
    glyphs = words(_tsv(_page(line)))
    body = next(g for g in glyphs if g.text == BODY[:6]).size
    assert next(g for g in glyphs if g.text == "ミニカレーライス作り").size == body


def _line(text: str, x0: float, top: float, size: float = 11.0, **kw) -> Line:
    return Line(text, x0, top, x0 + size * len(text), top + size, size, gap_above=0.4, **kw)


def test_the_last_item_of_a_marked_list_after_a_wrapped_item_is_no_heading():
    """◆ items, the third wrapped onto a line set under its text (hanging indent), then the
    fourth: every item stays text of the article."""
    lines = (
        _line("受領委任払い制度が利用できない場合", 40, 80, size=16),
        _line("以下の条件に1つでも該当する場合は、制度が利用できません。", 40, 110),
        _line("◆利用者に介護保険料の滞納がある", 50, 130),
        _line("◆利用者が給付制限を受けている", 50, 148),
        _line("◆利用者が医療機関などに入院している、または、おおむね", 50, 166),
        _line("1月以内に退院の見込みがない", 66, 184),
        _line("◆事業者の登録をしていない施工業者での住宅改修", 50, 202),
        _line("施工業者の承諾が得られていない", 66, 220),
    )
    articles, _ = build_articles([PageContent(2, 595, 842, (Block(lines),), ocr=True)])
    assert [a.title for a in articles] == ["受領委任払い制度が利用できない場合"]
    text = "".join(b.text for b in articles[0].blocks if isinstance(b, Paragraph))
    assert "事業者の登録をしていない施工業者" in text


def test_a_marked_heading_after_a_paragraph_is_still_a_heading():
    lines = (
        _line("お知らせ本文です。", 40, 80),
        _line("◆受付時間", 40, 120, size=13),
        _line("平日の午前9時から午後5時までです。", 52, 140),
    )
    articles, _ = build_articles(
        [PageContent(2, 595, 842, (Block((_line("見出し", 40, 40, size=16), *lines)),), ocr=True)]
    )
    assert [a.title for a in articles] == ["見出し", "受付時間"]


def test_cover_lettering_before_the_first_heading_is_no_article_and_is_named_in_the_report():
    cover = Block((_line("イベント情報季刊", 40, 40), _line("2026.7 No.9", 40, 70)))
    article = Block(
        (
            _line("第58回美術展作品募集", 40, 200, size=16),
            _line("作品募集が9月8日からスタートします。", 40, 230),
        )
    )
    articles, checks = build_articles([PageContent(1, 595, 842, (cover, article), ocr=True)])
    assert [a.title for a in articles] == ["第58回美術展作品募集"]
    assert any("記事に入れていません" in c.message and "イベント情報季刊" in c.message for c in checks)


def test_a_heading_printed_again_on_the_page_is_a_subheading_of_the_article():
    """A venue printed large in every event block is no article: it stays as a subheading."""
    block = Block(
        (
            _line("夏のワークショップ", 40, 40, size=16),
            _line("工作を楽しみます。", 40, 70),
            _line("けやきホール", 40, 100, size=16),
            _line("午前の部の案内です。", 40, 130),
            _line("けやきホール", 40, 160, size=16),
            _line("午後の部の案内です。", 40, 190),
        )
    )
    articles, _ = build_articles([PageContent(3, 595, 842, (block,), ocr=True)])
    assert [a.title for a in articles] == ["夏のワークショップ"]
    assert Subheading("けやきホール") in articles[0].blocks
    assert _block(Subheading("けやきホール"), {}) == "## けやきホール"


def test_the_contact_band_across_the_foot_of_the_page_is_left_out_and_reported():
    article = Block(
        (
            _line("お米支援事業の実施", 40, 620, size=15),
            _line("こども食堂にお米の支援を実施しました。", 40, 640),
        )
    )
    label = Block((_line("お問合せ", 56, 730),))
    band = Block(
        (
            _line("社会福祉法人鈴鹿市社会福祉協議会企画総務課", 147, 721),
            _line("TEL:059-382-5971〒513-0801鈴鹿市神戸地子町383-1", 146, 736),
        )
    )
    page = PageContent(3, 595, 842, (article, label, band), ocr=True)
    articles, checks = build_articles([page])
    text = "".join(b.text for b in articles[0].blocks if isinstance(b, Paragraph))
    assert text == "こども食堂にお米の支援を実施しました。"
    assert any("ページ下の問い合わせ先" in c.message and "059-382-5971" in c.message for c in checks)


def test_an_articles_own_contact_line_at_the_foot_of_its_column_stays():
    article = Block(
        (
            _line("健康診査のお知らせ", 40, 620, size=15),
            _line("特定健診を6月から行います。", 40, 640),
        )
    )
    contact = Block((_line("問合せ 保健課 TEL:0274-74-3131", 40, 760),))
    articles, _ = build_articles([PageContent(2, 595, 842, (article, contact), ocr=True)])
    assert "0274-74-3131" in "".join(str(b) for b in articles[0].blocks)


def test_a_display_line_read_on_its_own_keeps_its_size_though_a_line_is_close_above():
    """A two-line heading read again line by line (outlined type): the second line sits close
    under the first, yet it is display type, not body text."""
    page = _tsv(_body_lines(100, 8))
    alone = _tsv(
        [
            (
                (230, 700, 1500, 775),
                [("シートベルトの着用が", (230, 700, 1000, 775)), ("義務化されます", (1010, 700, 1500, 775))],
            )
        ]
    )
    glyphs = words([(page, (0, 0)), (alone, (0, 0))])
    body = next(g for g in glyphs if g.text == BODY[:6]).size
    assert next(g for g in glyphs if g.text == "義務化されます").size >= 1.6 * body
    # The same line inside the page's reading, a body line close above it: body size.
    inside = _tsv(
        _body_lines(100, 8) + [((230, 600, 1500, 675), [("義務化されます", (230, 600, 1500, 675))])]
    )
    glyphs = words(inside)
    assert next(g for g in glyphs if g.text == "義務化されます").size == body


def test_a_label_in_brackets_needs_no_blank_before_its_value():
    assert split_label("〈内 容〉おやこふれあい遊び") == ("content", "おやこふれあい遊び")
    assert split_label("〈日　時〉6月10日(水) 10時~11時") == ("when", "6月10日(水) 10時~11時")
    assert split_label("内容は次のとおりです") is None
    assert split_label("場所)は") is None  # a closing bracket alone opens no label
    assert split_label("準備物　上履き、タオル") == ("bring", "上履き、タオル")  # esplus p2's chips


def test_list_items_and_lines_cut_short_are_no_headings_however_large():
    """Names of award winners set large in a list (・西崎金吾（伊賀）), a line ending in an
    opening bracket (防犯功労者（): text of the article, not articles of their own."""
    block = Block(
        (
            _line("防犯功労の皆様に表彰授与", 40, 40, size=16),
            _line("定時総会の席上で、長年にわたり地域の防犯に尽くされた", 40, 70),
            _line("団体と個人の皆様に表彰が授与されました。", 40, 85),
            _line("防犯功労者（", 40, 100, size=14),
            _line("・西崎金吾（伊賀）", 40, 120, size=14),
            _line("※敬称略", 40, 140, size=14),
        )
    )
    articles, _ = build_articles([PageContent(1, 595, 842, (block,), ocr=True)])
    assert [a.title for a in articles] == ["防犯功労の皆様に表彰授与"]
    text = "".join(b.text for b in articles[0].blocks if isinstance(b, Paragraph))
    assert "防犯功労者（" in text and "西崎金吾" in text


def test_a_label_whose_start_ocr_lost_is_known_by_its_end_before_the_bracket():
    assert split_label("時〉6月24日(水)9時30分~11時") == ("when", "6月24日(水)9時30分~11時")
    assert split_label("容〉昭和歌謡&脳トレ") == ("content", "昭和歌謡&脳トレ")
    assert split_label("間】10時") is None  # 時間 or 申込期間: not known
    assert split_label("日）は休館です") is None  # a round bracket ends words, not labels


def test_a_page_printed_on_a_tint_keeps_its_text_though_it_is_sparse(tmp_path):
    """A flyer's page on a coloured ground is one tinted area: its words cover 6 % of it, but
    hundreds of letters read surely are text, not a photo's texture. A photo with a few words
    read in its texture is still a photo."""
    from PIL import Image

    from publisher.bulletin import ocr
    from publisher.bulletin.layout import Glyph

    image = Image.new("RGB", (2480, 3508), (250, 220, 230))
    page = (0.0, 0.0, 595.0, 842.0)
    text = [
        Glyph("さくら祭りを開催します", 40, 60 + 14 * n, 150, 70 + 14 * n, 10, conf=92) for n in range(20)
    ]
    photos, kept = ocr._photos(image, [page], text, 1, tmp_path)
    assert photos == [] and kept == text
    texture = [Glyph("川", 300, 300, 310, 310, 10, conf=75), Glyph("ミ", 320, 300, 330, 310, 10, conf=40)]
    photos, kept = ocr._photos(image, [(200.0, 200.0, 500.0, 500.0)], texture, 1, tmp_path)
    assert len(photos) == 1 and kept == []


def test_furigana_read_by_ocr_are_left_out_and_small_kana_in_the_text_stay():
    """Tesseract reads a ruby line as words of their own, half the height of the text just below
    (びしゃもん over 毘沙門池 in a scanned report): they are not text. 「び」 stands over a letter OCR
    lost, with nothing under it, and goes with the ruby beside it on its baseline. A small kana
    at a line's end (a lone っ) stands a line's spacing above the next line, and stays."""
    body = 10.6

    def word(text: str, x0: float, top: float, height: float = body) -> Glyph:
        return Glyph(text, x0, top, x0 + 10 * len(text), top + height, 12.0, conf=95)

    ruby = [word("び", 150, 709.2, 5), word("しゃもん", 160, 709.2, 5), word("いけ", 191, 709.2, 5)]
    line = [word("本地区の", 86, 715.9), word("沙門", 164, 715.9), word("池", 195, 715.9)]
    small = word("っ", 300, 693.0, 5)  # ends the line above, 17 pt over the next
    beside_body = word("その", 300, 715.9)
    # A short hiragana between kanji in tightly set lines: just above a word of the next line,
    # but a taller word beside it spans its middle.
    tight = [
        word("使", 400, 703.5),
        word("た", 410, 707.0, 6),
        word("詐欺", 420, 703.5),
        word("国際", 408, 716.0),
    ]
    # A line of body text just above a heading twice its size (OCR gives a word its line's height).
    above_heading = [word("について", 500, 690.0), word("おしらせ", 500, 701.5, 20)]
    kept = without_ruby_words([*ruby, *line, small, beside_body, *tight, *above_heading])
    assert [w.text for w in kept] == [
        *("本地区の", "沙門", "池", "っ", "その"),
        *("使", "た", "詐欺", "国際", "について", "おしらせ"),
    ]
