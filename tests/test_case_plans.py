"""The case list and case search as SQLite plans them on a desk of 100,000 cases (its ANALYZE
statistics, where most cases have no agent and no previous case): every read goes through an
index, the open gaps are walked in deadline order, and the summaries read without ORM objects
say what the case's own summary says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.services.aftercare import transition
from app.services.case_queries import (
    Section,
    _section_ids,
    find_cases,
    list_cases,
    summaries_of,
    summary_of,
)
from app.services.intake import calendar_for, save_case
from db.engine import Database
from db.models.case import Case
from tests.test_cases_support import ALL_IN, CTX, NOW, ORG, PERSON, TODAY, seed

#: sqlite_stat1 of the bench's seeded desk (100,000 cases): the agent's columns, the ticket and
#: the previous case are NULL on almost every row, so ANALYZE calls their indexes worthless.
BIG_DESK_STATS = [
    ("case_material", "ix_case_material_gap", "400016 799 799"),
    ("case_material", "ix_case_material_case_id", "400016 4"),
    ("case_material", "sqlite_autoindex_case_material_1", "400016 1"),
    ("case_matter", "ix_case_matter_case_id", "100004 1"),
    ("case_matter", "sqlite_autoindex_case_matter_1", "100004 1"),
    ("case", "ix_case_applicant_id_number", "100004 1"),
    ("case", "ix_case_ticket_id", "100004 100004"),
    ("case", "ix_case_status_day", "100004 20001 41"),
    ("case", "ix_case_previous_case_id", "100004 100004"),
    ("case", "ix_case_agent_name", "100004 100004"),
    ("case", "ix_case_received_day", "100004 201"),
    ("case", "ix_case_agent_id_number", "100004 100004"),
    ("case", "ix_case_applicant_name", "100004 1"),
    ("case", "sqlite_autoindex_case_2", "100004 1"),
    ("case", "sqlite_autoindex_case_1", "100004 1"),
]

FULL_SCAN = re.compile(
    r"^SCAN (\"?case\"?|case_1|case_material|case_matter|c|m|later)( |$)(?!.*USING)"
)
GAP_ENTRIES = {k: v for k, v in ALL_IN.items() if k != "LEASE"}  # the lease tolerated (容缺)


def save(session: Session, **kwargs: object) -> str:
    args: dict[str, object] = {
        "applicant": PERSON,
        "matter_codes": ["FOOD"],
        "entries": ALL_IN,
        "commitment_signed": False,
        "now": NOW,
    }
    args.update(kwargs)
    return save_case(session, CTX, **args).case_id  # type: ignore[arg-type]


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        seed(s)
        s.commit()
        yield s


@pytest.fixture
def desk(session: Session) -> dict[str, str]:
    """A few cases of each kind, then the statistics of a big desk loaded."""
    old = NOW - timedelta(days=30)
    made = {
        "today": save(session),
        "org": save(session, applicant=ORG, matter_codes=["FOOD", "HEALTH"]),
        "gap": save(session, entries=GAP_ENTRIES, commitment_signed=True, now=old),
        "gap2": save(session, entries=GAP_ENTRIES, commitment_signed=True),
        "notified": save(session, entries={}, now=old),
        "decided": save(session, now=old),
    }
    for status in ("in_review", "decided"):
        transition(session, CTX, made["decided"], status, now=old)
    session.commit()
    conn = session.connection()
    conn.exec_driver_sql("ANALYZE")
    conn.exec_driver_sql("DELETE FROM sqlite_stat1")
    for row in BIG_DESK_STATS:
        conn.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", row)
    conn.exec_driver_sql("ANALYZE sqlite_schema")  # the planner reads the statistics again
    session.commit()
    return made


def plans(session: Session, run: object) -> list[list[str]]:
    """The query plan of every SELECT that `run()` sends."""
    captured: list[tuple[str, object]] = []
    conn = session.connection()

    def capture(
        _conn: object, _cursor: object, statement: str, parameters: object, *_rest: object
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(conn.engine, "before_cursor_execute", capture)
    try:
        run()  # type: ignore[operator]
    finally:
        event.remove(conn.engine, "before_cursor_execute", capture)
    assert captured
    return [
        [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + s, p).all()]  # type: ignore[arg-type]
        for s, p in captured
    ]


def scans(plan_list: list[list[str]]) -> list[str]:
    return [d for plan in plan_list for d in plan if FULL_SCAN.match(d)]


@pytest.mark.parametrize(
    "query", ["11010519491231002X", "110101199003074477", "张", "张三", "某某餐饮", "261126"]
)
def test_find_goes_through_an_index_with_a_big_desks_statistics(
    session: Session, desk: dict[str, str], query: str
) -> None:
    found: list[object] = []
    got = plans(session, lambda: found.extend(find_cases(session, query, TODAY)))
    assert found
    assert not scans(got), got


@pytest.mark.parametrize("section", list(Section))
def test_each_worklist_section_goes_through_an_index(
    session: Session, desk: dict[str, str], section: Section
) -> None:
    got = plans(session, lambda: _section_ids(session, section, TODAY, False, 0, 101))
    assert not scans(got), got
    # Read in the order of an index, never every matching case collected and sorted.
    assert not [d for plan in got for d in plan if d == "USE TEMP B-TREE FOR ORDER BY"] or (
        section is Section.TODAY  # a day's cases, by time
    ), got


def test_the_worklist_with_a_big_desks_statistics(session: Session, desk: dict[str, str]) -> None:
    page = list_cases(session, today=TODAY)
    listed = [r.id for r in page.rows]
    assert listed[:2] == [desk["gap"], desk["gap2"]]  # the older gap is due first
    assert desk["notified"] in listed and desk["decided"] in listed
    assert scans(plans(session, lambda: list_cases(session, today=TODAY))) == []


def test_summaries_say_what_each_cases_summary_says(session: Session, desk: dict[str, str]) -> None:
    ids = list(desk.values())
    calendar = calendar_for(session)
    expected = [summary_of(session.get(Case, i), TODAY, calendar) for i in ids]  # type: ignore[arg-type]
    got = summaries_of(session, ids, TODAY)
    assert got == expected
    assert [g.reasons for g in got] == [e.reasons for e in expected]
    gap = got[ids.index(desk["gap"])]
    assert gap.open_gaps == 1 and gap.due is not None
    assert got[ids.index(desk["org"])].matter_names == ("食品经营许可", "公共场所卫生许可")
    assert [str(r) for r in got[ids.index(desk["notified"])].reasons]
    assert [s.id for s in summaries_of(session, [*ids[::-1], "gone"], TODAY)] == ids[::-1]
