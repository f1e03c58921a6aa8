"""A fake Bluesky PDS on 127.0.0.1 that the atproto client talks to over real HTTP (XRPC).

It serves what the client calls to log in (createSession, then getSession or getProfile),
refreshSession, uploadBlob, createRecord and getAuthorFeed, with JWT-shaped tokens whose `exp`
the client reads, real-looking CIDs and TIDs, ratelimit-* headers, and scripted failures.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import parse_qs

from .jsonhttp import RateLimitedFake

MAX_GRAPHEMES = 300  # Python has no grapheme segmentation; code points are close enough here
MAX_THUMB_BYTES = 1_000_000  # app.bsky.embed.external: a link card's thumb
RATE_LIMIT = 3000
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


@dataclass
class Created:
    """One record created through createRecord, as the client sent it."""

    uri: str
    cid: str
    record: dict
    author: dict
    repost_by: dict | None = None

    @property
    def text(self) -> str:
        return self.record["text"]

    @property
    def facets(self) -> list[dict]:
        return self.record.get("facets") or []

    @property
    def langs(self) -> list[str]:
        return self.record.get("langs") or []

    @property
    def embed(self) -> dict | None:
        return self.record.get("embed")


class BlueskyServer(RateLimitedFake):
    """`with BlueskyServer() as pds:` then point PUBLISHER_BLUESKY_BASE_URL at `pds.base_url`.

    Paths are XRPC methods, e.g. "com.atproto.repo.createRecord": in `requests` and in `fail_next(path=…)`."""

    path_prefix = "/xrpc/"

    def __init__(
        self,
        *,
        handle: str = "kanra-town.bsky.social",
        password: str = "app-pass-word-fake",
        did: str = "did:plc:kanratownfake0000000000",
        token_ttl: float = 7200,
        appview: bool = True,
    ):
        super().__init__()
        self.appview = appview  # False: a PDS alone, whose app.bsky.* reads answer 400 as a bare PDS does
        self.handle, self.password, self.did = handle, password, did
        self.token_ttl = token_ttl  # seconds; the client refreshes 15 minutes before expiry
        self.posts: list[Created] = []  # created by the account, oldest first
        self.blobs: dict[str, tuple[str, bytes]] = {}  # cid -> (mime type, bytes)
        self._tokens: dict[str, str] = {}  # token -> "access" | "refresh"
        self._expiry: dict[str, float] = {}
        self._clock = itertools.count(int(time.time() * 1_000_000))

    @property
    def profile(self) -> dict:
        return {"did": self.did, "handle": self.handle, "displayName": "甘楽町"}

    def seed(self, text: str, *, embed_uri: str = "", repost_of: dict | None = None) -> Created:
        """A post made earlier, e.g. in the Bluesky app; `repost_of` (a profile) makes it another
        account's post that this account reposted."""
        record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": _now(), "langs": ["ja"]}
        if embed_uri:
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": embed_uri, "title": "", "description": ""},
            }
        author = repost_of or self.profile
        created = self._store(author["did"], record, author)
        created.repost_by = self.profile if repost_of else None
        return created

    # --- endpoints: each returns (status, body) ---

    def route(self, method: str, nsid: str, headers, body: bytes, query: str) -> tuple[int, dict]:
        if (method, nsid) == ("POST", "com.atproto.server.createSession"):
            return self.create_session(json.loads(body))
        kind = "refresh" if nsid == "com.atproto.server.refreshSession" else "access"
        denied = self._bearer(headers, kind)
        if denied:
            return denied
        if (method, nsid) == ("POST", "com.atproto.server.refreshSession"):
            return 200, self._session()
        if (method, nsid) == ("GET", "com.atproto.server.getSession"):
            return 200, {"did": self.did, "handle": self.handle, "active": True}
        if (method, nsid) == ("GET", "app.bsky.actor.getProfile"):
            return 200, self.profile | {"followersCount": 0, "followsCount": 0, "postsCount": len(self.posts)}
        if (method, nsid) == ("POST", "com.atproto.repo.uploadBlob"):
            return self.upload_blob(body, headers.get("Content-Type", ""))
        if (method, nsid) == ("POST", "com.atproto.repo.createRecord"):
            return self.create_record(json.loads(body))
        if (method, nsid) == ("GET", "app.bsky.feed.getAuthorFeed"):
            if not self.appview:
                return 400, {"error": "InvalidRequest", "message": "Unsupported collection / no AppView"}
            return self.author_feed(parse_qs(query))
        if (method, nsid) == ("GET", "com.atproto.repo.listRecords"):
            return self.list_records(parse_qs(query))
        return 501, {"error": "MethodNotImplemented", "message": f"Method Not Implemented: {nsid}"}

    def create_session(self, body: dict) -> tuple[int, dict]:
        if body.get("identifier") not in (self.handle, self.did) or body.get("password") != self.password:
            return 401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
        return 200, self._session() | {"active": True}

    def create_record(self, body: dict) -> tuple[int, dict]:
        record = body.get("record", {})
        if body.get("repo") not in (self.did, self.handle) or body.get("collection") != "app.bsky.feed.post":
            return 400, {"error": "InvalidRequest", "message": "Unexpected repo or collection"}
        if len(record.get("text", "")) > MAX_GRAPHEMES:
            return 400, {
                "error": "InvalidRequest",
                "message": f"Invalid app.bsky.feed.post record: Record/text must not be longer than "
                f"{MAX_GRAPHEMES} graphemes",
            }
        thumb = ((record.get("embed") or {}).get("external") or {}).get("thumb")
        if thumb and thumb["ref"]["$link"] not in self.blobs:
            return 400, {
                "error": "InvalidRequest",
                "message": "Could not find blob: " + thumb["ref"]["$link"],
            }
        size = len(self.blobs[thumb["ref"]["$link"]][1]) if thumb else 0
        if size > MAX_THUMB_BYTES:  # the lexicon's maxSize
            return 400, {
                "error": "BlobTooLarge",
                "message": f"This file is too large. It is {size:,} bytes but the maximum size is {MAX_THUMB_BYTES:,} bytes.",
            }
        created = self._store(self.did, record, self.profile)
        return 200, {
            "uri": created.uri,
            "cid": created.cid,
            "validationStatus": "valid",
            "commit": {"cid": _cid(created.cid.encode(), 0x71), "rev": created.uri.rsplit("/", 1)[-1]},
        }

    def upload_blob(self, data: bytes, content_type: str) -> tuple[int, dict]:
        mime = _sniff(data) or content_type
        cid = _cid(data, 0x55)
        self.blobs[cid] = (mime, data)
        return 200, {"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": len(data)}}

    def author_feed(self, query: dict[str, list[str]]) -> tuple[int, dict]:
        actor = query.get("actor", [""])[0]
        if actor not in (self.did, self.handle):
            return 400, {"error": "InvalidRequest", "message": "Profile not found"}
        limit = int(query.get("limit", ["50"])[0])
        return 200, {"feed": [_feed_item(p) for p in reversed(self.posts)][:limit]}

    def list_records(self, query: dict[str, list[str]]) -> tuple[int, dict]:
        """The repository's own records, newest first (reverse=false lists by rkey descending)."""
        repo, collection = query.get("repo", [""])[0], query.get("collection", [""])[0]
        if repo not in (self.did, self.handle):
            return 400, {"error": "InvalidRequest", "message": "Could not find repo"}
        limit = int(query.get("limit", ["50"])[0])
        own = [p for p in reversed(self.posts) if p.uri.startswith(f"at://{self.did}/{collection}/")]
        return 200, {"records": [{"uri": p.uri, "cid": p.cid, "value": p.record} for p in own[:limit]]}

    # --- plumbing ---

    def _store(self, repo: str, record: dict, author: dict) -> Created:
        rkey = _tid(next(self._clock))
        cid = _cid(json.dumps(record, sort_keys=True).encode() + rkey.encode(), 0x71)
        created = Created(f"at://{repo}/app.bsky.feed.post/{rkey}", cid, record, author)
        self.posts.append(created)
        return created

    def _session(self) -> dict:
        """Tokens, and the DID document whose PDS endpoint the client switches to (here: us)."""
        tokens = {"accessJwt": self._token("access"), "refreshJwt": self._token("refresh")}
        pds = {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": self.base_url}
        did_doc = {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": self.did,
            "alsoKnownAs": [f"at://{self.handle}"],
            "verificationMethod": [],
            "service": [pds],
        }
        return tokens | {"did": self.did, "handle": self.handle, "didDoc": did_doc}

    def _token(self, kind: str) -> str:
        now = time.time()
        payload = {
            "scope": "com.atproto.appPass" if kind == "access" else "com.atproto.refresh",
            "sub": self.did,
            "iat": int(now),
            "exp": int(now + self.token_ttl),
            "jti": str(next(self._clock)),
            "aud": "did:web:fake.pds",
        }
        token = f"{_b64({'typ': 'at+jwt', 'alg': 'ES256K'})}.{_b64(payload)}.fake-signature"
        self._tokens[token], self._expiry[token] = kind, now + self.token_ttl
        return token

    def _bearer(self, headers, kind: str) -> tuple[int, dict] | None:
        """None when the request carries a valid token of this kind, else the error to answer."""
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        if self._tokens.get(token) != kind:
            return 401, {
                "error": "AuthMissing" if not token else "InvalidToken",
                "message": "Authentication Required",
            }
        if self._expiry[token] < time.time():
            return 400, {"error": "ExpiredToken", "message": "Token has expired"}
        return None

    def rate_headers(self, limited: bool = False) -> dict[str, str]:
        now = int(time.time())
        return {
            "ratelimit-limit": str(RATE_LIMIT),
            "ratelimit-remaining": "0" if limited else str(max(0, RATE_LIMIT - len(self.requests))),
            "ratelimit-reset": str(now + 1 if limited else now // 300 * 300 + 300),
            "ratelimit-policy": f"{RATE_LIMIT};w=300",
        }

    def error_body(self, status: int) -> dict:
        phrase = HTTPStatus(status).phrase
        return {"error": phrase.replace(" ", ""), "message": phrase}


def _feed_item(created: Created) -> dict:
    post = {
        "uri": created.uri,
        "cid": created.cid,
        "author": created.author,
        "record": created.record,
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "quoteCount": 0,
        "indexedAt": created.record.get("createdAt", _now()),
        "labels": [],
    }
    item = {"post": post}
    if created.repost_by:
        item["reason"] = {
            "$type": "app.bsky.feed.defs#reasonRepost",
            "by": created.repost_by,
            "indexedAt": _now(),
        }
    return item


def _cid(data: bytes, codec: int) -> str:
    """CIDv1, sha2-256, base32 multibase: 0x71 dag-cbor for records, 0x55 raw for blobs."""
    raw = bytes([0x01, codec, 0x12, 0x20]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


def _tid(microseconds: int) -> str:
    """A record key: 53 bits of microseconds and 10 bits of clock id, base32-sortable."""
    value, chars = microseconds << 10, []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _sniff(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return ""


def _b64(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
