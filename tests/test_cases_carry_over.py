"""A notified applicant who comes back finds carried over what the first case settled: the
materials received and checked, and the lines judged not applicable (a conditional material
whose condition does not hold, an optional one); never a line still to be brought, nor a
judgement the catalogue no longer allows (a line that became required)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.rules.decision import MaterialEntry, MaterialStatus
from app.rules.lifecycle import CaseStatus
from app.services.aftercare import carried_entries, restart_from_notice
from app.services.desk_queries import notified_case
from app.services.intake import save_case
from db.engine import Database
from db.models.catalogue import Matter
from tests.test_cases_support import CTX, NOW, PERSON, S, material, seed


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        seed(s)
        food = s.scalars(select(Matter).where(Matter.code == "FOOD")).one()
        food.materials.append(material(3, "X", "前置许可文件", "copy", copies=1))
        s.commit()
        yield s


def necessity_of_x(session: Session, necessity: str) -> None:
    food = session.scalars(select(Matter).where(Matter.code == "FOOD")).one()
    (x,) = [m for m in food.materials if m.code == "X"]
    x.necessity = necessity
    session.commit()


NA = MaterialEntry(S.NOT_APPLICABLE)
RECEIVED = MaterialEntry(S.RECEIVED_COPIES, copies=1)

# (the material X's necessity in the first case, how the clerk marked it, its necessity in the
# catalogue when the applicant returns, what the new case starts with for X)
CASES = [
    pytest.param("conditional", NA, "conditional", NA, id="conditional-not-applicable"),
    pytest.param("optional", NA, "optional", NA, id="optional-not-applicable"),
    pytest.param("conditional", RECEIVED, "conditional", RECEIVED, id="conditional-received"),
    pytest.param("required", RECEIVED, "required", RECEIVED, id="required-received"),
    pytest.param("conditional", MaterialEntry(S.MISSING), "conditional", None, id="missing"),
    pytest.param(
        "conditional",
        MaterialEntry(S.DEFECTIVE, defect_reason="过期"),
        "conditional",
        None,
        id="defective",
    ),
    pytest.param("conditional", NA, "required", None, id="now-required"),
]


@pytest.mark.parametrize(("before", "marked", "after", "carried"), CASES)
def test_what_a_returning_applicant_finds_carried_over(
    session: Session,
    before: str,
    marked: MaterialEntry,
    after: str,
    carried: MaterialEntry | None,
) -> None:
    necessity_of_x(session, before)
    first = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries={
            "ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
            "LEASE": MaterialEntry(S.MISSING),  # the notice asks for it
            "PHOTO": MaterialEntry(S.ELECTRONIC),
            "X": marked,
        },
        commitment_signed=False,
        now=NOW,
    )
    session.commit()
    assert first.status is CaseStatus.NOTIFIED
    necessity_of_x(session, after)

    want = {"ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED), "PHOTO": MaterialEntry(S.ELECTRONIC)}
    if carried is not None:
        want["X"] = carried
    assert carried_entries(session, first.case_id) == want
    assert notified_case(session, first.case_id).carried == want  # what the desk shows

    if carried is None:
        return
    # The applicant brings the lease; nothing else is marked again.
    second = restart_from_notice(
        session,
        CTX,
        first.case_id,
        entries={"LEASE": MaterialEntry(S.RECEIVED_COPIES, copies=2)},
        commitment_signed=False,
        now=NOW,
    )
    assert second.status is CaseStatus.ACCEPTED
    statuses = {m.material_code: MaterialStatus(m.status) for m in second.case.materials}
    assert statuses["X"] is carried.status
