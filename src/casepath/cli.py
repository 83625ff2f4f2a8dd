"""The `casepath` command: simulate, validate and test scenarios (see shared contract).

Exit codes: 0 all ran without breaking a rule (for `test`: every expectation held);
1 a scenario broke a rule or an expectation failed; 2 the input could not be used, with
one line naming the file, the place and the problem. Nothing reaches the user as a
traceback: an unexpected failure is one line too, with exit code 3.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations when the
# command line is parsed, and as text each one would be compiled and evaluated again (~10 ms per run).
import gc
import os
import sys
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from casepath.dates import option_date
from casepath.problems import InputProblem
from casepath.visible import visible

if TYPE_CHECKING:
    from collections.abc import Callable

    from casepath.report import Report
    from casepath.workflow.compiled import CompiledWorkflow

# Each command imports what it needs when it runs: `casepath --help` then starts without
# loading pydantic models, the state machine library or a workflow.
DEFAULT_WORKFLOW = "denmark"

# Options several commands share.
Lang = Annotated[str, typer.Option("--lang", help="Language of the report: en or da.")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of the screen.")]
Force = Annotated[bool, typer.Option("--force", help="Replace --output if it exists.")]
On = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="Look at the case on this day (YYYY-MM-DD, a date-time, or today): the steps due by then are taken "
        "and every deadline's status is judged then. Default: the last event's date.",
    ),
]

CaseRef = Annotated[
    str | None,
    typer.Option(
        "--case-ref",
        metavar="REF",
        help="A pseudonymous file number (e.g. 2023-017) naming the case in agendas and calendars; never a name.",
    ),
]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Step dated trafficking-victim cases through a legal pathway; report deadlines and entitlements "
    "with their sources.",
)


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"
    ics = "ics"


def _as_of(value: str | None) -> date | None:
    return option_date("--as-of", value)


def _on(value: str | None) -> date | datetime | None:
    """`--on DATE|DATE-TIME|today`: the day the case is looked at (today: now, to the minute)."""
    from casepath import dates

    if value is None:
        return None
    if value.strip().lower() == "today":
        return datetime.now().astimezone().replace(second=0, microsecond=0)
    try:
        return dates.read_date_or_time(value)
    except ValueError:
        raise InputProblem(f"--on {value!r} is not a date (write YYYY-MM-DD, YYYY-MM-DDTHH:MM or today)") from None


def _write(output: Path, content: str, force: bool) -> None:
    """Write a whole file or nothing; never replace anything but a regular file, and that only with --force."""
    from casepath import outfile

    outfile.write(output, content, force)


def _check_lang(lang: str) -> str:
    """`--lang`, checked before any work is done (an unknown one is exit 2)."""
    from casepath import locale

    try:
        return locale.check(lang)
    except InputProblem as problem:
        raise InputProblem(f"--lang: {problem.message}") from None


def _problem(problem: InputProblem) -> None:
    typer.echo(f"casepath: {problem}", err=True)


def _out(text: str) -> None:
    """Write to standard output. Control characters other than line ends are written out (see
    casepath.visible), so nothing a file holds can drive the terminal; a full disk or a closed
    output is an input problem (one line, exit 2), a closed pipe ends quietly."""
    from casepath.visible import visible_lines

    stream = sys.stdout
    if stream is None:
        raise InputProblem("standard output is closed: nothing can be written (give --output FILE?)")
    try:
        stream.write(visible_lines(text))
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as err:  # ValueError: writing to a closed file object
        raise _stdout_problem(err) from None


def _echo(text: str) -> None:
    _out(text + "\n")


def _stdout_problem(err: Exception) -> InputProblem:
    detail = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return InputProblem(f"cannot write to standard output ({detail})")


_COLLECTOR_HELD = False
"""True while `run` keeps the cyclic garbage collector off for the start of a command."""


def _begin() -> None:
    """The command's modules are loaded and its work begins: the collector comes back on (see `run`),
    the objects the start made moved out of its reach first (`gc.freeze`, as explore does), so that
    the collections of a long command (a sweep's thousands of runs) do not walk them again."""
    global _COLLECTOR_HELD
    if _COLLECTOR_HELD:
        _COLLECTOR_HELD = False
        gc.freeze()
        gc.enable()


def _notice_empty_calendar(format: Format, reports: "list[Report]") -> None:
    """A calendar of a case with no deadline has no event for it: say so in one line, not silently."""
    if format is not Format.ics:
        return
    for report in reports:
        if not report.deadlines:
            name = report.file if report.file and not report.file.startswith("<") else report.title
            typer.echo(f"casepath: {visible(name)}: no deadline, so the calendar has no event for this case", err=True)


@app.command()
def simulate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Output = None,
    force: Force = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Apply the rules in force on this date (YYYY-MM-DD) to every event.")
    ] = None,
    workflow: Annotated[
        str | None,
        typer.Option("--workflow", "-w", help="Workflow name or file; default: the scenario's own, else denmark."),
    ] = None,
    variant: Annotated[
        list[str] | None, typer.Option("--variant", help="Use a named rule variant (e.g. pandemic).")
    ] = None,
    lang: Lang = "en",
    on: On = None,
) -> None:
    """Run scenarios and report what happened, the deadlines and the entitlements."""
    from casepath import api, render, yamlfile
    from casepath.scenario import from_document
    from casepath.workflow import rulebook

    _begin()

    _check_lang(lang)
    rules_date = _as_of(as_of)
    looked_at = _on(on)
    reports: list[tuple[Report, CompiledWorkflow]] = []
    problems = 0
    for path in files:
        try:
            scenario, compiled = from_document(yamlfile.load(path), workflow)
            variants = tuple(variant or ())
            rulebook.check_variants(compiled.spec, variants)
            compiled = api.in_language(compiled, lang)
            report = api.simulate(
                scenario, compiled, as_of=rules_date, variants=variants, on=looked_at, steps=format is Format.html
            )
        except InputProblem as problem:
            _problem(problem)
            problems += 1
            continue
        reports.append((report, compiled))
    if reports or (format is Format.json and not problems):
        content = render.render_all(format.value, reports, single=len(files) == 1)
        _notice_empty_calendar(format, [report for report, _ in reports])
        if output is not None:
            _write(output, content, force)
        else:
            _out(content)
    if problems:
        raise typer.Exit(2)
    if any(r.error for r, _ in reports):
        raise typer.Exit(1)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario or workflow files.", show_default=False)],
) -> None:
    """Check scenario and workflow files without running them."""
    from casepath import yamlfile
    from casepath.scenario import from_document
    from casepath.workflow import load as workflow_load

    _begin()

    problems = 0
    for path in files:
        try:
            doc = yamlfile.load(path)
            if isinstance(doc.data, dict) and "casepath_workflow" in doc.data:
                workflow_load.compile_document(doc)
                kind = "workflow"
            else:
                from_document(doc)
                kind = "scenario"
        except InputProblem as problem:
            _problem(problem)
            problems += 1
            continue
        _echo(f"ok   {visible(str(path))} ({kind})")
    if problems:
        raise typer.Exit(2)


