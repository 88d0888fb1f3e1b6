"""Public pages (no sign-in): nominations under public disclosure, and the comment form."""
