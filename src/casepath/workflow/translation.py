"""A workflow's texts in another language, from a file beside it (`denmark.da.yaml`).

The workflow file is written in English; a translation file maps each text a person reads
(labels, meanings, notes, messages) by its key — its place in the workflow file, with list
entries named by their stable ids — to the text in the other language. Besides those
places, `facts.NAME` names a date fact set by `mark_date`, which a report shows when it
counts a period from it. Ids, dates, guards and the titles
and sections of source documents are not texts to translate: they stay as they are, so a
translated workflow runs exactly like the English one and only reads differently.
docs/workflow-format.md describes the format.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from casepath import yamlfile
from casepath.messages import did_you_mean
from casepath.problems import Path as Place

# Where translatable texts live, as patterns over places: "*" is any key, "#" any list position.
# A text is translated only where the English file has one.
PATTERNS: tuple[tuple[str, ...], ...] = (
    ("title",),
    ("calendar", "closed_days", "*", "label"),
    ("sources", "*", "describes"),
    ("sources", "*", "note"),
    ("decisions", "*", "label"),
    ("decisions", "*", "note"),
    ("outcomes", "*"),
    ("errors", "*"),
    ("person", "fields", "*", "label"),
    ("person", "fields", "*", "labels", "*"),
    ("parameters", "*", "label"),
    ("parameters", "*", "meaning"),
    ("parameters", "*", "history", "#", "note"),
    ("tables", "*", "label"),
    ("tracks", "*", "label"),
    ("tracks", "*", "meaning"),
    ("tracks", "*", "states", "*", "label"),
    ("tracks", "*", "states", "*", "meaning"),
    ("tracks", "*", "states", "*", "on_enter", "#", "text"),
    ("tracks", "*", "on_enter_tagged", "*", "#", "text"),
    ("events", "*", "label"),
    ("events", "*", "meaning"),
    ("events", "*", "fields", "*", "label"),
    ("events", "*", "fields", "*", "labels", "*"),
    ("events", "*", "checks", "#", "message"),
    ("transitions", "#", "note"),
    ("transitions", "#", "checks", "#", "message"),
    ("transitions", "#", "do", "#", "text"),
    ("deadlines", "*", "label"),
    ("deadlines", "*", "meaning"),
    ("entitlements", "*", "label"),
    ("entitlements", "*", "meaning"),
    ("refusals", "#", "message"),
)

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _matches(pattern: tuple[str, ...], place: Place) -> bool:
    if len(pattern) != len(place):
        return False
    for want, got in zip(pattern, place, strict=True):
        if want == "#":
            if not isinstance(got, int):
                return False
        elif want == "*":
            if not isinstance(got, str):
                return False
        elif want != got:
            return False
    return True


def stable_name(item: Any) -> str | None:
    """The name a list entry is known by in translation keys: its `id`, or a warning's `code`.

    Actions name a deadline with `id`, so an action entry is known by its `code` only."""
    if not isinstance(item, dict):
        return None
    name = item.get("code") if "action" in item else item.get("id")
    return name if isinstance(name, str) else None


def texts(data: Any) -> dict[str, tuple[Place, str]]:
    """Every translatable text of a workflow document: its key -> (place, English text).

    A key names the text by ids, never by list positions, so that reordering or inserting
    entries in the workflow cannot attach a translation to the wrong text:
    `tracks.pathway.label`, `transitions.returned.checks.prepared_return_was_accepted.message`,
    `parameters.reflection_maximum.history.finance_act_2013.note`. Entries of a list that
    carry a text must have a stable name (see `unnamed_texts`); one without is keyed by its
    position, `[3]`, which the workflow check refuses."""
    found: dict[str, tuple[Place, str]] = {}

    def walk(node: Any, place: Place, key: str) -> None:
        if isinstance(node, str):
            if any(_matches(p, place) for p in PATTERNS):
                found[key] = (place, node)
        elif isinstance(node, dict):
            for name, value in node.items():
                walk(value, (*place, name), f"{key}.{name}" if key else str(name))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                name = stable_name(value)
                walk(value, (*place, index), f"{key}.{name}" if name else f"{key}[{index + 1}]")

    walk(data, (), "")
    for fact in sorted(_date_facts(data)):
        found[f"facts.{fact}"] = (("facts", fact), fact.replace("_", " "))
    return found


def unnamed_texts(data: Any) -> list[tuple[Place, str]]:
    """Problems with the stable names of list entries that carry texts: (place, what is wrong).

    Every such entry needs an `id` (a warning action: a `code`), unique in its list."""
    problems: list[tuple[Place, str]] = []
    carrying = {
        place[: i + 1] for place, _ in texts(data).values() for i, part in enumerate(place) if isinstance(part, int)
    }

    def walk(node: Any, place: Place) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                walk(value, (*place, name))
        elif isinstance(node, list):
            seen: set[str] = set()
            for index, value in enumerate(node):
                name = stable_name(value)
                here = (*place, index)
                if name is None and here in carrying:
                    what = "a `code`" if isinstance(value, dict) and "action" in value else "an `id`"
                    problems.append((here, f"this entry has a text to translate, so it needs {what} (a stable name)"))
                elif name is not None and isinstance(value, dict) and ("id" in value or "code" in value):
                    if name in seen:
                        problems.append((here, f"{name!r} names two entries of this list"))
                    seen.add(name)
                walk(value, here)

    walk(data, ())
    return problems


def _date_facts(node: Any) -> set[str]:
    """Facts set by `mark_date`: a report names them when it counts a period from one."""
    if isinstance(node, dict):
        own = {node["fact"]} if node.get("action") == "mark_date" and isinstance(node.get("fact"), str) else set()
        return own.union(*(_date_facts(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_date_facts(v) for v in node))
    return set()


def file_for(workflow_file: Path, lang: str) -> Path:
    """`workflows/denmark.yaml` -> `workflows/denmark.da.yaml`."""
    return workflow_file.with_name(f"{workflow_file.stem}.{lang}{workflow_file.suffix}")


def read(path: Path, workflow: yamlfile.Document, lang: str) -> dict[str, str]:
    """The texts of a translation file, each key checked against the workflow's translatable texts."""
    doc = yamlfile.load(path)
    data = doc.data
    if not isinstance(data, dict) or data.get("casepath_translation") != 1:
        raise doc.problem("a translation file is a mapping with casepath_translation: 1 at the top")
    for key in data:
        if key not in ("casepath_translation", "lang", "texts"):
            raise doc.problem(f"unknown field {key!r} (a translation file has casepath_translation, lang, texts)")
    if data.get("lang") != lang:
        raise doc.problem(f"lang should be {lang!r}, as the file name says", ("lang",))
    given = data.get("texts")
    if not isinstance(given, dict):
        raise doc.problem("texts: a mapping from places in the workflow to translated texts", ("texts",))
    english = texts(workflow.data)
    out: dict[str, str] = {}
    for key, text in given.items():
        place = ("texts", key)
        if key not in english:
            raise doc.problem(f"no translatable text at this place of the workflow{did_you_mean(key, english)}", place)
        if not isinstance(text, str) or not text.strip():
            raise doc.problem("a translation is a non-empty text", place)
        wanted = sorted(_PLACEHOLDER.findall(english[key][1]))
        if sorted(_PLACEHOLDER.findall(text)) != wanted:
            raise doc.problem(f"must keep the placeholders of the English text ({', '.join(wanted) or 'none'})", place)
        out[key] = text
    return out


def missing(workflow: yamlfile.Document, translated: dict[str, str]) -> list[str]:
    """The places of the workflow's texts that the translation leaves in English."""
    return [key for key in texts(workflow.data) if key not in translated]


def apply(workflow: yamlfile.Document, translated: dict[str, str]) -> yamlfile.Document:
    """A copy of the workflow document with the translated texts in place (same lines, for messages)."""
    data = copy.deepcopy(workflow.data)
    english = texts(workflow.data)
    for key, text in translated.items():
        place = english[key][0]
        if place[0] == "facts":  # not a text of the file: see `fact_labels`
            continue
        node = data
        for part in place[:-1]:
            node = node[part]
        node[place[-1]] = text
    return yamlfile.Document(data=data, file=workflow.file, lines=workflow.lines)


def fact_labels(translated: dict[str, str]) -> dict[str, str]:
    """The translated names of date facts (`facts.reflection_start`), which live in no place of the file."""
    return {key.removeprefix("facts."): text for key, text in translated.items() if key.startswith("facts.")}
