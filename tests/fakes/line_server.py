"""The LINE Messaging API broadcast endpoint on 127.0.0.1, answering line-bot-sdk like api.line.me.

Like LINE: Bearer token check (401); `X-Line-Retry-Key` must be a UUID (400), the first request with a key is
accepted (200, `x-line-request-id`), the same key again answers 409 with `x-line-accepted-request-id` = the
first request's id; the body is validated against the documented basics (1–5 messages, flex altText ≤ 1,500,
HTTPS image URLs ≤ 2,000, URI actions ≤ 1,000, button labels ≤ 40, bubble ≤ 30 KB) with LINE's error shape
`{"message": …, "details": [{"message", "property"}]}`. Every accepted broadcast is kept in `broadcasts`.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

from .jsonhttp import JsonFake, Reply

BROADCAST = "/v2/bot/message/broadcast"
ALT_TEXT_MAX = 1500
TEXT_MAX = 5000
URL_MAX = 2000
URI_MAX = 1000
LABEL_MAX = 40
BUBBLE_BYTES = 30 * 1024
UNAUTHORIZED = "Authentication failed. Confirm that the access token in the authorization header is valid."
FAILURE_TEXT = {
    400: "The request body has 1 error(s)",
    401: UNAUTHORIZED,
    403: "The channel doesn't have permission to send broadcast messages.",
    429: "The API rate limit has been exceeded. Try again later.",
    500: "Internal server error",
    503: "Service unavailable",
}


@dataclass(frozen=True)
class Failure:
    status: int
    body: dict
    headers: dict
    delay: float  # seconds before answering (longer than the client's timeout → a timeout)
    after_processing: (
        bool  # accept the broadcast first, then answer the failure: a response lost after LINE sent it
    )


class FakeLine(JsonFake):
    content_type = "application/json"

    """Use as `with FakeLine(token) as line:`; point the SDK's Configuration(host=…) at `line.base_url`."""

    def __init__(self, token: str = "fake-line-token"):
        super().__init__()
        self.token = token
        self.broadcasts: list[dict] = []  # accepted: request_id, retry_key, messages (the JSON as sent)
        self.responses: list[dict] = []  # every response: retry_key, status, request_id
        self._accepted: dict[str, str] = {}  # retry key → request id of the accepted request
        self._failures: list[Failure] = []

    def fail_next(
        self,
        status: int,
        times: int = 1,
        body: dict | None = None,
        headers: dict | None = None,
        *,
        delay: float = 0.0,
        after_processing: bool = False,
    ) -> None:
        """Answer the next `times` requests with this status instead."""
        body = body if body is not None else {"message": FAILURE_TEXT.get(status, "Error")}
        failure = Failure(status, body, dict(headers or {}), delay, after_processing)
        with self._lock:
            self._failures.extend([failure] * times)

    def answer(self, method: str, path: str, headers, body: bytes, query: str = "") -> Reply:
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure and not failure.after_processing:
            time.sleep(failure.delay)
            return self._log(headers, Reply(failure.status, failure.body, dict(failure.headers)))
        with self._lock:
            reply = self._route(method, path, headers, body)
        if failure:
            time.sleep(failure.delay)
            reply = Reply(failure.status, failure.body, dict(failure.headers))
        return self._log(headers, reply)

    def _log(self, headers, reply: Reply) -> Reply:
        reply.headers.setdefault("x-line-request-id", str(uuid.uuid4()))
        with self._lock:
            self.responses.append(
                {
                    "retry_key": headers.get("X-Line-Retry-Key"),
                    "status": reply.status,
                    "request_id": reply.headers["x-line-request-id"],
                }
            )
        return reply

    def _route(self, method: str, path: str, headers, body: bytes) -> Reply:
        if method != "POST" or path != BROADCAST:
            return Reply(404, {"message": "Not found"})
        if headers.get("Authorization") != f"Bearer {self.token}":
            return Reply(401, {"message": UNAUTHORIZED})
        key = headers.get("X-Line-Retry-Key")
        if key is not None and not _is_uuid(key):
            return Reply(400, {"message": "The value for the 'X-Line-Retry-Key' header is invalid"})
        if key in self._accepted:
            return Reply(
                409,
                {"message": "The retry key is already accepted"},
                {"x-line-accepted-request-id": self._accepted[key]},
            )
        try:
            request = json.loads(body.decode("utf-8"))
        except ValueError:
            return Reply(400, {"message": "The request body could not be parsed as JSON"})
        errors = request_errors(request)
        if errors:
            return Reply(400, {"message": f"The request body has {len(errors)} error(s)", "details": errors})
        request_id = str(uuid.uuid4())
        if key:
            self._accepted[key] = request_id
        self.broadcasts.append({"request_id": request_id, "retry_key": key, "messages": request["messages"]})
        return Reply(200, {}, {"x-line-request-id": request_id})


