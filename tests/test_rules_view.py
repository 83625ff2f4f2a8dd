"""`casepath rules`, `rules --changes` and `explain`: what a student sees, checked against domain.md by hand.

Expected values come from /work/shared/domain.md §5 (rule history), not from the code: the longest
reflection period is 100 days from 2007-08-01 (stated) and 120 days after the 2013 bill (in-force
day not stated; the workflow assumes 2013-07-01).
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from casepath import api, cli, rulesview
from casepath import explain as explaining


@pytest.fixture(scope="module")
def wf():
    return api.load_workflow("denmark")


def flat(text: str) -> str:
    """The text with its line wrapping undone, to find phrases that may wrap."""
    return " ".join(text.split())


def block(text: str, header: str) -> str:
    """The lines of one rule in `casepath rules` output, from its header to the blank line after it."""
    start = text.index(header)
    return text[start : text.index("\n\n", start)]


def test_rules_of_2010_show_the_100_day_maximum_stated_since_2007(wf) -> None:
    text = rulesview.render_rules(rulesview.rules_in_force(wf, date(2010, 6, 1)), wf.spec)
    assert text.startswith("Rules in force on 2010-06-01\n")
    rule = block(text, "Longest reflection period with an extension  [reflection_maximum]")
    assert "    100 days, since 2007-08-01\n" in rule
    assert "assumed" not in rule
    assert "EU page on Denmark (2013), §3 Implementation — Reflection period, para 2" in rule
    # the 2010 rules know no pandemic rule unless asked for; it is listed apart
    assert "8 months" not in rule
    assert "variant 'pandemic'" in text


def test_rules_of_2014_show_120_days_since_an_assumed_2013_07_01(wf) -> None:
    text = rulesview.render_rules(rulesview.rules_in_force(wf, date(2014, 1, 1)), wf.spec)
    rule = block(text, "Longest reflection period with an extension  [reflection_maximum]")
    assert "    120 days, since 2013-07-01 (date assumed)\n" in rule
    assert "Assumption: " in rule  # not confirmed by a source until 2022
    assert "US TIP Report 2023, Protection, para 4" in flat(rule)


def test_rules_as_json(wf) -> None:
    data = json.loads(rulesview.as_json(rulesview.rules_in_force(wf, date(2014, 1, 1))))
    found = {p["id"]: p for p in data["parameters"]}
    assert data["as_of"] == "2014-01-01" and data["date_chosen"] is None
    assert found["reflection_maximum"]["value"] == "120 days"
    assert found["reflection_maximum"]["since"] == "2013-07-01"
    assert found["reflection_maximum"]["date_assumed"] is True
    assert found["reflection_period"] == found["reflection_period"] | {"value": "30 days", "since": "2007-08-01"}
    assert found["reflection_period"]["date_assumed"] is False


def test_without_a_date_today_is_clipped_to_the_last_date_the_sources_describe(wf) -> None:
    view = rulesview.rules_in_force(wf, today=date(2030, 5, 5))
    assert view.as_of == "2022-12-31"  # rules_known_until of denmark.yaml
    assert view.today == "2030-05-05"  # the day the choice was made, as a date, not inside a sentence
    text = rulesview.render_rules(view, wf.spec)
    assert "No date was given. Today (2030-05-05) is after 2022-12-31" in text
    earlier = rulesview.rules_in_force(wf, today=date(2020, 2, 2))
    assert earlier.as_of == "2020-02-02"
    assert "these are the rules in force today" in rulesview.render_rules(earlier, wf.spec)


def test_a_date_after_the_sources_is_answered_with_a_warning(wf) -> None:
    view = rulesview.rules_in_force(wf, date(2024, 1, 1))
    assert view.warnings and "2022-12-31" in view.warnings[0]


def test_the_pandemic_variant_replaces_the_maximum_when_asked_for(wf) -> None:
    text = rulesview.render_rules(rulesview.rules_in_force(wf, date(2021, 1, 1), ("pandemic",)), wf.spec)
    rule = block(text, "Longest reflection period with an extension  [reflection_maximum]")
    assert "8 months, rule variant 'pandemic'" in rule


def test_changes_are_listed_oldest_first_2007_then_2013_then_2022(wf) -> None:
    history = rulesview.rule_history(wf)
    maximum = [(c.date, c.old, c.new, c.date_assumed) for c in history.changes if c.parameter == "reflection_maximum"]
    assert maximum == [("2007-08-01", "30 days", "100 days", False), ("2013-07-01", "100 days", "120 days", True)]
    dates = [c.date for c in history.changes]
    assert dates == sorted(dates)
    text = rulesview.render_history(history, wf.spec)
    first_2007 = text.index("\n2007-08-01\n")
    first_2013 = text.index("Longest reflection period with an extension: 100 days -> 120 days (date assumed)")
    first_2022 = text.index("\n2022-01-01\n")
    assert first_2007 < text.index("\n2013-07-01\n") < first_2013 < first_2022
    assert "  Longest reflection period with an extension: 30 days -> 100 days\n" in text
    assert "Years with changes: 2007 (3), 2008 (1), 2012 (1), 2013 (3), 2022 (5)." in text  # 2007: + extensions exist
    # the variant is not a dated change: it is listed apart
    assert all(c.variant is None for c in history.changes)
    assert [c.variant for c in history.variants] == ["pandemic"]


def test_explain_a_parameter_gives_its_history_and_where_it_is_used(wf) -> None:
    text = explaining.explain(wf, "reflection_maximum")
    assert text.startswith("Longest reflection period with an extension\n")
    assert "A rule whose value changed over time." in text
    history = text[text.index("Since when, and from which source") :]
    assert history.index("100 days, from 2007-08-01") < history.index("120 days, from 2013-07-01 (date assumed)")
    assert "earliest possible: 2013-01-31; a source confirms the value from 2022-01-01" in text
    # the source's address, where it has one (domain.md §7: ft-l129-2013)
    assert "<https://ft.dk/samling/20121/lovforslag/l129/20121_l129_som_fremsat.htm>" in text
    uses = flat(text[text.index("Where the workflow uses it") :])
    assert "“Formally identified as a victim”: from" in uses
    assert "then: set “Latest end an extension could reach”" in uses
    assert "“Asylum finally refused”" in uses
    assert "Deadlines: Latest end an extension could reach" in flat(text)


def test_explain_a_deadline_names_the_rule_and_the_deadlines_it_feeds(wf) -> None:
    text = flat(explaining.explain(wf, "reflection_max_end"))
    assert "Latest end an extension could reach" in text
    assert "“Departure deadline” is never later than “Latest end an extension could reach”" in text
    assert "checks: the event's last day of the extended period is not later than the “Latest end" in text
    assert "Rules: Longest reflection period with an extension" in text


def test_explain_speaks_without_internal_names(wf) -> None:
    """No "pathway.contacted", no "does: set reflection_max_end": what a trainer reads out to a class."""
    for term in ("reflection_maximum", "reflection_max_end", "pathway.extended", "contact_person", "identified"):
        text = re.sub(r"<https?://[^>]*>", "<address>", explaining.explain(wf, term))  # addresses are the sources'
        for internal in ("pathway.", "reflection_max_end", "does:", "_", " -> "):
            assert internal not in text, (term, internal)


def test_an_id_used_by_several_kinds_shows_each(wf) -> None:
    text = explaining.explain(wf, "not_identified")
    assert text.count("(one of 3 things this term names)") == 3
    assert "An event: something that happens in a case." in text
    assert "An outcome: how a case can end." in text and "A state a case can be in." in text
    # two tracks have a state named "extended"; the qualified id picks one
    assert "Detained, detention extended\n" in explaining.explain(wf, "extended")
    assert explaining.explain(wf, "pathway.extended").startswith("Reflection period extended\n")


def test_explain_a_state_says_how_a_case_gets_there_and_leaves(wf) -> None:
    text = flat(explaining.explain(wf, "pathway.extended"))
    arrive = text[text.index("How a case gets here") :]
    assert (
        "“Extension granted”: from “Extension requested, awaiting a decision” to “Reflection period extended”" in arrive
    )
    assert "How a case leaves it" in text and "Rules that test whether a case is in it" in text
    # seen from the state it leaves, an event says only where it leads, once
    assert text.count("“Left Denmark without a prepared return”: to “Left Denmark without a prepared return”") == 1


def test_explain_a_decision_and_an_entitlement(wf) -> None:
    decision = flat(explaining.explain(wf, "maximum_on_decision_day"))
    assert decision.startswith("Which maximum applies to a reflection period")
    assert "“Latest end an extension could reach”: every report that sets it lists this assumption" in decision
    entitlement = flat(explaining.explain(wf, "contact_person"))
    assert "When it applies (any one ground suffices)" in entitlement
    assert "a rule for “A CMM contact person for victims” is in force" in entitlement


@pytest.mark.parametrize(
    ("term", "heading"),
    [
        ("refleksionsperiode", "Reflection period"),  # the Danish label of a rule, in an English session
        ("REFLECTION PERIOD", "Reflection period"),  # a label, in any case
        ("udrejsefrist", "Departure deadline"),  # the Danish label of a deadline
        ("restitutionsperiode", "Recovery period (identified victim with lawful residence)"),  # a label's first word
        ("Departure deadline", "Departure deadline"),
        ("reflection_period", "Reflection period"),  # an id still works
    ],
)
def test_explain_takes_labels_and_danish_terms(capsys, term: str, heading: str) -> None:
    assert cli.main(["explain", term]) == 0
    assert capsys.readouterr().out.startswith(heading + "\n" + "=" * len(heading) + "\n")


def test_explain_without_a_term_lists_what_it_can_explain(capsys) -> None:
    assert cli.main(["explain"]) == 0
    out = capsys.readouterr().out
    groups = ["Rules (values that changed over time)", "Deadlines", "Entitlements", "States of a case"]
    groups.append("Modelling decisions (choices the sources do not make)")
    assert [out.index(f"\n{g}\n") for g in groups] == sorted(out.index(f"\n{g}\n") for g in groups)
    assert "\n  Reflection period\n" in out and "\n  Departure deadline\n" in out
    assert "\n  Recovery period (identified victim with lawful residence) (Stay and pathway)\n" in out
    assert "reflection_period" not in out  # labels, which explain takes as they are
    assert cli.main(["explain", "--lang", "da"]) == 0
    assert "\n  Refleksionsperiode\n" in capsys.readouterr().out


def test_unknown_term_is_one_line_with_a_suggestion_and_exit_2(capsys) -> None:
    assert cli.main(["explain", "reflection_maxmum"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'reflection_maxmum' is not a term or id" in err
    assert "did you mean 'reflection_maximum'" in err
    assert cli.main(["explain", "refleksionsperiod"]) == 2  # a Danish word, misspelt
    assert "did you mean 'refleksionsperiode'" in capsys.readouterr().err


def test_cli_rules_and_changes(capsys) -> None:
    assert cli.main(["rules", "--as-of", "2010-06-01"]) == 0
    assert "    100 days, since 2007-08-01\n" in capsys.readouterr().out
    assert cli.main(["rules", "--changes", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["date"] for c in data["changes"]][:2] == ["2007-08-01", "2007-08-01"]
    assert cli.main(["rules", "--as-of", "2010-02-30"]) == 2
    assert cli.main(["rules", "--variant", "pandmic"]) == 2
    assert "did you mean 'pandemic'?" in capsys.readouterr().err
    assert cli.main(["rules", "--changes", "--as-of", "2010-01-01"]) == 2
