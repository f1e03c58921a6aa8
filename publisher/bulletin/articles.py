"""Text rules, the same for PDF text layers and OCR: headings, paragraphs, notices → articles.

Pages come in reading order (segment.py). A heading starts an article; what follows, across
columns and pages, belongs to it. Headings are found by what sets them apart from the body:
a larger size, a heavier weight or another colour, a mark (◆ ■ ●), or, in reports set all in
one size, a short unindented line with room above it before an indented paragraph. Printed
lines are joined into paragraphs by Japanese rules: no space is added, and a paragraph ends
only after 。！？」 at a line that stops short, or before an indented line or a list mark."""

from __future__ import annotations

from dataclasses import replace
from statistics import median

from .drafts import (
    Draft,
    add_field,
    add_rows,
    cell_label,
    continues_notice,
    field_of_line,
    is_notice_table,
    leads_value,
)
from .heads import footer_left_out, masthead_only, page_footers, untitled_left_out
from .labels import split_label, with_value_above
from .layout import Block, Line, PageContent, Region, compact, join_text
from .legend import keyed_fields, legend_of
from .lists import bracket_section, in_marked_list, is_item_under_heading
from .records import (
    RISK_OCR,
    RISK_PICTURE,
    RISK_TITLE,
    Article,
    Box,
    Check,
    Link,
    Picture,
    Table,
)
from .regroup import regrouped
from .scraps import is_chart, is_contact_box, is_scrap, left_out
from .tables import unruled_table
from .text import HEADING_MARKS, LIST_MARK, marked_title, ocr_title, plausible_title, strip_marks, tidy_title

HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
OCR_HEADING_RATIO = 1.15  # OCR line heights scatter with brackets, descenders and specks
OCR_TITLE_CONFIDENCE = 55  # a line read this unsure is not trusted to start an article
HEADING_MAX = 40  # characters: a longer line is text, however it is set
SENTENCE_END = tuple("。！？!?」』")
CAPTION_MARKS = "▲△"
ITEM_MARKS = "・※＊*"  # a list item or a note, never a heading
OPENING = tuple("(（「『【〈［[")  # a line ending in an opening bracket goes on below
# Words that label a page or a group of items (a tab, a band), never an article's title.
SECTION_WORDS = {
    "お知らせ", "催し物", "催し", "募集", "相談", "健康", "福祉", "子育て", "くらし", "暮らし", "教育", "講座",
    "教室", "イベント", "スポーツ", "図書館", "税", "保険", "年金", "情報", "information", "インフォメーション",
    "トピックス", "topics", "ニュース", "news", "目次", "もくじ", "contents", "index",
}  # fmt: skip
LOW_CONFIDENCE = 60  # mean OCR word confidence below which a page is to be typed again


def build_articles(pages: list[PageContent]) -> tuple[list[Article], list[Check]]:
    body = _body_size(pages)
    reader = _Reader(body)
    for page in pages:
        reader.page(page)
    return reader.finish()


