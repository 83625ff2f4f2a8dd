# ruff: noqa: E501  (a mutant quotes the exact text it replaces, however long the line)
"""The rule mutants `scripts/mutate` applies, one at a time (issue 15).

Each mutant is a deliberate wrong rule: a file, the exact text it replaces (the first occurrence
after `after`, when given, else the only occurrence), the new text, and why the new rule would be
wrong. A mutant the tests cannot catch because it changes nothing a user could see is marked
`equivalent` with the reason; the score leaves those out. Keep the list readable: one idea each.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    old: str
    new: str
    why: str
    after: str | None = None
    equivalent: str | None = None


SIM = "src/casepath/simulator.py"
CASE = "src/casepath/case.py"
CLOCK = "src/casepath/clock.py"
REG = "src/casepath/workflow/registry.py"
BOOK = "src/casepath/workflow/rulebook.py"
EXPECT = "src/casepath/expectations.py"
DK = "workflows/denmark.yaml"

MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------------ engine: time and status
    Mutant(
        "status-passed-strict", SIM,
        "clock.has_run_out(record.due, judged, self.wf.zone)",
        "clock.expiry(record.due, self.wf.zone) < judged",
        "a deadline reported passed only from the instant after it (issue 15: `<` for `<=`)",
    ),
    Mutant(
        "status-all-passed-missed", SIM,
        "return self._if_passed[record.id]",
        "return Status.MISSED",
        "every passed deadline reads MISSED, even a period's end with nothing owed (expired)",
    ),
    Mutant(
        "status-met-judged-by-date", SIM,
        "        if record.settled is not None:\n            return record.settled",
        "        if record.settled is not None and record.settled is not Status.MET:\n            return record.settled",
        "a deadline met in time turns expired/missed when judged --on a later day",
    ),
    Mutant(
        "on-ignored", SIM,
        "        if on is not None and run.error is None:\n            self.look_at(run, on)",
        "        if False:\n            self.look_at(run, on)",
        "--on no longer lets the clock run: deadlines judged on the last event, no automatic steps",
    ),
    Mutant(
        "timer-day-fires-late", SIM,
        "return instant < limit or (instant == limit and (is_day or until.at is None))",
        "return instant < limit",
        "a day-deadline's automatic step is not taken before a date-only event on the next day",
    ),
    Mutant(
        "timer-ends-on-event-day", SIM,
        "ends_on = moment.day - clock.ONE_DAY if is_day else moment.day",
        "ends_on = moment.day",
        "offers that end when a day-deadline passes would last one day too long",
    ),
    Mutant(
        "no-recount-on-rule-change", SIM,
        "if self._recounted and case.rules_as_of is None:",
        "if False and self._recounted and case.rules_as_of is None:",
        "the longest reflection end is not counted again when the maximum changes during the period",
    ),
    Mutant(
        "entitlement-not-capped", "src/casepath/wording.py",
        "if record is not None and record.settled is not Status.REPLACED:",
        "if False:",
        "reintegration support shown without its last day (no `until`)",
    ),
    Mutant(
        "events-out-of-order-accepted", SIM,
        "if moment.is_before(previous.moment):",
        "if False:",
        "events dated before the one above them are applied, in the wrong order",
    ),
    Mutant(
        "entitlement-basis-change-unseen", SIM,
        "if bases is None and rule in settled_before and settled_before[rule][0] is fixed[0]:",
        "if bases is None and rule in settled_before and (settled_before[rule][0] is None) is (fixed[0] is None):",
        "a rule still in force but on another basis is not looked at: the new basis's sources, past their last day, go unnoted",
    ),
    Mutant(
        "entitlement-sources-end-unwatched", SIM,
        "                    rules = fuller  # a rule in force is used past its sources' last day for the first time",
        "                    pass",
        "a rule in force whose sources stop while the states stay is never noted as assumed still in force",
    ),
    Mutant(
        "entitlement-fact-answers-stale", SIM,
        "            key += tuple(answers)",
        "            key += case.entitlements_checked[0][len(case.states) :] if case.entitlements_checked else tuple(answers)",
        "a rule a fact test settles does not follow the fact when a step sets it and moves no track",
    ),
    Mutant(
        "transition-checks-skipped", SIM,
        "        for transition in chosen:\n            for check in transition.checks:",
        "        for transition in ():\n            for check in transition.checks:",
        "a transition's checks (the maximum, an extension ending before the period) are not made",
    ),
    Mutant(
        "entitlement-end-is-step-day", SIM,
        "                case.closed_entitlements.append(EntitlementPeriod(rule, period.start, period.sources, ends_on))",
        "                case.closed_entitlements.append(EntitlementPeriod(rule, period.start, period.sources, moment.day))",
        "an offer ended by a day-deadline is shown to last into the day after its last day",
    ),
    Mutant(
        "has-passed-strict", CASE,
        "return clock.has_run_out(due, self.moment.instant(zone), zone)",
        "return clock.expiry(due, zone) < self.moment.instant(zone)",
        "the deadline_passed guard strict at the exact instant (issue 15: seen only by explore)",
    ),
    Mutant(
        "age-lower-on-birthday", CASE,
        "((day.month, day.day) < (birth.month, birth.day))",
        "((day.month, day.day) <= (birth.month, birth.day))",
        "age one year lower on the birthday itself (a child placement accepted on the 18th birthday)",
    ),
    Mutant(
        "age-only-earliest-birthday", CASE,
        "self.first_day - relativedelta(years=self.age_at_start))",
        "self.first_day - relativedelta(years=self.age_at_start + 1) + timedelta(days=1))",
        "an age-only person taken at the earliest birthday consistent with it: older than stated",
    ),
    Mutant(
        "run-out-day-strict", CLOCK,
        "    return expiry(due, zone) <= instant",
        "    return expiry(due, zone) < instant",
        "a day deadline still open at the first instant of the next day (an act then reads in time)",
    ),
    Mutant(
        "run-out-hour-at-instant", CLOCK,
        "        return due < instant",
        "        return due <= instant",
        "a release at the very minute of a detention limit reads missed (held 72 hours is within 72)",
    ),
    Mutant(
        "met-after-it-ran-out", CASE,
        "if status is Status.CANCELLED or not ran_out:",
        "if True:",
        "an act done after the deadline passed is recorded as met (a late departure reads met)",
    ),
    Mutant(
        "close-ignores-time", CASE,
        "ran_out = record.ran_out or clock.has_run_out(record.due, self.moment.instant(zone), zone)",
        "ran_out = record.ran_out",
        "an act after a deadline without an automatic step (extension_request_by) still reads met",
    ),
    Mutant(
        "replaced-not-after-ran-out", CASE,
        "if previous is not None and previous.settled is None:",
        "if previous is not None and previous.settled is None and not previous.ran_out:",
        "a passed deadline that is replaced is no longer marked replaced (issue 15)",
    ),
    Mutant(
        "rules-date-ignores-as-of", CASE,
        "self.rules_date = case.rules_as_of or moment.day",
        "self.rules_date = moment.day",
        "--as-of / rules_as_of no longer apply the rules of that date to the events",
    ),
    Mutant(
        "day-deadline-expires-at-its-start", CLOCK,
        "return start_of_day(due + ONE_DAY, zone)",
        "return start_of_day(due, zone)",
        "a day-deadline passes at the first instant of its own last day",
    ),
    Mutant(
        "days-count-first-day", CLOCK,
        "return timedelta(days=amount)",
        "return timedelta(days=amount - 1)",
        "the starting day counted: 30 days from 2022-03-10 would end 2022-04-08",
    ),
    Mutant(
        "hours-in-wall-clock", CLOCK,
        "begin = start.instant(zone).astimezone(UTC)",
        "begin = start.instant(zone)",
        "hours counted on the wall clock: 72 hours across a daylight-saving change off by one hour",
    ),
    Mutant(
        "leap-birthday-28-february", CLOCK,
        "return date(born.year + years, 3, 1)",
        "return date(born.year + years, 2, 28)",
        "someone born on 29 February treated as 18 on 28 February of a common year (a day too early)",
    ),
    Mutant(
        "last-working-day-weekends-only", CLOCK,
        "    while is_closed(candidate, calendar):",
        "    while candidate.weekday() >= 5:",
        "the 'last working day before it' skips weekends only, not holidays and closed office days",
    ),
    Mutant(
        "no-half-days", CLOCK,
        "return rule is not None and rule.half_day",
        "return False",
        "Constitution Day (offices close at noon) reported as fully closed",
    ),
    Mutant(
        "moment-same-day-before", CLOCK,
        "return self.day < other.day",
        "return self.day <= other.day",
        "two date-only events on the same day refused as out of order",
    ),
    # ------------------------------------------------------------------ engine: rule history
    Mutant(
        "rule-in-force-day-after", BOOK,
        "if _starts(numbered[1]) <= on:",
        "if _starts(numbered[1]) < on:",
        "a rule applied only from the day after it came into force (100 days on 2007-08-01 missed)",
    ),
    Mutant(
        "certain-from-edge", BOOK,
        "(entry.certain_from is None or on < entry.certain_from)",
        "(entry.certain_from is None or on <= entry.certain_from)",
        "an assumption listed on the day from which the value is certain",
    ),
    Mutant(
        "not-before-edge", BOOK,
        "if earliest is not None and on >= earliest:",
        "if earliest is not None and on > earliest:",
        "on the first day a later rule could have applied, its uncertainty is not listed",
    ),
    Mutant(
        "described-until-edge", BOOK,
        "entry.described_until is not None and on > entry.described_until",
        "entry.described_until is not None and on >= entry.described_until",
        "a rule called 'assumed still in force' on the last day its source describes",
    ),
    Mutant(
        "still-in-force-edge", BOOK,
        "if until is None or on <= until:",
        "if until is None or on < until:",
        "a rule used on the last day its sources describe is called assumed still in force",
    ),
    Mutant(
        "variant-ignored", BOOK,
        "special = [p for p in variant_values if p[1].variant in variants and _starts(p[1]) <= on] if variants else []",
        "special = []",
        "--variant pandemic no longer gives the 8 months",
    ),
    # ------------------------------------------------------------------ engine: guards
    Mutant(
        "extension-until-max-refused", REG,
        "return given <= clock.due_day(record.due)",
        "return given < clock.due_day(record.due)",
        "an extension to exactly the maximum refused as beyond it",
    ),
    Mutant(
        "extension-equal-to-period-refused", REG,
        "return given >= clock.due_day(record.due)",
        "return given > clock.due_day(record.due)",
        "an extension ending on the period's own last day refused",
    ),
    Mutant(
        "permit-ending-on-grant-day-refused", REG,
        "return given is None or given >= step.moment.day",
        "return given is None or given > step.moment.day",
        "a permit ending on the day it is granted refused",
    ),
    Mutant(
        "unknown-age-is-a-child", REG,
        "return age is not None and age < args.years",
        "return age is None or age < args.years",
        "a person of unknown age treated as a child",
    ),
    Mutant(
        "false-param-in-force", REG,
        "return value is not None and value is not False",
        "return value is not None",
        "a rule whose value is 'no' counts as in force (equal assistance in 2015, extensions in 2006)",
    ),
    # ------------------------------------------------------------------ engine: casepath test
    Mutant(
        "expect-outcome-ignored", EXPECT,
        "if expect.outcome is not None and report.outcome != expect.outcome:",
        "if False:",
        "`casepath test` passes a scenario whose outcome is wrong",
    ),
    Mutant(
        "expect-deadline-date-ignored", EXPECT,
        "elif _when(last.due) != _when(str(due)):",
        "elif False:",
        "`casepath test` ignores a wrong deadline date (issue 15)",
    ),
    Mutant(
        "expect-missing-deadline-ignored", EXPECT,
        "        if last is None:\n            out.append(f\"deadline {deadline_id}: expected {due}, got none\")\n        elif",
        "        if last is None:\n            pass\n        elif",
        "`casepath test` passes when an expected deadline is missing",
    ),
    Mutant(
        "expect-absent-deadline-ignored", EXPECT,
        "        if last is not None:\n            out.append(f\"deadline {deadline_id}: expected none, got {last.due}\")",
        "        if False:\n            out.append(f\"deadline {deadline_id}: expected none, got {last.due}\")",
        "`casepath test` passes when a deadline that should be absent is there",
    ),
    Mutant(
        "expect-missing-entitlement-ignored", EXPECT,
        "        if entitlement not in have:",
        "        if False:",
        "`casepath test` ignores a missing entitlement (issue 15)",
    ),
    Mutant(
        "expect-absent-entitlement-ignored", EXPECT,
        "        if entitlement in have:",
        "        if False:",
        "`casepath test` passes when an entitlement that should be absent is there",
    ),
    Mutant(
        "expect-error-ignored", EXPECT,
        "if got_error != expect.error:",
        "if False:",
        "`casepath test` passes a scenario refused with another error than expected",
    ),
    Mutant(
        "expect-assumptions-ignored", EXPECT,
        "if expect.assumptions is not None and bool(report.assumptions) != expect.assumptions:",
        "if False:",
        "`casepath test` passes a report with assumptions when none were expected",
    ),
    # ------------------------------------------------------------------ workflow: entitlements
    Mutant(
        "safe-accommodation-not-in-permit", DK,
        "sets: [allowed_to_stay]",
        "states: [with_permission, recovery]",
        "safe accommodation no longer applies with a residence permit (issue 15)",
        after="  safe_accommodation:\n",
    ),
    Mutant(
        "safe-accommodation-not-in-recovery", DK,
        "sets: [allowed_to_stay]",
        "states: [with_permission, permit]",
        "safe accommodation not offered in the recovery period (cmm-reflection)",
        after="  safe_accommodation:\n",
    ),
    Mutant(
        "safe-accommodation-not-during-proceedings", DK,
        "{guard: in_state, track: pathway, states: [proceedings_stay]}",
        "{guard: in_state, track: pathway, states: [proceedings_over]}",
        "accommodation stops when she stays for the proceedings (domain.md §8.3)",
        after="  safe_accommodation:\n",
    ),
    Mutant(
        "legal-counselling-not-in-permit", DK,
        "sets: [allowed_to_stay]",
        "states: [with_permission, recovery]",
        "legal counselling no longer applies with a residence permit (issue 15)",
        after="  legal_counselling:\n",
    ),
    Mutant(
        "legal-counselling-before-equal-assistance", DK,
        "          - {guard: param_in_force, parameter: equal_assistance}\n",
        "",
        "legal counselling for a lawful resident in 2015, before equal assistance (issue 15)",
        after="  legal_counselling:\n",
    ),
    Mutant(
        "health-care-not-in-recovery", DK,
        "sets: [allowed_to_stay]",
        "states: [with_permission, permit]",
        "health care not offered in the recovery period",
        after="  health_care:\n",
    ),
    Mutant(
        "psychological-not-during-reflection", DK,
        "- when: [{guard: in_state, track: pathway, tags: [reflection]}]",
        "- when: [{guard: in_state, track: pathway, tags: [has_to_leave]}]",
        "psychological help offered after the period ran out (the reflection tag widened to has_to_leave)",
        after="  psychological_assistance:\n",
    ),
    Mutant(
        "contact-person-before-2022", DK,
        "          - {guard: in_state, track: pathway, tags: [reflection]}\n"
        "          - {guard: param_in_force, parameter: cmm_contact_person}\n",
        "          - {guard: in_state, track: pathway, tags: [reflection]}\n",
        "a CMM contact person shown for a 2015 reflection period, which the sources do not describe",
        after="  contact_person:\n",
    ),
    Mutant(
        "stay-for-proceedings-any-permit", DK,
        "- {guard: fact_in, fact: permit_kind, values: [criminal_proceedings]}",
        "- {guard: fact_in, fact: permit_kind, values: [criminal_proceedings, humanitarian]}",
        "a humanitarian permit shown as a stay for criminal proceedings",
        after="  stay_for_proceedings:\n",
    ),
    Mutant(
        "reintegration-without-programme", DK,
        "          - {guard: in_state, track: pathway, states: [returned]}\n"
        "          - {guard: param_in_force, parameter: reintegration_period}\n",
        "          - {guard: in_state, track: pathway, states: [returned]}\n",
        "reintegration support shown for a return in 2006, before the programme",
        after="  reintegration_support:\n",
    ),
    # ------------------------------------------------------------------ workflow: values and dates
    Mutant(
        "max-120-is-110", DK, "value: 120 days", "value: 110 days",
        "the maximum after 2013 is 120 days (eu-dk:288), not 110",
    ),
    Mutant(
        "max-120-from-august", DK, "        from: 2013-07-01\n        certainty: assumed\n        not_before: 2013-01-31\n        certain_from: 2022-01-01\n        note: >-\n          The finance-bill",
        "        from: 2013-08-01\n        certainty: assumed\n        not_before: 2013-01-31\n        certain_from: 2022-01-01\n        note: >-\n          The finance-bill",
        "the assumed in-force day of the 120 days moved a month",
    ),
    Mutant(
        "max-100-is-90", DK, "value: 100 days", "value: 90 days",
        "the 2007 maximum is 100 days (eu-dk:198)",
    ),
    Mutant(
        "extension-before-2007", DK, "        value: true\n        from: 2007-08-01",
        "        value: true\n        from: 2007-07-01",
        "extensions allowed from July 2007, before the act of 1 August 2007 (domain.md §8.1)",
        after="  reflection_extension:\n",
    ),
    Mutant(
        "reintegration-6-months-from-2014", DK, "        value: 6 months\n        from: 2013-01-01",
        "        value: 6 months\n        from: 2014-01-01",
        "the 6 months of reintegration support assumed from 2013-01-01, not 2014",
    ),
    Mutant(
        "reintegration-3-is-4-months", DK, "value: 3 months", "value: 4 months",
        "the IOM programme of 2008 covers 3 months (eu-dk:206)",
    ),
    Mutant(
        "equal-assistance-from-2015", DK, "        value: true\n        from: 2022-01-01",
        "        value: true\n        from: 2015-01-01",
        "equal assistance comes with the 2022-2025 action plan, not 2015",
        after="  equal_assistance:\n",
    ),
    Mutant(
        "ukraine-act-a-day-early", DK, "from: 2022-03-17", "from: 2022-03-16",
        "the special act came into force on 17 March 2022 (althr-2022)",
    ),
    Mutant(
        "detention-48-hours", DK, "value: 72 hours", "value: 48 hours",
        "detention of a potential victim is 72 hours (tip-2023:23)",
    ),
    Mutant(
        "came-of-age-at-17", DK, "    came_of_age: 18", "    came_of_age: 17",
        "the child track ends on the 17th birthday instead of the 18th",
    ),
    Mutant(
        "child-placement-until-19", DK, "      - {guard: age_under, years: 18}\n    do:",
        "      - {guard: age_under, years: 19}\n    do:",
        "an 18-year-old placed in foster care by child protection",
    ),
    Mutant(
        "christmas-eve-23", DK, "      month: 12\n      day: 24", "      month: 12\n      day: 23",
        "offices are closed on 24 December, not 23 (domain.md §8.6)",
    ),
    Mutant(
        "constitution-day-full", DK, "      half_day: true   # offices close at noon", "      half_day: false",
        "on Constitution Day offices close at noon; a full closed day is another warning",
    ),
    Mutant(
        "timezone-london", DK, "  timezone: Europe/Copenhagen", "  timezone: Europe/London",
        "hours are counted in Danish time",
    ),
    # ------------------------------------------------------------------ workflow: statuses
    Mutant(
        "departure-if-passed-expired", DK,
        "    if_passed: missed        # still in Denmark without permission after it",
        "    if_passed: expired",
        "a departure deadline passed while still in Denmark is missed, not expired (§8.7)",
    ),
    Mutant(
        "request-by-if-passed-missed", DK,
        "    if_passed: expired       # a chance not taken; asked for in time, it is met",
        "    if_passed: missed",
        "a chance not taken is expired: nothing was owed (§8.7)",
    ),
    Mutant(
        "reflection-end-if-passed-missed", DK,
        "    if_passed: expired       # a period's end that came",
        "    if_passed: missed",
        "a period's end that came is expired, never missed",
    ),
    Mutant(
        "request-met-becomes-ended", DK,
        "      - {action: close_deadline, id: extension_request_by, status: met}\n"
        "      - {action: set_fact, fact: extension_reason, from_field: reason}\n"
        "      - {action: set_fact, fact: requested_days, from_field: days}\n    sources:",
        "      - {action: close_deadline, id: extension_request_by, status: ended}\n"
        "      - {action: set_fact, fact: extension_reason, from_field: reason}\n"
        "      - {action: set_fact, fact: requested_days, from_field: days}\n    sources:",
        "an extension asked for in time makes extension_request_by met (§8.7), not 'no longer applies'",
    ),
    Mutant(
        "departed-not-met", DK,
        "      - {action: close_deadline, id: departure_deadline, status: met}\n"
        "      - {action: assume, decision: leaving}\n    sources:\n      - {passage: tip-2023",
        "      - {action: close_deadline, id: departure_deadline, status: ended}\n"
        "      - {action: assume, decision: leaving}\n    sources:\n      - {passage: tip-2023",
        "leaving before the departure deadline meets it",
    ),
    Mutant(
        "returned-not-met", DK,
        "      - {action: close_deadline, id: departure_deadline, status: met}\n"
        "      - {action: set_deadline, id: reintegration_support_end",
        "      - {action: close_deadline, id: departure_deadline, status: cancelled}\n"
        "      - {action: set_deadline, id: reintegration_support_end",
        "a prepared return before the departure deadline meets it",
    ),
    Mutant(
        "permit-reflection-end-cancelled", DK,
        # the permit leaves the shared ends_reflection block and closes the three deadlines itself, one wrongly
        "        tags: [present, ends_reflection]\n",
        "        tags: [present]\n"
        "        on_enter:\n"
        "          - {action: close_deadline, id: reflection_end, status: cancelled, decision: reflection_ends_with_case}\n"
        "          - {action: close_deadline, id: extension_request_by, status: ended, decision: reflection_ends_with_case}\n"
        "          - {action: close_deadline, id: reflection_max_end, status: ended, decision: reflection_ends_with_case}\n",
        "a permit ends the running reflection period (ended); nothing was undone (cancelled)",
        after="      permit:\n",
    ),
    Mutant(
        "testifies-departure-keeps-running", DK,
        "      - {action: close_deadline, id: departure_deadline, status: ended, decision: proceedings_stay}\n",
        "",
        "while she stays for the proceedings the departure deadline no longer runs (§8.3)",
    ),
    # ------------------------------------------------------------------ workflow: guards and `from` lists
    Mutant(
        "refused-after-deadline-flipped", DK,
        "      - {guard: deadline_passed, deadline: departure_deadline}",
        "      - {guard: deadline_not_passed, deadline: departure_deadline}",
        "a refusal in time would make her have to leave at once; after the last day, the period back",
    ),
    Mutant(
        "no-extension-check", DK,
        "        guard: param_in_force\n        parameter: reflection_extension",
        "        guard: param_in_force\n        parameter: reflection_period",
        "an extension asked for in 2006 is accepted (domain.md §8.1)",
    ),
    Mutant(
        "max-check-against-departure", DK,
        "        deadline: reflection_max_end\n        error: exceeds_maximum",
        "        deadline: extension_request_by\n        error: exceeds_maximum",
        "an extension's `until` checked against the current period instead of the maximum",
    ),
    Mutant(
        "lawful-resident-no-recovery", DK,
        "      - {guard: fact_in, fact: residence, values: [danish_citizen, eu_citizen, lawful_resident]}",
        "      - {guard: fact_in, fact: residence, values: [danish_citizen, eu_citizen]}",
        "a lawful resident is in the recovery period (cmm-reflection), not 'asylum case pending'",
    ),
    Mutant(
        "refusal-start-not-remembered", DK,
        "      - {action: set_fact, fact: residence, value: undocumented}\n      - {action: mark_date, fact: reflection_start}\n",
        "      - {action: set_fact, fact: residence, value: undocumented}\n",
        "after a final asylum refusal the period starts then, not on the earlier identification",
        after="  - id: asylum_refused_starts_reflection\n",
    ),
    Mutant(
        "departed-not-from-recovery", DK,
        "    from: \"set:still_in_denmark\"\n"
        "    to: departed",
        "    from: [start, contacted, referred, with_permission, \"tag:has_to_leave\", proceedings_stay, permit]\n"
        "    to: departed",
        "a victim in the recovery period can leave Denmark",
    ),
    Mutant(
        "disappeared-not-from-proceedings", DK,
        "    from: [contacted, referred, with_permission, recovery, \"tag:has_to_leave\", proceedings_stay, permit]\n"
        "    to: disappeared",
        "    from: [contacted, referred, with_permission, recovery, \"tag:has_to_leave\", permit]\n"
        "    to: disappeared",
        "a witness staying for the proceedings can disappear",
    ),
    Mutant(
        "removed-not-after-proceedings", DK,
        "    from: [start, contacted, referred, departure_due, no_reflection, proceedings_over]",
        "    from: [start, contacted, referred, departure_due, no_reflection]",
        "after the proceedings she must leave under the ordinary rules: removal is possible",
    ),
    Mutant(
        "passed-deadline-not-from-extended", DK,
        "    event: departure_deadline_passed\n    from: [reflection, extended]",
        "    event: departure_deadline_passed\n    from: [reflection]",
        "the end of an extended period does not move the case to 'must leave'",
    ),
    Mutant(
        "request-again-not-from-extended", DK,
        "    event: extension_requested\n    from: extended",
        "    event: extension_requested\n    from: extension_requested",
        "a partial extension can be extended again up to the maximum",
    ),
    Mutant(
        "proceedings-stay-has-to-leave", DK,
        "tags: [present, victim]",
        "tags: [present, victim, has_to_leave]",
        "while she stays for the proceedings she does not have to leave (domain.md §8.3)",
        after="      proceedings_stay:\n        label: Staying",
    ),
    Mutant(
        "not-a-victim-may-return", DK,
        "             prepared_return_accepted, prepared_return_declined, returned]",
        "             prepared_return_accepted, prepared_return_declined]",
        "someone not identified cannot 'return under a prepared return'",
    ),
    Mutant(
        "removal-during-proceedings", DK,
        "    from: [start, contacted, referred, departure_due, no_reflection, proceedings_over]",
        "    from: [start, contacted, referred, departure_due, no_reflection, proceedings_over, proceedings_stay]",
        "a witness staying for the proceedings cannot be removed (domain.md §8.3)",
    ),
]
