"""search outbox: when a failed change is retried next (the worker's backoff)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 09:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_search_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_next_attempt_at'))
        batch_op.drop_column('next_attempt_at')
