"""SNS settings under `syndication:` in the town plugin's options, and per-item `sns:` front matter."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ContentError, FieldError

CHANNELS = ("x", "mastodon", "bluesky", "line")
CHANNEL_LABELS = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "line": "LINE"}
# {title} {summary} {url} {hashtags} {when} (events: 日時と場所). Blank lines left by empty parts are dropped.
DEFAULT_TEMPLATES = {
    "x": "{title}\n{when}\n{summary}\n{url}\n{hashtags}",
    "mastodon": "{title}\n\n{when}\n{summary}\n\n{url}\n\n{hashtags}",
    "bluesky": "{title}\n{when}\n{summary}\n{url}\n{hashtags}",
    "line": "{title}\n{when}\n{summary}\n{url}",
}
IMAGE_CHOICES = ("card", "photo", "none")


@dataclass(frozen=True)
class Syndication:
    channels: tuple[str, ...] = CHANNELS  # channels the town uses (each also needs its credentials)
    per_hour: int = 3  # posts per channel per hour, alerts not counted; the rest wait, oldest first
    reminder_days: int = 3  # events get a reminder this many days before they start; 0: none
    templates: tuple[tuple[str, str], ...] = ()  # (channel, template) overrides
    hashtags: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (category slug, hashtags)
    site_hashtags: tuple[str, ...] = ()  # added to every post, e.g. #甘楽町
    ledger: str = "data/sns-ledger.json"  # relative to mkdocs.yml; PUBLISHER_LEDGER overrides

    def template(self, channel: str) -> str:
        return dict(self.templates).get(channel, DEFAULT_TEMPLATES[channel])

    def hashtags_for(self, categories: tuple[str, ...]) -> tuple[str, ...]:
        by_category = dict(self.hashtags)
        tags = list(self.site_hashtags) + [t for c in categories for t in by_category.get(c, ())]
        return tuple(dict.fromkeys(tags))


@dataclass(frozen=True)
class SnsOptions:
    """Per-item `sns:` front matter: custom text per channel, channels to skip, which image."""

    text: tuple[tuple[str, str], ...] = ()
    skip: tuple[str, ...] = ()
    image: str = "card"

    def text_for(self, channel: str) -> str:
        return dict(self.text).get(channel, "")


def parse_syndication(value, where: str, source: str, errors: list[ContentError]) -> Syndication | None:
    before = len(errors)

    def problem(message: str) -> None:
        errors.append(ContentError(source, 0, f"{where}{message}"))

    if not isinstance(value, dict):
        problem(" は「項目名: 値」の形で書いてください")
        return None
    known = {"channels", "per_hour", "reminder_days", "templates", "hashtags", "site_hashtags", "ledger"}
    for name in set(value) - known:
        problem(f".{name} という設定項目はありません（使える項目: {'、'.join(sorted(known))}）")
    channels = _channels(value.get("channels", list(CHANNELS)), problem)
    templates = value.get("templates") or {}
    if not isinstance(templates, dict):
        problem(".templates は「チャンネル名: 文面のひな形」の形で書いてください")
        templates = {}
    for channel, template in templates.items():
        _channels([channel], problem)
        if not isinstance(template, str) or "{url}" not in template:
            problem(f".templates.{channel} には必ず {{url}}（ページへのリンク）を入れてください")
    hashtags = value.get("hashtags") or {}
    if not isinstance(hashtags, dict) or not all(isinstance(v, list) for v in hashtags.values()):
        problem(".hashtags は「分類のスラッグ: [#タグ, …]」の形で書いてください")
        hashtags = {}
    numbers = {name: value.get(name, default) for name, default in (("per_hour", 3), ("reminder_days", 3))}
    for name, number in numbers.items():
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            problem(f".{name} は 0 以上の半角数字で書いてください")
    if len(errors) > before:
        return None
    return Syndication(
        channels=channels,
        per_hour=numbers["per_hour"],
        reminder_days=numbers["reminder_days"],
        templates=tuple((str(c), str(t)) for c, t in templates.items()),
        hashtags=tuple((str(c), tuple(_tag(t) for t in tags)) for c, tags in hashtags.items()),
        site_hashtags=tuple(_tag(t) for t in value.get("site_hashtags") or ()),
        ledger=str(value.get("ledger") or Syndication.ledger),
    )


def _channels(names, problem) -> tuple[str, ...]:
    if not isinstance(names, list):
        problem(".channels は一覧で書いてください（例: [x, mastodon, bluesky, line]）")
        return ()
    for name in names:
        if name not in CHANNELS:
            problem(f": チャンネル「{name}」はありません（使えるもの: {'、'.join(CHANNELS)}）")
    return tuple(n for n in names if n in CHANNELS)


def _tag(text) -> str:
    """「甘楽町」「#甘楽町」「＃甘楽町」 (the IME's full-width sign) all give #甘楽町."""
    return "#" + str(text).strip().lstrip("#＃")


def parse_sns(raw) -> SnsOptions:
    """Front matter `sns:`; raise FieldError (Japanese) naming what is wrong."""
    if not isinstance(raw, dict):
        raise FieldError("「text:」「skip:」「image:」のいずれかを字下げして書いてください")
    unknown = set(raw) - {"text", "skip", "image"}
    if unknown:
        raise FieldError(
            f"「{'、'.join(sorted(map(str, unknown)))}」は使えません（text・skip・image が使えます）"
        )
    text = raw.get("text") or {}
    if isinstance(text, str):
        text = {channel: text for channel in CHANNELS}
    if not isinstance(text, dict) or any(c not in CHANNELS for c in text):
        raise FieldError(
            f"text は「チャンネル名: 文面」の形で書いてください（チャンネル: {'、'.join(CHANNELS)}）"
        )
    skip = raw.get("skip") or []
    skip = list(CHANNELS) if skip is True else ([skip] if isinstance(skip, str) else skip)
    if not isinstance(skip, list) or any(c not in CHANNELS for c in skip):
        raise FieldError(
            f"skip には投稿しないチャンネル名を書いてください（{'、'.join(CHANNELS)}、すべてなら true）"
        )
    image = str(raw.get("image", "card"))
    if image not in IMAGE_CHOICES:
        raise FieldError("image は card（SNS用の画像）・photo（記事の写真）・none（画像なし）のどれかです")
    return SnsOptions(tuple((c, str(t).strip()) for c, t in text.items()), tuple(skip), image)
