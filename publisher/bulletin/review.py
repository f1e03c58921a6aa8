"""The review page of an import: each draft beside the crop of the printed page it came from,
the riskiest first, so staff proofread where the extraction most likely went wrong.

Written beside the Markdown report (reports/bulletins/YYYY-MM.html, crops in YYYY-MM/), outside
content/, never published. Pure except `make_crops` (pdftoppm + Pillow): the record and the
rendered drafts give the plan and the HTML text; the crops are cut from the page images.
"""

from __future__ import annotations

import html
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .records import (
    RISK_COLUMNS,
    RISK_NOTICE,
    RISK_OCR,
    RISK_OTHER,
    RISK_PICTURE,
    RISK_TABLE,
    RISK_TITLE,
    Article,
    BulletinRecord,
    Check,
    Link,
    ListBlock,
    Paragraph,
    Picture,
    Subheading,
    Table,
)
from .render import ArticleDraft, RenderedIssue, check_text, clean, notice_rows

REVIEW_DPI = 100  # sharp enough to read body text on a PC screen, small enough for an artifact
MARGIN = 6.0  # points around an article's boxes
LOW_CONFIDENCE = 80.0  # OCR mean word confidence below which an article is read again by a person
SHORT_TITLE = 3  # characters: vertical labels and fragments, not headings
RISK_LABELS = {
    RISK_OCR: "読み取りの確かさ",
    RISK_COLUMNS: "段組みの混在",
    RISK_TITLE: "題名",
    RISK_NOTICE: "催しの案内",
    RISK_TABLE: "表",
    RISK_PICTURE: "画像",
    RISK_OTHER: "確認",
}


@dataclass(frozen=True)
class Crop:
    name: str  # PNG file name in the crop folder
    page: int  # 1-based
    box: tuple[float, float, float, float] | None  # x0, top, x1, bottom in points; None: whole page


@dataclass(frozen=True)
class CropImage:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Entry:
    """One draft on the review page."""

    number: int  # position in the issue, 1-based
    draft: ArticleDraft
    points: tuple[Check, ...]  # riskiest first
    crops: tuple[Crop, ...]

    @property
    def risky(self) -> bool:
        return bool(self.points)

    def order(self) -> tuple:
        """Riskiest first (then lowest OCR confidence); drafts without points in page order."""
        article = self.draft.article
        if not self.points:
            return (1, 0, 0.0, article.page, self.number)
        confidence = article.confidence if article.confidence is not None else 100.0
        return (0, self.points[0].risk, confidence, article.page, self.number)


def plan(record: BulletinRecord, rendered: RenderedIssue) -> list[Entry]:
    """The drafts in the order the page shows them, each with its points and crops."""
    pdf = record.source.suffix.lower() == ".pdf"
    entries = [
        Entry(n, draft, points(draft), crops_for(draft, record.page_count) if pdf else ())
        for n, draft in enumerate(rendered.drafts, start=1)
    ]
    return sorted(entries, key=Entry.order)


def points(draft: ArticleDraft) -> tuple[Check, ...]:
    """The draft's checks, and what the record shows without a check for it: low OCR confidence,
    machine-read text, a missing or very short title. Riskiest first."""
    article, found = draft.article, list(draft.checks)
    title, derived = clean(article.title).strip(), []
    if article.confidence is not None and article.confidence < LOW_CONFIDENCE:
        derived.append(
            (
                RISK_OCR,
                f"文字の読み取りの確かさが低い記事です（平均 {article.confidence:.0f}／100）。紙面を見て打ち直してください",
            )
        )
    elif article.ocr and article.confidence is None:
        derived.append((RISK_OCR, "機械で読み取った（OCR）文章です。紙面と見比べてください"))
    if title.startswith("（見出しなし"):
        derived.append((RISK_TITLE, "見出しが見つかりませんでした。紙面を見て題名を付けてください"))
    elif len(title) <= SHORT_TITLE:
        derived.append(
            (
                RISK_TITLE,
                f"題名が {len(title)} 文字しかありません。見出しの一部や、見出しではない文字（縦書きのラベルなど）かもしれません",
            )
        )
    risks = {c.risk for c in found}
    found += [Check(article.page, message, risk) for risk, message in derived if risk not in risks]
    return tuple(sorted(found, key=lambda c: c.risk))


