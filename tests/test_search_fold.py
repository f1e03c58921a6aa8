"""Search that forgives spelling: the folding rules (publisher/outputs/fold.py and town-fold.js),
the folded words each search copy carries, synonyms from the config, and the search page."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from publisher.content.config import parse_site_config
from publisher.content.errors import ContentErrors
from publisher.outputs.fold import FIELD, fold, folded_terms
from publisher.outputs.search_index import search_copy
from publisher.outputs.words import SEPARATOR, WordSplitter

SAMPLES = [
    "ゴミ",
    "ごみ",
    "ｺﾞﾐ",
    "コンピューター",
    "コンピュータ",
    "ｻｰﾋﾞｽ",
    "サービス",
    "Ｗｉ－Ｆｉ",
    "ＡＢＣ",
    "１２月",
    "ヴァイオリン",
    "いすゞ",
    "ヽ",
    "ー",
    "甘楽町",
    "㈱カンラ",
    "ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ",
    "𠮷野家",
]


@pytest.fixture(scope="module")
def words():
    return WordSplitter()


def test_the_three_spellings_of_gomi_fold_alike():
    assert fold("ゴミ") == fold("ごみ") == fold("ｺﾞﾐ") == "ごみ"


def test_a_final_long_vowel_mark_is_dropped_and_one_inside_kept():
    assert fold("コンピューター") == fold("コンピュータ") == fold("ｺﾝﾋﾟｭｰﾀｰ") == "こんぴゅーた"
    assert fold("サービス") == "さーびす" != fold("サビス")
    assert fold("ー") == ""


def test_width_and_case_fold_as_nfkc_and_lower_case():
    assert fold("Ｗｉ－Ｆｉ") == "wi-fi"
    assert fold("１２月") == "12月"
    assert fold("甘楽町") == "甘楽町"


def test_only_words_that_folding_changes_get_extra_terms(words):
    spaced = words.spaced("ごみ袋はスーパーで。ゴミの日")
    terms = folded_terms(spaced, words)
    assert "ごみ" in terms and "すーぱ" in terms
    assert "袋" not in terms and "の" not in terms and "。" not in terms
    assert len(terms) == len(set(terms))


def test_a_folded_word_icu_splits_again_is_indexed_whole_and_in_pieces(words):
    """The browser's Pagefind splits the folded query with ICU: the pieces must be in the index."""
    terms = folded_terms("コンピューターウイルス", words)
    pieces = words.spaced(fold("コンピューターウイルス")).split(SEPARATOR)
    assert len(pieces) > 1 and terms == list(dict.fromkeys([fold("コンピューターウイルス"), *pieces]))


PAGE = """<!doctype html><html lang="ja"><title>t</title><body><div data-pagefind-body>
<h1>粗大ゴミの出し方</h1><p data-pagefind-ignore>イベントの<b>概要</b>と<span>テスト</span></p>
<p>ｺﾞﾐ収集と１２月の<img alt="ゴミ袋">パソコン</p></div><footer>メニュー</footer></body></html>"""


def test_a_search_copy_carries_the_folded_words_of_its_indexed_text_only(words):
    copy = search_copy(PAGE, words)
    meta = f'<meta data-pagefind-meta="{FIELD}[content]" content="'
    assert meta in copy and copy.endswith("</body></html>")
    terms = copy.split(meta)[1].split('"')[0].split()
    assert {"ごみ", "12", "ぱそこん"} <= set(terms)
    assert not {"いべんと", "てすと", "めにゅ"} & set(terms)  # ignored parts and the footer
    assert "粗大" in copy and "ゴミ" in copy  # the text itself is as written


def test_a_page_without_words_to_fold_gets_no_field(words):
    page = '<html lang="ja"><body><div data-pagefind-body><p>ごみの日</p></div></body></html>'
    assert "data-pagefind-meta" not in search_copy(page, words)


def config(**options):
    return parse_site_config(
        {"town_name": "テスト町", "categories": [{"slug": "a", "label": "A"}], **options}
    )


def test_synonym_groups_are_read_from_the_config():
    found = config(search_synonyms=[["引越し", "引っ越し", "転居"], ["子育て", "育児", "育児"]])
    assert found.search_synonyms == (("引越し", "引っ越し", "転居"), ("子育て", "育児"))
    assert config().search_synonyms == ()


@pytest.mark.parametrize("groups", [[["引越し"]], ["引越し"], [["", "転居"]]])
def test_a_group_needs_two_words(groups):
    with pytest.raises(ContentErrors, match="search_synonyms（1番目）"):
        config(search_synonyms=groups)


# In a real browser, on the sample site built once for the test session.


