"""What OCR makes of marks (issue 15): solid marks found before Tesseract reads a scan
(solid_marks.py), and the time ranges it misreads put back (text.ocr_clean)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from publisher.bulletin import solid_marks
from publisher.bulletin.text import ocr_clean


def _page_with_marks() -> Image.Image:
    """◆ ■ ● ▲ at 14 pt (58 px at 300 dpi), each before a row of thin letter strokes; a heavy
    letter (two thick bars joined at the foot, not convex) and a photo-like dark area."""
    page = Image.new("L", (1600, 1400), 250)
    draw = ImageDraw.Draw(page)
    marks = {
        "◆": lambda x, y: draw.polygon(
            [(x + 29, y), (x + 58, y + 29), (x + 29, y + 58), (x, y + 29)], fill=20
        ),
        "■": lambda x, y: draw.rectangle((x + 4, y + 4, x + 54, y + 54), fill=20),
        "●": lambda x, y: draw.ellipse((x + 2, y + 2, x + 56, y + 56), fill=20),
        "▲": lambda x, y: draw.polygon([(x + 29, y + 4), (x + 56, y + 54), (x + 2, y + 54)], fill=20),
    }
    for n, draw_mark in enumerate(marks.values()):
        y = 100 + 200 * n
        draw_mark(100, y)
        for x in range(175, 1100, 60):  # letters: strokes 6 px thick, 4 px after the mark at the start
            draw.line((x, y + 10, x + 44, y + 10), fill=20, width=6)
            draw.line((x + 20, y, x + 20, y + 56), fill=20, width=6)
    draw.rectangle((200, 950, 230, 1040), fill=20)  # a heavy letter: two bars and a foot
    draw.rectangle((260, 950, 290, 1040), fill=20)
    draw.rectangle((200, 1020, 290, 1040), fill=20)
    draw.rectangle((600, 900, 1100, 1300), fill=60)  # a dark photo
    return page


def test_solid_marks_are_found_and_nothing_else():
    found = solid_marks.find(_page_with_marks())
    assert [(m[0] // 10, m[1] // 10, m[4]) for m in sorted(found, key=lambda m: m[1])] == [
        (10, 10, "◆"),
        (10, 30, "◆"),
        (10, 50, "◆"),
        (10, 70, "▲"),
    ], found


def test_blanked_marks_leave_the_letters():
    page = _page_with_marks()
    found = solid_marks.find(page)
    blank = solid_marks.blanked(page, found)
    assert all(blank.getpixel(((m[0] + m[2]) // 2, (m[1] + m[3]) // 2)) == 255 for m in found)
    assert blank.getpixel((195, 110)) < 128  # the first letter's stroke, 4 px after the ◆


def test_time_ranges_misread_by_ocr_are_put_back():
    assert ocr_clean("7月30日(木) 9:30こ12:00くらい") == "7月30日(木) 9:30～12:00くらい"
    assert ocr_clean("13:30~-14:30") == "13:30～14:30"
    assert ocr_clean("10:00て11:30") == "10:00～11:30"
    assert ocr_clean("19:0020:30") == "19:00～20:30"  # the ～ lost
    assert ocr_clean("受付 9:00 開会 9:30") == "受付9:00開会9:30"  # times with words between stay apart


def test_grade_and_age_ranges_misread_as_dashes_are_put_back():
    assert ocr_clean("小学1一2年生は保護者同伴") == "小学1～2年生は保護者同伴"
    assert ocr_clean("小学1-4年生") == "小学1～4年生"
    assert ocr_clean("3ー5歳のお子さん") == "3～5歳のお子さん"
    assert ocr_clean("電話382-8698") == "電話382-8698"  # a telephone number keeps its dash
    assert ocr_clean("2025-26年度") == "2025-26年度"  # a year is no grade
    assert ocr_clean("2025-10歳") == "2025-10歳"  # nor a number of more than two digits


def test_the_title_is_what_its_marks_enclose():
    from publisher.bulletin.text import marked_title

    assert marked_title("◆みえの森と緑のお話と廃材で工作◆みえ森と緑の県民税市町交付金事業") == (
        "みえの森と緑のお話と廃材で工作",
        "みえ森と緑の県民税市町交付金事業",
    )
    assert marked_title("地産地消講座　◆親子でペンギンの飾り巻き寿司体験◆") == (
        "親子でペンギンの飾り巻き寿司体験",
        "地産地消講座",
    )
    assert marked_title("◆◆駐車場について◆◆") == ("駐車場について", "")
    assert marked_title("すずぷん★ドームシアター") == ("すずぷん★ドームシアター", "")  # ★ sits inside names
    assert marked_title("お知らせ") == ("お知らせ", "")


def test_a_middle_dot_read_surely_is_a_letter_not_a_speck():
    from publisher.bulletin.tsv import is_speck

    assert not is_speck("・", 92.7)  # 金銭・賃貸: Tesseract gives the dot a word of its own
    assert is_speck("・", 31.0)  # dust it doubts
    assert is_speck("|", 95.0) and is_speck("_", 90.0)
    assert not is_speck("賃貸", 20.0)


def test_misread_brackets_commas_ranges_and_look_alikes_are_put_back():
    assert ocr_clean("第1土曜日13時-15時00分・第2水曜日10時30分~-11時30分") == (
        "第1土曜日13時～15時00分・第2水曜日10時30分～11時30分"
    )
    assert ocr_clean("「福祉の担い手]づくり") == "「福祉の担い手」づくり"
    assert ocr_clean("一般の方1.500円、約13億2.980万円") == "一般の方1,500円、約13億2,980万円"
    assert ocr_clean("石のORコードよりお申し込みください") == "右のQRコードよりお申し込みください"
    assert ocr_clean("石記申込フォームまたは電話") == "右記申込フォームまたは電話"
    assert ocr_clean("石の上にも三年、版1.2.3") == "石の上にも三年、版1.2.3"  # no context, no change
    assert ocr_clean("墓石の申込は") == "墓石の申込は"  # a word ending in 石 stays


def test_times_tesseract_doubts_are_kept():
    """Tesseract rates 9:30~12:00 low (it doubts the ～), and a line with a photo's junk beside it
    is not sure enough to keep unsure words; a time's shape is strict enough to keep it anyway."""
    from publisher.bulletin.tsv import _TIME_WORD

    assert all(_TIME_WORD.match(t) for t in ("9:30~12:00", "10:00-11:30", "13:30~", "9:30こ12:00", "14:00"))
    assert not any(_TIME_WORD.match(t) for t in ("巡", "1:2:3", "12345", "9:3"))


