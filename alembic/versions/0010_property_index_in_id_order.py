"""claims by property in id order: `claim list --property P` pages a property's claims
oldest first, and the index on (property, subject_id) made SQLite sort every claim of
the property for each page (142,483 claims of `air_attacks` at a million: 0.28 s warm,
1.4 s cold, for 50 rows). An index on (property, id) hands them out in order.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_claims__property_subject", table_name="claims")
    op.create_index("ix_claims__property_id", "claims", ["property", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_claims__property_id", table_name="claims")
    op.create_index(
        "ix_claims__property_subject", "claims", ["property", "subject_id"], unique=False
    )
