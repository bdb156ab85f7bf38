"""Migrations: 0001 is frozen (release 0.1.0 shipped it), the models and the migrations agree,
a new database equals one migrated from empty, and a database release 0.1.0 made upgrades
to head with its data intact."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from db.base import Base
from db.engine import MIGRATIONS_DIR, alembic_config, head_revision, make_engine, open_database
from db.models.case import Case, CaseMaterial, include_name
from db.models.document import Document
from db.models.queue import Ticket
from db.models.sync import Event, Outbox

RELEASE_0_1_0 = Path(__file__).resolve().parent / "data" / "release-0.1.0.sqlite3"

#: The text of 0001 as release 0.1.0 shipped it (triggers inlined, nothing imported from the
#: models). Changing the schema means a new revision, never an edit here.
FROZEN_0001_SHA256 = "48f0225705e9f3ddb25a3ad9d7a978dadaeb858c12788c1f3ce2df12dc71c190"


def test_0001_is_frozen() -> None:
    text = (MIGRATIONS_DIR / "versions" / "0001_initial.py").read_bytes()
    assert hashlib.sha256(text).hexdigest() == FROZEN_0001_SHA256, (
        "0001_initial.py changed: it is frozen, add a new revision instead"
    )
    assert b"db.models" not in text, "a frozen migration may not depend on today's models"


def test_regenerating_the_initial_migration_is_gone() -> None:
    assert not (MIGRATIONS_DIR.parent.parent / "tools" / "regen_initial_migration.py").exists()


def _migrated_from_empty(path: Path) -> None:
    engine = make_engine(path)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    engine.dispose()


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do against a database built by the migrations alone: a
    model changed without a new revision fails here."""
    path = tmp_path / "m.sqlite3"
    _migrated_from_empty(path)
    engine = make_engine(path)
    with engine.connect() as conn:
        # The case search's FTS5 tables are not models (db/models/case.py): left out here as
        # in db/migrations/env.py; the schema test below checks them.
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; add a revision: {diff}"


def _parts(sql: str) -> tuple[str, ...]:
    """A CREATE statement as its head and its top-level items (columns, constraints), spacing
    normalised; constraints sorted, since Alembic and create_all may list them in another
    order. Columns keep their order. The table's name is unquoted: a table a batch migration
    rebuilt is renamed into place, and SQLite writes the new name quoted."""
    sql = " ".join(sql.replace("(", " ( ").replace(")", " ) ").split())
    head, paren, body = sql.partition("(")
    if not paren:
        return (sql,)
    items, depth, current = [], 0, ""
    for ch in body.rsplit(")", 1)[0]:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += ch
    items.append(current.strip())
    columns = [i for i in items if not i.startswith("CONSTRAINT")]
    constraints = sorted(i for i in items if i.startswith("CONSTRAINT"))
    return (head.replace('"', "").strip(), *columns, *constraints)


