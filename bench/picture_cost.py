"""What the pictures of a clean build cost: CPU time per photo, step by step, measured on the
benchmark corpus's camera-sized photos through our real pipeline (`images.build_entry`,
`cards.render_to`), and what other WebP `method` settings would change. Prints figures; not a test.

    .venv/bin/python bench/picture_cost.py [--photos 20] [--corpus-photos 300] [--photos-from JPEG …]

Pillow's `resize` and `save` are wrapped to add up the CPU time (time.process_time) spent in
them by kind; "decode, colour and rest" is the rest of `build_entry`. Runs in one process, one
photo after another; a build spreads the same work over every core.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from corpus import PHOTO_VERSION, WORK, write_photos  # noqa: E402

from publisher.media import cards, images  # noqa: E402

METHODS = (4, 2, 0)  # ours first; libwebp's `method`: 0 fastest … 6 smallest


@dataclass
class Spent:
    """CPU seconds by kind, over `photos` photos, and the bytes of the WebP files written."""

    sources: list[Path]
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    webp_bytes: int = 0

    @property
    def photos(self) -> int:
        return len(self.sources)

    def per_photo(self, kind: str) -> float:
        return self.seconds[kind] / self.photos


@contextmanager
def clocked(spent: Spent):
    """Pillow's resize and save, timed by kind while the real pipeline runs."""
    save, resize = Image.Image.save, Image.Image.resize

    def timed_save(image, fp, format=None, **params):
        start = time.process_time()
        try:
            return save(image, fp, format, **params)
        finally:
            spent.seconds[f"encode {(format or Path(fp).suffix[1:]).upper()}"] += time.process_time() - start

    def timed_resize(image, *args, **kwargs):
        start = time.process_time()
        try:
            return resize(image, *args, **kwargs)
        finally:
            spent.seconds["resize"] += time.process_time() - start

    Image.Image.save, Image.Image.resize = timed_save, timed_resize
    try:
        yield
    finally:
        Image.Image.save, Image.Image.resize = save, resize


def variants_cost(photos: list[Path], method: int, scratch: Path) -> Spent:
    """Every variant of each photo, as a build makes them, with WebP at `method`."""
    spent = Spent(photos)
    original = images.WEBP_OPTIONS
    images.WEBP_OPTIONS = {**original, "method": method}
    try:
        with clocked(spent):
            for n, photo in enumerate(photos):
                entry = scratch / f"m{method}-{n}"
                start = time.process_time()
                images.build_entry(str(photo), photo.name, str(entry), images._plan(photo, photo.name))
                spent.seconds["total"] += time.process_time() - start
                spent.webp_bytes += sum(f.stat().st_size for f in entry.glob("*.webp"))
    finally:
        images.WEBP_OPTIONS = original
    timed = sum(v for k, v in spent.seconds.items() if k != "total")
    spent.seconds["decode, colour and rest"] = spent.seconds["total"] - timed
    return spent


def cards_cost(photos: list[Path], scratch: Path) -> dict[str, float]:
    """CPU per social card, both sizes, as a build draws them: over a lead photo, and plain."""
    spec = cards.CardSpec(
        "秋の城下町小幡まつりを開催します　ご家族でお越しください",
        "観光・文化",
        "2026年11月28日（土）",
        "甘楽町",
    )
    spent = {"over a photo": 0.0, "plain (no photo)": 0.0}
    for n, photo in enumerate(photos):
        for kind, card in (("over a photo", replace(spec, photo=photo)), ("plain (no photo)", spec)):
            start = time.process_time()
            cards.render_to(card, str(scratch / f"card-{n}.{'jpg' if card.photo else 'png'}"))
            spent[kind] += time.process_time() - start
    return {kind: seconds / len(photos) for kind, seconds in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--photos", type=int, default=20, help="photos measured (the first N of the corpus's)"
    )
    parser.add_argument("--corpus-photos", type=int, default=300, help="photos the totals are for")
    parser.add_argument(
        "--photos-from",
        type=Path,
        nargs="+",
        metavar="JPEG",
        help="measure these files instead (real photographs); --photos still limits the count",
    )
    args = parser.parse_args()
    if args.photos_from:
        photos = args.photos_from[: args.photos]
    else:
        folder = WORK / f"photos-s2026-v{PHOTO_VERSION}"
        photos = [folder / name for name in write_photos(folder, args.photos)]
    print("\n".join(report(measure(photos), args.corpus_photos, os.cpu_count() or 1)))


def measure(photos: list[Path]) -> tuple[dict[int, Spent], dict[str, float]]:
    scratch = Path(tempfile.mkdtemp(prefix="picture-cost-"))
    try:
        return {method: variants_cost(photos, method, scratch) for method in METHODS}, cards_cost(
            photos, scratch
        )
    finally:
        shutil.rmtree(scratch)


def saved_cpu(runs: dict[int, Spent], method: int, photos: int) -> float:
    """CPU seconds a build of `photos` photos would save with WebP at `method` instead of ours."""
    return (runs[METHODS[0]].per_photo("total") - runs[method].per_photo("total")) * photos


def report(measured: tuple[dict[int, Spent], dict[str, float]], photos: int, cores: int) -> list[str]:
    runs, card = measured
    ours = runs[METHODS[0]]
    size = Image.open(ours.sources[0]).size
    out = [
        f"Image variants (3 widths, WebP and JPEG), CPU per photo: {ours.photos} photos of "
        f"{size[0]}×{size[1]}, one process.",
        "",
        f"| step | CPU per photo | {photos} photos | on {cores} cores |",
        "| --- | --- | --- | --- |",
    ]
    kinds = ["decode, colour and rest", "resize"] + sorted(k for k in ours.seconds if k.startswith("encode"))
    for kind, seconds in [(k, ours.per_photo(k)) for k in kinds] + [("all", ours.per_photo("total"))]:
        out.append(
            f"| {kind} | {seconds:.3f} s | {seconds * photos:.0f} CPU-s | {seconds * photos / cores:.1f} s |"
        )
    out += [
        "",
        "Social cards, CPU per card (1200 px and 1024 px): "
        + ", ".join(f"{kind} {seconds:.3f} s" for kind, seconds in card.items())
        + ".",
        "",
        f"| WebP `method` | WebP CPU per photo | WebP bytes per photo | CPU saved on {photos} photos |",
        "| --- | --- | --- | --- |",
    ]
    for method, spent in runs.items():
        mark = " (ours)" if method == METHODS[0] else ""
        out.append(
            f"| {method}{mark} | {spent.per_photo('encode WEBP'):.3f} s | "
            f"{spent.webp_bytes / spent.photos / 1024:.0f} KB ({spent.webp_bytes / ours.webp_bytes - 1:+.1%}) | "
            f"{saved_cpu(runs, method, photos):.0f} CPU-s |"
        )
    return out


if __name__ == "__main__":
    main()
