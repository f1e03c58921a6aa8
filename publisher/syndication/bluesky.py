"""Bluesky adapter (atproto): a Japanese post with link and hashtag facets and a link card."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import replace

import httpx
from atproto import Client, Request, client_utils, models
from atproto_client.exceptions import NetworkError, RequestErrorBase
from atproto_core.exceptions import AtProtocolError

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

NAME = "bluesky"
DEFAULT_BASE_URL = "https://bsky.social"
TIMEOUT = 30  # seconds; httpx's default of 5 is short for an image upload
FEED_SIZE = 100  # the API's maximum page size
LANGS = ["ja"]
# What a post can fail with: XRPC errors and transport errors (atproto wraps most, not all, of
# httpx's), an unreadable image. `from None` below: the message carries the server's reason.
FAILURES = (AtProtocolError, httpx.TransportError, OSError)


def from_env(environ: Mapping[str, str]) -> BlueskyChannel | None:
    """The channel, or None unless both the handle and an app password are set."""
    handle, password = env(environ, NAME, "HANDLE"), env(environ, NAME, "APP_PASSWORD")
    if not (handle and password):
        return None
    return BlueskyChannel(base_url(environ, NAME, DEFAULT_BASE_URL), handle, password)


class BlueskyChannel:
    name = NAME

    def __init__(self, base: str, handle: str, app_password: str):
        self._base = base
        self._handle = handle
        self._password = app_password
        self._client: Client | None = None  # logged in on first use: constructing does no I/O
        self._did = ""

    def __repr__(self) -> str:
        return f"BlueskyChannel(handle={self._handle!r}, base={self._base!r})"

    def publish(self, post: Post) -> Posted:
        try:
            client = self._logged_in()
            card = _card(client, post)
            created = client.send_post(
                post.text,
                profile_identify=self._did,
                embed=card,
                langs=LANGS,
                facets=facets(post.text, post.url),
            )
        except FAILURES as error:
            raise self._failure(error) from None
        return _posted(self._handle, created.uri)

    def find_existing(self, post: Post) -> list[Posted]:
        """The account's own records (com.atproto.repo.listRecords, which every PDS serves at
        once); the AppView's author feed only when the PDS does not list them."""
        try:
            client = self._logged_in()
            try:
                records = [(r.uri, r.value) for r in self._own_records(client)]
            except RequestErrorBase as error:
                if not _unsupported(error):
                    raise
                feed = client.get_author_feed(self._did, limit=FEED_SIZE).feed
                # The author feed also lists the account's reposts of other people's posts.
                records = [(i.post.uri, i.post.record) for i in feed if i.post.author.did == self._did]
        except FAILURES as error:
            raise self._failure(error) from None
        return [
            replace(_posted(self._handle, uri), text=_field(record, "text") or "")
            for uri, record in records
            if _links_to(record, post.url)
        ]

    def _own_records(self, client: Client) -> list:
        params = {"repo": self._did, "collection": "app.bsky.feed.post", "limit": FEED_SIZE}
        return client.com.atproto.repo.list_records(params).records

    def _logged_in(self) -> Client:
        """createSession, then getSession for the account's DID and handle. atproto's default
        login asks app.bsky.actor.getProfile instead, which not every PDS serves."""
        if self._client is None:
            client = Client(base_url=self._base, request=Request(timeout=TIMEOUT))
            client.login(self._handle, self._password, fetch_bsky_profile=False)
            account = client.com.atproto.server.get_session()
            self._client, self._did, self._handle = client, account.did, account.handle
        return self._client

    def _failure(self, error: Exception) -> ChannelError:
        response = getattr(error, "response", None)
        if isinstance(error, RequestErrorBase) and response is not None:
            status = response.status_code
            return ChannelError(
                f"Bluesky {status}: {self._redact(_reason(response))}",
                retryable=status == 429 or status >= 500,
                retry_after=_reset_in(response.headers)
                if status == 429
                else seconds_until_reset(response.headers),
                blocked=status in (401, 403),  # a revoked app password, a taken-down account
            )
        if isinstance(error, (NetworkError, httpx.TransportError)):
            return ChannelError(
                f"Bluesky: could not reach {self._base} ({type(error).__name__})", retryable=True
            )
        return ChannelError(f"Bluesky: {self._redact(str(error))}", retryable=False)

    def _redact(self, text: str) -> str:
        return scrub(text, (self._password,))


def facets(text: str, url: str) -> list[models.AppBskyRichtextFacet.Main]:
    """Rich-text facets, offsets in UTF-8 bytes: #hashtags and other links as the Bluesky app
    detects them, and the permalink exactly, even where detection would miss or overrun it
    (a link glued to Japanese text)."""
    detected = client_utils.detect_facets(text)
    start = text.find(url)
    if start < 0:
        return detected
    byte_start = len(text[:start].encode())
    byte_end = byte_start + len(url.encode())
    link = models.AppBskyRichtextFacet.Main(
        features=[models.AppBskyRichtextFacet.Link(uri=url)],
        index=models.AppBskyRichtextFacet.ByteSlice(byte_start=byte_start, byte_end=byte_end),
    )
    others = [f for f in detected if f.index.byte_end <= byte_start or f.index.byte_start >= byte_end]
    return sorted([*others, link], key=lambda facet: facet.index.byte_start)


def _card(client: Client, post: Post) -> models.AppBskyEmbedExternal.Main:
    """The link card. Its thumbnail has no alt text in the lexicon, so image_alt is not sent."""
    thumb = None
    if post.image:
        mime = mimetypes.guess_type(post.image.name)[0] or "application/octet-stream"
        upload = client.com.atproto.repo.upload_blob(post.image.read_bytes(), headers={"Content-Type": mime})
        thumb = upload.blob
    external = models.AppBskyEmbedExternal.External(
        uri=post.url, title=post.title, description=post.summary, thumb=thumb
    )
    return models.AppBskyEmbedExternal.Main(external=external)


def _links_to(record, url: str) -> bool:
    """Our post for `url`: a link facet, the link card or the text points to it."""
    features = [
        feature for facet in _field(record, "facets") or [] for feature in _field(facet, "features") or []
    ]
    links = [_field(feature, "uri") for feature in features]
    card = _field(_field(_field(record, "embed"), "external"), "uri")
    return url in links or card == url or mentions_url(_field(record, "text") or "", url)


def _unsupported(error: RequestErrorBase) -> bool:
    """The PDS does not list records (a refusal or 501), as opposed to being busy or down."""
    status = error.response.status_code if getattr(error, "response", None) is not None else 0
    return status == 501 or (400 <= status < 500 and status != 429)


def _field(value, name: str):
    """Records of a known $type arrive as models, others as dicts."""
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def _reason(response) -> str:
    """XRPC errors are {"error": name, "message": text}; anything else is shown as it came."""
    content = response.content
    parts = [_field(content, "error"), _field(content, "message")]
    if any(parts):
        return ": ".join(filter(None, parts))
    if isinstance(content, bytes) and content.strip():
        return content.decode(errors="replace")[:200]
    return httpx.codes.get_reason_phrase(response.status_code)


def _reset_in(headers: Mapping[str, str]) -> float | None:
    return seconds_until_reset(headers, "ratelimit-reset")


def _posted(handle: str, uri: str) -> Posted:
    rkey = uri.rsplit("/", 1)[-1]
    return Posted(remote_id=uri, remote_url=f"https://bsky.app/profile/{handle}/post/{rkey}")
