"""Read every file under content/ once into the site model; collect every problem at once."""
from __future__ import annotations

import posixpath
import re
from datetime import datetime
from pathlib import Path, PurePosixPath

from . import checks
from .config import SLUG, SiteConfig
from .dates import When, parse_time_of_day, parse_when
from .errors import ContentError, ContentErrors, FieldError
from .frontmatter import Source, SourceError, read_source
from .model import Alert, Event, Item, News, Occurrence, Page, Site
from .schema import (ALERT, ALERT_LEVEL_ALIASES, EVENT, FIELDS_BY_NAME, KIND_LABELS, NEWS, PAGE,
                     POST_FOLDERS, fields_for)
from .summary import derive_summary

IGNORED = re.compile(r"(^|/)(\.|_)|~$|\.(swp|tmp)$")
YEAR = re.compile(r"^\d{4}$")


def load_site(content_dir: Path, config: SiteConfig, now: datetime, show_unpublished: bool = False) -> Site:
    """Read and validate everything; raise ContentErrors listing every problem found."""
    errors: list[ContentError] = []
    items: list[Item] = []
    assets: list[str] = []
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(str(content_dir), 0, "コンテンツのフォルダが見つかりません")])
    for path in sorted(p for p in content_dir.rglob("*") if p.is_file()):
        src = path.relative_to(content_dir).as_posix()
        if IGNORED.search(src):
            continue
        if path.suffix.lower() == ".md":
            item = _load_item(path, src, config, errors)
            if item is not None:
                items.append(item)
        else:
            assets.append(src)
    site = Site(config, now, tuple(items), tuple(assets), show_unpublished)
    errors.extend(checks.check_site(site, content_dir))
    if errors:
        raise ContentErrors(errors)
    return site


def _load_item(path: Path, src: str, config: SiteConfig, errors: list[ContentError]) -> Item | None:
    try:
        source = read_source(path)
    except SourceError as error:
        errors.append(ContentError(src, error.line, str(error)))
        return None
    except OSError as error:
        errors.append(ContentError(src, 0, f"ファイルを読めません（{error.strerror}）"))
        return None
    kind, location_error = _kind_of(src)
    if location_error:
        errors.append(ContentError(src, 0, location_error))
        return None
    before = len(errors)
    values = _read_fields(source, src, kind, config, errors)
    if len(errors) > before:
        return None
    return _build_item(kind, src, source, values, errors)


def _kind_of(src: str) -> tuple[str, str | None]:
    """Kind from the path; a message when a post is not where the contract says."""
    parts = PurePosixPath(src).parts
    stem = PurePosixPath(src).stem
    if parts[0] not in POST_FOLDERS or len(parts) == 1:
        if not SLUG.match(stem) and stem != "index":
            return PAGE, _slug_message(stem)
        return PAGE, None
    kind, dated = POST_FOLDERS[parts[0]]
    expected = f"{parts[0]}/YYYY/名前.md（YYYY は西暦の年）" if dated else f"{parts[0]}/名前.md"
    if stem == "index":
        return kind, f"{parts[0]} の一覧ページは自動で作られるため、index.md は置けません（{KIND_LABELS[kind]}は {expected} に置きます）"
    if (dated and (len(parts) != 3 or not YEAR.match(parts[1]))) or (not dated and len(parts) != 2):
        return kind, f"{KIND_LABELS[kind]}のファイルは {expected} に置いてください"
    if not SLUG.match(stem):
        return kind, _slug_message(stem)
    return kind, None


def _slug_message(stem: str) -> str:
    return f"ファイル名「{stem}」は URL になるため、半角英小文字・数字・ハイフンだけで付けてください（例: gomi-shushu.md）"


def _read_fields(source: Source, src: str, kind: str, config: SiteConfig, errors: list[ContentError]) -> dict:
    if not source.has_front_matter:
        errors.append(ContentError(src, 1, "先頭に「---」で囲んだ設定（フロントマター）を書いてください（title など）"))
        return {}
    allowed = {spec.name for spec in fields_for(kind)}
    values: dict = {}
    for key, raw in source.meta.items():
        line = source.line_of(key)
        if key not in allowed:
            hint = "" if key not in FIELDS_BY_NAME else f"（{KIND_LABELS[kind]}では使えません）"
            errors.append(ContentError(src, line, f"「{key}」という項目はありません{hint}"))
            continue
        try:
            values[key] = _convert(FIELDS_BY_NAME[key].type, raw, config)
        except FieldError as error:
            label = FIELDS_BY_NAME[key].label
            errors.append(ContentError(src, line, f"{key}（{label}）: {error}"))
    for spec in fields_for(kind):
        if kind not in spec.required_for:
            continue
        if spec.name not in source.meta:
            errors.append(ContentError(src, 1, f"{spec.name}（{spec.label}）を書いてください"))
        elif source.meta[spec.name] in (None, "", []):
            errors.append(ContentError(src, source.line_of(spec.name), f"{spec.name}（{spec.label}）が空です"))
    return values


