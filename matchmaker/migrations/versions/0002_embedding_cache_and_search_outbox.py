"""embedding cache and search outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:29:18.630190

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('embedding_cache',
    sa.Column('encoder', sa.String(length=200), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('dimensions', sa.Integer(), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('encoder', 'text_sha256', name=op.f('pk_embedding_cache'))
    )
    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_external_id', sa.String(length=100), nullable=False),
    sa.Column('operation', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_outbox_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_outbox_supplier_external_id'), ['supplier_external_id'], unique=False)



def downgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_supplier_external_id'))
        batch_op.drop_index(batch_op.f('ix_search_outbox_created_at'))

    op.drop_table('search_outbox')
    op.drop_table('embedding_cache')
