"""Mastodon adapter (the only Mastodon.py import): upload the image, then post one status with an Idempotency-Key.
Mastodon keeps that key for one hour only, so find_existing also looks for the post among the account's statuses."""

from __future__ import annotations

import mimetypes
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar

from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from publisher.syndication.channel import ChannelError, Post, Posted, base_url, env, mentions_url, scrub

from ..content.lengths import cut_to

NAME = "mastodon"
TIMEOUT = 30.0  # seconds per request (Mastodon.py's default is 300)
# A pinned version stops Mastodon.py from fetching /api/v1/instance and /api/v2/instance before the first upload;
# when that lookup fails it silently assumes 1.0.0 and uploads to the deprecated /api/v1/media instead.
# Every server since Mastodon 3.1.4 (and GoToSocial, Akkoma) has /api/v2/media.
ASSUMED_VERSION = "4.0.0"
ALT_TEXT_LIMIT = 1500  # characters: Mastodon's MediaAttachment description validation
MEDIA_POLLS = (0.2, 0.5, 1.0, 2.0, 4.0)  # waits while the server still processes an upload (HTTP 202)
TIMELINE_SIZE = 40  # the most /api/v1/accounts/:id/statuses returns in one page


def from_env(environ: Mapping[str, str]) -> MastodonChannel | None:
    """The channel when PUBLISHER_MASTODON_TOKEN and PUBLISHER_MASTODON_BASE_URL are set; None otherwise.
    There is no default instance: the town's own server must be named."""
    token, url = env(environ, NAME, "TOKEN"), base_url(environ, NAME, "")
    if not token or not url:
        return None
    return MastodonChannel(url, _client(token, url))


def _client(token: str, url: str) -> Mastodon:
    # No network here: version_check_mode="created" with a given version parses it instead of asking the server.
    # ratelimit_method="throw": the default "wait" sleeps up to 5 minutes inside the call on a 429.
    return Mastodon(
        access_token=token,
        api_base_url=url,
        request_timeout=TIMEOUT,
        ratelimit_method="throw",
        mastodon_version=ASSUMED_VERSION,
        version_check_mode="created",
    )


@dataclass(frozen=True)
class MastodonChannel:
    base_url: str
    api: Mastodon = field(repr=False, compare=False)
    _account_id: str | None = field(default=None, init=False, repr=False, compare=False)
    name: ClassVar[str] = NAME

    def publish(self, post: Post) -> Posted:
        with self._errors():
            media_ids = [self._upload(post)] if post.image else None
            # A retry with the same Idempotency-Key returns the status created the first time (the server keeps
            # the key for one hour); the image uploaded again on that retry stays unattached and is cleaned up.
            status = self.api.status_post(
                post.text,
                media_ids=media_ids,
                language="ja",
                visibility="public",
                idempotency_key=post.idempotency_key,
            )
        return Posted(str(status["id"]), status.get("url") or "")

    def find_existing(self, post: Post) -> list[Posted]:
        """The account's recent status linking to `post.url`, if any. The Idempotency-Key alone is not enough:
        Mastodon keeps it for one hour only (redis setex 3,600 in PostStatusService) and the publisher runs
        hourly, so a retry of an entry left pending may come after the key expired and post a second status."""
        with self._errors():
            statuses = self.api.account_statuses(self._account(), exclude_reblogs=True, limit=TIMELINE_SIZE)
        return [
            Posted(str(status["id"]), status.get("url") or "", _plain(status))
            for status in statuses
            if not status.get("reblog") and _mentions(status, post.url)
        ]

    def _account(self) -> str:
        if self._account_id is None:  # frozen dataclass: the cache is set once, around the freeze
            object.__setattr__(self, "_account_id", str(self.api.account_verify_credentials()["id"]))
        return self._account_id

    def _upload(self, post: Post) -> str:
        # Bytes, not the path: given a path, Mastodon.py opens the file and never closes it.
        try:
            data = post.image.read_bytes()
        except OSError as exc:
            message = f"Mastodon: cannot read the image {post.image}: {exc.strerror}"
            raise ChannelError(message, retryable=False) from None
        mime = mimetypes.guess_type(post.image.name)[0]
        media = self.api.media_post(
            data,
            mime_type=mime,
            file_name=post.image.name,
            description=cut_to(post.image_alt, ALT_TEXT_LIMIT),
        )
        for wait in MEDIA_POLLS:  # v2 uploads may answer 202 with url null until processed
            if media.get("url"):
                break
            time.sleep(wait)
            media = self.api.media(media["id"])
        if not media.get("url"):
            raise ChannelError("Mastodon: the image is still being processed by the server", retryable=True)
        return str(media["id"])

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Mastodon.py exceptions as ChannelError. `from None`: the chained original adds nothing staff can use."""
        try:
            yield
        except MastodonError as exc:
            error = _channel_error(exc, self.api.ratelimit_reset)
            raise ChannelError(
                _scrub(str(error), self.api.access_token),
                retryable=error.retryable,
                retry_after=error.retry_after,
                blocked=error.blocked,
            ) from None


def _mentions(status: Mapping, url: str) -> bool:
    """Mastodon renders a link as <a href="URL"> around spans that split (and visually shorten) the URL text."""
    content = _Content()
    content.feed(status.get("content") or "")
    content.close()
    card = status.get("card") or {}
    candidates = [*content.hrefs, "".join(content.text), card.get("url") or ""]
    return any(mentions_url(text, url) for text in candidates)


def _plain(status: Mapping) -> str:
    content = _Content()
    content.feed(status.get("content") or "")
    content.close()
    return "".join(content.text)


class _Content(HTMLParser):
    """A status's HTML `content`: its link targets and its text (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]
        elif tag in ("br", "p"):
            self.text.append("\n")  # keeps a URL at a line's end from running into the next line's text

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _channel_error(exc: MastodonError, ratelimit_reset: float | None) -> ChannelError:
    if isinstance(exc, MastodonRatelimitError):
        wait = None if ratelimit_reset is None else max(0.0, round(ratelimit_reset - time.time(), 1))
        return ChannelError("Mastodon: rate limit reached (HTTP 429)", retryable=True, retry_after=wait)
    if isinstance(exc, MastodonNetworkError):
        return ChannelError(f"Mastodon: could not reach the server ({_network_reason(exc)})", retryable=True)
    if isinstance(exc, MastodonServerError):
        return ChannelError(f"Mastodon: server error {_reason(exc)}", retryable=True)
    if isinstance(exc, MastodonAPIError):  # 401 (a revoked token) and 403 (a missing scope) block the account
        blocked = isinstance(exc, MastodonUnauthorizedError) or (len(exc.args) > 1 and exc.args[1] == 403)
        return ChannelError(f"Mastodon: {_reason(exc)}", retryable=False, blocked=blocked)
    return ChannelError(
        f"Mastodon: {exc}", retryable=False
    )  # bad file, MIME type or version: retrying won't help


def _reason(exc: MastodonAPIError) -> str:
    """The server's `error` text and status, from Mastodon.py's args ('…returned error', status, reason, error)."""
    if len(exc.args) == 4:
        _, status, reason, error = exc.args
        return f"{error or reason} (HTTP {status})"
    return " ".join(str(arg) for arg in exc.args)


def _network_reason(exc: MastodonNetworkError) -> str:
    text = str(exc)
    return "timed out" if "timed out" in text.lower() else "connection failed"


def _scrub(message: str, secret: str | None) -> str:
    """Belt and braces: a proxy's error page may echo the Authorization header back."""
    return scrub(message, (secret or "",))
