"""A worker process and webhooks (issue 20 item 2, issue 21, issue 16 item 6): worker
heartbeats; the e-mail outbox's claim (lease) and back-off columns; webhook subscriptions and
their deliveries.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

OUTBOX = "outbox_message"


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "worker_heartbeat",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        _when("started_at", False),
        _when("last_beat_at", False),
        sa.Column("last_round", sa.String(length=255), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        _when("last_error_at"),
        _when("stopped_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker_heartbeat")),
    )
    op.add_column(OUTBOX, _when("next_attempt_at"))
    op.add_column(OUTBOX, sa.Column("claimed_by", sa.String(length=100), nullable=False,
                                    server_default=""))
    op.add_column(OUTBOX, _when("claimed_until"))
    op.create_table(
        "webhook_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        _when("created_at", False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=False),
        _when("claimed_until"),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"],
                                name=op.f("fk_webhook_subscription_created_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscription")),
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("event_kind", sa.String(length=40), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("next_attempt_at"),
        _when("last_attempt_at"),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=255), nullable=False),
        _when("created_at", False),
        _when("delivered_at"),
        sa.Column("claimed_by", sa.String(length=100), nullable=False),
        _when("claimed_until"),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')",
                           name=op.f("ck_webhook_delivery_status")),
        sa.ForeignKeyConstraint(["subscription_id"], ["webhook_subscription.id"],
                                ondelete="CASCADE",
                                name=op.f("fk_webhook_delivery_subscription_id_webhook_subscription")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint("subscription_id", "audit_seq",
                            name=op.f("uq_webhook_delivery_subscription_id_audit_seq")),
        sa.UniqueConstraint("message_id", name=op.f("uq_webhook_delivery_message_id")),
    )
    op.create_index("ix_webhook_delivery_status", "webhook_delivery",
                    ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("webhook_delivery")
    op.drop_table("webhook_subscription")
    with op.batch_alter_table(OUTBOX) as batch:
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
        batch.drop_column("next_attempt_at")
    op.drop_table("worker_heartbeat")
