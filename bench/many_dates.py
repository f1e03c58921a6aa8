"""How a build grows with the dates of one event (`dates:`), which once made it quadratic.

Usage: python bench/many_dates.py [N ...]   (default 1000 3000 10000)

For each N, a small site with one event held on N days is built from clean (no cache) by the
real `mkdocs build`; printed: wall seconds, peak memory, and seconds per 1,000 dates, so the
rows compare side by side in one run (linear growth keeps the last column flat). Issue 16 asks
for 10,000 dates in under 30 s on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
from conftest import MINIMAL_CONFIG as CONFIG  # noqa: E402  (the tests' smallest site)
from measure import MB, run  # noqa: E402


def write_site(folder: Path, count: int) -> None:
    first = date(2026, 7, 1)
    days = "\n".join(f"  - start: {(first + timedelta(days=i)).isoformat()} 10:00" for i in range(count))
    event = (
        f"---\ntitle: 毎日の体操\ndate: 2026-06-01\ncategories: [kurashi]\nplace: 公民館\n"
        f"dates:\n{days}\n---\n毎朝の体操です。\n"
    )
    (folder / "content/events/2026").mkdir(parents=True)
    (folder / "content/index.md").write_text("---\ntitle: ホーム\n---\nようこそ。\n", encoding="utf-8")
    (folder / "content/events/2026/taiso.md").write_text(event, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(CONFIG.format(theme=ROOT / "theme"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 3000, 10000])
    counts = parser.parse_args().counts
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    env = os.environ | {"PUBLISHER_NOW": "2026-06-02 12:00", "NO_MKDOCS_2_WARNING": "1"}
    print(f"{os.cpu_count()} cores; one event with N dates, clean build\n")
    print("| dates | seconds | peak memory (PSS) | seconds per 1,000 dates | build |")
    print("| ---: | ---: | ---: | ---: | --- |")
    for count in counts:
        folder = Path(tempfile.mkdtemp(prefix="many-dates-"))
        try:
            write_site(folder, count)
            result = run([mkdocs, "build"], folder, env, folder / "build.log")
            ok = "ok" if result.returncode == 0 else f"failed ({result.returncode})"
            print(
                f"| {count:,} | {result.wall:.1f} | {result.peak_pss / MB:.0f} MB | "
                f"{result.wall / count * 1000:.2f} | {ok} |",
                flush=True,
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
