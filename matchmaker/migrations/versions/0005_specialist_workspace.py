"""specialist workspace: assignment, curation decisions, pipeline steps, supplier version

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 16:50:47

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('match_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_match_steps_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['match_id'], ['matches.id'], name=op.f('fk_match_steps_match_id_matches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_steps'))
    )
    with op.batch_alter_table('match_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_steps_match_id'), ['match_id'], unique=False)

    with op.batch_alter_table('buyer_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_buyer_requests_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_buyer_requests_assignee_id_users'), 'users', ['assignee_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('pinned', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_index(batch_op.f('ix_matches_status'), ['status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_matches_decided_by_id_users'), 'users', ['decided_by_id'], ['id'], ondelete='SET NULL')

    # Whoever last changed a decided match made that decision: keep it, with its time.
    op.execute("UPDATE matches SET decided_by_id = updated_by_id, decided_at = updated_at "
               "WHERE status <> 'suggested' OR grade IS NOT NULL")
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_matches_updated_by_id_users'), type_='foreignkey')
        batch_op.drop_column('updated_by_id')

    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_by_id', sa.INTEGER(), nullable=True))
        batch_op.drop_constraint(batch_op.f('fk_matches_decided_by_id_users'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_matches_updated_by_id_users'), 'users', ['updated_by_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE matches SET updated_by_id = decided_by_id")
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matches_status'))
        batch_op.drop_column('revision')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by_id')
        batch_op.drop_column('position')
        batch_op.drop_column('pinned')
        batch_op.drop_column('reason')

    with op.batch_alter_table('buyer_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_buyer_requests_assignee_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_buyer_requests_assignee_id'))
        batch_op.drop_column('assignee_id')

    with op.batch_alter_table('match_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_steps_match_id'))

    op.drop_table('match_steps')
