"""`casepath rules`, `rules --changes` and `explain`: what a student sees, checked against domain.md by hand.

Expected values come from /work/shared/domain.md §5 (rule history), not from the code: the longest
reflection period is 100 days from 2007-08-01 (stated) and 120 days after the 2013 bill (in-force
day not stated; the workflow assumes 2013-07-01).
"""

from __future__ import annotations

import json
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
    assert text.startswith("reflection_maximum — parameter")
    assert "Longest reflection period with an extension" in text
    history = text[text.index("History of its values") :]
    assert history.index("100 days, from 2007-08-01") < history.index("120 days, from 2013-07-01 (date assumed)")
    assert "earliest possible: 2013-01-31; a source confirms the value from 2022-01-01" in text
    uses = text[text.index("Where the workflow uses it") :]
    assert "identified on the pathway track" in uses and "does: set reflection_max_end" in uses
    assert "asylum_refused on the pathway track" in uses
    assert "  deadlines: reflection_max_end" in text


def test_explain_a_deadline_names_the_parameter_and_the_deadlines_it_feeds(wf) -> None:
    text = explaining.explain(wf, "reflection_max_end")
    assert "Latest end an extension could reach" in text
    assert "departure_deadline is never later than reflection_max_end" in flat(text)
    assert "check: the event's until is not later than the reflection_max_end" in text
    assert "  parameters: reflection_maximum" in text


def test_an_id_used_by_several_kinds_shows_each(wf) -> None:
    text = explaining.explain(wf, "not_identified")
    assert "not_identified — event (one of 3 things with this id)" in text
    assert "not_identified — outcome (one of 3 things with this id)" in text
    assert "pathway.not_identified — state (one of 3 things with this id)" in text
    # two tracks have a state named "extended"; the qualified id picks one
    assert "detention.extended — state" in explaining.explain(wf, "extended")
    assert "detention" not in explaining.explain(wf, "pathway.extended").splitlines()[0]


def test_explain_a_state_says_how_a_case_gets_there_and_leaves(wf) -> None:
    text = explaining.explain(wf, "pathway.extended")
    arrive = text[text.index("How a case gets here") :]
    assert "extension_granted on the pathway track, from extension_requested -> extended" in arrive
    assert "How a case leaves it" in text and "Rules that test whether a case is in it" in text


def test_explain_a_decision_and_an_entitlement(wf) -> None:
    decision = explaining.explain(wf, "maximum_on_decision_day")
    assert "Which maximum applies to a reflection period" in decision
    assert "deadline reflection_max_end: every report that sets it lists this assumption" in decision
    entitlement = explaining.explain(wf, "contact_person")
    assert "When it applies (any one ground suffices)" in entitlement
    assert "a rule for cmm_contact_person is in force" in flat(entitlement)


def test_unknown_id_is_one_line_with_a_suggestion_and_exit_2(capsys) -> None:
    assert cli.main(["explain", "reflection_maxmum"]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "casepath: 'reflection_maxmum' is not an id in the workflow 'denmark' (did you mean 'reflection_maximum'?)\n"
    )


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
