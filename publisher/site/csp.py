"""A Content-Security-Policy `<meta>` for each page: script only from the site's own files and
from the theme's inline scripts, allowed by hash.

Hashes are taken from the page *without its body*, so a script that reached a body anyway (the
cleaner is the second wall, this is the third) is not among them and the browser refuses it;
inline event handlers and `javascript:` URLs are refused by any policy without 'unsafe-inline'.
Pagefind compiles its WebAssembly index reader, hence 'wasm-unsafe-eval'."""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script\s*>", re.I | re.S)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "frame-src 'none'; base-uri 'self'; form-action 'self' https:"
)


def with_policy(page_html: str, body_html: str) -> str:
    """The page with its policy first in <head>; `body_html` is the part whose scripts are not trusted."""
    trusted = page_html.replace(body_html, "") if body_html else page_html
    hashes = sorted(
        {_hash(code) for attrs, code in _INLINE_SCRIPT.findall(trusted) if not _DATA_TYPE.search(attrs)}
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    return _HEAD.sub(lambda m: m.group() + meta, page_html, count=1)


def policy(hashes: list[str]) -> str:
    return POLICY.format(hashes=" ".join(f"'sha256-{h}'" for h in hashes)).replace("  ", " ")


def _hash(code: str) -> str:
    return base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
