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
from yaml.composer import ComposerError

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
    """Parse one YAML document from `text`; `file` names it in messages.

    The text is parsed once: `_Composer` builds the document's nodes from the parser's events,
    refusing deep nesting, aliases and duplicate keys and noting each place's line as it goes;
    the values are then constructed from those nodes."""
    if "\x00" in text:
        raise InputProblem("contains a NUL character: not a text file", file=file)
    loader = _StrictLoader(text)
    loader.file = file  # named by problems found while constructing values
    try:
        composer = _Composer(loader, file)
        node = composer.document()
        if node is None:
            raise InputProblem("is empty", file=file)
        data = loader.construct_document(node)
    except InputProblem:
        raise
    except yaml.MarkedYAMLError as err:
        _depth_first(text, file)
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        what = err.problem or err.context or "invalid YAML"
        raise InputProblem(f"not valid YAML: {what}", file=file, line=line) from None
    except yaml.YAMLError as err:
        _depth_first(text, file)
        raise InputProblem(f"not valid YAML: {err}", file=file) from None
    except (TypeError, ValueError) as err:  # e.g. an unhashable mapping key
        raise InputProblem(f"not usable YAML: {err}", file=file) from None
    finally:
        loader.dispose()
    return Document(data=data, file=file, lines=composer.lines)


def _depth_first(text: str, file: str) -> None:
    """Before reporting a YAML error: was the nesting the problem?

    Some libyaml builds stop at a nesting limit of their own, with their own words, while looking
    ahead, before `_Composer` has counted to ours; the pure-Python parser looks ahead at most 1,024
    characters, so it reaches our limit first if the nesting is the problem (raising that problem).
    Otherwise the YAML error stands."""
    depth = 0
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    with contextlib.suppress(yaml.YAMLError):
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, starts):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(event, file)
            elif isinstance(event, ends):
                depth -= 1


def _too_deep(event: yaml.Event, file: str) -> InputProblem:
    return InputProblem(f"nested too deeply (more than {MAX_DEPTH} levels)", file=file, line=event.start_mark.line + 1)


class _Composer:
    """The document's nodes from the parser's events (PyYAML's composer, made strict), in one pass.

    libyaml's own composer recurses once per level without a limit, and a few hundred kilobytes
    of brackets overflow the C stack (the process dies, no exception): here each level is counted
    from its start event, before anything recurses into it, and refused beyond `MAX_DEPTH`.
    Aliases (the way to an expansion bomb, never needed in a scenario), merge keys, keys that are
    not plain words and duplicate keys (PyYAML would silently keep the last) are refused where they
    stand. `lines` maps each place to its line; a mapping value's place is on its key's line (a
    block value starts on the next line, but a problem with the entry is best shown where its key
    is written)."""

    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.lines: dict[Place, int] = {}
        self.anchors: dict[str, yaml.Node] = {}
        self.depth = 0

    def document(self) -> yaml.Node | None:
        """The stream's single document (None for an empty stream), as PyYAML's `get_single_node`."""
        loader = self.loader
        loader.get_event()  # StreamStartEvent
        node = None
        if not loader.check_event(yaml.StreamEndEvent):
            loader.get_event()  # DocumentStartEvent
            node = self.node((), 0)
            loader.get_event()  # DocumentEndEvent
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise ComposerError(
                "expected a single document in the stream",
                node.start_mark if node is not None else None,
                "but found another document",
                event.start_mark,
            )
        loader.get_event()  # StreamEndEvent
        return node

    def node(self, place: Place, line: int) -> yaml.Node:
        loader = self.loader
        event = loader.get_event()
        if isinstance(event, yaml.AliasEvent):
            raise InputProblem(
                "anchors and aliases (&name / *name) are not supported: write the value out",
                file=self.file,
                line=event.start_mark.line + 1,
                place=place,
            )
        self.lines[place] = line or event.start_mark.line + 1
        node: yaml.Node
        if isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        else:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _too_deep(event, self.file)
            if isinstance(event, yaml.SequenceStartEvent):
                node = self.sequence(event, place)
            else:
                node = self.mapping(event, place)
            self.depth -= 1
        if event.anchor is not None:
            if event.anchor in self.anchors:
                raise ComposerError(
                    f"found duplicate anchor {event.anchor!r}; first occurrence",
                    self.anchors[event.anchor].start_mark,
                    "second occurrence",
                    event.start_mark,
                )
            self.anchors[event.anchor] = node
        return node

    def sequence(self, start: yaml.SequenceStartEvent, place: Place) -> yaml.SequenceNode:
        loader = self.loader
        tag = start.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.SequenceNode, None, start.implicit)
        node = yaml.SequenceNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        index = 0
        while not loader.check_event(yaml.SequenceEndEvent):
            node.value.append(self.node((*place, index), 0))
            index += 1
        node.end_mark = loader.get_event().end_mark
        return node

    def mapping(self, start: yaml.MappingStartEvent, place: Place) -> yaml.MappingNode:
        loader = self.loader
        tag = start.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.MappingNode, None, start.implicit)
        node = yaml.MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        keys: set[Any] = set()
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            key_line = key_event.start_mark.line + 1
            if not isinstance(key_event, yaml.ScalarEvent):
                if isinstance(key_event, yaml.AliasEvent):
                    self.node(place, 0)  # refused: an alias
                raise InputProblem("a key must be a plain word", file=self.file, line=key_line, place=place)
            key = key_event.value
            if key == "<<":
                raise InputProblem("merge keys (<<) are not supported", file=self.file, line=key_line, place=place)
            if key in keys:
                raise InputProblem(f"the key {key!r} appears twice", file=self.file, line=key_line, place=place)
            keys.add(key)
            key_node = self.node((*place, key), key_line)
            node.value.append((key_node, self.node((*place, key), key_line)))
        node.end_mark = loader.get_event().end_mark
        return node


def load(path: Path | str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read and parse a YAML file."""
    path = Path(path)
    return parse(read_text(path, max_bytes=max_bytes), str(path))
