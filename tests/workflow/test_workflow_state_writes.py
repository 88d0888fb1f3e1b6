"""Nothing but the engine writes a dossier's state: checked in the source, not only at run time.

Scans every module of `workflow_app` outside `workflow_app/workflow/` for an assignment to
an attribute named `state` (`x.state = …`, `x.state += …`, `setattr(x, "state", …)`), a
`state=` keyword given to `Dossier(…)` or to `.values(…)` (bulk UPDATE), and any use of the
engine's permit. The run-time side (a validator on the column) is tested in
test_workflow_engine.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import workflow_app

PACKAGE = Path(workflow_app.__file__).resolve().parent
ENGINE_DIR = PACKAGE / "workflow"
PERMIT_HOME = PACKAGE / "models" / "subject.py"


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if ENGINE_DIR not in path.parents:
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _state_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr == "state":
                    found.append((node.lineno, "assignment to .state"))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if (name == "setattr" and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value == "state"):
                found.append((node.lineno, 'setattr(…, "state", …)'))
            if name in {"Dossier", "Movement", "values"} and any(k.arg == "state"
                                                                 for k in node.keywords):
                found.append((node.lineno, f"{name}(state=…)"))
    return found


def test_no_module_outside_the_engine_writes_a_state():
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
                 for path, tree in _modules() for line, what in _state_writes(tree)]
    assert offenders == [], "dossier.state is written only by workflow_app/workflow/engine.py"


def test_only_the_engine_uses_the_state_write_permit():
    users = [str(path.relative_to(PACKAGE.parent)) for path, tree in _modules()
             if path != PERMIT_HOME and "permit_state_write" in ast.unparse(tree)]
    assert users == []


def test_the_scan_finds_each_kind_of_write():
    sample = ast.parse(
        "d.state = 'x'\n"
        "a.b.state += 'y'\n"
        "setattr(d, 'state', 'z')\n"
        "Dossier(state='decided')\n"
        "update(Dossier).values(state='decided')\n"
        "d.status = 'fine'\n"
        "state = 'a local name is fine'\n"
    )
    assert [line for line, _ in _state_writes(sample)] == [1, 2, 3, 4, 5]
