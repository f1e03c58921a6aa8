"""Read every file under content/ once into the site model; collect every problem at once."""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath

from . import checks, house_rules, html_policy, limits, sns_text
from .choices import category_reader, department_reader
from .config import SLUG, SiteConfig
from .dates import When, parse_time_of_day, parse_when
from .errors import ContentError, ContentErrors, FieldError
from .event_dates import end_of, event_dates
from .files import walk_content
from .frontmatter import Source, SourceError, read_source
from .home_links import target_problems
from .model import Alert, Bulletin, Event, Item, News, Occurrence, Page, Site
from .options import Field, Problem, boolean, dotted, file_path, integer, one_of, read_fields, text
from .records import Record, RecordStore
from .schema import (
    ALERT,
    ALERT_LEVEL_ALIASES,
    ALERT_LEVELS,
    BULLETIN,
    BULLETIN_FOLDER,
    EVENT,
    FIELDS_BY_NAME,
    KIND_LABELS,
    NEWS,
    PAGE,
    POST_FOLDERS,
    fields_for,
)
from .sns_settings import SnsOptions, parse_sns
from .summary import derive_summary

SYMLINK = (
    "シンボリックリンクは使えません（content/ の外のファイルが公開されてしまうおそれがあります）。"
    "リンクを消して、公開するファイルそのものを置いてください"
)
IGNORED = re.compile(r"(^|/)\.|~$|\.(swp|tmp)$")  # hidden and editor backup files
# What MkDocs takes for Markdown, any case: only ".md" is read and checked by us (".MD" MkDocs
# copies as it is, ".markdown" it renders unchecked, a draft too).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
HIDDEN = "ほかの問題はこれを直すと表示されます"  # after a problem that stops the rest of the file's checks
YEAR = re.compile(r"^\d{4}$")
ISSUE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def load_site(
    content_dir: Path,
    config: SiteConfig,
    now: datetime,
    show_unpublished: bool = False,
    records: RecordStore | None = None,
    site_url: str = "",
) -> Site:
    """Read and validate everything; raise ContentErrors listing every problem found (warnings too)
    when any is an error. With warnings only, the site carries them in `site.warnings`.
    With `records`, files read in an earlier build with the same bytes are not parsed again;
    `site_url` (as `publisher check` passes it) measures the SNS posts custom texts make (sns_text.py)."""
    errors: list[ContentError] = []
    items: list[Item] = []
    assets: list[str] = []
    findings: dict[str, tuple] = {}  # house-rule findings by src
    failed: set[str] = set()  # Markdown files with their own problems: links to them are not "missing"
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(str(content_dir), 0, "コンテンツのフォルダが見つかりません")])
    files, links = walk_content(content_dir)
    errors.extend(ContentError(src, 0, SYMLINK) for src in links)
    for path in files:
        src = path.relative_to(content_dir).as_posix()
        if IGNORED.search(src):
            continue
        if path.suffix.lower() in MARKDOWN_SUFFIXES and path.suffix != ".md":
            errors.append(
                ContentError(
                    src,
                    0,
                    f"拡張子「{path.suffix}」のファイルは検査されずに公開されてしまいます。"
                    "拡張子を小文字の .md にしてください",
                )
            )
            continue
        if path.suffix != ".md":
            assets.append(src)
            continue
        record = _read_record(path, src, config, errors, records)
        if record is None:
            failed.add(src)
            continue
        items.append(record.item)
        errors.extend(record.warnings)
        findings[src] = record.findings
    site = Site(config, now, tuple(items), tuple(assets), show_unpublished)
    shown = shown_dir(content_dir)
    errors.extend(checks.check_site(site, shown, failed))
    errors.extend(house_rules.check_site(site, findings))
    errors.extend(sns_text.cut_custom_texts(site, site_url))
    problems = [replace(error, path=shown + error.path) for error in errors]
    published = {item.src for item in items if site.visible(item)}
    problems += target_problems(config.home, config.footer_links, published)  # named in mkdocs.yml
    if any(not problem.is_warning for problem in problems):
        raise ContentErrors(problems)
    return replace(site, warnings=tuple(sorted(problems)))


def shown_dir(content_dir: Path) -> str:
    """content/ as staff see it in the repository: relative to the folder of mkdocs.yml, e.g. `content/`.

    Every message names files this way, so `path:line` opens in an editor and GitHub
    annotations land on the repository file.
    """
    folder = content_dir.resolve()
    for root in folder.parents:
        if (root / "mkdocs.yml").is_file() or (root / "mkdocs.yaml").is_file():
            return folder.relative_to(root).as_posix() + "/"
    return folder.name + "/"


def _read_record(
    path: Path, src: str, config: SiteConfig, errors: list[ContentError], records: RecordStore | None
) -> Record | None:
    """The file's item, the warnings reading it gave and its house-rule findings; None (and its
    errors added to `errors`) when it has problems. Only files without errors are stored."""
    key = None
    if records is not None:
        try:
            key = records.key(src, path.read_bytes())
        except OSError:
            pass  # _load_item reports it
        record = records.get(key) if key else None
        if record is not None:
            return record
    found: list[ContentError] = []
    item = _load_item(path, src, config, found)
    errors.extend(found)
    if item is None:
        return None
    record = Record(item, (), tuple(house_rules.check_item(item)))
    if key and not any(not problem.is_warning for problem in found):
        records.put(key, Record(item, tuple(found), record.findings))
    return record


