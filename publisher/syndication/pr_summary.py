"""The SNS part of the pull-request summary (Markdown, Japanese): the pull request's own posts
first, per channel, each with its text and the run expected to send it; the rest of the site's
queue only as a count in a collapsed block."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from ..content.config import Project
from ..content.dates import When, format_clock, format_day, format_when
from ..content.lengths import LIMITS, length
from ..content.model import Item, Site
from ..content.schema import KIND_LABELS
from ..content.sns_settings import CHANNEL_LABELS, IMAGE_LABELS, Syndication
from ..content.text_blocks import escape, quoted
from .command import ledger_path
from .compose import REMINDER, REMINDER_MARK, compose
from .forecast import PUBLISH_MINUTE, Expected, Forecast, announced, forecast
from .ledger import Ledger, LedgerError

MAX_OTHER_TITLES = 20  # titles listed in the collapsed block; the rest is a count
REMINDER_NOTE = f"開催前のお知らせ。題名の前に{REMINDER_MARK}が付きます"
NO_LEDGER = (
    "SNS 配信台帳 {path} がまだないため、SNS には何も投稿されません。情報担当者が最初に一度 "
    "publisher syndicate --seed を実行すると、それ以降に公開したものから投稿されます"
)
# Without the sns-ledger branch's record (make ledger-fetch), what went out is unknown: the copy
# on main misses later posts, so an edit of a posted item looks like a post still waiting.
UNRECORDED = (
    "**注意: 投稿の記録（sns-ledger ブランチの配信台帳）を読んでいないため、どの記事がすでに SNS に"
    "投稿済みかは分かりません。** ここでは手元の {path} を使っていますが、最近の投稿が記録されていない"
    "ことがあります。そのため、投稿済みの記事を直しただけでも、下の見込みや「ほかに投稿を待っているもの」に"
    "投稿を待っているように出ることがあります（実際には、投稿済みの記事を直しても投稿し直しません）。"
    "本当の見込みは、GitHub のプルリクエストの Summary（投稿の記録を読んでから作ります）で確かめてください。"
)
UNRECORDED_EDITS = "このプルリクエストで直したページのうち、手元の記録では投稿済みと分からないもの: {titles}"
NO_RECORD = (
    "SNS 配信台帳 {path} がなく、投稿の記録（sns-ledger ブランチ）も読んでいないため、どの記事が投稿済みかが"
    "分からず、SNS への投稿の見込みは出せません。GitHub のプルリクエストの Summary（投稿の記録を読んでから"
    "作ります）で確かめてください"
)
HEADING = "## SNS への投稿（このプルリクエストの分: のべ {count} 件）"


def pull_request_posts(
    project: Project,
    site: Site,
    items: list[Item],
    edited: list[Item],
    environ: Mapping[str, str] = os.environ,
    recorded: bool = True,
) -> list[str]:
    """The SNS part for the items a pull request makes public and those it edits (`site` is the
    one after the merge), against the ledger the publish workflow keeps (PUBLISHER_LEDGER);
    `recorded`: whether that file is the sns-ledger branch's record (commands/changes.py)."""
    settings = site.config.syndication
    path = ledger_path(project, settings, environ)
    try:
        ledger = Ledger(path)
    except LedgerError as error:
        return [HEADING.format(count="?"), "", f"> {error}。投稿の見込みは出せません。", ""]
    if not ledger.exists:  # `publisher syndicate` refuses to run without one: nothing goes out
        said = NO_LEDGER if recorded else NO_RECORD
        return [HEADING.format(count=0), "", f"> {said.format(path=path)}", ""]
    expected = forecast(site, settings, ledger, settings.channels, {item.id for item in items})
    posted = [item for item in edited if announced(ledger, item, settings.channels)]
    notes = _skipped(items, settings.channels) + _not_again(posted)
    lines = sns_section(expected, settings, project.site_url, notes)
    if recorded:
        return lines
    known = {item.id for item in posted}
    warning = _unrecorded(path, [item for item in edited if item.id not in known])
    return [lines[0], "", *warning, *lines[2:]]


def _unrecorded(path: Path, edited: list[Item]) -> list[str]:
    lines = [f"> {UNRECORDED.format(path=path)}"]
    if edited:
        titles = "、".join(f"**{escape(item.title)}**" for item in edited)
        lines += [">", f"> {UNRECORDED_EDITS.format(titles=titles)}"]
    return [*lines, ""]


