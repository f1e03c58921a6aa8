"""The pages part of the pull-request summary (Markdown for GitHub's job summary, Japanese).

A reviewer reads everything on GitHub, downloading nothing: a new or scheduled page with its
fields (掲載日, 掲載終了 …) and its text, an edited page as a short before/after of the changed
fields and sentences (difflib), withdrawn pages and drafts by title. Pages that do not exist on
the live site yet are never linked there (they answer 404 until the merge): they link to the
pull request's preview when there is one, and otherwise show their future address as text.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..content.config import SiteConfig
from ..content.dates import JST, When, format_day, format_spans, format_when
from ..content.model import Alert, Event, Item
from ..content.schema import FIELDS_BY_NAME, KIND_LABELS, PAGE
from ..content.sns_settings import CHANNEL_LABELS
from ..content.text_blocks import body_lines, capped, escape, quoted
from .changes import Change, ChangeReport

BODY_LIMIT = 800  # characters of a page's text shown inline
MAX_SHOWN = 15  # pages shown with their text; more are listed by title (the summary stays short)
MAX_DIFF_ROWS = 30  # rows of one page's before/after
SECTIONS = (
    ("published", "新しく公開されるページ"),
    ("updated", "内容が変わるページ"),
    ("withdrawn", "公開をやめるページ"),
    ("scheduled", "公開予約（日時が来ると自動で公開）"),
    ("drafts", "下書き（公開されません）"),
)
SUMMARY = FIELDS_BY_NAME["summary"].label
EXPIRE = FIELDS_BY_NAME["expire_at"].label  # shown even when unchanged: when the page comes down
_SENTENCE_END = re.compile(r"(?<=[。！？])(?![」』）)。！？])")


@dataclass(frozen=True)
class Addresses:
    """Where a reviewer can open pages: the preview of this pull request, when there is one."""

    preview: str = ""  # the preview's base URL ("" : none)
    # On GitHub Actions the pull-request workflow keeps the built site as the run's artifact.
    artifact_hint: bool = field(default_factory=lambda: os.environ.get("GITHUB_ACTIONS") == "true")

    def preview_of(self, item: Item) -> str:
        return urljoin(self.preview, item.url) if self.preview else ""


def markdown(report: ChangeReport, config: SiteConfig, addresses: Addresses) -> str:
    """The pages part of the summary, from its main heading on."""
    lines = ["## このプルリクエストを取り込むと公開されるもの", "", *_where_to_look(addresses), ""]
    if report.base_note:
        lines += [f"> {report.base_note}", ""]
    if report.empty:
        return "\n".join(lines + ["公開されるページの変更はありません。", ""])
    shown = 0
    for key, heading in SECTIONS:
        changes = getattr(report, key)
        if not changes:
            continue
        lines += [f"### {heading}（{len(changes)} 件）", ""]
        for change in changes:
            if key in ("withdrawn", "drafts") or shown >= MAX_SHOWN:
                lines.append(_short_line(change, key, addresses))
                continue
            lines += _page(change, key, config, addresses)
            shown += 1
        lines.append("")
    return "\n".join(lines)


def _where_to_look(addresses: Addresses) -> list[str]:
    if addresses.preview:
        link = f"[{addresses.preview}]({addresses.preview})"
        return [
            f"> プレビュー: {link}（このプルリクエストの版です。確認がすべて通ってから数分で開けます。通らなかったときは前の版のままです）"
        ]
    if addresses.artifact_hint:
        return [
            "> 新しいページと変わるページの本文を下に載せています。作ったサイト全体は、この画面の"
            "「Artifacts」の **site** からダウンロードできます（公開中のサイトにはまだありません）。"
        ]
    return []


def _short_line(change: Change, key: str, addresses: Addresses) -> str:
    item = change.item
    name = escape(item.title)
    if key in ("withdrawn", "updated"):  # on the live site until the merge
        name = f"[{name}]({change.url})"
    elif addresses.preview and key == "published":
        name = f"[{name}]({addresses.preview_of(item)})"
    note = f"　{change.note}" if change.note else ""
    return f"- {name}（{KIND_LABELS[item.kind]}・`content/{item.src}`）{note}"


def _page(change: Change, key: str, config: SiteConfig, addresses: Addresses) -> list[str]:
    item = change.item
    lines = [f"#### {escape(item.title)}", "", _where(change, key, addresses), ""]
    if key == "updated" and change.before is not None:
        return lines + _before_after(change.before, item, config)
    lines += ["| 項目 | 内容 |", "| --- | --- |"]
    lines += [f"| {label} | {escape(value)} |" for label, value in fields(item, config)]
    text, cut = capped(body_lines(item.body), BODY_LIMIT)
    lines += ["", "本文:", "", *quoted(_paragraphs(text)), ""]
    if cut:
        lines += [
            f"（本文が長いため、最初の {BODY_LIMIT} 字までを載せています。続きはファイルかプレビューで見てください）",
            "",
        ]
    return lines


def _where(change: Change, key: str, addresses: Addresses) -> str:
    item = change.item
    parts = [KIND_LABELS[item.kind], f"`content/{item.src}`"]
    if key == "updated":
        parts.append(f"[公開中のページ]({change.url})")
    else:  # not on the live site before the merge: its address as text, never a link
        parts.append(f"公開後のアドレス `{change.url}`")
    if change.note:  # a scheduled item's release
        parts.append(f"公開予定 {change.note}")
    if addresses.preview and key in ("published", "updated"):  # the preview is the site as of now
        parts.append(f"[プレビューで見る]({addresses.preview_of(item)})")
    return "・".join(parts)


def _paragraphs(blocks: list[str]) -> list[str]:
    """Blocks with a blank line between them, so each is a paragraph of the quote."""
    spaced = []
    for block in blocks:
        spaced += [block, ""]
    return spaced[:-1]


def fields(item: Item, config: SiteConfig) -> list[tuple[str, str]]:
    """The item's front matter as staff named it, in the form's order; empty fields left out."""
    label = {name: spec.label for name, spec in FIELDS_BY_NAME.items()}
    rows = [
        ("タイトル", item.title),
        (label["date"], shown_date(item)),
        (label["publish_at"], _moment(item.publish_at)),
        (label["expire_at"], _moment(item.expire_at)),
        (label["categories"], "、".join(_category(config, slug) for slug in item.categories)),
        (label["department"], _department(config, item.department)),
        (label["summary"], item.summary),
        (label["image"], item.image or ""),
        (label["image_alt"], item.image_alt),
        (label["draft"], "はい" if item.draft else ""),
    ]
    if isinstance(item, Event):
        rows.append(("開催日時", format_spans(item.occurrences)))
        rows += [(label[name], getattr(item, name)) for name in ("place", "fee", "target", "capacity")]
        rows += [(label[name], getattr(item, name)) for name in ("apply", "contact")]
    if isinstance(item, Alert):
        rows.append((label["level"], item.level_label))
    rows += [(f"SNS の文面（{CHANNEL_LABELS[c]}）", text) for c, text in item.sns.text]
    skipped = "・".join(CHANNEL_LABELS[c] for c in item.sns.skip)
    rows.append(("SNS に投稿しない", skipped))
    return [(name, value) for name, value in rows if value]


def shown_date(item: Item) -> str:
    """The 掲載日 the page will show: the day it is published (`published_at`: publish_at, or
    else date), as item_header.html prints it; the date written, when the page shows another day."""
    if item.kind == PAGE:  # a page shows no 掲載日
        return format_when(item.date) if item.date else ""
    if item.release_at is None:
        return ""
    shown = format_day(item.published_at)
    if item.date and item.date.day != item.published_at.astimezone(JST).date():
        return f"{shown}（公開の日。date に書いた日時は {format_when(item.date)}）"
    return shown


def _moment(moment) -> str:
    return format_when(When(moment, True)) if moment else ""


def _category(config: SiteConfig, slug: str) -> str:
    found = config.category(slug)
    return found.label if found else slug


def _department(config: SiteConfig, slug: str) -> str:
    found = config.department(slug) if slug else None
    return found.name if found else slug


def _before_after(old: Item, new: Item, config: SiteConfig) -> list[str]:
    """The changed fields and sentences only, each as 変更前 / 変更後 with the changed characters
    marked, and one unchanged sentence around each change."""
    lines = []
    before, after = dict(fields(old, config)), dict(fields(new, config))
    if "summary" not in old.key_lines and "summary" not in new.key_lines:  # from the text: shown there
        before.pop(SUMMARY, None), after.pop(SUMMARY, None)
    changed = [name for name in dict.fromkeys([*before, *after]) if before.get(name) != after.get(name)]
    if changed:
        lines += ["変更された項目:", "", "| 項目 | 変更前 | 変更後 |", "| --- | --- | --- |"]
        for name in changed:
            old_mark, new_mark = marked(before.get(name, ""), after.get(name, ""))
            lines.append(f"| {name} | {old_mark or '（なし）'} | {new_mark or '（なし）'} |")
        lines.append("")
    if EXPIRE in after and EXPIRE not in changed:
        lines += [f"{EXPIRE}: {after[EXPIRE]}（変更なし）", ""]
    rows = _sentence_rows(sentences(old.body), sentences(new.body))
    if rows:
        lines += ["本文の変更（変わった文と、その前後の文）:", "", "| | 文 |", "| --- | --- |", *rows, ""]
    if not changed and not rows:
        lines += ["（書き方だけの変更で、表示される文は変わりません）", ""]
    return lines


def sentences(body: str) -> list[str]:
    """The body's text cut into sentences: Japanese paragraphs are long, sentences are not."""
    return [part for line in body_lines(body) for part in _SENTENCE_END.split(line) if part.strip()]


