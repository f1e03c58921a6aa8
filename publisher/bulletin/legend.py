"""Notices keyed by circled numbers: a legend (①日時 ②場所 ③講師 ④参加費 …) printed once on the
page, then each class gives its fields only as numbers (① 7月29日（水）10:00～ ② 公民館 ③ …),
several on one line. Community-centre newsletters print their class lists this way; with the
legend the numbered values are a notice's fields like labelled ones.
"""

from __future__ import annotations

import re

from .labels import FIELD_OF

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PIECE = re.compile(rf"([{CIRCLED}])[ \u3000]*([^{CIRCLED}]*)")
LEGEND_MIN = 3  # entries: fewer is a numbered list, not a key
ENTRY_MAX = 12  # characters of one legend entry (「材料費、参加費」)
_LABELS = sorted(FIELD_OF, key=len, reverse=True)


def legend_of(texts: list[str]) -> dict[str, str] | None:
    """The key (circled number → notice field) when the lines hold nothing but short numbered
    entries naming notice fields (a caption line before them aside), else None."""
    named: list[str | None] = []
    for n, text in enumerate(texts):
        pieces = _pieces(text)
        if pieces is None:
            if n == 0 and len(text) <= ENTRY_MAX:
                continue  # the legend's caption (各事業の詳細)
            return None
        for _, entry in pieces:
            if len(entry) > ENTRY_MAX:
                return None
            if entry:  # OCR may read ③④ for ④: the number is in the entry's place, not its reading
                named.append(_field_named(entry))
    # A legend counts ①, ②, ③ … in order; OCR confuses the circled digits (② read as ③).
    entries = {CIRCLED[n]: name for n, name in enumerate(named[: len(CIRCLED)]) if name}
    return entries if len(entries) >= LEGEND_MIN else None


def keyed_fields(text: str, legend: dict[str, str]) -> list[tuple[str, str]] | None:
    """The (field, value) pairs of a line that starts with numbers of the legend, else None.
    A numbered list elsewhere on the page (【申込方法】① 6月30日… ② 公民館で受付をします。) is not
    keyed: legend values are short phrases that fit their field, never sentences."""
    pieces = _pieces(text)
    if not pieces or pieces[0][0] not in legend:
        return None
    fields = [
        (legend[mark], _mended(legend[mark], value)) for mark, value in pieces if mark in legend and value
    ]
    return fields if fields and all(_fits(name, value) for name, value in fields) else None


def _mended(name: str, value: str) -> str:
    """What OCR lost at a value's end: the closing bracket (飯野公民館(ホール), the 円 of a fee."""
    if value.count("(") + value.count("（") > value.count(")") + value.count("）"):
        value += "）" if "（" in value else ")"
    return value + "円" if name == "fee" and re.fullmatch(r"[\d,，]+", value) else value


def _fits(name: str, value: str) -> bool:
    if value.endswith("。") or "ます" in value:
        return False
    check = FITS.get(name)
    return check is None or bool(check.search(value))


FITS = {
    "when": re.compile(r"\d+\s*[月/／.]\s*\d+|\d+\s*日|\d+\s*[:：時]"),
    "capacity": re.compile(r"\d+\s*(?:人|名|組|家族|席)|先着|なし"),
    "fee": re.compile(r"\d+\s*円|無料"),  # a bare 200 has its 円 back by then (_mended)
}


def _pieces(text: str) -> list[tuple[str, str]] | None:
    text = text.strip(" \u3000")
    if not text or text[0] not in CIRCLED:
        return None
    return [(m[1], m[2].strip(" \u3000")) for m in _PIECE.finditer(text)]


def _field_named(entry: str) -> str | None:
    plain = re.sub(r"[ \u3000]", "", entry)
    return next((FIELD_OF[label] for label in _LABELS if label in plain), None)
