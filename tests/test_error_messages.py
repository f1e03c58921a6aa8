"""Errors that escaped as tracebacks are Japanese messages, the same from `mkdocs build` and `publisher`.

Everything runs in this process (conftest.cli, MkDocs' build function): no subprocess. `cli`
raises what a command lets escape, as the traceback staff would have seen.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, cli, write_project
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from publisher.content.config import parse_site_config
from publisher.content.dates import JST
from publisher.content.errors import ContentErrors
from publisher.content.lengths import LIMITS, length
from publisher.content.reader import load_site
from publisher.media import fonts
from publisher.media.cards import CardSpec, render_card
from publisher.media.images import ImageError
from publisher.syndication.compose import PUBLISH, compose

NOW = "2026-11-28T12:00+09:00"
HOME = {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"}
NEWS = "---\ntitle: 秋祭り\ndate: 2026-11-01\ncategories: [kurashi]\n{extra}---\n本文です。\n"
OPTIONS = {"town_name": "テスト町", "categories": [{"slug": "kurashi", "label": "くらし"}]}
FONT_MESSAGE = "日本語フォントが見つかりません。`apt-get install fonts-noto-cjk` を実行してください"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setenv("PUBLISHER_NOW", NOW)


@pytest.fixture
def no_japanese_font(monkeypatch):
    """A machine without fonts-noto-cjk (or any other Japanese font)."""
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.setattr(fonts, "_fc_match", lambda bold: None)
    fonts.japanese_font.cache_clear()
    yield
    fonts.japanese_font.cache_clear()


@pytest.fixture
def mkdocs_log():
    """What `mkdocs build` prints: its log records."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = records.append
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def run_mkdocs_build(project: Path, log: list[logging.LogRecord]) -> list[str]:
    """The errors of a failed build (Abort: MkDocs reported them and stopped cleanly)."""
    with pytest.raises(Abort):
        build(load_config(str(project / "mkdocs.yml")))
    return [record.getMessage() for record in log if record.levelno >= logging.ERROR]


# An SNS template too long for its platform is refused when the settings are read.


def x_template(words: int) -> dict:
    """A template for X whose own words are `words` kana (2 each) and a link (23): the title line
    is dropped when the title has to be cut away, as compose does."""
    return {**OPTIONS, "syndication": {"templates": {"x": "{title}\n" + "あ" * words + "\n{url}"}}}


def test_a_template_longer_than_the_platform_allows_is_refused_with_the_option_named():
    with pytest.raises(ContentErrors) as raised:
        parse_site_config(x_template(129))
    assert [str(error) for error in raised.value.errors] == [
        "mkdocs.yml: plugins.town.syndication.templates.x: ひな形の決まった文字だけで X の上限を超えています"
        "（282／280。X は日本語の 1 文字を 2 と数えます）。ひな形を短くしてください"
    ]


def test_the_longest_template_accepted_still_gives_a_post_that_fits(tmp_path):
    config = parse_site_config(x_template(128))  # 256 + 1 + 23 = 280: exactly the limit
    post_file = tmp_path / "content/news/2026/long.md"
    post_file.parent.mkdir(parents=True)
    post_file.write_text(NEWS.format(extra="").replace("秋祭り", "秋祭り" * 50), encoding="utf-8")
    site = load_site(tmp_path / "content", config, datetime(2026, 11, 28, tzinfo=JST))
    site_url = "https://www.town.kanra.lg.jp/"  # twitter-text counts a link as 23 only with a known TLD
    text = compose(site.news[0], "x", PUBLISH, config.syndication, site_url, None).text
    assert length("x", text) == LIMITS["x"] and text.startswith("あ")


def test_check_refuses_the_template_before_anything_is_posted(tmp_path):
    template = "あ" * 301 + "{{url}}"  # write_project fills {theme}: braces are doubled
    config = MINIMAL_CONFIG + f'      syndication:\n        templates:\n          bluesky: "{template}"\n'
    project = write_project(tmp_path, HOME, config)
    result = cli(project, "check")
    assert result.returncode == 1
    assert (
        "plugins.town.syndication.templates.bluesky: ひな形の決まった文字だけで Bluesky の上限を超えています（314／300）"
        in result.output
    )


# A missing Japanese font.


def test_a_missing_font_stops_mkdocs_build_with_the_package_to_install(
    tmp_path, no_japanese_font, mkdocs_log
):
    project = write_project(tmp_path, HOME)
    assert run_mkdocs_build(project, mkdocs_log) == [FONT_MESSAGE]
    assert not (project / "site/index.html").exists()


def test_a_missing_font_stops_publisher_syndicate_with_the_package_to_install(tmp_path, no_japanese_font):
    project = write_project(tmp_path, {**HOME, "news/2026/matsuri.md": NEWS.format(extra="")})
    result = cli(project, "syndicate", "--dry-run")
    assert result.returncode == 2, result.output
    assert result.stderr == f"エラー: {FONT_MESSAGE}\n"


# A broken picture during `publisher syndicate`.


def test_a_broken_lead_image_in_syndicate_is_named_at_the_line_that_shows_it(tmp_path):
    files = {
        **HOME,
        "images/matsuri.jpg": b"\xff\xd8\xff\xe0 not a photo after all",
        "news/2026/matsuri.md": NEWS.format(extra="image: ../../images/matsuri.jpg\nimage_alt: 山車\n"),
    }
    project = write_project(tmp_path, files)
    checked = cli(project, "check")  # the check decodes every picture too
    assert (
        checked.returncode == 1
        and "matsuri.md:5: 画像「images/matsuri.jpg」を読み込めません" in checked.stdout
    )
    result = cli(project, "syndicate", "--dry-run")
    assert result.returncode == 1, result.output
    assert result.stdout.splitlines() == [
        "content/news/2026/matsuri.md:5: 画像「images/matsuri.jpg」を読み込めません（壊れているか、画像ではありません）"
    ]
    assert result.stderr.startswith("コンテンツに 1 件の問題があります。")


# One summary, written by one function, under `publisher check` and over `mkdocs build`'s list.


def test_check_and_build_print_the_same_summary(tmp_path, mkdocs_log):
    files = {
        **HOME,
        "news/2026/bad.md": NEWS.format(extra="").replace("2026-11-01", "2026-13-01"),
        "kurashi/guide.md": "---\ntitle: 案内\n---\nﾁﾗｼ\n",  # half-width kana: a warning
    }
    project = write_project(tmp_path, files)
    checked = cli(project, "check")
    assert checked.returncode == 1
    summary = checked.stderr.strip()
    assert (
        summary
        == "コンテンツに 1 件の問題があります（ほかに警告 1 件）。それぞれの「ファイル:行」を開いて直してください。"
    )
    [built] = run_mkdocs_build(project, mkdocs_log)
    assert built.splitlines()[0] == summary
    assert [line.strip() for line in built.splitlines()[1:]] == checked.stdout.splitlines()


def test_a_card_names_its_broken_photo_as_content_does(tmp_path):
    photo = tmp_path / "content/images/matsuri.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"not a photo")
    spec = CardSpec("秋祭り", "お知らせ", "", "テスト町", photo, photo_src="images/matsuri.jpg")
    with pytest.raises(ImageError, match="^画像「images/matsuri.jpg」を読み込めません"):
        render_card(spec)
