"""Errors found in content, reported to staff as `path:line: message` (Japanese)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .text_blocks import escape

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one file. `line` is 1-based; 0 when no line applies.

    A WARNING is reported like an error but does not stop the build (house rules staff may defer).
    """

    path: str
    line: int
    message: str
    severity: str = ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def __str__(self) -> str:
        message = f"警告: {self.message}" if self.is_warning else self.message
        return f"{self.path}:{self.line}: {message}" if self.line else f"{self.path}: {message}"

    def github_annotation(self) -> str:
        """GitHub Actions workflow command, so the problem shows on the file's line in the web UI."""
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        return f"::{self.severity} file={self.path}{line}::{message}"


class ContentErrors(Exception):
    """Raised when content is invalid; carries every problem found (warnings too), sorted by file and line."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def summary(problems: Sequence[ContentError]) -> str:
    """The one sentence that `publisher check` prints under the problems and `mkdocs build` over them."""
    warnings = sum(problem.is_warning for problem in problems)
    also = f"（ほかに警告 {warnings} 件）" if warnings else ""
    return (
        f"コンテンツに {len(problems) - warnings} 件の問題があります{also}。"
        "それぞれの「ファイル:行」を開いて直してください。"
    )


def job_summary(problems: Sequence[ContentError]) -> str:
    """The problems as Markdown for the Summary page of a GitHub Actions run: a table staff read
    there without opening the log (errors first, each with its file and line)."""
    errors = [p for p in problems if not p.is_warning]
    heading = "確認で問題が見つかりました" if errors else "確認で警告が見つかりました（直してください）"
    lines = [f"## {heading}", "", summary(problems), "", "| ファイル | 行 | 内容 |", "| --- | --- | --- |"]
    for problem in sorted(problems, key=lambda p: (p.is_warning, p.path, p.line)):
        kind = "警告: " if problem.is_warning else ""
        path = problem.path.replace("`", "'").replace("|", "\\|")  # stays inside its code span and cell
        lines.append(f"| `{path}` | {problem.line or ''} | {kind}{escape(problem.message)} |")
    lines += [
        "",
        "同じ問題は、プルリクエストの「Files changed」のその行にも表示されます。直して保存すると、もう一度確認されます。",
    ]
    return "\n".join(lines) + "\n"


def add_to_job_summary(problems: Sequence[ContentError], environ: Mapping[str, str] = os.environ) -> None:
    """On GitHub Actions (GITHUB_STEP_SUMMARY set), append the problems to the run's Summary."""
    path = environ.get("GITHUB_STEP_SUMMARY")
    if path and problems:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(job_summary(problems))


class FieldError(ValueError):
    """A single value is invalid; the loader attaches the file and line."""
