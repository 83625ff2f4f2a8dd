"""A few helpers to write SVG markup by hand, every text and attribute escaped.

The HTML report draws its pictures in Python (no script library, no network), so the
markup is built as strings; going through `element` is what keeps a pseudonym or a label
from ever becoming markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def element(name: str, attrs: dict[str, object] | None = None, *children: str) -> str:
    """`<name attrs>children</name>`; attribute values and plain-text children are escaped.

    Children that are already markup (`Markup`, or what `element` returned) are kept as they are.
    """
    parts = [name]
    for key, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(f'{key}="{escape(_number(value))}"')
    opening = " ".join(parts)
    if not children:
        return Markup(f"<{opening}/>")
    inner = "".join(escape(child) for child in children)
    return Markup(f"<{opening}>{inner}</{name}>")


def _number(value: object) -> object:
    """Coordinates with at most one decimal, so the same input always gives the same bytes."""
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text[:-2] if text.endswith(".0") else text
    return value


def text_lines(text: str, width: int) -> list[str]:
    """`text` broken into lines of about `width` characters (SVG text does not wrap by itself)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
