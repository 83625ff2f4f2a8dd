"""The floor for throughput: a hand-written dictionary state machine for the pathway track only.

It knows no dates, deadlines, entitlements, other tracks or reports: it looks up
(state, event) -> next state and stops at the first event not allowed. It reads the same
`Scenario` objects as the engine, so the ratio engine/baseline is what everything else costs.
"""

from __future__ import annotations

EARLY = ("start", "contacted", "referred")
LEAVING = ("reflection", "extension_requested", "extended", "departure_due", "no_reflection")  # tag:has_to_leave
ANYWHERE = (*EARLY, "with_permission", *LEAVING, "permit")
PATHWAY = {"placed", "residence_permit_refused", "prepared_return_accepted", "prepared_return_declined"}

TABLE: dict[tuple[str, str], str] = {}
for _events, _sources, _target in [
    (["contact"], ["start"], "contacted"),
    (["contact"], ["contacted", "referred"], None),  # None: stays where it is
    (["referred"], ["start", "contacted"], "referred"),
    (["identified"], EARLY, "reflection"),  # without permission to stay
    (["identified_with_permission"], EARLY, "with_permission"),
    (["not_identified"], EARLY, "not_identified"),
    (["asylum_applied", "asylum_refused"], EARLY, None),
    (["asylum_applied"], LEAVING, "with_permission"),
    (["asylum_refused"], ["with_permission"], "reflection"),
    (["asylum_granted"], [*EARLY, "with_permission"], "permit"),
    (["reflection_refused"], ["reflection"], "no_reflection"),
    (["extension_requested"], ["reflection", "extended"], "extension_requested"),
    (["extension_granted"], ["extension_requested"], "extended"),
    (["extension_refused"], ["extension_requested"], "reflection"),
    (["prepared_return_accepted", "prepared_return_declined"], LEAVING, None),
    (["returned"], LEAVING, "returned"),
    (["departed"], ANYWHERE, "departed"),
    (["disappeared"], ANYWHERE[1:], "disappeared"),
    (["removed"], [*EARLY, "departure_due", "no_reflection"], "removed"),
    (["residence_permit_granted"], ANYWHERE, "permit"),
    (["residence_permit_refused", "placed"], ANYWHERE, None),
]:
    for _event in _events:
        PATHWAY.add(_event)
        for _source in _sources:
            TABLE[(_source, _event)] = _target or _source


def run(scenario) -> str:
    """The pathway state after the scenario's events (or before the first one not allowed)."""
    state = "start"
    permitted = scenario.person.facts.get("residence") != "undocumented"
    for event in scenario.events:
        name = event.name
        if name not in PATHWAY:
            continue  # another track's event
        if permitted and name == "identified":
            name = "identified_with_permission"
        next_state = TABLE.get((state, name))
        if next_state is None:
            break
        state = next_state
    return state