def _scenario_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            found.append(path)
    return found


@app.command("test")
def test_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Scenario files or folders (searched recursively).", show_default=False)
    ],
) -> None:
    """Run every scenario that has an expect: block and report each expectation that fails."""
    from casepath import api, expectations, yamlfile
    from casepath.scenario import from_document

    _begin()

    passed = failed = problems = 0
    for path in _scenario_files(paths):
        try:
            doc = yamlfile.load(path)
            if (
                path not in paths
                and isinstance(doc.data, dict)
                and ("casepath_workflow" in doc.data or "expect" not in doc.data)
            ):
                continue  # found in a folder: not a scenario with expectations
            scenario, compiled = from_document(doc)
            report = api.simulate(scenario, compiled)
        except InputProblem as problem:
            _problem(problem)
            problems += 1
            continue
        if scenario.expect is None:
            _echo(f"skip {visible(str(path))} (no expect: block)")
            continue
        wrong = expectations.mismatches(report, scenario.expect)
        if wrong:
            failed += 1
            _echo(f"FAIL {visible(str(path))}")
            for line in wrong:
                _echo(f"     {line}")
        else:
            passed += 1
            _echo(f"ok   {visible(str(path))}")
    _echo(f"{passed} passed, {failed} failed")
    if problems:
        raise typer.Exit(2)
    if failed:
        raise typer.Exit(1)


