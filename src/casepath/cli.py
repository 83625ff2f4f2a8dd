"""The `casepath` command: simulate, validate and test scenarios (see shared contract).

Exit codes: 0 all ran without breaking a rule (for `test`: every expectation held);
1 a scenario broke a rule or an expectation failed; 2 the input could not be used, with
one line naming the file, the place and the problem. Nothing reaches the user as a
traceback: an unexpected failure is one line too, with exit code 3.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from casepath import api, expectations, render, yamlfile
from casepath.problems import InputProblem
from casepath.report import Report
from casepath.scenario import from_document
from casepath.workflow import load as workflow_load
from casepath.workflow.compiled import CompiledWorkflow

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
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputProblem(f"--as-of {value!r} is not a date (write it as YYYY-MM-DD)") from None


def _write(output: Path, content: str, force: bool) -> None:
    """Write a whole file or nothing; never replace an existing file without --force.

    The text goes to a temporary file beside the target, which then replaces it in one step,
    so a failed run leaves the old file (or no file) and never half a report. The new file
    gets the mode an ordinary write would give: the old file's, or the one the umask allows."""
    if output.exists() and not force:
        raise InputProblem("exists already; give --force to replace it", file=str(output))
    if output.is_dir():
        raise InputProblem("is a folder, expected a file name", file=str(output))
    folder = output.parent if str(output.parent) else Path(".")
    try:
        mode = output.stat().st_mode & 0o7777 if output.exists() else 0o666 & ~_umask()
        handle, temp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise InputProblem(f"cannot be written ({err.strerror or err})", file=str(output)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.chmod(temp, mode)
        os.replace(temp, output)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        raise InputProblem(f"cannot be written ({err.strerror or err})", file=str(output)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def _problem(problem: InputProblem) -> None:
    typer.echo(f"casepath: {problem}", err=True)


@app.command()
def simulate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of the screen.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --output if it exists.")] = False,
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
) -> None:
    """Run scenarios and report what happened, the deadlines and the entitlements."""
    rules_date = _as_of(as_of)
    reports: list[tuple[Report, CompiledWorkflow]] = []
    problems = 0
    for path in files:
        try:
            scenario, compiled = from_document(yamlfile.load(path), workflow)
            variants = tuple(variant or ())
            known = {e.variant for p in compiled.spec.parameters.values() for e in p.history if e.variant}
            for name in variants:
                if name not in known:
                    raise InputProblem(f"--variant {name!r}: the workflow has {', '.join(sorted(known)) or 'none'}")
            report = api.simulate(scenario, compiled, as_of=rules_date, variants=variants)
        except InputProblem as problem:
            _problem(problem)
            problems += 1
            continue
        reports.append((report, compiled))
    if reports or (format is Format.json and not problems):
        content = render.render_all(format.value, reports, single=len(files) == 1)
        if output is not None:
            _write(output, content, force)
        else:
            sys.stdout.write(content)
    if problems:
        raise typer.Exit(2)
    if any(r.error for r, _ in reports):
        raise typer.Exit(1)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario or workflow files.", show_default=False)],
) -> None:
    """Check scenario and workflow files without running them."""
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
        typer.echo(f"ok   {path} ({kind})")
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
            typer.echo(f"skip {path} (no expect: block)")
            continue
        wrong = expectations.mismatches(report, scenario.expect)
        if wrong:
            failed += 1
            typer.echo(f"FAIL {path}")
            for line in wrong:
                typer.echo(f"     {line}")
        else:
            passed += 1
            typer.echo(f"ok   {path}")
    typer.echo(f"{passed} passed, {failed} failed")
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
        Path | None, typer.Option("--export", help="Write the distinct paths found as scenario files here.")
    ] = None,
) -> None:
    """Try every sequence of allowed events up to --depth and check the workflow's invariants."""
    from casepath import explore as explorer
    from casepath.render import exploration as exploration_render

    compiled = api.load_workflow(workflow or workflow_load.DEFAULT)
    result = explorer.explore(compiled, depth=depth)
    written = explorer.export(result, compiled, export) if export is not None and result.sound else []
    sys.stdout.write(exploration_render.render(result, compiled, written))
    if not result.sound:
        raise typer.Exit(1)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every failure into one line and an exit code."""
    try:
        app(args=argv, prog_name="casepath")
    except SystemExit as done:  # typer always ends this way, usage errors included (code 2)
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except InputProblem as problem:
        _problem(problem)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug: still one line, never a traceback
        typer.echo(f"casepath: internal error ({type(err).__name__}: {err}); please report it", err=True)
        return 3
    return 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