def request_errors(request: object) -> list[dict]:
    """The documented basics of a broadcast body, as LINE's `details` entries."""
    messages = request.get("messages") if isinstance(request, dict) else None
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return [_detail("messages", "Size must be between 1 and 5")]
    errors: list[dict] = []
    for i, message in enumerate(messages):
        errors += _message_errors(message, f"messages[{i}]")
    return errors


def _message_errors(message: object, where: str) -> list[dict]:
    kind = message.get("type") if isinstance(message, dict) else None
    if kind == "text":
        return _length(message.get("text"), 1, TEXT_MAX, f"{where}.text")
    if kind != "flex":
        return [_detail(f"{where}.type", "Invalid message type")]
    errors = _length(message.get("altText"), 1, ALT_TEXT_MAX, f"{where}.altText")
    contents = message.get("contents")
    if not isinstance(contents, dict) or contents.get("type") not in ("bubble", "carousel"):
        return errors + [_detail(f"{where}.contents", "must be a bubble or a carousel")]
    if contents["type"] == "bubble" and len(json.dumps(contents, ensure_ascii=False).encode()) > BUBBLE_BYTES:
        errors.append(_detail(f"{where}.contents", "Bubble size exceeds 30 KB"))
    return errors + _component_errors(contents, f"{where}.contents")


def _component_errors(node: object, where: str) -> list[dict]:
    """Walk the flex tree: image URLs, URI actions, button labels, text."""
    if isinstance(node, list):
        return [e for i, child in enumerate(node) for e in _component_errors(child, f"{where}[{i}]")]
    if not isinstance(node, dict):
        return []
    errors = []
    kind = node.get("type")
    if kind == "image":
        errors += _url(node.get("url"), f"{where}.url")
    if kind == "text" and "contents" not in node:
        errors += _length(node.get("text"), 1, None, f"{where}.text")
    if kind == "button":
        errors += _length((node.get("action") or {}).get("label"), 1, LABEL_MAX, f"{where}.action.label")
    if kind == "uri":
        uri = node.get("uri")
        errors += _length(uri, 1, URI_MAX, f"{where}.uri")
        if isinstance(uri, str) and not uri.startswith(("http://", "https://", "line://", "tel:")):
            errors.append(_detail(f"{where}.uri", "invalid uri scheme"))
    for name in ("hero", "body", "footer", "header", "contents", "action"):
        errors += _component_errors(node.get(name), f"{where}.{name}")
    return errors


def _url(value: object, where: str) -> list[dict]:
    errors = _length(value, 1, URL_MAX, where)
    if isinstance(value, str) and not value.startswith("https://"):
        errors.append(_detail(where, "must be an HTTPS URL"))
    return errors


def _length(value: object, low: int, high: int | None, where: str) -> list[dict]:
    if not isinstance(value, str) or not value:
        return [_detail(where, "must be specified")]
    if high is not None and not low <= len(value) <= high:
        return [_detail(where, f"Length must be between {low} and {high}")]
    return []


def _detail(where: str, message: str) -> dict:
    return {"message": message, "property": where}


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False
