"""A strict check of the iCalendar files casepath writes, shared by the calendar tests.

Two parsers read every file: `icalendar` (what casepath writes with) and `vobject` with
`validate=True` (an independent reader that refuses a VEVENT without UID or DTSTAMP, bad
property values and malformed lines). On top, the RFC 5545 rules neither enforces: CRLF line
ends, lines of at most 75 octets, balanced BEGIN/END, at least one component in the calendar,
one UID / DTSTAMP / DTSTART per event, UIDs unique in the file, an absolute TRIGGER written as a
UTC DATE-TIME.
"""

from __future__ import annotations

import re

import vobject
from icalendar import Calendar


def strict(text: str) -> Calendar:
    """Check `text` strictly and return it parsed by icalendar."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text[:-2].split("\r\n")
    for line in lines:
        assert len(line.encode("utf-8")) <= 75, line  # RFC 5545 §3.1: fold longer lines
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", line), line
    unfolded = re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]
    stack: list[str] = []
    children: dict[int, int] = {}
    props: list[dict[str, int]] = []
    for line in unfolded:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        if name == "BEGIN":
            children[len(stack)] = children.get(len(stack), 0) + 1
            stack.append(line.split(":", 1)[1])
            children[len(stack)] = 0
            props.append({})
        elif name == "END":
            kind = line.split(":", 1)[1]
            assert stack and stack[-1] == kind, (stack, line)
            found = props.pop()
            if kind == "VEVENT":
                for required in ("UID", "DTSTAMP", "DTSTART"):
                    assert found.get(required) == 1, (required, found)
            if kind == "VCALENDAR":
                assert found.get("VERSION") == 1 and found.get("PRODID") == 1
                assert children[1] >= 1, "RFC 5545 §3.6: a calendar holds at least one component"
            stack.pop()
        else:
            props[-1][name] = props[-1].get(name, 0) + 1
            if name == "TRIGGER" and ";VALUE=DATE-TIME" in line.split(":", 1)[0]:
                assert re.fullmatch(r"\d{8}T\d{6}Z", line.split(":", 1)[1]), line
    assert stack == []
    parsed = vobject.readOne(text, validate=True)
    uids = [str(event.uid.value) for event in getattr(parsed, "vevent_list", [])]
    assert len(uids) == len(set(uids)), "UIDs must be unique in a calendar"
    return Calendar.from_ical(text)
