"""What was posted where: one entry per (item, channel, kind), saved atomically after every change.

The ledger is a JSON file committed to the repository. It is rewritten (write, fsync, rename)
after every single state change, so a run killed at any instant loses nothing: an entry left
`pending` means "may have gone out", and the runner checks before it posts again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

PENDING, SENT, FAILED, SEEDED = "pending", "sent", "failed", "seeded"
DONE = (SENT, FAILED, SEEDED)
FORMAT_VERSION = 1


class LedgerBusy(Exception):
    """Another run holds the lock."""


class LedgerError(Exception):
    """The ledger file cannot be read (message in Japanese)."""


@dataclass(frozen=True)
class Entry:
    item_id: str
    channel: str
    kind: str  # publish | reminder
    status: str  # pending | sent | failed | seeded
    idempotency_key: str = ""
    attempts: int = 0
    remote_id: str = ""
    remote_url: str = ""
    last_error: str = ""
    created_at: str = ""
    updated_at: str = ""

    @property
    def key(self) -> str:
        return entry_key(self.item_id, self.channel, self.kind)


def entry_key(item_id: str, channel: str, kind: str) -> str:
    return f"{channel}:{kind}:{item_id}"


class Ledger:
    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, Entry] = _load(path)

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def get(self, item_id: str, channel: str, kind: str) -> Entry | None:
        return self.entries.get(entry_key(item_id, channel, kind))

    def put(self, entry: Entry, now: str) -> Entry:
        """Record one change and write the whole ledger to disk before returning."""
        entry = self._stamped(entry, now)
        self._save()
        return entry

    def put_many(self, entries: list[Entry], now: str) -> None:
        for entry in entries:
            self._stamped(entry, now)
        self._save()

    def _stamped(self, entry: Entry, now: str) -> Entry:
        previous = self.entries.get(entry.key)
        created = entry.created_at or (previous.created_at if previous else "") or now
        self.entries[entry.key] = replace(entry, created_at=created, updated_at=now)
        return self.entries[entry.key]

    def _save(self) -> None:
        data = {"version": FORMAT_VERSION, "entries": [asdict(e) for _, e in sorted(self.entries.items())]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a power cut
        finally:
            os.close(directory)

    @contextlib.contextmanager
    def locked(self, wait: float = 0.0):
        """One run at a time: wait up to `wait` seconds for another run to finish."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "w") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LedgerBusy() from None
                    time.sleep(0.2)
            self.entries = _load(self.path)  # what the previous run left, read under the lock
            try:
                yield self
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _load(path: Path) -> dict[str, Entry]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [Entry(**row) for row in data["entries"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise LedgerError(
            f"SNS 配信台帳 {path} を読み込めません（{type(error).__name__}）。git で直前の版に戻してください"
        ) from None
    return {e.key: e for e in entries}
