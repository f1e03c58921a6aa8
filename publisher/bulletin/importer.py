"""`publisher bulletin import`: one issue (PDF or Word) → draft files, a report, a summary.

Nothing is lost: every file is rendered first and compared with what is on disk. A file that
exists with other content (staff may have edited it) is never overwritten without
`force`; importing the same issue again with identical output changes nothing.

The report goes to `reports/bulletins/YYYY-MM.md` beside mkdocs.yml, outside content/, so it
is never published: it names pages and files that still need a person.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..content.config import load_project
from ..content.errors import ContentErrors
from . import review
from .crops import make_crops
from .notices import EventDraft, issue_year_month
from .records import BulletinRecord, Check
from .render import DEFAULT_NAME, Output, RenderedIssue, check_text, issue_label, render_issue

OCR_MODES = ("auto", "always", "never")
REPORT_DIR = Path("reports") / "bulletins"


class BulletinError(Exception):
    """An import that cannot go ahead; the message is for staff, in Japanese."""


@dataclass(frozen=True)
class ImportReport:
    issue: str
    label: str
    source: Path
    page_count: int
    out_dir: Path
    report_path: Path
    review_path: Path  # the HTML review page beside the report
    articles: tuple[tuple[str, str], ...]  # (file name, title)
    events: tuple[tuple[Path, EventDraft], ...]
    ocr_pages: tuple[int, ...]
    checks: tuple[Check, ...]
    images: int  # pictures waiting for alt text
    written: tuple[Path, ...]  # empty when the issue was imported before with the same result
    seconds: float

    @property
    def unchanged(self) -> bool:
        return not self.written

    def summary(self) -> str:
        """What the terminal shows after an import."""
        lines = [
            f"{self.label}: {self.source.name}（{self.page_count}ページ）を {self.seconds:.1f} 秒で読み取りました"
        ]
        if self.unchanged:
            lines.append("この号はすでに同じ内容で取り込まれています。ファイルは何も変更していません。")
        else:
            drafts = [p for p in self.written if self.report_path.parent not in p.parents]
            lines.append(f"{len(drafts)} 個のファイルを書きました（下書き: {self.out_dir}）")
        lines.append(f"記事 {len(self.articles)} 件、イベント {len(self.events)} 件、画像 {self.images} 枚")
        if self.ocr_pages:
            lines.append(f"機械で読み取ったページ（OCR）: {_pages(self.ocr_pages)}")
        if self.images:
            lines.append(
                f"画像 {self.images} 枚の説明（代替テキスト）が未記入です。書くまで publisher check はエラーになります"
            )
        lines.append(f"確認が必要な箇所: {len(self.checks)} 件")
        lines.append(f"報告: {self.report_path}")
        lines.append(
            f"確認用のページ: {self.review_path}（publisher bulletin review {self.issue} で開きます）"
        )
        return "\n".join(lines)


def import_bulletin(
    source: Path,
    issue: str,
    out_dir: Path | None,
    content_dir: Path,
    *,
    ocr: str = "auto",
    force: bool = False,
    name: str = DEFAULT_NAME,
    category: str | None = None,
    report_dir: Path | None = None,
) -> ImportReport:
    """Read `source` (.pdf or .docx), write the issue's drafts, events and report; BulletinError when it cannot."""
    began = time.perf_counter()
    if ocr not in OCR_MODES:
        raise BulletinError(f"--ocr は {' / '.join(OCR_MODES)} のどれかを指定してください")
    if not source.is_file():
        raise BulletinError(f"ファイル「{source}」が見つかりません")
    _issue(issue)  # before the slow part
    with tempfile.TemporaryDirectory(prefix="bulletin-") as work:  # rendering reads every image into bytes
        record = extract(source, ocr, Path(work))
        return import_record(
            record,
            issue,
            out_dir,
            content_dir,
            force=force,
            name=name,
            category=category,
            report_dir=report_dir,
            began=began,
        )


