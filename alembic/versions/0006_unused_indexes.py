"""drop indexes that no command's query plan uses (tests/test_indexes.py):
claims.created_at and events.target

`claim list --since/--until` reads created_at only for undated claims, inside an OR with
the period, which neither SQLite nor PostgreSQL answers from this index. Events are found
by the keys they target or change (``target = ? OR payload LIKE ?``), which no index on
target serves. Each cost every write an index entry.

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

_DROPPED = (
    ("ix_claims__created_at", "claims", "created_at"),
    ("ix_events__target", "events", "target"),
)


def upgrade() -> None:
    for name, table, _column in _DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, column in _DROPPED:
        op.create_index(name, table, [column], unique=False)
