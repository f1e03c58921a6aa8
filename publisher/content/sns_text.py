"""The text of an SNS post as its template makes it, and the check's warning when a custom text
(`sns: text:` in front matter) would be cut to fit the platform.

`publisher syndicate` composes posts with the same `render` and `when_line`
(publisher/syndication/compose.py), so the length the check reports is the post's. A custom
text takes the place of title and summary; the link, the event's date line and the hashtags
stay, and the custom text is the first thing cut (with 「…」) when the whole is too long.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from .dates import format_spans
from .errors import WARNING, ContentError
from .lengths import LIMITS, length
from .model import Event, Item, Site
from .sns_settings import CHANNEL_LABELS, SHORT_URL

# How each platform counts, said where a text is too long (publisher/content/lengths.py counts).
COUNTING = {
    "x": "X は日本語の 1 文字を 2、リンクを 23 と数えます",
    "mastodon": "Mastodon は 1 文字を 1、リンクを 23 と数えます",
    "bluesky": "Bluesky は絵文字も含めて見た目の 1 文字を 1 と数え、リンクも全部数えます",
    "line": "LINE は 1 文字を 1 と数え、リンクも全部数えます",
}


def render(template: str, parts: dict[str, str]) -> str:
    """Fill the template; a line whose parts are all empty is dropped, blank lines kept single."""
    lines = []
    for line in template.split("\n"):
        names = re.findall(r"{(\w+)}", line)
        if names and not any(parts[name] for name in names):
            continue
        lines.append(line.format(**parts).rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def when_line(item: Item) -> str:
    """An event's dates and place for the {when} part; empty for other items."""
    if not isinstance(item, Event):
        return ""
    return f"日時: {format_spans(item.occurrences)}／場所: {item.place}"


def cut_custom_texts(site: Site, site_url: str = "") -> list[ContentError]:
    """A warning for every custom text that its channel's post would cut, with the post's length
    by that platform's rule. Without the site's address (the build passes none: a pull request's
    preview build has another address), the shortest link stands in for it: exact for X and
    Mastodon, which count any link as 23, a lower bound for Bluesky and LINE."""
    settings = site.config.syndication
    warnings = []
    for item in site.items:
        url = urljoin(site_url or SHORT_URL, item.url)
        hashtags = " ".join(settings.hashtags_for(item.categories))
        for channel in settings.channels:
            custom = item.sns.text_for(channel)
            if not custom or channel in item.sns.skip:
                continue
            parts = {
                "title": "",
                "summary": custom,
                "url": url,
                "when": when_line(item),
                "hashtags": hashtags,
            }
            size = length(channel, render(settings.template(channel), parts))
            if size > LIMITS[channel]:
                warnings.append(
                    ContentError(item.src, item.line_of("sns"), _too_long(channel, size), WARNING)
                )
    return warnings


def _too_long(channel: str, size: int) -> str:
    label, limit = CHANNEL_LABELS[channel], LIMITS[channel]
    return (
        f"sns の {label} 向けの文面が長すぎるため、投稿では最後が「…」で切られます"
        f"（リンク・ハッシュタグを入れた投稿が {size}、{label} の上限は {limit}。{COUNTING[channel]}）。"
        f"{_shorter_by(channel, size - limit)}短くしてください"
    )


def _shorter_by(channel: str, over: int) -> str:
    """How much shorter, in the characters staff count: on X a Japanese character weighs 2."""
    return f"日本語で {(over + 1) // 2} 文字以上" if channel == "x" else f"{over} 文字以上"
