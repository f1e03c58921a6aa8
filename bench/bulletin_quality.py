"""How close `publisher bulletin import` comes to what a person reads on the page.

Usage: python bench/bulletin_quality.py DIR [--ocr auto|always|never] [--image-only] [--markdown FILE]

With --image-only each PDF is first rendered to pictures and put back into a PDF without text, so
that scans which carry a text layer are read the way an image-only scan is.

Every PDF in DIR with a truth file (bench/bulletin_truth/<stem>.yml, or <stem>.yml beside the
PDF) is imported with the real command line into a scratch project, one process per file, and
the drafts it wrote are read back as staff would see them. Printed per file and in total:

- articles expected / made (the count should be within ±15 %, or ±1 article where more);
- titles exact, and titles with at most one wrong character (after NFKC, spaces removed);
- bodies right: the article's first and last sentence at the start and end of its text, or of
  its prose (exact on born-digital files; on scans a character error rate up to 5 %);
- paragraph breaks mid-sentence (a break not after 。！？」』） and not before a list mark);
- spaces between Japanese characters per 1,000 characters of prose and headings (a notice's
  values keep the separators print sets between a day and a time, or a building and a room);
- ruby left in the text (readings listed under `ruby:` in the truth found next to their base);
- notices → events with date, start and end time and place right; events without a date;
- tables found (a Markdown table with the truth's columns and rows ±1);
- seconds and peak memory (largest process, kernel ru_maxrss) of the import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from measure import MB, run  # noqa: E402

TRUTH_DIR = ROOT / "bench" / "bulletin_truth"
SCAN_CER = 0.05
EDGE = 12  # characters a first (last) sentence may start after the body's start (end before its end)
SENTENCE_END = tuple("。！？」』）!?.")
LIST_MARK = re.compile(
    r"^(?:[・●○◆◇■□◎★☆※＊*\-]|[①-⑳]|\(?\d{1,2}[).．]|[（(][0-9０-９一二三四五六七八九十]+[）)])"
)
JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20々〆〇ー]"
JP_SPACE = re.compile(rf"(?<={JAPANESE})[ \u3000]+(?={JAPANESE})")
PROJECT = """site_name: bench
site_url: https://town.example/
docs_dir: content
plugins:
  - town:
      town_name: 甘楽町
      bulletin_name: 広報
      categories:
        - {slug: kurashi, label: くらし}
