"""The council blueprint with all its views (member, ballot, secretary, chair)."""

from workflow_app.council.views import (
    acclamation as views_acclamation,
)
from workflow_app.council.views import (
    ballot as views_ballot,
)
from workflow_app.council.views import (
    chair as views_chair,
)
from workflow_app.council.views import (
    manage as views_manage,
)
from workflow_app.council.views import (
    member as views_member,
)
from workflow_app.council.views import (
    minutes as views_minutes,
)
from workflow_app.council.views import (
    secretary as views_secretary,
)
from workflow_app.council.views.blueprint import bp

__all__ = ["bp", "views_acclamation", "views_ballot", "views_chair", "views_manage",
           "views_member", "views_minutes", "views_secretary"]
