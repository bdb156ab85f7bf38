"""Alembic environment: migrations run on the connection the desk opened (see db/engine.py);
`render_as_batch` because SQLite alters tables by copying them."""

from alembic import context
from sqlalchemy import create_engine

import db.models  # noqa: F401
from db.base import Base
from db.models.case import include_name

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")


def run(conn: object) -> None:
    context.configure(
        connection=conn,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
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
