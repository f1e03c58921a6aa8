"""Every feed and calendar of the benchmark corpus (3,000 posts and 300 pages by default)
checked against its standard, as tests/test_feed_standards.py checks the sample site's.

Usage: python bench/feed_validity.py [--posts 3000] [--pages 300]

Builds the cached corpus (bench/corpus.py) with the real `mkdocs build`, then prints per file
kind how many files were checked and how many failed: Atom against RFC 4287's RELAX NG grammar
plus authors, links and labels; RSS 2.0's required elements; one component in every .ics; no
page-only markup in any feed. Exits 1 when any file fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
import icalendar  # noqa: E402
from corpus import cached_corpus  # noqa: E402
from lxml import etree  # noqa: E402
from test_feed_standards import PAGE_ONLY, atom_problems  # noqa: E402  (one definition of the checks)


def rss_problems(path: Path) -> list[str]:
    channel = etree.parse(str(path)).getroot().find("channel")
    problems = [
        f"{path.name}: channel lacks {n}" for n in ("title", "link", "description") if not channel.findtext(n)
    ]
    for item in channel.iter("item"):
        if not (item.findtext("title") or item.findtext("description")):
            problems.append(f"{path.name}: an item has neither title nor description")
        if PAGE_ONLY.search(item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded") or ""):
            problems.append(f"{path.name}: page-only markup in {item.findtext('title')}")
    return problems


def ics_problems(path: Path) -> list[str]:
    return (
        []
        if icalendar.Calendar.from_ical(path.read_bytes()).subcomponents
        else [f"{path.name}: no component"]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    corpus = cached_corpus(args.posts, args.pages, 0)
    started = time.perf_counter()
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q"], cwd=corpus, env=env)
    if built.returncode != 0:
        sys.exit(f"the corpus did not build ({built.returncode})")
    site = corpus / "site"
    print(f"corpus: {args.posts} posts, {args.pages} pages; built in {time.perf_counter() - started:.0f} s\n")
    print("| files | checked | failed |\n| --- | ---: | ---: |")
    failed = []
    for label, pattern, check in (
        ("Atom (RFC 4287)", "feeds/*.atom", atom_problems),
        ("RSS 2.0", "feeds/*.xml", rss_problems),
        ("iCalendar (RFC 5545)", "calendar/*.ics", ics_problems),
    ):
        paths = sorted(site.glob(pattern))
        problems = [problem for path in paths for problem in check(path)]
        failed += problems
        print(f"| {label} | {len(paths)} | {len({p.split(':')[0] for p in problems})} |")
    for problem in failed[:20]:
        print(problem)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
