"""Responsive images: EXIF-free WebP + JPEG/PNG variants, cached by content hash.

Staff upload phone photos straight from the camera roll: rotated by an EXIF flag, several
megabytes, often with the GPS position of their home. Every published variant is re-encoded
from pixels only, so no metadata survives, and its name carries a hash of the original, so
browsers and CDNs may cache it forever.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import posixpath
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from ..content.digests import DigestStore
from ..content.errors import FieldError
from ..content.files import link_or_copy
from .pool import run_parallel

PIPELINE_VERSION = "3"  # bump when the output of _convert changes: every URL changes with it
WIDTHS = (480, 960, 1600)
DISPLAY_WIDTH = 960  # the <img src> for browsers without srcset; the content column is narrower
IMG_DIR = "assets/img"
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")  # what process_images accepts
IMAGE_WORK = "画像を変換しています"
WEBP_OPTIONS = {"quality": 80, "method": 4}  # method 6 is ~2x slower for ~2% smaller files
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
PNG_OPTIONS = {"optimize": True}
_MIME = {
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}


class ImageError(FieldError):
    """An image that cannot be published; `src` is content-relative."""

    def __init__(self, src: str, message: str):
        super().__init__(message)
        self.src = src

    def __reduce__(self):  # crosses the process-pool boundary
        return type(self), (self.src, str(self))


@dataclass(frozen=True)
class Variant:
    path: str  # site-relative POSIX path
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class ProcessedImage:
    """One source image and its variants, narrowest first. SVG and animated GIF have no WebP."""

    src: str
    width: int
    height: int
    webp: tuple[Variant, ...]
    fallback: tuple[Variant, ...]

    @property
    def largest(self) -> Variant:
        return self.fallback[-1]

    @property
    def display(self) -> Variant:
        """The widest fallback that is at most DISPLAY_WIDTH (the narrowest when all are wider)."""
        fitting = [v for v in self.fallback if v.width <= DISPLAY_WIDTH]
        return fitting[-1] if fitting else self.fallback[0]


@dataclass(frozen=True)
class ImageReport:
    images: dict[str, ProcessedImage]
    processed: int  # originals decoded and encoded by Pillow in this call
    cached: int  # originals whose variants came from the cache


@dataclass(frozen=True)
class ImageBatch:
    """Images planned from their files' headers: every variant's name and size is known before
    any pixel work, so pages can be rendered while `jobs` encode the variants."""

    images: dict[str, ProcessedImage]
    jobs: list[tuple]  # arguments of build_entry, one per original not yet in the cache
    sources: dict[str, Path]  # src → its cache entry (SVG: the original itself)
    cached: int  # originals whose variants are already in the cache

    def link(self, out_dir: Path) -> None:
        """Put every variant into the site (once the jobs are done)."""
        for src, image in self.images.items():
            source = self.sources[src]
            entry = None if source.is_file() else source  # an SVG is published as it is
            for variant in (*image.webp, *image.fallback):
                name = entry / f"{variant.width}{posixpath.splitext(variant.path)[1]}" if entry else source
                link_or_copy(name, out_dir / variant.path)


def process_images(
    content_dir: Path,
    srcs: Iterable[str],
    out_dir: Path,
    cache_dir: Path,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    files: DigestStore | None = None,
) -> dict[str, ProcessedImage]:
    """Variants of every content-relative image in `srcs`, written under out_dir/assets/img/."""
    return process_images_report(
        content_dir, srcs, out_dir, cache_dir, workers=workers, progress=progress, files=files
    ).images


def process_images_report(
    content_dir: Path,
    srcs: Iterable[str],
    out_dir: Path,
    cache_dir: Path,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    files: DigestStore | None = None,
) -> ImageReport:
    """`process_images`, also saying how much work was done (tests, build log)."""
    batch = plan_images(content_dir, srcs, cache_dir, files or DigestStore())
    run_parallel(build_entry, batch.jobs, workers=workers, progress=progress, description=IMAGE_WORK)
    batch.link(out_dir)
    return ImageReport(batch.images, processed=len(batch.jobs), cached=batch.cached)


def plan_images(content_dir: Path, srcs: Iterable[str], cache_dir: Path, files: DigestStore) -> ImageBatch:
    """Read hashes and headers only; an unreadable header is an ImageError now, a file that
    fails later while decoding is one when the jobs run."""
    digests = {src: _digest(content_dir, src, files) for src in sorted(set(srcs))}
    images, jobs, sources, cached, planned = {}, [], {}, set(), set()
    for src, digest in digests.items():
        original, entry = content_dir / src, cache_dir / digest
        if src.lower().endswith(".svg"):
            images[src], sources[src] = _svg_image(src, digest, original), original
            continue
        meta_file = entry / "meta.json"
        if meta_file.exists():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            cached.add(digest)
        else:
            meta = _plan(original, src)
            if digest not in planned:  # the same picture under two names is made once
                planned.add(digest)
                jobs.append((str(original), src, str(entry), meta))
        images[src], sources[src] = _processed(src, digest, meta), entry
    return ImageBatch(images, jobs, sources, len(cached))


def _digest(content_dir: Path, src: str, files: DigestStore) -> str:
    try:
        data = files.sha256(content_dir / src)
    except OSError:
        raise ImageError(src, f"画像「{src}」が見つかりません") from None
    return hashlib.sha256(f"{PIPELINE_VERSION}\0{data}".encode()).hexdigest()


# Pillow work: runs in worker processes, and leaves one complete cache entry or nothing.


def build_entry(original: str, src: str, entry: str, meta: dict) -> None:
    try:
        image = Image.open(original)
        _decode_small(image, (meta["width"], meta["height"]))
        image.load()
    except _UNREADABLE:
        raise _unreadable(src) from None
    final = Path(entry)
    staging = final.with_name(f".{final.name}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with image:
            _convert(image, Path(original), staging, meta)
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if not (final / "meta.json").exists():
            shutil.rmtree(final, ignore_errors=True)  # a crashed run's leftover
        try:
            staging.rename(final)
        except OSError:
            pass  # another build made the same entry meanwhile: theirs is as good as ours
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # nothing half-written stays behind


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """The size as displayed: EXIF orientations 5–8 turn the picture a quarter."""
    turned = image.getexif().get(0x0112) in (5, 6, 7, 8)
    return (image.height, image.width) if turned else image.size


def _decode_small(image: Image.Image, size: tuple[int, int]) -> None:
    """JPEG: decode at the smallest 1/2, 1/4 or 1/8 scale still wider than the widest variant,
    several times faster than decoding a camera's 12 megapixels and resizing them all."""
    if image.format != "JPEG" or size[0] <= WIDTHS[-1]:
        return
    scale = WIDTHS[-1] / size[0]
    image.draft(image.mode, (math.ceil(image.width * scale), math.ceil(image.height * scale)))


