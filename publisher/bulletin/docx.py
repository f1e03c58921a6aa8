"""Word (.docx) bulletin drafts → BulletinRecord, with python-docx.

Articles start at headings: Word heading styles, short paragraphs marked ◆ ■ ●, or short
paragraphs whose text is all bold and larger than the body text. Labelled notice lines
(と　き / ところ / …) become Notice records and are left out of the blocks: the renderer
writes them once, in a fixed order. As in the PDF reader, a ▲ line under a picture is its
caption, a picture before the first heading (the cover photo) is left out with a check, and a
one-cell table (how Word drafts draw a box around an article) is read as the text inside it.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from PIL import Image

from .drafts import Draft, add_field, add_rows, is_notice_table
from .labels import split_label
from .records import Article, BulletinRecord, Check, ListBlock, Paragraph, Picture, Table
from .text import HEADING_MARKS, plausible_title

HEADING_MAX = 40  # a marked or bold line longer than this, or ending in 。, is body text
BULLETS = "・･"
CAPTION_MARKS = "▲△"


def extract_docx(path: Path, work_dir: Path | None = None) -> BulletinRecord:
    """Read a .docx bulletin; pictures are written to `work_dir` (a new temporary folder when None)."""
    import docx  # optional dependency: only bulletin imports need it

    _refuse_hostile_package(path)
    document = docx.Document(str(path))
    folder = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="bulletin-docx-"))
    folder.mkdir(parents=True, exist_ok=True)  # as extract_pdf does
    reader = _Reader(document, folder, _body_size(document))
    for element in document.iter_inner_content():
        reader.element(element)
    # docProps may be stale (python-docx keeps its template's count): the page breaks are a floor.
    pages = max(_page_count(path), reader.page)
    return BulletinRecord(
        source=path, page_count=pages, articles=tuple(reader.finish()), checks=tuple(reader.issue_checks)
    )


class _Reader:
    def __init__(self, document, folder: Path, body_size: float):
        self.document, self.folder, self.body_size = document, folder, body_size
        self.drafts: list[Draft] = []
        self.issue_checks: list[Check] = []
        self.page = 1
        self.pictures = 0
        self.held: tuple[Picture, int] | None = None  # the last picture, until we know its caption

    @property
    def current(self) -> Draft:
        if not self.drafts:  # text before the first heading is kept, under a title staff can change
            check = Check(
                self.page,
                "最初の見出しより前の文章を「はじめに」という記事にしました。題名を確認してください",
            )
            self.drafts.append(Draft("はじめに", self.page, False, checks=[check]))
        return self.drafts[-1]

    def element(self, element) -> None:
        from docx.table import Table as DocxTable

        if isinstance(element, DocxTable) and len(element.rows) == len(element.columns) == 1:
            self.box(element)
            return  # the elements inside count their own page breaks
        if not self._caption(element) and not _blank(element):
            self._release()
            if isinstance(element, DocxTable):
                self.table(element)
            else:
                self.paragraph(element)
        self.page += len(element._element.xpath('.//w:br[@w:type="page"]'))

    def box(self, table) -> None:
        """A one-cell table is a box drawn around an article: its content is read as body."""
        for inner in table.cell(0, 0).iter_inner_content():
            self.element(inner)
        self._release()
        self._close_notice()

    def _caption(self, element) -> bool:
        """A ▲ line right under a picture is its caption (kept as a starting point for the alt text)."""
        text = getattr(element, "text", "").strip()
        if self.held is None or text[:1] not in CAPTION_MARKS:
            return False
        picture, page = self.held
        self.held = (replace(picture, caption=text[1:].strip(" \u3000")), page)
        self._release()
        return True

    def _release(self) -> None:
        """The held picture goes into the article; before the first heading it is left out, as in PDFs."""
        if self.held is None:
            return
        (picture, page), self.held = self.held, None
        if self.drafts:
            self.current.blocks.append(picture)
        else:
            caption = picture.caption or "説明なし"
            self.issue_checks.append(
                Check(page, f"{page}ページ: 見出しのない画像は記事に入れていません（{caption}）")
            )

    def paragraph(self, paragraph) -> None:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = paragraph.text.strip()
        if style == "Title" or style.startswith("Subtitle"):
            return  # the masthead: the issue title comes from the bulletin name and the issue
        if text and self._is_heading(paragraph, style, text):
            self._close_notice()
            self.drafts.append(Draft(text.lstrip(HEADING_MARKS + " \u3000"), self.page, False))
            return
        lines = [line.strip() for line in text.split("\n")]
        if text and split_label(lines[0]):
            for line in lines:
                self.notice_line(line)
        elif text:
            self._close_notice()
            self.text(paragraph, style, text)
        for picture in self._pictures(paragraph):
            self._close_notice()
            self._release()
            self.held = (picture, self.page)

    def text(self, paragraph, style: str, text: str) -> None:
        ordered = _list_kind(self.document, paragraph, style)
        if ordered is None and text[0] in BULLETS:
            ordered, text = False, text[1:].strip()
        if ordered is None:
            self.current.blocks.append(Paragraph(join_lines(text.split("\n"))))
            return
        item = join_lines(text.split("\n"))
        blocks = self.current.blocks
        if blocks and isinstance(blocks[-1], ListBlock) and blocks[-1].ordered == ordered:
            blocks[-1] = ListBlock(blocks[-1].items + (item,), ordered)
        else:
            blocks.append(ListBlock((item,), ordered))

    def notice_line(self, line: str) -> None:
        labelled = split_label(line)
        draft = self.current
        if labelled is None:  # a wrapped value: continues the last field
            if draft.notice and line and draft.notice.get("_field") not in (None, "extra"):
                name = draft.notice["_field"]
                draft.notice[name] = join_lines([draft.notice[name], line])
            return
        add_field(draft, None, *labelled)

    def table(self, table) -> None:
        self._close_notice()
        rows = [tuple(join_lines(cell.text.split("\n")) for cell in row.cells) for row in table.rows]
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        found = Table(rows[0], tuple(rows[1:]))
        if len(rows[0]) >= 2 and is_notice_table(found):  # a notice laid out as a two-column table
            add_rows(self.current, found)
        else:
            self.current.blocks.append(found)

    def _close_notice(self) -> None:
        if self.drafts:
            self.drafts[-1].notice = None

    def _is_heading(self, paragraph, style: str, text: str) -> bool:
        if style.startswith(("Heading", "見出し")):
            return True
        short = len(text) <= HEADING_MAX and not text.endswith("。") and "\n" not in text
        if not plausible_title(text):
            return False
        if text[0] in HEADING_MARKS:
            return short and len(text) > 1
        runs = [run for run in paragraph.runs if run.text.strip()]
        return (
            short
            and bool(runs)
            and all(
                _bold(run, paragraph) and _size(run, paragraph, self.body_size) >= self.body_size * 1.2
                for run in runs
            )
        )

    def _pictures(self, paragraph) -> list[Picture]:
        pictures = []
        for blip in paragraph._p.xpath(".//a:blip/@r:embed"):
            part = paragraph.part.related_parts[blip]
            self.pictures += 1
            suffix = Path(part.partname).suffix.lower().replace(".jpeg", ".jpg")
            target = self.folder / f"docx-{self.pictures:02d}{suffix}"
            target.write_bytes(part.blob)
            try:
                with Image.open(target) as image:
                    width, height = image.size
            except (OSError, ValueError):  # EMF/WMF drawings: Pillow reads neither
                self.current.checks.append(
                    Check(
                        self.page,
                        f"画像（{suffix.lstrip('.').upper()}）を読み取れませんでした。"
                        "元のファイルから JPEG か PNG で書き出して記事に追加してください",
                    )
                )
                continue
            pictures.append(Picture(target, width, height))
        return pictures

    def finish(self) -> list[Article]:
        self._release()
        self._close_notice()
        return [draft.article() for draft in self.drafts]


class UnsafeDocx(ValueError):
    """A .docx that would exhaust memory (a zip bomb) or that declares XML entities."""


MAX_UNPACKED = 200_000_000  # bytes: a 40-page Word bulletin with photos unpacks to about 30 MB


def _refuse_hostile_package(path: Path) -> None:
    """Before python-docx inflates anything: the sizes the zip declares, and no DTD in any XML part
    (Word never writes one; entities are how "billion laughs" files multiply themselves)."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
            unpacked = sum(part.file_size for part in parts)
            if unpacked > MAX_UNPACKED:
                raise UnsafeDocx(
                    f"展開すると {unpacked / 1e6:,.0f} MB になります（{MAX_UNPACKED // 1_000_000} MB まで）"
                )
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    with package.open(part) as stream:  # the prolog, where a DTD must stand
                        if b"<!DOCTYPE" in stream.read(65536).upper():
                            raise UnsafeDocx("XML に文書型宣言（DOCTYPE）が含まれています")
    except zipfile.BadZipFile:
        raise UnsafeDocx("Word のファイル（zip 形式）として読めません") from None


