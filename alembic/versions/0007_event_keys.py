"""event keys: which record keys each audit event targets or changes, so that a record's
history is found without reading every event's payload

Filled from the existing events on upgrade (every ``"key"`` field of a payload and the
event's target, as ``provenance.read.events.touched_keys`` does for new events; a renamed
claim's new key gets the events of its old one, as ``services.audit`` does).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The longest key kept (the events' target column is as long).
KEY_MAX = 500


def _keys(target: str | None, payload: Any) -> list[str]:
    found: dict[str, None] = {}
    if target:
        found[target[:KEY_MAX]] = None
    stack = [payload]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            key = item.get("key")
            if isinstance(key, str) and key:
                found[key[:KEY_MAX]] = None
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
    return list(found)


def upgrade() -> None:
    table = op.create_table(
        "event_keys",
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "seq", name=op.f("pk_event_keys")),
        sqlite_with_rowid=False,
    )
    connection = op.get_bind()
    page = sa.text(
        "SELECT seq, target, payload FROM events WHERE seq > :after ORDER BY seq LIMIT 10"
    )
    # A renamed record keeps its history: the events of its old key become its too.
    follow = sa.text(
        "INSERT INTO event_keys (key, seq) SELECT CAST(:new AS VARCHAR(500)), seq "
        "FROM event_keys WHERE key = CAST(:old AS VARCHAR(500)) AND seq < :seq "
        "AND seq NOT IN (SELECT seq FROM event_keys WHERE key = CAST(:new AS VARCHAR(500)))"
    )
    after = 0
    while events := connection.execute(page, {"after": after}).fetchall():
        rows: list[dict[str, Any]] = []
        renames = []
        for seq, target, payload in events:
            try:
                body = json.loads(payload)
            except ValueError:
                body = None
            rows.extend({"key": key, "seq": seq} for key in _keys(target, body))
            old = body.get("renamed_from") if isinstance(body, dict) else None
            if isinstance(old, str) and target and old != target:
                renames.append({"old": old, "new": target[:KEY_MAX], "seq": seq})
            after = seq
        if rows:
            connection.execute(sa.insert(table), rows)
        for rename in renames:
            connection.execute(follow, rename)


def downgrade() -> None:
    op.drop_table("event_keys")
