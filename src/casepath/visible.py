"""Text a user gave, made safe to show: control characters written out, never sent raw.

A title, an alias, a key or a value can hold a terminal escape (ESC [ ... which recolours or
clears the screen), a carriage return (which lets later text overwrite a line) or a newline
(which starts a line that looks like the report's own, "Outcome: residence permit granted").
Wherever such text is shown, these characters are written the way Python writes them in a
string: `\\x1b`, `\\r`, `\\n`, `\\u202e`. Bidirectional-text controls are included: they can
make a line read differently from its characters.
"""

from __future__ import annotations

import re

_OTHER = "\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
"""Bidirectional-text marks and overrides, and the Unicode line and paragraph separators."""
_ANY = re.compile(f"[\x00-\x1f\x7f-\x9f{_OTHER}]")
_BUT_LINES = re.compile(f"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_OTHER}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` on one line, every control character written out (newlines and tabs too)."""
    return _ANY.sub(_escape, text) if _ANY.search(text) else text


def visible_lines(text: str) -> str:
    """`text` as lines: newlines, tabs and line-ending CR LF pairs kept, every other control character
    written out as `\r` or `\u001b`, which is also how JSON writes it (so JSON stays valid JSON)."""
    return _BUT_LINES.sub(_json_escape, text) if _BUT_LINES.search(text) else text


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    return "\\r" if char == "\r" else f"\\u{ord(char):04x}"


def has_controls(text: str) -> bool:
    """Whether `text` holds a character `visible` would write out."""
    return _ANY.search(text) is not None
