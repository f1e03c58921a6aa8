"""Departments (issue 17): one registry in mkdocs.yml; pages name theirs with `department:`; every
content page ends with 「このページに関するお問い合わせ」; the open data's 連絡先 come from it."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import MINIMAL_CONFIG, cli, mkdocs_build, news, write_project

from publisher.content.config import parse_site_config
from publisher.content.errors import ContentErrors

DEPARTMENTS = """\
      office:
        name: テスト町役場
        phone: 0274-74-0100
        hours: 平日 8時30分から17時15分まで
      departments:
        - slug: somu
          name: 総務課
          phone: 0274-74-0101
          fax: 0274-74-0199
          email: somu@town.example
          place: 役場2階
        - slug: kenko
          name: 健康課
          phone: 0274-74-0121
          form_url: https://town.example/form/kenko
"""
CONFIG = MINIMAL_CONFIG + DEPARTMENTS


def _news(title: str, extra: str = "") -> str:
    return news(title, extra=extra)


def _options(extra: str) -> dict:
    return {
        "town_name": "テスト町",
        "categories": [{"slug": "kurashi", "label": "くらし"}],
        "departments": extra,
    }


def test_a_department_is_declared_once_with_a_web_form_address():
    with pytest.raises(ContentErrors) as twice:
        parse_site_config(_options([{"slug": "somu", "name": "総務課"}, {"slug": "somu", "name": "企画課"}]))
    assert "スラッグ「somu」の担当課が2回以上宣言されています" in str(twice.value)
    with pytest.raises(ContentErrors) as script:
        parse_site_config(_options([{"slug": "somu", "name": "総務課", "form_url": "javascript:alert(1)"}]))
    assert "https:// で始まるアドレスで書いてください" in str(script.value)


def test_pages_name_a_declared_department_by_slug_or_by_name(tmp_path):
    project = write_project(
        tmp_path / "town",
        {
            "index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n",
            "news/2026/a.md": _news("スラッグで", "department: somu\n"),
            "news/2026/b.md": _news("名前で", "department: 健康課\n"),
            "news/2026/c.md": _news("ない課", "department: kikaku\n"),
        },
        CONFIG,
    )
    result = cli(project, "check")
    assert result.returncode == 1
    assert (
        "content/news/2026/c.md:5: department（担当課）: 担当課「kikaku」は登録されていません。"
        "使える担当課: somu（総務課）、kenko（健康課）"
    ) in result.stdout
    assert "a.md" not in result.stdout and "b.md" not in result.stdout


@pytest.mark.slow  # a real build
def test_every_content_page_ends_with_whom_to_ask(tmp_path):
    project = write_project(
        tmp_path / "town",
        {
            "index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n",
            "kurashi/index.md": "---\ntitle: くらし\ndepartment: somu\n---\n\n案内です。\n",
            "news/2026/a.md": _news("健康課のお知らせ", "department: kenko\n"),
            "news/2026/b.md": _news("担当課のないお知らせ"),
            "events/2026/e.md": (
                "---\ntitle: 教室\ndate: 2026-11-20\ncategories: [kurashi]\ndepartment: kenko\n"
                "start: 2026-12-10 10:00\nplace: 公民館\ncontact: 実行委員会 0274-74-0999\n---\n\n教室です。\n"
            ),
        },
        CONFIG,
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    site = project / "site"

    def box(page: str) -> str:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        start = html.index('<aside class="town-contact"')
        return html[start : html.index("</aside>", start)]

    somu = box("kurashi")
    assert "このページに関するお問い合わせ" in somu and "総務課（役場2階）" in somu
    assert '<a class="town-tel" href="tel:0274740101">0274-74-0101</a>' in somu
    assert "0274-74-0199" in somu and 'href="mailto:somu@town.example"' in somu
    assert "平日 8時30分から17時15分まで" in somu  # the office's hours when it names none
    kenko = box("news/2026/a")
    assert "健康課" in kenko and 'href="https://town.example/form/kenko"' in kenko
    office = box("news/2026/b")
    assert "テスト町役場" in office and 'href="tel:0274740100"' in office
    assert "town-contact" not in (site / "index.html").read_text(encoding="utf-8")  # the footer has it
    rows = list(csv.DictReader(io.StringIO((site / "opendata/events.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["連絡先名称"], r["連絡先電話番号"]) for r in rows] == [("健康課", "0274-74-0121")]
