"""Lettering that the reader took for an article but that carries no text to publish: a flyer's
labels, a map's legend, the boxes of a diagram, an advert's name. Each gives a "heading" with a
few letters under it (「当地地元」 / 「味もんとき」, 「中央通り側」 / 「)1」) and no sentence.

A publisher's or an advertiser's box (an address, telephone and fax numbers, a web address,
no sentence) is not an article either, wherever it is printed; nor is a chart's or a diagram's
lettering (numbers and short labels, no sentence).

Such drafts are left out of the issue and quoted in the report and on the review page, with any
QR code link they held, so nothing is lost and staff do not have to delete a dozen drafts.
Anything with a photo, a table, a list, a dated notice or a sentence stays an article."""

from __future__ import annotations

import re
import unicodedata

from .drafts import Draft
from .heads import CONTACT
from .layout import compact
from .records import Check, Link, ListBlock, Picture, Table

MIN_LETTERS = 12  # kana, kanji and Latin letters under the heading: fewer is a label, not an article
LETTER = re.compile(r"[\u3040-\u30ff\u3400-\u9fffA-Za-z]")
SENTENCE = re.compile(r"[。！？!?]")
SHOWN = 60  # characters of the left-out text quoted in the report
# Contact details: a postal code or telephone number (heads.CONTACT), a number with its area code
# in brackets ((382)4954), a web or mail address.
CONTACT_ITEM = re.compile(
    CONTACT.pattern
    + r"|\(\d{2,5}\)\s*\d{1,4}(?:\s*[-‐−ー]\s*)?\d{3,4}"
    + r"|https?://\S+|www\.[\w.-]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
CONTACT_WORDS = re.compile(r"(?i)tel|fax|e-?mail|mail|url|電話|ファ[ック]ス|住所|[:：]")
NUMBER = re.compile(r"\d[\d,.]*")
CHART_NUMBERS = 0.2  # numbers per letter in a draft with no sentence: a chart's or diagram's labels
CHART_LEAST = 4  # (at least this many numbers)
CONTACT_ITEMS = 2  # contact details in a draft with no sentence: an address box, not an article
CONTACT_LETTERS = 24  # letters beside them at most: the name and address of a publisher or shop


def is_scrap(draft: Draft) -> bool:
    """A titled draft whose text is a few letters without a sentence, and nothing else to keep."""
    if any(_keeps(block) for block in draft.blocks):
        return False
    text = "".join(_texts(draft))
    letters = len(LETTER.findall(unicodedata.normalize("NFKC", text)))
    return letters < MIN_LETTERS and not SENTENCE.search(text)


def is_chart(draft: Draft) -> bool:
    """A titled draft whose text is a chart's or a diagram's lettering read in reading order: numbers
    and short labels (「SNS型ロマンス詐欺138」「(108)」「約13億2,980万円」), no sentence."""
    if any(_keeps(block) for block in draft.blocks):
        return False
    text = unicodedata.normalize("NFKC", "".join(_texts(draft)))
    numbers = len(NUMBER.findall(text))
    letters = len(LETTER.findall(text))
    return not SENTENCE.search(text) and numbers >= CHART_LEAST and numbers >= CHART_NUMBERS * letters


def is_contact_box(draft: Draft) -> bool:
    """A titled draft whose text is only a name, an address and numbers (a publisher's box, an
    advertiser's address): contact details and no sentence."""
    if any(_keeps(block) for block in draft.blocks):
        return False
    text = unicodedata.normalize("NFKC", "".join(_texts(draft)))
    if SENTENCE.search(text) or len(CONTACT_ITEM.findall(text)) < CONTACT_ITEMS:
        return False
    rest = CONTACT_WORDS.sub("", CONTACT_ITEM.sub("", text))
    return len(LETTER.findall(rest)) <= CONTACT_LETTERS


def left_out(draft: Draft) -> Check:
    """What the report and the review page say about a draft left out (a heading without text, or
    lettering), quoting its text and its QR code links, with where it was printed."""
    if not draft.has_text:
        message = f"「{draft.title}」は本文がないため記事にしていません（見出しや欄の名前と判断しました）"
    elif is_contact_box(draft):
        message = (
            f"「{_quoted(draft)}」は住所や電話番号などの連絡先だけなので記事にしていません"
            "（発行元や広告の連絡先と判断しました）。必要なら紙面を見て記事に加えてください"
        )
    elif is_chart(draft):
        message = (
            f"「{_quoted(draft)}」は数字と短い言葉だけなので記事にしていません（グラフや図の文字と判断しました）。"
            "必要なら紙面を見て、図を画像として記事に加えてください"
        )
    else:
        quoted = _quoted(draft)
        links = [block.url for block in draft.blocks if isinstance(block, Link)]
        found = f"。QRコードのリンク: {'、'.join(links)}" if links else ""
        message = (
            f"「{quoted}」は文章にならない短い文字だけなので記事にしていません"
            f"（ちらしや図・地図・広告の文字と判断しました{found}）。必要なら紙面を見て記事に加えてください"
        )
    return Check(draft.page, f"{draft.page}ページ: {message}", boxes=tuple(draft.boxes))


def _quoted(draft: Draft) -> str:
    text = compact(" ".join([draft.title, *_texts(draft)]))
    return text[:SHOWN] + ("…" if len(text) > SHOWN else "")


def _keeps(block) -> bool:
    if isinstance(block, (Picture, Table)):
        return True
    if isinstance(block, ListBlock):
        return len(block.items) > 1
    return isinstance(block, dict) and bool(block.get("when"))


def _texts(draft: Draft) -> list[str]:
    texts = []
    for block in draft.blocks:
        if isinstance(block, list):
            texts.append(block[1])
        elif isinstance(block, dict):
            texts += [
                value for key, value in block.items() if not key.startswith("_") and isinstance(value, str)
            ]
    return texts