def crops_for(draft: ArticleDraft, page_count: int) -> tuple[Crop, ...]:
    """One crop per page the article was printed on, around its boxes; the whole page of
    `article.page` when the record has no boxes (shared by the drafts of that page)."""
    article, stem = draft.article, draft.file.removesuffix(".md")
    by_page: dict[int, list] = {}
    for box in article.boxes:
        by_page.setdefault(box.page, []).append(box)
    if not by_page:
        known = article.page >= 1 and (not page_count or article.page <= page_count)
        return (Crop(f"page-{article.page:02d}.png", article.page, None),) if known else ()
    return tuple(
        Crop(
            f"{stem}-p{page:02d}.png",
            page,
            (
                min(b.x0 for b in boxes) - MARGIN,
                min(b.top for b in boxes) - MARGIN,
                max(b.x1 for b in boxes) + MARGIN,
                max(b.bottom for b in boxes) + MARGIN,
            ),
        )
        for page, boxes in by_page.items()
    )


def unique_crops(entries: list[Entry]) -> list[Crop]:
    return list({crop.name: crop for entry in entries for crop in entry.crops}.values())


def make_crops(source: Path, crops: list[Crop], dpi: int = REVIEW_DPI) -> dict[str, CropImage]:
    """Each page rendered once with pdftoppm and cut with Pillow; a page that cannot be rendered
    (no pdftoppm, a broken PDF) has no crops: the page says so."""
    made: dict[str, CropImage] = {}
    pages = sorted({c.page for c in crops})
    if not pages or not shutil.which("pdftoppm") or not _complete(source):
        return made
    with tempfile.TemporaryDirectory(prefix="bulletin-review-") as work:
        range_ = ["-f", str(pages[0]), "-l", str(pages[-1])]  # one run: fonts are looked up once
        try:
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), *range_, str(source), f"{work}/page"],
                capture_output=True,
                timeout=60 + 10 * len(pages),
            )
        except subprocess.TimeoutExpired:
            return made
        rendered = {int(p.stem.rsplit("-", 1)[1]): p for p in Path(work).glob("page-*.ppm")}
        for page in (p for p in pages if p in rendered):  # a page pdftoppm could not draw has no crops
            with Image.open(rendered[page]) as image:
                image.load()
                for crop in (c for c in crops if c.page == page):
                    made[crop.name] = _cut(image, crop.box, dpi)
    return made


def _complete(source: Path) -> bool:
    """A whole PDF: %%EOF within its last 1,024 bytes, as Acrobat requires (a cut-off file is not drawn)."""
    with source.open("rb") as file:
        file.seek(max(0, source.stat().st_size - 1024))
        return b"%%EOF" in file.read()


def _cut(image: Image.Image, box: tuple[float, float, float, float] | None, dpi: int) -> CropImage:
    if box is not None:
        scale = dpi / 72
        left, top = max(0, round(box[0] * scale)), max(0, round(box[1] * scale))
        right, bottom = min(image.width, round(box[2] * scale)), min(image.height, round(box[3] * scale))
        if right - left >= 8 and bottom - top >= 8:  # a box off the page shows the whole page
            image = image.crop((left, top, right, bottom))
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG")
    return CropImage(out.getvalue(), image.width, image.height)


def no_crop_reason(record: BulletinRecord, made: dict[str, CropImage], wanted: list[Crop]) -> str:
    """Why the page shows text without crops ("" when every crop was made)."""
    if record.source.suffix.lower() != ".pdf":
        return (
            f"元のファイルが Word（{record.source.suffix.lower()}）のため、紙面の切り抜きはありません。"
            "Word の文書と見比べてください。"
        )
    if any(c.name not in made for c in wanted):
        return (
            "紙面の一部の画像を作れませんでした（pdftoppm がないか、PDF が読めません。"
            "Debian パッケージ poppler-utils を入れてください）。元の PDF と見比べてください。"
        )
    return ""


# The HTML: one file, no script, no outside host; the crops are files in the folder beside it.

CSS = (Path(__file__).parent / "review.css").read_text(encoding="utf-8")  # inlined into each page


