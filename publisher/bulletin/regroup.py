"""Drafts regrouped once a whole issue is read: what the reader took for headings but belongs
with its neighbours (a heading set on three lines; a venue printed large in every event block;
an お問い合わせ over contact details; an interview's question; a small heading over a list)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from .drafts import REPEATABLE, Draft
from .labels import FIELD_OF
from .layout import compact
from .scraps import is_contact_box
from .text import LIST_MARK


def regrouped(drafts: list[Draft], body: float) -> list[Draft]:
    """The drafts of a whole issue with each regrouping below applied, in order."""
    drafts = join_kickers(fold_repeated_titles(join_stray_labels(drafts)))
    return join_listed_sections(join_questions(join_inquiries(drafts)), body)


KICKER_CHARS = 12  # the small middle line of a three-line heading (殺陣に挑戦！ / 子どものための / …)
HEADING_CHARS = 36  # longer together, they are two headings, not one


def join_kickers(drafts: list[Draft]) -> list[Draft]:
    """A heading whose only text is one short line, right before the next heading on the same
    page, is the top of that heading: 「殺陣に挑戦！」「子どものための」「チャンバラ…ワークショップ」."""
    kept: list[Draft] = []
    for draft in drafts:
        before = kept[-1] if kept else None
        middle = _only_line(before) if before and before.page == draft.page and draft.title else None
        short = middle is not None and len(before.title) <= KICKER_CHARS
        if short and len(before.title + middle + draft.title) <= HEADING_CHARS:
            draft.title = before.title + middle + draft.title
            draft.boxes[:0] = before.boxes
            kept.pop()
        kept.append(draft)
    return kept


def _only_line(draft: Draft) -> str | None:
    if not draft.title or len(draft.blocks) != 1 or not isinstance(draft.blocks[0], list):
        return None
    text = draft.blocks[0][1].strip()
    kicker = 4 <= len(text) <= KICKER_CHARS and re.search(r"[\u4e00-\u9fff\u30a1-\u30fa]", text)
    return text if kicker and not re.search(r"\s|[。．！？!?」]$", text) else None  # not OCR's scraps (ぐる)


def _append(before: Draft, draft: Draft) -> None:
    before.blocks.extend([["h", draft.title], *draft.blocks])
    before.boxes.extend(draft.boxes)
    before.checks.extend(draft.checks)


def _folded(drafts: list[Draft], belongs: Callable[[Draft, Draft], bool]) -> list[Draft]:
    """The drafts, each that `belongs` (before, draft) to the one kept before it on the same page
    appended to that one, its title a subheading there."""
    kept: list[Draft] = []
    for draft in drafts:
        if kept and kept[-1].page == draft.page and belongs(kept[-1], draft):
            _append(kept[-1], draft)
        else:
            kept.append(draft)
    return kept


def join_stray_labels(drafts: list[Draft]) -> list[Draft]:
    """A "heading" that is only a notice's label (場所, 対象 set large beside a photo) is a field
    of the notice before it on the page, not an article: the label goes before its first line
    (as 場所：…, the notice's fields were read already)."""
    kept = _folded(drafts, lambda before, draft: bool(before.title) and _label_only(draft.title))
    for draft in kept:
        draft.blocks = _labels_on_values(draft.blocks)
    return kept


def _labels_on_values(blocks: list) -> list:
    """Each label left as a subheading put before the paragraph right after it."""
    joined: list = []
    for block in blocks:
        before = joined[-1] if joined else None
        if _is_paragraph(block) and _is_heading(before) and _label_only(before[1]):
            joined[-1] = ["p", f"{_bare(before[1])}：{block[1]}"]
        else:
            joined.append(block)
    return joined


def _label_only(title: str) -> bool:
    """The title is a label of an event's details (not 申込方法 or お問い合わせ, which head
    sections of their own)."""
    return FIELD_OF.get(_bare(title)) not in (None, *REPEATABLE)


def _bare(label: str) -> str:
    return compact(label).strip("【】〔〕［］〈〉<>()（）■●◆◇□○・:：")


def _is_heading(block) -> bool:
    return isinstance(block, list) and block[0] == "h"


def _is_paragraph(block) -> bool:
    return isinstance(block, list) and block[0] == "p"


INQUIRY = re.compile(r"(?:お?問い?合わ?せ|連絡|(?:お?申し?込み?))先?")  # お問い合わせ, 連絡先, 申込先


def join_inquiries(drafts: list[Draft]) -> list[Draft]:
    """An 「お問い合わせ」 set as a heading over contact details only is the end of the article
    before it on the page (its office and numbers), not an article of its own."""
    return _folded(
        drafts,
        lambda before, draft: (
            bool(before.title) and bool(INQUIRY.fullmatch(compact(draft.title))) and is_contact_box(draft)
        ),
    )


SPEAKER = re.compile(
    r"^(?:[^\s:：。、「」]{1,8}さん|[AＡ])[:：]"
)  # 是枝さん：…, Ａ：… (an interview's answer)
QUESTION_CHARS = 60  # a longer "question" is a heading that happens to ask something


def join_questions(drafts: list[Draft]) -> list[Draft]:
    """An interviewer's question set large between a speaker's answers (「今年のいちごの生育状況は
    例年と」 / 「比べていかがでしょうか？」 / 是枝さん：…) is a line of the interview, not an article."""
    kept: list[Draft] = []
    for draft in drafts:
        before = kept[-1] if kept else None
        asked = _question(draft)
        if asked and before is not None and _answers(before):
            question, rest = asked
            before.blocks.extend([["p", question], *rest])
            before.boxes.extend(draft.boxes)
            before.checks.extend(draft.checks)
            continue
        kept.append(draft)
    return kept


def _question(draft: Draft) -> tuple[str, list] | None:
    """The question a draft's title asks (with its wrapped end, read as the first paragraph) and
    the blocks after it, when the next paragraph is a speaker's answer."""
    blocks, question = draft.blocks, draft.title
    wrapped = not compact(question).endswith(("？", "?"))
    if wrapped and blocks and isinstance(blocks[0], list) and blocks[0][0] == "p":
        question, blocks = question + blocks[0][1], blocks[1:]
    answer = next((b[1] for b in blocks if _is_paragraph(b)), "")
    asks = compact(question).endswith(("？", "?")) and len(compact(question)) <= QUESTION_CHARS
    return (question, blocks) if asks and SPEAKER.match(compact(answer)) else None


def _answers(draft: Draft) -> bool:
    return any(_is_paragraph(b) and SPEAKER.match(compact(b[1])) for b in draft.blocks)


SECTION_SIZE = 1.05  # times the body: a heading this small is set apart by its mark or weight only …
LARGER = 1.15  # … under an article heading at least this much larger
LISTED = 0.6  # share of a section's paragraphs that are items of a list (・ 〇 ■ …)


def join_listed_sections(drafts: list[Draft], body: float) -> list[Draft]:
    """A heading at the body's size over a list (bouhan p1: ■防犯功労団体の部(5団体) / ・桑名中央
    ロータリークラブ(桑名) / …), right after an article with a larger heading on the same page, is
    a section of that article, not an article of its own."""
    return _folded(
        drafts,
        lambda before, draft: (
            bool(before.title)
            and draft.size <= SECTION_SIZE * body
            and before.size >= LARGER * draft.size
            and _listed(draft)
        ),
    )


def _listed(draft: Draft) -> bool:
    texts = [compact(b[1]) for b in draft.blocks if _is_paragraph(b)]
    items = [t for t in texts if LIST_MARK.match(t) or t.startswith("〇")]
    return len(items) >= 2 and len(items) >= LISTED * len(texts)


REPEAT_RATIO = 0.85  # OCR reads the same large line a little differently each time


def fold_repeated_titles(drafts: list[Draft]) -> list[Draft]:
    """A "heading" printed twice or more on one page is a recurring line (a venue in every event
    block, a section's label), not an article: it and its text go on the article before it."""
    repeated = {
        id(draft)
        for draft in drafts
        for other in drafts
        if other is not draft
        and other.page == draft.page
        and draft.title
        and difflib.SequenceMatcher(None, draft.title, other.title).ratio() >= REPEAT_RATIO
        and not _side_by_side(draft, other)
    }
    return _folded(drafts, lambda _, draft: id(draft) in repeated)


def _side_by_side(a: Draft, b: Draft) -> bool:
    """Two headings on one baseline in two columns (音訳講座 / 点訳講座 開催のお知らせ): parallel
    articles, however alike their titles, not one line printed again."""
    if not a.boxes or not b.boxes:
        return False
    x, y = a.boxes[0], b.boxes[0]
    overlap = min(x.bottom, y.bottom) - max(x.top, y.top)
    return overlap > 0.5 * min(x.bottom - x.top, y.bottom - y.top) and (x.x1 <= y.x0 or y.x1 <= x.x0)
