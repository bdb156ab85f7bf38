"""Shared set-up for the cases service tests: a small hall and catalogue, row counts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.rules.decision import MaterialEntry, MaterialStatus
from app.services.applicant import ApplicantData
from app.services.changes import DeskContext
from db.models.account import Credential
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.catalogue import (
    Bundle,
    BundleMatter,
    CatalogueVersion,
    Department,
    Holiday,
    Material,
    Matter,
)
from db.models.hall import Clerk, Hall, Window
from db.models.numbering import DailyCounter
from db.models.sync import Event, Outbox

S = MaterialStatus
CTX = DeskContext(window_number=3, clerk_id="C01")
# Thursday 26 November 2026, 10:00 in the hall (02:00 UTC).
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)

PERSON = ApplicantData("person", "张三", "11010519491231002X", "13812345678")
ORG = ApplicantData(
    "org",
    "白城市某某餐饮有限公司",
    "91220800MA0000000M",
    "0436-3212345",
    agent_name="李四",
    agent_id_number="110101199003074477",
)

ALL_IN = {
    "ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
    "LEASE": MaterialEntry(S.RECEIVED_COPIES, copies=2),
    "PHOTO": MaterialEntry(S.ELECTRONIC),
}
BUNDLE_ALL_IN = {**ALL_IN, "HEALTH": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT)}


def material(
    pos: int,
    code: str,
    name: str,
    form: str,
    *,
    copies: int = 0,
    necessity: str = "required",
    tolerable: bool = False,
) -> Material:
    return Material(
        position=pos,
        code=code,
        name=name,
        form=form,
        copies=copies,
        necessity=necessity,
        tolerable=tolerable,
        source="applicant",
        obtain=f"{name}：申请人提供",
    )


#: The managers' PIN in these tests, stored with cheap argon2 costs.
MANAGER_PIN = "135790"
_CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(MANAGER_PIN)


def give_pin(session: Session, clerk_id: str) -> None:
    """`clerk_id` signs in with MANAGER_PIN (no event: a fixture, not a desk's change)."""
    session.add(Credential(clerk_id=clerk_id, secret_hash=_CHEAP_HASH))


def seed(session: Session) -> None:
    """Hall 220800 with window 3; two matters sharing the ID card and the lease; a bundle of
    both; a clerk and a manager; one catalogue holiday override."""
    session.add(Hall(id=1, name="白城市政务服务中心", division_code="220800"))
    session.add(Window(number=3))
    session.add(Department(code="SCJG", name="市场监督管理局"))
    session.add(CatalogueVersion(version="2026.11", name="目录", sha256="0" * 64, is_current=True))
    food = Matter(
        code="FOOD",
        name="食品经营许可",
        department_code="SCJG",
        kind="行政许可",
        legal_days=20,
        promised_days=10,
        allows_gap=True,
        visit_class="只跑一次",
    )
    food.materials.extend(
        [
            material(0, "ID", "居民身份证", "original_checked"),
            material(1, "LEASE", "房屋租赁合同", "copy", copies=2, tolerable=True),
            material(2, "PHOTO", "门店照片", "electronic", necessity="optional"),
        ]
    )
    health = Matter(
        code="HEALTH",
        name="公共场所卫生许可",
        department_code="SCJG",
        kind="行政许可",
        legal_days=20,
        promised_days=5,
        allows_gap=True,
        visit_class="只跑一次",
    )
    health.materials.extend(
        [
            material(0, "ID", "居民身份证", "original_checked"),
            material(1, "HEALTH", "从业人员健康证明", "original_kept"),
            material(2, "LEASE", "房屋租赁合同", "copy", copies=1, tolerable=True),
        ]
    )
    session.add_all([food, health])
    bundle = Bundle(code="SHOP", name="开饭店一件事")
    bundle.matters.extend(
        [
            BundleMatter(matter_code="FOOD", position=0),
            BundleMatter(matter_code="HEALTH", position=1),
        ]
    )
    session.add(bundle)
    session.add_all(
        [
            Clerk(id="C01", name="王窗口", role="clerk"),
            Clerk(id="M01", name="赵主任", role="manager"),
            Clerk(id="M02", name="钱主任", role="manager", active=False),
        ]
    )
    session.flush()
    give_pin(session, "M01")
    # The catalogue moves a working day off: Friday 27 November 2026.
    session.add(Holiday(day=date(2026, 11, 27), is_workday=False, name="测试调休"))


TABLES = (Case, CaseMatter, CaseMaterial, Event, Outbox, DailyCounter)


def counts(session: Session) -> dict[str, int]:
    """Rows per table written by the cases service, and the case counter's value."""
    result = {
        t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES
    }
    result["counter"] = sum(session.scalars(select(DailyCounter.value)).all())
    return result