def _load_item(path: Path, src: str, config: SiteConfig, errors: list[ContentError]) -> Item | None:
    """Report every problem of one file; the item only when it has none."""
    try:
        source = read_source(path)
    except SourceError as error:  # nothing else of the file could be read
        errors.append(ContentError(src, error.line, f"{error}。{HIDDEN}"))
        return None
    except OSError as error:
        errors.append(ContentError(src, 1, f"ファイルを読めません（{error.strerror}）"))
        return None
    # A "key: value" typo was read as meant: it is reported, but the item is still built so the
    # checks of its body and the checks across files (template text, SNS texts, links) run too.
    errors.extend(ContentError(src, line, message) for line, message in source.typos)
    before = len(errors)
    kind, location_error = _kind_of(src)
    if location_error:
        errors.append(ContentError(src, 1, location_error))
        if kind is None:  # an index.md where a listing goes: what it was meant to be is unknown
            return None
    values = _read_fields(source, src, kind, config, errors)
    errors.extend(ContentError(src, source.line_of("expire_at"), m) for m in _never_shown(values))
    occurrences = (
        _occurrences(src, source, values, errors) if kind == EVENT and source.has_front_matter else ()
    )
    if len(errors) > before:
        return None
    item = _build_item(kind, src, source, values, occurrences)
    too_big = limits.problems(item.body)
    refused = [] if too_big else html_policy.problems(item.body)
    errors.extend(ContentError(src, item.body_line + p.line - 1, p.message) for p in too_big)
    errors.extend(
        ContentError(src, item.body_line + item.body.count("\n", 0, p.offset), p.message) for p in refused
    )
    return None if refused or too_big else item


def _kind_of(src: str) -> tuple[str | None, str | None]:
    """Kind from the path; a message when a post is not where the contract says (kind None: unknown)."""
    parts = PurePosixPath(src).parts
    stem = PurePosixPath(src).stem
    if parts[0] == BULLETIN_FOLDER and len(parts) > 1:
        return _bulletin_kind(parts, stem)
    if parts[0] not in POST_FOLDERS or len(parts) == 1:
        if not SLUG.match(stem) and stem != "index":
            return PAGE, _slug_message(stem)
        folder = next((part for part in parts[:-1] if not SLUG.match(part)), None)
        if folder is not None:  # a folder's name is part of the page's URL too
            return (
                PAGE,
                f"フォルダ名「{folder}」は URL になるため、半角英小文字・数字・ハイフンだけで付けてください（例: kanko）",
            )
        return PAGE, None
    kind, dated = POST_FOLDERS[parts[0]]
    expected = f"{parts[0]}/YYYY/名前.md（YYYY は西暦の年）" if dated else f"{parts[0]}/名前.md"
    if stem == "index":
        return (
            None,
            f"{parts[0]} の一覧ページは自動で作られるため、index.md は置けません（{KIND_LABELS[kind]}は {expected} に置きます）",
        )
    if (dated and (len(parts) != 3 or not YEAR.match(parts[1]))) or (not dated and len(parts) != 2):
        return kind, f"{KIND_LABELS[kind]}のファイルは {expected} に置いてください"
    if not SLUG.match(stem):
        return kind, _slug_message(stem)
    return kind, None


def _bulletin_kind(parts: tuple[str, ...], stem: str) -> tuple[str | None, str | None]:
    """bulletins/YYYY-MM/index.md is the issue; other files of its folder are its articles (pages)."""
    if len(parts) != 3 or not ISSUE.match(parts[1]):
        return None, f"広報紙のファイルは {BULLETIN_FOLDER}/YYYY-MM/（例: 2026-01）に置いてください"
    if stem == "index":
        return BULLETIN, None
    return PAGE, None if SLUG.match(stem) else _slug_message(stem)


def _slug_message(stem: str) -> str:
    return f"ファイル名「{stem}」は URL になるため、半角英小文字・数字・ハイフンだけで付けてください（例: gomi-shushu.md）"


def _read_fields(source: Source, src: str, kind: str, config: SiteConfig, errors: list[ContentError]) -> dict:
    if not source.has_front_matter:
        errors.append(
            ContentError(src, 1, "先頭に「---」で囲んだ設定（フロントマター）を書いてください（title など）")
        )
        return {}
    allowed = fields_for(kind)
    elsewhere = {key for key in source.meta if key in FIELDS_BY_NAME and FIELDS_BY_NAME[key] not in allowed}
    for key in elsewhere:
        label = FIELDS_BY_NAME[key].label
        errors.append(
            ContentError(src, source.line_of(key), f"「{key}」（{label}）は{KIND_LABELS[kind]}では使えません")
        )
    meta = {key: value for key, value in source.meta.items() if key not in elsewhere}
    values, problems = read_fields(_front_matter(kind, config), meta)
    errors.extend(ContentError(src, source.line_of(str(p.at[0])), _said(p)) for p in problems)
    return values


