"""The rule that keeps `make test-fast` fast (fast_tier.py), checked on a small inner test session."""

from __future__ import annotations

INNER_TESTS = """
import subprocess

import pytest


def test_starts_a_program():
    subprocess.run(["true"], check=True)


def test_starts_a_program_and_hides_the_error():
    try:
        subprocess.run(["true"], check=True)
    except Exception:
        pass


@pytest.fixture(scope="module")
def built():
    subprocess.run(["true"], check=True)


def test_needs_a_fixture_that_starts_a_program(built):
    pass


def test_asks_git():
    assert subprocess.run(["git", "--version"], capture_output=True).returncode == 0


def test_starts_nothing():
    pass
"""


def test_a_fast_test_that_starts_a_program_fails(pytester):
    pytester.makepyfile(test_inner=INNER_TESTS)
    result = pytester.runpytest_inprocess("-p", "fast_tier", "-ra")
    result.assert_outcomes(passed=2, failed=2, errors=1)
    for line in (
        "FAILED test_inner.py::test_starts_a_program - fast_tier.SubprocessInFastTest*",
        "FAILED test_inner.py::test_starts_a_program_and_hides_the_error - Failed*",
        "ERROR test_inner.py::test_needs_a_fixture_that_starts_a_program - fast_tier.S*",
        "E * fast_tier.SubprocessInFastTest: true: a test that starts a program must be marked slow*",
        "test_inner.py::test_starts_a_program_and_hides_the_error is not marked slow but started: true",
    ):
        result.stdout.fnmatch_lines([line])
