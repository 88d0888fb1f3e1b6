"""The loaded workflow definitions, found by the name a subject stores (`Dossier.workflow`,
`Movement.workflow`).

Iterating the registry (and `names()`) gives the dossier workflows only, what the nomination
pages, queues and reports list; `for_subject("movement")` gives another kind's definitions.

`load_workflows(states_dir)` reads and validates every definition at start-up and raises
`DefinitionError` naming each problem. The app keeps the result in
`app.extensions["workflows"]`; outside an app (scripts, worker threads) `get_registry()` falls
back to the shipped `states/` directory, read once per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context

from workflow_app.config import PROJECT_ROOT
from workflow_app.models.catalogue import WORKFLOWS
from workflow_app.workflow.definition import WorkflowDefinition
from workflow_app.workflow.errors import DefinitionError
from workflow_app.workflow.loader import load_definitions

STATES_DIR = PROJECT_ROOT / "states"
# The subject kind each required workflow name drives.
_SUBJECT_OF = {**dict.fromkeys(WORKFLOWS, "dossier"), "movement": "movement"}
EXTENSION_KEY = "workflows"


class WorkflowRegistry:
    """Immutable map from workflow name to its definition."""

    def __init__(self, definitions: dict[str, WorkflowDefinition]) -> None:
        self._definitions = dict(definitions)

    def get(self, name: str) -> WorkflowDefinition:
        try:
            return self._definitions[name]
        except KeyError:
            raise KeyError(f"no workflow definition named '{name}'") from None

    def names(self, subject: str = "dossier") -> list[str]:
        return sorted(d.id for d in self.for_subject(subject))

    def for_subject(self, subject: str) -> list[WorkflowDefinition]:
        return [d for d in self._definitions.values() if d.subject == subject]

    def __iter__(self):
        return iter(self.for_subject("dossier"))


def load_workflows(states_dir: Path = STATES_DIR,
                   require: Iterable[str] = (*WORKFLOWS, "movement")) -> WorkflowRegistry:
    """Load and validate every definition; each name in `require` must be among them.

    `require` defaults to the workflows a dossier may name (the CHECK on `dossier.workflow`)
    and the movement's. A required workflow must drive the kind of row that names it.
    """
    definitions = load_definitions(states_dir)
    wrong = [name for name in require if name in definitions
             and definitions[name].subject != _SUBJECT_OF.get(name, definitions[name].subject)]
    if wrong:
        raise DefinitionError(f"{states_dir.name}/: workflow(s) {', '.join(wrong)} drive the "
                              f"wrong kind of subject")
    missing = [name for name in require if name not in definitions]
    if missing:
        raise DefinitionError(
            f"{states_dir.name}/: no definition for workflow(s) {', '.join(missing)} "
            f"(expected {', '.join(f'{n}.toml' for n in missing)})"
        )
    return WorkflowRegistry(definitions)


@lru_cache(maxsize=1)
def default_registry() -> WorkflowRegistry:
    return load_workflows(STATES_DIR)


def get_registry() -> WorkflowRegistry:
    """The app's registry when inside an app that loaded one, else the shipped definitions."""
    if has_app_context():
        registry = current_app.extensions.get(EXTENSION_KEY)
        if registry is not None:
            return registry
    return default_registry()
