"""Accessibility house rules (JIS X 8341-3 AA), as Japanese municipal CMSs check them.

Each rule reads one item's Markdown body (outside code) or its front-matter text and says
what to write instead. Whether a finding is a warning or an error is set per rule in
mkdocs.yml (`house_rules:`). Markdown images without alt (`![](x)`) stay an error in
checks.py; the `image-alt` rule here covers raw HTML `<img>`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .errors import ERROR, WARNING, ContentError
from .schema import FIELDS

if TYPE_CHECKING:
    from .model import Item, Site

# Rule name → default severity. An image without alt says nothing to a screen reader: an error.
RULES = {
    "heading-skip": WARNING,
    "image-alt": ERROR,
    "table-header": WARNING,
    "empty-link": WARNING,
    "vague-link": WARNING,
    "platform-chars": WARNING,
    "halfwidth-kana": WARNING,
}
SEVERITIES = (WARNING, ERROR)

Finding = tuple[str, int, str]  # (rule, position in the body text or file line, message)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)[^`].*?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Python-Markdown reads `#見出し` (no space) as a heading too, and only at the line start.
_ATX = re.compile(r"^(#{1,6})(.*?)$")
_SETEXT = re.compile(r"^(=+|-+) *$")
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.I | re.S)
_ATTR_LIST = re.compile(r"\s*\{[^}]*\}\s*$")
_TAG = re.compile(r"<[^>]*>")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_TABLE = re.compile(r"<table\b.*?(?:</table\s*>|\Z)", re.I | re.S)
_TH = re.compile(r"<th\b", re.I)
_RULE_CELL = re.compile(r"\s*:?-+:?\s*")
_MD_LINK = re.compile(r"(?<!!)\[([^\[\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.I | re.S)
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")

# Whole link texts that do not say where the link goes (after dropping spaces, brackets, arrows).
VAGUE_LINK_TEXTS = frozenset(
    {
        "こちら",
        "ここ",
        "コチラ",
        "クリック",
        "詳細",
        "こちらをクリック",
        "ここをクリック",
        "詳しくはこちら",
        "詳細はこちら",
        "こちらから",
        "ここから",
        "こちらをご覧ください",
        "クリックしてください",
    }
)
_LINK_DECORATION = re.compile(r"[\s「」『』【】〔〕〈〉《》()\[\]<>*_~→⇒▶▷►»≫。.!:]")

# 機種依存文字: ranges whose NFKC form is the replacement (wrapped in parentheses when True).
_PLATFORM_RANGES = (
    (0x2460, 0x2473, True),  # ①–⑳ → (1)…(20)
    (0x3251, 0x325F, True),  # ㉑–㉟
    (0x32B1, 0x32BF, True),  # ㊱–㊿
    (0x3280, 0x32B0, True),  # ㊀…㊤㊥㊦㊧㊨…㊰ → (一)…(上)(中)(下)(左)(右)…
    (0x2474, 0x24B5, False),  # ⑴…⒇ ⒈… ⒜… → (1) 1. (a)
    (0x3220, 0x3243, False),  # ㈠…㈪(月)…㈱(株) ㈲(有) ㈹(代)…
    (0x2160, 0x217F, False),  # Ⅰ–Ⅿ ⅰ–ⅿ → I, II… i, ii…
    (0x3300, 0x3357, False),  # ㌔ ㌢ ㍍ ㌘ ㌧ ㌃ ㌶ ㍑ ㍗… → キロ センチ メートル…
    (0x337B, 0x337F, False),  # ㍻ ㍼ ㍽ ㍾ ㍿ → 平成 昭和 大正 明治 株式会社
    (0x32FF, 0x32FF, False),  # ㋿ → 令和
)
_PLATFORM_EXTRA = {
    "℡": "TEL",
    "№": "No.",
    "㎜": "mm",
    "㎝": "cm",
    "㎞": "km",
    "㎎": "mg",
    "㎏": "kg",
    "㏄": "cc",
    "㎡": "平方メートル",
    "㎥": "立方メートル",
}


def _platform_chars() -> dict[str, str]:
    table = {}
    for first, last, wrap in _PLATFORM_RANGES:
        for code in range(first, last + 1):
            plain = unicodedata.normalize("NFKC", chr(code))
            table[chr(code)] = f"({plain})" if wrap else plain
    return table | _PLATFORM_EXTRA


PLATFORM_CHARS = _platform_chars()


def check_site(site: Site, known: dict[str, tuple] | None = None) -> list[ContentError]:
    """Every house-rule finding of every item, with the severity chosen in the config;
    `known` holds findings already made (by src)."""
    rules = site.config.house_rules
    known = known or {}
    return [
        ContentError(item.src, line, message, rules.severity(rule))
        for item in site.items
        for rule, line, message in (known[item.src] if item.src in known else check_item(item))
    ]


def check_item(item: Item) -> list[Finding]:
    """(rule, file line, message) for one item; each finding once per line."""
    text = prose(item.body)
    found = [
        (rule, item.body_line + text.count("\n", 0, pos), message)
        for check in _BODY_CHECKS
        for rule, pos, message in check(text)
    ]
    found += _front_matter(item)
    return list(dict.fromkeys(found))


def prose(body: str) -> str:
    """The body with fenced code, code spans and HTML comments blanked: same lines, same positions."""
    lines, fence = [], ""
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if (
                opening
                and opening.group(1)[0] == fence[0]
                and len(opening.group(1)) >= len(fence)
                and not line.strip().strip(fence[0])
            ):
                fence = ""
            lines.append("")
        elif opening:
            fence = opening.group(1)
            lines.append("")
        else:
            lines.append(_CODE_SPAN.sub(lambda m: " " * len(m.group()), line))
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), "\n".join(lines))


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _headings(text: str) -> list[tuple[int, int, str, bool]]:
    """(position, level, text, written in HTML) of every heading, in document order."""
    found = []
    before = previous = (0, "")
    for pos, line in _lines(text):
        atx = _ATX.match(line)
        if atx:
            found.append(
                (pos, len(atx.group(1)), _ATTR_LIST.sub("", atx.group(2)).strip().rstrip("#").strip(), False)
            )
        elif (
            _SETEXT.match(line)
            and previous[1].strip()
            and not before[1].strip()
            and not _ATX.match(previous[1])
        ):
            # `text` over `---` or `===` is a heading when it starts a paragraph (Python-Markdown)
            found.append((previous[0], 1 if line[0] == "=" else 2, previous[1].strip(), False))
        before, previous = previous, (pos, line)
    found += [
        (m.start(), int(m.group(1)), _visible(m.group(2)).strip(), True) for m in _HTML_HEADING.finditer(text)
    ]
    return sorted(found)


def _heading_order(text: str) -> Iterator[Finding]:
    level, after = 1, "タイトル"  # the page title is the h1
    for pos, number, title, html in _headings(text):
        mark = (lambda n: f"<h{n}>") if html else (lambda n: "#" * n)
        if number == 1:
            yield (
                "heading-skip",
                pos,
                (
                    f"見出し「{title}」に「{mark(1)}」は使えません（「{mark(1)}」はページのタイトルです）。"
                    f"「{mark(2)}」にしてください"
                ),
            )
        elif number > level + 1:
            yield (
                "heading-skip",
                pos,
                (
                    f"見出し「{title}」の階層が飛んでいます（{after}の次に「{mark(number)}」）。"
                    f"「{mark(level + 1)}」にしてください"
                ),
            )
        level, after = number, f"「{mark(number)}」"


def _html_images(text: str) -> Iterator[Finding]:
    for match in _IMG.finditer(text):
        if not (_attr(match.group(), "alt") or "").strip():
            src = _attr(match.group(), "src") or ""
            yield (
                "image-alt",
                match.start(),
                (f'画像「{src}」に説明（代替テキスト）がありません。<img alt="説明" …> の形で書いてください'),
            )


def _tables(text: str) -> Iterator[Finding]:
    previous = (0, "")
    for pos, line in _lines(text):
        if _is_rule_row(line) and _is_empty_row(previous[1]):
            yield (
                "table-header",
                previous[0],
                "表の見出し行（1行目）が空です。各列の見出しを書いてください（例: | 日時 | 場所 |）",
            )
        previous = (pos, line)
    for match in _TABLE.finditer(text):
        if not _TH.search(match.group()):
            yield (
                "table-header",
                match.start(),
                ("表（<table>）に見出しのセル（<th>）がありません。見出しの行や列を <th> で書いてください"),
            )


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") else row
    return row.split("|")


def _is_rule_row(line: str) -> bool:
    """The `|---|:---:|` row under a table's header."""
    return "|" in line and "-" in line and all(_RULE_CELL.fullmatch(cell) for cell in _cells(line))


