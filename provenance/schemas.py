"""Validation of everything that comes in, from the command line or a file (DESIGN.md §4).

The same models check `claim add` options and import records, so a rule lives here once.
Errors become one line each, prefixed by where the bad value is (see :func:`problems`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from provenance import figures, vocab
from provenance.cells import is_unicode_text
from provenance.vocab import Relation, Stance, Status

TEXT_MAX = 20_000
#: The words each vocabulary accepts (checked for every record an import reads).
_STANCES = frozenset(s.value for s in Stance)
_STATUSES = frozenset(s.value for s in Status)
_RELATIONS = frozenset(r.value for r in Relation)
_KEY = re.compile(vocab.KEY_PATTERN)
QUOTE_MAX = 2_000
NAME_MAX = 300
#: The most relays in one attribution's chain, and aliases of one source or entity: far
#: past any real report, and an import's work grew with their square (an attacker's chain
#: of 50,000 relays ran past five minutes; 400,000 aliases took 800 MB).
VIA_MAX = 50
ALIASES_MAX = 1_000
#: The most tags of one claim: 2,000,000 once took 436 MB to import and 152 s to show.
TAGS_MAX = 200


def _key(value: Any) -> Any:
    if isinstance(value, str):
        vocab.check_key(value)
    return value


def _reference(value: Any) -> Any:
    """A key that names a source, entity or document: folded to a slug so ``NUG`` and
    ``nug`` name one party (subjects keep their spelling: they resolve through aliases)."""
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            raise ValueError("must not be empty")
        return stripped.lower() if _KEY.fullmatch(stripped.lower()) else stripped
    return value


def _iso_date(value: Any) -> Any:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")


def _timestamp(value: Any) -> Any:
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 timestamp") from None
        if parsed.tzinfo is not None:
            try:
                parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
            except OverflowError:  # 0001-01-01T00:00+00:01 is in year 0 in UTC
                raise ValueError(f"{value!r} is outside the years 1–9999 in UTC") from None
        return parsed.replace(microsecond=0)
    raise ValueError(f"{value!r} is not an ISO 8601 timestamp")


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _one_line(value: Any) -> Any:
    """A name is one line: runs of white space, line breaks among them (LF, CR, U+2028,
    U+0085), become one space, as in claim texts; a line break in a name once drew a
    line of its own in a table."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


Key = Annotated[str, BeforeValidator(_no_nul), AfterValidator(vocab.check_key)]
Reference = Annotated[
    str,
    Field(max_length=NAME_MAX),
    BeforeValidator(_no_nul),
    BeforeValidator(_reference),
]
Date = Annotated[dt.date | None, BeforeValidator(_blank_to_none), BeforeValidator(_iso_date)]
Timestamp = Annotated[dt.datetime | None, BeforeValidator(_timestamp)]
Name = Annotated[
    str,
    BeforeValidator(_one_line),
    BeforeValidator(_no_nul),
    Field(min_length=1, max_length=NAME_MAX),
]
# Optional strings with a length limit; blank means absent.
Text20 = Annotated[
    Annotated[str, Field(max_length=20)] | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
]
Text60 = Annotated[
    Annotated[str, Field(max_length=60)] | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
]
#: A unit, a tag, an analyst's name.
SHORT_MAX = 120
Text120 = Annotated[
    Annotated[str, Field(max_length=SHORT_MAX)] | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
]
Text500 = Annotated[
    Annotated[str, Field(max_length=500)] | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
]
Text2000 = Annotated[
    Annotated[str, Field(max_length=2000)] | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
]
QuoteText = Annotated[
    Annotated[str, Field(max_length=QUOTE_MAX)] | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
]
Text300 = Annotated[
    Annotated[str, Field(max_length=NAME_MAX)] | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
]
LongText = Annotated[
    Annotated[str, Field(max_length=TEXT_MAX)] | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
]
OptionalText = LongText
Slug = Annotated[
    str | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_no_nul),
    AfterValidator(lambda v: vocab.check_key(v) if v is not None else None),
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _aliases(value: Any) -> Any:
    """One string is a list of one; an explicit ``null`` is the empty list (on a merge it
    clears the list, as ``null`` clears any other field: DESIGN "Import merges")."""
    if isinstance(value, str):
        return [value]
    if value is None:
        return []
    return value


