"""Categories and departments as staff name them: the slug, the Japanese label, or a plain part
of the label, read as the slug. One reader serves the check, `publisher new` and the form's
labels, so a word one of them takes is taken by all.

Labels are compared after NFKC (full-width letters, half-width kana), without spaces and
case-blind: `くらし・手続き`, `くらし手続き`, `ｋｕｒａｓｈｉ` and `Kurashi` are all `kurashi`. A label
made of parts (`くらし・手続き`) is also known by each part that no other label shares (`くらし`),
since staff remember the first word of a label more often than the whole."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

from .config import SiteConfig
from .errors import FieldError
from .options import text

_PART_SEPARATORS = re.compile(r"[・･/／、,]")


def folded(word: str) -> str:
    """A category or department name as it is compared: NFKC, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", word)).casefold()


def names_to_slugs(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(slug, label) pairs → every folded name staff may write → its slug."""
    pairs = list(pairs)
    parts = Counter(part for _, label in pairs for part in set(_parts(label)))
    names: dict[str, str] = {}
    for slug, label in pairs:
        names.update({part: slug for part in _parts(label) if parts[part] == 1})
    for slug, label in pairs:  # whole labels and slugs win over a part
        names[folded(_PART_SEPARATORS.sub("", label))] = slug
        names[folded(label)] = slug
        names[folded(slug)] = slug
    return names


def _parts(label: str) -> list[str]:
    pieces = [folded(piece) for piece in _PART_SEPARATORS.split(label)]
    return [piece for piece in pieces if piece] if len(pieces) > 1 else []


def category_reader(config: SiteConfig) -> Callable[[object], tuple[str, ...]]:
    """Slugs or labels of declared categories, one or a list, read as their slugs."""
    slugs = names_to_slugs((c.slug, c.label) for c in config.categories)
    known = "、".join(f"{c.slug}（{c.label}）" for c in config.categories)

    def read_categories(raw) -> tuple[str, ...]:
        if not isinstance(raw, (str, list)):
            raise FieldError("分類は一覧で書いてください（例: [kurashi, kenko]）")
        written = [str(value).strip() for value in ([raw] if isinstance(raw, str) else raw)]
        unknown = "".join(f"「{word}」" for word in written if folded(word) not in slugs)
        if unknown:
            raise FieldError(f"分類{unknown}は登録されていません。使える分類: {known}")
        return tuple(dict.fromkeys(slugs[folded(word)] for word in written))

    return read_categories


def department_reader(config: SiteConfig) -> Callable[[object], str]:
    """The slug or the name of a declared department, read as its slug."""
    slugs = {folded(d.name): d.slug for d in config.departments} | {
        folded(d.slug): d.slug for d in config.departments
    }
    known = (
        "、".join(f"{d.slug}（{d.name}）" for d in config.departments)
        or "（mkdocs.yml に departments がありません）"
    )

    def read_department(raw) -> str:
        written = text(raw)
        if folded(written) not in slugs:
            raise FieldError(f"担当課「{written}」は登録されていません。使える担当課: {known}")
        return slugs[folded(written)]

    return read_department
