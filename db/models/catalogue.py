"""The catalogue (事项目录): departments, matters, their materials, bundles (一件事) and the
working-day calendar overrides. Published centrally and read-only on the desk: an import
replaces every row at once (see app.catalogue.importer), so natural keys are used."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, utcnow

# Values of the enumerated string columns; the JSON schema uses the same lists.
VISIT_CLASSES = ("零上门", "只跑一次", "其他")
MATERIAL_FORMS = ("original_checked", "original_kept", "copy", "electronic")
NECESSITIES = ("required", "conditional", "optional")
MATERIAL_SOURCES = ("applicant", "department", "e_licence")


class CatalogueVersion(Base):
    """One imported catalogue file; exactly one row is current (the one cases are judged by)."""

    __tablename__ = "catalogue_version"
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(default=False)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))
    is_current: Mapped[bool] = mapped_column(default=False)


class Department(Base):
    __tablename__ = "department"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # administrative | authorised | enterprise (no 复议/诉讼 against an enterprise's papers)
    organ_type: Mapped[str] = mapped_column(
        String(20), default="administrative", server_default="administrative", sort_order=100
    )
    review_body: Mapped[str] = mapped_column(
        String(200), default="", server_default="", sort_order=100
    )  # 行政复议机关
    court: Mapped[str] = mapped_column(
        String(200), default="", server_default="", sort_order=100
    )  # 一审法院
    phone: Mapped[str] = mapped_column(String(60), default="", server_default="", sort_order=100)


class Matter(Base):
    """A matter (事项) as the implementation list publishes it."""

    __tablename__ = "matter"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    legal_days: Mapped[int] = mapped_column()
    promised_days: Mapped[int] = mapped_column()
    fee_yuan: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0.00"))
    fee_basis: Mapped[str] = mapped_column(String(300), default="")
    allows_pledge: Mapped[bool] = mapped_column(default=False)
    allows_gap: Mapped[bool] = mapped_column(default=False)
    visit_class: Mapped[str] = mapped_column(String(10))
    place: Mapped[str] = mapped_column(String(200), default="")
    # The basis non-licence papers cite (a licence cites 《行政许可法》第三十二条).
    legal_basis: Mapped[str] = mapped_column(Text, default="", server_default="", sort_order=100)
    gap_policy: Mapped[str] = mapped_column(
        String(300), default="", server_default="", sort_order=100
    )  # 容缺's policy basis
    gap_reserve_days: Mapped[int] = mapped_column(default=1, server_default="1", sort_order=100)
    parallel_review: Mapped[bool] = mapped_column(
        default=False, server_default=false(), sort_order=100
    )
    gap_credit_record: Mapped[bool] = mapped_column(
        default=False, server_default=false(), sort_order=100
    )
    pinyin_initials: Mapped[str] = mapped_column(String(200), default="")
    pinyin_full: Mapped[str] = mapped_column(String(1000), default="")

    department: Mapped[Department] = relationship(lazy="joined")
    materials: Mapped[list[Material]] = relationship(
        order_by="Material.position", cascade="all, delete-orphan", back_populates="matter"
    )


class Material(Base):
    """A material one matter requires. `code` is the standard material code: the same code in
    two matters is the same material, asked for once in a bundle."""

    __tablename__ = "material"
    __table_args__ = (UniqueConstraint("matter_code", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    matter_code: Mapped[str] = mapped_column(ForeignKey("matter.code"), index=True)
    position: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(20))
    copies: Mapped[int] = mapped_column(default=0)
    necessity: Mapped[str] = mapped_column(String(20))
    condition: Mapped[str] = mapped_column(String(300), default="")
    tolerable: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(20))
    paper_size: Mapped[str] = mapped_column(String(10), default="A4")
    note: Mapped[str] = mapped_column(Text, default="")
    obtain: Mapped[str] = mapped_column(Text, default="")
    blank_form: Mapped[str | None] = mapped_column(String(200), default=None)
    sample: Mapped[str | None] = mapped_column(String(200), default=None)
    core: Mapped[bool] = mapped_column(
        default=False, server_default=false(), sort_order=100
    )  # 主要材料: never 容缺
    role: Mapped[str] = mapped_column(
        String(30), default="other", server_default="other", sort_order=100
    )

    matter: Mapped[Matter] = relationship(back_populates="materials")


class Bundle(Base):
    """A bundle (一件事): several matters handled as one case."""

    __tablename__ = "bundle"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    pinyin_initials: Mapped[str] = mapped_column(String(200), default="")
    pinyin_full: Mapped[str] = mapped_column(String(1000), default="")

    matters: Mapped[list[BundleMatter]] = relationship(
        order_by="BundleMatter.position", cascade="all, delete-orphan"
    )


class BundleMatter(Base):
    __tablename__ = "bundle_matter"
    bundle_code: Mapped[str] = mapped_column(ForeignKey("bundle.code"), primary_key=True)
    matter_code: Mapped[str] = mapped_column(ForeignKey("matter.code"), primary_key=True)
    position: Mapped[int] = mapped_column()

    matter: Mapped[Matter] = relationship(lazy="joined")


class Holiday(Base):
    """An override of the Monday-to-Friday working week: a public holiday (is_workday False)
    or a make-up workday on a weekend (调休上班, is_workday True)."""

    __tablename__ = "holiday"
    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool] = mapped_column()
    name: Mapped[str] = mapped_column(String(60))
