"""Telephone numbers in page text become tel: links (publisher/site/phones.py)."""

from __future__ import annotations

import pytest

from publisher.site.phones import tel_links


@pytest.mark.parametrize(
    "written",
    [
        "0274-74-0105",
        "(0274)74-0105",
        "（0274）74-0105",
        "0274(74)0105",
        "０２７４－７４－０１０５",
        "(0274) 74-0105",
    ],
)
def test_the_ways_staff_write_a_number_all_call_it(written):
    assert tel_links(f"<p>電話 {written}（平日）</p>") == (
        f'<p>電話 <a class="town-tel" href="tel:0274740105">{written}</a>（平日）</p>'
    )


def test_mobile_and_free_dial_numbers():
    assert 'href="tel:09012345678"' in tel_links("<p>090-1234-5678</p>")
    assert 'href="tel:0120123456"' in tel_links("<p>0120-123-456</p>")


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-07",  # a date
        "74-0105",  # no area code: not callable from outside the town
        "0274-74-01055",  # twelve digits
        "口座番号 1234-0274-74-0105",  # part of a longer number
    ],
)
def test_what_is_not_a_number_to_call_stays_text(text):
    assert tel_links(f"<p>{text}</p>") == f"<p>{text}</p>"


def test_links_code_and_attributes_are_left_alone():
    html = (
        '<p><a href="tel:0274740100">0274-74-0100</a></p>'
        "<pre><code>0274-74-0105</code></pre>"
        '<img alt="0274-74-0105" src="a.png">'
        "<p>問合せ 0274-74-0105</p>"
    )
    assert tel_links(html) == html.replace(
        "問合せ 0274-74-0105", '問合せ <a class="town-tel" href="tel:0274740105">0274-74-0105</a>'
    )
