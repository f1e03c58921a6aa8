"""The shipped sample site, built for real at a fixed moment."""

from __future__ import annotations

import re
import shutil

import feedparser
import pytest
from conftest import ROOT, cli, in_order, mkdocs_build, site_text

UNPUBLISHED = {
    "draft": ("下書きサンプル", "draft-sample"),
    "embargoed": ("公開予約サンプル", "embargo-sample"),
    "expired": ("大雨による避難指示（解除済み）", "oame-hinan-shiji-kaijo"),
}


@pytest.mark.slow  # the sample site built for real
@pytest.mark.parametrize("case", sorted(UNPUBLISHED))
def test_unpublished_items_are_in_no_output(sample_site, case):
    title, slug = UNPUBLISHED[case]
    outputs = site_text(sample_site)
    assert {"sitemap.xml", "feeds/news.xml", "calendar/events.ics", "opendata/events.csv"} <= set(outputs)
    fragments = [
        text for path, text in outputs.items() if path.startswith("pagefind/") and "/fragment/" in path
    ]
    assert len(fragments) > 50 and any("ごみ収集日と分別のしかた" in text for text in fragments)
    for path, text in outputs.items():
        assert title not in text, path
        assert slug not in text, path
    assert not [p for p in sample_site.rglob("*") if slug in p.as_posix()]


@pytest.mark.slow  # a real build
def test_embargoed_item_appears_once_its_moment_has_come(tmp_path):
    project = tmp_path / "later"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copy(ROOT / "mkdocs.yml", project)
    assert mkdocs_build(project, now="2027-01-04 08:30").returncode == 0
    site = project / "site"
    assert (site / "news/2027/embargo-sample/index.html").is_file()
    assert "公開予約サンプル" in feedparser.parse((site / "feeds/news.xml").read_bytes()).entries[0].title
    assert "embargo-sample" in (site / "sitemap.xml").read_text()
    assert not (site / "news/2026/draft-sample/index.html").exists()


@pytest.mark.slow  # the sample site built for real
def test_sample_has_the_promised_content(sample_site):
    content = ROOT / "content"
    guide = [
        p for p in content.rglob("*.md") if p.parts[len(content.parts)] not in ("news", "events", "alerts")
    ]
    assert len(guide) >= 15
    assert len(list((content / "news").rglob("*.md"))) >= 30
    assert len(list((content / "events").rglob("*.md"))) >= 12
    assert any("dates:" in p.read_text() for p in (content / "events").rglob("*.md"))
    assert len(list((content / "images").glob("*.jpg"))) >= 3


@pytest.mark.slow  # the sample site built for real
def test_home_lists_alert_news_and_events(sample_site):
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    order = [
        "凍結路面への注意",
        "目的から探す",
        "よくある手続き",
        "新着のお知らせ",
        "これからのイベント",
        "甘楽町へようこそ</h2>",
    ]
    assert in_order(html, order)
    assert "凍結路面への注意" in html
    assert "このサイトの内容はすべて架空のサンプルです" in html


@pytest.mark.slow  # the sample site built for real
def test_alert_banner_on_every_page(sample_site):
    for page in (
        "index.html",
        "kurashi/gomi/index.html",
        "news/index.html",
        "events/calendar/2026-12/index.html",
    ):
        html = (sample_site / page).read_text(encoding="utf-8")
        assert re.search(r'class="town-banner".*凍結路面への注意', html, re.S), page


@pytest.mark.slow  # the sample site built for real
def test_news_listing_pagination_categories_and_archive(sample_site):
    first = (sample_site / "news/index.html").read_text(encoding="utf-8")
    assert first.count('class="town-list__item"') == 10
    assert 'rel="next" href="page/2/"' in first
    last = (sample_site / "news/page/3/index.html").read_text(encoding="utf-8")
    assert 'rel="prev"' in last and 'rel="next"' not in last
    kanko = (sample_site / "news/category/kanko/index.html").read_text(encoding="utf-8")
    assert "<h1" in kanko and "観光・文化" in kanko
    assert (sample_site / "news/archive/2025/index.html").is_file()


@pytest.mark.slow  # the sample site built for real
def test_posts_are_not_in_the_menu_but_listings_are(sample_site):
    html = (sample_site / "kurashi/gomi/index.html").read_text(encoding="utf-8")
    nav = html[html.index('class="md-nav md-nav--primary"') : html.index('class="md-content"')]
    assert "news/2026/" not in nav and "events/2026/" not in nav
    for label in ("お知らせ", "イベント", "イベントカレンダー", "緊急・安全情報", "くらし・手続き"):
        assert re.search(rf">\s*{label}\s*<", nav), label


