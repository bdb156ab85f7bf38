"""The audit trail: every event a link in its device's hash chain, written by record(); `audit
verify` finds the first altered, removed or inserted event; events from before the chain are
closed by the migration's anchor."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit import ANCHOR_KIND, GENESIS, event_hash, verify_store
from app.cli import main
from app.services.changes import DeskContext, record
from db.engine import DB_FILE_NAME, Database, open_database
from db.models.hall import Clerk
from db.models.sync import Event
from tests.test_migrations import RELEASE_0_1_0

CTX = DeskContext(2, "BC0102")


def _events(db: Database, n: int) -> list[str]:
    ids = []
    for i in range(n):
        with db.write() as s:
            clerk = Clerk(id=f"C{i}", name=f"名字{i}")
            s.add(clerk)
            ids.append(record(s, CTX, clerk, "clerk.added", {"i": i, "名": "张三"}).id)
    return ids


def _tamper(path: Path, *sql: str) -> None:
    """What someone with the file can do: drop the append-only triggers and rewrite."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS event_no_update")
    conn.execute("DROP TRIGGER IF EXISTS event_no_delete")
    for statement in sql:
        conn.execute(statement)
    conn.close()


def _verdict(db: Database) -> tuple[str | None, dict[str, object]]:
    report = verify_store(db)
    if report.problem is None:
        return None, {}
    return report.problem.code, dict(report.problem.params)


def test_record_links_each_event_after_the_devices_previous_one(db: Database) -> None:
    ids = _events(db, 3)
    with db.write() as s:  # several events in one transaction take consecutive places
        a, b = Clerk(id="X1", name="甲"), Clerk(id="X2", name="乙")
        s.add_all([a, b])
        ids += [record(s, CTX, a, "clerk.added").id, record(s, CTX, b, "clerk.added").id]
    with db.read() as s:
        events = {e.id: e for e in s.scalars(select(Event))}
    chain = [events[i] for i in ids]
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
        assert len(before.hash or "") == 64 and before.hash != after.hash
    assert _verdict(db) == (None, {})


def test_the_hash_covers_every_field_in_a_canonical_form() -> None:
    fields = {"id": "E1", "data": {"b": 1, "a": "名"}, "seq": 1, "prev_hash": GENESIS}
    same = {"prev_hash": GENESIS, "seq": 1, "data": {"a": "名", "b": 1}, "id": "E1"}
    assert event_hash(fields) == event_hash(same)
    assert event_hash(fields) != event_hash({**fields, "prev_hash": "1" * 64})
    assert event_hash(fields) != event_hash({**fields, "data": {"b": 2, "a": "名"}})


def test_an_altered_event_is_reported(db: Database) -> None:
    ids = _events(db, 5)
    assert db.path is not None
    _tamper(db.path, f"UPDATE event SET data = '{{\"i\": 99}}' WHERE id = '{ids[2]}'")
    assert _verdict(db) == ("audit.altered", {"event": ids[2]})


def test_an_altered_event_whose_hash_was_recomputed_is_reported_by_the_next_link(
    db: Database,
) -> None:
    ids = _events(db, 4)
    assert db.path is not None
    _tamper(
        db.path,
        f"UPDATE event SET kind = 'case.approved', hash = '{'a' * 64}' WHERE id = '{ids[1]}'",
    )
    assert _verdict(db) == ("audit.altered", {"event": ids[1]})


def test_the_newest_event_altered_is_reported(db: Database) -> None:
    ids = _events(db, 3)
    assert db.path is not None
    _tamper(db.path, f"UPDATE event SET clerk_id = 'M01' WHERE id = '{ids[-1]}'")
    assert _verdict(db) == ("audit.altered", {"event": ids[-1]})


def test_a_removed_event_is_reported(db: Database) -> None:
    ids = _events(db, 4)
    assert db.path is not None
    _tamper(db.path, "PRAGMA foreign_keys=OFF", f"DELETE FROM event WHERE id = '{ids[1]}'")
    assert _verdict(db) == ("audit.removed", {"seq": 2, "event": ids[2]})


def test_an_event_inserted_outside_the_chain_is_reported(db: Database) -> None:
    _events(db, 2)
    assert db.path is not None
    _tamper(
        db.path,
        "INSERT INTO event (id, at, entity, entity_id, kind, data) VALUES "
        "('ZZZZ', '2026-12-01 10:00:00.000000', 'case', 'C1', 'case.approved', '{}')",
    )
    assert _verdict(db) == ("audit.unchained", {"event": "ZZZZ"})


def test_an_event_inserted_into_the_chain_is_reported(db: Database) -> None:
    ids = _events(db, 3)
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    device, prev = conn.execute(
        f"SELECT device_id, prev_hash FROM event WHERE id = '{ids[1]}'"
    ).fetchone()
    conn.close()
    _tamper(
        db.path,
        "DROP INDEX ix_event_device_seq",
        "INSERT INTO event (id, at, entity, entity_id, kind, data, device_id, seq, prev_hash, "
        f"hash) VALUES ('{ids[1]}Z', '2026-12-01 10:00:00.000000', 'case', 'C1', "
        f"'case.approved', '{{}}', '{device}', 2, '{prev}', '{'b' * 64}')",
    )
    code, params = _verdict(db)
    assert code == "audit.inserted" and params["seq"] == 2


