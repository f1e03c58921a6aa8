"""X (Twitter) adapter: tweepy for posts and timelines, our own API v2 media upload (tweepy has none)."""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import requests
import tweepy
from requests_oauthlib import OAuth1Session

from publisher.syndication.channel import (
    ChannelError,
    Post,
    Posted,
    base_url,
    env,
    mentions_url,
    scrub,
    seconds_until_reset,
)

from ..content.lengths import cut_to

NAME = "x"
DEFAULT_BASE_URL = "https://api.x.com"
TWEEPY_HOST = "https://api.twitter.com"  # hardcoded in tweepy.Client.request
TIMEOUT = 30  # seconds, for every request (requests has no default timeout)
TIMELINE_SIZE = 100  # the API's maximum page size
ALT_TEXT_LIMIT = 1000  # characters, per X's media metadata documentation
CREDENTIALS = ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_SECRET")
# A 403 about the app or the account (keys made before write access was given, an app outside a
# project, a suspension), not about the post (a duplicate is 403 too).
_ACCOUNT_PROBLEM = re.compile(r"permi|enrolled|suspend|oauth1|client", re.I)
# What a post can fail with: HTTP errors, network errors (requests' are OSErrors), an unreadable
# image, an answer of an unexpected shape. Anything else is a bug and should surface as such.
# `from None` below: the chained SDK exception carries the raw response; the message has its reason.
FAILURES = (tweepy.TweepyException, OSError, KeyError)


def from_env(environ: Mapping[str, str]) -> XChannel | None:
    """The channel, or None unless all four OAuth 1.0a credentials are set."""
    values = [env(environ, NAME, key) for key in CREDENTIALS]
    if not all(values):
        return None
    return XChannel(base_url(environ, NAME, DEFAULT_BASE_URL), *values)


class _RebasedSession(OAuth1Session):
    """tweepy hardcodes https://api.twitter.com and exposes `Client.session` for us to replace.

    Rewriting the URL here, in `Session.request`, happens before requests prepares the request and
    before OAuth 1.0a signs it, so the signature covers the host we really call (rewriting later,
    e.g. in a transport adapter, would send a signature made for another host). It also gives
    every request a timeout, and signs our own media calls with the same credentials.
    """

    def __init__(self, base: str, *credentials: str):
        key, secret, token, token_secret = credentials
        super().__init__(
            key, client_secret=secret, resource_owner_key=token, resource_owner_secret=token_secret
        )
        self.base = base

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWEEPY_HOST):
            url = self.base + url[len(TWEEPY_HOST) :]
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(method, url, *args, **kwargs)


