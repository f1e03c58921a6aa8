"""A Mastodon instance on 127.0.0.1 that answers Mastodon.py like a real 4.x server, closely enough to test with.

What it does like the real thing: Bearer token check (401), `POST /api/v2/media` (multipart; optionally 202 while
"processing", then `GET /api/v1/media/:id` answers 206 until ready), `POST /api/v1/statuses` with the
Idempotency-Key (the same key returns the SAME status, as Mastodon does for one hour), the 500-character limit
counted like Mastodon's StatusLengthValidator (graphemes, every URL counts 23) with its 422 text,
`GET /api/v1/accounts/verify_credentials` and `GET /api/v1/accounts/:id/statuses` (newest first, `limit` up to 40,
`exclude_reblogs`; `content` is HTML with links rendered as Mastodon's TextFormatter does, the URL in `href` and its
text split across spans), and `X-RateLimit-Limit/Remaining/Reset` headers (Reset in ISO 8601).
Scripted failures via `fail_next`; statuses made elsewhere (a link card, a boost) via `add_status`.
"""

from __future__ import annotations

import html
import itertools
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import regex

from .jsonhttp import JsonFake, Reply, multipart

MAX_CHARACTERS = 500
URL_WEIGHT = 23
MAX_DESCRIPTION = 1500
RATE_LIMIT = 300
URL = regex.compile(r"https?://\S+")  # simpler than Mastodon's URL regex; enough for the town's permalinks
TRAILING = ".,:;!?)]}'\"、。，．！？）」』"  # after a URL: left outside the link by Mastodon's linkifier
HASHTAG = regex.compile(r"(?<![\p{L}\p{N}_/])#([\p{L}\p{N}_]+)")
DEFAULT_STATUSES, MAX_STATUSES = 20, 40  # Mastodon's page size for account statuses, and its cap
ACCOUNT_ID = "109876543210987654"
FAILURE_TEXT = {
    429: "Too many requests",
    500: "We're sorry, but something went wrong on our end.",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(frozen=True)
class Failure:
    status: int
    body: dict
    headers: dict
    delay: float  # seconds before answering (longer than the client's timeout → a timeout)
    after_processing: bool  # do the work first, then answer the failure: a response lost after the commit
    path: str | None  # only requests to this path; None: the next request whatever it is


class FakeMastodon(JsonFake):
    content_type = "application/json; charset=utf-8"

    """Use as `with FakeMastodon(token) as server:`; point the client at `server.base_url`."""

    def __init__(
        self, token: str = "fake-mastodon-token", *, account: str = "town", processing_polls: int = 0
    ):
        super().__init__()
        self.token = token
        self.account = account
        self.account_id = ACCOUNT_ID
        self.processing_polls = (
            processing_polls  # > 0: uploads answer 202 and stay unprocessed for this many GETs
        )
        self.statuses: list[dict] = []  # every status created, in order (what the tests inspect)
        self.media: dict[str, dict] = {}  # every upload by id: description, file_name, content_type, data
        self._by_key: dict[str, dict] = {}  # Idempotency-Key → status JSON
        self._json: dict[str, dict] = {}  # status id → status JSON
        self._failures: list[Failure] = []
        self._remaining = RATE_LIMIT
        self._timeline: list[dict] = []  # status JSON of the account, oldest first (boosts included)
        self._ids = itertools.count(113_000_000_000_000_001)  # snowflake-like, as strings in JSON

    def fail_next(
        self,
        status: int,
        times: int = 1,
        body: dict | None = None,
        headers: dict | None = None,
        *,
        delay: float = 0.0,
        after_processing: bool = False,
        path: str | None = None,
    ) -> None:
        """Answer the next `times` requests (to `path`, if given) with this status instead."""
        body = body if body is not None else {"error": FAILURE_TEXT.get(status, "Error")}
        failure = Failure(status, body, dict(headers or {}), delay, after_processing, path)
        with self._lock:
            self._failures.extend([failure] * times)

    def forget_idempotency_keys(self) -> None:
        """What the real server does one hour after a post: the key expires and a retry makes a second status."""
        with self._lock:
            self._by_key.clear()

    def add_status(self, text: str, *, card_url: str | None = None, reblog_of: str | None = None) -> dict:
        """A status of the account not made through the API under test: with a link preview card for
        `card_url`, or (`reblog_of` given) a boost of another account's status with that text."""
        with self._lock:
            if reblog_of is None:
                status = self._create(text, {"visibility": "public", "language": "ja"}, [])
                if card_url:
                    status["card"] = _card(card_url)
                return status
            original = self._status_json(str(next(self._ids)), reblog_of, {}, [], account=_other_account())
            boost = {**self._status_json(str(next(self._ids)), "", {}, []), "reblog": original}
            self._timeline.append(boost)
            return boost

    # --- request handling -----------------------------------------------------------------------------------

    def answer(self, method: str, path: str, headers, body: bytes, query: str = "") -> Reply:
        with self._lock:
            failure = self._take_failure(path)
        if failure and not failure.after_processing:
            time.sleep(failure.delay)
            return self._with_rate_limit(Reply(failure.status, failure.body, failure.headers))
        with self._lock:
            reply = self._route(method, path, headers, body, parse_qs(query))
        if failure:
            time.sleep(failure.delay)
            reply = Reply(failure.status, failure.body, failure.headers)
        return self._with_rate_limit(reply)

    def _take_failure(self, path: str) -> Failure | None:
        for i, failure in enumerate(self._failures):
            if failure.path in (None, path):
                return self._failures.pop(i)
        return None

    def _with_rate_limit(self, reply: Reply) -> Reply:
        with self._lock:
            self._remaining = max(0, self._remaining - 1)
            remaining = 0 if reply.status == 429 else self._remaining
        window = 120 if reply.status == 429 else 300
        reset = datetime.now(UTC) + timedelta(seconds=window)
        reply.headers = {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": reset.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            **reply.headers,
        }
        return reply

    def _route(self, method: str, path: str, headers, body: bytes, query: dict[str, list[str]]) -> Reply:
        path = path.rstrip("/")  # Mastodon.py asks for /api/v1/instance/ with a slash
        if method == "GET" and path in ("/api/v1/instance", "/api/v2/instance"):
            return Reply(200, self._instance(path))
        if headers.get("Authorization") != f"Bearer {self.token}":
            return Reply(401, {"error": "The access token is invalid"})
        if method == "POST" and path == "/api/v2/media":
            return self._upload(headers.get("Content-Type", ""), body)
        if method == "GET" and path.startswith("/api/v1/media/"):
            return self._media_status(path.rsplit("/", 1)[1])
        if method == "POST" and path == "/api/v1/statuses":
            return self._post_status(headers, body)
        if method == "GET" and path.startswith("/api/v1/statuses/"):
            status = self._json.get(path.rsplit("/", 1)[1])
            return Reply(200, status) if status else Reply(404, {"error": "Record not found"})
        if method == "GET" and path == "/api/v1/accounts/verify_credentials":
            return Reply(200, self._credential_account())
        if method == "GET" and path.startswith("/api/v1/accounts/") and path.endswith("/statuses"):
            return self._account_statuses(path.split("/")[4], query)
        return Reply(404, {"error": "Record not found"})

    def _account_json(self) -> dict:
        return {
            "id": self.account_id,
            "username": self.account,
            "acct": self.account,
            "display_name": "甘楽町",
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": "2024-04-01T00:00:00.000Z",
            "note": "<p>甘楽町の公式アカウントです。</p>",
            "url": f"{self.base_url}/@{self.account}",
            "uri": f"{self.base_url}/users/{self.account}",
            "avatar": f"{self.base_url}/avatars/original/missing.png",
            "header": f"{self.base_url}/headers/original/missing.png",
            "followers_count": 321,
            "following_count": 12,
            "statuses_count": sum(1 for s in self._timeline if not s["reblog"]),
            "last_status_at": self._timeline[-1]["created_at"][:10] if self._timeline else None,
            "emojis": [],
            "fields": [],
        }

    def _credential_account(self) -> dict:
        source = {
            "privacy": "public",
            "sensitive": False,
            "language": "ja",
            "note": "甘楽町の公式アカウントです。",
            "fields": [],
            "follow_requests_count": 0,
        }
        return {
            **self._account_json(),
            "source": source,
            "role": {"id": "-99", "name": "", "permissions": "0", "color": "", "highlighted": False},
        }

    def _account_statuses(self, account_id: str, query: dict[str, list[str]]) -> Reply:
        if account_id != self.account_id:
            return Reply(404, {"error": "Record not found"})
        try:
            limit = int(query.get("limit", [DEFAULT_STATUSES])[-1])
        except ValueError:
            return Reply(400, {"error": "limit is invalid"})
        limit = min(max(limit, 1), MAX_STATUSES)
        exclude_reblogs = query.get("exclude_reblogs", ["false"])[-1].lower() in ("1", "true")
        statuses = [s for s in reversed(self._timeline) if not (exclude_reblogs and s["reblog"])]
        return Reply(200, statuses[:limit])

    def _instance(self, path: str) -> dict:
        info = {
            "version": "4.3.0",
            "title": "Fake town instance",
            "configuration": {"statuses": {"max_characters": MAX_CHARACTERS, "max_media_attachments": 4}},
        }
        if path.startswith("/api/v2"):
            return {**info, "domain": "127.0.0.1", "api_versions": {"mastodon": 2}}
        return {**info, "uri": "127.0.0.1"}

    def _upload(self, content_type: str, body: bytes) -> Reply:
        parts = multipart(content_type, body)
        if "file" not in parts:
            return Reply(422, {"error": "Validation failed: File can't be blank"})
        description = parts.get("description", (None, None, b""))[2].decode("utf-8")
        if len(_graphemes(description)) > MAX_DESCRIPTION:
            too_long = f"Description is too long (maximum is {MAX_DESCRIPTION} characters)"
            return Reply(422, {"error": f"Validation failed: {too_long}"})
        media_id = str(next(self._ids))
        file_name, file_type, data = parts["file"]
        self.media[media_id] = {
            "id": media_id,
            "description": description or None,
            "file_name": file_name,
            "content_type": file_type,
            "data": data,
            "polls_left": self.processing_polls,
            "status_id": None,
        }
        return Reply(202 if self.processing_polls else 200, self._media_json(media_id))

    def _media_status(self, media_id: str) -> Reply:
        media = self.media.get(media_id)
        if media is None:
            return Reply(404, {"error": "Record not found"})
        if media["polls_left"]:
            media["polls_left"] -= 1
            return Reply(206, self._media_json(media_id))
        return Reply(200, self._media_json(media_id))

    def _media_json(self, media_id: str) -> dict:
        media = self.media[media_id]
        ready = not media["polls_left"]
        url = f"{self.base_url}/system/media_attachments/{media_id}/original.png"
        return {
            "id": media_id,
            "type": "image",
            "url": url if ready else None,
            "preview_url": url.replace("original", "small"),
            "remote_url": None,
            "text_url": None,
            "meta": {"original": {"width": 1200, "height": 630}},
            "description": media["description"],
            "blurhash": None,
        }

    def _post_status(self, headers, body: bytes) -> Reply:
        key = headers.get("Idempotency-Key")
        if key and key in self._by_key:
            return Reply(200, self._by_key[key])  # the same status, not a second one
        form = _form(headers.get("Content-Type", ""), body)
        text, media_ids = form.get("status", ""), form.get("media_ids", [])
        error = _status_error(text, media_ids, self.media)
        if error:
            return Reply(422, {"error": error})
        status = self._create(text, form, media_ids)
        if key:
            self._by_key[key] = status
        return Reply(200, status)

    def _create(self, text: str, form: dict, media_ids: list[str]) -> dict:
        status_id = str(next(self._ids))
        for media_id in media_ids:
            self.media[media_id]["status_id"] = status_id
        status = self._status_json(status_id, text, form, media_ids)
        self._timeline.append(status)
        self.statuses.append(
            {
                "id": status_id,
                "text": text,
                "language": status["language"],
                "visibility": status["visibility"],
                "media_ids": list(media_ids),
                "url": status["url"],
            }
        )
        self._json[status_id] = status
        return status

    def _status_json(
        self, status_id: str, text: str, form: dict, media_ids: list[str], *, account: dict | None = None
    ) -> dict:
        account = account or self._account_json()
        created = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {
            "id": status_id,
            "created_at": created,
            "edited_at": None,
            "url": f"{account['url']}/{status_id}",
            "uri": f"{account['uri']}/statuses/{status_id}",
            "content": render(text, self.base_url),
            "text": None,
            "visibility": form.get("visibility", "public"),
            "language": form.get("language"),
            "sensitive": form.get("sensitive") in ("1", "true", True),
            "spoiler_text": form.get("spoiler_text", ""),
            "media_attachments": [self._media_json(m) for m in media_ids],
            "application": {"name": "publisher", "website": None},
            "account": account,
            "mentions": [],
            "tags": [{"name": tag, "url": f"{self.base_url}/tags/{tag}"} for tag in HASHTAG.findall(text)],
            "emojis": [],
            "reblogs_count": 0,
            "favourites_count": 0,
            "replies_count": 0,
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "reblog": None,
            "poll": None,
            "card": None,
            "filtered": [],
            "favourited": False,
            "reblogged": False,
            "muted": False,
            "bookmarked": False,
            "pinned": False,
        }


def _other_account() -> dict:
    url = "https://other.example/@kanko"
    return {
        "id": "108000000000000001",
        "username": "kanko",
        "acct": "kanko@other.example",
        "display_name": "観光協会",
        "locked": False,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": "2023-01-01T00:00:00.000Z",
        "note": "",
        "url": url,
        "uri": "https://other.example/users/kanko",
        "avatar": "https://other.example/avatars/original/missing.png",
        "header": "https://other.example/headers/original/missing.png",
        "followers_count": 10,
        "following_count": 10,
        "statuses_count": 10,
        "last_status_at": None,
        "emojis": [],
        "fields": [],
    }


def _card(url: str) -> dict:
    return {
        "url": url,
        "title": "ふるさと祭り",
        "description": "12月5日に開催します。",
        "type": "link",
        "author_name": "",
        "author_url": "",
        "provider_name": "甘楽町",
        "provider_url": "",
        "html": "",
        "width": 400,
        "height": 210,
        "image": None,
        "embed_url": "",
        "blurhash": None,
    }


def render(text: str, base_url: str) -> str:
    """Plain status text as Mastodon's TextFormatter renders it: <p> per paragraph, <br /> per line break,
    each URL as <a href="URL"> with the scheme and the part after 30 characters in "invisible" spans,
    each hashtag as a link to its tag page."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        f"<p>{'<br />'.join(_render_line(line, base_url) for line in p.split(chr(10)))}</p>"
        for p in paragraphs
    )


def _render_line(line: str, base_url: str) -> str:
    out, end = [], 0
    for match in regex.finditer(r"https?://\S+|" + HASHTAG.pattern, line):
        found = match.group(0)
        if found.startswith("#"):
            out += [html.escape(line[end : match.start()]), _hashtag(match.group(1), base_url)]
            end = match.end()
            continue
        url = found.rstrip(TRAILING)
        out += [html.escape(line[end : match.start()]), _link(url)]
        end = match.start() + len(url)
    return "".join(out) + html.escape(line[end:])


def _link(url: str) -> str:
    prefix = regex.match(r"https?://(www\.)?", url).group(0)
    rest = url[len(prefix) :]
    ellipsis = "ellipsis" if len(rest) > 30 else ""
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
        f'<span class="invisible">{html.escape(prefix)}</span><span class="{ellipsis}">{html.escape(rest[:30])}'
        f'</span><span class="invisible">{html.escape(rest[30:])}</span></a>'
    )


def _hashtag(tag: str, base_url: str) -> str:
    return (
        f'<a href="{base_url}/tags/{html.escape(tag)}" class="mention hashtag" rel="tag">'
        f"#<span>{html.escape(tag)}</span></a>"
    )


def _status_error(text: str, media_ids: list[str], media: dict) -> str | None:
    if not text.strip() and not media_ids:
        return "Validation failed: Text can't be blank"
    if status_length(text) > MAX_CHARACTERS:
        return f"Validation failed: Text character limit of {MAX_CHARACTERS} exceeded"
    if len(media_ids) > 4:
        return "Cannot attach more than 4 files"
    for media_id in media_ids:
        if media_id not in media or media[media_id]["status_id"]:
            return f"Validation failed: Media attachment {media_id} not found"
        if media[media_id]["polls_left"]:
            return "Cannot attach files that have not finished processing. Try again in a moment!"
    return None


def status_length(text: str) -> int:
    """Mastodon's count: grapheme clusters, each http(s) URL as 23 whatever its length."""
    return len(_graphemes(URL.sub("x" * URL_WEIGHT, text)))


def _graphemes(text: str) -> list[str]:
    return regex.findall(r"\X", text)


def _form(content_type: str, body: bytes) -> dict:
    """Form fields (`media_ids[]` → `media_ids` list) or a JSON body, as Mastodon.py sends either."""
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    form = {name: values[-1] for name, values in fields.items() if not name.endswith("[]")}
    form.update({name[:-2]: values for name, values in fields.items() if name.endswith("[]")})
    return form
