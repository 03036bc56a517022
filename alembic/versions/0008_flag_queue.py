"""the stored work queue: each flagged live claim's rank (minus its severity) and
independent origins, and what they were ranked from (the trail's last event, the
settings, the version of the flag rules)

Derived data, empty on upgrade: the first `flag --limit N` after it ranks every claim once
and stores the result (``provenance.analysis.queue``).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "flag_queue",
        sa.Column("claim_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("independent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_flag_queue")),
    )
    op.create_index("ix_flag_queue__rank_key", "flag_queue", ["rank", "key"])
    op.create_table(
        "flag_queue_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("through_seq", sa.Integer(), nullable=False),
        sa.Column("tolerance", sa.Float(), nullable=False),
        sa.Column("min_sources", sa.Integer(), nullable=False),
        sa.Column("rules", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flag_queue_state")),
    )


def downgrade() -> None:
    op.drop_table("flag_queue_state")
    op.drop_index("ix_flag_queue__rank_key", table_name="flag_queue")
    op.drop_table("flag_queue")
