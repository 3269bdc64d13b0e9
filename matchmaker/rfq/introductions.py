"""Introductions: a buyer asks to meet a supplier for one request; the team makes the introduction.

The pair also becomes a ``Match`` (if matching had not proposed it), so the
specialist sees it among the request's candidates and carries it on from there
(``curation.pipeline.mark_introduced`` answers it).
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..curation.decisions import pair
from ..models import BuyerRequest, Introduction, Supplier, User, record_event
from ..notify import deliver, notify, staff_recipients
from .service import RequestStateError, buyer_name, record


def existing(request: BuyerRequest, supplier: Supplier) -> Introduction | None:
    """The introduction already asked for this pair, if any."""
    return db.session.scalar(select(Introduction).where(Introduction.request_id == request.id,
                                                        Introduction.supplier_id == supplier.id))


def request_introduction(request: BuyerRequest, supplier: Supplier, buyer: User, message: str,
                         quantity: int | None = None, unit: str | None = None) -> Introduction:
    """Record the buyer's ask, put the pair among the request's matches, and tell the team."""
    if not request.is_open:
        raise RequestStateError(_l("This request is closed; post a new one to ask for introductions."))
    if existing(request, supplier) is not None:
        raise RequestStateError(_l("You have already asked for an introduction to this supplier for this request."))
    intro = Introduction(request_id=request.id, supplier_id=supplier.id, buyer_id=buyer.id, message=message,
                         quantity=quantity, unit=unit)
    db.session.add(intro)
    pair(request, supplier)
    record(request, "introduction_requested", buyer, supplier_id=supplier.id)
    record_event("introduction.request", actor=buyer, entity_type="request", entity_id=request.external_id,
                 supplier=supplier.external_id)
    db.session.flush()
    sent = notify(staff_recipients(), "introduction_requested", url_for("rfq.detail", request_id=request.id),
                  title=request.title, supplier=supplier.display_name, buyer=buyer_name(buyer))
    db.session.commit()
    deliver(sent)
    return intro


def introductions_of(request: BuyerRequest) -> list[Introduction]:
    """The introductions asked for on ``request``, oldest first."""
    return list(db.session.scalars(select(Introduction).where(Introduction.request_id == request.id)
                                   .order_by(Introduction.id)))
