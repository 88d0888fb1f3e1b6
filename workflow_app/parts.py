"""The capabilities' parts of the workflow definitions: guards and effects that need a
capability's data register themselves with the engine by name when imported. The engine
imports no capability (checked by `lint-imports`); this module is imported with the
package (`workflow_app/__init__.py`), so every name in `states/*.toml` is known before a
definition loads.
"""

from workflow_app.dossiers.service import notices  # noqa: F401 - notify_submitters, notify_reviewers
from workflow_app.eligibility.service import guards  # noqa: F401 - eligibility_met, quota_respected
from workflow_app.movements.service import parts  # noqa: F401 - movement_ready, launch document
from workflow_app.search.service import index  # noqa: F401 - keeps search_term current on flush
