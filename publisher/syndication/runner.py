"""Which posts are due, and posting them exactly once with bounded, polite retries."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..content.dates import JST
from ..content.lengths import LIMITS, length
from ..content.model import Alert, Bulletin, Event, Item, News, Site
from ..content.sns_settings import Syndication
from .channel import Channel, ChannelError, Post, Posted, same_text
from .compose import PUBLISH, REMINDER, REMINDER_MARK, idempotency_key
from .ledger import FAILED, PENDING, SEEDED, SENT, Entry, Ledger

MAX_ATTEMPTS = 4  # per post per run; a post still failing waits for the next run
MAX_WAIT = 120.0  # seconds we wait for a rate limit inside one run; longer: next run
# How long a platform remembers a retry key (LINE: 24 hours). Past it, a retry could send a
# second broadcast and there is no way to look, so a person must check instead.
RETRY_KEY_LIFETIME = {"line": timedelta(hours=23)}


@dataclass(frozen=True)
class Job:
    item: Item
    channel: str
    kind: str


@dataclass(frozen=True)
class Outcome:
    item_id: str
    title: str
    channel: str
    kind: str
    status: str  # sent | failed | pending | seeded | would-post | held
    text: str
    length: int
    limit: int
    url: str
    image: str
    remote_url: str = ""
    error: str = ""


def plan(
    site: Site, settings: Syndication, ledger: Ledger, channels: tuple[str, ...]
) -> tuple[list[Job], list[Job]]:
    """(jobs to post now, jobs held back by the per-hour limit): alerts first, then oldest first."""
    due = [job for item in _postable(site) for job in _jobs(item, site.now, settings, ledger, channels)]
    due.sort(key=lambda j: (not isinstance(j.item, Alert), j.item.published_at, j.item.id, j.channel))
    budget = {c: settings.per_hour - _sent_last_hour(ledger, c, site.now) for c in channels}
    now_jobs, held = [], []
    for job in due:
        retry = ledger.get(job.item.id, job.channel, job.kind) is not None  # started before: finish it
        if isinstance(job.item, Alert) or retry or budget[job.channel] > 0:
            now_jobs.append(job)
            budget[job.channel] -= 0 if isinstance(job.item, Alert) or retry else 1
        else:
            held.append(job)
    return now_jobs, held


POSTED_KINDS = (News, Event, Alert, Bulletin)  # pages are never posted


def _postable(site: Site) -> list[Item]:
    return [i for i in site.items if isinstance(i, POSTED_KINDS) and site.visible(i)]


def _jobs(
    item: Item, now: datetime, settings: Syndication, ledger: Ledger, channels: tuple[str, ...]
) -> list[Job]:
    jobs = []
    for channel in channels:
        if channel in item.sns.skip:
            continue
        kinds = [PUBLISH] + ([REMINDER] if _reminder_due(item, now, settings, ledger, channel) else [])
        for kind in kinds:
            entry = ledger.get(item.id, channel, kind)
            if entry is None or entry.status == PENDING:
                jobs.append(Job(item, channel, kind))
    return jobs


def _reminder_due(item: Item, now: datetime, settings: Syndication, ledger: Ledger, channel: str) -> bool:
    """An event starting within `reminder_days`, announced before that window opened."""
    if not isinstance(item, Event) or not settings.reminder_days or item.start <= now:
        return False
    opens = item.start - timedelta(days=settings.reminder_days)
    announced = ledger.get(item.id, channel, PUBLISH)
    return (
        now >= opens
        and announced is not None
        and announced.status in (SENT, SEEDED)
        and datetime.fromisoformat(announced.updated_at) < opens
    )


def _sent_last_hour(ledger: Ledger, channel: str, now: datetime) -> int:
    since = now - timedelta(hours=1)
    return sum(
        1
        for e in ledger.entries.values()
        if e.channel == channel
        and e.status == SENT
        and not e.item_id.startswith("alerts/")
        and datetime.fromisoformat(e.updated_at) > since
    )


class Poster:
    """Posts jobs through their channels, recording every step in the ledger before and after."""

    def __init__(
        self,
        ledger: Ledger,
        channels: dict[str, Channel],
        now: datetime,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.ledger, self.channels, self.now, self.sleep = ledger, channels, now, sleep
        self.stalled: dict[str, str] = {}  # channel → why it posts nothing more in this run

    def post(self, job: Job, post: Post) -> Outcome:
        if job.channel in self.stalled:
            return _outcome(job, post, PENDING, error=self.stalled[job.channel])
        channel = self.channels[job.channel]
        for attempt in range(MAX_ATTEMPTS):
            entry = self.ledger.get(job.item.id, job.channel, job.kind) or _new_entry(job)
            found = self._already_posted(channel, post, entry)
            if found is not None:
                return found
            entry = self._save(replace(entry, status=PENDING, attempts=entry.attempts + 1))
            try:
                posted = channel.publish(post)
            except ChannelError as error:
                done = self._failure(job, post, entry, error, attempt)
                if done is not None:
                    return done
                continue
            except Exception as error:  # an adapter bug must not stop the other channels
                self._save(replace(entry, last_error=f"予期しないエラー（{type(error).__name__}）"))
                return _outcome(job, post, PENDING, error=f"予期しないエラー（{type(error).__name__}）")
            self._save(
                replace(
                    entry,
                    status=SENT,
                    remote_id=posted.remote_id,
                    remote_url=posted.remote_url,
                    last_error="",
                )
            )
            return _outcome(job, post, SENT, remote_url=posted.remote_url)
        return _outcome(
            job, post, PENDING, error=self.ledger.get(job.item.id, job.channel, job.kind).last_error
        )

    def _already_posted(self, channel: Channel, post: Post, entry: Entry) -> Outcome | None:
        """An entry left pending may have gone out (crash, timeout, 5xx): look before posting again."""
        if entry.status != PENDING or entry.attempts == 0:
            return None
        lifetime = RETRY_KEY_LIFETIME.get(entry.channel)
        if lifetime and self.now - datetime.fromisoformat(entry.created_at) > lifetime:
            reason = "前回の送信結果が分からず、再送すると二重になるおそれがあります。管理画面で配信されたか確かめてください"
            self._save(replace(entry, status=FAILED, last_error=reason))
            return _outcome(entry, post, FAILED, error=reason)
        try:
            found = self._this_post(channel.find_existing(post), post, entry)
        except ChannelError as error:
            return _outcome(entry, post, PENDING, error=f"投稿済みか確かめられません: {error}")
        if found is None:
            return None
        self._save(
            replace(entry, status=SENT, remote_id=found.remote_id, remote_url=found.remote_url, last_error="")
        )
        return _outcome(entry, post, SENT, remote_url=found.remote_url)

    def _this_post(self, candidates: list[Posted], post: Post, entry: Entry) -> Posted | None:
        """Which of the account's posts linking to the page is this entry's post: never one the
        ledger already holds for another entry (a reminder links to the page its announcement
        did), and one with our composed text before one that only agrees on the kind."""
        held = {
            e.remote_id
            for e in self.ledger.entries.values()
            if e.channel == entry.channel and e.remote_id and e.key != entry.key
        }
        free = [c for c in candidates if c.remote_id not in held]
        exact = [c for c in free if same_text(c.text, post.text)]
        same_kind = [c for c in free if (REMINDER_MARK in c.text) == (post.kind == REMINDER)]
        return next(iter(exact or same_kind), None)

    def _failure(
        self, job: Job, post: Post, entry: Entry, error: ChannelError, attempt: int
    ) -> Outcome | None:
        """Record a failed attempt; None means "wait and try again now"."""
        if error.blocked:  # nothing went out: the entry is as if never tried, and waits for the fix
            reason = f"アカウントの設定を確かめてください。直るまで投稿は保留されます（{error}）"
            self._save(replace(entry, attempts=entry.attempts - 1, last_error=str(error)))
            self.stalled[job.channel] = reason
            return _outcome(job, post, PENDING, error=reason)
        if error.duplicate and entry.attempts > 1:  # an earlier attempt went out after all
            return self._adopt_duplicate(self.channels[job.channel], post, entry, error)
        if not error.retryable:
            self._save(replace(entry, status=FAILED, last_error=str(error)))
            return _outcome(job, post, FAILED, error=str(error))
        wait = error.retry_after if error.retry_after is not None else 2.0**attempt
        self._save(replace(entry, last_error=str(error)))
        if wait > MAX_WAIT or attempt == MAX_ATTEMPTS - 1:
            if wait > MAX_WAIT:
                self.stalled[job.channel] = "利用制限のため次回に送ります"
            return _outcome(job, post, PENDING, error=str(error))
        self.sleep(max(wait, 0.0))
        return None

    def _adopt_duplicate(self, channel: Channel, post: Post, entry: Entry, error: ChannelError) -> Outcome:
        """The platform refused a copy of a post an earlier attempt made (its answer was lost):
        record that post, or wait for the next run if its timeline does not show it yet."""
        try:
            found = self._this_post(channel.find_existing(post), post, entry)
        except ChannelError:
            found = None
        if found is None:
            reason = (
                f"投稿済みと答えがありましたが、まだ一覧に出ていません。次の回に確かめて記録します（{error}）"
            )
            self._save(replace(entry, last_error=reason))
            return _outcome(entry, post, PENDING, error=reason)
        self._save(
            replace(entry, status=SENT, remote_id=found.remote_id, remote_url=found.remote_url, last_error="")
        )
        return _outcome(entry, post, SENT, remote_url=found.remote_url)

    def _save(self, entry: Entry) -> Entry:
        return self.ledger.put(entry, self.now.astimezone(JST).isoformat())


def seed(jobs: list[Job], ledger: Ledger, now: datetime) -> list[Entry]:
    """Record everything currently due as already posted, without posting (adopting the tool)."""
    entries = [replace(_new_entry(job), status=SEEDED) for job in jobs]
    ledger.put_many(entries, now.astimezone(JST).isoformat())
    return entries


def _new_entry(job: Job) -> Entry:
    return Entry(
        job.item.id, job.channel, job.kind, PENDING, idempotency_key(job.item.id, job.channel, job.kind)
    )


def preview(job: Job, post: Post, status: str) -> Outcome:
    return _outcome(job, post, status)


def _outcome(job: Job | Entry, post: Post, status: str, remote_url: str = "", error: str = "") -> Outcome:
    item_id = job.item.id if isinstance(job, Job) else job.item_id
    return Outcome(
        item_id,
        post.title,
        job.channel,
        job.kind,
        status,
        post.text,
        length(job.channel, post.text),
        LIMITS[job.channel],
        post.url,
        post.image_url,
        remote_url,
        error,
    )
