"""Checking a report against a scenario's `expect:` block, as `casepath test` does."""

from __future__ import annotations

from datetime import date, datetime

from casepath.report import Report
from casepath.scenario import Expectations


def _when(text: str) -> date | datetime | str:
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return text


def mismatches(report: Report, expect: Expectations) -> list[str]:
    """Each expectation that does not hold, as "what: expected X, got Y"."""
    out: list[str] = []
    if expect.outcome is not None and report.outcome != expect.outcome:
        out.append(f"outcome: expected {expect.outcome}, got {report.outcome}")
    got_error = report.error.code if report.error else None
    if got_error != expect.error:
        detail = f" ({report.error.message})" if report.error else ""
        out.append(f"error: expected {expect.error or 'none'}, got {got_error or 'none'}{detail}")
    for deadline_id, due in expect.deadlines.items():
        last = report.last_deadline(deadline_id)
        if last is None:
            out.append(f"deadline {deadline_id}: expected {due}, got none")
        elif _when(last.due) != _when(str(due)):
            out.append(f"deadline {deadline_id}: expected {due}, got {last.due}")
    for deadline_id in expect.deadlines_absent:
        last = report.last_deadline(deadline_id)
        if last is not None:
            out.append(f"deadline {deadline_id}: expected none, got {last.due}")
    have = {e.id for e in report.entitlements}
    for entitlement in expect.entitlements:
        if entitlement not in have:
            out.append(f"entitlement {entitlement}: expected, got none")
    for entitlement in expect.entitlements_absent:
        if entitlement in have:
            out.append(f"entitlement {entitlement}: expected none, got it")
    if expect.assumptions is not None and bool(report.assumptions) != expect.assumptions:
        out.append(f"assumptions: expected {'some' if expect.assumptions else 'none'}, got {len(report.assumptions)}")
    return out