@app.command()
def explore(
    workflow: Annotated[
        str | None, typer.Option("--workflow", "-w", help="Workflow name or file; default: denmark.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, max=8, help="Events per path, at most.")] = 5,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export", help="Write teaching cases here: scenario files that take every step reached, and a README.md."
        ),
    ] = None,
) -> None:
    """Try every sequence of allowed events up to --depth and check the workflow's invariants."""
    from casepath import api
    from casepath import explore as explorer
    from casepath.render import exploration as exploration_render

    _begin()

    compiled = api.load_workflow(workflow or DEFAULT_WORKFLOW)
    result = explorer.explore(compiled, depth=depth)
    written = explorer.export(result, compiled, export) if export is not None and result.sound else []
    _out(exploration_render.render(result, compiled, written))
    if not result.sound:
        raise typer.Exit(1)


@app.command()
def timeline(
    identified: Annotated[
        str | None, typer.Option(metavar="DATE", help="Date of formal identification (YYYY-MM-DD).")
    ] = None,
    by: Annotated[
        str | None, typer.Option(help="Who identified; default: the authority the workflow fixes for --residence.")
    ] = None,
    residence: Annotated[str | None, typer.Option(help="The person's residence status.")] = None,
    extension_requested: Annotated[
        str | None, typer.Option(metavar="DATE", help="Date an extension was requested.")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Reason given with --extension-requested.")] = None,
    extension_granted: Annotated[
        str | None, typer.Option(metavar="DATE", help="Date the extension was granted.")
    ] = None,
    prepared_return_accepted: Annotated[
        str | None, typer.Option(metavar="DATE", help="Date a prepared return was accepted.")
    ] = None,
    returned: Annotated[
        str | None, typer.Option(metavar="DATE", help="Date of return under the prepared return.")
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            "-e",
            metavar="DATE:EVENT[:F=V]",
            help="Any event: DATE:EVENT[:FIELD=VALUE...], e.g. 2022-03-01:contact:by=ngo.",
        ),
    ] = None,
    born: Annotated[str | None, typer.Option(metavar="DATE", help="Date of birth (YYYY-MM-DD).")] = None,
    age: Annotated[int | None, typer.Option(min=0, max=120, help="Age on the first event's date.")] = None,
    person: Annotated[
        list[str] | None,
        typer.Option("--person", metavar="FIELD=VALUE", help="Any person field: FIELD=VALUE, e.g. citizenship=NG."),
    ] = None,
    alias: Annotated[str, typer.Option(help="A pseudonym for the person, never a real name.")] = "Client",
    case_ref: CaseRef = None,
    title: Annotated[str | None, typer.Option(help="Title of the case; default: 'Timeline for ALIAS'.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="DATE", help="Apply the rules in force on this date (YYYY-MM-DD) to every event."
        ),
    ] = None,
    variant: Annotated[
        list[str] | None, typer.Option("--variant", help="Use a named rule variant (e.g. pandemic).")
    ] = None,
    workflow: Annotated[str | None, typer.Option("--workflow", "-w", help="Workflow name or file.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Output = None,
    save: Annotated[Path | None, typer.Option("--save", help="Also write the case as a scenario file.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --output or --save if it exists.")] = False,
    lang: Lang = "en",
    on: On = None,
) -> None:
    """Answer a quick question without a scenario file: build the case from options and report it."""
    from casepath import api, render
    from casepath import timeline as timeline_module

    _begin()

    options = timeline_module.Options(
        dates={
            "--identified": identified,
            "--extension-requested": extension_requested,
            "--extension-granted": extension_granted,
            "--prepared-return-accepted": prepared_return_accepted,
            "--returned": returned,
        },
        values={"--by": by, "--reason": reason},
        events=list(event or ()),
        alias=alias,
        case_ref=case_ref,
        title=title,
        residence=residence,
        born=born,
        age=age,
        person=list(person or ()),
        as_of=as_of,
        variants=list(variant or ()),
        workflow=workflow,
    )
    compiled = api.load_workflow(workflow or DEFAULT_WORKFLOW)
    built = timeline_module.build(options, compiled, name=str(save) if save is not None else "<timeline>")
    compiled = api.in_language(compiled, _check_lang(lang))
    report = api.simulate(built.scenario, compiled, on=_on(on), steps=format is Format.html)
    content = render.render_all(format.value, [(report, compiled)], single=True)
    _notice_empty_calendar(format, [report])
    if save is not None:
        _write(save, timeline_module.to_yaml(built.data), force)
    if output is not None:
        _write(output, content, force)
    else:
        _out(content)
    if report.error:
        raise typer.Exit(1)


@app.command()
def agenda(
    paths: Annotated[
        list[Path], typer.Argument(help="Scenario files or folders (searched recursively).", show_default=False)
    ],
    from_: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="DATE",
            help="Look at every case on this day (YYYY-MM-DD or today); the days are counted from it.",
        ),
    ] = "today",
    days: Annotated[
        int, typer.Option("--days", min=0, max=3660, help="Show what falls due within this many days.")
    ] = 14,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Output = None,
    force: Force = False,
    workflow: Annotated[
        str | None,
        typer.Option("--workflow", "-w", help="Workflow name or file; default: each scenario's own, else denmark."),
    ] = None,
    lang: Lang = "en",
) -> None:
    """A caseload's agenda: the deadlines missed or due within --days, across every case, week by week."""
    from casepath import agenda as agendas
    from casepath.render import agenda as agenda_render

    _begin()

    _check_lang(lang)
    try:
        start = _on(from_)
    except InputProblem as problem:
        raise InputProblem(problem.message.replace("--on", "--from", 1)) from None
    assert start is not None
    result = agendas.build(paths, start, days, lang, workflow, warn=lambda line: typer.echo(visible(line), err=True))
    content = agenda_render.render(result, format.value)
    if output is not None:
        _write(output, content, force)
    else:
        _out(content)
    if result.unusable:
        raise typer.Exit(2)
    if result.broken:
        raise typer.Exit(1)


class SweepFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    html = "html"


@app.command()
def sweep(
    file: Annotated[Path, typer.Argument(help="A scenario file (YAML).", show_default=False)],
    from_: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="The first date the first event is moved to (YYYY-MM-DD)."),
    ] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help="The last date (YYYY-MM-DD).")] = None,
    step: Annotated[str, typer.Option("--step", help="day, week or month.")] = "day",
    format: Annotated[SweepFormat, typer.Option("--format", "-f", help="Output format.")] = SweepFormat.text,
    output: Output = None,
    force: Force = False,
    workflow: Annotated[
        str | None,
        typer.Option("--workflow", "-w", help="Workflow name or file; default: the scenario's own, else denmark."),
    ] = None,
    lang: Lang = "en",
) -> None:
    """Move the whole scenario so its first event falls on each date from --from to --to, run each under the
    rules of its own dates, and show how the outcome and the deadlines change."""
    from casepath import api, yamlfile
    from casepath import sweep as sweeping
    from casepath.render import sweep as sweep_render
    from casepath.scenario import from_document

    _begin()

    _check_lang(lang)
    if from_ is None or to is None:
        raise InputProblem("give the dates to move the first event to: --from DATE --to DATE")
    start = option_date("--from", from_)
    end = option_date("--to", to)
    assert start is not None and end is not None
    sweeping.dates(start, end, step)  # a bad span or step is refused before the file is read
    scenario, compiled = from_document(yamlfile.load(file), workflow)
    result = sweeping.sweep(scenario, api.in_language(compiled, lang), start, end, step)
    content = sweep_render.render(result, format.value, lang)
    if output is not None:
        _write(output, content, force)
    else:
        _out(content)


class ViewFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def rules(
    workflow: Annotated[
        str | None, typer.Option("--workflow", "-w", help="Workflow name or file; default: denmark.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The date (YYYY-MM-DD); default: today, or the last date the sources describe."),
    ] = None,
    changes: Annotated[bool, typer.Option("--changes", help="Show every change of the rules, oldest first.")] = False,
    variant: Annotated[
        list[str] | None, typer.Option("--variant", help="Use a named rule variant (e.g. pandemic).")
    ] = None,
    format: Annotated[ViewFormat, typer.Option("--format", "-f", help="Output format.")] = ViewFormat.text,
    lang: Lang = "en",
) -> None:
    """List the rules in force on a date, each with its sources; --changes shows how they changed."""
    from casepath import api, rulesview

    _begin()

    compiled = api.load_workflow(workflow or DEFAULT_WORKFLOW, _check_lang(lang))
    if changes:
        if as_of is not None or variant:
            raise InputProblem("--changes shows the whole history: leave out --as-of and --variant")
        history = rulesview.rule_history(compiled)
        text = rulesview.as_json(history) if format is ViewFormat.json else None
        _out(text or rulesview.render_history(history, compiled.spec, compiled.lang))
        return
    view = rulesview.rules_in_force(compiled, _as_of(as_of), tuple(variant or ()))
    _out(
        rulesview.as_json(view)
        if format is ViewFormat.json
        else rulesview.render_rules(view, compiled.spec, compiled.lang)
    )


