"""BulletinRecord → the files of one issue: index, article drafts, images, PDF, event drafts.

Pure: everything is computed as (path, bytes) first, so the importer can compare with what
is on disk before writing anything, and the same record always gives the same bytes.

Images get no alt text: `![](img-01.jpg)` under a visible TODO comment. `publisher check`
reports an empty alt as an error, so the issue cannot be built until a person describes
every picture; a placeholder alt would pass the check and be read aloud to residents.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageOps

from ..content.frontmatter import CONTROL
from ..content.frontmatter import dump_front_matter as front_matter
from ..content.house_rules import PLATFORM_CHARS
from .layout import compact
from .notices import EventDraft, event_doubts, issue_year_month, notice_to_event, with_printed_day
from .records import (
    RISK_NOTICE,
    RISK_OTHER,
    Article,
    BulletinRecord,
    Check,
    Link,
    ListBlock,
    Notice,
    Paragraph,
    Picture,
    Subheading,
    Table,
)

DEFAULT_NAME = "広報かんら"
OCR_NOTE = "> このページの文章は紙の広報紙を機械で読み取ったものです。誤りが含まれる場合があります。"
TODO_ALT = (
    "<!-- TODO: 画像の説明（代替テキスト）を ![ ] の [ ] の中に書いてください"
    "（例: ![雪灯籠が並ぶ楽山園の庭園]({src})）。書いたらこの行を消してください -->"
)
# On the web a notice's labels are words, not the 均等割り of print (と　き spaced to fill a cell).
NOTICE_LABELS = (
    ("when", "日時"),
    ("place", "場所"),
    ("content", "内容"),
    ("target", "対象"),
    ("capacity", "定員"),
    ("fee", "費用"),
    ("apply", "申込み"),
    ("contact", "問合せ"),
)
INDEX_NOTE = (
    "<!-- この号の記事の一覧は、サイトを作るときに公開中の記事から自動で作られます。"
    "記事は 1 件ずつ draft: true を消して公開できます -->"
)
EXTRA_LABELS = {"bring": "持ち物", "teacher": "講師"}
EVENT_FIELDS = ("place", "fee", "target", "capacity", "apply", "contact")
_SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


@dataclass(frozen=True)
class Output:
    path: Path
    data: bytes


@dataclass(frozen=True)
class ArticleDraft:
    """One article's draft as the review page shows it: its file, pictures and what to check."""

    file: str  # the draft's file name in the issue folder
    article: Article
    pictures: tuple[str, ...]  # file names of its pictures, in block order
    checks: tuple[Check, ...]  # its own and those of the events made from its notices
    events: tuple[tuple[Path, EventDraft], ...]


@dataclass(frozen=True)
class RenderedIssue:
    files: tuple[Output, ...]
    articles: tuple[tuple[str, str], ...]  # (file name, title)
    events: tuple[tuple[Path, EventDraft], ...]  # start "" when the date needs a person
    checks: tuple[Check, ...]
    images: int  # pictures waiting for alt text
    drafts: tuple[ArticleDraft, ...] = ()  # per article, in the issue's order


def issue_label(issue: str, name: str = DEFAULT_NAME) -> str:
    year, month = issue_year_month(issue)
    return f"{name} {year}年{month}月号"


def render_issue(
    record: BulletinRecord,
    issue: str,
    out_dir: Path,
    events_dir: Path,
    *,
    category: str,
    name: str = DEFAULT_NAME,
) -> RenderedIssue:
    """Every file of the issue, in a fixed order; checks sorted by page."""
    label, date = issue_label(issue, name), f"{issue}-01"
    files: list[Output] = []
    checks = list(record.checks)
    pictures = _picture_names(record)
    listed = []
    for number, article in enumerate(record.articles, start=1):
        file_name = f"{number:02d}-{article_slug(article.title)}.md"
        files.append(Output(out_dir / file_name, _article(article, date, pictures).encode()))
        files += [Output(out_dir / pictures[id(p)][0], pictures[id(p)][1]) for p in _pictures(article)]
        listed.append((file_name, article.title))
        checks += article.checks
    events = _events(record, issue, date, events_dir, category, label)
    files += [Output(event.path, event.text.encode()) for event in events if event.path]
    checks += [check for event in events for check in event.checks]
    index, index_checks = _index(record, issue, label, date, out_dir)
    drafts = tuple(
        ArticleDraft(
            file,
            article,
            tuple(pictures[id(p)][0] for p in _pictures(article)),
            article.checks + tuple(c for e in events if e.article == n for c in e.checks),
            tuple((e.path, e.draft) for e in events if e.article == n and e.path),
        )
        for n, (article, (file, _)) in enumerate(zip(record.articles, listed, strict=True))
    )
    return RenderedIssue(
        tuple(index + files),
        tuple(listed),
        tuple((e.path, e.draft) for e in events if e.path),
        tuple(sorted(checks + index_checks, key=lambda c: c.page)),
        len(pictures),
        drafts,
    )


def check_text(check: Check) -> str:
    """The message without a page prefix it may repeat (「3ページ: 」): the page is shown beside it."""
    return check.message.removeprefix(f"{check.page}ページ: ").removeprefix(f"{check.page}ページ：")