def sns_section(forecast: Forecast, settings: Syndication, site_url: str, notes: list[str]) -> list[str]:
    """The pull request's posts by channel, then `notes` (lines of a list), then the rest."""
    lines = [HEADING.format(count=len(forecast.mine)), ""]
    lines += [_how_runs_work(settings.per_hour), ""]
    if not forecast.mine:
        lines += ["このプルリクエストで SNS に投稿されるものはありません。", ""]
    for channel, label in CHANNEL_LABELS.items():
        posts = [e for e in forecast.mine if e.job.channel == channel]
        if posts:
            lines += [f"### {label}", ""]
            for expected in posts:
                lines += _post_lines(expected, settings, site_url, forecast.merged_at)
    lines += ["### SNS に投稿しないもの", "", *notes, ""] if notes else []
    return lines + _others(forecast)


def _how_runs_work(per_hour: int) -> str:
    return (
        "見込みは、いま取り込んだ（マージした）場合のものです。公開の処理は取り込みの直後と毎時 "
        f"{PUBLISH_MINUTE} 分ごろに動き、SNS ごとに 1 時間に {per_hour} 件まで投稿します（緊急・安全情報は"
        "数に入らず、すぐに投稿されます）。超えた分は「頻度の上限のため次回」として、次の回から古い記事の順に投稿されます。"
    )


def _post_lines(expected: Expected, settings: Syndication, site_url: str, merged_at: datetime) -> list[str]:
    job = expected.job
    post = compose(job.item, job.channel, job.kind, settings, site_url, None)
    size = f"文字数 {length(job.channel, post.text)}/{LIMITS[job.channel]}"
    when = when_text(expected, settings.per_hour, merged_at)
    if job.kind == REMINDER:  # the announcement's text with a mark: not shown twice
        return [f"- **{escape(job.item.title)}**（{REMINDER_NOTE}）: {when}・{size}", ""]
    picture = f"画像: {IMAGE_LABELS[job.item.sns.image]}"
    head = f"- **{escape(job.item.title)}**（{KIND_LABELS[job.item.kind]}）: {when}・{size}・{picture}"
    return [head, "", *quoted(post.text.split("\n"), indent="    "), ""]  # 4 spaces: in the item everywhere


def when_text(expected: Expected, per_hour: int, now: datetime) -> str:
    """When the post goes out, as the reviewer reads it."""
    at, release = expected.at, expected.job.item.release_at
    if at is None and release and release > now:
        return f"公開予約の日時（{format_when(When(release, True))}）のあとの公開処理で投稿"
    if at is None:
        return "投稿待ちが多いため、1 週間以上あとになる見込みです"
    run = f"{format_day(at)} {format_clock(at)} ごろの公開処理で投稿"
    if expected.job.kind == REMINDER:
        return run
    if expected.first_run:
        return "取り込み（マージ）後すぐの公開処理で投稿（数分後）"
    if expected.held:
        return f"頻度の上限のため次回: {run}（1 時間に {per_hour} 件まで）"
    return f"公開予約の日時のあと、{run}"


def _skipped(items: list[Item], channels: tuple[str, ...]) -> list[str]:
    lines = []
    for item in items:
        if skipped := [CHANNEL_LABELS[c] for c in channels if c in item.sns.skip]:
            lines.append(f"- **{escape(item.title)}** は {'・'.join(skipped)} に投稿しません（sns の skip）")
    return lines


def _not_again(edited: list[Item]) -> list[str]:
    """Edits of items already posted: nothing goes out again (a correction needs a new post)."""
    return [
        f"- **{escape(item.title)}**（内容が変わるページ）は投稿済みのため、直しても SNS に投稿し直しません"
        for item in edited
    ]


def _others(forecast: Forecast) -> list[str]:
    if not forecast.others:
        return []
    items = list({job.item.id: job.item for job in forecast.others}.values())
    per_channel = Counter(job.channel for job in forecast.others)
    counts = "、".join(f"{CHANNEL_LABELS[c]} {per_channel[c]} 件" for c in CHANNEL_LABELS if per_channel[c])
    lines = [
        "<details><summary>ほかに投稿を待っているもの（このプルリクエストとは別のもの）: "
        f"{len(items)} 件、のべ {len(forecast.others)} 投稿</summary>",
        "",
        f"古いものから順に投稿されます（{counts}）。",
        "",
    ]
    lines += [f"- {escape(item.title)}（{KIND_LABELS[item.kind]}）" for item in items[:MAX_OTHER_TITLES]]
    if len(items) > MAX_OTHER_TITLES:
        lines.append(f"- ほか {len(items) - MAX_OTHER_TITLES} 件")
    return [*lines, "", "</details>", ""]