class SourceIn(Record):
    key: Key
    name: Name | None = None
    kind: Text60 = None
    reliability: str = "F"
    affiliation: Slug = None
    aliases: Annotated[list[Name], BeforeValidator(_aliases), Field(max_length=ALIASES_MAX)] = []
    protected: bool = False
    notes: OptionalText = None
    # computed by `source score`, shown in exports, never imported as truth
    trust: float | None = Field(default=None, exclude=True)

    @field_validator("reliability", mode="before")
    @classmethod
    def _reliability(cls, value: Any) -> str:
        letter = str(value or "F").strip().upper()
        if letter not in vocab.RELIABILITY:
            raise ValueError(f"reliability {value!r} must be an Admiralty letter A–F")
        return letter


class EntityIn(Record):
    key: Key
    name: Name | None = None
    kind: Text60 = None
    aliases: Annotated[list[Name], BeforeValidator(_aliases), Field(max_length=ALIASES_MAX)] = []


class DocumentIn(Record):
    key: Key
    title: Text500 = None
    url: Text2000 = None
    publisher: Annotated[Reference | None, BeforeValidator(_blank_to_none)] = None
    published: Date = None
    retrieved: Date = None
    sha256: Annotated[
        Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None, BeforeValidator(_blank_to_none)
    ] = None
    language: Text20 = None


def _at_most_tags(tags: list[str]) -> list[str]:
    """At most TAGS_MAX different tags (a repeat is one tag, as it is stored)."""
    if len(tags) > TAGS_MAX and vocab.INPUT_LIMITS.get():
        distinct = len({vocab.tag_form(t) for t in tags} - {""})
        if distinct > TAGS_MAX:
            raise ValueError(f"too long: {distinct:,} items, at most {TAGS_MAX}")
    return tags


def _no_semicolon(value: Any) -> Any:
    """A tag holds no ";": CSV writes a claim's tags as one cell joined by it, so "a;b"
    came back as two tags (found by an attacker)."""
    if isinstance(value, str) and ";" in value and vocab.INPUT_LIMITS.get():
        raise ValueError(f"a tag cannot hold ';' (CSV separates tags with it): {value[:40]!r}")
    return value


def normalised_tags(tags: list[str]) -> list[str]:
    """A claim's tags as stored: lowercase, each once, in order."""
    if len(tags) == 1:  # most claims have one tag, or none
        only = vocab.tag_form(tags[0])
        return [only] if only else []
    return sorted({vocab.tag_form(t) for t in tags} - {""})


def _confidence(value: Any) -> Any:
    return vocab.parse_confidence(value)


def repeated_attribution(attributions: list[AttributionIn]) -> tuple[int, int] | None:
    """The positions of the first attribution given twice in one claim record with
    different values (the store keeps one attribution per origin, relays, document and
    stance, so the other's confidence or quote would be lost; an exact repeat loses
    nothing)."""
    seen: dict[tuple[Any, ...], int] = {}
    for position, a in enumerate(attributions):
        first = seen.setdefault((a.source, tuple(a.via), a.document, a.stance), position)
        if first != position:
            b = attributions[first]
            values = ("confidence", "quote", "recorded_by", "recorded_at")
            if any(getattr(a, name) != getattr(b, name) for name in values):
                return first, position
    return None


