"""security: invitations, conversation bindings, enrolled tablets, server-side sessions,
login attempts, deleted-summary ids; roles; token scopes/expiry/last use; verified summaries; patient-key expiry

Revision ID: 0003_security
Revises: 0002_for_care_team
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_security"
down_revision = "0002_for_care_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("wi_summaries") as batch:
        batch.add_column(sa.Column("verified", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("patient_key_expires_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("wi_careteam_users") as batch:
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="member"))
    with op.batch_alter_table("wi_api_tokens") as batch:
        batch.add_column(sa.Column("scopes", sa.String(255), nullable=False, server_default="summaries:read"))
        batch.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("last_used_at", sa.DateTime(), nullable=True))

    op.create_table(
        "wi_invitations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code_sha256", sa.String(64), nullable=False),
        sa.Column("appointment_code", sa.String(128), nullable=False),
        sa.Column("patient_identifier", sa.String(128), nullable=True),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(), nullable=True),
        sa.Column("redeemed_by", sa.String(255), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wi_invitations"),
        sa.UniqueConstraint("code_sha256", name="uq_wi_invitations_code_sha256"),
    )
    op.create_index("ix_wi_invitations_appointment_code", "wi_invitations", ["appointment_code"])
    op.create_index("ix_wi_invitations_expires_at", "wi_invitations", ["expires_at"])
    op.create_index("ix_wi_invitations_redeemed_by", "wi_invitations", ["redeemed_by"])

    op.create_table(
        "wi_conversation_bindings",
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("appointment_code", sa.String(128), nullable=True),
        sa.Column("channel", sa.String(16), nullable=True),
        sa.Column("tablet_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_wi_conversation_bindings"),
    )
    op.create_index("ix_wi_conversation_bindings_created_at", "wi_conversation_bindings", ["created_at"])

    op.create_table(
        "wi_enrolled_tablets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("enrolled_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wi_enrolled_tablets"),
        sa.UniqueConstraint("token_sha256", name="uq_wi_enrolled_tablets_token_sha256"),
    )

    op.create_table(
        "wi_sessions",
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("token_sha256", name="pk_wi_sessions"),
    )
    op.create_index("ix_wi_sessions_username", "wi_sessions", ["username"])

    op.create_table(
        "wi_login_attempts",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_wi_login_attempts"),
    )

    op.create_table(
        "wi_deleted_summaries",
        sa.Column("summary_id", sa.String(64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("summary_id", name="pk_wi_deleted_summaries"),
    )
    op.create_index("ix_wi_deleted_summaries_deleted_at", "wi_deleted_summaries", ["deleted_at"])


def downgrade() -> None:
    op.drop_table("wi_deleted_summaries")
    op.drop_table("wi_login_attempts")
    op.drop_table("wi_sessions")
    op.drop_table("wi_enrolled_tablets")
    op.drop_table("wi_conversation_bindings")
    op.drop_table("wi_invitations")
    with op.batch_alter_table("wi_api_tokens") as batch:
        batch.drop_column("last_used_at")
        batch.drop_column("expires_at")
        batch.drop_column("scopes")
    with op.batch_alter_table("wi_careteam_users") as batch:
        batch.drop_column("role")
    with op.batch_alter_table("wi_summaries") as batch:
        batch.drop_column("patient_key_expires_at")
        batch.drop_column("verified")
