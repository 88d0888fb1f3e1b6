"""Words for the movement's codes, in the reader's language (never a raw code on a page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflow_app.workflow.registry import get_registry

KIND = {"regular": _l("Regular (thường xuyên)"),
        "thematic": _l("Thematic (theo chuyên đề)")}
SCOPE = {"national": _l("National"),
         "sector": _l("Ministry, sector or locality"),
         "cluster": _l("Cluster or block"),
         "unit": _l("Agency or unit")}


def state_label(state: str, locale: str) -> str:
    definition = get_registry().get("movement")
    return definition.state(state).label(locale) if state in definition.states else state


def registration_rule(movement) -> str:
    """The movement's registration setting in words."""
    if movement.registration_required:
        return str(_l("Required: a unit or person that did not register for a title under "
                      "this movement cannot be submitted for that title (a setting of the "
                      "organiser, not a legal requirement)."))
    return str(_l("Informative: it blocks no nomination (Law 06/2022 dropped registration as "
                  "a basis for titles, Art. 7)."))


def movement_labels() -> dict:
    """Template helpers: `movement_kind(code)`, `movement_scope(code)`, `movement_state(…)`."""
    return {"movement_kind": lambda code: KIND.get(code, code),
            "movement_scope": lambda code: SCOPE.get(code, code),
            "movement_state": state_label, "registration_rule": registration_rule}
