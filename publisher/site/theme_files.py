"""Files Material's theme brings that no page of this site loads, left out of site/.

The pages do without Material's script bundle (its navigation works on checkboxes) and its lunr
search (Pagefind serves the search page), and no palette is configured; their 2.4 MB, with
source maps of a megabyte, only made the deploy bigger and its file list harder to audit.
"""

from __future__ import annotations

import re

_UNUSED = re.compile(
    r"assets/javascripts/(bundle\.[^/]*|lunr/.*|workers/.*)"
    r"|assets/stylesheets/palette\.[^/]*"
    r"|assets/.*\.map"
)


def unused_theme_file(src_uri: str) -> bool:
    return bool(_UNUSED.fullmatch(src_uri))
