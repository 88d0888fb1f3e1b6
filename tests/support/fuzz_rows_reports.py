"""Report operations that judge schema-valid filters against each other and the data (a first
year after the last, more than 30 years, a row key of another grouping) and answer 422
`invalid_filter` with the reason: there a 422 is a documented refusal, not valid data
rejected (the refusals are asserted in tests/reports/test_statistics.py)."""

JUDGED_REPORT_QUERIES = frozenset({
    "GET /reports/statistics", "GET /reports/statistics/xlsx",
    "GET /reports/statistics/records",
})