"""


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@dataclass
class Made:
    title: str
    blocks: list[
        tuple[str, str]
    ]  # (kind, text): kind p (paragraph), l (list item), t (table row), c (caption)
    tables: list[list[list[str]]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.blocks)

    @property
    def prose(self) -> str:
        return "".join(text for kind, text in self.blocks if kind == "p")


@dataclass
class Event:
    title: str
    start: str
    end: str
    place: str


@dataclass
class Result:
    name: str
    kind: str
    articles: int
    made: int
    titles_exact: int = 0
    titles_close: int = 0
    bodies_right: int = 0
    breaks: int = 0
    breaks_mid: int = 0
    chars: int = 0
    jp_spaces: int = 0
    ruby: int = 0
    ruby_left: int = 0
    notices: int = 0
    events: int = 0
    events_right: int = 0
    events_undated: int = 0
    tables: int = 0
    tables_found: int = 0
    seconds: float = 0.0
    memory: int = 0
    failed: str = ""

    @property
    def count_ok(self) -> bool:
        return abs(self.made - self.articles) <= max(1, round(0.15 * self.articles))


# Reading the drafts back ------------------------------------------------------------------


def read_markdown(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        return yaml.safe_load(head) or {}, body
    return {}, text


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def article_of(path: Path) -> Made:
    meta, body = read_markdown(path)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    made = Made(str(meta.get("title", "")), [])
    table: list[list[str]] = []
    for chunk in re.split(r"\n\s*\n", body):
        lines = [ln for ln in chunk.strip().split("\n") if ln.strip()]
        if not lines or lines[0].startswith("> "):  # the OCR note
            continue
        for line in lines:
            line = line.strip()
            if re.fullmatch(r"!\[[^\]]*\]\([^)]*\)", line) or line.startswith("<"):
                continue
            if line.startswith("|"):
                cells = [unescape(c.strip()) for c in line.strip("|").split(" | ")]
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    table.append(cells)
                    made.blocks.append(("t", "".join(cells)))
                continue
            if table:
                made.tables.append(table)
                table = []
            item = re.match(r"^(?:[-*+]|\d+\.)\s+(.*)$", line)
            if item:
                made.blocks.append(("l", unescape(item.group(1))))
            elif line.startswith("#"):
                made.blocks.append(("h", unescape(line.lstrip("#").strip())))
        if table:
            made.tables.append(table)
            table = []
        if re.fullmatch(r"!\[[^\]]*\]\([^)]*\)", lines[0].strip()):  # a picture: the line under it
            made.blocks += [("c", unescape(ln.strip())) for ln in lines[1:]]  # is its printed caption
            continue
        plain = [
            ln.strip()
            for ln in lines
            if not re.match(r"^\s*([-*+]|\d+\.)\s|^\s*[|#<!]|^QRコードのリンク", ln)
        ]
        if plain:
            made.blocks.append(("p", unescape("".join(plain))))
    return made


def event_of(path: Path) -> Event:
    meta, _ = read_markdown(path)
    start, end = str(meta.get("start") or ""), str(meta.get("end") or "")
    dates = meta.get("dates") or []
    if dates and not start:
        start = str(dates[0].get("start") or "")
        end = str(dates[-1].get("end") or "")
    return Event(str(meta.get("title", "")), start, end, str(meta.get("place") or ""))


# Comparing -------------------------------------------------------------------------------


def find(pattern: str, text: str) -> tuple[int, int, int]:
    """(edit distance, start, end) of the best match of `pattern` anywhere in `text`."""
    n = len(pattern)
    if not n:
        return 0, 0, 0
    previous = [(0, j) for j in range(len(text) + 1)]  # (cost, start) with a free start
    for i in range(1, n + 1):
        current = [(i, 0)]
        for j in range(1, len(text) + 1):
            sub = previous[j - 1][0] + (pattern[i - 1] != text[j - 1])
            options = (
                (sub, previous[j - 1][1]),
                (previous[j][0] + 1, previous[j][1]),
                (current[j - 1][0] + 1, current[j - 1][1]),
            )
            current.append(min(options))
        previous = current
    best = min(range(len(text) + 1), key=lambda j: (previous[j][0], -j))
    return previous[best][0], previous[best][1], best


def sentence_at(sentence: str, text: str, tolerance: float, at_end: bool) -> bool:
    sentence = norm(sentence)
    window = len(sentence) + EDGE + 10
    part = text[-window:] if at_end else text[:window]
    distance, start, end = find(sentence, part)
    placed = (len(part) - end <= EDGE) if at_end else (start <= EDGE)
    return placed and distance <= tolerance * len(sentence)


def match_articles(truth: list[dict], made: list[Made]) -> list[tuple[dict, Made | None]]:
    """Each truth article with the made one most like it (title, then first sentence), one to one."""
    scores = []
    for t_index, article in enumerate(truth):
        title, first = norm(article.get("title", "")), norm(article.get("first", ""))[:40]
        for m_index, candidate in enumerate(made):
            score = Levenshtein.normalized_similarity(title, norm(candidate.title))
            if first:
                distance, start, _ = find(first, norm(candidate.text)[: len(first) + 200])
                score += max(0.0, 1 - distance / len(first)) * (1 if start < 200 else 0)
            scores.append((score, t_index, m_index))
    taken_t, taken_m, pairs = set(), set(), {}
    for score, t_index, m_index in sorted(scores, reverse=True):
        if score >= 0.6 and t_index not in taken_t and m_index not in taken_m:
            taken_t.add(t_index)
            taken_m.add(m_index)
            pairs[t_index] = made[m_index]
    return [(article, pairs.get(n)) for n, article in enumerate(truth)]


def paragraph_breaks(made: Made) -> tuple[int, int]:
    paragraphs = [text for kind, text in made.blocks if kind == "p"]
    breaks = mid = 0
    for before, after in zip(paragraphs, paragraphs[1:], strict=False):
        breaks += 1
        if not before.rstrip().endswith(SENTENCE_END) and not LIST_MARK.match(after.strip()):
            mid += 1
    return breaks, mid


def ruby_left(ruby: list[dict], texts: list[str]) -> int:
    left = 0
    for entry in ruby:
        base, reading = norm(entry["base"]), norm(entry["reading"])
        for text in texts:
            for found in re.finditer(re.escape(base), text):
                near = text[max(0, found.start() - 30) : found.end() + 30]
                left += near.count(reading)
    return left


def event_right(notice: dict, event: Event, tolerance: float) -> bool:
    day = str(notice["date"])
    if event.start[:10] != day:
        return False
    if notice.get("start") and event.start[11:16] != _hhmm(notice["start"]):
        return False
    if notice.get("end") and event.end[-5:] != _hhmm(notice["end"]):
        return False
    if notice.get("place"):
        truth, place = norm(notice["place"]), norm(event.place)
        if truth not in place and Levenshtein.distance(truth, place) > tolerance * len(truth):
            return False
    return True


def _hhmm(value) -> str:
    if isinstance(value, int):  # YAML 1.1 reads 10:00 as sexagesimal 600
        return f"{value // 60:02d}:{value % 60:02d}"
    hour, minute = str(value).split(":")
    return f"{int(hour):02d}:{int(minute):02d}"


def match_events(notices: list[dict], events: list[Event], tolerance: float) -> int:
    right, used = 0, set()
    for notice in notices:
        candidates = [
            (Levenshtein.normalized_similarity(norm(notice["title"]), norm(e.title)), n)
            for n, e in enumerate(events)
            if n not in used and e.start[:10] == str(notice["date"])
        ]
        if not candidates:
            continue
        _, best = max(candidates)
        if event_right(notice, events[best], tolerance):
            right += 1
            used.add(best)
    return right


def table_found(truth: dict, tables: list[list[list[str]]]) -> bool:
    for table in tables:
        cols = max(len(row) for row in table)
        first = norm(table[0][0]) if table and table[0] else ""
        expected = norm(str(truth.get("first_cell") or ""))
        close = (not expected and not first) or (
            expected and Levenshtein.normalized_distance(expected, first) <= 0.25
        )
        if cols == truth["cols"] and abs(len(table) - truth["rows"]) <= 1 and close:
            return True
    return False


# Running ---------------------------------------------------------------------------------


IMAGE_ONLY_DPI = 200  # the scans' own resolution: no detail is added or lost


def image_only_copy(pdf: Path, folder: Path) -> Path:
    """The PDF with every page rendered to a picture and put back: a scan without its text layer."""
    pages = folder / "pages"
    pages.mkdir()
    subprocess.run(["pdftoppm", "-r", str(IMAGE_ONLY_DPI), "-png", str(pdf), str(pages / "p")], check=True)
    images = [Image.open(p).convert("RGB") for p in sorted(pages.glob("p-*.png"), key=_page_number)]
    copy = folder / pdf.name
    images[0].save(copy, save_all=True, append_images=images[1:], resolution=IMAGE_ONLY_DPI, quality=95)
    shutil.rmtree(pages)
    return copy


def _page_number(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def import_file(
    pdf: Path, truth: dict, ocr: str, scratch: Path, image_only: bool = False
) -> tuple[Path, object, str]:
    project = scratch / pdf.stem
    shutil.rmtree(project, ignore_errors=True)
    (project / "content").mkdir(parents=True)
    if image_only:
        pdf = image_only_copy(pdf, project)
    (project / "mkdocs.yml").write_text(PROJECT, encoding="utf-8")
    publisher = Path(sys.executable).with_name("publisher")
    command = [str(publisher), "bulletin", "import", str(pdf), "--issue", str(truth["issue"]), "--ocr", ocr]
    log = project / "import.log"
    measured = run(command, project, {**os.environ}, log)
    return project, measured, log.read_text(encoding="utf-8", errors="replace")


def evaluate(pdf: Path, truth: dict, ocr: str, scratch: Path, image_only: bool = False) -> Result:
    project, measured, log = import_file(pdf, truth, ocr, scratch, image_only)
    scan = truth.get("kind") == "scan"
    tolerance = SCAN_CER if scan else 0.0
    issue_dir = project / "content" / "bulletins" / str(truth["issue"])
    made = [article_of(p) for p in sorted(issue_dir.glob("*.md")) if p.name != "index.md"]
    events = [event_of(p) for p in sorted((project / "content" / "events").rglob("*.md"))]
    result = Result(pdf.name, truth.get("kind", ""), len(truth["articles"]), len(made))
    result.seconds, result.memory = measured.wall, measured.max_rss
    if measured.returncode != 0:
        result.failed = log.strip().splitlines()[-1] if log.strip() else f"exit {measured.returncode}"
    for article, found in match_articles(truth["articles"], made):
        if found is None:
            continue
        distance = Levenshtein.distance(norm(article["title"]), norm(found.title))
        result.titles_exact += distance == 0
        result.titles_close += distance <= 1
        # The truth's last sentence is the prose's, or a notice's last value where an article is
        # only a notice: either reading of the draft counts.
        texts = (norm(found.text), norm(found.prose))
        result.bodies_right += any(sentence_at(article["first"], t, tolerance, False) for t in texts) and any(
            sentence_at(article["last"], t, tolerance, True) for t in texts
        )
    for article in made:
        breaks, mid = paragraph_breaks(article)
        result.breaks += breaks
        result.breaks_mid += mid
        text = "".join(t for k, t in article.blocks if k in "ph")  # notice values keep printed spacing
        result.chars += len(text)
        result.jp_spaces += len(JP_SPACE.findall(text))
    result.ruby = len(truth.get("ruby") or [])
    result.ruby_left = ruby_left(truth.get("ruby") or [], [norm(a.text) for a in made])
    notices = truth.get("notices") or []
    result.notices, result.events = len(notices), len(events)
    result.events_undated = sum(not e.start for e in events)
    result.events_right = match_events(notices, events, tolerance)
    result.tables = len(truth.get("tables") or [])
    result.tables_found = sum(
        table_found(t, [tb for a in made for tb in a.tables]) for t in truth.get("tables") or []
    )
    return result


def truth_for(pdf: Path) -> dict | None:
    for candidate in (pdf.with_suffix(".yml"), TRUTH_DIR / f"{pdf.stem}.yml"):
        if candidate.is_file():
            return yaml.safe_load(candidate.read_text(encoding="utf-8"))
    return None


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "–"


def table(results: list[Result]) -> list[str]:
    rows = [
        "| file | kind | articles expected / made | titles exact | titles ≤ 1 char off | bodies right "
        "| breaks mid-sentence | JP spaces / 1,000 chars | ruby left | events right (date, time, place) "
        "| events made / without date | tables found | seconds | peak memory |",
        "| --- " * 14 + "|",
    ]
    for r in [*results, total(results)]:
        rows.append(
            f"| {r.name}{' (FAILED: ' + r.failed + ')' if r.failed else ''} | {r.kind} "
            f"| {r.articles} / {r.made}{'' if r.count_ok else ' ✗'} "
            f"| {percent(r.titles_exact, r.articles)} | {percent(r.titles_close, r.articles)} "
            f"| {percent(r.bodies_right, r.articles)} | {percent(r.breaks_mid, r.breaks)} "
            f"| {1000 * r.jp_spaces / r.chars if r.chars else 0:.1f} | {r.ruby_left} (of {r.ruby} rubies) "
            f"| {percent(r.events_right, r.notices)} | {r.events} / {r.events_undated} "
            f"| {percent(r.tables_found, r.tables)} | {r.seconds:.1f} | {r.memory / MB:.0f} MB |"
        )
    return rows


def total(results: list[Result]) -> Result:
    summed = Result("total", "", 0, 0)
    for r in results:
        for name, value in vars(r).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and name != "memory":
                setattr(summed, name, getattr(summed, name) + value)
        summed.memory = max(summed.memory, r.memory)
    return summed


def header(ocr: str, image_only: bool) -> list[str]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "publisher"], cwd=ROOT, capture_output=True, text=True
    )
    return [
        f"- date: {dt.datetime.now(dt.UTC).isoformat(timespec='minutes')}",
        f"- commit: {commit.stdout.strip()}{' with uncommitted changes in publisher/' if dirty.stdout.strip() else ''}",
        f"- machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}",
        f"- command: `python bench/bulletin_quality.py DIR --ocr {ocr}{' --image-only' if image_only else ''}`",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--ocr", default="auto", choices=("auto", "always", "never"))
    parser.add_argument("--only", help="only files whose name contains this")
    parser.add_argument("--markdown", type=Path, help="also write the table into this Markdown file")
    parser.add_argument(
        "--image-only",
        action="store_true",
        help=f"import each PDF as pictures only ({IMAGE_ONLY_DPI} dpi, its text layer removed)",
    )
    parser.add_argument("--keep", type=Path, help="keep the scratch projects here (to look at the drafts)")
    args = parser.parse_args()
    pdfs = [
        p.resolve()
        for p in sorted(args.dir.glob("*.pdf"))
        if truth_for(p) and (not args.only or args.only in p.name)
    ]
    if not pdfs:
        sys.exit(f"no PDF with a truth file in {args.dir}")
    results = []
    with tempfile.TemporaryDirectory(prefix="bulletin-quality-") as tmp:
        scratch = args.keep or Path(tmp)
        for pdf in pdfs:
            result = evaluate(pdf, truth_for(pdf), args.ocr, scratch, args.image_only)
            print(f"{pdf.name}: {result.made} articles, {result.seconds:.1f} s", file=sys.stderr)
            results.append(result)
    lines = header(args.ocr, args.image_only) + [""] + table(results)
    print("\n".join(lines))
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
