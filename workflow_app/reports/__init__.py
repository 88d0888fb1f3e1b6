"""Reports: statistics over the registry and dossiers, process reports, their charts, XLSX and
printable PDF (issue 14, items 1–3, 5 and 7 for reports)."""
