"""Read one Markdown file: decode it, split the YAML front matter, remember each key's line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import FieldError
from .schema import FIELDS_BY_NAME

# Encodings that Windows and older Japanese editors save by default. EUC-JP is tried first:
# its byte pairs are strict, while most EUC-JP text also decodes (wrongly) as Shift_JIS.
LEGACY_ENCODINGS = (("euc_jp", "EUC-JP"), ("cp932", "Shift_JIS（CP932）"))


MAX_FILE_BYTES = 2_000_000


class SourceError(FieldError):
    """The file cannot be read at all; `line` says where."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps every date as text, so our parser decides the time zone."""


class _FastLoader(yaml.CSafeLoader):
    """The same rules on libyaml, ten times faster; its error messages are less clear, so a
    file it rejects is parsed again with `_Loader` to explain the problem."""


# YAML 1.1 also reads `15:00` as the base-60 integer 900, a phone number such as 0274740121 as
# the octal 49528913, and yes/no/on/off as true/false (a title "No" became "False"): keep such
# values as text; only true and false are booleans.
_PLAIN_NUMBERS = {
    "tag:yaml.org,2002:bool": re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    "tag:yaml.org,2002:int": re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    "tag:yaml.org,2002:float": re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
}
_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    key: [
        (tag, _PLAIN_NUMBERS.get(tag, regexp))
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Source:
    """The decoded file: front matter values, the line of each key, and the Markdown body."""

    meta: dict
    key_lines: dict[str, int]
    body: str
    body_line: int  # 1-based line number of the body's first line
    has_front_matter: bool = field(default=True)
    # (line, message) of each "key: value" typo read as meant, so the rest could be checked too
    typos: tuple[tuple[int, str], ...] = ()

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def read_source(path: Path) -> Source:
    """Decode (UTF-8, BOM and CRLF accepted) and split; raise SourceError naming the line."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # not even read: a mistaken upload must not stall the build
        raise SourceError(
            f"ファイルが大きすぎます（{size / 1e6:.1f} MB）。Markdown は 2 MB までにしてください"
        )
    text = decode(path.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL.search(text)
    if control:  # invisible, and feeds (XML) cannot carry them at all
        raise SourceError(
            f"見えない制御文字（U+{ord(control.group()):04X}）が含まれています。その行を書き直してください",
            text.count("\n", 0, control.start()) + 1,
        )
    conflict = _CONFLICT_START.search(text)
    if conflict and _CONFLICT_END.search(text, conflict.end()):  # left by a merge in the web editor
        raise SourceError(
            "編集がぶつかった印（<<<<<<< と >>>>>>>）が残っています。残す内容を決めて、"
            "印の行（<<<<<<<、=======、>>>>>>>）を消してください",
            text.count("\n", 0, conflict.start()) + 1,
        )
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Source({}, {}, text, 1, has_front_matter=False)
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            meta, key_lines, typos = _parse_yaml(yaml_text)
            return Source(meta, key_lines, "\n".join(lines[index + 1 :]), index + 2, True, typos)
    raise SourceError("先頭の「---」で始まる設定（フロントマター）が「---」で閉じられていません", 1)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); name the legacy encoding when a file is not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x1b$" in data:  # ISO-2022-JP (JIS) is 7-bit, so it would pass as UTF-8
        raise SourceError(
            _encoding_message("ISO-2022-JP（JIS）"), data.count(b"\n", 0, data.index(b"\x1b$")) + 1
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(_encoding_message(_legacy_encoding(data)), line) from None


def _legacy_encoding(data: bytes) -> str | None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    for codec, name in LEGACY_ENCODINGS:
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return name
    return None


def _encoding_message(name: str | None) -> str:
    saved = f"（{name}で保存されています）" if name else ""
    return f"文字コードが UTF-8 ではありません{saved}。UTF-8 で保存し直してください"


def _parse_yaml(yaml_text: str) -> tuple[dict, dict[str, int], tuple[tuple[int, str], ...]]:
    """Values, the file line of every top-level key (front matter starts on line 2), and the
    typos read as meant (see `_read_as_meant`)."""
    try:
        node, meta = _compose_and_construct(yaml_text, _FastLoader)
    except yaml.YAMLError:
        node, meta = None, None
    typos: tuple[tuple[int, str], ...] = ()
    if node is None or not isinstance(node, yaml.MappingNode):
        node, meta, typos = _read_as_meant(yaml_text) or (*_explained(yaml_text), ())
    if meta is None:
        return {}, {}, ()
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        raise SourceError("設定（フロントマター）は「項目名: 値」の形で書いてください", 2)
    key_lines: dict[str, int] = {}
    for key, _ in node.value:
        if str(key.value) in key_lines:
            raise SourceError(f"項目「{key.value}」が2回書かれています", key.start_mark.line + 2)
        key_lines[str(key.value)] = key.start_mark.line + 2
    return {str(k): v for k, v in meta.items()}, key_lines, typos


def _read_as_meant(yaml_text: str):
    """When every line YAML stumbles on is a known key typed with a full-width 「：」 or space, or
    without the space after 「:」, the front matter read with those lines corrected, and each
    typo with its line: the file still fails, but every other problem in it is shown at once
    (staff were promised all of them). None when something else is wrong too."""
    lines = yaml_text.split("\n")
    typos = _typos(lines)
    if not typos or any(_typed_key(lines[n]) not in FIELDS_BY_NAME for n, _ in typos):
        return None
    for n, _ in typos:
        lines[n] = _KEY_AND_VALUE.sub(lambda m: f"{m[1]}: {m[2]}".rstrip(), lines[n], count=1)
    try:
        node, meta = _compose_and_construct("\n".join(lines), _FastLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    said = tuple(
        (n + 2, f"設定（フロントマター）の書き方が正しくありません: {problem}") for n, problem in typos
    )
    return node, meta, said


_KEY_AND_VALUE = re.compile(r"^([A-Za-z_][\w-]*)\s*[:：][\s\u3000]*(.*)$")


def _typed_key(line: str) -> str:
    """The key of a top-level "key: value" line ("" for an indented one: inside sns: and the like)."""
    match = _KEY_AND_VALUE.match(line)
    return match[1] if match else ""


def _compose_and_construct(yaml_text: str, loader_class) -> tuple[yaml.Node | None, object]:
    """Parse once: the node tree (for key lines) and the values built from it."""
    loader = loader_class(yaml_text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _explained(yaml_text: str) -> tuple[yaml.Node | None, object]:
    """Parse with the pure-Python loader, whose messages `explain_yaml` translates."""
    try:
        return _compose_and_construct(yaml_text, _Loader)
    except yaml.YAMLError as error:
        lines = yaml_text.split("\n")
        mark = _error_mark(error)
        at = mark.line if mark else 0
        number, problem = _likely_cause(lines, at, explain_yaml(error, lines[at] if mark else ""))
        raise SourceError(
            f"設定（フロントマター）の書き方が正しくありません: {problem}", number + 2
        ) from None


_WIDE_COLON = re.compile(r"^\s*[A-Za-z_][\w-]*\s*：")  # title：… typed with the IME on
_WIDE_SPACE_AFTER_COLON = re.compile(r"^\s*[A-Za-z_][\w-]*:\u3000")  # title:　… (YAML needs an ASCII space)
_NO_SPACE_AFTER_COLON = re.compile(r"^[A-Za-z_][\w-]*:(?=[^\s:/])")  # title:水道管… (YAML reads one word)
_QUOTED_START = re.compile(r"^\s*[A-Za-z_][\w-]*:\s+([\[{\"'])")  # title: [重要] 断水…


def _unclosed_at(lines: list[str], at: int) -> int | None:
    """The blank line after the settings when the closing --- was forgotten: YAML then reads
    the body up to a --- rule in it and stumbles on a sentence with no "key:"."""
    if at >= len(lines) or ":" in lines[at] or not lines[at].strip():
        return None
    return next((i for i in range(at - 1, 0, -1) if not lines[i].strip()), None)


def _typos(lines: list[str]) -> list[tuple[int, str]]:
    """(index, what is wrong) of every "key: value" line typed with the IME on or without a space."""
    return [(n, problem) for n, line in enumerate(lines) if (problem := _typo(line))]


def _typo(line: str) -> str:
    """What is wrong with a "key: value" line typed with the IME on or without a space."""
    if _WIDE_COLON.match(line):
        return "項目名の後ろの「：」（全角）を半角の「:」に直してください"
    if _WIDE_SPACE_AFTER_COLON.match(line):
        return "「:」の後ろの空白を半角の空白に直してください（全角の空白になっています）"
    if _NO_SPACE_AFTER_COLON.match(line):
        return "「:」と値の間に半角の空白を入れてください（例: title: 水道管の工事）"
    return ""


def _likely_cause(lines: list[str], at: int, explained: str) -> tuple[int, str]:
    """Mistakes YAML reports a line late or as something else: a full-width colon after a key or
    no space after it (every such line is named at once), and a value that starts like a list or
    a quote but goes on after it closes."""
    typos = _typos(lines)
    if typos and typos[0][0] <= at + 1:
        others = "、".join(f"{n + 2}行目" for n, _ in typos[1:])
        return typos[0][0], typos[0][1] + (f"（{others}も同じです）" if others else "")
    unclosed = _unclosed_at(lines, at)
    if unclosed is not None:
        return unclosed, (
            "設定（フロントマター）を閉じる「---」がないようです。設定の最後の項目の次の行"
            "（この行）に「---」だけの行を書いてください"
        )
    start = _QUOTED_START.match(lines[at]) if at < len(lines) else None
    if start and (explained.startswith(_INDENT) or explained.startswith("YAML として")):
        sign = start.group(1)
        if sign in "\"'":
            return (
                at,
                f"値が {sign} で始まり、閉じた後にも文字が続いています。中の {sign} を「」に変えてください（例: title: 「重要」補助金のお知らせ）",
            )
        return (
            at,
            f'「{sign}」で始まる値は、値全体を "…" で囲んでください（例: title: "[重要] 断水のお知らせ"）',
        )
    return at, explained


def _error_mark(error: yaml.YAMLError):
    """Where the problem starts: an unclosed quote or bracket at its opening, others where found."""
    problem, context = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    if context and not (getattr(error, "context", None) or "").startswith("while parsing a block"):
        return context
    return problem or context


_CONFLICT_START, _CONFLICT_END = re.compile(r"^<{7}(?: |$)", re.M), re.compile(r"^>{7}(?: |$)", re.M)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab and newlines; DEL
_INDENT = "字下げ（行頭の空白）がそろっていません"
_SIGN = '「!」「&」「>」「|」などの記号で始まる値は、値全体を "…" で囲んでください'
_YAML_PROBLEMS = {
    "mapping values are not allowed here": '値の中に「: 」があります。値全体を "…" で囲んでください',
    "could not find expected ':'": "「項目名: 値」の「:」が見つかりません",
    "that cannot start any token": '行頭や値の先頭に使えない文字（タブ、@、` など）があります。タブは空白に直し、記号で始まる値は "…" で囲んでください',
    "found unexpected end of stream": "引用符 \" や ' が閉じられていません",
    "did not find expected key": f'{_INDENT}（または "…" の後ろに余分な文字があります）',
    "expected <block end>": _INDENT,
    "expected ',' or ']'": "「[」で始めた一覧が「]」で閉じられていません",
    "expected ',' or '}'": "「{」が「}」で閉じられていません",
    "found undefined alias": '「*」で始まる値は全体を "…" で囲んでください',
    "expected URI": _SIGN,  # !tag
    "expected alphabetic or numeric character": _SIGN,  # &anchor
    "expected chomping or indentation indicators": _SIGN,  # > and | blocks
}


def explain_yaml(error: yaml.YAMLError, line_text: str) -> str:
    """A YAML error in Japanese, for staff (front matter) and maintainers (mkdocs.yml) alike."""
    problem = getattr(error, "problem", None) or str(error)
    if "mapping values" in problem and line_text[:1] in (" ", "\t"):
        return _INDENT
    for english, japanese in _YAML_PROBLEMS.items():
        if english in problem:
            return japanese
    return f"YAML として読めません（{problem}）"


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")


def dump_front_matter(pairs: list[tuple[str, object]]) -> str:
    """YAML front matter with plain dates (our reader keeps them as text) and quoted oddities."""
    lines = ["---"]
    for key, value in pairs:
        if isinstance(value, list):
            lines += [f"{key}:"] + [_list_item(v) for v in value]
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines + ["---"]) + "\n"


def _list_item(value) -> str:
    if isinstance(value, dict):  # dates: one sitting per item
        return "\n".join(
            f"{'  - ' if n == 0 else '    '}{k}: {_scalar(v)}" for n, (k, v) in enumerate(value.items())
        )
    return f"  - {_scalar(value)}"


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = re.sub(r"\s*\n\s*", " ", str(value)).strip()
    if _ISO.match(text):
        return text
    return yaml.safe_dump(text, allow_unicode=True, width=10**9).removesuffix("\n...\n").strip()