def _is_empty_row(line: str) -> bool:
    return "|" in line and not any(cell.replace("&nbsp;", "").strip() for cell in _cells(line))


def _links(text: str) -> Iterator[Finding]:
    found = [(m.start(), m.group(1), m.group(2)) for m in _MD_LINK.finditer(text)]
    found += [
        (m.start(), _visible(m.group(2)), _attr(m.group(1), "href"))
        for m in _HTML_LINK.finditer(text)
        if _attr(m.group(1), "href") is not None
    ]  # <a id="…"></a> is an anchor, not a link
    for pos, label, target in found:
        if not label.strip():
            yield (
                "empty-link",
                pos,
                (
                    f"リンク「{target}」に文字がありません。どこへのリンクかがわかる文字を書いてください"
                    "（例: [ごみの出し方](../kurashi/gomi.md)）"
                ),
            )
        elif _LINK_DECORATION.sub("", unicodedata.normalize("NFKC", label)) in VAGUE_LINK_TEXTS:
            yield (
                "vague-link",
                pos,
                (
                    f"リンクの文字「{label.strip()}」では、どこへのリンクかわかりません。"
                    "[ごみの出し方](…) のように、リンク先の名前をリンクの文字にしてください"
                ),
            )


def _characters(text: str) -> Iterator[Finding]:
    """機種依存文字 and half-width katakana, each with what to write instead."""
    for pos, char in enumerate(text):
        if char in PLATFORM_CHARS:
            yield (
                "platform-chars",
                pos,
                (
                    f"機種依存文字「{char}」は環境によって表示されません。"
                    f"「{PLATFORM_CHARS[char]}」に置き換えてください"
                ),
            )
    for match in _HALFWIDTH_KANA.finditer(text):
        full = unicodedata.normalize("NFKC", match.group())
        yield (
            "halfwidth-kana",
            match.start(),
            (
                f"半角カタカナ「{match.group()}」は読み上げソフトで正しく読まれないことがあります。"
                f"全角の「{full}」に置き換えてください"
            ),
        )


_BODY_CHECKS = (_heading_order, _html_images, _tables, _links, _characters)
_TEXT_FIELDS = tuple(spec for spec in FIELDS if spec.type == "text")


def _front_matter(item: Item) -> list[Finding]:
    """機種依存文字 and half-width kana in front-matter text (title, summary, place…), at the key's line."""
    found = []
    for spec in _TEXT_FIELDS:
        if spec.name in item.key_lines:  # a summary derived from the body is checked in the body
            for rule, _, message in _characters(str(getattr(item, spec.name, "") or "")):
                found.append((rule, item.line_of(spec.name), f"{spec.name}（{spec.label}）: {message}"))
    return found


def _attr(tag: str, name: str) -> str | None:
    """An HTML attribute's value; None when the attribute is absent."""
    match = re.search(rf"""(?<![\w-]){name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", tag, re.I)
    return None if match is None else next(g for g in match.groups() if g is not None)


def _visible(html: str) -> str:
    """Text a reader hears: tags dropped, images replaced by their alt."""
    return _TAG.sub("", _IMG.sub(lambda m: _attr(m.group(), "alt") or "", html))
