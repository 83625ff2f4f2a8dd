"""Named reuse inside a workflow file: cited passages, state sets, actions on entering tagged states.

A workflow repeats itself where the law does: the same passage backs many rules, the same
states allow many events, every way a case ends closes the same deadlines. Writing each once
and naming it keeps a change in one place. YAML anchors would do the copying blindly (and
casepath's YAML reader refuses them); these names are checked when the workflow is loaded,
each problem reported at its place, and they mean exactly what writing the text out would:

- `passages: {ID: {doc, section, para, check}}` at the top, cited as `{passage: ID}` in any
  `sources:` list. Resolved before the file's shape is checked, so the rest of casepath only
  ever sees the written-out citation (a report shows the same text and link).
- `state_sets: {NAME: [state, tag:TAG, set:OTHER]}` on a track, used as `set:NAME` in a
  transition's `from` and as `sets: [NAME]` in an `in_state` / `not_in_state` guard.
- `on_enter_tagged: {TAG: [actions]}` on a track: run on entering any state of the track that
  carries the tag, after the state's own `on_enter`, in the order the tags are listed there.

docs/workflow-format.md ("Writing a rule once") shows each to workflow authors.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from pydantic import ValidationError

from casepath.messages import did_you_mean
from casepath.workflow.spec import ActionCall, Citation, TrackSpec
from casepath.yamlfile import Document

PASSAGE_ID = re.compile(r"^[a-z][a-z0-9_.-]{0,62}$")
"""A passage id: lower-case letters, digits, `_`, `-` and `.` (`eu-dk.reflection.2`)."""


# ------------------------------------------------------------------ passages
def resolve_passages(doc: Document) -> Document:
    """A copy of the workflow document with every `{passage: ID}` citation written out.

    The passage table itself stays in the copy (the shape check keeps it honest); a reference
    to a passage the table does not hold, or a reference that adds other keys, is refused."""
    data = doc.data
    if not isinstance(data, dict):
        return doc
    table = data.get("passages", {})
    if not isinstance(table, dict):
        raise doc.problem("passages: a mapping from passage ids to citations {doc, section, para}", ("passages",))
    for pid, passage in table.items():
        place = ("passages", pid)
        if not isinstance(pid, str) or not PASSAGE_ID.match(pid):
            raise doc.problem(
                f"{pid!r} is not a valid passage id (lower-case letters, digits, '_', '-' and '.')", place
            )
        if isinstance(passage, dict) and "passage" in passage:
            raise doc.problem("a passage is a citation {doc, section, para}; it cannot refer to another passage", place)
        try:
            Citation.model_validate(passage)
        except ValidationError as err:
            first = err.errors(include_url=False)[0]
            where = (*place, *[p for p in first["loc"] if isinstance(p, str | int)])
            detail = f"unknown field {first['loc'][-1]!r}" if first["type"] == "extra_forbidden" else first["msg"]
            raise doc.problem(f"passage: {detail}", where) from None
    out = copy.deepcopy(data)

    def walk(node: Any, place: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "sources" and isinstance(value, list):
                    for index, item in enumerate(value):
                        if isinstance(item, dict) and "passage" in item:
                            value[index] = _passage(doc, table, item, (*place, key, index))
                walk(value, (*place, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*place, index))

    walk({k: v for k, v in out.items() if k != "passages"}, ())
    return Document(data=out, file=doc.file, lines=doc.lines)


def _passage(doc: Document, table: dict, ref: dict, place: tuple) -> dict:
    pid = ref["passage"]
    if set(ref) != {"passage"}:
        others = ", ".join(sorted(str(k) for k in ref if k != "passage"))
        raise doc.problem(
            f"a passage is cited as {{passage: ID}} alone (found also: {others}); to cite another part, add a passage",
            place,
        )
    if not isinstance(pid, str) or pid not in table:
        raise doc.problem(f"unknown passage {pid!r}{did_you_mean(str(pid), table)}", (*place, "passage"))
    return copy.deepcopy(table[pid])


def unused_passages(data: Any) -> list[str]:
    """Passage ids no citation of the document refers to (allowed: a table may hold passages for later)."""
    if not isinstance(data, dict) or not isinstance(data.get("passages"), dict):
        return []
    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("passage"), str):
                used.add(node["passage"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in data.items() if k != "passages"})
    return [pid for pid in data["passages"] if pid not in used]


# ------------------------------------------------------------------ state sets
def set_entries(track: TrackSpec, name: str) -> list[str]:
    """The entries a state set stands for, as written (states and `tag:` entries), its own
    `set:` entries written out in place; each entry once, in the order first met.
    The workflow check has refused unknown sets and cycles."""
    out: list[str] = []
    for entry in track.state_sets[name]:
        for item in set_entries(track, entry[4:]) if entry.startswith("set:") else [entry]:
            if item not in out:
                out.append(item)
    return out


def written_out(entries: list[str], track: TrackSpec) -> list[str]:
    """A `from` list with each `set:NAME` replaced by what the set stands for (for showing a list)."""
    out: list[str] = []
    for entry in entries:
        out += set_entries(track, entry[4:]) if entry.startswith("set:") else [entry]
    return out


def set_cycle(track: TrackSpec, name: str, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The chain of sets by which `name` includes itself (`a, b, a`), or None."""
    if name in path:
        return (*path[path.index(name) :], name)
    for entry in track.state_sets.get(name, []):
        if entry.startswith("set:"):
            found = set_cycle(track, entry[4:], (*path, name))
            if found:
                return found
    return None


# ------------------------------------------------------------------ actions on entering tagged states
def entry_actions(track: TrackSpec, state: str) -> list[ActionCall]:
    """Everything run on entering `state`: its own `on_enter`, then the track's `on_enter_tagged`
    actions of each tag it carries, in the order the tags are listed in `on_enter_tagged`."""
    spec = track.states[state]
    out = list(spec.on_enter)
    for tag, actions in track.on_enter_tagged.items():
        if tag in spec.tags:
            out += actions
    return out
