"""Text as staff should get it: OCR blanks removed, titles tidied, heading marks stripped."""

from __future__ import annotations

import re

HEADING_MARKS = "◆◇■□●○▼▽★☆♦◎"
ENCLOSING = "◆◇■□●○♦"  # marks set on both sides of a title (★ and ♪ also sit inside names)
LIST_MARK = re.compile(
    r"^(?:[・●○◆◇■□◎★☆※＊*▶▷►]|[①-⑳]|\(?[0-9０-９]{1,2}[).）．]|[（(][0-9０-９一二三四五六七八九十]+[）)])"
)


JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60、。「」『』（）・ー々]"
_JP_SPACE = re.compile(rf"(?<={JAPANESE})[ \u3000]+(?=\S)|(?<=\S)[ \u3000]+(?={JAPANESE})")


def despace(text: str) -> str:
    """OCR puts blanks between the words it finds; Japanese text has none next to a Japanese
    character (「9時30分」「LINE公式」), only between Latin words."""
    return _JP_SPACE.sub("", text)


# A cheer set beside a heading between slanted strokes (＼おすすめ／, \もずみ/): not the title.
_CHEER = re.compile(r"[＼\\][^＼\\／/]{1,8}[／/]$|^[＼\\][^＼\\／/]{1,8}[／/]")
# 令和 misread by a letter of the same shape before a year (信和8年度, 合和7年).
_ERA = re.compile(r"[信合今全命冷介]和(?=[0-9０-９元]{1,2}年)")


_SMALL_KANA_FIRST = re.compile(  # no Japanese word starts so: an icon read as ゅ>
    r"^[ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー]+[^\w\s「『（【(\[〈《]+[ \u3000]*(?=[\u3041-\u9fff])"
)
# An icon read as Latin letters and signs (sms| 受領…, Ah 受領…): a run with a sign in it, or one
# or two letters set apart; a word of the title (LINE公式, SNS型, QRコード) has neither.
_ICON_LETTERS = re.compile(
    r"^(?:[A-Za-z]{0,4}[|\\/_=~.:;,'`\"!?@#$%^&*<>\-]+[A-Za-z|\\/_=~.:;,'`\"!?@#$%^&*<>\-]*"
    r"|[A-Za-z]{1,2}(?=[ \u3000]))[ \u3000]*(?=[^\x00-\x7f])"
)


def ocr_title(title: str) -> str:
    """A title read by OCR without the letters an icon before it was read as (sms| 受領…) and
    without a cheer set beside it."""
    title = ocr_clean(_ICON_LETTERS.sub("", title.strip()))  # Ah 受領: before the blank goes
    title = _ICON_LETTERS.sub("", _SMALL_KANA_FIRST.sub("", title))  # ゅ>|受領: after the kana
    return _CHEER.sub("", title).strip(" \u3000|\\")


def tidy_title(title: str) -> str:
    """Spaces of 均等割り go (財　政 → 財政); a space between words of a longer title stays as one."""
    parts = [p for p in re.split(r"[ \u3000]+", title.strip()) if p]
    if all(len(p) <= 2 for p in parts):
        return "".join(parts)
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += (" " if out[-1].isascii() and part[0].isascii() else "　") + part
    return out


def marked_title(text: str) -> tuple[str, str]:
    """A heading line's title, and the words set beside it: marks enclose the title (「◆title◆
    note」, 「kicker ◆title◆」), so a kicker before them or a note after them is text."""
    text = text.strip(" \u3000")
    parts = [p.strip(" \u3000") for p in re.split(f"[{ENCLOSING}]+", text)]
    if len(parts) == 1:
        return strip_marks(text), ""
    if text[0] in ENCLOSING:  # ◆title◆ note
        return strip_marks(parts[1]), "　".join(p for p in parts[2:] if p)
    longest = max(range(len(parts)), key=lambda n: len(parts[n]))  # kicker ◆title◆: the kicker is shorter
    return strip_marks(parts[longest]), "　".join(p for n, p in enumerate(parts) if p and n != longest)


def strip_marks(text: str) -> str:
    return text.strip(" \u3000").lstrip(HEADING_MARKS).strip(" \u3000").strip("【】『』")


# What Tesseract reads for marks it does not know: 〜 as て (or as a dash between grades or ages), a circled weekday (㈰) as some kanji
# (介, 人, 稔, 本 …) between the day and the time.
_OCR_TILDE = re.compile(
    r"(?<=[時分日])(?:[てへ〜ー一<\-−]|[~～〜][-ー−])(?=[\d０-９午正]|$|[（()）])|(?<=\d)<(?=\d)"
    r"|(?<=\d:\d\d)(?:[てへ〜一<こ]|[~～〜][-ー−]|\s*)(?=\s*\d{1,2}:\d\d)"  # 10:00て11:30, 13:30~-14:30, 19:0020:30
    r"|(?:(?<=(?<!\d)\d)|(?<=(?<!\d)\d\d))[一ー－−-](?=\d{1,2}(?:年生|歳|才))"  # 小学1一2年生, 3-5歳
    r"|(?<=[)）])[\^てへ<一ー]\s*(?=(?:令和\d{1,2}年)?\d{1,2}月\d)"  # 6月27日(土)^令和9年2月13日
)
_OCR_WEEKDAY = re.compile(r"(?<=[0-9０-９]日)[\u4e00-\u9fff介人](?=[午正0-9０-９～〜てへ<]|まで|$)")


