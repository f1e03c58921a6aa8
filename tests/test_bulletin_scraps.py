"""Drafts that are not articles of their own (scraps.py, regroup.py): a flyer's labels, a map's
legend, a diagram's boxes give a "heading" with a few letters under it, and a publisher's box only
contact details; they are quoted in the report, not drafted. An お問い合わせ heading and an
interview's question set large belong to the article before them."""

from __future__ import annotations

from publisher.bulletin.articles import build_articles
from publisher.bulletin.layout import Block, Line, PageContent, Region
from publisher.bulletin.records import Link, Paragraph, Subheading


def _block(texts: list[str], top: float, size: float = 10.5) -> Block:
    lines = tuple(
        Line(
            text,
            40,
            top + 2 * size * n,
            40 + size * len(text),
            top + 2 * size * n + size,
            size,
            gap_above=1.0,
        )
        for n, text in enumerate(texts)
    )
    return Block(lines, boxed=True)


def _read(*items):
    page = PageContent(1, 595, 842, tuple(items), ocr=True)
    return build_articles([page])


def test_a_label_with_a_few_letters_under_it_is_left_out_and_quoted():
    articles, checks = _read(
        _block(["◆ぼおっとする大会"], 100, size=16),
        _block(["何もせずにぼおっと過ごすだけの大会です。", "当日参加大歓迎！"], 130),
        _block(["◆中央通り側"], 300, size=16),
        _block([")1 ↑"], 330),
        Region(40, 350, 120, 430, Link("https://example.jp/map")),
    )
    assert [a.title for a in articles] == ["ぼおっとする大会"]
    left_out = [c.message for c in checks if "記事にしていません" in c.message]
    assert len(left_out) == 1
    assert "中央通り側)1↑" in left_out[0] and left_out[0].startswith("1ページ:")
    assert "https://example.jp/map" in left_out[0]  # the code's link is not lost


def test_short_articles_with_a_sentence_a_date_or_a_list_stay():
    articles, _ = _read(
        _block(["◆休館日"], 100, size=16),
        _block(["12月29日から休みます。"], 130),  # a sentence, however short
        _block(["◆献血"], 200, size=16),
        _block(["日時：1月8日（木）"], 230),  # a notice with its day
        _block(["◆ご当地グルメ大集合"], 300, size=16),
        _block(["ふりふりポテト　からあげ　たこ焼き　やきそば　クレープ"], 330),  # twelve letters and more
    )
    assert [a.title for a in articles] == ["休館日", "献血", "ご当地グルメ大集合"]
    assert isinstance(articles[0].blocks[0], Paragraph)
    assert articles[1].notices and articles[1].notices[0].when.startswith("1月8日")


def test_a_box_of_contact_details_is_left_out_and_quoted():
    articles, checks = _read(
        _block(["◆食品サンプル作り体験"], 100, size=16),
        _block(["夏休みに食品サンプルを作ります。"], 130),
        _block(["◆飯野公民館より"], 300, size=16),  # the publisher's box, read as a heading
        _block(
            ["〒513-0808 鈴鹿市西條町463番地", "TEL(382)4954　Fax(382)8604", "Mail iino@city.suzuka.lg.jp"],
            330,
        ),
    )
    assert [a.title for a in articles] == ["食品サンプル作り体験"]
    left_out = [c.message for c in checks if "連絡先だけなので記事にしていません" in c.message]
    assert len(left_out) == 1 and "〒513-0808" in left_out[0]


def test_an_inquiry_heading_over_contact_details_ends_the_article_before_it():
    articles, checks = _read(
        _block(["◆健康づくり教室"], 100, size=16),
        _block(["体操を習います。"], 130),
        _block(["◆お問い合わせ"], 300, size=16),
        _block(["健康課 電話 0274-74-3131 FAX 0274-74-5885"], 330),
        _block(["◆申込方法"], 400, size=16),
        _block(["電話 0274-74-3131 でお申し込みください。"], 430),  # a sentence: an article of its own
    )
    assert [a.title for a in articles] == ["健康づくり教室", "申込方法"]
    texts = [getattr(b, "text", "") for b in articles[0].blocks]
    assert "0274-74-5885" in "".join(texts)
    assert not [c for c in checks if "連絡先だけ" in c.message]


def test_an_interview_question_set_large_between_answers_stays_in_the_interview():
    """A question set larger than the body (nougyou p2: 今年のいちごの生育状況は例年と / 比べていかが
    でしょうか？) between the speaker's answers is a line of the interview, not an article's title.
    A heading that asks a question over ordinary prose still starts an article."""
    articles, _ = _read(
        _block(["◆がんばる農業者にインタビュー"], 100, size=16),
        _block(["農業をはじめたきっかけは？", "是枝さん：もともと農業をやりたいと思っていました。"], 130),
        _block(["今年のいちごの生育状況は例年と"], 200, size=14),
        _block(["比べていかがでしょうか？", "是枝さん：夏が暑くて長いため、生育に影響が出ています。"], 220),
        _block(["◆マイナ保険証、使っていますか？"], 400, size=16),
        _block(["12月2日から保険証は新しく発行されません。"], 430),
    )
    assert [a.title for a in articles] == ["がんばる農業者にインタビュー", "マイナ保険証、使っていますか？"]
    texts = [b.text for b in articles[0].blocks if isinstance(b, Paragraph)]
    assert "今年のいちごの生育状況は例年と比べていかがでしょうか？" in texts
    assert texts[-1].endswith("生育に影響が出ています。")


