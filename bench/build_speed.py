"""Build speed, peak memory and output size at town scale: our build against the stock
MkDocs + Material blog + RSS setup, on the same Markdown. Prints figures; not a test.

    .venv/bin/python bench/build_speed.py [--large] [--stock-large] [--quick] [--no-stock]
                                          [--no-search] [--stock-no-prune]

The 3,300-file corpus (3,000 dated posts, 300 guide pages, 300 camera-sized photos with
EXIF GPS; bench/corpus.py) and, with --large, a 20,000-file one in the same proportions
are generated once into bench/.work/ (gitignored). Our build (`mkdocs build` in the corpus,
PUBLISHER_NOW fixed) is measured from clean (site/ and .cache/ deleted), again with nothing
changed, after one edit to the body of the newest published news item (caches warm), and
(3,300 files only) from clean but with the image and card cache kept, which shows how much of
the clean build is picture work.
The stock project (bench/stock.py) is built with its own venv (bench/.work/stock-venv,
created when missing); it has no cache, so its three builds do the same work (--quick
measures its clean build only and reuses that figure). Every build is a fresh process.
Progress goes to stderr, the report to stdout; each build's log is in bench/.work/logs/.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import WORK, cached_corpus, latest_news  # noqa: E402
from measure import MB, Output, Run, output_size, run  # noqa: E402

NOW = "2026-11-28 12:00"
SMALL = (3000, 300, 300)  # posts, guide pages, photos
LARGE = (18182, 1818, 1818)  # 20,000 files, same proportions
OUR_MKDOCS = Path(sys.executable).parent / "mkdocs"
EDIT = "\n追記（{when}）: 会場と受付時間を変更しました。最新の情報は担当課にお問い合わせください。\n"
STEPS = ("clean", "unchanged", "edited", "pictures-kept")
PICTURE_SAMPLE = 20  # photos whose encoding is timed to say what a faster WebP setting would save
PICTURE_CACHES = ("images", "cards")  # under .cache/: what "pictures-kept" keeps of a warm cache


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Result:
    """One setup (ours or stock) on one corpus."""

    name: str
    runs: dict[str, Run] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)  # steps not measured: the clean build's figure
    output: Output | None = None
    search: list | None = None
    logs: dict[str, Path] = field(default_factory=dict)

    def failed(self) -> list[str]:
        return [
            f"{step} (exit {r.returncode}, {self.logs[step]})"
            for step, r in self.runs.items()
            if r.returncode
        ]


def build_env(code: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUBLISHER_NOW": NOW}
    if code:  # our plugin from the snapshot (ahead of the editable install on sys.path)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    return env


def snapshot_code() -> Path:
    """A copy of publisher/ taken at the start, which our builds import, so that edits made to
    the code while the benchmark runs (it takes a while) do not change it between builds; the
    theme and mkdocs.yml are copied into the corpus at the start for the same reason."""
    code = WORK / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(ROOT / "publisher", code / "publisher", ignore=shutil.ignore_patterns("__pycache__"))
    return code


def clean(project: Path, keep: tuple[str, ...] = ()) -> None:
    """Delete the site and the cache, except the cache folders named in `keep`."""
    for name in ("site", ".site.building", ".site.old"):
        shutil.rmtree(project / name, ignore_errors=True)
    cache = project / ".cache"
    for entry in cache.iterdir() if cache.exists() else ():
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


class Edited:
    """One news item's body edited for the duration; the original is kept beside the project
    (`.bench-edit`) until restored, so an interrupted run is repaired by the next one."""

    def __init__(self, project: Path, path: Path):
        self.backup, self.path = project / ".bench-edit", path

    @staticmethod
    def repair(project: Path) -> None:
        backup = project / ".bench-edit"
        if backup.exists():
            target, _, text = backup.read_text(encoding="utf-8").partition("\n")
            Path(target).write_text(text, encoding="utf-8")
            backup.unlink()

    def __enter__(self):
        original = self.path.read_text(encoding="utf-8")
        self.backup.write_text(f"{self.path}\n{original}", encoding="utf-8")
        self.path.write_text(
            original + EDIT.format(when=datetime.now().isoformat(timespec="seconds")), encoding="utf-8"
        )
        return self

    def __exit__(self, *exc):
        Edited.repair(self.backup.parent)


def measure_builds(
    name: str,
    project: Path,
    mkdocs: Path,
    edit_path: Path,
    steps: tuple[str, ...],
    tag: str,
    code: Path | None = None,
) -> Result:
    result = Result(name)
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    Edited.repair(project)
    clean(project)
    for step in steps:
        result.logs[step] = logs / f"{tag}-{name}-{step}.log"
        log(f"{name} {tag}: {step} build …")
        command = [str(mkdocs), "build"]
        if step == "pictures-kept":
            clean(project, keep=PICTURE_CACHES)
        if step == "edited":
            with Edited(project, edit_path):
                r = run(command, project, build_env(code), result.logs[step])
        else:
            r = run(command, project, build_env(code), result.logs[step])
        result.runs[step] = r
        if r.returncode == 0:  # what the last good build wrote
            result.output = output_size(project / "site")
        log(
            f"  {r.wall:.1f} s, CPU {r.cpu:.0f} s, peak {r.peak_pss / MB:.0f} MB PSS ({r.peak_processes} processes), "
            f"exit {r.returncode}; measuring took {r.sampler_cpu:.1f} s CPU"
        )
        log(f"  at the peak: {r.peak_detail}")
    for step in STEPS:
        if step not in result.runs:
            result.runs[step], result.reused = result.runs["clean"], result.reused | {step}
    return result


def measure_search(result: Result, site: Path, material: bool) -> None:
    try:
        from search_bytes import search_bytes

        log(f"{result.name}: search bytes per query in Chromium …")
        result.search = search_bytes(site, material)
    except Exception as error:  # no Chromium / Playwright: say so in the table
        log(f"  search not measured: {error!r}")
        result.search = None


def measure_corpus(
    sizes: tuple[int, int, int], args, stock: bool, code: Path, steps: tuple[str, ...] = STEPS
) -> tuple[Path, dict[str, Result]]:
    posts, pages, photos = sizes
    log(f"corpus {posts + pages:,} files: generating or reusing …")
    corpus = cached_corpus(posts, pages, photos)
    tag = f"{posts + pages}"
    edit = latest_news(corpus / "content", datetime.fromisoformat(NOW))
    results = {"ours": measure_builds("ours", corpus, OUR_MKDOCS, edit, steps, tag, code)}
    if not args.no_search and results["ours"].output:
        measure_search(results["ours"], corpus / "site", material=False)
    if stock:
        from stock import cached_stock, ensure_venv

        mkdocs = ensure_venv(log)
        project = cached_stock(corpus, prune=not args.stock_no_prune)
        steps = ("clean",) if args.quick else STEPS[:3]  # stock has no picture cache to keep
        results["stock"] = measure_builds(
            "stock", project, mkdocs, project / "docs/blog/posts" / edit.name, steps, tag
        )
        if not args.no_search and results["stock"].output:
            measure_search(results["stock"], project / "site", material=True)
    return corpus, results


# Report.


def seconds(r: Run, reused: bool = False) -> str:
    return f"{r.wall:.1f} s (CPU {r.cpu:.0f} s)" + (" †" if reused else "") if not r.returncode else "FAILED"


def megabytes(n: float) -> str:
    return f"{n / MB:,.0f} MB" if n >= 10 * MB else f"{n / MB:,.1f} MB"


def kilobytes(n: float) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / MB:,.1f} MB"


def ratio(a: float, b: float) -> str:
    if not b:
        return "—"
    x = a / b
    return f"{x:.0f}×" if x >= 10 else f"{x:.1f}×" if x >= 1 else f"{x:.2f}×"


def peak(result: Result) -> Run:
    return max(result.runs.values(), key=lambda r: r.peak_pss)


def max_rss(result: Result) -> int:
    return max(r.max_rss for r in result.runs.values())


def search_cell(result: Result) -> tuple[str, float | None]:
    if not result.search:
        return "not measured", None
    sizes = [s.query_bytes for s in result.search]
    mid = statistics.median(sizes)
    return f"{kilobytes(mid)} ({kilobytes(min(sizes))}–{kilobytes(max(sizes))})", mid


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def table_small(title: str, results: dict[str, Result]) -> list[str]:
    ours, stock = results["ours"], results.get("stock")
    header = f"| {title} | ours | " + ("stock | stock/ours | " if stock else "") + "target |"
    lines = [header, "|" + " --- |" * (header.count("|") - 1)]

    def row(label: str, mine: str, theirs: str = "", times: str = "", target: str = "") -> None:
        lines.append(f"| {label} | {mine} | " + (f"{theirs} | {times} | " if stock else "") + f"{target} |")

    o, s = ours.runs, stock.runs if stock else None
    ok = lambda step: not o[step].returncode and (not s or not s[step].returncode)  # noqa: E731
    row(
        "build from clean (no cache)",
        seconds(o["clean"]),
        s and seconds(s["clean"]),
        ratio(s["clean"].wall, o["clean"].wall) if s and ok("clean") else "",
        "≤ stock: " + verdict(o["clean"].wall <= s["clean"].wall) if s and ok("clean") else "≤ stock",
    )
    kept = o["pictures-kept"]
    row(
        "build from clean, image and card cache kept",
        seconds(kept),
        s and seconds(s["clean"], True),
        ratio(s["clean"].wall, kept.wall) if s and ok("clean") and not kept.returncode else "",
    )
    row(
        "second build, nothing changed",
        seconds(o["unchanged"]),
        s and seconds(s["unchanged"], "unchanged" in stock.reused),
        ratio(s["unchanged"].wall, o["unchanged"].wall) if s and ok("unchanged") else "",
    )
    edit_ok = s and ok("edited") and s["edited"].wall >= 6 * o["edited"].wall and o["edited"].wall <= 20
    row(
        "build after editing one news item",
        seconds(o["edited"]),
        s and seconds(s["edited"], "edited" in stock.reused),
        ratio(s["edited"].wall, o["edited"].wall) if s and ok("edited") else "",
        "≥ 6× faster than stock, ≤ 20 s" + (": " + verdict(edit_ok) if s and ok("edited") else ""),
    )
    po, ps = peak(ours), stock and peak(stock)
    row(
        "peak memory (process tree, sum of PSS)",
        megabytes(po.peak_pss),
        s and megabytes(ps.peak_pss),
        s and ratio(ps.peak_pss, po.peak_pss),
        "≤ 500 MB: " + verdict(po.peak_pss <= 500 * MB),
    )
    row(
        "largest single process (max RSS)",
        megabytes(max_rss(ours)),
        s and megabytes(max_rss(stock)),
        s and ratio(max_rss(stock), max_rss(ours)),
    )
    oo, so = ours.output, stock and stock.output
    if oo or so:

        def cells(value, target=None, limit=0):
            both = oo and so
            return (
                value(oo) if oo else "—",
                (value(so) if so else "—") if stock else "",
                ratio(getattr(so, target or ""), getattr(oo, target or "")) if both and target else "",
            )

        row("output size, all files", *cells(lambda o: megabytes(o.total), "total"))
        row(
            "output size, other than images",
            *cells(lambda o: megabytes(o.non_image), "non_image"),
            "≤ 150 MB" + (": " + verdict(oo.non_image <= 150 * MB) if oo else ""),
        )
        row("HTML pages", *cells(lambda o: f"{o.html_pages:,}"))
        row(
            "median HTML page",
            *cells(lambda o: kilobytes(o.median_html), "median_html"),
            "≤ 40 KB" + (": " + verdict(oo.median_html <= 40 * 1024) if oo else ""),
        )
    (mine, m), (theirs, t) = search_cell(ours), search_cell(stock) if stock else ("", None)
    row(
        "search bytes per query (median, min–max)",
        mine,
        theirs,
        ratio(t, m) if m and t else "",
        "≤ 300 KB: " + verdict(m <= 300 * 1024) if m else "",
    )
    return lines


def picture_share(ours: Result, corpus: Path) -> list[str]:
    """How much of the clean build is image and card work, and the least wall time its CPU work
    needs on this machine's cores, as it is and with WebP at its fastest setting."""
    import picture_cost

    clean, kept = ours.runs["clean"], ours.runs["pictures-kept"]
    photos = sorted((corpus / "content" / "images").glob("*.jpg"))
    if clean.returncode or kept.returncode or not photos:
        return []
    log(f"picture cost: {PICTURE_SAMPLE} photos …")
    runs, _ = picture_cost.measure(photos[:PICTURE_SAMPLE])
    fastest = min(picture_cost.METHODS)
    saved = picture_cost.saved_cpu(runs, fastest, len(photos))
    cores = os.cpu_count() or 1
    return textwrap.wrap(
        f"Clean build: {clean.cpu:.0f} CPU-s in all, {clean.cpu - kept.cpu:.0f} of them image variants and social "
        f"cards (the clean build less the one that kept their cache), {kept.cpu:.0f} the rest. On {cores} cores it "
        f"cannot take less than {clean.cpu / cores:.1f} s. WebP at `method` {fastest}, the fastest, would save about "
        f"{saved:.0f} CPU-s on these {len(photos)} photos (bench/picture_cost.py on {PICTURE_SAMPLE} of them, which "
        f"also shows its cost in bytes): still at least {(clean.cpu - saved) / cores:.1f} s.",
        96,
    )


