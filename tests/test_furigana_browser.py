"""ふりがな and 読み上げ as residents use them, in Chromium on the sample site (issue 17), and the
readings kept out of the search index and the feeds."""

from __future__ import annotations

import json
import re

import pytest
from browser import axe_violations
from conftest import pagefind_fragment

pytestmark = pytest.mark.slow  # the sample site built for real, in Chromium

NEWS = "news/2026/2026-furusato-matsuri-report/"  # a news item that names 甘楽町
KANJI_ONLY = r"^[\u3400-\u9fff々〆ヶ]+$"
# Chromium here has no voice: the test gives it a Japanese one (after a moment, as real browsers
# do) and records what it was asked to say.
SPEECH_STUB = """
(() => {
  const said = [], calls = [];
  let voices = [];
  class Synth extends EventTarget {
    getVoices() { return voices; }
    speak(u) {  // the first six sentences end at once, the seventh goes on being read
      said.push({text: u.text, lang: u.lang});
      if (said.length < 7) setTimeout(() => u.onend && u.onend(), 5);
    }
    cancel() { calls.push("cancel"); }
    pause() { calls.push("pause"); }
    resume() { calls.push("resume"); }
  }
  const synth = new Synth();
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.__speech = {said, calls};
  setTimeout(() => { voices = [{lang: "ja-JP", name: "stub"}]; synth.dispatchEvent(new Event("voiceschanged")); }, 50);
})();
"""


def _until(page, condition: str, seconds: float = 5) -> None:
    """wait_for_function evaluates a string, which the pages' policy refuses: poll instead."""
    for _ in range(int(seconds * 20)):
        if page.evaluate(condition):
            return
        page.wait_for_timeout(50)
    raise AssertionError(condition)


def _rubies(page) -> list[tuple[str, str]]:
    return [
        tuple(pair)
        for pair in page.evaluate(
            """() => Array.from(document.querySelectorAll("article ruby.town-ruby")).map(r =>
             [r.firstChild.textContent, r.querySelector("rt").textContent])"""
        )
    ]


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_the_furigana_switch_loads_readings_on_demand_and_is_remembered(
    browser, site_url, width, screenshots
):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url + NEWS)
    switch = page.get_by_role("button", name="ふりがな")
    assert switch.get_attribute("aria-pressed") == "false"
    assert not [
        url for url in fetched if url.endswith((".furigana.json", "town-speech.js"))
    ]  # not on first load
    assert page.locator("ruby").count() == 0
    switch.focus()
    page.keyboard.press("Enter")  # from the keyboard
    page.wait_for_selector("ruby.town-ruby rt")
    rubies = _rubies(page)
    assert ("甘楽町", "かんらまち") in rubies
    assert all(re.match(KANJI_ONLY, base) for base, _ in rubies), rubies  # never over kana
    assert page.evaluate("getComputedStyle(document.querySelector('rt')).display") != "none"
    assert [url for url in fetched if url.endswith(".furigana.json")] == [
        site_url + NEWS + "index.furigana.json"
    ]
    assert axe_violations(page) == []
    if width == 390:  # for docs/screenshots/ (make screenshots)
        # from the top to the end of the first paragraph that names the town
        end = page.locator("article p", has_text="甘楽町").first.bounding_box()
        clip = {"x": 0, "y": 0, "width": width, "height": min(end["y"] + end["height"] + 16, 1800)}
        page.screenshot(path=screenshots / "furigana-phone.png", full_page=True, clip=clip)

    page.goto(site_url + "kanko/rakusanen/")  # remembered on the next page
    page.wait_for_selector("ruby.town-ruby rt")
    assert ("楽山園", "らくさんえん") in _rubies(page)  # from the reading list in mkdocs.yml
    assert page.get_by_role("button", name="ふりがな").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="ふりがな").click()
    assert page.evaluate("getComputedStyle(document.querySelector('rt')).display") == "none"
    page.goto(site_url + NEWS)
    assert page.get_by_role("button", name="ふりがな").get_attribute("aria-pressed") == "false"
    context.close()


