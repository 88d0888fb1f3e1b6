"""The import contracts (pyproject.toml, ARCHITECTURE.md) hold for the code as it is, and each
one really fails when broken: a copy of the package gets one violating module per contract,
and `lint-imports` must name every broken contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from workflow_app.config import PROJECT_ROOT

LINT = Path(sys.executable).with_name("lint-imports")

# One module per contract, each breaking exactly that contract.
VIOLATIONS = {
    "workflow_app/dossiers/service/_breaks_layers.py":
        "from workflow_app.dossiers.views import pages  # a service importing a page\n",
    "workflow_app/council/views/_breaks_independence.py":
        "from workflow_app.dossiers.api import presenters  # another capability's API\n",
    "workflow_app/models/_breaks_models.py":
        "from workflow_app.dossiers.service import dossiers  # a model importing a service\n",
    "workflow_app/review/service/_breaks_flask.py":
        "from flask import request  # a service reading the request\n",
    "workflow_app/workflow/_breaks_engine.py":
        "from workflow_app.eligibility.service import evaluate  # the engine, a capability\n",
    "workflow_app/org/service/_breaks_cycle_a.py":
        "from workflow_app.org.service import _breaks_cycle_b  # noqa: F401\n",
    "workflow_app/org/service/_breaks_cycle_b.py":
        "from workflow_app.org.service import _breaks_cycle_a  # noqa: F401\n",
}
CONTRACT_NAMES = [
    "Inside a capability: pages and API operations sit on its services, never the",
    "Capabilities meet only through their services",
    "Models import no service, page or operation",
    "Services import no Flask request machinery",
    "The workflow engine imports no capability",
    "No import cycles between modules",
]


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{PROJECT_ROOT}"}
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_the_code_keeps_every_contract():
    result = _lint(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 6 kept, 0 broken." in result.stdout


def test_each_contract_fails_on_a_violation_made_on_purpose(tmp_path):
    shutil.copytree(PROJECT_ROOT / "workflow_app", tmp_path / "workflow_app",
                    ignore=shutil.ignore_patterns("static", "translations", "__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PROJECT_ROOT / "tests" / "architecture", tmp_path / "tests" / "architecture")
    (tmp_path / "tests" / "__init__.py").write_text("")
    for path, source in VIOLATIONS.items():
        (tmp_path / path).write_text(source)
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 6 broken." in result.stdout, result.stdout
    for module in VIOLATIONS:
        assert Path(module).stem in result.stdout, module
    broken = " ".join(result.stdout.split())  # long names are wrapped in the report
    for name in CONTRACT_NAMES:
        assert f"{name}" in broken, name
