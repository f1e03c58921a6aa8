"""What the fake SNS servers share: a quiet threaded HTTP server on 127.0.0.1 that answers JSON."""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    body: object  # JSON: an object or a list
    headers: dict = field(default_factory=dict)


class JsonFake:
    """Base of a fake API: `with fake:` serves `fake.answer(...)` at `fake.base_url` on 127.0.0.1,
    and `fake.requests` lists (method, path) of every request received."""

    content_type = "application/json"
    path_prefix = ""  # left out of the paths recorded and handled, e.g. Bluesky's "/xrpc/"
    base_url = ""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        # A test's hook, called with (path, processed) before and after each request is handled:
        # e.g. to kill the client at an exact step of its work.
        self.on_request: Callable[[str, bool], None] | None = None

    def answer(self, method: str, path: str, headers, body: bytes, query: str = "") -> Reply:
        raise NotImplementedError

    def __enter__(self):
        self._server = _Server(("127.0.0.1", 0), type("Handler", (_Handler,), {"fake": self}))
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _receive(self, method: str, path: str, headers, body: bytes, query: str) -> Reply:
        path = path.removeprefix(self.path_prefix)
        with self._lock:
            self.requests.append((method, path))
        if self.on_request:
            self.on_request(path, False)
        reply = self.answer(method, path, headers, body, query)
        if self.on_request:
            self.on_request(path, True)
        return reply


@dataclass
class Failure:
    status: int
    body: dict | None  # None: the fake's own error body for the status
    headers: dict[str, str]
    path: str  # only requests whose path starts with this fail ("" = any)
    echo: bool = False  # answer with the request's headers and body, as some proxies and servers do


class RateLimitedFake(JsonFake):
    """A fake (X, Bluesky) that sends its rate-limit headers with every answer and can be told
    to fail the next requests. Subclasses give `route`, `rate_headers` and `error_body`."""

    content_type = "application/json; charset=utf-8"

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[Failure] = []

    def fail_next(
        self,
        status: int,
        times: int = 1,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
        path: str = "",
        echo: bool = False,
    ) -> None:
        """Answer the next `times` requests (to `path`, when given) with this status instead."""
        with self._lock:
            self.failures += [Failure(status, body, dict(headers or {}), path, echo) for _ in range(times)]

    def answer(self, method: str, path: str, headers, body: bytes, query: str = "") -> Reply:
        failure = self._scripted(path)
        if failure:
            sent = self.rate_headers(limited=failure.status == 429) | failure.headers
            if failure.echo:
                said = f"you sent {dict(headers.items())!r} {body.decode('latin-1')}"
                return Reply(failure.status, self.echo_body(failure.status, said), sent)
            return Reply(failure.status, failure.body or self.error_body(failure.status), sent)
        with self._lock:
            status, data = self.route(method, path, headers, body, query)
        return Reply(status, data, self.rate_headers())

    def route(self, method: str, path: str, headers, body: bytes, query: str) -> tuple[int, dict]:
        raise NotImplementedError

    def rate_headers(self, limited: bool = False) -> dict[str, str]:
        """The rate-limit headers; `limited`: none left until the next second."""
        raise NotImplementedError

    def error_body(self, status: int) -> dict:
        raise NotImplementedError

    def echo_body(self, status: int, said: str) -> dict:
        """An error whose text is what the request carried (the fake's own error shape)."""
        return {"error": "BadRequest", "message": said}

    def _scripted(self, path: str) -> Failure | None:
        with self._lock:
            for failure in self.failures:
                if path.startswith(failure.path):
                    self.failures.remove(failure)
                    return failure
        return None


def multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, str | None, bytes]]:
    """multipart/form-data → {field: (file name, content type, bytes)}; `cgi` is gone from the stdlib."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return {}
    return {
        part.get_param("name", header="content-disposition"): (
            part.get_filename(),
            part.get_content_type(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that timed out and hung up is part of the tests, not an error to print


class _Handler(BaseHTTPRequestHandler):
    fake: JsonFake
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path)
        reply = self.fake._receive(method, parts.path, self.headers, body, parts.query)
        data = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", self.fake.content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:
        pass  # keep test output clean
