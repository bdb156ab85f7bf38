"""Cases (办件): one applicant's application at a window, the matters it covers and the
materials checked for it. Matter and material facts are SNAPSHOTS of the catalogue version the
case was judged against (`catalogue_version`), so a later catalogue never changes an old case.
Status and decision values are those of app.rules.lifecycle.CaseStatus and
app.rules.decision.DecisionKind / MaterialStatus."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, Index, String, Text, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, DeskRow, utcnow


class Case(DeskRow, Base):
    __tablename__ = "case"
    # {division_code}{yyyymmdd}{window:02d}{seq:04d}: see app.services.intake.
    case_no: Mapped[str] = mapped_column(String(24), unique=True)
    status: Mapped[str] = mapped_column(String(24))
    decision: Mapped[str] = mapped_column(String(20))  # final (after any override)
    rule_decision: Mapped[str] = mapped_column(String(20))  # what the rules chose
    # Each a text kept as its code and parameters (app.messages.to_stored); a plain string in
    # cases saved before codes were kept.
    decision_reasons: Mapped[list[Any]] = mapped_column(default=list)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[str | None] = mapped_column(String(40))  # the manager's clerk id
    reject_reason: Mapped[str | None] = mapped_column(Text)
    # A rejection's ground (app.rules.rejection.RejectGround), the organ the applicant is
    # referred to, and what was asked for when the catalogue does not hold it (free text).
    reject_ground: Mapped[str | None] = mapped_column(String(30), sort_order=100)
    refer_to: Mapped[str | None] = mapped_column(Text, sort_order=100)

    applicant_kind: Mapped[str] = mapped_column(String(10))  # person | org
    applicant_name: Mapped[str] = mapped_column(String(100), index=True)
    applicant_id_number: Mapped[str] = mapped_column(String(18), index=True)  # ID no. or USCC
    applicant_phone: Mapped[str] = mapped_column(String(30))
    agent_name: Mapped[str | None] = mapped_column(String(50), index=True)
    agent_id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    agent_phone: Mapped[str | None] = mapped_column(String(30))

    bundle_code: Mapped[str | None] = mapped_column(String(40))
    catalogue_version: Mapped[str | None] = mapped_column(String(40))
    window_number: Mapped[int | None]
    clerk_id: Mapped[str | None] = mapped_column(String(40))
    # The queue ticket served; the ticket table belongs to the queue, hence no foreign key.
    ticket_id: Mapped[str | None] = mapped_column(String(26), index=True)
    # The notified case a returning applicant started this one from.
    previous_case_id: Mapped[str | None] = mapped_column(ForeignKey("case.id"), index=True)

    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_day: Mapped[date] = mapped_column(index=True)  # the hall's local day
    accepted_at: Mapped[datetime | None]
    promised_date: Mapped[date | None]
    commitment_signed: Mapped[bool] = mapped_column(default=False)
    status_reason: Mapped[str | None] = mapped_column(Text)  # why it was withdrawn, …
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    matters: Mapped[list[CaseMatter]] = relationship(
        order_by="CaseMatter.position", cascade="all, delete-orphan", back_populates="case"
    )
    materials: Mapped[list[CaseMaterial]] = relationship(
        order_by="CaseMaterial.position", cascade="all, delete-orphan", back_populates="case"
    )

    __table_args__ = (
        # The case list: open cases of a day.
        Index("ix_case_status_day", "status", "received_day"),
        # The manager's KPIs (0012): a period's first applications, its 容缺 cases, and the
        # cases changed since a month's visits were counted.
        Index("ix_case_root_day", "previous_case_id", "received_day"),
        Index("ix_case_decision_day", "decision", "received_day", "id"),
        Index("ix_case_updated_at", "updated_at"),
    )


# Finding a case by part of its number, ID numbers, phones or names (0004): an FTS5 index with
# the trigram tokenizer over the case table's own text (external content: nothing copied), kept
# in step by triggers. Not a model: tests/test_migrations.py leaves these tables out of the
# models-vs-migrations comparison (`is_search_table`). A migration that rebuilds `case` (batch)
# must recreate the triggers and run `INSERT INTO case_search(case_search) VALUES ('rebuild')`.
SEARCH_TABLE = "case_search"
SEARCH_NAME_COLUMNS = ("applicant_name", "agent_name")
SEARCH_NUMBER_COLUMNS = (
    "case_no",
    "applicant_id_number",
    "agent_id_number",
    "applicant_phone",
    "agent_phone",
)
_SEARCH_COLUMNS = SEARCH_NAME_COLUMNS + SEARCH_NUMBER_COLUMNS
_COLS = ", ".join(_SEARCH_COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in _SEARCH_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in _SEARCH_COLUMNS)
SEARCH_DDL = [
    f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5({_COLS}, "
    "content='case', content_rowid='rowid', tokenize='trigram')",
    f'CREATE TRIGGER case_search_insert AFTER INSERT ON "case" BEGIN '
    f"INSERT INTO {SEARCH_TABLE}(rowid, {_COLS}) VALUES (new.rowid, {_NEW}); END",
    f'CREATE TRIGGER case_search_delete AFTER DELETE ON "case" BEGIN '
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, {_COLS}) "
    f"VALUES ('delete', old.rowid, {_OLD}); END",
    f'CREATE TRIGGER case_search_update AFTER UPDATE OF {_COLS} ON "case" BEGIN '
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, {_COLS}) "
    f"VALUES ('delete', old.rowid, {_OLD}); "
    f"INSERT INTO {SEARCH_TABLE}(rowid, {_COLS}) VALUES (new.rowid, {_NEW}); END",
]


def is_search_table(name: str | None) -> bool:
    """The FTS index and its shadow tables (case_search, case_search_data, ...)."""
    return name is not None and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_"))


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's include_name: autogenerate and its comparisons leave the search tables out."""
    return not (type_ == "table" and is_search_table(name))


