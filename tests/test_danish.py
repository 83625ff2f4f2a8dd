"""Danish as well as English: every workflow text and every fixed text of the reports has a translation."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from casepath import api, locale, render, status, yamlfile
from casepath.problems import InputProblem
from casepath.render import html
from casepath.workflow import load as workflow_load
from casepath.workflow import translation

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "workflows" / "denmark.yaml"
EXAMPLE = ROOT / "examples" / "dis-undocumented-prepared-return.yaml"
SOURCES = ROOT / "src" / "casepath"
# Modules whose fixed texts reach a report; their literal calls of tr(), translate() and heading() are checked.
USING_THE_CATALOG = [
    "render/text.py",
    "render/markdown.py",
    "render/common.py",
    "render/sweep.py",
    "wording.py",
    "locale/__init__.py",
    "citations.py",
    "workflow/registry.py",
    "workflow/rulebook.py",
    "render/html.py",
    "render/timechart.py",
    "render/diagram.py",
    "walk.py",
    "compare.py",
    "rulesview.py",
    "explain.py",
    "render/agenda.py",
    "graph.py",
    "render/ics.py",
]
TEMPLATES = SOURCES / "render" / "templates"


def _danish_texts() -> dict[str, str]:
    return translation.read(translation.file_for(WORKFLOW, "da"), yamlfile.load(WORKFLOW), "da")


def test_every_text_of_the_workflow_has_a_danish_translation():
    # Fails when a label, note or message is added to denmark.yaml without a line in denmark.da.yaml.
    assert translation.missing(yamlfile.load(WORKFLOW), _danish_texts()) == []


def test_ids_stay_and_texts_change():
    english, danish = api.load_workflow("denmark"), api.load_workflow("denmark", lang="da")
    assert danish.lang == "da" and english.lang == "en"
    assert list(danish.spec.tracks) == list(english.spec.tracks)
    assert danish.spec.deadlines["departure_deadline"].label == "Udrejsefrist"
    assert danish.spec.tracks["pathway"].states["extended"].label == "Forlænget refleksionsperiode"
    assert danish.spec.sources["eu-dk"].title == english.spec.sources["eu-dk"].title  # documents keep their titles
    assert api.load_workflow("denmark", lang="da") is danish  # cached per workflow and language
    assert "denmark.da" not in workflow_load.builtin_names()


def _fixed_texts() -> set[str]:
    found = set(locale.FIXED)
    for name in USING_THE_CATALOG:
        for node in ast.walk(ast.parse((SOURCES / name).read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called in ("t", "tr", "_tr", "translate", "heading") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    found |= set(status.WORDS)  # statuses: one table, then translated
    # The HTML template's {{ tr("...") }} (a long text may be wrapped there: the key has single spaces)
    # and the step-through script's t("...").
    template = (TEMPLATES / "report.html.j2").read_text(encoding="utf-8")
    found |= {" ".join(text.split()) for text in re.findall(r'\btr\("([^"]*)"', template)}
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    found |= set(html.SCRIPT_TEXT.findall(script))
    return found


def test_the_danish_catalog_has_every_fixed_text_and_nothing_else():
    catalog = locale.catalog("da")
    used = _fixed_texts()
    assert "What happened" in used and "Saturday" in used  # the collection itself works
    assert {"Previous", "Tracks", "Time line of the case", "no longer applies", "MISSED"} <= used  # template, script
    assert sorted(used - set(catalog)) == []
    assert sorted(set(catalog) - used) == []
    for english, danish in catalog.items():  # the same placeholders, maybe in another order
        assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", danish)), english


def _report(lang: str, format: str = "text") -> str:
    scenario = api.load_scenario(EXAMPLE)
    workflow = api.load_workflow("denmark", lang=lang)
    return render.render_all(format, [(api.simulate(scenario, workflow), workflow)], single=True)


ENGLISH_HEADINGS = [
    "What happened",
    "Where the case stands",
    "Deadlines",
    "Entitlements",
    "Assumptions this report relies on",
    "Source documents",
    "How:",
    "Note:",
    "Sources:",
    "upcoming",
    "MISSED",
    "is a Saturday",
    "offices are closed",
    "not counting that first day",
    "Modelling decision",
    "Stay and pathway",
    "Departure deadline",
]


def test_a_danish_text_report_speaks_danish():
    text = _report("da")
    for word in ("Refleksionsperiode", "Udrejsefrist", "lørdag", "Hvad der er sket", "Frister", "Nytårsdag"):
        assert word in text, word
    # 2022-03-10 + 30 days = 2022-04-09, a Saturday; the Friday before is 2022-04-08.
    flat = " ".join(text.split())
    assert "2022-04-09 er en lørdag: kontorerne er lukket" in flat
    assert "den sidste arbejdsdag før den er fredag 2022-04-08" in flat
    for english in ENGLISH_HEADINGS:
        assert english not in text, english


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_in_danish_text_and_markdown_has_no_english_ui(example):
    scenario, english = api.load_scenario(example), api.load_workflow("denmark")
    danish = api.in_language(english, "da")
    report = api.simulate(scenario, danish)
    for format in ("text", "markdown"):
        out = render.render_all(format, [(report, danish)], single=True)
        for phrase in [*ENGLISH_HEADINGS, "(none)", "(continuing)", " until ", "date assumed", "Saturday", "Sunday"]:
            assert phrase not in out, (format, phrase)


def test_danish_and_english_reports_have_the_same_dates_and_ids():
    english, danish = (json.loads(_report(lang, "json")) for lang in ("en", "da"))

    def skeleton(report: dict) -> dict:
        return {
            "outcome": report["outcome"],
            "states": report["states"],
            "events": [(e["date"], e["event"], e["from"], e["to"]) for e in report["events"]],
            "deadlines": [(d["id"], d["due"], d["status"], d["set_on"]) for d in report["deadlines"]],
            "entitlements": [(e["id"], e["from"], e["until"]) for e in report["entitlements"]],
            "assumptions": [a["parameter"] for a in report["assumptions"]],
        }

    assert skeleton(danish) == skeleton(english)
    assert [d["due"] for d in danish["deadlines"]] == [
        "2022-04-09", "2022-04-09", "2022-04-09", "2022-07-08", "2022-07-08", "2023-01-01"
    ]  # fmt: skip
    assert danish["deadlines"][0]["label"] == "Refleksionsperiodens sidste dag"
    assert english["deadlines"][0]["label"] == "Last day of the reflection period"


def test_an_unknown_key_in_the_translation_file_is_one_line_with_file_line_and_place(tmp_path):
    folder = tmp_path / "wf"
    folder.mkdir()
    (folder / "denmark.yaml").write_text(WORKFLOW.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "denmark.da.yaml").write_text(
        "casepath_translation: 1\nlang: da\ntexts:\n  tracks.pathway.label: Ophold og forløb\n"
        "  deadlines.reflection_ends.label: Refleksionsperiodens sidste dag\n",
        encoding="utf-8",
    )
    with pytest.raises(InputProblem) as caught:
        api.load_workflow(folder / "denmark.yaml", lang="da")
    message = str(caught.value)
    assert message.startswith(f"{folder / 'denmark.da.yaml'}:5: texts.deadlines.reflection_ends.label: ")
    assert "did you mean 'deadlines.reflection_end.label'" in message
    assert "\n" not in message


def test_a_translation_must_keep_placeholders(tmp_path):
    (tmp_path / "denmark.yaml").write_text(WORKFLOW.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "denmark.da.yaml").write_text(
        "casepath_translation: 1\nlang: da\ntexts:\n"
        "  transitions.detention_limit_reached.do.detention_limit_reached.text: Grænsen blev nået.\n",
        encoding="utf-8",
    )
    with pytest.raises(InputProblem, match=r"denmark.da.yaml:4: .*placeholders of the English text \(\{date\}\)"):
        api.load_workflow(tmp_path / "denmark.yaml", lang="da")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casepath", *args], capture_output=True, text=True, cwd=ROOT)


def test_an_unknown_language_is_exit_2_with_one_line():
    done = _cli("simulate", str(EXAMPLE), "--lang", "xx")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "casepath: --lang: unknown language 'xx' (casepath speaks: da, en)\n"


def test_the_command_line_speaks_danish():
    done = _cli("simulate", str(EXAMPLE), "--lang", "da")
    assert done.returncode == 0, done.stderr
    assert "Udrejsefrist [overholdt]" in done.stdout
    done = _cli("timeline", "--identified", "2022-03-10", "--residence", "undocumented", "--lang", "da")
    assert "2022-04-09                Refleksionsperiodens sidste dag [løber]" in done.stdout
    done = _cli("graph", "--lang", "da")
    assert '"Forlænget refleksionsperiode"' in done.stdout
    done = _cli("explain", "departure_deadline", "--lang", "da")
    assert "Udrejsefrist" in done.stdout


def test_the_html_page_can_put_the_catalog_words_in_as_they_are():
    # The template takes a catalog text as markup (so English keeps its bytes): no translation may hold markup.
    template = (TEMPLATES / "report.html.j2").read_text(encoding="utf-8")
    for english in {" ".join(text.split()) for text in re.findall(r'\btr\("([^"]*)"', template)}:
        assert not re.search(r'[<>&"]', locale.translate(english, "da")), english


def test_compare_rules_and_explain_speak_danish():
    done = _cli("compare", str(EXAMPLE), "--as-of", "2012-01-01", "--lang", "da")
    assert done.returncode == 0, done.stderr
    for said in ("Hvad der er forskelligt", "Ens i alle kørsler", "regler pr. 2012-01-01", "egne datoer"):
        assert said in done.stdout, said
    # Under the 2012 rules the maximum is 100 days: 2022-03-10 + 100 days = 2022-06-18, passed on return.
    assert "Udrejsefrist                   2022-06-18 OVERSKREDET     2022-07-08 overholdt" in done.stdout
    for english in ("What differs", "The same in every run", "own dates", "rules of "):
        assert english not in done.stdout, english
    done = _cli("rules", "--as-of", "2013-03-01", "--lang", "da")
    assert done.stdout.startswith("Regler, der gjaldt den 2013-03-01\n")
    assert "    30 dage, siden 2007-08-01\n" in done.stdout
    done = _cli("rules", "--changes", "--lang", "da")
    assert "\nHvor historikken begynder\n" in done.stdout and "\nÆndringer\n" in done.stdout
    done = _cli("explain", "reflection_period", "--lang", "da")
    assert done.stdout.startswith(
        "Refleksionsperiode\n==================\nEn regel, hvis værdi har ændret sig over tid.\n"
    )
    assert "Siden hvornår, og fra hvilken kilde (ældste først)" in done.stdout


def test_translations_are_keyed_by_stable_ids_not_positions(tmp_path):
    """Swapping two transitions must keep each Danish note with its own transition."""
    import yaml

    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    transitions = data["transitions"]
    first = next(i for i, t in enumerate(transitions) if t["id"] == "identified_without_permission")
    second = next(i for i, t in enumerate(transitions) if t["id"] == "identified_with_permission")
    transitions[first], transitions[second] = transitions[second], transitions[first]
    (tmp_path / "denmark.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp_path / "denmark.da.yaml").write_text(
        WORKFLOW.with_name("denmark.da.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    workflow = api.load_workflow(tmp_path / "denmark.yaml", lang="da")
    notes = {t.id: t.note for t in workflow.spec.transitions}
    # The Danish texts of denmark.da.yaml, as a Dane wrote them for each of the two transitions:
    without, with_ = notes["identified_without_permission"], notes["identified_with_permission"]
    assert without.startswith("Identificeret under ulovligt ophold, så refleksionsperioden begynder.")
    assert with_.startswith("Identificeret med ret til ophold, så ingen refleksionsperiode løber nu.")


def test_a_positional_translation_key_is_refused(tmp_path):
    (tmp_path / "denmark.yaml").write_text(WORKFLOW.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "denmark.da.yaml").write_text(
        "casepath_translation: 1\nlang: da\ntexts:\n  transitions[4].note: Identificeret.\n", encoding="utf-8"
    )
    with pytest.raises(InputProblem, match=r"denmark.da.yaml:4: .*no translatable text at this place"):
        api.load_workflow(tmp_path / "denmark.yaml", lang="da")


def test_a_text_in_a_list_needs_a_stable_name(tmp_path):
    text = WORKFLOW.read_text(encoding="utf-8")
    text = text.replace("  - id: identified_without_permission\n    event:", "  - event:")
    (tmp_path / "denmark.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputProblem) as caught:
        api.load_workflow(tmp_path / "denmark.yaml")
    assert "transitions[" in str(caught.value) and "id" in str(caught.value)


def test_two_entries_of_a_list_cannot_share_a_name(tmp_path):
    text = WORKFLOW.read_text(encoding="utf-8").replace(
        "  - id: identified_with_permission\n", "  - id: identified_without_permission\n"
    )
    (tmp_path / "denmark.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputProblem, match="'identified_without_permission' names two entries of this list"):
        api.load_workflow(tmp_path / "denmark.yaml")
