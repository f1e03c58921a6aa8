"""Lettering that the reader took for an article but that carries no text to publish: a flyer's
labels, a map's legend, the boxes of a diagram, an advert's name. Each gives a "heading" with a
few letters under it (「当地地元」 / 「味もんとき」, 「中央通り側」 / 「)1」) and no sentence.

Such drafts are left out of the issue and quoted in the report and on the review page, with any
QR code link they held, so nothing is lost and staff do not have to delete a dozen drafts.
Anything with a photo, a table, a list, a dated notice or a sentence stays an article."""

from __future__ import annotations

import re
import unicodedata

from .drafts import Draft
from .layout import compact
from .records import Check, Link, ListBlock, Picture, Table

MIN_LETTERS = 12  # kana, kanji and Latin letters under the heading: fewer is a label, not an article
LETTER = re.compile(r"[\u3040-\u30ff\u3400-\u9fffA-Za-z]")
SENTENCE = re.compile(r"[。！？!?]")
SHOWN = 60  # characters of the left-out text quoted in the report


def is_scrap(draft: Draft) -> bool:
    """A titled draft whose text is a few letters without a sentence, and nothing else to keep."""
    if any(_keeps(block) for block in draft.blocks):
        return False
    text = "".join(_texts(draft))
    letters = len(LETTER.findall(unicodedata.normalize("NFKC", text)))
    return letters < MIN_LETTERS and not SENTENCE.search(text)


def left_out(draft: Draft) -> Check:
    """What the report and the review page say about a draft left out (a heading without text, or
    lettering), quoting its text and its QR code links, with where it was printed."""
    if not draft.has_text:
        message = f"「{draft.title}」は本文がないため記事にしていません（見出しや欄の名前と判断しました）"
    else:
        text = compact(" ".join([draft.title, *_texts(draft)]))
        quoted = text[:SHOWN] + ("…" if len(text) > SHOWN else "")
        links = [block.url for block in draft.blocks if isinstance(block, Link)]
        found = f"。QRコードのリンク: {'、'.join(links)}" if links else ""
        message = (
            f"「{quoted}」は文章にならない短い文字だけなので記事にしていません"
            f"（ちらしや図・地図・広告の文字と判断しました{found}）。必要なら紙面を見て記事に加えてください"
        )
    return Check(draft.page, f"{draft.page}ページ: {message}", boxes=tuple(draft.boxes))


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
