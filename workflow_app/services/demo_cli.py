"""`flask demo load`: idempotent demo data drawn from the seed articles."""

from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")