def import_record(
    record: BulletinRecord,
    issue: str,
    out_dir: Path | None,
    content_dir: Path,
    *,
    force: bool = False,
    name: str = DEFAULT_NAME,
    category: str | None = None,
    report_dir: Path | None = None,
    began: float | None = None,
) -> ImportReport:
    """Write what an extractor read: the writer half of import_bulletin."""
    began = time.perf_counter() if began is None else began
    _issue(issue)
    root = project_root(content_dir)
    category = _category(root, category)
    out_dir = out_dir or content_dir / "bulletins" / issue
    report_path = (report_dir or root / REPORT_DIR) / f"{issue}.md"
    label = issue_label(issue, name)
    rendered = render_issue(record, issue, out_dir, content_dir / "events", category=category, name=name)
    review_path = report_path.with_suffix(".html")
    text = report_markdown(record, rendered, label, out_dir, root, review_path)
    outputs = (
        Output(report_path, text.encode()),
        *review_outputs(record, rendered, label, review_path, out_dir, root),
    )
    written = write_files(rendered.files + outputs, force, root)
    return ImportReport(
        issue,
        label,
        record.source,
        record.page_count,
        out_dir,
        report_path,
        review_path,
        rendered.articles,
        rendered.events,
        record.ocr_pages,
        rendered.checks,
        rendered.images,
        written,
        time.perf_counter() - began,
    )


def review_outputs(
    record: BulletinRecord, rendered: RenderedIssue, label: str, review_path: Path, out_dir: Path, root: Path
) -> list[Output]:
    """The review page and, in the folder of the same name beside it, the crops it shows."""
    crop_dir = review_path.with_suffix("")
    entries, left = review.plan(record, rendered), review.left_out(record)
    made = make_crops(record.source, review.unique_crops(entries, left))
    page = review.review_html(
        label, record, rendered, entries, left, made, crop_dir.name, _shown(out_dir, root)
    )
    return [
        Output(review_path, page.encode()),
        *(Output(crop_dir / n, c.data) for n, c in sorted(made.items())),
    ]


def review_page(root: Path, issue: str) -> Path:
    """The review page of an imported issue; BulletinError naming the file when there is none."""
    _issue(issue)
    path = root / REPORT_DIR / f"{issue}.html"
    if not path.is_file():
        raise BulletinError(
            f"{issue} 号の確認用のページ（{REPORT_DIR.as_posix()}/{issue}.html）がありません。"
            f"先に publisher bulletin import ファイル --issue {issue} で取り込んでください"
        )
    return path


def _issue(issue: str) -> None:
    try:
        issue_year_month(issue)
    except ValueError as error:
        raise BulletinError(str(error)) from None


def extract(source: Path, ocr: str, work_dir: Path) -> BulletinRecord:
    """The extractor for the file's kind; optional libraries fail with an install hint."""
    suffix = source.suffix.lower()
    try:
        if suffix == ".pdf":
            from .ocr import OcrFailed, OcrUnavailable
            from .pdf import MAX_PAGES, TooManyPages, UnreadablePdf, extract_pdf

            try:
                return extract_pdf(source, ocr=ocr, workdir=work_dir)
            except (OcrUnavailable, OcrFailed) as error:
                raise BulletinError(str(error)) from None
            except TooManyPages as error:
                raise BulletinError(
                    f"「{source.name}」は {error.pages:,} ページあります。取り込めるのは {MAX_PAGES} ページまでです"
                    "（1号ずつの PDF にしてください）"
                ) from None
            except UnreadablePdf:
                raise BulletinError(
                    f"「{source.name}」は PDF として読めません（壊れているか、PDF ではありません）"
                ) from None
        if suffix == ".docx":
            from .docx import UnsafeDocx, extract_docx

            try:
                return extract_docx(source, work_dir)
            except UnsafeDocx as error:
                raise BulletinError(
                    f"「{source.name}」は安全のため読み込みませんでした（{error}）。"
                    "Word で開いて、名前を付けて保存し直したファイルを取り込んでください"
                ) from None
    except ImportError as error:
        raise BulletinError(
            f"広報紙の読み取りに必要なライブラリ「{error.name}」がありません。"
            f".venv/bin/pip install -e . を実行してください"
        ) from None
    except BulletinError:
        raise
    except Exception as error:  # a file the readers do not expect: a message, never a traceback
        raise BulletinError(
            f"「{source.name}」の読み取り中に、想定していないエラーが起きました（{type(error).__name__}: "
            f"{str(error)[:200]}）。ファイルを添えて、システムの担当者に知らせてください"
        ) from None
    raise BulletinError(
        f"「{source.name}」は読み取れません。PDF（.pdf）か Word（.docx）のファイルを指定してください"
    )


