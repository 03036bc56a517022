"""withdrawn claims: a capture that should not exist, kept in history; merged duplicates
point at the claim they were folded into

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_COLUMNS = (
    ("withdrawn_at", sa.DateTime()),
    ("withdrawn_by", sa.String(length=120)),
    ("withdrawn_note", sa.Text()),
    ("merged_into_id", sa.Integer()),
)
_FK = "fk_claims__merged_into_id__claims"


def upgrade() -> None:
    # Plain ALTER TABLE on both backends: a batch (copy-and-move) on SQLite would drop the
    # full-text triggers of 0002 with the old table.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, type_ in _COLUMNS:
        if sqlite and name == "merged_into_id":
            op.execute(
                f"ALTER TABLE claims ADD COLUMN merged_into_id INTEGER "
                f"CONSTRAINT {_FK} REFERENCES claims (id)"
            )
        else:
            op.add_column("claims", sa.Column(name, type_, nullable=True))
    if not sqlite:
        op.create_foreign_key(_FK, "claims", "claims", ["merged_into_id"], ["id"])


def downgrade() -> None:
    # The older schema cannot mark a withdrawn claim: keep the mark as a tag so that
    # nothing is lost, then drop the columns.
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO claim_tags (claim_id, tag) SELECT id, 'withdrawn' FROM claims "
            "WHERE withdrawn_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claim_tags t "
            "WHERE t.claim_id = claims.id AND t.tag = 'withdrawn')"
        )
    )
    if bind.dialect.name != "sqlite":
        op.drop_constraint(_FK, "claims", type_="foreignkey")
    for name, _type in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE claims DROP COLUMN {name}")