def article_slug(title: str) -> str:
    """An ASCII slug from an ASCII title; `article` for Japanese ones (the number makes it unique)."""
    plain = unicodedata.normalize("NFKC", title).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug if plain.isascii() and slug else "article"


def summary_of(article: Article) -> str:
    """The first sentence of the first paragraph (the title when there is no text)."""
    text = next((clean(b.text) for b in article.blocks if isinstance(b, Paragraph) and b.text.strip()), "")
    sentence = text.split("。")[0] + "。" if "。" in text else text
    return _shorten(sentence or clean(article.title), 120)


def clean(text: str) -> str:
    """機種依存文字 and half-width kana replaced as the house rules ask (㈰ → （日））; control
    characters (a PDF's form feed, Word's vertical tab) become spaces, as the check refuses them."""
    text = CONTROL.sub(" ", text)
    text = re.sub(r"[\uff61-\uff9f]+", lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return "".join(_platform(char) for char in text)


def _platform(char: str) -> str:
    plain = PLATFORM_CHARS.get(char)
    return char if plain is None else plain.replace("(", "（").replace(")", "）")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _picture_names(record: BulletinRecord) -> dict[int, tuple[str, bytes]]:
    """img-01.jpg, img-02.png … in reading order, with metadata-free bytes."""
    names = {}
    for picture in (p for article in record.articles for p in _pictures(article)):
        data, suffix = image_bytes(picture.path)
        names[id(picture)] = (f"img-{len(names) + 1:02d}{suffix}", data)
    return names


def _pictures(article: Article) -> list[Picture]:
    return [block for block in article.blocks if isinstance(block, Picture)]


def image_bytes(path: Path, *, jpeg: bool = False) -> tuple[bytes, str]:
    """(bytes, suffix) to publish: the file itself when it carries no metadata, else its pixels
    re-encoded upright without EXIF (camera, GPS). `jpeg` converts whatever it is to JPEG."""
    with Image.open(path) as image:
        kind = image.format or ""
        has_meta = bool(image.getexif()) or any(
            k in image.info for k in ("exif", "xmp", "XML:com.adobe.xmp", "comment")
        )
        if kind in _SUFFIX and not has_meta and not (jpeg and kind != "JPEG"):
            return path.read_bytes(), _SUFFIX[kind]
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if jpeg or kind == "JPEG":
            upright.convert("RGB").save(out, "JPEG", quality=90, icc_profile=image.info.get("icc_profile"))
            return out.getvalue(), ".jpg"
        upright.save(out, "PNG", optimize=True)
        return out.getvalue(), ".png"


def _article(article: Article, date: str, pictures: dict[int, tuple[str, bytes]]) -> str:
    meta = [
        ("title", clean(article.title)),
        ("date", date),
        ("draft", True),
        ("summary", summary_of(article)),
    ]
    parts = [OCR_NOTE] if article.ocr else []
    parts += [_block(block, pictures) for block in article.blocks]
    parts += [_notice(notice) for notice in article.notices if notice not in article.blocks]
    return front_matter(meta) + "\n" + "\n\n".join(p for p in parts if p) + "\n"


def _block(block, pictures: dict[int, tuple[str, bytes]]) -> str:
    if isinstance(block, Paragraph):
        return _escape(clean(block.text))
    if isinstance(block, Subheading):
        return f"## {_escape(clean(block.text))}"
    if isinstance(block, ListBlock):
        return "\n".join(
            f"{f'{n}.' if block.ordered else '-'} {_escape(clean(item), True)}"
            for n, item in enumerate(block.items, start=1)
        )
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Notice):  # shown where it was printed
        return _notice(block)
    if isinstance(block, Link):  # a QR code on paper: on the web, the address it holds
        return f"QRコードのリンク: <{block.url}>"
    if isinstance(block, Picture):
        src = pictures[id(block)][0]
        caption = clean(block.caption).strip()
        hint = f" 紙面の写真説明「{caption}」も参考にしてください。" if caption else ""
        todo = TODO_ALT.format(src=src).replace(" -->", f"{hint} -->")
        return f"{todo}\n![]({src})" + (
            f"\n{_escape(caption)}" if caption else ""
        )  # the printed caption stays visible
    raise TypeError(f"unknown block {block!r}")


def _table(table: Table) -> str:
    width = max([len(table.header)] + [len(row) for row in table.rows])

    def row(cells) -> str:
        cells = [_escape(clean(c), True).replace("|", "\\|").replace("\n", " ") for c in cells]
        return "| " + " | ".join(cells + [""] * (width - len(cells))) + " |"

    return "\n".join([row(table.header), "| " + " | ".join(["---"] * width) + " |", *map(row, table.rows)])


def notice_rows(notice: Notice) -> list[tuple[str, str]]:
    """(label, value) of each line of a notice, as the draft shows them."""
    rows = [(label, getattr(notice, name)) for name, label in NOTICE_LABELS if getattr(notice, name).strip()]
    return rows + [(EXTRA_LABELS.get(n, n), v) for n, v in getattr(notice, "extra", ()) if v.strip()]


