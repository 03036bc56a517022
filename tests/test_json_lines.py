"""A JSON line reads as the standard library reads it (``json`` with duplicate keys and
NaN refused), whether jiter reads it or hands it back: same values, same types, same
error. jiter is only the fast way to the same answer."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.io.readers import _JSONL_DECODER, _json_line

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)
#: Spellings jiter and the standard library might read apart.
TOKENS = [
    "1e400",
    "-1e400",
    "2.2250738585072011e-308",
    "4.9e-324",
    "1.7976931348623157e308",
    "9007199254740993",
    "-0",
    "-0.0",
    "0.1e-400",
    "1E5",
    "1.",
    "01",
    ".5",
    "+1",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 4301,
    '"\\ud800"',
    '"\\udc00\\ud800"',
    '"\\ud83d\\ude00"',
    '"\\u0000"',
    '"\x01"',
    '"\x7f"',
    "[1,]",
    "{}",
    "[]",
    "true",
    "null",
]


def standard(line: str):
    try:
        return "ok", _JSONL_DECODER.decode(line)
    except ValueError as error:  # JSONDecodeError is one
        return "error", str(error)


def ours(line: str):
    try:
        return "ok", _json_line(line, line.encode("utf-8", "surrogatepass"))
    except ValueError as error:
        return "error", str(error)


def same(a, b):
    """Equal, with the same types all the way down (1 is not 1.0, -0.0 is not 0.0)."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            same(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same(x, y)
    elif isinstance(a, float):
        assert a == b and math.copysign(1, a) == math.copysign(1, b)
    else:
        assert a == b


def check(line: str) -> None:
    expected, got = standard(line), ours(line)
    assert expected[0] == got[0], (line[:80], expected, got)
    if expected[0] == "ok":
        same(expected[1], got[1])
    else:
        assert expected[1] == got[1]


@settings(max_examples=600, deadline=None)
@given(documents)
def test_any_document_reads_as_the_standard_library_reads_it(document):
    check(json.dumps({"type": "claim", "value": document}, ensure_ascii=False))
    check(json.dumps({"type": "claim", "value": document}))


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(TOKENS) | st.text(max_size=3).map(json.dumps), min_size=1, max_size=4)
)
def test_edge_spellings_read_or_fail_as_the_standard_library_says(tokens):
    check('{"a": [' + ", ".join(tokens) + "]}")
    check('{"a": ' + tokens[0] + "}")


@pytest.mark.parametrize(
    "line",
    [
        '{"text": "a", "text": "b"}',  # a duplicate key, at the top
        '{"a": {"b": 1, "b": 2}}',  # and nested
        '{"a": NaN}',
        '{"a": 1} x',
        '{"a": "\\ud800"}',  # a lone surrogate: the standard library reads it
        "[" * 300 + "]" * 300,  # past jiter's nesting limit
        '{"a": ' + "9" * 5000 + "}",  # past Python's digit limit
    ],
)
def test_what_jiter_refuses_gets_the_standard_librarys_answer(line):
    check(line)
