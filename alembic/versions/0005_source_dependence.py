"""source dependence: pairs of sources the data shows copying one another, and the
analyst's decisions on them

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_dependence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source_a_id", sa.Integer(), nullable=False),
        sa.Column("source_b_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("a_copies_b", sa.Float(), nullable=False),
        sa.Column("b_copies_a", sa.Float(), nullable=False),
        sa.Column("direction", sa.Integer(), nullable=False),
        sa.Column("shared_keys", sa.Integer(), nullable=False),
        sa.Column("shared_values", sa.Integer(), nullable=False),
        sa.Column("shared_false", sa.Float(), nullable=False),
        sa.CheckConstraint("direction IN (-1, 0, 1)", name=op.f("ck_source_dependence__direction")),
        sa.CheckConstraint("source_a_id < source_b_id", name=op.f("ck_source_dependence__ordered")),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["scoring_runs.id"],
            name=op.f("fk_source_dependence__run_id__scoring_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_a_id"],
            ["sources.id"],
            name=op.f("fk_source_dependence__source_a_id__sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_b_id"],
            ["sources.id"],
            name=op.f("fk_source_dependence__source_b_id__sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_dependence")),
        sa.UniqueConstraint(
            "source_a_id", "source_b_id", name=op.f("uq_source_dependence__source_a_id_source_b_id")
        ),
    )
    op.create_index(
        op.f("ix_source_dependence__source_b_id"),
        "source_dependence",
        ["source_b_id"],
        unique=False,
    )
    op.create_table(
        "dependence_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_a_id", sa.Integer(), nullable=False),
        sa.Column("source_b_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accepted', 'rejected')", name=op.f("ck_dependence_decisions__decision")
        ),
        sa.CheckConstraint(
            "source_a_id < source_b_id", name=op.f("ck_dependence_decisions__ordered")
        ),
        sa.ForeignKeyConstraint(
            ["source_a_id"],
            ["sources.id"],
            name=op.f("fk_dependence_decisions__source_a_id__sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_b_id"],
            ["sources.id"],
            name=op.f("fk_dependence_decisions__source_b_id__sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dependence_decisions")),
        sa.UniqueConstraint(
            "source_a_id",
            "source_b_id",
            name=op.f("uq_dependence_decisions__source_a_id_source_b_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("dependence_decisions")
    op.drop_index(op.f("ix_source_dependence__source_b_id"), table_name="source_dependence")
    op.drop_table("source_dependence")
