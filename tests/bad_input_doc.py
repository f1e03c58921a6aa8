"""docs/bad-input.md, written from the tables the tests run, so the list cannot drift from them.

Usage: python tests/bad_input_doc.py   (rewrites docs/bad-input.md; test_bad_input_doc.py fails
when the file is not what this writes)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import test_bulletin_bad_input as bulletin  # noqa: E402
import test_check_messages as messages  # noqa: E402
import test_html_policy as html  # noqa: E402
import test_validation as validation  # noqa: E402

DOC = HERE.parent / "docs/bad-input.md"
HEADER = """# Bad input: what staff see

Every case below is planted by a test and answered with these exact messages; none may end in a
traceback, a hang, a half-built site or a silently wrong page. Written by
`python tests/bad_input_doc.py` from the tests' own tables (`tests/test_validation.py`,
`tests/test_check_messages.py`, `tests/test_html_policy.py`, `tests/test_bulletin_bad_input.py`); `tests/test_bad_input_doc.py`
fails when this file and the tables disagree.

`publisher check` and `mkdocs build` print the same lines (the build under its summary) and the
build then leaves the previous site untouched. Pictures are decoded once the text has no problem,
as a build stops at text problems first.
"""


# Once tracebacks or silent failures, now built or posted as they should be (the test that shows it).
ACCEPTED = [
    "A guide folder without index.md holding folders builds (was an AttributeError in the menu): "
    "`tests/test_validation.py::test_a_guide_folder_without_index_holding_folders_builds`",
    "An event with 10,000 dates builds in about 10 s (was quadratic: 3,000 dates took 88 s): `bench/many_dates.py`",
    "A title or contact starting with =, +, - or @ is text in the open-data CSV, not a formula: "
    "`tests/test_outputs.py::test_open_data_cells_never_start_a_formula`",
    "X refusing a retry as a duplicate after a lost answer: the tweet is recorded, not marked failed: "
    "`tests/test_syndicate_e2e.py::test_x_refusing_a_duplicate_after_a_lost_answer_records_the_post_that_went_out`",
    "A category written as its label, a word of the label or in full-width letters (くらし, 手続き, ｋｕｒａｓｈｉ "
    "for くらし・手続き) is read as its slug in the check, `publisher new` and the form: "
    "`tests/test_check_messages.py::test_a_category_is_read_from_its_slug_label_or_a_word_of_its_label`",
    "A new file from `publisher new` passes its own check (a draft; its template text is refused once published): "
    "`tests/test_new_item.py::test_the_template_text_passes_as_a_draft_and_is_refused_once_published`",
    "An event with `end:` left empty has no end (was a TypeError in the check): "
    "`tests/test_validation.py::test_an_event_with_an_empty_end_has_no_end`",
    "A server echoing the session token or the OAuth header: nothing of it is printed or stored: "
    "`tests/test_channel_bluesky.py`, `tests/test_channel_x.py` (echoing)",
]


def render() -> str:
    parts = [HEADER]
    parts.append(f"\n## Content files ({len(validation.ALL_CASES)} cases, `tests/test_validation.py`)\n")
    for name, (_, lines) in validation.ALL_CASES.items():
        parts.append(f"- `{name}`")
        parts.extend(f"  - `{line}`" for line in lines)
    warned = messages.WARNING_CASES
    parts.append(f"\n## Warnings ({len(warned)} cases, `tests/test_check_messages.py`)\n")
    parts.append("`publisher check` succeeds (exit 0) and prints:\n")
    for name, (_, lines) in warned.items():
        parts.append(f"- `{name}`")
        parts.extend(f"  - `{line}`" for line in lines)
    parts.append(
        f"\n## Symbolic links under content/ ({len(validation.LINKS)} cases, `tests/test_validation.py`)\n"
    )
    parts.extend(f"- `{name}`: `content/{name}: {validation.SYMLINK}`" for name in validation.LINKS)
    refused = html.REFUSED_BODIES
    parts.append(f"\n## Script in a body ({len(refused)} cases, `tests/test_html_policy.py`)\n")
    parts.append("Each line of the body is refused with a message containing:\n")
    parts.extend(f"- `{_one_line(body)}` → 「{message}」" for body, message in refused.items())
    parts.append(f"\n## Bulletin files ({len(bulletin.CASES)} cases, `tests/test_bulletin_bad_input.py`)\n")
    parts.append("`publisher bulletin import FILE --issue 2026-01` prints, and writes nothing:\n")
    parts.extend(f"- `{name}`: `エラー: {message}`" for name, (_, message) in bulletin.CASES.items())
    parts.append(f"\n## Inputs that must simply work ({len(ACCEPTED)} cases)\n")
    parts.extend(f"- {case}" for case in ACCEPTED)
    total = (
        len(validation.ALL_CASES)
        + len(warned)
        + len(validation.LINKS)
        + len(refused)
        + len(bulletin.CASES)
        + len(ACCEPTED)
    )
    parts.append(f"\n{total} cases in all.\n")
    return "\n".join(parts)


def _one_line(text: str) -> str:
    return text.replace("\n", "⏎").replace("`", "ˋ")[:90]


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
