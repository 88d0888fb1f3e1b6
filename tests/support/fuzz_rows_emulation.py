"""The emulation year's operations (movements, scoring) in the schemathesis run.

Operations that judge a schema-valid body against the data (a period, a parent movement,
units that must exist, points within a criterion's maximum) answer 422 with the reason
(asserted in tests/movements and tests/scoring): not a schema violation.
"""

from __future__ import annotations

JUDGED_EMULATION_BODIES = frozenset({
    "POST /movements", "PUT /movements/{movement_id}",
    "POST /scoring/tables", "PUT /scoring/tables/{table_id}/units/{unit_id}",
    "POST /scoring/tables/{table_id}/lock", "POST /scoring/tables/{table_id}/publish",
    "PUT /movements/{movement_id}/registrations/{unit_id}",
    "POST /movements/{movement_id}/registrations/{unit_id}/nominations",
    "POST /movements/{movement_id}/inspections", "POST /pacts",
    "POST /pacts/{pact_id}/signatures", "POST /clusters/{cluster_id}/next-year",
    "POST /scoring/tables/{table_id}/acclamation",
    "PUT /movements/{movement_id}/registration-settings",
})
