"""What merging a change would publish: the site at the base revision compared with the site now.

Used by the pull-request workflow to tell reviewers, in Japanese, which pages appear, change,
disappear or wait for their publication time (commands/review_summary.py writes it as
Markdown). Items are compared as records, so a change to the body or to any front-matter field
counts as an update.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

from ..content.config import Project, SiteConfig
from ..content.dates import When, format_when
from ..content.errors import ContentErrors, FieldError
from ..content.model import Item, Site, Status
from ..content.reader import load_site

RECORD_BRANCH = "origin/sns-ledger"  # where the publish workflow records its posts (Makefile: ledger-fetch)


class BaseUnavailable(Exception):
    """The base revision cannot be read (message in Japanese)."""


@dataclass(frozen=True)
class Change:
    item: Item
    url: str  # absolute URL on the live site
    note: str = ""
    before: Item | None = None  # the item at the base revision, for an updated one


@dataclass(frozen=True)
class ChangeReport:
    published: tuple[Change, ...]  # public after the merge and not before
    updated: tuple[Change, ...]  # public before and after, with different content
    withdrawn: tuple[Change, ...]  # public before, not after (deleted, draft, expired)
    scheduled: tuple[Change, ...]  # new or changed, waiting for publish_at or a future date
    drafts: tuple[Change, ...]  # new or changed drafts: not published
    base_note: str = ""  # why the base could not be compared, when it could not

    @property
    def empty(self) -> bool:
        return not (self.published or self.updated or self.withdrawn or self.scheduled or self.drafts)

    @property
    def released(self) -> list[Item]:
        """Items the merge makes public, now or at their time: the ones it posts to SNS."""
        return [change.item for change in self.published + self.scheduled]

    @property
    def edited(self) -> list[Item]:
        return [change.item for change in self.updated]


def report_against(project: Project, head: Site, revision: str) -> ChangeReport:
    """The head site compared with `revision`; everything counts as new when it cannot be read."""
    try:
        before = base_site(project.root, project.content_dir, revision, project.site, head.now)
        return compare(before, head, project.site_url)
    except BaseUnavailable as error:
        note = f"{error}。すべてのページを新しいものとして表示します。"
        return replace(compare(None, head, project.site_url), base_note=note)


def compare(base: Site | None, head: Site, site_url: str) -> ChangeReport:
    before = {item.src: item for item in base.items} if base else {}
    now = head.now
    groups: dict[str, list[Change]] = {
        k: [] for k in ("published", "updated", "withdrawn", "scheduled", "drafts")
    }
    for item in head.items:
        old = before.get(item.src)
        was_public = old is not None and old.status(now) is Status.PUBLISHED
        state = item.status(now)
        change = Change(item, urljoin(site_url, item.url))
        if state is Status.PUBLISHED:
            if not was_public:
                groups["published"].append(change)
            elif old != item:
                groups["updated"].append(replace(change, before=old))
        elif was_public:
            groups["withdrawn"].append(Change(item, change.url, state.value))
        elif old == item:
            continue
        elif state is Status.SCHEDULED:
            groups["scheduled"].append(Change(item, change.url, format_when(When(item.release_at, True))))
        elif state is Status.DRAFT:
            groups["drafts"].append(change)
    current = {item.src for item in head.items}
    for src, old in before.items():
        if src not in current and old.status(now) is Status.PUBLISHED:
            groups["withdrawn"].append(Change(old, urljoin(site_url, old.url), "ファイルを削除"))
    return ChangeReport(**{k: tuple(sorted(v, key=lambda c: c.item.src)) for k, v in groups.items()})


def base_site(root: Path, content_dir: Path, revision: str, config: SiteConfig, now: datetime) -> Site | None:
    """The site as it is at `revision` of the git repository holding `root`; None when the
    content folder did not exist there yet."""
    folder = content_dir.resolve().relative_to(_git_top(root)).as_posix()
    done = subprocess.run(
        ["git", "archive", "--format=tar", revision, "--", folder], cwd=root, capture_output=True
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        if "did not match any files" in message:
            return None
        raise BaseUnavailable(f"比較元 {revision} を読めません: {message}")
    with tempfile.TemporaryDirectory() as temp:
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
            archive.extractall(temp, filter="data")
        try:
            return load_site(Path(temp) / folder, config, now)
        except (ContentErrors, FieldError) as error:
            raise BaseUnavailable(f"比較元 {revision} のコンテンツに問題があり、比較できません") from error


def is_recorded_ledger(ledger: Path) -> bool:
    """Whether `ledger` is the record of posts the publish workflow keeps on the sns-ledger branch,
    as `make ledger-fetch` puts it in place. A clone that has not fetched it (a practice clone, or
    the town's first day) has only the starting copy on main, which misses the later posts."""
    try:
        top = _git_top(ledger.parent)
        name = ledger.resolve().relative_to(top).as_posix()
        kept = ledger.read_bytes()
    except (BaseUnavailable, ValueError, OSError):
        return False
    done = subprocess.run(["git", "show", f"{RECORD_BRANCH}:{name}"], cwd=top, capture_output=True)
    return done.returncode == 0 and done.stdout == kept


def _git_top(root: Path) -> Path:
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise BaseUnavailable(f"{root} は git のリポジトリではありません")
    return Path(done.stdout.strip()).resolve()