def review_html(
    label: str,
    record: BulletinRecord,
    rendered: RenderedIssue,
    entries: list[Entry],
    made: dict[str, CropImage],
    crop_folder: str,
    draft_folder: str,
) -> str:
    """The review page; `crop_folder` is where the crops are, relative to the page;
    `draft_folder` where the drafts are, as staff see it (content/bulletins/2026-01)."""
    e = html.escape
    risky = [entry for entry in entries if entry.risky]
    rest = [entry for entry in entries if not entry.risky]
    reason = no_crop_reason(record, made, unique_crops(entries))
    of_drafts = {c for d in rendered.drafts for c in d.checks}
    issue_points = [c for c in rendered.checks if c not in of_drafts]
    parts = [
        f'<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(label)} 取り込みの確認</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n"
        f"<h1>{e(label)} 取り込みの確認</h1>\n"
        f'<p class="lead">元のファイル: {e(record.source.name)}（{record.page_count or "不明"}ページ）。'
        f"記事 {len(entries)} 件の下書きを {e(draft_folder)}/ に作りました（すべて下書きで、まだ公開されていません）。"
        f"</p>\n<p>左の紙面の切り抜きと右の読み取った文章を見比べ、違うところを下書きのファイルで直してください。"
        f"確かめが必要な記事 {len(risky)} 件を、危ないものから先に並べています。そのあとにほかの記事をページ順に並べています。</p>\n",
        f'<p class="reason">{e(reason)}</p>\n' if reason else "",
        "</header>\n<main>\n",
        _contents(entries),
    ]
    if issue_points:
        parts.append(
            '<section aria-labelledby="issue-points">\n<h2 id="issue-points">号全体の確認事項</h2>\n'
        )
        parts.append(_points(issue_points) + "</section>\n")
    for heading, anchor, group in (
        (f"先に確かめる記事（{len(risky)} 件、危ないものから）", "risky", risky),
        (f"そのほかの記事（{len(rest)} 件、ページ順）", "rest", rest),
    ):
        if group:
            parts.append(f'<section aria-labelledby="{anchor}">\n<h2 id="{anchor}">{e(heading)}</h2>\n')
            parts += [_entry(entry, made, crop_folder, draft_folder, reason) for entry in group]
            parts.append("</section>\n")
    parts.append(
        '<section aria-labelledby="publish">\n<h2 id="publish">公開するには</h2>\n<ol>\n'
        "<li>記事ごとに紙面と見比べ、題名・文章・日時・表を直します。</li>\n"
        "<li>画像の説明（代替テキスト）を書き、<code>publisher check</code> でエラーがないことを確かめます。</li>\n"
        "<li>確かめた記事から <code>draft: true</code> の行を消します。記事は 1 件ずつ公開でき、"
        "号のページには公開した記事だけが並びます。</li>\n"
        "<li>号の <code>index.md</code> の <code>draft: true</code> を消すと、号のページ（表紙と印刷版 PDF）も公開されます。</li>\n"
        "</ol>\n</section>\n</main>\n</body>\n</html>\n"
    )
    return "".join(parts)


def _contents(entries: list[Entry]) -> str:
    """Every draft in the page's order, folded: the first screen shows the riskiest article."""
    rows = "".join(
        f'<tr><td><a href="#article-{x.number}">{html.escape(clean(x.draft.article.title))}</a></td>'
        f"<td>{x.draft.article.page}</td><td>{html.escape(x.draft.file)}</td>"
        f"<td>{'、'.join(dict.fromkeys(RISK_LABELS.get(c.risk, '確認') for c in x.points)) or 'なし'}</td></tr>\n"
        for x in entries
    )
    return (
        f'<details class="toc">\n<summary>記事の一覧（{len(entries)} 件、確かめる順）を開く</summary>\n'
        '<table>\n<thead><tr><th scope="col">題名</th><th scope="col">ページ</th>'
        f'<th scope="col">下書きのファイル</th><th scope="col">確認すること</th></tr></thead>\n<tbody>\n{rows}'
        "</tbody>\n</table>\n</details>\n"
    )


def _points(checks) -> str:
    items = "".join(
        f'<li><span class="risk risk-{c.risk}">{RISK_LABELS.get(c.risk, "確認")}</span>'
        f"{f'{c.page}ページ: ' if c.page else ''}{html.escape(check_text(c))}</li>\n"
        for c in checks
    )
    return f'<ul class="points">\n{items}</ul>\n'


