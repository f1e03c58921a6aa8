"""What OCR makes of headings in display type: a cheer set beside a title (＼もずみ／), 令和 misread
as 信和, and the publisher's credit line set large."""

from __future__ import annotations

from publisher.bulletin.text import ocr_clean, ocr_title, plausible_title


def test_cheers_beside_a_title_and_misread_eras_are_mended():
    assert ocr_title("伊勢型紙彫型画ワークショップ\\もずみ/") == "伊勢型紙彫型画ワークショップ"
    assert ocr_title("＼夏休み／ 親子で工作") == "親子で工作"
    assert ocr_title("信和8年度基本方針") == "令和8年度基本方針"
    assert ocr_clean("合和7年中の犯罪情勢") == "令和7年中の犯罪情勢"
    assert ocr_clean("平和7年") == "平和7年"  # only letters shaped like 令
    assert ocr_title("受領委任払い／償還払い") == "受領委任払い／償還払い"  # a slash alone is no cheer


def test_the_publishers_credit_is_no_title():
    assert not plausible_title("発行/鈴鹿亀山地区広域連合")
    assert not plausible_title("編集・発行：甘楽町総務課")
    assert plausible_title("発行日のお知らせ")
    assert plausible_title("編集後記")


def test_ornaments_read_as_letters_leave_the_text_and_are_no_titles():
    # A wavy border read as ンンンン, a dashed rule as ーーーー, a pattern as クンクンクン.
    assert ocr_clean("ーーーーーーーーーて安全で安心な地域社会") == "て安全で安心な地域社会"
    assert ocr_clean("クンクンクンクンイスのサンケイホール") == "イスのサンケイホール"
    assert ocr_clean("ぐるぐる回る水車") == "ぐるぐる回る水車"  # a word said twice stays
    assert ocr_clean("電話0120-000000") == "電話0120-000000"  # digits are no ornament
    assert not plausible_title("メメメメメ") and not plausible_title("値)スススススス")


def test_an_icon_read_as_a_small_kana_and_a_mark_leaves_the_title():
    assert ocr_title("ゅ>がんばる農業者にインタビュー") == "がんばる農業者にインタビュー"
    assert ocr_title("ゅ> がんばる農業者にインタビュー") == "がんばる農業者にインタビュー"
    assert ocr_title("ッ|受領委任払い") == "受領委任払い"
    assert ocr_title("ョガ教室") == "ョガ教室"  # a misread letter of the title itself stays for staff to see


def test_a_title_keeps_its_words_in_latin_letters():
    """Only an icon's reading goes (letters with a sign, or one or two letters set apart)."""
    assert ocr_title("LINE公式アカウントを開設") == "LINE公式アカウントを開設"
    assert ocr_title("SNS型投資・ロマンス詐欺") == "SNS型投資・ロマンス詐欺"
    assert ocr_title("ORコードで申込") == "QRコードで申込"
    assert ocr_title("sms| 受領委任払い") == "受領委任払い"
    assert ocr_title("Ah 受領委任払い") == "受領委任払い"
    assert ocr_title("ー「広報かんら」") == "ー「広報かんら」"  # an opening bracket is no icon
