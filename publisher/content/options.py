"""Options and front-matter fields, declared once and read by one mechanism.

A field is declared once, with its reader (any function that returns the value as the program
wants it, or raises FieldError in Japanese) and whether it is required: plugin options as fields
of frozen dataclasses (`option`, with a doc for maintainers), front-matter fields in schema.py
(with the Japanese label staff know them by). Records, lists and mappings are read generically:
unknown keys are named with the nearest known one, and every problem is collected with the place
of the value it is about. mkdocs.yml and front matter each name that place their own way
(`plugins.town.categories（2番目）.slug`, `date（掲載日）` on its line).

    news_per_page: int = option(at_least(1), "News items per listing page", 10)
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, dataclass
from typing import Any

from .errors import FieldError

Reader = Callable[[Any], Any]
At = tuple[str | int, ...]  # keys and list positions from the record read down to the value


class Predicate(FieldError):
    """A message that continues the name of its place, as Japanese does: 「title（タイトル）」 +
    「を書いてください」. A plain FieldError is what is wrong with the value, after 「: 」."""


@dataclass(frozen=True)
class Problem:
    at: At
    message: str
    continues: bool = False  # the message is a Predicate

    def said_after(self, place: str) -> str:
        """The whole sentence, `place` being how the reader of the file names `at`."""
        if not self.continues:
            return f"{place}: {self.message}" if place else self.message
        return _then(place, self.message)


class Invalid(FieldError):
    """Problems of one value, each at its place inside it."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(p.said_after(dotted(p.at)) for p in self.problems))


@dataclass(frozen=True)
class Field:
    name: str
    read: Reader
    required: bool = False


def option(read: Reader, doc: str, default: Any = MISSING) -> Any:
    """A dataclass field declared as an option: `news_per_page: int = option(at_least(1), "…", 10)`.
    Without a default it is required."""
    return dataclasses.field(default=default, metadata={"read": read, "doc": doc})


def fields_of(cls) -> tuple[Field, ...]:
    return tuple(
        Field(f.name, f.metadata["read"], f.default is MISSING)
        for f in dataclasses.fields(cls)
        if "read" in f.metadata
    )


def record(cls) -> Reader:
    """A reader of the mapping that makes a `cls` (a frozen dataclass declared with `option`)."""
    fields = fields_of(cls)

    def read_record(values):
        found, problems = read_fields(fields, values)
        if problems:
            raise Invalid(problems)
        return cls(**found)

    return read_record


def read_fields(fields: Sequence[Field], values) -> tuple[dict, list[Problem]]:
    """The values of the declared fields that are written and right, and every problem: unknown
    keys, required fields missing or empty, wrong values. A field written empty is left out."""
    names = [field.name for field in fields]
    if not isinstance(values, dict):
        raise Predicate(f"は「項目名: 値」の形で、字下げして書いてください（項目: {'、'.join(names)}）")
    problems = [Problem((key,), unknown(key, names), continues=True) for key in values if key not in names]
    found = {}
    for field in fields:
        value = values.get(field.name)
        if field.required and (value is None or (isinstance(value, (str, list, dict)) and not value)):
            message = "が空です" if field.name in values else "を書いてください"
            problems.append(Problem((field.name,), message, True))
        elif value is not None:
            found[field.name] = read(field.read, value, field.name, problems)
    return found, problems


def read(reader: Reader, value, key: str | int, problems: list[Problem]):
    """`reader(value)`; None when it fails, its problems added to `problems` under `key`."""
    result, found = problems_of(reader, value)
    problems += [dataclasses.replace(p, at=(key, *p.at)) for p in found]
    return result


def problems_of(reader: Reader, value) -> tuple[Any, list[Problem]]:
    """(`reader(value)`, []) or (None, every problem found, each at its place inside the value)."""
    try:
        return reader(value), []
    except Invalid as error:
        return None, list(error.problems)
    except FieldError as error:
        return None, [Problem((), str(error), isinstance(error, Predicate))]


