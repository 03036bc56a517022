"""The import's fast path for claims gives exactly what full validation gives, or steps
aside: for any record, ``fast_validation.claim`` is ``None`` or a ``ClaimIn`` equal in
every field, set field, nested record and parsed value to ``ClaimIn.model_validate``."""

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from provenance import fast_validation
from provenance.schemas import ClaimIn

#: Characters that stripping, folding or the key rules treat specially.
TRICKY = [" ", "\t", "\n", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u3000", "\x00", "\x7f"]
TRICKY += ["A", "É", "-", "_", ".", "ß", "İ", "\u200b", "\ufeff", "0"]
piece = st.text(max_size=6) | st.sampled_from(TRICKY) | st.sampled_from(["src", "a-1", "x.y"])
text = st.lists(piece, min_size=0, max_size=4).map("".join)
key = text | st.from_regex(r"[a-z0-9][a-z0-9._-]{0,130}", fullmatch=True)
date = (
    st.dates().map(str)
    | st.sampled_from(["2025-02-30", " 2025-03-01", "2025-3-1", "", "0000-01-01", "20250301"])
    | text
)
timestamp = st.sampled_from(
    ["2025-03-01T10:00:00Z", "2025-03-01 10:00:00+05:30", "2025-03-01T10:00:00.123456", "x", ""]
) | st.integers(0, 10)
number = st.integers(-(10**19), 10**19) | st.floats(allow_nan=True, allow_infinity=True)
value = (
    st.none()
    | number
    | st.booleans()
    | text
    | st.sampled_from(["army", "at least 300", "300 people", "5 lakh", "007", "  ", "12-15"])
    | st.fixed_dictionaries({}, optional={"min": number, "max": number, "approx": number})
)
ATTRIBUTION_FIELDS = {
    "source": key,
    "via": st.lists(key, max_size=3) | key,
    "document": key | st.none(),
    "stance": st.sampled_from(["asserts", "denies", "reports", "Denies", " asserts", "x"]),
    "confidence": st.integers(-5, 105) | st.sampled_from(["likely", "70", True, None, 50.0]),
    "quote": text | st.none(),
    "recorded_by": text,
    "recorded_at": timestamp,
    "offsets": st.just([1, 5]),
    "extra": st.just(1),
}
attribution = st.fixed_dictionaries(
    {"source": key},
    optional={k: v for k, v in ATTRIBUTION_FIELDS.items() if k != "source"},
)
CLAIM_FIELDS = {
    "key": key | st.none(),
    "subject": text | st.none(),
    "property": key | st.none(),
    "value": value,
    "unit": text | st.none(),
    "period": st.none()
    | st.fixed_dictionaries({}, optional={"start": date, "end": date, "x": st.just(1)}),
    "place": text,
    "tags": st.lists(text, max_size=3) | text,
    "status": st.sampled_from(["unverified", "disputed", "Disputed", "", "nope"]) | st.none(),
    "created_at": timestamp,
    "updated_at": timestamp,
    "value_kind": st.sampled_from(["category", "figure", None]),
    "withdrawn": st.none() | st.just({"note": "gone"}),
    "flags": st.just(["unverified"]),
    "unknown": st.just(1),
    "text": text,
    "attributions": st.lists(attribution, max_size=3),
}
claim = st.fixed_dictionaries(
    {"text": text, "attributions": st.lists(attribution, max_size=3)},
    optional={k: v for k, v in CLAIM_FIELDS.items() if k not in ("text", "attributions")},
)


clean_text = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ,.'-]{0,30}[A-Za-z0-9.]", fullmatch=True)
clean_key = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
clean_attribution = st.fixed_dictionaries(
    {"source": clean_key},
    optional={
        "via": st.lists(clean_key, max_size=2),
        "stance": st.sampled_from(["asserts", "denies", "reports"]),
        "confidence": st.integers(0, 100) | st.none(),
        "quote": clean_text,
        "recorded_at": st.just("2025-03-01T10:00:00Z"),
    },
)
clean_claim = st.fixed_dictionaries(
    {"text": clean_text, "attributions": st.lists(clean_attribution, min_size=1, max_size=2)},
    optional={
        "key": clean_key,
        "subject": clean_text,
        "property": clean_key,
        "value": st.integers(-1000, 10**6) | st.floats(-1e6, 1e6) | clean_text,
        "unit": clean_text,
        "period": st.fixed_dictionaries(
            {}, optional={"start": st.dates().map(str), "end": st.dates().map(str)}
        ),
        "place": clean_text,
        "tags": st.lists(clean_text, max_size=3),
        "status": st.sampled_from(["unverified", "disputed", "confirmed"]),
    },
)
#: A clean record with one field replaced by anything ``claim`` may hold.


def one_field_of(fields):
    return st.sampled_from(sorted(fields)).flatmap(
        lambda name: fields[name].map(lambda v: {name: v})
    )


perturbed = st.builds(
    lambda record, change: {**record, **change}, clean_claim, one_field_of(CLAIM_FIELDS)
)
#: A clean record whose first attribution has one field replaced.
perturbed_attribution = st.builds(
    lambda record, change: {
        **record,
        "attributions": [{**record["attributions"][0], **change}, *record["attributions"][1:]],
    },
    clean_claim,
    one_field_of(ATTRIBUTION_FIELDS),
)


def full(raw):
    try:
        return ClaimIn.model_validate(raw)
    except ValidationError:
        return None


def same(fast, slow) -> None:
    assert slow is not None, "the fast path accepted what validation refuses"
    assert fast.__dict__ == slow.__dict__
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.parsed_value() == slow.parsed_value()
    assert fast.model_dump() == slow.model_dump()
    assert fast.derived_key() == slow.derived_key()
    for mine, theirs in zip(fast.attributions, slow.attributions, strict=True):
        assert mine.__dict__ == theirs.__dict__
        assert mine.model_fields_set == theirs.model_fields_set
    if slow.period is not None:
        assert fast.period.__dict__ == slow.period.__dict__


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim | perturbed | perturbed_attribution | clean_claim)
def test_the_fast_path_gives_what_validation_gives_or_steps_aside(raw):
    fast = fast_validation.claim(raw)
    if fast is not None:
        same(fast, full(raw))


