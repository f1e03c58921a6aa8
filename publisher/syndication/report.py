"""What a syndication run prints: each post, and a summary table staff can read."""

from __future__ import annotations

import json
from collections import Counter

from ..content.sns_settings import CHANNEL_LABELS
from .runner import Outcome

STATUS_LABELS = {
    "sent": "投稿しました",
    "failed": "失敗（再送しません）",
    "pending": "次回に再送",
    "seeded": "投稿済みとして記録",
    "would-post": "投稿予定",
    "held": "頻度の上限のため次回",
}
KIND_LABELS = {"publish": "", "reminder": "（開催前のお知らせ）"}


def json_lines(outcomes) -> list[str]:
    return [
        json.dumps(
            {
                "item": o.item_id,
                "channel": o.channel,
                "kind": o.kind,
                "status": o.status,
                "text": o.text,
                "url": o.url,
                "image": o.image,
                "length": o.length,
                "limit": o.limit,
                "remote_url": o.remote_url,
                "error": o.error,
            },
            ensure_ascii=False,
        )
        for o in outcomes
    ]


def details(outcomes: list[Outcome], with_text: bool) -> list[str]:
    lines = []
    for channel in CHANNEL_LABELS:
        mine = [o for o in outcomes if o.channel == channel]
        if not mine:
            continue
        lines.append(f"■ {CHANNEL_LABELS[channel]}（{len(mine)} 件）")
        for o in mine:
            lines.append(
                f"  [{STATUS_LABELS[o.status]}] {o.title}{KIND_LABELS[o.kind]}"
                f"  文字数 {o.length}/{o.limit}"
                + (f"  {o.remote_url}" if o.remote_url else "")
                + (f"  理由: {o.error}" if o.error else "")
            )
            if with_text:
                lines += ["      " + line for line in o.text.split("\n")]
    return lines


def summary(outcomes: list[Outcome]) -> list[str]:
    columns = ("sent", "would-post", "held", "pending", "failed", "seeded")
    counts = {c: Counter(o.status for o in outcomes if o.channel == c) for c in CHANNEL_LABELS}
    used = [s for s in columns if any(counts[c][s] for c in counts)] or ["would-post"]
    header = f"{'チャンネル':<10}" + "".join(f"{STATUS_LABELS[s]:>12}" for s in used)
    rows = [f"{CHANNEL_LABELS[c]:<12}" + "".join(f"{counts[c][s]:>12}" for s in used) for c in CHANNEL_LABELS]
    return ["", "SNS 配信のまとめ", header, *rows]


def everything_went_out(outcomes: list[Outcome]) -> bool:
    return not any(o.status in ("failed", "pending") for o in outcomes)