def _entry(entry: Entry, made: dict[str, CropImage], crop_folder: str, draft_folder: str, reason: str) -> str:
    e, draft = html.escape, entry.draft
    article, anchor = draft.article, f"article-{entry.number}"
    figures = "".join(_figure(crop, made.get(crop.name), crop_folder) for crop in entry.crops)
    if not figures:
        figures = (
            f'<p class="reason">{e(reason or "紙面のページがわからないため、切り抜きはありません。")}</p>\n'
        )
    events = "".join(
        f"<li><code>{e('/'.join(path.parts[-4:]))}</code>: "  # content/events/2026/2026-01-07.md
        f"{e(event.start or '日付未確定')}{e('〜' + event.end if event.end else '')}</li>\n"
        for path, event in draft.events
    )
    return (
        f'<article id="{anchor}" class="{"risky" if entry.risky else "plain"}" aria-labelledby="{anchor}-title" '
        f'data-page="{article.page}" data-risk="{entry.points[0].risk if entry.points else ""}">\n'
        f'<h3 id="{anchor}-title">{e(clean(article.title))}</h3>\n'
        f'<p class="meta">下書き: <code>{e(draft_folder)}/{e(draft.file)}</code> ・ {article.page}ページ'
        f"{_confidence(article)}</p>\n"
        + (_points(entry.points) if entry.points else "")
        + f'<div class="pair">\n<div class="crops">\n{figures}</div>\n<div class="draft">\n{_body(draft)}'
        + (f"<p><strong>イベントの下書き</strong></p>\n<ul>\n{events}</ul>\n" if events else "")
        + "</div>\n</div>\n</article>\n"
    )


def _confidence(article: Article) -> str:
    if article.confidence is None:
        return "（機械で読み取った文章）" if article.ocr else ""
    return f"（機械で読み取った文章・確かさ {article.confidence:.0f}／100）"


def _figure(crop: Crop, image: CropImage | None, folder: str) -> str:
    if image is None:
        return f'<p class="reason">{crop.page}ページの画像を作れませんでした。元の PDF と見比べてください。</p>\n'
    src = html.escape(f"{folder}/{crop.name}")
    what = "ページ全体" if crop.box is None else "記事の部分"
    return (
        f'<figure>\n<a href="{src}"><img src="{src}" alt="{crop.page} ページの切り抜き" '
        f'width="{image.width}" height="{image.height}"></a>\n'
        f"<figcaption>{crop.page}ページ（{what}。画像を押すと原寸で開きます）</figcaption>\n</figure>\n"
    )


def _body(draft: ArticleDraft) -> str:
    """The draft's text as the draft shows it: paragraphs, lists, tables, pictures, notices."""
    blocks = draft.article.blocks
    notices = tuple(n for n in draft.article.notices if n not in blocks)  # the draft adds them at the end
    pictures = iter(draft.pictures)
    parts = [_block(block, pictures) for block in (*blocks, *notices)]
    return "\n".join(p for p in parts if p) + "\n" if any(parts) else "<p>（本文がありません）</p>\n"


def _block(block, pictures) -> str:
    e = html.escape
    if isinstance(block, Paragraph):
        return f"<p>{e(clean(block.text))}</p>"
    if isinstance(block, Subheading):
        return f"<h4>{e(clean(block.text))}</h4>"
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{e(clean(i))}</li>" for i in block.items) + f"</{tag}>"
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{e(clean(c))}</th>' for c in block.header)
        rows = "".join("<tr>" + "".join(f"<td>{e(clean(c))}</td>" for c in r) + "</tr>" for r in block.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, Link):
        return f"<p>QRコードのリンク: {e(block.url)}</p>"
    if isinstance(block, Picture):
        caption = clean(block.caption).strip()
        return (
            f'<p class="picture">［画像 {e(next(pictures, ""))}{f"・紙面の説明「{e(caption)}」" if caption else ""}］'
            "説明（代替テキスト）を下書きに書いてください</p>"
        )
    rows = "".join(f"<dt>{e(label)}</dt><dd>{e(clean(value))}</dd>" for label, value in notice_rows(block))
    return f"<p><strong>催しの案内</strong></p><dl>{rows}</dl>" if rows else ""
