"""Turning pydantic's validation errors into one line a person can act on."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from casepath.problems import InputProblem
from casepath.yamlfile import Document


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'born'?)' when a close choice exists, else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model at `loc` (best effort), for 'did you mean' hints."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            for candidate in getattr(current, "model_fields", {}).values():
                if candidate.alias == part:
                    field = candidate
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def explain(err: ValidationError, doc: Document, model: type[BaseModel], prefix: tuple = ()) -> InputProblem:
    """The first validation error as an `InputProblem` pointing at its line."""
    first = err.errors(include_url=False)[0]
    loc = _place(first["loc"])
    kind = first["type"]
    value = first.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc)
        message = f"unknown field {loc[-1]!r}{did_you_mean(str(loc[-1]), allowed)}"
        if allowed:
            message += "; allowed: " + ", ".join(allowed)
    elif kind == "missing":
        message = "this field is required"
    elif kind in ("date_from_datetime_parsing", "date_parsing", "date_from_datetime_inexact", "date_type"):
        message = f"{_show(value)} is not a valid date (write it as YYYY-MM-DD)"
    elif kind in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        message = f"{_show(value)} is not a valid date-time (write it as YYYY-MM-DDTHH:MM)"
    elif kind == "literal_error":
        message = f"{_show(value)} is not allowed: {first['msg'].removeprefix('Input should be ')}"
    elif kind == "model_type" or kind == "dict_type":
        message = f"expected a mapping of fields, got {_show(value)}"
    elif kind == "list_type":
        message = f"expected a list, got {_show(value)}"
    else:
        message = first["msg"].removeprefix("Value error, ")
        if value is not None and not isinstance(value, dict | list) and str(value).strip() not in message:
            message = f"{_show(value)}: {message}"
    place = (*prefix, *loc)
    return InputProblem(message, file=doc.file, line=doc.line_of(place), place=place)


def _place(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """pydantic's location without its union-branch labels ("function-after[...]", "str").

    A branch label follows the field it belongs to; a field that happens to be named like a
    type (an event's `date`) follows a list index or the top and is kept."""
    kept: list[Any] = []
    for index, part in enumerate(loc):
        if isinstance(part, str) and ("[" in part or part in _TYPE_LABELS):
            previous = loc[index - 1] if index else None
            if isinstance(previous, str):
                continue
        kept.append(part)
    return tuple(kept)


_TYPE_LABELS = {"str", "int", "bool", "date", "datetime", "float", "list", "dict", "none", "is-instance[Duration]"}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