def write_files(files: tuple[Output, ...], force: bool, root: Path) -> tuple[Path, ...]:
    """Write what is new or different; refuse (changing nothing) when that would overwrite without force."""
    changed = [f for f in files if not f.path.is_file() or f.path.read_bytes() != f.data]
    existing = [f.path for f in changed if f.path.exists()]
    if existing and not force:
        listed = "\n".join(f"  {_shown(path, root)}" for path in existing)
        raise BulletinError(
            f"次のファイルはすでにあり、内容が違います。何も書き換えていません。\n{listed}\n"
            "取り込み直して上書きするには --force を付けてください（手で直した内容は失われます）"
        )
    for output in changed:
        output.path.parent.mkdir(parents=True, exist_ok=True)
        partial = output.path.with_name(f".{output.path.name}.partial")
        partial.write_bytes(output.data)
        os.replace(partial, output.path)  # never a half-written file in content/
    return tuple(output.path for output in changed)


def project_root(content_dir: Path) -> Path:
    """The folder of mkdocs.yml above content/ (content/'s parent when there is none)."""
    folder = content_dir.resolve()
    return next((p for p in folder.parents if (p / "mkdocs.yml").is_file()), folder.parent)


def _category(root: Path, chosen: str | None) -> str:
    """The event category: the one chosen, checked against the config, or the first declared."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        if chosen:
            return chosen
        raise BulletinError("mkdocs.yml が見つからないため、イベントの分類を指定してください")
    try:
        declared = [c.slug for c in load_project(config_file).site.categories]
    except ContentErrors as error:
        raise BulletinError(f"mkdocs.yml を読めません: {error.errors[0]}") from None
    if chosen and chosen not in declared:
        raise BulletinError(f"分類「{chosen}」は mkdocs.yml にありません。使える分類: {'、'.join(declared)}")
    if not declared:
        raise BulletinError("mkdocs.yml に分類（categories）がありません")
    return chosen or declared[0]


def report_markdown(
    record: BulletinRecord,
    rendered: RenderedIssue,
    label: str,
    out_dir: Path,
    root: Path,
    review_path: Path | None = None,
) -> str:
    """The migration report: what was found and every place a person must check, by page."""
    lines = [
        f"# {label} 取り込み報告",
        "",
        f"- 元のファイル: {record.source.name}（{record.page_count or '不明'}ページ）",
        f"- 記事: {len(rendered.articles)} 件（{_shown(out_dir, root)}/、すべて下書き）",
        f"- イベント: {len(rendered.events)} 件（下書き）",
        f"- 機械で読み取ったページ（OCR）: {_pages(record.ocr_pages) if record.ocr_pages else 'なし'}",
        f"- 画像: {rendered.images} 枚",
        *(
            [f"- 確認用のページ（紙面の切り抜きと読み取った文章）: {_shown(review_path, root)}"]
            if review_path
            else []
        ),
        "",
        "## 記事",
        "",
    ]
    lines += [f"- {file}: {title}" for file, title in rendered.articles] or ["（見つかりませんでした）"]
    lines += ["", "## イベント", ""]
    lines += [
        f"- {_shown(path, root)}: {draft.title}（{_span(draft)}）" for path, draft in rendered.events
    ] or ["（ありません）"]
    lines += ["", "## 確認すること", ""]
    if rendered.images:
        lines.append(
            f"- 画像 {rendered.images} 枚に説明（代替テキスト）がありません。記事の `<!-- TODO: … -->` の下の "
            "`![](img-01.jpg)` の [ ] に、写っているものを書き、TODO の行を消してください。"
            "下書きのあいだは `publisher check` の警告、`draft: true` を消して公開する記事ではエラーになります。"
        )
    if record.ocr_pages:
        lines.append("- 機械で読み取った記事は、紙面と見比べて文字の誤りを直してください。")
    lines += [f"- {f'{c.page}ページ' if c.page else '号全体'}: {check_text(c)}" for c in rendered.checks]
    lines += [
        "",
        "## 公開するには",
        "",
        "1. 記事・イベントを紙面と見比べ、題名・文章・日時を確かめる",
        "2. 上の「確認すること」をすべて済ませ、`publisher check` でエラーがないことを確かめる",
        "3. 確かめた記事から `draft: true` を消す。記事は 1 件ずつ公開でき、号のページには公開した記事だけが並ぶ",
        "4. 号の index.md の `draft: true` を消すと、号のページ（表紙と印刷版 PDF）も公開される",
    ]
    return "\n".join(lines) + "\n"


def _span(draft: EventDraft) -> str:
    if not draft.start:
        return "日付未確定"
    return f"{draft.start}〜{draft.end}" if draft.end else draft.start


def _pages(pages: tuple[int, ...]) -> str:
    return "、".join(f"{page}" for page in pages) + "ページ"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
