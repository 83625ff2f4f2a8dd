"""One key press at a time from a terminal, for `casepath walk` in front of a class.

A trainer should not have to press Enter after every key: on a terminal the keyboard is put
in cbreak mode (keys arrive one by one, Ctrl-C still interrupts) for as long as a key is
awaited, and put back the way it was afterwards, on Ctrl-C too. The arrow keys arrive as
escape sequences and are read whole. Only the standard library's termios and tty are used;
where they do not exist (Windows) or input is not a terminal, callers read lines instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

ARROWS = {"\x1b[C": "right", "\x1b[D": "left", "\x1b[A": "up", "\x1b[B": "down", "\x1bOC": "right", "\x1bOD": "left"}
CLEAR = "\x1b[H\x1b[2J\x1b[3J"
"""Cursor home, clear the screen and its scroll-back: each step starts on a clean screen."""


def available() -> bool:
    """Keys can be read one at a time: input and output are a terminal with termios."""
    try:
        import termios  # noqa: F401
        import tty  # noqa: F401
    except ImportError:
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def key_reader(fd: int | None = None) -> Callable[[], str | None]:
    """A function that waits for one key and returns it: a character, "enter", "right", "left"…,
    or None at the end of input (Ctrl-D). The terminal is in cbreak mode only while it waits."""
    import termios
    import tty

    descriptor = sys.stdin.fileno() if fd is None else fd

    def read() -> str | None:
        saved = termios.tcgetattr(descriptor)
        try:
            tty.setcbreak(descriptor, termios.TCSANOW)  # keep keys typed ahead (TCSAFLUSH drops them)
            first = os.read(descriptor, 1)
            if not first or first == b"\x04":
                return None
            if first == b"\x1b":
                rest = _more(descriptor)
                return ARROWS.get("\x1b" + rest, "escape")
            if first in (b"\r", b"\n"):
                return "enter"
            return first.decode("utf-8", "replace")
        finally:
            termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)

    return read


def _more(descriptor: int) -> str:
    """The rest of an escape sequence, if more bytes follow at once (an arrow key sends three)."""
    import select

    out = b""
    while len(out) < 8 and select.select([descriptor], [], [], 0.05)[0]:
        chunk = os.read(descriptor, 1)
        if not chunk:
            break
        out += chunk
        if chunk.isalpha() or chunk == b"~":
            break
    return out.decode("ascii", "replace")
