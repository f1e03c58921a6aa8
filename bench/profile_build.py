"""Flame graphs of real builds of the 3,300-file benchmark corpus, recorded with py-spy.

    .venv/bin/python bench/profile_build.py [--out docs/profiles]

Records two builds in the corpus of bench/build_speed.py (generated once into bench/.work/):
from clean (no site, no cache), with the image and card workers (--subprocesses), and the
everyday build after one news item was edited (caches warm). Writes build-clean.svg and
build-edited.svg (open them in a browser: hover for names, click to zoom) and prints each
build's wall time under the profiler, which samples 100 times a second and slows it a little.
Needs py-spy (`make bench-profile` installs it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from build_speed import NOW, OUR_MKDOCS, SMALL, Edited, build_env, clean  # noqa: E402
from corpus import cached_corpus, latest_news  # noqa: E402

PY_SPY = Path(sys.executable).parent / "py-spy"


def record(project: Path, svg: Path, title: str) -> float:
    command = [
        str(PY_SPY),
        "record",
        "--subprocesses",
        "--rate",
        "100",
        "--format",
        "flamegraph",
        "--output",
        str(svg),
        "--",
        str(OUR_MKDOCS),
        "build",
        "-q",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=project, env=build_env(), capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{title}: py-spy or the build failed:\n{done.stderr[-2000:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "profiles")
    args = parser.parse_args()
    if not PY_SPY.exists():
        sys.exit("py-spy is missing: run `make bench-profile`")
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = cached_corpus(*SMALL)
    edit = latest_news(corpus / "content", datetime.fromisoformat(NOW))
    Edited.repair(corpus)
    clean(corpus)
    print(f"clean build: {record(corpus, args.out / 'build-clean.svg', 'clean'):.1f} s under py-spy")
    with Edited(corpus, edit):
        wall = record(corpus, args.out / "build-edited.svg", "edited")
    print(f"build after one edit: {wall:.1f} s under py-spy")
    print(f"flame graphs: {args.out / 'build-clean.svg'}, {args.out / 'build-edited.svg'}")


if __name__ == "__main__":
    main()
