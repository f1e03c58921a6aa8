"""`publisher bulletin import` on damaged, empty and hostile files: one table, each file with the
Japanese message staff see; never a traceback, a hang or a file written into content/."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import cli, write_project
from reportlab.pdfgen import canvas

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def pdf(pages: int, text: str = "") -> bytes:
    out = io.BytesIO()
    sheet = canvas.Canvas(out)
    for _ in range(pages):
        if text:
            sheet.drawString(72, 720, text)
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def docx(document: str | None = None, *, inflated_megabytes: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        if inflated_megabytes:  # a zip bomb: megabytes of one letter squeeze to almost nothing
            with package.open("word/document.xml", "w") as part:
                part.write(f"<?xml version='1.0'?><w:document {W}><w:body><w:p><w:r><w:t>".encode())
                for _ in range(inflated_megabytes):
                    part.write(b"a" * 1_000_000)
                part.write(b"</w:t></w:r></w:p></w:body></w:document>")
        else:
            package.writestr("word/document.xml", document or "")
    return out.getvalue()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">' for i in range(1, 10))
    + f"]><w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
NOT_PDF = "は PDF として読めません（壊れているか、PDF ではありません）"
UNSAFE = "は安全のため読み込みませんでした（{}）。Word で開いて、名前を付けて保存し直したファイルを取り込んでください"

# file name: (its bytes, made when the case runs; the message after 「エラー: 」)
CASES = {
    "empty.pdf": (lambda: b"", f"「empty.pdf」{NOT_PDF}"),
    "text.pdf": (lambda: "これは PDF ではありません\n".encode(), f"「text.pdf」{NOT_PDF}"),
    "truncated.pdf": (lambda: pdf(4, "Kanra")[:600], f"「truncated.pdf」{NOT_PDF}"),
    "blank-2000-pages.pdf": (
        lambda: pdf(2000),
        "「blank-2000-pages.pdf」は 2,000 ページあります。取り込めるのは 100 ページまでです（1号ずつの PDF にしてください）",
    ),
    "not-a-zip.docx": (
        lambda: b"PK\x03\x04 but nothing after",
        "「not-a-zip.docx」" + UNSAFE.format("Word のファイル（zip 形式）として読めません"),
    ),
    "zip-bomb.docx": (
        lambda: docx(inflated_megabytes=210),
        "「zip-bomb.docx」" + UNSAFE.format("展開すると 210 MB になります（200 MB まで）"),
    ),
    "billion-laughs.docx": (
        lambda: docx(LAUGHS),
        "「billion-laughs.docx」" + UNSAFE.format("XML に文書型宣言（DOCTYPE）が含まれています"),
    ),
    "flyer.txt": (
        lambda: b"text",
        "「flyer.txt」は読み取れません。PDF（.pdf）か Word（.docx）のファイルを指定してください",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_file_gets_a_japanese_message_and_changes_nothing(tmp_path, name):
    make, message = CASES[name]
    project = write_project(tmp_path / "town", {"index.md": "---\ntitle: ホーム\n---\nようこそ\n"})
    source = tmp_path / name
    source.write_bytes(make())
    before = sorted(p.relative_to(project) for p in (project / "content").rglob("*"))
    result = cli(project, "bulletin", "import", str(source), "--issue", "2026-01")
    assert result.returncode == 1, result.output
    assert result.stderr.strip().splitlines()[-1] == f"エラー: {message}"
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(project) for p in (project / "content").rglob("*")) == before
    assert not (project / "reports").exists()


@pytest.mark.slow  # the cover is rendered with poppler
def test_each_page_read_is_reported(tmp_path):
    project = write_project(tmp_path / "town", {"index.md": "---\ntitle: ホーム\n---\nようこそ\n"})
    source = tmp_path / "three.pdf"
    source.write_bytes(pdf(3, "Kanra town bulletin: the text of a born-digital page " * 2))
    result = cli(project, "bulletin", "import", str(source), "--issue", "2026-01", "--ocr", "never")
    assert result.returncode == 0, result.output
    assert [line.strip() for line in result.stderr.splitlines() if "ページ目" in line] == [
        f"{n}/3 ページ目の文字と図を読みました" for n in (1, 2, 3)
    ]
