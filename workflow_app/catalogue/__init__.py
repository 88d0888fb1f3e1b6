"""The award catalogue: titles and forms of commendation, versioned by legal basis, loaded
from `workflow_app/data/catalogue/*.toml`, with every rule's source or its configurable label.
"""
