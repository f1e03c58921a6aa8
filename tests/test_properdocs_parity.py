"""ProperDocs (the maintained fork of MkDocs 1.x) builds the sample site page for page like MkDocs.

The MkDocs build is the session's `sample_site`; ProperDocs builds a copy of the same project
once. Every output file must exist in both builds and be equal byte for byte, with one
normalisation, `NORMALISED` below. Nothing else is ignored: feeds, calendars, CSV, sitemap,
images, social cards and the Pagefind index are all compared as bytes.

Build dates: both generators stamp `<lastmod>` in `sitemap.xml` and the gzip header of
`sitemap.xml.gz` with the UTC day of the build (or `SOURCE_DATE_EPOCH`), not `PUBLISHER_NOW`.
Instead of ignoring them, the ProperDocs build runs with `SOURCE_DATE_EPOCH` set to the day the
MkDocs build stamped, so those bytes are compared too, even across midnight.
"""

from __future__ import annotations

import calendar
import difflib
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import BIN, run

pytestmark = pytest.mark.slow  # the sample site built by MkDocs and by ProperDocs

# The only thing that legitimately differs: Material's <meta name="generator"> names the generator
# and its version ("mkdocs-1.6.1" vs "mkdocs-ProperDocs 1.6.7"); the Material part is compared.
GENERATOR = re.compile(
    rb'(<meta name="generator" content="mkdocs-)(?:\d+\.\d+[\w.]*|ProperDocs \d+\.\d+[\w.]*)(, )'
)
NORMALISED = {".html": (GENERATOR, rb"\1GENERATOR\2")}


def normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix in NORMALISED:
        pattern, replacement = NORMALISED[path.suffix]
        data = pattern.sub(replacement, data)
    return data


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def differences(expected: Path, actual: Path) -> list[str]:
    """Every file only in one build or not equal after normalisation, with the first changed lines of text."""
    ours, theirs = files(expected), files(actual)
    problems = [f"only in {expected.parent.name}: {p}" for p in sorted(ours - theirs)]
    problems += [f"only in {actual.parent.name}: {p}" for p in sorted(theirs - ours)]
    for name in sorted(ours & theirs):
        a, b = normalised(expected / name), normalised(actual / name)
        if a == b:
            continue
        try:
            diff = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=0)
            detail = "\n".join(list(diff)[2:8])
        except UnicodeDecodeError:
            detail = f"  binary: {len(a)} vs {len(b)} bytes"
        problems.append(f"differs: {name}\n{detail}")
    return problems


def build_day(site: Path) -> str:
    """The UTC day the generator stamped into the sitemap (its build date)."""
    days = set(
        re.findall(r"<lastmod>(\d{4}-\d{2}-\d{2})</lastmod>", (site / "sitemap.xml").read_text("utf-8"))
    )
    assert len(days) == 1, days
    return days.pop()


@pytest.fixture(scope="module")
def properdocs_site(sample_site, tmp_path_factory) -> Path:
    """The same project as `sample_site` (same files, same PUBLISHER_NOW) built by `properdocs build`."""
    source, project = sample_site.parent, tmp_path_factory.mktemp("sample-properdocs")
    shutil.copytree(source / "content", project / "content")
    shutil.copytree(source / "theme", project / "theme")
    shutil.copy(source / "mkdocs.yml", project / "mkdocs.yml")
    epoch = calendar.timegm(date.fromisoformat(build_day(sample_site)).timetuple())
    result = run(
        [str(BIN / "properdocs"), "build", "-f", "mkdocs.yml"], project, SOURCE_DATE_EPOCH=str(epoch)
    )
    assert result.returncode == 0, result.output
    return project / "site"


def test_properdocs_really_built_it(sample_site, properdocs_site):
    """Every page the theme rendered names its generator: MkDocs in one build, ProperDocs in the other."""
    rendered = [
        p
        for p in sorted(files(sample_site))
        if p.endswith(".html") and b'content="mkdocs-1.' in (sample_site / p).read_bytes()
    ]
    assert len(rendered) > 100 and "index.html" in rendered
    for page in rendered:
        assert b'content="mkdocs-ProperDocs 1.' in (properdocs_site / page).read_bytes(), page


def test_properdocs_output_matches_mkdocs_page_for_page(sample_site, properdocs_site):
    assert {
        "index.html",
        "sitemap.xml",
        "feeds/news.xml",
        "calendar/events.ics",
        "opendata/events.csv",
        "pagefind/pagefind.js",
    } <= files(sample_site)
    problems = differences(sample_site, properdocs_site)
    assert not problems, f"{len(problems)} files differ:\n" + "\n".join(problems[:20])


def test_the_comparison_sees_a_real_difference(sample_site, tmp_path):
    """Only the generator tag is forgiven: a changed sentence, a changed index byte or a lost file is not."""
    copy = tmp_path / "site"
    shutil.copytree(sample_site, copy)
    page = copy / "index.html"
    page.write_bytes(page.read_bytes().replace(b'content="mkdocs-1.', b'content="mkdocs-ProperDocs 1.', 1))
    assert differences(sample_site, copy) == []
    page.write_bytes(page.read_bytes().replace("新着のお知らせ".encode(), "新着のおしらせ".encode(), 1))
    fragment = next((copy / "pagefind/fragment").iterdir())
    fragment.write_bytes(fragment.read_bytes()[:-1] + bytes([fragment.read_bytes()[-1] ^ 1]))
    (copy / "calendar/events.ics").unlink()
    found = [p.splitlines()[0] for p in differences(sample_site, copy)]
    assert found == [
        "only in " + sample_site.parent.name + ": calendar/events.ics",
        "differs: index.html",
        f"differs: {fragment.relative_to(copy).as_posix()}",
    ], found
