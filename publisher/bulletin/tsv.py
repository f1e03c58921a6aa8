"""Tesseract's TSV (blocks, lines, words with boxes and confidences) → positioned words.

A word keeps the size of its line, and the page's body size unless the line is clearly taller;
heading marks that OCR misreads (◆ as 多 or 田) are found in the image instead, and notice
labels misread by a letter (とき as と, 問合せ as 問合七) are put back in their printed form.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, replace
from itertools import pairwise

from PIL import Image

from . import solid_marks
from .labels import LABELS
from .layout import Glyph
from .legend import CIRCLED
from .scan import SCALE

MIN_CONFIDENCE = 35  # below this, words are mostly photo texture and specks read as letters …
SURE_WORD = 80  # … unless most words of the line are read at least this surely: then an unsure word
# of two letters or more is kept (Tesseract rates a correct 草花 as low as 3), while a single unsure
# letter is still taken for a misread mark (a circled weekday, an icon)
SIZE_MARGIN = 1.15  # a line this much taller than the page's body lines has its own (larger) size
MARK = "◆"  # any solid mark found in the image: articles.py strips it from the heading
MARK_WORD_CONFIDENCE = 60  # a word over a mark read this unsure starts with the mark's misreading
HEADING_SPACE = 1.2  # body-line heights of blank above a larger line that is a heading …
DISPLAY_SIZE = 1.6  # … unless it is this much taller and was read on its own (its box is its own)
BASELINES = 0.35  # word feet this many word heights apart are on two baselines
MERGED_LINE = 1.6  # a Tesseract line this many body lines tall holds two columns' lines
SPECKS = "|_‐.・'`"  # what Tesseract reads specks as (not ~ or -, which may join two times)
SURE_DOT = 80  # a middle dot read this surely is printed (団体・個人, 金銭・賃貸), not a speck
GUTTER = 1.3  # body-line heights: a wider gap between words is a gap between columns
ICON_LETTERS = 2  # a pictogram before a heading is read as at most this many letters …
ICON_HEIGHT = 1.3  # … and stands this much taller than the heading's words
LABEL_RATIO = 0.6  # difflib ratio for a misread notice label


def words(
    tsv: str | list[tuple[str, tuple[int, int]]], image: Image.Image | None = None, marks: list | None = None
) -> list[Glyph]:
    """Tesseract's lines (TSV level 4) and their words (level 5), in points. A line keeps the
    page's body size unless it is clearly taller; heading marks and notice labels that OCR
    misreads are restored from the image and by fuzzy matching. `tsv` is one reading of the
    page, or several readings of parts of it, each with the pixel position of its part; `marks`
    are solid marks found and blanked before Tesseract read the page (solid_marks.py)."""
    readings = [(tsv, (0, 0))] if isinstance(tsv, str) else tsv
    parsed = []
    for n, (text, origin) in enumerate(readings):
        read = [ln for ln in parse(text, origin, n) if ln.words]
        parsed += [replace(ln, alone=True) for ln in read] if len(read) == 1 else read
    body = _body_height(parsed)
    parsed = [seg for ln in parsed for seg in _segments(replace(ln, sure=_sure(ln.words)), body)]
    lines = []
    for line in parsed:
        line = _without_marks(line, marks or [])
        if not line.words:
            continue
        mark = _mark_before(line, marks or [], body) or (
            solid_marks.at_line_edge(image, line.box, body) if image is not None else None
        )
        closing = solid_marks.at_line_edge(image, line.box, body, at_end=True) if mark else None
        words = _kept_words(line, mark, body, closing)
        if not words:
            continue
        merged = _merged(line, words) and not mark
        size = (
            body * SCALE / 0.92
            if merged
            else _size(line, body, mark and mark[4] == MARK, _space_above(line, parsed))
        )
        # Words take their line's height: their own boxes hug the ink (a ろ is shorter than a 「),
        # and the line is what Tesseract saw as one baseline; unless the "line" is two columns'
        # lines at different heights read as one (much taller than a line of text).
        glyphs = [
            _glyph(
                w.text,
                (w.left, w.top if merged else line.box[1], w.right, w.bottom if merged else line.box[3]),
                size,
                w.conf,
            )
            for w in words
        ]
        if mark:
            glyphs.insert(0, _glyph(mark[4], (mark[0], line.box[1], mark[2], line.box[3]), size))
        lines.append((_TLine(line.box, words), size, glyphs))
    _restore_labels(lines, body)
    return [g for _, _, glyphs in lines for g in glyphs]


@dataclass(frozen=True)
class _Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float


@dataclass(frozen=True)
class _TLine:
    box: tuple[int, int, int, int]  # pixels: left, top, right, bottom
    words: list[_Word]
    sure: bool = False  # most words of the line Tesseract read (before a gutter split it) are sure
    alone: bool = False  # the only line of its reading (a display line read again on its own)
    key: tuple[str, str, str] = ("", "", "")  # block, paragraph and line numbers in the TSV

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def parse(tsv: str, origin: tuple[int, int] = (0, 0), reading: int = 0) -> list[_TLine]:
    """One reading's lines and their words, in page pixels (`origin`: where the part read lies)."""
    lines: dict[tuple, _TLine] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (reading, row["block_num"], row["par_num"], row["line_num"])
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        left, top = left + origin[0], top + origin[1]
        if row["level"] == "4":
            lines[key] = _TLine((left, top, left + width, top + height), [], key=key[1:])
        text = (row.get("text") or "").strip()
        if row["level"] == "5" and text and key in lines:
            lines[key].words.append(
                _Word(text, left, top, left + width, top + height, float(row.get("conf") or -1))
            )
    return list(lines.values())


