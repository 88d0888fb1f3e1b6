"""The award registry pages: search, a person's and a unit's history, XLSX import."""
