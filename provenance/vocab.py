"""The domain's vocabulary and its rules, in one place (DESIGN.md §1).

Pure Python, no database: statuses, stances, relations, Admiralty grades, confidence words,
keys and the structured claim value. Validation (``schemas.py``), the services and the
renderer all call these, so a rule changes here and nowhere else.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, NamedTuple


class Status(StrEnum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    FALSE = "false"
    RETRACTED = "retracted"


class Stance(StrEnum):
    ASSERTS = "asserts"
    DENIES = "denies"
    REPORTS = "reports"


class Relation(StrEnum):
    CONTRADICTS = "contradicts"
    SUPPORTS = "supports"
    SAME_AS = "same-as"
    UPDATES = "updates"


#: Admiralty source reliability: A completely reliable … F cannot be judged.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
WEAK_RELIABILITY = frozenset("DEF")

#: Estimative words, each mapped to the middle of its band (0–100, the STIX 2.1 scale).
CONFIDENCE_WORDS = {
    "almost-certain": 95,
    "very-likely": 85,
    "likely": 70,
    "even-chance": 50,
    "unlikely": 30,
    "very-unlikely": 15,
    "remote": 5,
}

#: Admiralty information credibility digits; 6 "cannot be judged" is no confidence at all.
CREDIBILITY = {"1": 95, "2": 75, "3": 55, "4": 30, "5": 10, "6": None}
#: Lower bound of each digit's band, for showing a stored confidence as a digit.
_CREDIBILITY_FLOORS = ((85, "1"), (65, "2"), (43, "3"), (20, "4"), (0, "5"))


def parse_confidence(value: int | str | None) -> int | None:
    """An integer 0–100, an estimative word, or None. Raises ValueError with the reason."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("confidence must be 0–100 or a word, not true/false")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().lower().replace(" ", "-").replace("_", "-")
        if text in CONFIDENCE_WORDS:
            return CONFIDENCE_WORDS[text]
        try:
            number = int(text)
        except ValueError:
            words = ", ".join(CONFIDENCE_WORDS)
            raise ValueError(f"confidence {value!r} is neither 0–100 nor one of: {words}") from None
    if not 0 <= number <= 100:
        raise ValueError(f"confidence {number} is out of range 0–100")
    return number


def parse_credibility(digit: str | int) -> int | None:
    key = str(digit).strip()
    if key not in CREDIBILITY:
        raise ValueError(f"credibility {digit!r} must be an Admiralty digit 1–6")
    return CREDIBILITY[key]


def credibility_digit(confidence: int | None) -> str:
    if confidence is None:
        return "6"
    return next(digit for floor, digit in _CREDIBILITY_FLOORS if confidence >= floor)


def grade(reliability: str | None, confidence: int | None) -> str:
    """The Admiralty grade shown in tables: reliability letter and credibility digit (``C3``)."""
    return f"{reliability or 'F'}{credibility_digit(confidence)}"


# ---- keys -------------------------------------------------------------------------------

#: Every action the audit trail records (a test holds each write's action to this list):
#: `log --action` takes one of them or a group (``claim``, ``source.copies``).
ACTIONS = frozenset(
    {
        "claim.add",
        "claim.attribute",
        "claim.attribution.edit",
        "claim.edit",
        "claim.link",
        "claim.merge",
        "claim.restore",
        "claim.status",
        "claim.unattribute",
        "claim.unlink",
        "claim.withdraw",
        "db.baseline",
        "demo.create",
        "document.add",
        "document.edit",
        "entity.add",
        "entity.edit",
        "entity.merge",
        "entity.merge.records",
        "import",
        "import.records",
        "source.add",
        "source.copies.accept",
        "source.copies.reject",
        "source.edit",
        "source.merge",
        "source.merge.records",
        "source.score",
    }
)
ACTION_GROUPS = frozenset(
    ".".join(action.split(".")[:depth])
    for action in ACTIONS
    for depth in range(1, action.count(".") + 1)
)


#: What an export puts before a protected source's (or its document's) pseudonym; no key
#: that a user gives may start so (see ``io.pseudonyms``).
PSEUDONYM_PREFIX = "protected-"
PSEUDONYM_DOCUMENT_PREFIX = "protected-document-"

KEY_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_KEY = re.compile(KEY_PATTERN)
KEY_MAX = 120
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def check_key(key: str) -> str:
    if not _KEY.match(key) or len(key) > KEY_MAX:
        shown = key if len(key) <= KEY_MAX else f"{key[:KEY_MAX]}…"  # not 100 kB on stderr
        raise ValueError(
            f"key {shown!r} must be a lowercase slug (a-z, 0-9, '-', '_', '.'; "
            f"at most {KEY_MAX} characters)"
        )
    return key


