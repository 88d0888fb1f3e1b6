"""Read `states/*.toml` into validated `WorkflowDefinition`s; fail with every problem named.

Each problem reads `<dir>/<file>: <entry>: <what is wrong>`, e.g.
`states/normal.toml: transition 'approve': unknown guard 'foo'`. The format is documented
in `states/README.md`; the whole-graph checks are in `validation.py`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from workflow_app.models.user import ROLES
from workflow_app.workflow import effects as _effects  # noqa: F401 - registers the effects
from workflow_app.workflow import guards as _guards  # noqa: F401 - registers the guards
from workflow_app.workflow import guards_awards as _guards_awards  # noqa: F401 - registers more
from workflow_app.workflow.context import EFFECTS, GUARDS
from workflow_app.workflow.definition import (
    CLOCK_MODES,
    SLA_BASES,
    SUBJECT_KINDS,
    StateDef,
    TransitionDef,
    WorkflowDefinition,
)
from workflow_app.workflow.errors import DefinitionError
from workflow_app.workflow.machine import machine_callbacks
from workflow_app.workflow.validation import check_graph

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Admins manage accounts and the catalogue; auditors only read. Neither may move a dossier.
ROLES_NEVER_ACTING = ("admin", "auditor")
TOP_KEYS = {"workflow", "states", "transitions"}
WORKFLOW_KEYS = {"id", "label_vi", "label_en", "initial", "creators", "subject", "note"}
STATE_KEYS = {"id", "label_vi", "label_en", "terminal", "clock", "step", "sla_working_days",
              "sla_basis", "sla_source", "note"}
TRANSITION_KEYS = {"trigger", "sources", "dest", "roles", "guards", "effects",
                   "reason_required", "label_vi", "label_en", "note"}


class _Entry:
    """Reads one table of the file, recording each problem with the entry's name."""

    def __init__(self, problems: list[str], where: str, data: Any, allowed: set[str]) -> None:
        self.problems, self.where = problems, where
        self.data = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.fail("must be a table")
        for key in sorted(set(self.data) - allowed):
            self.fail(f"unknown key '{key}'")

    def fail(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = True, name: bool = False) -> str:
        value = self.data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(f"missing {key}" if value is None else f"{key} must be non-empty text")
            return ""
        if name and not NAME_RE.match(value):
            self.fail(f"{key} '{value}' must be lower_snake_case, at most 40 characters")
        return value

    def boolean(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{key} must be true or false")
            return False
        return value

    def names(self, key: str, *, required: bool) -> tuple[str, ...]:
        value = self.data.get(key, [] if not required else None)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"missing {key}" if value is None else f"{key} must be a list of names")
            return ()
        if required and not value:
            self.fail(f"{key} must not be empty")
        for duplicate in sorted({v for v in value if value.count(v) > 1}):
            self.fail(f"{key} lists '{duplicate}' twice")
        return tuple(value)


def _state(problems: list[str], label: str, data: Any, index: int) -> StateDef | None:
    ident = data.get("id") if isinstance(data, dict) else None
    entry = _Entry(problems, f"{label}: state " + (f"'{ident}'" if ident else f"#{index}"),
                   data, STATE_KEYS)
    state_id = entry.text("id", name=True)
    terminal = entry.boolean("terminal")
    clock = entry.data.get("clock", "runs")
    if clock not in CLOCK_MODES:
        entry.fail(f"clock must be one of {', '.join(CLOCK_MODES)}")
    step = entry.text("step", required=False, name="step" in entry.data) or state_id
    sla = entry.data.get("sla_working_days")
    basis = entry.data.get("sla_basis")
    source = entry.text("sla_source", required=False)
    if sla is not None:
        if isinstance(sla, bool) or not isinstance(sla, int) or not 1 <= sla <= 365:
            entry.fail("sla_working_days must be a whole number of working days, 1 to 365")
        if terminal:
            entry.fail("a terminal state has no time limit (remove sla_working_days)")
        if basis not in SLA_BASES:
            entry.fail("sla_basis must be \"legal\" (with sla_source) or \"configurable\"")
        elif basis == "legal" and not source:
            entry.fail("sla_basis = \"legal\" needs sla_source citing LEGAL_FACTS.md")
    elif basis is not None or source:
        entry.fail("sla_basis and sla_source only go with sla_working_days")
    state = StateDef(
        id=state_id, label_vi=entry.text("label_vi"), label_en=entry.text("label_en"),
        terminal=terminal, clock=clock, step=step,
        sla_working_days=sla if isinstance(sla, int) else None, sla_basis=basis,
        sla_source=source,
    )
    return state if state_id else None


