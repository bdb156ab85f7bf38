"""Alembic environment of the central store (its own history, apart from the desk's)."""

from alembic import context
from sqlalchemy import create_engine

from db.central.models import CentralBase

target_metadata = CentralBase.metadata
connection = context.config.attributes.get("connection")


def run(conn: object) -> None:
    context.configure(
        connection=conn,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        version_table="central_alembic_version",
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url") or "sqlite://"
    with create_engine(url).connect() as conn:
        run(conn)
        conn.commit()
