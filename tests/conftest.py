"""Real sites built for real: small sites written into tmp folders, and the sample site.

Two tiers: `make test-fast` runs `pytest -m "not slow"`, `make test` runs everything. A test is
marked `slow` (pyproject.toml) when it starts a build, the command line or `make` as a
subprocess, a browser, a fake SNS server, poppler or Tesseract; a test not so marked that starts
another program fails (fast_tier.py), so the fast tier stays fast. `cli()` calls a publisher
command in-process for the fast tests, `publisher()` runs the console script for the slow ones.
"""

from __future__ import annotations

import gzip
import importlib.util
import logging
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main as publisher_main
from publisher.outputs.words import joined
from publisher.syndication.channel import ChannelError

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLE_NOW = "2026-11-28 12:00"

pytest_plugins = ["fast_tier", "pytester"]

MINIMAL_CONFIG = """\
site_name: テスト町
site_url: https://town.example/
docs_dir: content
theme:
  name: material
  custom_dir: {theme}
  language: ja
  font: false
validation:
  nav:
    omitted_files: ignore
  links:
    absolute_links: relative_to_docs
plugins:
  - town:
      town_name: テスト町
      municipality_code: "999999"
      categories:
        - slug: kurashi
          label: くらし
        - slug: kanko
          label: 観光
"""


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def load_module(name: str, path: Path):
    """A Python file that is no package module (a generated-bulletin fixture, a bench script),
    loaded as `name`: registered before it runs, as its dataclasses look their module up."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# Set on GitHub Actions (or by hand), they would send a test's output into the run's Summary page
# or build its sites for a preview address: a test sets them only when it means to.
OUTSIDE = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "PUBLISHER_PREVIEW_URL")


def program_env(now: str = SAMPLE_NOW, **env: str) -> dict[str, str]:
    """The environment a test starts our programs in: a fixed moment, nothing of GitHub's run."""
    environment = {k: v for k, v in os.environ.items() if k not in OUTSIDE}
    environment.update(PUBLISHER_NOW=now, NO_MKDOCS_2_WARNING="1", **env)
    return environment


def run(args: list[str], cwd: Path, now: str = SAMPLE_NOW, **env) -> Result:
    environment = program_env(now, **env)
    done = subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)
    return Result(done.returncode, done.stdout, done.stderr)


def mkdocs_build(project: Path, now: str = SAMPLE_NOW) -> Result:
    return run([str(BIN / "mkdocs"), "build"], project, now)


def publisher(project: Path, *args: str, now: str = SAMPLE_NOW, **env) -> Result:
    """`publisher <args>` as staff run it: the console script in a subprocess (slow tests only)."""
    return run([str(BIN / "publisher"), *args], project, now, **env)


def cli(project: Path, *args: str, now: str = SAMPLE_NOW, stdin: str | None = None, **env: str) -> Result:
    """`publisher <args>` called in this process (click's CliRunner) with what `publisher()` gives
    the subprocess: `project` as the working directory, PUBLISHER_NOW, none of OUTSIDE unless
    given. Exit code, stdout and stderr come back apart, as from the subprocess. An exception the
    command lets escape is raised here, as the traceback a user would see, not turned into exit
    code 1."""
    environment: dict[str, str | None] = {"PUBLISHER_NOW": now, **dict.fromkeys(OUTSIDE), **env}
    previous = Path.cwd()
    os.chdir(project)
    try:
        done = CliRunner().invoke(
            publisher_main,
            list(args),
            input=stdin,
            env=environment,
            catch_exceptions=False,
            prog_name="publisher",
        )
    finally:
        os.chdir(previous)
    return Result(done.exit_code, done.stdout, done.stderr)


NEWS = """\
---
title: {title}
date: 2026-11-20
categories: [kurashi]
{extra}---

{body}
"""


def news(title: str, body: str = "本文です。", extra: str = "") -> str:
    """A news file for a small project: `extra` is more front matter, one "key: value\\n" a line."""
    return NEWS.format(title=title, body=body, extra=extra)