def _said(problem: Problem) -> str:
    """A problem as staff read it: `date（掲載日）: …`, `「titel」という項目はありません…`."""
    key, *inside = problem.at
    spec = FIELDS_BY_NAME.get(str(key))
    place = f"{key}（{spec.label}）" if spec else f"「{key}」"
    return problem.said_after(place + (f": {dotted(tuple(inside))}" if inside else ""))


@lru_cache(maxsize=16)
def _front_matter(kind: str, config: SiteConfig) -> tuple[Field, ...]:
    """The fields of one kind of file, each with the reader of its type in schema.py."""
    readers = {**_READERS, "categories": category_reader(config), "department": department_reader(config)}
    return tuple(Field(spec.name, readers[spec.type], kind in spec.required_for) for spec in fields_for(kind))


def read_field(kind: str, name: str, value, config: SiteConfig):
    """One front-matter value read as the check reads it; FieldError says what is wrong."""
    field = next(f for f in _front_matter(kind, config) if f.name == name)
    return field.read(value)


_READERS = {
    "text": text,
    "when": parse_when,
    "bool": boolean,
    "int": integer,
    "path": file_path,
    "level": one_of(ALERT_LEVELS, ALERT_LEVEL_ALIASES),
    "end": lambda raw: parse_time_of_day(raw) or parse_when(raw),
    "dates": event_dates,
    "sns": parse_sns,
    "any": lambda raw: raw,
}


def _build_item(
    kind: str, src: str, source: Source, values: dict, occurrences: tuple[Occurrence, ...]
) -> Item:
    path = PurePosixPath(src)
    slug = path.parent.name if path.stem == "index" else path.stem
    url = (
        ""
        if src == "index.md"
        else (str(path.parent) + "/" if path.stem == "index" else str(path.with_suffix("")) + "/")
    )
    common = dict(
        src=src,
        url=url,
        slug=slug,
        title=values["title"],
        body=source.body,
        body_line=source.body_line,
        key_lines=source.key_lines,
        sns=values.get("sns") or SnsOptions(),
        summary=values.get("summary") or derive_summary(source.body),
        categories=values.get("categories") or (),
        department=values.get("department") or "",
        image=_resolve(src, values.get("image")),
        image_alt=values.get("image_alt") or "",
        date=values.get("date"),
        draft=bool(values.get("draft")),
        publish_at=_moment(values.get("publish_at")),
        expire_at=_moment(values.get("expire_at")),
    )
    if kind == PAGE:
        hide = values.get("hide") or ()
        return Page(
            **common, order=values.get("order"), hide=tuple(hide) if isinstance(hide, list) else (str(hide),)
        )
    if kind == NEWS:
        return News(**common)
    if kind == BULLETIN:
        return Bulletin(**common)
    if kind == ALERT:
        return Alert(**common, level=values["level"])
    extra = {k: values.get(k) or "" for k in ("place", "fee", "target", "capacity", "apply", "contact")}
    return Event(**common, occurrences=occurrences, **extra)


def _occurrences(src: str, source: Source, values: dict, errors: list[ContentError]):
    """An event's sittings, from `dates` or from `start` and `end`; None after a problem."""
    meta = source.meta
    if meta.get("dates") is not None and (meta.get("start") is not None or meta.get("end") is not None):
        errors.append(
            ContentError(
                src, source.line_of("dates"), "dates（開催日の一覧）と start・end は一緒に使えません"
            )
        )
        return None
    if meta.get("dates") is None and meta.get("start") is None:
        errors.append(
            ContentError(
                src, source.line_of("start"), "start（開始日時）か dates（開催日の一覧）を書いてください"
            )
        )
        return None
    if (
        values.get("dates")
        or not values.get("start")
        or (meta.get("end") is not None and values.get("end") is None)
    ):
        return values.get("dates")  # an invalid start, end or dates is reported by _read_fields (as None)
    try:
        return (Occurrence(values["start"], end_of(values["start"], meta.get("end"))),)
    except FieldError as error:
        errors.append(ContentError(src, source.line_of("end"), f"end（終了日時）: {error}"))
        return None


def _never_shown(values: dict) -> list[str]:
    """An end of display before the item's date, with no publish_at: it would never be shown,
    and nobody would be told (publish_at against expire_at is checked with the fields)."""
    expire, dated = _moment(values.get("expire_at")), _moment(values.get("date"))
    if values.get("publish_at") or expire is None or dated is None or expire > dated:
        return []
    return [
        "expire_at（掲載終了）が date（掲載日）より前なので、このままでは一度も公開されません。日付を確かめてください"
    ]


def _moment(when: When | None) -> datetime | None:
    return when.moment if when else None


def _resolve(src: str, target: str | None) -> str | None:
    """A link target as a content-relative path (leading `/` means the content root)."""
    if not target:
        return None
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(src), target))
