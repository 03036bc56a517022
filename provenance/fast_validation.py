"""The import's fast path for claims: a record already in the shape :class:`ClaimIn`
would give it is built by pydantic-core alone, without the model's Python validators.

A claim record as tools write it (lowercase keys, clean text, numbers, ISO dates) needs
none of the rewriting those validators do (stripping, folding, blank to absent, figures
as people write them). The schema below accepts only such records, so for every record
it accepts the result is what ``ClaimIn.model_validate`` gives; anything else (a figure
in words, a blank, an uppercase source, a bad date, a withdrawn capture) returns ``None``
and takes the full path, which also words every problem. The few checks that need Python
run after, with the same functions the model uses.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic_core import SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from provenance import figures
from provenance.schemas import (
    NAME_MAX,
    QUOTE_MAX,
    SHORT_MAX,
    TAGS_MAX,
    TEXT_MAX,
    VIA_MAX,
    AttributionIn,
    ClaimIn,
    Period,
    _timestamp,
    _value,
    normalised_tags,
    repeated_attribution,
)
from provenance.vocab import KEY_MAX, Stance, Status

# Characters no stripping removes: neither Unicode White_Space (what pydantic-core trims)
# nor ASCII control (Python's str.strip() also trims \x1c-\x1f).
_EDGE = r"[^\s\x00-\x20\x7f]"
#: A text that stripping leaves as it is, with no NUL: never blank, never rewritten.
CLEAN_TEXT = rf"^{_EDGE}(?:[^\x00]*{_EDGE})?$"
#: A key as ``vocab.check_key`` accepts it; a reference already folded to one.
KEY = rf"^[a-z0-9][a-z0-9._-]{{0,{KEY_MAX - 1}}}$"
#: The dates ``datetime.date.fromisoformat`` and pydantic-core read alike.
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _text(max_length: int) -> cs.CoreSchema:
    return cs.str_schema(pattern=CLEAN_TEXT, max_length=max_length, strict=True)


def _key() -> cs.CoreSchema:
    return cs.str_schema(pattern=KEY, strict=True)


def _optional(schema: cs.CoreSchema, default: Any = None) -> cs.ModelField:
    return cs.model_field(cs.with_default_schema(cs.nullable_schema(schema), default=default))


def _required(schema: cs.CoreSchema) -> cs.ModelField:
    return cs.model_field(schema)


def _any() -> cs.ModelField:
    return cs.model_field(cs.with_default_schema(cs.any_schema(), default=None))


def _model(cls: type, fields: dict[str, cs.ModelField]) -> cs.CoreSchema:
    return cs.model_schema(
        cls,
        cs.model_fields_schema(fields, extra_behavior="forbid"),
        config=cs.CoreConfig(extra_fields_behavior="forbid"),
    )


def _list(
    items: cs.CoreSchema, *, min_length: int | None = None, max_length: int | None = None
) -> cs.CoreSchema:
    return cs.list_schema(items, min_length=min_length, max_length=max_length, strict=True)


_DATE = cs.chain_schema([cs.str_schema(pattern=DATE, strict=True), cs.date_schema()])

_PERIOD = _model(Period, {"start": _optional(_DATE), "end": _optional(_DATE)})

_ATTRIBUTION = _model(
    AttributionIn,
    {
        "source": _required(_key()),
        "via": cs.model_field(
            cs.with_default_schema(_list(_key(), max_length=VIA_MAX), default_factory=list)
        ),
        "document": _optional(_key()),
        "stance": cs.model_field(
            cs.with_default_schema(
                cs.enum_schema(Stance, list(Stance), sub_type="str"), default=Stance.ASSERTS
            )
        ),
        "confidence": _optional(cs.int_schema(ge=0, le=100, strict=True)),
        "quote": _optional(_text(QUOTE_MAX)),
        "recorded_by": _optional(_text(SHORT_MAX)),
        "recorded_at": _any(),  # read after, by the model's own function
        "offsets": _any(),
    },
)

_CLAIM = _model(
    ClaimIn,
    {
        "key": _optional(_key()),
        "text": _required(_text(TEXT_MAX)),
        "subject": _optional(_text(NAME_MAX)),
        "property": _optional(_key()),
        "value": _any(),  # read after, by the model's own functions
        "unit": _optional(_text(SHORT_MAX)),
        "period": _optional(_PERIOD),
        "place": _optional(_text(NAME_MAX)),
        "tags": cs.model_field(
            cs.with_default_schema(
                _list(_text(SHORT_MAX), max_length=TAGS_MAX), default_factory=list
            )
        ),
        "status": cs.model_field(
            cs.with_default_schema(
                cs.enum_schema(Status, list(Status), sub_type="str"), default=Status.UNVERIFIED
            )
        ),
        "attributions": _required(_list(_ATTRIBUTION, min_length=1)),
        "created_at": _any(),
        "updated_at": _any(),
        "value_kind": _optional(cs.literal_schema(["category"])),
        "withdrawn": _optional(cs.none_schema()),  # a withdrawn capture: the full path
        "status_note": _optional(_text(TEXT_MAX)),
        "independent_sources": _any(),
        "origins": _any(),
        "flags": _any(),
        "plausibility": _any(),
    },
)

_VALIDATOR = SchemaValidator(_CLAIM)


def claim(raw: dict[str, Any]) -> ClaimIn | None:
    """``ClaimIn.model_validate(raw)`` for a record that needs no rewriting, else ``None``
    (the caller then validates it in full)."""
    try:
        data: ClaimIn = _VALIDATOR.validate_python(raw)
    except (ValidationError, RecursionError):
        return None
    fields = data.__dict__
    value = fields["value"]
    try:
        if isinstance(value, str) and fields["value_kind"] is None and not _category(value):
            return None  # a figure as people write it: the full path reads it
        parsed = _value(value)
        for name in ("created_at", "updated_at"):
            if fields[name] is not None:
                fields[name] = _timestamp(fields[name])
        for attribution in fields["attributions"]:
            if not _attribution_ok(attribution):
                return None
        if len(fields["attributions"]) > 1 and repeated_attribution(fields["attributions"]):
            return None
    except Exception:  # whatever it is (OverflowError, ...), the full path words it
        return None
    period = fields["period"]
    if period is not None:
        if period.start and period.end and period.end < period.start:
            return None
        object.__setattr__(period, "__pydantic_private__", None)
    fields["value"] = parsed.raw if parsed else None
    if any(";" in tag for tag in fields["tags"]) or (
        fields["status_note"] and not raw.get("status")
    ):
        return None  # the full path words the refusal
    fields["tags"] = normalised_tags(fields["tags"])
    object.__setattr__(data, "__pydantic_private__", {"_parsed": parsed})
    return data


@lru_cache(maxsize=4096)
def _category(value: str) -> bool:
    """Whether a string value reads as a category, not a figure (``about 40``) or an
    object: a file's categories repeat, and reading one for a figure takes a dozen
    patterns. Raises, as :func:`figures.value_from_text` does, for a figure it refuses."""
    figure, _ = figures.value_from_text(value)
    return isinstance(figure, str)


def _attribution_ok(attribution: AttributionIn) -> bool:
    """The attribution's checks that need Python (as :class:`AttributionIn` makes them);
    its timestamp is read in place."""
    via = attribution.via
    if attribution.source in via or len(set(via)) != len(via):
        return False
    fields = attribution.__dict__
    if fields["recorded_at"] is not None:
        fields["recorded_at"] = _timestamp(fields["recorded_at"])
    object.__setattr__(attribution, "__pydantic_private__", None)
    return True