def test_reading_aloud_says_the_text_in_japanese_without_the_readings(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    page.goto(site_url + NEWS)
    page.get_by_role("button", name="ふりがな").click()
    page.wait_for_selector("ruby.town-ruby rt")
    speak = page.get_by_role("button", name="読み上げ")
    speak.wait_for(state="visible")  # once the late voice arrived
    speak.click()
    _until(page, "window.__speech.said.length == 7")
    said = page.evaluate("window.__speech.said")
    text = "".join(s["text"] for s in said)
    assert {s["lang"] for s in said} == {"ja-JP"}
    title = page.locator("h1").evaluate(
        "h => { h = h.cloneNode(true); h.querySelectorAll('rt').forEach(r => r.remove()); return h.textContent.trim(); }"
    )
    assert said[0]["text"] == title
    assert "甘楽町" in text and "かんらまち" not in text
    assert all(len(s["text"]) < 200 for s in said)  # sentence by sentence
    assert page.evaluate("CSS.highlights.has('town-speech')")  # the sentence being read
    page.get_by_role("button", name="一時停止").click()
    page.get_by_role("button", name="再開").click()
    page.get_by_role("button", name="停止", exact=True).click()
    assert page.evaluate("window.__speech.calls").count("pause") == 1
    assert "resume" in page.evaluate("window.__speech.calls")
    assert not page.get_by_role("button", name="一時停止").is_visible()
    assert page.evaluate("document.activeElement.id") == "town-speech"
    context.close()


def test_without_a_japanese_voice_there_is_no_reading_button(browser, site_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})  # Chromium here has no voice
    page.goto(site_url + NEWS)
    page.wait_for_timeout(300)
    assert page.evaluate("speechSynthesis.getVoices().filter(v => v.lang.startsWith('ja')).length") == 0
    assert not page.locator("#town-speech").is_visible()
    page.close()


@pytest.mark.parametrize("width", [320, 390])
def test_both_controls_fit_the_phone_header_at_16px(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 700})
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    page.goto(site_url + NEWS)
    page.get_by_role("button", name="読み上げ").wait_for(state="visible")
    header = page.locator(".md-header").bounding_box()
    assert header["height"] < 80  # one line, as before
    for name in ("ふりがな", "読み上げ"):
        button = page.get_by_role("button", name=name)
        size = button.evaluate("b => parseFloat(getComputedStyle(b).fontSize)")
        box = button.bounding_box()
        lines = button.evaluate(
            "b => { const r = document.createRange(); r.selectNodeContents(b); return r.getClientRects().length; }"
        )
        assert size >= 16 and lines == 1 and box["x"] + box["width"] <= width, name
    page.get_by_role("button", name="読み上げ").focus()
    page.keyboard.press("Enter")
    stop = page.get_by_role("button", name="停止", exact=True)
    assert stop.bounding_box()["width"] < width
    assert page.evaluate("document.activeElement.textContent") == "一時停止"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    context.close()


def test_readings_stay_out_of_the_search_index_and_the_feeds(sample_site):
    files = sorted(sample_site.rglob("*.furigana.json"))
    assert len(files) > 50 and not (sample_site / "404.furigana.json").exists()
    pages = "".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("*.html"))
    readings = {
        r[2]
        for f in files
        for rubies in json.loads(f.read_text(encoding="utf-8"))["t"].values()
        for r in rubies
    }
    only_readings = {r for r in readings if len(r) >= 4 and r not in pages}  # じょうかまち, …
    assert len(only_readings) > 100
    index = [pagefind_fragment(p) for p in (sample_site / "pagefind").rglob("*.pf_fragment")]
    feeds = [p.read_text(encoding="utf-8") for p in (sample_site / "feeds").iterdir()]
    assert len(index) > 30 and len(feeds) > 4
    for text in index + feeds:
        assert "<ruby" not in text and "<rt" not in text
        assert not [r for r in only_readings if r in text]
