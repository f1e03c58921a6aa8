"""`publisher status`: how many items are in each state, and what goes up or comes down next."""

from __future__ import annotations

from collections import Counter

from ..content.dates import When, format_when
from ..content.model import Site, Status

SHOWN = 5  # upcoming items listed of each kind


def status_lines(site: Site) -> list[str]:
    counts = Counter(item.status(site.now) for item in site.items)
    lines = [f"基準の日時: {format_when(When(site.now, True))}"]
    lines += [f"  {state.value}: {counts.get(state, 0)} 件" for state in Status]
    # What goes up next (公開予約), then what comes down next: staff schedule both.
    for label, state, moment in (
        ("公開予約", Status.SCHEDULED, "release_at"),
        ("掲載終了予定", Status.PUBLISHED, "expire_at"),
    ):
        coming = sorted(
            (i for i in site.items if getattr(i, moment) and i.status(site.now) is state),
            key=lambda i: getattr(i, moment),
        )
        lines += [
            f"  {label} {format_when(When(getattr(i, moment), True))}: {i.title}（{i.src}）"
            for i in coming[:SHOWN]
        ]
    return lines
