"""The アクセシビリティ試験結果 page: axe-core run in Chromium over every page type of the site,
at a phone's and a desktop's width, written as a Markdown page under content/ that the next build
publishes (`make a11y-report`).

The page types, the axe rules (WCAG 2.0/2.1 A and AA and axe's best practices) and the browser are
the browser tests' own (tests/browser.py), so the page says what the tests check.

    .venv/bin/python bench/a11y_report.py [--site DIR] [--out FILE]

Without --site the project is built first (into a temporary folder, at the current time).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import PAGE_TYPES, SITE_TAGS, axe_results, chromium, open_page_type, serve  # noqa: E402

from publisher.content.config import load_project  # noqa: E402

OUT = ROOT / "content/site-info/accessibility-report.md"
LOCALE = ROOT / "node_modules/axe-core/locales/ja.json"  # the rules explained in Japanese
PLACEHOLDER = "---\ntitle: アクセシビリティ試験結果\n---\n\nまだ試験していません。\n"
WIDTHS = {"スマートフォン": 390, "パソコン": 1280}
JST = timezone(timedelta(hours=9))
TAG_LABELS = {"wcag2a": "A", "wcag2aa": "AA", "wcag21a": "A", "wcag21aa": "AA", "best-practice": "推奨"}


@dataclass(frozen=True)
class Outcome:
    """One page type at one width."""

    name: str
    width: str
    passed: int  # rules passed
    violations: tuple[tuple[str, str, int], ...]  # (rule, what it asks, elements at fault)


@dataclass(frozen=True)
class Rule:
    id: str
    help: str
    criteria: str  # WCAG success criteria (1.4.3 …) or 推奨 for a best practice


@dataclass(frozen=True)
class Run:
    when: datetime
    axe_version: str
    outcomes: tuple[Outcome, ...]
    rules: tuple[Rule, ...]


def axe_site(site: Path, names: list[str]) -> Run:
    """axe on these page types at every width of the site built in `site`."""
    outcomes, rules, version = [], (), ""
    with serve(site) as url, chromium() as browser:
        for name in names:
            for width_name, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 844})
                response = open_page_type(page, url, name)
                if response is None or response.status != 200:  # a page type the site does not have
                    raise SystemExit(f"{PAGE_TYPES[name].path}: {response.status if response else '?'}")
                result = axe_results(page, SITE_TAGS, LOCALE)
                if not rules:
                    rules = _rules(page)
                    version = result["testEngine"]["version"]
                outcomes.append(
                    Outcome(
                        name,
                        width_name,
                        len(result["passes"]),
                        tuple((v["id"], v["help"], len(v["nodes"])) for v in result["violations"]),
                    )
                )
                page.close()
    return Run(datetime.now(JST), version, tuple(outcomes), rules)


def _rules(page) -> tuple[Rule, ...]:
    found = page.evaluate("tags => axe.getRules(tags)", SITE_TAGS)
    return tuple(
        Rule(r["ruleId"], r["help"], _criteria(r["tags"])) for r in sorted(found, key=lambda r: r["ruleId"])
    )


def _criteria(tags: list[str]) -> str:
    """axe's tags wcag143 → 1.4.3; a rule of no success criterion is a best practice."""
    numbers = [".".join(m.group(1, 2, 3)) for t in tags if (m := re.fullmatch(r"wcag(\d)(\d)(\d+)", t))]
    return "、".join(numbers) if numbers else "推奨（ベストプラクティス）"


