"""The rules the package layout stands for, checked over the imports (with `ast`), not by hand.

docs/architecture.md explains each rule. The checker is tried on small broken trees too, so a
rule that could never fail would show here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "publisher"
MAX_TOP_LEVEL = 10
MAX_LINES = 400
# A build must never post: nothing the plugin imports, directly or not, may reach these.
POSTING = (
    "syndication.runner",
    "syndication.ledger",
    "syndication.command",
    "syndication.x",
    "syndication.mastodon",
    "syndication.bluesky",
    "syndication.line",
)
BUILD_ENTRY = "site.mkdocs_plugin"
# Outside libraries kept behind one module of ours (the part that would change with them).
OWNERS = {
    "mkdocs": ("site.mkdocs_plugin",),
    "feedgen": ("outputs.feeds",),
    "icalendar": ("outputs.calendar_ics",),
    "tweepy": ("syndication.x",),
    "mastodon": ("syndication.mastodon",),
    "atproto": ("syndication.bluesky",),
    "linebot": ("syndication.line",),
    "icu": ("outputs.words",),
    "pdfminer": ("bulletin.pdf",),
    "docx": ("bulletin.docx",),
    "zxingcpp": ("bulletin.pictures",),
    "nh3": ("site.sanitize",),
    "sudachipy": ("outputs.readings",),
}
EXIT_MODULE = "cli"


@dataclass(frozen=True)
class Module:
    name: str  # dotted, relative to the package: "content.reader"
    path: Path
    tree: ast.Module

    @property
    def part(self) -> str:
        return self.name.split(".")[0]


def read_package(root: Path) -> dict[str, Module]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8")))
    return modules


def imports_of(module: Module, package: str) -> tuple[set[str], set[str]]:
    """(our modules it imports, outside top-level packages it imports), lazy imports included."""
    ours, outside = set(), set()
    is_package = module.path.name == "__init__.py"
    here = module.name.split(".") if module.name else []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                _classify(alias.name, package, ours, outside)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                _classify(node.module or "", package, ours, outside)
                top, _, rest = (node.module or "").partition(".")
                if top != package:
                    continue
                parts = rest.split(".") if rest else []
            else:
                base = here if is_package else here[:-1]
                parts = [*base[: len(base) - (node.level - 1)], *([node.module] if node.module else [])]
            # `from .syndication import ledger`: a name may be a module (graph() keeps what exists)
            ours.update(".".join([*parts, alias.name]) for alias in node.names)
            if parts:
                ours.add(".".join(parts))
    return ours, outside


def _classify(name: str, package: str, ours: set[str], outside: set[str]) -> None:
    top, _, rest = name.partition(".")
    if top == package:
        if rest:
            ours.add(rest)
    elif top:
        outside.add(top)


def graph(modules: dict[str, Module], package: str) -> dict[str, set[str]]:
    """Our imports of each module, limited to modules that exist (a name may be a class)."""
    result = {}
    for name, module in modules.items():
        ours, _ = imports_of(module, package)
        result[name] = {_existing(target, modules) for target in ours} - {None, name}
    return result


def _existing(target: str, modules: dict[str, Module]) -> str | None:
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges.get(name, ()))
            todo.extend(_parents(name))  # importing a.b runs a/__init__.py
    return seen


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def exits(module: Module) -> list[int]:
    """Lines where a module ends the process or picks an exit code."""
    lines = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            owner = (
                func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            )
            if (owner, called) in (("sys", "exit"), ("os", "_exit"), ("", "exit"), ("", "quit")):
                lines.append(node.lineno)
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = raised.attr if isinstance(raised, ast.Attribute) else getattr(raised, "id", "")
            if name in ("SystemExit", "Exit"):
                lines.append(node.lineno)
    return lines


def violations(root: Path, package: str = "publisher") -> list[str]:
    modules = read_package(root)
    edges = graph(modules, package)
    found = []
    for name, module in modules.items():
        where = module.path.relative_to(root.parent)
        if module.part == "content":
            for target in sorted(edges[name]):
                if target.split(".")[0] != "content":
                    found.append(
                        f"{where}: content/ imports {target} (content/ imports nothing else of ours)"
                    )
        _, outside = imports_of(module, package)
        for library, owners in OWNERS.items():
            if library in outside and name not in owners:
                found.append(f"{where}: imports {library}, which only {', '.join(owners)} may import")
        if name != EXIT_MODULE:
            found.extend(
                f"{where}:{line}: ends the process (exit codes only in cli.py)" for line in exits(module)
            )
    if BUILD_ENTRY in modules:
        for target in sorted(reachable(edges, BUILD_ENTRY) & set(POSTING)):
            found.append(f"a build imports {target} (through {BUILD_ENTRY}): building must never post")
    return found


def size_problems(root: Path) -> list[str]:
    found = []
    entries = [p for p in root.iterdir() if p.name != "__pycache__" and not p.name.endswith(".egg-info")]
    if len(entries) > MAX_TOP_LEVEL:
        found.append(f"{root.name}/ has {len(entries)} entries at its top level (at most {MAX_TOP_LEVEL})")
    for path in sorted(root.rglob("*.py")):
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_LINES:
            found.append(f"{path.relative_to(root.parent)} has {count} lines (at most {MAX_LINES})")
    return found


def test_the_package_keeps_its_import_rules():
    assert violations(PACKAGE) == []


def test_the_tree_stays_small_enough_to_read():
    assert size_problems(PACKAGE) == []


def test_the_rules_reach_the_real_modules():
    """The checker sees the real layout: the plugin, the adapters and the CLI are where the rules say."""
    modules = read_package(PACKAGE)
    edges = graph(modules, "publisher")
    assert {BUILD_ENTRY, EXIT_MODULE, *POSTING} <= set(modules)
    assert "content.reader" in reachable(edges, BUILD_ENTRY)
    assert "syndication.runner" in reachable(edges, EXIT_MODULE)  # the CLI does post
    assert exits(modules[EXIT_MODULE]), "cli.py is where exit codes are chosen"


# The checker on deliberately broken trees: each rule must fail when it is broken.


def make_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "publisher"
    for name, text in {"__init__.py": "", "cli.py": "import sys\nsys.exit(0)\n", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        for folder in path.relative_to(root).parents:
            (root / folder / "__init__.py").touch()
    return root


BROKEN = {
    "content imports a part above it": (
        {"content/model.py": "from ..syndication.compose import compose\n", "syndication/compose.py": ""},
        "content/ imports syndication.compose",
    ),
    "content imports it by absolute name": (
        {"content/model.py": "from publisher.site import render\n", "site/render.py": ""},
        "content/ imports site.render",
    ),
    "mkdocs outside the plugin": (
        {"site/render.py": "def f():\n    from mkdocs.structure.files import File\n"},
        "imports mkdocs",
    ),
    "an SDK outside its adapter": ({"syndication/compose.py": "import tweepy\n"}, "imports tweepy"),
    "a build reaching the ledger": (
        {
            "site/mkdocs_plugin.py": "from ..media.plan import x\n",
            "media/plan.py": "from ..syndication import ledger\n",
            "syndication/ledger.py": "",
        },
        "a build imports syndication.ledger",
    ),
    "an exit outside the CLI": (
        {"commands/new_item.py": "import sys\n\ndef f():\n    sys.exit(2)\n"},
        "commands/new_item.py:4: ends the process",
    ),
    "SystemExit outside the CLI": ({"outputs/feeds.py": "raise SystemExit(1)\n"}, "ends the process"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_each_rule_fails_when_broken(tmp_path, case):
    files, expected = BROKEN[case]
    found = violations(make_tree(tmp_path, files))
    assert any(expected in problem for problem in found), found


def test_a_clean_small_tree_passes(tmp_path):
    root = make_tree(
        tmp_path,
        {
            "content/model.py": "from . import dates\n",
            "content/dates.py": "",
            "site/mkdocs_plugin.py": "import mkdocs\nfrom ..content import model\n",
        },
    )
    assert violations(root) == []


def test_size_rules_fail_when_broken(tmp_path):
    root = make_tree(tmp_path, {f"m{n}.py": "" for n in range(10)} | {"big.py": "x = 1\n" * 401})
    found = size_problems(root)
    assert any("entries at its top level" in p for p in found) and any(
        "big.py has 401 lines" in p for p in found
    )


def test_no_source_file_is_hidden_by_gitignore():
    """A source file that .gitignore hides passes here and is missing from every clone
    (an unanchored `site/` once hid publisher/site/pictures.py)."""
    import shutil
    import subprocess

    root = Path(__file__).resolve().parent.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        [
            "git",
            "ls-files",
            "--others",
            "--ignored",
            "--exclude-standard",
            "publisher",
            "tests",
            "bench",
            "theme",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    hidden = [p for p in listed if "__pycache__" not in p and ".egg-info" not in p and "/.work/" not in p]
    hidden = [p for p in hidden if not p.startswith(("bench/.tools/", "bench/.work/"))]
    assert hidden == [], f"ignored by .gitignore but part of the source: {hidden}"
