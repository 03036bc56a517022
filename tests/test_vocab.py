"""The domain rules of DESIGN.md §1, on their own (no database)."""

import pytest

from provenance import vocab


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("almost-certain", 95),
        ("very-likely", 85),
        ("likely", 70),
        ("even-chance", 50),
        ("unlikely", 30),
        ("very-unlikely", 15),
        ("remote", 5),
        ("Very likely", 85),
        ("0", 0),
        ("100", 100),
        (42, 42),
        (None, None),
        ("", None),
    ],
)
def test_confidence_words_map_to_the_middle_of_their_band(given, stored):
    assert vocab.parse_confidence(given) == stored


@pytest.mark.parametrize("bad", ["101", -1, "probably", True, "4.5"])
def test_confidence_outside_the_scale_is_refused(bad):
    with pytest.raises(ValueError):
        vocab.parse_confidence(bad)


@pytest.mark.parametrize(
    ("digit", "stored"), [("1", 95), ("2", 75), ("3", 55), ("4", 30), ("5", 10), ("6", None)]
)
def test_admiralty_credibility_digits(digit, stored):
    assert vocab.parse_credibility(digit) == stored


def test_credibility_digit_7_is_refused():
    with pytest.raises(ValueError, match="1–6"):
        vocab.parse_credibility("7")


@pytest.mark.parametrize(
    ("reliability", "confidence", "shown"),
    [
        ("C", 55, "C3"),
        ("A", 95, "A1"),
        ("B", 75, "B2"),
        ("D", 30, "D4"),
        ("E", 10, "E5"),
        ("F", None, "F6"),
        (None, 85, "F1"),
        ("C", 64, "C3"),
        ("C", 65, "C2"),
    ],
)
def test_grade_shows_reliability_letter_and_credibility_digit(reliability, confidence, shown):
    assert vocab.grade(reliability, confidence) == shown


def test_every_credibility_digit_reads_back_as_itself():
    for digit, confidence in vocab.CREDIBILITY.items():
        assert vocab.credibility_digit(confidence) == digit


@pytest.mark.parametrize(
    ("raw", "kind", "lo", "hi"),
    [
        (276, "exact", 276, 276),
        ({"min": 31}, "min", 31, None),
        ({"max": 10}, "max", None, 10),
        ({"min": 200, "max": 250}, "range", 200, 250),
        ({"approx": 300}, "approx", 300, 300),
    ],
)
def test_numeric_values_become_intervals(raw, kind, lo, hi):
    value = vocab.parse_value(raw)
    assert (value.kind, value.lo, value.hi) == (kind, lo, hi)


def test_categorical_values_fold_case_and_whitespace():
    assert vocab.parse_value("  Extended   Ceasefire ").text == "extended ceasefire"


@pytest.mark.parametrize(
    "bad",
    [
        {"min": 5, "max": 1},
        {"approx": 3, "min": 1},
        {"low": 3},
        True,
        [1, 2],
        {"min": "many"},
        float("nan"),
    ],
)
def test_malformed_values_are_refused(bad):
    with pytest.raises(ValueError):
        vocab.parse_value(bad)


def test_slugs_are_lowercase_ascii_and_never_empty():
    assert vocab.slugify("Junta Media (state)") == "junta-media-state"
    assert vocab.slugify("Ta’ang Army") == "ta-ang-army"
    burmese = vocab.slugify("မြန်မာ")
    assert burmese.startswith("x") and vocab.check_key(burmese)


def test_content_key_ignores_case_and_spacing_but_not_figures():
    a = vocab.content_key("282 air  attacks", {"value": 282})
    assert a == vocab.content_key("282 Air attacks", {"value": 282})
    assert a != vocab.content_key("282 air attacks", {"value": 283})
