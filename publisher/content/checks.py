"""Rules that span files: duplicates, images, alt text, and links between pages."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from datetime import timedelta
from urllib.parse import unquote

from . import placeholders, urls
from .errors import WARNING, ContentError, ContentErrors
from .model import Event, Item, Site
from .schema import KIND_LABELS, PAGE

YEAR = timedelta(days=366)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")
DRAFT_ALT = "（下書きのあいだは警告です。公開する前に必ず書いてください）"
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_SPACED_LINK = re.compile(
    r"(!?)\[[^\]]*\]\(\s*([^)\s\"'<]+\s+[^)\s\"'][^)]*?)\s*\)"
)  # a title would be quoted
_EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def check_site(site: Site, shown: str = "", failed: set[str] = frozenset()) -> list[ContentError]:
    """Problems between files. `shown` prefixes file names quoted in messages (e.g. `content/`);
    links to a file in `failed` (which has problems of its own, already reported) are not checked."""
    errors = _duplicates(site, shown) + _generated_addresses(site)
    assets = set(site.assets)
    by_src = site.by_src()
    # Listing pages the build adds, and files whose own problems are reported already.
    listings = {url + "index.md" for url in urls.fixed_listing_urls(site.config)} | set(failed)
    for item in site.items:
        errors += _lead_image(item, assets, shown)
        errors += _schedule(item) + _long_sitting(item)
        errors += placeholders.problems(item)
        errors += _body_links(item, site, assets, by_src, listings)
    return errors


def _generated_addresses(site: Site) -> list[ContentError]:
    """A page at the address of a page the build makes (search/, news/ …) would be replaced by it."""
    taken = urls.fixed_listing_urls(site.config)
    return [
        ContentError(
            item.src,
            1,
            f"この URL（/{item.url}）には自動で作られるページがあるため、このページは公開されません。"
            "ファイル名を変えてください",
        )
        for item in site.items
        if item.url in taken
    ]


def _duplicates(site: Site, shown: str) -> list[ContentError]:
    errors = []
    by_url: dict[str, list[Item]] = defaultdict(list)
    by_slug: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in site.items:
        by_url[item.url].append(item)
        if item.kind != PAGE:
            by_slug[(item.kind, item.slug)].append(item)
    for group in by_slug.values():
        for item in group[1:]:
            errors.append(
                ContentError(
                    item.src,
                    1,
                    f"名前（スラッグ）「{item.slug}」は {shown}{group[0].src} でも使われています。"
                    f"{KIND_LABELS[item.kind]}のファイル名は重ならないようにしてください",
                )
            )
    for url, group in by_url.items():
        for item in group[1:]:
            if (item.kind, item.slug) not in by_slug or len(by_slug[(item.kind, item.slug)]) < 2:
                errors.append(
                    ContentError(
                        item.src,
                        1,
                        f"{shown}{group[0].src} と同じ URL（/{url}）になります。どちらかの名前を変えてください",
                    )
                )
    return errors


def _lead_image(item: Item, assets: set[str], shown: str) -> list[ContentError]:
    if not item.image:
        if item.image_alt:
            return [
                ContentError(
                    item.src,
                    item.line_of("image_alt"),
                    "image_alt（画像の説明）がありますが image（画像）がありません",
                )
            ]
        return []
    errors = []
    line = item.line_of("image")
    if item.image not in assets:
        errors.append(ContentError(item.src, line, f"画像「{shown}{item.image}」が見つかりません"))
    elif not item.image.lower().endswith(IMAGE_SUFFIXES):
        errors.append(
            ContentError(
                item.src, line, f"「{shown}{item.image}」は画像ファイルではありません（jpg・png・webp など）"
            )
        )
    if not item.image_alt:
        errors.append(
            ContentError(
                item.src, line, "image_alt（画像の説明）を書いてください。目の不自由な方に読み上げられます"
            )
        )
    return errors


def _schedule(item: Item) -> list[ContentError]:
    if item.publish_at and item.expire_at and item.expire_at <= item.publish_at:
        return [
            ContentError(
                item.src,
                item.line_of("expire_at"),
                "expire_at（掲載終了日時）は publish_at（公開日時）より後の日時にしてください",
            )
        ]
    return []


def _long_sitting(item: Item) -> list[ContentError]:
    """An event over a year long is most likely a mistyped year (2062 for 2026): every day of it
    would get a calendar page. A warning: a long exhibition is possible."""
    if not isinstance(item, Event) or not any(
        o.end and o.end.moment - o.start.moment > YEAR for o in item.occurrences
    ):
        return []
    return [
        ContentError(
            item.src,
            item.line_of("end"),
            "開催期間が1年を超えています。終了日時の年が正しいか確かめてください",
            WARNING,
        )
    ]


def _body_links(
    item: Item, site: Site, assets: set[str], by_src: dict[str, Item], listings: set[str]
) -> list[ContentError]:
    errors = []
    for offset, line in _prose_lines(item.body):
        number = item.body_line + offset
        targets = [(m.group(1) == "!", m.group(2), m.group(3)) for m in _LINK.finditer(line)]
        targets += [(False, "", m.group(1)) for m in [_REFERENCE.match(line)] if m]
        for is_image, text, target in targets:
            message = _link_problem(item, site, is_image, text, target, assets, by_src, listings)
            if message and is_image and not text.strip() and item.draft:
                # A draft is not published: its missing description must not stop the pull
                # request that publishes another article of the same bulletin issue.
                errors.append(ContentError(item.src, number, message + DRAFT_ALT, WARNING))
            elif message:
                errors.append(ContentError(item.src, number, message))
        for spaced in _SPACED_LINK.finditer(line):  # Markdown ends the address at the space
            errors.append(
                ContentError(
                    item.src,
                    number,
                    f"{'画像' if spaced.group(1) else 'リンク先'}「{spaced.group(2)}」の名前に"
                    "空白があります。空白のない名前にするか、空白を %20 と書いてください",
                )
            )
    return errors


def _prose_lines(body: str):
    """Lines outside fenced code blocks, with their 0-based offset."""
    fenced = False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            yield offset, line


def _link_problem(item, site, is_image, text, target, assets, by_src, listings) -> str | None:
    if is_image and not text.strip():
        return f"画像「{target}」に説明（代替テキスト）がありません。![説明](画像) の形で書いてください"
    if not target or _EXTERNAL.match(target):
        return None
    path = unquote(target.split("#")[0].split("?")[0])
    resolved = _resolve(item.src, path)
    if is_image and resolved in assets and not path.lower().endswith(IMAGE_SUFFIXES):
        return f"画像「{target}」はホームページで表示できない形式です。JPEG か PNG で保存し直してください"
    if resolved in assets or resolved in listings:
        return None
    if path.endswith(".md"):
        linked = by_src.get(resolved)
        if linked is None:
            return f"リンク先「{target}」のページが見つかりません"
        if site.visible(item) and not site.visible(linked):
            return f"リンク先「{target}」は{linked.status(site.now).value}のため公開されていません"
        return None
    if not posixpath.splitext(path)[1]:
        return f"リンク先「{target}」: ページへのリンクは .md ファイルの場所で書いてください（例: ../kurashi/gomi.md）"
    return f"{'画像' if is_image else 'リンク先'}「{target}」が見つかりません"


def _resolve(src: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/")) if target.strip("/") else ""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src), target))


def image_users(site: Site, src: str, message: str, shown: str = "") -> list[ContentError]:
    """`message` about the image `src`, once for each place that shows it (lead image or body),
    so a broken picture is reported where staff can act: the Markdown file and line."""
    found = []
    for item in site.items:
        if item.image == src:  # already content-relative
            found.append(ContentError(shown + item.src, item.line_of("image"), message))
        found += [
            ContentError(shown + item.src, item.body_line + offset, message)
            for offset, is_image, path in _local_links(item)
            if is_image and path == src
        ]
    return found


def image_problems(site: Site, src: str, message: str, shown: str = "") -> ContentErrors:
    """A broken picture as problems of the pages that show it, or of the file when none does."""
    return ContentErrors(image_users(site, src, message, shown) or [ContentError(shown + src, 0, message)])


def linked_pages(item: Item) -> set[str]:
    """Content paths of the Markdown files this item links to."""
    found = set()
    for _, line in _prose_lines(item.body):
        targets = [m.group(3) for m in _LINK.finditer(line)] + [
            m.group(1) for m in [_REFERENCE.match(line)] if m
        ]
        for target in targets:
            path = (
                unquote(target.split("#")[0].split("?")[0]) if target and not _EXTERNAL.match(target) else ""
            )
            if path.endswith(".md"):
                found.add(_resolve(item.src, path))
    return found


def referenced_assets(item: Item, assets: set[str]) -> set[str]:
    """Files under content/ that this item shows or links to (lead image, body images, PDFs)."""
    found = {item.image} if item.image else set()
    found |= {path for _, _, path in _local_links(item)}
    return found & assets


def _local_links(item: Item):
    """(line offset in the body, whether it is an image, content path) of each inline link to a
    file of the site."""
    for offset, line in _prose_lines(item.body):
        for match in _LINK.finditer(line):
            target = match.group(3)
            if target and not _EXTERNAL.match(target):
                yield (
                    offset,
                    match.group(1) == "!",
                    _resolve(item.src, unquote(target.split("#")[0].split("?")[0])),
                )
