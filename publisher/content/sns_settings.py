"""SNS settings under `syndication:` in the town plugin's options, and per-item `sns:` front matter."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import partial

from .errors import FieldError
from .lengths import LIMITS, length
from .options import (
    Invalid,
    Problem,
    at_least,
    file_path,
    list_of,
    mapping_of,
    one_of,
    option,
    read,
    record,
    text,
)

CHANNELS = ("x", "mastodon", "bluesky", "line")
CHANNEL_LABELS = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "line": "LINE"}
# {title} {summary} {url} {hashtags} {when} (events: 日時と場所). Blank lines left by empty parts are dropped.
PARTS = ("title", "summary", "url", "hashtags", "when")
DEFAULT_TEMPLATES = {
    "x": "{title}\n{when}\n{summary}\n{url}\n{hashtags}",
    "mastodon": "{title}\n\n{when}\n{summary}\n\n{url}\n\n{hashtags}",
    "bluesky": "{title}\n{when}\n{summary}\n{url}\n{hashtags}",
    "line": "{title}\n{when}\n{summary}\n{url}",
}
IMAGE_LABELS = {"card": "SNS用の画像", "photo": "記事の写真", "none": "画像なし"}
IMAGE_CHOICES = tuple(IMAGE_LABELS)
SHORT_URL = "https://a.jp/"  # the link of a post, as short as one can be: the check is a lower bound
read_channel = one_of(CHANNELS)


def read_template(name: str, value) -> str:
    """A post's template for the channel `name`: its own words and {parts}, {url} always among
    them. One whose words are already over the platform's limit is refused here, when the
    settings are read, not when a post is made."""
    if not isinstance(value, str):
        raise FieldError("文面のひな形を文章で書いてください")
    try:
        parts = {part for _, part, _, _ in string.Formatter().parse(value) if part is not None}
    except ValueError:
        raise FieldError("「{」「}」は {title} のような差し込みにだけ使えます") from None
    if "url" not in parts:
        raise FieldError("必ず {url}（ページへのリンク）を入れてください")
    wrong = sorted(parts - set(PARTS))
    if wrong:
        usable = " ".join(f"{{{part}}}" for part in PARTS)
        raise FieldError(f"「{{{wrong[0]}}}」は使えません。使える差し込み: {usable}")
    size = length(name, fixed_text(value))
    if size > LIMITS[name]:
        counting = "。X は日本語の 1 文字を 2 と数えます" if name == "x" else ""
        raise FieldError(
            f"ひな形の決まった文字だけで {CHANNEL_LABELS[name]} の上限を超えています"
            f"（{size}／{LIMITS[name]}{counting}）。ひな形を短くしてください"
        )
    return value


def fixed_text(words: str) -> str:
    """What a post keeps of its template when everything but the link is cut (compose cuts the
    summary, date, title and hashtags, and drops a line whose parts are all empty)."""
    parts = dict.fromkeys(PARTS, "") | {"url": SHORT_URL}
    kept = [line for line in words.split("\n") if "{url}" in line or not re.search(r"{\w+}", line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.format(**parts).rstrip() for line in kept)).strip()


def read_templates(values) -> tuple[tuple[str, str], ...]:
    pairs = mapping_of(read_channel, lambda words: words, "「チャンネル名: 文面のひな形」")(values)
    problems: list[Problem] = []
    checked = tuple(
        (name, read(partial(read_template, name), words, name, problems)) for name, words in pairs
    )
    if problems:
        raise Invalid(problems)
    return checked


def tag(value) -> str:
    """「甘楽町」「#甘楽町」「＃甘楽町」 (the IME's full-width sign) all give #甘楽町."""
    return "#" + text(value).lstrip("#＃")


@dataclass(frozen=True)
class Syndication:
    channels: tuple[str, ...] = option(
        list_of(read_channel), "Channels the town uses (each also needs its credentials)", CHANNELS
    )
    per_hour: int = option(
        at_least(0), "Posts per channel per hour, alerts not counted; the rest wait, oldest first", 3
    )
    reminder_days: int = option(
        at_least(0), "Events get a reminder this many days before they start; 0: none", 3
    )
    templates: tuple[tuple[str, str], ...] = option(
        read_templates, "Template per channel, overriding DEFAULT_TEMPLATES", ()
    )
    hashtags: tuple[tuple[str, tuple[str, ...]], ...] = option(
        mapping_of(text, list_of(tag), "「分類のスラッグ: [#タグ, …]」"), "Hashtags per category slug", ()
    )
    site_hashtags: tuple[str, ...] = option(list_of(tag), "Added to every post, e.g. #甘楽町", ())
    ledger: str = option(
        file_path, "Ledger file, relative to mkdocs.yml; PUBLISHER_LEDGER overrides", "data/sns-ledger.json"
    )

    def template(self, channel: str) -> str:
        return dict(self.templates).get(channel, DEFAULT_TEMPLATES[channel])

    def hashtags_for(self, categories: tuple[str, ...]) -> tuple[str, ...]:
        by_category = dict(self.hashtags)
        tags = list(self.site_hashtags) + [t for c in categories for t in by_category.get(c, ())]
        return tuple(dict.fromkeys(tags))


def channel_texts(value) -> tuple[tuple[str, str], ...]:
    """`text: 文面` is the text of every channel; else one text per channel."""
    if isinstance(value, str):
        return tuple((name, value.strip()) for name in CHANNELS)
    return mapping_of(read_channel, text, "「チャンネル名: 文面」")(value)


def skipped(value) -> tuple[str, ...]:
    """`skip: true` skips every channel; one channel may be written without a list."""
    if isinstance(value, bool):
        return CHANNELS if value else ()
    return (read_channel(value),) if isinstance(value, str) else list_of(read_channel)(value)


@dataclass(frozen=True)
class SnsOptions:
    """Per-item `sns:` front matter: custom text per channel, channels to skip, which image."""

    text: tuple[tuple[str, str], ...] = option(
        channel_texts, "Text per channel instead of title and summary", ()
    )
    skip: tuple[str, ...] = option(skipped, "Channels this item is not posted to", ())
    image: str = option(
        one_of(IMAGE_LABELS), "Picture of the posts: the card, the lead photo or none", "card"
    )

    def text_for(self, channel: str) -> str:
        return dict(self.text).get(channel, "")


parse_syndication = record(Syndication)
parse_sns = record(SnsOptions)
