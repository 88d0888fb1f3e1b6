"""Accounts: sign-in (argon2 passwords, server-side sessions, throttling, TOTP two-factor), the
user's own profile page with its API tokens, and accounts and roles (`service/users.py`).
"""
