"""The GitHub workflows parse, call only commands that exist, and keep secrets away from pull requests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, cli

from publisher.syndication.forecast import PUBLISH_MINUTE

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def run_lines(workflow: dict) -> list[str]:
    return [
        line.strip()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        for line in str(step.get("run", "")).splitlines()
        if line.strip()
    ]


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_commands_exist(path):
    workflow = load(path)
    assert workflow["jobs"]
    for line in run_lines(workflow):
        for target in re.findall(r"make ((?:[\w-]+ ?)+)", line):
            assert {t for t in target.split() if not t.isupper()} <= make_targets(), line  # VAR=value aside
        for command in re.findall(r"\.venv/bin/publisher ([\w-]+)", line):
            done = cli(ROOT, command, "--help")
            assert done.returncode == 0, (line, done.stderr)


def test_pull_requests_never_post_and_only_the_preview_job_sees_a_secret():
    workflow = load(ROOT / ".github/workflows/pull-request.yml")
    assert set(workflow["on"]) == {"pull_request"}
    jobs = workflow["jobs"]
    assert "secrets." not in yaml.safe_dump({name: job for name, job in jobs.items() if name != "preview"})
    assert set(re.findall(r"secrets\.(\w+)", yaml.safe_dump(jobs["preview"]))) == {"PREVIEW_DEPLOY_KEY"}
    assert all("syndicate" not in line or "--dry-run" in line for line in run_lines(workflow))


def github_if(expression: str, context: dict[str, str]) -> bool:
    """A workflow's `if:` evaluated for one event: each context name replaced by its value (an
    unknown name raises), && || ! as Python's and, or, not."""
    text = re.sub(
        r"\b(?:github|vars|secrets|steps|needs)(?:\.[\w-]+)+", lambda m: repr(context[m[0]]), expression
    )
    text = re.sub(r"!(?!=)", " not ", text.replace("&&", " and ").replace("||", " or "))
    return bool(eval(text, {"__builtins__": {}}))  # noqa: S307 (our own workflow file)


def event(head_repository: str, preview_url: str) -> dict[str, str]:
    return {
        "github.event.pull_request.head.repo.full_name": head_repository,
        "github.repository": "kanra-town/site",
        "vars.PREVIEW_URL": preview_url,
    }


def test_the_preview_job_never_runs_for_a_fork_and_deploys_only_the_built_site():
    """Pull-request previews: the built site (the check job's artifact) goes to the town's preview
    host for branches of this repository, never for a fork's, with the deploy key of its own
    environment and no token, no checkout and no code of the pull request."""
    jobs = load(ROOT / ".github/workflows/pull-request.yml")["jobs"]
    preview = jobs["preview"]
    runs = {
        (head, url): github_if(preview["if"], event(head, url))
        for head in ("kanra-town/site", "stranger/site")
        for url in ("https://preview.town.example/", "")
    }
    assert runs == {
        ("kanra-town/site", "https://preview.town.example/"): True,
        ("kanra-town/site", ""): False,
        ("stranger/site", "https://preview.town.example/"): False,
        ("stranger/site", ""): False,
    }
    assert preview["needs"] == "check" and preview["permissions"] == {}
    assert preview["environment"] == "preview"
    # Per pull request: a group shared by all would let GitHub drop the pending previews of others.
    assert preview["concurrency"]["group"] == "preview-pages-${{ github.event.pull_request.number }}"
    uses = [str(step.get("uses", "")) for step in preview["steps"]]
    assert not any(u.startswith("actions/checkout@") for u in uses)  # nothing of the pull request runs here
    download = preview["steps"][
        uses.index(next(u for u in uses if u.startswith("actions/download-artifact@")))
    ]
    check = {step.get("id") or step.get("name") or step["uses"]: step for step in jobs["check"]["steps"]}
    upload = next(
        step
        for step in jobs["check"]["steps"]
        if str(step.get("uses", "")).startswith("actions/upload-artifact@")
    )
    assert download["with"]["name"] == upload["with"]["name"] == "site" and upload["with"]["path"] == "site/"
    deploy = preview["steps"][-1]["run"]
    assert 'rm -rf "pages/pr-$PR_NUMBER/admin"' in deploy and "Disallow: /" in deploy
    assert "for attempt in" in deploy and "publish()" in deploy  # a push another preview beat is retried
    # The site is built for the preview's address, and only a branch of this repository gets one.
    address = check["preview"]
    assert github_if(address["env"]["SAME_REPOSITORY"].strip("${} "), event("stranger/site", "x")) is False
    assert github_if(address["env"]["SAME_REPOSITORY"].strip("${} "), event("kanra-town/site", "x")) is True
    build = next(step for step in jobs["check"]["steps"] if "make site-strict" in str(step.get("run", "")))
    summary = next(step for step in jobs["check"]["steps"] if "publisher changes" in str(step.get("run", "")))
    for step in (build, summary):
        assert step["env"]["PUBLISHER_PREVIEW_URL"] == "${{ steps.preview.outputs.url }}"
    assert "--preserve-env=PUBLISHER_PREVIEW_URL" in build["run"]  # sudo drops the environment otherwise
    tests = next(step for step in jobs["check"]["steps"] if "make test" in str(step.get("run", "")))
    assert "PUBLISHER_PREVIEW_URL" not in str(jobs["check"].get("env", "")) + str(tests.get("env", ""))


