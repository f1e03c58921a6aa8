"""<picture> elements for processed images, and <img> tags in rendered pages rewritten to them."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import quote, unquote

from ..media.images import ProcessedImage, Variant


def picture_html(
    image: ProcessedImage,
    alt: str,
    url_prefix: str,
    *,
    eager: bool = False,
    sizes: str = "(max-width: 960px) 100vw, 960px",
    css_class: str = "",
    attrs: Iterable[tuple[str, str]] = (),
) -> str:
    """<picture> with a WebP source and a JPEG/PNG fallback; width/height stop layout shift.

    `url_prefix` leads from the page to the site root (e.g. "../../"); `attrs` are extra
    <img> attributes such as title. SVG and animated GIF give a plain <img>.
    """
    shown = image.display

    def url(variant: Variant) -> str:
        return url_prefix + quote(variant.path)

    def srcset(variants) -> str:
        return ", ".join(f"{url(v)} {v.width}w" for v in variants)

    img = [("src", url(shown))]
    if image.webp:
        img += [("srcset", srcset(image.fallback)), ("sizes", sizes)]
    if shown.width and shown.height:
        img += [("width", str(shown.width)), ("height", str(shown.height))]
    img += [("alt", alt), ("class", css_class), *attrs]
    img += [("loading", "eager"), ("fetchpriority", "high")] if eager else [("loading", "lazy")]
    img.append(("decoding", "async"))
    tag = f"<img{_attributes(img)}>"
    if not image.webp:
        return tag
    source = _attributes([("type", "image/webp"), ("srcset", srcset(image.webp)), ("sizes", sizes)])
    return f"<picture><source{source}>{tag}</picture>"


def _attributes(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{html.escape(value)}"' for name, value in pairs if value or name == "alt")


# Whole <picture> elements, comments and raw-text elements are skipped; quoted values may hold ">".
_TAG = re.compile(
    r"""<!--.*?-->|<(picture|script|style|textarea)\b.*?</\1\s*>|(<img\b(?:[^>"']|"[^"]*"|'[^']*')*>)""",
    re.IGNORECASE | re.DOTALL,
)
_EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|/|#)", re.IGNORECASE)
_MANAGED = {
    "src",
    "srcset",
    "sizes",
    "width",
    "height",
    "alt",
    "class",
    "loading",
    "decoding",
    "fetchpriority",
}


def rewrite_img_tags(
    html_text: str, page_url: str, images: dict[str, ProcessedImage], *, first_eager: bool = True
) -> str:
    """Replace <img> tags pointing at processed images with <picture>; others stay as they are.

    `page_url` is the page's URL relative to the site root ("kanko/rakusanen/"), against
    which MkDocs made every src relative. Only the first replaced image may load eagerly.
    """
    prefix = "../" * _depth(page_url)
    eager = first_eager

    def replace(match: re.Match) -> str:
        nonlocal eager
        if not match.group(2):
            return match.group(0)
        attrs = _parse_img(match.group(2))
        image = images.get(_content_path(attrs.get("src") or "", page_url))
        if image is None:
            return match.group(0)
        extra = [(k, v or "") for k, v in attrs.items() if k not in _MANAGED]
        result = picture_html(
            image,
            attrs.get("alt") or "",
            prefix,
            eager=eager,
            css_class=attrs.get("class") or "",
            attrs=extra,
        )
        eager = False
        return result

    return _TAG.sub(replace, html_text)


def _folder(page_url: str) -> str:
    """The folder a relative URL starts from: "a/b" for "a/b/", "a" for "a/b.html"."""
    return page_url.rsplit("/", 1)[0] if "/" in page_url else ""


def _depth(page_url: str) -> int:
    return len([part for part in _folder(page_url).split("/") if part])


def _content_path(src: str, page_url: str) -> str | None:
    if not src or _EXTERNAL.match(src):
        return None
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    resolved = posixpath.normpath(posixpath.join(_folder(page_url), path))
    return None if resolved == ".." or resolved.startswith("../") else resolved


class _ImgReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            self.attrs.setdefault(name, value)  # the first of duplicate attributes wins, as in browsers

    handle_startendtag = handle_starttag


def _parse_img(tag: str) -> dict[str, str | None]:
    reader = _ImgReader()
    reader.feed(tag)
    reader.close()
    return reader.attrs