# An ornament (a wavy border, a row of dots, a dashed rule) read as the same letter or pair of
# letters over and over (ンンンンン, クンクンクン, ーーーーー); no word of a bulletin repeats so.
_ORNAMENT = re.compile(r"(\D)\1{4,}|(\D\D)\2{2,}")


# Letters Tesseract reads as their Latin look-alikes, where the context leaves no doubt.
_MISREAD = (
    (re.compile(r"「([^「」\[\]]{1,40})\]"), r"「\1」"),  # 「福祉の担い手]づくり
    (re.compile(r"\[([^「」\[\]]{1,40})」"), r"「\1」"),
    (re.compile(r"(?<=\d)\.(?=\d{3}(?:円|万|人|名|件)(?!\d))"), ","),  # 1.500円: a thousands comma
    (
        re.compile(r"(?<=\d[:：])[oOｏＯ][oOｏＯ0]|(?<=\d[:：])[0-5][oOｏＯ]"),
        lambda m: re.sub("[oOｏＯ]", "0", m[0]),
    ),  # 16:oo
    (re.compile(r"[O0○〇]R(?=コード)"), "QR"),
    (re.compile(r"(?<=\d日)\s*[(（]\s*[)）]"), ""),  # 2月13日( ): a weekday OCR lost
    (re.compile(r"(?<![\u4e00-\u9fff])石(?=(?:の|記)(?:QR|ＱＲ|二次元|申込|フォーム))"), "右"),  # not 墓石
)


def ocr_clean(text: str) -> str:
    """OCR text without blanks inside Japanese, without ornaments read as letters, and with 〜
    between times and misread brackets, commas and look-alike letters put back."""
    text = despace(text)
    for _ in range(3):  # what is left between two runs may run on (クンクンンクンクン)
        text = _ORNAMENT.sub("", text)
    for pattern, replacement in _MISREAD:
        text = pattern.sub(replacement, text)
    return _ERA.sub("令和", _OCR_TILDE.sub("～", _OCR_WEEKDAY.sub("", text)))


_LETTER = re.compile(r"[A-Za-z\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff々]")
_AMOUNT = re.compile(r"[\d０-９][\d０-９,，.．]*\s*(円|名|人|回|枚|歳|分|時)")
_PRICE_FIRST = re.compile(r"[\d０-９][\d０-９,，.．]*円")
_STRONG = re.compile(r"[A-Za-z\u30a1-\u30fa\u4e00-\u9fff]")  # kanji, katakana or Latin
_CREDIT = re.compile(r"^(?:発行|編集|印刷|制作|企画)(?:元|者|所|・編集|・発行)?[:：/／]")  # 発行/○○広域連合


_CLOSING = re.compile(r"^[。、．，」』）)！？!?]+$")
_WORD = re.compile(r"[\u4e00-\u9fff々]{2}")  # two kanji: a word (時間, 以上), not a scrap


def ocr_scrap(text: str) -> bool:
    """An OCR paragraph that is a scrap of a decoration or a cut letter, not text: at most two
    letters or digits, no two-kanji word and no amount (「る」「ぐる」「II」「1っ」「(」「:」「(7)」;
    not 時間, 5名)."""
    plain = re.sub(r"\s", "", text)
    kept = _WORD.search(plain) or _AMOUNT.search(plain) or _CLOSING.match(plain)
    return len(re.findall(r"[^\W_]", plain)) <= 2 and not kept


def closing_only(text: str) -> bool:
    """A paragraph that is only the end of the sentence before it (「。」 set on a line of its own)."""
    return bool(_CLOSING.match(re.sub(r"\s", "", text)))


def plausible_title(text: str) -> bool:
    """What can be an article's title: some letters, not mostly digits and marks (8/15(土)
    8/25(火), ーーー), not an ornament read as letters (メメメメメ), not an amount (1,000円, 各回40名), a fee or a note, not a credit
    (発行/…), and not a sentence cut at a comma."""
    plain = re.sub(r"\s", "", text)
    letters = len(_LETTER.findall(plain))
    if letters < 2 or letters < 0.5 * len(plain) or _ORNAMENT.search(plain):
        return False
    if _AMOUNT.search(plain) and len(plain) <= 8 or _PRICE_FIRST.match(plain) or "※" in plain:
        return False  # a fee (1,500円(材料費込み)) or a note (一般の方1,500円※当日払い) in large type
    if not _STRONG.search(plain) and len(plain) < 5 or _CREDIT.match(plain):
        return False  # a couple of kana (OCR's reading of an ornament), or the publisher's credit
    return not ("、" in plain[:-1] and len(plain) > 25)
