"""What residents meet with a keyboard, when zoomed, or at a wrong address (issue 17), in Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # the sample site built for real, in Chromium

IN_DRAWER = "!!document.activeElement.closest('.md-sidebar--primary')"


def _focused(page) -> str:
    return page.evaluate("document.activeElement.innerText.trim()")


@pytest.mark.parametrize("path", ["", "kurashi/gomi/", "news/", "events/calendar/2026-12/", "alerts/"])
def test_every_page_starts_with_a_skip_link_to_the_text(browser, site_url, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + path)
    for _ in range(3):  # after the alert banner's links
        page.keyboard.press("Tab")
        if _focused(page) == "本文へ移動":
            break
    assert _focused(page) == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "town-content"
    page.close()


@pytest.mark.parametrize("width", [320, 390])
def test_the_closed_menu_is_out_of_the_tab_order_and_the_menu_button_opens_it(browser, site_url, width):
    page = browser.new_page(viewport={"width": width, "height": 700})
    page.goto(site_url + "kurashi/gomi/")
    reached = []
    for _ in range(25):
        page.keyboard.press("Tab")
        assert not page.evaluate(IN_DRAWER), f"Tab reached the closed menu: {_focused(page)}"
        reached.append(_focused(page))
    assert "メニュー" in reached
    page.get_by_role("button", name="メニュー").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)  # the drawer slides in
    assert page.evaluate(IN_DRAWER)
    assert page.get_by_role("button", name="メニュー").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate(IN_DRAWER) and page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert _focused(page) == "メニュー"
    assert page.get_by_role("button", name="メニュー").get_attribute("aria-expanded") == "false"
    page.close()


def test_controls_menu_label_and_footer_are_16px_and_labels_do_not_wrap_at_320(browser, site_url):
    page = browser.new_page(viewport={"width": 320, "height": 700})
    page.goto(site_url + "kurashi/gomi/")
    for selector in (
        ".town-menu-button__text",
        ".town-tools__button",
        ".town-tools__label",
        ".md-footer-meta",
    ):
        size = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")
        assert size >= 16, selector
    for selector in (".town-menu-button__text", ".town-tools__button", ".town-tools__label"):
        for element in page.locator(selector).all():
            if not element.is_visible():  # 読み上げ without a Japanese voice
                continue
            lines = element.evaluate("e => e.getClientRects().length")
            height = element.evaluate("e => e.getBoundingClientRect().height")
            font = element.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert lines == 1 and (height < 2 * font or selector == ".town-tools__button"), selector
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


def test_a_wrong_address_gets_a_japanese_page_with_search_and_ways_home(browser, site_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    response = page.goto(site_url + "404.html")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "お探しのページが見つかりません"
    assert "404" not in page.locator("article").inner_text()
    assert page.locator(".town-banner a").count() >= 1  # the alert in force, linked from the root
    assert page.locator(".town-banner a").first.get_attribute("href").startswith("/alerts/")
    search = page.get_by_role("searchbox", name="サイト内検索")
    assert search.is_visible()
    search.fill("ごみ")
    search.press("Enter")
    page.wait_for_url("**/search/?q=*")
    links = browser.new_page(viewport={"width": 390, "height": 844})
    links.goto(site_url + "404.html")
    names = [a.inner_text() for a in links.locator(".town-not-found-links a").all()]
    assert names[0] == "トップページ" and "くらし・手続き" in names and "緊急・安全情報" in names
    assert "広報紙" not in names  # the sample has no issue: no entry leading to 「まだありません」
    assert links.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    links.close()
    page.close()


def test_no_english_alt_text_and_no_staff_links_for_residents(browser, site_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + "kurashi/gomi/")
    alts = page.evaluate("Array.from(document.images).map(i => i.getAttribute('alt'))")
    assert "logo" not in alts and None not in alts
    assert page.locator("a[href*='github.com']").count() == 0
    assert "このページを編集" not in page.content()
    page.close()


def test_screenshots_of_the_not_found_page_and_the_contact_box(browser, site_url, screenshots):
    """For docs/screenshots/ (make screenshots): what residents see on a wrong address and at
    the end of a page, and the calendar page at phone width."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(site_url + "events/calendar/2026-12/")  # home-phone.png: test_browser_home.py
    page.screenshot(path=screenshots / "calendar-phone.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "404.html")
    page.screenshot(path=screenshots / "not-found-phone.png", full_page=True)
    page.goto(site_url + "kurashi/gomi/")
    box = page.locator(".town-contact")
    box.scroll_into_view_if_needed()
    box.screenshot(path=screenshots / "contact-box-phone.png")
    assert (screenshots / "not-found-phone.png").stat().st_size > 10_000
    assert (screenshots / "contact-box-phone.png").stat().st_size > 3_000
    page.close()