def _plan(original: Path, src: str) -> dict:
    """What meta.json will record, from the header: the size as displayed and every variant
    (heights from the original's proportions, so they do not depend on the decoding scale)."""
    try:
        with Image.open(original) as image:
            _bounded(src, *image.size)  # from the header, before anything is decoded
            width, height = _upright_size(image)
            if original.suffix.lower() == ".gif" and getattr(image, "is_animated", False):
                return _meta((width, height), [], [(width, height, "gif")])
            family = "png" if _has_alpha(image) or original.suffix.lower() in (".png", ".gif") else "jpg"
    except ImageError:
        raise
    except Image.DecompressionBombError:
        raise _too_large(src) from None
    except _UNREADABLE:
        raise _unreadable(src) from None
    sizes = [(w, max(1, round(height * w / width))) for w in variant_widths(width)]
    return _meta((width, height), [(w, h, "webp") for w, h in sizes], [(w, h, family) for w, h in sizes])


def _convert(image: Image.Image, original: Path, folder: Path, meta: dict) -> None:
    """Write every variant that `meta` plans into `folder`, each from the next larger one."""
    fallback = meta["fallback"]
    if fallback[0][2] == "gif":
        shutil.copyfile(original, folder / f"{fallback[0][0]}.gif")  # resizing would lose the animation
        return
    alpha = _has_alpha(image)
    sized = _srgb(ImageOps.exif_transpose(image)).convert("RGBA" if alpha else "RGB")
    for width, height, family in reversed(fallback):
        if sized.size != (width, height):
            sized = sized.resize((width, height), reducing_gap=3.0)
        sized.info = {}  # nothing of the original's metadata may reach an encoder
        sized.save(folder / f"{width}.webp", "WEBP", exif=b"", **WEBP_OPTIONS)
        if family == "jpg":
            sized.save(folder / f"{width}.jpg", "JPEG", exif=b"", **JPEG_OPTIONS)
        else:
            sized.save(folder / f"{width}.png", "PNG", **PNG_OPTIONS)


