"""The site model: frozen records for every file under content/, and publication at one `now`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .config import Category, SiteConfig
from .dates import JST, When
from .errors import ContentError
from .schema import ALERT, ALERT_LEVELS, BULLETIN, EVENT, NEWS, PAGE
from .sns_settings import SnsOptions


class Status(enum.Enum):
    PUBLISHED = "公開中"
    DRAFT = "下書き"
    SCHEDULED = "公開予約"
    EXPIRED = "掲載終了"


@dataclass(frozen=True)
class Item:
    """Fields every Markdown file has. `src` is relative to content/, `url` is a directory URL."""

    src: str
    url: str
    slug: str
    title: str
    summary: str
    body: str
    body_line: int
    categories: tuple[str, ...] = ()
    department: str = ""  # slug of a declared department ("" : the town office answers)
    image: str | None = None  # content-relative path of the lead image
    image_alt: str = ""
    date: When | None = None
    draft: bool = False
    publish_at: datetime | None = None
    expire_at: datetime | None = None
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    sns: SnsOptions = field(default_factory=SnsOptions)
    kind: str = field(default=PAGE, init=False)

    def line_of(self, key: str) -> int:
        """Line of a front-matter key, for messages; 1 when the key is absent."""
        return self.key_lines.get(key, 1)

    @property
    def id(self) -> str:
        """Stable identity: the source path without `.md` (feeds, calendars, SNS ledger)."""
        return self.src[: -len(".md")]

    @property
    def release_at(self) -> datetime | None:
        """When the item goes public: its publish_at, or else its date. A date later than the
        build is a 公開予約 too (staff who type an event's day into 掲載日 see it held back)."""
        return self.publish_at or (self.date.moment if self.date else None)

    def status(self, now: datetime) -> Status:
        if self.draft:
            return Status.DRAFT
        if self.release_at and self.release_at > now:
            return Status.SCHEDULED
        if self.expire_at and self.expire_at <= now:
            return Status.EXPIRED
        return Status.PUBLISHED

    @property
    def published_at(self) -> datetime:
        """When the item went public (its release): never later than a build that shows it."""
        return self.release_at or datetime(1970, 1, 1, tzinfo=JST)


@dataclass(frozen=True)
class Page(Item):
    order: int | None = None
    hide: tuple[str, ...] = ()
    kind: str = field(default=PAGE, init=False)


@dataclass(frozen=True)
class News(Item):
    kind: str = field(default=NEWS, init=False)


@dataclass(frozen=True)
class Bulletin(Item):
    """One issue of the paper bulletin (広報紙): bulletins/YYYY-MM/index.md; its articles are pages."""

    kind: str = field(default=BULLETIN, init=False)

    @property
    def issue(self) -> str:
        return self.src.split("/")[1]

    @property
    def issue_year(self) -> int:
        return int(self.issue[:4])

    def articles(self, pages: list[Page]) -> list[Page]:
        folder = self.src.rsplit("/", 1)[0] + "/"
        return sorted(
            (p for p in pages if p.src.startswith(folder) and p.src != self.src), key=lambda p: p.src
        )


@dataclass(frozen=True)
class Occurrence:
    """One sitting of an event. `end` is None when no end was given."""

    start: When
    end: When | None = None

    @property
    def all_day(self) -> bool:
        return not self.start.has_time

    @property
    def last_moment(self) -> datetime:
        if self.end:
            return self.end.moment + (timedelta(days=1) if not self.end.has_time else timedelta())
        return self.start.moment + (timedelta(days=1) if self.all_day else timedelta())

    def days(self) -> list[date]:
        """Every calendar day this sitting touches (a multi-day event appears on each)."""
        first = self.start.day
        last = self.end.day if self.end else first
        if self.end and self.end.has_time and self.end.moment.astimezone(JST).time() == datetime.min.time():
            last = max(first, last - timedelta(days=1))  # ends at midnight: not on the next day
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class Event(Item):
    occurrences: tuple[Occurrence, ...] = ()
    place: str = ""
    fee: str = ""
    target: str = ""
    capacity: str = ""
    apply: str = ""
    contact: str = ""
    kind: str = field(default=EVENT, init=False)

    @property
    def start(self) -> datetime:
        return self.occurrences[0].start.moment

    @property
    def end(self) -> datetime:
        return max(o.last_moment for o in self.occurrences)

    def is_upcoming(self, now: datetime) -> bool:
        return self.end > now


@dataclass(frozen=True)
class Alert(Item):
    level: str = "info"
    kind: str = field(default=ALERT, init=False)

    @property
    def level_label(self) -> str:
        return ALERT_LEVELS[self.level]


@dataclass(frozen=True)
class Site:
    """Every item read from content/, and the moment at which publication is decided."""

    config: SiteConfig
    now: datetime
    items: tuple[Item, ...]
    assets: tuple[str, ...]  # other files under content/ (images, PDFs), content-relative
    show_unpublished: bool = False  # preview (`make serve`): drafts and embargoed items shown
    warnings: tuple[ContentError, ...] = ()  # house-rule findings that do not stop the build, sorted

    def visible(self, item: Item) -> bool:
        return self.show_unpublished or item.status(self.now) is Status.PUBLISHED

    def hidden_items(self) -> list[Item]:
        return [i for i in self.items if not self.visible(i)]

    def _of_kind(self, cls) -> list:
        return [i for i in self.items if isinstance(i, cls) and self.visible(i)]

    @property
    def pages(self) -> list[Page]:
        return self._of_kind(Page)

    @property
    def news(self) -> list[News]:
        """Published news, newest first."""
        return sorted(self._of_kind(News), key=lambda n: n.published_at, reverse=True)

    @property
    def events(self) -> list[Event]:
        """Published events by start."""
        return sorted(self._of_kind(Event), key=lambda e: (e.start, e.src))

    def upcoming_events(self) -> list[Event]:
        return [e for e in self.events if e.is_upcoming(self.now)]

    def past_events(self) -> list[Event]:
        return sorted(
            (e for e in self.events if not e.is_upcoming(self.now)), key=lambda e: e.start, reverse=True
        )

    @property
    def bulletins(self) -> list[Bulletin]:
        """Published issues, newest first."""
        return sorted(self._of_kind(Bulletin), key=lambda b: b.issue, reverse=True)

    @property
    def alerts(self) -> list[Alert]:
        """Active alerts: the most severe first, then newest."""
        rank = {level: n for n, level in enumerate(ALERT_LEVELS)}
        return sorted(self._of_kind(Alert), key=lambda a: (rank[a.level], -a.published_at.timestamp()))

    def category(self, slug: str) -> Category:
        found = self.config.category(slug)
        assert found is not None, slug  # validated when the site was loaded
        return found

    def in_category(self, items: list[Item], slug: str) -> list[Item]:
        return [i for i in items if slug in i.categories]

    def by_src(self) -> dict[str, Item]:
        return {i.src: i for i in self.items}
