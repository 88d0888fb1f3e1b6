"""Search: one box finding persons, units, dossiers and decisions (issue 14 item 6)."""
