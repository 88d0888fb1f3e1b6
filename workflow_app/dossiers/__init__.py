"""Nomination dossiers for the people who prepare and follow them.

`access` holds the one visibility predicate every dossier view and download uses; `routes`
assembles the `dossiers` blueprint (url prefix `/dossiers`) from the small route modules.
"""
