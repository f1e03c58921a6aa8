"""Build into a staging folder and replace the site folder only when the build succeeded."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
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
        old = self.final.parent / f".{self.final.name}.old-{uuid.uuid4().hex[:8]}"
        if self.final.exists():
            self.final.rename(old)
        self.staging.rename(self.final)
        if old.exists():
            discard(old)


def discard(folder: Path) -> None:
    """Delete a folder in a background process: removing ten thousand files takes seconds that
    nobody needs to wait for once the new site is in place."""
    subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
            str(folder),
        ],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
