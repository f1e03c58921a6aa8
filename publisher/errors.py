"""Errors found in content, reported to staff as `path:line: message` (Japanese)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one file. `line` is 1-based; 0 when no line applies."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    def github_annotation(self) -> str:
        """GitHub Actions workflow command, so the error shows on the file's line in the web UI."""
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        return f"::error file={self.path}{line}::{message}"


class ContentErrors(Exception):
    """Raised when content is invalid; carries every problem found, sorted by file and line."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class FieldError(ValueError):
    """A single value is invalid; the loader attaches the file and line."""