def _schema(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()
    return [(t, n, _parts(s)) for t, n, s in rows]


def test_a_new_database_equals_one_migrated_from_empty(tmp_path: Path) -> None:
    """New databases are built from the models and stamped (cheaper); that must be the very
    schema the migrations build, triggers and indexes included."""
    created, migrated = tmp_path / "created.sqlite3", tmp_path / "migrated.sqlite3"
    open_database(created).close()
    _migrated_from_empty(migrated)
    assert _schema(created) == _schema(migrated)


def test_a_release_0_1_0_database_upgrades_to_head_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "onewindow.sqlite3"
    shutil.copyfile(RELEASE_0_1_0, path)
    database = open_database(path)
    try:
        with database.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        with database.read() as s:
            cases = {c.case_no: c for c in s.scalars(select(Case))}
            assert set(cases) == {"22080020261130010001", "22080020261130010002"}
            first, second = cases["22080020261130010001"], cases["22080020261130010002"]
            assert (first.status, first.applicant_name) == ("accepted", "张三")
            assert (second.status, second.applicant_name) == ("accepted_with_gap", "李四")
            assert first.applicant_id_number == "11010519491231002X"
            # Its reasons were stored as sentences: kept, and read back as plain text.
            assert first.decision_reasons == ["申请材料齐全、符合法定形式，予以受理"]
            assert all(m.missing_why is None for m in first.materials)
            assert (s.scalar(select(func.count()).select_from(CaseMaterial)) or 0) > 0
            tickets = sorted(t.status for t in s.scalars(select(Ticket)))
            assert tickets == ["called", "waiting", "waiting"]
            docs = sorted((d.kind, d.doc_no) for d in s.scalars(select(Document)))
            assert docs == [
                ("commitment", "RQ22080020261130010001"),
                ("receipt", "SL22080020261130010001"),
                ("receipt", "SL22080020261130010002"),
            ]
            assert all(len(d.sha256 or "") == 64 for d in s.scalars(select(Document)))
            # 28 of its own and the anchor that starts the audit chain at 0009.
            assert s.scalar(select(func.count()).select_from(Event)) == 29
            # Two outbox rows per change before 0005 (the row's state, the event), one now.
            assert s.scalar(select(func.count()).select_from(Outbox)) == 29
            pending = set(s.scalars(select(Outbox.op_id)))
            assert pending == set(s.scalars(select(Event.id)))
        # The upgraded file is a working desk database: it takes a new write.
        with database.write() as s:
            s.add(Event(entity="test", entity_id="1", kind="after-upgrade"))
    finally:
        database.close()


def test_why_a_material_is_needed_keeps_its_sentence_through_0002(tmp_path: Path) -> None:
    """0002 makes case_material.missing_why JSON (a code with parameters): a sentence stored
    before stays that sentence, read back as plain text, and a new row keeps its code."""
    from app.messages import Message, from_stored, to_stored

    path = tmp_path / "m.sqlite3"
    engine = make_engine(path)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    conn2 = sqlite3.connect(path)
    case = (
        "C1",
        "22080020261130010001",
        "notified",
        "notify",
        "notify",
        "[]",
        "person",
        "张三",
        "11010519491231002X",
        "13912345678",
        "2026-11-30 02:00:00",
        "2026-11-30",
        0,
        "2026-11-30 02:00:00",
        "2026-11-30 02:00:00",
    )
    conn2.execute(
        'INSERT INTO "case" (id, case_no, status, decision, rule_decision, decision_reasons, '
        "applicant_kind, applicant_name, applicant_id_number, applicant_phone, received_at, "
        "received_day, commitment_signed, updated_at, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        case,
    )
    for i, why in enumerate(["未提供（适用情形：委托办理）", None]):
        conn2.execute(
            "INSERT INTO case_material (id, case_id, position, material_code, name, form, "
            "copies_required, necessity, tolerable, source, matter_codes, obtain, status, "
            "copies_received, missing_why, created_at) "
            "VALUES (?, 'C1', ?, ?, '授权委托书', 'original', 0, 'conditional', 0, "
            "'applicant', '[]', '', 'missing', 0, ?, '2026-11-30 02:00:00')",
            (f"M{i}", i, f"WTS{i}", why),
        )
    conn2.commit()
    conn2.close()
    engine.dispose()

    database = open_database(path)  # upgrades to head
    try:
        with database.read() as s:
            rows = {m.material_code: m.missing_why for m in s.scalars(select(CaseMaterial))}
        assert rows == {"WTS0": "未提供（适用情形：委托办理）", "WTS1": None}
        assert not isinstance(from_stored(rows["WTS0"]), Message)
        with database.write() as s:
            m = s.get(CaseMaterial, "M1")
            assert m is not None
            m.missing_why = to_stored(Message("why.missing_conditional", condition="委托办理"))
        with database.read() as s:
            again = from_stored(s.get(CaseMaterial, "M1").missing_why)  # type: ignore[union-attr]
        assert isinstance(again, Message) and again.code == "why.missing_conditional"
        assert again == "未提供（适用情形：委托办理）"
    finally:
        database.close()
    # And back: the sentence again, in the old column.
    engine = make_engine(path)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    engine.dispose()
    conn3 = sqlite3.connect(path)
    try:
        assert sorted(
            conn3.execute("SELECT missing_why FROM case_material").fetchall(), key=str
        ) == [("未提供（适用情形：委托办理）",), ("未提供（适用情形：委托办理）",)]
    finally:
        conn3.close()


def test_0005_turns_two_payload_rows_per_change_into_one_row_naming_the_event(
    tmp_path: Path,
) -> None:
    """An event's outbox row becomes the event's operation (attempts and error kept), the
    row-state copy written with it goes, and a row-state row with no pending event of its
    row keeps its change: it gets an event of its own, in its place in the order."""
    path = tmp_path / "o.sqlite3"
    engine = make_engine(path)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
    engine.dispose()
    conn2 = sqlite3.connect(path)
    try:
        conn2.execute("INSERT INTO sync_state (id, device_id) VALUES (1, 'DEV')")
        conn2.execute(
            "INSERT INTO event (id, at, entity, entity_id, kind, window_number, clerk_id, "
            "device_id, data) VALUES ('01EV', '2026-11-30 01:00:00.000000', 'clerk', 'C1', "
            "'clerk.added', 2, 'C1', 'DEV', '{\"why\": \"t\"}')"
        )
        rows = [
            ("01OA", "clerk", "C1", '{"id": "C1", "name": "王"}', 0, None),
            ("01OB", "event", "01EV", '{"id": "01EV", "kind": "clerk.added"}', 2, "refused"),
            ("01OC", "window", "7", '{"number": 7}', 1, None),
        ]
        conn2.executemany(
            "INSERT INTO outbox (op_id, created_at, entity, entity_id, op, payload, attempts, "
            "last_error) VALUES (?, '2026-11-30 01:00:00.000000', ?, ?, 'upsert', ?, ?, ?)",
            rows,
        )
        conn2.commit()
    finally:
        conn2.close()
    database = open_database(path)
    try:
        with database.read() as s:
            boxes = {b.op_id: (b.attempts, b.last_error) for b in s.scalars(select(Outbox))}
            anchor = s.scalars(select(Event.id).where(Event.kind == "audit.chain_started")).one()
            assert boxes.pop(anchor) == (0, None)  # the audit chain's start (0009)
            assert boxes == {"01EV": (2, "refused"), "01OC": (1, None)}
            migrated = s.get(Event, "01OC")
            assert migrated is not None
            assert (migrated.entity, migrated.entity_id, migrated.kind) == (
                "window",
                "7",
                "outbox.migrated",
            )
            assert migrated.device_id == "DEV"
            kept = s.get(Event, "01EV")
            assert kept is not None and kept.data == {"why": "t"}
    finally:
        database.close()
    # And back: each operation as a copy of its event, in the old layout.
    engine = make_engine(path)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    engine.dispose()
    conn3 = sqlite3.connect(path)
    try:
        back = conn3.execute(
            "SELECT op_id, entity, entity_id, json_extract(payload, '$.kind'), attempts "
            "FROM outbox ORDER BY op_id"
        ).fetchall()
    finally:
        conn3.close()
    assert back == [
        ("01EV", "event", "01EV", "clerk.added", 2),
        ("01OC", "event", "01OC", "outbox.migrated", 1),
    ]
