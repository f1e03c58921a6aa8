"""Build into a staging folder and replace the site folder only when the build succeeded."""
from __future__ import annotations

import shutil
from pathlib import Path


class SiteSwap:
    def __init__(self, final: Path):
        self.final = final.resolve()
        self.staging = self.final.parent / f".{self.final.name}.building"
        self.ready = False
        shutil.rmtree(self.staging, ignore_errors=True)  # left over from an interrupted build

    def finish(self) -> None:
        """Swap in the new site if it is complete; otherwise drop it and keep the old one."""
        if not self.ready:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        old = self.final.parent / f".{self.final.name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if self.final.exists():
            self.final.rename(old)
        self.staging.rename(self.final)
        shutil.rmtree(old, ignore_errors=True)
