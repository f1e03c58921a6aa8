"""Bounds on one body, so that no file can stall a build that also carries the night's alerts.

Python-Markdown is recursive and slow on deep nesting (a list 200 levels deep takes half a
second, 1,000 levels exhaust the stack), and an outsized file slows every page that lists it.
Real pages nest three or four levels; the limits are far above that."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_BODY_CHARACTERS = 500_000  # about 300 printed pages
MAX_NESTING = 20
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_QUOTE = re.compile(r"^[ \t]*((?:>[ \t]?)+)")


@dataclass(frozen=True)
class LimitProblem:
    line: int  # 1-based line of the body
    message: str


def problems(body: str) -> list[LimitProblem]:
    if len(body) > MAX_BODY_CHARACTERS:
        return [
            LimitProblem(
                1,
                f"本文が長すぎます（{len(body):,} 文字）。{MAX_BODY_CHARACTERS:,} 文字までにして、ページを分けてください",
            )
        ]
    return list(_too_deep(body))[:1]  # the first place is enough to find and fix


def _too_deep(body: str) -> Iterator[LimitProblem]:
    for number, line in enumerate(body.split("\n"), start=1):
        depth = max(_list_depth(line), _quote_depth(line))
        if depth > MAX_NESTING:
            yield LimitProblem(
                number,
                f"リストや引用の入れ子が深すぎます（{depth} 段）。{MAX_NESTING} 段までにしてください",
            )


def _list_depth(line: str) -> int:
    item = _LIST_ITEM.match(line)
    return len(item.group(1).expandtabs(4)) // 4 + 1 if item else 0


def _quote_depth(line: str) -> int:
    quote = _QUOTE.match(line)
    return quote.group(1).count(">") if quote else 0
