"""Icons of the home page's purpose entries, inlined from the theme's icon folders.

Material ships its icon sets as SVG files under `.icons/` in its templates, and a theme's
`custom_dir` may add its own there; the menu icon of the header comes from the same place. An
icon is inlined (no request, no outside host) and hidden from assistive technology: the entry's
label says what it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..content.errors import ContentError, ContentErrors
from ..content.home_links import CONFIG_FILE, Home

HIDDEN = '<svg aria-hidden="true" focusable="false" '


def load_icons(home: Home, theme_dirs: Iterable[str]) -> dict[str, str]:
    """The SVG of every icon the purpose entries name, by name; ContentErrors naming mkdocs.yml
    for each one no theme folder has."""
    folders = [Path(folder) / ".icons" for folder in theme_dirs]
    icons, problems = {}, []
    for number, purpose in enumerate(home.purposes, 1):
        if not purpose.icon or purpose.icon in icons:
            continue
        found = next(
            (f / f"{purpose.icon}.svg" for f in folders if (f / f"{purpose.icon}.svg").is_file()), None
        )
        if found is None:
            message = (
                f"plugins.town.home.purposes（{number}番目）.icon: 「{purpose.icon}」というアイコンは"
                "ありません（Material のアイコン名、例: material/trash-can-outline）"
            )
            problems.append(ContentError(CONFIG_FILE, 0, message))
            continue
        icons[purpose.icon] = _hidden(found.read_text(encoding="utf-8"))
    if problems:
        raise ContentErrors(problems)
    return icons


def _hidden(svg: str) -> str:
    """Decorative: out of the accessibility tree and of the tab order (old Edge focused SVGs)."""
    svg = svg.strip()
    return HIDDEN + svg[len("<svg ") :] if svg.startswith("<svg ") else svg