def _blank(element) -> bool:
    """An empty paragraph (a spacer, or one holding only a page break) changes nothing."""
    return hasattr(element, "text") and not element.text.strip() and not element._p.xpath(".//a:blip")


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph: joined without a space, except between two Latin words."""
    joined = ""
    for line in (line.strip() for line in lines):
        if (
            joined
            and line
            and joined[-1].isascii()
            and joined[-1].isalnum()
            and line[0].isascii()
            and line[0].isalnum()
        ):
            joined += " "
        joined += line
    return joined


def _list_kind(document, paragraph, style: str) -> bool | None:
    """True for a numbered paragraph, False for a bulleted one, None for body text."""
    if style.startswith("List Number"):
        return True
    if style.startswith(("List Bullet", "List Paragraph")) and not paragraph._p.xpath("./w:pPr/w:numPr"):
        return False if style.startswith("List Bullet") else None
    num_id = paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    if not num_id:
        return False if style.startswith("List Bullet") else None
    level = (paragraph._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val") or ["0"])[0]
    return _numbering_format(document, num_id[0], level) not in ("bullet", "none", "")


def _numbering_format(document, num_id: str, level: str) -> str:
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return ""
    abstract = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
    if not abstract:
        return ""
    found = numbering.xpath(
        f'./w:abstractNum[@w:abstractNumId="{abstract[0]}"]/w:lvl[@w:ilvl="{level}"]/w:numFmt/@w:val'
    )
    return found[0] if found else ""


def _bold(run, paragraph) -> bool:
    if run.bold is not None:
        return run.bold
    return bool(paragraph.style is not None and paragraph.style.font.bold)


def _size(run, paragraph, default: float) -> float:
    size = run.font.size or (paragraph.style.font.size if paragraph.style is not None else None)
    return size.pt if size else default


def _body_size(document) -> float:
    size = document.styles["Normal"].font.size
    return size.pt if size else 10.5  # Word's default for Japanese documents


def _page_count(path: Path) -> int:
    """Pages as Word last counted them (docProps/app.xml); 0 when unknown."""
    try:
        with zipfile.ZipFile(path) as archive:
            app = archive.read("docProps/app.xml").decode("utf-8")
    except (KeyError, OSError, zipfile.BadZipFile):
        return 0
    match = re.search(r"<Pages>(\d+)</Pages>", app)
    return int(match.group(1)) if match else 0
