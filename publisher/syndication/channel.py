"""The small interface every SNS adapter implements; the SDK is imported only in its adapter."""

from __future__ import annotations

import html
import os
import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Post:
    """One message for one channel, composed from one item."""

    item_id: str  # the item's id, e.g. "news/2026/matsuri"
    channel: str  # "x" | "mastodon" | "bluesky" | "line"
    text: str  # the whole text as it will appear, link and hashtags included
    url: str  # the item's permalink (always present in the text, never cut)
    title: str
    summary: str
    image: Path | None  # a local file to upload (social card or lead image), or None
    image_url: str  # the same image's public URL ("" when none): LINE takes URLs, not uploads
    image_alt: str
    idempotency_key: str  # stable for (item, channel, kind): the platform's retry key where it has one
    kind: str = "publish"  # "publish" | "reminder"


@dataclass(frozen=True)
class Posted:
    """What the platform answered: its id for the post and a URL to see it ("" when none)."""

    remote_id: str
    remote_url: str = ""
    text: str = ""  # the post's text as the platform shows it (recovery compares it with ours)


ERROR_LIMIT = 500  # characters of a platform's reason kept in the ledger and the report
_CREDENTIAL = (
    r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|access_?token|refresh_?token"
    r"|access_?jwt|refresh_?jwt|password|client_secret|oauth_token|oauth_signature|token)"
)
_SECRET_PATTERNS = (
    # A credential header as a raw line (`Authorization: OAuth oauth_consumer_key="…", …`): all of it.
    re.compile(r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie)(\s*:\s*)(?!['\"])[^\r\n]+"),
    # A credential quoted as a value (`'Authorization': 'OAuth …'`, `"accessJwt": "…"`): up to its quote.
    re.compile(_CREDENTIAL + r"(['\"]?\s*[:=]\s*(['\"]))(?:(?!\3).)*(?=\3)"),
    # A credential field unquoted (`access_token=…&`): the value.
    re.compile(_CREDENTIAL + r"(\s*[:=]\s*)(?:(?:bearer|basic|oauth|dpop)\s+)?[^\s'\",;&}]+"),
    re.compile(r"(?i)\b(bearer|basic|dpop)(\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(
        r"()()\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"
    ),  # any JWT (Bluesky sessions)
)
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]+")  # an echoed image, say


def scrub(text: str, secrets: Sequence[str] = ()) -> str:
    """Text safe to print and store: the given secrets, any credential a server echoed (headers,
    tokens, JWTs) and unprintable bytes removed, at most ERROR_LIMIT characters."""
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(secret, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}***" if m.group(1) else "***", text)
    text = _UNPRINTABLE.sub("", text)
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "…"


class ChannelError(Exception):
    """A post that did not go out. `retryable`: 429, 5xx, timeouts; not for 4xx (too long, duplicate,
    unauthorized). `retry_after`: seconds the platform asked us to wait, when it said so.
    `blocked`: the account cannot post at all until staff act (credentials revoked, permissions,
    a monthly quota); the post itself is fine and waits. `duplicate`: refused as a copy of the
    account's own post (X), which after a lost answer is our post. The message must be the platform's
    reason in plain words; whatever a server echoed is scrubbed here, and each adapter also
    passes its own secrets through `scrub`."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        blocked: bool = False,
        duplicate: bool = False,
    ):
        super().__init__(scrub(message))
        self.retryable = retryable
        self.retry_after = retry_after
        self.blocked = blocked
        self.duplicate = duplicate  # the platform already has this very text from this account


class Channel(Protocol):
    name: str  # "x" | "mastodon" | "bluesky" | "line"

    def publish(self, post: Post) -> Posted:
        """Create the post (uploading its image first). Raise ChannelError on failure."""

    def find_existing(self, post: Post) -> list[Posted]:
        """After a crash, before retrying an entry left pending: the account's recent posts that
        link to `post.url`, newest first, with their text (the runner decides which, if any, is
        this post). X and Bluesky have no idempotency key; Mastodon forgets its key after an hour.
        LINE cannot list broadcasts and returns []: its retry key lasts 24 hours."""


def env(environ: Mapping[str, str], channel: str, name: str) -> str:
    """PUBLISHER_<CHANNEL>_<NAME> from the environment ("" when unset)."""
    return environ.get(f"PUBLISHER_{channel.upper()}_{name}", "").strip()


def base_url(environ: Mapping[str, str], channel: str, default: str) -> str:
    """PUBLISHER_<CHANNEL>_BASE_URL overrides the API endpoint (self-hosted servers, local tests)."""
    return (env(environ, channel, "BASE_URL") or default).rstrip("/")


def environment() -> Mapping[str, str]:
    return os.environ


_AFTER_URL = r"(?![\w/%?#&=+~-])"  # the URL must end where the link ends: ".../a" is not ".../ab"


def same_text(shown: str, composed: str) -> bool:
    """Whether a post the platform shows is the text we composed: compared without links (X
    turns them into t.co, Mastodon shortens them), entities, width variants and whitespace."""
    return _comparable(shown) == _comparable(composed)


def _comparable(text: str) -> str:
    plain = unicodedata.normalize("NFKC", html.unescape(text))
    return re.sub(r"\s+", "", re.sub(r"https?://\S+", "", plain))


def mentions_url(text: str, url: str) -> bool:
    """Whether `text` contains the link `url` itself (not a longer URL that starts with it)."""
    return re.search(re.escape(url) + _AFTER_URL, text, re.ASCII) is not None


def seconds_until_reset(headers: Mapping[str, str], reset_header: str = "") -> float | None:
    """Seconds to wait: the platform's reset time (`reset_header`, epoch seconds) or Retry-After."""
    for name, base in ((reset_header, time.time()), ("retry-after", 0.0)):
        try:
            return max(0.0, float(headers[name]) - base)
        except (KeyError, ValueError, TypeError):
            continue
    return None