@app.command()
def explain(
    term: Annotated[
        str | None,
        typer.Argument(
            help="A rule, deadline, entitlement, state, event or decision: its label or a word of it, in English "
            'or Danish ("reflection period", udrejsefrist), or its id. Without it: the list of what can be explained.',
            show_default=False,
        ),
    ] = None,
    workflow: Annotated[
        str | None, typer.Option("--workflow", "-w", help="Workflow name or file; default: denmark.")
    ] = None,
    lang: Lang = "en",
) -> None:
    """Explain one thing of the workflow in plain words: what it means, since when, from which sources,
    and which events, deadlines and entitlements it touches."""
    from casepath import api, locale
    from casepath import explain as explaining

    _begin()

    compiled = api.load_workflow(workflow or DEFAULT_WORKFLOW, _check_lang(lang))
    if term is None:
        _out(explaining.listing(compiled))
        return
    # the labels of the other languages are found too: `explain refleksionsperiode` works in English
    others = [api.load_workflow(workflow or DEFAULT_WORKFLOW, other) for other in locale.languages() if other != lang]
    _out(explaining.explain(compiled, term, also=others))


@app.command()
def compare(
    file: Annotated[Path, typer.Argument(help="A scenario file (YAML).", show_default=False)],
    as_of: Annotated[
        list[str] | None,
        typer.Option("--as-of", help="A date whose rules to apply (YYYY-MM-DD); give it once or more."),
    ] = None,
    workflow: Annotated[
        str | None,
        typer.Option("--workflow", "-w", help="Workflow name or file; default: the scenario's own, else denmark."),
    ] = None,
    variant: Annotated[
        list[str] | None, typer.Option("--variant", help="Use a named rule variant (e.g. pandemic).")
    ] = None,
    format: Annotated[ViewFormat, typer.Option("--format", "-f", help="Output format.")] = ViewFormat.text,
    lang: Lang = "en",
    on: On = None,
) -> None:
    """Run one scenario under the rules of several dates and show side by side what differs."""
    from casepath import api, yamlfile
    from casepath import compare as comparing
    from casepath.scenario import from_document

    _begin()

    _check_lang(lang)
    if not as_of:
        raise InputProblem("give at least one --as-of DATE (with one, the scenario's own dates are compared too)")
    dates = [d for d in (_as_of(value) for value in as_of) if d is not None]
    scenario, compiled = from_document(yamlfile.load(file), workflow)
    result = comparing.compare(scenario, api.in_language(compiled, lang), dates, tuple(variant or ()), on=_on(on))
    _out(comparing.render_json(result) if format is ViewFormat.json else comparing.render(result, lang))


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"


@app.command()
def graph(
    workflow: Annotated[
        str | None,
        typer.Option("--workflow", "-w", help="Workflow name or file; default: the scenario's, else denmark."),
    ] = None,
    format: Annotated[GraphFormat, typer.Option("--format", "-f", help="Diagram language.")] = GraphFormat.mermaid,
    highlight: Annotated[
        Path | None, typer.Option("--highlight", help="Run this scenario and mark the states and steps it took.")
    ] = None,
    track: Annotated[
        str | None, typer.Option("--track", help="Draw this track alone (e.g. pathway); default: every track.")
    ] = None,
    output: Output = None,
    force: Force = False,
    lang: Lang = "en",
) -> None:
    """Draw the workflow's state diagram (Mermaid or Graphviz dot), one region per track."""
    from casepath import api, yamlfile
    from casepath import graph as graphs
    from casepath.scenario import from_document

    _begin()

    _check_lang(lang)
    path = report = None
    if highlight is not None:
        scenario, compiled = from_document(yamlfile.load(highlight), workflow)
        report = api.simulate(scenario, compiled)
        path = graphs.path_of(report)
    else:
        compiled = api.load_workflow(workflow or DEFAULT_WORKFLOW)
    if track is not None and track not in compiled.spec.tracks:
        from casepath.messages import did_you_mean

        known = ", ".join(compiled.spec.tracks)
        hint = did_you_mean(track, compiled.spec.tracks)
        raise InputProblem(f"--track {track!r}: no such track{hint} (one of: {known})")
    draw = graphs.to_dot if format is GraphFormat.dot else graphs.to_mermaid
    content = draw(api.in_language(compiled, lang), path, track)
    if output is not None:
        _write(output, content, force)
    else:
        _out(content)
    if report is not None and report.error:
        typer.echo(
            f"casepath: {visible(str(highlight))}: event {report.error.event} broke a rule ({report.error.code}); "
            "the path shown ends before it",
            err=True,
        )
        raise typer.Exit(1)


