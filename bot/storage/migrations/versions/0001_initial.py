"""initial tables: summaries, audit log, care-team users, API tokens, tracker deletions

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "wi_summaries",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("appointment_code", sa.String(128), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("body", JSONType, nullable=False),
        sa.Column("answers", JSONType, nullable=True),
        sa.Column("attention", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=True),
        sa.Column("patient_key_hash", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_wi_summaries"),
    )
    op.create_index("ix_wi_summaries_conversation_id", "wi_summaries", ["conversation_id"])
    op.create_index("ix_wi_summaries_appointment_code", "wi_summaries", ["appointment_code"])
    op.create_index("ix_wi_summaries_created_at", "wi_summaries", ["created_at"])

    op.create_table(
        "wi_audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("summary_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_wi_audit_log"),
    )
    op.create_index("ix_wi_audit_log_at", "wi_audit_log", ["at"])
    op.create_index("ix_wi_audit_log_summary_id", "wi_audit_log", ["summary_id"])

    op.create_table(
        "wi_careteam_users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wi_careteam_users"),
        sa.UniqueConstraint("username", name="uq_wi_careteam_users_username"),
    )

    op.create_table(
        "wi_api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_wi_api_tokens"),
        sa.UniqueConstraint("name", name="uq_wi_api_tokens_name"),
        sa.UniqueConstraint("token_sha256", name="uq_wi_api_tokens_token_sha256"),
    )

    op.create_table(
        "wi_pending_tracker_deletions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_wi_pending_tracker_deletions"),
    )
    op.create_index(
        "ix_wi_pending_tracker_deletions_conversation_id", "wi_pending_tracker_deletions", ["conversation_id"]
    )


def downgrade() -> None:
    op.drop_table("wi_pending_tracker_deletions")
    op.drop_table("wi_api_tokens")
    op.drop_table("wi_careteam_users")
    op.drop_table("wi_audit_log")
    op.drop_table("wi_summaries")