def _transition(problems: list[str], label: str, data: Any, index: int) -> TransitionDef | None:
    trigger = data.get("trigger") if isinstance(data, dict) else None
    where = f"{label}: transition " + (f"'{trigger}'" if trigger else f"#{index}")
    entry = _Entry(problems, where, data, TRANSITION_KEYS)
    trigger = entry.text("trigger", name=True)
    roles = entry.names("roles", required=True)
    for role in roles:
        if role not in ROLES:
            entry.fail(f"unknown role '{role}' (known: {', '.join(ROLES)})")
        elif role in ROLES_NEVER_ACTING:
            entry.fail(f"role '{role}' may not change dossiers")
    guards = entry.names("guards", required=False)
    for name in guards:
        if name not in GUARDS:
            entry.fail(f"unknown guard '{name}'")
    effects = entry.names("effects", required=False)
    for name in effects:
        if name not in EFFECTS:
            entry.fail(f"unknown effect '{name}'")
    transition = TransitionDef(
        trigger=trigger, sources=entry.names("sources", required=True), dest=entry.text("dest"),
        roles=roles, guards=guards, effects=effects,
        reason_required=entry.boolean("reason_required"),
        label_vi=entry.text("label_vi"), label_en=entry.text("label_en"),
    )
    return transition if trigger else None


def parse_definition(path: Path, label: str) -> tuple[WorkflowDefinition | None, list[str]]:
    """Parse and check one file. Returns the definition (None if unusable) and its problems."""
    problems: list[str] = []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [f"{label}: invalid TOML: {exc}"]
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(f"{label}: unknown top-level key '{key}'")
    head = _Entry(problems, f"{label}: [workflow]", data.get("workflow"), WORKFLOW_KEYS)
    workflow_id = head.text("id", name=True)
    if workflow_id and workflow_id != path.stem:
        head.fail(f"id '{workflow_id}' must match the file name '{path.stem}'")
    subject = head.data.get("subject", "dossier")
    if subject not in SUBJECT_KINDS:
        head.fail(f"subject must be one of {', '.join(SUBJECT_KINDS)}")
    creators = head.names("creators", required=True)
    for role in creators:
        if role not in ROLES or role in ROLES_NEVER_ACTING:
            head.fail(f"creators: role '{role}' may not create dossiers")
    states = [s for i, raw in enumerate(_list(problems, label, data, "states"), 1)
              if (s := _state(problems, label, raw, i)) is not None]
    transitions = [t for i, raw in enumerate(_list(problems, label, data, "transitions"), 1)
                   if (t := _transition(problems, label, raw, i)) is not None]
    by_id: dict[str, StateDef] = {}
    for state in states:
        if state.id in by_id:
            problems.append(f"{label}: state '{state.id}': defined twice")
        by_id[state.id] = state
    definition = WorkflowDefinition(
        id=workflow_id, label_vi=head.text("label_vi"), label_en=head.text("label_en"),
        initial=head.text("initial"), creators=creators, states=by_id,
        transitions=tuple(transitions), source=label,
        subject=subject if subject in SUBJECT_KINDS else "dossier",
    )
    problems += check_graph(definition)
    if problems:
        return None, problems
    definition.build_machine(machine_callbacks)
    return definition, []


def _list(problems: list[str], label: str, data: dict, key: str) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        problems.append(f"{label}: no [[{key}]] entries")
        return []
    return value


def load_definitions(states_dir: Path) -> dict[str, WorkflowDefinition]:
    """Every `*.toml` in `states_dir`, validated. Raises DefinitionError listing all problems."""
    files = sorted(states_dir.glob("*.toml"))
    if not files:
        raise DefinitionError(f"{states_dir}: no workflow definitions (*.toml) found")
    definitions: dict[str, WorkflowDefinition] = {}
    problems: list[str] = []
    for path in files:
        definition, found = parse_definition(path, f"{states_dir.name}/{path.name}")
        problems += found
        if definition is not None:
            definitions[definition.id] = definition
    if problems:
        raise DefinitionError("invalid workflow definition:\n" + "\n".join(problems))
    return definitions
