"""The setup a town would otherwise pick, on the same Markdown: MkDocs + Material with its
`blog` plugin, mkdocs-rss-plugin and Material's search, in a venv of its own.

    .venv/bin/python bench/stock.py CORPUS_DIR OUT_DIR [--no-prune]

Conversion of our content/ (see `convert`):
- news and events become blog posts, flat in docs/blog/posts/ (same folder depth as
  content/news/YYYY/, so relative image links still resolve), with what the blog plugin
  expects: `date` as a YAML timestamp with the Japan offset (the plugin rejects our
  `2017-01-04 09:00`, and reads dates without offset as UTC), `categories` by their Japanese
  labels (events also in イベント), `slug` from our file name, and a `<!-- more -->`
  separator after the first paragraph, as Material's blog documentation shows, so listings
  carry excerpts rather than whole posts;
- our lead image (`image:`/`image_alt:`, which stock Material does not read) becomes the first
  line of the body; other front matter is left as it is (ignored);
- guide pages, the home page and images are copied under docs/ unchanged;
- mkdocs.yml: theme material (language ja, navigation.indexes and, unless --no-prune,
  navigation.prune: measured 93 s with it and 123 s without, so keeping it compares us with
  the faster variant), the same Markdown extensions as ours, plugins search (default), blog
  (defaults), rss (match_path blog/posts/.*, dates from `date`, Asia/Tokyo, no git).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from corpus import WORK, link_or_copy

ROOT = Path(__file__).resolve().parent.parent
VENV = WORK / "stock-venv"
RSS_PLUGIN = "mkdocs-rss-plugin==1.19.0"
MKDOCS = "mkdocs==1.6.1"
EVENT_CATEGORY = "イベント"
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def requirements() -> list[str]:
    """mkdocs 1.6.1, the mkdocs-material our venv has, and the RSS plugin."""
    from importlib.metadata import version

    return [MKDOCS, f"mkdocs-material=={version('mkdocs-material')}", RSS_PLUGIN]


def ensure_venv(log=print) -> Path:
    """bench/.work/stock-venv with `requirements()`; (re)made when they changed. Returns its mkdocs."""
    wanted = "\n".join(requirements()) + "\n"
    stamp = VENV / ".requirements"
    if not (stamp.exists() and stamp.read_text() == wanted):
        log(f"stock venv: installing {' '.join(requirements())} into {VENV}")
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        with open(WORK / "stock-venv.log", "w") as out:  # pip's own notes stay out of the report
            done = subprocess.run(
                [
                    str(VENV / "bin/python"),
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    *requirements(),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if done.returncode:
            raise SystemExit(f"pip could not install the stock setup: see {WORK / 'stock-venv.log'}")
        stamp.write_text(wanted)
    return VENV / "bin/mkdocs"


def venv_versions() -> dict[str, str]:
    code = (
        "from importlib.metadata import version as v; "
        "print(*(f'{p}={v(p)}' for p in ['mkdocs', 'mkdocs-material', 'mkdocs-rss-plugin']), sep='\\n')"
    )
    done = subprocess.run([str(VENV / "bin/python"), "-c", code], capture_output=True, text=True, check=True)
    return dict(line.split("=", 1) for line in done.stdout.split())


def cached_stock(corpus: Path, prune: bool = True) -> Path:
    """The stock project for `corpus` under bench/.work/, converted once per corpus, version of
    this file and of our mkdocs.yml (its categories and Markdown extensions are carried over)."""
    version = hashlib.sha256(Path(__file__).read_bytes() + (ROOT / "mkdocs.yml").read_bytes()).hexdigest()[:8]
    out = WORK / f"stock-{corpus.name}-{'prune' if prune else 'noprune'}-{version}"
    if not (out / ".complete").exists():
        for stale in WORK.glob(f"stock-{corpus.name}-{'prune' if prune else 'noprune'}-*"):
            shutil.rmtree(stale)
        convert(corpus, out, prune)
        (out / ".complete").write_text("")
    return out


def convert(corpus: Path, out: Path, prune: bool = True) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    town = next(p["town"] for p in config["plugins"] if isinstance(p, dict) and "town" in p)
    labels = {c["slug"]: c["label"] for c in town["categories"]}
    content, docs = corpus / "content", out / "docs"
    if out.exists():
        shutil.rmtree(out)
    posts = docs / "blog" / "posts"
    posts.mkdir(parents=True)
    (docs / "blog" / "index.md").write_text("# お知らせ\n", encoding="utf-8")
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content)
        if path.is_dir():
            continue
        if relative.parts[0] in ("news", "events") and path.suffix == ".md":
            (posts / path.name).write_text(
                post(path.read_text(encoding="utf-8"), path.stem, relative.parts[0] == "events", labels),
                encoding="utf-8",
            )
        else:
            target = docs / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(path, target)
    features = ["navigation.indexes"] + (["navigation.prune"] if prune else [])
    stock_config = {
        "site_name": config["site_name"],
        "site_url": config["site_url"],
        "site_description": config.get("site_description", ""),
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "language": "ja", "features": features},
        "markdown_extensions": config["markdown_extensions"],
        "plugins": [
            "search",
            "blog",
            {
                "rss": {
                    "match_path": "blog/posts/.*",
                    "date_from_meta": {"as_creation": "date", "default_timezone": "Asia/Tokyo"},
                    "categories": ["categories"],
                    "use_git": False,
                }
            },
        ],
    }
    (out / "mkdocs.yml").write_text(
        yaml.safe_dump(stock_config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def post(text: str, slug: str, event: bool, labels: dict[str, str]) -> str:
    """One of our news or event files as a Material blog post (see the module docstring)."""
    match = _FRONT.match(text)
    meta_lines, body = match.group(1).splitlines(), text[match.end() :]
    meta = yaml.safe_load(match.group(1))
    kept = [
        line
        for line in meta_lines
        if line.split(":", 1)[0] not in ("title", "date", "categories", "image", "image_alt")
    ]
    categories = [labels.get(c, c) for c in meta.get("categories", [])] + ([EVENT_CATEGORY] if event else [])
    head = [
        f"title: {meta['title']}",
        f"date: {meta['date']}:00+09:00",
        f"slug: {slug}",
        "categories:",
        *(f"  - {c}" for c in categories),
    ]
    lead = f"![{meta['image_alt']}]({meta['image']})\n\n" if meta.get("image") else ""
    first, _, rest = body.strip("\n").partition("\n\n")
    return (
        "---\n" + "\n".join(head + kept) + "\n---\n\n" + lead + first + "\n\n<!-- more -->\n\n" + rest + "\n"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--no-prune", action="store_true")
    args = parser.parse_args()
    convert(args.corpus, args.out, not args.no_prune)
    print(f"{args.out}: stock MkDocs + Material blog project; build it with {ensure_venv()} build")