def _notice(notice: Notice) -> str:
    """A notice as a list under one another; a comment keeps two notices from merging into one list."""
    lines = [f"- {label}：{_escape(clean(value), True)}" for label, value in notice_rows(notice)]
    return "<!-- 催しの案内 -->\n" + "\n".join(lines) if lines else ""


def _escape(text: str, inline: bool = False) -> str:
    """Printed text stays text: Markdown punctuation escaped, block markers at the start too."""
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
    if not inline:
        text = re.sub(r"^(\s*)([#>+\-=]|\d+[.)])", r"\1\\\2", text)
    return text


@dataclass(frozen=True)
class _Event:
    path: Path | None  # None: no draft is written (the notice has no date a person confirmed)
    draft: EventDraft | None
    text: str
    checks: tuple[Check, ...]
    article: int  # index of the article whose notice it is


def _item_names(article: Article) -> dict[int, str]:
    """Notices printed under a subheading of their own (the items of 今後の予定) are named by it."""
    names, item = {}, ""
    for block in article.blocks:
        if isinstance(block, Subheading):
            item = clean(block.text) if compact(block.text) != compact(article.title) else ""
        elif isinstance(block, Notice) and item:
            names[id(block)] = item
    return names


def _events(
    record: BulletinRecord, issue: str, date: str, events_dir: Path, category: str, label: str
) -> list[_Event]:
    found: list[_Event] = []
    for number, article in enumerate(record.articles):
        items = _item_names(article)
        for k, notice in enumerate(article.notices, start=1):
            title = (
                clean(article.title)
                if len(article.notices) == 1
                else items.get(id(notice)) or f"{clean(article.title)}（{clean(notice.content) or k}）"
            )
            texts = [article.title] + [b.text for b in article.blocks if isinstance(b, Paragraph)]
            draft = notice_to_event(with_printed_day(notice, texts), issue, title=title, page=article.page)
            if isinstance(draft, Check):  # no event without a date: the notice stays in its article
                found.append(_Event(None, None, "", (_notice_risk(draft),), number))
                continue
            checks = event_doubts(draft, article.page)
            path = events_dir / draft.start[:4] / f"{issue}-{sum(bool(e.path) for e in found) + 1:02d}.md"
            text = _event(draft, date, category, label, article)
            found.append(_Event(path, draft, text, tuple(checks), number))
    return found


def _notice_risk(check: Check) -> Check:
    """A notice whose date needs a person is a notice risk (the event draft has no start)."""
    return replace(check, risk=RISK_NOTICE) if check.risk == RISK_OTHER else check


def _event(draft: EventDraft, date: str, category: str, label: str, article: Article) -> str:
    meta = [
        ("title", draft.title),
        ("date", date),
        ("draft", True),
        ("categories", [category]),
        ("summary", clean(draft.summary) or summary_of(article)),
    ]
    if draft.dates:
        meta.append(
            ("dates", [{"start": start, **({"end": end} if end else {})} for start, end in draft.dates])
        )
    else:
        meta += [(key, value) for key, value in (("start", draft.start), ("end", draft.end)) if value]
    meta += [(name, clean(getattr(draft, name))) for name in EVENT_FIELDS if getattr(draft, name).strip()]
    source = f"<!-- {label} {article.page}ページ「{clean(article.title)}」から取り込みました。と　き（原文）: {draft.when} -->"
    body = next(
        (_escape(clean(b.text)) for b in article.blocks if isinstance(b, Paragraph)),
        _escape(clean(draft.summary)),
    )
    return front_matter(meta) + "\n" + source + "\n\n" + body + "\n"


def _index(record, issue, label, date, out_dir) -> tuple[list[Output], list[Check]]:
    """The issue page: cover, printed PDF. It names no article: the build lists the published ones,
    so each article can go out on its own while the others are still drafts."""
    files, checks, meta = [], [], [("title", label), ("date", date), ("draft", True)]
    meta.append(("summary", f"{label}を掲載しました。"))  # no article titles: those may still be drafts
    if record.cover is not None:
        data, _ = image_bytes(record.cover.path, jpeg=True)
        files.append(Output(out_dir / "cover.jpg", data))
        meta += [("image", "cover.jpg"), ("image_alt", f"{label}の表紙")]
    body = [INDEX_NOTE]
    if record.source.suffix.lower() == ".pdf":
        pdf = f"{issue}.pdf"
        data = record.source.read_bytes()
        files.append(Output(out_dir / pdf, data))
        body += ["## 印刷版", f"- [{label}（PDF {file_size(len(data))}）]({pdf})"]
    else:
        checks.append(
            Check(
                0,
                "元のファイルが PDF ではないため、印刷版 PDF へのリンクは作っていません。"
                "PDF があれば号の index.md からリンクしてください",
            )
        )
    index = Output(out_dir / "index.md", (front_matter(meta) + "\n" + "\n\n".join(body) + "\n").encode())
    return [index, *files], checks


def file_size(size: int) -> str:
    """As Japanese sites print it: 2.3MB, 456KB (1KB = 1024 bytes, at least 1KB)."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}MB"
    return f"{max(1, round(size / 1024))}KB"
