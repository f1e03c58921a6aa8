"""What residents see, in a real browser: accessibility (axe, WCAG 2.x AA), search, display tools."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browser import PAGE_TYPES, SITE_TAGS, axe_violations, open_page_type

from publisher.outputs.words import SEPARATOR, WordSplitter

pytestmark = pytest.mark.slow  # the sample site built for real, in Chromium


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_axe_finds_no_wcag_or_best_practice_violations(browser, site_url, name, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    open_page_type(page, site_url, name)
    assert axe_violations(page, SITE_TAGS) == []
    page.close()


@pytest.mark.parametrize("name", ["home", "event page", "calendar month"])
def test_high_contrast_and_large_text_also_pass_axe(browser, site_url, name):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(site_url)
    page.get_by_role("button", name="白黒反転").click()
    page.get_by_role("button", name="拡大").click()
    open_page_type(page, site_url, name)
    classes = page.evaluate("document.documentElement.className")
    assert "town-contrast" in classes and "town-large" in classes
    assert axe_violations(page, SITE_TAGS) == []
    page.close()


def test_text_size_persists_across_pages_and_works_from_the_keyboard(browser, site_url):
    page = browser.new_page()
    page.goto(site_url)
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    enlarge = page.get_by_role("button", name="拡大")
    enlarge.focus()
    page.keyboard.press("Enter")
    assert enlarge.get_attribute("aria-pressed") == "true"
    page.goto(site_url + "kurashi/gomi/")
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    assert after >= before * 1.15
    assert page.get_by_role("button", name="拡大").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="標準").first.focus()
    page.keyboard.press("Space")
    assert "town-large" not in page.evaluate("document.documentElement.className")
    page.close()


def test_first_page_load_fetches_no_search_index_and_nothing_from_other_hosts(browser, site_url):
    page = browser.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(site_url) for url in requested), requested
    assert not [url for url in requested if "pagefind" in url or "search_index" in url]
    page.close()


# The last case is a 2024 post: built in 2026 it is in the archive shard the search page merges in.
@pytest.mark.parametrize(
    "query, expected",
    [
        ("こんにゃく", "こんにゃく"),
        ("ごみ収集", "ごみ収集日と分別のしかた"),
        ("窓口業務", "年末年始の役場窓口業務のお知らせ"),
    ],
)
def test_search_finds_japanese_words(browser, site_url, query, expected):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(site_url + "search/")
    page.get_by_label("検索する言葉").fill(query)
    page.locator("#town-search-form").get_by_role("button", name="検索").click()
    page.wait_for_selector("#town-search-results li")
    titles = page.locator("#town-search-results .town-list__title").all_inner_texts()
    assert any(expected in title for title in titles[:3]), titles
    summaries = page.locator("#town-search-results .town-list__summary").all_inner_texts()
    assert any(query in summary for summary in summaries[:3]), summaries  # the words joined back
    status = page.locator("#town-search-status").inner_text()
    assert f"「{query}」の検索結果" in status
    page.close()


def test_excerpts_keep_the_ideographic_spaces_of_the_text(browser, site_url):
    """The programme of the 防災訓練 sets each time apart with U+3000, and its list items end without
    a full stop: the search page shows both with ideographic spaces, not Pagefind's ". "."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(site_url + "search/?q=" + quote("安否確認"))
    page.wait_for_selector("#town-search-results li")
    summaries = page.locator("#town-search-results .town-list__summary").all_inner_texts()
    assert any(
        "8時15分　各地区の一時避難場所へ避難、区長さんを中心に安否確認　9時30分" in summary
        for summary in summaries
    ), summaries
    assert not any("\u2800" in summary or summary.startswith(("、", "）")) for summary in summaries), (
        summaries
    )
    page.close()


SENTENCES = [
    "甘楽町役場は、12月28日（土曜）から1月5日（日曜）まで閉庁します。",
    "子育て支援センターでマイナンバーカードを申請できます",
    "こんにゃくパークの駐車場には限りがありますので、乗り合わせてお越しください。",
    "城下町小幡の雄川堰と楽山園",
]


def test_the_index_splits_japanese_where_the_search_page_splits_the_query(browser):
    """Pagefind's search page splits a query with Intl.Segmenter; the index must hold the same words."""
    page = browser.new_page()
    in_browser = page.evaluate(
        """(texts) => {
        const words = new Intl.Segmenter("ja", {granularity: "word"});
        return texts.map((text) => Array.from(words.segment(text), (s) => s.segment));
    }""",
        SENTENCES,
    )
    page.close()
    splitter = WordSplitter()
    assert [splitter.spaced(text).split(SEPARATOR) for text in SENTENCES] == in_browser


def test_header_search_box_leads_to_results(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "kurashi/gomi/")
    page.get_by_label("サイト内検索").fill("楽山園")
    page.keyboard.press("Enter")
    page.wait_for_selector("#town-search-results li")
    assert "楽山園" in page.locator("#town-search-results").inner_text()
    page.close()


def test_phone_menu_opens_without_material_script(browser, site_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "kurashi/gomi/")
    guide = page.locator(".md-nav--primary").get_by_role("link", name="お知らせ", exact=True)
    assert guide.bounding_box()["x"] < 0, "the drawer starts closed, off screen"
    page.get_by_text("メニュー", exact=True).click()
    page.wait_for_timeout(600)  # the drawer slides in
    assert 0 <= guide.bounding_box()["x"] < 390
    assert not [url for url in requested if "bundle" in url]
    page.close()


def test_search_shows_ten_results_then_more_on_request(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "search/?q=甘楽町")
    page.wait_for_selector("#town-search-results li")
    assert page.locator("#town-search-results li").count() == 10
    more = page.get_by_role("button", name="さらに表示する")
    more.click()
    page.locator("#town-search-results li").nth(
        10
    ).wait_for()  # wait_for_function evals, which the CSP refuses
    assert page.locator("#town-search-results li").count() <= 20
    page.close()


@pytest.mark.parametrize(
    "path", ["kurashi/gomi/", "news/2026/2026-zeikin-shiharai-hoho/", "alerts/touketsu-romen-chui/"]
)
def test_content_pages_end_with_whom_to_ask_and_a_number_to_tap(browser, site_url, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + path)
    box = page.get_by_role("complementary", name="このページに関するお問い合わせ")
    box.scroll_into_view_if_needed()
    assert box.is_visible()
    phone = box.locator("a[href^='tel:']")
    assert phone.count() == 1 and phone.is_visible()
    page.close()
