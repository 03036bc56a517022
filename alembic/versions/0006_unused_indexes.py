"""drop indexes that no command's query plan uses (tests/test_indexes.py): claims.created_at

`claim list --since/--until` reads created_at only for undated claims, inside an OR with
the period, which neither SQLite nor PostgreSQL answers from this index; it cost every
claim written an index entry.

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_claims__created_at", table_name="claims")


def downgrade() -> None:
    op.create_index("ix_claims__created_at", "claims", ["created_at"], unique=False)
