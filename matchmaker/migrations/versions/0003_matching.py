"""matching: canonical certification ids, match explanations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 13:40:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certification_ids', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relevance', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('explanation', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('matched_at', sa.DateTime(timezone=True), nullable=True))
    _backfill()
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.alter_column('certification_ids', server_default=None)


def _backfill():
    # Existing profiles get canonical certification ids (the normalizer's rules of today).
    from matchmaker import certifications

    connection = op.get_bind()
    suppliers = sa.table('suppliers', sa.column('id', sa.Integer), sa.column('certifications', sa.JSON),
                         sa.column('certification_ids', sa.JSON))
    for row_id, certs in connection.execute(sa.select(suppliers.c.id, suppliers.c.certifications)).all():
        ids = certifications.canonical_list(_decoded(certs))
        connection.execute(suppliers.update().where(suppliers.c.id == row_id).values(certification_ids=ids))


def _decoded(value):
    return json.loads(value) if isinstance(value, str) else (value or [])


def downgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_column('matched_at')
        batch_op.drop_column('explanation')
        batch_op.drop_column('relevance')
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_column('certification_ids')