def _convert(type_name: str, raw, config: SiteConfig):
    if raw is None:
        return None
    if type_name == "text":
        if isinstance(raw, (dict, list)):
            raise FieldError("文章で書いてください")
        return str(raw).strip()
    if type_name == "when":
        return parse_when(raw)
    if type_name == "bool":
        if not isinstance(raw, bool):
            raise FieldError(f"「{raw}」ではなく true か false で書いてください")
        return raw
    if type_name == "int":
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise FieldError(f"「{raw}」ではなく半角数字で書いてください")
        return raw
    if type_name == "categories":
        return _categories(raw, config)
    if type_name == "path":
        if not isinstance(raw, str) or not raw.strip():
            raise FieldError("ファイルの場所を書いてください")
        return raw.strip()
    if type_name == "level":
        level = ALERT_LEVEL_ALIASES.get(str(raw).strip())
        if level is None:
            raise FieldError(f"「{raw}」は使えません。emergency（緊急）・warning（注意）・info（お知らせ）のどれかを書いてください")
        return level
    if type_name == "end":
        return parse_time_of_day(raw) or parse_when(raw)
    if type_name == "dates":
        return _dates(raw)
    if type_name == "any":
        return raw
    raise AssertionError(type_name)


def _categories(raw, config: SiteConfig) -> tuple[str, ...]:
    slugs = [raw] if isinstance(raw, str) else raw
    if not isinstance(slugs, list):
        raise FieldError("分類は一覧で書いてください（例: [kurashi, kenko]）")
    result = []
    by_label = {c.label: c.slug for c in config.categories}
    for value in slugs:
        slug = by_label.get(str(value), str(value))
        if config.category(slug) is None:
            known = "、".join(f"{c.slug}（{c.label}）" for c in config.categories)
            raise FieldError(f"分類「{value}」は登録されていません。使える分類: {known}")
        result.append(slug)
    return tuple(dict.fromkeys(result))


def _dates(raw) -> tuple[Occurrence, ...]:
    if not isinstance(raw, list) or not raw:
        raise FieldError("開催日を「- start: 2027-01-10 10:00」のような一覧で書いてください")
    occurrences = []
    for number, entry in enumerate(raw, start=1):
        try:
            if isinstance(entry, dict):
                unknown = set(entry) - {"start", "end"}
                if unknown or "start" not in entry:
                    raise FieldError("各回は start（と end）で書いてください")
                start = parse_when(entry["start"])
                end = _end(start, entry.get("end"))
            else:
                start, end = parse_when(entry), None
        except FieldError as error:
            raise FieldError(f"{number}回目: {error}") from None
        occurrences.append(Occurrence(start, end))
    return tuple(sorted(occurrences, key=lambda o: o.start.moment))


def _end(start: When, raw) -> When | None:
    """`end` may be a full date-time or a bare time on the start's day; never before the start."""
    if raw is None:
        return None
    bare = parse_time_of_day(raw)
    end = When(datetime.combine(start.day, bare, start.moment.tzinfo), True) if bare else parse_when(raw)
    if end.moment < start.moment:
        raise FieldError(f"終了「{raw}」が開始より前になっています")
    return end


def _build_item(kind: str, src: str, source: Source, values: dict, errors: list[ContentError]) -> Item | None:
    path = PurePosixPath(src)
    slug = path.parent.name if path.stem == "index" else path.stem
    url = "" if src == "index.md" else (str(path.parent) + "/" if path.stem == "index" else str(path.with_suffix("")) + "/")
    common = dict(
        src=src, url=url, slug=slug, title=values["title"], body=source.body, body_line=source.body_line,
        key_lines=source.key_lines,
        summary=values.get("summary") or derive_summary(source.body),
        categories=values.get("categories") or (), image=_resolve(src, values.get("image")),
        image_alt=values.get("image_alt") or "", date=values.get("date"), draft=bool(values.get("draft")),
        publish_at=_moment(values.get("publish_at")), expire_at=_moment(values.get("expire_at")),
    )
    if kind == PAGE:
        hide = values.get("hide") or ()
        return Page(**common, order=values.get("order"), hide=tuple(hide) if isinstance(hide, list) else (str(hide),))
    if kind == NEWS:
        return News(**common)
    if kind == ALERT:
        return Alert(**common, level=values["level"])
    occurrences = _occurrences(src, source, values, errors)
    if occurrences is None:
        return None
    extra = {k: values.get(k) or "" for k in ("place", "fee", "target", "capacity", "apply", "contact")}
    return Event(**common, occurrences=occurrences, **extra)


def _occurrences(src: str, source: Source, values: dict, errors: list[ContentError]):
    if "dates" in values:
        if "start" in values or "end" in values:
            errors.append(ContentError(src, source.line_of("dates"), "dates（開催日の一覧）と start・end は一緒に使えません"))
            return None
        return values["dates"]
    if "start" not in values:
        errors.append(ContentError(src, 1, "start（開始日時）か dates（開催日の一覧）を書いてください"))
        return None
    start = values["start"]
    raw_end = source.meta.get("end")
    try:
        return (Occurrence(start, _end(start, raw_end)),)
    except FieldError as error:
        errors.append(ContentError(src, source.line_of("end"), f"end（終了日時）: {error}"))
        return None


def _moment(when: When | None) -> datetime | None:
    return when.moment if when else None


def _resolve(src: str, target: str | None) -> str | None:
    """A link target as a content-relative path (leading `/` means the content root)."""
    if not target:
        return None
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(src), target))
