"""SHA-256 of source files (photos, fonts), remembered by path, size and modification time.

Images and social cards are cached by the hash of what they are made from; hashing 300
camera photos and two CJK fonts at every build would cost seconds when nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

CODE = Path(__file__).resolve().parents[1]  # our code: caches that depend on it are salted with it


class DigestStore:
    def __init__(self, path: Path | None = None):
        self.path = path
        self.known: dict[str, list] = {}
        if path:
            try:
                self.known = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}

    def sha256(self, file: Path) -> str:
        """The file's SHA-256; OSError when it cannot be read."""
        stat = file.stat()
        name = str(file.resolve())
        size, mtime, digest = self.known.get(name, (None, None, None))
        if (size, mtime) != (stat.st_size, stat.st_mtime_ns):
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
            self.known[name] = [stat.st_size, stat.st_mtime_ns, digest]
        return digest

    def save(self) -> None:
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(self.known, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)


def add_folder(digest, folder: Path | None, pattern: str = "*") -> None:
    """Feed the files under `folder` matching `pattern` (each relative path and its bytes, in
    order) into a hashlib object: what a cache that depends on code or a theme is salted with."""
    for path in sorted(folder.rglob(pattern)) if folder and folder.is_dir() else ():
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