class AttributionIn(Record):
    source: Reference
    via: Annotated[list[Reference], BeforeValidator(_aliases), Field(max_length=VIA_MAX)] = []
    document: Annotated[Reference | None, BeforeValidator(_blank_to_none)] = None
    stance: Stance = Stance.ASSERTS
    confidence: Annotated[int | None, BeforeValidator(_confidence)] = None
    quote: QuoteText = None
    recorded_by: Text120 = None
    recorded_at: Timestamp = None
    # Where `extract` found the quote ([start, end) in the article); for review, not stored.
    offsets: Any = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _relays_are_not_the_origin(self) -> AttributionIn:
        if self.source in self.via:
            raise ValueError(f"source {self.source!r} cannot also relay its own claim (via)")
        return self

    @field_validator("via", mode="after")
    @classmethod
    def _relays_once(cls, via: list[str]) -> list[str]:
        if len(via) < 2:
            return via
        repeated = next((relay for i, relay in enumerate(via) if relay in via[:i]), None)
        if repeated is not None:
            raise ValueError(f"relay {repeated!r} appears twice in one chain")
        return via

    @field_validator("stance", mode="before")
    @classmethod
    def _stance(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() not in _STANCES:
            raise ValueError(f"stance {value!r} must be one of: asserts, denies, reports")
        return value.strip().lower() if isinstance(value, str) else value


class Period(Record):
    start: Date = None
    end: Date = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"period end {self.end} is before its start {self.start}")
        return self


def _value(value: Any) -> Any:
    """Validate once; the parsed interval rides along for the writers (``ClaimIn.parsed``)."""
    if isinstance(value, str) and not is_unicode_text(value):
        raise ValueError("is not valid Unicode text")
    return vocab.parse_value(_no_nul(value))


class WithdrawnIn(Record):
    """A withdrawn capture (DESIGN.md §1): kept in history, left out of everything else."""

    at: Timestamp = None
    by: Text120 = None
    note: Annotated[str | None, BeforeValidator(_no_nul), Field(max_length=TEXT_MAX)] = None
    merged_into: Annotated[str | None, AfterValidator(_key)] = None


