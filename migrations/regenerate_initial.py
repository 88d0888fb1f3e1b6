"""Regenerate revision 0001 from the models (only while nothing has been deployed).

Usage: .venv/bin/python migrations/regenerate_initial.py
Builds an empty SQLite database, autogenerates against it, and rewrites
versions/0001_initial_schema.py with stable names and plain SQLAlchemy types.
Once a release exists, write new revisions instead (see README.md here).
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

from alembic import command

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from workflow_app.db import make_engine  # noqa: E402
from workflow_app.migrate import alembic_config  # noqa: E402

TARGET = HERE / "versions" / "0001_initial_schema.py"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # A scratch script directory with no revisions: autogenerate against an empty database.
        scratch = Path(tmp) / "migrations"
        (scratch / "versions").mkdir(parents=True)
        for name in ("env.py", "script.py.mako"):
            shutil.copy(HERE / name, scratch / name)
        engine = make_engine(f"sqlite:///{tmp}/empty.db")
        with engine.begin() as connection:
            cfg = alembic_config(connection)
            cfg.set_main_option("script_location", str(scratch))
            script = command.revision(cfg, message="initial schema", autogenerate=True,
                                      rev_id="0001")
        engine.dispose()
        text = Path(script.path).read_text()
    text = text.replace("workflow_app.models.base.UTCDateTime(timezone=True)",
                        "sa.DateTime(timezone=True)")
    text = re.sub(r"Create Date: .*\n", "", text)
    text = text.replace("import workflow_app.models.base\n", "")
    TARGET.write_text(text)
    print(f"Rewrote {TARGET.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