class XChannel:
    name = NAME

    def __init__(self, base: str, api_key: str, api_secret: str, access_token: str, access_secret: str):
        self._secrets = (api_key, api_secret, access_token, access_secret)
        _REDACTOR.secrets.update(self._secrets)
        self._base = base
        self._session = _RebasedSession(base, *self._secrets)
        self._client = tweepy.Client(
            consumer_key=api_key,
            consumer_secret=api_secret,
            access_token=access_token,
            access_token_secret=access_secret,
        )
        self._client.session = self._session

    def __repr__(self) -> str:
        return f"XChannel(base={self._base!r})"

    def publish(self, post: Post) -> Posted:
        try:
            media_ids = [self._upload(post)] if post.image else None
            response = self._client.create_tweet(text=post.text, media_ids=media_ids, user_auth=True)
        except FAILURES as error:
            raise self._failure(error) from None
        return _posted(str(response.data["id"]))

    def find_existing(self, post: Post) -> list[Posted]:
        try:
            me = self._client.get_me(user_auth=True).data
            timeline = self._client.get_users_tweets(
                me.id, max_results=TIMELINE_SIZE, tweet_fields=["entities"], user_auth=True
            )
        except FAILURES as error:
            raise self._failure(error) from None
        return [
            replace(_posted(str(tweet.id)), text=tweet.text)
            for tweet in timeline.data or []
            if _mentions(tweet.text, tweet.entities, post.url)
        ]

    def _upload(self, post: Post) -> str:
        """The one-shot image upload, then its alt text, as docs.x.com documents them
        (x-api/media/upload-media, x-api/media/create-media-metadata): multipart `media` and
        `media_category`, answer `data.id`; then JSON {"id", "metadata": {"alt_text": {"text"}}}."""
        mime = mimetypes.guess_type(post.image.name)[0] or "application/octet-stream"
        form = {"media_category": "tweet_image"} | ({"media_type": mime} if mime.startswith("image/") else {})
        response = self._session.post(
            f"{self._base}/2/media/upload",
            files={"media": (post.image.name, post.image.read_bytes(), mime)},
            data=form,
        )
        media_id = str(_checked(response).json()["data"]["id"])
        if post.image_alt:
            metadata = {"alt_text": {"text": cut_to(post.image_alt, ALT_TEXT_LIMIT)}}
            body = {"id": media_id, "metadata": metadata}
            _checked(self._session.post(f"{self._base}/2/media/metadata", json=body))
        return media_id

    def _failure(self, error: Exception) -> ChannelError:
        if isinstance(error, tweepy.HTTPException):
            return _http_failure(error, self._secrets)
        if isinstance(error, (requests.ConnectionError, requests.Timeout)):
            return ChannelError(f"X: could not reach {self._base} ({type(error).__name__})", retryable=True)
        if isinstance(error, KeyError):
            return ChannelError(f"X: unexpected answer, no {error} in it", retryable=False)
        return ChannelError(f"X: {_redact(str(error), self._secrets)}", retryable=False)


def _checked(response: requests.Response) -> requests.Response:
    """Raise for our own calls as tweepy does for its calls, so both fail the same way."""
    if not response.ok:
        raise tweepy.HTTPException(response)
    return response


def _http_failure(error: tweepy.HTTPException, secrets: Sequence[str]) -> ChannelError:
    response = error.response
    status = response.status_code
    reason = "; ".join(str(message) for message in error.api_messages) or response.reason
    retry_after = _reset_in(response.headers) if status == 429 else seconds_until_reset(response.headers)
    return ChannelError(
        f"X {status}: {_redact(reason, secrets)}",
        retryable=status == 429 or status >= 500,
        retry_after=retry_after,
        blocked=status == 401 or (status == 403 and _ACCOUNT_PROBLEM.search(reason) is not None),
        duplicate=status == 403 and "duplicate" in reason.lower(),
    )


def _reset_in(headers: Mapping[str, str]) -> float | None:
    return seconds_until_reset(headers, "x-rate-limit-reset")


def _mentions(text: str, entities: Mapping | None, url: str) -> bool:
    """X rewrites links in the text to t.co; the original is in entities.urls[].expanded_url."""
    expanded = [link.get("expanded_url") or "" for link in (entities or {}).get("urls", [])]
    return mentions_url(text, url) or any(mentions_url(link, url) for link in expanded)


def _posted(tweet_id: str) -> Posted:
    return Posted(remote_id=tweet_id, remote_url=f"https://x.com/i/web/status/{tweet_id}")


def _redact(text: str, secrets: Sequence[str]) -> str:
    return scrub(text, secrets)


class _Redactor(logging.Filter):
    """oauthlib and requests-oauthlib log the consumer key and access token at DEBUG level."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            record.msg, record.args = _redact(message, list(self.secrets)), None
        return True


_REDACTOR = _Redactor()
for _name in (
    "oauthlib.oauth1.rfc5849",
    "oauthlib.oauth1.rfc5849.signature",
    "requests_oauthlib.oauth1_auth",
    "requests_oauthlib.oauth1_session",
    "tweepy.client",
):
    logging.getLogger(_name).addFilter(_REDACTOR)
