"""Item records kept between builds: a file is parsed again only when its bytes change, and a
stored record never hides a problem or a warning."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from conftest import mkdocs_build, write_project

from publisher.content import reader
from publisher.content.config import parse_site_config
from publisher.content.dates import JST
from publisher.content.errors import ContentErrors
from publisher.content.records import RecordStore

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=JST)
OPTIONS = {"town_name": "甘楽町", "categories": [{"slug": "kurashi", "label": "くらし"}]}
FILES = {
    "index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n",
    "kurashi/gomi.md": "---\ntitle: ごみの出し方\n---\n\n詳しくは[こちら](https://example.jp/)。\n",  # a house-rule warning
    "news/2026/yobo.md": "---\ntitle: 予防接種のお知らせ\ndate: 2026-11-01\ncategories: [kurashi]\n---\n\n接種は無料です。\n",
}


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files that were parsed (not taken from the store)."""
    calls: list[str] = []
    real = reader._load_item

    def counting(path, src, config, errors):
        calls.append(src)
        return real(path, src, config, errors)

    monkeypatch.setattr(reader, "_load_item", counting)
    return calls


def load(project: Path, config_text: str = "salt"):
    store = RecordStore(project / ".cache/records.pickle", config_text)
    site = reader.load_site(project / "content", parse_site_config(OPTIONS), NOW, records=store)
    store.save()
    return site


def test_unchanged_files_come_from_the_store_with_their_warnings(tmp_path, parsed):
    project = write_project(tmp_path, FILES)
    first = load(project)
    assert sorted(parsed) == sorted(FILES)
    assert [w.path for w in first.warnings] == ["content/kurashi/gomi.md"]
    parsed.clear()
    second = load(project)
    assert parsed == []
    assert second.items == first.items and second.warnings == first.warnings


def test_an_edited_file_is_parsed_again(tmp_path, parsed):
    project = write_project(tmp_path, FILES)
    load(project)
    parsed.clear()
    path = project / "content/news/2026/yobo.md"
    path.write_text(path.read_text(encoding="utf-8").replace("無料", "有料"), encoding="utf-8")
    site = load(project)
    assert parsed == ["news/2026/yobo.md"]
    assert "有料" in site.by_src()["news/2026/yobo.md"].body


def test_a_broken_edit_is_reported_although_the_old_file_was_stored(tmp_path):
    project = write_project(tmp_path, FILES)
    load(project)
    path = project / "content/news/2026/yobo.md"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-11-01", "2026-13-01"), encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load(project)
    assert any(e.path == "content/news/2026/yobo.md" and e.line == 3 for e in raised.value.errors)


def test_other_configuration_or_a_damaged_store_parses_everything(tmp_path, parsed):
    project = write_project(tmp_path, FILES)
    load(project)
    parsed.clear()
    load(project, config_text="another mkdocs.yml")
    assert sorted(parsed) == sorted(FILES)
    (project / ".cache/records.pickle").write_bytes(b"not a pickle")
    parsed.clear()
    load(project)
    assert sorted(parsed) == sorted(FILES)


@pytest.mark.slow  # real builds
def test_build_keeps_the_store_and_a_warm_build_reports_the_same_warnings(tmp_path):
    project = write_project(tmp_path, FILES)
    first = mkdocs_build(project)
    assert first.returncode == 0 and (project / ".cache/records.pickle").is_file()
    second = mkdocs_build(project)
    assert second.returncode == 0
    warning = "content/kurashi/gomi.md:5: 警告:"
    assert warning in first.output and warning in second.output
