"""What HTML a body may hold: one allow-list, checked in the Markdown source with file and line.

The site shares its origin with pages staff edit, so one body that runs script could act for
every visitor. `problems` refuses, in the source, any element, attribute or URL outside the
list (the check and the build both call it); the site's renderer then cleans the rendered HTML
with the same list (publisher/site/sanitize.py), so what the check cannot see (an entity-encoded
URL, a parser quirk) is removed anyway.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

# What our Markdown extensions (tables, attr_list, md_in_html, admonition, toc) and the bulletin
# importer write, and what staff may reasonably write by hand.
TAGS = frozenset(
    "a abbr b blockquote br caption code col colgroup dd del details div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre rp rt ruby s small span strong sub "
    "summary sup table tbody td tfoot th thead time tr u ul".split()
)
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang"})
ATTRIBUTES = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align", "style"}),
    "th": frozenset({"colspan", "rowspan", "align", "style", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}
STYLE_PROPERTIES = frozenset({"text-align"})  # Markdown tables align columns with style="text-align: …"
URL_ATTRIBUTES = frozenset({"href", "src"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SOURCE_ONLY_ATTRIBUTES = frozenset({"markdown"})  # md_in_html reads it; it never reaches the page

GUIDE = "（使える HTML は docs/staff-guide.md の「本文に書ける HTML」にあります）"
# Code spans on one line only: Markdown lifts an HTML block out of a span that crosses lines.
_CODE_SPAN = re.compile(r"(`+)[^`\n].*?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
# Markdown links and images `[text](url …)`, and reference definitions `[id]: url`.
_MD_URL = re.compile(r"\]\(\s*<?((?:[^()>\s]|\([^()\s]*\))*)|^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
# attr_list: `{: .class #id key=value }` after a block or an inline element.
_ATTR_LIST = re.compile(r"\{:?((?:\s*(?:[.#][\w-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]*)))+)\s*\}")
_ATTR_KEY = re.compile(r"([\w-]+)=")


@dataclass(frozen=True)
class HtmlProblem:
    """One refusal: `offset` is a character position in the body."""

    offset: int
    message: str


def problems(body: str) -> list[HtmlProblem]:
    """Every element, attribute and URL of `body` (Markdown) the allow-list refuses."""
    text = _blank(body)
    found = list(_html_problems(text)) + list(_markdown_url_problems(text)) + list(_attr_list_problems(text))
    return sorted(set(found), key=lambda p: p.offset)


def allowed_url(value: str) -> bool:
    """Relative URLs and the schemes of URL_SCHEMES; the browser ignores blanks and controls, so do we."""
    plain = _INVISIBLE.sub("", html.unescape(value)).lower()
    scheme = _SCHEME.match(plain)
    return scheme is None or scheme.group(1) in URL_SCHEMES


def allowed_attribute(tag: str, name: str) -> bool:
    return name in GLOBAL_ATTRIBUTES or name in ATTRIBUTES.get(tag, ())


def _blank(body: str) -> str:
    """Code spans on one line and comments become spaces (same positions): Markdown escapes or
    drops them. Fenced blocks are not blanked: this site's Markdown has no fenced-code extension,
    and an HTML block between ``` lines is live HTML."""
    spaces = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    return _CODE_SPAN.sub(spaces, _COMMENT.sub(spaces, body))


def _html_problems(text: str) -> Iterator[HtmlProblem]:
    parser = _TagCollector(text)
    for offset, tag, attrs in parser.tags:
        if tag not in TAGS:
            yield HtmlProblem(offset, f"<{tag}> は本文に書けません{GUIDE}")
            continue
        for name, value in attrs:
            if name in SOURCE_ONLY_ATTRIBUTES:
                continue
            if not allowed_attribute(tag, name):
                yield HtmlProblem(offset, f"<{tag}> の {name} 属性は使えません{GUIDE}")
            elif name in URL_ATTRIBUTES and not allowed_url(value or ""):
                yield HtmlProblem(offset, _url_message(value or ""))
            elif name == "style" and not _allowed_style(value or ""):
                yield HtmlProblem(offset, f"<{tag}> の style は text-align だけ使えます{GUIDE}")


def _markdown_url_problems(text: str) -> Iterator[HtmlProblem]:
    for match in _MD_URL.finditer(text):
        url = match.group(1) if match.group(1) is not None else match.group(2)
        if not allowed_url(url):
            yield HtmlProblem(match.start(), _url_message(url))


def _attr_list_problems(text: str) -> Iterator[HtmlProblem]:
    for match in _ATTR_LIST.finditer(text):
        for key in _ATTR_KEY.findall(match.group(1)):
            name = key.lower()
            if name not in GLOBAL_ATTRIBUTES and name not in {"width", "height", "align"}:
                yield HtmlProblem(
                    match.start(),
                    f"「{{ }}」の中の {key} は使えません（使えるのは .クラス名、#id、width、height、title）",
                )


def _allowed_style(value: str) -> bool:
    declarations = [d.strip() for d in value.split(";") if d.strip()]
    return all(d.split(":", 1)[0].strip().lower() in STYLE_PROPERTIES for d in declarations)


def _url_message(url: str) -> str:
    shown = html.unescape(url)[:40]
    return (
        f"「{shown}」というアドレスは使えません。リンクと画像には https:// で始まるアドレス"
        "（mailto: と tel: も可）か、content/ の中のファイルを書いてください"
    )


class _TagCollector(HTMLParser):
    """Start tags with their character offset in the text. Autolinks (<https://…>) are not tags."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list[tuple[str, str | None]]]] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        if ":" in tag or "@" in tag:
            return
        line, column = self.getpos()
        self.tags.append((self._line_starts[line - 1] + column, tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