def test_a_list_under_a_heading_at_the_body_size_is_a_section_of_the_article_above():
    """bouhan p1: the award article (large heading), then ■防犯功労団体の部 at the body's size over
    a list of names in a box: a section of the article, not an article of its own. A marked
    heading at the body's size over prose stays an article."""
    articles, _ = _read(
        _block(["◆長年の防犯功労の団体・個人の皆様に対し表彰授与"], 100, size=16),
        _block(["定時総会で表彰が授与されました。"], 130),
        _block(["■防犯功労団体の部（5団体）"], 170),
        _block(
            ["・桑名中央ロータリークラブ（桑名）", "・自主防犯隊（松阪）", "・浦田町防犯委員会（伊勢）"], 190
        ),
        _block(["■中部防犯協会連絡協議会表彰"], 270),
        _block(["〇防犯功労者", "・関村豊子（女性安全委員会委員長）"], 290),
        _block(["■賛助会員の募集"], 350),
        _block(["当協会では賛助会員を募集しています。", "会費は一口三万円です。"], 370),
    )
    assert [a.title for a in articles] == ["長年の防犯功労の団体・個人の皆様に対し表彰授与", "賛助会員の募集"]
    subheadings = [b.text for b in articles[0].blocks if isinstance(b, Subheading)]
    assert subheadings == ["防犯功労団体の部（5団体）", "中部防犯協会連絡協議会表彰"]


def test_a_label_set_as_a_heading_is_a_field_of_the_notice_before_it():
    """esplus p3: 場所 set large beside a photo came out as an article titled 場所 holding the
    place. It is a field of the event above: the label goes before its value there."""
    articles, _ = _read(
        _block(["◆ホール探検ツアー"], 100, size=16),
        _block(["プロの舞台スタッフと一緒にお仕事を体験！"], 130),
        _block(["【場所】"], 200, size=16),
        _block(["けやきホール"], 230),
        _block(["◆段ボールバイオリンであそぼう！"], 400, size=16),
        _block(["工作と音楽が一緒に楽しめます！"], 430),
    )
    assert [a.title for a in articles] == ["ホール探検ツアー", "段ボールバイオリンであそぼう！"]
    texts = [b.text for b in articles[0].blocks if isinstance(b, Paragraph)]
    assert texts[-1] == "場所：けやきホール"
    assert not [b for b in articles[0].blocks if isinstance(b, Subheading)]


def test_a_charts_lettering_is_left_out_and_quoted():
    """bouhan p2: a bar chart's labels and figures (SNS型ロマンス詐欺138 / (108) / 合計362 / 約13億2,980
    万円) came out as an article. Numbers and short labels without a sentence are left out and
    quoted; figures in prose stay."""
    articles, checks = _read(
        _block(["◆SNS型投資・ロマンス詐欺発生状況"], 100, size=16),
        _block(["SNS型投資詐欺の被害が増えています。"], 130),
        _block(["SNS型ロマンス詐欺138"], 300, size=16),
        _block(["SNS型投資詐欺224", "(108)", "(30)", "合計362", "約13億2,980万円", "約3億8,550万円"], 330),
        _block(["◆令和7年の被害"], 500, size=16),
        _block(["被害は362件、約13億2,980万円で、前年の1.2倍、2,000万円増えました。"], 530),
    )
    assert [a.title for a in articles] == ["SNS型投資・ロマンス詐欺発生状況", "令和7年の被害"]
    [chart] = [c for c in checks if "グラフや図" in c.message]
    assert "合計362" in chart.message and chart.boxes


def test_scraps_of_ocr_between_paragraphs_are_dropped_and_a_lone_full_stop_joins_its_sentence():
    """A decoration or a cut letter read as a paragraph (「る」「ぐる」「(7)」「:」) breaks the text
    mid-sentence; a 。 wrapped onto a line of its own ends the paragraph before it. Words, amounts
    and labels on their own stay (時間, 5名); a text layer's paragraphs are never dropped."""
    blocks = [
        _block(["◆夏井いつき句会ライブ"], 100, size=16),
        _block(["俳句の楽しさを伝えます"], 130),
        _block(["。"], 150),
        _block(["る"], 170),
        _block(["(7)"], 190),
        _block(["時間"], 210),
        _block(["5名"], 230),
        _block(["全席指定です。"], 250),
    ]
    articles, _ = _read(*blocks)
    texts = [b.text for b in articles[0].blocks if isinstance(b, Paragraph)]
    assert texts == ["俳句の楽しさを伝えます。", "時間", "5名", "全席指定です。"]
    born_digital = build_articles([PageContent(1, 595, 842, tuple(blocks), ocr=False)])[0]
    assert len([b for b in born_digital[0].blocks if isinstance(b, Paragraph)]) == 7