def test_a_minute_read_as_letters_o_is_put_back():
    assert ocr_clean("12:00～16:oo") == "12:00～16:00"
    assert ocr_clean("9:3o～") == "9:30～"
    assert ocr_clean("OK、NO:oo") == "OK、NO:oo"  # letters o without a digit before the colon stay


def _tsv_line(words: list[tuple[str, int, int, float]], top: int = 320, height: int = 62) -> str:
    """One Tesseract line of (text, left, right, confidence) words, in TSV."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    rows.append(f"4\t1\t1\t1\t1\t0\t{words[0][1]}\t{top}\t{words[-1][2] - words[0][1]}\t{height}\t-1\t")
    for k, (text, left, right, conf) in enumerate(words, 1):
        rows.append(f"5\t1\t1\t1\t1\t{k}\t{left}\t{top}\t{right - left}\t{height}\t{conf}\t{text}")
    return "\n".join(rows) + "\n"


def test_a_mark_read_into_the_first_word_of_a_heading_is_the_mark():
    """「◆町民スキー教室」: Tesseract read ◆町 as one unsure word 金町 starting on the mark (its box
    spanning the whole line); the mark found in the image replaces the misread letter."""
    from publisher.bulletin import tsv

    words = [
        ("金町", 167, 660, 5.0),
        ("民", 325, 387, 91.0),
        ("スキー", 387, 540, 95.0),
        ("教室", 540, 660, 96.0),
    ]
    page = Image.new("L", (800, 500), 250)
    glyphs = tsv.words(_tsv_line(words), page, marks=[(165, 325, 225, 384, "◆")])
    assert "".join(g.text for g in glyphs) == "◆町民スキー教室"