def test_audit_verify_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    data.mkdir()
    database = open_database(data / DB_FILE_NAME)
    ids = _events(database, 3)
    database.close()
    assert main(["audit", "verify", "--data-dir", str(data)]) == 0
    assert "3 条事件" in capsys.readouterr().out
    _tamper(data / DB_FILE_NAME, f"UPDATE event SET entity_id = 'C9' WHERE id = '{ids[0]}'")
    assert main(["audit", "verify", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert ids[0] in err and "被改动" in err and "Traceback" not in err


def test_the_chain_starts_at_the_migration_and_covers_older_events(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE_NAME
    shutil.copyfile(RELEASE_0_1_0, path)
    database = open_database(path)
    try:
        with database.read() as s:
            anchor = s.scalars(select(Event).where(Event.kind == ANCHOR_KIND)).one()
            assert (anchor.seq, anchor.prev_hash) == (1, GENESIS)
            assert anchor.data["legacy_events"] == 28
        new = _events(database, 1)[0]
        with database.read() as s:
            ev = s.get(Event, new)
            assert ev is not None and (ev.seq, ev.prev_hash) == (2, anchor.hash)
        assert _verdict(database) == (None, {})
        with database.read() as s:
            old = s.scalars(select(Event.id).where(Event.seq.is_(None)).limit(1)).one()
        _tamper(path, f"UPDATE event SET clerk_id = 'M01' WHERE id = '{old}'")
        assert _verdict(database) == ("audit.legacy_changed", {"count": 28})
    finally:
        database.close()


def test_the_desk_warns_when_its_chain_is_broken_and_makes_todays_backup(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    from app.catalogue.search import MatterIndex
    from app.clock import hall_today
    from app.startup import open_desk
    from ui.main_window import MainWindow

    data = tmp_path / "desk"
    setup = open_desk(data)
    ids = _events(setup.database, 2)
    _tamper(data / DB_FILE_NAME, f"UPDATE event SET kind = 'case.approved' WHERE id = '{ids[0]}'")
    try:
        with setup.database.read() as s:
            index = MatterIndex.load(s)
        main = MainWindow(setup, index)
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)

        def shown() -> bool:
            label = main.findChild(QLabel, "auditWarning")
            return label is not None and label.isVisible()

        qtbot.waitUntil(shown, timeout=20_000)
        warning = main.findChild(QLabel, "auditWarning")
        assert warning is not None
        assert ids[0] in warning.text() and "审计记录" in warning.text()
        assert (data / "backups" / f"onewindow-{hall_today().isoformat()}.zip").is_file()
        assert main.ops.wait_idle()
    finally:
        setup.database.close()


def test_an_intact_desk_shows_no_warning(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLabel

    from app.catalogue.search import MatterIndex
    from app.clock import hall_today
    from app.startup import open_desk
    from ui.main_window import MainWindow

    data = tmp_path / "desk"
    setup = open_desk(data)
    _events(setup.database, 2)
    try:
        with setup.database.read() as s:
            index = MatterIndex.load(s)
        main = MainWindow(setup, index)
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        backup = data / "backups" / f"onewindow-{hall_today().isoformat()}.zip"
        qtbot.waitUntil(backup.is_file, timeout=20_000)
        warning = main.findChild(QLabel, "auditWarning")
        assert warning is not None and not warning.isVisible()
        assert main.ops.wait_idle()
    finally:
        setup.database.close()


def test_data_stored_otherwise_still_verifies_by_its_content(db: Database) -> None:
    """The chain hashes an event's data as JSON in canonical form; the database stores it so
    (db.engine.canonical_json), and a row stored otherwise (by hand, an older writer) is
    hashed the long way, by its content."""
    from app.audit import FIELDS, stored_row_hash

    ids = _events(db, 2)
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    conn.row_factory = sqlite3.Row
    stored = conn.execute(f"SELECT data FROM event WHERE id = '{ids[1]}'").fetchone()[0]
    assert stored == '{"i":1,"名":"张三"}'  # canonical: sorted, compact, not escaped
    last = dict(conn.execute(f"SELECT * FROM event WHERE id = '{ids[1]}'").fetchone())
    conn.close()
    row = {
        **{k: last[k] for k in FIELDS},
        "id": "ZZZZ",
        "seq": 3,
        "prev_hash": last["hash"],
        "data": '{"b": 1, "a": "\\u540d"}',  # the same content, stored otherwise
    }
    row["hash"] = stored_row_hash(row)
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    conn = sqlite3.connect(db.path)
    conn.execute(f"INSERT INTO event ({cols}) VALUES ({marks})", tuple(row.values()))
    conn.commit()
    conn.close()
    assert _verdict(db) == (None, {})
