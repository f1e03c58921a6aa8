"""The template text new files start with, and the check that none of it is published.

`publisher new` writes these bodies into drafts (`draft: true`), so a new file passes its own
check; once the draft line is gone, any line still reading as the template is an error on that
line, since a resident would otherwise read 「ここにイベントの内容を書きます。」 on the town's site.
"""

from __future__ import annotations

from .errors import ContentError
from .model import Item
from .schema import ALERT, EVENT, NEWS, PAGE

BODIES = {
    NEWS: "ここに本文を書きます。最初の段落は一覧や SNS の概要に使われます。\n",
    EVENT: "ここにイベントの内容を書きます。\n",
    PAGE: "ここにページの本文を書きます。\n\n## 見出し\n\n見出しは ## から始めます。\n",
    ALERT: "ここに状況と、住民の皆さんにしてほしいことを書きます。\n",
}
PLACEHOLDER_LINES = frozenset(line for body in BODIES.values() for line in body.splitlines() if line)


def problems(item: Item) -> list[ContentError]:
    """Every template line left in the body of an item that would be published (not a draft)."""
    if item.draft:
        return []
    return [
        ContentError(
            item.src,
            item.body_line + number,
            f"ひな形の文「{line.strip()}」が残っています。この行を消して、住民に伝える内容を書いてください"
            "（まだ公開しないなら draft: true を書いて下書きにします）",
        )
        for number, line in enumerate(item.body.split("\n"))
        if line.strip() in PLACEHOLDER_LINES
    ]
