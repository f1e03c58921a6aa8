"""A fake X API v2 on 127.0.0.1 that tweepy and our media upload talk to over real HTTP.

It answers the shapes tweepy parses (ids as strings, `data`/`errors`/`detail`), wraps links in
t.co like X, sends x-rate-limit-* headers, rejects duplicate and too-long text, and can be told
to fail the next requests. With the OAuth secrets it also checks each request's signature
against the URL it actually received, which proves the client signed the host it called.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1.rfc5849 import signature as oauth_signature

from .jsonhttp import RateLimitedFake, multipart

DUPLICATE = "You are not allowed to create a Tweet with duplicate content."
TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines text length "
    "see https://github.com/twitter/twitter-text."
)
URL = re.compile(r"https?://[^\s]+", re.ASCII)
RATE_LIMIT = 300
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # images (GIF and video may be larger; we upload neither)
_SHORT_IDS = itertools.count(1)


@dataclass
class Media:
    id: str
    category: str
    mime: str
    filename: str
    data: bytes
    alt: str = ""


@dataclass
class Tweet:
    id: str
    text: str  # what the client sent
    media: list[Media]
    shown: str = ""  # the text as X returns it, links wrapped in t.co
    urls: list[dict] = field(default_factory=list)  # entities.urls


class XServer(RateLimitedFake):
    """`with XServer() as x:` then point PUBLISHER_X_BASE_URL at `x.base_url`."""

    def __init__(
        self,
        *,
        consumer_secret: str | None = None,
        token_secret: str | None = None,
        user_id: str = "1512345678901234567",
        username: str = "kanra_town",
    ):
        super().__init__()
        self.secrets = (consumer_secret, token_secret)
        self.user = {"id": user_id, "name": "甘楽町", "username": username}
        self.tweets: list[Tweet] = []
        self.media: dict[str, Media] = {}
        self._ids = itertools.count(1_800_000_000_000_000_000)
        self.lose_next_answer = False  # the next tweet is created but its answer is a 503 (a timeout)
        self.timeline_lag = 0  # timeline requests that do not show the newest tweet yet (X's lag)

    def echo_body(self, status: int, said: str) -> dict:
        return _problem(status, "Invalid Request", said)

    def seed(self, text: str) -> Tweet:
        """A post made earlier, e.g. by hand on x.com."""
        return self._store(text, [])

    # --- endpoints: each returns (status, body) ---

    def route(self, method: str, path: str, headers, body: bytes, query: str) -> tuple[int, dict]:
        url = f"{self.base_url}{path}?{query}" if query else self.base_url + path
        if not self._authorized(method, url, headers, body):
            return 401, _problem(401, "Unauthorized", "Unauthorized")
        if (method, path) == ("POST", "/2/tweets"):
            return self.create_tweet(json.loads(body))
        if (method, path) == ("POST", "/2/media/upload"):
            return self.upload(multipart(headers.get("Content-Type", ""), body))
        if (method, path) == ("POST", "/2/media/metadata"):
            return self.metadata(json.loads(body))
        if (method, path) == ("GET", "/2/users/me"):
            return 200, {"data": self.user}
        match = re.fullmatch(r"/2/users/(\d+)/tweets", path)
        if method == "GET" and match:
            return self.timeline(match[1], parse_qs(query))
        return 404, _problem(404, "Not Found", f"No route for {method} {path}")

    def create_tweet(self, body: dict) -> tuple[int, dict]:
        text = body.get("text", "")
        media_ids = [str(i) for i in body.get("media", {}).get("media_ids", [])]
        if any(t.text == text for t in self.tweets):
            return 403, _problem(403, "Forbidden", DUPLICATE)
        if not _fits(text):
            return 400, {
                "errors": [{"parameters": {"text": [text]}, "message": TOO_LONG}],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            }
        unknown = [i for i in media_ids if i not in self.media]
        if unknown:
            return 400, {
                "errors": [{"message": f"Your media IDs are invalid: {unknown}"}],
                "title": "Invalid Request",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            }
        tweet = self._store(text, [self.media[i] for i in media_ids])
        if self.lose_next_answer:
            self.lose_next_answer = False
            return 503, _problem(503, "Service Unavailable", "Service Unavailable")
        return 201, {"data": {"id": tweet.id, "text": tweet.shown, "edit_history_tweet_ids": [tweet.id]}}

    def upload(self, form: dict[str, tuple[str | None, str, bytes]]) -> tuple[int, dict]:
        if "media" not in form or "media_category" not in form:
            return 400, _problem(400, "Invalid Request", "media and media_category are required")
        filename, mime, data = form["media"]
        if len(data) > MAX_IMAGE_BYTES:
            return 400, _problem(400, "Invalid Request", f"File size exceeds {MAX_IMAGE_BYTES} bytes.")
        category = form["media_category"][2].decode()
        mime = form.get("media_type", (None, "", mime.encode()))[2].decode() or mime
        media = Media(str(next(self._ids)), category, mime, filename or "", data)
        self.media[media.id] = media
        return 200, {
            "data": {
                "id": media.id,
                "media_key": f"3_{media.id}",
                "size": len(data),
                "expires_after_secs": 86400,
                "image": {"image_type": mime},
            }
        }

    def metadata(self, body: dict) -> tuple[int, dict]:
        media = self.media.get(str(body.get("id")))
        if media is None:
            return 400, _problem(400, "Invalid Request", "Unknown media id")
        media.alt = body.get("metadata", {}).get("alt_text", {}).get("text", "")
        return 200, {"data": {"id": media.id, "associated_metadata": body["metadata"]}}

    def timeline(self, user_id: str, query: dict[str, list[str]]) -> tuple[int, dict]:
        if user_id != self.user["id"]:
            return 404, _problem(404, "Not Found Error", f"Could not find user with id: [{user_id}].")
        limit = int(query.get("max_results", ["10"])[0])
        with_entities = "entities" in query.get("tweet.fields", [""])[0].split(",")
        shown = self.tweets[:-1] if self.timeline_lag and self.tweets else self.tweets
        self.timeline_lag = max(0, self.timeline_lag - 1)
        tweets = [_as_json(t, with_entities) for t in reversed(shown)][:limit]
        meta = {"result_count": len(tweets)}
        if tweets:
            meta |= {"newest_id": tweets[0]["id"], "oldest_id": tweets[-1]["id"]}
            return 200, {"data": tweets, "meta": meta}
        return 200, {"meta": meta}

    # --- plumbing ---

    def _store(self, text: str, media: list[Media]) -> Tweet:
        tweet = Tweet(str(next(self._ids)), text, media)
        tweet.shown, tweet.urls = _wrap_links(text)
        self.tweets.append(tweet)
        return tweet

    def _authorized(self, method: str, url: str, headers, body: bytes) -> bool:
        header = headers.get("Authorization", "")
        if not (header.startswith("OAuth ") and "oauth_consumer_key" in header):
            return False
        if None in self.secrets:
            return True
        form = headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
        request = OAuthRequest(url, method, body if form else None, {"Authorization": header})
        request.params = oauth_signature.collect_parameters(
            uri_query=urlsplit(url).query, body=request.body, headers=request.headers
        )
        oauth = oauth_signature.collect_parameters(headers=request.headers, exclude_oauth_signature=False)
        request.signature = dict(oauth).get("oauth_signature", "")
        return oauth_signature.verify_hmac_sha1(request, *self.secrets)

    def rate_headers(self, limited: bool = False) -> dict[str, str]:
        now = int(time.time())
        return {
            "x-rate-limit-limit": str(RATE_LIMIT),
            "x-rate-limit-remaining": "0" if limited else str(max(0, RATE_LIMIT - len(self.requests))),
            "x-rate-limit-reset": str(now + 1 if limited else now // 900 * 900 + 900),
        }

    def error_body(self, status: int) -> dict:
        phrase = HTTPStatus(status).phrase
        return _problem(status, phrase, phrase)


def _problem(status: int, title: str, detail: str) -> dict:
    """X API v2 errors are RFC 7807 problem documents."""
    return {"title": title, "detail": detail, "type": "about:blank", "status": status}


def _fits(text: str) -> bool:
    """X's weighted length: 280, kana and kanji count 2, any URL 23."""
    try:
        from twitter_text import parse_tweet
    except ImportError:  # the project's length checker; fall back to a rough count
        return len(URL.sub("x" * 23, text)) <= 280
    return parse_tweet(text).valid


def _wrap_links(text: str) -> tuple[str, list[dict]]:
    """X replaces every link in the text with a t.co one and keeps the original in entities."""
    shown, urls, offset = "", [], 0
    for match in URL.finditer(text):
        short = f"https://t.co/{next(_SHORT_IDS):010d}"
        shown += text[offset : match.start()]
        urls.append(
            {
                "start": len(shown),
                "end": len(shown) + len(short),
                "url": short,
                "expanded_url": match[0],
                "display_url": match[0].split("://", 1)[1][:25],
            }
        )
        shown += short
        offset = match.end()
    return shown + text[offset:], urls


def _as_json(tweet: Tweet, with_entities: bool) -> dict:
    data = {"id": tweet.id, "text": tweet.shown, "edit_history_tweet_ids": [tweet.id]}
    if with_entities and tweet.urls:
        data["entities"] = {"urls": tweet.urls}
    return data