@pytest.mark.slow  # runs the step's script in bash
@pytest.mark.parametrize(
    "same, expected", [("true", "url=https://preview.town.example/pr-12/\n"), ("false", "")]
)
def test_the_preview_address_is_given_only_to_branches_of_this_repository(tmp_path, same, expected):
    step = next(
        step
        for step in load(ROOT / ".github/workflows/pull-request.yml")["jobs"]["check"]["steps"]
        if step.get("id") == "preview"
    )
    output = tmp_path / "output"
    output.touch()
    env = {"PREVIEW_URL": "https://preview.town.example/", "SAME_REPOSITORY": same, "PR_NUMBER": "12"}
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], env={**env, "GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"}
    )
    assert done.returncode == 0 and output.read_text() == expected


def test_the_summary_expects_the_publish_runs_when_the_publish_workflow_has_them():
    """The SNS part of the summary names the hourly runs' minute (syndication/forecast.py)."""
    cron = load(ROOT / ".github/workflows/publish.yml")["on"]["schedule"][0]["cron"]
    assert cron.split()[0] == str(PUBLISH_MINUTE) and cron.split()[1] == "*"


def test_publishing_runs_one_at_a_time_hourly_and_posts_after_the_deploy():
    workflow = load(ROOT / ".github/workflows/publish.yml")
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["on"]["schedule"][0]["cron"].split()[1] == "*"
    syndicate = workflow["jobs"]["syndicate"]
    assert syndicate["needs"] == "deploy" and workflow["jobs"]["deploy"]["needs"] == "build"
    steps = [step.get("run", "") for step in syndicate["steps"]]
    keys = ("ledger-fetch", "wait-live", "publisher syndicate", "ledger-push")
    order = [next(i for i, s in enumerate(steps) if key in s) for key in keys]
    assert order == sorted(order)
    posting = next(step for step in syndicate["steps"] if "publisher syndicate" in step.get("run", ""))
    assert posting["env"]["PUBLISHER_LEDGER"] == "data/sns-ledger.json"  # the file the make targets move
    assert "data/sns-ledger.json" in re.findall(r"^LEDGER := (.*)$", (ROOT / "Makefile").read_text(), re.M)


def run_in(cwd: Path, *command: str) -> str:
    """A command with a git identity and no user configuration."""
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
    }
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def git(cwd: Path, *args: str) -> str:
    return run_in(cwd, "git", *args)


def make(cwd: Path, *args: str) -> str:
    return run_in(cwd, "make", "-s", *args)


