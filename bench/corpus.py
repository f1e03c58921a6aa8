"""A deterministic town corpus in our content layout, for benchmarks.

    .venv/bin/python bench/corpus.py OUT_DIR [--posts 3000] [--pages 300] [--photos 0]

Writes OUT_DIR/content (news, events, guide pages, optional JPEG photos with EXIF GPS),
OUT_DIR/mkdocs.yml and OUT_DIR/theme (a copy of ours), so `mkdocs build` runs in OUT_DIR.

With photos, every tenth post has a lead photo (`image:` front matter; each photo leads one
post while there are enough), and every 30th post and every 25th guide page also shows a
photo inline in its body (`![alt](../../images/...)`). Photos are 4000×3000 camera-sized
JPEGs (about 2.5 MB each, with texture) carrying EXIF maker, model and GPS; each one is drawn
from its own seeded generator, so they are made in parallel and cached apart from the text
(`cached_corpus`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
PHOTO_VERSION = 2  # bump when write_photo changes: cached photos are keyed by it
PHOTO_SIZE = (4000, 3000)
CATEGORIES = ["kurashi", "kosodate", "kenko", "kanko", "bosai", "gyosei", "sangyo"]
PLACES = [
    "甘楽町文化会館",
    "小幡公民館",
    "甘楽町役場",
    "楽山園",
    "道の駅甘楽",
    "総合体育館",
    "福島公民館",
    "新屋公民館",
]
TOPICS = [
    "こんにゃく",
    "ごみ収集",
    "子育て支援",
    "健康診断",
    "防災訓練",
    "町議会",
    "農業振興",
    "図書館",
    "上水道",
    "予防接種",
    "ふるさと祭り",
    "城下町小幡",
    "雄川堰",
    "消防団",
    "介護保険",
    "選挙",
    "町税",
    "児童手当",
]
SENTENCES = [
    "{t}について、町民の皆さまにお知らせします。",
    "{p}で{t}に関する説明会を開催します。",
    "詳しくは担当課までお問い合わせください。",
    "{t}の申請は、{m}月{d}日までに窓口またはオンラインで受け付けます。",
    "今年度は{t}の取り組みをさらに進め、安心して暮らせるまちづくりを目指します。",
    "参加費は無料です。どなたでもお気軽にご参加ください。",
    "{p}の駐車場には限りがありますので、乗り合わせてお越しください。",
    "{t}に関するご意見を募集しています。皆さまの声をお寄せください。",
]


def paragraph(rng: random.Random, topic: str, sentences: int = 4) -> str:
    return "".join(
        rng.choice(SENTENCES).format(
            t=topic, p=rng.choice(PLACES), m=rng.randint(1, 12), d=rng.randint(1, 28)
        )
        for _ in range(sentences)
    )


def body(rng: random.Random, topic: str, figure: str = "") -> str:
    parts = [paragraph(rng, topic)]
    if figure:
        parts.append(figure)
    for heading in rng.sample(["概要", "日時と場所", "申し込み方法", "問い合わせ先", "注意事項"], 2):
        parts += [f"## {heading}", paragraph(rng, topic, 3)]
    return "\n\n".join(parts) + "\n"


def post_kind(number: int) -> str:
    return "event" if number % 4 == 0 else "news"


def post_day(number: int, posts: int) -> date:
    """Posts are spread evenly over ten years from 2017-01-01."""
    return date(2017, 1, 1) + timedelta(days=number * 3650 // max(posts, 1))


def write_post(
    folder: Path,
    kind: str,
    number: int,
    day: date,
    rng: random.Random,
    photo: str | None,
    inline: str | None = None,
) -> None:
    topic = rng.choice(TOPICS)
    slug = f"{kind}-{number:05d}"
    lines = [
        "---",
        f"title: {topic}のお知らせ（第{number}号）",
        f"date: {day.isoformat()} 09:00",
        f"categories: [{rng.choice(CATEGORIES)}]",
        f"summary: {paragraph(rng, topic, 1)}",
    ]
    if photo:
        lines += [f"image: ../../images/{photo}", f"image_alt: {topic}の様子を写した写真"]
    if kind == "event":
        start = day + timedelta(days=rng.randint(7, 40))
        lines += [
            f"start: {start.isoformat()} 10:00",
            'end: "12:00"',
            f"place: {rng.choice(PLACES)}",
            "fee: 無料",
        ]
    lines.append("---")
    figure = f"![{topic}の会場の様子](../../images/{inline})" if inline else ""
    target = folder / ("news" if kind == "news" else "events") / str(day.year) / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n\n" + body(rng, topic, figure), encoding="utf-8")


def write_pages(content: Path, count: int, rng: random.Random, photo_names: list[str] = ()) -> None:
    sections = ["kurashi", "kosodate", "kenko", "kanko", "bosai", "machi"]
    for section in sections:
        (content / section).mkdir(parents=True, exist_ok=True)
        (content / section / "index.md").write_text(
            f"---\ntitle: {section}の案内\n---\n\n{paragraph(rng, section)}\n"
        )
    for number in range(count - len(sections)):
        section = sections[number % len(sections)]
        topic = rng.choice(TOPICS)
        figure = ""
        if photo_names and number % 25 == 12:
            figure = f"![{topic}の案内図](../images/{photo_names[(number * 11) % len(photo_names)]})"
        (content / section / f"page-{number:04d}.md").write_text(
            f"---\ntitle: {topic}の案内 {number}\norder: {number}\n---\n\n{body(rng, topic, figure)}",
            encoding="utf-8",
        )


def photo_name(number: int) -> str:
    return f"photo-{number:04d}.jpg"


def write_photo(path: Path, seed: int, number: int) -> None:
    """One camera-sized JPEG: shapes on a background, a fine texture (so it compresses like a
    photo, not like a flat drawing), and EXIF with maker, model, date and GPS."""
    from PIL import Image, ImageDraw  # only when photos are asked for

    rng = random.Random(f"{seed}-photo-{number}")
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, tuple(rng.randint(40, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rng.randint(0, width - 200), rng.randint(0, height - 200)
        draw.ellipse(
            (x, y, x + rng.randint(50, 900), y + rng.randint(50, 900)),
            fill=tuple(rng.randint(0, 255) for _ in range(3)),
        )
    small = (width // 4, height // 4)
    texture = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3)).resize(
        PHOTO_SIZE, Image.BICUBIC
    )
    image = Image.blend(image, texture, 0.2)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Camera Maker", "Town Camera 1"
    exif[0x0132] = f"2026:{1 + number % 12:02d}:{1 + number % 28:02d} 10:{number % 60:02d}:00"
    exif.get_ifd(0x8825).update(
        {1: "N", 2: (36.0, 13.0, 30.0 + number % 20), 3: "E", 4: (138.0, 55.0, 10.0 + number % 30)}
    )
    tmp = path.with_suffix(".part")
    image.save(tmp, "JPEG", quality=88, exif=exif)
    tmp.rename(path)


def write_photos(folder: Path, count: int, seed: int = 2026, workers: int | None = None) -> list[str]:
    """Photos photo-0000.jpg … into `folder`, in parallel; ones already there are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [photo_name(n) for n in range(count)]
    todo = [n for n, name in enumerate(names) if not (folder / name).exists()]
    if todo:
        with ProcessPoolExecutor(workers or os.cpu_count() or 1) as pool:
            list(
                pool.map(
                    write_photo, [folder / names[n] for n in todo], [seed] * len(todo), todo, chunksize=4
                )
            )
    return names