def write_project(root: Path, files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> Path:
    """A small real site: mkdocs.yml plus content files (text is dedented, bytes written as-is)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(config.format(theme=ROOT / "theme"), encoding="utf-8")
    for name, data in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


def in_order(text: str, parts: list[str]) -> bool:
    """Whether each of `parts` is in `text`, one after the other (a page's sections in order)."""
    places = [text.index(part) for part in parts]
    return places == sorted(places)


def site_text(site: Path) -> dict[str, str]:
    """Every text output file of a built site, by relative path, search index fragments included."""
    texts = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".atom", ".ics", ".csv", ".json", ".txt"}:
            texts[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8-sig")
        elif path.suffix == ".pf_fragment":
            texts[path.relative_to(site).as_posix()] = pagefind_fragment(path)
    return texts


def pagefind_fragment(path: Path) -> str:
    """A Pagefind page record as text: gzip, a signature, then JSON, with the Japanese words joined
    back as the search page shows them (publisher/outputs/words.py)."""
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd"), path
    return joined(data[len(b"pagefind_dcd") :].decode("utf-8"))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The shipped sample site, built once at a fixed moment."""
    project = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.output
    return project / "site"


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where a test's screenshots go: docs/screenshots/ only when asked (make screenshots), so a
    test run leaves the working tree as it was."""
    return ROOT / "docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path


@pytest.fixture(scope="module")
def site_url(sample_site):
    """The sample site served from 127.0.0.1, as a static host would."""
    from browser import serve

    with serve(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (tests/browser.py)."""
    from browser import chromium

    with chromium() as browser:
        yield browser


# --- SNS channel tests: every credential holds SENTINEL, so a test can prove none reaches any output ---

SENTINEL = "SECRET-SENTINEL-1234"
CHANNEL_SECRETS = {
    "x": {
        "PUBLISHER_X_API_KEY": f"{SENTINEL}-consumer-key",
        "PUBLISHER_X_API_SECRET": f"{SENTINEL}-consumer-secret",
        "PUBLISHER_X_ACCESS_TOKEN": f"1512345678901234567-{SENTINEL}-token",
        "PUBLISHER_X_ACCESS_SECRET": f"{SENTINEL}-token-secret",
    },
    "bluesky": {"PUBLISHER_BLUESKY_APP_PASSWORD": f"{SENTINEL}-app-password"},
    "mastodon": {"PUBLISHER_MASTODON_TOKEN": f"{SENTINEL}-mastodon-token"},
    "line": {"PUBLISHER_LINE_CHANNEL_TOKEN": f"{SENTINEL}-line-token"},
}


def channel_env(channel: str, base_url: str = "", **changes: str) -> dict[str, str]:
    """A channel's environment: its secrets, PUBLISHER_<CHANNEL>_BASE_URL when given, then `changes`."""
    env = dict(CHANNEL_SECRETS[channel])
    if base_url:
        env[f"PUBLISHER_{channel.upper()}_BASE_URL"] = base_url
    return env | changes


def channel_error(call) -> ChannelError:
    """The ChannelError that `call()` raises, after checking its traceback shows no secret."""
    with pytest.raises(ChannelError) as caught:
        call()
    error = caught.value
    assert SENTINEL not in "".join(traceback.format_exception(error)) + repr(error)
    return error


@pytest.fixture
def no_secret_anywhere(caplog, capsys):
    """Whatever a test does, no credential reaches a log record or the console."""
    caplog.set_level(logging.DEBUG)
    yield
    # caplog.text holds only the current phase's records, which in teardown is none yet.
    records = caplog.get_records("setup") + caplog.get_records("call")
    logged = "\n".join(logging.Formatter().format(record) for record in records)
    captured = capsys.readouterr()
    assert SENTINEL not in logged + captured.out + captured.err


@pytest.fixture
def unused_port() -> int:
    """A port on 127.0.0.1 that nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pytest_terminal_summary(terminalreporter):
    """The import times the bulletin tests recorded (`record_property("import time: …")`),
    printed once after the run: with pytest-xdist a test's own output is not shown."""
    times = [
        (name.removeprefix("import time: "), value)
        for report in terminalreporter.getreports("passed")
        for name, value in report.user_properties
        if name.startswith("import time: ")
    ]
    if times:
        terminalreporter.section("import times (figures, not limits)")
        for label, seconds in times:
            terminalreporter.write_line(f"{label}: {seconds} s")