def _body_height(lines: list[_TLine]) -> float:
    """The height of most text lines on the page, in pixels: the commonest height (±1 px)
    weighted by words, so tall table rows and headings do not pull it up. Lines much taller
    than their words (two columns read as one line) count with their words' height."""
    counts: dict[int, int] = {}
    for line in lines:
        words = sorted(w.bottom - w.top for w in line.words if len(w.text) >= 2) or [line.height]
        tallest = words[int(len(words) * 0.75)]
        merged = line.height > MERGED_LINE * tallest or _two_baselines(line.words)
        height = words[len(words) // 2] if merged else line.height
        if height > 8:
            counts[height] = counts.get(height, 0) + len(line.words)
    if not counts:
        return 12 / SCALE
    return float(max(counts, key=lambda h: (counts.get(h - 1, 0) + counts[h] + counts.get(h + 1, 0), -h)))


def _merged(line: _TLine, words: list[_Word]) -> bool:
    """Two columns' lines at different heights that Tesseract read as one: the line is much
    taller than its tallest words."""
    heights = sorted(w.bottom - w.top for w in words)
    return line.height > MERGED_LINE * heights[int(len(heights) * 0.75)]


def _two_baselines(words: list[_Word]) -> bool:
    """Words whose feet lie on two levels half a line apart (columns out of step by half a line)."""
    feet = sorted(w.bottom for w in words if len(w.text) >= 2)
    if len(feet) < 6:
        return False
    heights = sorted(w.bottom - w.top for w in words if len(w.text) >= 2)
    low, high = feet[len(feet) // 10], feet[len(feet) * 9 // 10]
    return high - low > BASELINES * heights[len(heights) // 2]


def _size(line: _TLine, body: float, mark, space: float) -> float:
    """Type size in points. Line boxes of body text scatter (specks, descenders, a table's
    rules), so only a marked heading, a display line read on its own, or a clearly taller line
    with a heading's space above it keeps its own size; the rest take the page's body size.
    Ink is ~0.92 em tall."""
    larger = (line.alone and line.height >= body * DISPLAY_SIZE) or (
        line.height >= body * SIZE_MARGIN and space >= HEADING_SPACE * body
    )
    return (line.height if mark or larger else body) * SCALE / 0.92


def set_apart(lines: list[_TLine]) -> list[_TLine]:
    """The lines taller than the page's body lines with a heading's blank above them: they keep
    their own size and may be headings (reread.py reads them again to mend their letters)."""
    body = _body_height(lines)
    return [
        line
        for line in lines
        if line.height >= body * SIZE_MARGIN and _space_above(line, lines) >= HEADING_SPACE * body
    ]


def _space_above(line: _TLine, lines: list[_TLine]) -> float:
    """Blank pixels between the line and the nearest line above it in the same column."""
    above = [
        ln.box[3]
        for ln in lines
        if ln.box[3] <= line.box[1] + 4 and ln.box[0] < line.box[2] and ln.box[2] > line.box[0]
    ]
    return line.box[1] - max(above) if above else float("inf")


def _sure(words: list[_Word]) -> bool:
    return sum(w.conf >= SURE_WORD for w in words) >= 0.7 * len(words)


def _segments(line: _TLine, body: float) -> list[_TLine]:
    """A Tesseract line split where its words jump across a column gutter: two columns'
    headings on one baseline are read as one line, and each may start with a mark."""
    words = [w for w in line.words if not is_speck(w.text, w.conf)] or line.words  # a speck in the gutter
    runs = [[words[0]]]
    for a, b in pairwise(words):
        if b.left - a.right > GUTTER * body:
            runs.append([])
        runs[-1].append(b)
    while len(runs) > 1 and _is_label(runs[0], body):
        runs[:2] = [runs[0] + runs[1]]  # a letter-spaced label (対　　象) set well off its value
    if len(runs) > 1 and _icon(runs[0], runs[1]):
        runs = runs[1:]  # a pictogram before a heading (a house read as 「s): the line was as tall
        kept = [w for run in runs for w in run]  # as the pictogram, the words are not
        box = (kept[0].left, min(w.top for w in kept), line.box[2], max(w.bottom for w in kept))
        line = replace(line, box=box, words=kept)
    if len(runs) == 1:
        return [line]
    return [
        _TLine((r[0].left, line.box[1], r[-1].right, line.box[3]), r, line.sure, alone=line.alone)
        for r in runs
    ]


def _icon(run: list[_Word], after: list[_Word]) -> bool:
    """One or two letters set well apart and much taller than the words after them: a pictogram
    that Tesseract read as letters."""
    return len("".join(w.text for w in run)) <= ICON_LETTERS and max(w.bottom - w.top for w in run) > (
        ICON_HEIGHT * max(w.bottom - w.top for w in after)
    )


def is_speck(text: str, conf: float, specks: str = SPECKS) -> bool:
    """A word that is only what Tesseract makes of dust; a middle dot it is sure of is a letter
    (Tesseract reads 「・」 between two words as a word of its own, and surely)."""
    return not text.strip(specks) and not (text.strip() == "・" and conf >= SURE_DOT)


def _glyph(text: str, box, size: float, conf: float = 100.0) -> Glyph:
    left, top, right, bottom = (v * SCALE for v in box)
    return Glyph(text, left, top, right, bottom, size, conf=max(0.0, conf))


# A time or a range of times (9:30~12:00, 10:00-11:30): Tesseract rates these low (the ～ is a
# letter it doubts), but their shape is too strict for noise to take it.
_TIME_WORD = re.compile(r"^\d{1,2}[:：]\d\d(?:[~～〜\-ーこて]{1,2}(?:\d{1,2}[:：]\d\d)?)?$")


def _kept_words(line: _TLine, mark, body: float, closing=None) -> list[_Word]:
    """Confident words; on a marked heading also the unsure ones (Tesseract doubts the letter
    next to a mark), minus what it read the marks (◆ before the title, and after it) as."""
    if not mark:
        # An unsure word among sure ones, or in a display line read on its own, is text Tesseract
        # hesitated over (faded, rare kanji, display type). So is a notice label before a sure
        # value (a letter-spaced 象 of 対象 at 34 %).
        return [
            w
            for w in line.words
            if w.conf >= MIN_CONFIDENCE
            or (
                (line.sure or line.alone)
                and (len(w.text) >= 2 or (w is line.words[0] and _is_label([w], body)))
            )
            or w.text in CIRCLED
            or _TIME_WORD.match(w.text)
        ]
    em = line.height / 0.92
    kept = []
    for word, after in zip(line.words, [*line.words[1:], None], strict=True):
        if word.right <= mark[2] + 0.3 * em or word.bottom - word.top < 0.4 * body:
            continue  # the mark read as a letter, or a speck
        if closing and word.left >= closing[0] - 0.3 * em:
            continue  # the closing mark read as a letter, or the box's side
        if not kept and word.left < mark[2] - 0.3 * em:
            if word.conf < MARK_WORD_CONFIDENCE and _read_into(_own_box(word, after), em):
                word = replace(word, text=word.text[1:])  # the mark read into the word: 田上 for ■上
            word = replace(word, left=mark[2])
        if closing and word.right > closing[0] + 0.3 * em and _read_into(word, em):
            word = replace(word, text=word.text[:-1], right=closing[0])
        if word.text:
            kept.append(word)
    return kept


def _own_box(word: _Word, after: _Word | None) -> _Word:
    """The word ending where the next one starts: Tesseract sometimes boxes a word across the
    words after it (「金町」 from 40 to 158 pt, 民 starting at 78)."""
    return replace(word, right=after.left) if after and word.left < after.left < word.right else word


def _read_into(word: _Word, em: float) -> bool:
    """Whether the word has as many letters as its width holds (a mark under it was read as one)."""
    return len(word.text) >= round((word.right - word.left) / em)


def _mark_before(line: _TLine, marks: list, body: float):
    """A mark found in the image at the start of the line, on its height (◆ before a title):
    blanked before Tesseract read the page, or read as a letter and dropped (_without_marks)."""
    left, top, right, bottom = line.box
    em = max(line.height, body)
    first = min((w.left for w in line.words), default=left)
    for mark in marks:
        middle = (mark[1] + mark[3]) / 2
        before = first - 1.2 * em <= mark[2] <= first + 0.2 * em
        read_into = mark[0] - 0.2 * em <= first < mark[2]  # the first word starts on it: 金町 for ◆町
        if top - 0.3 * em <= middle <= bottom + 0.3 * em and (before or read_into):
            return mark
    return None


def _without_marks(line: _TLine, marks: list) -> _TLine:
    """The line without the words Tesseract read where a mark is printed (◆◆ read as 人和)."""
    kept = [w for w in line.words if not any(_over(w, mark) for mark in marks)]
    return line if len(kept) == len(line.words) else replace(line, words=kept)


def _over(word: _Word, mark) -> bool:
    middle, centre = (word.top + word.bottom) / 2, (word.left + word.right) / 2
    return (
        mark[0] - 3 <= centre <= mark[2] + 3
        and mark[1] - 3 <= middle <= mark[3] + 3
        and (word.right - word.left <= 1.5 * (mark[2] - mark[0]))
    )


def _restore_labels(lines: list, body: float) -> None:
    """Notice labels (と　き, ところ, 申込み …) misread by a letter or two are put back in their
    printed form, followed by a space. Only lines in a group of label lines count: a notice
    has several, while a body line may start with 対象 or 内容 by chance."""
    found = {n: label_of(line.words[_numbered(line) :], body) for n, (line, _, _) in enumerate(lines)}
    found = {n: hit for n, hit in found.items() if hit}
    for n, (label, count) in found.items():
        line, size, glyphs = lines[n]
        if not any(m != n and _near(lines[m][0], line, body) for m in found):
            continue
        skip = _numbered(line)  # a legend's ①日時: the number stays before the label
        words = line.words[skip : skip + count]
        box = (words[0].left, line.box[1], words[-1].right, line.box[3])
        first = len(glyphs) - len(line.words)
        lines[n] = (
            line,
            size,
            [*glyphs[: first + skip], _glyph(label + "\u3000", box, size), *glyphs[first + skip + count :]],
        )


def _numbered(line: _TLine) -> int:
    """1 when the line starts with a circled number word (①), else 0."""
    return int(bool(line.words) and line.words[0].text in CIRCLED)


def label_of(words: list[_Word], body: float) -> tuple[str, int] | None:
    """The printed label the first words stand for, and how many words it takes."""
    # Ties go to more words (申込 方 法), then to the first label listed (時: 日時 before 時間).
    best, best_key = None, (LABEL_RATIO - 1e-9, 0)
    for count in range(1, min(4, len(words)) + 1):
        part = "".join(w.text for w in words[:count])
        # A label is set off from its value by a space; one letter left of a label (象 of 対　象)
        # by a wide one, or it is a word of the text (内 of 案内状 once 案 is lost).
        if (
            count < len(words)
            and words[count].left - words[count - 1].right < (0.5 if part[1:] else 1.5) * body
        ):
            continue
        for labels in LABELS.values():
            for label in labels:
                if len(part) > len(label.replace("\u3000", "")) + 1:
                    continue  # a label does not swallow its value
                ratio = difflib.SequenceMatcher(None, part, label.replace("\u3000", "")).ratio()
                if (round(ratio, 6), count) > best_key:
                    best, best_key = (label, count), (round(ratio, 6), count)
    return best


def _is_label(words: list[_Word], body: float) -> bool:
    hit = label_of(words, body)
    return bool(hit) and hit[1] == len(words)


def _near(a: _TLine, b: _TLine, body: float) -> bool:
    return abs(a.box[1] - b.box[1]) <= 5.5 * body and abs(a.box[0] - b.box[0]) <= 3 * body
