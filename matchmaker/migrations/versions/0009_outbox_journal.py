"""search outbox kept as a journal: applied rows are stamped, not deleted (catch-up after reindex and rollback)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Recreated on SQLite with AUTOINCREMENT, so ids never repeat after pruning (watermarks are ids).
    with op.batch_alter_table('search_outbox', schema=None, recreate='always',
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_search_outbox_applied_at'), ['applied_at'], unique=False)


def downgrade():
    op.execute("DELETE FROM search_outbox WHERE applied_at IS NOT NULL")  # the old schema held pending rows only
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_applied_at'))
        batch_op.drop_column('applied_at')
