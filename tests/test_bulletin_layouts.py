"""The layout features of real bulletins (issue 15), each in a generated fixture, each with a test.

Generated at test time (tests/fixtures/bulletins/): the 7-page 「広報かんら 2026年2月号」 of
layouts.py (ruby, vertical tabs, section labels, a masthead with its credits, an overprinted and a
two-line heading, three columns under a headline, a line set into a narrow gutter, a report set in
one size, pictograms, notices whose values wrap, a cell-drawn and an unruled table, QR codes as an
image and as an image mask, an ornament band, a sentence over a page break), a faded photocopy
and a scan with its own OCR text layer (scans.py); what a reader finds on them is in truth.py.

A feature the importer does not handle yet is a strict xfail naming what it gets wrong, so that
it turns red the day it is fixed and its mark is taken off.
"""

from __future__ import annotations

import itertools
import re
import shutil
import time
import unicodedata
import zlib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, cli, load_module, write_project
from rapidfuzz.distance import Levenshtein

from publisher.bulletin.pdf import extract_pdf
from publisher.bulletin.records import Link, Paragraph, Picture, Table

FIXTURES = Path(__file__).parent / "fixtures" / "bulletins"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) が必要です")
needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract-ocr-jpn が必要です")
slow = pytest.mark.slow  # the PDF is drawn, read, and its cover rendered with poppler; scans go to Tesseract


layouts = load_module("bulletin_layouts_fixture", FIXTURES / "layouts.py")
scans = load_module("bulletin_scans_fixture", FIXTURES / "scans.py")
make, truth = layouts.make, layouts.truth  # the modules layouts.py itself uses
EXPECTED = truth.expected_february()
BY_TITLE = {e.title: e for e in EXPECTED}
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="session")
def february_pdf(tmp_path_factory) -> Path:
    return layouts.february_pdf(tmp_path_factory.mktemp("february") / "kanra-2026-02.pdf", truth_file=True)


@pytest.fixture(scope="session")
def february(february_pdf, tmp_path_factory):
    started = time.perf_counter()
    record = extract_pdf(february_pdf, workdir=tmp_path_factory.mktemp("february-work"))
    TIMINGS["7-page layout issue, born-digital"] = time.perf_counter() - started
    return record


def paragraphs(article) -> list[str]:
    return [b.text for b in article.blocks if isinstance(b, Paragraph)]


def article(record, title: str):
    found = [a for a in record.articles if a.title == title]
    assert found, f"no article 「{title}」 among {[a.title for a in record.articles]}"
    return found[0]


def compact(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


# Known failures of the importer: what it gets wrong, and what it gives instead.
XFAIL_ARTICLES: dict[str, str] = {}  # title → what the importer gets wrong in that article


def _articles_param(titles):
    return [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason=XFAIL_ARTICLES[t]))
        if t in XFAIL_ARTICLES
        else t
        for t in titles
    ]


# The fixture shows what it claims -----------------------------------------------------------


@slow
def test_the_fixture_prints_each_feature(february_pdf):
    """Checked on the PDF itself, so that a change to the generator cannot drop a feature unseen."""
    data = february_pdf.read_bytes()
    assert b"/ToUnicode" not in data and b"/FontFile" not in data  # CID fonts as in the January issue
    assert b"/ImageMask true" in data and b"/Decode [ 1 0 ]" in data  # the QR code printed as a mask
    pages = _pages_in_stream_order(february_pdf)
    assert len(pages) == truth.FEBRUARY_PAGES

    text = ["".join(c.get_text() for c in page) for page in pages]
    assert "☎74-2525" in text[3] and "℻74-2526" in text[3] and "✉soudan@" in text[3]  # Unicode pictograms
    small = [c for c in pages[0] if c.size < 0.6 * make.BODY]
    assert "".join(c.get_text() for c in small if c.y0 > 400).startswith("らくさんえん")  # ruby at half size
    title = [c.get_text() for c in pages[0] if c.size == 20]
    assert "".join(title[:6]) == "冬冬冬ののの"  # each glyph of the heading drawn three times
    # Page 2: the headline a third of an em above the columns; one line 5 pt into a 0.7 em gutter.
    w = (make.PAGE_W - 2 * make.MARGIN - 2 * layouts.NARROW_GUTTER) / 3
    headline = [c for c in pages[1] if c.size == 22]
    under = max(c.y1 for c in pages[1] if c.size == make.BODY and c.y1 < min(h.y0 for h in headline))
    assert min(h.y0 for h in headline) - under < 0.4 * make.BODY
    edge = make.MARGIN + 2 * w + layouts.NARROW_GUTTER
    assert [
        round(c.x1 - edge, 1)
        for c in pages[1]
        if c.size == make.BODY and edge - w < c.x0 < edge and c.x1 > edge + 1
    ] == [5.0]
    # Page 3: お知らせ down the page margin, one character under the other.
    tab = [c for c in pages[2] if c.x1 < make.MARGIN]
    assert "".join(c.get_text() for c in tab) == "お知らせ" and all(
        a.y0 > b.y1 - 1 for a, b in itertools.pairwise(tab)
    )
    # Page 5 ends inside a sentence; page 6 draws its page number first, then goes on with it.
    assert not text[4].endswith("。") and text[5].startswith("-6-")


