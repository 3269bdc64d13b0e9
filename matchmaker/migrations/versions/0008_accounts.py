"""accounts: confirmed e-mail addresses, and failed sign-ins counted for the lockout

Existing accounts count as confirmed (from when they were created): they were
made before confirmation existed, by staff, the CLI or an earlier registration.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE users SET confirmed_at = created_at WHERE confirmed_at IS NULL"))

    op.create_table(
        'sign_in_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures')),
    )
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failures_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failures_email'), ['email'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_email'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_at'))
    op.drop_table('sign_in_failures')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('confirmed_at')
