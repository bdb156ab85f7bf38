"""Regenerate the initial migration from the models.

Only while nothing has shipped: once a release is out, migrations are only ever added.
Run: python tools/regen_initial_migration.py
"""

from __future__ import annotations

import re

from alembic import command

from db.engine import MIGRATIONS_DIR, alembic_config

VERSIONS = MIGRATIONS_DIR / "versions"


def main() -> None:
    for old in VERSIONS.glob("0001_*.py"):
        old.unlink()
    command.revision(alembic_config(), message="initial", autogenerate=True, rev_id="0001")
    (path,) = VERSIONS.glob("0001_*.py")
    text = path.read_text()
    # The event log's append-only triggers are DDL that autogenerate cannot see.
    text = re.sub(
        r"(def upgrade\(\) -> None:\n(?:.*\n)*?)(\n\ndef downgrade)",
        lambda m: m.group(1)
        + "    for sql in APPEND_ONLY_TRIGGERS:\n        op.execute(sql)\n"
        + m.group(2),
        text,
        count=1,
    )
    text = text.replace(
        "import db.base\n", "import db.base\nfrom db.models.sync import APPEND_ONLY_TRIGGERS\n"
    )
    path.write_text(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
