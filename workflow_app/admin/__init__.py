"""Administration pages and operations: accounts and roles, units, clusters and blocks. Admins
never touch dossiers, votes or the audit trail.
"""
