"""Supplier profiles and their products."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .. import certifications as certs

from ..extensions import db
from ._columns import utcnow


class Supplier(db.Model):
    """A Korean SME's product and capability profile (data contract: supplier profile)."""

    __tablename__ = "suppliers"
    __table_args__ = (
        CheckConstraint("smart_factory_level BETWEEN 0 AND 5", name="smart_factory_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # active_history: a rename must know the old id (even when unloaded) to drop it from the search index.
    external_id: Mapped[str] = mapped_column(String(100), unique=True, active_history=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    industry: Mapped[str] = mapped_column(String(32), index=True)
    region: Mapped[str | None] = mapped_column(String(100))
    capabilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    certifications: Mapped[list[str]] = mapped_column(JSON, default=list)  # as written, shown to people
    # Canonical ids of the certifications held (not those applied for): what filters and fit signals use.
    certification_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    smart_factory_level: Mapped[int | None] = mapped_column(Integer)
    employees: Mapped[int | None] = mapped_column(Integer)
    founded_year: Mapped[int | None] = mapped_column(Integer)
    export_markets: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    website: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Bumped by every change; an edit made from a stale page is refused instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    products: Mapped[list[Product]] = relationship(
        back_populates="supplier", cascade="all, delete-orphan", order_by="Product.position")

    __mapper_args__ = {"version_id_col": version}

    @validates("certifications")
    def _normalize_certifications(self, _key, value):
        # One place keeps the canonical ids in step, whoever writes the list (import, form, CLI).
        self.certification_ids = certs.canonical_list(value or [])
        return list(value or [])

    @property
    def display_name(self) -> str:
        """The English trade name with the registered name, or the registered name alone."""
        if self.name_en and self.name_en != self.name:
            return f"{self.name_en} ({self.name})"
        return self.name

    def __repr__(self) -> str:
        return f"<Supplier {self.external_id} {self.name!r}>"


class Product(db.Model):
    """One product a supplier makes, in the order the profile lists them."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    hs_code: Mapped[str | None] = mapped_column(String(16))
    moq: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(20))
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    unit_price_usd: Mapped[float | None] = mapped_column(Float)

    supplier: Mapped[Supplier] = relationship(back_populates="products")
