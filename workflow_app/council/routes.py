"""The council blueprint with all its views (member, ballot, secretary, chair)."""

from workflow_app.council import (
    views_ballot,
    views_chair,
    views_member,
    views_minutes,
    views_secretary,
)
from workflow_app.council.blueprint import bp

__all__ = ["bp", "views_ballot", "views_chair", "views_member", "views_minutes", "views_secretary"]