@pytest.mark.slow
def test_the_search_page_folds_as_the_build_does(browser, site_url):
    """town-fold.js and fold.py give the same folded words, and the browser splits a folded query
    into the pieces folded_terms put in the index."""
    page = browser.new_page()
    page.goto(site_url + "search/")
    module = site_url + "assets/javascripts/town-fold.js"
    in_browser = page.evaluate(
        """async ([module, samples]) => {
        const {fold, foldedWords} = await import(module);
        const words = new Intl.Segmenter("ja", {granularity: "word"});
        return samples.map((s) => [fold(s), foldedWords(s).flatMap((w) =>
            Array.from(words.segment(w), (p) => p.segment).filter((p) => /[\\p{L}\\p{N}]/u.test(p)))]);
    }""",
        [module, SAMPLES],
    )
    page.close()
    splitter = WordSplitter()
    expected = [[fold(s), pieces(s, splitter)] for s in SAMPLES]
    assert in_browser == expected


def pieces(text: str, splitter: WordSplitter) -> list[str]:
    """The words Pagefind looks up for `text` typed as a query, as the build sees them: each word
    folded (folded_terms' rule), then split again."""
    found = []
    for word in splitter.spaced(text).replace(SEPARATOR, " ").split():
        for piece in splitter.spaced(fold(word)).replace(SEPARATOR, " ").split() if fold(word) else []:
            found += [piece] if any(char.isalnum() for char in piece) else []
    return found


def results(page, site_url: str, query: str) -> list[str]:
    """Type `query` into the search page and return every result's address, in order."""
    page.goto(site_url + "search/")
    page.get_by_label("検索する言葉").fill(query)
    page.locator("#town-search-form").get_by_role("button", name="検索").click()
    status = page.locator("#town-search-status", has_text=f"「{query}」の検索結果")
    count = int(re.search(r"(\d+) 件", status.inner_text()).group(1))
    items = page.locator("#town-search-results li")
    for shown in range(10, count + 10, 10):  # ten at a time, then さらに表示する
        items.nth(min(shown, count) - 1).wait_for()
        if shown < count:
            page.get_by_role("button", name="さらに表示する").click()
    assert items.count() == count
    return [link.get_attribute("href") for link in items.locator(".town-list__title a").all()]


@pytest.mark.slow
def test_gomi_in_three_spellings_finds_the_same_pages_with_date_and_category(browser, site_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    found = {query: results(page, site_url, query) for query in ("ゴミ", "ごみ", "ｺﾞﾐ")}
    assert found["ごみ"] and found["ゴミ"] == found["ごみ"] == found["ｺﾞﾐ"], found
    assert any("kurashi/gomi" in url for url in found["ゴミ"])
    news = page.locator("#town-search-results li", has_text="年末年始のごみ収集日程").first
    assert "2024年12月2日" in news.locator(".town-list__meta").inner_text()
    assert news.locator(".town-badge").inner_text() == "くらし・手続き"
    marks = page.locator("#town-search-results mark").all_inner_texts()
    assert marks and set(marks) == {"ごみ"}, marks  # the text as written: the pages say ごみ
    page.close()


@pytest.mark.slow
def test_a_folded_match_shows_and_marks_the_original_text(browser, site_url):
    """すーぱー in hiragana finds スーパー through the folded words; the excerpt shows スーパー."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    assert any("kurashi/gomi" in url for url in results(page, site_url, "すーぱー"))
    summary = page.locator("#town-search-results li", has_text="ごみ収集日と分別のしかた").locator(
        ".town-list__summary"
    )
    assert "スーパー" in summary.locator("mark").all_inner_texts()
    assert "すーぱ" not in page.locator("#town-search-results").inner_text()
    page.close()


@pytest.mark.slow
def test_a_synonym_from_the_config_finds_the_pages_of_its_partner(browser, site_url):
    """mkdocs.yml groups 子育て and 育児 (one sample page says 育児, a dozen 子育て), and 高齢者
    with お年寄り, which no page uses: Pagefind alone answers お年寄り with every page holding 年."""
    page = browser.new_page()
    childcare = results(page, site_url, "育児")
    assert len(childcare) > 5 and childcare == results(page, site_url, "子育て")
    elderly = results(page, site_url, "お年寄り")
    assert elderly and elderly == results(page, site_url, "高齢者")
    page.close()


@pytest.mark.slow
def test_results_arriving_move_nothing_in_view(browser, site_url):
    """Cumulative layout shift of the search page as a phone opens it with a query: under 0.1."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.add_init_script(
        "window.__shift = 0; new PerformanceObserver((list) => { for (const e of list.getEntries())"
        " if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: 'layout-shift', buffered: true});"
    )
    page = context.new_page()
    page.goto(site_url + "search/?q=" + quote("ごみ"))
    page.wait_for_selector("#town-search-results li")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__shift") < 0.1
    context.close()