def markdown(run: Run, site_url: str) -> str:
    """The page, in Japanese: when, with what, each page with its address and result, the rules."""
    failed = [o for o in run.outcomes if o.violations]
    names = list(dict.fromkeys(o.name for o in run.outcomes))
    verdict = (
        "すべてのページで、問題は見つかりませんでした。"
        if not failed
        else f"{len(failed)} か所で問題が見つかりました（下の表と「見つかった問題」をご覧ください）。"
    )
    lines = [
        "---",
        "title: アクセシビリティ試験結果",
        "department: somu",
        f"summary: {run.when:%Y年%-m月%-d日}に、自動検査ツール axe-core で"
        f"{len(names)}種類のページを試験した結果です。{verdict}",
        "order: 2",
        "---",
        "",
        "**このページは `make a11y-report` が作ったものです。** 手で書き換えず、作り直してください。",
        "",
        "## 試験の概要",
        "",
        "| 項目 | 内容 |",
        "| --- | --- |",
        f"| 試験日 | {run.when:%Y年%-m月%-d日 %H時%M分} |",
        "| 規格 | JIS X 8341-3:2016（WCAG 2.0 と同じ内容）の適合レベルA・AA、WCAG 2.1 のA・AA |",
        f"| 試験ツール | axe-core {run.axe_version}（Chromium で表示したページを検査） |",
        f"| 画面の幅 | {'、'.join(f'{n}（{w}px）' for n, w in WIDTHS.items())} |",
        f"| 対象ページ | {len(names)}種類のページ（下の表） |",
        f"| 結果 | {verdict} |",
        "",
        "自動検査ツールで確かめられるのは達成基準の一部です。この結果は、JIS X 8341-3:2016 の試験"
        "（達成基準チェックリストによる人の確認）の代わりにはなりません。",
        "",
        "## ページごとの結果",
        "",
        "| ページの種類 | アドレス | " + " | ".join(WIDTHS) + " |",
        "| --- | --- | " + " | ".join("---" for _ in WIDTHS) + " |",
    ]
    for name in names:
        kind = PAGE_TYPES[name]
        cells = [_cell(o) for o in run.outcomes if o.name == name]
        lines.append(f"| {kind.label} | {site_url}{unquote(kind.path)} | " + " | ".join(cells) + " |")
    if failed:
        lines += ["", "## 見つかった問題", ""]
        for o in failed:
            for rule, help_text, count in o.violations:
                lines.append(f"- {PAGE_TYPES[o.name].label}（{o.width}）: {rule}（{help_text}）{count}か所")
    lines += [
        "",
        "## 試験したルール",
        "",
        f"axe-core の次の {len(run.rules)} のルールです（ルールの説明は axe-core のものです）。",
        "",
        "| ルール | 達成基準 | 内容 |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {r.id} | {r.criteria} | {_escape(r.help)} |" for r in run.rules]
    return "\n".join(lines) + "\n"


def _cell(outcome: Outcome) -> str:
    if not outcome.violations:
        return f"問題なし（{outcome.passed}ルールで確認）"
    return f"問題{sum(count for _, _, count in outcome.violations)}件"


def _escape(text: str) -> str:
    """A cell of a Markdown table: no pipe ends it, no markup runs."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def build(project: Path, into: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([str(mkdocs), "build", "--quiet", "-d", str(into)], cwd=project, env=env, check=True)


def site_url_of(project: Path) -> str:
    return load_project(project / "mkdocs.yml").site_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the project first)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the page to write (default: {OUT})")
    parser.add_argument("--project", type=Path, default=ROOT, help="the folder of mkdocs.yml")
    parser.add_argument(
        "--page",
        action="append",
        choices=list(PAGE_TYPES),
        help="only this page type (repeatable; a quick try)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = args.site
        if site is None:
            if not args.out.exists():  # the footer links to it: the first build needs the page
                args.out.write_text(PLACEHOLDER, encoding="utf-8")
            site = Path(temporary) / "site"
            build(args.project, site)
        run = axe_site(site, args.page or list(PAGE_TYPES))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(run, site_url_of(args.project)), encoding="utf-8")
    failed = sum(bool(o.violations) for o in run.outcomes)
    print(f"{args.out}: {len(run.outcomes)} pages tested, {failed} with problems, {len(run.rules)} rules")


if __name__ == "__main__":
    main()
