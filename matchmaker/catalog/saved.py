"""A buyer's saved suppliers."""
from __future__ import annotations

from sqlalchemy import delete, select

from ..extensions import db
from ..models import SavedSupplier, Supplier, User


def is_saved(user: User, supplier: Supplier) -> bool:
    """True when ``supplier`` is on ``user``'s list."""
    return db.session.get(SavedSupplier, (user.id, supplier.id)) is not None


def save(user: User, supplier: Supplier) -> bool:
    """Put ``supplier`` on the list; False when it was there already."""
    if is_saved(user, supplier):
        return False
    db.session.add(SavedSupplier(user_id=user.id, supplier_id=supplier.id))
    db.session.commit()
    return True


def unsave(user: User, supplier: Supplier) -> bool:
    """Take ``supplier`` off the list; False when it was not there."""
    result = db.session.execute(delete(SavedSupplier).where(SavedSupplier.user_id == user.id,
                                                            SavedSupplier.supplier_id == supplier.id))
    db.session.commit()
    return bool(result.rowcount)


def saved_list(user: User):
    """A select of ``user``'s saved suppliers, most recently saved first (for paging)."""
    return (select(Supplier).join(SavedSupplier, SavedSupplier.supplier_id == Supplier.id)
            .where(SavedSupplier.user_id == user.id)
            .order_by(SavedSupplier.created_at.desc(), Supplier.id.desc()))