def table_large(title: str, large: dict[str, Result], small: dict[str, Result]) -> list[str]:
    names = [n for n in ("ours", "stock") if n in large]
    header = f"| {title} | " + " | ".join(f"{n} | {n} 20k/3.3k" for n in names) + " | target |"
    lines = [header, "|" + " --- |" * (header.count("|") - 1)]
    rows = [
        ("build from clean", lambda r: r.runs["clean"].wall, lambda r: seconds(r.runs["clean"])),
        (
            "second build, nothing changed",
            lambda r: r.runs["unchanged"].wall,
            lambda r: seconds(r.runs["unchanged"]),
        ),
        (
            "build after editing one news item",
            lambda r: r.runs["edited"].wall,
            lambda r: seconds(r.runs["edited"]),
        ),
        (
            "peak memory (process tree, sum of PSS)",
            lambda r: peak(r).peak_pss,
            lambda r: megabytes(peak(r).peak_pss),
        ),
    ]
    for label, value, shown in rows:
        cells, target = [], ""
        for n in names:
            big, base = large[n], small.get(n)
            grow = value(big) / value(base) if base and value(base) else None
            cells.append(f"{shown(big)} | {f'{grow:.1f}×' if grow else '—'}")
            if n == "ours" and grow:
                target = "20k/3.3k ≤ 7: " + verdict(grow <= 7)
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    for label, value in (
        ("output size, other than images", lambda o: megabytes(o.non_image)),
        ("median HTML page", lambda o: kilobytes(o.median_html)),
    ):
        cells = [f"{value(large[n].output) if large[n].output else '—'} | " for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " | |")
    if large["ours"].search:
        lines.append(
            f"| search bytes per query (median, min–max) | {search_cell(large['ours'])[0]} | "
            + " | " * (2 * len(names) - 1)
            + " |"
        )
    return lines


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- date: {datetime.now().astimezone().isoformat(timespec='minutes')}",
        f"- machine: {os.cpu_count()} cores, {cpu}, {mem / 1024 / 1024:.1f} GB RAM, "
        f"Linux {platform.release()}; load average at start {load}",
        f"- Python {platform.python_version()}",
    ]


