"""The declarative workflow engine (DESIGN §3).

Definitions live in `states/*.toml` (format: `states/README.md`). `load_workflows` validates
them at start-up; `fire` is the only way a workflow subject (a dossier, a movement) changes
state; `available_actions` says which buttons a page shows; `step_clock` gives the current
step's time against its limit.
"""

from workflow_app.workflow.clock import StepClock, step_clock
from workflow_app.workflow.engine import (
    Action,
    available_actions,
    definition_of,
    fire,
    lock_dossier,
    open_dossier,
    open_subject,
)
from workflow_app.workflow.errors import (
    DefinitionError,
    DossierGone,
    EffectFailed,
    Forbidden,
    GuardFailed,
    InputInvalid,
    InvalidTransition,
    ReasonRequired,
    StaleVersion,
    UnknownAction,
    WorkflowError,
)
from workflow_app.workflow.registry import WorkflowRegistry, get_registry, load_workflows

__all__ = [
    "Action",
    "DefinitionError",
    "DossierGone",
    "EffectFailed",
    "Forbidden",
    "GuardFailed",
    "InputInvalid",
    "InvalidTransition",
    "ReasonRequired",
    "StaleVersion",
    "StepClock",
    "UnknownAction",
    "WorkflowError",
    "WorkflowRegistry",
    "available_actions",
    "definition_of",
    "fire",
    "get_registry",
    "load_workflows",
    "lock_dossier",
    "open_dossier",
    "open_subject",
    "step_clock",
]
