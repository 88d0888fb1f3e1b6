"""What the decision pages share: the blueprint, the signed-in user, reading an issued
document (`decisions.service.access`), and the dossier pickers."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from workflow_app.decisions.service import access, selection
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


def user() -> User:
    return current_user._get_current_object()


def readable_or_404(session, model, document_id: int):
    return access.readable(session, user(), model, document_id)


def group_by_award(dossiers: list[Dossier]) -> list[tuple[int, str, list[Dossier]]]:
    """[(award id, award name, dossiers)] in the order the dossiers come."""
    groups: dict[int, tuple[int, str, list[Dossier]]] = {}
    for dossier in dossiers:
        group = groups.setdefault(dossier.award_id,
                                  (dossier.award_id, selection.award_name(dossier), []))
        group[2].append(dossier)
    return list(groups.values())


def prefilled(form, ready: list[Dossier], default_input, award: str | None,
              ids: list[str] | None = None) -> str | None:
    """Tick the dossiers `?award=` asks for (or `ids`, the picker sent back by "Prefill for
    the ticked dossiers") and prefill the wording from `default_input` for the ticked ones,
    or all when none is ticked; return a notice when that fails."""
    from workflow_app.decisions.service.selection import SelectionError
    from workflow_app.dossiers.service.dossiers import today_vn

    ticked = selection.preselected(ready, award, ids)
    form.dossier_ids.data = [str(d.id) for d in ticked]
    form.issued_on.data = today_vn()
    if not ready:
        return None
    try:
        form.fill(default_input(current_user._get_current_object(), ticked or ready,
                                today_vn()))
    except SelectionError as error:
        return str(error.message)
    return None
