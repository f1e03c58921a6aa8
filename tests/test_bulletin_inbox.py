"""The inbox workflow's steps run locally, as GitHub would run them, on a scratch copy of the project:
a bulletin uploaded into inbox/bulletins/ becomes a branch of drafts, a review page for the
artifact and a pull request (a fake `gh` on PATH records what it would open)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, load_module
from fixtures.bulletins import make_docx as docx_fixture

WORKFLOW = ROOT / ".github/workflows/bulletin-inbox.yml"
FIXTURES = Path(__file__).parent / "fixtures" / "bulletins"
ARTIFACT_URL = "https://github.com/example-town/town-site/actions/runs/7/artifacts/11"
FAKE_GH = """#!/bin/sh
# Records `gh pr create` as GitHub would receive it: the arguments, one a line, and the body.
printf '%s\\n' "$@" > "$GH_RECORD/args"
while [ $# -gt 0 ]; do
  if [ "$1" = --body-file ]; then cp "$2" "$GH_RECORD/body.md"; fi
  shift
done
echo "https://github.com/example-town/town-site/pull/12"
"""
pytestmark = [
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) が必要です"),
    pytest.mark.slow,  # bash, git, the command line and poppler, as the workflow runs them
]


def step(name: str) -> dict:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["import"]["steps"]
    return next(s for s in steps if s.get("id") == name or s.get("name") == name)


def _make():
    return load_module("bulletin_inbox_make", FIXTURES / "make.py")


def sh(cwd: Path, *command: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    environment = {
        "PATH": f"{cwd / 'fake-bin'}:/usr/bin:/bin",
        "HOME": str(cwd.parent),
        "GIT_AUTHOR_NAME": "staff",
        "GIT_AUTHOR_EMAIL": "staff@town.example",
        "GIT_COMMITTER_NAME": "staff",
        "GIT_COMMITTER_EMAIL": "staff@town.example",
        "NO_MKDOCS_2_WARNING": "1",
        **(env or {}),
    }
    done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


class Runner:
    """A scratch copy of the project with an origin, run the way Actions runs a `run:` step."""

    def __init__(self, root: Path):
        self.origin, self.work = root / "origin.git", root / "work"
        self.work.mkdir()
        for name in ("mkdocs.yml", "Makefile"):
            shutil.copy(ROOT / name, self.work / name)
        for name in ("content", "theme", "inbox"):
            shutil.copytree(ROOT / name, self.work / name)
        (self.work / ".gitignore").write_text(".venv\nfake-bin/\nreports/\n.bulletin-inbox/\n")
        (self.work / ".venv").symlink_to(BIN.parent)  # `make setup` made it
        (self.work / "fake-bin").mkdir()
        gh = self.work / "fake-bin/gh"
        gh.write_text(FAKE_GH)
        gh.chmod(0o755)
        self.git("init", "-q", "-b", "main")
        self.git("add", ".")
        self.git("commit", "-q", "-m", "site")
        sh(root, "git", "init", "-q", "--bare", str(self.origin))
        self.git("remote", "add", "origin", str(self.origin))
        self.git("push", "-q", "origin", "main")
        self.record = root / "gh"
        self.record.mkdir()

    def git(self, *args: str) -> str:
        return sh(self.work, "git", *args).stdout

    def upload(self, files: dict[str, Path | str]) -> None:
        """What GitHub's 「Add file → Upload files」 does: one commit on main."""
        self.git("switch", "-q", "main")  # a step leaves the checkout detached
        for name, data in files.items():
            target = self.work / "inbox/bulletins" / name
            if isinstance(data, Path):
                shutil.copy(data, target)
            else:
                target.write_text(data, encoding="utf-8")
        self.git("add", "inbox")
        self.git("commit", "-q", "-m", "Add files via upload")
        self.git("push", "-q", "origin", "main")

    def run(self, name: str, **env: str) -> tuple[subprocess.CompletedProcess, dict[str, str], str]:
        """One step's `run:` with bash as Actions runs it; (result, its outputs, its summary)."""
        script = self.work.parent / "step.sh"
        script.write_text(step(name)["run"])
        output, summary = self.work.parent / "output", self.work.parent / "summary.md"
        output.write_text("")
        summary.write_text("")
        variables = {
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_REF_NAME": "main",
            "GH_RECORD": str(self.record),
            **env,
        }
        done = sh(
            self.work,
            "bash",
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            str(script),
            env=variables,
            check=False,
        )
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        return done, outputs, summary.read_text(encoding="utf-8")


def test_an_uploaded_pdf_becomes_a_pull_request_of_drafts_with_the_review_page(tmp_path):
    runner = Runner(tmp_path)
    empty, outputs, summary = runner.run("import")  # the folder holds only its README
    assert empty.returncode == 0 and outputs == {"issues": "", "failed": "false"}
    assert "受け付けフォルダに広報紙のファイル（.pdf・.docx）はありません。" in summary
    runner.upload({"2026-01.pdf": _make().born_digital_pdf(tmp_path / "koho.pdf")})
    done, outputs, summary = runner.run("import")
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs == {"issues": "2026-01", "failed": "false"}
    assert "2026-01 号: 「2026-01.pdf」を下書きにしました（ブランチ bulletin-inbox/2026-01）" in summary

    # The branch: the drafts, the inbox file removed; nothing else (no report, no review page).
    changed = runner.git(
        "diff", "--no-renames", "--name-status", "main", "bulletin-inbox/2026-01"
    ).splitlines()
    assert "D\tinbox/bulletins/2026-01.pdf" in changed
    paths = [line.split("\t")[1] for line in changed]
    assert all(
        p.startswith(("content/bulletins/2026-01/", "content/events/")) for p in paths if "inbox/" not in p
    )
    drafts = [p for p in paths if p.endswith(".md")]
    assert len(drafts) >= 13 and "content/bulletins/2026-01/index.md" in drafts
    for path in drafts:  # nothing unreviewed is published: every draft says so
        assert "\ndraft: true\n" in runner.git("show", f"bulletin-inbox/2026-01:{path}"), path
    assert runner.git("rev-parse", "HEAD") == runner.git("rev-parse", "main")  # main untouched
    assert (runner.work / "inbox/bulletins/2026-01.pdf").is_file()  # on main it waits for the merge

    # The artifact: the review page with its crops, whole on its own.
    review = runner.work / ".bulletin-inbox/review"
    page = (review / "2026-01.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert sources and all((review / src).is_file() for src in sources)
    assert "先に確かめる記事" in page

    done, _, _ = runner.run(
        "下書きのブランチとプルリクエストを作る", GH_TOKEN="t", ISSUES="2026-01", ARTIFACT_URL=ARTIFACT_URL
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pushed = sh(
        tmp_path, "git", "--git-dir", str(runner.origin), "rev-parse", "bulletin-inbox/2026-01"
    ).stdout
    assert pushed == runner.git("rev-parse", "bulletin-inbox/2026-01")
    args = (runner.record / "args").read_text(encoding="utf-8").splitlines()
    assert args[:6] == ["pr", "create", "--base", "main", "--head", "bulletin-inbox/2026-01"]
    assert args[6:8] == ["--title", "広報紙 2026-01 号の下書き（受け付けフォルダから取り込み）"]
    body = (runner.record / "body.md").read_text(encoding="utf-8")
    assert f"({ARTIFACT_URL})" in body and "`2026-01.html` をブラウザで開きます" in body
    report = (runner.work / "reports/bulletins/2026-01.md").read_text(encoding="utf-8")
    listed = [line for line in report.splitlines() if line.startswith("- ") and "確認用のページ" not in line]
    assert listed and all(line in body.splitlines() for line in listed)  # the report is the body
    assert (
        report.startswith("# ") and "##" + report.splitlines()[0] in body.splitlines()
    )  # its title, a level down
    assert "取り込み報告" in report.splitlines()[0] and "まだ何も公開されていません" in body

    again, outputs, summary = runner.run("import")  # a second run while the pull request is open
    assert again.returncode == 0 and outputs == {"issues": "", "failed": "false"}
    assert "2026-01 号にはすでにブランチ bulletin-inbox/2026-01 があります" in summary
    assert "ファイル（.pdf・.docx）はありません" not in summary


def test_a_word_file_with_a_sidecar_goes_through_and_a_nameless_file_is_named(tmp_path):
    runner = Runner(tmp_path)
    runner.upload(
        {
            "kouhou-feb.docx": docx_fixture.make_docx(tmp_path / "kouhou.docx"),
            "kouhou-feb.yml": 'issue: "2026-02"\n',
            "scan.pdf": _make().born_digital_pdf(tmp_path / "scan.pdf", pages=2),
        }
    )
    done, outputs, summary = runner.run("import")
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs == {"issues": "2026-02", "failed": "true"}
    assert "::error::「scan.pdf」から号（年と月）がわかりません。2026-01.pdf のように" in done.stdout
    assert "「scan.pdf」から号（年と月）がわかりません" in summary
    changed = runner.git(
        "diff", "--no-renames", "--name-status", "main", "bulletin-inbox/2026-02"
    ).splitlines()
    assert {"D\tinbox/bulletins/kouhou-feb.docx", "D\tinbox/bulletins/kouhou-feb.yml"} <= set(changed)
    assert not any("scan.pdf" in line for line in changed)
    page = (runner.work / ".bulletin-inbox/review/2026-02.html").read_text(encoding="utf-8")
    assert "<img" not in page and "元のファイルが Word（.docx）のため、紙面の切り抜きはありません" in page
    failed = runner.run("取り込めなかったファイルを知らせる")[0]
    assert failed.returncode == 1 and "理由を表示しています" in failed.stdout