class ClaimIn(Record):
    key: Key | None = None
    text: Annotated[str, BeforeValidator(_no_nul), Field(min_length=1, max_length=TEXT_MAX)]
    subject: Text300 = None
    property: Slug = None
    value: Annotated[Any, BeforeValidator(_value)] = None  # a vocab.Value until validated
    unit: Text120 = None
    period: Period | None = None
    place: Text300 = None
    tags: Annotated[
        list[
            Annotated[
                str,
                BeforeValidator(_no_nul),
                BeforeValidator(_no_semicolon),
                Field(min_length=1, max_length=SHORT_MAX),
            ]
        ],
        BeforeValidator(_aliases),
        AfterValidator(_at_most_tags),
    ] = []
    status: Status = Status.UNVERIFIED
    attributions: Annotated[list[AttributionIn], Field(min_length=1)]
    created_at: Timestamp = None
    updated_at: Timestamp = None
    #: "category" keeps a string value with digits as a category (``"007"``, ``"5G"``)
    #: instead of reading it as a figure.
    value_kind: Literal["category"] | None = None
    withdrawn: WithdrawnIn | None = None
    #: Why the status is what the record says: the verdict's note in the import's event
    #: (DESIGN §1: a verdict is set only with a note; without one the event says which
    #: import set it).
    status_note: OptionalText = Field(default=None, exclude=True)
    # Computed in exports; accepted and ignored on import so an export imports as it is.
    independent_sources: Any = Field(default=None, exclude=True)
    origins: Any = Field(default=None, exclude=True)
    flags: Any = Field(default=None, exclude=True)
    plausibility: Any = Field(default=None, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _figure(cls, data: Any) -> Any:
        """A string value is a figure as people write it (``at least 300``, ``300 people``)
        unless it has no digit or ``value_kind`` says category; a unit it names fills an
        empty ``unit``."""
        if not isinstance(data, dict) or not isinstance(data.get("value"), str):
            return data
        if data.get("value_kind") == "category":
            return data
        value, unit = figures.value_from_text(data["value"])
        if isinstance(value, str):
            return data  # a category, kept exactly as written
        data = {**data, "value": value}
        if unit and not data.get("unit"):
            data["unit"] = unit
        return data

    @model_validator(mode="before")
    @classmethod
    def _note_of_a_verdict(cls, data: Any) -> Any:
        """A ``status_note`` is the note of the verdict the record sets: without a
        ``status`` it would be thrown away (found by the second attack)."""
        if isinstance(data, dict) and data.get("status_note") and not data.get("status"):
            raise ValueError("status_note is the note of a verdict: give status with it")
        return data

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        if value is None or value == "":
            return Status.UNVERIFIED
        if isinstance(value, str) and value.strip().lower() not in _STATUSES:
            allowed = ", ".join(s.value for s in Status)
            raise ValueError(f"status {value!r} must be one of: {allowed}")
        return value.strip().lower() if isinstance(value, str) else value

    _parsed: vocab.Value | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unpack_value(self) -> ClaimIn:
        parsed = self.value if isinstance(self.value, vocab.Value) else None
        self._parsed = parsed
        object.__setattr__(self, "value", parsed.raw if parsed else None)
        return self

    def parsed_value(self) -> vocab.Value | None:
        """The value as an interval or folded text (validated once, used by the writers)."""
        # Where pydantic keeps private attributes, read directly: ``self._parsed`` goes
        # through a failed attribute lookup and pydantic's __getattr__ (once per claim).
        private = self.__pydantic_private__
        return private["_parsed"] if private else self._parsed

    @field_validator("tags", mode="after")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        return normalised_tags(tags)

    @field_validator("attributions", mode="after")
    @classmethod
    def _attributions_once(cls, attributions: list[AttributionIn]) -> list[AttributionIn]:
        repeated = repeated_attribution(attributions)
        if repeated is not None:
            first, again = repeated
            raise ValueError(
                f"attributions {first} and {again} are the same attribution (origin, relays, "
                "document and stance) with different values: give it once"
            )
        return attributions

    def structure(self) -> dict[str, Any]:
        """The fields a content-derived key digests besides the text."""
        period = self.period or Period()
        return {
            "subject": vocab.fold(self.subject) if self.subject else None,
            "property": self.property,
            "value": self.value,
            "unit": self.unit,
            "period": [
                str(period.start) if period.start else None,
                str(period.end) if period.end else None,
            ],
            "place": vocab.fold(self.place) if self.place else None,
        }

    def derived_key(self) -> str:
        return self.key or vocab.content_key(self.text, self.structure())


class LinkIn(Record):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, populate_by_name=True
    )

    from_: Annotated[Reference, Field(alias="from")]
    to: Reference
    relation: Relation
    note: OptionalText = None

    @field_validator("relation", mode="before")
    @classmethod
    def _relation(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() not in _RELATIONS:
            allowed = ", ".join(r.value for r in Relation)
            raise ValueError(f"relation {value!r} must be one of: {allowed}")
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _not_self(self) -> LinkIn:
        if self.from_ == self.to:
            raise ValueError(f"a claim cannot be linked to itself ({self.from_!r})")
        return self


def problems(error: ValidationError, place: str) -> list[str]:
    """One line per problem: ``place/field: why`` (JSON pointer style below ``place``)."""
    lines = []
    for item in error.errors():
        pointer = "".join(f"/{part}" for part in item["loc"] if part != "from_") or ""
        if item["loc"] and item["loc"][-1] == "from_":
            pointer += "/from"
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required"
        elif item["type"] == "extra_forbidden":
            message = "is not a known field"
        elif item["type"] == "string_unicode":  # half of a UTF-16 pair alone (JSONL)
            message = "is not valid Unicode text"
        elif (
            item["type"] in ("too_short", "string_too_short")
            and (item.get("ctx") or {}).get("min_length") == 1
        ):
            message = "must not be empty"
        elif item["type"] in ("too_long", "string_too_long"):
            limit = (item.get("ctx") or {}).get("max_length")
            actual = (item.get("ctx") or {}).get("actual_length")
            unit = "characters" if isinstance(item.get("input"), str) else "items"
            size = f"{actual:,} {unit}" if actual is not None else f"too many {unit}"
            message = f"too long: {size}, at most {limit:,}" if limit else "too long"
        where = f"{place}{pointer}"
        lines.append(f"{where}: {message}" if where else message)  # a whole-record rule
    return lines
