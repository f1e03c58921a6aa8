"""The rendered body, cleaned with the allow-list of content/html_policy.py (the one module that imports nh3).

The check refuses what it finds in the Markdown source; this is the second wall, for what a
source scan cannot see. Our own markup (post header, pictures, tables' scroll wrappers) is added
after cleaning."""

from __future__ import annotations

import re

import nh3

from ..content.html_policy import ATTRIBUTES, GLOBAL_ATTRIBUTES, STYLE_PROPERTIES, TAGS, URL_SCHEMES
from ..media.images import ProcessedImage
from .pictures import rewrite_img_tags

_LEAD_PICTURE = re.compile(r'<figure class="town-lead">.*?</figure>', re.S)  # site/templates/item_header.html

_PAGE_ATTRIBUTES = {"*": set(GLOBAL_ATTRIBUTES)} | {tag: set(names) for tag, names in ATTRIBUTES.items()}
# Feed readers get the content without the page's styling hooks and loading hints.
_FEED_ATTRIBUTES = {"*": {"title", "lang"}} | {tag: set(names) for tag, names in ATTRIBUTES.items()}


def clean_body(html_text: str) -> str:
    """Only allowed elements, attributes and URL schemes; script and style elements lose their text too."""
    return _clean(html_text, _PAGE_ATTRIBUTES)


def feed_body(header: str, body: str, page_url: str, images: dict[str, ProcessedImage]) -> str:
    """A cleaned body as feeds carry it: the header's lead picture and the body, with plain
    <img src alt> instead of <picture> (its <source>s dropped) and no page-only attribute
    (class, id, data-*, loading, fetchpriority, role); not the header's meta lines."""
    lead = _LEAD_PICTURE.search(header)
    pictured = rewrite_img_tags((lead.group() if lead else "") + body, page_url, images, first_eager=False)
    return _clean(pictured, _FEED_ATTRIBUTES)


def _clean(html_text: str, attributes: dict[str, set[str]]) -> str:
    return nh3.clean(
        html_text,
        tags=set(TAGS),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
        strip_comments=True,
    )
