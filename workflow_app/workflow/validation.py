"""Whole-definition checks: states referenced, triggers unambiguous, graph sound, steps agree.

Run by the loader after each entry has been checked on its own. Every problem names the file
and the entry, so a broken definition is fixed from the message alone.
"""

from __future__ import annotations

from collections import deque

from workflow_app.workflow.definition import WorkflowDefinition


def check_graph(definition: WorkflowDefinition) -> list[str]:
    label = definition.source
    states = definition.states
    problems: list[str] = []
    if definition.initial and definition.initial not in states:
        problems.append(f"{label}: [workflow]: initial state '{definition.initial}' "
                        "is not defined")
    elif definition.initial and states[definition.initial].terminal:
        problems.append(f"{label}: [workflow]: initial state '{definition.initial}' "
                        "cannot be terminal")

    seen: dict[tuple[str, str], int] = {}
    for transition in definition.transitions:
        where = f"{label}: transition '{transition.trigger}'"
        for source in transition.sources:
            if source not in states:
                problems.append(f"{where}: unknown state '{source}' in sources")
            key = (transition.trigger, source)
            if key in seen:
                problems.append(f"{where}: trigger '{transition.trigger}' is defined twice "
                                f"from state '{source}'")
            seen[key] = 1
        if transition.dest and transition.dest not in states:
            problems.append(f"{where}: unknown dest state '{transition.dest}'")
        if transition.dest in transition.sources:
            problems.append(f"{where}: dest '{transition.dest}' is also a source "
                            "(a transition must change the state)")

    if definition.initial in states:
        reachable = _reachable(definition)
        for state_id in states:
            if state_id not in reachable:
                problems.append(f"{label}: state '{state_id}': unreachable from the initial "
                                f"state '{definition.initial}'")
    leaving = {s for t in definition.transitions for s in t.sources}
    for state in states.values():
        if not state.terminal and state.id not in leaving:
            problems.append(f"{label}: state '{state.id}': dead end (not terminal, and no "
                            "transition leaves it)")
    problems += _check_steps(definition)
    return problems


def _reachable(definition: WorkflowDefinition) -> set[str]:
    found = {definition.initial}
    queue = deque([definition.initial])
    while queue:
        state = queue.popleft()
        for transition in definition.transitions_from(state):
            if transition.dest in definition.states and transition.dest not in found:
                found.add(transition.dest)
                queue.append(transition.dest)
    return found


def _check_steps(definition: WorkflowDefinition) -> list[str]:
    """The states of one step share one clock, so they must give the same limit."""
    problems = []
    limits: dict[str, tuple[str, int]] = {}
    for state in definition.states.values():
        if state.sla_working_days is None:
            continue
        first = limits.setdefault(state.step, (state.id, state.sla_working_days))
        if first[1] != state.sla_working_days:
            problems.append(
                f"{definition.source}: state '{state.id}': step '{state.step}' already has "
                f"sla_working_days = {first[1]} (state '{first[0]}'); states of one step "
                "share one limit"
            )
    return problems
