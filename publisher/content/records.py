"""Item records kept between builds, so an everyday build parses only the files that changed.

Reading 3,300 files' front matter, validating every field and running the house rules took
about 1.5 s of each build. A record is stored under the hash of the file's path and bytes,
salted with our code and the site configuration (either changes every record); a file's
bytes, not its mtime, decide, because a fresh git checkout gives every file a new mtime.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from .digests import CODE, add_folder
from .errors import ContentError
from .model import Item

VERSION = "1"  # bump when what a record holds changes


@dataclass(frozen=True)
class Record:
    """What reading one file found: the item and the problems that do not stop a build."""

    item: Item
    warnings: tuple[ContentError, ...]  # from reading the file (content-relative paths)
    findings: tuple  # house_rules.check_item(item)


class RecordStore:
    """One pickle file; records not used by a build are dropped when it saves."""

    def __init__(self, path: Path, config_text: str):
        self.path = path
        self.salt = _salt(config_text)
        self.stored: dict[str, Record] = {}
        self.used: dict[str, Record] = {}
        try:
            salt, stored = pickle.loads(path.read_bytes())
            if salt == self.salt:
                self.stored = stored
        except (
            OSError,
            EOFError,
            pickle.UnpicklingError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ):
            pass  # no store yet, or one from other code: start afresh

    def key(self, src: str, data: bytes) -> str:
        return hashlib.sha256(src.encode() + b"\0" + data).hexdigest()

    def get(self, key: str) -> Record | None:
        record = self.stored.get(key)
        if record is not None:
            self.used[key] = record
        return record

    def put(self, key: str, record: Record) -> None:
        self.used[key] = record

    def save(self) -> None:
        """Write beside the store and rename: a crash never leaves half of one."""
        if self.used == self.stored:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps((self.salt, self.used), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, self.path)


def _salt(config_text: str) -> str:
    digest = hashlib.sha256(f"{VERSION}\0{config_text}".encode())
    add_folder(digest, CODE, "*.py")
    return digest.hexdigest()