@app.command()
def schema(
    workflow: Annotated[
        str | None, typer.Option("--workflow", "-w", help="Workflow name or file; default: denmark.")
    ] = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """Print the JSON Schema of scenario files, for editors that complete and check YAML."""
    from casepath import api
    from casepath import schema as schemas

    _begin()

    content = schemas.render(api.load_workflow(workflow or DEFAULT_WORKFLOW))
    if output is not None:
        _write(output, content, force)
    else:
        _out(content)


@app.command()
def walk(
    file: Annotated[Path | None, typer.Argument(help="A scenario file (YAML); leave out with --free.")] = None,
    free: Annotated[bool, typer.Option("--free", help="Build a case from nothing, event by event.")] = False,
    workflow: Annotated[
        str | None,
        typer.Option("--workflow", "-w", help="Workflow name or file; default: the scenario's own, else denmark."),
    ] = None,
    residence: Annotated[
        str | None, typer.Option(help="--free: the person's residence (short for --person residence=R).")
    ] = None,
    person: Annotated[
        list[str] | None, typer.Option("--person", help="--free: a person field, FIELD=VALUE (else it is asked).")
    ] = None,
    born: Annotated[str | None, typer.Option(help="--free: date of birth (YYYY-MM-DD).")] = None,
    age: Annotated[int | None, typer.Option(min=0, max=120, help="--free: age on the first event's date.")] = None,
    alias: Annotated[str | None, typer.Option(help="--free: a pseudonym, never a real name.")] = None,
    case_ref: CaseRef = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Apply the rules in force on this date (YYYY-MM-DD) to every event.")
    ] = None,
    all_steps: Annotated[bool, typer.Option("--all", help="Print every step at once, without waiting.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Language of the screens: en or da.")] = "en",
    on: On = None,
) -> None:
    """Step through a scenario one event at a time (Enter, b back, q quit), or build one with --free.

    When input or output is not a terminal, every step is printed at once (a handout); --free
    then reads its answers line by line. The end of input quits."""
    from casepath import api, terminal, yamlfile
    from casepath import walk as walking
    from casepath.scenario import from_document

    _begin()

    _check_lang(lang)
    interactive = sys.stdin is not None and sys.stdin.isatty() and sys.stdout is not None and sys.stdout.isatty()
    read = _Answers(sys.stdin)

    if free:
        if file is not None:
            raise InputProblem("give a scenario file or --free, not both")
        if as_of is not None or on is not None:
            raise InputProblem("--as-of and --on are for walking a scenario file")
        compiled = api.load_workflow(workflow or DEFAULT_WORKFLOW, lang)
        given = walking.person_options(compiled, list(person or ()))
        if residence is not None:
            if "residence" not in compiled.spec.person.fields:
                raise InputProblem(f"--residence: the workflow {compiled.spec.id!r} has no person field 'residence'")
            given.update(walking.person_options(compiled, [f"residence={residence}"]))
        if born is not None and age is not None:
            raise InputProblem("give --born or --age, not both")
        if born is not None:
            given["born"] = option_date("--born", born)
        if age is not None:
            given["age"] = age
        if alias is not None:
            given["alias"] = alias
        code = walking.walk_free(
            compiled, workflow or DEFAULT_WORKFLOW, read.ask, _echo, _write, given, case_ref=case_ref
        )
    else:
        if file is None:
            raise InputProblem("give a scenario file to walk through, or --free to build a case")
        if residence is not None or person or born is not None or age is not None or alias is not None:
            raise InputProblem("--residence, --person, --born, --age and --alias are for --free")
        if case_ref is not None:
            raise InputProblem("--case-ref is for --free (a scenario file has its own case_ref)")
        scenario, compiled = from_document(yamlfile.load(file), workflow)
        looked = _on(on)
        keys = interactive and not all_steps and terminal.available()
        code = walking.walk_scenario(
            scenario,
            api.in_language(compiled, lang),
            _key_asker(terminal.key_reader()) if keys else read.ask,
            _echo,
            wait=interactive and not all_steps,
            as_of=_as_of(as_of),
            on=api.looking_at(looked, scenario, compiled) if looked is not None else None,
            clear=_clear_screen if keys else None,
        )
    if code:
        raise typer.Exit(code)


