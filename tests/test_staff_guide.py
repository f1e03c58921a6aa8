"""The staff guide keeps its promises: every picture it (and the README) shows exists, every link
inside it lands on a heading, every word of its glossary is linked from the text, and every
command it tells staff to type is one the Makefile or `publisher` has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from publisher.cli import main as publisher_main

GUIDE = ROOT / "docs/staff-guide.md"
DOCS = [GUIDE, ROOT / "README.md"]
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)|<img\b[^>]*\bsrc=[\"']([^\"']+)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]+`")
ANCHOR_LINK = re.compile(r"\]\(#([^)]+)\)")
# The chapters issue 18 asks for, in this order at the top, and the procedures and the glossary.
FIRST_CHAPTER = "はじめての日に"
REQUIRED = ["間違えて公開したとき（元に戻す）", "夜間・休日に緊急情報を出すとき", "用語集"]


def prose(text: str) -> str:
    """The Markdown outside code (a `## heading` or `![説明](写真.jpg)` in an example is none)."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation (「」（）・。) dropped, spaces as
    hyphens; letters of any script, digits, - and _ kept."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(text: str) -> list[tuple[int, str]]:
    return [(len(m[1]), m[2]) for m in re.finditer(r"^(#{1,6})\s+(.+?)\s*$", prose(text), re.M)]


def anchors(text: str) -> set[str]:
    """Every heading's anchor, with GitHub's -1, -2 … for repeated ones."""
    seen: dict[str, int] = {}
    found = set()
    for _, heading in headings(text):
        anchor = github_anchor(heading)
        found.add(f"{anchor}-{seen[anchor]}" if anchor in seen else anchor)
        seen[anchor] = seen.get(anchor, 0) + 1
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_every_picture_linked_exists(doc: Path):
    """Every picture the guide and the README show is in the repository (make screenshots takes them)."""
    text = prose(doc.read_text(encoding="utf-8"))
    targets = [a or b for a, b in IMAGE.findall(text)]
    assert targets, f"{doc.name} shows no picture: the pattern is wrong"
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    missing = sorted({t for t in local if not (doc.parent / t).is_file()})
    assert missing == [], f"{doc.name} links pictures that are not in the repository: {missing}"


def test_the_guide_has_its_day_one_chapter_first_and_the_procedures():
    chapters = [title for level, title in headings(GUIDE.read_text(encoding="utf-8")) if level == 2]
    assert chapters[:2] == ["目次", FIRST_CHAPTER]
    assert [title for title in REQUIRED if title not in chapters] == []


def test_every_link_inside_the_guide_lands_on_a_heading():
    text = GUIDE.read_text(encoding="utf-8")
    known = anchors(text)
    broken = sorted({target for target in ANCHOR_LINK.findall(prose(text)) if target not in known})
    assert broken == [], f"links to no heading: {broken}"


def test_every_glossary_word_is_linked_from_the_text():
    text = GUIDE.read_text(encoding="utf-8")
    body, glossary = text.split("\n## 用語集\n")
    words = [title for level, title in headings(glossary) if level == 3]
    assert len(words) >= 20
    linked = set(ANCHOR_LINK.findall(prose(body)))
    assert [word for word in words if github_anchor(word) not in linked] == []


def test_every_command_staff_are_told_to_type_exists():
    text = GUIDE.read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    told = set(re.findall(r"\bmake ([a-z][\w-]*)", text))
    assert told and told - targets == set()
    commands = set(re.findall(r"\.venv/bin/publisher ([a-z-]+)", text))
    assert commands and commands - set(publisher_main.commands) == set()
    bare = [line for line in text.splitlines() if re.match(r"\s*publisher ", line)]
    assert bare == [], "staff cannot type a bare `publisher`: use make or .venv/bin/publisher"
