"""A fake X API v2 on 127.0.0.1 that tweepy and our media upload talk to over real HTTP.

It answers the shapes tweepy parses (ids as strings, `data`/`errors`/`detail`), wraps links in
t.co like X, sends x-rate-limit-* headers, rejects duplicate and too-long text, and can be told
to fail the next requests. With the OAuth secrets it also checks each request's signature
against the URL it actually received, which proves the client signed the host it called.
"""
from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1.rfc5849 import signature as oauth_signature

DUPLICATE = "You are not allowed to create a Tweet with duplicate content."
TOO_LONG = ("Your Tweet text is too long. For more information on how Twitter determines text length "
            "see https://github.com/twitter/twitter-text.")
URL = re.compile(r"https?://[^\s]+", re.ASCII)
RATE_LIMIT = 300
_SHORT_IDS = itertools.count(1)


@dataclass
class Failure:
    status: int
    body: dict | None
    headers: dict[str, str]
    path: str  # only requests whose path starts with this fail ("" = any)


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


class XServer:
    """`with XServer() as x:` then point PUBLISHER_X_BASE_URL at `x.url`."""

    def __init__(self, *, consumer_secret: str | None = None, token_secret: str | None = None,
                 user_id: str = "1512345678901234567", username: str = "kanra_town"):
        self.secrets = (consumer_secret, token_secret)
        self.user = {"id": user_id, "name": "甘楽町", "username": username}
        self.tweets: list[Tweet] = []
        self.media: dict[str, Media] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request received
        self.failures: list[Failure] = []
        self.calls = 0
        self._ids = itertools.count(1_800_000_000_000_000_000)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}"

    def __enter__(self) -> XServer:
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def fail_next(self, status: int, times: int = 1, body: dict | None = None,
                  headers: dict[str, str] | None = None, path: str = "") -> None:
        """Answer the next `times` requests (to `path`, when given) with this status instead."""
        with self._lock:
            self.failures += [Failure(status, body, dict(headers or {}), path) for _ in range(times)]

    def seed(self, text: str) -> Tweet:
        """A post made earlier, e.g. by hand on x.com."""
        return self._store(text, [])

    # --- endpoints: each returns (status, body) ---

    def create_tweet(self, body: dict) -> tuple[int, dict]:
        text = body.get("text", "")
        media_ids = [str(i) for i in body.get("media", {}).get("media_ids", [])]
        if any(t.text == text for t in self.tweets):
            return 403, _problem(403, "Forbidden", DUPLICATE)
        if not _fits(text):
            return 400, {"errors": [{"parameters": {"text": [text]}, "message": TOO_LONG}],
                         "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                         "type": "https://api.twitter.com/2/problems/invalid-request"}
        unknown = [i for i in media_ids if i not in self.media]
        if unknown:
            return 400, {"errors": [{"message": f"Your media IDs are invalid: {unknown}"}],
                         "title": "Invalid Request", "type": "https://api.twitter.com/2/problems/invalid-request"}
        tweet = self._store(text, [self.media[i] for i in media_ids])
        return 201, {"data": {"id": tweet.id, "text": tweet.shown, "edit_history_tweet_ids": [tweet.id]}}

    def upload(self, form: dict[str, tuple[str | None, str, bytes]]) -> tuple[int, dict]:
        if "media" not in form or "media_category" not in form:
            return 400, _problem(400, "Invalid Request", "media and media_category are required")
        filename, mime, data = form["media"]
        category = form["media_category"][2].decode()
        mime = form.get("media_type", (None, "", mime.encode()))[2].decode() or mime
        media = Media(str(next(self._ids)), category, mime, filename or "", data)
        self.media[media.id] = media
        return 200, {"data": {"id": media.id, "media_key": f"3_{media.id}", "size": len(data),
                              "expires_after_secs": 86400, "image": {"image_type": mime}}}

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
        tweets = [_as_json(t, with_entities) for t in reversed(self.tweets)][:limit]
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

    def _scripted(self, path: str) -> Failure | None:
        with self._lock:
            for failure in self.failures:
                if path.startswith(failure.path):
                    self.failures.remove(failure)
                    return failure
        return None

    def _authorized(self, method: str, url: str, headers, body: bytes) -> bool:
        header = headers.get("Authorization", "")
        if not (header.startswith("OAuth ") and "oauth_consumer_key" in header):
            return False
        if None in self.secrets:
            return True
        form = headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
        request = OAuthRequest(url, method, body if form else None, {"Authorization": header})
        request.params = oauth_signature.collect_parameters(
            uri_query=urlsplit(url).query, body=request.body, headers=request.headers)
        oauth = oauth_signature.collect_parameters(headers=request.headers, exclude_oauth_signature=False)
        request.signature = dict(oauth).get("oauth_signature", "")
        return oauth_signature.verify_hmac_sha1(request, *self.secrets)

    def rate_headers(self) -> dict[str, str]:
        reset = int(time.time()) // 900 * 900 + 900
        return {"x-rate-limit-limit": str(RATE_LIMIT),
                "x-rate-limit-remaining": str(max(0, RATE_LIMIT - self.calls)),
                "x-rate-limit-reset": str(reset)}


def _handler(server: XServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _serve(self, method: str) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path, _, query = self.path.partition("?")
            with server._lock:
                server.requests.append((method, path))
                server.calls += 1
            failure = server._scripted(path)
            if failure:
                return self._failure(failure)
            if not server._authorized(method, server.url + self.path, self.headers, body):
                return self._send(401, _problem(401, "Unauthorized", "Unauthorized"))
            with server._lock:
                status, answer = self._route(method, path, parse_qs(query), body)
            self._send(status, answer)

        def _route(self, method: str, path: str, query: dict, body: bytes) -> tuple[int, dict]:
            if (method, path) == ("POST", "/2/tweets"):
                return server.create_tweet(json.loads(body))
            if (method, path) == ("POST", "/2/media/upload"):
                return server.upload(_multipart(self.headers.get("Content-Type", ""), body))
            if (method, path) == ("POST", "/2/media/metadata"):
                return server.metadata(json.loads(body))
            if (method, path) == ("GET", "/2/users/me"):
                return 200, {"data": server.user}
            match = re.fullmatch(r"/2/users/(\d+)/tweets", path)
            if method == "GET" and match:
                return server.timeline(match[1], query)
            return 404, _problem(404, "Not Found", f"No route for {method} {path}")

        def _failure(self, failure: Failure) -> None:
            headers = server.rate_headers()
            if failure.status == 429:
                headers |= {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(time.time()) + 1)}
            phrase = HTTPStatus(failure.status).phrase
            body = failure.body or _problem(failure.status, phrase, phrase)
            self._send(failure.status, body, headers | failure.headers)

        def _send(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or server.rate_headers()).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _problem(status: int, title: str, detail: str) -> dict:
    """X API v2 errors are RFC 7807 problem documents."""
    return {"title": title, "detail": detail, "type": "about:blank", "status": status}


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, str, bytes]]:
    """name -> (filename, content type, bytes) of a multipart/form-data body."""
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    return {
        part.get_param("name", header="content-disposition"): (
            part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
        for part in message.iter_parts()
    }


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
        shown += text[offset:match.start()]
        urls.append({"start": len(shown), "end": len(shown) + len(short), "url": short,
                     "expanded_url": match[0], "display_url": match[0].split("://", 1)[1][:25]})
        shown += short
        offset = match.end()
    return shown + text[offset:], urls


def _as_json(tweet: Tweet, with_entities: bool) -> dict:
    data = {"id": tweet.id, "text": tweet.shown, "edit_history_tweet_ids": [tweet.id]}
    if with_entities and tweet.urls:
        data["entities"] = {"urls": tweet.urls}
    return data