@pytest.mark.slow  # the sample site built for real
def test_multi_day_and_multi_date_events_appear_on_each_day(sample_site):
    december = (sample_site / "events/calendar/2026-12/index.html").read_text(encoding="utf-8")
    grid = december[december.index("<tbody>") : december.index("</tbody>")]
    cells = re.findall(r'<span class="town-calendar__day">(\d+)</span>(.*?)</td>', grid, re.S)
    days_with_exhibition = [int(day) for day, cell in cells if "町民作品展" in cell]
    assert days_with_exhibition == list(range(5, 14))
    january = (sample_site / "events/calendar/2027-01/index.html").read_text(encoding="utf-8")
    counts = re.findall(r"子育て", january[january.index("<tbody>") : january.index("</tbody>")])
    assert len(counts) >= 2, "each date of a several-dates event is in the grid"


@pytest.mark.slow  # the sample site built for real
def test_sitemap_lists_pages_and_listings(sample_site):
    sitemap = (sample_site / "sitemap.xml").read_text()
    for url in ("kurashi/gomi/", "news/", "events/calendar/2026-12/", "news/2026/2026-zeikin-shiharai-hoho/"):
        assert f"<loc>https://www.town.kanra.example/{url}</loc>" in sitemap


@pytest.mark.slow  # the sample site built for real
def test_every_page_has_ogp_and_twitter_card(sample_site):
    # The staff's editor has its own origin (admin-site/ beside site/): no page of the site.
    assert not (sample_site / "admin").exists() and (sample_site.parent / "admin-site/index.html").is_file()
    pages = list(sample_site.rglob("index.html"))
    assert len(pages) > 100
    for page in pages:
        html = page.read_text(encoding="utf-8")
        url = "https://www.town.kanra.example/" + page.parent.relative_to(sample_site).as_posix() + "/"
        url = url.replace("example/./", "example/")
        assert f'<meta property="og:url" content="{url}">' in html, page
        assert '<meta property="og:title" content="' in html and '<meta name="twitter:card" content="' in html
        assert re.search(
            r'<meta property="og:image" content="https://www.town.kanra.example/assets/cards/[\w-]+\.(png|jpg)">',
            html,
        )


def test_status_command_reports_the_schedule():
    result = cli(ROOT, "status")
    assert result.returncode == 0, result.output
    assert "公開予約 2027年1月4日（月） 8:30: 【公開予約サンプル】" in result.stdout
    assert re.search(r"下書き: 1 件", result.stdout)


@pytest.mark.slow  # the sample site built for real
def test_no_public_page_links_to_the_repository_or_an_edit_screen(sample_site):
    """Staff links (GitHub, 「このページを編集」) are for the local preview only (issue 17)."""
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "github.com/example-town" not in html and "このページを編集" not in html, page
        assert "md-nav__source" not in html, page


def test_the_edit_link_is_kept_for_the_local_preview():
    template = (ROOT / "theme/main.html").read_text(encoding="utf-8")
    assert "{%- if page.edit_url and town_preview %}" in template
    plugin = (ROOT / "publisher/site/mkdocs_plugin.py").read_text(encoding="utf-8")
    assert 'context["town_preview"] = self.command == "serve"' in plugin


@pytest.mark.slow  # the sample site built for real
def test_every_script_and_stylesheet_in_site_is_loaded_by_some_page(sample_site):
    """Material's bundle, lunr, workers, palette and source maps are left out (issue 17); a
    script loaded on demand (読み上げ's, on the first press) is named by the script that loads it."""
    pages = "".join(page.read_text(encoding="utf-8") for page in sample_site.rglob("*.html"))
    shipped = [
        path.relative_to(sample_site).as_posix()
        for folder in ("assets/javascripts", "assets/stylesheets")
        for path in (sample_site / folder).rglob("*")
        if path.is_file()
    ]
    loaders = "".join((sample_site / path).read_text(encoding="utf-8") for path in shipped if path in pages)
    unused = [path for path in shipped if path not in pages and path.rsplit("/", 1)[-1] not in loaders]
    assert shipped and not unused, unused
    assert not list(sample_site.rglob("*.map"))


@pytest.mark.slow  # the sample site built for real
def test_the_accessibility_policy_and_test_results_are_published(sample_site):
    policy = (sample_site / "site-info/accessibility/index.html").read_text(encoding="utf-8")
    assert "JIS X 8341-3:2016 の適合レベルAAに準拠" in policy and "目標を達成する期限" in policy
    results = (sample_site / "site-info/accessibility-report/index.html").read_text(encoding="utf-8")
    assert "ページごとの結果" in results and "landmark-unique" in results