class _Reader:
    def __init__(self, body: float):
        self.body = body
        self.drafts: list[Draft] = []
        self.checks: list[Check] = []
        self.ocr = False
        self.heading = body * HEADING_RATIO  # the least size of a heading (OCR's own ratio on scans)
        self.legend: dict[str, str] = {}  # circled number → notice field, for the page (legend.py)

    def page(self, page: PageContent) -> None:
        self.ocr, self.legend = page.ocr, {}
        self.heading = self.body * (OCR_HEADING_RATIO if page.ocr else HEADING_RATIO)
        if page.ocr and page.confidence is not None and page.confidence < LOW_CONFIDENCE:
            self.checks.append(
                Check(
                    page.number,
                    f"{page.number}ページ: 文字認識の確からしさが低いページです（{page.confidence:.0f}%）。"
                    "PDFを見て打ち直してください",
                    RISK_OCR,
                )
            )
        items, footers = page_footers(_with_captions(list(page.items)), page.width, page.height)
        self.checks += [footer_left_out(page.number, text) for text in footers]
        for n, item in enumerate(items):
            if isinstance(item, Region):
                self.region(item, page)
            else:
                self.block(item, page, items[n + 1] if n + 1 < len(items) else None)

    def current(self, page: PageContent) -> Draft:
        if not self.drafts:
            self.drafts.append(Draft("", page.number, page.ocr))
        return self.drafts[-1]

    def region(self, region: Region, page: PageContent) -> None:
        if region.text:  # a vertical label or tab: it names a section, it is not text to read
            return
        draft = self.current(page)
        if isinstance(region.payload, Table) and is_notice_table(region.payload):
            add_rows(draft, region.payload)
            draft.boxes.append(Box(page.number, region.x0, region.top, region.x1, region.bottom))
            return
        if not isinstance(region.payload, (Picture, Link)):  # a sentence or notice may run on past a picture
            draft.open_paragraph, draft.notice = False, None
        draft.blocks.append(region.payload)
        draft.boxes.append(Box(page.number, region.x0, region.top, region.x1, region.bottom))
        if isinstance(region.payload, Picture) and region.payload.note:
            draft.checks.append(
                Check(page.number, f"{page.number}ページ: {region.payload.note}", RISK_PICTURE)
            )
        if isinstance(region.payload, Picture):
            caption = region.payload.caption or "説明なし"
            draft.checks.append(
                Check(
                    page.number,
                    f"{page.number}ページ: 画像の説明（代替テキスト）を入力してください（{caption}）",
                )
            )
        elif isinstance(region.payload, Table):
            draft.checks.append(
                Check(
                    page.number,
                    f"{page.number}ページ: 表を読み取りました。見出し行と内容が正しいか確認してください",
                )
            )

    def block(self, block: Block, page: PageContent, following) -> None:
        lines = list(block.lines)
        legend = legend_of([line.text for line in lines])
        if legend:  # a key to the numbered fields below, not text of an article
            self.legend = legend
            return
        n = 0
        while n < len(lines):
            line = lines[n]
            nxt = lines[n + 1] if n + 1 < len(lines) else _first_line(following)
            if self._is_section_label(line, nxt, alone=len(lines) == 1):
                n += 1  # a tab naming the section (お知らせ, 催し物): not text of any article
                continue
            if self.drafts and is_item_under_heading(self.drafts[-1], line, page.number, self.heading):
                self.item(line, page)
                n += 1
                continue
            section = bracket_section(lines, n)
            if section:  # 【お願い】 ① … / ② …: a section with its own title
                self.start(section[0], page, [line])
                self.drafts[-1].blocks += [["p", section[1]]] if section[1] else []
                n += 1
                continue
            if self._is_heading(line, nxt, first=n == 0) and not in_marked_list(lines, n, nxt):
                title, used, beside = self._title(lines, n)
                self.start(title, page, lines[n : n + used])
                self.drafts[-1].blocks += [["p", beside]] if beside else []
                n += used
                continue
            table = unruled_table(_cell_rows(lines, n))
            if table is not None:
                rows = 1 + len(table.rows)
                self.region(
                    Region(
                        lines[n].x0, lines[n].top, lines[n + rows - 1].x1, lines[n + rows - 1].bottom, table
                    ),
                    page,
                )
                n += rows
                continue
            if n + 1 < len(lines) and leads_value(line, nxt, first=n == 0):  # label beside its value
                text = with_value_above(nxt.text.strip(" \u3000"), line.text)
                self.line(replace(nxt, text=text), page, new_block=False)
                n += 2
                continue
            self.line(line, page, new_block=n == 0)
            n += 1
        if block.boxed and self.drafts:
            self.drafts[-1].open_paragraph, self.drafts[-1].notice = False, None

    def start(self, title: str, page: PageContent, lines: list[Line]) -> None:
        draft = Draft(ocr_title(title) if page.ocr else title, page.number, page.ocr, size=lines[0].size)
        draft.boxes.append(_box(page.number, lines))
        self.drafts.append(draft)

    def item(self, line: Line, page: PageContent) -> None:
        """An item of the list under the article's heading: a subheading, its notice its own."""
        draft = self.drafts[-1]
        text = line.text.strip(" \u3000")
        draft.item = draft.item or (text[0], line.x0, line.size)
        draft.blocks.append(["h", strip_marks(text)])
        draft.boxes.append(_box(page.number, [line]))
        draft.confidence += [line.conf] if page.ocr else []
        draft.notice, draft.open_paragraph = None, False

    def line(self, line: Line, page: PageContent, new_block: bool) -> None:
        text = line.text.strip(" \u3000")
        if not text:
            return
        draft = self.current(page)
        draft.boxes.append(_box(page.number, [line]))
        if page.ocr:
            draft.confidence.append(line.conf)
        keyed = keyed_fields(text, self.legend) if self.legend else None
        for name, value in keyed or ():
            add_field(draft, line, name, value)
        if keyed:
            return
        labelled = field_of_line(draft, line, text)
        if labelled:
            add_field(draft, line, *labelled)
            return
        if draft.notice is not None and continues_notice(draft.notice, line):
            name = draft.notice["_field"]
            draft.notice[name] = join_text(draft.notice[name], text)
            return
        draft.notice = None
        last = draft.blocks[-1] if draft.blocks else None
        if isinstance(last, list) and last[0] == "p" and self._continues(draft, last[1], line, new_block):
            last[1] = join_text(last[1], text)
        else:
            draft.blocks.append(["p", text])
        draft.open_paragraph = not text.endswith(SENTENCE_END) or line.full

    def _continues(self, draft: Draft, before: str, line: Line, new_block: bool) -> bool:
        """Whether a line goes on with the paragraph before it (Japanese rules, see the module):
        an unfinished sentence always goes on, whatever the indent (OCR's x positions jitter);
        after 。 a paragraph ends at a line that stopped short, or before an indented line."""
        text = line.text.strip(" \u3000")
        if LIST_MARK.match(text) or text[0] in CAPTION_MARKS or not draft.open_paragraph:
            return False
        if not before.endswith(SENTENCE_END):
            return True
        return not (0.6 <= line.indent or new_block)

    def _is_section_label(self, line: Line, nxt: Line | None, alone: bool) -> bool:
        """A section word on a line of its own, or just above a heading."""
        if compact(line.text).lower() not in SECTION_WORDS:
            return False
        return alone or (nxt is not None and self._is_heading(nxt, None, first=True))

    def _is_heading(self, line: Line, nxt: Line | None, first: bool) -> bool:
        text = line.text.strip(" \u3000")
        if not text or len(compact(text)) > HEADING_MAX or split_label(text) or cell_label(line):
            return False
        table_row = line.cells and len(line.cells) > 2 and not (self.ocr and line.size >= 1.3 * self.body)
        if (
            text[0] in CAPTION_MARKS + ITEM_MARKS or text.endswith(("。", "、", *OPENING)) or table_row
        ):  # a sentence, a list item or note, a line cut short (防犯功労者( …), a table's row
            return False
        if compact(text).lower() in SECTION_WORDS and not (nxt and 0.6 <= nxt.indent <= 3.5):
            return False  # a section's tab (お知らせ, 健康): unless an indented paragraph follows it
        if not plausible_title(text) or (self.ocr and line.conf < OCR_TITLE_CONFIDENCE):
            return False
        if text[0] in HEADING_MARKS and len(compact(text)) > 1:
            return True
        if line.size >= self.heading:
            return True
        spaced = first or line.gap_above >= 0.9
        if (
            line.bold
            and spaced
            and len(compact(text)) <= 30
            and not (nxt and nxt.bold and nxt.size >= line.size)
        ):
            return True
        # Reports set in one size: a short unindented line with room above, then an indented paragraph.
        return (
            spaced
            and len(compact(text)) <= 16
            and line.indent < 0.5
            and not line.full
            and nxt is not None
            and 0.6 <= nxt.indent <= 3.5
            and not text.endswith(SENTENCE_END)
            and (line.gap_above >= 1.2 or first)
        )

    def _title(self, lines: list[Line], n: int) -> tuple[str, int, str]:
        """A heading, the lines it wraps onto (the same type, just below), and text beside it."""
        first = lines[n]
        title, beside = marked_title(first.text)
        used = 1
        while n + used < len(lines):
            nxt = lines[n + used]
            text = nxt.text.strip(" \u3000")
            same = abs(nxt.size - first.size) < 0.12 * first.size and nxt.bold == first.bold
            stub = self.ocr and len(compact(text)) <= 3 and nxt.gap_above < 0.8 and not text.endswith("。")
            if stub:  # OCR measures a wrapped heading's last letters as a line of their own size
                title, used = join_text(title, strip_marks(text)), used + 1
                continue
            if not (
                same and nxt.gap_above < 0.8 and len(compact(text)) <= HEADING_MAX and not text.endswith("。")
            ):
                break
            if (
                nxt.size < self.body * HEADING_RATIO
                and not nxt.bold
                and first.size < self.body * HEADING_RATIO
            ):
                break
            title = join_text(title, strip_marks(text))
            used += 1
        return tidy_title(title), used, beside

    def finish(self) -> tuple[list[Article], list[Check]]:
        articles = []
        for draft in regrouped(self.drafts, self.body):
            if not draft.title:
                if draft.has_text and not masthead_only(draft):
                    draft.title = f"（見出しなし・{draft.page}ページ）"
                    draft.checks.append(
                        Check(
                            draft.page,
                            f"{draft.page}ページ: 見出しが見つからない文章がありました",
                            RISK_TITLE,
                        )
                    )
                else:
                    self.checks += untitled_left_out(draft)
                    continue
            if not draft.has_text or is_scrap(draft) or is_contact_box(draft) or is_chart(draft):
                self.checks.append(left_out(draft))
                continue
            if len(compact(draft.title)) <= 2:
                draft.checks.append(
                    Check(
                        draft.page,
                        f"{draft.page}ページ: 題名「{draft.title}」が短すぎます。紙面と見比べてください",
                        RISK_TITLE,
                    )
                )
            if draft.ocr and "？" in draft.title:
                draft.checks.append(
                    Check(draft.page, f"{draft.page}ページ: 題名の読み取りを確認してください", RISK_OCR)
                )
            articles.append(draft.article())
        return articles, self.checks


