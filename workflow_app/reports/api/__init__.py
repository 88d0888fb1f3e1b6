"""/api/v1 operations for the reports (JSON, and XLSX as a separate operation)."""
