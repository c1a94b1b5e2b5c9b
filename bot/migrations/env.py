"""Alembic's environment for the project's tables. bot.migrations runs it with a connection it has
already opened, locked and begun a transaction on (config.attributes["connection"]), so an upgrade
is one transaction that no other process interleaves with; there is no alembic.ini and no URL here."""
from alembic import context
from sqlalchemy.types import TypeDecorator

from bot.migrations.schema import include_name, project_metadata


def render_item(type_, obj, autogen_context):
    """A new revision records the database type, not our Python wrapper around it (UTCDateTime is
    DateTime(timezone=True) to the database), so a script never imports application code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False  # Alembic's own rendering


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations through bot.migrations (python -m bot db upgrade): "
                           "it supplies the locked connection this environment needs.")
    context.configure(
        connection=connection,
        target_metadata=list(project_metadata()),
        include_name=include_name,
        compare_type=True,
        render_item=render_item,
        # SQLite cannot ALTER most things; batch mode copies a table to change it.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():  # a no-op inside the caller's transaction, kept for clarity
        context.run_migrations()


run_migrations()
