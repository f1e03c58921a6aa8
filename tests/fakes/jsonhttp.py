"""What the fake Mastodon and LINE servers share: a quiet threaded HTTP server that answers JSON."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    body: object  # JSON: an object or a list
    headers: dict = field(default_factory=dict)


class JsonFake:
    """Base of a fake API: `with fake:` serves `fake.handle(...)` at `fake.base_url` on 127.0.0.1."""

    content_type = "application/json"
    base_url = ""

    def handle(self, method: str, path: str, headers, body: bytes, query: str = "") -> Reply:
        raise NotImplementedError

    def __enter__(self):
        self._server = _Server(("127.0.0.1", 0), type("Handler", (_Handler,), {"fake": self}))
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that timed out and hung up is part of the tests, not an error to print


class _Handler(BaseHTTPRequestHandler):
    fake: JsonFake
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path)
        reply = self.fake.handle(method, parts.path, self.headers, body, parts.query)
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
