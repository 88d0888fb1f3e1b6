"""The council blueprint with all its views (member, ballot, secretary, chair)."""

from workflow_app.council import (
    views_acclamation,
    views_ballot,
    views_chair,
    views_manage,
    views_member,
    views_minutes,
    views_secretary,
)
from workflow_app.council.blueprint import bp

__all__ = ["bp", "views_acclamation", "views_ballot", "views_chair", "views_manage",
           "views_member", "views_minutes", "views_secretary"]
