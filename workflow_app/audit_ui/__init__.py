"""Auditor pages: read-only views of the audit trail."""
