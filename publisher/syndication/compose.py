"""One post per (item, channel): the channel's template, hashtags, and a text that fits its limit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ..content.lengths import LIMITS, fits, graphemes, shorten
from ..content.model import Alert, Item
from ..content.sns_settings import Syndication
from ..content.sns_text import render, when_line
from .channel import Post

REMINDER = "reminder"
REMINDER_MARK = "【まもなく開催】"  # opens a reminder's title, so a reminder is told from its announcement
PUBLISH = "publish"


@dataclass(frozen=True)
class Picture:
    """The image a post carries: a local file to upload and its public URL."""

    path: Path
    url: str
    alt: str


def compose(
    item: Item, channel: str, kind: str, settings: Syndication, site_url: str, picture: Picture | None
) -> Post:
    url = urljoin(site_url, item.url)
    title, summary = _title(item, kind), item.sns.text_for(channel) or item.summary
    if item.sns.text_for(channel):
        title = ""  # a custom text replaces title and summary; the link and hashtags stay
    parts = {
        "title": title,
        "summary": summary,
        "url": url,
        "when": when_line(item),
        "hashtags": " ".join(settings.hashtags_for(item.categories)),
    }
    text = _fit(channel, settings.template(channel), parts)
    return Post(
        item_id=item.id,
        channel=channel,
        text=text,
        url=url,
        title=item.title,
        summary=item.summary,
        image=picture.path if picture else None,
        image_url=picture.url if picture else "",
        image_alt=picture.alt if picture else "",
        idempotency_key=idempotency_key(item.id, channel, kind),
        kind=kind,
    )


def idempotency_key(item_id: str, channel: str, kind: str) -> str:
    """Stable across runs and machines, so a retry after a crash is recognised by the platform."""
    return hashlib.sha256(f"{channel}\n{kind}\n{item_id}".encode()).hexdigest()[:32]


def _title(item: Item, kind: str) -> str:
    if kind == REMINDER:
        return f"{REMINDER_MARK}{item.title}"
    if isinstance(item, Alert):
        return f"【{item.level_label}】{item.title}"
    return item.title


def _fit(channel: str, template: str, parts: dict[str, str]) -> str:
    """Cut the summary, then the place/date line, then the title, on grapheme boundaries with「…」."""
    text = render(template, parts)
    for field in ("summary", "when", "title", "hashtags"):
        if fits(channel, text):
            return text
        parts = {**parts, field: _longest_fitting(channel, template, parts, field)}
        text = render(template, parts)
    if not fits(channel, text):
        raise ValueError(f"{channel}: the template alone is longer than {LIMITS[channel]}")
    return text


def _longest_fitting(channel: str, template: str, parts: dict[str, str], field: str) -> str:
    """Binary search for the most graphemes of `field` that still fit (possibly none)."""
    low, high = 0, graphemes(parts[field])
    while low < high:
        middle = (low + high + 1) // 2
        if fits(channel, render(template, {**parts, field: shorten(parts[field], middle)})):
            low = middle
        else:
            high = middle - 1
    return shorten(parts[field], low) if low else ""