def versions(stock: bool) -> str:
    ours = ", ".join(
        f"{p} {version(p)}"
        for p in ("mkdocs", "mkdocs-material", "pillow", "pagefind-bin", "pyicu-wheels", "markdown", "jinja2")
    )
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "publisher", "theme", "mkdocs.yml"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    line = (
        f"- ours: commit {commit}{' with uncommitted changes in publisher/theme' if dirty else ''}"
        f" (publisher/ copied at the start: bench/.work/code); {ours}"
    )
    if stock:
        from stock import venv_versions

        line += "\n- stock: " + ", ".join(f"{p} {v}" for p, v in venv_versions().items())
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also the 20,000-file corpus (ours only)")
    parser.add_argument(
        "--stock-large", action="store_true", help="with --large, the stock build at 20,000 files too (slow)"
    )
    parser.add_argument("--quick", action="store_true", help="build the stock setup once (it has no cache)")
    parser.add_argument("--no-stock", action="store_true", help="our build only")
    parser.add_argument("--no-search", action="store_true", help="skip the search bytes (needs Chromium)")
    parser.add_argument("--stock-no-prune", action="store_true", help="stock setup without navigation.prune")
    args = parser.parse_args()
    header, code_version = machine(), versions(not args.no_stock)
    code = snapshot_code()
    started = time.perf_counter()
    corpus, small = measure_corpus(SMALL, args, not args.no_stock, code)
    large = None
    if args.large:
        large = measure_corpus(LARGE, args, args.stock_large and not args.no_stock, code, STEPS[:3])[1]

    out = [
        "## Build speed, memory and size (bench/build_speed.py)",
        "",
        *header,
        code_version,
        f"- PUBLISHER_NOW={NOW}; the edit appends a paragraph to {latest_news(corpus / 'content', datetime.fromisoformat(NOW)).relative_to(corpus)}",
        "",
    ]
    posts, pages, photos = SMALL
    out += table_small(f"{posts + pages:,} files ({posts:,} posts, {pages} pages, {photos} photos)", small)
    if large:
        posts, pages, photos = LARGE
        out += [
            "",
            *table_large(
                f"{posts + pages:,} files ({posts:,} posts, {pages:,} pages, {photos:,} photos)", large, small
            ),
        ]
    stock = small.get("stock")
    out += ["", *picture_share(small["ours"], corpus)]
    out += [
        "",
        "Times: wall clock of one `mkdocs build` each, in a fresh process; in brackets the CPU time",
        "(user + system) of its whole process tree, less sensitive to other load on the machine; the",
        "ratio is of wall times. Peak memory, the highest of the builds: the sum of PSS over the",
        "build's process tree (MkDocs, image and card workers, Pagefind), sampled from /proc (tree",
        "every 0.1 s, PSS every 0.5 s or when RSS rises); the largest single process is the kernel's",
        "ru_maxrss (wait4).",
        "Output sizes: every file under site/ after the last successful build; images are .jpg .jpeg",
        ".png .webp .gif .avif.",
        "KB = 1,024 bytes, MB = 1,048,576 bytes. Search: bytes one query transfers in Chromium with an",
        "empty cache (ours: Pagefind's code, index chunks and results; stock: Material's search",
        "worker, lunr and search_index.json), median over 4 queries.",
    ]
    if stock:
        prune = "without" if args.stock_no_prune else "with"
        out += [
            f"Stock: MkDocs + Material + blog + mkdocs-rss-plugin + search, {prune} navigation.prune (bench/stock.py)."
        ]
        if stock.reused:
            out += [
                "† stock has no cache: its clean build's time"
                + (" (--quick: built once)." if args.quick else ".")
            ]
    for name, result in small.items():
        top = peak(result)
        step = next(s for s, r in result.runs.items() if r is top)
        out += [f"At {name} peak ({step} build): {top.peak_detail}."]
    failed = [
        f"{name}: {', '.join(r.failed())}"
        for group in (small, large or {})
        for name, r in group.items()
        if r.failed()
    ]
    if failed:
        out += ["", "FAILED builds: " + "; ".join(failed)]
    log(f"done in {(time.perf_counter() - started) / 60:.1f} min")
    print("\n".join(out))


if __name__ == "__main__":
    main()
