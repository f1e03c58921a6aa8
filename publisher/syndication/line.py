"""LINE adapter (the only line-bot-sdk import): broadcast one Flex Message card to the official account's friends.

Limits, from the Messaging API reference (developers.line.biz/en/reference/messaging-api/):
altText max 1,500 characters; image URL HTTPS, max 2,000 characters, JPEG/PNG, max 1024×1024 px, 10 MB;
URI action max 1,000 characters; Flex button label max 40; a bubble's JSON max 30 KB; broadcast max 5 messages.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    BroadcastRequest,
    Configuration,
    FlexContainer,
    FlexMessage,
    MessagingApi,
)

from publisher.syndication.channel import ChannelError, Post, Posted, base_url, env, scrub

from ..content.lengths import cut_to

NAME = "line"
DEFAULT_BASE_URL = "https://api.line.me"
TIMEOUT = (10.0, 30.0)  # connect, read (seconds); the SDK has no timeout unless given one per call
ALT_TEXT_MAX = 1500
DEFAULT_RETRY_AFTER = 60.0  # LINE's 429 on broadcast carries no Retry-After
BUTTON_LABEL = "詳しく見る"
# Fixed forever: retry keys are derived from it, so changing it would turn a retry into a second broadcast.
RETRY_KEY_NAMESPACE = uuid.UUID("23d98f3d-63ba-4260-9437-b0722eab6052")


def from_env(environ: Mapping[str, str]) -> LineChannel | None:
    """The channel when PUBLISHER_LINE_CHANNEL_TOKEN is set; PUBLISHER_LINE_BASE_URL overrides api.line.me."""
    token = env(environ, NAME, "CHANNEL_TOKEN")
    if not token:
        return None
    url = base_url(environ, NAME, DEFAULT_BASE_URL)
    return LineChannel(url, MessagingApi(ApiClient(_configuration(token, url))), token)


def _configuration(token: str, url: str) -> Configuration:
    # Configuration() sets the process-wide "urllib3" logger to WARNING (never debug=True: http.client would print
    # the Authorization header); keep the level the application chose.
    urllib3_logger = logging.getLogger("urllib3")
    level = urllib3_logger.level
    configuration = Configuration(access_token=token, host=url)
    urllib3_logger.setLevel(level)
    return configuration


def retry_key(post: Post) -> str:
    """X-Line-Retry-Key must be a UUID: the same idempotency key always gives the same one, so a retry after a
    crash is recognised by LINE (for 24 hours after the first request)."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, post.idempotency_key))


@dataclass(frozen=True)
class LineChannel:
    base_url: str
    api: MessagingApi = field(repr=False, compare=False)
    token: str = field(repr=False, compare=False)  # kept only to scrub it from error text
    name: ClassVar[str] = NAME

    def publish(self, post: Post) -> Posted:
        request = BroadcastRequest(messages=[flex_message(post)])
        try:
            response = self.api.broadcast_with_http_info(
                request, x_line_retry_key=retry_key(post), _request_timeout=TIMEOUT
            )
        except ApiException as exc:
            accepted = _header(exc, "x-line-accepted-request-id")
            if exc.status == 409 and accepted:
                return Posted(
                    accepted
                )  # an earlier request with this retry key went out: that one is the post
            raise _channel_error(exc, self.token) from None
        except urllib3.exceptions.HTTPError as exc:
            raise ChannelError(
                f"LINE: could not reach the server ({_network_reason(exc)})", retryable=True
            ) from None
        # A broadcast has no public URL; the request id is what LINE support can trace.
        return Posted((response.headers or {}).get("x-line-request-id", ""))

    def find_existing(self, post: Post) -> list[Posted]:
        return []  # the retry key makes a retry answer 409 with the accepted request id instead of resending


def flex_message(post: Post) -> FlexMessage:
    return FlexMessage(alt_text=alt_text(post.text), contents=FlexContainer.from_dict(bubble(post)))


def bubble(post: Post) -> dict:
    """A card: the image (1200×630 → 1.91:1), bold title, summary up to three lines, a button to the page."""
    texts = (
        [{"type": "text", "text": post.title, "weight": "bold", "size": "lg", "wrap": True}]
        if post.title
        else []
    )
    if post.summary:
        texts.append(
            {"type": "text", "text": post.summary, "size": "sm", "wrap": True, "maxLines": 3, "margin": "md"}
        )
    card = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": texts},
        "footer": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "button",
                    "style": "primary",
                    "action": {"type": "uri", "label": BUTTON_LABEL, "uri": post.url},
                },
            ],
        },
    }
    if post.image_url:
        card["hero"] = {
            "type": "image",
            "url": post.image_url,
            "size": "full",
            "aspectRatio": "1.91:1",
            "aspectMode": "cover",
            "action": {"type": "uri", "uri": post.url},
        }
    return card


def alt_text(text: str) -> str:
    """The post's text within LINE's 1,500 characters, cut between graphemes. Counted in UTF-16 units so that
    emoji never push it over whichever way LINE counts. Shown in notifications and the chat list only."""
    return cut_to(text, ALT_TEXT_MAX, _utf16_length)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _channel_error(exc: ApiException, token: str) -> ChannelError:
    reason = scrub(_reason(exc), (token,))  # belt and braces: a proxy may echo the header back
    message = f"LINE: {reason} (HTTP {exc.status})"
    if exc.status == 429:
        if (
            "monthly limit" in reason
        ):  # the message quota: no retry succeeds before staff raise it or the month ends
            return ChannelError(message, retryable=False, blocked=True)
        return ChannelError(message, retryable=True, retry_after=_retry_after(exc))
    if exc.status in (401, 403):  # a reissued or revoked channel token
        return ChannelError(message, retryable=False, blocked=True)
    # 409 without an accepted id: the first request with this key may still be in progress.
    retryable = exc.status in (0, 409) or exc.status >= 500
    return ChannelError(message, retryable=retryable)


def _reason(exc: ApiException) -> str:
    """LINE's `message` plus each `details` entry ("property: message"), else the HTTP reason."""
    try:
        body = json.loads(exc.body or "")
    except (TypeError, ValueError):
        return str(exc.reason or "error")
    if not isinstance(body, dict):
        return str(exc.reason or "error")
    details = [
        f"{d.get('property', '')}: {d.get('message', '')}".strip(": ") for d in body.get("details") or []
    ]
    return "; ".join([str(body.get("message") or exc.reason or "error"), *details])


def _retry_after(exc: ApiException) -> float:
    value = _header(exc, "Retry-After")
    return float(value) if value and value.isdigit() else DEFAULT_RETRY_AFTER


def _header(exc: ApiException, name: str) -> str:
    return (exc.headers or {}).get(name, "")  # urllib3's HTTPHeaderDict: names in any case


def _network_reason(exc: urllib3.exceptions.HTTPError) -> str:
    timed_out = isinstance(exc, urllib3.exceptions.TimeoutError) or isinstance(
        getattr(exc, "reason", None), urllib3.exceptions.TimeoutError
    )
    return "timed out" if timed_out else "connection failed"
