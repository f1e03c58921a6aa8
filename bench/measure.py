"""Measuring one build: wall time, CPU time and peak memory of the whole process tree, and
the size of what it wrote.

Peak memory is measured two ways, because a build is a tree of processes (MkDocs, image and
card worker processes forked from it, Pagefind's Python launcher and its Rust binary):

- `peak_pss`: the peak of the sum of the proportional set size (PSS, /proc/PID/smaps_rollup)
  of every process in the tree. PSS splits a page shared by n processes (forked workers share
  the parent's pages) into n parts, so the sum is the memory the build really holds. The tree
  and its RSS are sampled every `interval` seconds (cheap counters); PSS, which makes the
  kernel walk page tables (some ms per process), is read at most every 0.5 s, or sooner when
  the RSS sum rose by 5 %, and never while the RSS sum is below the PSS peak so far (PSS is
  never more than RSS). A spike shorter than that can be missed.
- `max_rss`: the kernel's ru_maxrss from wait4() for the build: the largest resident set
  any single process of the tree reached (exact, but not a sum over processes).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
MB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")
PSS_EVERY = 0.5  # seconds


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the whole tree
    peak_pss: int  # bytes, sampled sum over the tree
    peak_rss_sum: int  # bytes, sampled sum of RSS over the tree (counts shared pages repeatedly)
    max_rss: int  # bytes, largest single process (kernel)
    peak_processes: int
    returncode: int
    sampler_cpu: float  # seconds of CPU the measuring itself took (in this process)
    peak_detail: str = ""  # the processes at the PSS peak: "name MB, name MB, …"


@dataclass(frozen=True)
class Output:
    total: int
    non_image: int
    html_pages: int
    median_html: float
    files: int


def run(command: list[str], cwd: Path, env: dict[str, str], log: Path, interval: float = 0.1) -> Run:
    """Run `command` to completion, its output into `log`, sampling its process tree."""
    with open(log, "wb") as out:
        own = time.process_time()
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = _Sampler(process.pid, interval)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    return Run(
        wall,
        usage.ru_utime + usage.ru_stime,
        sampler.peak_pss,
        sampler.peak_rss,
        usage.ru_maxrss * 1024,
        sampler.peak_processes,
        process.returncode,
        time.process_time() - own,
        sampler.peak_detail,
    )


class _Sampler(threading.Thread):
    def __init__(self, root: int, interval: float):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_pss = self.peak_rss = self.peak_processes = 0
        self.peak_detail = ""
        self._done = threading.Event()
        self._pss_at, self._pss_rss = -PSS_EVERY, 0

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def sample(self) -> None:
        tree = _tree(self.root)
        rss = {pid: _rss(pid) for pid in tree}  # cheap: a counter per process
        total = sum(rss.values())
        self.peak_rss = max(self.peak_rss, total)
        self.peak_processes = max(self.peak_processes, len(tree))
        # PSS <= RSS, so the PSS peak can only grow while the RSS sum is above it; read it then,
        # at most every PSS_EVERY seconds unless the RSS sum rose by 5 % since the last reading.
        now = time.monotonic()
        if total > self.peak_pss and (now - self._pss_at >= PSS_EVERY or total > 1.05 * self._pss_rss):
            each = {pid: _smaps_rollup(pid).get("Pss", 0) * 1024 for pid in tree if rss[pid]}
            if sum(each.values()) > self.peak_pss:
                self.peak_pss = sum(each.values())
                self.peak_detail = ", ".join(
                    f"{_name(pid)} {size / 1024 / 1024:.0f} MB"
                    for pid, size in sorted(each.items(), key=lambda kv: -kv[1])
                )
            self._pss_at, self._pss_rss = now, total


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError):
        return 0


def _smaps_rollup(pid: int) -> dict[str, int]:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # gone, or a zombie
        return {}
    fields = {}
    for line in text.splitlines()[1:]:
        name, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            fields[name] = int(value.split()[0])
    return fields


def output_size(site: Path) -> Output:
    """Bytes of every file under `site` (each path counted, as a host would store it)."""
    total = non_image = files = 0
    html = []
    for folder, _, names in os.walk(site):
        for name in names:
            size = os.lstat(os.path.join(folder, name)).st_size
            total += size
            files += 1
            lower = name.lower()
            if not lower.endswith(IMAGE_SUFFIXES):
                non_image += size
            if lower.endswith(".html"):
                html.append(size)
    return Output(total, non_image, len(html), statistics.median(html) if html else 0.0, files)
