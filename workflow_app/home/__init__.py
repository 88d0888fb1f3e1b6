"""The start page per role and the language switch."""