def _pages_in_stream_order(pdf: Path) -> list[list]:
    """Each page's characters (pdfminer LTChar) in the order the content stream draws them."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    def chars(objects):
        for o in objects:
            if isinstance(o, LTChar):
                yield o
            elif hasattr(o, "__iter__"):
                yield from chars(o)

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    with pdf.open("rb") as handle:
        for page in PDFPage.get_pages(handle):
            interpreter.process_page(page)
            pages.append(list(chars(device.get_result())))
    return pages


# The born-digital layout issue -----------------------------------------------------------------


@slow
@needs_poppler
@pytest.mark.parametrize("page", range(1, truth.FEBRUARY_PAGES + 1))
def test_titles_page_by_page(february_pdf, february, page):
    printed = yaml.safe_load(february_pdf.with_suffix(".yml").read_text(encoding="utf-8"))["articles"]
    expected = [e.title for e, a in zip(EXPECTED, printed, strict=True) if a["page"] == page]
    assert expected and [a.title for a in february.articles if a.page == page] == expected


@slow
@needs_poppler
@pytest.mark.parametrize("title", _articles_param([e.title for e in EXPECTED]))
def test_first_and_last_sentences(february, title):
    texts, expected = paragraphs(article(february, title)), BY_TITLE[title]
    assert texts[0].startswith(expected.first)
    assert texts[-1].endswith(expected.last)


@slow
@needs_poppler
def test_the_masthead_date_line_publisher_and_printer_are_no_article(february):
    assert february.articles[0].title == "冬の楽山園Photoコンテスト" and february.articles[0].page == 1
    texts = [a.title for a in february.articles] + [t for a in february.articles for t in paragraphs(a)]
    for line in truth.COVER_LINES:
        assert not any(compact(line)[:8] in compact(t) for t in texts), line
    assert not any(re.search(r"No\.?712|印刷|発行", t) for t in texts)


@slow
@needs_poppler
def test_an_overprinted_heading_is_read_once(february):
    cover = february.articles[0]
    assert cover.title == "冬の楽山園Photoコンテスト"  # not 「冬冬冬のののPPPhhhooo…」
    assert paragraphs(cover) == list(BY_TITLE[cover.title].paragraphs)


@slow
@needs_poppler
def test_ruby_is_left_out_of_the_text(february):
    """Readings set over 楽山園, 拾九間長屋 and 雄川堰 (on the cover and in the report) are not read
    into the text, and do not break the sentence they sit over."""
    rubies = [
        r for s in truth.FEBRUARY for i in s.items if isinstance(i, truth.Para) for r in truth.rubies(i.text)
    ]
    assert len(rubies) == 5
    texts = [t for a in february.articles for t in paragraphs(a)]
    for base, reading in rubies:
        near = [t[max(0, m.start() - 30) : m.end() + 30] for t in texts for m in re.finditer(base, t)]
        assert near and not any(reading in n for n in near), (base, reading)
    for title in ("冬の楽山園Photoコンテスト", "建設"):
        assert paragraphs(article(february, title)) == list(BY_TITLE[title].paragraphs)


@slow
@needs_poppler
def test_three_columns_under_a_headline_with_little_space_below_it(february):
    feature = article(february, "特集　地域おこし協力隊が着任しました")
    assert paragraphs(feature) == list(BY_TITLE[feature.title].paragraphs)


@slow
@needs_poppler
def test_a_line_set_into_a_narrow_gutter_does_not_join_the_columns(february):
    for title in ("ふるさと納税のお礼", "空き家バンクに登録を"):
        assert paragraphs(article(february, title)) == list(BY_TITLE[title].paragraphs)


@slow
@needs_poppler
def test_a_heading_that_wraps_in_a_narrow_column_is_one_title(february):
    title = "地域おこし協力隊員をもう一人募集します"
    wrapped = article(february, title)  # printed 「◆地域おこし協力隊員を」 / 「もう一人募集します」
    assert paragraphs(wrapped) == list(BY_TITLE[title].paragraphs)
    assert not any(a.title in ("地域おこし協力隊員を", "もう一人募集します") for a in february.articles)


@slow
@needs_poppler
def test_vertical_tabs_are_neither_articles_nor_text(february):
    """お知らせ down the page margin, スポーツ and 相談 beside two articles, one character a line."""
    labels = set(truth.VERTICAL_LABELS) | {ch for label in truth.VERTICAL_LABELS for ch in label}
    assert not any(a.title in labels or len(a.title) == 1 for a in february.articles)
    texts = [t for a in february.articles for t in paragraphs(a)]
    # お知らせ is also printed across a column as a section label: that one has a test of its own.
    assert not any(t in labels - set(truth.SECTION_LABELS) for t in texts)
    for title in ("町民卓球大会", "心配ごと相談"):
        tabbed = article(february, title)
        assert paragraphs(tabbed)[0] == BY_TITLE[title].paragraphs[0]  # no ス, ポ … glued on


@slow
@needs_poppler
def test_section_labels_above_headings_are_neither_articles_nor_text(february):
    assert not any(a.title in truth.SECTION_LABELS for a in february.articles)
    texts = [t for a in february.articles for t in paragraphs(a)]
    assert not any(t in truth.SECTION_LABELS for t in texts), [t for t in texts if t in truth.SECTION_LABELS]


@slow
@needs_poppler
def test_report_sections_set_in_the_body_size_are_articles(february):
    """財　政, 教　育 …: body type, unindented, a blank line above, before an indented paragraph."""
    for title in ("財政", "教育", "福祉", "建設"):
        assert paragraphs(article(february, title)) == list(BY_TITLE[title].paragraphs), title
    report = [a.title for a in february.articles if a.page in (5, 6)]
    assert report == ["令和8年度　施政方針（要旨）", "財政", "教育", "福祉", "建設"]


@slow
@needs_poppler
def test_a_sentence_runs_on_over_the_page_break_and_its_page_number(february):
    welfare = article(february, "福祉")
    crossing = BY_TITLE["福祉"].paragraphs[1]  # 「…買い物が難しい方」 | - 6 - | 「のための移動販売…」
    assert crossing in paragraphs(welfare)
    assert not any(re.fullmatch(r"-?\s*\d+\s*-?", t) for t in paragraphs(welfare))


@slow
@needs_poppler
def test_pictograms_say_telephone_fax_and_mail(february):
    text = "".join(paragraphs(article(february, "心配ごと相談")))
    assert re.search(r"電話\s?74-2525", text) and re.search(r"ファクス\s?74-2526", text), text
    assert re.search(r"メール\s?soudan@kanra-shakyo\.example", text), text
    assert "☎" not in text and "℻" not in text and "✉" not in text
    contact = article(february, "町民卓球大会").notices[0].contact
    assert re.search(r"(☎|電話\s?)74-5678", contact), contact  # a notice keeps which number it is


@slow
@needs_poppler
def test_notices_with_colon_labels_values_that_wrap_and_end_times(february):
    for expected in EXPECTED:
        if not expected.notices:
            continue
        found = [{k: v for k, v in vars(n).items() if v} for n in article(february, expected.title).notices]
        assert found == list(expected.notices), expected.title
    fair = article(february, "ふるさと物産まつり").notices[0]
    assert fair.target == "町内在住・在勤の方とその家族（小学生以下は保護者同伴）"  # wrapped under the value
    assert fair.when.endswith("午前10時～午後3時")


@slow
@needs_poppler
def test_notices_become_events_with_their_day_times_and_place(february_pdf, tmp_path):
    """`publisher bulletin import` (in-process) on the layout issue: one event draft per dated
    notice, with the end time of 午前10時～午後3時 and a place read from a colon label."""
    project = write_project(tmp_path / "town", {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"})
    result = cli(project, "bulletin", "import", str(february_pdf), "--issue", "2026-02")
    assert result.returncode == 0, result.output
    events = {}
    for path in sorted((project / "content/events").rglob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        events[meta["title"]] = (str(meta.get("start")), str(meta.get("end")), compact(meta.get("place", "")))
    printed = yaml.safe_load(february_pdf.with_suffix(".yml").read_text(encoding="utf-8"))["notices"]
    assert events == {
        n["title"]: (f"{n['date']} {n['start']}", f"{n['date']} {n['end']}", compact(n["place"]))
        for n in printed
    }


PRINTED_WHENS = [
    pytest.param(
        {truth.FIELDS[label]: value for label, value in n.lines}["when"],
        issue,
        id=story.title,
    )
    for stories, issue in ((truth.STORIES, "2026-01"), (truth.FEBRUARY, "2026-02"))
    for story in stories
    for n in story.items
    if isinstance(n, truth.Notice)
]


@pytest.mark.parametrize("when, issue", PRINTED_WHENS)
def test_every_printed_notice_date_resolves_to_its_day_and_times(when, issue):
    """Each と　き of the generated issues as the event drafts get it (notices.resolve_when)."""
    from publisher.bulletin.notices import resolve_when

    event = truth.event_of(when, issue)
    sittings = resolve_when(when, issue)
    assert sittings[0][0] == (f"{event['date']} {event['start']}" if "start" in event else event["date"])
    if "end" in event:
        assert sittings[-1][1] == f"{event.get('end_date', event['date'])} {event['end']}"
    elif "end_date" in event:
        assert event["end_date"] in (sittings[-1][0][:10], sittings[-1][1][:10])


def test_a_range_whose_tilde_ocr_lost_is_still_a_range():
    """「2月16日～3月16日」 read as 「2月16日3月16日」: two dates with nothing between are a range;
    a day without its month after a date is no date (a person decides)."""
    from publisher.bulletin.notices import Unreadable, resolve_when

    assert resolve_when("2月16日3月16日午前9時～午後4時(土・日曜日を除く)", "2026-01") == (
        ("2026-02-16 09:00", "2026-03-16 16:00"),
    )
    with pytest.raises(Unreadable):
        resolve_when("2月16日16日", "2026-01")
    with pytest.raises(Unreadable):
        resolve_when("2月16日(月)午前9時 3月16日", "2026-01")


def test_a_course_range_read_with_junk_for_its_tilde_and_a_lost_weekday_is_a_range():
    """shakyo p4: 「6月27日(土)^令和9年2月13日( ) 13時30分～15時30分毎月第2・4土曜日」: ^ after the
    weekday's bracket is the ～, ( ) a weekday OCR lost, and 毎月… a note on the sessions."""
    from publisher.bulletin.notices import Unreadable, resolve_when
    from publisher.bulletin.text import ocr_clean

    written = ocr_clean("6月27日(土)^令和9年2月13日( ) 13時30分～15時30分毎月第2・4土曜日")
    assert written == "6月27日(土)～令和9年2月13日 13時30分～15時30分毎月第2・4土曜日"
    assert resolve_when(written, "2026-05") == (("2026-06-27 13:30", "2027-02-13 15:30"),)
    with pytest.raises(Unreadable):  # a second sitting is still for a person to split
        resolve_when("6月27日(土)～7月4日 13時30分～15時30分 8月1日", "2026-05")


