"""How fast a case is accepted and a bundle's checklist built (`python -m app bench`)."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app.clock import hall_day
from app.rules.decision import DecisionKind, MaterialEntry, MaterialStatus
from app.services.applicant import ApplicantData
from app.services.case_queries import list_cases
from app.services.changes import DeskContext
from app.services.intake import checklist_for, save_case
from db.models.catalogue import Bundle, CatalogueVersion, Material, Matter
from db.models.hall import Clerk, Hall


def _bench_seed(session: Session) -> None:
    from db.models.catalogue import BundleMatter, Department
    from db.models.hall import Window

    session.add(Hall(id=1, name="基准大厅", division_code="220800"))
    session.add(Window(number=1))
    session.add(Department(code="D1", name="基准部门"))
    session.add(CatalogueVersion(version="bench", name="基准", sha256="0" * 64, is_current=True))
    forms = ("original_checked", "copy", "original_kept")
    for i in range(6):
        matter = Matter(
            code=f"BM{i}",
            name=f"基准事项{i}",
            department_code="D1",
            kind="行政许可",
            legal_days=20,
            promised_days=5,
            allows_gap=True,
            visit_class="只跑一次",
        )
        # Shared materials (S*) appear in every matter, as ID cards and licences do.
        codes = ["S1", "S2", f"B{i}A", f"B{i}B", f"B{i}C"] if i else ["S1", "S2", "B0A"]
        for pos, code in enumerate(codes):
            matter.materials.append(
                Material(
                    position=pos,
                    code=code,
                    name=f"材料{code}",
                    form=forms[pos % 3],
                    copies=1 if forms[pos % 3] == "copy" else 0,
                    necessity="required",
                    tolerable=pos == 2,
                    source="applicant",
                    obtain="申请人提供",
                )
            )
        session.add(matter)
    bundle = Bundle(code="BB", name="基准一件事")
    bundle.matters.extend(BundleMatter(matter_code=f"BM{i}", position=i) for i in range(6))
    session.add(bundle)
    session.add(Clerk(id="C1", name="基准", role="clerk"))


def bench_cases(runs: int = 30, key: bytes | None = None) -> dict[str, float]:
    """Medians in milliseconds: `accept_case_ms` (rules + save + commit of a case for a
    3-material matter, and the case list's refresh that follows a save) and `checklist_build_ms` (the checklist of a 6-matter bundle, read from
    the catalogue), on a temporary SQLite file database (encrypted with `key` if given)."""
    from db import cipher
    from db.engine import open_database

    applicant = ApplicantData("person", "张三", "11010519491231002X", "13812345678")
    entries = {
        "S1": MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_CHECKED),
        "S2": MaterialEntry(MaterialStatus.RECEIVED_COPIES, copies=1),
        "B0A": MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_KEPT),
    }
    ctx = DeskContext(window_number=1, clerk_id="C1")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        if key is not None:
            cipher.register_key(path, key)
        database = open_database(path)
        try:
            with database.session() as session, session.begin():
                _bench_seed(session)
            accept, build = [], []
            now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
            for _ in range(runs):
                with database.session() as session:
                    start = time.perf_counter()
                    with session.begin():
                        saved = save_case(
                            session,
                            ctx,
                            applicant=applicant,
                            matter_codes=["BM0"],
                            entries=entries,
                            commitment_signed=False,
                            now=now,
                        )
                    assert saved.decision.kind is DecisionKind.ACCEPT
                # The refresh the desk runs after a save: the case list, read again.
                with database.read() as session:
                    list_cases(session, today=hall_day(now))
                accept.append(time.perf_counter() - start)
                with database.session() as session:
                    start = time.perf_counter()
                    lines = checklist_for(session, bundle_code="BB")
                    build.append(time.perf_counter() - start)
                    assert len(lines) == 18  # S1, S2 once; 16 matter-own
        finally:
            database.close()
    return {
        "accept_case_ms": statistics.median(accept) * 1000,
        "checklist_build_ms": statistics.median(build) * 1000,
    }
