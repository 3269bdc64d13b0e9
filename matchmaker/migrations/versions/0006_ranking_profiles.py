"""ranking profiles: versioned profiles, their activations, and which profile ranked each match

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ranking_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('parent', sa.String(length=80), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ranking_profiles_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_profiles')),
    sa.UniqueConstraint('name', name=op.f('uq_ranking_profiles_name'))
    )
    op.create_table('ranking_activations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_ranking_activations_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['ranking_profiles.id'], name=op.f('fk_ranking_activations_profile_id_ranking_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_activations'))
    )
    with op.batch_alter_table('ranking_activations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranking_activations_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ranking_activations_activated_at'), ['activated_at'], unique=False)
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ranked_by', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_column('ranked_by')
    with op.batch_alter_table('ranking_activations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranking_activations_activated_at'))
        batch_op.drop_index(batch_op.f('ix_ranking_activations_profile_id'))
    op.drop_table('ranking_activations')
    op.drop_table('ranking_profiles')
