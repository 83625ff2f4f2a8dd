"""Reading YAML safely: bounded, without YAML 1.1 surprises, and with line numbers.

Scenario files are written by hand by people who are not programmers, so the reader is
strict where YAML is treacherous:

- only YAML 1.2 core-schema booleans (``true``/``false``): ``NO`` stays the text "NO"
  (Norway), ``on``/``yes`` stay text; no sexagesimal numbers (``1:20``) or ``010`` octals;
- dates stay text here and are parsed by the typed models, which give better messages;
- anchors and aliases are refused (they are never needed in a scenario and are the way to
  an expansion bomb), and so are duplicate keys (PyYAML would silently keep the last one);
- the file size and nesting depth are bounded.

It returns the data and a map from each place in the document to its line, so that a
problem found later (by pydantic, by the workflow checks) can name the line.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casepath.problems import InputProblem
from casepath.problems import Path as Place

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

try:  # libyaml's parser when present: same results, faster
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class _StrictLoader(_Base):
    """SafeLoader with the YAML 1.2 core schema's implicit types instead of YAML 1.1's."""

    yaml_implicit_resolvers: dict = {}  # noqa: RUF012 - PyYAML's own class-level table


_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


MAX_DIGITS = 30
"""Longer whole numbers are refused: no value casepath reads needs one, and a huge one only costs time."""


def _int_1_2(loader: Any, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node).replace("_", "")
    if len(text.lstrip("+-")) > MAX_DIGITS + 2:  # 2: room for a 0x / 0o prefix
        raise InputProblem(
            f"a number with more than {MAX_DIGITS} digits is not a usable value",
            file=getattr(loader, "file", None),
            line=node.start_mark.line + 1,
        )
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _int_1_2)


@dataclass
class Document:
    """Parsed YAML data and where each place in it stands in the file."""

    data: Any
    file: str
    lines: dict[Place, int] = field(default_factory=dict)

    def line_of(self, place: Place) -> int | None:
        """The line of `place`, or of the nearest enclosing place that has one."""
        place = tuple(place)
        while True:
            if place in self.lines:
                return self.lines[place]
            if not place:
                return None
            place = place[:-1]

    def problem(self, message: str, place: Place = ()) -> InputProblem:
        return InputProblem(message, file=self.file, line=self.line_of(place), place=place)


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 text, or raise an `InputProblem` saying why it cannot be read.

    Only a regular file is read: a FIFO, a device or a socket would block or never end, so it
    is refused from `stat` before opening, and opened without blocking and checked again (it
    may have been swapped in between) before a byte is read."""
    name = str(path)
    try:
        _regular(os.stat(path), name)
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(handle, "rb") as stream:
            _regular(os.fstat(stream.fileno()), name)
            raw = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputProblem("no such file", file=name) from None
    except PermissionError:
        raise InputProblem("cannot be read (permission denied)", file=name) from None
    except OSError as err:
        raise InputProblem(f"cannot be read ({err.strerror or err})", file=name) from None
    except ValueError:  # e.g. a NUL character in the path
        raise InputProblem("is not a usable file name", file=name) from None
    if len(raw) > max_bytes:
        raise InputProblem(f"is larger than the limit of {max_bytes // 1024} KiB", file=name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputProblem(f"is not UTF-8 text (byte 0x{raw[err.start]:02x})", file=name, line=line) from None
    return text.removeprefix("\ufeff")


def _regular(info: os.stat_result, name: str) -> None:
    """Refuse anything but a regular file, naming what it is."""
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputProblem("is a folder, expected a file", file=name)
    raise InputProblem(f"is not a regular file ({kind_of(mode)}): casepath reads only regular files", file=name)


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def parse(text: str, file: str) -> Document:
    """Parse one YAML document from `text`; `file` names it in messages."""
    if "\x00" in text:
        raise InputProblem("contains a NUL character: not a text file", file=file)
    loader = _StrictLoader(text)
    loader.file = file  # named by problems found while constructing values
    try:
        _check_depth(text, file)
        node = loader.get_single_node()
        if node is None:
            raise InputProblem("is empty", file=file)
        lines: dict[Place, int] = {}
        _walk(node, (), lines, set(), file)
        data = loader.construct_document(node)
    except InputProblem:
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        what = err.problem or err.context or "invalid YAML"
        raise InputProblem(f"not valid YAML: {what}", file=file, line=line) from None
    except yaml.YAMLError as err:
        raise InputProblem(f"not valid YAML: {err}", file=file) from None
    except (TypeError, ValueError) as err:  # e.g. an unhashable mapping key
        raise InputProblem(f"not usable YAML: {err}", file=file) from None
    finally:
        loader.dispose()
    return Document(data=data, file=file, lines=lines)


def _check_depth(text: str, file: str) -> None:
    """Refuse deep nesting from the parser's flat event stream, before anything recursive runs.

    libyaml's composer recurses once per level without a limit, and a few hundred kilobytes
    of brackets overflow the C stack (the process dies, no exception); counting start and end
    events first keeps that from ever being reached."""
    try:
        _count_depth(text, file, _StrictLoader)
    except yaml.YAMLError:
        # Some libyaml builds stop at a nesting limit of their own, with their own words, while
        # looking ahead; the pure-Python parser looks ahead at most 1,024 characters, so it
        # reaches our limit first if the nesting is the problem. Otherwise the error stands.
        with contextlib.suppress(yaml.YAMLError):
            _count_depth(text, file, yaml.SafeLoader)
        raise


def _count_depth(text: str, file: str, loader: type) -> None:
    depth = 0
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, starts):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputProblem(
                    f"nested too deeply (more than {MAX_DEPTH} levels)", file=file, line=event.start_mark.line + 1
                )
        elif isinstance(event, ends):
            depth -= 1


def load(path: Path | str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read and parse a YAML file."""
    path = Path(path)
    return parse(read_text(path, max_bytes=max_bytes), str(path))


def _walk(node: yaml.Node, place: Place, lines: dict[Place, int], seen: set[int], file: str, line: int = 0) -> None:
    """Record lines; refuse aliases and duplicate keys (depth was bounded by `_check_depth`).

    A mapping value's place is on its key's line (`line`): a block value starts on the next
    line, but a problem with the entry is best shown where its key is written."""
    if isinstance(node, yaml.ScalarNode):
        # Scalars are never shared by the composer except through an alias.
        if id(node) in seen:
            raise _alias(node, place, file)
        seen.add(id(node))
        lines[place] = line or node.start_mark.line + 1
        return
    if id(node) in seen:
        raise _alias(node, place, file)
    seen.add(id(node))
    lines[place] = line or node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*place, index), lines, seen, file)
    elif isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputProblem(
                    "a key must be a plain word", file=file, line=key_node.start_mark.line + 1, place=place
                )
            key = key_node.value
            if key == "<<":
                raise InputProblem(
                    "merge keys (<<) are not supported", file=file, line=key_node.start_mark.line + 1, place=place
                )
            if key in keys:
                raise InputProblem(
                    f"the key {key!r} appears twice", file=file, line=key_node.start_mark.line + 1, place=place
                )
            keys.add(key)
            _walk(value_node, (*place, key), lines, seen, file, key_node.start_mark.line + 1)


def _alias(node: yaml.Node, place: Place, file: str) -> InputProblem:
    return InputProblem(
        "anchors and aliases (&name / *name) are not supported: write the value out",
        file=file,
        line=node.start_mark.line + 1,
        place=place,
    )