@slow
@needs_poppler
def test_an_unruled_schedule_is_a_table(february):
    library = article(february, "図書館の2月の催し")
    assert tables_of(library) == list(BY_TITLE[library.title].tables)


@slow
@needs_poppler
def test_a_table_drawn_one_rectangle_per_cell_is_a_table(february):
    assert not [c for c in february.checks if "読み取れませんでした" in c.message]
    screening = article(february, "2月の各種検診")
    assert tables_of(screening) == list(BY_TITLE[screening.title].tables)


def tables_of(found) -> list[tuple]:
    """An article's tables as (header, *rows), the truth's form."""
    return [(b.header, *b.rows) for b in found.blocks if isinstance(b, Table)]


@slow
@needs_poppler
def test_qr_codes_become_links_and_the_ornament_band_no_picture(february):
    """A code printed as an image and one printed as a 1-bit image mask (exported inverted by
    pdfminer) are links where they were printed; the band under the masthead is dropped."""
    for expected in EXPECTED:
        if expected.links:
            found = article(february, expected.title)
            assert [b.url for b in found.blocks if isinstance(b, Link)] == list(expected.links), found.title
            assert not [b for b in found.blocks if isinstance(b, Picture)], found.title
    pictures = [(a.title, b.caption) for a in february.articles for b in a.blocks if isinstance(b, Picture)]
    assert pictures == [("冬の楽山園Photoコンテスト", "雪化粧の楽山園（昨年の入賞作品）")]
    assert not [c for c in february.checks if "見出しのない画像" in c.message]