def _sentence_rows(old: list[str], new: list[str]) -> list[str]:
    rows: list[str] = []
    groups = list(difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(1))
    for number, group in enumerate(groups):
        if number:
            rows.append("| | … |")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [f"| （変更なし） | {escape(text)} |" for text in old[i1:i2]]
                continue
            pairs = max(i2 - i1, j2 - j1)
            olds, news = old[i1:i2] + [""] * pairs, new[j1:j2] + [""] * pairs
            marks = [marked(a, b) for a, b in zip(olds[:pairs], news[:pairs], strict=True)]
            rows += [f"| 変更前 | {a} |" for a, _ in marks if a]
            rows += [f"| 変更後 | {b} |" for _, b in marks if b]
    if len(rows) > MAX_DIFF_ROWS:
        rest = len(rows) - MAX_DIFF_ROWS
        rows = rows[:MAX_DIFF_ROWS] + [f"| | ほか {rest} 行（全体は「Files changed」で見てください） |"]
    return rows


def marked(old: str, new: str) -> tuple[str, str]:
    """Both texts escaped, what only the old one has struck through (<del>) and what only the
    new one has in bold: a changed date or number stands out in a long sentence."""
    before, after = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            before.append(escape(old[i1:i2]))
            after.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            before.append(f"<del>{escape(old[i1:i2])}</del>")
        if j2 > j1:
            after.append(f"<b>{escape(new[j1:j2])}</b>")
    return "".join(before), "".join(after)