_UNREADABLE = (OSError, ValueError, SyntaxError, Image.DecompressionBombError)
# A 48-megapixel phone photo passes; decoding one as RGBA takes about 200 MB. Pillow's own
# limit (178 MP, an error) would otherwise call a larger picture broken.
MAX_PIXELS = 50_000_000


def decoded_before(content_dir: Path, src: str, cache_dir: Path, files: DigestStore) -> bool:
    """Whether a build already made this very file's variants (so it decoded to its end)."""
    try:
        return (cache_dir / _digest(content_dir, src, files) / "meta.json").exists()
    except ImageError:
        return False


def check_image(original: Path, src: str) -> ImageError | None:
    """What `publisher check` says of one picture: too large, or not decodable to its end (a
    truncated upload). JPEGs are decoded at 1/8 scale: every byte is still read."""
    try:
        meta = _plan(original, src)
        with Image.open(original) as image:
            if image.format == "JPEG":
                image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
            elif meta["fallback"][0][2] == "gif":
                return None
            image.load()
    except ImageError as error:
        return error
    except _UNREADABLE:
        return _unreadable(src)
    return None


def _bounded(src: str, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise _too_large(src, f"{width}×{height}、{width * height / 1e6:.0f} メガピクセル")


def _too_large(src: str, size: str = "") -> ImageError:
    said = f"（{size}）" if size else ""
    return ImageError(
        src,
        f"画像「{src}」が大きすぎます{said}。{MAX_PIXELS // 1_000_000} メガピクセルまで"
        "（例: 8000×6000）に縮小してから置いてください",
    )


def _unreadable(src: str) -> ImageError:
    return ImageError(src, f"画像「{src}」を読み込めません（壊れているか、画像ではありません）")


def variant_widths(original: int) -> list[int]:
    """WIDTHS up to the original, never upscaled; the original replaces a width less than 20% narrower."""
    if original >= WIDTHS[-1]:
        return list(WIDTHS)
    kept = [w for w in WIDTHS if w < original]
    if kept and original < kept[-1] * 1.2:
        kept.pop()
    return [*kept, original]


def _srgb(image: Image.Image) -> Image.Image:
    """Convert a tagged profile (Display P3 from phones, CMYK) to sRGB, what untagged files mean."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels as they are are the best guess


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _meta(size: tuple[int, int], webp: list, fallback: list) -> dict:
    return {"width": size[0], "height": size[1], "webp": webp, "fallback": fallback}


# Records: names carry the original's hash, so browsers and CDNs may cache them forever.


def _processed(src: str, digest: str, meta: dict) -> ProcessedImage:
    stem = f"{IMG_DIR}/{_stem(src)}-{digest[:10]}"

    def variants(rows) -> tuple[Variant, ...]:
        return tuple(
            Variant(f"{stem}-{width}.{ext}", width, height, _MIME[ext]) for width, height, ext in rows
        )

    return ProcessedImage(
        src, meta["width"], meta["height"], variants(meta["webp"]), variants(meta["fallback"])
    )


def _svg_image(src: str, digest: str, original: Path) -> ProcessedImage:
    path = f"{IMG_DIR}/{_stem(src)}-{digest[:10]}.svg"
    width, height = _svg_size(original.read_text(encoding="utf-8", errors="replace"))
    return ProcessedImage(src, width, height, (), (Variant(path, width, height, _MIME["svg"]),))


def _svg_size(text: str) -> tuple[int, int]:
    """Intrinsic size from the root's width/height (px) or viewBox; 0 when it has none."""
    root = re.search(r"<svg\b[^>]*>", text)
    attrs = (
        dict(re.findall(r'(?<![\w-])(width|height|viewBox)\s*=\s*["\']([^"\']*)', root.group(0)))
        if root
        else {}
    )
    sizes = [re.fullmatch(r"\s*([\d.]+)\s*(px)?\s*", attrs.get(k, "")) for k in ("width", "height")]
    if all(sizes):
        return round(float(sizes[0][1])), round(float(sizes[1][1]))
    box = attrs.get("viewBox", "").replace(",", " ").split()
    try:
        return round(float(box[2])), round(float(box[3]))
    except (IndexError, ValueError):
        return 0, 0


def _stem(src: str) -> str:
    """A name safe inside srcset (no spaces or commas) that still says which picture it is."""
    return re.sub(r"[^\w-]+", "-", posixpath.splitext(posixpath.basename(src))[0]).strip("-") or "image"