def generate(
    out: Path, posts: int, pages: int, photos: int, seed: int = 2026, photo_dir: Path | None = None
) -> None:
    """The corpus in `out`. Photos are written into content/images, or hard-linked there from
    `photo_dir` (made there first if missing), so several corpora share one set."""
    rng = random.Random(seed)
    content = out / "content"
    if out.exists():
        shutil.rmtree(out)
    content.mkdir(parents=True)
    (content / "index.md").write_text(
        "---\ntitle: ホーム\n---\n\nベンチマーク用の町のサイトです。\n", encoding="utf-8"
    )
    photo_names = []
    if photos:
        photo_names = write_photos(photo_dir or content / "images", photos, seed)
        if photo_dir:
            (content / "images").mkdir()
            for name in photo_names:
                link_or_copy(photo_dir / name, content / "images" / name)
    for number in range(posts):
        photo = photo_names[(number // 10) % len(photo_names)] if photo_names and number % 10 == 0 else None
        inline = photo_names[(number * 7) % len(photo_names)] if photo_names and number % 30 == 15 else None
        write_post(content, post_kind(number), number, post_day(number, posts), rng, photo, inline)
    write_pages(content, pages, rng, photo_names)
    refresh_site_files(out)


def refresh_site_files(out: Path) -> None:
    """Our current theme and mkdocs.yml (they change with the code, the content does not)."""
    shutil.rmtree(out / "theme", ignore_errors=True)
    shutil.copytree(ROOT / "theme", out / "theme")
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")


def cached_corpus(posts: int, pages: int, photos: int, seed: int = 2026) -> Path:
    """The corpus under bench/.work/, generated once per parameters and version of this file;
    photos are cached apart (bench/.work/photos-…) since they take the longest to make."""
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]
    out = WORK / f"corpus-{posts}p-{pages}g-{photos}i-s{seed}-{version}"
    if not (out / ".complete").exists():
        for stale in WORK.glob(
            f"*corpus-{posts}p-{pages}g-{photos}i-s{seed}-*"
        ):  # older versions, their stock copies
            if stale.name != out.name:
                shutil.rmtree(stale)
        photo_dir = WORK / f"photos-s{seed}-v{PHOTO_VERSION}" if photos else None
        generate(out, posts, pages, photos, seed, photo_dir)
        (out / ".complete").write_text("")
    else:
        refresh_site_files(out)
    return out


def latest_news(content: Path, now: datetime) -> Path:
    """The newest news item already published at `now` (what staff would edit next)."""
    newest = None
    for path in sorted((content / "news").rglob("*.md")):
        match = re.search(r"^date: (\S+ \S+)$", path.read_text(encoding="utf-8"), re.M)
        when = datetime.fromisoformat(match.group(1))
        if when <= now and (newest is None or when >= newest[0]):
            newest = (when, path)
    return newest[1]


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--photos", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, args.posts, args.pages, args.photos)
    print(f"{args.out}: {args.posts} posts, {args.pages} pages, {args.photos} photos")
