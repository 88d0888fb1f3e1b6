"""The caller's dashboards (the home page's panels, `home.service.dashboard`)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.extensions import db
from workflow_app.home.api.schemas import (
    DashboardAction,
    DashboardFigure,
    DashboardOut,
    DashboardPanel,
)
from workflow_app.home.service import dashboard


@operation("GET", "/me/dashboard", summary="What waits for the caller, per role",
           description="As the home page: per role held (submitter, reviewer, secretary, "
                       "chair, signer, auditor), what needs the caller's action, overdue first "
                       "then by due date, the full total, and key figures for the caller's "
                       "scope. No panel for a role without one (council member, admin).",
           tags=["account"], response=DashboardOut)
def get_my_dashboard() -> DashboardOut:
    panels = dashboard.panels_for(db.session, caller(),
                                  registry=current_app.extensions["workflows"])
    return DashboardOut(panels=[DashboardPanel(
        role=panel.role, total=panel.total, overdue=panel.overdue,
        actions=[DashboardAction(what=a.what, title=a.title, detail=a.detail,
                                 link=url_for(a.endpoint, **a.args), due_on=a.due_on,
                                 overdue=a.overdue, missing_documents=a.missing)
                 for a in panel.actions],
        figures=[DashboardFigure(what=f.what, value=f.value if isinstance(f.value, int) else None,
                                 at=f.value if isinstance(f.value, datetime) else None)
                 for f in panel.figures]) for panel in panels])