# Scans -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def faded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faded")
    pdf = scans.faded_photocopy_pdf(folder / "kanra-notice-faded.pdf")
    started = time.perf_counter()
    record = extract_pdf(pdf, ocr="auto", workdir=folder / "work")
    TIMINGS["faded photocopy, 1 page, --ocr auto"] = time.perf_counter() - started
    return record


@slow
@needs_poppler
@needs_tesseract
def test_a_faded_photocopy_gives_its_title(faded):
    titles = [compact(a.title) for a in faded.articles]
    print(f"\nfaded photocopy: titles {titles}")
    assert any(Levenshtein.distance(t, compact(truth.FADED_TITLE)) <= 1 for t in titles), titles


@slow
@needs_poppler
@needs_tesseract
def test_a_faded_photocopy_gives_its_date_and_place(faded):
    notices = [n for a in faded.articles for n in a.notices]
    print(f"\nfaded photocopy: notices {notices}")
    assert any(compact(truth.FADED_DATE) in compact(n.when) for n in notices), notices
    assert any(compact(n.place) == compact(truth.FADED_PLACE) for n in notices), notices


@slow
@needs_poppler
@needs_tesseract
def test_a_faded_photocopy_keeps_its_notes(faded):
    """The ※ notes in light grey on off-white are all read (a 3×3 median and a fixed threshold
    erased such strokes), each within a character or two of what is printed."""
    texts = [compact(t) for a in faded.articles for t in paragraphs(a)]
    for note in truth.FADED_NOTES:
        assert any(Levenshtein.distance(compact(note), t) <= 2 for t in texts), (note, texts)


