"""The forms of a figure as people write it, in digits: the qualifiers before a number
(``at least``, ``about``), the bounds after it (``or more``), scales, ranges, and the
value each gives. :mod:`provenance.figures` reads a whole value or running text with
them; :mod:`provenance.figure_words` reads numbers and quantities in words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

Number = int | float

ACCEPTED_FORMS = (
    "a number (300, 2,000, 1.5 million, 14k, 1.234.567, 1,5 million), optionally with a "
    "unit word (300 people) or a currency sign ($3.5bn, €2 million); "
    "at least/over/more than/upwards of/no fewer than N, N+, N-plus, N or more, >N, >=N; "
    "up to/as many as/as high as/at most/no more than/fewer than/less than/under/nearly/"
    "almost N, N or fewer, <N, <=N; "
    "about/around/approximately/roughly/some/an estimated N, ~N; "
    "ranges N-M, N to M, N or M, between N and M, N..M; "
    "or --category to keep the text as a category"
)


#: Money written with its sign, and the currency it names (the unit of the figure).
CURRENCY_SIGNS = {
    "US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "A$": "AUD", "C$": "CAD",
    "NZ$": "NZD", "HK$": "HKD", "¥": "JPY", "₹": "INR", "₦": "NGN", "₩": "KRW",
    "R$": "BRL", "₱": "PHP", "₺": "TRY", "₴": "UAH", "₽": "RUB",
}  # fmt: skip
CURRENCY_SIGN = "|".join(re.escape(sign) for sign in sorted(CURRENCY_SIGNS, key=len, reverse=True))


class FigureError(ValueError):
    """Text that holds a digit but is not a figure this parser can read."""


_MIN_WORDS = (
    "at least",
    "no fewer than",
    "no less than",
    "not less than",
    "more than",
    "upwards of",
    "upward of",
    "as few as",
    "in excess of",
    "over",
    "just over",
    "well over",
    "a little over",
    "slightly over",
    "just above",
    "well above",
    "slightly more than",
    "a little more than",
    "as low as",
    "above",
    "exceeding",
    "≥",
    ">=",
    ">",
)
_MAX_WORDS = (
    "up to",
    "as many as",
    "as much as",
    "at most",
    "no more than",
    "not more than",
    "fewer than",
    "less than",
    "under",
    "below",
    "nearly",
    "almost",
    "just under",
    "well under",
    "a little under",
    "slightly under",
    "just below",
    "well below",
    "slightly less than",
    "a little less than",
    "as high as",
    "≤",
    "<=",
    "<",
)
_APPROX_WORDS = (
    "approximately",
    "an estimated",
    "estimated",
    "an approximate",
    "about",
    "around",
    "roughly",
    "some",
    "close to",
    "in the region of",
    "on the order of",
    "of the order of",
    "more or less",
    "approx.",
    "approx",
    "circa",
    "c.",
    "ca.",
    "≈",
    "~",
)

_QUALIFIERS: dict[str, str] = {}
for _kind, _words in (("min", _MIN_WORDS), ("max", _MAX_WORDS), ("approx", _APPROX_WORDS)):
    for _word in _words:
        _QUALIFIERS[_word] = _kind


def _alternation(words: Any) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


#: A bound written after the number: ``20 or more``, ``18 and over``, ``5 or fewer``.
_MIN_AFTER = (
    "or more", "or over", "or above", "and above", "and over", "and up", "and upwards",
    "or greater", "or higher",
)  # fmt: skip
_MAX_AFTER = ("or fewer", "or less", "or under", "or below", "and below", "and under", "or lower")
_BOUNDS_AFTER = {word: "min" for word in _MIN_AFTER} | {word: "max" for word in _MAX_AFTER}
#: ``20 or more``, ``20-plus``, ``20 plus``; not ``20 and over the weekend``, ``20 plus 5``.
_AFTER_BOUND = (
    rf"(?:\s+(?:{_alternation(_BOUNDS_AFTER)})"
    r"(?!\s+(?:to|the|a|an|than|that|this|these|those|its|their|his|her|of)\b)"
    r"|(?:-|\s+)plus(?!\s*\d))(?![\w-])"
)


_SCALES = {
    "hundred": 100,
    "k": 1_000,
    "thousand": 1_000,
    "lakh": 100_000,  # South Asian reporting: 1 lakh = 100,000, 1 crore = 10 million
    "crore": 10_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "trillion": 1_000_000_000_000,
}

_SCALE = (
    r"(?:\s{0,2}(?:hundred|thousand|lakh|crore|million|billion|trillion|mn|bn|tn)\b|(?:k|m|bn|b)\b)"
)
#: 1.234.567: dots that can only separate thousands (two groups or more).
_DOTTED_THOUSANDS = r"\d{1,3}(?:\.\d{3}){2,}(?![\d.])"
#: 1,5 million: a decimal comma, read as one only before a scale (a thousands group has
#: three digits, so "1,5" and "2,75" can be nothing else).
_DECIMAL_COMMA = rf"\d+,\d{{1,2}}(?={_SCALE})"
# A number: 2,000 / 2000 / 1.5 / 1 500 (a thin or narrow no-break space as a separator).
_NUMBER = (
    rf"{_DOTTED_THOUSANDS}|{_DECIMAL_COMMA}|"
    # a plain space groups thousands as well ("12 000 people" read 0 people; a group of
    # three digits after one to three can be nothing else)
    r"\d{1,3}(?:[,\u202f\u2009\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
)
_QUALIFIER = _alternation(_QUALIFIERS)
#: What joins a range's ends: ``N-M``, ``N–M``, ``N..M``, ``N to M``, ``N or M`` ("5 or 6
#: people": either, so at least the one and at most the other).
_DASH = r"\s*(?:-|–|—|\.\.)\s*|\s+(?:to|or)\s+"

#: A figure inside running text: an optional qualifier, a number with an optional scale,
#: and an optional second number that closes a range (``between N and M``, ``N–M``).
FIGURE_PATTERN = re.compile(
    rf"""
    (?:(?P<between>between|from)\s+)?
    (?:(?P<qualifier>{_QUALIFIER})\s*)?
    (?P<lo>{_NUMBER})(?P<lo_scale>{_SCALE})?
    (?:
        (?:\s?%(?=\s*(?:and|to|-|–)\s*\d))?  # "between 10% and 20%", "10%-20%"
        (?:(?(between)(?:\s+(?:and|to)\s+|\s*[-–]\s*)|(?:{_DASH})))
        (?P<hi>{_NUMBER})(?P<hi_scale>{_SCALE})?
    )?
    (?P<plus>\+)?
    (?P<after>{_AFTER_BOUND})?
    """,
    re.IGNORECASE | re.VERBOSE,
)

_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
#: 2.000 or 1.500: a decimal in English, a whole number where a dot separates thousands.
_DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")
#: Scale words that are no unit, seen where a unit would be (``10 million million``,
#: ``5 k``): ``m`` and ``b`` stay units (metres, a grade).
_SCALE_WORDS = frozenset(_SCALES) - {"m", "b"}
_UNIT = re.compile(r"^[^\W\d_][\w'’%-]*(?:\s+[^\W\d_][\w'’%-]*)*$|^%$")
_ROUGHLY_AFTER = re.compile(r"or so|-?odd|or thereabouts", re.IGNORECASE)
_PERCENT_WORDS = re.compile(r"^(?:per\s*cent|percent|pc)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """A parsed figure: the interchange value, the unit the text gave (or None), and the
    span of the figure in the text it was found in."""

    value: Any
    unit: str | None
    start: int
    end: int


def _to_number(digits: str, scale: str | None) -> Number:
    if re.fullmatch(r"\d+,\d{1,2}", digits):  # only _DECIMAL_COMMA matches this: 1,5 million
        digits = digits.replace(",", ".")
    cleaned = re.sub(r"[,\u202f\u2009\u00a0 ]", "", digits)
    if cleaned.count(".") > 1:  # 1.234.567
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only digits
        raise FigureError(f"{digits!r} is not a number") from error
    if scale:
        try:
            number *= _entry(_SCALES, scale)
        except ArithmeticError:  # decimal's Overflow: past any range a value may have
            shown = digits if len(digits) <= 24 else f"{digits[:12]}…({len(digits)} digits)"
            raise FigureError(f"the figure {shown!r} {scale.strip()!r} is out of range") from None
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _bound_after(match: re.Match[str]) -> str | None:
    """The bound a figure's trailing words put on it: ``+``, ``-plus`` and ``or more``
    make a lower bound, ``or fewer`` an upper one."""
    after = match["after"]
    plus = match.groupdict().get("plus")
    if after is None:
        return "min" if plus else None
    kind = "min" if after.strip(" -").lower() == "plus" else _entry(_BOUNDS_AFTER, after)
    if plus and kind != "min":
        raise FigureError(f"{match[0].strip()!r} mixes a '+' with '{after.strip()}'")
    return str(kind)


def _value_of(match: re.Match[str]) -> Any:
    lo_scale, hi_scale = match["lo_scale"], match["hi_scale"]
    after = _bound_after(match)
    if match["hi"] is not None:
        # "1-2 million": the scale written once applies to both ends.
        lo = _to_number(match["lo"], lo_scale or hi_scale)
        hi = _to_number(match["hi"], hi_scale)
        if lo > hi:
            raise FigureError(f"the range {match[0].strip()!r} runs backwards ({lo} > {hi})")
        if match["qualifier"] and _entry(_QUALIFIERS, match["qualifier"]) == "approx":
            if after:
                raise FigureError(f"{match[0].strip()!r} puts a bound on a range")
            return {"min": lo, "max": hi}
        if match["qualifier"]:
            raise FigureError(f"{match[0].strip()!r} puts a bound on a range")
        # "20 to 30 or more" is at least 20; "20-30 or fewer" at most 30
        if after == "min":
            return {"min": lo}
        if after == "max":
            return {"max": hi}
        return {"min": lo, "max": hi}
    if match["between"]:
        raise FigureError(f"{match[0].strip()!r} needs a second number ('between N and M')")
    number = _to_number(match["lo"], lo_scale)
    qualifier = _entry(_QUALIFIERS, match["qualifier"]) if match["qualifier"] else None
    return _bounded(number, qualifier, after, match[0])


def _bounded(number: Number, qualifier: str | None, after: str | None, written: str) -> Any:
    """A single number with the bound written before it and the one written after it
    (``at least 20 or more`` is at least 20; ``up to 20 or more`` is refused)."""
    if after:
        if qualifier not in (None, after):
            raise FigureError(f"{written.strip()!r} puts two different bounds on one figure")
        qualifier = after
    return number if qualifier is None else {qualifier: number}


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _entry(table: dict[str, Any], matched: str) -> Any:
    """What ``table`` holds for a word a pattern matched. The patterns ignore case, which
    also pairs ``ſ`` with ``s``, ``İ`` and ``ı`` with ``i`` and the Kelvin sign with ``k``,
    so a word lowercasing to no entry is the entry whose spelling matches it."""
    key = _fold(matched)
    if key in table:
        return table[key]
    for word, found in table.items():
        if re.fullmatch(_alternation([word]), matched.strip(), re.IGNORECASE):
            return found
    raise FigureError(f"{matched!r} is not a word of a figure")


def has_two_readings(digits: str) -> bool:
    """``2.000``, ``1.500``: a decimal in English, a whole number where a dot separates
    thousands. Refused as typed; skipped by ``extract``, which cannot ask."""
    return _DOT_THOUSANDS.fullmatch(digits) is not None


def two_readings_error(what: str, digits: str, *, whole: str | None = None) -> str:
    """The one wording of a figure that reads two ways: ``what`` names it where it was
    typed, ``whole`` is the whole number as that place takes it (``2,000`` by default)."""
    thousands = digits.replace(".", ",")
    return (
        f"{what} is ambiguous: {digits} is a decimal in English and {thousands} where a dot "
        f"separates thousands; write {whole or thousands}, or the decimal with one more "
        f"place ({digits}0)"
    )


def is_scale_word(word: str) -> bool:
    """A word that scales a number (``million``, ``k``), seen where a unit would be."""
    return word.lower() in _SCALE_WORDS
