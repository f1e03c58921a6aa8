"""docs/bad-input.md lists every planted bad input with its message (issue 16: at least 40)."""

from __future__ import annotations

import bad_input_doc


def test_the_document_is_what_the_tables_say():
    assert bad_input_doc.DOC.read_text(encoding="utf-8") == bad_input_doc.render(), (
        "run: python tests/bad_input_doc.py"
    )


def test_it_lists_at_least_forty_cases():
    text = bad_input_doc.render()
    assert int(text.rsplit("\n", 2)[-2].split()[0]) >= 40
