"""What ふりがな costs a build, and how the analysers read this town's words. Prints figures; not a test.

    .venv/bin/python bench/furigana_cost.py [--site DIR] [--rounds 3] [--probe-python PYTHON]

1. The analyser: SudachiPy with sudachidict_core (what the build uses), and fugashi with
   unidic-lite when it is installed in the Python of `--probe-python` (default: this one; make a
   scratch venv with `pip install fugashi unidic-lite sudachipy sudachidict_core` to compare, the
   project does not depend on fugashi): time to load the dictionary
   (a fresh process each round, import included), time to read every page's main text
   (per page), peak memory, and the readings each gives to words of the sample site.
2. The build step (publisher/outputs/furigana.write_furigana) on a built site (default: the
   sample built into a temporary folder): from a clean cache (dictionary loaded in that round)
   and from a warm one (nothing read), the median of `--rounds`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["甘楽町", "甘楽町役場", "城下町小幡", "楽山園", "秋畑", "国峰", "手工芸", "引っ越し", "8月11日"]
ANALYSERS = {
    "sudachipy + sudachidict_core": """
        from sudachipy import Dictionary, SplitMode
        tok = Dictionary(dict="core").tokenizer(SplitMode.C)
        read = lambda s: [(m.surface(), m.reading_form()) for m in tok.tokenize(s)]
    """,
    "fugashi + unidic-lite": """
        import fugashi
        tagger = fugashi.Tagger()
        read = lambda s: [(w.surface, w.feature.kana or "") for w in tagger(s)]
    """,
}
PROBE = """
import json, re, resource, sys, time
t = time.perf_counter()
{setup}
read("起動")
load = time.perf_counter() - t
texts = json.loads(sys.stdin.read())
t = time.perf_counter()
for text in texts:
    read(text)
pages = time.perf_counter() - t
words = {{w: " ".join(r for s, r in read(w) if re.search("[一-龥々]", s)) for w in {words!r}}}
print(json.dumps({{"load": load, "pages": pages, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   "words": words}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the sample)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--probe-python", default=sys.executable, help="the Python that runs the analysers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        site = args.site or build_sample(Path(work))
        texts = page_texts(site)
        print(
            f"{len(texts)} pages with a ふりがな switch, {sum(map(len, texts)) / 1000:.0f} k characters of main text\n"
        )
        analysers(texts, args.rounds, args.probe_python)
        build_step(site, Path(work) / "cache", args.rounds)


def build_sample(into: Path) -> Path:
    for part in ("content", "theme"):
        shutil.copytree(ROOT / part, into / part)
    shutil.copy(ROOT / "mkdocs.yml", into)
    env = {"PUBLISHER_NOW": "2026-11-28 12:00", "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-q"], cwd=into, env=env, check=True
    )
    return into / "site"


def page_texts(site: Path) -> list[str]:
    from publisher.outputs.furigana import SWITCH, main_text, text_nodes

    pages = [p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))]
    return ["\n".join(text_nodes(main_text(p))) for p in pages if SWITCH in p and main_text(p)]


def analysers(texts: list[str], rounds: int, python: str) -> None:
    print("| analyser | load (import + dictionary) | all pages | per page | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: |")
    words = {}
    for name, setup in ANALYSERS.items():
        code = PROBE.format(setup=textwrap.dedent(setup), words=WORDS)
        runs = []
        for _ in range(rounds):
            done = subprocess.run(
                [python, "-W", "ignore", "-c", code], input=json.dumps(texts), capture_output=True, text=True
            )
            if done.returncode:
                break
            runs.append(json.loads(done.stdout))
        if not runs:
            print(f"| {name} | not installed here | | | |")
            continue
        load = statistics.median(r["load"] for r in runs)
        pages = statistics.median(r["pages"] for r in runs)
        rss = max(r["rss"] for r in runs) / 1024
        print(
            f"| {name} | {load * 1000:.0f} ms | {pages * 1000:.0f} ms | {pages / len(texts) * 1000:.1f} ms | {rss:.0f} MB |"
        )
        words[name] = runs[0]["words"]
    print("\nReadings of the kanji (katakana as each dictionary gives them, before our reading list):\n")
    print("| word | " + " | ".join(words) + " |")
    print("| --- |" + " --- |" * len(words))
    for word in WORDS:
        print(f"| {word} | " + " | ".join(words[name][word] for name in words) + " |")


def build_step(site: Path, cache: Path, rounds: int) -> None:
    from publisher.content.config import load_project
    from publisher.outputs import readings
    from publisher.outputs.furigana import write_furigana

    listed = load_project(ROOT / "mkdocs.yml").site.readings
    clean, warm = [], []
    for _ in range(rounds):
        shutil.rmtree(cache, ignore_errors=True)
        readings._tokenizer.cache_clear()  # the dictionary is loaded again, as in a fresh build
        t = time.perf_counter()
        write_furigana(site, listed, cache)
        clean.append(time.perf_counter() - t)
        t = time.perf_counter()
        write_furigana(site, listed, cache)
        warm.append(time.perf_counter() - t)
    files = list(site.rglob("*.furigana.json"))
    sizes = sorted(f.stat().st_size for f in files)
    print(
        f"\nBuild step (write_furigana, median of {rounds}): clean cache {statistics.median(clean):.2f} s, ",
        end="",
    )
    print(f"warm cache {statistics.median(warm) * 1000:.0f} ms; {len(files)} files, ", end="")
    print(f"median {statistics.median(sizes) / 1024:.1f} KB, largest {sizes[-1] / 1024:.1f} KB")


if __name__ == "__main__":
    main()
