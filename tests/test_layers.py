"""The workflow layer does not import the engine that runs cases (issue 9, item 6).

Guards and actions see a case through the `StepView` protocol (casepath.workflow.view); this test
reads every module of casepath.workflow and fails if one imports the running case, the simulator,
the report or anything built on them — also under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

WORKFLOW_LAYER = Path(__file__).resolve().parents[1] / "src" / "casepath" / "workflow"
ENGINE = ("casepath.case", "casepath.simulator", "casepath.report", "casepath.api", "casepath.cli", "casepath.render")


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_the_workflow_layer_never_imports_the_engine() -> None:
    modules = sorted(WORKFLOW_LAYER.glob("*.py"))
    assert len(modules) >= 8  # the collection itself works
    offending = {
        path.name: sorted(m for m in imported_modules(path) if m.startswith(ENGINE))
        for path in modules
        if any(m.startswith(ENGINE) for m in imported_modules(path))
    }
    assert offending == {}


def test_the_check_itself_catches_an_engine_import(tmp_path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from casepath.case import Step\n")
    assert "casepath.case" in imported_modules(sample)
