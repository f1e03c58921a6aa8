"""Work spread over worker processes while the caller goes on, with a progress bar when watched.

Image variants and social cards are made here while MkDocs renders the pages.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_context

PROGRESS_FROM = 20  # fewer jobs finish before a bar would be worth reading


def run_parallel(
    work: Callable, jobs: Sequence[tuple], *, workers: int | None, progress: bool | None, description: str
) -> None:
    """Call `work(*job)` for every job and wait; the first failure (in job order) is raised."""
    Background([(work, job) for job in jobs], workers).wait(progress, description)


class Background:
    """Calls `work(*args)` for every task: in worker processes that start at once, so the caller
    can go on (pages are rendered while images are encoded), or, for one task or one worker,
    in this process when waited for. Every task runs even when some fail."""

    def __init__(self, tasks: Sequence[tuple[Callable, tuple]], workers: int | None = None):
        workers = workers or os.cpu_count() or 1
        self.tasks = list(tasks)
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict = {}
        if len(self.tasks) > 1 and workers > 1:
            # The workers start at the first submit, before a progress bar's refresh thread exists.
            self.pool = ProcessPoolExecutor(min(workers, len(self.tasks)), mp_context=_start_method())
            self.futures = {self.pool.submit(work, *args): n for n, (work, args) in enumerate(self.tasks)}

    def wait(self, progress: bool | None, description: str) -> None:
        failures: dict[int, Exception] = {}
        with _progress(len(self.tasks), progress, description) as advance:
            if self.pool is None:
                for n, (work, args) in enumerate(self.tasks):
                    try:
                        work(*args)
                    except Exception as error:
                        failures[n] = error
                    advance()
            else:
                try:
                    for future in as_completed(self.futures):
                        if future.exception() is not None:
                            failures[self.futures[future]] = future.exception()
                        advance()
                except BaseException:  # Ctrl-C: do not wait for hundreds of queued images
                    self.cancel()
                    raise
                self.pool.shutdown()
        if failures:
            raise failures[min(failures)]

    def cancel(self) -> None:
        """Drop the tasks not started (a build that failed elsewhere)."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


def _start_method():
    """fork is fastest and needs no `if __name__ == "__main__"` guard in scripts, but forking a
    process that runs other threads (mkdocs serve's file watcher) can deadlock."""
    return get_context("fork" if threading.active_count() == 1 else "forkserver")


@contextmanager
def _progress(total: int, wanted: bool | None, description: str) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr when someone is watching many jobs (or asked for it)."""
    automatic = wanted is None and total >= PROGRESS_FROM and sys.stderr.isatty()
    if not total or not (wanted or automatic):
        yield lambda: None
        return
    try:
        from rich.console import Console
        from rich.progress import Progress
    except ImportError:  # the bar is a nicety; a build never fails for want of it
        yield lambda: None
        return
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
