"""fhir: push deliveries to the hospital's FHIR server, FHIR Tasks (MedMij-style flow)

Revision ID: 0004_fhir
Revises: 0003_security
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_fhir"
down_revision = "0003_security"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "wi_fhir_deliveries",
        sa.Column("summary_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("locations", JSONType, nullable=True),
        sa.PrimaryKeyConstraint("summary_id", name="pk_wi_fhir_deliveries"),
    )
    op.create_index("ix_wi_fhir_deliveries_status", "wi_fhir_deliveries", ["status"])
    op.create_index("ix_wi_fhir_deliveries_next_attempt_at", "wi_fhir_deliveries", ["next_attempt_at"])
    op.create_table(
        "wi_fhir_tasks",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("identifier_system", sa.String(255), nullable=True),
        sa.Column("identifier_value", sa.String(255), nullable=True),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("patient", sa.String(300), nullable=True),
        sa.Column("patient_reference", sa.String(300), nullable=True),
        sa.Column("appointment_code", sa.String(64), nullable=True),
        sa.Column("summary_id", sa.String(64), nullable=True),
        sa.Column("body", JSONType, nullable=False),
        sa.Column("source", sa.String(128), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wi_fhir_tasks"),
    )
    op.create_index("ix_wi_fhir_tasks_invitation_id", "wi_fhir_tasks", ["invitation_id"])
    op.create_index("ix_wi_fhir_tasks_summary_id", "wi_fhir_tasks", ["summary_id"])


def downgrade() -> None:
    op.drop_table("wi_fhir_tasks")
    op.drop_table("wi_fhir_deliveries")