@pytest.fixture(scope="session")
def layered_scan(tmp_path_factory) -> Path:
    return scans.ocr_layer_scan_pdf(tmp_path_factory.mktemp("layered") / "kanra-2026-01-ocr-layer.pdf")


@slow
@needs_poppler
def test_the_scan_carries_a_tesseract_style_layer_with_zero_size_words(layered_scan):
    pages = _pages_in_stream_order(layered_scan)
    assert len(pages) == truth.LAYER_SCAN_PAGES
    chars = [c for page in pages for c in page]
    assert {c.fontname for c in chars} == {"GlyphLessFont"}
    assert sum(c.size == 0 for c in chars) and sum(0 < c.size < 0.5 for c in chars)  # size 0 and near 0
    assert sum(c.x1 - c.x0 == 0 and c.size >= 6 for c in chars)  # squeezed to no width (Tz 0)
    streams = re.findall(rb"/FlateDecode >>\nstream\n(.*?)\nendstream", layered_scan.read_bytes(), re.S)
    assert all(b"BT\n3 Tr" in zlib.decompress(data) for data in streams) and len(streams) == len(pages)
    text = "".join(c.get_text() for c in pages[1])
    assert "消防出初式を行います" in text


@slow
@needs_poppler
@needs_tesseract
@pytest.mark.parametrize("ocr", ["auto", "always", "never"])
def test_a_scan_with_its_own_ocr_layer_imports_with_every_ocr_setting(layered_scan, tmp_path, ocr):
    """Tesseract-style text layer with words at size 0, near 0 and no width: `publisher bulletin
    import --ocr auto|always|never` (in-process: a traceback would be raised here) makes drafts."""
    project = write_project(tmp_path / "town", {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"})
    started = time.perf_counter()
    result = cli(project, "bulletin", "import", str(layered_scan), "--issue", "2026-01", "--ocr", ocr)
    TIMINGS[f"2-page scan with an OCR layer, --ocr {ocr}"] = time.perf_counter() - started
    assert result.returncode == 0, result.output
    drafts = [p for p in (project / "content/bulletins/2026-01").glob("*.md") if p.name != "index.md"]
    titles = [re.search(r"^title: (.*)$", p.read_text(encoding="utf-8"), re.M).group(1) for p in drafts]
    print(f"\n--ocr {ocr}: {len(drafts)} articles {titles}")
    assert drafts


# The benchmark's truth ---------------------------------------------------------------------------


@slow
@needs_poppler
def test_generated_issues_carry_their_truth_in_the_benchmark_format(february_pdf, tmp_path):
    """make.py OUT_DIR writes <stem>.yml beside each PDF, which bench/bulletin_quality.py reads."""
    bench = load_module("bulletin_quality_for_tests", ROOT / "bench" / "bulletin_quality.py")
    january = make.born_digital_pdf(tmp_path / "kanra-2026-01.pdf", truth_file=True)
    for pdf, stories in ((january, truth.STORIES), (february_pdf, truth.FEBRUARY)):
        data = bench.truth_for(pdf)
        assert data["source"] == pdf.name and data["kind"] == "born-digital"
        assert [a["title"] for a in data["articles"]] == [
            truth.title_of(s.title).replace("\u3000", "") for s in stories
        ]
        notices = [n for s in stories for n in s.items if isinstance(n, truth.Notice)]
        assert len(data["notices"]) == len(notices) and all(n["date"] for n in data["notices"])
        grids = [g for s in stories for g in s.items if isinstance(g, truth.Grid)]
        assert [(t["rows"], t["cols"], t["first_cell"]) for t in data["tables"]] == [
            (len(g.rows), len(g.rows[0]), g.rows[0][0]) for g in grids
        ]
    january_data = bench.truth_for(january)
    assert [a["page"] for a in january_data["articles"]][:4] == [1, 2, 2, 2]
    skiing = next(n for n in january_data["notices"] if n["title"] == "町民スキー教室")
    assert (skiing["date"], skiing["end_date"], skiing["place"]) == (
        "2026-02-14",
        "2026-02-15",
        "群馬県内のスキー場",
    )
    february_data = bench.truth_for(february_pdf)
    assert {(r["base"], r["reading"]) for r in february_data["ruby"]} == {
        ("楽山園", "らくさんえん"),
        ("拾九間長屋", "じゅうくけんながや"),
        ("雄川堰", "おがわぜき"),
    }


@pytest.mark.parametrize(
    "printed, event",
    [
        ("1月18日㈰　午前10時～正午", {"date": "2026-01-18", "start": "10:00", "end": "12:00"}),
        ("1月12日㈷　午後1時30分～", {"date": "2026-01-12", "start": "13:30"}),
        ("令和8年2月1日㈰　午前9時30分～10時30分", {"date": "2026-02-01", "start": "09:30", "end": "10:30"}),
        (
            "2月16日㈪～3月16日㈪　午前9時～午後4時（土・日曜日、祝日を除く）",
            {"date": "2026-02-16", "end_date": "2026-03-16", "start": "09:00", "end": "16:00"},
        ),
        ("2月14日㈯・15日㈰", {"date": "2026-02-14", "end_date": "2026-02-15"}),
        ("2月18日㈬　午後1時30分～4時", {"date": "2026-02-18", "start": "13:30", "end": "16:00"}),
    ],
)
def test_the_truth_reads_printed_dates_and_times(printed, event):
    assert truth.event_of(printed, "2026-01") == event


def test_report_import_times(record_property):
    """Not a timed test: hands the times of the imports above (when they ran) to the summary at
    the end of the run (tests/conftest.py), where they are printed."""
    for label, seconds in TIMINGS.items():
        record_property(f"import time: {label}", round(seconds, 1))
