"""summaries: for_care_team flag (patient-only summaries from a public link)

Revision ID: 0002_for_care_team
Revises: 0001_initial
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_for_care_team"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("wi_summaries") as batch:
        batch.add_column(sa.Column("for_care_team", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.create_index("ix_wi_summaries_for_care_team", ["for_care_team"])


def downgrade() -> None:
    with op.batch_alter_table("wi_summaries") as batch:
        batch.drop_index("ix_wi_summaries_for_care_team")
        batch.drop_column("for_care_team")
