"""Audit events read back: the field-level changes an event carries (see
``services.history``), and an event in words for ``log`` and ``claim show``. Pure: reading
the history does not load the ORM."""

from __future__ import annotations

import json
from typing import Any

Shape = dict[str, Any]


#: Events read at a time where a command walks the trail: an import's event carries up to
#: a thousand records' changes (0.6 MB), so 2,000 at a time held 1.2 GB at a million claims.
EVENTS_PER_READ = 16


def event_changes(payload: str | dict[str, Any]) -> list[Shape]:
    body = json.loads(payload) if isinstance(payload, str) else payload
    found = body.get("changes") if isinstance(body, dict) else None
    return found if isinstance(found, list) else []


def scores_behind(reader: Any) -> tuple[int, int] | None:
    """``(event of the last `source score`, writes since)`` when writes came after it:
    the stored trust and plausibility describe the data as it was then."""
    from sqlalchemy import func, select

    from provenance.read.tables import events

    scored = reader.scalar(select(func.max(events.c.seq)).where(events.c.action == "source.score"))
    if scored is None:
        return None
    since = reader.scalar(select(func.count()).where(events.c.seq > scored)) or 0
    return (scored, since) if since else None


def touched_keys(target: str | None, payload: Any) -> list[str]:
    """The record keys an event targets or names anywhere in its payload (every ``"key"``
    field, the changes' included): what ``claim show`` finds its history by."""
    found: dict[str, None] = {}
    if target:
        found[target] = None
    stack = [payload]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            key = item.get("key")
            if isinstance(key, str) and key:
                found[key] = None
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
    return list(found)


#: The longest key the key index keeps (the events' target column is as long).
INDEXED_KEY_MAX = 500


def indexed_keys(target: str | None, payload: Any, changes: list[Shape] | None = None) -> list[str]:
    """The keys an event is found by (``event_keys``): its target, every ``"key"`` in its
    payload and the key of every record it changed (a change's shapes name no other
    record's key), each once and cut to the index's length."""
    keys = touched_keys(target, payload) + [change["key"] for change in changes or []]
    return [k[:INDEXED_KEY_MAX] for k in dict.fromkeys(keys) if k]


def short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


# ---- history in words -----------------------------------------------------------------------

_QUIET = frozenset({"updated_at"})


def _word(field_name: str, value: Any) -> str:
    from provenance.figures import describe_value

    if value is None or value == [] or value == "":
        return "nothing"
    if field_name == "value":
        return describe_value(value)
    if field_name == "period" and isinstance(value, dict):
        return f"{value.get('start') or '…'} → {value.get('end') or '…'}"
    if field_name == "attributions" and isinstance(value, list):
        return "; ".join(
            f"{a.get('source')} {a.get('stance')}"
            + (f" via {', '.join(a['via'])}" if a.get("via") else "")
            + (f" ({a['confidence']})" if a.get("confidence") is not None else "")
            for a in value
        )
    if field_name == "withdrawn" and isinstance(value, dict):
        into = f", merged into {value['merged_into']}" if value.get("merged_into") else ""
        return f"withdrawn by {value.get('by')}: {value.get('note')}{into}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def describe_change(change: Shape) -> str:
    """One record's change in words: ``claim nug-…: status unverified → disputed``."""
    kind, key, before, after = change["kind"], change["key"], change["before"], change["after"]
    if before is None:
        return f"created {kind} {key}"
    if after is None:
        return f"removed {kind} {key}"
    if after.get("withdrawn") and not before.get("withdrawn"):
        return f"{kind} {key} {_word('withdrawn', after['withdrawn'])}"
    if "withdrawn" in after and before.get("withdrawn") and not after["withdrawn"]:
        return f"{kind} {key} restored (it was {_word('withdrawn', before['withdrawn'])})"
    parts = [_field_change(f, before.get(f), after.get(f)) for f in after if f not in _QUIET]
    note = f" ({_word('note', change['note'])})" if change.get("note") else ""  # a verdict's
    return f"{kind} {key}: " + ("; ".join(parts) if parts else "touched") + note


def _field_change(name: str, before: Any, after: Any) -> str:
    """``value 10 → 12``; attributions whose short words are the same (a quote, a
    document or a recorder changed) name what changed in each."""
    was, now = _word(name, before), _word(name, after)
    if was != now or name != "attributions" or not isinstance(before, list):
        return f"{name} {was} → {now}"
    if not isinstance(after, list) or len(before) != len(after):
        return f"{name} {was} → {now}"
    inner = [
        f"{_word('attributions', [old])}: "
        + ", ".join(f"{f} {_word(f, old.get(f))} → {_word(f, new.get(f))}" for f in changed)
        for old, new in zip(before, after, strict=True)
        if isinstance(old, dict) and isinstance(new, dict)
        for changed in [[f for f in new if old.get(f) != new.get(f)]]
        if changed
    ]
    return f"{name}: " + "; ".join(inner) if inner else f"{name} {was} → {now}"


def _renaming(body: dict[str, Any], target: Any, changes: list[Shape]) -> tuple[str, list[Shape]]:
    """A rename is stored as the old key's record removed and the new key's made; said
    as one rename, with the fields the same edit changed. The other changes are returned."""
    old = body.get("renamed_from")
    gone = next((c for c in changes if c["key"] == old and c["after"] is None), None)
    made = next((c for c in changes if c["key"] == target and c["before"] is None), None)
    if not isinstance(old, str) or gone is None or made is None:
        return "", changes
    before, after = gone["before"] or {}, made["after"] or {}
    fields = [f for f in after if f not in _QUIET | {"key"} and before.get(f) != after[f]]
    parts = "; ".join(f"{f} {_word(f, before.get(f))} → {_word(f, after[f])}" for f in fields)
    words = f"renamed {made['kind']} {old} → {target}" + (f": {parts}" if parts else "")
    return words, [c for c in changes if c is not gone and c is not made]


def describe_event(event: dict[str, Any], *, limit: int = 3) -> str:
    """An audit event in words (its JSON stays in ``-f json``)."""
    payload = event.get("payload")
    body = payload if isinstance(payload, dict) else {}
    changes = event_changes(body)
    renamed, changes = _renaming(body, event.get("target"), changes)
    words = ([renamed] if renamed else []) + [describe_change(c) for c in changes[:limit]]
    if len(changes) > limit:
        words.append(f"and {len(changes) - limit} more")
    if not changes and body.get("counts"):
        counts = body["counts"]
        words.append(
            ", ".join(
                f"{kind}: {', '.join(f'{n} {what}' for what, n in sorted(c.items()))}"
                for kind, c in counts.items()
            )
        )
    note = body.get("note")
    text = "; ".join(words) if words else event.get("action", "")
    return f'{text}: "{note}"' if note and str(note) not in text else text
