"""The auditor's pages and operations: read-only views of the audit trail (the log, one
event, a subject's history, verification, export). The chain itself is `workflow_app/audit/`.
"""