class CaseMatter(DeskRow, Base):
    __tablename__ = "case_matter"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    position: Mapped[int]
    matter_code: Mapped[str] = mapped_column(String(60))
    matter_name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(String(40), default="")
    promised_days: Mapped[int]
    legal_days: Mapped[int]
    # Snapshots of what the papers say about the matter and its organ (0007).
    kind: Mapped[str] = mapped_column(String(20), default="", server_default="", sort_order=100)
    organ: Mapped[str] = mapped_column(String(100), default="", server_default="", sort_order=100)
    organ_type: Mapped[str] = mapped_column(
        String(20), default="administrative", server_default="administrative", sort_order=100
    )
    review_body: Mapped[str] = mapped_column(
        String(200), default="", server_default="", sort_order=100
    )
    court: Mapped[str] = mapped_column(String(200), default="", server_default="", sort_order=100)
    organ_phone: Mapped[str] = mapped_column(
        String(60), default="", server_default="", sort_order=100
    )
    legal_basis: Mapped[str] = mapped_column(Text, default="", server_default="", sort_order=100)
    gap_policy: Mapped[str] = mapped_column(
        String(300), default="", server_default="", sort_order=100
    )
    gap_credit_record: Mapped[bool] = mapped_column(
        default=False, server_default=false(), sort_order=100
    )
    parallel_review: Mapped[bool] = mapped_column(
        default=False, server_default=false(), sort_order=100
    )
    place: Mapped[str] = mapped_column(String(200), default="", server_default="", sort_order=100)

    case: Mapped[Case] = relationship(back_populates="matters")


class CaseMaterial(DeskRow, Base):
    __tablename__ = "case_material"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    position: Mapped[int]
    material_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(20))
    copies_required: Mapped[int] = mapped_column(default=0)
    necessity: Mapped[str] = mapped_column(String(20))
    tolerable: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(20), default="applicant")
    matter_codes: Mapped[list[str]] = mapped_column(default=list)
    obtain: Mapped[str] = mapped_column(Text, default="")
    # Snapshots for the notice's requirement column (0007).
    note: Mapped[str] = mapped_column(Text, default="", server_default="", sort_order=100)
    condition: Mapped[str] = mapped_column(
        String(300), default="", server_default="", sort_order=100
    )
    role: Mapped[str] = mapped_column(
        String(30), default="other", server_default="other", sort_order=100
    )
    core: Mapped[bool] = mapped_column(default=False, server_default=false(), sort_order=100)
    blank_form: Mapped[str | None] = mapped_column(String(200), sort_order=100)
    sample: Mapped[str | None] = mapped_column(String(200), sort_order=100)
    status: Mapped[str] = mapped_column(String(30))
    copies_received: Mapped[int] = mapped_column(default=0)
    defect_reason: Mapped[str | None] = mapped_column(Text)
    # Why it is still needed, as the notification slip says it: a text kept as its code and
    # parameters (app.messages.to_stored), or a plain string in cases saved before (0002).
    missing_why: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    gap_deadline: Mapped[date | None]
    supplied_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="materials")

    __table_args__ = (
        Index("ix_case_material_gap", "gap_deadline", "supplied_at"),
        # The manager's 容缺 KPIs (0012): a case's gaps from the index alone.
        Index("ix_case_material_case_gap", "case_id", "gap_deadline", "supplied_at"),
    )


for _sql in SEARCH_DDL:
    event.listen(Case.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
