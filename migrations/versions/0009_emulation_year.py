"""The emulation year (issue 13): movements (a workflow subject of their own), their
participants and areas of work, registrations, cluster pacts and signatures, inspections,
and scoring tables with groups, criteria, entries and locked results.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workflow', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('theme', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=True),
    sa.Column('document_signer', sa.String(length=160), nullable=False),
    sa.Column('document_sha256', sa.String(length=64), nullable=True),
    sa.Column('document_filename', sa.String(length=255), nullable=True),
    sa.Column('registration_deadline', sa.Date(), nullable=True),
    sa.Column('registration_reopened', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state_entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('step_days_carried', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('regular', 'thematic')", name=op.f('ck_movement_kind')),
    sa.CheckConstraint("scope IN ('national', 'sector', 'cluster', 'unit')", name=op.f('ck_movement_scope')),
    sa.CheckConstraint("workflow = 'movement'", name=op.f('ck_movement_workflow')),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_movement_period')),
    sa.CheckConstraint('step_days_carried >= 0', name=op.f('ck_movement_step_days_carried')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_movement_version')),
    sa.CheckConstraint('year BETWEEN 1945 AND 2200', name=op.f('ck_movement_year')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_movement_cluster_id_cluster')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_movement_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['parent_id'], ['movement.id'], name=op.f('fk_movement_parent_id_movement')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_movement_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_movement'))
    )
    op.create_index(op.f('ix_movement_cluster_id'), 'movement', ['cluster_id'], unique=False)
    op.create_index(op.f('ix_movement_parent_id'), 'movement', ['parent_id'], unique=False)
    op.create_index(op.f('ix_movement_state'), 'movement', ['state'], unique=False)
    op.create_index(op.f('ix_movement_unit_id'), 'movement', ['unit_id'], unique=False)
    op.create_table('pact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('signed_at_place', sa.String(length=255), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('year BETWEEN 1945 AND 2200', name=op.f('ck_pact_year')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_pact_cluster_id_cluster')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_pact_created_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pact')),
    sa.UniqueConstraint('cluster_id', 'year', name=op.f('uq_pact_cluster_id_year'))
    )
    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('inspector_unit_id', sa.Integer(), nullable=False),
    sa.Column('movement_id', sa.Integer(), nullable=True),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('year BETWEEN 1945 AND 2200', name=op.f('ck_inspection_year')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_inspection_cluster_id_cluster')),
    sa.ForeignKeyConstraint(['inspector_unit_id'], ['org_unit.id'], name=op.f('fk_inspection_inspector_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['movement_id'], ['movement.id'], name=op.f('fk_inspection_movement_id_movement')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id'], name=op.f('fk_inspection_recorded_by_id_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_inspection_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection'))
    )
    op.create_index(op.f('ix_inspection_cluster_id'), 'inspection', ['cluster_id'], unique=False)
    op.create_index(op.f('ix_inspection_movement_id'), 'inspection', ['movement_id'], unique=False)
    op.create_index(op.f('ix_inspection_unit_id'), 'inspection', ['unit_id'], unique=False)
    op.create_table('movement_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('movement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['movement_id'], ['movement.id'], name=op.f('fk_movement_area_movement_id_movement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_movement_area')),
    sa.UniqueConstraint('movement_id', 'position', name=op.f('uq_movement_area_movement_id_position'))
    )
    op.create_table('movement_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('movement_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['movement_id'], ['movement.id'], name=op.f('fk_movement_participant_movement_id_movement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_movement_participant_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_movement_participant')),
    sa.UniqueConstraint('movement_id', 'unit_id', name=op.f('uq_movement_participant_movement_id_unit_id'))
    )
    op.create_index(op.f('ix_movement_participant_unit_id'), 'movement_participant', ['unit_id'], unique=False)
    op.create_table('pact_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pact_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('signed_by', sa.String(length=160), nullable=False),
    sa.Column('on_behalf_of', sa.String(length=255), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pact_id'], ['pact.id'], name=op.f('fk_pact_signature_pact_id_pact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id'], name=op.f('fk_pact_signature_recorded_by_id_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_pact_signature_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pact_signature')),
    sa.UniqueConstraint('pact_id', 'unit_id', name=op.f('uq_pact_signature_pact_id_unit_id'))
    )
    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('movement_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('commitments', sa.Text(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['movement_id'], ['movement.id'], name=op.f('fk_registration_movement_id_movement')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['app_user.id'], name=op.f('fk_registration_registered_by_id_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_registration_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('movement_id', 'unit_id', name=op.f('uq_registration_movement_id_unit_id'))
    )
    op.create_index(op.f('ix_registration_movement_id'), 'registration', ['movement_id'], unique=False)
    op.create_index(op.f('ix_registration_unit_id'), 'registration', ['unit_id'], unique=False)
    op.create_table('score_table',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('movement_id', sa.Integer(), nullable=True),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('assessor_unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('bands', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open', 'locked', 'published')", name=op.f('ck_score_table_status')),
    sa.CheckConstraint('(movement_id IS NULL) <> (cluster_id IS NULL)', name=op.f('ck_score_table_one_owner')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_score_table_version')),
    sa.CheckConstraint('year BETWEEN 1945 AND 2200', name=op.f('ck_score_table_year')),
    sa.ForeignKeyConstraint(['assessor_unit_id'], ['org_unit.id'], name=op.f('fk_score_table_assessor_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_score_table_cluster_id_cluster')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_score_table_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['movement_id'], ['movement.id'], name=op.f('fk_score_table_movement_id_movement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_table'))
    )
    op.create_index(op.f('ix_score_table_cluster_id'), 'score_table', ['cluster_id'], unique=False)
    op.create_index(op.f('ix_score_table_movement_id'), 'score_table', ['movement_id'], unique=False)
    op.create_table('registration_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], name=op.f('fk_registration_line_award_id_award')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_registration_line_person_id_person')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_registration_line_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_line'))
    )
    op.create_index(op.f('ix_registration_line_person_id'), 'registration_line', ['person_id'], unique=False)
    op.create_index(op.f('ix_registration_line_registration_id'), 'registration_line', ['registration_id'], unique=False)
    op.create_table('score_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['table_id'], ['score_table.id'], name=op.f('fk_score_group_table_id_score_table'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_group')),
    sa.UniqueConstraint('table_id', 'position', name=op.f('uq_score_group_table_id_position'))
    )
    op.create_table('score_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('total_cp', sa.Integer(), nullable=False),
    sa.Column('band', sa.String(length=20), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('tied', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['table_id'], ['score_table.id'], name=op.f('fk_score_result_table_id_score_table'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_score_result_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_result')),
    sa.UniqueConstraint('table_id', 'unit_id', name=op.f('uq_score_result_table_id_unit_id'))
    )
    op.create_index(op.f('ix_score_result_unit_id'), 'score_result', ['unit_id'], unique=False)
    op.create_table('score_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('max_cp', sa.Integer(), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('standard', 'bonus', 'penalty')", name=op.f('ck_score_criterion_kind')),
    sa.CheckConstraint('max_cp > 0', name=op.f('ck_score_criterion_max_cp')),
    sa.ForeignKeyConstraint(['group_id'], ['score_group.id'], name=op.f('fk_score_criterion_group_id_score_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['score_table.id'], name=op.f('fk_score_criterion_table_id_score_table'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_criterion')),
    sa.UniqueConstraint('group_id', 'position', name=op.f('uq_score_criterion_group_id_position'))
    )
    op.create_index(op.f('ix_score_criterion_table_id'), 'score_criterion', ['table_id'], unique=False)
    op.create_table('score_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('self_cp', sa.Integer(), nullable=True),
    sa.Column('self_note', sa.Text(), nullable=False),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=True),
    sa.Column('evidence_filename', sa.String(length=255), nullable=True),
    sa.Column('assessed_cp', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['score_criterion.id'], name=op.f('fk_score_entry_criterion_id_score_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['score_table.id'], name=op.f('fk_score_entry_table_id_score_table'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_score_entry_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_score_entry_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_entry')),
    sa.UniqueConstraint('criterion_id', 'unit_id', name=op.f('uq_score_entry_criterion_id_unit_id'))
    )
    op.create_index('ix_score_entry_table_unit', 'score_entry', ['table_id', 'unit_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_score_entry_table_unit', table_name='score_entry')
    op.drop_table('score_entry')
    op.drop_index(op.f('ix_score_criterion_table_id'), table_name='score_criterion')
    op.drop_table('score_criterion')
    op.drop_index(op.f('ix_score_result_unit_id'), table_name='score_result')
    op.drop_table('score_result')
    op.drop_table('score_group')
    op.drop_index(op.f('ix_registration_line_registration_id'), table_name='registration_line')
    op.drop_index(op.f('ix_registration_line_person_id'), table_name='registration_line')
    op.drop_table('registration_line')
    op.drop_index(op.f('ix_score_table_movement_id'), table_name='score_table')
    op.drop_index(op.f('ix_score_table_cluster_id'), table_name='score_table')
    op.drop_table('score_table')
    op.drop_index(op.f('ix_registration_unit_id'), table_name='registration')
    op.drop_index(op.f('ix_registration_movement_id'), table_name='registration')
    op.drop_table('registration')
    op.drop_table('pact_signature')
    op.drop_index(op.f('ix_movement_participant_unit_id'), table_name='movement_participant')
    op.drop_table('movement_participant')
    op.drop_table('movement_area')
    op.drop_index(op.f('ix_inspection_unit_id'), table_name='inspection')
    op.drop_index(op.f('ix_inspection_movement_id'), table_name='inspection')
    op.drop_index(op.f('ix_inspection_cluster_id'), table_name='inspection')
    op.drop_table('inspection')
    op.drop_table('pact')
    op.drop_index(op.f('ix_movement_unit_id'), table_name='movement')
    op.drop_index(op.f('ix_movement_state'), table_name='movement')
    op.drop_index(op.f('ix_movement_parent_id'), table_name='movement')
    op.drop_index(op.f('ix_movement_cluster_id'), table_name='movement')
    op.drop_table('movement')