def slugify(text: str, *, max_length: int = 60) -> str:
    """ "Myanmar's military" -> "myanmar-s-military"; accents dropped, never empty."""
    # Drop accents (combining marks) only; every other non-ASCII character separates words.
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    slug = _NOT_SLUG.sub("-", bare.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    if not slug:  # a name in a script without ASCII letters: a stable digest instead
        slug = "x" + hashlib.sha256(text.encode()).hexdigest()[:10]
    return slug


def fold(text: str) -> str:
    """Case and whitespace folding, for categorical values (and the content a claim key
    is derived from: it stays as it was, so a file imported again finds its claims)."""
    return " ".join(text.split()).casefold()


def fold_name(text: str) -> str:
    """:func:`fold` of the text's composed form (NFC), for names and aliases: "Café" typed
    with a combining accent is the alias stored with a precomposed é."""
    return fold(unicodedata.normalize("NFC", text))


def name_forms(text: str) -> set[str]:
    """Every folded form a stored alias of this name may have: the composed one aliases are
    stored in, and the forms aliases stored before were folded from as typed."""
    return {fold_name(text), fold(text), fold(unicodedata.normalize("NFD", text))}


# ---- structured values ------------------------------------------------------------------

Number = int | float


class Value(NamedTuple):
    """A claim's value, as given (``raw``) and as an interval for comparison.

    ``lo``/``hi`` are None where the interval is open; ``text`` is the folded categorical
    value. ``kind`` is exact, min, max, range, approx or text. (A named tuple: an import
    makes one per claim, and a frozen dataclass took 1.3 µs to build against 0.3.)
    """

    raw: Any
    kind: str
    lo: float | None = None
    hi: float | None = None
    text: str | None = None


#: Figures are compared as 64-bit floats and stored as JSON; past this size they are typos
#: (and integers past 2^63 fit no database column).
NUMBER_MAX = 10**18
#: Whether the caps on new input hold (the smallest figure, tags and their ';'): off
#: while ``--as-of`` rebuilds the past, which may hold what an earlier release took.
INPUT_LIMITS: ContextVar[bool] = ContextVar("input_limits", default=True)


@contextmanager
def without_input_limits() -> Iterator[None]:
    token = INPUT_LIMITS.set(False)
    try:
        yield
    finally:
        INPUT_LIMITS.reset(token)


#: The smallest size a figure other than zero may have: comparisons widen a figure by a
#: share of it, and in 64-bit floats a subnormal one (5e-324) underflows to zero, which
#: PostgreSQL refuses mid-query (an attacker's one tiny value stopped flag and export).
NUMBER_MIN = 1e-12
#: A categorical value is a short label (the column that compares it holds 500).
CATEGORY_MAX = 500
#: Invisible characters a web page leaves inside words and numbers (soft hyphen, zero-width
#: space, word joiner, a byte-order mark mid-text): "U\u200bN", "2\u200b000".
INVISIBLE_IN_WORDS = "\u00ad\u200b\u2060\ufeff"


def tag_form(tag: str) -> str:
    """A tag as it is stored and looked up: lowercase, without surrounding spaces or the
    invisible characters a web page leaves in words (a tag of a zero-width space alone
    was kept, an empty-looking tag)."""
    return tag.translate(_WITHOUT_INVISIBLE).strip().lower()


_WITHOUT_INVISIBLE = str.maketrans("", "", INVISIBLE_IN_WORDS)


def _number(value: Any, where: str) -> Number:
    if value.__class__ is int and -NUMBER_MAX <= value <= NUMBER_MAX:
        return value  # the common case, decided without the checks below
    name = f"value {where}" if where else "value"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, not {json.dumps(value)[:40]}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be a finite number")
    if not -NUMBER_MAX <= value <= NUMBER_MAX:
        raise ValueError(f"{name} is out of range (at most ±10^18)")
    if value and abs(value) < NUMBER_MIN and INPUT_LIMITS.get():
        raise ValueError(f"{name} is too small (a figure other than 0 is at least 10^-12)")
    return value


def parse_value(raw: Any) -> Value | None:
    """Validate an interchange value: 276, {"min": 31}, {"min": 200, "max": 250},
    {"approx": 300} or a categorical string."""
    if raw is None:
        return None
    if isinstance(raw, str):
        if not raw.strip():
            return None
        if len(raw) > CATEGORY_MAX:
            raise ValueError(f"value too long: {len(raw):,} characters, at most {CATEGORY_MAX}")
        return Value(raw=raw, kind="text", text=fold(raw))
    if isinstance(raw, bool):
        raise ValueError("value must be a number, a string or an object, not true/false")
    if isinstance(raw, int | float):
        number = float(_number(raw, ""))
        return Value(raw=raw, kind="exact", lo=number, hi=number)
    if isinstance(raw, dict):
        keys = set(raw)
        if keys == {"approx"}:
            number = float(_number(raw["approx"], "approx"))
            return Value(raw=dict(raw), kind="approx", lo=number, hi=number)
        if keys and keys <= {"min", "max"}:
            lo = float(_number(raw["min"], "min")) if "min" in raw else None
            hi = float(_number(raw["max"], "max")) if "max" in raw else None
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"value min {raw['min']} is greater than max {raw['max']}")
            kind = (
                "range" if lo is not None and hi is not None else ("min" if hi is None else "max")
            )
            ordered = {k: raw[k] for k in ("min", "max") if k in raw}
            return Value(raw=ordered, kind=kind, lo=lo, hi=hi)
        raise ValueError(
            f"value object must have 'min' and/or 'max', or 'approx' alone; got keys {sorted(keys)}"
        )
    raise ValueError(f"value must be a number, a string or an object, not {type(raw).__name__}")


def format_value(raw: Any, unit: str | None = None) -> str:
    """A value as an analyst reads it: ``282 attacks``, ``at least 31``, ``200–250``,
    ``about 300`` (the rules are in :mod:`provenance.figures`, imported here: a command's
    ``--help`` needs the vocabularies, not the figure rules' patterns)."""
    from provenance.figures import describe_value

    return describe_value(raw, unit)


def content_key(text: str, fields: dict[str, Any]) -> str:
    """A claim key derived from its content, so the same claim imported twice is one claim:
    a slug of the first words of the text and a digest of the text and structure."""
    canonical = json.dumps(
        {"text": fold(text), **fields}, sort_keys=True, ensure_ascii=False, default=str
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:8]
    words = slugify(" ".join(text.split()[:8]), max_length=48)
    return f"{words}-{digest}"
