"""The home page by task on a phone and a desktop (issue 17), in Chromium: the alert in force
first, then large purpose entries within the first screen, nothing wider than a 320 px phone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # the sample site built for real, in Chromium

BOXES = """selector => Array.from(document.querySelectorAll(selector), e => {
  const r = e.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, width: r.width, height: r.height, overflows: e.scrollWidth > e.clientWidth};
})"""


@pytest.mark.parametrize(
    "width, height", [(390, 844), (320, 568), (1280, 800)], ids=["phone", "small", "desktop"]
)
def test_purpose_entries_follow_the_alert_within_the_first_screen(
    browser, site_url, screenshots, width, height
):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(site_url)
    entries = page.evaluate(BOXES, ".town-purpose")
    labels = page.locator(".town-purpose").all_inner_texts()
    assert [label.replace("\n", "") for label in labels] == [
        "ごみ・リサイクル",
        "引っ越し・住所変更",
        "子育て",
        "介護・福祉",
        "税金",
        "防災",
    ]
    alert = page.evaluate(BOXES, ".town-banner a")[0]
    assert alert["bottom"] <= entries[0]["top"] < height, "the alert, then the entries in the first screen"
    if width >= 390:
        assert max(entry["bottom"] for entry in entries) <= height, "all six without scrolling"
    assert all(e["width"] >= 44 and e["height"] >= 44 and not e["overflows"] for e in entries), entries
    assert all(e["height"] >= 44 for e in page.evaluate(BOXES, ".town-procedures a"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    hidden = page.evaluate(
        "Array.from(document.querySelectorAll('.town-purpose svg'), s => s.getAttribute('aria-hidden'))"
    )
    assert hidden == ["true"] * 6  # the label says it; the icon is not read out
    assert page.get_by_role("link", name="ごみ・リサイクル").get_attribute("href") == "kurashi/gomi/"
    if width == 390:
        page.screenshot(path=screenshots / "home-phone.png")  # docs/screenshots/ with make screenshots
    page.close()


def test_the_accessibility_pages_are_linked_from_every_footer(browser, site_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + "kurashi/gomi/")
    footer = page.get_by_role("navigation", name="このサイトについて")
    footer.get_by_role("link", name="アクセシビリティ試験結果").click()
    page.wait_for_url("**/site-info/accessibility-report/")
    assert (
        "ページごとの結果" in page.content()
        and "https://www.town.kanra.example/kurashi/gomi/" in page.content()
    )
    page.get_by_role("navigation", name="このサイトについて").get_by_role(
        "link", name="アクセシビリティ方針"
    ).click()
    page.wait_for_url("**/site-info/accessibility/")
    assert "JIS X 8341-3:2016 の適合レベルAAに準拠" in page.content()
    page.close()
