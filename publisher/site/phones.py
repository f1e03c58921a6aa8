"""Telephone numbers written in a page become links a phone can call (tel:), as town sites do.

Staff write numbers as they print them: 0274-74-0105, (0274)74-0105, 0274(74)0105, or in
full-width digits. Only numbers with an area code (10 or 11 digits, starting with 0) are linked:
74-0105 alone or a date like 2026-12-07 is not a number anyone could call from outside.
"""

from __future__ import annotations

import re
import unicodedata

_D = "[0-9０-９]"
_DASH = "[-‐－−]"
_PHONE = re.compile(
    rf"(?<![0-9０-９])(?<!{_D}{_DASH})(?:"  # not the tail of a longer number
    rf"[0０]{_D}{{1,4}}{_DASH}{_D}{{1,4}}{_DASH}{_D}{{3,4}}"  # 0274-74-0105, 090-1234-5678
    rf"|[(（][0０]{_D}{{1,4}}[)）]\s?{_D}{{1,4}}{_DASH}{_D}{{3,4}}"  # (0274)74-0105
    rf"|[0０]{_D}{{1,4}}[(（]{_D}{{1,4}}[)）]{_D}{{3,4}}"  # 0274(74)0105
    rf")(?![0-9０-９])(?!{_DASH}{_D})"
)
_TAG = re.compile(r"(<[^>]*>)")
_SKIPPED = ("a", "code", "pre", "script", "style", "textarea")  # text that is no place for a link


def tel_links(html: str) -> str:
    """`html` with every callable number in its text (not inside a link or code) linked."""
    parts = _TAG.split(html)
    inside = 0
    for n, part in enumerate(parts):
        if n % 2:  # a tag
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in _SKIPPED and not part.endswith("/>"):
                inside += -1 if part.startswith("</") else 1
        elif inside <= 0 and part:
            parts[n] = _PHONE.sub(_link, part)
    return "".join(parts)


def _link(match: re.Match) -> str:
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", match.group()))
    if len(digits) not in (10, 11):
        return match.group()
    return f'<a class="town-tel" href="tel:{digits}">{match.group()}</a>'