def _clear_screen() -> None:
    from casepath import terminal

    sys.stdout.write(terminal.CLEAR)


class _Answers:
    """The walk's answers. From a terminal, `input` (with its line editing); from a file or a pipe,
    bounded lines: at most MAX_LENGTH characters each and MAX_COUNT in all, text without NUL, so
    that `walk --free < /dev/zero` or an endless `yes` ends with one line, exit 2. The end of
    input is None (quit)."""

    MAX_LENGTH = 1000
    MAX_COUNT = 10_000

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.count = 0

    def ask(self, prompt: str) -> str | None:
        stream = self.stream
        if stream is None:
            return None
        if stream.isatty():
            try:
                return input(prompt)
            except EOFError:
                return None
        self.count += 1
        if self.count > self.MAX_COUNT:
            raise InputProblem(f"standard input: more than {self.MAX_COUNT:,} answers; stopped")
        _out(prompt)
        try:
            line = stream.readline(self.MAX_LENGTH + 1)
        except UnicodeDecodeError:
            raise InputProblem("standard input: not UTF-8 text") from None
        if not line:
            return None
        if "\x00" in line:
            raise InputProblem("standard input: contains a NUL character, not text")
        answer = line.removesuffix("\n").removesuffix("\r")
        if len(answer) > self.MAX_LENGTH:
            raise InputProblem(f"standard input: an answer longer than {self.MAX_LENGTH} characters")
        _echo(answer)  # answers read from a file or pipe: show them, so the transcript reads right
        return answer


def _key_asker(read_key: "Callable[[], str | None]") -> "Callable[[str], str | None]":
    """`ask` for a walk on a terminal: the prompt, then one key press (no Enter needed)."""

    def ask(prompt: str) -> str | None:
        _out(prompt)
        sys.stdout.flush()
        key = read_key()
        _out("\n")
        return {"enter": "", " ": ""}.get(key, key) if key is not None else None

    return ask


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every failure into one line and an exit code."""
    try:
        app(args=argv, prog_name="casepath")
        code = 0
    except SystemExit as done:  # typer always ends this way, usage errors included (code 2)
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    except InputProblem as problem:
        _problem(problem)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _stdout_gone(0)
    except Exception as err:  # a bug: still one line, never a traceback
        typer.echo(f"casepath: internal error ({type(err).__name__}: {visible(str(err))}); please report it", err=True)
        return 3
    return _flush(code)


def _flush(code: int) -> int:
    """Flush standard output now, so that a failure there is one line and exit 2, not a message at exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        return _stdout_gone(code)
    except (OSError, ValueError) as err:
        _problem(_stdout_problem(err))
        return _stdout_gone(2)
    return code


def _stdout_gone(code: int) -> int:
    """Point standard output at nothing, so Python's own flush at exit has nothing left to fail on."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture): nothing is flushed at exit
    return code


def run() -> None:
    """The `casepath` command and `python -m casepath`."""
    # A command starts by loading its modules: pydantic's, typer's and casepath's classes, functions
    # and models, some 100,000 objects that all live until the process ends. The cyclic garbage
    # collector would walk them about a hundred times while they load, and find nothing to free (~7 %
    # of a cold `simulate`). So the command starts with the collector off, and every command turns it
    # back on once its modules are loaded (`_begin`). Called as a library (`main`, the tests), nothing
    # changes.
    global _COLLECTOR_HELD
    if gc.isenabled():
        gc.disable()
        _COLLECTOR_HELD = True
    # pydantic looks for plugins (the entry points of every installed package) when it builds its first
    # validator: ~2 ms of every start, for a hook that instruments validation in applications and that
    # a caseworker's command has no use for. The command switches the search off unless
    # PYDANTIC_DISABLE_PLUGINS is set already (set it empty to keep plugins on); `import casepath`
    # leaves pydantic as it finds it. (typer does the same around the checkers it builds for options.)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    sys.exit(main())


if __name__ == "__main__":
    run()
