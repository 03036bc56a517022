"""Why a claim carries each of its flags, in words (``claim show``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from provenance.analysis.facts import Settings
from provenance.analysis.flags import conflicts_of
from provenance.figures import format_number
from provenance.read.reader import Reader
from provenance.read.tables import attributions, claims, sources
from provenance.vocab import WEAK_RELIABILITY, Stance, format_value


def _period(claim: Any) -> str:
    start, end = claim.period_start, claim.period_end
    if start and end:
        return f"{start}…{end}"
    return str(start or end or "no period")


def _interval(claim: Any) -> str:
    return format_value(claim.value) if claim.value_text is None else repr(claim.value)


def explain(
    session: Reader, claim_id: int, record: dict[str, Any], settings: Settings
) -> dict[str, str]:
    claim = session.execute(select(claims).where(claims.c.id == claim_id)).one()
    reasons: dict[str, str] = {}
    flags = record["flags"]
    asserting = [a for a in record["attributions"] if a["stance"] == Stance.ASSERTS.value]
    if "contradicted" in flags:
        parts = [
            f"{link['from'] if link['to'] == claim.key else link['to']} (contradicts link)"
            for link in record.get("links", [])
            if link["relation"] == "contradicts"
        ]
        parts += [
            f"{a['source']} denies it"
            for a in record["attributions"]
            if a["stance"] == Stance.DENIES.value
        ]
        reasons["contradicted"] = "contradicted by " + "; ".join(parts)
    if "conflict" in flags:
        tolerance = f"± {format_number(settings.tolerance)} %"
        lines = []
        for other_key, why in conflicts_of(session, [claim_id], settings).get(claim_id, []):
            other = session.execute(select(claims).where(claims.c.key == other_key)).one()
            if why == "value" and claim.value_text is not None:
                lines.append(f"{other_key} says {other.value!r}, this claim {claim.value!r}")
            elif why == "value":
                lines.append(
                    f"{other_key}: {_interval(claim)} is outside {_interval(other)} {tolerance}"
                )
            elif why == "unit":
                lines.append(
                    f"{other_key} gives {other.unit!r} where this claim gives {claim.unit!r}: "
                    "figures in different units are not compared (convert one with claim edit "
                    "--value --unit)"
                )
            elif why == "contains":
                lines.append(
                    f"{other_key}: this claim covers a longer period ({_period(claim)}) "
                    f"but gives less ({_interval(claim)}) than {_interval(other)} for "
                    f"{_period(other)} {tolerance}"
                )
            else:
                lines.append(
                    f"{other_key} covers a longer period ({_period(other)}) but gives "
                    f"less ({_interval(other)}) than this claim's {_interval(claim)} "
                    f"{tolerance}"
                )
        reasons["conflict"] = "conflicts with " + "; ".join(lines)
    if "circular" in flags:
        families = sorted(
            {
                f"{key} ({affiliation})" if affiliation else key
                for key, affiliation in session.execute(
                    select(sources.c.key, sources.c.affiliation)
                    .join(attributions, attributions.c.source_id == sources.c.id)
                    .where(
                        attributions.c.claim_id == claim_id, attributions.c.stance == Stance.ASSERTS
                    )
                )
            }
        )
        reasons["circular"] = (
            f"{len(asserting)} asserting attributions all trace to one origin: "
            + ", ".join(families)
        )
    if "echo" in flags:
        from provenance.analysis.copies import echo_pairs_of

        reasons["echo"] = "; ".join(
            f"{pair['a']} and {pair['b']}, two of its origins, look like copies of one another "
            f"(probability {pair['probability']:.2f}: {pair['shared_values']} of "
            f"{pair['shared_keys']} shared claim keys give the same value, "
            f"{pair['shared_false']:.0f} of them judged false"
            + (f"; {pair['direction']}" if pair["direction"] else "")
            + "), so their agreement is weaker corroboration than it looks; decide with "
            f"`provenance source copies --accept {pair['a']} {pair['b']}` or `--reject`"
            for pair in echo_pairs_of(session, claim_id)
        )
    if "single-source" in flags:
        count = record["independent_sources"]
        reasons["single-source"] = (
            f"{count} independent origin{'s' if count != 1 else ''} "
            f"(needs {settings.min_sources}): "
            + (", ".join(record["origins"]) or "none asserts it")
        )
    if "low-reliability" in flags:
        grades = {a["source"]: a.get("_reliability") for a in asserting}
        if all(g in WEAK_RELIABILITY for g in grades.values()):
            reasons["low-reliability"] = "every asserting origin is graded D–F: " + ", ".join(
                f"{k} {g}" for k, g in grades.items()
            )
        else:
            reasons["low-reliability"] = "every asserting confidence is below 50: " + ", ".join(
                f"{a['source']} {a['confidence']}" for a in asserting
            )
    for status in ("disputed", "false"):
        if status in flags:
            reasons[status] = f"the analyst's verdict is {status}"
    if "unverified" in flags:
        reasons["unverified"] = "no analyst verdict yet"
    return reasons
