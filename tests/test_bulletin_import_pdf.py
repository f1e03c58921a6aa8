"""`publisher bulletin import` on the 12-page born-digital fixture, end to end: drafts staff can publish."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import load_module, mkdocs_build, publisher, write_project

pytestmark = pytest.mark.slow  # poppler, the command line as a subprocess and a real build

FIXTURES = Path(__file__).parent / "fixtures" / "bulletins"


def _module(name: str):
    return load_module(f"bulletin_import_{name}", FIXTURES / f"{name}.py")


def test_a_born_digital_issue_becomes_drafts_that_pass_the_check_once_filled_in(tmp_path):
    source = _module("make").born_digital_pdf(tmp_path / "koho-2026-01.pdf")
    expected = _module("truth").expected()
    project = write_project(tmp_path / "town", {"index.md": "---\ntitle: ホーム\n---\nようこそ。\n"})
    started = time.perf_counter()
    result = publisher(project, "bulletin", "import", str(source), "--issue", "2026-01")
    print(f"12-page born-digital import through the CLI: {time.perf_counter() - started:.1f} s")
    assert result.returncode == 0, result.output
    issue = project / "content/bulletins/2026-01"
    articles = sorted(p for p in issue.glob("*.md") if p.name != "index.md")
    titles = [
        re.search(r"^title: (.*)$", p.read_text(encoding="utf-8"), re.M).group(1).strip("'\"")
        for p in articles
    ]
    assert titles == [e.title for e in expected]
    assert all("draft: true" in p.read_text(encoding="utf-8") for p in articles)
    index = (issue / "index.md").read_text(encoding="utf-8")
    assert re.search(r"\[[^\]]*2026年1月号（PDF [\d.]+[KM]B）\]\(2026-01\.pdf\)", index)
    assert (issue / "2026-01.pdf").read_bytes() == source.read_bytes()
    events = sorted((project / "content/events").rglob("*.md"))
    assert len(events) >= 6 and all("start:" in p.read_text(encoding="utf-8") for p in events)
    report = (project / "reports/bulletins/2026-01.md").read_text(encoding="utf-8")
    assert "ページ" in report and "画像" in report

    check = publisher(project, "check")
    assert check.returncode == 0 and "警告: 画像" in check.stdout  # the drafts' TODO alt texts, warned
    pictured = next(p for p in articles if "![](" in p.read_text(encoding="utf-8"))
    pictured.write_text(pictured.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    check = publisher(project, "check")  # published, its missing description is an error
    mine = [
        ln for ln in check.stdout.splitlines() if ln.startswith(f"content/bulletins/2026-01/{pictured.name}")
    ]
    assert check.returncode == 1 and mine and "警告" not in mine[0] and "代替テキスト" in mine[0]
    for path in issue.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"!\[\]\(", "![広報紙の写真](", text), encoding="utf-8")
    check = publisher(project, "check")
    assert check.returncode == 0, check.output
    assert mkdocs_build(project).returncode == 0
    again = publisher(project, "bulletin", "import", str(source), "--issue", "2026-01")
    assert again.returncode == 1 and "--force" in again.stderr  # staff edits are never overwritten
