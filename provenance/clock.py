"""The one clock every stored timestamp comes from."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Now, in UTC, without tzinfo and to the second: how every timestamp is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