CLEAN = {
    "key": "claim-0000002",
    "text": "Village convoy army witness.",
    "subject": "subject-3972",
    "property": "arrests",
    "value": 1895,
    "unit": "people",
    "period": {"start": "2025-03-01", "end": "2025-03-28"},
    "place": "Sagaing",
    "tags": ["Police", "village", "police"],
    "status": "disputed",
    "created_at": "2025-03-02T10:00:00+02:00",
    "attributions": [
        {
            "source": "src-0081",
            "via": ["src-1292"],
            "stance": "denies",
            "confidence": 80,
            "quote": "village convoy",
            "recorded_at": "2025-03-02T09:00:00Z",
        }
    ],
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"value": "army"},
        {"value": "007", "value_kind": "category"},
        {"value": {"min": 200, "max": 250}},
        {"value": 1.5},
        {"value": None, "period": None, "tags": []},
        {"flags": ["conflicting"], "origins": 2},
    ],
    ids=["figure", "category", "category-kind", "range", "float", "nulls", "export-fields"],
)
def test_a_record_as_tools_write_it_takes_the_fast_path(changes):
    """The fast path must actually be taken for well-formed claims, or an import pays full
    validation for every one (a silent slowdown no other test sees)."""
    raw = {**CLEAN, **changes}
    fast = fast_validation.claim(raw)
    assert fast is not None
    same(fast, ClaimIn.model_validate(raw))


@pytest.mark.parametrize(
    "changes",
    [
        {"value": "at least 300"},  # a figure as people write it
        {"subject": "   "},  # blank means absent
        {"text": " padded"},
        {"text": "x\x1c"},  # Python strips \x1c; pydantic-core does not
        {"place": "\u3000Sagaing"},
        {"tags": "police"},  # one tag as a string
        {"status": "Disputed"},
        {"period": {"start": "2025-03-28", "end": "2025-03-01"}},
        {"period": {"start": "2025-02-30"}},
        {"attributions": [{"source": "NUG"}]},
        {"attributions": [{"source": "a", "via": ["b", "b"]}]},
        {"attributions": [{"source": "a", "via": ["a"]}]},
        {"attributions": [{"source": "a", "confidence": "likely"}]},
        {"attributions": [{"source": "a", "recorded_at": "yesterday"}]},
        {"withdrawn": {"note": "duplicate"}},
        {"value": True},
        {"value": 10**19},
        {"created_at": "0001-01-01T00:00:00+00:01"},  # year 0 in UTC: refused, not raised
        {"attributions": [{"source": "a", "recorded_at": "9999-12-31T23:59:59-00:01"}]},
    ],
)
def test_a_record_validation_would_rewrite_or_refuse_takes_the_full_path(changes):
    assert fast_validation.claim({**CLEAN, **changes}) is None


def test_no_character_that_stripping_removes_passes_as_clean_text():
    """Every character either strip (Python's or pydantic-core's) removes keeps a text
    off the fast path, at its start or its end."""
    strippable = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and (chr(c) + "x").strip() != chr(c) + "x"
    ]
    assert "\x1c" in strippable and "\u3000" in strippable
    for char in strippable:
        for text in (char + "x", "x" + char, char):
            assert fast_validation.claim({**CLEAN, "text": text}) is None, repr(char)