def _first_line(item) -> Line | None:
    return item.lines[0] if isinstance(item, Block) and item.lines else None


def _cell_rows(lines: list[Line], n: int) -> list[Line]:
    rows = []
    for line in lines[n:]:
        if not line.cells or split_label(line.text) or cell_label(line):
            break
        rows.append(line)
    return rows


def _box(page: int, lines: list[Line]) -> Box:
    return Box(
        page,
        min(ln.x0 for ln in lines),
        min(ln.top for ln in lines),
        max(ln.x1 for ln in lines),
        max(ln.bottom for ln in lines),
    )


def _body_size(pages: list[PageContent]) -> float:
    """The size most characters are set in (median by characters: OCR sizes scatter)."""
    sizes = [(line.size, len(line.text)) for page in pages for line in page.lines]
    if not sizes:
        return 10.0
    weighted = [size for size, count in sizes for _ in range(min(count, 200))]
    return median(weighted)


def _with_captions(items: list) -> list:
    """A ▲ line just under a picture is its caption, not article text."""
    out = list(items)
    for item in items:
        if not (isinstance(item, Region) and isinstance(item.payload, Picture)):
            continue
        for n, other in enumerate(out):
            if not isinstance(other, Block):
                continue
            line = other.lines[0]
            if (
                line.text[:1] in CAPTION_MARKS
                and 0 <= line.top - item.bottom < 2 * line.size
                and line.x0 < item.x1
                and line.x1 > item.x0
            ):
                picture = replace(item.payload, caption=line.text[1:].strip(" \u3000"))
                out[out.index(item)] = replace(item, payload=picture)
                rest = other.lines[1:]
                out[n] = replace(other, lines=rest) if rest else None
                break
    return [item for item in out if item is not None]
