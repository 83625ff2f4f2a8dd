"""A cold command start does no needless work (issue 14): what each part is for is in docs/design.md.

- The command line keeps the cyclic garbage collector off while a command loads its modules, and
  every command turns it back on before its work (a command that did not would run a sweep of
  thousands of cases without it).
- Importing the workflow's models builds no validator (they are built when a workflow is checked,
  never for one from the cache).
- The command (not the library) switches off pydantic's search for plugins, unless the user set it.
- A `simulate` that takes its workflow from the cache loads no workflow checks and builds validators
  for the scenario's models only (none of the workflow's, the registry's or the report's).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "src" / "casepath" / "cli.py"
EXAMPLE = ROOT / "examples" / "dis-undocumented-prepared-return.yaml"


def _commands() -> list[ast.FunctionDef]:
    tree = ast.parse(CLI.read_text(encoding="utf-8"))
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(
            isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "command"
            for d in node.decorator_list
        )
    ]


def test_every_command_turns_the_collector_back_on_after_its_imports() -> None:
    commands = _commands()
    assert len(commands) == 13  # simulate, validate, test, explore, timeline, agenda, sweep, rules, ...
    for command in commands:
        body = [s for s in command.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        imports = [s for s in body if isinstance(s, ast.Import | ast.ImportFrom)]
        first_other = next(s for s in body if not isinstance(s, ast.Import | ast.ImportFrom))
        assert imports and body[: len(imports)] == imports, command.name  # the imports come first...
        call = first_other
        assert (  # ...then `_begin()`
            isinstance(call, ast.Expr)
            and isinstance(call.value, ast.Call)
            and isinstance(call.value.func, ast.Name)
            and call.value.func.id == "_begin"
        ), command.name


def _probe(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True, env=env)
    return done.stdout.strip()


def test_the_collector_is_on_when_a_command_works_and_the_library_leaves_it_alone() -> None:
    # run() is what the `casepath` command calls; the probe replaces the simulator's entry to look.
    seen = _probe(
        "import gc, sys\n"
        "from casepath import cli, api\n"
        "real = api.simulate\n"
        "def look(*a, **k):\n"
        "    print('enabled' if gc.isenabled() else 'disabled', gc.get_freeze_count() > 0)\n"
        "    return real(*a, **k)\n"
        "api.simulate = look\n"
        f"sys.argv = ['casepath', 'simulate', {str(EXAMPLE)!r}]\n"
        "try:\n"
        "    cli.run()\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    assert seen.splitlines()[0] == "enabled True"
    # main() as a library call (the tests use it) leaves the collector as it finds it
    seen = _probe(
        "import gc\n"
        "from casepath import cli\n"
        f"code = cli.main(['validate', {str(EXAMPLE)!r}])\n"
        "print(code, gc.isenabled(), gc.get_freeze_count())\n"
    )
    assert seen.splitlines()[-1] == "0 True 0"


def test_importing_the_workflow_models_builds_no_validator() -> None:
    seen = _probe(
        "from pydantic._internal._mock_val_ser import MockValSer\n"
        "from casepath.workflow import spec\n"
        "from pydantic import BaseModel\n"
        "models = [v for v in vars(spec).values() if isinstance(v, type) and issubclass(v, BaseModel)]\n"
        "built = [m.__name__ for m in models if not isinstance(m.__dict__.get('__pydantic_validator__'), MockValSer)]\n"
        "print(len(models), built)\n"
    )
    count, built = seen.split(" ", 1)
    assert int(count) > 20 and built == "[]"


def test_a_simulate_with_its_workflow_from_the_cache_checks_nothing_again(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("CASEPATH_NO_CACHE", None)
    code = (
        "import io, sys\n"
        "import pydantic._internal._model_construction as making\n"
        "built = []\n"
        "real = making.create_schema_validator\n"
        "def note(schema, schema_type, *args, **kwargs):\n"
        "    built.append(schema_type.__module__ + '.' + schema_type.__name__)\n"
        "    return real(schema, schema_type, *args, **kwargs)\n"
        "making.create_schema_validator = note\n"
        "from casepath import cli\n"
        "sys.stdout = io.StringIO()\n"
        f"code = cli.main(['simulate', {str(EXAMPLE)!r}])\n"
        "sys.stdout = sys.__stdout__\n"
        "print(code, 'casepath.workflow.check' in sys.modules, sorted(built))\n"
    )
    first = _probe(code, env)  # reads, checks and compiles the workflow, and fills the cache
    assert first.startswith("0 True ") and "casepath.workflow.spec.Workflow" in first
    again = _probe(code, env)
    code_, checked, built = again.split(" ", 2)
    assert (code_, checked) == ("0", "False")
    assert all(name.startswith("casepath.scenario.") for name in ast.literal_eval(built)), built


def test_the_command_switches_pydantic_plugins_off_unless_the_user_set_it() -> None:
    code = (
        "import os\n"
        "from casepath import cli\n"
        "cli.main = lambda: print(repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS'))) or 0\n"
        "try:\n"
        "    cli.run()\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    assert _probe(code, env) == "'1'"
    assert _probe(code, {**env, "PYDANTIC_DISABLE_PLUGINS": ""}) == "''"  # plugins kept on
    assert _probe(code, {**env, "PYDANTIC_DISABLE_PLUGINS": "logfire"}) == "'logfire'"
    # the library leaves pydantic as it finds it
    assert _probe("import os, casepath.cli\nprint(os.environ.get('PYDANTIC_DISABLE_PLUGINS'))", env) == "None"
