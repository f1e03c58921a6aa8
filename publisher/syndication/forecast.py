"""When a pull request's posts would go out: the publish runs replayed on a copy of the ledger.

Nothing is posted and the ledger file is never written. The publish workflow runs right after a
merge and then at PUBLISH_MINUTE past every hour; each run posts what `runner.plan` says is due
and holds the rest back for the per-hour limit (頻度の上限). Replaying those runs with the real
planner gives each post of the pull request the run that would send it, with the rest of the
site's queue competing for the same budget exactly as it would.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..content.dates import JST
from ..content.model import Event, Item, Site
from ..content.sns_settings import Syndication
from .compose import PUBLISH
from .ledger import SEEDED, SENT, Entry, Ledger
from .runner import POSTED_KINDS, Job, plan

# .github/workflows/publish.yml runs at 5 past every hour (cron "5 * * * *"; a test compares).
PUBLISH_MINUTE = 5
MAX_RUNS = 24 * 7  # hourly runs replayed while posts wait for the limit: a week of backlog
Key = tuple[str, str, str]  # (item id, channel, kind)


@dataclass(frozen=True)
class Expected:
    """One post of the pull request and the run expected to send it."""

    job: Job
    at: datetime | None  # the run that posts it; None: not within MAX_RUNS runs
    held: bool  # waited at least one run for the per-hour limit (頻度の上限のため次回)
    first_run: bool  # goes out in the run right after the merge


@dataclass(frozen=True)
class Forecast:
    merged_at: datetime  # the moment assumed for the merge (now)
    mine: tuple[Expected, ...]  # the pull request's own posts, in posting order
    others: tuple[Job, ...]  # the rest of the site's queue at the first run (due or held)


def next_run(after: datetime) -> datetime:
    """The first hourly publish run strictly after `after`."""
    local = after.astimezone(JST).replace(second=0, microsecond=0)
    run = local.replace(minute=PUBLISH_MINUTE)
    while run <= after:
        run += timedelta(hours=1)
    return run


def forecast(
    site: Site, settings: Syndication, ledger: Ledger, channels: tuple[str, ...], mine: set[str]
) -> Forecast:
    """Replay the publish runs from `site.now` on a copy of `ledger`; `mine` are the item ids of
    the pull request (the site is the one after the merge)."""
    replay = copy.copy(ledger)
    replay.entries = dict(ledger.entries)
    start = site.now
    first_jobs, first_held = plan(site, settings, replay, channels)
    sent: dict[Key, datetime] = {}
    seen: dict[Key, Job] = {}
    held: set[Key] = set()
    wakeups = _wakeups(site.items, start, settings)
    at: datetime | None = start
    for runs_left in range(MAX_RUNS, 0, -1):
        jobs, waiting = plan(replace(site, now=at), settings, replay, channels)
        for job in jobs:
            _record_sent(replay, job, at)
        for job in (j for j in jobs if j.item.id in mine):
            sent.setdefault(_key(job), at)
            seen.setdefault(_key(job), job)
        for job in (j for j in waiting if j.item.id in mine):
            held.add(_key(job))
            seen.setdefault(_key(job), job)
        at = _next_step(at, waiting, wakeups, mine, runs_left)
        if at is None:
            break
    expected = [
        Expected(job, sent.get(key), key in held, sent.get(key) == start) for key, job in seen.items()
    ]
    expected += _later(site, channels, mine, seen)
    expected.sort(key=lambda e: (e.at is None, e.at or start, e.job.channel))
    others = tuple(job for job in first_jobs + first_held if job.item.id not in mine)
    return Forecast(start, tuple(expected), others)


def _next_step(
    at: datetime, waiting: list[Job], wakeups: list[tuple[datetime, str]], mine: set[str], runs_left: int
) -> datetime | None:
    """The next run worth replaying: the next hour while posts wait (the pull request's, or others
    that would take the budget before them), else the run after the next moment something becomes
    due (a release, a reminder window); None once nothing of the pull request can come within
    the runs left."""
    later = [(moment, item_id) for moment, item_id in wakeups if moment > at]
    mine_later = [moment for moment, item_id in later if item_id in mine]
    if any(job.item.id in mine for job in waiting):
        return next_run(at)
    if not mine_later or (waiting and mine_later[0] > at + timedelta(hours=runs_left)):
        return None
    return next_run(at) if waiting else next_run(later[0][0] - timedelta(microseconds=1))


def _later(site: Site, channels: tuple[str, ...], mine: set[str], seen: dict[Key, Job]) -> list[Expected]:
    """Announcements of the pull request's items that no replayed run reached (released later, or
    behind a queue longer than the replay)."""
    items = [i for i in site.items if i.id in mine and isinstance(i, POSTED_KINDS)]
    jobs = [Job(i, c, PUBLISH) for i in items for c in channels if c not in i.sns.skip]
    return [Expected(job, None, False, False) for job in jobs if _key(job) not in seen]


def _wakeups(items: tuple[Item, ...], start: datetime, settings: Syndication) -> list[tuple[datetime, str]]:
    """Moments after `start` when an item becomes due: its release, and an event's reminder window."""
    moments = [(i.release_at, i.id) for i in items if i.release_at and i.release_at > start]
    if settings.reminder_days:
        days = timedelta(days=settings.reminder_days)
        moments += [(e.start - days, e.id) for e in items if isinstance(e, Event) and e.start - days > start]
    return sorted(moments)


def _record_sent(ledger: Ledger, job: Job, at: datetime) -> None:
    stamp = at.astimezone(JST).isoformat()
    entry = Entry(job.item.id, job.channel, job.kind, SENT, created_at=stamp, updated_at=stamp)
    ledger.entries[entry.key] = entry


def _key(job: Job) -> Key:
    return (job.item.id, job.channel, job.kind)


def announced(ledger: Ledger, item: Item, channels: tuple[str, ...]) -> bool:
    """Whether the item's announcement already went out (or was seeded) on every channel it uses:
    editing it then posts nothing again."""
    used = [c for c in channels if c not in item.sns.skip]
    entries = [ledger.get(item.id, channel, PUBLISH) for channel in used]
    return bool(used) and all(e is not None and e.status in (SENT, SEEDED) for e in entries)
