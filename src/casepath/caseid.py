"""What identifies a case, so that its calendar events are its own and stay its own.

A calendar program takes an event's UID as its identity: importing a file whose UIDs another
case already used moves that case's events. So the key a UID is built from must differ between
two cases and stay the same for one case across runs, while the case goes on:

- a `case_ref` (the caseworker's pseudonymous file number) names the case on its own;
- else the scenario file's absolute path, the person (pseudonym, birth date or age, every fact
  the workflow records) and the case's first event (its moment, name and fields). Later events
  are left out on purpose: adding one must keep the UIDs, so the calendar updates its events.

The title and the alias alone are never enough: two clients of one caseworker may well both be
"Client" in a case titled "Timeline for Client".
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from casepath.scenario import Scenario


def key(scenario: Scenario) -> str:
    """A short digest naming the case (no personal data can be read back from it)."""
    if scenario.case_ref is not None:
        parts: list[Any] = ["case_ref", scenario.workflow, scenario.case_ref]
    else:
        person = scenario.person
        first = scenario.events[0] if scenario.events else None
        parts = [
            "content",
            scenario.workflow,
            _where(scenario.file),
            person.alias,
            person.born,
            person.age,
            sorted(person.facts.items()),
            [first.moment.iso(), first.name, sorted(first.fields.items())] if first else None,
        ]
    text = json.dumps(parts, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _where(file: str | None) -> str | None:
    """The scenario file as an absolute path (the same from any working folder); None when not from a file."""
    if file is None or file.startswith("<"):
        return None
    return os.path.abspath(file)
