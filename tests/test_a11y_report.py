"""bench/a11y_report.py, which writes the アクセシビリティ試験結果 page (make a11y-report)."""

from __future__ import annotations

import sys

import pytest
from browser import PAGE_TYPES
from conftest import ROOT, run


@pytest.mark.slow  # Chromium in a subprocess, on the sample site built for real
def test_the_report_names_each_page_it_tested_with_its_address_and_result(sample_site, tmp_path):
    out = tmp_path / "report.md"
    args = ["--site", str(sample_site), "--out", str(out), "--page", "home", "--page", "calendar month"]
    result = run([sys.executable, str(ROOT / "bench/a11y_report.py"), *args], ROOT)
    assert result.returncode == 0, result.output
    assert "2 pages tested" not in result.stdout and "4 pages tested, 0 with problems" in result.stdout
    report = out.read_text(encoding="utf-8")
    assert report.startswith("---\ntitle: アクセシビリティ試験結果\n")
    for name in ("home", "calendar month"):
        row = f"| {PAGE_TYPES[name].label} | https://www.town.kanra.example/{PAGE_TYPES[name].path} |"
        assert row + " 問題なし（" in report
    assert PAGE_TYPES["news item"].label not in report  # only what was tested
    assert "| region | 推奨（ベストプラクティス） |" in report and "| landmark-unique |" in report
    assert "| color-contrast | 1.4.3 |" in report
    assert "| 試験日 | 20" in report and "axe-core 4." in report
