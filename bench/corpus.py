"""A deterministic town corpus in our content layout, for benchmarks.

    .venv/bin/python bench/corpus.py OUT_DIR [--posts 3000] [--pages 300] [--photos 0]

Writes OUT_DIR/content (news, events, guide pages, optional JPEG photos with EXIF GPS),
OUT_DIR/mkdocs.yml and OUT_DIR/theme (a copy of ours), so `mkdocs build` runs in OUT_DIR.
"""
from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["kurashi", "kosodate", "kenko", "kanko", "bosai", "gyosei", "sangyo"]
PLACES = ["甘楽町文化会館", "小幡公民館", "甘楽町役場", "楽山園", "道の駅甘楽", "総合体育館", "福島公民館", "新屋公民館"]
TOPICS = ["こんにゃく", "ごみ収集", "子育て支援", "健康診断", "防災訓練", "町議会", "農業振興", "図書館", "上水道",
          "予防接種", "ふるさと祭り", "城下町小幡", "雄川堰", "消防団", "介護保険", "選挙", "町税", "児童手当"]
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
    return "".join(rng.choice(SENTENCES).format(t=topic, p=rng.choice(PLACES), m=rng.randint(1, 12), d=rng.randint(1, 28))
                   for _ in range(sentences))


def body(rng: random.Random, topic: str) -> str:
    parts = [paragraph(rng, topic)]
    for heading in rng.sample(["概要", "日時と場所", "申し込み方法", "問い合わせ先", "注意事項"], 2):
        parts += [f"## {heading}", paragraph(rng, topic, 3)]
    return "\n\n".join(parts) + "\n"


def write_post(folder: Path, kind: str, number: int, day: date, rng: random.Random, photo: str | None) -> None:
    topic = rng.choice(TOPICS)
    slug = f"{kind}-{number:05d}"
    lines = ["---", f"title: {topic}のお知らせ（第{number}号）", f"date: {day.isoformat()} 09:00",
             f"categories: [{rng.choice(CATEGORIES)}]", f"summary: {paragraph(rng, topic, 1)}"]
    if photo:
        lines += [f"image: ../../images/{photo}", f"image_alt: {topic}の様子を写した写真"]
    if kind == "event":
        start = day + timedelta(days=rng.randint(7, 40))
        lines += [f"start: {start.isoformat()} 10:00", "end: \"12:00\"", f"place: {rng.choice(PLACES)}", "fee: 無料"]
    lines.append("---")
    target = folder / ("news" if kind == "news" else "events") / str(day.year) / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n\n" + body(rng, topic), encoding="utf-8")


def write_pages(content: Path, count: int, rng: random.Random) -> None:
    sections = ["kurashi", "kosodate", "kenko", "kanko", "bosai", "machi"]
    for section in sections:
        (content / section).mkdir(parents=True, exist_ok=True)
        (content / section / "index.md").write_text(f"---\ntitle: {section}の案内\n---\n\n{paragraph(rng, section)}\n")
    for number in range(count - len(sections)):
        section = sections[number % len(sections)]
        topic = rng.choice(TOPICS)
        (content / section / f"page-{number:04d}.md").write_text(
            f"---\ntitle: {topic}の案内 {number}\norder: {number}\n---\n\n{body(rng, topic)}", encoding="utf-8")


def write_photos(content: Path, count: int, rng: random.Random) -> list[str]:
    from PIL import Image, ImageDraw  # only when photos are asked for

    folder = content / "images"
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(count):
        image = Image.new("RGB", (4000, 3000), tuple(rng.randint(40, 220) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(30):
            x, y = rng.randint(0, 3800), rng.randint(0, 2800)
            draw.ellipse((x, y, x + rng.randint(50, 900), y + rng.randint(50, 900)),
                         fill=tuple(rng.randint(0, 255) for _ in range(3)))
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "Camera Maker", "Town Camera 1"
        exif.get_ifd(0x8825).update({1: "N", 2: (36.0, 13.0, 30.0), 3: "E", 4: (138.0, 55.0, 10.0)})
        name = f"photo-{number:04d}.jpg"
        image.save(folder / name, quality=88, exif=exif)
        names.append(name)
    return names


def generate(out: Path, posts: int, pages: int, photos: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    content = out / "content"
    if out.exists():
        shutil.rmtree(out)
    content.mkdir(parents=True)
    (content / "index.md").write_text("---\ntitle: ホーム\n---\n\nベンチマーク用の町のサイトです。\n", encoding="utf-8")
    photo_names = write_photos(content, photos, rng)
    start = date(2017, 1, 1)
    for number in range(posts):
        day = start + timedelta(days=number * 3650 // max(posts, 1))
        photo = photo_names[number % len(photo_names)] if photo_names and number % 10 == 0 else None
        write_post(content, "event" if number % 4 == 0 else "news", number, day, rng, photo)
    write_pages(content, pages, rng)
    shutil.copytree(ROOT / "theme", out / "theme")
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--photos", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, args.posts, args.pages, args.photos)
    print(f"{args.out}: {args.posts} posts, {args.pages} pages, {args.photos} photos")
