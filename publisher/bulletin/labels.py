"""The labels of a notice (と　き / ところ / 内　容 …) and the words printed for pictograms.

One list for text layers, OCR and Word documents. Labels are matched with or without the
spaces of 均等割り (「と　き」「とき」), in brackets or not (【日時】〈日　時〉), followed by a blank,
a colon, a closing bracket or nothing but a wide gap.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata

LABELS = {
    "when": ("と　き", "日時", "日にち", "日程", "期日", "開催日", "開催日時", "日　程"),
    "time": ("時間", "時　間"),
    "place": ("ところ", "場所", "会場", "開催場所"),
    "content": ("内　容", "内容", "種目", "テーマ"),
    "target": ("対　象", "対象", "対象者", "参加資格"),
    "capacity": ("定　員", "定員", "募集人数", "募集人員"),
    "fee": ("費　用", "費用", "参加費", "受講料", "受講料金", "料金", "会費", "入場料", "参加料", "材料費"),
    "bring": ("持ち物", "持参物", "持物", "準備物"),
    "teacher": ("講　師", "講師"),
    "apply": (
        "申し込み",
        "申込み",
        "申込",
        "申込方法",
        "申し込み方法",
        "申込期限",
        "申込締切",
        "申込期間",
        "申込先",
        "申し込み先",
    ),
    "contact": (
        "問い合わせ",
        "問い合せ",
        "問合わせ",
        "問合せ",
        "問合せ先",
        "問い合わせ先",
        "お問い合わせ",
        "お問合せ先",
        "お問い合わせ先",
    ),
}
FIELD_OF = {re.sub(r"\s", "", label): name for name, labels in LABELS.items() for label in labels}
PRINTED = {
    name: labels[0].replace("　", "") for name, labels in LABELS.items()
}  # 「とき」 as the draft shows it
_OPEN, _CLOSE = "【〔［\\[〈<《(（■●◆◇□○・", "】〕］\\]〉>》)）"


def _label_pattern() -> re.Pattern:
    names = sorted(FIELD_OF, key=len, reverse=True)
    spaced = "|".join("[ \u3000]*".join(map(re.escape, name)) for name in names)
    return re.compile(
        rf"^[ \u3000]*(?P<open>[{_OPEN}])?[ \u3000]*(?P<label>{spaced})[ \u3000]*[{_CLOSE}]?"
        rf"(?:[ \u3000]*[:：][ \u3000]*|[ \u3000]+|(?=[{_OPEN}\d０-９])|(?(open)(?<=[{_CLOSE}])|(?!)))"
        rf"(?P<value>\S.*)$"
    )


LABEL = _label_pattern()


def split_label(text: str) -> tuple[str, str] | None:
    """(field name, value) when the line starts with a notice label, or with the end of one
    before its closing bracket (OCR lost 〈日 of 〈日　時〉: 「時〉6月24日」)."""
    match = LABEL.match(text)
    if match:
        return FIELD_OF[re.sub(r"[ \u3000]", "", match["label"])], match["value"].strip(" \u3000")
    cut = _CUT_LABEL.match(text)
    fields = {
        name
        for label, name in FIELD_OF.items()
        if cut and label.endswith(cut["tail"]) and label != cut["tail"]
    }
    return (fields.pop(), cut["value"].strip(" \u3000")) if len(fields) == 1 else None


_CUT_LABEL = re.compile(
    rf"^[ \u3000]*(?P<tail>[^\s{_OPEN}{_CLOSE}]{{1,3}})[ \u3000]*[〉】〕》］\]](?P<value>\S.*)$"
)


def with_value_above(labelled: str, above: str) -> str:
    """A label's line with the first line of its value put before its own value: a label set
    beside the middle of a value printed on three lines (6月27日～ / 日時 13時30分～ / 毎月第2土曜日).
    `labelled` starts with a label as printed (LABEL matches it)."""
    start, first = LABEL.match(labelled).start("value"), above.strip(" \u3000")
    return f"{labelled[:start]}{first} {labelled[start:]}"


_HEADLESS = re.compile(r"^[ \u3000]*(?P<tail>[\u4e00-\u9fff])[ \u3000]+(?P<value>\S.*)$")


def split_headless_label(text: str) -> tuple[str, str] | None:
    """(field name, value) for a line of a notice whose two-letter label OCR read without its first
    letter, set apart from its value as labels are: 「所　鈴鹿市社会福祉センター」 (場所), 「時　13時30分」
    (日時). Only asked of a line that goes on in a notice: elsewhere a lone kanji may be anything."""
    cut = _HEADLESS.match(text)
    fields = {name for label, name in FIELD_OF.items() if cut and len(label) == 2 and label[1] == cut["tail"]}
    return (fields.pop(), cut["value"].strip(" \u3000")) if len(fields) == 1 else None


def nearest_label(text: str, least: float) -> str | None:
    """The label (as printed, without its spaces) that a reading of a label alone comes close
    to: letter-spaced labels read apart are misread (講　師 as 詳所, ところ as どこころ). Ties go to
    the label read from its start; a reading longer than the label by two letters is something else."""

    def closeness(label: str) -> tuple[float, int]:
        plain = label.replace("\u3000", "")
        return difflib.SequenceMatcher(None, text, plain).ratio(), len(os.path.commonprefix([text, plain]))

    best = max((label for labels in LABELS.values() for label in labels), key=closeness)
    plain = best.replace("\u3000", "")
    close = difflib.SequenceMatcher(None, text, plain).ratio() >= least and len(text) <= len(plain) + 1
    return plain if close else None


def label_of_cell(text: str) -> str | None:
    """The field a table cell or a label column names (「日　時」), else None."""
    plain = re.sub(rf"[ \u3000{_OPEN}{_CLOSE}:：]", "", text)
    return FIELD_OF.get(plain)


# Pictograms before numbers and addresses: what a screen reader and a search should get.
PICTOGRAMS = {
    "☎": "電話",
    "☏": "電話",
    "📞": "電話",
    "℡": "電話",
    "📱": "携帯電話",
    "℻": "ファクス",
    "📠": "ファクス",
    "✉": "メール",
    "📧": "メール",
    "🖂": "メール",
    "〒": "〒",
}
_PICTOGRAM = re.compile("(" + "|".join(re.escape(p) for p in PICTOGRAMS if p != "〒") + r")[ \u3000:：]*")


def spell_pictograms(text: str) -> str:
    """☎0274-74-3131 → 電話 0274-74-3131; FAX/TEL as printed stay."""
    return _PICTOGRAM.sub(lambda m: PICTOGRAMS[m.group(1)] + " ", text)


def plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