@pytest.mark.slow  # make and git against a real origin
def test_the_ledger_is_kept_on_its_own_branch_even_when_main_is_protected(tmp_path):
    """The publish workflow's `make ledger-push` and `make ledger-fetch` against a real origin
    whose main refuses pushes, as branch protection does."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    (origin / "hooks/pre-receive").write_text(
        '#!/bin/sh\nwhile read old new ref; do [ "$ref" = refs/heads/main ] && '
        '{ echo "protected branch"; exit 1; }; done; exit 0\n'
    )
    work = tmp_path / "work"
    (work / "data").mkdir(parents=True)
    (work / "Makefile").write_text((ROOT / "Makefile").read_text())
    ledger = work / "data/sns-ledger.json"
    ledger.write_text('{"entries": []}\n')
    git(work, "init", "-q", "-b", "main")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "site")
    (origin / "hooks/pre-receive").chmod(0o644)  # let the first main in
    git(work, "push", "-q", str(origin), "main")
    (origin / "hooks/pre-receive").chmod(0o755)
    git(work, "remote", "add", "origin", str(origin))

    for n in (1, 2):  # the first run makes the branch, the second adds to it
        ledger.write_text(f'{{"entries": ["post {n}"]}}\n')
        make(work, "ledger-push", f"LEDGER_MESSAGE=run {n}")
        git(work, "fetch", "-q", "origin")
    assert git(work, "show", "origin/sns-ledger:data/sns-ledger.json") == '{"entries": ["post 2"]}\n'
    assert git(work, "show", "origin/main:data/sns-ledger.json") == '{"entries": []}\n'
    assert "SNS ledger: run 1" in git(work, "log", "--format=%s", "origin/sns-ledger")
    assert not (work / ".ledger-worktree").exists()
    ledger.write_text("stale\n")  # a full clone (a pull request's checkout) fetches it whole, not shallow
    make(work, "ledger-fetch")
    assert ledger.read_text() == '{"entries": ["post 2"]}\n'
    assert git(work, "rev-parse", "--is-shallow-repository").strip() == "false"

    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", "--depth=1", "--branch", "main", f"file://{origin}", str(fresh))
    make(fresh, "ledger-fetch")
    assert (fresh / "data/sns-ledger.json").read_text() == '{"entries": ["post 2"]}\n'


def test_pull_requests_get_annotations_a_strict_build_the_tests_and_a_summary_of_changes():
    workflow = load(ROOT / ".github/workflows/pull-request.yml")
    lines = run_lines(workflow)
    wanted = ["publisher check", "make site-strict", "make test", "publisher changes", "GITHUB_STEP_SUMMARY"]
    assert all(any(key in line for line in lines) for key in wanted), lines
    assert "mkdocs build --strict" in (ROOT / "Makefile").read_text()
    checkout = workflow["jobs"]["check"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0  # `publisher changes` needs the base branch


def test_pull_requests_build_on_the_published_cache_and_never_save_one():
    """The strict build of a pull request re-renders only what it changes (see test_page_cache)."""
    publish = next(
        step
        for step in load(ROOT / ".github/workflows/publish.yml")["jobs"]["build"]["steps"]
        if str(step.get("uses", "")).startswith("actions/cache@")
    )
    steps = load(ROOT / ".github/workflows/pull-request.yml")["jobs"]["check"]["steps"]
    uses = [str(step.get("uses", "")) for step in steps]
    assert not any(u.startswith("actions/cache@") or u.startswith("actions/cache/save") for u in uses)
    restore = steps[next(n for n, u in enumerate(uses) if u.startswith("actions/cache/restore@"))]
    assert restore["with"]["path"] == publish["with"]["path"] == ".cache"
    assert publish["with"]["key"].startswith(restore["with"]["restore-keys"])
    build = next(n for n, step in enumerate(steps) if "make site-strict" in str(step.get("run", "")))
    assert steps.index(restore) < build


def test_the_bulletin_inbox_opens_a_pull_request_of_drafts_and_publishes_nothing():
    """Uploads to inbox/bulletins/ on main start it; it pushes only its bulletin-inbox/ branches,
    with the least permissions and no secrets, and file names reach the shell only through env
    (tests/test_bulletin_inbox.py runs its steps on a scratch copy of the project)."""
    path = ROOT / ".github/workflows/bulletin-inbox.yml"
    workflow, text = load(path), path.read_text(encoding="utf-8")
    assert workflow["on"]["push"] == {"branches": ["main"], "paths": ["inbox/bulletins/**"]}
    assert "workflow_dispatch" in workflow["on"] and workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["permissions"] == {} and list(workflow["jobs"]) == ["import"]
    job = workflow["jobs"]["import"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert "secrets." not in text and "pull_request_target" not in text
    steps = {step.get("id") or step.get("name") or step["uses"]: step for step in job["steps"]}
    assert not any("${{" in str(step.get("run", "")) for step in job["steps"])
    lines = run_lines(workflow)
    assert [line for line in lines if "git push" in line] == ['git push -q origin "$branch"']
    assert {line for line in lines if line.startswith("branch=")} == {'branch="bulletin-inbox/$issue"'}
    assert not any("--force" in line or "draft: false" in line for line in lines)
    docs_dir = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["docs_dir"]
    assert not "inbox/bulletins".startswith(docs_dir + "/")  # nothing in the inbox is ever built
    assert (ROOT / "inbox/bulletins/README.md").is_file()  # the folder staff upload into exists
    artifact = steps["artifact"]
    assert artifact["uses"].startswith("actions/upload-artifact@")
    assert artifact["with"]["path"] == ".bulletin-inbox/review/"  # where the import step copies the pages
    assert (
        "out=.bulletin-inbox\n" in steps["import"]["run"]
        and 'mkdir -p "$out/review"' in steps["import"]["run"]
    )
    pull = steps["下書きのブランチとプルリクエストを作る"]
    assert pull["env"]["ARTIFACT_URL"] == "${{ steps.artifact.outputs.artifact-url }}"
    assert pull["env"]["GH_TOKEN"] == "${{ github.token }}" and "gh pr create" in pull["run"]
    assert "--body-file" in pull["run"] and "$ARTIFACT_URL" in pull["run"]
    order = [n for n, step in enumerate(job["steps"]) if step in (steps["import"], artifact, pull)]
    assert order == sorted(order) and len(order) == 3


# --- Hardening rules (issue 16), stated once and checked on every workflow ---------------------

PINNED = re.compile(r"^\s*(?:-\s*)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(?:\.\d+)*\b")
WRITE_SCOPES = {  # the only jobs that may write, and what
    ("publish.yml", "deploy"): {"pages", "id-token"},
    ("publish.yml", "syndicate"): {"contents"},
    ("bulletin-inbox.yml", "import"): {"contents", "pull-requests"},
}


def hardening_problems(name: str, text: str) -> list[str]:
    """What breaks the rules in one workflow file: actions pinned by commit with the release in a
    comment, no permission at the top and each job's own least ones, no expression inside a
    script (event data only through env:), and posting exactly the deployed commit."""
    workflow = yaml.safe_load(text)
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    problems = [
        f"{name}: not pinned by commit: {line.strip()}"
        for line in text.splitlines()
        if re.match(r"^\s*(?:-\s*)?uses:", line) and not PINNED.match(line)
    ]
    if workflow.get("permissions") != {}:
        problems.append(f"{name}: top-level permissions must be {{}}")
    for job_name, job in workflow["jobs"].items():
        granted = job.get("permissions")
        if not isinstance(granted, dict):
            problems.append(f"{name}: job {job_name} declares no permissions of its own")
            continue
        writes = {scope for scope, level in granted.items() if level == "write"}
        if not writes <= WRITE_SCOPES.get((name, job_name), set()):
            problems.append(f"{name}: job {job_name} may write {sorted(writes)}")
        for step in job["steps"]:
            if "${{" in str(step.get("run", "")):
                problems.append(f"{name}: an expression inside run: in job {job_name} (use env:)")
    if "pull_request_target" in str(workflow["on"]):
        problems.append(f"{name}: pull_request_target runs forks' code with secrets")
    if name == "publish.yml":
        checkout = workflow["jobs"]["syndicate"]["steps"][0]
        if checkout.get("with", {}).get("ref") != "${{ github.sha }}":
            problems.append(
                f"{name}: the syndicate job must check out ${{{{ github.sha }}}}, the deployed commit"
            )
    return problems


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_are_hardened(path):
    assert hardening_problems(path.name, path.read_text(encoding="utf-8")) == []


BREAKS = {
    "tag instead of commit": (
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
        "actions/checkout@v4",
    ),
    "commit without its release": (
        "@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0",
        "@a26af69be951a213d495a4c3e4e4022e16d87065",
    ),
    "write for every job": ("permissions: {}", "permissions:\n  contents: write"),
    "build may write": (
        "    permissions:\n      contents: read\n",
        "    permissions:\n      contents: write\n",
    ),
    "expression in a script": (
        'LEDGER_MESSAGE="record posts of run $RUN_ID"',
        'LEDGER_MESSAGE="record posts of run ${{ github.run_id }}"',
    ),
    "posting the branch tip": ("ref: ${{ github.sha }}", "ref: ${{ github.ref_name }}"),
}


@pytest.mark.parametrize("case", BREAKS)
def test_each_hardening_rule_fails_when_broken(case):
    before, after = BREAKS[case]
    text = (ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert before in text, case
    assert hardening_problems("publish.yml", text.replace(before, after, 1)) != []


def test_the_readme_tells_the_town_the_three_protections():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Three protections to switch on", 1)[1].split("\n## ", 1)[0]
    for needed in (
        "`sns` environment",
        "Selected branches and tags",
        "required reviewers",
        "`main`",
        "`sns-ledger`",
        "Block force pushes",
        "Restrict deletions",
    ):
        assert needed in section, needed
