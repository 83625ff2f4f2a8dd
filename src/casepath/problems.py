"""Input problems: one clear line naming the file, the place in it and what is wrong.

Every way a file can be unusable (not found, not YAML, a wrong field, a workflow that does
not hold together) ends up as an `InputProblem`. The command line prints its one line and
exits 2; the Python API lets it propagate. Nothing the user gives us should reach them as a
traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

Path = tuple[str | int, ...]
"""A place inside a document: keys and list positions, e.g. ("events", 2, "date")."""


def format_place(path: Sequence[str | int]) -> str:
    """Render a path the way a reader of the YAML file thinks of it: ``events[3].date``.

    List positions are shown counting from 1, as a person counts the entries in a file.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class InputProblem(Exception):
    """A file or argument that cannot be used. Exit code 2 on the command line."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        place: Sequence[str | int] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.place = tuple(place)

    def located(self, file: str | None = None, line: int | None = None) -> InputProblem:
        """The same problem with a file (and line) filled in where it was still missing."""
        return InputProblem(
            self.message,
            file=self.file or file,
            line=self.line if self.line is not None else line,
            place=self.place,
        )

    def __str__(self) -> str:
        from casepath.visible import visible

        head = self.file or ""
        if self.line is not None:
            head += f":{self.line}"
        parts = [p for p in (head, format_place(self.place)) if p]
        # One line whatever it holds: a control character (a line break in a key, an escape in a
        # file name) is written out, never sent raw.
        return visible(": ".join([*parts, self.message]))
