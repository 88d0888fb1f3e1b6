"""Alembic environment. The connection comes from the caller (tests, `flask db`), or from
DATABASE_URL / the embedded default when Alembic runs on its own."""

from alembic import context

from workflow_app.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from workflow_app.config import Config
    from workflow_app.db import make_engine

    url = config.get_main_option("sqlalchemy.url") or Config.from_env().database_url
    engine = make_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


run_migrations_online()
