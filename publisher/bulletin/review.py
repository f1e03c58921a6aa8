"""The review page of an import: each draft beside the crop of the printed page it came from,
the riskiest first, so staff proofread where the extraction most likely went wrong.

Written beside the Markdown report (reports/bulletins/YYYY-MM.html, crops in YYYY-MM/), outside
content/, never published. Pure: the record and the rendered drafts give the plan and the HTML
text; the crops are cut from the page images by crops.py. Text left out of the drafts is shown
last, beside the crop of where it was printed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from .crops import Crop, CropImage, around, no_crop_reason
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
    article = draft.article
    if not article.boxes:
        known = article.page >= 1 and (not page_count or article.page <= page_count)
        return (Crop(f"page-{article.page:02d}.png", article.page, None),) if known else ()
    return around(draft.file.removesuffix(".md"), article.boxes)


@dataclass(frozen=True)
class LeftOut:
    """Text the import left out of the drafts (lettering, a heading without text, the masthead),
    shown with the crop of where it was printed so staff can tell whether an article is missing."""

    check: Check
    crops: tuple[Crop, ...]


def left_out(record: BulletinRecord) -> list[LeftOut]:
    pdf = record.source.suffix.lower() == ".pdf"
    placed = [c for c in record.checks if c.boxes]
    return [LeftOut(c, around(f"left-out-{n:02d}", c.boxes) if pdf else ()) for n, c in enumerate(placed, 1)]


def unique_crops(entries: list[Entry], left: list[LeftOut]) -> list[Crop]:
    crops = [crop for entry in entries for crop in entry.crops] + [crop for x in left for crop in x.crops]
    return list({crop.name: crop for crop in crops}.values())


# The HTML: one file, no script, no outside host; the crops are files in the folder beside it.

CSS = (Path(__file__).parent / "review.css").read_text(encoding="utf-8")  # inlined into each page


def review_html(
    label: str,
    record: BulletinRecord,
    rendered: RenderedIssue,
    entries: list[Entry],
    left: list[LeftOut],
    made: dict[str, CropImage],
    crop_folder: str,
    draft_folder: str,
) -> str:
    """The review page; `crop_folder` is where the crops are, relative to the page;
    `draft_folder` where the drafts are, as staff see it (content/bulletins/2026-01)."""
    e = html.escape
    risky = [entry for entry in entries if entry.risky]
    rest = [entry for entry in entries if not entry.risky]
    reason = no_crop_reason(record, made, unique_crops(entries, left))
    of_drafts = {c for d in rendered.drafts for c in d.checks}
    issue_points = [c for c in rendered.checks if c not in of_drafts and not c.boxes]
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
    if left:
        parts.append(_left_out(left, made, crop_folder))
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


def _left_out(left: list[LeftOut], made: dict[str, CropImage], crop_folder: str) -> str:
    items = "".join(
        f'<li>\n<p>{x.check.page}ページ: {html.escape(check_text(x.check))}</p>\n<div class="crops">\n'
        + "".join(_figure(crop, made.get(crop.name), crop_folder, "記事にしなかった部分") for crop in x.crops)
        + "</div>\n</li>\n"
        for x in left
    )
    return (
        '<section aria-labelledby="left-out">\n'
        f'<h2 id="left-out">記事にしなかった文字（{len(left)} 件）</h2>\n'
        "<p>本文のない見出しや、ちらし・図・地図・広告の短い文字、グラフの数字、連絡先だけの枠は下書きにしていません。"
        "切り抜きを見て、記事にするべき文章があれば下書きに加えてください。</p>\n"
        f'<ol class="left-out">\n{items}</ol>\n</section>\n'
    )


def _confidence(article: Article) -> str:
    if article.confidence is None:
        return "（機械で読み取った文章）" if article.ocr else ""
    return f"（機械で読み取った文章・確かさ {article.confidence:.0f}／100）"


def _figure(crop: Crop, image: CropImage | None, folder: str, part: str = "記事の部分") -> str:
    if image is None:
        return f'<p class="reason">{crop.page}ページの画像を作れませんでした。元の PDF と見比べてください。</p>\n'
    src = html.escape(f"{folder}/{crop.name}")
    what = "ページ全体" if crop.box is None else part
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
