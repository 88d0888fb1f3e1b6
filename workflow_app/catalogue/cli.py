"""`flask catalogue …`: load the award catalogue from its data files."""

from flask.cli import AppGroup

catalogue_cli = AppGroup("catalogue", help="Award catalogue.")