def unknown(name, known: Iterable[str], noun: str = "項目", listed: bool = False) -> str:
    """「という項目はありません（title の書き間違いではありませんか）」, to follow the name."""
    known = list(known)
    close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    hint = f"（{close[0]} の書き間違いではありませんか）" if close else ""
    return f"という{noun}はありません{hint}" + (f"。使える{noun}: {'、'.join(known)}" if listed else "")


def dotted(at: At) -> str:
    """`syndication.templates.x`; a list position as Japanese counts it: `categories（2番目）`."""
    place = ""
    for key in at:
        place += f"（{key + 1}番目）" if isinstance(key, int) else (f".{key}" if place else str(key))
    return place


# Readers of plain values and of containers.


def text(value) -> str:
    if isinstance(value, (dict, list)):
        raise FieldError("文章で書いてください")
    return str(value).strip()


def matching(pattern, message: Callable[[str], str]) -> Reader:
    """Text that matches `pattern` (a compiled regular expression); else `message(text)`."""

    def read_matching(value) -> str:
        written = text(value)
        if not pattern.match(written):
            raise FieldError(message(written))
        return written

    return read_matching


def file_path(value) -> str:
    """A file's place, relative to the file that names it."""
    if not isinstance(value, str) or not value.strip():
        raise FieldError("ファイルの場所を書いてください")
    return value.strip()


def boolean(value) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"「{value}」ではなく true か false で書いてください")
    return value


def integer(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise FieldError(f"「{value}」ではなく半角数字で書いてください")
    return value


def at_least(minimum: int) -> Reader:
    def read_number(value) -> int:
        if integer(value) < minimum:
            raise FieldError(f"「{value}」ではなく {minimum} 以上の半角数字で書いてください")
        return value

    return read_number


def one_of(labels: dict[str, str] | Sequence[str], aliases: dict[str, str] | None = None) -> Reader:
    """One of the names in `labels` (name → what staff call it), or an alias of one."""
    names = dict(labels) if isinstance(labels, dict) else dict.fromkeys(labels, "")
    aliases = aliases or {}
    shown = [f"{name}（{label}）" if label else name for name, label in names.items()]
    choices = (
        f"{_then(shown[0], 'か')} {_then(shown[1], 'を')}"
        if len(shown) == 2
        else _then("・".join(shown), "のどれかを")
    )

    def read_choice(value) -> str:
        name = aliases.get(str(value).strip(), str(value).strip())
        if name not in names:
            raise Predicate(f"の値「{value}」は使えません。{choices}書いてください")
        return name

    return read_choice


def list_of(reader: Reader) -> Reader:
    """A YAML list read item by item into a tuple."""

    def read_list(values) -> tuple:
        if not isinstance(values, list):
            raise Predicate("は一覧（- で始まる行、または [a, b]）で書いてください")
        problems: list[Problem] = []
        items = [read(reader, value, number, problems) for number, value in enumerate(values)]
        if problems:
            raise Invalid(problems)
        return tuple(items)

    return read_list


def mapping_of(read_key: Reader, read_value: Reader, shape: str = "「名前: 値」") -> Reader:
    """A YAML mapping read into a tuple of (key, value) pairs (a tuple keeps records hashable)."""

    def read_mapping(values) -> tuple:
        if not isinstance(values, dict):
            raise Predicate(f"は{shape}の形で書いてください")
        problems: list[Problem] = []
        pairs = [
            (read(read_key, k, k, problems), read(read_value, v, k, problems)) for k, v in values.items()
        ]
        if problems:
            raise Invalid(problems)
        return tuple(pairs)

    return read_mapping


def _then(words: str, particle: str) -> str:
    """Japanese sets a space between a Latin word and what follows, none after 「）」 or kana."""
    return words + (" " if words and words[-1].isascii() else "") + particle
