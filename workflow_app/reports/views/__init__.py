"""The report pages: statistics, drill-down, process reports, their XLSX and PDF."""
