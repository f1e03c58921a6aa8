"""The home page by task (issue 17): purpose entries and よくある手続き configured in mkdocs.yml, and
the footer's links; every target checked, icons inlined from the theme and hidden from readers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, cli, in_order, mkdocs_build, news, write_project

from publisher.content.config import parse_site_config
from publisher.content.errors import ContentErrors
from publisher.content.home_links import Home, Purpose
from publisher.site.icons import load_icons

MATERIAL = Path(pytest.importorskip("material").__file__).parent / "templates"
HOME = """\
      home:
        purposes:
          - label: ごみ・リサイクル
            icon: material/recycle
            target: kurashi/gomi.md
          - label: 町の地図
            target: https://map.town.example/
        procedures:
          - label: 住民票の写しの請求
            target: /kurashi/juminhyo.md
      footer_links:
        - label: アクセシビリティ方針
          target: about/accessibility.md
"""
PAGES = {
    "index.md": "---\ntitle: テスト町ホームページ\n---\n\nようこそ。\n",
    "kurashi/index.md": "---\ntitle: くらし\n---\n\n本文。\n",
    "kurashi/gomi.md": "---\ntitle: ごみの出し方\n---\n\n本文。\n",
    "kurashi/juminhyo.md": "---\ntitle: 住民票\n---\n\n本文。\n",
    "about/index.md": "---\ntitle: このサイトについて\n---\n\n本文。\n",
    "about/accessibility.md": "---\ntitle: アクセシビリティ方針\n---\n\n本文。\n",
    "news/2026/kaisai.md": news("お知らせです"),
}


def _options(home) -> dict:
    return {"town_name": "テスト町", "categories": [{"slug": "kurashi", "label": "くらし"}], "home": home}


def test_targets_are_pages_under_content_or_web_addresses_and_icons_are_names():
    home = parse_site_config(_options({"purposes": [{"label": "ごみ", "target": "/kurashi/gomi.md"}]})).home
    assert home.purposes[0].target == "kurashi/gomi.md"
    for bad, said in (
        ({"label": "a", "target": "javascript:alert(1)"}, "https:// で始まるアドレス"),
        ({"label": "a", "target": "../../etc/passwd.md"}, "content/ の中のページ"),
        ({"label": "a", "target": "a.md", "icon": "../../secret"}, "アイコンの名前"),
        ({"label": "a", "target": "a.md", "icno": "material/recycle"}, "icon の書き間違い"),
    ):
        with pytest.raises(ContentErrors) as caught:
            parse_site_config(_options({"purposes": [bad]}))
        assert said in str(caught.value) and "plugins.town.home.purposes（1番目）" in str(caught.value)


def test_check_names_mkdocs_yml_for_a_target_that_is_missing_or_not_published(tmp_path):
    pages = PAGES | {"kurashi/juminhyo.md": "---\ntitle: 住民票\ndraft: true\n---\n\n本文。\n"}
    del pages["about/accessibility.md"]
    project = write_project(tmp_path / "town", pages, MINIMAL_CONFIG + HOME)
    result = cli(project, "check")
    assert result.returncode == 1
    assert (
        "mkdocs.yml: plugins.town.home.procedures（1番目）.target: 「kurashi/juminhyo.md」というページは"
        " content/ にないか、公開されていません（「住民票の写しの請求」のリンク先）"
    ) in result.output
    assert "plugins.town.footer_links（1番目）.target: 「about/accessibility.md」" in result.output
    assert "home.purposes" not in result.output  # the page that exists, and the web address


def test_icons_come_from_the_theme_folders_hidden_from_readers(tmp_path):
    own = tmp_path / "theme" / ".icons" / "town"
    own.mkdir(parents=True)
    (own / "crest.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>')
    home = Home(purposes=(Purpose("ごみ", "a.md", "material/recycle"), Purpose("町", "b.md", "town/crest")))
    icons = load_icons(home, [str(tmp_path / "theme"), str(MATERIAL)])
    assert set(icons) == {"material/recycle", "town/crest"}
    assert all(svg.startswith('<svg aria-hidden="true" focusable="false" xmlns=') for svg in icons.values())
    with pytest.raises(ContentErrors) as caught:
        load_icons(Home(purposes=(Purpose("ごみ", "a.md", "material/no-such-icon"),)), [str(MATERIAL)])
    assert (
        "mkdocs.yml: plugins.town.home.purposes（1番目）.icon: 「material/no-such-icon」というアイコンは"
        in str(caught.value)
    )


@pytest.mark.slow  # a real build
def test_the_home_page_leads_with_purposes_then_procedures_news_and_its_own_text(tmp_path):
    project = write_project(tmp_path / "town", PAGES, MINIMAL_CONFIG + HOME)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    html = (project / "site/index.html").read_text(encoding="utf-8")
    order = [
        "テスト町ホームページ</h1>",
        "目的から探す",
        "よくある手続き",
        "新着のお知らせ",
        "<p>ようこそ。</p>",
    ]
    assert in_order(html, order)
    assert html.count("<h1") == 1
    assert 'href="kurashi/gomi/"><svg aria-hidden="true" focusable="false"' in html
    assert 'href="https://map.town.example/"><span class="town-purpose__label">町の地図</span>' in html
    assert '<a href="kurashi/juminhyo/">住民票の写しの請求</a>' in html
    page = (project / "site/kurashi/gomi/index.html").read_text(encoding="utf-8")
    assert '<a href="../../about/accessibility/">アクセシビリティ方針</a>' in page  # the footer
