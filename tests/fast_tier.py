"""The fast tier stays fast: a test not marked `slow` fails when it starts another program.

`make test-fast` runs `pytest -m "not slow"` and is meant to take well under a minute, so a build,
the command line as a subprocess, a browser, poppler or Tesseract belong in tests marked slow
(pyproject.toml declares the marker). This plugin (loaded by conftest.py) makes that a rule rather
than a habit: while a test that is not marked slow sets up, runs or tears down, starting any
program but a quick look-up raises, and the test fails even when the code under test catches the
error. Fixtures count too: a module or session fixture is set up by the first test that needs it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Quick look-ups a fast test may make: `publisher changes` reads the base revision with git, and
# the social cards ask fontconfig for a Japanese font when none of the known files is installed.
QUICK_PROGRAMS = frozenset({"git", "fc-match"})


class SubprocessInFastTest(Exception):
    """A test not marked slow started a program that is not in QUICK_PROGRAMS."""


@contextmanager
def quick_programs_only(item: pytest.Item) -> Iterator[None]:
    """While the block runs, Popen refuses every program but QUICK_PROGRAMS unless `item` is slow."""
    if item.get_closest_marker("slow"):
        yield
        return
    started: list[str] = []
    real = subprocess.Popen._execute_child  # every Popen, subprocess.run and check_output starts here

    def execute_child(popen, args, executable, *rest, **options):
        argv = [args] if isinstance(args, str | bytes | os.PathLike) else list(args)
        if Path(os.fsdecode(executable or argv[0])).name not in QUICK_PROGRAMS:
            command = shlex.join(os.fsdecode(a) for a in argv)
            started.append(command)
            raise SubprocessInFastTest(
                f"{command}: a test that starts a program must be marked slow (@pytest.mark.slow);"
                " call a publisher command in-process with conftest.cli() instead"
            )
        return real(popen, args, executable, *rest, **options)

    subprocess.Popen._execute_child = execute_child
    try:
        yield
    finally:
        subprocess.Popen._execute_child = real
    if started:  # also when the code under test caught SubprocessInFastTest
        pytest.fail(f"{item.nodeid} is not marked slow but started: " + "; ".join(started), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    with quick_programs_only(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    with quick_programs_only(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    with quick_programs_only(item):
        return (yield)
